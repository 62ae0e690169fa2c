//! A machine's static transition table: validated once, drawn as a diagram.

/// The most states a [`Table`] may declare (validation tracks them in a 64-bit set).
pub const MAX_STATES: usize = 64;

/// One state of a [`Table`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct StateSpec {
    /// The state's name, as [`crate::fsm::Machine::state_name`] reports it.
    pub name: &'static str,
    /// Whether the state has a deadline (and so needs a timeout edge).
    pub timeout: bool,
}

/// What triggers an [`Edge`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Trigger {
    /// A named event.
    Event(&'static str),
    /// The state's deadline.
    Timeout,
}

/// One possible transition of a [`Table`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Edge {
    /// The state left.
    pub from: &'static str,
    /// The state entered.
    pub to: &'static str,
    /// What causes it.
    pub on: Trigger,
}

/// Why a [`Table`] is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum TableError {
    /// The table declares no state.
    NoStates,
    /// More than [`MAX_STATES`] states.
    TooManyStates,
    /// A state name is declared twice.
    DuplicateState(&'static str),
    /// The initial state or an edge names a state that is not declared.
    UnknownState(&'static str),
    /// The state cannot be reached from the initial state.
    Unreachable(&'static str),
    /// The state declares a timeout but no edge leaves it on `Timeout`.
    TimeoutWithoutHandler(&'static str),
    /// An edge leaves the state on `Timeout` but the state declares no timeout.
    TimeoutEdgeWithoutTimeout(&'static str),
}

impl core::fmt::Display for TableError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::NoStates => f.write_str("the table declares no state"),
            Self::TooManyStates => write!(f, "the table declares more than {MAX_STATES} states"),
            Self::DuplicateState(s) => write!(f, "state `{s}` is declared twice"),
            Self::UnknownState(s) => write!(f, "state `{s}` is used but not declared"),
            Self::Unreachable(s) => {
                write!(f, "state `{s}` cannot be reached from the initial state")
            }
            Self::TimeoutWithoutHandler(s) => {
                write!(f, "state `{s}` has a timeout but no edge handles it")
            }
            Self::TimeoutEdgeWithoutTimeout(s) => {
                write!(f, "state `{s}` has a timeout edge but declares no timeout")
            }
        }
    }
}

impl core::error::Error for TableError {}

/// The static description of a machine: its states, initial state and edges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Table {
    /// The initial state's name.
    pub initial: &'static str,
    /// Every state, in the order diagrams list them.
    pub states: &'static [StateSpec],
    /// Every possible transition.
    pub edges: &'static [Edge],
}

impl Table {
    /// Position of the state named `name`.
    #[must_use]
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.states.iter().position(|s| s.name == name)
    }

    /// Whether `from -> to` on `on` is one of the table's edges.
    #[must_use]
    pub fn allows(&self, from: &str, to: &str) -> bool {
        self.edges.iter().any(|e| e.from == from && e.to == to)
    }

    /// Checks the table: declared names only, no duplicates, every state reachable from
    /// the initial one, and timeouts and timeout edges matching.
    ///
    /// # Errors
    /// The first [`TableError`] found, in the order of the checks above.
    pub fn validate(&self) -> Result<(), TableError> {
        if self.states.is_empty() {
            return Err(TableError::NoStates);
        }
        if self.states.len() > MAX_STATES {
            return Err(TableError::TooManyStates);
        }
        for (i, s) in self.states.iter().enumerate() {
            if self
                .states
                .iter()
                .skip(i.saturating_add(1))
                .any(|t| t.name == s.name)
            {
                return Err(TableError::DuplicateState(s.name));
            }
        }
        let initial = self
            .index_of(self.initial)
            .ok_or(TableError::UnknownState(self.initial))?;
        for e in self.edges {
            self.index_of(e.from)
                .ok_or(TableError::UnknownState(e.from))?;
            self.index_of(e.to).ok_or(TableError::UnknownState(e.to))?;
        }
        let reached = self.reachable_from(initial);
        for (i, s) in self.states.iter().enumerate() {
            if reached & bit(i) == 0 {
                return Err(TableError::Unreachable(s.name));
            }
        }
        for s in self.states {
            let has_edge = self
                .edges
                .iter()
                .any(|e| e.from == s.name && e.on == Trigger::Timeout);
            if s.timeout && !has_edge {
                return Err(TableError::TimeoutWithoutHandler(s.name));
            }
            if !s.timeout && has_edge {
                return Err(TableError::TimeoutEdgeWithoutTimeout(s.name));
            }
        }
        Ok(())
    }

    fn reachable_from(&self, initial: usize) -> u64 {
        let mut reached = bit(initial);
        // A fixpoint over at most MAX_STATES rounds: each round adds a state or stops.
        for _ in 0..self.states.len() {
            let before = reached;
            for e in self.edges {
                if let (Some(f), Some(t)) = (self.index_of(e.from), self.index_of(e.to))
                    && reached & bit(f) != 0
                {
                    reached |= bit(t);
                }
            }
            if reached == before {
                break;
            }
        }
        reached
    }

    /// Writes the table as a Mermaid `stateDiagram-v2`.
    ///
    /// # Errors
    /// Whatever `out` returns.
    pub fn write_mermaid(&self, out: &mut impl core::fmt::Write) -> core::fmt::Result {
        writeln!(out, "stateDiagram-v2")?;
        writeln!(out, "    [*] --> {}", self.initial)?;
        for e in self.edges {
            match e.on {
                Trigger::Event(name) => writeln!(out, "    {} --> {}: {}", e.from, e.to, name)?,
                Trigger::Timeout => writeln!(out, "    {} --> {}: timeout", e.from, e.to)?,
            }
        }
        Ok(())
    }
}

const fn bit(i: usize) -> u64 {
    // `i < MAX_STATES` is checked by `validate` before any call.
    1u64.wrapping_shl(i as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn s(name: &'static str, timeout: bool) -> StateSpec {
        StateSpec { name, timeout }
    }
    const fn e(from: &'static str, to: &'static str, on: Trigger) -> Edge {
        Edge { from, to, on }
    }

    const GOOD: Table = Table {
        initial: "a",
        states: &[s("a", false), s("b", true)],
        edges: &[
            e("a", "b", Trigger::Event("go")),
            e("b", "a", Trigger::Timeout),
        ],
    };

    #[test]
    fn a_consistent_table_validates() {
        assert_eq!(GOOD.validate(), Ok(()));
        assert!(GOOD.allows("a", "b"));
        assert!(!GOOD.allows("a", "a"));
    }

    #[test]
    fn unreachable_state_is_reported() {
        const T: Table = Table {
            initial: "a",
            states: &[s("a", false), s("b", false), s("c", false)],
            edges: &[e("a", "b", Trigger::Event("go"))],
        };
        assert_eq!(T.validate(), Err(TableError::Unreachable("c")));
    }

    #[test]
    fn an_unreachable_cycle_is_reported() {
        // b and c lead to each other, but nothing leads to them from a.
        const T: Table = Table {
            initial: "a",
            states: &[s("a", false), s("b", false), s("c", false)],
            edges: &[
                e("b", "c", Trigger::Event("go")),
                e("c", "b", Trigger::Event("back")),
                e("b", "a", Trigger::Event("home")),
            ],
        };
        assert_eq!(T.validate(), Err(TableError::Unreachable("b")));
    }

    #[test]
    fn timeout_without_handler_is_reported() {
        const T: Table = Table {
            initial: "a",
            states: &[s("a", true)],
            edges: &[],
        };
        assert_eq!(T.validate(), Err(TableError::TimeoutWithoutHandler("a")));
    }

    #[test]
    fn timeout_edge_without_declared_timeout_is_reported() {
        const T: Table = Table {
            initial: "a",
            states: &[s("a", false), s("b", false)],
            edges: &[e("a", "b", Trigger::Timeout)],
        };
        assert_eq!(
            T.validate(),
            Err(TableError::TimeoutEdgeWithoutTimeout("a"))
        );
    }

    #[test]
    fn unknown_and_duplicate_states_are_reported() {
        const UNKNOWN: Table = Table {
            initial: "z",
            states: &[s("a", false)],
            edges: &[],
        };
        assert_eq!(UNKNOWN.validate(), Err(TableError::UnknownState("z")));
        const EDGE: Table = Table {
            initial: "a",
            states: &[s("a", false)],
            edges: &[e("a", "q", Trigger::Event("x"))],
        };
        assert_eq!(EDGE.validate(), Err(TableError::UnknownState("q")));
        const DUP: Table = Table {
            initial: "a",
            states: &[s("a", false), s("a", false)],
            edges: &[],
        };
        assert_eq!(DUP.validate(), Err(TableError::DuplicateState("a")));
        const EMPTY: Table = Table {
            initial: "a",
            states: &[],
            edges: &[],
        };
        assert_eq!(EMPTY.validate(), Err(TableError::NoStates));
    }

    #[test]
    fn mermaid_lists_initial_state_and_every_edge() {
        let mut out: heapless::String<256> = heapless::String::new();
        GOOD.write_mermaid(&mut out).unwrap();
        assert_eq!(
            out.as_str(),
            "stateDiagram-v2\n    [*] --> a\n    a --> b: go\n    b --> a: timeout\n"
        );
    }
}
