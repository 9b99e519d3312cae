//! A verdict's facts as data, and the one renderer of its English.
//!
//! Every verdict a host may show (an order finding, a due item and its obligations, a
//! promise verdict, a phone-tag chain, a risk signal, a next action, a cadence note)
//! carries a stable `code` and its facts as typed [`Args`]. Its English `sentence` is
//! rendered from the code and the arguments alone, by [`english`]: a host that shows the
//! verdicts in another language writes its own renderer from the same two, and never
//! parses English. Each engine's code table lists every code's arguments.
//!
//! The English uses one humanizer for counts and durations ("1 day", "2 attempts",
//! "3 days 4 hours") and shows instants in the zone of the verdict's `zone` argument
//! ("Tue 24 Nov 2026, 14:05 CST").
//!
//! ```
//! use retention::chrono::NaiveDate;
//! use retention::text::{Arg, Args, english};
//!
//! let args = Args::new()
//!     .with("order", Arg::id("o-1"))
//!     .with("from", Arg::term("completed"))
//!     .with("to", Arg::term("scheduled"));
//! assert_eq!(
//!     english("lifecycle.transition_not_allowed", &args).as_deref(),
//!     Some("an order that is completed cannot move to scheduled")
//! );
//! assert_eq!(english("no.such_code", &args), None);
//!
//! // Each argument is typed in JSON.
//! let due = Arg::Date(NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
//! assert_eq!(serde_json::to_string(&due).unwrap(), r#"{"date":"2026-11-24"}"#);
//! assert_eq!(serde_json::to_string(&Arg::Count(3)).unwrap(), r#"{"count":3}"#);
//! ```

use std::fmt::{self, Write as _};

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Offset as _, Timelike, Utc};
use chrono_tz::Tz;

mod args;
pub(crate) mod english;

pub use args::{Arg, Args};

/// The English sentence of the verdict with this `code` and these `args`, as the crate
/// writes it in every verdict's `sentence`; `None` for a code the crate does not have.
/// A missing argument shows as `{name}`: the crate's own verdicts always carry every
/// argument their sentence uses.
pub fn english(code: &str, args: &Args) -> Option<String> {
    english::render(code, args)
}

/// Reads a verdict's arguments for a renderer: each accessor shows the argument the
/// crate's English way, or `{name}` when it is missing or of another type.
pub(crate) struct Facts<'a> {
    args: &'a Args,
    zone: Option<Tz>,
}

/// One argument, shown.
pub(crate) struct Show<'a> {
    name: &'a str,
    arg: Option<&'a Arg>,
    zone: Option<Tz>,
    noun: Option<(&'a str, &'a str)>,
    /// A count of one shows as its noun alone: `every month`, not `every 1 month`.
    bare_one: bool,
}

impl<'a> Facts<'a> {
    /// The facts of `args`; instants show in the zone of the `zone` argument.
    pub(crate) fn of(args: &'a Args) -> Facts<'a> {
        let zone = args.get("zone").and_then(Arg::as_zone);
        Facts { args, zone }
    }

    /// The argument called `name`, shown by its type.
    pub(crate) fn show(&self, name: &'a str) -> Show<'a> {
        Show {
            name,
            arg: self.args.get(name),
            zone: self.zone,
            noun: None,
            bare_one: false,
        }
    }

    /// A count (or a list's length) with its noun: `1 attempt`, `2 attempts`.
    pub(crate) fn count(&self, name: &'a str, one: &'a str, many: &'a str) -> Show<'a> {
        Show {
            noun: Some((one, many)),
            ..self.show(name)
        }
    }

    /// A frequency's count with its noun, for after "every": `every 3 months`, and
    /// `every month` for one.
    pub(crate) fn every(&self, name: &'a str, one: &'a str, many: &'a str) -> Show<'a> {
        Show {
            bare_one: true,
            ..self.count(name, one, many)
        }
    }

    /// A span, for after "every": `every 3 months`, and `every month` for one.
    pub(crate) fn every_span(&self, name: &'a str) -> Show<'a> {
        Show {
            bare_one: true,
            ..self.show(name)
        }
    }

    /// Whether the argument is there.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.args.get(name).is_some()
    }

    /// A flag's value (`false` when absent).
    pub(crate) fn flag(&self, name: &str) -> bool {
        matches!(self.args.get(name), Some(Arg::Flag(true)))
    }

    /// A count's value.
    pub(crate) fn int(&self, name: &str) -> Option<i64> {
        match self.args.get(name) {
            Some(Arg::Count(n)) => Some(*n),
            _ => None,
        }
    }

    /// A term's word.
    pub(crate) fn term(&self, name: &str) -> Option<&'a str> {
        match self.args.get(name) {
            Some(Arg::Term(t)) => Some(t),
            _ => None,
        }
    }

    /// The argument itself.
    pub(crate) fn get(&self, name: &str) -> Option<&'a Arg> {
        self.args.get(name)
    }
}

impl fmt::Display for Show<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(arg) = self.arg else {
            return write!(f, "{{{}}}", self.name);
        };
        if let Some((one, many)) = self.noun {
            let n = match arg {
                Arg::Count(n) => i128::from(*n),
                Arg::List(v) => v.len() as i128,
                _ => return write!(f, "{{{}}}", self.name),
            };
            return match n {
                1 if self.bare_one => f.write_str(one),
                1 => write!(f, "1 {one}"),
                _ => write!(f, "{n} {many}"),
            };
        }
        if let (true, Arg::Span(span)) = (self.bare_one, arg) {
            if span.count() == 1 {
                // "1 month" -> "month": the unit alone, as in "every month".
                let one = span.to_string();
                return f.write_str(one.strip_prefix("1 ").unwrap_or(&one));
            }
        }
        show(arg, self.zone, f)
    }
}

/// One argument the crate's English way.
fn show(arg: &Arg, zone: Option<Tz>, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    match arg {
        Arg::Instant(t) => write_instant(f, *t, zone),
        Arg::Date(d) => write!(f, "{}", Ymd(*d)),
        Arg::Duration(d) => write_duration(f, d.num_seconds()),
        Arg::Count(n) => write!(f, "{n}"),
        Arg::Number(x) => write!(f, "{x}"),
        Arg::Amount(a) => write!(f, "{a}"),
        Arg::Id(s) => f.write_str(s),
        Arg::Name(s) | Arg::Text(s) => f.write_str(s),
        Arg::Term(s) => {
            for (i, word) in s.split('_').enumerate() {
                if i > 0 {
                    f.write_char(' ')?;
                }
                f.write_str(word)?;
            }
            Ok(())
        }
        Arg::Rule(r) => write!(f, "{r}"),
        Arg::Channel(c) => write!(f, "{c}"),
        Arg::Span(s) => write!(f, "{s}"),
        Arg::Zone(z) => f.write_str(z),
        Arg::Flag(b) => f.write_str(if *b { "yes" } else { "no" }),
        Arg::List(v) => {
            for (i, a) in v.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                show(a, zone, f)?;
            }
            Ok(())
        }
    }
}

/// A duration for people, at most two units: `3 days 4 hours`, `2 hours 5 minutes`,
/// `45 minutes`, `30 seconds` (seconds only under a minute); `minus ...` when negative.
#[cfg(test)]
pub(crate) fn duration(secs: i64) -> String {
    let mut out = String::new();
    let _ = write_duration(&mut out, secs);
    out
}

/// [`duration`], written straight into `out` (a sentence renders many: no temporary).
fn write_duration(out: &mut impl fmt::Write, secs: i64) -> fmt::Result {
    let s = secs.unsigned_abs();
    let (d, h, m) = (s / 86_400, s % 86_400 / 3_600, s % 3_600 / 60);
    // At most two units: days and hours, hours and minutes, or seconds alone.
    let units = [
        (d, "day", "days", d > 0),
        (h, "hour", "hours", h > 0),
        (m, "minute", "minutes", m > 0 && d == 0),
        (s % 60, "second", "seconds", s < 60),
    ];
    if secs < 0 {
        out.write_str("minus ")?;
    }
    let shown = units.iter().filter(|u| u.3);
    for (i, &(k, one, many, _)) in shown.enumerate() {
        if i > 0 {
            out.write_char(' ')?;
        }
        write!(out, "{k} {}", if k == 1 { one } else { many })?;
    }
    Ok(())
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// "00" to "99", each number's two digits at twice its value.
const PAIRS: &str = "00010203040506070809101112131415161718192021222324252627282930313233343536373839\
                     40414243444546474849505152535455565758596061626364656667686970717273747576777879\
                     8081828384858687888990919293949596979899";

/// `n` (below 100) as two digits.
fn two(out: &mut impl fmt::Write, n: u32) -> fmt::Result {
    let at = (n % 100) as usize * 2;
    out.write_str(PAIRS.get(at..at + 2).unwrap_or("00"))
}

/// `n` (below 10,000) as four digits.
fn four(out: &mut impl fmt::Write, n: u32) -> fmt::Result {
    two(out, n / 100 % 100)?;
    two(out, n % 100)
}

/// A date as chrono writes it (`2026-11-24`; `+12345-06-07` outside years 0-9999), in
/// one write instead of chrono's digit-by-digit ones: plans write a few dates into each
/// key, and every sentence writes its dates this way.
#[derive(Clone, Copy)]
pub(crate) struct Ymd(pub(crate) NaiveDate);

impl Ymd {
    pub(crate) fn digits(self) -> Option<[u8; 10]> {
        let d = self.0;
        let y = u32::try_from(d.year()).ok().filter(|y| *y <= 9999)?;
        let (m, day) = (d.month(), d.day());
        let digit = |n: u32| b'0' + (n % 10) as u8;
        Some([
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            b'-',
            digit(m / 10),
            digit(m),
            b'-',
            digit(day / 10),
            digit(day),
        ])
    }
}

impl std::fmt::Display for Ymd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.digits() {
            Some(b) => f.write_str(std::str::from_utf8(&b).map_err(|_| std::fmt::Error)?),
            None => std::fmt::Display::fmt(&self.0, f),
        }
    }
}

/// An instant for people, in `zone` (the business's, or the person's) to the minute:
/// `Tue 24 Nov 2026, 14:05 CST`; in UTC without a zone (`Tue 24 Nov 2026, 20:05 UTC`).
#[cfg(test)]
pub(crate) fn instant(t: DateTime<Utc>, zone: Option<Tz>) -> String {
    let mut out = String::new();
    let _ = write_instant(&mut out, t, zone);
    out
}

/// [`instant`], written straight into `out`: the fields one by one, not through a
/// strftime pattern parsed again for every instant.
fn write_instant(out: &mut impl fmt::Write, t: DateTime<Utc>, zone: Option<Tz>) -> fmt::Result {
    fn fields(out: &mut impl fmt::Write, local: NaiveDateTime) -> fmt::Result {
        let day = local.date();
        let year = match u32::try_from(day.year()) {
            Ok(y) if y <= 9999 => y,
            // Outside four digits: chrono's own rendering of the year.
            _ => return write!(out, "{}", local.format("%a %-d %b %Y, %H:%M")),
        };
        let weekday = WEEKDAYS
            .get(day.weekday().num_days_from_monday() as usize)
            .copied()
            .unwrap_or_default();
        let month = MONTHS
            .get(day.month0() as usize)
            .copied()
            .unwrap_or_default();
        write!(out, "{weekday} {} {month} ", day.day())?;
        four(out, year)?;
        out.write_str(", ")?;
        two(out, local.hour())?;
        out.write_char(':')?;
        two(out, local.minute())
    }
    match zone {
        Some(z) => {
            let local = t.with_timezone(&z);
            // Within a day of chrono's limits the local time may not exist as a date:
            // chrono's pattern writes it as it can.
            match t.naive_utc().checked_add_offset(local.offset().fix()) {
                Some(naive) => fields(out, naive)?,
                None => write!(out, "{}", local.format("%a %-d %b %Y, %H:%M"))?,
            }
            write!(out, " {}", local.offset())
        }
        None => {
            fields(out, t.naive_utc())?;
            out.write_str(" UTC")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(duration(45 * 60), "45 minutes");
        assert_eq!(duration(3_600), "1 hour");
        assert_eq!(duration(330 * 60), "5 hours 30 minutes");
        assert_eq!(duration(3 * 86_400), "3 days");
        assert_eq!(duration(50 * 3_600), "2 days 2 hours");
        assert_eq!(duration(86_400 + 60), "1 day");
        assert_eq!(duration(30), "30 seconds");
        assert_eq!(duration(0), "0 seconds");
        assert_eq!(duration(-90 * 60), "minus 1 hour 30 minutes");
        assert_eq!(duration(i64::MIN).split(' ').count(), 5);
    }

    /// The hand-written date and instant writers say what chrono's patterns say, for
    /// every year chrono holds (the sign beyond four digits included) and in odd zones.
    #[test]
    fn dates_and_instants_match_chronos_patterns() {
        use chrono::{Duration, NaiveDate};
        let zones = [
            None,
            Some(chrono_tz::America::Chicago),
            Some(chrono_tz::Asia::Kathmandu),
            Some(chrono_tz::Pacific::Chatham),
            Some(chrono_tz::Etc::GMTPlus12),
        ];
        for n in 0..10_000 {
            let (mut a, mut b) = (String::new(), String::new());
            four(&mut a, n).unwrap();
            two(&mut b, n % 100).unwrap();
            assert_eq!((a, b), (format!("{n:04}"), format!("{:02}", n % 100)));
        }
        let mut days = vec![NaiveDate::MIN, NaiveDate::MAX];
        for y in [-10_000, -1, 0, 1, 999, 1970, 2026, 9999, 10_000, 262_000] {
            for (m, d) in [(1, 1), (2, 28), (7, 4), (12, 31)] {
                days.extend(NaiveDate::from_ymd_opt(y, m, d));
            }
        }
        for day in days {
            assert_eq!(Ymd(day).to_string(), day.format("%Y-%m-%d").to_string());
            for secs in [0, 59, 3_599, 43_200, 86_399] {
                let t = day.and_hms_opt(0, 0, 0).unwrap().and_utc() + Duration::seconds(secs);
                for zone in zones {
                    let want = match zone {
                        Some(z) => t
                            .with_timezone(&z)
                            .format("%a %-d %b %Y, %H:%M %Z")
                            .to_string(),
                        None => t.format("%a %-d %b %Y, %H:%M UTC").to_string(),
                    };
                    assert_eq!(instant(t, zone), want, "{t} in {zone:?}");
                }
            }
        }
    }

    #[test]
    fn instants_read_in_the_zone_they_are_about() {
        let t = DateTime::parse_from_rfc3339("2026-11-24T20:05:30Z")
            .unwrap()
            .to_utc();
        assert_eq!(
            instant(t, Some(chrono_tz::America::Chicago)),
            "Tue 24 Nov 2026, 14:05 CST"
        );
        assert_eq!(instant(t, None), "Tue 24 Nov 2026, 20:05 UTC");
        let summer = DateTime::parse_from_rfc3339("2026-07-01T16:00:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(
            instant(summer, Some(chrono_tz::America::Chicago)),
            "Wed 1 Jul 2026, 11:00 CDT"
        );
    }
}
