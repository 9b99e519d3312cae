"""Type stubs of the extension module ``retention._retention`` (the Rust half of the
package; import everything from ``retention``)."""

from datetime import datetime
from typing import (
    Any,
    Callable,
    Dict,
    Iterator,
    List,
    Mapping,
    Optional,
    Sequence,
    SupportsFloat,
    Tuple,
    Union,
    final,
)

import numpy as np
import numpy.typing as npt

__all__ = [
    "Agenda",
    "Book",
    "BookError",
    "FitOptions",
    "FitReport",
    "LikelihoodPartial",
    "ParetoModel",
    "Problem",
    "PurchaseModel",
    "SpendModel",
    "synthetic_book",
]

_Column = Union[npt.ArrayLike, Sequence[SupportsFloat]]
"""A column of customers: a 1-D numpy array of any numeric dtype, or any sequence."""

_Params = Union[Sequence[float], Mapping[str, float]]
"""Four parameters in the model's order (``[r, alpha, a, b]``, ``[r, alpha, s, beta]``)
or a ``params`` dict."""

_PartialLike = Union["LikelihoodPartial", Tuple[float, Sequence[float], float]]
"""What a partials function returns: a ``LikelihoodPartial`` or ``(log_likelihood,
gradient, weight)``."""

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
    (``schema_version`` 1 to 3) and checked whole."""

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
    def purchase_summaries(self, now: datetime) -> List[Tuple[str, int, float, float]]:
        """Each account's purchase history at ``now`` as the agenda reads it (rule K4):
        ``(account, frequency, recency, T)`` in weeks, one per account with a purchase.
        Raises ``ValueError`` for a naive ``datetime``, ``BookError`` for problems."""
    def to_json(self) -> str:
        """The book as compact JSON, in canonical order."""
    def to_dict(self) -> Dict[str, Any]:
        """The book as a ``dict`` (``json.loads`` of ``to_json()``)."""
    @staticmethod
    def part_of(account_id: str, parts: int) -> int:
        """The part of ``parts`` an account id falls in: FNV-1a 64 of its UTF-8 bytes,
        modulo ``parts`` (0 when ``parts`` is 0), the crate's ``Book::part_of``."""
    @property
    def business(self) -> Optional[str]:
        """The business's name, if the book gives one."""

def synthetic_book(seed: int, accounts: int, now: Optional[datetime] = None) -> Book:
    """The crate's synthetic book: ``accounts`` accounts from ``seed``, seen at ``now``
    (default 2026-11-24T15:00:00Z), the same book for the same arguments."""

@final
class LikelihoodPartial:
    """The log-likelihood of a slice of customers at given parameters, its gradient
    (natural scale, the model's order) and the customers covered (``weight``). Partials
    add (``a + b``, ``a.merge(b)``, ``sum(partials)``), pickle, and unpack as
    ``(log_likelihood, gradient, weight)``."""

    def __new__(cls, log_likelihood: float, gradient: Sequence[float], weight: float) -> "LikelihoodPartial":
        """A partial from its parts."""
    @staticmethod
    def empty(parameters: int = 4) -> "LikelihoodPartial":
        """The partial of no customers: the identity of ``merge``."""
    @property
    def log_likelihood(self) -> float:
        """The sum of the customers' log-likelihoods (weighted)."""
    @property
    def gradient(self) -> List[float]:
        """The gradient with respect to the parameters."""
    @property
    def weight(self) -> float:
        """The customers covered."""
    def merge(self, other: "LikelihoodPartial") -> "LikelihoodPartial":
        """The partial of both slices."""
    def __add__(self, other: Union["LikelihoodPartial", int], /) -> "LikelihoodPartial":
        """``a.merge(b)``; ``a + 0`` is ``a``."""
    def __radd__(self, other: Union["LikelihoodPartial", int], /) -> "LikelihoodPartial":
        """``0 + a`` is ``a`` (the start of ``sum``)."""
    def __iter__(self) -> Iterator[Any]:
        """``log_likelihood``, ``gradient`` and ``weight``."""
    def __reduce__(self) -> Tuple[Any, Tuple[float, List[float], float]]: ...
    def __eq__(self, other: object, /) -> bool: ...

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
        *,
        weights: Optional[_Column] = None,
        start: Optional[_Params] = None,
    ) -> FitReport:
        """Fits by maximum likelihood (``variant`` None: the crate's default,
        ``"modified_bg_nbd"``), with optional ``weights`` (customers per row) and
        ``start``; ``BookError`` for unusable customers or a failed fit."""
    @staticmethod
    def partial(
        params: _Params,
        frequency: _Column,
        recency: _Column,
        age: _Column,
        weights: Optional[_Column] = None,
        variant: Optional[str] = None,
    ) -> LikelihoodPartial:
        """The log-likelihood and gradient at ``params`` over a slice of customers."""
    @staticmethod
    def fit_partials(
        partials: Callable[[List[float]], _PartialLike],
        start: _Params,
        variant: Optional[str] = None,
        options: Optional[FitOptions] = None,
    ) -> FitReport:
        """Fits from a function of ``[r, alpha, a, b]`` returning the book's partial."""
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
    def customer_lifetime_value(
        self,
        frequency: _Column,
        recency: _Column,
        age: _Column,
        spend: _Column,
        months: int = 12,
        monthly_discount_rate: float = 0.01,
        time_unit: str = "weeks",
    ) -> npt.NDArray[np.float64]:
        """Each customer's discounted lifetime value (lifetimes' convention), ``spend``
        being each customer's value of one purchase."""
    def customer_log_likelihood(
        self, frequency: _Column, recency: _Column, age: _Column
    ) -> npt.NDArray[np.float64]:
        """Each customer's log-likelihood."""
    def unconditional_expected_purchases(self, horizon: float) -> float:
        """E[X(t)] of a new customer over ``horizon``."""
    def probability_of_purchases(self, horizon: float, n: int) -> float:
        """P(X(t) = n) of a new customer over ``horizon``."""
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
        *,
        weights: Optional[_Column] = None,
        start: Optional[_Params] = None,
    ) -> FitReport:
        """Fits by maximum likelihood, with optional ``weights`` and ``start``."""
    @staticmethod
    def partial(
        params: _Params,
        frequency: _Column,
        recency: _Column,
        age: _Column,
        weights: Optional[_Column] = None,
    ) -> LikelihoodPartial:
        """The log-likelihood and gradient at ``params`` over a slice of customers."""
    @staticmethod
    def fit_partials(
        partials: Callable[[List[float]], _PartialLike],
        start: _Params,
        options: Optional[FitOptions] = None,
    ) -> FitReport:
        """Fits from a function of ``[r, alpha, s, beta]`` returning the book's partial."""
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
    def customer_lifetime_value(
        self,
        frequency: _Column,
        recency: _Column,
        age: _Column,
        spend: _Column,
        months: int = 12,
        monthly_discount_rate: float = 0.01,
        time_unit: str = "weeks",
    ) -> npt.NDArray[np.float64]:
        """Each customer's discounted lifetime value (lifetimes' convention), ``spend``
        being each customer's value of one purchase."""
    def customer_log_likelihood(
        self, frequency: _Column, recency: _Column, age: _Column
    ) -> npt.NDArray[np.float64]:
        """Each customer's log-likelihood."""
    def unconditional_expected_purchases(self, horizon: float) -> float:
        """E[X(t)] of a new customer over ``horizon``."""
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
