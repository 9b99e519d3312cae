//! A small business for the desk's tests: three customers of a Chicago heating company on
//! Tuesday 24 November 2026, 09:00, each with one thing the day's agenda should show.

use chrono::{DateTime, TimeZone, Utc};
use retention::desk::{Agenda, Book};
use serde_json::{Value, json};

/// Tuesday 24 November 2026, 09:00 in Chicago.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap()
}

/// The book as JSON, for tests to change before reading it:
///
/// - `a-1` Oak Ridge Apartments (rep u-dana, 4,800 a year): last spoken to 29 days ago.
/// - `a-2` Lakeside Diner (rep u-ben, 2,400 a year): a voicemail on Friday afternoon,
///   never returned; a repair on hold since Thursday with no word to the owner.
/// - `a-3` Maple Street Dental (rep u-dana, 9,000 a year): called last week, a job done
///   and closed with the next service agreed; the technician saw an upgrade to offer.
pub fn book_json() -> Value {
    json!({
        "schema_version": 3,
        "business": "Prairie Comfort Heating & Air",
        // The business's records are complete since before its first customer.
        "history_since": "2019-01-01",
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
        "accounts": [
            {"id": "a-1", "name": "Oak Ridge Apartments", "customer_since": "2023-02-01",
             "owner": "u-dana", "annual_value": {"amount": "4800.00", "currency": "USD"}},
            {"id": "a-2", "name": "Lakeside Diner", "customer_since": "2024-05-10",
             "owner": "u-ben", "annual_value": {"amount": "2400.00", "currency": "USD"}},
            {"id": "a-3", "name": "Maple Street Dental", "customer_since": "2019-03-04",
             "owner": "u-dana", "annual_value": {"amount": "9000.00", "currency": "USD"}}
        ],
        "people": [
            {"id": "p-1", "account": "a-1", "name": "Lena Ortiz", "role": "owner", "key_contact": true},
            {"id": "p-2", "account": "a-2", "name": "Sam Novak", "role": "owner", "key_contact": true},
            {"id": "p-3", "account": "a-3", "name": "Dr. Amir Haddad", "role": "owner", "key_contact": true},
            {"id": "p-4", "account": "a-3", "name": "Joy Park", "role": "executive_assistant", "key_contact": true}
        ],
        "interactions": [
            {"id": "i-1", "account": "a-1", "person": "p-1", "at": "2026-10-26T15:00:00Z",
             "channel": "phone", "direction": "outbound",
             "initiated_by": {"kind": "staff", "user": "u-dana"}, "outcome": "connected"},
            {"id": "i-2", "account": "a-2", "person": "p-2", "at": "2026-11-13T16:00:00Z",
             "channel": "phone", "direction": "outbound",
             "initiated_by": {"kind": "staff", "user": "u-ben"}, "outcome": "connected"},
            {"id": "i-3", "account": "a-2", "person": "p-2", "at": "2026-11-20T21:30:00Z",
             "channel": "phone", "direction": "inbound",
             "initiated_by": {"kind": "customer"}, "outcome": "left_message"},
            {"id": "i-4", "account": "a-3", "person": "p-3", "at": "2026-11-17T16:00:00Z",
             "channel": "visit", "direction": "outbound",
             "initiated_by": {"kind": "staff", "user": "u-dana"}, "outcome": "connected"},
            {"id": "i-5", "account": "a-3", "person": "p-4", "at": "2026-11-18T16:00:00Z",
             "channel": "phone", "direction": "outbound",
             "initiated_by": {"kind": "staff", "user": "u-dana"}, "outcome": "connected"}
        ],
        "orders": [
            {"id": "o-1", "account": "a-2", "service_type": "repair",
             "first_contact_at": "2026-11-16T14:00:00Z",
             "intake": {"request": "Walk-in cooler won't hold temperature",
                        "special_instructions": {"kind": "none"}},
             "contact": "p-2",
             "appointment": {"start": "2026-11-18T14:00:00Z", "end": "2026-11-18T16:00:00Z",
                             "set_at": "2026-11-16T14:05:00Z", "confirmed_at": "2026-11-17T15:00:00Z"},
             "technician": "u-mike",
             "status_history": [
                 {"stage": "scheduled", "at": "2026-11-16T14:05:00Z"},
                 {"stage": "dispatched", "at": "2026-11-18T13:30:00Z"},
                 {"stage": "in_progress", "at": "2026-11-18T14:10:00Z"},
                 {"stage": "on_hold", "at": "2026-11-19T17:00:00Z", "note": "waiting for a fan motor"}
             ]},
            {"id": "o-2", "account": "a-3", "service_type": "maintenance",
             "first_contact_at": "2026-11-02T14:00:00Z",
             "intake": {"request": "Fall tune-up", "special_instructions": {"kind": "none"}},
             "contact": "p-4",
             "technician": "u-mike",
             "status_history": [
                 {"stage": "scheduled", "at": "2026-11-02T14:05:00Z"},
                 {"stage": "in_progress", "at": "2026-11-10T15:00:00Z"},
                 {"stage": "completed", "at": "2026-11-10T18:00:00Z"},
                 {"stage": "signed_off", "at": "2026-11-10T18:05:00Z"},
                 {"stage": "closed", "at": "2026-11-11T15:00:00Z"}
             ],
             "observations": {"kind": "recorded", "items": [
                 {"category": "upgrade", "note": "Furnace is 19 years old; quote a high-efficiency unit",
                  "estimated_value": {"amount": "6500.00", "currency": "USD"}}
             ]},
             "thanked_at": "2026-11-10T18:10:00Z", "referral_asked_at": "2026-11-10T18:10:00Z",
             "feedback_asked_at": "2026-11-11T15:00:00Z",
             "next_service": {"kind": "agreed", "on": "2027-05-10"}}
        ]
    })
}

/// The book read from its JSON.
pub fn book() -> Book {
    read(&book_json())
}

/// A book read from JSON, which must be valid.
pub fn read(json: &Value) -> Book {
    Book::from_json(&json.to_string()).unwrap_or_else(|e| panic!("a valid book: {e}"))
}

/// The agenda of a JSON book at [`now`].
pub fn agenda_of(json: &Value) -> Agenda {
    read(json)
        .agenda(now())
        .unwrap_or_else(|e| panic!("an agenda: {e}"))
}
