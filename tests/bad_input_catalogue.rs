//! The catalogue of bad input (`src/bad_input.md`), row by row: each row's input fed to
//! the entry point the row names, and the code and path of the problem it gets. A last
//! test reads the catalogue itself and holds it to exactly these rows, and to every code
//! of `ErrorKind::ALL`.
//!
//! A row's problem is the error's first one (its only one, apart from the closing
//! `desk.book_rejected` of a refused book); the `desk.book_rejected` row checks the last.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use retention::cadence::{self, CadencePolicy, CompletedOrder, Planner, RecordReview};
use retention::calendar::{
    BusinessCalendar, CalendarSpec, ExtraPeriod, Holiday, TimeOfDay, WeeklySchedule, WorkInterval,
};
use retention::desk::Book;
use retention::model::{
    Channel, Currency, Direction, Interaction, MessageValue, Money, Outcome, Party, PersonId, Role,
    Span, validate_interactions,
};
use retention::orders::{
    ChecklistEntry, ChecklistTemplate, ItemState, OrderPolicy, PolicySpec, ServiceOrder, Severity,
    TemplateItem, WorkDone, check_now, check_orders,
};
use retention::promises::{
    Clock, Due, EventKind, Ledger, MadeBy, Promise, PromiseEvent, PromiseKind, PromisePolicy,
};
use retention::risk::models::{
    FitOptions, ParetoModel, ParetoParams, PurchaseModel, PurchaseParams, PurchaseSummary,
    SpendModel, SpendParams, TimeUnit, Variant,
};
use retention::risk::{self, AccountFacts, RiskPolicy, Scorer};
use retention::{Error, ErrorKind};
use rust_decimal::Decimal;
use serde_json::{Value, json};

use crate::{cadence_scenarios, desk_fixture, orders_fixture};

/// The catalogue, as the crate documents it.
const CATALOGUE: &str = include_str!("../src/bad_input.md");

/// Asserts that the row's problem has its code and path.
fn check(id: &str, code: &str, path: &str, e: Error) {
    let all = e.problems();
    let p = if code == "desk.book_rejected" {
        all.last()
    } else {
        all.first()
    }
    .expect("an error holds a problem");
    assert_eq!(
        (p.code(), p.path().as_str()),
        (code, path),
        "{id}: every problem: {:#?}",
        all.iter()
            .map(|p| format!("{} at `{}`: {}", p.code(), p.path(), p.message()))
            .collect::<Vec<_>>()
    );
    // A book refused whole ends with the count of what was read.
    if let Some(last) = all.last().filter(|_| all.len() > 1) {
        if code != "desk.book_rejected" && id.starts_with("DSK") {
            assert_eq!(last.code(), "desk.book_rejected", "{id}");
        }
    }
}

/// One `#[test]` per row, and the table of (row id, code, path) the catalogue must match.
macro_rules! rows {
    ($($name:ident $id:literal $code:literal $path:literal => $run:expr;)*) => {
        $(
            #[test]
            fn $name() {
                check($id, $code, $path, $run);
            }
        )*
        /// Every row tested here: (id, code, path).
        const ROWS: &[(&str, &str, &str)] = &[$(($id, $code, $path)),*];
    };
}

// ---------------------------------------------------------------------------------------
// Helpers: a good input of each entry point, edited into a bad one.

/// `Book::from_json` on a text.
fn text(json: &str) -> Error {
    match Book::from_json(json) {
        Ok(_) => panic!("the text should be refused"),
        Err(e) => e,
    }
}

/// `Book::from_json` on the desk fixture's book, edited.
fn book(edit: impl FnOnce(&mut Value)) -> Error {
    let mut json = desk_fixture::book_json();
    edit(&mut json);
    text(&json.to_string())
}

/// `Book::agenda` on the desk fixture's book, edited (the book itself reads).
fn agenda(edit: impl FnOnce(&mut Value), now: DateTime<Utc>) -> Error {
    let mut json = desk_fixture::book_json();
    edit(&mut json);
    let book = Book::from_json(&json.to_string()).expect("the book reads");
    book.agenda(now).expect_err("the agenda should be refused")
}

/// The fixture's book with one promise (quote by Friday, made Monday) for `a-2`.
fn with_promise(json: &mut Value) {
    json["promises"] = json!([{"id": "pr-1", "kind": {"kind": "quote_by"},
        "made_by": {"kind": "staff", "user": "u-ben"}, "account": "a-2",
        "made_at": "2026-11-16T15:00:00Z", "due": {"kind": "at", "at": "2026-11-20T22:00:00Z"}}]);
}

fn t(h: u32, m: u32) -> TimeOfDay {
    TimeOfDay::hm(h, m).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn nine_to_five() -> CalendarSpec {
    let mut spec = CalendarSpec::new("Europe/London");
    spec.weekly = WeeklySchedule::weekdays(&[WorkInterval::new(t(9, 0), t(17, 0))]);
    spec
}

/// `BusinessCalendar::new` on a nine-to-five calendar, edited.
fn calendar(edit: impl FnOnce(&mut CalendarSpec)) -> Error {
    let mut spec = nine_to_five();
    edit(&mut spec);
    BusinessCalendar::new(spec).expect_err("the calendar should be refused")
}

fn open_calendar() -> BusinessCalendar {
    BusinessCalendar::new(nine_to_five()).unwrap()
}

/// A calendar open only on Saturday 19 December 2026, 09:00-13:00.
fn one_day_calendar() -> BusinessCalendar {
    let mut spec = CalendarSpec::new("UTC");
    spec.extra_periods.push(ExtraPeriod {
        start: date(2026, 12, 19).and_hms_opt(9, 0, 0).unwrap(),
        end: date(2026, 12, 19).and_hms_opt(13, 0, 0).unwrap(),
        name: "the only day".into(),
    });
    BusinessCalendar::new(spec).unwrap()
}

fn monday_nine() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 9, 0, 0).unwrap()
}

/// `check_now` on the orders fixture's order done by the book, edited.
fn order(edit: impl FnOnce(&mut ServiceOrder)) -> Error {
    let mut o = orders_fixture::by_the_book();
    edit(&mut o);
    check_now(&o, orders_fixture::at(60), &orders_fixture::policy())
        .expect_err("the order should be refused")
}

/// `OrderPolicy::new` on one boiler template, edited.
fn order_policy(edit: impl FnOnce(&mut PolicySpec)) -> Error {
    let mut spec = PolicySpec::with_templates(vec![ChecklistTemplate::new(
        "t-1",
        "boiler",
        vec![
            TemplateItem::required("isolate_power", "Isolate the power"),
            TemplateItem::optional("photo", "Photo"),
        ],
    )]);
    edit(&mut spec);
    OrderPolicy::new(spec).expect_err("the policy should be refused")
}

fn ledger_calendar() -> BusinessCalendar {
    serde_json::from_str(
        r#"{"time_zone": "Europe/Berlin",
            "weekly": {"monday": [{"start": "09:00", "end": "17:00"}]}}"#,
    )
    .unwrap()
}

fn nov(d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0).unwrap()
}

/// A follow-up promise `id` made 10 November, 09:00, due as given.
fn promise(id: &str, due: Due) -> Promise {
    Promise::new(
        id,
        PromiseKind::FollowUp,
        MadeBy::Business,
        "a-1",
        nov(10, 9),
        due,
    )
}

fn within_8h() -> Due {
    Due::Within {
        span: Span::Hours(8),
    }
}

fn event(promise: &str, at: DateTime<Utc>, kind: EventKind) -> PromiseEvent {
    PromiseEvent::new(promise, at, kind)
}

/// `Ledger::evaluate` (30 November) on these records.
fn ledger(promises: &[Promise], events: &[PromiseEvent]) -> Error {
    ledger_with(
        &PromisePolicy::default(),
        &ledger_calendar(),
        promises,
        events,
        &[],
    )
}

fn ledger_with(
    policy: &PromisePolicy,
    calendar: &BusinessCalendar,
    promises: &[Promise],
    events: &[PromiseEvent],
    interactions: &[Interaction],
) -> Error {
    Ledger::new(policy, calendar)
        .promises(promises)
        .events(events)
        .interactions(interactions)
        .evaluate(nov(30, 0))
        .expect_err("the ledger should refuse")
}

/// `Ledger::evaluate` with an edited policy and nothing else.
fn promise_policy(edit: impl FnOnce(&mut PromisePolicy)) -> Error {
    let mut policy = PromisePolicy::default();
    edit(&mut policy);
    ledger_with(&policy, &ledger_calendar(), &[], &[], &[])
}

fn staff_call(outcome: Outcome) -> Interaction {
    Interaction::new(
        "i-1",
        "a-1",
        nov(11, 9),
        Channel::Phone,
        Direction::Outbound,
        Party::Staff { user: "u-1".into() },
        outcome,
    )
}

/// `Planner::new` with an edited cadence policy.
fn cadence_policy(edit: impl FnOnce(&mut CadencePolicy)) -> Error {
    let mut policy = CadencePolicy::default();
    edit(&mut policy);
    Planner::new(policy, cadence_scenarios::calendar()).expect_err("the policy should be refused")
}

/// `Planner::plan` on the cadence tests' settled book, edited.
fn plan(edit: impl FnOnce(&mut cadence::PlanInput)) -> Error {
    let mut b = cadence_scenarios::settled_book();
    edit(&mut b);
    cadence_scenarios::planner()
        .plan(&b, cadence_scenarios::now())
        .expect_err("the plan should be refused")
}

/// `Scorer::score` on these accounts' facts.
fn score(facts: &[AccountFacts]) -> Error {
    Scorer::new(RiskPolicy::default())
        .unwrap()
        .score(risk::ScoreInput::new(facts, &[], &[]), nov(25, 12))
        .expect_err("the book should be refused")
}

fn facts(id: &str, edit: impl FnOnce(&mut AccountFacts)) -> AccountFacts {
    let mut f = AccountFacts::new(id);
    edit(&mut f);
    f
}

/// `Scorer::new` with an edited risk policy.
fn risk_policy(edit: impl FnOnce(&mut RiskPolicy)) -> Error {
    let mut policy = RiskPolicy::default();
    edit(&mut policy);
    Scorer::new(policy).expect_err("the policy should be refused")
}

/// Four customers (frequency, recency, age in weeks).
fn customers() -> Vec<PurchaseSummary> {
    vec![
        PurchaseSummary::new(0, 0.0, 38.0),
        PurchaseSummary::new(2, 30.4, 38.0),
        PurchaseSummary::new(1, 1.7, 38.0),
        PurchaseSummary::new(7, 29.4, 38.0),
    ]
}

/// `PurchaseModel::fit` (BG/NBD) on the four customers, edited.
fn fit(edit: impl FnOnce(&mut Vec<PurchaseSummary>)) -> Error {
    let mut book = customers();
    edit(&mut book);
    PurchaseModel::fit(&book, Variant::BgNbd, &FitOptions::default())
        .expect_err("the fit should fail")
}

fn bg_nbd(r: f64, alpha: f64, a: f64, b: f64) -> PurchaseModel {
    PurchaseModel::new(Variant::BgNbd, PurchaseParams::new(r, alpha, a, b)).unwrap()
}

// ---------------------------------------------------------------------------------------
// The rows, in the catalogue's order.

rows! {
    // Reading a book's JSON (`Book::from_json`).
    jsn_01 "JSN-01" "desk.malformed_json" "" => text("accounts: a-1");
    jsn_02 "JSN-02" "desk.malformed_json" "" => text("");
    jsn_03 "JSN-03" "desk.malformed_json" "interactions[2].id" => {
        let full = desk_fixture::book_json().to_string();
        let cut = full.find(r#""id":"i-3""#).unwrap() + 8;
        text(&full[..cut])
    };
    jsn_04 "JSN-04" "desk.malformed_json" "" => {
        text(&format!("{} {{}}", desk_fixture::book_json()))
    };
    jsn_05 "JSN-05" "desk.malformed_json" "accounts[0].anual_value" => book(|j| {
        j["accounts"][0]["anual_value"] = json!({"amount": "1.00", "currency": "USD"});
    });
    jsn_06 "JSN-06" "desk.malformed_json" "accounts[1]" => book(|j| {
        j["accounts"][1].as_object_mut().unwrap().remove("customer_since");
    });
    jsn_07 "JSN-07" "desk.malformed_json" "interactions[1].at" => book(|j| {
        j["interactions"][1]["at"] = json!("last Tuesday");
    });
    jsn_08 "JSN-08" "desk.malformed_json" "people[0].key_contact" => book(|j| {
        j["people"][0]["key_contact"] = json!("yes");
    });
    jsn_09 "JSN-09" "desk.malformed_json" "interactions[0].channel" => book(|j| {
        j["interactions"][0]["channel"] = json!("carrier_pigeon");
    });
    jsn_10 "JSN-10" "desk.malformed_json" "orders[0].intake.special_instructions.kind" => book(|j| {
        j["orders"][0]["intake"]["special_instructions"] = json!({"kind": "maybe"});
    });
    jsn_11 "JSN-11" "desk.malformed_json" "accounts[0].name" => book(|j| {
        j["accounts"][0]["name"] = Value::Null;
    });
    jsn_12 "JSN-12" "desk.malformed_json" "people[1].birthday.month" => book(|j| {
        j["people"][1]["birthday"] = json!({"month": -1, "day": 3});
    });
    jsn_13 "JSN-13" "desk.malformed_json" "people[1].birthday.day" => book(|j| {
        j["people"][1]["birthday"] = json!({"month": 12, "day": 4294967296u64});
    });
    jsn_14 "JSN-14" "desk.malformed_json" "policies.cadence.caps.per_person_per_week" => book(|j| {
        j["policies"] = json!({"cadence": {"caps": {"per_person_per_week": 1.5}}});
    });
    jsn_15 "JSN-15" "desk.malformed_json" "accounts[0].customer_since" => book(|j| {
        j["accounts"][0]["customer_since"] = json!("2025-02-30");
    });
    jsn_16 "JSN-16" "desk.malformed_json" "interactions[0].at" => book(|j| {
        j["interactions"][0]["at"] = json!("+275760-09-13T00:00:00Z");
    });
    jsn_17 "JSN-17" "desk.malformed_json" "accounts[0].annual_value.currency" => book(|j| {
        j["accounts"][0]["annual_value"]["currency"] = json!("usd");
    });
    jsn_18 "JSN-18" "desk.malformed_json" "accounts[0].annual_value.amount" => book(|j| {
        j["accounts"][0]["annual_value"]["amount"] = json!("a lot");
    });
    jsn_19 "JSN-19" "calendar.unknown_time_zone" "calendar.time_zone" => book(|j| {
        j["calendar"]["time_zone"] = json!("Mars/Olympus_Mons");
    });
    jsn_20 "JSN-20" "desk.malformed_json" "calendar.weekly.monday[0].end" => book(|j| {
        j["calendar"]["weekly"]["monday"][0]["end"] = json!("25:00");
    });
    jsn_21 "JSN-21" "orders.unknown_finding_code" "policies.orders.severities.close.signatur_missing" => book(|j| {
        j["policies"] = json!({"orders": {"severities": {"close.signatur_missing": "info"}}});
    });
    jsn_22 "JSN-22" "desk.malformed_json" "interactions[2].initiated_by" => book(|j| {
        j["interactions"][2]["initiated_by"] = json!({"kind": "customer", "user": null});
    });
    jsn_23 "JSN-23" "desk.malformed_json" "interactions[0].initiated_by" => book(|j| {
        j["interactions"][0]["initiated_by"] = json!({"kind": "staff", "user": null});
    });
    jsn_24 "JSN-24" "desk.malformed_json" "interactions[2].message_value" => book(|j| {
        j["interactions"][2]["message_value"] = json!({"kind": "none", "call_at": null});
    });
    jsn_25 "JSN-25" "desk.malformed_json" "promises[0].kind" => book(|j| {
        with_promise(j);
        j["promises"][0]["kind"] = json!({"kind": "quote_by", "label": null});
    });
    jsn_26 "JSN-26" "desk.malformed_json" "promises[0].made_by" => book(|j| {
        with_promise(j);
        j["promises"][0]["made_by"] = json!({"kind": "business", "user": null});
    });
    jsn_27 "JSN-27" "desk.malformed_json" "orders[0].intake.special_instructions" => book(|j| {
        j["orders"][0]["intake"]["special_instructions"] = json!({"kind": "none", "notes": null});
    });
    jsn_28 "JSN-28" "desk.malformed_json" "policies.desk.purchase_model" => book(|j| {
        j["policies"] = json!({"desk": {"purchase_model": {"kind": "none", "sample": 10}}});
    });
    jsn_29 "JSN-29" "desk.malformed_json" "accounts[0]" => {
        let full = desk_fixture::book_json().to_string();
        text(&full.replacen(r#""name":"Oak Ridge Apartments""#,
            r#""name":"Oak Ridge Apartments","name":"Oak Ridge""#, 1))
    };
    jsn_30 "JSN-30" "desk.unknown_schema_version" "schema_version" => book(|j| {
        j["schema_version"] = json!(4);
        j["next_generation_field"] = json!(true);
    });
    jsn_31 "JSN-31" "desk.unknown_schema_version" "schema_version" => book(|j| {
        j.as_object_mut().unwrap().remove("schema_version");
    });
    jsn_32 "JSN-32" "desk.unknown_schema_version" "schema_version" => book(|j| {
        j["schema_version"] = json!("1");
    });
    jsn_33 "JSN-33" "desk.malformed_json" "interactions[0].channel" => {
        let e = book(|j| j["interactions"][0]["channel"] = json!("p".repeat(1 << 20)));
        assert!(e.problems()[0].message().len() <= retention::MESSAGE_MAX, "{}", e.problems()[0].message());
        assert!(e.problems()[0].message().contains("(1048576 bytes)"));
        e
    };
    jsn_34 "JSN-34" "desk.malformed_json" "accounts[0].xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…" => {
        let e = book(|j| j["accounts"][0]["x".repeat(1 << 20)] = json!(1));
        assert!(e.problems()[0].message().len() <= retention::MESSAGE_MAX, "{}", e.problems()[0].message());
        assert!(!e.problems()[0].message().contains(&"x".repeat(retention::QUOTE_MAX + 1)));
        e
    };

    // The shared model: each record's own checks and the list checks.
    mod_01 "MOD-01" "model.empty_id" "interactions[0].id" => book(|j| {
        j["interactions"][0]["id"] = json!(" ");
    });
    mod_02 "MOD-02" "model.empty_id" "interactions[0].initiated_by.user" => book(|j| {
        j["interactions"][0]["initiated_by"]["user"] = json!("");
    });
    mod_03 "MOD-03" "model.duplicate_id" "accounts[3].id" => book(|j| {
        let again = j["accounts"][0].clone();
        j["accounts"].as_array_mut().unwrap().push(again);
    });
    mod_04 "MOD-04" "model.duplicate_id" "people[1].id" => {
        let people = serde_json::from_value::<Vec<retention::model::Person>>(json!([
            {"id": "p-1", "account": "a-1", "name": "Lena Ortiz", "role": "owner"},
            {"id": "p-1", "account": "a-1", "name": "Lena Ortiz (again)", "role": "owner"}
        ])).unwrap();
        retention::model::validate_people(&people).unwrap_err()
    };
    mod_05 "MOD-05" "model.invalid_currency" "" => Currency::new("usd").unwrap_err();
    mod_06 "MOD-06" "model.currency_mismatch" "accounts[0].lifetime_value.currency" => book(|j| {
        j["accounts"][0]["lifetime_value"] = json!({"amount": "20000.00", "currency": "EUR"});
    });
    mod_07 "MOD-07" "model.currency_mismatch" "accounts[1].annual_value" => book(|j| {
        j["accounts"][1]["annual_value"]["currency"] = json!("EUR");
    });
    mod_08 "MOD-08" "model.currency_mismatch" "currency" => {
        Money::new(Decimal::ONE, Currency::USD)
            .checked_add(&Money::new(Decimal::ONE, Currency::EUR))
            .unwrap_err()
    };
    mod_09 "MOD-09" "model.amount_overflow" "amount" => {
        Money::new(Decimal::MAX, Currency::USD)
            .checked_add(&Money::new(Decimal::ONE, Currency::USD))
            .unwrap_err()
    };
    mod_10 "MOD-10" "model.amount_overflow" "accounts[1].annual_value" => book(|j| {
        j["accounts"][1]["annual_value"]["amount"] = json!("79228162514264337593543950335");
    });
    mod_11 "MOD-11" "model.invalid_birthday" "people[1].birthday" => book(|j| {
        j["people"][1]["birthday"] = json!({"month": 2, "day": 30});
    });
    mod_12 "MOD-12" "model.invalid_birthday" "people[1].birthday" => book(|j| {
        j["people"][1]["birthday"] = json!({"month": 2, "day": 29, "year": 1985});
    });
    mod_13 "MOD-13" "model.channel_conflict" "people[0].channels.do_not_contact[0]" => book(|j| {
        j["people"][0]["channels"] = json!({"preferred": ["email"], "do_not_contact": ["email"]});
    });
    mod_14 "MOD-14" "model.invalid_scale" "surveys[0].scale.max" => book(|j| {
        j["surveys"] = json!([{"id": "s-1", "account": "a-3", "answered_at": "2026-11-12T15:00:00Z",
            "score": "9", "scale": {"min": "10", "max": "10", "unhappy_at_or_below": "6"}}]);
    });
    mod_15 "MOD-15" "model.invalid_scale" "surveys[0].scale.unhappy_at_or_below" => book(|j| {
        j["surveys"] = json!([{"id": "s-1", "account": "a-3", "answered_at": "2026-11-12T15:00:00Z",
            "score": "9", "scale": {"min": "0", "max": "10", "unhappy_at_or_below": "11"}}]);
    });
    mod_16 "MOD-16" "model.score_out_of_scale" "surveys[0].score" => book(|j| {
        j["surveys"] = json!([{"id": "s-1", "account": "a-3", "answered_at": "2026-11-12T15:00:00Z",
            "score": "11", "scale": {"min": "0", "max": "10", "unhappy_at_or_below": "6"}}]);
    });
    mod_17 "MOD-17" "model.invalid_service_interval" "units[0].service_interval" => book(|j| {
        j["units"] = json!([{"id": "u-1", "account": "a-3", "kind": "furnace",
            "installed_on": "2019-03-04", "service_interval": {"months": 0}}]);
    });
    mod_18 "MOD-18" "model.date_order" "units[0].last_serviced_on" => book(|j| {
        j["units"] = json!([{"id": "u-1", "account": "a-3", "kind": "furnace",
            "installed_on": "2019-03-04", "last_serviced_on": "2019-03-01",
            "service_interval": {"months": 12}}]);
    });
    mod_19 "MOD-19" "model.date_order" "interactions[2].message_value.call_at" => book(|j| {
        j["interactions"][2]["direction"] = json!("outbound");
        j["interactions"][2]["initiated_by"] = json!({"kind": "staff", "user": "u-ben"});
        j["interactions"][2]["message_value"] =
            json!({"kind": "promised_call_at", "call_at": "2026-11-20T15:00:00Z"});
    });
    mod_20 "MOD-20" "model.message_value_mismatch" "interactions[0].message_value" => book(|j| {
        j["interactions"][0]["message_value"] = json!({"kind": "answered_question"});
    });
    mod_21 "MOD-21" "model.unknown_time_zone" "people[1].time_zone" => book(|j| {
        j["people"][1]["time_zone"] = json!("America/Chicgo");
    });
    mod_22 "MOD-22" "model.unknown_time_zone" "accounts[2].time_zone" => book(|j| {
        j["accounts"][2]["time_zone"] = json!("Mars/Olympus_Mons");
    });
    mod_23 "MOD-23" "model.message_value_mismatch" "interactions[0].message_value" => {
        let mut x = staff_call(Outcome::NoAnswer);
        x.message_value = Some(MessageValue::None);
        validate_interactions(&[x]).unwrap_err()
    };
    mod_24 "MOD-24" "model.id_too_long" "people[0].id" => book(|j| {
        let id = "p".repeat(257);
        j["people"][0]["id"] = json!(id);
    });
    mod_25 "MOD-25" "model.name_too_long" "people[1].name" => book(|j| {
        j["people"][1]["name"] = json!("Lena ".repeat(52));
    });
    mod_26 "MOD-26" "model.name_too_long" "business" => book(|j| {
        j["business"] = json!("Prairie ".repeat(40));
    });

    // The business calendar (`BusinessCalendar::new` and its operations).
    cal_01 "CAL-01" "calendar.unknown_time_zone" "time_zone" => calendar(|s| {
        s.time_zone = "America/Gotham".into();
    });
    cal_02 "CAL-02" "calendar.interval_reversed" "weekly.tuesday[0]" => calendar(|s| {
        s.weekly.tuesday = vec![WorkInterval::new(t(17, 0), t(9, 0))];
    });
    cal_03 "CAL-03" "calendar.interval_reversed" "weekly.friday[0]" => calendar(|s| {
        s.weekly.friday = vec![WorkInterval::new(t(9, 0), t(9, 0))];
    });
    cal_04 "CAL-04" "calendar.interval_reversed" "weekly.saturday[0]" => calendar(|s| {
        s.weekly.saturday =
            vec![WorkInterval::overnight(TimeOfDay::END_OF_DAY, TimeOfDay::MIDNIGHT)];
    });
    cal_05 "CAL-05" "calendar.interval_too_long" "weekly.saturday[0]" => calendar(|s| {
        s.weekly.saturday = vec![WorkInterval::overnight(t(9, 0), t(10, 0))];
    });
    cal_06 "CAL-06" "calendar.invalid_time_of_day" "" => TimeOfDay::hm(25, 0).unwrap_err();
    cal_07 "CAL-07" "calendar.intervals_overlap" "weekly.monday[1]" => calendar(|s| {
        s.weekly.monday.push(WorkInterval::new(t(16, 0), t(18, 0)));
    });
    cal_08 "CAL-08" "calendar.intervals_overlap" "weekly.monday[0]" => calendar(|s| {
        s.weekly.sunday = vec![WorkInterval::overnight(t(22, 0), t(9, 30))];
    });
    cal_09 "CAL-09" "calendar.holiday_outside_day" "holidays[0].closed" => calendar(|s| {
        let day = date(2026, 12, 24);
        s.holidays.push(Holiday::partial(
            day,
            "Christmas Eve",
            date(2026, 12, 23).and_hms_opt(18, 0, 0).unwrap(),
            day.and_hms_opt(12, 0, 0).unwrap(),
        ));
    });
    cal_10 "CAL-10" "calendar.holiday_outside_day" "holidays[0].closed" => calendar(|s| {
        let noon = date(2026, 12, 24).and_hms_opt(12, 0, 0).unwrap();
        s.holidays.push(Holiday::partial(date(2026, 12, 24), "Christmas Eve", noon, noon));
    });
    cal_11 "CAL-11" "calendar.extra_period_reversed" "extra_periods[0]" => calendar(|s| {
        s.extra_periods.push(ExtraPeriod {
            start: date(2026, 12, 19).and_hms_opt(13, 0, 0).unwrap(),
            end: date(2026, 12, 19).and_hms_opt(9, 0, 0).unwrap(),
            name: String::new(),
        });
    });
    cal_12 "CAL-12" "calendar.extra_period_too_long" "extra_periods[0]" => calendar(|s| {
        s.extra_periods.push(ExtraPeriod {
            start: date(2026, 12, 19).and_hms_opt(9, 0, 0).unwrap(),
            end: date(2027, 3, 1).and_hms_opt(9, 0, 0).unwrap(),
            name: String::new(),
        });
    });
    cal_13 "CAL-13" "calendar.no_working_time" "" => {
        BusinessCalendar::new(CalendarSpec::new("Asia/Tokyo")).unwrap_err()
    };
    cal_14 "CAL-14" "calendar.no_working_time" "" => {
        let mut spec = CalendarSpec::new("America/New_York");
        spec.extra_periods.push(ExtraPeriod {
            start: date(2026, 3, 8).and_hms_opt(2, 0, 0).unwrap(),
            end: date(2026, 3, 8).and_hms_opt(3, 0, 0).unwrap(),
            name: "the hour that never was".into(),
        });
        BusinessCalendar::new(spec).unwrap_err()
    };
    cal_15 "CAL-15" "calendar.date_out_of_range" "holidays[0].date" => calendar(|s| {
        s.holidays.push(Holiday::full_day(NaiveDate::MAX, "the end of time"));
    });
    cal_16 "CAL-16" "calendar.date_out_of_range" "extra_periods[0].start" => calendar(|s| {
        s.extra_periods.push(ExtraPeriod {
            start: NaiveDate::MAX.and_hms_opt(0, 0, 0).unwrap(),
            end: NaiveDate::MAX.and_hms_opt(8, 0, 0).unwrap(),
            name: String::new(),
        });
    });
    cal_17 "CAL-17" "calendar.date_out_of_range" "at" => {
        open_calendar().is_open(DateTime::<Utc>::MAX_UTC).unwrap_err()
    };
    cal_18 "CAL-18" "calendar.date_out_of_range" "to" => {
        open_calendar()
            .business_duration_between(monday_nine(), DateTime::<Utc>::MIN_UTC)
            .unwrap_err()
    };
    cal_19 "CAL-19" "calendar.date_out_of_range" "n" => {
        open_calendar().add_business_days(date(2026, 11, 23), u32::MAX).unwrap_err()
    };
    cal_20 "CAL-20" "calendar.date_out_of_range" "date" => {
        open_calendar().is_business_day(NaiveDate::MAX).unwrap_err()
    };
    cal_21 "CAL-21" "calendar.negative_duration" "duration" => {
        open_calendar()
            .add_business_duration(monday_nine(), TimeDelta::seconds(-1))
            .unwrap_err()
    };
    cal_22 "CAL-22" "calendar.exhausted" "" => {
        one_day_calendar()
            .add_business_duration(monday_nine(), TimeDelta::hours(5))
            .unwrap_err()
    };
    cal_23 "CAL-23" "calendar.exhausted" "" => {
        one_day_calendar().add_business_days(date(2026, 12, 1), 2).unwrap_err()
    };

    // Service orders (`check_now`, `check_transition`, `check_orders`, `ServiceOrder::validate`)
    // and their policy (`OrderPolicy::new`).
    ord_01 "ORD-01" "orders.status_out_of_order" "status_history[3].at" => order(|o| {
        o.status_history[3].at = orders_fixture::at(10);
    });
    ord_02 "ORD-02" "orders.appointment_reversed" "appointment.end" => order(|o| {
        let a = o.appointment.as_mut().unwrap();
        a.end = a.start;
    });
    ord_03 "ORD-03" "orders.negative_quantity" "parts_used[1].quantity" => order(|o| {
        o.parts_used[1].quantity = Decimal::new(-2, 0);
    });
    ord_04 "ORD-04" "orders.negative_quantity" "planned_parts[0].quantity" => order(|o| {
        o.planned_parts[0].quantity = Decimal::new(-5, 1);
    });
    ord_05 "ORD-05" "orders.unknown_work_item" "work_performed[2].item" => order(|o| {
        o.work_performed.push(WorkDone::for_item("Fixed the fuse", "w-9"));
    });
    ord_06 "ORD-06" "orders.unknown_checklist_template" "checklist.template" => order(|o| {
        o.checklist.as_mut().unwrap().template = "boiler-v1".into();
    });
    ord_07 "ORD-07" "orders.unknown_checklist_item" "checklist.items[2].item" => order(|o| {
        o.checklist.as_mut().unwrap().items.push(orders_fixture::done("check_the_fuse", 54));
    });
    ord_08 "ORD-08" "orders.duplicate_checklist_item" "checklist.items[2].item" => order(|o| {
        o.checklist.as_mut().unwrap().items.push(ChecklistEntry::new(
            "isolate_power",
            ItemState::Waived { by: "u-2".into(), reason: "done twice".into() },
        ));
    });
    ord_09 "ORD-09" "model.empty_id" "technician" => order(|o| {
        o.technician = Some(" ".into());
    });
    ord_10 "ORD-10" "model.duplicate_id" "planned_work[1].id" => order(|o| {
        o.planned_work[1].id = "w-1".into();
        o.work_performed[1].item = Some("w-1".into());
    });
    ord_11 "ORD-11" "orders.negative_quantity" "orders[2].parts_used[0].quantity" => {
        let mut bad = orders_fixture::by_the_book();
        bad.parts_used[0].quantity = Decimal::NEGATIVE_ONE;
        let all = [orders_fixture::by_the_book(), orders_fixture::by_the_book(), bad];
        let mut out = check_orders(&all, orders_fixture::at(60), &orders_fixture::policy());
        out.pop().unwrap().unwrap_err()
    };
    ord_12 "ORD-12" "orders.appointment_reversed" "orders[0].appointment.end" => book(|j| {
        j["orders"][0]["appointment"]["end"] = json!("2026-11-18T13:00:00Z");
    });
    ord_13 "ORD-13" "orders.unsatisfiable_item" "templates[0].items[0].satisfied_by" => {
        order_policy(|p| p.templates[0].items[0].satisfied_by.clear())
    };
    ord_14 "ORD-14" "orders.duplicate_checklist_item" "templates[0].items[1].id" => {
        order_policy(|p| p.templates[0].items[1].id = "isolate_power".into())
    };
    ord_15 "ORD-15" "orders.duplicate_template" "templates[1].id" => order_policy(|p| {
        p.templates.push(ChecklistTemplate::new("t-1", "ac", vec![]));
    });
    ord_16 "ORD-16" "orders.duplicate_template" "templates[1].service_type" => order_policy(|p| {
        p.templates.push(ChecklistTemplate::new("t-2", "boiler", vec![]));
    });
    ord_17 "ORD-17" "model.empty_id" "templates[0].id" => order_policy(|p| {
        p.templates[0].id = " ".into();
    });
    ord_18 "ORD-18" "orders.unknown_finding_code" "severities.close.signatur_missing" => {
        order_policy(|p| {
            p.severities.insert("close.signatur_missing".into(), Severity::Info);
        })
    };
    ord_19 "ORD-19" "model.unknown_time_zone" "time_zone" => order_policy(|p| {
        p.time_zone = Some("America/Chicgo".into());
    });

    // The promise ledger (`Ledger::evaluate`) and its policy.
    prm_01 "PRM-01" "promises.window_reversed" "promises[0].due" => ledger(
        &[promise("a", Due::Window { earliest: nov(12, 10), latest: nov(12, 8) })],
        &[],
    );
    prm_02 "PRM-02" "promises.window_reversed" "events[0].event.new_due" => ledger(
        &[promise("a", within_8h())],
        &[event("a", nov(11, 9), EventKind::Renegotiated {
            new_due: Due::Window { earliest: nov(13, 9), latest: nov(12, 9) },
            reason: "parts late".into(),
            customer_agreed: true,
        })],
    );
    prm_03 "PRM-03" "promises.due_before_made" "promises[0].due.at" => ledger(
        &[promise("a", Due::At { at: nov(9, 9) })],
        &[],
    );
    prm_04 "PRM-04" "promises.due_before_made" "promises[0].due.latest" => ledger(
        &[promise("a", Due::Window { earliest: nov(8, 9), latest: nov(9, 9) })],
        &[],
    );
    prm_05 "PRM-05" "promises.event_before_promise" "events[0].at" => ledger(
        &[promise("a", within_8h())],
        &[event("a", nov(9, 9), EventKind::Delivered { scope: None })],
    );
    prm_06 "PRM-06" "promises.unknown_promise" "events[0].promise" => ledger(
        &[promise("a", within_8h())],
        &[event("zz", nov(11, 9), EventKind::Resumed {})],
    );
    prm_07 "PRM-07" "promises.event_after_close" "events[1].event" => ledger(
        &[promise("a", within_8h())],
        &[
            event("a", nov(11, 9), EventKind::CancelledByCustomer { reason: None }),
            event("a", nov(12, 9), EventKind::Delivered { scope: None }),
        ],
    );
    prm_08 "PRM-08" "promises.event_after_close" "events[1].event" => ledger(
        &[promise("a", within_8h())],
        &[
            event("a", nov(11, 9), EventKind::Delivered { scope: None }),
            event("a", nov(11, 9), EventKind::Delivered { scope: None }),
        ],
    );
    prm_09 "PRM-09" "promises.pause_mismatch" "events[0].event" => ledger(
        &[promise("a", within_8h())],
        &[event("a", nov(11, 9), EventKind::Resumed {})],
    );
    prm_10 "PRM-10" "promises.pause_mismatch" "events[1].event" => ledger(
        &[promise("a", within_8h())],
        &[
            event("a", nov(11, 9), EventKind::Paused { reason: None }),
            event("a", nov(11, 10), EventKind::Paused { reason: None }),
        ],
    );
    prm_11 "PRM-11" "model.empty_id" "promises[0].id" => ledger(&[promise("", within_8h())], &[]);
    prm_12 "PRM-12" "model.duplicate_id" "promises[1].id" => ledger(
        &[promise("a", within_8h()), promise("a", within_8h())],
        &[],
    );
    prm_13 "PRM-13" "calendar.date_out_of_range" "promises[0]" => ledger(
        &[promise("a", Due::Within { span: Span::Weeks(u32::MAX) })],
        &[],
    );
    prm_14 "PRM-14" "calendar.exhausted" "promises[0]" => {
        let mut p = promise("a", Due::Within { span: Span::Hours(100) });
        p.clock = Some(Clock::Business);
        ledger_with(&PromisePolicy::default(), &one_day_calendar(), &[p], &[], &[])
    };
    prm_15 "PRM-15" "model.message_value_mismatch" "interactions[0].message_value" => {
        let mut x = staff_call(Outcome::Connected);
        x.message_value = Some(MessageValue::AnsweredQuestion);
        ledger_with(&PromisePolicy::default(), &ledger_calendar(), &[], &[], &[x])
    };
    prm_25 "PRM-25" "model.span_not_fixed" "promises[0].due.span" => ledger(
        &[promise("a", Due::Within { span: Span::BusinessDays(2) })],
        &[],
    );
    prm_26 "PRM-26" "model.span_not_fixed" "callback_within" => promise_policy(|p| {
        p.callback_within = Span::Months(1);
    });
    prm_16 "PRM-16" "promises.span_zero" "callback_within" => promise_policy(|p| {
        p.callback_within = Span::Hours(0);
    });
    prm_17 "PRM-17" "promises.percent_out_of_range" "warn_at_percent[0]" => promise_policy(|p| {
        p.warn_at_percent = vec![100];
    });
    prm_18 "PRM-18" "promises.percent_out_of_range" "early_percent" => promise_policy(|p| {
        p.early_percent = 0;
    });
    prm_19 "PRM-19" "promises.percent_out_of_range" "tag_chain_min" => promise_policy(|p| {
        p.tag_chain_min = 1;
    });
    prm_20 "PRM-20" "promises.band_reversed" "warn_at_percent[1]" => promise_policy(|p| {
        p.warn_at_percent = vec![75, 50];
    });
    prm_21 "PRM-21" "promises.band_reversed" "exceed_band" => promise_policy(|p| {
        p.exceed_band.low = 30;
        p.exceed_band.high = 10;
    });
    prm_22 "PRM-22" "promises.event_after_close" "promise_events[1].event" => agenda(|j| {
        with_promise(j);
        j["promise_events"] = json!([
            {"promise": "pr-1", "at": "2026-11-18T17:00:00Z", "event": {"kind": "delivered"}},
            {"promise": "pr-1", "at": "2026-11-19T17:00:00Z", "event": {"kind": "delivered"}}
        ]);
    }, desk_fixture::now());
    prm_23 "PRM-23" "promises.window_reversed" "promises[0].due" => book(|j| {
        with_promise(j);
        j["promises"][0]["due"] = json!({"kind": "window",
            "earliest": "2026-11-20T22:00:00Z", "latest": "2026-11-20T20:00:00Z"});
    });
    prm_24 "PRM-24" "promises.span_zero" "policies.promises.callback_within" => book(|j| {
        j["policies"] = json!({"promises": {"callback_within": {"hours": 0}}});
    });

    // The cadence planner (`Planner::new`, `Planner::plan`).
    cad_01 "CAD-01" "cadence.zero_interval" "touch.every" => cadence_policy(|p| {
        p.touch.every = Span::Days(0);
    });
    cad_02 "CAD-02" "cadence.zero_interval" "caps.daily_capacity_per_rep" => cadence_policy(|p| {
        p.caps.daily_capacity_per_rep = 0;
    });
    cad_03 "CAD-03" "cadence.partial_days" "quiet.touch_every" => cadence_policy(|p| {
        p.quiet.touch_every = Span::Hours(30);
    });
    cad_14 "CAD-14" "model.span_not_fixed" "touch.every" => cadence_policy(|p| {
        p.touch.every = Span::Months(1);
    });
    cad_15 "CAD-15" "cadence.partial_days" "review.every" => cadence_policy(|p| {
        p.review.every = Span::Hours(36);
    });
    cad_16 "CAD-16" "calendar.date_out_of_range" "recovery.retry_every" => cadence_policy(|p| {
        p.recovery.retry_every = Span::BusinessDays(u32::MAX);
    });
    cad_04 "CAD-04" "cadence.no_channels" "touch.channels" => cadence_policy(|p| {
        p.touch.channels.clear();
    });
    cad_05 "CAD-05" "cadence.impossible_caps" "caps.min_gap" => cadence_policy(|p| {
        p.caps.min_gap = Span::Days(30);
    });
    cad_06 "CAD-06" "cadence.horizon_too_long" "horizon" => cadence_policy(|p| {
        p.horizon = Span::Weeks(60);
    });
    cad_07 "CAD-07" "cadence.unknown_account" "interactions[1].account" => plan(|b| {
        b.interactions[1].account = "a-404".into();
    });
    cad_08 "CAD-08" "cadence.unknown_account" "reviews[1].account" => plan(|b| {
        b.reviews.push(RecordReview::new("a-9", cadence_scenarios::d(2026, 11, 1)));
    });
    cad_09 "CAD-09" "cadence.unknown_person" "interactions[0].person" => plan(|b| {
        b.interactions[0].person = Some(PersonId::new("p-404"));
    });
    cad_10 "CAD-10" "cadence.person_elsewhere" "orders[0].person" => plan(|b| {
        b.accounts.push(cadence_scenarios::account("a-2", cadence_scenarios::d(2025, 1, 1)));
        b.people.push(cadence_scenarios::person("p-3", "a-2", Role::Owner, true));
        let mut order = CompletedOrder::new("o-1", "a-1", cadence_scenarios::at(2026, 11, 20, 14, 0));
        order.person = Some(PersonId::new("p-3"));
        b.orders.push(order);
    });
    cad_11 "CAD-11" "model.duplicate_id" "accounts[1].id" => plan(|b| {
        b.accounts.push(cadence_scenarios::account("a-1", cadence_scenarios::d(2025, 1, 1)));
    });
    cad_12 "CAD-12" "calendar.date_out_of_range" "" => {
        let mut b = cadence_scenarios::settled_book();
        b.orders.push(CompletedOrder::new("o-1", "a-1", DateTime::<Utc>::MAX_UTC));
        cadence_scenarios::planner().plan(&b, DateTime::<Utc>::MAX_UTC).unwrap_err()
    };
    cad_13 "CAD-13" "cadence.zero_interval" "policies.cadence.touch.every" => book(|j| {
        j["policies"] = json!({"cadence": {"touch": {"every": {"days": 0}}}});
    });

    // At-risk scoring (`Scorer::new`, `Scorer::score`, the models a scorer is given).
    rsk_01 "RSK-01" "risk.empty_book" "accounts" => score(&[]);
    rsk_02 "RSK-02" "risk.score_out_of_range" "accounts[0].previous_score" => score(&[
        facts("a-1", |f| f.previous_score = Some(101)),
    ]);
    rsk_03 "RSK-03" "model.duplicate_id" "accounts[1].account" => score(&[
        AccountFacts::new("a-1"),
        AccountFacts::new("a-1"),
    ]);
    rsk_04 "RSK-04" "model.empty_id" "accounts[0].account" => score(&[AccountFacts::new(" ")]);
    rsk_05 "RSK-05" "risk.invalid_spend" "accounts[0].expected_value" => score(&[
        facts("a-1", |f| f.expected_value = Some(Money::new(Decimal::from(-5), Currency::USD))),
    ]);
    rsk_06 "RSK-06" "model.currency_mismatch" "accounts[1].expected_value" => score(&[
        facts("a-1", |f| f.expected_value = Some(Money::new(Decimal::from(5), Currency::USD))),
        facts("a-2", |f| f.expected_value = Some(Money::new(Decimal::from(5), Currency::EUR))),
    ]);
    rsk_07 "RSK-07" "risk.negative_frequency" "accounts[0].purchases.frequency" => score(&[
        facts("a-1", |f| f.purchases = Some(PurchaseSummary::new(-1, 0.0, 3.0))),
    ]);
    rsk_08 "RSK-08" "risk.invalid_weight" "weights" => risk_policy(|p| {
        p.weights = serde_json::from_value(json!({"silence": 0, "falling_frequency": 0,
            "unhappy_survey": 0, "unanswered_follow_up": 0, "neglect": 0, "broken_promises": 0,
            "slow_callbacks": 0, "hanging_orders": 0, "single_threaded": 0,
            "no_next_service": 0, "low_p_alive": 0})).unwrap();
    });
    rsk_09 "RSK-09" "risk.invalid_weight" "weights.silence" => risk_policy(|p| {
        p.weights.silence = 101;
    });
    rsk_10 "RSK-10" "risk.invalid_threshold" "silence_starts_at" => risk_policy(|p| {
        p.silence_starts_at = 0.5;
    });
    rsk_11 "RSK-11" "risk.invalid_threshold" "value_horizon" => risk_policy(|p| {
        p.value_horizon = 0.0;
    });
    rsk_12 "RSK-12" "risk.bands_out_of_order" "bands" => risk_policy(|p| {
        p.bands.watch_from = 50;
        p.bands.at_risk_from = 40;
    });
    rsk_13 "RSK-13" "risk.model_undefined" "params.a" => {
        let at_one = PurchaseModel::new(Variant::ModifiedBgNbd,
            PurchaseParams::new(0.5, 4.0, 1.0, 2.0)).unwrap();
        Scorer::new(RiskPolicy::default()).unwrap()
            .with_purchase_model(at_one, TimeUnit::Weeks).unwrap_err()
    };
    rsk_14 "RSK-14" "risk.model_undefined" "q" => {
        let flat = SpendModel::new(SpendParams::new(6.0, 0.5, 15.0)).unwrap();
        Scorer::new(RiskPolicy::default()).unwrap()
            .with_spend_model(flat, Currency::USD).unwrap_err()
    };
    rsk_15 "RSK-15" "risk.invalid_spend" "accounts[0].annual_value" => book(|j| {
        j["accounts"][0]["annual_value"]["amount"] = json!("-1.00");
    });
    rsk_16 "RSK-16" "risk.bands_out_of_order" "policies.risk.bands" => book(|j| {
        j["policies"] = json!({"risk": {"bands":
            {"watch_from": 50, "at_risk_from": 40, "critical_from": 75}}});
    });
    rsk_17 "RSK-17" "risk.invalid_parameter" "policies.desk.purchase_model.sample" => book(|j| {
        j["policies"] = json!({"desk": {"purchase_model": {"kind": "fit", "sample": 0}}});
    });
    rsk_18 "RSK-18" "risk.invalid_parameter" "policies.desk.purchase_model.params.r" => book(|j| {
        j["policies"] = json!({"desk": {"purchase_model": {"kind": "given", "variant": "bg_nbd",
            "params": {"r": -0.2, "alpha": 4.4, "a": 0.8, "b": 2.4}}}});
    });
    rsk_19 "RSK-19" "risk.model_undefined" "policies.desk.purchase_model.params.a" => book(|j| {
        j["policies"] = json!({"desk": {"purchase_model": {"kind": "given",
            "variant": "modified_bg_nbd", "params": {"r": 0.5, "alpha": 4.0, "a": 1.0, "b": 2.0}}}});
    });

    // The purchase and spend models (`PurchaseModel`, `ParetoModel`, `SpendModel`).
    mdl_01 "MDL-01" "risk.empty_book" "customers" => fit(Vec::clear);
    mdl_02 "MDL-02" "risk.negative_frequency" "customers[1].frequency" => fit(|b| {
        b[1].frequency = -2;
    });
    mdl_03 "MDL-03" "risk.invalid_time" "customers[0].age" => fit(|b| b[0].age = f64::NAN);
    mdl_04 "MDL-04" "risk.invalid_time" "customers[2].recency" => fit(|b| b[2].recency = -1.0);
    mdl_05 "MDL-05" "risk.recency_beyond_age" "customers[3].recency" => fit(|b| {
        b[3].recency = 40.0;
    });
    mdl_06 "MDL-06" "risk.recency_without_repeat" "customers[0].recency" => fit(|b| {
        b[0].recency = 3.0;
    });
    mdl_07 "MDL-07" "risk.invalid_spend" "customers[1].average_spend" => {
        let book = vec![
            PurchaseSummary::new(2, 20.0, 38.0).with_average_spend(Decimal::TEN),
            PurchaseSummary::new(3, 20.0, 38.0).with_average_spend(Decimal::ZERO),
        ];
        SpendModel::fit(&book, &FitOptions::default()).unwrap_err()
    };
    mdl_08 "MDL-08" "risk.invalid_spend" "average_spend" => {
        let mut c = PurchaseSummary::new(2, 20.0, 38.0);
        c.average_spend = Some(Decimal::NEGATIVE_ONE);
        c.validate().unwrap_err()
    };
    mdl_09 "MDL-09" "risk.degenerate_data" "customers" => fit(|b| {
        *b = vec![PurchaseSummary::new(2, 20.0, 38.0); 500];
    });
    mdl_10 "MDL-10" "risk.degenerate_data" "customers" => fit(|b| {
        *b = (0..10).map(|k| PurchaseSummary::new(0, 0.0, 20.0 + f64::from(k))).collect();
    });
    mdl_11 "MDL-11" "risk.fit_failed" "customers" => {
        let options = FitOptions {
            max_iterations: 1,
            ..Default::default()
        };
        PurchaseModel::fit(&customers(), Variant::BgNbd, &options).unwrap_err()
    };
    mdl_12 "MDL-12" "risk.invalid_parameter" "penalizer" => {
        PurchaseModel::fit(&customers(), Variant::BgNbd,
            &FitOptions::default().with_penalizer(-1.0)).unwrap_err()
    };
    mdl_13 "MDL-13" "risk.invalid_parameter" "params.alpha" => {
        PurchaseModel::new(Variant::BgNbd, PurchaseParams::new(0.2, 0.0, 0.8, 1.0)).unwrap_err()
    };
    mdl_14 "MDL-14" "risk.invalid_parameter" "q" => {
        SpendModel::new(SpendParams::new(1.0, -2.0, 3.0)).unwrap_err()
    };
    mdl_15 "MDL-15" "risk.invalid_parameter" "alpha" => {
        ParetoModel::new(ParetoParams::new(0.5, -1.0, 0.6, 11.0)).unwrap_err()
    };
    mdl_16 "MDL-16" "risk.invalid_horizon" "horizon" => {
        bg_nbd(0.243, 4.414, 0.793, 2.426)
            .expected_purchases(&PurchaseSummary::new(2, 30.43, 38.86), 0.0)
            .unwrap_err()
    };
    mdl_17 "MDL-17" "risk.model_undefined" "" => {
        bg_nbd(0.243, 4.414, 0.793, 2.426)
            .expected_purchases(&PurchaseSummary::new(2, 30.0, 38.0), 1e300)
            .unwrap_err()
    };
    mdl_18 "MDL-18" "risk.model_undefined" "q" => {
        SpendModel::new(SpendParams::new(6.0, 1.0, 15.0)).unwrap()
            .expected_average_spend(&PurchaseSummary::new(0, 0.0, 3.0))
            .unwrap_err()
    };
    mdl_19 "MDL-19" "risk.negative_frequency" "frequency" => {
        bg_nbd(0.243, 4.414, 0.793, 2.426)
            .p_alive(&PurchaseSummary::new(-2, 30.4, 38.0))
            .unwrap_err()
    };
    mdl_20 "MDL-20" "risk.did_not_converge" "" => {
        bg_nbd(0.243, 4.414, 0.793, 2.426)
            .expected_purchases(&PurchaseSummary::new(2, 30.4, 38.0), 1e9)
            .unwrap_err()
    };
    mdl_21 "MDL-21" "risk.inconsistent_summary" "customers[1].recency" => fit(|b| {
        b[1].recency = 0.0;
    });
    mdl_22 "MDL-22" "risk.inconsistent_summary" "customers[0].age" => fit(|b| {
        b[0].age = 0.0;
    });
    mdl_23 "MDL-23" "risk.invalid_weight" "weights[2]" => {
        PurchaseModel::fit_weighted(&customers(), Some(&[1.0, 2.0, 0.0, 1.0]), Variant::BgNbd,
            None, &FitOptions::default()).unwrap_err()
    };

    // A book's references between lists (`Book::from_json`, `Book::validate`, `Book::agenda`).
    dsk_01 "DSK-01" "desk.unknown_reference" "people[0].account" => book(|j| {
        j["people"][0]["account"] = json!("a-0");
    });
    dsk_02 "DSK-02" "desk.unknown_reference" "interactions[0].person" => book(|j| {
        j["interactions"][0]["person"] = json!("p-99");
    });
    dsk_03 "DSK-03" "desk.unknown_reference" "orders[0].account" => book(|j| {
        j["orders"][0]["account"] = json!("a-99");
    });
    dsk_04 "DSK-04" "desk.unknown_reference" "surveys[0].order" => book(|j| {
        j["surveys"] = json!([{"id": "s-1", "account": "a-3", "answered_at": "2026-11-12T15:00:00Z",
            "score": "9", "scale": {"min": "0", "max": "10", "unhappy_at_or_below": "6"},
            "order": "o-77"}]);
    });
    dsk_05 "DSK-05" "desk.unknown_reference" "promise_events[0].promise" => book(|j| {
        j["promise_events"] = json!([{"promise": "pr-9", "at": "2026-11-23T20:00:00Z",
            "event": {"kind": "delivered"}}]);
    });
    dsk_06 "DSK-06" "desk.unknown_reference" "reviews[0].account" => book(|j| {
        j["reviews"] = json!([{"account": "a-42", "reviewed_on": "2026-11-01"}]);
    });
    dsk_07 "DSK-07" "desk.wrong_account" "interactions[0].person" => book(|j| {
        j["interactions"][0]["person"] = json!("p-3");
    });
    dsk_08 "DSK-08" "desk.wrong_account" "orders[0].contact" => book(|j| {
        j["orders"][0]["contact"] = json!("p-1");
    });
    dsk_09 "DSK-09" "desk.book_rejected" "" => book(|j| {
        j["interactions"][0]["id"] = json!("");
        j["orders"][0]["account"] = json!("a-99");
    });
    dsk_10 "DSK-10" "desk.unknown_schema_version" "schema_version" => {
        let mut b = desk_fixture::book();
        b.schema_version = 7;
        b.agenda(desk_fixture::now()).unwrap_err()
    };
    dsk_11 "DSK-11" "calendar.date_out_of_range" "now" => {
        desk_fixture::book().agenda(DateTime::<Utc>::MAX_UTC).unwrap_err()
    };
    dsk_12 "DSK-12" "desk.unknown_reference" "units[0].account" => {
        let mut b = desk_fixture::book();
        b.units.push(retention::model::InstalledUnit::new(
            "u-1", "a-9", "furnace", date(2020, 1, 1),
            retention::model::ServiceInterval::Months(12)));
        b.validate().unwrap_err()
    };
    dsk_13 "DSK-13" "desk.unknown_reference" "accounts[0].referred_by" => book(|j| {
        j["accounts"][0]["referred_by"] = json!("a-9");
    });
    dsk_14 "DSK-14" "desk.malformed_json"
        "policies.segments.residential.cadence.face_to_face.then_every_monthz" => book(|j| {
        j["policies"] = json!({"segments": {"residential": {
            "cadence": {"face_to_face": {"then_every_monthz": 12}}}}});
    });
    dsk_15 "DSK-15" "cadence.impossible_caps"
        "policies.segments.residential.cadence.caps.min_gap" => book(|j| {
        j["policies"] = json!({"segments": {"residential": {
            "cadence": {"caps": {"min_gap": {"days": 40}}}}}});
    });
    dsk_16 "DSK-16" "risk.invalid_weight"
        "policies.segments.residential.risk.weights.silence" => book(|j| {
        j["policies"] = json!({"segments": {"residential": {
            "risk": {"weights": {"silence": 200}}}}});
    });
    dsk_17 "DSK-17" "risk.invalid_threshold" "policies.risk.referral_share" => book(|j| {
        j["policies"] = json!({"risk": {"referral_share": 1.5}});
    });
}

// ---------------------------------------------------------------------------------------
// The catalogue and the rows agree.

/// The (id, code, path) of every row of the catalogue's tables: lines `| ID-nn | ...`,
/// whose fourth cell is the code and fifth the path (`(root)` for the empty path).
fn catalogue_rows() -> Vec<(String, String, String)> {
    let mut rows = Vec::new();
    for line in CATALOGUE.lines() {
        let Some(rest) = line.strip_prefix("| ") else {
            continue;
        };
        let cells: Vec<&str> = rest.split(" | ").map(str::trim).collect();
        let id = cells[0];
        let is_row_id = id.len() == 6
            && id.as_bytes()[3] == b'-'
            && id[..3].bytes().all(|b| b.is_ascii_uppercase())
            && id[4..].bytes().all(|b| b.is_ascii_digit());
        if !is_row_id {
            continue;
        }
        assert!(cells.len() >= 5, "a row with too few cells: {line}");
        let unquote = |cell: &str| {
            cell.trim_end_matches(" |")
                .trim()
                .trim_matches('`')
                .to_string()
        };
        let code = unquote(cells[3]);
        let path = match unquote(cells[4]).as_str() {
            "(root)" => String::new(),
            p => p.to_string(),
        };
        rows.push((id.to_string(), code, path));
    }
    rows
}

#[test]
fn the_catalogue_lists_exactly_the_rows_tested_here() {
    let documented = catalogue_rows();
    let ids: Vec<&str> = documented.iter().map(|(id, _, _)| id.as_str()).collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "a row id is used twice: {ids:?}");

    let documented: BTreeSet<(String, String, String)> = documented.into_iter().collect();
    let tested: BTreeSet<(String, String, String)> = ROWS
        .iter()
        .map(|(id, code, path)| (id.to_string(), code.to_string(), path.to_string()))
        .collect();
    assert_eq!(tested.len(), ROWS.len(), "a row is tested twice");
    let untested: Vec<_> = documented.difference(&tested).collect();
    let undocumented: Vec<_> = tested.difference(&documented).collect();
    assert!(
        untested.is_empty() && undocumented.is_empty(),
        "in the catalogue but not tested: {untested:#?}\ntested but not in the catalogue: {undocumented:#?}"
    );
}

#[test]
fn every_error_code_is_in_the_catalogue_and_in_a_tested_row() {
    let rows = catalogue_rows();
    for kind in ErrorKind::ALL {
        let code = kind.code();
        assert!(
            rows.iter().any(|(_, c, _)| c == code),
            "`{code}` has no row in src/bad_input.md"
        );
        assert!(
            ROWS.iter().any(|(_, c, _)| *c == code),
            "`{code}` has no tested row"
        );
    }
    // And no row names a code the crate does not have.
    for (id, code, _) in &rows {
        assert!(
            ErrorKind::from_code(code).is_some(),
            "{id}: `{code}` is not a code"
        );
    }
}

#[test]
fn a_refused_book_reads_as_the_catalogue_shows() {
    let shown = CATALOGUE
        .split("```text\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("the catalogue shows a refused book");
    let e = book(|j| {
        j["interactions"][0]["id"] = json!("");
        j["orders"][0]["account"] = json!("a-99");
    });
    let got: Vec<String> = e.problems().iter().map(ToString::to_string).collect();
    assert_eq!(got.join("\n"), shown);
}

/// The catalogue's "Not errors" table, spot-checked: a promise made after `now` is
/// checked but not judged, and an interaction after `now` plans nothing.
#[test]
fn inputs_after_now_are_checked_not_judged() {
    let later = promise("later", within_8h());
    let report = Ledger::new(&PromisePolicy::default(), &ledger_calendar())
        .promises(std::slice::from_ref(&later))
        .evaluate(nov(10, 8))
        .unwrap();
    assert!(report.verdicts.is_empty(), "{:?}", report.verdicts);
    let mut reversed = later;
    reversed.due = Due::Window {
        earliest: nov(12, 10),
        latest: nov(12, 8),
    };
    let e = Ledger::new(&PromisePolicy::default(), &ledger_calendar())
        .promises(&[reversed])
        .evaluate(nov(10, 8))
        .unwrap_err();
    assert_eq!(e.code(), "promises.window_reversed");

    let mut b = cadence_scenarios::settled_book();
    let mut future = b.interactions[0].clone();
    future.id = "i-9".into();
    future.at = cadence_scenarios::now() + TimeDelta::days(3);
    b.interactions.push(future);
    assert!(
        cadence_scenarios::planner()
            .plan(&b, cadence_scenarios::now())
            .is_ok()
    );
}
