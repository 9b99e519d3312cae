//! One integration-test binary (`autotests = false` in Cargo.toml), so the suite links once.
//!
//! - `calendar_scenarios`: the business calendar, told as the trade tells it.
//! - `calendar_bad_input`: every kind of unusable calendar input and the code it gets.
//! - `calendar_props`: invariants against an independent, slow reference calendar.
//! - `model_scenarios`: the shared model, told as the practice tells it.
//! - `model_props`: invariants of the model (no panics, no drift, JSON round trips).
//! - `promises_scenarios`: the promise ledger, told as the practice tells it (P1-P6).
//! - `promises_bad_input`: every kind of unusable ledger input and the code and path it gets.
//! - `promises_props`: invariants of the ledger (later delivery never helps, no event counted twice, deterministic order).

mod calendar_bad_input;
mod calendar_props;
mod calendar_scenarios;
mod model_props;
mod model_scenarios;
mod promises_bad_input;
mod promises_props;
mod promises_scenarios;
