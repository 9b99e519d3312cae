//! Construction from outside the crate (issue 15, deliverable 4): a host writes input
//! records and policies as struct literals, naming only what it has and taking the rest
//! from the record's constructor or the policy's defaults (`..Default::default()`).
//! This file is an external crate, so it would not compile if any of these types were
//! `#[non_exhaustive]` again.

use chrono::{NaiveDate, TimeDelta, TimeZone, Utc};
use retention::calendar::{
    BusinessCalendar, CalendarSpec, TimeOfDay, WeeklySchedule, WorkInterval,
};
use retention::model::{
    Account, Channel, Direction, Interaction, Outcome, Party, Person, Role, Span,
};
use retention::orders::{
    Appointment, FindingCode, Instructions, Intake, OrderPolicy, PolicySpec, ServiceOrder, Site,
    Stage, StatusChange, TimeLimits, WorkItem, check_now,
};
use retention::promises::{Due, Ledger, MadeBy, Promise, PromiseKind, PromisePolicy, Status};

fn at(d: u32, h: u32, m: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, d, h, m, 0)
        .single()
        .expect("a valid test instant")
}

#[test]
fn an_order_reads_as_a_struct_literal_over_its_constructor() {
    let order = ServiceOrder {
        site: Some(Site::new("12 Elm St, Springfield")),
        contact: Some("p-12".into()),
        planned_work: vec![WorkItem::new("w-1", "Service the boiler")],
        appointment: Some(Appointment {
            confirmed_at: Some(at(25, 10, 0)),
            ..Appointment::new(at(26, 14, 0), at(26, 16, 0), at(24, 9, 10))
        }),
        technician: Some("u-4".into()),
        status_history: vec![StatusChange::new(Stage::Scheduled, at(24, 9, 10))],
        ..ServiceOrder::new(
            "o-1041",
            "a-7",
            "boiler_service",
            at(24, 9, 0),
            Intake {
                special_instructions: Some(Instructions::Given {
                    notes: vec!["Gate code 4411".into()],
                }),
                ..Intake::new("The boiler bangs when the heating starts")
            },
        )
    };
    let policy = OrderPolicy::new(PolicySpec {
        time_limits: TimeLimits {
            confirm_before: Span::Hours(48),
            ..Default::default()
        },
        ..Default::default()
    })
    .expect("a valid order policy");
    let report = check_now(&order, at(25, 12, 0), &policy).expect("a valid order");
    // Captured fully and confirmed: nothing to say on the day before the visit...
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    // ...while the same order without its confirmation is flagged (O4), so the literal's
    // fields are the ones the engine reads.
    let unconfirmed = ServiceOrder {
        appointment: Some(Appointment::new(
            at(26, 14, 0),
            at(26, 16, 0),
            at(24, 9, 10),
        )),
        ..order
    };
    let report = check_now(&unconfirmed, at(25, 12, 0), &policy).expect("a valid order");
    let codes: Vec<FindingCode> = report.findings.iter().map(|f| f.code).collect();
    assert_eq!(codes, [FindingCode::AppointmentNotConfirmed]);
}

#[test]
fn records_and_policies_read_as_struct_literals() {
    let account = Account {
        history_since: NaiveDate::from_ymd_opt(2024, 1, 1),
        ..Account::new(
            "a-7",
            "Elm Street Dental",
            NaiveDate::from_ymd_opt(2019, 4, 2).expect("a date"),
        )
    };
    let person = Person {
        key_contact: true,
        ..Person::new("p-12", "a-7", "Dana Whitfield", Role::Owner)
    };
    let call = Interaction {
        person: Some(person.id.clone()),
        ..Interaction::new(
            "i-1",
            "a-7",
            at(20, 15, 0),
            Channel::Phone,
            Direction::Inbound,
            Party::Customer,
            Outcome::Connected,
        )
    };
    let promise = Promise {
        person: Some(person.id.clone()),
        ..Promise::new(
            "pr-1",
            PromiseKind::Callback,
            MadeBy::Business,
            "a-7",
            at(20, 15, 5),
            Due::At { at: at(21, 15, 0) },
        )
    };
    for problem in [account.validate(), person.validate(), call.validate()] {
        assert!(problem.is_ok(), "{problem:?}");
    }
    let calendar = BusinessCalendar::new(CalendarSpec {
        weekly: WeeklySchedule::weekdays(&[WorkInterval::new(
            TimeOfDay::hm(8, 0).expect("a time"),
            TimeOfDay::hm(17, 0).expect("a time"),
        )]),
        ..CalendarSpec::new("America/Chicago")
    })
    .expect("a valid calendar");
    let due = calendar
        .add_business_duration(call.at, TimeDelta::hours(8))
        .expect("within range");
    assert!(due > call.at);
    // The callback promised for the next day, judged the evening it was made: open and
    // on track, not yet due.
    let policy = PromisePolicy::default();
    let promises = [promise];
    let report = Ledger::new(&policy, &calendar)
        .promises(&promises)
        .evaluate(at(20, 22, 0))
        .expect("a valid promise");
    let [verdict] = report.verdicts.as_slice() else {
        panic!("one verdict for one promise: {:?}", report.verdicts);
    };
    assert_eq!(verdict.status, Status::OnTrack);
}
