//! The kit drives a declared net that embeds a machine: the request pipeline with the
//! circuit breaker inside, whose `route` and `record` transitions the breaker fires.
//! Every request is conserved through it, and a replay from a fresh pipeline (a fresh
//! breaker) goes the same way, state changes included.

use mycel::breaker::in_net::{Admit, Report};
use mycel::breaker::{BreakerConfig, CircuitBreaker, Outcome};
use mycel::net::TransitionId;
use mycel::sched::{Behaviour, Fault, Firing};
use mycel::time::{Duration, Instant};
use mycel_check::kit::{self, Checker, Law};
use proptest::prelude::*;

/// A request; it picks up its permit at `route` and its answer at `backend`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Request {
    id: u32,
    healthy: bool,
    permit: Option<mycel::breaker::Permit>,
    ok: bool,
}

mycel::net! {
    /// input -> validate -> route (breaker) -> backend -> record (breaker) -> done.
    net Pipeline: Request {
        machines {
            breaker: CircuitBreaker,
        }
        places {
            input: 4,
            validated: 4,
            admitted: 4,
            rejected: 4,
            responded: 4,
            done: 4,
            invalid: 4,
        }
        transitions {
            validate [error = invalid]: input -> validated,
            route [machine = breaker, binding = ADMIT]: validated -> admitted + rejected,
            backend: admitted -> responded,
            record [machine = breaker, binding = REPORT]: responded -> done,
        }
    }
}
mycel_check::declared_subject!(Pipeline: Request {
    input, validated, admitted, rejected, responded, done, invalid
});

const ADMIT: Admit<Request> = Admit {
    forwarded: Pipeline::PLACES.admitted.id(),
    rejected: Pipeline::PLACES.rejected.id(),
    attach: |request, permit| Request {
        permit: Some(permit),
        ..*request
    },
};

const REPORT: Report<Request> = Report {
    done: Pipeline::PLACES.done.id(),
    outcome: |request| {
        let outcome = if request.ok {
            Outcome::Success
        } else {
            Outcome::Failure
        };
        request.permit.map(|permit| (permit, outcome))
    },
};

/// Validates (request 0 is malformed) and answers as the request says it will.
struct App;

impl Behaviour<Request> for App {
    fn fire(
        &mut self,
        transition: TransitionId,
        firing: &mut Firing<'_, Request>,
        _: Instant,
    ) -> Result<(), Fault> {
        let Some(&request) = firing.input(0) else {
            return Err(Fault(1));
        };
        match Pipeline::transition_of(transition) {
            Some(PipelineTransition::Validate) if request.id != 0 => firing
                .forward(0, Pipeline::PLACES.validated)
                .map_err(|_| Fault(1)),
            Some(PipelineTransition::Backend) => firing
                .emit(
                    Pipeline::PLACES.responded,
                    Request {
                        ok: request.healthy,
                        ..request
                    },
                )
                .map_err(|_| Fault(1)),
            _ => Err(Fault(1)),
        }
    }
}

fn pipeline() -> (Pipeline, App) {
    let breaker = CircuitBreaker::new(
        BreakerConfig::consecutive(2, Duration::from_millis(5), 1),
        Instant::from_ticks(0),
    )
    .expect("a valid breaker configuration");
    (Pipeline::new(breaker), App)
}

fn request() -> impl Strategy<Value = Request> + Clone {
    (0u32..6, prop::bool::weighted(0.6)).prop_map(|(id, healthy)| Request {
        id,
        healthy,
        ..Request::default()
    })
}

fn every_request_is_somewhere() -> Law {
    let p = Pipeline::PLACES;
    Law::new(
        "every request is somewhere",
        [
            p.input,
            p.validated,
            p.admitted,
            p.rejected,
            p.responded,
            p.done,
            p.invalid,
        ]
        .map(|place| (place.id(), 1)),
    )
}

proptest! {
    #![proptest_config(mycel_check::proptest_config::config(
        64,
        "tests/proptest-regressions/kit_machines.txt",
    ))]

    #[test]
    fn every_request_is_conserved_through_the_breaker_and_a_replay_gives_the_same_trace(
        ops in kit::ops(pipeline().0.as_net(), request()),
    ) {
        let checked = Checker::new().law(every_request_is_somewhere()).run(pipeline, &ops);
        prop_assert!(checked.is_ok(), "{}", checked.unwrap_err());
    }
}

#[test]
fn the_breaker_fires_route_and_record_under_the_checker() {
    let healthy = |id| Request {
        id,
        healthy: true,
        ..Request::default()
    };
    let ops = [
        kit::Op::Inject {
            place: 0,
            token: healthy(1),
        },
        kit::Op::Step { gap: 0 },
        kit::Op::Step { gap: 0 },
        kit::Op::Step { gap: 0 },
        kit::Op::Step { gap: 0 },
        kit::Op::Take { place: 5 },
    ];
    let report = Checker::new()
        .law(every_request_is_somewhere())
        .run(pipeline, &ops)
        .expect("the pipeline keeps every rule");
    assert_eq!(report.firings, 4, "validate, route, backend, record");
    assert!(report.replayed);
}
#[test]
fn the_generated_operations_open_the_breaker_so_it_rejects() {
    use mycel::net::PlaceId;
    use mycel_check::kit::Subject;

    let (mut firings, mut rejected) = (0, 0);
    let strategy = kit::ops(pipeline().0.as_net(), request());
    for ops in mycel_check::proptest_config::samples(&strategy, 64) {
        firings += Checker::new()
            .run(pipeline, &ops)
            .expect("the pipeline keeps every rule")
            .firings;
        // Run them again by hand to read where the requests went.
        let (mut net, mut app) = pipeline();
        let mut now = Instant::from_ticks(0);
        let id = |place: usize| PlaceId::new(u16::try_from(place).unwrap_or(u16::MAX));
        for op in &ops {
            match op {
                kit::Op::Inject { place, token } => {
                    let _ = Subject::inject_observed(&mut net, id(*place), *token, now, &mut ());
                }
                kit::Op::Take { place } => {
                    let _ = Subject::take_observed(&mut net, id(*place), &mut ());
                }
                kit::Op::Step { gap } => {
                    now = Instant::from_ticks(now.as_ticks() + gap);
                    let _ = Subject::step_observed(&mut net, now, &mut app, &mut ());
                }
            }
        }
        rejected += net.high_water(Pipeline::PLACES.rejected);
    }
    // Measured on these 64 deterministic cases: 431 firings, and the open breaker
    // rejected requests in them (86, summing each case's high-water mark of `rejected`).
    assert!(firings >= 200, "{firings} firings");
    assert!(rejected >= 16, "{rejected} rejected");
}
