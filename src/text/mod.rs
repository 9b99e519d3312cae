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

use chrono::{DateTime, Utc};
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
        Arg::Instant(t) => f.write_str(&instant(*t, zone)),
        Arg::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
        Arg::Duration(d) => f.write_str(&duration(d.num_seconds())),
        Arg::Count(n) => write!(f, "{n}"),
        Arg::Number(x) => write!(f, "{x}"),
        Arg::Amount(a) => write!(f, "{a}"),
        Arg::Id(s) => f.write_str(s),
        Arg::Name(s) | Arg::Text(s) => f.write_str(s),
        Arg::Term(s) => f.write_str(&s.replace('_', " ")),
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
pub(crate) fn duration(secs: i64) -> String {
    let s = secs.unsigned_abs();
    let (d, h, m) = (s / 86_400, s % 86_400 / 3_600, s % 3_600 / 60);
    let mut parts: Vec<(u64, &str, &str)> = Vec::with_capacity(2);
    if d > 0 {
        parts.push((d, "day", "days"));
    }
    if h > 0 {
        parts.push((h, "hour", "hours"));
    }
    if m > 0 && d == 0 {
        parts.push((m, "minute", "minutes"));
    }
    if parts.is_empty() {
        parts.push((s % 60, "second", "seconds"));
    }
    let mut out = String::from(if secs < 0 { "minus " } else { "" });
    for (i, (n, one, many)) in parts.into_iter().enumerate() {
        let _ = write!(
            out,
            "{}{n} {}",
            if i > 0 { " " } else { "" },
            if n == 1 { one } else { many }
        );
    }
    out
}

/// An instant for people, in `zone` (the business's, or the person's) to the minute:
/// `Tue 24 Nov 2026, 14:05 CST`; in UTC without a zone (`Tue 24 Nov 2026, 20:05 UTC`).
pub(crate) fn instant(t: DateTime<Utc>, zone: Option<Tz>) -> String {
    match zone {
        Some(z) => t
            .with_timezone(&z)
            .format("%a %-d %b %Y, %H:%M %Z")
            .to_string(),
        None => t.format("%a %-d %b %Y, %H:%M UTC").to_string(),
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
