//! Every kind of unusable order or policy, and the code and path it gets. Where the data
//! is valid but the business situation is wrong (a sign-off before the work started), the
//! answer is a finding in an `Ok` report instead: tested here too, so the line between
//! the two stays where the module docs draw it.

use retention::Error;
use retention::model::UserId;
use retention::orders::{
    ChecklistEntry, ChecklistTemplate, FindingCode, ItemState, OrderPolicy, PolicySpec,
    ServiceOrder, Severity, Stage, StatusChange, TemplateItem, WorkDone, check_now, check_orders,
    check_transition,
};
use rust_decimal::Decimal;

use crate::orders_fixture::*;

fn problems(e: &Error) -> Vec<(String, &'static str)> {
    e.problems()
        .iter()
        .map(|p| (p.path().to_string(), p.code()))
        .collect()
}

fn err(order: &ServiceOrder) -> Vec<(String, &'static str)> {
    let e = check_now(order, at(60), &policy()).unwrap_err();
    // Both entry points refuse the same order the same way.
    assert_eq!(
        check_transition(order, Stage::Closed, at(60), &policy()).unwrap_err(),
        e
    );
    assert_eq!(order.validate(&policy()).unwrap_err(), e);
    problems(&e)
}

#[test]
fn a_status_history_out_of_time_order_is_refused() {
    let mut o = by_the_book();
    o.status_history[3].at = at(10); // completed before it was dispatched
    assert_eq!(
        err(&o),
        [(
            "status_history[3].at".to_string(),
            "orders.status_out_of_order"
        )]
    );
    // Equal instants are fine (two clicks in the same second).
    let mut o = by_the_book();
    o.status_history[2].at = o.status_history[1].at;
    assert!(o.validate(&policy()).is_ok());
}

#[test]
fn a_checklist_item_missing_from_its_template_is_refused() {
    let mut o = by_the_book();
    o.checklist
        .as_mut()
        .unwrap()
        .items
        .push(done("check_the_fuse", 54));
    assert_eq!(
        err(&o),
        [(
            "checklist.items[2].item".to_string(),
            "orders.unknown_checklist_item"
        )]
    );
}

#[test]
fn a_checklist_item_listed_twice_is_refused() {
    let mut o = by_the_book();
    o.checklist
        .as_mut()
        .unwrap()
        .items
        .push(ChecklistEntry::new(
            "isolate_power",
            ItemState::Waived {
                by: UserId::new("u-2"),
                reason: "x".into(),
            },
        ));
    assert_eq!(
        err(&o),
        [(
            "checklist.items[2].item".to_string(),
            "orders.duplicate_checklist_item"
        )]
    );
}

#[test]
fn a_checklist_from_a_template_the_policy_lacks_is_refused() {
    let mut o = by_the_book();
    o.checklist.as_mut().unwrap().template = "boiler-v1".into();
    assert_eq!(
        err(&o),
        [(
            "checklist.template".to_string(),
            "orders.unknown_checklist_template"
        )]
    );
}

#[test]
fn negative_part_quantities_are_refused() {
    let mut o = by_the_book();
    o.parts_used[1].quantity = Decimal::new(-2, 0);
    o.planned_parts[0].quantity = Decimal::new(-5, 1);
    assert_eq!(
        err(&o),
        [
            (
                "planned_parts[0].quantity".to_string(),
                "orders.negative_quantity"
            ),
            (
                "parts_used[1].quantity".to_string(),
                "orders.negative_quantity"
            ),
        ]
    );
    // Negative zero is zero.
    let mut o = by_the_book();
    o.parts_used[1].quantity = Decimal::new(-0, 2);
    assert!(o.validate(&policy()).is_ok());
}

#[test]
fn an_appointment_window_that_ends_before_it_starts_is_refused() {
    let mut o = by_the_book();
    let a = o.appointment.as_mut().unwrap();
    a.end = a.start;
    assert_eq!(
        err(&o),
        [("appointment.end".to_string(), "orders.appointment_reversed")]
    );
}

#[test]
fn work_tied_to_a_planned_item_that_does_not_exist_is_refused() {
    let mut o = by_the_book();
    o.work_performed
        .push(WorkDone::for_item("Fixed the fuse", "w-9"));
    assert_eq!(
        err(&o),
        [(
            "work_performed[2].item".to_string(),
            "orders.unknown_work_item"
        )]
    );
}

#[test]
fn blank_and_duplicate_ids_are_refused() {
    let mut o = by_the_book();
    o.id = "".into();
    o.technician = Some(UserId::new(" "));
    o.planned_work[1].id = "w-1".into();
    o.work_performed[1].item = Some("w-1".into());
    o.status_history[1].by = Some(UserId::new(""));
    assert_eq!(
        err(&o),
        [
            ("id".to_string(), "model.empty_id"),
            ("technician".to_string(), "model.empty_id"),
            ("status_history[1].by".to_string(), "model.empty_id"),
            ("planned_work[1].id".to_string(), "model.duplicate_id"),
        ]
    );
}

#[test]
fn every_problem_of_an_order_is_reported_at_once() {
    let mut o = by_the_book();
    o.status_history[3].at = at(10);
    o.parts_used[0].quantity = Decimal::NEGATIVE_ONE;
    o.checklist.as_mut().unwrap().items[0].item = "nope".into();
    assert_eq!(
        err(&o),
        [
            (
                "status_history[3].at".to_string(),
                "orders.status_out_of_order"
            ),
            (
                "parts_used[0].quantity".to_string(),
                "orders.negative_quantity"
            ),
            (
                "checklist.items[0].item".to_string(),
                "orders.unknown_checklist_item"
            ),
        ]
    );
}

#[test]
fn in_a_batch_the_paths_name_the_order() {
    let mut bad = by_the_book();
    bad.parts_used[0].quantity = Decimal::NEGATIVE_ONE;
    let out = check_orders(&[by_the_book(), by_the_book(), bad], at(60), &policy());
    assert!(out[0].is_ok() && out[1].is_ok());
    let e = out[2].as_ref().unwrap_err();
    assert_eq!(
        problems(e),
        [(
            "orders[2].parts_used[0].quantity".to_string(),
            "orders.negative_quantity"
        )]
    );
}

/// Valid data, wrong business situation: a finding, not an error (see the module docs).
#[test]
fn a_sign_off_before_the_work_started_is_a_blocker_finding_not_an_error() {
    let mut o = by_the_book();
    o.sign_off.as_mut().unwrap().at = at(2);
    assert!(o.validate(&policy()).is_ok());
    let r = check_now(&o, at(60), &policy()).unwrap();
    let f = &r.findings[0];
    assert_eq!(f.code, FindingCode::SignedBeforeWork);
    assert_eq!(f.severity, Severity::Blocker);
    assert_eq!(f.path.as_str(), "sign_off.at");
    // Signed, but the work never started at all.
    o.status_history.retain(|s| s.stage != Stage::InProgress);
    let r = check_now(&o, at(60), &policy()).unwrap();
    assert_eq!(
        r.findings[0].sentence,
        "signed Mon 2 Mar 2026, 11:00 UTC, but the work never started (no in_progress status)"
    );
}

#[test]
fn a_policy_that_contradicts_itself_is_refused_with_every_problem() {
    let mut never = TemplateItem::required("gas_check", "Gas check");
    never.satisfied_by.clear();
    let mut optional_never = TemplateItem::optional("photo", "Photo");
    optional_never.satisfied_by.clear();
    let mut spec = PolicySpec::with_templates(vec![
        ChecklistTemplate::new(
            "t-1",
            "boiler",
            vec![
                never,
                optional_never,
                TemplateItem::required("a", "A"),
                TemplateItem::required("a", "A again"),
                TemplateItem::required("", "Blank"),
            ],
        ),
        ChecklistTemplate::new("t-1", "ac", vec![]),
        ChecklistTemplate::new("t-3", "boiler", vec![]),
        ChecklistTemplate::new(" ", "heat_pump", vec![]),
    ]);
    spec.severities
        .insert("close.signature_missing".into(), Severity::Warning);
    spec.severities
        .insert("close.signatur_missing".into(), Severity::Info);
    spec.time_zone = Some("America/Chicgo".into());
    let e = OrderPolicy::new(spec.clone()).unwrap_err();
    assert_eq!(
        problems(&e),
        [
            (
                "templates[0].items[0].satisfied_by".to_string(),
                "orders.unsatisfiable_item"
            ),
            (
                "templates[0].items[3].id".to_string(),
                "orders.duplicate_checklist_item"
            ),
            ("templates[0].items[4].id".to_string(), "model.empty_id"),
            ("templates[1].id".to_string(), "orders.duplicate_template"),
            (
                "templates[2].service_type".to_string(),
                "orders.duplicate_template"
            ),
            ("templates[3].id".to_string(), "model.empty_id"),
            (
                "severities.close.signatur_missing".to_string(),
                "orders.unknown_finding_code"
            ),
            ("time_zone".to_string(), "model.unknown_time_zone"),
        ]
    );
    // JSON is validated the same way: a bad policy cannot be read.
    let json = serde_json::to_string(&spec).unwrap();
    let read = serde_json::from_str::<OrderPolicy>(&json).unwrap_err();
    assert!(
        read.to_string().contains("orders.unsatisfiable_item"),
        "{read}"
    );
}

#[test]
fn misspelt_or_unknown_json_is_refused_while_reading() {
    let good = serde_json::to_value(by_the_book()).unwrap();
    let mut typo = good.clone();
    typo["sign_of"] = serde_json::json!({"signer_name": "x"});
    assert!(serde_json::from_value::<ServiceOrder>(typo).is_err());
    let mut stage = good.clone();
    stage["status_history"][0]["stage"] = "finished".into();
    assert!(serde_json::from_value::<ServiceOrder>(stage).is_err());
    let mut qty = good.clone();
    qty["parts_used"][0]["quantity"] = "lots".into();
    assert!(serde_json::from_value::<ServiceOrder>(qty).is_err());
    let mut kind = good;
    kind["intake"]["special_instructions"] = serde_json::json!({"kind": "maybe"});
    assert!(serde_json::from_value::<ServiceOrder>(kind).is_err());
    assert!(serde_json::from_str::<PolicySpec>(r#"{"severity": {}}"#).is_err());
    assert!(
        serde_json::from_str::<PolicySpec>(r#"{"severities": {"close.thanks_missing": "fatal"}}"#)
            .is_err()
    );
}

#[test]
fn instants_at_the_edge_of_time_never_panic() {
    use chrono::{DateTime, Utc};
    let mut o = just_completed();
    o.status_history.truncate(1);
    let a = o.appointment.as_mut().unwrap();
    a.start = DateTime::<Utc>::MIN_UTC;
    a.end = DateTime::<Utc>::MIN_UTC + chrono::TimeDelta::hours(1);
    a.confirmed_at = None;
    for now in [DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC] {
        let r = check_now(&o, now, &policy()).unwrap();
        assert!(r.progress.met <= r.progress.total);
    }
    let mut o = just_completed();
    o.status_history = vec![
        StatusChange::new(Stage::InProgress, DateTime::<Utc>::MIN_UTC),
        StatusChange::new(Stage::Completed, DateTime::<Utc>::MIN_UTC),
    ];
    o.first_contact_at = DateTime::<Utc>::MAX_UTC;
    let r = check_now(&o, DateTime::<Utc>::MAX_UTC, &policy()).unwrap();
    assert!(r.has(FindingCode::SignOffOverdue));
}
