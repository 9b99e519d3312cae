//! At-risk scoring with facts, model parameters and fits the fuzzer chooses (any `f64`,
//! counts up to `u32::MAX`), over an edited book's interactions and surveys: a report
//! or a coded error; every score at most 100 and every probability finite and in [0, 1].
#![no_main]

use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use retention::model::{Currency, Money};
use retention::risk::models::{
    FitOptions, PurchaseModel, PurchaseParams, PurchaseSummary, SpendModel, SpendParams, TimeUnit,
    Variant,
};
use retention::risk::{self, AccountFacts, CadenceFacts, OrderFacts, PromiseFacts, Scorer};
use retention::rust_decimal::Decimal;
use retention_fuzz::{assert_finite, unchecked_book};

fn float(u: &mut Unstructured) -> Result<f64> {
    Ok(match u.int_in_range(0..=3)? {
        0 => u.arbitrary()?,
        1 => f64::from(u.int_in_range(0..=1000u32)?) / 10.0,
        2 => *u.choose(&[0.0, -0.0, 1e-300, 1e300, f64::NAN, f64::INFINITY, -1.0])?,
        _ => f64::from(u.arbitrary::<u16>()?) / 100.0,
    })
}

fn summary(u: &mut Unstructured) -> Result<PurchaseSummary> {
    let frequency = if u.arbitrary()? {
        u.arbitrary()?
    } else {
        u.int_in_range(0..=20)?
    };
    Ok(PurchaseSummary::new(frequency, float(u)?, float(u)?))
}

fn run(data: &[u8]) -> Result<()> {
    let mut u = Unstructured::new(data);
    let Some((book, now)) = unchecked_book(&mut u) else {
        return Ok(());
    };
    let Ok(mut scorer) = Scorer::new(book.policies.risk.clone()) else {
        return Ok(());
    };
    let unit = if u.arbitrary()? {
        TimeUnit::Days
    } else {
        TimeUnit::Weeks
    };
    let variant = if u.arbitrary()? {
        Variant::BgNbd
    } else {
        Variant::ModifiedBgNbd
    };
    if u.arbitrary()? {
        let params = PurchaseParams::new(
            float(&mut u)?,
            float(&mut u)?,
            float(&mut u)?,
            float(&mut u)?,
        );
        if let Ok(model) = PurchaseModel::new(variant, params) {
            scorer = match scorer.with_purchase_model(model, unit) {
                Ok(s) => s,
                Err(_) => return Ok(()),
            };
        }
    }
    if u.arbitrary()? {
        let params = SpendParams::new(float(&mut u)?, float(&mut u)?, float(&mut u)?);
        if let (Ok(model), Ok(usd)) = (SpendModel::new(params), Currency::new("USD")) {
            scorer = match scorer.with_spend_model(model, usd) {
                Ok(s) => s,
                Err(_) => return Ok(()),
            };
        }
    }
    let mut facts = Vec::new();
    for a in &book.accounts {
        let mut f = AccountFacts::new(a.id.clone());
        if u.arbitrary()? {
            f.known_since = Some(now.date_naive());
        }
        f.previous_score = u.arbitrary()?;
        if u.arbitrary()? {
            f.purchases = Some(summary(&mut u)?);
        }
        if u.arbitrary()? {
            f.promises = Some(PromiseFacts::new(
                u.arbitrary()?,
                u.arbitrary()?,
                u.arbitrary()?,
            ));
        }
        if u.arbitrary()? {
            f.cadence = Some(CadenceFacts::new(u.arbitrary()?, u.arbitrary()?));
        }
        if u.arbitrary()? {
            f.orders = Some(OrderFacts::new(u.arbitrary()?, u.arbitrary()?));
        }
        if u.arbitrary()? {
            let amount = Decimal::new(u.arbitrary()?, u.int_in_range(0..=28)?);
            if let Ok(usd) = Currency::new("USD") {
                f.expected_value = Some(Money::new(amount, usd));
            }
        }
        f.next_service_planned = u.arbitrary()?;
        facts.push(f);
    }
    match scorer.score(
        risk::ScoreInput::new(&facts, &book.interactions, &book.surveys),
        now,
    ) {
        Ok(report) => {
            assert_eq!(report.accounts.len(), facts.len());
            for line in &report.accounts {
                assert!(line.score <= 100, "score {}", line.score);
                if let Some(p) = line.p_alive {
                    assert_finite("p_alive", p);
                    assert!((0.0..=1.0).contains(&p), "p_alive {p}");
                }
                for s in &line.signals {
                    assert_finite("signal value", s.value);
                    assert_finite("signal strength", s.strength);
                }
            }
        }
        Err(e) => assert!(!e.problems().is_empty()),
    }
    // A fit on the fuzzer's summaries: parameters or a coded error, never NaN.
    let customers: Vec<PurchaseSummary> = (0..u.int_in_range(0..=24)?)
        .map(|_| summary(&mut u))
        .collect::<Result<_>>()?;
    let mut options = FitOptions::default();
    options.penalizer = float(&mut u)?;
    options.max_iterations = u.int_in_range(0..=200)?;
    options.time_unit = unit;
    if let Ok(fit) = PurchaseModel::fit(&customers, variant, &options) {
        let p = fit.model.params();
        for x in [p.r, p.alpha, p.a, p.b] {
            assert_finite("fitted parameter", x);
        }
        for c in &customers {
            if let Ok(p) = fit.model.p_alive(c) {
                assert_finite("p_alive", p);
            }
            if let Ok(n) = fit.model.expected_purchases(c, float(&mut u)?) {
                assert_finite("expected purchases", n);
            }
        }
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(data);
});
