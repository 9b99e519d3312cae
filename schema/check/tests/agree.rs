//! Each type's schema (`retention::json_schema::for_reading` and `for_writing`) describes
//! the JSON serde writes and reads for it, checked with the `jsonschema` validator.
//!
//! - Every engine's output on the sample business (`tests/data/northwind.json`) and on
//!   the orders fixture, and every input the sample holds, validates against its schema,
//!   both the one for reading and the one for writing.
//! - The schema for reading refuses exactly what serde refuses: each value is taken apart
//!   (a field added, a field removed, a value replaced by `null`, a string by one no code,
//!   date or amount accepts, a number by a negative or a fraction), and serde and the
//!   schema must agree on every piece. Where reading checks more than the shape (a calendar
//!   or a model is validated on the way in), the schema may accept more, never less.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use retention::Error;
use retention::cadence::{self, CadencePolicy, CompletedOrder, Planner, RecordReview};
use retention::calendar::{BusinessCalendar, CalendarSpec};
use retention::desk::{Agenda, Book};
use retention::json_schema;
use retention::model::{
    self, Account, AccountId, Currency, InstalledUnit, Interaction, Person, Span, SurveyResponse,
};
use retention::orders::{self, NextService, OrderPolicy, OrderReport, ServiceOrder, Stage};
use retention::promises::{self, Ledger, LedgerReport, Promise, PromiseEvent, PromisePolicy};
use retention::risk::models::{
    ParetoModel, ParetoParams, PurchaseModel, PurchaseParams, SpendModel, SpendParams, Variant,
};
use retention::risk::{
    self, AccountFacts, CadenceFacts, OrderFacts, PromiseFacts, RiskPolicy, RiskReport, Scorer,
};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::{desk_fixture, orders_fixture};

// ---------------------------------------------------------------------------------------
// Schemas and the validator.

/// Which way the schema describes: what serde reads (schemars' default) or writes.
#[derive(Debug, Clone, Copy)]
enum Contract {
    Read,
    Write,
}

fn schema_of<T: JsonSchema>(contract: Contract) -> Value {
    match contract {
        Contract::Read => json_schema::for_reading::<T>(),
        Contract::Write => json_schema::for_writing::<T>(),
    }
    .to_value()
}

/// A compiled schema (the `jsonschema` validator, formats asserted).
struct Validator(retention_schema_check::Schema);

impl Validator {
    fn new(root: Value) -> Validator {
        Validator(retention_schema_check::Schema::new(&root))
    }

    /// Every reason `instance` is invalid, with where; empty if it is valid.
    fn errors(&self, instance: &Value) -> Vec<String> {
        self.0.errors(instance)
    }
}

/// Asserts that `value`'s JSON validates against `T`'s schemas for writing and reading.
fn assert_valid<T: JsonSchema + Serialize>(what: &str, value: &T) {
    let json = serde_json::to_value(value).unwrap();
    for contract in [Contract::Write, Contract::Read] {
        let errors = Validator::new(schema_of::<T>(contract)).errors(&json);
        assert!(
            errors.is_empty(),
            "{what} ({contract:?}): {errors:#?}\nin {json:#}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Taking values apart: serde and the schema for reading must agree on every piece.

/// How far the schema can follow serde for a type.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Agreement {
    /// Serde accepts a piece exactly when the schema does.
    Exact,
    /// Reading also validates (a calendar, a model): the schema never refuses what serde
    /// accepts, but may accept what validation refuses.
    SchemaLooser,
}

/// Every piece: `json` with one change at most `depth` steps down, and what the change
/// was.
fn pieces(json: &Value, depth: usize) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    walk(json, &mut Vec::new(), &mut |path, node| {
        if path.len() > depth {
            return;
        }
        let at = |what: &str| format!("{what} at /{}", path.join("/"));
        let mut replace = |what: &str, by: Value| {
            out.push((at(what), replaced(json, path, by)));
        };
        replace("null", Value::Null);
        match node {
            Value::Object(o) => {
                let mut extra = o.clone();
                extra.insert("zz_extra".into(), json!(true));
                replace("an extra field", Value::Object(extra));
                for k in o.keys() {
                    let mut less = o.clone();
                    less.remove(k);
                    replace(&format!("`{k}` removed"), Value::Object(less));
                }
            }
            Value::String(_) => replace("a stray string", json!("zz")),
            Value::Number(_) => {
                replace("a negative number", json!(-1));
                replace("a fraction", json!(0.5));
            }
            Value::Bool(_) => replace("a number for a bool", json!(1)),
            Value::Array(a) if !a.is_empty() => replace("an empty list", json!([])),
            _ => {}
        }
    });
    out
}

fn walk(v: &Value, path: &mut Vec<String>, f: &mut impl FnMut(&[String], &Value)) {
    f(path, v);
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                path.push(k.clone());
                walk(x, path, f);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.push(i.to_string());
                walk(x, path, f);
                path.pop();
            }
        }
        _ => {}
    }
}

fn replaced(json: &Value, path: &[String], by: Value) -> Value {
    let mut out = json.clone();
    let mut slot = &mut out;
    for step in path {
        slot = match slot {
            Value::Object(o) => o.get_mut(step).unwrap(),
            Value::Array(a) => &mut a[step.parse::<usize>().unwrap()],
            _ => unreachable!(),
        };
    }
    *slot = by;
    out
}

/// Takes `value`'s JSON apart and asserts that serde and `T`'s schema for reading agree
/// on every piece (see [`Agreement`]). Returns how many pieces were tried.
fn assert_agree<T: JsonSchema + Serialize + DeserializeOwned>(
    what: &str,
    value: &T,
    agreement: Agreement,
) -> usize {
    let json = serde_json::to_value(value).unwrap();
    assert_agree_json::<T>(what, json, agreement, usize::MAX)
}

/// [`assert_agree`] on a large value with every list cut to its first two elements (the
/// elements are taken apart one by one on their own).
fn assert_agree_trimmed<T: JsonSchema + Serialize + DeserializeOwned>(
    what: &str,
    value: &T,
    agreement: Agreement,
) -> usize {
    fn trim(v: &mut Value) {
        match v {
            Value::Array(a) => {
                a.truncate(2);
                a.iter_mut().for_each(trim);
            }
            Value::Object(o) => o.values_mut().for_each(trim),
            _ => {}
        }
    }
    let mut json = serde_json::to_value(value).unwrap();
    trim(&mut json);
    serde_json::from_value::<T>(json.clone()).expect("a trimmed value still reads");
    assert_agree_json::<T>(what, json, agreement, usize::MAX)
}

fn assert_agree_json<T: JsonSchema + DeserializeOwned>(
    what: &str,
    json: Value,
    agreement: Agreement,
    depth: usize,
) -> usize {
    let validator = Validator::new(schema_of::<T>(Contract::Read));
    let all = pieces(&json, depth);
    let mut disagreements = Vec::new();
    let mut refused = 0;
    for (change, piece) in &all {
        let serde_error = serde_json::from_value::<T>(piece.clone()).err();
        refused += usize::from(serde_error.is_some());
        let schema_errors = validator.errors(piece);
        let agrees = match (serde_error.is_none(), schema_errors.is_empty()) {
            (true, true) | (false, false) => true,
            // Validation refused what the schema's shape allows.
            (false, true) => agreement == Agreement::SchemaLooser,
            (true, false) => false,
        };
        if !agrees {
            disagreements.push(format!(
                "{change}: serde says {serde_error:?}, the schema {schema_errors:?}"
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "{what}: {disagreements:#?}\nin {json:#}"
    );
    assert!(
        refused > 0,
        "{what}: serde refused none of {} pieces",
        all.len()
    );
    all.len()
}

// ---------------------------------------------------------------------------------------
// The sample business, run through the four engines as the quickstart does.

/// The sample's shape (as in `examples/quickstart.rs`), with the calendar as its spec.
#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Sample {
    business: String,
    now: DateTime<Utc>,
    calendar: CalendarSpec,
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

/// What the engines made of the sample.
struct Run {
    sample: Sample,
    calendar: BusinessCalendar,
    order_reports: Vec<OrderReport>,
    ledger: LedgerReport,
    plan: cadence::Plan,
    risk: RiskReport,
}

fn run() -> Run {
    let sample: Sample =
        serde_json::from_str(include_str!("../../../tests/data/northwind.json")).unwrap();
    let s = &sample;
    let calendar = BusinessCalendar::new(s.calendar.clone()).unwrap();

    let policy = OrderPolicy::default();
    let mut order_reports = Vec::new();
    let mut hanging: BTreeMap<AccountId, OrderFacts> = BTreeMap::new();
    for (order, report) in s
        .orders
        .iter()
        .zip(orders::check_orders(&s.orders, s.now, &policy))
    {
        order_reports.push(report.unwrap());
        order_reports.push(orders::check_transition(order, Stage::Closed, s.now, &policy).unwrap());
        let f = hanging
            .entry(order.account.clone())
            .or_insert_with(|| OrderFacts::new(0, 0));
        if order.stage() == Stage::OnHold {
            f.hanging += 1;
        }
    }

    let ledger = Ledger::new(&PromisePolicy::default(), &calendar)
        .promises(&s.promises)
        .events(&s.promise_events)
        .interactions(&s.interactions)
        .evaluate(s.now)
        .unwrap();

    let mut book = cadence::PlanInput::new(s.accounts.clone());
    book.people = s.people.clone();
    book.interactions = s.interactions.clone();
    book.surveys = s.surveys.clone();
    book.units = s.units.clone();
    book.reviews = s.reviews.clone();
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
    let plan = Planner::new(CadencePolicy::default(), calendar.clone())
        .unwrap()
        .plan(&book, s.now)
        .unwrap();

    let facts: Vec<AccountFacts> = s
        .accounts
        .iter()
        .map(|a| {
            let mut f = AccountFacts::new(a.id.clone());
            f.known_since = Some(a.customer_since);
            f.expected_value = a.annual_value;
            f.orders = Some(hanging.get(&a.id).copied().unwrap_or(OrderFacts::new(0, 0)));
            f.promises = ledger
                .customers
                .iter()
                .find(|c| c.account.as_ref() == Some(&a.id))
                .map(|c| PromiseFacts::new(c.kept, c.broken, c.callbacks_over_limit));
            let overdue = plan
                .due
                .iter()
                .filter(|d| d.account == a.id && d.days_overdue > 0);
            f.cadence = Some(CadenceFacts::new(
                overdue.clone().count() as u32,
                overdue.map(|d| d.days_overdue).max().unwrap_or(0),
            ));
            f
        })
        .collect();
    let risk = Scorer::new(RiskPolicy::default())
        .unwrap()
        .score(
            risk::ScoreInput::new(&facts, &s.interactions, &s.surveys),
            s.now,
        )
        .unwrap();

    Run {
        sample,
        calendar,
        order_reports,
        ledger,
        plan,
        risk,
    }
}

/// The orders fixture: an order done by the book, checked for closing, and one just
/// completed, against a policy with a checklist template.
fn fixture_reports() -> Vec<(ServiceOrder, OrderReport)> {
    let policy = orders_fixture::policy();
    let now = orders_fixture::at(80);
    [
        orders_fixture::by_the_book(),
        orders_fixture::just_completed(),
    ]
    .into_iter()
    .flat_map(|o| {
        [
            orders::check_transition(&o, Stage::Closed, now, &policy).unwrap(),
            orders::check_now(&o, now, &policy).unwrap(),
        ]
        .map(|r| (o.clone(), r))
    })
    .collect()
}

/// The desk's sample book (`examples/data/hvac.json`, about 40 customers) and its agenda
/// on Tuesday 24 November 2026, 09:00 in Chicago, as the quickstart shows it; and the
/// desk tests' small book and its agenda.
fn desk_samples() -> Vec<(Book, Agenda)> {
    let hvac = Book::from_json(include_str!("../../../examples/data/hvac.json")).unwrap();
    let now = "2026-11-24T15:00:00Z".parse().unwrap();
    let hvac_agenda = hvac.agenda(now).unwrap();
    let small = desk_fixture::book();
    let small_agenda = small.agenda(desk_fixture::now()).unwrap();
    vec![(hvac, hvac_agenda), (small, small_agenda)]
}

fn models() -> (PurchaseModel, SpendModel, ParetoModel) {
    (
        PurchaseModel::new(
            Variant::ModifiedBgNbd,
            PurchaseParams::new(0.525, 6.183, 0.891, 1.614),
        )
        .unwrap(),
        SpendModel::new(SpendParams::new(6.25, 3.74, 15.44)).unwrap(),
        ParetoModel::new(ParetoParams::new(0.553, 10.578, 0.606, 11.669)).unwrap(),
    )
}

// ---------------------------------------------------------------------------------------
// The tests.

#[test]
fn every_engine_output_on_the_sample_validates_against_its_schema() {
    let r = run();
    assert_valid("the calendar spec", &r.sample.calendar);
    assert_valid("the calendar", &r.calendar);
    for o in &r.sample.orders {
        assert_valid(&format!("order {}", o.id), o);
    }
    assert!(!r.order_reports.is_empty());
    for report in &r.order_reports {
        assert_valid("an order report", report);
    }
    for (order, report) in fixture_reports() {
        assert_valid("the orders fixture", &order);
        assert_valid("a report on the orders fixture", &report);
    }
    assert!(!r.ledger.verdicts.is_empty());
    for v in &r.ledger.verdicts {
        assert_valid(&format!("verdict on {}", v.promise), v);
    }
    assert_valid("the ledger report", &r.ledger);
    assert!(!r.plan.due.is_empty());
    assert_valid("the plan", &r.plan);
    assert!(!r.risk.accounts.is_empty());
    assert_valid("the risk report", &r.risk);
}

#[test]
fn the_desks_books_and_agendas_validate_against_their_schemas() {
    for (book, agenda) in desk_samples() {
        assert!(!agenda.touches.is_empty() && !agenda.at_risk.is_empty());
        assert_valid("a book", &book);
        assert_valid("an agenda", &agenda);
    }
    // The engines' reports in an agenda are taken apart above; here the agenda's own
    // levels. Reading a book builds its calendar, so a book is taken apart only at its
    // own level; its policies and records one by one.
    let (book, agenda) = desk_samples().pop().unwrap();
    let json = serde_json::to_value(&agenda).unwrap();
    assert_agree_json::<Agenda>("an agenda", json, Agreement::Exact, 3);
    let json = serde_json::to_value(&book).unwrap();
    assert_agree_json::<Book>("a book", json, Agreement::SchemaLooser, 1);
    let policies = serde_json::to_value(&book.policies).unwrap();
    assert_agree_json::<retention::desk::Policies>(
        "policies",
        policies,
        Agreement::SchemaLooser,
        usize::MAX,
    );
    for a in &book.accounts {
        assert_agree("a desk account", a, Agreement::Exact);
    }
    for p in &book.people {
        assert_agree("a desk person", p, Agreement::Exact);
    }
    for i in &book.interactions {
        assert_agree("a desk interaction", i, Agreement::Exact);
    }
    for o in &book.orders {
        assert_agree("a desk order", o, Agreement::Exact);
    }
    for p in &book.promises {
        assert_agree("a desk promise", p, Agreement::Exact);
    }
}

#[test]
fn every_input_of_the_sample_and_every_default_policy_validates_against_its_schema() {
    let r = run();
    let s = &r.sample;
    for a in &s.accounts {
        assert_valid("an account", a);
    }
    for p in &s.people {
        assert_valid("a person", p);
    }
    for i in &s.interactions {
        assert_valid("an interaction", i);
    }
    for x in &s.surveys {
        assert_valid("a survey", x);
    }
    for u in &s.units {
        assert_valid("a unit", u);
    }
    for p in &s.promises {
        assert_valid("a promise", p);
    }
    for e in &s.promise_events {
        assert_valid("a promise event", e);
    }
    for x in &s.reviews {
        assert_valid("a review", x);
    }
    assert_valid("the order policy", &orders_fixture::policy());
    assert_valid("the default order policy", &OrderPolicy::default());
    assert_valid("the promise policy", &PromisePolicy::default());
    assert_valid("the cadence policy", &CadencePolicy::default());
    assert_valid("the risk policy", &RiskPolicy::default());
    let (purchase, spend, pareto) = models();
    assert_valid("a purchase model", &purchase);
    assert_valid("a spend model", &spend);
    assert_valid("a Pareto/NBD model", &pareto);
    assert_valid("the sample", s);
}

#[test]
fn errors_validate_against_their_schema() {
    let mut spec = CalendarSpec::new("Mars/Olympus_Mons");
    spec.holidays.push(retention::calendar::Holiday::full_day(
        NaiveDate::from_ymd_opt(2026, 12, 25).unwrap(),
        "",
    ));
    let err: Error = BusinessCalendar::new(spec).unwrap_err();
    assert!(err.problems().len() >= 2);
    assert_valid("an error", &err);
    assert_agree("an error", &err, Agreement::SchemaLooser);
    // An error holds at least one problem: serde refuses an empty list, and so does the schema.
    let empty = json!({"problems": []});
    assert!(serde_json::from_value::<Error>(empty.clone()).is_err());
    assert!(
        !Validator::new(schema_of::<Error>(Contract::Read))
            .errors(&empty)
            .is_empty()
    );
}

#[test]
fn the_schema_refuses_exactly_what_serde_refuses() {
    let r = run();
    let s = &r.sample;
    let mut tried = 0;
    let exact = Agreement::Exact;
    tried += assert_agree("the calendar spec", &s.calendar, exact);
    tried += assert_agree("the calendar", &r.calendar, Agreement::SchemaLooser);
    for a in &s.accounts {
        tried += assert_agree("an account", a, exact);
    }
    for p in &s.people {
        tried += assert_agree("a person", p, exact);
    }
    for i in &s.interactions {
        tried += assert_agree("an interaction", i, exact);
    }
    for x in &s.surveys {
        tried += assert_agree("a survey", x, exact);
    }
    for u in &s.units {
        tried += assert_agree("a unit", u, exact);
    }
    for o in &s.orders {
        tried += assert_agree("an order", o, exact);
    }
    for p in &s.promises {
        tried += assert_agree("a promise", p, exact);
    }
    for e in &s.promise_events {
        tried += assert_agree("a promise event", e, exact);
    }
    for x in &s.reviews {
        tried += assert_agree("a review", x, exact);
    }
    for (order, report) in fixture_reports() {
        tried += assert_agree("the orders fixture", &order, exact);
        tried += assert_agree("a report on the orders fixture", &report, exact);
    }
    for report in &r.order_reports {
        tried += assert_agree("an order report", report, exact);
    }
    for v in &r.ledger.verdicts {
        tried += assert_agree("a verdict", v, exact);
    }
    for c in &r.ledger.tag_chains {
        tried += assert_agree("a tag chain", c, exact);
    }
    for c in &r.ledger.customers {
        tried += assert_agree("a customer's summary", c, exact);
    }
    tried += assert_agree_trimmed("the ledger report", &r.ledger, exact);
    for d in &r.plan.due {
        tried += assert_agree("a due item", d, exact);
    }
    for e in &r.plan.explanations {
        tried += assert_agree("an explanation", e, exact);
    }
    tried += assert_agree_trimmed("the plan", &r.plan, exact);
    for a in &r.risk.accounts {
        tried += assert_agree("an account's risk", a, exact);
    }
    tried += assert_agree_trimmed("the risk report", &r.risk, exact);
    tried += assert_agree("the promise policy", &PromisePolicy::default(), exact);
    tried += assert_agree("the cadence policy", &CadencePolicy::default(), exact);
    tried += assert_agree("the risk policy", &RiskPolicy::default(), exact);
    let looser = Agreement::SchemaLooser;
    tried += assert_agree("the order policy", &orders_fixture::policy(), looser);
    let (purchase, spend, pareto) = models();
    tried += assert_agree("a purchase model", &purchase, looser);
    tried += assert_agree("a spend model", &spend, looser);
    tried += assert_agree("a Pareto/NBD model", &pareto, looser);
    assert!(tried > 5_000, "only {tried} pieces");
}

#[test]
fn the_shapes_follow_serde() {
    // Ids, paths and currencies are strings; a currency is three capitals.
    let account = schema_of::<Account>(Contract::Read);
    assert_eq!(account["$defs"]["AccountId"]["type"], "string");
    assert_eq!(account["additionalProperties"], false);
    let currency = Validator::new(schema_of::<Currency>(Contract::Read));
    assert!(currency.errors(&json!("USD")).is_empty());
    assert!(!currency.errors(&json!("usd")).is_empty());
    // A span is one keyed number.
    let span = Validator::new(schema_of::<Span>(Contract::Read));
    assert!(span.errors(&json!({"hours": 24})).is_empty());
    for bad in [
        json!({"hours": -1}),
        json!({"fortnights": 2}),
        json!({"days": 1, "hours": 2}),
    ] {
        assert!(!span.errors(&bad).is_empty(), "{bad}");
        assert!(serde_json::from_value::<Span>(bad).is_err());
    }
    // A time of day is HH:MM or HH:MM:SS up to 24:00.
    let spec = Validator::new(schema_of::<CalendarSpec>(Contract::Read));
    for (time, ok) in [
        ("08:00", true),
        ("24:00", true),
        ("07:05:09", true),
        ("7:00", false),
        ("24:01", false),
        ("12:60", false),
    ] {
        let json =
            json!({"time_zone": "UTC", "weekly": {"monday": [{"start": time, "end": "24:00"}]}});
        assert_eq!(spec.errors(&json).is_empty(), ok, "{time}");
        assert_eq!(
            serde_json::from_value::<CalendarSpec>(json).is_ok(),
            ok,
            "{time}"
        );
    }
    // A verdict's derived `path` and `sentence` are written, and may be left out when read.
    let required = |contract| {
        let s = schema_of::<promises::Verdict>(contract);
        let r: Vec<String> = serde_json::from_value(s["required"].clone()).unwrap();
        (
            r.contains(&"path".to_owned()),
            r.contains(&"sentence".to_owned()),
        )
    };
    assert_eq!(required(Contract::Write), (true, true));
    assert_eq!(required(Contract::Read), (false, false));
    // Amounts are decimal strings, written and read.
    let money = |contract| schema_of::<model::Money>(contract)["properties"]["amount"].clone();
    // (The crate also reads a JSON number, through a float; the contract asks for the string.)
    assert_eq!(money(Contract::Write)["type"], "string");
    assert_eq!(money(Contract::Read)["type"], "string");
    // Tagged enums are strict like their readers: `user` only with `staff`.
    let party = Validator::new(schema_of::<model::Party>(Contract::Read));
    assert!(
        party
            .errors(&json!({"kind": "staff", "user": "u-1"}))
            .is_empty()
    );
    assert!(party.errors(&json!({"kind": "customer"})).is_empty());
    for bad in [
        json!({"kind": "customer", "user": "u-1"}),
        json!({"kind": "customer", "user": null}),
        json!({"kind": "staff", "user": null}),
        json!({"kind": "staff"}),
    ] {
        assert!(!party.errors(&bad).is_empty(), "{bad}");
        assert!(serde_json::from_value::<model::Party>(bad).is_err());
    }
    // A field of another kind is refused even as `null`, by the schema and by serde alike.
    fn refused<T: JsonSchema + DeserializeOwned>(bad: &[Value]) {
        let schema = Validator::new(schema_of::<T>(Contract::Read));
        for bad in bad {
            assert!(!schema.errors(bad).is_empty(), "the schema took {bad}");
            assert!(
                serde_json::from_value::<T>(bad.clone()).is_err(),
                "serde took {bad}"
            );
        }
    }
    refused::<model::MessageValue>(&[
        json!({"kind": "none", "call_at": null}),
        json!({"kind": "answered_question", "resource": null}),
        json!({"kind": "promised_call_at", "call_at": "2026-11-24T20:00:00Z", "available_at": null}),
        json!({"kind": "promised_call_at", "call_at": null}),
    ]);
    refused::<promises::PromiseKind>(&[
        json!({"kind": "callback", "label": null}),
        json!({"kind": "custom", "label": null}),
    ]);
    refused::<promises::MadeBy>(&[
        json!({"kind": "business", "user": null}),
        json!({"kind": "staff", "user": null}),
    ]);
}

/// Writes the schemas of the engines' main types to `target/schema-dump/` for a look:
/// `cargo test --manifest-path schema/check/Cargo.toml -- --ignored dump_schemas`.
#[test]
#[ignore]
fn dump_schemas() {
    fn dump<T: JsonSchema>(name: &str) {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/schema-dump");
        std::fs::create_dir_all(&dir).unwrap();
        for (contract, suffix) in [(Contract::Read, "read"), (Contract::Write, "write")] {
            let text = serde_json::to_string_pretty(&schema_of::<T>(contract)).unwrap();
            std::fs::write(dir.join(format!("{name}.{suffix}.json")), text + "\n").unwrap();
        }
    }
    dump::<CalendarSpec>("calendar_spec");
    dump::<BusinessCalendar>("business_calendar");
    dump::<ServiceOrder>("service_order");
    dump::<OrderReport>("order_report");
    dump::<OrderPolicy>("order_policy");
    dump::<promises::Verdict>("verdict");
    dump::<LedgerReport>("ledger_report");
    dump::<cadence::Plan>("plan");
    dump::<CadencePolicy>("cadence_policy");
    dump::<RiskReport>("risk_report");
    dump::<RiskPolicy>("risk_policy");
    dump::<Error>("error");
    dump::<Sample>("sample");
}

#[test]
fn descriptions_hold_prose_and_json_examples_only() {
    // A type whose docs hold a Rust example takes
    // `schemars(transform = crate::json_schema::prose_only)` beside its derive.
    let mut schemas = Vec::new();
    for contract in [Contract::Read, Contract::Write] {
        schemas.push(schema_of::<Sample>(contract));
        schemas.push(schema_of::<BusinessCalendar>(contract));
        schemas.push(schema_of::<OrderReport>(contract));
        schemas.push(schema_of::<OrderPolicy>(contract));
        schemas.push(schema_of::<LedgerReport>(contract));
        schemas.push(schema_of::<PromisePolicy>(contract));
        schemas.push(schema_of::<cadence::Plan>(contract));
        schemas.push(schema_of::<CadencePolicy>(contract));
        schemas.push(schema_of::<RiskReport>(contract));
        schemas.push(schema_of::<RiskPolicy>(contract));
        schemas.push(schema_of::<PurchaseModel>(contract));
        schemas.push(schema_of::<SpendModel>(contract));
        schemas.push(schema_of::<ParetoModel>(contract));
        schemas.push(schema_of::<Error>(contract));
    }
    let mut described = 0;
    for schema in &schemas {
        walk(schema, &mut Vec::new(), &mut |path, node| {
            let Some(d) = node.get("description").and_then(Value::as_str) else {
                return;
            };
            described += 1;
            let fences: Vec<&str> = d
                .lines()
                .filter_map(|l| l.trim_start().strip_prefix("```"))
                .collect();
            // Fences open and close in pairs; every opening one is `json`.
            assert!(
                fences.len() % 2 == 0 && fences.iter().step_by(2).all(|info| *info == "json"),
                "a Rust example in the description at /{}: {d}",
                path.join("/")
            );
        });
    }
    assert!(described > 300, "{described}");
}
