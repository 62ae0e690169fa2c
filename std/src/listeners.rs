//! Subscriptions to a breaker's events: the engine's [`Notice`]s, named by backend and
//! handed to listeners after the breaker's lock is released.

use mycel::breaker::Notice;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};

/// One event of a named breaker, as a listener receives it; serializes with serde
/// (`{"breaker":"inventory","notice":{"Success":{...}}}` in JSON).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Event {
    /// The breaker's name (its backend).
    pub breaker: Arc<str>,
    /// What happened.
    pub notice: Notice,
}

/// Identifies a subscription, to [`unsubscribe`](crate::SharedBreaker::unsubscribe) it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ListenerId(u64);

type Listener = Arc<dyn Fn(&Event) + Send + Sync>;

/// The listeners of one breaker.
#[derive(Default)]
pub(crate) struct Listeners {
    /// Whether anyone listens: checked on every call, so a breaker nobody listens to
    /// builds no events at all.
    active: AtomicBool,
    next_id: AtomicU64,
    list: RwLock<Vec<(ListenerId, Listener)>>,
}

impl Listeners {
    /// Whether any listener is subscribed.
    #[inline]
    pub(crate) fn active(&self) -> bool {
        self.active.load(Ordering::Relaxed)
    }

    pub(crate) fn subscribe(&self, listener: Listener) -> ListenerId {
        let id = ListenerId(self.next_id.fetch_add(1, Ordering::Relaxed));
        let mut list = self.list.write().unwrap_or_else(PoisonError::into_inner);
        list.push((id, listener));
        self.active.store(true, Ordering::Relaxed);
        id
    }

    pub(crate) fn unsubscribe(&self, id: ListenerId) -> bool {
        let mut list = self.list.write().unwrap_or_else(PoisonError::into_inner);
        let before = list.len();
        list.retain(|(each, _)| *each != id);
        self.active.store(!list.is_empty(), Ordering::Relaxed);
        list.len() != before
    }

    /// Hands each notice, named `breaker`, to every listener in subscription order.
    /// The list is copied first, so a listener may subscribe or unsubscribe.
    pub(crate) fn deliver(&self, breaker: &Arc<str>, notices: &[Notice]) {
        if notices.is_empty() {
            return;
        }
        let listeners: Vec<Listener> = self
            .list
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .map(|(_, l)| Arc::clone(l))
            .collect();
        for notice in notices {
            let event = Event {
                breaker: Arc::clone(breaker),
                notice: *notice,
            };
            for listener in &listeners {
                listener(&event);
            }
        }
    }
}
