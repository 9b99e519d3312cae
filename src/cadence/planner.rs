//! The planner: obligations per account, merged per person and day, levelled per rep.

use crate::calendar::local_date;
use std::fmt::Write as _;

use chrono::{DateTime, Datelike, Days, LocalResult, Months, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use super::index::{AccountSeen, FxMap, Index, NEVER, bit, mask};
use super::input::{BookRef, PlanInput};
use super::policy::{CadencePolicy, Days as PolicyDays};
use super::report::{
    DEFERRED_KEYS_SHOWN, Deferred, DueItem, Explanation, ExplanationCode, Limit, Obligation,
    ObligationCode, Plan, Priority,
};
use crate::calendar::BusinessCalendar;
use crate::error::{Error, FieldPath};
use crate::model::{
    Account, Channel, Person, Rhythm, Role, Rule, ServiceInterval, Span, history_start,
};
use crate::text::{Arg, Args, Ymd};
use rust_decimal::prelude::ToPrimitive;

const PHONE_OR_VISIT: u8 = bit(Channel::Phone) | bit(Channel::Visit);
const WRITTEN: u8 = bit(Channel::Letter) | bit(Channel::Email);
/// Channels in the order the planner offers them when a rule has no order of its own.
const PLAN_ORDER: [Channel; 7] = [
    Channel::Phone,
    Channel::Email,
    Channel::Visit,
    Channel::Letter,
    Channel::Sms,
    Channel::Portal,
    Channel::Newsletter,
];

/// Plans contact cadence (C1-C8, K1) for a book of accounts: built once per business
/// from a [`CadencePolicy`] and its [`BusinessCalendar`], then asked for a [`Plan`] at
/// any `now`.
#[derive(Debug, Clone)]
pub struct Planner {
    policy: CadencePolicy,
    days: PolicyDays,
    calendar: BusinessCalendar,
    touch_mask: u8,
    rhythm: Rhythm,
    /// Planners for the accounts of a segment, by segment name (sorted): their
    /// obligations follow the segment's policy; levelling follows this one's caps.
    segments: Vec<(String, Planner)>,
}

/// An obligation found for an account, before merging.
struct Cand {
    kind: ObligationCode,
    person: Option<u32>,
    due: NaiveDate,
    from: NaiveDate,
    /// Channels that satisfy it, 0 for an internal task.
    accept: u8,
    /// Channels in the rule's own order of preference.
    order: ChannelOrder,
    /// What its key names after `TAG:account:person:` (the key is written only when the
    /// item it serves is built: see [`Cand::key`]), as [`Subject::pack`] lays it out:
    /// its variant, which packs beside `kind` and `accept`, and its position and date.
    subject_of: u8,
    subject_at: u32,
    subject_on: NaiveDate,
    /// Its place among its account's candidates in the order they are found, the same
    /// at every evaluation of the account: how its texts are found again.
    seq: u32,
    /// The draft it merged into.
    draft: u32,
    /// Its path, arguments and sentence, rendered only when the item it serves is built
    /// (or, path only, when a note names it): never for the items no day had room for.
    text: Option<Box<Text>>,
}

/// A candidate's texts: its path, and (for an item built) its arguments and sentence.
type Text = (FieldPath, Args, String);

/// What a second evaluation renders for one candidate: its `seq`, its path, and its
/// arguments and sentence when they are wanted.
type Rendered = (u32, FieldPath, Option<(Args, String)>);

/// What an obligation's key names after its tag, account and person: a date, an order
/// of the book (by position), or a unit or survey of the book with a date. Kept in place
/// of the written key, which only the items built need.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Subject {
    Date(NaiveDate),
    Order(u32),
    UnitOn(u32, NaiveDate),
    SurveyOn(u32, NaiveDate),
}

impl Subject {
    /// Its variant, position and date, laid out apart so that a candidate holds them in
    /// 9 bytes beside its other small fields, not in a 12-byte enum.
    fn pack(self) -> (u8, u32, NaiveDate) {
        match self {
            Subject::Date(d) => (0, 0, d),
            Subject::Order(i) => (1, i, NaiveDate::MIN),
            Subject::UnitOn(i, d) => (2, i, d),
            Subject::SurveyOn(i, d) => (3, i, d),
        }
    }

    /// The subject [`Subject::pack`] laid out.
    fn unpack(of: u8, at: u32, on: NaiveDate) -> Subject {
        match of {
            1 => Subject::Order(at),
            2 => Subject::UnitOn(at, on),
            3 => Subject::SurveyOn(at, on),
            _ => Subject::Date(on),
        }
    }

    /// The id it names, if any, and its date, if any.
    fn parts<'b>(self, book: BookRef<'b>) -> (Option<&'b str>, Option<NaiveDate>) {
        let order = |i: u32| book.orders.get(i as usize).map_or("", |o| o.id.as_str());
        let unit = |i: u32| book.units.get(i as usize).map_or("", |u| u.id.as_str());
        let survey = |i: u32| book.surveys.get(i as usize).map_or("", |s| s.id.as_str());
        match self {
            Subject::Date(d) => (None, Some(d)),
            Subject::Order(i) => (Some(order(i)), None),
            Subject::UnitOn(i, d) => (Some(unit(i)), Some(d)),
            Subject::SurveyOn(i, d) => (Some(survey(i)), Some(d)),
        }
    }

    /// Appends it as the key writes it: the id, `:` and the date when both are named.
    fn write(self, book: BookRef<'_>, key: &mut String) {
        let (id, date) = self.parts(book);
        if let Some(id) = id {
            key.push_str(id);
        }
        if let Some(d) = date {
            if id.is_some() {
                key.push(':');
            }
            push_date(key, d);
        }
    }

    /// The order of the keys of two obligations with the same tag, account and person:
    /// the order of their subjects' text, compared without writing it.
    fn key_order(self, other: Subject, book: BookRef<'_>) -> std::cmp::Ordering {
        if let (Subject::Date(x), Subject::Date(y)) = (self, other) {
            // Dates written as digits order as the dates do.
            if Ymd(x).digits().is_some() && Ymd(y).digits().is_some() {
                return x.cmp(&y);
            }
        }
        let bytes = |s: Subject| {
            let (id, date) = s.parts(book);
            let sep = (id.is_some() && date.is_some()).then_some(b':');
            let (digits, other) = match date.map(|d| (Ymd(d).digits(), d)) {
                Some((Some(digits), _)) => (Some(digits), None),
                Some((None, d)) => (None, Some(Ymd(d).to_string())),
                None => (None, None),
            };
            id.into_iter()
                .flat_map(str::bytes)
                .chain(sep)
                .chain(digits.into_iter().flatten())
                .chain(other.into_iter().flat_map(String::into_bytes))
        };
        bytes(self).cmp(bytes(other))
    }
}

impl Cand {
    /// What its key names after its tag, account and person.
    fn subject(&self) -> Subject {
        Subject::unpack(self.subject_of, self.subject_at, self.subject_on)
    }

    /// Its key, `TAG:account:person-or-dash:subject`, written from the book.
    fn key(&self, book: BookRef<'_>, account: &str) -> String {
        let person = self
            .person
            .and_then(|p| book.people.get(p as usize))
            .map_or("-", |p| p.id.as_str());
        let tag = self.kind.tag();
        let mut key = String::with_capacity(tag.len() + account.len() + person.len() + 40);
        for part in [tag, account, person] {
            key.push_str(part);
            key.push(':');
        }
        self.subject().write(book, &mut key);
        key
    }

    /// The obligation, its texts moved out, with its key written.
    fn take_obligation(&mut self, book: BookRef<'_>, account: &str) -> Obligation {
        let key = self.key(book, account);
        let (path, args, sentence) = self.text.take().map(|t| *t).unwrap_or_default();
        Obligation {
            code: self.kind,
            rule: self.kind.rule(),
            key,
            due_on: self.due,
            window_from: self.from,
            path,
            args,
            sentence,
        }
    }
}

/// The English of `code` and `args` (every code of the planner has one).
fn english(code: &str, args: &Args) -> String {
    crate::text::english(code, args).unwrap_or_default()
}

/// `args` with what a sentence says of a last occurrence: `name` when there is one; the
/// records' start (`records_began`) when they begin after the relationship; and
/// `customer_since`.
fn history(
    args: Args,
    name: &'static str,
    last: Option<NaiveDate>,
    since: NaiveDate,
    basis: NaiveDate,
) -> Args {
    args.with_opt(name, last.map(Arg::Date))
        .with_opt("records_began", (basis > since).then_some(Arg::Date(basis)))
        .with("customer_since", Arg::Date(since))
}

/// A rule's channels in its order of preference, packed in a `u32` (a candidate is
/// kept for every obligation of the book): up to 7 channels of 3 bits each (their
/// positions in `PLAN_ORDER`) above the count, in the low 3 bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ChannelOrder(u32);

impl ChannelOrder {
    fn new(channels: &[Channel]) -> ChannelOrder {
        let mut bits = 0u32;
        let mut n = 0u32;
        for c in channels.iter().take(7) {
            let at = PLAN_ORDER.iter().position(|x| x == c).unwrap_or(0) as u32;
            bits |= at << (3 + 3 * n);
            n += 1;
        }
        ChannelOrder(bits | n)
    }

    fn iter(self) -> impl Iterator<Item = Channel> {
        (0..self.0 & 7).filter_map(move |i| {
            PLAN_ORDER
                .get(((self.0 >> (3 + 3 * i)) & 7) as usize)
                .copied()
        })
    }
}

/// A second evaluation of one account that renders the texts of the candidates asked
/// for, and nothing else (no candidate, no explanation).
struct Render {
    /// The candidates wanted, by `seq` (ascending), and whether the sentence is wanted
    /// too (else the path only).
    wanted: Vec<(u32, bool)>,
    /// The next wanted entry.
    at: usize,
    /// What was rendered: `seq`, path, and the arguments and sentence when wanted.
    out: Vec<Rendered>,
}

/// The days already planned for each person (or account) while levelling: one list per
/// owner of (day, how many items that day), linked through one flat vector, so no owner
/// needs an allocation of its own. A list holds each day at most once, so reading an
/// owner's days costs at most the horizon's length, however many items the owner has.
struct Planned {
    /// Per owner, its latest node (`u32::MAX`: none).
    head: Vec<u32>,
    /// (day, items on that day, the owner's previous node).
    nodes: Vec<(u32, u32, u32)>,
    /// Nodes visited by `push` and `days`: the work the levelling's caps cost.
    steps: u64,
}

impl Planned {
    fn new(owners: usize) -> Planned {
        Planned {
            head: vec![u32::MAX; owners],
            nodes: Vec::new(),
            steps: 0,
        }
    }

    fn push(&mut self, owner: u32, day: usize) {
        let Some(&head) = self.head.get(owner as usize) else {
            return;
        };
        let mut at = head;
        while let Some(node) = self.nodes.get_mut(at as usize) {
            self.steps += 1;
            if node.0 as usize == day {
                node.1 = node.1.saturating_add(1);
                return;
            }
            at = node.2;
        }
        self.nodes.push((day as u32, 1, head));
        if let Some(h) = self.head.get_mut(owner as usize) {
            *h = (self.nodes.len() - 1) as u32;
        }
    }

    /// The days planned for `owner`, latest first, each with how many items it holds.
    fn days(&mut self, owner: u32) -> impl Iterator<Item = (usize, u32)> + '_ {
        let mut at = self.head.get(owner as usize).copied().unwrap_or(u32::MAX);
        let Planned { nodes, steps, .. } = self;
        std::iter::from_fn(move || {
            let &(day, n, prev) = nodes.get(at as usize)?;
            *steps += 1;
            at = prev;
            Some((day as usize, n))
        })
    }
}

/// A draft's place in its rep's queue: rep, movable (date-bound personal touches come
/// first), deadline, priority, the kinds of its obligations (bits by position in
/// `ObligationCode::ALL`, which with the draft give its item key), position. The queue
/// is ordered by these, the item key before the position, without writing the keys.
type QueueEntry = (u32, bool, NaiveDate, std::cmp::Reverse<Priority>, u16, u32);

/// The bits of the kinds of a draft's obligations, by position in `ObligationCode::ALL`.
fn kind_bits(cands: &[Cand]) -> u16 {
    cands.iter().fold(0u16, |bits, c| {
        let at = ObligationCode::ALL.iter().position(|k| *k == c.kind);
        bits | at.map_or(0, |at| 1u16 << (at % 16))
    })
}

/// The order of the item keys of two drafts of one account with the same kinds and
/// deadline, from their people's ids alone (each followed by `:` and the same date in
/// the key); `None` when that needs the whole key (an id runs on with a `:` where the
/// other ends).
fn person_key_order(book: BookRef<'_>, x: &Draft, y: &Draft) -> Option<std::cmp::Ordering> {
    let id = |d: &Draft| {
        d.person()
            .and_then(|p| book.people.get(p as usize))
            .map_or("-", |p| p.id.as_str())
            .as_bytes()
    };
    let (a, b) = (id(x), id(y));
    let n = a.len().min(b.len());
    match a.get(..n)?.cmp(b.get(..n)?) {
        std::cmp::Ordering::Equal => {}
        other => return Some(other),
    }
    if a.len() == b.len() {
        return Some(std::cmp::Ordering::Equal);
    }
    // One id is the start of the other: the shorter's key goes on with `:`.
    let next = *a.get(n).or_else(|| b.get(n))?;
    if next == b':' {
        return None;
    }
    let shorter_first = b':'.cmp(&next);
    Some(if a.len() < b.len() {
        shorter_first
    } else {
        shorter_first.reverse()
    })
}

/// The bytes of a draft's item key ([`item_key`]) from the bits of its kinds, in order,
/// without writing it: the levelling orders its queue by them and writes the keys of the
/// items it places only.
fn item_key_bytes<'b>(book: BookRef<'b>, d: &Draft, kinds: u16) -> impl Iterator<Item = u8> + 'b {
    let tags = ObligationCode::ALL
        .iter()
        .enumerate()
        .filter(move |(at, _)| kinds & (1u16 << (at % 16)) != 0)
        .enumerate()
        .flat_map(|(n, (_, k))| (n > 0).then_some(b'+').into_iter().chain(k.tag().bytes()));
    let account = book
        .accounts
        .get(d.account as usize)
        .map_or("", |a| a.id.as_str());
    let person = d
        .person()
        .and_then(|p| book.people.get(p as usize))
        .map_or("-", |p| p.id.as_str());
    let (digits, other) = match Ymd(d.due).digits() {
        Some(digits) => (Some(digits), None),
        None => (None, Some(Ymd(d.due).to_string())),
    };
    tags.chain(std::iter::once(b':'))
        .chain(account.bytes())
        .chain(std::iter::once(b':'))
        .chain(person.bytes())
        .chain(std::iter::once(b':'))
        .chain(digits.into_iter().flatten())
        .chain(other.into_iter().flat_map(String::into_bytes))
}

/// Whether a draft serves a date-bound personal touch (C6: a birthday note, a thank-you
/// note), which is never planned past its day and never displaced by a movable item.
fn date_bound(d: &Draft, pool: &[Cand]) -> bool {
    d.cands(pool).iter().any(|c| {
        matches!(
            c.kind,
            ObligationCode::BirthdayNote | ObligationCode::ThankYouNote
        )
    })
}

/// Contact windows already worked out, by zone and date.
type Windows = FxMap<(Tz, NaiveDate), (DateTime<Utc>, DateTime<Utc>)>;

/// A merged item, before levelling: its obligations already in their output form, so
/// the finished item takes them over as they are.
struct Draft {
    account: u32,
    /// Its person's position, `u32::MAX` for none ([`Draft::person`]): 4 bytes, not an
    /// `Option`'s 8.
    who: u32,
    accept: u8,
    due: NaiveDate,
    from: NaiveDate,
    /// Its candidates (the first one, which began it, gives the channels' order): `len` of them side by side in the plan's pool from `start`.
    start: u32,
    len: u32,
}

impl Draft {
    /// Its person's position, if it has one.
    fn person(&self) -> Option<u32> {
        (self.who != u32::MAX).then_some(self.who)
    }

    /// Its account's id, for a levelling note (empty should the position be stale).
    fn account_id(&self, book: BookRef<'_>) -> crate::model::AccountId {
        book.accounts
            .get(self.account as usize)
            .map(|a| a.id.clone())
            .unwrap_or_else(|| crate::model::AccountId::new(""))
    }

    /// Its person's id, if it has one, for a levelling note.
    fn person_id(&self, book: BookRef<'_>) -> Option<crate::model::PersonId> {
        self.person()
            .and_then(|p| book.people.get(p as usize))
            .map(|p| p.id.clone())
    }

    fn cands<'p>(&self, pool: &'p [Cand]) -> &'p [Cand] {
        let start = self.start as usize;
        pool.get(start..start + self.len as usize).unwrap_or(&[])
    }

    fn cands_mut<'p>(&self, pool: &'p mut [Cand]) -> &'p mut [Cand] {
        let start = self.start as usize;
        pool.get_mut(start..start + self.len as usize)
            .unwrap_or(&mut [])
    }
}

/// The items of one account and rule that one limit left no day for, as they are
/// counted while levelling (people by position, once per item).
struct Unplaced {
    account: u32,
    rule: Rule,
    limit: Limit,
    items: u32,
    obligations: u32,
    overdue: u32,
    earliest_due: NaiveDate,
    worst_days_overdue: u32,
    without_person: u32,
    first_keys: Vec<String>,
    people: Vec<u32>,
}

/// What a plan of today's items only says of the items planned for later days.
#[derive(Debug, Default)]
pub(crate) struct Later {
    /// How many there are.
    pub(crate) count: usize,
    /// Each of them: the account's position, planned day, deadline and key, in the
    /// plan's order.
    pub(crate) items: Vec<LaterItem>,
    /// The overdue ones: what the risk scorer reads of a plan (K3).
    pub(crate) overdue: Vec<LaterOverdue>,
    /// Overdue obligations no day of the horizon had room for (explained as deferred):
    /// still owed, and still neglect (K3).
    pub(crate) deferred: Vec<LaterOverdue>,
    /// The work the plan took, for the tests that hold it linear in the book.
    pub(crate) work: Work,
}

/// Counters of the planner's inner loops, which grow with the book only linearly: the
/// scaling tests compare them at n and 2n rather than timing anything.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Work {
    /// Drafts examined while merging candidates (per person, not per account).
    pub(crate) merge_steps: u64,
    /// Planned days read while levelling under the per-person and per-account caps.
    pub(crate) level_steps: u64,
    /// Obligations' sentences rendered: those of the items built, and no others.
    pub(crate) sentences: u64,
}

/// An item planned for a later day of the horizon, as the daily desk lists it.
#[derive(Debug, Clone)]
pub(crate) struct LaterItem {
    /// The account's position in the book.
    pub(crate) account: u32,
    /// The day it is planned for.
    pub(crate) planned_on: NaiveDate,
    /// Its deadline.
    pub(crate) due_on: NaiveDate,
    /// Its key.
    pub(crate) key: String,
}

/// An overdue item planned for a later day.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LaterOverdue {
    /// The account's position in the book.
    pub(crate) account: u32,
    /// The obligations it serves.
    pub(crate) obligations: u32,
    /// Days past its deadline, today.
    pub(crate) days_overdue: u32,
}

/// Everything an account's evaluation needs.
struct Ctx<'a> {
    book: BookRef<'a>,
    ix: &'a Index,
    a: u32,
    account: &'a Account,
    seen: &'a AccountSeen,
    zone: Tz,
    today: NaiveDate,
    /// The plan's first day (today in the calendar's zone), where levelling starts.
    plan_today: NaiveDate,
    through: NaiveDate,
    lists: &'a Lists,
    /// The first day the account's obligations are counted from: the later of
    /// `customer_since` and the start of its history.
    basis: NaiveDate,
    /// Candidates found so far for the account (each one's `seq`).
    seq: std::cell::Cell<u32>,
    /// Set for a second evaluation that renders texts only.
    render: Option<std::cell::RefCell<Render>>,
}

/// The paths of the book's lists, built once per plan (an item's path is one of these
/// with its index).
struct Lists {
    accounts: FieldPath,
    people: FieldPath,
    orders: FieldPath,
    units: FieldPath,
    surveys: FieldPath,
}

impl Lists {
    fn new() -> Lists {
        let list = |name| FieldPath::root().field(name);
        Lists {
            accounts: list("accounts"),
            people: list("people"),
            orders: list("orders"),
            units: list("units"),
            surveys: list("surveys"),
        }
    }
}

/// The date of UTC second `ts` in `zone` (`None` for [`NEVER`]), through the calendar's
/// offset table when `zone` is the calendar's ([`BusinessCalendar::date_at`]).
fn date_of(cal: &BusinessCalendar, ts: i64, zone: Tz) -> Option<NaiveDate> {
    (ts != NEVER).then(|| cal.date_at(ts, zone)).flatten()
}

/// Appends `d` as [`Ymd`] writes it.
fn push_date(s: &mut String, d: NaiveDate) {
    match Ymd(d).digits() {
        Some(b) => s.extend(b.iter().map(|&c| char::from(c))),
        None => {
            let _ = write!(s, "{d}");
        }
    }
}

fn add_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    if n >= 0 {
        d.checked_add_days(Days::new(n.unsigned_abs()))
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs()))
    }
}

fn add_months(d: NaiveDate, n: u32) -> Option<NaiveDate> {
    d.checked_add_months(Months::new(n))
}

/// The smallest `k >= 1` for which `reached(k)` holds, for a `reached` that is false
/// up to some `k` and true from there on (`u32::MAX` when it never holds): the first
/// occurrence of a recurring obligation. The search gallops from the estimate `guess`
/// and then halves, so a good guess costs a few calls and any guess `O(log k)`.
fn first_occurrence(guess: u32, reached: impl Fn(u32) -> bool) -> u32 {
    let guess = guess.max(1);
    // Bracket the answer: reached(hi) holds, and lo is 0 or does not reach.
    let (mut lo, mut hi);
    if reached(guess) {
        hi = guess;
        let mut step = 1u32;
        loop {
            let l = hi.saturating_sub(step);
            if l == 0 {
                lo = 0;
                break;
            }
            if !reached(l) {
                lo = l;
                break;
            }
            hi = l;
            step = step.saturating_mul(2);
        }
    } else {
        lo = guess;
        let mut step = 1u32;
        loop {
            if lo == u32::MAX {
                return u32::MAX;
            }
            let h = lo.saturating_add(step);
            if reached(h) {
                hi = h;
                break;
            }
            lo = h;
            step = step.saturating_mul(2);
        }
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if reached(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    hi
}

/// About how many `every`s fit from `since` to `after`: where the search for the first
/// occurrence starts (exact for months as the planner always counted them, and for
/// whole days; a business day guessed as 7/5 of a day).
fn occurrences_between(since: NaiveDate, after: NaiveDate, every: Span) -> u32 {
    let n = i64::from(every.count().max(1));
    let k = match every {
        Span::Months(_) => {
            let months = (i64::from(after.year()) - i64::from(since.year())) * 12
                + i64::from(after.month())
                - i64::from(since.month());
            months / n
        }
        Span::BusinessDays(_) => (after - since).num_days() * 5 / 7 / n,
        fixed => {
            let days = fixed.fixed_delta().map_or(1, |d| d.num_days().max(1));
            (after - since).num_days() / days
        }
    };
    u32::try_from(k.max(0)).unwrap_or(u32::MAX)
}

/// The first local instant at or after `date` + `secs`, the way the calendar maps local
/// times: a repeated time at its earlier occurrence, a skipped one at the jump.
fn local_instant(zone: Tz, date: NaiveDate, secs: u32) -> Option<DateTime<Utc>> {
    let (date, secs) = if secs >= 86_400 {
        (date.succ_opt()?, secs - 86_400)
    } else {
        (date, secs)
    };
    let naive = date.and_hms_opt(secs / 3600, secs / 60 % 60, secs % 60)?;
    // Skipped local times: step forward a minute at a time (gaps last at most a few hours).
    for m in 0..=(24 * 60) {
        let t = naive.checked_add_signed(chrono::TimeDelta::minutes(m))?;
        match zone.from_local_datetime(&t) {
            LocalResult::Single(x) => return Some(x.with_timezone(&Utc)),
            LocalResult::Ambiguous(x, _) => return Some(x.with_timezone(&Utc)),
            LocalResult::None => {}
        }
    }
    None
}

fn out_of_range(what: &str) -> Error {
    Error::new(
        crate::ErrorKind::DateOutOfRange,
        FieldPath::root(),
        format!("{what} is outside the range of dates the planner supports"),
    )
}

impl Planner {
    /// A planner for `policy` (checked here) and the business's `calendar`.
    ///
    /// # Errors
    /// Every problem of the policy, as [`CadencePolicy::validate`].
    pub fn new(policy: CadencePolicy, calendar: BusinessCalendar) -> Result<Planner, Error> {
        let days = policy.days()?;
        let touch_mask = mask(&policy.touch.channels);
        Ok(Planner {
            policy,
            days,
            calendar,
            touch_mask,
            rhythm: Rhythm::default(),
            segments: Vec::new(),
        })
    }

    /// The planner with `policy` for the accounts whose [`segment`](Account::segment)
    /// is `name`: their obligations (intervals, face to face, key people, personal
    /// touches, quiet thresholds) follow it; every account is levelled under this
    /// planner's caps and capacity, which the reps share. A second policy for the same
    /// segment replaces the first.
    ///
    /// ```
    /// use retention::cadence::{CadencePolicy, Planner};
    /// use retention::calendar::BusinessCalendar;
    /// use retention::model::Span;
    ///
    /// let calendar: BusinessCalendar = serde_json::from_str(r#"{"time_zone": "America/Chicago",
    ///     "weekly": {"monday": [{"start": "08:00", "end": "17:00"}]}}"#)?;
    /// let mut homes = CadencePolicy::default();
    /// homes.face_to_face.monthly_for = Span::Months(0);
    /// homes.face_to_face.then_every = Span::Months(12);
    /// let planner = Planner::new(CadencePolicy::default(), calendar)?.with_segment("residential", homes)?;
    /// assert_eq!(planner.segment_policy("residential").unwrap().face_to_face.then_every, Span::Months(12));
    /// assert!(planner.segment_policy("commercial").is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// Every problem of `policy`, as [`CadencePolicy::validate`].
    pub fn with_segment(
        mut self,
        name: impl Into<String>,
        policy: CadencePolicy,
    ) -> Result<Planner, Error> {
        let name = name.into();
        let planner = Planner::new(policy, self.calendar.clone())?.with_rhythm(self.rhythm);
        match self
            .segments
            .binary_search_by(|(n, _)| n.as_str().cmp(&name))
        {
            Ok(i) => {
                if let Some(slot) = self.segments.get_mut(i) {
                    slot.1 = planner;
                }
            }
            Err(i) => self.segments.insert(i, (name, planner)),
        }
        Ok(self)
    }

    /// The planner with `rhythm` for segment `name`'s quiet escalation (when it has a
    /// policy of its own; else unchanged).
    pub(crate) fn with_segment_rhythm(mut self, name: &str, rhythm: Rhythm) -> Planner {
        if let Ok(i) = self
            .segments
            .binary_search_by(|(n, _)| n.as_str().cmp(name))
        {
            if let Some((_, p)) = self.segments.get_mut(i) {
                p.rhythm = rhythm;
            }
        }
        self
    }

    /// The policy for the accounts of segment `name`, if it has its own.
    pub fn segment_policy(&self, name: &str) -> Option<&CadencePolicy> {
        self.segment(Some(name)).map(|p| &p.policy)
    }

    /// `date` plus `span` on the business calendar; a date past the supported range is
    /// `range`'s error, business days run out as the calendar says.
    fn add_span(
        &self,
        date: NaiveDate,
        span: Span,
        range: impl Fn() -> Error,
    ) -> Result<NaiveDate, Error> {
        match span {
            Span::BusinessDays(_) => self.calendar.add_span(date, span),
            _ => self.calendar.add_span(date, span).map_err(|_| range()),
        }
    }

    fn segment(&self, name: Option<&str>) -> Option<&Planner> {
        let name = name?;
        let i = self
            .segments
            .binary_search_by(|(n, _)| n.as_str().cmp(name))
            .ok()?;
        self.segments.get(i).map(|(_, p)| p)
    }

    /// The planner with this customer rhythm for its quiet-customer escalation (K1):
    /// a customer is escalated as quiet when silent past their own rhythm, as
    /// [`Rhythm::is_quiet`] says (and past `quiet.silent_after`, a floor a business may
    /// set; none by default), with the ladder counted from that day. The daily desk gives it the
    /// risk policy's rhythm ([`RiskPolicy::rhythm`](crate::risk::RiskPolicy::rhythm)),
    /// so the two engines agree about the same customer.
    ///
    /// ```
    /// use retention::cadence::{CadencePolicy, Planner};
    /// use retention::calendar::BusinessCalendar;
    /// use retention::model::Rhythm;
    ///
    /// let calendar: BusinessCalendar = serde_json::from_str(r#"{"time_zone": "America/Chicago",
    ///     "weekly": {"monday": [{"start": "08:00", "end": "17:00"}]}}"#)?;
    /// let planner = Planner::new(CadencePolicy::default(), calendar)?.with_rhythm(Rhythm::default());
    /// assert_eq!(planner.rhythm(), &Rhythm::default());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_rhythm(mut self, rhythm: Rhythm) -> Planner {
        self.rhythm = rhythm;
        for (_, p) in &mut self.segments {
            p.rhythm = rhythm;
        }
        self
    }

    /// The customer rhythm of the quiet-customer escalation.
    pub fn rhythm(&self) -> &Rhythm {
        &self.rhythm
    }

    /// The policy.
    pub fn policy(&self) -> &CadencePolicy {
        &self.policy
    }

    /// The calendar.
    pub fn calendar(&self) -> &BusinessCalendar {
        &self.calendar
    }

    /// Plans every account of `book` for `now` and the policy's horizon.
    ///
    /// # Errors
    /// Unusable input, every problem at once with its path: the records' own checks
    /// (`model.*`), `model.duplicate_id` in any list, `cadence.unknown_account`,
    /// `cadence.unknown_person`, `cadence.person_elsewhere`; and
    /// `calendar.date_out_of_range` for dates beyond what the calendar supports.
    pub fn plan(&self, book: &PlanInput, now: DateTime<Utc>) -> Result<Plan, Error> {
        self.plan_ref(book.view(), now, false).map(|(plan, _)| plan)
    }

    /// [`plan`](Planner::plan) over borrowed lists. With `today_only`, the items planned
    /// for later days are levelled like the others (they take their days and their
    /// caps) but not built: the plan holds today's items, and the count of the others
    /// comes beside it (the daily desk lists today's touches only).
    pub(crate) fn plan_ref(
        &self,
        book: BookRef<'_>,
        now: DateTime<Utc>,
        today_only: bool,
    ) -> Result<(Plan, Later), Error> {
        let ix = Index::build(book, now)?;
        let biz_zone = self.calendar.time_zone();
        let today = local_date(now, biz_zone).ok_or_else(|| out_of_range("now"))?;
        let through = add_days(today, self.days.horizon).ok_or_else(|| out_of_range("now"))?;

        let mut drafts: Vec<Draft> = Vec::new();
        let mut explanations: Vec<Explanation> = Vec::new();
        // Every account's candidates, each draft's side by side.
        let mut pool: Vec<Cand> = Vec::new();
        let mut merge_steps = 0u64;
        let lists = Lists::new();
        for a in 0..book.accounts.len() {
            let Some(ctx) = self.account_ctx(book, &ix, &lists, a, now, today, through)? else {
                continue;
            };
            let base = pool.len();
            self.segment(ctx.account.segment.as_deref())
                .unwrap_or(self)
                .account_obligations(&ctx, &mut pool, &mut explanations)?;
            merge_steps += merge(&ctx, &mut pool, base, &mut drafts);
        }
        // Kept to the end of the plan: without the spare room their growth left.
        pool.shrink_to_fit();
        drafts.shrink_to_fit();

        let (due, mut later) = self.level(
            book,
            &ix,
            &lists,
            drafts,
            pool,
            now,
            today,
            through,
            today_only,
            &mut explanations,
        )?;
        later.work.merge_steps = merge_steps;
        explanations.sort_by(|x, y| {
            (&x.account, &x.key, x.code, &x.sentence).cmp(&(
                &y.account,
                &y.key,
                y.code,
                &y.sentence,
            ))
        });
        Ok((
            Plan {
                now,
                today,
                through,
                due,
                explanations,
            },
            later,
        ))
    }

    /// What evaluating account `a` needs; `None` for an account the index skipped.
    #[allow(clippy::too_many_arguments)]
    fn account_ctx<'c>(
        &self,
        book: BookRef<'c>,
        ix: &'c Index,
        lists: &'c Lists,
        a: usize,
        now: DateTime<Utc>,
        today: NaiveDate,
        through: NaiveDate,
    ) -> Result<Option<Ctx<'c>>, Error> {
        let (Some(account), Some(seen)) = (book.accounts.get(a), ix.account_seen.get(a)) else {
            return Ok(None);
        };
        let zone = account.zone().unwrap_or(self.calendar.time_zone());
        let account_today = self
            .calendar
            .date_at(now.timestamp(), zone)
            .ok_or_else(|| out_of_range("now"))?;
        let basis = match book.history_starts.and_then(|h| h.get(a)) {
            Some(&start) => start.max(account.customer_since),
            None => history_start(
                account,
                book.history_since,
                earliest_record(&self.calendar, book, ix, a, seen, zone),
                account_today,
            ),
        };
        Ok(Some(Ctx {
            book,
            ix,
            a: a as u32,
            account,
            seen,
            zone,
            today: account_today,
            plan_today: today,
            through,
            lists,
            basis,
            seq: std::cell::Cell::new(0),
            render: None,
        }))
    }

    /// The texts of some of account `a`'s candidates (by `seq`, ascending, each with
    /// whether its sentence is wanted or its path only), by evaluating the account
    /// again: the same book gives the same candidates in the same order.
    #[allow(clippy::too_many_arguments)]
    fn render(
        &self,
        book: BookRef<'_>,
        ix: &Index,
        lists: &Lists,
        a: usize,
        now: DateTime<Utc>,
        today: NaiveDate,
        through: NaiveDate,
        wanted: Vec<(u32, bool)>,
    ) -> Result<Vec<Rendered>, Error> {
        let Some(mut ctx) = self.account_ctx(book, ix, lists, a, now, today, through)? else {
            return Ok(Vec::new());
        };
        let n = wanted.len();
        ctx.render = Some(std::cell::RefCell::new(Render {
            wanted,
            at: 0,
            out: Vec::with_capacity(n),
        }));
        self.segment(ctx.account.segment.as_deref())
            .unwrap_or(self)
            .account_obligations(&ctx, &mut Vec::new(), &mut Vec::new())?;
        Ok(ctx.render.map(|r| r.into_inner().out).unwrap_or_default())
    }

    fn person<'b>(&self, ctx: &Ctx<'b>, p: u32) -> Option<&'b Person> {
        ctx.book.people.get(p as usize)
    }

    /// Chooses who to reach for an account-level obligation: the wanted person if they
    /// can be reached on an accepted channel, else the account's people in order (key
    /// contacts first). `Err(())` when people exist but none may be contacted.
    fn target(&self, ctx: &Ctx<'_>, wanted: Option<u32>, accept: u8) -> Result<Option<u32>, ()> {
        if accept == 0 {
            return Ok(None);
        }
        let reachable = |p: u32| {
            self.person(ctx, p).is_some_and(|x| {
                Channel::ALL
                    .iter()
                    .any(|c| bit(*c) & accept != 0 && x.channels.may_contact(*c))
            })
        };
        if let Some(p) = wanted {
            if reachable(p) {
                return Ok(Some(p));
            }
        }
        let people = ctx.ix.people_of.of(ctx.a as usize);
        if people.is_empty() {
            return Ok(None);
        }
        people
            .iter()
            .copied()
            .find(|&p| reachable(p))
            .map(Some)
            .ok_or(())
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &self,
        ctx: &Ctx<'_>,
        out: &mut Vec<Cand>,
        expl: &mut Vec<Explanation>,
        kind: ObligationCode,
        wanted: Option<u32>,
        fixed_person: bool,
        due: NaiveDate,
        from: NaiveDate,
        accept: u8,
        order: &'static [Channel],
        subject: Subject,
        path: impl FnOnce() -> FieldPath,
        args: impl FnOnce() -> Args,
    ) {
        let subject_of = subject;
        let subject = |k: &mut String| subject_of.write(ctx.book, k);
        let from = from.min(due);
        if from > ctx.through {
            if self.policy.explain_not_due && ctx.render.is_none() {
                let key = self.key(ctx, kind, wanted, subject);
                let args = Args::new()
                    .with("obligation", Arg::term(kind.code()))
                    .with("due", Arg::Date(due))
                    .with("window_from", Arg::Date(from))
                    .with("through", Arg::Date(ctx.through));
                let code = ExplanationCode::NotDue;
                expl.push(Explanation {
                    code,
                    deferred: None,
                    rule: kind.rule(),
                    key,
                    account: ctx.account.id.clone(),
                    person: wanted
                        .and_then(|p| self.person(ctx, p))
                        .map(|p| p.id.clone()),
                    path: path(),
                    sentence: english(code.code(), &args),
                    args,
                });
            }
            return;
        }
        let person = if fixed_person && accept != 0 {
            match wanted {
                Some(p) if self.target(ctx, Some(p), accept) == Ok(Some(p)) => Ok(Some(p)),
                Some(_) => Err(()),
                None => self.target(ctx, None, accept),
            }
        } else {
            self.target(ctx, wanted, accept)
        };
        match person {
            Ok(person) => {
                let seq = ctx.seq.get();
                ctx.seq.set(seq.saturating_add(1));
                if let Some(render) = &ctx.render {
                    let mut r = render.borrow_mut();
                    while r.wanted.get(r.at).is_some_and(|w| w.0 < seq) {
                        r.at += 1;
                    }
                    if let Some(&(wanted, with_sentence)) = r.wanted.get(r.at) {
                        if wanted == seq {
                            let text = with_sentence.then(|| {
                                let args = args();
                                let sentence = english(kind.code(), &args);
                                (args, sentence)
                            });
                            r.out.push((seq, path(), text));
                        }
                    }
                    return;
                }
                let packed = subject_of.pack();
                out.push(Cand {
                    kind,
                    person,
                    due,
                    from,
                    accept,
                    order: ChannelOrder::new(order),
                    subject_of: packed.0,
                    subject_at: packed.1,
                    subject_on: packed.2,
                    seq,
                    draft: 0,
                    text: None,
                });
            }
            Err(()) if ctx.render.is_some() => {}
            Err(()) => {
                let key = self.key(ctx, kind, wanted, subject);
                let who = wanted.and_then(|p| self.person(ctx, p));
                let channels: Vec<Arg> = Channel::ALL
                    .iter()
                    .filter(|c| bit(**c) & accept != 0)
                    .map(|c| Arg::Channel(*c))
                    .collect();
                // The obligation's own arguments too: its reason is
                // `english(obligation, args)`.
                let args = args()
                    .with("obligation", Arg::term(kind.code()))
                    .with_opt("person", who.map(|p| Arg::Name(p.name.clone())))
                    .with("account", Arg::Name(ctx.account.name.clone()))
                    .with("channels", Arg::List(channels))
                    .with("due", Arg::Date(due));
                let code = ExplanationCode::DoNotContact;
                expl.push(Explanation {
                    code,
                    deferred: None,
                    rule: kind.rule(),
                    key,
                    account: ctx.account.id.clone(),
                    person: who.map(|p| p.id.clone()),
                    path: path(),
                    sentence: english(code.code(), &args),
                    args,
                });
            }
        }
    }

    fn key(
        &self,
        ctx: &Ctx<'_>,
        kind: ObligationCode,
        person: Option<u32>,
        subject: impl FnOnce(&mut String),
    ) -> String {
        let person = person
            .and_then(|p| self.person(ctx, p))
            .map_or("-", |p| p.id.as_str());
        let account = ctx.account.id.as_str();
        let tag = kind.tag();
        // The subject is a date, an id, or an id and a date.
        let mut key = String::with_capacity(tag.len() + account.len() + person.len() + 40);
        for part in [tag, account, person] {
            key.push_str(part);
            key.push(':');
        }
        subject(&mut key);
        // Kept until the plan is built: no spare capacity.
        key.shrink_to_fit();
        key
    }

    #[allow(clippy::too_many_arguments)]
    fn explain_met(
        &self,
        ctx: &Ctx<'_>,
        expl: &mut Vec<Explanation>,
        kind: ObligationCode,
        person: Option<u32>,
        subject: impl FnOnce(&mut String),
        path: impl FnOnce() -> FieldPath,
        args: impl FnOnce() -> Args,
    ) {
        if self.policy.explain_not_due && ctx.render.is_none() {
            let args = args().with("obligation", Arg::term(kind.code()));
            let code = ExplanationCode::Satisfied;
            expl.push(Explanation {
                code,
                deferred: None,
                rule: kind.rule(),
                key: self.key(ctx, kind, person, subject),
                account: ctx.account.id.clone(),
                person: person
                    .and_then(|p| self.person(ctx, p))
                    .map(|p| p.id.clone()),
                path: path(),
                sentence: english(code.code(), &args),
                args,
            });
        }
    }

    /// Notes a date-bound touch that lapsed on `due` as missed, while the policy's
    /// `missed_noted_for` lasts (C6): never a due item, never overdue.
    #[allow(clippy::too_many_arguments)]
    fn missed(
        &self,
        ctx: &Ctx<'_>,
        expl: &mut Vec<Explanation>,
        kind: ObligationCode,
        person: Option<u32>,
        due: NaiveDate,
        subject: impl FnOnce(&mut String),
        path: impl FnOnce() -> FieldPath,
        args: impl FnOnce() -> Args,
    ) {
        let ago = (ctx.today - due).num_days();
        if ago <= 0 || ago > self.days.missed_noted || ctx.render.is_some() {
            return;
        }
        let args = args()
            .with("obligation", Arg::term(kind.code()))
            .with("due", Arg::Date(due));
        let code = ExplanationCode::Missed;
        expl.push(Explanation {
            code,
            deferred: None,
            rule: kind.rule(),
            key: self.key(ctx, kind, person, subject),
            account: ctx.account.id.clone(),
            person: person
                .and_then(|p| self.person(ctx, p))
                .map(|p| p.id.clone()),
            path: path(),
            sentence: english(code.code(), &args),
            args,
        });
    }

    #[allow(clippy::too_many_lines)]
    fn account_obligations(
        &self,
        ctx: &Ctx<'_>,
        out: &mut Vec<Cand>,
        expl: &mut Vec<Explanation>,
    ) -> Result<(), Error> {
        let d = &self.days;
        let pol = &self.policy;
        let a = ctx.a as usize;
        let acc = ctx.account;
        let since = acc.customer_since;
        let basis = ctx.basis;
        let lists = ctx.lists;
        let acct_path = || lists.accounts.index(a);
        let range = || out_of_range("a date");
        let touch_order: &'static [Channel] = &PLAN_ORDER;

        // C1 / K1: touch every customer; tighter, and escalating, when the customer is quiet.
        let last_touch = date_of(
            &self.calendar,
            ctx.seen.seen.last_in(self.touch_mask),
            ctx.zone,
        );
        let anchor = last_touch.map_or(basis, |t| t.max(basis));
        let last_word = date_of(&self.calendar, ctx.seen.last_customer_word, ctx.zone);
        let silent_days = (ctx.today - last_word.map_or(basis, |w| w.max(basis))).num_days();
        // Quiet against the customer's own rhythm, as the risk engine judges silence.
        let gap = self.rhythm.usual_gap_days(
            ctx.seen.words,
            ctx.seen.first_customer_word,
            ctx.seen.last_customer_word,
            (ctx.today - basis).num_days(),
        );
        // One view of silence (K1): quiet is the rhythm's judgement, the risk engine's;
        // `quiet.silent_after` only adds a floor a business may set (none by default).
        if silent_days > d.silent_after && self.rhythm.is_quiet(silent_days, gap) {
            let ladder = &pol.quiet.escalation;
            // The ladder counts from the day the customer became quiet.
            let quiet_after = self
                .rhythm
                .quiet_after_days(gap)
                .unwrap_or(0)
                .max(d.silent_after);
            let rung = usize::try_from((silent_days - quiet_after - 1).max(0) / d.escalate)
                .unwrap_or(0)
                .min(ladder.len().saturating_sub(1));
            let mut accept = mask(ladder.get(rung..).unwrap_or(&[]));
            let channel = ladder.get(rung).copied().unwrap_or(Channel::Email);
            // Nobody may be reached on the rung or above: fall back to the lower rungs and
            // the touch channels rather than leave a quiet customer untouched.
            let fallback = self.target(ctx, None, accept).is_err();
            if fallback {
                accept |= mask(ladder) | self.touch_mask;
            }
            let every = d.quiet_touch.min(d.touch);
            // Due on the first day a rule was broken: the tighter quiet rhythm binds only
            // from the day the customer became quiet, and C1's own rhythm still binds
            // before it. Counted from an old last touch alone, the quiet touch would be
            // overdue for weeks the customer was not yet quiet.
            let quiet_from = add_days(
                ctx.today,
                quiet_after.saturating_add(1).saturating_sub(silent_days),
            )
            .ok_or_else(range)?;
            let due = add_days(anchor, every)
                .ok_or_else(range)?
                .max(quiet_from)
                .min(add_days(anchor, d.touch).ok_or_else(range)?);
            let from = add_days(due, -d.plan_ahead).ok_or_else(range)?.max(anchor);
            self.push(
                ctx,
                out,
                expl,
                ObligationCode::QuietTouch,
                None,
                false,
                due,
                from,
                accept,
                ladder_order(channel),
                Subject::Date(due),
                acct_path,
                || {
                    let args = Args::new()
                        .with("account", Arg::Name(acc.name.clone()))
                        .with_opt("last_word", last_word.map(Arg::Date))
                        .with("silent_days", Arg::count(silent_days))
                        .with("quiet_after_days", Arg::count(quiet_after))
                        .with("every_days", Arg::count(every))
                        .with("channel", Arg::Channel(channel))
                        .with("rung", Arg::count(rung + 1))
                        .with("rungs", Arg::count(ladder.len()))
                        .with("fallback", Arg::Flag(fallback));
                    history(args, "last_touch", last_touch, since, basis)
                        .with("due", Arg::Date(due))
                },
            );
        } else {
            let due = add_days(anchor, d.touch).ok_or_else(range)?;
            let from = add_days(due, -d.plan_ahead).ok_or_else(range)?.max(anchor);
            if last_touch.is_some() && from > ctx.through {
                self.explain_met(
                    ctx,
                    expl,
                    ObligationCode::Touch,
                    None,
                    |k| push_date(k, due),
                    acct_path,
                    || {
                        Args::new()
                            .with_opt("last_touch", last_touch.map(Arg::Date))
                            .with("due", Arg::Date(due))
                    },
                );
            } else {
                self.push(
                    ctx,
                    out,
                    expl,
                    ObligationCode::Touch,
                    None,
                    false,
                    due,
                    from,
                    self.touch_mask,
                    touch_order,
                    Subject::Date(due),
                    acct_path,
                    || {
                        history(Args::new(), "last_touch", last_touch, since, basis)
                            .with("every", Arg::Span(pol.touch.every))
                            .with("due", Arg::Date(due))
                    },
                );
            }
        }

        // C2: face to face, monthly for the first months, then every few months.
        let last_visit = date_of(
            &self.calendar,
            ctx.seen.seen.last_in(bit(Channel::Visit)),
            ctx.zone,
        );
        let anchor = last_visit.map_or(basis, |v| v.max(basis));
        let monthly_until = self.add_span(since, pol.face_to_face.monthly_for, range)?;
        let every = if anchor < monthly_until {
            Span::Months(1)
        } else {
            pol.face_to_face.then_every
        };
        let due = self.add_span(anchor, every, range)?;
        let from = add_days(due, -d.plan_ahead).ok_or_else(range)?.max(anchor);
        self.push(
            ctx,
            out,
            expl,
            ObligationCode::FaceToFace,
            None,
            false,
            due,
            from,
            bit(Channel::Visit),
            &[Channel::Visit],
            Subject::Date(due),
            acct_path,
            || {
                history(Args::new(), "last_visit", last_visit, since, basis)
                    .with("every", Arg::Span(every))
                    .with_opt(
                        "monthly_until",
                        // Only while the monthly months last: a `then_every` of one month
                        // after them has no "until".
                        (anchor < monthly_until).then_some(Arg::Date(monthly_until)),
                    )
                    .with("due", Arg::Date(due))
            },
        );

        // C3: each key person on their own cadence; enough distinct key roles a quarter.
        let people = ctx.ix.people_of.of(a);
        let quarter_start = ctx
            .today
            .checked_sub_months(Months::new(3))
            .ok_or_else(range)?;
        // Sets of roles as bits: no allocation per account.
        let mut roles_on_file = 0u8;
        let mut roles_touched = 0u8;
        for &p in people {
            let Some(person) = self.person(ctx, p) else {
                continue;
            };
            if !person.key_contact {
                continue;
            }
            let pzone = person.zone().unwrap_or(ctx.zone);
            let seen = ctx.ix.person_seen.get(p as usize);
            let last =
                seen.and_then(|s| date_of(&self.calendar, s.last_in(self.touch_mask), pzone));
            roles_on_file |= role_bit(person.role);
            if last.is_some_and(|l| l >= quarter_start) {
                roles_touched |= role_bit(person.role);
            }
            let anchor = last.map_or(basis, |l| l.max(basis));
            let every = pol.key_people.each_every;
            let due = self.add_span(anchor, every, range)?;
            let from = add_days(due, -d.plan_ahead).ok_or_else(range)?.max(anchor);
            self.push(
                ctx,
                out,
                expl,
                ObligationCode::KeyPerson,
                Some(p),
                true,
                due,
                from,
                self.touch_mask,
                touch_order,
                Subject::Date(due),
                || lists.people.index(p as usize),
                || {
                    let args = Args::new()
                        .with("person", Arg::Name(person.name.clone()))
                        .with("role", Arg::term(person.role.as_str()));
                    history(args, "last_touch", last, since, basis)
                        .with("every", Arg::Span(every))
                        .with("due", Arg::Date(due))
                },
            );
        }
        let min_roles = pol.key_people.min_roles_per_quarter as usize;
        let (on_file, touched) = (
            roles_on_file.count_ones() as usize,
            roles_touched.count_ones() as usize,
        );
        if on_file < min_roles {
            if ctx.render.is_none() {
                // The key contacts' roles in the order of the account's people (key contacts
                // first, by role): the same order as the roles' bits.
                let roles: Vec<Arg> = ROLES
                    .iter()
                    .filter(|r| roles_on_file & role_bit(**r) != 0)
                    .map(|r| Arg::term(r.as_str()))
                    .collect();
                let args = Args::new()
                    .with("account", Arg::Name(acc.name.clone()))
                    .with("roles", Arg::List(roles))
                    .with("min_roles", Arg::count(min_roles));
                let code = ExplanationCode::TooFewKeyPeople;
                expl.push(Explanation {
                    code,
                    deferred: None,
                    rule: Rule::C3,
                    key: format!("C3r:{}", acc.id),
                    account: acc.id.clone(),
                    person: None,
                    path: acct_path(),
                    sentence: english(code.code(), &args),
                    args,
                });
            }
        } else if touched < min_roles {
            let mut missing = min_roles - touched;
            let mut done = 0u8;
            for &p in people {
                if missing == 0 {
                    break;
                }
                let Some(person) = self.person(ctx, p) else {
                    continue;
                };
                if !person.key_contact
                    || roles_touched & role_bit(person.role) != 0
                    || done & role_bit(person.role) != 0
                {
                    continue;
                }
                if self.target(ctx, Some(p), self.touch_mask) != Ok(Some(p)) {
                    continue; // the key-person obligation already explains it
                }
                done |= role_bit(person.role);
                missing -= 1;
                let today = ctx.today;
                self.push(
                    ctx,
                    out,
                    expl,
                    ObligationCode::KeyRoleMissing,
                    Some(p),
                    true,
                    today,
                    today,
                    self.touch_mask,
                    touch_order,
                    Subject::Date(quarter_start),
                    || lists.people.index(p as usize).field("role"),
                    || {
                        Args::new()
                            .with("touched_roles", Arg::count(touched))
                            .with("min_roles", Arg::count(min_roles))
                            .with("quarter_from", Arg::Date(quarter_start))
                            .with("person", Arg::Name(person.name.clone()))
                            .with("role", Arg::term(person.role.as_str()))
                            .with("due", Arg::Date(today))
                    },
                );
            }
        }

        // C4, C6 thank-you, C8: per completed order. The next service (C8) is planned
        // after the account's latest completed order: a later order supersedes an
        // earlier one's plan (or its lack of one).
        let latest = ctx
            .ix
            .orders_of
            .of(a)
            .iter()
            .copied()
            .filter_map(|o| {
                ctx.book
                    .orders
                    .get(o as usize)
                    .map(|x| (x.completed_at, &x.id, o))
            })
            .max()
            .map(|(_, _, o)| o);
        for &o in ctx.ix.orders_of.of(a) {
            let p = ctx.ix.order_person.get(o as usize).copied().flatten();
            let Some(order) = ctx.book.orders.get(o as usize) else {
                continue;
            };
            let done = self
                .calendar
                .date_at(order.completed_at.timestamp(), ctx.zone)
                .ok_or_else(|| out_of_range("an order's completion"))?;
            let at = order.completed_at.timestamp();
            let opath = || lists.orders.index(o as usize);
            // C4
            let within = pol.follow_up.within;
            let due = self.add_span(done, within, range)?;
            let called = ctx.seen.seen.last_in(PHONE_OR_VISIT);
            if called >= at {
                self.explain_met(
                    ctx,
                    expl,
                    ObligationCode::FollowUpCall,
                    p,
                    |k| k.push_str(order.id.as_str()),
                    opath,
                    || {
                        Args::new().with("order", Arg::id(&order.id)).with_opt(
                            "called_on",
                            date_of(&self.calendar, called, ctx.zone).map(Arg::Date),
                        )
                    },
                );
            } else {
                self.push(
                    ctx,
                    out,
                    expl,
                    ObligationCode::FollowUpCall,
                    p,
                    false,
                    due,
                    done,
                    PHONE_OR_VISIT,
                    &[Channel::Phone, Channel::Visit],
                    Subject::Order(o),
                    || opath().field("completed_at"),
                    || {
                        Args::new()
                            .with("order", Arg::id(&order.id))
                            .with("completed_on", Arg::Date(done))
                            .with("within", Arg::Span(within))
                            .with("due", Arg::Date(due))
                    },
                );
            }
            // C6: thank-you after the first order.
            if order.first_for_account {
                let due = add_days(done, d.thank_you).ok_or_else(range)?;
                let written = ctx.seen.seen.last_in(WRITTEN);
                if written >= at {
                    self.explain_met(
                        ctx,
                        expl,
                        ObligationCode::ThankYouNote,
                        p,
                        |k| k.push_str(order.id.as_str()),
                        opath,
                        || Args::new().with("order", Arg::id(&order.id)),
                    );
                } else if ctx.today > due {
                    // The window has closed: the note lapsed (noted once, never overdue).
                    self.missed(
                        ctx,
                        expl,
                        ObligationCode::ThankYouNote,
                        p,
                        due,
                        |k| k.push_str(order.id.as_str()),
                        || opath().field("first_for_account"),
                        || {
                            Args::new()
                                .with("order", Arg::id(&order.id))
                                .with("completed_on", Arg::Date(done))
                                .with("within", Arg::Span(pol.personal.thank_you_within))
                        },
                    );
                } else {
                    self.push(
                        ctx,
                        out,
                        expl,
                        ObligationCode::ThankYouNote,
                        p,
                        false,
                        due,
                        done,
                        WRITTEN,
                        &[Channel::Letter, Channel::Email],
                        Subject::Order(o),
                        || opath().field("first_for_account"),
                        || {
                            Args::new()
                                .with("order", Arg::id(&order.id))
                                .with("completed_on", Arg::Date(done))
                                .with("within", Arg::Span(pol.personal.thank_you_within))
                                .with("due", Arg::Date(due))
                        },
                    );
                }
            }
            // C8: next service planned, after the latest order only (an earlier order's
            // plan, or lack of one, is superseded by the latest one's).
            if latest != Some(o) {
                continue;
            }
            if order.next_service_planned_on.is_some() || order.next_service_not_needed {
                self.explain_met(
                    ctx,
                    expl,
                    ObligationCode::PlanNextService,
                    p,
                    |k| k.push_str(order.id.as_str()),
                    opath,
                    || {
                        Args::new().with("order", Arg::id(&order.id)).with_opt(
                            "next_service_on",
                            order.next_service_planned_on.map(Arg::Date),
                        )
                    },
                );
            } else {
                let due = add_days(done, d.plan_next).ok_or_else(range)?;
                self.push(
                    ctx,
                    out,
                    expl,
                    ObligationCode::PlanNextService,
                    p,
                    false,
                    due,
                    done,
                    bit(Channel::Phone) | bit(Channel::Email) | bit(Channel::Visit),
                    &[Channel::Phone, Channel::Email, Channel::Visit],
                    Subject::Order(o),
                    || opath().field("next_service_planned_on"),
                    || {
                        Args::new()
                            .with("order", Arg::id(&order.id))
                            .with("completed_on", Arg::Date(done))
                            .with("within", Arg::Span(pol.next_service.plan_within))
                            .with("due", Arg::Date(due))
                    },
                );
            }
        }

        // C5: the monthly record review, anchored to customer_since (no drift).
        let every = pol.review.every;
        let reviewed = ctx.ix.last_review.get(a).copied().flatten();
        let after = reviewed.map_or(basis, |r| r.max(basis));
        // The k-th occurrence, `since` plus k intervals; `None` past the supported dates.
        let occ = |k: u32| {
            every
                .times(k)
                .and_then(|s| self.calendar.add_span(since, s).ok())
        };
        // Each period (one occurrence to the next) needs one review. A review counts for
        // the first occurrence on or after it (done a few days early, it is that
        // month's review), so the next is due one occurrence later; with no review
        // since the relationship began, the first occurrence after it is due.
        let credited = reviewed.is_some_and(|r| r > since);
        let reached =
            |x: Option<NaiveDate>| x.is_none_or(|x| x > after || (credited && x == after));
        let mut k = first_occurrence(occurrences_between(since, after, every), |k| {
            reached(occ(k))
        });
        let mut due = occ(k).ok_or_else(range)?;
        if credited {
            k = k.checked_add(1).ok_or_else(range)?;
            due = occ(k).ok_or_else(range)?;
        }
        let from = add_days(due, -d.plan_ahead).ok_or_else(range)?.max(after);
        self.push(
            ctx,
            out,
            expl,
            ObligationCode::RecordReview,
            None,
            false,
            due,
            from,
            0,
            &[],
            Subject::Date(due),
            acct_path,
            || {
                history(Args::new(), "last_review", reviewed, since, basis)
                    .with("every", Arg::Span(every))
                    .with("due", Arg::Date(due))
            },
        );

        // C9: a discovery conversation about the customer's business, and again as it
        // changes.
        let asked = acc.discovery.as_ref().map(|x| x.asked_on);
        let due = match asked {
            Some(_) if pol.discovery.refresh_every.is_zero() => None,
            Some(on) => Some(self.add_span(on.max(basis), pol.discovery.refresh_every, range)?),
            // Never asked: a new customer (for less than the refresh period) within the
            // first weeks of its history; an account known longer (the record is new to
            // the host too) is asked by the next
            // anniversary of the relationship, never counted years overdue, and a book
            // imported today spreads its conversations over the year.
            None => {
                let first = add_days(basis, d.discovery_first).ok_or_else(range)?;
                let refresh = match pol.discovery.refresh_every {
                    s if s.is_zero() => Span::Months(12),
                    s => s,
                };
                let new = self
                    .calendar
                    .add_span(since, refresh)
                    .ok()
                    .is_none_or(|d| d > ctx.today);
                if new || first >= ctx.today {
                    Some(first)
                } else {
                    let years = u32::try_from(ctx.today.year() - since.year()).unwrap_or(0);
                    let mut next = add_months(since, years.saturating_mul(12)).ok_or_else(range)?;
                    if next < ctx.today {
                        next = add_months(since, years.saturating_add(1).saturating_mul(12))
                            .ok_or_else(range)?;
                    }
                    Some(next)
                }
            }
        };
        if let Some(due) = due {
            let from = add_days(due, -d.plan_ahead).ok_or_else(range)?;
            self.push(
                ctx,
                out,
                expl,
                ObligationCode::Discovery,
                None,
                false,
                due,
                from,
                PHONE_OR_VISIT,
                &[Channel::Visit, Channel::Phone],
                Subject::Date(due),
                || lists.accounts.index(a).field("discovery"),
                || {
                    Args::new()
                        .with("account", Arg::Name(acc.name.clone()))
                        .with_opt("asked_on", asked.map(Arg::Date))
                        .with_opt(
                            "every",
                            asked.map(|_| Arg::Span(pol.discovery.refresh_every)),
                        )
                        .with("due", Arg::Date(due))
                },
            );
        }

        // C5: maintenance reminders, ahead of each unit's next service.
        let units = ctx.ix.units_of.of(a);
        let reminder_mask = self.touch_mask & !bit(Channel::Newsletter);
        for &u in units {
            let Some(unit) = ctx.book.units.get(u as usize) else {
                continue;
            };
            let Some(service) = unit.next_service_due() else {
                continue;
            };
            let from = add_days(service, -d.maintenance_lead).ok_or_else(range)?;
            let upath = || lists.units.index(u as usize);
            let told = date_of(
                &self.calendar,
                ctx.seen.seen.last_in(reminder_mask),
                ctx.zone,
            );
            if told.is_some_and(|t| t >= from) {
                self.explain_met(
                    ctx,
                    expl,
                    ObligationCode::MaintenanceReminder,
                    None,
                    |k| k.push_str(unit.id.as_str()),
                    upath,
                    || {
                        Args::new()
                            .with_opt("reached_on", told.map(Arg::Date))
                            .with("unit", Arg::id(&unit.id))
                    },
                );
                continue;
            }
            self.push(
                ctx,
                out,
                expl,
                ObligationCode::MaintenanceReminder,
                None,
                false,
                service,
                from,
                reminder_mask,
                touch_order,
                Subject::UnitOn(u, service),
                upath,
                || {
                    let (months, days) = match unit.service_interval {
                        ServiceInterval::Months(n) => (Some(Arg::count(n)), None),
                        ServiceInterval::Days(n) => (None, Some(Arg::count(n))),
                    };
                    Args::new()
                        .with("unit_kind", Arg::Text(unit.kind.clone()))
                        .with("unit", Arg::id(&unit.id))
                        .with_opt("unit_label", unit.label.clone().map(Arg::Name))
                        .with("due", Arg::Date(service))
                        .with_opt("last_serviced", unit.last_serviced_on.map(Arg::Date))
                        .with("installed_on", Arg::Date(unit.installed_on))
                        .with_opt("service_every_months", months)
                        .with_opt("service_every_days", days)
                        .with("window_from", Arg::Date(from))
                },
            );
        }

        // C6: birthdays.
        for &p in people {
            let Some(person) = self.person(ctx, p) else {
                continue;
            };
            let Some(b) = person.birthday else { continue };
            let pzone = person.zone().unwrap_or(ctx.zone);
            let today = ctx.today;
            let Some(day) = b.next_on_or_after_with(today, pol.personal.leap_day) else {
                continue;
            };
            let from = add_days(day, -d.birthday_lead).ok_or_else(range)?;
            let written = ctx
                .ix
                .person_seen
                .get(p as usize)
                .and_then(|s| date_of(&self.calendar, s.last_in(WRITTEN), pzone));
            let ppath = || lists.people.index(p as usize).field("birthday");
            // A birthday gone by in the last days, on record, without a note: missed.
            if d.missed_noted > 0 {
                let back = add_days(today, -d.missed_noted).ok_or_else(range)?;
                if let Some(prev) = b
                    .next_on_or_after_with(back, pol.personal.leap_day)
                    .filter(|&x| x < today && x >= basis)
                {
                    let prev_from = add_days(prev, -d.birthday_lead).ok_or_else(range)?;
                    if written.is_none_or(|w| w < prev_from) {
                        self.missed(
                            ctx,
                            expl,
                            ObligationCode::BirthdayNote,
                            Some(p),
                            prev,
                            |k| push_date(k, prev),
                            ppath,
                            || Args::new().with("person", Arg::Name(person.name.clone())),
                        );
                    }
                }
            }
            if written.is_some_and(|w| w >= from) {
                self.explain_met(
                    ctx,
                    expl,
                    ObligationCode::BirthdayNote,
                    Some(p),
                    |k| push_date(k, day),
                    ppath,
                    || {
                        Args::new()
                            .with("person", Arg::Name(person.name.clone()))
                            .with_opt("written_on", written.map(Arg::Date))
                            .with("due", Arg::Date(day))
                    },
                );
                continue;
            }
            self.push(
                ctx,
                out,
                expl,
                ObligationCode::BirthdayNote,
                Some(p),
                true,
                day,
                from,
                WRITTEN,
                &[Channel::Letter, Channel::Email],
                Subject::Date(day),
                ppath,
                || {
                    Args::new()
                        .with("person", Arg::Name(person.name.clone()))
                        .with("due", Arg::Date(day))
                        .with("leap_day", Arg::Flag(b.is_leap_day() && day.day() != 29))
                        .with("window_from", Arg::Date(from))
                },
            );
        }

        // C7: a manager's call after an unhappy survey, until spoken to.
        for &s in ctx.ix.surveys_of.of(a) {
            let p = ctx.ix.survey_person.get(s as usize).copied().flatten();
            let Some(survey) = ctx.book.surveys.get(s as usize) else {
                continue;
            };
            if !survey.is_unhappy() {
                continue;
            }
            let at = survey.answered_at.timestamp();
            let answered = self
                .calendar
                .date_at(survey.answered_at.timestamp(), ctx.zone)
                .ok_or_else(|| out_of_range("a survey's answer"))?;
            let spath = || lists.surveys.index(s as usize);
            if ctx.seen.last_conversation >= at {
                self.explain_met(
                    ctx,
                    expl,
                    ObligationCode::RecoveryCall,
                    p,
                    |k| k.push_str(survey.id.as_str()),
                    spath,
                    || {
                        Args::new().with("survey", Arg::id(&survey.id)).with_opt(
                            "conversation_on",
                            date_of(&self.calendar, ctx.seen.last_conversation, ctx.zone)
                                .map(Arg::Date),
                        )
                    },
                );
                continue;
            }
            let attempt = (ctx.seen.last_live_attempt >= at)
                .then(|| date_of(&self.calendar, ctx.seen.last_live_attempt, ctx.zone))
                .flatten();
            let gap = pol.recovery.retry_every;
            let due = match attempt {
                Some(t) => self.add_span(t, gap, range)?,
                None => answered,
            };
            self.push(
                ctx,
                out,
                expl,
                ObligationCode::RecoveryCall,
                p,
                false,
                due,
                due,
                PHONE_OR_VISIT,
                &[Channel::Phone, Channel::Visit],
                Subject::SurveyOn(s, due),
                spath,
                || {
                    Args::new()
                        .with("survey", Arg::id(&survey.id))
                        .with("answered_on", Arg::Date(answered))
                        .with("score", Arg::Number(survey.score.to_f64().unwrap_or(0.0)))
                        .with(
                            "scale_max",
                            Arg::Number(survey.scale.max.to_f64().unwrap_or(0.0)),
                        )
                        .with("unhappy_hint", Arg::Flag(survey.unhappy_hint))
                        .with_opt("last_attempt", attempt.map(Arg::Date))
                        .with_opt("retry_every", attempt.map(|_| Arg::Span(gap)))
                        .with("due", Arg::Date(due))
                },
            );
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn level(
        &self,
        book: BookRef<'_>,
        ix: &Index,
        lists: &Lists,
        mut drafts: Vec<Draft>,
        mut pool: Vec<Cand>,
        now: DateTime<Utc>,
        today: NaiveDate,
        through: NaiveDate,
        today_only: bool,
        expl: &mut Vec<Explanation>,
    ) -> Result<(Vec<DueItem>, Later), Error> {
        let horizon = usize::try_from(self.days.horizon).unwrap_or(0);
        let mut business = Vec::with_capacity(horizon + 1);
        for i in 0..=horizon {
            let d = add_days(today, i as i64).ok_or_else(|| out_of_range("the horizon"))?;
            business.push(self.calendar.is_business_day(d)?);
        }
        // Reps are levelled independently (an account has one rep), so a rep's number
        // only groups its items; within a rep the order is deadline, priority, key.
        // The drafts lie in account order: the rep is looked up once per account.
        let mut reps: FxMap<Option<&str>, u32> = FxMap::default();
        let mut order: Vec<QueueEntry> = Vec::with_capacity(drafts.len());
        let mut prev: Option<(u32, u32)> = None;
        for (i, d) in drafts.iter().enumerate() {
            let rep = match prev {
                Some((account, rep)) if account == d.account => rep,
                _ => {
                    let name = book
                        .accounts
                        .get(d.account as usize)
                        .and_then(|a| a.owner.as_ref())
                        .map(|u| u.as_str());
                    let next = reps.len() as u32;
                    let rep = *reps.entry(name).or_insert(next);
                    prev = Some((d.account, rep));
                    rep
                }
            };
            order.push((
                rep,
                !date_bound(d, &pool),
                d.due,
                std::cmp::Reverse(priority(d.cands(&pool), today)),
                kind_bits(d.cands(&pool)),
                i as u32,
            ));
        }
        // Number the reps by name, so that levelling rep by rep and filing each item under
        // its day gives the plan's order (day, rep, deadline, priority, key) unsorted.
        let mut names: Vec<(Option<&str>, u32)> = reps.iter().map(|(k, v)| (*k, *v)).collect();
        names.sort_unstable();
        let mut rank = vec![0u32; names.len()];
        for (r, (_, id)) in names.iter().enumerate() {
            if let Some(slot) = rank.get_mut(*id as usize) {
                *slot = r as u32;
            }
        }
        for entry in &mut order {
            entry.0 = rank.get(entry.0 as usize).copied().unwrap_or(entry.0);
        }
        order.sort_unstable_by(|x, y| {
            (x.0, x.1, x.2, x.3)
                .cmp(&(y.0, y.1, y.2, y.3))
                .then_with(|| {
                    let (Some(dx), Some(dy)) = (drafts.get(x.5 as usize), drafts.get(y.5 as usize))
                    else {
                        return x.5.cmp(&y.5);
                    };
                    // The deadlines are equal here: drafts of one account with the same kinds
                    // differ in the person's id (`C3:a-1:p-12:` against `C3:a-1:p-2:`).
                    let same_prefix = dx.account == dy.account && x.4 == y.4;
                    same_prefix
                        .then(|| person_key_order(book, dx, dy))
                        .flatten()
                        .unwrap_or_else(|| {
                            item_key_bytes(book, dx, x.4).cmp(item_key_bytes(book, dy, y.4))
                        })
                        .then(x.5.cmp(&y.5))
                })
        });
        let mut windows = Windows::default();
        // (day, draft, key) per item placed; the draft becomes the item's position below.
        let mut placed_items: Vec<(usize, usize, String)> = Vec::new();
        let mut deferred: Vec<LaterOverdue> = Vec::new();
        // The items no day had room for, summed per account, rule and limit.
        let mut unplaced: FxMap<(u32, Rule, Limit), usize> = FxMap::default();
        let mut groups: Vec<Unplaced> = Vec::new();
        // Notes that name an item's path: the note's position and the item's first
        // candidate, whose path is rendered with the items built.
        let mut paths: Vec<(usize, u32)> = Vec::new();

        let caps = &self.policy.caps;
        let cap = caps.daily_capacity_per_rep;
        let gap = self.days.min_gap;
        let mut load: Vec<Vec<u32>> = vec![Vec::new(); reps.len()];
        let mut person_days = Planned::new(book.people.len());
        let mut account_days = Planned::new(book.accounts.len());
        let now_ts = now.timestamp();
        for (rep, movable, _, _, _, i) in order {
            let i = i as usize;
            let Some(draft) = drafts.get_mut(i) else {
                continue;
            };
            let key = item_key(book, draft, &pool);
            // A date-bound touch goes no later than its day.
            let last = if movable {
                horizon
            } else {
                usize::try_from((draft.due - today).num_days())
                    .unwrap_or(0)
                    .min(horizon)
            };
            let start = usize::try_from((draft.from - today).num_days()).unwrap_or(0);
            let Some(loads) = load.get_mut(rep as usize) else {
                continue;
            };
            if loads.is_empty() {
                loads.resize(horizon + 1, 0);
            }
            // A response the practice asks for at once (a manager's recovery call, C7; the
            // call after a visit, C4) is not held back by the caps on touches: the visit
            // or the complaint that caused it must not push it past its deadline.
            let response = draft.cands(&pool).iter().any(|c| {
                matches!(
                    c.kind,
                    ObligationCode::RecoveryCall | ObligationCode::FollowUpCall
                )
            });
            let contact = draft.accept != 0 && !response;
            let pseen = draft.person().and_then(|p| ix.person_seen.get(p as usize));
            let aseen = ix.account_seen.get(draft.account as usize).map(|s| &s.seen);
            let mut why = Limit::DailyCapacity;
            let mut placed = None;
            // The first day a limit (not the calendar) kept the item from.
            let mut held: Option<(usize, Limit)> = None;
            for day in start..=last {
                if !business.get(day).copied().unwrap_or(false) {
                    why = Limit::BusinessCalendar;
                    continue;
                }
                if loads.get(day).copied().unwrap_or(0) >= cap {
                    why = Limit::DailyCapacity;
                    held = held.or(Some((day, why)));
                    continue;
                }
                if contact {
                    let week =
                        |seen: Option<&super::index::Seen>, planned: &mut Planned, owner: u32| {
                            let past: u32 = seen.map_or(0, |s| {
                                s.recent
                                    .iter()
                                    .enumerate()
                                    .filter(|(b, _)| day + b < 7)
                                    .map(|(_, n)| u32::from(*n))
                                    .sum()
                            });
                            let ahead: u32 = planned
                                .days(owner)
                                .filter(|&(x, _)| x + 7 > day && x <= day + 6)
                                .map(|(_, n)| n)
                                .fold(0, u32::saturating_add);
                            past.saturating_add(ahead)
                        };
                    if let Some(p) = draft.person() {
                        if week(pseen, &mut person_days, p) >= caps.per_person_per_week {
                            why = Limit::WeeklyCapPerPerson;
                            held = held.or(Some((day, why)));
                            continue;
                        }
                        let last = pseen.map_or(NEVER, |s| s.last_in(0x7f));
                        let ago = if last == NEVER {
                            i64::MAX / 2
                        } else {
                            (now_ts - last) / 86_400
                        };
                        let planned_near = person_days
                            .days(p)
                            .any(|(x, _)| (x as i64 - day as i64).abs() < gap);
                        if ago + (day as i64) < gap || planned_near {
                            why = Limit::MinGap;
                            held = held.or(Some((day, why)));
                            continue;
                        }
                    }
                    if week(aseen, &mut account_days, draft.account) >= caps.per_account_per_week {
                        why = Limit::WeeklyCapPerAccount;
                        held = held.or(Some((day, why)));
                        continue;
                    }
                }
                placed = Some(day);
                break;
            }
            // A date-bound touch the caps on touches leave no day for by its day goes on
            // the first day the rep has room, caps or not: a birthday cannot wait.
            let mut over_caps = false;
            if placed.is_none() && !movable && contact {
                placed = (start..=last).find(|&day| {
                    business.get(day).copied().unwrap_or(false)
                        && loads.get(day).copied().unwrap_or(0) < cap
                });
                over_caps = placed.is_some();
            }
            if !movable && placed.is_none() {
                // No day with room by its day: it lapses now, said so with the limit.
                let cand = draft.cands(&pool).first();
                if draft.len > 0 {
                    paths.push((expl.len(), draft.start));
                }
                let args = Args::new()
                    .with_opt("obligation", cand.map(|c| Arg::term(c.kind.code())))
                    .with("due", Arg::Date(draft.due))
                    .with("limit", Arg::term(why.as_str()))
                    .with("daily_capacity", Arg::count(cap));
                let code = ExplanationCode::Missed;
                expl.push(Explanation {
                    code,
                    deferred: None,
                    rule: cand.map_or(Rule::C6, |c| c.kind.rule()),
                    key: key.clone(),
                    account: draft.account_id(book),
                    person: draft.person_id(book),
                    path: FieldPath::root(),
                    sentence: english(code.code(), &args),
                    args,
                });
                continue;
            }
            if let (Some(day), Some((first, limit))) = (placed, held) {
                if day > first && !over_caps {
                    let cand = draft.cands(&pool).first();
                    if draft.len > 0 {
                        paths.push((expl.len(), draft.start));
                    }
                    let first_day =
                        add_days(today, first as i64).ok_or_else(|| out_of_range("the horizon"))?;
                    let to =
                        add_days(today, day as i64).ok_or_else(|| out_of_range("the horizon"))?;
                    let args = Args::new()
                        .with("item", Arg::id(&key))
                        .with("due", Arg::Date(draft.due))
                        .with("could_go_on", Arg::Date(first_day))
                        .with("limit", Arg::term(limit.as_str()))
                        .with("moved_to", Arg::Date(to));
                    let code = ExplanationCode::Moved;
                    expl.push(Explanation {
                        code,
                        deferred: None,
                        rule: cand.map_or(Rule::C1, |c| c.kind.rule()),
                        key: key.clone(),
                        account: draft.account_id(book),
                        person: draft.person_id(book),
                        path: FieldPath::root(),
                        sentence: english(code.code(), &args),
                        args,
                    });
                }
            }
            let Some(day) = placed else {
                let overdue = (today - draft.due).num_days();
                if overdue > 0 {
                    deferred.push(LaterOverdue {
                        account: draft.account,
                        obligations: draft.len,
                        days_overdue: u32::try_from(overdue).unwrap_or(u32::MAX),
                    });
                }
                // Summed per account, rule and limit: one note each, however many items.
                let rule = draft
                    .cands(&pool)
                    .first()
                    .map_or(Rule::C1, |c| c.kind.rule());
                let group = match unplaced.get(&(draft.account, rule, why)) {
                    Some(&g) => g,
                    None => {
                        unplaced.insert((draft.account, rule, why), groups.len());
                        groups.push(Unplaced {
                            account: draft.account,
                            rule,
                            limit: why,
                            items: 0,
                            obligations: 0,
                            overdue: 0,
                            earliest_due: draft.due,
                            worst_days_overdue: 0,
                            without_person: 0,
                            first_keys: Vec::new(),
                            people: Vec::new(),
                        });
                        groups.len() - 1
                    }
                };
                if let Some(g) = groups.get_mut(group) {
                    g.items = g.items.saturating_add(1);
                    let n = draft.len;
                    g.obligations = g.obligations.saturating_add(n);
                    g.earliest_due = g.earliest_due.min(draft.due);
                    if overdue > 0 {
                        g.overdue = g.overdue.saturating_add(1);
                        let days = u32::try_from(overdue).unwrap_or(u32::MAX);
                        g.worst_days_overdue = g.worst_days_overdue.max(days);
                    }
                    match draft.person() {
                        Some(p) => g.people.push(p),
                        None => g.without_person = g.without_person.saturating_add(1),
                    }
                    if g.first_keys.len() < DEFERRED_KEYS_SHOWN {
                        g.first_keys.push(key);
                    }
                }
                continue;
            };
            if let Some(l) = loads.get_mut(day) {
                *l += 1;
            }
            if contact {
                if let Some(p) = draft.person() {
                    person_days.push(p, day);
                }
                account_days.push(draft.account, day);
            }
            placed_items.push((day, i, key));
        }
        for g in groups {
            expl.push(self.deferred_note(book, g, through));
        }
        // File the placed items by day, keeping the levelling order within a day (a
        // counting sort), then build the items in the book's order (the drafts lie in
        // account order: reading them in that order keeps memory access sequential) and
        // move each into its place.
        let mut starts = vec![0usize; horizon + 2];
        for (day, _, _) in &placed_items {
            if let Some(c) = starts.get_mut(day + 1) {
                *c += 1;
            }
        }
        for i in 1..starts.len() {
            let prev = starts.get(i - 1).copied().unwrap_or(0);
            if let Some(c) = starts.get_mut(i) {
                *c += prev;
            }
        }
        let count = placed_items.len();
        // Per draft, its placed item (`u32::MAX`: none).
        let mut by_draft: Vec<u32> = vec![u32::MAX; drafts.len()];
        for (n, (day, i, _)) in placed_items.iter_mut().enumerate() {
            if let Some(next) = starts.get_mut(*day) {
                if let Some(slot) = by_draft.get_mut(*i) {
                    *slot = n as u32;
                }
                *i = *next;
                *next += 1;
            }
        }
        // The texts of what is built (the obligations of the items built: today's, or
        // all of them) and the paths the notes above name, rendered account by account
        // by evaluating the account again: no sentence is written for an item that is
        // not built.
        let mut wanted: Vec<(u32, bool)> = Vec::new();
        for (draft, &placed) in drafts.iter().zip(&by_draft) {
            if placed_items
                .get(placed as usize)
                .is_some_and(|(day, _, _)| !(today_only && *day > 0))
            {
                wanted.extend((draft.start..draft.start + draft.len).map(|k| (k, true)));
            }
        }
        wanted.extend(paths.iter().map(|&(_, k)| (k, false)));
        wanted.sort_unstable();
        wanted.dedup_by(|later, earlier| {
            let same = later.0 == earlier.0;
            if same {
                earlier.1 |= later.1;
            }
            same
        });
        let account_of = |pool: &[Cand], k: u32| {
            pool.get(k as usize)
                .and_then(|c| drafts.get(c.draft as usize))
                .map(|d| d.account)
        };
        let mut sentences = 0u64;
        let mut at = 0;
        while let Some(&(first, _)) = wanted.get(at) {
            let account = account_of(&pool, first);
            let group = wanted
                .get(at..)
                .unwrap_or(&[])
                .iter()
                .take_while(|w| account_of(&pool, w.0) == account);
            let mut by_seq: Vec<(u32, bool, u32)> = group
                .filter_map(|&(k, with)| pool.get(k as usize).map(|c| (c.seq, with, k)))
                .collect();
            at += by_seq.len().max(1);
            let Some(account) = account else {
                continue;
            };
            by_seq.sort_unstable();
            let asked = by_seq.iter().map(|&(seq, with, _)| (seq, with)).collect();
            let texts = self.render(
                book,
                ix,
                lists,
                account as usize,
                now,
                today,
                through,
                asked,
            )?;
            let mut texts = texts.into_iter().peekable();
            for &(seq, _, k) in &by_seq {
                while texts.next_if(|t| t.0 < seq).is_some() {}
                if let Some((_, path, text)) = texts.next_if(|t| t.0 == seq) {
                    sentences += u64::from(text.is_some());
                    if let Some(c) = pool.get_mut(k as usize) {
                        let (args, sentence) = text.unwrap_or_default();
                        c.text = Some(Box::new((path, args, sentence)));
                    }
                }
            }
        }
        for (e, k) in paths {
            let text = pool.get(k as usize).and_then(|c| c.text.as_ref());
            if let (Some(note), Some(text)) = (expl.get_mut(e), text) {
                note.path = text.0.clone();
            }
        }
        let mut slots: Vec<Option<DueItem>> = Vec::new();
        slots.resize_with(count, || None);
        let mut later = Later {
            deferred,
            work: Work {
                merge_steps: 0,
                level_steps: person_days.steps + account_days.steps,
                sentences,
            },
            ..Later::default()
        };
        for (draft, placed) in drafts.iter_mut().zip(by_draft) {
            let Some((day, position, key)) = placed_items.get_mut(placed as usize) else {
                continue;
            };
            let (day, position, key) = (*day, *position, std::mem::take(key));
            if today_only && day > 0 {
                later.count += 1;
                let planned_on =
                    add_days(today, day as i64).ok_or_else(|| out_of_range("the horizon"))?;
                later.items.push(LaterItem {
                    account: draft.account,
                    planned_on,
                    due_on: draft.due,
                    key: key.clone(),
                });
                let overdue = (today - draft.due).num_days();
                if overdue > 0 {
                    later.overdue.push(LaterOverdue {
                        account: draft.account,
                        obligations: draft.len,
                        days_overdue: u32::try_from(overdue).unwrap_or(u32::MAX),
                    });
                }
                continue;
            }
            let planned_on =
                add_days(today, day as i64).ok_or_else(|| out_of_range("the horizon"))?;
            let cands = draft.cands_mut(&mut pool);
            let item = self.finish(book, draft, cands, key, planned_on, today, &mut windows)?;
            if let Some(slot) = slots.get_mut(position) {
                *slot = Some(item);
            }
        }
        let items: Vec<DueItem> = slots.into_iter().flatten().collect();
        Ok((items, later))
    }

    /// The `cadence.deferred` note of one account, rule and limit.
    fn deferred_note(&self, book: BookRef<'_>, g: Unplaced, through: NaiveDate) -> Explanation {
        let caps = &self.policy.caps;
        let account = book.accounts.get(g.account as usize);
        let account_id = account
            .map(|a| a.id.clone())
            .unwrap_or_else(|| crate::model::AccountId::new(""));
        let mut people: Vec<&crate::model::PersonId> = g
            .people
            .iter()
            .filter_map(|&p| book.people.get(p as usize).map(|x| &x.id))
            .collect();
        people.sort_unstable();
        people.dedup();
        let person = match (people.as_slice(), g.without_person) {
            ([one], 0) => Some((*one).clone()),
            _ => None,
        };
        let items = g.items;
        // The note's counts, mirrored from `Deferred`, and the limit's own number.
        let limit_value = match g.limit {
            Limit::BusinessCalendar => None,
            Limit::DailyCapacity => Some(("daily_capacity", caps.daily_capacity_per_rep)),
            Limit::WeeklyCapPerPerson => Some(("per_person_per_week", caps.per_person_per_week)),
            Limit::WeeklyCapPerAccount => Some(("per_account_per_week", caps.per_account_per_week)),
            Limit::MinGap => Some((
                "min_gap_days",
                u32::try_from(self.days.min_gap).unwrap_or(u32::MAX),
            )),
        };
        let mut args = Args::new()
            .with("items", Arg::count(items))
            .with(
                "account",
                Arg::Name(account.map_or_else(String::new, |a| a.name.clone())),
            )
            .with("rule", Arg::Rule(g.rule))
            .with("through", Arg::Date(through))
            .with("limit", Arg::term(g.limit.as_str()));
        if let Some((name, n)) = limit_value {
            args.set(name, Arg::count(n));
        }
        let args = args
            .with("overdue", Arg::count(g.overdue))
            .with("worst_days_overdue", Arg::count(g.worst_days_overdue))
            .with("earliest_due", Arg::Date(g.earliest_due))
            .with("obligations", Arg::count(g.obligations))
            .with("without_person", Arg::count(g.without_person))
            .with("people_concerned", Arg::count(people.len()))
            .with(
                "first_keys",
                Arg::List(g.first_keys.iter().map(Arg::id).collect()),
            );
        let sentence = english(ExplanationCode::Deferred.code(), &args);
        let mut key = String::with_capacity(account_id.as_str().len() + 40);
        let _ = write!(
            key,
            "{}:{}:-:deferred-{}",
            g.rule,
            account_id.as_str(),
            g.limit.as_str()
        );
        Explanation {
            code: ExplanationCode::Deferred,
            rule: g.rule,
            key,
            account: account_id,
            person,
            path: FieldPath::root()
                .field("accounts")
                .index(g.account as usize),
            args,
            sentence,
            deferred: Some(Deferred {
                limit: g.limit,
                items,
                obligations: g.obligations,
                overdue: g.overdue,
                earliest_due: g.earliest_due,
                worst_days_overdue: g.worst_days_overdue,
                without_person: g.without_person,
                first_keys: g.first_keys,
                people: people.into_iter().cloned().collect(),
            }),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn finish(
        &self,
        book: BookRef<'_>,
        draft: &Draft,
        cands: &mut [Cand],
        key: String,
        planned_on: NaiveDate,
        today: NaiveDate,
        windows: &mut Windows,
    ) -> Result<DueItem, Error> {
        let account = book.accounts.get(draft.account as usize);
        let rep = account.and_then(|a| a.owner.clone());
        let person = draft.person().and_then(|p| book.people.get(p as usize));
        let zone = person
            .and_then(Person::zone)
            .or_else(|| account.and_then(Account::zone))
            .unwrap_or(self.calendar.time_zone());
        let channel = if draft.accept == 0 {
            None
        } else {
            let order = cands
                .first()
                .map_or(ChannelOrder::new(&PLAN_ORDER), |c| c.order);
            let mut acceptable = [Channel::Phone; 7];
            let mut n = 0;
            for c in order.iter().chain(PLAN_ORDER.iter().copied()) {
                if bit(c) & draft.accept != 0
                    && !acceptable.get(..n).is_some_and(|s| s.contains(&c))
                {
                    if let Some(slot) = acceptable.get_mut(n) {
                        *slot = c;
                        n += 1;
                    }
                }
            }
            let acceptable = acceptable.get(..n).unwrap_or(&[]);
            match person {
                Some(p) => p.channels.best_of(acceptable),
                None => acceptable.first().copied(),
            }
        };
        let (contact_from, contact_until) = match windows.get(&(zone, planned_on)) {
            Some(w) => *w,
            None => {
                let q = self.policy.quiet_hours;
                let (from_s, until_s) = if q.start == q.end {
                    (0, 86_400)
                } else if q.end.seconds() < q.start.seconds() {
                    (q.end.seconds(), q.start.seconds())
                } else {
                    (q.end.seconds(), 86_400 + q.start.seconds())
                };
                let w = (
                    local_instant(zone, planned_on, from_s)
                        .ok_or_else(|| out_of_range("a planned date"))?,
                    local_instant(zone, planned_on, until_s)
                        .ok_or_else(|| out_of_range("a planned date"))?,
                );
                windows.insert((zone, planned_on), w);
                w
            }
        };
        let priority = priority(cands, today);
        let mut rules: Vec<Rule> = Vec::with_capacity(cands.len() + 1);
        rules.extend(cands.iter().map(|c| c.kind.rule()));
        if cands.iter().any(|c| c.kind == ObligationCode::QuietTouch) {
            rules.push(Rule::C1);
        }
        rules.sort();
        rules.dedup();
        let by_manager = cands.iter().any(|c| c.kind == ObligationCode::RecoveryCall);
        let days_overdue = u32::try_from((today - draft.due).num_days().max(0)).unwrap_or(u32::MAX);
        // The item's own line (whom, how, by when, how many reasons); its reasons are
        // its obligations' sentences. The contact time shows in the person's zone.
        let rule_args: Vec<Arg> = rules.iter().map(|r| Arg::Rule(*r)).collect();
        let mut args = Args::new()
            .with_opt("channel", channel.map(Arg::Channel))
            .with_opt("person", person.map(|p| Arg::Name(p.name.clone())))
            .with_opt("role", person.map(|p| Arg::term(p.role.as_str())))
            .with(
                "account",
                Arg::Name(account.map_or_else(String::new, |a| a.name.clone())),
            )
            .with("due", Arg::Date(draft.due))
            .with("days_overdue", Arg::count(days_overdue))
            .with("planned_on", Arg::Date(planned_on));
        if person.is_some() && channel.is_some() {
            args.set("contact_from", Arg::Instant(contact_from));
            args.set("zone", Arg::zone(zone));
        }
        let args = args
            .with("reasons", Arg::count(cands.len()))
            .with("rules", Arg::List(rule_args));
        let sentence = english(DueItem::CODE, &args);
        let account_id = account.map_or("", |a| a.id.as_str());
        let obligations: Vec<Obligation> = cands
            .iter_mut()
            .map(|c| c.take_obligation(book, account_id))
            .collect();
        Ok(DueItem {
            key,
            account: account
                .map(|a| a.id.clone())
                .unwrap_or_else(|| crate::model::AccountId::new("")),
            person: person.map(|p| p.id.clone()),
            rep,
            channel,
            due_on: draft.due,
            window_from: draft.from,
            planned_on,
            contact_from,
            contact_until,
            days_overdue,
            rules,
            priority,
            by_manager,
            obligations,
            args,
            sentence,
        })
    }
}

/// The day of the account's earliest record the planner holds: an interaction, a
/// completed order, a survey answer or a review (the history horizon's default).
fn earliest_record(
    cal: &BusinessCalendar,
    book: BookRef<'_>,
    ix: &Index,
    a: usize,
    seen: &AccountSeen,
    zone: Tz,
) -> Option<NaiveDate> {
    let first = (seen.first_record != i64::MAX)
        .then_some(seen.first_record)
        .into_iter()
        .chain(
            ix.orders_of
                .of(a)
                .iter()
                .filter_map(|&o| book.orders.get(o as usize))
                .map(|o| o.completed_at.timestamp()),
        )
        .chain(
            ix.surveys_of
                .of(a)
                .iter()
                .filter_map(|&s| book.surveys.get(s as usize))
                .map(|s| s.answered_at.timestamp()),
        )
        .min()
        .and_then(|t| date_of(cal, t, zone));
    let review = ix.first_review.get(a).copied().flatten();
    match (first, review) {
        (Some(x), Some(r)) => Some(x.min(r)),
        (x, r) => x.or(r),
    }
}

/// Every role, in their order (`Role`'s `Ord`, which the people of an account are sorted by).
const ROLES: [Role; 5] = [
    Role::Owner,
    Role::ExecutiveAssistant,
    Role::It,
    Role::Receptionist,
    Role::Other,
];

/// A role's bit in a set of roles (a new role must be given one here: the match is
/// exhaustive inside the crate).
const fn role_bit(r: Role) -> u8 {
    match r {
        Role::Owner => 1,
        Role::ExecutiveAssistant => 2,
        Role::It => 4,
        Role::Receptionist => 8,
        Role::Other => 16,
    }
}

/// The escalation ladder's channel first, then the higher rungs in plan order.
fn ladder_order(channel: Channel) -> &'static [Channel] {
    match channel {
        Channel::Phone => &[Channel::Phone, Channel::Visit],
        Channel::Visit => &[Channel::Visit],
        Channel::Email => &[Channel::Email, Channel::Phone, Channel::Visit],
        Channel::Letter => &[Channel::Letter],
        Channel::Sms => &[Channel::Sms],
        Channel::Portal => &[Channel::Portal],
        Channel::Newsletter => &[Channel::Newsletter],
    }
}

fn priority(cands: &[Cand], today: NaiveDate) -> Priority {
    cands
        .iter()
        .map(|c| match c.kind {
            ObligationCode::RecoveryCall => Priority::Urgent,
            ObligationCode::QuietTouch | ObligationCode::FollowUpCall => Priority::High,
            _ if c.due < today => Priority::High,
            ObligationCode::RecordReview => Priority::Low,
            _ => Priority::Normal,
        })
        .max()
        .unwrap_or(Priority::Normal)
}

/// `C1+C2:a-7:p-12:2026-11-24`.
fn item_key(book: BookRef<'_>, d: &Draft, pool: &[Cand]) -> String {
    let mut kinds = [ObligationCode::Touch; 16];
    let mut n = 0;
    for c in d.cands(pool) {
        if !kinds.get(..n).is_some_and(|k| k.contains(&c.kind)) {
            if let Some(slot) = kinds.get_mut(n) {
                *slot = c.kind;
                n += 1;
            }
        }
    }
    let kinds = kinds.get_mut(..n).unwrap_or(&mut []);
    kinds.sort_unstable();
    let account = book
        .accounts
        .get(d.account as usize)
        .map_or("", |a| a.id.as_str());
    let person = d
        .person()
        .and_then(|p| book.people.get(p as usize))
        .map_or("-", |p| p.id.as_str());
    let mut key = String::with_capacity(account.len() + person.len() + 4 * n + 14);
    for (i, k) in kinds.iter().enumerate() {
        if i > 0 {
            key.push('+');
        }
        key.push_str(k.tag());
    }
    for part in [account, person] {
        key.push(':');
        key.push_str(part);
    }
    key.push(':');
    push_date(&mut key, d.due);
    key
}

/// Merges an account's obligations: those for the same person that one channel can
/// satisfy, and whose windows are open by the first day the item could be planned (its
/// window start, or the plan's first day when that has passed), become one item, due by
/// the earliest deadline. A merge never delays an obligation: one whose window opens
/// later gets its own item (an overdue touch is not held back for a note whose window
/// opens tomorrow). Candidates are taken by deadline, so the merge does not depend on
/// the input's order.
/// Merges an account's candidates into drafts, one touch per person for every rule it
/// can satisfy at once. The candidates are sorted by person, so each person's drafts are
/// the run at the end of `drafts` begun at their first candidate: a candidate is matched
/// against its own person's drafts only, never the account's other people. Returns the
/// candidates and the drafts examined (the work, which the scaling tests bound).
fn merge(ctx: &Ctx<'_>, pool: &mut [Cand], base: usize, drafts: &mut Vec<Draft>) -> u64 {
    let Some(cands) = pool.get_mut(base..) else {
        return 0;
    };
    // Unstable sorts, which need no buffer as large as the account's candidates, with
    // their order of finding (`seq`, unique in the account) as the last tie-break: the
    // order a stable sort gives.
    // One account's candidates: with the same person and kind, their keys differ in
    // their subjects only.
    let book = ctx.book;
    cands.sort_unstable_by(|x, y| {
        (x.person, x.due, x.kind)
            .cmp(&(y.person, y.due, y.kind))
            .then_with(|| x.subject().key_order(y.subject(), book))
            .then(x.seq.cmp(&y.seq))
    });
    let mut steps = 0u64;
    let mut run: Option<(Option<u32>, usize)> = None;
    for c in cands.iter_mut() {
        steps += 1;
        let start = match run {
            Some((person, start)) if person == c.person => start,
            _ => {
                run = Some((c.person, drafts.len()));
                drafts.len()
            }
        };
        let open = drafts.get_mut(start..).and_then(|own| {
            own.iter_mut().enumerate().find(|(_, d)| {
                steps += 1;
                c.from <= d.from.max(ctx.plan_today)
                    && ((d.accept == 0 && c.accept == 0) || d.accept & c.accept != 0)
            })
        });
        match open {
            Some((j, d)) => {
                d.accept &= c.accept;
                d.from = d.from.max(c.from);
                d.due = d.due.min(c.due);
                d.len += 1;
                c.draft = (start + j) as u32;
            }
            None => {
                c.draft = drafts.len() as u32;
                drafts.push(Draft {
                    account: ctx.a,
                    who: c.person.unwrap_or(u32::MAX),
                    accept: c.accept,
                    due: c.due,
                    from: c.from,
                    start: 0,
                    len: 1,
                });
            }
        }
    }
    // Each draft's candidates side by side, in the order they merged (one person's, so
    // by deadline, kind, key and finding).
    cands.sort_unstable_by(|x, y| {
        (x.draft, x.due, x.kind)
            .cmp(&(y.draft, y.due, y.kind))
            .then_with(|| x.subject().key_order(y.subject(), book))
            .then(x.seq.cmp(&y.seq))
    });
    let mut prev = u32::MAX;
    for (i, c) in cands.iter().enumerate() {
        if c.draft != prev {
            prev = c.draft;
            if let Some(d) = drafts.get_mut(c.draft as usize) {
                d.start = (base + i) as u32;
            }
        }
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_occurrence_is_found_in_logarithmic_steps_and_a_good_guess_in_few() {
        let targets = [
            0u32,
            1,
            2,
            3,
            7,
            8,
            9,
            1_000,
            123_457,
            u32::MAX - 1,
            u32::MAX,
        ];
        for target in targets {
            for guess in [0, 1, 5, 999, 1_000, 1_001, 200_000, u32::MAX] {
                let calls = std::cell::Cell::new(0u32);
                let k = first_occurrence(guess, |k| {
                    calls.set(calls.get() + 1);
                    k >= target
                });
                assert_eq!(k, target.max(1), "target {target}, guess {guess}");
                assert!(
                    calls.get() <= 130,
                    "{} calls: {target}, {guess}",
                    calls.get()
                );
            }
            let calls = std::cell::Cell::new(0u32);
            first_occurrence(target, |k| {
                calls.set(calls.get() + 1);
                k >= target
            });
            assert!(
                calls.get() <= 3,
                "{} calls from the right guess",
                calls.get()
            );
        }
        assert_eq!(first_occurrence(7, |_| false), u32::MAX);
    }

    #[test]
    fn the_guess_of_occurrences_is_exact_for_months_and_days() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let (since, after) = (d(2019, 3, 4), d(2026, 11, 2));
        assert_eq!(occurrences_between(since, after, Span::Months(1)), 92);
        assert_eq!(occurrences_between(since, after, Span::Months(3)), 30);
        assert_eq!(occurrences_between(since, after, Span::Weeks(2)), 200); // 2,800 days
        assert_eq!(occurrences_between(after, since, Span::Days(1)), 0);
        assert_eq!(occurrences_between(since, after, Span::Months(0)), 92);
    }

    #[test]
    fn a_skipped_local_time_is_taken_at_the_jump_and_a_repeated_one_at_its_first_occurrence() {
        let ny = chrono_tz::America::New_York;
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        // 02:30 on 14 March 2027 does not exist: the clocks jump to 03:00 EDT (07:00 UTC).
        assert_eq!(
            local_instant(ny, day(2027, 3, 14), 9_000),
            Utc.with_ymd_and_hms(2027, 3, 14, 7, 0, 0).single()
        );
        // 01:30 on 7 November 2027 happens twice: the first is EDT (05:30 UTC).
        assert_eq!(
            local_instant(ny, day(2027, 11, 7), 5_400),
            Utc.with_ymd_and_hms(2027, 11, 7, 5, 30, 0).single()
        );
        // 24:00 is the next midnight.
        assert_eq!(
            local_instant(ny, day(2027, 1, 4), 86_400),
            Utc.with_ymd_and_hms(2027, 1, 5, 5, 0, 0).single()
        );
    }

    #[test]
    fn dates_move_both_ways_and_months_keep_the_anchor_day() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(add_days(day(2026, 3, 1), -1), Some(day(2026, 2, 28)));
        assert_eq!(add_days(day(2028, 2, 28), 1), Some(day(2028, 2, 29)));
        assert_eq!(add_months(day(2026, 1, 31), 1), Some(day(2026, 2, 28)));
        assert_eq!(add_months(day(2026, 1, 31), 2), Some(day(2026, 3, 31)));
        assert_eq!(add_days(NaiveDate::MAX, 1), None);
        assert_eq!(
            date_of(
                &crate::synthetic::calendar(crate::synthetic::Spec::DEFAULT_NOW),
                NEVER,
                chrono_tz::UTC
            ),
            None
        );
    }

    #[test]
    fn the_role_list_is_in_role_order_with_one_bit_each() {
        assert!(ROLES.windows(2).all(|w| w[0] < w[1]));
        for (i, r) in ROLES.iter().enumerate() {
            assert_eq!(role_bit(*r), 1 << i);
        }
    }

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        let mut d = NaiveDate::from_ymd_opt(1999, 12, 25).unwrap();
        for _ in 0..400 {
            assert_eq!(Ymd(d).to_string(), d.to_string());
            let mut s = String::new();
            push_date(&mut s, d);
            assert_eq!(s, d.to_string());
            d += chrono::TimeDelta::days(37);
        }
        for d in [
            NaiveDate::from_ymd_opt(0, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
            NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(-1, 3, 4).unwrap(),
            NaiveDate::MAX,
            NaiveDate::MIN,
        ] {
            assert_eq!(Ymd(d).to_string(), d.to_string());
            let mut s = String::new();
            push_date(&mut s, d);
            assert_eq!(s, d.to_string());
        }
    }

    #[test]
    fn planned_days_are_listed_per_owner_once_each_with_their_count() {
        let mut p = Planned::new(3);
        p.push(1, 4);
        p.push(2, 0);
        p.push(1, 9);
        p.push(1, 4);
        p.push(7, 1); // no such owner: ignored, not a panic
        assert_eq!(p.days(1).collect::<Vec<_>>(), [(9, 1), (4, 2)]);
        assert_eq!(p.days(2).collect::<Vec<_>>(), [(0, 1)]);
        assert_eq!(p.days(0).count(), 0);
        assert_eq!(p.days(9).count(), 0);
    }

    #[test]
    fn a_channel_order_packs_and_unpacks_as_it_was() {
        for c in Channel::ALL {
            for order in [
                ladder_order(*c),
                &PLAN_ORDER[..],
                &[][..],
                &[Channel::Visit, *c],
            ] {
                let back: Vec<Channel> = ChannelOrder::new(order).iter().collect();
                assert_eq!(back, order);
            }
        }
    }

    #[test]
    fn priorities_order_as_documented() {
        assert!(Priority::Urgent > Priority::High);
        assert!(Priority::High > Priority::Normal);
        assert!(Priority::Normal > Priority::Low);
    }
}

#[cfg(test)]
mod today_only_tests {
    use crate::desk::Book;
    use crate::synthetic::{self, Spec};

    use super::*;

    /// A plan of today's items only holds exactly the full plan's items for today, and
    /// says of the others what the full plan would: how many, and the overdue ones.
    #[test]
    fn a_plan_of_today_says_what_the_full_plan_says_of_later_days() {
        let spec = Spec::new(3, 400);
        let book: Book = synthetic::book(&spec);
        let orders: Vec<super::super::input::CompletedOrder> = Vec::new();
        let view = BookRef::of_desk(&book, &orders);
        let planner = Planner::new(CadencePolicy::default(), book.calendar.clone()).unwrap();
        let (full, _) = planner.plan_ref(view, spec.now, false).unwrap();
        let (today, later) = planner.plan_ref(view, spec.now, true).unwrap();
        let (now_items, later_items): (Vec<_>, Vec<_>) =
            full.due.iter().partition(|i| i.planned_on == full.today);
        assert!(!later_items.is_empty() && !now_items.is_empty());
        assert_eq!(today.due.iter().collect::<Vec<_>>(), now_items);
        assert_eq!(later.count, later_items.len());
        let mut expected: Vec<(String, u32, u32)> = later_items
            .iter()
            .filter(|i| i.days_overdue > 0)
            .map(|i| {
                (
                    i.account.to_string(),
                    i.obligations.len() as u32,
                    i.days_overdue,
                )
            })
            .collect();
        let mut got: Vec<(String, u32, u32)> = later
            .overdue
            .iter()
            .map(|l| {
                let id = book.accounts[l.account as usize].id.to_string();
                (id, l.obligations, l.days_overdue)
            })
            .collect();
        expected.sort();
        got.sort();
        assert_eq!(got, expected);
        assert_eq!(today.explanations, full.explanations);
    }
}

#[cfg(test)]
mod queue_tests {
    use crate::desk::Book;
    use crate::synthetic::{self, Spec};

    use super::*;

    /// A synthetic book planned with the default policy, `days` ahead: its view, and
    /// each account's context.
    struct Fixture {
        book: Book,
        orders: Vec<super::super::input::CompletedOrder>,
        planner: Planner,
        ix: Index,
        lists: Lists,
        now: DateTime<Utc>,
        today: NaiveDate,
        through: NaiveDate,
    }

    impl Fixture {
        fn new(seed: u64, accounts: usize, days: i64) -> Fixture {
            let spec = Spec::new(seed, accounts);
            let book: Book = synthetic::book(&spec);
            let orders = Vec::new();
            let planner = Planner::new(CadencePolicy::default(), book.calendar.clone()).unwrap();
            let ix = Index::build(BookRef::of_desk(&book, &orders), spec.now).unwrap();
            let today = local_date(spec.now, book.calendar.time_zone()).unwrap();
            let through = add_days(today, days).unwrap();
            Fixture {
                book,
                orders,
                planner,
                ix,
                lists: Lists::new(),
                now: spec.now,
                today,
                through,
            }
        }

        fn view(&self) -> BookRef<'_> {
            BookRef::of_desk(&self.book, &self.orders)
        }

        fn ctx(&self, a: usize) -> Ctx<'_> {
            self.planner
                .account_ctx(
                    self.view(),
                    &self.ix,
                    &self.lists,
                    a,
                    self.now,
                    self.today,
                    self.through,
                )
                .unwrap()
                .unwrap()
        }
    }

    /// The levelling orders its queue by the bytes of the item keys it does not write:
    /// they are the keys' bytes, so the order is the keys' order.
    #[test]
    fn the_queue_is_ordered_by_the_item_keys_without_writing_them() {
        let fx = Fixture::new(5, 300, 14);
        let view = fx.view();
        let (mut pool, mut drafts, mut expl) = (Vec::new(), Vec::new(), Vec::new());
        for a in 0..fx.book.accounts.len() {
            let ctx = fx.ctx(a);
            let base = pool.len();
            fx.planner
                .account_obligations(&ctx, &mut pool, &mut expl)
                .unwrap();
            merge(&ctx, &mut pool, base, &mut drafts);
        }
        assert!(drafts.len() > 300, "{} drafts", drafts.len());
        let mut keys: Vec<(String, usize)> = Vec::new();
        for (i, d) in drafts.iter().enumerate() {
            let key = item_key(view, d, &pool);
            let bytes: Vec<u8> = item_key_bytes(view, d, kind_bits(d.cands(&pool))).collect();
            assert_eq!(String::from_utf8(bytes).unwrap(), key);
            keys.push((key, i));
        }
        let mut by_bytes: Vec<usize> = (0..drafts.len()).collect();
        by_bytes.sort_by(|&x, &y| {
            let key =
                |i: usize| item_key_bytes(view, &drafts[i], kind_bits(drafts[i].cands(&pool)));
            key(x).cmp(key(y)).then(x.cmp(&y))
        });
        keys.sort();
        assert_eq!(
            keys.into_iter().map(|(_, i)| i).collect::<Vec<_>>(),
            by_bytes
        );
    }

    /// Keys of one account, kinds and deadline are ordered by their people's ids, or
    /// by the whole key where an id runs on with a `:` where the other ends.
    #[test]
    fn the_people_ids_order_such_keys_as_the_keys_do() {
        let ids = [
            "p-1", "p-12", "p-1:x", "p-1:", "p-2", "p", "p-10", "p-1-", "-", "-:",
        ];
        let people: Vec<Person> = ids
            .iter()
            .map(|id| {
                serde_json::from_value(serde_json::json!(
                    {"id": id, "account": "a-1", "name": "N", "role": "owner"}))
                .unwrap()
            })
            .collect();
        let accounts: Vec<Account> = vec![
            serde_json::from_value(
                serde_json::json!({"id": "a-1", "name": "A", "customer_since": "2024-01-01"}),
            )
            .unwrap(),
        ];
        let view = BookRef {
            accounts: &accounts,
            people: &people,
            interactions: &[],
            surveys: &[],
            units: &[],
            orders: &[],
            reviews: &[],
            history_since: None,
            history_starts: None,
            checked: false,
        };
        let due = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let draft = |person: Option<u32>| Draft {
            account: 0,
            who: person.unwrap_or(u32::MAX),
            accept: 0,
            due,
            from: due,
            start: 0,
            len: 0,
        };
        let drafts: Vec<Draft> = std::iter::once(None)
            .chain((0..ids.len() as u32).map(Some))
            .map(draft)
            .collect();
        let kinds = 0b101;
        let (mut by_ids, mut whole) = (0, 0);
        for x in &drafts {
            for y in &drafts {
                let key = item_key_bytes(view, x, kinds).cmp(item_key_bytes(view, y, kinds));
                match person_key_order(view, x, y) {
                    Some(order) => {
                        assert_eq!(order, key, "{:?} {:?}", x.person(), y.person());
                        by_ids += 1;
                    }
                    None => whole += 1,
                }
            }
        }
        assert!(
            by_ids > 80 && whole > 0,
            "{by_ids} by the ids, {whole} by the keys"
        );
    }
    /// The candidates keep their key's subject, not its text: compared in place, the
    /// subjects order as the written keys do, for the book's candidates and for dates
    /// written other than as ten digits.
    #[test]
    fn subjects_order_as_the_keys_they_write() {
        let fx = Fixture::new(7, 200, 60);
        let view = fx.view();
        let (mut pool, mut expl) = (Vec::new(), Vec::new());
        let (mut pairs, mut with_ids) = (0, 0);
        for a in 0..fx.book.accounts.len() {
            let ctx = fx.ctx(a);
            pool.clear();
            fx.planner
                .account_obligations(&ctx, &mut pool, &mut expl)
                .unwrap();
            let id = ctx.account.id.as_str();
            for x in &pool {
                for y in pool
                    .iter()
                    .filter(|y| (y.person, y.kind) == (x.person, x.kind))
                {
                    let written = x.key(view, id).cmp(&y.key(view, id));
                    assert_eq!(x.subject().key_order(y.subject(), view), written);
                    pairs += 1;
                    with_ids += usize::from(!matches!(x.subject(), Subject::Date(_)));
                }
            }
        }
        assert!(
            pairs > 500 && with_ids > 10,
            "{pairs} pairs compared, {with_ids} with an id"
        );
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let dates = [
            date(2026, 11, 24),
            date(9999, 12, 31),
            date(10000, 1, 1),
            date(-1, 6, 1),
            date(0, 1, 1),
            NaiveDate::MIN,
            NaiveDate::MAX,
        ];
        let mut subjects: Vec<Subject> = dates.iter().map(|d| Subject::Date(*d)).collect();
        subjects.extend(dates.iter().map(|d| Subject::UnitOn(0, *d)));
        subjects.extend(dates.iter().map(|d| Subject::SurveyOn(0, *d)));
        subjects.extend((0..3).map(Subject::Order));
        for x in &subjects {
            assert_eq!(Subject::unpack(x.pack().0, x.pack().1, x.pack().2), *x);
            for y in &subjects {
                let (mut kx, mut ky) = (String::new(), String::new());
                x.write(view, &mut kx);
                y.write(view, &mut ky);
                assert_eq!(x.key_order(*y, view), kx.cmp(&ky), "{kx} against {ky}");
            }
        }
        // A book of many key contacts holds one candidate per person while levelling.
        #[cfg(target_pointer_width = "64")]
        assert!(
            std::mem::size_of::<Cand>() <= 48,
            "{}",
            std::mem::size_of::<Cand>()
        );
        // And one draft per person.
        #[cfg(target_pointer_width = "64")]
        assert!(
            std::mem::size_of::<Draft>() <= 28,
            "{}",
            std::mem::size_of::<Draft>()
        );
    }
}

#[cfg(test)]
mod scaling_tests {
    use crate::desk::Book;
    use crate::model::PersonId;
    use crate::synthetic::{self, Spec};

    use super::super::input::CompletedOrder;
    use super::*;

    /// A one-account synthetic book whose account has `people` key contacts (each with
    /// one touch in its history) and `orders` orders completed in the last days.
    fn crowded(people: usize, orders: usize) -> (Book, Vec<CompletedOrder>, DateTime<Utc>) {
        let spec = Spec::new(11, 1);
        let mut book: Book = synthetic::book(&spec);
        let template = book.people[0].clone();
        let touch = book.interactions[0].clone();
        let account = book.accounts[0].id.clone();
        for i in 0..people {
            let mut p = template.clone();
            p.id = PersonId::new(format!("p-crowd-{i:07}"));
            p.account = account.clone();
            p.key_contact = true;
            book.people.push(p);
            let mut x = touch.clone();
            x.id = crate::model::InteractionId::new(format!("i-crowd-{i:07}"));
            x.account = account.clone();
            x.person = Some(PersonId::new(format!("p-crowd-{i:07}")));
            book.interactions.push(x);
        }
        let completed: Vec<CompletedOrder> = (0..orders)
            .map(|i| {
                let at = spec.now - chrono::TimeDelta::hours(1 + (i % 48) as i64);
                let mut o = CompletedOrder::new(format!("o-crowd-{i:07}"), account.clone(), at);
                o.person = Some(template.id.clone());
                o
            })
            .collect();
        (book, completed, spec.now)
    }

    fn work(people: usize, orders: usize) -> Work {
        run(people, orders, true).1.work
    }

    /// The plan (today's items only, or all) and what it says of the later days.
    fn run(people: usize, orders: usize, today_only: bool) -> (Plan, Later) {
        let (book, completed, now) = crowded(people, orders);
        let view = BookRef::of_desk(&book, &completed);
        let planner = Planner::new(CadencePolicy::default(), book.calendar.clone()).unwrap();
        planner.plan_ref(view, now, today_only).unwrap()
    }

    /// The deferred notes of a plan: how many, the items they count, the people they
    /// name.
    fn deferred(plan: &Plan) -> (usize, u64, usize) {
        let notes: Vec<&Deferred> = plan
            .explanations
            .iter()
            .filter(|e| e.code == ExplanationCode::Deferred)
            .map(|e| {
                e.deferred
                    .as_ref()
                    .expect("a deferred note has its summary")
            })
            .collect();
        let items = notes.iter().map(|d| u64::from(d.items)).sum();
        let people = notes.iter().map(|d| d.people.len()).sum();
        (notes.len(), items, people)
    }

    /// Doubling `n` at most doubles the work, with some slack for what does not grow.
    fn linear(small: u64, large: u64, what: &str) {
        assert!(small > 0, "{what}: no work counted");
        assert!(
            large <= small * 2 + small / 5 + 64,
            "{what}: {small} steps at n, {large} at 2n: not linear"
        );
    }

    /// Issue 18: one account with many key contacts was quadratic in the merge, which
    /// scanned every draft of the account for each candidate.
    #[test]
    fn one_account_with_many_key_contacts_costs_work_linear_in_its_people() {
        let (a, b) = (work(2_000, 0), work(4_000, 0));
        linear(a.merge_steps, b.merge_steps, "merge, people per account");
        linear(
            a.level_steps,
            b.level_steps,
            "levelling, people per account",
        );
    }

    /// Issue 18: the items no day has room for are noted once per account, rule and
    /// limit, not once each, so the plan's notes do not grow with an account's people;
    /// and every one of them is still counted and its person named.
    #[test]
    fn deferred_items_are_noted_per_account_rule_and_limit_not_one_note_each() {
        for today_only in [true, false] {
            let (small, _) = run(2_000, 0, today_only);
            let (large, _) = run(4_000, 0, today_only);
            let (notes_small, items_small, people_small) = deferred(&small);
            let (notes_large, items_large, people_large) = deferred(&large);
            assert!(notes_small > 0 && notes_small <= 8, "{notes_small} notes");
            assert_eq!(notes_small, notes_large, "notes grow with the people");
            // The 2,000 more key contacts' touches are all deferred, and all counted.
            assert_eq!(items_large - items_small, 2_000);
            assert_eq!(people_large - people_small, 2_000);
            let explained = small.explanations.len();
            assert!(explained < 64, "{explained} explanations for one account");
        }
    }

    /// Issue 18: the planner writes the sentences of the items it builds and of no
    /// other candidate: one per obligation of an item built, however many candidates the
    /// account has (a plan of today's items only builds today's). Every item built has
    /// its texts, found again by evaluating the account a second time.
    #[test]
    fn sentences_are_written_for_the_items_built_and_no_others() {
        for (people, orders) in [(2_000, 0), (1, 2_000), (300, 300)] {
            for today_only in [true, false] {
                let (plan, later) = run(people, orders, today_only);
                let built: u64 = plan.due.iter().map(|i| i.obligations.len() as u64).sum();
                assert!(built > 0, "nothing built");
                assert_eq!(
                    later.work.sentences, built,
                    "{people} people, {orders} orders"
                );
                for item in &plan.due {
                    // The item's line counts its reasons; each is an obligation's own
                    // sentence, rendered from its arguments.
                    assert_eq!(
                        item.args.get("reasons"),
                        Some(&Arg::count(item.obligations.len()))
                    );
                    assert_eq!(english(DueItem::CODE, &item.args), item.sentence);
                    for o in &item.obligations {
                        assert!(!o.sentence.is_empty(), "{}: no sentence", o.key);
                        assert!(!o.path.as_str().is_empty(), "{}: no path", o.key);
                        assert_eq!(english(o.code.code(), &o.args), o.sentence);
                    }
                }
                for e in &plan.explanations {
                    assert!(!e.path.as_str().is_empty(), "{}: no path", e.key);
                }
            }
        }
    }

    #[test]
    fn one_person_with_many_recent_orders_costs_work_linear_in_the_orders() {
        let (a, b) = (work(1, 2_000), work(1, 4_000));
        linear(a.merge_steps, b.merge_steps, "merge, orders per account");
        linear(
            a.level_steps,
            b.level_steps,
            "levelling, orders per account",
        );
    }
}
