//! The scripted behaviour: one implementation of what transitions do when they fire,
//! run by both the engine ([`Behaviour`]) and the reference ([`RefBehaviour`]).
//!
//! Each transition has a list of [`Move`]s, used in turn on its successive firing
//! attempts (successful or not). A move turns the consumed tokens into a list of
//! reference [`Action`]s plus a result; the engine side applies the same actions through
//! [`Firing::forward`] and [`Firing::emit`]. Both sides therefore see the same requests,
//! and any difference in what they make of them is a difference in the nets.

use crate::reference::net::{Action, ArcKind, NetSpec, RefBehaviour};
use mycel::net::TransitionId;
use mycel::sched::{Behaviour, Fault, Firing};
use mycel::time::Instant;

use super::engine::{MAX_TRANSITIONS, place_id};

/// Tokens a behaviour creates are numbered from here, so they never collide with small
/// injected values and fail [`GuardKind::SmallTokens`](super::guards::GuardKind).
pub const MINT_BASE: u32 = 0x8000_0000;
/// Most moves kept per transition.
pub const MAX_MOVES: usize = 4;

/// What a transition does on one firing attempt.
///
/// "Forward all" means: consumed token `i` goes to the `i`-th unit of output weight
/// (output arcs in arc order, each filled up to its weight); a source fills the units
/// left with new tokens; consumed tokens beyond the units are left behind (retired by a
/// sink, a lost-token failure otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq, arbitrary::Arbitrary)]
pub enum Move {
    /// Forward all.
    ForwardAll,
    /// Emit new tokens instead of forwarding: one per unit of output weight, at most as
    /// many as were consumed unless a source.
    EmitNew,
    /// Forward all, then take back the last action (one token fewer).
    DropOne,
    /// Forward all, then emit one more token to an output with room left (or, with none,
    /// the first output, or an undeclared place).
    EmitExtra,
    /// Forward all, then emit one token to a place that is not an output of the
    /// transition (`pick` chooses which; one choice is a place index that does not exist).
    EmitUndeclared {
        /// Chooses the place.
        pick: u8,
    },
    /// Forward all, then emit to the first output until one token beyond its weight.
    ExceedWeight,
    /// Forward all, then forward consumed token 0 again.
    ForwardTwice,
    /// Forward a consumed token index one past the last.
    ForwardMissing,
    /// Forward all, then fail with this fault.
    Fail(Fault),
}

impl Move {
    /// Whether this move can succeed (given the right net): it stays within declared arcs.
    #[must_use]
    pub fn stays_within_arcs(self) -> bool {
        matches!(self, Self::ForwardAll | Self::EmitNew | Self::DropOne)
    }
}

/// The moves of every transition: `moves[t]` is used in turn by transition `t`; a
/// transition without moves forwards all.
#[derive(Debug, Clone, Default, PartialEq, Eq, arbitrary::Arbitrary)]
pub struct Script {
    /// Per transition, its moves in the order they are used (cycling).
    pub moves: Vec<Vec<Move>>,
}

impl Script {
    /// A script where every transition forwards all.
    #[must_use]
    pub fn forward_all() -> Self {
        Self::default()
    }

    /// The script cut to [`MAX_TRANSITIONS`] transitions of at most [`MAX_MOVES`] moves.
    #[must_use]
    pub fn clamped(&self) -> Self {
        Self {
            moves: self
                .moves
                .iter()
                .take(MAX_TRANSITIONS)
                .map(|m| m.iter().take(MAX_MOVES).copied().collect())
                .collect(),
        }
    }

    /// The move transition `t` makes on its `attempt`-th firing attempt (from 0).
    #[must_use]
    pub fn move_for(&self, t: usize, attempt: u64) -> Move {
        self.moves
            .get(t)
            .filter(|m| !m.is_empty())
            .and_then(|m| {
                let i = usize::try_from(attempt % m.len() as u64).unwrap_or(0);
                m.get(i).copied()
            })
            .unwrap_or(Move::ForwardAll)
    }
}

/// What one firing attempt asked for: the actions in order and the behaviour's result.
pub type Plan = (Vec<Action<u32>>, Result<(), u16>);

/// The scripted behaviour of a net's transitions, for both the engine and the reference.
///
/// Two instances made from the same spec and script and fed the same firing attempts
/// make the same plans, so one can drive the engine and the other the reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scripted {
    script: Script,
    /// Per transition: its output arcs `(place, weight)` in arc order.
    outputs: Vec<Vec<(usize, u32)>>,
    sources: Vec<bool>,
    place_count: usize,
    attempts: Vec<u64>,
    minted: u32,
    calls: Vec<(usize, Vec<u32>)>,
    /// Whether to tell the engine that transitions without moves pass tokens through,
    /// so it may move their tokens without calling [`Behaviour::fire`].
    pass_through_claimed: bool,
}

impl Scripted {
    /// The behaviour of `spec`'s transitions following `script`.
    #[must_use]
    pub fn new(spec: &NetSpec<u32>, script: &Script) -> Self {
        let outputs = (0..spec.transitions.len())
            .map(|t| {
                spec.arcs
                    .iter()
                    .filter(|a| a.transition == t && a.kind == ArcKind::Output)
                    .map(|a| (a.place, a.weight))
                    .collect()
            })
            .collect();
        Self {
            script: script.clone(),
            outputs,
            sources: spec.transitions.iter().map(|t| t.source).collect(),
            place_count: spec.places.len(),
            attempts: vec![0; spec.transitions.len()],
            minted: 0,
            calls: Vec::new(),
            pass_through_claimed: false,
        }
    }

    /// The same behaviour, answering [`Behaviour::passes_through`] for the transitions
    /// without moves (they always forward all, which is what pass-through flow does for
    /// a non-source). The engine may then fire them without calling `fire`, so their
    /// attempts are missing from [`Scripted::take_calls`] where it did.
    #[must_use]
    pub fn claiming_pass_through(self) -> Self {
        Self {
            pass_through_claimed: true,
            ..self
        }
    }

    /// Every firing attempt since the last call: the transition and the tokens it
    /// consumed, in the order the behaviour received them.
    pub fn take_calls(&mut self) -> Vec<(usize, Vec<u32>)> {
        std::mem::take(&mut self.calls)
    }

    fn mint(&mut self) -> u32 {
        let token = MINT_BASE.wrapping_add(self.minted);
        self.minted = self.minted.wrapping_add(1);
        token
    }

    fn forward_all(&mut self, units: &[usize], inputs: usize, source: bool) -> Vec<Action<u32>> {
        let mut actions = Vec::new();
        for (i, &place) in units.iter().enumerate() {
            if i < inputs {
                actions.push(Action::Forward { input: i, place });
            } else if source {
                let token = self.mint();
                actions.push(Action::Emit { place, token });
            } else {
                break;
            }
        }
        actions
    }

    /// Plans firing attempt of `transition` on the consumed `inputs`.
    pub fn plan(&mut self, transition: usize, inputs: &[u32]) -> Plan {
        self.calls.push((transition, inputs.to_vec()));
        let attempt = self.attempts.get(transition).copied().unwrap_or(0);
        if let Some(a) = self.attempts.get_mut(transition) {
            *a = a.saturating_add(1);
        }
        let mv = self.script.move_for(transition, attempt);
        let outputs = self.outputs.get(transition).cloned().unwrap_or_default();
        let source = self.sources.get(transition).copied().unwrap_or(false);
        let units: Vec<usize> = outputs
            .iter()
            .flat_map(|&(p, w)| std::iter::repeat_n(p, usize::try_from(w).unwrap_or(0)))
            .collect();
        let nowhere = self.place_count;
        let sent = |actions: &[Action<u32>], place: usize| {
            actions
                .iter()
                .filter(|a| matches!(a, Action::Forward { place: p, .. } | Action::Emit { place: p, .. } if *p == place))
                .count() as u64
        };
        let mut actions = match mv {
            Move::EmitNew | Move::ForwardMissing => Vec::new(),
            _ => self.forward_all(&units, inputs.len(), source),
        };
        match mv {
            Move::ForwardAll => {}
            Move::EmitNew => {
                let n = if source {
                    units.len()
                } else {
                    units.len().min(inputs.len())
                };
                for &place in units.iter().take(n) {
                    let token = self.mint();
                    actions.push(Action::Emit { place, token });
                }
            }
            Move::DropOne => {
                actions.pop();
            }
            Move::EmitExtra => {
                let place = outputs
                    .iter()
                    .find(|&&(p, w)| sent(&actions, p) < u64::from(w))
                    .or(outputs.first())
                    .map_or(nowhere, |&(p, _)| p);
                let token = self.mint();
                actions.push(Action::Emit { place, token });
            }
            Move::EmitUndeclared { pick } => {
                let candidates: Vec<usize> = (0..=nowhere)
                    .filter(|p| !outputs.iter().any(|&(o, _)| o == *p))
                    .collect();
                let place = candidates
                    .get(usize::from(pick) % candidates.len().max(1))
                    .copied()
                    .unwrap_or(nowhere);
                let token = self.mint();
                actions.push(Action::Emit { place, token });
            }
            Move::ExceedWeight => match outputs.first() {
                Some(&(place, weight)) => {
                    for _ in sent(&actions, place)..=u64::from(weight) {
                        let token = self.mint();
                        actions.push(Action::Emit { place, token });
                    }
                }
                None => {
                    let token = self.mint();
                    actions.push(Action::Emit {
                        place: nowhere,
                        token,
                    });
                }
            },
            Move::ForwardTwice => {
                let place = outputs.first().map_or(nowhere, |&(p, _)| p);
                actions.push(Action::Forward { input: 0, place });
            }
            Move::ForwardMissing => {
                let place = units.first().copied().unwrap_or(nowhere);
                actions.push(Action::Forward {
                    input: inputs.len(),
                    place,
                });
            }
            Move::Fail(Fault(code)) => return (actions, Err(code)),
        }
        (actions, Ok(()))
    }
}

impl Behaviour<u32> for Scripted {
    fn fire(
        &mut self,
        transition: TransitionId,
        firing: &mut Firing<'_, u32>,
        _now: Instant,
    ) -> Result<(), Fault> {
        let inputs: Vec<u32> = firing.inputs().copied().collect();
        let (actions, result) = self.plan(transition.index(), &inputs);
        for action in actions {
            // A refused action poisons the firing; the net reports it as the failure.
            match action {
                Action::Forward { input, place } => {
                    let _ = firing.forward(input, place_id(place));
                }
                Action::Emit { place, token } => {
                    let _ = firing.emit(place_id(place), token);
                }
            }
        }
        result.map_err(Fault)
    }

    fn passes_through(&self, transition: TransitionId) -> bool {
        self.pass_through_claimed
            && self
                .script
                .moves
                .get(transition.index())
                .is_none_or(Vec::is_empty)
    }
}

impl RefBehaviour<u32> for Scripted {
    fn fire(&mut self, transition: usize, inputs: &[u32], _now: u64) -> Plan {
        self.plan(transition, inputs)
    }
}
