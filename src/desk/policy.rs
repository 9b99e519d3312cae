//! What the daily agenda lists: the desk's own small policy.

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, FieldPath, Problems};
use crate::model::Span;
use crate::orders::Severity;
use crate::risk::Band;
use crate::risk::models::{PurchaseModel, PurchaseParams, TimeUnit, Variant};
use crate::risk::{RiskPolicy, Scorer};

/// What the daily [`Agenda`](super::Agenda) lists, beyond what the engines decide.
///
/// ```json
/// {"recent": {"days": 7}, "at_risk_from": "watch", "orders_from": "warning",
///  "opportunity_lookback": {"days": 90}, "after_care_lookback": {"days": 90},
///  "purchase_model": {"kind": "fit", "variant": "modified_bg_nbd", "sample": 2000, "penalizer": 0.01}}
/// ```
///
/// Every field may be left out; the defaults are shown.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct DeskPolicy {
    /// A promise broken and closed within this span before `now` stays on the agenda, so
    /// someone owns the apology (P6), and so does one the customer cancelled or
    /// renegotiated (P5); a broken one still open stays until it is closed. Default 7
    /// days.
    pub recent: Span,
    /// The lowest risk band listed among the customers at risk. Default `watch`.
    pub at_risk_from: Band,
    /// An open order is listed when one of its findings is at least this severe (or it
    /// is on hold or partly done, O4). Default `warning`.
    pub orders_from: Severity,
    /// Opportunities technicians observed within this span before `now` are listed (O7):
    /// observed when the order was completed, or, for an order never completed, at its
    /// last status change. Default 90 days.
    pub opportunity_lookback: Span,
    /// A closed order completed within this span before `now` is still checked for its
    /// after care (O8, O9: thanks, referral, feedback, next service) until each is
    /// recorded or waived with a reason; an order completed earlier is history. A
    /// cancelled order is listed while `recent` lasts when its first contact did not
    /// ask for the work (O1). Default 90 days.
    pub after_care_lookback: Span,
    /// The purchase model behind P(alive) (K4). Default: fitted on the book.
    pub purchase_model: PurchaseModelChoice,
}

/// Where the desk's purchase model comes from (K4: customers who leave rarely say why,
/// so the model reads it from their purchase rhythm).
///
/// Each completed order is a purchase, at its completion, measured in weeks: a customer's
/// repeat purchases, the time from their first to their last, and the time since their
/// first. With a model, each customer with a completed order gets P(alive) and, when it
/// is low, the `risk.low_p_alive` signal.
///
/// ```json
/// {"kind": "fit", "variant": "modified_bg_nbd", "sample": 2000, "penalizer": 0.01}
/// {"kind": "given", "variant": "bg_nbd", "params": {"r": 0.24, "alpha": 4.41, "a": 0.79, "b": 2.43}}
/// {"kind": "none"}
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum PurchaseModelChoice {
    /// No purchase model: K4 is not scored.
    None {},
    /// Fit the model on the book: on at most `sample` customers with a completed order,
    /// spread evenly over the book (fitting needs the whole book's rhythm, not all of
    /// it; a host that splits a book fits once and passes the result as `given`). A book
    /// that cannot identify the model (too few repeat customers) is scored without it,
    /// and the agenda says why.
    Fit {
        /// The model's form.
        #[serde(default)]
        variant: Variant,
        /// The most customers the fit reads (default 2,000).
        #[serde(default = "default_sample")]
        sample: u32,
        /// The L2 penalizer on the log-parameters (default 0.01), which keeps a small
        /// book's fit from running away.
        #[serde(default = "default_penalizer")]
        penalizer: f64,
    },
    /// Use a model fitted elsewhere (on the whole book, or on last month's data).
    Given {
        /// The model's form.
        variant: Variant,
        /// Its parameters, in weeks.
        params: PurchaseParams,
    },
}

impl DeskPolicy {
    /// Checks the policy.
    ///
    /// # Errors
    /// `model.span_not_fixed` at `recent`, `opportunity_lookback` or
    /// `after_care_lookback` for months or business days (each is a fixed length);
    /// `risk.invalid_parameter` at `purchase_model.sample` for a sample of 0 and at
    /// `purchase_model.penalizer` for a penalizer that is negative or not a number; for a
    /// `given` model, its own checks (`risk.invalid_parameter`, `risk.model_undefined`)
    /// under `purchase_model`.
    pub fn validate(&self) -> Result<(), Error> {
        let spans = Problems::collect(|p| {
            for (name, span) in [
                ("recent", self.recent),
                ("opportunity_lookback", self.opportunity_lookback),
                ("after_care_lookback", self.after_care_lookback),
            ] {
                crate::model::check_fixed(span, FieldPath::root().field(name), p);
            }
        });
        let at = || FieldPath::root().field("purchase_model");
        let model = match self.purchase_model {
            PurchaseModelChoice::None {} => Ok(()),
            PurchaseModelChoice::Fit {
                sample, penalizer, ..
            } => Problems::collect(|p| {
                if sample == 0 {
                    p.push(
                        ErrorKind::RiskInvalidParameter,
                        at().field("sample"),
                        "a fit needs at least one customer to read",
                    );
                }
                if !(penalizer.is_finite() && penalizer >= 0.0) {
                    p.push(
                        ErrorKind::RiskInvalidParameter,
                        at().field("penalizer"),
                        format!("the penalizer {penalizer} is not a finite number of 0 or more"),
                    );
                }
            }),
            PurchaseModelChoice::Given { variant, params } => PurchaseModel::new(variant, params)
                .and_then(|m| {
                    Scorer::new(RiskPolicy::default())?.with_purchase_model(m, TimeUnit::Weeks)
                })
                .map(|_| ())
                .map_err(|e| e.under(&at())),
        };
        // Every problem at once: the spans' and the purchase model's.
        Problems::collect(|p| {
            p.absorb(spans);
            p.absorb(model);
        })
    }
}

fn default_sample() -> u32 {
    2_000
}

fn default_penalizer() -> f64 {
    0.01
}

impl Default for PurchaseModelChoice {
    fn default() -> Self {
        PurchaseModelChoice::Fit {
            variant: Variant::default(),
            sample: default_sample(),
            penalizer: default_penalizer(),
        }
    }
}

impl Default for DeskPolicy {
    fn default() -> DeskPolicy {
        DeskPolicy {
            recent: Span::Days(7),
            at_risk_from: Band::Watch,
            orders_from: Severity::Warning,
            opportunity_lookback: Span::Days(90),
            after_care_lookback: Span::Days(90),
            purchase_model: PurchaseModelChoice::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_of_a_desk_policy_is_reported_at_once() {
        let policy = DeskPolicy {
            recent: Span::Months(1),
            purchase_model: PurchaseModelChoice::Fit {
                variant: Variant::default(),
                sample: 0,
                penalizer: default_penalizer(),
            },
            ..DeskPolicy::default()
        };
        let e = policy.validate().unwrap_err();
        let got: Vec<_> = e.codes_and_paths();
        assert_eq!(
            got,
            [
                ("model.span_not_fixed", "recent".to_string()),
                (
                    "risk.invalid_parameter",
                    "purchase_model.sample".to_string()
                ),
            ]
        );
    }
}
