//! One integration-test binary (`autotests = false` in Cargo.toml), so the suite links once.
//!
//! - `bad_input_catalogue`: every row of the catalogue of bad input (`src/bad_input.md`)
//!   fed to its entry point, and the catalogue held to exactly those rows and every code.
//! - `cadence_scenarios`: the contact cadence planner, told as the practice tells it.
//! - `cadence_bad_input`: every kind of unusable cadence input and the code it gets.
//! - `cadence_props`: invariants of the plan (input order, new touches, determinism).
//! - `calendar_scenarios`: the business calendar, told as the trade tells it.
//! - `calendar_bad_input`: every kind of unusable calendar input and the code it gets.
//! - `calendar_props`: invariants against an independent, slow reference calendar.
//! - `desk_fixture`: a small heating company with one thing for each part of the agenda.
//! - `desk_scenarios`: the daily desk, told as a service manager would tell it.
//! - `desk_bad_input`: every kind of unusable book and the code and path it gets.
//! - `desk_sample`: the README's sample business shows every rule of the practice, and
//!   its agenda's text reads as people write (issue 15's "done when": no UTC or RFC 3339
//!   instant, no "1 days", no "(s)", no sentence over 200 characters, args beside each).
//! - `trust_scenarios`: the first day with real data (issue 14): a first import, lapsed
//!   personal touches, O1 and after-care findings, segments, one view of silence.
//! - `desk_props`: the agenda is the same, byte for byte, whatever the order of the lists.
//! - `hardening_props`: every public entry point on books and policies pushed to their
//!   edges (chrono's limits, one open minute a week, spans of 0 and `u32::MAX`, duplicate
//!   and dangling ids, empty books, extreme floats) answers or gives coded problems, with
//!   no NaN and in bounded time; a million interactions for one person; the risk report
//!   and the cadence plan ignore input order, the ledger and the order checks follow it.
//! - `display_names`: every public enum a host prints displays what its JSON says.
//! - `model_scenarios`: the shared model, told as the practice tells it.
//! - `model_props`: invariants of the model (no panics, no drift, JSON round trips).
//! - `orders_fixture`: a service order done by the book, for the orders tests to take apart.
//! - `orders_scenarios`: order completeness (O1-O9), told as the practice tells it.
//! - `orders_bad_input`: every kind of unusable order or policy and the code and path it gets.
//! - `orders_props`: order invariants (supplying information never adds a blocker,
//!   deterministic order, JSON round trips, no panics).
//! - `promises_scenarios`: the promise ledger, told as the practice tells it (P1-P6).
//! - `promises_bad_input`: every kind of unusable ledger input and the code and path it gets.
//! - `promises_props`: invariants of the ledger (later delivery never helps, no event counted twice, deterministic order).
//! - `risk_scenarios`: at-risk scoring told as the practice tells it (K1-K6), and the models
//!   against the published CDNOW estimates (`data/cdnow_summary.txt`) and simulated worlds.
//! - `risk_models`: the models' calls for lifetimes users: limits where closed forms are
//!   0/0, runaway fits, weighted and split fits, standard errors, lifetime value.
//! - `risk_bad_input`: every kind of unusable risk input and the code and path it gets.
//! - `render`: what the render-from-arguments tests share: a verdict's sentence is its
//!   arguments' English, with no fact they lack, and a second (telegraph) form per code.
//! - `render_orders`: every order finding code, rendered from its arguments alone.
//! - `render_cadence`: every cadence obligation, due item and explanation renders from its
//!   arguments alone (issue 15), over a corpus that shows every code.
//! - `render_promises`: every promise code renders from its arguments (a telegraph each, a corpus showing them all).
//! - `render_risk`: every risk signal and next action rendered from its arguments alone.
//! - `props`: what the property tests share (their proptest settings, a shuffling PRNG).
//! - `risk_props`: exact contributions, risk that never falls when a signal worsens,
//!   order independence, JSON round trips, no NaN, fits at least as likely as the truth.
//! - `risk_sim`: a splitmix64 PRNG, BG/NBD and Gamma-Gamma simulators and the CDNOW
//!   loader, shared with `benches/risk.rs`.
//! - `schema` (feature `schemars`): the committed JSON Schemas are in step with the types
//!   and shaped for code generators (titled, discriminated, no rustdoc links); validating
//!   instances against them is `schema/check/`'s work.

mod bad_input_catalogue;
mod cadence_bad_input;
mod cadence_props;
mod cadence_scenarios;
mod cadence_spans;
mod calendar_bad_input;
mod calendar_props;
mod calendar_scenarios;
mod construction;
mod desk_bad_input;
mod desk_fixture;
mod desk_props;
mod desk_sample;
mod desk_scenarios;
mod desk_versions;
mod display_names;
mod hardening_props;
mod model_props;
mod model_scenarios;
mod orders_bad_input;
mod orders_fixture;
mod orders_props;
mod orders_scenarios;
mod promises_bad_input;
mod promises_props;
mod promises_scenarios;
mod props;
mod render;
mod render_cadence;
mod render_orders;
mod render_promises;
mod render_risk;
mod risk_bad_input;
mod risk_models;
mod risk_props;
mod risk_scenarios;
mod risk_sim;
#[cfg(feature = "schemars")]
mod schema;
mod trust_scenarios;
