//! How a fleet breaker reaches its store and how often it syncs.

use super::secret::{Password, redact_url};
use super::tls::{CaCertificate, ClientIdentity};
use std::fmt;
use std::time::Duration;

/// What an instance does while the store is unreachable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OutageMode {
    /// Go on with the local breaker alone (the default): the backend stays protected
    /// by what this instance sees.
    #[default]
    LocalOnly,
    /// Reject every call until the store answers again.
    FailClosed,
    /// Permit every call, ignoring the local breaker too, until the store answers.
    /// Only for callers protected elsewhere.
    FailOpen,
}

/// The store's address, credentials, namespace, timeouts and sync policy.
///
/// `Debug` never shows the password, neither the field nor one inside the URL.
#[derive(Clone)]
pub struct FleetStoreConfig {
    /// `redis://host:port/db`, or `rediss://host:port/db` for TLS. It may carry
    /// `user:password@`; [`Self::password`] and [`Self::username`] override. Over TLS
    /// the store's certificate must match the URL's host and chain to
    /// [`Self::ca_certificate`] (or, without one, to the system's roots).
    pub url: String,
    /// The CA trusted for the store's TLS certificate instead of the system's roots;
    /// only with a `rediss://` URL (with `redis://` it is a
    /// [`StoreError::Config`](super::StoreError::Config), not silently plain text).
    pub ca_certificate: Option<CaCertificate>,
    /// The certificate and key this instance shows a store that checks its clients'
    /// (mutual TLS); only with a `rediss://` URL, like [`Self::ca_certificate`].
    pub client_identity: Option<ClientIdentity>,
    /// The ACL user, if not the URL's.
    pub username: Option<String>,
    /// The password (`AUTH`), if not the URL's.
    pub password: Option<Password>,
    /// The service's key prefix: keys are `{namespace}:{backend}:state` and
    /// `{namespace}:{backend}:counts`.
    pub namespace: String,
    /// This instance's id, unique within the fleet (it owns the counters it writes).
    pub instance: u32,
    /// Longest wait for a connection.
    pub connect_timeout: Duration,
    /// Longest wait for one command's answer (each sync is one command).
    pub command_timeout: Duration,
    /// Sync after this many calls (N; at least 1)...
    pub sync_every_calls: u32,
    /// ...or once this long has passed since the last sync (T), whichever comes first.
    pub sync_interval: Duration,
    /// Keys expire this long after the last sync of any instance.
    pub key_ttl: Duration,
    /// First wait before reconnecting after a failure; doubled per failure...
    pub reconnect_min: Duration,
    /// ...up to this.
    pub reconnect_max: Duration,
    /// What to do while the store is unreachable.
    pub on_outage: OutageMode,
}

impl FleetStoreConfig {
    /// Defaults for `url`, `namespace` and `instance`: the system's roots for TLS, 100 ms to connect, 50 ms per
    /// command, sync every 10 calls or 100 ms, keys kept 10 minutes, reconnect after
    /// 100 ms doubling up to 5 s, local-only on outage.
    #[must_use]
    pub fn new(url: impl Into<String>, namespace: impl Into<String>, instance: u32) -> Self {
        Self {
            url: url.into(),
            ca_certificate: None,
            client_identity: None,
            username: None,
            password: None,
            namespace: namespace.into(),
            instance,
            connect_timeout: Duration::from_millis(100),
            command_timeout: Duration::from_millis(50),
            sync_every_calls: 10,
            sync_interval: Duration::from_millis(100),
            key_ttl: Duration::from_secs(600),
            reconnect_min: Duration::from_millis(100),
            reconnect_max: Duration::from_secs(5),
            on_outage: OutageMode::LocalOnly,
        }
    }
}

impl fmt::Debug for FleetStoreConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FleetStoreConfig")
            .field("url", &redact_url(&self.url))
            .field("ca_certificate", &self.ca_certificate)
            .field("client_identity", &self.client_identity)
            .field("username", &self.username)
            .field("password", &self.password)
            .field("namespace", &self.namespace)
            .field("instance", &self.instance)
            .field("connect_timeout", &self.connect_timeout)
            .field("command_timeout", &self.command_timeout)
            .field("sync_every_calls", &self.sync_every_calls)
            .field("sync_interval", &self.sync_interval)
            .field("key_ttl", &self.key_ttl)
            .field("reconnect_min", &self.reconnect_min)
            .field("reconnect_max", &self.reconnect_max)
            .field("on_outage", &self.on_outage)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_no_password_from_the_field_or_the_url() {
        let mut c = FleetStoreConfig::new("redis://app:s3cret-url@127.0.0.1:1", "svc", 1);
        c.password = Some(Password::new("s3cret-field"));
        let shown = format!("{c:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("127.0.0.1:1"));
    }
}
