//! The pipeline the program drives: the net and the stages its transitions run, with
//! the host's side of the boundary (offering a request, taking out where it ended).

use crate::backend::{Answer, ScriptedBackend};
use crate::breaker::PipelineBreaker;
use crate::pipeline_net::{self, DONE, INVALID, PipelineNet, REJECTED, REQUESTS};
use crate::request::Request;
use crate::stages::Stages;
use core::mem::MaybeUninit;
use mycel::breaker::ConfigError;
use mycel::net::{BuildError, PlaceId};
use mycel::sched::{InjectError, NetCounters, Observer, RunReport};
use mycel::time::{ClockRegression, Instant};

/// Most firings one call may make. A request needs at most four (one per
/// transition), so running out means the net is not behaving as designed.
const RUN_BUDGET: u32 = 16;

/// Where a request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, defmt::Format)]
pub enum Fate {
    /// Admitted by the breaker, answered by the backend, recorded (`done`).
    Served(Request),
    /// Turned away by the breaker without a backend call (`rejected`).
    Rejected(Request),
    /// Failed validation (`invalid`).
    Invalid(Request),
}

/// Why the pipeline could not be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, defmt::Format)]
pub enum BuildFailure {
    /// The net's definition is invalid.
    Net(BuildError),
    /// The breaker's configuration is invalid.
    Breaker(ConfigError),
}

/// Why a request or a run on the pipeline did not go as designed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, defmt::Format)]
pub enum PipelineError {
    /// The `requests` place had no room for the request.
    Refused,
    /// `now` is earlier than the last instant the net has seen; nothing ran.
    ClockRegression(ClockRegression),
    /// The net was still busy after the run budget was spent.
    Stalled(RunReport),
    /// Not exactly one request came out at the ends of the pipeline (how many did).
    CameOut(u8),
    /// Another request than the one offered came out.
    Mixup {
        /// The id of the request offered.
        offered: u32,
        /// The id of the request that came out.
        came_out: u32,
    },
}

/// The request pipeline net with the circuit breaker inside, and the backend.
///
/// It borrows the net and the stages rather than owning them, so `main` can build each
/// straight into its own `static` (fewer large temporaries on the stack).
#[derive(Debug)]
pub struct Pipeline<'a> {
    net: &'a mut PipelineNet,
    stages: &'a mut Stages,
}

impl<'a> Pipeline<'a> {
    /// Builds the net into `net` and the stages (a CLOSED breaker started at `now`, a
    /// backend not yet called) into `stages`, and returns the pipeline made of them.
    ///
    /// Not inlined: building moves large values (the builder, the validated structure,
    /// the net and the results carrying them), and in a frame of their own these
    /// temporaries are gone before the program runs instead of staying in the caller's.
    ///
    /// # Errors
    /// [`BuildFailure`] naming the invalid net definition or breaker configuration.
    #[inline(never)]
    pub fn build_into(
        net: &'a mut MaybeUninit<PipelineNet>,
        stages: &'a mut MaybeUninit<Stages>,
        now: Instant,
    ) -> Result<Self, BuildFailure> {
        Ok(Self {
            net: net.write(pipeline_net::build().map_err(BuildFailure::Net)?),
            stages: stages.write(Stages::new(now).map_err(BuildFailure::Breaker)?),
        })
    }

    /// Offers `request` at `now` with the backend scripted to give `answer`, runs the
    /// net until nothing is ready (reporting the run's events to `observer`), and takes
    /// the request out of whichever end place it reached.
    ///
    /// # Errors
    /// [`PipelineError`]: the net refused the request or the instant, ran out of
    /// budget, or did not deliver exactly this request to one end place.
    pub fn offer<O: Observer>(
        &mut self,
        request: Request,
        answer: Answer,
        now: Instant,
        observer: &mut O,
    ) -> Result<Fate, PipelineError> {
        self.stages.backend_mut().answer_with(answer);
        self.net
            .inject(REQUESTS, request, now)
            .map_err(|refused| match refused {
                InjectError::ClockRegression(_, regression) => {
                    PipelineError::ClockRegression(regression)
                }
                InjectError::Full(_)
                | InjectError::UnknownPlace(_)
                | InjectError::ForeignPlace(_) => PipelineError::Refused,
            })?;
        self.run(now, observer)?;
        let served = self.take(DONE);
        let rejected = self.take(REJECTED);
        let invalid = self.take(INVALID);
        let fate = match (served, rejected, invalid) {
            (Some(r), None, None) => Fate::Served(r),
            (None, Some(r), None) => Fate::Rejected(r),
            (None, None, Some(r)) => Fate::Invalid(r),
            (served, rejected, invalid) => {
                let out = [served.is_some(), rejected.is_some(), invalid.is_some()];
                let count = out.into_iter().filter(|&came_out| came_out).count();
                return Err(PipelineError::CameOut(
                    u8::try_from(count).unwrap_or(u8::MAX),
                ));
            }
        };
        let came_out = fate.request().id;
        if came_out != request.id {
            return Err(PipelineError::Mixup {
                offered: request.id,
                came_out,
            });
        }
        Ok(fate)
    }

    /// Steps the net at `now` until nothing is ready, applying whatever is due then
    /// (the breaker's open period ending), and reports every event to `observer`.
    ///
    /// # Errors
    /// [`PipelineError::ClockRegression`] when `now` is in the net's past, or
    /// [`PipelineError::Stalled`] when the run budget ran out.
    pub fn run<O: Observer>(
        &mut self,
        now: Instant,
        observer: &mut O,
    ) -> Result<RunReport, PipelineError> {
        let report = self
            .net
            .run_observed(now, RUN_BUDGET, self.stages, observer)
            .map_err(PipelineError::ClockRegression)?;
        if report.exhausted {
            return Err(PipelineError::Stalled(report));
        }
        Ok(report)
    }

    fn take(&mut self, place: PlaceId) -> Option<Request> {
        self.net.take(place).ok()
    }

    /// The earliest instant at which the pipeline changes without new input (here:
    /// the end of the breaker's open period), as the net computes it.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.net.next_deadline(self.stages)
    }

    /// The circuit breaker.
    pub const fn breaker(&self) -> &PipelineBreaker {
        self.stages.breaker()
    }

    /// The backend.
    pub const fn backend(&self) -> &ScriptedBackend {
        self.stages.backend()
    }

    /// The net's lifetime token and firing counters.
    pub const fn counters(&self) -> &NetCounters {
        self.net.counters()
    }

    /// How many tokens the net's places hold.
    pub fn held(&self) -> u64 {
        self.net.held()
    }

    /// Logs `core::mem::size_of` of the pipeline's objects (the footprint report reads
    /// this line).
    pub fn log_object_sizes(&self) {
        defmt::info!(
            "size_of: PipelineNet {=usize} B, Stages {=usize} B (PipelineBreaker {=usize} B), Request {=usize} B",
            core::mem::size_of::<PipelineNet>(),
            core::mem::size_of::<Stages>(),
            core::mem::size_of::<PipelineBreaker>(),
            core::mem::size_of::<Request>(),
        );
    }
}

impl Fate {
    /// The name of the place the request ended in.
    pub const fn place_name(&self) -> &'static str {
        match self {
            Self::Served(_) => "done",
            Self::Rejected(_) => "rejected",
            Self::Invalid(_) => "invalid",
        }
    }

    /// The request, wherever it ended.
    pub const fn request(&self) -> &Request {
        match self {
            Self::Served(r) | Self::Rejected(r) | Self::Invalid(r) => r,
        }
    }
}
