//! BG/NBD and modified BG/NBD: purchase counts and drop-out, fitted by maximum likelihood.

use serde::{Deserialize, Serialize};

use super::fitting::{self, LikelihoodPartial};
use super::optim::Settings;
use super::special::{
    HYP2F1_MAX_TERMS, bgnbd_growth, digamma, ln_gamma, nb_at_least, softplus_sigmoid,
};
use super::{
    ClvOptions, FitOptions, FitReport, PurchaseSummary, SharedByAge, SpendModel, batch, check_book,
    check_horizon, check_param, check_row, check_spend, check_weighted_book, finite_expectation,
    lifetime_values, not_nan, series_failure,
};
use crate::error::{Error, ErrorKind, FieldPath, Problems};

/// Which purchase model. In JSON: `"bg_nbd"` or `"modified_bg_nbd"`.
///
/// In BG/NBD a customer can only drop out right after a purchase, so a customer who never
/// bought again is alive with probability 1 by construction (the fault the `lifetimes`
/// library is known for). The modified form lets the customer drop out at the first
/// purchase too, so one-time buyers who have been quiet a long time get a P(alive) under
/// one. The risk engine uses P(alive) of the plain form only for customers with a
/// repeat purchase.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Variant {
    /// Fader, Hardie & Lee (2005).
    BgNbd,
    /// Batislam, Denizel & Filiztekin (2007); the default.
    #[default]
    ModifiedBgNbd,
}

impl Variant {
    /// The variant's name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Variant::BgNbd => "bg_nbd",
            Variant::ModifiedBgNbd => "modified_bg_nbd",
        }
    }
}

crate::codes::display_as_str!(Variant);

/// The four parameters: purchase rates are Gamma(`r`, `alpha`) across customers (`alpha`
/// in the data's time unit), drop-out probabilities Beta(`a`, `b`). In JSON:
/// `{"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PurchaseParams {
    /// Shape of the purchase-rate distribution.
    pub r: f64,
    /// Scale of the purchase-rate distribution, in the data's time unit.
    pub alpha: f64,
    /// First shape of the drop-out distribution.
    pub a: f64,
    /// Second shape of the drop-out distribution.
    pub b: f64,
}

impl PurchaseParams {
    /// The parameters, in the order of the literature.
    pub fn new(r: f64, alpha: f64, a: f64, b: f64) -> PurchaseParams {
        PurchaseParams { r, alpha, a, b }
    }
}

/// A fitted (or host-supplied) BG/NBD or modified BG/NBD model. In JSON: `{"variant":
/// "modified_bg_nbd", "params": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}}`;
/// reading checks the parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(try_from = "ModelRepr", into = "ModelRepr")]
pub struct PurchaseModel {
    variant: Variant,
    params: PurchaseParams,
}

#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct ModelRepr {
    /// Which purchase model.
    variant: Variant,
    /// Its four parameters.
    params: PurchaseParams,
}

impl TryFrom<ModelRepr> for PurchaseModel {
    type Error = Error;
    fn try_from(r: ModelRepr) -> Result<Self, Error> {
        PurchaseModel::new(r.variant, r.params)
    }
}

impl From<PurchaseModel> for ModelRepr {
    fn from(m: PurchaseModel) -> Self {
        ModelRepr {
            variant: m.variant,
            params: m.params,
        }
    }
}

/// The book collapsed for fitting: distinct frequencies, ages and recencies, each
/// row pointing into them, with the weight of its duplicates.
struct Prepared {
    xs: Vec<f64>,
    x_weight: Vec<f64>,
    ages: Vec<f64>,
    recencies: Vec<f64>,
    rows: Vec<Row>,
    total_weight: f64,
    mean_x: f64,
    mean_age: f64,
    variant: Variant,
    // Scratch, reused across evaluations.
    x_terms: Vec<XTerm>,
    age_terms: Vec<(f64, f64)>,
    recency_terms: Vec<(f64, f64)>,
}

#[derive(Clone, Copy)]
struct Row {
    x: u32,
    age: u32,
    recency: u32,
    weight: f64,
}

#[derive(Clone, Copy, Default)]
struct XTerm {
    /// ln(b + x − 1) (BG/NBD) or ln(b + x) (modified).
    ln_bx: f64,
    inv_bx: f64,
}

fn distinct(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = values.collect();
    v.sort_by(f64::total_cmp);
    v.dedup();
    v
}

fn index_of(sorted: &[f64], v: f64) -> u32 {
    // Values come from the same list, so they are found; 0 is unreachable.
    sorted
        .binary_search_by(|p| p.total_cmp(&v))
        .map_or(0, |i| u32::try_from(i).unwrap_or(0))
}

impl Prepared {
    fn new(book: &[PurchaseSummary], weights: Option<&[f64]>, variant: Variant) -> Prepared {
        let mut keyed: Vec<(i64, f64, f64, f64)> = book
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let w = weights.and_then(|w| w.get(i)).copied().unwrap_or(1.0);
                (c.frequency, c.recency, c.age, w)
            })
            .collect();
        keyed.sort_by(|l, r| {
            l.0.cmp(&r.0)
                .then(l.1.total_cmp(&r.1))
                .then(l.2.total_cmp(&r.2))
        });
        let xs = distinct(keyed.iter().map(|k| k.0 as f64));
        let ages = distinct(keyed.iter().map(|k| k.2));
        let recencies = distinct(keyed.iter().map(|k| k.1));
        let mut rows: Vec<Row> = Vec::new();
        let mut x_weight = vec![0.0; xs.len()];
        let mut last: Option<(i64, f64, f64)> = None;
        let (mut total, mut sum_x, mut sum_age) = (0.0, 0.0, 0.0);
        for k in &keyed {
            let key = (k.0, k.1, k.2);
            let w = k.3;
            total += w;
            sum_x += w * k.0 as f64;
            sum_age += w * k.2;
            let xi = index_of(&xs, k.0 as f64);
            if let Some(xw) = x_weight.get_mut(xi as usize) {
                *xw += w;
            }
            match (last, rows.last_mut()) {
                (Some(l), Some(row)) if l == key => row.weight += w,
                _ => rows.push(Row {
                    x: xi,
                    age: index_of(&ages, k.2),
                    recency: index_of(&recencies, k.1),
                    weight: w,
                }),
            }
            last = Some(key);
        }
        Prepared {
            x_terms: vec![XTerm::default(); xs.len()],
            age_terms: vec![(0.0, 0.0); ages.len()],
            recency_terms: vec![(0.0, 0.0); recencies.len()],
            xs,
            x_weight,
            ages,
            recencies,
            rows,
            total_weight: total,
            mean_x: if total > 0.0 { sum_x / total } else { 0.0 },
            mean_age: if total > 0.0 { sum_age / total } else { 0.0 },
            variant,
        }
    }

    /// The log-likelihood of the book and its gradient with respect to (r, α, a, b).
    fn log_likelihood(&mut self, p: &PurchaseParams, grad: &mut [f64; 4]) -> f64 {
        let PurchaseParams { r, alpha, a, b } = *p;
        let modified = self.variant == Variant::ModifiedBgNbd;
        let ln_alpha = alpha.ln();
        let ln_a = a.ln();
        let (lg_r, lg_b, lg_ab) = (ln_gamma(r), ln_gamma(b), ln_gamma(a + b));
        let (dg_r, dg_b, dg_ab) = (digamma(r), digamma(b), digamma(a + b));
        let mut ll = 0.0;
        let mut g = [0.0; 4];
        let extra = if modified { 1.0 } else { 0.0 };
        for ((x, w), term) in self.xs.iter().zip(&self.x_weight).zip(&mut self.x_terms) {
            let x = *x;
            let w = *w;
            if x == 0.0 && !modified {
                ll += w * r * ln_alpha;
                g[0] += w * ln_alpha;
                g[1] += w * r / alpha;
            } else {
                let c = ln_gamma(r + x) - lg_r + r * ln_alpha + lg_ab + ln_gamma(b + x + extra)
                    - lg_b
                    - ln_gamma(a + b + x + extra);
                let dg_abx = digamma(a + b + x + extra);
                ll += w * c;
                g[0] += w * (digamma(r + x) - dg_r + ln_alpha);
                g[1] += w * r / alpha;
                g[2] += w * (dg_ab - dg_abx);
                g[3] += w * (dg_ab + digamma(b + x + extra) - dg_b - dg_abx);
            }
            let bx = if modified { b + x } else { b + x - 1.0 };
            *term = XTerm {
                ln_bx: bx.ln(),
                inv_bx: 1.0 / bx,
            };
        }
        for (t, slot) in self.ages.iter().zip(&mut self.age_terms) {
            *slot = ((alpha + t).ln(), 1.0 / (alpha + t));
        }
        for (t, slot) in self.recencies.iter().zip(&mut self.recency_terms) {
            *slot = ((alpha + t).ln(), 1.0 / (alpha + t));
        }
        for row in &self.rows {
            let (Some(&x), Some(xt), Some(&(lt_big, inv_big)), Some(&(lt, inv))) = (
                self.xs.get(row.x as usize),
                self.x_terms.get(row.x as usize),
                self.age_terms.get(row.age as usize),
                self.recency_terms.get(row.recency as usize),
            ) else {
                continue;
            };
            let w = row.weight;
            let rx = r + x;
            if modified {
                let e = ln_a - xt.ln_bx + rx * (lt_big - lt);
                let (sp, s) = softplus_sigmoid(e);
                ll += w * (-rx * lt_big + sp);
                g[0] += w * (-lt_big + s * (lt_big - lt));
                g[1] += w * (-rx * inv_big + s * rx * (inv_big - inv));
                g[2] += w * s / a;
                g[3] -= w * s * xt.inv_bx;
            } else if x == 0.0 {
                ll -= w * r * lt_big;
                g[0] -= w * lt_big;
                g[1] -= w * r * inv_big;
            } else {
                let e3 = -rx * lt_big;
                let d = ln_a - xt.ln_bx - rx * lt - e3;
                let (sp, s) = softplus_sigmoid(d);
                ll += w * (e3 + sp);
                g[0] += w * (-(1.0 - s) * lt_big - s * lt);
                g[1] -= w * rx * ((1.0 - s) * inv_big + s * inv);
                g[2] += w * s / a;
                g[3] -= w * s * xt.inv_bx;
            }
        }
        *grad = g;
        ll
    }
}

/// One customer's log-likelihood, value only (the terms of [`Prepared::log_likelihood`]).
fn ln_likelihood_one(variant: Variant, p: &PurchaseParams, x: f64, tx: f64, t: f64) -> f64 {
    let PurchaseParams { r, alpha, a, b } = *p;
    let ln_alpha = alpha.ln();
    let rx = r + x;
    match variant {
        Variant::BgNbd if x == 0.0 => r * ln_alpha - r * (alpha + t).ln(),
        Variant::BgNbd => {
            let c = ln_gamma(rx) - ln_gamma(r) + r * ln_alpha + ln_gamma(a + b) + ln_gamma(b + x)
                - ln_gamma(b)
                - ln_gamma(a + b + x);
            let e3 = -rx * (alpha + t).ln();
            let d = a.ln() - (b + x - 1.0).ln() - rx * (alpha + tx).ln() - e3;
            c + e3 + softplus_sigmoid(d).0
        }
        Variant::ModifiedBgNbd => {
            let c =
                ln_gamma(rx) - ln_gamma(r) + r * ln_alpha + ln_gamma(a + b) + ln_gamma(b + x + 1.0)
                    - ln_gamma(b)
                    - ln_gamma(a + b + x + 1.0);
            let lt_big = (alpha + t).ln();
            let e = a.ln() - (b + x).ln() + rx * (lt_big - (alpha + tx).ln());
            c - rx * lt_big + softplus_sigmoid(e).0
        }
    }
}

impl PurchaseModel {
    /// A model with parameters a host already has (from an earlier fit, or published).
    ///
    /// # Errors
    /// `risk.invalid_parameter` at `params.r` (and the others) for a parameter that is
    /// not a finite number above 0.
    pub fn new(variant: Variant, params: PurchaseParams) -> Result<PurchaseModel, Error> {
        Problems::collect(|p| {
            for (name, v) in [
                ("r", params.r),
                ("alpha", params.alpha),
                ("a", params.a),
                ("b", params.b),
            ] {
                check_param(name, v, p);
            }
        })
        .map_err(|e| e.under(&FieldPath::root().field("params")))?;
        Ok(PurchaseModel { variant, params })
    }

    /// The variant.
    pub fn variant(&self) -> Variant {
        self.variant
    }

    /// The parameters.
    pub fn params(&self) -> PurchaseParams {
        self.params
    }

    /// Fits the model to a book by maximum likelihood.
    ///
    /// Identical rows are collapsed into weights first (a book of 2,400 customers
    /// measured in whole days has far fewer distinct rows); the search runs over the
    /// logarithms of the parameters (so they stay positive) from a fixed start (r = 1,
    /// α = mean age / mean frequency, a = b = 1), with analytic gradients (of Fader,
    /// Hardie & Lee 2005 eq. 6, or its modified form), until the largest gradient
    /// component of the mean log-likelihood is below 1e-9 (or below 1e-6 once a step no
    /// longer changes the likelihood beyond rounding). The report carries each
    /// parameter's standard error ([`FitReport::summary`]).
    ///
    /// # Errors
    /// Every problem of the book at `customers[i]...` (see [`PurchaseSummary::validate`]),
    /// and `risk.inconsistent_summary` for a row with repeat purchases and recency 0, or
    /// with age 0; `risk.empty_book` for no customers; `risk.degenerate_data` when every
    /// customer has the same history or nobody bought twice (the parameters cannot be
    /// told apart); `risk.invalid_parameter` for a negative penalizer; `risk.fit_failed`
    /// when a parameter runs away (the data do not identify it, seen as a standard error
    /// of more than a factor e^6 in the parameter, or a likelihood not curved at the
    /// optimum: a penalizer helps) or the iteration limit is reached.
    pub fn fit(
        book: &[PurchaseSummary],
        variant: Variant,
        options: &FitOptions,
    ) -> Result<FitReport<PurchaseModel>, Error> {
        PurchaseModel::fit_weighted(book, None, variant, None, options)
    }

    /// [`fit`](Self::fit) with a weight per row (`weights[i]` customers share row `i`'s
    /// frequency, recency and age, as lifetimes' `weights`), and from a given `start`
    /// (the fixed start of [`fit`](Self::fit) when `None`). A book of ten million
    /// customers measured in whole days has a few thousand distinct rows: fitting them
    /// with their counts as weights gives the same fit as the whole book (to rounding),
    /// at the cost of the distinct rows. [`collapse`](super::collapse) makes the
    /// weighted rows from a book.
    ///
    /// ```
    /// use retention::risk::models::{FitOptions, PurchaseModel, PurchaseSummary, Variant};
    ///
    /// let rows = [
    ///     PurchaseSummary::new(0, 0.0, 38.9), PurchaseSummary::new(1, 5.0, 38.9),
    ///     PurchaseSummary::new(2, 30.4, 38.9), PurchaseSummary::new(7, 29.4, 38.9),
    ///     PurchaseSummary::new(3, 12.0, 30.0), PurchaseSummary::new(0, 0.0, 30.0),
    /// ];
    /// let weights = [900.0, 300.0, 120.0, 40.0, 80.0, 700.0];
    /// let fit = PurchaseModel::fit_weighted(
    ///     &rows, Some(&weights), Variant::BgNbd, None, &FitOptions::default(),
    /// )?;
    /// assert_eq!(fit.customers, 2_140);
    /// assert_eq!(fit.summary[0].parameter, "r");
    /// assert!(fit.summary.iter().all(|e| e.standard_error > 0.0));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// As [`fit`](Self::fit); `risk.invalid_weight` at `weights` (a count other than the
    /// rows') or `weights[i]` (not a finite number above 0); `risk.invalid_parameter` at
    /// `start` for a start that is not positive.
    pub fn fit_weighted(
        book: &[PurchaseSummary],
        weights: Option<&[f64]>,
        variant: Variant,
        start: Option<PurchaseParams>,
        options: &FitOptions,
    ) -> Result<FitReport<PurchaseModel>, Error> {
        options.check()?;
        check_weighted_book(book, weights)?;
        let mut data = Prepared::new(book, weights, variant);
        let path = FieldPath::root().field("customers");
        if data.rows.len() < 2 {
            return Err(Error::new(
                ErrorKind::RiskDegenerateData,
                path,
                format!(
                    "all {} customers have the same purchase history: it cannot tell the \
                     model's parameters apart",
                    data.total_weight
                ),
            ));
        }
        if data.xs.iter().all(|&x| x == 0.0) {
            return Err(Error::new(
                ErrorKind::RiskDegenerateData,
                path,
                "no customer has a repeat purchase: purchase rates cannot be estimated",
            ));
        }
        let start = start.unwrap_or_else(|| {
            let alpha0 = if data.mean_age > 0.0 && data.mean_x > 0.0 {
                (data.mean_age / data.mean_x).clamp((-10f64).exp(), 10f64.exp())
            } else {
                1.0
            };
            PurchaseParams::new(1.0, alpha0, 1.0, 1.0)
        });
        let customers = data.total_weight.round() as usize;
        let distinct = data.rows.len();
        let report = PurchaseModel::fit_partials(variant, start, options, |p| {
            let mut g = [0.0; 4];
            let ll = data.log_likelihood(p, &mut g);
            Ok(LikelihoodPartial::from_array(ll, g, data.total_weight))
        })?;
        Ok(FitReport {
            customers,
            distinct_rows: distinct,
            ..report
        })
    }

    /// The log-likelihood of a slice of customers at `params`, with its gradient, as a
    /// [`LikelihoodPartial`]: the piece of a fit one worker computes over its share of a
    /// book (rows weighted by `weights`, 1 each when `None`). The partials of the slices
    /// of a book merge into the partial of the book, and
    /// [`fit_partials`](Self::fit_partials) fits from them; an empty slice gives
    /// [`LikelihoodPartial::empty`].
    ///
    /// # Errors
    /// The rows' problems at `customers[i]...` and the weights' at `weights...`, as for
    /// [`fit_weighted`](Self::fit_weighted) (an empty slice is not an error here);
    /// `risk.invalid_parameter` at `params...` for parameters that are not positive.
    pub fn partial(
        variant: Variant,
        params: PurchaseParams,
        book: &[PurchaseSummary],
        weights: Option<&[f64]>,
    ) -> Result<LikelihoodPartial, Error> {
        PurchaseModel::new(variant, params)?;
        if book.is_empty() {
            if weights.is_some_and(|w| !w.is_empty()) {
                check_weighted_book(&[PurchaseSummary::new(0, 0.0, 1.0)], weights)?;
            }
            return Ok(LikelihoodPartial::empty(4));
        }
        check_weighted_book(book, weights)?;
        let mut data = Prepared::new(book, weights, variant);
        let mut g = [0.0; 4];
        let ll = data.log_likelihood(&params, &mut g);
        Ok(LikelihoodPartial::from_array(ll, g, data.total_weight))
    }

    /// Fits the model from a function that returns the [`LikelihoodPartial`] of the
    /// whole book at given parameters: the optimizer of a fit whose book lives elsewhere
    /// (split over machines, each computing [`partial`](Self::partial) over its rows,
    /// the driver merging them). The search is the one of [`fit`](Self::fit), over
    /// log-parameters from `start`, with `options`' penalizer and iteration limit; after
    /// it, the function is called 8 more times for the Hessian of the standard errors.
    /// The report's `customers` is the partials' weight and `distinct_rows` 0 (the
    /// driver does not see the rows).
    ///
    /// A binding wraps it in a few lines: the host function receives `[r, alpha, a, b]`
    /// and returns `(log_likelihood, gradient, weight)`, for example a Spark job's
    /// `rdd.mapPartitions(partial_at(params)).reduce(merge)`.
    ///
    /// ```
    /// use retention::risk::models::{
    ///     FitOptions, LikelihoodPartial, PurchaseModel, PurchaseParams, PurchaseSummary, Variant,
    /// };
    ///
    /// let book: Vec<PurchaseSummary> = [
    ///     (0, 0.0, 38.9), (2, 30.4, 38.9), (1, 1.7, 38.9), (7, 29.4, 38.9), (1, 5.0, 38.9),
    ///     (0, 0.0, 38.7), (5, 24.4, 38.7), (10, 34.1, 38.7), (0, 0.0, 38.6), (3, 28.3, 38.6),
    ///     (0, 0.0, 38.4), (1, 35.7, 38.4), (2, 14.6, 38.3), (0, 0.0, 38.1), (1, 4.9, 38.0),
    /// ]
    /// .iter()
    /// .map(|&(x, t_x, t)| PurchaseSummary::new(x, t_x, t))
    /// .collect();
    /// // Two "machines", each holding part of the book.
    /// let (left, right) = book.split_at(7);
    /// let v = Variant::ModifiedBgNbd;
    /// let start = PurchaseParams::new(1.0, 10.0, 1.0, 1.0);
    /// let options = FitOptions::default().with_penalizer(0.01);
    /// let split = PurchaseModel::fit_partials(v, start, &options, |p| {
    ///     let l = PurchaseModel::partial(v, *p, left, None)?;
    ///     let r = PurchaseModel::partial(v, *p, right, None)?;
    ///     Ok(l.merge(&r))
    /// })?;
    /// let whole = PurchaseModel::fit_weighted(&book, None, v, Some(start), &options)?;
    /// let (a, b) = (split.model.params(), whole.model.params());
    /// assert!((a.r - b.r).abs() < 1e-9 * b.r && (a.b - b.b).abs() < 1e-9 * b.b);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// The first error the function returns; `risk.invalid_parameter` at `start` or for
    /// a partial without 4 gradient components and a weight above 0; the fit's own
    /// errors (`risk.invalid_parameter` for the options, `risk.fit_failed`).
    pub fn fit_partials(
        variant: Variant,
        start: PurchaseParams,
        options: &FitOptions,
        mut partials: impl FnMut(&PurchaseParams) -> Result<LikelihoodPartial, Error>,
    ) -> Result<FitReport<PurchaseModel>, Error> {
        options.check()?;
        let settings = Settings {
            max_iterations: options.max_iterations,
            ..Settings::default()
        };
        let mut eval = |p: &[f64; 4]| partials(&PurchaseParams::new(p[0], p[1], p[2], p[3]));
        let driven = fitting::drive(
            ["r", "alpha", "a", "b"],
            [start.r, start.alpha, start.a, start.b],
            options,
            settings,
            &mut eval,
        )?;
        let p = driven.params;
        let model = PurchaseModel::new(variant, PurchaseParams::new(p[0], p[1], p[2], p[3]))?;
        let customers = driven.weight.round() as usize;
        Ok(FitReport::from_driven(model, driven, options, customers, 0))
    }

    /// The log-likelihood of a book under this model (the sum over customers), in the
    /// book's time unit: to compare a fit with published values.
    ///
    /// # Errors
    /// Every problem of the book, as for [`fit`](Self::fit); `risk.model_undefined` when
    /// the log-likelihood is not a number at these parameters (at extremes such as
    /// `b = f64::MAX` with `a` near 0, where its terms overflow against each other).
    pub fn log_likelihood(&self, book: &[PurchaseSummary]) -> Result<f64, Error> {
        check_book(book)?;
        let mut data = Prepared::new(book, None, self.variant);
        let mut g = [0.0; 4];
        not_nan(data.log_likelihood(&self.params, &mut g))
    }

    /// `ln` of the odds that the customer has dropped out against alive, or `None` when
    /// the model says alive with certainty (plain BG/NBD, no repeat purchase).
    #[inline]
    fn ln_dead_odds(&self, x: f64, recency: f64, age: f64) -> Option<f64> {
        let PurchaseParams { r, alpha, a, b } = self.params;
        let bx = match self.variant {
            Variant::BgNbd if x == 0.0 => return None,
            Variant::BgNbd => b + x - 1.0,
            Variant::ModifiedBgNbd => b + x,
        };
        let odds = (a / bx).ln() + (r + x) * ((alpha + age) / (alpha + recency)).ln();
        if odds.is_finite() {
            return Some(odds);
        }
        // At extreme parameters or times the quotients overflow or underflow (alpha + age
        // beyond f64::MAX gives inf / inf, a / bx gives 0 and then ln 0 + ln inf): the
        // same odds term by term in logs, which stay finite for positive finite inputs.
        // The result is finite or an infinity of the right sign, never NaN.
        let bx = match self.variant {
            Variant::BgNbd => b + (x - 1.0),
            Variant::ModifiedBgNbd => b + x,
        };
        let ln_sum = |p: f64, q: f64| {
            let (hi, lo) = if p >= q { (p, q) } else { (q, p) };
            hi.ln() + (lo / hi).ln_1p()
        };
        Some(a.ln() - bx.ln() + (r + x) * (ln_sum(alpha, age) - ln_sum(alpha, recency)))
    }

    /// The probability that the customer is still alive (will buy again), given their
    /// history. Computed as a logistic of log-odds, so it is in `[0, 1]` and finite for
    /// any frequency. Plain BG/NBD gives exactly 1 to a customer without a repeat
    /// purchase (a property of the model, see [`Variant`]).
    ///
    /// # Errors
    /// The summary's problems (see [`PurchaseSummary::validate`]).
    #[inline]
    pub fn p_alive(&self, customer: &PurchaseSummary) -> Result<f64, Error> {
        if !customer.is_valid() {
            customer.validate()?;
        }
        Ok(self.p_alive_unchecked(customer))
    }

    #[inline]
    pub(crate) fn p_alive_unchecked(&self, c: &PurchaseSummary) -> f64 {
        match self.ln_dead_odds(c.frequency as f64, c.recency, c.age) {
            None => 1.0,
            Some(odds) => softplus_sigmoid(-odds).1,
        }
    }

    /// The expected number of purchases in the next `horizon` (in the data's time unit),
    /// given the customer's history: Fader, Hardie & Lee (2005) eq. 10 for BG/NBD,
    /// Batislam, Denizel & Filiztekin (2007) eq. 11 for the modified form:
    /// P(alive) × `(a + b + x − 1)/(a − 1) · [1 − ((α + T)/(α + T + t))^(r+x) ·
    /// ₂F₁(r + x, b + x; a + b + x − 1; t/(α + T + t))]` (modified: `b + x + 1` and `a + b
    /// + x`), lifetimes' `conditional_expected_number_of_purchases_up_to_time`.
    ///
    /// Defined wherever the model is: at `a = 1` (where the closed form is 0/0) and at
    /// `a + b ≤ 1` with x = 0 in plain BG/NBD (where ₂F₁'s third parameter is not
    /// positive and lifetimes returns NaN, its issue #302) the value is the closed form's
    /// limit, from a transformation of ₂F₁ that is valid there (see the module docs).
    ///
    /// # Errors
    /// The summary's problems; `risk.invalid_horizon` for a horizon that is 0, negative
    /// or not finite; `risk.did_not_converge` when the series does not converge within
    /// its term limit (500,000 terms: a horizon about 10,000 times the customer's age
    /// plus α) or would lose more than half its digits; `risk.model_undefined` when the
    /// value overflows. Never a NaN.
    pub fn expected_purchases(
        &self,
        customer: &PurchaseSummary,
        horizon: f64,
    ) -> Result<f64, Error> {
        customer.validate()?;
        check_horizon(horizon)?;
        let alive = self.p_alive_unchecked(customer);
        self.expected_if_alive(customer, horizon)
            .map(|k| k * alive)
            .and_then(finite_expectation)
    }

    /// E[purchases in the next `horizon` | alive] for a valid customer.
    fn expected_if_alive(&self, c: &PurchaseSummary, horizon: f64) -> Result<f64, Error> {
        let PurchaseParams { r, alpha, a, b } = self.params;
        let x = c.frequency as f64;
        let b_post = match self.variant {
            Variant::BgNbd => b + x,
            Variant::ModifiedBgNbd => b + x + 1.0,
        };
        bgnbd_growth(
            a,
            b_post,
            r + x,
            horizon / (alpha + c.age),
            HYP2F1_MAX_TERMS,
        )
        .map_err(|e| series_failure(e, "the expected purchases"))
    }

    /// The discounted sum of [`ClvOptions`] of the expectations if alive: what the
    /// lifetime value is, before P(alive) and the spend. It depends on the customer's
    /// frequency and age only (not recency), so customers who share both share it.
    fn discounted_if_alive(&self, c: &PurchaseSummary, options: &ClvOptions) -> Result<f64, Error> {
        options.discounted(|t| self.expected_if_alive(c, t))
    }

    /// The expected number of purchases of a new customer over their first `horizon`
    /// (lifetimes' `expected_number_of_purchases_up_to_time`): Fader, Hardie & Lee (2005)
    /// eq. 9, `E[X(t)] = (a + b − 1)/(a − 1) · [1 − (α/(α + t))^r ₂F₁(r, b; a + b − 1;
    /// t/(α + t))]`, and for the modified form Batislam et al. (2007) eq. 9, `b/(a − 1) ·
    /// [1 − (α/(α + t))^r ₂F₁(r, b + 1; a + b; t/(α + t))]`. Defined at `a = 1` and
    /// `a + b ≤ 1` as [`expected_purchases`](Self::expected_purchases) is.
    ///
    /// ```
    /// use retention::risk::models::{PurchaseModel, PurchaseParams, Variant};
    ///
    /// // Where lifetimes returns NaN (a + b < 1):
    /// let m = PurchaseModel::new(Variant::BgNbd, PurchaseParams::new(0.25, 4.0, 0.3, 0.4))?;
    /// let e = m.unconditional_expected_purchases(52.0)?;
    /// assert!(e.is_finite() && e > 0.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// `risk.invalid_horizon`; `risk.did_not_converge` or `risk.model_undefined` as for
    /// [`expected_purchases`](Self::expected_purchases).
    pub fn unconditional_expected_purchases(&self, horizon: f64) -> Result<f64, Error> {
        check_horizon(horizon)?;
        // A new customer is the customer (0, 0, 0) just after the first purchase.
        let c = PurchaseSummary::new(0, 0.0, 0.0);
        let alive = self.p_alive_unchecked(&c);
        self.expected_if_alive(&c, horizon)
            .map(|k| k * alive)
            .and_then(finite_expectation)
    }

    /// The probability that a new customer makes exactly `n` repeat purchases in their
    /// first `horizon` (lifetimes' `probability_of_n_purchases_up_to_time`): Fader,
    /// Hardie & Lee (2005) eq. 8,
    /// `B(a, b + n)/B(a, b) · NB(n) + δ(n > 0) · B(a + 1, b + n − 1)/B(a, b) · P(N ≥ n)`,
    /// where `NB(j) = Γ(r + j)/(Γ(r) j!) · (α/(α + t))^r (t/(α + t))^j` is the purchases'
    /// negative binomial; for the modified form (Batislam et al. 2007 eq. 10)
    /// `B(a, b + n + 1)/B(a, b) · NB(n) + B(a + 1, b + n)/B(a, b) · P(N ≥ n)` for every n.
    /// `P(N ≥ n)` is summed from whichever side is not a small difference (the head
    /// below n, or the tail from n), so large counts keep their digits.
    ///
    /// ```
    /// use retention::risk::models::{PurchaseModel, PurchaseParams, Variant};
    ///
    /// let m = PurchaseModel::new(Variant::BgNbd, PurchaseParams::new(0.243, 4.414, 0.793, 2.426))?;
    /// let total: f64 = (0..200).map(|n| m.probability_of_purchases(39.0, n).unwrap()).sum();
    /// assert!((total - 1.0).abs() < 1e-9);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// `risk.invalid_horizon`; `risk.did_not_converge` when the tail of the negative
    /// binomial does not converge within 500,000 terms.
    pub fn probability_of_purchases(&self, horizon: f64, n: u32) -> Result<f64, Error> {
        check_horizon(horizon)?;
        let PurchaseParams { r, alpha, a, b } = self.params;
        let nf = f64::from(n);
        let ln_beta = |p: f64, q: f64| ln_gamma(p) + ln_gamma(q) - ln_gamma(p + q);
        let ln_b_ab = ln_beta(a, b);
        let ln_p0 = -(horizon / alpha).ln_1p(); // ln(α/(α+t))
        let ln_q = -(alpha / horizon).ln_1p(); // ln(t/(α+t))
        let ln_nb =
            |j: f64| ln_gamma(r + j) - ln_gamma(r) - ln_gamma(j + 1.0) + r * ln_p0 + j * ln_q;
        let (first_b, second) = match self.variant {
            Variant::BgNbd => (b + nf, (n > 0).then(|| ln_beta(a + 1.0, b + nf - 1.0))),
            Variant::ModifiedBgNbd => (b + nf + 1.0, Some(ln_beta(a + 1.0, b + nf))),
        };
        let mut p = (ln_beta(a, first_b) - ln_b_ab + ln_nb(nf)).exp();
        if let Some(ln_c) = second {
            let at_least = nb_at_least(r, ln_p0, ln_q, n)
                .map_err(|e| series_failure(e, "the negative binomial's tail"))?;
            p += (ln_c - ln_b_ab).exp() * at_least;
        }
        if p.is_finite() {
            Ok(p.clamp(0.0, 1.0))
        } else {
            Err(Error::new(
                ErrorKind::RiskModelUndefined,
                FieldPath::root(),
                "the probability is not a number at these parameters",
            ))
        }
    }

    /// One customer's log-likelihood (Fader, Hardie & Lee 2005 eq. 6; the modified form
    /// of Batislam et al. 2007 eq. 6): the term of the book's log-likelihood for this
    /// row, with the density of the last purchase time (so in the data's time unit).
    ///
    /// # Errors
    /// The summary's problems, and `risk.inconsistent_summary` as for a row of a fit;
    /// `risk.model_undefined` when it is not a number at these parameters.
    pub fn customer_log_likelihood(&self, customer: &PurchaseSummary) -> Result<f64, Error> {
        check_row(customer)?;
        not_nan(ln_likelihood_one(
            self.variant,
            &self.params,
            customer.frequency as f64,
            customer.recency,
            customer.age,
        ))
    }

    /// The customer lifetime value: expected purchases month by month over
    /// `options.months`, each month's valued at `spend` per purchase and discounted at
    /// the monthly rate, as lifetimes' `customer_lifetime_value` does (see
    /// [`ClvOptions`] for the convention). `spend` is the expected value of one purchase
    /// (usually [`SpendModel::expected_average_spend`](super::SpendModel::expected_average_spend)).
    /// P(alive) is computed once and each month's expectation costs one series.
    ///
    /// ```
    /// use retention::risk::models::{ClvOptions, PurchaseModel, PurchaseParams, PurchaseSummary, Variant};
    ///
    /// let m = PurchaseModel::new(Variant::BgNbd, PurchaseParams::new(0.243, 4.414, 0.793, 2.426))?;
    /// let c = PurchaseSummary::new(2, 30.43, 38.86);
    /// let options = ClvOptions::default(); // 12 months, 1 % a month, weeks
    /// let clv = m.customer_lifetime_value(&c, 35.0, &options)?;
    /// let undiscounted = m.expected_purchases(&c, 12.0 * 4.345)? * 35.0;
    /// assert!(clv < undiscounted && clv > 0.9 * undiscounted);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// The summary's problems; `risk.invalid_parameter` for options out of range
    /// (`monthly_discount_rate` not above −1, `units_per_month` not above 0) or a spend
    /// that is not finite; the errors of [`expected_purchases`](Self::expected_purchases).
    pub fn customer_lifetime_value(
        &self,
        customer: &PurchaseSummary,
        spend: f64,
        options: &ClvOptions,
    ) -> Result<f64, Error> {
        customer.validate()?;
        options.check()?;
        check_spend(spend)?;
        let alive = self.p_alive_unchecked(customer);
        let v = self.discounted_if_alive(customer, options)?;
        finite_expectation(v * alive * spend)
    }

    /// [`p_alive`](Self::p_alive) of each customer.
    ///
    /// # Errors
    /// The first customer's problems, at `customers[i]...`.
    pub fn p_alive_batch(&self, customers: &[PurchaseSummary]) -> Result<Vec<f64>, Error> {
        batch(customers, |c| self.p_alive(c))
    }

    /// [`expected_purchases`](Self::expected_purchases) of each customer over `horizon`.
    ///
    /// # Errors
    /// The first failure, at `customers[i]...` (`horizon` for the horizon).
    pub fn expected_purchases_batch(
        &self,
        customers: &[PurchaseSummary],
        horizon: f64,
    ) -> Result<Vec<f64>, Error> {
        check_horizon(horizon)?;
        batch(customers, |c| self.expected_purchases(c, horizon))
    }

    /// [`customer_log_likelihood`](Self::customer_log_likelihood) of each customer.
    ///
    /// # Errors
    /// The first failure, at `customers[i]...`.
    pub fn customer_log_likelihoods(
        &self,
        customers: &[PurchaseSummary],
    ) -> Result<Vec<f64>, Error> {
        batch(customers, |c| self.customer_log_likelihood(c))
    }

    /// [`customer_lifetime_value`](Self::customer_lifetime_value) of each customer,
    /// with the spend per purchase from `spend` (its
    /// [`expected_average_spend`](super::SpendModel::expected_average_spend): the
    /// customer's own average moved towards the population's).
    ///
    /// # Errors
    /// The options' problems; the first customer's failure, at `customers[i]...`.
    pub fn customer_lifetime_values(
        &self,
        customers: &[PurchaseSummary],
        spend: &SpendModel,
        options: &ClvOptions,
    ) -> Result<Vec<f64>, Error> {
        options.check()?;
        // The discounted expectations depend on frequency and age only: customers who
        // share both (most of a book whose ages are whole days or weeks) share them.
        self.clv_batch(customers, spend, options, &mut SharedByAge::default())
    }

    /// The batch of lifetime values, sharing the discounted expectations of customers
    /// who have the same frequency and age through `shared`.
    pub(crate) fn clv_batch(
        &self,
        customers: &[PurchaseSummary],
        spend: &SpendModel,
        options: &ClvOptions,
        shared: &mut SharedByAge,
    ) -> Result<Vec<f64>, Error> {
        lifetime_values(
            customers,
            spend,
            shared,
            |c| Ok(self.p_alive_unchecked(c)),
            |c| self.discounted_if_alive(c, options),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book() -> Vec<PurchaseSummary> {
        [
            (0, 0.0, 38.86),
            (2, 30.43, 38.86),
            (1, 1.71, 38.86),
            (0, 0.0, 38.86),
            (7, 29.43, 38.86),
            (1, 5.0, 38.86),
            (0, 0.0, 38.71),
            (5, 24.43, 38.71),
            (10, 34.14, 38.71),
            (1, 4.86, 38.57),
            (3, 28.29, 38.57),
            (0, 0.0, 38.43),
        ]
        .iter()
        .map(|&(x, tx, t)| PurchaseSummary::new(x, tx, t))
        .collect()
    }

    fn numeric_gradient(variant: Variant) {
        let mut data = Prepared::new(&book(), None, variant);
        let p = PurchaseParams::new(0.243, 4.414, 0.793, 2.426);
        let mut g = [0.0; 4];
        data.log_likelihood(&p, &mut g);
        let base = [p.r, p.alpha, p.a, p.b];
        for i in 0..4 {
            let h = 1e-6 * base[i];
            let mut up = base;
            let mut down = base;
            up[i] += h;
            down[i] -= h;
            let mut scratch = [0.0; 4];
            let f_up = data.log_likelihood(
                &PurchaseParams::new(up[0], up[1], up[2], up[3]),
                &mut scratch,
            );
            let f_down = data.log_likelihood(
                &PurchaseParams::new(down[0], down[1], down[2], down[3]),
                &mut scratch,
            );
            let numeric = (f_up - f_down) / (2.0 * h);
            assert!(
                (numeric - g[i]).abs() < 1e-5 * (1.0 + g[i].abs()),
                "{variant:?} parameter {i}: analytic {} numeric {numeric}",
                g[i]
            );
        }
    }

    #[test]
    fn analytic_gradients_match_finite_differences() {
        numeric_gradient(Variant::BgNbd);
        numeric_gradient(Variant::ModifiedBgNbd);
    }

    #[test]
    fn the_likelihood_matches_the_paper_formula_for_one_customer() {
        // Direct transcription of Fader, Hardie & Lee (2005) eq. 6, in plain floats.
        let (r, al, a, b) = (0.243_f64, 4.414_f64, 0.793_f64, 2.426_f64);
        let (x, tx, t) = (2.0_f64, 30.43_f64, 38.86_f64);
        let beta = |p: f64, q: f64| (ln_gamma(p) + ln_gamma(q) - ln_gamma(p + q)).exp();
        let g = (ln_gamma(r + x) - ln_gamma(r)).exp() * al.powf(r);
        let l = beta(a, b + x) / beta(a, b) * g / (al + t).powf(r + x)
            + beta(a + 1.0, b + x - 1.0) / beta(a, b) * g / (al + tx).powf(r + x);
        let model = PurchaseModel::new(Variant::BgNbd, PurchaseParams::new(r, al, a, b)).unwrap();
        let ours = model
            .log_likelihood(&[PurchaseSummary::new(2, tx, t)])
            .unwrap();
        assert!((ours - l.ln()).abs() < 1e-12, "{ours} vs {}", l.ln());
    }

    #[test]
    fn p_alive_matches_the_closed_form_and_never_overflows() {
        let m = PurchaseModel::new(
            Variant::BgNbd,
            PurchaseParams::new(0.243, 4.414, 0.793, 2.426),
        )
        .unwrap();
        let c = PurchaseSummary::new(2, 30.43, 38.86);
        let want = 1.0
            / (1.0
                + 0.793 / (2.426 + 2.0 - 1.0)
                    * ((4.414 + 38.86) / (4.414 + 30.43_f64)).powf(2.243));
        assert!((m.p_alive(&c).unwrap() - want).abs() < 1e-14);
        assert_eq!(m.p_alive(&PurchaseSummary::new(0, 0.0, 38.0)).unwrap(), 1.0);
        let huge = m
            .p_alive(&PurchaseSummary::new(1_000_000_000, 1.0, 1e6))
            .unwrap();
        assert!(huge.is_finite() && (0.0..=1.0).contains(&huge));
        let md = PurchaseModel::new(Variant::ModifiedBgNbd, m.params()).unwrap();
        assert!(md.p_alive(&PurchaseSummary::new(0, 0.0, 38.0)).unwrap() < 1.0);
    }

    #[test]
    fn expected_purchases_grow_with_the_horizon_and_stay_finite() {
        for variant in [Variant::BgNbd, Variant::ModifiedBgNbd] {
            let m = PurchaseModel::new(variant, PurchaseParams::new(0.243, 4.414, 0.793, 2.426))
                .unwrap();
            let c = PurchaseSummary::new(2, 30.43, 38.86);
            let mut last = 0.0;
            for h in [1.0, 10.0, 39.0, 52.0, 520.0, 5_200.0] {
                let e = m.expected_purchases(&c, h).unwrap();
                assert!(e.is_finite() && e > last, "{variant:?} {h}: {e}");
                last = e;
            }
            let big = m
                .expected_purchases(&PurchaseSummary::new(5_000, 38.86, 38.86), 52.0)
                .unwrap();
            assert!(big.is_finite() && big > 1_000.0, "{big}");
        }
    }

    #[test]
    fn over_a_short_horizon_expected_purchases_are_p_alive_times_the_posterior_rate() {
        // E[Y(t)] / t → P(alive) · (r + x) / (α + T) as t → 0: an independent check of
        // the hypergeometric closed form, for both variants.
        for variant in [Variant::BgNbd, Variant::ModifiedBgNbd] {
            let m = PurchaseModel::new(variant, PurchaseParams::new(0.243, 4.414, 0.793, 2.426))
                .unwrap();
            for c in [
                PurchaseSummary::new(2, 30.43, 38.86),
                PurchaseSummary::new(0, 0.0, 20.0),
                PurchaseSummary::new(12, 10.0, 38.0),
            ] {
                let t = 1e-4;
                let rate = m.expected_purchases(&c, t).unwrap() / t;
                let x = c.frequency as f64;
                let want = m.p_alive(&c).unwrap() * (0.243 + x) / (4.414 + c.age);
                assert!(
                    (rate / want - 1.0).abs() < 1e-3,
                    "{variant:?} {c:?}: {rate} vs {want}"
                );
            }
        }
    }

    #[test]
    fn expected_purchases_match_the_lifetimes_reference_value() {
        // lifetimes' BetaGeoFitter with the CDNOW parameters gives
        // conditional_expected_number_of_purchases_up_to_time(39, 2, 30.43, 38.86) = 1.226
        // (Fader, Hardie & Lee 2005, figure for customer 1 of the CDNOW sample).
        let m = PurchaseModel::new(
            Variant::BgNbd,
            PurchaseParams::new(0.243, 4.414, 0.793, 2.426),
        )
        .unwrap();
        let e = m
            .expected_purchases(&PurchaseSummary::new(2, 30.43, 38.86), 39.0)
            .unwrap();
        assert!((e - 1.226).abs() < 0.002, "{e}");
    }
}
