//! The engine task: owns the request pipeline net with the breaker inside, steps it
//! on every input, and otherwise sleeps until the net's next deadline.
//!
//! One wake-up is one step: a request arrived (into `requests`), an answer came back
//! (into `responses`), or the deadline `next_deadline()` announced came (nothing to
//! put in; the step lets the breaker's open period end). After the step the task
//! sends admitted requests to the backend and takes out every request that ended.

use crate::links::{ANSWERS, ARRIVALS, CALLS};
use crate::pipeline::Pipeline;
use crate::pipeline_net::{
    DONE, FORWARDED, INVALID, PipelineNet, REJECTED, REQUESTS, RESPONSES, VALIDATE,
};
use crate::request::Request;
use crate::stack;
use crate::stages::MALFORMED;
use crate::story::Story;
use crate::wakeups::{self, Wake};
use crate::{exit, scenario, time_driver};
use embassy_futures::select::{Either3, select3};
use embassy_time::Timer;
use mycel::fsm::StateChange;
use mycel::net::Place;
use mycel::sched::{Disposition, FiringError, NetEvent, Observer};
use mycel::time::Instant;

/// The most stack one engine step may use, on top of the task's own frames: the run
/// fails above it. Within the 1 KiB, about 1 % above the deepest step, which
/// measures 1008 B on Cortex-M0 and 896 B on Cortex-M3 and Cortex-M4 today, nearly all
/// of it in the net's run: its own frame, then the breaker's dispatch and its entry
/// action (see the README, "Footprint").
pub const STEP_STACK_BUDGET: u32 = 1018;

/// Hears the net's events during a step and records them; the step logs them once
/// the net's run has returned, so logging never adds to the run's stack. Two
/// references: what it records lives in the engine task's future, not on the stack
/// of the step.
struct StepObserver<'a> {
    story: &'a mut Story,
    notes: &'a mut StepNotes,
}

/// What a step's observer needs and notes beside the story.
#[derive(Debug, Default, Clone, Copy)]
struct StepNotes {
    /// The deadline the step was woken by, if it was.
    slept_until: Option<Instant>,
    /// When `validate` sent a malformed request to `invalid`.
    malformed_at: Option<Instant>,
}

impl Observer for StepObserver<'_> {
    // On the deepest path of a step (under the breaker's dispatch): taking the change
    // as it is saves wrapping it in a `NetEvent` on the stack first.
    fn on_state_change(&mut self, change: &StateChange) {
        self.story.changed(change, self.notes.slept_until);
    }

    fn on_event(&mut self, event: &NetEvent) {
        match *event {
            NetEvent::StateChanged(change) => self.on_state_change(&change),
            NetEvent::Failed {
                transition,
                at,
                error: FiringError::Behaviour(MALFORMED),
                disposition: Disposition::ToErrorPlace { place, .. },
                ..
            } if transition == VALIDATE && place == INVALID => self.notes.malformed_at = Some(at),
            NetEvent::Failed {
                transition, name, ..
            } => {
                defmt::panic!(
                    "transition {=str}[{=usize}] failed",
                    name,
                    transition.index()
                );
            }
            _ => {}
        }
    }
}

/// Stack use measured around the engine's steps.
#[derive(Debug, Default, Clone, Copy)]
struct StackUse {
    /// The most one step used below the task's frame.
    step: u32,
    /// The deepest the stack went during a step, from its top.
    deepest: u32,
}

/// Runs the pipeline until every scripted request came out, then checks the story
/// and ends the run through semihosting.
#[embassy_executor::task]
pub async fn engine(mut pipeline: Pipeline) {
    let mut story = Story::default();
    let mut stack_use = StackUse::default();
    let mut notes = StepNotes::default();
    while story.finished() < scenario::ARRIVALS {
        let deadline = pipeline.next_deadline();
        // No deadline: the timer sleeps until the end of time, and only input wakes the task.
        let woke = select3(
            ARRIVALS.receive(),
            ANSWERS.receive(),
            Timer::at(deadline.unwrap_or(Instant::MAX)),
        )
        .await;
        let (input, now, slept_until): (Option<(Place<PipelineNet>, Request)>, _, _) = match woke {
            Either3::First(request) => (
                Some((REQUESTS, request)),
                wakeups::record(Wake::EngineRequest, None),
                None,
            ),
            Either3::Second(answer) => (
                Some((RESPONSES, answer)),
                wakeups::record(Wake::EngineAnswer, None),
                None,
            ),
            Either3::Third(()) => (
                None,
                wakeups::record(Wake::EngineDeadline, deadline),
                deadline,
            ),
        };
        let painted = stack::paint();
        notes.slept_until = slept_until;
        notes.malformed_at = None;
        step(&mut pipeline, &mut story, &mut notes, input, now);
        stack_use.step = stack_use.step.max(painted.used_since());
        stack_use.deepest = stack_use.deepest.max(stack::deepest_from_top());
    }
    finish(&pipeline, &story, stack_use)
}

/// One step: puts the input in, runs the net at `now`, sends admitted requests to the
/// backend and takes out the requests that ended. Inlined into the task, so that none
/// of its locals sits above the net's run: putting in and taking out have frames of
/// their own, not inlined, and the deepest part (the net's run, `Pipeline::run`)
/// starts right below the task's frame.
#[inline(always)]
fn step(
    pipeline: &mut Pipeline,
    story: &mut Story,
    notes: &mut StepNotes,
    input: Option<(Place<PipelineNet>, Request)>,
    now: Instant,
) {
    put_in(pipeline, story, input, now);
    run_net(pipeline, story, notes, now);
    take_out(pipeline, story, notes.malformed_at);
}

/// The step's start: its era, and the input put into its place.
#[inline(never)]
fn put_in(
    pipeline: &mut Pipeline,
    story: &mut Story,
    input: Option<(Place<PipelineNet>, Request)>,
    now: Instant,
) {
    story.start_step();
    if let Some((place, token)) = input {
        defmt::unwrap!(pipeline.inject(place, token, now));
    }
}

/// Runs the net at `now`, recording its events in `story` and `notes` (when
/// `validate` sent a malformed request to `invalid`, if it did). Inlined into the
/// task: the net's run is the step's first frame, and the observer (two references)
/// sits in the task's frame instead of a frame of its own above the run.
#[inline(always)]
fn run_net(pipeline: &mut Pipeline, story: &mut Story, notes: &mut StepNotes, now: Instant) {
    pipeline.run(now, &mut StepObserver { story, notes });
}

/// The step's end: logs what the run did, sends admitted requests to the backend,
/// takes out the requests that ended and checks that tokens were conserved.
#[inline(never)]
fn take_out(pipeline: &mut Pipeline, story: &mut Story, malformed_at: Option<Instant>) {
    if let Some(at) = malformed_at {
        defmt::info!(
            "validate: malformed request sent to invalid at {=u32} ms",
            scenario::millis(at)
        );
    }
    story.log_changes_of_step();
    story.note_open_period(pipeline.breaker().state_detail());
    while let Some(call) = pipeline.take(FORWARDED) {
        story.called(pipeline.breaker().state());
        defmt::unwrap!(
            CALLS.try_send(call).ok(),
            "the backend has no room for a call"
        );
    }
    while let Some(served) = pipeline.take(DONE) {
        story.served(&served);
    }
    while pipeline.take(REJECTED).is_some() {
        story.rejected();
    }
    while pipeline.take(INVALID).is_some() {
        story.invalid();
    }
    let c = pipeline.counters();
    defmt::assert!(
        c.injected.saturating_add(c.created)
            == c.taken
                .saturating_add(c.retired)
                .saturating_add(pipeline.held()),
        "tokens not conserved"
    );
}

/// Logs the totals, wake-ups and stack use, checks the beats and the budgets, and
/// exits: 0 when the five beats happened within the budgets, 1 otherwise.
fn finish(pipeline: &Pipeline, story: &Story, stack_use: StackUse) -> ! {
    let net = pipeline.counters();
    let metrics = pipeline.breaker().metrics();
    defmt::info!(
        "net: injected {=u64}, taken {=u64}, held {=u64}; firings {=u64}, failed {=u64}",
        net.injected,
        net.taken,
        pipeline.held(),
        net.firings,
        net.failures
    );
    defmt::info!(
        "breaker: permitted {=u64}, rejected {=u64}, successes {=u64}, failures {=u64}, state changes {=u64}; backend calls {=u32}",
        metrics.permitted,
        metrics.rejected,
        metrics.successes,
        metrics.failures,
        metrics.state_changes,
        story.calls()
    );
    let w = wakeups::so_far();
    defmt::info!(
        "wake-ups: engine {=u32} ({=u32} requests, {=u32} answers, {=u32} deadlines), arrival {=u32}, backend {=u32}; SysTick interrupts {=u32}",
        w.engine(),
        w.engine_request,
        w.engine_answer,
        w.engine_deadline,
        w.arrival,
        w.backend,
        time_driver::interrupts()
    );
    defmt::info!(
        "lateness: worst {=u64} us over {=u32} timed wake-ups",
        w.worst_lateness.as_micros(),
        w.timed
    );
    defmt::info!(
        "stack: high-water mark {=u32} B per engine step, {=u32} B deepest from the top, of {=u32} B",
        stack_use.step,
        stack_use.deepest,
        stack::reserved()
    );
    let beats = story.check_beats(pipeline.breaker().state());
    let on_time = w.worst_lateness <= scenario::LATENESS_BOUND;
    if !on_time {
        defmt::error!(
            "a task woke later than {=u64} us after its instant",
            scenario::LATENESS_BOUND.as_micros()
        );
    }
    let small = stack_use.step <= STEP_STACK_BUDGET;
    if !small {
        defmt::error!(
            "an engine step used more than {=u32} B of stack",
            STEP_STACK_BUDGET
        );
    }
    if beats && on_time && small {
        defmt::info!("all five beats happened");
        exit::success()
    }
    exit::failure()
}
