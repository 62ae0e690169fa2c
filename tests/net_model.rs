//! Model-based test of the engine's net: the reference interpreter is the reference
//! state machine, the engine is the system under test, and after every transition (one
//! host call) the two must agree on the call's result, the firing attempts and events
//! it made, and the whole observable state: marking token by token, counters,
//! high-water marks, enabled transitions, last instant and deadline.

use mycel_check::model_based::net::driver::{Applied, EngineDriver, RefDriver};
use mycel_check::model_based::net::invariants::{assert_monotone, assert_state_invariants};
use mycel_check::model_based::net::lockstep::assert_agree;
use mycel_check::model_based::net::ops::Op;
use mycel_check::model_based::net::script::Script;
use mycel_check::model_based::net::snapshot::Snapshot;
use mycel_check::model_based::net::strategy::{net_draft, op, script};
use mycel_check::proptest_config::config;
use mycel_check::reference::net::NetSpec;
use proptest::prelude::*;
use proptest_state_machine::{ReferenceStateMachine, StateMachineTest, prop_state_machine};

const REGRESSIONS: &str = "tests/proptest-regressions/net_model.txt";

/// The reference side: the interpreter, what it was built from, and its last call.
#[derive(Debug, Clone)]
struct Model {
    spec: NetSpec<u32>,
    script: Script,
    reference: RefDriver,
    last: Option<Applied>,
    calls: usize,
}

struct ReferenceNet;

impl ReferenceStateMachine for ReferenceNet {
    type State = Model;
    type Transition = Op;

    fn init_state() -> BoxedStrategy<Model> {
        (net_draft(), script())
            .prop_map(|(net, script)| {
                let spec = net.repair();
                let script = script.clamped();
                Model {
                    reference: RefDriver::new(&spec, &script).expect("a repaired net is valid"),
                    spec,
                    script,
                    last: None,
                    calls: 0,
                }
            })
            .boxed()
    }

    fn transitions(_: &Model) -> BoxedStrategy<Op> {
        op()
    }

    fn apply(mut model: Model, op: &Op) -> Model {
        model.last = Some(model.reference.apply(*op));
        model.calls += 1;
        model
    }
}

/// The system under test: the engine and its state after the previous call.
struct Engine {
    driver: EngineDriver,
    state: Snapshot,
}

struct EngineAgainstReference;

impl StateMachineTest for EngineAgainstReference {
    type SystemUnderTest = Engine;
    type Reference = ReferenceNet;

    fn init_test(model: &Model) -> Engine {
        let driver = EngineDriver::new(&model.spec, &model.script).expect("a repaired net builds");
        let state = driver.snapshot();
        assert_eq!(
            state,
            model.reference.snapshot(),
            "the nets start out different"
        );
        Engine { driver, state }
    }

    fn apply(mut engine: Engine, model: &Model, op: Op) -> Engine {
        let applied = engine.driver.apply(op);
        let state = engine.driver.snapshot();
        let reference = model
            .last
            .as_ref()
            .expect("the reference applied the call first");
        assert_agree(
            model.calls,
            (&applied, &state),
            (reference, &model.reference.snapshot()),
        );
        assert_monotone(&engine.state, &state);
        engine.state = state;
        engine
    }

    fn check_invariants(engine: &Engine, model: &Model) {
        assert_state_invariants(&model.spec, &engine.state);
    }
}

prop_state_machine! {
    #![proptest_config(config(256, REGRESSIONS))]

    #[test]
    fn engine_net_agrees_with_the_reference_interpreter_after_every_call(
        sequential 1..48 => EngineAgainstReference
    );
}
