//! Invariants of the promise ledger: delivering later never improves a verdict, no event
//! is counted twice, the order of the output does not depend on the order of the events,
//! nothing panics, and reports read back from JSON.
//!
//! Promises are random (every kind, both clocks, instants, windows and spans, grace)
//! around the autumn clock change of a New York shop closed on Thanksgiving, with random
//! valid event histories (attempts, pauses and resumes, renegotiations agreed or not, in
//! time or late, target changes under every rule).

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proptest::prelude::*;

use crate::props::config;
use retention::calendar::BusinessCalendar;
use retention::model::{Outcome, Span};
use retention::promises::{
    Clock, Due, EventKind, Ledger, LedgerReport, MadeBy, Promise, PromiseEvent, PromiseKind,
    PromisePolicy, Status, TargetRule,
};
use retention::{Error, ErrorKind};

fn shop() -> BusinessCalendar {
    serde_json::from_str(
        r#"{
        "time_zone": "America/New_York",
        "weekly": {
            "monday":    [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}],
            "tuesday":   [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}],
            "wednesday": [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}],
            "thursday":  [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}],
            "friday":    [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}]
        },
        "holidays": [{"date": "2026-11-26", "name": "Thanksgiving"}]
    }"#,
    )
    .expect("valid calendar")
}

/// Minutes after Monday 2026-10-26 00:00 UTC (the clocks fall back on 1 November).
fn at(min: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 10, 26, 0, 0, 0).unwrap() + TimeDelta::minutes(min)
}

const KINDS: [PromiseKind; 5] = [
    PromiseKind::Callback,
    PromiseKind::ArrivalWindow,
    PromiseKind::QuoteBy,
    PromiseKind::CompletionBy,
    PromiseKind::FollowUp,
];

fn arb_promise(id: String) -> impl Strategy<Value = Promise> {
    (
        0usize..6,
        prop::option::of(any::<bool>()),
        0i64..20 * 1440,
        0u8..3,
        1i64..4 * 1440,
        0i64..600,
        prop::option::of(0u32..180),
    )
        .prop_map(move |(k, clock, made, due_kind, len, width, grace)| {
            let kind = KINDS.get(k).cloned().unwrap_or(PromiseKind::Custom {
                label: "loaner".into(),
            });
            let made_at = at(made);
            let due = match due_kind {
                0 => Due::At { at: at(made + len) },
                1 => Due::Window {
                    earliest: at(made + len),
                    latest: at(made + len + width),
                },
                _ => Due::Within {
                    span: Span::Minutes(len as u32),
                },
            };
            let mut p = Promise::new(id.clone(), kind, MadeBy::Business, "a-1", made_at, due);
            p.clock = clock.map(|b| if b { Clock::Business } else { Clock::Calendar });
            p.grace = grace.map(Span::Minutes);
            p
        })
}

/// A valid history for a promise made at minute `made` (no delivery, no cancellation):
/// pauses and resumes alternate.
fn arb_history() -> impl Strategy<Value = Vec<(i64, u8, bool, i64)>> {
    prop::collection::vec(
        (0i64..3 * 1440, 0u8..6, any::<bool>(), 1i64..3 * 1440),
        0..6,
    )
}

fn history(id: &str, made: DateTime<Utc>, raw: &[(i64, u8, bool, i64)]) -> Vec<PromiseEvent> {
    let mut raw = raw.to_vec();
    raw.sort_by_key(|r| r.0);
    let mut paused = false;
    let mut out = Vec::new();
    for (off, k, flag, n) in raw {
        let when = made + TimeDelta::minutes(off);
        let event = match k {
            0 => EventKind::Attempt {
                outcome: Outcome::NoAnswer,
            },
            1 | 2 if !paused => {
                paused = true;
                EventKind::Paused { reason: None }
            }
            1 | 2 => {
                paused = false;
                EventKind::Resumed {}
            }
            3 => EventKind::Renegotiated {
                new_due: Due::At {
                    at: when + TimeDelta::minutes(n),
                },
                reason: "r".into(),
                customer_agreed: flag,
            },
            _ => EventKind::TargetChanged {
                new_target: Span::Minutes(n as u32),
                rule: match n % 3 {
                    0 => TargetRule::KeepElapsed,
                    1 => TargetRule::Restart,
                    _ => TargetRule::RecomputeFromStart,
                },
            },
        };
        out.push(PromiseEvent::new(id, when, event));
    }
    out
}

fn judge(
    promises: &[Promise],
    events: &[PromiseEvent],
    now: DateTime<Utc>,
) -> Result<LedgerReport, Error> {
    let (policy, cal) = (PromisePolicy::default(), shop());
    Ledger::new(&policy, &cal)
        .promises(promises)
        .events(events)
        .evaluate(now)
}

proptest! {
    #![proptest_config(config(256))]

    /// Delivering later never improves a verdict (ranks: kept early 7, kept on time and
    /// renegotiated 6, on track 5, due soon 4, late within grace 3, overdue 2, broken 1).
    #[test]
    fn delivering_later_never_improves_a_verdict(
        p in arb_promise("p".into()),
        raw in arb_history(),
        d1 in 0i64..4 * 1440,
        gap in 1i64..3 * 1440,
        now in 0i64..12 * 1440,
    ) {
        let mut events = history("p", p.made_at, &raw);
        let last = events.iter().map(|e| e.at).max().unwrap_or(p.made_at);
        let first = last + TimeDelta::minutes(d1);
        let second = first + TimeDelta::minutes(gap);
        let now = p.made_at + TimeDelta::minutes(now);
        events.push(PromiseEvent::new("p", first, EventKind::Delivered { scope: None }));
        let early = judge(std::slice::from_ref(&p), &events, now).expect("valid history");
        if let Some(e) = events.last_mut() {
            e.at = second;
        }
        let late = judge(std::slice::from_ref(&p), &events, now).expect("valid history");
        let (a, b) = (&early.verdicts[0], &late.verdicts[0]);
        prop_assert!(a.status != Status::Cancelled && b.status != Status::Cancelled);
        prop_assert!(
            b.status.rank() <= a.status.rank(),
            "delivered at {first}: {:?}; at {second}: {:?} (now {now})",
            a.status,
            b.status
        );
    }

    /// Every attempt, renegotiation and pause known at `now` is counted once, and every
    /// promise is counted once in the business summary and once in its customer's.
    #[test]
    fn no_event_is_counted_twice(
        ps in prop::collection::vec((arb_promise(String::new()), arb_history()), 1..6),
        accounts in prop::collection::vec(0u8..3, 6),
        now in 0i64..24 * 1440,
    ) {
        let now = at(now);
        let mut promises = Vec::new();
        let mut events = Vec::new();
        for (i, (mut p, raw)) in ps.into_iter().enumerate() {
            p.id = format!("p{i}").into();
            p.account = format!("a-{}", accounts.get(i).copied().unwrap_or(0)).into();
            events.extend(history(p.id.as_str(), p.made_at, &raw));
            promises.push(p);
        }
        let r = judge(&promises, &events, now).expect("valid histories");
        let known: Vec<&Promise> = promises.iter().filter(|p| p.made_at <= now).collect();
        prop_assert_eq!(r.verdicts.len(), known.len());
        for (v, p) in r.verdicts.iter().zip(known) {
            prop_assert_eq!(&v.promise, &p.id);
            let mine = events.iter().filter(|e| e.promise == p.id && e.at <= now);
            let count = |f: fn(&EventKind) -> bool| mine.clone().filter(|e| f(&e.event)).count() as u32;
            prop_assert_eq!(v.attempts, count(|k| matches!(k, EventKind::Attempt { .. })));
            prop_assert_eq!(v.renegotiations, count(|k| matches!(k, EventKind::Renegotiated { .. })));
            prop_assert_eq!(v.pauses, count(|k| matches!(k, EventKind::Paused { .. })));
            prop_assert!(v.used.num_seconds() <= v.waited.num_seconds().max(v.business_elapsed.num_seconds()));
        }
        let b = &r.business;
        prop_assert_eq!(b.promises as usize, r.verdicts.len());
        prop_assert_eq!(r.customers.iter().map(|c| c.promises).sum::<u32>(), b.promises);
        prop_assert!(b.on_time <= b.kept && b.kept <= b.decided && b.decided <= b.promises);
        prop_assert_eq!(b.open + b.decided + b.cancelled >= b.promises, true);
    }

    /// The output does not depend on the order of the events (at distinct instants) or
    /// on how often the ledger is asked, and reads back from JSON.
    #[test]
    fn order_is_deterministic_and_reports_round_trip(
        ps in prop::collection::vec((arb_promise(String::new()), arb_history()), 1..5),
        seed in any::<u64>(),
        now in 0i64..24 * 1440,
    ) {
        let now = at(now);
        let mut promises = Vec::new();
        let mut events = Vec::new();
        for (i, (mut p, raw)) in ps.into_iter().enumerate() {
            p.id = format!("p{i}").into();
            let mut h = history(p.id.as_str(), p.made_at, &raw);
            h.dedup_by_key(|e| e.at);
            events.extend(h);
            promises.push(p);
        }
        let r1 = judge(&promises, &events, now);
        // A deterministic shuffle.
        let mut shuffled = events.clone();
        let mut s = seed | 1;
        for i in (1..shuffled.len()).rev() {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            shuffled.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let r2 = judge(&promises, &shuffled, now);
        match (&r1, &r2) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(a, b);
                let json = serde_json::to_string(a).unwrap();
                let back: LedgerReport = serde_json::from_str(&json).unwrap();
                prop_assert_eq!(&back, a);
            }
            (Err(a), Err(b)) => {
                // Same problems; paths name events by position, which the shuffle moved.
                let codes = |e: &Error| { let mut v: Vec<_> = e.problems().iter().map(|q| q.code()).collect(); v.sort(); v };
                prop_assert_eq!(codes(a), codes(b));
            }
            _ => prop_assert!(false, "one order failed and the other did not"),
        }
        prop_assert_eq!(r1.clone().ok(), judge(&promises, &events, now).ok());
    }

    /// Arbitrary, often invalid, histories give a report or an error, never a panic.
    #[test]
    fn arbitrary_histories_never_panic(
        p in arb_promise("p".into()),
        raw in prop::collection::vec((-1440i64..4 * 1440, 0u8..9, any::<bool>(), -600i64..3 * 1440), 0..8),
        now in -1440i64..12 * 1440,
    ) {
        let events: Vec<PromiseEvent> = raw
            .iter()
            .map(|&(off, k, flag, n)| {
                let when = p.made_at + TimeDelta::minutes(off);
                let event = match k {
                    0 => EventKind::Delivered { scope: None },
                    1 => EventKind::CancelledByCustomer { reason: None },
                    2 => EventKind::Paused { reason: None },
                    3 => EventKind::Resumed {},
                    4 => EventKind::Attempt { outcome: Outcome::Bounced },
                    5 => EventKind::Renegotiated {
                        new_due: Due::Window { earliest: when, latest: when + TimeDelta::minutes(n) },
                        reason: String::new(),
                        customer_agreed: flag,
                    },
                    _ => EventKind::TargetChanged {
                        new_target: Span::Minutes(n.unsigned_abs() as u32),
                        rule: if flag { TargetRule::Restart } else { TargetRule::RecomputeFromStart },
                    },
                };
                PromiseEvent::new(if k == 8 { "other" } else { "p" }, when, event)
            })
            .collect();
        match judge(std::slice::from_ref(&p), &events, p.made_at + TimeDelta::minutes(now)) {
            Ok(r) => prop_assert_eq!(r.verdicts.len(), usize::from(now >= 0)),
            Err(e) => prop_assert!(e.problems().iter().all(|q| q.code().starts_with("promises.")
                || q.kind() == ErrorKind::DateOutOfRange)),
        }
    }
}
