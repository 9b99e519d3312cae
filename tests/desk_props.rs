//! Invariants of the daily desk: the agenda is the same, byte for byte, whatever the order
//! of the book's lists; any `now` gives an agenda or a coded error, never a panic.

use chrono::{DateTime, TimeDelta, Utc};
use proptest::prelude::*;
use retention::desk::Book;

use crate::desk_fixture::{book, now};

/// Reorders a list by a permutation drawn from `keys` (one key per item, ties kept).
fn permute<T>(list: &mut Vec<T>, keys: &[u32]) {
    let mut tagged: Vec<(u32, usize, T)> = list
        .drain(..)
        .enumerate()
        .map(|(i, x)| {
            (
                keys.get(i % keys.len().max(1)).copied().unwrap_or(0) ^ i as u32,
                i,
                x,
            )
        })
        .collect();
    tagged.sort_by_key(|(k, i, _)| (*k, *i));
    list.extend(tagged.into_iter().map(|(_, _, x)| x));
}

fn shuffled(book: &Book, keys: &[u32]) -> Book {
    let mut b = book.clone();
    permute(&mut b.accounts, keys);
    permute(&mut b.people, keys);
    permute(&mut b.interactions, keys);
    permute(&mut b.surveys, keys);
    permute(&mut b.units, keys);
    permute(&mut b.orders, keys);
    permute(&mut b.promises, keys);
    permute(&mut b.promise_events, keys);
    permute(&mut b.reviews, keys);
    b
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn shuffling_every_list_leaves_the_agenda_byte_identical(
        keys in proptest::collection::vec(any::<u32>(), 1..16),
    ) {
        let book = book();
        let expected = book.agenda(now()).unwrap().to_json();
        let other = shuffled(&book, &keys);
        prop_assert_eq!(other.agenda(now()).unwrap().to_json(), expected);
        // Sorting it gives back the canonical book.
        let mut sorted = other;
        sorted.sort();
        prop_assert!(sorted.is_sorted());
        prop_assert_eq!(sorted.to_json(), book.to_json());
    }

    #[test]
    fn any_now_gives_an_agenda_or_a_coded_error(
        secs in prop_oneof![
            // Anywhere chrono can represent, its limits included.
            DateTime::<Utc>::MIN_UTC.timestamp()..=DateTime::<Utc>::MAX_UTC.timestamp(),
            // Within 50 years of the fixture's day.
            -1_600_000_000i64..1_600_000_000,
        ],
    ) {
        let book = book();
        let near = secs.unsigned_abs() < 1_600_000_000;
        let now = if near {
            now() + TimeDelta::seconds(secs)
        } else {
            DateTime::<Utc>::from_timestamp(secs, 0).unwrap_or(DateTime::<Utc>::MAX_UTC)
        };
        match book.agenda(now) {
            Ok(agenda) => prop_assert_eq!(agenda.now, now),
            Err(e) => prop_assert!(e.code().contains('.'), "{}", e),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    /// The same on a synthetic book, whose lists hold every kind of record.
    #[test]
    fn shuffling_a_synthetic_book_leaves_its_agenda_byte_identical(
        seed in 0u64..1_000,
        keys in proptest::collection::vec(any::<u32>(), 1..16),
    ) {
        let spec = retention::synthetic::Spec::new(seed, 40);
        let book = retention::synthetic::book(&spec);
        let expected = book.agenda(spec.now).unwrap().to_json();
        prop_assert_eq!(shuffled(&book, &keys).agenda(spec.now).unwrap().to_json(), expected);
    }
}
