//! The simulator's agenda: inputs scheduled for later instants, earliest first.

use super::net::Call;
use mycel::time::Instant;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// An input the simulator feeds to the net at a given instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// A backend's response arrives (carrying the call's permit and outcome).
    Completion(Call),
    /// The next request of a traffic generator arrives.
    Arrival {
        /// The generator's index in the scenario.
        generator: usize,
    },
}

impl Input {
    /// Inputs of the same instant go in this order: responses before new requests, so
    /// a breaker hears an outcome before it decides on a request arriving with it.
    const fn class(&self) -> u8 {
        match self {
            Self::Completion(_) => 0,
            Self::Arrival { .. } => 1,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Scheduled {
    at: Instant,
    seq: u64,
    input: Input,
}

impl Scheduled {
    fn key(&self) -> (Instant, u8, u64) {
        (self.at, self.input.class(), self.seq)
    }
}

impl PartialEq for Scheduled {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for Scheduled {}

impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Scheduled {
    /// Reversed, so the standard max-heap pops the earliest first.
    fn cmp(&self, other: &Self) -> Ordering {
        other.key().cmp(&self.key())
    }
}

/// Scheduled inputs, popped by instant, then class (responses first), then the order
/// they were scheduled in: a total order, so runs are reproducible.
#[derive(Debug, Default)]
pub struct Agenda {
    heap: BinaryHeap<Scheduled>,
    next_seq: u64,
}

impl Agenda {
    /// Schedules `input` at `at`.
    pub fn push(&mut self, at: Instant, input: Input) {
        self.heap.push(Scheduled {
            at,
            seq: self.next_seq,
            input,
        });
        self.next_seq = self.next_seq.wrapping_add(1);
    }

    /// The instant of the earliest input.
    #[must_use]
    pub fn next_at(&self) -> Option<Instant> {
        self.heap.peek().map(|s| s.at)
    }

    /// Removes and returns the earliest input.
    pub fn pop(&mut self) -> Option<(Instant, Input)> {
        self.heap.pop().map(|s| (s.at, s.input))
    }

    /// How many scheduled inputs are backend responses.
    #[must_use]
    pub fn completions(&self) -> usize {
        self.heap
            .iter()
            .filter(|s| matches!(s.input, Input::Completion(_)))
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(id: u64) -> Call {
        Call {
            id,
            service: 0,
            permit: None,
            ok: None,
        }
    }

    #[test]
    fn inputs_pop_by_instant_then_responses_first_then_scheduling_order() {
        let mut agenda = Agenda::default();
        let t = Instant::from_millis;
        agenda.push(t(5), Input::Arrival { generator: 0 });
        agenda.push(t(5), Input::Arrival { generator: 1 });
        agenda.push(t(5), Input::Completion(call(9)));
        agenda.push(t(1), Input::Arrival { generator: 2 });
        let order: Vec<Input> = std::iter::from_fn(|| agenda.pop().map(|(_, i)| i)).collect();
        assert_eq!(
            order,
            vec![
                Input::Arrival { generator: 2 },
                Input::Completion(call(9)),
                Input::Arrival { generator: 0 },
                Input::Arrival { generator: 1 },
            ]
        );
    }
}
