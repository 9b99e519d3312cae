//! The history horizon: from when the crate may assume a customer's records are complete.

use chrono::NaiveDate;

use super::Account;

/// The first day an obligation of `account` may be counted from: the later of its
/// `customer_since` and the start of its records.
///
/// The records start on the account's own [`history_since`](Account::history_since),
/// else the book's `history_since` (`book`), else, with nothing stated, on the
/// account's earliest record (`earliest`: its first interaction, order, survey or
/// review), or `today` for an account with no record at all, so that a business that
/// imports its customers today is not told they have been neglected for years. An
/// obligation whose basis predates the history (no visit on record) is due one interval
/// after the history's start, and its sentence says "no visit on record since" that day
/// rather than "never".
///
/// ```
/// use chrono::NaiveDate;
/// use retention::model::{Account, history_start};
///
/// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let mut a = Account::new("a-1", "Oak Ridge", day(2019, 3, 1));
/// let today = day(2026, 11, 24);
/// // Imported today with no records: the history starts today.
/// assert_eq!(history_start(&a, None, None, today), today);
/// // A first call last month starts it then.
/// assert_eq!(history_start(&a, None, Some(day(2026, 10, 20)), today), day(2026, 10, 20));
/// // The book says its records are complete from 2025; the account says 2024.
/// assert_eq!(history_start(&a, Some(day(2025, 1, 1)), None, today), day(2025, 1, 1));
/// a.history_since = Some(day(2024, 1, 1));
/// assert_eq!(history_start(&a, Some(day(2025, 1, 1)), None, today), day(2024, 1, 1));
/// // Never before the relationship began.
/// a.history_since = Some(day(2010, 1, 1));
/// assert_eq!(history_start(&a, None, None, today), day(2019, 3, 1));
/// ```
pub fn history_start(
    account: &Account,
    book: Option<NaiveDate>,
    earliest: Option<NaiveDate>,
    today: NaiveDate,
) -> NaiveDate {
    let start = account
        .history_since
        .or(book)
        .unwrap_or_else(|| earliest.map_or(today, |e| e.min(today)));
    start.max(account.customer_since)
}
