"""Customer-retention rules for service businesses, from the Rust crate ``retention``.

- The daily desk: ``Book.from_json(text)`` (or ``Book.from_dict(data)``) reads a whole
  business in the crate's JSON contract, and ``book.agenda(now)`` says what to do today
  (touches due, orders blocked, promises broken, customers at risk), as an ``Agenda``
  with ``to_json()`` and ``to_dict()``.
- The purchase and spend models over numpy columns: ``PurchaseModel`` (BG/NBD and
  modified BG/NBD), ``ParetoModel`` (Pareto/NBD) and ``SpendModel`` (Gamma-Gamma), with
  ``fit`` returning a ``FitReport``; and the same models under the names of the
  ``lifetimes`` library (``BetaGeoFitter``, ``ModifiedBetaGeoFitter``,
  ``ParetoNBDFitter``, ``GammaGammaFitter``).
- Fits spread over machines (Spark, a process pool): ``PurchaseModel.partial(params,
  ...)`` over a slice of rows gives a ``LikelihoodPartial`` (partials add), and
  ``PurchaseModel.fit_partials(function, start)`` fits from a function summing them;
  ``Book.part_of(account_id, parts)`` is the documented account partition of the desk
  (``examples/spark_fit.py``). ``synthetic_book(seed, accounts)`` builds a test book.
- Unusable input raises ``BookError``, whose ``problems`` list every ``Problem`` with a
  stable ``code``, the ``path`` of the offending field and a ``message``.

Every number comes from the Rust crate, computed with the GIL released; results equal
the crate's bit for bit.
"""

from ._retention import (
    Agenda,
    Book,
    BookError,
    FitOptions,
    FitReport,
    LikelihoodPartial,
    ParetoModel,
    Problem,
    PurchaseModel,
    SpendModel,
    synthetic_book,
)
from ._fitters import (
    BetaGeoFitter,
    GammaGammaFitter,
    ModifiedBetaGeoFitter,
    ParetoNBDFitter,
)

__version__ = "0.1.0"

__all__ = [
    "Agenda",
    "BetaGeoFitter",
    "Book",
    "BookError",
    "FitOptions",
    "FitReport",
    "GammaGammaFitter",
    "LikelihoodPartial",
    "ModifiedBetaGeoFitter",
    "ParetoModel",
    "ParetoNBDFitter",
    "Problem",
    "PurchaseModel",
    "SpendModel",
    "synthetic_book",
]
