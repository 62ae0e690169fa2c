//! The [mycel] circuit breaker for std and async services.
//!
//! The engine's breaker is `no_std`, allocation-free and takes `now` on every call;
//! this crate gives it what a service needs around it:
//!
//! - [`StdClock`]: the monotonic std clock mapped onto the engine's instants (and
//!   [`ManualClock`] for deterministic tests, [`TscClock`] for a cheaper `now`);
//! - [`SharedBreaker`]: one breaker shared by threads and tasks (`Send + Sync`,
//!   cheap to clone), with [`call`](SharedBreaker::call) for sync code and
//!   [`call_async`](SharedBreaker::call_async) for async code, both safe against
//!   panics and cancellation: a permit is always given back;
//! - [`SharedBank`]: the same for many backends, one breaker per key;
//! - [`ExclusiveBreaker`]: one breaker held by value and called through `&mut self`
//!   (one per connection, an actor's state), and [`LocalBreaker`]: one breaker used by
//!   one thread through `&self`; no lock, on a [`RecentClock`] (one atomic load a
//!   read, a millisecond's precision): a call in CLOSED costs about 1.3x the engine's
//!   own `try_acquire` + `record` on the same clock (`std/README.md`);
//! - [`SharedBreaker::subscribe`]: listeners for every [`Event`] (state transition,
//!   reset, rate exceeded, not permitted, success, error, ignored), serializable;
//! - [`BreakerCollector`]: an OpenMetrics exposition with `prometheus-client`, and
//!   [`report_to_metrics`] for the `metrics` facade, labelled by breaker name;
//! - [`BreakerSettings`]: the configuration as people write it, durations as `"5s"`;
//! - [`Classify`]: which results are failures, which are ignored, and whether a call
//!   was slow (a [`Verdict`]), or the breaker's clock decides;
//! - [`CallError`]: a [`Rejection`] (state, retry-after) told apart from the call's
//!   own error;
//! - [`CircuitBreakerLayer`]: a `tower` middleware whose response future owns the
//!   permit.
//! - `redis::FleetBreaker` (cargo feature `redis`): one breaker per backend shared by a
//!   fleet of instances through Redis, each keeping its local breaker when the store
//!   fails (`docs/distributed.md`).
//!
//! # A sync call
//!
//! ```
//! # use mycel::{breaker::BreakerConfig, time::Duration};
//! # fn fetch() -> Result<u32, std::io::Error> { Ok(7) }
//! let config = BreakerConfig::consecutive(5, Duration::from_secs(10), 2);
//! let breaker = mycel_std::SharedBreaker::new("inventory", config)?;
//! match breaker.call(|| fetch()) {
//!     Ok(stock) => println!("{stock} in stock"),
//!     Err(e) => eprintln!("{e}"), // a rejection or fetch's own error
//! }
//! # Ok::<(), mycel::breaker::ConfigError>(())
//! ```
//!
//! # An async call
//!
//! ```
//! # use mycel::{breaker::BreakerConfig, time::Duration};
//! # async fn fetch() -> Result<u32, std::io::Error> { Ok(7) }
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let config = BreakerConfig::consecutive(5, Duration::from_secs(10), 2);
//! let breaker = mycel_std::SharedBreaker::new("inventory", config)?;
//! let stock = breaker.call_async(fetch()).await?; // dropped mid-call: recorded as ignored
//! assert_eq!(stock, 7);
//! # Ok(())
//! # }
//! ```
//!
//! # A call on a breaker of one's own
//!
//! ```
//! # use mycel::{breaker::BreakerConfig, time::Duration};
//! # fn fetch() -> Result<u32, std::io::Error> { Ok(7) }
//! let config = BreakerConfig::consecutive(5, Duration::from_secs(10), 2);
//! let mut breaker = mycel_std::ExclusiveBreaker::new("inventory", config)?;
//! let stock = breaker.call(|| fetch()); // `&mut self`: no lock, no borrow flag
//! assert_eq!(stock.ok(), Some(7));
//! # Ok::<(), mycel::breaker::ConfigError>(())
//! ```
//!
//! # Classifying results
//!
//! A classifier returns an [`Outcome`](mycel::breaker::Outcome) (the breaker then times
//! the call against its slow-call threshold) or a [`Verdict`] that also says whether
//! the call was slow. Here a reply served from the backend's degraded path counts as
//! slow however quick it was, and a client error says nothing about the backend:
//!
//! ```
//! # use mycel::breaker::{BreakerConfig, CountWindowPolicy, Outcome, SlowCallPolicy};
//! # use mycel::time::Duration;
//! # struct Reply { degraded: bool }
//! # #[derive(Debug)] enum Error { BadRequest, Unavailable }
//! # fn search() -> Result<Reply, Error> { Ok(Reply { degraded: true }) }
//! # let config = BreakerConfig::consecutive(5, Duration::from_secs(10), 2)
//! #     .with_count_window(CountWindowPolicy { size: 10, failure_rate_percent: 50, minimum_calls: 1 })
//! #     .with_slow_calls(SlowCallPolicy { threshold: Duration::from_millis(500), rate_percent: 50 });
//! # let breaker = mycel_std::SharedBreaker::new("search", config)?;
//! use mycel_std::Verdict;
//! let classify = |result: &Result<Reply, Error>| match result {
//!     Ok(reply) if reply.degraded => Verdict::slow(Outcome::Success),
//!     Ok(_) => Verdict::timed(Outcome::Success),
//!     Err(Error::BadRequest) => Verdict::timed(Outcome::Ignored),
//!     Err(Error::Unavailable) => Verdict::timed(Outcome::Failure),
//! };
//! let _ = breaker.call_classified(&classify, || search());
//! assert_eq!(breaker.metrics().slow, 1);
//! # Ok::<(), mycel::breaker::ConfigError>(())
//! ```
//!
//! A verdict on slowness counts only when the breaker has a slow-call policy, for a
//! success or a failure (never an ignored call). [`SharedBank`], the tower layer
//! ([`CircuitBreakerLayer::with_classifier`]) and `redis::FleetBreaker` take the same
//! classifiers.
//!
//! # A tower service
//!
//! ```
//! # use mycel::{breaker::BreakerConfig, time::Duration};
//! # use tower::{ServiceBuilder, ServiceExt, service_fn};
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let breaker = mycel_std::SharedBreaker::new("search", BreakerConfig::consecutive(5, Duration::from_secs(10), 2))?;
//! let search = ServiceBuilder::new()
//!     .layer(mycel_std::CircuitBreakerLayer::new(breaker))
//!     .service(service_fn(|q: &'static str| async move { Ok::<_, std::io::Error>(q.len()) }));
//! assert_eq!(search.oneshot("mycel").await?, 5);
//! # Ok(())
//! # }
//! ```
//!
//! # `/metrics`
//!
//! ```
//! # use mycel::{breaker::BreakerConfig, time::Duration};
//! # let payments = mycel_std::SharedBreaker::new("payments", BreakerConfig::consecutive(5, Duration::from_secs(10), 2))?;
//! let collector = mycel_std::BreakerCollector::new();
//! collector.add(&payments);
//! let mut registry = prometheus_client::registry::Registry::default();
//! registry.register_collector(Box::new(collector));
//! let mut text = String::new(); // the body of GET /metrics
//! prometheus_client::encoding::text::encode(&mut text, &registry)?;
//! assert!(text.contains(r#"mycel_breaker_failures_total{breaker="payments"} 0"#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The `metrics_server` example serves it over HTTP on 127.0.0.1.

mod classify;
mod clock;
mod config_file;
mod error;
mod exclusive_breaker;
mod listeners;
mod local_breaker;
mod metrics_facade;
mod permit_guard;
mod prometheus;
mod publish;
mod recent_clock;
#[cfg(feature = "redis")]
pub mod redis;
mod shared_bank;
mod shared_breaker;
mod tower;
mod tsc_clock;

pub use classify::{Classify, ErrorsAreFailures};
pub use clock::{Clock, ManualClock, StdClock, std_duration, ticks_since_origin};
pub use config_file::{
    BreakerSettings, ConfigDuration, HalfOpenSettings, OpenSettings, SlowCallSettings,
    TimeWindowSettings,
};
pub use error::{CallError, Rejection};
pub use exclusive_breaker::{ExclusiveBreaker, ExclusivePermit};
pub use listeners::{Event, ListenerId};
pub use local_breaker::{LocalBreaker, LocalPermit};
pub use metrics_facade::{report_to_metrics, state_code};
/// The verdict a [`Classify`] returns, from the engine.
pub use mycel::breaker::{Speed, Verdict};
pub use permit_guard::{OwnedPermit, PermitGuard};
pub use prometheus::BreakerCollector;
pub use recent_clock::{RECENT_CLOCK_PRECISION, RecentClock};
pub use shared_bank::{BankCallError, SharedBank};
pub use shared_breaker::{SharedBreaker, ViewCounts};
pub use tower::{CircuitBreakerLayer, CircuitBreakerService, ResponseFuture};
pub use tsc_clock::TscClock;

// The workspace README's examples run as doc tests here: this is the crate whose
// dependencies cover all of them.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct WorkspaceReadmeDoctests;
