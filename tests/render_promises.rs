//! The promise ledger's English renders from its arguments alone (issue 15): a telegraph
//! per code of `promises::VerdictCode::ALL`, and a corpus of ledgers that shows every code, each
//! verdict, tag chain and judgement of over-delivery fed through [`render::check`].

use std::collections::BTreeSet;

use retention::calendar::BusinessCalendar;
use retention::chrono::{DateTime, NaiveDate, TimeZone, Utc};
use retention::chrono_tz::America::New_York;
use retention::model::{Channel, Direction, Interaction, MessageValue, Outcome, Party, Span};
use retention::promises::{
    Due, EventKind, Ledger, LedgerReport, MadeBy, Promise, PromiseEvent, PromiseKind,
    PromisePolicy, Scope, Verdict, VerdictCode,
};
use retention::rust_decimal::Decimal;
use retention::text::{Arg, Args};

use crate::render::{check, table_covers};

/// A terse second form of every promise code, from its arguments alone.
const TABLE: &[(&str, &str)] = &[
    (
        "promises.on_track",
        "{kind} {promise} {label?}: ok {used?}/{length?} {clock?} window {opens?} due {due} | {waited?} {past_window?} {attempts?} {zone?}",
    ),
    (
        "promises.due_soon",
        "{kind} {promise} {label?}: soon {used?}/{length?} {clock?} window {opens?} due {due} | {waited?} {past_window?} {attempts?} {zone?}",
    ),
    (
        "promises.overdue",
        "{kind} {promise} {label?}: overdue {late_by} since {due}, grace {grace_until} | {waited?} {past_window?} {attempts?} {zone?}",
    ),
    (
        "promises.kept_early",
        "{kind} {promise} {label?}: early {used?}/{length?} {clock?} | {waited?} {delivery?} {attempts?} {zone?}",
    ),
    (
        "promises.kept_on_time",
        "{kind} {promise} {label?}: kept {used?}/{length?} {clock?} | {waited?} {delivery?} {attempts?} {zone?}",
    ),
    (
        "promises.late_within_grace",
        "{kind} {promise} {label?}: late {late_by}, grace {grace_until} | {waited?} {past_window?} {delivery?} {attempts?} {zone?}",
    ),
    (
        "promises.broken",
        "{kind} {promise} {label?}: broken {open?} {late_by?} since {due?} | {waited?} {past_window?} {delivery?} {attempts?} {zone?}",
    ),
    (
        "promises.renegotiated_late",
        "{kind} {promise} {label?}: renegotiated after {due} | {waited?} {past_window?} {delivery?} {attempts?} {zone?}",
    ),
    (
        "promises.renegotiated",
        "{kind} {promise} {label?}: renegotiated, kept {used?}/{length?} {clock?} | {waited?} {delivery?} {attempts?} {zone?}",
    ),
    (
        "promises.cancelled",
        "{kind} {promise} {label?}: cancelled | {waited?} {past_window?} {attempts?} {zone?}",
    ),
    (
        "promises.under_delivered",
        "{kind} {promise} {label?}: under | {zone?}",
    ),
    (
        "promises.as_promised",
        "{kind} {promise} {label?}: as promised | {zone?}",
    ),
    (
        "promises.over_delivered",
        "{kind} {promise} {label?}: over | {zone?}",
    ),
    (
        "promises.tag_chain",
        "tag x{length} {account} over {over} open={open}",
    ),
    (
        "promises.never_exceeds",
        "exceeded {exceeded}/{kept} < {band_low_percent}%",
    ),
    (
        "promises.exceeds_on_occasion",
        "exceeded {exceeded}/{kept} in {band_low_percent}%-{band_high_percent}%",
    ),
    (
        "promises.always_exceeds",
        "exceeded {exceeded}/{kept} > {band_high_percent}%",
    ),
];

fn codes() -> Vec<&'static str> {
    VerdictCode::ALL.iter().map(|c| c.code()).collect()
}

#[test]
fn the_table_has_one_telegraph_per_promise_code() {
    table_covers(&codes(), TABLE).unwrap();
}

/// Open 08:00-12:00 and 13:00-17:00 on weekdays, in New York.
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
        }
    }"#,
    )
    .expect("valid calendar")
}

/// A New York local time in the week of Mon 23 Nov 2026 (`d` is the day of November).
fn ny(d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    let local = NaiveDate::from_ymd_opt(2026, 11, d)
        .and_then(|x| x.and_hms_opt(h, mi, 0))
        .expect("a time");
    New_York
        .from_local_datetime(&local)
        .earliest()
        .expect("exists")
        .with_timezone(&Utc)
}

fn promise(id: &str, kind: PromiseKind, made_at: DateTime<Utc>, due: Due) -> Promise {
    Promise::new(id, kind, MadeBy::Business, "a-1", made_at, due)
}

fn within(h: u32) -> Due {
    Due::Within {
        span: Span::Hours(h),
    }
}

fn ev(id: &str, at: DateTime<Utc>, event: EventKind) -> PromiseEvent {
    PromiseEvent::new(id, at, event)
}

fn delivered() -> EventKind {
    EventKind::Delivered { scope: None }
}

fn run(
    promises: &[Promise],
    events: &[PromiseEvent],
    interactions: &[Interaction],
    now: DateTime<Utc>,
) -> LedgerReport {
    Ledger::new(&PromisePolicy::default(), &shop())
        .promises(promises)
        .events(events)
        .interactions(interactions)
        .evaluate(now)
        .expect("valid input")
}

fn call(id: &str, at: DateTime<Utc>, dir: Direction, outcome: Outcome) -> Interaction {
    let by = match dir {
        Direction::Inbound => Party::Customer,
        Direction::Outbound => Party::Staff {
            user: "u-ben".into(),
        },
    };
    Interaction::new(id, "a-9", at, Channel::Phone, dir, by, outcome)
}

/// Ledgers at several `now`s that between them show every status, kind of wait, custom
/// kind, delivery, attempt and reminder, two tag chains and the three judgements of
/// over-delivery.
fn corpus() -> Vec<LedgerReport> {
    let mut out = Vec::new();
    let window = Due::Window {
        earliest: ny(23, 8, 0),
        latest: ny(23, 10, 0),
    };
    let mut graced = promise("o", PromiseKind::FollowUp, ny(23, 8, 0), within(8));
    graced.grace = Some(Span::Hours(1));
    let mut scoped = promise(
        "s-under",
        PromiseKind::CompletionBy,
        ny(23, 8, 0),
        within(8),
    );
    scoped.scope = Some(Scope::new(Decimal::from(4)));
    let mut over = scoped.clone();
    over.id = "s-over".into();
    let mut exact = scoped.clone();
    exact.id = "s-exact".into();
    // An hour's grace: arriving at 10:40 is late within it.
    let mut late_window = promise("w-late", PromiseKind::ArrivalWindow, ny(20, 9, 0), window);
    late_window.grace = Some(Span::Hours(1));
    let custom = promise(
        "c-1",
        PromiseKind::Custom {
            label: "warranty visit".into(),
        },
        ny(20, 9, 0),
        within(24),
    );
    let promises = vec![
        // Open, early in its time; open, near its due; an arrival window not yet open.
        promise("q-open", PromiseKind::QuoteBy, ny(24, 8, 0), within(16)),
        promise("q-soon", PromiseKind::QuoteBy, ny(24, 8, 0), within(4)),
        promise(
            "w-open",
            PromiseKind::ArrivalWindow,
            ny(20, 9, 0),
            Due::Window {
                earliest: ny(25, 8, 0),
                latest: ny(25, 10, 0),
            },
        ),
        graced,
        promise("f-early", PromiseKind::FollowUp, ny(23, 8, 0), within(8)),
        promise("f-on-time", PromiseKind::FollowUp, ny(23, 8, 0), within(8)),
        promise(
            "w-on-time",
            PromiseKind::ArrivalWindow,
            ny(20, 9, 0),
            window,
        ),
        late_window,
        promise("w-broken", PromiseKind::ArrivalWindow, ny(20, 9, 0), window),
        promise("f-broken", PromiseKind::FollowUp, ny(23, 8, 0), within(8)),
        promise("r-late", PromiseKind::CompletionBy, ny(23, 8, 0), within(8)),
        promise(
            "r-in-time",
            PromiseKind::CompletionBy,
            ny(23, 8, 0),
            within(8),
        ),
        promise("x", PromiseKind::CompletionBy, ny(23, 8, 0), within(8)),
        scoped,
        over,
        exact,
        custom,
    ];
    let renegotiated = |id: &str, at| {
        ev(
            id,
            at,
            EventKind::Renegotiated {
                new_due: Due::At { at: ny(25, 17, 0) },
                reason: "part back-ordered".into(),
                customer_agreed: true,
            },
        )
    };
    let scope = |n: i64| EventKind::Delivered {
        scope: Some(Decimal::from(n)),
    };
    let mut events = vec![
        ev("f-early", ny(23, 9, 0), delivered()),
        ev("f-on-time", ny(23, 16, 0), delivered()),
        ev("w-on-time", ny(23, 9, 15), delivered()),
        ev("w-late", ny(23, 10, 40), delivered()),
        ev("w-broken", ny(23, 13, 0), delivered()),
        ev(
            "f-broken",
            ny(23, 12, 0),
            EventKind::Attempt {
                outcome: Outcome::NoAnswer,
            },
        ),
        ev("f-broken", ny(24, 15, 0), delivered()),
        renegotiated("r-late", ny(23, 17, 1)),
        ev("r-late", ny(25, 16, 0), delivered()),
        renegotiated("r-in-time", ny(23, 16, 59)),
        ev("r-in-time", ny(25, 16, 0), delivered()),
        ev(
            "x",
            ny(23, 9, 0),
            EventKind::CancelledByCustomer {
                reason: Some("plans changed".into()),
            },
        ),
        ev("s-under", ny(23, 16, 0), scope(3)),
        ev("s-over", ny(23, 16, 0), scope(5)),
        ev("s-exact", ny(23, 16, 0), scope(4)),
    ];
    // A voicemail, two returns that got nothing across, and the customer again: an open
    // chain of phone tag, and a callback broken with two attempts.
    let mut tag = vec![call(
        "i-1",
        ny(23, 9, 0),
        Direction::Inbound,
        Outcome::LeftMessage,
    )];
    for (i, h) in [(2, 10), (3, 14)] {
        let mut x = call(
            &format!("i-{i}"),
            ny(23, h, 0),
            Direction::Outbound,
            Outcome::LeftMessage,
        );
        x.message_value = Some(MessageValue::None);
        tag.push(x);
    }
    tag.push(call(
        "i-4",
        ny(24, 9, 0),
        Direction::Inbound,
        Outcome::LeftMessage,
    ));
    // Overdue within grace at 08:30 the next day; everything else decided by Wednesday.
    for now in [ny(24, 8, 30), ny(24, 10, 0), ny(27, 12, 0)] {
        out.push(run(&promises, &events, &tag, now));
    }
    // The same chain, ended by a conversation: closed.
    let mut ended = tag.clone();
    ended.push(call(
        "i-5",
        ny(24, 11, 0),
        Direction::Outbound,
        Outcome::Connected,
    ));
    out.push(run(&[], &[], &ended, ny(24, 12, 0)));
    // The three judgements of over-delivery against the default 5%-25% band: none of
    // one kept; one early of two; one early of five.
    events.clear();
    let mut some = Vec::new();
    for (i, early) in [false, true, false, false, false].into_iter().enumerate() {
        let id = format!("e-{i}");
        some.push(promise(&id, PromiseKind::FollowUp, ny(23, 8, 0), within(8)));
        let at = if early { ny(23, 9, 0) } else { ny(23, 16, 0) };
        events.push(ev(&id, at, delivered()));
    }
    let now = ny(25, 0, 0);
    out.push(run(&some[..1], &events[..1], &[], now));
    out.push(run(&some[..2], &events[..2], &[], now));
    out.push(run(&some, &events, &[], now));
    out
}

fn check_verdict(v: &Verdict, seen: &mut BTreeSet<&'static str>) {
    let args = v.args();
    let sentence = v.sentence();
    check(v.code.code(), &args, &sentence, TABLE).unwrap();
    seen.insert(v.code.code());
    // What JSON carries: the same arguments beside the same sentence.
    let json = serde_json::to_value(v).unwrap();
    assert_eq!(json["args"], serde_json::to_value(&args).unwrap());
    assert_eq!(json["sentence"], sentence.as_str());
    // About 200 characters at most (issue 15): the longest here is an open callback with
    // attempts, 203.
    assert!(sentence.chars().count() <= 210, "{sentence}");
    // The delivery codes are never a verdict's own: a verdict states its delivery in
    // its `delivery` argument, and that code renders from the verdict's arguments.
    if let Some(d) = v.delivery {
        let code = d.code().code();
        let alone = retention::text::english(code, &args).unwrap();
        check(code, &args, &alone, TABLE).unwrap();
        seen.insert(code);
    }
}

#[test]
fn every_promise_code_renders_from_its_arguments() {
    let mut seen = BTreeSet::new();
    let mut zoned = 0;
    for report in corpus() {
        for v in &report.verdicts {
            check_verdict(v, &mut seen);
            zoned += usize::from(v.args().get("zone").is_some());
        }
        for chain in &report.tag_chains {
            check(chain.code.code(), &chain.args, &chain.sentence, TABLE).unwrap();
            assert!(chain.sentence.chars().count() <= 200, "{}", chain.sentence);
            seen.insert(chain.code.code());
        }
        for s in std::iter::once(&report.business).chain(&report.customers) {
            if let Some(e) = &s.expectations {
                check(e.code.code(), &e.args, &e.sentence, TABLE).unwrap();
                assert!(e.sentence.chars().count() <= 200, "{}", e.sentence);
                seen.insert(e.code.code());
            }
        }
    }
    assert!(
        zoned > 0,
        "the ledger writes instants in the calendar's zone"
    );
    let missing: Vec<&str> = codes().into_iter().filter(|c| !seen.contains(c)).collect();
    assert!(missing.is_empty(), "the corpus never shows {missing:?}");
}

#[test]
fn the_corpus_shows_every_kind_of_wait_and_every_optional_fact() {
    let mut names = BTreeSet::new();
    for report in corpus() {
        for v in &report.verdicts {
            for (name, _) in v.args().iter() {
                names.insert(name.to_owned());
            }
        }
    }
    for name in [
        "label",
        "opens",
        "past_window",
        "waited",
        "delivery",
        "attempts",
        "open",
        "clock",
    ] {
        assert!(names.contains(name), "no verdict has `{name}`: {names:?}");
    }
}

#[test]
fn the_sentences_say_the_facts_in_the_business_zone() {
    let report = &corpus()[2];
    let v = report
        .verdicts
        .iter()
        .find(|v| v.promise.as_str() == "w-late")
        .expect("the late window");
    let args = v.args();
    assert_eq!(
        args.get("past_window"),
        Some(&Arg::Duration(retention::chrono::TimeDelta::minutes(40)))
    );
    assert_eq!(args.get("waited"), None, "not the days since booking");
    assert_eq!(
        v.sentence(),
        "the arrival window promise `w-late` was delivered 40 minutes late, within its grace \
         (until Mon 23 Nov 2026, 11:00 EST); the customer waited 40 minutes past the window."
    );
    // Tag begins with the business's first return (Mon 10:00) and runs to the customer's
    // call on Tuesday 09:00.
    let chain = &report.tag_chains[0];
    assert_eq!(
        chain.args,
        Args::new()
            .with("length", Arg::Count(3))
            .with("account", Arg::id("a-9"))
            .with(
                "over",
                Arg::Duration(retention::chrono::TimeDelta::hours(23))
            )
            .with("open", Arg::Flag(true))
    );
    // A verdict read back from JSON renders the same sentence from the same arguments.
    let back: Verdict = serde_json::from_value(serde_json::to_value(v).unwrap()).unwrap();
    assert_eq!((back.args(), back.sentence()), (args, v.sentence()));
}
