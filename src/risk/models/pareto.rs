//! Pareto/NBD (Schmittlein, Morrison & Colombo 1987), in the likelihood form of Fader,
//! Hardie & Lee's note (2005): purchases Poisson(λ) while alive, λ ~ Gamma(r, α),
//! lifetimes exponential(μ), μ ~ Gamma(s, β).

use serde::{Deserialize, Serialize};

use super::optim::{self, Objective, Settings};
use super::special::{HYP2F1_MAX_TERMS, ln_gamma, ln_hyp2f1_within, softplus_sigmoid};
use super::{
    FitOptions, FitReport, PurchaseSummary, check_book, check_horizon, check_param, fit_failure,
    not_nan,
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
        Some(ln_hyp2f1_within(rsx, b1, rsx + 1.0, z, max_terms)? - rsx * (big + t).ln())
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

struct Prepared {
    /// (x, recency, age, weight), duplicates collapsed.
    rows: Vec<(f64, f64, f64, f64)>,
    total_weight: f64,
    penalizer: f64,
    /// The most terms of one series.
    max_terms: usize,
}

impl Prepared {
    fn new(book: &[PurchaseSummary], penalizer: f64, max_terms: usize) -> Prepared {
        let mut keyed: Vec<(f64, f64, f64)> = book
            .iter()
            .map(|c| (c.frequency as f64, c.recency, c.age))
            .collect();
        keyed.sort_by(|l, r| {
            l.0.total_cmp(&r.0)
                .then(l.1.total_cmp(&r.1))
                .then(l.2.total_cmp(&r.2))
        });
        let mut rows: Vec<(f64, f64, f64, f64)> = Vec::new();
        for k in keyed {
            match rows.last_mut() {
                Some(row) if (row.0, row.1, row.2) == k => row.3 += 1.0,
                _ => rows.push((k.0, k.1, k.2, 1.0)),
            }
        }
        Prepared {
            rows,
            total_weight: book.len() as f64,
            penalizer,
            max_terms,
        }
    }

    /// The log-likelihood of the book, or `None` where a series fails.
    fn log_likelihood(&self, p: &ParetoParams) -> Option<f64> {
        let ParetoParams { r, alpha, s, beta } = *p;
        let lg_r = ln_gamma(r);
        let base = r * alpha.ln() + s * beta.ln() - lg_r;
        let mut ll = 0.0;
        for &(x, recency, age, w) in &self.rows {
            let (first, second) = ln_terms(p, x, recency, age, self.max_terms)?;
            let mix = match second {
                Some(sec) => {
                    let (hi, lo) = if first >= sec {
                        (first, sec)
                    } else {
                        (sec, first)
                    };
                    hi + softplus_sigmoid(lo - hi).0
                }
                None => first,
            };
            ll += w * (ln_gamma(r + x) + base + mix);
        }
        Some(ll)
    }

    fn objective(&self, theta: &[f64; 4]) -> f64 {
        let p = ParetoParams::new(
            theta[0].exp(),
            theta[1].exp(),
            theta[2].exp(),
            theta[3].exp(),
        );
        match self.log_likelihood(&p) {
            Some(ll) if ll.is_finite() => {
                -ll / self.total_weight + self.penalizer * theta.iter().map(|t| t * t).sum::<f64>()
            }
            _ => f64::INFINITY,
        }
    }
}

impl Objective<4> for Prepared {
    fn value_grad(&mut self, theta: &[f64; 4], grad: &mut [f64; 4]) -> f64 {
        let f = self.objective(theta);
        if !f.is_finite() {
            return f64::INFINITY;
        }
        // Central differences in log-parameters.
        let h = 1e-6;
        for i in 0..4 {
            let (mut up, mut down) = (*theta, *theta);
            up[i] += h;
            down[i] -= h;
            grad[i] = (self.objective(&up) - self.objective(&down)) / (2.0 * h);
        }
        if grad.iter().all(|g| g.is_finite()) {
            f
        } else {
            f64::INFINITY
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
    /// the fixed start r = s = 1, α = β = mean age / mean frequency).
    ///
    /// # Errors
    /// As [`PurchaseModel::fit`](super::PurchaseModel::fit).
    pub fn fit(
        book: &[PurchaseSummary],
        options: &FitOptions,
    ) -> Result<FitReport<ParetoModel>, Error> {
        options.check()?;
        check_book(book)?;
        let mut data = Prepared::new(book, options.penalizer, FIT_SERIES_TERMS);
        let path = FieldPath::root().field("customers");
        if data.rows.len() < 2 || book.iter().all(|c| c.frequency == 0) {
            return Err(Error::new(
                ErrorKind::RiskDegenerateData,
                path,
                "the customers cannot identify the model: all alike, or nobody bought twice",
            ));
        }
        let mean_x = book.iter().map(|c| c.frequency as f64).sum::<f64>() / book.len() as f64;
        let mean_t = book.iter().map(|c| c.age).sum::<f64>() / book.len() as f64;
        let scale0 = if mean_t > 0.0 && mean_x > 0.0 {
            (mean_t / mean_x).ln().clamp(-10.0, 10.0)
        } else {
            0.0
        };
        let settings = Settings {
            max_iterations: options.max_iterations,
            // Finite differences resolve the gradient to about 1e-8.
            gradient_tolerance: 1e-7,
            flat_gradient_tolerance: 1e-5,
            ..Settings::default()
        };
        let min = optim::minimize(&mut data, [0.0, scale0, 0.0, scale0], settings);
        if let Some(e) = fit_failure(
            min.outcome,
            &["r", "alpha", "s", "beta"],
            &min.theta,
            min.iterations,
            min.grad_max,
        ) {
            return Err(e);
        }
        let t = min.theta;
        let model = ParetoModel::new(ParetoParams::new(
            t[0].exp(),
            t[1].exp(),
            t[2].exp(),
            t[3].exp(),
        ))?;
        let log_likelihood = data
            .log_likelihood(&model.params)
            .unwrap_or(f64::NEG_INFINITY);
        Ok(FitReport::from_run(
            model,
            log_likelihood,
            options,
            book.len(),
            data.rows.len(),
            &min,
        ))
    }

    /// The log-likelihood of a book under this model.
    ///
    /// # Errors
    /// The book's problems; `risk.model_undefined` when a hypergeometric series does not
    /// converge, or when the log-likelihood is not a number at these parameters (at
    /// extremes such as `beta = f64::MAX`, where its terms overflow against each other).
    pub fn log_likelihood(&self, book: &[PurchaseSummary]) -> Result<f64, Error> {
        check_book(book)?;
        not_nan(
            Prepared::new(book, 0.0, HYP2F1_MAX_TERMS)
                .log_likelihood(&self.params)
                .ok_or_else(series_error)?,
        )
    }

    /// The probability that the customer is still alive.
    ///
    /// # Errors
    /// The summary's problems; `risk.model_undefined` when a hypergeometric series does
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
        Ok(match second {
            Some(sec) => softplus_sigmoid(first - sec).1,
            None => 1.0,
        })
    }

    /// The expected number of purchases in the next `horizon`, given the history:
    /// P(alive) · (r + x)(β + T) / ((α + T)(s − 1)) · [1 − ((β + T)/(β + T + t))^(s−1)]
    /// (the limit `ln(1 + t/(β + T))` form at s = 1).
    ///
    /// # Errors
    /// The summary's problems; `risk.invalid_horizon`; `risk.model_undefined` when a
    /// series does not converge.
    pub fn expected_purchases(&self, c: &PurchaseSummary, horizon: f64) -> Result<f64, Error> {
        check_horizon(horizon)?;
        let alive = self.p_alive(c)?;
        let ParetoParams { r, alpha, s, beta } = self.params;
        let x = c.frequency as f64;
        let bt = beta + c.age;
        let ln_ratio = (bt / (bt + horizon)).ln();
        let lifetime_factor = if (s - 1.0).abs() < 1e-9 {
            -ln_ratio * bt
        } else {
            -((s - 1.0) * ln_ratio).exp_m1() * bt / (s - 1.0)
        };
        let e = alive * (r + x) / (alpha + c.age) * lifetime_factor;
        if e.is_finite() {
            Ok(e.max(0.0))
        } else {
            Err(Error::new(
                ErrorKind::RiskModelUndefined,
                FieldPath::root(),
                format!("the expected purchases over {horizon} overflow at these parameters"),
            ))
        }
    }
}

fn series_error() -> Error {
    Error::new(
        ErrorKind::RiskModelUndefined,
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
