//! What the planner reads: the book of accounts, people and their history, and two small
//! records of the planner's own (completed orders and record reviews).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::model::{
    Account, AccountId, InstalledUnit, Interaction, OrderId, Person, PersonId, SurveyResponse,
};

/// A completed service order, as much of it as the cadence needs (C4, C6, C8).
///
/// The planner does not read the order engine's types: a host (or a future daily desk
/// joining the engines) fills this from its own orders. In JSON:
///
/// ```json
/// {"id": "o-88", "account": "a-7", "person": "p-12", "completed_at": "2026-11-20T17:00:00Z",
///  "first_for_account": true, "next_service_planned_on": "2027-05-20"}
/// ```
///
/// `person`, `first_for_account` (default `false`), `next_service_planned_on` and
/// `next_service_not_needed` (default `false`) may be left out.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CompletedOrder {
    /// The host's key for the order.
    pub id: OrderId,
    /// The account it was for.
    pub account: AccountId,
    /// The person the work was for, when known (the follow-up call goes to them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<PersonId>,
    /// When the work was completed.
    #[serde(deserialize_with = "crate::model::wire::instant")]
    pub completed_at: DateTime<Utc>,
    /// Whether this was the account's first order (a thank-you note is due, C6).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub first_for_account: bool,
    /// The date the next service is planned for, if one was agreed (C8).
    #[serde(
        deserialize_with = "crate::model::wire::opt_date",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub next_service_planned_on: Option<NaiveDate>,
    /// The customer was asked and needs no next service (O9): C8 is met without a date.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub next_service_not_needed: bool,
}

impl CompletedOrder {
    /// An order completed at `completed_at`, not the first, with no next service planned.
    pub fn new(
        id: impl Into<OrderId>,
        account: impl Into<AccountId>,
        completed_at: DateTime<Utc>,
    ) -> CompletedOrder {
        CompletedOrder {
            id: id.into(),
            account: account.into(),
            person: None,
            completed_at,
            first_for_account: false,
            next_service_planned_on: None,
            next_service_not_needed: false,
        }
    }
}

/// A record review done for an account (C5). In JSON:
/// `{"account": "a-7", "reviewed_on": "2026-11-02"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RecordReview {
    /// The account reviewed.
    pub account: AccountId,
    /// The date of the review (the business's calendar date).
    #[serde(deserialize_with = "crate::model::wire::date")]
    pub reviewed_on: NaiveDate,
}

impl RecordReview {
    /// A review of `account` on `reviewed_on`.
    pub fn new(account: impl Into<AccountId>, reviewed_on: NaiveDate) -> RecordReview {
        RecordReview {
            account: account.into(),
            reviewed_on,
        }
    }
}

/// Everything the planner reads, as a host would load it. Every list but `accounts`
/// may be left out of the JSON. The order of every list is free: the plan is the same
/// whatever order they come in (interactions grouped by account are read fastest).
///
/// ```json
/// {"accounts": [...], "people": [...], "interactions": [...], "surveys": [...],
///  "units": [...], "orders": [...], "reviews": [...]}
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PlanInput {
    /// The customers.
    pub accounts: Vec<Account>,
    /// The people at them.
    #[serde(default)]
    pub people: Vec<Person>,
    /// Past interactions with them.
    #[serde(default)]
    pub interactions: Vec<Interaction>,
    /// Survey responses (C7).
    #[serde(default)]
    pub surveys: Vec<SurveyResponse>,
    /// Installed units (C5).
    #[serde(default)]
    pub units: Vec<InstalledUnit>,
    /// Completed orders (C4, C6, C8).
    #[serde(default)]
    pub orders: Vec<CompletedOrder>,
    /// Record reviews done (C5).
    #[serde(default)]
    pub reviews: Vec<RecordReview>,
    /// From when the book's records are complete (the history horizon); an account's
    /// own `history_since` wins. Absent: each account's history starts at its earliest
    /// record, or today for an account with none (see
    /// [`history_start`](crate::model::history_start)).
    #[serde(
        deserialize_with = "crate::model::wire::opt_date",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub history_since: Option<NaiveDate>,
}

/// A borrowed view of a [`PlanInput`]'s lists: what the planner reads. The daily desk plans
/// over its own book's lists through it, without copying them into a `PlanInput`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BookRef<'a> {
    pub(crate) accounts: &'a [Account],
    pub(crate) people: &'a [Person],
    pub(crate) interactions: &'a [Interaction],
    pub(crate) surveys: &'a [SurveyResponse],
    pub(crate) units: &'a [InstalledUnit],
    pub(crate) orders: &'a [CompletedOrder],
    pub(crate) reviews: &'a [RecordReview],
    /// The book's history horizon.
    pub(crate) history_since: Option<NaiveDate>,
    /// Each account's history start, worked out by the caller (the daily desk, from
    /// every list it holds); `None`: the planner works it out from its own lists.
    pub(crate) history_starts: Option<&'a [NaiveDate]>,
    /// The records' own checks were done by the caller (the daily desk checks its book
    /// whole): the planner still resolves and checks every reference, but does not
    /// check each record's fields again.
    pub(crate) checked: bool,
}

#[cfg(test)]
impl<'a> BookRef<'a> {
    /// The planner's view of a desk book's lists, with `orders` as its completed orders
    /// (for the planner's own tests).
    pub(crate) fn of_desk(book: &'a crate::desk::Book, orders: &'a [CompletedOrder]) -> Self {
        BookRef {
            accounts: &book.accounts,
            people: &book.people,
            interactions: &book.interactions,
            surveys: &book.surveys,
            units: &book.units,
            orders,
            reviews: &book.reviews,
            history_since: None,
            history_starts: None,
            checked: false,
        }
    }
}

impl PlanInput {
    /// The view the planner reads.
    pub(crate) fn view(&self) -> BookRef<'_> {
        BookRef {
            accounts: &self.accounts,
            people: &self.people,
            interactions: &self.interactions,
            surveys: &self.surveys,
            units: &self.units,
            orders: &self.orders,
            reviews: &self.reviews,
            history_since: self.history_since,
            history_starts: None,
            checked: false,
        }
    }

    /// A book of these accounts and nothing else yet.
    pub fn new(accounts: Vec<Account>) -> PlanInput {
        PlanInput {
            accounts,
            ..PlanInput::default()
        }
    }
}
