//! The sample business the README's first command prints (`examples/data/hvac.json`):
//! its agenda shows every rule of the practice at least once.

use std::collections::BTreeSet;

use chrono::{TimeZone, Utc};
use retention::desk::{Agenda, Book};
use retention::model::Rule;

fn sample() -> Agenda {
    let book = Book::from_json(include_str!("../examples/data/hvac.json")).unwrap();
    book.agenda(Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap())
        .unwrap()
}

/// Every rule the agenda cites: due items, cadence notes, order findings, promise
/// verdicts and phone tag, the business's promise record, risk signals and actions.
fn cited(a: &Agenda) -> BTreeSet<Rule> {
    let mut rules = BTreeSet::new();
    rules.extend(
        a.touches
            .iter()
            .flat_map(|g| &g.items)
            .flat_map(|i| i.rules.iter().copied()),
    );
    rules.extend(a.cadence_notes.iter().map(|n| n.rule));
    rules.extend(
        a.orders
            .iter()
            .flat_map(|l| &l.report.findings)
            .map(|f| f.rule),
    );
    let p = &a.promises;
    for list in [&p.overdue, &p.due_soon, &p.broken, &p.changed] {
        rules.extend(list.iter().map(|l| l.verdict.rule));
    }
    rules.extend(p.tag_chains.iter().map(|c| c.code.rule()));
    rules.extend(p.business.expectations.iter().map(|e| e.code.rule()));
    for r in &a.at_risk {
        rules.extend(
            r.signals
                .iter()
                .filter(|s| s.contribution > 0)
                .map(|s| s.rule),
        );
        rules.extend(r.actions.iter().map(|x| x.rule));
    }
    rules
}

#[test]
fn the_sample_business_shows_every_rule_of_the_practice() {
    let agenda = sample();
    let cited = cited(&agenda);
    let missing: Vec<_> = Rule::ALL.iter().filter(|r| !cited.contains(r)).collect();
    assert!(missing.is_empty(), "not cited: {missing:?}");
}

#[test]
fn the_sample_reads_like_a_business_not_a_fire() {
    let a = sample();
    assert_eq!(a.read.accounts, 40);
    // Most customers are well served: a handful at risk, a short list of touches.
    assert!(a.risk_bands.healthy >= 30, "{:?}", a.risk_bands);
    assert!(a.at_risk.len() <= 10);
    let touches: usize = a.touches.iter().map(|g| g.items.len()).sum();
    assert!((5..=40).contains(&touches), "{touches}");
    // The purchase model was fitted on the book's order history.
    let model = serde_json::to_value(&a.purchase_model).unwrap();
    assert_eq!(model["kind"], "fitted", "{model}");
}
