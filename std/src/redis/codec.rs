//! The fleet view as the store holds it: two hashes of decimal integers, and the sync
//! script's reply parsed into typed values.

use super::error::StoreValueError;
use mycel::breaker::{FleetEntry, FleetPhase, FleetState, FleetView};
use mycel::time::Duration;
use redis::Value;
use std::collections::BTreeMap;

/// Entries a view holds: room for 32 instances over 8 buckets.
pub const FLEET_ENTRIES: usize = 256;

/// The fleet view a store-backed breaker keeps.
pub type StoreView = FleetView<FLEET_ENTRIES>;

/// Count fields per entry (`c`alls, `f`ailures, `s`low, probes `i`ssued and `r`eported).
const FIELDS_PER_ENTRY: usize = 5;

/// Most count fields a reply may hold.
pub(crate) const MAX_COUNT_FIELDS: usize = FLEET_ENTRIES * FIELDS_PER_ENTRY;

/// The state as the script's arguments: phase rank (0 CLOSED, 1 HALF_OPEN, 2 OPEN), the
/// phase's two durations in ticks, openings.
pub(crate) fn state_args(state: &FleetState) -> [String; 4] {
    let (rank, a, b) = match state.phase {
        FleetPhase::Closed => (0, 0, 0),
        FleetPhase::HalfOpen { since, last_period } => {
            (1, since.as_ticks(), last_period.as_ticks())
        }
        FleetPhase::Open { opened_at, period } => (2, opened_at.as_ticks(), period.as_ticks()),
    };
    [
        rank.to_string(),
        a.to_string(),
        b.to_string(),
        state.openings.to_string(),
    ]
}

/// The store's field for `instance`'s probes issued in `bucket`.
pub(crate) fn issued_field(instance: u32, bucket: u64) -> String {
    format!("{instance}:{bucket}:i")
}

/// `instance`'s own counters as `(field, value)` pairs, zeros left out.
pub(crate) fn count_args(view: &StoreView, instance: u32) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    for e in view.own_entries(instance) {
        for (name, value) in [
            ("c", e.calls),
            ("f", e.failures),
            ("s", e.slow),
            ("i", e.probes_issued),
            ("r", e.probes_reported),
        ] {
            if value > 0 {
                out.push((format!("{}:{}:{name}", e.instance, e.bucket), value));
            }
        }
    }
    out
}

/// What one sync answered.
#[derive(Debug, Clone)]
pub(crate) struct SyncReply {
    /// The store's clock, as a duration since its origin (the Unix epoch).
    pub(crate) store_time: Duration,
    /// Whether the compare-and-set asked for was applied.
    pub(crate) swapped: bool,
    /// Whether the probe asked for was granted (and counted as issued).
    pub(crate) granted: bool,
    /// The store's view after the sync.
    pub(crate) view: StoreView,
}

fn text(v: &Value) -> Option<&str> {
    match v {
        Value::BulkString(b) => std::str::from_utf8(b).ok(),
        Value::SimpleString(s) => Some(s),
        _ => None,
    }
}

fn number<T: std::str::FromStr>(v: &Value, what: &'static str) -> Result<T, StoreValueError> {
    match v {
        Value::Int(i) => T::from_str(&i.to_string()).map_err(|_| StoreValueError::Malformed(what)),
        other => text(other)
            .and_then(|s| s.parse().ok())
            .ok_or(StoreValueError::Malformed(what)),
    }
}

fn pairs(v: &Value) -> Result<Vec<(&str, &Value)>, StoreValueError> {
    let items: &[Value] = match v {
        Value::Array(items) => items,
        Value::Nil => &[],
        _ => return Err(StoreValueError::Malformed("hash reply")),
    };
    items
        .chunks(2)
        .map(|pair| match pair {
            [k, v] => text(k)
                .map(|k| (k, v))
                .ok_or(StoreValueError::Malformed("hash field")),
            _ => Err(StoreValueError::Malformed("hash reply")),
        })
        .collect()
}

fn decode_state(v: &Value) -> Result<FleetState, StoreValueError> {
    let fields = pairs(v)?;
    if fields.is_empty() {
        return Ok(FleetState::INITIAL);
    }
    let get = |name: &'static str| -> Result<u64, StoreValueError> {
        match fields.iter().find(|(k, _)| *k == name) {
            Some((_, v)) => number(v, name),
            None => Err(StoreValueError::Malformed(name)),
        }
    };
    // Checked in the order a reader would: the epoch first.
    let epoch = get("epoch")?;
    let rank = get("phase")?;
    let (a, b) = (
        Duration::from_ticks(get("a")?),
        Duration::from_ticks(get("b")?),
    );
    let phase = match rank {
        0 => FleetPhase::Closed,
        1 => FleetPhase::HalfOpen {
            since: a,
            last_period: b,
        },
        2 => FleetPhase::Open {
            opened_at: a,
            period: b,
        },
        _ => return Err(StoreValueError::Malformed("phase")),
    };
    let openings =
        u32::try_from(get("openings")?).map_err(|_| StoreValueError::Malformed("openings"))?;
    Ok(FleetState {
        epoch,
        phase,
        openings,
    })
}

fn decode_counts(v: &Value) -> Result<Vec<FleetEntry>, StoreValueError> {
    let fields = pairs(v)?;
    if fields.len() > MAX_COUNT_FIELDS {
        return Err(StoreValueError::Oversized);
    }
    let mut entries: BTreeMap<(u32, u64), FleetEntry> = BTreeMap::new();
    for (key, value) in fields {
        let mut parts = key.split(':');
        let (Some(instance), Some(bucket), Some(name), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(StoreValueError::Malformed("count field name"));
        };
        let instance: u32 = instance
            .parse()
            .map_err(|_| StoreValueError::Malformed("count field instance"))?;
        let bucket: u64 = bucket
            .parse()
            .map_err(|_| StoreValueError::Malformed("count field bucket"))?;
        let value: u32 = number(value, "count value")?;
        let e = entries
            .entry((instance, bucket))
            .or_insert_with(|| FleetEntry::new(instance, bucket));
        match name {
            "c" => e.calls = value,
            "f" => e.failures = value,
            "s" => e.slow = value,
            "i" => e.probes_issued = value,
            "r" => e.probes_reported = value,
            _ => return Err(StoreValueError::Malformed("count field kind")),
        }
    }
    Ok(entries.into_values().collect())
}

/// Parses the sync script's reply.
///
/// # Errors
/// [`StoreValueError`] for a reply the script reports invalid, or one that does not
/// parse, or that no fleet could have written.
pub(crate) fn decode_reply(reply: &Value) -> Result<SyncReply, StoreValueError> {
    let Value::Array(items) = reply else {
        return Err(StoreValueError::Malformed("sync reply"));
    };
    match items.first().and_then(text) {
        Some("ok") => {}
        Some("invalid") => {
            return Err(match items.get(1).and_then(text) {
                Some("type") => StoreValueError::WrongType,
                Some("oversized") => StoreValueError::Oversized,
                Some("epoch") => StoreValueError::Malformed("epoch"),
                _ => StoreValueError::Malformed("state"),
            });
        }
        _ => return Err(StoreValueError::Malformed("sync reply")),
    }
    let [_, secs, micros, swapped, state, counts, granted] = items.as_slice() else {
        return Err(StoreValueError::Malformed("sync reply"));
    };
    let granted: i64 = number(granted, "sync reply")?;
    let secs: u64 = number(secs, "store time")?;
    let micros: u64 = number(micros, "store time")?;
    let store_time = Duration::from_micros(secs.saturating_mul(1_000_000).saturating_add(micros));
    let swapped: i64 = number(swapped, "sync reply")?;
    let state = decode_state(state)?;
    let entries = decode_counts(counts)?;
    let view = StoreView::from_parts(state, &entries).map_err(StoreValueError::Impossible)?;
    Ok(SyncReply {
        store_time,
        swapped: swapped == 1,
        granted: granted == 1,
        view,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bulk(s: &str) -> Value {
        Value::BulkString(s.as_bytes().to_vec())
    }

    fn reply(state: Vec<Value>, counts: Vec<Value>) -> Value {
        Value::Array(vec![
            bulk("ok"),
            bulk("1700000000"),
            bulk("5"),
            Value::Int(0),
            Value::Array(state),
            Value::Array(counts),
            Value::Int(0),
        ])
    }

    fn open_state(period: &str) -> Vec<Value> {
        [
            "epoch", "3", "phase", "2", "a", "10", "b", period, "openings", "1",
        ]
        .iter()
        .map(|s| bulk(s))
        .collect()
    }

    #[test]
    fn a_valid_reply_becomes_a_view() {
        let counts = ["1:7:c", "4", "1:7:f", "3"]
            .iter()
            .map(|s| bulk(s))
            .collect();
        let r = decode_reply(&reply(open_state("20"), counts)).expect("valid");
        assert_eq!(r.view.state().epoch, 3);
        assert_eq!(r.view.entries()[0].failures, 3);
        assert_eq!(r.store_time, Duration::from_micros(1_700_000_000_000_005));
    }

    #[test]
    fn malformed_impossible_and_oversized_values_are_typed_errors() {
        let garbage = vec![bulk("epoch"), bulk("banana")];
        assert_eq!(
            decode_reply(&reply(garbage, vec![])).unwrap_err(),
            StoreValueError::Malformed("epoch")
        );
        assert!(matches!(
            decode_reply(&reply(open_state("0"), vec![])).unwrap_err(),
            StoreValueError::Impossible(_)
        ));
        let more_failures = ["1:7:c", "1", "1:7:f", "3"]
            .iter()
            .map(|s| bulk(s))
            .collect();
        assert!(matches!(
            decode_reply(&reply(open_state("9"), more_failures)).unwrap_err(),
            StoreValueError::Impossible(_)
        ));
        let huge = (0..=MAX_COUNT_FIELDS)
            .flat_map(|i| [bulk(&format!("{i}:0:c")), bulk("1")])
            .collect();
        assert_eq!(
            decode_reply(&reply(open_state("9"), huge)).unwrap_err(),
            StoreValueError::Oversized
        );
        assert_eq!(
            decode_reply(&Value::Array(vec![bulk("invalid"), bulk("type")])).unwrap_err(),
            StoreValueError::WrongType
        );
        assert!(decode_reply(&Value::Int(3)).is_err());
    }
}
