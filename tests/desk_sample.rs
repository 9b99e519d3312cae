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

/// Every `sentence` in the agenda's JSON (a verdict's, a due item's and its obligations',
/// a note's, a signal's, an action's), with its path, and whether `args` sit beside it.
fn sentences(v: &serde_json::Value, path: &str, out: &mut Vec<(String, String, bool)>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("sentence", serde_json::Value::String(s)) => {
                        out.push((
                            format!("{path}.sentence"),
                            s.clone(),
                            m.contains_key("args"),
                        ));
                    }
                    _ => sentences(x, &format!("{path}.{k}"), out),
                }
            }
        }
        serde_json::Value::Array(list) => {
            for (i, x) in list.iter().enumerate() {
                sentences(x, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// What a sentence for people in a Chicago business must not say (issue 15's "done
/// when"): an instant in UTC or in RFC 3339, "1 days" or any other "1" with a plural,
/// "(s)", or more than about 200 characters.
fn unreadable(s: &str) -> Option<String> {
    if s.chars().count() > 200 {
        return Some(format!("{} characters", s.chars().count()));
    }
    for raw in ["UTC", "+00:00", "(s)"] {
        if s.contains(raw) {
            return Some(format!("says {raw:?}"));
        }
    }
    let b = s.as_bytes();
    for i in 1..b.len().saturating_sub(1) {
        // 2026-11-24T14:05: an instant as a machine writes it.
        if b[i] == b'T' && b[i - 1].is_ascii_digit() && b[i + 1].is_ascii_digit() {
            return Some("has an RFC 3339 instant".into());
        }
    }
    // "1 days", "1 attempts": a lone 1 before a plural noun ("11 days" is fine).
    let words: Vec<&str> = s.split(|c: char| c.is_whitespace() || c == '(').collect();
    for w in words.windows(2) {
        let next = w[1].trim_end_matches([',', ';', ':', '.', ')']);
        let plural = next.len() > 2 && next.ends_with('s') && !next.ends_with("ss");
        if w[0] == "1" && plural {
            return Some(format!("says \"1 {next}\""));
        }
    }
    None
}

#[test]
fn the_sample_agenda_reads_as_people_write() {
    let book = Book::from_json(include_str!("../examples/data/hvac.json")).unwrap();
    assert_eq!(book.calendar.time_zone(), chrono_tz::America::Chicago);
    let agenda = sample();
    let json = serde_json::to_value(&agenda).unwrap();
    let mut all = Vec::new();
    sentences(&json, "", &mut all);
    // Every kind of verdict is there, and its instants are written in Chicago time.
    for part in [
        ".touches",
        ".obligations",
        ".cadence_notes",
        ".orders",
        ".verdict",
        ".tag_chains",
        ".signals",
        ".actions",
    ] {
        assert!(
            all.iter().any(|(p, _, _)| p.contains(part)),
            "no sentence under {part}"
        );
    }
    assert!(
        all.iter()
            .any(|(p, s, _)| p.starts_with(".orders") && s.contains(" CST"))
    );
    assert!(
        all.iter()
            .any(|(p, s, _)| p.starts_with(".promises") && s.contains(" CST"))
    );
    let bad: Vec<String> = all
        .iter()
        .filter_map(|(p, s, _)| unreadable(s).map(|why| format!("{p} {why}: {s}")))
        .collect();
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    // And every one of them carries the facts it was written from.
    let bare: Vec<&str> = all
        .iter()
        .filter(|(_, _, args)| !args)
        .map(|(p, _, _)| p.as_str())
        .collect();
    assert!(bare.is_empty(), "sentences without args: {bare:?}");
}

#[test]
fn unreadable_text_is_caught() {
    assert_eq!(
        unreadable("due 2026-11-23T17:00:00+00:00").unwrap(),
        "says \"+00:00\""
    );
    assert!(unreadable("due Mon 23 Nov 2026, 17:00 UTC").is_some());
    assert!(unreadable("due 2026-11-23T17:00").is_some());
    assert_eq!(unreadable("(1 days overdue)").unwrap(), "says \"1 days\"");
    assert_eq!(
        unreadable("after 1 attempts.").unwrap(),
        "says \"1 attempts\""
    );
    assert!(unreadable("2 attempt(s)").is_some());
    assert!(unreadable(&"x".repeat(201)).is_some());
    assert_eq!(
        unreadable("11 days late, 1 day overdue, 1 business day, 1 of 3"),
        None
    );
    assert_eq!(unreadable("due Tue 24 Nov 2026, 14:00 CST"), None);
}

#[test]
fn the_desk_checks_orders_in_the_calendars_zone() {
    let mut book = Book::from_json(include_str!("../examples/data/hvac.json")).unwrap();
    book.policies.orders = book
        .policies
        .orders
        .clone()
        .with_time_zone(chrono_tz::Asia::Tokyo);
    let agenda = book
        .agenda(Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap())
        .unwrap();
    let hold = agenda
        .orders
        .iter()
        .flat_map(|l| &l.report.findings)
        .find(|f| f.code == retention::orders::FindingCode::HoldCustomerNotTold)
        .unwrap();
    assert_eq!(
        hold.args
            .get("zone")
            .and_then(retention::text::Arg::as_zone),
        Some(chrono_tz::America::Chicago)
    );
    assert!(
        hold.sentence.ends_with("Thu 19 Nov 2026, 08:20 CST"),
        "{}",
        hold.sentence
    );
}
