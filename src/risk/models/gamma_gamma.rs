//! Gamma-Gamma: what a customer spends per purchase, fitted by maximum likelihood.

use serde::{Deserialize, Serialize};

use super::fitting::{self, LikelihoodPartial};
use super::optim::Settings;
use super::special::{digamma, ln_gamma};
use super::{
    FitOptions, FitReport, PurchaseSummary, batch, check_param, check_spend_book, decimal_f64,
};
use crate::error::{Error, ErrorKind, FieldPath, Problems};

/// The three parameters of Gamma-Gamma: a purchase's value is Gamma(`p`, ν) for a
/// customer whose ν is Gamma(`q`, `gamma`) across customers. In JSON: `{"p": 6.25, "q":
/// 3.74, "gamma": 15.44}`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SpendParams {
    /// Shape of a customer's purchase values.
    pub p: f64,
    /// Shape of the customers' rates.
    pub q: f64,
    /// Scale of the customers' rates, in money.
    pub gamma: f64,
}

impl SpendParams {
    /// The parameters, in the order of the literature.
    pub fn new(p: f64, q: f64, gamma: f64) -> SpendParams {
        SpendParams { p, q, gamma }
    }
}

/// A fitted (or host-supplied) Gamma-Gamma spend model. In JSON, its [`SpendParams`];
/// reading checks them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(try_from = "SpendParams", into = "SpendParams")]
pub struct SpendModel {
    params: SpendParams,
}

impl TryFrom<SpendParams> for SpendModel {
    type Error = Error;
    fn try_from(p: SpendParams) -> Result<Self, Error> {
        SpendModel::new(p)
    }
}

impl From<SpendModel> for SpendParams {
    fn from(m: SpendModel) -> Self {
        m.params
    }
}

struct Prepared {
    /// Distinct frequencies (all above 0).
    xs: Vec<f64>,
    /// (index into xs, ln x, average spend, ln average spend, weight)
    rows: Vec<(usize, f64, f64, f64, f64)>,
    x_weight: Vec<f64>,
    total_weight: f64,
}

impl Prepared {
    fn new(rows_in: &[(f64, f64)]) -> Prepared {
        let mut keyed = rows_in.to_vec();
        keyed.sort_by(|l, r| l.0.total_cmp(&r.0).then(l.1.total_cmp(&r.1)));
        let mut xs: Vec<f64> = keyed.iter().map(|k| k.0).collect();
        xs.dedup();
        let mut x_weight = vec![0.0; xs.len()];
        let mut rows: Vec<(usize, f64, f64, f64, f64)> = Vec::new();
        let mut last: Option<(f64, f64)> = None;
        for k in &keyed {
            let xi = xs.binary_search_by(|v| v.total_cmp(&k.0)).unwrap_or(0);
            if let Some(w) = x_weight.get_mut(xi) {
                *w += 1.0;
            }
            match (last, rows.last_mut()) {
                (Some(l), Some(row)) if l == *k => row.4 += 1.0,
                _ => rows.push((xi, k.0.ln(), k.1, k.1.ln(), 1.0)),
            }
            last = Some(*k);
        }
        Prepared {
            xs,
            rows,
            x_weight,
            total_weight: rows_in.len() as f64,
        }
    }

    fn log_likelihood(&self, sp: &SpendParams, grad: &mut [f64; 3]) -> f64 {
        let SpendParams { p, q, gamma } = *sp;
        let ln_gamma_scale = gamma.ln();
        let (lg_q, dg_q) = (ln_gamma(q), digamma(q));
        let mut ll = 0.0;
        let mut g = [0.0; 3];
        for (x, w) in self.xs.iter().zip(&self.x_weight) {
            let px = p * x;
            let dg_pxq = digamma(px + q);
            ll += w * (ln_gamma(px + q) - ln_gamma(px) - lg_q + q * ln_gamma_scale);
            g[0] += w * x * (dg_pxq - digamma(px));
            g[1] += w * (dg_pxq - dg_q + ln_gamma_scale);
            g[2] += w * q / gamma;
        }
        for &(xi, ln_x, m, ln_m, w) in &self.rows {
            let Some(&x) = self.xs.get(xi) else { continue };
            let px = p * x;
            let s = gamma + x * m;
            let ln_s = s.ln();
            ll += w * ((px - 1.0) * ln_m + px * ln_x - (px + q) * ln_s);
            g[0] += w * x * (ln_m + ln_x - ln_s);
            g[1] -= w * ln_s;
            g[2] -= w * (px + q) / s;
        }
        *grad = g;
        ll
    }
}

impl SpendModel {
    /// A model with parameters a host already has.
    ///
    /// # Errors
    /// `risk.invalid_parameter` at `p`, `q` or `gamma` for a parameter that is not a
    /// finite number above 0.
    pub fn new(params: SpendParams) -> Result<SpendModel, Error> {
        Problems::collect(|pr| {
            check_param("p", params.p, pr);
            check_param("q", params.q, pr);
            check_param("gamma", params.gamma, pr);
        })?;
        Ok(SpendModel { params })
    }

    /// The parameters.
    pub fn params(&self) -> SpendParams {
        self.params
    }

    /// Fits the model by maximum likelihood to the customers of `book` with a repeat
    /// purchase and an average spend (the others carry no information about spend and
    /// are skipped), from a fixed start (p = 1, q = 2, γ = mean spend). Assumes, as the
    /// model does, that spend does not depend on frequency.
    ///
    /// # Errors
    /// Every problem of the book (see [`PurchaseSummary::validate`]);
    /// `risk.invalid_spend` at `customers[i].average_spend` for a repeat buyer whose
    /// average spend is 0; `risk.empty_book` for no customers; `risk.degenerate_data`
    /// when fewer than two distinct (frequency, spend) rows remain; `risk.fit_failed`
    /// when it does not converge.
    pub fn fit(
        book: &[PurchaseSummary],
        options: &FitOptions,
    ) -> Result<FitReport<SpendModel>, Error> {
        options.check()?;
        check_spend_book(book)?;
        let rows = spend_rows(book)?;
        let data = Prepared::new(&rows);
        if data.rows.len() < 2 {
            return Err(Error::new(
                ErrorKind::RiskDegenerateData,
                FieldPath::root().field("customers"),
                format!(
                    "{} distinct (frequency, average spend) rows among repeat buyers: the spend \
                     model needs at least 2",
                    data.rows.len()
                ),
            ));
        }
        let mean_m = rows.iter().map(|r| r.1).sum::<f64>() / rows.len() as f64;
        let settings = Settings {
            max_iterations: options.max_iterations,
            ..Settings::default()
        };
        let mut eval = |p: &[f64; 3]| {
            let mut g = [0.0; 3];
            let ll = data.log_likelihood(&SpendParams::new(p[0], p[1], p[2]), &mut g);
            Ok(LikelihoodPartial::from_array(ll, g, data.total_weight))
        };
        let driven = fitting::drive(
            ["p", "q", "gamma"],
            [1.0, 2.0, mean_m],
            options,
            settings,
            &mut eval,
        )?;
        let t = driven.params;
        let model = SpendModel::new(SpendParams::new(t[0], t[1], t[2]))?;
        let distinct = data.rows.len();
        Ok(FitReport::from_driven(
            model,
            driven,
            options,
            rows.len(),
            distinct,
        ))
    }

    /// The log-likelihood of the spend of a book's repeat buyers under this model (Fader,
    /// Hardie & Lee 2005, "RFM and CLV", eq. 3 summed over the customers with a repeat
    /// purchase and an average spend; the others carry no information about spend).
    ///
    /// ```
    /// use retention::risk::models::{PurchaseSummary, SpendModel, SpendParams};
    ///
    /// let m = SpendModel::new(SpendParams::new(6.25, 3.74, 15.44))?;
    /// let book = [
    ///     PurchaseSummary::new(2, 30.4, 38.9).with_average_spend("22.35".parse()?),
    ///     PurchaseSummary::new(0, 0.0, 38.9),
    /// ];
    /// assert!(m.log_likelihood(&book)? < 0.0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// The book's problems, as for [`fit`](Self::fit) (`risk.invalid_spend` for a repeat
    /// buyer's spend of 0).
    pub fn log_likelihood(&self, book: &[PurchaseSummary]) -> Result<f64, Error> {
        check_spend_book(book)?;
        let rows = spend_rows(book)?;
        if rows.is_empty() {
            return Ok(0.0);
        }
        let mut g = [0.0; 3];
        Ok(Prepared::new(&rows).log_likelihood(&self.params, &mut g))
    }

    /// [`expected_average_spend`](Self::expected_average_spend) of each customer.
    ///
    /// # Errors
    /// The first failure, at `customers[i]...`.
    pub fn expected_average_spend_batch(
        &self,
        customers: &[PurchaseSummary],
    ) -> Result<Vec<f64>, Error> {
        batch(customers, |c| self.expected_average_spend(c))
    }

    /// The expected value of this customer's future purchases, one by one: the
    /// population mean `pγ/(q−1)` for a customer without repeat purchases or spend,
    /// moved towards the customer's own average the more purchases they made.
    ///
    /// # Errors
    /// The summary's problems; `risk.model_undefined` when `q ≤ 1` (the population mean
    /// is infinite).
    pub fn expected_average_spend(&self, customer: &PurchaseSummary) -> Result<f64, Error> {
        customer.validate()?;
        let SpendParams { p, q, gamma } = self.params;
        if q <= 1.0 {
            return Err(Error::new(
                ErrorKind::RiskModelUndefined,
                FieldPath::root().field("q"),
                format!("with q = {q} (not above 1) the expected spend is infinite"),
            ));
        }
        let (x, m) = match customer.average_spend {
            Some(s) if customer.frequency > 0 => (customer.frequency as f64, decimal_f64(s)),
            _ => (0.0, 0.0),
        };
        let e = (gamma + x * m) * p / (p * x + q - 1.0);
        if e.is_finite() {
            Ok(e)
        } else {
            Err(Error::new(
                ErrorKind::RiskModelUndefined,
                FieldPath::root().field("average_spend"),
                "the expected spend overflows",
            ))
        }
    }
}

/// The (frequency, average spend) of the repeat buyers with a spend.
fn spend_rows(book: &[PurchaseSummary]) -> Result<Vec<(f64, f64)>, Error> {
    let mut problems = Problems::new();
    let mut rows = Vec::with_capacity(book.len());
    for (i, c) in book.iter().enumerate() {
        let Some(spend) = c.average_spend.filter(|_| c.frequency > 0) else {
            continue;
        };
        let m = decimal_f64(spend);
        if !(m > 0.0 && m.is_finite()) {
            problems.push(
                ErrorKind::RiskInvalidSpend,
                FieldPath::root().field("customers").index(i).field("average_spend"),
                format!(
                    "a repeat buyer's average spend must be above 0 for the spend model, not {spend}"
                ),
            );
            continue;
        }
        rows.push((c.frequency as f64, m));
    }
    problems.finish()?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gradient_matches_finite_differences() {
        let rows = [
            (1.0, 22.35),
            (2.0, 11.77),
            (7.0, 73.74),
            (2.0, 25.55),
            (5.0, 29.44),
            (1.0, 9.99),
        ];
        let data = Prepared::new(&rows);
        let base = [6.25, 3.74, 15.44];
        let mut g = [0.0; 3];
        data.log_likelihood(&SpendParams::new(base[0], base[1], base[2]), &mut g);
        for i in 0..3 {
            let h = 1e-6 * base[i];
            let (mut up, mut down) = (base, base);
            up[i] += h;
            down[i] -= h;
            let mut s = [0.0; 3];
            let n = (data.log_likelihood(&SpendParams::new(up[0], up[1], up[2]), &mut s)
                - data.log_likelihood(&SpendParams::new(down[0], down[1], down[2]), &mut s))
                / (2.0 * h);
            assert!(
                (n - g[i]).abs() < 1e-5 * (1.0 + g[i].abs()),
                "{i}: {n} vs {}",
                g[i]
            );
        }
    }

    /// The spend model reads a row's frequency and spend only: rows without their
    /// timing (recency and age 0, as a host filling two columns writes them) are fitted,
    /// not refused as the purchase models refuse them.
    #[test]
    fn the_spend_fit_reads_frequency_and_spend_only() {
        use rust_decimal::Decimal;
        let rows: Vec<PurchaseSummary> = [
            (2, "30.50"),
            (5, "12.00"),
            (1, "80.25"),
            (3, "41.10"),
            (7, "19.90"),
        ]
        .iter()
        .map(|&(x, m)| {
            PurchaseSummary::new(x, 0.0, 0.0).with_average_spend(m.parse::<Decimal>().unwrap())
        })
        .collect();
        let fit = SpendModel::fit(&rows, &FitOptions::default());
        match fit {
            Ok(f) => assert!(f.log_likelihood.is_finite()),
            Err(e) => assert_ne!(e.code(), "risk.inconsistent_summary", "{e}"),
        }
    }

    #[test]
    fn expected_spend_shrinks_towards_the_population_mean() {
        let m = SpendModel::new(SpendParams::new(6.25, 3.74, 15.44)).unwrap();
        let population = 6.25 * 15.44 / 2.74;
        let none = m
            .expected_average_spend(&PurchaseSummary::new(0, 0.0, 30.0))
            .unwrap();
        assert!((none - population).abs() < 1e-12);
        let big = PurchaseSummary::new(20, 30.0, 38.0).with_average_spend(100.into());
        let one = PurchaseSummary::new(1, 30.0, 38.0).with_average_spend(100.into());
        let e20 = m.expected_average_spend(&big).unwrap();
        let e1 = m.expected_average_spend(&one).unwrap();
        assert!(population < e1 && e1 < e20 && e20 < 100.0);
        let flat = SpendModel::new(SpendParams::new(6.25, 0.9, 15.44)).unwrap();
        assert_eq!(
            flat.expected_average_spend(&one).unwrap_err().code(),
            "risk.model_undefined"
        );
    }
}
