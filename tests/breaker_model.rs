//! Model-based test of the engine's circuit breaker: the harness's reference breaker is
//! the reference state machine, the engine breaker is the system under test, and after
//! every transition (one caller operation) the two must agree on the call's answer
//! (permit fields, rejection reason and retry instant, record result), the state
//! changes it made (from, to, cause, instant), and the whole observable state: state,
//! generation, outstanding probes, every counter, both rates, next deadline and last
//! change. The engine's invariants are checked after every transition too.

use mycel::breaker::BreakerConfig;
use mycel_check::model_based::breaker::driver::{EngineBreaker, ReferenceBreaker};
use mycel_check::model_based::breaker::invariants::{
    CallRecord, assert_call_invariants, assert_stale_outcomes_change_nothing,
};
use mycel_check::model_based::breaker::lockstep::assert_agree;
use mycel_check::model_based::breaker::observed::Applied;
use mycel_check::model_based::breaker::ops::BreakerOp;
use mycel_check::model_based::breaker::snapshot::BreakerSnapshot;
use mycel_check::model_based::breaker::strategy::{breaker_op_with, config_draft, when};
use mycel_check::proptest_config::config;
use proptest::prelude::*;
use proptest_state_machine::{ReferenceStateMachine, StateMachineTest, prop_state_machine};

const REGRESSIONS: &str = "tests/proptest-regressions/breaker_model.txt";

/// The reference side: the reference breaker, its configuration, the backend's health
/// for this run, and its last call.
#[derive(Debug, Clone)]
struct Model {
    config: BreakerConfig,
    failure_weight: u32,
    reference: ReferenceBreaker,
    last: Option<Applied>,
    calls: usize,
}

struct ReferenceModel;

impl ReferenceStateMachine for ReferenceModel {
    type State = Model;
    type Transition = BreakerOp;

    fn init_state() -> BoxedStrategy<Model> {
        (config_draft(), 0u32..=8)
            .prop_map(|(draft, failure_weight)| {
                let config = draft.repair();
                Model {
                    reference: ReferenceBreaker::new(&config),
                    config,
                    failure_weight,
                    last: None,
                    calls: 0,
                }
            })
            .boxed()
    }

    fn transitions(model: &Model) -> BoxedStrategy<BreakerOp> {
        breaker_op_with(when(), model.failure_weight)
    }

    fn apply(mut model: Model, op: &BreakerOp) -> Model {
        model.last = Some(model.reference.apply(*op));
        model.calls += 1;
        model
    }
}

/// The system under test: the engine breaker and its state after the previous call.
struct Engine {
    driver: EngineBreaker,
    state: BreakerSnapshot,
}

struct EngineAgainstReference;

impl StateMachineTest for EngineAgainstReference {
    type SystemUnderTest = Engine;
    type Reference = ReferenceModel;

    fn init_test(model: &Model) -> Engine {
        let driver = EngineBreaker::new(model.config).expect("a repaired configuration is valid");
        let state = driver.snapshot();
        assert_eq!(
            state,
            model.reference.snapshot(),
            "the breakers start out different"
        );
        Engine { driver, state }
    }

    fn apply(mut engine: Engine, model: &Model, op: BreakerOp) -> Engine {
        let before = engine.driver.clone();
        let applied = engine.driver.apply(op);
        let state = engine.driver.snapshot();
        let reference = model
            .last
            .as_ref()
            .expect("the reference applied the operation first");
        assert_agree(
            model.calls,
            (&applied, &state),
            (reference, &model.reference.snapshot()),
        );
        let record = CallRecord {
            config: &model.config,
            before: &engine.state,
            last_used: before.last_used(),
            applied: &applied,
            after: &state,
            caller: engine.driver.entry(),
        };
        assert_call_invariants(&record);
        assert_stale_outcomes_change_nothing(&before, &record);
        engine.state = state;
        engine
    }
}

prop_state_machine! {
    #![proptest_config(config(256, REGRESSIONS))]

    #[test]
    fn engine_breaker_agrees_with_the_reference_breaker_after_every_call(
        sequential 1..96 => EngineAgainstReference
    );
}
