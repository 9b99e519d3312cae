//! The four engines on a small sample business: `cargo run --example quickstart`.
//!
//! Reads the embedded sample (a heating and air-conditioning company: its calendar, six
//! customers, their people, interactions, surveys, units, service orders and promises;
//! see `examples/data/northwind.json`), and prints what a service manager should know
//! this morning:
//!
//! 1. orders: what blocks each open order, and what technicians saw that sales can offer;
//! 2. promises: every promise due, late or broken, callbacks included, and phone tag;
//! 3. cadence: who to touch today, how, and why;
//! 4. risk: which customers are slipping, why, what it may cost, and what to do.
//!
//! The engines run one after the other, and the example hands what the first three
//! found to the fourth, the way a host wires them. Every number is a policy default from
//! the practice.

use std::collections::BTreeMap;
use std::error::Error;

use chrono::{DateTime, Utc};
use retention::cadence::{self, CadencePolicy, CompletedOrder, Planner, RecordReview};
use retention::calendar::BusinessCalendar;
use retention::model::{
    self, Account, AccountId, InstalledUnit, Interaction, Person, SurveyResponse,
};
use retention::orders::{self, NextService, OrderPolicy, ServiceOrder, Stage};
use retention::promises::{Ledger, Promise, PromiseEvent, PromisePolicy, Status};
use retention::risk::{self, AccountFacts, CadenceFacts, OrderFacts, PromiseFacts, Scorer};
use serde::Deserialize;

/// The sample, embedded so the example needs no file at run time.
const SAMPLE: &str = include_str!("data/northwind.json");

/// The sample's shape: one business's records and the instant to evaluate them at.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Sample {
    business: String,
    now: DateTime<Utc>,
    calendar: BusinessCalendar,
    accounts: Vec<Account>,
    people: Vec<Person>,
    interactions: Vec<Interaction>,
    surveys: Vec<SurveyResponse>,
    units: Vec<InstalledUnit>,
    orders: Vec<ServiceOrder>,
    promises: Vec<Promise>,
    promise_events: Vec<PromiseEvent>,
    reviews: Vec<RecordReview>,
}

fn main() -> Result<(), Box<dyn Error>> {
    let s: Sample = serde_json::from_str(SAMPLE)?;
    model::validate_accounts(&s.accounts)?;
    model::validate_people(&s.people)?;
    model::validate_interactions(&s.interactions)?;
    model::validate_surveys(&s.surveys)?;
    model::validate_units(&s.units)?;

    let open = if s.calendar.is_open(s.now)? {
        "open"
    } else {
        "closed"
    };
    println!("{} ({})", s.business, s.calendar.time_zone());
    println!("now: {}, {open}", s.local(s.now));
    println!(
        "{} accounts, {} people, {} interactions, {} orders, {} promises\n",
        s.accounts.len(),
        s.people.len(),
        s.interactions.len(),
        s.orders.len(),
        s.promises.len()
    );

    let hanging = orders_section(&s)?;
    let kept = promises_section(&s)?;
    let neglect = cadence_section(&s)?;
    risk_section(&s, &hanging, &kept, &neglect)?;
    Ok(())
}

impl Sample {
    /// An instant in the business's own time, for people.
    fn local(&self, t: DateTime<Utc>) -> String {
        t.with_timezone(&self.calendar.time_zone())
            .format("%a %d %b %H:%M")
            .to_string()
    }

    /// An account's name.
    fn name_of<'a>(&'a self, id: &'a AccountId) -> &'a str {
        self.accounts
            .iter()
            .find(|a| &a.id == id)
            .map_or(id.as_str(), |a| a.name.as_str())
    }

    /// A person's name.
    fn person_name<'a>(&'a self, id: &'a model::PersonId) -> &'a str {
        self.people
            .iter()
            .find(|p| &p.id == id)
            .map_or(id.as_str(), |p| p.name.as_str())
    }
}

/// Orders (O1-O9): each open order's findings, and the opportunities technicians saw.
/// Returns the orders left hanging per account, for the risk engine.
fn orders_section(s: &Sample) -> Result<BTreeMap<AccountId, OrderFacts>, Box<dyn Error>> {
    println!("ORDERS (O1-O9)");
    let policy = OrderPolicy::default();
    let mut hanging: BTreeMap<AccountId, OrderFacts> = BTreeMap::new();
    for (order, report) in s
        .orders
        .iter()
        .zip(orders::check_orders(&s.orders, s.now, &policy))
    {
        let report = report?;
        let stage = order.stage();
        if matches!(stage, Stage::Closed | Stage::Cancelled) && report.findings.is_empty() {
            continue;
        }
        // A completed order is judged by what closing it needs.
        let report = if stage == Stage::Completed {
            orders::check_transition(order, Stage::Closed, s.now, &policy)?
        } else {
            report
        };
        println!(
            "  {} {:<20} {}: {}, {}",
            order.id,
            s.name_of(&order.account),
            stage,
            report.progress,
            if report.allowed {
                "may move on"
            } else {
                "blocked"
            }
        );
        for f in &report.findings {
            println!(
                "      {:<7} {} ({}): {}",
                f.severity.to_string(),
                f.code,
                f.rule,
                f.message
            );
        }
        let facts = hanging
            .entry(order.account.clone())
            .or_insert_with(|| OrderFacts::new(0, 0));
        match stage {
            Stage::OnHold => facts.hanging += 1,
            Stage::PartiallyComplete => facts.partially_complete += 1,
            _ => {}
        }
    }
    println!("  Opportunities for sales (O7):");
    for o in orders::opportunities(&s.orders) {
        println!(
            "    {:<20} {}{}",
            s.name_of(&o.account),
            o.note,
            o.estimated_value
                .map(|v| format!(" (about {} {})", v.amount, v.currency))
                .unwrap_or_default()
        );
    }
    println!();
    Ok(hanging)
}

/// Promises (P1-P6): what is due, late or broken, callbacks and phone tag included.
/// Returns each customer's promise record, for the risk engine.
fn promises_section(s: &Sample) -> Result<BTreeMap<AccountId, PromiseFacts>, Box<dyn Error>> {
    println!("PROMISES (P1-P6)");
    let policy = PromisePolicy::default();
    let report = Ledger::new(&policy, &s.calendar)
        .promises(&s.promises)
        .events(&s.promise_events)
        .interactions(&s.interactions)
        .evaluate(s.now)?;
    for v in &report.verdicts {
        if v.status.is_kept() || v.status == Status::Cancelled {
            continue;
        }
        println!(
            "  {:<13} {}",
            v.code.code().trim_start_matches("promises."),
            v.sentence()
        );
    }
    for chain in &report.tag_chains {
        println!(
            "  phone tag     {}: {} attempts without value since {} ({})",
            s.name_of(&chain.account),
            chain.length,
            s.local(chain.started_at),
            chain.code
        );
    }
    let b = &report.business;
    println!(
        "  Business: {} promises, {} kept, {} broken, {} open; {} callbacks, {} over the limit",
        b.promises, b.kept, b.broken, b.open, b.callbacks, b.callbacks_over_limit
    );
    println!();
    let mut facts = BTreeMap::new();
    for c in &report.customers {
        if let Some(account) = &c.account {
            facts.insert(
                account.clone(),
                PromiseFacts::new(c.kept, c.broken, c.callbacks_over_limit),
            );
        }
    }
    Ok(facts)
}

/// Cadence (C1-C8, K1): who to touch today, how and why. Returns each account's overdue
/// obligations, for the risk engine.
fn cadence_section(s: &Sample) -> Result<BTreeMap<AccountId, CadenceFacts>, Box<dyn Error>> {
    println!("TOUCHES (C1-C8)");
    let mut book = cadence::Book::new(s.accounts.clone());
    book.people = s.people.clone();
    book.interactions = s.interactions.clone();
    book.surveys = s.surveys.clone();
    book.units = s.units.clone();
    book.reviews = s.reviews.clone();
    // What the planner needs of an order: when it was completed, for whom, and whether
    // the next service is planned (C4, C8).
    for o in &s.orders {
        let Some(done) = o
            .status_history
            .iter()
            .rev()
            .find(|c| c.stage == Stage::Completed)
        else {
            continue;
        };
        let mut c = CompletedOrder::new(o.id.clone(), o.account.clone(), done.at);
        c.person = o.contact.clone();
        c.next_service_planned_on = match &o.next_service {
            Some(NextService::Agreed { on, .. }) => Some(*on),
            _ => None,
        };
        book.orders.push(c);
    }
    let plan = Planner::new(CadencePolicy::default(), s.calendar.clone())?.plan(&book, s.now)?;
    let today = plan.today;
    let mut later = 0;
    let mut facts: BTreeMap<AccountId, CadenceFacts> = BTreeMap::new();
    for item in &plan.due {
        if item.days_overdue > 0 {
            let f = facts
                .entry(item.account.clone())
                .or_insert_with(|| CadenceFacts::new(0, 0));
            f.overdue_obligations += item.obligations.len() as u32;
            f.worst_days_overdue = f.worst_days_overdue.max(item.days_overdue);
        }
        if item.planned_on != today {
            later += 1;
            continue;
        }
        let who = item
            .person
            .as_ref()
            .map_or("the account", |p| s.person_name(p));
        let how = item.channel.map_or("internal", |c| c.as_str());
        let rules: Vec<String> = item.rules.iter().map(|r| r.to_string()).collect();
        println!(
            "  {:<4} {:<20} {:<16} {:<6} {}{}",
            item.rep.as_ref().map_or("pool", |u| u.as_str()),
            s.name_of(&item.account),
            who,
            how,
            rules.join("+"),
            if item.days_overdue > 0 {
                format!(", {} days overdue", item.days_overdue)
            } else {
                String::new()
            }
        );
    }
    println!(
        "  ... and {later} more planned through {}",
        plan.through.format("%a %d %b")
    );
    for e in &plan.explanations {
        println!("  note: {}: {}", s.name_of(&e.account), e.sentence);
    }
    println!();
    Ok(facts)
}

/// Risk (K1-K6): the book ranked by value at risk, with reasons and next actions.
fn risk_section(
    s: &Sample,
    orders: &BTreeMap<AccountId, OrderFacts>,
    promises: &BTreeMap<AccountId, PromiseFacts>,
    cadence: &BTreeMap<AccountId, CadenceFacts>,
) -> Result<(), Box<dyn Error>> {
    println!("AT RISK (K1-K6)");
    let facts: Vec<AccountFacts> = s
        .accounts
        .iter()
        .map(|a| {
            let mut f = AccountFacts::new(a.id.clone());
            f.known_since = Some(a.customer_since);
            f.expected_value = a.annual_value;
            f.orders = Some(orders.get(&a.id).copied().unwrap_or(OrderFacts::new(0, 0)));
            f.promises = Some(
                promises
                    .get(&a.id)
                    .copied()
                    .unwrap_or(PromiseFacts::new(0, 0, 0)),
            );
            f.cadence = Some(
                cadence
                    .get(&a.id)
                    .copied()
                    .unwrap_or(CadenceFacts::new(0, 0)),
            );
            f
        })
        .collect();
    let report = Scorer::new(risk::RiskPolicy::default())?
        .score(risk::Book::new(&facts, &s.interactions, &s.surveys), s.now)?;
    for r in &report.accounts {
        println!(
            "  {:<20} {:>3} {:<8} value at risk {}",
            s.name_of(&r.account),
            r.score,
            r.band.to_string(),
            r.value_at_risk.map_or("unknown".to_string(), |v| format!(
                "{} {}",
                v.amount, v.currency
            )),
        );
        for sig in r.signals.iter().filter(|x| x.contribution > 0).take(3) {
            println!(
                "      +{:<3} {} ({})",
                sig.contribution, sig.sentence, sig.rule
            );
        }
        if let Some(a) = r.actions.first() {
            println!("      next: {} ({})", a.code, a.rule);
        }
    }
    Ok(())
}
