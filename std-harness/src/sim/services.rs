//! The net's behaviour: each service's breaker (in a bank) and simulated backend.

use super::bindings::{Admission, Reporting};
use super::event::Rejection;
use super::net::{CALL_BACKEND, Call, DONE, RECORD, REJECTED, ROUTE};
use crate::backend::{Backend, Reply};
use crate::rng::SimRng;
use crate::scenario::{COUNT_WINDOW_WORDS, MAX_SERVICES, Scenario, TIME_WINDOW_BUCKETS};
use mycel::breaker::in_net::fire_bank;
use mycel::breaker::{BankError, BreakerBank, Recorded};
use mycel::fsm::ChangeSink;
use mycel::net::TransitionId;
use mycel::sched::{Behaviour, Fault, Firing};
use mycel::time::Instant;

/// One breaker per service, keyed by the service's index.
pub type Bank = BreakerBank<u16, MAX_SERVICES, COUNT_WINDOW_WORDS, TIME_WINDOW_BUCKETS>;

/// What a firing did that the net's own events do not tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Happened {
    /// `route` rejected the request.
    Rejected(Call, Rejection),
    /// `call_backend` called the backend, which will answer with `reply`.
    Called(Call, Reply),
    /// `record` gave the outcome to the breaker.
    Recorded(Call, Recorded),
}

/// Fault codes of the simulator's behaviour.
const NO_TOKEN: Fault = Fault(1);
const UNKNOWN_SERVICE: Fault = Fault(2);
const UNKNOWN_TRANSITION: Fault = Fault(3);

/// The application side of the net: breakers and backends.
#[derive(Debug)]
pub struct Services {
    /// The breakers, one per service, slot = service index.
    pub bank: Bank,
    backends: Vec<Backend>,
    admission: Admission,
    reporting: Reporting,
    /// What firings did, in order, until the simulator takes it.
    pub happened: Vec<Happened>,
}

impl Services {
    /// The breakers and backends of `scenario`, backends drawing from `seed`
    /// (one random stream per service), every breaker created at instant 0.
    ///
    /// # Errors
    /// [`BankError`] if a breaker cannot be created; the scenario checks rule this out.
    pub fn new(scenario: &Scenario, seed: u64) -> Result<Self, BankError> {
        let first = scenario
            .services
            .first()
            .map(|s| s.breaker)
            .ok_or(BankError::UnknownKey)?;
        let mut bank = Bank::new(first)?;
        let start = Instant::from_ticks(0);
        let mut backends = Vec::with_capacity(scenario.services.len());
        for (i, service) in scenario.services.iter().enumerate() {
            let key = u16::try_from(i).map_err(|_| BankError::Full)?;
            bank.insert_with(key, service.breaker, start)?;
            let stream = u64::try_from(i).unwrap_or(u64::MAX);
            backends.push(Backend::new(
                service.backend.clone(),
                &scenario.phases,
                SimRng::new(seed, stream),
            ));
        }
        Ok(Self {
            bank,
            backends,
            admission: Admission::new(),
            reporting: Reporting::new(),
            happened: Vec::new(),
        })
    }

    /// Calls each backend received.
    #[must_use]
    pub fn backend_calls(&self) -> Vec<u64> {
        self.backends.iter().map(Backend::calls).collect()
    }
}

impl Behaviour<Call> for Services {
    fn fire(
        &mut self,
        transition: TransitionId,
        firing: &mut Firing<'_, Call>,
        now: Instant,
    ) -> Result<(), Fault> {
        let call = *firing.input(0).ok_or(NO_TOKEN)?;
        let key = |c: &Call| c.service;
        match transition {
            t if t == ROUTE => {
                self.admission.answer.set(None);
                fire_bank(&mut self.bank, key, &self.admission, REJECTED, firing, now);
                match self.admission.answer.take() {
                    Some(Ok(_)) => {}
                    Some(Err(rejected)) => self.happened.push(Happened::Rejected(
                        call,
                        Rejection::Breaker(rejected.reason),
                    )),
                    None => self
                        .happened
                        .push(Happened::Rejected(call, Rejection::BankFull)),
                }
            }
            t if t == CALL_BACKEND => {
                let backend = self
                    .backends
                    .get_mut(usize::from(call.service))
                    .ok_or(UNKNOWN_SERVICE)?;
                let reply = backend.call(now);
                self.happened.push(Happened::Called(call, reply));
            }
            t if t == RECORD => {
                self.reporting.answer.set(None);
                fire_bank(&mut self.bank, key, &self.reporting, DONE, firing, now);
                if let Some(recorded) = self.reporting.answer.take() {
                    self.happened.push(Happened::Recorded(call, recorded));
                }
            }
            _ => return Err(UNKNOWN_TRANSITION),
        }
        Ok(())
    }

    fn next_deadline(&self) -> Option<Instant> {
        self.bank.next_deadline()
    }

    /// Polls only the first breaker that is due: the net hands over room for a few
    /// changes per poll, fewer than many breakers due at the same instant could make.
    /// The simulator keeps stepping while a deadline is due, so the others follow at
    /// the same instant, in slot order.
    fn poll(&mut self, now: Instant, changes: &mut dyn ChangeSink) {
        let due = self
            .bank
            .iter()
            .find(|(_, b)| b.next_deadline().is_some_and(|d| d <= now))
            .map(|(k, _)| k);
        if let Some(breaker) = due.and_then(|k| self.bank.get_mut(&k)) {
            // The simulator drives every breaker through the net, never ahead of it.
            let _ = breaker.poll_into(now, changes);
        }
    }
}
