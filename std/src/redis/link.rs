//! One connection to the store: connect and command timeouts, reconnects with backoff,
//! the sync script, and counts of what failed.

use super::codec::{self, MAX_COUNT_FIELDS, StoreView, SyncReply};
use super::config::FleetStoreConfig;
use super::error::StoreError;
use super::tls::{CaCertificate, ensure_crypto_provider};
use mycel::breaker::FleetState;
use redis::{ErrorKind, IntoConnectionInfo, RedisError};
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

/// The sync script (`sync.lua`): run by `EVALSHA`, loaded by `EVAL` when the store does
/// not know it yet.
const SYNC_SCRIPT: &str = include_str!("sync.lua");

/// What a store-backed breaker counted about its store; every count only grows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StoreStats {
    /// Syncs that completed and were merged.
    pub syncs: u64,
    /// Syncs that failed because the store was unreachable, slow, refused us or failed.
    pub failed_syncs: u64,
    /// Outages: times the store went from answering to failing.
    pub outages: u64,
    /// Values read from the store and ignored as malformed, oversized or impossible.
    pub invalid_values: u64,
    /// Syncs skipped because another thread of this instance was syncing.
    pub skipped_syncs: u64,
}

#[derive(Default)]
struct Counters {
    syncs: AtomicU64,
    failed_syncs: AtomicU64,
    outages: AtomicU64,
    invalid_values: AtomicU64,
    skipped_syncs: AtomicU64,
}

/// The connection and the reconnect schedule.
struct Connection {
    conn: Option<redis::Connection>,
    /// Consecutive failures: the reconnect wait doubles with each.
    failures: u32,
    /// No reconnect before this.
    retry_at: Option<Instant>,
}

/// The PEM of `ca`, checked to hold at least one certificate: an empty trust store
/// would fail every handshake later with a less telling error.
fn ca_pem(ca: &CaCertificate) -> Result<Vec<u8>, RedisError> {
    let pem = ca
        .pem()
        .map_err(|m| RedisError::from((ErrorKind::InvalidClientConfig, "CA certificate", m)))?;
    if CertificateDer::pem_slice_iter(&pem).next().is_none() {
        return Err(RedisError::from((
            ErrorKind::InvalidClientConfig,
            "the CA certificate holds no PEM certificate",
        )));
    }
    Ok(pem)
}

/// The kind of the I/O error behind `e`, if it is one (rustls reports a refused
/// certificate or a garbled handshake as `InvalidData`).
fn io_kind(e: &RedisError) -> Option<std::io::ErrorKind> {
    type Shared = std::sync::Arc<dyn std::error::Error + Send + Sync>;
    let source = std::error::Error::source(e)?;
    // The redis crate keeps its inner error behind an `Arc`.
    let inner: &(dyn std::error::Error + 'static) = match source.downcast_ref::<Shared>() {
        Some(shared) => shared.as_ref(),
        None => source,
    };
    inner
        .downcast_ref::<std::io::Error>()
        .map(std::io::Error::kind)
}

/// The store, for one backend's breaker.
pub(crate) struct StoreLink {
    name: String,
    config: FleetStoreConfig,
    client: Result<redis::Client, StoreError>,
    /// Whether the URL is `rediss://`: the first command of a connection then also
    /// carries the TLS handshake.
    tls: bool,
    /// Passwords to scrub from any message (the configured one and the URL's).
    secrets: Vec<String>,
    connection: Mutex<Connection>,
    script: redis::Script,
    state_key: String,
    counts_key: String,
    counters: Counters,
    /// Whether the latest sync attempt reached the store: read without the connection's
    /// lock, so no caller waits for another thread's sync to learn it.
    up: AtomicBool,
}

fn bump(c: &AtomicU64) {
    c.fetch_add(1, Ordering::Relaxed);
}

impl StoreLink {
    /// A link for backend `name`; it connects on the first sync.
    pub(crate) fn new(name: &str, config: FleetStoreConfig) -> Self {
        let mut secrets = Vec::new();
        if let Some(p) = &config.password {
            secrets.push(p.expose().to_owned());
        }
        let mut tls = false;
        let client =
            config.url.as_str().into_connection_info().and_then(|info| {
                if let Some(p) = info.redis_settings().password() {
                    secrets.push(p.to_owned());
                }
                let mut redis = info.redis_settings().clone();
                if let Some(user) = &config.username {
                    redis = redis.set_username(user);
                }
                if let Some(password) = &config.password {
                    redis = redis.set_password(password.expose());
                }
                let info = info.set_redis_settings(redis);
                tls = matches!(info.addr(), redis::ConnectionAddr::TcpTls { .. });
                if tls {
                    ensure_crypto_provider();
                }
                let wants_tls = config.ca_certificate.is_some() || config.client_identity.is_some();
                match (wants_tls, tls) {
                    (false, _) => redis::Client::open(info),
                    (true, false) => Err(RedisError::from((
                        ErrorKind::InvalidClientConfig,
                        "TLS certificates are configured but the URL is not rediss:// (TLS)",
                    ))),
                    (true, true) => {
                        let root_cert = match &config.ca_certificate {
                            Some(ca) => Some(ca_pem(ca)?),
                            None => None,
                        };
                        let client_tls = config.client_identity.as_ref().map(|identity| {
                            redis::ClientTlsConfig {
                                client_cert: identity.certificate_pem.clone(),
                                client_key: identity.key_pem().to_vec(),
                            }
                        });
                        redis::Client::build_with_tls(
                            info,
                            redis::TlsCertificates {
                                client_tls,
                                root_cert,
                            },
                        )
                    }
                }
            });
        let mut link = Self {
            name: name.to_owned(),
            state_key: format!("{}:{name}:state", config.namespace),
            counts_key: format!("{}:{name}:counts", config.namespace),
            config,
            client: Err(StoreError::Backoff),
            tls,
            secrets,
            connection: Mutex::new(Connection {
                conn: None,
                failures: 0,
                retry_at: None,
            }),
            script: redis::Script::new(SYNC_SCRIPT),
            counters: Counters::default(),
            up: AtomicBool::new(false),
        };
        link.client = client.map_err(|e| match link.classify(&e) {
            StoreError::Unreachable(m) | StoreError::Command(m) => StoreError::Config(m),
            other => other,
        });
        link
    }

    /// The store's keys for this backend: the state hash and the counts hash.
    pub(crate) fn keys(&self) -> (&str, &str) {
        (&self.state_key, &self.counts_key)
    }

    /// What this link counted so far.
    pub(crate) fn stats(&self) -> StoreStats {
        let c = &self.counters;
        StoreStats {
            syncs: c.syncs.load(Ordering::Relaxed),
            failed_syncs: c.failed_syncs.load(Ordering::Relaxed),
            outages: c.outages.load(Ordering::Relaxed),
            invalid_values: c.invalid_values.load(Ordering::Relaxed),
            skipped_syncs: c.skipped_syncs.load(Ordering::Relaxed),
        }
    }

    fn scrub(&self, message: String) -> String {
        self.secrets
            .iter()
            .filter(|s| !s.is_empty())
            .fold(message, |m, s| m.replace(s.as_str(), "<redacted>"))
    }

    fn classify(&self, e: &RedisError) -> StoreError {
        let message = self.scrub(e.to_string());
        let code = e.code().unwrap_or("");
        if e.is_timeout() {
            StoreError::Timeout
        } else if e.kind() == ErrorKind::AuthenticationFailed
            || matches!(code, "NOAUTH" | "WRONGPASS" | "NOPERM")
            || message.contains("unauthenticated")
        {
            StoreError::Auth(message)
        } else if e.kind() == ErrorKind::InvalidClientConfig {
            StoreError::Config(message)
        } else if e.is_io_error() || e.is_connection_dropped() || e.is_connection_refusal() {
            StoreError::Unreachable(message)
        } else {
            StoreError::Command(message)
        }
    }

    /// Classifies a failure to set a connection up: the TCP connection, then the TLS
    /// handshake and the first command (`AUTH` when there is a password, else our
    /// `PING`). A connection made and then dropped most likely means TLS on one side
    /// only, and a TLS error is a certificate refused (by either side): the error says
    /// so. Anything else (refused, no route, a silence) is classified as usual; a
    /// silence cannot be told from a slow store.
    fn classify_setup(&self, e: &RedisError) -> StoreError {
        use std::io::ErrorKind as Io;
        let dropped = matches!(
            io_kind(e),
            Some(Io::ConnectionReset | Io::ConnectionAborted | Io::BrokenPipe | Io::UnexpectedEof)
        );
        let tls_error = io_kind(e) == Some(Io::InvalidData);
        match self.classify(e) {
            StoreError::Unreachable(m) if self.tls && (dropped || tls_error) => StoreError::Tls(m),
            StoreError::Unreachable(m) if dropped => StoreError::Unreachable(format!(
                "{m} (the store closed the connection before answering: \
                 if it serves TLS only, use a rediss:// URL)"
            )),
            other => other,
        }
    }

    /// Records a failure: drops the connection, schedules the reconnect, and logs and
    /// counts the outage when the store was answering until now.
    fn failed(&self, connection: &mut Connection, error: &StoreError) {
        connection.conn = None;
        if connection.failures == 0 {
            bump(&self.counters.outages);
            log::warn!(
                "breaker {}: fleet store unavailable ({error}); going on with the local breaker",
                self.name
            );
        }
        connection.failures = connection.failures.saturating_add(1);
        let shift = connection.failures.saturating_sub(1).min(16);
        let wait = self
            .config
            .reconnect_min
            .saturating_mul(1 << shift)
            .min(self.config.reconnect_max);
        connection.retry_at = Instant::now().checked_add(wait);
    }

    /// Whether the latest attempt reached the store and read a usable value.
    pub(crate) fn is_up(&self) -> bool {
        self.up.load(Ordering::Relaxed)
    }

    /// One sync: pushes `view`'s counters of `instance` and its state (and, with
    /// `proposal`, a compare-and-set from `view`'s epoch to it) and reads the store's
    /// view back. `Ok(None)` when another thread is syncing right now (nothing waits
    /// for it). Takes at most the connect timeout plus the command timeout.
    ///
    /// With `probe = Some((max_permits, bucket))` it also asks for one probe: granted
    /// (and counted as issued by `instance` in `bucket`) only if the fleet has fewer
    /// than `max_permits` probes outstanding, in the same atomic step.
    ///
    /// # Errors
    /// [`StoreError`]: an outage (counted and logged once, reconnect after a backoff)
    /// or a value that was ignored (counted).
    pub(crate) fn sync(
        &self,
        view: &StoreView,
        instance: u32,
        proposal: Option<&FleetState>,
        probe: Option<(u16, u64)>,
    ) -> Result<Option<SyncReply>, StoreError> {
        let mut connection = match self.connection.try_lock() {
            Ok(c) => c,
            Err(std::sync::TryLockError::Poisoned(p)) => p.into_inner(),
            Err(std::sync::TryLockError::WouldBlock) => {
                bump(&self.counters.skipped_syncs);
                return Ok(None);
            }
        };
        let result = self.sync_locked(&mut connection, view, instance, proposal, probe);
        match &result {
            Ok(_) => {
                self.up.store(true, Ordering::Relaxed);
                bump(&self.counters.syncs);
                if connection.failures > 0 {
                    log::info!(
                        "breaker {}: fleet store back; rejoining the fleet",
                        self.name
                    );
                }
                connection.failures = 0;
                connection.retry_at = None;
            }
            Err(StoreError::Invalid(e)) => {
                // Reachable but unusable: the instance goes on with its local breaker,
                // as in an outage, so a hostile value can hold no fleet view in place.
                self.up.store(false, Ordering::Relaxed);
                bump(&self.counters.invalid_values);
                log::warn!(
                    "breaker {}: ignored a value in the fleet store: {e}",
                    self.name
                );
            }
            Err(StoreError::Backoff) => {}
            Err(e) => {
                self.up.store(false, Ordering::Relaxed);
                bump(&self.counters.failed_syncs);
                let e = e.clone();
                self.failed(&mut connection, &e);
            }
        }
        result.map(Some)
    }

    fn sync_locked(
        &self,
        connection: &mut Connection,
        view: &StoreView,
        instance: u32,
        proposal: Option<&FleetState>,
        probe: Option<(u16, u64)>,
    ) -> Result<SyncReply, StoreError> {
        if connection.conn.is_none() {
            if connection.retry_at.is_some_and(|at| Instant::now() < at) {
                return Err(StoreError::Backoff);
            }
            let client = self.client.as_ref().map_err(Clone::clone)?;
            let conn = client
                .get_connection_with_timeout(self.config.connect_timeout)
                .map_err(|e| self.classify_setup(&e))?;
            let timeout = Some(self.config.command_timeout);
            let mut conn = conn;
            conn.set_read_timeout(timeout)
                .and_then(|()| conn.set_write_timeout(timeout))
                .map_err(|e| self.classify(&e))?;
            // A store that wants a password says so clearly to a PING (`NOAUTH`); to a
            // long script call it only answers with a protocol error.
            redis::cmd("PING")
                .query::<()>(&mut conn)
                .map_err(|e| self.classify_setup(&e))?;
            connection.conn = Some(conn);
        }
        let Some(conn) = connection.conn.as_mut() else {
            return Err(StoreError::Backoff);
        };
        let state = view.state();
        let ttl = u64::try_from(self.config.key_ttl.as_millis())
            .unwrap_or(u64::MAX)
            .max(1);
        let mut invocation = self.script.key(&self.state_key);
        invocation
            .key(&self.counts_key)
            .arg(state.epoch)
            .arg(ttl)
            .arg(MAX_COUNT_FIELDS);
        for a in codec::state_args(state) {
            invocation.arg(a);
        }
        match proposal {
            Some(next) => {
                invocation.arg("1").arg(next.epoch);
                for a in codec::state_args(next) {
                    invocation.arg(a);
                }
            }
            None => {
                invocation.arg("0").arg(0).arg(0).arg(0).arg(0).arg(0);
            }
        }
        match probe {
            Some((most, bucket)) => invocation
                .arg(most)
                .arg(codec::issued_field(instance, bucket)),
            None => invocation.arg(0).arg(""),
        };
        for (field, value) in codec::count_args(view, instance) {
            invocation.arg(field).arg(value);
        }
        let reply: redis::Value = invocation.invoke(conn).map_err(|e| self.classify(&e))?;
        Ok(codec::decode_reply(&reply)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::redis::{CaCertificate, ClientIdentity, Password};

    fn config_error(config: FleetStoreConfig) -> String {
        let link = StoreLink::new("db", config);
        match link.sync(&StoreView::new(), 1, None, None) {
            Err(StoreError::Config(m)) => m,
            other => panic!("expected a configuration error, got {other:?}"),
        }
    }

    #[test]
    fn an_unusable_url_or_ca_is_a_config_error_that_shows_no_password() {
        let tls = |ca: Option<CaCertificate>| {
            let mut c = FleetStoreConfig::new("rediss://app:pw-in-url@cache:6380", "svc", 1);
            c.password = Some(Password::new("pw-in-field"));
            c.ca_certificate = ca;
            c
        };
        let missing = config_error(tls(Some(CaCertificate::PemFile(
            "/nonexistent/ca.pem".into(),
        ))));
        assert!(missing.contains("/nonexistent/ca.pem"), "{missing}");
        let empty = config_error(tls(Some(CaCertificate::Pem(b"no certificate".to_vec()))));
        assert!(empty.contains("no PEM certificate"), "{empty}");
        let mut plain = tls(Some(CaCertificate::Pem(Vec::new())));
        plain.url = "redis://:pw-in-url@cache:6379".into();
        let plain = config_error(plain);
        assert!(plain.contains("not rediss://"), "{plain}");
        let mut bad_key = tls(None);
        bad_key.client_identity = Some(ClientIdentity::new(
            b"no certificate".to_vec(),
            b"not a key: pw-in-key".to_vec(),
        ));
        let bad_key = config_error(bad_key);
        assert!(!bad_key.contains("pw-in-key"), "{bad_key}");
        for message in [missing, empty, plain, bad_key] {
            assert!(!message.contains("pw-in"), "{message}");
        }
        assert!(!config_error(FleetStoreConfig::new("not a url", "svc", 1)).is_empty());
    }

    #[test]
    fn an_unreachable_store_is_one_outage_then_a_backoff() {
        // Port 1 on the loopback refuses at once.
        let mut config = FleetStoreConfig::new("redis://127.0.0.1:1", "svc", 1);
        config.reconnect_min = std::time::Duration::from_secs(60);
        let link = StoreLink::new("db", config);
        let first = link
            .sync(&StoreView::new(), 1, None, None)
            .expect_err("refused");
        assert!(first.is_outage());
        assert_eq!(
            link.sync(&StoreView::new(), 1, None, None).err(),
            Some(StoreError::Backoff)
        );
        let stats = link.stats();
        assert_eq!((stats.outages, stats.failed_syncs), (1, 1));
        assert!(!link.is_up());
        // Refused before any handshake: unreachable over TLS too, not a TLS error.
        let tls = StoreLink::new(
            "db",
            FleetStoreConfig::new("rediss://127.0.0.1:1", "svc", 1),
        );
        let refused = tls.sync(&StoreView::new(), 1, None, None);
        assert!(
            matches!(refused, Err(StoreError::Unreachable(_))),
            "{refused:?}"
        );
    }
}
