//! What the planner returns: due items (each with the obligations it satisfies) and
//! explanations of what is not due or was suppressed.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::FieldPath;
use crate::model::{AccountId, Channel, PersonId, Rule, UserId};

use crate::codes::stable_codes;

stable_codes! {
    /// The kind of an obligation that has come due, with its stable code and rule.
    /// In JSON, the code string.
    ObligationKind, "obligation kind" {
        /// C1: no qualifying touch within the interval.
        Touch => "cadence.touch_due", C1;
        /// K1: a quiet account's tightened touch, on an escalated channel.
        QuietTouch => "cadence.quiet_touch_due", K1;
        /// C2: no face-to-face meeting within the month or quarter.
        FaceToFace => "cadence.face_to_face_due", C2;
        /// C3: a key person not touched within their own cadence.
        KeyPerson => "cadence.key_person_due", C3;
        /// C3: too few distinct key roles touched this quarter; this person's role is missing.
        KeyRoleMissing => "cadence.key_role_missing", C3;
        /// C4: the follow-up call after a completed order.
        FollowUpCall => "cadence.follow_up_call_due", C4;
        /// C5: the monthly record review (an internal task, no customer contact).
        RecordReview => "cadence.record_review_due", C5;
        /// C5: a reminder ahead of a unit's next service.
        MaintenanceReminder => "cadence.maintenance_reminder_due", C5;
        /// C6: a birthday note.
        BirthdayNote => "cadence.birthday_note_due", C6;
        /// C6: a thank-you note after the first order.
        ThankYouNote => "cadence.thank_you_note_due", C6;
        /// C7: a manager's call after an unhappy survey, until a conversation happens.
        RecoveryCall => "cadence.recovery_call_due", C7;
        /// C8: the next service is not planned after a completed order.
        PlanNextService => "cadence.plan_next_service_due", C8;
        /// C9: a discovery conversation about the customer's business (goals,
        /// frustrations, next objective): none on record, or not refreshed in a while.
        Discovery => "cadence.discovery_due", C9;
    }
}

impl ObligationKind {
    /// The short tag used in occurrence keys (`C1`, `C5u`, ...), stable like the code.
    pub const fn tag(self) -> &'static str {
        match self {
            ObligationKind::Touch => "C1",
            ObligationKind::QuietTouch => "K1",
            ObligationKind::FaceToFace => "C2",
            ObligationKind::KeyPerson => "C3",
            ObligationKind::KeyRoleMissing => "C3r",
            ObligationKind::FollowUpCall => "C4",
            ObligationKind::RecordReview => "C5",
            ObligationKind::MaintenanceReminder => "C5u",
            ObligationKind::BirthdayNote => "C6b",
            ObligationKind::ThankYouNote => "C6t",
            ObligationKind::RecoveryCall => "C7",
            ObligationKind::PlanNextService => "C8",
            ObligationKind::Discovery => "C9",
        }
    }
}

stable_codes! {
    /// Why something is not in the plan, or is in it differently than asked. In JSON,
    /// the code string.
    ExplanationCode, "explanation code" {
        /// The obligation is not due within the horizon (only with `explain_not_due`).
        NotDue => "cadence.not_due";
        /// The obligation was met by a touch, a plan or a review (only with `explain_not_due`).
        Satisfied => "cadence.satisfied";
        /// Nobody at the account may be contacted on any channel the obligation accepts.
        DoNotContact => "cadence.do_not_contact";
        /// Caps, the minimum gap or the rep's capacity push the item past the horizon.
        Deferred => "cadence.deferred";
        /// The account has fewer key roles on file than the quarterly minimum (C3).
        TooFewKeyPeople => "cadence.too_few_key_people";
        /// A date-bound touch (a thank-you note, a birthday note) was not done by its
        /// day: it lapsed, noted once as missed (for `personal.missed_noted_for`), never
        /// a growing overdue count.
        Missed => "cadence.missed";
        /// A cap, the minimum gap or the rep's capacity moved an item to a later day of
        /// the horizon: which item, to which day, and which limit.
        Moved => "cadence.moved";
    }
}

/// How urgent a due item is. In JSON, the snake_case name. Ordered: `urgent` is the
/// greatest.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Internal housekeeping (a record review).
    Low,
    /// A regular obligation on time.
    Normal,
    /// Overdue, a quiet customer (K1), or a follow-up call after a visit (C4).
    High,
    /// An unhappy customer waiting for a manager's call (C7).
    Urgent,
}

impl Priority {
    /// The priority's name, as in JSON (and its `Display`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }
}

crate::codes::display_as_str!(Priority);

/// One obligation that has come due (or will within the horizon), with where it comes
/// from and why.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Obligation {
    /// What is due, with its code.
    pub kind: ObligationKind,
    /// The rule it serves.
    pub rule: Rule,
    /// Its stable occurrence key, `TAG:account:person-or-dash:subject` (documented in
    /// the module docs); the same input gives the same key.
    pub key: String,
    /// The last date it may be done on (the deadline).
    pub due_on: NaiveDate,
    /// The first date doing it counts.
    pub window_from: NaiveDate,
    /// The input field it comes from (`accounts[3]`, `orders[2].completed_at`).
    pub path: FieldPath,
    /// Why, with the actual numbers.
    pub sentence: String,
}

/// One thing to do for one person (or account) on one day: one or more obligations that
/// a single touch satisfies together.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct DueItem {
    /// Stable occurrence key: the obligations' tags joined by `+`, then account, person
    /// (or `-`) and deadline, such as `C1+C2:a-7:p-12:2026-11-24`.
    pub key: String,
    /// The account.
    pub account: AccountId,
    /// The person to reach; `None` for an internal task or an account with no people.
    pub person: Option<PersonId>,
    /// The rep who owns the account (`Account::owner`); `None` is the shared pool.
    pub rep: Option<UserId>,
    /// The channel to use; `None` for an internal task (a record review).
    pub channel: Option<Channel>,
    /// The deadline: the earliest of the obligations' due dates.
    pub due_on: NaiveDate,
    /// The first date the touch counts for all of them.
    pub window_from: NaiveDate,
    /// The business day the item is planned for, after caps and levelling.
    pub planned_on: NaiveDate,
    /// From when on `planned_on` the person may be contacted (after their quiet hours,
    /// in their time zone).
    pub contact_from: DateTime<Utc>,
    /// Until when on `planned_on` (their quiet hours begin).
    pub contact_until: DateTime<Utc>,
    /// Days past the deadline as of `now` (0 when not overdue).
    pub days_overdue: u32,
    /// Every rule satisfied by doing it, sorted.
    pub rules: Vec<Rule>,
    /// How urgent it is.
    pub priority: Priority,
    /// Whether a manager must make it (C7).
    pub by_manager: bool,
    /// The obligations it satisfies.
    pub obligations: Vec<Obligation>,
    /// One sentence for the rep.
    pub sentence: String,
}

/// Why an obligation is not in the plan, or was suppressed.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Explanation {
    /// The reason, with its code.
    pub code: ExplanationCode,
    /// The rule concerned.
    pub rule: Rule,
    /// The obligation's occurrence key (or the account's, for `too_few_key_people`).
    pub key: String,
    /// The account.
    pub account: AccountId,
    /// The person, when one is concerned.
    pub person: Option<PersonId>,
    /// The input field concerned.
    pub path: FieldPath,
    /// Why, with the actual numbers.
    pub sentence: String,
}

/// The plan for `now` and the horizon.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Plan {
    /// The instant planned from.
    pub now: DateTime<Utc>,
    /// Today in the business's calendar.
    pub today: NaiveDate,
    /// The last date of the horizon.
    pub through: NaiveDate,
    /// Due items, by planned date, then rep, deadline, priority (highest first) and key.
    pub due: Vec<DueItem>,
    /// Explanations, by account, then key, then code.
    pub explanations: Vec<Explanation>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_tags_are_unique_stable_and_read_back() {
        let mut seen = std::collections::HashSet::new();
        for k in ObligationKind::ALL {
            assert!(seen.insert(k.code()), "{}", k.code());
            assert!(seen.insert(k.tag()), "{}", k.tag());
            assert!(k.code().starts_with("cadence."));
            assert_eq!(ObligationKind::from_code(k.code()), Some(*k));
            let json = serde_json::to_string(k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.code()));
            assert_eq!(serde_json::from_str::<ObligationKind>(&json).unwrap(), *k);
        }
        for e in ExplanationCode::ALL {
            assert!(seen.insert(e.code()), "{}", e.code());
            assert_eq!(ExplanationCode::from_code(e.code()), Some(*e));
        }
        assert!(serde_json::from_str::<ExplanationCode>("\"cadence.nope\"").is_err());
        assert_eq!(ObligationKind::Touch.rule(), Rule::C1);
        assert_eq!(ObligationKind::QuietTouch.rule(), Rule::K1);
        assert_eq!(ObligationKind::PlanNextService.rule(), Rule::C8);
    }
}
