//! Shared helpers for the mycel property suites and benchmarks.
