//! At-risk scoring, told as the practice tells it (K1-K6), and the statistical models
//! checked against published results and against worlds simulated with known parameters.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use retention::model::{
    Channel, Currency, Direction, Interaction, Money, Outcome, Party, Rule, SurveyResponse,
    SurveyScale,
};
use retention::risk::models::{
    FitOptions, ParetoModel, PurchaseModel, PurchaseParams, PurchaseSummary, SpendModel,
    SpendParams, TimeUnit, Variant,
};
use retention::risk::{
    AccountFacts, ActionCode, Band, CadenceFacts, Direction as Trend, OrderFacts, PromiseFacts,
    RiskPolicy, RiskReport, ScoreInput, Scorer, SignalCode,
};
use rust_decimal::Decimal;

use crate::risk_sim::{cdnow, simulate};

pub(crate) fn day(d: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 5, 15, 0, 0).unwrap() + TimeDelta::days(d)
}

/// The customer calls us (a contact), with `person`.
pub(crate) fn customer_call(id: &str, account: &str, d: i64, person: &str) -> Interaction {
    let mut i = Interaction::new(
        id,
        account,
        day(d),
        Channel::Phone,
        Direction::Inbound,
        Party::Customer,
        Outcome::Connected,
    );
    i.person = Some(person.into());
    i
}

/// We call the customer and nobody answers.
pub(crate) fn unanswered_call(id: &str, account: &str, d: i64) -> Interaction {
    Interaction::new(
        id,
        account,
        day(d),
        Channel::Phone,
        Direction::Outbound,
        Party::Staff {
            user: "u-ana".into(),
        },
        Outcome::NoAnswer,
    )
}

pub(crate) fn survey(id: &str, account: &str, d: i64, score: i64) -> SurveyResponse {
    SurveyResponse::new(
        id,
        account,
        day(d),
        Decimal::from(score),
        SurveyScale::zero_to_ten(),
    )
}

fn scorer() -> Scorer {
    Scorer::new(RiskPolicy::default()).unwrap()
}

fn score(
    accounts: &[AccountFacts],
    ix: &[Interaction],
    sv: &[SurveyResponse],
    now: i64,
) -> RiskReport {
    scorer()
        .score(ScoreInput::new(accounts, ix, sv), day(now))
        .unwrap()
}

fn codes(r: &retention::risk::AccountRisk) -> Vec<&'static str> {
    r.signals.iter().map(|s| s.code.code()).collect()
}

fn contributions_add_up(report: &RiskReport) {
    for a in &report.accounts {
        let sum: u32 = a.signals.iter().map(|s| u32::from(s.contribution)).sum();
        assert_eq!(sum, u32::from(a.score), "{}", a.account);
    }
}

/// Monthly calls from two people, days 0..=150.
fn monthly_calls(account: &str) -> Vec<Interaction> {
    (0..6)
        .map(|k| {
            let who = if k % 2 == 0 { "p-1" } else { "p-2" };
            customer_call(&format!("{account}-c{k}"), account, 30 * k, who)
        })
        .collect()
}

#[test]
fn a_quiet_customer_is_measured_against_their_own_rhythm() {
    // K1: "no contact for 94 days; usually every 30 days".
    let report = score(
        &[AccountFacts::new("a-1")],
        &monthly_calls("a-1"),
        &[],
        150 + 94,
    );
    let risk = &report.accounts[0];
    let silence = &risk.signals[0];
    assert_eq!(silence.code, SignalCode::Silence);
    assert_eq!(silence.rule, Rule::K1);
    assert_eq!(
        silence.sentence,
        "no contact for 94 days; usually every 30 days"
    );
    assert_eq!(silence.value, 94.0);
    assert!(silence.critical, "more than three usual gaps is critical");
    assert_eq!(risk.band, Band::AtRisk);
    assert!(risk.raised_by_critical);
    assert_eq!(risk.actions[0].code, ActionCode::Call);
    contributions_add_up(&report);

    // The same 94 days from a customer who calls every 60 days is not yet worrying.
    let slow: Vec<_> = (0..4)
        .map(|k| {
            customer_call(
                &format!("s{k}"),
                "a-2",
                60 * k,
                if k % 2 == 0 { "p-1" } else { "p-2" },
            )
        })
        .collect();
    let report = score(&[AccountFacts::new("a-2")], &slow, &[], 180 + 94);
    let risk = &report.accounts[0];
    assert_eq!(risk.band, Band::Healthy, "{:?}", risk.signals);
    assert!(risk.signals.iter().all(|s| !s.critical));
    assert_eq!(
        risk.signals[0].sentence,
        "no contact for 94 days; usually every 60 days"
    );
    assert!(risk.score <= 1);
}

#[test]
fn a_customer_with_too_few_contacts_is_judged_by_the_policy_rhythm() {
    let calls = [customer_call("c1", "a-1", 0, "p-1")];
    let report = score(&[AccountFacts::new("a-1")], &calls, &[], 200);
    let s = &report.accounts[0].signals[0];
    assert_eq!(s.code, SignalCode::Silence);
    assert_eq!(
        s.sentence,
        "no contact for 200 days; 1 contact is too few for a rhythm, so every 90 days is assumed"
    );
    // Never in contact at all: counted from the start of the relationship.
    let mut never = AccountFacts::new("a-2");
    never.known_since = Some(day(-400).date_naive());
    let report = score(&[never], &[], &[], 0);
    assert!(
        report.accounts[0].signals[0]
            .sentence
            .starts_with("no contact in the 400 days since the relationship began")
    );
}

#[test]
fn three_calls_on_one_day_are_not_a_daily_rhythm() {
    let calls: Vec<_> = (0..3)
        .map(|k| {
            customer_call(
                &format!("c{k}"),
                "a-1",
                0,
                if k == 0 { "p-1" } else { "p-2" },
            )
        })
        .collect();
    let report = score(&[AccountFacts::new("a-1")], &calls, &[], 10);
    assert_eq!(
        report.accounts[0].score, 0,
        "{:?}",
        report.accounts[0].signals
    );
    let report = score(&[AccountFacts::new("a-1")], &calls, &[], 30);
    let s = &report.accounts[0].signals[0];
    assert_eq!(s.sentence, "no contact for 30 days; usually every 7 days");
    assert!(s.critical);
}

#[test]
fn fewer_contacts_than_the_customers_own_baseline_is_a_warning() {
    // Weekly contact for a year, then one call in the last 90 days.
    let mut ix: Vec<_> = (0..52)
        .map(|k| {
            customer_call(
                &format!("w{k}"),
                "a-1",
                7 * k,
                if k % 2 == 0 { "p-1" } else { "p-2" },
            )
        })
        .collect();
    ix.push(customer_call("late", "a-1", 364 + 80, "p-1"));
    let report = score(&[AccountFacts::new("a-1")], &ix, &[], 364 + 90);
    let risk = &report.accounts[0];
    let s = risk
        .signals
        .iter()
        .find(|s| s.code == SignalCode::FallingFrequency)
        .unwrap();
    assert_eq!(s.rule, Rule::K1);
    assert!(
        s.sentence
            .starts_with("1 contact in the last 90 days against"),
        "{}",
        s.sentence
    );
    assert!(s.value > 90.0);
}

#[test]
fn an_unhappy_survey_nobody_answered_calls_for_a_manager_at_once() {
    // K2 and C7: negative feedback means the customer may be lost already.
    let ix = monthly_calls("a-1");
    let sv = [survey("s-1", "a-1", 150, 3)];
    let report = score(&[AccountFacts::new("a-1")], &ix, &sv, 155);
    let risk = &report.accounts[0];
    let s = &risk.signals[0];
    assert_eq!(s.code, SignalCode::UnhappySurvey);
    assert_eq!(s.rule, Rule::K2);
    assert!(s.critical);
    assert_eq!(
        s.sentence,
        "1 unhappy survey answer in the last 180 days, the latest 3 on a 0-10 scale on 2026-06-04; \
         no conversation with the customer since"
    );
    assert_eq!(risk.band, Band::AtRisk);
    assert_eq!(risk.actions[0].code, ActionCode::ManagerCall);
    assert_eq!(risk.actions[0].rule, Rule::C7);

    // After a manager spoke with the customer it is no longer critical.
    let mut ix = ix;
    ix.push(Interaction::new(
        "mgr",
        "a-1",
        day(152),
        Channel::Phone,
        Direction::Outbound,
        Party::Staff {
            user: "u-boss".into(),
        },
        Outcome::Connected,
    ));
    let report = score(&[AccountFacts::new("a-1")], &ix, &sv, 155);
    let s = &report.accounts[0].signals[0];
    assert!(!s.critical);
    assert!(
        s.sentence.ends_with("a conversation since on 2026-06-06"),
        "{}",
        s.sentence
    );
}

#[test]
fn unanswered_follow_ups_signal_a_customer_who_may_be_lost() {
    let mut ix = monthly_calls("a-1");
    ix.push(unanswered_call("f1", "a-1", 160));
    ix.push(unanswered_call("f2", "a-1", 165));
    let report = score(&[AccountFacts::new("a-1")], &ix, &[], 170);
    let risk = &report.accounts[0];
    let s = risk
        .signals
        .iter()
        .find(|s| s.code == SignalCode::UnansweredFollowUp)
        .unwrap();
    assert!(s.critical);
    assert_eq!(
        s.sentence,
        "2 follow-up attempts in the last 60 days without an answer; the customer was last in contact on 2026-06-04"
    );
    assert!(
        risk.actions
            .iter()
            .any(|a| a.code == ActionCode::CallUntilReached)
    );
    assert!(risk.band >= Band::AtRisk);
}

#[test]
fn our_neglect_broken_promises_and_hanging_orders_all_count() {
    let mut facts = AccountFacts::new("a-1");
    facts.cadence = Some(CadenceFacts::new(2, 41));
    facts.promises = Some(PromiseFacts::new(7, 2, 1));
    facts.orders = Some(OrderFacts::new(1, 2));
    facts.next_service_planned = Some(false);
    let report = score(&[facts], &monthly_calls("a-1"), &[], 155);
    let risk = &report.accounts[0];
    let sentences: Vec<(&str, &str)> = risk
        .signals
        .iter()
        .map(|s| (s.code.code(), s.sentence.as_str()))
        .collect();
    for want in [
        (
            "risk.neglect",
            "2 contact obligations overdue, the worst by 41 days",
        ),
        ("risk.broken_promises", "2 of 9 promises broken"),
        ("risk.slow_callbacks", "1 callback came later than promised"),
        (
            "risk.hanging_orders",
            "1 order left hanging and 2 partially complete",
        ),
        ("risk.no_next_service", "no next service is planned"),
    ] {
        assert!(sentences.contains(&want), "{want:?} in {sentences:?}");
    }
    let paths: Vec<String> = risk.signals.iter().map(|s| s.path.to_string()).collect();
    assert!(paths.contains(&"accounts[0].promises.broken".to_string()));
    assert!(paths.contains(&"accounts[0].cadence".to_string()));
    let actions: Vec<ActionCode> = risk.actions.iter().map(|a| a.code).collect();
    for a in [
        ActionCode::CatchUpOnContact,
        ActionCode::MakeGoodOnPromises,
        ActionCode::FinishOpenOrders,
        ActionCode::PlanNextService,
    ] {
        assert!(actions.contains(&a), "{a:?}");
    }
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == ActionCode::MakeGoodOnPromises)
            .count(),
        1,
        "one action per kind"
    );
    contributions_add_up(&report);
}

#[test]
fn a_relationship_with_only_one_person_hangs_by_a_thread() {
    // C3: know several people at each customer.
    let ix: Vec<_> = (0..6)
        .map(|k| customer_call(&format!("c{k}"), "a-1", 20 * k, "p-owner"))
        .collect();
    let report = score(&[AccountFacts::new("a-1")], &ix, &[], 110);
    let risk = &report.accounts[0];
    assert_eq!(codes(risk), ["risk.single_threaded"]);
    assert_eq!(
        risk.signals[0].sentence,
        "all 6 contacts were with one person"
    );
    assert_eq!(risk.actions[0].code, ActionCode::MeetMorePeople);
    assert_eq!(
        risk.band,
        Band::Healthy,
        "one weak signal alone is not a crisis"
    );
}

#[test]
fn a_small_shop_without_a_model_still_gets_a_ranked_book() {
    // Works at every size: 50 customers, signals only, no fit.
    let mut accounts = Vec::new();
    let mut ix = Vec::new();
    for k in 0..50 {
        let id = format!("a-{k:02}");
        let mut f = AccountFacts::new(id.as_str());
        if k % 5 == 0 {
            f.promises = Some(PromiseFacts::new(3, (k % 3) as u32, 0));
        }
        f.expected_value = Some(Money::new(Decimal::from(1_000 + 100 * k), Currency::USD));
        accounts.push(f);
        for c in 0..(k % 7) {
            ix.push(customer_call(
                &format!("{id}-{c}"),
                &id,
                10 * c as i64,
                "p-1",
            ));
        }
    }
    let report = score(&accounts, &ix, &[], 120);
    assert_eq!(report.accounts.len(), 50);
    let b = report.bands;
    assert_eq!(b.healthy + b.watch + b.at_risk + b.critical, 50);
    contributions_add_up(&report);
    // Ranked by value at risk, highest first.
    let var: Vec<Decimal> = report
        .accounts
        .iter()
        .map(|a| a.value_at_risk.unwrap().amount)
        .collect();
    assert!(var.windows(2).all(|w| w[0] >= w[1]));
}

#[test]
fn the_book_is_ranked_by_value_at_risk_then_score_then_id() {
    // K6: one lost customer costs more than one customer.
    let mk = |id: &str, value: i64, broken: u32| {
        let mut f = AccountFacts::new(id);
        f.promises = Some(PromiseFacts::new(0, broken, 0));
        f.expected_value = Some(Money::new(Decimal::from(value), Currency::USD));
        f
    };
    let accounts = [
        mk("small-but-angry", 1_000, 3),
        mk("big-and-wobbly", 20_000, 1),
        mk("b-tie", 10_000, 1),
        mk("a-tie", 10_000, 1),
        AccountFacts::new("no-value"),
    ];
    let report = score(&accounts, &[], &[], 0);
    let order: Vec<&str> = report.accounts.iter().map(|a| a.account.as_str()).collect();
    assert_eq!(
        order,
        [
            "big-and-wobbly",
            "a-tie",
            "b-tie",
            "small-but-angry",
            "no-value"
        ]
    );
    let top = &report.accounts[0];
    // One broken promise: 20 × 1/3 = 6.667 points, rounded to 7.
    assert_eq!(top.score, 7);
    assert_eq!(
        top.value_at_risk,
        Some(Money::new(Decimal::new(140_000, 2), Currency::USD))
    );
}

#[test]
fn a_quiet_valuable_customer_gets_a_visit_rather_than_a_call() {
    let mut f = AccountFacts::new("a-1");
    f.expected_value = Some(Money::new(Decimal::from(12_000), Currency::USD));
    let report = score(&[f], &monthly_calls("a-1"), &[], 150 + 94);
    let a = &report.accounts[0].actions[0];
    assert_eq!(a.code, ActionCode::Visit);
    assert_eq!(a.rule, retention::model::Rule::K6);
    assert_eq!(
        a.sentence,
        "visit in person: a quiet customer with 12000 USD of expected value, and the referrals that come with them"
    );
}

#[test]
fn the_trend_compares_with_the_previous_score() {
    let mut f = AccountFacts::new("a-1");
    f.previous_score = Some(10);
    f.promises = Some(PromiseFacts::new(0, 3, 0));
    let report = score(&[f], &[], &[], 0);
    let t = report.accounts[0].trend.unwrap();
    assert_eq!((t.previous, t.change, t.direction), (10, 10, Trend::Rising));
    let mut f = AccountFacts::new("a-1");
    f.previous_score = Some(3);
    let t = score(&[f], &[], &[], 0).accounts[0].trend.unwrap();
    assert_eq!(t.direction, Trend::Steady);
}

#[test]
fn the_bg_nbd_fit_reproduces_the_published_cdnow_estimates() {
    // Fader, Hardie & Lee (2005): r = 0.243, α = 4.414, a = 0.793, b = 2.426,
    // log-likelihood −9582.4, on the 2,357 CDNOW customers (weeks).
    let book = cdnow();
    assert_eq!(book.len(), 2_357);
    assert_eq!(book.iter().map(|c| c.frequency).sum::<i64>(), 2_457);
    let fit = PurchaseModel::fit(&book, Variant::BgNbd, &FitOptions::default()).unwrap();
    let p = fit.model.params();
    let round3 = |v: f64| (v * 1000.0).round() / 1000.0;
    assert_eq!(
        (round3(p.r), round3(p.alpha), round3(p.a), round3(p.b)),
        (0.243, 4.414, 0.793, 2.426)
    );
    assert_eq!((fit.log_likelihood * 10.0).round() / 10.0, -9582.4);
    assert_eq!(fit.time_unit, TimeUnit::Weeks);
    assert!(
        fit.distinct_rows < book.len(),
        "duplicates collapse into weights"
    );
    // The same data in days: same shape parameters, α × 7, and the log-likelihood moves
    // by the density's unit: −Σx·ln 7.
    let days: Vec<PurchaseSummary> = book
        .iter()
        .map(|c| PurchaseSummary::new(c.frequency, c.recency * 7.0, c.age * 7.0))
        .collect();
    let fd = PurchaseModel::fit(
        &days,
        Variant::BgNbd,
        &FitOptions::default().with_time_unit(TimeUnit::Days),
    )
    .unwrap();
    assert!((fd.model.params().alpha / 7.0 - p.alpha).abs() < 1e-4);
    assert!((fd.model.params().r - p.r).abs() < 1e-5);
    assert!((fd.log_likelihood - (fit.log_likelihood - 2_457.0 * 7f64.ln())).abs() < 1e-4);
}

#[test]
fn the_spend_model_reproduces_the_published_cdnow_estimates() {
    // Fader, Hardie & Lee (2005), "RFM and CLV": p = 6.25, q = 3.74, γ = 15.44 on the
    // 946 repeat buyers.
    let fit = SpendModel::fit(&cdnow(), &FitOptions::default()).unwrap();
    let p = fit.model.params();
    assert_eq!(fit.customers, 946);
    assert!((p.p - 6.25).abs() < 0.005, "{p:?}");
    assert!((p.q - 3.74).abs() < 0.005, "{p:?}");
    assert!((p.gamma - 15.44).abs() < 0.01, "{p:?}");
}

#[test]
fn the_modified_fit_converges_on_cdnow_and_judges_one_time_buyers() {
    let book = cdnow();
    let fit = PurchaseModel::fit(&book, Variant::ModifiedBgNbd, &FitOptions::default()).unwrap();
    assert!(fit.gradient_max < 1e-8);
    let m = fit.model;
    // A one-time buyer seen 38 weeks ago: plain BG/NBD says alive for sure, the
    // modified model does not.
    let once = PurchaseSummary::new(0, 0.0, 38.0);
    let plain = PurchaseModel::new(
        Variant::BgNbd,
        PurchaseParams::new(0.243, 4.414, 0.793, 2.426),
    )
    .unwrap();
    assert_eq!(plain.p_alive(&once).unwrap(), 1.0);
    let p = m.p_alive(&once).unwrap();
    assert!(p > 0.0 && p < 1.0, "{p}");
}

#[test]
fn the_fits_recover_the_parameters_of_a_simulated_world() {
    // 30,000 customers drawn with the CDNOW parameters; the estimates land within a few
    // standard errors (about 3-10 % at this size).
    let truth = (0.243, 4.414, 0.793, 2.426);
    for (seed, variant) in [(11, Variant::BgNbd), (12, Variant::ModifiedBgNbd)] {
        let book = simulate(seed, 30_000, variant, truth, Some((6.25, 3.74, 15.44)));
        let p = PurchaseModel::fit(&book, variant, &FitOptions::default())
            .unwrap()
            .model
            .params();
        for (name, got, want, tol) in [
            ("r", p.r, truth.0, 0.15),
            ("alpha", p.alpha, truth.1, 0.15),
            ("a", p.a, truth.2, 0.25),
            ("b", p.b, truth.3, 0.30),
        ] {
            assert!(
                (got / want - 1.0).abs() < tol,
                "{variant:?} {name}: {got} vs {want}"
            );
        }
        let s = SpendModel::fit(&book, &FitOptions::default())
            .unwrap()
            .model
            .params();
        for (name, got, want) in [
            ("p", s.p, 6.25),
            ("q", s.q, 3.74),
            ("gamma", s.gamma, 15.44),
        ] {
            assert!((got / want - 1.0).abs() < 0.25, "{name}: {got} vs {want}");
        }
    }
}

#[test]
fn with_models_p_alive_is_a_signal_and_value_comes_from_the_book() {
    let pm = PurchaseModel::new(
        Variant::ModifiedBgNbd,
        PurchaseParams::new(0.525, 6.183, 0.891, 1.614),
    )
    .unwrap();
    let sm = SpendModel::new(SpendParams::new(6.25, 3.74, 15.44)).unwrap();
    let scorer = Scorer::new(RiskPolicy::default())
        .unwrap()
        .with_purchase_model(pm, TimeUnit::Weeks)
        .unwrap()
        .with_spend_model(sm, Currency::USD)
        .unwrap();
    let mut gone = AccountFacts::new("gone");
    gone.purchases = Some(PurchaseSummary::new(8, 5.0, 38.0).with_average_spend(Decimal::from(40)));
    let mut loyal = AccountFacts::new("loyal");
    loyal.purchases =
        Some(PurchaseSummary::new(8, 37.5, 38.0).with_average_spend(Decimal::from(40)));
    let report = scorer
        .score(ScoreInput::new(&[loyal, gone], &[], &[]), day(0))
        .unwrap();
    let gone = report
        .accounts
        .iter()
        .find(|a| a.account.as_str() == "gone")
        .unwrap();
    let loyal = report
        .accounts
        .iter()
        .find(|a| a.account.as_str() == "loyal")
        .unwrap();
    assert!(gone.p_alive.unwrap() < 0.1 && loyal.p_alive.unwrap() > 0.8);
    let s = &gone.signals[0];
    assert_eq!(s.code, SignalCode::LowPAlive);
    assert!(s.critical);
    assert!(s.sentence.starts_with("P(alive) 0.0"), "{}", s.sentence);
    assert!(
        s.sentence
            .contains("8 repeat purchases, the last 33.0 weeks ago, a customer for 38.0 weeks")
    );
    assert!(loyal.expected_value.unwrap().amount > gone.expected_value.unwrap().amount);
    assert_eq!(loyal.expected_value.unwrap().currency, Currency::USD);
}

#[test]
fn reports_and_facts_read_back_from_json() {
    let mut f = AccountFacts::new("a-1");
    f.promises = Some(PromiseFacts::new(1, 2, 3));
    f.purchases = Some(PurchaseSummary::new(2, 30.43, 38.86));
    let json = serde_json::to_string(&f).unwrap();
    assert_eq!(serde_json::from_str::<AccountFacts>(&json).unwrap(), f);
    let report = score(
        &[f],
        &monthly_calls("a-1"),
        &[survey("s", "a-1", 140, 2)],
        200,
    );
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(
        json["accounts"][0]["signals"][0]["code"],
        "risk.unhappy_survey"
    );
    assert_eq!(json["accounts"][0]["signals"][0]["rule"], "K2");
    assert_eq!(json["accounts"][0]["band"], "at_risk");
    // Through a string: a `serde_json::Value` sorts each object's keys, and a verdict's
    // `args` compare in order.
    let back: RiskReport = serde_json::from_str(&serde_json::to_string(&report).unwrap()).unwrap();
    assert_eq!(back, report);
    // A misspelt fact is refused.
    assert!(serde_json::from_str::<AccountFacts>(r#"{"account": "a", "promise": {}}"#).is_err());
}

#[test]
fn the_pareto_nbd_fit_reproduces_the_published_cdnow_estimates() {
    // Fader, Hardie & Lee (2005): Pareto/NBD on CDNOW, r = 0.553, α = 10.578, s = 0.606,
    // β = 11.669, log-likelihood −9595.0. (The likelihood is flat in β: the fit lands at
    // 11.668.)
    let fit = ParetoModel::fit(&cdnow(), &FitOptions::default()).unwrap();
    let p = fit.model.params();
    for (name, got, want, tol) in [
        ("r", p.r, 0.553, 0.001),
        ("alpha", p.alpha, 10.578, 0.002),
        ("s", p.s, 0.606, 0.001),
        ("beta", p.beta, 11.669, 0.01),
    ] {
        assert!((got - want).abs() < tol, "{name}: {got} vs {want}");
    }
    assert_eq!((fit.log_likelihood * 10.0).round() / 10.0, -9595.0);
    // A customer quiet since week 5 of 39 is less likely alive than one who bought in
    // week 38.
    let quiet = fit
        .model
        .p_alive(&PurchaseSummary::new(4, 5.0, 39.0))
        .unwrap();
    let busy = fit
        .model
        .p_alive(&PurchaseSummary::new(4, 38.0, 39.0))
        .unwrap();
    assert!(quiet < busy);
}
