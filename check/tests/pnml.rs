//! PNML import and export: the Model Checking Contest nets, hostile input, round trips.

use std::io::Read;

use mycel_check::PtNet;
use mycel_check::pnml::{self, Limits, PnmlError};
use mycel_check::strategies::pt_net;
use proptest::prelude::*;

#[path = "support/mcc.rs"]
mod mcc;

fn data(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A Model Checking Contest net, or returns from the test after saying why.
macro_rules! mcc {
    ($file:expr) => {
        pnml::import_str(&data(&mcc::mcc_path_or_skip!($file)), &Limits::default()).unwrap()
    };
}

fn refused(xml: &str) -> PnmlError {
    pnml::import_str(xml, &Limits::default()).unwrap_err()
}

/// A P/T net document around `body` (the content of its one page).
fn pt(body: &str) -> String {
    format!(
        r#"<pnml xmlns="http://www.pnml.org/version-2009/grammar/pnml"><net id="n" type="{}"><page id="pg">{body}</page></net></pnml>"#,
        pnml::PT_NET_TYPE
    )
}

fn counts(net: &PtNet) -> (usize, usize, usize, u64) {
    (
        net.places().len(),
        net.transitions().len(),
        net.arcs().len(),
        net.initial_marking().iter().sum(),
    )
}

#[test]
fn mcc_nets_have_their_published_sizes() {
    assert_eq!(counts(&mcc!("TokenRing-PT-005.pnml")), (36, 156, 624, 6));
    assert_eq!(
        counts(&mcc!("Philosophers-PT-000005.pnml")),
        (25, 25, 80, 10)
    );
    assert_eq!(
        counts(&mcc!("DrinkVendingMachine-PT-02.pnml")),
        (24, 72, 440, 12)
    );
    assert_eq!(counts(&mcc!("SwimmingPool-PT-01.pnml")), (9, 7, 20, 45));
}

#[test]
fn mcc_net_keeps_ids_names_and_weights() {
    let net = mcc!("TokenRing-PT-005.pnml");
    assert_eq!(net.id(), "TokenRing-PT-005");
    let first = &net.transitions()[0];
    assert_eq!(first.id, "OtherProcess_2_1_5");
    assert_eq!(first.name.as_deref(), Some("OtherProcess_2_1_5"));
    let drinks = mcc!("DrinkVendingMachine-PT-02.pnml");
    let heaviest = drinks.arcs().iter().map(|a| a.weight).max();
    assert_eq!(heaviest, Some(3));
}

#[test]
fn mcc_nets_round_trip_through_export() {
    for file in [
        "TokenRing-PT-005.pnml",
        "Philosophers-PT-000005.pnml",
        "DrinkVendingMachine-PT-02.pnml",
        "SwimmingPool-PT-01.pnml",
    ] {
        let net = mcc!(file);
        let back = pnml::import_str(&pnml::to_string(&net), &Limits::default()).unwrap();
        assert_eq!(back, net, "{file}");
    }
}

#[test]
fn coloured_net_is_refused_naming_its_type() {
    let err = refused(&data(&mcc::mcc_path_or_skip!("TokenRing-COL-005.pnml")));
    assert_eq!(
        err,
        PnmlError::UnsupportedNetType {
            net: "TokenRing-COL-005".into(),
            net_type: "http://www.pnml.org/version-2009/grammar/symmetricnet".into(),
            expected: pnml::PT_NET_TYPE,
        }
    );
    assert!(err.to_string().contains("TokenRing-COL-005"));
    assert!(err.to_string().contains("symmetricnet"));
}

#[test]
fn coloured_content_in_a_pt_net_is_refused_naming_the_place() {
    let err = refused(&pt(r#"<place id="p"><hlinitialMarking/></place>"#));
    assert_eq!(
        err,
        PnmlError::UnsupportedElement {
            tag: "hlinitialMarking".into(),
            element: "p".into()
        }
    );
}

#[test]
fn missing_id_is_refused_naming_the_tag() {
    let err = refused(&pt(r#"<place id="p"/><transition/>"#));
    assert!(matches!(&err, PnmlError::MissingId { tag, .. } if tag == "transition"));
    assert!(err.to_string().contains("<transition>"));
}

#[test]
fn dangling_arc_is_refused_naming_arc_and_end() {
    let err = refused(&pt(
        r#"<place id="p"/><transition id="t"/><arc id="a" source="p" target="nowhere"/>"#,
    ));
    assert_eq!(
        err,
        PnmlError::DanglingArc {
            arc: "a".into(),
            end: "nowhere".into()
        }
    );
    assert!(err.to_string().contains("\"a\"") && err.to_string().contains("nowhere"));
}

#[test]
fn arc_between_two_places_is_refused() {
    let err = refused(&pt(
        r#"<place id="p"/><place id="q"/><arc id="a" source="p" target="q"/>"#,
    ));
    assert_eq!(
        err,
        PnmlError::SameKindArc {
            arc: "a".into(),
            kind: "place"
        }
    );
}

#[test]
fn marking_of_ten_to_the_eighteen_is_refused_with_the_limit() {
    let err = refused(&pt(
        r#"<place id="big"><initialMarking><text>1000000000000000000</text></initialMarking></place>"#,
    ));
    assert_eq!(
        err,
        PnmlError::MarkingTooLarge {
            place: "big".into(),
            value: "1000000000000000000".into(),
            limit: u64::from(u32::MAX),
        }
    );
    assert!(err.to_string().contains("4294967295"));
    // Beyond u64 too: still a typed refusal, not an overflow.
    let err = refused(&pt(
        r#"<place id="p"><initialMarking><text>99999999999999999999999</text></initialMarking></place>"#,
    ));
    assert!(matches!(err, PnmlError::MarkingTooLarge { .. }));
}

#[test]
fn non_numeric_marking_and_weight_are_refused() {
    let err = refused(&pt(
        r#"<place id="p"><initialMarking><text>-1</text></initialMarking></place>"#,
    ));
    assert!(matches!(err, PnmlError::BadNumber { element, .. } if element == "p"));
    let err = refused(&pt(
        r#"<place id="p"/><transition id="t"/><arc id="a" source="p" target="t"><inscription><text>x</text></inscription></arc>"#,
    ));
    assert!(matches!(err, PnmlError::BadNumber { element, .. } if element == "a"));
    let err = refused(&pt(
        r#"<place id="p"/><transition id="t"/><arc id="a" source="p" target="t"><inscription><text>0</text></inscription></arc>"#,
    ));
    assert_eq!(
        err,
        PnmlError::Net(mycel_check::pt_net::NetError::ZeroWeight { arc: "a".into() })
    );
}

/// A PNML document of `places` places, produced as it is read, so a test can offer
/// ten million places without holding them.
struct ManyPlaces {
    head: Vec<u8>,
    next: u64,
    places: u64,
    pending: Vec<u8>,
}

impl ManyPlaces {
    fn new(places: u64) -> Self {
        let head = format!(
            r#"<pnml><net id="n" type="{}"><page id="pg">"#,
            pnml::PT_NET_TYPE
        );
        Self {
            head: head.into_bytes(),
            next: 0,
            places,
            pending: Vec::new(),
        }
    }
}

impl Read for ManyPlaces {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.pending.is_empty() {
            if !self.head.is_empty() {
                self.pending = std::mem::take(&mut self.head);
            } else if self.next < self.places {
                self.pending = format!(r#"<place id="p{}"/>"#, self.next).into_bytes();
                self.next += 1;
            } else if self.next == self.places {
                self.pending = b"</page></net></pnml>".to_vec();
                self.next += 1;
            }
        }
        let n = buf.len().min(self.pending.len());
        buf[..n].copy_from_slice(&self.pending[..n]);
        self.pending.drain(..n);
        Ok(n)
    }
}

#[test]
fn ten_million_places_are_refused_at_the_limit_without_reading_them_all() {
    let limits = Limits {
        max_places: 1_000,
        ..Limits::default()
    };
    let mut input = ManyPlaces::new(10_000_000);
    let err = pnml::import(&mut input, &limits).unwrap_err();
    assert_eq!(
        err,
        PnmlError::TooMany {
            kind: "place",
            element: "p1000".into(),
            limit: 1_000
        }
    );
    assert!(err.to_string().contains("1000"));
    // It stopped near the limit rather than reading ten million places.
    assert!(input.next < 2_000, "read {} places", input.next);
    // The default limit refuses ten million places too.
    assert!(Limits::default().max_places < 10_000_000);
}

#[test]
fn the_generated_document_is_accepted_under_the_limit() {
    let net = pnml::import(ManyPlaces::new(50), &Limits::default()).unwrap();
    assert_eq!(net.places().len(), 50);
}

#[test]
fn input_over_the_byte_limit_is_refused() {
    let limits = Limits {
        max_bytes: 200,
        ..Limits::default()
    };
    let err = pnml::import(ManyPlaces::new(1_000), &limits).unwrap_err();
    assert_eq!(err, PnmlError::TooLarge { limit: 200 });
    assert!(err.to_string().contains("200"));
}

#[test]
fn deep_nesting_is_refused_with_the_limit() {
    let deep = format!(
        "{}{}",
        "<toolspecific>".repeat(300),
        "</toolspecific>".repeat(300)
    );
    let err = refused(&pt(&format!(r#"<place id="p">{deep}</place>"#)));
    assert!(
        matches!(err, PnmlError::TooDeep { limit: 256, .. }),
        "{err}"
    );
}

#[test]
fn long_name_is_refused_with_the_limit() {
    let limits = Limits {
        max_text_bytes: 8,
        ..Limits::default()
    };
    let xml = pt(r#"<place id="p"><name><text>a very long name</text></name></place>"#);
    let err = pnml::import_str(&xml, &limits).unwrap_err();
    assert_eq!(
        err,
        PnmlError::TextTooLong {
            element: "p".into(),
            limit: 8
        }
    );
}

#[test]
fn malformed_documents_are_typed_errors() {
    assert!(matches!(refused("<pnml><net"), PnmlError::Xml { .. }));
    assert!(matches!(refused("<pnml></net>"), PnmlError::Xml { .. }));
    assert!(matches!(refused(""), PnmlError::NoNet));
    assert_eq!(
        refused("<html/>"),
        PnmlError::NotPnml {
            found: "html".into()
        }
    );
    assert!(matches!(
        refused(r#"<!DOCTYPE x [<!ENTITY a "aaaa">]><pnml/>"#),
        PnmlError::Xml { .. }
    ));
    assert!(matches!(refused(&pt("&bogus;")), PnmlError::Xml { .. }));
    let two = format!(
        r#"<pnml><net id="a" type="{t}"/><net id="b" type="{t}"/></pnml>"#,
        t = pnml::PT_NET_TYPE
    );
    assert_eq!(refused(&two), PnmlError::MultipleNets { net: "b".into() });
    assert_eq!(
        refused(&pt(r#"<place id="x"/><transition id="x"/>"#)),
        PnmlError::DuplicateId { id: "x".into() }
    );
}

#[test]
fn nested_pages_and_references_flatten_into_one_net() {
    let net = pnml::import_str(
        &pt(
            r#"<place id="p"><initialMarking><text> 2 </text></initialMarking></place>
            <page id="inner">
              <referencePlace id="rp" ref="p"/>
              <referencePlace id="rrp" ref="rp"/>
              <transition id="t"/>
              <arc id="a" source="rrp" target="t"><inscription><text>2</text></inscription></arc>
            </page>"#,
        ),
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(net.places().len(), 1);
    assert_eq!(net.transitions().len(), 1);
    assert_eq!(net.arcs()[0].place.0, 0);
    assert_eq!(net.arcs()[0].weight, 2);
    assert_eq!(net.initial_marking(), vec![2]);
}

#[test]
fn reference_cycles_and_dangling_references_are_refused() {
    let err = refused(&pt(
        r#"<referencePlace id="r1" ref="r2"/><referencePlace id="r2" ref="r1"/>"#,
    ));
    assert!(matches!(err, PnmlError::DanglingReference { .. }), "{err}");
    let err = refused(&pt(
        r#"<transition id="t"/><referencePlace id="r" ref="t"/>"#,
    ));
    assert_eq!(
        err,
        PnmlError::DanglingReference {
            reference: "r".into(),
            kind: "place"
        }
    );
}

#[test]
fn escaped_text_reads_back() {
    let net = pnml::import_str(
        &pt(r#"<place id="p"><name><text>a &amp; b &#x3c; c</text></name></place>"#),
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(net.places()[0].name.as_deref(), Some("a & b < c"));
}

proptest! {
    #[test]
    fn any_net_survives_export_then_import_unchanged(net in pt_net(8, 6, 1_000, 5)) {
        let xml = pnml::to_string(&net);
        let back = pnml::import_str(&xml, &Limits::default()).unwrap();
        prop_assert_eq!(back, net);
    }
}

#[test]
fn nodes_outside_a_page_are_read_not_dropped() {
    let xml = format!(
        r#"<pnml><net id="n" type="{}"><place id="p"/><page id="g"><transition id="t"/></page><arc id="a" source="p" target="t"/></net></pnml>"#,
        pnml::PT_NET_TYPE
    );
    let net = pnml::import_str(&xml, &Limits::default()).unwrap();
    assert_eq!(counts(&net), (1, 1, 1, 0));
}

/// Pieces of PNML, valid and not, that random documents are made of.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<pnml>".to_owned()),
        Just("</pnml>".to_owned()),
        Just(format!(r#"<net id="n" type="{}">"#, pnml::PT_NET_TYPE)),
        Just("</net>".to_owned()),
        Just(r#"<page id="g">"#.to_owned()),
        Just("</page>".to_owned()),
        Just(r#"<place id="p">"#.to_owned()),
        Just("</place>".to_owned()),
        Just(r#"<transition id="t"/>"#.to_owned()),
        Just(r#"<arc id="a" source="p" target="t">"#.to_owned()),
        Just(r#"<arc id="b" source="t" target="p"/>"#.to_owned()),
        Just("</arc>".to_owned()),
        Just("<initialMarking><text>".to_owned()),
        Just("</text></initialMarking>".to_owned()),
        Just("<inscription><text>".to_owned()),
        Just("</text></inscription>".to_owned()),
        Just(r#"<referencePlace id="r" ref="p"/>"#.to_owned()),
        Just("<!-- x -->".to_owned()),
        Just("<![CDATA[7]]>".to_owned()),
        "[0-9]{1,25}",
        "[ -~]{0,6}",
    ]
}

proptest! {
    #[test]
    fn import_of_any_document_returns_without_panicking(
        parts in prop::collection::vec(fragment(), 0..40),
    ) {
        let xml: String = parts.concat();
        // Ok or a typed error; a panic fails the test.
        let _ = pnml::import_str(&xml, &Limits::default());
    }

    #[test]
    fn import_of_arbitrary_bytes_returns_without_panicking(
        bytes in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        let _ = pnml::import(bytes.as_slice(), &Limits::default());
    }
}

#[test]
fn an_inhibitor_arc_reads_as_one_and_other_arc_types_are_refused_by_arc() {
    let net = pnml::import_str(
        &pt(r#"<place id="p"/><transition id="t"/>
            <arc id="a" source="p" target="t"><inscription><text>2</text></inscription><type value="inhibitor"/></arc>
            <arc id="b" source="t" target="p"><type value="normal"/></arc>"#),
        &Limits::default(),
    )
    .unwrap();
    let kinds: Vec<_> = net
        .arcs()
        .iter()
        .map(|a| (a.id.as_str(), a.direction, a.weight))
        .collect();
    assert_eq!(
        kinds,
        [
            ("a", mycel_check::pt_net::Direction::Inhibitor, 2),
            ("b", mycel_check::pt_net::Direction::TransitionToPlace, 1)
        ]
    );
    let err = refused(&pt(r#"<place id="p"/><transition id="t"/>
        <arc id="r" source="p" target="t"><type value="reset"/></arc>"#));
    assert_eq!(
        err,
        PnmlError::UnsupportedArcType {
            arc: "r".into(),
            value: "reset".into()
        }
    );
    let err = refused(&pt(r#"<place id="p"/><transition id="t"/>
        <arc id="back" source="t" target="p"><type value="inhibitor"/></arc>"#));
    assert_eq!(
        err,
        PnmlError::InhibitorFromTransition { arc: "back".into() }
    );
    assert!(err.to_string().contains("back"));
}
