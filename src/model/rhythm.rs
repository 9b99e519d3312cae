//! The customer's own rhythm of contact (K1): one computation that the cadence planner's
//! quiet-customer escalation and the risk engine's silence signal both use, so the two
//! engines agree about the same customer.

use chrono::TimeDelta;

/// How a customer's usual gap between contacts is read from their history, and when
/// their silence becomes quiet (K1).
///
/// A customer's contacts are the interactions in which they spoke: an inbound message
/// or a live conversation. With at least `min_contacts` of them, their usual gap is the
/// mean gap between the first and the last (never below `floor`); with fewer, it
/// is `unknown`. A customer is quiet when the days since their last word exceed
/// `quiet_at` times the usual gap; a new customer (known for less than
/// `cold_start`, counted in whole days) with too few contacts for a rhythm is never
/// quiet against one.
///
/// The risk policy holds these numbers (`rhythm_min_contacts`, `rhythm_unknown`,
/// `rhythm_floor`, `silence_starts_at`, `cold_start`); the daily desk gives the planner
/// the risk policy's rhythm, so an annual buyer is neither escalated nor flagged after
/// 60 days.
///
/// ```
/// use retention::model::Rhythm;
///
/// let rhythm = Rhythm::default();
/// const DAY: i64 = 86_400;
/// // Five yearly visits: a usual gap of a year.
/// let gap = rhythm.usual_gap_days(5, 0, 4 * 365 * DAY, 3000).unwrap();
/// assert_eq!((gap.days, gap.own), (365.0, true));
/// assert!(!rhythm.is_quiet(200, Some(gap)));
/// // A customer with two contacts has no rhythm of their own: 90 days are assumed...
/// let gap = rhythm.usual_gap_days(2, 0, 30 * DAY, 400).unwrap();
/// assert_eq!((gap.days, gap.own), (90.0, false));
/// assert!(rhythm.is_quiet(140, Some(gap)));
/// // ...unless they are new: no quiet against a rhythm they do not have yet.
/// assert_eq!(rhythm.usual_gap_days(2, 0, 30 * DAY, 40), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rhythm {
    /// Contacts needed before a customer's own rhythm is trusted (default 3).
    pub min_contacts: u32,
    /// The usual gap assumed without a rhythm of their own (default 90 days).
    pub unknown: TimeDelta,
    /// The shortest usual gap (default 7 days).
    pub floor: TimeDelta,
    /// Silence of more than this many usual gaps makes a customer quiet (default 1.5).
    pub quiet_at: f64,
    /// How long a new customer without a rhythm is not judged against one (default 90
    /// days; counted in whole days).
    pub cold_start: TimeDelta,
}

impl Default for Rhythm {
    fn default() -> Self {
        Rhythm {
            min_contacts: 3,
            unknown: TimeDelta::days(90),
            floor: TimeDelta::days(7),
            quiet_at: 1.5,
            cold_start: TimeDelta::days(90),
        }
    }
}

/// A duration in days, fractions kept.
fn in_days(d: TimeDelta) -> f64 {
    d.num_seconds() as f64 / 86_400.0
}

/// A customer's usual gap between contacts, and whether it is their own.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UsualGap {
    /// The usual gap in days.
    pub days: f64,
    /// Whether it is read from their own contacts (else it is the assumed one).
    pub own: bool,
}

impl Rhythm {
    /// The usual gap of a customer with `contacts` contacts, the first and last at
    /// these Unix seconds, known for `known_days`; `None` in the cold start (a new
    /// customer without a rhythm of their own).
    pub fn usual_gap_days(
        &self,
        contacts: u32,
        first: i64,
        last: i64,
        known_days: i64,
    ) -> Option<UsualGap> {
        let own = contacts >= self.min_contacts.max(2);
        if !own && known_days < self.cold_start.num_days() {
            return None;
        }
        let floor = in_days(self.floor);
        let days = if own {
            let gap = (last.saturating_sub(first)) as f64 / f64::from(contacts - 1) / 86_400.0;
            gap.max(floor)
        } else {
            in_days(self.unknown).max(floor)
        };
        Some(UsualGap { days, own })
    }

    /// Whether `silent_days` of silence make a customer with this usual gap quiet.
    pub fn is_quiet(&self, silent_days: i64, gap: Option<UsualGap>) -> bool {
        gap.is_some_and(|g| silent_days as f64 / g.days > self.quiet_at)
    }

    /// The whole days of silence a customer with this usual gap may keep before they are
    /// quiet (`quiet_at` times the gap, rounded down; saturating): where the planner's
    /// escalation ladder starts counting. `None` in the cold start.
    ///
    /// ```
    /// use retention::model::{Rhythm, UsualGap};
    ///
    /// let r = Rhythm::default(); // quiet at 1.5 times the usual gap
    /// let monthly = r.usual_gap_days(5, 0, 4 * 30 * 86_400, 400);
    /// assert_eq!(r.quiet_after_days(monthly), Some(45));
    /// assert!(!r.is_quiet(45, monthly) && r.is_quiet(46, monthly));
    /// assert_eq!(r.quiet_after_days(None), None);
    /// ```
    pub fn quiet_after_days(&self, gap: Option<UsualGap>) -> Option<i64> {
        // A float-to-integer `as` saturates (and gives 0 for NaN): never a panic.
        gap.map(|g| (self.quiet_at * g.days).floor() as i64)
    }
}
