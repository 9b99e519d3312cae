//! Unit tests of the engine's own contracts: the code table, the gates, the fingerprint.

use chrono::{TimeZone, Utc};
use rust_decimal::Decimal;

use super::report::Gate;
use super::*;

fn applies(code: FindingCode, goal: Stage) -> bool {
    match code.gate() {
        Gate::Lifecycle | Gate::Time => true,
        Gate::Rank(r) => goal.rank() >= r,
        Gate::Hold => matches!(goal, Stage::OnHold | Stage::PartiallyComplete),
        Gate::Cancel => goal == Stage::Cancelled,
    }
}

#[test]
fn the_docs_table_lists_every_code_in_order_with_its_rule_and_severity() {
    let docs = include_str!("mod.rs");
    let mut at = 0;
    for code in FindingCode::ALL {
        let row = format!(
            "//! | `{}` | {} | {} |",
            code.code(),
            code.rule(),
            code.default_severity()
        );
        let pos = docs[at..]
            .find(&row)
            .unwrap_or_else(|| panic!("no table row (in order) for {row}"));
        at += pos + row.len();
    }
}

#[test]
fn codes_are_unique_prefixed_and_read_back() {
    let mut seen = std::collections::HashSet::new();
    for &code in FindingCode::ALL {
        assert!(seen.insert(code.code()));
        let (gate, _) = code.code().split_once('.').expect("gate.name");
        assert!(
            [
                "lifecycle",
                "schedule",
                "dispatch",
                "hold",
                "cancel",
                "complete",
                "close",
                "status"
            ]
            .contains(&gate)
        );
        assert_eq!(FindingCode::from_code(code.code()), Some(code));
        let json = serde_json::to_string(&code).unwrap();
        assert_eq!(serde_json::from_str::<FindingCode>(&json).unwrap(), code);
        assert!(matches!(code.gate(), Gate::Time) == gate.eq("status"));
    }
}

fn bare(stage_history: &[Stage]) -> ServiceOrder {
    let t0 = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
    let mut o = ServiceOrder::new("o-1", "a-1", "boiler", t0, Intake::new(""));
    for (i, s) in stage_history.iter().enumerate() {
        o.status_history.push(StatusChange::new(
            *s,
            t0 + chrono::TimeDelta::hours(i as i64 + 1),
        ));
    }
    o
}

#[test]
fn a_check_reports_only_codes_its_target_needs() {
    let policy = OrderPolicy::new(PolicySpec {
        templates: vec![ChecklistTemplate::new(
            "t",
            "boiler",
            vec![TemplateItem::required("a", "A")],
        )],
        ..PolicySpec::default()
    })
    .unwrap();
    let order = bare(&[Stage::Scheduled, Stage::Dispatched, Stage::InProgress]);
    let now = Utc.with_ymd_and_hms(2026, 3, 9, 9, 0, 0).unwrap();
    for &target in Stage::ALL {
        let r = check_transition(&order, target, now, &policy).unwrap();
        for f in &r.findings {
            assert!(applies(f.code, target), "{} in a check of {target}", f.code);
        }
        assert!(r.progress.met <= r.progress.total);
    }
    // The empty order checked for closing misses everything a close needs.
    let r = check_transition(&order, Stage::Closed, now, &policy).unwrap();
    assert!(r.has(FindingCode::TransitionNotAllowed));
    assert!(r.has(FindingCode::ChecklistItemOpen));
    assert!(r.has(FindingCode::NextServiceNotAgreed));
    assert!(r.has(FindingCode::CustomerNotUpdated));
}

/// The fingerprint is part of the stored contract: this vector must never change. The
/// expected values were computed independently (a short Python script encoding the
/// documented byte layout), not copied from this implementation.
#[test]
fn the_work_fingerprint_is_pinned() {
    let mut o = bare(&[]);
    assert_eq!(o.work_fingerprint(), "f07115c02723c576");
    o.work_performed.push(WorkDone {
        description: "Replaced the pressure valve".into(),
        item: Some("w-1".into()),
    });
    o.work_performed.push(WorkDone::new("Bled the radiators"));
    o.parts_used
        .push(PartLine::new("VALVE-22", Decimal::new(100, 2)));
    o.parts_used.push(PartLine {
        part: "PIPE-15".into(),
        quantity: Decimal::new(25, 1),
        description: Some("15 mm copper, metres".into()),
    });
    assert_eq!(o.work_fingerprint(), "911b3bcff001e763");
    // 1.00 and 1 are the same quantity.
    o.parts_used[0].quantity = Decimal::ONE;
    assert_eq!(o.work_fingerprint(), "911b3bcff001e763");
}
