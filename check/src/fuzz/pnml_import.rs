//! `pnml_import`: arbitrary bytes given to the PNML reader as a file.
//!
//! Every input ends in a typed [`PnmlError`] with a message, or
//! in a net that survives the round trip: exported and read back, it is the same net,
//! and its invariants are computed (or refused with a typed error) within small limits.
//! Never a panic, and never more than the limits allow.

use crate::invariants::{self, StructuralReport};
use crate::pnml::{self, Limits, PnmlError};

/// A PNML file's bytes: a corpus file is a plain PNML file.
pub use crate::fuzz::corpus::FileBytes as PnmlFile;

/// The target's input type under the name every target module exports.
pub type Input = PnmlFile;

/// The reader's limits for fuzzing: small, so every input is cheap, and so hitting a
/// limit is an outcome the fuzzer reaches.
#[must_use]
pub fn limits() -> Limits {
    Limits {
        max_bytes: 1 << 16,
        max_depth: 32,
        max_text_bytes: 256,
        max_places: 64,
        max_transitions: 64,
        max_arcs: 256,
        max_marking: 1 << 20,
        max_weight: 1 << 20,
    }
}

/// The Farkas limits for fuzzing: small enough that every input is cheap.
#[must_use]
pub fn invariant_limits() -> invariants::Limits {
    invariants::Limits { max_rows: 512 }
}

/// What a `pnml_import` run reached, for seed selection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Summary {
    /// The reader refused the file.
    Refused {
        /// The refusal was a limit, not malformed or unsupported input.
        limit: bool,
    },
    /// A net was read and round-tripped.
    Read {
        /// Places in it.
        places: usize,
        /// Arcs in it.
        arcs: usize,
        /// Its invariants were computed within the limits.
        invariants: bool,
    },
}

/// Reads `file` as PNML within [`limits`]; a net is exported, read back and compared,
/// and its invariants are computed.
///
/// # Panics
/// When an error has no message, or a net read from the file does not read back
/// identical from its own export: the reader and writer document both as bugs.
#[must_use]
pub fn run(file: &PnmlFile) -> Summary {
    let net = match pnml::import(file.0.as_slice(), &limits()) {
        Ok(net) => net,
        Err(error) => {
            assert!(!error.to_string().is_empty(), "an error without a message");
            return Summary::Refused {
                limit: matches!(
                    error,
                    PnmlError::TooLarge { .. }
                        | PnmlError::TooDeep { .. }
                        | PnmlError::TextTooLong { .. }
                        | PnmlError::TooMany { .. }
                        | PnmlError::MarkingTooLarge { .. }
                        | PnmlError::WeightTooLarge { .. }
                ),
            };
        }
    };
    let exported = pnml::to_string(&net);
    let again = pnml::import_str(&exported, &Limits::default())
        .unwrap_or_else(|e| panic!("a net's own export is refused: {e}\n{exported}"));
    assert_eq!(again, net, "a net reads back identical from its export");
    let invariants = StructuralReport::of(&net, &invariant_limits()).is_ok();
    Summary::Read {
        places: net.places().len(),
        arcs: net.arcs().len(),
        invariants,
    }
}

/// A P/T net document around `body`, the content of its one page.
fn document(body: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0"?>
<pnml xmlns="{}"><net id="n" type="{}"><name><text>seed</text></name><page id="pg">{body}</page></net></pnml>"#,
        pnml::PNML_NAMESPACE,
        pnml::PT_NET_TYPE
    )
    .into_bytes()
}

/// Hand-written seeds, by file name: nets that read, and files refused for each kind of
/// reason. Random bytes almost never make well-formed PNML.
#[must_use]
pub fn seed_files() -> Vec<(&'static str, Vec<u8>)> {
    let ping_pong = r#"<place id="ping"><name><text>ping</text></name><initialMarking><text>1</text></initialMarking></place>
<place id="pong"/>
<transition id="serve"/><transition id="return"/>
<arc id="a1" source="ping" target="serve"/>
<arc id="a2" source="serve" target="pong"><inscription><text>2</text></inscription></arc>
<arc id="a3" source="pong" target="return"><inscription><text>2</text></inscription></arc>
<arc id="a4" source="return" target="ping"/>"#;
    let nested = r#"<place id="a"><initialMarking><text>3</text></initialMarking></place>
<page id="inner"><place id="b"/><transition id="t"/>
<arc id="x" source="a" target="t"/><arc id="y" source="t" target="b"/></page>"#;
    vec![
        ("ping_pong.pnml", document(ping_pong)),
        ("nested_page.pnml", document(nested)),
        (
            "dangling_arc.pnml",
            document(r#"<place id="p"/><arc id="a" source="p" target="nowhere"/>"#),
        ),
        (
            "huge_marking.pnml",
            document(
                r#"<place id="p"><initialMarking><text>1000000000000000000</text></initialMarking></place>"#,
            ),
        ),
        (
            "coloured.pnml",
            br#"<pnml><net id="ring" type="http://www.pnml.org/version-2009/grammar/symmetricnet"/></pnml>"#
                .to_vec(),
        ),
        ("malformed.pnml", b"<pnml><net id=".to_vec()),
    ]
}

/// What the seed corpus for `pnml_import` should show: a net read with its
/// invariants, a limit refused, and malformed or unsupported input refused.
pub const SEED_CATEGORIES: &[crate::fuzz::corpus::SeedCategory<Summary>] = &[
    ("read_with_invariants", |s| {
        matches!(
            s,
            Summary::Read {
                arcs: 1..,
                invariants: true,
                ..
            }
        )
    }),
    ("limit_refused", |s| {
        matches!(s, Summary::Refused { limit: true })
    }),
    ("input_refused", |s| {
        matches!(s, Summary::Refused { limit: false })
    }),
];
