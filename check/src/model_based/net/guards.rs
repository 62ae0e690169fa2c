//! The fixed set of guards generated nets may use, each written once for the reference
//! interpreter and once for the engine.
//!
//! Guards must be plain functions on both sides (the engine caches a guard's answer, so
//! it cannot capture state), which is why the set is closed: a [`GuardKind`] names one,
//! and [`GuardKind::reference`] and [`engine_guard`] give the two implementations.

use crate::reference::net::{GuardSpec, first_token_even};
use mycel::net::{Guard, Heads};

/// Tokens below this are "small" for [`GuardKind::SmallTokens`]; freshly minted tokens
/// (see [`crate::model_based::net::script::MINT_BASE`]) never are.
pub const SMALL_TOKEN_LIMIT: u32 = 1000;

/// One of the guards generated nets may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, arbitrary::Arbitrary)]
pub enum GuardKind {
    /// No guard: always accepts.
    Always,
    /// Accepts iff there is a first consumed token and it is even.
    FirstEven,
    /// Accepts iff all consumed tokens are equal (vacuously true for none or one).
    AllEqual,
    /// Never accepts: the transition is never enabled.
    Never,
    /// Accepts iff every consumed token is below [`SMALL_TOKEN_LIMIT`].
    SmallTokens,
}

impl GuardKind {
    /// Every guard kind, for strategies that pick one.
    pub const ALL: [Self; 5] = [
        Self::Always,
        Self::FirstEven,
        Self::AllEqual,
        Self::Never,
        Self::SmallTokens,
    ];

    /// The reference interpreter's form of the guard (`None` for [`GuardKind::Always`]).
    #[must_use]
    pub fn reference(self) -> Option<GuardSpec<u32>> {
        match self {
            Self::Always => None,
            Self::FirstEven => Some(GuardSpec::Predicate(first_token_even)),
            Self::AllEqual => Some(GuardSpec::AllEqual),
            Self::Never => Some(GuardSpec::Never),
            Self::SmallTokens => Some(GuardSpec::Predicate(small_tokens)),
        }
    }

    /// Which kind a reference guard is, or `None` for a predicate outside the fixed set.
    #[must_use]
    pub fn of_reference(guard: Option<&GuardSpec<u32>>) -> Option<Self> {
        match guard {
            None => Some(Self::Always),
            Some(GuardSpec::Never) => Some(Self::Never),
            Some(GuardSpec::AllEqual) => Some(Self::AllEqual),
            Some(GuardSpec::Predicate(f)) => {
                let f: fn(&[u32]) -> bool = *f;
                if std::ptr::fn_addr_eq(f, first_token_even as fn(&[u32]) -> bool) {
                    Some(Self::FirstEven)
                } else if std::ptr::fn_addr_eq(f, small_tokens as fn(&[u32]) -> bool) {
                    Some(Self::SmallTokens)
                } else {
                    None
                }
            }
        }
    }
}

/// The engine's form of `kind` (`None` for [`GuardKind::Always`]).
#[must_use]
pub fn engine_guard(kind: GuardKind) -> Option<Guard<u32>> {
    match kind {
        GuardKind::Always => None,
        GuardKind::FirstEven => Some(engine_first_even),
        GuardKind::AllEqual => Some(engine_all_equal),
        GuardKind::Never => Some(engine_never),
        GuardKind::SmallTokens => Some(engine_small_tokens),
    }
}

/// Reference side of [`GuardKind::SmallTokens`].
#[must_use]
pub fn small_tokens(tokens: &[u32]) -> bool {
    tokens.iter().all(|&t| t < SMALL_TOKEN_LIMIT)
}

fn engine_first_even(heads: &Heads<'_, u32>) -> bool {
    heads.get(0).is_some_and(|t| t % 2 == 0)
}

fn engine_all_equal(heads: &Heads<'_, u32>) -> bool {
    let first = heads.get(0);
    heads.iter().all(|t| Some(t) == first)
}

fn engine_never(_: &Heads<'_, u32>) -> bool {
    false
}

fn engine_small_tokens(heads: &Heads<'_, u32>) -> bool {
    heads.iter().all(|&t| t < SMALL_TOKEN_LIMIT)
}
