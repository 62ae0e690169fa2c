//! The fleet store over TLS (`rediss://`) against a real, TLS-only `redis-server`
//! (`--port 0 --tls-port`), with a CA and a server certificate made by the test.
//! Without `redis-server`, or with one built without TLS, every test says so and checks
//! nothing (CI installs Debian's, which has TLS).

use mycel::breaker::{BreakerConfig, BreakerStateKind, TimeWindowPolicy};
use mycel::time::Duration as Ticks;
use mycel_std::CallError;
use mycel_std::redis::{
    CaCertificate, ClientIdentity, FleetBreaker, FleetStoreConfig, Password, StoreError,
};
use std::time::Duration;

mod support;
use support::fleet::{fail, quick_store, succeed};
use support::redis_server::{Server, TestCertificates, redis_server_has_tls};

const PASSWORD: &str = "tls-fleet-secret-pw";

/// Opens when half the calls of the last 10 s fail, from 4 calls. Open for a minute.
fn breaker_config() -> BreakerConfig {
    let mut config = BreakerConfig::consecutive(5, Ticks::from_secs(60), 1);
    config.time_window = Some(TimeWindowPolicy {
        bucket_width: Ticks::from_secs(1),
        buckets: 10,
        failure_rate_percent: 50,
        minimum_calls: 4,
    });
    config
}

/// Instance `instance` of a fleet reaching `server` at `url`, with its password,
/// trusting `ca`.
fn store(
    server: &Server,
    url: String,
    instance: u32,
    ca: Option<CaCertificate>,
) -> FleetStoreConfig {
    let mut c = quick_store(url, "shop", instance, server.password.as_deref());
    c.ca_certificate = ca;
    c
}

/// Asserts that nothing shown of `error` holds the password.
fn shows_no_password(error: &StoreError) {
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(PASSWORD), "{shown}");
}

#[test]
fn two_tls_clients_trusting_the_test_ca_share_one_breaker() {
    if !redis_server_has_tls() {
        return;
    }
    let certificates = TestCertificates::generate();
    let server = Server::start_tls(Some(PASSWORD), &certificates);
    // One trusts the CA from its file, the other from PEM bytes.
    let from_file = store(
        &server,
        server.url(),
        1,
        Some(CaCertificate::PemFile(certificates.ca_file())),
    );
    let from_pem = store(
        &server,
        server.url(),
        2,
        Some(CaCertificate::Pem(certificates.ca_pem.clone().into_bytes())),
    );
    assert!(!format!("{from_file:?}{from_pem:?}").contains(PASSWORD));
    let a = FleetBreaker::new("payments", breaker_config(), from_file).unwrap();
    let b = FleetBreaker::new("payments", breaker_config(), from_pem).unwrap();
    assert!(succeed(&b).is_ok());
    b.sync_now().expect("B reaches the store over TLS");
    // Half of the fleet's 4 calls fail: the fleet opens, though neither local breaker
    // has seen its minimum of calls.
    assert!(succeed(&a).is_ok());
    for _ in 0..2 {
        assert!(matches!(fail(&a), Err(CallError::Inner(_))));
    }
    assert_eq!(a.fleet_state().phase.kind(), BreakerStateKind::Open);
    let rejected = succeed(&b).expect_err("the fleet is open");
    assert_eq!(
        rejected.rejection().expect("a rejection").state,
        BreakerStateKind::Open
    );
    assert_eq!(b.local().state(), BreakerStateKind::Closed);
    assert_eq!(a.store_stats().failed_syncs, 0);
    assert_eq!(b.store_stats().failed_syncs, 0);

    // The password in the URL works over TLS too, and is not shown either.
    let mut in_url = store(
        &server,
        format!("rediss://:{PASSWORD}@127.0.0.1:{}/0", server.port),
        3,
        Some(CaCertificate::PemFile(certificates.ca_file())),
    );
    in_url.password = None;
    assert!(!format!("{in_url:?}").contains(PASSWORD));
    let c = FleetBreaker::new("payments", breaker_config(), in_url).unwrap();
    c.sync_now().expect("the URL's password over TLS");
    assert_eq!(c.fleet_state(), a.fleet_state());
}

#[test]
fn a_plain_client_against_the_tls_port_fails_with_a_clear_error() {
    if !redis_server_has_tls() {
        return;
    }
    let certificates = TestCertificates::generate();
    let server = Server::start_tls(Some(PASSWORD), &certificates);
    let plain_url = format!("redis://:{PASSWORD}@127.0.0.1:{}/0", server.port);
    let plain = FleetBreaker::new(
        "payments",
        breaker_config(),
        store(&server, plain_url, 1, None),
    )
    .unwrap();
    let error = plain.sync_now().expect_err("the store speaks only TLS");
    shows_no_password(&error);
    assert!(error.is_outage(), "{error:?}");
    assert!(error.to_string().contains("rediss://"), "{error}");
    // Refused by the store, the instance still protects and serves with its local breaker.
    assert!(succeed(&plain).is_ok());
    assert_eq!(plain.store_stats().outages, 1);
}

#[test]
fn a_tls_client_refuses_a_store_whose_certificate_it_does_not_trust() {
    if !redis_server_has_tls() {
        return;
    }
    let certificates = TestCertificates::generate();
    let server = Server::start_tls(Some(PASSWORD), &certificates);
    // Another CA than the one that signed the store's certificate.
    let stranger = TestCertificates::generate();
    let distrusting = FleetBreaker::new(
        "payments",
        breaker_config(),
        store(
            &server,
            server.url(),
            1,
            Some(CaCertificate::Pem(stranger.ca_pem.clone().into_bytes())),
        ),
    )
    .unwrap();
    let error = distrusting
        .sync_now()
        .expect_err("an untrusted certificate");
    shows_no_password(&error);
    assert!(matches!(error, StoreError::Tls(_)), "{error:?}");
    assert!(error.to_string().contains("certificate"), "{error}");

    // A wrong password over TLS is an authentication error, and is not shown.
    let mut wrong = store(
        &server,
        server.url(),
        2,
        Some(CaCertificate::PemFile(certificates.ca_file())),
    );
    wrong.password = Some(Password::new("not-the-tls-pw-42"));
    let wrong = FleetBreaker::new("payments", breaker_config(), wrong).unwrap();
    let error = wrong.sync_now().expect_err("a wrong password");
    assert!(matches!(error, StoreError::Auth(_)), "{error:?}");
    assert!(!format!("{error}{error:?}").contains("not-the-tls-pw-42"));
}

#[test]
fn a_tls_client_against_a_plain_store_fails_with_a_clear_error() {
    if !redis_server_has_tls() {
        return;
    }
    let certificates = TestCertificates::generate();
    let server = Server::start(Some(PASSWORD));
    let tls_url = format!("rediss://:{PASSWORD}@127.0.0.1:{}/0", server.port);
    let tls = FleetBreaker::new(
        "payments",
        breaker_config(),
        store(
            &server,
            tls_url,
            1,
            Some(CaCertificate::PemFile(certificates.ca_file())),
        ),
    )
    .unwrap();
    // The plain store waits for the rest of what it takes for a command: a silence,
    // which the client cannot tell from a slow store.
    let error = tls.sync_now().expect_err("the store does not speak TLS");
    shows_no_password(&error);
    assert_eq!(error, StoreError::Timeout);
    assert!(succeed(&tls).is_ok());
}

#[test]
fn a_store_that_checks_client_certificates_admits_only_the_instance_that_shows_one() {
    if !redis_server_has_tls() {
        return;
    }
    let certificates = TestCertificates::generate();
    let server = Server::start_mutual_tls(Some(PASSWORD), &certificates);
    let ca = || Some(CaCertificate::PemFile(certificates.ca_file()));

    let anonymous = FleetBreaker::new(
        "payments",
        breaker_config(),
        store(&server, server.url(), 1, ca()),
    )
    .unwrap();
    let error = anonymous.sync_now().expect_err("no client certificate");
    shows_no_password(&error);
    assert!(matches!(error, StoreError::Tls(_)), "{error:?}");
    assert!(succeed(&anonymous).is_ok(), "it still serves, locally");

    let mut with_identity = store(&server, server.url(), 2, ca());
    with_identity.client_identity = Some(ClientIdentity::new(
        certificates.client_certificate_pem.clone(),
        certificates.client_key_pem.clone(),
    ));
    let shown = format!("{with_identity:?}");
    assert!(!shown.contains(PASSWORD), "{shown}");
    assert!(!shown.contains("PRIVATE KEY"), "{shown}");
    let admitted = FleetBreaker::new("payments", breaker_config(), with_identity).unwrap();
    admitted
        .sync_now()
        .expect("a client certificate signed by the CA");
    assert_eq!(admitted.store_stats().failed_syncs, 0);
}

#[test]
fn over_tls_a_killed_store_leaves_the_local_breaker_and_a_restarted_one_is_rejoined() {
    if !redis_server_has_tls() {
        return;
    }
    let certificates = TestCertificates::generate();
    let mut server = Server::start_tls(Some(PASSWORD), &certificates);
    let ca = || Some(CaCertificate::PemFile(certificates.ca_file()));
    let a = FleetBreaker::new(
        "ledger",
        breaker_config(),
        store(&server, server.url(), 1, ca()),
    )
    .unwrap();
    a.sync_now().expect("the store over TLS");

    server.kill();
    assert!(succeed(&a).is_ok(), "served by the local breaker");
    assert!(a.sync_now().is_err());
    assert_eq!(a.store_stats().outages, 1);

    server.spawn();
    // A new connection, a new handshake: the reconnect waits out a short backoff.
    let rejoined = (0..200).any(|_| {
        std::thread::sleep(Duration::from_millis(10));
        a.sync_now().is_ok()
    });
    assert!(rejoined, "never rejoined: {:?}", a.sync_now());
    assert_eq!(a.store_stats().outages, 1, "one outage, counted once");
}
