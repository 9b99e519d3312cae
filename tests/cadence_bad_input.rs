//! Every kind of unusable cadence input, and the code and path it gets: never a panic.

use chrono::Weekday;
use retention::cadence::{CadencePolicy, CompletedOrder, PlanInput, Planner, RecordReview};
use retention::calendar::{BusinessCalendar, CalendarSpec, TimeOfDay, WorkInterval};
use retention::model::{
    Channel, InstalledUnit, Outcome, PersonId, Role, ServiceInterval, Span, SurveyResponse,
    SurveyScale,
};
use retention::{Error, ErrorKind};
use rust_decimal::Decimal;

use crate::cadence_scenarios::{
    account, at, calendar, d, now, person, planner, settled_book, touch,
};

fn found(e: &Error) -> Vec<(String, String)> {
    e.problems()
        .iter()
        .map(|p| (p.code().to_string(), p.path().to_string()))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(c, p)| (c.to_string(), p.to_string()))
        .collect()
}

fn policy_error(policy: CadencePolicy) -> Error {
    let e = policy.validate().unwrap_err();
    assert_eq!(Planner::new(policy, calendar()).unwrap_err(), e);
    e
}

#[test]
fn an_interaction_with_an_unknown_account_is_refused_with_its_path() {
    let mut b = settled_book();
    b.interactions[1].account = "a-404".into();
    let e = planner().plan(&b, now()).unwrap_err();
    assert_eq!(
        found(&e),
        pairs(&[("cadence.unknown_account", "interactions[1].account")])
    );
    assert!(e.to_string().contains("a-404"));
}

#[test]
fn an_interaction_with_an_unknown_person_is_refused() {
    let mut b = settled_book();
    b.interactions[0].person = Some(PersonId::new("p-404"));
    let e = planner().plan(&b, now()).unwrap_err();
    assert_eq!(
        found(&e),
        pairs(&[("cadence.unknown_person", "interactions[0].person")])
    );
}

#[test]
fn a_person_of_another_account_is_refused() {
    let mut b = settled_book();
    b.accounts.push(account("a-2", d(2025, 1, 1)));
    b.people.push(person("p-3", "a-2", Role::Owner, true));
    b.interactions[0].person = Some(PersonId::new("p-3"));
    let mut order = CompletedOrder::new("o-1", "a-1", at(2026, 11, 20, 14, 0));
    order.person = Some(PersonId::new("p-3"));
    b.orders.push(order);
    let e = planner().plan(&b, now()).unwrap_err();
    assert_eq!(
        found(&e),
        pairs(&[
            ("cadence.person_elsewhere", "interactions[0].person"),
            ("cadence.person_elsewhere", "orders[0].person"),
        ])
    );
}

#[test]
fn every_list_refuses_unknown_accounts_at_once() {
    let mut b = settled_book();
    b.people.push(person("p-9", "a-9", Role::Other, false));
    b.orders
        .push(CompletedOrder::new("o-1", "a-9", at(2026, 11, 20, 14, 0)));
    b.surveys.push(SurveyResponse::new(
        "s-1",
        "a-9",
        at(2026, 11, 20, 14, 0),
        Decimal::from(2),
        SurveyScale::zero_to_ten(),
    ));
    b.units.push(InstalledUnit::new(
        "u-1",
        "a-9",
        "boiler",
        d(2025, 1, 1),
        ServiceInterval::Months(12),
    ));
    b.reviews.push(RecordReview::new("a-9", d(2026, 11, 1)));
    let e = planner().plan(&b, now()).unwrap_err();
    assert_eq!(
        found(&e),
        pairs(&[
            ("cadence.unknown_account", "people[2].account"),
            ("cadence.unknown_account", "orders[0].account"),
            ("cadence.unknown_account", "surveys[0].account"),
            ("cadence.unknown_account", "units[0].account"),
            ("cadence.unknown_account", "reviews[1].account"),
        ])
    );
}

#[test]
fn records_own_problems_and_duplicates_come_back_with_paths() {
    let mut b = settled_book();
    b.accounts.push(account("a-1", d(2025, 1, 1)));
    b.people[1].channels.preferred = vec![Channel::Email];
    b.people[1].channels.do_not_contact = vec![Channel::Email];
    b.interactions.push(touch(
        "",
        "a-1",
        None,
        at(2026, 11, 1, 15, 0),
        Channel::Phone,
        Outcome::Connected,
    ));
    b.orders
        .push(CompletedOrder::new("o-1", "a-1", at(2026, 11, 20, 14, 0)));
    b.orders
        .push(CompletedOrder::new("o-1", "a-1", at(2026, 11, 21, 14, 0)));
    b.units.push(InstalledUnit::new(
        "u-1",
        "a-1",
        "boiler",
        d(2025, 1, 1),
        ServiceInterval::Days(0),
    ));
    let e = planner().plan(&b, now()).unwrap_err();
    assert_eq!(
        found(&e),
        pairs(&[
            ("model.duplicate_id", "accounts[1].id"),
            (
                "model.channel_conflict",
                "people[1].channels.do_not_contact[0]"
            ),
            ("model.empty_id", "interactions[2].id"),
            ("model.duplicate_id", "orders[1].id"),
            (
                "model.invalid_service_interval",
                "units[0].service_interval"
            ),
        ])
    );
}

#[test]
fn zero_and_partial_day_intervals_are_refused() {
    let mut p = CadencePolicy::default();
    p.touch.every = Span::Days(0);
    p.quiet.touch_every = Span::Hours(30);
    p.face_to_face.then_every = Span::Months(0);
    p.review.every = Span::Months(0);
    p.recovery.retry_every = Span::BusinessDays(0);
    let e = policy_error(p);
    assert_eq!(
        found(&e),
        pairs(&[
            ("cadence.zero_interval", "touch.every"),
            ("cadence.partial_days", "quiet.touch_every"),
            ("cadence.zero_interval", "face_to_face.then_every"),
            ("cadence.zero_interval", "review.every"),
            ("cadence.zero_interval", "recovery.retry_every"),
        ])
    );
}

#[test]
fn caps_that_make_an_obligation_impossible_are_refused() {
    let mut p = CadencePolicy::default();
    p.caps.min_gap = Span::Days(30); // longer than C1's 28 days and K1's 14
    p.caps.per_person_per_week = 4;
    p.caps.per_account_per_week = 3;
    p.caps.daily_capacity_per_rep = 0;
    let e = policy_error(p);
    assert_eq!(
        found(&e),
        pairs(&[
            ("cadence.zero_interval", "caps.daily_capacity_per_rep"),
            ("cadence.impossible_caps", "caps.min_gap"),
            ("cadence.impossible_caps", "caps.min_gap"),
            ("cadence.impossible_caps", "caps.per_person_per_week"),
            ("cadence.impossible_caps", "caps.per_account_per_week"),
        ])
    );
    assert!(e.problems()[1].message().contains("30 days"));
}

#[test]
fn empty_channel_lists_are_refused() {
    let mut p = CadencePolicy::default();
    p.touch.channels.clear();
    p.quiet.escalation.clear();
    let e = policy_error(p);
    assert_eq!(
        found(&e),
        pairs(&[
            ("cadence.no_channels", "touch.channels"),
            ("cadence.no_channels", "quiet.escalation"),
        ])
    );
}

#[test]
fn a_misspelt_policy_or_book_field_is_refused_when_read() {
    assert!(serde_json::from_str::<CadencePolicy>(r#"{"touch": {"evry": {"days": 28}}}"#).is_err());
    assert!(serde_json::from_str::<PlanInput>(r#"{"accounts": [], "orderz": []}"#).is_err());
    assert!(
        serde_json::from_str::<CompletedOrder>(
            r#"{"id": "o-1", "account": "a-1", "completed_at": "2026-11-20T14:00:00Z", "first": true}"#
        )
        .is_err()
    );
    let p: CadencePolicy = serde_json::from_str(r#"{"caps": {"min_gap": {"days": 40}}}"#).unwrap();
    assert_eq!(p.validate().unwrap_err().code(), "cadence.impossible_caps");
}

#[test]
fn dates_past_the_calendar_range_are_an_error_not_a_panic() {
    let mut b = settled_book();
    b.orders.push(CompletedOrder::new(
        "o-1",
        "a-1",
        chrono::DateTime::<chrono::Utc>::MAX_UTC,
    ));
    let far = chrono::DateTime::<chrono::Utc>::MAX_UTC;
    let e = planner().plan(&b, far).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::DateOutOfRange);
}

#[test]
fn a_calendar_open_only_on_sundays_still_plans() {
    // Not bad input, but an unusual one: every item lands on a Sunday.
    let mut spec = CalendarSpec::new("America/Chicago");
    spec.weekly.set(
        Weekday::Sun,
        vec![WorkInterval::new(
            TimeOfDay::hm(9, 0).unwrap(),
            TimeOfDay::hm(12, 0).unwrap(),
        )],
    );
    let planner = Planner::new(
        CadencePolicy::default(),
        BusinessCalendar::new(spec).unwrap(),
    )
    .unwrap();
    let mut b = settled_book();
    b.interactions[1].at = at(2026, 7, 1, 15, 0);
    let plan = planner.plan(&b, now()).unwrap();
    assert!(!plan.due.is_empty());
    assert!(
        plan.due
            .iter()
            .all(|i| chrono::Datelike::weekday(&i.planned_on) == Weekday::Sun)
    );
}

#[test]
fn every_record_naming_an_unknown_account_is_reported_not_just_the_first() {
    let mut b = settled_book();
    b.interactions[0].account = "a-404".into();
    b.interactions[1].account = "a-404".into();
    b.interactions[1].person = None;
    let e = planner().plan(&b, now()).unwrap_err();
    assert_eq!(
        found(&e),
        pairs(&[
            ("cadence.unknown_account", "interactions[0].account"),
            ("cadence.unknown_account", "interactions[1].account"),
        ])
    );
}

#[test]
fn a_horizon_longer_than_a_year_is_refused() {
    let p = CadencePolicy {
        horizon: Span::Weeks(60),
        ..Default::default()
    };
    let e = policy_error(p);
    assert_eq!(found(&e), pairs(&[("cadence.horizon_too_long", "horizon")]));
    let p = CadencePolicy {
        horizon: Span::Days(366),
        ..Default::default()
    };
    p.validate().unwrap();
}
