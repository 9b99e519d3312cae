//! The business calendar as a service business uses it: callbacks due in working hours,
//! follow-ups due in business days, holidays, night shifts and clock changes.

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use chrono_tz::Tz;
use retention::calendar::{
    BusinessCalendar, CalendarSpec, ExtraPeriod, Holiday, TimeOfDay, WeeklySchedule, WorkInterval,
};

fn t(h: u32, m: u32) -> TimeOfDay {
    TimeOfDay::hm(h, m).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A local wall-clock time in `zone` that exists once.
fn at(zone: Tz, y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    zone.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .expect("unambiguous local time")
        .with_timezone(&Utc)
}

/// An HVAC shop in New York: weekdays 08:00-12:00 and 13:00-17:00.
fn shop() -> CalendarSpec {
    let mut spec = CalendarSpec::new("America/New_York");
    spec.weekly = WeeklySchedule::weekdays(&[
        WorkInterval::new(t(8, 0), t(12, 0)),
        WorkInterval::new(t(13, 0), t(17, 0)),
    ]);
    spec
}

const NY: Tz = chrono_tz::America::New_York;
const BERLIN: Tz = chrono_tz::Europe::Berlin;

#[test]
fn two_working_hours_from_eleven_skip_the_lunch_break() {
    let cal = BusinessCalendar::new(shop()).unwrap();
    let asked = at(NY, 2026, 11, 23, 11, 0);
    assert_eq!(
        cal.add_business_duration(asked, TimeDelta::hours(2))
            .unwrap(),
        at(NY, 2026, 11, 23, 14, 0)
    );
}

#[test]
fn a_friday_afternoon_voicemail_with_a_one_business_day_callback_is_due_monday_afternoon() {
    let cal = BusinessCalendar::new(shop()).unwrap();
    let left = at(NY, 2026, 11, 20, 15, 30);
    let due = cal
        .add_business_duration(left, TimeDelta::hours(8))
        .unwrap();
    assert_eq!(due, at(NY, 2026, 11, 23, 15, 30));
    assert_eq!(
        cal.business_duration_between(left, due).unwrap(),
        TimeDelta::hours(8)
    );
}

#[test]
fn eight_hours_from_the_opening_bell_end_at_closing_not_next_morning() {
    let cal = BusinessCalendar::new(shop()).unwrap();
    let open = at(NY, 2026, 11, 23, 8, 0);
    assert_eq!(
        cal.add_business_duration(open, TimeDelta::hours(8))
            .unwrap(),
        at(NY, 2026, 11, 23, 17, 0)
    );
}

#[test]
fn a_request_made_at_night_starts_counting_at_the_next_opening() {
    let cal = BusinessCalendar::new(shop()).unwrap();
    let night = at(NY, 2026, 11, 23, 22, 0);
    assert!(!cal.is_open(night).unwrap());
    assert_eq!(
        cal.next_opening(night).unwrap(),
        Some(at(NY, 2026, 11, 24, 8, 0))
    );
    assert_eq!(
        cal.add_business_duration(night, TimeDelta::minutes(30))
            .unwrap(),
        at(NY, 2026, 11, 24, 8, 30)
    );
}

#[test]
fn christmas_eve_closes_at_noon_and_christmas_day_is_closed() {
    let mut spec = shop();
    let eve = date(2026, 12, 24);
    spec.holidays.push(Holiday::partial(
        eve,
        "Christmas Eve",
        eve.and_hms_opt(12, 0, 0).unwrap(),
        date(2026, 12, 25).and_hms_opt(0, 0, 0).unwrap(),
    ));
    spec.holidays
        .push(Holiday::full_day(date(2026, 12, 25), "Christmas Day"));
    let cal = BusinessCalendar::new(spec).unwrap();
    // Thursday 10:00 plus 4 hours: 10:00-12:00 Thursday, Friday closed, weekend,
    // 08:00-10:00 Monday.
    let asked = at(NY, 2026, 12, 24, 10, 0);
    assert_eq!(
        cal.add_business_duration(asked, TimeDelta::hours(4))
            .unwrap(),
        at(NY, 2026, 12, 28, 10, 0)
    );
    assert!(!cal.is_open(at(NY, 2026, 12, 24, 14, 0)).unwrap());
    assert!(cal.is_business_day(eve).unwrap(), "open in the morning");
    assert!(!cal.is_business_day(date(2026, 12, 25)).unwrap());
    assert_eq!(cal.next_business_day(eve).unwrap(), date(2026, 12, 28));
}

#[test]
fn an_extra_period_opens_even_on_a_holiday() {
    let mut spec = shop();
    spec.holidays
        .push(Holiday::full_day(date(2026, 12, 25), "Christmas Day"));
    spec.extra_periods.push(ExtraPeriod {
        start: date(2026, 12, 25).and_hms_opt(9, 0, 0).unwrap(),
        end: date(2026, 12, 25).and_hms_opt(11, 0, 0).unwrap(),
        name: "Emergency desk".into(),
    });
    let cal = BusinessCalendar::new(spec).unwrap();
    assert!(cal.is_open(at(NY, 2026, 12, 25, 10, 0)).unwrap());
    assert!(!cal.is_open(at(NY, 2026, 12, 25, 12, 0)).unwrap());
    assert!(cal.is_business_day(date(2026, 12, 25)).unwrap());
}

#[test]
fn a_saturday_clinic_makes_saturday_a_business_day() {
    let mut spec = shop();
    spec.extra_periods.push(ExtraPeriod {
        start: date(2026, 12, 19).and_hms_opt(9, 0, 0).unwrap(),
        end: date(2026, 12, 19).and_hms_opt(13, 0, 0).unwrap(),
        name: "Saturday clinic".into(),
    });
    let cal = BusinessCalendar::new(spec).unwrap();
    assert_eq!(
        cal.next_business_day(date(2026, 12, 18)).unwrap(),
        date(2026, 12, 19)
    );
    assert_eq!(
        cal.add_business_days(date(2026, 12, 18), 2).unwrap(),
        date(2026, 12, 21)
    );
}

#[test]
fn two_business_days_after_friday_is_tuesday() {
    let cal = BusinessCalendar::new(shop()).unwrap();
    let friday = date(2026, 11, 20);
    assert_eq!(cal.add_business_days(friday, 0).unwrap(), friday);
    assert_eq!(
        cal.add_business_days(friday, 2).unwrap(),
        date(2026, 11, 24)
    );
    assert!(!cal.is_business_day(date(2026, 11, 21)).unwrap());
}

#[test]
fn a_thousand_business_days_are_four_years_of_weekdays() {
    let cal = BusinessCalendar::new(shop()).unwrap();
    // 1000 weekdays = 200 weeks exactly.
    let monday = date(2026, 11, 23);
    assert_eq!(
        cal.add_business_days(monday, 1000).unwrap(),
        monday + TimeDelta::weeks(200)
    );
}

#[test]
fn two_thousand_business_hours_are_fifty_forty_hour_weeks_across_two_clock_changes() {
    let cal = BusinessCalendar::new(shop()).unwrap();
    let monday = at(NY, 2026, 11, 23, 8, 0);
    let due = cal
        .add_business_duration(monday, TimeDelta::hours(2000))
        .unwrap();
    // 50 weeks later, the Friday's 17:00 (wall clock, whatever the offset then).
    assert_eq!(due, at(NY, 2027, 11, 5, 17, 0));
    assert_eq!(
        cal.business_duration_between(monday, due).unwrap(),
        TimeDelta::hours(2000)
    );
    assert_eq!(
        cal.business_duration_between(due, monday).unwrap(),
        TimeDelta::hours(-2000)
    );
}

/// A Berlin call centre with a Saturday night shift, 22:00 to 06:00.
fn night_shift() -> CalendarSpec {
    let mut spec = CalendarSpec::new("Europe/Berlin");
    spec.weekly.saturday = vec![WorkInterval::overnight(t(22, 0), t(6, 0))];
    spec
}

#[test]
fn a_night_shift_works_the_hours_that_really_pass() {
    let cal = BusinessCalendar::new(night_shift()).unwrap();
    assert_eq!(cal.regular_week(), TimeDelta::hours(8));
    let shift = |sat: u32, sun: u32, month: u32| {
        cal.business_duration_between(
            at(BERLIN, 2026, month, sat, 21, 0),
            at(BERLIN, 2026, month, sun, 7, 0),
        )
        .unwrap()
    };
    assert_eq!(shift(17, 18, 10), TimeDelta::hours(8), "an ordinary night");
    assert_eq!(shift(24, 25, 10), TimeDelta::hours(9), "clocks turned back");
    assert_eq!(
        shift(28, 29, 3),
        TimeDelta::hours(7),
        "clocks sprang forward"
    );
}

#[test]
fn a_holiday_closes_the_tail_of_the_night_shift_that_runs_into_it() {
    let mut spec = night_shift();
    spec.holidays
        .push(Holiday::full_day(date(2026, 11, 1), "All Saints"));
    let cal = BusinessCalendar::new(spec).unwrap();
    let worked = cal
        .business_duration_between(
            at(BERLIN, 2026, 10, 31, 21, 0),
            at(BERLIN, 2026, 11, 1, 7, 0),
        )
        .unwrap();
    assert_eq!(worked, TimeDelta::hours(2));
    assert!(cal.is_business_day(date(2026, 10, 31)).unwrap());
    assert!(!cal.is_business_day(date(2026, 11, 1)).unwrap());
}

#[test]
fn working_hours_scheduled_where_the_clock_skips_are_not_worked() {
    // Sundays 01:00-04:00 in New York; on 2026-03-08 the clock jumps 02:00 -> 03:00.
    let mut spec = CalendarSpec::new("America/New_York");
    spec.weekly.sunday = vec![WorkInterval::new(t(1, 0), t(4, 0))];
    let cal = BusinessCalendar::new(spec).unwrap();
    let from = at(NY, 2026, 3, 8, 0, 0);
    let to = at(NY, 2026, 3, 8, 5, 0);
    assert_eq!(
        cal.business_duration_between(from, to).unwrap(),
        TimeDelta::hours(2)
    );
    // 90 minutes from 01:30 EST: 30 minutes to the jump, then 03:00-04:00 EDT.
    assert_eq!(
        cal.add_business_duration(at(NY, 2026, 3, 8, 1, 30), TimeDelta::minutes(90))
            .unwrap(),
        at(NY, 2026, 3, 8, 4, 0)
    );
    // The repeated hour on 2026-11-01 is worked twice: 4 real hours.
    let from = at(NY, 2026, 11, 1, 0, 0);
    let to = at(NY, 2026, 11, 1, 5, 0);
    assert_eq!(
        cal.business_duration_between(from, to).unwrap(),
        TimeDelta::hours(4)
    );
}

#[test]
fn an_interval_ending_inside_the_repeated_hour_ends_at_its_first_occurrence() {
    // Sundays 00:00-01:30; on 2026-11-01 New York shows 01:00-02:00 twice.
    let mut spec = CalendarSpec::new("America/New_York");
    spec.weekly.sunday = vec![WorkInterval::new(t(0, 0), t(1, 30))];
    let cal = BusinessCalendar::new(spec).unwrap();
    let first_0115 = Utc.with_ymd_and_hms(2026, 11, 1, 5, 15, 0).unwrap(); // 01:15 EDT
    let second_0115 = Utc.with_ymd_and_hms(2026, 11, 1, 6, 15, 0).unwrap(); // 01:15 EST
    assert!(cal.is_open(first_0115).unwrap());
    assert!(!cal.is_open(second_0115).unwrap());
    let day = (
        Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2026, 11, 2, 0, 0, 0).unwrap(),
    );
    assert_eq!(
        cal.business_duration_between(day.0, day.1).unwrap(),
        TimeDelta::minutes(90)
    );
}

#[test]
fn a_calendar_is_its_spec_in_json_and_round_trips() {
    let mut spec = shop();
    spec.holidays
        .push(Holiday::full_day(date(2026, 12, 25), "Christmas Day"));
    spec.weekly.saturday = vec![WorkInterval::overnight(t(22, 0), t(2, 0))];
    let cal = BusinessCalendar::new(spec.clone()).unwrap();
    let json = serde_json::to_string(&cal).unwrap();
    assert_eq!(json, serde_json::to_string(&spec).unwrap());
    assert!(json.contains(r#"{"start":"22:00","end":"02:00","overnight":true}"#));
    assert!(json.contains(r#"{"date":"2026-12-25","name":"Christmas Day"}"#));
    let back: BusinessCalendar = serde_json::from_str(&json).unwrap();
    assert_eq!(back, cal);
}

#[test]
fn a_calendar_in_json_is_checked_as_it_is_read() {
    let json = r#"{"time_zone": "Europe/Atlantis", "weekly": {"monday": [{"start": "09:00", "end": "17:00"}]}}"#;
    let err = serde_json::from_str::<BusinessCalendar>(json).unwrap_err();
    assert!(
        err.to_string()
            .contains("calendar.unknown_time_zone at `time_zone`"),
        "{err}"
    );
}

#[test]
fn a_fraction_of_a_second_rounds_a_deadline_up_never_down() {
    let cal = BusinessCalendar::new(shop()).unwrap();
    let asked = at(NY, 2026, 11, 23, 9, 0) + TimeDelta::milliseconds(700);
    // 09:00:00.7 plus 61.9 s is 09:01:02.6: the whole-second deadline is 09:01:03.
    assert_eq!(
        cal.add_business_duration(asked, TimeDelta::milliseconds(61_900))
            .unwrap(),
        at(NY, 2026, 11, 23, 9, 1) + TimeDelta::seconds(3)
    );
    // Zero business time from inside open hours is the next whole second, not before.
    assert_eq!(
        cal.add_business_duration(asked, TimeDelta::zero()).unwrap(),
        at(NY, 2026, 11, 23, 9, 0) + TimeDelta::seconds(1)
    );
    assert_eq!(
        cal.next_opening(asked).unwrap(),
        Some(at(NY, 2026, 11, 23, 9, 0) + TimeDelta::seconds(1))
    );
    // The time between two instants drops their fractions.
    assert_eq!(
        cal.business_duration_between(asked, asked + TimeDelta::milliseconds(1_500))
            .unwrap(),
        TimeDelta::seconds(2)
    );
}
