//! A net with a breaker inside, in one embassy task that sleeps until its deadline.
use embassy_futures::select::{Either, select};
use embassy_sync::{blocking_mutex::raw::CriticalSectionRawMutex as Cs, channel::Channel};
use embassy_time::{Duration, Instant, Timer};
use mycel::breaker::{BreakerConfig, CircuitBreaker, Outcome, Permit, in_net::Admit};
use mycel::sched::{Behaviour, Fault, Firing};
use mycel::{embed, fsm::ChangeSink, net::TransitionId};

/// A call; `admit` attaches the breaker's permit.
#[derive(Clone, Copy)]
pub struct Call(Option<Permit>);
/// Where calls come from.
pub static CALLS: Channel<Cs, Call, 1> = Channel::new();
mycel::net! {
    net Guarded: Call {
        places { calls: 1, admitted: 1, rejected: 1 }
        transitions { admit: calls -> admitted + rejected }
    }
}
const P: GuardedPlaces = Guarded::PLACES;
const ADMIT: Admit<Call> = Admit {
    forwarded: P.admitted.id(),
    rejected: P.rejected.id(),
    attach: |_, permit| Call(Some(permit)),
};
/// Its one transition asks the breaker, whose timer it exposes.
struct Gate(CircuitBreaker<0, 0>);
type Fired = Result<(), Fault>;
impl Behaviour<Call> for Gate {
    fn fire(&mut self, _: TransitionId, f: &mut Firing<'_, Call>, now: Instant) -> Fired {
        embed::fire_fixed(self.0.state_machine_mut(), &ADMIT, f, now)
    }
    fn next_deadline(&self) -> Option<Instant> {
        self.0.next_deadline()
    }
    fn poll(&mut self, now: Instant, changes: &mut dyn ChangeSink) {
        let _ = self.0.poll_into(now, changes);
    }
}
/// Owns the net and the breaker; `backend` makes each admitted call.
#[embassy_executor::task]
pub async fn guard(backend: fn() -> Outcome) {
    let config = BreakerConfig::consecutive(3, Duration::from_secs(5), 2);
    let Ok(breaker) = CircuitBreaker::new(config, Instant::now()) else {
        return;
    };
    let (mut net, mut gate) = (Guarded::new(), Gate(breaker));
    loop {
        let deadline = net.next_deadline(&gate).unwrap_or(Instant::MAX);
        if let Either::First(call) = select(CALLS.receive(), Timer::at(deadline)).await {
            let _refused = net.inject(P.calls, call, Instant::now());
        }
        let _ = net.run(Instant::now(), 8, &mut gate);
        while let Ok(Call(Some(permit))) = net.take(P.admitted) {
            let _ = gate.0.record(permit, backend(), Instant::now());
        }
        while net.take(P.rejected).is_ok() {}
    }
}
