//! Mermaid diagrams of the simulator's net (with the breaker drawn inside it) and of
//! the breaker machine, for `mycel diagram` and the demo report. They render on GitHub.

use crate::scenario::{COUNT_WINDOW_WORDS, TIME_WINDOW_BUCKETS};
use crate::sim::SimNet;
use mycel::breaker::BreakerMachine;
use mycel::diagram::{EmbeddedMachine, write_net};
use mycel::fsm::Machine;
use std::fmt::Write;

type Breaker = BreakerMachine<COUNT_WINDOW_WORDS, TIME_WINDOW_BUCKETS>;

/// The net as a Mermaid flowchart, the breaker machine drawn as a subgraph of its
/// states linked to `route` (where it admits requests) and `record` (where it hears
/// outcomes).
///
/// # Errors
/// [`std::fmt::Error`] only if writing to a `String` fails, which it does not.
pub fn net(net: &SimNet) -> Result<String, std::fmt::Error> {
    let machine = EmbeddedMachine {
        transition: crate::sim::ROUTE.id(),
        name: "circuit_breaker, one per service",
        table: &<Breaker as Machine>::TABLE,
    };
    let mut out = String::new();
    write_net(net.as_net(), &[machine], &mut out)?;
    // The same breaker also hears every outcome in `record`.
    writeln!(out, "    T{} -.- M0", crate::sim::RECORD.index())?;
    Ok(out)
}

/// The breaker machine alone, as a Mermaid state diagram.
///
/// # Errors
/// [`std::fmt::Error`] only if writing to a `String` fails, which it does not.
pub fn breaker() -> Result<String, std::fmt::Error> {
    let mut out = String::new();
    <Breaker as Machine>::TABLE.write_mermaid(&mut out)?;
    Ok(out)
}

/// Both diagrams as Markdown with `mermaid` code blocks.
///
/// # Errors
/// [`std::fmt::Error`] only if writing to a `String` fails, which it does not.
pub fn markdown(sim_net: &SimNet) -> Result<String, std::fmt::Error> {
    let mut out = String::new();
    writeln!(
        out,
        "## The simulator's net, with the circuit breaker inside it"
    )?;
    writeln!(out)?;
    writeln!(out, "```mermaid")?;
    out.push_str(&net(sim_net)?);
    writeln!(out, "```")?;
    writeln!(out)?;
    writeln!(out, "## The circuit breaker machine")?;
    writeln!(out)?;
    writeln!(out, "```mermaid")?;
    out.push_str(&breaker()?);
    writeln!(out, "```")?;
    Ok(out)
}
