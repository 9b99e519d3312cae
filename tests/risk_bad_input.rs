//! Every kind of unusable risk input, and the code and path it gets. Never a panic, never
//! a NaN.

use chrono::{TimeZone, Utc};
use retention::Error;
use retention::model::{Currency, Money};
use retention::risk::models::{
    FitOptions, PurchaseModel, PurchaseParams, PurchaseSummary, SpendModel, SpendParams, Variant,
};
use retention::risk::{AccountFacts, RiskPolicy, ScoreInput, Scorer};
use rust_decimal::Decimal;

fn found(e: &Error) -> Vec<(&'static str, String)> {
    e.problems()
        .iter()
        .map(|p| (p.code(), p.path().to_string()))
        .collect()
}

fn fit(book: &[PurchaseSummary]) -> Error {
    PurchaseModel::fit(book, Variant::BgNbd, &FitOptions::default()).unwrap_err()
}

fn cdnow_like() -> Vec<PurchaseSummary> {
    vec![
        PurchaseSummary::new(0, 0.0, 38.0),
        PurchaseSummary::new(2, 30.4, 38.0),
        PurchaseSummary::new(1, 1.7, 38.0),
        PurchaseSummary::new(7, 29.4, 38.0),
    ]
}

fn plain() -> PurchaseModel {
    PurchaseModel::new(
        Variant::BgNbd,
        PurchaseParams::new(0.243, 4.414, 0.793, 2.426),
    )
    .unwrap()
}

#[test]
fn a_negative_frequency_is_refused_with_its_path() {
    let mut book = cdnow_like();
    book[1].frequency = -2;
    assert_eq!(
        found(&fit(&book)),
        [(
            "risk.negative_frequency",
            "customers[1].frequency".to_string()
        )]
    );
    let e = plain().p_alive(&book[1]).unwrap_err();
    assert_eq!(
        (e.code(), e.path().as_str()),
        ("risk.negative_frequency", "frequency")
    );
}

#[test]
fn a_recency_beyond_the_age_is_refused() {
    let mut book = cdnow_like();
    book[3].recency = 40.0;
    assert_eq!(
        found(&fit(&book)),
        [(
            "risk.recency_beyond_age",
            "customers[3].recency".to_string()
        )]
    );
}

#[test]
fn times_that_are_not_finite_or_negative_are_refused() {
    let mut book = cdnow_like();
    book[0].age = f64::NAN;
    book[2].recency = -1.0;
    assert_eq!(
        found(&fit(&book)),
        [
            ("risk.invalid_time", "customers[0].age".to_string()),
            ("risk.invalid_time", "customers[2].recency".to_string()),
        ]
    );
}

#[test]
fn a_recency_without_a_repeat_purchase_is_refused() {
    let mut book = cdnow_like();
    book[0].recency = 3.0;
    assert_eq!(
        found(&fit(&book)),
        [(
            "risk.recency_without_repeat",
            "customers[0].recency".to_string()
        )]
    );
}

#[test]
fn an_empty_book_is_refused_by_the_fits_and_the_scorer() {
    assert_eq!(
        found(&fit(&[])),
        [("risk.empty_book", "customers".to_string())]
    );
    let e = SpendModel::fit(&[], &FitOptions::default()).unwrap_err();
    assert_eq!(e.code(), "risk.empty_book");
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap();
    let e = Scorer::new(RiskPolicy::default())
        .unwrap()
        .score(ScoreInput::new(&[], &[], &[]), now)
        .unwrap_err();
    assert_eq!(found(&e), [("risk.empty_book", "accounts".to_string())]);
}

#[test]
fn all_identical_customers_cannot_identify_a_model() {
    let book = vec![PurchaseSummary::new(2, 20.0, 38.0); 500];
    let e = fit(&book);
    assert_eq!(
        found(&e),
        [("risk.degenerate_data", "customers".to_string())]
    );
    assert!(
        e.problems()[0]
            .message()
            .contains("all 500 customers have the same purchase history")
    );
    let nobody_twice: Vec<_> = (0..10)
        .map(|k| PurchaseSummary::new(0, 0.0, 20.0 + k as f64))
        .collect();
    assert_eq!(fit(&nobody_twice).code(), "risk.degenerate_data");
    let same_spend = vec![PurchaseSummary::new(2, 20.0, 38.0).with_average_spend(Decimal::TEN); 9];
    assert_eq!(
        SpendModel::fit(&same_spend, &FitOptions::default())
            .unwrap_err()
            .code(),
        "risk.degenerate_data"
    );
}

#[test]
fn a_horizon_of_zero_is_refused() {
    let c = PurchaseSummary::new(2, 30.43, 38.86);
    for h in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let e = plain().expected_purchases(&c, h).unwrap_err();
        assert_eq!(
            (e.code(), e.path().as_str()),
            ("risk.invalid_horizon", "horizon"),
            "{h}"
        );
    }
    let p = RiskPolicy {
        value_horizon: 0.0,
        ..Default::default()
    };
    assert_eq!(
        found(&Scorer::new(p).unwrap_err()),
        [("risk.invalid_threshold", "value_horizon".to_string())]
    );
}

#[test]
fn a_fit_that_cannot_finish_says_so() {
    let o = FitOptions {
        max_iterations: 1,
        ..Default::default()
    };
    let e = PurchaseModel::fit(&cdnow_like(), Variant::BgNbd, &o).unwrap_err();
    assert_eq!(e.code(), "risk.fit_failed");
    let e = PurchaseModel::fit(
        &cdnow_like(),
        Variant::BgNbd,
        &FitOptions::default().with_penalizer(-1.0),
    )
    .unwrap_err();
    assert_eq!(
        found(&e),
        [("risk.invalid_parameter", "penalizer".to_string())]
    );
}

#[test]
fn a_tiny_book_converges_or_fails_cleanly_never_nan() {
    // Four customers cannot pin four parameters down: either a clean fit or a clean
    // error, and with a penalizer a fit.
    match PurchaseModel::fit(&cdnow_like(), Variant::BgNbd, &FitOptions::default()) {
        Ok(f) => assert!(f.log_likelihood.is_finite()),
        Err(e) => assert_eq!(e.code(), "risk.fit_failed"),
    }
    let f = PurchaseModel::fit(
        &cdnow_like(),
        Variant::BgNbd,
        &FitOptions::default().with_penalizer(0.01),
    )
    .unwrap();
    let p = f.model.params();
    assert!(
        [p.r, p.alpha, p.a, p.b]
            .iter()
            .all(|v| v.is_finite() && *v > 0.0)
    );
}

#[test]
fn model_parameters_must_be_positive_and_finite() {
    let e = PurchaseModel::new(Variant::BgNbd, PurchaseParams::new(0.2, 0.0, f64::NAN, 1.0))
        .unwrap_err();
    assert_eq!(
        found(&e),
        [
            ("risk.invalid_parameter", "params.alpha".to_string()),
            ("risk.invalid_parameter", "params.a".to_string()),
        ]
    );
    let json = r#"{"variant": "bg_nbd", "params": {"r": -1, "alpha": 1, "a": 1, "b": 1}}"#;
    assert!(serde_json::from_str::<PurchaseModel>(json).is_err());
    assert_eq!(
        SpendModel::new(SpendParams::new(1.0, -2.0, 3.0))
            .unwrap_err()
            .path()
            .as_str(),
        "q"
    );
}

#[test]
fn quantities_undefined_at_the_parameters_are_errors_not_nan() {
    // a = 1 and (plain BG/NBD, a one-time buyer) a + b − 1 ≤ 0 are removable
    // singularities of the closed form: the expected purchases are their limits, which
    // lie between the values on either side.
    let at = |a: f64, b: f64, c: &PurchaseSummary| {
        PurchaseModel::new(Variant::BgNbd, PurchaseParams::new(0.5, 4.0, a, b))
            .unwrap()
            .expected_purchases(c, 52.0)
            .unwrap()
    };
    let c = PurchaseSummary::new(2, 30.0, 38.0);
    let (below, one, above) = (
        at(1.0 - 1e-6, 2.0, &c),
        at(1.0, 2.0, &c),
        at(1.0 + 1e-6, 2.0, &c),
    );
    assert!(
        below.min(above) <= one && one <= below.max(above),
        "{below} {one} {above}"
    );
    assert!((below - above).abs() < 1e-5 * one);
    let once = PurchaseSummary::new(0, 0.0, 38.0);
    let e = at(0.3, 0.4, &once);
    assert!(e.is_finite() && e > 0.0, "{e}");
    let flat = SpendModel::new(SpendParams::new(6.0, 1.0, 15.0)).unwrap();
    let e = flat
        .expected_average_spend(&PurchaseSummary::new(0, 0.0, 3.0))
        .unwrap_err();
    assert_eq!((e.code(), e.path().as_str()), ("risk.model_undefined", "q"));
}

#[test]
fn large_frequencies_and_long_horizons_stay_finite() {
    let m = plain();
    for c in [
        PurchaseSummary::new(100_000, 38.0, 38.0),
        PurchaseSummary::new(100_000, 1.0, 38.0),
        PurchaseSummary::new(1, 0.001, 10_000.0),
    ] {
        let p = m.p_alive(&c).unwrap();
        assert!((0.0..=1.0).contains(&p), "{c:?}: {p}");
        for h in [1.0, 52.0, 5_200.0] {
            match m.expected_purchases(&c, h) {
                Ok(e) => assert!(e.is_finite() && e >= 0.0, "{c:?} {h}: {e}"),
                Err(e) => assert!(
                    ["risk.model_undefined", "risk.did_not_converge"].contains(&e.code()),
                    "{e}"
                ),
            }
        }
    }
}

#[test]
fn a_repeat_buyer_with_no_spend_is_refused_by_the_spend_fit() {
    let book = vec![
        PurchaseSummary::new(2, 20.0, 38.0).with_average_spend(Decimal::TEN),
        PurchaseSummary::new(3, 20.0, 38.0).with_average_spend(Decimal::ZERO),
    ];
    let e = SpendModel::fit(&book, &FitOptions::default()).unwrap_err();
    assert_eq!(
        found(&e),
        [(
            "risk.invalid_spend",
            "customers[1].average_spend".to_string()
        )]
    );
    let mut c = PurchaseSummary::new(2, 20.0, 38.0);
    c.average_spend = Some(Decimal::NEGATIVE_ONE);
    assert_eq!(c.validate().unwrap_err().code(), "risk.invalid_spend");
}

#[test]
fn account_facts_are_checked_with_their_paths() {
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap();
    let mut a = AccountFacts::new("a-1");
    a.previous_score = Some(101);
    let mut b = AccountFacts::new("a-1");
    b.purchases = Some(PurchaseSummary::new(-1, 0.0, 3.0));
    let blank = AccountFacts::new(" ");
    let mut c = AccountFacts::new("a-3");
    c.expected_value = Some(Money::new(Decimal::from(-5), Currency::USD));
    let e = Scorer::new(RiskPolicy::default())
        .unwrap()
        .score(ScoreInput::new(&[a, b, blank, c], &[], &[]), now)
        .unwrap_err();
    assert_eq!(
        found(&e),
        [
            (
                "risk.score_out_of_range",
                "accounts[0].previous_score".to_string()
            ),
            ("model.duplicate_id", "accounts[1].account".to_string()),
            (
                "risk.negative_frequency",
                "accounts[1].purchases.frequency".to_string()
            ),
            ("model.empty_id", "accounts[2].account".to_string()),
            (
                "risk.invalid_spend",
                "accounts[3].expected_value".to_string()
            ),
        ]
    );
}

#[test]
fn a_book_in_two_currencies_cannot_be_ranked() {
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap();
    let mut a = AccountFacts::new("a-1");
    a.expected_value = Some(Money::new(Decimal::from(5), Currency::USD));
    let mut b = AccountFacts::new("a-2");
    b.expected_value = Some(Money::new(Decimal::from(5), Currency::EUR));
    let e = Scorer::new(RiskPolicy::default())
        .unwrap()
        .score(ScoreInput::new(&[a, b], &[], &[]), now)
        .unwrap_err();
    assert_eq!(
        found(&e),
        [(
            "model.currency_mismatch",
            "accounts[1].expected_value".to_string()
        )]
    );
}

#[test]
fn an_impossible_policy_reports_every_problem() {
    let json = r#"{
        "weights": {"silence": 0, "falling_frequency": 0, "unhappy_survey": 0,
                    "unanswered_follow_up": 0, "neglect": 0, "broken_promises": 0,
                    "slow_callbacks": 0, "hanging_orders": 0, "single_threaded": 0,
                    "no_next_service": 0, "low_p_alive": 0},
        "silence_starts_at": 0.5,
        "rhythm_min_contacts": 1,
        "recent_window": {"days": 0},
        "follow_ups_critical_at": 9,
        "p_alive_starts_below": 1.5,
        "bands": {"watch_from": 50, "at_risk_from": 40, "critical_from": 75}
    }"#;
    let policy: RiskPolicy = serde_json::from_str(json).unwrap();
    let e = Scorer::new(policy).unwrap_err();
    assert_eq!(
        found(&e),
        [
            ("risk.invalid_weight", "weights".to_string()),
            ("risk.invalid_threshold", "silence_starts_at".to_string()),
            ("risk.invalid_threshold", "rhythm_min_contacts".to_string()),
            ("risk.invalid_threshold", "recent_window".to_string()),
            (
                "risk.invalid_threshold",
                "follow_ups_critical_at".to_string()
            ),
            ("risk.invalid_threshold", "p_alive_starts_below".to_string()),
            ("risk.bands_out_of_order", "bands".to_string()),
        ]
    );
    assert!(serde_json::from_str::<RiskPolicy>(r#"{"silense_starts_at": 2}"#).is_err());
}

#[test]
fn models_whose_expectations_are_undefined_are_refused_by_the_scorer() {
    let at_one = PurchaseModel::new(
        Variant::ModifiedBgNbd,
        PurchaseParams::new(0.5, 4.0, 1.0, 2.0),
    )
    .unwrap();
    let e = Scorer::new(RiskPolicy::default())
        .unwrap()
        .with_purchase_model(at_one, retention::risk::models::TimeUnit::Weeks)
        .unwrap_err();
    assert_eq!(
        (e.code(), e.path().as_str()),
        ("risk.model_undefined", "params.a")
    );
    let flat = SpendModel::new(SpendParams::new(6.0, 0.5, 15.0)).unwrap();
    let e = Scorer::new(RiskPolicy::default())
        .unwrap()
        .with_spend_model(flat, Currency::USD)
        .unwrap_err();
    assert_eq!((e.code(), e.path().as_str()), ("risk.model_undefined", "q"));
}

#[test]
fn the_pareto_fit_refuses_what_the_bg_nbd_fit_refuses() {
    use retention::risk::models::{ParetoModel, ParetoParams};
    let same = vec![PurchaseSummary::new(2, 20.0, 38.0); 50];
    let e = ParetoModel::fit(&same, &FitOptions::default()).unwrap_err();
    assert_eq!(
        found(&e),
        [("risk.degenerate_data", "customers".to_string())]
    );
    let mut book = cdnow_like();
    book[2].frequency = -1;
    assert_eq!(
        found(&ParetoModel::fit(&book, &FitOptions::default()).unwrap_err()),
        [(
            "risk.negative_frequency",
            "customers[2].frequency".to_string()
        )]
    );
    let m = ParetoModel::new(ParetoParams::new(0.553, 10.578, 0.606, 11.669)).unwrap();
    let e = m
        .expected_purchases(&PurchaseSummary::new(1, 2.0, 3.0), 0.0)
        .unwrap_err();
    assert_eq!(e.code(), "risk.invalid_horizon");
    assert_eq!(
        ParetoModel::new(ParetoParams::new(0.5, -1.0, 0.6, 11.0))
            .unwrap_err()
            .path()
            .as_str(),
        "alpha"
    );
    let json = r#"{"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 0}"#;
    assert!(serde_json::from_str::<ParetoModel>(json).is_err());
}
