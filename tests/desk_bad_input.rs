//! Every kind of unusable book, and the code and path it gets. A rejected book says how
//! many records were read, and nothing panics.

use chrono::{DateTime, Utc};
use retention::desk::Book;
use retention::{Error, ErrorKind};
use serde_json::{Value, json};

use crate::desk_fixture::{book, book_json, now};

fn rejected(json: &Value) -> Error {
    match Book::from_json(&json.to_string()) {
        Ok(_) => panic!("the book should be rejected"),
        Err(e) => e,
    }
}

/// The (code, path) of every problem but the closing `desk.book_rejected`.
fn problems(e: &Error) -> Vec<(&'static str, String)> {
    let all = e.problems();
    let last = all.last().expect("at least one problem");
    assert_eq!(last.code(), "desk.book_rejected", "{e}");
    assert!(last.path().is_root());
    all[..all.len() - 1]
        .iter()
        .map(|p| (p.code(), p.path().to_string()))
        .collect()
}

#[test]
fn text_that_is_not_json_is_malformed_at_the_root() {
    let e = Book::from_json("accounts: a-1").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::DeskMalformedJson);
    assert!(e.path().is_root());
    assert!(e.problems()[0].message().contains("line 1 column"), "{e}");
}

#[test]
fn a_truncated_file_says_where_it_stopped_and_what_was_read_whole() {
    let text = book_json().to_string();
    // Cut inside the third interaction.
    let cut = text.find(r#""id":"i-3""#).unwrap() + 8;
    let e = Book::from_json(&text[..cut]).unwrap_err();
    assert_eq!(e.code(), "desk.malformed_json");
    assert!(
        e.path().as_str().starts_with("interactions[2]"),
        "{}",
        e.path()
    );
    let message = e.problems()[0].message();
    assert!(message.contains("ends too soon"), "{message}");
    assert!(message.contains("before `interactions[2]"), "{message}");
}

#[test]
fn a_field_of_the_wrong_type_is_named_by_its_path() {
    let mut json = book_json();
    json["interactions"][1]["at"] = json!("last Tuesday");
    let e = rejected_parse(&json);
    assert_eq!(e.code(), "desk.malformed_json");
    assert_eq!(e.path().as_str(), "interactions[1].at");
}

#[test]
fn a_misspelt_field_is_refused_not_ignored() {
    let mut json = book_json();
    json["accounts"][0]["anual_value"] = json!({"amount": "1.00", "currency": "USD"});
    let e = rejected_parse(&json);
    assert_eq!(e.code(), "desk.malformed_json");
    assert!(e.path().as_str().starts_with("accounts[0]"), "{}", e.path());
    assert!(e.to_string().contains("anual_value"), "{e}");
}

fn rejected_parse(json: &Value) -> Error {
    Book::from_json(&json.to_string()).expect_err("the book should not parse")
}

#[test]
fn a_schema_version_the_crate_does_not_know_is_refused_first() {
    for version in [json!(4), json!(0), json!("1"), json!(null)] {
        let mut json = book_json();
        json["schema_version"] = version.clone();
        // Even with a field this version does not know, the version is what is reported.
        json["next_generation_field"] = json!(true);
        let e = rejected_parse(&json);
        assert_eq!(e.code(), "desk.unknown_schema_version", "{version}: {e}");
        assert_eq!(e.path().as_str(), "schema_version");
    }
    let mut json = book_json();
    json.as_object_mut().unwrap().remove("schema_version");
    assert_eq!(rejected_parse(&json).code(), "desk.unknown_schema_version");
}

#[test]
fn a_version_1_or_2_book_still_reads_and_its_agenda_is_version_3() {
    for version in [1, 2, 3] {
        let mut json = book_json();
        json["schema_version"] = json!(version);
        let book = Book::from_json(&json.to_string()).unwrap();
        assert_eq!(book.schema_version, version);
        let agenda = book.agenda(crate::desk_fixture::now()).unwrap();
        assert_eq!(agenda.schema_version, 3);
    }
}

#[test]
fn a_book_built_in_rust_with_another_version_is_refused_by_the_agenda() {
    let mut book = book();
    book.schema_version = 7;
    let e = book.agenda(now()).unwrap_err();
    assert_eq!(e.code(), "desk.unknown_schema_version");
}

#[test]
fn duplicate_ids_are_refused_in_every_list() {
    let mut json = book_json();
    let account = json["accounts"][0].clone();
    json["accounts"].as_array_mut().unwrap().push(account);
    let order = json["orders"][0].clone();
    json["orders"].as_array_mut().unwrap().push(order);
    let e = rejected(&json);
    assert_eq!(
        problems(&e),
        [
            ("model.duplicate_id", "accounts[3].id".to_string()),
            ("model.duplicate_id", "orders[2].id".to_string()),
        ]
    );
}

#[test]
fn dangling_references_are_each_named() {
    let mut json = book_json();
    json["interactions"][0]["person"] = json!("p-99");
    json["orders"][0]["account"] = json!("a-99");
    json["promises"] = json!([{"id": "pr-1", "kind": {"kind": "quote_by"},
        "made_by": {"kind": "staff", "user": "u-ben"}, "account": "a-2", "person": "p-2",
        "made_at": "2026-11-23T19:30:00Z", "due": {"kind": "within", "span": {"hours": 16}}}]);
    json["promise_events"] = json!([{"promise": "pr-9", "at": "2026-11-23T20:00:00Z",
        "event": {"kind": "delivered"}}]);
    json["reviews"] = json!([{"account": "a-42", "reviewed_on": "2026-11-01"}]);
    let e = rejected(&json);
    let found = problems(&e);
    for (code, path) in [
        ("desk.unknown_reference", "interactions[0].person"),
        ("desk.unknown_reference", "orders[0].account"),
        ("desk.unknown_reference", "promise_events[0].promise"),
        ("desk.unknown_reference", "reviews[0].account"),
    ] {
        assert!(
            found.contains(&(code, path.to_string())),
            "{code} at {path} missing from {found:?}"
        );
    }
    // The order names a person of a-2 while it now claims to be for a-99: that is the
    // dangling account, not a second problem.
    assert_eq!(found.len(), 4, "{found:?}");
}

#[test]
fn a_person_of_another_account_is_refused() {
    let mut json = book_json();
    json["interactions"][0]["person"] = json!("p-3");
    let e = rejected(&json);
    assert_eq!(
        problems(&e),
        [("desk.wrong_account", "interactions[0].person".to_string())]
    );
    assert!(e.to_string().contains("a person of `a-3`"), "{e}");
}

#[test]
fn a_rejected_book_says_how_many_records_were_read_and_drops_none() {
    let mut json = book_json();
    json["people"][0]["account"] = json!("a-0");
    let e = rejected(&json);
    let last = e.problems().last().unwrap().message();
    assert!(
        last.starts_with("read 14 records: 3 accounts, 4 people, 5 interactions"),
        "{last}"
    );
    assert!(last.contains("no record was dropped"), "{last}");
}

#[test]
fn a_record_s_own_problem_is_reported_inside_it() {
    let mut json = book_json();
    json["people"][1]["time_zone"] = json!("Mars/Olympus_Mons");
    json["orders"][0]["appointment"]["end"] = json!("2026-11-18T13:00:00Z");
    let e = rejected(&json);
    let found = problems(&e);
    assert_eq!(
        found[0],
        ("model.unknown_time_zone", "people[1].time_zone".to_string())
    );
    assert_eq!(found[1].0, "orders.appointment_reversed");
    assert!(found[1].1.starts_with("orders[0].appointment"), "{found:?}");
}

#[test]
fn a_bad_policy_is_reported_under_its_engine() {
    let mut json = book_json();
    json["policies"] = json!({"cadence": {"touch": {"every": {"days": 0}}}});
    let e = rejected(&json);
    let found = problems(&e);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "cadence.zero_interval");
    assert!(
        found[0].1.starts_with("policies.cadence.touch"),
        "{found:?}"
    );
}

#[test]
fn an_instant_beyond_the_calendar_is_an_error_not_a_panic() {
    let book = book();
    for now in [DateTime::<Utc>::MAX_UTC, DateTime::<Utc>::MIN_UTC] {
        let e = book.agenda(now).unwrap_err();
        assert!(
            e.code().starts_with("calendar.") || e.code().starts_with("risk."),
            "{e}"
        );
    }
}

#[test]
fn a_bad_purchase_model_in_the_desk_policy_is_named_by_its_path() {
    let mut json = book_json();
    json["policies"] =
        json!({"desk": {"purchase_model": {"kind": "fit", "sample": 0, "penalizer": -1.0}}});
    let found = problems(&rejected(&json));
    assert_eq!(
        found,
        [
            (
                "risk.invalid_parameter",
                "policies.desk.purchase_model.sample".to_string()
            ),
            (
                "risk.invalid_parameter",
                "policies.desk.purchase_model.penalizer".to_string()
            ),
        ]
    );
    let mut json = book_json();
    json["policies"] = json!({"desk": {"purchase_model": {"kind": "given", "variant": "bg_nbd",
        "params": {"r": -0.2, "alpha": 4.4, "a": 0.8, "b": 2.4}}}});
    let found = problems(&rejected(&json));
    assert_eq!(
        found,
        [(
            "risk.invalid_parameter",
            "policies.desk.purchase_model.params.r".to_string()
        )]
    );
}

#[test]
fn a_misspelt_field_beside_a_none_is_refused_too() {
    let mut json = book_json();
    json["orders"][0]["intake"]["special_instructions"] = json!({"kind": "none", "nots": []});
    let e = rejected_parse(&json);
    assert_eq!(e.code(), "desk.malformed_json");
    assert!(
        e.path()
            .as_str()
            .starts_with("orders[0].intake.special_instructions"),
        "{}",
        e.path()
    );

    let mut json = book_json();
    json["policies"] = json!({"desk": {"purchase_model": {"kind": "none", "sample": 10}}});
    let e = rejected_parse(&json);
    assert_eq!(e.code(), "desk.malformed_json");
    assert!(e.to_string().contains("sample"), "{e}");
}

#[test]
fn a_promise_delivered_twice_is_refused_by_the_agenda_under_promise_events() {
    let mut json = book_json();
    json["promises"] = json!([{"id": "pr-1", "kind": {"kind": "quote_by"},
        "made_by": {"kind": "staff", "user": "u-ben"}, "account": "a-2",
        "made_at": "2026-11-16T15:00:00Z", "due": {"kind": "at", "at": "2026-11-20T22:00:00Z"}}]);
    json["promise_events"] = json!([
        {"promise": "pr-1", "at": "2026-11-18T17:00:00Z", "event": {"kind": "delivered"}},
        {"promise": "pr-1", "at": "2026-11-19T17:00:00Z", "event": {"kind": "delivered"}}
    ]);
    // The book itself is well formed; only replaying the promise shows the second close.
    let book = Book::from_json(&json.to_string()).unwrap();
    let e = book.agenda(now()).unwrap_err();
    assert_eq!(e.code(), "promises.event_after_close");
    assert_eq!(e.path().as_str(), "promise_events[1].event", "{e}");
}

#[test]
fn an_annual_value_that_cannot_be_ranked_is_refused() {
    let mut json = book_json();
    json["accounts"][0]["annual_value"] = json!({"amount": "-1.00", "currency": "USD"});
    json["accounts"][1]["annual_value"] =
        json!({"amount": "79228162514264337593543950335", "currency": "USD"});
    assert_eq!(
        problems(&rejected(&json)),
        [
            ("risk.invalid_spend", "accounts[0].annual_value".to_string()),
            (
                "model.amount_overflow",
                "accounts[1].annual_value".to_string()
            ),
        ]
    );
}

#[test]
fn a_survey_about_an_order_the_book_lacks_is_refused() {
    let mut json = book_json();
    json["surveys"] = json!([{"id": "s-1", "account": "a-3", "answered_at": "2026-11-12T15:00:00Z",
        "score": "9", "scale": {"min": "0", "max": "10", "unhappy_at_or_below": "6"}, "order": "o-77"}]);
    assert_eq!(
        problems(&rejected(&json)),
        [("desk.unknown_reference", "surveys[0].order".to_string())]
    );
}
