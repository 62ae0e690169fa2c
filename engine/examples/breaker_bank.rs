//! One circuit breaker per backend, inside a net, through a breaker bank.
//!
//! ```text
//! requests -> route (bank admits per backend) -> forwarded -> call backend -> responses
//!                 \-> rejected                                   record (bank) -> done
//! ```
//!
//! Backend 2 is down: its breaker opens after three failures and its later requests
//! are rejected without a call, while backends 1 and 3 keep being served. When the
//! open period ends (found by sleeping to `next_deadline()`), backend 2 is probed again.
//!
//! Run with `cargo run -p mycel --example breaker_bank`.

use mycel::breaker::in_net::{Admit, Report, fire_bank};
use mycel::breaker::{BreakerBank, BreakerChange, BreakerConfig, Outcome, Permit};
use mycel::fsm::ChangeSink;
use mycel::net::TransitionId;
use mycel::sched::{Behaviour, Fault, Firing, NetEvent};
use mycel::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Call {
    id: u32,
    backend: u8,
    permit: Option<Permit>,
    ok: Option<bool>,
}

mycel::net! {
    /// Requests routed per backend by the bank, called, and recorded.
    net Backends: Call {
        places {
            requests: 16,
            forwarded: 16,
            rejected: 16,
            responses: 16,
            done: 16,
        }
        transitions {
            route: requests -> forwarded + rejected,
            call_backend: forwarded -> responses,
            record: responses -> done + rejected,
        }
    }
}

const P: BackendsPlaces = Backends::PLACES;

const ADMIT: Admit<Call> = Admit {
    forwarded: P.forwarded.id(),
    rejected: P.rejected.id(),
    attach: |c, p| Call {
        permit: Some(p),
        ..*c
    },
};
const REPORT: Report<Call> = Report {
    done: P.done.id(),
    outcome: |c| match (c.permit, c.ok) {
        (Some(p), Some(ok)) => Some((
            p,
            if ok {
                Outcome::Success
            } else {
                Outcome::Failure
            },
        )),
        _ => None,
    },
};

struct App {
    bank: BreakerBank<u8, 4>,
    down: u8,
    calls: [u32; 4],
}

impl Behaviour<Call> for App {
    fn fire(
        &mut self,
        t: TransitionId,
        f: &mut Firing<'_, Call>,
        now: Instant,
    ) -> Result<(), Fault> {
        let key = |c: &Call| c.backend;
        let rejected = P.rejected.id();
        match Backends::transition_of(t) {
            Some(BackendsTransition::Route) => {
                fire_bank(&mut self.bank, key, &ADMIT, rejected, f, now)
            }
            Some(BackendsTransition::Record) => {
                fire_bank(&mut self.bank, key, &REPORT, rejected, f, now);
            }
            Some(BackendsTransition::CallBackend) => {
                // The simulated backend: every call is counted; backend `down` fails.
                let c = *f.input(0).ok_or(Fault(1))?;
                if let Some(n) = self.calls.get_mut(usize::from(c.backend)) {
                    *n += 1;
                }
                let answered = Call {
                    ok: Some(c.backend != self.down),
                    ..c
                };
                f.emit(P.responses.id(), answered).map_err(|_| Fault(2))?;
            }
            None => return Err(Fault(3)),
        }
        Ok(())
    }

    fn next_deadline(&self) -> Option<Instant> {
        self.bank.next_deadline()
    }

    fn poll(&mut self, now: Instant, changes: &mut dyn ChangeSink) {
        // The net only polls forward in time; a bank driven ahead of it refuses `now`
        // and changes nothing.
        let _ = self.bank.poll(now, changes);
    }
}

fn main() {
    let mut net = Backends::new();

    let config = BreakerConfig::consecutive(3, Duration::from_secs(10), 1);
    let mut app = App {
        bank: BreakerBank::new(config).expect("valid config"),
        down: 2,
        calls: [0; 4],
    };
    let mut log = |e: &NetEvent| {
        if let NetEvent::StateChanged(c) = e
            && let Some(c) = BreakerChange::from_state_change(c)
        {
            println!(
                "  [{:>5} ms] breaker #{} {} -> {} ({})",
                c.at.as_millis(),
                c.instance,
                c.from,
                c.to,
                c.reason
            );
        }
    };

    let mut id = 0;
    for second in 0..16u64 {
        let now = Instant::from_secs(second);
        if let Some(deadline) = net.next_deadline(&app).filter(|d| *d < now) {
            net.run_observed(deadline, 64, &mut app, &mut log)
                .expect("time moves forward");
        }
        for backend in 1..=3 {
            id += 1;
            let request = Call {
                id,
                backend,
                permit: None,
                ok: None,
            };
            net.inject(P.requests, request, now)
                .expect("room for requests");
        }
        net.run_observed(now, 64, &mut app, &mut log)
            .expect("time moves forward");
        while net.take(P.done).is_ok() {}
    }

    let rejected: Vec<u8> = net.tokens(P.rejected).map(|c| c.backend).collect();
    println!(
        "backend calls: 1: {}, 2: {}, 3: {}",
        app.calls[1], app.calls[2], app.calls[3]
    );
    println!("rejected requests by backend: {rejected:?}");
    assert_eq!(
        (app.calls[1], app.calls[3]),
        (16, 16),
        "healthy backends are always served"
    );
    assert_eq!(
        app.calls[2], 4,
        "three failures, then one probe after the open period"
    );
    assert!(
        rejected.iter().all(|&b| b == 2),
        "only the failing backend is rejected"
    );
}
