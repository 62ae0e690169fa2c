//! Every time a task wakes up: counted by cause, and, when it slept until an instant,
//! how late it woke.
//!
//! Lateness is the clock read on waking minus the instant the task slept until: the
//! time driver's alarm, the interrupt and the executor's poll together.

use core::cell::RefCell;
use embassy_sync::blocking_mutex::Mutex;
use embassy_sync::blocking_mutex::raw::CriticalSectionRawMutex;
use mycel::time::{self, Duration, Instant};

/// Why a task woke up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, defmt::Format)]
pub enum Wake {
    /// The arrival task: a request's instant came.
    Arrival,
    /// The backend task: a call came in.
    Call,
    /// The backend task: its answer is ready.
    Answer,
    /// The engine task: a request arrived.
    EngineRequest,
    /// The engine task: the backend answered.
    EngineAnswer,
    /// The engine task: the net's next deadline came.
    EngineDeadline,
}

/// The wake-ups so far.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Wakeups {
    /// The arrival task's, one per request.
    pub arrival: u32,
    /// The backend task's: one for each call and one for each answer.
    pub backend: u32,
    /// The engine task's on a request.
    pub engine_request: u32,
    /// The engine task's on an answer.
    pub engine_answer: u32,
    /// The engine task's on the net's deadline.
    pub engine_deadline: u32,
    /// Of all the wake-ups, those that slept until an instant.
    pub timed: u32,
    /// The latest any of those woke after its instant.
    pub worst_lateness: Duration,
}

impl Wakeups {
    /// The engine task's wake-ups, whatever woke it.
    pub const fn engine(&self) -> u32 {
        self.engine_request
            .saturating_add(self.engine_answer)
            .saturating_add(self.engine_deadline)
    }
}

static WAKEUPS: Mutex<CriticalSectionRawMutex, RefCell<Wakeups>> =
    Mutex::new(RefCell::new(Wakeups {
        arrival: 0,
        backend: 0,
        engine_request: 0,
        engine_answer: 0,
        engine_deadline: 0,
        timed: 0,
        worst_lateness: Duration::from_ticks(0),
    }));

/// Counts a wake-up for `why` and returns the clock read on waking; when the task
/// slept until `deadline`, also measures how late it woke.
pub fn record(why: Wake, deadline: Option<Instant>) -> Instant {
    let now = Instant::now();
    WAKEUPS.lock(|cell| {
        // Only borrowed inside the lock, so the borrow is always free; the fallible
        // borrow keeps the RefCell's panic out of the firmware.
        let Ok(mut w) = cell.try_borrow_mut() else {
            return;
        };
        let count = match why {
            Wake::Arrival => &mut w.arrival,
            Wake::Call | Wake::Answer => &mut w.backend,
            Wake::EngineRequest => &mut w.engine_request,
            Wake::EngineAnswer => &mut w.engine_answer,
            Wake::EngineDeadline => &mut w.engine_deadline,
        };
        *count = count.saturating_add(1);
        if let Some(deadline) = deadline {
            w.timed = w.timed.saturating_add(1);
            let late = time::since(now, deadline);
            if late > w.worst_lateness {
                w.worst_lateness = late;
            }
        }
    });
    now
}

/// The wake-ups counted so far.
pub fn so_far() -> Wakeups {
    WAKEUPS.lock(|cell| cell.try_borrow().map(|w| *w).unwrap_or_default())
}
