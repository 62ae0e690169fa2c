//! The reference circuit breaker: [`RefBreaker`].
//!
//! A plainly written oracle for the engine's breaker. It keeps every counted outcome of the
//! current window view in a `Vec` and re-scans it on every question; time is plain `u64`
//! ticks and all arithmetic saturates. It follows the thirteen pinned rules of the brief
//! literally (lazy time first, backoff `p_k`, trip order, strict slow threshold, counted
//! outcomes, windows, half-open probes, maximum wait, generations, the frozen OPEN view,
//! operator modes, counters, deadlines). The unit tests in `tests.rs` pin each rule with a
//! hand-computed case.
//!
//! # Readings chosen where the rules are silent
//!
//! The engine must make the same choices for the model-based tests to agree:
//!
//! - **Generation** starts at 0 and grows by exactly one per call that changes state, enters
//!   a mode, or resets: `reset` from a non-CLOSED state is +1 (not +2) although it both
//!   changes state and resets.
//! - **Accessors** (`state`, `next_deadline`, rates, ...) take no `now` and apply no lazy
//!   time; only `try_acquire`, `record`, `poll` and the operator calls do.
//! - **Due instants**: OPEN ends at `now >= opened_at + period`; the half-open maximum wait
//!   expires at `now >= last_probe_activity + max_wait`. An outcome recorded exactly at
//!   that instant is therefore stale (the expiry is applied first). Due changes chain
//!   inside one call (a reopen whose period has already run out by the call's `now` goes
//!   straight on to HALF_OPEN).
//! - **Backoff**: `p_1 = base` exactly as written (not `min(base, cap)`; valid configurations
//!   have `base <= cap`); each growth step is computed exactly before the cap, so a period
//!   never shrinks on overflow. With `jitter_percent > 0` every opening draws exactly one
//!   value, even when the span rounds to 0; the span, `2 * span + 1` and the offset are
//!   computed exactly in 128 bits (as the engine does), and a jittered period is at least
//!   one tick (100% jitter can draw an offset that cancels the whole period).
//!   The splitmix64 stream is seeded once in `new` and never reseeded (not by `reset`).
//!   Deadlines saturate at `u64::MAX`.
//! - **Slow calls**: both Success and Failure can be slow (and count in `slow`); Ignored is
//!   never slow. A slow Success still counts as a success for `AfterSuccesses`. The
//!   caller's verdict (`record_judged` with `Slow` or `NotSlow`) replaces the clock's
//!   measurement, and counts only under a slow-call configuration, as timing does.
//! - **Rates** never trip and never report on zero calls (even with a minimum of 0).
//!   `failure_rate`/`slow_rate` read the count window when configured, else the time
//!   window at the last instant seen; while OPEN the time window is read at the instant
//!   the view froze, so the frozen rate does not slide. `slow_rate` is `None` without a
//!   slow-call configuration. A zero `bucket_width` reads as 1.
//! - **Consecutive run**: not bounded by any window (the brief's rule 5 overrides the
//!   design page's "trailing failures still inside the window").
//! - **HALF_OPEN outcomes** go into the (fresh) window view and the lifetime counters like
//!   any counted outcome, so rates are readable in HALF_OPEN and a reopen freezes a view
//!   holding the probe outcomes. Trip checks still run only in CLOSED.
//! - **ByRate** judges exactly `max_permits` counted probe outcomes with no minimum. The
//!   failure threshold is the count window's, else the time window's; with neither, failures
//!   alone never reopen. The slow rate is judged whenever slow calls are configured.
//! - **Stale first**: an old-generation permit is `Stale` in every state, DISABLED included.
//!   A current-generation permit presented while OPEN or FORCED_OPEN (impossible for a
//!   genuine permit) is `NotRecorded` and changes nothing.
//! - **Ignored** with a current permit returns `Counted` (it moves `ignored` and, in
//!   HALF_OPEN, frees a slot and counts as probe activity).
//! - **Operator modes** and `reset` discard outstanding probes; entering FORCED_OPEN,
//!   DISABLED, METRICS_ONLY or CLOSED starts an empty view (only OPEN keeps it).
//! - METRICS_ONLY tracks windows and the consecutive run like CLOSED but never trips.
//! - **Clock regressions**: a call whose `now` is earlier than the last instant seen
//!   changes nothing at all (not even a counter) and says so: `try_acquire` rejects with
//!   [`RefRejected::ClockRegression`], `record` answers [`RefRecorded::ClockRegression`]
//!   (the permit stays outstanding), `poll` and the operator calls return
//!   `Err(RefClockRegression)`.

mod backoff;
mod change;
mod config;
mod counters;
mod model;
mod outcome;
mod permit;
mod regression;
mod state;
mod view;

#[cfg(test)]
mod tests;

pub use backoff::{SplitMix64, open_period, unjittered_period};
pub use change::RefChange;
pub use config::{
    RefBreakerConfig, RefClose, RefCountWindow, RefHalfOpen, RefMaxWait, RefOpen, RefSlowCalls,
    RefTimeWindow,
};
pub use counters::RefCounters;
pub use model::RefBreaker;
pub use outcome::{RefOutcome, RefRecorded, RefSpeed};
pub use permit::{RefPermit, RefRejected};
pub use regression::RefClockRegression;
pub use state::RefState;
