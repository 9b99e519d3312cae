//! What every fit shares: the mergeable likelihood partial, the driver that minimises a
//! sum of partials, the Hessian at the optimum and the standard errors read from it, and
//! the check that no parameter has run to the boundary of its space.

// Small dense matrices, indexed as in the formulas.
#![allow(clippy::needless_range_loop)]

use serde::{Deserialize, Serialize};

use super::optim::{self, Minimum, Objective, Settings};
use super::{FitOptions, fit_failure};
use crate::error::{Error, ErrorKind, FieldPath};

/// The log-likelihood of a slice of customers at given parameters, with its gradient and
/// the number of customers it covers: the unit a fit is built from, and the unit a
/// distributed fit ships between machines. In JSON: `{"log_likelihood": -812.4,
/// "gradient": [12.1, -0.8, 3.3, -1.2], "weight": 200.0}`.
///
/// The log-likelihood of a book is a sum over its customers, so the partial of a whole
/// book is the sum of the partials of any split of it: [`merge`](Self::merge) adds
/// them, componentwise. Merging is associative and commutative up to the order of float
/// additions (a tree of merges and a left fold agree to rounding, about 1e-15 relative),
/// and [`LikelihoodPartial::empty`] is its identity. The gradient is with respect to the
/// model's parameters in their natural scale, in the order the model lists them
/// (`[r, alpha, a, b]`, `[r, alpha, s, beta]`).
///
/// A partial whose log-likelihood is not finite says the parameters are outside the
/// region where the model is defined (a fit's line search then steps back).
///
/// ```
/// use retention::risk::models::{PurchaseModel, PurchaseParams, PurchaseSummary, Variant};
///
/// let params = PurchaseParams::new(0.243, 4.414, 0.793, 2.426);
/// let book = [
///     PurchaseSummary::new(0, 0.0, 38.9),
///     PurchaseSummary::new(2, 30.4, 38.9),
///     PurchaseSummary::new(7, 29.4, 38.9),
/// ];
/// let whole = PurchaseModel::partial(Variant::BgNbd, params, &book, None)?;
/// let left = PurchaseModel::partial(Variant::BgNbd, params, &book[..1], None)?;
/// let right = PurchaseModel::partial(Variant::BgNbd, params, &book[1..], None)?;
/// let merged = left.merge(&right);
/// assert_eq!(merged.weight, 3.0);
/// assert!((merged.log_likelihood - whole.log_likelihood).abs() < 1e-9);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LikelihoodPartial {
    /// The sum of the customers' log-likelihoods (weighted).
    pub log_likelihood: f64,
    /// Its gradient with respect to the parameters (natural scale).
    pub gradient: Vec<f64>,
    /// The customers covered (the sum of the rows' weights).
    pub weight: f64,
}

impl LikelihoodPartial {
    /// The partial of no customers: the identity of [`merge`](Self::merge).
    pub fn empty(parameters: usize) -> LikelihoodPartial {
        LikelihoodPartial {
            log_likelihood: 0.0,
            gradient: vec![0.0; parameters],
            weight: 0.0,
        }
    }

    /// A partial from its parts (a host that computed one elsewhere, such as a worker of
    /// a distributed job that shipped it as JSON or three numbers and a list).
    pub fn new(log_likelihood: f64, gradient: Vec<f64>, weight: f64) -> LikelihoodPartial {
        LikelihoodPartial {
            log_likelihood,
            gradient,
            weight,
        }
    }

    /// The partial of both slices: the sums of the log-likelihoods, the gradients
    /// (componentwise; a shorter gradient counts as zeros) and the weights.
    #[must_use]
    pub fn merge(&self, other: &LikelihoodPartial) -> LikelihoodPartial {
        let n = self.gradient.len().max(other.gradient.len());
        let at = |g: &[f64], i: usize| g.get(i).copied().unwrap_or(0.0);
        LikelihoodPartial {
            log_likelihood: self.log_likelihood + other.log_likelihood,
            gradient: (0..n)
                .map(|i| at(&self.gradient, i) + at(&other.gradient, i))
                .collect(),
            weight: self.weight + other.weight,
        }
    }

    pub(crate) fn from_array<const N: usize>(
        log_likelihood: f64,
        gradient: [f64; N],
        weight: f64,
    ) -> LikelihoodPartial {
        LikelihoodPartial::new(log_likelihood, gradient.to_vec(), weight)
    }

    fn to_array<const N: usize>(&self) -> Option<[f64; N]> {
        <[f64; N]>::try_from(self.gradient.as_slice()).ok()
    }
}

/// One fitted parameter with its standard error and a 95 % interval, as a row of the
/// `summary` of the lifetimes library. In JSON: `{"parameter": "r", "estimate": 0.243,
/// "standard_error": 0.0125, "lower_95": 0.2185, "upper_95": 0.2675}`.
///
/// The standard errors come from the observed information: the inverse of the Hessian
/// of the negative log-likelihood of the whole book (penalizer included, as lifetimes
/// does) at the optimum, taken over the log-parameters by central differences of the
/// analytic gradient and carried to the natural scale by the delta method (at a
/// stationary point the two agree). The interval is the estimate ± 1.96 standard errors,
/// as lifetimes prints it (it can reach below 0 for a poorly determined parameter).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Estimate {
    /// The parameter's name (`r`, `alpha`, ...).
    pub parameter: String,
    /// The fitted value.
    pub estimate: f64,
    /// Its standard error.
    pub standard_error: f64,
    /// estimate − 1.96 standard errors.
    pub lower_95: f64,
    /// estimate + 1.96 standard errors.
    pub upper_95: f64,
}

/// A standard deviation of a log-parameter above this (a factor of e^6 ≈ 400 either way
/// within one standard error) means the data do not identify the parameter: the fit
/// followed a likelihood that keeps rising, ever more slowly, towards the boundary of
/// the parameter space (0 or infinity), and stopped only because the rise fell below the
/// gradient tolerance.
pub(crate) const RUNAWAY_LOG_SD: f64 = 6.0;

/// The step of the central differences of the gradient for the Hessian (log units).
const HESSIAN_STEP: f64 = 1e-4;

/// What a driven fit found.
pub(crate) struct Driven<const N: usize> {
    pub params: [f64; N],
    pub log_likelihood: f64,
    pub weight: f64,
    pub min: Minimum<N>,
    pub summary: Vec<Estimate>,
}

/// The objective over log-parameters built from an evaluation of partials.
struct FromPartials<'a, const N: usize> {
    eval: &'a mut dyn FnMut(&[f64; N]) -> Result<LikelihoodPartial, Error>,
    penalizer: f64,
    error: Option<Error>,
    evaluations: u32,
}

impl<const N: usize> FromPartials<'_, N> {
    /// The partial at `theta` (log-parameters), or `None` (an error is kept).
    fn partial(&mut self, theta: &[f64; N]) -> Option<([f64; N], f64, [f64; N], f64)> {
        let p = theta.map(f64::exp);
        self.evaluations += 1;
        match (self.eval)(&p) {
            Ok(part) => {
                let g = part.to_array::<N>();
                match g {
                    Some(g) if part.weight > 0.0 && part.weight.is_finite() => {
                        Some((p, part.log_likelihood, g, part.weight))
                    }
                    _ => {
                        if self.error.is_none() {
                            self.error = Some(Error::new(
                                ErrorKind::RiskInvalidParameter,
                                FieldPath::root().field("partial"),
                                format!(
                                    "a partial of {} gradient components and weight {} for a \
                                     model of {N} parameters: it needs {N} and a weight above 0",
                                    part.gradient.len(),
                                    part.weight
                                ),
                            ));
                        }
                        None
                    }
                }
            }
            Err(e) => {
                if self.error.is_none() {
                    self.error = Some(e);
                }
                None
            }
        }
    }
}

impl<const N: usize> Objective<N> for FromPartials<'_, N> {
    fn value_grad(&mut self, theta: &[f64; N], grad: &mut [f64; N]) -> f64 {
        if self.error.is_some() {
            return f64::INFINITY;
        }
        let Some((p, ll, g, w)) = self.partial(theta) else {
            return f64::INFINITY;
        };
        let mut f = -ll / w;
        for i in 0..N {
            f += self.penalizer * theta[i] * theta[i];
            grad[i] = -g[i] / w * p[i] + 2.0 * self.penalizer * theta[i];
        }
        if f.is_finite() && grad.iter().all(|v| v.is_finite()) {
            f
        } else {
            f64::INFINITY
        }
    }
}

/// Minimises the penalized mean negative log-likelihood that `eval` gives as partials,
/// from `start` (natural scale), then reads the standard errors off the Hessian and
/// refuses a fit whose parameters ran to the boundary.
pub(crate) fn drive<const N: usize>(
    names: [&str; N],
    start: [f64; N],
    options: &FitOptions,
    settings: Settings,
    eval: &mut dyn FnMut(&[f64; N]) -> Result<LikelihoodPartial, Error>,
) -> Result<Driven<N>, Error> {
    let mut theta0 = [0.0; N];
    for (t, s) in theta0.iter_mut().zip(start) {
        if !(s.is_finite() && s > 0.0) {
            return Err(Error::new(
                ErrorKind::RiskInvalidParameter,
                FieldPath::root().field("start"),
                format!("a start of {s}: every parameter starts as a finite number above 0"),
            ));
        }
        *t = s.ln();
    }
    let mut obj = FromPartials {
        eval,
        penalizer: options.penalizer,
        error: None,
        evaluations: 0,
    };
    let min = optim::minimize(&mut obj, theta0, settings);
    if let Some(e) = obj.error.take() {
        return Err(e);
    }
    if let Some(e) = fit_failure(
        min.outcome,
        &names,
        &min.theta,
        min.iterations,
        min.grad_max,
    ) {
        return Err(e);
    }
    let at = obj.partial(&min.theta);
    let Some((params, log_likelihood, _, weight)) = at else {
        return Err(obj.error.take().unwrap_or_else(|| {
            Error::new(
                ErrorKind::RiskFitFailed,
                FieldPath::root().field("customers"),
                "the likelihood is undefined at the fitted parameters",
            )
        }));
    };
    // The Hessian of the total penalized negative log-likelihood over log-parameters.
    let total_grad = |obj: &mut FromPartials<'_, N>, theta: &[f64; N]| -> Option<[f64; N]> {
        let (p, _, g, w) = obj.partial(theta)?;
        let mut out = [0.0; N];
        for i in 0..N {
            out[i] = -g[i] * p[i] + 2.0 * options.penalizer * w * theta[i];
        }
        out.iter().all(|v| v.is_finite()).then_some(out)
    };
    let mut h = [[0.0; N]; N];
    let mut hessian_ok = true;
    for j in 0..N {
        let (mut up, mut down) = (min.theta, min.theta);
        up[j] += HESSIAN_STEP;
        down[j] -= HESSIAN_STEP;
        match (total_grad(&mut obj, &up), total_grad(&mut obj, &down)) {
            (Some(gu), Some(gd)) => {
                for i in 0..N {
                    h[i][j] = (gu[i] - gd[i]) / (2.0 * HESSIAN_STEP);
                }
            }
            _ => hessian_ok = false,
        }
    }
    if let Some(e) = obj.error.take() {
        return Err(e);
    }
    for i in 0..N {
        for j in 0..i {
            let m = 0.5 * (h[i][j] + h[j][i]);
            h[i][j] = m;
            h[j][i] = m;
        }
    }
    let covariance = if hessian_ok { invert_spd(&h) } else { None };
    let ran_away = |i: usize, sd: Option<f64>| {
        let name = names.get(i).copied().unwrap_or("a parameter");
        let v = params.get(i).copied().unwrap_or(f64::NAN);
        let how = match sd {
            Some(sd) => format!("a standard error of a factor e^{sd:.0} either way"),
            None => "the likelihood is not curved there".to_string(),
        };
        Error::new(
            ErrorKind::RiskFitFailed,
            FieldPath::root().field("customers"),
            format!(
                "the data do not identify the parameter {name}: it ran towards the boundary \
                 ({name} = {v:.3e}, {how}); add customers, or fit with a small penalizer \
                 such as 0.01"
            ),
        )
    };
    let Some(cov) = covariance else {
        // Not positive definite: name the parameter furthest from the start.
        let far = (0..N)
            .max_by(|&i, &j| {
                (min.theta[i] - theta0[i])
                    .abs()
                    .total_cmp(&(min.theta[j] - theta0[j]).abs())
            })
            .unwrap_or(0);
        return Err(ran_away(far, None));
    };
    let sds: Vec<f64> = (0..N).map(|i| cov[i][i].max(0.0).sqrt()).collect();
    if let Some((i, sd)) = sds
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, sd)| sd.is_nan() || *sd > RUNAWAY_LOG_SD)
        .max_by(|a, b| a.1.total_cmp(&b.1))
    {
        return Err(ran_away(i, Some(sd)));
    }
    let summary = names
        .iter()
        .zip(params)
        .zip(&sds)
        .map(|((name, v), sd)| {
            let se = v * sd;
            Estimate {
                parameter: (*name).to_string(),
                estimate: v,
                standard_error: se,
                lower_95: v - 1.959_963_984_540_054 * se,
                upper_95: v + 1.959_963_984_540_054 * se,
            }
        })
        .collect();
    let mut min = min;
    min.evaluations = obj.evaluations;
    Ok(Driven {
        params,
        log_likelihood,
        weight,
        min,
        summary,
    })
}

/// The inverse of a symmetric positive definite matrix by Cholesky, or `None` when it
/// is not positive definite (to rounding).
fn invert_spd<const N: usize>(m: &[[f64; N]; N]) -> Option<[[f64; N]; N]> {
    let mut l = [[0.0; N]; N];
    for i in 0..N {
        for j in 0..=i {
            let mut s = m[i][j];
            for k in 0..j {
                s -= l[i][k] * l[j][k];
            }
            if i == j {
                if s.is_nan() || s <= 1e-12 * m[i][i].abs() || !s.is_finite() {
                    return None;
                }
                l[i][i] = s.sqrt();
            } else {
                l[i][j] = s / l[j][j];
            }
        }
    }
    // Inverse of L, then L⁻ᵀ L⁻¹.
    let mut li = [[0.0; N]; N];
    for i in 0..N {
        li[i][i] = 1.0 / l[i][i];
        for j in 0..i {
            let mut s = 0.0;
            for k in j..i {
                s -= l[i][k] * li[k][j];
            }
            li[i][j] = s / l[i][i];
        }
    }
    let mut inv = [[0.0; N]; N];
    for i in 0..N {
        for j in 0..N {
            let mut s = 0.0;
            for k in i.max(j)..N {
                s += li[k][i] * li[k][j];
            }
            inv[i][j] = s;
        }
    }
    Some(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inverse_of_a_positive_definite_matrix_is_exact_and_others_are_refused() {
        let m = [[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]];
        let inv = invert_spd(&m).unwrap();
        for i in 0..3 {
            for j in 0..3 {
                let p: f64 = (0..3).map(|k| m[i][k] * inv[k][j]).sum();
                let want = if i == j { 1.0 } else { 0.0 };
                assert!((p - want).abs() < 1e-14, "{i} {j}: {p}");
            }
        }
        assert!(invert_spd(&[[1.0, 2.0], [2.0, 1.0]]).is_none());
        assert!(invert_spd(&[[0.0, 0.0], [0.0, 1.0]]).is_none());
    }

    #[test]
    fn merging_partials_is_associative_with_an_identity() {
        let a = LikelihoodPartial::new(-1.5, vec![0.125, 0.25], 2.0);
        let b = LikelihoodPartial::new(-2.25, vec![0.375, -0.5], 3.0);
        let c = LikelihoodPartial::new(-0.5, vec![1.0, 1.0], 1.0);
        assert_eq!(a.merge(&b).merge(&c), a.merge(&b.merge(&c)));
        assert_eq!(a.merge(&LikelihoodPartial::empty(2)), a);
        assert_eq!(a.merge(&b), b.merge(&a));
    }
}
