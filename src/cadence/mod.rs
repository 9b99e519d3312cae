//! Contact cadence: who to touch next, when, how, and why (C1-C8, K1).
//!
//! The planner works with *obligations*, not sequences of steps. Each rule of the
//! practice says which touches satisfy it and the window they must fall in; the planner
//! reads the history once, finds every obligation that is due (or comes due within the
//! horizon), lets one touch satisfy every obligation it qualifies for, merges what is due
//! for the same person into one item, and levels each rep's list over the business days
//! ahead, earliest deadline first.
//!
//! ```
//! use chrono::{NaiveDate, TimeZone, Utc};
//! use retention::calendar::{BusinessCalendar, CalendarSpec, TimeOfDay, WeeklySchedule, WorkInterval};
//! use retention::cadence::{PlanInput, CadencePolicy, Planner};
//!
//! let mut spec = CalendarSpec::new("America/Chicago");
//! spec.weekly = WeeklySchedule::weekdays(&[WorkInterval::new(TimeOfDay::hm(8, 0)?, TimeOfDay::hm(17, 0)?)]);
//! let planner = Planner::new(CadencePolicy::default(), BusinessCalendar::new(spec)?)?;
//!
//! let book: PlanInput = serde_json::from_str(r#"{
//!   "accounts": [{"id": "a-7", "name": "Oak Ridge Apartments", "customer_since": "2024-03-31",
//!                 "owner": "u-cho", "time_zone": "America/Chicago"}],
//!   "people": [{"id": "p-12", "account": "a-7", "name": "Lena Ortiz", "role": "owner",
//!               "key_contact": true, "channels": {"preferred": ["email"]}}],
//!   "interactions": [
//!     {"id": "i-1", "account": "a-7", "person": "p-12", "at": "2026-10-27T15:00:00Z",
//!      "channel": "email", "direction": "outbound", "initiated_by": {"kind": "staff", "user": "u-cho"},
//!      "outcome": "delivered"},
//!     {"id": "i-2", "account": "a-7", "person": "p-12", "at": "2026-10-20T15:00:00Z",
//!      "channel": "phone", "direction": "inbound", "initiated_by": {"kind": "customer"},
//!      "outcome": "connected"},
//!     {"id": "i-3", "account": "a-7", "person": "p-12", "at": "2026-10-01T15:00:00Z",
//!      "channel": "visit", "direction": "outbound", "initiated_by": {"kind": "staff", "user": "u-cho"},
//!      "outcome": "connected"}
//!   ]
//! }"#)?;
//!
//! // Wednesday 25 November 2026, 9:00 in Chicago: 29 days after the last touch.
//! let plan = planner.plan(&book, Utc.with_ymd_and_hms(2026, 11, 25, 15, 0, 0).unwrap())?;
//! let touch = plan.due.iter().find(|i| i.key.starts_with("C1")).unwrap();
//! assert_eq!(touch.due_on, NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
//! assert_eq!(touch.days_overdue, 1);
//! assert_eq!(touch.planned_on, NaiveDate::from_ymd_opt(2026, 11, 25).unwrap());
//! assert_eq!(touch.channel.map(|c| c.as_str()), Some("email"));
//! assert_eq!(touch.key, "C1:a-7:p-12:2026-11-24");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The obligations
//!
//! Each obligation carries its code, its facts as typed [`Args`](crate::text::Args)
//! (`args`) and one sentence, one reason, rendered from them alone by
//! [`text::english`](crate::text::english): a host can write its own language from the
//! code and the arguments. Every obligation has `due` (date, its deadline). "Last"
//! occurrences share three arguments: the date itself when there is one (`last_touch`,
//! `last_visit`, `last_review`), `records_began` (date, when the book's history starts
//! after the relationship: "none on record since"), and `customer_since` (date).
//! Optional arguments are marked `?`.
//!
//! | code | rule | due | satisfied by | key | arguments |
//! | --- | --- | --- | --- | --- | --- |
//! | `cadence.touch_due` | C1 | `touch.every` (28 days) after the last touch on `touch.channels` (or `customer_since`) | any touch on those channels | `C1:account:person:due` | `last_touch?`, `records_began?`, `customer_since`, `every` (span), `due` |
//! | `cadence.quiet_touch_due` | K1 (and C1) | replaces C1 when the customer is quiet against their own rhythm (as risk judges it; `quiet.silent_after` is an optional floor): `quiet.touch_every` after the last touch, on the `quiet.escalation` rung reached (one rung per `quiet.escalate_every` of further silence); when nobody may be contacted on that rung or above, any rung or touch channel they allow | a touch on that rung or a higher one | `K1:account:person:due` | `account` (name), `last_word?` (date the customer last spoke), `silent_days`, `quiet_after_days`, `every_days` (counts), `channel` (the rung's), `rung`, `rungs` (counts), `fallback` (flag: nobody takes the rung), `last_touch?`, `records_began?`, `customer_since`, `due` |
//! | `cadence.face_to_face_due` | C2 | one month after the last visit while within `face_to_face.monthly_for` of `customer_since`, then `then_every` | a visit | `C2:account:person:due` | `last_visit?`, `records_began?`, `customer_since`, `every` (span), `monthly_until?` (date, while monthly), `due` |
//! | `cadence.key_person_due` | C3 | `key_people.each_every` after the key person's last touch | a touch of that person | `C3:account:person:due` | `person` (name), `role` (term), `last_touch?`, `records_began?`, `customer_since`, `every` (span), `due` |
//! | `cadence.key_role_missing` | C3 | today, when fewer than `min_roles_per_quarter` key roles were touched in the last 3 months | a touch of that person | `C3r:account:person:quarter-start` | `touched_roles`, `min_roles` (counts), `quarter_from` (date), `person` (name), `role` (term), `due` |
//! | `cadence.follow_up_call_due` | C4 | `follow_up.within` after the order's completion date (business days are the calendar's) | a call or visit touch after completion | `C4:account:person:order` | `order` (id), `completed_on` (date), `within` (span), `due` |
//! | `cadence.record_review_due` | C5 | on the `review.every` dates anchored to `customer_since` (the 31st stays the 31st); a review counts for the first date on or after it, so the next is due one date later | a [`RecordReview`] | `C5:account:-:due` | `last_review?`, `records_began?`, `customer_since`, `every` (span), `due` |
//! | `cadence.maintenance_reminder_due` | C5 | window from `review.maintenance_lead` before the unit's `next_service_due` to that date | a touch of the account in the window (the reminder rides along) | `C5u:account:person:unit:service-date` | `unit_kind` (text), `unit` (id), `unit_label?` (name), `due` (the service date), `last_serviced?`, `installed_on` (dates), `service_every_months?` or `service_every_days?` (count), `window_from` (date) |
//! | `cadence.birthday_note_due` | C6 | the next birthday (29 February by `personal.leap_day`), window from `personal.birthday_lead` before | a letter or email to that person in the window | `C6b:account:person:birthday` | `person` (name), `due` (the birthday), `leap_day` (flag: placed by the leap-day rule), `window_from` (date) |
//! | `cadence.thank_you_note_due` | C6 | `personal.thank_you_within` after the first order | a letter or email after completion | `C6t:account:person:order` | `order` (id), `completed_on` (date), `within` (span), `due` |
//! | `cadence.recovery_call_due` | C7 | the day an unhappy survey is answered; after an attempt that reached nobody, `recovery.retry_every` later | a live conversation (a connected call or a visit) | `C7:account:person:survey:due` | `survey` (id), `answered_on` (date), `score`, `scale_max` (numbers), `unhappy_hint` (flag), `last_attempt?` (date), `retry_every?` (span), `due` |
//! | `cadence.plan_next_service_due` | C8 | `next_service.plan_within` after the order's completion | `next_service_planned_on` set on the order | `C8:account:person:order` | `order` (id), `completed_on` (date), `within` (span), `due` |
//! | `cadence.discovery_due` | C9 | `discovery.refresh_every` after the last discovery conversation; never asked, within the first weeks of the history (or by the next anniversary) | the account's `discovery` record (held on a call or visit) | `C9:account:person:due` | `account` (name), `asked_on?` (date), `every?` (span, when asked before), `due` |
//!
//! A due item's key joins its obligations' tags with `+`, then the account, the person
//! (`-` for none) and the deadline: `C1+C2:a-7:p-12:2026-11-24`. The same input gives the
//! same keys, so a host can de-duplicate.
//!
//! # A due item's line: `cadence.due_item`
//!
//! A due item's reasons are its obligations (each one reason, with its own code,
//! arguments and sentence). The item's own `sentence` is one short line, the English of
//! [`DueItem::CODE`] (`cadence.due_item`) and the item's `args`: whom to reach, how, by
//! when, from when in their own time zone, and how many reasons ("Call Lena Ortiz (owner)
//! at Oak Ridge Apartments by 2026-11-24 (1 day overdue), from Wed 25 Nov 2026, 08:00
//! CST: 2 reasons (C1, C2)"). Its arguments: `channel?` (absent for an internal task),
//! `person?` (name), `role?` (term), `account` (name), `due` (date), `days_overdue`
//! (count), `planned_on` (date), `contact_from?` (instant) with `zone` (the person's zone,
//! else the account's or the calendar's) when a person is to be reached, `reasons`
//! (count of obligations) and `rules` (list of rules satisfied).
//!
//! # Explanations
//!
//! Explanations carry `args` and a sentence rendered from them in the same way. Where an
//! explanation is about one obligation, `obligation` (term) is that obligation's code.
//!
//! | code | meaning | arguments |
//! | --- | --- | --- |
//! | `cadence.do_not_contact` | nobody who could take the obligation may be contacted on any channel it accepts: suppressed, never silently dropped | `obligation` (term), `person?` (name), `account` (name), `channels` (list of channels the obligation accepts), `due`; and the obligation's own arguments, so its reason is `english(obligation, args)` |
//! | `cadence.deferred` | the caps, the minimum gap, the calendar or the rep's capacity leave no day for items within the horizon; they stay owed. One note per account, rule and limit, whatever the number of items: [`Deferred`] counts them (items, obligations, overdue), names the [`Limit`], every person concerned once, and the first [`DEFERRED_KEYS_SHOWN`] keys | `items` (count), `account` (name), `rule`, `through` (date), `limit` (term, [`Limit`]'s name), the limit's own number (`daily_capacity`, `per_person_per_week`, `per_account_per_week` or `min_gap_days`, a count; none for the calendar), `overdue`, `worst_days_overdue` (counts), `earliest_due` (date), `obligations`, `without_person`, `people_concerned` (counts), `first_keys` (list of ids); the people's ids are in [`Deferred::people`] |
//! | `cadence.too_few_key_people` | the account has fewer distinct key roles on file than `key_people.min_roles_per_quarter` (C3) | `account` (name), `roles` (list of terms on file), `min_roles` (count) |
//! | `cadence.missed` | a date-bound touch (a birthday or thank-you note) lapsed: noted once, never owed; or the levelling leaves no day for it by its day | `obligation?` (term), `due`; for a lapsed note, `person` (name) for a birthday, or `order` (id), `completed_on` (date), `within` (span) for a thank-you; from the levelling, `limit` (term) and `daily_capacity` (count) |
//! | `cadence.moved` | a cap, the minimum gap or the rep's capacity moved an item to a later day of the horizon | `item` (id, its key), `due`, `could_go_on` (date), `limit` (term), `moved_to` (date) |
//! | `cadence.not_due` | (with `explain_not_due`) the obligation's window opens after the horizon | `obligation` (term), `due`, `window_from`, `through` (dates) |
//! | `cadence.satisfied` | (with `explain_not_due`) the obligation was met (a call after the order, a planned service, a note) | `obligation` (term), and by obligation: C1 `last_touch?`, `due`; C4 `order`, `called_on?`; C6t `order`; C8 `order`, `next_service_on?` (absent: none needed); C5u `unit`, `reached_on?`; C6b `person`, `written_on?`, `due`; C7 `survey`, `conversation_on?` |
//!
//! # Dates, zones and caps
//!
//! - Recurring obligations count from the last satisfying touch, or from
//!   `customer_since` when there is none (and never from before it: a meeting before
//!   the relationship began does not start its cadence).
//! - Obligations fall on dates in the account's time zone (else the calendar's); months
//!   are added to the anchor date with chrono's month arithmetic (31 January + 1 month
//!   is 28 or 29 February) and recurring reviews count from `customer_since` each time,
//!   so they never drift. C4 and C7 count business days on the [`BusinessCalendar`](crate::calendar::BusinessCalendar).
//! - "Today" for the plan is `now` in the calendar's zone; items are planned on business
//!   days only, from `max(today, window start)` through `today + horizon`.
//! - `contact_from` and `contact_until` are the planned day outside the quiet hours, in
//!   the person's time zone (else the account's, else the calendar's). A local time the
//!   clocks skip is taken at the jump, a repeated one at its first occurrence.
//! - Channels: the person's preferred channel among those every merged obligation
//!   accepts (their do-not-contact channels never chosen); an account-level obligation
//!   goes to the first reachable person (key contacts first, then by role, then id).
//! - Caps count touches in rolling 24-hour buckets before `now` plus the items already
//!   planned: at most `caps.per_person_per_week` and `caps.per_account_per_week` in any
//!   7 days, `caps.min_gap` between two touches of one person. Internal tasks (record
//!   reviews) take capacity but are not touches.
//! - Levelling: each rep (`Account::owner`, `None` for the shared pool) gets at most
//!   `caps.daily_capacity_per_rep` items a business day, filled earliest deadline first;
//!   ties go to the higher priority, then the smaller item key (so the plan is
//!   deterministic). Priority: `urgent` for C7, `high` for overdue items, quiet
//!   customers and C4, `low` for record reviews, else `normal`.
//! - Interactions after `now` are ignored (they have not happened yet).
//!
//! # Errors and findings
//!
//! [`Planner::new`] refuses a policy that cannot work (`cadence.zero_interval`,
//! `cadence.partial_days`, `cadence.no_channels`, `cadence.impossible_caps`,
//! `cadence.horizon_too_long`, and `model.span_not_fixed` for months or business days in
//! a span the planner counts in days), every
//! problem at once. [`Planner::plan`] refuses unusable input: each record's own checks
//! (`model.*`), `model.duplicate_id`, and references that do not resolve:
//! `cadence.unknown_account` (an interaction, person, order, survey, unit or review
//! naming an account not in the book), `cadence.unknown_person`, and
//! `cadence.person_elsewhere` (a person of another account): the planner cannot tell
//! whose obligation such a record meets. A date beyond what the calendar supports is
//! `calendar.date_out_of_range`. Everything else is a business situation in
//! valid data and comes back in the plan: overdue items, suppressions, deferrals, too
//! few key people. Duplicate interaction ids are not looked for (a hash set of millions
//! of ids would cost more than the plan); a duplicated touch changes nothing but the
//! weekly caps' counts.
//!
//! # Cost
//!
//! One pass over the interactions (an account look-up per run of interactions with the
//! same account, a person found among that account's few people by a cheap tag of the
//! id before the ids are compared), folding each into fixed-size summaries; then a
//! constant amount of work per account, person, order, survey and unit, with no
//! allocation per account; then one sort of the due items. Keys are built only for
//! obligations due within the horizon, each in one allocation; paths, arguments and sentences
//! only for the items built (a plan of today's items only, as the daily desk asks,
//! builds today's), by evaluating their account a second time and rendering the
//! candidates asked for: an obligation no day had room for costs no sentence. What
//! cannot be planned is noted per account, rule and limit (`cadence.deferred`), so the
//! plan's notes grow with what it does, not with what it cannot do. Interactions
//! grouped by account are read fastest; any order gives the same plan.
//!
//! For scale (`cargo bench --bench cadence`, one core of a shared 2-core machine): a
//! book of 100,000 accounts, 400,000 people and 20 million interactions (50 a person)
//! is planned in about 1.4-1.6 s, 3 times one bare pass over its interactions; with 5
//! million interactions in about 1.25 s, 6.6 to 7.8 times its bare pass (there are more
//! due items, and the work per item weighs more).

mod index;
mod input;
mod planner;
mod policy;
mod report;

pub(crate) use input::BookRef;
pub use input::{CompletedOrder, PlanInput, RecordReview};
pub(crate) use planner::Later;
pub use planner::Planner;
pub(crate) use policy::upgrade_old_names;
pub use policy::{
    CadencePolicy, CapsPolicy, DiscoveryPolicy, FaceToFacePolicy, FollowUpPolicy, KeyPeoplePolicy,
    MAX_HORIZON_DAYS, NextServicePolicy, PersonalPolicy, QuietHours, QuietPolicy, RecoveryPolicy,
    ReviewPolicy, TouchPolicy,
};
pub use report::{
    DEFERRED_KEYS_SHOWN, Deferred, DueItem, Explanation, ExplanationCode, Limit, Obligation,
    ObligationCode, Plan, Priority,
};
