//! What happens to a net from outside while it is explored: the host's moves and the
//! passing of time.

use std::fmt;
use std::sync::Arc;

use mycel::net::PlaceId;

/// A function that turns a token the environment took into the token it puts back.
pub type Answer<C> = Arc<dyn Fn(C) -> C + Send + Sync>;

/// One thing the environment can do to the net, between two runs of the net to rest.
/// Each is one step of the exploration, named in traces by its name.
#[derive(Clone)]
pub enum OutsideEvent<C> {
    /// Injects the next of `tokens` into `place`: the first time `tokens[0]`, then
    /// `tokens[1]`, and so on. Enabled while some are left and `place` has room, so the
    /// list bounds how many times it happens on any path.
    Inject {
        /// The name in traces.
        name: String,
        /// Where the tokens go.
        place: PlaceId,
        /// The tokens, in the order they are injected.
        tokens: Vec<C>,
    },
    /// Takes the head token of `place` out of the net (a consumer outside). Enabled
    /// while `place` holds a token.
    Take {
        /// The name in traces.
        name: String,
        /// The place taken from.
        place: PlaceId,
    },
    /// Takes the head token of `from` and injects `answer(token)` into `to`: a server
    /// outside the net that answers a call. Enabled while `from` holds a token and `to`
    /// has room.
    Answer {
        /// The name in traces.
        name: String,
        /// The place the call is taken from.
        from: PlaceId,
        /// The place the answer goes to.
        to: PlaceId,
        /// The answer to a call.
        answer: Answer<C>,
    },
}

impl<C> OutsideEvent<C> {
    /// The event's name in traces.
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            OutsideEvent::Inject { name, .. }
            | OutsideEvent::Take { name, .. }
            | OutsideEvent::Answer { name, .. } => name,
        }
    }
}

impl<C: fmt::Debug> fmt::Debug for OutsideEvent<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutsideEvent::Inject {
                name,
                place,
                tokens,
            } => f
                .debug_struct("Inject")
                .field("name", name)
                .field("place", place)
                .field("tokens", tokens)
                .finish(),
            OutsideEvent::Take { name, place } => f
                .debug_struct("Take")
                .field("name", name)
                .field("place", place)
                .finish(),
            OutsideEvent::Answer { name, from, to, .. } => f
                .debug_struct("Answer")
                .field("name", name)
                .field("from", from)
                .field("to", to)
                .finish_non_exhaustive(),
        }
    }
}

/// The name of the step that moves time to the net's next deadline, in traces.
pub const TIMEOUT: &str = "time passes to the next deadline";

/// Everything the environment may do to an explored net: its [`OutsideEvent`]s, in the
/// order given, and (unless turned off) time passing to the net's next deadline.
///
/// Places are named by id: a declared net's (`MyNet::PLACES.inbox.id()`), or one made
/// from its position with [`PlaceId::new`], which every net accepts. An id one builder
/// handed out is foreign to a net from another build (each build of `make` is one):
/// the explorer refuses an event naming it ([`NetExploreError::UnknownPlace`](super::NetExploreError::UnknownPlace)).
///
/// Time is explored untimed: outside events happen at the current instant, and only the
/// timeout step moves time, straight to the net's next deadline (a delayed transition
/// coming due or a machine's timeout, as [`Net::next_deadline`](mycel::net::Net::next_deadline)
/// says, the machines a declared net owns included). A timeout may so happen between any
/// two events or not before any of them: every order of events and deadlines is
/// explored, whatever the real delays are (an over-approximation: it may include orders
/// real delays exclude, which is safe for safety properties).
///
/// ```
/// use mycel::net::PlaceId;
/// use mycel_check::explore::Environment;
///
/// let (requests, calls, answers) = (PlaceId::new(0), PlaceId::new(1), PlaceId::new(2));
/// let environment = Environment::new()
///     .inject("client", requests, [1u32, 2, 3])
///     .answer("backend", calls, answers, |call| call + 100)
///     .take("consumer", answers);
/// assert_eq!(environment.steps(), 4); // three events and the timeout
/// ```
#[derive(Clone, Debug)]
pub struct Environment<C> {
    events: Vec<OutsideEvent<C>>,
    timeouts: bool,
}

impl<C> Default for Environment<C> {
    fn default() -> Self {
        Self::new()
    }
}

impl<C> Environment<C> {
    /// An environment that does nothing but let time pass to the next deadline.
    #[must_use]
    pub fn new() -> Self {
        Self {
            events: Vec::new(),
            timeouts: true,
        }
    }

    /// Adds an [`OutsideEvent::Inject`]: `tokens` go into `place` one at a time, in order.
    #[must_use]
    pub fn inject(
        mut self,
        name: impl Into<String>,
        place: PlaceId,
        tokens: impl IntoIterator<Item = C>,
    ) -> Self {
        self.events.push(OutsideEvent::Inject {
            name: name.into(),
            place,
            tokens: tokens.into_iter().collect(),
        });
        self
    }

    /// Adds an [`OutsideEvent::Take`] from `place`.
    #[must_use]
    pub fn take(mut self, name: impl Into<String>, place: PlaceId) -> Self {
        self.events.push(OutsideEvent::Take {
            name: name.into(),
            place,
        });
        self
    }

    /// Adds an [`OutsideEvent::Answer`]: a call taken from `from` comes back into `to`
    /// as `answer(call)`. Give several answers for the same places to explore each (a
    /// backend that may succeed or fail).
    #[must_use]
    pub fn answer(
        mut self,
        name: impl Into<String>,
        from: PlaceId,
        to: PlaceId,
        answer: impl Fn(C) -> C + Send + Sync + 'static,
    ) -> Self {
        self.events.push(OutsideEvent::Answer {
            name: name.into(),
            from,
            to,
            answer: Arc::new(answer),
        });
        self
    }

    /// Whether time may pass to the net's next deadline (on by default). Off, the net
    /// is explored as if its deadlines never came.
    #[must_use]
    pub fn timeouts(mut self, on: bool) -> Self {
        self.timeouts = on;
        self
    }

    /// The outside events, in the order given.
    #[must_use]
    pub fn events(&self) -> &[OutsideEvent<C>] {
        &self.events
    }

    /// Whether time may pass to the net's next deadline.
    #[must_use]
    pub fn has_timeouts(&self) -> bool {
        self.timeouts
    }

    /// How many kinds of step the exploration has: the events, and the timeout if on.
    #[must_use]
    pub fn steps(&self) -> usize {
        self.events.len() + usize::from(self.timeouts)
    }

    /// The places an outside event names, with its name.
    pub(super) fn places(&self) -> impl Iterator<Item = (&str, PlaceId)> {
        self.events.iter().flat_map(|event| {
            let (first, second) = match event {
                OutsideEvent::Inject { place, .. } | OutsideEvent::Take { place, .. } => {
                    (*place, None)
                }
                OutsideEvent::Answer { from, to, .. } => (*from, Some(*to)),
            };
            std::iter::once((event.name(), first)).chain(second.map(|to| (event.name(), to)))
        })
    }

    /// The name of step `label` in traces: an event's name, or [`TIMEOUT`].
    #[must_use]
    pub fn step_name(&self, label: u32) -> &str {
        match self.events.get(label as usize) {
            Some(event) => event.name(),
            None => TIMEOUT,
        }
    }
}
