//! `retention.BookError` and `retention.Problem`: the crate's `Error` in Python.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString};

pyo3::create_exception!(
    retention,
    BookError,
    PyValueError,
    "The input could not be used: a book, a column of customers or a model's parameters.\n\n\
     `problems` lists every problem found, in the order of the input, each a `Problem` with \
     a stable `code` (such as `desk.unknown_reference`), the `path` of the offending field \
     (`interactions[12].person`) and a `message` for people. `code` and `path` are those of \
     the first problem. A subclass of `ValueError`."
);

/// One problem of unusable input: a stable `code`, the `path` of the offending field
/// (the empty string for the value itself) and a `message` for people.
///
/// Compares equal to another problem with the same three fields; `tuple(problem)` is
/// `(code, path, message)`.
#[pyclass(frozen, eq, hash, get_all, module = "retention")]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Problem {
    /// The stable machine code, such as `"calendar.intervals_overlap"`.
    code: String,
    /// The path of the offending field, such as `"interactions[12].person"`.
    path: String,
    /// A sentence for people.
    message: String,
}

#[pymethods]
impl Problem {
    /// A problem with this code, path and message.
    #[new]
    fn new(code: String, path: String, message: String) -> Problem {
        Problem {
            code,
            path,
            message,
        }
    }

    /// `Problem(code='...', path='...', message='...')`.
    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let repr = |s: &str| -> PyResult<String> { Ok(PyString::new(py, s).repr()?.to_string()) };
        Ok(format!(
            "Problem(code={}, path={}, message={})",
            repr(&self.code)?,
            repr(&self.path)?,
            repr(&self.message)?
        ))
    }

    /// `code`, `path` and `message`, in that order.
    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let fields = (&self.code, &self.path, &self.message).into_pyobject(py)?;
        fields.as_any().try_iter().map(Bound::into_any)
    }
}

impl From<&retention::Problem> for Problem {
    fn from(p: &retention::Problem) -> Problem {
        Problem {
            code: p.code().to_owned(),
            path: p.path().as_str().to_owned(),
            message: p.message().to_owned(),
        }
    }
}

/// The crate's error as a `BookError` whose `problems` are the error's, in order.
pub(crate) fn book_error(py: Python<'_>, e: &retention::Error) -> PyErr {
    let err = BookError::new_err(e.to_string());
    let attach = || -> PyResult<()> {
        let value = err.value(py);
        let problems: Vec<Problem> = e.problems().iter().map(Problem::from).collect();
        value.setattr("problems", PyList::new(py, problems)?)?;
        value.setattr("code", e.code())?;
        value.setattr("path", e.path().as_str())?;
        Ok(())
    };
    match attach() {
        Ok(()) => err,
        // Only when Python itself cannot allocate; that error says more than ours.
        Err(other) => other,
    }
}

/// What the binding's own conversions can refuse before the crate sees a value (a
/// fractional purchase count, columns of different lengths), beside the crate's errors.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The crate refused the input.
    Crate(retention::Error),
    /// The value cannot be expressed in the crate's types: a Python `ValueError`.
    Value(String),
}

impl From<retention::Error> for Failure {
    fn from(e: retention::Error) -> Failure {
        Failure::Crate(e)
    }
}

impl Failure {
    /// The Python exception: `BookError` for the crate's errors, `ValueError` for ours.
    pub(crate) fn into_py(self, py: Python<'_>) -> PyErr {
        match self {
            Failure::Crate(e) => book_error(py, &e),
            Failure::Value(message) => PyValueError::new_err(message),
        }
    }
}
