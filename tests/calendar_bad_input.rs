//! Every kind of unusable calendar input gets a clear `Err` with a stable code and the
//! path of the offending field, never a panic.

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use retention::calendar::{
    BusinessCalendar, CalendarSpec, ExtraPeriod, Holiday, TimeOfDay, WeeklySchedule, WorkInterval,
};

fn t(h: u32, m: u32) -> TimeOfDay {
    TimeOfDay::hm(h, m).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn weekdays_nine_to_five() -> CalendarSpec {
    let mut spec = CalendarSpec::new("Europe/London");
    spec.weekly = WeeklySchedule::weekdays(&[WorkInterval::new(t(9, 0), t(17, 0))]);
    spec
}

/// The (code, path) of every problem in the error.
fn problems(spec: CalendarSpec) -> Vec<(String, String)> {
    BusinessCalendar::new(spec)
        .unwrap_err()
        .problems()
        .iter()
        .map(|p| (p.code().to_string(), p.path().to_string()))
        .collect()
}

fn one(code: &str, path: &str) -> Vec<(String, String)> {
    vec![(code.to_string(), path.to_string())]
}

#[test]
fn an_interval_that_ends_before_it_starts_is_refused_unless_overnight() {
    let mut spec = weekdays_nine_to_five();
    spec.weekly.tuesday = vec![
        WorkInterval::new(t(8, 0), t(9, 0)),
        WorkInterval::new(t(17, 0), t(9, 0)),
    ];
    assert_eq!(
        problems(spec.clone()),
        one("calendar.interval_reversed", "weekly.tuesday[1]")
    );
    spec.weekly.tuesday[1].overnight = true;
    spec.weekly.tuesday.remove(0);
    spec.weekly.wednesday.clear();
    assert!(BusinessCalendar::new(spec).is_ok());
}

#[test]
fn an_empty_interval_is_reversed() {
    let mut spec = weekdays_nine_to_five();
    spec.weekly.friday = vec![WorkInterval::new(t(9, 0), t(9, 0))];
    assert_eq!(
        problems(spec),
        one("calendar.interval_reversed", "weekly.friday[0]")
    );
}

#[test]
fn an_overnight_interval_longer_than_a_day_is_refused() {
    let mut spec = weekdays_nine_to_five();
    spec.weekly.saturday = vec![WorkInterval::overnight(t(9, 0), t(10, 0))];
    assert_eq!(
        problems(spec),
        one("calendar.interval_too_long", "weekly.saturday[0]")
    );
}

#[test]
fn overlapping_intervals_are_refused() {
    let mut spec = weekdays_nine_to_five();
    spec.weekly
        .monday
        .push(WorkInterval::new(t(16, 0), t(18, 0)));
    assert_eq!(
        problems(spec),
        one("calendar.intervals_overlap", "weekly.monday[1]")
    );
}

#[test]
fn a_sunday_night_shift_overlapping_monday_morning_is_refused() {
    let mut spec = weekdays_nine_to_five();
    spec.weekly.sunday = vec![WorkInterval::overnight(t(22, 0), t(9, 30))];
    assert_eq!(
        problems(spec),
        one("calendar.intervals_overlap", "weekly.monday[0]")
    );
}

#[test]
fn an_unknown_time_zone_is_refused() {
    let mut spec = weekdays_nine_to_five();
    spec.time_zone = "America/Gotham".into();
    assert_eq!(
        problems(spec),
        one("calendar.unknown_time_zone", "time_zone")
    );
}

#[test]
fn a_partial_holiday_outside_its_day_is_refused() {
    let mut spec = weekdays_nine_to_five();
    let day = date(2026, 12, 24);
    // Starts the evening before.
    spec.holidays.push(Holiday::partial(
        day,
        "Christmas Eve",
        date(2026, 12, 23).and_hms_opt(18, 0, 0).unwrap(),
        day.and_hms_opt(12, 0, 0).unwrap(),
    ));
    // Runs past the following midnight.
    spec.holidays.push(Holiday::partial(
        day,
        "Christmas Eve",
        day.and_hms_opt(12, 0, 0).unwrap(),
        date(2026, 12, 25).and_hms_opt(0, 0, 1).unwrap(),
    ));
    // Empty.
    spec.holidays.push(Holiday::partial(
        day,
        "Christmas Eve",
        day.and_hms_opt(12, 0, 0).unwrap(),
        day.and_hms_opt(12, 0, 0).unwrap(),
    ));
    // Ending at the following midnight is fine.
    spec.holidays.push(Holiday::partial(
        day,
        "Christmas Eve",
        day.and_hms_opt(12, 0, 0).unwrap(),
        date(2026, 12, 25).and_hms_opt(0, 0, 0).unwrap(),
    ));
    assert_eq!(
        problems(spec),
        vec![
            (
                "calendar.holiday_outside_day".to_string(),
                "holidays[0].closed".to_string()
            ),
            (
                "calendar.holiday_outside_day".to_string(),
                "holidays[1].closed".to_string()
            ),
            (
                "calendar.holiday_outside_day".to_string(),
                "holidays[2].closed".to_string()
            ),
        ]
    );
}

#[test]
fn a_calendar_with_no_open_time_is_refused_when_built() {
    let spec = CalendarSpec::new("Asia/Tokyo");
    assert_eq!(problems(spec), one("calendar.no_working_time", ""));
}

#[test]
fn a_calendar_whose_only_hour_the_clock_skips_is_refused_when_built() {
    let mut spec = CalendarSpec::new("America/New_York");
    spec.extra_periods.push(ExtraPeriod {
        start: date(2026, 3, 8).and_hms_opt(2, 0, 0).unwrap(),
        end: date(2026, 3, 8).and_hms_opt(3, 0, 0).unwrap(),
        name: "the hour that never was".into(),
    });
    assert_eq!(problems(spec), one("calendar.no_working_time", ""));
}

#[test]
fn extra_periods_must_run_forwards_and_stay_short() {
    let mut spec = weekdays_nine_to_five();
    let d = date(2026, 12, 19);
    spec.extra_periods.push(ExtraPeriod {
        start: d.and_hms_opt(13, 0, 0).unwrap(),
        end: d.and_hms_opt(9, 0, 0).unwrap(),
        name: String::new(),
    });
    spec.extra_periods.push(ExtraPeriod {
        start: d.and_hms_opt(9, 0, 0).unwrap(),
        end: date(2027, 3, 1).and_hms_opt(9, 0, 0).unwrap(),
        name: String::new(),
    });
    assert_eq!(
        problems(spec),
        vec![
            (
                "calendar.extra_period_reversed".to_string(),
                "extra_periods[0]".to_string()
            ),
            (
                "calendar.extra_period_too_long".to_string(),
                "extra_periods[1]".to_string()
            ),
        ]
    );
}

#[test]
fn a_date_out_of_chronos_range_is_refused() {
    let mut spec = weekdays_nine_to_five();
    spec.holidays
        .push(Holiday::full_day(NaiveDate::MAX, "the end"));
    spec.holidays
        .push(Holiday::full_day(NaiveDate::MIN, "the start"));
    assert_eq!(
        problems(spec),
        vec![
            (
                "calendar.date_out_of_range".to_string(),
                "holidays[0].date".to_string()
            ),
            (
                "calendar.date_out_of_range".to_string(),
                "holidays[1].date".to_string()
            ),
        ]
    );
}

#[test]
fn operations_near_chronos_limits_return_errors_not_panics() {
    let cal = BusinessCalendar::new(weekdays_nine_to_five()).unwrap();
    let far = DateTime::<Utc>::MAX_UTC;
    assert_eq!(
        cal.is_open(far).unwrap_err().code(),
        "calendar.date_out_of_range"
    );
    assert_eq!(
        cal.is_open(DateTime::<Utc>::MIN_UTC)
            .unwrap_err()
            .path()
            .as_str(),
        "at"
    );
    assert_eq!(
        cal.next_opening(far).unwrap_err().code(),
        "calendar.date_out_of_range"
    );
    assert_eq!(
        cal.business_duration_between(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(), far)
            .unwrap_err()
            .path()
            .as_str(),
        "to"
    );
    assert_eq!(
        cal.is_business_day(NaiveDate::MAX).unwrap_err().code(),
        "calendar.date_out_of_range"
    );
    let start = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    // Adding more working time than fits before chrono's last year.
    let err = cal
        .add_business_duration(start, TimeDelta::MAX)
        .unwrap_err();
    assert_eq!(err.code(), "calendar.date_out_of_range");
    let err = cal
        .add_business_days(NaiveDate::MAX - TimeDelta::days(30), 40)
        .unwrap_err();
    assert_eq!(err.code(), "calendar.date_out_of_range");
    // Four billion business days are 16 million years: out of range, quickly.
    let err = cal
        .add_business_days(date(2026, 11, 23), u32::MAX)
        .unwrap_err();
    assert_eq!(err.code(), "calendar.date_out_of_range");
}

#[test]
fn a_negative_duration_is_refused() {
    let cal = BusinessCalendar::new(weekdays_nine_to_five()).unwrap();
    let start = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    let err = cal
        .add_business_duration(start, TimeDelta::seconds(-1))
        .unwrap_err();
    assert_eq!(
        (err.code(), err.path().as_str()),
        ("calendar.negative_duration", "duration")
    );
}

#[test]
fn every_problem_is_reported_at_once() {
    let mut spec = weekdays_nine_to_five();
    spec.time_zone = "Nowhere/Special".into();
    spec.weekly.monday = vec![WorkInterval::new(t(12, 0), t(8, 0))];
    spec.weekly
        .tuesday
        .push(WorkInterval::new(t(10, 0), t(11, 0)));
    spec.holidays.push(Holiday::partial(
        date(2026, 1, 1),
        "",
        date(2026, 1, 2).and_hms_opt(9, 0, 0).unwrap(),
        date(2026, 1, 2).and_hms_opt(10, 0, 0).unwrap(),
    ));
    let found = problems(spec);
    let codes: Vec<&str> = found.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(
        codes,
        [
            "calendar.unknown_time_zone",
            "calendar.interval_reversed",
            "calendar.intervals_overlap",
            "calendar.holiday_outside_day"
        ]
    );
}

#[test]
fn a_calendar_of_extra_periods_only_runs_out_with_an_error() {
    let mut spec = CalendarSpec::new("UTC");
    spec.extra_periods.push(ExtraPeriod {
        start: date(2026, 12, 19).and_hms_opt(9, 0, 0).unwrap(),
        end: date(2026, 12, 19).and_hms_opt(13, 0, 0).unwrap(),
        name: "the only day".into(),
    });
    let cal = BusinessCalendar::new(spec).unwrap();
    let before = Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap();
    assert_eq!(
        cal.add_business_duration(before, TimeDelta::hours(4))
            .unwrap(),
        Utc.with_ymd_and_hms(2026, 12, 19, 13, 0, 0).unwrap()
    );
    assert_eq!(
        cal.add_business_duration(before, TimeDelta::hours(5))
            .unwrap_err()
            .code(),
        "calendar.exhausted"
    );
    let after = Utc.with_ymd_and_hms(2026, 12, 20, 0, 0, 0).unwrap();
    assert_eq!(cal.next_opening(after).unwrap(), None);
    assert_eq!(
        cal.next_business_day(date(2026, 12, 1)).unwrap(),
        date(2026, 12, 19)
    );
    assert_eq!(
        cal.add_business_days(date(2026, 12, 1), 2)
            .unwrap_err()
            .code(),
        "calendar.exhausted"
    );
}

#[test]
fn a_bad_time_of_day_in_json_names_its_code() {
    let json =
        r#"{"time_zone": "UTC", "weekly": {"monday": [{"start": "09:00", "end": "25:00"}]}}"#;
    let err = serde_json::from_str::<CalendarSpec>(json).unwrap_err();
    assert!(
        err.to_string().contains("calendar.invalid_time_of_day"),
        "{err}"
    );
}

#[test]
fn a_misspelt_field_in_a_calendar_is_refused_not_ignored() {
    let json = r#"{"time_zone": "UTC", "weekly": {"monday": [{"start": "09:00", "end": "17:00"}]}, "holiday": []}"#;
    let err = serde_json::from_str::<CalendarSpec>(json).unwrap_err();
    assert!(err.to_string().contains("unknown field `holiday`"), "{err}");
}

#[test]
fn an_empty_overnight_interval_is_refused() {
    let mut spec = weekdays_nine_to_five();
    spec.weekly.saturday = vec![WorkInterval::overnight(
        TimeOfDay::END_OF_DAY,
        TimeOfDay::MIDNIGHT,
    )];
    assert_eq!(
        problems(spec),
        one("calendar.interval_reversed", "weekly.saturday[0]")
    );
}

#[test]
fn an_extra_period_past_the_range_names_its_end() {
    let mut spec = weekdays_nine_to_five();
    spec.extra_periods.push(ExtraPeriod {
        start: NaiveDate::MAX.and_hms_opt(0, 0, 0).unwrap(),
        end: NaiveDate::MAX.and_hms_opt(8, 0, 0).unwrap(),
        name: String::new(),
    });
    assert_eq!(
        problems(spec),
        one("calendar.date_out_of_range", "extra_periods[0].start")
    );
}

#[test]
fn errors_name_the_argument_that_caused_them() {
    let cal = BusinessCalendar::new(weekdays_nine_to_five()).unwrap();
    let start = Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap();
    // `to` is out of range and earlier than `from`: still `to`.
    let err = cal
        .business_duration_between(start, DateTime::<Utc>::MIN_UTC)
        .unwrap_err();
    assert_eq!(err.path().as_str(), "to");
    let err = cal
        .add_business_days(date(2026, 11, 23), u32::MAX)
        .unwrap_err();
    assert_eq!(err.path().as_str(), "n");
}

#[test]
fn every_date_returned_near_the_end_of_the_range_can_be_used_again() {
    let cal = BusinessCalendar::new(weekdays_nine_to_five()).unwrap();
    // Walk back from chrono's last date to the last one the calendar accepts.
    let mut last = NaiveDate::MAX;
    while cal.is_business_day(last).is_err() {
        last = last.pred_opt().unwrap();
    }
    let from = last - TimeDelta::days(20);
    for n in 0..30 {
        match cal.add_business_days(from, n) {
            Ok(d) => {
                assert!(cal.is_business_day(d).is_ok(), "{d}");
                assert!(cal.add_business_days(d, 0).is_ok(), "{d}");
            }
            Err(e) => assert_eq!(
                (e.code(), e.path().as_str()),
                ("calendar.date_out_of_range", "n")
            ),
        }
    }
}
