//! Systems whose states are values, explored through `InternedModel`.

use mycel_check::explore::{InternedModel, SearchLimits, ValueSystem, search};

/// Two workers each take jobs from a shared pile of `jobs`; a worker holding two jobs
/// is stuck (a deadlock unless the pile is empty and every job is held).
struct Pile {
    jobs: u8,
    finished_when_empty: bool,
}

impl ValueSystem for Pile {
    /// (pile, held by worker 0, held by worker 1)
    type State = (u8, u8, u8);
    type Error = std::convert::Infallible;

    fn labels(&self) -> usize {
        2
    }

    fn initial(&self) -> (u8, u8, u8) {
        (self.jobs, 0, 0)
    }

    fn encode(&self, s: &(u8, u8, u8), bytes: &mut Vec<u8>) -> Result<(), Self::Error> {
        bytes.extend([s.0, s.1, s.2]);
        Ok(())
    }

    fn step(
        &self,
        &(pile, a, b): &(u8, u8, u8),
        label: u32,
    ) -> Result<Option<(u8, u8, u8)>, Self::Error> {
        Ok(match label {
            0 if pile > 0 && a < 2 => Some((pile - 1, a + 1, b)),
            1 if pile > 0 && b < 2 => Some((pile - 1, a, b + 1)),
            _ => None,
        })
    }

    fn is_finished(&self, s: &(u8, u8, u8)) -> bool {
        self.finished_when_empty && s.0 == 0
    }
}

fn limits() -> SearchLimits<'static> {
    SearchLimits {
        max_states: 1_000,
        max_deadlocks_kept: 10,
        progress: None,
    }
}

#[test]
fn equal_encodings_are_one_state_and_every_state_is_numbered_once() {
    let model = InternedModel::new(Pile {
        jobs: 3,
        finished_when_empty: true,
    })
    .unwrap();
    let seen = search(&model, limits(), |_, _| {}).unwrap();
    // (3,0,0) (2,1,0) (2,0,1) (1,2,0) (1,1,1) (1,0,2) (0,2,1) (0,1,2)
    assert_eq!(seen.space.len(), 8);
    assert_eq!(model.len(), 8);
    assert_eq!(seen.deadlock_count, 0);
}

#[test]
fn a_stuck_state_not_declared_finished_is_a_deadlock_with_a_shortest_trace() {
    let model = InternedModel::new(Pile {
        jobs: 5,
        finished_when_empty: false,
    })
    .unwrap();
    let seen = search(&model, limits(), |_, _| {}).unwrap();
    // Both workers hold two jobs with one left on the pile.
    assert_eq!(seen.deadlock_count, 1);
    let stuck = seen.deadlocks[0];
    assert_eq!(model.state(seen.space.key(stuck)[0]), Some((1, 2, 2)));
    assert_eq!(seen.space.trace(stuck).len(), 4);
}
