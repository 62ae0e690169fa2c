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
use mycel::net::{NetBuilder, PlaceId, TransitionId};
use mycel::sched::{Behaviour, Fault, Firing, Net, NetEvent};
use mycel::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Call {
    id: u32,
    backend: u8,
    permit: Option<Permit>,
    ok: Option<bool>,
}

const REQUESTS: PlaceId = PlaceId::new(0);
const FORWARDED: PlaceId = PlaceId::new(1);
const REJECTED: PlaceId = PlaceId::new(2);
const RESPONSES: PlaceId = PlaceId::new(3);
const DONE: PlaceId = PlaceId::new(4);
const ROUTE: TransitionId = TransitionId::new(0);
const CALL: TransitionId = TransitionId::new(1);
const RECORD: TransitionId = TransitionId::new(2);

const ADMIT: Admit<Call> = Admit {
    forwarded: FORWARDED,
    rejected: REJECTED,
    attach: |c, p| Call {
        permit: Some(p),
        ..*c
    },
};
const REPORT: Report<Call> = Report {
    done: DONE,
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

struct Backends {
    bank: BreakerBank<u8, 4>,
    down: u8,
    calls: [u32; 4],
}

impl Behaviour<Call> for Backends {
    fn fire(
        &mut self,
        t: TransitionId,
        f: &mut Firing<'_, Call>,
        now: Instant,
    ) -> Result<(), Fault> {
        let key = |c: &Call| c.backend;
        match t {
            t if t == ROUTE => fire_bank(&mut self.bank, key, &ADMIT, REJECTED, f, now),
            t if t == RECORD => fire_bank(&mut self.bank, key, &REPORT, REJECTED, f, now),
            t if t == CALL => {
                // The simulated backend: every call is counted; backend `down` fails.
                let c = *f.input(0).ok_or(Fault(1))?;
                if let Some(n) = self.calls.get_mut(usize::from(c.backend)) {
                    *n += 1;
                }
                let answered = Call {
                    ok: Some(c.backend != self.down),
                    ..c
                };
                f.emit(RESPONSES, answered).map_err(|_| Fault(2))?;
            }
            _ => return Err(Fault(3)),
        }
        Ok(())
    }

    fn next_deadline(&self) -> Option<Instant> {
        self.bank.next_deadline()
    }

    fn poll(&mut self, now: Instant, changes: &mut dyn ChangeSink) {
        self.bank.poll(now, changes);
    }
}

fn main() {
    let mut b = NetBuilder::<Call, 5, 3, 8, 81>::new();
    let places = ["requests", "forwarded", "rejected", "responses", "done"].map(|n| b.place(n, 16));
    assert_eq!(places, [REQUESTS, FORWARDED, REJECTED, RESPONSES, DONE]);
    let route = b.transition("route");
    let call = b.transition("call_backend");
    let record = b.transition("record");
    b.input(route, REQUESTS, 1)
        .output(route, FORWARDED, 1)
        .output(route, REJECTED, 1);
    b.input(call, FORWARDED, 1).output(call, RESPONSES, 1);
    b.input(record, RESPONSES, 1)
        .output(record, DONE, 1)
        .output(record, REJECTED, 1);
    let mut net: Net<Call, 5, 3, 8, 81> = b.build().expect("valid net");

    let config = BreakerConfig::consecutive(3, Duration::from_secs(10), 1);
    let mut app = Backends {
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
            net.inject(REQUESTS, request, now)
                .expect("room for requests");
        }
        net.run_observed(now, 64, &mut app, &mut log)
            .expect("time moves forward");
        while net.take(DONE).is_ok() {}
    }

    let rejected: Vec<u8> = net.tokens(REJECTED).map(|c| c.backend).collect();
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
