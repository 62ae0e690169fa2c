//! What `machine!` declares: a machine's state kinds and causes, each a name with its
//! position in the declaration, and the transition table built from them.
//!
//! A state change carries [`Label`]s, so a typed view of it (a breaker's
//! `BreakerChange`) reads the kind and cause back by position: no name goes to a
//! string and back.

use super::Table;

/// A declared name (a state kind or a cause) and its position in its declaration.
///
/// A label made from a bare string ([`Label::from`]) has [`Label::UNDECLARED`] as its
/// position: it names something no declaration lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Label {
    /// The name, as declared.
    pub name: &'static str,
    /// Its position in the declaration, or [`Label::UNDECLARED`].
    pub index: u16,
}

impl Label {
    /// The position of a label no declaration lists.
    pub const UNDECLARED: u16 = u16::MAX;

    /// The label `name` at position `index` of its declaration.
    #[must_use]
    pub const fn new(name: &'static str, index: u16) -> Self {
        Self { name, index }
    }
}

impl From<&'static str> for Label {
    fn from(name: &'static str) -> Self {
        Self::new(name, Self::UNDECLARED)
    }
}

impl PartialEq<&str> for Label {
    fn eq(&self, other: &&str) -> bool {
        self.name == *other
    }
}

impl PartialEq<Label> for &str {
    fn eq(&self, other: &Label) -> bool {
        *self == other.name
    }
}

impl core::fmt::Display for Label {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.pad(self.name)
    }
}

/// The kinds of a machine's states, without their data: an enum that `machine!`
/// declares, with the machine's name and transition table.
pub trait StateKind: Copy + Eq + 'static {
    /// The machine's name, reported in [`StateChange::machine`](super::StateChange::machine).
    const MACHINE: &'static str;
    /// The transition table, for validation and diagrams.
    const TABLE: Table;
    /// The kind's label: its name and position in [`StateKind::TABLE`]'s states.
    fn label(self) -> Label;
    /// The kind at `index` of the declaration, if any.
    fn from_index(index: u16) -> Option<Self>;
}

/// The causes of a machine's state changes: an enum that `machine!` declares.
pub trait CauseKind: Copy + Eq + 'static {
    /// The cause's label: its name and position in the declaration.
    fn label(self) -> Label;
    /// The cause at `index` of the declaration, if any.
    fn from_index(index: u16) -> Option<Self>;
}

/// A machine's state, with its data, that tells which declared kind it is.
pub trait States {
    /// The declared kinds.
    type Kind: StateKind;
    /// Which kind this state is.
    fn kind(&self) -> Self::Kind;
}
