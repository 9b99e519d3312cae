//! One integration-test binary (`autotests = false` in Cargo.toml), so the suite links once.
//!
//! - `calendar_scenarios`: the business calendar, told as the trade tells it.
//! - `calendar_bad_input`: every kind of unusable calendar input and the code it gets.
//! - `calendar_props`: invariants against an independent, slow reference calendar.
//! - `model_scenarios`: the shared model, told as the practice tells it.
//! - `model_props`: invariants of the model (no panics, no drift, JSON round trips).
//! - `risk_scenarios`: at-risk scoring told as the practice tells it (K1-K6), and the models
//!   against the published CDNOW estimates (`data/cdnow_summary.txt`) and simulated worlds.
//! - `risk_bad_input`: every kind of unusable risk input and the code and path it gets.
//! - `risk_props`: exact contributions, risk that never falls when a signal worsens,
//!   order independence, JSON round trips, no NaN, fits that recover simulated parameters.
//! - `risk_sim`: a splitmix64 PRNG, BG/NBD and Gamma-Gamma simulators and the CDNOW
//!   loader, shared with `benches/risk.rs`.

mod calendar_bad_input;
mod calendar_props;
mod calendar_scenarios;
mod model_props;
mod model_scenarios;
mod risk_bad_input;
mod risk_props;
mod risk_scenarios;
mod risk_sim;
