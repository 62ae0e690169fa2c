//! A breaker shared by a fleet of instances through Redis (cargo feature `redis`).
//!
//! [`FleetBreaker`] keeps a local breaker per instance and the fleet's view of the same
//! backend, synced through one atomic Lua script per round trip (`EVALSHA`, loaded
//! with `EVAL` when the store does not know it). The semantics (what is shared, how it
//! merges, what happens when the store fails) are in `docs/distributed.md`.
//!
//! The store may be reached over TLS (`rediss://`, rustls with the ring provider), trusting
//! the system's roots or a given [`CaCertificate`], and showing a [`ClientIdentity`] to a
//! store that checks its clients.
//!
//! Keys, per backend: `{namespace}:{backend}:state` (a hash: epoch, phase, its two
//! times, openings) and `{namespace}:{backend}:counts` (a hash of
//! `{instance}:{bucket}:{c|f|s|i|r}` counters of the state's epoch), both expiring
//! [`key_ttl`](FleetStoreConfig::key_ttl) after the latest sync.

mod codec;
mod config;
mod error;
mod fleet_breaker;
mod link;
mod secret;
mod tls;

pub use codec::{FLEET_ENTRIES, StoreView};
pub use config::{FleetStoreConfig, OutageMode};
pub use error::{StoreError, StoreValueError};
pub use fleet_breaker::FleetBreaker;
pub use link::StoreStats;
pub use secret::{Password, redact_url};
pub use tls::{CaCertificate, ClientIdentity};
