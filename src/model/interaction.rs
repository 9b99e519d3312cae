//! Interactions: every call, email, letter, visit or message between the business and a
//! customer, and whether a message left behind carried value (P2).

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{AccountId, Channel, InteractionId, PersonId, UserId};
use crate::error::{Error, ErrorKind, FieldPath, Problems};

/// Which way an interaction went. In JSON: `"inbound"` or `"outbound"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From the customer to the business.
    Inbound,
    /// From the business to the customer.
    Outbound,
}

/// Who started an interaction. Tagged by `kind` in JSON: `{"kind": "customer"}`,
/// `{"kind": "staff", "user": "u-ana"}`, `{"kind": "automated"}`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Party {
    /// Someone at the customer.
    Customer,
    /// A member of the business's staff.
    Staff {
        /// Who.
        user: UserId,
    },
    /// A system acting on its own: an auto-reply, a reminder, a bulk send. Automated
    /// messages are never a reply to a customer (P2).
    Automated,
}

/// How an interaction ended. In JSON, the snake_case name.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum MessageValue {
    /// "Sorry we missed you, call us back": phone tag, not a reply.
    None,
    /// The message answered the customer's question.
    AnsweredQuestion,
    /// The message gave a specific time the business is available.
    GaveSpecificTime {
        /// The time offered.
        available_at: DateTime<Utc>,
    },
    /// The message promised a call at a specific time (the promise ledger opens a new
    /// promise for it).
    PromisedCallAt {
        /// When the business will call.
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
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    pub at: DateTime<Utc>,
    /// How.
    pub channel: Channel,
    /// Which way.
    pub direction: Direction,
    /// Who started it.
    pub initiated_by: Party,
    /// How it ended.
    pub outcome: Outcome,
    /// For [`Outcome::LeftMessage`], whether the message carried value. Left out means
    /// unknown, and counts as no value.
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

    /// Whether the interaction got something of value across (P2): a live conversation,
    /// a delivered written message, or a left message that carried value. Tag, silence
    /// and bounces carry nothing; neither does an automated message.
    pub fn carries_value(&self) -> bool {
        if self.initiated_by == Party::Automated {
            return false;
        }
        match self.outcome {
            Outcome::Connected | Outcome::Delivered => true,
            Outcome::LeftMessage => self
                .message_value
                .as_ref()
                .is_some_and(MessageValue::carries_value),
            Outcome::NoAnswer | Outcome::Bounced => false,
        }
    }

    /// Whether the interaction counts as the business touching the customer (C1): it
    /// [carried value](Self::carries_value), and it went out from the business or was a
    /// live conversation. A customer's own request that nobody has answered yet is not a
    /// touch. A cadence policy decides which channels qualify.
    pub fn is_touch(&self) -> bool {
        self.carries_value()
            && (self.direction == Direction::Outbound || self.outcome == Outcome::Connected)
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
    /// `left_message`), `model.date_order` (`message_value.call_at` or
    /// `message_value.available_at` before the message was left).
    pub fn validate(&self) -> Result<(), Error> {
        let mut problems = Problems::new();
        self.check(&mut problems);
        problems.finish()
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
        if self.outcome != Outcome::LeftMessage {
            problems.push(
                ErrorKind::MessageValueMismatch,
                FieldPath::root().field("message_value"),
                "a message value was given but the outcome is not left_message",
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
        assert!(!bot.carries_value(), "an auto-reply is not a reply");
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
