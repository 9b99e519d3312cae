//! A service order done by the book, and the policy it is checked against: the scenario,
//! bad-input and property tests take pieces away from it.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use retention::model::{Channel, PersonId, UserId};
use retention::orders::{
    Appointment, Checklist, ChecklistEntry, ChecklistTemplate, CompletionNotice, CustomerUpdate,
    Instructions, Intake, ItemState, NextService, Observation, ObservationKind, Observations,
    OrderPolicy, PartLine, PolicySpec, Satisfaction, ServiceOrder, SignOff, Site, Stage,
    StatusChange, TemplateItem, WorkDone, WorkItem,
};
use rust_decimal::Decimal;

/// Monday 2 March 2026, 09:00 UTC: the customer calls.
pub fn first_call() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

pub fn at(hours_after_first_call: i64) -> DateTime<Utc> {
    first_call() + TimeDelta::hours(hours_after_first_call)
}

/// Boiler jobs: isolate the power (must be done), flue test (done or waived), photo
/// (optional).
pub fn policy() -> OrderPolicy {
    let mut isolate = TemplateItem::required("isolate_power", "Isolate the power");
    isolate.satisfied_by = vec![Satisfaction::Done];
    OrderPolicy::new(PolicySpec::with_templates(vec![ChecklistTemplate::new(
        "boiler-v2",
        "boiler_service",
        vec![
            isolate,
            TemplateItem::required("flue_test", "Flue gas test"),
            TemplateItem::optional("photo", "Photo of the finished job"),
        ],
    )]))
    .expect("valid policy")
}

pub fn done(item: &str, hours: i64) -> ChecklistEntry {
    ChecklistEntry::new(
        item,
        ItemState::Done {
            by: UserId::new("u-4"),
            at: at(hours),
            work_fingerprint: None,
        },
    )
}

/// Called Monday 09:00, booked on the call for Wednesday 14:00-16:00, confirmed Tuesday,
/// worked Wednesday 14:05-15:30, signed on site at 15:40, thanked, asked for a referral and
/// feedback, next service agreed; closed Thursday.
pub fn by_the_book() -> ServiceOrder {
    let mut intake = Intake::new("The boiler bangs when the heating starts");
    intake.special_instructions = Some(Instructions::Given {
        notes: vec!["Gate code 4411".into(), "Dog in the yard".into()],
    });
    let mut o = ServiceOrder::new("o-1041", "a-7", "boiler_service", first_call(), intake);
    o.site = Some(Site::new("12 Elm St, Springfield"));
    o.contact = Some(PersonId::new("p-12"));
    o.planned_work = vec![
        WorkItem::new("w-1", "Service the boiler"),
        WorkItem::new("w-2", "Find the banging noise"),
    ];
    o.planned_parts = vec![
        PartLine::new("VALVE-22", Decimal::ONE),
        PartLine::new("SEAL-8", Decimal::new(2, 0)),
    ];
    let mut appt = Appointment::new(at(53), at(55), first_call() + TimeDelta::minutes(12));
    appt.confirmed_at = Some(at(25));
    o.appointment = Some(appt);
    o.technician = Some(UserId::new("u-4"));
    o.status_history = vec![
        StatusChange::new(Stage::Scheduled, first_call() + TimeDelta::minutes(12)),
        StatusChange::new(Stage::Dispatched, at(52)),
        StatusChange::new(Stage::InProgress, at(53)),
        StatusChange::new(Stage::Completed, at(54)),
    ];
    let mut checklist = Checklist::new("boiler-v2");
    checklist.items = vec![done("isolate_power", 53), done("flue_test", 54)];
    o.checklist = Some(checklist);
    o.work_performed = vec![
        WorkDone::for_item("Serviced the boiler", "w-1"),
        WorkDone::for_item("Replaced the pressure valve that caused the banging", "w-2"),
    ];
    o.parts_used = vec![
        PartLine::new("VALVE-22", Decimal::ONE),
        PartLine::new("SEAL-8", Decimal::new(2, 0)),
    ];
    o.observations = Some(Observations::Recorded {
        items: vec![
            Observation::new(ObservationKind::Upgrade, "Boiler is 19 years old"),
            Observation::new(ObservationKind::Issue, "Flue bracket is loose"),
        ],
    });
    o.recommendations = vec!["Replace the boiler within two years".into()];
    o.clean_up_confirmed = true;
    let mut told = CompletionNotice::new(at(54));
    told.channel = Some(Channel::Visit);
    o.completion_notice = Some(told);
    let mut sign = SignOff::new("Lena Ortiz", at(54) + TimeDelta::minutes(10), true);
    sign.work_fingerprint = Some(o.work_fingerprint());
    o.sign_off = Some(sign);
    o.thanked_at = Some(at(54));
    o.referral_asked_at = Some(at(54));
    o.feedback_asked_at = Some(at(54));
    o.next_service = Some(NextService::Agreed {
        on: chrono::NaiveDate::from_ymd_opt(2027, 3, 4).unwrap(),
        how: Some("Annual service visit".into()),
    });
    o.status_history.push(StatusChange::new(
        Stage::SignedOff,
        at(54) + TimeDelta::minutes(10),
    ));
    o
}

/// The same order just after the technician marked it completed (no sign-off yet, no
/// close-out).
pub fn just_completed() -> ServiceOrder {
    let mut o = by_the_book();
    o.status_history.truncate(4);
    o.sign_off = None;
    o.thanked_at = None;
    o.referral_asked_at = None;
    o.feedback_asked_at = None;
    o.next_service = None;
    o
}

pub fn update(hours: i64, message: &str, next_step: Option<&str>) -> CustomerUpdate {
    let mut u = CustomerUpdate::new(at(hours), message);
    u.next_step = next_step.map(str::to_string);
    u
}

pub fn codes(report: &retention::orders::OrderReport) -> Vec<&'static str> {
    report.findings.iter().map(|f| f.code.code()).collect()
}
