//! `retention.Book` and `retention.Agenda`: the daily desk over the JSON contract.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};
use retention::chrono::{DateTime, Utc};
use retention::{Error, ErrorKind, FieldPath};

use crate::errors::book_error;

/// Everything one business knows (calendar, policies, accounts, people, interactions,
/// surveys, units, orders, promises, promise events, record reviews), read from the
/// crate's JSON contract (`schema_version` 1 to 3) and checked whole.
///
/// Build one with `Book.from_json(text)` or `Book.from_dict(data)`; a book that cannot be
/// used raises `BookError` with every problem, its code and its path.
#[pyclass(frozen, module = "retention")]
pub struct Book {
    /// Checked whole when it was read, so `agenda` does not check it again.
    inner: retention::desk::CheckedBook,
}

#[pymethods]
impl Book {
    /// Reads a book from its JSON text (`str`, or UTF-8 `bytes`), checks it whole and
    /// puts it in canonical order.
    ///
    /// Raises `BookError` with every problem (`desk.malformed_json` at the field where
    /// reading stopped, `desk.unknown_schema_version`, `desk.unknown_reference`, ...,
    /// ending with `desk.book_rejected`); `TypeError` for anything but `str` or `bytes`.
    #[staticmethod]
    fn from_json(py: Python<'_>, json: &Bound<'_, PyAny>) -> PyResult<Book> {
        if let Ok(bytes) = json.cast::<PyBytes>() {
            let bytes = bytes.as_bytes();
            let read = py.detach(|| match std::str::from_utf8(bytes) {
                Ok(text) => retention::desk::Book::from_json_checked(text),
                Err(e) => Err(Error::new(
                    ErrorKind::DeskMalformedJson,
                    FieldPath::root(),
                    format!("the bytes are not UTF-8 text: {e}"),
                )),
            });
            return read
                .map(|inner| Book { inner })
                .map_err(|e| book_error(py, &e));
        }
        if let Ok(text) = json.cast::<PyString>() {
            let text = text.to_cow()?;
            return py
                .detach(|| retention::desk::Book::from_json_checked(&text))
                .map(|inner| Book { inner })
                .map_err(|e| book_error(py, &e));
        }
        Err(PyTypeError::new_err(format!(
            "Book.from_json reads str or bytes, not {}",
            json.get_type().name()?
        )))
    }

    /// Reads a book from the `dict` of its JSON (as `json.loads` gives it, or
    /// `Book.to_dict()`): written out with `json.dumps` and read as `from_json` reads it.
    ///
    /// Raises `BookError` as `from_json` does; `TypeError` (from `json.dumps`) for a
    /// value JSON cannot hold, such as a `datetime` (write instants as RFC 3339 strings).
    #[staticmethod]
    fn from_dict(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Book> {
        let text = py.import("json")?.call_method1("dumps", (data,))?;
        Book::from_json(py, &text)
    }

    /// The day's agenda for the instant `now`, a timezone-aware `datetime` (any zone;
    /// the crate works in UTC and the book's calendar zone).
    ///
    /// Raises `ValueError` for a naive `datetime` (no `tzinfo`): the crate never guesses
    /// a zone. Raises `BookError` for a problem that shows only when the engines run
    /// (`promises.event_after_close`, ...) or for a `now` the calendar cannot work from.
    fn agenda(&self, py: Python<'_>, now: &Bound<'_, PyAny>) -> PyResult<Agenda> {
        let now = instant(py, now)?;
        py.detach(|| self.inner.agenda(now))
            .map(|inner| Agenda { inner })
            .map_err(|e| book_error(py, &e))
    }

    /// Each account's purchase history at `now` (a timezone-aware `datetime`), as the
    /// agenda reads it for the purchase models (the crate's `Book::purchase_summaries`,
    /// rule K4): `(account, frequency, recency, T)` in weeks, one per account with a
    /// purchase, in the book's order of accounts. Every completed order that is done now
    /// is a purchase at its completion. Fit or score the models on these rows (or sum
    /// their likelihood partials across a cluster) to agree with the agenda.
    ///
    /// Raises `ValueError` for a naive `datetime`, `BookError` for a book with problems.
    fn purchase_summaries(
        &self,
        py: Python<'_>,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<Vec<(String, i64, f64, f64)>> {
        let now = instant(py, now)?;
        py.detach(|| self.inner.purchase_summaries(now))
            .map(|rows| {
                rows.into_iter()
                    .map(|r| {
                        let s = r.summary;
                        (r.account.as_str().to_owned(), s.frequency, s.recency, s.age)
                    })
                    .collect()
            })
            .map_err(|e| book_error(py, &e))
    }

    /// The book as compact JSON, in the shape `from_json` reads (in canonical order).
    fn to_json(&self, py: Python<'_>) -> String {
        py.detach(|| self.inner.to_json())
    }

    /// The book as a `dict` (`json.loads` of `to_json()`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let text = self.to_json(py);
        py.import("json")?.call_method1("loads", (text,))
    }

    /// The part of `parts` that an account id falls in (the crate's `Book::part_of`):
    /// FNV-1a 64 of the id's UTF-8 bytes, modulo `parts` (0 when `parts` is 0). Group a
    /// large book's records by it (a promise event goes with its promise's account), one
    /// book per part: each part's agenda has the whole book's lines for its accounts,
    /// given one purchase model fitted on the whole book.
    #[staticmethod]
    fn part_of(account_id: &str, parts: usize) -> usize {
        retention::desk::Book::part_of(account_id, parts)
    }

    /// The business's name, if the book gives one.
    #[getter]
    fn business(&self) -> Option<String> {
        self.inner.business.clone()
    }

    /// `Book(business, how many records of each list)`.
    fn __repr__(&self) -> String {
        format!(
            "Book({:?}: {})",
            self.inner.business.as_deref().unwrap_or(""),
            self.inner.counts()
        )
    }
}

/// A synthetic book (the crate's `synthetic::book`): a fictional heating and
/// air-conditioning business with `accounts` accounts drawn from `seed`, the same book
/// byte for byte for the same arguments, seen at `now` (a timezone-aware `datetime`;
/// by default Tuesday 24 November 2026, 15:00 UTC, the crate's `Spec::DEFAULT_NOW`).
/// For demos, benchmarks and tests of jobs over large books.
#[pyfunction]
#[pyo3(signature = (seed, accounts, now = None))]
pub fn synthetic_book(
    py: Python<'_>,
    seed: u64,
    accounts: usize,
    now: Option<&Bound<'_, PyAny>>,
) -> PyResult<Book> {
    let mut spec = retention::synthetic::Spec::new(seed, accounts);
    if let Some(now) = now {
        spec = spec.at(instant(py, now)?);
    }
    py.detach(|| retention::synthetic::book(&spec).into_checked())
        .map(|inner| Book { inner })
        .map_err(|e| book_error(py, &e))
}

/// What a service business should do today: touches due per rep, orders blocked or left
/// hanging, promises due, overdue and broken, customers at risk with reasons and next
/// actions, and opportunities. Read it with `to_json()` or `to_dict()`; the shape is the
/// crate's `desk::Agenda` (`schema/agenda.schema.json`).
#[pyclass(frozen, module = "retention")]
pub struct Agenda {
    inner: retention::desk::Agenda,
}

#[pymethods]
impl Agenda {
    /// The agenda as JSON, byte for byte what the crate writes: compact
    /// (`Agenda::to_json`) or, with `pretty=True`, indented by two spaces
    /// (`Agenda::to_json_pretty`, what `cargo run --example quickstart -- --json` prints,
    /// less its final newline).
    #[pyo3(signature = (pretty = false))]
    fn to_json(&self, py: Python<'_>, pretty: bool) -> String {
        py.detach(|| {
            if pretty {
                self.inner.to_json_pretty()
            } else {
                self.inner.to_json()
            }
        })
    }

    /// The agenda as a `dict` (`json.loads` of `to_json()`): amounts stay decimal
    /// strings (`"2912.00"`), instants RFC 3339 strings.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let text = self.to_json(py, false);
        py.import("json")?.call_method1("loads", (text,))
    }

    /// `Agenda(business, now)`.
    fn __repr__(&self) -> String {
        format!(
            "Agenda({:?} at {})",
            self.inner.business.as_deref().unwrap_or(""),
            self.inner.now.to_rfc3339()
        )
    }
}

/// An aware `datetime` as the UTC instant it names, to the microsecond.
fn instant(py: Python<'_>, now: &Bound<'_, PyAny>) -> PyResult<DateTime<Utc>> {
    let datetime = py.import("datetime")?;
    if !now.is_instance(&datetime.getattr("datetime")?)? {
        return Err(PyTypeError::new_err(format!(
            "now must be a timezone-aware datetime.datetime, not {}",
            now.get_type().name()?
        )));
    }
    if now.call_method0("utcoffset")?.is_none() {
        return Err(PyValueError::new_err(format!(
            "now must be timezone-aware, and {} has no tzinfo: give it one, such as \
             datetime.timezone.utc or a zoneinfo.ZoneInfo (the crate never guesses a zone)",
            now.repr()?
        )));
    }
    let utc = datetime.getattr("timezone")?.getattr("utc")?;
    let text: String = now
        .call_method1("astimezone", (utc,))?
        .call_method0("isoformat")?
        .extract()?;
    DateTime::parse_from_rfc3339(&text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| PyValueError::new_err(format!("now ({text}) is not an instant: {e}")))
}
