//! At-risk scoring (K1-K6): which customers are leaving, why, what it costs, and what to
//! do.
//!
//! Customers who leave rarely say why (K4). The engine reads the signals instead: the
//! customer's silence against their own rhythm, fewer contacts than their own baseline,
//! unhappy survey answers and follow-ups nobody answered, our own neglect, broken
//! promises and slow callbacks, orders left hanging, a relationship that hangs on one
//! person, no next service planned, and, where a purchase history is given, the
//! statistical probability that the customer is still buying ([`models`]). Each signal
//! is optional: a shop with 50 customers and no model still gets a useful score from the
//! signals it has; a chain with a million customers adds the models.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use retention::model::{Channel, Direction, Interaction, Outcome, Party};
//! use retention::risk::{AccountFacts, Band, ScoreInput, RiskPolicy, Scorer};
//!
//! let day = |d| Utc.with_ymd_and_hms(2026, 1, 1, 15, 0, 0).unwrap() + chrono::TimeDelta::days(d);
//! // The customer called every 30 days, then stopped: the last call was 94 days ago.
//! let calls: Vec<Interaction> = (0..6)
//!     .map(|k| {
//!         let mut i = Interaction::new(
//!             format!("i-{k}"), "a-7", day(30 * k), Channel::Phone,
//!             Direction::Inbound, Party::Customer, Outcome::Connected,
//!         );
//!         i.person = Some(if k % 2 == 0 { "p-1" } else { "p-2" }.into());
//!         i
//!     })
//!     .collect();
//! let now = day(150 + 94);
//! let scorer = Scorer::new(serde_json::from_str::<RiskPolicy>("{}")?)?;
//! let accounts = [AccountFacts::new("a-7")];
//! let report = scorer.score(ScoreInput::new(&accounts, &calls, &[]), now)?;
//! let risk = &report.accounts[0];
//! assert_eq!(risk.signals[0].code.code(), "risk.silence");
//! assert_eq!(risk.signals[0].sentence, "no contact for 94 days; usually every 30 days");
//! assert_eq!(risk.band, Band::AtRisk); // critical silence (3.1 gaps): at least at risk
//! assert_eq!(risk.actions[0].code.code(), "risk.action.call");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Signals
//!
//! | code | rule | evidence | strength (0 to 1) | critical when |
//! | --- | --- | --- | --- | --- |
//! | `risk.silence` | K1 | days since the customer's last contact (a contact is anything the customer started, or a live conversation) against their usual gap: (last − first contact) / (contacts − 1), at least `rhythm_floor` (7 days), or `rhythm_unknown` with fewer than `rhythm_min_contacts`; a customer never in contact counts from `known_since` | ratio from `silence_starts_at` (0) to `silence_full_at` (1) | ratio ≥ `silence_critical_at` |
//! | `risk.falling_frequency` | K1 | contacts in `recent_window` against the rate in the `baseline_window` just before (only when that rate predicts at least `frequency_min_expected` contacts) | drop from `frequency_drop_starts_at` % (0) to 100 % (1) | never |
//! | `risk.unhappy_survey` | K2 | unhappy answers ([`SurveyResponse::is_unhappy`](crate::model::SurveyResponse::is_unhappy)) in `survey_lookback` | count / `unhappy_surveys_full_at` | no live conversation since the latest |
//! | `risk.unanswered_follow_up` | K2 | staff calls or visits in `follow_up_lookback` that got no answer or a message, after the customer's last contact (the 8 most recent are tracked) | count / `follow_ups_full_at` | count ≥ `follow_ups_critical_at` |
//! | `risk.neglect` | K3 | [`CadenceFacts`] | the larger of overdue / `overdue_full_at` and worst days / `worst_overdue_full_at` | worst days ≥ `worst_overdue_critical_at` |
//! | `risk.broken_promises` | K5 | [`PromiseFacts::broken`] | count / `broken_promises_full_at` | count ≥ `broken_promises_critical_at` |
//! | `risk.slow_callbacks` | K5 | [`PromiseFacts::slow_callbacks`] | count / `slow_callbacks_full_at` | never |
//! | `risk.hanging_orders` | O4 | [`OrderFacts`]: hanging + partially complete | count / `hanging_orders_full_at` | never |
//! | `risk.single_threaded` | C3 | at least `single_thread_min_contacts` contacts naming a person, all the same person | 1 | never |
//! | `risk.no_next_service` | C8 | `next_service_planned: false` | 1 | never |
//! | `risk.low_p_alive` | K4 | the purchase model's P(alive) (not for plain BG/NBD without a repeat purchase, where it is 1 by construction) | (`p_alive_starts_below` − p) / `p_alive_starts_below` | p < `p_alive_critical_below` |
//!
//! # Arguments
//!
//! Each signal, next action and value reason carries its facts as typed
//! [`Args`](crate::text::Args) beside its English `sentence`, which is rendered from the
//! code and the arguments alone ([`text::english`](crate::text::english)): a host can
//! write its own language from the two. Dates are calendar dates in UTC; spans are the
//! policy's lengths as it states them.
//!
//! | code | arguments | sentence |
//! | --- | --- | --- |
//! | `risk.silence` | `days_silent` (count), `usual_gap_days` (number: the customer's own gap, or the policy's when `own_rhythm` is false), `own_rhythm` (flag), `contacts` (count; 0: never in contact), `known_since` (date, when never in contact and given) | "no contact for 94 days; usually every 30 days" |
//! | `risk.falling_frequency` | `recent_contacts` (count), `recent_window` (span), `expected_contacts` (number), `baseline_contacts` (count), `baseline_window` (span), `drop_percent` (count) | "1 contact in the last 90 days against 12.8 expected from the customer's own baseline (52 in the 365 days before): down 92 %" |
//! | `risk.unhappy_survey` | `unhappy_answers` (count), `lookback` (span), `survey` (id of the latest), `latest_score`, `scale_min`, `scale_max` (numbers), `latest_on` (date), `conversation_on` (date of the live conversation since, when there was one) | "1 unhappy survey answer in the last 180 days, the latest 3 on a 0-10 scale on 2026-06-04; no conversation with the customer since" |
//! | `risk.unanswered_follow_up` | `attempts` (count), `at_least` (flag: more were made than are tracked), `lookback` (span), `last_contact_on` (date, when the customer was ever in contact) | "2 follow-up attempts in the last 60 days without an answer; the customer was last in contact on 2026-06-04" |
//! | `risk.neglect` | `overdue_obligations`, `worst_days_overdue` (counts) | "2 contact obligations overdue, the worst by 41 days" |
//! | `risk.broken_promises` | `broken`, `promises` (counts: broken of all judged) | "2 of 9 promises broken" |
//! | `risk.slow_callbacks` | `slow_callbacks` (count) | "1 callback came later than promised" |
//! | `risk.hanging_orders` | `hanging`, `partially_complete` (counts) | "1 order left hanging and 2 partially complete" |
//! | `risk.single_threaded` | `contacts` (count), `person` (id of the one person) | "all 6 contacts were with one person" |
//! | `risk.no_next_service` | none | "no next service is planned" |
//! | `risk.low_p_alive` | `p_alive` (number), `model` (term: `bg_nbd`, `modified_bg_nbd`), `unit` (term: `days`, `weeks`), `repeat_purchases` (count), `since_last_purchase`, `customer_for` (numbers, in `unit`) | "P(alive) 0.03 by the modified BG/NBD model: 8 repeat purchases, the last 33.0 weeks ago, a customer for 38.0 weeks" |
//! | `risk.action.visit` | `expected_value` (amount), `currency` (term) | "visit in person: a quiet customer with 12000 USD of expected value, and the referrals that come with them" |
//! | `risk.action.catch_up_on_contact` | `overdue_obligations` (count) | "catch up on the 2 touches overdue, the oldest first" |
//! | the other actions | none | "plan the next service and agree its date with the customer" |
//! | `risk.value.referrals` ([`ValueCode`], in `value_reason_args`) | `referrals` (count), `referred_value` (amount a year), `currency` (term), `referral_share_percent` (number) | "referred 3 customers worth 9200.00 USD a year, 50 % of which counts" |
//!
//! # Score, bands, trend
//!
//! Each signal earns `weight × strength` points (weights in [`Weights`]). The score is
//! the sum, rounded half up and capped at 100, so it never falls when any one signal
//! grows. The points are computed in integer thousandths; the score is then split back
//! over the signals by the largest-remainder method (ties to the signal earlier in the
//! table), so the signals' integer `contribution`s add up to the score exactly. Bands:
//! healthy, watch from 25, at risk from 50, critical from 75 ([`Bands`]); any critical
//! signal puts the customer at least at risk (`raised_by_critical`). With a
//! `previous_score`, the [`Trend`] says rising, falling or steady (within 5 points).
//!
//! # Next actions
//!
//! | code | rule | answers |
//! | --- | --- | --- |
//! | `risk.action.manager_call` | C7 | an unhappy survey |
//! | `risk.action.call_until_reached` | C7 | unanswered follow-ups |
//! | `risk.action.visit` | K6 | silence, falling frequency or low P(alive) of a customer whose expected value is at least `visit_value_at_least`: one lost customer costs more than one customer, so a valuable one gets a visit, not a call |
//! | `risk.action.call` | K1 | the same, for other customers |
//! | `risk.action.catch_up_on_contact` | K3 | neglect |
//! | `risk.action.make_good_on_promises` | P6 | broken promises, slow callbacks |
//! | `risk.action.finish_open_orders` | O4 | hanging orders |
//! | `risk.action.meet_more_people` | C3 | a single-threaded relationship |
//! | `risk.action.plan_next_service` | C8 | no next service planned |
//!
//! One action per kind, for the strongest reason first.
//!
//! # Value at risk (K6)
//!
//! An account's expected future value is the host's `expected_value`, or, with both
//! models on the [`Scorer`], expected purchases over `value_horizon` × the Gamma-Gamma
//! expected spend per purchase (undiscounted, rounded to cents). Value at risk is that ×
//! score / 100, rounded to cents half away from zero. The report ranks the book by value
//! at risk (accounts without one after the others), then score, then account id.
//!
//! # Errors and findings
//!
//! Signals are findings in an `Ok` report. `Err` is for input the engine cannot use:
//! an empty book, a blank or repeated account, a previous score above 100, a purchase
//! summary with a negative frequency or a recency beyond the age, a negative expected
//! value, expected values in two currencies in one book (a ranking needs one), a policy
//! with impossible thresholds; for the models, data that cannot identify them (all
//! customers identical, nobody bought twice), a fit that does not converge, a horizon of
//! 0, or a quantity undefined at the parameters (a scorer refuses such a model when it is
//! added, so scoring a valid book does not fail on it later; the one exception is a
//! customer whose expected purchases overflow or whose series does not converge within
//! its term limit, an `Err` at `accounts[i].purchases`). Interactions and surveys are
//! read, not re-validated: every value of theirs has a meaning here. Interactions and
//! surveys after `now`, or of accounts not in the book, are skipped.
//!
//! # Which interactions count
//!
//! A *contact* (for silence, falling frequency and threading) is anything the customer
//! started ([`Interaction::is_from_customer`](crate::model::Interaction::is_from_customer),
//! even a voicemail: the customer reached out) or a live conversation
//! ([`is_conversation`](crate::model::Interaction::is_conversation)). An *unanswered
//! follow-up* is a staff member's outbound phone call or visit that got no answer or only
//! a message, after the customer's last contact. Automated messages and our own emails
//! count for neither: they say nothing about the customer.
//!
//! # JSON
//!
//! Input: a [`RiskPolicy`] (`{}` for the defaults), one [`AccountFacts`] per account
//! (see its docs), and the shared model's interactions and surveys. Output: a
//! [`RiskReport`] with one [`AccountRisk`] per account, each with its [`Signal`]s
//! (`{"code": "risk.silence", "rule": "K1", "path": "interactions", "value": 94.0,
//! "strength": 0.43, "contribution": 13, "critical": true, "args": {"days_silent":
//! {"count": 94}, ...}, "sentence": "..."}`) and [`NextAction`]s, each with its
//! [arguments](#arguments).

mod input;
pub mod models;
mod policy;
mod report;
mod score;

pub use input::{AccountFacts, CadenceFacts, OrderFacts, PromiseFacts, ScoreInput};
pub(crate) use policy::upgrade_old_names;
pub use policy::{Bands, MAX_TRACKED_FOLLOW_UPS, RiskPolicy, Weights};
pub use report::{
    AccountRisk, ActionCode, Band, BandCounts, Direction, NextAction, RiskReport, Signal,
    SignalCode, Trend, ValueCode,
};
pub use score::Scorer;
