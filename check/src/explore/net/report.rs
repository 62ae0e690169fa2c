//! What an exploration of a running net found.

use std::fmt;
use std::time::Duration;

use mycel::time::Instant;

use super::system::Firing;
use crate::explore::PropertyKind;

/// One step of a trace: an outside event (or time passing), and the firings of the run
/// to rest that followed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceStep {
    /// The event's name, or [`TIMEOUT`](super::TIMEOUT).
    pub event: String,
    /// The instant the step happened at.
    pub at: Instant,
    /// The transitions that fired (or failed) after it, in order.
    pub firings: Vec<Firing>,
}

/// A shortest sequence of steps from the initial state to a state of interest (the
/// search is breadth-first), with what the net fired after each.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NetTrace {
    /// The steps, in order.
    pub steps: Vec<TraceStep>,
}

impl NetTrace {
    /// The names of the outside events, in order.
    #[must_use]
    pub fn events(&self) -> Vec<&str> {
        self.steps.iter().map(|s| s.event.as_str()).collect()
    }

    /// The names of every transition that fired successfully, in order.
    #[must_use]
    pub fn fired(&self) -> Vec<&'static str> {
        self.steps
            .iter()
            .flat_map(|s| s.firings.iter().filter(|f| !f.failed))
            .map(|f| f.transition)
            .collect()
    }
}

impl fmt::Display for NetTrace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.steps.is_empty() {
            return f.write_str("(the initial state)");
        }
        for (i, step) in self.steps.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(
                f,
                "{}. {} (at tick {})",
                i + 1,
                step.event,
                step.at.as_ticks()
            )?;
            for (j, firing) in step.firings.iter().enumerate() {
                f.write_str(if j == 0 { ": " } else { ", " })?;
                f.write_str(firing.transition)?;
                if firing.failed {
                    f.write_str(" (failed)")?;
                }
            }
        }
        Ok(())
    }
}

/// The answer to one property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetVerdict {
    /// An "always" property held in every reachable state.
    Holds,
    /// An "always" property failed: a shortest trace to the first state violating it.
    Violated(NetTrace),
    /// A "reachable" property holds in some state: a shortest trace to one.
    Reached(NetTrace),
    /// A "reachable" property holds in no reachable state.
    Unreachable,
    /// The exploration stopped at its state limit before it could tell.
    Unknown,
}

/// A property's name, kind and verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetPropertyResult {
    /// The name it was given.
    pub name: String,
    /// Whether it was to hold always or to be reachable.
    pub kind: PropertyKind,
    /// What the exploration found.
    pub verdict: NetVerdict,
}

/// What a [`NetExplorer`](super::NetExplorer) found. Every trace is a shortest one.
#[derive(Debug, Clone, PartialEq)]
pub struct NetExploration {
    /// Whether every reachable state was seen (the state limit was not hit).
    pub complete: bool,
    /// The state limit the exploration ran with.
    pub max_states: u64,
    /// Distinct states reached (the net at rest between outside events).
    pub states: u64,
    /// Steps taken from all states, whether or not they led to a new state.
    pub edges: u64,
    /// The length of the longest shortest trace.
    pub depth: u32,
    /// States where nothing can happen (no outside event is enabled and the net has no
    /// deadline) and that the finished predicate does not accept.
    pub deadlock_count: u64,
    /// Shortest traces to the first deadlocks.
    pub deadlocks: Vec<NetTrace>,
    /// States where nothing can happen and that the finished predicate accepts.
    pub finished_states: u64,
    /// The names of the places, in index order.
    pub places: Vec<&'static str>,
    /// The most tokens each place held in any state at rest, by place index.
    pub place_bounds: Vec<usize>,
    /// The transitions that never fired successfully in any run, by name.
    pub dead_transitions: Vec<&'static str>,
    /// Whether every state kept the net's token balance (tokens injected and created
    /// equal tokens taken, retired and held): [`NetVerdict::Holds`] or a trace to the
    /// first state that did not.
    pub tokens_conserved: NetVerdict,
    /// The properties asked for, in the order given.
    pub properties: Vec<NetPropertyResult>,
    /// Wall time of the exploration.
    pub elapsed: Duration,
}

impl NetExploration {
    /// The verdict of the property named `name`, if one was asked for.
    #[must_use]
    pub fn verdict(&self, name: &str) -> Option<&NetVerdict> {
        self.properties
            .iter()
            .find(|p| p.name == name)
            .map(|p| &p.verdict)
    }

    /// The bound of the place named `name`: the most tokens it held at rest.
    #[must_use]
    pub fn bound(&self, name: &str) -> Option<usize> {
        let index = self.places.iter().position(|&p| p == name)?;
        self.place_bounds.get(index).copied()
    }

    /// Whether the exploration was complete, found no deadlock, kept every token, every
    /// "always" property held and every "reachable" one was reached.
    #[must_use]
    pub fn holds(&self) -> bool {
        self.complete
            && self.deadlock_count == 0
            && self.tokens_conserved == NetVerdict::Holds
            && self
                .properties
                .iter()
                .all(|p| matches!(p.verdict, NetVerdict::Holds | NetVerdict::Reached(_)))
    }
}

impl fmt::Display for NetExploration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} states{}, {} edges, depth {}, {} finished, {} deadlocks",
            self.states,
            if self.complete {
                ""
            } else {
                " (stopped at the state limit)"
            },
            self.edges,
            self.depth,
            self.finished_states,
            self.deadlock_count
        )?;
        for (name, bound) in self.places.iter().zip(&self.place_bounds) {
            writeln!(f, "  bound of {name}: {bound}")?;
        }
        if !self.dead_transitions.is_empty() {
            writeln!(f, "  never fired: {}", self.dead_transitions.join(", "))?;
        }
        let show = |f: &mut fmt::Formatter<'_>, name: &str, verdict: &NetVerdict| match verdict {
            NetVerdict::Holds => writeln!(f, "  {name}: holds"),
            NetVerdict::Unreachable => writeln!(f, "  {name}: unreachable"),
            NetVerdict::Unknown => writeln!(f, "  {name}: unknown (state limit)"),
            NetVerdict::Violated(trace) => writeln!(f, "  {name}: VIOLATED by\n{trace}"),
            NetVerdict::Reached(trace) => writeln!(f, "  {name}: reached by\n{trace}"),
        };
        show(f, "no token lost or invented", &self.tokens_conserved)?;
        for property in &self.properties {
            show(f, &property.name, &property.verdict)?;
        }
        for trace in &self.deadlocks {
            writeln!(f, "  deadlock after\n{trace}")?;
        }
        Ok(())
    }
}
