//! A net with a circuit breaker inside, in one embassy task that sleeps until the
//! net's next deadline or the next call, whichever comes first.
use embassy_futures::select::{Either, select};
use embassy_sync::{blocking_mutex::raw::CriticalSectionRawMutex as Cs, channel::Channel};
use embassy_time::{Duration, Instant, Timer};
use mycel::breaker::{BreakerConfig, CircuitBreaker, Outcome, Permit, in_net::Admit};
use mycel::sched::{Behaviour, Fault, Firing};
use mycel::{embed, fsm::ChangeSink, net::NetBuilder, net::PlaceId, net::TransitionId};

/// A call; `admit` attaches the breaker's permit.
#[derive(Clone, Copy)]
pub struct Call(Option<Permit>);
/// Where calls come from.
pub static CALLS: Channel<Cs, Call, 1> = Channel::new();
/// `admit` sends a call to `admitted` (place 1) with a permit, or to `rejected` (2).
const ADMIT: Admit<Call> = Admit {
    forwarded: PlaceId(1),
    rejected: PlaceId(2),
    attach: |_, permit| Call(Some(permit)),
};
type Fired = Result<(), Fault>;
/// The net's behaviour: its one transition asks the breaker, whose timer it exposes.
struct Gate(CircuitBreaker<0, 0>);
impl Behaviour<Call> for Gate {
    fn fire(&mut self, _: TransitionId, f: &mut Firing<'_, Call>, now: Instant) -> Fired {
        embed::fire(self.0.state_machine_mut(), &ADMIT, f, now)
    }
    fn next_deadline(&self) -> Option<Instant> {
        self.0.next_deadline()
    }
    fn poll(&mut self, now: Instant, changes: &mut dyn ChangeSink) {
        self.0.poll_into(now, changes)
    }
}
/// Owns the net and the breaker; `backend` makes each admitted call.
#[embassy_executor::task]
pub async fn guard(backend: fn() -> Outcome) {
    let mut b = NetBuilder::<Call, 3, 1, 3, 4>::new();
    let [calls, admitted, rejected] = ["calls", "admitted", "rejected"].map(|p| b.place(p, 1));
    let admit = b.transition("admit");
    b.input(admit, calls, 1).output(admit, admitted, 1);
    b.output(admit, rejected, 1);
    let config = BreakerConfig::consecutive(3, Duration::from_secs(5), 2);
    let (Ok(mut net), Ok(breaker)) = (b.build(), CircuitBreaker::new(config, Instant::now()))
    else {
        return;
    };
    let mut gate = Gate(breaker);
    loop {
        let deadline = net.next_deadline(&gate).unwrap_or(Instant::MAX);
        if let Either::First(call) = select(CALLS.receive(), Timer::at(deadline)).await {
            let _refused = net.inject(calls, call, Instant::now());
        }
        let _ = net.run(Instant::now(), 8, &mut gate);
        while let Ok(Call(Some(permit))) = net.take(admitted) {
            let _ = gate.0.record(permit, backend(), Instant::now());
        }
        while net.take(rejected).is_ok() {}
    }
}
