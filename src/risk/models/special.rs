//! Special functions in log space: `ln Γ`, digamma, softplus and Gauss's hypergeometric
//! series. Hand-written (std has no stable `ln_gamma`) so the crate adds no dependency;
//! each is accurate to about 1e-14 relative on the positive arguments the models use.

/// `ln Γ(x)` for `x > 0`: shifts `x` up to at least 10 (`ln Γ(x) = ln Γ(x + n) − ln(x (x+1)
/// … (x+n−1))`) and uses Stirling's series with seven correction terms there (error below
/// 1e-15 at 10). Returns `+∞` for `x ≤ 0` or a non-finite `x`; the callers never pass one
/// (parameters are `exp` of finite log-parameters and data are checked).
pub(crate) fn ln_gamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 || x.is_infinite() {
        return f64::INFINITY;
    }
    let mut shift = 0.0;
    let mut z = x;
    if z < 10.0 {
        let mut prod = 1.0;
        while z < 10.0 {
            prod *= z;
            z += 1.0;
        }
        shift = prod.ln();
    }
    let inv = 1.0 / z;
    let inv2 = inv * inv;
    let series = inv
        * (1.0 / 12.0
            - inv2
                * (1.0 / 360.0
                    - inv2
                        * (1.0 / 1260.0
                            - inv2
                                * (1.0 / 1680.0
                                    - inv2
                                        * (1.0 / 1188.0
                                            - inv2 * (691.0 / 360_360.0 - inv2 / 156.0))))));
    (z - 0.5) * z.ln() - z + 0.5 * (2.0 * std::f64::consts::PI).ln() + series - shift
}

/// The digamma function `ψ(x) = d/dx ln Γ(x)` for `x > 0`: shifted up to at least 10 by
/// `ψ(x) = ψ(x + 1) − 1/x`, then the asymptotic series. `−∞` for `x ≤ 0`.
pub(crate) fn digamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 || x.is_infinite() {
        return f64::NEG_INFINITY;
    }
    let mut acc = 0.0;
    let mut z = x;
    while z < 10.0 {
        acc -= 1.0 / z;
        z += 1.0;
    }
    let inv = 1.0 / z;
    let inv2 = inv * inv;
    let series = inv2
        * (1.0 / 12.0
            - inv2
                * (1.0 / 120.0
                    - inv2
                        * (1.0 / 252.0
                            - inv2
                                * (1.0 / 240.0
                                    - inv2
                                        * (1.0 / 132.0
                                            - inv2 * (691.0 / 32_760.0 - inv2 / 12.0))))));
    acc + z.ln() - 0.5 * inv - series
}

/// `ln(1 + e^d)` and the logistic `1 / (1 + e^−d)` together, without overflow: one `exp`
/// of a non-positive number and one `ln_1p`.
#[inline]
pub(crate) fn softplus_sigmoid(d: f64) -> (f64, f64) {
    let e = (-d.abs()).exp();
    let sp = d.max(0.0) + e.ln_1p();
    let sig = if d >= 0.0 {
        1.0 / (1.0 + e)
    } else {
        e / (1.0 + e)
    };
    (sp, sig)
}

/// The most terms [`ln_hyp2f1`] sums before it gives up. At `z = 0.999` (a horizon 1,000
/// times the customer's age plus `α`) the terms shrink by about 0.1 % each, so about
/// 40,000 terms reach double precision; the limit leaves room for larger parameters.
pub(crate) const HYP2F1_MAX_TERMS: usize = 500_000;

/// Why a series could not give a value: its arguments are outside the domain where it is
/// defined (or where this crate sums it), or it did not converge within its term limit.
/// The two map to the distinct codes `risk.model_undefined` and `risk.did_not_converge`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SeriesError {
    /// Outside the domain.
    OutsideDomain,
    /// Not converged within the term limit (or lost its precision to cancellation).
    DidNotConverge,
}

/// `ln ₂F₁(a, b; c; z)` for `a, b, c > 0` and `0 ≤ z < 1`, by its power series: every
/// term is positive (no cancellation); the terms are multiplied along in plain floats and
/// the running sum is rescaled into a log-shift whenever it passes 1e250 (no overflow for
/// large frequencies); the sum stops once the terms are falling and the rest of the
/// series (at most term / (1 − ratio)) is below 1e-17 of the sum. An error when the
/// arguments are outside that domain or the series has not converged within
/// [`HYP2F1_MAX_TERMS`] terms: never a NaN.
#[cfg(test)]
pub(crate) fn ln_hyp2f1(a: f64, b: f64, c: f64, z: f64) -> Result<f64, SeriesError> {
    ln_hyp2f1_within(a, b, c, z, HYP2F1_MAX_TERMS)
}

/// [`ln_hyp2f1`] summing at most `max_terms` terms.
pub(crate) fn ln_hyp2f1_within(
    a: f64,
    b: f64,
    c: f64,
    z: f64,
    max_terms: usize,
) -> Result<f64, SeriesError> {
    if !(a > 0.0 && b > 0.0 && c > 0.0 && (0.0..1.0).contains(&z))
        || !(a.is_finite() && b.is_finite() && c.is_finite())
    {
        return Err(SeriesError::OutsideDomain);
    }
    if z == 0.0 {
        return Ok(0.0);
    }
    // Sum = exp(shift) * sum; the first term is 1.
    let mut shift = 0.0_f64;
    let mut sum = 1.0_f64;
    let mut term = 1.0_f64;
    for n in 0..max_terms {
        let k = n as f64;
        let ratio = (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
        term *= ratio;
        sum += term;
        if sum > 1e250 {
            shift += sum.ln();
            term /= sum;
            sum = 1.0;
        }
        if ratio < 1.0 && term <= 1e-17 * sum * (1.0 - ratio) {
            let total = shift + sum.ln();
            return if total.is_finite() {
                Ok(total)
            } else {
                Err(SeriesError::DidNotConverge)
            };
        }
        if !term.is_finite() {
            return Err(SeriesError::DidNotConverge);
        }
    }
    Err(SeriesError::DidNotConverge)
}

/// `(eˣ − 1) / x`, exact at and near `x = 0` (where it is 1): the removable singularity of
/// the lifetime factor `(1 − q^ε) / ε` at ε = 0.
#[inline]
pub(crate) fn expm1_over(x: f64) -> f64 {
    if x == 0.0 { 1.0 } else { x.exp_m1() / x }
}

/// The largest loss of relative precision (the ratio of the largest partial magnitude to
/// the result) [`bgnbd_growth`] accepts from the cancelling form before it reports
/// [`SeriesError::DidNotConverge`] instead of digits it does not have: 1e8 leaves about 8
/// correct digits.
pub(crate) const MAX_CANCELLATION: f64 = 1e8;

/// The growth factor of the BG/NBD expectations,
///
/// `K = C / (a − 1) · [1 − (1 − z)^A · ₂F₁(A, B; C; z)]`, with `C = a + B − 1`,
/// `z = u / (1 + u)`,
///
/// which is `E[(1 − (1 + p·u)^−A) / p]` for `p ~ Beta(a, B)`: the expected purchases of an
/// alive customer whose purchase rate is Gamma(A, ·) and whose drop-out probability is
/// Beta(a, B), over a horizon of `u` times the rate's scale. Fader, Hardie & Lee (2005)
/// eq. 9 (unconditional: A = r, B = b) and eq. 10 (conditional: A = r + x, B = b + x,
/// u = t / (α + T)); Batislam et al. (2007) with B = b + x + 1.
///
/// The closed form is undefined where the lifetimes library returns NaN: at `a = 1`
/// (0/0) and at `C ≤ 0` (plain BG/NBD with x = 0 and a + b ≤ 1, lifetimes issue #302,
/// where ₂F₁'s third parameter is not positive). Both are removable. Pfaff's
/// transformation turns `(1 − z)^A ₂F₁(A, B; C; z)` into `₂F₁(A, a − 1; C; −u)`, and
/// Euler's turns that into `(1 + u)^(1 − a) ₂F₁(C − A, a − 1; C; z)`; writing ε = a − 1
/// and `L = ln(1 + u)`, the ε in `(ε)ₙ = ε (a)ₙ₋₁` and the C in `(C)ₙ = C (C + 1)ₙ₋₁`
/// cancel the two denominators, so
///
/// `K = C · (1 − e^(−εL)) / ε − e^(−εL) · Σₙ≥₁ (C − A)ₙ (a)ₙ₋₁ / ((C + 1)ₙ₋₁ n!) zⁿ`,
///
/// defined for every `a > 0` and `C > −1` (always so), with the limit `C · L` of the first
/// term at ε = 0. The closed form is used where it is well conditioned (`C > 0`, and its
/// bracket not a small difference of two numbers near 1), so values agree with the
/// lifetimes library to rounding there; the transformed series elsewhere. Sums at most
/// `max_terms` terms.
pub(crate) fn bgnbd_growth(
    a: f64,
    b_big: f64,
    a_big: f64,
    u: f64,
    max_terms: usize,
) -> Result<f64, SeriesError> {
    if !(a > 0.0 && b_big > 0.0 && a_big > 0.0 && u >= 0.0)
        || !(a.is_finite() && b_big.is_finite() && a_big.is_finite() && u.is_finite())
    {
        return Err(SeriesError::OutsideDomain);
    }
    if u == 0.0 {
        return Ok(0.0);
    }
    let c = a + b_big - 1.0;
    let eps = a - 1.0;
    let z = u / (1.0 + u);
    let ln_one_minus_z = -u.ln_1p();
    if c > 0.0 && eps != 0.0 {
        // The closed form, in log space.
        let ln_q = a_big * ln_one_minus_z + ln_hyp2f1_within(a_big, b_big, c, z, max_terms)?;
        let bracket = -ln_q.exp_m1();
        // Relative error of the bracket: rounding of q (about 1e-15 q) over the bracket.
        if ln_q < 700.0 && ln_q.exp().max(1.0) <= 1e2 * bracket.abs() {
            let k = c / eps * bracket;
            if k.is_finite() {
                return Ok(k.max(0.0));
            }
        }
    }
    // The transformed series.
    let big_l = u.ln_1p();
    let e = (-eps * big_l).exp();
    let first = c * big_l * expm1_over(-eps * big_l);
    let d = c - a_big;
    let mut term = d * z; // n = 1
    let mut sum = term;
    let mut largest = term.abs();
    let mut converged = term == 0.0;
    for n in 1..max_terms {
        let k = n as f64;
        let ratio = (d + k) * (a + k - 1.0) / ((c + k) * (k + 1.0)) * z;
        term *= ratio;
        sum += term;
        largest = largest.max(term.abs());
        if !term.is_finite() || !sum.is_finite() {
            return Err(SeriesError::DidNotConverge);
        }
        // Past the sign changes the terms fall geometrically (ratio → z < 1).
        if d + k > 0.0 && ratio.abs() < 1.0 && term.abs() <= 1e-17 * sum.abs() * (1.0 - ratio.abs())
        {
            converged = true;
            break;
        }
        if term == 0.0 {
            converged = true;
            break;
        }
    }
    if !converged {
        return Err(SeriesError::DidNotConverge);
    }
    let k = first - e * sum;
    let scale = first.abs().max(e * largest);
    if !k.is_finite() || k.is_nan() || k <= 0.0 || scale > MAX_CANCELLATION * k {
        return Err(SeriesError::DidNotConverge);
    }
    Ok(k)
}

/// `P(N ≥ n)` for a negative binomial `N` with `P(N = j) = Γ(r + j)/(Γ(r) j!) p^r q^j`
/// (`ln_p = ln p`, `ln_q = ln q`, p + q = 1): `1 − Σ_{j<n}` when `n` is at most the
/// mean (the head is then below about one half, so the difference keeps its digits),
/// else the tail `Σ_{j≥n}` summed until its rest is below 1e-17 of it, within
/// [`HYP2F1_MAX_TERMS`] terms. Each term comes from the last by `(r + j)/(j + 1) · q`,
/// in logs, so neither a tiny `p^r` nor a large count underflows the sum.
pub(crate) fn nb_at_least(r: f64, ln_p: f64, ln_q: f64, n: u32) -> Result<f64, SeriesError> {
    if !(r > 0.0 && ln_p <= 0.0 && ln_q <= 0.0 && r.is_finite() && ln_p.is_finite()) {
        return Err(SeriesError::OutsideDomain);
    }
    if n == 0 {
        return Ok(1.0);
    }
    let mean = r * (ln_q - ln_p).exp();
    let nf = f64::from(n);
    if nf <= mean {
        let mut ln_t = r * ln_p;
        let mut head = 0.0;
        for j in 0..n {
            head += ln_t.exp();
            let k = f64::from(j);
            ln_t += ((r + k) / (k + 1.0)).ln() + ln_q;
        }
        return Ok((1.0 - head).clamp(0.0, 1.0));
    }
    let mut ln_t = ln_gamma(r + nf) - ln_gamma(r) - ln_gamma(nf + 1.0) + r * ln_p + nf * ln_q;
    let mut tail = 0.0;
    for i in 0..HYP2F1_MAX_TERMS {
        let t = ln_t.exp();
        tail += t;
        let k = nf + i as f64;
        let ratio = (r + k) / (k + 1.0) * ln_q.exp();
        if ratio < 1.0 && t * ratio <= 1e-17 * tail * (1.0 - ratio) {
            return Ok(tail.clamp(0.0, 1.0));
        }
        ln_t += ratio.ln();
    }
    Err(SeriesError::DidNotConverge)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * (1.0 + b.abs())
    }

    #[test]
    fn ln_gamma_matches_factorials_and_half_integers() {
        let mut fact = 0.0_f64;
        for n in 1..60 {
            // ln Γ(n) = ln (n-1)!
            assert!(close(ln_gamma(n as f64), fact, 1e-13), "n = {n}");
            fact += (n as f64).ln();
        }
        // Γ(1/2) = √π
        assert!(close(ln_gamma(0.5), 0.5 * std::f64::consts::PI.ln(), 1e-14));
        // Γ(0.243): ln = 1.2687... (reference value from the reflection formula check below)
        let x = 0.243;
        let reflected =
            std::f64::consts::PI.ln() - (std::f64::consts::PI * x).sin().ln() - ln_gamma(1.0 - x);
        assert!(close(ln_gamma(x), reflected, 1e-13));
        assert!(ln_gamma(1e300).is_finite());
        assert_eq!(ln_gamma(0.0), f64::INFINITY);
        assert_eq!(ln_gamma(f64::NAN), f64::INFINITY);
    }

    #[test]
    fn digamma_is_the_derivative_of_ln_gamma() {
        for &x in &[
            0.05_f64, 0.243, 0.793, 1.0, 2.426, 4.414, 9.99, 10.0, 37.5, 1e4,
        ] {
            let h = 1e-5 * x.max(1e-3);
            let numeric = (ln_gamma(x + h) - ln_gamma(x - h)) / (2.0 * h);
            assert!(close(digamma(x), numeric, 1e-7), "x = {x}");
        }
        // ψ(1) = −γ (Euler–Mascheroni)
        assert!(close(digamma(1.0), -0.577_215_664_901_532_9, 1e-14));
    }

    #[test]
    fn hyp2f1_matches_closed_forms() {
        // 2F1(1, 1; 2; z) = −ln(1 − z) / z
        for &z in &[0.1, 0.5, 0.9, 0.99, 0.999] {
            let got = ln_hyp2f1(1.0, 1.0, 2.0, z).unwrap();
            let want = (-(1.0 - z).ln() / z).ln();
            assert!(close(got, want, 1e-12), "z = {z}: {got} vs {want}");
        }
        // 2F1(a, b; b; z) = (1 − z)^−a
        let got = ln_hyp2f1(3.5, 2.0, 2.0, 0.7).unwrap();
        assert!(close(got, -3.5 * 0.3_f64.ln(), 1e-12));
        // Large parameters stay finite (log space).
        let big = ln_hyp2f1(5000.0, 5000.0, 5001.0, 0.6).unwrap();
        assert!(big.is_finite() && big > 700.0);
        assert_eq!(
            ln_hyp2f1(1.0, 1.0, 2.0, 1.0),
            Err(SeriesError::OutsideDomain)
        );
        assert_eq!(
            ln_hyp2f1(-1.0, 1.0, 2.0, 0.5),
            Err(SeriesError::OutsideDomain)
        );
        assert_eq!(
            ln_hyp2f1(1.0, 1.0, 2.0, f64::NAN),
            Err(SeriesError::OutsideDomain)
        );
        assert_eq!(
            ln_hyp2f1_within(1.0, 1.0, 2.0, 0.999, 100),
            Err(SeriesError::DidNotConverge)
        );
    }

    #[test]
    fn softplus_never_overflows() {
        assert_eq!(softplus_sigmoid(1000.0), (1000.0, 1.0));
        let (sp, s) = softplus_sigmoid(-1000.0);
        assert!((0.0..1e-300).contains(&sp) && s < 1e-300);
        let (sp, s) = softplus_sigmoid(0.0);
        assert!(close(sp, 2f64.ln(), 1e-15) && s == 0.5);
    }
}
