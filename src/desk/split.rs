//! Splitting a book by account, the way a host spreads a large book over machines.

use std::collections::HashMap;

use rustc_hash::FxBuildHasher;

use crate::orders::fnv1a64;

use super::book::Book;

impl Book {
    /// The part of `parts` that an account id falls in: FNV-1a 64 of the id's UTF-8
    /// bytes, modulo `parts` (0 when `parts` is 0).
    ///
    /// The function is fixed and documented so a host's own job (Spark, Polars, SQL)
    /// can compute the same partition for each of its records without this crate.
    ///
    /// ```
    /// use retention::desk::Book;
    /// // FNV-1a 64 of "a-7" is 0xe61a66190463c5ac.
    /// assert_eq!(Book::part_of("a-7", 4), (0xe61a_6619_0463_c5ac_u64 % 4) as usize);
    /// ```
    pub fn part_of(account: &str, parts: usize) -> usize {
        let parts = u64::try_from(parts).unwrap_or(u64::MAX);
        if parts == 0 {
            return 0;
        }
        // The remainder is below `parts`, which came from a usize.
        usize::try_from(fnv1a64(account.as_bytes()) % parts).unwrap_or(0)
    }

    /// Splits the book into `parts` books by account ([`Book::part_of`]; at most one part
    /// per account, so fewer parts come back for a book with fewer accounts): each part has
    /// the calendar and policies, its accounts, and every record of those accounts (a
    /// promise event goes with its promise's account). Records whose account or
    /// promise the book does not hold go nowhere (a valid book has none).
    ///
    /// Each part's agenda lists the same lines as the whole book's agenda for those
    /// accounts (positions inside them, `accounts[i]`, count in the part), except what
    /// needs the whole book: the business's promise record, a
    /// fitted purchase model (give the parts one fitted on the whole book), and a rep's
    /// daily capacity when a rep's accounts fall in several parts. `parts` of 0 is taken
    /// as 1.
    pub fn split(&self, parts: usize) -> Vec<Book> {
        // More parts than accounts would only add empty books (and a huge count could
        // not be allocated): at most one part per account.
        let parts = parts.clamp(1, self.accounts.len().max(1));
        let mut out: Vec<Book> = (0..parts)
            .map(|_| {
                let mut b = Book::new(self.calendar.clone());
                b.schema_version = self.schema_version;
                b.business.clone_from(&self.business);
                b.history_since = self.history_since;
                b.policies = self.policies.clone();
                b
            })
            .collect();
        let part: HashMap<&str, usize, FxBuildHasher> = self
            .accounts
            .iter()
            .map(|a| (a.id.as_str(), Book::part_of(a.id.as_str(), parts)))
            .collect();
        let of = |account: &str| part.get(account).copied();
        macro_rules! spread {
            ($list:ident, $field:ident) => {
                for x in &self.$list {
                    if let Some(b) = of(x.$field.as_str()).and_then(|i| out.get_mut(i)) {
                        b.$list.push(x.clone());
                    }
                }
            };
        }
        spread!(accounts, id);
        spread!(people, account);
        spread!(interactions, account);
        spread!(surveys, account);
        spread!(units, account);
        spread!(orders, account);
        spread!(promises, account);
        spread!(reviews, account);
        let promise_part: HashMap<&str, usize, FxBuildHasher> = self
            .promises
            .iter()
            .filter_map(|p| Some((p.id.as_str(), of(p.account.as_str())?)))
            .collect();
        for e in &self.promise_events {
            if let Some(b) = promise_part
                .get(e.promise.as_str())
                .and_then(|&i| out.get_mut(i))
            {
                b.promise_events.push(e.clone());
            }
        }
        out
    }
}
