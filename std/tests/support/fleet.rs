//! What the fleet store's tests share: a store configuration that syncs on every call
//! and gives up quickly, and calls that succeed or fail.

use std::time::Duration;

use mycel_std::CallError;
use mycel_std::redis::{FleetBreaker, FleetStoreConfig, Password};

/// Instance `instance` of a fleet under `namespace` at `url`: syncs on every call, with
/// half-second timeouts and a short reconnect backoff, so tests see outages at once.
pub fn quick_store(
    url: String,
    namespace: &str,
    instance: u32,
    password: Option<&str>,
) -> FleetStoreConfig {
    let mut c = FleetStoreConfig::new(url, namespace, instance);
    c.password = password.map(Password::new);
    c.sync_every_calls = 1;
    c.connect_timeout = Duration::from_millis(500);
    c.command_timeout = Duration::from_millis(500);
    c.reconnect_min = Duration::from_millis(10);
    c.reconnect_max = Duration::from_millis(40);
    c
}

/// A call the backend fails.
pub fn fail(b: &FleetBreaker) -> Result<(), CallError<&'static str>> {
    b.call(|| Err::<(), _>("backend down"))
}

/// A call the backend answers.
pub fn succeed(b: &FleetBreaker) -> Result<(), CallError<&'static str>> {
    b.call(|| Ok::<(), &str>(()))
}
