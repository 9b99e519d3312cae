//! The daily agenda: what the business should do today, with every reason attached.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ErrorKind;
use crate::cadence::{DueItem, Explanation};
use crate::model::{AccountId, UserId};
use crate::orders::{Opportunity, OrderReport};
use crate::promises::{Summary, TagChain, Verdict};
use crate::risk::models::{PurchaseParams, Variant};
use crate::risk::{AccountRisk, BandCounts};

use super::book::Counts;

/// What one business should do today: the four engines' results for one book and one
/// `now`, wired together and cut down to what needs a person.
///
/// Every list has a documented order, so the same book and `now` give the same agenda,
/// byte for byte, whatever order the book's lists came in. Positions inside the
/// engines' reports (`interactions[5]`, a verdict's `source.index`) refer to the book in
/// its canonical order ([`Book::sort`](super::Book::sort)).
///
/// ```json
/// {"schema_version": 3, "business": "Prairie Comfort Heating & Air",
///  "now": "2026-11-24T15:00:00Z", "today": "2026-11-24",
///  "read": {"accounts": 40, ...},
///  "touches": [{"rep": "u-dana", "items": [...]}, ...], "touches_later": 31,
///  "later": [{"planned_on": "2026-11-25", "rep": "u-dana", "key": "C1:a-07:p-12:2026-11-27", ...}],
///  "cadence_notes": [...],
///  "orders": [{"account": "a-03", "report": {...}}, ...],
///  "promises": {"overdue": [...], "due_soon": [...], "broken": [...],
///               "tag_chains": [...], "business": {...}},
///  "at_risk": [...], "risk_bands": {"healthy": 31, "watch": 4, "at_risk": 3, "critical": 2},
///  "opportunities": [...]}
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Agenda {
    /// The contract's version: [`SCHEMA_VERSION`](super::SCHEMA_VERSION).
    #[cfg_attr(feature = "schemars", schemars(extend("const" = super::SCHEMA_VERSION)))]
    pub schema_version: u32,
    /// The business's name, from the book.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business: Option<String>,
    /// The instant the agenda was made for.
    pub now: DateTime<Utc>,
    /// Today in the business's time zone.
    pub today: NaiveDate,
    /// How many records of each list the book held.
    pub read: Counts,
    /// Touches planned for today (C1-C8, K1), one group per rep, reps in id order and
    /// the unassigned pool (`"rep"` absent) last; each group in the planner's order.
    pub touches: Vec<RepTouches>,
    /// How many touches are planned for later days of the planner's horizon.
    pub touches_later: usize,
    /// The touches planned for later days: each one's day, rep and key, by day, then
    /// rep (the pool last), then key (C8: the next touch is planned, and none is
    /// dropped silently).
    pub later: Vec<LaterTouch>,
    /// Why a customer's touch was suppressed, moved or missed, or who is missing (C3),
    /// by account, then key, then code. Touches no day of the horizon had room for are
    /// noted once per account, rule and limit (`cadence.deferred`, with `deferred`: how
    /// many items and obligations, how many overdue, the limit, every person concerned
    /// and the first keys), not once per touch: they are neither in `touches` nor in
    /// `later`, and they stay owed.
    pub cadence_notes: Vec<Explanation>,
    /// Open orders blocked or left hanging (O1-O9), the worst first.
    pub orders: Vec<OrderLine>,
    /// Promises due soon, overdue and broken (P1-P6).
    pub promises: PromiseDesk,
    /// Customers at risk (K1-K6), by value at risk (highest first; unknown value last),
    /// then score (highest first), then account id.
    pub at_risk: Vec<AccountRisk>,
    /// How many accounts fell in each risk band, listed or not.
    pub risk_bands: BandCounts,
    /// The purchase model behind P(alive) (K4), and where it came from.
    pub purchase_model: PurchaseModelUsed,
    /// What technicians saw that sales can offer (O7), observed within the desk policy's
    /// `opportunity_lookback`: by account, order, then the observation's position.
    pub opportunities: Vec<Opportunity>,
}

/// A touch planned for a later day of the horizon.
///
/// ```json
/// {"planned_on": "2026-11-27", "rep": "u-dana", "key": "C6b:a-1:p-1:2026-11-27",
///  "account": "a-1", "due_on": "2026-11-27"}
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LaterTouch {
    /// The day it is planned for.
    pub planned_on: NaiveDate,
    /// The rep; absent for the pool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rep: Option<UserId>,
    /// The item's key, as it will appear on that day's list.
    pub key: String,
    /// The account.
    pub account: AccountId,
    /// Its deadline.
    pub due_on: NaiveDate,
}

/// One rep's touches for today.
///
/// ```json
/// {"rep": "u-dana", "items": [{"key": "C1:a-07:p-12:2026-11-24", ...}]}
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RepTouches {
    /// The rep; absent for touches no rep owns (the account has no owner).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rep: Option<UserId>,
    /// The touches, most pressing first.
    pub items: Vec<DueItem>,
}

/// An open order that needs someone: its findings, or its being on hold or partly done.
///
/// ```json
/// {"account": "a-03", "report": {"order": "o-118", "stage": "on_hold", ...}}
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OrderLine {
    /// The order's account.
    pub account: AccountId,
    /// The check: of the order's current stage, or, for a completed order, of what
    /// closing it needs.
    pub report: OrderReport,
}

/// A promise on the agenda, with its account.
///
/// ```json
/// {"account": "a-07", "verdict": {"promise": "callback:i-1041", "status": "overdue", ...}}
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PromiseLine {
    /// The account the promise was made to.
    pub account: AccountId,
    /// The ledger's verdict.
    pub verdict: Verdict,
}

/// The promise part of the agenda.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PromiseDesk {
    /// Open promises past their due (callbacks included), the longest overdue first.
    pub overdue: Vec<PromiseLine>,
    /// Open promises due soon, the soonest first.
    pub due_soon: Vec<PromiseLine>,
    /// Promises broken: still open, or closed within the desk policy's `recent` span;
    /// the most recent due first.
    pub broken: Vec<PromiseLine>,
    /// Promises the customer's changed plans closed or moved (P5, P6): cancelled by the
    /// customer or renegotiated, closed within the desk policy's `recent` span; the most
    /// recent first. The schedule and the technician's day may need to follow.
    pub changed: Vec<PromiseLine>,
    /// Runs of phone tag (P2), by account and start.
    pub tag_chains: Vec<TagChain>,
    /// The business's promise record.
    pub business: Summary,
}

/// The purchase model the risk scorer used for P(alive) (K4), as the desk policy asked.
///
/// ```json
/// {"kind": "fitted", "variant": "modified_bg_nbd",
///  "params": {"r": 0.8, "alpha": 30.1, "a": 0.4, "b": 2.9}, "customers": 2000}
/// {"kind": "not_fitted", "code": "risk.degenerate_data", "reason": "..."}
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum PurchaseModelUsed {
    /// None was asked for: K4 was not scored.
    None {},
    /// The model the policy gave.
    Given {
        /// Its form.
        variant: Variant,
        /// Its parameters, in weeks.
        params: PurchaseParams,
    },
    /// The model fitted on the book.
    Fitted {
        /// Its form.
        variant: Variant,
        /// The fitted parameters, in weeks.
        params: PurchaseParams,
        /// The customers the fit read.
        customers: usize,
    },
    /// The policy asked for a fit and the book could not give one (too few customers
    /// with repeat orders, or none at all): K4 was not scored.
    NotFitted {
        /// Why, as an error code (`risk.degenerate_data`, `risk.fit_failed`,
        /// `risk.empty_book`, `risk.model_undefined`).
        code: ErrorKind,
        /// Why, in a sentence.
        reason: String,
    },
}
