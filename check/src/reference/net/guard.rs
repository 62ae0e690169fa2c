//! Guards: pure predicates over the tokens a transition would consume.

/// A transition guard, described as data so the same spec can build the engine's guard.
#[derive(Clone, Debug)]
pub enum GuardSpec<C> {
    /// Never true: the transition is never enabled.
    Never,
    /// True iff all would-be-consumed tokens are equal (true for none or one).
    AllEqual,
    /// Any pure function of the would-be-consumed tokens, in consumption order.
    Predicate(fn(&[C]) -> bool),
}

impl<C: PartialEq> GuardSpec<C> {
    /// Whether the guard accepts `tokens` (the first `w` tokens of each Input place, in arc
    /// order).
    pub fn accepts(&self, tokens: &[C]) -> bool {
        match self {
            Self::Never => false,
            Self::AllEqual => all_equal(tokens),
            Self::Predicate(predicate) => predicate(tokens),
        }
    }
}

/// True iff every token equals the first (vacuously true for zero or one token).
pub fn all_equal<C: PartialEq>(tokens: &[C]) -> bool {
    tokens.windows(2).all(|pair| pair.first() == pair.get(1))
}

/// True iff there is a first token and it is even (a ready-made guard for `u32` tokens).
pub fn first_token_even(tokens: &[u32]) -> bool {
    tokens.first().is_some_and(|token| token % 2 == 0)
}
