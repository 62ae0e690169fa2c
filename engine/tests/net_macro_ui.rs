//! `net!` turns structural mistakes into compile errors at the offending name; each case
//! here pins one message (the `.stderr` next to it). `TRYBUILD=overwrite` rewrites them.

#[test]
fn net_macro_reports_mistakes_at_their_names() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
    cases.pass("tests/ui/pass/*.rs");
}
