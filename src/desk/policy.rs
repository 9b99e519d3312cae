//! What the daily agenda lists: the desk's own small policy.

use serde::{Deserialize, Serialize};

use crate::model::Span;
use crate::orders::Severity;
use crate::risk::Band;

/// What the daily [`Agenda`](super::Agenda) lists, beyond what the engines decide.
///
/// ```json
/// {"broken_lookback": {"days": 7}, "at_risk_from": "watch", "orders_from": "warning",
///  "opportunity_lookback": {"days": 90}}
/// ```
///
/// Every field may be left out; the defaults are shown.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct DeskPolicy {
    /// A promise broken (or kept late) and closed within this span before `now` stays on
    /// the agenda, so someone owns the apology (P6); one still open stays until it is
    /// closed. Default 7 days.
    pub broken_lookback: Span,
    /// The lowest risk band listed among the customers at risk. Default `watch`.
    pub at_risk_from: Band,
    /// An open order is listed when one of its findings is at least this severe (or it
    /// is on hold or partly done, O4). Default `warning`.
    pub orders_from: Severity,
    /// Opportunities technicians observed within this span before `now` are listed (O7);
    /// those recorded without a time always are. Default 90 days.
    pub opportunity_lookback: Span,
}

impl Default for DeskPolicy {
    fn default() -> DeskPolicy {
        DeskPolicy {
            broken_lookback: Span::Days(7),
            at_risk_from: Band::Watch,
            orders_from: Severity::Warning,
            opportunity_lookback: Span::Days(90),
        }
    }
}
