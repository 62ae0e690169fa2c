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

/// `n` values drawn from `strategy` by a deterministic runner: the same values on every
/// run, for tests that check what a generator reaches (coverage) rather than a property.
///
/// # Panics
/// If `strategy` fails to generate a value (too many local rejections).
pub fn samples<S: proptest::strategy::Strategy>(
    strategy: &S,
    n: usize,
) -> impl Iterator<Item = S::Value> + '_ {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    (0..n).map(move |_| {
        strategy
            .new_tree(&mut runner)
            .expect("the strategy generates a value")
            .current()
    })
}
