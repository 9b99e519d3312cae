//! Order-check speed: a typical order (10 checklist items, 5 parts, 8 status changes)
//! checked at `now` (validation, every requirement of its stage, the time checks).
//! Target: at least 1,000,000 order checks per second on one core.
//!
//! 256 orders, each a completed-and-signed boiler job with a small twist (every fourth
//! one has a finding or two, so sentences are built where a real batch would build
//! them). `bare_pass` reads the same orders (every status change, checklist entry and
//! part line) without checking anything: the ratio of the two is the engine's cost over
//! touching the data at all. Throughput is in orders.

use std::hint::black_box;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use retention::model::{PersonId, UserId};
use retention::orders::{
    Appointment, Checklist, ChecklistEntry, ChecklistTemplate, CompletionNotice, CustomerUpdate,
    Instructions, Intake, ItemState, NextService, Observation, ObservationKind, Observations,
    OrderPolicy, PartLine, PolicySpec, ServiceOrder, SignOff, Site, Stage, StatusChange,
    TemplateItem, WorkDone, WorkItem, check_now, check_orders, check_transition,
};
use rust_decimal::Decimal;

const ITEMS: usize = 10;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

fn h(hours: i64) -> DateTime<Utc> {
    t0() + TimeDelta::hours(hours)
}

fn policy() -> OrderPolicy {
    let items = (0..ITEMS)
        .map(|i| {
            if i < 8 {
                TemplateItem::required(format!("step_{i}"), format!("Step {i}"))
            } else {
                TemplateItem::optional(format!("step_{i}"), format!("Step {i}"))
            }
        })
        .collect();
    OrderPolicy::new(PolicySpec::with_templates(vec![
        ChecklistTemplate::new("boiler-v2", "boiler_service", items),
        ChecklistTemplate::new("ac-v1", "ac_service", vec![]),
    ]))
    .expect("valid policy")
}

fn order(n: usize) -> ServiceOrder {
    let mut intake = Intake::new("The boiler bangs when the heating starts");
    intake.special_instructions = Some(Instructions::Given {
        notes: vec!["Gate code 4411".into()],
    });
    let mut o = ServiceOrder::new(
        format!("o-{n}"),
        format!("a-{}", n % 37),
        "boiler_service",
        t0(),
        intake,
    );
    o.site = Some(Site::new("12 Elm St, Springfield"));
    o.contact = Some(PersonId::new("p-12"));
    o.planned_work = vec![
        WorkItem::new("w-1", "Service the boiler"),
        WorkItem::new("w-2", "Find the banging noise"),
    ];
    let parts = ["VALVE-22", "SEAL-8", "FUSE-3", "PIPE-15", "GASKET-2"];
    o.planned_parts = parts
        .iter()
        .map(|p| PartLine::new(*p, Decimal::new(2, 0)))
        .collect();
    o.parts_used = o.planned_parts.clone();
    let mut appt = Appointment::new(h(53), h(55), t0() + TimeDelta::minutes(12));
    appt.confirmed_at = Some(h(25));
    o.appointment = Some(appt);
    o.technician = Some(UserId::new("u-4"));
    o.status_history = [
        (Stage::Scheduled, 0),
        (Stage::Dispatched, 52),
        (Stage::InProgress, 53),
        (Stage::OnHold, 53),
        (Stage::InProgress, 54),
        (Stage::Completed, 55),
        (Stage::SignedOff, 56),
        (Stage::Closed, 57),
    ]
    .iter()
    .map(|(s, at)| StatusChange::new(*s, h(*at)))
    .collect();
    let mut u = CustomerUpdate::new(h(53), "Waiting for the valve from the van");
    u.next_step = Some("Back within the hour".into());
    o.customer_updates = vec![u];
    let mut cl = Checklist::new("boiler-v2");
    cl.items = (0..ITEMS)
        .map(|i| {
            ChecklistEntry::new(
                format!("step_{i}"),
                ItemState::Done {
                    by: UserId::new("u-4"),
                    at: h(54),
                    work_fingerprint: None,
                },
            )
        })
        .collect();
    o.checklist = Some(cl);
    o.work_performed = vec![
        WorkDone::for_item("Serviced the boiler", "w-1"),
        WorkDone::for_item("Replaced the pressure valve", "w-2"),
    ];
    o.observations = Some(Observations::Recorded {
        items: vec![Observation::new(
            ObservationKind::Upgrade,
            "Boiler is 19 years old",
        )],
    });
    o.clean_up_confirmed = true;
    o.completion_notice = Some(CompletionNotice::new(h(55)));
    let mut s = SignOff::new("Lena Ortiz", h(56), true);
    s.work_fingerprint = Some(o.work_fingerprint());
    o.sign_off = Some(s);
    o.thanked_at = Some(h(56));
    o.referral_asked_at = Some(h(56));
    o.feedback_asked_at = Some(h(56));
    o.next_service = Some(NextService::Agreed {
        on: chrono::NaiveDate::from_ymd_opt(2027, 3, 4).unwrap(),
        how: None,
    });
    // Every fourth order has something to report.
    match n % 8 {
        3 => o.thanked_at = None,
        7 => o.parts_used[2].quantity = Decimal::new(3, 0),
        _ => {}
    }
    o
}

/// Touches what a check touches, and checks nothing.
fn bare(o: &ServiceOrder) -> usize {
    let mut n = o.id.as_str().len() + o.intake.request.len();
    for s in &o.status_history {
        n += s.stage as usize + (s.at.timestamp() & 1) as usize;
    }
    if let Some(cl) = &o.checklist {
        for e in &cl.items {
            n += e.item.len();
        }
    }
    for p in o.planned_parts.iter().chain(&o.parts_used) {
        n += p.part.len() + usize::from(p.quantity.is_zero());
    }
    n
}

fn bench(c: &mut Criterion) {
    let policy = policy();
    let orders: Vec<ServiceOrder> = (0..256).map(order).collect();
    let now = h(80);
    // The benchmark measures what it claims: the typical order passes, the twisted ones
    // have findings.
    assert!(
        check_now(&orders[0], now, &policy)
            .unwrap()
            .findings
            .is_empty()
    );
    assert!(
        !check_now(&orders[3], now, &policy)
            .unwrap()
            .findings
            .is_empty()
    );

    let mut g = c.benchmark_group("orders");
    g.throughput(Throughput::Elements(orders.len() as u64));
    g.bench_function("check_orders_256", |b| {
        b.iter(|| check_orders(black_box(&orders), black_box(now), &policy))
    });
    g.bench_function("check_transition_closed_256", |b| {
        b.iter(|| {
            let mut allowed = 0usize;
            for o in black_box(&orders) {
                if let Ok(r) = check_transition(o, Stage::Closed, now, &policy) {
                    allowed += usize::from(r.allowed);
                }
            }
            allowed
        })
    });
    g.bench_function("bare_pass_256", |b| {
        b.iter(|| black_box(&orders).iter().map(bare).sum::<usize>())
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2));
    targets = bench
}
criterion_main!(benches);
