//! Business-calendar speed: adding business time must cost about the same for an hour as
//! for a year (target: at most 1 µs per operation, flat in the span).
//!
//! The calendar is a New York shop (DST twice a year) open 08:00-12:00 and 13:00-17:00 on
//! weekdays, with ten US holidays a year for 2026-2036. Start instants cycle through 64
//! points spread over a year, open and closed. `baseline/chrono_tz_offset` is one bare
//! chrono-tz offset look-up, to read the others against on the same machine.

use std::hint::black_box;

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, TimeZone, Utc, Weekday};
use criterion::{Criterion, criterion_group, criterion_main};
use retention::calendar::{
    BusinessCalendar, CalendarSpec, Holiday, TimeOfDay, WeeklySchedule, WorkInterval,
};

fn nth_weekday(year: i32, month: u32, day: Weekday, n: u32) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, month, day, n as u8).expect("valid")
}

fn last_monday_of_may(year: i32) -> NaiveDate {
    let mut d = NaiveDate::from_ymd_opt(year, 5, 31).expect("valid");
    while d.weekday() != Weekday::Mon {
        d = d.pred_opt().expect("valid");
    }
    d
}

fn shop() -> BusinessCalendar {
    let t = |h, m| TimeOfDay::hm(h, m).expect("valid");
    let mut spec = CalendarSpec::new("America/New_York");
    spec.weekly = WeeklySchedule::weekdays(&[
        WorkInterval::new(t(8, 0), t(12, 0)),
        WorkInterval::new(t(13, 0), t(17, 0)),
    ]);
    for y in 2026..=2036 {
        let ymd = |m, d| NaiveDate::from_ymd_opt(y, m, d).expect("valid");
        for (date, name) in [
            (ymd(1, 1), "New Year's Day"),
            (
                nth_weekday(y, 1, Weekday::Mon, 3),
                "Martin Luther King Jr. Day",
            ),
            (nth_weekday(y, 2, Weekday::Mon, 3), "Presidents' Day"),
            (last_monday_of_may(y), "Memorial Day"),
            (ymd(6, 19), "Juneteenth"),
            (ymd(7, 4), "Independence Day"),
            (nth_weekday(y, 9, Weekday::Mon, 1), "Labor Day"),
            (ymd(11, 11), "Veterans Day"),
            (nth_weekday(y, 11, Weekday::Thu, 4), "Thanksgiving"),
            (ymd(12, 25), "Christmas Day"),
        ] {
            spec.holidays.push(Holiday::full_day(date, name));
        }
    }
    BusinessCalendar::new(spec).expect("valid calendar")
}

fn starts() -> Vec<DateTime<Utc>> {
    let first = Utc.with_ymd_and_hms(2027, 1, 4, 13, 17, 0).unwrap();
    (0..64)
        .map(|i| first + TimeDelta::minutes(i * 8_219)) // about 5.7 days apart
        .collect()
}

fn bench(c: &mut Criterion) {
    let cal = shop();
    let starts = starts();
    let mut g = c.benchmark_group("add_business_duration");
    for (name, span) in [
        ("1_hour", TimeDelta::hours(1)),
        ("1_week_40h", TimeDelta::hours(40)),
        ("1_year_2000h", TimeDelta::hours(2_000)),
        ("10_years_20000h", TimeDelta::hours(20_000)),
    ] {
        g.bench_function(name, |b| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % starts.len();
                cal.add_business_duration(black_box(starts[i]), black_box(span))
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("business_duration_between");
    for (name, span) in [
        ("1_day", TimeDelta::days(1)),
        ("1_year", TimeDelta::days(365)),
    ] {
        g.bench_function(name, |b| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % starts.len();
                cal.business_duration_between(black_box(starts[i]), black_box(starts[i] + span))
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("add_business_days");
    for (name, n) in [("2_days", 2u32), ("250_days", 250)] {
        g.bench_function(name, |b| {
            let mut i = 0;
            b.iter(|| {
                i = (i + 1) % starts.len();
                cal.add_business_days(black_box(starts[i].date_naive()), black_box(n))
            })
        });
    }
    g.finish();

    c.bench_function("is_open", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % starts.len();
            cal.is_open(black_box(starts[i]))
        })
    });

    c.bench_function("baseline/chrono_tz_offset", |b| {
        let tz = chrono_tz::America::New_York;
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % starts.len();
            tz.offset_from_utc_datetime(&black_box(starts[i]).naive_utc())
        })
    });

    c.bench_function("build/us_shop_11_years_of_holidays", |b| b.iter(shop));
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2));
    targets = bench
}
criterion_main!(benches);
