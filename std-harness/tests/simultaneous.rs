//! Many breakers due at the same instant all change state at that instant, and every
//! change is reported (the simulator polls one breaker at a time because a net poll
//! has room for only a few changes).

use mycel::breaker::{BreakerStateKind, Reason};
use mycel_harness::scenario;
use mycel_harness::sim::{EventKind, SimEvent, Simulation};

/// Six identical services: same fixed latency, same traffic, same outage.
fn twins() -> String {
    let mut text = String::from(
        "name = \"twins\"\nduration = \"20s\"\n\n[breaker]\nconsecutive_failures = 2\nopen = { base = \"3s\" }\n",
    );
    for i in 0..6 {
        text.push_str(&format!(
            "\n[[service]]\nname = \"s{i}\"\nlatency = \"10ms\"\n\n[[service.outage]]\nfrom = \"2s\"\nuntil = \"4s\"\n\n[[traffic]]\nservice = \"s{i}\"\nkind = \"constant\"\nevery = \"1s\"\n"
        ));
    }
    text
}

#[test]
fn every_breaker_due_at_the_same_instant_reports_its_timeout() {
    let s = scenario::parse("twins.toml", &twins()).unwrap();
    let mut events: Vec<SimEvent> = Vec::new();
    Simulation::new(&s, s.seed)
        .unwrap()
        .run(&mut events, &mut |_| {})
        .unwrap();
    let timeouts: Vec<(u64, usize)> = events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::StateChange {
                service,
                from: BreakerStateKind::Open,
                to: BreakerStateKind::HalfOpen,
                reason: Reason::Timeout,
                ..
            } => Some((e.at.as_micros(), service)),
            _ => None,
        })
        .collect();
    // Each opened at 3.010 s (second failure) and times out 3 s later, all together.
    let expected: Vec<(u64, usize)> = (0..6).map(|i| (6_010_000, i)).collect();
    assert_eq!(timeouts, expected);
}
