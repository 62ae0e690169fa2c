//! The circuit breaker: a [`Machine`](crate::fsm::Machine) that stops calls to a
//! failing backend, and a bank of them keyed by backend.
//!
//! States CLOSED, OPEN and HALF_OPEN, plus the operator modes FORCED_OPEN (reject
//! everything), DISABLED (permit everything, record nothing) and METRICS_ONLY (record,
//! never trip). Use is two-phase: [`CircuitBreaker::try_acquire`] gives a [`Permit`]
//! or a [`Rejected`], and [`CircuitBreaker::record`] takes the permit back with the
//! call's [`Outcome`] ([`CircuitBreaker::record_judged`] also takes the caller's
//! verdict on whether the call was slow, a [`Speed`]). Every state change comes back
//! as a value.
//!
//! - Trip policies ([`BreakerConfig`]), any combination: consecutive failures, failure
//!   rate over the last N calls (2 bits a call), failure rate over B time buckets,
//!   slow-call rate. A rate trips at `>=` its threshold once a minimum of calls is seen.
//! - OPEN lasts a period that grows on repeated trips up to a cap, with optional
//!   deterministic jitter ([`OpenPolicy`]); it becomes HALF_OPEN exactly when the
//!   period ends, observed at the next call or announced by
//!   [`CircuitBreaker::next_deadline`].
//! - HALF_OPEN admits a few probes and closes after enough successes or by rate; a
//!   maximum wait gives up on probes that never report ([`HalfOpenPolicy`]).
//! - Permits carry a generation, so outcomes of calls admitted before a state change
//!   are recognised as stale and only counted.
//! - [`BreakerBank`] holds many breakers in fixed capacity and never drops an OPEN one.
//!
//! ```
//! use mycel::breaker::{BreakerConfig, BreakerStateKind, CircuitBreaker, Outcome, Reason};
//! use mycel::time::{Duration, Instant};
//!
//! // Open after 3 consecutive failures, for 5 s; close after 2 successful probes.
//! let config = BreakerConfig::consecutive(3, Duration::from_secs(5), 2);
//! let start = Instant::from_secs(0);
//! let mut breaker: CircuitBreaker = CircuitBreaker::new(config, start)?;
//!
//! for s in 1..=3 {
//!     let now = Instant::from_secs(s);
//!     let permit = breaker.try_acquire(now).value?;
//!     let response = breaker.record(permit, Outcome::Failure, now);
//!     if s == 3 {
//!         let change = response.changes.last().unwrap();
//!         assert_eq!(change.from, BreakerStateKind::Closed);
//!         assert_eq!(change.to, BreakerStateKind::Open);
//!         assert_eq!(change.reason, Reason::ConsecutiveFailures);
//!     }
//! }
//! assert_eq!(breaker.state(), BreakerStateKind::Open);
//! let rejected = breaker.try_acquire(Instant::from_secs(4)).value.unwrap_err();
//! assert_eq!(rejected.retry_at, Some(Instant::from_secs(8)));
//! assert_eq!(breaker.next_deadline(), Some(Instant::from_secs(8)));
//!
//! // At 8 s the open period is over: the same call moves to HALF_OPEN and admits a probe.
//! let response = breaker.try_acquire(Instant::from_secs(8));
//! assert_eq!(response.changes.as_slice()[0].to, BreakerStateKind::HalfOpen);
//! assert!(response.value.is_ok());
//! # Ok::<(), Box<dyn core::error::Error>>(())
//! ```

#[cfg(feature = "arbitrary")]
mod arbitrary_input;
mod backoff;
mod bank;
#[allow(clippy::module_inception)]
mod breaker;
mod changes;
mod cold_div;
mod config;
mod configured;
mod count_window;
mod declaration;
mod error;
mod fleet_counts;
mod fleet_error;
mod fleet_state;
mod fleet_view;
pub mod in_net;
#[cfg(test)]
mod invariants;
mod jitter;
mod machine;
mod metrics;
mod notice;
mod permit;
mod rate;
mod reason;
mod response;
mod restore;
#[cfg(test)]
mod rules;
#[cfg(feature = "serde")]
mod serde_config;
#[cfg(feature = "serde")]
mod serde_opt;
mod state;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests_mutants;
mod time_window;
mod verdict;
#[cfg(test)]
mod worked_example;

pub use bank::BreakerBank;
pub use breaker::CircuitBreaker;
pub use changes::{BreakerChanges, MAX_BREAKER_CHANGES};
pub use config::{
    BreakerConfig, CloseRule, CountWindowPolicy, HalfOpenPolicy, MaxWaitAction, OpenPolicy,
    SlowCallPolicy, TimeWindowPolicy,
};
pub use error::{BankError, ConfigError};
pub use fleet_counts::{FleetCounts, FleetEntry};
pub use fleet_error::FleetError;
pub use fleet_state::{FleetPhase, FleetState};
pub use fleet_view::{FleetAdmission, FleetProposal, FleetView};
pub use machine::{BreakerEvent, BreakerMachine, BreakerOutput, BreakerSaved};
pub use metrics::{Metrics, WindowCounts};
pub use notice::{MAX_NOTICES, Notice, Notices};
pub use permit::{Outcome, Permit, RejectReason, Rejected};
pub use rate::Rate;
pub use reason::{BreakerChange, Reason};
pub use response::{Recorded, Response};
pub use restore::{BankSnapshotError, SnapshotError};
pub use state::{BreakerState, BreakerStateKind};
pub use verdict::{Speed, Verdict};
