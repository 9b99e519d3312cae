//! The purchase models' calls that lifetimes users make (issue 17): values where the
//! closed forms are 0/0 or lifetimes returns NaN, fits that run away, weighted and
//! split fits, standard errors, and the parameters of simulated worlds recovered within
//! them.

use retention::risk::models::{
    ClvOptions, FitOptions, LikelihoodPartial, ParetoModel, ParetoParams, PurchaseModel,
    PurchaseParams, PurchaseSummary, SpendModel, SpendParams, Variant, collapse,
};

use crate::risk_sim::{cdnow, simulate};

fn bg(r: f64, alpha: f64, a: f64, b: f64) -> PurchaseModel {
    PurchaseModel::new(Variant::BgNbd, PurchaseParams::new(r, alpha, a, b)).unwrap()
}

fn rel(got: f64, want: f64) -> f64 {
    (got - want).abs() / want.abs()
}

#[test]
fn expectations_are_defined_where_lifetimes_returns_nan_and_match_mpmath() {
    // References from mpmath at 60 digits: C/(a−1)·[1 − (1−z)^A ₂F₁(A, B; C; z)], with
    // mpmath's ₂F₁ continued to C ≤ 0 and a = 1 taken at 1 + 1e-30.
    let small = bg(0.25, 4.0, 0.3, 0.4); // a + b < 1: lifetimes issue #302
    for (t, want) in [
        (8.0, 0.366_166_444_665_608_1),
        (200.0, 3.790_192_892_601_366),
        (0.04, 0.002_493_341_713_595_946),
    ] {
        let got = small.unconditional_expected_purchases(t).unwrap();
        assert!(rel(got, want) < 1e-12, "t = {t}: {got} vs {want}");
    }
    // a = 1 exactly: the limit.
    let one = bg(0.5, 42.0, 1.0, 2.0);
    let got = one.unconditional_expected_purchases(52.0).unwrap();
    assert!(rel(got, 0.488_758_619_608_588_35) < 1e-12, "{got}");
    // a within 1e-7 of 1 (the modified form, b = 1: B = b + 1 = 2, A = r = 2.5).
    let near = PurchaseModel::new(
        Variant::ModifiedBgNbd,
        PurchaseParams::new(2.5, 42.0, 1.0 + 1e-7, 1.0),
    )
    .unwrap();
    // Modified unconditional = b/(a+b) · K(a, b + 1, r, t/α).
    let got = near.unconditional_expected_purchases(52.0).unwrap();
    let want = 1.0 / (2.0 + 1e-7) * 1.902_862_786_007_474_6;
    assert!(rel(got, want) < 1e-12, "{got} vs {want}");
    // CDNOW parameters: the closed form, as lifetimes computes it.
    let cdnow = bg(0.243, 4.414, 0.793, 2.426);
    let got = cdnow.unconditional_expected_purchases(39.0).unwrap();
    assert!(rel(got, 1.196_723_193_320_817) < 1e-13, "{got}");
}

#[test]
fn the_limits_at_removable_singularities_are_continuous() {
    for variant in [Variant::BgNbd, Variant::ModifiedBgNbd] {
        let m =
            |a: f64| PurchaseModel::new(variant, PurchaseParams::new(0.4, 5.0, a, 1.5)).unwrap();
        let c = PurchaseSummary::new(3, 20.0, 38.0);
        for h in [0.5, 39.0, 520.0] {
            let at = m(1.0).expected_purchases(&c, h).unwrap();
            for d in [1e-12, 1e-9, 1e-6] {
                let lo = m(1.0 - d).expected_purchases(&c, h).unwrap();
                let hi = m(1.0 + d).expected_purchases(&c, h).unwrap();
                assert!(
                    rel(lo, at) < 10.0 * d + 1e-12,
                    "{variant:?} {h} {d}: {lo} {at}"
                );
                assert!(
                    rel(hi, at) < 10.0 * d + 1e-12,
                    "{variant:?} {h} {d}: {hi} {at}"
                );
            }
        }
    }
    // Plain BG/NBD, a one-time buyer, across a + b = 1 (₂F₁'s c = 0).
    let c = PurchaseSummary::new(0, 0.0, 30.0);
    let at = bg(0.3, 4.0, 0.6, 0.4).expected_purchases(&c, 52.0).unwrap();
    for d in [1e-9, 1e-6] {
        let lo = bg(0.3, 4.0, 0.6, 0.4 - d)
            .expected_purchases(&c, 52.0)
            .unwrap();
        let hi = bg(0.3, 4.0, 0.6, 0.4 + d)
            .expected_purchases(&c, 52.0)
            .unwrap();
        assert!(
            rel(lo, at) < 10.0 * d && rel(hi, at) < 10.0 * d,
            "{lo} {at} {hi}"
        );
    }
}

#[test]
fn purchase_count_probabilities_sum_to_one_and_match_the_mean() {
    for variant in [Variant::BgNbd, Variant::ModifiedBgNbd] {
        let m =
            PurchaseModel::new(variant, PurchaseParams::new(0.243, 4.414, 0.793, 2.426)).unwrap();
        let t = 39.0;
        let probs: Vec<f64> = (0..2_000)
            .map(|n| m.probability_of_purchases(t, n).unwrap())
            .collect();
        let total: f64 = probs.iter().sum();
        let mean: f64 = probs.iter().enumerate().map(|(n, p)| n as f64 * p).sum();
        assert!((total - 1.0).abs() < 1e-10, "{variant:?}: {total}");
        let want = m.unconditional_expected_purchases(t).unwrap();
        assert!(rel(mean, want) < 1e-8, "{variant:?}: {mean} vs {want}");
    }
}

#[test]
fn fits_that_run_to_the_boundary_say_so() {
    // Two customers cannot pin four parameters down. The modified BG/NBD fit used to
    // return Ok with a parameter at e^-18 (a standard error of a factor e^10,000,000).
    let book = [
        PurchaseSummary::new(2, 30.4, 38.0),
        PurchaseSummary::new(7, 29.4, 38.0),
    ];
    for variant in [Variant::BgNbd, Variant::ModifiedBgNbd] {
        let e = PurchaseModel::fit(&book, variant, &FitOptions::default()).unwrap_err();
        assert_eq!(e.code(), "risk.fit_failed", "{variant:?}");
    }
    let e = ParetoModel::fit(&book, &FitOptions::default()).unwrap_err();
    assert_eq!(e.code(), "risk.fit_failed");
    let e = PurchaseModel::fit(
        &[
            PurchaseSummary::new(1, 1.0, 2.0),
            PurchaseSummary::new(0, 0.0, 2.0),
        ],
        Variant::ModifiedBgNbd,
        &FitOptions::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("towards the boundary"), "{e}");
}

#[test]
fn a_weighted_fit_is_the_fit_of_the_expanded_book() {
    let book = cdnow();
    let (rows, weights) = collapse(&book);
    assert!(rows.len() < book.len());
    for variant in [Variant::BgNbd, Variant::ModifiedBgNbd] {
        let whole = PurchaseModel::fit(&book, variant, &FitOptions::default()).unwrap();
        let w = PurchaseModel::fit_weighted(
            &rows,
            Some(&weights),
            variant,
            None,
            &FitOptions::default(),
        )
        .unwrap();
        assert_eq!(w.customers, book.len());
        let (a, b) = (whole.model.params(), w.model.params());
        for (x, y) in [(a.r, b.r), (a.alpha, b.alpha), (a.a, b.a), (a.b, b.b)] {
            assert!(rel(x, y) < 1e-9, "{variant:?}: {x} vs {y}");
        }
    }
}

#[test]
fn partials_merge_into_the_whole_and_a_split_fit_is_the_fit() {
    let book = cdnow();
    let p = PurchaseParams::new(0.243, 4.414, 0.793, 2.426);
    let v = Variant::BgNbd;
    let whole = PurchaseModel::partial(v, p, &book, None).unwrap();
    // Four "partitions", merged as a tree and as a fold.
    let parts: Vec<LikelihoodPartial> = book
        .chunks(600)
        .map(|c| PurchaseModel::partial(v, p, c, None).unwrap())
        .collect();
    let fold = parts
        .iter()
        .fold(LikelihoodPartial::empty(4), |acc, x| acc.merge(x));
    let tree = parts[0].merge(&parts[1]).merge(&parts[2].merge(&parts[3]));
    for m in [&fold, &tree] {
        assert_eq!(m.weight, 2_357.0);
        assert!(rel(m.log_likelihood, whole.log_likelihood) < 1e-13);
        for (g, h) in m.gradient.iter().zip(&whole.gradient) {
            assert!((g - h).abs() < 1e-9 * (1.0 + h.abs()), "{g} vs {h}");
        }
    }
    let fit = PurchaseModel::fit(&book, v, &FitOptions::default()).unwrap();
    let start = PurchaseParams::new(1.0, 39.0 / 1.04, 1.0, 1.0);
    let split = PurchaseModel::fit_partials(v, start, &FitOptions::default(), |q| {
        let mut acc = LikelihoodPartial::empty(4);
        for c in book.chunks(600) {
            acc = acc.merge(&PurchaseModel::partial(v, *q, c, None)?);
        }
        Ok(acc)
    })
    .unwrap();
    let (a, b) = (fit.model.params(), split.model.params());
    for (x, y) in [(a.r, b.r), (a.alpha, b.alpha), (a.a, b.a), (a.b, b.b)] {
        assert!(rel(x, y) < 1e-6, "{x} vs {y}");
    }
    assert_eq!(split.customers, 2_357);
}

#[test]
fn the_pareto_gradient_is_the_derivative_of_its_likelihood() {
    let book: Vec<PurchaseSummary> = cdnow().into_iter().step_by(7).collect();
    for base in [
        [0.553, 10.578, 0.606, 11.669],
        [0.553, 14.0, 0.606, 9.0],
        [2.0, 5.0, 1.3, 5.0],
    ] {
        let at = |p: [f64; 4]| {
            ParetoModel::partial(ParetoParams::new(p[0], p[1], p[2], p[3]), &book, None).unwrap()
        };
        let g = at(base).gradient;
        for i in 0..4 {
            let h = 1e-6 * base[i];
            let (mut up, mut down) = (base, base);
            up[i] += h;
            down[i] -= h;
            let numeric = (at(up).log_likelihood - at(down).log_likelihood) / (2.0 * h);
            assert!(
                (numeric - g[i]).abs() < 1e-5 * (1.0 + g[i].abs()),
                "{base:?} {i}: analytic {} numeric {numeric}",
                g[i]
            );
        }
    }
}

#[test]
fn standard_errors_match_the_spread_of_the_estimates_and_cover_the_truth() {
    // 20,000 customers drawn from known parameters: each estimate lies within three of
    // its standard errors of the truth, and the standard errors are a few per cent.
    let truth = (0.243, 4.414, 0.793, 2.426);
    for (seed, variant) in [(21, Variant::BgNbd), (22, Variant::ModifiedBgNbd)] {
        let book = simulate(seed, 20_000, variant, truth, None);
        let (rows, weights) = collapse(&book);
        let fit = PurchaseModel::fit_weighted(
            &rows,
            Some(&weights),
            variant,
            None,
            &FitOptions::default(),
        )
        .unwrap();
        let want = [truth.0, truth.1, truth.2, truth.3];
        for (e, w) in fit.summary.iter().zip(want) {
            assert!(
                (e.estimate - w).abs() < 3.0 * e.standard_error,
                "{variant:?} {}: {} ± {} vs {w}",
                e.parameter,
                e.estimate,
                e.standard_error
            );
            assert!(e.standard_error < 0.3 * w, "{variant:?} {e:?}");
            assert!(e.lower_95 < e.estimate && e.estimate < e.upper_95);
        }
    }
}

#[test]
fn lifetime_value_follows_the_lifetimes_convention() {
    let m = bg(0.243, 4.414, 0.793, 2.426);
    let spend = SpendModel::new(SpendParams::new(6.25, 3.74, 15.44)).unwrap();
    let c = PurchaseSummary::new(2, 30.43, 38.86).with_average_spend("22.35".parse().unwrap());
    let s = spend.expected_average_spend(&c).unwrap();
    // Undiscounted: the expected purchases over the whole span times the spend.
    let flat = ClvOptions::default().with_monthly_discount_rate(0.0);
    let v = m.customer_lifetime_value(&c, s, &flat).unwrap();
    let want = m.expected_purchases(&c, 12.0 * 4.345).unwrap() * s;
    assert!(rel(v, want) < 1e-12, "{v} vs {want}");
    // Discounted: the sum of each month's increment over (1 + d)^i.
    let o = ClvOptions::default();
    let mut manual = 0.0;
    let mut before = 0.0;
    for i in 1..=12 {
        let now = m.expected_purchases(&c, f64::from(i) * 4.345).unwrap();
        manual += s * (now - before) / 1.01_f64.powi(i);
        before = now;
    }
    let v = m.customer_lifetime_value(&c, s, &o).unwrap();
    assert!(rel(v, manual) < 1e-12, "{v} vs {manual}");
    let batch = m
        .customer_lifetime_values(&[c, PurchaseSummary::new(0, 0.0, 38.0)], &spend, &o)
        .unwrap();
    assert!(rel(batch[0], v) < 1e-15 && batch[1] > 0.0);
    // Pareto/NBD: the same convention.
    let pm = ParetoModel::new(ParetoParams::new(0.553, 10.578, 0.606, 11.669)).unwrap();
    let v = pm.customer_lifetime_value(&c, s, &flat).unwrap();
    let want = pm.expected_purchases(&c, 12.0 * 4.345).unwrap() * s;
    assert!(rel(v, want) < 1e-12, "{v} vs {want}");
}

#[test]
fn per_customer_log_likelihoods_add_up_to_the_books() {
    let book = cdnow();
    let m = bg(0.243, 4.414, 0.793, 2.426);
    let each: f64 = m.customer_log_likelihoods(&book).unwrap().iter().sum();
    assert!(rel(each, m.log_likelihood(&book).unwrap()) < 1e-12);
    let pm = ParetoModel::new(ParetoParams::new(0.553, 10.578, 0.606, 11.669)).unwrap();
    let small: Vec<PurchaseSummary> = book.iter().copied().step_by(11).collect();
    let each: f64 = pm.customer_log_likelihoods(&small).unwrap().iter().sum();
    assert!(rel(each, pm.log_likelihood(&small).unwrap()) < 1e-12);
    let gg = SpendModel::new(SpendParams::new(6.25, 3.74, 15.44)).unwrap();
    let ll = gg.log_likelihood(&book).unwrap();
    let fit = SpendModel::fit(&book, &FitOptions::default()).unwrap();
    assert!(
        ll <= fit.log_likelihood + 1e-6 && ll > fit.log_likelihood - 1.0,
        "{ll}"
    );
}

#[test]
fn the_pareto_fit_reports_standard_errors_on_cdnow() {
    let fit = ParetoModel::fit(&cdnow(), &FitOptions::default()).unwrap();
    assert_eq!(fit.summary.len(), 4);
    assert!(
        fit.summary
            .iter()
            .all(|e| e.standard_error > 0.0 && e.standard_error < e.estimate)
    );
}
