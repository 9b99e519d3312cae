//! The English of every code, one file per engine, each rendering from the code and its
//! arguments alone.

use super::Args;

mod cadence;
pub(crate) mod orders;
mod promises;
mod risk;

/// The sentence of `code` with `args`; `None` for a code the crate does not have.
pub(super) fn render(code: &str, args: &Args) -> Option<String> {
    // Each family's codes share a prefix (`risk.`, `cadence.`, `promises.`; the order
    // checks' are their checks' names): one family's look-up per sentence, not a scan of
    // every family's codes.
    if code.starts_with("risk.") {
        return risk::render(code, args);
    }
    if code.starts_with("cadence.") {
        // Contact cadence: obligations, explanations, and a due item's own line.
        if let Some(k) = crate::cadence::ObligationCode::from_code(code) {
            return cadence::obligation(k, args);
        }
        if let Some(c) = crate::cadence::ExplanationCode::from_code(code) {
            return cadence::explanation(c, args);
        }
        if code == crate::cadence::DueItem::CODE {
            return cadence::due_item(args);
        }
        return None;
    }
    if code.starts_with("promises.") {
        return crate::promises::VerdictCode::from_code(code)
            .and_then(|c| promises::verdict(c, args));
    }
    if let Some(c) = crate::orders::FindingCode::from_code(code) {
        return Some(orders::finding(c, args));
    }
    None
}
