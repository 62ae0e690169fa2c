//! The pipeline as an explorer [`ValueSystem`]: each state is the whole pipeline
//! (every token by value, in queue order, and the breaker).

use mycel::breaker::{BreakerConfig, CircuitBreaker, ConfigError, Outcome};
use mycel::time::Instant;

use super::pipeline::{Admission, Call, MAX_REQUESTS, Pipeline, PipelineApp, places};
use crate::explore::ValueSystem;

/// The most firings one event may cause before the net is at rest; far more than the
/// pipeline's queues can feed.
const RUN_BUDGET: u32 = 64;

/// Something that happens to the pipeline from outside: one step of the exploration.
/// After each, the net runs until nothing is enabled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// A client injects the next request into `requests` (enabled while fewer than the
    /// model's request count were injected and `requests` has room).
    Request,
    /// The backend answers the oldest forwarded call: it worked.
    BackendSucceeds,
    /// The backend answers the oldest forwarded call: it failed.
    BackendFails,
    /// Time jumps to the breaker's next deadline (enabled while it has one): the end of
    /// the open period, or the half-open wait for lost probes.
    Timeout,
}

impl Step {
    /// Every step, in label order.
    pub const ALL: [Step; 4] = [
        Step::Request,
        Step::BackendSucceeds,
        Step::BackendFails,
        Step::Timeout,
    ];

    /// The step with explorer label `label`, if any.
    #[must_use]
    pub fn from_label(label: u32) -> Option<Step> {
        Self::ALL.get(label as usize).copied()
    }

    /// The step's explorer label: its position in [`Step::ALL`].
    #[must_use]
    pub const fn label(self) -> u32 {
        self as u32
    }

    /// A short name for traces.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Step::Request => "request",
            Step::BackendSucceeds => "backend ok",
            Step::BackendFails => "backend fails",
            Step::Timeout => "timeout",
        }
    }
}

impl std::fmt::Display for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Why the pipeline could not be modelled or a step could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// More requests were asked for than the terminal places hold.
    #[error("{0} requests asked for; the pipeline's terminal places hold {MAX_REQUESTS}")]
    TooManyRequests(u8),
    /// The breaker configuration is invalid.
    #[error("invalid breaker configuration: {0}")]
    Config(#[from] ConfigError),
    /// A stored state could not be put back into a fresh net (a place refused a token
    /// it held before): the net's declaration and the stored state disagree.
    #[error("a fresh pipeline refused a token of a stored state")]
    Restore,
    /// The net was still firing after the run budget: it does not come to rest.
    #[error("the pipeline did not come to rest within {RUN_BUDGET} firings")]
    Restless,
    /// A state could not be encoded for interning.
    #[error("a state could not be encoded: {0}")]
    Encode(#[from] postcard::Error),
}

/// One state of the pipeline, between outside events: the net at rest.
#[derive(Debug, Clone)]
pub struct PipelineState {
    /// The tokens of each place, head first, in declaration order: `requests`,
    /// `forwarded`, `responses`, `done`, `rejected`.
    pub tokens: [Vec<Call>; 5],
    /// The breaker, with every piece of its state.
    pub breaker: CircuitBreaker,
    /// The instant the pipeline is at: advanced only by [`Step::Timeout`].
    pub now: Instant,
    /// How many requests were injected.
    pub injected: u8,
    /// Whether a step on the way here forwarded a request while the breaker was open.
    pub forwarded_while_open: bool,
}

// Where each place is in `PipelineState::tokens` (declaration order).
const REQUESTS: usize = 0;
const FORWARDED: usize = 1;
const DONE: usize = 3;
const REJECTED: usize = 4;

impl PipelineState {
    /// The requests in `done`.
    #[must_use]
    pub fn done(&self) -> &[Call] {
        &self.tokens[DONE]
    }

    /// The requests in `rejected`.
    #[must_use]
    pub fn rejected(&self) -> &[Call] {
        &self.tokens[REJECTED]
    }

    /// The requests at the backend, oldest first.
    #[must_use]
    pub fn forwarded(&self) -> &[Call] {
        &self.tokens[FORWARDED]
    }

    /// The requests waiting to be routed.
    #[must_use]
    pub fn waiting(&self) -> &[Call] {
        &self.tokens[REQUESTS]
    }

    /// Whether each request injected so far (ids `0..injected`) is in exactly one
    /// place, and no other token is anywhere.
    #[must_use]
    pub fn accounts_for_every_request(&self) -> bool {
        let mut seen = vec![0u32; usize::from(self.injected)];
        for call in self.tokens.iter().flatten() {
            match seen.get_mut(usize::from(call.id)) {
                Some(n) => *n += 1,
                None => return false,
            }
        }
        seen.iter().all(|&n| n == 1)
    }

    /// Whether all `requests` were injected and every one has ended, done or rejected.
    #[must_use]
    pub fn is_finished(&self, requests: u8) -> bool {
        self.injected == requests
            && self.done().len() + self.rejected().len() == usize::from(requests)
    }

    /// Appends the bytes that identify the state to `bytes`: equal states, equal
    /// bytes.
    fn encode(&self, bytes: &mut Vec<u8>) -> Result<(), postcard::Error> {
        bytes.extend([self.injected, u8::from(self.forwarded_while_open)]);
        bytes.extend(self.now.as_ticks().to_le_bytes());
        for tokens in &self.tokens {
            bytes.push(u8::try_from(tokens.len()).unwrap_or(u8::MAX));
            for call in tokens {
                *bytes = postcard::to_extend(
                    &(call.id, call.permit, call.answer),
                    std::mem::take(bytes),
                )?;
            }
        }
        *bytes = postcard::to_extend(&self.breaker, std::mem::take(bytes))?;
        Ok(())
    }
}

/// The request pipeline with a breaker inside, as a [`ValueSystem`]: `requests`
/// requests, the breaker built from a configuration, the admission as given.
///
/// Explored through [`InternedModel`](crate::explore::InternedModel), the explorer
/// stores one `u64` per state, its number in the model's table of whole pipelines.
/// States are told apart by their bytes: tokens with their permits and answers, and the
/// breaker's serde snapshot, so two states are merged only when everything in them is
/// equal.
#[derive(Debug)]
pub struct PipelineModel {
    requests: u8,
    admission: Admission,
    breaker: CircuitBreaker,
}

impl PipelineModel {
    /// A model of the pipeline receiving `requests` requests in all, its breaker made
    /// from `config` at time zero.
    ///
    /// # Errors
    /// [`PipelineError::TooManyRequests`] above [`MAX_REQUESTS`];
    /// [`PipelineError::Config`] for a configuration the breaker refuses.
    pub fn new(
        requests: u8,
        config: BreakerConfig,
        admission: Admission,
    ) -> Result<Self, PipelineError> {
        if requests > MAX_REQUESTS {
            return Err(PipelineError::TooManyRequests(requests));
        }
        Ok(Self {
            requests,
            admission,
            breaker: CircuitBreaker::new(config, Instant::from_ticks(0))?,
        })
    }

    /// How many requests are injected in all.
    #[must_use]
    pub fn requests(&self) -> u8 {
        self.requests
    }

    /// The state after `step` from `state` and the net's run to rest, or `None` when
    /// `step` is not enabled there.
    ///
    /// # Errors
    /// [`PipelineError::Restore`] or [`PipelineError::Restless`], see there.
    pub fn after(
        &self,
        state: &PipelineState,
        step: Step,
    ) -> Result<Option<PipelineState>, PipelineError> {
        let mut net = Pipeline::new();
        for (place, tokens) in places().into_iter().zip(&state.tokens) {
            for &call in tokens {
                net.inject(place, call, state.now)
                    .map_err(|_| PipelineError::Restore)?;
            }
        }
        let mut app = PipelineApp::new(state.breaker.clone(), self.admission);
        let (mut now, mut injected) = (state.now, state.injected);
        let p = Pipeline::PLACES;
        match step {
            Step::Request => {
                let call = Call {
                    id: injected,
                    permit: None,
                    answer: None,
                };
                // A full `requests` pushes back: the client has to come again later.
                if injected >= self.requests || net.inject(p.requests, call, now).is_err() {
                    return Ok(None);
                }
                injected += 1;
            }
            Step::BackendSucceeds | Step::BackendFails => {
                let Ok(mut call) = net.take(p.forwarded) else {
                    return Ok(None);
                };
                call.answer = Some(if step == Step::BackendSucceeds {
                    Outcome::Success
                } else {
                    Outcome::Failure
                });
                net.inject(p.responses, call, now)
                    .map_err(|_| PipelineError::Restore)?;
            }
            Step::Timeout => match app.breaker.next_deadline() {
                Some(due) => now = due.max(now),
                None => return Ok(None),
            },
        }
        let ran = net
            .run(now, RUN_BUDGET, &mut app)
            .map_err(|_| PipelineError::Restore)?;
        if ran.exhausted {
            return Err(PipelineError::Restless);
        }
        Ok(Some(PipelineState {
            tokens: places().map(|place| net.tokens(place).copied().collect()),
            forwarded_while_open: state.forwarded_while_open || app.forwarded_while_open,
            breaker: app.breaker,
            now,
            injected,
        }))
    }
}

impl ValueSystem for PipelineModel {
    type State = PipelineState;
    type Error = PipelineError;

    fn labels(&self) -> usize {
        Step::ALL.len()
    }

    /// The empty pipeline at time zero, its breaker CLOSED.
    fn initial(&self) -> PipelineState {
        PipelineState {
            tokens: Default::default(),
            breaker: self.breaker.clone(),
            now: Instant::from_ticks(0),
            injected: 0,
            forwarded_while_open: false,
        }
    }

    fn encode(&self, state: &PipelineState, bytes: &mut Vec<u8>) -> Result<(), PipelineError> {
        Ok(state.encode(bytes)?)
    }

    fn step(
        &self,
        state: &PipelineState,
        label: u32,
    ) -> Result<Option<PipelineState>, PipelineError> {
        match Step::from_label(label) {
            Some(step) => self.after(state, step),
            None => Ok(None),
        }
    }

    fn is_finished(&self, state: &PipelineState) -> bool {
        state.is_finished(self.requests)
    }
}
