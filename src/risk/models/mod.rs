//! Statistical models of "is this customer still buying, and what will they spend":
//! BG/NBD and its modified form ([`PurchaseModel`]), Pareto/NBD ([`ParetoModel`]) and
//! Gamma-Gamma ([`SpendModel`]).
//!
//! Both are fitted by maximum likelihood from one [`PurchaseSummary`] per customer
//! (frequency = repeat purchases, recency = time of the last purchase since the first,
//! age = time since the first purchase; all times in one [`TimeUnit`] of the host's
//! choosing). The fits are deterministic (a hand-written BFGS over log-parameters with
//! analytic gradients, always from the same start), collapse duplicate rows into weights,
//! converge without a penalizer on data that identify the parameters, and work in log
//! space (`ln Γ`, softplus, a log-space hypergeometric series), so they never return a
//! NaN: a quantity that cannot be computed is an `Err` with a code.
//!
//! | model | what it gives | reference |
//! | --- | --- | --- |
//! | [`PurchaseModel`] with [`Variant::BgNbd`] | P(alive), expected purchases over a horizon | Fader, Hardie & Lee (2005), "Counting your customers the easy way" |
//! | [`PurchaseModel`] with [`Variant::ModifiedBgNbd`] | the same; a customer can also drop out before a repeat purchase | Batislam, Denizel & Filiztekin (2007) |
//! | [`ParetoModel`] (Pareto/NBD) | the same, with lifetimes in continuous time; fitted with finite-difference gradients | Schmittlein, Morrison & Colombo (1987); Fader, Hardie & Lee (2005), "A note on deriving the Pareto/NBD model" |
//! | [`SpendModel`] (Gamma-Gamma) | expected average spend per purchase | Fader, Hardie & Lee (2005), "RFM and CLV" |
//!
//! On the CDNOW sample of 2,357 customers (weeks) the fits reproduce the published
//! estimates to the printed digits: BG/NBD r = 0.243, α = 4.414, a = 0.793, b = 2.426
//! (log-likelihood −9582.4); Pareto/NBD r = 0.553, α = 10.578, s = 0.606, β = 11.669
//! (−9595.0; the fit lands at β = 11.668, where the likelihood is flat); Gamma-Gamma
//! p = 6.25, q = 3.74, γ = 15.44. The tests check this, and that fits recover the
//! parameters of worlds simulated with known ones. The scorer takes a [`PurchaseModel`];
//! a Pareto/NBD model is for hosts who compare the two.
//!
//! ```
//! use retention::risk::models::{FitOptions, PurchaseModel, PurchaseSummary, Variant};
//!
//! // (frequency, recency, age) in weeks.
//! let book: Vec<PurchaseSummary> = [
//!     (0, 0.0, 38.9), (2, 30.4, 38.9), (1, 1.7, 38.9), (7, 29.4, 38.9), (1, 5.0, 38.9),
//!     (0, 0.0, 38.7), (5, 24.4, 38.7), (10, 34.1, 38.7), (0, 0.0, 38.6), (3, 28.3, 38.6),
//!     (0, 0.0, 38.4), (1, 35.7, 38.4), (2, 14.6, 38.3), (0, 0.0, 38.1), (1, 4.9, 38.0),
//! ]
//! .iter()
//! .map(|&(x, t_x, t)| PurchaseSummary::new(x, t_x, t))
//! .collect();
//! let fit = PurchaseModel::fit(&book, Variant::ModifiedBgNbd, &FitOptions::default())?;
//! let model = fit.model;
//! let p_quiet = model.p_alive(&PurchaseSummary::new(7, 10.0, 38.9))?;
//! let p_busy = model.p_alive(&PurchaseSummary::new(7, 38.0, 38.9))?;
//! assert!(p_quiet < p_busy);
//! assert!(model.expected_purchases(&PurchaseSummary::new(7, 38.0, 38.9), 52.0)? > 0.0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod bgnbd;
mod fitting;
mod gamma_gamma;
mod optim;
mod pareto;
pub(crate) mod special;

pub use bgnbd::{PurchaseModel, PurchaseParams, Variant};
pub use fitting::{Estimate, LikelihoodPartial};
pub use gamma_gamma::{SpendModel, SpendParams};
pub use pareto::{ParetoModel, ParetoParams};

use std::collections::HashMap;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rustc_hash::FxBuildHasher;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, FieldPath, Problems};

/// The unit every time in a [`PurchaseSummary`] (and a horizon) is measured in. The
/// fitted parameter `α` and the log-likelihood are in this unit. In JSON: `"days"` or
/// `"weeks"`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    /// Days of 24 hours.
    Days,
    /// Weeks of 7 days (the unit of the published CDNOW results).
    #[default]
    Weeks,
}

impl TimeUnit {
    /// The unit's name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            TimeUnit::Days => "days",
            TimeUnit::Weeks => "weeks",
        }
    }

    /// Seconds in one unit.
    pub fn seconds(self) -> f64 {
        match self {
            TimeUnit::Days => 86_400.0,
            TimeUnit::Weeks => 604_800.0,
        }
    }
}

crate::codes::display_as_str!(TimeUnit);

/// One customer's purchase history, summarised the way the models read it. In JSON:
/// `{"frequency": 2, "recency": 30.43, "age": 38.86, "average_spend": "22.35"}`.
///
/// - `frequency`: repeat purchases (purchases after the first; 0 for a one-time buyer).
/// - `recency`: the time from the first purchase to the last one (0 when `frequency` is 0).
/// - `age`: the time from the first purchase to the end of the observation ("T").
/// - `average_spend`: the mean value of the repeat purchases, for the spend model.
///
/// Times are in the [`TimeUnit`] the host fits and asks in. `frequency` is signed so a
/// negative count from a host's query reads and is refused with a path, not lost in a
/// JSON type error.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PurchaseSummary {
    /// Repeat purchases.
    pub frequency: i64,
    /// Time from the first to the last purchase.
    pub recency: f64,
    /// Time from the first purchase to the end of observation.
    pub age: f64,
    /// Mean value of the repeat purchases.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_spend: Option<Decimal>,
}

impl PurchaseSummary {
    /// A summary without spend.
    pub fn new(frequency: i64, recency: f64, age: f64) -> PurchaseSummary {
        PurchaseSummary {
            frequency,
            recency,
            age,
            average_spend: None,
        }
    }

    /// The same summary with the mean value of its repeat purchases.
    #[must_use]
    pub fn with_average_spend(mut self, average_spend: Decimal) -> PurchaseSummary {
        self.average_spend = Some(average_spend);
        self
    }

    /// Checks the summary on its own; every problem is reported at once.
    ///
    /// # Errors
    /// `risk.negative_frequency` (`frequency`), `risk.invalid_time` (`recency` or `age`
    /// negative or not finite), `risk.recency_beyond_age` (`recency`),
    /// `risk.recency_without_repeat` (`recency` above 0 with `frequency` 0),
    /// `risk.invalid_spend` (`average_spend` negative).
    pub fn validate(&self) -> Result<(), Error> {
        Problems::collect(|p| self.check(p))
    }

    pub(crate) fn is_valid(&self) -> bool {
        self.frequency >= 0
            && self.recency.is_finite()
            && self.age.is_finite()
            && self.recency >= 0.0
            && self.recency <= self.age
            && (self.frequency > 0 || self.recency == 0.0)
            && self.average_spend.is_none_or(|s| s >= Decimal::ZERO)
    }

    pub(crate) fn check(&self, problems: &mut Problems) {
        if self.is_valid() {
            return;
        }
        if self.frequency < 0 {
            problems.push(
                ErrorKind::RiskNegativeFrequency,
                FieldPath::root().field("frequency"),
                format!("the frequency {} is negative", self.frequency),
            );
        }
        let mut times_ok = true;
        for (name, v) in [("recency", self.recency), ("age", self.age)] {
            if !v.is_finite() || v < 0.0 {
                times_ok = false;
                problems.push(
                    ErrorKind::RiskInvalidTime,
                    FieldPath::root().field(name),
                    format!("the {name} {v} is not a finite time of 0 or more"),
                );
            }
        }
        if times_ok && self.recency > self.age {
            problems.push(
                ErrorKind::RiskRecencyBeyondAge,
                FieldPath::root().field("recency"),
                format!(
                    "the last purchase ({} after the first) lies beyond the customer's age ({})",
                    self.recency, self.age
                ),
            );
        }
        if times_ok && self.frequency == 0 && self.recency != 0.0 {
            problems.push(
                ErrorKind::RiskRecencyWithoutRepeat,
                FieldPath::root().field("recency"),
                format!(
                    "a customer without repeat purchases has recency 0, not {}",
                    self.recency
                ),
            );
        }
        if let Some(s) = self.average_spend.filter(|s| *s < Decimal::ZERO) {
            problems.push(
                ErrorKind::RiskInvalidSpend,
                FieldPath::root().field("average_spend"),
                format!("the average spend {s} is negative"),
            );
        }
    }
}

/// Checks every summary of a book, with paths `customers[i]`; an empty book is refused,
/// and so is a summary that is valid on its own but inconsistent as a row of a book to
/// fit: repeat purchases with recency 0 (the repeat purchases were made at the first
/// one's instant), or age 0 (observed for no time).
pub(crate) fn check_book(book: &[PurchaseSummary]) -> Result<(), Error> {
    check_rows(book, None, true)
}

/// [`check_book`] for the spend model, which reads only a row's frequency and average
/// spend: its recency and age need not be consistent with them (a host often passes 0
/// for both).
pub(crate) fn check_spend_book(book: &[PurchaseSummary]) -> Result<(), Error> {
    check_rows(book, None, false)
}

/// [`check_book`] with a weight per row (`weights[i]`, finite and above 0, as many as
/// rows).
pub(crate) fn check_weighted_book(
    book: &[PurchaseSummary],
    weights: Option<&[f64]>,
) -> Result<(), Error> {
    check_rows(book, weights, true)
}

/// The checks of a book to fit: each summary, and with `timing` the consistency of its
/// recency and age with its purchases (for the purchase models, which read them).
fn check_rows(
    book: &[PurchaseSummary],
    weights: Option<&[f64]>,
    timing: bool,
) -> Result<(), Error> {
    let mut problems = Problems::new();
    if book.is_empty() {
        problems.push(
            ErrorKind::RiskEmptyBook,
            FieldPath::root().field("customers"),
            "the book has no customers to fit",
        );
    }
    for (i, c) in book.iter().enumerate() {
        let start = problems.len();
        c.check(&mut problems);
        if timing && c.is_valid() {
            c.check_as_row(&mut problems);
        }
        problems.place_since(start, || FieldPath::root().field("customers").index(i));
    }
    if let Some(w) = weights {
        if w.len() != book.len() {
            problems.push(
                ErrorKind::RiskInvalidWeight,
                FieldPath::root().field("weights"),
                format!("{} weights for {} customers", w.len(), book.len()),
            );
        }
        for (i, &v) in w.iter().enumerate() {
            if !(v.is_finite() && v > 0.0) {
                problems.push(
                    ErrorKind::RiskInvalidWeight,
                    FieldPath::root().field("weights").index(i),
                    format!("the weight {v} is not a finite number of customers above 0"),
                );
            }
        }
    }
    problems.finish()
}

impl PurchaseSummary {
    /// The checks of a row of a book to fit, on a summary valid on its own.
    fn check_as_row(&self, problems: &mut Problems) {
        if self.frequency > 0 && self.recency == 0.0 {
            problems.push(
                ErrorKind::RiskInconsistentSummary,
                FieldPath::root().field("recency"),
                format!(
                    "{} repeat purchases with recency 0: repeat purchases come after the first one",
                    self.frequency
                ),
            );
        }
        if self.age == 0.0 {
            problems.push(
                ErrorKind::RiskInconsistentSummary,
                FieldPath::root().field("age"),
                "a customer of age 0 has been observed for no time",
            );
        }
    }
}

/// Options of a fit. In JSON: `{"penalizer": 0.0, "max_iterations": 500, "time_unit":
/// "weeks"}` (every field optional).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct FitOptions {
    /// L2 penalizer on the log-parameters (`λ Σ (ln θ)²`, added to the mean negative
    /// log-likelihood). 0 (the default) fits the plain maximum likelihood; a small value
    /// (0.001 to 0.1) keeps every parameter away from both 0 and infinity on data that
    /// cannot identify it. (The `lifetimes` library penalizes `θ²`, which cannot stop a
    /// parameter running to 0.)
    pub penalizer: f64,
    /// The most quasi-Newton iterations.
    pub max_iterations: u32,
    /// The unit of the data's times, reported with the fit.
    pub time_unit: TimeUnit,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            penalizer: 0.0,
            max_iterations: 500,
            time_unit: TimeUnit::Weeks,
        }
    }
}

impl FitOptions {
    /// Options with this L2 penalizer.
    #[must_use]
    pub fn with_penalizer(mut self, penalizer: f64) -> FitOptions {
        self.penalizer = penalizer;
        self
    }

    /// Options with this time unit.
    #[must_use]
    pub fn with_time_unit(mut self, time_unit: TimeUnit) -> FitOptions {
        self.time_unit = time_unit;
        self
    }

    fn check(&self) -> Result<(), Error> {
        Problems::collect(|p| {
            if !(self.penalizer.is_finite() && self.penalizer >= 0.0) {
                p.push(
                    ErrorKind::RiskInvalidParameter,
                    FieldPath::root().field("penalizer"),
                    format!(
                        "the penalizer {} is not a finite number of 0 or more",
                        self.penalizer
                    ),
                );
            }
            if self.max_iterations == 0 {
                p.push(
                    ErrorKind::RiskInvalidParameter,
                    FieldPath::root().field("max_iterations"),
                    "a fit needs at least one iteration",
                );
            }
        })
    }
}

/// How a fit went: the model, the log-likelihood of the data in the data's own time
/// unit, and the work done.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct FitReport<M> {
    /// The fitted model.
    pub model: M,
    /// The log-likelihood of the whole book at the fitted parameters (the sum over
    /// customers, penalizer excluded). For the purchase models it includes the density
    /// of the last purchase time, so it depends on the time unit: the same data in days
    /// and in weeks differ by `Σ frequency × ln 7`.
    pub log_likelihood: f64,
    /// The unit of the data's times.
    pub time_unit: TimeUnit,
    /// Customers in the book.
    pub customers: usize,
    /// Distinct rows after collapsing duplicates into weights.
    pub distinct_rows: usize,
    /// Quasi-Newton iterations used.
    pub iterations: u32,
    /// Evaluations of the log-likelihood and its gradient.
    pub evaluations: u32,
    /// The largest component of the gradient of the mean negative log-likelihood with
    /// respect to the log-parameters at the end.
    pub gradient_max: f64,
    /// Each parameter with its standard error and 95 % interval, in the model's order
    /// (lifetimes' `summary`; see [`Estimate`]).
    pub summary: Vec<Estimate>,
}

impl<M> FitReport<M> {
    /// The report of a driven fit.
    pub(crate) fn from_driven<const N: usize>(
        model: M,
        driven: fitting::Driven<N>,
        options: &FitOptions,
        customers: usize,
        distinct_rows: usize,
    ) -> FitReport<M> {
        FitReport {
            model,
            log_likelihood: driven.log_likelihood,
            time_unit: options.time_unit,
            customers,
            distinct_rows,
            iterations: driven.min.iterations,
            evaluations: driven.min.evaluations,
            gradient_max: driven.min.grad_max,
            summary: driven.summary,
        }
    }

    /// The standard error of each parameter, in the model's order.
    pub fn standard_errors(&self) -> Vec<f64> {
        self.summary.iter().map(|e| e.standard_error).collect()
    }
}

/// How a customer lifetime value is discounted and over how long, with the convention
/// of the lifetimes library's `customer_lifetime_value`: the value is summed month by
/// month, `Σ_{i=1..months} spend × (E[Y(i·m)] − E[Y((i−1)·m)]) / (1 + d)^i`, where `m` is
/// the number of the data's time units in a month (`units_per_month`: lifetimes' `freq`
/// of `"D"` is 30, `"W"` 4.345, `"M"` 1, `"H"` 720), `d` the **monthly** discount rate
/// (lifetimes' `discount_rate`, 0.01 by default: about 12.7 % a year), `E[Y(t)]` the
/// customer's expected purchases over the next `t` and `spend` the expected spend per
/// purchase (Gamma-Gamma's conditional expected average). Undiscounted is a rate of 0.
/// In JSON: `{"months": 12, "monthly_discount_rate": 0.01, "units_per_month": 4.345}`.
///
/// ```
/// use retention::risk::models::{ClvOptions, TimeUnit};
///
/// let weekly = ClvOptions::for_unit(TimeUnit::Weeks);
/// assert_eq!((weekly.months, weekly.monthly_discount_rate, weekly.units_per_month), (12, 0.01, 4.345));
/// assert_eq!(ClvOptions::for_unit(TimeUnit::Days).units_per_month, 30.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct ClvOptions {
    /// Months ahead (lifetimes' `time`, 12 by default).
    pub months: u32,
    /// The discount rate per month (lifetimes' `discount_rate`, 0.01 by default).
    pub monthly_discount_rate: f64,
    /// The data's time units in one month (30 for days, 4.345 for weeks).
    pub units_per_month: f64,
}

impl Default for ClvOptions {
    fn default() -> Self {
        ClvOptions::for_unit(TimeUnit::Weeks)
    }
}

impl ClvOptions {
    /// Twelve months at 1 % a month, for data in `unit` (lifetimes' defaults).
    pub fn for_unit(unit: TimeUnit) -> ClvOptions {
        ClvOptions {
            months: 12,
            monthly_discount_rate: 0.01,
            units_per_month: match unit {
                TimeUnit::Days => 30.0,
                TimeUnit::Weeks => 4.345,
            },
        }
    }

    /// The same options over `months` months.
    #[must_use]
    pub fn with_months(mut self, months: u32) -> ClvOptions {
        self.months = months;
        self
    }

    /// The same options with this monthly discount rate.
    #[must_use]
    pub fn with_monthly_discount_rate(mut self, rate: f64) -> ClvOptions {
        self.monthly_discount_rate = rate;
        self
    }

    pub(crate) fn check(&self) -> Result<(), Error> {
        Problems::collect(|p| {
            if !(self.monthly_discount_rate.is_finite() && self.monthly_discount_rate > -1.0) {
                p.push(
                    ErrorKind::RiskInvalidParameter,
                    FieldPath::root().field("monthly_discount_rate"),
                    format!(
                        "the discount rate {} is not a finite rate above −1",
                        self.monthly_discount_rate
                    ),
                );
            }
            if !(self.units_per_month.is_finite() && self.units_per_month > 0.0) {
                p.push(
                    ErrorKind::RiskInvalidParameter,
                    FieldPath::root().field("units_per_month"),
                    format!(
                        "{} time units a month is not a finite length above 0",
                        self.units_per_month
                    ),
                );
            }
        })
    }

    /// `Σ_{i=1..months} (E(i·m) − E((i−1)·m)) / (1 + d)^i` for a cumulative expectation
    /// `E` with `E(0) = 0`.
    pub(crate) fn discounted(
        &self,
        mut expected: impl FnMut(f64) -> Result<f64, Error>,
    ) -> Result<f64, Error> {
        let mut total = 0.0;
        let mut before = 0.0;
        let factor = 1.0 / (1.0 + self.monthly_discount_rate);
        let mut discount = 1.0;
        for i in 1..=self.months {
            let now = expected(f64::from(i) * self.units_per_month)?;
            discount *= factor;
            total += (now - before) * discount;
            before = now;
        }
        Ok(total)
    }
}

/// The crate's error for a series that failed: `risk.model_undefined` outside its
/// domain, `risk.did_not_converge` when it did not converge.
pub(crate) fn series_failure(e: special::SeriesError, what: &str) -> Error {
    match e {
        special::SeriesError::OutsideDomain => Error::new(
            ErrorKind::RiskModelUndefined,
            FieldPath::root(),
            format!("{what}: the arguments are outside the domain where it is defined"),
        ),
        special::SeriesError::DidNotConverge => Error::new(
            ErrorKind::RiskDidNotConverge,
            FieldPath::root(),
            format!(
                "{what}: the series did not converge within {} terms (or lost its precision)",
                special::HYP2F1_MAX_TERMS
            ),
        ),
    }
}

/// A value per (frequency, age) worked out once for a batch: the lifetime value's
/// discounted expectations if alive depend on those two alone, so a book whose ages are
/// whole days or weeks computes them once per distinct pair, not once per customer.
/// Each value is the one the single-customer call computes (bit for bit); a failure is
/// not kept. A book whose pairs hardly repeat (ages from fractional timestamps) would
/// only pay for the table, so after [`SharedByAge::TRIAL`] customers with fewer than one
/// in four shared the table is dropped and each customer is worked out on its own; it
/// keeps at most [`SharedByAge::MAX_KEPT`] pairs, so its memory is bounded whatever the
/// book.
#[derive(Debug, Default)]
pub(crate) struct SharedByAge {
    values: HashMap<(i64, u64), f64, FxBuildHasher>,
    looked_up: usize,
    found: usize,
    off: bool,
    /// How many values were worked out: the batch's work.
    pub(crate) computed: usize,
}

impl SharedByAge {
    /// Customers looked up before the table is judged worth keeping.
    pub(crate) const TRIAL: usize = 4_096;
    /// The most pairs the table keeps.
    pub(crate) const MAX_KEPT: usize = 1 << 20;

    /// The value for `c`'s frequency and age, worked out by `compute` unless a customer
    /// with both was worked out before.
    pub(crate) fn get_or_try(
        &mut self,
        c: &PurchaseSummary,
        compute: impl FnOnce() -> Result<f64, Error>,
    ) -> Result<f64, Error> {
        if self.off {
            self.computed += 1;
            return compute();
        }
        self.looked_up += 1;
        if self.looked_up == Self::TRIAL && self.found < Self::TRIAL / 4 {
            self.off = true;
            self.values = HashMap::default();
        }
        let key = (c.frequency, c.age.to_bits());
        if let Some(&v) = self.values.get(&key) {
            self.found += 1;
            return Ok(v);
        }
        let v = compute()?;
        self.computed += 1;
        if !self.off && self.values.len() < Self::MAX_KEPT {
            self.values.insert(key, v);
        }
        Ok(v)
    }
}

/// The lifetime value of each customer, as the models' `customer_lifetime_value` (the
/// spend from `spend`, then `alive`, then the discounted expectations if alive, shared
/// through `shared` by customers of the same frequency and age). With the `rayon`
/// feature a batch of [`PARALLEL_FROM`] customers or more is worked in parallel, with
/// the same values bit for bit and the same first error.
pub(crate) fn lifetime_values(
    customers: &[PurchaseSummary],
    spend: &SpendModel,
    shared: &mut SharedByAge,
    alive: impl Fn(&PurchaseSummary) -> Result<f64, Error> + Sync,
    discounted: impl Fn(&PurchaseSummary) -> Result<f64, Error> + Sync,
) -> Result<Vec<f64>, Error> {
    #[cfg(feature = "rayon")]
    if customers.len() >= PARALLEL_FROM {
        if let Some(values) = parallel::lifetime_values(customers, spend, &alive, &discounted) {
            return Ok(values);
        }
        // A customer failed: the one-by-one pass below finds the first and its error.
    }
    batch(customers, |c| {
        let s = spend.expected_average_spend(c)?;
        check_spend(s)?;
        let a = alive(c)?;
        let v = shared.get_or_try(c, || discounted(c))?;
        finite_expectation(v * a * s)
    })
}

/// Batches from this many customers up are worked in parallel with the `rayon` feature.
#[cfg(feature = "rayon")]
pub(crate) const PARALLEL_FROM: usize = 8_192;

#[cfg(feature = "rayon")]
mod parallel {
    use std::collections::HashMap;

    use rayon::prelude::*;
    use rustc_hash::FxBuildHasher;

    use super::{Error, PurchaseSummary, SharedByAge, SpendModel, check_spend, finite_expectation};

    /// [`super::lifetime_values`] in parallel: the distinct (frequency, age) pairs of the
    /// valid customers are found in one pass (unless the first
    /// [`SharedByAge::TRIAL`] customers show that they hardly repeat), their discounted
    /// expectations worked out in parallel, then every customer. `None` when any customer
    /// fails (the caller then finds the first failure one by one).
    pub(super) fn lifetime_values(
        customers: &[PurchaseSummary],
        spend: &SpendModel,
        alive: &(impl Fn(&PurchaseSummary) -> Result<f64, Error> + Sync),
        discounted: &(impl Fn(&PurchaseSummary) -> Result<f64, Error> + Sync),
    ) -> Option<Vec<f64>> {
        let key = |c: &PurchaseSummary| (c.frequency, c.age.to_bits());
        let trial = customers.len().min(SharedByAge::TRIAL);
        let mut seen: HashMap<(i64, u64), u32, FxBuildHasher> = HashMap::default();
        for c in &customers[..trial] {
            let next = u32::try_from(seen.len()).ok()?;
            seen.entry(key(c)).or_insert(next);
        }
        let repeats = trial - seen.len();
        let one = |c: &PurchaseSummary, v: f64| -> Option<f64> {
            let s = spend.expected_average_spend(c).ok()?;
            check_spend(s).ok()?;
            let a = alive(c).ok()?;
            finite_expectation(v * a * s).ok()
        };
        if repeats < SharedByAge::TRIAL / 4 {
            return customers
                .par_iter()
                .map(|c| one(c, discounted(c).ok()?))
                .collect();
        }
        // Each valid customer's slot among the distinct pairs, in order of first sight.
        seen.clear();
        let mut firsts: Vec<usize> = Vec::new();
        let mut slots: Vec<u32> = Vec::with_capacity(customers.len());
        for (i, c) in customers.iter().enumerate() {
            if !c.is_valid() {
                return None;
            }
            let next = u32::try_from(firsts.len()).ok()?;
            let slot = *seen.entry(key(c)).or_insert_with(|| {
                firsts.push(i);
                next
            });
            slots.push(slot);
        }
        drop(seen);
        let values: Vec<Option<f64>> = firsts
            .par_iter()
            .map(|&i| discounted(&customers[i]).ok())
            .collect();
        customers
            .par_iter()
            .zip(slots.par_iter())
            .map(|(c, &slot)| one(c, values.get(slot as usize).copied().flatten()?))
            .collect()
    }
}

/// Runs `each` over a slice, placing an error at `customers[i]`.
pub(crate) fn batch<T, R>(
    items: &[T],
    mut each: impl FnMut(&T) -> Result<R, Error>,
) -> Result<Vec<R>, Error> {
    items
        .iter()
        .enumerate()
        .map(|(i, c)| each(c).map_err(|e| e.under(&FieldPath::root().field("customers").index(i))))
        .collect()
}

/// A decimal amount as a float (spend is exact in the input; the models are floats).
pub(crate) fn decimal_f64(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(f64::NAN)
}

/// Maps the minimiser's ending to the crate's error for fits that did not converge.
fn fit_failure(
    outcome: optim::Outcome,
    names: &[&str],
    theta: &[f64],
    iterations: u32,
    grad_max: f64,
) -> Option<Error> {
    let path = FieldPath::root().field("customers");
    match outcome {
        optim::Outcome::Converged => None,
        optim::Outcome::RanAway(i) => {
            let name = names.get(i).copied().unwrap_or("a parameter");
            let v = theta.get(i).copied().unwrap_or(0.0);
            Some(Error::new(
                ErrorKind::RiskFitFailed,
                path,
                format!(
                    "the data do not identify the parameter {name} (it ran to e^{v:.0}); \
                     add customers, or fit with a small penalizer such as 0.01"
                ),
            ))
        }
        optim::Outcome::IterationLimit => Some(Error::new(
            ErrorKind::RiskFitFailed,
            path,
            format!(
                "the fit did not converge within {iterations} iterations (largest gradient \
                 {grad_max:.1e}, parameters {})",
                names
                    .iter()
                    .zip(theta)
                    .map(|(n, t)| format!("{n} = {:.4}", t.exp()))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
        optim::Outcome::Stalled => Some(Error::new(
            ErrorKind::RiskFitFailed,
            path,
            "the fit stalled: no step improves the likelihood, yet its gradient is not zero",
        )),
    }
}

/// Checks a model parameter a host supplies: finite and above 0.
fn check_param(name: &str, v: f64, problems: &mut Problems) {
    if !(v.is_finite() && v > 0.0) {
        problems.push(
            ErrorKind::RiskInvalidParameter,
            FieldPath::root().field(name),
            format!("the parameter {name} = {v} is not a finite number above 0"),
        );
    }
}

/// A log-likelihood, or `risk.model_undefined` when it is not a number (its terms
/// overflowed against each other at extreme parameters). `-∞` (data impossible under the
/// parameters) is a value, and is returned.
fn not_nan(ll: f64) -> Result<f64, Error> {
    if ll.is_nan() {
        Err(Error::new(
            ErrorKind::RiskModelUndefined,
            FieldPath::root(),
            "the log-likelihood is not a number at these parameters: its terms overflow",
        ))
    } else {
        Ok(ll)
    }
}

/// An expectation, or `risk.model_undefined` when it overflowed.
fn finite_expectation(e: f64) -> Result<f64, Error> {
    if e.is_finite() {
        Ok(e.max(0.0))
    } else {
        Err(Error::new(
            ErrorKind::RiskModelUndefined,
            FieldPath::root(),
            "the expectation overflows at these parameters",
        ))
    }
}

/// Checks a spend per purchase: finite (0 and negative margins are allowed).
fn check_spend(spend: f64) -> Result<(), Error> {
    if spend.is_finite() {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::RiskInvalidParameter,
            FieldPath::root().field("spend"),
            format!("the spend per purchase {spend} is not a finite amount"),
        ))
    }
}

/// Checks one customer as a row of a book (paths relative to the summary).
fn check_row(c: &PurchaseSummary) -> Result<(), Error> {
    Problems::collect(|p| {
        c.check(p);
        if c.is_valid() {
            c.check_as_row(p);
        }
    })
}

/// Collapses a book into its distinct (frequency, recency, age) rows and the number of
/// customers sharing each, sorted: the rows and weights a weighted fit takes (spend is
/// dropped). The fit of the collapsed book equals the fit of the book.
///
/// ```
/// use retention::risk::models::{PurchaseSummary, collapse};
///
/// let book = [
///     PurchaseSummary::new(0, 0.0, 38.0),
///     PurchaseSummary::new(2, 30.0, 38.0),
///     PurchaseSummary::new(0, 0.0, 38.0),
/// ];
/// let (rows, weights) = collapse(&book);
/// assert_eq!(rows, [PurchaseSummary::new(0, 0.0, 38.0), PurchaseSummary::new(2, 30.0, 38.0)]);
/// assert_eq!(weights, [2.0, 1.0]);
/// ```
pub fn collapse(book: &[PurchaseSummary]) -> (Vec<PurchaseSummary>, Vec<f64>) {
    let mut keyed: Vec<(i64, f64, f64)> = book
        .iter()
        .map(|c| (c.frequency, c.recency, c.age))
        .collect();
    keyed.sort_by(|l, r| {
        l.0.cmp(&r.0)
            .then(l.1.total_cmp(&r.1))
            .then(l.2.total_cmp(&r.2))
    });
    let mut rows: Vec<PurchaseSummary> = Vec::new();
    let mut weights: Vec<f64> = Vec::new();
    for (x, tx, t) in keyed {
        match (rows.last(), weights.last_mut()) {
            (Some(l), Some(w))
                if l.frequency == x
                    && l.recency.total_cmp(&tx).is_eq()
                    && l.age.total_cmp(&t).is_eq() =>
            {
                *w += 1.0;
            }
            _ => {
                rows.push(PurchaseSummary::new(x, tx, t));
                weights.push(1.0);
            }
        }
    }
    (rows, weights)
}

/// Checks a horizon: finite and above 0.
fn check_horizon(horizon: f64) -> Result<(), Error> {
    if horizon.is_finite() && horizon > 0.0 {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::RiskInvalidHorizon,
            FieldPath::root().field("horizon"),
            format!("the horizon {horizon} is not a finite length of time above 0"),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 3,000 customers of 30 distinct (frequency, age) pairs, recencies all different.
    fn repeated_book() -> Vec<PurchaseSummary> {
        (0..3_000_u32)
            .map(|i| {
                let x = i64::from(i % 6);
                let age = 30.0 + f64::from(i % 5);
                let recency = if x == 0 {
                    0.0
                } else {
                    age * f64::from(i % 97) / 97.0
                };
                PurchaseSummary::new(x, recency, age).with_average_spend(Decimal::from(20 + i % 40))
            })
            .collect()
    }

    #[test]
    fn lifetime_values_of_a_batch_are_each_customers_bit_for_bit_with_shared_work() {
        let book = repeated_book();
        let spend = SpendModel::new(SpendParams::new(6.25, 3.74, 15.44)).expect("valid");
        let options = ClvOptions::default().with_months(14);
        let bg = PurchaseModel::new(
            Variant::BgNbd,
            PurchaseParams::new(0.243, 4.414, 0.793, 2.426),
        )
        .expect("valid");
        let modified = PurchaseModel::new(
            Variant::ModifiedBgNbd,
            PurchaseParams::new(0.525, 6.183, 0.891, 1.614),
        )
        .expect("valid");
        let pareto =
            ParetoModel::new(ParetoParams::new(0.553, 10.578, 0.606, 11.669)).expect("valid");
        let single = |clv: &dyn Fn(&PurchaseSummary, f64) -> Result<f64, Error>| -> Vec<u64> {
            book.iter()
                .map(|c| {
                    let s = spend.expected_average_spend(c).expect("defined");
                    clv(c, s).expect("defined").to_bits()
                })
                .collect()
        };
        let bits = |v: Vec<f64>| v.into_iter().map(f64::to_bits).collect::<Vec<_>>();
        for model in [&bg, &modified] {
            let mut shared = SharedByAge::default();
            let batch = model
                .clv_batch(&book, &spend, &options, &mut shared)
                .expect("defined");
            assert_eq!(
                bits(batch),
                single(&|c, s| model.customer_lifetime_value(c, s, &options))
            );
            // Work: one set of series per distinct (frequency, age), not per customer.
            assert_eq!(shared.computed, 30);
        }
        let mut shared = SharedByAge::default();
        let batch = pareto
            .clv_batch(&book, &spend, &options, &mut shared)
            .expect("defined");
        assert_eq!(
            bits(batch),
            single(&|c, s| pareto.customer_lifetime_value(c, s, &options))
        );
        assert_eq!(shared.computed, 30);
        // Different P(alive) within a shared pair: recency still counts.
        let values = bg
            .customer_lifetime_values(&book, &spend, &options)
            .expect("defined");
        assert_ne!(values[1], values[31]); // same (x, age), different recency
        assert_eq!(
            (book[1].frequency, book[1].age),
            (book[31].frequency, book[31].age)
        );
    }

    #[test]
    fn a_book_whose_ages_do_not_repeat_drops_the_table_and_keeps_its_values() {
        let spend = SpendModel::new(SpendParams::new(6.25, 3.74, 15.44)).expect("valid");
        let bg = PurchaseModel::new(
            Variant::BgNbd,
            PurchaseParams::new(0.243, 4.414, 0.793, 2.426),
        )
        .expect("valid");
        let options = ClvOptions::default();
        let book: Vec<PurchaseSummary> = (0..6_000_u32)
            .map(|i| PurchaseSummary::new(i64::from(i % 3), 0.0, 30.0 + f64::from(i) * 1e-3))
            .map(|c| {
                if c.frequency > 0 {
                    PurchaseSummary { recency: 1.0, ..c }
                } else {
                    c
                }
            })
            .collect();
        let mut shared = SharedByAge::default();
        let batch = bg
            .clv_batch(&book, &spend, &options, &mut shared)
            .expect("defined");
        assert!(shared.off && shared.values.is_empty());
        assert_eq!(shared.computed, book.len());
        for (c, v) in book.iter().zip(&batch).step_by(997) {
            let s = spend.expected_average_spend(c).expect("defined");
            let one = bg.customer_lifetime_value(c, s, &options).expect("defined");
            assert_eq!(v.to_bits(), one.to_bits());
        }
    }

    /// Large enough for the parallel path of the `rayon` feature.
    fn large_book(distinct_ages: bool) -> Vec<PurchaseSummary> {
        repeated_book()
            .into_iter()
            .cycle()
            .take(20_000)
            .zip(0_u32..)
            .map(|(mut c, i)| {
                if distinct_ages {
                    c.age += f64::from(i) * 1e-6;
                }
                c
            })
            .collect()
    }

    #[test]
    fn a_large_batch_gives_each_customers_value_and_the_first_error() {
        let spend = SpendModel::new(SpendParams::new(6.25, 3.74, 15.44)).expect("valid");
        let bg = PurchaseModel::new(
            Variant::BgNbd,
            PurchaseParams::new(0.243, 4.414, 0.793, 2.426),
        )
        .expect("valid");
        let pareto =
            ParetoModel::new(ParetoParams::new(0.553, 10.578, 0.606, 11.669)).expect("valid");
        let options = ClvOptions::default();
        for distinct in [false, true] {
            let book = large_book(distinct);
            let bgs = bg
                .customer_lifetime_values(&book, &spend, &options)
                .expect("defined");
            let ps = pareto
                .customer_lifetime_values(&book, &spend, &options)
                .expect("defined");
            for i in (0..book.len()).step_by(611) {
                let c = &book[i];
                let s = spend.expected_average_spend(c).expect("defined");
                let one = bg.customer_lifetime_value(c, s, &options).expect("defined");
                assert_eq!(bgs[i].to_bits(), one.to_bits(), "{i}");
                let one = pareto
                    .customer_lifetime_value(c, s, &options)
                    .expect("defined");
                assert_eq!(ps[i].to_bits(), one.to_bits(), "{i}");
            }
            let mut bad = book.clone();
            bad[15_001].recency = -1.0;
            bad[17_000].frequency = -2;
            let e = bg
                .customer_lifetime_values(&bad, &spend, &options)
                .expect_err("refused");
            assert!(e.to_string().contains("customers[15001]"), "{e}");
        }
    }

    #[test]
    fn a_failing_customer_is_reported_at_its_index_and_not_shared() {
        let spend = SpendModel::new(SpendParams::new(6.25, 3.74, 15.44)).expect("valid");
        let bg = PurchaseModel::new(
            Variant::BgNbd,
            PurchaseParams::new(0.243, 4.414, 0.793, 2.426),
        )
        .expect("valid");
        let mut book = repeated_book();
        book[7].recency = book[7].age + 1.0;
        let e = bg
            .customer_lifetime_values(&book, &spend, &ClvOptions::default())
            .expect_err("refused");
        assert!(e.to_string().contains("customers[7]"), "{e}");
    }
}
