//! The progress bar of long runs: shown on a terminal once a run has taken over a
//! second, never when stderr is piped or `--quiet` is given.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use mycel::time::Instant;
use std::io::IsTerminal;
use std::time::{Duration, Instant as WallClock};

/// How long a run goes before its progress is shown.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// Progress through simulated time, drawn on stderr.
///
/// The wall clock is read only here, to decide when to show the bar; it never reaches
/// a report, trace, summary or plot.
pub struct Progress {
    bar: Option<ProgressBar>,
    started: WallClock,
    shown: bool,
}

impl Progress {
    /// Progress over `total_us` simulated microseconds; drawn only if `enabled` and
    /// stderr is a terminal.
    #[must_use]
    pub fn new(total_us: u64, enabled: bool) -> Self {
        let bar = (enabled && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(Some(total_us), ProgressDrawTarget::hidden());
            if let Ok(style) = ProgressStyle::with_template(
                "simulating {bar:40} {percent:>3}% of simulated time, {elapsed} elapsed",
            ) {
                bar.set_style(style);
            }
            bar
        });
        Self {
            bar,
            started: WallClock::now(),
            shown: false,
        }
    }

    /// The simulated clock reached `at`.
    pub fn update(&mut self, at: Instant) {
        let Some(bar) = &self.bar else { return };
        bar.set_position(at.as_micros());
        if !self.shown && self.started.elapsed() >= SHOW_AFTER {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
    }

    /// Removes the bar.
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
