//! Invariants of the business calendar, checked against an independent, slow reference.
//!
//! The reference ([`Reference`]) builds working time the plain way, straight from the
//! module docs' rules: day by day, each local date's weekly intervals (overnight ones
//! running into the next day), minus holiday closures, plus extra periods, each local end
//! point mapped to an instant with chrono-tz by the crate's rule (a repeated local time at
//! its earlier occurrence, a skipped one at the instant the clocks jumped). No week
//! skipping, no offset table, no cleverness.
//!
//! Specs are random but valid: zones with half-hour, midnight and whole-day clock
//! changes, schedules on a 15-minute grid (overnight intervals, intervals where the clocks
//! change, a single open minute a week, none at all), holidays and extra periods near the
//! instants under test. Instants lie in 2004..2031 (often right next to a clock change)
//! and the reference never looks past 2035, well inside the 1900..2100 zone window.

use chrono::{
    DateTime, Datelike, Days, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeDelta, TimeZone,
    Utc, Weekday,
};
use chrono_tz::{GapInfo, Tz};
use proptest::prelude::*;

use crate::props::config;
use retention::ErrorKind;
use retention::calendar::{
    BusinessCalendar, CalendarSpec, ExtraPeriod, Holiday, TimeOfDay, WeeklySchedule, WorkInterval,
};

const DAY: i64 = 86_400;
const HOUR: i64 = 3_600;
/// The schedule grid: 15 minutes.
const SLOT: i64 = 900;
const SLOTS_A_DAY: u32 = 96;
const SLOTS_A_WEEK: usize = 7 * 96;

const ZONES: [Tz; 9] = [
    chrono_tz::UTC,
    chrono_tz::America::New_York,
    chrono_tz::Europe::Berlin,
    // Half-hour daylight saving.
    chrono_tz::Australia::Lord_Howe,
    // Clocks changed at midnight (until 2019).
    chrono_tz::America::Sao_Paulo,
    // Offset of -03:30 / -02:30.
    chrono_tz::America::St_Johns,
    // +05:30, no changes.
    chrono_tz::Asia::Kolkata,
    // Skipped Friday 2011-12-30 entirely.
    chrono_tz::Pacific::Apia,
    // Ramadan suspensions of daylight saving.
    chrono_tz::Africa::Casablanca,
];

const WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

// ---------------------------------------------------------------------------------------
// Small conversions. A "local second" is a naive local date-time counted as if it were UTC.

fn local_of(ndt: NaiveDateTime) -> i64 {
    ndt.and_utc().timestamp()
}

fn naive(local: i64) -> NaiveDateTime {
    DateTime::from_timestamp(local, 0)
        .expect("in range")
        .naive_utc()
}

fn midnight(date: NaiveDate) -> i64 {
    local_of(date.and_hms_opt(0, 0, 0).expect("valid"))
}

fn utc(secs: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(secs, 0).expect("in range")
}

fn local_date(tz: Tz, secs: i64) -> NaiveDate {
    utc(secs).with_timezone(&tz).date_naive()
}

fn plus_days(date: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        date.checked_add_days(Days::new(days.unsigned_abs()))
    } else {
        date.checked_sub_days(Days::new(days.unsigned_abs()))
    }
    .expect("in range")
}

fn t(h: u32, m: u32) -> TimeOfDay {
    TimeOfDay::hm(h, m).expect("valid")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid")
}

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> NaiveDateTime {
    date(y, mo, d).and_hms_opt(h, mi, s).expect("valid")
}

// ---------------------------------------------------------------------------------------
// The reference calendar.

/// The crate's rule for a local time, read straight off chrono-tz: a time that happens
/// once is that instant, one that happens twice is its earlier occurrence, one that does
/// not exist is the first instant after the gap (when the clocks jumped).
fn ref_to_utc(tz: Tz, local: i64) -> i64 {
    let ndt = naive(local);
    match tz.from_local_datetime(&ndt) {
        LocalResult::Single(x) => x.timestamp(),
        LocalResult::Ambiguous(a, b) => a.timestamp().min(b.timestamp()),
        LocalResult::None => GapInfo::new(&ndt, &tz)
            .and_then(|g| g.end)
            .expect("a gap with an end")
            .timestamp(),
    }
}

/// Sorts and joins overlapping or touching intervals, dropping empty ones.
fn merge(mut v: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
    v.retain(|(s, e)| s < e);
    v.sort_unstable();
    let mut out: Vec<(i64, i64)> = Vec::new();
    for (s, e) in v {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// `(s, e)` with every closure cut out of it.
fn minus(s: i64, e: i64, closures: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let mut pieces = vec![(s, e)];
    for &(cs, ce) in closures {
        let mut next = Vec::new();
        for (ps, pe) in pieces {
            if ce <= ps || cs >= pe {
                next.push((ps, pe));
                continue;
            }
            if ps < cs {
                next.push((ps, cs));
            }
            if ce < pe {
                next.push((ce, pe));
            }
        }
        pieces = next;
    }
    pieces
}

/// Local working intervals during the local dates `first..=last`, clipped to them,
/// merged: weekly intervals of each date (and the overnight ones of the day before) minus
/// holiday closures, plus extra periods.
fn ref_local(spec: &CalendarSpec, first: NaiveDate, last: NaiveDate) -> Vec<(i64, i64)> {
    let (lo, hi) = (midnight(first), midnight(last) + DAY);
    let closures: Vec<(i64, i64)> = spec
        .holidays
        .iter()
        .map(|h| match h.closed {
            None => (midnight(h.date), midnight(h.date) + DAY),
            Some(c) => (local_of(c.from), local_of(c.until)),
        })
        .collect();
    let mut open = Vec::new();
    let mut d = plus_days(first, -1);
    while d <= last {
        let base = midnight(d);
        for iv in spec.weekly.get(d.weekday()) {
            let s = base + i64::from(iv.start.seconds());
            let e = if iv.overnight { base + DAY } else { base } + i64::from(iv.end.seconds());
            open.extend(minus(s, e, &closures));
        }
        d = plus_days(d, 1);
    }
    for x in &spec.extra_periods {
        open.push((local_of(x.start), local_of(x.end)));
    }
    merge(
        open.into_iter()
            .map(|(s, e)| (s.max(lo), e.min(hi)))
            .collect(),
    )
}

fn weekly_is_empty(spec: &CalendarSpec) -> bool {
    WEEKDAYS.iter().all(|d| spec.weekly.get(*d).is_empty())
}

/// Whether the business is open for some real time during the local date.
fn ref_is_business_day(spec: &CalendarSpec, tz: Tz, day: NaiveDate) -> bool {
    ref_local(spec, day, day)
        .iter()
        .any(|&(s, e)| ref_to_utc(tz, e) > ref_to_utc(tz, s))
}

/// The last local date on which an extra period works.
fn last_extra_date(spec: &CalendarSpec) -> Option<NaiveDate> {
    spec.extra_periods.iter().map(|x| x.end.date()).max()
}

/// The `n`th business day after `day`, stepping one date at a time; `None` when the
/// calendar has only extra periods and they are all past.
fn ref_add_business_days(spec: &CalendarSpec, tz: Tz, day: NaiveDate, n: u32) -> Option<NaiveDate> {
    let only_extras = weekly_is_empty(spec);
    let (mut d, mut left) = (day, n);
    let mut steps = 0;
    while left > 0 {
        d = plus_days(d, 1);
        steps += 1;
        if only_extras && last_extra_date(spec).is_none_or(|l| d > l) {
            return None;
        }
        assert!(
            steps < 5 * 366,
            "reference: no {n} business days within 5 years"
        );
        if ref_is_business_day(spec, tz, d) {
            left -= 1;
        }
    }
    Some(d)
}

/// Real working intervals over a window of local dates.
struct Reference {
    /// Disjoint, sorted, non-touching real (UTC second) working intervals.
    real: Vec<(i64, i64)>,
    /// Nothing is known at or after this instant (the window's end)...
    known_until: i64,
    /// ...unless the calendar has only extra periods, all inside the window.
    complete: bool,
}

impl Reference {
    fn new(spec: &CalendarSpec, tz: Tz, first: NaiveDate, last: NaiveDate) -> Reference {
        let complete = weekly_is_empty(spec);
        let last = match last_extra_date(spec) {
            Some(l) if complete && l >= last => plus_days(l, 1),
            _ => last,
        };
        let mut real: Vec<(i64, i64)> = Vec::new();
        for (s, e) in ref_local(spec, first, last) {
            let (a, b) = (ref_to_utc(tz, s), ref_to_utc(tz, e));
            assert!(a <= b, "reference: the local-to-real map ran backwards");
            if a == b {
                continue;
            }
            match real.last_mut() {
                Some(prev) if a <= prev.1 => {
                    assert!(a >= prev.0, "reference: out of order");
                    prev.1 = prev.1.max(b);
                }
                _ => real.push((a, b)),
            }
        }
        Reference {
            real,
            known_until: ref_to_utc(tz, midnight(last) + DAY),
            complete,
        }
    }

    fn check_known(&self, t: i64) {
        assert!(
            self.complete || t <= self.known_until,
            "reference window too small"
        );
    }

    fn is_open(&self, t: i64) -> bool {
        self.check_known(t);
        self.real.iter().any(|&(a, b)| a <= t && t < b)
    }

    fn next_opening(&self, t: i64) -> Option<i64> {
        self.check_known(t);
        let found = self
            .real
            .iter()
            .find(|&&(_, b)| b > t)
            .map(|&(a, _)| a.max(t));
        assert!(
            found.is_some() || self.complete,
            "reference window too small"
        );
        found
    }

    /// Walks the intervals from `t`, consuming `d` seconds; `None` when the working time
    /// runs out (only-extra-periods calendars).
    fn add(&self, t: i64, d: i64) -> Option<i64> {
        self.check_known(t);
        if d == 0 {
            return Some(t);
        }
        let mut rem = d;
        for &(a, b) in &self.real {
            let a = a.max(t);
            if a >= b {
                continue;
            }
            if b - a >= rem {
                return Some(a + rem);
            }
            rem -= b - a;
        }
        assert!(self.complete, "reference window too small");
        None
    }

    /// Sum of the overlaps with `[t1, t2)`; negative when `t2 < t1`.
    fn between(&self, t1: i64, t2: i64) -> i64 {
        if t2 < t1 {
            return -self.between(t2, t1);
        }
        self.check_known(t2);
        self.real
            .iter()
            .map(|&(a, b)| (b.min(t2) - a.max(t1)).max(0))
            .sum()
    }

    /// Working seconds from `t` to the end of what the reference knows (everything, for
    /// a calendar with only extra periods).
    fn available_after(&self, t: i64) -> i64 {
        self.between(t, self.known_until.max(t))
    }
}

// ---------------------------------------------------------------------------------------
// The crate, with exhaustion made a value.

fn build(spec: &CalendarSpec) -> Option<BusinessCalendar> {
    match BusinessCalendar::new(spec.clone()) {
        Ok(c) => Some(c),
        Err(e) => {
            assert!(
                e.problems()
                    .iter()
                    .all(|p| p.kind() == ErrorKind::NoWorkingTime),
                "a valid spec was refused: {e} ({spec:?})"
            );
            None
        }
    }
}

/// `add_business_duration` in seconds; `None` for `calendar.exhausted`.
fn add(cal: &BusinessCalendar, t: i64, d: i64) -> Option<i64> {
    match cal.add_business_duration(utc(t), TimeDelta::seconds(d)) {
        Ok(x) => Some(x.timestamp()),
        Err(e) if e.kind() == ErrorKind::Exhausted => {
            assert!(
                weekly_is_empty(cal.spec()),
                "exhausted with a weekly schedule"
            );
            None
        }
        Err(e) => panic!("add_business_duration({t}, {d}) failed: {e}"),
    }
}

fn between(cal: &BusinessCalendar, t1: i64, t2: i64) -> i64 {
    cal.business_duration_between(utc(t1), utc(t2))
        .expect("in range")
        .num_seconds()
}

/// `None` (never) after every instant.
fn order(x: Option<i64>) -> i64 {
    x.unwrap_or(i64::MAX)
}

// ---------------------------------------------------------------------------------------
// Random valid specs.

/// A spec and an anchor instant near which its holidays and extra periods lie.
#[derive(Debug, Clone)]
struct Case {
    tz: Tz,
    spec: CalendarSpec,
    t0: i64,
}

impl Case {
    fn anchor_date(&self) -> NaiveDate {
        local_date(self.tz, self.t0)
    }

    /// The reference over local dates from 3 days before the anchor to `days` after it.
    fn reference(&self, days: i64) -> Reference {
        let a = self.anchor_date();
        Reference::new(&self.spec, self.tz, plus_days(a, -3), plus_days(a, days))
    }
}

#[derive(Debug, Clone)]
enum WeekRaw {
    /// Per weekday, (start slot, length in slots) candidates; overlapping ones are dropped.
    General(Vec<Vec<(u32, u32)>>),
    /// One minute a week: (weekday, minute of the day).
    OneMinute(usize, u32),
    /// No weekly schedule: extra periods only.
    Empty,
}

fn interval_raw() -> impl Strategy<Value = (u32, u32)> {
    prop_oneof![
        3 => (0..SLOTS_A_DAY, 1..=40u32),
        // Often past midnight: overnight.
        1 => (0..SLOTS_A_DAY, 1..=SLOTS_A_DAY),
        // In or around 01:00-04:00, where clocks change.
        1 => (4..16u32, 1..=12u32),
    ]
}

fn week_raw() -> impl Strategy<Value = WeekRaw> {
    prop_oneof![
        8 => prop::collection::vec(prop::collection::vec(interval_raw(), 0..=2), 7)
            .prop_map(WeekRaw::General),
        1 => (0..7usize, prop_oneof![0..1440u32, 60..240u32])
            .prop_map(|(d, m)| WeekRaw::OneMinute(d, m)),
        1 => Just(WeekRaw::Empty),
    ]
}

fn weekly_from(raw: &WeekRaw) -> WeeklySchedule {
    let mut w = WeeklySchedule::default();
    match raw {
        WeekRaw::Empty => {}
        WeekRaw::OneMinute(d, m) => {
            let s = TimeOfDay::from_seconds(m * 60).expect("valid");
            let e = TimeOfDay::from_seconds((m + 1) * 60).expect("valid");
            w.set(WEEKDAYS[*d], vec![WorkInterval::new(s, e)]);
        }
        WeekRaw::General(days) => {
            let mut taken = [false; SLOTS_A_WEEK];
            for (d, ivs) in days.iter().enumerate() {
                let mut list = Vec::new();
                for &(a, len) in ivs {
                    let base = d * SLOTS_A_DAY as usize + a as usize;
                    let slots: Vec<usize> = (base..base + len as usize)
                        .map(|i| i % SLOTS_A_WEEK)
                        .collect();
                    if slots.iter().any(|&i| taken[i]) {
                        continue;
                    }
                    for i in slots {
                        taken[i] = true;
                    }
                    let at =
                        |slot: u32| TimeOfDay::from_seconds(slot * SLOT as u32).expect("valid");
                    let end = a + len;
                    list.push(if end < SLOTS_A_DAY {
                        WorkInterval::new(at(a), at(end))
                    } else if end == SLOTS_A_DAY && a % 2 == 0 {
                        // Until midnight, written both ways.
                        WorkInterval::new(at(a), TimeOfDay::END_OF_DAY)
                    } else {
                        WorkInterval::overnight(at(a), at(end - SLOTS_A_DAY))
                    });
                }
                w.set(WEEKDAYS[d], list);
            }
        }
    }
    w
}

/// Instants (UTC seconds) at which `tz` changes its offset during `year`.
fn changes(tz: Tz, year: i32) -> Vec<i64> {
    let off = |s: i64| {
        tz.offset_from_utc_datetime(&utc(s).naive_utc())
            .fix()
            .local_minus_utc()
    };
    let start = midnight(date(year, 1, 1));
    let mut out = Vec::new();
    let mut s = start;
    while s < start + 366 * DAY {
        if off(s) != off(s + DAY) {
            let (mut lo, mut hi) = (s, s + DAY);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if off(mid) == off(s) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            out.push(hi);
        }
        s += DAY;
    }
    out
}

/// (mode, year, second of the year, which change, shift from it, snap to the grid)
type AnchorRaw = (u8, i32, i64, usize, i64, bool);

fn anchor(tz: Tz, (mode, year, sec, pick, shift, snap): AnchorRaw) -> i64 {
    let uniform = midnight(date(year, 1, 1)) + sec;
    let t0 = match mode {
        // Around the clock changes.
        0..=3 => {
            let c = changes(tz, year);
            if c.is_empty() {
                uniform
            } else {
                c[pick % c.len()] + shift
            }
        }
        // Around Apia's skipped Friday, 2011-12-30 (the other zones don't mind).
        4 => midnight(date(2011, 12, 26)) + sec % (9 * DAY),
        _ => uniform,
    };
    if snap { t0 - t0.rem_euclid(SLOT) } else { t0 }
}

fn anchor_raw() -> impl Strategy<Value = AnchorRaw> {
    (
        0..10u8,
        2004..=2030i32,
        0..366 * DAY,
        0..8usize,
        -2 * DAY..=2 * DAY,
        any::<bool>(),
    )
}

fn day_offset() -> impl Strategy<Value = i64> {
    prop_oneof![4 => -3..=45i64, 1 => -3..=1000i64]
}

/// (day from the anchor, closed part as (start slot, length in slots) or the whole day)
type HolidayRaw = (i64, Option<(u32, u32)>);
/// (day from the anchor, start slot, length in slots)
type ExtraRaw = (i64, u32, u32);

fn case() -> impl Strategy<Value = Case> {
    (
        0..ZONES.len(),
        anchor_raw(),
        week_raw(),
        prop::collection::vec(
            (
                day_offset(),
                prop::option::of((0..SLOTS_A_DAY, 1..=SLOTS_A_DAY)),
            ),
            0..=6,
        ),
        prop::collection::vec(
            (
                day_offset(),
                0..SLOTS_A_DAY,
                prop_oneof![3 => 1..=288u32, 1 => 1..=31 * 96u32],
            ),
            0..=3,
        ),
    )
        .prop_map(|(z, a, week, holidays, extras)| make_case(z, a, &week, &holidays, &extras))
}

fn make_case(
    z: usize,
    a: AnchorRaw,
    week: &WeekRaw,
    holidays: &[HolidayRaw],
    extras: &[ExtraRaw],
) -> Case {
    let tz = ZONES[z];
    let t0 = anchor(tz, a);
    let day0 = local_date(tz, t0);
    let mut spec = CalendarSpec::new(tz.name());
    spec.weekly = weekly_from(week);
    for &(off, closed) in holidays {
        let d = plus_days(day0, off);
        spec.holidays.push(match closed {
            None => Holiday::full_day(d, "holiday"),
            Some((s, len)) => {
                let from = naive(midnight(d) + i64::from(s) * SLOT);
                let until = naive(midnight(d) + i64::from((s + len).min(SLOTS_A_DAY)) * SLOT);
                Holiday::partial(d, "half day", from, until)
            }
        });
    }
    let mut extras = extras.to_vec();
    if matches!(week, WeekRaw::Empty) && extras.is_empty() {
        extras.push((0, 36, 32));
    }
    for (off, s, len) in extras {
        let start = midnight(plus_days(day0, off)) + i64::from(s) * SLOT;
        spec.extra_periods.push(ExtraPeriod {
            start: naive(start),
            end: naive(start + i64::from(len) * SLOT),
            name: "extra".into(),
        });
    }
    Case { tz, spec, t0 }
}

/// A second at or after the anchor, sometimes on the 15-minute grid.
fn offset(max: i64) -> impl Strategy<Value = (i64, bool)> {
    (0..=max, any::<bool>())
}

fn place(t0: i64, (off, snap): (i64, bool)) -> i64 {
    let s = t0 + off;
    if snap { s - s.rem_euclid(SLOT) } else { s }
}

/// Up to about 2,500 hours, often on the grid, often small.
fn duration_raw() -> impl Strategy<Value = i64> {
    prop_oneof![
        2 => 0..=2_500 * HOUR,
        1 => (0..=10_000i64).prop_map(|k| k * SLOT),
        1 => 0..=6 * HOUR,
    ]
}

// ---------------------------------------------------------------------------------------
// The properties.

/// Cases per property in CI (a soak run of 20,000 per property passed).
const CASES: u32 = 1000;

proptest! {
    #![proptest_config(config(CASES))]

    /// Adding a business duration lands on the instant the reference reaches by walking
    /// its working intervals from the start, consuming seconds; a calendar with only extra
    /// periods runs out exactly one second past its remaining working time.
    #[test]
    fn add_matches_the_reference(
        case in case(),
        start in offset(14 * DAY),
        raw in duration_raw(),
    ) {
        let cal = build(&case.spec);
        prop_assume!(cal.is_some());
        let cal = cal.unwrap();
        let r = case.reference(3 * 366);
        let t = place(case.t0, start);
        let avail = r.available_after(t);
        let d = raw % (avail + 1);
        prop_assert_eq!(add(&cal, t, d), r.add(t, d), "t = {}, d = {}", utc(t), d);
        if r.complete {
            prop_assert_eq!(add(&cal, t, avail + 1), None);
        }
    }

    /// Business time between two instants is the reference's sum of overlaps with its
    /// working intervals, and swapping the instants negates it.
    #[test]
    fn between_matches_the_reference_and_is_antisymmetric(
        case in case(),
        first in offset(14 * DAY),
        span in prop_oneof![0..=3 * DAY, 0..=400 * DAY],
    ) {
        let cal = build(&case.spec);
        prop_assume!(cal.is_some());
        let cal = cal.unwrap();
        let r = case.reference(420);
        let t1 = place(case.t0, first);
        let t2 = t1 + span;
        let got = between(&cal, t1, t2);
        prop_assert_eq!(got, r.between(t1, t2), "from {} to {}", utc(t1), utc(t2));
        prop_assert_eq!(between(&cal, t2, t1), -got);
    }

    /// The business time between an instant and that instant plus a business duration is
    /// the duration.
    #[test]
    fn between_undoes_add(case in case(), start in offset(14 * DAY), d in duration_raw()) {
        let cal = build(&case.spec);
        prop_assume!(cal.is_some());
        let cal = cal.unwrap();
        let t = place(case.t0, start);
        if let Some(end) = add(&cal, t, d) {
            prop_assert_eq!(between(&cal, t, end), d, "t = {}, end = {}", utc(t), utc(end));
        }
    }

    /// Adding more business time never lands earlier, and starting later never lands
    /// earlier.
    #[test]
    fn add_is_monotone(
        case in case(),
        start in offset(14 * DAY),
        later in prop_oneof![0..=HOUR, 0..=30 * DAY],
        d1 in duration_raw(),
        d2 in duration_raw(),
    ) {
        let cal = build(&case.spec);
        prop_assume!(cal.is_some());
        let cal = cal.unwrap();
        let t = place(case.t0, start);
        let (lo, hi) = (d1.min(d2), d1.max(d2));
        prop_assert!(order(add(&cal, t, lo)) <= order(add(&cal, t, hi)));
        prop_assert!(order(add(&cal, t, d1)) <= order(add(&cal, t + later, d1)));
    }

    /// Adding a then b is adding a + b.
    #[test]
    fn add_is_additive(
        case in case(),
        start in offset(14 * DAY),
        a in duration_raw(),
        b in duration_raw(),
    ) {
        let cal = build(&case.spec);
        prop_assume!(cal.is_some());
        let cal = cal.unwrap();
        let t = place(case.t0, start);
        let stepwise = add(&cal, t, a).and_then(|m| add(&cal, m, b));
        prop_assert_eq!(stepwise, add(&cal, t, a + b), "t = {}, a = {}, b = {}", utc(t), a, b);
    }

    /// Adding the business time between t1 and a later t2 to t1 never passes t2, and lands
    /// exactly on t2 when the business is open at t2 and the second before it.
    #[test]
    fn add_of_between_returns_to_an_open_instant(
        case in case(),
        first in offset(14 * DAY),
        span in prop_oneof![0..=3 * DAY, 0..=200 * DAY],
    ) {
        let cal = build(&case.spec);
        prop_assume!(cal.is_some());
        let cal = cal.unwrap();
        let r = case.reference(230);
        let t1 = place(case.t0, first);
        let t2 = t1 + span;
        let back = add(&cal, t1, between(&cal, t1, t2));
        prop_assert!(order(back) <= t2, "from {} to {}: {:?}", utc(t1), utc(t2), back.map(utc));
        if r.is_open(t2) && r.is_open(t2 - 1) {
            prop_assert_eq!(back, Some(t2));
        }
        // The first instant at or after t2 inside a working interval, past its first second.
        if let Some(&(a, _)) = r.real.iter().find(|&&(a, b)| b - 1 > t2.max(a)) {
            let inside = t2.max(a + 1);
            prop_assert_eq!(add(&cal, t1, between(&cal, t1, inside)), Some(inside), "to {}", utc(inside));
        }
    }

    /// The business is open exactly when the reference says so, and the next opening is
    /// the instant itself when open, else the start of the reference's first working
    /// interval after it; at random instants and around the reference's interval ends.
    #[test]
    fn is_open_and_next_opening_match_the_reference(case in case(), at in offset(14 * DAY)) {
        let cal = build(&case.spec);
        prop_assume!(cal.is_some());
        let cal = cal.unwrap();
        let r = case.reference(120);
        let t = place(case.t0, at);
        let mut probes = vec![t];
        for &(a, b) in r.real.iter().filter(|&&(_, b)| b > t).take(3) {
            probes.extend([a - 1, a, a + 1, b - 1, b]);
        }
        // Not before t: the reference's first interval may be clipped at its window.
        probes.retain(|&p| p >= t);
        for p in probes {
            prop_assert_eq!(cal.is_open(utc(p)).expect("in range"), r.is_open(p), "at {}", utc(p));
            prop_assert_eq!(
                cal.next_opening(utc(p)).expect("in range").map(|x| x.timestamp()),
                r.next_opening(p),
                "after {}", utc(p)
            );
        }
    }

    /// A date is a business day exactly when the reference's working time during it has
    /// positive real length; adding n business days matches stepping date by date with
    /// that; the next business day is after the date.
    #[test]
    fn business_days_match_the_reference(
        case in case(),
        from in -3..=30i64,
        n in prop_oneof![0..=3u32, 0..=40u32],
    ) {
        let cal = build(&case.spec);
        prop_assume!(cal.is_some());
        let cal = cal.unwrap();
        let (spec, tz) = (&case.spec, case.tz);
        let day = plus_days(case.anchor_date(), from);
        for k in -1..=7 {
            let d = plus_days(day, k);
            prop_assert_eq!(cal.is_business_day(d).expect("in range"), ref_is_business_day(spec, tz, d), "{}", d);
        }
        let stepped = ref_add_business_days(spec, tz, day, n);
        match cal.add_business_days(day, n) {
            Ok(got) => prop_assert_eq!(Some(got), stepped, "{} + {} business days", day, n),
            Err(e) => {
                prop_assert_eq!(e.kind(), ErrorKind::Exhausted);
                prop_assert_eq!(stepped, None);
            }
        }
        match cal.next_business_day(day) {
            Ok(next) => {
                prop_assert!(next > day);
                prop_assert_eq!(Some(next), ref_add_business_days(spec, tz, day, 1));
            }
            Err(e) => prop_assert_eq!(e.kind(), ErrorKind::Exhausted),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Deterministic cases: hand-computed answers that both the crate and the reference must
// give, at the places random search finds hardest.

fn spec_in(zone: &str, day: Weekday, ivs: Vec<WorkInterval>) -> CalendarSpec {
    let mut spec = CalendarSpec::new(zone);
    spec.weekly.set(day, ivs);
    spec
}

/// Real working seconds during a local date, by the crate (as business time between its
/// first and last instants) and by the reference.
fn worked_on(spec: &CalendarSpec, day: NaiveDate) -> (i64, i64) {
    let tz: Tz = spec.time_zone.parse().expect("zone");
    let cal = build(spec).expect("builds");
    let (from, to) = (
        ref_to_utc(tz, midnight(day)),
        ref_to_utc(tz, midnight(day) + DAY),
    );
    let r = Reference::new(spec, tz, plus_days(day, -2), plus_days(day, 2));
    (between(&cal, from, to), r.between(from, to))
}

#[test]
fn a_night_across_lord_howes_half_hour_change() {
    // 01:00-03:00 on the Sunday clocks go 02:00 -> 02:30 (2026-10-04) is 1.5 real hours,
    // and on the Sunday they go 02:00 -> 01:30 (2026-04-05) it is 2.5.
    let spec = spec_in(
        "Australia/Lord_Howe",
        Weekday::Sun,
        vec![WorkInterval::new(t(1, 0), t(3, 0))],
    );
    assert_eq!(worked_on(&spec, date(2026, 10, 4)), (5_400, 5_400));
    assert_eq!(worked_on(&spec, date(2026, 4, 5)), (9_000, 9_000));
}

#[test]
fn apia_skipped_friday_is_not_a_business_day() {
    // Every day 09:00-17:00; Friday 2011-12-30 never happened in Samoa.
    let mut spec = CalendarSpec::new("Pacific/Apia");
    for d in WEEKDAYS {
        spec.weekly
            .set(d, vec![WorkInterval::new(t(9, 0), t(17, 0))]);
    }
    let cal = build(&spec).expect("builds");
    let tz = chrono_tz::Pacific::Apia;
    assert!(!cal.is_business_day(date(2011, 12, 30)).unwrap());
    assert!(!ref_is_business_day(&spec, tz, date(2011, 12, 30)));
    assert_eq!(
        cal.add_business_days(date(2011, 12, 29), 1).unwrap(),
        date(2011, 12, 31)
    );
    // Thursday 16:00 (-10:00) plus 2 hours: one on Thursday, one from Saturday 09:00 (+14:00).
    let thu4pm = local_of(at(2011, 12, 30, 2, 0, 0));
    let sat10 = local_of(at(2011, 12, 30, 20, 0, 0));
    assert_eq!(add(&cal, thu4pm, 2 * HOUR), Some(sat10));
    assert_eq!(worked_on(&spec, date(2011, 12, 30)), (0, 0));
}

#[test]
fn sao_paulo_midnight_gap() {
    // 2018-11-04 00:00 -> 01:00. Saturday 22:00-00:00 overnight ends when the clocks jump
    // (2 real hours); Sunday 00:00-00:30 lies wholly in the gap (no business day).
    let mut spec = spec_in(
        "America/Sao_Paulo",
        Weekday::Sat,
        vec![WorkInterval::overnight(t(22, 0), t(0, 0))],
    );
    spec.weekly.sunday = vec![WorkInterval::new(t(0, 0), t(0, 30))];
    let cal = build(&spec).expect("builds");
    let tz = chrono_tz::America::Sao_Paulo;
    assert_eq!(worked_on(&spec, date(2018, 11, 3)), (7_200, 7_200));
    assert!(!cal.is_business_day(date(2018, 11, 4)).unwrap());
    assert!(!ref_is_business_day(&spec, tz, date(2018, 11, 4)));
    assert!(cal.is_business_day(date(2018, 11, 11)).unwrap());
}

#[test]
fn new_york_repeated_hour() {
    // 2026-11-01 02:00 EDT -> 01:00 EST. 00:00-01:30 ends at the first 01:30 (1.5 hours);
    // 00:00-03:00 works the repeated hour twice (4 hours).
    let short = spec_in(
        "America/New_York",
        Weekday::Sun,
        vec![WorkInterval::new(t(0, 0), t(1, 30))],
    );
    assert_eq!(worked_on(&short, date(2026, 11, 1)), (5_400, 5_400));
    let long = spec_in(
        "America/New_York",
        Weekday::Sun,
        vec![WorkInterval::new(t(0, 0), t(3, 0))],
    );
    assert_eq!(worked_on(&long, date(2026, 11, 1)), (14_400, 14_400));
}
