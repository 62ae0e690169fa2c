//! An embassy-time driver on SysTick: a 64-bit clock, alarms and tickless sleep.
//!
//! SysTick is a 24-bit down-counter on the core clock, present on every Cortex-M, so
//! one driver serves the three boards. It has no compare register, so the alarm *is*
//! the reload: arming for an instant reprograms the counter to wrap exactly then (or
//! after its longest period, 2^24 cycles, when the instant is further away). Between
//! wraps nothing interrupts the core: there is no periodic tick, and the executor's
//! `wfe` sleeps until the next timer instant or the next message.
//!
//! The clock is the cycle count at which the running period began plus how far the
//! counter has come down since. A wrap that happened while interrupts were masked
//! shows as a pending SysTick exception, and is counted before its handler runs, so
//! the clock never goes backwards.
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
const CYCLES_PER_TICK: u64 = CORE_HZ as u64 / TICK_HZ;
const _: () = assert!(
    CYCLES_PER_TICK > 0 && CYCLES_PER_TICK * TICK_HZ == CORE_HZ as u64,
    "the core clock must be a whole number of cycles per tick"
);

/// The longest SysTick period: the 24-bit reload register's range.
const LONGEST_PERIOD: u64 = 1 << 24;

/// The driver's state, shared by thread mode and the SysTick handler.
struct State {
    /// The counter, once [`start`] handed it over.
    syst: Option<SYST>,
    /// Core cycles from boot to the start of the running period.
    period_start: u64,
    /// The reload value of the running period (which lasts `reload + 1` cycles).
    reload: u32,
    /// The tasks waiting for an instant, and when each is due.
    queue: Queue,
    /// SysTick exceptions taken: every time the timer woke the core.
    interrupts: u32,
}

impl State {
    /// Core cycles since boot.
    fn cycles(&self) -> u64 {
        let first = SYST::get_current();
        let wrapped = SCB::is_pendst_pending();
        let after = SYST::get_current();
        let period = u64::from(self.reload) + 1;
        // Right after a reprogramming the counter reads 0 until it loads the reload
        // value: that is the start of the period, not its end.
        let into = |current: u32| {
            if current == 0 {
                0
            } else {
                period.saturating_sub(u64::from(current))
            }
        };
        if wrapped {
            // The wrap happened before `after` was read: it belongs to the next period.
            let next = self.period_start.saturating_add(period);
            if after == 0 {
                next
            } else {
                next.saturating_add(into(after))
            }
        } else {
            self.period_start.saturating_add(into(first))
        }
    }

    fn ticks(&self) -> u64 {
        self.cycles() / CYCLES_PER_TICK
    }

    /// Makes SysTick wrap at tick `at`, or after its longest period if `at` is further
    /// away. Returns `false`, changing nothing, when `at` has already come.
    fn arm(&mut self, at: u64) -> bool {
        let now = self.cycles();
        let target = at.saturating_mul(CYCLES_PER_TICK);
        if target <= now {
            return false;
        }
        // At least two cycles: a reload of 0 would stop the counter.
        let period = target.saturating_sub(now).clamp(2, LONGEST_PERIOD);
        let reload = u32::try_from(period - 1).unwrap_or(0x00FF_FFFF);
        if let Some(syst) = self.syst.as_mut() {
            syst.set_reload(reload);
            // Writing the current value makes the counter load the new reload next cycle.
            syst.clear_current();
        }
        // `now` already counted a wrap that was pending; the new period starts here.
        SCB::clear_pendst();
        self.period_start = now;
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
        period_start: 0,
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
        state.period_start = 0;
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
        state.period_start = state
            .period_start
            .saturating_add(u64::from(state.reload) + 1);
        state.interrupts = state.interrupts.saturating_add(1);
        state.rearm();
    });
}
