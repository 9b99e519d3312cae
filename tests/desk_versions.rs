//! Books of older `schema_version`s still read (issue 15): `tests/data/v2_book.json` is
//! the desk fixture written as a version 2 book, with every policy interval that version 2
//! named by its unit (`"monthly_for_months": 2`) set away from its default, in the book's
//! policies and in a segment's overlay. It reads to the same policies and the same
//! agenda, byte for byte, as the same book in version 3's names.

use retention::desk::{Book, SCHEMA_VERSION};
use retention::model::Span;
use serde_json::{Value, json};

use crate::desk_fixture::now;

fn v2() -> Value {
    serde_json::from_str(include_str!("data/v2_book.json")).unwrap()
}

/// The v2 book with version 3's names, written out by hand.
fn v3() -> Value {
    let mut j = v2();
    j["schema_version"] = json!(3);
    j["policies"] = json!({
        "cadence": {
            "face_to_face": {"monthly_for": {"months": 2}, "then_every": {"months": 12}},
            "key_people": {"min_roles_per_quarter": 1, "each_every": {"months": 4}},
            "follow_up": {"within": {"business_days": 3}},
            "review": {"every": {"months": 2}, "maintenance_lead": {"days": 21}},
            "recovery": {"retry_every": {"business_days": 2}},
            "discovery": {"refresh_every": {"months": 6}}
        },
        "risk": {"worst_overdue_full_at": {"days": 20}, "worst_overdue_critical_at": {"days": 40}},
        "segments": {"residential": {
            "cadence": {"face_to_face": {"then_every": {"months": 6}}, "review": {"every": {"months": 1}}},
            "risk": {"worst_overdue_full_at": {"days": 10}}
        }}
    });
    j
}

fn read(j: &Value) -> Book {
    Book::from_json(&j.to_string()).unwrap()
}

#[test]
fn a_version_2_book_reads_its_old_interval_names_as_spans() {
    assert_eq!(SCHEMA_VERSION, 3);
    let old = read(&v2());
    assert_eq!(old.schema_version, 2);
    let c = &old.policies.cadence;
    assert_eq!(c.face_to_face.monthly_for, Span::Months(2));
    assert_eq!(c.face_to_face.then_every, Span::Months(12));
    assert_eq!(c.key_people.each_every, Span::Months(4));
    assert_eq!(c.key_people.min_roles_per_quarter, 1);
    assert_eq!(c.follow_up.within, Span::BusinessDays(3));
    assert_eq!(c.review.every, Span::Months(2));
    assert_eq!(c.review.maintenance_lead, Span::Days(21));
    assert_eq!(c.recovery.retry_every, Span::BusinessDays(2));
    assert_eq!(c.discovery.refresh_every, Span::Months(6));
    let r = &old.policies.risk;
    assert_eq!(r.worst_overdue_full_at, Span::Days(20));
    assert_eq!(r.worst_overdue_critical_at, Span::Days(40));
    let new = read(&v3());
    assert_eq!(old.policies.cadence, new.policies.cadence);
    assert_eq!(old.policies.risk, new.policies.risk);
}

#[test]
fn a_version_2_book_gives_the_same_agenda_as_its_version_3_rewrite() {
    let old = read(&v2()).agenda(now()).unwrap();
    let new = read(&v3()).agenda(now()).unwrap();
    assert_eq!(old.schema_version, 3);
    assert_eq!(old.to_json(), new.to_json());
    // The old names are not ignored: with the defaults the agenda is another one (the
    // segment's yearly visits and two-monthly reviews change what is due).
    let mut defaults = v2();
    defaults.as_object_mut().unwrap().remove("policies");
    let plain = read(&defaults).agenda(now()).unwrap();
    assert_ne!(plain.to_json(), old.to_json());
}

#[test]
fn an_old_name_in_a_segment_overlay_changes_that_segment() {
    // The overlay's old name beats the book policy's value, as the new name would.
    let mut j = v2();
    j["policies"]["segments"]["residential"]["cadence"] =
        json!({"face_to_face": {"then_every_months": 1, "monthly_for_months": 0}});
    let old = read(&j).agenda(now()).unwrap();
    j["policies"]["segments"]["residential"]["cadence"] =
        json!({"face_to_face": {"then_every": {"months": 1}, "monthly_for": {"months": 0}}});
    let new = read(&j).agenda(now()).unwrap();
    assert_eq!(old.to_json(), new.to_json());
    j["policies"]["segments"]["residential"]["cadence"] = json!({});
    let none = read(&j).agenda(now()).unwrap();
    assert_ne!(none.to_json(), old.to_json());
}

#[test]
fn an_old_name_of_the_wrong_type_is_refused_at_its_own_path() {
    let mut j = v2();
    j["policies"]["cadence"]["review"] = json!({"every_months": {"months": 2}});
    let e = Book::from_json(&j.to_string()).unwrap_err();
    let p = &e.problems()[0];
    assert_eq!(p.code(), "desk.malformed_json");
    assert!(
        p.path().to_string().contains("every_months"),
        "{}",
        p.path()
    );
    j["policies"]["cadence"]["review"] = json!({});
    j["policies"]["segments"]["residential"]["cadence"] =
        json!({"review": {"every_months": "monthly"}});
    let e = Book::from_json(&j.to_string()).unwrap_err();
    let p = &e.problems()[0];
    assert_eq!(
        p.path().to_string(),
        "policies.segments.residential.cadence.review.every_months"
    );
}
