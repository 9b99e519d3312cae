//! What a host tells the risk engine about each account, beyond the shared model's
//! interactions and surveys. Every source is optional: a fact that is absent is not
//! scored (it is not taken as good news either, only as unknown).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::models::PurchaseSummary;
use crate::model::{AccountId, Interaction, Money, SurveyResponse};

/// Promise facts for one account, as the promise ledger (or the host) counts them (K5).
/// In JSON: `{"kept": 7, "broken": 2, "slow_callbacks": 1}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct PromiseFacts {
    /// Promises kept.
    pub kept: u32,
    /// Promises broken (late or not done).
    pub broken: u32,
    /// Callbacks that came later than the business's promise (P1).
    pub slow_callbacks: u32,
}

impl PromiseFacts {
    /// Promise facts from their counts.
    pub fn new(kept: u32, broken: u32, slow_callbacks: u32) -> PromiseFacts {
        PromiseFacts {
            kept,
            broken,
            slow_callbacks,
        }
    }
}

/// Contact-cadence facts for one account, as the cadence planner (or the host) finds
/// them (K3). In JSON: `{"overdue_obligations": 2, "worst_days_overdue": 41}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct CadenceFacts {
    /// Contact obligations (a touch, a visit, a review) past their due date.
    pub overdue_obligations: u32,
    /// Days the most overdue of them is past due.
    pub worst_days_overdue: u32,
}

impl CadenceFacts {
    /// Cadence facts from their counts.
    pub fn new(overdue_obligations: u32, worst_days_overdue: u32) -> CadenceFacts {
        CadenceFacts {
            overdue_obligations,
            worst_days_overdue,
        }
    }
}

/// Order facts for one account, as the order engine (or the host) finds them (O4). In
/// JSON: `{"hanging": 1, "partially_complete": 0}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct OrderFacts {
    /// Open orders left hanging without the customer knowing why and what happens next.
    pub hanging: u32,
    /// Orders closed only partially complete.
    pub partially_complete: u32,
}

impl OrderFacts {
    /// Order facts from their counts.
    pub fn new(hanging: u32, partially_complete: u32) -> OrderFacts {
        OrderFacts {
            hanging,
            partially_complete,
        }
    }
}

/// One account to score, with every optional fact the host has. In JSON:
///
/// ```json
/// {
///   "account": "a-7",
///   "known_since": "2021-03-01",
///   "previous_score": 35,
///   "expected_value": {"amount": "4800.00", "currency": "USD"},
///   "purchases": {"frequency": 6, "recency": 40.0, "age": 120.0},
///   "promises": {"kept": 7, "broken": 2, "slow_callbacks": 1},
///   "cadence": {"overdue_obligations": 1, "worst_days_overdue": 12},
///   "orders": {"hanging": 1, "partially_complete": 0},
///   "next_service_planned": false
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AccountFacts {
    /// The account.
    pub account: AccountId,
    /// The account's segment: its policy is the scorer's for that segment, if it has
    /// one ([`Scorer::with_segment`](super::Scorer::with_segment)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
    /// What the accounts it referred are worth a year (K6): a policy share of it
    /// (`referral_share`) joins its value at risk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referred_value: Option<Money>,
    /// How many accounts it referred (K6).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub referrals: u32,
    /// When the relationship began: silence is measured from here when the customer
    /// has never been in contact.
    #[serde(
        deserialize_with = "crate::model::wire::opt_date",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub known_since: Option<NaiveDate>,
    /// The account's score at the last scoring, for the trend.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_score: Option<u8>,
    /// Expected future value the host computed; wins over the spend model's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_value: Option<Money>,
    /// Purchase summary for the statistical models, in their time unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purchases: Option<PurchaseSummary>,
    /// Promise facts (K5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promises: Option<PromiseFacts>,
    /// Cadence facts (K3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cadence: Option<CadenceFacts>,
    /// Order facts (O4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub orders: Option<OrderFacts>,
    /// Whether a next service is planned (C8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_service_planned: Option<bool>,
}

impl AccountFacts {
    /// An account with no facts yet; only its interactions and surveys will count.
    pub fn new(account: impl Into<AccountId>) -> AccountFacts {
        AccountFacts {
            account: account.into(),
            segment: None,
            referred_value: None,
            referrals: 0,
            known_since: None,
            previous_score: None,
            expected_value: None,
            purchases: None,
            promises: None,
            cadence: None,
            orders: None,
            next_service_planned: None,
        }
    }
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// A book to score: the accounts, and the shared model's interactions and survey
/// responses for them, borrowed from the host. Interactions and surveys of accounts not
/// in `accounts` are skipped; so are those after `now`. They may come in any order;
/// grouped by account (as a database query sorted by account returns them) they cost
/// one account look-up per group instead of one per record.
#[derive(Debug, Clone, Copy)]
pub struct ScoreInput<'a> {
    /// The accounts to score.
    pub accounts: &'a [AccountFacts],
    /// Interactions with them.
    pub interactions: &'a [Interaction],
    /// Survey responses from them.
    pub surveys: &'a [SurveyResponse],
}

impl<'a> ScoreInput<'a> {
    /// A book from its three lists.
    pub fn new(
        accounts: &'a [AccountFacts],
        interactions: &'a [Interaction],
        surveys: &'a [SurveyResponse],
    ) -> ScoreInput<'a> {
        ScoreInput {
            accounts,
            interactions,
            surveys,
        }
    }
}
