//! An embassy-time driver on SysTick: a 64-bit clock, alarms and tickless sleep.
//!
//! SysTick is a 24-bit down-counter on the core clock, present on every Cortex-M, so
//! one driver serves the three boards. It has no compare register, so the alarm *is*
//! the reload: arming for an instant reprograms the counter to wrap exactly then (or
//! after its longest period, 2^24 cycles, when the instant is further away). Between
//! wraps nothing interrupts the core: there is no periodic tick, and the executor's
//! `wfe` sleeps until the next timer instant or the next message.
//!
//! The clock is the tick at which the running period began (with the cycles past
//! that tick) plus how far the counter has come down since. A wrap that happened
//! while interrupts were masked shows as a pending SysTick exception, and is counted
//! before its handler runs, so the clock never goes backwards. A period lasts at most
//! 2^24 cycles, so the clock only ever converts cycles to ticks in 32 bits: no 64-bit
//! division (a routine of about 900 B on Cortex-M) is linked for it.
//!
//! Embassy ticks are microseconds (embassy-time's default 1 MHz); the board's core
//! clock (`build.rs`) is a whole number of cycles per tick on every board.

use crate::board::CORE_HZ;
use core::cell::RefCell;
use core::task::Waker;
use cortex_m::peripheral::syst::SystClkSource;
use cortex_m::peripheral::{SCB, SYST};
use cortex_m_rt::exception;
use critical_section::{CriticalSection, Mutex};
use embassy_time_driver::{Driver, TICK_HZ};
use embassy_time_queue_utils::Queue;

/// Core cycles per embassy tick.
#[allow(clippy::cast_possible_truncation)] // checked below: at most the core clock
const CYCLES_PER_TICK: u32 = (CORE_HZ as u64 / TICK_HZ) as u32;
const _: () = assert!(
    CYCLES_PER_TICK > 0 && CYCLES_PER_TICK as u64 * TICK_HZ == CORE_HZ as u64,
    "the core clock must be a whole number of cycles per tick"
);

/// The longest SysTick period: the 24-bit reload register's range.
const LONGEST_PERIOD: u32 = 1 << 24;
/// The most ticks one period can span, rounded up: an alarm further away is armed
/// for the longest period.
const LONGEST_PERIOD_TICKS: u32 = LONGEST_PERIOD / CYCLES_PER_TICK + 1;

/// The driver's state, shared by thread mode and the SysTick handler.
struct State {
    /// The counter, once [`start`] handed it over.
    syst: Option<SYST>,
    /// The tick in which the running period began...
    start_tick: u64,
    /// ...and how many core cycles past that tick's start (below `CYCLES_PER_TICK`).
    start_cycles: u32,
    /// The reload value of the running period (which lasts `reload + 1` cycles).
    reload: u32,
    /// The tasks waiting for an instant, and when each is due.
    queue: Queue,
    /// SysTick exceptions taken: every time the timer woke the core.
    interrupts: u32,
}

impl State {
    /// Core cycles since the start of the running period (at most two periods, so
    /// below 2^25).
    fn cycles_into_period(&self) -> u32 {
        let first = SYST::get_current();
        let wrapped = SCB::is_pendst_pending();
        let after = SYST::get_current();
        let period = self.reload.saturating_add(1);
        // Right after a reprogramming the counter reads 0 until it loads the reload
        // value: that is the start of the period, not its end.
        let into = |current: u32| {
            if current == 0 {
                0
            } else {
                period.saturating_sub(current)
            }
        };
        if wrapped {
            // The wrap happened before `after` was read: it belongs to the next period.
            period.saturating_add(into(after))
        } else {
            into(first)
        }
    }

    /// The tick `cycles` core cycles after the start of the running period, and the
    /// cycles past that tick's start: 32-bit arithmetic, since `cycles` is below 2^25.
    fn after_start(&self, cycles: u32) -> (u64, u32) {
        let cycles = self.start_cycles.saturating_add(cycles);
        (
            self.start_tick
                .saturating_add(u64::from(cycles / CYCLES_PER_TICK)),
            cycles % CYCLES_PER_TICK,
        )
    }

    /// The current tick, and the core cycles past its start.
    fn now(&self) -> (u64, u32) {
        self.after_start(self.cycles_into_period())
    }

    fn ticks(&self) -> u64 {
        self.now().0
    }

    /// Makes SysTick wrap at tick `at`, or after its longest period if `at` is further
    /// away. Returns `false`, changing nothing, when `at` has already come.
    fn arm(&mut self, at: u64) -> bool {
        let (now, past) = self.now();
        if at <= now {
            return false;
        }
        let ticks_away = u32::try_from(at - now)
            .unwrap_or(u32::MAX)
            .min(LONGEST_PERIOD_TICKS);
        // Cycles until tick `at` starts; at least two: a reload of 0 would stop the
        // counter. `ticks_away * CYCLES_PER_TICK` is at most 2^24 + CYCLES_PER_TICK.
        let period = (ticks_away * CYCLES_PER_TICK - past).clamp(2, LONGEST_PERIOD);
        let reload = period - 1;
        if let Some(syst) = self.syst.as_mut() {
            syst.set_reload(reload);
            // Writing the current value makes the counter load the new reload next cycle.
            syst.clear_current();
        }
        // `now` already counted a wrap that was pending; the new period starts here.
        SCB::clear_pendst();
        self.start_tick = now;
        self.start_cycles = past;
        self.reload = reload;
        true
    }

    /// Wakes every task whose instant has come and arms SysTick for the next one. The
    /// loop covers an instant that passes while it is being armed.
    fn rearm(&mut self) {
        loop {
            let next = self.queue.next_expiration(self.ticks());
            if self.arm(next) {
                return;
            }
        }
    }
}

/// The driver embassy-time calls.
struct SysTickDriver {
    state: Mutex<RefCell<State>>,
}

impl SysTickDriver {
    /// Runs `f` on the state inside a critical section. The state is only borrowed
    /// here, with interrupts masked, so the borrow cannot be taken already; the
    /// fallible borrow keeps the RefCell's panic (and the formatting machinery it pulls
    /// in) out of the firmware, and `or_default` answers for a borrow that failed.
    fn with<R: Default>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        critical_section::with(|cs: CriticalSection<'_>| {
            self.state
                .borrow(cs)
                .try_borrow_mut()
                .map_or_else(|_| R::default(), |mut state| f(&mut state))
        })
    }
}

impl Driver for SysTickDriver {
    fn now(&self) -> u64 {
        self.with(|state| state.ticks())
    }

    fn schedule_wake(&self, at: u64, waker: &Waker) {
        self.with(|state| {
            if state.queue.schedule_wake(at, waker) {
                state.rearm();
            }
        });
    }
}

embassy_time_driver::time_driver_impl!(static DRIVER: SysTickDriver = SysTickDriver {
    state: Mutex::new(RefCell::new(State {
        syst: None,
        start_tick: 0,
        start_cycles: 0,
        reload: 0,
        queue: Queue::new(),
        interrupts: 0,
    })),
});

/// Starts the clock at 0 on the core clock, with no alarm set (the counter runs its
/// longest period until a task waits for an instant).
pub fn start(mut syst: SYST) {
    syst.set_clock_source(SystClkSource::Core);
    // A reload of 0 would stop the counter as soon as it is enabled.
    syst.set_reload(0x00FF_FFFF);
    syst.clear_current();
    syst.enable_interrupt();
    syst.enable_counter();
    DRIVER.with(|state| {
        state.syst = Some(syst);
        state.start_tick = 0;
        state.start_cycles = 0;
        state.rearm();
    });
}

/// How many times SysTick woke the core: alarms, and wraps of its longest period.
pub fn interrupts() -> u32 {
    DRIVER.with(|state| state.interrupts)
}

/// SysTick wrapped: an alarm is due, or the longest period ran out.
#[exception]
fn SysTick() {
    DRIVER.with(|state| {
        (state.start_tick, state.start_cycles) = state.after_start(state.reload.saturating_add(1));
        state.interrupts = state.interrupts.saturating_add(1);
        state.rearm();
    });
}
