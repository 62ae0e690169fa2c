//! Why a PNML document is refused.

use crate::pt_net::NetError;

/// A PNML document that [`import`](super::import) refuses. Each variant names the
/// element at fault: by its id where it has one, else by its tag and byte position.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PnmlError {
    /// The input could not be read.
    #[error("cannot read the input: {message}")]
    Io {
        /// The reader's error.
        message: String,
    },
    /// The input is not well-formed XML.
    #[error("malformed XML at byte {position}: {message}")]
    Xml {
        /// The byte offset where the parser stopped.
        position: u64,
        /// The parser's description.
        message: String,
    },
    /// The input is longer than [`Limits::max_bytes`](super::Limits::max_bytes).
    #[error("the input is longer than the limit of {limit} bytes")]
    TooLarge {
        /// The limit.
        limit: u64,
    },
    /// Elements nest deeper than [`Limits::max_depth`](super::Limits::max_depth).
    #[error("<{element}> at byte {position} nests deeper than the limit of {limit} levels")]
    TooDeep {
        /// The tag of the element that went too deep.
        element: String,
        /// Its byte position.
        position: u64,
        /// The limit.
        limit: usize,
    },
    /// A text is longer than [`Limits::max_text_bytes`](super::Limits::max_text_bytes).
    #[error("a text in \"{element}\" is longer than the limit of {limit} bytes")]
    TextTooLong {
        /// The id of the element the text belongs to.
        element: String,
        /// The limit.
        limit: usize,
    },
    /// The net has more places, transitions or arcs than its limit.
    #[error("more than {limit} {kind}s (the limit); the first one over it is \"{element}\"")]
    TooMany {
        /// `"place"`, `"transition"` or `"arc"`.
        kind: &'static str,
        /// The id of the first element over the limit.
        element: String,
        /// The limit.
        limit: usize,
    },
    /// The root element is not `<pnml>`.
    #[error("the root element is <{found}>, not <pnml>")]
    NotPnml {
        /// The root's tag.
        found: String,
    },
    /// The document holds no `<net>`.
    #[error("the document holds no <net>")]
    NoNet,
    /// The document holds more than one `<net>`.
    #[error("the document holds more than one <net>; the second is \"{net}\"")]
    MultipleNets {
        /// The second net's id.
        net: String,
    },
    /// The net is not a P/T net (for example a coloured or symmetric net).
    #[error("net \"{net}\" has type \"{net_type}\"; only P/T nets ({expected}) are supported")]
    UnsupportedNetType {
        /// The net's id.
        net: String,
        /// Its type URI.
        net_type: String,
        /// The accepted type.
        expected: &'static str,
    },
    /// A P/T net element carries high-level (coloured) content.
    #[error("<{tag}> in \"{element}\" is high-level content, which a P/T net cannot have")]
    UnsupportedElement {
        /// The unsupported tag.
        tag: String,
        /// The id of the element that holds it.
        element: String,
    },
    /// An element that needs an id has none.
    #[error("<{tag}> at byte {position} has no id")]
    MissingId {
        /// The element's tag.
        tag: String,
        /// Its byte position.
        position: u64,
    },
    /// An element lacks a required attribute.
    #[error("<{tag}> \"{element}\" has no {attribute} attribute")]
    MissingAttribute {
        /// The element's tag.
        tag: String,
        /// Its id.
        element: String,
        /// The missing attribute.
        attribute: &'static str,
    },
    /// Two elements share an id.
    #[error("id \"{id}\" is used by more than one element")]
    DuplicateId {
        /// The shared id.
        id: String,
    },
    /// An arc's source or target is not a node of the net.
    #[error("arc \"{arc}\" points to \"{end}\", which is not a place or transition of the net")]
    DanglingArc {
        /// The arc's id.
        arc: String,
        /// The unknown end.
        end: String,
    },
    /// An arc's `<type value="...">` is neither `normal` nor `inhibitor`.
    #[error(
        "arc \"{arc}\" has type \"{value}\"; only \"normal\" and \"inhibitor\" arcs are supported"
    )]
    UnsupportedArcType {
        /// The arc's id.
        arc: String,
        /// The type it gives.
        value: String,
    },
    /// An inhibitor arc points from a transition to a place.
    #[error(
        "inhibitor arc \"{arc}\" points from a transition to a place; an inhibitor arc goes from a place to the transition it inhibits"
    )]
    InhibitorFromTransition {
        /// The arc's id.
        arc: String,
    },
    /// An arc joins two places or two transitions.
    #[error("arc \"{arc}\" joins two {kind}s; arcs join a place and a transition")]
    SameKindArc {
        /// The arc's id.
        arc: String,
        /// `"place"` or `"transition"`.
        kind: &'static str,
    },
    /// A reference place or transition refers to nothing, to a node of the other kind,
    /// or (through other references) to itself.
    #[error("reference \"{reference}\" does not lead to a {kind} of the net")]
    DanglingReference {
        /// The reference's id.
        reference: String,
        /// `"place"` or `"transition"`.
        kind: &'static str,
    },
    /// A marking or inscription is not a non-negative decimal integer.
    #[error("the {what} of \"{element}\" is \"{text}\", not a non-negative integer")]
    BadNumber {
        /// `"initial marking"` or `"inscription"`.
        what: &'static str,
        /// The id of the place or arc.
        element: String,
        /// The text found.
        text: String,
    },
    /// An initial marking is larger than [`Limits::max_marking`](super::Limits::max_marking).
    #[error("place \"{place}\" starts with {value} tokens, over the limit of {limit}")]
    MarkingTooLarge {
        /// The place's id.
        place: String,
        /// The marking as written.
        value: String,
        /// The limit.
        limit: u64,
    },
    /// An arc weight is larger than [`Limits::max_weight`](super::Limits::max_weight).
    #[error("arc \"{arc}\" has weight {value}, over the limit of {limit}")]
    WeightTooLarge {
        /// The arc's id.
        arc: String,
        /// The weight as written.
        value: String,
        /// The limit.
        limit: u64,
    },
    /// The elements read do not form a valid net (see [`NetError`]).
    #[error(transparent)]
    Net(#[from] NetError),
}
