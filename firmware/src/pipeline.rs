//! The engine task's side of the net: the request pipeline net and the stages its
//! transitions run, built into statics, with the calls the task makes on them.

use crate::breaker::PipelineBreaker;
use crate::pipeline_net::PipelineNet;
use crate::request::Request;
use crate::stages::Stages;
use mycel::breaker::ConfigError;
use mycel::net::Place;
use mycel::sched::{InjectError, NetCounters, Observer, RunReport};
use mycel::time::{ClockRegression, Instant};
use static_cell::{ConstStaticCell, StaticCell};

/// Most firings one step may make. Each input moves one token through at most two
/// transitions, so running out means the net is not behaving as designed.
const RUN_BUDGET: u32 = 16;

/// Why the pipeline could not be built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuildFailure {
    /// The breaker's configuration is invalid.
    Breaker(ConfigError),
    /// The pipeline was already built once (its statics are taken).
    AlreadyBuilt,
}

/// Why a step did not go as designed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepError {
    /// The place had no room for the token.
    Refused,
    /// `now` is earlier than the last instant the net has seen; nothing ran.
    ClockRegression(ClockRegression),
    /// The net was still busy after the run budget was spent.
    Stalled(RunReport),
}

// The engine is built without its `defmt` feature (its logging and its types'
// `defmt::Format` impls cost flash), so the failures log by name.
impl defmt::Format for BuildFailure {
    fn format(&self, f: defmt::Formatter<'_>) {
        let name = match self {
            Self::Breaker(_) => "the breaker configuration is invalid",
            Self::AlreadyBuilt => "the pipeline was already built",
        };
        defmt::write!(f, "{=str}", name);
    }
}

impl defmt::Format for StepError {
    fn format(&self, f: defmt::Formatter<'_>) {
        match self {
            Self::Refused => defmt::write!(f, "the place is full"),
            Self::ClockRegression(r) => defmt::write!(
                f,
                "clock regression: {=u64} us after {=u64} us",
                r.now.as_ticks(),
                r.last.as_ticks()
            ),
            Self::Stalled(report) => {
                defmt::write!(f, "still busy after {=u32} firings", report.fired)
            }
        }
    }
}

/// The request pipeline net with the circuit breaker inside.
///
/// Both parts live in statics, so the linker counts them in static RAM and the
/// engine task's future holds only two references.
#[derive(Debug)]
pub struct Pipeline {
    net: &'static mut PipelineNet,
    stages: &'static mut Stages,
}

impl Pipeline {
    /// Takes the net (every place empty: a static initialised from flash data) and
    /// builds the stages (a CLOSED breaker started at `now`) into their static.
    ///
    /// Not inlined: building moves a large value, and in a frame of its own this
    /// temporary is gone before the tasks run.
    ///
    /// # Errors
    /// [`BuildFailure`] naming the invalid breaker configuration, or a second call.
    /// The net cannot fail: `net!` validated it while the firmware compiled.
    #[inline(never)]
    pub fn build(now: Instant) -> Result<Self, BuildFailure> {
        // The empty net is a constant (`net!` computes it while compiling): the static
        // starts with it, initialised from flash data, and no code builds it.
        static NET: ConstStaticCell<PipelineNet> = ConstStaticCell::new(PipelineNet::new());
        static STAGES: StaticCell<Stages> = StaticCell::new();
        let net = NET.try_take().ok_or(BuildFailure::AlreadyBuilt)?;
        let stages = STAGES.try_uninit().ok_or(BuildFailure::AlreadyBuilt)?;
        Ok(Self {
            net,
            stages: stages.write(Stages::new(now).map_err(BuildFailure::Breaker)?),
        })
    }

    /// Puts `token` into `place` at `now`.
    ///
    /// # Errors
    /// [`StepError::Refused`] when the place is full, [`StepError::ClockRegression`]
    /// when `now` is in the net's past.
    pub fn inject(
        &mut self,
        place: Place<PipelineNet>,
        token: Request,
        now: Instant,
    ) -> Result<(), StepError> {
        self.net
            .inject(place, token, now)
            .map_err(|refused| match refused {
                InjectError::ClockRegression(_, regression) => {
                    StepError::ClockRegression(regression)
                }
                InjectError::Full(..)
                | InjectError::UnknownPlace(..)
                | InjectError::ForeignPlace(..) => StepError::Refused,
            })
    }

    /// Steps the net at `now` until nothing is ready, applying whatever is due then
    /// (the breaker's open period ending), and reports every event to `observer`.
    ///
    /// A `now` in the net's past ([`StepError::ClockRegression`]) or a run budget
    /// spent with the net still busy ([`StepError::Stalled`]) ends the firmware with
    /// that error logged, so no result takes room in the caller's frame.
    // Not inlined: the net's run keeps its own frame, and the task's step does not add
    // its locals on top of it.
    #[inline(never)]
    pub fn run<O: Observer>(&mut self, now: Instant, observer: &mut O) {
        match self
            .net
            .run_observed(now, RUN_BUDGET, self.stages, observer)
        {
            Err(regression) => run_failed(StepError::ClockRegression(regression)),
            Ok(report) if report.exhausted => run_failed(StepError::Stalled(report)),
            Ok(_) => {}
        }
    }

    /// Takes one token out of `place`, if it holds one.
    pub fn take(&mut self, place: Place<PipelineNet>) -> Option<Request> {
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

/// Ends the run on a step that did not go as designed. Out of line, so formatting the
/// error takes no room in the frame of the net's run.
#[cold]
#[inline(never)]
fn run_failed(error: StepError) -> ! {
    defmt::panic!("the net's run failed: {}", error)
}
