//! Mergeable likelihood partials (`retention::risk::models::LikelihoodPartial`) and the
//! optimizer that fits from a Python function summing them: the pieces of a fit whose
//! book is spread over machines (a Spark job's partitions, a pool of processes).
//!
//! A worker evaluates `PurchaseModel.partial(...)` or `ParetoModel.partial(...)` over its
//! rows; the partials add (`a + b`, `a.merge(b)`, `sum(parts)`); the driver hands
//! `fit_partials` a function from parameters to the merged partial. The optimizer is the
//! crate's, run with the GIL released; the GIL is taken back only to call the function.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyTuple, PyType};
use retention::risk::models as m;
use retention::{Error, ErrorKind, FieldPath};

/// The log-likelihood of a slice of customers at given parameters, its gradient with
/// respect to the parameters (natural scale, in the model's order: `[r, alpha, a, b]`
/// or `[r, alpha, s, beta]`) and the customers it covers (`weight`, the sum of the
/// rows' weights).
///
/// Partials merge by adding each part: `a + b` (or `a.merge(b)`, or `sum(partials)`,
/// which starts from `0`) is the partial of both slices, and `LikelihoodPartial.empty()`
/// is the identity. A partial pickles (as its three parts), so Spark and
/// `multiprocessing` can ship it between processes; `tuple(p)` is
/// `(log_likelihood, gradient, weight)`.
#[pyclass(frozen, module = "retention")]
#[derive(Clone)]
pub struct LikelihoodPartial {
    pub(crate) inner: m::LikelihoodPartial,
}

#[pymethods]
impl LikelihoodPartial {
    /// A partial from its parts (one computed elsewhere and shipped as three numbers
    /// and a list).
    #[new]
    fn new(log_likelihood: f64, gradient: Vec<f64>, weight: f64) -> LikelihoodPartial {
        LikelihoodPartial {
            inner: m::LikelihoodPartial::new(log_likelihood, gradient, weight),
        }
    }

    /// The partial of no customers, with `parameters` gradient components (4 by
    /// default): the identity of `merge`.
    #[staticmethod]
    #[pyo3(signature = (parameters = 4))]
    fn empty(parameters: usize) -> LikelihoodPartial {
        LikelihoodPartial {
            inner: m::LikelihoodPartial::empty(parameters),
        }
    }

    /// The sum of the customers' log-likelihoods (weighted).
    #[getter]
    fn log_likelihood(&self) -> f64 {
        self.inner.log_likelihood
    }

    /// The gradient of the log-likelihood with respect to the parameters, as a list.
    #[getter]
    fn gradient(&self) -> Vec<f64> {
        self.inner.gradient.clone()
    }

    /// The customers covered (the sum of the rows' weights).
    #[getter]
    fn weight(&self) -> f64 {
        self.inner.weight
    }

    /// The partial of both slices: the sums of the log-likelihoods, of the gradients
    /// (componentwise) and of the weights.
    fn merge(&self, other: &LikelihoodPartial) -> LikelihoodPartial {
        LikelihoodPartial {
            inner: self.inner.merge(&other.inner),
        }
    }

    /// `a + b`: `a.merge(b)`. Adding `0` gives the partial back, so `sum(partials)`
    /// works.
    fn __add__(&self, other: &Bound<'_, PyAny>) -> PyResult<LikelihoodPartial> {
        if let Ok(p) = other.extract::<PyRef<'_, LikelihoodPartial>>() {
            return Ok(self.merge(&p));
        }
        if other.extract::<i64>().is_ok_and(|v| v == 0) {
            return Ok(self.clone());
        }
        Err(PyTypeError::new_err(format!(
            "a LikelihoodPartial adds to a LikelihoodPartial (or 0), not {}",
            other.get_type().name()?
        )))
    }

    /// `0 + a` (the start of `sum`) and `b + a`.
    fn __radd__(&self, other: &Bound<'_, PyAny>) -> PyResult<LikelihoodPartial> {
        self.__add__(other)
    }

    /// `(log_likelihood, gradient, weight)`.
    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        (self.log_likelihood(), self.gradient(), self.weight())
            .into_pyobject(py)?
            .try_iter()
            .map(Bound::into_any)
    }

    /// Pickles as `LikelihoodPartial(log_likelihood, gradient, weight)`.
    fn __reduce__<'py>(slf: &Bound<'py, Self>) -> PyResult<Reduced<'py>> {
        let p = slf.get();
        Ok((
            slf.get_type(),
            (p.log_likelihood(), p.gradient(), p.weight()),
        ))
    }

    /// Equal parts, exactly.
    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .extract::<PyRef<'_, LikelihoodPartial>>()
            .is_ok_and(|o| o.inner == self.inner)
    }

    /// `LikelihoodPartial(log_likelihood=..., gradient=[...], weight=...)`.
    fn __repr__(&self) -> String {
        format!(
            "LikelihoodPartial(log_likelihood={:?}, gradient={:?}, weight={:?})",
            self.inner.log_likelihood, self.inner.gradient, self.inner.weight
        )
    }
}

/// What `__reduce__` gives pickle: the class and its constructor's arguments.
type Reduced<'py> = (Bound<'py, PyType>, (f64, Vec<f64>, f64));

/// A partial from what a Python function returned: a `LikelihoodPartial` or a tuple
/// `(log_likelihood, gradient, weight)`.
fn extract_partial(value: &Bound<'_, PyAny>) -> PyResult<m::LikelihoodPartial> {
    if let Ok(p) = value.extract::<PyRef<'_, LikelihoodPartial>>() {
        return Ok(p.inner.clone());
    }
    if value.is_instance_of::<PyTuple>() {
        if let Ok((ll, g, w)) = value.extract::<(f64, Vec<f64>, f64)>() {
            return Ok(m::LikelihoodPartial::new(ll, g, w));
        }
    }
    Err(PyTypeError::new_err(format!(
        "the partials function returns a LikelihoodPartial or a tuple (log_likelihood, \
         gradient, weight), not {}",
        value.repr()?
    )))
}

/// Runs a crate fit that calls `partials` (a Python callable from `[p0, p1, p2, p3]` to
/// a partial) with the GIL released, taking the GIL back for each call. An exception
/// the function raises stops the fit and is raised again, unchanged.
pub(crate) fn drive<T, F>(py: Python<'_>, partials: &Py<PyAny>, fit: F) -> PyResult<T>
where
    T: Send,
    F: FnOnce(&mut dyn FnMut([f64; 4]) -> Result<m::LikelihoodPartial, Error>) -> Result<T, Error>
        + Send,
{
    let mut raised: Option<PyErr> = None;
    let result = py.detach(|| {
        let mut call = |p: [f64; 4]| {
            Python::attach(|py| {
                partials
                    .bind(py)
                    .call1((p.to_vec(),))
                    .and_then(|v| extract_partial(&v))
            })
            .map_err(|e| {
                raised = Some(e);
                Error::new(
                    ErrorKind::RiskFitFailed,
                    FieldPath::root().field("partials"),
                    "the partials function raised an exception",
                )
            })
        };
        fit(&mut call)
    });
    match (raised, result) {
        (Some(e), _) => Err(e),
        (None, Ok(v)) => Ok(v),
        (None, Err(e)) => Err(crate::errors::book_error(py, &e)),
    }
}
