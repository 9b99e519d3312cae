//! A verdict's facts as typed data: [`Args`], a list of named [`Arg`]s.

use std::borrow::Cow;
use std::fmt;
use std::hash::{Hash, Hasher};

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use chrono_tz::Tz;
use compact_str::CompactString;
use rust_decimal::Decimal;
use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::model::{Channel, Rule, Span};

/// One fact of a verdict, typed so that a host can render it in its own language and
/// format (a date as "24 nov 2026", a duration as "3 días").
///
/// In JSON each argument is an object with one key, its type, and the value in the
/// crate's usual form:
///
/// | variant | JSON | meaning |
/// | --- | --- | --- |
/// | `Instant` | `{"instant": "2026-11-24T20:05:00Z"}` | a moment, RFC 3339 in UTC; render it in the `zone` argument's zone when there is one |
/// | `Date` | `{"date": "2026-11-24"}` | a calendar date in the business's (or the person's) calendar |
/// | `Duration` | `{"duration": 93600}` | a length of time in **whole seconds** (negative: before) |
/// | `Count` | `{"count": 3}` | a whole number of things; the argument's name says of what (`days_overdue`, `attempts`) |
/// | `Number` | `{"number": 0.42}` | a measured quantity (a probability, a ratio, a share) |
/// | `Amount` | `{"amount": "1250.00"}` | an exact decimal amount, as a string; the `currency` argument (a `term`) names its currency |
/// | `Id` | `{"id": "o-17"}` | a record's id, as the host gave it |
/// | `Name` | `{"name": "Oak Ridge HOA"}` | a record's display name, as the host gave it |
/// | `Term` | `{"term": "decision_maker"}` | a word of the crate's vocabulary: an enum value's JSON name (a role, a status, a kind of promise) |
/// | `Rule` | `{"rule": "C4"}` | a rule of the practice |
/// | `Channel` | `{"channel": "phone"}` | a contact channel |
/// | `Span` | `{"span": {"days": 28}}` | a policy length, as the policy states it |
/// | `Zone` | `{"zone": "America/Chicago"}` | the IANA time zone the verdict's instants are shown in |
/// | `Flag` | `{"flag": true}` | a yes-or-no fact that changes the wording |
/// | `Text` | `{"text": "Replace filter"}` | the host's own words, quoted (at most [`QUOTE_MAX`](crate::QUOTE_MAX) bytes where the crate cut it) |
/// | `List` | `{"list": [{"id": "p-1"}, {"id": "p-2"}]}` | several facts of one kind |
#[non_exhaustive]
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Arg {
    /// A moment, in UTC.
    Instant(DateTime<Utc>),
    /// A calendar date.
    Date(NaiveDate),
    /// A length of time; in JSON, whole seconds.
    Duration(
        #[serde(with = "crate::model::secs")]
        #[cfg_attr(feature = "schemars", schemars(with = "i64"))]
        TimeDelta,
    ),
    /// A whole number of things.
    Count(i64),
    /// A measured quantity.
    Number(f64),
    /// An exact decimal amount.
    Amount(Decimal),
    /// A record's id.
    Id(
        #[cfg_attr(feature = "schemars", schemars(schema_with = "crate::json_schema::id"))]
        CompactString,
    ),
    /// A record's display name.
    Name(String),
    /// A word of the crate's vocabulary (an enum value's JSON name).
    Term(Cow<'static, str>),
    /// A rule of the practice.
    Rule(Rule),
    /// A contact channel.
    Channel(Channel),
    /// A policy length.
    Span(Span),
    /// An IANA time zone, by name (see [`Arg::zone`]).
    Zone(#[cfg_attr(feature = "schemars", schemars(with = "String"))] CompactString),
    /// A yes-or-no fact.
    Flag(bool),
    /// The host's own words, quoted.
    Text(String),
    /// Several facts of one kind.
    List(Vec<Arg>),
}

impl Arg {
    /// A record's id (any of the crate's id types, or text).
    pub fn id(id: impl AsRef<str>) -> Arg {
        Arg::Id(CompactString::from(id.as_ref()))
    }

    /// A word of the crate's vocabulary.
    pub fn term(word: &'static str) -> Arg {
        Arg::Term(Cow::Borrowed(word))
    }

    /// A time zone.
    pub fn zone(zone: Tz) -> Arg {
        Arg::Zone(CompactString::from(zone.name()))
    }

    /// The time zone of a [`Zone`](Arg::Zone) argument, if its name is one.
    pub fn as_zone(&self) -> Option<Tz> {
        match self {
            Arg::Zone(name) => name.parse().ok(),
            _ => None,
        }
    }

    /// A count from any integer (saturating at `i64`'s bounds).
    pub fn count(n: impl TryInto<i64>) -> Arg {
        Arg::Count(n.try_into().unwrap_or(i64::MAX))
    }
}

// Equality and hashing compare a number by its bits, so that verdicts holding arguments
// stay `Eq` and `Hash` (the crate never makes a NaN argument).
impl PartialEq for Arg {
    fn eq(&self, other: &Arg) -> bool {
        use Arg::*;
        match (self, other) {
            (Instant(a), Instant(b)) => a == b,
            (Date(a), Date(b)) => a == b,
            (Duration(a), Duration(b)) => a == b,
            (Count(a), Count(b)) => a == b,
            (Number(a), Number(b)) => a.to_bits() == b.to_bits(),
            (Amount(a), Amount(b)) => a == b,
            (Id(a), Id(b)) => a == b,
            (Name(a), Name(b)) | (Text(a), Text(b)) => a == b,
            (Term(a), Term(b)) => a == b,
            (Rule(a), Rule(b)) => a == b,
            (Channel(a), Channel(b)) => a == b,
            (Span(a), Span(b)) => a == b,
            (Zone(a), Zone(b)) => a == b,
            (Flag(a), Flag(b)) => a == b,
            (List(a), List(b)) => a == b,
            _ => false,
        }
    }
}

impl Eq for Arg {}

impl Hash for Arg {
    fn hash<H: Hasher>(&self, h: &mut H) {
        std::mem::discriminant(self).hash(h);
        match self {
            Arg::Instant(t) => t.hash(h),
            Arg::Date(d) => d.hash(h),
            Arg::Duration(d) => d.hash(h),
            Arg::Count(n) => n.hash(h),
            Arg::Number(x) => x.to_bits().hash(h),
            Arg::Amount(a) => a.hash(h),
            Arg::Id(s) => s.hash(h),
            Arg::Name(s) | Arg::Text(s) => s.hash(h),
            Arg::Term(s) => s.hash(h),
            Arg::Rule(r) => r.hash(h),
            Arg::Channel(c) => c.hash(h),
            Arg::Span(s) => s.hash(h),
            Arg::Zone(z) => z.hash(h),
            Arg::Flag(b) => b.hash(h),
            Arg::List(v) => v.hash(h),
        }
    }
}

/// The facts of one verdict: named, typed arguments, in the order the sentence uses
/// them. Every verdict a host may show carries its `code` and its `args`; the English
/// `sentence` beside them is rendered from these alone (by [`english`](super::english)),
/// so a host can write its own language from the code and the arguments. Each code's
/// arguments are listed in its engine's code table.
///
/// In JSON, an object from each argument's name to its [`Arg`]:
/// `{"order": {"id": "o-1"}, "completed_on": {"date": "2026-04-27"}}`. An optional fact
/// that is absent has no entry.
///
/// ```
/// use retention::chrono::NaiveDate;
/// use retention::text::{Arg, Args};
///
/// let args = Args::new()
///     .with("order", Arg::id("o-1"))
///     .with("completed_on", Arg::Date(NaiveDate::from_ymd_opt(2026, 4, 27).unwrap()));
/// assert_eq!(args.get("order"), Some(&Arg::id("o-1")));
/// assert_eq!(
///     serde_json::to_string(&args)?,
///     r#"{"order":{"id":"o-1"},"completed_on":{"date":"2026-04-27"}}"#
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Args(Vec<(Cow<'static, str>, Arg)>);

impl Args {
    /// No arguments.
    pub const fn new() -> Args {
        Args(Vec::new())
    }

    /// These arguments and `name`, set to `arg` (replacing an argument of that name).
    #[must_use]
    pub fn with(mut self, name: &'static str, arg: Arg) -> Args {
        self.set(name, arg);
        self
    }

    /// These arguments and `name` set to `arg` when there is one.
    #[must_use]
    pub fn with_opt(mut self, name: &'static str, arg: Option<Arg>) -> Args {
        if let Some(arg) = arg {
            self.set(name, arg);
        }
        self
    }

    /// Sets `name` to `arg`, replacing an argument of that name.
    pub fn set(&mut self, name: &'static str, arg: Arg) {
        match self.0.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = arg,
            None => self.0.push((Cow::Borrowed(name), arg)),
        }
    }

    /// The argument called `name`.
    pub fn get(&self, name: &str) -> Option<&Arg> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, a)| a)
    }

    /// Every argument, in order, with its name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Arg)> {
        self.0.iter().map(|(n, a)| (n.as_ref(), a))
    }

    /// How many arguments there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for Args {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (name, arg) in &self.0 {
            m.serialize_entry(name.as_ref(), arg)?;
        }
        m.end()
    }
}

impl<'de> Deserialize<'de> for Args {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Args, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Args;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of named arguments")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Args, M::Error> {
                let mut v = Vec::with_capacity(map.size_hint().unwrap_or(0).min(32));
                while let Some((name, arg)) = map.next_entry::<String, Arg>()? {
                    if v.iter().any(|(n, _): &(Cow<'static, str>, Arg)| *n == name) {
                        return Err(serde::de::Error::custom("an argument is given twice"));
                    }
                    v.push((Cow::Owned(name), arg));
                }
                Ok(Args(v))
            }
        }
        d.deserialize_map(V)
    }
}

#[cfg(feature = "schemars")]
impl schemars::JsonSchema for Args {
    fn schema_name() -> Cow<'static, str> {
        "Args".into()
    }

    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A verdict's facts: an object from each argument's name to its typed value (an `Arg`). The English sentence beside them is rendered from these alone.",
            "type": "object",
            "additionalProperties": g.subschema_for::<Arg>(),
        })
    }
}
