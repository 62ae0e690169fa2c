//! `net!` turns structural mistakes into compile errors at the offending name; each case
//! here pins one message (the `.stderr` next to it). `TRYBUILD=overwrite` rewrites them.

#[test]
#[cfg_attr(
    miri,
    ignore = "trybuild runs cargo and rustc on each case; Miri cannot run a compiler"
)]
fn net_macro_reports_mistakes_at_their_names() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
    cases.pass("tests/ui/pass/*.rs");
}
