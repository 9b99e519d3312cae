"""The purchase and spend models from Python equal the Rust crate's, bit for bit, on the
CDNOW sample; bad columns are refused with the crate's codes."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import retention


def bits(values) -> np.ndarray:
    """The IEEE-754 bits of floats, so equality means bit for bit (and -0.0 != 0.0)."""
    return np.asarray(values, dtype=np.float64).view(np.uint64)


def same_floats(a, b) -> bool:
    return np.array_equal(bits(a), bits(b))


def columns(cdnow):
    return cdnow["frequency"], cdnow["recency"], cdnow["T"]


@pytest.mark.parametrize("variant", ["bg_nbd", "modified_bg_nbd"])
def test_purchase_fit_equals_the_rust_fit(cdnow, rust_fits, variant):
    report = retention.PurchaseModel.fit(*columns(cdnow), variant=variant)
    rust = rust_fits["fits"][variant]
    assert rust["model"]["variant"] == variant == report.model.variant
    params = report.model.params
    assert list(params) == ["r", "alpha", "a", "b"]
    assert same_floats(list(params.values()), [rust["model"]["params"][k] for k in params])
    assert same_floats(report.log_likelihood, rust["log_likelihood"])
    assert same_floats(report.gradient_max, rust["gradient_max"])
    assert (report.iterations, report.evaluations) == (rust["iterations"], rust["evaluations"])
    assert (report.customers, report.distinct_rows) == (rust["customers"], rust["distinct_rows"])
    assert report.time_unit == rust["time_unit"] == "weeks"


def test_beta_geo_fitter_is_the_crate_fit_with_lifetimes_names(cdnow, rust_fits):
    bgf = retention.BetaGeoFitter().fit(*columns(cdnow))
    rust = rust_fits["fits"]["bg_nbd"]
    assert same_floats(list(bgf.params_.values()), [rust["model"]["params"][k] for k in bgf.params_])
    assert same_floats(bgf.log_likelihood_, rust["log_likelihood"])
    # The published CDNOW estimates (Fader, Hardie & Lee 2005), to their printed digits.
    assert [round(bgf.params_[k], 3) for k in ("r", "alpha", "a", "b")] == [
        0.243,
        4.414,
        0.793,
        2.426,
    ]
    p = bgf.conditional_probability_alive(*columns(cdnow))
    assert same_floats(p, rust_fits["p_alive"]["bg_nbd"])
    e = bgf.conditional_expected_number_of_purchases_up_to_time(
        rust_fits["horizon"], *columns(cdnow)
    )
    assert same_floats(e, rust_fits["expected_purchases"]["bg_nbd"])
    assert same_floats(bgf.log_likelihood(*columns(cdnow)), rust["log_likelihood"])
    assert "fitted with 2357 subjects" in repr(bgf)


@pytest.mark.parametrize(
    "fitter, key",
    [
        (retention.BetaGeoFitter, "bg_nbd"),
        (retention.ModifiedBetaGeoFitter, "modified_bg_nbd"),
        (retention.ParetoNBDFitter, "pareto_nbd"),
    ],
)
def test_every_purchase_model_equals_rust_per_customer(cdnow, rust_fits, fitter, key):
    f = fitter().fit(*columns(cdnow))
    rust = rust_fits["fits"][key]["model"]
    rust_params = rust.get("params", rust)
    assert same_floats(list(f.params_.values()), [rust_params[k] for k in f.params_])
    assert same_floats(f.conditional_probability_alive(*columns(cdnow)), rust_fits["p_alive"][key])
    assert same_floats(
        f.conditional_expected_number_of_purchases_up_to_time(52, *columns(cdnow)),
        rust_fits["expected_purchases"][key],
    )


def test_pareto_fit_report_equals_rust(cdnow, rust_fits):
    report = retention.ParetoModel.fit(*columns(cdnow))
    rust = rust_fits["fits"]["pareto_nbd"]
    assert same_floats(list(report.model.params.values()), [rust["model"][k] for k in ("r", "alpha", "s", "beta")])
    assert same_floats(report.log_likelihood, rust["log_likelihood"])
    assert report.iterations == rust["iterations"]


def test_gamma_gamma_equals_rust(cdnow, rust_fits):
    ggf = retention.GammaGammaFitter().fit(cdnow["frequency"], cdnow["monetary_value"])
    rust = rust_fits["fits"]["gamma_gamma"]
    assert same_floats(list(ggf.params_.values()), [rust["model"][k] for k in ("p", "q", "gamma")])
    assert same_floats(ggf.log_likelihood_, rust["log_likelihood"])
    assert ggf.report_.customers == rust["customers"]  # the repeat buyers only
    spend = ggf.conditional_expected_average_profit(cdnow["frequency"], cdnow["monetary_value"])
    assert same_floats(spend, rust_fits["expected_average_spend"])


def test_any_sequence_or_scalar_is_a_column(cdnow):
    model = retention.PurchaseModel("bg_nbd", 0.243, 4.414, 0.793, 2.426)
    x, t_x, age = (c[:50] for c in columns(cdnow))
    from_arrays = model.p_alive(x, t_x, age)
    from_lists = model.p_alive(list(map(int, x)), list(t_x), tuple(age))
    from_ints = model.p_alive(x.astype(np.int32), t_x, age)
    assert same_floats(from_arrays, from_lists)
    assert same_floats(from_arrays, from_ints)
    strided = model.p_alive(np.repeat(x, 2)[::2], np.repeat(t_x, 2)[::2], np.repeat(age, 2)[::2])
    assert same_floats(from_arrays, strided)
    fitter = retention.BetaGeoFitter()
    fitter.report_ = retention.PurchaseModel.fit(*columns(cdnow), variant="bg_nbd")
    one = fitter.conditional_probability_alive(2, 30.43, 38.86)
    assert isinstance(one, float)
    assert one == fitter.conditional_probability_alive([2], [30.43], [38.86])[0]
    assert isinstance(from_arrays, np.ndarray) and from_arrays.dtype == np.float64


def test_a_bad_customer_is_a_book_error_at_its_row(cdnow):
    x, t_x, age = (c[:10].copy() for c in columns(cdnow))
    x[3] = -1
    x[7] = 2
    t_x[7] = age[7] + 1
    with pytest.raises(retention.BookError) as caught:
        retention.PurchaseModel.fit(x, t_x, age)
    assert [(p.code, p.path) for p in caught.value.problems] == [
        ("risk.negative_frequency", "customers[3].frequency"),
        ("risk.recency_beyond_age", "customers[7].recency"),
    ]
    model = retention.PurchaseModel("modified_bg_nbd", 0.5, 6.0, 0.9, 1.6)
    with pytest.raises(retention.BookError) as caught:
        model.p_alive(x, t_x, age)
    assert (caught.value.code, caught.value.path) == ("risk.negative_frequency", "customers[3].frequency")
    with pytest.raises(retention.BookError) as caught:
        model.expected_purchases(0.0, x[:2], t_x[:2], age[:2])
    assert caught.value.code == "risk.invalid_horizon"


def test_columns_the_crate_cannot_hold_are_value_errors():
    model = retention.PurchaseModel("bg_nbd", 0.243, 4.414, 0.793, 2.426)
    with pytest.raises(ValueError, match=r"frequency\[1\] = 2.5 is not a whole number"):
        model.p_alive([1, 2.5], [1.0, 2.0], [3.0, 3.0])
    with pytest.raises(ValueError, match="one row per customer"):
        model.p_alive([1, 2], [1.0], [3.0, 3.0])
    spend = retention.SpendModel(6.25, 3.74, 15.44)
    with pytest.raises(ValueError, match=r"monetary_value\[0\] = NaN"):
        spend.expected_average_spend([1], [float("nan")])
    with pytest.raises(ValueError, match="variant"):
        retention.PurchaseModel("bg", 1.0, 1.0, 1.0, 1.0)
    with pytest.raises(ValueError, match="time_unit"):
        retention.FitOptions(time_unit="months")


def test_model_and_fit_errors_carry_the_crate_codes():
    with pytest.raises(retention.BookError) as caught:
        retention.PurchaseModel("bg_nbd", -1.0, 4.414, 0.793, float("inf"))
    assert [(p.code, p.path) for p in caught.value.problems] == [
        ("risk.invalid_parameter", "params.r"),
        ("risk.invalid_parameter", "params.b"),
    ]
    with pytest.raises(retention.BookError) as caught:
        retention.PurchaseModel.fit([], [], [])
    assert caught.value.code == "risk.empty_book"
    with pytest.raises(retention.BookError) as caught:
        retention.ParetoModel.fit([0, 0], [0.0, 0.0], [5.0, 6.0])
    assert caught.value.code == "risk.degenerate_data"
    with pytest.raises(retention.BookError) as caught:
        retention.PurchaseModel.fit([1, 2], [1.0, 2.0], [3.0, 4.0], options=retention.FitOptions(penalizer=-1.0))
    assert (caught.value.code, caught.value.path) == ("risk.invalid_parameter", "penalizer")


def test_fit_options_reach_the_fit(cdnow):
    options = retention.FitOptions(penalizer=0.01, time_unit="days")
    assert (options.penalizer, options.max_iterations, options.time_unit) == (0.01, 500, "days")
    plain = retention.PurchaseModel.fit(*columns(cdnow))
    penalized = retention.PurchaseModel.fit(*columns(cdnow), options=options)
    assert penalized.time_unit == "days"
    assert penalized.model.params != plain.model.params
    assert retention.BetaGeoFitter(penalizer_coef=0.01).options.penalizer == 0.01


def test_an_unfitted_fitter_says_so():
    with pytest.raises(AttributeError, match="not fitted"):
        retention.BetaGeoFitter().params_
    assert "not fitted" in repr(retention.GammaGammaFitter())


def test_every_public_name_and_member_has_a_docstring():
    members = []
    for name in retention.__all__:
        obj = getattr(retention, name)
        members.append((name, obj))
        if isinstance(obj, type):
            # Public members as the class gives them (a staticmethod's own function);
            # a constructor's text is the class's docstring.
            for attr in dir(obj):
                if attr.startswith("_") or hasattr(BaseException, attr):
                    continue
                raw = inspect.getattr_static(obj, attr)
                if isinstance(raw, property) or inspect.isdatadescriptor(raw):
                    members.append((f"{name}.{attr}", raw))
                elif callable(getattr(obj, attr)):
                    members.append((f"{name}.{attr}", getattr(obj, attr)))
    assert len(members) > 60
    missing = [n for n, m in members if not (getattr(m, "__doc__", None) or "").strip()]
    assert missing == []
