//! Every kind of unusable ledger input, and the code and path it gets. All problems are
//! reported at once; nothing panics.

use chrono::{DateTime, TimeZone, Utc};
use retention::calendar::BusinessCalendar;
use retention::model::{Channel, Direction, Interaction, MessageValue, Outcome, Party, Span};
use retention::promises::{
    Due, EventKind, Ledger, MadeBy, Promise, PromiseEvent, PromiseKind, PromisePolicy,
};

fn cal() -> BusinessCalendar {
    serde_json::from_str(
        r#"{"time_zone": "Europe/Berlin",
            "weekly": {"monday": [{"start": "09:00", "end": "17:00"}]}}"#,
    )
    .unwrap()
}

fn t(d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap()
}

fn p(id: &str, due: Due) -> Promise {
    Promise::new(
        id,
        PromiseKind::FollowUp,
        MadeBy::Business,
        "a-1",
        t(10, 9),
        due,
    )
}

fn within() -> Due {
    Due::Within {
        span: Span::Hours(8),
    }
}

/// (code, path) of every problem, in order.
fn problems(
    policy: &PromisePolicy,
    promises: &[Promise],
    events: &[PromiseEvent],
    xs: &[Interaction],
) -> Vec<(&'static str, String)> {
    let cal = cal();
    Ledger::new(policy, &cal)
        .promises(promises)
        .events(events)
        .interactions(xs)
        .evaluate(t(30, 0))
        .expect_err("unusable input")
        .problems()
        .iter()
        .map(|q| (q.code(), q.path().to_string()))
        .collect()
}

fn bad(promises: &[Promise], events: &[PromiseEvent]) -> Vec<(&'static str, String)> {
    problems(&PromisePolicy::default(), promises, events, &[])
}

#[test]
fn a_window_that_ends_before_it_starts_is_refused() {
    let w = Due::Window {
        earliest: t(12, 10),
        latest: t(12, 8),
    };
    assert_eq!(
        bad(&[p("a", w)], &[]),
        [("promises.window_reversed", "promises[0].due".to_string())]
    );
}

#[test]
fn a_due_before_the_promise_was_made_is_refused() {
    assert_eq!(
        bad(&[p("a", Due::At { at: t(9, 9) })], &[]),
        [("promises.due_before_made", "promises[0].due.at".to_string())]
    );
}

#[test]
fn an_event_before_its_promise_was_made_is_refused() {
    let e = PromiseEvent::new("a", t(9, 9), EventKind::Delivered { scope: None });
    assert_eq!(
        bad(&[p("a", within())], &[e]),
        [("promises.event_before_promise", "events[0].at".to_string())]
    );
}

#[test]
fn a_delivery_after_a_cancellation_is_refused() {
    let events = [
        PromiseEvent::new(
            "a",
            t(11, 9),
            EventKind::CancelledByCustomer { reason: None },
        ),
        PromiseEvent::new("a", t(12, 9), EventKind::Delivered { scope: None }),
    ];
    assert_eq!(
        bad(&[p("a", within())], &events),
        [("promises.event_after_close", "events[1].event".to_string())]
    );
}

#[test]
fn a_second_delivery_is_refused_so_nothing_is_counted_twice() {
    let events = [
        PromiseEvent::new("a", t(11, 9), EventKind::Delivered { scope: None }),
        PromiseEvent::new("a", t(11, 9), EventKind::Delivered { scope: None }),
    ];
    assert_eq!(
        bad(&[p("a", within())], &events),
        [("promises.event_after_close", "events[1].event".to_string())]
    );
}

#[test]
fn an_event_for_an_unknown_promise_is_refused() {
    let e = PromiseEvent::new("zz", t(11, 9), EventKind::Resumed {});
    assert_eq!(
        bad(&[p("a", within())], &[e]),
        [("promises.unknown_promise", "events[0].promise".to_string())]
    );
}

#[test]
fn pauses_must_alternate_with_resumes() {
    let events = [
        PromiseEvent::new("a", t(11, 9), EventKind::Resumed {}),
        PromiseEvent::new("a", t(11, 10), EventKind::Paused { reason: None }),
        PromiseEvent::new("a", t(11, 11), EventKind::Paused { reason: None }),
    ];
    assert_eq!(
        bad(&[p("a", within())], &events),
        [
            ("promises.pause_mismatch", "events[0].event".to_string()),
            ("promises.pause_mismatch", "events[2].event".to_string()),
        ]
    );
}

#[test]
fn a_renegotiated_window_that_runs_backwards_is_refused() {
    let e = PromiseEvent::new(
        "a",
        t(11, 9),
        EventKind::Renegotiated {
            new_due: Due::Window {
                earliest: t(13, 9),
                latest: t(12, 9),
            },
            reason: "x".into(),
            customer_agreed: true,
        },
    );
    assert_eq!(
        bad(&[p("a", within())], &[e]),
        [(
            "promises.window_reversed",
            "events[0].event.new_due".to_string()
        )]
    );
}

#[test]
fn blank_and_repeated_ids_are_refused() {
    let mut blank = p("", within());
    blank.made_by = MadeBy::Staff { user: " ".into() };
    assert_eq!(
        bad(&[blank, p("a", within()), p("a", within())], &[]),
        [
            ("model.empty_id", "promises[0].id".to_string()),
            ("model.empty_id", "promises[0].made_by.user".to_string()),
            ("model.duplicate_id", "promises[2].id".to_string()),
        ]
    );
}

#[test]
fn every_problem_is_reported_at_once_in_input_order() {
    let events = [
        PromiseEvent::new("nope", t(11, 9), EventKind::Resumed {}),
        PromiseEvent::new("a", t(1, 9), EventKind::Resumed {}),
    ];
    let w = Due::Window {
        earliest: t(12, 10),
        latest: t(12, 8),
    };
    assert_eq!(
        bad(&[p("a", within()), p("b", w)], &events),
        [
            ("promises.window_reversed", "promises[1].due".to_string()),
            ("promises.unknown_promise", "events[0].promise".to_string()),
            ("promises.event_before_promise", "events[1].at".to_string()),
        ]
    );
}

#[test]
fn a_deadline_beyond_the_calendar_is_an_error_not_a_panic() {
    let mut far = p(
        "a",
        Due::Within {
            span: Span::Weeks(u32::MAX),
        },
    );
    let got = bad(std::slice::from_ref(&far), &[]);
    assert_eq!(
        got,
        [("calendar.date_out_of_range", "promises[0]".to_string())]
    );
    far.clock = Some(retention::promises::Clock::Calendar);
    assert_eq!(
        bad(&[far], &[]),
        [("calendar.date_out_of_range", "promises[0]".to_string())]
    );
}

#[test]
fn an_unusable_policy_is_refused_before_anything_is_judged() {
    let policy = PromisePolicy {
        warn_at_percent: vec![100],
        suggest_percent: 0,
        ..Default::default()
    };
    assert_eq!(
        problems(&policy, &[], &[], &[]),
        [
            (
                "promises.percent_out_of_range",
                "warn_at_percent[0]".to_string()
            ),
            (
                "promises.percent_out_of_range",
                "suggest_percent".to_string()
            ),
        ]
    );
}

#[test]
fn an_unusable_interaction_is_refused_with_its_path() {
    let mut x = Interaction::new(
        "i-1",
        "a-1",
        t(11, 9),
        Channel::Phone,
        Direction::Outbound,
        Party::Staff { user: "u".into() },
        Outcome::Connected,
    );
    x.message_value = Some(MessageValue::AnsweredQuestion);
    assert_eq!(
        problems(&PromisePolicy::default(), &[], &[], &[x]),
        [(
            "model.message_value_mismatch",
            "interactions[0].message_value".to_string()
        )]
    );
}

#[test]
fn misspelt_or_unknown_json_is_refused_when_read() {
    for bad in [
        r#"{"promise": "a", "at": "2026-11-11T09:00:00Z", "event": {"kind": "delivered", "scop": "1"}}"#,
        r#"{"promise": "a", "at": "2026-11-11T09:00:00Z", "event": {"kind": "teleported"}}"#,
        r#"{"promise": "a", "at": "2026-11-11T09:00:00Z", "event": {"kind": "resumed"}, "note": "x"}"#,
    ] {
        assert!(serde_json::from_str::<PromiseEvent>(bad).is_err(), "{bad}");
    }
    assert!(
        serde_json::from_str::<Due>(r#"{"kind": "window", "earliest": "2026-11-11T09:00:00Z"}"#)
            .is_err()
    );
}

#[test]
fn policy_interaction_and_promise_problems_come_together() {
    let policy = PromisePolicy {
        early_percent: 0,
        ..Default::default()
    };
    let w = Due::Window {
        earliest: t(12, 10),
        latest: t(12, 8),
    };
    assert_eq!(
        problems(&policy, &[p("a", w)], &[], &[]),
        [
            ("promises.percent_out_of_range", "early_percent".to_string()),
            ("promises.window_reversed", "promises[0].due".to_string()),
        ]
    );
}

#[test]
fn whether_input_is_usable_does_not_depend_on_now() {
    let events = [
        PromiseEvent::new("a", t(20, 9), EventKind::Delivered { scope: None }),
        PromiseEvent::new("a", t(21, 9), EventKind::Delivered { scope: None }),
    ];
    let cal = cal();
    let policy = PromisePolicy::default();
    let promises = [p("a", within())];
    for now in [t(10, 8), t(15, 0), t(20, 10), t(30, 0)] {
        let e = Ledger::new(&policy, &cal)
            .promises(&promises)
            .events(&events)
            .evaluate(now)
            .expect_err("a second delivery");
        assert_eq!(e.path().as_str(), "events[1].event", "at {now}");
    }
}

#[test]
fn a_promise_kind_or_maker_with_fields_of_another_kind_is_refused() {
    assert!(serde_json::from_str::<PromiseKind>(r#"{"kind": "callback", "label": "x"}"#).is_err());
    assert!(serde_json::from_str::<PromiseKind>(r#"{"kind": "custom"}"#).is_err());
    assert!(serde_json::from_str::<MadeBy>(r#"{"kind": "business", "user": "u-1"}"#).is_err());
    // Even as `null`, a field of another kind is refused, and a kind's own may not be null.
    for bad in [
        r#"{"kind": "callback", "label": null}"#,
        r#"{"kind": "custom", "label": null}"#,
    ] {
        assert!(serde_json::from_str::<PromiseKind>(bad).is_err(), "{bad}");
    }
    for bad in [
        r#"{"kind": "business", "user": null}"#,
        r#"{"kind": "staff", "user": null}"#,
    ] {
        assert!(serde_json::from_str::<MadeBy>(bad).is_err(), "{bad}");
    }
    assert_eq!(
        serde_json::from_str::<PromiseKind>(r#"{"kind": "custom", "label": "loaner"}"#).unwrap(),
        PromiseKind::Custom {
            label: "loaner".into()
        }
    );
}

#[test]
fn a_resume_with_stray_fields_is_refused() {
    assert!(serde_json::from_str::<EventKind>(r#"{"kind": "resumed", "note": "x"}"#).is_err());
    assert_eq!(
        serde_json::from_str::<EventKind>(r#"{"kind": "resumed"}"#).unwrap(),
        EventKind::Resumed {}
    );
}
