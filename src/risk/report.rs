//! What the risk engine returns: per account a score, a band, the signals that explain
//! it, the next actions, the trend and the value at risk; for the book, the accounts
//! ranked by value at risk.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::error::FieldPath;
use crate::model::{AccountId, Money, Rule};
use crate::text::Args;

use crate::codes::stable_codes;

stable_codes! {
    /// Why a customer may be leaving: the code of a [`Signal`]. Serialized as its code;
    /// codes are never renamed. See the table in the [module docs](super).
    SignalCode, "signal code" {
        /// No contact for longer than the customer's own usual gap.
        Silence => "risk.silence", K1;
        /// Fewer contacts lately than the customer's own baseline.
        FallingFrequency => "risk.falling_frequency", K1;
        /// Unhappy survey answers lately.
        UnhappySurvey => "risk.unhappy_survey", K2;
        /// Follow-up calls or visits the customer has not answered.
        UnansweredFollowUp => "risk.unanswered_follow_up", K2;
        /// Contact obligations overdue: our neglect.
        Neglect => "risk.neglect", K3;
        /// Promises broken.
        BrokenPromises => "risk.broken_promises", K5;
        /// Callbacks slower than promised.
        SlowCallbacks => "risk.slow_callbacks", K5;
        /// Orders left hanging or partially complete.
        HangingOrders => "risk.hanging_orders", O4;
        /// Only one person at the customer was ever in contact.
        SingleThreaded => "risk.single_threaded", C3;
        /// No next service planned.
        NoNextService => "risk.no_next_service", C8;
        /// The purchase model's probability that the customer is still buying is low.
        LowPAlive => "risk.low_p_alive", K4;
    }
}

stable_codes! {
    /// What to do about a reason: the code of a [`NextAction`]. Serialized as its code.
    ActionCode, "action code" {
        /// A manager calls the customer (C7).
        ManagerCall => "risk.action.manager_call", C7;
        /// Call again, with a message that carries value, until spoken to in person (C7).
        CallUntilReached => "risk.action.call_until_reached", C7;
        /// Visit the customer in person (K1, for valuable customers).
        Visit => "risk.action.visit", K6;
        /// Call the customer (K1).
        Call => "risk.action.call", K1;
        /// Catch up on the overdue touches (K3, C1).
        CatchUpOnContact => "risk.action.catch_up_on_contact", K3;
        /// Make good on the broken promises and own them (P6).
        MakeGoodOnPromises => "risk.action.make_good_on_promises", P6;
        /// Finish the open orders, or tell the customer why and what happens next (O4).
        FinishOpenOrders => "risk.action.finish_open_orders", O4;
        /// Meet more people at the customer (C3).
        MeetMorePeople => "risk.action.meet_more_people", C3;
        /// Plan the next service (C8).
        PlanNextService => "risk.action.plan_next_service", C8;
    }
}

stable_codes! {
    /// Why an account's value at risk is more than its own value: the code of
    /// [`AccountRisk::value_reason`], whose facts are in
    /// [`AccountRisk::value_reason_args`]. Serialized as its code.
    ValueCode, "value code" {
        /// A share of what the accounts it referred are worth a year counts (K6).
        Referrals => "risk.value.referrals", K6;
    }
}

/// A score band. In JSON: `"healthy"`, `"watch"`, `"at_risk"` or `"critical"`.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// Below the watch band.
    Healthy,
    /// Worth watching.
    Watch,
    /// At risk: act this week.
    AtRisk,
    /// Critical: act today.
    Critical,
}

impl Band {
    /// The band's name, as in JSON: `"at_risk"`.
    ///
    /// ```
    /// use retention::risk::Band;
    /// assert_eq!(Band::AtRisk.as_str(), "at_risk");
    /// assert_eq!(Band::Watch.to_string(), "watch");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Band::Healthy => "healthy",
            Band::Watch => "watch",
            Band::AtRisk => "at_risk",
            Band::Critical => "critical",
        }
    }
}

impl fmt::Display for Band {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which way the score moved against the previous one. In JSON: `"rising"`,
/// `"falling"`, `"steady"`.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Risk went up by more than the policy's steady margin.
    Rising,
    /// Risk went down by more than the margin.
    Falling,
    /// Within the margin.
    Steady,
}

/// The score against the previous one. In JSON: `{"previous": 35, "change": 17,
/// "direction": "rising"}`.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Trend {
    /// The previous score.
    pub previous: u8,
    /// This score minus the previous one.
    pub change: i16,
    /// Which way it moved.
    pub direction: Direction,
}

/// One reason a customer may be leaving. In JSON:
///
/// ```json
/// {"code": "risk.silence", "rule": "K1", "path": "interactions", "value": 94.0,
///  "strength": 0.73, "contribution": 22, "critical": true,
///  "args": {"days_silent": {"count": 94}, "usual_gap_days": {"number": 30.0},
///           "own_rhythm": {"flag": true}, "contacts": {"count": 6}},
///  "sentence": "no contact for 94 days; usually every 30 days"}
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Signal {
    /// The stable code.
    pub code: SignalCode,
    /// The rule it serves.
    pub rule: Rule,
    /// Where the evidence is: `interactions`, `surveys`, or the account's fact
    /// (`accounts[3].promises.broken`).
    pub path: FieldPath,
    /// The measured value, in the unit the sentence states (days, percent, a count, a
    /// probability), rounded to 6 decimals.
    pub value: f64,
    /// How strong the signal is, from 0 to 1 (the fraction of its weight it earns),
    /// rounded to 6 decimals (the score uses the exact value).
    pub strength: f64,
    /// The points it adds to the score; the contributions add up to the score exactly.
    pub contribution: u8,
    /// Whether it alone puts the customer at least at risk.
    pub critical: bool,
    /// The facts the sentence states, as typed data (each code's arguments are listed in
    /// the [module docs](super)); `sentence` is their English
    /// ([`text::english`](crate::text::english)).
    #[serde(default)]
    pub args: Args,
    /// A sentence with the numbers, rendered from `code` and `args`.
    pub sentence: String,
}

/// What to do next, and why. In JSON: `{"code": "risk.action.catch_up_on_contact",
/// "rule": "K3", "because": "risk.neglect", "args": {"overdue_obligations": {"count": 2}},
/// "sentence": "catch up on the 2 touches overdue, the oldest first"}`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct NextAction {
    /// The stable code.
    pub code: ActionCode,
    /// The rule it serves.
    pub rule: Rule,
    /// The signal it answers.
    pub because: SignalCode,
    /// The facts the sentence states, as typed data (each code's arguments are listed in
    /// the [module docs](super); most actions have none); `sentence` is their English
    /// ([`text::english`](crate::text::english)).
    #[serde(default)]
    pub args: Args,
    /// A sentence for the person who will do it, rendered from `code` and `args`.
    pub sentence: String,
}

/// One account's risk.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AccountRisk {
    /// The account.
    pub account: AccountId,
    /// Its position in the input's `accounts`.
    pub index: usize,
    /// The score, 0 (no sign of leaving) to 100.
    pub score: u8,
    /// The band, after the critical override.
    pub band: Band,
    /// Whether a critical signal raised the band above what the score alone gives.
    pub raised_by_critical: bool,
    /// The signals that fired, strongest contribution first (ties in code order).
    pub signals: Vec<Signal>,
    /// The next actions, one per kind, for the strongest reason first.
    pub actions: Vec<NextAction>,
    /// The trend against the previous score, when one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trend: Option<Trend>,
    /// The purchase model's P(alive), when a model and a purchase summary were given,
    /// rounded to 6 decimals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub p_alive: Option<f64>,
    /// The expected future value: the host's, or the models' over the policy horizon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_value: Option<Money>,
    /// (Expected value + the policy's `referral_share` of what the accounts it referred
    /// are worth a year) × score / 100, rounded to cents (half away from zero) (K6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_at_risk: Option<Money>,
    /// The facts of `value_reason`, whose code is `risk.value.referrals` (a
    /// [`ValueCode`]; its arguments are listed in the [module docs](super));
    /// `value_reason` is their English ([`text::english`](crate::text::english)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_reason_args: Option<Args>,
    /// Why the value at risk includes more than the account's own value (K6: word of
    /// mouth follows a lost customer): "referred 3 customers worth 9200.00 USD a year,
    /// 50 % of which counts".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_reason: Option<String>,
}

/// How many accounts fell in each band.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct BandCounts {
    /// Healthy accounts.
    pub healthy: usize,
    /// Accounts to watch.
    pub watch: usize,
    /// Accounts at risk.
    pub at_risk: usize,
    /// Critical accounts.
    pub critical: usize,
}

/// The scored book.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct RiskReport {
    /// Every account, ranked: value at risk (highest first; accounts without one after
    /// those with one), then score (highest first), then account id.
    pub accounts: Vec<AccountRisk>,
    /// Accounts per band.
    pub bands: BandCounts,
}
