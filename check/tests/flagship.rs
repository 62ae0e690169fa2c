//! The flagship proof: the request pipeline with the circuit breaker inside, explored
//! exhaustively for small numbers of requests.

use mycel::breaker::{BreakerConfig, HalfOpenPolicy};
use mycel::time::Duration;
use mycel_check::flagship::{Admission, PipelineModel, PipelineProof, Step, prove};

const MAX_STATES: u64 = 1_000_000;

/// Trips after two failures in a row, stays open 5 s, one probe at a time, closes on
/// one success; a probe unanswered for 60 s reopens it.
fn classic() -> BreakerConfig {
    BreakerConfig::consecutive(2, Duration::from_secs(5), 1)
}

fn explore(requests: u8, config: BreakerConfig, admission: Admission) -> PipelineProof {
    let model = PipelineModel::new(requests, config, admission).expect("valid model");
    prove(&model, MAX_STATES).expect("every step computes")
}

#[test]
fn open_never_forwards_no_request_is_lost_and_nothing_deadlocks_for_up_to_six_requests() {
    for requests in 1..=6 {
        let proof = explore(requests, classic(), Admission::Breaker);
        assert!(proof.complete, "{requests} requests: {proof:?}");
        assert_eq!(proof.forwarded_while_open, None);
        assert_eq!(proof.forwarded_without_permit, None);
        assert_eq!(proof.too_many_probes, None);
        // One probe at a time, and a probe does happen.
        assert_eq!(proof.most_probes, usize::from(requests >= 3));
        assert_eq!(proof.request_unaccounted, None);
        assert_eq!(proof.deadlock_count, 0, "{:?}", proof.deadlocks);
        assert!(proof.finished_states > 0);
        assert!(proof.holds());
    }
}

#[test]
fn the_breaker_opens_and_rejects_so_the_safety_property_is_not_vacuous() {
    let proof = explore(3, classic(), Admission::Breaker);
    use Step::*;
    // Two calls fail in a row: OPEN.
    assert_eq!(
        proof.breaker_opens.as_deref(),
        Some(&[Request, Request, BackendFails, BackendFails][..])
    );
    // The third request, while OPEN, is rejected.
    assert_eq!(
        proof.request_rejected.as_deref(),
        Some(&[Request, Request, BackendFails, BackendFails, Request][..])
    );
}

#[test]
fn a_binding_that_forwards_rejected_calls_is_caught_with_a_shortest_trace() {
    let proof = explore(3, classic(), Admission::ForwardRejected);
    use Step::*;
    assert_eq!(
        proof.forwarded_while_open.as_deref(),
        Some(&[Request, Request, BackendFails, BackendFails, Request][..])
    );
    // The state-level witness sees the same: a call at the backend without a permit.
    assert_eq!(proof.forwarded_without_permit, proof.forwarded_while_open);
    assert!(!proof.holds());
    // The broken binding still loses nothing.
    assert_eq!(proof.request_unaccounted, None);
}

#[test]
fn lost_probes_given_up_by_the_half_open_wait_keep_every_property() {
    let config = BreakerConfig::consecutive(1, Duration::from_secs(5), 2).with_half_open(
        HalfOpenPolicy::after_successes(2, 2).with_max_wait(
            Duration::from_secs(1),
            mycel::breaker::MaxWaitAction::Reopen,
        ),
    );
    let proof = explore(4, config, Admission::Breaker);
    assert!(proof.holds(), "{proof:?}");
    assert_eq!((proof.states, proof.edges), (1072, 1506));
    // Both probes HALF_OPEN admits can be at the backend at once, never a third.
    assert_eq!(proof.most_probes, 2);
}

#[test]
fn a_proof_stopped_at_its_state_limit_says_so_and_does_not_hold() {
    let model = PipelineModel::new(4, classic(), Admission::Breaker).expect("valid model");
    let proof = prove(&model, 50).expect("every step computes");
    assert!(!proof.complete);
    assert_eq!(proof.states, 50);
    assert!(!proof.holds());
}

#[test]
fn the_state_counts_of_the_flagship_proof_are_exact() {
    let counts: Vec<(u64, u64)> = (1..=5)
        .map(|n| explore(n, classic(), Admission::Breaker))
        .map(|p| (p.states, p.edges))
        .collect();
    assert_eq!(
        counts,
        [(4, 3), (12, 13), (43, 53), (185, 249), (796, 1118)]
    );
}

#[test]
fn more_requests_than_the_pipeline_holds_are_refused() {
    let refused = PipelineModel::new(
        mycel_check::flagship::MAX_REQUESTS + 1,
        classic(),
        Admission::Breaker,
    );
    assert!(matches!(
        refused,
        Err(mycel_check::flagship::PipelineError::TooManyRequests(_))
    ));
}
