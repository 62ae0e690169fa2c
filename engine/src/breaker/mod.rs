//! The circuit breaker: configuration, windows, permits and the open-period sequence.

#[cfg(feature = "arbitrary")]
mod arbitrary_input;
mod backoff;
mod config;
mod count_window;
mod error;
mod jitter;
mod metrics;
mod permit;
mod rate;
#[cfg(feature = "serde")]
mod serde_opt;
mod state;
mod time_window;

pub use config::{
    BreakerConfig, CloseRule, CountWindowPolicy, HalfOpenPolicy, MaxWaitAction, OpenPolicy,
    SlowCallPolicy, TimeWindowPolicy,
};
pub use error::{BankError, ConfigError};
pub use metrics::Metrics;
pub use permit::{Outcome, Permit, RejectReason, Rejected};
pub use state::{BreakerState, BreakerStateKind};
