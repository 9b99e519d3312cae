"""The models under the names of the ``lifetimes`` library, for its users.

Each fitter wraps one model of the crate (``PurchaseModel``, ``ParetoModel``,
``SpendModel``): ``fit`` returns the fitter itself with ``params_``, and the methods take
columns (numpy arrays, pandas Series or any sequences) or scalars, as lifetimes' do. The
numbers are the crate's: see the migration table in the package's README for where they
differ from lifetimes' (the penalizer, the modified model's P(alive)).
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Union

import numpy as np

from ._retention import FitOptions, FitReport, ParetoModel, PurchaseModel, SpendModel

ArrayLike = Any
"""A column: a numpy array, a pandas Series, any sequence of numbers, or a number."""

Result = Union[float, "np.ndarray"]


def _columns(*columns: ArrayLike) -> "tuple[bool, list[np.ndarray]]":
    """The columns as 1-D float arrays, and whether every one was a scalar."""
    scalar = all(np.ndim(c) == 0 for c in columns)
    return scalar, [np.atleast_1d(np.asarray(c, dtype=np.float64)) for c in columns]


def _out(scalar: bool, values: "np.ndarray") -> Result:
    """A float for scalar inputs, the array otherwise."""
    return float(values[0]) if scalar else values


class _Fitter:
    """What every fitter shares: options, the last fit and its parameters."""

    def __init__(
        self,
        penalizer_coef: float = 0.0,
        *,
        max_iterations: Optional[int] = None,
        time_unit: Optional[str] = None,
    ) -> None:
        self.penalizer_coef = penalizer_coef
        self.options = FitOptions(
            penalizer=penalizer_coef, max_iterations=max_iterations, time_unit=time_unit
        )
        self.report_: Optional[FitReport] = None

    def _fitted(self, report: FitReport) -> None:
        self.report_ = report

    def _report(self) -> FitReport:
        if self.report_ is None:
            raise AttributeError(f"{type(self).__name__} is not fitted yet: call fit first")
        return self.report_

    @property
    def model_(self) -> Any:
        """The fitted model of the crate (raises ``AttributeError`` before ``fit``)."""
        return self._report().model

    @property
    def params_(self) -> Dict[str, float]:
        """The fitted parameters by name, in the literature's order."""
        params: Dict[str, float] = self.model_.params
        return params

    @property
    def log_likelihood_(self) -> float:
        """The log-likelihood of the fitted data (the sum over customers)."""
        return self._report().log_likelihood

    def __repr__(self) -> str:
        if self.report_ is None:
            return f"<retention.{type(self).__name__}: not fitted>"
        params = ", ".join(f"{k}: {v:.2f}" for k, v in self.params_.items())
        return (
            f"<retention.{type(self).__name__}: fitted with {self.report_.customers} "
            f"subjects, {params}>"
        )


class _PurchaseFitter(_Fitter):
    """A purchase model fitted from (frequency, recency, T)."""

    def conditional_probability_alive(
        self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> Result:
        """P(alive) of each customer given their history: ``model_.p_alive``."""
        scalar, (x, t_x, age) = _columns(frequency, recency, T)
        return _out(scalar, self.model_.p_alive(x, t_x, age))

    def conditional_expected_number_of_purchases_up_to_time(
        self, t: float, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> Result:
        """Expected purchases of each customer in the next ``t`` (a number), given their
        history: ``model_.expected_purchases``."""
        scalar, (x, t_x, age) = _columns(frequency, recency, T)
        return _out(scalar, self.model_.expected_purchases(float(t), x, t_x, age))

    def log_likelihood(self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> float:
        """The log-likelihood of these customers under the fitted model (the sum)."""
        _, (x, t_x, age) = _columns(frequency, recency, T)
        ll: float = self.model_.log_likelihood(x, t_x, age)
        return ll


class BetaGeoFitter(_PurchaseFitter):
    """BG/NBD (Fader, Hardie & Lee 2005), as lifetimes' ``BetaGeoFitter``; parameters
    ``r``, ``alpha``, ``a``, ``b``. ``penalizer_coef`` is the crate's L2 penalizer on the
    log-parameters (lifetimes penalizes the parameters themselves)."""

    _variant = "bg_nbd"

    def fit(self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> "BetaGeoFitter":
        """Fits the model by maximum likelihood; returns the fitter, with ``params_``.
        Raises ``BookError`` for unusable customers or a fit that fails."""
        _, (x, t_x, age) = _columns(frequency, recency, T)
        self._fitted(PurchaseModel.fit(x, t_x, age, self._variant, self.options))
        return self


class ModifiedBetaGeoFitter(BetaGeoFitter):
    """Modified BG/NBD (Batislam, Denizel & Filiztekin 2007), as lifetimes'
    ``ModifiedBetaGeoFitter``: a customer can also drop out before a repeat purchase, so
    a quiet one-time buyer gets a P(alive) under 1."""

    _variant = "modified_bg_nbd"

    def fit(
        self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> "ModifiedBetaGeoFitter":
        """Fits the model by maximum likelihood; returns the fitter, with ``params_``."""
        super().fit(frequency, recency, T)
        return self


class ParetoNBDFitter(_PurchaseFitter):
    """Pareto/NBD (Schmittlein, Morrison & Colombo 1987), as lifetimes'
    ``ParetoNBDFitter``; parameters ``r``, ``alpha``, ``s``, ``beta``."""

    def fit(self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike) -> "ParetoNBDFitter":
        """Fits the model by maximum likelihood; returns the fitter, with ``params_``."""
        _, (x, t_x, age) = _columns(frequency, recency, T)
        self._fitted(ParetoModel.fit(x, t_x, age, self.options))
        return self


class GammaGammaFitter(_Fitter):
    """Gamma-Gamma spend model (Fader, Hardie & Lee 2005), as lifetimes'
    ``GammaGammaFitter``; parameters ``p``, ``q`` and ``gamma`` (lifetimes' ``v``)."""

    def fit(self, frequency: ArrayLike, monetary_value: ArrayLike) -> "GammaGammaFitter":
        """Fits the model to the repeat buyers (``frequency`` above 0; the others are
        skipped); returns the fitter, with ``params_``."""
        _, (x, m) = _columns(frequency, monetary_value)
        self._fitted(SpendModel.fit(x, m, self.options))
        return self

    def conditional_expected_average_profit(
        self, frequency: ArrayLike, monetary_value: ArrayLike
    ) -> Result:
        """The expected value of each customer's future purchases, one by one:
        ``model_.expected_average_spend``."""
        scalar, (x, m) = _columns(frequency, monetary_value)
        return _out(scalar, self.model_.expected_average_spend(x, m))
