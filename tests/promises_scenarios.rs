//! The promise ledger, told as the practice tells it (P1-P6). The shop is in New York,
//! open 08:00-12:00 and 13:00-17:00 on weekdays, closed on Thanksgiving and Christmas Day
//! and from noon on Christmas Eve.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::America::New_York;
use retention::calendar::BusinessCalendar;
use retention::model::{Channel, Direction, Interaction, MessageValue, Outcome, Party, Rule, Span};
use retention::promises::{
    AccountPolicies, Clock, Delivery, Due, EventKind, Ledger, LedgerReport, MadeBy, MoreIs,
    Promise, PromiseEvent, PromiseKind, PromisePolicy, Scope, Status, TargetRule, Verdict,
    VerdictCode,
};
use retention::rust_decimal::Decimal;

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
        "holidays": [
            {"date": "2026-11-26", "name": "Thanksgiving"},
            {"date": "2026-12-24", "name": "Christmas Eve",
             "closed": {"from": "2026-12-24T12:00:00", "until": "2026-12-25T00:00:00"}},
            {"date": "2026-12-25", "name": "Christmas Day"}
        ]
    }"#,
    )
    .expect("valid calendar")
}

/// A New York local time as an instant.
fn ny(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    let date = NaiveDate::from_ymd_opt(y, mo, d).expect("date");
    let local = date.and_hms_opt(h, mi, 0).expect("time");
    New_York
        .from_local_datetime(&local)
        .earliest()
        .expect("exists")
        .with_timezone(&Utc)
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn promise(id: &str, kind: PromiseKind, made_at: DateTime<Utc>, due: Due) -> Promise {
    Promise::new(
        id,
        kind,
        MadeBy::Staff {
            user: "u-ana".into(),
        },
        "a-1",
        made_at,
        due,
    )
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

fn run(promises: &[Promise], events: &[PromiseEvent], now: DateTime<Utc>) -> LedgerReport {
    run_with(&PromisePolicy::default(), promises, events, &[], now)
}

fn run_with(
    policy: &PromisePolicy,
    promises: &[Promise],
    events: &[PromiseEvent],
    interactions: &[Interaction],
    now: DateTime<Utc>,
) -> LedgerReport {
    let cal = shop();
    Ledger::new(policy, &cal)
        .promises(promises)
        .events(events)
        .interactions(interactions)
        .evaluate(now)
        .expect("valid input")
}

fn one(promise: Promise, events: &[PromiseEvent], now: DateTime<Utc>) -> Verdict {
    run(&[promise], events, now).verdicts.remove(0)
}

const H: i64 = 3_600;

#[test]
fn a_quote_promised_in_working_hours_skips_the_weekend() {
    // Friday 15:00, four working hours: two on Friday, two on Monday morning.
    let p = promise(
        "q",
        PromiseKind::QuoteBy,
        ny(2026, 11, 20, 15, 0),
        within(4),
    );
    let v = one(
        p,
        &[ev("q", ny(2026, 11, 23, 9, 30), delivered())],
        ny(2026, 11, 24, 0, 0),
    );
    assert_eq!(v.clock, Clock::Business);
    assert_eq!(v.due, ny(2026, 11, 23, 10, 0));
    assert_eq!(v.status, Status::KeptOnTime);
    assert_eq!((v.code, v.rule), (VerdictCode::KeptOnTime, Rule::P3));
    assert_eq!(v.business_elapsed.num_seconds(), 3 * H + H / 2);
    assert_eq!(v.waited.num_seconds(), 66 * H + H / 2);
    assert!(v.sentence().contains("kept on time"), "{}", v.sentence());
}

#[test]
fn thanksgiving_does_not_count_and_the_reminder_lands_at_three_quarters() {
    // Wednesday 16:00 plus eight working hours: one on Wednesday, Thanksgiving closed,
    // seven on Friday: due Friday 16:00. At Friday 12:30, five of eight hours are used.
    let p = promise(
        "q",
        PromiseKind::QuoteBy,
        ny(2026, 11, 25, 16, 0),
        within(8),
    );
    let v = one(p, &[], ny(2026, 11, 27, 12, 30));
    assert_eq!(v.due, ny(2026, 11, 27, 16, 0));
    assert_eq!(v.status, Status::OnTrack);
    assert_eq!(v.used.num_seconds(), 5 * H);
    assert_eq!(v.length.num_seconds(), 8 * H);
    // 75% is six working hours: Friday 14:00, after the lunch hour.
    assert_eq!(v.next_warning, Some(ny(2026, 11, 27, 14, 0)));
    let p = promise(
        "q",
        PromiseKind::QuoteBy,
        ny(2026, 11, 25, 16, 0),
        within(8),
    );
    let v = one(p, &[], ny(2026, 11, 27, 14, 30));
    assert_eq!(v.status, Status::DueSoon);
    assert_eq!(
        v.next_warning,
        Some(ny(2026, 11, 27, 16, 0)),
        "then the due itself"
    );
}

#[test]
fn a_partial_holiday_closes_the_afternoon_and_grace_softens_the_verdict() {
    // Christmas Eve 10:00 plus four working hours: two before noon, Christmas closed,
    // then Monday 08:00-10:00.
    let mut p = promise(
        "c",
        PromiseKind::CompletionBy,
        ny(2026, 12, 24, 10, 0),
        within(4),
    );
    p.grace = Some(Span::Hours(2));
    let v = one(
        p.clone(),
        &[ev("c", ny(2026, 12, 28, 11, 0), delivered())],
        ny(2026, 12, 29, 0, 0),
    );
    assert_eq!(v.due, ny(2026, 12, 28, 10, 0));
    assert_eq!(v.grace_until, ny(2026, 12, 28, 12, 0));
    assert_eq!(v.status, Status::LateWithinGrace);
    assert_eq!(v.late_by.map(|d| d.num_seconds()), Some(H));
    p.grace = None;
    let v = one(
        p,
        &[ev("c", ny(2026, 12, 28, 11, 0), delivered())],
        ny(2026, 12, 29, 0, 0),
    );
    assert_eq!(v.status, Status::Broken);
}

#[test]
fn a_callback_is_24_real_hours_across_the_autumn_clock_change() {
    // Saturday 12:00 EDT; the clocks fall back on Sunday: 24 hours later is 11:00 EST.
    let made = ny(2026, 10, 31, 12, 0);
    let p = promise("cb", PromiseKind::Callback, made, within(24));
    let v = one(p.clone(), &[], made);
    assert_eq!(v.clock, Clock::Calendar);
    assert_eq!(v.due, ny(2026, 11, 1, 11, 0));
    assert_eq!(v.due, utc(2026, 11, 1, 16, 0));
    let kept = one(
        p.clone(),
        &[ev("cb", ny(2026, 11, 1, 10, 30), delivered())],
        ny(2026, 11, 2, 0, 0),
    );
    assert_eq!((kept.status, kept.rule), (Status::KeptOnTime, Rule::P1));
    assert_eq!(kept.waited.num_seconds(), 23 * H + H / 2);
    assert_eq!(
        kept.business_elapsed.num_seconds(),
        0,
        "a weekend has no working time"
    );
    let late = one(
        p,
        &[ev("cb", ny(2026, 11, 1, 11, 30), delivered())],
        ny(2026, 11, 2, 0, 0),
    );
    assert_eq!(late.status, Status::Broken);
    assert_eq!(late.late_by.map(|d| d.num_seconds()), Some(H / 2));
}

#[test]
fn business_deadlines_cross_both_clock_changes_in_local_working_hours() {
    // Spring forward (Sunday 8 March 2026): Friday 16:00 EST plus two working hours is
    // Monday 09:00 EDT.
    let p = promise("s", PromiseKind::FollowUp, ny(2026, 3, 6, 16, 0), within(2));
    let v = one(p, &[], ny(2026, 3, 6, 16, 0));
    assert_eq!(v.due, ny(2026, 3, 9, 9, 0));
    assert_eq!(v.due, utc(2026, 3, 9, 13, 0));
    // Fall back (Sunday 1 November 2026): Friday 16:00 EDT plus two is Monday 09:00 EST.
    let p = promise(
        "f",
        PromiseKind::FollowUp,
        ny(2026, 10, 30, 16, 0),
        within(2),
    );
    let v = one(
        p,
        &[ev("f", ny(2026, 11, 2, 8, 30), delivered())],
        ny(2026, 11, 3, 0, 0),
    );
    assert_eq!(v.due, utc(2026, 11, 2, 14, 0));
    assert_eq!(v.status, Status::KeptOnTime);
    assert_eq!(v.business_elapsed.num_seconds(), H + H / 2);
    // 64.5 local hours, plus the hour the clocks gave back.
    assert_eq!(v.waited.num_seconds(), 65 * H + H / 2);
}

#[test]
fn a_pause_over_a_weekend_costs_only_working_hours() {
    // Thursday 08:00 plus sixteen working hours: due Friday 17:00. Paused Friday noon
    // with four hours left, resumed Monday 09:00: due Monday 14:00, not Monday 09:00 plus
    // a weekend of wall-clock hours.
    let p = promise(
        "w",
        PromiseKind::CompletionBy,
        ny(2026, 11, 19, 8, 0),
        within(16),
    );
    let events = [
        ev(
            "w",
            ny(2026, 11, 20, 12, 0),
            EventKind::Paused {
                reason: Some("waiting for the part".into()),
            },
        ),
        ev("w", ny(2026, 11, 23, 9, 0), EventKind::Resumed {}),
        ev("w", ny(2026, 11, 23, 13, 30), delivered()),
    ];
    let v = one(p, &events, ny(2026, 11, 24, 0, 0));
    assert_eq!(v.due, ny(2026, 11, 23, 14, 0));
    assert_eq!(v.status, Status::KeptOnTime);
    assert_eq!(v.pauses, 1);
    // 12 working hours before the pause, 3.5 after; Monday 08:00-09:00 was paused.
    assert_eq!(v.business_elapsed.num_seconds(), 15 * H + H / 2);
    assert_eq!(v.used.num_seconds(), 15 * H + H / 2);
    assert_eq!(v.length.num_seconds(), 16 * H);
    assert_eq!(v.waited.num_seconds(), 4 * 24 * H + 5 * H + H / 2);
}

#[test]
fn a_pause_on_the_calendar_clock_moves_the_window_by_its_wall_clock_length() {
    let mut p = promise(
        "arr",
        PromiseKind::ArrivalWindow,
        ny(2026, 11, 23, 8, 0),
        Due::Window {
            earliest: ny(2026, 11, 23, 13, 0),
            latest: ny(2026, 11, 23, 15, 0),
        },
    );
    p.grace = Some(Span::Minutes(15));
    let events = [
        ev(
            "arr",
            ny(2026, 11, 23, 10, 0),
            EventKind::Paused { reason: None },
        ),
        ev("arr", ny(2026, 11, 23, 11, 0), EventKind::Resumed {}),
        ev("arr", ny(2026, 11, 23, 15, 30), delivered()),
    ];
    let v = one(p.clone(), &events, ny(2026, 11, 24, 0, 0));
    assert_eq!(v.earliest, Some(ny(2026, 11, 23, 14, 0)));
    assert_eq!(v.due, ny(2026, 11, 23, 16, 0));
    assert_eq!(v.status, Status::KeptOnTime);
    // Arriving before the window opens is early.
    let v = one(
        p,
        &[ev("arr", ny(2026, 11, 23, 12, 45), delivered())],
        ny(2026, 11, 24, 0, 0),
    );
    assert_eq!(v.status, Status::KeptEarly);
}

fn renegotiated(at: DateTime<Utc>, agreed: bool) -> PromiseEvent {
    ev(
        "r",
        at,
        EventKind::Renegotiated {
            new_due: Due::At {
                at: ny(2026, 11, 25, 17, 0),
            },
            reason: "part back-ordered".into(),
            customer_agreed: agreed,
        },
    )
}

#[test]
fn renegotiating_just_before_the_due_is_not_a_break() {
    let p = promise(
        "r",
        PromiseKind::CompletionBy,
        ny(2026, 11, 23, 8, 0),
        within(8),
    );
    let events = [
        renegotiated(ny(2026, 11, 23, 16, 59), true),
        ev("r", ny(2026, 11, 25, 16, 0), delivered()),
    ];
    let v = one(p, &events, ny(2026, 11, 26, 0, 0));
    assert_eq!(v.due, ny(2026, 11, 25, 17, 0));
    assert_eq!(
        (v.status, v.code, v.rule),
        (Status::Renegotiated, VerdictCode::Renegotiated, Rule::P6)
    );
    assert_eq!(v.renegotiations, 1);
}

#[test]
fn renegotiating_just_after_the_due_is_a_break_however_it_ends() {
    let p = promise(
        "r",
        PromiseKind::CompletionBy,
        ny(2026, 11, 23, 8, 0),
        within(8),
    );
    let events = [
        renegotiated(ny(2026, 11, 23, 17, 1), true),
        ev("r", ny(2026, 11, 25, 16, 0), delivered()),
    ];
    let v = one(p, &events, ny(2026, 11, 26, 0, 0));
    assert_eq!(
        (v.status, v.code, v.rule),
        (Status::Broken, VerdictCode::RenegotiatedLate, Rule::P6)
    );
    assert!(v.sentence().contains("renegotiated after it fell due"));
}

#[test]
fn a_renegotiation_the_customer_did_not_agree_to_leaves_the_old_due() {
    let p = promise(
        "r",
        PromiseKind::CompletionBy,
        ny(2026, 11, 23, 8, 0),
        within(8),
    );
    let events = [
        renegotiated(ny(2026, 11, 23, 12, 0), false),
        ev("r", ny(2026, 11, 25, 16, 0), delivered()),
    ];
    let v = one(p, &events, ny(2026, 11, 26, 0, 0));
    assert_eq!(v.due, ny(2026, 11, 23, 17, 0));
    assert_eq!(v.status, Status::Broken);
}

#[test]
fn a_customer_who_cancels_in_time_breaks_nothing() {
    let p = promise(
        "x",
        PromiseKind::ArrivalWindow,
        ny(2026, 11, 23, 8, 0),
        within(8),
    );
    let cancel = |at| {
        ev(
            "x",
            at,
            EventKind::CancelledByCustomer {
                reason: Some("plans changed".into()),
            },
        )
    };
    let v = one(
        p.clone(),
        &[cancel(ny(2026, 11, 23, 9, 0))],
        ny(2026, 11, 24, 0, 0),
    );
    assert_eq!((v.status, v.rule), (Status::Cancelled, Rule::P5));
    let v = one(
        p,
        &[cancel(ny(2026, 11, 23, 17, 0))],
        ny(2026, 11, 24, 0, 0),
    );
    assert_eq!(v.status, Status::Broken, "the promise had already failed");
}

fn target(rule: TargetRule, hours: u32) -> PromiseEvent {
    ev(
        "t",
        ny(2026, 11, 23, 14, 0),
        EventKind::TargetChanged {
            new_target: Span::Hours(hours),
            rule,
        },
    )
}

#[test]
fn a_change_of_target_follows_its_stated_rule() {
    // Monday 08:00, 16 working hours (due Tuesday 17:00); at 14:00, 5 hours are used.
    let p = promise(
        "t",
        PromiseKind::CompletionBy,
        ny(2026, 11, 23, 8, 0),
        within(16),
    );
    let now = ny(2026, 11, 23, 14, 0);
    let due = |rule, h| one(p.clone(), &[target(rule, h)], now).due;
    assert_eq!(due(TargetRule::KeepElapsed, 8), ny(2026, 11, 23, 17, 0));
    assert_eq!(
        due(TargetRule::RecomputeFromStart, 8),
        ny(2026, 11, 23, 17, 0)
    );
    assert_eq!(due(TargetRule::Restart, 8), ny(2026, 11, 24, 14, 0));
    // A new target shorter than the time already used.
    assert_eq!(due(TargetRule::KeepElapsed, 4), now);
    assert_eq!(
        due(TargetRule::RecomputeFromStart, 4),
        ny(2026, 11, 23, 12, 0)
    );
    let v = one(p, &[target(TargetRule::RecomputeFromStart, 4)], now);
    assert_eq!(v.status, Status::Broken, "late from noon, retroactively");
}

#[test]
fn delivery_is_compared_to_the_promised_scope() {
    let mut p = promise(
        "s",
        PromiseKind::CompletionBy,
        ny(2026, 11, 23, 8, 0),
        within(8),
    );
    p.scope = Some(Scope::new(Decimal::from(4)));
    let got = |p: &Promise, n: Option<i64>| {
        one(
            p.clone(),
            &[ev(
                "s",
                ny(2026, 11, 23, 16, 0),
                EventKind::Delivered {
                    scope: n.map(Decimal::from),
                },
            )],
            ny(2026, 11, 24, 0, 0),
        )
        .delivery
    };
    assert_eq!(got(&p, Some(3)), Some(Delivery::Under));
    assert_eq!(got(&p, Some(4)), Some(Delivery::AsPromised));
    assert_eq!(got(&p, None), Some(Delivery::AsPromised));
    assert_eq!(got(&p, Some(5)), Some(Delivery::Over));
    // A quoted price: more is worse.
    let mut price = p.clone();
    let mut quoted = Scope::new(Decimal::from(4));
    quoted.more_is = MoreIs::Worse;
    price.scope = Some(quoted);
    assert_eq!(got(&price, Some(5)), Some(Delivery::Under));
    assert_eq!(got(&price, Some(3)), Some(Delivery::Over));
    assert_eq!(Delivery::Under.code().code(), "promises.under_delivered");
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

#[test]
fn a_voicemail_opens_a_callback_that_phone_tag_does_not_keep() {
    let mut tag = call(
        "i-2",
        ny(2026, 11, 23, 10, 0),
        Direction::Outbound,
        Outcome::LeftMessage,
    );
    tag.message_value = Some(MessageValue::None);
    let xs = vec![
        call(
            "i-1",
            ny(2026, 11, 23, 9, 0),
            Direction::Inbound,
            Outcome::LeftMessage,
        ),
        tag,
        call(
            "i-3",
            ny(2026, 11, 23, 11, 0),
            Direction::Inbound,
            Outcome::NoAnswer,
        ),
        call(
            "i-4",
            ny(2026, 11, 23, 15, 0),
            Direction::Outbound,
            Outcome::NoAnswer,
        ),
    ];
    let r = run_with(
        &PromisePolicy::default(),
        &[],
        &[],
        &xs,
        ny(2026, 11, 23, 16, 0),
    );
    assert_eq!(r.verdicts.len(), 1);
    let v = &r.verdicts[0];
    assert_eq!(v.promise.as_str(), "callback:i-1");
    assert_eq!(v.path().as_str(), "interactions[0]");
    assert_eq!(
        (v.status, v.rule, v.attempts),
        (Status::OnTrack, Rule::P1, 2)
    );
    assert_eq!(r.tag_chains.len(), 1);
    let chain = &r.tag_chains[0];
    assert_eq!(chain.length, 3);
    assert!(chain.open);
    let ids: Vec<&str> = chain.interactions.iter().map(|i| i.as_str()).collect();
    assert_eq!(ids, ["i-2", "i-3", "i-4"]);
    assert_eq!(
        (chain.code.code(), chain.rule),
        ("promises.tag_chain", Rule::P2)
    );
    assert_eq!(r.business.tag_chains, 1);
    assert_eq!(r.customers[0].longest_tag_chain, 3);
    // Earlier, only what had happened by then counts: one attempt is not yet a chain.
    let r = run_with(
        &PromisePolicy::default(),
        &[],
        &[],
        &xs,
        ny(2026, 11, 23, 10, 30),
    );
    assert!(r.tag_chains.is_empty());
    assert_eq!(r.verdicts[0].attempts, 1);
}

#[test]
fn a_message_with_value_keeps_the_callback_and_a_promised_call_opens_a_new_promise() {
    let mut useful = call(
        "i-2",
        ny(2026, 11, 23, 10, 0),
        Direction::Outbound,
        Outcome::LeftMessage,
    );
    useful.message_value = Some(MessageValue::PromisedCallAt {
        call_at: ny(2026, 11, 24, 14, 0),
    });
    let xs = vec![
        call(
            "i-1",
            ny(2026, 11, 23, 9, 0),
            Direction::Inbound,
            Outcome::LeftMessage,
        ),
        useful,
        call(
            "i-3",
            ny(2026, 11, 24, 14, 10),
            Direction::Outbound,
            Outcome::Connected,
        ),
    ];
    let r = run_with(
        &PromisePolicy::default(),
        &[],
        &[],
        &xs,
        ny(2026, 11, 25, 0, 0),
    );
    let got: Vec<(&str, Status)> = r
        .verdicts
        .iter()
        .map(|v| (v.promise.as_str(), v.status))
        .collect();
    assert_eq!(
        got,
        [
            ("callback:i-1", Status::KeptEarly),
            ("call_at:i-2", Status::KeptOnTime)
        ]
    );
    assert_eq!(r.verdicts[1].earliest, Some(ny(2026, 11, 24, 13, 45)));
    assert!(r.tag_chains.is_empty());
    // Called 20 minutes after the promised time: broken (the window is 15 minutes).
    let mut late = xs.clone();
    late[2].at = ny(2026, 11, 24, 14, 20);
    let r = run_with(
        &PromisePolicy::default(),
        &[],
        &[],
        &late,
        ny(2026, 11, 25, 0, 0),
    );
    assert_eq!(r.verdicts[1].status, Status::Broken);
}

#[test]
fn an_open_promise_is_overdue_within_grace_then_broken() {
    let mut p = promise(
        "o",
        PromiseKind::FollowUp,
        ny(2026, 11, 23, 8, 0),
        within(8),
    );
    p.grace = Some(Span::Hours(1));
    let v = one(p.clone(), &[], ny(2026, 11, 24, 8, 30));
    assert_eq!((v.status, v.open), (Status::Overdue, true));
    assert_eq!(v.next_warning, Some(ny(2026, 11, 24, 9, 0)));
    assert_eq!(v.late_by.map(|d| d.num_seconds()), Some(15 * H + H / 2));
    let v = one(p, &[], ny(2026, 11, 24, 9, 30));
    assert_eq!(
        (v.status, v.open, v.next_warning),
        (Status::Broken, true, None)
    );
}

#[test]
fn summaries_rate_keeping_lateness_and_over_delivery() {
    let made = ny(2026, 11, 23, 8, 0);
    let mut promises = Vec::new();
    let mut events = Vec::new();
    // Four follow-ups of 8 working hours: early (09:00), on time (16:00), and two late
    // (next day 08:30 and 09:00: half an hour and an hour late).
    for (i, at) in [
        ny(2026, 11, 23, 9, 0),
        ny(2026, 11, 23, 16, 0),
        ny(2026, 11, 24, 8, 30),
        ny(2026, 11, 24, 9, 0),
    ]
    .into_iter()
    .enumerate()
    {
        let id = format!("f{i}");
        promises.push(promise(&id, PromiseKind::FollowUp, made, within(8)));
        events.push(ev(&id, at, delivered()));
    }
    let r = run(&promises, &events, ny(2026, 11, 25, 0, 0));
    let s = &r.business;
    assert_eq!((s.promises, s.decided, s.kept, s.on_time), (4, 4, 2, 2));
    assert_eq!(s.kept_rate, Some(Decimal::new(5, 1)));
    assert_eq!(s.late, 2);
    // The lower median of 14.5 h and 15 h of wall clock past Monday 17:00.
    assert_eq!(
        s.lateness_median.map(|d| d.num_seconds()),
        Some(15 * H + H / 2)
    );
    assert_eq!(s.lateness_worst.map(|d| d.num_seconds()), Some(16 * H));
    // One of two kept promises was early: 50%, above the 5-25% band.
    assert_eq!(s.over_delivery_rate, Some(Decimal::new(5, 1)));
    let e = s.expectations.as_ref().expect("judged");
    assert_eq!((e.code, e.rule), (VerdictCode::AlwaysExceeds, Rule::P4));
    assert_eq!(r.customers.len(), 1);
    assert_eq!(
        r.customers[0].account.as_ref().map(|a| a.as_str()),
        Some("a-1")
    );
    // Nothing to rate: no rate at all, never NaN.
    let empty = run(&[], &[], ny(2026, 11, 25, 0, 0));
    assert_eq!(
        (
            empty.business.kept_rate,
            empty.business.expectations.is_none()
        ),
        (None, true)
    );
}

#[test]
fn the_suggested_length_would_have_kept_95_percent_of_past_promises() {
    // Twenty quotes that took 1, 2, ..., 20 working hours (Monday 08:00 onwards).
    let made = ny(2026, 11, 23, 8, 0);
    let cal = shop();
    let mut promises = Vec::new();
    let mut events = Vec::new();
    for h in 1..=20i64 {
        let id = format!("q{h}");
        promises.push(promise(&id, PromiseKind::QuoteBy, made, within(40)));
        let at = cal
            .add_business_duration(made, chrono::TimeDelta::hours(h))
            .unwrap();
        events.push(ev(&id, at, delivered()));
    }
    let r = run(&promises, &events, ny(2026, 12, 10, 0, 0));
    let s = &r.business.suggestions;
    assert_eq!(s.len(), 1);
    // Nearest rank: ceil(0.95 * 20) = 19th smallest = 19 hours.
    assert_eq!(
        (s[0].length.num_seconds(), s[0].samples, s[0].percent),
        (19 * H, 20, 95)
    );
    assert_eq!(s[0].clock, Clock::Business);
    // Nineteen samples are not enough for the default policy.
    let r = run(&promises[..19], &events[..19], ny(2026, 12, 10, 0, 0));
    assert!(r.business.suggestions.is_empty());
}

#[test]
fn a_report_reads_back_from_json_with_its_sentences() {
    let p = promise(
        "q",
        PromiseKind::QuoteBy,
        ny(2026, 11, 20, 15, 0),
        within(4),
    );
    let r = run(&[p], &[], ny(2026, 11, 23, 9, 0));
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["verdicts"][0]["code"], "promises.due_soon");
    assert_eq!(json["verdicts"][0]["path"], "promises[0]");
    assert!(
        json["verdicts"][0]["sentence"]
            .as_str()
            .unwrap()
            .contains("3 hours of 4 hours")
    );
    let back: LedgerReport = serde_json::from_value(json).unwrap();
    assert_eq!(back, r);
}

#[test]
fn a_renegotiation_during_a_pause_is_judged_against_the_frozen_due() {
    // Due Monday 17:00 (8 working hours from 08:00). Paused at 16:00 with an hour left;
    // on Tuesday 10:00, still paused, the customer agrees to Wednesday 17:00: in time,
    // because the due was frozen by the pause.
    let p = promise(
        "r",
        PromiseKind::CompletionBy,
        ny(2026, 11, 23, 8, 0),
        within(8),
    );
    let events = [
        ev(
            "r",
            ny(2026, 11, 23, 16, 0),
            EventKind::Paused { reason: None },
        ),
        renegotiated(ny(2026, 11, 24, 10, 0), true),
        ev("r", ny(2026, 11, 25, 9, 0), EventKind::Resumed {}),
        ev("r", ny(2026, 11, 25, 16, 0), delivered()),
    ];
    let v = one(p, &events, ny(2026, 11, 26, 0, 0));
    assert_eq!(
        (v.status, v.code),
        (Status::Renegotiated, VerdictCode::Renegotiated)
    );
    assert_eq!(v.pauses, 1);
}

#[test]
fn a_promise_made_after_now_is_not_judged_yet() {
    let p = promise(
        "late",
        PromiseKind::FollowUp,
        ny(2026, 11, 24, 8, 0),
        within(8),
    );
    let r = run(&[p], &[], ny(2026, 11, 23, 8, 0));
    assert!(r.verdicts.is_empty());
    assert_eq!(r.business.promises, 0);
}

#[test]
fn an_arrival_window_counts_the_wait_the_customer_felt_not_the_days_since_booking() {
    // Booked on Friday for Monday 8-10: the days before Monday are not a wait.
    let window = Due::Window {
        earliest: ny(2026, 11, 23, 8, 0),
        latest: ny(2026, 11, 23, 10, 0),
    };
    let p = promise(
        "w",
        PromiseKind::ArrivalWindow,
        ny(2026, 11, 20, 9, 0),
        window,
    );
    let on_time = one(
        p.clone(),
        &[ev("w", ny(2026, 11, 23, 9, 15), delivered())],
        ny(2026, 11, 23, 12, 0),
    );
    assert_eq!(on_time.status, Status::KeptOnTime);
    let text = on_time.sentence();
    assert!(!text.contains("waited"), "{text}");
    assert!(!text.contains("3 days"), "{text}");
    // Arriving at 10:40 is 40 minutes the customer waited past the window.
    let late = one(
        p,
        &[ev("w", ny(2026, 11, 23, 10, 40), delivered())],
        ny(2026, 11, 23, 12, 0),
    );
    let text = late.sentence();
    assert!(
        text.contains("the customer waited 40 minutes past the window"),
        "{text}"
    );
    assert!(!text.contains("days"), "{text}");
    // The data keep the whole wall-clock time since the promise was made.
    assert_eq!(late.waited.num_seconds(), (3 * 24 + 1) * H + 40 * 60);
}

#[test]
fn a_callback_counts_the_wait_since_the_call() {
    let p = promise(
        "c",
        PromiseKind::Callback,
        ny(2026, 11, 23, 9, 0),
        within(24),
    );
    let v = one(
        p,
        &[ev("c", ny(2026, 11, 23, 15, 30), delivered())],
        ny(2026, 11, 23, 18, 0),
    );
    // The callback's wall-clock time used is the wait since the call: said once.
    let text = v.sentence();
    assert!(
        text.contains("6 hours 30 minutes of 1 day of wall-clock time used"),
        "{text}"
    );
    assert!(!text.contains("waited"), "{text}");
    assert!(!text.contains("attempt(s)"), "{text}");
}

#[test]
fn an_account_with_a_policy_of_its_own_is_judged_by_it_and_the_rest_by_the_ledgers() {
    let cal = shop();
    let book_policy = PromisePolicy {
        default_grace: Span::Hours(1),
        ..Default::default()
    };
    let mut contract = book_policy.clone();
    contract.default_grace = Span::Minutes(0);
    // Two customers' quotes, both due in 8 working hours and delivered 30 minutes late.
    let quote = |id: &str, account: &str| {
        let mut p = promise(id, PromiseKind::QuoteBy, ny(2026, 11, 23, 9, 0), within(8));
        p.account = account.into();
        p
    };
    let promises = [quote("q-1", "a-1"), quote("q-2", "a-2")];
    let late = ny(2026, 11, 24, 9, 30);
    let events = [ev("q-1", late, delivered()), ev("q-2", late, delivered())];
    let mut own = AccountPolicies::new();
    own.insert("a-2".into(), &contract);
    let report = Ledger::new(&book_policy, &cal)
        .account_policies(&own)
        .promises(&promises)
        .events(&events)
        .evaluate(ny(2026, 11, 24, 12, 0))
        .expect("valid input");
    let status = |id: &str| {
        report
            .verdicts
            .iter()
            .find(|v| v.promise.as_str() == id)
            .map(|v| v.status)
    };
    assert_eq!(status("q-1"), Some(Status::LateWithinGrace));
    assert_eq!(status("q-2"), Some(Status::Broken));
    // A policy that cannot be used is refused, at the first account that uses it.
    let impossible = PromisePolicy {
        callback_within: Span::Hours(0),
        ..Default::default()
    };
    let mut own = AccountPolicies::new();
    own.insert("a-3".into(), &impossible);
    own.insert("a-2".into(), &impossible);
    let e = Ledger::new(&book_policy, &cal)
        .account_policies(&own)
        .promises(&promises)
        .evaluate(ny(2026, 11, 24, 12, 0))
        .expect_err("refused");
    assert!(
        e.path().as_str().starts_with("account_policies.a-2."),
        "{e}"
    );
}

#[test]
fn durations_are_whole_seconds_when_now_has_a_fraction() {
    // Judged at 10:00:00.75, an open promise made at 09:00 has waited 3,600 s, not
    // 3,600.75: whole seconds, as its JSON writes them, so a report reads back equal.
    let made = ny(2026, 11, 24, 9, 0);
    let now = ny(2026, 11, 24, 10, 0) + chrono::TimeDelta::milliseconds(750);
    let report = run(
        &[promise("pr-1", PromiseKind::FollowUp, made, within(4))],
        &[],
        now,
    );
    let v = &report.verdicts[0];
    assert_eq!(v.waited, chrono::TimeDelta::seconds(3_600));
    assert_eq!(v.waited.subsec_nanos(), 0);
    let back: LedgerReport =
        serde_json::from_str(&serde_json::to_string(&report).unwrap()).unwrap();
    assert_eq!(back, report);
}
