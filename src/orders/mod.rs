//! Order completeness (O1-O9): capture everything, finish completely, never leave a job
//! hanging.
//!
//! A [`ServiceOrder`] holds everything the practice asks to capture, from the first call
//! (the request in the customer's own words, special instructions or an explicit "none",
//! the appointment and when it was set) through the job (status history, checklist, work
//! performed, parts used, observations) to the close (the customer told, the sign-off,
//! thanks, referral, feedback, the next service). [`check_transition`] answers "may this
//! order move to that stage?" and [`check_now`] "how is this order doing?": each returns an
//! [`OrderReport`] with **every** finding at once, each with a stable [`FindingCode`], a
//! [`Severity`], the practice [`Rule`](crate::model::Rule) it serves, the field path and a
//! sentence with the actual numbers, whether the move is allowed (no blockers), and a
//! [`Progress`] count a UI can show. [`check_orders`] checks a slice; [`opportunities`]
//! gathers the technicians' upgrade observations for sales (O7).
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use retention::orders::{check_transition, FindingCode, OrderPolicy, ServiceOrder, Stage};
//!
//! let policy: OrderPolicy = serde_json::from_str(r#"{
//!   "templates": [{"id": "boiler-v2", "service_type": "boiler_service", "items": [
//!     {"id": "isolate_power", "label": "Isolate the power", "satisfied_by": ["done"]},
//!     {"id": "flue_test", "label": "Flue gas test"},
//!     {"id": "photo", "label": "Photo of the finished job", "required": false}]}],
//!   "time_limits": {"sign_off_within": {"hours": 4}}
//! }"#)?;
//!
//! let mut order: ServiceOrder = serde_json::from_str(r#"{
//!   "id": "o-1041", "account": "a-7", "service_type": "boiler_service",
//!   "first_contact_at": "2026-11-24T09:00:00Z",
//!   "intake": {"request": "The boiler bangs when the heating starts",
//!              "special_instructions": {"kind": "given", "notes": ["Gate code 4411"]}},
//!   "site": {"address": "12 Elm St, Springfield"}, "contact": "p-12",
//!   "planned_work": [{"id": "w-1", "description": "Service the boiler"}],
//!   "planned_parts": [{"part": "VALVE-22", "quantity": "1"}],
//!   "appointment": {"start": "2026-11-26T14:00:00Z", "end": "2026-11-26T16:00:00Z",
//!                   "set_at": "2026-11-24T09:10:00Z", "confirmed_at": "2026-11-25T10:00:00Z"},
//!   "technician": "u-4",
//!   "status_history": [
//!     {"stage": "scheduled", "at": "2026-11-24T09:10:00Z"},
//!     {"stage": "dispatched", "at": "2026-11-26T13:30:00Z"},
//!     {"stage": "in_progress", "at": "2026-11-26T14:05:00Z"},
//!     {"stage": "completed", "at": "2026-11-26T15:30:00Z"}],
//!   "checklist": {"template": "boiler-v2", "items": [
//!     {"item": "isolate_power", "state": {"kind": "done", "by": "u-4", "at": "2026-11-26T14:06:00Z"}},
//!     {"item": "flue_test", "state": {"kind": "waived", "by": "u-9", "reason": "Flue sealed by the landlord"}}]},
//!   "work_performed": [{"description": "Replaced the pressure valve", "item": "w-1"}],
//!   "parts_used": [{"part": "VALVE-22", "quantity": "1"}],
//!   "observations": {"kind": "recorded", "items": [
//!     {"category": "upgrade", "note": "Boiler is 19 years old"}]},
//!   "clean_up_confirmed": true,
//!   "completion_notice": {"at": "2026-11-26T15:31:00Z", "channel": "visit"}
//! }"#)?;
//! let now = Utc.with_ymd_and_hms(2026, 11, 26, 21, 0, 0).unwrap();
//!
//! // May it close? Not without the signature, thanks, referral, feedback and next service.
//! let report = check_transition(&order, Stage::Closed, now, &policy)?;
//! assert!(!report.allowed);
//! let codes: Vec<&str> = report.findings.iter().map(|f| f.code.code()).collect();
//! assert_eq!(codes, [
//!     "close.signature_missing",
//!     "close.thanks_missing", "close.referral_not_asked",
//!     "close.feedback_not_asked", "close.next_service_not_agreed",
//!     "status.sign_off_overdue",
//! ]);
//! assert_eq!(report.findings[5].sentence,
//!     "completed 5 hours 30 minutes ago and not signed off; the policy allows 4 hours");
//! assert_eq!(report.progress.to_string(), "18 of 27 requirements met");
//!
//! // The customer signs on site; the host stores the fingerprint of what was signed.
//! let signed_at = Utc.with_ymd_and_hms(2026, 11, 26, 21, 5, 0).unwrap();
//! let mut sign_off = retention::orders::SignOff::new("Lena Ortiz", signed_at, true);
//! sign_off.work_fingerprint = Some(order.work_fingerprint());
//! order.sign_off = Some(sign_off);
//! assert!(check_transition(&order, Stage::SignedOff, now, &policy)?.allowed);
//!
//! // Work changed after the signature: the signature is stale.
//! order.parts_used[0].quantity = "2".parse()?;
//! let report = check_transition(&order, Stage::SignedOff, now, &policy)?;
//! assert!(report.has(FindingCode::SignatureStale) && !report.allowed);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Lifecycle
//!
//! Stages ([`Stage`]): `new` → `scheduled` → `dispatched` → `in_progress` → `completed` →
//! `signed_off` → `closed`, with `on_hold` and `partially_complete` off `in_progress`, and
//! `cancelled`. The current stage is the last entry of the status history. The moves the
//! lifecycle allows are listed on [`Stage::may_move_to`]; any other is the blocker
//! `lifecycle.transition_not_allowed`.
//!
//! A check of a move to a target stage evaluates the requirements of the target **and of
//! every main-line stage before it** (closing needs everything completing and signing off
//! need), so the report lists every missing piece at once. `on_hold` and
//! `partially_complete` need what `in_progress` needs plus `hold.customer_not_told`;
//! `cancelled` needs only `cancel.customer_not_told`. [`check_now`] evaluates the
//! requirements of the current stage (what should already be true) plus the time checks.
//!
//! # Time checks
//!
//! Evaluated against `now` for the order's current stage, in **calendar time** (a day is
//! 24 hours, nights and weekends included: a customer waiting for news waits on Sundays
//! too), with the limits of [`TimeLimits`]:
//!
//! - `scheduled` or `dispatched`, appointment not confirmed and `now` within
//!   `confirm_before` of its start (or past it): `status.appointment_not_confirmed`;
//! - `in_progress` longer than `in_progress_update_every`, or `on_hold` /
//!   `partially_complete` longer than `on_hold_update_every`, since the later of entering
//!   the stage and the last status update to the customer: `status.customer_not_updated`;
//! - `completed` longer than `sign_off_within` with no sign-off: `status.sign_off_overdue`;
//! - `completed`, `signed_off` or `closed`, longer than `tell_completion_within` after the
//!   last `completed` status change, and the customer not told: `status.completion_not_told`;
//! - `new`, no appointment, longer than `appointment_set_within` after the first
//!   contact: `status.appointment_not_set` (O1: the first call should set one);
//! - `new` or `cancelled`, and the first contact recorded as not asking for the work:
//!   `status.work_not_asked` (O1).
//!
//! # Time zone
//!
//! A finding whose sentence shows an instant (`hold.customer_not_told`,
//! `cancel.customer_not_told`, `close.signed_before_work`) writes it in the business's
//! time zone, the policy's [`time_zone`](PolicySpec::time_zone) ("since Thu 19 Nov 2026,
//! 08:20 CST"), and carries that zone as its `zone` argument; a date a finding names
//! (`status.work_not_asked`) is the date there. A policy without one writes UTC ("14:20
//! UTC"). The daily desk always checks its book's orders in the business calendar's zone.
//!
//! # After care (O8, O9)
//!
//! Every order past completion (`completed`, `signed_off`, `closed`) is checked for the
//! thanks, the referral ask, the feedback ask and the next service agreed (the `close.*`
//! O8/O9 codes) by [`check_now`] too, until each is recorded or waived with a reason
//! ([`ServiceOrder::after_care_waived`]); a waiver without a reason does not count, and
//! its finding says so.
//!
//! Time findings are not requirements: they do not count in [`Progress`], but they count
//! for `allowed` if a policy raises one to a blocker.
//!
//! # Stale sign-off and stale ticks
//!
//! [`ServiceOrder::work_fingerprint`] is a documented, stable FNV-1a 64 fingerprint of the
//! work performed and the parts used. A host stores it in [`SignOff::work_fingerprint`]
//! when the customer signs and in [`ItemState::Done`] when an item is ticked; if the work or
//! parts change afterwards, the check reports `close.signature_stale` (a blocker: the
//! customer did not sign for this) or `complete.checklist_tick_stale` (a warning).
//!
//! # Finding codes
//!
//! Findings come in this table's order ([`FindingCode::ALL`]); findings with the same code
//! come in input order (template order for checklist items, list order for work items and
//! parts). "Needed for" is the first target stage whose check includes the code.
//! "Arguments" are the facts of the finding's [`args`](Finding::args), typed
//! ([`text::Arg`](crate::text::Arg); `zone`, the business's zone, comes with the instants
//! when the policy has one); its `sentence` is rendered from the code and them
//! alone by [`text::english`](crate::text::english), so a host can write its own.
//!
//! | code | rule | default | needed for | meaning | arguments |
//! | --- | --- | --- | --- | --- | --- |
//! | `lifecycle.transition_not_allowed` | O4 | blocker | any move | the lifecycle does not allow this move | `order` id, `from` and `to` terms (stages) |
//! | `schedule.request_missing` | O2 | blocker | scheduled | the customer's request, in their own words, is blank | none |
//! | `schedule.instructions_not_asked` | O2 | warning | scheduled | nobody recorded whether there are special instructions or warnings (an explicit "none" satisfies it) | none |
//! | `schedule.site_missing` | O2 | blocker | scheduled | no site address | none |
//! | `schedule.contact_missing` | O2 | warning | scheduled | no contact person for the site | none |
//! | `schedule.work_items_missing` | O2 | warning | scheduled | no planned work items | none |
//! | `schedule.appointment_missing` | O1 | blocker | scheduled | no appointment | none |
//! | `schedule.appointment_not_on_first_contact` | O1 | info | scheduled | the appointment was set later than `appointment_set_within` after the first contact | `took` duration, `limit` span |
//! | `dispatch.technician_missing` | O4 | blocker | dispatched | no technician assigned | none |
//! | `hold.customer_not_told` | O4 | blocker | on_hold, partially_complete | no update to the customer (with a next step) since the job last left a hold stage | `stage` term, `since` instant, `zone` |
//! | `cancel.customer_not_told` | O4 | blocker | cancelled | no update to the customer since the last status change before cancelling | `stage` term, `since` instant, `zone` |
//! | `complete.work_not_documented` | O5 | blocker | completed | nothing recorded as work performed | none |
//! | `complete.planned_work_not_done` | O5 | warning | completed | a planned work item has no work performed against it | `item` id, `description` text |
//! | `complete.checklist_missing` | O6 | blocker | completed | the service type has a template but the order has no checklist (each required item is also reported open, so the list of what to do is complete) | `service_type` text, `template` id |
//! | `complete.checklist_wrong_template` | O6 | blocker | completed | the checklist comes from another service type's template (its entries do not count: each required item of the right template is reported open) | `found` id, `service_type` text, `template` id |
//! | `complete.checklist_item_open` | O6 | blocker | completed | a required checklist item is neither done nor waived | `item` id, `label` text |
//! | `complete.item_satisfied_wrong_way` | O6 | blocker | completed | an item was done or waived in a way its template does not allow | `item` id, `label` text, `way` term (`done` or `waived`), `by` name (when waived) |
//! | `complete.waiver_unexplained` | O6 | blocker | completed | an item was waived without a reason | `item` id, `label` text, `by` name |
//! | `complete.checklist_tick_stale` | O6 | warning | completed | the work or parts changed after an item was ticked | `item` id, `label` text, `ticked_for` and `now` text (fingerprints) |
//! | `complete.clean_up_not_confirmed` | O6 | blocker | completed | clean-up of the site is not confirmed | none |
//! | `complete.part_not_planned` | O5 | info | completed | a part was used that was not planned | `part` id, `used` amount (absent: past the decimal range) |
//! | `complete.part_quantity_differs` | O5 | warning | completed | a planned part was used in a different quantity, or not at all | `part` id, `planned` and `used` amounts (absent: none, or past the decimal range) |
//! | `complete.observations_missing` | O7 | warning | completed | no observations recorded (an explicit "none" satisfies it) | none |
//! | `close.signature_missing` | O3 | blocker | signed_off | the customer has not signed off | none |
//! | `close.signer_name_missing` | O3 | blocker | signed_off | the sign-off has no signer's name | none |
//! | `close.signed_off_site` | O3 | warning | signed_off | the customer signed away from the work site | `signer` name |
//! | `close.signed_before_work` | O3 | blocker | signed_off | the sign-off is dated before the work started (or the work never started) | `signed_at` instant; `started_at` instant and `early_by` duration when the work started; `zone` |
//! | `close.signature_stale` | O3 | blocker | signed_off | the work or parts changed after the customer signed | `signer` name, `signed_for` and `now` text (fingerprints) |
//! | `close.customer_not_told` | O5 | blocker | signed_off | the customer has not been told the work is complete | none |
//! | `close.thanks_missing` | O8 | warning | closed | the customer was not thanked | `waived_without_reason` flag |
//! | `close.referral_not_asked` | O8 | warning | closed | the customer was not asked for a referral | `waived_without_reason` flag |
//! | `close.feedback_not_asked` | O9 | warning | closed | the customer was not asked for feedback | `waived_without_reason` flag |
//! | `close.next_service_not_agreed` | O9 | warning | closed | no next service agreed, or recorded as not needed with a reason | `waived_without_reason` flag |
//! | `status.appointment_not_confirmed` | O4 | warning | time check | the appointment is near or past and not confirmed | `started_ago` duration once it started; before, `starts_in` duration and `confirm_before` span |
//! | `status.customer_not_updated` | O4 | warning | time check | in progress or on hold longer than the policy allows without a status update to the customer | `stage` term, `for` duration, `updated_ago` duration (absent: no update in that time), `limit` span |
//! | `status.sign_off_overdue` | O3 | warning | time check | completed longer ago than the policy allows and not signed off | `ago` duration, `limit` span |
//! | `status.completion_not_told` | O5 | warning | time check | completed longer ago than the policy allows and the customer not told | `ago` duration, `limit` span |
//! | `status.appointment_not_set` | O1 | warning | time check | a new order (an inquiry) without an appointment longer than `appointment_set_within` after the first contact | `ago` duration, `limit` span |
//! | `status.work_not_asked` | O1 | warning | time check | the first contact ended without asking for the work (`intake.asked_for_work: false`), on a new or cancelled order | `first_contact_on` date (the business's) |
//!
//! A policy may give any code another severity ([`PolicySpec::severities`]).
//!
//! # Bad input
//!
//! An `Err` means the order cannot be read as one consistent record; a finding means the
//! record is consistent and the business situation is wrong. Every `Err` lists every
//! problem with its code and path (under `orders[i]` in a batch):
//!
//! | situation | result | why |
//! | --- | --- | --- |
//! | status history out of time order | `Err` `orders.status_out_of_order` at `status_history[i].at` | the current stage and how long the job has been in it cannot be told: the record contradicts itself |
//! | a checklist entry for an item its template does not list | `Err` `orders.unknown_checklist_item` at `checklist.items[i].item` | the tick cannot be matched to a requirement: a dangling reference, usually a host bug or a template edited under a live job |
//! | a checklist naming a template the policy lacks | `Err` `orders.unknown_checklist_template` at `checklist.template` | as above |
//! | the same checklist item twice | `Err` `orders.duplicate_checklist_item` | which entry counts cannot be told |
//! | a negative part quantity | `Err` `orders.negative_quantity` at `parts_used[i].quantity` (or `planned_parts`) | no job uses minus two valves: a returned part is not a use, and reconciliation would be meaningless |
//! | an appointment window that ends before it starts | `Err` `orders.appointment_reversed` | not a window |
//! | work performed tied to a planned item that does not exist | `Err` `orders.unknown_work_item` | a dangling reference |
//! | blank ids, a planned work id used twice | `Err` `model.empty_id`, `model.duplicate_id` | as everywhere in the crate |
//! | a sign-off dated before the work started | finding `close.signed_before_work` (blocker) | both instants are valid, and a pre-signed form is exactly the business problem to catch: the customer cannot have approved work not yet done |
//! | a checklist from another service type's template | finding `complete.checklist_wrong_template` | a real template, used on the wrong job |
//! | a waiver without a reason, parts that differ from the plan | findings | valid data, wrong situation |
//!
//! Instants after `now` (an update stamped in the future) are not errors: the time checks
//! ignore customer updates and confirmations later than `now`.
//!
//! # Speed
//!
//! A check is linear in the order's lists (checklist entries are matched to template items
//! at the same position first; parts are reconciled pairwise, a handful per order), and
//! builds a sentence and a path only for an actual finding. `benches/orders.rs` measures a
//! typical order (10 checklist items, 5 parts, 8 status changes).

mod check;
mod fingerprint;
pub(crate) use fingerprint::fnv1a64;
mod order;
mod policy;
mod report;

pub(crate) use check::{check_in, opportunities_since};
pub use check::{check_now, check_orders, check_transition, opportunities};
pub use order::{
    AfterCare, AfterCareWaiver, Appointment, Checklist, ChecklistEntry, CompletionNotice,
    CustomerUpdate, Instructions, Intake, ItemState, NextService, Observation, ObservationKind,
    Observations, PartLine, ServiceOrder, SignOff, Site, Stage, StatusChange, WorkDone, WorkItem,
};
pub use policy::{
    ChecklistTemplate, OrderPolicy, PolicySpec, Satisfaction, TemplateItem, TimeLimits,
};
pub use report::{Finding, FindingCode, Opportunity, OrderReport, Progress, Severity};

#[cfg(test)]
mod tests;
