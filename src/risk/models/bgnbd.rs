//! BG/NBD and modified BG/NBD: purchase counts and drop-out, fitted by maximum likelihood.

use serde::{Deserialize, Serialize};

use super::optim::{self, Objective, Settings};
use super::special::{digamma, ln_gamma, ln_hyp2f1, softplus_sigmoid};
use super::{
    FitOptions, FitReport, PurchaseSummary, check_book, check_horizon, check_param, fit_failure,
    not_nan,
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
    variant: Variant,
    penalizer: f64,
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
    fn new(book: &[PurchaseSummary], variant: Variant, penalizer: f64) -> Prepared {
        let mut keyed: Vec<(i64, f64, f64)> = book
            .iter()
            .map(|c| (c.frequency, c.recency, c.age))
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
        for k in &keyed {
            let xi = index_of(&xs, k.0 as f64);
            if let Some(w) = x_weight.get_mut(xi as usize) {
                *w += 1.0;
            }
            match (last, rows.last_mut()) {
                (Some(l), Some(row)) if l == *k => row.weight += 1.0,
                _ => rows.push(Row {
                    x: xi,
                    age: index_of(&ages, k.2),
                    recency: index_of(&recencies, k.1),
                    weight: 1.0,
                }),
            }
            last = Some(*k);
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
            total_weight: book.len() as f64,
            variant,
            penalizer,
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

impl Objective<4> for Prepared {
    fn value_grad(&mut self, theta: &[f64; 4], grad: &mut [f64; 4]) -> f64 {
        let p = [
            theta[0].exp(),
            theta[1].exp(),
            theta[2].exp(),
            theta[3].exp(),
        ];
        let params = PurchaseParams::new(p[0], p[1], p[2], p[3]);
        let mut g = [0.0; 4];
        let ll = self.log_likelihood(&params, &mut g);
        let n = self.total_weight;
        let mut f = -ll / n;
        for i in 0..4 {
            f += self.penalizer * theta[i] * theta[i];
            grad[i] = -g[i] / n * p[i] + 2.0 * self.penalizer * theta[i];
        }
        if f.is_finite() && grad.iter().all(|v| v.is_finite()) {
            f
        } else {
            f64::INFINITY
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
    /// α = mean age / mean frequency, a = b = 1), with analytic gradients, until the
    /// largest gradient component of the mean log-likelihood is below 1e-9 (or below
    /// 1e-6 once a step no longer changes the likelihood beyond rounding).
    ///
    /// # Errors
    /// Every problem of the book at `customers[i]...` (see [`PurchaseSummary::validate`]);
    /// `risk.empty_book` for no customers; `risk.degenerate_data` when every customer
    /// has the same history or nobody bought twice (the parameters cannot be told
    /// apart); `risk.invalid_parameter` for a negative penalizer; `risk.fit_failed`
    /// when a parameter runs away (the data do not identify it: a penalizer helps) or the
    /// iteration limit is reached.
    pub fn fit(
        book: &[PurchaseSummary],
        variant: Variant,
        options: &FitOptions,
    ) -> Result<FitReport<PurchaseModel>, Error> {
        options.check()?;
        check_book(book)?;
        let mut data = Prepared::new(book, variant, options.penalizer);
        let path = FieldPath::root().field("customers");
        if data.rows.len() < 2 {
            return Err(Error::new(
                ErrorKind::RiskDegenerateData,
                path,
                format!(
                    "all {} customers have the same purchase history: it cannot tell the \
                     model's parameters apart",
                    book.len()
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
        let mean_x = book.iter().map(|c| c.frequency as f64).sum::<f64>() / book.len() as f64;
        let mean_t = book.iter().map(|c| c.age).sum::<f64>() / book.len() as f64;
        let alpha0 = if mean_t > 0.0 && mean_x > 0.0 {
            (mean_t / mean_x).ln().clamp(-10.0, 10.0)
        } else {
            0.0
        };
        let settings = Settings {
            max_iterations: options.max_iterations,
            ..Settings::default()
        };
        let min = optim::minimize(&mut data, [0.0, alpha0, 0.0, 0.0], settings);
        if let Some(e) = fit_failure(
            min.outcome,
            &["r", "alpha", "a", "b"],
            &min.theta,
            min.iterations,
            min.grad_max,
        ) {
            return Err(e);
        }
        let t = min.theta;
        let model = PurchaseModel::new(
            variant,
            PurchaseParams::new(t[0].exp(), t[1].exp(), t[2].exp(), t[3].exp()),
        )?;
        let mut g = [0.0; 4];
        let log_likelihood = data.log_likelihood(&model.params, &mut g);
        Ok(FitReport::from_run(
            model,
            log_likelihood,
            options,
            book.len(),
            data.rows.len(),
            &min,
        ))
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
        let mut data = Prepared::new(book, self.variant, 0.0);
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
    /// given the customer's history (the conditional expectation of the papers).
    ///
    /// Uses Gauss's hypergeometric function ₂F₁, summed as a positive series in log
    /// space. It needs the series' third parameter above 0 (`a + b + x − 1` for plain
    /// BG/NBD; always so for a repeat buyer or the modified model), `a` not within 1e-9
    /// of 1 (where the closed form is 0/0), and convergence within the documented term
    /// limit (about 40,000 terms at a horizon 1,000 times the customer's age).
    ///
    /// # Errors
    /// The summary's problems; `risk.invalid_horizon` for a horizon that is 0, negative
    /// or not finite; `risk.model_undefined` when one of the conditions above fails.
    /// Never a NaN.
    pub fn expected_purchases(
        &self,
        customer: &PurchaseSummary,
        horizon: f64,
    ) -> Result<f64, Error> {
        customer.validate()?;
        check_horizon(horizon)?;
        let PurchaseParams { r, alpha, a, b } = self.params;
        let x = customer.frequency as f64;
        let age = customer.age;
        let undefined =
            |why: String| Error::new(ErrorKind::RiskModelUndefined, FieldPath::root(), why);
        if (a - 1.0).abs() < 1e-9 {
            return Err(undefined(format!(
                "the expected purchases are 0/0 at a = {a} (within 1e-9 of 1)"
            )));
        }
        let (lead, hb, hc) = match self.variant {
            Variant::BgNbd => (a + b + x - 1.0, b + x, a + b + x - 1.0),
            Variant::ModifiedBgNbd => (a + b + x, b + x + 1.0, a + b + x),
        };
        let z = horizon / (alpha + age + horizon);
        let ln_one_minus_z = ((alpha + age) / (alpha + age + horizon)).ln();
        let ln_f = ln_hyp2f1(r + x, hb, hc, z).ok_or_else(|| {
            undefined(format!(
                "the hypergeometric series 2F1({}, {hb}, {hc}; {z}) is outside its domain or did \
                 not converge within {} terms",
                r + x,
                super::special::HYP2F1_MAX_TERMS
            ))
        })?;
        let bracket = -((r + x) * ln_one_minus_z + ln_f).exp_m1();
        let numerator = lead / (a - 1.0) * bracket;
        let alive = self.p_alive_unchecked(customer);
        let e = numerator * alive;
        if e.is_finite() {
            Ok(e.max(0.0))
        } else {
            Err(undefined(format!(
                "the expected purchases over {horizon} overflow at these parameters"
            )))
        }
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
        let mut data = Prepared::new(&book(), variant, 0.0);
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
