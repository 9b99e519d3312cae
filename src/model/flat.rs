//! The flat shapes some tagged enums are read through: one struct with every field of
//! every kind, then a check that the kind got exactly its own fields.
//!
//! serde reads a missing `Option` field and a `null` one alike, so a flat reader built
//! on `Option` would take `{"kind": "customer", "user": null}` for a customer. A [`Slot`]
//! tells the two apart, so a field that does not belong to the kind is refused even when
//! it is `null`, as the JSON Schema refuses it.

use serde::{Deserialize, Deserializer};

/// A field of a flat shape: left out, `null`, or given.
///
/// Read it with `#[serde(default)]`: a field left out is [`Slot::Absent`].
#[derive(Debug, Default)]
pub(crate) enum Slot<T> {
    /// The field is not in the JSON.
    #[default]
    Absent,
    /// The field is there, as `null`.
    Null,
    /// The field is there, with a value.
    Given(T),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Slot<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Only called for a field that is present; `null` reads as `None`.
        Option::<T>::deserialize(d).map(|v| v.map_or(Slot::Null, Slot::Given))
    }
}

/// An instant in a flat shape, read as the records' other instants are
/// (`crate::model::wire::instant`).
pub(crate) struct Instant(pub(crate) chrono::DateTime<chrono::Utc>);

impl<'de> Deserialize<'de> for Instant {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        super::wire::instant(d).map(Instant)
    }
}

/// A date in a flat shape, read as the records' other dates are
/// (`crate::model::wire::date`).
pub(crate) struct Date(pub(crate) chrono::NaiveDate);

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        super::wire::date(d).map(Date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Shape {
        #[serde(default)]
        user: Slot<String>,
    }

    #[test]
    fn absent_null_and_given_are_told_apart() {
        let read = |json: &str| serde_json::from_str::<Shape>(json).unwrap().user;
        assert!(matches!(read("{}"), Slot::Absent));
        assert!(matches!(read(r#"{"user": null}"#), Slot::Null));
        assert!(matches!(read(r#"{"user": "u-1"}"#), Slot::Given(u) if u == "u-1"));
        assert!(serde_json::from_str::<Shape>(r#"{"user": 7}"#).is_err());
    }
}
