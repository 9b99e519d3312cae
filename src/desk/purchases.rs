//! A book's purchase histories (K4), as the desk reads them for the purchase models: for
//! a host or a job that fits or scores the models itself (across a cluster, say) from
//! the same summaries the agenda uses.

use chrono::{DateTime, Utc};
use std::collections::HashMap;

use rustc_hash::FxBuildHasher;
use serde::{Deserialize, Serialize};

use super::Book;
use super::run::{completion, purchase_summary};
use crate::error::Error;
use crate::model::AccountId;
use crate::risk::models::PurchaseSummary;

/// One account's purchase history (K4): every completed order a purchase at its
/// completion, in weeks. In JSON:
/// `{"account": "a-1", "summary": {"frequency": 2, "recency": 20.0, "age": 51.3}}`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct AccountPurchases {
    /// The account.
    pub account: AccountId,
    /// Its repeat purchases, first to last purchase, and first purchase to `now`, in weeks.
    pub summary: PurchaseSummary,
}

impl Book {
    /// Each account's purchase history at `now`, as the agenda reads it for the purchase
    /// models (K4): an order that is done now (completed, signed off or closed, not
    /// reopened or cancelled since) is a purchase at its last completion, if that is at
    /// or before `now`; frequency is the purchases less one, recency the weeks from the
    /// first to the last, age the weeks from the first to `now`. One entry per account
    /// with a purchase, in the book's order of accounts. A job that fits the purchase
    /// model across machines sums the likelihood partials of these rows, and can give
    /// the fitted model to every part's agenda.
    ///
    /// ```
    /// use retention::chrono::{TimeZone, Utc};
    /// use retention::synthetic::{Spec, book};
    ///
    /// let spec = Spec::new(7, 40);
    /// let b = book(&spec);
    /// let rows = b.purchase_summaries(Spec::DEFAULT_NOW)?;
    /// assert!(!rows.is_empty() && rows.len() <= b.accounts.len());
    /// assert!(rows.iter().all(|r| r.summary.recency <= r.summary.age));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// The book's problems, as [`Book::validate`] reports them.
    pub fn purchase_summaries(&self, now: DateTime<Utc>) -> Result<Vec<AccountPurchases>, Error> {
        self.validate()?;
        let index: HashMap<&str, usize, FxBuildHasher> = self
            .accounts
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.as_str(), i))
            .collect();
        // (account's position, completion) of every purchase, grouped by account.
        let mut purchases: Vec<(usize, DateTime<Utc>)> = self
            .orders
            .iter()
            .filter_map(|o| Some((*index.get(o.account.as_str())?, completion(o)?)))
            .collect();
        purchases.sort_by_key(|&(account, _)| account);
        Ok(purchases
            .chunk_by(|a, b| a.0 == b.0)
            .filter_map(|run| {
                let account = self.accounts.get(run.first()?.0)?.id.clone();
                let summary = purchase_summary(run.iter().map(|&(_, t)| t), now)?;
                Some(AccountPurchases { account, summary })
            })
            .collect())
    }
}
