//! The cadence policy: the practice's numbers (C1-C8, K1), which a business may change.

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

use crate::calendar::TimeOfDay;
use crate::error::{Error, ErrorKind, FieldPath, Problems};
use crate::model::{Channel, LeapDayRule, Span};

/// How a contact cadence is planned: every number of rules C1-C8 and K1, the caps, the
/// daily capacity and the quiet hours.
///
/// Every section and field may be left out of the JSON; what is left out takes the
/// practice's default. Obligations fall on dates, so a span given in weeks, days, hours
/// or minutes must be whole days (`{"days": 28}`, `{"weeks": 4}`, `{"hours": 48}`). The
/// intervals of C2, C3, C4, C5, C7 and C9 (`face_to_face.monthly_for` and `then_every`,
/// `key_people.each_every`, `follow_up.within`, `review.every`, `recovery.retry_every`,
/// `discovery.refresh_every`) take any span, counted on dates by
/// [`BusinessCalendar::add_span`](crate::calendar::BusinessCalendar::add_span): calendar
/// months, business days, or whole days. The other spans are counted in days and refuse
/// months and business days (`model.span_not_fixed`).
///
/// Books of `schema_version` 1 and 2 named those intervals by their unit, as integers
/// (`"monthly_for_months": 6`, `"within_business_days": 2`): the old names still read,
/// as the same span (`{"months": 6}`, `{"business_days": 2}`); given both, the new name
/// wins. A policy always writes the new names.
///
/// ```json
/// {
///   "horizon": {"days": 14},
///   "plan_ahead": {"days": 3},
///   "touch": {"every": {"days": 28}, "channels": ["phone", "email", "letter", "newsletter", "visit"]},
///   "face_to_face": {"monthly_for": {"months": 6}, "then_every": {"months": 3}},
///   "key_people": {"min_roles_per_quarter": 2, "each_every": {"months": 3}},
///   "follow_up": {"within": {"business_days": 2}},
///   "review": {"every": {"months": 1}, "maintenance_lead": {"days": 14}},
///   "personal": {"birthday_lead": {"days": 7}, "leap_day": "february_28", "thank_you_within": {"days": 14},
///                "missed_noted_for": {"days": 7}},
///   "recovery": {"retry_every": {"business_days": 1}},
///   "next_service": {"plan_within": {"days": 7}},
///   "discovery": {"first_within": {"days": 30}, "refresh_every": {"months": 12}},
///   "quiet": {"silent_after": {"days": 0}, "touch_every": {"days": 14},
///             "escalate_every": {"days": 14}, "escalation": ["email", "phone", "visit"]},
///   "caps": {"per_person_per_week": 2, "per_account_per_week": 3, "min_gap": {"days": 2},
///            "daily_capacity_per_rep": 40},
///   "quiet_hours": {"start": "20:00", "end": "08:00"},
///   "explain_not_due": false
/// }
/// ```
///
/// Build it with [`CadencePolicy::validate`] (the planner calls it): zero intervals,
/// partial days, empty channel lists and caps that make an obligation impossible are
/// refused, every problem at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct CadencePolicy {
    /// How far past today the plan looks (default 14 days). Zero plans today only.
    pub horizon: Span,
    /// How long before its due date a recurring obligation may be planned (default 3 days).
    pub plan_ahead: Span,
    /// C1: touch every customer.
    pub touch: TouchPolicy,
    /// C2: meet face to face.
    pub face_to_face: FaceToFacePolicy,
    /// C3: know several key people.
    pub key_people: KeyPeoplePolicy,
    /// C4: call after every service visit.
    pub follow_up: FollowUpPolicy,
    /// C5: review every record monthly, with maintenance reminders.
    pub review: ReviewPolicy,
    /// C6: birthdays and thank-you notes.
    pub personal: PersonalPolicy,
    /// C7: a manager calls an unhappy customer until spoken to.
    pub recovery: RecoveryPolicy,
    /// C8: plan the next service after each order.
    pub next_service: NextServicePolicy,
    /// K1: quiet customers.
    pub quiet: QuietPolicy,
    /// C9: show interest in the customer's business.
    pub discovery: DiscoveryPolicy,
    /// Caps per person and account, the minimum gap, and each rep's daily capacity.
    pub caps: CapsPolicy,
    /// The local hours in which nobody is contacted (each person's own time zone).
    pub quiet_hours: QuietHours,
    /// Whether the plan also explains every obligation that is not due yet or already
    /// met (`cadence.not_due`, `cadence.satisfied`). Off by default: on a large book it is
    /// one explanation per obligation.
    pub explain_not_due: bool,
}

impl Default for CadencePolicy {
    fn default() -> Self {
        CadencePolicy {
            horizon: Span::Days(14),
            plan_ahead: Span::Days(3),
            touch: TouchPolicy::default(),
            face_to_face: FaceToFacePolicy::default(),
            key_people: KeyPeoplePolicy::default(),
            follow_up: FollowUpPolicy::default(),
            review: ReviewPolicy::default(),
            personal: PersonalPolicy::default(),
            recovery: RecoveryPolicy::default(),
            next_service: NextServicePolicy::default(),
            quiet: QuietPolicy::default(),
            discovery: DiscoveryPolicy::default(),
            caps: CapsPolicy::default(),
            quiet_hours: QuietHours::default(),
            explain_not_due: false,
        }
    }
}

/// C1: touch every customer at least this often on one of these channels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct TouchPolicy {
    /// The longest time between touches (default 28 days).
    pub every: Span,
    /// The channels whose touches count, best first for planning (default phone, email,
    /// letter, newsletter, visit).
    pub channels: Vec<Channel>,
}

impl Default for TouchPolicy {
    fn default() -> Self {
        TouchPolicy {
            every: Span::Days(28),
            channels: vec![
                Channel::Phone,
                Channel::Email,
                Channel::Letter,
                Channel::Newsletter,
                Channel::Visit,
            ],
        }
    }
}

/// C2: face to face every month for the first months of the relationship, then at
/// least every few months.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields, from = "FaceToFaceWire")]
pub struct FaceToFacePolicy {
    /// For how long after `customer_since` a visit is due monthly (default 6 months;
    /// zero: never monthly).
    pub monthly_for: Span,
    /// The time between visits after that (default 3 months, a quarter).
    pub then_every: Span,
}

impl Default for FaceToFacePolicy {
    fn default() -> Self {
        FaceToFacePolicy {
            monthly_for: Span::Months(6),
            then_every: Span::Months(3),
        }
    }
}

/// C2 as a book reads it: the new names, or those of `schema_version` 1 and 2.
#[derive(Default, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
struct FaceToFaceWire {
    /// For how long after `customer_since` a visit is due monthly (default 6 months;
    /// zero: never monthly).
    #[serde(deserialize_with = "crate::model::some_span")]
    #[cfg_attr(feature = "schemars", schemars(with = "Span", extend("default" = {"months": 6})))]
    monthly_for: Option<Span>,
    /// The time between visits after that (default 3 months, a quarter).
    #[serde(deserialize_with = "crate::model::some_span")]
    #[cfg_attr(feature = "schemars", schemars(with = "Span", extend("default" = {"months": 3})))]
    then_every: Option<Span>,
    /// Deprecated (`schema_version` 1 and 2): `monthly_for` in months.
    #[cfg_attr(feature = "schemars", schemars(extend("deprecated" = true)))]
    monthly_for_months: Option<u32>,
    /// Deprecated (`schema_version` 1 and 2): `then_every` in months.
    #[cfg_attr(feature = "schemars", schemars(extend("deprecated" = true)))]
    then_every_months: Option<u32>,
}

impl From<FaceToFaceWire> for FaceToFacePolicy {
    fn from(w: FaceToFaceWire) -> Self {
        let d = FaceToFacePolicy::default();
        FaceToFacePolicy {
            monthly_for: either(
                w.monthly_for,
                w.monthly_for_months,
                Span::Months,
                d.monthly_for,
            ),
            then_every: either(
                w.then_every,
                w.then_every_months,
                Span::Months,
                d.then_every,
            ),
        }
    }
}

/// The new field when given, else the old integer field in its unit, else the default.
fn either(new: Option<Span>, old: Option<u32>, unit: fn(u32) -> Span, default: Span) -> Span {
    new.or(old.map(unit)).unwrap_or(default)
}

/// C3: at least so many distinct key roles touched per quarter, and each key person on
/// their own cadence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields, from = "KeyPeopleWire")]
pub struct KeyPeoplePolicy {
    /// Distinct roles among key contacts to touch each quarter (default 2).
    pub min_roles_per_quarter: u32,
    /// The time between touches of each key person (default 3 months).
    pub each_every: Span,
}

impl Default for KeyPeoplePolicy {
    fn default() -> Self {
        KeyPeoplePolicy {
            min_roles_per_quarter: 2,
            each_every: Span::Months(3),
        }
    }
}

/// C3 as a book reads it: the new names, or those of `schema_version` 1 and 2.
#[derive(Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
struct KeyPeopleWire {
    /// Distinct roles among key contacts to touch each quarter (default 2).
    min_roles_per_quarter: u32,
    /// The time between touches of each key person (default 3 months).
    #[serde(deserialize_with = "crate::model::some_span")]
    #[cfg_attr(feature = "schemars", schemars(with = "Span", extend("default" = {"months": 3})))]
    each_every: Option<Span>,
    /// Deprecated (`schema_version` 1 and 2): `each_every` in months.
    #[cfg_attr(feature = "schemars", schemars(extend("deprecated" = true)))]
    each_every_months: Option<u32>,
}

impl Default for KeyPeopleWire {
    fn default() -> Self {
        KeyPeopleWire {
            min_roles_per_quarter: KeyPeoplePolicy::default().min_roles_per_quarter,
            each_every: None,
            each_every_months: None,
        }
    }
}

impl From<KeyPeopleWire> for KeyPeoplePolicy {
    fn from(w: KeyPeopleWire) -> Self {
        let d = KeyPeoplePolicy::default();
        KeyPeoplePolicy {
            min_roles_per_quarter: w.min_roles_per_quarter,
            each_every: either(
                w.each_every,
                w.each_every_months,
                Span::Months,
                d.each_every,
            ),
        }
    }
}

/// C4: a follow-up call within so long of an order's completion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields, from = "FollowUpWire")]
pub struct FollowUpPolicy {
    /// The time from the completion date (default 2 business days).
    pub within: Span,
}

impl Default for FollowUpPolicy {
    fn default() -> Self {
        FollowUpPolicy {
            within: Span::BusinessDays(2),
        }
    }
}

/// C4 as a book reads it: the new name, or that of `schema_version` 1 and 2.
#[derive(Default, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
struct FollowUpWire {
    /// The time from the completion date (default 2 business days).
    #[serde(deserialize_with = "crate::model::some_span")]
    #[cfg_attr(feature = "schemars", schemars(with = "Span", extend("default" = {"business_days": 2})))]
    within: Option<Span>,
    /// Deprecated (`schema_version` 1 and 2): `within` in business days.
    #[cfg_attr(feature = "schemars", schemars(extend("deprecated" = true)))]
    within_business_days: Option<u32>,
}

impl From<FollowUpWire> for FollowUpPolicy {
    fn from(w: FollowUpWire) -> Self {
        FollowUpPolicy {
            within: either(
                w.within,
                w.within_business_days,
                Span::BusinessDays,
                FollowUpPolicy::default().within,
            ),
        }
    }
}

/// C5: a record review every so often (anchored to `customer_since`), and a
/// maintenance reminder ahead of each unit's next service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields, from = "ReviewWire")]
pub struct ReviewPolicy {
    /// The time between record reviews (default 1 month).
    pub every: Span,
    /// How long before a unit's next service the customer is reminded (default 14 days).
    pub maintenance_lead: Span,
}

impl Default for ReviewPolicy {
    fn default() -> Self {
        ReviewPolicy {
            every: Span::Months(1),
            maintenance_lead: Span::Days(14),
        }
    }
}

/// C5 as a book reads it: the new names, or those of `schema_version` 1 and 2.
#[derive(Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
struct ReviewWire {
    /// The time between record reviews (default 1 month).
    #[serde(deserialize_with = "crate::model::some_span")]
    #[cfg_attr(feature = "schemars", schemars(with = "Span", extend("default" = {"months": 1})))]
    every: Option<Span>,
    /// How long before a unit's next service the customer is reminded (default 14 days).
    maintenance_lead: Span,
    /// Deprecated (`schema_version` 1 and 2): `every` in months.
    #[cfg_attr(feature = "schemars", schemars(extend("deprecated" = true)))]
    every_months: Option<u32>,
}

impl Default for ReviewWire {
    fn default() -> Self {
        ReviewWire {
            every: None,
            maintenance_lead: ReviewPolicy::default().maintenance_lead,
            every_months: None,
        }
    }
}

impl From<ReviewWire> for ReviewPolicy {
    fn from(w: ReviewWire) -> Self {
        let d = ReviewPolicy::default();
        ReviewPolicy {
            every: either(w.every, w.every_months, Span::Months, d.every),
            maintenance_lead: w.maintenance_lead,
        }
    }
}

/// C6: birthday notes and a thank-you note after the first order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct PersonalPolicy {
    /// How long before a birthday the note may go out (default 7 days).
    pub birthday_lead: Span,
    /// Where a 29 February birthday falls in other years (default 28 February).
    pub leap_day: LeapDayRule,
    /// The thank-you note's window after the first order (default 14 days): it is due
    /// by the window's end, and lapses after it (reported as missed, never overdue).
    pub thank_you_within: Span,
    /// How long a lapsed date-bound touch (a thank-you note past its window, a birthday
    /// gone by without a note) is noted in the plan as missed (`cadence.missed`,
    /// default 7 days); after that it is history. Zero: never noted.
    pub missed_noted_for: Span,
}

impl Default for PersonalPolicy {
    fn default() -> Self {
        PersonalPolicy {
            birthday_lead: Span::Days(7),
            leap_day: LeapDayRule::February28,
            thank_you_within: Span::Days(14),
            missed_noted_for: Span::Days(7),
        }
    }
}

/// C7: after an unhappy survey, a manager calls the same day, and again after this long
/// while no conversation has happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields, from = "RecoveryWire")]
pub struct RecoveryPolicy {
    /// The time between attempts (default 1 business day).
    pub retry_every: Span,
}

impl Default for RecoveryPolicy {
    fn default() -> Self {
        RecoveryPolicy {
            retry_every: Span::BusinessDays(1),
        }
    }
}

/// C7 as a book reads it: the new name, or that of `schema_version` 1 and 2.
#[derive(Default, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
struct RecoveryWire {
    /// The time between attempts (default 1 business day).
    #[serde(deserialize_with = "crate::model::some_span")]
    #[cfg_attr(feature = "schemars", schemars(with = "Span", extend("default" = {"business_days": 1})))]
    retry_every: Option<Span>,
    /// Deprecated (`schema_version` 1 and 2): `retry_every` in business days.
    #[cfg_attr(feature = "schemars", schemars(extend("deprecated" = true)))]
    retry_every_business_days: Option<u32>,
}

impl From<RecoveryWire> for RecoveryPolicy {
    fn from(w: RecoveryWire) -> Self {
        RecoveryPolicy {
            retry_every: either(
                w.retry_every,
                w.retry_every_business_days,
                Span::BusinessDays,
                RecoveryPolicy::default().retry_every,
            ),
        }
    }
}

/// C8: after each completed order the next service is planned within this time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct NextServicePolicy {
    /// Time from completion to having the next service planned (default 7 days).
    pub plan_within: Span,
}

impl Default for NextServicePolicy {
    fn default() -> Self {
        NextServicePolicy {
            plan_within: Span::Days(7),
        }
    }
}

/// C9: a discovery conversation (why they started, what motivates and frustrates them,
/// their next objective) with every customer, asked again as their business changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields, from = "DiscoveryWire")]
pub struct DiscoveryPolicy {
    /// A new account (a customer for less than `refresh_every`) with no
    /// discovery on record has one due this long after its history starts (default 30
    /// days); one known longer has it due by the next anniversary of
    /// its `customer_since` (never counted years overdue, and a book imported today
    /// spreads the conversations over the year).
    pub first_within: Span,
    /// The time after the last discovery conversation that the next is due (default 12
    /// months; zero: never asked again).
    pub refresh_every: Span,
}

impl Default for DiscoveryPolicy {
    fn default() -> Self {
        DiscoveryPolicy {
            first_within: Span::Days(30),
            refresh_every: Span::Months(12),
        }
    }
}

/// C9 as a book reads it: the new names, or those of `schema_version` 1 and 2.
#[derive(Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
struct DiscoveryWire {
    /// A new account (a customer for less than `refresh_every`) with no discovery on
    /// record has one due this long after its history starts (default 30 days); one
    /// known longer has it due by the next anniversary of its `customer_since` (never
    /// counted years overdue, and a book imported today spreads the conversations over
    /// the year).
    first_within: Span,
    /// The time after the last discovery conversation that the next is due (default 12
    /// months; zero: never asked again).
    #[serde(deserialize_with = "crate::model::some_span")]
    #[cfg_attr(feature = "schemars", schemars(with = "Span", extend("default" = {"months": 12})))]
    refresh_every: Option<Span>,
    /// Deprecated (`schema_version` 1 and 2): `refresh_every` in months.
    #[cfg_attr(feature = "schemars", schemars(extend("deprecated" = true)))]
    refresh_every_months: Option<u32>,
}

impl Default for DiscoveryWire {
    fn default() -> Self {
        DiscoveryWire {
            first_within: DiscoveryPolicy::default().first_within,
            refresh_every: None,
            refresh_every_months: None,
        }
    }
}

impl From<DiscoveryWire> for DiscoveryPolicy {
    fn from(w: DiscoveryWire) -> Self {
        let d = DiscoveryPolicy::default();
        DiscoveryPolicy {
            first_within: w.first_within,
            refresh_every: either(
                w.refresh_every,
                w.refresh_every_months,
                Span::Months,
                d.refresh_every,
            ),
        }
    }
}

/// K1: a customer quiet against their own rhythm (the risk engine's judgement, see
/// [`Rhythm`](crate::model::Rhythm)) is touched every `touch_every` (tighter than C1), on
/// a channel that climbs the `escalation` ladder one rung per `escalate_every` of
/// further silence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct QuietPolicy {
    /// A floor on the customer-side silence before an account counts as quiet, on top of
    /// the customer's own rhythm (default 0 days: the rhythm alone decides, as in risk).
    pub silent_after: Span,
    /// The tightened touch interval for a quiet account (default 14 days).
    pub touch_every: Span,
    /// Further silence that moves the channel one rung up (default 14 days).
    pub escalate_every: Span,
    /// The ladder, first rung first (default email, phone, visit).
    pub escalation: Vec<Channel>,
}

impl Default for QuietPolicy {
    fn default() -> Self {
        QuietPolicy {
            silent_after: Span::Days(0),
            touch_every: Span::Days(14),
            escalate_every: Span::Days(14),
            escalation: vec![Channel::Email, Channel::Phone, Channel::Visit],
        }
    }
}

/// Caps and levelling: at most so many customer touches per person and per account in
/// any 7 days, a minimum gap between touches of one person, and each rep's daily
/// capacity of planned items.
///
/// The caps on touches hold back what the business chooses to send, never a response
/// the practice asks for at once: a manager's recovery call (C7) and the call after a
/// visit (C4) are planned on the first business day the rep has room, whatever the
/// weekly caps and the minimum gap say (and so is whatever one touch of theirs also
/// serves, such as the 28-day touch of the same person).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct CapsPolicy {
    /// Touches of one person in any 7 days (default 2).
    pub per_person_per_week: u32,
    /// Touches of one account in any 7 days (default 3).
    pub per_account_per_week: u32,
    /// Least time between two touches of one person (default 2 days; zero allows the
    /// same day).
    pub min_gap: Span,
    /// Items a rep is given per business day (default 40).
    pub daily_capacity_per_rep: u32,
}

impl Default for CapsPolicy {
    fn default() -> Self {
        CapsPolicy {
            per_person_per_week: 2,
            per_account_per_week: 3,
            min_gap: Span::Days(2),
            daily_capacity_per_rep: 40,
        }
    }
}

/// The local hours in which nobody is contacted, in each person's own time zone. In
/// JSON: `{"start": "20:00", "end": "08:00"}`: quiet from 20:00 to 08:00 the next
/// morning. `start` equal to `end` means no quiet hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct QuietHours {
    /// When quiet hours begin.
    pub start: TimeOfDay,
    /// When they end.
    pub end: TimeOfDay,
}

impl QuietHours {
    /// Quiet from `start` to `end`.
    pub fn new(start: TimeOfDay, end: TimeOfDay) -> QuietHours {
        QuietHours { start, end }
    }
}

impl Default for QuietHours {
    fn default() -> Self {
        QuietHours {
            start: TimeOfDay::from_seconds(20 * 3600).unwrap_or(TimeOfDay::MIDNIGHT),
            end: TimeOfDay::from_seconds(8 * 3600).unwrap_or(TimeOfDay::MIDNIGHT),
        }
    }
}

/// The intervals `schema_version` 1 and 2 named by their unit, as integers: (section,
/// old name, new name, the old name's unit).
pub(crate) const OLD_NAMES: &[(&str, &str, &str, &str)] = &[
    (
        "face_to_face",
        "monthly_for_months",
        "monthly_for",
        "months",
    ),
    ("face_to_face", "then_every_months", "then_every", "months"),
    ("key_people", "each_every_months", "each_every", "months"),
    (
        "follow_up",
        "within_business_days",
        "within",
        "business_days",
    ),
    ("review", "every_months", "every", "months"),
    (
        "recovery",
        "retry_every_business_days",
        "retry_every",
        "business_days",
    ),
    (
        "discovery",
        "refresh_every_months",
        "refresh_every",
        "months",
    ),
];

/// Renames the old interval fields of a cadence policy's JSON (`"monthly_for_months": 6`)
/// to the new (`"monthly_for": {"months": 6}`), in place, unless the new name is given
/// too. A value that is not a count is left under its old name, so reading it names the
/// field the host wrote. Used for a segment's overlay, which is laid over a policy
/// written with the new names: an old name there must still change the interval.
pub(crate) fn upgrade_old_names(policy: &mut serde_json::Value) {
    for (section, old, new, unit) in OLD_NAMES {
        if let Some(obj) = policy.get_mut(*section) {
            crate::model::upgrade_old_count(obj, old, new, unit);
        }
    }
}

/// Both numbers when both are known and `keep` holds for them, else neither.
trait Filter2 {
    fn filter2(self, keep: impl Fn(i64, i64) -> bool) -> (Option<i64>, Option<i64>);
}

impl Filter2 for (Option<i64>, Option<i64>) {
    fn filter2(self, keep: impl Fn(i64, i64) -> bool) -> (Option<i64>, Option<i64>) {
        match self {
            (Some(a), Some(b)) if keep(a, b) => (Some(a), Some(b)),
            _ => (None, None),
        }
    }
}

/// The longest horizon a plan may have: levelling walks its days, for every rep.
pub const MAX_HORIZON_DAYS: i64 = 366;

/// The longest interval of C2-C9 a policy may state: 100 years (counted at its shortest,
/// a month as 28 days and a business day as one), refused with
/// `calendar.date_out_of_range` at its field beyond that.
const MAX_INTERVAL_DAYS: i64 = 36_525;

/// Whole days of a fixed span, or `None` when it is not a whole number of days.
pub(crate) fn whole_days(span: Span) -> Option<i64> {
    let secs = span.fixed_delta()?.num_seconds();
    (secs % 86_400 == 0).then_some(secs / 86_400)
}

/// The numbers the planner works with, in days, checked once.
#[derive(Debug, Clone)]
pub(crate) struct Days {
    pub horizon: i64,
    pub plan_ahead: i64,
    pub touch: i64,
    pub maintenance_lead: i64,
    pub birthday_lead: i64,
    pub thank_you: i64,
    pub missed_noted: i64,
    pub plan_next: i64,
    pub discovery_first: i64,
    pub silent_after: i64,
    pub quiet_touch: i64,
    pub escalate: i64,
    pub min_gap: i64,
}

impl CadencePolicy {
    /// Checks the policy; every problem at once.
    ///
    /// # Errors
    /// - `cadence.zero_interval`: an interval, count or capacity is zero (`touch.every`,
    ///   `face_to_face.then_every`, `key_people.each_every`,
    ///   `review.every`, `recovery.retry_every`,
    ///   `quiet.touch_every`, `quiet.escalate_every`, `quiet.silent_after`,
    ///   `caps.per_person_per_week`, `caps.per_account_per_week`,
    ///   `caps.daily_capacity_per_rep`).
    /// - `cadence.partial_days`: a span in weeks, days, hours or minutes that is not
    ///   whole days.
    /// - `model.span_not_fixed`: months or business days in a span counted in days (any
    ///   but the C2, C3, C4, C5, C7 and C9 intervals).
    /// - `cadence.horizon_too_long`: `horizon` is longer than [`MAX_HORIZON_DAYS`].
    /// - `calendar.date_out_of_range`: a C2-C9 interval is longer than 100 years.
    /// - `cadence.no_channels`: `touch.channels` or `quiet.escalation` is empty.
    /// - `cadence.impossible_caps`: `caps.min_gap` is longer than the C1 or K1 interval
    ///   (a touch could never come in time), or 7 days or more while a person may be
    ///   touched more than once a week; `caps.per_account_per_week` is below
    ///   `caps.per_person_per_week`.
    pub fn validate(&self) -> Result<(), Error> {
        self.days().map(|_| ())
    }

    pub(crate) fn days(&self) -> Result<Days, Error> {
        let mut p = Problems::new();
        let root = FieldPath::root();
        let days =
            |span: Span, path: FieldPath, may_be_zero: bool, p: &mut Problems| match whole_days(
                span,
            ) {
                None if !span.is_fixed() => {
                    crate::model::check_fixed(span, path, p);
                    None
                }
                None => {
                    p.push(
                        ErrorKind::CadencePartialDays,
                        path,
                        format!("{span} is not a whole number of days"),
                    );
                    None
                }
                Some(0) if !may_be_zero => {
                    p.push(
                        ErrorKind::CadenceZeroInterval,
                        path,
                        "the interval is zero: an obligation would be due again at once",
                    );
                    None
                }
                Some(d) => Some(d),
            };
        let mut horizon = days(self.horizon, root.field("horizon"), true, &mut p);
        if let Some(h) = horizon.filter(|h| *h > MAX_HORIZON_DAYS) {
            p.push(
                ErrorKind::CadenceHorizonTooLong,
                root.field("horizon"),
                format!("a horizon of {h} days is longer than the {MAX_HORIZON_DAYS} days a plan may look ahead"),
            );
            horizon = None;
        }
        let plan_ahead = days(self.plan_ahead, root.field("plan_ahead"), true, &mut p);
        let touch = days(
            self.touch.every,
            root.field("touch").field("every"),
            false,
            &mut p,
        );
        let maintenance_lead = days(
            self.review.maintenance_lead,
            root.field("review").field("maintenance_lead"),
            true,
            &mut p,
        );
        let birthday_lead = days(
            self.personal.birthday_lead,
            root.field("personal").field("birthday_lead"),
            true,
            &mut p,
        );
        let thank_you = days(
            self.personal.thank_you_within,
            root.field("personal").field("thank_you_within"),
            true,
            &mut p,
        );
        let missed_noted = days(
            self.personal.missed_noted_for,
            root.field("personal").field("missed_noted_for"),
            true,
            &mut p,
        );
        let plan_next = days(
            self.next_service.plan_within,
            root.field("next_service").field("plan_within"),
            true,
            &mut p,
        );
        let discovery_first = days(
            self.discovery.first_within,
            root.field("discovery").field("first_within"),
            true,
            &mut p,
        );
        let q = root.field("quiet");
        let silent_after = days(
            self.quiet.silent_after,
            q.field("silent_after"),
            true,
            &mut p,
        );
        let quiet_touch = days(
            self.quiet.touch_every,
            q.field("touch_every"),
            false,
            &mut p,
        );
        let escalate = days(
            self.quiet.escalate_every,
            q.field("escalate_every"),
            false,
            &mut p,
        );
        let c = root.field("caps");
        let min_gap = days(self.caps.min_gap, c.field("min_gap"), true, &mut p);

        let zero = |n: u32, path: FieldPath, what: &str, p: &mut Problems| {
            if n == 0 {
                p.push(
                    ErrorKind::CadenceZeroInterval,
                    path,
                    format!("{what} is zero"),
                );
            }
        };
        // The intervals counted on dates by `BusinessCalendar::add_span`: any unit, but a
        // fixed one in whole days.
        // Zero is allowed where it means something: `monthly_for` never monthly,
        // `within` the same day, `refresh_every` never again.
        // `zero_is_refused`: what the interval is, for the message, when zero is refused.
        let on_dates =
            |span: Span, path: FieldPath, zero_is_refused: Option<&str>, p: &mut Problems| {
                if span.is_fixed() && whole_days(span).is_none() {
                    p.push(
                        ErrorKind::CadencePartialDays,
                        path,
                        format!("{span} is not a whole number of days"),
                    );
                } else if span.length() > TimeDelta::days(MAX_INTERVAL_DAYS) {
                    // Counted on dates, it would run past the calendar's dates (or
                    // nearly): refused here, at its field, not as a plan's error.
                    p.push(
                        ErrorKind::DateOutOfRange,
                        path,
                        format!("an interval of {span} is longer than 100 years"),
                    );
                } else if let Some(what) = zero_is_refused {
                    zero(span.count(), path, what, p);
                }
            };
        let f2f = root.field("face_to_face");
        on_dates(
            self.face_to_face.monthly_for,
            f2f.field("monthly_for"),
            None,
            &mut p,
        );
        on_dates(
            self.face_to_face.then_every,
            f2f.field("then_every"),
            Some("the time between visits"),
            &mut p,
        );
        on_dates(
            self.key_people.each_every,
            root.field("key_people").field("each_every"),
            Some("the time between touches of a key person"),
            &mut p,
        );
        on_dates(
            self.follow_up.within,
            root.field("follow_up").field("within"),
            None,
            &mut p,
        );
        on_dates(
            self.review.every,
            root.field("review").field("every"),
            Some("the time between record reviews"),
            &mut p,
        );
        on_dates(
            self.recovery.retry_every,
            root.field("recovery").field("retry_every"),
            Some("the time between recovery calls"),
            &mut p,
        );
        on_dates(
            self.discovery.refresh_every,
            root.field("discovery").field("refresh_every"),
            None,
            &mut p,
        );
        zero(
            self.caps.per_person_per_week,
            c.field("per_person_per_week"),
            "the weekly cap per person (nobody could ever be touched)",
            &mut p,
        );
        zero(
            self.caps.per_account_per_week,
            c.field("per_account_per_week"),
            "the weekly cap per account (no account could ever be touched)",
            &mut p,
        );
        zero(
            self.caps.daily_capacity_per_rep,
            c.field("daily_capacity_per_rep"),
            "the daily capacity per rep (nothing could ever be planned)",
            &mut p,
        );
        if self.touch.channels.is_empty() {
            p.push(
                ErrorKind::CadenceNoChannels,
                root.field("touch").field("channels"),
                "no channel counts as a touch: C1 could never be met",
            );
        }
        if self.quiet.escalation.is_empty() {
            p.push(
                ErrorKind::CadenceNoChannels,
                q.field("escalation"),
                "the escalation ladder for quiet customers is empty",
            );
        }
        // Caps are weighed against intervals only when both are usable themselves.
        if let (Some(min_gap), Some(touch)) = (min_gap, touch).filter2(|g, t| g > t) {
            p.push(
                ErrorKind::CadenceImpossibleCaps,
                c.field("min_gap"),
                format!(
                    "a gap of {min_gap} days between touches can never meet a touch every {touch} days (C1)"
                ),
            );
        }
        if let (Some(min_gap), Some(quiet_touch)) = (min_gap, quiet_touch).filter2(|g, t| g > t) {
            p.push(
                ErrorKind::CadenceImpossibleCaps,
                c.field("min_gap"),
                format!(
                    "a gap of {min_gap} days between touches can never meet a quiet customer's touch every {quiet_touch} days (K1)"
                ),
            );
        }
        if let Some(min_gap) = min_gap.filter(|g| *g >= 7 && self.caps.per_person_per_week > 1) {
            p.push(
                ErrorKind::CadenceImpossibleCaps,
                c.field("per_person_per_week"),
                format!(
                    "{} touches a week per person cannot happen with {min_gap} days between touches",
                    self.caps.per_person_per_week
                ),
            );
        }
        if self.caps.per_account_per_week < self.caps.per_person_per_week {
            p.push(
                ErrorKind::CadenceImpossibleCaps,
                c.field("per_account_per_week"),
                format!(
                    "an account may be touched {} times a week but one of its people {} times",
                    self.caps.per_account_per_week, self.caps.per_person_per_week
                ),
            );
        }
        p.finish()?;
        // Every span is usable here (a problem would have returned above).
        let ok = |d: Option<i64>| d.unwrap_or(1);
        Ok(Days {
            horizon: ok(horizon),
            plan_ahead: ok(plan_ahead),
            touch: ok(touch),
            maintenance_lead: ok(maintenance_lead),
            birthday_lead: ok(birthday_lead),
            thank_you: ok(thank_you),
            missed_noted: ok(missed_noted),
            plan_next: ok(plan_next),
            discovery_first: ok(discovery_first),
            silent_after: ok(silent_after),
            quiet_touch: ok(quiet_touch),
            escalate: ok(escalate),
            min_gap: ok(min_gap),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_round_trip() {
        let p = CadencePolicy::default();
        p.validate().unwrap();
        let json = serde_json::to_string(&p).unwrap();
        let back: CadencePolicy = serde_json::from_str(&json).unwrap();
        assert_eq!(back, p);
        let empty: CadencePolicy = serde_json::from_str("{}").unwrap();
        assert_eq!(empty, p);
    }

    #[test]
    fn every_problem_is_reported_with_its_path() {
        let mut p = CadencePolicy::default();
        p.touch.every = Span::Hours(36);
        p.caps.daily_capacity_per_rep = 0;
        p.quiet.escalation.clear();
        let e = p.validate().unwrap_err();
        let got: Vec<_> = e
            .problems()
            .iter()
            .map(|x| (x.code(), x.path().to_string()))
            .collect();
        assert_eq!(
            got,
            [
                ("cadence.partial_days", "touch.every".to_string()),
                (
                    "cadence.zero_interval",
                    "caps.daily_capacity_per_rep".to_string()
                ),
                ("cadence.no_channels", "quiet.escalation".to_string()),
            ]
        );
    }
}
