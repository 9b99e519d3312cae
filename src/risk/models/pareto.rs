//! Pareto/NBD (Schmittlein, Morrison & Colombo 1987), in the likelihood form of Fader,
//! Hardie & Lee's note (2005): purchases Poisson(λ) while alive, λ ~ Gamma(r, α),
//! lifetimes exponential(μ), μ ~ Gamma(s, β).

use serde::{Deserialize, Serialize};

use super::fitting::{self, LikelihoodPartial};
use super::optim::Settings;
use super::special::{
    HYP2F1_MAX_TERMS, SeriesError, digamma, expm1_over, ln_gamma, ln_hyp2f1_within,
    softplus_sigmoid,
};
use super::{
    ClvOptions, FitOptions, FitReport, PurchaseSummary, SharedByAge, SpendModel, batch, check_book,
    check_horizon, check_param, check_row, check_spend, check_weighted_book, finite_expectation,
    lifetime_values, not_nan, series_failure,
};
use crate::error::{Error, ErrorKind, FieldPath, Problems};

/// The four Pareto/NBD parameters. In JSON: `{"r": 0.553, "alpha": 10.578, "s": 0.606,
/// "beta": 11.669}`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ParetoParams {
    /// Shape of the purchase-rate distribution.
    pub r: f64,
    /// Scale of the purchase-rate distribution, in the data's time unit.
    pub alpha: f64,
    /// Shape of the drop-out-rate distribution.
    pub s: f64,
    /// Scale of the drop-out-rate distribution, in the data's time unit.
    pub beta: f64,
}

impl ParetoParams {
    /// The parameters, in the order of the literature.
    pub fn new(r: f64, alpha: f64, s: f64, beta: f64) -> ParetoParams {
        ParetoParams { r, alpha, s, beta }
    }
}

/// A fitted (or host-supplied) Pareto/NBD model. In JSON, its [`ParetoParams`]; reading
/// checks them.
///
/// The likelihood needs Gauss's ₂F₁ twice per customer, so the fit uses central finite
/// differences of the log-likelihood for its gradient (the BG/NBD fits use analytic
/// ones) and is slower than theirs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(try_from = "ParetoParams", into = "ParetoParams")]
pub struct ParetoModel {
    params: ParetoParams,
}

impl TryFrom<ParetoParams> for ParetoModel {
    type Error = Error;
    fn try_from(p: ParetoParams) -> Result<Self, Error> {
        ParetoModel::new(p)
    }
}

impl From<ParetoModel> for ParetoParams {
    fn from(m: ParetoModel) -> Self {
        m.params
    }
}

/// The most terms of one series while fitting. Where the data fix only the ratio of `s`
/// to `beta`, the fit walks both up together, and a series at `beta` needs about
/// `beta / (alpha + t)` terms: past this many, the fit treats the likelihood as
/// undefined and its line search turns back, so the work of a fit stays bounded by the
/// book's size rather than by how far the parameters could wander. (A model's own
/// `p_alive`, `expected_purchases` and `log_likelihood` sum up to the full
/// [`HYP2F1_MAX_TERMS`].)
const FIT_SERIES_TERMS: usize = 10_000;

/// `ln A₀` of the likelihood (`None` when A₀ is 0, at recency = age, or the series
/// fails within `max_terms` terms), for one customer.
fn ln_a0(
    p: &ParetoParams,
    x: f64,
    recency: f64,
    age: f64,
    max_terms: usize,
) -> Option<Option<f64>> {
    let ParetoParams { r, alpha, s, beta } = *p;
    let rsx = r + s + x;
    let (big, small, b1) = if alpha >= beta {
        (alpha, beta, s + 1.0)
    } else {
        (beta, alpha, r + x)
    };
    let term = |t: f64| -> Option<f64> {
        let z = (big - small) / (big + t);
        Some(ln_hyp2f1_within(rsx, b1, rsx + 1.0, z, max_terms).ok()? - rsx * (big + t).ln())
    };
    let u = term(recency)?;
    let v = term(age)?;
    if v >= u {
        return Some(None);
    }
    Some(Some(u + (-(v - u).exp()).ln_1p()))
}

/// `ln` of the odds dead : alive is the second likelihood term over the first.
fn ln_terms(
    p: &ParetoParams,
    x: f64,
    recency: f64,
    age: f64,
    max_terms: usize,
) -> Option<(f64, Option<f64>)> {
    let ParetoParams { r, alpha, s, beta } = *p;
    let first = -(r + x) * (alpha + age).ln() - s * (beta + age).ln();
    let second = ln_a0(p, x, recency, age, max_terms)?.map(|a0| (s / (r + s + x)).ln() + a0);
    Some((first, second))
}

/// `ln ₂F₁(a, b; a + 1; z)` and its derivatives in `a`, `b` and `z`, for the Pareto/NBD
/// likelihood. With c = a + 1 the terms simplify to `a/(a + n) · (b)ₙ zⁿ/n!` (one
/// division fewer than the general series), and the derivatives are sums of the same
/// terms times `n/(a(a + n))`, `Σ_{k<n} 1/(b + k)` and `n/z`: the series and its gradient
/// in one pass. `None` when `z` is outside `[0, 1)` or the series has not converged
/// within `max_terms` terms.
fn ln_hyp2f1_a1_grad(
    a: f64,
    b: f64,
    z: f64,
    max_terms: usize,
) -> Result<(f64, f64, f64, f64), SeriesError> {
    if !(a > 0.0 && b > 0.0 && (0.0..1.0).contains(&z) && a.is_finite() && b.is_finite()) {
        return Err(SeriesError::OutsideDomain);
    }
    if z == 0.0 {
        return Ok((0.0, 0.0, 0.0, a * b / (a + 1.0)));
    }
    // Sums scaled by e^-shift: F, ∂F/∂a, ∂F/∂b, z ∂F/∂z.
    let (mut f, mut fa, mut fb, mut fz) = (1.0_f64, 0.0_f64, 0.0_f64, 0.0_f64);
    let mut shift = 0.0_f64;
    let mut u = 1.0_f64; // (b)_n z^n / n!
    let mut h = 0.0_f64; // Σ_{k<n} 1/(b + k)
    for n in 0..max_terms {
        let k = n as f64;
        let ratio = (b + k) * z / (k + 1.0);
        u *= ratio;
        h += 1.0 / (b + k);
        let m = k + 1.0;
        let t = u * a / (a + m);
        f += t;
        fa += t * m / (a * (a + m));
        fb += t * h;
        fz += t * m;
        if f > 1e250 {
            let s = 1.0 / f;
            shift += f.ln();
            u *= s;
            fa *= s;
            fb *= s;
            fz *= s;
            f = 1.0;
        }
        if ratio < 1.0 && t * (m + 1.0) * (1.0 + h) <= 1e-17 * f * (1.0 - ratio) {
            let ln_f = shift + f.ln();
            let out = (ln_f, fa / f, fb / f, fz / (f * z));
            return if [out.0, out.1, out.2, out.3].iter().all(|v| v.is_finite()) {
                Ok(out)
            } else {
                Err(SeriesError::DidNotConverge)
            };
        }
        if !u.is_finite() {
            return Err(SeriesError::DidNotConverge);
        }
    }
    Err(SeriesError::DidNotConverge)
}

/// One of the two terms of `ln A₀` at time `t` (recency or age) with its gradient in
/// (r, α, s, β): `ln ₂F₁(r + s + x, b₁; r + s + x + 1; z) − (r + s + x) ln(big + t)`,
/// `z = (big − small)/(big + t)`, where big is the larger of α and β and `b₁` is `s + 1`
/// when α ≥ β, else `r + x` (Fader, Hardie & Lee 2005, "A note on deriving the Pareto/NBD
/// model and related expressions", eq. 22 and its two cases).
fn a0_term(
    p: &ParetoParams,
    x: f64,
    t: f64,
    max_terms: usize,
) -> Result<(f64, [f64; 4]), SeriesError> {
    let ParetoParams { r, alpha, s, beta } = *p;
    let a1 = r + s + x;
    let alpha_big = alpha >= beta;
    let (big, small, b1) = if alpha_big {
        (alpha, beta, s + 1.0)
    } else {
        (beta, alpha, r + x)
    };
    let db = big + t;
    let z = (big - small) / db;
    let (ln_f, fa, fb, fz) = ln_hyp2f1_a1_grad(a1, b1, z, max_terms)?;
    let ln_db = db.ln();
    let value = ln_f - a1 * ln_db;
    let d_big = fz * (small + t) / (db * db) - a1 / db;
    let d_small = -fz / db;
    let g = if alpha_big {
        [fa - ln_db, d_big, fa + fb - ln_db, d_small]
    } else {
        [fa + fb - ln_db, d_small, fa - ln_db, d_big]
    };
    Ok((value, g))
}

/// One row's log-likelihood and gradient (Fader, Hardie & Lee 2005 note, eq. 22):
/// `ln Γ(r + x) − ln Γ(r) + r ln α + s ln β + ln[(α + T)^−(r+x) (β + T)^−s + s/(r + s + x)
/// · A₀]`, without the `ln Γ(r + x) − ln Γ(r)` and `r ln α + s ln β` parts, which the
/// caller adds once per distinct x and once per book. `None` where a series fails.
fn row_mix(
    p: &ParetoParams,
    x: f64,
    recency: f64,
    age: f64,
    max_terms: usize,
) -> Result<(f64, [f64; 4]), SeriesError> {
    let ParetoParams { r, alpha, s, beta } = *p;
    let (la, lb) = ((alpha + age).ln(), (beta + age).ln());
    let first = -(r + x) * la - s * lb;
    let d_first = [-la, -(r + x) / (alpha + age), -lb, -s / (beta + age)];
    let (u, du) = a0_term(p, x, recency, max_terms)?;
    let (v, dv) = a0_term(p, x, age, max_terms)?;
    if v >= u {
        return Ok((first, d_first));
    }
    let e = (v - u).exp();
    let ln_a0 = u + (-e).ln_1p();
    let rsx = r + s + x;
    let second = (s / rsx).ln() + ln_a0;
    let mut d_second = [0.0; 4];
    for i in 0..4 {
        d_second[i] = (du[i] - e * dv[i]) / (1.0 - e);
    }
    d_second[0] -= 1.0 / rsx;
    d_second[2] += 1.0 / s - 1.0 / rsx;
    let (hi, lo) = if first >= second {
        (first, second)
    } else {
        (second, first)
    };
    let mix = hi + softplus_sigmoid(lo - hi).0;
    let w1 = softplus_sigmoid(first - second).1;
    let mut g = [0.0; 4];
    for i in 0..4 {
        g[i] = w1 * d_first[i] + (1.0 - w1) * d_second[i];
    }
    Ok((mix, g))
}

struct Prepared {
    /// (x, recency, age, weight), duplicates collapsed, sorted by x.
    rows: Vec<(f64, f64, f64, f64)>,
    total_weight: f64,
    mean_x: f64,
    mean_age: f64,
    /// The most terms of one series.
    max_terms: usize,
}

impl Prepared {
    fn new(book: &[PurchaseSummary], weights: Option<&[f64]>, max_terms: usize) -> Prepared {
        let mut keyed: Vec<(f64, f64, f64, f64)> = book
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let w = weights.and_then(|w| w.get(i)).copied().unwrap_or(1.0);
                (c.frequency as f64, c.recency, c.age, w)
            })
            .collect();
        keyed.sort_by(|l, r| {
            l.0.total_cmp(&r.0)
                .then(l.1.total_cmp(&r.1))
                .then(l.2.total_cmp(&r.2))
        });
        let mut rows: Vec<(f64, f64, f64, f64)> = Vec::new();
        let (mut total, mut sx, mut st) = (0.0, 0.0, 0.0);
        for k in keyed {
            total += k.3;
            sx += k.3 * k.0;
            st += k.3 * k.2;
            match rows.last_mut() {
                Some(row) if (row.0, row.1, row.2) == (k.0, k.1, k.2) => row.3 += k.3,
                _ => rows.push(k),
            }
        }
        Prepared {
            rows,
            total_weight: total,
            mean_x: if total > 0.0 { sx / total } else { 0.0 },
            mean_age: if total > 0.0 { st / total } else { 0.0 },
            max_terms,
        }
    }

    /// The log-likelihood of the book and its gradient in (r, α, s, β), or `None` where
    /// a series fails.
    fn log_likelihood(&self, p: &ParetoParams) -> Result<(f64, [f64; 4]), SeriesError> {
        let ParetoParams { r, alpha, s, beta } = *p;
        let (lg_r, dg_r) = (ln_gamma(r), digamma(r));
        let (ln_alpha, ln_beta) = (alpha.ln(), beta.ln());
        let mut ll = 0.0;
        let mut g = [0.0; 4];
        let mut sum_w = 0.0;
        // ln Γ(r + x) and ψ(r + x), once per distinct x (the rows are sorted by x).
        let mut cached = (f64::NAN, 0.0, 0.0);
        for &(x, recency, age, w) in &self.rows {
            if cached.0 != x {
                cached = (x, ln_gamma(r + x), digamma(r + x));
            }
            let (mix, dm) = row_mix(p, x, recency, age, self.max_terms)?;
            ll += w * (cached.1 - lg_r + mix);
            g[0] += w * (cached.2 - dg_r + dm[0]);
            g[1] += w * dm[1];
            g[2] += w * dm[2];
            g[3] += w * dm[3];
            sum_w += w;
        }
        ll += sum_w * (r * ln_alpha + s * ln_beta);
        g[0] += sum_w * ln_alpha;
        g[1] += sum_w * r / alpha;
        g[2] += sum_w * ln_beta;
        g[3] += sum_w * s / beta;
        Ok((ll, g))
    }

    /// The partial at `p`: a non-finite log-likelihood where a series fails.
    fn partial(&self, p: &ParetoParams) -> LikelihoodPartial {
        match self.log_likelihood(p) {
            Ok((ll, g)) => LikelihoodPartial::from_array(ll, g, self.total_weight),
            Err(_) => LikelihoodPartial::from_array(f64::NEG_INFINITY, [0.0; 4], self.total_weight),
        }
    }
}

impl ParetoModel {
    /// A model with parameters a host already has.
    ///
    /// # Errors
    /// `risk.invalid_parameter` at `r`, `alpha`, `s` or `beta` for a parameter that is
    /// not a finite number above 0.
    pub fn new(params: ParetoParams) -> Result<ParetoModel, Error> {
        Problems::collect(|pr| {
            check_param("r", params.r, pr);
            check_param("alpha", params.alpha, pr);
            check_param("s", params.s, pr);
            check_param("beta", params.beta, pr);
        })?;
        Ok(ParetoModel { params })
    }

    /// The parameters.
    pub fn params(&self) -> ParetoParams {
        self.params
    }

    /// Fits the model by maximum likelihood (duplicates collapsed, log-parameters, from
    /// the fixed start r = s = 1, α = β = mean age / mean frequency), with the analytic
    /// gradient of the likelihood of Fader, Hardie & Lee's note (2005) eq. 22: the
    /// hypergeometric series and its derivatives in its parameters and argument are
    /// summed in one pass (see the module docs).
    ///
    /// # Errors
    /// As [`PurchaseModel::fit`](super::PurchaseModel::fit).
    pub fn fit(
        book: &[PurchaseSummary],
        options: &FitOptions,
    ) -> Result<FitReport<ParetoModel>, Error> {
        ParetoModel::fit_weighted(book, None, None, options)
    }

    /// [`fit`](Self::fit) with a weight per row and from a given start, as
    /// [`PurchaseModel::fit_weighted`](super::PurchaseModel::fit_weighted).
    ///
    /// # Errors
    /// As [`PurchaseModel::fit_weighted`](super::PurchaseModel::fit_weighted).
    pub fn fit_weighted(
        book: &[PurchaseSummary],
        weights: Option<&[f64]>,
        start: Option<ParetoParams>,
        options: &FitOptions,
    ) -> Result<FitReport<ParetoModel>, Error> {
        options.check()?;
        check_weighted_book(book, weights)?;
        let data = Prepared::new(book, weights, FIT_SERIES_TERMS);
        let path = FieldPath::root().field("customers");
        if data.rows.len() < 2 || book.iter().all(|c| c.frequency == 0) {
            return Err(Error::new(
                ErrorKind::RiskDegenerateData,
                path,
                "the customers cannot identify the model: all alike, or nobody bought twice",
            ));
        }
        let start = start.unwrap_or_else(|| {
            let scale0 = if data.mean_age > 0.0 && data.mean_x > 0.0 {
                (data.mean_age / data.mean_x).clamp((-10f64).exp(), 10f64.exp())
            } else {
                1.0
            };
            ParetoParams::new(1.0, scale0, 1.0, scale0)
        });
        let customers = data.total_weight.round() as usize;
        let distinct = data.rows.len();
        let report = ParetoModel::fit_partials(start, options, |p| Ok(data.partial(p)))?;
        Ok(FitReport {
            customers,
            distinct_rows: distinct,
            ..report
        })
    }

    /// The log-likelihood of a slice of customers at `params` with its gradient in (r,
    /// α, s, β), as [`PurchaseModel::partial`](super::PurchaseModel::partial). Each
    /// series sums at most the full term limit; where one fails, the partial's
    /// log-likelihood is −∞ (outside the region where the fit can go).
    ///
    /// # Errors
    /// As [`PurchaseModel::partial`](super::PurchaseModel::partial).
    pub fn partial(
        params: ParetoParams,
        book: &[PurchaseSummary],
        weights: Option<&[f64]>,
    ) -> Result<LikelihoodPartial, Error> {
        ParetoModel::new(params)?;
        if book.is_empty() {
            return Ok(LikelihoodPartial::empty(4));
        }
        check_weighted_book(book, weights)?;
        Ok(Prepared::new(book, weights, FIT_SERIES_TERMS).partial(&params))
    }

    /// Fits the model from a function summing partials, as
    /// [`PurchaseModel::fit_partials`](super::PurchaseModel::fit_partials).
    ///
    /// # Errors
    /// As [`PurchaseModel::fit_partials`](super::PurchaseModel::fit_partials).
    pub fn fit_partials(
        start: ParetoParams,
        options: &FitOptions,
        mut partials: impl FnMut(&ParetoParams) -> Result<LikelihoodPartial, Error>,
    ) -> Result<FitReport<ParetoModel>, Error> {
        options.check()?;
        let settings = Settings {
            max_iterations: options.max_iterations,
            ..Settings::default()
        };
        let mut eval = |p: &[f64; 4]| partials(&ParetoParams::new(p[0], p[1], p[2], p[3]));
        let driven = fitting::drive(
            ["r", "alpha", "s", "beta"],
            [start.r, start.alpha, start.s, start.beta],
            options,
            settings,
            &mut eval,
        )?;
        let p = driven.params;
        let model = ParetoModel::new(ParetoParams::new(p[0], p[1], p[2], p[3]))?;
        let customers = driven.weight.round() as usize;
        Ok(FitReport::from_driven(model, driven, options, customers, 0))
    }

    /// The log-likelihood of a book under this model.
    ///
    /// # Errors
    /// The book's problems; `risk.did_not_converge` when a hypergeometric series does not
    /// converge; `risk.model_undefined` when the log-likelihood is not a number at these
    /// parameters (at extremes such as `beta = f64::MAX`, where its terms overflow
    /// against each other).
    pub fn log_likelihood(&self, book: &[PurchaseSummary]) -> Result<f64, Error> {
        check_book(book)?;
        let (ll, _) = Prepared::new(book, None, HYP2F1_MAX_TERMS)
            .log_likelihood(&self.params)
            .map_err(|e| {
                series_failure(e, "a hypergeometric series of the Pareto/NBD likelihood")
            })?;
        not_nan(ll)
    }

    /// One customer's log-likelihood (Fader, Hardie & Lee 2005 note, eq. 22).
    ///
    /// # Errors
    /// The summary's problems and `risk.inconsistent_summary`; `risk.did_not_converge`
    /// when a series does not converge; `risk.model_undefined` for a NaN.
    pub fn customer_log_likelihood(&self, customer: &PurchaseSummary) -> Result<f64, Error> {
        check_row(customer)?;
        let (ll, _) = Prepared::new(std::slice::from_ref(customer), None, HYP2F1_MAX_TERMS)
            .log_likelihood(&self.params)
            .map_err(|e| {
                series_failure(e, "a hypergeometric series of the Pareto/NBD likelihood")
            })?;
        not_nan(ll)
    }

    /// The probability that the customer is still alive (Fader, Hardie & Lee 2005 note,
    /// eq. 18).
    ///
    /// # Errors
    /// The summary's problems; `risk.did_not_converge` when a hypergeometric series does
    /// not converge.
    pub fn p_alive(&self, c: &PurchaseSummary) -> Result<f64, Error> {
        c.validate()?;
        let (first, second) = ln_terms(
            &self.params,
            c.frequency as f64,
            c.recency,
            c.age,
            HYP2F1_MAX_TERMS,
        )
        .ok_or_else(series_error)?;
        let odds = second.map(|sec| first - sec);
        match odds {
            // Both terms infinite (r = f64::MAX with s = 5e-324, say): the odds are not
            // a number, and no probability can be given.
            Some(d) if d.is_nan() => Err(Error::new(
                ErrorKind::RiskModelUndefined,
                FieldPath::root(),
                "P(alive) is not a number at these parameters: both terms of its odds overflow",
            )),
            Some(d) => Ok(softplus_sigmoid(d).1),
            None => Ok(1.0),
        }
    }

    /// `E[Y(t) | alive]`: `(r + x)(β + T) / ((α + T)(s − 1)) · [1 − ((β + T)/(β + T +
    /// t))^(s−1)]`, written with `(eᵘ − 1)/u` so `s = 1` gives its limit `(r + x)/(α + T)
    /// · (β + T) ln(1 + t/(β + T))`.
    fn expected_if_alive(&self, c: &PurchaseSummary, horizon: f64) -> f64 {
        let ParetoParams { r, alpha, s, beta } = self.params;
        let x = c.frequency as f64;
        let bt = beta + c.age;
        let ln_ratio = -(horizon / bt).ln_1p();
        let lifetime_factor = -ln_ratio * bt * expm1_over((s - 1.0) * ln_ratio);
        (r + x) / (alpha + c.age) * lifetime_factor
    }

    /// The expected number of purchases in the next `horizon`, given the history
    /// (Schmittlein, Morrison & Colombo 1987 eq. 22; Fader, Hardie & Lee 2005 note eq.
    /// 26): P(alive) · (r + x)(β + T) / ((α + T)(s − 1)) · [1 − ((β + T)/(β + T +
    /// t))^(s−1)], with its limit at s = 1.
    ///
    /// # Errors
    /// The summary's problems; `risk.invalid_horizon`; `risk.did_not_converge` when a
    /// series does not converge; `risk.model_undefined` when the value overflows.
    pub fn expected_purchases(&self, c: &PurchaseSummary, horizon: f64) -> Result<f64, Error> {
        check_horizon(horizon)?;
        let alive = self.p_alive(c)?;
        finite_expectation(alive * self.expected_if_alive(c, horizon))
    }

    /// The expected purchases of a new customer over their first `horizon` (Fader,
    /// Hardie & Lee 2005 note, eq. 17; lifetimes' `expected_number_of_purchases_up_to_time`):
    /// `r β / (α (s − 1)) · [1 − (β/(β + t))^(s−1)]`, with its limit at s = 1.
    ///
    /// ```
    /// use retention::risk::models::{ParetoModel, ParetoParams};
    ///
    /// let m = ParetoModel::new(ParetoParams::new(0.553, 10.578, 1.0, 11.669))?; // s = 1
    /// let e = m.unconditional_expected_purchases(39.0)?;
    /// let limit = 0.553 / 10.578 * 11.669 * (1.0_f64 + 39.0 / 11.669).ln();
    /// assert!((e - limit).abs() < 1e-12);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// `risk.invalid_horizon`; `risk.model_undefined` when the value overflows.
    pub fn unconditional_expected_purchases(&self, horizon: f64) -> Result<f64, Error> {
        check_horizon(horizon)?;
        finite_expectation(self.expected_if_alive(&PurchaseSummary::new(0, 0.0, 0.0), horizon))
    }

    /// The customer lifetime value, as
    /// [`PurchaseModel::customer_lifetime_value`](super::PurchaseModel::customer_lifetime_value)
    /// (see [`ClvOptions`]). P(alive) is computed once; each month's expectation is a
    /// closed form.
    ///
    /// # Errors
    /// As [`PurchaseModel::customer_lifetime_value`](super::PurchaseModel::customer_lifetime_value).
    pub fn customer_lifetime_value(
        &self,
        customer: &PurchaseSummary,
        spend: f64,
        options: &ClvOptions,
    ) -> Result<f64, Error> {
        options.check()?;
        check_spend(spend)?;
        let alive = self.p_alive(customer)?;
        let v = options.discounted(|t| Ok(self.expected_if_alive(customer, t)))?;
        finite_expectation(v * alive * spend)
    }

    /// [`p_alive`](Self::p_alive) of each customer.
    ///
    /// # Errors
    /// The first failure, at `customers[i]...`.
    pub fn p_alive_batch(&self, customers: &[PurchaseSummary]) -> Result<Vec<f64>, Error> {
        batch(customers, |c| self.p_alive(c))
    }

    /// [`expected_purchases`](Self::expected_purchases) of each customer.
    ///
    /// # Errors
    /// The first failure, at `customers[i]...`.
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
    /// with the spend per purchase from `spend`.
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
            |c| self.p_alive(c),
            |c| options.discounted(|t| Ok(self.expected_if_alive(c, t))),
        )
    }
}

fn series_error() -> Error {
    Error::new(
        ErrorKind::RiskDidNotConverge,
        FieldPath::root(),
        "a hypergeometric series of the Pareto/NBD likelihood did not converge within its term limit",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_horizon_gives_p_alive_times_the_posterior_rate() {
        let m = ParetoModel::new(ParetoParams::new(0.553, 10.578, 0.606, 11.669)).unwrap();
        for c in [
            PurchaseSummary::new(2, 30.43, 38.86),
            PurchaseSummary::new(0, 0.0, 38.86),
            PurchaseSummary::new(10, 38.0, 38.86),
        ] {
            let t = 1e-4;
            let rate = m.expected_purchases(&c, t).unwrap() / t;
            let want = m.p_alive(&c).unwrap() * (0.553 + c.frequency as f64) / (10.578 + c.age);
            assert!((rate / want - 1.0).abs() < 1e-3, "{c:?}: {rate} vs {want}");
            let p = m.p_alive(&c).unwrap();
            assert!((0.0..=1.0).contains(&p));
        }
        // Recency = age: A0 = 0, so alive for sure.
        assert_eq!(
            m.p_alive(&PurchaseSummary::new(3, 20.0, 20.0)).unwrap(),
            1.0
        );
    }
}
