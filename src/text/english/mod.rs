//! The English of every code, one file per engine, each rendering from the code and its
//! arguments alone.

use super::Args;

mod orders;
mod risk;

/// The sentence of `code` with `args`; `None` for a code the crate does not have.
pub(super) fn render(code: &str, args: &Args) -> Option<String> {
    if let Some(c) = crate::orders::FindingCode::from_code(code) {
        return orders::finding(c, args);
    }
    if let Some(c) = crate::risk::SignalCode::from_code(code) {
        return risk::signal(c, args);
    }
    if let Some(c) = crate::risk::ActionCode::from_code(code) {
        return risk::action(c, args);
    }
    if let Some(c) = crate::risk::ValueCode::from_code(code) {
        return risk::value(c, args);
    }
    None
}
