//! The SVG timeline: per service, the breaker's state over time above the request
//! outcomes per bucket (stacked bars) and the failure rate (a line, right axis).
//!
//! Drawn with plotters' SVG backend only: text is left to the SVG viewer's fonts, so
//! nothing here needs a system font or library, and the same run gives the same bytes.

use crate::scenario::Scenario;
use crate::timeline::{ServiceLine, Timeline};
use crate::units::seconds;
use mycel::breaker::BreakerStateKind;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::fmt;

const WIDTH: u32 = 1100;
const TITLE_HEIGHT: u32 = 40;
const PANEL_HEIGHT: u32 = 320;
const BAND_HEIGHT: u32 = 70;
const AXIS_WIDTH: u32 = 70;

const OK: RGBColor = RGBColor(67, 160, 71);
const FAILED: RGBColor = RGBColor(229, 57, 53);
const REJECTED: RGBColor = RGBColor(158, 158, 158);
const RATE: RGBColor = RGBColor(21, 101, 192);

/// A plot that could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlotError(pub String);

impl fmt::Display for PlotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot draw the plot: {}", self.0)
    }
}

impl std::error::Error for PlotError {}

fn fail(e: impl fmt::Display) -> PlotError {
    PlotError(e.to_string())
}

/// The colour a state is drawn in.
#[must_use]
pub const fn state_color(state: BreakerStateKind) -> RGBColor {
    match state {
        BreakerStateKind::Closed => OK,
        BreakerStateKind::Open => FAILED,
        BreakerStateKind::HalfOpen => RGBColor(255, 179, 0),
        BreakerStateKind::ForcedOpen => RGBColor(136, 14, 79),
        BreakerStateKind::Disabled => RGBColor(97, 97, 97),
        BreakerStateKind::MetricsOnly => RGBColor(84, 110, 122),
    }
}

fn secs(micros: u64) -> f64 {
    // Exact for any run shorter than 2^53 µs (285 years).
    micros as f64 / 1e6
}

/// Draws `timeline` of a run of `scenario` with `seed` as an SVG document.
///
/// # Errors
/// [`PlotError`] if plotters fails to lay the drawing out.
pub fn render_svg(
    scenario: &Scenario,
    seed: u64,
    timeline: &Timeline,
) -> Result<String, PlotError> {
    let mut svg = String::new();
    let panels = u32::try_from(timeline.services.len()).unwrap_or(1).max(1);
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, TITLE_HEIGHT + panels * PANEL_HEIGHT))
            .into_drawing_area();
        root.fill(&WHITE).map_err(fail)?;
        let title = format!(
            "mycel: scenario \"{}\", seed {seed}, {} simulated",
            scenario.name,
            seconds(timeline.end_us)
        );
        let body = root.titled(&title, ("sans-serif", 22)).map_err(fail)?;
        let areas = body.split_evenly((timeline.services.len().max(1), 1));
        for (line, area) in timeline.services.iter().zip(&areas) {
            panel(area, scenario, timeline, line)?;
        }
        root.present().map_err(fail)?;
    }
    Ok(svg)
}

fn panel(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    scenario: &Scenario,
    timeline: &Timeline,
    line: &ServiceLine,
) -> Result<(), PlotError> {
    let end = secs(timeline.end_us);
    let (band_area, chart_area) = area.split_vertically(BAND_HEIGHT);

    let caption = format!(
        "{}: breaker state, requests per {} bucket, failure rate",
        line.name,
        seconds(timeline.bucket_us)
    );
    let mut band = ChartBuilder::on(&band_area)
        .caption(caption, ("sans-serif", 17))
        .margin_left(10)
        .margin_right(10)
        .y_label_area_size(AXIS_WIDTH)
        .right_y_label_area_size(AXIS_WIDTH)
        .build_cartesian_2d(0.0..end, 0.0..1.0)
        .map_err(fail)?;
    let mut segments = Vec::new();
    for (i, &(from, state)) in line.states.iter().enumerate() {
        let until = line
            .states
            .get(i + 1)
            .map_or(timeline.end_us, |(at, _)| at.as_micros());
        segments.push((secs(from.as_micros()), secs(until).min(end), state));
    }
    band.draw_series(segments.iter().map(|&(x0, x1, state)| {
        Rectangle::new([(x0, 0.0), (x1, 1.0)], state_color(state).filled())
    }))
    .map_err(fail)?;
    let label = ("sans-serif", 12).into_font().color(&WHITE);
    band.draw_series(
        segments
            .iter()
            .filter(|(x0, x1, _)| (x1 - x0) > end * 0.07)
            .map(|&(x0, _, state)| {
                Text::new(state.as_str(), (x0 + end * 0.005, 0.75), label.clone())
            }),
    )
    .map_err(fail)?;

    let highest = line.buckets.iter().map(|b| b.total()).max().unwrap_or(0);
    // Headroom above the bars for the phase names and the legend.
    let top = (highest.max(1) * 7).div_ceil(4).max(2);
    let mut chart = ChartBuilder::on(&chart_area)
        .margin_left(10)
        .margin_right(10)
        .margin_bottom(10)
        .x_label_area_size(40)
        .y_label_area_size(AXIS_WIDTH)
        .right_y_label_area_size(AXIS_WIDTH)
        .build_cartesian_2d(0.0..end, 0..top)
        .map_err(fail)?
        .set_secondary_coord(0.0..end, 0.0..100.0);
    chart
        .configure_mesh()
        .light_line_style(WHITE)
        .x_desc("simulated time (s)")
        .y_desc("requests")
        .draw()
        .map_err(fail)?;
    chart
        .configure_secondary_axes()
        .y_desc("failure rate (%)")
        .draw()
        .map_err(fail)?;

    // Phases are marked on the secondary (0-100) axis so their names sit at fixed
    // heights, alternating between two rows so that close phases stay readable.
    for (i, phase) in scenario.phases.iter().enumerate() {
        let x = secs(phase.from.as_micros());
        if i > 0 {
            chart
                .draw_secondary_series(std::iter::once(PathElement::new(
                    vec![(x, 0.0), (x, 100.0)],
                    BLACK.mix(0.35),
                )))
                .map_err(fail)?;
        }
        let y = if i % 2 == 0 { 99.0 } else { 92.0 };
        chart
            .draw_secondary_series(std::iter::once(Text::new(
                phase.name.clone(),
                (x + end * 0.003, y),
                ("sans-serif", 11).into_font().color(&BLACK.mix(0.7)),
            )))
            .map_err(fail)?;
    }

    let width = secs(timeline.bucket_us);
    let gap = width * 0.1;
    let bars = |pick: fn(&crate::timeline::Bucket) -> (u32, u32), color: RGBColor| {
        line.buckets.iter().enumerate().filter_map(move |(i, b)| {
            let (low, high) = pick(b);
            (high > low).then(|| {
                let x0 = width * i as f64;
                Rectangle::new(
                    [(x0 + gap, low), ((x0 + width - gap).min(end), high)],
                    color.filled(),
                )
            })
        })
    };
    chart
        .draw_series(bars(|b| (0, b.ok), OK))
        .map_err(fail)?
        .label("ok")
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], OK.filled()));
    chart
        .draw_series(bars(|b| (b.ok, b.ok + b.failed), FAILED))
        .map_err(fail)?
        .label("failed")
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], FAILED.filled()));
    chart
        .draw_series(bars(|b| (b.ok + b.failed, b.total()), REJECTED))
        .map_err(fail)?
        .label("rejected (no backend call)")
        .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], REJECTED.filled()));

    // The failure rate is drawn where responses came back; gaps stay gaps.
    let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for (i, b) in line.buckets.iter().enumerate() {
        match b.failure_rate() {
            Some(rate) => {
                if let Some(run) = runs.last_mut() {
                    run.push((width * (i as f64 + 0.5), rate));
                }
            }
            None => runs.push(Vec::new()),
        }
    }
    let style = RATE.stroke_width(2);
    let mut labelled = false;
    for run in runs.into_iter().filter(|r| !r.is_empty()) {
        let dots = run
            .iter()
            .map(|&p| Circle::new(p, 3, RATE.filled()))
            .collect::<Vec<_>>();
        let drawn = chart
            .draw_secondary_series(LineSeries::new(run, style))
            .map_err(fail)?;
        if !labelled {
            drawn
                .label("failure rate")
                .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 12, y)], RATE.stroke_width(2)));
            labelled = true;
        }
        chart.draw_secondary_series(dots).map_err(fail)?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.4))
        .label_font(("sans-serif", 12))
        .draw()
        .map_err(fail)?;
    Ok(())
}
