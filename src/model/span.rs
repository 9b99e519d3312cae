//! A length of time in a policy: `{"hours": 24}`, `{"days": 28}`, `{"months": 3}`.

use std::fmt;

use chrono::{Months, NaiveDate, TimeDelta};
use serde::{Deserialize, Serialize};

/// A non-negative length of time as a policy states it: so many calendar months,
/// business days, weeks, days, hours or minutes. In JSON: `{"months": 3}`,
/// `{"business_days": 2}`, `{"weeks": 13}`, `{"days": 28}`, `{"hours": 24}`,
/// `{"minutes": 90}`.
///
/// Weeks, days, hours and minutes are *fixed* lengths ([`fixed_delta`](Self::fixed_delta)):
/// a day here is 24 hours. Months and business days are *calendar* lengths: how long they
/// last depends on where they start. Added to a date
/// ([`BusinessCalendar::add_span`](crate::calendar::BusinessCalendar::add_span)), months
/// are calendar months with the day clamped to the month's end (31 January plus one month
/// is 28 or 29 February), and business days are the business calendar's days open for
/// work. A policy field that needs a fixed length (a callback within 24 hours, a risk
/// window) refuses a calendar length at validation (`model.span_not_fixed`, with the
/// field's path).
///
/// ```
/// use chrono::{NaiveDate, TimeDelta};
/// use retention::model::Span;
///
/// let callback: Span = serde_json::from_str(r#"{"hours": 24}"#)?;
/// assert_eq!(callback, Span::Hours(24));
/// assert_eq!(callback.fixed_delta(), Some(TimeDelta::hours(24)));
/// assert_eq!(callback.to_string(), "24 hours");
/// assert_eq!(Span::Weeks(13).fixed_delta(), Some(TimeDelta::days(91)));
///
/// let quarter: Span = serde_json::from_str(r#"{"months": 3}"#)?;
/// assert_eq!(quarter.fixed_delta(), None);
/// assert_eq!(Span::BusinessDays(2).to_string(), "2 business days");
/// let jan31 = NaiveDate::from_ymd_opt(2027, 1, 31).unwrap();
/// assert_eq!(Span::Months(1).add_to_date(jan31), NaiveDate::from_ymd_opt(2027, 2, 28));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schemars",
    derive(schemars::JsonSchema),
    schemars(transform = crate::json_schema::prose_only)
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Span {
    /// So many calendar months (the same day of a later month, clamped to its end).
    Months(u32),
    /// So many of the business calendar's business days.
    BusinessDays(u32),
    /// So many weeks of 7 days.
    Weeks(u32),
    /// So many days of 24 hours.
    Days(u32),
    /// So many hours.
    Hours(u32),
    /// So many minutes.
    Minutes(u32),
}

impl Span {
    /// The span as a chrono duration when it has a fixed length (weeks, days, hours,
    /// minutes); `None` for months and business days, whose length depends on where they
    /// start. Never overflows: `u32::MAX` weeks fits a `TimeDelta`.
    ///
    /// ```
    /// use chrono::TimeDelta;
    /// use retention::model::Span;
    /// assert_eq!(Span::Days(2).fixed_delta(), Some(TimeDelta::hours(48)));
    /// assert_eq!(Span::BusinessDays(2).fixed_delta(), None);
    /// ```
    pub fn fixed_delta(self) -> Option<TimeDelta> {
        let secs = match self {
            Span::Months(_) | Span::BusinessDays(_) => return None,
            Span::Weeks(n) => i64::from(n) * 7 * 86_400,
            Span::Days(n) => i64::from(n) * 86_400,
            Span::Hours(n) => i64::from(n) * 3_600,
            Span::Minutes(n) => i64::from(n) * 60,
        };
        // At most u32::MAX * 604_800 s, about 8.2e7 years: well inside TimeDelta's range.
        Some(TimeDelta::seconds(secs))
    }

    /// The fixed length of a span a validated policy holds where a fixed length is
    /// needed (validation refuses months and business days there with
    /// `model.span_not_fixed`). Should one reach here anyway, it counts at its shortest:
    /// 28 days a month, one day a business day; never a panic.
    pub(crate) fn length(self) -> TimeDelta {
        match self {
            // u32::MAX months of 28 days is past TimeDelta's range: saturate.
            Span::Months(n) => {
                TimeDelta::try_seconds(i64::from(n) * 28 * 86_400).unwrap_or(TimeDelta::MAX)
            }
            Span::BusinessDays(n) => TimeDelta::seconds(i64::from(n) * 86_400),
            fixed => fixed.fixed_delta().unwrap_or(TimeDelta::zero()),
        }
    }

    /// Whether the span has a fixed length (weeks, days, hours or minutes).
    ///
    /// ```
    /// use retention::model::Span;
    /// assert!(Span::Hours(24).is_fixed() && !Span::Months(1).is_fixed());
    /// ```
    pub fn is_fixed(self) -> bool {
        self.fixed_delta().is_some()
    }

    /// Whether the span is empty.
    ///
    /// ```
    /// use retention::model::Span;
    /// assert!(Span::Months(0).is_zero() && !Span::BusinessDays(1).is_zero());
    /// ```
    pub fn is_zero(self) -> bool {
        self.count() == 0
    }

    /// The span's number, whatever its unit (`{"months": 3}` is 3).
    ///
    /// ```
    /// use retention::model::Span;
    /// assert_eq!(Span::Months(3).count(), 3);
    /// ```
    pub fn count(self) -> u32 {
        match self {
            Span::Months(n)
            | Span::BusinessDays(n)
            | Span::Weeks(n)
            | Span::Days(n)
            | Span::Hours(n)
            | Span::Minutes(n) => n,
        }
    }

    /// The span `k` times over, in the same unit; `None` on overflow.
    ///
    /// ```
    /// use retention::model::Span;
    /// assert_eq!(Span::Months(3).times(4), Some(Span::Months(12)));
    /// assert_eq!(Span::Days(u32::MAX).times(2), None);
    /// ```
    pub fn times(self, k: u32) -> Option<Span> {
        let n = self.count().checked_mul(k)?;
        Some(match self {
            Span::Months(_) => Span::Months(n),
            Span::BusinessDays(_) => Span::BusinessDays(n),
            Span::Weeks(_) => Span::Weeks(n),
            Span::Days(_) => Span::Days(n),
            Span::Hours(_) => Span::Hours(n),
            Span::Minutes(_) => Span::Minutes(n),
        })
    }

    /// The date this span after `date`, for spans that need no business calendar:
    /// months are calendar months (the day clamped to the month's end), fixed spans
    /// count their whole days (36 hours is 1 day). `None` for business days (see
    /// [`BusinessCalendar::add_span`](crate::calendar::BusinessCalendar::add_span)) and
    /// past the end of chrono's dates.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use retention::model::Span;
    /// let d = NaiveDate::from_ymd_opt(2026, 8, 31).unwrap();
    /// assert_eq!(Span::Months(6).add_to_date(d), NaiveDate::from_ymd_opt(2027, 2, 28));
    /// assert_eq!(Span::Weeks(1).add_to_date(d), NaiveDate::from_ymd_opt(2026, 9, 7));
    /// assert_eq!(Span::BusinessDays(1).add_to_date(d), None);
    /// ```
    pub fn add_to_date(self, date: NaiveDate) -> Option<NaiveDate> {
        match self {
            Span::Months(n) => date.checked_add_months(Months::new(n)),
            Span::BusinessDays(_) => None,
            fixed => date.checked_add_signed(TimeDelta::days(fixed.fixed_delta()?.num_days())),
        }
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (n, one, many) = match *self {
            Span::Months(n) => (n, "month", "months"),
            Span::BusinessDays(n) => (n, "business day", "business days"),
            Span::Weeks(n) => (n, "week", "weeks"),
            Span::Days(n) => (n, "day", "days"),
            Span::Hours(n) => (n, "hour", "hours"),
            Span::Minutes(n) => (n, "minute", "minutes"),
        };
        write!(f, "{n} {}", if n == 1 { one } else { many })
    }
}

/// Reads a span as `Some` (for a field whose absence is told apart from its default;
/// `null` is refused, as for a plain span field).
pub(crate) fn some_span<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Span>, D::Error> {
    Span::deserialize(d).map(Some)
}

/// In a policy's JSON object `obj`, renames the count `old` (`"monthly_for_months": 6`)
/// to the span `new` in `unit` (`"monthly_for": {"months": 6}`), unless `new` is given
/// too. A value that is not a count stays under `old`, so reading it names the field the
/// host wrote. For a segment's overlay, laid over a policy written with the new names:
/// there an old name must still change the field.
pub(crate) fn upgrade_old_count(obj: &mut serde_json::Value, old: &str, new: &str, unit: &str) {
    let Some(obj) = obj.as_object_mut() else {
        return;
    };
    let count = obj
        .get(old)
        .and_then(|v| v.as_u64())
        .filter(|n| u32::try_from(*n).is_ok());
    if let (Some(n), false) = (count, obj.contains_key(new)) {
        obj.remove(old);
        let mut span = serde_json::Map::new();
        span.insert(unit.to_string(), n.into());
        obj.insert(new.to_string(), span.into());
    }
}

/// Pushes `model.span_not_fixed` at `path` when `span` is months or business days in a
/// field that needs a fixed length.
pub(crate) fn check_fixed(
    span: Span,
    path: crate::error::FieldPath,
    p: &mut crate::error::Problems,
) {
    if !span.is_fixed() {
        p.push(
            crate::error::ErrorKind::SpanNotFixed,
            path,
            format!("{span} has no fixed length here: give weeks, days, hours or minutes"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_span_fits_a_time_delta() {
        assert_eq!(
            Span::Weeks(u32::MAX).fixed_delta().map(|d| d.num_seconds()),
            Some(i64::from(u32::MAX) * 604_800)
        );
        assert!(Span::Minutes(0).is_zero());
        assert!(!Span::Days(1).is_zero());
        assert_eq!(Span::Days(1).to_string(), "1 day");
        assert_eq!(Span::Months(u32::MAX).length(), TimeDelta::MAX);
        assert_eq!(Span::Months(2).length(), TimeDelta::days(56));
        assert_eq!(
            Span::BusinessDays(u32::MAX).length(),
            TimeDelta::days(i64::from(u32::MAX))
        );
    }

    #[test]
    fn months_clamp_to_the_end_of_the_month() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            Span::Months(1).add_to_date(d(2028, 1, 31)),
            Some(d(2028, 2, 29))
        );
        assert_eq!(
            Span::Months(12).add_to_date(d(2028, 2, 29)),
            Some(d(2029, 2, 28))
        );
        assert_eq!(
            Span::Hours(36).add_to_date(d(2028, 1, 31)),
            Some(d(2028, 2, 1))
        );
        assert_eq!(Span::Months(u32::MAX).add_to_date(d(2028, 1, 31)), None);
    }

    #[test]
    fn json_shape_is_one_keyed_number() {
        assert_eq!(
            serde_json::to_string(&Span::Days(28)).unwrap(),
            r#"{"days":28}"#
        );
        assert_eq!(
            serde_json::from_str::<Span>(r#"{"business_days":2}"#).unwrap(),
            Span::BusinessDays(2)
        );
        assert_eq!(
            serde_json::from_str::<Span>(r#"{"months":6}"#).unwrap(),
            Span::Months(6)
        );
        assert!(serde_json::from_str::<Span>(r#"{"days":-1}"#).is_err());
        assert!(serde_json::from_str::<Span>(r#"{"fortnights":2}"#).is_err());
        assert!(serde_json::from_str::<Span>(r#"{"days":1,"hours":2}"#).is_err());
    }
}
