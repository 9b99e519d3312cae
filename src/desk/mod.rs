//! The daily desk: one call over a whole book answers "what do we do today?".
//!
//! Host apps do not want four engines to wire together; they want to hand over their
//! business's data and today's date. A [`Book`] holds everything one business knows
//! (calendar, policies, accounts, people, interactions, surveys, units, orders,
//! promises); [`Book::agenda`] runs the four engines over it for `now` and returns an
//! [`Agenda`]:
//!
//! - **touches** due today, per rep (cadence, C1-C8, K1);
//! - **orders** blocked or left hanging (O1-O9);
//! - **promises** due soon, overdue and broken, and phone tag (P1-P6);
//! - **customers at risk**, ranked by value at risk, with reasons and next actions
//!   (K1-K6);
//! - **opportunities** technicians saw on site (O7).
//!
//! The engines share what they compute: the risk scorer reads the orders left hanging,
//! the promise record and the overdue touches from the other three, instead of working
//! them out again.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use retention::desk::Book;
//!
//! let book = Book::from_json(r#"{
//!   "schema_version": 3,
//!   "business": "Prairie Comfort Heating & Air",
//!   "history_since": "2024-03-01",
//!   "calendar": {"time_zone": "America/Chicago",
//!     "weekly": {"monday": [{"start": "08:00", "end": "17:00"}],
//!                "tuesday": [{"start": "08:00", "end": "17:00"}],
//!                "wednesday": [{"start": "08:00", "end": "17:00"}],
//!                "thursday": [{"start": "08:00", "end": "17:00"}],
//!                "friday": [{"start": "08:00", "end": "17:00"}]}},
//!   "accounts": [{"id": "a-7", "name": "Oak Ridge Apartments", "customer_since": "2024-03-01",
//!                 "owner": "u-dana", "annual_value": {"amount": "4800.00", "currency": "USD"}}],
//!   "people": [{"id": "p-12", "account": "a-7", "name": "Lena Ortiz", "role": "owner",
//!               "key_contact": true}],
//!   "interactions": [{"id": "i-1", "account": "a-7", "person": "p-12",
//!     "at": "2026-11-23T21:40:00Z", "channel": "phone", "direction": "inbound",
//!     "initiated_by": {"kind": "customer"}, "outcome": "left_message"}]
//! }"#)?;
//!
//! // Wednesday 09:00 in Chicago: Lena's voicemail from Monday is still not returned.
//! let now = Utc.with_ymd_and_hms(2026, 11, 25, 15, 0, 0).unwrap();
//! let agenda = book.agenda(now)?;
//!
//! assert_eq!(agenda.promises.broken[0].verdict.code.code(), "promises.broken");
//! assert_eq!(agenda.touches[0].rep.as_ref().map(|r| r.as_str()), Some("u-dana"));
//! assert_eq!(agenda.at_risk[0].account.as_str(), "a-7");
//!
//! // The same agenda as JSON, for a binding or a dashboard.
//! let json = agenda.to_json();
//! assert!(json.starts_with(r#"{"schema_version":3,"#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The JSON contract
//!
//! A [`Book`] goes in, an [`Agenda`] comes out, each with a `schema_version`
//! ([`SCHEMA_VERSION`]). Each type's docs show its JSON field by field; the records and
//! reports inside are the engines' own types, documented in their modules. With the
//! `schemars` feature the crate also describes both as JSON Schema, and the repository
//! keeps the generated files in `schema/` (a test holds them in step with the types).
//!
//! The same book and `now` give the same agenda, byte for byte, whatever the order of
//! the book's lists: the desk reads the book in canonical order ([`Book::sort`]), and
//! every list of the agenda has a documented order.
//!
//! The agenda's size follows what the business can do, not what it cannot: touches no
//! day of the planner's horizon had room for are not listed one by one but noted once
//! per account, rule and limit in `cadence_notes` (`cadence.deferred`, whose
//! `deferred` counts the items, obligations and overdue ones, names the limit, every
//! person concerned once and the first keys). An account of 100,000 key contacts with
//! room for a few dozen touches gets one such note.
//!
//! ## Durations and lengths
//!
//! One convention for time in the contract:
//!
//! - A **duration** the crate measures (how long a customer waited, how late a promise
//!   was, a suggested promise length) is an integer of **whole seconds**, negative for
//!   "before". In a record it is a field named `<name>_secs` (`waited_secs`,
//!   `late_by_secs`, `lateness_median_secs`, `length_secs`); as a verdict's argument it
//!   is `{"duration": 93600}` ([`Arg::Duration`](crate::text::Arg::Duration)). In Rust
//!   it is a [`TimeDelta`](chrono::TimeDelta) named without the unit (`waited`,
//!   `late_by`).
//! - A **length in a policy** (or a promise's `within`) is a
//!   [`Span`](crate::model::Span), one unit and a count: `{"months": 3}`,
//!   `{"business_days": 2}`, `{"weeks": 13}`, `{"days": 28}`, `{"hours": 24}`,
//!   `{"minutes": 90}`; as an argument, `{"span": {"days": 28}}`. No policy field is an
//!   integer with its unit in its name. Months and business days have no fixed length:
//!   a field that needs one refuses them (`model.span_not_fixed`).
//! - A **count of calendar days between dates** (`days_overdue`, `worst_days_overdue`)
//!   is a count, not a duration: it is whole dates, in the business's (or the person's)
//!   calendar, and says so in its name.
//!
//! ## Versions
//!
//! A book of any version from [`OLDEST_SCHEMA_VERSION`] to [`SCHEMA_VERSION`] reads;
//! the agenda is always written at [`SCHEMA_VERSION`].
//!
//! - **Version 3** states every length in a policy as a span. The old names still read,
//!   in any version, as the same span; given both, the new name wins; a policy always
//!   writes the new names:
//!
//!   | version 1 and 2 | version 3 |
//!   | --- | --- |
//!   | `cadence.face_to_face.monthly_for_months: 6` | `cadence.face_to_face.monthly_for: {"months": 6}` |
//!   | `cadence.face_to_face.then_every_months: 3` | `cadence.face_to_face.then_every: {"months": 3}` |
//!   | `cadence.key_people.each_every_months: 3` | `cadence.key_people.each_every: {"months": 3}` |
//!   | `cadence.follow_up.within_business_days: 2` | `cadence.follow_up.within: {"business_days": 2}` |
//!   | `cadence.review.every_months: 1` | `cadence.review.every: {"months": 1}` |
//!   | `cadence.recovery.retry_every_business_days: 1` | `cadence.recovery.retry_every: {"business_days": 1}` |
//!   | `cadence.discovery.refresh_every_months: 12` | `cadence.discovery.refresh_every: {"months": 12}` |
//!   | `risk.overdue_days_full_at: 30` | `risk.worst_overdue_full_at: {"days": 30}` |
//!   | `risk.overdue_days_critical_at: 60` | `risk.worst_overdue_critical_at: {"days": 60}` |
//!
//!   The same holds in a segment's overlays (`policies.segments.<name>.cadence` and
//!   `.risk`), where a span replaces the book's whatever its unit. The
//!   order policy may name the business's `time_zone` (in a book, the calendar's zone
//!   is the one its orders are checked in).
//!
//!   In the agenda, every verdict names its code `code` and its English `sentence`: an
//!   order finding's `message` is now `sentence`, and a due item's obligation's `kind`
//!   is now `code`. Durations keep their shape (whole seconds in `_secs` fields). The
//!   cadence verdicts' arguments for those intervals are spans (`every`, `within`,
//!   `retry_every`: `{"span": {"months": 3}}`) where they were counts (`every_months`,
//!   `within_business_days`, `retry_business_days`).
//! - **Version 2** added to the book the history horizon, segments, referrals,
//!   discovery, `intake.asked_for_work` and after-care waivers, and to the agenda the
//!   later days' touches (see [`SCHEMA_VERSION`]). Every new field is optional, so a
//!   version 1 book reads as it is.
//!
//! # Bad input
//!
//! [`Book::from_json`] and [`Book::validate`] check the whole book before any engine
//! runs and report every problem at once, each with its stable code and path:
//!
//! | input | code | path |
//! | --- | --- | --- |
//! | not JSON, cut short, a field of the wrong type or an unknown field | `desk.malformed_json` | where reading stopped |
//! | `schema_version` missing or unknown | `desk.unknown_schema_version` | `schema_version` |
//! | an id used twice in a list | `model.duplicate_id` | `orders[3].id` |
//! | a record for an account, person or promise the book lacks | `desk.unknown_reference` | `interactions[12].person` |
//! | a record naming a person of another account | `desk.wrong_account` | `surveys[2].person` |
//! | a record's own problem (a reversed window, a bad time zone...) | the engine's code | inside the record |
//!
//! A rejected book is rejected whole: its last problem, `desk.book_rejected`, says how
//! many records of each list were read, so nothing valid is dropped without a word.
//!
//! A few problems only show when a promise is replayed (a second delivery, an event
//! before the promise was made, a pause that never ends): [`Book::agenda`] reports them
//! with the ledger's codes (`promises.event_after_close`, ...) at the event's path,
//! `promise_events[j]`, counted in the book's canonical order.
//!
//! # Scale
//!
//! The work is linear in the book (plus a sort when its lists come out of canonical
//! order). With the `rayon` feature, a large book's checks, order checks, ledger and
//! plan run side by side and its accounts are scored in parts, with the same agenda.
//!
//! The engines work account by account, so a host whose book outgrows one machine can
//! split it by account ([`Book::part_of`], [`Book::split`]) and run each part on its own
//! (see [Splitting a book by account](crate#splitting-a-book-by-account)). What needs
//! the whole book: the business's promise record and suggested promise lengths, the reps' daily capacity in the cadence plan, and fitting
//! a purchase model (fit once on a sample, then give every part the same parameters).

mod agenda;
mod book;
mod policy;
mod purchases;
mod run;
mod segments;
mod split;

pub use agenda::{
    Agenda, LaterTouch, OrderLine, PromiseDesk, PromiseLine, PurchaseModelUsed, RepTouches,
};
pub use book::{Book, CheckedBook, Counts, OLDEST_SCHEMA_VERSION, Policies, SCHEMA_VERSION};
pub use policy::{DeskPolicy, PurchaseModelChoice};
pub use purchases::AccountPurchases;
pub use run::agenda;
pub use segments::{Segment, Segments};

impl Agenda {
    /// The agenda as compact JSON: the contract's shape, the same bytes for the same
    /// book and `now`.
    pub fn to_json(&self) -> String {
        // Plain data with string keys only: serializing it cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The agenda as indented JSON, for people.
    pub fn to_json_pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}
