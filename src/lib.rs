//! PLACEHOLDER crate docs (rewritten below once the calendar lands).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod calendar;
mod error;
pub mod model;

pub use error::{Error, ErrorKind, FieldPath, Problem};
