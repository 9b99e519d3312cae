//! What the planner returns: due items (each with the obligations it satisfies) and
//! explanations of what is not due or was suppressed.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::error::FieldPath;
use crate::model::{AccountId, Channel, PersonId, Rule, UserId};
use crate::text::Args;

use crate::codes::stable_codes;

stable_codes! {
    /// The code of an obligation that has come due, with its stable code and rule.
    /// In JSON, the code string.
    ObligationCode, "obligation code" {
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

impl ObligationCode {
    /// The short tag used in occurrence keys (`C1`, `C5u`, ...), stable like the code.
    pub const fn tag(self) -> &'static str {
        match self {
            ObligationCode::Touch => "C1",
            ObligationCode::QuietTouch => "K1",
            ObligationCode::FaceToFace => "C2",
            ObligationCode::KeyPerson => "C3",
            ObligationCode::KeyRoleMissing => "C3r",
            ObligationCode::FollowUpCall => "C4",
            ObligationCode::RecordReview => "C5",
            ObligationCode::MaintenanceReminder => "C5u",
            ObligationCode::BirthdayNote => "C6b",
            ObligationCode::ThankYouNote => "C6t",
            ObligationCode::RecoveryCall => "C7",
            ObligationCode::PlanNextService => "C8",
            ObligationCode::Discovery => "C9",
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
        /// Caps, the minimum gap or the rep's capacity push items past the horizon: one
        /// note per account, rule and limit, counting and naming what it covers
        /// ([`Explanation::deferred`]).
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
    /// What is due: its stable code (`"cadence.touch_due"`).
    pub code: ObligationCode,
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
    /// Its facts as typed data: the arguments of its `kind`'s code, listed in the
    /// cadence table of obligations. `sentence` is rendered from the code and these
    /// alone, by the crate's one English renderer.
    #[serde(default)]
    pub args: Args,
    /// Why, in one sentence (one reason) with the actual numbers: the English of `kind`'s
    /// code and `args`.
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
    /// The obligations it satisfies: each one reason, with its own sentence.
    pub obligations: Vec<Obligation>,
    /// The item's own facts, the arguments of its line's code, `cadence.due_item`
    /// (listed in the cadence docs): whom to reach, how, by when, how many reasons.
    #[serde(default)]
    pub args: Args,
    /// One line for the rep: whom to reach, how, by when, and how many reasons (the
    /// reasons are the obligations' sentences). The English of `cadence.due_item` and
    /// `args`.
    pub sentence: String,
}

impl DueItem {
    /// The code of a due item's own line, as [`english`](crate::text::english) renders
    /// it from the item's `args`: `cadence.due_item`. Not an obligation: the item's
    /// reasons are its obligations, each with its own code, arguments and sentence.
    ///
    /// ```
    /// use retention::cadence::DueItem;
    /// use retention::model::{Channel, Rule};
    /// use retention::text::{Arg, Args, english};
    ///
    /// let args = Args::new()
    ///     .with("channel", Arg::Channel(Channel::Email))
    ///     .with("account", Arg::Name("Oak Ridge".into()))
    ///     .with("due", Arg::Date("2026-11-24".parse()?))
    ///     .with("planned_on", Arg::Date("2026-11-25".parse()?))
    ///     .with("reasons", Arg::Count(1))
    ///     .with("rules", Arg::List(vec![Arg::Rule(Rule::C1)]));
    /// assert_eq!(
    ///     english(DueItem::CODE, &args).as_deref(),
    ///     Some("Email Oak Ridge by 2026-11-24, on 2026-11-25: 1 reason (C1)")
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub const CODE: &'static str = "cadence.due_item";
}

/// The limit of the levelling that kept an item from a day: the rep's capacity, a cap
/// on touches, the minimum gap, or the calendar. In JSON, the snake_case name.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// No business day was left (the calendar is closed on the days the item could go).
    BusinessCalendar,
    /// The rep's `caps.daily_capacity_per_rep` was full on every day the item could go.
    DailyCapacity,
    /// `caps.per_person_per_week`.
    WeeklyCapPerPerson,
    /// `caps.min_gap` between two touches of one person.
    MinGap,
    /// `caps.per_account_per_week`.
    WeeklyCapPerAccount,
}

crate::codes::display_as_str!(Limit);

impl Limit {
    /// The limit in words, as the sentences say it: "the weekly cap per account".
    ///
    /// ```
    /// use retention::cadence::Limit;
    /// assert_eq!(Limit::MinGap.as_words(), "the minimum gap between touches");
    /// ```
    pub const fn as_words(self) -> &'static str {
        match self {
            Limit::BusinessCalendar => "the business calendar",
            Limit::DailyCapacity => "the rep's daily capacity",
            Limit::WeeklyCapPerPerson => "the weekly cap per person",
            Limit::MinGap => "the minimum gap between touches",
            Limit::WeeklyCapPerAccount => "the weekly cap per account",
        }
    }

    /// The snake_case name, as in JSON and in a summary note's key.
    ///
    /// ```
    /// use retention::cadence::Limit;
    /// assert_eq!(Limit::DailyCapacity.as_str(), "daily_capacity");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Limit::BusinessCalendar => "business_calendar",
            Limit::DailyCapacity => "daily_capacity",
            Limit::WeeklyCapPerPerson => "weekly_cap_per_person",
            Limit::MinGap => "min_gap",
            Limit::WeeklyCapPerAccount => "weekly_cap_per_account",
        }
    }
}

/// How many keys of deferred items a [`Deferred`] summary names (the most pressing).
pub const DEFERRED_KEYS_SHOWN: usize = 5;

/// What a `cadence.deferred` note covers: every item of one account and one rule that
/// one limit left no day for within the horizon, counted, with everyone concerned named.
/// The items stay owed: the next plan takes them up again.
///
/// One note per account, rule and limit (not per item) keeps a plan's size linear in
/// what it can do, not in what it cannot: an account with 100,000 key contacts and room
/// for a few gets one note, not 100,000. Nothing is dropped silently: `items` counts
/// them all, `people` names each person concerned once (bounded by the account's
/// people), and `first_keys` gives the keys of the most pressing.
///
/// ```json
/// {"limit": "weekly_cap_per_account", "items": 99993, "obligations": 99993,
///  "overdue": 99993, "earliest_due": "2023-09-28", "worst_days_overdue": 1153,
///  "without_person": 0, "first_keys": ["C3:a-01:p-c0000045:2023-09-28", ...],
///  "people": ["p-c0000045", "p-c0000046", ...]}
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Deferred {
    /// The limit that left no day: the last one met on the last day tried.
    pub limit: Limit,
    /// How many items (touches, or internal tasks) the note covers.
    pub items: u32,
    /// How many obligations those items serve together.
    pub obligations: u32,
    /// How many of the items are past their deadline today.
    pub overdue: u32,
    /// The earliest deadline among them.
    pub earliest_due: NaiveDate,
    /// Days past the deadline of the most overdue (0 when none is overdue).
    pub worst_days_overdue: u32,
    /// Items for no person (an internal task, or an account with nobody on file).
    pub without_person: u32,
    /// The keys of the first items in the levelling's order (deadline, priority, key),
    /// at most [`DEFERRED_KEYS_SHOWN`].
    pub first_keys: Vec<String>,
    /// Every person concerned, once each, by id.
    pub people: Vec<PersonId>,
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
    /// The obligation's occurrence key (or the account's, for `too_few_key_people`; for
    /// `deferred`, the account's, rule's and limit's: `C3:a-01:-:deferred-min_gap`).
    pub key: String,
    /// The account.
    pub account: AccountId,
    /// The person, when one is concerned (for `deferred`, when the note's items all
    /// concern one person).
    pub person: Option<PersonId>,
    /// The input field concerned (for `deferred`, the account).
    pub path: FieldPath,
    /// Its facts as typed data: the arguments of its `code`, listed in the cadence
    /// table of explanations (for `deferred`, the counts of `deferred` mirrored, with
    /// the limit's own number). `sentence` is rendered from the code and these alone.
    #[serde(default)]
    pub args: Args,
    /// Why, in one sentence with the actual numbers: the English of `code` and `args`.
    pub sentence: String,
    /// For `cadence.deferred`: what the note covers, counted (absent for other codes);
    /// its counts are in `args` too.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deferred: Option<Deferred>,
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
        for k in ObligationCode::ALL {
            assert!(seen.insert(k.code()), "{}", k.code());
            assert!(seen.insert(k.tag()), "{}", k.tag());
            assert!(k.code().starts_with("cadence."));
            assert_eq!(ObligationCode::from_code(k.code()), Some(*k));
            let json = serde_json::to_string(k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.code()));
            assert_eq!(serde_json::from_str::<ObligationCode>(&json).unwrap(), *k);
        }
        for e in ExplanationCode::ALL {
            assert!(seen.insert(e.code()), "{}", e.code());
            assert_eq!(ExplanationCode::from_code(e.code()), Some(*e));
        }
        assert!(serde_json::from_str::<ExplanationCode>("\"cadence.nope\"").is_err());
        assert_eq!(ObligationCode::Touch.rule(), Rule::C1);
        assert_eq!(ObligationCode::QuietTouch.rule(), Rule::K1);
        assert_eq!(ObligationCode::PlanNextService.rule(), Rule::C8);
    }
}
