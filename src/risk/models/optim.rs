//! A small deterministic quasi-Newton minimiser (BFGS with a backtracking Armijo line
//! search) over log-parameters. Hand-written (about 150 lines) rather than a dependency:
//! the models have three or four parameters, analytic gradients, and need exact
//! reproducibility (same input, same bits out) more than generality.

/// What the minimiser needs from a model: the objective and its gradient at `theta`.
/// The objective may return a non-finite value to mean "outside the domain"; the line
/// search then steps back.
pub(crate) trait Objective<const N: usize> {
    fn value_grad(&mut self, theta: &[f64; N], grad: &mut [f64; N]) -> f64;
}

/// How a minimisation ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Outcome {
    /// The largest gradient component fell below the tolerance.
    Converged,
    /// The iteration limit was reached first.
    IterationLimit,
    /// A log-parameter left `[-bound, bound]`: the data do not identify it.
    RanAway(usize),
    /// The line search found no decrease along a fresh steepest-descent direction.
    Stalled,
}

/// The result of a minimisation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Minimum<const N: usize> {
    pub theta: [f64; N],
    pub grad_max: f64,
    pub iterations: u32,
    pub evaluations: u32,
    pub outcome: Outcome,
}

/// Options of the minimiser.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Settings {
    pub max_iterations: u32,
    pub gradient_tolerance: f64,
    /// A looser gradient tolerance that also ends the search once a step no longer
    /// changes the objective beyond rounding.
    pub flat_gradient_tolerance: f64,
    /// A log-parameter beyond ±bound (e^±bound) means the parameter runs away.
    pub bound: f64,
    /// The longest first step of a line search in any coordinate (log units).
    pub max_step: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            max_iterations: 500,
            gradient_tolerance: 1e-9,
            flat_gradient_tolerance: 1e-6,
            bound: 30.0,
            max_step: 2.0,
        }
    }
}

fn max_abs<const N: usize>(v: &[f64; N]) -> f64 {
    v.iter().fold(0.0_f64, |m, x| m.max(x.abs()))
}

fn dot<const N: usize>(a: &[f64; N], b: &[f64; N]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn identity<const N: usize>() -> [[f64; N]; N] {
    let mut h = [[0.0; N]; N];
    for (i, row) in h.iter_mut().enumerate() {
        if let Some(d) = row.get_mut(i) {
            *d = 1.0;
        }
    }
    h
}

/// Consecutive steps that leave the objective unchanged (to rounding) after which a
/// minimisation whose gradient is not small stops as stalled.
const FLAT_RUN_LIMIT: u32 = 10;

/// Minimises `f` from `start` by BFGS on the inverse Hessian.
pub(crate) fn minimize<const N: usize>(
    f: &mut impl Objective<N>,
    start: [f64; N],
    settings: Settings,
) -> Minimum<N> {
    let mut x = start;
    let mut g = [0.0; N];
    let mut fx = f.value_grad(&x, &mut g);
    let mut evaluations = 1;
    let mut h = identity::<N>();
    let mut fresh = true; // h is the identity (after start or a reset)
    let mut iterations = 0;
    let mut flat_run = 0; // consecutive accepted steps that did not move the objective
    let finish = |x, _fx: f64, g: &[f64; N], iterations, evaluations, outcome| Minimum {
        theta: x,
        grad_max: max_abs(g),
        iterations,
        evaluations,
        outcome,
    };
    if !fx.is_finite() {
        return finish(x, fx, &g, 0, evaluations, Outcome::Stalled);
    }
    while iterations < settings.max_iterations {
        if max_abs(&g) < settings.gradient_tolerance {
            return finish(x, fx, &g, iterations, evaluations, Outcome::Converged);
        }
        iterations += 1;
        // Direction p = −H g.
        let mut p = [0.0; N];
        for (pi, row) in p.iter_mut().zip(&h) {
            *pi = -dot(row, &g);
        }
        let mut slope = dot(&p, &g);
        if slope.is_nan() || slope >= 0.0 {
            // Not a descent direction (rounding): fall back to steepest descent.
            h = identity();
            fresh = true;
            for (pi, gi) in p.iter_mut().zip(&g) {
                *pi = -gi;
            }
            slope = dot(&p, &g);
        }
        let longest = max_abs(&p);
        let mut step = if longest > settings.max_step {
            settings.max_step / longest
        } else {
            1.0
        };
        // Backtracking Armijo search.
        let mut accepted = None;
        let mut g_new = [0.0; N];
        for _ in 0..60 {
            let mut x_new = x;
            for (xi, pi) in x_new.iter_mut().zip(&p) {
                *xi += step * pi;
            }
            let f_new = f.value_grad(&x_new, &mut g_new);
            evaluations += 1;
            if f_new.is_finite() && f_new <= fx + 1e-4 * step * slope {
                accepted = Some((x_new, f_new));
                break;
            }
            step *= 0.5;
        }
        let Some((x_new, f_new)) = accepted else {
            if fresh {
                let outcome = if max_abs(&g) < 1e-6 {
                    // Flat to rounding: as good as the arithmetic allows.
                    Outcome::Converged
                } else {
                    Outcome::Stalled
                };
                return finish(x, fx, &g, iterations, evaluations, outcome);
            }
            h = identity();
            fresh = true;
            continue;
        };
        if let Some(i) = x_new.iter().position(|t| t.abs() > settings.bound) {
            return finish(
                x_new,
                f_new,
                &g_new,
                iterations,
                evaluations,
                Outcome::RanAway(i),
            );
        }
        // BFGS update of the inverse Hessian.
        let mut s = [0.0; N];
        let mut y = [0.0; N];
        for i in 0..N {
            s[i] = x_new[i] - x[i];
            y[i] = g_new[i] - g[i];
        }
        let sy = dot(&s, &y);
        if sy > 1e-12 * dot(&s, &s).sqrt() * dot(&y, &y).sqrt() && sy.is_finite() {
            if fresh {
                // Scale the first inverse Hessian (Nocedal & Wright 6.20).
                let scale = sy / dot(&y, &y);
                for (i, row) in h.iter_mut().enumerate() {
                    for (j, v) in row.iter_mut().enumerate() {
                        *v = if i == j { scale } else { 0.0 };
                    }
                }
            }
            let rho = 1.0 / sy;
            let mut hy = [0.0; N];
            for (v, row) in hy.iter_mut().zip(&h) {
                *v = dot(row, &y);
            }
            let yhy = dot(&y, &hy);
            for i in 0..N {
                for j in 0..N {
                    h[i][j] += -rho * (hy[i] * s[j] + s[i] * hy[j])
                        + (rho * rho * yhy + rho) * s[i] * s[j];
                }
            }
            fresh = false;
        }
        // The objective no longer resolves the remaining decrease (a few units of
        // rounding): as good as double precision allows, if the gradient is small.
        let flat = (fx - f_new).abs() <= 8.0 * f64::EPSILON * (1.0 + fx.abs());
        x = x_new;
        fx = f_new;
        g = g_new;
        if flat && max_abs(&g) < settings.flat_gradient_tolerance {
            return finish(x, fx, &g, iterations, evaluations, Outcome::Converged);
        }
        // Steps so short the objective does not move, again and again, with the
        // gradient still large: the search is pressed against a region where the
        // objective is undefined (a series past its term limit) and will not get
        // further. Stop instead of spending the remaining iterations there.
        flat_run = if flat { flat_run + 1 } else { 0 };
        if flat_run >= FLAT_RUN_LIMIT {
            return finish(x, fx, &g, iterations, evaluations, Outcome::Stalled);
        }
    }
    let outcome = if max_abs(&g) < settings.gradient_tolerance {
        Outcome::Converged
    } else {
        Outcome::IterationLimit
    };
    finish(x, fx, &g, iterations, evaluations, outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Rosenbrock;
    impl Objective<2> for Rosenbrock {
        fn value_grad(&mut self, t: &[f64; 2], g: &mut [f64; 2]) -> f64 {
            let (x, y) = (t[0], t[1]);
            g[0] = -2.0 * (1.0 - x) - 400.0 * x * (y - x * x);
            g[1] = 200.0 * (y - x * x);
            (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2)
        }
    }

    #[test]
    fn finds_the_rosenbrock_minimum_deterministically() {
        let a = minimize(&mut Rosenbrock, [-1.2, 1.0], Settings::default());
        let b = minimize(&mut Rosenbrock, [-1.2, 1.0], Settings::default());
        assert_eq!(a.outcome, Outcome::Converged);
        assert!((a.theta[0] - 1.0).abs() < 1e-6 && (a.theta[1] - 1.0).abs() < 1e-6);
        assert_eq!(a.theta, b.theta);
        assert_eq!(a.evaluations, b.evaluations);
    }
}
