//! Reading the book once: ids resolved, interactions folded into per-account and
//! per-person summaries, records grouped by account. Linear in the size of the book.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::input::BookRef;
use crate::error::{Error, ErrorKind, FieldPath, Problems};
use crate::model::{AccountId, Channel, Direction, Interaction, Party, PersonId, Seek, same};

/// No instant: older than everything.
pub(crate) const NEVER: i64 = i64::MIN;

/// The id maps hash with rustc's FxHash (`rustc-hash`): ids are the host's own keys,
/// not attacker input to a long-lived table, and the maps live for one plan.
pub(crate) type FxMap<K, V> = HashMap<K, V, rustc_hash::FxBuildHasher>;

/// The bit of a channel in a channel set.
pub(crate) const fn bit(c: Channel) -> u8 {
    match c {
        Channel::Phone => 1,
        Channel::Email => 2,
        Channel::Letter => 4,
        Channel::Newsletter => 8,
        Channel::Sms => 16,
        Channel::Visit => 32,
        Channel::Portal => 64,
    }
}

/// The position of a channel in [`Channel::ALL`] (the slot of its last touch).
const fn slot(c: Channel) -> usize {
    match c {
        Channel::Phone => 0,
        Channel::Email => 1,
        Channel::Letter => 2,
        Channel::Newsletter => 3,
        Channel::Sms => 4,
        Channel::Visit => 5,
        Channel::Portal => 6,
    }
}

/// The set of a list of channels.
pub(crate) fn mask(channels: &[Channel]) -> u8 {
    channels.iter().fold(0, |m, c| m | bit(*c))
}

/// What the history says about one account or person: the last touch on each channel
/// (Unix seconds) and the touches of each of the last 7 days (bucket 0: the 24 hours
/// before `now`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Seen {
    pub last: [i64; 7],
    pub recent: [u16; 7],
}

impl Default for Seen {
    fn default() -> Self {
        Seen {
            last: [NEVER; 7],
            recent: [0; 7],
        }
    }
}

impl Seen {
    #[inline]
    fn touch(&mut self, channel: Channel, at: i64, ago: i64) {
        let s = &mut self.last[slot(channel)];
        if at > *s {
            *s = at;
        }
        if let Ok(b) = usize::try_from(ago / 86_400) {
            if let Some(r) = self.recent.get_mut(b) {
                *r = r.saturating_add(1);
            }
        }
    }

    /// The last touch on any channel of `set`.
    pub fn last_in(&self, set: u8) -> i64 {
        Channel::ALL
            .iter()
            .filter(|c| bit(**c) & set != 0)
            .map(|c| self.last[slot(*c)])
            .max()
            .unwrap_or(NEVER)
    }
}

/// Per-account summary of the history.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AccountSeen {
    pub seen: Seen,
    /// The customer's last word: an inbound message or a live conversation (K1).
    pub last_customer_word: i64,
    /// The last live conversation (C7).
    pub last_conversation: i64,
    /// The last outbound phone call or visit, whatever its outcome (C7 retries).
    pub last_live_attempt: i64,
    /// How many times the customer spoke, and the first time (K1: their own rhythm).
    pub words: u32,
    pub first_customer_word: i64,
    /// The earliest interaction on record (the history horizon).
    pub first_record: i64,
}

impl Default for AccountSeen {
    fn default() -> Self {
        AccountSeen {
            seen: Seen::default(),
            last_customer_word: NEVER,
            last_conversation: NEVER,
            last_live_attempt: NEVER,
            words: 0,
            first_customer_word: i64::MAX,
            first_record: i64::MAX,
        }
    }
}

/// Positions grouped by account, in one flat list (a counting sort: no allocation per
/// account).
#[derive(Debug, Default)]
pub(crate) struct Grouped {
    starts: Vec<u32>,
    flat: Vec<u32>,
}

impl Grouped {
    /// Groups item positions by `owner[i]` (an account position, `u32::MAX` for none).
    fn new(n: usize, owner: &[u32]) -> Grouped {
        let mut starts = vec![0u32; n + 1];
        for &a in owner {
            if let Some(c) = starts.get_mut(a as usize + 1) {
                *c += 1;
            }
        }
        for i in 1..starts.len() {
            let prev = starts.get(i - 1).copied().unwrap_or(0);
            if let Some(c) = starts.get_mut(i) {
                *c += prev;
            }
        }
        let mut next = starts.clone();
        let mut flat = vec![0u32; starts.last().copied().unwrap_or(0) as usize];
        for (i, &a) in owner.iter().enumerate() {
            if let Some(slot) = next.get_mut(a as usize) {
                if let Some(f) = flat.get_mut(*slot as usize) {
                    *f = i as u32;
                }
                *slot += 1;
            }
        }
        Grouped { starts, flat }
    }

    /// Where account `a`'s items lie in the flat list.
    fn range(&self, a: usize) -> std::ops::Range<usize> {
        match (self.starts.get(a), self.starts.get(a + 1)) {
            (Some(&s), Some(&e)) => s as usize..e as usize,
            _ => 0..0,
        }
    }

    /// The positions of account `a`'s items.
    pub(crate) fn of(&self, a: usize) -> &[u32] {
        let (Some(&s), Some(&e)) = (self.starts.get(a), self.starts.get(a + 1)) else {
            return &[];
        };
        self.flat.get(s as usize..e as usize).unwrap_or(&[])
    }

    fn of_mut(&mut self, a: usize) -> &mut [u32] {
        let (Some(&s), Some(&e)) = (self.starts.get(a), self.starts.get(a + 1)) else {
            return &mut [];
        };
        self.flat.get_mut(s as usize..e as usize).unwrap_or(&mut [])
    }
}

/// Per person, what the interactions say of them ([`Seen`]); a person no interaction
/// names takes one `u32`, not a summary of their own (an account of 100,000 contacts
/// mostly never touched costs 0.4 MB here, not 7 MB).
#[derive(Debug)]
pub(crate) struct PeopleSeen {
    /// Per person, their summary's position in `seen` (`u32::MAX`: none).
    slot: Vec<u32>,
    seen: Vec<Seen>,
}

impl PeopleSeen {
    fn new(people: usize) -> PeopleSeen {
        PeopleSeen {
            slot: vec![u32::MAX; people],
            seen: Vec::new(),
        }
    }

    /// The summary of the person at `p`; `None` when no interaction names them (as
    /// for a summary of nothing: no touch on any channel, none in the last days).
    pub fn get(&self, p: usize) -> Option<&Seen> {
        self.seen.get(*self.slot.get(p)? as usize)
    }

    /// The person's summary, made empty the first time.
    fn get_or_insert(&mut self, p: usize) -> Option<&mut Seen> {
        let slot = self.slot.get_mut(p)?;
        if *slot == u32::MAX {
            *slot = u32::try_from(self.seen.len()).ok()?;
            self.seen.push(Seen::default());
        }
        self.seen.get_mut(*slot as usize)
    }
}

/// The book, resolved: positions instead of ids, records grouped by account.
pub(crate) struct Index {
    /// Per account: its people (positions in `book.people`), sorted key contacts first,
    /// then by role, then by id.
    pub people_of: Grouped,
    pub account_seen: Vec<AccountSeen>,
    pub person_seen: PeopleSeen,
    /// Per account: positions of its orders, surveys, units (in the book's order); and
    /// its last review.
    pub orders_of: Grouped,
    pub surveys_of: Grouped,
    pub units_of: Grouped,
    /// Per order and per survey: the person it names, resolved.
    pub order_person: Vec<Option<u32>>,
    pub survey_person: Vec<Option<u32>>,
    pub last_review: Vec<Option<chrono::NaiveDate>>,
    /// Per account: its first review (the history horizon).
    pub first_review: Vec<Option<chrono::NaiveDate>>,
}

/// Each account's people (as [`Index::people_of`]) with their ids and a cheap tag of
/// each id beside them, so finding a named person among an account's few people compares
/// tags before strings and never leaves these lists.
struct LocalPeople<'a> {
    people_of: &'a Grouped,
    /// Parallel to `people_of`'s flat list: each person's id and its [`tag`].
    ids: Vec<(u64, &'a str)>,
}

impl LocalPeople<'_> {
    /// The position of the person `id` among account `a`'s people, if there.
    #[inline]
    fn find(&self, a: u32, id: &str) -> Option<u32> {
        let range = self.people_of.range(a as usize);
        let ids = self.ids.get(range.clone())?;
        let people = self.people_of.flat.get(range)?;
        let t = tag(id);
        ids.iter()
            .zip(people)
            .find(|&(&(pt, pid), _)| pt == t && same(pid, id))
            .map(|(_, &p)| p)
    }
}

/// A cheap summary of an id: equal ids have equal tags (the length and the last 8 bytes;
/// ids of one account usually differ there). Only a filter: a match is confirmed by
/// comparing the ids.
#[inline]
fn tag(id: &str) -> u64 {
    let b = id.as_bytes();
    let tail = match b.last_chunk::<8>() {
        Some(c) => u64::from_le_bytes(*c),
        None => b.iter().fold(0u64, |t, &c| (t << 8) | u64::from(c)),
    };
    tail ^ (b.len() as u64).rotate_right(8)
}

fn here(name: &str) -> FieldPath {
    FieldPath::root().field(name)
}

/// Resolves an optional person of account `a`: `Ok(None)` when absent; problems pushed
/// (relative path `field`) when unknown or at another account.
fn resolve_person(
    person: Option<&PersonId>,
    a: u32,
    field: &str,
    local: &LocalPeople<'_>,
    person_ix: &FxMap<&str, u32>,
    problems: &mut Problems,
) -> Option<u32> {
    let pid = person?;
    let local = local.find(a, pid.as_str());
    if local.is_some() {
        return local;
    }
    match person_ix.get(pid.as_str()) {
        Some(_) => problems.push(
            ErrorKind::CadencePersonElsewhere,
            here(field),
            format!("the person `{pid}` belongs to another account"),
        ),
        None => problems.push(
            ErrorKind::CadenceUnknownPerson,
            here(field),
            format!("no person `{pid}` in `people`"),
        ),
    }
    None
}

/// Account look-ups with the last answer remembered: records grouped by account (as a
/// database returns them) cost one hash look-up per run, not per record.
struct Accounts<'a> {
    map: FxMap<&'a str, u32>,
    seek: Seek<'a>,
}

impl<'a> Accounts<'a> {
    fn get(&mut self, id: &'a AccountId, field: &str, problems: &mut Problems) -> Option<u32> {
        let map = &self.map;
        let found = self.seek.find(id.as_str(), |id| map.get(id).copied());
        if found.is_none() {
            unknown_account(id, field, problems);
        }
        found
    }
}

fn unknown_account(id: &AccountId, field: &str, problems: &mut Problems) {
    if !id.as_str().trim().is_empty() {
        problems.push(
            ErrorKind::CadenceUnknownAccount,
            here(field),
            format!("no account `{id}` in `accounts`"),
        );
    }
}

impl Index {
    /// Checks and resolves the whole book, folding the interactions up to `now`.
    pub(crate) fn build(book: BookRef<'_>, now: DateTime<Utc>) -> Result<Index, Error> {
        let mut problems = Problems::new();
        let now_ts = now.timestamp();

        let mut account_ix: FxMap<&str, u32> = FxMap::default();
        account_ix.reserve(book.accounts.len());
        for (i, a) in book.accounts.iter().enumerate() {
            let start = problems.len();
            if !book.checked {
                a.check(&mut problems);
            }
            let id = a.id.as_str();
            if !id.trim().is_empty() && account_ix.insert(id, i as u32).is_some() {
                problems.push(
                    ErrorKind::DuplicateId,
                    here("id"),
                    format!("the id `{id}` is used by an earlier item of `accounts`"),
                );
            }
            problems.place_since(start, || FieldPath::root().field("accounts").index(i));
        }
        let n = book.accounts.len();
        let mut accounts = Accounts {
            map: account_ix,
            seek: Seek::new(book.accounts),
        };

        let mut person_ix: FxMap<&str, u32> = FxMap::default();
        person_ix.reserve(book.people.len());
        let mut owner = vec![u32::MAX; book.people.len()];
        for (i, p) in book.people.iter().enumerate() {
            let start = problems.len();
            if !book.checked {
                p.check(&mut problems);
            }
            let id = p.id.as_str();
            if !id.trim().is_empty() && person_ix.insert(id, i as u32).is_some() {
                problems.push(
                    ErrorKind::DuplicateId,
                    here("id"),
                    format!("the id `{id}` is used by an earlier item of `people`"),
                );
            }
            let a = accounts.get(&p.account, "account", &mut problems);
            if let (Some(a), Some(slot)) = (a, owner.get_mut(i)) {
                *slot = a;
            }
            problems.place_since(start, || FieldPath::root().field("people").index(i));
        }
        let mut people_of = Grouped::new(n, &owner);
        for a in 0..n {
            people_of.of_mut(a).sort_unstable_by(|&x, &y| {
                let (Some(x), Some(y)) = (book.people.get(x as usize), book.people.get(y as usize))
                else {
                    return std::cmp::Ordering::Equal;
                };
                (!x.key_contact, x.role, &x.id).cmp(&(!y.key_contact, y.role, &y.id))
            });
        }
        let local = LocalPeople {
            ids: people_of
                .flat
                .iter()
                .map(|&p| {
                    let id = book.people.get(p as usize).map_or("", |x| x.id.as_str());
                    (tag(id), id)
                })
                .collect(),
            people_of: &people_of,
        };
        let mut account_seen = vec![AccountSeen::default(); n];
        let mut person_seen = PeopleSeen::new(book.people.len());
        for (i, x) in book.interactions.iter().enumerate() {
            let start = problems.len();
            if !book.checked {
                x.check(&mut problems);
            }
            let a = accounts.get(&x.account, "account", &mut problems);
            let p = a.and_then(|a| {
                resolve_person(
                    x.person.as_ref(),
                    a,
                    "person",
                    &local,
                    &person_ix,
                    &mut problems,
                )
            });
            if problems.len() > start {
                problems.place_since(start, || FieldPath::root().field("interactions").index(i));
                continue;
            }
            let at = x.at.timestamp();
            if at > now_ts {
                continue; // not happened yet, as of `now`
            }
            let Some(acc) = a.and_then(|a| account_seen.get_mut(a as usize)) else {
                continue;
            };
            fold(
                x,
                at,
                now_ts - at,
                acc,
                p.and_then(|p| person_seen.get_or_insert(p as usize)),
            );
        }

        let mut order_account = vec![u32::MAX; book.orders.len()];
        let mut order_person = vec![None; book.orders.len()];
        let mut order_ids: FxMap<&str, ()> = FxMap::default();
        for (i, o) in book.orders.iter().enumerate() {
            let start = problems.len();
            o.id.check(|| here("id"), &mut problems);
            let id = o.id.as_str();
            if !id.trim().is_empty() && order_ids.insert(id, ()).is_some() {
                problems.push(
                    ErrorKind::DuplicateId,
                    here("id"),
                    format!("the id `{id}` is used by an earlier item of `orders`"),
                );
            }
            if let Some(p) = &o.person {
                p.check(|| here("person"), &mut problems);
            }
            if let Some(a) = accounts.get(&o.account, "account", &mut problems) {
                let p = resolve_person(
                    o.person.as_ref(),
                    a,
                    "person",
                    &local,
                    &person_ix,
                    &mut problems,
                );
                if let (Some(slot), Some(person)) =
                    (order_account.get_mut(i), order_person.get_mut(i))
                {
                    (*slot, *person) = (a, p);
                }
            }
            problems.place_since(start, || FieldPath::root().field("orders").index(i));
        }

        let mut survey_account = vec![u32::MAX; book.surveys.len()];
        let mut survey_person = vec![None; book.surveys.len()];
        let mut survey_ids: FxMap<&str, ()> = FxMap::default();
        for (i, s) in book.surveys.iter().enumerate() {
            let start = problems.len();
            if !book.checked {
                s.check(&mut problems);
            }
            let id = s.id.as_str();
            if !id.trim().is_empty() && survey_ids.insert(id, ()).is_some() {
                problems.push(
                    ErrorKind::DuplicateId,
                    here("id"),
                    format!("the id `{id}` is used by an earlier item of `surveys`"),
                );
            }
            if let Some(a) = accounts.get(&s.account, "account", &mut problems) {
                let p = resolve_person(
                    s.person.as_ref(),
                    a,
                    "person",
                    &local,
                    &person_ix,
                    &mut problems,
                );
                if let (Some(slot), Some(person)) =
                    (survey_account.get_mut(i), survey_person.get_mut(i))
                {
                    (*slot, *person) = (a, p);
                }
            }
            problems.place_since(start, || FieldPath::root().field("surveys").index(i));
        }

        let mut unit_account = vec![u32::MAX; book.units.len()];
        let mut unit_ids: FxMap<&str, ()> = FxMap::default();
        for (i, u) in book.units.iter().enumerate() {
            let start = problems.len();
            if !book.checked {
                u.check(&mut problems);
            }
            let id = u.id.as_str();
            if !id.trim().is_empty() && unit_ids.insert(id, ()).is_some() {
                problems.push(
                    ErrorKind::DuplicateId,
                    here("id"),
                    format!("the id `{id}` is used by an earlier item of `units`"),
                );
            }
            if let Some(a) = accounts.get(&u.account, "account", &mut problems) {
                if let Some(slot) = unit_account.get_mut(i) {
                    *slot = a;
                }
            }
            problems.place_since(start, || FieldPath::root().field("units").index(i));
        }

        let mut last_review: Vec<Option<chrono::NaiveDate>> = vec![None; n];
        let mut first_review: Vec<Option<chrono::NaiveDate>> = vec![None; n];
        for (i, r) in book.reviews.iter().enumerate() {
            let start = problems.len();
            r.account.check(|| here("account"), &mut problems);
            if let Some(a) = accounts.get(&r.account, "account", &mut problems) {
                if let Some(slot) = last_review.get_mut(a as usize) {
                    *slot = (*slot).max(Some(r.reviewed_on));
                }
                if let Some(slot) = first_review.get_mut(a as usize) {
                    *slot = Some(slot.map_or(r.reviewed_on, |d| d.min(r.reviewed_on)));
                }
            }
            problems.place_since(start, || FieldPath::root().field("reviews").index(i));
        }

        problems.finish()?;
        drop(local);
        Ok(Index {
            people_of,
            account_seen,
            person_seen,
            orders_of: Grouped::new(n, &order_account),
            surveys_of: Grouped::new(n, &survey_account),
            units_of: Grouped::new(n, &unit_account),
            order_person,
            survey_person,
            last_review,
            first_review,
        })
    }
}

/// Folds one interaction into its account's and person's summaries.
#[inline]
fn fold(x: &Interaction, at: i64, ago: i64, acc: &mut AccountSeen, person: Option<&mut Seen>) {
    let live = x.channel.is_live();
    acc.first_record = acc.first_record.min(at);
    if x.is_from_customer() || x.is_conversation() {
        acc.last_customer_word = acc.last_customer_word.max(at);
        acc.first_customer_word = acc.first_customer_word.min(at);
        acc.words = acc.words.saturating_add(1);
    }
    if x.is_conversation() {
        acc.last_conversation = acc.last_conversation.max(at);
    }
    if live && x.direction == Direction::Outbound && x.initiated_by != Party::Customer {
        acc.last_live_attempt = acc.last_live_attempt.max(at);
    }
    if x.is_touch() {
        acc.seen.touch(x.channel, at, ago);
        if let Some(p) = person {
            p.touch(x.channel, at, ago);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn grouping_keeps_input_order_within_an_account_and_skips_unknown_owners() {
        let g = Grouped::new(3, &[2, 0, 2, u32::MAX, 0, 2]);
        assert_eq!(g.of(0), [1, 4]);
        assert_eq!(g.of(1), [] as [u32; 0]);
        assert_eq!(g.of(2), [0, 2, 5]);
        assert_eq!(
            g.of(3),
            [] as [u32; 0],
            "past the end is empty, not a panic"
        );
    }

    #[test]
    fn the_id_hash_spreads_ids_that_differ_only_in_the_middle() {
        // Ids like `p-12345-0` differ in the middle of their first 8 bytes: the low bits
        // (the table index) must still differ, or the maps degrade to lists.
        let build = rustc_hash::FxBuildHasher;
        let mut low: Vec<u64> = (0..4096)
            .map(|i| build.hash_one(format!("p-{i}-0")) & 0xfff)
            .collect();
        low.sort_unstable();
        low.dedup();
        assert!(
            low.len() > 2_000,
            "only {} distinct low 12-bit values",
            low.len()
        );
    }

    #[test]
    fn touches_are_counted_in_day_buckets_and_the_last_one_per_channel_kept() {
        let mut seen = Seen::default();
        seen.touch(Channel::Email, 1_000, 3_600);
        seen.touch(Channel::Email, 500, 90_000);
        seen.touch(Channel::Visit, 700, 8 * 86_400);
        assert_eq!(seen.recent, [1, 1, 0, 0, 0, 0, 0]);
        assert_eq!(seen.last_in(bit(Channel::Email)), 1_000);
        assert_eq!(seen.last_in(bit(Channel::Visit) | bit(Channel::Phone)), 700);
        assert_eq!(seen.last_in(bit(Channel::Phone)), NEVER);
    }
}
