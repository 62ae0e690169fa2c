//! One way to configure the suites' proptests.

use proptest::test_runner::{Config, FileFailurePersistence};

/// A config running `cases` cases (or `PROPTEST_CASES` when set, to scale a run up or
/// down) that saves failing seeds to `regressions`, a path relative to this package's
/// root such as `tests/proptest-regressions/net_properties.txt`.
///
/// Integration tests need the explicit path: proptest's default looks for a `lib.rs`
/// beside the test file, which `tests/` does not have.
#[must_use]
pub fn config(cases: u32, regressions: &'static str) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    Config {
        cases,
        failure_persistence: Some(Box::new(FileFailurePersistence::Direct(regressions))),
        ..Config::default()
    }
}
