//! The Rust half of the `retention` Python package: the extension module
//! `retention._retention`, which the pure-Python `retention` package re-exports.
//!
//! The binding is thin on purpose. Every rule, check and number comes from the
//! `retention` crate; this crate only converts values at the boundary (JSON text, an
//! aware `datetime`, numpy columns of customers), releases the GIL while the crate works,
//! and turns the crate's `Error` into `retention.BookError`.
//!
//! - `desk.rs`: `Book` and `Agenda` (the daily desk over the JSON contract).
//! - `models.rs`: the purchase and spend models over columns of customers.
//! - `partials.rs`: `LikelihoodPartial` and the optimizer over a Python function
//!   summing partials (fits spread over machines).
//! - `errors.rs`: `BookError`, `Problem`, and the conversion from the crate's `Error`.
#![forbid(unsafe_code)]

mod desk;
mod errors;
mod models;
mod partials;

use pyo3::prelude::*;

/// Customer-retention rules for service businesses, from Rust: the daily desk over a
/// book of JSON, and the BG/NBD, Pareto/NBD and Gamma-Gamma models over numpy columns.
#[pymodule]
mod _retention {
    #[pymodule_export]
    use crate::errors::{BookError, Problem};

    #[pymodule_export]
    use crate::desk::{Agenda, Book, synthetic_book};

    #[pymodule_export]
    use crate::partials::LikelihoodPartial;

    #[pymodule_export]
    use crate::models::{FitOptions, FitReport, ParetoModel, PurchaseModel, SpendModel};
}
