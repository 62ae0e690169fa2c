//! What the engine's integration tests share.

use proptest::test_runner::{Config, FileFailurePersistence};

/// `cases` cases (or `PROPTEST_CASES`), failing seeds saved to `regressions` (an
/// integration test has no `lib.rs` for proptest's default location). Under Miri, one
/// case and no regressions file: its isolation forbids the file, and one case already
/// runs the code under test through every check Miri makes.
pub fn proptest_config(regressions: &'static str, cases: u32) -> Config {
    if cfg!(miri) {
        return Config {
            cases: 1,
            failure_persistence: None,
            ..Config::default()
        };
    }
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
