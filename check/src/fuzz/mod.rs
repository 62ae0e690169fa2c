//! Fuzz targets, each a module exporting `Input` (implementing `arbitrary::Arbitrary`), a
//! `run(&Input)` function that panics on any bug it finds, and `SEED_CATEGORIES` (what
//! its seed corpus should show).
//!
//! The same `run` is called by the cargo-fuzz target (`fuzz/fuzz_targets/<name>.rs`), by
//! proptest suites (through a proptest strategy for the same input type), and by the
//! corpus replay test (`tests/fuzz_corpus.rs`), which decodes every committed corpus file
//! and crash artifact exactly as libfuzzer-sys does. A target whose input belongs to
//! another crate lives there (the scenario file target is
//! `mycel_harness::fuzz_scenario`). To add a target: add a module here,
//! a `fuzz_targets/<name>.rs` with `fuzz_target!(|input: Input| { run(&input); })` and a
//! `[[bin]]` in `fuzz/Cargo.toml`, its name to the `fuzz_targets!` list in
//! `tests/fuzz_corpus.rs`, then write its seed corpus under `fuzz/corpus/<name>/` with
//! the command in `fuzz/README.md`. Seeds are searched among random bytes, one per
//! category; a target whose interesting inputs random bytes almost never are (valid
//! scenario files) also exports `seed_files()` and is listed as `written`.

pub mod breaker_ops;
pub mod corpus;
pub mod fleet_merge;
pub mod net_ops;
pub mod pnml_import;
pub mod snapshot_restore;
