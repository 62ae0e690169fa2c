//! Replays every committed fuzz corpus file and every saved crash artifact through the
//! target's `run`, decoded exactly as libfuzzer-sys decodes them, so a crash found by
//! the fuzzer reproduces under stable `cargo test`. Also (ignored) the command that
//! writes the seed corpora.
//!
//! Adding a target is one entry in the `fuzz_targets!` list at the bottom: its name and
//! where its seeds come from (`searched` among random bytes, or `written` by its
//! `seed_files()`).

use std::path::PathBuf;

use mycel_check::fuzz::corpus;

/// Every target by name: the engine's live in mycel-check, the scenario file's in the
/// harness whose parser it fuzzes.
mod targets {
    pub use mycel_check::fuzz::{breaker_ops, fleet_merge, net_ops, pnml_import, snapshot_restore};
    pub use mycel_harness::fuzz_scenario as scenario_file;
}

/// This repository's cargo-fuzz directory.
fn fuzz_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// Length of a seed input in bytes.
const SEED_LEN: usize = 384;
/// Random byte strings tried per target before giving up on a category.
const SEED_TRIES: usize = 200_000;

/// Seeds for `run` found among pseudo-random byte strings, one per category.
fn searched<I, S>(
    run: impl Fn(&I) -> S,
    categories: &[corpus::SeedCategory<S>],
) -> Vec<(&'static str, Vec<u8>)>
where
    I: for<'a> arbitrary::Arbitrary<'a>,
{
    corpus::find_seeds::<I, S>(run, categories, 0x5EED, SEED_LEN, SEED_TRIES)
}

/// Where a target's seeds come from: searched among random bytes, or written by hand
/// (`seed_files()`, for inputs random bytes almost never produce, like valid files).
macro_rules! seeds {
    (searched, $target:ident) => {
        searched::<targets::$target::Input, _>(
            targets::$target::run,
            targets::$target::SEED_CATEGORIES,
        )
    };
    (written, $target:ident) => {
        targets::$target::seed_files()
    };
}

/// For each target, a module with the replay test and the (ignored) seed writer.
macro_rules! fuzz_targets {
    ($($target:ident: $source:ident),* $(,)?) => {$(
        mod $target {
            use super::*;

            /// Every file of `fuzz/corpus/<target>/` and `fuzz/artifacts/<target>/` runs
            /// without a failure.
            #[test]
            fn every_corpus_file_and_artifact_replays_without_a_failure() {
                let replayed = corpus::replay::<targets::$target::Input, _>(
                    &fuzz_dir(),
                    stringify!($target),
                    targets::$target::run,
                );
                assert!(replayed > 0, "no corpus for {}: write its seeds", stringify!($target));
            }

            /// Writes the target's seeds (see `fuzz/README.md`) and checks that they show
            /// every category.
            #[test]
            #[ignore = "writes fuzz/corpus/<target>/: run on purpose to regenerate the seeds"]
            fn write_seed_corpus() {
                let dir = fuzz_dir().join("corpus").join(stringify!($target));
                std::fs::create_dir_all(&dir).expect("create the corpus directory");
                let seeds = seeds!($source, $target);
                for (name, bytes) in &seeds {
                    std::fs::write(dir.join(name), bytes).expect("write a seed");
                }
                let summaries: Vec<_> = seeds
                    .iter()
                    .filter_map(|(_, bytes)| corpus::decode::<targets::$target::Input>(bytes))
                    .map(|input| targets::$target::run(&input))
                    .collect();
                let missing: Vec<_> = targets::$target::SEED_CATEGORIES
                    .iter()
                    .filter(|(_, shown)| !summaries.iter().any(shown))
                    .map(|(name, _)| *name)
                    .collect();
                assert!(missing.is_empty(), "no seed found for {missing:?}");
            }
        }
    )*};
}

#[test]
fn inputs_too_short_for_the_type_are_skipped_as_libfuzzer_sys_does() {
    let decoded: Option<targets::net_ops::Input> = corpus::decode(&[]);
    let minimum = <targets::net_ops::Input as arbitrary::Arbitrary>::size_hint(0).0;
    assert_eq!(decoded.is_none(), minimum > 0);
}

fuzz_targets!(
    net_ops: searched,
    breaker_ops: searched,
    scenario_file: written,
    snapshot_restore: searched,
    pnml_import: written,
    fleet_merge: searched,
);

#[test]
fn scenario_file_inputs_are_the_files_bytes_unchanged() {
    let text = b"name = \"x\"\n\xff\x00 trailing".to_vec();
    let decoded: Option<targets::scenario_file::Input> = corpus::decode(&text);
    assert_eq!(decoded, Some(targets::scenario_file::ScenarioFile(text)));
}
