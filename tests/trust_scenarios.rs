//! The first day with real data (issue 14): what a service manager reading the agenda
//! every morning trusts, told as the practice tells it. Each test says what must be
//! flagged and what must not be. The business is a Chicago heating company on Tuesday
//! 24 November 2026 at 09:00 (Thursday 26 November is Thanksgiving).

use retention::desk::{Agenda, Book};
use retention::model::Rule;
use retention::risk::Band;
use serde_json::{Value, json};

use crate::desk_fixture::now;

/// A book with these accounts, people, interactions and orders (the calendar and the
/// version filled in).
fn book(accounts: Value, people: Value, interactions: Value, orders: Value) -> Value {
    json!({
        "schema_version": 2,
        "business": "Prairie Comfort Heating & Air",
        "calendar": {
            "time_zone": "America/Chicago",
            "weekly": {
                "monday": [{"start": "08:00", "end": "17:00"}],
                "tuesday": [{"start": "08:00", "end": "17:00"}],
                "wednesday": [{"start": "08:00", "end": "17:00"}],
                "thursday": [{"start": "08:00", "end": "17:00"}],
                "friday": [{"start": "08:00", "end": "17:00"}]
            },
            "holidays": [{"date": "2026-11-26", "name": "Thanksgiving"}]
        },
        "accounts": accounts,
        "people": people,
        "interactions": interactions,
        "orders": orders
    })
}

fn agenda_of(json: &Value) -> Agenda {
    Book::from_json(&json.to_string())
        .unwrap_or_else(|e| panic!("a valid book: {e}"))
        .agenda(now())
        .unwrap_or_else(|e| panic!("an agenda: {e}"))
}

fn call(id: &str, account: &str, person: &str, at: &str) -> Value {
    json!({"id": id, "account": account, "person": person, "at": at,
           "channel": "phone", "direction": "outbound",
           "initiated_by": {"kind": "staff", "user": "u-dana"}, "outcome": "connected"})
}

fn visit(id: &str, account: &str, person: &str, at: &str) -> Value {
    json!({"id": id, "account": account, "person": person, "at": at,
           "channel": "visit", "direction": "outbound",
           "initiated_by": {"kind": "staff", "user": "u-mike"}, "outcome": "connected"})
}

fn email(id: &str, account: &str, person: &str, at: &str) -> Value {
    json!({"id": id, "account": account, "person": person, "at": at,
           "channel": "email", "direction": "outbound",
           "initiated_by": {"kind": "staff", "user": "u-dana"}, "outcome": "delivered"})
}

/// A job done and closed on `day`, with whatever `extra` fields are given.
fn closed_job(id: &str, account: &str, person: &str, day: &str, extra: Value) -> Value {
    let mut o = json!({"id": id, "account": account, "service_type": "maintenance",
        "first_contact_at": format!("{day}T14:00:00Z"),
        "intake": {"request": "Furnace tune-up", "special_instructions": {"kind": "none"}},
        "contact": person, "technician": "u-mike",
        "status_history": [
            {"stage": "scheduled", "at": format!("{day}T14:05:00Z")},
            {"stage": "in_progress", "at": format!("{day}T15:00:00Z")},
            {"stage": "completed", "at": format!("{day}T17:00:00Z")},
            {"stage": "signed_off", "at": format!("{day}T17:05:00Z")},
            {"stage": "closed", "at": format!("{day}T18:00:00Z")}
        ],
        "observations": {"kind": "none"}});
    if let (Some(o), Some(extra)) = (o.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            o.insert(k.clone(), v.clone());
        }
    }
    o
}

/// Every touch item of the agenda, today's and later days' (key, days overdue, and its
/// line followed by its reasons, the obligations' sentences).
fn today_items(agenda: &Agenda) -> Vec<(String, u32, String)> {
    agenda
        .touches
        .iter()
        .flat_map(|g| &g.items)
        .map(|i| {
            let reasons: Vec<&str> = i.obligations.iter().map(|o| o.sentence.as_str()).collect();
            let text = format!("{}: {}", i.sentence, reasons.join("; "));
            (i.key.clone(), i.days_overdue, text)
        })
        .collect()
}

fn band_of(agenda: &Agenda, account: &str) -> Option<Band> {
    agenda
        .at_risk
        .iter()
        .find(|r| r.account.as_str() == account)
        .map(|r| r.band)
}

fn signals(agenda: &Agenda, account: &str) -> Vec<&'static str> {
    agenda
        .at_risk
        .iter()
        .find(|r| r.account.as_str() == account)
        .map(|r| r.signals.iter().map(|s| s.code.code()).collect())
        .unwrap_or_default()
}

fn agenda_with_lowest_band(mut json: Value) -> Agenda {
    json["policies"]["desk"]["at_risk_from"] = json!("healthy");
    agenda_of(&json)
}

// ---- Observation 1: backdated obligations -------------------------------------------

fn imported_today() -> Value {
    book(
        json!([
            {"id": "a-1", "name": "Oak Ridge Apartments", "customer_since": "2019-03-01", "owner": "u-dana"},
            {"id": "a-2", "name": "Lakeside Diner", "customer_since": "2019-06-10", "owner": "u-dana"},
            {"id": "a-3", "name": "Maple Street Dental", "customer_since": "2019-09-04", "owner": "u-dana"}
        ]),
        json!([
            {"id": "p-1", "account": "a-1", "name": "Lena Ortiz", "role": "owner", "key_contact": true},
            {"id": "p-2", "account": "a-2", "name": "Sam Novak", "role": "owner", "key_contact": true},
            {"id": "p-3", "account": "a-3", "name": "Amir Haddad", "role": "owner", "key_contact": true}
        ]),
        // Little history: one call to the diner last month.
        json!([call("i-1", "a-2", "p-2", "2026-10-20T15:00:00Z")]),
        json!([]),
    )
}

#[test]
fn a_seven_year_customer_imported_today_is_not_years_overdue_on_anything() {
    let agenda = agenda_with_lowest_band(imported_today());
    for (key, overdue, sentence) in today_items(&agenda) {
        // Nothing is overdue by more than the records allow: the diner's history
        // starts with last month's call (35 days ago), the others' today.
        let allowed = if key.contains(":a-2:") { 35 } else { 0 };
        assert!(overdue <= allowed, "{key}: {sentence}");
        assert!(!sentence.contains("never"), "{key}: {sentence}");
    }
    for l in &agenda.later {
        assert!(l.due_on >= agenda.today, "{l:?}");
    }
    for a in ["a-1", "a-3"] {
        assert!(!signals(&agenda, a).contains(&"risk.neglect"), "{a}");
        assert_eq!(band_of(&agenda, a), Some(Band::Healthy), "{a}");
    }
    // The diner is a week late on its touch since last month's call: worth watching,
    // not at risk.
    assert!(band_of(&agenda, "a-2") < Some(Band::AtRisk));
}

#[test]
fn a_book_complete_for_a_year_owes_a_visit_with_no_visit_on_record_since_it_began() {
    let mut json = imported_today();
    json["history_since"] = json!("2025-11-24");
    let agenda = agenda_of(&json);
    let items = today_items(&agenda);
    let visit = items
        .iter()
        .find(|(k, _, _)| k.contains("C2") && k.contains(":a-1:"))
        .unwrap_or_else(|| panic!("{items:#?}"));
    // Due a quarter after the history began, not a quarter after 2019; and a year of
    // complete records without a word from the customer makes them quiet (K1).
    assert!(
        visit.2.contains("no visit on record since 2025-11-24")
            && visit.2.contains("so by 2026-02-24"),
        "{visit:?}"
    );
    assert!(visit.1 <= 365, "{visit:?}");
    // An account's own history wins over the book's.
    json["accounts"][0]["history_since"] = json!("2026-11-01");
    let agenda = agenda_of(&json);
    assert!(
        !today_items(&agenda)
            .iter()
            .any(|(k, _, _)| k.contains("C2") && k.contains(":a-1:"))
    );
}

// ---- Observation 2: O1 is silent ------------------------------------------------------

fn inquiry(id: &str, first_contact: &str, extra: Value) -> Value {
    let mut o = json!({"id": id, "account": "a-1", "service_type": "repair",
        "first_contact_at": first_contact,
        "intake": {"request": "No heat upstairs", "special_instructions": {"kind": "none"}},
        "contact": "p-1"});
    if let (Some(o), Some(extra)) = (o.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            o.insert(k.clone(), v.clone());
        }
    }
    o
}

fn one_customer(orders: Value) -> Value {
    let mut json = book(
        json!([{"id": "a-1", "name": "Oak Ridge Apartments", "customer_since": "2024-03-01", "owner": "u-dana"}]),
        json!([{"id": "p-1", "account": "a-1", "name": "Lena Ortiz", "role": "owner", "key_contact": true}]),
        json!([call("i-1", "a-1", "p-1", "2026-11-20T15:00:00Z")]),
        orders,
    );
    json["policies"]["desk"]["orders_from"] = json!("info");
    json
}

fn order_codes(agenda: &Agenda, order: &str) -> Vec<(&'static str, Rule, String)> {
    agenda
        .orders
        .iter()
        .filter(|l| l.report.order.as_str() == order)
        .flat_map(|l| &l.report.findings)
        .map(|f| (f.code.code(), f.rule, f.sentence.clone()))
        .collect()
}

#[test]
fn an_inquiry_left_two_months_without_an_appointment_is_an_o1_finding() {
    let agenda = agenda_of(&one_customer(json!([inquiry(
        "o-1",
        "2026-09-24T15:00:00Z",
        json!({})
    )])));
    let codes = order_codes(&agenda, "o-1");
    let o1 = codes
        .iter()
        .find(|(c, _, _)| *c == "status.appointment_not_set")
        .unwrap_or_else(|| panic!("{codes:?}"));
    assert_eq!(o1.1, Rule::O1);
    assert!(o1.2.contains("61 days"), "{o1:?}");
}

#[test]
fn an_inquiry_taken_ten_minutes_ago_is_not_yet_a_finding() {
    let agenda = agenda_of(&one_customer(json!([inquiry(
        "o-1",
        "2026-11-24T14:50:00Z",
        json!({})
    )])));
    let codes = order_codes(&agenda, "o-1");
    assert!(
        !codes
            .iter()
            .any(|(c, _, _)| c.starts_with("status.appointment_not_set")),
        "{codes:?}"
    );
}

#[test]
fn an_inquiry_that_ended_without_asking_for_the_work_is_an_o1_finding() {
    let mut asked = inquiry("o-2", "2026-11-20T15:00:00Z", json!({}));
    asked["intake"]["asked_for_work"] = json!(true);
    asked["status_history"] = json!([{"stage": "cancelled", "at": "2026-11-20T15:10:00Z"}]);
    let mut not_asked = inquiry("o-1", "2026-11-20T15:00:00Z", json!({}));
    not_asked["intake"]["asked_for_work"] = json!(false);
    not_asked["status_history"] = json!([{"stage": "cancelled", "at": "2026-11-20T15:10:00Z"}]);
    let agenda = agenda_of(&one_customer(json!([not_asked, asked])));
    let codes = order_codes(&agenda, "o-1");
    assert!(
        codes
            .iter()
            .any(|(c, r, _)| *c == "status.work_not_asked" && *r == Rule::O1),
        "{codes:?}"
    );
    // The business that asked and was told no has nothing to fix.
    assert!(order_codes(&agenda, "o-2").is_empty());
}

// ---- Observation 3: O8/O9 stop at sign-off ------------------------------------------

#[test]
fn a_job_closed_without_thanks_referral_feedback_or_next_service_stays_on_the_agenda() {
    let agenda = agenda_of(&one_customer(json!([closed_job(
        "o-1",
        "a-1",
        "p-1",
        "2026-11-10",
        json!({})
    )])));
    let codes: Vec<&str> = order_codes(&agenda, "o-1").iter().map(|c| c.0).collect();
    for code in [
        "close.thanks_missing",
        "close.referral_not_asked",
        "close.feedback_not_asked",
        "close.next_service_not_agreed",
    ] {
        assert!(codes.contains(&code), "{code}: {codes:?}");
    }
}

#[test]
fn a_job_closed_with_its_after_care_recorded_or_waived_for_a_reason_leaves_no_trace() {
    let done = closed_job(
        "o-1",
        "a-1",
        "p-1",
        "2026-11-10",
        json!({"thanked_at": "2026-11-10T17:10:00Z", "feedback_asked_at": "2026-11-11T15:00:00Z",
               "next_service": {"kind": "agreed", "on": "2027-11-10"},
               "after_care_waived": [{"check": "referral", "reason": "the customer asked not to be asked"}]}),
    );
    let unexplained = closed_job(
        "o-2",
        "a-1",
        "p-1",
        "2026-11-12",
        json!({"thanked_at": "2026-11-12T17:10:00Z", "feedback_asked_at": "2026-11-13T15:00:00Z",
               "next_service": {"kind": "agreed", "on": "2027-11-10"},
               "after_care_waived": [{"check": "referral", "reason": " "}]}),
    );
    let agenda = agenda_of(&one_customer(json!([done, unexplained])));
    assert!(
        order_codes(&agenda, "o-1").is_empty(),
        "{:?}",
        order_codes(&agenda, "o-1")
    );
    // A waiver without a reason does not count.
    let codes = order_codes(&agenda, "o-2");
    assert!(
        codes
            .iter()
            .any(|c| c.0 == "close.referral_not_asked" && c.2.contains("reason")),
        "{codes:?}"
    );
}

// ---- Observation 4: C6 thank-you notes never lapse ----------------------------------

/// A customer since 2024-06-01 called every month since, whose first job was done
/// `first_job` (days after the relationship began, so it counts as the first).
fn monthly_customer(first_job: &str, since: &str) -> Value {
    let mut calls = Vec::new();
    for (i, m) in (1..=11).enumerate() {
        let who = if m % 2 == 0 { "p-2" } else { "p-1" };
        calls.push(call(
            &format!("i-{i}"),
            "a-1",
            who,
            &format!("2026-{m:02}-15T15:00:00Z"),
        ));
    }
    calls.push(visit("i-v", "a-1", "p-1", "2026-11-02T15:00:00Z"));
    let mut json = book(
        json!([{"id": "a-1", "name": "Oak Ridge Apartments", "customer_since": since, "owner": "u-dana",
                "annual_value": {"amount": "4800.00", "currency": "USD"}}]),
        json!([{"id": "p-1", "account": "a-1", "name": "Lena Ortiz", "role": "owner", "key_contact": true},
               {"id": "p-2", "account": "a-1", "name": "Joy Park", "role": "executive_assistant", "key_contact": true}]),
        Value::Array(calls),
        json!([closed_job(
            "o-1",
            "a-1",
            "p-1",
            first_job,
            json!({"thanked_at": format!("{first_job}T17:10:00Z"), "referral_asked_at": format!("{first_job}T17:10:00Z"),
                   "feedback_asked_at": format!("{first_job}T17:10:00Z"),
                   "next_service": {"kind": "not_needed", "reason": "a one-off repair"}})
        )]),
    );
    json["history_since"] = json!("2024-06-01");
    json["reviews"] = json!([{"account": "a-1", "reviewed_on": "2026-11-02"}]);
    json
}

#[test]
fn a_thank_you_note_missed_two_years_ago_is_not_overdue_and_not_neglect() {
    let agenda = agenda_with_lowest_band(monthly_customer("2024-06-14", "2024-06-01"));
    let items = today_items(&agenda);
    assert!(
        !items.iter().any(|(k, _, _)| k.contains("C6t")),
        "{items:#?}"
    );
    assert!(!agenda.later.iter().any(|l| l.key.contains("C6t")));
    assert!(!signals(&agenda, "a-1").contains(&"risk.neglect"));
    assert!(band_of(&agenda, "a-1") < Some(Band::AtRisk));
    // Nor is it still being reported as missed.
    assert!(
        !agenda.cadence_notes.iter().any(|n| n.key.contains("C6t")),
        "{:?}",
        agenda.cadence_notes
    );
}

#[test]
fn a_thank_you_note_within_its_two_weeks_is_due_and_one_just_past_them_is_reported_missed() {
    // Completed on 2026-11-16 (8 days ago): due by 2026-11-30.
    let agenda = agenda_of(&monthly_customer("2026-11-16", "2026-11-01"));
    let all: Vec<String> = today_items(&agenda)
        .into_iter()
        .map(|i| i.0)
        .chain(agenda.later.iter().map(|l| l.key.clone()))
        .collect();
    assert!(all.iter().any(|k| k.starts_with("C6t")), "{all:?}");
    // Written yesterday: done, neither due nor missed.
    let mut json = monthly_customer("2026-11-16", "2026-11-01");
    json["interactions"].as_array_mut().unwrap().push(email(
        "i-note",
        "a-1",
        "p-1",
        "2026-11-23T15:00:00Z",
    ));
    let agenda = agenda_of(&json);
    assert!(
        !today_items(&agenda)
            .iter()
            .any(|(k, _, _)| k.contains("C6t"))
    );
    assert!(!agenda.later.iter().any(|l| l.key.contains("C6t")));
    assert!(!agenda.cadence_notes.iter().any(|n| n.key.contains("C6t")));
    // Completed on 2026-11-06: its window closed on 2026-11-20.
    let agenda = agenda_of(&monthly_customer("2026-11-06", "2026-10-20"));
    assert!(
        !today_items(&agenda)
            .iter()
            .any(|(k, _, _)| k.contains("C6t"))
    );
    assert!(!agenda.later.iter().any(|l| l.key.contains("C6t")));
    let missed: Vec<_> = agenda
        .cadence_notes
        .iter()
        .filter(|n| n.code.code() == "cadence.missed")
        .collect();
    assert_eq!(missed.len(), 1, "{:?}", agenda.cadence_notes);
    assert_eq!(missed[0].rule, Rule::C6);
    assert!(
        missed[0].sentence.contains("2026-11-20"),
        "{}",
        missed[0].sentence
    );
}

// ---- Observation 5: birthdays crowded out, notes pushed past their day --------------

/// Lena Ortiz's birthday is on Friday 27 November; she was called on Monday, her
/// quarterly visit is overdue.
fn birthday_week() -> Value {
    let mut json = book(
        json!([{"id": "a-1", "name": "Oak Ridge Apartments", "customer_since": "2023-02-01", "owner": "u-dana"}]),
        json!([{"id": "p-1", "account": "a-1", "name": "Lena Ortiz", "role": "owner", "key_contact": true,
                "birthday": {"month": 11, "day": 27}}]),
        json!([
            visit("i-1", "a-1", "p-1", "2026-07-01T15:00:00Z"),
            call("i-2", "a-1", "p-1", "2026-11-23T15:00:00Z")
        ]),
        json!([]),
    );
    json["history_since"] = json!("2023-02-01");
    json
}

#[test]
fn a_birthday_note_goes_out_by_the_birthday_even_when_a_visit_is_overdue() {
    let agenda = agenda_of(&birthday_week());
    let today: Vec<_> = agenda
        .touches
        .iter()
        .flat_map(|g| &g.items)
        .map(|i| (i.key.clone(), i.planned_on))
        .collect();
    let birthday = today
        .iter()
        .cloned()
        .chain(agenda.later.iter().map(|l| (l.key.clone(), l.planned_on)))
        .find(|(k, _)| k.contains("C6b"))
        .unwrap_or_else(|| panic!("{today:?} {:?} {:?}", agenda.later, agenda.cadence_notes));
    assert!(
        birthday.1 <= chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
        "{birthday:?}"
    );
    // The overdue visit waits, and the agenda says which, to when and why.
    let visit_key = today
        .iter()
        .cloned()
        .chain(agenda.later.iter().map(|l| (l.key.clone(), l.planned_on)))
        .find(|(k, _)| k.contains("C2"))
        .map(|(k, _)| k);
    if let Some(key) = visit_key {
        if !today.iter().any(|(k, _)| *k == key) {
            let note = agenda
                .cadence_notes
                .iter()
                .find(|n| n.key == key && n.code.code() == "cadence.moved")
                .unwrap_or_else(|| panic!("{key}: {:?}", agenda.cadence_notes));
            assert!(note.sentence.contains("moved it to"), "{}", note.sentence);
        }
    }
}

#[test]
fn a_thank_you_note_due_today_is_not_pushed_past_its_day_by_the_weekly_cap() {
    // Two calls this week fill the weekly cap for Lena; her first job's note is due today.
    let mut json = monthly_customer("2026-11-10", "2026-11-01");
    json["interactions"].as_array_mut().unwrap().extend([
        call("i-e1", "a-1", "p-1", "2026-11-19T15:00:00Z"),
        call("i-e2", "a-1", "p-1", "2026-11-23T15:00:00Z"),
    ]);
    let agenda = agenda_of(&json);
    for (key, overdue, sentence) in today_items(&agenda) {
        assert_eq!(overdue, 0, "{key}: {sentence}");
    }
    let later_note = agenda.later.iter().find(|l| l.key.contains("C6t"));
    assert!(later_note.is_none(), "{later_note:?}");
    // It is either done today or said to be missed, with the limit that stopped it.
    let today_note = today_items(&agenda)
        .into_iter()
        .any(|(k, _, _)| k.contains("C6t"));
    let missed = agenda
        .cadence_notes
        .iter()
        .any(|n| n.key.contains("C6t") && n.code.code() == "cadence.missed");
    assert!(today_note || missed, "{:?}", agenda.cadence_notes);
}

#[test]
fn the_agenda_lists_later_days_items_with_their_day_rep_and_key() {
    let agenda = agenda_of(&birthday_week());
    assert_eq!(agenda.touches_later, agenda.later.len());
    for l in &agenda.later {
        assert!(l.planned_on > agenda.today, "{l:?}");
        assert_eq!(l.rep.as_ref().map(|r| r.as_str()), Some("u-dana"));
    }
}

// ---- Observation 6: one policy for a mixed book ------------------------------------

/// A homeowner whose furnace is serviced every October, and a commercial contract
/// visited every quarter until four months ago, in one book with a segment each.
fn mixed_book() -> Value {
    let mut interactions = Vec::new();
    for y in 2021..=2026 {
        interactions.push(visit(
            &format!("i-h{y}"),
            "a-home",
            "p-home",
            &format!("{y}-04-20T15:00:00Z"),
        ));
    }
    for (i, d) in [
        "2025-04-10",
        "2025-07-10",
        "2025-10-10",
        "2026-01-10",
        "2026-04-10",
        "2026-07-20",
    ]
    .iter()
    .enumerate()
    {
        interactions.push(visit(
            &format!("i-c{i}"),
            "a-biz",
            "p-biz",
            &format!("{d}T15:00:00Z"),
        ));
        interactions.push(call(
            &format!("i-cc{i}"),
            "a-biz",
            "p-biz2",
            &format!("{d}T18:00:00Z"),
        ));
    }
    let mut json = book(
        json!([
            {"id": "a-home", "name": "The Okafor household", "customer_since": "2021-04-01",
             "owner": "u-dana", "segment": "residential",
             "annual_value": {"amount": "450.00", "currency": "USD"}},
            {"id": "a-biz", "name": "Lakeside Offices", "customer_since": "2025-04-01",
             "owner": "u-dana", "segment": "commercial_contract",
             "annual_value": {"amount": "12000.00", "currency": "USD"}}
        ]),
        json!([
            {"id": "p-home", "account": "a-home", "name": "Ada Okafor", "role": "owner", "key_contact": true},
            {"id": "p-biz", "account": "a-biz", "name": "Tom Reyes", "role": "owner", "key_contact": true},
            {"id": "p-biz2", "account": "a-biz", "name": "Mia Chen", "role": "executive_assistant", "key_contact": true}
        ]),
        Value::Array(interactions),
        json!([]),
    );
    json["history_since"] = json!("2021-04-01");
    json["reviews"] = json!([{"account": "a-home", "reviewed_on": "2026-04-20"},
                             {"account": "a-biz", "reviewed_on": "2026-11-02"}]);
    json["policies"]["segments"] = json!({
        "residential": {
            "cadence": {"face_to_face": {"monthly_for": {"months": 0}, "then_every": {"months": 12}},
                        "review": {"every": {"months": 12}},
                        "key_people": {"min_roles_per_quarter": 0, "each_every": {"months": 12}},
                        "touch": {"every": {"days": 365}}},
            "risk": {"weights": {"single_threaded": 0}}
        }
    });
    json
}

#[test]
fn an_annual_homeowner_in_the_residential_segment_is_healthy() {
    let agenda = agenda_with_lowest_band(mixed_book());
    assert_eq!(
        band_of(&agenda, "a-home"),
        Some(Band::Healthy),
        "{:?}",
        signals(&agenda, "a-home")
    );
    let items = today_items(&agenda);
    assert!(
        !items
            .iter()
            .any(|(k, _, _)| k.contains(":a-home:") && (k.contains("C2") || k.contains("K1"))),
        "{items:#?}"
    );
}

#[test]
fn a_commercial_contract_in_the_same_book_still_needs_its_quarterly_visit() {
    let agenda = agenda_of(&mixed_book());
    let items = today_items(&agenda);
    assert!(
        items
            .iter()
            .chain(
                &agenda
                    .later
                    .iter()
                    .map(|l| (l.key.clone(), 0, String::new()))
                    .collect::<Vec<_>>()
            )
            .any(|(k, _, _)| k.contains(":a-biz:") && k.contains("C2")),
        "{items:#?}"
    );
}

#[test]
fn an_annual_buyer_silent_for_seven_months_is_not_escalated_as_quiet_by_either_engine() {
    // Without segments: the book's default policy, and the customer's own rhythm.
    let mut json = mixed_book();
    json["policies"] = json!({"desk": {"at_risk_from": "healthy"}});
    let agenda = agenda_of(&json);
    let items = today_items(&agenda);
    assert!(
        !items
            .iter()
            .any(|(k, _, _)| k.contains("K1") && k.contains(":a-home:")),
        "{items:#?}"
    );
    assert!(!signals(&agenda, "a-home").contains(&"risk.silence"));
    // A monthly caller silent for seven months is quiet to both.
    let mut calls = Vec::new();
    for m in 1..=12 {
        calls.push(call(
            &format!("i-m{m}"),
            "a-home",
            "p-home",
            &format!("2025-{m:02}-15T15:00:00Z"),
        ));
    }
    calls.push(call("i-m13", "a-home", "p-home", "2026-04-15T15:00:00Z"));
    json["interactions"] = Value::Array(calls);
    let agenda = agenda_of(&json);
    assert!(
        today_items(&agenda)
            .iter()
            .any(|(k, _, _)| k.contains("K1") && k.contains(":a-home:")),
        "{:#?}",
        today_items(&agenda)
    );
    assert!(signals(&agenda, "a-home").contains(&"risk.silence"));
}

// ---- C9: show interest in the customer's business ------------------------------------

fn all_keys(agenda: &Agenda) -> Vec<String> {
    today_items(agenda)
        .into_iter()
        .map(|i| i.0)
        .chain(agenda.later.iter().map(|l| l.key.clone()))
        .collect()
}

#[test]
fn a_new_customer_nobody_has_asked_about_their_business_gets_a_discovery_conversation() {
    // A customer since 1 November, spoken to this month, never asked about their business.
    let mut json = monthly_customer("2026-11-16", "2026-11-01");
    json["history_since"] = json!("2026-11-01");
    let agenda = agenda_of(&json);
    let keys = all_keys(&agenda);
    assert!(keys.iter().any(|k| k.contains("C9")), "{keys:?}");
    let item = agenda
        .touches
        .iter()
        .flat_map(|g| &g.items)
        .find(|i| i.key.contains("C9"));
    if let Some(item) = item {
        assert!(item.rules.contains(&Rule::C9));
        let reason = item
            .obligations
            .iter()
            .find(|o| o.rule == Rule::C9)
            .map(|o| o.sentence.as_str());
        assert!(
            reason.is_some_and(|r| r.contains("about its business")),
            "{reason:?}"
        );
    }
}

#[test]
fn a_customer_asked_about_their_business_last_month_is_not_asked_again_until_next_year() {
    let mut json = monthly_customer("2026-11-16", "2026-11-01");
    json["history_since"] = json!("2026-11-01");
    json["accounts"][0]["discovery"] = json!({"asked_on": "2026-11-05", "goals": "a second building", "next_objective": "lower heating bills"});
    assert!(!all_keys(&agenda_of(&json)).iter().any(|k| k.contains("C9")));
    // Asked thirteen months ago: due again.
    json["history_since"] = json!("2024-06-01");
    json["accounts"][0]["customer_since"] = json!("2024-06-01");
    json["accounts"][0]["discovery"] = json!({"asked_on": "2025-10-20"});
    let keys = all_keys(&agenda_of(&json));
    assert!(keys.iter().any(|k| k.contains("C9")), "{keys:?}");
}

// ---- K6: word of mouth --------------------------------------------------------------

#[test]
fn a_customer_who_referred_three_others_puts_their_word_of_mouth_at_risk_too() {
    let mut json = monthly_customer("2024-06-14", "2024-06-01");
    // A broken relationship: nobody has been in touch since March.
    json["interactions"] = json!([call("i-1", "a-1", "p-1", "2026-03-15T15:00:00Z")]);
    let accounts = json["accounts"].as_array_mut().unwrap();
    for (id, value) in [("a-2", "4000.00"), ("a-3", "3000.00"), ("a-4", "2200.00")] {
        accounts.push(
            json!({"id": id, "name": format!("Referred {id}"), "customer_since": "2025-01-01",
                             "owner": "u-dana", "referred_by": "a-1",
                             "annual_value": {"amount": value, "currency": "USD"}}),
        );
    }
    let agenda = agenda_with_lowest_band(json.clone());
    let risk = agenda
        .at_risk
        .iter()
        .find(|r| r.account.as_str() == "a-1")
        .unwrap();
    let reason = risk.value_reason.as_deref().unwrap_or_default();
    assert!(
        reason.contains("referred 3 customers worth 9200.00 USD a year"),
        "{reason}"
    );
    // 4,800 of its own and half of 9,200 referred, times the score.
    let expected = rust_decimal::Decimal::from(9_400) * rust_decimal::Decimal::from(risk.score)
        / rust_decimal::Decimal::from(100);
    assert_eq!(risk.value_at_risk.unwrap().amount, expected.round_dp(2));
    // The accounts it referred carry no such reason.
    assert!(
        agenda
            .at_risk
            .iter()
            .filter(|r| r.account.as_str() != "a-1")
            .all(|r| r.value_reason.is_none())
    );
    // A referrer the book does not hold is refused, with its path.
    json["accounts"][1]["referred_by"] = json!("a-99");
    let e = Book::from_json(&json.to_string()).unwrap_err();
    assert_eq!(e.code(), "desk.unknown_reference");
    assert_eq!(e.path().as_str(), "accounts[1].referred_by");
}

#[test]
fn a_commercial_contract_is_called_back_within_four_hours_and_a_homeowner_within_a_day() {
    let mut json = mixed_book();
    // Both leave a voicemail on Monday at 09:00 Chicago; both are called back at 15:00.
    let interactions = json["interactions"].as_array_mut().unwrap();
    for (account, person) in [("a-home", "p-home"), ("a-biz", "p-biz")] {
        interactions.push(json!({
            "id": format!("i-vm-{account}"), "account": account, "person": person,
            "at": "2026-11-23T15:00:00Z", "channel": "phone", "direction": "inbound",
            "initiated_by": {"kind": "customer"}, "outcome": "left_message"}));
        interactions.push(call(
            &format!("i-back-{account}"),
            account,
            person,
            "2026-11-23T21:00:00Z",
        ));
    }
    json["policies"]["segments"]["commercial_contract"] = json!({
        "promises": {"callback_within": {"hours": 4}, "default_grace": {"minutes": 0}}
    });
    let agenda = agenda_of(&json);
    let broken: Vec<_> = agenda
        .promises
        .broken
        .iter()
        .map(|l| (l.account.as_str(), l.verdict.promise.as_str()))
        .collect();
    assert_eq!(broken, [("a-biz", "callback:i-vm-a-biz")]);
    // Without the overlay, the book's 24 hours: nobody's callback is broken.
    json["policies"]["segments"]["commercial_contract"] = json!({});
    assert!(agenda_of(&json).promises.broken.is_empty());
    // An overlay that makes the rule impossible is refused with its path.
    json["policies"]["segments"]["commercial_contract"] =
        json!({"promises": {"callback_within": {"hours": 0}}});
    let e = Book::from_json(&json.to_string()).expect_err("refused");
    assert!(
        e.problems().iter().any(|p| p
            .path()
            .as_str()
            .starts_with("policies.segments.commercial_contract.promises.callback_within")),
        "{e}"
    );
}

#[test]
fn a_weekly_caller_silent_for_five_weeks_is_quiet_to_both_engines_not_only_to_risk() {
    // A customer who called every week for half a year, and not since 19 October (36
    // days): quiet against their own rhythm (1.5 × 7 days), long before any 60-day floor.
    let mut json = mixed_book();
    json["policies"] = json!({"desk": {"at_risk_from": "healthy"}});
    let mut calls = Vec::new();
    for w in 0..26_i64 {
        let day = chrono::NaiveDate::from_ymd_opt(2026, 4, 27).unwrap()
            + chrono::Days::new((7 * w) as u64);
        calls.push(call(
            &format!("i-w{w}"),
            "a-home",
            "p-home",
            &format!("{day}T15:00:00Z"),
        ));
    }
    json["interactions"] = Value::Array(calls);
    let agenda = agenda_of(&json);
    assert!(signals(&agenda, "a-home").contains(&"risk.silence"));
    let keys = all_keys(&agenda);
    assert!(
        keys.iter()
            .any(|k| k.contains("K1") && k.contains(":a-home:")),
        "{keys:#?}"
    );
}
