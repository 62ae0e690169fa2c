//! What an exploration of a P/T net checks and how far it may go.

use super::search::Progress;

/// A predicate on a marking (one count per place, in place order).
pub type Predicate<'a> = Box<dyn Fn(&[u64]) -> bool + 'a>;

/// A predicate on markings that may be called from the thread that generates
/// successors.
pub type SharedPredicate<'a> = Box<dyn Fn(&[u64]) -> bool + Sync + 'a>;

/// A callback told how far an exploration has got.
pub type ProgressFn<'a> = Box<dyn FnMut(&Progress) + 'a>;

/// What a [`Property`] asks of the states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PropertyKind {
    /// A safety property: the predicate holds in every reachable marking.
    Always,
    /// A reachability question: the predicate holds in some reachable marking.
    Reachable,
}

/// A named predicate checked on every marking the explorer stores.
pub struct Property<'a> {
    /// The name shown in reports.
    pub name: String,
    /// What is asked of the predicate.
    pub kind: PropertyKind,
    /// The predicate.
    pub predicate: Predicate<'a>,
}

/// The default [`Options::max_states`]: ten million states (about 240 MB for a
/// one-word key).
pub const DEFAULT_MAX_STATES: u64 = 10_000_000;

/// The default [`Options::max_deadlocks_kept`].
pub const DEFAULT_MAX_DEADLOCKS_KEPT: usize = 10;

/// How an exploration runs: its limits, the properties it checks, and whom it tells
/// how far it got.
///
/// ```
/// use mycel_check::explore::Options;
///
/// let options = Options::new()
///     .max_states(1_000)
///     .always("at most one in the critical section", |m| m[2] + m[3] <= 1)
///     .reachable("both waiting", |m| m[0] == 0 && m[1] == 0);
/// assert_eq!(options.max_states, 1_000);
/// ```
pub struct Options<'a> {
    /// The most markings stored. When the next new marking would go over it, the
    /// exploration stops and reports what it saw, marked incomplete.
    pub max_states: u64,
    /// How many deadlocks get a trace (all are counted), the shortest first.
    pub max_deadlocks_kept: usize,
    /// The properties, reported in this order.
    pub properties: Vec<Property<'a>>,
    /// Markings that are the net's intended end: a marking that enables nothing and
    /// satisfies this is not reported as a deadlock.
    pub finished: Option<SharedPredicate<'a>>,
    /// Whether successors are generated on a second thread while the calling thread
    /// stores them (only on a machine with two or more cores). The result is the same
    /// either way. Off by default: for a P/T net, generating successors is about a fifth
    /// of the time (storing them is the rest), and on Kanban N=5 the second thread
    /// measured no faster (see `benches/README.md`). It is for models whose successors
    /// cost more to compute than to store.
    pub parallel: bool,
    /// Called every [`PROGRESS_EVERY`](super::PROGRESS_EVERY) expanded markings.
    pub progress: Option<ProgressFn<'a>>,
}

impl std::fmt::Debug for Options<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("max_states", &self.max_states)
            .field("max_deadlocks_kept", &self.max_deadlocks_kept)
            .field(
                "properties",
                &self.properties.iter().map(|p| &p.name).collect::<Vec<_>>(),
            )
            .field("finished", &self.finished.is_some())
            .finish_non_exhaustive()
    }
}

impl Default for Options<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a> Options<'a> {
    /// [`DEFAULT_MAX_STATES`], [`DEFAULT_MAX_DEADLOCKS_KEPT`], no properties, no
    /// finished markings, one thread, no progress.
    #[must_use]
    pub fn new() -> Self {
        Self {
            max_states: DEFAULT_MAX_STATES,
            max_deadlocks_kept: DEFAULT_MAX_DEADLOCKS_KEPT,
            properties: Vec::new(),
            finished: None,
            parallel: false,
            progress: None,
        }
    }

    /// Sets [`Options::max_states`].
    #[must_use]
    pub fn max_states(mut self, n: u64) -> Self {
        self.max_states = n;
        self
    }

    /// Adds a safety property: `predicate` must hold in every reachable marking.
    #[must_use]
    pub fn always(
        mut self,
        name: impl Into<String>,
        predicate: impl Fn(&[u64]) -> bool + 'a,
    ) -> Self {
        self.properties.push(Property {
            name: name.into(),
            kind: PropertyKind::Always,
            predicate: Box::new(predicate),
        });
        self
    }

    /// Adds a reachability question: is there a reachable marking where `predicate`
    /// holds?
    #[must_use]
    pub fn reachable(
        mut self,
        name: impl Into<String>,
        predicate: impl Fn(&[u64]) -> bool + 'a,
    ) -> Self {
        self.properties.push(Property {
            name: name.into(),
            kind: PropertyKind::Reachable,
            predicate: Box::new(predicate),
        });
        self
    }

    /// Sets [`Options::finished`].
    #[must_use]
    pub fn finished(mut self, predicate: impl Fn(&[u64]) -> bool + Sync + 'a) -> Self {
        self.finished = Some(Box::new(predicate));
        self
    }

    /// Sets [`Options::parallel`].
    #[must_use]
    pub fn parallel(mut self, parallel: bool) -> Self {
        self.parallel = parallel;
        self
    }

    /// Sets [`Options::progress`].
    #[must_use]
    pub fn on_progress(mut self, progress: impl FnMut(&Progress) + 'a) -> Self {
        self.progress = Some(Box::new(progress));
        self
    }
}
