//! Serde helpers for embassy-time types, which do not implement serde themselves.
//! Instants and durations serialize as their tick counts.

/// `#[serde(with = "serde_time::instant")]` for an [`crate::time::Instant`].
pub mod instant {
    use crate::time::Instant;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Serializes the instant as its tick count.
    pub fn serialize<S: Serializer>(at: &Instant, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(at.as_ticks())
    }

    /// Deserializes an instant from its tick count.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Instant, D::Error> {
        u64::deserialize(d).map(Instant::from_ticks)
    }
}

/// `#[serde(with = "serde_time::duration")]` for a [`crate::time::Duration`].
pub mod duration {
    use crate::time::Duration;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Serializes the duration as its tick count.
    pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(d.as_ticks())
    }

    /// Deserializes a duration from its tick count.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
        u64::deserialize(d).map(Duration::from_ticks)
    }
}

/// `#[serde(with = "serde_time::clock")]` for a [`crate::time::Clock`].
pub mod clock {
    use crate::time::{Clock, Instant};
    use serde::{Deserialize, Deserializer, Serializer};

    /// Serializes the clock as the tick count of the last instant it saw.
    pub fn serialize<S: Serializer>(c: &Clock, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u64(c.last().as_ticks())
    }

    /// Deserializes a clock from the tick count of the last instant it saw.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Clock, D::Error> {
        u64::deserialize(d).map(|t| Clock::new(Instant::from_ticks(t)))
    }
}
