//! Interactions: every call, email, letter, visit or message between the business and a
//! customer, and whether a message left behind carried value (P2).

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::flat::Slot;
use super::{AccountId, Channel, InteractionId, PersonId, UserId};
use crate::error::{Error, ErrorKind, FieldPath, Problems};

/// Which way an interaction went. In JSON: `"inbound"` or `"outbound"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From the customer to the business.
    Inbound,
    /// From the business to the customer.
    Outbound,
}

/// Who started an interaction. Tagged by `kind` in JSON: `{"kind": "customer"}`,
/// `{"kind": "staff", "user": "u-ana"}`, `{"kind": "automated"}`.
///
/// Reading is strict: a field that does not belong to the kind (`{"kind": "customer",
/// "user": "u-1"}`, or `"user": null`) is refused rather than dropped.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "PartyRepr")]
// The schema is the tagged shape itself, strict as the flat reader is.
#[cfg_attr(feature = "schemars", schemars(!try_from, deny_unknown_fields))]
pub enum Party {
    /// Someone at the customer.
    Customer,
    /// A member of the business's staff.
    Staff {
        /// Who.
        user: UserId,
    },
    /// A system acting on its own: an auto-reply, an appointment reminder. An automated
    /// message can touch a customer (an automatic newsletter, C1) but is never a reply
    /// to one (P2).
    Automated,
}

impl Party {
    /// The kind of party, as in JSON's `kind` (`"customer"`, `"staff"`, `"automated"`).
    pub const fn as_str(&self) -> &'static str {
        match self {
            Party::Customer => "customer",
            Party::Staff { .. } => "staff",
            Party::Automated => "automated",
        }
    }
}

/// The kind, and for staff the user: `customer`, `staff u-ana`, `automated`.
impl fmt::Display for Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Party::Staff { user } => write!(f, "staff {user}"),
            other => f.write_str(other.as_str()),
        }
    }
}

/// How an interaction ended. In JSON, the snake_case name.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// A live conversation took place (a call answered, a visit, a chat).
    Connected,
    /// A message was left for the other side (voicemail, a note at the door).
    LeftMessage,
    /// Nobody answered and no message was left.
    NoAnswer,
    /// The message did not arrive (a bounced email, a returned letter, a dead number).
    Bounced,
    /// A written message (email, letter, text, newsletter, portal message) arrived.
    Delivered,
}

impl Outcome {
    /// The outcome's name, as in JSON (and its `Display`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Outcome::Connected => "connected",
            Outcome::LeftMessage => "left_message",
            Outcome::NoAnswer => "no_answer",
            Outcome::Bounced => "bounced",
            Outcome::Delivered => "delivered",
        }
    }
}

crate::codes::display_as_str!(Outcome);

/// Whether, and how, a message left for the customer carried value (P2). Tagged by
/// `kind` in JSON.
///
/// ```json
/// {"kind": "none"}
/// {"kind": "answered_question"}
/// {"kind": "gave_specific_time", "available_at": "2026-11-25T15:00:00Z"}
/// {"kind": "promised_call_at", "call_at": "2026-11-25T20:00:00Z"}
/// {"kind": "pointed_to_resource", "resource": "https://example.com/filters"}
/// ```
///
/// Reading is strict: each kind takes exactly its own fields (a field of another kind is
/// refused even as `null`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "MessageValueRepr")]
// The schema is the tagged shape itself, strict as the flat reader is.
#[cfg_attr(feature = "schemars", schemars(!try_from, deny_unknown_fields))]
pub enum MessageValue {
    /// "Sorry we missed you, call us back": phone tag, not a reply.
    None,
    /// The message answered the customer's question.
    AnsweredQuestion,
    /// The message gave a specific time the business is available.
    GaveSpecificTime {
        /// The time offered.
        #[serde(deserialize_with = "crate::model::wire::instant")]
        available_at: DateTime<Utc>,
    },
    /// The message promised a call at a specific time (the promise ledger opens a new
    /// promise for it).
    PromisedCallAt {
        /// When the business will call.
        #[serde(deserialize_with = "crate::model::wire::instant")]
        call_at: DateTime<Utc>,
    },
    /// The message pointed to a resource that answers the question.
    PointedToResource {
        /// What was pointed to: a link, a document, a name.
        resource: String,
    },
}

impl MessageValue {
    /// Whether the message carried value, i.e. was anything but [`MessageValue::None`].
    pub fn carries_value(&self) -> bool {
        !matches!(self, MessageValue::None)
    }

    /// The stable snake_case name of the kind, as in JSON.
    pub fn kind_str(&self) -> &'static str {
        match self {
            MessageValue::None => "none",
            MessageValue::AnsweredQuestion => "answered_question",
            MessageValue::GaveSpecificTime { .. } => "gave_specific_time",
            MessageValue::PromisedCallAt { .. } => "promised_call_at",
            MessageValue::PointedToResource { .. } => "pointed_to_resource",
        }
    }
}

/// The flat shape both tagged enums are read through, so a field that does not belong to
/// the kind is refused, even as `null` (serde's internally tagged unit variants would drop
/// it).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartyRepr {
    kind: PartyKind,
    #[serde(default)]
    user: Slot<UserId>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum PartyKind {
    Customer,
    Staff,
    Automated,
}

impl TryFrom<PartyRepr> for Party {
    type Error = &'static str;
    fn try_from(r: PartyRepr) -> Result<Party, Self::Error> {
        match (r.kind, r.user) {
            (PartyKind::Staff, Slot::Given(user)) => Ok(Party::Staff { user }),
            (PartyKind::Staff, Slot::Absent) => Err("a party of kind `staff` needs a `user`"),
            (PartyKind::Staff, Slot::Null) => {
                Err("a party of kind `staff` needs a `user`, not `null`")
            }
            (PartyKind::Customer, Slot::Absent) => Ok(Party::Customer),
            (PartyKind::Automated, Slot::Absent) => Ok(Party::Automated),
            (_, Slot::Null | Slot::Given(_)) => Err(
                "only a party of kind `staff` has a `user`; another kind may not name one, \
                 not even as `null`",
            ),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MessageValueRepr {
    kind: MessageValueKind,
    #[serde(default)]
    available_at: Slot<DateTime<Utc>>,
    #[serde(default)]
    call_at: Slot<DateTime<Utc>>,
    #[serde(default)]
    resource: Slot<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum MessageValueKind {
    None,
    AnsweredQuestion,
    GaveSpecificTime,
    PromisedCallAt,
    PointedToResource,
}

impl TryFrom<MessageValueRepr> for MessageValue {
    type Error = &'static str;
    fn try_from(r: MessageValueRepr) -> Result<MessageValue, Self::Error> {
        use MessageValueKind as K;
        use Slot::{Absent, Given};
        match (r.kind, r.available_at, r.call_at, r.resource) {
            (K::None, Absent, Absent, Absent) => Ok(MessageValue::None),
            (K::AnsweredQuestion, Absent, Absent, Absent) => Ok(MessageValue::AnsweredQuestion),
            (K::GaveSpecificTime, Given(available_at), Absent, Absent) => {
                Ok(MessageValue::GaveSpecificTime { available_at })
            }
            (K::PromisedCallAt, Absent, Given(call_at), Absent) => {
                Ok(MessageValue::PromisedCallAt { call_at })
            }
            (K::PointedToResource, Absent, Absent, Given(resource)) => {
                Ok(MessageValue::PointedToResource { resource })
            }
            _ => Err(
                "a message value takes exactly the fields of its kind: `available_at` for \
                 gave_specific_time, `call_at` for promised_call_at, `resource` for \
                 pointed_to_resource, none for the others (a field of another kind is \
                 refused even as `null`, and a field of its own kind may not be `null`)",
            ),
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
        })
    }
}

/// One interaction between the business and a customer.
///
/// In JSON (optional fields may be left out):
///
/// ```json
/// {
///   "id": "i-10", "account": "a-6", "person": "p-9", "at": "2026-11-16T16:20:00Z",
///   "channel": "phone", "direction": "outbound",
///   "initiated_by": {"kind": "staff", "user": "u-cho"},
///   "outcome": "left_message",
///   "message_value": {"kind": "promised_call_at", "call_at": "2026-11-24T20:00:00Z"},
///   "summary": "Will call Tuesday 2 pm about the filter contract"
/// }
/// ```
///
/// A voicemail that only tags the customer does not count as a reply (P2):
///
/// ```
/// use retention::model::{Interaction, MessageValue, Outcome};
///
/// let tag: Interaction = serde_json::from_str(r#"{
///     "id": "i-4", "account": "a-2", "person": "p-3", "at": "2026-11-24T14:10:00Z",
///     "channel": "phone", "direction": "outbound",
///     "initiated_by": {"kind": "staff", "user": "u-ben"},
///     "outcome": "left_message", "message_value": {"kind": "none"}
/// }"#)?;
/// tag.validate()?;
/// assert!(!tag.carries_value());
/// assert!(!tag.is_touch());
///
/// let mut useful = tag.clone();
/// useful.message_value = Some(MessageValue::AnsweredQuestion);
/// assert!(useful.carries_value() && useful.is_touch());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schemars",
    derive(schemars::JsonSchema),
    schemars(transform = crate::json_schema::prose_only)
)]
#[serde(deny_unknown_fields)]
pub struct Interaction {
    /// The host's key for the interaction.
    pub id: InteractionId,
    /// The account it was with.
    pub account: AccountId,
    /// The person at the account, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<PersonId>,
    /// When it happened.
    #[serde(deserialize_with = "crate::model::wire::instant")]
    pub at: DateTime<Utc>,
    /// How.
    pub channel: Channel,
    /// Which way.
    pub direction: Direction,
    /// Who started it.
    pub initiated_by: Party,
    /// How it ended.
    pub outcome: Outcome,
    /// For [`Outcome::LeftMessage`] or [`Outcome::Delivered`], whether the message
    /// carried value. Left out means unknown: no value for a left message, value for a
    /// delivered one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_value: Option<MessageValue>,
    /// A line for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

impl Interaction {
    /// An interaction with its required fields; the rest empty.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: impl Into<InteractionId>,
        account: impl Into<AccountId>,
        at: DateTime<Utc>,
        channel: Channel,
        direction: Direction,
        initiated_by: Party,
        outcome: Outcome,
    ) -> Interaction {
        Interaction {
            id: id.into(),
            account: account.into(),
            person: None,
            at,
            channel,
            direction,
            initiated_by,
            outcome,
            message_value: None,
            summary: None,
        }
    }

    /// A copy with everything the engines read: all but the
    /// [`summary`](Self::summary), a line for people that no engine looks at and the
    /// book's check leaves alone. When a host's lists are not in canonical order,
    /// [`Book::agenda`](crate::desk::Book::agenda) works on a sorted copy made of these,
    /// so the copy allocates nothing for the interactions' summaries. (A field added to
    /// `Interaction` must be named here, so whether the engines need it is decided when
    /// it is added.)
    pub(crate) fn engine_copy(&self) -> Interaction {
        Interaction {
            id: self.id.clone(),
            account: self.account.clone(),
            person: self.person.clone(),
            at: self.at,
            channel: self.channel,
            direction: self.direction,
            initiated_by: self.initiated_by.clone(),
            outcome: self.outcome,
            message_value: self.message_value.clone(),
            summary: None,
        }
    }

    /// Whether the interaction got something of value across (P2): a live conversation,
    /// or a message (left or delivered) that carried value. A written message delivered
    /// without a [`message_value`](Self::message_value) counts as carrying value; one
    /// marked [`MessageValue::None`] ("tried to reach you, call us back") does not, and
    /// neither does a left message of unknown value. No answer and bounces carry nothing.
    pub fn carries_value(&self) -> bool {
        match self.outcome {
            Outcome::Connected => true,
            Outcome::Delivered => self
                .message_value
                .as_ref()
                .is_none_or(MessageValue::carries_value),
            Outcome::LeftMessage => self
                .message_value
                .as_ref()
                .is_some_and(MessageValue::carries_value),
            Outcome::NoAnswer | Outcome::Bounced => false,
        }
    }

    /// Whether the interaction is the business replying to the customer (P1, P2): it
    /// went out from the business, a person sent it (an auto-reply is not a reply), and
    /// it [carried value](Self::carries_value).
    pub fn is_reply(&self) -> bool {
        !self.is_from_customer()
            && !matches!(self.initiated_by, Party::Automated)
            && self.carries_value()
    }

    /// Whether the interaction counts as the business touching the customer (C1): it
    /// [carried value](Self::carries_value), and it went out from the business or was a
    /// [live conversation](Self::is_conversation). A customer's own request that nobody
    /// has answered yet is not a touch; an automatic newsletter is. A cadence policy
    /// decides which channels qualify.
    pub fn is_touch(&self) -> bool {
        self.carries_value() && (self.direction == Direction::Outbound || self.is_conversation())
    }

    /// Whether a live conversation with the customer took place (C7 asks for one).
    pub fn is_conversation(&self) -> bool {
        self.outcome == Outcome::Connected && self.channel.is_live()
    }

    /// Whether the customer started it: an inbound interaction, or one the customer
    /// initiated.
    pub fn is_from_customer(&self) -> bool {
        self.direction == Direction::Inbound || self.initiated_by == Party::Customer
    }

    /// Checks the interaction on its own; every problem is reported at once.
    ///
    /// # Errors
    /// `model.empty_id` (`id`, `account`, `person`, `initiated_by.user`),
    /// `model.message_value_mismatch` (`message_value`, given for an outcome other than
    /// `left_message` or `delivered`), `model.date_order` (`message_value.call_at` or
    /// `message_value.available_at` before the message was left).
    pub fn validate(&self) -> Result<(), Error> {
        Problems::collect(|p| self.check(p))
    }

    pub(crate) fn check(&self, problems: &mut Problems) {
        self.id.check(|| FieldPath::root().field("id"), problems);
        self.account
            .check(|| FieldPath::root().field("account"), problems);
        if let Some(p) = &self.person {
            p.check(|| FieldPath::root().field("person"), problems);
        }
        if let Party::Staff { user } = &self.initiated_by {
            user.check(
                || FieldPath::root().field("initiated_by").field("user"),
                problems,
            );
        }
        let Some(value) = &self.message_value else {
            return;
        };
        if !matches!(self.outcome, Outcome::LeftMessage | Outcome::Delivered) {
            problems.push(
                ErrorKind::MessageValueMismatch,
                FieldPath::root().field("message_value"),
                "a message value was given but no message was left or delivered",
            );
        }
        let (field, when) = match value {
            MessageValue::GaveSpecificTime { available_at } => ("available_at", *available_at),
            MessageValue::PromisedCallAt { call_at } => ("call_at", *call_at),
            _ => return,
        };
        if when < self.at {
            problems.push(
                ErrorKind::DateOrder,
                FieldPath::root().field("message_value").field(field),
                format!("{when} is before the message was left ({})", self.at),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, h, 0, 0).unwrap()
    }

    fn call(outcome: Outcome) -> Interaction {
        Interaction::new(
            "i-1",
            "a-1",
            at(14),
            Channel::Phone,
            Direction::Outbound,
            Party::Staff {
                user: "u-ben".into(),
            },
            outcome,
        )
    }

    #[test]
    fn only_messages_with_value_count() {
        assert!(call(Outcome::Connected).carries_value());
        assert!(call(Outcome::Connected).is_conversation());
        assert!(!call(Outcome::NoAnswer).carries_value());
        assert!(!call(Outcome::Bounced).carries_value());
        let mut vm = call(Outcome::LeftMessage);
        assert!(!vm.carries_value(), "unknown value counts as none");
        vm.message_value = Some(MessageValue::None);
        assert!(!vm.carries_value());
        vm.message_value = Some(MessageValue::PromisedCallAt { call_at: at(20) });
        assert!(vm.carries_value());
        assert!(!vm.is_conversation());
        let mut request = call(Outcome::Delivered);
        request.direction = Direction::Inbound;
        request.initiated_by = Party::Customer;
        assert!(request.carries_value() && !request.is_touch());
        request.outcome = Outcome::Connected;
        assert!(
            request.is_touch(),
            "an inbound call answered is a conversation"
        );
        let mut bot = call(Outcome::Delivered);
        bot.initiated_by = Party::Automated;
        assert!(!bot.is_reply(), "an auto-reply is not a reply");
        bot.channel = Channel::Newsletter;
        assert!(
            bot.is_touch(),
            "an automatic newsletter still touches the customer"
        );
        let mut tag_by_email = call(Outcome::Delivered);
        tag_by_email.channel = Channel::Email;
        assert!(tag_by_email.is_reply());
        tag_by_email.message_value = Some(MessageValue::None);
        tag_by_email.validate().unwrap();
        assert!(!tag_by_email.carries_value(), "tag by email is still tag");
    }

    #[test]
    fn a_value_on_a_call_that_left_no_message_is_refused() {
        let mut c = call(Outcome::Connected);
        c.message_value = Some(MessageValue::AnsweredQuestion);
        let e = c.validate().unwrap_err();
        assert_eq!(e.code(), "model.message_value_mismatch");
        assert_eq!(e.path().as_str(), "message_value");
    }

    #[test]
    fn a_promised_call_before_the_message_is_refused() {
        let mut vm = call(Outcome::LeftMessage);
        vm.message_value = Some(MessageValue::PromisedCallAt { call_at: at(9) });
        let e = vm.validate().unwrap_err();
        assert_eq!(e.code(), "model.date_order");
        assert_eq!(e.path().as_str(), "message_value.call_at");
    }

    #[test]
    fn blank_ids_are_reported_with_paths() {
        let mut c = call(Outcome::Connected);
        c.initiated_by = Party::Staff { user: "".into() };
        c.person = Some("".into());
        let got: Vec<_> = c
            .validate()
            .unwrap_err()
            .problems()
            .iter()
            .map(|p| p.path().to_string())
            .collect();
        assert_eq!(got, ["person", "initiated_by.user"]);
    }

    #[test]
    fn a_field_that_does_not_belong_to_the_kind_is_refused() {
        for bad in [
            r#"{"kind": "customer", "user": "u-1"}"#,
            r#"{"kind": "automated", "user": "u-1"}"#,
            r#"{"kind": "staff"}"#,
            r#"{"kind": "robot"}"#,
            r#"{"kind": "customer", "user": null}"#,
            r#"{"kind": "automated", "user": null}"#,
            r#"{"kind": "staff", "user": null}"#,
        ] {
            assert!(serde_json::from_str::<Party>(bad).is_err(), "{bad}");
        }
        for bad in [
            r#"{"kind": "none", "call_at": "2026-11-24T20:00:00Z"}"#,
            r#"{"kind": "promised_call_at"}"#,
            r#"{"kind": "promised_call_at", "available_at": "2026-11-24T20:00:00Z"}"#,
            r#"{"kind": "answered_question", "note": "x"}"#,
            // A field of another kind is refused even as `null`, and a kind's own field
            // may not be `null`.
            r#"{"kind": "none", "call_at": null}"#,
            r#"{"kind": "answered_question", "resource": null}"#,
            r#"{"kind": "promised_call_at", "call_at": "2026-11-24T20:00:00Z", "resource": null}"#,
            r#"{"kind": "promised_call_at", "call_at": null}"#,
        ] {
            assert!(serde_json::from_str::<MessageValue>(bad).is_err(), "{bad}");
        }
        assert_eq!(
            serde_json::from_str::<Party>(r#"{"kind": "staff", "user": "u-1"}"#).unwrap(),
            Party::Staff { user: "u-1".into() }
        );
    }

    #[test]
    fn tagged_enums_round_trip() {
        let mut vm = call(Outcome::LeftMessage);
        vm.message_value = Some(MessageValue::PointedToResource {
            resource: "https://example.com/filters".into(),
        });
        let json = serde_json::to_value(&vm).unwrap();
        assert_eq!(
            json["initiated_by"],
            serde_json::json!({"kind": "staff", "user": "u-ben"})
        );
        assert_eq!(json["message_value"]["kind"], "pointed_to_resource");
        assert_eq!(json["outcome"], "left_message");
        let back: Interaction = serde_json::from_value(json).unwrap();
        assert_eq!(back, vm);
        assert_eq!(
            vm.message_value.as_ref().map(MessageValue::kind_str),
            Some("pointed_to_resource")
        );
    }
}
