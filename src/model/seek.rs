//! Finding accounts by id in lists grouped by account: the next account a grouped list
//! names is read a few places ahead of the last one found before any hash is computed.

use super::Account;

/// How many accounts past the last one found are compared before falling back to the
/// table: a list grouped by account in the accounts' order names, in the usual case,
/// the very next account, or one a few places on when some accounts have no records in
/// it.
const AHEAD: usize = 8;

/// String equality, without a call to `memcmp` for the short ids hosts use.
#[inline]
pub(crate) fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    // Two overlapping words cover lengths 4 to 16.
    match a.len() {
        8..=16 => {
            a.first_chunk::<8>() == b.first_chunk::<8>()
                && a.last_chunk::<8>() == b.last_chunk::<8>()
        }
        4..=7 => {
            a.first_chunk::<4>() == b.first_chunk::<4>()
                && a.last_chunk::<4>() == b.last_chunk::<4>()
        }
        0..=3 => a.iter().zip(b).all(|(x, y)| x == y),
        _ => a == b,
    }
}

/// The positions of accounts named by the records of a list, read in the list's order.
///
/// The records of a book in canonical order come grouped by account, in the accounts'
/// own order, so the account a record names is, in turn, the one the record before it
/// named, the next account, or one a few places on. `find` compares those first (the
/// accounts lie one after the other in memory) and asks its caller's table only when
/// none of them is the one: the answer is the same either way (an account found
/// ahead has the id asked for), and a list in any other order costs a few comparisons
/// more a record, never a wrong position. A table that maps an id to another of the
/// accounts holding it (a duplicate id, which every check refuses) may answer another
/// of them.
pub(crate) struct Seek<'a> {
    accounts: &'a [Account],
    /// The position after the last account found.
    next: usize,
    /// The last id asked for, and its answer.
    last: Option<(&'a str, Option<u32>)>,
}

impl<'a> Seek<'a> {
    pub(crate) fn new(accounts: &'a [Account]) -> Seek<'a> {
        Seek {
            accounts,
            next: 0,
            last: None,
        }
    }

    /// The position of the account with this id, or `None`; `table` answers when the
    /// accounts just ahead do not hold it.
    #[inline]
    pub(crate) fn find(
        &mut self,
        id: &'a str,
        table: impl FnOnce(&str) -> Option<u32>,
    ) -> Option<u32> {
        if let Some((last, found)) = self.last {
            if same(last, id) {
                return found;
            }
        }
        let ahead = self
            .accounts
            .get(self.next..)
            .unwrap_or_default()
            .iter()
            .take(AHEAD)
            .position(|a| same(a.id.as_str(), id))
            .and_then(|k| u32::try_from(self.next + k).ok());
        let found = ahead.or_else(|| table(id));
        if let Some(f) = found {
            self.next = f as usize + 1;
        }
        self.last = Some((id, found));
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use std::cell::Cell;

    fn accounts(n: usize) -> Vec<Account> {
        let d = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        (0..n)
            .map(|i| Account::new(format!("a-{i:04}").as_str(), "A", d))
            .collect()
    }

    /// Records of every third account (then a gap longer than the look-ahead), a
    /// repeat, an unknown id, and a step back: every answer is the table's, and the
    /// table is asked only past the look-ahead.
    #[test]
    fn accounts_ahead_are_found_without_the_table_and_the_rest_with_it() {
        let list = accounts(100);
        let asked = Cell::new(0usize);
        let table = |id: &str| {
            asked.set(asked.get() + 1);
            list.iter()
                .position(|a| a.id.as_str() == id)
                .map(|i| i as u32)
        };
        let mut ids: Vec<String> = (0..30).step_by(3).map(|i| format!("a-{i:04}")).collect();
        ids.push("a-0027".into()); // the same again: remembered
        ids.push("a-0060".into()); // 32 places on: past the look-ahead
        ids.push("a-0061".into()); // next
        ids.push("nobody".into()); // unknown: the table says so
        ids.push("a-0005".into()); // back: the table again
        ids.push("a-0006".into()); // next after it
        let mut seek = Seek::new(&list);
        let mut got = Vec::new();
        for id in &ids {
            got.push(seek.find(id, table));
        }
        let expected: Vec<Option<u32>> = ids
            .iter()
            .map(|id| {
                list.iter()
                    .position(|a| a.id.as_str() == id)
                    .map(|i| i as u32)
            })
            .collect();
        assert_eq!(got, expected);
        // The table: once for `a-0060`, once for `nobody`, once for `a-0005`.
        assert_eq!(asked.get(), 3);
    }

    #[test]
    fn ids_are_equal_exactly_when_their_bytes_are() {
        let ids = [
            "",
            "a",
            "ab",
            "abc",
            "abcd",
            "abce",
            "abcdefg",
            "abcdefh",
            "abcdefgh",
            "bbcdefgh",
            "abcdefghijklmnop",
            "abcdefghijklmnoq",
            "xbcdefghijklmnop",
            "abcdefghijklmnopq",
            "abcdefghijklmnopr",
            "é",
            "e\u{301}",
        ];
        for a in ids {
            for b in ids {
                assert_eq!(same(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }

    proptest::proptest! {
        /// In any order, with ids the accounts do not hold and repeats, every answer is
        /// the table's.
        #[test]
        fn every_answer_is_the_tables(
            n in 0usize..40,
            asks in proptest::collection::vec(0usize..50, 0..200),
        ) {
            let list = accounts(n);
            let table = |id: &str| list.iter().position(|a| a.id.as_str() == id).map(|i| i as u32);
            let ids: Vec<String> = asks.iter().map(|i| format!("a-{i:04}")).collect();
            let mut seek = Seek::new(&list);
            for id in &ids {
                proptest::prop_assert_eq!(seek.find(id, table), table(id), "{}", id);
            }
        }
    }
}
