//! Where the tests find the Model Checking Contest nets: the directory named by
//! `MYCEL_MCC_DIR`, or `shared/pnml` beside the checkout (where CI puts it). The nets
//! are published test data that mycel does not ship; a test that needs one and cannot
//! find it says so and passes without checking, so `cargo test` needs nothing but the
//! checkout.

use std::path::{Path, PathBuf};

/// The directory holding the nets, if there is one.
pub fn dir() -> Option<PathBuf> {
    let dir = std::env::var_os("MYCEL_MCC_DIR").map_or_else(
        // This file is compiled into crates one folder below the repository root.
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/pnml"),
        PathBuf::from,
    );
    dir.is_dir().then_some(dir)
}

/// The path of the net `file`, or `None` after printing why the calling test skips.
pub fn path(file: &str) -> Option<PathBuf> {
    let found = dir().map(|d| d.join(file)).filter(|p| p.is_file());
    if found.is_none() {
        eprintln!(
            "skipped: the Model Checking Contest net {file} is not here; set MYCEL_MCC_DIR \
             to the directory holding it (CI has it in shared/pnml beside the checkout)"
        );
    }
    found
}

/// The path of a net as a string, or returns from the calling test after saying why.
#[allow(unused_macros)]
macro_rules! mcc_path_or_skip {
    ($file:expr) => {
        match mcc::path($file) {
            Some(path) => path.display().to_string(),
            None => return,
        }
    };
}
#[allow(unused_imports)]
pub(crate) use mcc_path_or_skip;
