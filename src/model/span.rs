//! A length of time in a policy: `{"hours": 24}`, `{"days": 28}`.

use std::fmt;

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};

/// A non-negative length of time as a policy states it: so many weeks, days, hours or
/// minutes. In JSON: `{"weeks": 13}`, `{"days": 28}`, `{"hours": 24}`, `{"minutes": 90}`.
///
/// A span is only a length. Whether it is counted in calendar time or in the business's
/// working time (see [`BusinessCalendar::add_business_duration`]) is the policy's choice
/// and is stated beside the span. A day here is 24 hours; policies that mean "the same
/// time on a later date" say so with dates, not spans.
///
/// [`BusinessCalendar::add_business_duration`]: crate::calendar::BusinessCalendar::add_business_duration
///
/// ```
/// use chrono::TimeDelta;
/// use retention::model::Span;
///
/// let callback: Span = serde_json::from_str(r#"{"hours": 24}"#)?;
/// assert_eq!(callback, Span::Hours(24));
/// assert_eq!(callback.to_delta(), TimeDelta::hours(24));
/// assert_eq!(callback.to_string(), "24 hours");
/// assert_eq!(Span::Weeks(13).to_delta(), TimeDelta::days(91));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schemars",
    derive(schemars::JsonSchema),
    schemars(transform = crate::json_schema::prose_only)
)]
#[serde(rename_all = "snake_case")]
pub enum Span {
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
    /// The span as a chrono duration. Never fails: `u32::MAX` weeks fits a `TimeDelta`.
    pub fn to_delta(self) -> TimeDelta {
        let secs = match self {
            Span::Weeks(n) => i64::from(n) * 7 * 86_400,
            Span::Days(n) => i64::from(n) * 86_400,
            Span::Hours(n) => i64::from(n) * 3_600,
            Span::Minutes(n) => i64::from(n) * 60,
        };
        // At most u32::MAX * 604_800 s, about 8.2e7 years: well inside TimeDelta's range.
        TimeDelta::seconds(secs)
    }

    /// Whether the span is empty.
    pub fn is_zero(self) -> bool {
        matches!(
            self,
            Span::Weeks(0) | Span::Days(0) | Span::Hours(0) | Span::Minutes(0)
        )
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (n, one, many) = match *self {
            Span::Weeks(n) => (n, "week", "weeks"),
            Span::Days(n) => (n, "day", "days"),
            Span::Hours(n) => (n, "hour", "hours"),
            Span::Minutes(n) => (n, "minute", "minutes"),
        };
        write!(f, "{n} {}", if n == 1 { one } else { many })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_span_fits_a_time_delta() {
        assert_eq!(
            Span::Weeks(u32::MAX).to_delta().num_seconds(),
            i64::from(u32::MAX) * 604_800
        );
        assert!(Span::Minutes(0).is_zero());
        assert!(!Span::Days(1).is_zero());
        assert_eq!(Span::Days(1).to_string(), "1 day");
    }

    #[test]
    fn json_shape_is_one_keyed_number() {
        assert_eq!(
            serde_json::to_string(&Span::Days(28)).unwrap(),
            r#"{"days":28}"#
        );
        assert!(serde_json::from_str::<Span>(r#"{"days":-1}"#).is_err());
        assert!(serde_json::from_str::<Span>(r#"{"fortnights":2}"#).is_err());
        assert!(serde_json::from_str::<Span>(r#"{"days":1,"hours":2}"#).is_err());
    }
}
