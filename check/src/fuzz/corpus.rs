//! Replaying fuzz corpora under `cargo test`, and finding seed inputs.
//!
//! [`replay`] decodes every file of `fuzz/corpus/<target>/` and `fuzz/artifacts/<target>/`
//! the way libfuzzer-sys does (inputs shorter than the type's minimum size are skipped,
//! then `Arbitrary::arbitrary_take_rest`; undecodable inputs are skipped) and passes it
//! to the target's `run`, so every committed seed and every crash ever saved reproduces
//! on stable Rust without the fuzzer.

use std::path::{Path, PathBuf};

use arbitrary::{Arbitrary, Unstructured};

/// The corpus and artifact files of `target` under `fuzz_dir` (a cargo-fuzz directory,
/// holding `corpus/<target>/` and `artifacts/<target>/`), sorted by path. Missing
/// directories contribute nothing.
///
/// # Panics
/// When a directory exists but cannot be read.
#[must_use]
pub fn files(fuzz_dir: &Path, target: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for kind in ["corpus", "artifacts"] {
        let dir = fuzz_dir.join(kind).join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry
                .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
                .path();
            if path.is_file() {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Decodes `bytes` as libfuzzer-sys does for a typed `fuzz_target!`, or `None` when the
/// fuzzer would not run the target on them.
#[must_use]
pub fn decode<I: for<'a> Arbitrary<'a>>(bytes: &[u8]) -> Option<I> {
    if bytes.len() < I::size_hint(0).0 {
        return None;
    }
    I::arbitrary_take_rest(Unstructured::new(bytes)).ok()
}

/// Runs `run` on every decodable corpus and artifact file of `target` under `fuzz_dir`
/// and returns how many files were run.
///
/// # Panics
/// When `run` panics on a file (the panic names the file) or a file cannot be read.
pub fn replay<I, R>(fuzz_dir: &Path, target: &str, run: impl Fn(&I) -> R) -> usize
where
    I: for<'a> Arbitrary<'a> + std::fmt::Debug,
{
    let mut replayed = 0;
    for path in files(fuzz_dir, target) {
        let bytes =
            std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let Some(input) = decode::<I>(&bytes) else {
            continue;
        };
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _ = run(&input);
        }));
        if let Err(panic) = outcome {
            eprintln!(
                "{target}: {} fails; its input is {input:#?}",
                path.display()
            );
            std::panic::resume_unwind(panic);
        }
        replayed += 1;
    }
    replayed
}

/// A deterministic stream of pseudo-random bytes (splitmix64), for seed searches.
#[derive(Debug, Clone)]
pub struct SeedBytes(u64);

impl SeedBytes {
    /// A stream from `seed`.
    #[must_use]
    pub const fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next `len` bytes.
    pub fn take(&mut self, len: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(len + 8);
        while out.len() < len {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            out.extend_from_slice(&(z ^ (z >> 31)).to_le_bytes());
        }
        out.truncate(len);
        out
    }
}

/// A named kind of input a seed corpus should contain: a predicate over what `run`
/// reported for it.
pub type SeedCategory<S> = (&'static str, fn(&S) -> bool);

/// Searches pseudo-random byte strings of length `len` (from `seed`, at most `tries`)
/// for one input per category: the first string that decodes and whose `run` summary
/// satisfies the category's predicate. Returns `(category name, bytes)` for every
/// category found, in the order given.
pub fn find_seeds<I, S>(
    run: impl Fn(&I) -> S,
    categories: &[SeedCategory<S>],
    seed: u64,
    len: usize,
    tries: usize,
) -> Vec<(&'static str, Vec<u8>)>
where
    I: for<'a> Arbitrary<'a>,
{
    let mut bytes = SeedBytes::new(seed);
    let mut found: Vec<Option<Vec<u8>>> = vec![None; categories.len()];
    for _ in 0..tries {
        if found.iter().all(Option::is_some) {
            break;
        }
        let candidate = bytes.take(len);
        let Some(input) = decode::<I>(&candidate) else {
            continue;
        };
        let summary = run(&input);
        for (slot, (_, wanted)) in found.iter_mut().zip(categories) {
            if slot.is_none() && wanted(&summary) {
                *slot = Some(candidate.clone());
            }
        }
    }
    categories
        .iter()
        .zip(found)
        .filter_map(|((name, _), bytes)| bytes.map(|b| (*name, b)))
        .collect()
}

/// A file's bytes as a fuzz target's input: a corpus file decodes to exactly its bytes
/// (as `&[u8]` does, and unlike `Vec<u8>`, which reads a length first), so corpus files
/// are plain files of the target's format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileBytes(pub Vec<u8>);

impl<'a> Arbitrary<'a> for FileBytes {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        let len = u.arbitrary_len::<u8>()?;
        Ok(Self(u.bytes(len)?.to_vec()))
    }

    fn arbitrary_take_rest(u: Unstructured<'a>) -> arbitrary::Result<Self> {
        Ok(Self(u.take_rest().to_vec()))
    }

    fn size_hint(_depth: usize) -> (usize, Option<usize>) {
        (0, None)
    }
}
