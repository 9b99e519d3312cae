//! The English of every code, one file per engine, each rendering from the code and its
//! arguments alone.

use super::Args;

mod orders;
mod risk;

/// The sentence of `code` with `args`; `None` for a code the crate does not have.
pub(super) fn render(code: &str, args: &Args) -> Option<String> {
    // The risk engine renders a verdict per signal and action of every account: its
    // codes skip the other families' look-ups.
    if code.starts_with("risk.") {
        return risk::render(code, args);
    }
    if let Some(c) = crate::orders::FindingCode::from_code(code) {
        return orders::finding(c, args);
    }
    None
}
