//! Serde helpers for optional time values, serialized as optional tick counts
//! (embassy-time types do not implement serde themselves).

/// `#[serde(with = "serde_opt::duration")]` for an `Option<Duration>`.
pub(crate) mod duration {
    use crate::time::Duration;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(crate) fn serialize<S: Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
        d.map(|d| d.as_ticks()).serialize(s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Duration>, D::Error> {
        Ok(Option::<u64>::deserialize(d)?.map(Duration::from_ticks))
    }
}

/// `#[serde(with = "serde_opt::instant")]` for an `Option<Instant>`.
pub(crate) mod instant {
    use crate::time::Instant;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(crate) fn serialize<S: Serializer>(at: &Option<Instant>, s: S) -> Result<S::Ok, S::Error> {
        at.map(|at| at.as_ticks()).serialize(s)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Instant>, D::Error> {
        Ok(Option::<u64>::deserialize(d)?.map(Instant::from_ticks))
    }
}
