//! Streaming import of a PNML P/T net.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufReader, Read};

use quick_xml::Reader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};

use super::{Limits, PT_NET_TYPE, PnmlError};
use crate::pt_net::{Direction, PlaceIndex, PtNet, PtNetBuilder, TransitionIndex};

/// Reads a PNML document holding one P/T net into a [`PtNet`].
///
/// Places, transitions and arcs keep their document order; nested pages are flattened;
/// an arc to a reference place or transition joins the node it refers to. A missing
/// initial marking is 0, a missing inscription is weight 1.
///
/// ```
/// use mycel_check::pnml::{self, Limits};
///
/// let xml = r#"<pnml><net id="n" type="http://www.pnml.org/version-2009/grammar/ptnet">
///   <page id="outer"><page id="inner">
///     <place id="p"><name><text>buffer</text></name>
///       <initialMarking><text>3</text></initialMarking></place>
///     <transition id="t"/>
///     <arc id="a" source="p" target="t"><inscription><text>2</text></inscription></arc>
///   </page></page></net></pnml>"#;
/// let net = pnml::import(xml.as_bytes(), &Limits::default())?;
/// assert_eq!(net.places()[0].name.as_deref(), Some("buffer"));
/// assert_eq!(net.initial_marking(), vec![3]);
/// assert_eq!(net.arcs()[0].weight, 2);
/// # Ok::<(), mycel_check::pnml::PnmlError>(())
/// ```
///
/// # Errors
/// A [`PnmlError`] naming the first element at fault; the import stops there, having
/// read at most [`Limits::max_bytes`] bytes.
pub fn import<R: Read>(input: R, limits: &Limits) -> Result<PtNet, PnmlError> {
    let bounded = Bounded {
        inner: input,
        left: limits.max_bytes,
        exceeded: false,
    };
    let mut reader = Reader::from_reader(BufReader::new(bounded));
    reader.config_mut().expand_empty_elements = true;
    let mut importer = Importer::new(limits);
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf);
        if reader.get_ref().get_ref().exceeded {
            return Err(PnmlError::TooLarge {
                limit: limits.max_bytes,
            });
        }
        let position = reader.buffer_position();
        let event = event.map_err(|e| match e {
            quick_xml::Error::Io(io) => PnmlError::Io {
                message: io.to_string(),
            },
            other => PnmlError::Xml {
                position: reader.error_position(),
                message: other.to_string(),
            },
        })?;
        match event {
            Event::Start(start) => importer.start(&start, position)?,
            Event::End(_) => importer.end()?,
            Event::Text(text) => {
                let text = text.decode().map_err(|e| PnmlError::Xml {
                    position,
                    message: e.to_string(),
                })?;
                importer.text(&text)?;
            }
            Event::CData(data) => {
                let text = data.decode().map_err(|e| PnmlError::Xml {
                    position,
                    message: e.to_string(),
                })?;
                importer.text(&text)?;
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => {
                        let name = reference.decode().map_err(|e| PnmlError::Xml {
                            position,
                            message: e.to_string(),
                        })?;
                        resolve_predefined_entity(&name)
                            .ok_or_else(|| PnmlError::Xml {
                                position,
                                message: format!("unknown entity &{name};"),
                            })?
                            .to_owned()
                    }
                    Err(e) => {
                        return Err(PnmlError::Xml {
                            position,
                            message: e.to_string(),
                        });
                    }
                };
                importer.text(&resolved)?;
            }
            Event::Eof => break,
            Event::Empty(_) | Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
            Event::DocType(_) => {
                return Err(PnmlError::Xml {
                    position,
                    message: "a document type declaration is not accepted in PNML".into(),
                });
            }
        }
        buf.clear();
    }
    importer.finish(reader.buffer_position())
}

/// [`import`] from a string.
///
/// # Errors
/// As [`import`].
pub fn import_str(xml: &str, limits: &Limits) -> Result<PtNet, PnmlError> {
    import(xml.as_bytes(), limits)
}

/// A reader that refuses to go past a byte budget, so no input can make the import
/// read (or the XML parser buffer) more than the limit.
struct Bounded<R> {
    inner: R,
    left: u64,
    exceeded: bool,
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            // One byte more than the budget decides between "ends here" and "too long".
            let mut probe = [0u8; 1];
            if self.inner.read(&mut probe)? == 0 {
                return Ok(0);
            }
            self.exceeded = true;
            return Err(std::io::Error::other("input longer than the limit"));
        }
        let room = usize::try_from(self.left)
            .unwrap_or(usize::MAX)
            .min(buf.len());
        let Some(window) = buf.get_mut(..room) else {
            return Ok(0);
        };
        let n = self.inner.read(window)?;
        self.left = self.left.saturating_sub(n as u64);
        Ok(n)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NodeTag {
    Place,
    Transition,
    Arc,
    ReferencePlace,
    ReferenceTransition,
}

impl NodeTag {
    fn from_tag(tag: &str) -> Option<Self> {
        Some(match tag {
            "place" => Self::Place,
            "transition" => Self::Transition,
            "arc" => Self::Arc,
            "referencePlace" => Self::ReferencePlace,
            "referenceTransition" => Self::ReferenceTransition,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    Name,
    Marking,
    Inscription,
}

/// Where the reader is in the document, one frame per open element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    Pnml,
    Net,
    NetName,
    NetNameText,
    Page,
    Node(NodeTag),
    Label(Label),
    LabelText(Label),
    /// Inside an element whose content the import does not need (graphics, tool data).
    Skip,
}

/// The node being read: its tag, id, attributes and labels.
#[derive(Debug, Default)]
struct Node {
    id: String,
    source: Option<String>,
    target: Option<String>,
    reference: Option<String>,
    name: Option<String>,
    marking: Option<String>,
    inscription: Option<String>,
    /// The arc's `<type value="inhibitor"/>`.
    inhibitor: bool,
}

struct RawPlace {
    id: String,
    name: Option<String>,
    marking: u64,
}

struct RawArc {
    id: String,
    source: String,
    target: String,
    weight: u64,
    inhibitor: bool,
}

struct Importer<'l> {
    limits: &'l Limits,
    stack: Vec<Frame>,
    net_id: Option<String>,
    net_name: Option<String>,
    ids: HashSet<String>,
    node: Node,
    text: String,
    places: Vec<RawPlace>,
    transitions: Vec<(String, Option<String>)>,
    arcs: Vec<RawArc>,
    /// Reference id to (refers to a place?, the referred id).
    references: BTreeMap<String, (bool, String)>,
}

fn attribute(
    start: &BytesStart<'_>,
    key: &str,
    position: u64,
) -> Result<Option<String>, PnmlError> {
    match start.try_get_attribute(key) {
        Ok(Some(a)) => a
            .unescape_value()
            .map(|v| Some(v.into_owned()))
            .map_err(|e| PnmlError::Xml {
                position,
                message: e.to_string(),
            }),
        Ok(None) => Ok(None),
        Err(e) => Err(PnmlError::Xml {
            position,
            message: e.to_string(),
        }),
    }
}

fn parse_count(text: &str) -> Option<Result<u64, ()>> {
    let digits = text.trim();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // All digits: the only way to fail is being too large for a u64.
    Some(digits.parse::<u64>().map_err(|_| ()))
}

impl<'l> Importer<'l> {
    fn new(limits: &'l Limits) -> Self {
        Self {
            limits,
            stack: Vec::new(),
            net_id: None,
            net_name: None,
            ids: HashSet::new(),
            node: Node::default(),
            text: String::new(),
            places: Vec::new(),
            transitions: Vec::new(),
            arcs: Vec::new(),
            references: BTreeMap::new(),
        }
    }

    fn required_id(
        &mut self,
        start: &BytesStart<'_>,
        tag: &str,
        position: u64,
    ) -> Result<String, PnmlError> {
        let id = attribute(start, "id", position)?
            .filter(|id| !id.is_empty())
            .ok_or_else(|| PnmlError::MissingId {
                tag: tag.to_owned(),
                position,
            })?;
        if !self.ids.insert(id.clone()) {
            return Err(PnmlError::DuplicateId { id });
        }
        Ok(id)
    }

    fn start(&mut self, start: &BytesStart<'_>, position: u64) -> Result<(), PnmlError> {
        let local = start.local_name();
        let tag = String::from_utf8_lossy(local.as_ref()).into_owned();
        if self.stack.len() >= self.limits.max_depth {
            return Err(PnmlError::TooDeep {
                element: tag,
                position,
                limit: self.limits.max_depth,
            });
        }
        let frame = match self.stack.last().copied() {
            None if tag == "pnml" => Frame::Pnml,
            None => return Err(PnmlError::NotPnml { found: tag }),
            Some(Frame::Pnml) if tag == "net" => self.start_net(start, position)?,
            Some(Frame::Net) if tag == "page" => {
                self.required_id(start, &tag, position)?;
                Frame::Page
            }
            Some(Frame::Net) if tag == "name" => Frame::NetName,
            // Nodes outside any page: PNML puts them on pages, but reading them beats
            // dropping them silently.
            Some(Frame::Net) if NodeTag::from_tag(&tag).is_some() => {
                match NodeTag::from_tag(&tag) {
                    Some(node) => self.start_node(node, start, &tag, position)?,
                    None => Frame::Skip,
                }
            }
            Some(Frame::NetName) if tag == "text" => {
                self.text.clear();
                Frame::NetNameText
            }
            Some(Frame::Page) if tag == "page" => {
                self.required_id(start, &tag, position)?;
                Frame::Page
            }
            Some(Frame::Page) => match NodeTag::from_tag(&tag) {
                Some(node) => self.start_node(node, start, &tag, position)?,
                None => Frame::Skip,
            },
            Some(Frame::Node(node)) => match (node, tag.as_str()) {
                (_, "name") => Frame::Label(Label::Name),
                (NodeTag::Place, "initialMarking") => Frame::Label(Label::Marking),
                (NodeTag::Arc, "inscription") => Frame::Label(Label::Inscription),
                // The arc-type extension of PIPE and TINA: `<type value="inhibitor"/>`.
                (NodeTag::Arc, "type") => match attribute(start, "value", position)?.as_deref() {
                    Some("inhibitor") => {
                        self.node.inhibitor = true;
                        Frame::Skip
                    }
                    Some("normal") => Frame::Skip,
                    Some(other) => {
                        return Err(PnmlError::UnsupportedArcType {
                            arc: self.node.id.clone(),
                            value: other.to_owned(),
                        });
                    }
                    None => {
                        return Err(PnmlError::UnsupportedElement {
                            tag,
                            element: self.node.id.clone(),
                        });
                    }
                },
                (_, "hlinitialMarking" | "hlinscription" | "type" | "condition") => {
                    return Err(PnmlError::UnsupportedElement {
                        tag,
                        element: self.node.id.clone(),
                    });
                }
                _ => Frame::Skip,
            },
            Some(Frame::Label(label)) if tag == "text" => {
                self.text.clear();
                Frame::LabelText(label)
            }
            Some(_) => Frame::Skip,
        };
        self.stack.push(frame);
        Ok(())
    }

    fn start_net(&mut self, start: &BytesStart<'_>, position: u64) -> Result<Frame, PnmlError> {
        let id = attribute(start, "id", position)?
            .filter(|id| !id.is_empty())
            .ok_or_else(|| PnmlError::MissingId {
                tag: "net".into(),
                position,
            })?;
        if self.net_id.is_some() {
            return Err(PnmlError::MultipleNets { net: id });
        }
        let net_type =
            attribute(start, "type", position)?.ok_or_else(|| PnmlError::MissingAttribute {
                tag: "net".into(),
                element: id.clone(),
                attribute: "type",
            })?;
        if net_type.trim() != PT_NET_TYPE {
            return Err(PnmlError::UnsupportedNetType {
                net: id,
                net_type,
                expected: PT_NET_TYPE,
            });
        }
        self.ids.insert(id.clone());
        self.net_id = Some(id);
        Ok(Frame::Net)
    }

    fn start_node(
        &mut self,
        node: NodeTag,
        start: &BytesStart<'_>,
        tag: &str,
        position: u64,
    ) -> Result<Frame, PnmlError> {
        let id = self.required_id(start, tag, position)?;
        let (kind, count, limit) = match node {
            NodeTag::Place => ("place", self.places.len(), self.limits.max_places),
            NodeTag::Transition => (
                "transition",
                self.transitions.len(),
                self.limits.max_transitions,
            ),
            NodeTag::Arc => ("arc", self.arcs.len(), self.limits.max_arcs),
            // References add no node; they are bounded by the input size.
            NodeTag::ReferencePlace | NodeTag::ReferenceTransition => ("reference", 0, usize::MAX),
        };
        if count >= limit {
            return Err(PnmlError::TooMany {
                kind,
                element: id,
                limit,
            });
        }
        let missing = |attribute| PnmlError::MissingAttribute {
            tag: tag.to_owned(),
            element: id.clone(),
            attribute,
        };
        let mut fresh = Node::default();
        match node {
            NodeTag::Arc => {
                fresh.source =
                    Some(attribute(start, "source", position)?.ok_or_else(|| missing("source"))?);
                fresh.target =
                    Some(attribute(start, "target", position)?.ok_or_else(|| missing("target"))?);
            }
            NodeTag::ReferencePlace | NodeTag::ReferenceTransition => {
                fresh.reference =
                    Some(attribute(start, "ref", position)?.ok_or_else(|| missing("ref"))?);
            }
            NodeTag::Place | NodeTag::Transition => {}
        }
        fresh.id = id;
        self.node = fresh;
        Ok(Frame::Node(node))
    }

    fn text(&mut self, text: &str) -> Result<(), PnmlError> {
        let owner = match self.stack.last() {
            Some(Frame::LabelText(_)) => self.node.id.as_str(),
            Some(Frame::NetNameText) => self.net_id.as_deref().unwrap_or_default(),
            _ => return Ok(()),
        };
        if self.text.len().saturating_add(text.len()) > self.limits.max_text_bytes {
            return Err(PnmlError::TextTooLong {
                element: owner.to_owned(),
                limit: self.limits.max_text_bytes,
            });
        }
        self.text.push_str(text);
        Ok(())
    }

    fn end(&mut self) -> Result<(), PnmlError> {
        match self.stack.pop() {
            Some(Frame::NetNameText) => self.net_name = Some(std::mem::take(&mut self.text)),
            Some(Frame::LabelText(label)) => {
                let text = Some(std::mem::take(&mut self.text));
                match label {
                    Label::Name => self.node.name = text,
                    Label::Marking => self.node.marking = text,
                    Label::Inscription => self.node.inscription = text,
                }
            }
            Some(Frame::Node(node)) => self.end_node(node)?,
            _ => {}
        }
        Ok(())
    }

    fn end_node(&mut self, tag: NodeTag) -> Result<(), PnmlError> {
        let node = std::mem::take(&mut self.node);
        match tag {
            NodeTag::Place => {
                let marking = match &node.marking {
                    None => 0,
                    Some(text) => {
                        self.count(text, "initial marking", &node.id, self.limits.max_marking)?
                    }
                };
                self.places.push(RawPlace {
                    id: node.id,
                    name: node.name,
                    marking,
                });
            }
            NodeTag::Transition => self.transitions.push((node.id, node.name)),
            NodeTag::Arc => {
                let weight = match &node.inscription {
                    None => 1,
                    Some(text) => {
                        self.count(text, "inscription", &node.id, self.limits.max_weight)?
                    }
                };
                self.arcs.push(RawArc {
                    id: node.id,
                    source: node.source.unwrap_or_default(),
                    target: node.target.unwrap_or_default(),
                    weight,
                    inhibitor: node.inhibitor,
                });
            }
            NodeTag::ReferencePlace | NodeTag::ReferenceTransition => {
                let to_place = tag == NodeTag::ReferencePlace;
                self.references
                    .insert(node.id, (to_place, node.reference.unwrap_or_default()));
            }
        }
        Ok(())
    }

    fn count(
        &self,
        text: &str,
        what: &'static str,
        element: &str,
        limit: u64,
    ) -> Result<u64, PnmlError> {
        let too_large = || {
            let value = text.trim().to_owned();
            if what == "inscription" {
                PnmlError::WeightTooLarge {
                    arc: element.to_owned(),
                    value,
                    limit,
                }
            } else {
                PnmlError::MarkingTooLarge {
                    place: element.to_owned(),
                    value,
                    limit,
                }
            }
        };
        match parse_count(text) {
            None => Err(PnmlError::BadNumber {
                what,
                element: element.to_owned(),
                text: text.to_owned(),
            }),
            Some(Err(())) => Err(too_large()),
            Some(Ok(n)) if n > limit => Err(too_large()),
            Some(Ok(n)) => Ok(n),
        }
    }

    /// Follows references from `id` to the node they lead to, at most one step per
    /// reference so a cycle ends.
    fn resolve<'a>(&'a self, id: &'a str) -> Result<&'a str, String> {
        let mut current = id;
        for _ in 0..=self.references.len() {
            match self.references.get(current) {
                Some((_, target)) => current = target,
                None => return Ok(current),
            }
        }
        Err(id.to_owned())
    }

    fn finish(self, position: u64) -> Result<PtNet, PnmlError> {
        if let Some(open) = self.stack.last() {
            return Err(PnmlError::Xml {
                position,
                message: format!("the document ends inside an open element ({open:?})"),
            });
        }
        let Some(net_id) = self.net_id.clone() else {
            return Err(PnmlError::NoNet);
        };
        let mut builder = PtNetBuilder::new(net_id);
        if let Some(name) = self.net_name.clone() {
            builder.name(name);
        }
        let mut places: HashMap<&str, PlaceIndex> = HashMap::new();
        for place in &self.places {
            let index = builder.place_named(place.id.clone(), place.name.clone(), place.marking);
            places.insert(&place.id, index);
        }
        let mut transitions: HashMap<&str, TransitionIndex> = HashMap::new();
        for (id, name) in &self.transitions {
            transitions.insert(id, builder.transition_named(id.clone(), name.clone()));
        }
        for (reference, (to_place, _)) in &self.references {
            let kind = if *to_place { "place" } else { "transition" };
            let dangling = || PnmlError::DanglingReference {
                reference: reference.clone(),
                kind,
            };
            let target = self.resolve(reference).map_err(|_| dangling())?;
            let found = if *to_place {
                places.contains_key(target)
            } else {
                transitions.contains_key(target)
            };
            if !found {
                return Err(dangling());
            }
        }
        for arc in &self.arcs {
            let end =
                |id: &str| -> Result<(Option<PlaceIndex>, Option<TransitionIndex>), PnmlError> {
                    let dangling = || PnmlError::DanglingArc {
                        arc: arc.id.clone(),
                        end: id.to_owned(),
                    };
                    let node = self.resolve(id).map_err(|_| dangling())?;
                    match (places.get(node), transitions.get(node)) {
                        (None, None) => Err(dangling()),
                        (p, t) => Ok((p.copied(), t.copied())),
                    }
                };
            let (direction, place, transition) = match (end(&arc.source)?, end(&arc.target)?) {
                ((Some(p), _), (_, Some(t))) => (Direction::PlaceToTransition, p, t),
                ((_, Some(t)), (Some(p), _)) => (Direction::TransitionToPlace, p, t),
                ((Some(_), _), _) => {
                    return Err(PnmlError::SameKindArc {
                        arc: arc.id.clone(),
                        kind: "place",
                    });
                }
                _ => {
                    return Err(PnmlError::SameKindArc {
                        arc: arc.id.clone(),
                        kind: "transition",
                    });
                }
            };
            let direction = match (arc.inhibitor, direction) {
                (false, direction) => direction,
                (true, Direction::PlaceToTransition) => Direction::Inhibitor,
                (true, _) => {
                    return Err(PnmlError::InhibitorFromTransition {
                        arc: arc.id.clone(),
                    });
                }
            };
            builder.arc(arc.id.clone(), transition, place, direction, arc.weight);
        }
        Ok(builder.build()?)
    }
}
