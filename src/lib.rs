//! Customer-retention rules for service businesses, as pure, explained, embeddable code.
//!
//! `retention` puts the habits of the best service businesses into code that field-service
//! apps, CRMs, help desks and billing tools embed: return calls within 24 hours, do what
//! you said when you said, touch every customer at least every 28 days, finish every job
//! completely, notice the quiet customer before they leave. It does no I/O and never
//! reads the clock: the host passes its data and `now`, and gets back owned reports in
//! which every verdict says why.
//!
//! ```
//! use chrono::{TimeDelta, TimeZone, Utc};
//! use retention::calendar::BusinessCalendar;
//! use retention::model::Interaction;
//!
//! // The business's calendar, as a host would store it.
//! let calendar: BusinessCalendar = serde_json::from_str(r#"{
//!     "time_zone": "America/Chicago",
//!     "weekly": {
//!         "monday":    [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}],
//!         "tuesday":   [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}],
//!         "wednesday": [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}],
//!         "thursday":  [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}],
//!         "friday":    [{"start": "08:00", "end": "12:00"}, {"start": "13:00", "end": "17:00"}]
//!     },
//!     "holidays": [{"date": "2026-11-26", "name": "Thanksgiving"}]
//! }"#)?;
//!
//! // A customer's voicemail, Wednesday 16:30 Chicago time.
//! let voicemail: Interaction = serde_json::from_str(r#"{
//!     "id": "i-1041", "account": "a-7", "person": "p-12",
//!     "at": "2026-11-25T22:30:00Z",
//!     "channel": "phone", "direction": "inbound",
//!     "initiated_by": {"kind": "customer"},
//!     "outcome": "left_message"
//! }"#)?;
//! voicemail.validate()?;
//!
//! // Call back within one business day (8 working hours): half an hour on Wednesday,
//! // Thanksgiving closed, then Friday until 16:30.
//! let due = calendar.add_business_duration(voicemail.at, TimeDelta::hours(8))?;
//! assert_eq!(due, Utc.with_ymd_and_hms(2026, 11, 27, 22, 30, 0).unwrap());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What is here
//!
//! | part | module | practice | status |
//! | --- | --- | --- | --- |
//! | shared domain model | [`model`] | all | ready |
//! | business calendar | [`calendar`] | P1, C4 | ready |
//! | order completeness | [`orders`] | O1-O9 | ready |
//! | promises and expectations | [`promises`] | P1-P6 | ready |
//! | contact cadence | [`cadence`] | C1-C8, K1 | ready |
//! | at-risk scoring | [`risk`] | K1-K6 | ready |
//! | the daily desk: one book in, one agenda out | [`desk`] | all | ready |
//! | seeded sample books of any size | [`synthetic`] | all | ready |
//!
//! # From a book to the day's agenda
//!
//! Most hosts want one call: here is everything the business knows, and the time; what
//! do we do today? A [`desk::Book`] holds it all (the calendar, the policies, accounts,
//! people, interactions, surveys, units, orders, promises), read from the crate's JSON
//! contract or filled in Rust, and [`Book::agenda`](desk::Book::agenda) runs the four
//! engines over it and returns the [`desk::Agenda`]: touches due today per rep, orders
//! blocked or left hanging, promises due soon, overdue and broken, customers at risk by
//! value at risk with reasons and next actions, and what technicians saw that sales can
//! offer.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use retention::desk::Book;
//!
//! // What a host loads from its database, here as the crate's JSON contract.
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
//! // Wednesday 09:00 in Chicago.
//! let agenda = book.agenda(Utc.with_ymd_and_hms(2026, 11, 25, 15, 0, 0).unwrap())?;
//!
//! // Monday's voicemail was not returned within 24 hours (P1)...
//! let broken = &agenda.promises.broken[0];
//! assert_eq!((broken.account.as_str(), broken.verdict.promise.as_str()), ("a-7", "callback:i-1"));
//! // ...so Dana has Oak Ridge on today's list (C1-C8),
//! let dana = &agenda.touches[0];
//! assert_eq!(dana.rep.as_ref().unwrap().as_str(), "u-dana");
//! assert!(dana.items.iter().all(|item| item.account.as_str() == "a-7"));
//! // and the customer is at risk, with the broken promise among the reasons (K5).
//! let risk = &agenda.at_risk[0];
//! assert!(risk.signals.iter().any(|s| s.code.code() == "risk.slow_callbacks"));
//! println!("{}", risk.actions[0].sentence);
//! // The same agenda as JSON, for a binding or a dashboard: same book, same bytes.
//! assert!(agenda.to_json().starts_with(r#"{"schema_version":3,"#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # One engine at a time
//!
//! Each engine is also one call over plain data, and none depends on another: a host
//! that wants only one, or wires them itself, hands one engine's report to the next as
//! that engine's own small input (as below; the desk does the same for a whole book).
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use retention::calendar::BusinessCalendar;
//! use retention::cadence::{self, CadencePolicy, Planner};
//! use retention::model::{Account, Interaction, Person};
//! use retention::orders::{check_transition, Intake, OrderPolicy, ServiceOrder, Stage};
//! use retention::promises::{Ledger, PromisePolicy, Status};
//! use retention::risk::{self, AccountFacts, PromiseFacts, RiskPolicy, Scorer};
//!
//! let calendar: BusinessCalendar = serde_json::from_str(r#"{"time_zone": "America/Chicago",
//!     "weekly": {"monday": [{"start": "08:00", "end": "17:00"}],
//!                "tuesday": [{"start": "08:00", "end": "17:00"}],
//!                "wednesday": [{"start": "08:00", "end": "17:00"}],
//!                "thursday": [{"start": "08:00", "end": "17:00"}],
//!                "friday": [{"start": "08:00", "end": "17:00"}]}}"#)?;
//! let account: Account = serde_json::from_str(
//!     r#"{"id": "a-7", "name": "Oak Ridge Apartments", "customer_since": "2024-03-01"}"#)?;
//! let person: Person = serde_json::from_str(
//!     r#"{"id": "p-12", "account": "a-7", "name": "Lena Ortiz", "role": "owner", "key_contact": true}"#)?;
//! // Monday 23 November, 15:40 in Chicago: a voicemail nobody has returned.
//! let voicemail: Interaction = serde_json::from_str(r#"{"id": "i-1", "account": "a-7",
//!     "person": "p-12", "at": "2026-11-23T21:40:00Z", "channel": "phone",
//!     "direction": "inbound", "initiated_by": {"kind": "customer"}, "outcome": "left_message"}"#)?;
//! let now = Utc.with_ymd_and_hms(2026, 11, 25, 15, 0, 0).unwrap(); // Wednesday 09:00
//!
//! // Orders (O1-O9): may this order be scheduled? Every missing piece at once.
//! let order = ServiceOrder::new("o-1", "a-7", "boiler_repair", voicemail.at,
//!     Intake::new("No heat in Building B"));
//! let report = check_transition(&order, Stage::Scheduled, now, &OrderPolicy::default())?;
//! assert!(!report.allowed && report.has(retention::orders::FindingCode::AppointmentMissing));
//!
//! // Promises (P1-P6): the voicemail opened a callback promise; 24 hours have passed.
//! let interactions = [voicemail];
//! let ledger = Ledger::new(&PromisePolicy::default(), &calendar)
//!     .interactions(&interactions)
//!     .evaluate(now)?;
//! assert_eq!(ledger.verdicts[0].status, Status::Broken);
//!
//! // Cadence (C1-C8): who to touch, when, how and why.
//! let mut book = cadence::PlanInput::new(vec![account.clone()]);
//! book.people = vec![person];
//! book.interactions = interactions.to_vec();
//! book.history_since = Some(account.customer_since); // the records are complete
//! let plan = Planner::new(CadencePolicy::default(), calendar.clone())?.plan(&book, now)?;
//! assert!(plan.due.iter().any(|item| item.rules.contains(&retention::model::Rule::C1)));
//!
//! // Risk (K1-K6): the promise record from the ledger is one of the signals.
//! let summary = &ledger.customers[0];
//! let mut facts = AccountFacts::new("a-7");
//! facts.promises = Some(PromiseFacts::new(summary.kept, summary.broken, summary.callbacks_over_limit));
//! let risk = Scorer::new(RiskPolicy::default())?
//!     .score(risk::ScoreInput::new(&[facts], &interactions, &[]), now)?;
//! assert!(risk.accounts[0].signals.iter().any(|s| s.code.code() == "risk.broken_promises"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The rule numbers (O1..K6) are those of the [practice] this crate encodes; docs, codes
//! and tests cite them. Every number in a rule (28 days, 24 hours, a quarter) is a
//! default of a policy a business can change, never a constant.
//!
//! # Errors and findings
//!
//! An [`Error`] means the input is unusable (an unknown time zone, a working interval
//! that ends before it starts, a birthday on 30 February). It lists every problem at
//! once, each with a stable [code](ErrorKind::code), the [path](FieldPath) of the
//! offending field and a sentence. A business problem found in valid data (a missing
//! signature, a broken promise) is not an error: the engines return it as a finding
//! inside an `Ok` report. Evaluating valid input never fails. The [catalogue of bad
//! input](bad_input) lists every kind of input the crate refuses, with the entry points
//! that refuse it and the code and path each gets, and the inputs that look bad but come
//! back as findings.
//!
//! # JSON
//!
//! Every input and output type is owned and implements `serde::Serialize` and
//! `Deserialize` with a documented shape: snake_case field names, enums as snake_case
//! strings, enums with data tagged by a `kind` field (a unit's service interval, a
//! choice of one number, is `{"months": 6}`), instants as RFC 3339 strings in UTC,
//! dates as `YYYY-MM-DD`, money as `{"amount": "1250.00", "currency": "USD"}` with the
//! amount a string so no binding rounds it through a float. Readers refuse misspelt
//! fields. Each type's docs show its JSON.
//!
//! The crate re-exports the versions of [`chrono`], [`chrono_tz`] and [`rust_decimal`]
//! its types use, so a host can name `retention::chrono::DateTime` without matching
//! versions by hand.
//!
//! # No panics, bounded work
//!
//! Whatever a host passes (dates at chrono's limits, zero or enormous spans, counts up to
//! `u32::MAX`, NaN or infinite parameters, duplicate or dangling ids, empty lists), every
//! public function returns `Ok` or an [`Error`] with coded problems. It does not panic,
//! report NaN or an infinity, or loop without end. Property tests generate whole books
//! and policies of this kind, and the entry points are fuzzed (the repository's `fuzz/`).
//!
//! The work is bounded by the size of the input, not by the values in it:
//!
//! - Reading and checking a book, the order checks, the promise ledger, the cadence plan
//!   and risk scoring are linear in the records, plus a sort. A million years between
//!   two dates costs what a day costs; a million interactions with one person cost what
//!   a million spread over many people cost. One exception, within one promise: a
//!   target change measured from the start (`recompute_from_start`) re-applies the
//!   promise's earlier pauses, so a promise with `p` pauses and `c` such changes costs
//!   `p × c` calendar steps.
//! - A calendar operation costs the same for a minute as for ten thousand years of a
//!   calendar open one minute a week: regular weeks are skipped whole, and only weeks
//!   with a holiday, an extra period or a clock change in between are visited, at a
//!   constant cost each. A calendar with no working time is refused when built.
//! - A cadence plan looks at most [366 days](cadence::MAX_HORIZON_DAYS) ahead
//!   (`cadence.horizon_too_long` beyond that).
//! - Fitting a purchase or spend model takes at most `max_iterations` quasi-Newton steps
//!   (500 by default), each with at most 60 evaluations of the likelihood, each linear
//!   in the customers fitted; a Pareto/NBD fit sums at most 10,000 terms of each series,
//!   and a fit that stops making progress stops (`risk.fit_failed`). The desk fits on a
//!   sample of at most `sample` customers (2,000 by default). A model's
//!   `expected_purchases` sums at most 500,000 terms of its series
//!   (`risk.model_undefined` beyond).
//!
//! The repository's `benches/` measure the speed of each engine and of the whole desk
//! against a bare pass over the same input (the README's Speed table; `cargo bench
//! --bench desk` and so on, from the repository's root).
//!
//! # Splitting a book by account
//!
//! The desk's work is linear in the book, and with the `rayon` feature
//! [`Book::agenda`](desk::Book::agenda) runs the order checks, the promise ledger and
//! the cadence plan at once, and checks orders and scores accounts in parallel; the
//! agenda is the same, byte for byte.
//!
//! The engines work account by account, so a host whose book outgrows one machine splits
//! it by account and runs each part on its own, over an engine it already has: a Spark or
//! Polars job that partitions accounts by [`Book::part_of(account_id,
//! parts)`](desk::Book::part_of) (FNV-1a 64 of the id's UTF-8 bytes, modulo the number of
//! parts: documented, so the job computes it itself), gathers each partition's people,
//! interactions, surveys, units, orders, promises, promise events and reviews (every
//! record carries its account, and a promise event its promise's), and calls a binding's
//! `agenda` once per partition, then concatenates the partitions' lists.
//! [`Book::split(parts)`](desk::Book::split) does the same in memory, and a test holds
//! that each part's touches, orders, promises, customers at risk and opportunities are
//! exactly the whole book's for those accounts. A few things need the whole book, and
//! should be done once, outside the partitions:
//!
//! - **Fitting a purchase model** (K4; by default the desk fits a modified BG/NBD model on
//!   a sample of at most 2,000 of the book's customers): fit it once on a sample of the
//!   whole book (`risk::models::PurchaseModel::fit`), then give every partition the same
//!   parameters (`policies.desk.purchase_model: {"kind": "given", ...}`).
//! - **The business's promise record** (`Agenda.promises.business`: kept and on-time
//!   rates, lateness, suggested promise lengths): add the partitions' counts, and compute
//!   medians and percentiles over a sample.
//! - **A rep's daily capacity** in the cadence plan (`caps.daily_capacity_per_rep`): a rep
//!   whose accounts fall in several partitions gets the capacity in each. Partition by rep
//!   (the account's `owner`) instead, or divide the capacity among the partitions.
//! - **Ranking customers at risk across the book**: merge the partitions' `at_risk` lists
//!   by value at risk, score, then account id (each list already comes in that order), and
//!   add the `risk_bands` counts.
//!
//! # Cargo features
//!
//! Both are off by default.
//!
//! - `rayon`: [`Book::agenda`](desk::Book::agenda) works a large book's accounts in
//!   parallel (the same agenda, byte for byte).
//! - `schemars`: every JSON type implements `schemars::JsonSchema` (schemars 1.x,
//!   re-exported as `retention::schemars`), so a binding can generate its types from the
//!   schema of [`desk::Book`] and [`desk::Agenda`] (the repository keeps them in
//!   `schema/`), or of any other type: `schemars::schema_for!(retention::orders::ServiceOrder)`.
//!   The schema follows the serde shape exactly (field names, `kind` tags, optional
//!   fields, misspelt fields refused, codes as string enums, ids, amounts and times as
//!   strings) and carries the doc comments as descriptions. Where reading and writing
//!   differ (an amount is read from a string or a number, written as a string; a
//!   verdict's derived `path` and `sentence` may be left out when read), schemars'
//!   default settings describe reading and `SchemaSettings::for_serialize` writing.
//!
//! The crate depends on serde and serde_json (with serde_path_to_error for the path of
//! a bad field), chrono (without its clock), chrono-tz (the IANA database, compiled
//! in), rust_decimal, thiserror, rustc-hash and compact_str.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod cadence;
pub mod calendar;
mod codes;
pub mod desk;
mod error;
#[cfg(feature = "schemars")]
pub mod json_schema;
pub mod model;
pub mod orders;
pub mod promises;
pub mod risk;
pub mod synthetic;
pub mod text;

pub use error::{Error, ErrorKind, FieldPath, MESSAGE_MAX, Problem, QUOTE_MAX};

/// The date and time library of the crate's types (instants, dates, durations).
pub use chrono;
/// The IANA time-zone database the calendar uses.
pub use chrono_tz;
/// The exact decimal type of money and scores.
pub use rust_decimal;
/// JSON Schema for every input and output type (feature `schemars`).
#[cfg(feature = "schemars")]
pub use schemars;

// The README's Rust example is compiled and run as a doc test.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeExample;

#[doc = include_str!("practice.md")]
pub mod practice {}

#[doc = include_str!("bad_input.md")]
pub mod bad_input {}

#[doc = include_str!("../ARCHITECTURE.md")]
pub mod architecture {}

// Keep a Changelog writes `## [Unreleased]`, which rustdoc would take for a link.
#[allow(rustdoc::broken_intra_doc_links)]
#[doc = include_str!("../CHANGELOG.md")]
pub mod changelog {}
