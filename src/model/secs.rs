//! The JSON form of a duration: an integer of whole seconds (negative: before), in a
//! field named `<name>_secs` (`waited_secs`, `late_by_secs`). Used with
//! `#[serde(with = "crate::model::secs")]` on a `TimeDelta` field and
//! `#[serde(with = "crate::model::secs::opt")]` on an `Option<TimeDelta>` one, beside
//! `#[schemars(with = "i64")]` (or `Option<i64>`), so the schema says integer too.
//! Writing drops any fraction of a second (the crate's durations are whole seconds);
//! reading refuses a number beyond chrono's range.

use chrono::TimeDelta;
use serde::{Deserialize, Deserializer, Serializer};

/// Writes `d` as whole seconds.
pub(crate) fn serialize<S: Serializer>(d: &TimeDelta, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_i64(d.num_seconds())
}

/// Reads whole seconds.
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<TimeDelta, D::Error> {
    from_secs(i64::deserialize(d)?)
}

fn from_secs<E: serde::de::Error>(secs: i64) -> Result<TimeDelta, E> {
    TimeDelta::try_seconds(secs).ok_or_else(|| E::custom("a duration beyond chrono's range"))
}

/// The same for an optional duration (`null` or absent is `None`).
pub(crate) mod opt {
    use chrono::TimeDelta;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes `Some(d)` as whole seconds, `None` as `null`.
    pub(crate) fn serialize<S: Serializer>(d: &Option<TimeDelta>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_some(&d.num_seconds()),
            None => s.serialize_none(),
        }
    }

    /// Reads whole seconds or `null`.
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<TimeDelta>, D::Error> {
        Option::<i64>::deserialize(d)?
            .map(super::from_secs)
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Both {
        #[serde(rename = "waited_secs", with = "super")]
        waited: TimeDelta,
        #[serde(rename = "late_by_secs", default, with = "super::opt")]
        late_by: Option<TimeDelta>,
    }

    #[test]
    fn durations_are_whole_seconds() {
        let b = Both {
            waited: TimeDelta::hours(26) + TimeDelta::milliseconds(900),
            late_by: Some(TimeDelta::minutes(-5)),
        };
        let json = serde_json::to_string(&b).unwrap();
        assert_eq!(json, r#"{"waited_secs":93600,"late_by_secs":-300}"#);
        let back: Both = serde_json::from_str(&json).unwrap();
        assert_eq!(back.waited, TimeDelta::hours(26));
        let none: Both = serde_json::from_str(r#"{"waited_secs":0}"#).unwrap();
        assert_eq!(none.late_by, None);
        assert!(serde_json::from_str::<Both>(r#"{"waited_secs":9223372036854775807}"#).is_err());
        assert!(serde_json::from_str::<Both>(r#"{"waited_secs":1.5}"#).is_err());
    }
}
