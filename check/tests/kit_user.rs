//! The test kit as a user meets it: a warehouse net of our own, declared with
//! `mycel::net!`, checked in ordinary tests with nothing but the public API of `mycel`
//! and `mycel-check`.

use mycel::net::TransitionId;
use mycel::sched::{Behaviour, Fault, Firing, Passthrough};
use mycel::time::Instant;
use mycel_check::kit::{self, Checker, Law, LockstepOptions, Op, OpsShape, ViolationKind};
use proptest::prelude::*;

mycel::net! {
    /// Orders are packed, then shipped after 2 ms; a damaged order is set aside and
    /// recycled.
    pub net Warehouse: u32 {
        places {
            orders: 4,
            packing: 2,
            shipped: 4,
            damaged: 2,
        }
        transitions {
            pack: orders -> packing,
            ship [delay = 2ms, error = damaged]: packing -> shipped,
            recycle [sink]: damaged -> (),
        }
    }
}
mycel_check::declared_subject!(Warehouse: u32 { orders, packing, shipped, damaged });

/// Order numbers divisible by 7 are damaged in transit.
struct Packers;

impl Behaviour<u32> for Packers {
    fn fire(
        &mut self,
        transition: TransitionId,
        firing: &mut Firing<'_, u32>,
        now: Instant,
    ) -> Result<(), Fault> {
        let shipping = Warehouse::transition_of(transition) == Some(WarehouseTransition::Ship);
        if shipping && firing.input(0).is_some_and(|order| order % 7 == 0) {
            return Err(Fault(7));
        }
        Passthrough.fire(transition, firing, now)
    }
}

/// Every order we accepted is waiting, packing or shipped, until we take it out or it
/// is damaged (the kit counts a failed firing's move to the error place).
fn every_order_is_accounted_for() -> Law {
    let p = Warehouse::PLACES;
    Law::new(
        "every order is accounted for",
        [(p.orders.id(), 1), (p.packing.id(), 1), (p.shipped.id(), 1)],
    )
}

fn warehouse_ops() -> impl Strategy<Value = Vec<Op<u32>>> {
    kit::ops(Warehouse::new().as_net(), 0u32..30)
}

proptest! {
    #![proptest_config(mycel_check::proptest_config::config(
        64,
        "tests/proptest-regressions/kit_user.txt",
    ))]

    #[test]
    fn orders_are_conserved_capacities_hold_and_a_replay_gives_the_same_trace(
        ops in warehouse_ops(),
    ) {
        let checked = Checker::new()
            .law(every_order_is_accounted_for())
            .run(|| (Warehouse::new(), Packers), &ops);
        prop_assert!(checked.is_ok(), "{}", checked.unwrap_err());
    }

    #[test]
    fn the_warehouse_runs_as_the_reference_semantics_say(ops in warehouse_ops()) {
        let compared = kit::lockstep(|| (Warehouse::new(), Passthrough), &ops, LockstepOptions::default());
        prop_assert!(compared.is_ok(), "{}", compared.unwrap_err());
    }
}

#[test]
fn the_checker_finds_the_warehouse_invariant_and_the_damaged_orders() {
    let ops = [
        Op::Inject { place: 0, token: 7 },
        Op::Inject { place: 0, token: 8 },
        Op::Step { gap: 0 },
        Op::Step { gap: 0 },
        Op::Step { gap: 2_000_000 },
        Op::Step { gap: 0 },
        Op::Take { place: 2 },
    ];
    let report = Checker::new()
        .law(every_order_is_accounted_for())
        .run(|| (Warehouse::new(), Packers), &ops)
        .expect("the warehouse keeps every rule");
    assert_eq!(report.failures, 1, "order 7 was damaged");
    assert_eq!(
        report.sums,
        vec![
            "P-invariant orders[0] + packing[1] + shipped[2]".to_owned(),
            "law \"every order is accounted for\" orders[0] + packing[1] + shipped[2]".to_owned(),
        ]
    );
    assert!(report.replayed);
}

/// A packer who loses the order instead of putting it on the packing table.
struct ForgetfulPackers;

impl Behaviour<u32> for ForgetfulPackers {
    fn fire(
        &mut self,
        transition: TransitionId,
        firing: &mut Firing<'_, u32>,
        now: Instant,
    ) -> Result<(), Fault> {
        if Warehouse::transition_of(transition) == Some(WarehouseTransition::Pack) {
            return Ok(());
        }
        Passthrough.fire(transition, firing, now)
    }
}

#[test]
fn a_behaviour_that_drops_an_order_fails_with_the_transition_and_the_counts() {
    let ops = [Op::Inject { place: 0, token: 3 }, Op::Step { gap: 0 }];
    let violation = Checker::new()
        .run(|| (Warehouse::new(), ForgetfulPackers), &ops)
        .unwrap_err();
    assert_eq!(
        violation.to_string(),
        "operation 1 (step after 0 ticks): transition pack[0] broke the flow contract: \
         consumed 1 tokens but produced 0 without being a sink"
    );
}

#[test]
fn a_search_finds_the_dropped_order_and_shrinks_it_to_two_operations() {
    let counterexample = Checker::new()
        .search(
            || (Warehouse::new(), ForgetfulPackers),
            0u32..30,
            OpsShape::default(),
            64,
        )
        .unwrap_err();
    // The shortest way to lose an order: put one in, let `pack` fire.
    let [Op::Inject { place: 0, token }, Op::Step { gap }] = counterexample.ops[..] else {
        panic!("not shrunk to inject, step: {counterexample}");
    };
    assert_eq!(
        counterexample.to_string(),
        format!(
            "operation 1 (step after {gap} ticks): transition pack[0] broke the flow contract: \
             consumed 1 tokens but produced 0 without being a sink\n\
             after 2 operations:\n  0: inject {token:?} into orders[0]\n  1: step after {gap} ticks"
        )
    );
}

mycel::net! {
    /// The same warehouse wired wrongly: `ship` was declared a sink, so a behaviour
    /// that loses a shipment is not stopped by the engine.
    pub net LeakyWarehouse: u32 {
        places { orders: 4, packing: 2, shipped: 4, damaged: 2 }
        transitions {
            pack: orders -> packing,
            ship [sink, error = damaged]: packing -> shipped,
        }
    }
}
mycel_check::declared_subject!(LeakyWarehouse: u32 { orders, packing, shipped, damaged });

/// Loses every shipment with an odd number.
struct CarelessCouriers;

impl Behaviour<u32> for CarelessCouriers {
    fn fire(
        &mut self,
        transition: TransitionId,
        firing: &mut Firing<'_, u32>,
        now: Instant,
    ) -> Result<(), Fault> {
        let shipping =
            LeakyWarehouse::transition_of(transition) == Some(LeakyWarehouseTransition::Ship);
        if shipping && firing.input(0).is_some_and(|order| order % 2 == 1) {
            return Ok(());
        }
        Passthrough.fire(transition, firing, now)
    }
}

#[test]
fn a_net_wired_to_drop_shipments_breaks_the_stated_law_at_the_transition() {
    let p = LeakyWarehouse::PLACES;
    let law = Law::new(
        "every order is accounted for",
        [(p.orders.id(), 1), (p.packing.id(), 1), (p.shipped.id(), 1)],
    );
    let ops = [
        Op::Inject { place: 0, token: 2 },
        Op::Inject { place: 0, token: 5 },
        Op::Step { gap: 0 },
        Op::Step { gap: 0 },
        Op::Step { gap: 0 },
        Op::Step { gap: 0 },
    ];
    let violation = Checker::new()
        .law(law)
        .run(|| (LeakyWarehouse::new(), CarelessCouriers), &ops)
        .unwrap_err();
    assert!(
        matches!(
            *violation.kind,
            ViolationKind::SumNotConserved {
                actual: 1,
                expected: 2,
                ..
            }
        ),
        "{violation}"
    );
    assert_eq!(
        violation.to_string(),
        "operation 5 (step after 0 ticks): law \"every order is accounted for\" \
         orders[0] + packing[1] + shipped[2] is 1, expected 2 (host moves counted); \
         transition ship[1] fired in this operation"
    );
}
