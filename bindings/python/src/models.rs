//! The purchase and spend models (`retention::risk::models`) over columns of customers.
//!
//! A Rust host hands the models a slice of `PurchaseSummary`; a Python user has columns
//! (`frequency`, `recency`, `T`, `monetary_value`), as numpy arrays or any sequence. The
//! binding reads the columns into summaries and calls the crate once per customer (or
//! once per book for a fit), with the GIL released; nothing is computed here.
//!
//! Adding a per-customer call of the crate is one method: read the columns with
//! [`Columns`] and map the crate's call over them with [`Columns::each`].

use std::str::FromStr;

use numpy::ndarray::ArrayView1;
use numpy::{AllowTypeChange, PyArray1, PyArrayLike1};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use retention::FieldPath;
use retention::risk::models::{
    self as m, ParetoParams, PurchaseParams, PurchaseSummary, SpendParams, TimeUnit, Variant,
};
use retention::rust_decimal::Decimal;

use crate::errors::{Failure, book_error};
use crate::partials::{self, LikelihoodPartial};

/// A column of numbers from Python: a numpy array of any numeric dtype, or any sequence.
type Column<'py> = PyArrayLike1<'py, f64, AllowTypeChange>;

/// A float array for Python.
type Floats<'py> = Bound<'py, PyArray1<f64>>;

/// Columns of customers, borrowed from Python's arrays, one row per customer.
struct Columns<'a> {
    frequency: ArrayView1<'a, f64>,
    recency: Option<ArrayView1<'a, f64>>,
    age: Option<ArrayView1<'a, f64>>,
    spend: Option<ArrayView1<'a, f64>>,
}

impl<'a> Columns<'a> {
    /// The purchase columns: repeat purchases, recency and age ("T").
    fn purchases(frequency: &'a Column<'_>, recency: &'a Column<'_>, age: &'a Column<'_>) -> Self {
        Columns {
            frequency: frequency.as_array(),
            recency: Some(recency.as_array()),
            age: Some(age.as_array()),
            spend: None,
        }
    }

    /// The spend columns: repeat purchases and the mean value of the repeat purchases.
    fn spend(frequency: &'a Column<'_>, spend: &'a Column<'_>) -> Self {
        Columns {
            frequency: frequency.as_array(),
            recency: None,
            age: None,
            spend: Some(spend.as_array()),
        }
    }

    /// One `PurchaseSummary` per row. A count must be a whole number and an amount
    /// finite (a Python `ValueError` otherwise); the crate checks everything else.
    ///
    /// Without recency and age (the spend model reads neither) a summary has both 0,
    /// which the spend model's checks accept. An amount
    /// becomes the shortest decimal that reads back as the same float (`22.35` for the
    /// float 22.35), which is the `Decimal` a Rust host gets from the text `"22.35"`.
    fn summaries(&self) -> Result<Vec<PurchaseSummary>, Failure> {
        let n = self.frequency.len();
        for (name, column) in [
            ("recency", self.recency),
            ("age (T)", self.age),
            ("monetary_value", self.spend),
        ] {
            if let Some(c) = column.filter(|c| c.len() != n) {
                return Err(Failure::Value(format!(
                    "frequency has {n} customers and {name} {}: the columns must have one row \
                     per customer",
                    c.len()
                )));
            }
        }
        (0..n)
            .map(|i| {
                let x = self.frequency[i];
                if !(x.is_finite() && x.fract() == 0.0 && x.abs() < 9.0e18) {
                    return Err(Failure::Value(format!(
                        "frequency[{i}] = {x} is not a whole number of repeat purchases"
                    )));
                }
                // Without recency and age the spend model reads neither: both 0.
                let recency = self.recency.map_or(0.0, |c| c[i]);
                let mut c = PurchaseSummary::new(x as i64, recency, self.age.map_or(0.0, |c| c[i]));
                if let Some(spend) = self.spend {
                    c = c.with_average_spend(amount(i, spend[i])?);
                }
                Ok(c)
            })
            .collect()
    }

    /// The crate's per-customer `call` over every row, the GIL released. A customer the
    /// crate refuses raises `BookError` with the problems under `customers[i]`.
    fn each<'py, F>(&self, py: Python<'py>, call: F) -> PyResult<Floats<'py>>
    where
        F: Fn(&PurchaseSummary) -> Result<f64, retention::Error> + Send + Sync,
    {
        py.detach(|| {
            self.summaries()?
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    call(c).map_err(|e| {
                        Failure::Crate(e.under(&FieldPath::root().field("customers").index(i)))
                    })
                })
                .collect::<Result<Vec<f64>, Failure>>()
        })
        .map(|v| PyArray1::from_vec(py, v))
        .map_err(|f| f.into_py(py))
    }

    /// The crate's per-customer `call` with the row's value of `extra` (a column of
    /// the same length, such as a spend per purchase), the GIL released.
    fn each_with<'py, F>(
        &self,
        py: Python<'py>,
        name: &str,
        extra: &Column<'_>,
        call: F,
    ) -> PyResult<Floats<'py>>
    where
        F: Fn(&PurchaseSummary, f64) -> Result<f64, retention::Error> + Send + Sync,
    {
        let extra = extra.as_array();
        if extra.len() != self.frequency.len() {
            return Err(PyValueError::new_err(format!(
                "frequency has {} customers and {name} {}: the columns must have one row \
                 per customer",
                self.frequency.len(),
                extra.len()
            )));
        }
        py.detach(|| {
            self.summaries()?
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    call(c, extra[i]).map_err(|e| {
                        Failure::Crate(e.under(&FieldPath::root().field("customers").index(i)))
                    })
                })
                .collect::<Result<Vec<f64>, Failure>>()
        })
        .map(|v| PyArray1::from_vec(py, v))
        .map_err(|f| f.into_py(py))
    }

    /// The crate's whole-book `call` over the summaries and the optional weights (one
    /// per row), the GIL released.
    fn weighted<T, F>(&self, py: Python<'_>, weights: Option<&Column<'_>>, call: F) -> PyResult<T>
    where
        T: Send,
        F: FnOnce(&[PurchaseSummary], Option<&[f64]>) -> Result<T, retention::Error> + Send,
    {
        let weights: Option<Vec<f64>> = weights.map(|w| w.as_array().to_vec());
        py.detach(|| Ok(call(&self.summaries()?, weights.as_deref())?))
            .map_err(|f: Failure| f.into_py(py))
    }

    /// The crate's whole-book `call` over the summaries, the GIL released.
    fn book<T, F>(&self, py: Python<'_>, call: F) -> PyResult<T>
    where
        T: Send,
        F: FnOnce(&[PurchaseSummary]) -> Result<T, retention::Error> + Send,
    {
        py.detach(|| Ok(call(&self.summaries()?)?))
            .map_err(|f: Failure| f.into_py(py))
    }
}

/// An amount from a float column, as the shortest decimal that reads back as the float.
fn amount(i: usize, v: f64) -> Result<Decimal, Failure> {
    if v.is_finite() {
        if let Ok(d) = Decimal::from_str(&v.to_string()) {
            return Ok(d);
        }
    }
    Err(Failure::Value(format!(
        "monetary_value[{i}] = {v} is not a finite amount of at most 28 digits"
    )))
}

fn time_unit(name: &str) -> PyResult<TimeUnit> {
    [TimeUnit::Days, TimeUnit::Weeks]
        .into_iter()
        .find(|u| u.as_str() == name)
        .ok_or_else(|| {
            PyValueError::new_err(format!("time_unit is \"days\" or \"weeks\", not {name:?}"))
        })
}

fn variant(name: &str) -> PyResult<Variant> {
    [Variant::BgNbd, Variant::ModifiedBgNbd]
        .into_iter()
        .find(|v| v.as_str() == name)
        .ok_or_else(|| {
            PyValueError::new_err(format!(
                "variant is \"bg_nbd\" or \"modified_bg_nbd\", not {name:?}"
            ))
        })
}

/// Options of a fit: an L2 `penalizer` on the log-parameters (0, the default, fits the
/// plain maximum likelihood; 0.001 to 0.1 keeps every parameter away from 0 and infinity
/// on data that cannot identify it), the most quasi-Newton iterations
/// (`max_iterations`, 500 by default), and the `time_unit` of the data's times
/// (`"weeks"`, the default, or `"days"`), reported with the fit. An argument left out
/// takes the crate's default.
#[pyclass(frozen, module = "retention")]
#[derive(Clone)]
pub struct FitOptions {
    inner: m::FitOptions,
}

#[pymethods]
impl FitOptions {
    /// Options; each argument left out takes the crate's default.
    #[new]
    #[pyo3(signature = (penalizer = None, max_iterations = None, time_unit = None))]
    fn new(
        penalizer: Option<f64>,
        max_iterations: Option<u32>,
        time_unit: Option<String>,
    ) -> PyResult<FitOptions> {
        let mut inner = m::FitOptions::default();
        if let Some(p) = penalizer {
            inner = inner.with_penalizer(p);
        }
        if let Some(n) = max_iterations {
            inner.max_iterations = n;
        }
        if let Some(u) = time_unit {
            inner = inner.with_time_unit(self::time_unit(&u)?);
        }
        Ok(FitOptions { inner })
    }

    /// The L2 penalizer on the log-parameters.
    #[getter]
    fn penalizer(&self) -> f64 {
        self.inner.penalizer
    }

    /// The most quasi-Newton iterations.
    #[getter]
    fn max_iterations(&self) -> u32 {
        self.inner.max_iterations
    }

    /// The unit of the data's times: `"days"` or `"weeks"`.
    #[getter]
    fn time_unit(&self) -> &'static str {
        self.inner.time_unit.as_str()
    }

    /// `FitOptions(penalizer=..., max_iterations=..., time_unit=...)`.
    fn __repr__(&self) -> String {
        format!(
            "FitOptions(penalizer={:?}, max_iterations={}, time_unit={:?})",
            self.inner.penalizer,
            self.inner.max_iterations,
            self.inner.time_unit.as_str()
        )
    }
}

/// Four parameters from Python, in the model's order (`[r, alpha, a, b]` or
/// `[r, alpha, s, beta]`): any sequence of four numbers, or a `dict` with those names
/// (as a model's `params` gives it).
fn four(value: &Bound<'_, PyAny>, names: [&str; 4]) -> PyResult<[f64; 4]> {
    if let Ok(d) = value.cast::<PyDict>() {
        let mut out = [0.0; 4];
        for (o, name) in out.iter_mut().zip(names) {
            *o = d
                .get_item(name)?
                .ok_or_else(|| PyValueError::new_err(format!("the parameters have no {name:?}")))?
                .extract()?;
        }
        return Ok(out);
    }
    let v: Vec<f64> = value.extract()?;
    <[f64; 4]>::try_from(v.as_slice()).map_err(|_| {
        PyValueError::new_err(format!(
            "the parameters are four numbers {names:?}, not {}",
            v.len()
        ))
    })
}

/// The options of a lifetime value: `months` ahead, the `monthly_discount_rate`, and
/// the data's `time_unit` (for the time units in a month: 4.345 weeks or 30 days).
fn clv_options(
    months: u32,
    monthly_discount_rate: f64,
    time_unit: &str,
) -> PyResult<m::ClvOptions> {
    Ok(m::ClvOptions::for_unit(self::time_unit(time_unit)?)
        .with_months(months)
        .with_monthly_discount_rate(monthly_discount_rate))
}

fn options(o: Option<&FitOptions>) -> m::FitOptions {
    o.map_or_else(m::FitOptions::default, |o| o.inner)
}

/// How a fit went: the fitted `model`, the `log_likelihood` of the data at the fitted
/// parameters (the sum over customers, penalizer excluded, in the data's `time_unit`),
/// the `customers` read, the `distinct_rows` after collapsing duplicates into weights,
/// and the minimiser's work (`iterations`, `evaluations`, and `gradient_max`, the largest
/// gradient component at the end).
#[pyclass(frozen, get_all, module = "retention")]
pub struct FitReport {
    /// The fitted model: a `PurchaseModel`, `ParetoModel` or `SpendModel`.
    model: Py<PyAny>,
    /// The log-likelihood of the whole book at the fitted parameters.
    log_likelihood: f64,
    /// The unit of the data's times: `"days"` or `"weeks"`.
    time_unit: &'static str,
    /// Customers in the book (for the spend model, the repeat buyers it read).
    customers: usize,
    /// Distinct rows after collapsing duplicates into weights.
    distinct_rows: usize,
    /// Quasi-Newton iterations used.
    iterations: u32,
    /// Evaluations of the log-likelihood and its gradient.
    evaluations: u32,
    /// The largest gradient component of the mean negative log-likelihood at the end.
    gradient_max: f64,
}

#[pymethods]
impl FitReport {
    /// `FitReport(model=..., log_likelihood=..., iterations=...)`.
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "FitReport(model={}, log_likelihood={:?}, customers={}, iterations={})",
            self.model.bind(py).repr()?,
            self.log_likelihood,
            self.customers,
            self.iterations
        ))
    }
}

impl FitReport {
    fn new<M, P>(py: Python<'_>, r: m::FitReport<M>, wrap: impl FnOnce(M) -> P) -> PyResult<Self>
    where
        P: pyo3::PyClass + Into<pyo3::PyClassInitializer<P>>,
    {
        Ok(FitReport {
            model: Py::new(py, wrap(r.model))?.into_any(),
            log_likelihood: r.log_likelihood,
            time_unit: r.time_unit.as_str(),
            customers: r.customers,
            distinct_rows: r.distinct_rows,
            iterations: r.iterations,
            evaluations: r.evaluations,
            gradient_max: r.gradient_max,
        })
    }
}

/// A BG/NBD (`variant="bg_nbd"`, Fader, Hardie & Lee 2005) or modified BG/NBD
/// (`"modified_bg_nbd"`, Batislam et al. 2007) purchase model: purchase rates
/// Gamma(`r`, `alpha`) across customers, drop-out probabilities Beta(`a`, `b`).
///
/// Customers are columns: `frequency` (repeat purchases, whole numbers), `recency` (time
/// from the first purchase to the last, 0 without a repeat purchase) and `age` (time
/// from the first purchase to the end of observation, lifetimes' `T`), all in one time
/// unit; numpy arrays or any sequences of equal length. Results are numpy arrays, one
/// value per customer, equal bit for bit to the crate's.
#[pyclass(frozen, module = "retention")]
pub struct PurchaseModel {
    inner: m::PurchaseModel,
}

#[pymethods]
impl PurchaseModel {
    /// A model with parameters a host already has. Raises `BookError`
    /// (`risk.invalid_parameter` at `params.r`, ...) for a parameter that is not a
    /// finite number above 0.
    #[new]
    fn new(py: Python<'_>, variant: String, r: f64, alpha: f64, a: f64, b: f64) -> PyResult<Self> {
        m::PurchaseModel::new(
            self::variant(&variant)?,
            PurchaseParams::new(r, alpha, a, b),
        )
        .map(|inner| PurchaseModel { inner })
        .map_err(|e| book_error(py, &e))
    }

    /// Fits the model to the customers by maximum likelihood (deterministic: the same
    /// data give the same parameters, bit for bit) and returns a `FitReport`. `variant`
    /// left out is the crate's default, `"modified_bg_nbd"`.
    ///
    /// `weights` (optional) gives each row the number of customers who share it;
    /// `start` (optional: four numbers `[r, alpha, a, b]` or a `params` dict) is where
    /// the search begins (the crate's `fit_weighted`; by default from the data's means).
    ///
    /// Raises `BookError` with every problem of the customers at `customers[i]...`,
    /// `risk.empty_book`, `risk.degenerate_data` (all alike, or nobody bought twice), or
    /// `risk.fit_failed` (a parameter the data do not identify: a penalizer helps);
    /// `risk.invalid_weight` at `weights[i]` for a weight that is not above 0.
    #[staticmethod]
    #[pyo3(signature = (frequency, recency, age, variant = None, options = None, *, weights = None, start = None))]
    #[allow(clippy::too_many_arguments)]
    fn fit(
        py: Python<'_>,
        frequency: Column<'_>,
        recency: Column<'_>,
        age: Column<'_>,
        variant: Option<String>,
        options: Option<&FitOptions>,
        weights: Option<Column<'_>>,
        start: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<FitReport> {
        let variant = variant.map_or(Ok(Variant::default()), |v| self::variant(&v))?;
        let options = self::options(options);
        let start = start
            .map(|s| four(s, ["r", "alpha", "a", "b"]))
            .transpose()?
            .map(|[r, alpha, a, b]| PurchaseParams::new(r, alpha, a, b));
        let report = Columns::purchases(&frequency, &recency, &age).weighted(
            py,
            weights.as_ref(),
            |book, w| m::PurchaseModel::fit_weighted(book, w, variant, start, &options),
        )?;
        FitReport::new(py, report, |inner| PurchaseModel { inner })
    }

    /// The log-likelihood and its gradient at `params` (four numbers `[r, alpha, a,
    /// b]` or a `params` dict) over a slice of customers, with optional `weights` (one
    /// per row), as a `LikelihoodPartial`: what one worker of a distributed fit computes
    /// over its rows. The partials of a book's slices add up to the book's partial, and
    /// `fit_partials` fits from them. An empty slice gives `LikelihoodPartial.empty()`.
    ///
    /// Raises `BookError` with the rows' problems at `customers[i]...`, the weights' at
    /// `weights...`, and `risk.invalid_parameter` for parameters that are not positive.
    #[staticmethod]
    #[pyo3(signature = (params, frequency, recency, age, weights = None, variant = None))]
    fn partial(
        py: Python<'_>,
        params: &Bound<'_, PyAny>,
        frequency: Column<'_>,
        recency: Column<'_>,
        age: Column<'_>,
        weights: Option<Column<'_>>,
        variant: Option<String>,
    ) -> PyResult<LikelihoodPartial> {
        let variant = variant.map_or(Ok(Variant::default()), |v| self::variant(&v))?;
        let [r, alpha, a, b] = four(params, ["r", "alpha", "a", "b"])?;
        let params = PurchaseParams::new(r, alpha, a, b);
        Columns::purchases(&frequency, &recency, &age)
            .weighted(py, weights.as_ref(), |book, w| {
                m::PurchaseModel::partial(variant, params, book, w)
            })
            .map(|inner| LikelihoodPartial { inner })
    }

    /// Fits the model from `partials`, a function that takes the parameters as a list
    /// `[r, alpha, a, b]` and returns the `LikelihoodPartial` of the whole book there
    /// (or a tuple `(log_likelihood, gradient, weight)`): the optimizer of a fit whose
    /// rows live elsewhere, such as a Spark job's
    /// `lambda p: rdd.mapPartitions(partial_at(p)).reduce(operator.add)`. The search is
    /// `fit`'s, from `start` (four numbers or a `params` dict), with the options'
    /// penalizer and iteration limit; 8 more calls give the standard errors. The
    /// report's `customers` is the partials' weight, `distinct_rows` 0.
    ///
    /// The optimizer runs with the GIL released and takes it back for each call. An
    /// exception raised by `partials` stops the fit and propagates; `BookError` for the
    /// fit's own failures (`risk.fit_failed`, `risk.invalid_parameter` for a partial
    /// without 4 gradient components and a weight above 0).
    #[staticmethod]
    #[pyo3(signature = (partials, start, variant = None, options = None))]
    fn fit_partials(
        py: Python<'_>,
        partials: Py<PyAny>,
        start: &Bound<'_, PyAny>,
        variant: Option<String>,
        options: Option<&FitOptions>,
    ) -> PyResult<FitReport> {
        let variant = variant.map_or(Ok(Variant::default()), |v| self::variant(&v))?;
        let options = self::options(options);
        let [r, alpha, a, b] = four(start, ["r", "alpha", "a", "b"])?;
        let start = PurchaseParams::new(r, alpha, a, b);
        let report = partials::drive(py, &partials, |call| {
            m::PurchaseModel::fit_partials(variant, start, &options, |p| {
                call([p.r, p.alpha, p.a, p.b])
            })
        })?;
        FitReport::new(py, report, |inner| PurchaseModel { inner })
    }

    /// `"bg_nbd"` or `"modified_bg_nbd"`.
    #[getter]
    fn variant(&self) -> &'static str {
        self.inner.variant().as_str()
    }

    /// The parameters as a `dict`: `{"r": ..., "alpha": ..., "a": ..., "b": ...}`.
    #[getter]
    fn params<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let PurchaseParams { r, alpha, a, b } = self.inner.params();
        params(py, &[("r", r), ("alpha", alpha), ("a", a), ("b", b)])
    }

    /// The probability that each customer is still alive (will buy again), in [0, 1].
    /// Plain BG/NBD gives exactly 1 to a customer without a repeat purchase.
    fn p_alive<'py>(
        &self,
        py: Python<'py>,
        frequency: Column<'py>,
        recency: Column<'py>,
        age: Column<'py>,
    ) -> PyResult<Floats<'py>> {
        let model = self.inner;
        Columns::purchases(&frequency, &recency, &age).each(py, |c| model.p_alive(c))
    }

    /// The expected number of purchases of each customer in the next `horizon` (in the
    /// data's time unit), given their history. Raises `BookError` with
    /// `risk.invalid_horizon`, or `risk.model_undefined` where the closed form does not
    /// hold (see the crate's `PurchaseModel::expected_purchases`).
    fn expected_purchases<'py>(
        &self,
        py: Python<'py>,
        horizon: f64,
        frequency: Column<'py>,
        recency: Column<'py>,
        age: Column<'py>,
    ) -> PyResult<Floats<'py>> {
        let model = self.inner;
        Columns::purchases(&frequency, &recency, &age)
            .each(py, |c| model.expected_purchases(c, horizon))
    }

    /// Each customer's lifetime value: the expected purchases of each of the next
    /// `months` months given the customer's history, discounted at
    /// `monthly_discount_rate` a month (month k's purchases divided by (1 + rate)^k,
    /// the convention of lifetimes' `customer_lifetime_value`), times `spend`, each
    /// customer's value of one purchase (a column, such as
    /// `SpendModel.expected_average_spend`). `time_unit` is the data's (`"weeks"`:
    /// 4.345 a month; `"days"`: 30).
    ///
    /// Raises `BookError` with `risk.invalid_parameter` for a discount rate not above
    /// −1 or a spend that is not finite, and the errors of `expected_purchases`.
    #[pyo3(signature = (frequency, recency, age, spend, months = 12, monthly_discount_rate = 0.01, time_unit = "weeks"))]
    #[allow(clippy::too_many_arguments)]
    fn customer_lifetime_value<'py>(
        &self,
        py: Python<'py>,
        frequency: Column<'py>,
        recency: Column<'py>,
        age: Column<'py>,
        spend: Column<'py>,
        months: u32,
        monthly_discount_rate: f64,
        time_unit: &str,
    ) -> PyResult<Floats<'py>> {
        let model = self.inner;
        let options = clv_options(months, monthly_discount_rate, time_unit)?;
        Columns::purchases(&frequency, &recency, &age).each_with(py, "spend", &spend, |c, s| {
            model.customer_lifetime_value(c, s, &options)
        })
    }

    /// Each customer's own log-likelihood under this model.
    fn customer_log_likelihood<'py>(
        &self,
        py: Python<'py>,
        frequency: Column<'py>,
        recency: Column<'py>,
        age: Column<'py>,
    ) -> PyResult<Floats<'py>> {
        let model = self.inner;
        Columns::purchases(&frequency, &recency, &age)
            .each(py, |c| model.customer_log_likelihood(c))
    }

    /// The expected purchases E[X(t)] of a new customer in a period of length
    /// `horizon`. Raises `BookError` with `risk.invalid_horizon` for a horizon that is
    /// not a finite length of 0 or more.
    fn unconditional_expected_purchases(&self, py: Python<'_>, horizon: f64) -> PyResult<f64> {
        self.inner
            .unconditional_expected_purchases(horizon)
            .map_err(|e| book_error(py, &e))
    }

    /// The probability P(X(t) = n) that a new customer makes exactly `n` purchases in a
    /// period of length `horizon`.
    fn probability_of_purchases(&self, py: Python<'_>, horizon: f64, n: u32) -> PyResult<f64> {
        self.inner
            .probability_of_purchases(horizon, n)
            .map_err(|e| book_error(py, &e))
    }

    /// The log-likelihood of the customers under this model (the sum over customers),
    /// in their time unit.
    fn log_likelihood(
        &self,
        py: Python<'_>,
        frequency: Column<'_>,
        recency: Column<'_>,
        age: Column<'_>,
    ) -> PyResult<f64> {
        let model = self.inner;
        Columns::purchases(&frequency, &recency, &age).book(py, |book| model.log_likelihood(book))
    }

    /// `PurchaseModel("bg_nbd", r=..., alpha=..., a=..., b=...)`.
    fn __repr__(&self) -> String {
        let PurchaseParams { r, alpha, a, b } = self.inner.params();
        format!(
            "PurchaseModel({:?}, r={r:?}, alpha={alpha:?}, a={a:?}, b={b:?})",
            self.variant()
        )
    }
}

/// A Pareto/NBD purchase model (Schmittlein, Morrison & Colombo 1987): purchase rates
/// Gamma(`r`, `alpha`), lifetimes exponential with rates Gamma(`s`, `beta`). Customers
/// are columns, as for `PurchaseModel`.
#[pyclass(frozen, module = "retention")]
pub struct ParetoModel {
    inner: m::ParetoModel,
}

#[pymethods]
impl ParetoModel {
    /// A model with parameters a host already has. Raises `BookError`
    /// (`risk.invalid_parameter`) for a parameter that is not a finite number above 0.
    #[new]
    fn new(py: Python<'_>, r: f64, alpha: f64, s: f64, beta: f64) -> PyResult<Self> {
        m::ParetoModel::new(ParetoParams::new(r, alpha, s, beta))
            .map(|inner| ParetoModel { inner })
            .map_err(|e| book_error(py, &e))
    }

    /// Fits the model by maximum likelihood and returns a `FitReport`, with optional
    /// `weights` (one per row) and `start` (`[r, alpha, s, beta]` or a `params` dict).
    /// Raises `BookError` as `PurchaseModel.fit` does.
    #[staticmethod]
    #[pyo3(signature = (frequency, recency, age, options = None, *, weights = None, start = None))]
    fn fit(
        py: Python<'_>,
        frequency: Column<'_>,
        recency: Column<'_>,
        age: Column<'_>,
        options: Option<&FitOptions>,
        weights: Option<Column<'_>>,
        start: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<FitReport> {
        let options = self::options(options);
        let start = start
            .map(|s| four(s, ["r", "alpha", "s", "beta"]))
            .transpose()?
            .map(|[r, alpha, s, beta]| ParetoParams::new(r, alpha, s, beta));
        let report = Columns::purchases(&frequency, &recency, &age).weighted(
            py,
            weights.as_ref(),
            |book, w| m::ParetoModel::fit_weighted(book, w, start, &options),
        )?;
        FitReport::new(py, report, |inner| ParetoModel { inner })
    }

    /// The log-likelihood and its gradient at `params` (`[r, alpha, s, beta]` or a
    /// `params` dict) over a slice of customers, as `PurchaseModel.partial`.
    #[staticmethod]
    #[pyo3(signature = (params, frequency, recency, age, weights = None))]
    fn partial(
        py: Python<'_>,
        params: &Bound<'_, PyAny>,
        frequency: Column<'_>,
        recency: Column<'_>,
        age: Column<'_>,
        weights: Option<Column<'_>>,
    ) -> PyResult<LikelihoodPartial> {
        let [r, alpha, s, beta] = four(params, ["r", "alpha", "s", "beta"])?;
        let params = ParetoParams::new(r, alpha, s, beta);
        Columns::purchases(&frequency, &recency, &age)
            .weighted(py, weights.as_ref(), |book, w| {
                m::ParetoModel::partial(params, book, w)
            })
            .map(|inner| LikelihoodPartial { inner })
    }

    /// Fits the model from a function summing partials (it receives `[r, alpha, s,
    /// beta]`), as `PurchaseModel.fit_partials`.
    #[staticmethod]
    #[pyo3(signature = (partials, start, options = None))]
    fn fit_partials(
        py: Python<'_>,
        partials: Py<PyAny>,
        start: &Bound<'_, PyAny>,
        options: Option<&FitOptions>,
    ) -> PyResult<FitReport> {
        let options = self::options(options);
        let [r, alpha, s, beta] = four(start, ["r", "alpha", "s", "beta"])?;
        let start = ParetoParams::new(r, alpha, s, beta);
        let report = partials::drive(py, &partials, |call| {
            m::ParetoModel::fit_partials(start, &options, |p| call([p.r, p.alpha, p.s, p.beta]))
        })?;
        FitReport::new(py, report, |inner| ParetoModel { inner })
    }

    /// The parameters as a `dict`: `{"r": ..., "alpha": ..., "s": ..., "beta": ...}`.
    #[getter]
    fn params<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let ParetoParams { r, alpha, s, beta } = self.inner.params();
        params(py, &[("r", r), ("alpha", alpha), ("s", s), ("beta", beta)])
    }

    /// The probability that each customer is still alive. Raises `BookError` with
    /// `risk.model_undefined` when a hypergeometric series does not converge.
    fn p_alive<'py>(
        &self,
        py: Python<'py>,
        frequency: Column<'py>,
        recency: Column<'py>,
        age: Column<'py>,
    ) -> PyResult<Floats<'py>> {
        let model = self.inner;
        Columns::purchases(&frequency, &recency, &age).each(py, |c| model.p_alive(c))
    }

    /// The expected number of purchases of each customer in the next `horizon`.
    fn expected_purchases<'py>(
        &self,
        py: Python<'py>,
        horizon: f64,
        frequency: Column<'py>,
        recency: Column<'py>,
        age: Column<'py>,
    ) -> PyResult<Floats<'py>> {
        let model = self.inner;
        Columns::purchases(&frequency, &recency, &age)
            .each(py, |c| model.expected_purchases(c, horizon))
    }

    /// Each customer's lifetime value: the expected purchases of each of the next
    /// `months` months given the customer's history, discounted at
    /// `monthly_discount_rate` a month (month k's purchases divided by (1 + rate)^k,
    /// the convention of lifetimes' `customer_lifetime_value`), times `spend`, each
    /// customer's value of one purchase (a column, such as
    /// `SpendModel.expected_average_spend`). `time_unit` is the data's (`"weeks"`:
    /// 4.345 a month; `"days"`: 30).
    ///
    /// Raises `BookError` with `risk.invalid_parameter` for a discount rate not above
    /// −1 or a spend that is not finite, and the errors of `expected_purchases`.
    #[pyo3(signature = (frequency, recency, age, spend, months = 12, monthly_discount_rate = 0.01, time_unit = "weeks"))]
    #[allow(clippy::too_many_arguments)]
    fn customer_lifetime_value<'py>(
        &self,
        py: Python<'py>,
        frequency: Column<'py>,
        recency: Column<'py>,
        age: Column<'py>,
        spend: Column<'py>,
        months: u32,
        monthly_discount_rate: f64,
        time_unit: &str,
    ) -> PyResult<Floats<'py>> {
        let model = self.inner;
        let options = clv_options(months, monthly_discount_rate, time_unit)?;
        Columns::purchases(&frequency, &recency, &age).each_with(py, "spend", &spend, |c, s| {
            model.customer_lifetime_value(c, s, &options)
        })
    }

    /// Each customer's own log-likelihood under this model.
    fn customer_log_likelihood<'py>(
        &self,
        py: Python<'py>,
        frequency: Column<'py>,
        recency: Column<'py>,
        age: Column<'py>,
    ) -> PyResult<Floats<'py>> {
        let model = self.inner;
        Columns::purchases(&frequency, &recency, &age)
            .each(py, |c| model.customer_log_likelihood(c))
    }

    /// The expected purchases E[X(t)] of a new customer in a period of length
    /// `horizon`. Raises `BookError` with `risk.invalid_horizon` for a horizon that is
    /// not a finite length of 0 or more.
    fn unconditional_expected_purchases(&self, py: Python<'_>, horizon: f64) -> PyResult<f64> {
        self.inner
            .unconditional_expected_purchases(horizon)
            .map_err(|e| book_error(py, &e))
    }

    /// The log-likelihood of the customers under this model.
    fn log_likelihood(
        &self,
        py: Python<'_>,
        frequency: Column<'_>,
        recency: Column<'_>,
        age: Column<'_>,
    ) -> PyResult<f64> {
        let model = self.inner;
        Columns::purchases(&frequency, &recency, &age).book(py, |book| model.log_likelihood(book))
    }

    /// `ParetoModel(r=..., alpha=..., s=..., beta=...)`.
    fn __repr__(&self) -> String {
        let ParetoParams { r, alpha, s, beta } = self.inner.params();
        format!("ParetoModel(r={r:?}, alpha={alpha:?}, s={s:?}, beta={beta:?})")
    }
}

/// The Gamma-Gamma spend model (Fader, Hardie & Lee 2005, "RFM and CLV"): the expected
/// value of a customer's future purchases from their number of repeat purchases
/// (`frequency`) and the mean value of those purchases (`monetary_value`, floats read as
/// the shortest decimal that gives the float back, `22.35` for 22.35).
#[pyclass(frozen, module = "retention")]
pub struct SpendModel {
    inner: m::SpendModel,
}

#[pymethods]
impl SpendModel {
    /// A model with parameters a host already has (lifetimes' `v` is `gamma`). Raises
    /// `BookError` (`risk.invalid_parameter`) for a parameter that is not a finite
    /// number above 0.
    #[new]
    fn new(py: Python<'_>, p: f64, q: f64, gamma: f64) -> PyResult<Self> {
        m::SpendModel::new(SpendParams::new(p, q, gamma))
            .map(|inner| SpendModel { inner })
            .map_err(|e| book_error(py, &e))
    }

    /// Fits the model by maximum likelihood to the repeat buyers (customers with
    /// `frequency` 0 carry no information about spend and are skipped) and returns a
    /// `FitReport`. Raises `BookError` (`risk.invalid_spend` for a repeat buyer whose
    /// mean spend is 0, `risk.degenerate_data`, `risk.fit_failed`, ...).
    #[staticmethod]
    #[pyo3(signature = (frequency, monetary_value, options = None))]
    fn fit(
        py: Python<'_>,
        frequency: Column<'_>,
        monetary_value: Column<'_>,
        options: Option<&FitOptions>,
    ) -> PyResult<FitReport> {
        let options = self::options(options);
        let report = Columns::spend(&frequency, &monetary_value)
            .book(py, |book| m::SpendModel::fit(book, &options))?;
        FitReport::new(py, report, |inner| SpendModel { inner })
    }

    /// The parameters as a `dict`: `{"p": ..., "q": ..., "gamma": ...}`.
    #[getter]
    fn params<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let SpendParams { p, q, gamma } = self.inner.params();
        params(py, &[("p", p), ("q", q), ("gamma", gamma)])
    }

    /// The expected value of each customer's future purchases, one by one. Raises
    /// `BookError` with `risk.model_undefined` when `q` is not above 1.
    fn expected_average_spend<'py>(
        &self,
        py: Python<'py>,
        frequency: Column<'py>,
        monetary_value: Column<'py>,
    ) -> PyResult<Floats<'py>> {
        let model = self.inner;
        Columns::spend(&frequency, &monetary_value).each(py, |c| model.expected_average_spend(c))
    }

    /// `SpendModel(p=..., q=..., gamma=...)`.
    fn __repr__(&self) -> String {
        let SpendParams { p, q, gamma } = self.inner.params();
        format!("SpendModel(p={p:?}, q={q:?}, gamma={gamma:?})")
    }
}

/// Named parameters as a `dict`, in the literature's order.
fn params<'py>(py: Python<'py>, values: &[(&str, f64)]) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (name, v) in values {
        d.set_item(name, v)?;
    }
    Ok(d)
}
