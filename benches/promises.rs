//! Promise-ledger speed: 1,000,000 promises with their events, judged at one `now`
//! (target: at most 1 s on one core), against a bare pass over the same input.
//!
//! The shop is in New York (DST twice a year), open 08:00-12:00 and 13:00-17:00 on
//! weekdays with ten US holidays a year. Promises are spread over 2027 across 50,000
//! accounts: every kind, half on the business clock, a third `within` a span, a third
//! at an instant, a third in a window; about 1.9 events each (70% delivered, some
//! attempts, 10% paused and resumed, 5% renegotiated, 5% cancelled, 2% target changes);
//! a fifth are still open at `now`. The events are listed in shuffled order (or promise
//! by promise), and copied once in that order so their ids lie in memory as they would
//! in a host that read them in that order.
//!
//! `evaluate` times the evaluation up to the finished report; freeing the report (a
//! million owned verdicts) happens outside the timed section, as the host decides when.
//! `bare_pass` reads every promise and event once (their instants and ids) and does no
//! judging: the floor any ledger pays to look at the input. Groups: `ledger_100k` (the
//! same mix, 100,000 promises, for quick runs) and `ledger_1m` (the full million, also
//! with the events listed promise by promise: `evaluate_events_by_promise`).

use std::hint::black_box;

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, TimeZone, Utc, Weekday};
use criterion::{Criterion, criterion_group, criterion_main};
use retention::calendar::{
    BusinessCalendar, CalendarSpec, Holiday, TimeOfDay, WeeklySchedule, WorkInterval,
};
use retention::model::{Outcome, Span};
use retention::promises::{
    Clock, Due, EventKind, Ledger, MadeBy, Promise, PromiseEvent, PromiseKind, PromisePolicy,
    TargetRule,
};

fn shop() -> BusinessCalendar {
    let t = |h, m| TimeOfDay::hm(h, m).expect("valid");
    let mut spec = CalendarSpec::new("America/New_York");
    spec.weekly = WeeklySchedule::weekdays(&[
        WorkInterval::new(t(8, 0), t(12, 0)),
        WorkInterval::new(t(13, 0), t(17, 0)),
    ]);
    for y in 2026..=2029 {
        let ymd = |m, d| NaiveDate::from_ymd_opt(y, m, d).expect("valid");
        let nth = |m, wd, n| NaiveDate::from_weekday_of_month_opt(y, m, wd, n).expect("valid");
        let mut may = ymd(5, 31);
        while may.weekday() != Weekday::Mon {
            may = may.pred_opt().expect("valid");
        }
        for date in [
            ymd(1, 1),
            nth(1, Weekday::Mon, 3),
            nth(2, Weekday::Mon, 3),
            may,
            ymd(6, 19),
            ymd(7, 4),
            nth(9, Weekday::Mon, 1),
            ymd(11, 11),
            nth(11, Weekday::Thu, 4),
            ymd(12, 25),
        ] {
            spec.holidays.push(Holiday::full_day(date, "holiday"));
        }
    }
    BusinessCalendar::new(spec).expect("valid calendar")
}

/// A small deterministic generator (xorshift), so every run judges the same book.
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: u64) -> i64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n) as i64
    }
}

fn book(n: usize, shuffle: bool) -> (Vec<Promise>, Vec<PromiseEvent>, DateTime<Utc>) {
    let start = Utc.with_ymd_and_hms(2027, 1, 4, 13, 0, 0).unwrap();
    let now = Utc.with_ymd_and_hms(2028, 1, 3, 0, 0, 0).unwrap();
    let kinds = [
        PromiseKind::Callback,
        PromiseKind::ArrivalWindow,
        PromiseKind::QuoteBy,
        PromiseKind::CompletionBy,
        PromiseKind::FollowUp,
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut promises = Vec::with_capacity(n);
    let mut events = Vec::with_capacity(n * 2);
    for i in 0..n {
        let id = format!("pr-{i}");
        let made = start + TimeDelta::minutes(rng.next(360 * 1440));
        let len = 30 + rng.next(3 * 1440);
        let due = match i % 3 {
            0 => Due::Within {
                span: Span::Minutes(len as u32),
            },
            1 => Due::At {
                at: made + TimeDelta::minutes(len),
            },
            _ => Due::Window {
                earliest: made + TimeDelta::minutes(len),
                latest: made + TimeDelta::minutes(len + 120),
            },
        };
        let kind = kinds[i % kinds.len()].clone();
        let mut p = Promise::new(
            id.as_str(),
            kind,
            MadeBy::Business,
            format!("a-{}", rng.next(50_000)),
            made,
            due,
        );
        p.clock = Some(if i % 2 == 0 {
            Clock::Business
        } else {
            Clock::Calendar
        });
        let mut t = made;
        let mut step = |rng: &mut Rng| {
            t += TimeDelta::minutes(1 + rng.next(len as u64));
            t
        };
        let roll = rng.next(100);
        if roll < 15 {
            let at = step(&mut rng);
            events.push(PromiseEvent::new(
                id.as_str(),
                at,
                EventKind::Attempt {
                    outcome: Outcome::NoAnswer,
                },
            ));
        }
        if roll % 10 == 3 {
            let (a, b) = (step(&mut rng), step(&mut rng));
            events.push(PromiseEvent::new(
                id.as_str(),
                a,
                EventKind::Paused { reason: None },
            ));
            events.push(PromiseEvent::new(id.as_str(), b, EventKind::Resumed {}));
        }
        if roll % 20 == 7 {
            let at = step(&mut rng);
            events.push(PromiseEvent::new(
                id.as_str(),
                at,
                EventKind::Renegotiated {
                    new_due: Due::Within {
                        span: Span::Hours(24),
                    },
                    reason: String::new(),
                    customer_agreed: true,
                },
            ));
        }
        if roll % 50 == 11 {
            let at = step(&mut rng);
            events.push(PromiseEvent::new(
                id.as_str(),
                at,
                EventKind::TargetChanged {
                    new_target: Span::Hours(8),
                    rule: TargetRule::KeepElapsed,
                },
            ));
        }
        if roll < 70 {
            let at = step(&mut rng);
            events.push(PromiseEvent::new(
                id.as_str(),
                at,
                EventKind::Delivered { scope: None },
            ));
        } else if roll < 75 {
            let at = step(&mut rng);
            events.push(PromiseEvent::new(
                id.as_str(),
                at,
                EventKind::CancelledByCustomer { reason: None },
            ));
        }
        promises.push(p);
    }
    // Hosts keep events in their own order: shuffle them (or leave them listed promise
    // by promise, the friendliest order for the caches).
    for i in (1..if shuffle { events.len() } else { 1 }).rev() {
        let j = rng.next(i as u64 + 1) as usize;
        events.swap(i, j);
    }
    // A host that reads its events (from JSON, from a database) allocates their ids in
    // the order it lists them: do the same, so memory is laid out as in a host.
    let events = events.to_vec();
    (promises, events, now)
}

/// Reads every promise and event once: the floor.
fn bare_pass(promises: &[Promise], events: &[PromiseEvent]) -> i64 {
    let mut sum = 0i64;
    for p in promises {
        sum = sum
            .wrapping_add(p.made_at.timestamp())
            .wrapping_add(p.id.as_str().len() as i64);
    }
    for e in events {
        sum = sum
            .wrapping_add(e.at.timestamp())
            .wrapping_add(e.promise.as_str().len() as i64);
    }
    sum
}

fn bench(c: &mut Criterion) {
    let cal = shop();
    let policy = PromisePolicy::default();
    for (group, n, samples) in [("ledger_100k", 100_000, 20), ("ledger_1m", 1_000_000, 10)] {
        let mut g = c.benchmark_group(group);
        g.sample_size(samples);
        for shuffle in [true, false] {
            if !shuffle && n < 1_000_000 {
                continue;
            }
            let (promises, events, now) = book(n, shuffle);
            let ledger = Ledger::new(&policy, &cal)
                .promises(&promises)
                .events(&events);
            let report = ledger.evaluate(now).expect("valid book");
            assert_eq!(report.verdicts.len(), n);
            drop(report);
            let name = if shuffle {
                "evaluate"
            } else {
                "evaluate_events_by_promise"
            };
            g.bench_function(name, |b| {
                b.iter_with_large_drop(|| ledger.evaluate(black_box(now)))
            });
            if shuffle {
                g.bench_function("bare_pass", |b| {
                    b.iter(|| bare_pass(black_box(&promises), black_box(&events)))
                });
            }
        }
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2));
    targets = bench
}
criterion_main!(benches);
