//! Fuzz targets, each a module with an input type deriving `arbitrary::Arbitrary` and a
//! `run(&input)` function that panics on any bug it finds.
//!
//! The same `run` is called by the cargo-fuzz target (`fuzz/fuzz_targets/<name>.rs`), by
//! proptest suites (through a proptest strategy for the same input type), and by the
//! corpus replay test (`tests/fuzz_corpus.rs`), which decodes every committed corpus file
//! and crash artifact exactly as libfuzzer-sys does. To add a target: add a module here,
//! a `fuzz_targets/<name>.rs` with `fuzz_target!(|input: Input| { run(&input); })` and a
//! `[[bin]]` in `fuzz/Cargo.toml`, a seed corpus under `fuzz/corpus/<name>/`, and one
//! line in `tests/fuzz_corpus.rs`.

pub mod net_ops;
