//! The net invariants every suite checks after every call, written once.
//!
//! Each check panics with a message naming the broken rule, so it works the same in a
//! proptest (which shrinks the failing case) and under a fuzzer (which keeps the crash).

use crate::reference::net::NetSpec;

use super::snapshot::Snapshot;

/// `injected + created == taken + retired + held`: no token lost or invented.
///
/// # Panics
/// When the identity does not hold.
pub fn assert_tokens_conserved(s: &Snapshot) {
    let came_in = u128::from(s.injected) + u128::from(s.created);
    let went_out = u128::from(s.taken) + u128::from(s.retired) + u128::from(s.held());
    assert_eq!(
        came_in,
        went_out,
        "token conservation broken: injected {} + created {} != taken {} + retired {} + held {}",
        s.injected,
        s.created,
        s.taken,
        s.retired,
        s.held()
    );
}

/// Every place holds at most its capacity, and its high-water mark lies between what it
/// holds now and its capacity.
///
/// # Panics
/// When a place is over capacity or its high-water mark is inconsistent.
pub fn assert_within_capacity(spec: &NetSpec<u32>, s: &Snapshot) {
    for (p, place) in spec.places.iter().enumerate() {
        let capacity = usize::try_from(place.capacity).unwrap_or(usize::MAX);
        let len = s.len(p);
        let high = s.high_water.get(p).copied().unwrap_or(0);
        assert!(
            len <= capacity,
            "place {p} holds {len} tokens, above its capacity {capacity}"
        );
        assert!(
            high >= len,
            "place {p} holds {len} tokens but its high-water mark is {high}"
        );
        assert!(
            high <= capacity,
            "place {p} once held {high} tokens, above its capacity {capacity}"
        );
    }
}

/// The deadline, if any, is not before the last instant seen.
///
/// # Panics
/// When the deadline lies in the past.
pub fn assert_deadline_not_in_the_past(s: &Snapshot) {
    if let Some(d) = s.next_deadline {
        assert!(
            d >= s.last_seen,
            "next deadline {d} is before the last instant seen {}",
            s.last_seen
        );
    }
}

/// Lifetime counters and high-water marks never decrease and time never goes back.
///
/// # Panics
/// When `after` has a smaller counter, mark or instant than `before`.
pub fn assert_monotone(before: &Snapshot, after: &Snapshot) {
    let pairs = [
        ("injected", before.injected, after.injected),
        ("taken", before.taken, after.taken),
        ("created", before.created, after.created),
        ("retired", before.retired, after.retired),
        ("firings", before.firings, after.firings),
        ("failures", before.failures, after.failures),
        ("last seen", before.last_seen, after.last_seen),
    ];
    for (name, b, a) in pairs {
        assert!(a >= b, "{name} went down from {b} to {a}");
    }
    for (p, (b, a)) in before.high_water.iter().zip(&after.high_water).enumerate() {
        assert!(
            a >= b,
            "high-water mark of place {p} went down from {b} to {a}"
        );
    }
    for (t, (b, a)) in before
        .transitions
        .iter()
        .zip(&after.transitions)
        .enumerate()
    {
        assert!(
            a.firings >= b.firings && a.failures >= b.failures,
            "counters of transition {t} went down: {b:?} -> {a:?}"
        );
    }
}

/// Every state invariant of one snapshot.
///
/// # Panics
/// As the checks it runs.
pub fn assert_state_invariants(spec: &NetSpec<u32>, s: &Snapshot) {
    assert_tokens_conserved(s);
    assert_within_capacity(spec, s);
    assert_deadline_not_in_the_past(s);
}
