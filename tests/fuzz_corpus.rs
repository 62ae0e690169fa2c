//! Replays every committed fuzz corpus file and every saved crash artifact through the
//! target's `run`, decoded exactly as libfuzzer-sys decodes them, so a crash found by
//! the fuzzer reproduces under stable `cargo test`. Also (ignored) the command that
//! writes the seed corpora.
//!
//! Adding a target is one name in the `fuzz_targets!` list at the bottom.

use mycel_suite::corpus;
use mycel_suite::targets;

/// Length of a seed input in bytes.
const SEED_LEN: usize = 384;
/// Random byte strings tried per target before giving up on a category.
const SEED_TRIES: usize = 200_000;

/// For each target, a module with the replay test and the (ignored) seed writer.
macro_rules! fuzz_targets {
    ($($target:ident),* $(,)?) => {$(
        mod $target {
            use super::*;

            /// Every file of `fuzz/corpus/<target>/` and `fuzz/artifacts/<target>/` runs
            /// without a failure.
            #[test]
            fn every_corpus_file_and_artifact_replays_without_a_failure() {
                let replayed = corpus::replay::<targets::$target::Input, _>(
                    stringify!($target),
                    targets::$target::run,
                );
                assert!(replayed > 0, "no corpus for {}: write its seeds", stringify!($target));
            }

            /// Writes one seed per category of the target (see `fuzz/README.md`).
            #[test]
            #[ignore = "writes fuzz/corpus/<target>/: run on purpose to regenerate the seeds"]
            fn write_seed_corpus() {
                let dir = corpus::fuzz_dir().join("corpus").join(stringify!($target));
                std::fs::create_dir_all(&dir).expect("create the corpus directory");
                let seeds = corpus::find_seeds::<targets::$target::Input, _>(
                    targets::$target::run,
                    targets::$target::SEED_CATEGORIES,
                    0x5EED,
                    SEED_LEN,
                    SEED_TRIES,
                );
                for (name, bytes) in &seeds {
                    std::fs::write(dir.join(name), bytes).expect("write a seed");
                }
                let missing: Vec<_> = targets::$target::SEED_CATEGORIES
                    .iter()
                    .map(|(name, _)| *name)
                    .filter(|name| seeds.iter().all(|(found, _)| found != name))
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

fuzz_targets!(net_ops);
