//! What a transition does when it fires: the behaviour trait and two ready-made ones.

use super::spec::{ArcKind, NetSpec};

/// One thing a firing emits; actions apply in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action<C> {
    /// Send consumed token number `input` (0-based, consumption order) to `place`.
    Forward {
        /// Index into the consumed tokens.
        input: usize,
        /// Index of one of the transition's Output places.
        place: usize,
    },
    /// Send a new token to `place`.
    Emit {
        /// Index of one of the transition's Output places.
        place: usize,
        /// The token to append.
        token: C,
    },
}

/// The user code behind transitions, as the model sees it.
pub trait RefBehaviour<C> {
    /// Fires `transition` at `now` on the consumed `inputs`: the actions to apply (in
    /// order) and whether the behaviour itself failed (`Err(code)` fails the firing).
    fn fire(
        &mut self,
        transition: usize,
        inputs: &[C],
        now: u64,
    ) -> (Vec<Action<C>>, Result<(), u16>);

    /// Applies whatever machine timeouts are due at `now`; `step` calls it before choosing.
    fn poll(&mut self, _now: u64) {}

    /// The earliest instant a machine timeout falls due, if any.
    fn next_deadline(&self) -> Option<u64> {
        None
    }
}

/// Moves tokens through unchanged: input `i` goes to the `i`-th unit of Output weight (arc
/// order, each Output filled up to its weight); a source fills the remaining units with
/// `C::default()`. Extra inputs are dropped (a sink retires them; otherwise the firing
/// fails with lost tokens, as it should).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Passthrough {
    /// Per transition: one Output place per unit of weight, in arc order.
    output_units: Vec<Vec<usize>>,
    /// Per transition: whether it is a source.
    sources: Vec<bool>,
}

impl Passthrough {
    /// A passthrough for every transition of `spec`.
    pub fn new<C>(spec: &NetSpec<C>) -> Self {
        let output_units = (0..spec.transitions.len())
            .map(|transition| {
                spec.arcs
                    .iter()
                    .filter(|arc| arc.transition == transition && arc.kind == ArcKind::Output)
                    .flat_map(|arc| std::iter::repeat_n(arc.place, arc.weight as usize))
                    .collect()
            })
            .collect();
        let sources = spec
            .transitions
            .iter()
            .map(|transition| transition.source)
            .collect();
        Self {
            output_units,
            sources,
        }
    }
}

impl<C: Clone + Default> RefBehaviour<C> for Passthrough {
    fn fire(
        &mut self,
        transition: usize,
        inputs: &[C],
        _now: u64,
    ) -> (Vec<Action<C>>, Result<(), u16>) {
        let units = self
            .output_units
            .get(transition)
            .map_or(&[][..], Vec::as_slice);
        let source = self.sources.get(transition).copied().unwrap_or(false);
        let actions = units
            .iter()
            .enumerate()
            .map_while(|(input, &place)| {
                if input < inputs.len() {
                    Some(Action::Forward { input, place })
                } else if source {
                    Some(Action::Emit {
                        place,
                        token: C::default(),
                    })
                } else {
                    None
                }
            })
            .collect();
        (actions, Ok(()))
    }
}

/// A behaviour made of one closure, for tests and fuzz targets that script firings.
pub struct FnBehaviour<F>(pub F);

impl<C, F> RefBehaviour<C> for FnBehaviour<F>
where
    F: FnMut(usize, &[C], u64) -> (Vec<Action<C>>, Result<(), u16>),
{
    fn fire(
        &mut self,
        transition: usize,
        inputs: &[C],
        now: u64,
    ) -> (Vec<Action<C>>, Result<(), u16>) {
        (self.0)(transition, inputs, now)
    }
}
