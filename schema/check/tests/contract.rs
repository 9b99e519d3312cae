//! The committed schemas (`schema/*.json`) against what the crate reads and writes: the
//! sample book and its agenda, the desk tests' book, an error, and the books the crate
//! refuses, which the book schema must refuse too wherever a schema can say so.

use retention::desk::Book;
use retention_schema_check::{Schema, committed, refused_books, sample_book};
use serde_json::{Value, json};

use crate::desk_fixture;

#[test]
fn the_sample_books_and_their_agendas_validate_against_the_committed_files() {
    let book_schema = Schema::new(&committed("book.schema.json"));
    let agenda_schema = Schema::new(&committed("agenda.schema.json"));
    // The sample as a host wrote it, not as the crate writes it back.
    let sample = sample_book();
    assert_eq!(book_schema.errors(&sample), Vec::<String>::new());
    let hvac = Book::from_json(&sample.to_string()).unwrap();
    // The quickstart's `--json`: the sample's agenda on Tuesday 24 November 2026, 09:00
    // in Chicago.
    let agenda = hvac
        .agenda("2026-11-24T15:00:00Z".parse().unwrap())
        .unwrap();
    let agenda: Value = serde_json::from_str(&agenda.to_json()).unwrap();
    assert_eq!(agenda_schema.errors(&agenda), Vec::<String>::new());
    assert!(!agenda["touches"].as_array().unwrap().is_empty());
    // The desk tests' small book and its agenda, and the crate's own writing of both.
    let small = desk_fixture::book();
    let small_agenda = small.agenda(desk_fixture::now()).unwrap();
    for book in [&hvac, &small] {
        let json = serde_json::to_value(book).unwrap();
        assert_eq!(book_schema.errors(&json), Vec::<String>::new());
    }
    let json: Value = serde_json::from_str(&small_agenda.to_json()).unwrap();
    assert_eq!(agenda_schema.errors(&json), Vec::<String>::new());
}

#[test]
fn an_error_validates_against_the_committed_error_schema() {
    let error_schema = Schema::new(&committed("error.schema.json"));
    let mut refused = 0;
    for r in refused_books() {
        let err = Book::from_json(&r.book.to_string()).unwrap_err();
        let json = serde_json::to_value(&err).unwrap();
        assert!(json["problems"].as_array().is_some_and(|p| !p.is_empty()));
        assert_eq!(
            error_schema.errors(&json),
            Vec::<String>::new(),
            "{}",
            r.name
        );
        refused += 1;
    }
    assert!(refused > 10);
    // An error holds at least one problem, with a known code.
    assert!(!error_schema.accepts(&json!({"problems": []})));
    assert!(!error_schema.accepts(&json!({"problems": [
        {"code": "model.no_such_code", "path": "", "message": "?"}
    ]})));
}

#[test]
fn the_book_schema_refuses_every_refused_book_a_schema_can_refuse() {
    let book_schema = Schema::new(&committed("book.schema.json"));
    let mut can_say = 0;
    let mut cannot = 0;
    let mut wrong = Vec::new();
    for r in refused_books() {
        let err = match Book::from_json(&r.book.to_string()) {
            Ok(book) => match book.agenda("2026-11-24T15:00:00Z".parse().unwrap()) {
                Ok(_) => {
                    wrong.push(format!("{}: the crate took it", r.name));
                    continue;
                }
                Err(e) => e,
            },
            Err(e) => e,
        };
        let codes: Vec<&str> = err.problems().iter().map(|p| p.code()).collect();
        if !codes.contains(&r.code.as_str()) {
            wrong.push(format!("{}: the crate says {codes:?}", r.name));
        }
        let schema_refuses = !book_schema.accepts(&r.book);
        if schema_refuses != r.schema_can_say {
            wrong.push(format!(
                "{}: the schema {} it",
                r.name,
                if schema_refuses { "refuses" } else { "accepts" }
            ));
        }
        if r.schema_can_say {
            can_say += 1;
        } else {
            cannot += 1;
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
    println!("refused books: {can_say} refused by the schema, {cannot} by the crate only");
    assert!(can_say >= 15 && cannot >= 3, "{can_say} {cannot}");
}

#[test]
fn ids_amounts_and_the_version_follow_the_crate() {
    let defs = committed("book.schema.json");
    let id = Schema::new(&json!({"$ref": "#/$defs/AccountId", "$defs": defs["$defs"]}));
    let amount = Schema::new(&json!({"$ref": "#/$defs/Money", "$defs": defs["$defs"]}));
    // Blank as the crate's `trim` sees it: Unicode white space, not U+FEFF.
    for (text, ok) in [
        ("a-01", true),
        (" a ", true),
        ("\u{feff}", true),
        ("", false),
        (" \t\n", false),
        ("\u{3000}\u{85}\u{a0}", false),
    ] {
        assert_eq!(id.accepts(&json!(text)), ok, "{text:?}");
        let crate_refuses = retention::model::Account::new(
            text,
            "x",
            chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
        )
        .validate()
        .is_err();
        assert_eq!(crate_refuses, !ok, "{text:?}");
    }
    for (text, ok) in [
        ("1250.00", true),
        ("-0.5", true),
        ("9999999999999999999999999999", true),
        ("99999999999999999999999999999", false),
        ("1e30", false),
        ("1.", false),
        (".5", false),
        ("+1", false),
        ("1_000", false),
    ] {
        let money = json!({"amount": text, "currency": "USD"});
        assert_eq!(amount.accepts(&money), ok, "{text}");
        if ok {
            serde_json::from_value::<retention::model::Money>(money).unwrap();
        }
    }
    assert!(!amount.accepts(&json!({"amount": 12.5, "currency": "USD"})));
    // The crate writes the largest and the smallest decimals in the shape the agenda
    // schema states (29 digits before the point).
    let written =
        Schema::new(&retention::json_schema::for_writing::<retention::model::Money>().to_value());
    for d in [
        rust_decimal::Decimal::MAX,
        rust_decimal::Decimal::MIN,
        rust_decimal::Decimal::new(1, 28),
    ] {
        let money = retention::model::Money::new(d, "USD".parse().unwrap());
        let json = serde_json::to_value(money).unwrap();
        assert_eq!(written.errors(&json), Vec::<String>::new(), "{json}");
    }
}
