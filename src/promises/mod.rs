//! The promise ledger (P1-P6): every promise made to a customer, kept or broken, early or
//! late, under- or over-delivered, on the business's working clock and on the customer's
//! wall clock.
//!
//! A host lists the [`Promise`]s its people made (a callback, an arrival window, a quote
//! by Friday, a completion date, a follow-up, anything custom), the [`PromiseEvent`]s that
//! happened to them (delivered, renegotiated, cancelled by the customer, paused and
//! resumed, an attempt that did not deliver, a change of target), and its
//! [`Interaction`](crate::model::Interaction)s with customers. The [`Ledger`] opens the
//! implicit callback promise of every customer call, voicemail, email or web request
//! (P1), tells a reply that carried value from phone tag (P2), and judges every promise
//! at `now` into a [`LedgerReport`]: one [`Verdict`] per promise, the [`TagChain`]s, and
//! a [`Summary`] for the business and for each customer.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use retention::calendar::BusinessCalendar;
//! use retention::model::Interaction;
//! use retention::promises::{Ledger, Promise, PromiseEvent, PromisePolicy, Status};
//!
//! let calendar: BusinessCalendar = serde_json::from_str(r#"{
//!     "time_zone": "America/New_York",
//!     "weekly": {
//!         "monday":    [{"start": "08:00", "end": "17:00"}],
//!         "tuesday":   [{"start": "08:00", "end": "17:00"}],
//!         "wednesday": [{"start": "08:00", "end": "17:00"}],
//!         "thursday":  [{"start": "08:00", "end": "17:00"}],
//!         "friday":    [{"start": "08:00", "end": "17:00"}]
//!     },
//!     "holidays": [{"date": "2026-11-26", "name": "Thanksgiving"}]
//! }"#)?;
//! let policy = PromisePolicy::default();
//!
//! // A quote promised within 16 working hours, Monday 10:00 New York time.
//! let promises: Vec<Promise> = serde_json::from_str(r#"[{
//!     "id": "pr-1", "kind": {"kind": "quote_by"},
//!     "made_by": {"kind": "staff", "user": "u-ana"}, "account": "a-7",
//!     "made_at": "2026-11-23T15:00:00Z",
//!     "due": {"kind": "within", "span": {"hours": 16}}
//! }]"#)?;
//! // Sent Tuesday at 15:00: 14 working hours later, kept on time.
//! let events: Vec<PromiseEvent> = serde_json::from_str(r#"[
//!     {"promise": "pr-1", "at": "2026-11-24T20:00:00Z", "event": {"kind": "delivered"}}
//! ]"#)?;
//! // A voicemail Wednesday 16:30, returned Friday with only "call us back".
//! let interactions: Vec<Interaction> = serde_json::from_str(r#"[
//!     {"id": "i-1", "account": "a-9", "at": "2026-11-25T21:30:00Z", "channel": "phone",
//!      "direction": "inbound", "initiated_by": {"kind": "customer"}, "outcome": "left_message"},
//!     {"id": "i-2", "account": "a-9", "at": "2026-11-27T14:00:00Z", "channel": "phone",
//!      "direction": "outbound", "initiated_by": {"kind": "staff", "user": "u-ben"},
//!      "outcome": "left_message", "message_value": {"kind": "none"}}
//! ]"#)?;
//!
//! let now = Utc.with_ymd_and_hms(2026, 11, 27, 15, 0, 0).unwrap();
//! let report = Ledger::new(&policy, &calendar)
//!     .promises(&promises)
//!     .events(&events)
//!     .interactions(&interactions)
//!     .evaluate(now)?;
//!
//! let quote = &report.verdicts[0];
//! assert_eq!(quote.status, Status::KeptOnTime);
//! assert_eq!(quote.business_elapsed, chrono::TimeDelta::hours(14));
//! assert_eq!(quote.waited, chrono::TimeDelta::hours(29));
//!
//! // The callback is 41.5 hours old and the tag did not keep it: broken (P1).
//! let callback = &report.verdicts[1];
//! assert_eq!((callback.status, callback.code.code()), (Status::Broken, "promises.broken"));
//! assert_eq!(callback.rule.as_str(), "P1");
//! assert_eq!(callback.attempts, 1);
//! assert_eq!(report.business.callbacks_over_limit, 1);
//! println!("{}", callback.sentence());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The rules, stated once
//!
//! - **Due.** A promise is due at an instant, in a window `[earliest, latest]`, or
//!   `within` a span of its made time. Its [`Clock`] (the promise's own, else the
//!   policy's for its kind) says whether the span counts working time of the
//!   [`BusinessCalendar`](crate::calendar::BusinessCalendar) or wall-clock time.
//!   Deadlines in business time inherit the calendar's rules for weekends, holidays,
//!   partial holidays and both daylight-saving changes.
//! - **Events** are replayed in time order; events at the same instant keep the order of
//!   the input. Events after `now` are not known yet and are ignored.
//! - **Pauses** stop the clock. On the business clock a pause costs only the working time
//!   it covers: a promise paused Friday noon and resumed Monday 09:00 gets back Friday
//!   afternoon's working hours, not the weekend (ERPNext's hold-time bug). On the
//!   calendar clock a pause extends the due by its whole wall-clock length. A due at or
//!   before the pause's start (already missed) does not move. A pause still open at
//!   `now` counts up to `now`, and an open paused promise has no next warning.
//! - **Renegotiation** before the due, agreed by the customer, replaces the due (not a
//!   break; kept by it, the verdict is `renegotiated`). After the due it is a break
//!   whatever happens next (`renegotiated_late`, P6). Without the customer's agreement the
//!   old due stands. During a pause the due is frozen, so a renegotiation is late only
//!   if the due had passed before the pause began; an instant or window agreed during a
//!   pause stays where it was agreed, a `within` span counts from the end of the pause.
//! - **Target changes** follow their [`TargetRule`]: keep elapsed time, restart, or
//!   recompute from the start (GLPI loses waiting time here).
//! - **Status at `now`.** Delivered: before the window opens (or with at least the
//!   policy's `early_percent` of its length left, for a due instant) kept early; by the
//!   due kept on time (or renegotiated); within grace late within grace; after it broken.
//!   Cancelled by the customer: cancelled, unless already past grace (broken). Open:
//!   broken once past grace, overdue past the due, due soon past the first warning
//!   threshold, else on track. Delivering later never gives a better status.
//! - **Both clocks.** Every verdict has `business_elapsed` (working time, pauses
//!   excluded) and `waited` (wall clock the customer waited, pauses included), up to the
//!   close or `now`: `TimeDelta`s, in JSON whole seconds as `business_elapsed_secs` and
//!   `waited_secs`.
//! - **Warnings.** For an open promise, `next_warning` is the next instant the used
//!   share of its length reaches a policy threshold (`warn_at_percent`, default 75%), else
//!   its due, else the end of its grace, so a host can schedule a reminder.
//! - **Scope (P4).** A delivery with a scope is compared to the promised scope
//!   (`more_is` better or worse): under, as promised, over. A delivery without one
//!   delivers what was promised.
//!
//! Callbacks and tag are described on [`Ledger::interactions`] and in the table below.
//! An implicit callback promise has the id `callback:<interaction id>`; a promised call
//! opens `call_at:<interaction id>` due in `call_at ± promised_call_tolerance`.
//!
//! # Codes
//!
//! | code | meaning | rule | arguments |
//! | --- | --- | --- | --- |
//! | `promises.on_track` | open, less of its time used than the first warning threshold | P3 (P1 for callbacks) | the promise's (below); an arrival window: `opens`, `due` (instants); otherwise `used`, `length` (durations), `clock` (term), `due` (instant) |
//! | `promises.due_soon` | open, past the first warning threshold, not yet due | P3 (P1) | as `on_track` |
//! | `promises.overdue` | open, past its due, within its grace | P3 (P1) | the promise's; `late_by` (duration), `due`, `grace_until` (instants) |
//! | `promises.kept_early` | delivered before its window opened, or with `early_percent` of its length left | P3 (P1) | the promise's; except for an arrival window, `used`, `length` (durations), `clock` (term) |
//! | `promises.kept_on_time` | delivered by its due | P3 (P1) | as `kept_early` |
//! | `promises.late_within_grace` | delivered after its due, within grace | P3 (P1) | the promise's; `late_by` (duration), `grace_until` (instant) |
//! | `promises.broken` | not delivered by its due plus grace | P3 (P1) | the promise's; still open: `open` (flag), `late_by` (duration), `due` (instant); closed late: `late_by`, `due` |
//! | `promises.renegotiated_late` | renegotiated after its due: a break | P6 | the promise's; `due` (instant) |
//! | `promises.renegotiated` | renegotiated in time with the customer's agreement and kept | P6 | as `kept_early` |
//! | `promises.cancelled` | cancelled by the customer before it failed | P5 | the promise's |
//! | `promises.under_delivered` | delivered less than the promised scope | P4 | the promise's (a verdict states it as `delivery`: `under`) |
//! | `promises.as_promised` | delivered the promised scope | P4 | the promise's (`delivery`: `as_promised`) |
//! | `promises.over_delivered` | delivered more than the promised scope | P4 | the promise's (`delivery`: `over`) |
//! | `promises.tag_chain` | consecutive interactions that got nothing across (phone tag) | P2 | `length` (count of interactions), `account` (id), `over` (duration), `open` (flag) |
//! | `promises.never_exceeds` | kept promises exceeded less often than the policy's band | P4 | `exceeded`, `kept` (counts of promises), `band_low_percent`, `band_high_percent` (counts, percent) |
//! | `promises.exceeds_on_occasion` | kept promises exceeded within the band | P4 | as `never_exceeds` |
//! | `promises.always_exceeds` | kept promises exceeded more often than the band: under-promising or inflating expectations | P4 | as `never_exceeds` |
//!
//! A [`Verdict`]'s arguments ([`Verdict::args`]), besides those of its code:
//!
//! - `promise` (id) and `kind` (term: `callback`, `arrival_window`, ...); a custom kind
//!   adds `label` (text, the host's name for it);
//! - the wait the customer felt: for an arrival window, `past_window` (duration past the
//!   window, when there is some); for anything else `waited` (wall-clock duration since
//!   it was made; for a callback, since the call);
//! - `delivery` (term: `under`, `as_promised`, `over`) when the scope was compared;
//!   `attempts` (count, when some did not deliver);
//! - `zone` (zone): the business calendar's, in which its instants are written.
//!
//! The three delivery codes are never a verdict's own `code`: a verdict states its
//! delivery through its `delivery` argument.
//!
//! # Errors and findings
//!
//! An `Err` means the ledger cannot tell what the data means, so it reports every such
//! problem at once (with its path) rather than guess:
//!
//! | situation | answer | why |
//! | --- | --- | --- |
//! | a window that ends before it starts | `promises.window_reversed` at `promises[i].due` (or `events[j].event.new_due`) | no instant is inside it |
//! | a due before the promise was made | `promises.due_before_made` | the promise was broken before it existed |
//! | an event before its promise was made | `promises.event_before_promise` at `events[j].at` | a clock or data-entry error: replaying it would count time that never ran |
//! | a delivery (or any event) after a delivery or cancellation | `promises.event_after_close` at `events[j].event` | counting it would count the promise twice; which close is true is the host's to say |
//! | an event naming no listed promise | `promises.unknown_promise` at `events[j].promise` | nothing to apply it to |
//! | paused while paused, resumed while running | `promises.pause_mismatch` | the length of the pause is unknown |
//! | blank or repeated ids | `model.empty_id`, `model.duplicate_id` | events could not be joined |
//! | a deadline outside the calendar's range | `calendar.date_out_of_range`, `calendar.exhausted` at `promises[i]` | no deadline exists |
//!
//! A late delivery, a broken promise, a late renegotiation, phone tag, a slow callback or
//! a delivery under the promised scope are *findings*: valid data, a wrong business
//! situation, reported in the `Ok` report. Evaluating valid input never fails.
//!
//! # Cost
//!
//! Linear in the records. The promise ids are hashed and counting-sorted into about one
//! bucket per promise, with a copy of each id beside its bucket; each event is looked up
//! in its bucket and matched on equal strings, then counting-sorted by promise as a
//! 24-byte slot (instant, index, a light kind; the few kinds with data a verdict needs
//! keep their step in a side list), so a promise's replay reads its events side by side
//! whatever order the host listed them in. Each promise is replayed
//! with one to four calendar look-ups, more with pauses and target changes (each about
//! 0.1-0.2 µs); customers are grouped through a hash table and the summaries' order
//! statistics are selected, not sorted.
//! A promise allocates only what its verdict owns (a custom kind's label, a callback's
//! interaction id; ids of up to 24 bytes are stored inline, so copying the promise's id
//! allocates nothing); sentences are built only when asked for ([`Verdict::sentence`],
//! or when serializing). A million promises with about 1.9 events each take about
//! 0.92-0.93 s (events listed promise by promise) to 0.96-0.99 s (shuffled) on one core
//! of a 2-core machine (see the README and `benches/promises.rs`).

mod callbacks;
mod ledger;
mod policy;
mod promise;
mod summary;
mod verdict;

pub use callbacks::TagChain;
pub(crate) use ledger::check_promise;
pub use ledger::{AccountPolicies, Ledger, LedgerReport};
pub use policy::{Clock, KindClocks, PercentBand, PromisePolicy};
pub use promise::{
    Due, EventKind, MadeBy, MoreIs, Promise, PromiseEvent, PromiseKind, Scope, TargetRule,
};
pub use summary::{Expectations, Suggestion, Summary};
pub use verdict::{Delivery, Source, Status, Verdict, VerdictCode};
