//! Export of a [`PtNet`] as a PNML document.

use std::fmt::Write as _;
use std::io::Write;

use quick_xml::escape::escape;

use super::{PNML_NAMESPACE, PT_NET_TYPE};
use crate::pt_net::{Direction, PtNet};

/// Writes `net` as a PNML document: one P/T net on one page, places, transitions and
/// arcs in the net's order, names where they exist, markings other than 0 and weights
/// other than 1. [`import`](super::import) reads it back into an equal net.
///
/// ```
/// use mycel_check::{pnml, PtNet};
///
/// let mut b = PtNet::builder("n");
/// let p = b.place("p", 2);
/// let t = b.transition("t");
/// b.input(t, p, 2);
/// let net = b.build()?;
/// let mut out = Vec::new();
/// pnml::export(&net, &mut out)?;
/// let back = pnml::import(out.as_slice(), &pnml::Limits::default())?;
/// assert_eq!(back, net);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// Whatever writing to `out` returns.
pub fn export<W: Write>(net: &PtNet, mut out: W) -> std::io::Result<()> {
    out.write_all(to_string(net).as_bytes())
}

/// [`export`] into a `String`.
#[must_use]
pub fn to_string(net: &PtNet) -> String {
    let mut s = String::new();
    // Writing to a String cannot fail, so the results are ignored.
    let _ = writeln!(s, r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    let _ = writeln!(s, r#"<pnml xmlns="{PNML_NAMESPACE}">"#);
    let _ = writeln!(
        s,
        r#"  <net id="{}" type="{PT_NET_TYPE}">"#,
        escape(net.id())
    );
    if let Some(name) = net.name() {
        let _ = writeln!(s, "    <name><text>{}</text></name>", escape(name));
    }
    let _ = writeln!(s, r#"    <page id="{}">"#, escape(page_id(net)));
    for place in net.places() {
        let _ = write!(s, r#"      <place id="{}">"#, escape(place.id.as_str()));
        if let Some(name) = &place.name {
            let _ = write!(s, "<name><text>{}</text></name>", escape(name.as_str()));
        }
        if place.initial_marking != 0 {
            let _ = write!(
                s,
                "<initialMarking><text>{}</text></initialMarking>",
                place.initial_marking
            );
        }
        let _ = writeln!(s, "</place>");
    }
    for transition in net.transitions() {
        let _ = write!(
            s,
            r#"      <transition id="{}">"#,
            escape(transition.id.as_str())
        );
        if let Some(name) = &transition.name {
            let _ = write!(s, "<name><text>{}</text></name>", escape(name.as_str()));
        }
        let _ = writeln!(s, "</transition>");
    }
    for arc in net.arcs() {
        let place = net.places().get(arc.place.0).map_or("", |p| p.id.as_str());
        let transition = net
            .transitions()
            .get(arc.transition.0)
            .map_or("", |t| t.id.as_str());
        let (source, target) = match arc.direction {
            Direction::PlaceToTransition | Direction::Inhibitor => (place, transition),
            Direction::TransitionToPlace => (transition, place),
        };
        let _ = write!(
            s,
            r#"      <arc id="{}" source="{}" target="{}">"#,
            escape(arc.id.as_str()),
            escape(source),
            escape(target)
        );
        if arc.weight != 1 {
            let _ = write!(s, "<inscription><text>{}</text></inscription>", arc.weight);
        }
        if arc.direction == Direction::Inhibitor {
            let _ = write!(s, r#"<type value="inhibitor"/>"#);
        }
        let _ = writeln!(s, "</arc>");
    }
    let _ = writeln!(s, "    </page>");
    let _ = writeln!(s, "  </net>");
    let _ = writeln!(s, "</pnml>");
    s
}

/// A page id that no place, transition, arc or the net itself uses.
fn page_id(net: &PtNet) -> String {
    let taken = |id: &str| {
        net.id() == id
            || net.places().iter().any(|p| p.id == id)
            || net.transitions().iter().any(|t| t.id == id)
            || net.arcs().iter().any(|a| a.id == id)
    };
    let mut id = format!("{}-page", net.id());
    while taken(&id) {
        id.push('_');
    }
    id
}
