//! Invariants of at-risk scoring and the models: contributions add up to the score,
//! worsening any single signal never lowers the risk, the order of the input does not
//! matter, nothing panics or yields a NaN, reports round-trip through JSON, and a fit is
//! always at least as likely as the parameters that drew the data (closeness to them is
//! checked at fixed seeds in `risk_scenarios`).

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use proptest::prelude::*;

use crate::props::config;
use retention::model::{
    Channel, Currency, Direction, Interaction, Money, Outcome, Party, SurveyResponse, SurveyScale,
};
use retention::risk::models::{
    FitOptions, PurchaseModel, PurchaseParams, PurchaseSummary, TimeUnit, Variant,
};
use retention::risk::{
    AccountFacts, AccountRisk, CadenceFacts, OrderFacts, PromiseFacts, RiskPolicy, RiskReport,
    ScoreInput, Scorer,
};
use rust_decimal::Decimal;

use crate::risk_sim::simulate;

const NOW: i64 = 400;

fn day(d: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 9, 0, 0).unwrap()
        + TimeDelta::days(d)
        + TimeDelta::minutes(d % 7)
}

fn scorer() -> Scorer {
    let model = PurchaseModel::new(
        Variant::ModifiedBgNbd,
        PurchaseParams::new(0.525, 6.183, 0.891, 1.614),
    )
    .unwrap();
    Scorer::new(RiskPolicy::default())
        .unwrap()
        .with_purchase_model(model, TimeUnit::Weeks)
        .unwrap()
}

/// (day, kind, person): kind 0 = customer calls, 1 = we talk on the phone, 2 = our call
/// unanswered, 3 = our newsletter, 4 = the customer emails.
fn interaction(account: &str, n: usize, (d, kind, person): (i64, u8, u8)) -> Interaction {
    let (channel, direction, party, outcome) = match kind {
        0 => (
            Channel::Phone,
            Direction::Inbound,
            Party::Customer,
            Outcome::Connected,
        ),
        1 => (
            Channel::Phone,
            Direction::Outbound,
            Party::Staff { user: "u-1".into() },
            Outcome::Connected,
        ),
        2 => (
            Channel::Phone,
            Direction::Outbound,
            Party::Staff { user: "u-1".into() },
            Outcome::NoAnswer,
        ),
        3 => (
            Channel::Newsletter,
            Direction::Outbound,
            Party::Automated,
            Outcome::Delivered,
        ),
        _ => (
            Channel::Email,
            Direction::Inbound,
            Party::Customer,
            Outcome::Delivered,
        ),
    };
    let mut i = Interaction::new(
        format!("{account}-i{n}"),
        account,
        day(d),
        channel,
        direction,
        party,
        outcome,
    );
    if person > 0 {
        i.person = Some(format!("p-{person}").into());
    }
    i
}

#[derive(Debug, Clone)]
struct Customer {
    facts: AccountFacts,
    events: Vec<(i64, u8, u8)>,
    surveys: Vec<(i64, i64)>,
}

fn customer(id: usize) -> impl Strategy<Value = Customer> {
    (
        (
            proptest::option::of((0u32..8, 0u32..5, 0u32..5)),
            proptest::option::of((0u32..5, 0u32..120)),
            proptest::option::of((0u32..4, 0u32..4)),
            proptest::option::of(any::<bool>()),
            proptest::option::of(0u8..=100),
            proptest::option::of((0i64..30, 0.0f64..1.0, 1.0f64..80.0)),
            proptest::option::of(0i64..20_000),
        ),
        proptest::collection::vec((0i64..=NOW, 0u8..5, 0u8..4), 0..25),
        proptest::collection::vec((0i64..=NOW, 0i64..=10), 0..3),
    )
        .prop_map(
            move |((pr, cad, ord, next, prev, purchases, value), events, surveys)| {
                let mut f = AccountFacts::new(format!("a-{id}"));
                f.promises = pr.map(|(k, b, s)| PromiseFacts::new(k, b, s));
                f.cadence = cad.map(|(o, d)| CadenceFacts::new(o, d));
                f.orders = ord.map(|(h, p)| OrderFacts::new(h, p));
                f.next_service_planned = next;
                f.previous_score = prev;
                f.purchases = purchases.map(|(x, frac, age)| {
                    PurchaseSummary::new(x, if x == 0 { 0.0 } else { frac * age }, age)
                });
                f.expected_value = value.map(|v| Money::new(Decimal::from(v), Currency::USD));
                Customer {
                    facts: f,
                    events,
                    surveys,
                }
            },
        )
}

fn book() -> impl Strategy<Value = Vec<Customer>> {
    (1usize..6).prop_flat_map(|n| (0..n).map(customer).collect::<Vec<_>>())
}

fn lists(customers: &[Customer]) -> (Vec<AccountFacts>, Vec<Interaction>, Vec<SurveyResponse>) {
    let mut accounts = Vec::new();
    let mut ix = Vec::new();
    let mut sv = Vec::new();
    for c in customers {
        let id = c.facts.account.as_str();
        accounts.push(c.facts.clone());
        ix.extend(
            c.events
                .iter()
                .enumerate()
                .map(|(n, e)| interaction(id, n, *e)),
        );
        sv.extend(c.surveys.iter().enumerate().map(|(n, &(d, s))| {
            SurveyResponse::new(
                format!("{id}-s{n}"),
                id,
                day(d),
                Decimal::from(s),
                SurveyScale::zero_to_ten(),
            )
        }));
    }
    (accounts, ix, sv)
}

fn run(customers: &[Customer]) -> RiskReport {
    let (a, i, s) = lists(customers);
    scorer()
        .score(ScoreInput::new(&a, &i, &s), day(NOW))
        .unwrap()
}

fn find<'a>(r: &'a RiskReport, id: &str) -> &'a AccountRisk {
    r.accounts
        .iter()
        .find(|a| a.account.as_str() == id)
        .unwrap()
}

/// Makes one signal of customer 0 worse, as chosen by `which`.
fn worsen(c: &mut Customer, which: u8) {
    let f = &mut c.facts;
    match which {
        0 => f.promises.get_or_insert_with(PromiseFacts::default).broken += 1,
        1 => {
            f.promises
                .get_or_insert_with(PromiseFacts::default)
                .slow_callbacks += 1
        }
        2 => {
            f.cadence
                .get_or_insert_with(CadenceFacts::default)
                .overdue_obligations += 1
        }
        3 => {
            let cad = f.cadence.get_or_insert_with(|| CadenceFacts::new(1, 0));
            cad.worst_days_overdue += 17;
        }
        4 => f.orders.get_or_insert_with(OrderFacts::default).hanging += 1,
        5 => {
            f.orders
                .get_or_insert_with(OrderFacts::default)
                .partially_complete += 1
        }
        6 => f.next_service_planned = Some(false),
        7 => c.surveys.push((NOW - 1, 2)),
        8 => c.events.push((NOW - 1, 2, 0)),
        _ => {
            // The last purchase further in the past: a lower P(alive).
            if let Some(p) = f.purchases.as_mut().filter(|p| p.frequency > 0) {
                p.recency *= 0.5;
            }
        }
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn contributions_add_up_to_the_score_and_bands_follow_it(customers in book()) {
        let report = run(&customers);
        let policy = RiskPolicy::default();
        for a in &report.accounts {
            let sum: u32 = a.signals.iter().map(|s| u32::from(s.contribution)).sum();
            prop_assert_eq!(sum, u32::from(a.score));
            prop_assert!(a.score <= 100);
            if a.signals.iter().any(|s| s.critical) {
                prop_assert!(a.band >= retention::risk::Band::AtRisk);
            }
            if a.score >= policy.bands.critical_from {
                prop_assert_eq!(a.band, retention::risk::Band::Critical);
            }
            for s in &a.signals {
                prop_assert!(s.value.is_finite() && (0.0..=1.0).contains(&s.strength));
                prop_assert!(!s.sentence.is_empty() && !s.sentence.contains("NaN"));
            }
            if let Some(p) = a.p_alive {
                prop_assert!((0.0..=1.0).contains(&p));
            }
        }
        let b = report.bands;
        prop_assert_eq!(b.healthy + b.watch + b.at_risk + b.critical, customers.len());
    }

    #[test]
    fn worsening_any_single_signal_never_lowers_the_risk(customers in book(), which in 0u8..10) {
        let before = run(&customers);
        let mut worse = customers.clone();
        if let Some(c) = worse.first_mut() {
            worsen(c, which);
        }
        let after = run(&worse);
        let id = customers[0].facts.account.as_str();
        let (b, a) = (find(&before, id), find(&after, id));
        prop_assert!(a.score >= b.score, "{} -> {} by {}", b.score, a.score, which);
        prop_assert!(a.band >= b.band);
    }

    #[test]
    fn the_order_of_the_input_does_not_matter(customers in book(), seed in any::<u64>()) {
        let (a, mut i, mut s) = lists(&customers);
        let first = scorer().score(ScoreInput::new(&a, &i, &s), day(NOW)).unwrap();
        // Deterministic shuffles from the seed.
        let mut state = seed;
        let mut next = || { state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407); (state >> 33) as usize };
        for k in (1..i.len()).rev() { let j = next() % (k + 1); i.swap(k, j); }
        for k in (1..s.len()).rev() { let j = next() % (k + 1); s.swap(k, j); }
        let mut a2 = a.clone();
        a2.reverse();
        let second = scorer().score(ScoreInput::new(&a2, &i, &s), day(NOW)).unwrap();
        prop_assert_eq!(first.bands, second.bands);
        prop_assert_eq!(first.accounts.len(), second.accounts.len());
        for (x, y) in first.accounts.iter().zip(&second.accounts) {
            prop_assert_eq!(&x.account, &y.account);
            prop_assert_eq!(x.score, y.score);
            let strip = |r: &AccountRisk| -> Vec<_> {
                r.signals.iter().map(|s| (s.code, s.value, s.strength, s.contribution, s.critical, s.sentence.clone())).collect()
            };
            prop_assert_eq!(strip(x), strip(y));
            prop_assert_eq!(&x.actions, &y.actions);
            prop_assert_eq!(x.value_at_risk, y.value_at_risk);
        }
        // Same lists, same order: identical, bit for bit.
        let third = scorer().score(ScoreInput::new(&a2, &i, &s), day(NOW)).unwrap();
        prop_assert_eq!(second, third);
    }

    #[test]
    fn reports_round_trip_through_json(customers in book()) {
        let report = run(&customers);
        let back: RiskReport = serde_json::from_str(&serde_json::to_string(&report).unwrap()).unwrap();
        prop_assert_eq!(back, report);
    }

    #[test]
    fn model_quantities_are_probabilities_or_errors_never_nan(
        r in 0.01f64..20.0, alpha in 0.01f64..100.0, a in 0.01f64..20.0, b in 0.01f64..20.0,
        x in 0i64..100_000, frac in 0.0f64..=1.0, age in 0.0f64..10_000.0, horizon in 0.001f64..10_000.0,
        modified in any::<bool>(),
    ) {
        let variant = if modified { Variant::ModifiedBgNbd } else { Variant::BgNbd };
        let m = PurchaseModel::new(variant, PurchaseParams::new(r, alpha, a, b)).unwrap();
        let c = PurchaseSummary::new(x, if x == 0 { 0.0 } else { frac * age }, age);
        let p = m.p_alive(&c).unwrap();
        prop_assert!((0.0..=1.0).contains(&p));
        match m.expected_purchases(&c, horizon) {
            Ok(e) => prop_assert!(e.is_finite() && e >= 0.0),
            Err(e) => prop_assert!(
                ["risk.model_undefined", "risk.did_not_converge"].contains(&e.code()),
                "{}", e
            ),
        }
    }
}

proptest! {
    #![proptest_config(config(6))]

    #[test]
    fn the_fit_is_at_least_as_likely_as_the_parameters_that_drew_the_data(
        seed in any::<u64>(),
        r in 0.2f64..1.0, alpha in 2.0f64..8.0, a in 0.5f64..1.2, b in 1.5f64..4.0,
        modified in any::<bool>(),
    ) {
        // 20,000 customers drawn from the model with these parameters.
        let variant = if modified { Variant::ModifiedBgNbd } else { Variant::BgNbd };
        let book = simulate(seed, 20_000, variant, (r, alpha, a, b), None);
        let fit = PurchaseModel::fit(&book, variant, &FitOptions::default()).unwrap();
        // A maximum-likelihood fit is at least as likely as the truth (exactly, whatever
        // the sample): this holds the optimiser, not the sample, to account.
        let truth = PurchaseModel::new(variant, PurchaseParams::new(r, alpha, a, b)).unwrap();
        let (at_fit, at_truth) = (
            fit.model.log_likelihood(&book).unwrap(),
            truth.log_likelihood(&book).unwrap(),
        );
        prop_assert!(at_fit >= at_truth - 1e-6 * at_truth.abs(), "{:?}: fit {} < truth {}", variant, at_fit, at_truth);
        // How close the estimates come to the truth depends on the draw (a soak of
        // 1,000 draws found r off by a third where dropout is high), so closeness is
        // checked at fixed seeds in `risk_scenarios`; every draw must give a true maximum.
    }
}
