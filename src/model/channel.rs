//! How the business and a customer reach each other, and each person's preferences.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::{ErrorKind, FieldPath, Problems};

/// A way of reaching a customer. In JSON, the snake_case name: `"phone"`, `"visit"`.
///
/// New channels may be added in minor releases; match with a wildcard arm.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// A phone call (answered, voicemail or unanswered).
    Phone,
    /// An email to or from one person.
    Email,
    /// A letter or a handwritten note.
    Letter,
    /// A newsletter or other message sent to many customers at once.
    Newsletter,
    /// A text message.
    Sms,
    /// Face to face: a site visit, a meeting, a hand-delivered report (C2).
    Visit,
    /// A message through the host's customer portal or web form.
    Portal,
}

impl Channel {
    /// Every channel, in declaration order.
    pub const ALL: &'static [Channel] = &[
        Channel::Phone,
        Channel::Email,
        Channel::Letter,
        Channel::Newsletter,
        Channel::Sms,
        Channel::Visit,
        Channel::Portal,
    ];

    /// The snake_case name used in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            Channel::Phone => "phone",
            Channel::Email => "email",
            Channel::Letter => "letter",
            Channel::Newsletter => "newsletter",
            Channel::Sms => "sms",
            Channel::Visit => "visit",
            Channel::Portal => "portal",
        }
    }

    /// Whether the channel meets the customer in person (C2).
    ///
    /// ```
    /// use retention::model::Channel;
    /// assert!(Channel::Visit.is_face_to_face());
    /// assert!(!Channel::Phone.is_face_to_face());
    /// ```
    pub const fn is_face_to_face(self) -> bool {
        matches!(self, Channel::Visit)
    }

    /// Whether a message on this channel goes to many customers at once rather than to
    /// one person.
    pub const fn is_broadcast(self) -> bool {
        matches!(self, Channel::Newsletter)
    }

    /// Whether the channel is a live conversation when it connects (phone, visit).
    pub const fn is_live(self) -> bool {
        matches!(self, Channel::Phone | Channel::Visit)
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A person's channel preferences: the channels they prefer, best first, and the ones
/// they asked not to be contacted on.
///
/// In JSON: `{"preferred": ["email", "phone"], "do_not_contact": ["sms"]}`; both lists
/// may be left out. A channel in both lists is refused with `model.channel_conflict`.
///
/// ```
/// use retention::model::{Channel, ChannelPreferences};
/// let prefs = ChannelPreferences {
///     preferred: vec![Channel::Sms, Channel::Phone],
///     do_not_contact: vec![Channel::Letter],
/// };
/// assert!(!prefs.may_contact(Channel::Letter));
/// assert!(prefs.may_contact(Channel::Email));
/// assert_eq!(prefs.preferred_channel(), Some(Channel::Sms));
/// // The best channel among those a rule accepts.
/// assert_eq!(prefs.best_of(&[Channel::Phone, Channel::Letter]), Some(Channel::Phone));
/// assert_eq!(prefs.best_of(&[Channel::Letter]), None);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schemars",
    derive(schemars::JsonSchema),
    schemars(transform = crate::json_schema::prose_only)
)]
#[serde(deny_unknown_fields)]
pub struct ChannelPreferences {
    /// Channels the person prefers, best first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub preferred: Vec<Channel>,
    /// Channels the person must not be contacted on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub do_not_contact: Vec<Channel>,
}

impl ChannelPreferences {
    /// Whether the business may contact the person on `channel`.
    pub fn may_contact(&self, channel: Channel) -> bool {
        !self.do_not_contact.contains(&channel)
    }

    /// The person's first preferred channel that is allowed, if they stated any.
    pub fn preferred_channel(&self) -> Option<Channel> {
        self.preferred
            .iter()
            .copied()
            .find(|c| self.may_contact(*c))
    }

    /// The best channel among `acceptable` (listed best first by the caller): the
    /// person's most preferred acceptable channel, else the first acceptable one they
    /// have not blocked; `None` when every acceptable channel is blocked.
    pub fn best_of(&self, acceptable: &[Channel]) -> Option<Channel> {
        self.preferred
            .iter()
            .copied()
            .find(|c| acceptable.contains(c) && self.may_contact(*c))
            .or_else(|| acceptable.iter().copied().find(|c| self.may_contact(*c)))
    }

    pub(crate) fn check(&self, problems: &mut Problems) {
        for (i, c) in self.do_not_contact.iter().enumerate() {
            if self.preferred.contains(c) {
                problems.push(
                    ErrorKind::ChannelConflict,
                    FieldPath::root()
                        .field("channels")
                        .field("do_not_contact")
                        .index(i),
                    format!("{c} is both preferred and do-not-contact"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_names_match_json() {
        for &c in Channel::ALL {
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
            assert_eq!(serde_json::from_str::<Channel>(&json).unwrap(), c);
        }
        assert!(serde_json::from_str::<Channel>(r#""fax""#).is_err());
    }

    #[test]
    fn a_channel_both_preferred_and_blocked_is_a_conflict() {
        let prefs = ChannelPreferences {
            preferred: vec![Channel::Phone, Channel::Sms],
            do_not_contact: vec![Channel::Letter, Channel::Sms],
        };
        let mut p = Problems::new();
        prefs.check(&mut p);
        let e = p.finish().unwrap_err();
        assert_eq!(e.code(), "model.channel_conflict");
        assert_eq!(e.path().as_str(), "channels.do_not_contact[1]");
        // A blocked preference is skipped, never chosen.
        assert_eq!(prefs.preferred_channel(), Some(Channel::Phone));
    }
}
