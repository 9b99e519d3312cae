"""Type stubs of the extension module ``retention._retention`` (the Rust half of the
package; import everything from ``retention``)."""

from datetime import datetime
from typing import Any, Dict, Iterator, List, Optional, Sequence, SupportsFloat, Union, final

import numpy as np
import numpy.typing as npt

__all__ = [
    "Agenda",
    "Book",
    "BookError",
    "FitOptions",
    "FitReport",
    "ParetoModel",
    "Problem",
    "PurchaseModel",
    "SpendModel",
]

_Column = Union[npt.ArrayLike, Sequence[SupportsFloat]]
"""A column of customers: a 1-D numpy array of any numeric dtype, or any sequence."""

@final
class Problem:
    """One problem of unusable input: a stable ``code``, the ``path`` of the offending
    field (``""`` for the value itself) and a ``message`` for people."""

    @property
    def code(self) -> str:
        """The stable machine code, such as ``"desk.unknown_reference"``."""
    @property
    def path(self) -> str:
        """The path of the offending field, such as ``"interactions[12].person"``."""
    @property
    def message(self) -> str:
        """A sentence for people."""
    def __new__(cls, code: str, path: str, message: str) -> "Problem":
        """A problem with this code, path and message."""
    def __iter__(self) -> Iterator[str]:
        """``code``, ``path`` and ``message``, in that order."""
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

class BookError(ValueError):
    """The input could not be used: a book, a column of customers or a model's
    parameters. ``problems`` lists every problem in input order; ``code`` and ``path``
    are the first problem's."""

    problems: List[Problem]
    code: str
    path: str

@final
class Book:
    """Everything one business knows, read from the crate's JSON contract
    (``schema_version`` 2; version 1 books still read) and checked whole."""

    @staticmethod
    def from_json(json: Union[str, bytes]) -> "Book":
        """Reads a book from its JSON text (``str`` or UTF-8 ``bytes``). Raises
        ``BookError`` with every problem; ``TypeError`` for another type."""
    @staticmethod
    def from_dict(data: Dict[str, Any]) -> "Book":
        """Reads a book from the ``dict`` of its JSON (``json.dumps``, then
        ``from_json``)."""
    def agenda(self, now: datetime) -> "Agenda":
        """The day's agenda at ``now``, a timezone-aware ``datetime``. Raises
        ``ValueError`` for a naive one, ``BookError`` for problems the engines find."""
    def to_json(self) -> str:
        """The book as compact JSON, in canonical order."""
    def to_dict(self) -> Dict[str, Any]:
        """The book as a ``dict`` (``json.loads`` of ``to_json()``)."""
    @property
    def business(self) -> Optional[str]:
        """The business's name, if the book gives one."""

@final
class Agenda:
    """What a service business should do today (the crate's ``desk::Agenda``)."""

    def to_json(self, pretty: bool = False) -> str:
        """The agenda as the crate writes it: compact, or indented with
        ``pretty=True``."""
    def to_dict(self) -> Dict[str, Any]:
        """The agenda as a ``dict`` (amounts are decimal strings, instants RFC 3339)."""

@final
class FitOptions:
    """Options of a fit; an argument left out takes the crate's default (penalizer 0,
    500 iterations, weeks)."""

    def __new__(
        cls,
        penalizer: Optional[float] = None,
        max_iterations: Optional[int] = None,
        time_unit: Optional[str] = None,
    ) -> "FitOptions":
        """Options; ``time_unit`` is ``"days"`` or ``"weeks"``."""
    @property
    def penalizer(self) -> float:
        """The L2 penalizer on the log-parameters."""
    @property
    def max_iterations(self) -> int:
        """The most quasi-Newton iterations."""
    @property
    def time_unit(self) -> str:
        """``"days"`` or ``"weeks"``."""

@final
class FitReport:
    """How a fit went: the model, the log-likelihood and the minimiser's work."""

    @property
    def model(self) -> Any:
        """The fitted ``PurchaseModel``, ``ParetoModel`` or ``SpendModel``."""
    @property
    def log_likelihood(self) -> float:
        """The log-likelihood of the data at the fitted parameters (the sum)."""
    @property
    def time_unit(self) -> str:
        """``"days"`` or ``"weeks"``."""
    @property
    def customers(self) -> int:
        """Customers read (for the spend model, the repeat buyers)."""
    @property
    def distinct_rows(self) -> int:
        """Distinct rows after collapsing duplicates into weights."""
    @property
    def iterations(self) -> int:
        """Quasi-Newton iterations used."""
    @property
    def evaluations(self) -> int:
        """Evaluations of the log-likelihood and its gradient."""
    @property
    def gradient_max(self) -> float:
        """The largest gradient component at the end."""

@final
class PurchaseModel:
    """BG/NBD (``"bg_nbd"``) or modified BG/NBD (``"modified_bg_nbd"``) over columns
    ``frequency``, ``recency`` and ``age`` (lifetimes' ``T``)."""

    def __new__(cls, variant: str, r: float, alpha: float, a: float, b: float) -> "PurchaseModel":
        """A model with known parameters; ``BookError`` for one that is not above 0."""
    @staticmethod
    def fit(
        frequency: _Column,
        recency: _Column,
        age: _Column,
        variant: Optional[str] = None,
        options: Optional[FitOptions] = None,
    ) -> FitReport:
        """Fits by maximum likelihood (``variant`` None: the crate's default,
        ``"modified_bg_nbd"``); ``BookError`` for unusable customers or a failed fit."""
    @property
    def variant(self) -> str:
        """``"bg_nbd"`` or ``"modified_bg_nbd"``."""
    @property
    def params(self) -> Dict[str, float]:
        """``{"r": ..., "alpha": ..., "a": ..., "b": ...}``."""
    def p_alive(
        self, frequency: _Column, recency: _Column, age: _Column
    ) -> npt.NDArray[np.float64]:
        """P(alive) of each customer."""
    def expected_purchases(
        self, horizon: float, frequency: _Column, recency: _Column, age: _Column
    ) -> npt.NDArray[np.float64]:
        """Expected purchases of each customer in the next ``horizon``."""
    def log_likelihood(self, frequency: _Column, recency: _Column, age: _Column) -> float:
        """The log-likelihood of the customers (the sum)."""

@final
class ParetoModel:
    """Pareto/NBD over columns ``frequency``, ``recency`` and ``age``."""

    def __new__(cls, r: float, alpha: float, s: float, beta: float) -> "ParetoModel":
        """A model with known parameters; ``BookError`` for one that is not above 0."""
    @staticmethod
    def fit(
        frequency: _Column,
        recency: _Column,
        age: _Column,
        options: Optional[FitOptions] = None,
    ) -> FitReport:
        """Fits by maximum likelihood."""
    @property
    def params(self) -> Dict[str, float]:
        """``{"r": ..., "alpha": ..., "s": ..., "beta": ...}``."""
    def p_alive(
        self, frequency: _Column, recency: _Column, age: _Column
    ) -> npt.NDArray[np.float64]:
        """P(alive) of each customer."""
    def expected_purchases(
        self, horizon: float, frequency: _Column, recency: _Column, age: _Column
    ) -> npt.NDArray[np.float64]:
        """Expected purchases of each customer in the next ``horizon``."""
    def log_likelihood(self, frequency: _Column, recency: _Column, age: _Column) -> float:
        """The log-likelihood of the customers (the sum)."""

@final
class SpendModel:
    """Gamma-Gamma over columns ``frequency`` and ``monetary_value``."""

    def __new__(cls, p: float, q: float, gamma: float) -> "SpendModel":
        """A model with known parameters (lifetimes' ``v`` is ``gamma``)."""
    @staticmethod
    def fit(
        frequency: _Column, monetary_value: _Column, options: Optional[FitOptions] = None
    ) -> FitReport:
        """Fits by maximum likelihood to the repeat buyers."""
    @property
    def params(self) -> Dict[str, float]:
        """``{"p": ..., "q": ..., "gamma": ...}``."""
    def expected_average_spend(
        self, frequency: _Column, monetary_value: _Column
    ) -> npt.NDArray[np.float64]:
        """The expected value of each customer's future purchases, one by one."""
