//! Order findings render from their arguments alone (issue 15): every finding code is
//! produced by a small corpus of orders, and each finding's sentence is its arguments'
//! English, with no fact they lack, and renders in a second, telegraph form.

use chrono::TimeDelta;
use retention::model::UserId;
use retention::orders::{
    AfterCare, AfterCareWaiver, ChecklistEntry, FindingCode, Intake, ItemState, OrderReport,
    PartLine, ServiceOrder, Stage, check_now, check_transition,
};
use rust_decimal::Decimal;

use crate::orders_fixture::{at, by_the_book, first_call, just_completed, policy};
use crate::render::{check, table_covers};

/// The second, test-only form: every code's facts, tersely.
const TABLE: &[(&str, &str)] = &[
    (
        "lifecycle.transition_not_allowed",
        "MOVE REFUSED {order} {from}>{to}",
    ),
    ("schedule.request_missing", "NO REQUEST"),
    ("schedule.instructions_not_asked", "INSTRUCTIONS NOT ASKED"),
    ("schedule.site_missing", "NO SITE"),
    ("schedule.contact_missing", "NO CONTACT"),
    ("schedule.work_items_missing", "NO WORK ITEMS"),
    ("schedule.appointment_missing", "NO APPOINTMENT"),
    (
        "schedule.appointment_not_on_first_contact",
        "BOOKED AFTER {took} LIMIT {limit}",
    ),
    ("dispatch.technician_missing", "NO TECHNICIAN"),
    ("hold.customer_not_told", "{stage} UNTOLD SINCE {since}"),
    ("cancel.customer_not_told", "CANCELLED UNTOLD SINCE {since}"),
    ("complete.work_not_documented", "NO WORK RECORDED"),
    (
        "complete.planned_work_not_done",
        "UNDONE {item} {description}",
    ),
    (
        "complete.checklist_missing",
        "NO CHECKLIST {service_type} NEEDS {template}",
    ),
    (
        "complete.checklist_wrong_template",
        "CHECKLIST {found} NOT {template} FOR {service_type}",
    ),
    ("complete.checklist_item_open", "OPEN {item} {label}"),
    (
        "complete.item_satisfied_wrong_way",
        "{item} {label} {way} BY {by?} NOT ALLOWED",
    ),
    (
        "complete.waiver_unexplained",
        "{item} {label} WAIVED BY {by} NO REASON",
    ),
    (
        "complete.checklist_tick_stale",
        "STALE TICK {item} {label} {ticked_for}/{now}",
    ),
    ("complete.clean_up_not_confirmed", "CLEAN-UP UNCONFIRMED"),
    ("complete.part_not_planned", "UNPLANNED {part} USED {used?}"),
    (
        "complete.part_quantity_differs",
        "{part} PLANNED {planned?} USED {used?}",
    ),
    ("complete.observations_missing", "NO OBSERVATIONS"),
    ("close.signature_missing", "UNSIGNED"),
    ("close.signer_name_missing", "SIGNER UNNAMED"),
    ("close.signed_off_site", "{signer} SIGNED OFF SITE"),
    (
        "close.signed_before_work",
        "SIGNED {signed_at} STARTED {started_at?} EARLY {early_by?}",
    ),
    (
        "close.signature_stale",
        "{signer} SIGNED {signed_for}/{now}",
    ),
    ("close.customer_not_told", "COMPLETION UNTOLD"),
    (
        "close.thanks_missing",
        "NOT THANKED {waived_without_reason}",
    ),
    (
        "close.referral_not_asked",
        "NO REFERRAL ASK {waived_without_reason}",
    ),
    (
        "close.feedback_not_asked",
        "NO FEEDBACK ASK {waived_without_reason}",
    ),
    (
        "close.next_service_not_agreed",
        "NO NEXT SERVICE {waived_without_reason}",
    ),
    (
        "status.appointment_not_confirmed",
        "UNCONFIRMED AGO {started_ago?} IN {starts_in?} ASK {confirm_before?}",
    ),
    (
        "status.customer_not_updated",
        "{stage} FOR {for} LAST {updated_ago?} LIMIT {limit}",
    ),
    ("status.sign_off_overdue", "UNSIGNED {ago} LIMIT {limit}"),
    ("status.completion_not_told", "UNTOLD {ago} LIMIT {limit}"),
    (
        "status.appointment_not_set",
        "NO BOOKING {ago} LIMIT {limit}",
    ),
    ("status.work_not_asked", "WORK NOT ASKED {first_contact_on}"),
];

fn waived(item: &str, reason: &str) -> ChecklistEntry {
    ChecklistEntry::new(
        item,
        ItemState::Waived {
            by: UserId::new("u-4"),
            reason: reason.into(),
        },
    )
}

/// Orders that between them give every finding code.
fn corpus() -> Vec<OrderReport> {
    corpus_with(policy())
}

/// [`corpus`] checked under the policy `p`.
fn corpus_with(p: retention::orders::OrderPolicy) -> Vec<OrderReport> {
    let mut out = Vec::new();
    let mut to = |o: &ServiceOrder, stage: Stage, now| {
        out.push(check_transition(o, stage, now, &p).unwrap());
    };
    // Nothing captured at all, moved straight to closed.
    let mut bare = ServiceOrder::new(
        "o-1",
        "a-1",
        "boiler_service",
        first_call(),
        Intake::new(" "),
    );
    bare.after_care_waived = vec![AfterCareWaiver::new(AfterCare::Thanks, "")];
    to(&bare, Stage::Closed, at(1));
    let mut o = by_the_book();
    o.appointment.as_mut().unwrap().set_at = at(48);
    o.planned_work.push(retention::orders::WorkItem::new(
        "w-3",
        "Bleed the radiators",
    ));
    o.parts_used.push(PartLine::new("X-1", Decimal::new(15, 1)));
    o.parts_used[1] = PartLine::new("SEAL-8", Decimal::new(3, 0));
    let cl = o.checklist.as_mut().unwrap();
    cl.items = vec![
        waived("isolate_power", "no power"),
        waived("flue_test", " "),
    ];
    let s = o.sign_off.as_mut().unwrap();
    s.on_site = false;
    s.at = at(10);
    s.work_fingerprint = Some("0000000000000000".into());
    to(&o, Stage::Closed, at(60));
    let mut o = by_the_book();
    o.checklist.as_mut().unwrap().items = vec![ChecklistEntry::new(
        "isolate_power",
        ItemState::Done {
            by: UserId::new("u-4"),
            at: at(53),
            work_fingerprint: Some("00000000000000ff".into()),
        },
    )];
    o.sign_off.as_mut().unwrap().signer_name = String::new();
    o.status_history.retain(|s| s.stage != Stage::InProgress);
    to(&o, Stage::Closed, at(60));
    // Holds and cancellations nobody was told about.
    let mut o = by_the_book();
    o.status_history.truncate(3);
    to(&o, Stage::OnHold, at(60));
    to(&o, Stage::Cancelled, at(60));
    // An in-progress job nobody has heard about for two days.
    out.push(check_now(&o, at(53 + 48), &p).unwrap());
    // An appointment coming up, and one passed, never confirmed.
    let mut o = by_the_book();
    o.status_history.truncate(1);
    o.appointment.as_mut().unwrap().confirmed_at = None;
    out.push(check_now(&o, at(40), &p).unwrap());
    out.push(check_now(&o, at(60), &p).unwrap());
    // An inquiry left without an appointment, that never asked for the work.
    let mut intake = Intake::new("Quote for a new boiler");
    intake.asked_for_work = Some(false);
    let o = ServiceOrder::new("o-9", "a-1", "boiler_service", first_call(), intake);
    out.push(check_now(&o, first_call() + TimeDelta::days(30), &p).unwrap());
    // Completed three days ago, not signed off, the customer never told.
    let mut o = just_completed();
    o.completion_notice = None;
    out.push(check_now(&o, at(54 + 72), &p).unwrap());
    out.extend(wrong_template());
    out
}

/// A boiler job ticked off on the furnace checklist.
fn wrong_template() -> Vec<OrderReport> {
    use retention::orders::{ChecklistTemplate, OrderPolicy, PolicySpec, TemplateItem};
    let p = OrderPolicy::new(PolicySpec::with_templates(vec![
        ChecklistTemplate::new(
            "boiler-v2",
            "boiler_service",
            vec![TemplateItem::required("flue_test", "Flue gas test")],
        ),
        ChecklistTemplate::new(
            "furnace-v1",
            "furnace_service",
            vec![TemplateItem::required("filter", "Replace the filter")],
        ),
    ]))
    .unwrap();
    let mut o = by_the_book();
    o.checklist.as_mut().unwrap().template = "furnace-v1".into();
    o.checklist.as_mut().unwrap().items.clear();
    vec![check_transition(&o, Stage::Closed, at(60), &p).unwrap()]
}

#[test]
fn every_finding_renders_from_its_arguments_alone() {
    let all: Vec<&str> = FindingCode::ALL.iter().map(|c| c.code()).collect();
    table_covers(&all, TABLE).unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for report in corpus() {
        for f in &report.findings {
            check(f.code.code(), &f.args, &f.sentence, TABLE).unwrap();
            assert!(f.sentence.len() <= 160, "{}: {}", f.code, f.sentence);
            seen.insert(f.code.code());
        }
    }
    let missing: Vec<_> = all.iter().filter(|c| !seen.contains(*c)).collect();
    assert!(
        missing.is_empty(),
        "codes the corpus does not produce: {missing:?}"
    );
}

#[test]
fn a_findings_arguments_are_typed_in_its_json() {
    let p = policy();
    let mut o = by_the_book();
    o.appointment.as_mut().unwrap().set_at = at(48);
    let r = check_now(&o, at(60), &p).unwrap();
    let f = r
        .findings
        .iter()
        .find(|f| f.code == FindingCode::AppointmentNotOnFirstContact)
        .unwrap();
    let json = serde_json::to_value(f).unwrap();
    assert_eq!(
        json["args"],
        serde_json::json!({"took": {"duration": 172_800}, "limit": {"span": {"minutes": 30}}}),
        "{json}"
    );
}

#[test]
fn a_business_in_chicago_reads_its_findings_in_chicago_time() {
    use retention::chrono_tz::America::Chicago;
    use retention::text::Arg;
    let reports = corpus_with(policy().with_time_zone(Chicago));
    let mut zoned = 0;
    for f in reports.iter().flat_map(|r| &r.findings) {
        check(f.code.code(), &f.args, &f.sentence, TABLE).unwrap();
        let instant = f.args.iter().any(|(_, a)| matches!(a, Arg::Instant(_)));
        // An instant shown comes with the zone it is shown in; nothing else does.
        assert_eq!(
            f.args.get("zone").and_then(Arg::as_zone),
            instant.then_some(Chicago),
            "{}",
            f.code
        );
        assert!(!f.sentence.contains("UTC"), "{}: {}", f.code, f.sentence);
        if instant {
            zoned += 1;
            assert!(f.sentence.contains(" CST"), "{}: {}", f.code, f.sentence);
        }
    }
    assert!(zoned >= 3, "{zoned}");
    // Without a zone the same findings are in UTC, and say so.
    let utc = corpus();
    let hold = utc
        .iter()
        .flat_map(|r| &r.findings)
        .find(|f| f.code == FindingCode::HoldCustomerNotTold)
        .unwrap();
    assert!(hold.args.get("zone").is_none());
    assert!(hold.sentence.ends_with(" UTC"), "{}", hold.sentence);
}

#[test]
fn the_first_contact_is_dated_where_the_business_is() {
    use retention::chrono::{NaiveDate, TimeZone, Utc};
    use retention::chrono_tz::America::Chicago;
    use retention::text::Arg;
    // 03:00 UTC on 3 March is still the evening of 2 March in Chicago.
    let first = Utc.with_ymd_and_hms(2026, 3, 3, 3, 0, 0).unwrap();
    let mut intake = Intake::new("Quote for a new boiler");
    intake.asked_for_work = Some(false);
    let o = ServiceOrder::new("o-9", "a-1", "boiler_service", first, intake);
    let dated = |p: &retention::orders::OrderPolicy| {
        let r = check_now(&o, first + TimeDelta::hours(1), p).unwrap();
        let f = r
            .findings
            .iter()
            .find(|f| f.code == FindingCode::WorkNotAsked)
            .cloned()
            .unwrap();
        (f.args.get("first_contact_on").cloned(), f.sentence)
    };
    let date = |d| Some(Arg::Date(NaiveDate::from_ymd_opt(2026, 3, d).unwrap()));
    let (on, sentence) = dated(&policy().with_time_zone(Chicago));
    assert_eq!(on, date(2), "{sentence}");
    assert!(sentence.contains("2026-03-02"), "{sentence}");
    assert_eq!(dated(&policy()).0, date(3));
}
