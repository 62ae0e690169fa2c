//! The runtime that owns a machine's state and applies events and timeouts.

use super::{ChangeSink, Changes, Machine, Rollback, StateChange, StateKind, States, Transition};
use crate::time::{Clock, ClockRegression, Instant};

/// How many timeouts one call applies back to back before leaving the rest for the
/// next call. Bounds the work of a call even for a machine whose timeouts chain.
pub const MAX_CHAINED_TIMEOUTS: usize = 3;

/// The answer to one dispatched event and the state changes the call made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dispatched<O> {
    /// The machine's answer.
    pub output: O,
    /// Changes in order: due timeouts first, then the event's own transition.
    pub changes: Changes,
}

/// A running [`Machine`]: its current state, when it was entered, and the clock it has seen.
///
/// Every call that takes `now` first applies due timeouts (lazy time), then does its
/// own work. A `now` earlier than the last one seen is a [`ClockRegression`] and
/// changes nothing.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct StateMachine<M: Machine> {
    machine: M,
    state: M::State,
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_time::instant"))]
    entered_at: Instant,
    #[cfg_attr(feature = "serde", serde(with = "crate::serde_time::clock"))]
    clock: Clock,
    instance: u32,
    /// What this instance stands for (a backend), for log lines; empty when unnamed.
    /// Not in snapshots: a `&'static str` cannot be read back, so a restored machine
    /// is named again by its owner.
    #[cfg_attr(feature = "serde", serde(skip))]
    name: &'static str,
}

/// A running machine as atomic firing saved it ([`StateMachine::save`]): what its
/// machine's hooks can change, its state, when that was entered and its clock.
pub struct SavedRun<M: Rollback> {
    machine: M::Saved,
    state: M::State,
    entered_at: Instant,
    clock: Clock,
}

impl<M: Rollback> StateMachine<M>
where
    M::State: Clone,
{
    /// Saves what a firing through this machine can change (see [`Rollback`]).
    #[inline]
    pub fn save(&self) -> SavedRun<M> {
        SavedRun {
            machine: self.machine.save(),
            state: self.state.clone(),
            entered_at: self.entered_at,
            clock: self.clock,
        }
    }

    /// Puts back what [`StateMachine::save`] saved: the machine is then as it was.
    #[inline]
    pub fn restore(&mut self, saved: SavedRun<M>) {
        self.machine.restore(saved.machine);
        self.state = saved.state;
        self.entered_at = saved.entered_at;
        self.clock = saved.clock;
    }
}

impl<M: Machine> StateMachine<M> {
    /// Starts `machine` in its initial state at `now`, running that state's entry action.
    pub fn new(mut machine: M, now: Instant) -> Self {
        let mut state = machine.initial();
        machine.on_entry(&mut state, now);
        Self {
            machine,
            state,
            entered_at: now,
            clock: Clock::new(now),
            instance: 0,
            name: "",
        }
    }

    /// Sets the instance number reported in [`StateChange::instance`].
    #[must_use]
    pub fn with_instance(mut self, instance: u32) -> Self {
        self.instance = instance;
        self
    }

    /// Names what this instance stands for (a backend, say), so log lines say
    /// `payments[2]` instead of `#2`. Names are not saved in snapshots.
    #[must_use]
    pub fn with_name(mut self, name: &'static str) -> Self {
        self.name = name;
        self
    }

    /// Sets the name [`with_name`](Self::with_name) sets, on a running machine.
    pub fn set_name(&mut self, name: &'static str) {
        self.name = name;
    }

    /// The name given with [`with_name`](Self::with_name), or `""`.
    #[must_use]
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The instance number reported in state changes.
    #[must_use]
    pub const fn instance(&self) -> u32 {
        self.instance
    }

    /// The current state.
    #[must_use]
    pub const fn state(&self) -> &M::State {
        &self.state
    }

    /// The name of the current state.
    #[must_use]
    pub fn state_name(&self) -> &'static str {
        M::state_name(&self.state)
    }

    /// The instant the current state was entered.
    #[must_use]
    pub const fn entered_at(&self) -> Instant {
        self.entered_at
    }

    /// The latest instant this machine has seen.
    #[must_use]
    pub const fn last_seen(&self) -> Instant {
        self.clock.last()
    }

    /// The machine (its extended state and configuration).
    #[must_use]
    pub const fn machine(&self) -> &M {
        &self.machine
    }

    /// The instant at which the current state times out, if it does.
    #[must_use]
    pub fn deadline(&self) -> Option<Instant> {
        self.machine.deadline(&self.state, self.entered_at)
    }

    /// Applies every timeout due at `now` (up to [`MAX_CHAINED_TIMEOUTS`]) and appends
    /// the resulting changes to `changes`.
    ///
    /// # Errors
    /// [`ClockRegression`] when `now` is earlier than the last instant seen; nothing changes.
    pub fn poll(
        &mut self,
        now: Instant,
        changes: &mut (impl ChangeSink + ?Sized),
    ) -> Result<(), ClockRegression> {
        self.clock.advance(now)?;
        self.apply_timeouts(now, changes);
        Ok(())
    }

    /// Applies due timeouts, then hands `event` to the machine at `now`.
    ///
    /// # Errors
    /// [`ClockRegression`] when `now` is earlier than the last instant seen; nothing changes
    /// and the event is not handled.
    pub fn dispatch(
        &mut self,
        event: M::Event,
        now: Instant,
    ) -> Result<Dispatched<M::Output>, ClockRegression> {
        let mut changes = Changes::new();
        let output = self.dispatch_into(event, now, &mut changes)?;
        Ok(Dispatched { output, changes })
    }

    /// [`StateMachine::dispatch`], handing each state change to `changes` instead of
    /// collecting them: the fast path for callers that keep changes their own way.
    ///
    /// # Errors
    /// [`ClockRegression`] when `now` is earlier than the last instant seen; nothing changes
    /// and the event is not handled.
    #[inline]
    pub fn dispatch_into(
        &mut self,
        event: M::Event,
        now: Instant,
        changes: &mut (impl ChangeSink + ?Sized),
    ) -> Result<M::Output, ClockRegression> {
        self.clock.advance(now)?;
        self.apply_timeouts(now, changes);
        let handled = self.machine.handle(&mut self.state, event, now);
        if let Some(next) = handled.next {
            changes.push(self.enter(next, now));
        }
        Ok(handled.output)
    }

    /// Applies `edit` to the machine's extended state at `now`, after due timeouts,
    /// handing state changes to `changes`.
    ///
    /// For operator calls that are not events of the machine (reconfiguration,
    /// resets). `edit` may return a transition, which is applied like an event's.
    ///
    /// # Errors
    /// [`ClockRegression`] when `now` is earlier than the last instant seen; nothing changes.
    #[inline]
    pub fn with_machine<R>(
        &mut self,
        now: Instant,
        changes: &mut (impl ChangeSink + ?Sized),
        edit: impl FnOnce(&mut M, &mut M::State, Instant) -> (R, Option<Transition<M::State>>),
    ) -> Result<R, ClockRegression> {
        self.clock.advance(now)?;
        self.apply_timeouts(now, changes);
        let (r, next) = edit(&mut self.machine, &mut self.state, now);
        if let Some(next) = next {
            changes.push(self.enter(next, now));
        }
        Ok(r)
    }

    /// The machine and its state, for a machine's own fast path inside this crate.
    ///
    /// The caller takes over the runtime's duties for that call: it acts only when
    /// `now` is not before [`StateMachine::last_seen`] and no timeout is due at `now`
    /// (so the runtime would apply nothing first), records `now` with
    /// [`StateMachine::advance_clock`] (before or after acting: falling back to the
    /// runtime's own path with the same `now` records it again, harmlessly) and
    /// makes any state change through [`StateMachine::enter_at`].
    #[inline]
    pub(crate) fn parts_mut(&mut self) -> (&mut M, &mut M::State) {
        (&mut self.machine, &mut self.state)
    }

    /// Records `now`, which must not be before [`StateMachine::last_seen`], as the
    /// latest instant seen (for a fast path, see [`StateMachine::parts_mut`]).
    #[inline]
    pub(crate) fn advance_clock(&mut self, now: Instant) {
        self.clock = Clock::new(now);
    }

    /// Takes `next` at `at`: exit, entry, and the change to report (for a fast path,
    /// see [`StateMachine::parts_mut`]).
    #[inline]
    pub(crate) fn enter_at(&mut self, next: Transition<M::State>, at: Instant) -> StateChange {
        self.enter(next, at)
    }

    #[inline]
    fn apply_timeouts(&mut self, now: Instant, changes: &mut (impl ChangeSink + ?Sized)) {
        for _ in 0..MAX_CHAINED_TIMEOUTS {
            let Some(due) = self.deadline() else { return };
            if due > now {
                return;
            }
            match self.machine.on_timeout(&mut self.state, due) {
                Some(next) => changes.push(self.enter(next, due)),
                None => {
                    if self.deadline() == Some(due) {
                        // The machine neither moved nor re-armed: retrying now would loop.
                        return;
                    }
                }
            }
        }
    }

    fn enter(&mut self, next: Transition<M::State>, at: Instant) -> StateChange {
        let from = self.state.kind().label();
        self.machine.on_exit(&self.state, at);
        self.state = next.to;
        self.entered_at = at;
        self.machine.on_entry(&mut self.state, at);
        let to = self.state.kind().label();
        if self.name.is_empty() {
            debug!(
                "{} #{}: {} -> {} ({})",
                M::NAME,
                self.instance,
                from,
                to,
                next.cause
            );
        } else {
            debug!(
                "{} {}[{}]: {} -> {} ({})",
                M::NAME,
                self.name,
                self.instance,
                from,
                to,
                next.cause
            );
        }
        StateChange {
            machine: M::NAME,
            instance: self.instance,
            from,
            to,
            cause: next.cause,
            at,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fsm::{CauseKind, Handled, StateKind, States};
    use crate::time::Duration;

    /// A door that closes itself 10 ticks after opening and raises an alarm when
    /// pushed while open.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Door {
        Closed,
        Open { pushes: u8 },
        Alarm,
    }

    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Ev {
        Open,
        Push,
    }

    crate::machine! {
        machine "door" {
            #[derive(Debug, Clone, Copy, PartialEq, Eq)]
            states DoorKind {
                #[initial]
                Closed = "closed",
                #[timeout]
                Open = "open",
                Alarm = "alarm",
            }
            #[derive(Debug, Clone, Copy, PartialEq, Eq)]
            causes DoorCause {
                Open,
                Push,
                Timeout,
            }
            edges {
                Closed -> Open on open,
                Open -> Closed on timeout,
                Open -> Alarm on push,
            }
        }
    }

    impl States for Door {
        type Kind = DoorKind;

        fn kind(&self) -> DoorKind {
            match self {
                Door::Closed => DoorKind::Closed,
                Door::Open { .. } => DoorKind::Open,
                Door::Alarm => DoorKind::Alarm,
            }
        }
    }

    #[derive(Default)]
    struct DoorMachine {
        log: heapless::Vec<(&'static str, &'static str, u64), 32>,
    }

    impl Machine for DoorMachine {
        type State = Door;
        type Event = Ev;
        type Output = bool;
        fn initial(&self) -> Door {
            Door::Closed
        }

        fn handle(&mut self, state: &mut Door, event: Ev, _now: Instant) -> Handled<Door, bool> {
            match (state, event) {
                (Door::Closed, Ev::Open) => {
                    Handled::go(true, Door::Open { pushes: 0 }, DoorCause::Open)
                }
                (Door::Open { pushes }, Ev::Push) if *pushes < 1 => {
                    *pushes += 1;
                    Handled::stay(true)
                }
                (Door::Open { .. }, Ev::Push) => Handled::go(false, Door::Alarm, DoorCause::Push),
                _ => Handled::stay(false),
            }
        }

        fn deadline(&self, state: &Door, entered_at: Instant) -> Option<Instant> {
            match state {
                Door::Open { .. } => Some(crate::time::add(entered_at, Duration::from_ticks(10))),
                _ => None,
            }
        }

        fn on_timeout(&mut self, state: &mut Door, _at: Instant) -> Option<Transition<Door>> {
            matches!(state, Door::Open { .. })
                .then_some(Transition::new(Door::Closed, DoorCause::Timeout))
        }

        fn on_entry(&mut self, state: &mut Door, at: Instant) {
            self.log
                .push(("entry", Self::state_name(state), at.as_ticks()))
                .unwrap();
        }

        fn on_exit(&mut self, state: &Door, at: Instant) {
            self.log
                .push(("exit", Self::state_name(state), at.as_ticks()))
                .unwrap();
        }
    }

    fn t(ticks: u64) -> Instant {
        Instant::from_ticks(ticks)
    }

    #[test]
    fn door_table_is_valid() {
        assert_eq!(DoorMachine::TABLE.validate(), Ok(()));
    }

    #[test]
    fn entry_of_initial_then_exit_before_entry_on_every_transition() {
        let mut sm = StateMachine::new(DoorMachine::default(), t(0));
        let d = sm.dispatch(Ev::Open, t(3)).unwrap();
        assert!(d.output);
        assert_eq!(
            d.changes.as_slice(),
            &[StateChange {
                machine: "door",
                instance: 0,
                from: DoorKind::Closed.label(),
                to: DoorKind::Open.label(),
                cause: DoorCause::Open.label(),
                at: t(3)
            }]
        );
        assert_eq!(
            sm.machine().log.as_slice(),
            &[
                ("entry", "closed", 0),
                ("exit", "closed", 3),
                ("entry", "open", 3)
            ]
        );
    }

    #[test]
    fn internal_update_keeps_state_and_runs_no_actions() {
        let mut sm = StateMachine::new(DoorMachine::default(), t(0));
        sm.dispatch(Ev::Open, t(1)).unwrap();
        let before = sm.machine().log.len();
        let d = sm.dispatch(Ev::Push, t(2)).unwrap();
        assert!(d.changes.is_empty());
        assert_eq!(*sm.state(), Door::Open { pushes: 1 });
        assert_eq!(sm.machine().log.len(), before);
        assert_eq!(sm.entered_at(), t(1));
    }

    #[test]
    fn timeout_fires_at_its_deadline_even_when_observed_late() {
        let mut sm = StateMachine::new(DoorMachine::default(), t(0));
        sm.dispatch(Ev::Open, t(5)).unwrap();
        assert_eq!(sm.deadline(), Some(t(15)));
        let mut changes = Changes::new();
        sm.poll(t(14), &mut changes).unwrap();
        assert!(changes.is_empty(), "no timeout before the deadline");
        sm.poll(t(40), &mut changes).unwrap();
        assert_eq!(changes.len(), 1);
        assert_eq!(changes.as_slice()[0].at, t(15));
        assert_eq!(changes.as_slice()[0].cause, "timeout");
        assert_eq!(sm.entered_at(), t(15));
        assert_eq!(sm.deadline(), None);
    }

    #[test]
    fn due_timeout_is_applied_before_the_event() {
        let mut sm = StateMachine::new(DoorMachine::default(), t(0));
        sm.dispatch(Ev::Open, t(0)).unwrap();
        // At 10 the door has closed by itself, so a push finds it closed: no alarm.
        let d = sm.dispatch(Ev::Push, t(10)).unwrap();
        assert!(!d.output);
        assert_eq!(*sm.state(), Door::Closed);
        assert_eq!(d.changes.len(), 1);
        assert_eq!(d.changes.as_slice()[0].to, "closed");
    }

    #[test]
    fn clock_regression_changes_nothing() {
        let mut sm = StateMachine::new(DoorMachine::default(), t(0));
        sm.dispatch(Ev::Open, t(5)).unwrap();
        let err = sm.dispatch(Ev::Push, t(4)).unwrap_err();
        assert_eq!(
            err,
            ClockRegression {
                last: t(5),
                now: t(4)
            }
        );
        assert_eq!(*sm.state(), Door::Open { pushes: 0 });
        let mut changes = Changes::new();
        assert!(sm.poll(t(1), &mut changes).is_err());
        assert!(changes.is_empty());
        assert_eq!(sm.last_seen(), t(5));
    }

    #[test]
    fn instance_is_reported_in_changes() {
        let mut sm = StateMachine::new(DoorMachine::default(), t(0)).with_instance(7);
        let d = sm.dispatch(Ev::Open, t(1)).unwrap();
        assert_eq!(d.changes.as_slice()[0].instance, 7);
    }
}
