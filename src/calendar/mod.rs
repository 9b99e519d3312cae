//! The business calendar: when a business works, in its own time zone.
//!
//! Promises use it for business-hour deadlines ("call back within 8 working hours"),
//! cadence for business days ("follow up within 2 business days of completion"). It is
//! pure: every operation takes the instant or date it works from, and nothing reads a
//! clock.
//!
//! A calendar is a [`CalendarSpec`] (plain serde data: an IANA zone, a weekly schedule
//! with several intervals a day and overnight intervals, full-day and partial holidays,
//! one-off extra working periods) checked and compiled by [`BusinessCalendar::new`].
//! Build it once per business and share it: it is `Send + Sync` and cheap to clone.
//!
//! ```
//! use chrono::{NaiveDate, TimeDelta, TimeZone, Utc, Weekday};
//! use retention::calendar::{BusinessCalendar, CalendarSpec, Holiday, TimeOfDay, WeeklySchedule, WorkInterval};
//!
//! let mut spec = CalendarSpec::new("America/New_York");
//! spec.weekly = WeeklySchedule::weekdays(&[
//!     WorkInterval::new(TimeOfDay::hm(8, 0)?, TimeOfDay::hm(12, 0)?),
//!     WorkInterval::new(TimeOfDay::hm(13, 0)?, TimeOfDay::hm(17, 0)?),
//! ]);
//! spec.holidays.push(Holiday::full_day(NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(), "Thanksgiving"));
//! let cal = BusinessCalendar::new(spec)?;
//!
//! // A voicemail left Wednesday 2026-11-25 at 16:00 New York time (21:00 UTC).
//! let left = Utc.with_ymd_and_hms(2026, 11, 25, 21, 0, 0).unwrap();
//! // Eight working hours later: one hour on Wednesday, Thanksgiving closed,
//! // then 08:00-12:00 and 13:00-16:00 on Friday.
//! let due = cal.add_business_duration(left, TimeDelta::hours(8))?;
//! assert_eq!(due, Utc.with_ymd_and_hms(2026, 11, 27, 21, 0, 0).unwrap());
//! assert_eq!(cal.business_duration_between(left, due)?, TimeDelta::hours(8));
//!
//! // Two business days after Wednesday is Monday.
//! let wed = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
//! assert_eq!(cal.add_business_days(wed, 2)?, NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The rules, stated once
//!
//! - **Open set.** The business is open at local times covered by the weekly schedule and
//!   not closed by a holiday, or covered by an extra working period (an extra period wins
//!   over a holiday). A full-day holiday closes its date from 00:00 to 24:00, including
//!   the tail of a night shift that began the evening before.
//! - **Business time is real time.** A night shift from 22:00 to 06:00 is 9 real hours on
//!   the night clocks turn back and 7 on the night they spring forward; a business
//!   duration counts the hours that actually pass.
//! - **Daylight saving.** A local time that does not exist (clocks turned forward) is
//!   taken as the instant the clocks jumped: working time scheduled in the gap is not
//!   worked. A local time that happens twice (clocks turned back) is taken at its
//!   *earlier* occurrence, so an interval that ends inside the repeated hour ends the
//!   first time the clock shows that time, and an interval that spans the whole repeated
//!   hour works it twice. The mapping never runs backwards, so an interval never inverts.
//! - **Landing.** [`add_business_duration`](BusinessCalendar::add_business_duration)
//!   returns the *earliest* instant at which the duration has passed: 8 hours from 09:00
//!   on a 09:00-17:00 day is 17:00 that day, not 09:00 the next.
//! - **Business days.** A date is a business day when the business is open for some time
//!   during that local date.
//! - **Resolution.** Results are whole seconds. Where an answer is an instant (adding a
//!   duration, the next opening) a fraction of a second in the input is rounded up, so
//!   a deadline is never earlier than the exact one; a business duration between two
//!   instants drops their fractions.
//! - **Range.** Time-zone rules come from the IANA database bundled by chrono-tz, read
//!   for 1900 to 2100; outside those years the offset in force at the nearer end
//!   applies. Dates and instants must lie within chrono's range less eight days at each
//!   end; outside it an operation returns `calendar.date_out_of_range`.
//!
//! # Cost
//!
//! Building a calendar reads the zone's offset changes (about 37,000 offset look-ups)
//! and profiles every week touched by a holiday, an extra period or an offset change:
//! about a millisecond. After that, adding a business duration or business days
//! costs about the same for an hour as for a year: regular weeks are skipped whole, and
//! only the weeks with a holiday, an extra period or a clock change in between are
//! visited, at constant cost each. Nothing steps minute by minute or day by day, and a
//! calendar without working time is refused when built, so no operation can loop
//! without end.

mod spec;
mod zone;

use std::ops::ControlFlow;
use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc, Weekday};
use chrono_tz::Tz;

use crate::error::{Error, ErrorKind, FieldPath, Problems};
pub use spec::{
    CalendarSpec, ClosedPeriod, ExtraPeriod, Holiday, TimeOfDay, WeeklySchedule, WorkInterval,
};
use zone::ZoneRules;

const DAY: i64 = 86_400;
const WEEK: i64 = 7 * DAY;
/// Local second of Monday 1970-01-05T00:00, the origin of week numbers.
const MONDAY0: i64 = 4 * DAY;
/// Days from 0001-01-01 (day 1 of the common era) to 1970-01-01.
const CE_TO_UNIX_DAYS: i64 = 719_163;
/// Margin kept inside chrono's range so that every intermediate date stays representable.
const RANGE_MARGIN: i64 = 8 * DAY;
/// Longest extra working period accepted.
const MAX_EXTRA: i64 = 31 * DAY;

fn week_of(local: i64) -> i64 {
    (local - MONDAY0).div_euclid(WEEK)
}

fn week_start(week: i64) -> i64 {
    MONDAY0 + week * WEEK
}

fn min_secs() -> i64 {
    DateTime::<Utc>::MIN_UTC.timestamp() + RANGE_MARGIN
}

fn max_secs() -> i64 {
    DateTime::<Utc>::MAX_UTC.timestamp() - RANGE_MARGIN
}

fn date_local(date: NaiveDate) -> i64 {
    (i64::from(date.num_days_from_ce()) - CE_TO_UNIX_DAYS) * DAY
}

/// The date of an instant in a zone, or `None` when that local date lies beyond what
/// chrono represents (within a day of its limits), where `with_timezone` would panic.
pub(crate) fn local_date(t: DateTime<Utc>, zone: Tz) -> Option<NaiveDate> {
    use chrono::{Offset, TimeZone};
    let offset = zone.offset_from_utc_datetime(&t.naive_utc()).fix();
    t.naive_utc()
        .checked_add_offset(offset)
        .map(|local| local.date())
}

fn out_of_range(path: &str, what: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::DateOutOfRange,
        FieldPath::root().field(path),
        format!("{what} is outside the range the calendar supports"),
    )
}

/// A week whose working time differs from the regular week: a holiday, an extra period or
/// a clock change falls in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Irregular {
    week: i64,
    /// Real working seconds in the week.
    real: i64,
    /// Business days of the week, bit 0 for Monday.
    days: u8,
}

/// What [`Compiled::skip_weeks`] counts.
#[derive(Debug, Clone, Copy)]
enum Measure {
    /// Real working seconds.
    Time,
    /// Business days.
    Days,
}

#[derive(Debug)]
struct Compiled {
    spec: CalendarSpec,
    tz: Tz,
    zone: ZoneRules,
    /// The regular week's working intervals, week-local seconds in `[0, WEEK)`, sorted
    /// and merged.
    pattern: Vec<(i64, i64)>,
    /// Working seconds in a regular week.
    week_open: i64,
    /// Business days of a regular week, bit 0 for Monday.
    week_days: u8,
    /// Closed local intervals from holidays, sorted and merged.
    closures: Vec<(i64, i64)>,
    /// Extra working local intervals, sorted and merged.
    extras: Vec<(i64, i64)>,
    irregular: Vec<Irregular>,
    /// `prefix_time[i]` is the sum of `real - week_open` over `irregular[..i]`.
    prefix_time: Vec<i64>,
    /// `prefix_days[i]` is the sum of business days less the regular week's over
    /// `irregular[..i]`.
    prefix_days: Vec<i64>,
    /// How far (seconds) a local time can sit from the instant it maps to, beyond the
    /// current offset: the largest clock jump plus one.
    margin: i64,
}

/// A checked, compiled business calendar. See the [module docs](self) for the rules.
///
/// In JSON a calendar is its [`CalendarSpec`]; deserializing checks it like
/// [`BusinessCalendar::new`] does, but serde's error carries only the first problem's
/// code and sentence. To show a user every problem with its path, read a
/// [`CalendarSpec`] and pass it to [`BusinessCalendar::new`]. Equality compares the specs.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(try_from = "CalendarSpec", into = "CalendarSpec")]
pub struct BusinessCalendar {
    inner: Arc<Compiled>,
}

impl PartialEq for BusinessCalendar {
    fn eq(&self, other: &Self) -> bool {
        self.inner.spec == other.inner.spec
    }
}

impl Eq for BusinessCalendar {}

impl TryFrom<CalendarSpec> for BusinessCalendar {
    type Error = Error;
    fn try_from(spec: CalendarSpec) -> Result<Self, Error> {
        BusinessCalendar::new(spec)
    }
}

impl From<BusinessCalendar> for CalendarSpec {
    fn from(c: BusinessCalendar) -> Self {
        c.inner.spec.clone()
    }
}

/// Joins overlapping or touching intervals of a sorted list.
fn merge(mut v: Vec<(i64, i64)>) -> Vec<(i64, i64)> {
    v.sort_unstable();
    let mut out: Vec<(i64, i64)> = Vec::with_capacity(v.len());
    for (s, e) in v {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// Coalesces a stream of intervals sorted by start into disjoint ones.
struct Coalesce {
    pending: Option<(i64, i64)>,
}

impl Coalesce {
    fn push(
        &mut self,
        s: i64,
        e: i64,
        f: &mut impl FnMut(i64, i64) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        match self.pending {
            Some((ps, pe)) if s <= pe => {
                self.pending = Some((ps, pe.max(e)));
                ControlFlow::Continue(())
            }
            Some((ps, pe)) => {
                self.pending = Some((s, e));
                f(ps, pe)
            }
            None => {
                self.pending = Some((s, e));
                ControlFlow::Continue(())
            }
        }
    }

    fn finish(self, f: &mut impl FnMut(i64, i64) -> ControlFlow<()>) -> ControlFlow<()> {
        match self.pending {
            Some((s, e)) => f(s, e),
            None => ControlFlow::Continue(()),
        }
    }
}

impl Compiled {
    /// Calls `f` with each local working interval meeting `[from, to)`, clipped to it, in
    /// order, disjoint. Work is linear in the number of weeks in the range.
    fn for_each_local(
        &self,
        from: i64,
        to: i64,
        mut f: impl FnMut(i64, i64) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        if from >= to {
            return ControlFlow::Continue(());
        }
        let mut out = Coalesce { pending: None };
        let mut ci = self.closures.partition_point(|c| c.1 <= from);
        let mut ei = self.extras.partition_point(|x| x.1 <= from);
        let push_extras_until =
            |limit: i64, ei: &mut usize, out: &mut Coalesce, f: &mut _| -> ControlFlow<()> {
                while let Some(&(xs, xe)) = self.extras.get(*ei) {
                    if xs > limit || xs >= to {
                        break;
                    }
                    *ei += 1;
                    out.push(xs.max(from), xe.min(to), f)?;
                }
                ControlFlow::Continue(())
            };
        if !self.pattern.is_empty() {
            for w in week_of(from)..=week_of(to - 1) {
                let base = week_start(w);
                for &(ps, pe) in &self.pattern {
                    let (s, e) = ((base + ps).max(from), (base + pe).min(to));
                    if s >= e {
                        continue;
                    }
                    while self.closures.get(ci).is_some_and(|c| c.1 <= s) {
                        ci += 1;
                    }
                    let mut cur = s;
                    let mut j = ci;
                    while let Some(&(cs, ce)) = self.closures.get(j) {
                        if cs >= e {
                            break;
                        }
                        if cs > cur {
                            push_extras_until(cur, &mut ei, &mut out, &mut f)?;
                            out.push(cur, cs, &mut f)?;
                        }
                        cur = cur.max(ce);
                        j += 1;
                    }
                    if cur < e {
                        push_extras_until(cur, &mut ei, &mut out, &mut f)?;
                        out.push(cur, e, &mut f)?;
                    }
                }
            }
        }
        push_extras_until(i64::MAX, &mut ei, &mut out, &mut f)?;
        out.finish(&mut f)
    }

    /// Calls `f` with each real (UTC) working interval that local times `[from, to)` map
    /// to, in order, disjoint, non-empty.
    fn for_each_real(
        &self,
        from: i64,
        to: i64,
        mut f: impl FnMut(i64, i64) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        let mut out = Coalesce { pending: None };
        let mut zone = self.zone.cursor(from);
        self.for_each_local(from, to, |s, e| {
            let (a, b) = (zone.utc_of(s), zone.utc_of(e));
            if a < b {
                out.push(a, b, &mut f)
            } else {
                ControlFlow::Continue(())
            }
        })?;
        out.finish(&mut f)
    }

    /// Real working seconds and business-day mask of a local week.
    fn profile(&self, week: i64) -> (i64, u8) {
        let base = week_start(week);
        let (mut real, mut days) = (0i64, 0u8);
        let mut zone = self.zone.cursor(base);
        let _ = self.for_each_local(base, base + WEEK, |s, e| {
            let mut cur = s;
            while cur < e {
                let day = (cur - base) / DAY;
                let end = e.min(base + (day + 1) * DAY);
                let r = zone.utc_of(end) - zone.utc_of(cur);
                if r > 0 {
                    real += r;
                    days |= 1 << day;
                }
                cur = end;
            }
            ControlFlow::Continue(())
        });
        (real, days)
    }

    fn irregular_from(&self, week: i64) -> usize {
        self.irregular.partition_point(|x| x.week < week)
    }

    fn days_of(&self, week: i64) -> u8 {
        match self.irregular.get(self.irregular_from(week)) {
            Some(x) if x.week == week => x.days,
            _ => self.week_days,
        }
    }

    /// From the start of `week`, passes whole weeks while more than their amount of
    /// `measure` remains. Returns the week in which `rem` (> 0) runs out, and what
    /// remains at its start. A binary search over the prefix sums jumps to the last
    /// irregular week before the landing, so work is logarithmic in the span.
    fn skip_weeks(
        &self,
        mut week: i64,
        mut rem: i64,
        measure: Measure,
        path: &str,
    ) -> Result<(i64, i64), Error> {
        let (regular, prefix) = match measure {
            Measure::Time => (self.week_open, &self.prefix_time),
            Measure::Days => (i64::from(self.week_days.count_ones()), &self.prefix_days),
        };
        let amount = |x: &Irregular| match measure {
            Measure::Time => x.real,
            Measure::Days => i64::from(x.days.count_ones()),
        };
        let last_week = week_of(max_secs());
        let exhausted = || {
            Error::new(
                ErrorKind::Exhausted,
                FieldPath::root(),
                "the calendar has no more working time after this point",
            )
        };
        let mut i = self.irregular_from(week);
        // Amount from the start of `week` to the start of irregular week `j`.
        let before = |j: usize| {
            (self.irregular[j].week - week)
                .saturating_mul(regular)
                .saturating_add(prefix[j] - prefix[i])
        };
        // The first irregular week at whose start `rem` is already used up; every
        // irregular week before it is passed whole.
        let (mut lo, mut hi) = (i, self.irregular.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if before(mid) < rem {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        if lo > i + 1 {
            let j = lo - 1;
            rem -= before(j);
            week = self.irregular[j].week;
            i = j;
        }
        loop {
            let avail = self.irregular.get(i).map(|x| x.week - week);
            if regular > 0 {
                let need = (rem - 1) / regular;
                let k = avail.map_or(need, |a| need.min(a));
                week = week
                    .checked_add(k)
                    .filter(|w| *w <= last_week)
                    .ok_or_else(|| out_of_range(path, "the result"))?;
                rem -= k * regular;
                if avail.is_none_or(|a| k < a) {
                    return Ok((week, rem));
                }
            } else {
                match avail {
                    Some(a) => week += a,
                    None => return Err(exhausted()),
                }
            }
            let got = amount(&self.irregular[i]);
            if got >= rem {
                return Ok((week, rem));
            }
            rem -= got;
            week += 1;
            i += 1;
        }
    }
}

impl BusinessCalendar {
    /// Checks a spec and compiles it. Reports every problem at once.
    ///
    /// # Errors
    ///
    /// `calendar.unknown_time_zone`, `calendar.interval_reversed`,
    /// `calendar.interval_too_long`, `calendar.intervals_overlap`,
    /// `calendar.holiday_outside_day`, `calendar.extra_period_reversed`,
    /// `calendar.extra_period_too_long`, `calendar.date_out_of_range`, and
    /// `calendar.no_working_time` when the result would never be open.
    ///
    /// ```
    /// use retention::calendar::{BusinessCalendar, CalendarSpec};
    /// let err = BusinessCalendar::new(CalendarSpec::new("Europe/Paris")).unwrap_err();
    /// assert_eq!(err.code(), "calendar.no_working_time");
    /// ```
    pub fn new(spec: CalendarSpec) -> Result<BusinessCalendar, Error> {
        let mut problems = Problems::new();
        let root = FieldPath::root();
        let tz = match spec.time_zone.parse::<Tz>() {
            Ok(tz) => Some(tz),
            Err(_) => {
                problems.push(
                    ErrorKind::UnknownTimeZone,
                    root.field("time_zone"),
                    format!("`{}` is not an IANA time-zone name", spec.time_zone),
                );
                None
            }
        };

        // Weekly pattern, in week-local seconds; each piece remembers its source.
        let mut pieces: Vec<(i64, i64, FieldPath)> = Vec::new();
        for (d, day) in [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ]
        .into_iter()
        .enumerate()
        {
            for (i, iv) in spec.weekly.get(day).iter().enumerate() {
                let path = root.field("weekly").field(spec::weekday_name(day)).index(i);
                let (st, en) = (i64::from(iv.start.seconds()), i64::from(iv.end.seconds()));
                let base = d as i64 * DAY;
                let (s, e) = if iv.overnight {
                    if en > st {
                        problems.push(
                            ErrorKind::IntervalTooLong,
                            path,
                            format!(
                                "an overnight interval from {} to {} the next day lasts more than 24 hours",
                                iv.start, iv.end
                            ),
                        );
                        continue;
                    }
                    if st == DAY && en == 0 {
                        problems.push(
                            ErrorKind::IntervalReversed,
                            path,
                            "an overnight interval from 24:00 to 00:00 is empty",
                        );
                        continue;
                    }
                    (base + st, base + DAY + en)
                } else {
                    if en <= st {
                        problems.push(
                            ErrorKind::IntervalReversed,
                            path,
                            format!(
                                "the interval ends ({}) at or before it starts ({}); mark it \"overnight\" if it ends the next day",
                                iv.end, iv.start
                            ),
                        );
                        continue;
                    }
                    (base + st, base + en)
                };
                if e <= WEEK {
                    pieces.push((s, e, path));
                } else {
                    pieces.push((s.min(WEEK), WEEK, path.clone()));
                    pieces.push((s.saturating_sub(WEEK).max(0), e - WEEK, path));
                }
            }
        }
        pieces.retain(|p| p.0 < p.1);
        pieces.sort_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
        let mut reach: Option<(i64, &FieldPath)> = None;
        let mut reported: std::collections::HashSet<&FieldPath> = std::collections::HashSet::new();
        for (s, e, path) in &pieces {
            if let Some((end, earlier)) = reach {
                if *s < end && earlier != path && reported.insert(path) {
                    problems.push(
                        ErrorKind::IntervalsOverlap,
                        path.clone(),
                        format!("overlaps the working interval at `{earlier}`"),
                    );
                }
            }
            if reach.is_none_or(|(end, _)| *e > end) {
                reach = Some((*e, path));
            }
        }
        let pattern = merge(pieces.iter().map(|p| (p.0, p.1)).collect());

        let (lo, hi) = (min_secs(), max_secs());
        let mut closures = Vec::with_capacity(spec.holidays.len());
        for (i, h) in spec.holidays.iter().enumerate() {
            let path = root.field("holidays").index(i);
            let day = date_local(h.date);
            if day < lo || day + DAY > hi {
                problems.push(
                    ErrorKind::DateOutOfRange,
                    path.field("date"),
                    format!("{} is outside the range the calendar supports", h.date),
                );
                continue;
            }
            match h.closed {
                None => closures.push((day, day + DAY)),
                Some(c) => {
                    let (f, u) = (c.from.and_utc().timestamp(), c.until.and_utc().timestamp());
                    if f < day || u > day + DAY || f >= u {
                        problems.push(
                            ErrorKind::HolidayOutsideDay,
                            path.field("closed"),
                            format!(
                                "the closed period {} to {} must be non-empty and lie within {}",
                                c.from, c.until, h.date
                            ),
                        );
                    } else {
                        closures.push((f, u));
                    }
                }
            }
        }

        let mut extras = Vec::with_capacity(spec.extra_periods.len());
        for (i, x) in spec.extra_periods.iter().enumerate() {
            let path = root.field("extra_periods").index(i);
            let (s, e) = (x.start.and_utc().timestamp(), x.end.and_utc().timestamp());
            if s < lo || e > hi {
                problems.push(
                    ErrorKind::DateOutOfRange,
                    path.field(if (lo..=hi).contains(&s) {
                        "end"
                    } else {
                        "start"
                    }),
                    "the period is outside the range the calendar supports",
                );
            } else if e <= s {
                problems.push(
                    ErrorKind::ExtraPeriodReversed,
                    path,
                    format!(
                        "the period ends ({}) at or before it starts ({})",
                        x.end, x.start
                    ),
                );
            } else if e - s > MAX_EXTRA {
                problems.push(
                    ErrorKind::ExtraPeriodTooLong,
                    path,
                    "an extra working period may last at most 31 days; put regular hours in the weekly schedule",
                );
            } else {
                extras.push((s, e));
            }
        }

        if pattern.is_empty() && spec.extra_periods.is_empty() {
            problems.push(
                ErrorKind::NoWorkingTime,
                root.clone(),
                "the calendar has no working time: the weekly schedule is empty and there are no extra periods",
            );
        }
        let Some(tz) = tz.filter(|_| problems.is_empty()) else {
            return Err(problems.finish().err().unwrap_or_else(|| {
                Error::new(
                    ErrorKind::UnknownTimeZone,
                    root.field("time_zone"),
                    "unknown",
                )
            }));
        };

        let zone = ZoneRules::read(&tz);
        let week_open = pattern.iter().map(|(s, e)| e - s).sum();
        let mut week_days = 0u8;
        for &(s, e) in &pattern {
            for d in s / DAY..=((e - 1) / DAY) {
                week_days |= 1 << d;
            }
        }
        let closures = merge(closures);
        let extras = merge(extras);
        let mut weeks: Vec<i64> = Vec::new();
        for &(s, e) in closures.iter().chain(&extras) {
            weeks.extend(week_of(s)..=week_of(e - 1));
        }
        for t in zone.transitions() {
            weeks.extend(week_of(t.local_lo() - 1)..=week_of(t.local_hi()));
        }
        weeks.sort_unstable();
        weeks.dedup();
        let margin = zone.max_jump() + 1;
        let mut compiled = Compiled {
            spec,
            tz,
            zone,
            pattern,
            week_open,
            week_days,
            closures,
            extras,
            irregular: Vec::with_capacity(weeks.len()),
            prefix_time: Vec::with_capacity(weeks.len() + 1),
            prefix_days: Vec::with_capacity(weeks.len() + 1),
            margin,
        };
        let mut irregular = Vec::with_capacity(weeks.len());
        for week in weeks {
            let (real, days) = compiled.profile(week);
            irregular.push(Irregular { week, real, days });
        }
        let (mut time, mut days) = (0i64, 0i64);
        compiled.prefix_time.push(0);
        compiled.prefix_days.push(0);
        let regular_days = i64::from(week_days.count_ones());
        for x in &irregular {
            time += x.real - week_open;
            days += i64::from(x.days.count_ones()) - regular_days;
            compiled.prefix_time.push(time);
            compiled.prefix_days.push(days);
        }
        compiled.irregular = irregular;
        if week_open == 0 && compiled.irregular.iter().all(|x| x.real == 0) {
            return Err(Error::new(
                ErrorKind::NoWorkingTime,
                FieldPath::root(),
                "the calendar has no working time: its only periods fall where the clocks skip",
            ));
        }
        Ok(BusinessCalendar {
            inner: Arc::new(compiled),
        })
    }

    /// The spec this calendar was built from.
    pub fn spec(&self) -> &CalendarSpec {
        &self.inner.spec
    }

    /// The calendar's time zone.
    pub fn time_zone(&self) -> Tz {
        self.inner.tz
    }

    /// The date at UTC second `utc` in `zone`, as [`local_date`] gives it: through the
    /// calendar's own table of its zone's offset changes when `zone` is the calendar's
    /// and `utc` lies in the table's window (one binary search of a short table, where
    /// chrono-tz searches its spans and builds a date-time), else through chrono-tz.
    /// The answers are the same (a test compares them); engines that date many
    /// instants in the business's zone (the cadence planner's last touches) use this.
    pub(crate) fn date_at(&self, utc: i64, zone: Tz) -> Option<NaiveDate> {
        let c = &self.inner;
        if zone == c.tz && (zone::WINDOW_START..zone::WINDOW_END).contains(&utc) {
            let local = utc + i64::from(c.zone.offset_at(utc));
            let days = i32::try_from(local.div_euclid(DAY) + CE_TO_UNIX_DAYS).ok()?;
            return NaiveDate::from_num_days_from_ce_opt(days);
        }
        DateTime::from_timestamp(utc, 0).and_then(|t| local_date(t, zone))
    }

    /// Working time in a regular week (one without holidays, extra periods or clock
    /// changes).
    ///
    /// ```
    /// # use retention::calendar::{BusinessCalendar, CalendarSpec, TimeOfDay, WeeklySchedule, WorkInterval};
    /// let mut spec = CalendarSpec::new("UTC");
    /// spec.weekly = WeeklySchedule::weekdays(&[WorkInterval::new(TimeOfDay::hm(9, 0)?, TimeOfDay::hm(17, 0)?)]);
    /// assert_eq!(BusinessCalendar::new(spec)?.regular_week(), chrono::TimeDelta::hours(40));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn regular_week(&self) -> TimeDelta {
        TimeDelta::seconds(self.inner.week_open)
    }

    fn secs(at: DateTime<Utc>, path: &str) -> Result<i64, Error> {
        let t = at.timestamp();
        if t < min_secs() || t > max_secs() {
            return Err(out_of_range(path, at));
        }
        Ok(t)
    }

    /// Like [`secs`](Self::secs), rounding a fraction of a second up: for operations
    /// whose answer is an instant that must not come before `at`.
    fn secs_up(at: DateTime<Utc>, path: &str) -> Result<i64, Error> {
        let t = at.timestamp();
        let t = if at.timestamp_subsec_nanos() > 0 {
            t.saturating_add(1)
        } else {
            t
        };
        if t < min_secs() || t > max_secs() {
            return Err(out_of_range(path, at));
        }
        Ok(t)
    }

    fn instant(secs: i64, path: &str) -> Result<DateTime<Utc>, Error> {
        if !(min_secs()..=max_secs()).contains(&secs) {
            return Err(out_of_range(path, "the result"));
        }
        DateTime::from_timestamp(secs, 0).ok_or_else(|| out_of_range(path, "the result"))
    }

    /// Whether the business is open at `at`.
    ///
    /// # Errors
    ///
    /// `calendar.date_out_of_range` for an instant outside the supported range.
    pub fn is_open(&self, at: DateTime<Utc>) -> Result<bool, Error> {
        let c = &*self.inner;
        let t = Self::secs(at, "at")?;
        let l = c.zone.to_local(t);
        let mut open = false;
        let _ = c.for_each_real(l - c.margin, l + c.margin + 1, |a, b| {
            if a <= t && t < b {
                open = true;
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        });
        Ok(open)
    }

    /// The first instant at or after `at` when the business is open: `at` itself if it
    /// is open, `None` if it never opens again (only possible for a calendar whose
    /// working time is all in extra periods).
    ///
    /// # Errors
    ///
    /// `calendar.date_out_of_range` for an instant outside the supported range, or when
    /// the next opening would lie beyond it.
    pub fn next_opening(&self, at: DateTime<Utc>) -> Result<Option<DateTime<Utc>>, Error> {
        let c = &*self.inner;
        let t = Self::secs_up(at, "at")?;
        let first = |from: i64, to: i64| {
            let mut found = None;
            let _ = c.for_each_real(from, to, |a, b| {
                if b > t {
                    found = Some(a.max(t));
                    return ControlFlow::Break(());
                }
                ControlFlow::Continue(())
            });
            found
        };
        let l = c.zone.to_local(t);
        let next_week = week_of(l + c.margin) + 1;
        if let Some(s) = first(l - c.margin, week_start(next_week)) {
            return Self::instant(s, "at").map(Some);
        }
        // One second of working time lands in the first week that has any.
        let (week, _) = match c.skip_weeks(next_week, 1, Measure::Time, "at") {
            Ok(found) => found,
            Err(e) if e.kind() == ErrorKind::Exhausted => return Ok(None),
            Err(e) => return Err(e),
        };
        match first(week_start(week), week_start(week + 1)) {
            Some(s) => Self::instant(s, "at").map(Some),
            None => Ok(None),
        }
    }

    /// The earliest instant at which `duration` of working time has passed since `at`.
    ///
    /// Zero returns `at` (to the second). Time before the next opening does not count;
    /// the result is the end of a working period when the duration runs out exactly
    /// there. Cost does not grow with the duration (see the [module docs](self)).
    ///
    /// # Errors
    ///
    /// `calendar.negative_duration`; `calendar.date_out_of_range` when `at` or the result
    /// is outside the supported range; `calendar.exhausted` when the calendar's working
    /// time runs out first (only possible when all of it is in extra periods).
    pub fn add_business_duration(
        &self,
        at: DateTime<Utc>,
        duration: TimeDelta,
    ) -> Result<DateTime<Utc>, Error> {
        let c = &*self.inner;
        if duration < TimeDelta::zero() {
            return Err(Error::new(
                ErrorKind::NegativeDuration,
                FieldPath::root().field("duration"),
                format!("cannot add a negative business duration ({duration})"),
            ));
        }
        let t = Self::secs_up(at, "at")?;
        // Whole seconds, a fraction rounded up (never earlier than the exact deadline).
        let mut rem = duration.num_seconds();
        if duration.subsec_nanos() > 0 {
            rem += 1;
        }
        if rem == 0 {
            return Self::instant(t, "at");
        }
        let consume = |rem: &mut i64, found: &mut Option<i64>, a: i64, b: i64| {
            if b - a >= *rem {
                *found = Some(a + *rem);
                ControlFlow::Break(())
            } else {
                *rem -= b - a;
                ControlFlow::Continue(())
            }
        };
        let mut found = None;
        let l = c.zone.to_local(t);
        let next_week = week_of(l + c.margin) + 1;
        let _ = c.for_each_real(l - c.margin, week_start(next_week), |a, b| {
            let a = a.max(t);
            if a >= b {
                return ControlFlow::Continue(());
            }
            consume(&mut rem, &mut found, a, b)
        });
        if found.is_none() {
            let (week, left) = c.skip_weeks(next_week, rem, Measure::Time, "duration")?;
            rem = left;
            let _ = c.for_each_real(week_start(week), week_start(week + 1), |a, b| {
                consume(&mut rem, &mut found, a, b)
            });
        }
        match found {
            Some(s) => Self::instant(s, "duration"),
            None => Err(Error::new(
                ErrorKind::Exhausted,
                FieldPath::root(),
                "the calendar has no more working time after this point",
            )),
        }
    }

    /// Working time between two instants; negative when `to` is before `from`.
    ///
    /// # Errors
    ///
    /// `calendar.date_out_of_range` for an instant outside the supported range.
    pub fn business_duration_between(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<TimeDelta, Error> {
        let (t1, t2) = (Self::secs(from, "from")?, Self::secs(to, "to")?);
        if t2 < t1 {
            return self.business_duration_between(to, from).map(|d| -d);
        }
        let c = &*self.inner;
        let (l1, l2) = (c.zone.to_local(t1), c.zone.to_local(t2));
        let mut sum = 0i64;
        let mut add = |a: i64, b: i64| {
            let (a, b) = (a.max(t1), b.min(t2));
            if a < b {
                sum += b - a;
            }
            ControlFlow::Continue(())
        };
        let (w1, w2) = (week_of(l1 + c.margin) + 1, week_of(l2 - c.margin));
        if w2 <= w1 {
            let _ = c.for_each_real(l1 - c.margin, l2 + c.margin + 1, &mut add);
        } else {
            let _ = c.for_each_real(l1 - c.margin, week_start(w1), &mut add);
            let _ = c.for_each_real(week_start(w2), l2 + c.margin + 1, &mut add);
            let (i1, i2) = (c.irregular_from(w1), c.irregular_from(w2));
            sum += (w2 - w1) * c.week_open + c.prefix_time[i2] - c.prefix_time[i1];
        }
        Ok(TimeDelta::seconds(sum))
    }

    fn date_parts(date: NaiveDate, path: &str) -> Result<(i64, i64), Error> {
        let l = date_local(date);
        if l < min_secs() || l + DAY > max_secs() {
            return Err(out_of_range(path, date));
        }
        let week = week_of(l);
        Ok((week, (l - week_start(week)) / DAY))
    }

    /// The date of day `day` (0 = Monday) of `week`, refused past the supported range
    /// (so it can be fed back into any operation).
    fn date_of(week: i64, day: i64) -> Result<NaiveDate, Error> {
        let local = week_start(week) + day * DAY;
        if local < min_secs() || local + DAY > max_secs() {
            return Err(out_of_range("n", "the result"));
        }
        i32::try_from(local / DAY + CE_TO_UNIX_DAYS)
            .ok()
            .and_then(NaiveDate::from_num_days_from_ce_opt)
            .ok_or_else(|| out_of_range("n", "the result"))
    }

    /// Whether the business is open for some time during the local date `date`.
    ///
    /// # Errors
    ///
    /// `calendar.date_out_of_range` for a date outside the supported range.
    pub fn is_business_day(&self, date: NaiveDate) -> Result<bool, Error> {
        let (week, day) = Self::date_parts(date, "date")?;
        Ok(self.inner.days_of(week) & (1 << day) != 0)
    }

    /// The first business day after `date` (not `date` itself).
    ///
    /// # Errors
    ///
    /// As for [`add_business_days`](Self::add_business_days).
    pub fn next_business_day(&self, date: NaiveDate) -> Result<NaiveDate, Error> {
        self.add_business_days(date, 1)
    }

    /// The date a policy's [`Span`](crate::model::Span) after `date`: the one place a
    /// span is added to a date. Months are calendar months with the day clamped to the
    /// month's end (31 August plus 6 months is 28 February, or 29 in a leap year);
    /// business days are [`add_business_days`](Self::add_business_days); weeks, days,
    /// hours and minutes count their whole days (36 hours is 1 day).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use retention::calendar::{BusinessCalendar, CalendarSpec, TimeOfDay, WeeklySchedule, WorkInterval};
    /// use retention::model::Span;
    ///
    /// let mut spec = CalendarSpec::new("America/Chicago");
    /// spec.weekly = WeeklySchedule::weekdays(&[WorkInterval::new(TimeOfDay::hm(8, 0)?, TimeOfDay::hm(17, 0)?)]);
    /// let cal = BusinessCalendar::new(spec)?;
    /// let fri = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    /// assert_eq!(cal.add_span(fri, Span::BusinessDays(2))?, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
    /// assert_eq!(cal.add_span(fri, Span::Months(3))?, NaiveDate::from_ymd_opt(2027, 2, 27).unwrap());
    /// assert_eq!(cal.add_span(fri, Span::Days(2))?, NaiveDate::from_ymd_opt(2026, 11, 29).unwrap());
    /// # Ok::<(), retention::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// `calendar.date_out_of_range` when the result is outside the supported range; for
    /// business days, as for [`add_business_days`](Self::add_business_days).
    pub fn add_span(&self, date: NaiveDate, span: crate::model::Span) -> Result<NaiveDate, Error> {
        match span {
            crate::model::Span::BusinessDays(n) => self.add_business_days(date, n),
            other => other
                .add_to_date(date)
                .ok_or_else(|| out_of_range("span", "the result")),
        }
    }

    /// The `n`th business day after `date`; `date` itself when `n` is 0.
    ///
    /// Cost does not grow with `n` (see the [module docs](self)).
    ///
    /// # Errors
    ///
    /// `calendar.date_out_of_range` when `date` or the result is outside the supported
    /// range; `calendar.exhausted` when the business days run out first (only possible
    /// when all working time is in extra periods).
    pub fn add_business_days(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, Error> {
        let c = &*self.inner;
        let (week, day) = Self::date_parts(date, "date")?;
        if n == 0 {
            return Ok(date);
        }
        let mut rem = i64::from(n);
        let mask = c.days_of(week);
        for d in day + 1..7 {
            if mask & (1 << d) != 0 {
                rem -= 1;
                if rem == 0 {
                    return Self::date_of(week, d);
                }
            }
        }
        let (week, mut rem) = c.skip_weeks(week + 1, rem, Measure::Days, "n")?;
        let mask = c.days_of(week);
        for d in 0..7 {
            if mask & (1 << d) != 0 {
                rem -= 1;
                if rem == 0 {
                    return Self::date_of(week, d);
                }
            }
        }
        Err(Error::new(
            ErrorKind::Exhausted,
            FieldPath::root(),
            "the calendar has no more business days after this date",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn nine_to_five(zone: &str) -> BusinessCalendar {
        let mut spec = CalendarSpec::new(zone);
        spec.weekly = WeeklySchedule::weekdays(&[
            WorkInterval::new(TimeOfDay::hm(9, 0).unwrap(), TimeOfDay::hm(12, 0).unwrap()),
            WorkInterval::new(TimeOfDay::hm(13, 0).unwrap(), TimeOfDay::hm(17, 0).unwrap()),
        ]);
        BusinessCalendar::new(spec).unwrap()
    }

    /// The table's dates are chrono-tz's, in the calendar's zone and in others, across
    /// clock changes, the table's window edges and chrono's limits.
    #[test]
    fn dates_at_agree_with_chrono_tz() {
        for name in [
            "America/Chicago",
            "Australia/Lord_Howe",
            "Asia/Kathmandu",
            "UTC",
        ] {
            let cal = nine_to_five(name);
            for zone in [cal.time_zone(), chrono_tz::Europe::Dublin] {
                let edges = [
                    zone::WINDOW_START,
                    zone::WINDOW_END,
                    DateTime::<Utc>::MIN_UTC.timestamp(),
                    DateTime::<Utc>::MAX_UTC.timestamp(),
                ];
                let mut times: Vec<i64> = (0..20_000i64)
                    .map(|i| 1_700_000_000 + i * 3_607)
                    .chain(
                        edges
                            .iter()
                            .flat_map(|&e| (-50..50).map(move |d| e + d * 1_801)),
                    )
                    .collect();
                times.push(i64::MIN);
                times.push(i64::MAX);
                for t in times {
                    let want = DateTime::from_timestamp(t, 0).and_then(|t| local_date(t, zone));
                    assert_eq!(cal.date_at(t, zone), want, "{name}: {t} in {zone}");
                }
            }
        }
    }

    #[test]
    fn week_numbers_start_on_monday() {
        assert_eq!(week_of(MONDAY0), 0);
        assert_eq!(week_of(MONDAY0 - 1), -1);
        assert_eq!(week_start(1), MONDAY0 + WEEK);
        let monday = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!((date_local(monday) - MONDAY0) % WEEK, 0);
    }

    #[test]
    fn regular_week_in_utc() {
        let cal = nine_to_five("UTC");
        assert_eq!(cal.regular_week(), TimeDelta::hours(35));
        let mon9 = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
        assert!(cal.is_open(mon9).unwrap());
        assert!(!cal.is_open(mon9 + TimeDelta::hours(3)).unwrap());
        assert_eq!(
            cal.add_business_duration(mon9, TimeDelta::hours(7))
                .unwrap(),
            Utc.with_ymd_and_hms(2026, 11, 23, 17, 0, 0).unwrap()
        );
        assert_eq!(
            cal.add_business_duration(mon9, TimeDelta::hours(35 * 10 + 1))
                .unwrap(),
            Utc.with_ymd_and_hms(2027, 2, 1, 10, 0, 0).unwrap()
        );
    }

    #[test]
    fn profile_counts_real_time() {
        let cal = nine_to_five("UTC");
        let week = week_of(date_local(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()));
        assert_eq!(cal.inner.profile(week), (35 * 3600, 0b1_1111));
    }
}
