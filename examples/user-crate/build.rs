//! Writes the ring nets the benchmarks compare (8 and 1024 transitions) as `net!`
//! blocks: one line per transition is what a user would write, and nobody writes 1024.

use std::fmt::Write as _;

fn ring(name: &str, size: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "mycel::net! {{");
    let _ = writeln!(
        out,
        "    /// A ring of {size} transitions with one place each."
    );
    let _ = writeln!(out, "    #[straight_line]");
    let _ = writeln!(out, "    pub net {name}: u32 {{");
    let _ = writeln!(out, "        places {{");
    for i in 0..size {
        let _ = writeln!(out, "            p{i}: 1,");
    }
    let _ = writeln!(out, "        }}");
    let _ = writeln!(out, "        transitions {{");
    for i in 0..size {
        let _ = writeln!(out, "            t{i}: p{i} -> p{},", (i + 1) % size);
    }
    let _ = writeln!(out, "        }}");
    let _ = writeln!(out, "    }}");
    let _ = writeln!(out, "}}");
    out
}

fn main() {
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    let code = ring("Ring8", 8) + &ring("Ring1024", 1024);
    let path = std::path::Path::new(&out_dir).join("rings.rs");
    if let Err(e) = std::fs::write(&path, code) {
        println!("cargo::error=cannot write {}: {e}", path.display());
    }
    println!("cargo::rerun-if-changed=build.rs");
}
