//! Typed identifiers: one newtype per kind of record, so an account id cannot be passed
//! where a person id is expected.

use std::borrow::Borrow;
use std::fmt;

use compact_str::CompactString;
use serde::{Deserialize, Serialize};

use crate::error::{ErrorKind, FieldPath, Problems};

/// The most bytes an id may have (`model.id_too_long` past it): ids are keys, copied
/// into every verdict and line about their record, so a huge one would be copied
/// thousands of times.
pub const MAX_ID_LEN: usize = 256;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        ///
        /// Any non-blank string chosen by the host (a database key, a UUID). In JSON it is
        /// that string. A blank id is refused by validation with `model.empty_id`.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
        #[serde(transparent)]
        pub struct $name(
            #[cfg_attr(feature = "schemars", schemars(schema_with = "crate::json_schema::id"))]
            CompactString,
        );

        impl $name {
            #[doc = concat!("Wraps the host's key for ", $what, ".")]
            pub fn new(id: impl Into<String>) -> $name {
                $name(CompactString::from(id.into()))
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// `prefix` then `rest`, built in place: stored inline (no allocation, and
            /// none when cloned) when the two fit in 24 bytes, as an id read from JSON is.
            #[allow(dead_code)]
            pub(crate) fn joined(prefix: &str, rest: &str) -> $name {
                let mut id = CompactString::with_capacity(prefix.len().saturating_add(rest.len()));
                id.push_str(prefix);
                id.push_str(rest);
                $name(id)
            }

            /// The id as an owned string.
            pub fn into_string(self) -> String {
                self.0.into_string()
            }

            /// Records `model.empty_id` at `path` if the id is blank.
            // Promise ids are checked once the promise ledger lands.
            #[allow(dead_code)]
            #[inline]
            pub(crate) fn check(&self, path: impl FnOnce() -> FieldPath, problems: &mut Problems) {
                // A first byte that is printable ASCII (not a space) settles it without
                // scanning the id: this runs once per record of large books.
                let plainly_set = self.0.as_bytes().first().is_some_and(u8::is_ascii_graphic);
                if !plainly_set && self.0.trim().is_empty() {
                    problems.push(
                        ErrorKind::EmptyId,
                        path(),
                        concat!("the id of ", $what, " is blank"),
                    );
                } else if self.0.len() > MAX_ID_LEN {
                    problems.push(
                        ErrorKind::IdTooLong,
                        path(),
                        format!(
                            concat!("the id of ", $what, " is {} bytes long, more than the {} an id may have"),
                            self.0.len(),
                            MAX_ID_LEN
                        ),
                    );
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> $name {
                $name(CompactString::new(s))
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> $name {
                $name(CompactString::from(s))
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    };
}

id_type!(
    /// Identifies an [`Account`](super::Account): one customer (a household or a business).
    AccountId,
    "an account"
);
id_type!(
    /// Identifies a [`Person`](super::Person) at an account.
    PersonId,
    "a person"
);
id_type!(
    /// Identifies an [`Interaction`](super::Interaction).
    InteractionId,
    "an interaction"
);
id_type!(
    /// Identifies a [`SurveyResponse`](super::SurveyResponse).
    SurveyId,
    "a survey response"
);
id_type!(
    /// Identifies an [`InstalledUnit`](super::InstalledUnit).
    UnitId,
    "an installed unit"
);
id_type!(
    /// Identifies a member of the business's staff: a rep, a technician, a manager.
    UserId,
    "a member of staff"
);
id_type!(
    /// Identifies a service order (the order types arrive with the order-completeness
    /// engine; other records can already point at an order).
    OrderId,
    "a service order"
);
id_type!(
    /// Identifies a promise made to a customer (the promise types arrive with the promise
    /// ledger; other records can already point at a promise).
    PromiseId,
    "a promise"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_hash_and_order_like_their_strings() {
        use std::collections::{BTreeMap, HashMap};
        use std::hash::{BuildHasher, RandomState};
        // `Borrow<str>` promises the same hash and order as the string itself.
        let state = RandomState::new();
        for s in ["p-1", "a much longer id than twenty-four bytes", ""] {
            assert_eq!(state.hash_one(PersonId::new(s)), state.hash_one(s));
        }
        let map: HashMap<PersonId, u32> = [(PersonId::new("p-1"), 1)].into_iter().collect();
        assert_eq!(map.get("p-1"), Some(&1));
        let long = "a-".repeat(40);
        let tree: BTreeMap<AccountId, u32> = [
            (AccountId::new("a-10"), 10),
            (AccountId::new("a-9"), 9),
            (AccountId::new(long.clone()), 0),
        ]
        .into_iter()
        .collect();
        let keys: Vec<&str> = tree.keys().map(AccountId::as_str).collect();
        let mut sorted = vec!["a-10", "a-9", long.as_str()];
        sorted.sort();
        assert_eq!(keys, sorted);
        assert_eq!(AccountId::new(long.clone()).into_string(), long);
    }

    #[test]
    fn a_joined_id_is_its_parts_and_inline_when_short() {
        let short = PromiseId::joined("callback:", "i-0001234");
        assert_eq!(short.as_str(), "callback:i-0001234");
        assert!(!short.0.is_heap_allocated());
        assert!(!short.clone().0.is_heap_allocated());
        let long_rest = "i-".repeat(20);
        let long = PromiseId::joined("call_at:", &long_rest);
        assert_eq!(long, PromiseId::new(format!("call_at:{long_rest}")));
        assert_eq!(PromiseId::joined("", ""), PromiseId::new(""));
    }

    #[test]
    fn ids_are_plain_strings_in_json() {
        let id = AccountId::new("a-7");
        assert_eq!(serde_json::to_string(&id).unwrap(), r#""a-7""#);
        let back: AccountId = serde_json::from_str(r#""a-7""#).unwrap();
        assert_eq!(back, id);
        assert_eq!(back.as_str(), "a-7");
        assert_eq!(back.to_string(), "a-7");
    }

    #[test]
    fn a_blank_id_is_a_problem() {
        let mut p = Problems::new();
        PersonId::new("  ").check(|| FieldPath::root().field("id"), &mut p);
        PersonId::new("p-1").check(|| FieldPath::root().field("id"), &mut p);
        let e = p.finish().unwrap_err();
        assert_eq!(e.problems().len(), 1);
        assert_eq!(e.code(), "model.empty_id");
        assert_eq!(e.path().as_str(), "id");
    }
}
