//! An id handed out by one net's builder is refused by every other net with a typed
//! error, never read as a bare index into the wrong net.

use super::*;
use crate::net::{BuildError, TransitionId, TransitionSpec};

/// Two nets of the same shape: a place `p` feeding a place `q` through `t`.
fn twin() -> (TestNet, PlaceId, PlaceId, TransitionId) {
    let mut b = Builder::new();
    let p = b.place("p", 2);
    let q = b.place("q", 2);
    let t = b.transition("t");
    b.input(t, p, 1).output(t, q, 1);
    (b.build().unwrap(), p, q, t)
}

#[test]
fn a_foreign_place_is_refused_by_inject_and_take_with_the_token_handed_back() {
    let (mut mine, p, _, _) = twin();
    let (_, theirs, _, _) = twin();
    assert_eq!(p.index(), theirs.index(), "same position, different nets");
    assert!(matches!(
        mine.inject(theirs, 5, at(0)),
        Err(InjectError::ForeignPlace(5, q)) if q == theirs
    ));
    assert_eq!(mine.take(theirs), Err(TakeError::ForeignPlace(theirs)));
    assert_eq!(mine.counters().injected, 0);
    mine.inject(p, 5, at(0)).unwrap();
    assert_eq!(
        mine.len(theirs),
        0,
        "queries read a foreign place as unknown"
    );
    assert_eq!(mine.len(p), 1);
    assert!(mine.place(theirs).is_none());
    assert_conserved(&mine);
}

#[test]
fn a_foreign_transition_is_unknown_to_queries() {
    let (mut mine, p, _, t) = twin();
    let (_, _, _, theirs) = twin();
    mine.inject(p, 1, at(0)).unwrap();
    assert!(mine.is_enabled(t));
    assert!(!mine.is_enabled(theirs));
    assert_eq!(mine.transition_name(theirs), None);
    assert!(mine.arcs(theirs).is_empty());
}

#[test]
fn an_id_made_from_a_bare_position_is_accepted_by_every_net() {
    let (mut mine, _, _, _) = twin();
    mine.inject(PlaceId::new(0), 9, at(0)).unwrap();
    assert_eq!(mine.take(PlaceId::new(0)), Ok(9));
    assert!(mine.transition_name(TransitionId::new(0)).is_some());
}

#[test]
fn a_builder_refuses_arcs_and_error_places_of_another_builder() {
    let mut other = Builder::new();
    let foreign_place = other.place("elsewhere", 1);
    let foreign_transition = other.transition("elsewhere");

    let mut b = Builder::new();
    let _ = b.place("p", 1);
    let t = b.transition("t");
    b.input(t, foreign_place, 1);
    assert_eq!(
        b.build().unwrap_err(),
        BuildError::ForeignPlace {
            place: foreign_place
        }
    );

    let mut b = Builder::new();
    let p2 = b.place("p", 1);
    b.transition("t");
    b.input(foreign_transition, p2, 1);
    assert_eq!(
        b.build().unwrap_err(),
        BuildError::ForeignTransition {
            transition: foreign_transition
        }
    );

    let mut b = Builder::new();
    let _ = b.place("p", 1);
    b.transition_with("t", TransitionSpec::new().error_place(foreign_place));
    assert_eq!(
        b.build().unwrap_err(),
        BuildError::ForeignPlace {
            place: foreign_place
        }
    );
}

#[test]
fn a_behaviour_emitting_to_a_foreign_place_fails_the_firing_and_rolls_back() {
    let (mut mine, p, q, _) = twin();
    let (_, _, theirs_q, _) = twin();
    mine.inject(p, 3, at(0)).unwrap();
    let mut seen = None;
    let mut behaviour = from_fn(|_, f: &mut Firing<'_, u32>, _| {
        seen = Some(f.forward(0, theirs_q));
        Ok(())
    });
    let report = mine.run(at(1), 1, &mut behaviour).unwrap();
    assert_eq!(seen, Some(Err(EmitError::ForeignPlace(theirs_q))));
    assert_eq!(report.failed, 1);
    assert_eq!(
        tokens(&mine, p).as_slice(),
        &[3],
        "the consumed token went back"
    );
    assert_eq!(mine.len(q), 0);
    assert_conserved(&mine);
}
