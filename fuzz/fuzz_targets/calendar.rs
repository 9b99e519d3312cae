//! Calendar construction and operations: a calendar the fuzzer builds (one open minute a
//! week, always open, night shifts, any intervals, odd zones, holidays), then instants,
//! durations and day counts it picks anywhere in chrono's range. Every operation returns
//! an answer or a coded error; adding a business duration lands no earlier than the
//! start, and the business time between the start and the landing is the duration.
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use retention::calendar::{BusinessCalendar, CalendarSpec};
use retention::chrono::{DateTime, TimeDelta, Utc};
use retention_fuzz::{calendar_json, instant};

fn duration(u: &mut Unstructured) -> Result<TimeDelta> {
    let secs: i64 = match u.int_in_range(0..=3)? {
        0 => u.int_in_range(0..=7 * 86_400)?,
        1 => u.int_in_range(0..=400 * 86_400)?,
        2 => *u.choose(&[0, 1, -1, i64::MAX / 1000, i64::MIN / 1000])?,
        _ => u.arbitrary::<i64>()? / 1000,
    };
    Ok(TimeDelta::try_seconds(secs).unwrap_or(TimeDelta::zero()))
}

fn whole_seconds(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(t.timestamp(), 0).unwrap_or(t)
}

fn run(data: &[u8]) -> Result<()> {
    let mut u = Unstructured::new(data);
    let json = calendar_json(&mut u)?;
    let Ok(spec) = serde_json::from_value::<CalendarSpec>(json) else {
        return Ok(());
    };
    let Ok(cal) = BusinessCalendar::new(spec) else {
        return Ok(());
    };
    for _ in 0..u.int_in_range(1..=8)? {
        let at = whole_seconds(instant(&mut u)?);
        let _ = cal.is_open(at);
        if let Ok(Some(open)) = cal.next_opening(at) {
            assert!(open >= at, "next opening {open} before {at}");
        }
        let d = duration(&mut u)?;
        if let Ok(due) = cal.add_business_duration(at, d) {
            if d >= TimeDelta::zero() {
                assert!(due >= at, "{at} + {d} landed at {due}");
                if let Ok(between) = cal.business_duration_between(at, due) {
                    assert_eq!(between, d, "business time from {at} to {due}");
                }
            }
        }
        let other = whole_seconds(instant(&mut u)?);
        if let Ok(between) = cal.business_duration_between(at, other) {
            assert!(between >= TimeDelta::zero() || other < at);
        }
        let date = at.date_naive();
        let _ = cal.is_business_day(date);
        let n: u32 = if u.arbitrary()? {
            u.arbitrary()?
        } else {
            u.int_in_range(0..=30)?
        };
        if let Ok(later) = cal.add_business_days(date, n) {
            assert!(later >= date);
            if n > 0 {
                assert_eq!(
                    cal.is_business_day(later),
                    Ok(true),
                    "{date} + {n} business days"
                );
            }
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(data);
});
