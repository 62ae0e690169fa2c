//! The circuit breaker guarding the backend, and its configuration.
//!
//! Three failures in a row open it for 5 s; each reopen straight from HALF_OPEN (a
//! failed probe) doubles the period, up to a minute; HALF_OPEN lets one probe through
//! at a time and closes after two successful probes.

use mycel::breaker::{BreakerConfig, CircuitBreaker, HalfOpenPolicy, OpenPolicy};
use mycel::time::Duration;

/// The breaker type. Only the consecutive-failure policy is configured, so the count
/// and time windows get no capacity at all (a configuration asking for one would be
/// refused by validation), which keeps their code and state out of the firmware.
pub type PipelineBreaker = CircuitBreaker<0, 0>;

/// Failures in a row that open the breaker.
pub const TRIP_AFTER: u32 = 3;
/// The first open period.
pub const OPEN_BASE: Duration = Duration::from_secs(5);
/// Growth of the open period on each reopen from HALF_OPEN, in percent.
pub const OPEN_GROWTH_PERCENT: u32 = 200;
/// The longest open period.
pub const OPEN_CAP: Duration = Duration::from_secs(60);
/// Probes admitted at once in HALF_OPEN (`P`).
pub const PROBES_AT_ONCE: u16 = 1;
/// Successful probes that close the breaker (`S`).
pub const CLOSE_AFTER: u16 = 2;

/// The breaker's configuration, from the constants above.
pub const CONFIG: BreakerConfig = BreakerConfig::consecutive(TRIP_AFTER, OPEN_BASE, CLOSE_AFTER)
    .with_open(OpenPolicy::exponential(
        OPEN_BASE,
        OPEN_GROWTH_PERCENT,
        OPEN_CAP,
    ))
    .with_half_open(HalfOpenPolicy::after_successes(PROBES_AT_ONCE, CLOSE_AFTER));
