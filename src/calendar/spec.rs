//! The calendar as a host writes it: plain serde data, checked by
//! [`BusinessCalendar::new`](super::BusinessCalendar::new).

use std::fmt;
use std::str::FromStr;

use chrono::{NaiveDate, NaiveDateTime, Weekday};
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, FieldPath};

/// A time of day from `00:00` to `24:00` inclusive, to the second.
///
/// `24:00` is the end of the day, so an interval can run "until midnight". In JSON a time
/// of day is `"HH:MM"` or `"HH:MM:SS"`.
///
/// ```
/// use retention::calendar::TimeOfDay;
/// let t: TimeOfDay = "08:30".parse()?;
/// assert_eq!(t, TimeOfDay::hm(8, 30)?);
/// assert_eq!(t.seconds(), 8 * 3600 + 30 * 60);
/// assert_eq!(TimeOfDay::END_OF_DAY.to_string(), "24:00");
/// assert!("24:01".parse::<TimeOfDay>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(
    feature = "schemars",
    derive(schemars::JsonSchema),
    schemars(
        with = "String",
        extend("pattern" = "^(([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?|24:00(:00)?)$"),
        transform = crate::json_schema::prose_only
    )
)]
pub struct TimeOfDay(u32);

impl TimeOfDay {
    /// `00:00`.
    pub const MIDNIGHT: TimeOfDay = TimeOfDay(0);
    /// `24:00`, the end of the day.
    pub const END_OF_DAY: TimeOfDay = TimeOfDay(86_400);

    /// A time from seconds after midnight (at most 86,400).
    pub fn from_seconds(seconds: u32) -> Result<TimeOfDay, Error> {
        if seconds <= 86_400 {
            Ok(TimeOfDay(seconds))
        } else {
            Err(Error::new(
                ErrorKind::InvalidTimeOfDay,
                FieldPath::root(),
                format!("{seconds} seconds is past 24:00"),
            ))
        }
    }

    /// A time from hours, minutes and seconds; `24:00:00` is the largest.
    pub fn hms(hour: u32, minute: u32, second: u32) -> Result<TimeOfDay, Error> {
        if minute > 59 || second > 59 || hour > 24 {
            return Err(Error::new(
                ErrorKind::InvalidTimeOfDay,
                FieldPath::root(),
                format!("{hour:02}:{minute:02}:{second:02} is not a time of day"),
            ));
        }
        TimeOfDay::from_seconds(hour * 3600 + minute * 60 + second)
    }

    /// A time from hours and minutes.
    pub fn hm(hour: u32, minute: u32) -> Result<TimeOfDay, Error> {
        TimeOfDay::hms(hour, minute, 0)
    }

    /// Seconds after midnight.
    pub fn seconds(self) -> u32 {
        self.0
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (h, m, s) = (self.0 / 3600, self.0 / 60 % 60, self.0 % 60);
        if s == 0 {
            write!(f, "{h:02}:{m:02}")
        } else {
            write!(f, "{h:02}:{m:02}:{s:02}")
        }
    }
}

impl FromStr for TimeOfDay {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            Error::new(
                ErrorKind::InvalidTimeOfDay,
                FieldPath::root(),
                format!("`{s}` is not a time of day (HH:MM or HH:MM:SS, 00:00 to 24:00)"),
            )
        };
        let mut parts = s.split(':');
        let mut next = |required: bool| -> Result<u32, Error> {
            match parts.next() {
                Some(p) if p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()) => {
                    p.parse().map_err(|_| bad())
                }
                None if !required => Ok(0),
                _ => Err(bad()),
            }
        };
        let (h, m, sec) = (next(true)?, next(true)?, next(false)?);
        if parts.next().is_some() {
            return Err(bad());
        }
        TimeOfDay::hms(h, m, sec).map_err(|_| bad())
    }
}

impl Serialize for TimeOfDay {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TimeOfDay {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// One working interval of a weekday: from `start` to `end`, or, when `overnight`, from
/// `start` to `end` on the following day (a night shift from 22:00 to 06:00).
///
/// JSON: `{"start": "08:00", "end": "12:00"}`, `{"start": "22:00", "end": "06:00",
/// "overnight": true}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WorkInterval {
    /// When work starts.
    pub start: TimeOfDay,
    /// When work ends (on the next day if `overnight`).
    pub end: TimeOfDay,
    /// Whether the interval ends on the following day.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub overnight: bool,
}

impl WorkInterval {
    /// An interval within one day.
    pub fn new(start: TimeOfDay, end: TimeOfDay) -> WorkInterval {
        WorkInterval {
            start,
            end,
            overnight: false,
        }
    }

    /// An interval that ends on the following day.
    pub fn overnight(start: TimeOfDay, end: TimeOfDay) -> WorkInterval {
        WorkInterval {
            start,
            end,
            overnight: true,
        }
    }
}

/// Working intervals for each day of the week, in local time. A day left out is closed.
///
/// JSON: `{"monday": [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end":
/// "17:00"}], "friday": [...]}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WeeklySchedule {
    /// Monday's intervals.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub monday: Vec<WorkInterval>,
    /// Tuesday's intervals.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tuesday: Vec<WorkInterval>,
    /// Wednesday's intervals.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wednesday: Vec<WorkInterval>,
    /// Thursday's intervals.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub thursday: Vec<WorkInterval>,
    /// Friday's intervals.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub friday: Vec<WorkInterval>,
    /// Saturday's intervals.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub saturday: Vec<WorkInterval>,
    /// Sunday's intervals.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sunday: Vec<WorkInterval>,
}

/// The JSON name of a weekday (`monday`), as used in [`WeeklySchedule`] and field paths.
pub(crate) fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "monday",
        Weekday::Tue => "tuesday",
        Weekday::Wed => "wednesday",
        Weekday::Thu => "thursday",
        Weekday::Fri => "friday",
        Weekday::Sat => "saturday",
        Weekday::Sun => "sunday",
    }
}

impl WeeklySchedule {
    /// The same intervals every weekday, Monday to Friday; weekends closed.
    ///
    /// ```
    /// use retention::calendar::{TimeOfDay, WeeklySchedule, WorkInterval};
    /// use chrono::Weekday;
    /// let week = WeeklySchedule::weekdays(&[
    ///     WorkInterval::new(TimeOfDay::hm(8, 0)?, TimeOfDay::hm(12, 0)?),
    ///     WorkInterval::new(TimeOfDay::hm(13, 0)?, TimeOfDay::hm(17, 0)?),
    /// ]);
    /// assert_eq!(week.get(Weekday::Wed).len(), 2);
    /// assert!(week.get(Weekday::Sat).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn weekdays(intervals: &[WorkInterval]) -> WeeklySchedule {
        let mut w = WeeklySchedule::default();
        for day in [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ] {
            w.set(day, intervals.to_vec());
        }
        w
    }

    /// The intervals of one weekday.
    pub fn get(&self, day: Weekday) -> &[WorkInterval] {
        match day {
            Weekday::Mon => &self.monday,
            Weekday::Tue => &self.tuesday,
            Weekday::Wed => &self.wednesday,
            Weekday::Thu => &self.thursday,
            Weekday::Fri => &self.friday,
            Weekday::Sat => &self.saturday,
            Weekday::Sun => &self.sunday,
        }
    }

    /// Replaces the intervals of one weekday.
    pub fn set(&mut self, day: Weekday, intervals: Vec<WorkInterval>) {
        let slot = match day {
            Weekday::Mon => &mut self.monday,
            Weekday::Tue => &mut self.tuesday,
            Weekday::Wed => &mut self.wednesday,
            Weekday::Thu => &mut self.thursday,
            Weekday::Fri => &mut self.friday,
            Weekday::Sat => &mut self.saturday,
            Weekday::Sun => &mut self.sunday,
        };
        *slot = intervals;
    }
}

/// A closed period within one holiday, in local time: `from` up to (not including) `until`.
///
/// JSON: `{"from": "2026-12-24T12:00:00", "until": "2026-12-25T00:00:00"}`. Both must lie
/// within the holiday's own date (`until` may be the following midnight).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ClosedPeriod {
    /// First closed local time.
    pub from: NaiveDateTime,
    /// First local time open again.
    pub until: NaiveDateTime,
}

/// A day the business is closed, wholly or (with `closed`) in part.
///
/// A full-day holiday closes its local date from 00:00 to 24:00, including the part of an
/// overnight interval that started the evening before. JSON: `{"date": "2026-12-25",
/// "name": "Christmas Day"}`; a partial one adds `"closed": {"from": ..., "until": ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Holiday {
    /// The local date.
    #[serde(deserialize_with = "crate::model::wire::date")]
    pub date: NaiveDate,
    /// What the day is called, for people.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// For a partial holiday, the closed part of the day; absent means the whole day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Option<ClosedPeriod>,
}

impl Holiday {
    /// A whole-day holiday.
    pub fn full_day(date: NaiveDate, name: impl Into<String>) -> Holiday {
        Holiday {
            date,
            name: name.into(),
            closed: None,
        }
    }

    /// A holiday closed only from `from` until `until` (local times on `date`).
    pub fn partial(
        date: NaiveDate,
        name: impl Into<String>,
        from: NaiveDateTime,
        until: NaiveDateTime,
    ) -> Holiday {
        Holiday {
            date,
            name: name.into(),
            closed: Some(ClosedPeriod { from, until }),
        }
    }
}

/// A one-off working period outside the weekly schedule (a Saturday clinic, a stock-take
/// night), in local time, at most 31 days long. It is open even on a holiday.
///
/// JSON: `{"start": "2026-12-19T09:00:00", "end": "2026-12-19T13:00:00", "name":
/// "Saturday clinic"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ExtraPeriod {
    /// First working local time.
    pub start: NaiveDateTime,
    /// First local time no longer working.
    pub end: NaiveDateTime,
    /// What it is, for people.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
}

/// Everything a business calendar is made of, as plain data; turn it into a
/// [`BusinessCalendar`](super::BusinessCalendar) with
/// [`BusinessCalendar::new`](super::BusinessCalendar::new), which checks it.
///
/// ```
/// use retention::calendar::{BusinessCalendar, CalendarSpec};
/// let spec: CalendarSpec = serde_json::from_str(r#"{
///     "time_zone": "America/Chicago",
///     "weekly": {
///         "monday":    [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}],
///         "tuesday":   [{"start": "08:00", "end": "17:00"}],
///         "saturday":  [{"start": "22:00", "end": "06:00", "overnight": true}]
///     },
///     "holidays": [
///         {"date": "2026-12-25", "name": "Christmas Day"},
///         {"date": "2026-12-24", "name": "Christmas Eve",
///          "closed": {"from": "2026-12-24T12:00:00", "until": "2026-12-25T00:00:00"}}
///     ],
///     "extra_periods": [
///         {"start": "2026-12-19T09:00:00", "end": "2026-12-19T13:00:00", "name": "Saturday clinic"}
///     ]
/// }"#)?;
/// let calendar = BusinessCalendar::new(spec)?;
/// assert_eq!(calendar.time_zone().name(), "America/Chicago");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schemars",
    derive(schemars::JsonSchema),
    schemars(transform = crate::json_schema::prose_only)
)]
#[serde(deny_unknown_fields)]
pub struct CalendarSpec {
    /// IANA time-zone name, such as `Europe/Berlin`. Every local time of the calendar is
    /// in this zone.
    pub time_zone: String,
    /// The regular working week.
    #[serde(default)]
    pub weekly: WeeklySchedule,
    /// Closed days and part-days.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holidays: Vec<Holiday>,
    /// One-off extra working periods.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extra_periods: Vec<ExtraPeriod>,
}

impl CalendarSpec {
    /// A spec in the zone `time_zone` with no working time yet.
    pub fn new(time_zone: impl Into<String>) -> CalendarSpec {
        CalendarSpec {
            time_zone: time_zone.into(),
            weekly: WeeklySchedule::default(),
            holidays: Vec::new(),
            extra_periods: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_of_day_parses_and_prints() {
        assert_eq!("00:00".parse::<TimeOfDay>().unwrap(), TimeOfDay::MIDNIGHT);
        assert_eq!("24:00".parse::<TimeOfDay>().unwrap(), TimeOfDay::END_OF_DAY);
        assert_eq!("07:05:09".parse::<TimeOfDay>().unwrap().seconds(), 25_509);
        assert_eq!(TimeOfDay::hms(7, 5, 9).unwrap().to_string(), "07:05:09");
        for bad in [
            "7:00",
            "24:00:01",
            "12:60",
            "aa:bb",
            "12",
            "12:00:00:00",
            "",
            "-1:00",
        ] {
            let e = bad.parse::<TimeOfDay>().unwrap_err();
            assert_eq!(e.code(), "calendar.invalid_time_of_day", "{bad}");
        }
        assert!(TimeOfDay::from_seconds(86_401).is_err());
    }

    #[test]
    fn weekly_json_rejects_unknown_days() {
        let r: Result<WeeklySchedule, _> = serde_json::from_str(r#"{"mondya": []}"#);
        assert!(r.is_err());
    }
}
