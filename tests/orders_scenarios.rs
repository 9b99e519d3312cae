//! Order completeness (O1-O9), told as the practice tells it.

use chrono::TimeDelta;
use retention::model::{Money, Rule, UserId};
use retention::orders::{
    ChecklistEntry, FindingCode, Instructions, ItemState, Observation, ObservationKind,
    Observations, OrderPolicy, OrderReport, PartLine, Severity, Stage, StatusChange, WorkDone,
    check_now, check_orders, check_transition, opportunities,
};
use rust_decimal::Decimal;

use crate::orders_fixture::*;

#[test]
fn a_job_done_by_the_book_may_close_with_every_requirement_met() {
    let order = by_the_book();
    let r = check_transition(&order, Stage::Closed, at(60), &policy()).unwrap();
    assert!(r.allowed);
    assert_eq!(codes(&r), Vec::<&str>::new());
    assert_eq!(r.progress.met, r.progress.total);
    assert_eq!(r.progress.total, 28);
    assert_eq!(r.stage, Stage::SignedOff);
    assert_eq!(r.target, Some(Stage::Closed));
}

#[test]
fn a_job_closed_without_the_customers_signature_is_blocked() {
    let mut order = by_the_book();
    order.sign_off = None;
    order.status_history.pop(); // back to completed
    let r = check_transition(&order, Stage::Closed, at(60), &policy()).unwrap();
    assert!(!r.allowed);
    let f = &r.findings[0];
    assert_eq!(f.code, FindingCode::SignatureMissing);
    assert_eq!(f.code.code(), "close.signature_missing");
    assert_eq!(f.severity, Severity::Blocker);
    assert_eq!(f.rule, Rule::O3);
    assert_eq!(f.path.as_str(), "sign_off");
    assert_eq!(r.progress.to_string(), "23 of 28 requirements met");
}

#[test]
fn closing_lists_every_missing_piece_at_once_not_just_the_first() {
    let mut order = just_completed();
    order.clean_up_confirmed = false;
    order.observations = None;
    order.completion_notice = None;
    order.checklist.as_mut().unwrap().items.pop();
    let r = check_transition(&order, Stage::Closed, at(57), &policy()).unwrap();
    assert_eq!(
        codes(&r),
        [
            "complete.checklist_item_open",
            "complete.clean_up_not_confirmed",
            "complete.observations_missing",
            "close.signature_missing",
            "close.customer_not_told",
            "close.thanks_missing",
            "close.referral_not_asked",
            "close.feedback_not_asked",
            "close.next_service_not_agreed",
            "status.completion_not_told",
        ]
    );
    assert_eq!(r.blockers().count(), 4);
    assert_eq!(r.findings[0].subject.as_deref(), Some("flue_test"));
    assert_eq!(
        r.findings[9].sentence,
        "completed 3 hours ago and the customer has not been told; the policy allows 2 hours"
    );
}

#[test]
fn a_job_on_hold_for_3_days_with_no_update_to_the_customer_is_flagged() {
    let mut order = just_completed();
    order.status_history.truncate(3);
    order
        .status_history
        .push(StatusChange::new(Stage::OnHold, at(54)));
    order.customer_updates = vec![update(
        54,
        "The valve is on order",
        Some("We call you when it arrives"),
    )];
    let r = check_now(&order, at(54 + 72), &policy()).unwrap();
    let f = r
        .findings
        .iter()
        .find(|f| f.code == FindingCode::CustomerNotUpdated)
        .expect("flagged");
    assert_eq!(f.rule, Rule::O4);
    assert_eq!(
        f.sentence,
        "on hold for 3 days; the last status update to the customer was 3 days ago; the policy allows 24 hours"
    );
    // A day later an update went out: within the limit again.
    order
        .customer_updates
        .push(update(54 + 60, "Still waiting on the supplier", None));
    let r = check_now(&order, at(54 + 72), &policy()).unwrap();
    assert!(!r.has(FindingCode::CustomerNotUpdated));
}

#[test]
fn a_job_in_progress_all_day_without_a_word_to_the_customer_is_flagged() {
    let mut order = just_completed();
    order.status_history.truncate(3); // in progress since Wednesday 14:00
    let r = check_now(&order, at(53 + 9), &policy()).unwrap();
    let f = r
        .findings
        .iter()
        .find(|f| f.code == FindingCode::CustomerNotUpdated)
        .expect("flagged");
    assert_eq!(
        f.sentence,
        "in progress for 9 hours; no status update to the customer in that time; the policy allows 8 hours"
    );
    assert!(
        !check_now(&order, at(53 + 7), &policy())
            .unwrap()
            .has(FindingCode::CustomerNotUpdated)
    );
}

#[test]
fn a_job_goes_on_hold_only_when_the_customer_knows_why_and_what_happens_next() {
    let mut order = just_completed();
    order.status_history.truncate(3);
    let r = check_transition(&order, Stage::OnHold, at(54), &policy()).unwrap();
    assert!(!r.allowed);
    assert_eq!(codes(&r), ["hold.customer_not_told"]);
    // Told why, but not what happens next: still blocked.
    order.customer_updates = vec![update(54, "The valve is on order", None)];
    assert!(
        !check_transition(&order, Stage::OnHold, at(54), &policy())
            .unwrap()
            .allowed
    );
    order.customer_updates[0].next_step = Some("Back on Friday 9-11am".into());
    let r = check_transition(&order, Stage::PartiallyComplete, at(54), &policy()).unwrap();
    assert!(r.allowed, "{:?}", r.findings);
}

#[test]
fn a_cancelled_order_needs_the_customer_told() {
    let mut order = just_completed();
    order.status_history.truncate(1);
    let r = check_transition(&order, Stage::Cancelled, at(3), &policy()).unwrap();
    assert_eq!(codes(&r), ["cancel.customer_not_told"]);
    order.customer_updates = vec![update(2, "Cancelled at your request; no charge", None)];
    assert!(
        check_transition(&order, Stage::Cancelled, at(3), &policy())
            .unwrap()
            .allowed
    );
}

#[test]
fn an_intake_that_never_asked_about_special_instructions_is_flagged_but_none_is_an_answer() {
    let mut order = just_completed();
    order.status_history.truncate(1);
    order.intake.special_instructions = None;
    let r = check_now(&order, at(1), &policy()).unwrap();
    assert_eq!(codes(&r), ["schedule.instructions_not_asked"]);
    assert_eq!(r.findings[0].path.as_str(), "intake.special_instructions");
    assert!(r.allowed, "a warning does not block");
    order.intake.special_instructions = Some(Instructions::None {});
    assert_eq!(
        codes(&check_now(&order, at(1), &policy()).unwrap()),
        Vec::<&str>::new()
    );
}

#[test]
fn scheduling_needs_the_request_the_site_and_an_appointment() {
    let mut order = just_completed();
    order.status_history.clear();
    order.intake.request = "  ".into();
    order.site = None;
    order.contact = None;
    order.planned_work.clear();
    order.work_performed.clear();
    order.appointment = None;
    let r = check_transition(&order, Stage::Scheduled, at(0), &policy()).unwrap();
    assert_eq!(
        codes(&r),
        [
            "schedule.request_missing",
            "schedule.site_missing",
            "schedule.contact_missing",
            "schedule.work_items_missing",
            "schedule.appointment_missing",
        ]
    );
    assert_eq!(r.blockers().count(), 3);
    assert_eq!(r.progress.to_string(), "2 of 8 requirements met");
}

#[test]
fn an_appointment_set_two_days_after_the_first_call_is_noted() {
    let mut order = just_completed();
    order.appointment.as_mut().unwrap().set_at = at(50);
    let r = check_now(&order, at(55), &policy()).unwrap();
    let f = r
        .findings
        .iter()
        .find(|f| f.code == FindingCode::AppointmentNotOnFirstContact)
        .unwrap();
    assert_eq!(f.severity, Severity::Info);
    assert_eq!(f.rule, Rule::O1);
    assert_eq!(
        f.sentence,
        "the appointment was set 2 days 2 hours after the first contact; the policy asks for it within 30 minutes"
    );
}

#[test]
fn an_appointment_not_confirmed_the_day_before_is_flagged() {
    let mut order = just_completed();
    order.status_history.truncate(1);
    order.appointment.as_mut().unwrap().confirmed_at = None;
    // Appointment Wednesday 14:00; Tuesday 13:00 is 25 hours before: not yet.
    assert!(
        !check_now(&order, at(28), &policy())
            .unwrap()
            .has(FindingCode::AppointmentNotConfirmed)
    );
    let r = check_now(&order, at(30), &policy()).unwrap();
    let f = r
        .findings
        .iter()
        .find(|f| f.code == FindingCode::AppointmentNotConfirmed)
        .unwrap();
    assert_eq!(
        f.sentence,
        "the appointment starts in 23 hours and the customer has not confirmed it; the policy asks for confirmation 24 hours before"
    );
    order.appointment.as_mut().unwrap().confirmed_at = Some(at(29));
    assert!(
        !check_now(&order, at(30), &policy())
            .unwrap()
            .has(FindingCode::AppointmentNotConfirmed)
    );
}

#[test]
fn a_completed_job_not_signed_off_after_a_day_is_flagged() {
    let order = just_completed();
    assert!(
        !check_now(&order, at(54 + 23), &policy())
            .unwrap()
            .has(FindingCode::SignOffOverdue)
    );
    let r = check_now(&order, at(54 + 26), &policy()).unwrap();
    let f = r
        .findings
        .iter()
        .find(|f| f.code == FindingCode::SignOffOverdue)
        .unwrap();
    assert_eq!(
        f.sentence,
        "completed 1 day 2 hours ago and not signed off; the policy allows 24 hours"
    );
}

#[test]
fn a_completed_job_the_customer_was_never_told_about_is_flagged() {
    let mut order = just_completed();
    order.completion_notice = None;
    let r = check_now(&order, at(54) + TimeDelta::minutes(150), &policy()).unwrap();
    let f = r
        .findings
        .iter()
        .find(|f| f.code == FindingCode::CompletionNotToldInTime)
        .unwrap();
    assert_eq!(f.rule, Rule::O5);
    assert_eq!(
        f.sentence,
        "completed 2 hours 30 minutes ago and the customer has not been told; the policy allows 2 hours"
    );
}

#[test]
fn a_signature_goes_stale_when_the_parts_change_after_signing() {
    let mut order = by_the_book();
    order
        .parts_used
        .push(PartLine::new("PIPE-15", Decimal::new(25, 1)));
    let r = check_transition(&order, Stage::Closed, at(60), &policy()).unwrap();
    assert!(!r.allowed);
    assert_eq!(
        codes(&r),
        ["complete.part_not_planned", "close.signature_stale"]
    );
    assert_eq!(
        r.findings[0].sentence,
        "part `PIPE-15`: 2.5 used, none planned"
    );
    assert_eq!(r.findings[1].path.as_str(), "sign_off.work_fingerprint");
    // The customer signs again for what was really done.
    order.sign_off.as_mut().unwrap().work_fingerprint = Some(order.work_fingerprint());
    assert!(
        check_transition(&order, Stage::Closed, at(60), &policy())
            .unwrap()
            .allowed
    );
}

#[test]
fn a_checklist_tick_goes_stale_when_the_work_changes_after_it() {
    let mut order = by_the_book();
    let fp = order.work_fingerprint();
    if let ItemState::Done {
        work_fingerprint, ..
    } = &mut order.checklist.as_mut().unwrap().items[1].state
    {
        *work_fingerprint = Some(fp);
    }
    assert!(
        check_now(&order, at(60), &policy())
            .unwrap()
            .findings
            .is_empty()
    );
    order.work_performed[1]
        .description
        .push_str(" and the seal");
    let r = check_now(&order, at(60), &policy()).unwrap();
    assert_eq!(
        codes(&r),
        ["complete.checklist_tick_stale", "close.signature_stale"]
    );
    assert_eq!(r.findings[0].path.as_str(), "checklist.items[1]");
    assert_eq!(r.findings[0].subject.as_deref(), Some("flue_test"));
}

#[test]
fn a_waiver_says_who_and_why_and_only_where_the_template_allows_one() {
    let mut order = just_completed();
    let items = &mut order.checklist.as_mut().unwrap().items;
    items[0] = ChecklistEntry::new(
        "isolate_power",
        ItemState::Waived {
            by: UserId::new("u-9"),
            reason: "Customer in a hurry".into(),
        },
    );
    items[1] = ChecklistEntry::new(
        "flue_test",
        ItemState::Waived {
            by: UserId::new("u-9"),
            reason: " ".into(),
        },
    );
    let r = check_transition(&order, Stage::Completed, at(54), &policy()).unwrap();
    assert_eq!(
        codes(&r),
        [
            "complete.item_satisfied_wrong_way",
            "complete.waiver_unexplained"
        ]
    );
    assert_eq!(
        r.findings[0].sentence,
        "\"Isolate the power\" was waived by u-9, but its template does not allow a waiver"
    );
    assert_eq!(
        r.findings[1].sentence,
        "\"Flue gas test\" was waived by u-9 without a reason"
    );
}

#[test]
fn a_checklist_from_another_service_type_does_not_count() {
    let mut spec = policy().spec().clone();
    let mut other = spec.templates[0].clone();
    other.id = "ac-v1".into();
    other.service_type = "ac_service".into();
    spec.templates.push(other);
    let policy = OrderPolicy::new(spec).unwrap();
    let mut order = just_completed();
    order.checklist.as_mut().unwrap().template = "ac-v1".into();
    let r = check_transition(&order, Stage::Completed, at(54), &policy).unwrap();
    assert_eq!(
        codes(&r),
        [
            "complete.checklist_wrong_template",
            "complete.checklist_item_open",
            "complete.checklist_item_open",
        ]
    );
}

#[test]
fn parts_used_are_reconciled_against_the_plan() {
    let mut order = just_completed();
    order.parts_used = vec![
        PartLine::new("SEAL-8", Decimal::ONE),
        PartLine::new("SEAL-8", Decimal::new(20, 1)),
        PartLine::new("FUSE-3", Decimal::ONE),
    ];
    let r = check_transition(&order, Stage::Completed, at(54), &policy()).unwrap();
    assert_eq!(
        codes(&r),
        [
            "complete.part_not_planned",
            "complete.part_quantity_differs",
            "complete.part_quantity_differs",
        ]
    );
    let msgs: Vec<&str> = r.findings.iter().map(|f| f.sentence.as_str()).collect();
    assert_eq!(
        msgs,
        [
            "part `FUSE-3`: 1 used, none planned",
            "part `VALVE-22`: 1 planned, 0 used",
            "part `SEAL-8`: 2 planned, 3 used",
        ]
    );
    assert!(r.allowed, "parts differences are warnings by default");
}

#[test]
fn planned_work_with_nothing_done_against_it_is_flagged() {
    let mut order = just_completed();
    order.work_performed.truncate(1);
    let r = check_transition(&order, Stage::Completed, at(54), &policy()).unwrap();
    assert_eq!(codes(&r), ["complete.planned_work_not_done"]);
    assert_eq!(r.findings[0].subject.as_deref(), Some("w-2"));
    assert_eq!(r.findings[0].path.as_str(), "planned_work[1]");
    order.work_performed.clear();
    let r = check_transition(&order, Stage::Completed, at(54), &policy()).unwrap();
    assert_eq!(codes(&r)[0], "complete.work_not_documented");
}

#[test]
fn a_signature_taken_off_site_is_a_warning_and_one_before_the_work_a_blocker() {
    let mut order = by_the_book();
    order.sign_off.as_mut().unwrap().on_site = false;
    let r = check_now(&order, at(60), &policy()).unwrap();
    assert_eq!(codes(&r), ["close.signed_off_site"]);
    assert!(r.allowed);
    order.sign_off.as_mut().unwrap().at = at(50);
    let r = check_now(&order, at(60), &policy()).unwrap();
    assert_eq!(
        codes(&r),
        ["close.signed_off_site", "close.signed_before_work"]
    );
    assert_eq!(
        r.findings[1].sentence,
        "signed Wed 4 Mar 2026, 11:00 UTC, 3 hours before the work started Wed 4 Mar 2026, 14:00 UTC"
    );
    assert!(!r.allowed);
}

#[test]
fn a_business_can_raise_or_lower_any_codes_severity() {
    let mut spec = policy().spec().clone();
    spec.severities
        .insert("close.thanks_missing".into(), Severity::Blocker);
    spec.severities
        .insert("close.signature_missing".into(), Severity::Warning);
    let strict = OrderPolicy::new(spec).unwrap();
    let mut order = by_the_book();
    order.thanked_at = None;
    assert!(
        check_transition(&order, Stage::Closed, at(60), &policy())
            .unwrap()
            .allowed
    );
    assert!(
        !check_transition(&order, Stage::Closed, at(60), &strict)
            .unwrap()
            .allowed
    );
    order.thanked_at = Some(at(54));
    order.sign_off = None;
    order.status_history.pop();
    assert!(
        check_transition(&order, Stage::Closed, at(60), &strict)
            .unwrap()
            .allowed
    );
}

#[test]
fn the_lifecycle_refuses_skipping_the_work_and_reopening_a_closed_order() {
    let mut order = just_completed();
    order.status_history.truncate(1);
    let r = check_transition(&order, Stage::Completed, at(3), &policy()).unwrap();
    assert_eq!(r.findings[0].code, FindingCode::TransitionNotAllowed);
    assert_eq!(
        r.findings[0].sentence,
        "an order that is scheduled cannot move to completed"
    );
    let mut closed = by_the_book();
    closed
        .status_history
        .push(StatusChange::new(Stage::Closed, at(60)));
    let r = check_transition(&closed, Stage::InProgress, at(61), &policy()).unwrap();
    assert_eq!(codes(&r), ["lifecycle.transition_not_allowed"]);
    // A completed job can be reopened.
    let r = check_transition(&just_completed(), Stage::InProgress, at(55), &policy()).unwrap();
    assert!(r.allowed);
}

#[test]
fn a_service_type_without_a_template_needs_no_checklist() {
    let mut order = just_completed();
    order.checklist = None;
    let r = check_transition(&order, Stage::Completed, at(54), &OrderPolicy::default()).unwrap();
    assert!(r.allowed);
    let r = check_transition(&order, Stage::Completed, at(54), &policy()).unwrap();
    assert_eq!(
        codes(&r),
        [
            "complete.checklist_missing",
            "complete.checklist_item_open",
            "complete.checklist_item_open"
        ]
    );
}

#[test]
fn observations_of_none_is_an_answer_and_absent_is_not() {
    let mut order = just_completed();
    order.observations = None;
    let r = check_transition(&order, Stage::Completed, at(54), &policy()).unwrap();
    assert_eq!(codes(&r), ["complete.observations_missing"]);
    order.observations = Some(Observations::None {});
    assert!(
        check_transition(&order, Stage::Completed, at(54), &policy())
            .unwrap()
            .findings
            .is_empty()
    );
}

#[test]
fn the_technicians_upgrade_observations_become_a_list_for_sales() {
    let mut a = by_the_book();
    let mut b = by_the_book();
    b.id = "o-2".into();
    b.technician = Some(UserId::new("u-7"));
    let mut upgrade = Observation::new(ObservationKind::ValueAdd, "No carbon monoxide alarm");
    upgrade.estimated_value = Some(Money::new(Decimal::new(4500, 2), "USD".parse().unwrap()));
    b.observations = Some(Observations::Recorded {
        items: vec![upgrade],
    });
    a.observations = Some(Observations::None {});
    let c = by_the_book();
    let list = opportunities(&[a, b, c]);
    let seen: Vec<(&str, ObservationKind, &str, String)> = list
        .iter()
        .map(|o| {
            (
                o.order.as_str(),
                o.category,
                o.note.as_str(),
                o.path.to_string(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                "o-2",
                ObservationKind::ValueAdd,
                "No carbon monoxide alarm",
                "observations.items[0]".to_string()
            ),
            (
                "o-1041",
                ObservationKind::Upgrade,
                "Boiler is 19 years old",
                "observations.items[0]".to_string()
            ),
        ]
    );
    assert_eq!(list[0].technician.as_ref().map(|u| u.as_str()), Some("u-7"));
    assert_eq!(list[0].observed_at, Some(at(54)));
    assert!(list[0].estimated_value.is_some());
}

#[test]
fn a_batch_checks_every_order_and_a_bad_one_does_not_stop_the_rest() {
    let good = by_the_book();
    let mut bad = by_the_book();
    bad.status_history[2].at = at(1);
    let mut unsigned = just_completed();
    unsigned
        .work_performed
        .push(WorkDone::new("Bled the radiators"));
    let out = check_orders(&[good, bad, unsigned], at(80), &policy());
    assert_eq!(out.len(), 3);
    assert!(out[0].as_ref().unwrap().allowed);
    let err = out[1].as_ref().unwrap_err();
    assert_eq!(err.code(), "orders.status_out_of_order");
    assert_eq!(err.path().as_str(), "orders[1].status_history[2].at");
    let r: &OrderReport = out[2].as_ref().unwrap();
    // A completed order is checked for its after care too (issue 14: O8/O9 do not stop
    // at completion).
    assert_eq!(
        codes(r),
        [
            "close.thanks_missing",
            "close.referral_not_asked",
            "close.feedback_not_asked",
            "close.next_service_not_agreed",
            "status.sign_off_overdue"
        ]
    );
}

#[test]
fn a_report_reads_back_from_its_json() {
    let mut order = just_completed();
    order.clean_up_confirmed = false;
    let r = check_transition(&order, Stage::Closed, at(80), &policy()).unwrap();
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(
        json["findings"][0]["code"],
        "complete.clean_up_not_confirmed"
    );
    assert_eq!(json["findings"][0]["severity"], "blocker");
    assert_eq!(json["findings"][0]["rule"], "O6");
    assert_eq!(json["findings"][0]["path"], "clean_up_confirmed");
    assert_eq!(json["target"], "closed");
    let back: OrderReport = serde_json::from_value(json).unwrap();
    assert_eq!(back, r);
}
