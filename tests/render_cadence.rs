//! The contact cadence's verdicts render from their arguments alone (issue 15): every
//! obligation, every due item's own line (`cadence.due_item`) and every explanation of a
//! corpus that shows every code is its arguments' English, with no fact they lack, and
//! a terse second form (the telegraph) renders from the arguments alone.

use std::collections::{BTreeMap, BTreeSet};

use retention::cadence::{
    CadencePolicy, CompletedOrder, DueItem, ExplanationCode, ObligationCode, Plan, PlanInput,
};
use retention::chrono::{TimeZone, Utc};
use retention::model::{
    Birthday, Channel, Discovery, InstalledUnit, Outcome, Role, ServiceInterval, SurveyResponse,
    SurveyScale,
};
use retention::text::Args;
use rust_decimal::Decimal;

use crate::cadence_scenarios::{
    account, at, customer_call, d, now, person, planner, planner_with, settled_book, touch,
};
use crate::render::{check, table_covers};

/// One telegraph per code: `{name}` for an argument the code always has, `{name?}` for
/// one it may lack.
const TABLE: &[(&str, &str)] = &[
    (
        "cadence.touch_due",
        "C1 last={last_touch?} began={records_began?} since={customer_since} every={every} due={due}",
    ),
    (
        "cadence.quiet_touch_due",
        "K1 {account} word={last_word?} silent={silent_days} quiet>{quiet_after_days} every={every_days} {channel} {rung}/{rungs} fallback={fallback} touch={last_touch?} began={records_began?} since={customer_since} due={due}",
    ),
    (
        "cadence.face_to_face_due",
        "C2 last={last_visit?} began={records_began?} since={customer_since} every={every} until={monthly_until?} due={due}",
    ),
    (
        "cadence.key_person_due",
        "C3 {person} {role} last={last_touch?} began={records_began?} every={every} due={due}",
    ),
    (
        "cadence.key_role_missing",
        "C3r {touched_roles}/{min_roles} since={quarter_from} next={person} {role} due={due}",
    ),
    (
        "cadence.follow_up_call_due",
        "C4 {order} done={completed_on} within={within} due={due}",
    ),
    (
        "cadence.record_review_due",
        "C5 last={last_review?} began={records_began?} every={every} from={customer_since} due={due}",
    ),
    (
        "cadence.maintenance_reminder_due",
        "C5u {unit_kind} {unit} {unit_label?} service={due} last={last_serviced?} installed={installed_on} every={service_every_months?}mo/{service_every_days?}d from={window_from}",
    ),
    (
        "cadence.birthday_note_due",
        "C6b {person} birthday={due} leap={leap_day} from={window_from}",
    ),
    (
        "cadence.thank_you_note_due",
        "C6t {order} done={completed_on} within={within} due={due}",
    ),
    (
        "cadence.recovery_call_due",
        "C7 {survey} on={answered_on} {score}/{scale_max} hint={unhappy_hint} tried={last_attempt?} retry={retry_every?} due={due}",
    ),
    (
        "cadence.plan_next_service_due",
        "C8 {order} done={completed_on} within={within} due={due}",
    ),
    (
        "cadence.discovery_due",
        "C9 {account} asked={asked_on?} every={every?} due={due}",
    ),
    (
        "cadence.not_due",
        "later: {obligation} due={due} opens={window_from} after={through}",
    ),
    ("cadence.satisfied", "met: {obligation}"),
    (
        "cadence.do_not_contact",
        "suppressed: {obligation} {person?}@{account} not on {channels} due={due}",
    ),
    (
        "cadence.deferred",
        "deferred: {items} of {account} {rule} through={through} {limit} overdue={overdue} worst={worst_days_overdue} earliest={earliest_due} keys={first_keys}",
    ),
    (
        "cadence.too_few_key_people",
        "few roles: {account} {roles} min={min_roles}",
    ),
    (
        "cadence.missed",
        "missed: {obligation?} due={due} limit={limit?}",
    ),
    (
        "cadence.moved",
        "moved: {item} due={due} could={could_go_on} {limit} to={moved_to}",
    ),
    (
        "cadence.due_item",
        "{channel?} {person?} {role?} @{account} due={due} late={days_overdue} at={contact_from?} {zone?} on={planned_on} {reasons}x {rules}",
    ),
];

fn all_codes() -> Vec<&'static str> {
    let mut all: Vec<&str> = ObligationCode::ALL.iter().map(|k| k.code()).collect();
    all.extend(ExplanationCode::ALL.iter().map(|c| c.code()));
    all.push(DueItem::CODE);
    all
}

/// What one verdict shows: its code, arguments and sentence.
type Verdict = (&'static str, Args, String);

fn verdicts_of(items: &[DueItem], notes: &[retention::cadence::Explanation]) -> Vec<Verdict> {
    let mut out = Vec::new();
    for item in items {
        out.push((DueItem::CODE, item.args.clone(), item.sentence.clone()));
        for o in &item.obligations {
            out.push((o.code.code(), o.args.clone(), o.sentence.clone()));
        }
    }
    for e in notes {
        out.push((e.code.code(), e.args.clone(), e.sentence.clone()));
    }
    out
}

fn of_plan(plan: &Plan) -> Vec<Verdict> {
    verdicts_of(&plan.due, &plan.explanations)
}

fn explaining() -> CadencePolicy {
    CadencePolicy {
        explain_not_due: true,
        ..Default::default()
    }
}

/// A desk book's agenda, with the cadence explaining what is not due.
fn desk(json: &str, y: i32, m: u32, day: u32) -> Vec<Verdict> {
    let mut v: serde_json::Value = serde_json::from_str(json).unwrap();
    v["policies"]["cadence"]["explain_not_due"] = serde_json::json!(true);
    let book = retention::desk::Book::from_json(&v.to_string()).unwrap();
    let agenda = book
        .agenda(Utc.with_ymd_and_hms(y, m, day, 15, 0, 0).unwrap())
        .unwrap();
    let items: Vec<DueItem> = agenda
        .touches
        .iter()
        .flat_map(|g| g.items.iter().cloned())
        .collect();
    verdicts_of(&items, &agenda.cadence_notes)
}

fn unhappy(id: &str, when: retention::chrono::DateTime<Utc>) -> SurveyResponse {
    SurveyResponse::new(
        id,
        "a-1",
        when,
        Decimal::from(3),
        SurveyScale::zero_to_ten(),
    )
}

/// Small books that show what the samples may not: every obligation, suppression,
/// deferral, move, lapse and satisfied obligation.
fn fixtures() -> Vec<Vec<Verdict>> {
    let mut out = Vec::new();
    // Nothing due: every obligation not due or satisfied, said so.
    out.push(of_plan(
        &planner_with(explaining())
            .plan(&settled_book(), now())
            .unwrap(),
    ));

    // Touch overdue, visit due, a key person, a key role missing, a suppressed person.
    let mut b = settled_book();
    b.interactions[0].at = at(2026, 9, 29, 16, 0);
    b.interactions[1].at = at(2026, 7, 20, 16, 0);
    b.people
        .push(person("p-3", "a-1", Role::Receptionist, true));
    b.people[2].channels.do_not_contact = Channel::ALL.to_vec();
    out.push(of_plan(
        &planner_with(explaining()).plan(&b, now()).unwrap(),
    ));

    // Too few key roles on file.
    let mut b = settled_book();
    b.people[1].key_contact = false;
    out.push(of_plan(&planner().plan(&b, now()).unwrap()));

    // A quiet customer (K1), and one whom nobody may be reached on the rung for.
    let mut b = settled_book();
    b.interactions.clear();
    for (i, m) in [6, 7, 8, 9].into_iter().enumerate() {
        b.interactions.push(customer_call(
            &format!("i-0{i}"),
            "a-1",
            at(2026, m, 11, 15, 0),
        ));
    }
    b.interactions.push(touch(
        "i-2",
        "a-1",
        Some("p-1"),
        at(2026, 11, 10, 16, 0),
        Channel::Email,
        Outcome::Delivered,
    ));
    out.push(of_plan(&planner().plan(&b, now()).unwrap()));
    for p in &mut b.people {
        p.channels.do_not_contact = vec![Channel::Visit, Channel::Phone];
    }
    out.push(of_plan(
        &planner().plan(&b, at(2026, 12, 20, 15, 0)).unwrap(),
    ));

    // Orders: a follow-up call, a thank-you note, a next service to plan; a lapsed
    // thank-you note; the satisfied ones.
    let mut b = settled_book();
    let mut first = CompletedOrder::new("o-1", "a-1", at(2026, 11, 23, 14, 0));
    first.first_for_account = true;
    b.orders.push(first);
    out.push(of_plan(
        &planner_with(explaining()).plan(&b, now()).unwrap(),
    ));
    let mut b = settled_book();
    let mut old = CompletedOrder::new("o-1", "a-1", at(2026, 10, 20, 14, 0));
    old.first_for_account = true;
    old.next_service_planned_on = Some(d(2027, 4, 20));
    b.orders.push(old);
    b.interactions.push(touch(
        "i-8",
        "a-1",
        Some("p-1"),
        at(2026, 10, 21, 16, 0),
        Channel::Phone,
        Outcome::Connected,
    ));
    out.push(of_plan(
        &planner_with(explaining()).plan(&b, now()).unwrap(),
    ));
    let mut b = settled_book();
    let mut old = CompletedOrder::new("o-1", "a-1", at(2026, 11, 2, 14, 0));
    old.first_for_account = true;
    old.next_service_not_needed = true;
    b.orders.push(old);
    b.interactions.push(touch(
        "i-8",
        "a-1",
        Some("p-1"),
        at(2026, 11, 3, 16, 0),
        Channel::Letter,
        Outcome::Delivered,
    ));
    out.push(of_plan(
        &planner_with(explaining()).plan(&b, now()).unwrap(),
    ));

    // Surveys: a manager's call, its retry after an unanswered attempt, and one met.
    let mut b = settled_book();
    b.surveys.push(unhappy("s-1", at(2026, 11, 24, 14, 0)));
    out.push(of_plan(&planner().plan(&b, now()).unwrap()));
    b.interactions.push(touch(
        "i-9",
        "a-1",
        Some("p-1"),
        at(2026, 11, 25, 14, 30),
        Channel::Phone,
        Outcome::NoAnswer,
    ));
    out.push(of_plan(&planner().plan(&b, now()).unwrap()));
    b.interactions.push(touch(
        "i-10",
        "a-1",
        Some("p-1"),
        at(2026, 11, 25, 14, 45),
        Channel::Phone,
        Outcome::Connected,
    ));
    out.push(of_plan(
        &planner_with(explaining()).plan(&b, now()).unwrap(),
    ));

    // Units: a reminder due, with and without a label, and one that rode along.
    let mut b = settled_book();
    let mut boiler = InstalledUnit::new(
        "u-1",
        "a-1",
        "boiler",
        d(2020, 12, 5),
        ServiceInterval::Months(12),
    );
    boiler.last_serviced_on = Some(d(2025, 12, 5));
    b.units.push(boiler);
    let mut rtu = InstalledUnit::new(
        "u-2",
        "a-1",
        "rooftop unit",
        d(2026, 6, 1),
        ServiceInterval::Days(180),
    );
    rtu.label = Some("RTU-1".into());
    b.units.push(rtu);
    out.push(of_plan(&planner().plan(&b, now()).unwrap()));
    b.interactions.push(touch(
        "i-7",
        "a-1",
        Some("p-1"),
        at(2026, 11, 24, 15, 0),
        Channel::Phone,
        Outcome::Connected,
    ));
    out.push(of_plan(
        &planner_with(explaining()).plan(&b, now()).unwrap(),
    ));

    // Birthdays: one due (a leap day placed), one gone by (missed), one with a note.
    let mut b = settled_book();
    b.people[0].birthday = Some(Birthday {
        month: 11,
        day: 20,
        year: None,
    });
    b.people[1].birthday = Some(Birthday {
        month: 2,
        day: 29,
        year: Some(1980),
    });
    out.push(of_plan(&planner().plan(&b, now()).unwrap()));
    out.push(of_plan(
        &planner().plan(&b, at(2027, 2, 24, 15, 0)).unwrap(),
    ));
    b.interactions.push(touch(
        "i-7",
        "a-1",
        Some("p-1"),
        at(2027, 11, 15, 16, 0),
        Channel::Letter,
        Outcome::Delivered,
    ));
    out.push(of_plan(
        &planner_with(explaining())
            .plan(&b, at(2027, 11, 16, 15, 0))
            .unwrap(),
    ));

    // Birthdays the rep's capacity leaves no day for by their day: missed, with the limit.
    let mut b = settled_book();
    for i in 3..=7 {
        let id = format!("p-{i}");
        b.people.push(person(&id, "a-1", Role::Other, false));
        if let Some(p) = b.people.last_mut() {
            p.birthday = Some(Birthday {
                month: 11,
                day: 27,
                year: None,
            });
        }
    }
    let mut policy = CadencePolicy::default();
    policy.caps.daily_capacity_per_rep = 1;
    out.push(of_plan(&planner_with(policy).plan(&b, now()).unwrap()));

    // The weekly cap moves a touch to a later day.
    let mut b = settled_book();
    b.interactions[0].at = at(2026, 9, 29, 16, 0);
    b.interactions[1].at = at(2026, 10, 1, 16, 0);
    for (i, day) in [(3, 23), (4, 24)] {
        b.interactions.push(touch(
            &format!("i-{i}"),
            "a-1",
            Some("p-1"),
            at(2026, 11, day, 16, 0),
            Channel::Sms,
            Outcome::Delivered,
        ));
    }
    let mut policy = CadencePolicy::default();
    policy.touch.channels = vec![Channel::Phone, Channel::Email, Channel::Visit];
    out.push(of_plan(&planner_with(policy).plan(&b, now()).unwrap()));

    // More work than the horizon holds: deferred, one note per account, rule and limit.
    let mut policy = CadencePolicy::default();
    policy.caps.daily_capacity_per_rep = 1;
    policy.horizon = retention::model::Span::Days(1);
    let mut b = PlanInput::default();
    for i in 1..=3 {
        let id = format!("a-{i}");
        b.accounts.push(account(&id, d(2024, 1, 10)));
        b.reviews.push(retention::cadence::RecordReview::new(
            id.as_str(),
            d(2026, 11, 12),
        ));
        b.interactions.push(touch(
            &format!("i-{i}"),
            &id,
            None,
            at(2026, 10, 10 + i, 16, 0),
            Channel::Visit,
            Outcome::Connected,
        ));
    }
    out.push(of_plan(
        &planner_with(policy.clone()).plan(&b, now()).unwrap(),
    ));
    // With people, overdue touches (the history begins after the relationship), and a
    // discovery on file.
    b.history_since = Some(d(2025, 11, 1));
    b.interactions.clear();
    for i in 1..=3 {
        b.people.push(person(
            &format!("p-{i}"),
            &format!("a-{i}"),
            Role::Owner,
            true,
        ));
    }
    out.push(of_plan(
        &planner_with(policy.clone()).plan(&b, now()).unwrap(),
    ));
    if let Some(a) = b.accounts.first_mut() {
        a.discovery = Some(Discovery::new(d(2025, 11, 20)));
    }
    out.push(of_plan(&planner().plan(&b, now()).unwrap()));
    out
}

#[test]
fn every_cadence_code_has_a_telegraph() {
    table_covers(&all_codes(), TABLE).unwrap();
}

#[test]
fn every_cadence_verdict_renders_from_its_arguments_alone() {
    let mut corpus = desk(include_str!("../examples/data/hvac.json"), 2026, 11, 24);
    for f in fixtures() {
        corpus.extend(f);
    }
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut longest = (0, String::new());
    let mut problems = Vec::new();
    for (code, args, sentence) in &corpus {
        *seen.entry(code).or_default() += 1;
        if let Err(e) = check(code, args, sentence, TABLE) {
            problems.push(e);
        }
        if sentence.len() > longest.0 {
            longest = (sentence.len(), sentence.clone());
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let missing: BTreeSet<&str> = all_codes()
        .into_iter()
        .filter(|c| !seen.contains_key(c))
        .collect();
    assert!(
        missing.is_empty(),
        "no verdict shows {missing:?}; seen {seen:?}"
    );
    // One reason a sentence: none runs long.
    assert!(longest.0 <= 200, "{} characters: {}", longest.0, longest.1);
}

#[test]
fn a_due_items_line_says_whom_how_by_when_and_how_many_reasons() {
    let mut b = settled_book();
    b.interactions[0].at = at(2026, 9, 29, 16, 0);
    b.interactions[1].at = at(2026, 10, 27, 16, 0);
    let plan = planner().plan(&b, now()).unwrap();
    let item = plan
        .due
        .iter()
        .find(|i| i.key.starts_with("C1"))
        .expect("a touch is due");
    // One line (whom, how, by when, from when in the person's time, how many reasons),
    // and each reason its own sentence.
    assert_eq!(
        item.sentence,
        "Call Person p-1 (owner) at Account a-1 by 2026-11-24 (1 day overdue), from Wed 25 Nov 2026, 08:00 CST: 1 reason (C1)",
        "{:#?}",
        item.obligations
    );
    assert_eq!(
        item.obligations[0].sentence,
        "last touch on 2026-10-27; a touch is due every 28 days, so by 2026-11-24"
    );
    // In JSON the item's args sit beside its sentence.
    let json = serde_json::to_value(item).unwrap();
    assert_eq!(
        json["args"]["days_overdue"],
        serde_json::json!({"count": 1})
    );
    assert_eq!(
        json["args"]["zone"],
        serde_json::json!({"zone": "America/Chicago"})
    );
    assert_eq!(
        json["obligations"][0]["args"]["due"],
        serde_json::json!({"date": "2026-11-24"})
    );
}
