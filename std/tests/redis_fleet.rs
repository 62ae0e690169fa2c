//! The fleet store against a real `redis-server`, started by each test on a free
//! 127.0.0.1 port and stopped at its end (`support::redis_server`). Without
//! `redis-server` installed, every test says so and checks nothing (CI installs it).

use mycel::breaker::{BreakerConfig, BreakerStateKind, Outcome, TimeWindowPolicy};
use mycel::time::Duration as Ticks;
use mycel_std::redis::{FleetBreaker, FleetStoreConfig, Password, StoreError, StoreValueError};
use mycel_std::{CallError, Verdict};
use std::time::Duration;

mod support;
use support::fleet::{fail, quick_store, succeed};
use support::redis_server::{Server, redis_server_installed};

/// Opens when half the calls of the last 10 s fail, from 4 calls; or after 5 failures
/// in a row. Open for a minute: no test here waits for it.
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

fn store(server: &Server, instance: u32, namespace: &str) -> FleetStoreConfig {
    quick_store(
        server.url(),
        namespace,
        instance,
        server.password.as_deref(),
    )
}

/// Retries `sync_now` until the store answers (reconnects wait out a short backoff).
fn sync_until_up(b: &FleetBreaker) {
    for _ in 0..200 {
        if b.sync_now().is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("the store never came back: {:?}", b.sync_now());
}

#[test]
fn failures_seen_by_one_instance_make_another_reject() {
    if !redis_server_installed() {
        return;
    }
    let server = Server::start(None);
    let a = FleetBreaker::new("payments", breaker_config(), store(&server, 1, "shop")).unwrap();
    let b = FleetBreaker::new("payments", breaker_config(), store(&server, 2, "shop")).unwrap();
    assert!(succeed(&b).is_ok());
    b.sync_now().expect("B's success goes to the store");
    // Half of 4 calls fail: B's success, then A's success and two failures. Neither
    // local breaker has seen its minimum of 4 calls; the fleet has, and opens.
    assert!(succeed(&a).is_ok());
    for _ in 0..2 {
        assert!(matches!(fail(&a), Err(CallError::Inner(_))));
    }
    assert_eq!(a.fleet_state().phase.kind(), BreakerStateKind::Open);
    assert_eq!(a.local().state(), BreakerStateKind::Closed);
    // B saw only a success; its own breaker is CLOSED, the fleet's is not.
    let rejected = succeed(&b).expect_err("the fleet is open");
    let rejection = rejected
        .rejection()
        .expect("a rejection, not the call's error");
    assert_eq!(rejection.state, BreakerStateKind::Open);
    assert!(rejection.retry_after.is_some());
    assert_eq!(b.local().state(), BreakerStateKind::Closed);
    assert_eq!(b.store_stats().invalid_values, 0);
    // The keys expire: a backend no longer called leaves nothing behind. (The counts
    // key is gone here: the new epoch has no counts yet.)
    let (state_key, counts_key) = a.store_keys();
    let mut raw = server.raw();
    let ttl = |raw: &mut redis::Connection, key: &str| -> i64 {
        redis::cmd("PTTL").arg(key).query(raw).unwrap()
    };
    assert!(ttl(&mut raw, &state_key) > 0);
    assert_ne!(
        ttl(&mut raw, &counts_key),
        -1,
        "a counts key without expiry"
    );
}

#[test]
fn a_client_without_the_password_is_refused_with_a_clear_error() {
    if !redis_server_installed() {
        return;
    }
    let server = Server::start(Some("fleet-secret-pw"));
    let mut no_password = store(&server, 1, "shop");
    no_password.password = None;
    let anonymous = FleetBreaker::new("payments", breaker_config(), no_password).unwrap();
    let error = anonymous
        .sync_now()
        .expect_err("the server wants a password");
    assert!(matches!(error, StoreError::Auth(_)), "{error:?}");
    assert!(error.to_string().contains("authentication"), "{error}");
    // Refused by the store, the instance still protects and serves with its local breaker.
    assert!(succeed(&anonymous).is_ok());

    let mut wrong = store(&server, 2, "shop");
    wrong.password = Some(Password::new("not-the-pw-123"));
    let wrong = FleetBreaker::new("payments", breaker_config(), wrong).unwrap();
    let error = wrong.sync_now().expect_err("a wrong password");
    assert!(matches!(error, StoreError::Auth(_)), "{error:?}");
    assert!(!format!("{error}{error:?}").contains("not-the-pw-123"));

    // An ACL user with its own password.
    let _: () = redis::cmd("ACL")
        .arg(&["SETUSER", "fleet", "on", ">fleet-user-pw", "~*", "+@all"])
        .query(&mut server.raw())
        .unwrap();
    let mut acl = store(&server, 5, "shop");
    acl.username = Some("fleet".into());
    acl.password = Some(Password::new("fleet-user-pw"));
    assert!(!format!("{acl:?}").contains("fleet-user-pw"));
    let acl = FleetBreaker::new("payments", breaker_config(), acl).unwrap();
    acl.sync_now().expect("the ACL user's password");

    let config = store(&server, 3, "shop");
    assert!(!format!("{config:?}").contains("fleet-secret-pw"));
    let allowed = FleetBreaker::new("payments", breaker_config(), config).unwrap();
    allowed.sync_now().expect("the right password");
    // The password in the URL works the same, and is not printed either.
    let mut in_url = store(&server, 4, "shop");
    in_url.password = None;
    in_url.url = format!("redis://:fleet-secret-pw@127.0.0.1:{}/0", server.port);
    assert!(!format!("{in_url:?}").contains("fleet-secret-pw"));
    let in_url = FleetBreaker::new("payments", breaker_config(), in_url).unwrap();
    in_url.sync_now().expect("the password from the URL");
}

#[test]
fn garbage_under_the_breakers_key_changes_nothing() {
    if !redis_server_installed() {
        return;
    }
    let server = Server::start(Some("fleet-secret-pw"));
    let a = FleetBreaker::new("search", breaker_config(), store(&server, 1, "shop")).unwrap();
    a.sync_now().expect("a clean store");
    let before = a.fleet_state();
    let (state_key, counts_key) = a.store_keys();
    assert_eq!(state_key, "shop:search:state");
    let mut raw = server.raw();

    let plant = |raw: &mut redis::Connection, args: &[&str]| {
        let _: () = redis::cmd("DEL")
            .arg(&state_key)
            .arg(&counts_key)
            .query(raw)
            .unwrap();
        let mut cmd = redis::cmd(args[0]);
        for a in &args[1..] {
            cmd.arg(*a);
        }
        let _: redis::Value = cmd.query(raw).unwrap();
    };
    let cases: Vec<(Vec<&str>, StoreValueError)> = vec![
        (
            vec!["SET", &state_key, "\u{0}\u{1}garbage"],
            StoreValueError::WrongType,
        ),
        (
            vec!["HSET", &state_key, "epoch", "banana"],
            StoreValueError::Malformed("epoch"),
        ),
        (
            vec![
                "HSET", &state_key, "epoch", "9", "phase", "7", "a", "0", "b", "0", "openings", "0",
            ],
            StoreValueError::Malformed("phase"),
        ),
    ];
    for (i, (args, expected)) in cases.iter().enumerate() {
        plant(&mut raw, args);
        let ignored = a.store_stats().invalid_values;
        let error = a.sync_now().expect_err("an unusable value");
        assert_eq!(error, StoreError::Invalid(*expected), "case {i}");
        assert_eq!(a.fleet_state(), before, "case {i}");
        assert_eq!(
            a.store_stats().invalid_values,
            ignored + 1,
            "case {i}: counted"
        );
        assert!(succeed(&a).is_ok(), "case {i}: the instance still serves");
    }
    // An OPEN with a zero period and counts with more failures than calls: impossible.
    plant(
        &mut raw,
        &[
            "HSET", &state_key, "epoch", "9", "phase", "2", "a", "1", "b", "0", "openings", "1",
        ],
    );
    assert!(matches!(
        a.sync_now(),
        Err(StoreError::Invalid(StoreValueError::Impossible(_)))
    ));
    plant(&mut raw, &["HSET", &counts_key, "7:1:c", "1", "7:1:f", "5"]);
    assert!(matches!(
        a.sync_now(),
        Err(StoreError::Invalid(StoreValueError::Impossible(_)))
    ));
    assert_eq!(a.fleet_state(), before);
    assert_eq!(a.fleet_state().phase.kind(), BreakerStateKind::Closed);
}

#[test]
fn killing_the_store_leaves_each_instance_its_local_breaker_and_a_restart_converges() {
    if !redis_server_installed() {
        return;
    }
    let mut server = Server::start(None);
    let a = FleetBreaker::new("ledger", breaker_config(), store(&server, 1, "bank")).unwrap();
    let b = FleetBreaker::new("ledger", breaker_config(), store(&server, 2, "bank")).unwrap();
    // Both join; a success each, in the store.
    assert!(succeed(&a).is_ok());
    assert!(succeed(&b).is_ok());

    server.kill();
    // A's backend fails: A goes on locally, and its own breaker opens on its window
    // (3 failures of its 4 calls).
    for i in 0..3 {
        let r = fail(&a);
        assert!(matches!(r, Err(CallError::Inner(_))), "call {i}: {r:?}");
    }
    assert_eq!(a.local().state(), BreakerStateKind::Open);
    assert!(
        fail(&a)
            .expect_err("the local breaker protects")
            .is_rejected()
    );
    // B's backend is fine: B serves locally.
    for _ in 0..3 {
        assert!(succeed(&b).is_ok());
    }
    assert_eq!(a.store_stats().outages, 1, "one outage, counted once");
    assert_eq!(b.store_stats().outages, 1);
    assert!(a.sync_now().is_err());

    server.spawn();
    // A rejoins first: the store lost everything; A opens the fleet for its local trip.
    sync_until_up(&a);
    let _ = a.call(|| Ok::<(), &str>(()));
    sync_until_up(&b);
    sync_until_up(&a);
    assert_eq!(a.fleet_state(), b.fleet_state(), "converged");
    assert_eq!(b.fleet_state().phase.kind(), BreakerStateKind::Open);
    assert!(succeed(&b).expect_err("the fleet is open").is_rejected());
}

#[test]
fn after_the_open_period_one_probe_runs_fleet_wide_and_its_success_closes_the_fleet() {
    if !redis_server_installed() {
        return;
    }
    let server = Server::start(None);
    // Open for 200 ms; one probe at a time, one success closes.
    let mut config = breaker_config();
    config.open = mycel::breaker::OpenPolicy::fixed(Ticks::from_millis(200));
    let a = FleetBreaker::new("mail", config, store(&server, 1, "shop")).unwrap();
    let b = FleetBreaker::new("mail", config, store(&server, 2, "shop")).unwrap();
    assert!(succeed(&b).is_ok());
    b.sync_now().unwrap();
    assert!(succeed(&a).is_ok());
    for _ in 0..2 {
        assert!(fail(&a).is_err());
    }
    assert_eq!(a.fleet_state().phase.kind(), BreakerStateKind::Open);
    // Whatever the machine's speed, after this the open period is over.
    std::thread::sleep(Duration::from_millis(250));
    // B's call is the fleet's one probe: while it runs, A is refused a second one.
    let inside = b.call(|| {
        let second = succeed(&a).expect_err("one probe at a time, fleet-wide");
        let rejection = second.rejection().cloned().expect("a rejection");
        Ok::<_, &str>(rejection)
    });
    let rejection = inside.expect("B's probe ran");
    assert_eq!(rejection.state, BreakerStateKind::HalfOpen);
    assert_eq!(rejection.reason, mycel::breaker::RejectReason::HalfOpenFull);
    // The probe succeeded: the fleet is CLOSED, for A as well.
    assert_eq!(b.fleet_state().phase.kind(), BreakerStateKind::Closed);
    a.sync_now().unwrap();
    assert_eq!(a.fleet_state(), b.fleet_state());
    assert!(succeed(&a).is_ok());
}

#[test]
fn quick_calls_the_classifier_calls_slow_open_the_fleet_on_its_slow_call_rate() {
    if !redis_server_installed() {
        return;
    }
    let server = Server::start(None);
    // Only the slow-call rate can open it here: failures never reach 100%.
    let mut config = breaker_config().with_consecutive_failures(None);
    if let Some(window) = config.time_window.as_mut() {
        window.failure_rate_percent = 100;
    }
    let config = config.with_slow_calls(mycel::breaker::SlowCallPolicy {
        threshold: Ticks::from_secs(10),
        rate_percent: 50,
    });
    let a = FleetBreaker::new("search", config, store(&server, 1, "slow")).unwrap();
    let b = FleetBreaker::new("search", config, store(&server, 2, "slow")).unwrap();
    let degraded_is_slow = |result: &Result<bool, ()>| match result {
        Ok(true) => Verdict::slow(Outcome::Success),
        Ok(false) => Verdict::timed(Outcome::Success),
        Err(()) => Verdict::timed(Outcome::Failure),
    };
    // Four quick replies, two of them degraded, two on each instance: neither local
    // breaker has its minimum of 4 calls; the fleet has, and half of them are slow.
    for degraded in [false, true] {
        let reply = b.call_classified(&degraded_is_slow, || Ok(degraded));
        assert_eq!(reply, Ok(degraded));
    }
    b.sync_now().expect("B's calls go to the store");
    for degraded in [false, true] {
        let reply = a.call_classified(&degraded_is_slow, || Ok(degraded));
        assert_eq!(reply, Ok(degraded));
    }
    assert_eq!(
        a.local().metrics().slow,
        1,
        "the local breaker hears the verdict"
    );
    assert_eq!(a.local().state(), BreakerStateKind::Closed);
    assert_eq!(a.fleet_state().phase.kind(), BreakerStateKind::Open);
    b.sync_now().expect("B reads the fleet state");
    assert!(
        b.call_classified(&degraded_is_slow, || Ok(false))
            .is_err_and(|e| e.is_rejected()),
        "the fleet is open for every instance"
    );
}
