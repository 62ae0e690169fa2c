//! Hostile scenario files: each is refused before it runs (exit 2, naming the file, the
//! field, the limit and the flag that raises it) or runs within bounded time and memory.
//!
//! Every case runs the `mycel` binary under `prlimit` (util-linux) with an address-space
//! limit of 512 MiB and a CPU limit of 30 s, so a file that made the run grow or spin
//! would be killed and fail its case instead of taking the machine down. Where
//! `prlimit` is missing the cases run without it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Address space a case may use.
const MEMORY_LIMIT: u64 = 512 << 20;
/// CPU seconds a case may use.
const CPU_LIMIT: u64 = 30;

fn limited(args: &[&str]) -> Output {
    let bin = env!("CARGO_BIN_EXE_mycel");
    let has_prlimit = Command::new("prlimit").arg("--version").output().is_ok();
    let mut command = if has_prlimit {
        let mut c = Command::new("prlimit");
        c.arg(format!("--as={MEMORY_LIMIT}"))
            .arg(format!("--cpu={CPU_LIMIT}"))
            .arg("--")
            .arg(bin);
        c
    } else {
        Command::new(bin)
    };
    command.args(args).output().expect("the binary runs")
}

fn hostile(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/hostile")
        .join(name)
        .display()
        .to_string()
}

fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(test);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `mycel run FILE` and checks it was refused with exit 2 and a message holding
/// each of `expected` (the file, the field, the limit, the flag).
fn assert_refused(file: &str, expected: &[&str]) {
    let out = limited(&["run", "-q", file]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{file}: {stderr}");
    assert!(stderr.starts_with(&format!("error: {file}")), "{stderr}");
    for e in expected {
        assert!(stderr.contains(e), "{file}: {e:?} missing from {stderr}");
    }
    // `check` applies the same limits.
    let out = limited(&["check", file]);
    assert_eq!(out.status.code(), Some(2), "check {file}");
}

#[test]
fn a_burst_of_u32_max_requests_is_refused_naming_max_requests() {
    assert_refused(
        &hostile("burst-u32-max.toml"),
        &[
            "traffic[0]",
            "4294967295 requests",
            "limit of 2000000",
            "--max-requests",
        ],
    );
}

#[test]
fn a_million_requests_a_second_for_an_hour_is_refused() {
    assert_refused(
        &hostile("rate-1e6-hour.toml"),
        &["traffic[0]", "3600000000 requests", "--max-requests"],
    );
}

#[test]
fn a_million_requests_a_second_for_a_year_is_refused() {
    assert_refused(
        &hostile("rate-1e6-year.toml"),
        &["traffic[0]", "31536000000000 requests", "--max-requests"],
    );
}

#[test]
fn a_burst_every_microsecond_is_refused() {
    assert_refused(
        &hostile("bursts-every-microsecond.toml"),
        &["traffic[0]", "60000000000 requests", "--max-requests"],
    );
}

#[test]
fn a_breaker_flapping_on_its_own_timers_for_a_year_is_refused() {
    assert_refused(
        &hostile("flapping-year.toml"),
        &[
            "breaker.half_open.max_wait",
            "31536000000 times",
            "--max-timed-changes",
        ],
    );
}

#[test]
fn a_file_larger_than_the_limit_is_refused_without_reading_it_all() {
    let dir = scratch("hostile-big-file");
    let path = dir.join("big.toml");
    let comment = format!("# {}\n", "x".repeat(1022));
    std::fs::write(&path, comment.repeat(5 * 1024)).unwrap();
    let file = path.display().to_string();
    assert_refused(
        &file,
        &["(file)", "limit of 4194304 bytes", "--max-file-bytes"],
    );
    // Raising the limit lets it through to the next check (a file of comments only).
    let out = limited(&["check", &file, "--max-file-bytes", "6000000"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("--max-file-bytes"), "{stderr}");
}

#[test]
#[cfg(target_os = "linux")]
fn an_endless_file_is_refused() {
    assert_refused("/dev/zero", &["(file)", "--max-file-bytes"]);
}

#[test]
fn a_thousand_and_one_phases_are_refused_naming_max_entries() {
    let dir = scratch("hostile-phases");
    let path = dir.join("phases.toml");
    let mut text = String::from(
        "name = \"phases\"\nduration = \"2h\"\n\n[breaker]\nconsecutive_failures = 5\n\
         open = { base = \"5s\" }\nhalf_open = { max_permits = 1, successes = 1 }\n\n\
         [[service]]\nname = \"api\"\nlatency = \"1ms\"\nfailure_probability = 0.0\n",
    );
    for i in 0..1001 {
        text.push_str(&format!("\n[[phase]]\nname = \"p{i}\"\nfrom = \"{i}s\"\n"));
    }
    std::fs::write(&path, text).unwrap();
    let file = path.display().to_string();
    assert_refused(&file, &["phase[1000]", "1001 entries", "--max-entries"]);
    let out = limited(&["check", &file, "--max-entries", "1001"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn deeply_nested_arrays_are_a_typed_error_not_a_crash() {
    let dir = scratch("hostile-nesting");
    let path = dir.join("nested.toml");
    let depth = 100_000;
    let text = format!("name = {}{}\n", "[".repeat(depth), "]".repeat(depth));
    std::fs::write(&path, text).unwrap();
    let file = path.display().to_string();
    let out = limited(&["run", "-q", &file]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.starts_with(&format!("error: {file}")), "{stderr}");
}

#[test]
fn a_sparse_year_runs_to_its_end() {
    let out = limited(&["run", "--json", &hostile("sparse-year.toml")]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(summary.contains("\"requests\": 8760"), "{summary}");
}

#[test]
fn a_hundred_thousand_requests_in_flight_at_once_run_to_their_end() {
    let out = limited(&["run", "--json", &hostile("everything-in-flight.toml")]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(summary.contains("\"requests\": 100000"), "{summary}");
}

/// A reader that stops reading (`mycel run --json FILE | head`) ends the output
/// quietly: no panic, exit 0. The summary is larger than a pipe's buffer, so the
/// binary is still writing when the pipe closes.
#[test]
fn a_closed_output_pipe_ends_the_run_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_mycel"))
        .args(["run", "--json", &hostile("sparse-year.toml")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut first = [0u8; 16];
    child
        .stdout
        .take()
        .expect("piped")
        .read_exact(&mut first)
        .expect("the summary starts");
    // The read end is dropped here, with most of the summary unread.
    let out = child.wait_with_output().expect("the binary ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
}

/// Tens of thousands of state changes: the report lists the first thousand and counts
/// the rest, the JSON summary likewise, so neither grows with them.
#[test]
fn a_run_with_many_state_changes_lists_a_thousand_and_counts_the_rest() {
    let file = hostile("flapping-requests.toml");
    let out = limited(&["run", &file]);
    assert_eq!(out.status.code(), Some(0));
    let report = String::from_utf8_lossy(&out.stdout);
    let listed = report.lines().filter(|l| l.contains(" -> ")).count();
    assert_eq!(listed, 1_000, "{report}");
    assert!(report.contains("more (a trace, --trace FILE, lists every one)"));
    let out = limited(&["run", "--json", &file]);
    let summary = String::from_utf8_lossy(&out.stdout);
    assert_eq!(summary.matches("\"from\": ").count(), 1_000);
    assert!(
        summary.contains("\"unlisted_state_changes\": "),
        "{summary}"
    );
}

#[test]
fn a_fleet_calling_every_millisecond_for_a_year_is_refused_naming_max_requests() {
    let file = hostile("fleet-year.toml");
    let out = limited(&["fleet", &file]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    for expected in [
        file.as_str(),
        "duration",
        "limit of 2000000",
        "--max-requests",
    ] {
        assert!(
            stderr.contains(expected),
            "{expected:?} missing from {stderr}"
        );
    }
    let raised = limited(&["fleet", &file, "--max-requests", "1"]);
    assert_eq!(raised.status.code(), Some(2));
}
