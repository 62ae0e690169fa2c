//! Host calls as generated data ([`Op`], relative to the net's clock) and as concrete
//! calls ([`Call`], with absolute instants).
//!
//! An [`Op`] says "inject a bit later" or "step at an instant before the last one"; it
//! becomes a [`Call`] against the last instant the net has seen, so every generated
//! sequence is meaningful whatever happened before: equal instants, small and enormous
//! jumps (saturating at `u64::MAX`, never overflowing), and clock regressions.

/// Most operations a generated sequence keeps.
pub const MAX_OPS: usize = 64;
/// Largest `run` budget an [`Op::Run`] asks for.
pub const MAX_BUDGET: u32 = 16;

/// A forward time jump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, arbitrary::Arbitrary)]
pub enum Gap {
    /// `1 + n % 16` ticks: the scale of short delays.
    Tick(u8),
    /// `n` ticks (may be 0).
    Span(u16),
    /// Close to `u64::MAX / 2` ticks; two of them reach the end of time.
    Enormous(u16),
}

impl Gap {
    /// The jump in ticks.
    #[must_use]
    pub fn ticks(self) -> u64 {
        match self {
            Self::Tick(n) => 1 + u64::from(n % 16),
            Self::Span(n) => u64::from(n),
            Self::Enormous(n) => u64::MAX / 2 - u64::from(n),
        }
    }
}

/// When a time-taking operation happens, relative to the last instant the net has seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, arbitrary::Arbitrary)]
pub enum When {
    /// At the last instant seen.
    Same,
    /// This much later (saturating at `u64::MAX`).
    Later(Gap),
    /// `1 + n` ticks earlier: a clock regression (unless the net is still at instant 0).
    Earlier(u8),
}

impl When {
    /// The absolute instant, given the last instant seen.
    #[must_use]
    pub fn instant(self, last_seen: u64) -> u64 {
        match self {
            Self::Same => last_seen,
            Self::Later(gap) => last_seen.saturating_add(gap.ticks()),
            Self::Earlier(n) => last_seen.saturating_sub(1 + u64::from(n)),
        }
    }
}

/// One host operation, as generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, arbitrary::Arbitrary)]
pub enum Op {
    /// Inject `value` into place `place % (places + 1)` (the last choice does not exist).
    Inject {
        /// Chooses the place.
        place: u8,
        /// The token.
        value: u32,
        /// When.
        at: When,
    },
    /// Take the head of place `place % (places + 1)`.
    Take {
        /// Chooses the place.
        place: u8,
    },
    /// Fire at most one transition.
    Step {
        /// When.
        at: When,
    },
    /// Fire until idle or `budget % (MAX_BUDGET + 1)` firings.
    Run {
        /// When.
        at: When,
        /// Chooses the budget.
        budget: u8,
    },
}

/// One host call with absolute instants and indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    /// `inject(place, value, now)`.
    Inject {
        /// Place index (may be out of range).
        place: usize,
        /// The token.
        value: u32,
        /// Instant in ticks.
        now: u64,
    },
    /// `take(place)`.
    Take {
        /// Place index (may be out of range).
        place: usize,
    },
    /// `step(now)`.
    Step {
        /// Instant in ticks.
        now: u64,
    },
    /// `run(now, budget)`.
    Run {
        /// Instant in ticks.
        now: u64,
        /// Most firings.
        budget: u32,
    },
}

impl Op {
    /// The call this operation stands for on a net of `place_count` places whose last
    /// instant seen is `last_seen`.
    #[must_use]
    pub fn resolve(self, last_seen: u64, place_count: usize) -> Call {
        let place = |p: u8| usize::from(p) % (place_count + 1);
        match self {
            Self::Inject {
                place: p,
                value,
                at,
            } => Call::Inject {
                place: place(p),
                value,
                now: at.instant(last_seen),
            },
            Self::Take { place: p } => Call::Take { place: place(p) },
            Self::Step { at } => Call::Step {
                now: at.instant(last_seen),
            },
            Self::Run { at, budget } => Call::Run {
                now: at.instant(last_seen),
                budget: u32::from(budget) % (MAX_BUDGET + 1),
            },
        }
    }
}

impl Call {
    /// The instant the call passes, if it takes one.
    #[must_use]
    pub fn now(self) -> Option<u64> {
        match self {
            Self::Inject { now, .. } | Self::Step { now } | Self::Run { now, .. } => Some(now),
            Self::Take { .. } => None,
        }
    }
}
