//! The ledger's input records: promises and the events that happen to them.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::policy::Clock;
use crate::model::flat::{Instant, Slot};
use crate::model::{AccountId, Outcome, PersonId, PromiseId, Span, UserId};

/// What was promised. Tagged by `kind` in JSON: `{"kind": "callback"}`,
/// `{"kind": "custom", "label": "loaner unit"}`.
///
/// Reading is strict: a field that does not belong to the kind is refused, even as `null`
/// (`{"kind": "callback", "label": null}`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "KindRepr")]
// The schema is the tagged shape itself, strict as the flat reader is.
#[cfg_attr(feature = "schemars", schemars(!try_from, deny_unknown_fields))]
pub enum PromiseKind {
    /// "We'll call you back" (P1).
    Callback,
    /// "The technician will arrive between 8 and 10."
    ArrivalWindow,
    /// "You'll have the quote by Friday."
    QuoteBy,
    /// "The job will be finished by the 12th."
    CompletionBy,
    /// "I'll follow up next week."
    FollowUp,
    /// Anything else, named by the host.
    Custom {
        /// The host's name for it.
        label: String,
    },
}

impl PromiseKind {
    /// The snake_case name of the kind, as in JSON (`"custom"` for every custom label).
    pub fn as_str(&self) -> &'static str {
        match self {
            PromiseKind::Callback => "callback",
            PromiseKind::ArrivalWindow => "arrival_window",
            PromiseKind::QuoteBy => "quote_by",
            PromiseKind::CompletionBy => "completion_by",
            PromiseKind::FollowUp => "follow_up",
            PromiseKind::Custom { .. } => "custom",
        }
    }
}

/// The kind's JSON name, or a custom promise's own label: `callback`, `arrival_window`,
/// `warranty visit`.
impl std::fmt::Display for PromiseKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PromiseKind::Custom { label } => f.write_str(label),
            other => f.write_str(other.as_str()),
        }
    }
}

/// Who made a promise. Tagged by `kind` in JSON: `{"kind": "staff", "user": "u-ana"}`, or
/// `{"kind": "business"}` for a promise the business makes as a whole (a policy, a web
/// page, the implicit callback promise of P1).
///
/// Reading is strict: `user` only with `staff` (`{"kind": "business", "user": null}` is
/// refused).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "MadeByRepr")]
// The schema is the tagged shape itself, strict as the flat reader is.
#[cfg_attr(feature = "schemars", schemars(!try_from, deny_unknown_fields))]
pub enum MadeBy {
    /// A member of staff.
    Staff {
        /// Who.
        user: UserId,
    },
    /// The business as a whole.
    Business,
}

impl MadeBy {
    /// The kind, as in JSON's `kind` (`"staff"`, `"business"`).
    pub const fn as_str(&self) -> &'static str {
        match self {
            MadeBy::Staff { .. } => "staff",
            MadeBy::Business => "business",
        }
    }
}

/// The kind, and for staff the user: `staff u-ana`, `business`.
impl std::fmt::Display for MadeBy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MadeBy::Staff { user } => write!(f, "staff {user}"),
            MadeBy::Business => f.write_str(self.as_str()),
        }
    }
}

/// The flat shapes the tagged enums with unit variants are read through, so a field
/// that does not belong to the kind is refused, even as `null` (serde would drop it).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KindRepr {
    kind: KindName,
    #[serde(default)]
    label: Slot<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum KindName {
    Callback,
    ArrivalWindow,
    QuoteBy,
    CompletionBy,
    FollowUp,
    Custom,
}

impl TryFrom<KindRepr> for PromiseKind {
    type Error = &'static str;
    fn try_from(r: KindRepr) -> Result<PromiseKind, Self::Error> {
        Ok(match (r.kind, r.label) {
            (KindName::Custom, Slot::Given(label)) => PromiseKind::Custom { label },
            (KindName::Custom, Slot::Absent) => {
                return Err("a promise of kind `custom` needs a `label`");
            }
            (KindName::Custom, Slot::Null) => {
                return Err("a promise of kind `custom` needs a `label`, not `null`");
            }
            (_, Slot::Null | Slot::Given(_)) => {
                return Err(
                    "only a promise of kind `custom` has a `label`; another kind may not \
                     name one, not even as `null`",
                );
            }
            (KindName::Callback, Slot::Absent) => PromiseKind::Callback,
            (KindName::ArrivalWindow, Slot::Absent) => PromiseKind::ArrivalWindow,
            (KindName::QuoteBy, Slot::Absent) => PromiseKind::QuoteBy,
            (KindName::CompletionBy, Slot::Absent) => PromiseKind::CompletionBy,
            (KindName::FollowUp, Slot::Absent) => PromiseKind::FollowUp,
        })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MadeByRepr {
    kind: MakerName,
    #[serde(default)]
    user: Slot<UserId>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum MakerName {
    Staff,
    Business,
}

impl TryFrom<MadeByRepr> for MadeBy {
    type Error = &'static str;
    fn try_from(r: MadeByRepr) -> Result<MadeBy, Self::Error> {
        match (r.kind, r.user) {
            (MakerName::Staff, Slot::Given(user)) => Ok(MadeBy::Staff { user }),
            (MakerName::Staff, Slot::Absent) => Err("a maker of kind `staff` needs a `user`"),
            (MakerName::Staff, Slot::Null) => {
                Err("a maker of kind `staff` needs a `user`, not `null`")
            }
            (MakerName::Business, Slot::Absent) => Ok(MadeBy::Business),
            (MakerName::Business, Slot::Null | Slot::Given(_)) => Err(
                "only a maker of kind `staff` has a `user`; a maker of kind `business` may \
                 not name one, not even as `null`",
            ),
        }
    }
}

/// When a promise is due. Tagged by `kind` in JSON:
///
/// ```json
/// {"kind": "at", "at": "2026-11-27T17:00:00Z"}
/// {"kind": "window", "earliest": "2026-11-27T14:00:00Z", "latest": "2026-11-27T16:00:00Z"}
/// {"kind": "within", "span": {"hours": 24}}
/// ```
///
/// `within` is counted from when the promise was made (or, in a renegotiation, from the
/// renegotiation) on the promise's [`Clock`].
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "DueRepr")]
// The schema is the tagged shape itself, strict as the flat reader is.
#[cfg_attr(feature = "schemars", schemars(!try_from, deny_unknown_fields))]
pub enum Due {
    /// By this instant.
    At {
        /// The deadline.
        #[serde(deserialize_with = "crate::model::wire::instant")]
        at: DateTime<Utc>,
    },
    /// Within this window, both ends included.
    Window {
        /// Not before (delivering earlier is "kept early").
        #[serde(deserialize_with = "crate::model::wire::instant")]
        earliest: DateTime<Utc>,
        /// Not after.
        #[serde(deserialize_with = "crate::model::wire::instant")]
        latest: DateTime<Utc>,
    },
    /// Within this length of time.
    Within {
        /// The length, on the promise's clock.
        span: Span,
    },
}

/// The flat shape a [`Due`] is read through (see `crate::model::flat`): serde's
/// internally tagged reader buffers the object whole before it looks at the kind.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DueRepr {
    kind: DueKind,
    #[serde(default)]
    at: Slot<Instant>,
    #[serde(default)]
    earliest: Slot<Instant>,
    #[serde(default)]
    latest: Slot<Instant>,
    #[serde(default)]
    span: Slot<Span>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum DueKind {
    At,
    Window,
    Within,
}

impl TryFrom<DueRepr> for Due {
    type Error = &'static str;
    fn try_from(r: DueRepr) -> Result<Due, Self::Error> {
        use Slot::{Absent, Given};
        match (r.kind, r.at, r.earliest, r.latest, r.span) {
            (DueKind::At, Given(Instant(at)), Absent, Absent, Absent) => Ok(Due::At { at }),
            (DueKind::Window, Absent, Given(Instant(earliest)), Given(Instant(latest)), Absent) => {
                Ok(Due::Window { earliest, latest })
            }
            (DueKind::Within, Absent, Absent, Absent, Given(span)) => Ok(Due::Within { span }),
            _ => Err(
                "a due takes exactly the fields of its kind: `at` for at, `earliest` and \
                 `latest` for window, `span` for within (a field of another kind is refused \
                 even as `null`, and a field of its own kind may not be `null`)",
            ),
        }
    }
}

/// Whether more of a scope is better for the customer (hours of cover, units serviced) or
/// worse (a price, a number of visits needed). In JSON `"better"` or `"worse"`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MoreIs {
    /// Delivering more than promised exceeds the promise.
    #[default]
    Better,
    /// Delivering more than promised falls short of it (a higher price than quoted).
    Worse,
}

impl MoreIs {
    /// The reading's name, as in JSON (and its `Display`).
    pub const fn as_str(self) -> &'static str {
        match self {
            MoreIs::Better => "better",
            MoreIs::Worse => "worse",
        }
    }
}

crate::codes::display_as_str!(MoreIs);

/// What was promised, as a quantity or level delivery can be compared to:
/// `{"amount": "4", "unit": "filters", "more_is": "better"}` (`more_is` defaults to
/// `better`; the amount is a decimal string).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Scope {
    /// How much.
    pub amount: Decimal,
    /// Of what, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Which direction is "more".
    #[serde(default)]
    pub more_is: MoreIs,
}

impl Scope {
    /// A scope of `amount`, where more is better.
    pub fn new(amount: Decimal) -> Scope {
        Scope {
            amount,
            unit: None,
            more_is: MoreIs::Better,
        }
    }
}

/// A promise made to a customer.
///
/// ```json
/// {
///   "id": "pr-1", "kind": {"kind": "quote_by"},
///   "made_by": {"kind": "staff", "user": "u-ana"},
///   "account": "a-7", "person": "p-12",
///   "made_at": "2026-11-23T15:00:00Z",
///   "due": {"kind": "within", "span": {"hours": 16}},
///   "grace": {"hours": 1},
///   "scope": {"amount": "2", "unit": "options"},
///   "clock": "business"
/// }
/// ```
///
/// `person`, `grace`, `scope` and `clock` may be left out; without `clock` the policy's
/// clock for the kind applies, without `grace` the policy's default grace.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
// `CustomerPromise` in the schema: `Promise` is a TypeScript global.
#[cfg_attr(
    feature = "schemars",
    derive(schemars::JsonSchema),
    schemars(rename = "CustomerPromise")
)]
#[serde(deny_unknown_fields)]
pub struct Promise {
    /// The host's key for the promise.
    pub id: PromiseId,
    /// What was promised.
    pub kind: PromiseKind,
    /// Who promised it.
    pub made_by: MadeBy,
    /// The customer it was made to.
    pub account: AccountId,
    /// The person at the customer, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<PersonId>,
    /// When it was made.
    #[serde(deserialize_with = "crate::model::wire::instant")]
    pub made_at: DateTime<Utc>,
    /// When it is due.
    pub due: Due,
    /// Time after the due that still counts as "late within grace", not broken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grace: Option<Span>,
    /// What was promised, when it can be measured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
    /// The clock of the deadline, overriding the policy's clock for the kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clock: Option<Clock>,
}

impl Promise {
    /// A promise with its required fields; the rest empty.
    pub fn new(
        id: impl Into<PromiseId>,
        kind: PromiseKind,
        made_by: MadeBy,
        account: impl Into<AccountId>,
        made_at: DateTime<Utc>,
        due: Due,
    ) -> Promise {
        Promise {
            id: id.into(),
            kind,
            made_by,
            account: account.into(),
            person: None,
            made_at,
            due,
            grace: None,
            scope: None,
            clock: None,
        }
    }
}

/// How a change of target while a promise is open treats the time already spent. In
/// JSON the snake_case name.
///
/// Say a promise with a 16-hour target has used 6 hours when the target becomes 8 hours:
/// - `keep_elapsed`: the 6 hours stay spent; 2 hours remain from the change. If more time
///   was already spent than the new target allows, the promise is due at the change
///   (never retroactively late before it).
/// - `restart`: the new 8 hours start at the change.
/// - `recompute_from_start`: as if the new target had held from the start: due 8 hours
///   after it was made (pauses still excluded), which may already be in the past.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TargetRule {
    /// Time already spent stays spent.
    KeepElapsed,
    /// The new target starts at the change.
    Restart,
    /// The new target is measured from when the promise was made.
    RecomputeFromStart,
}

impl TargetRule {
    /// The JSON name (`"recompute_from_start"`); also what `Display` prints.
    ///
    /// ```
    /// use retention::promises::TargetRule;
    /// assert_eq!(TargetRule::RecomputeFromStart.as_str(), "recompute_from_start");
    /// assert_eq!(TargetRule::RecomputeFromStart.to_string(), "recompute_from_start");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            TargetRule::KeepElapsed => "keep_elapsed",
            TargetRule::Restart => "restart",
            TargetRule::RecomputeFromStart => "recompute_from_start",
        }
    }
}

crate::codes::display_as_str!(TargetRule);

/// What happened to a promise. Tagged by `kind` in JSON:
///
/// ```json
/// {"kind": "delivered", "scope": "4"}
/// {"kind": "renegotiated", "new_due": {"kind": "at", "at": "2026-11-28T17:00:00Z"},
///  "reason": "part back-ordered", "customer_agreed": true}
/// {"kind": "cancelled_by_customer", "reason": "sold the house"}
/// {"kind": "paused", "reason": "waiting for the customer's photos"}
/// {"kind": "resumed"}
/// {"kind": "attempt", "outcome": "no_answer"}
/// {"kind": "target_changed", "new_target": {"hours": 8}, "rule": "keep_elapsed"}
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum EventKind {
    /// The promise was delivered; `scope` is how much (left out: as promised).
    Delivered {
        /// The amount delivered, compared to the promise's scope.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        scope: Option<Decimal>,
    },
    /// The due time was renegotiated. Before the due time with the customer's agreement
    /// it is a new due, not a break; after the due time it is a break (P6); without the
    /// customer's agreement the old due stands.
    Renegotiated {
        /// The new due (`within` counts from the renegotiation).
        new_due: Due,
        /// Why, for people.
        reason: String,
        /// Whether the customer agreed.
        customer_agreed: bool,
    },
    /// The customer cancelled (P5): not a break, unless the promise had already failed.
    CancelledByCustomer {
        /// Why, for people.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// The clock stopped (waiting on the customer, a part on order).
    Paused {
        /// Why, for people.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// The clock started again. Reading refuses any field but `kind`.
    // A struct variant with no fields, `Resumed {}`, so that reading refuses stray fields.
    Resumed {},
    /// An attempt to deliver that did not (a call nobody answered, a locked gate).
    Attempt {
        /// How it ended.
        outcome: Outcome,
    },
    /// The target length changed while the promise was open (a priority raised).
    TargetChanged {
        /// The new length, on the promise's clock.
        new_target: Span,
        /// How time already spent is treated.
        rule: TargetRule,
    },
}

impl EventKind {
    /// The snake_case name of the kind, as in JSON.
    pub fn as_str(&self) -> &'static str {
        match self {
            EventKind::Delivered { .. } => "delivered",
            EventKind::Renegotiated { .. } => "renegotiated",
            EventKind::CancelledByCustomer { .. } => "cancelled_by_customer",
            EventKind::Paused { .. } => "paused",
            EventKind::Resumed {} => "resumed",
            EventKind::Attempt { .. } => "attempt",
            EventKind::TargetChanged { .. } => "target_changed",
        }
    }
}

crate::codes::display_as_str!(EventKind);

/// One event in the ledger, naming its promise:
/// `{"promise": "pr-1", "at": "2026-11-24T16:00:00Z", "event": {"kind": "delivered"}}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PromiseEvent {
    /// The promise it happened to.
    pub promise: PromiseId,
    /// When.
    #[serde(deserialize_with = "crate::model::wire::instant")]
    pub at: DateTime<Utc>,
    /// What.
    pub event: EventKind,
}

impl PromiseEvent {
    /// An event of `promise` at `at`.
    pub fn new(promise: impl Into<PromiseId>, at: DateTime<Utc>, event: EventKind) -> PromiseEvent {
        PromiseEvent {
            promise: promise.into(),
            at,
            event,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_due_reads_back_what_it_writes_and_takes_exactly_its_kinds_fields() {
        let at: DateTime<Utc> = "2026-11-27T17:00:00Z".parse().unwrap();
        let latest: DateTime<Utc> = "2026-11-27T19:00:00+02:00".parse().unwrap();
        for due in [
            Due::At { at },
            Due::Window {
                earliest: at,
                latest,
            },
            Due::Within {
                span: serde_json::from_value(json!({"hours": 24})).unwrap(),
            },
        ] {
            let text = serde_json::to_string(&due).unwrap();
            assert_eq!(serde_json::from_str::<Due>(&text).unwrap(), due, "{text}");
        }
        let offset: Due = serde_json::from_value(json!({"latest": "2026-11-27T19:00:00+02:00",
            "earliest": "2026-11-27T17:00:00Z", "kind": "window"}))
        .unwrap();
        assert_eq!(
            offset,
            Due::Window {
                earliest: at,
                latest
            }
        );
        for v in [
            json!({"kind": "at"}),
            json!({"kind": "at", "at": null}),
            json!({"kind": "at", "at": "2026-11-27T17:00:00Z", "span": null}),
            json!({"kind": "window", "earliest": "2026-11-27T17:00:00Z"}),
            json!({"kind": "window", "earliest": "2026-11-27T17:00:00Z",
                "latest": "2026-11-27T18:00:00Z", "at": null}),
            json!({"kind": "within"}),
            json!({"kind": "within", "span": {"hours": 24}, "latest": null}),
            json!({"kind": "soon"}),
            json!({"at": "2026-11-27T17:00:00Z"}),
        ] {
            assert!(serde_json::from_value::<Due>(v.clone()).is_err(), "{v}");
            assert!(serde_json::from_str::<Due>(&v.to_string()).is_err(), "{v}");
        }
    }
}
