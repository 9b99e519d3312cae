//! The shared domain model: the records every engine reads.
//!
//! Plain owned data with a documented JSON shape, built by the host from its own
//! database: [`Account`]s (the customers), the [`Person`]s at each account (C3), every
//! [`Interaction`] with them (calls, emails, visits, and whether a left message carried
//! value, P2), [`SurveyResponse`]s (C7) and [`InstalledUnit`]s (C5). Ids are typed
//! ([`AccountId`], [`PersonId`], ...) and money is an exact [`Money`] (a `Decimal` and a
//! [`Currency`]). Every verdict names the practice [`Rule`] it serves, and policies
//! state lengths of time as [`Span`]s. Service orders and promises get their full types with their engines;
//! [`OrderId`] and [`PromiseId`] are already here so records can point at them.
//!
//! # Checking
//!
//! Reading JSON checks shapes (a misspelt field, a channel the crate does not know, a
//! currency that is not three capitals). Each record's `validate` then checks what a
//! shape cannot say, and reports every problem at once with its code and path; the list
//! checks ([`validate_people`] and friends) add the position in the list and refuse
//! duplicate ids. Engines validate their input the same way before they evaluate it.
//!
//! ```
//! use retention::model::{validate_people, Person};
//!
//! let people: Vec<Person> = serde_json::from_str(r#"[
//!     {"id": "p-1", "account": "a-1", "name": "Dr. Lena Ortiz", "role": "owner",
//!      "key_contact": true, "birthday": {"month": 12, "day": 3},
//!      "channels": {"preferred": ["email", "phone"]}},
//!     {"id": "p-2", "account": "a-1", "name": "Marcus Bell", "role": "receptionist"},
//!     {"id": "p-3", "account": "a-1", "name": "Ruth Adeyemi", "role": "executive_assistant",
//!      "time_zone": "America/Chicgo"},
//!     {"id": "p-2", "account": "a-1", "name": "Marcus Bell (again)", "role": "other"}
//! ]"#)?;
//!
//! let err = validate_people(&people).unwrap_err();
//! let found: Vec<String> = err.problems().iter().map(|p| format!("{} {}", p.path(), p.code())).collect();
//! assert_eq!(found, [
//!     "people[2].time_zone model.unknown_time_zone",
//!     "people[3].id model.duplicate_id",
//! ]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! References between records (a person's account, an interaction's person) are
//! resolved by the engines that join them; a list check looks at one list.

mod account;
mod channel;
pub(crate) mod flat;
mod history;
mod ids;
mod interaction;
mod money;
mod person;
mod rhythm;
mod rule;
pub(crate) mod secs;
mod seek;
mod span;
mod survey;
mod unit;
pub(crate) mod wire;

pub use account::{Account, Discovery};
pub use channel::{Channel, ChannelPreferences};
pub use history::history_start;
pub use ids::{
    AccountId, InteractionId, MAX_ID_LEN, OrderId, PersonId, PromiseId, SurveyId, UnitId, UserId,
};
pub use interaction::{Direction, Interaction, MessageValue, Outcome, Party};
pub use money::{Currency, Money};
pub use person::{Birthday, LeapDayRule, Person, Role};
pub use rhythm::{Rhythm, UsualGap};
pub use rule::Rule;
pub(crate) use seek::{Seek, same};
pub use span::Span;
pub(crate) use span::{check_fixed, some_span, upgrade_old_count};
pub use survey::{SurveyResponse, SurveyScale};
pub use unit::{InstalledUnit, ServiceInterval};

use crate::error::{Error, ErrorKind, FieldPath, Problems};

/// The zone of an optional IANA name; `None` when absent or unknown.
fn parse_zone(name: Option<&str>) -> Option<chrono_tz::Tz> {
    name.and_then(|z| z.parse().ok())
}

/// Records `model.unknown_time_zone` at `time_zone` unless the name is absent or in the
/// IANA database.
fn check_zone(name: Option<&str>, problems: &mut Problems) {
    if let Some(name) = name {
        if parse_zone(Some(name)).is_none() {
            problems.push(
                ErrorKind::UnknownRecordTimeZone,
                FieldPath::root().field("time_zone"),
                format!("`{name}` is not a time zone in the IANA database"),
            );
        }
    }
}

/// The most bytes a name may have (`model.name_too_long` past it): a person's, an
/// account's or the business's name is copied into the sentences about them.
pub const MAX_NAME_LEN: usize = 256;

/// Records `model.name_too_long` at `field` when `name` is longer than [`MAX_NAME_LEN`].
pub(crate) fn check_name(name: &str, field: &str, problems: &mut Problems) {
    if name.len() > MAX_NAME_LEN {
        problems.push(
            ErrorKind::NameTooLong,
            FieldPath::root().field(field),
            format!(
                "the {field} is {} bytes long, more than the {MAX_NAME_LEN} a name may have",
                name.len()
            ),
        );
    }
}

/// Checks each item of a list, places its problems under `name[i]`, and refuses a
/// non-blank id seen before; nothing allocated per item that has no problem.
///
/// For the lists nothing looks up by id afterwards, so no table is kept: the repeated
/// ids are found first by sorting the ids' hashes ([`repeated`]), and reported in list
/// order, each after the item's own problems, as [`check_listed`] reports them.
pub(crate) fn check_list<T: Keyed>(
    items: &[T],
    name: &'static str,
    check: impl Fn(&T, &mut Problems),
) -> Result<(), Error> {
    let mut repeats = repeated(items).into_iter().peekable();
    check_each(items, name, check, |i, _| repeats.next_if_eq(&i).is_some())
}

/// The loop both list checks share: each item's own checks, then `model.duplicate_id`
/// when `repeat(i, id)` says an earlier item holds its id, all placed under `name[i]`.
fn check_each<T: Keyed>(
    items: &[T],
    name: &'static str,
    check: impl Fn(&T, &mut Problems),
    mut repeat: impl FnMut(usize, &str) -> bool,
) -> Result<(), Error> {
    let mut problems = Problems::new();
    for (i, item) in items.iter().enumerate() {
        let start = problems.len();
        check(item, &mut problems);
        let key = item.key();
        if repeat(i, key) {
            problems.push(
                ErrorKind::DuplicateId,
                FieldPath::root().field("id"),
                format!("the id `{key}` is used by an earlier item of `{name}`"),
            );
        }
        problems.place_since(start, || FieldPath::root().field(name).index(i));
    }
    problems.finish()
}

/// Whether an id counts for uniqueness: not blank (a blank id is refused on its own).
fn is_set(key: &str) -> bool {
    // A first byte that is printable ASCII settles "not blank" without a scan.
    key.as_bytes().first().is_some_and(u8::is_ascii_graphic) || !key.trim().is_empty()
}

/// The positions, ascending, of the items whose id (not blank) an earlier item holds.
///
/// The ids' 32-bit hashes, with their positions, are radix sorted (a stable sort: four
/// passes over 8 bytes an item, read and written in order), so equal ids come next to
/// each other; only ids whose hashes agree are compared. Linear in the list, where a
/// hash table of two million ids is two million reads and writes at random places. A
/// run of equal hashes longer than a few ids (crafted collisions) is sorted by id,
/// so no input makes the check quadratic.
fn repeated<T: Keyed>(items: &[T]) -> Vec<usize> {
    let mut hashed: Vec<(u32, u32)> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let key = item.key();
        // A list longer than positions can count (four billion items) is checked up
        // to there.
        if let (true, Ok(i)) = (is_set(key), u32::try_from(i)) {
            let h = Ids::<T>::hash(key);
            hashed.push(((h >> 32) as u32 ^ h as u32, i));
        }
    }
    radsort::sort_by_key(&mut hashed, |&(h, _)| h);
    let key = |i: u32| items.get(i as usize).map_or("", T::key);
    let mut out = Vec::new();
    for run in hashed.chunk_by(|a, b| a.0 == b.0) {
        repeated_in_run(run, key, &mut out);
    }
    out.sort_unstable();
    out
}

/// The later positions of equal ids among items whose hashes agree (`run`, in ascending
/// position), added to `out`.
fn repeated_in_run<'k>(run: &[(u32, u32)], key: impl Fn(u32) -> &'k str, out: &mut Vec<usize>) {
    match run {
        [_] | [] => {}
        [a, b] => {
            if same(key(a.1), key(b.1)) {
                out.push(b.1 as usize);
            }
        }
        _ if run.len() <= 8 => {
            // Each against every item before it.
            for (k, b) in run.iter().enumerate().skip(1) {
                let before = run.get(..k).unwrap_or_default();
                if before.iter().any(|a| same(key(a.1), key(b.1))) {
                    out.push(b.1 as usize);
                }
            }
        }
        _ => {
            let mut run = run.to_vec();
            run.sort_by(|a, b| key(a.1).cmp(key(b.1)).then(a.1.cmp(&b.1)));
            for pair in run.windows(2) {
                if let [a, b] = pair {
                    if key(a.1) == key(b.1) {
                        out.push(b.1 as usize);
                    }
                }
            }
        }
    }
}

/// [`check_list`], and the table of the list's ids it built, for look-ups by id after.
pub(crate) fn check_listed<'a, T: Keyed>(
    items: &'a [T],
    name: &'static str,
    check: impl Fn(&T, &mut Problems),
) -> (Result<(), Error>, Ids<'a, T>) {
    let mut seen = Ids::with_capacity(items);
    let checked = check_each(items, name, check, |i, key| {
        !seen.insert(i, key) && is_set(key)
    });
    (checked, seen)
}

/// The ids of a list, as the positions of the first items that hold them: a look-up
/// table built once by the list's check and read by whatever resolves references to it.
///
/// A position is 4 bytes where a `&str` is 16, so the table of a book's two million
/// interactions is about 20 MB instead of 70 MB, and the random look-ups of a long list
/// stay in the processor's cache. An id is hashed with rustc-hash's Fx (as everywhere
/// else in the crate: ids are the host's own) and compared only when the hashes agree.
pub(crate) struct Ids<'a, T> {
    items: &'a [T],
    table: hashbrown::HashTable<u32>,
}

/// A record with an id of its own, unique in its list.
pub(crate) trait Keyed {
    /// The record's id.
    fn key(&self) -> &str;
}

macro_rules! keyed {
    ($($t:ty),*) => {$(
        impl Keyed for $t {
            #[inline]
            fn key(&self) -> &str {
                self.id.as_str()
            }
        }
    )*};
}

keyed!(
    Account,
    Person,
    Interaction,
    SurveyResponse,
    InstalledUnit,
    crate::orders::ServiceOrder,
    crate::promises::Promise
);

impl<'a, T: Keyed> Ids<'a, T> {
    fn with_capacity(items: &'a [T]) -> Ids<'a, T> {
        Ids {
            items,
            table: hashbrown::HashTable::with_capacity(items.len()),
        }
    }

    /// The table of `items`' ids, each at the position of the first item that holds it.
    pub(crate) fn of(items: &'a [T]) -> Ids<'a, T> {
        let mut ids = Ids::with_capacity(items);
        for (i, item) in items.iter().enumerate() {
            ids.insert(i, item.key());
        }
        ids
    }

    fn hash(key: &str) -> u64 {
        use std::hash::BuildHasher as _;
        rustc_hash::FxBuildHasher.hash_one(key)
    }

    /// The id of `items[j]` (empty past the end, which no position in the table is).
    fn id_at(items: &'a [T], j: u32) -> &'a str {
        items.get(j as usize).map_or("", T::key)
    }

    /// Adds `key`, the id of `items[i]`; `false` when an earlier item has it. A list
    /// longer than positions can count (four billion items) is indexed up to there.
    fn insert(&mut self, i: usize, key: &str) -> bool {
        let Ok(at) = u32::try_from(i) else {
            return true;
        };
        let items = self.items;
        match self.table.entry(
            Self::hash(key),
            |&j| same(Self::id_at(items, j), key),
            |&j| Self::hash(Self::id_at(items, j)),
        ) {
            hashbrown::hash_table::Entry::Occupied(_) => false,
            hashbrown::hash_table::Entry::Vacant(slot) => {
                slot.insert(at);
                true
            }
        }
    }

    /// The number of items the table was built over: every position is below it.
    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }

    /// The position of the first item with this id.
    pub(crate) fn position(&self, key: &str) -> Option<u32> {
        self.table
            .find(Self::hash(key), |&j| same(Self::id_at(self.items, j), key))
            .copied()
    }

    /// The first item with this id.
    pub(crate) fn get(&self, key: &str) -> Option<&'a T> {
        self.position(key).and_then(|j| self.items.get(j as usize))
    }
}

/// Checks a list of accounts: each as [`Account::validate`], paths under `accounts[i]`,
/// and `model.duplicate_id` for an id used twice.
///
/// # Errors
/// Every problem found, in list order.
pub fn validate_accounts(accounts: &[Account]) -> Result<(), Error> {
    check_list(accounts, "accounts", Account::check)
}

/// Checks a list of people: each as [`Person::validate`], paths under `people[i]`, and
/// `model.duplicate_id` for an id used twice.
///
/// # Errors
/// Every problem found, in list order.
pub fn validate_people(people: &[Person]) -> Result<(), Error> {
    check_list(people, "people", Person::check)
}

/// Checks a list of interactions: each as [`Interaction::validate`], paths under
/// `interactions[i]`, and `model.duplicate_id` for an id used twice.
///
/// # Errors
/// Every problem found, in list order.
pub fn validate_interactions(interactions: &[Interaction]) -> Result<(), Error> {
    check_list(interactions, "interactions", Interaction::check)
}

/// Checks a list of survey responses: each as [`SurveyResponse::validate`], paths under
/// `surveys[i]`, and `model.duplicate_id` for an id used twice.
///
/// # Errors
/// Every problem found, in list order.
pub fn validate_surveys(surveys: &[SurveyResponse]) -> Result<(), Error> {
    check_list(surveys, "surveys", SurveyResponse::check)
}

/// Checks a list of installed units: each as [`InstalledUnit::validate`], paths under
/// `units[i]`, and `model.duplicate_id` for an id used twice.
///
/// # Errors
/// Every problem found, in list order.
pub fn validate_units(units: &[InstalledUnit]) -> Result<(), Error> {
    check_list(units, "units", InstalledUnit::check)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn list_checks_place_problems_and_find_duplicates() {
        let d = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        let mut units = vec![
            InstalledUnit::new("u-1", "a-1", "boiler", d, ServiceInterval::Months(6)),
            InstalledUnit::new("u-2", "", "boiler", d, ServiceInterval::Days(0)),
            InstalledUnit::new("u-1", "a-1", "boiler", d, ServiceInterval::Months(6)),
        ];
        let got: Vec<_> = validate_units(&units).unwrap_err().codes_and_paths();
        assert_eq!(
            got,
            [
                ("model.empty_id", "units[1].account".to_string()),
                (
                    "model.invalid_service_interval",
                    "units[1].service_interval".to_string()
                ),
                ("model.duplicate_id", "units[2].id".to_string()),
            ]
        );
        units.truncate(1);
        validate_units(&units).unwrap();
        validate_units(&[]).unwrap();
    }

    /// The later holders of each id, as a set of the ids seen so far finds them.
    fn repeats_by_set(ids: &[String]) -> Vec<usize> {
        let mut seen = std::collections::HashSet::new();
        (0..ids.len())
            .filter(|&i| !seen.insert(ids[i].as_str()) && is_set(&ids[i]))
            .collect()
    }

    fn units_with(ids: &[String]) -> Vec<InstalledUnit> {
        let d = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        ids.iter()
            .map(|id| {
                InstalledUnit::new(id.as_str(), "a-1", "boiler", d, ServiceInterval::Months(6))
            })
            .collect()
    }

    proptest::proptest! {
        /// Sorting the hashes finds the repeats a set of the ids seen so far finds, blank
        /// ids left out.
        #[test]
        fn repeats_are_the_later_holders_of_each_id(
            ids in proptest::collection::vec("[ab ]{0,3}|u-[0-9]{1,3}", 0..300),
        ) {
            proptest::prop_assert_eq!(repeated(&units_with(&ids)), repeats_by_set(&ids));
        }

        /// Within items whose hashes agree (here all of them: crafted collisions), every
        /// branch (two, up to eight, more) finds the same repeats.
        #[test]
        fn repeats_among_equal_hashes_are_found_by_every_branch(
            ids in proptest::collection::vec("[abc]{1,2}", 0..40),
        ) {
            let run: Vec<(u32, u32)> = (0..ids.len() as u32).map(|i| (7, i)).collect();
            let mut out = Vec::new();
            repeated_in_run(&run, |i| ids[i as usize].as_str(), &mut out);
            out.sort_unstable();
            proptest::prop_assert_eq!(out, repeats_by_set(&ids));
        }
    }

    #[test]
    fn blank_ids_are_not_also_duplicates() {
        let d = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        let accounts = vec![Account::new("", "A", d), Account::new("", "B", d)];
        let e = validate_accounts(&accounts).unwrap_err();
        assert!(e.problems().iter().all(|p| p.code() == "model.empty_id"));
        assert_eq!(e.problems().len(), 2);
    }

    #[test]
    fn the_table_of_ids_finds_the_first_holder_of_each_id_and_no_other() {
        let d = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        // Many ids, so the table holds more than one group of slots; every third a repeat.
        let accounts: Vec<Account> = (0..3000)
            .map(|i| {
                let id = if i % 3 == 2 { i - 1 } else { i };
                Account::new(format!("a-{id}").as_str(), format!("Name {i}"), d)
            })
            .collect();
        let (checked, ids) = check_listed(&accounts, "accounts", Account::check);
        let paths: Vec<String> = checked
            .unwrap_err()
            .problems()
            .iter()
            .map(|p| p.path().to_string())
            .collect();
        let expected: Vec<String> = (0..3000)
            .filter(|i| i % 3 == 2)
            .map(|i| format!("accounts[{i}].id"))
            .collect();
        assert_eq!(paths, expected);
        for (i, a) in accounts.iter().enumerate() {
            let first = if i % 3 == 2 { i - 1 } else { i };
            assert_eq!(ids.position(a.id.as_str()), Some(first as u32), "{}", a.id);
            assert_eq!(
                ids.get(a.id.as_str()).map(|x| x.name.as_str()),
                Some(format!("Name {first}").as_str())
            );
        }
        for missing in ["a-2", "a-3000", "", "A-1"] {
            assert_eq!(ids.position(missing), None, "{missing}");
        }
        // A blank id is not a duplicate, but is found like any other.
        let blank = vec![Account::new("", "A", d), Account::new("", "B", d)];
        let (_, ids) = check_listed(&blank, "accounts", Account::check);
        assert_eq!(ids.position(""), Some(0));
        assert_eq!(ids.position(" "), None);
    }
}
