//! The one humanizer of the crate's English sentences: durations and counts, so every
//! engine writes "1 day", "2 attempts" and "3 days 4 hours" the same way.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// A count and its noun: `1 attempt`, `2 attempts`, `0 attempts`.
pub(crate) fn count(n: impl Into<i128>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
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
    fn counts_agree_with_their_number() {
        assert_eq!(count(1_u32, "attempt", "attempts"), "1 attempt");
        assert_eq!(count(0_u32, "attempt", "attempts"), "0 attempts");
        assert_eq!(count(2_u64, "day", "days"), "2 days");
    }

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
