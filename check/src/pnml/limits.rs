//! The bounds that keep a PNML import finite in memory and time.

/// How much an import accepts before refusing with [`PnmlError`](super::PnmlError).
///
/// The defaults accept every net of the Model Checking Contest's P/T inputs while
/// refusing in bounded time and memory a file built to exhaust them.
///
/// ```
/// use mycel_check::pnml::Limits;
/// let strict = Limits { max_places: 10, ..Limits::default() };
/// assert_eq!(strict.max_places, 10);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most bytes read from the input. The largest single piece of markup (a
    /// comment, a tag with its attributes) is held whole while it is read, so this also
    /// bounds the import's memory.
    pub max_bytes: u64,
    /// The deepest nesting of XML elements.
    pub max_depth: usize,
    /// The longest text (a name, a marking, an inscription), in bytes.
    pub max_text_bytes: usize,
    /// The most places.
    pub max_places: usize,
    /// The most transitions.
    pub max_transitions: usize,
    /// The most arcs.
    pub max_arcs: usize,
    /// The largest initial marking of one place.
    pub max_marking: u64,
    /// The largest arc weight.
    pub max_weight: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 1 << 30,
            max_depth: 256,
            max_text_bytes: 1 << 16,
            max_places: 1_000_000,
            max_transitions: 1_000_000,
            max_arcs: 4_000_000,
            max_marking: u64::from(u32::MAX),
            max_weight: u64::from(u32::MAX),
        }
    }
}
