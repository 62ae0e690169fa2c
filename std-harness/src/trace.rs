//! The run's trace: one JSON object per line, one line per event.
//!
//! Every line starts with `t_us` (the simulated instant in microseconds) and `event`,
//! followed by that event's fields in a fixed order:
//!
//! | `event` | fields |
//! |---|---|
//! | `request` | `id`, `service` |
//! | `refused` | `id`, `service`, `place` (a full place turned it away) |
//! | `fired` | `transition`, `consumed`, `produced` |
//! | `firing_failed` | `transition`, `error` |
//! | `rejected` | `id`, `service`, `reason` (`open`, `half_open_full`, …) |
//! | `backend_call` | `id`, `service`, `probe`, `latency_us`, `outcome`, `cause`? |
//! | `recorded` | `id`, `service`, `outcome`, `recorded` (`counted`, `stale`, …) |
//! | `state_change` | `service`, `from`, `to`, `cause`, `open_until_us`? |
//!
//! Fields marked `?` are left out when they do not apply.

use crate::scenario::Scenario;
use crate::sim::{EventKind, EventSink, SimEvent};
use serde::Serialize;
use std::io::{self, Write};

/// One trace line: `{"t_us":<instant>,"event":"<kind>",<fields>...}`. Written by
/// [`TraceWriter`] as the instant followed by the event's own object, which gives the
/// same bytes as `#[serde(flatten)]` at a fraction of its cost (flatten goes through
/// serde's generic map machinery for every field).
struct Line<'a> {
    t_us: u64,
    event: TraceEvent<'a>,
}

#[derive(Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
enum TraceEvent<'a> {
    Request {
        id: u64,
        service: &'a str,
    },
    Refused {
        id: u64,
        service: &'a str,
        place: &'a str,
    },
    Fired {
        transition: &'a str,
        consumed: u16,
        produced: u16,
    },
    FiringFailed {
        transition: &'a str,
        error: String,
    },
    Rejected {
        id: u64,
        service: &'a str,
        reason: &'a str,
    },
    BackendCall {
        id: u64,
        service: &'a str,
        probe: bool,
        latency_us: u64,
        outcome: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        cause: Option<&'a str>,
    },
    Recorded {
        id: u64,
        service: &'a str,
        outcome: &'a str,
        recorded: &'a str,
    },
    StateChange {
        service: &'a str,
        from: &'a str,
        to: &'a str,
        cause: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        open_until_us: Option<u64>,
    },
}

const fn outcome(ok: bool) -> &'static str {
    if ok { "success" } else { "failure" }
}

/// Writes each event as a JSON line to `out`.
///
/// Write errors do not stop the run: the first one is kept and returned by
/// [`TraceWriter::finish`].
pub struct TraceWriter<W: Write> {
    out: W,
    services: Vec<String>,
    error: Option<io::Error>,
    lines: u64,
    /// The line being written, kept to reuse its allocation.
    buffer: Vec<u8>,
}

impl<W: Write> TraceWriter<W> {
    /// A writer naming `scenario`'s services.
    pub fn new(out: W, scenario: &Scenario) -> Self {
        Self {
            out,
            services: scenario.services.iter().map(|s| s.name.clone()).collect(),
            error: None,
            lines: 0,
            buffer: Vec::with_capacity(256),
        }
    }

    /// Flushes the output and returns how many lines were written.
    ///
    /// # Errors
    /// The first write error met, or the flush's.
    pub fn finish(mut self) -> io::Result<u64> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.out.flush()?;
        Ok(self.lines)
    }

    fn service(&self, index: usize) -> &str {
        self.services.get(index).map_or("?", String::as_str)
    }

    fn line(&self, event: &SimEvent) -> Line<'_> {
        let e = match event.kind {
            EventKind::Request { id, service } => TraceEvent::Request {
                id,
                service: self.service(service),
            },
            EventKind::Refused { id, service, place } => TraceEvent::Refused {
                id,
                service: self.service(service),
                place,
            },
            EventKind::Fired {
                transition,
                consumed,
                produced,
            } => TraceEvent::Fired {
                transition,
                consumed,
                produced,
            },
            EventKind::FiringFailed { transition, error } => TraceEvent::FiringFailed {
                transition,
                error: error.to_string(),
            },
            EventKind::Rejected {
                id,
                service,
                reason,
            } => TraceEvent::Rejected {
                id,
                service: self.service(service),
                reason: reason.as_str(),
            },
            EventKind::BackendCall {
                id,
                service,
                probe,
                latency,
                ok,
                cause,
            } => TraceEvent::BackendCall {
                id,
                service: self.service(service),
                probe,
                latency_us: latency.as_micros(),
                outcome: outcome(ok),
                cause: cause.map(|c| c.as_str()),
            },
            EventKind::Recorded {
                id,
                service,
                ok,
                recorded,
            } => TraceEvent::Recorded {
                id,
                service: self.service(service),
                outcome: outcome(ok),
                recorded: recorded.as_str(),
            },
            EventKind::StateChange {
                service,
                from,
                to,
                reason,
                open_until,
            } => TraceEvent::StateChange {
                service: self.service(service),
                from: from.as_str(),
                to: to.as_str(),
                cause: reason.as_str(),
                open_until_us: open_until.map(|i| i.as_micros()),
            },
        };
        Line {
            t_us: event.at.as_micros(),
            event: e,
        }
    }
}

/// Appends `line` and a newline to `bytes`: the instant, then the event's object
/// without its opening brace.
fn write_line(bytes: &mut Vec<u8>, line: &Line<'_>) -> io::Result<()> {
    bytes.extend_from_slice(b"{\"t_us\":");
    serde_json::to_writer(&mut *bytes, &line.t_us).map_err(io::Error::from)?;
    bytes.push(b',');
    let object = bytes.len();
    serde_json::to_writer(&mut *bytes, &line.event).map_err(io::Error::from)?;
    // The event is an object (an internally tagged enum): drop its `{`.
    if bytes.get(object) == Some(&b'{') {
        bytes.remove(object);
    }
    bytes.push(b'\n');
    Ok(())
}

impl<W: Write> EventSink for TraceWriter<W> {
    fn event(&mut self, event: &SimEvent) {
        if self.error.is_some() {
            return;
        }
        let mut bytes = std::mem::take(&mut self.buffer);
        bytes.clear();
        let written = write_line(&mut bytes, &self.line(event));
        let result = written.and_then(|()| self.out.write_all(&bytes));
        self.buffer = bytes;
        match result {
            Ok(()) => self.lines = self.lines.saturating_add(1),
            Err(e) => self.error = Some(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mycel::breaker::{BreakerStateKind, Reason};
    use mycel::time::Instant;

    fn scenario() -> Scenario {
        crate::demo::scenario().unwrap()
    }

    fn write(events: &[SimEvent]) -> String {
        let mut out = Vec::new();
        let mut w = TraceWriter::new(&mut out, &scenario());
        for e in events {
            w.event(e);
        }
        assert_eq!(w.finish().unwrap(), events.len() as u64);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn each_event_is_one_json_line_starting_with_its_instant_and_kind() {
        let text = write(&[
            SimEvent {
                at: Instant::from_micros(1_500),
                kind: EventKind::Request { id: 3, service: 0 },
            },
            SimEvent {
                at: Instant::from_micros(2_000),
                kind: EventKind::StateChange {
                    service: 0,
                    from: BreakerStateKind::Closed,
                    to: BreakerStateKind::Open,
                    reason: Reason::ConsecutiveFailures,
                    open_until: Some(Instant::from_micros(5_002_000)),
                },
            },
        ]);
        assert_eq!(
            text,
            "{\"t_us\":1500,\"event\":\"request\",\"id\":3,\"service\":\"inventory\"}\n\
             {\"t_us\":2000,\"event\":\"state_change\",\"service\":\"inventory\",\"from\":\"CLOSED\",\
             \"to\":\"OPEN\",\"cause\":\"consecutive_failures\",\"open_until_us\":5002000}\n"
        );
    }
}
