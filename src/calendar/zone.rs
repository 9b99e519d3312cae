//! A time zone's offset changes as a sorted table, with the crate's rule for local times
//! that do not exist or happen twice.
//!
//! chrono-tz answers "what is the offset at this instant" but does not list transitions,
//! and the calendar needs them to skip whole weeks without stepping through each day. The
//! table is read off chrono-tz once, when a calendar is built, for instants from
//! [`WINDOW_START`] to [`WINDOW_END`]; outside that window the offset in force at the
//! window's nearest edge applies. All conversions of a calendar go through this table,
//! so its arithmetic is consistent with itself by construction.

use chrono::{DateTime, Offset, TimeZone as _};
use chrono_tz::Tz;

/// 1900-01-01T00:00:00Z.
pub(crate) const WINDOW_START: i64 = -2_208_988_800;
/// 2100-01-01T00:00:00Z.
pub(crate) const WINDOW_END: i64 = 4_102_444_800;
/// Sampling step when reading the table: two changes closer than this that cancel out
/// would be missed. The closest pairs in the IANA database since 1900 are about four
/// days apart (Africa/Freetown in 1939) or just under a week (America/Recife and
/// neighbours in October 2000, Asia/Gaza's predicted Ramadan suspensions), so two days
/// leave a margin of two; a test compares the table with chrono-tz for every zone every
/// 11 hours, so a database update with a closer pair fails the build's tests.
const STEP: i64 = 2 * 86_400;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Transition {
    /// The first UTC second with the new offset.
    pub(crate) at: i64,
    pub(crate) before: i32,
    pub(crate) after: i32,
}

impl Transition {
    /// First local second affected (start of the gap or of the repeated span).
    pub(crate) fn local_lo(&self) -> i64 {
        self.at + i64::from(self.before.min(self.after))
    }
    /// First local second after the affected span.
    pub(crate) fn local_hi(&self) -> i64 {
        self.at + i64::from(self.before.max(self.after))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ZoneRules {
    initial: i32,
    transitions: Vec<Transition>,
    /// The largest offset change, in seconds (0 for a zone with none).
    max_jump: i64,
}

fn offset_of(tz: &Tz, utc: i64) -> i32 {
    match DateTime::from_timestamp(utc, 0) {
        Some(dt) => tz
            .offset_from_utc_datetime(&dt.naive_utc())
            .fix()
            .local_minus_utc(),
        None => 0,
    }
}

impl ZoneRules {
    pub(crate) fn read(tz: &Tz) -> ZoneRules {
        let initial = offset_of(tz, WINDOW_START);
        let mut transitions: Vec<Transition> = Vec::new();
        let mut lo = WINDOW_START;
        let mut lo_off = initial;
        while lo < WINDOW_END {
            let hi = (lo + STEP).min(WINDOW_END);
            let hi_off = offset_of(tz, hi);
            if hi_off == lo_off {
                lo = hi;
                continue;
            }
            // Bisect to the first second with a different offset.
            let (mut a, mut b) = (lo, hi);
            while b - a > 1 {
                let mid = a + (b - a) / 2;
                if offset_of(tz, mid) == lo_off {
                    a = mid;
                } else {
                    b = mid;
                }
            }
            let after = offset_of(tz, b);
            let t = Transition {
                at: b,
                before: lo_off,
                after,
            };
            // Affected local spans are disjoint and increasing in every zone of the
            // database (a test checks them all); the conversion's monotonicity rests on it.
            debug_assert!(
                transitions
                    .last()
                    .is_none_or(|p| p.local_hi() <= t.local_lo())
            );
            transitions.push(t);
            lo = b;
            lo_off = after;
        }
        transitions.retain(|t| t.before != t.after);
        let max_jump = transitions
            .iter()
            .map(|t| (i64::from(t.after) - i64::from(t.before)).abs())
            .max()
            .unwrap_or(0);
        ZoneRules {
            initial,
            transitions,
            max_jump,
        }
    }

    pub(crate) fn transitions(&self) -> &[Transition] {
        &self.transitions
    }

    pub(crate) fn max_jump(&self) -> i64 {
        self.max_jump
    }

    /// The offset (local minus UTC, seconds) in force at a UTC second.
    pub(crate) fn offset_at(&self, utc: i64) -> i32 {
        let i = self.transitions.partition_point(|t| t.at <= utc);
        match i {
            0 => self.initial,
            _ => self.transitions[i - 1].after,
        }
    }

    /// Local second of a UTC second.
    pub(crate) fn to_local(&self, utc: i64) -> i64 {
        utc + i64::from(self.offset_at(utc))
    }

    /// A converter for a stream of non-decreasing local seconds starting at `from`: the
    /// same answers as [`ZoneRules::to_utc`], in constant time between clock changes.
    pub(crate) fn cursor(&self, from: i64) -> Cursor<'_> {
        Cursor {
            rules: self,
            next: self.transitions.partition_point(|t| t.local_lo() <= from),
        }
    }

    /// UTC second of a local second, by the crate's rule: a local time that happens once
    /// maps to that instant; one that happens twice (clocks turned back) maps to its
    /// *earlier* occurrence; one that does not exist (clocks turned forward) maps to the
    /// instant the clocks jumped, the first instant after the gap. The map never
    /// decreases, so a local interval never maps to a reversed one.
    pub(crate) fn to_utc(&self, local: i64) -> i64 {
        let i = self.transitions.partition_point(|t| t.local_lo() <= local);
        if i == 0 {
            return local - i64::from(self.initial);
        }
        let t = self.transitions[i - 1];
        if local < t.local_hi() {
            if t.after > t.before {
                // In the gap.
                t.at
            } else {
                // Repeated: earlier occurrence, under the old offset.
                local - i64::from(t.before)
            }
        } else {
            local - i64::from(t.after)
        }
    }
}

/// See [`ZoneRules::cursor`].
pub(crate) struct Cursor<'a> {
    rules: &'a ZoneRules,
    /// Index of the first transition whose affected span starts after the last local
    /// second converted.
    next: usize,
}

impl Cursor<'_> {
    pub(crate) fn utc_of(&mut self, local: i64) -> i64 {
        let ts = &self.rules.transitions;
        while ts.get(self.next).is_some_and(|t| t.local_lo() <= local) {
            self.next += 1;
        }
        match self.next.checked_sub(1).map(|i| ts[i]) {
            None => local - i64::from(self.rules.initial),
            Some(t) if local >= t.local_hi() => local - i64::from(t.after),
            Some(_) => self.rules.to_utc(local),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table agrees with chrono-tz for every zone of the database, sampled every
    /// 11 hours (drifting across the reading grid) from 1900 to 2100, and its affected local
    /// spans are disjoint and increasing. chrono-tz is built optimized in tests (see
    /// Cargo.toml) so this takes seconds.
    #[test]
    fn every_zone_matches_chrono_tz() {
        let mut checked = 0u64;
        for tz in chrono_tz::TZ_VARIANTS {
            let z = ZoneRules::read(&tz);
            for w in z.transitions().windows(2) {
                assert!(w[0].local_hi() <= w[1].local_lo(), "{tz}: {w:?}");
            }
            let mut t = WINDOW_START + 3 * 3_600;
            while t < WINDOW_END {
                assert_eq!(z.offset_at(t), offset_of(&tz, t), "{tz} at {t}");
                t += 11 * 3_600;
                checked += 1;
            }
        }
        assert!(checked > 50_000_000);
    }

    #[test]
    fn changes_less_than_a_week_apart_are_kept() {
        // America/Recife kept summer time for one week in October 2000.
        let z = ZoneRules::read(&chrono_tz::America::Recife);
        let start = 970_963_200; // 2000-10-08T00:00:00Z
        let n = z
            .transitions()
            .iter()
            .filter(|t| (start..start + 8 * 86_400).contains(&t.at))
            .count();
        assert_eq!(n, 2);
    }

    #[test]
    fn new_york_has_two_changes_a_year() {
        let z = ZoneRules::read(&chrono_tz::America::New_York);
        // 2026-03-08 07:00:00Z (02:00 EST -> 03:00 EDT) and 2026-11-01 06:00:00Z.
        assert!(
            z.transitions()
                .iter()
                .any(|t| t.at == 1_772_953_200 && t.before == -18_000 && t.after == -14_400)
        );
        assert!(
            z.transitions()
                .iter()
                .any(|t| t.at == 1_793_512_800 && t.before == -14_400 && t.after == -18_000)
        );
        assert_eq!(z.max_jump(), 3600);
    }

    #[test]
    fn utc_has_none() {
        let z = ZoneRules::read(&chrono_tz::UTC);
        assert!(z.transitions().is_empty());
        assert_eq!(z.to_utc(12345), 12345);
    }

    #[test]
    fn gap_and_fold_rules() {
        let z = ZoneRules::read(&chrono_tz::America::New_York);
        let spring = 1_772_953_200; // 2026-03-08T07:00Z
        let local_0230 = spring - 18_000 + 1_800; // 02:30 local, does not exist
        assert_eq!(z.to_utc(local_0230), spring);
        let fall = 1_793_512_800; // 2026-11-01T06:00Z, 02:00 EDT -> 01:00 EST
        let local_0130 = fall - 14_400 - 1_800; // 01:30 local, happens twice
        assert_eq!(z.to_utc(local_0130), fall - 1_800, "earlier occurrence");
        // The cursor agrees, and the map is monotone across both.
        let mut c = z.cursor(local_0230 - 7200);
        for l in (local_0230 - 7200..local_0130 + 7200).step_by(97) {
            assert_eq!(c.utc_of(l), z.to_utc(l));
        }
        let mut prev = i64::MIN;
        for l in (local_0230 - 7200..local_0230 + 7200).step_by(60) {
            let u = z.to_utc(l);
            assert!(u >= prev);
            prev = u;
        }
        prev = i64::MIN;
        for l in (local_0130 - 7200..local_0130 + 7200).step_by(60) {
            let u = z.to_utc(l);
            assert!(u >= prev);
            prev = u;
        }
    }
}
