//! Reading instants and dates from JSON fast, exactly as chrono reads them.
//!
//! chrono's own parser handles every RFC 3339 and ISO 8601 form it accepts through a
//! general format machine, and on a large book that machine was about a third of
//! `Book::from_json`'s parse. Hosts write instants almost always in one canonical form
//! (`2026-11-24T20:05:00Z`, perhaps with a fraction or a numeric offset) and dates as
//! `2026-11-24`. These readers take that form in a direct pass and hand anything else
//! to chrono unchanged, so what is accepted, what it means and the error for what is
//! refused are chrono's (a property test holds the two to each other).

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Utc};
use serde::Deserializer;
use serde::de::{Error, Visitor};

/// Two ASCII digits at `b[i..i + 2]`.
#[inline]
fn two(b: &[u8], i: usize) -> Option<u32> {
    let (x, y) = (*b.get(i)?, *b.get(i + 1)?);
    (x.is_ascii_digit() && y.is_ascii_digit())
        .then(|| u32::from(x - b'0') * 10 + u32::from(y - b'0'))
}

/// `YYYY-MM-DD` at the start of `b` (four-digit years only).
#[inline]
fn ymd(b: &[u8]) -> Option<NaiveDate> {
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = two(b, 0)? * 100 + two(b, 2)?;
    NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, two(b, 5)?, two(b, 8)?)
}

/// The canonical forms, or `None` to let chrono decide: `YYYY-MM-DDTHH:MM:SS`, an
/// optional fraction of 1 to 9 digits, then `Z` or `±HH:MM`.
pub(crate) fn fast_instant(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    if b.len() < 20 || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let date = ymd(b)?;
    let (h, m, sec) = (two(b, 11)?, two(b, 14)?, two(b, 17)?);
    // A leap second (60) is chrono's to read.
    if sec > 59 {
        return None;
    }
    let mut i = 19;
    let mut nanos = 0_u32;
    if b[i] == b'.' {
        let start = i + 1;
        i = start;
        while i < b.len() && b[i].is_ascii_digit() {
            if i - start >= 9 {
                return None;
            }
            nanos = nanos * 10 + u32::from(b[i] - b'0');
            i += 1;
        }
        if i == start {
            return None;
        }
        nanos *= 10_u32.pow(u32::try_from(9 - (i - start)).ok()?);
    }
    let offset_secs = match &b[i..] {
        // UTC, the form almost every host writes: no offset to take away.
        [b'Z'] => {
            return Some(
                date.and_time(NaiveTime::from_hms_nano_opt(h, m, sec, nanos)?)
                    .and_utc(),
            );
        }
        [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
            let (oh, om) = (two(b, i + 1)?, two(b, i + 4)?);
            if om > 59 {
                return None;
            }
            let secs = i32::try_from(oh * 3_600 + om * 60).ok()?;
            if *sign == b'-' { -secs } else { secs }
        }
        _ => return None,
    };
    let time = NaiveTime::from_hms_nano_opt(h, m, sec, nanos)?;
    let offset = FixedOffset::east_opt(offset_secs)?;
    date.and_time(time)
        .and_local_timezone(offset)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

/// `YYYY-MM-DD` exactly, or `None` to let chrono decide.
pub(crate) fn fast_date(s: &str) -> Option<NaiveDate> {
    if s.len() == 10 {
        ymd(s.as_bytes())
    } else {
        None
    }
}

/// An instant as chrono's serde reads one.
pub(crate) fn instant_from_str<E: Error>(s: &str) -> Result<DateTime<Utc>, E> {
    match fast_instant(s) {
        Some(t) => Ok(t),
        None => s
            .parse::<DateTime<FixedOffset>>()
            .map(|t| t.with_timezone(&Utc))
            .map_err(E::custom),
    }
}

/// A date as chrono's serde reads one.
pub(crate) fn date_from_str<E: Error>(s: &str) -> Result<NaiveDate, E> {
    match fast_date(s) {
        Some(d) => Ok(d),
        None => s.parse::<NaiveDate>().map_err(E::custom),
    }
}

struct InstantVisitor;

impl Visitor<'_> for InstantVisitor {
    type Value = DateTime<Utc>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an RFC 3339 formatted date and time string")
    }
    fn visit_str<E: Error>(self, s: &str) -> Result<DateTime<Utc>, E> {
        instant_from_str(s)
    }
}

struct DateVisitor;

impl Visitor<'_> for DateVisitor {
    type Value = NaiveDate;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a formatted date string")
    }
    fn visit_str<E: Error>(self, s: &str) -> Result<NaiveDate, E> {
        date_from_str(s)
    }
}

/// `#[serde(deserialize_with = "crate::model::wire::instant")]`.
pub(crate) fn instant<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    d.deserialize_str(InstantVisitor)
}

/// `#[serde(deserialize_with = "crate::model::wire::date")]`.
pub(crate) fn date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    d.deserialize_str(DateVisitor)
}

/// An optional instant (`null` or absent is `None`; the field needs `#[serde(default)]`).
pub(crate) fn opt_instant<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<DateTime<Utc>>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<DateTime<Utc>>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an RFC 3339 formatted date and time string or null")
        }
        fn visit_none<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            instant(d).map(Some)
        }
    }
    d.deserialize_option(V)
}

/// An optional date (`null` or absent is `None`; the field needs `#[serde(default)]`).
pub(crate) fn opt_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<NaiveDate>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a formatted date string or null")
        }
        fn visit_none<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            date(d).map(Some)
        }
    }
    d.deserialize_option(V)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn chrono_instant(s: &str) -> Result<DateTime<Utc>, String> {
        s.parse::<DateTime<FixedOffset>>()
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| e.to_string())
    }

    fn ours_instant(s: &str) -> Result<DateTime<Utc>, String> {
        instant_from_str::<serde_json::Error>(s).map_err(|e| e.to_string())
    }

    fn chrono_date(s: &str) -> Result<NaiveDate, String> {
        s.parse::<NaiveDate>().map_err(|e| e.to_string())
    }

    fn ours_date(s: &str) -> Result<NaiveDate, String> {
        date_from_str::<serde_json::Error>(s).map_err(|e| e.to_string())
    }

    #[test]
    fn the_canonical_forms_take_the_fast_path_and_agree_with_chrono() {
        for s in [
            "2026-11-24T20:05:00Z",
            "2026-11-24T20:05:00.5Z",
            "2026-11-24T20:05:00.123456789Z",
            "2026-11-24T14:05:00-06:00",
            "2026-11-25T05:35:00+09:30",
            "0001-01-01T00:00:00Z",
            "9999-12-31T23:59:59+23:59",
            "2024-02-29T12:00:00Z",
        ] {
            assert!(fast_instant(s).is_some(), "{s}");
            assert_eq!(ours_instant(s), chrono_instant(s), "{s}");
        }
        for s in ["2026-11-24", "2024-02-29", "0000-01-01", "9999-12-31"] {
            assert!(fast_date(s).is_some(), "{s}");
            assert_eq!(ours_date(s), chrono_date(s), "{s}");
        }
    }

    #[test]
    fn other_forms_are_chronos_to_judge() {
        for s in [
            "2026-11-24t20:05:00z",
            "2026-11-24 20:05:00Z",
            "2026-11-24T20:05:60Z",
            "2026-11-24T20:05:00.Z",
            "2026-11-24T20:05:00.1234567891Z",
            "2026-11-24T20:05:00+0600",
            "2026-11-24T20:05:00+24:00",
            "2026-11-24T20:05:00",
            "2026-02-30T20:05:00Z",
            "+12026-11-24T20:05:00Z",
            "2026-11-24T20:05Z",
            "",
            "2026-11-24T20:05:00Z ",
        ] {
            assert!(fast_instant(s).is_none(), "{s}");
            assert_eq!(ours_instant(s), chrono_instant(s), "{s}");
        }
        for s in [
            "2026-2-03",
            "2026-02-30",
            "+2026-02-03",
            "2026-02-03 ",
            "20260203",
            "-001-01-01",
        ] {
            assert!(fast_date(s).is_none(), "{s}");
            assert_eq!(ours_date(s), chrono_date(s), "{s}");
        }
    }

    /// Strings built from the canonical form's alphabet, mostly near it.
    fn near_instant() -> impl Strategy<Value = String> {
        let canonical = (
            0_u32..10_000,
            0_u32..14,
            0_u32..33,
            0_u32..25,
            0_u32..61,
            0_u32..62,
            prop::option::of(prop::collection::vec(0_u8..10, 0..11)),
            prop_oneof![
                Just("Z".to_string()),
                Just("z".to_string()),
                (any::<bool>(), 0_u32..26, 0_u32..61).prop_map(|(neg, h, m)| format!(
                    "{}{h:02}:{m:02}",
                    if neg { '-' } else { '+' }
                )),
                Just(String::new()),
            ],
        )
            .prop_map(|(y, mo, d, h, mi, s, frac, off)| {
                let frac = frac.map_or(String::new(), |f| {
                    format!(
                        ".{}",
                        f.iter().map(|x| char::from(b'0' + x)).collect::<String>()
                    )
                });
                format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{frac}{off}")
            });
        prop_oneof![
            4 => canonical.clone(),
            1 => (canonical, any::<prop::sample::Index>(), "[-0-9:+.TZtz ]").prop_map(|(s, i, c)| {
                let mut v: Vec<char> = s.chars().collect();
                let at = i.index(v.len());
                v[at] = c.chars().next().unwrap_or('0');
                v.into_iter().collect()
            }),
            1 => "[-0-9:+.TZ]{0,32}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

        #[test]
        fn an_instant_reads_as_chrono_reads_it(s in near_instant()) {
            prop_assert_eq!(ours_instant(&s), chrono_instant(&s), "{}", s);
        }

        #[test]
        fn a_date_reads_as_chrono_reads_it(
            s in prop_oneof![
                (0_u32..10_000, 0_u32..14, 0_u32..33).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
                "[-+0-9 ]{0,12}",
            ]
        ) {
            prop_assert_eq!(ours_date(&s), chrono_date(&s), "{}", s);
        }

        #[test]
        fn any_instant_written_reads_back(secs in -62_135_596_800_i64..253_402_300_799, nanos in 0_u32..1_000_000_000) {
            let t = DateTime::from_timestamp(secs, nanos).unwrap();
            for s in [t.to_rfc3339(), serde_json::to_string(&t).unwrap().trim_matches('"').to_string()] {
                prop_assert_eq!(fast_instant(&s), Some(t), "{}", s);
            }
        }
    }
}
