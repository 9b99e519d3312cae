//! Invariants of the order engine, stated as the practice would: supplying a missing piece
//! of information never adds a blocker; findings come in one documented order, every
//! time; orders, policies and reports read back from their JSON; no input panics.
//!
//! Orders are the fixture's by-the-book job at a random point of its life (its status
//! history cut short), with a random set of pieces taken away, checked at a random `now`
//! for a random target stage.

use chrono::{DateTime, TimeDelta, Utc};
use proptest::prelude::*;
use retention::model::UserId;
use retention::orders::{
    ChecklistEntry, CustomerUpdate, FindingCode, ItemState, OrderPolicy, OrderReport, PartLine,
    PolicySpec, ServiceOrder, Severity, Stage, StatusChange, check_now, check_transition,
};
use rust_decimal::Decimal;

use crate::orders_fixture::*;

fn config() -> ProptestConfig {
    crate::props::config(256)
}

/// The pieces of information a host may not have filled in yet.
const PIECES: usize = 17;

/// Takes piece `k` away from `o`.
fn remove(o: &mut ServiceOrder, k: usize) {
    match k {
        0 => o.intake.request.clear(),
        1 => o.intake.special_instructions = None,
        2 => o.site = None,
        3 => o.contact = None,
        4 => o.appointment = None,
        5 => o.technician = None,
        6 => o.customer_updates.clear(),
        7 => o.checklist = None,
        8 => o.work_performed.clear(),
        9 => o.parts_used.clear(),
        10 => o.observations = None,
        11 => o.clean_up_confirmed = false,
        12 => o.completion_notice = None,
        13 => o.sign_off = None,
        14 => o.thanked_at = None,
        15 => {
            o.referral_asked_at = None;
            o.feedback_asked_at = None;
        }
        _ => o.next_service = None,
    }
}

/// Puts piece `k` of `from` back into `o`.
fn supply(o: &mut ServiceOrder, from: &ServiceOrder, k: usize) {
    match k {
        0 => o.intake.request = from.intake.request.clone(),
        1 => o.intake.special_instructions = from.intake.special_instructions.clone(),
        2 => o.site = from.site.clone(),
        3 => o.contact = from.contact.clone(),
        4 => o.appointment = from.appointment.clone(),
        5 => o.technician = from.technician.clone(),
        6 => o.customer_updates = from.customer_updates.clone(),
        7 => o.checklist = from.checklist.clone(),
        8 => o.work_performed = from.work_performed.clone(),
        9 => o.parts_used = from.parts_used.clone(),
        10 => o.observations = from.observations.clone(),
        11 => o.clean_up_confirmed = from.clean_up_confirmed,
        12 => o.completion_notice = from.completion_notice.clone(),
        13 => o.sign_off = from.sign_off.clone(),
        14 => o.thanked_at = from.thanked_at,
        15 => {
            o.referral_asked_at = from.referral_asked_at;
            o.feedback_asked_at = from.feedback_asked_at;
        }
        _ => o.next_service = from.next_service.clone(),
    }
}

/// The by-the-book order, with customer updates every few hours, cut to `keep` status
/// changes. Every piece in it is correct for that point of its life: a job whose work has
/// not started has no signature yet (one would be `close.signed_before_work`).
fn complete_order(keep: usize, update_every: i64) -> ServiceOrder {
    let mut o = by_the_book();
    o.status_history.truncate(keep);
    if keep < 3 {
        o.sign_off = None;
    }
    let mut h = 1;
    while h < 60 {
        let mut u = CustomerUpdate::new(at(h), "Here is where your job stands");
        u.next_step = Some("We call again tomorrow".into());
        o.customer_updates.push(u);
        h += update_every;
    }
    o
}

fn blockers(r: &OrderReport) -> usize {
    r.blockers().count()
}

fn any_target() -> impl Strategy<Value = Option<Stage>> {
    prop_oneof![
        Just(None),
        proptest::sample::select(Stage::ALL).prop_map(Some),
    ]
}

fn position(code: FindingCode) -> usize {
    FindingCode::ALL
        .iter()
        .position(|c| *c == code)
        .expect("listed")
}

fn check(o: &ServiceOrder, target: Option<Stage>, now: DateTime<Utc>) -> OrderReport {
    let p = policy();
    match target {
        None => check_now(o, now, &p),
        Some(t) => check_transition(o, t, now, &p),
    }
    .expect("valid order")
}

proptest! {
    #![proptest_config(config())]

    /// Supplying a missing piece never adds a blocker, and never lowers the count of
    /// requirements met.
    #[test]
    fn supplying_a_missing_piece_never_adds_a_blocker(
        keep in 0usize..=5,
        update_every in 1i64..30,
        removed in proptest::collection::vec(any::<bool>(), PIECES),
        target in any_target(),
        now_h in 0i64..200,
    ) {
        let full = complete_order(keep, update_every);
        let mut partial = full.clone();
        for (k, _) in removed.iter().enumerate().filter(|(_, r)| **r) {
            remove(&mut partial, k);
        }
        let now = at(now_h);
        let before = check(&partial, target, now);
        for (k, _) in removed.iter().enumerate().filter(|(_, r)| **r) {
            let mut more = partial.clone();
            supply(&mut more, &full, k);
            let after = check(&more, target, now);
            prop_assert!(
                blockers(&after) <= blockers(&before),
                "supplying piece {k} added a blocker: {:?} -> {:?}",
                before.findings.iter().map(|f| f.code.code()).collect::<Vec<_>>(),
                after.findings.iter().map(|f| f.code.code()).collect::<Vec<_>>()
            );
            prop_assert!(after.progress.met >= before.progress.met, "piece {k}");
            prop_assert_eq!(after.progress.total, before.progress.total, "piece {}", k);
            prop_assert!(!before.allowed || after.allowed);
        }
    }

    /// Findings come in the table's order (then input order), the same every time, and a
    /// report reads back from its JSON.
    #[test]
    fn findings_come_in_one_documented_order(
        keep in 0usize..=5,
        removed in proptest::collection::vec(any::<bool>(), PIECES),
        target in any_target(),
        now_h in -10i64..400,
        extra_parts in proptest::collection::vec(("[A-C]", 0i64..4), 0..4),
    ) {
        let mut o = complete_order(keep, 7);
        for (k, _) in removed.iter().enumerate().filter(|(_, r)| **r) {
            remove(&mut o, k);
        }
        for (part, q) in extra_parts {
            o.parts_used.push(PartLine::new(part, Decimal::new(q, 0)));
        }
        let r = check(&o, target, at(now_h));
        let positions: Vec<usize> = r.findings.iter().map(|f| position(f.code)).collect();
        prop_assert!(positions.windows(2).all(|w| w[0] <= w[1]), "{:?}", positions);
        prop_assert_eq!(&check(&o.clone(), target, at(now_h)), &r);
        prop_assert_eq!(r.allowed, r.blockers().next().is_none());
        prop_assert!(r.progress.met <= r.progress.total);
        for f in &r.findings {
            prop_assert_eq!(f.rule, f.code.rule());
            prop_assert!(!f.sentence.is_empty());
        }
        let json = serde_json::to_string(&r).unwrap();
        prop_assert_eq!(serde_json::from_str::<OrderReport>(&json).unwrap(), r);
        let order_json = serde_json::to_string(&o).unwrap();
        prop_assert_eq!(serde_json::from_str::<ServiceOrder>(&order_json).unwrap(), o);
    }

    /// A policy with any severities reads back from its JSON; raising severities never
    /// allows a move the default policy refuses.
    #[test]
    fn policies_read_back_and_raising_severities_never_allows_more(
        raised in proptest::collection::vec(proptest::sample::select(FindingCode::ALL), 0..8),
        keep in 0usize..=5,
        removed in proptest::collection::vec(any::<bool>(), PIECES),
        target in proptest::sample::select(Stage::ALL),
    ) {
        let mut spec: PolicySpec = policy().spec().clone();
        for c in &raised {
            spec.severities.insert(c.code().to_string(), Severity::Blocker);
        }
        let strict = OrderPolicy::new(spec).unwrap();
        let json = serde_json::to_string(&strict).unwrap();
        prop_assert_eq!(&serde_json::from_str::<OrderPolicy>(&json).unwrap(), &strict);
        let mut o = complete_order(keep, 5);
        for (k, _) in removed.iter().enumerate().filter(|(_, r)| **r) {
            remove(&mut o, k);
        }
        let base = check_transition(&o, target, at(100), &policy()).unwrap();
        let hard = check_transition(&o, target, at(100), &strict).unwrap();
        prop_assert!(!hard.allowed || base.allowed);
        prop_assert_eq!(hard.findings.len(), base.findings.len());
    }

    /// Scrambled orders (timestamps in any order, any quantities, unknown checklist items,
    /// any `now`) give a report or an error with codes and paths: never a panic.
    #[test]
    fn no_order_panics(
        stamps in proptest::collection::vec((proptest::sample::select(Stage::ALL), -400i64..400), 0..10),
        quantities in proptest::collection::vec(-3i64..5, 0..6),
        items in proptest::collection::vec(proptest::sample::select(vec!["isolate_power", "flue_test", "photo", "nope", ""]), 0..5),
        now_s in proptest::sample::select(vec![i64::MIN, -1, 0, 1, i64::MAX]),
        now_h in -1000i64..1000,
        target in any_target(),
    ) {
        let mut o = by_the_book();
        o.status_history = stamps.iter().map(|(s, h)| StatusChange::new(*s, at(*h))).collect();
        o.parts_used = quantities.iter().map(|q| PartLine::new("P", Decimal::new(*q, 1))).collect();
        o.checklist.as_mut().unwrap().items = items
            .iter()
            .map(|i| ChecklistEntry::new(*i, ItemState::Waived { by: UserId::new("u"), reason: String::new() }))
            .collect();
        let now = match now_s {
            i64::MIN => DateTime::<Utc>::MIN_UTC,
            i64::MAX => DateTime::<Utc>::MAX_UTC,
            _ => at(now_h) + TimeDelta::seconds(now_s),
        };
        let p = policy();
        let out = match target {
            None => check_now(&o, now, &p),
            Some(t) => check_transition(&o, t, now, &p),
        };
        match out {
            Ok(r) => prop_assert!(r.progress.met <= r.progress.total),
            Err(e) => {
                prop_assert!(!e.problems().is_empty());
                for p in e.problems() {
                    prop_assert!(p.code().starts_with("orders.") || p.code().starts_with("model."));
                    prop_assert!(!p.path().is_root());
                }
            }
        }
    }

    /// The fingerprint covers the work and the parts, and nothing else.
    #[test]
    fn the_fingerprint_follows_the_work_and_only_the_work(
        q in 1i64..10_000,
        scale in 0u32..4,
        text in "[a-z ]{0,12}",
    ) {
        let o = by_the_book();
        let fp = o.work_fingerprint();
        let mut other = o.clone();
        other.thanked_at = None;
        other.recommendations.push(text.clone());
        other.status_history.clear();
        prop_assert_eq!(other.work_fingerprint(), fp.clone());
        let mut more = o.clone();
        let old = more.parts_used[0].quantity;
        more.parts_used[0].quantity = old + Decimal::new(q, scale);
        prop_assert_ne!(more.work_fingerprint(), fp.clone());
        let mut said = o.clone();
        said.work_performed[0].description.push_str(&text);
        prop_assert_eq!(said.work_fingerprint() == fp, text.is_empty());
        prop_assert!(fp.len() == 16 && fp.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    }
}
