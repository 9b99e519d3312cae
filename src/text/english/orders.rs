//! The English of the order findings.

use std::fmt::Write as _;

use crate::orders::FindingCode as C;
use crate::text::{Args, Facts};

/// The sentence of an order finding.
pub(super) fn finding(code: C, args: &Args) -> Option<String> {
    let a = Facts::of(args);
    let mut s = String::with_capacity(96);
    let _ = match code {
        C::TransitionNotAllowed => write!(
            s,
            "an order that is {} cannot move to {}",
            a.show("from"),
            a.show("to")
        ),
        _ => return None,
    };
    Some(s)
}
