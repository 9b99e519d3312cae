//! At-risk scoring speed. Targets (issue 6): score a book at most 5× one bare pass over
//! its events; a BG/NBD fit on about 2,400 customers in at most 2 ms; P(alive) in at most
//! 50 ns per customer.
//!
//! - `score/*`: a book of `RISK_BENCH_CUSTOMERS` accounts (default 100,000; the issue's
//!   1,000,000 × 20 events needs several GB of `Interaction`s on this machine) with 20
//!   interactions each and a few surveys, promise, cadence and order facts on some.
//!   `bare_pass` reads every interaction once (instant, direction, initiator, account
//!   length) and sums: the baseline the ratio is read against, in the same group.
//!   `grouped` has the interactions sorted by account (as a database query returns
//!   them); `interleaved` has them round-robin over accounts, the worst case for the
//!   scorer's run cache (one hash look-up per event). `grouped_incl_drop` also times
//!   the drop of the report (about 7 small strings per account that fired a signal),
//!   which the others leave out.
//! - `fit/*`: the 2,357 CDNOW customers (`tests/data/cdnow_summary.txt`).
//! - `p_alive/cdnow_2357`: P(alive) for each CDNOW customer; divide by 2,357.
//! - `calls/*` (issue 17): each model call over the CDNOW customers (expected purchases,
//!   lifetime value, per-customer log-likelihood, the likelihood partial of the book),
//!   and the unconditional expectation and P(X(t) = n) for n = 0..100.
//! - `clv/1m`: the lifetime value of a million customers, BG/NBD and Pareto/NBD with the
//!   Gamma-Gamma spend (the target: well under a second). `bg_nbd` and
//!   `pareto_nbd` take CDNOW's customers repeated (the batch works out the discounted
//!   expectations once per distinct frequency and age, as in any book whose ages are
//!   whole days or weeks); `*_distinct_ages` move each customer's age by a different
//!   tiny amount, so no two share: the worst case, one set of series per customer.
//! - `fit/synthetic_10m_weighted`: the BG/NBD fit of 10,000,000 customers simulated from
//!   CDNOW's parameters, collapsed to their distinct rows with weights (the collapse is
//!   done once, in 1,000,000-customer chunks, outside the timing); `collapse/1m` times
//!   the collapse of one chunk.

use std::hint::black_box;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use retention::model::{
    Channel, Direction, Interaction, Outcome, Party, SurveyResponse, SurveyScale,
};
use retention::risk::models::{
    ClvOptions, FitOptions, ParetoModel, PurchaseModel, PurchaseParams, PurchaseSummary,
    SpendModel, Variant, collapse,
};
use retention::risk::{AccountFacts, CadenceFacts, PromiseFacts, RiskPolicy, ScoreInput, Scorer};
use rust_decimal::Decimal;

#[path = "../tests/risk_sim.rs"]
mod risk_sim;

const EVENTS_PER_CUSTOMER: usize = 20;

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 9, 0, 0).unwrap()
}

fn event(rng: &mut risk_sim::Rng, account: &str, c: usize, e: usize) -> Interaction {
    let at = start() + TimeDelta::minutes((rng.next_u64() % (700 * 24 * 60)) as i64);
    let (channel, direction, party, outcome) = match rng.next_u64() % 4 {
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
        _ => (
            Channel::Email,
            Direction::Outbound,
            Party::Staff { user: "u-2".into() },
            Outcome::Delivered,
        ),
    };
    let mut i = Interaction::new(
        format!("i-{c}-{e}"),
        account,
        at,
        channel,
        direction,
        party,
        outcome,
    );
    i.person = Some(format!("p-{}", rng.next_u64() % 3).into());
    i
}

struct Fixture {
    accounts: Vec<AccountFacts>,
    grouped: Vec<Interaction>,
    interleaved: Vec<Interaction>,
    surveys: Vec<SurveyResponse>,
}

fn fixture(n: usize) -> Fixture {
    let mut rng = risk_sim::Rng::new(42);
    let ids: Vec<String> = (0..n).map(|c| format!("a-{c:07}")).collect();
    let accounts = ids
        .iter()
        .enumerate()
        .map(|(c, id)| {
            let mut f = AccountFacts::new(id.as_str());
            if c % 3 == 0 {
                f.promises = Some(PromiseFacts::new(4, (c % 4) as u32, (c % 2) as u32));
            }
            if c % 5 == 0 {
                f.cadence = Some(CadenceFacts::new((c % 3) as u32, (c % 90) as u32));
            }
            f.next_service_planned = Some(c % 7 != 0);
            f
        })
        .collect();
    let mut grouped = Vec::with_capacity(n * EVENTS_PER_CUSTOMER);
    for (c, id) in ids.iter().enumerate() {
        for e in 0..EVENTS_PER_CUSTOMER {
            grouped.push(event(&mut rng, id, c, e));
        }
    }
    let mut interleaved = Vec::with_capacity(grouped.len());
    for e in 0..EVENTS_PER_CUSTOMER {
        for c in 0..n {
            if let Some(i) = grouped.get(c * EVENTS_PER_CUSTOMER + e) {
                interleaved.push(i.clone());
            }
        }
    }
    let surveys = ids
        .iter()
        .enumerate()
        .filter(|(c, _)| c % 10 == 0)
        .map(|(c, id)| {
            SurveyResponse::new(
                format!("s-{c}"),
                id.as_str(),
                start() + TimeDelta::days(600),
                Decimal::from((c % 11) as i64),
                SurveyScale::zero_to_ten(),
            )
        })
        .collect();
    Fixture {
        accounts,
        grouped,
        interleaved,
        surveys,
    }
}

/// One pass over the events: what any scorer must at least read.
fn bare_pass(events: &[Interaction]) -> i64 {
    let mut sum = 0i64;
    for i in events {
        let from_customer = i.direction == Direction::Inbound || i.initiated_by == Party::Customer;
        sum = sum
            .wrapping_add(i.at.timestamp())
            .wrapping_add(i64::from(from_customer))
            .wrapping_add(i.account.as_str().len() as i64);
    }
    sum
}

fn bench(c: &mut Criterion) {
    let n: usize = std::env::var("RISK_BENCH_CUSTOMERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let fx = fixture(n);
    let now = start() + TimeDelta::days(700);
    let scorer = Scorer::new(RiskPolicy::default()).expect("valid policy");

    let mut g = c.benchmark_group(format!("score/{n}x{EVENTS_PER_CUSTOMER}"));
    g.sample_size(10);
    g.throughput(Throughput::Elements(fx.grouped.len() as u64));
    g.bench_function("bare_pass", |b| {
        b.iter(|| bare_pass(black_box(&fx.grouped)))
    });
    // Scoring only: the report is dropped outside the timing.
    g.bench_function("grouped", |b| {
        b.iter_with_large_drop(|| {
            scorer
                .score(
                    ScoreInput::new(&fx.accounts, black_box(&fx.grouped), &fx.surveys),
                    now,
                )
                .expect("valid book")
        })
    });
    // The same, with the host's drop of the report (its strings) inside the timing.
    g.bench_function("grouped_incl_drop", |b| {
        b.iter(|| {
            scorer
                .score(
                    ScoreInput::new(&fx.accounts, black_box(&fx.grouped), &fx.surveys),
                    now,
                )
                .expect("valid book")
        })
    });
    g.bench_function("interleaved", |b| {
        b.iter_with_large_drop(|| {
            scorer
                .score(
                    ScoreInput::new(&fx.accounts, black_box(&fx.interleaved), &fx.surveys),
                    now,
                )
                .expect("valid book")
        })
    });
    g.finish();
    drop(fx);

    let book = risk_sim::cdnow();
    let mut g = c.benchmark_group("fit/cdnow_2357");
    g.bench_function("bg_nbd", |b| {
        b.iter(|| {
            PurchaseModel::fit(black_box(&book), Variant::BgNbd, &FitOptions::default())
                .expect("fits")
        })
    });
    g.bench_function("modified_bg_nbd", |b| {
        b.iter(|| {
            PurchaseModel::fit(
                black_box(&book),
                Variant::ModifiedBgNbd,
                &FitOptions::default(),
            )
            .expect("fits")
        })
    });
    g.bench_function("pareto_nbd", |b| {
        b.iter(|| ParetoModel::fit(black_box(&book), &FitOptions::default()).expect("fits"))
    });
    g.bench_function("gamma_gamma", |b| {
        b.iter(|| SpendModel::fit(black_box(&book), &FitOptions::default()).expect("fits"))
    });
    g.finish();

    let model = PurchaseModel::fit(&book, Variant::BgNbd, &FitOptions::default())
        .expect("fits")
        .model;
    let modified = PurchaseModel::fit(&book, Variant::ModifiedBgNbd, &FitOptions::default())
        .expect("fits")
        .model;
    let mut g = c.benchmark_group("p_alive");
    g.throughput(Throughput::Elements(book.len() as u64));
    for (name, m) in [
        ("bg_nbd_cdnow_2357", model),
        ("modified_cdnow_2357", modified),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut s = 0.0;
                for cust in black_box(&book) {
                    s += m.p_alive(cust).unwrap_or(0.0);
                }
                s
            })
        });
    }
    g.finish();
}

fn bench_calls(c: &mut Criterion) {
    let book = risk_sim::cdnow();
    let bg = PurchaseModel::fit(&book, Variant::BgNbd, &FitOptions::default())
        .expect("fits")
        .model;
    let pareto = ParetoModel::fit(&book, &FitOptions::default())
        .expect("fits")
        .model;
    let spend = SpendModel::fit(&book, &FitOptions::default())
        .expect("fits")
        .model;
    let options = ClvOptions::default();
    let mut g = c.benchmark_group("calls/cdnow_2357");
    g.throughput(Throughput::Elements(book.len() as u64));
    g.bench_function("bg_expected_purchases_39", |b| {
        b.iter(|| {
            bg.expected_purchases_batch(black_box(&book), 39.0)
                .expect("defined")
        })
    });
    g.bench_function("pareto_expected_purchases_39", |b| {
        b.iter(|| {
            pareto
                .expected_purchases_batch(black_box(&book), 39.0)
                .expect("defined")
        })
    });
    g.bench_function("bg_clv_12_months", |b| {
        b.iter(|| {
            bg.customer_lifetime_values(black_box(&book), &spend, &options)
                .expect("defined")
        })
    });
    g.bench_function("pareto_clv_12_months", |b| {
        b.iter(|| {
            pareto
                .customer_lifetime_values(black_box(&book), &spend, &options)
                .expect("defined")
        })
    });
    g.bench_function("bg_customer_log_likelihoods", |b| {
        b.iter(|| {
            bg.customer_log_likelihoods(black_box(&book))
                .expect("defined")
        })
    });
    g.bench_function("bg_partial", |b| {
        b.iter(|| {
            PurchaseModel::partial(Variant::BgNbd, bg.params(), black_box(&book), None)
                .expect("valid")
        })
    });
    g.bench_function("pareto_partial", |b| {
        b.iter(|| ParetoModel::partial(pareto.params(), black_box(&book), None).expect("valid"))
    });
    g.bench_function("gamma_gamma_log_likelihood", |b| {
        b.iter(|| spend.log_likelihood(black_box(&book)).expect("valid"))
    });
    g.finish();

    let mut g = c.benchmark_group("calls/new_customer");
    g.bench_function("bg_unconditional_52", |b| {
        b.iter(|| {
            bg.unconditional_expected_purchases(black_box(52.0))
                .expect("defined")
        })
    });
    g.bench_function("bg_probability_n_0_to_100", |b| {
        b.iter(|| {
            (0..=100)
                .map(|n| {
                    bg.probability_of_purchases(black_box(39.0), n)
                        .expect("defined")
                })
                .sum::<f64>()
        })
    });
    g.bench_function("pareto_unconditional_52", |b| {
        b.iter(|| {
            pareto
                .unconditional_expected_purchases(black_box(52.0))
                .expect("defined")
        })
    });
    g.finish();

    let million: Vec<PurchaseSummary> = book.iter().copied().cycle().take(1_000_000).collect();
    let mut g = c.benchmark_group("clv/1m");
    g.sample_size(10);
    g.throughput(Throughput::Elements(million.len() as u64));
    g.bench_function("bg_nbd", |b| {
        b.iter(|| {
            bg.customer_lifetime_values(black_box(&million), &spend, &options)
                .expect("defined")
        })
    });
    g.bench_function("pareto_nbd", |b| {
        b.iter(|| {
            pareto
                .customer_lifetime_values(black_box(&million), &spend, &options)
                .expect("defined")
        })
    });
    let distinct: Vec<PurchaseSummary> = million
        .iter()
        .zip(0_u32..)
        .map(|(c, i)| {
            let mut d = *c;
            d.age += f64::from(i) * 1e-7;
            d
        })
        .collect();
    g.bench_function("bg_nbd_distinct_ages", |b| {
        b.iter(|| {
            bg.customer_lifetime_values(black_box(&distinct), &spend, &options)
                .expect("defined")
        })
    });
    g.bench_function("pareto_nbd_distinct_ages", |b| {
        b.iter(|| {
            pareto
                .customer_lifetime_values(black_box(&distinct), &spend, &options)
                .expect("defined")
        })
    });
    g.finish();

    let mut g = c.benchmark_group("collapse");
    g.sample_size(10);
    let chunk = risk_sim::simulate(
        7,
        1_000_000,
        Variant::BgNbd,
        (0.243, 4.414, 0.793, 2.426),
        None,
    );
    g.bench_function("1m", |b| b.iter(|| collapse(black_box(&chunk))));
    g.finish();
    drop(chunk);
}

fn bench_synthetic(c: &mut Criterion) {
    let truth = (0.243, 4.414, 0.793, 2.426);
    let total: usize = std::env::var("RISK_BENCH_SYNTHETIC")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000_000);
    // Simulate in chunks and keep only the distinct rows with their counts.
    let mut counts: std::collections::HashMap<(i64, u64, u64), f64> = Default::default();
    let chunk = 1_000_000;
    for (k, start) in (0..total).step_by(chunk).enumerate() {
        let n = chunk.min(total - start);
        let part = risk_sim::simulate(1_000 + k as u64, n, Variant::BgNbd, truth, None);
        let (rows, weights) = collapse(&part);
        for (r, w) in rows.iter().zip(weights) {
            *counts
                .entry((r.frequency, r.recency.to_bits(), r.age.to_bits()))
                .or_default() += w;
        }
    }
    let mut keyed: Vec<_> = counts.into_iter().collect();
    keyed.sort_by_key(|a| a.0);
    let rows: Vec<PurchaseSummary> = keyed
        .iter()
        .map(|((x, tx, t), _)| PurchaseSummary::new(*x, f64::from_bits(*tx), f64::from_bits(*t)))
        .collect();
    let weights: Vec<f64> = keyed.iter().map(|(_, w)| *w).collect();
    let fit = PurchaseModel::fit_weighted(
        &rows,
        Some(&weights),
        Variant::BgNbd,
        None,
        &FitOptions::default(),
    )
    .expect("fits");
    eprintln!(
        "synthetic {total}: {} distinct rows; fit {:?}; standard errors {:?}; truth {truth:?}",
        rows.len(),
        fit.model.params(),
        fit.standard_errors()
    );
    let mut g = c.benchmark_group(format!("fit/synthetic_{}m_weighted", total / 1_000_000));
    g.sample_size(10);
    g.bench_function("bg_nbd", |b| {
        b.iter(|| {
            PurchaseModel::fit_weighted(
                black_box(&rows),
                Some(&weights),
                Variant::BgNbd,
                None,
                &FitOptions::default(),
            )
            .expect("fits")
        })
    });
    let start = PurchaseParams::new(1.0, 30.0, 1.0, 1.0);
    g.bench_function("bg_nbd_from_partials_4_slices", |b| {
        b.iter(|| {
            let quarter = rows.len().div_ceil(4);
            PurchaseModel::fit_partials(Variant::BgNbd, start, &FitOptions::default(), |p| {
                let mut acc = retention::risk::models::LikelihoodPartial::empty(4);
                for (r, w) in rows.chunks(quarter).zip(weights.chunks(quarter)) {
                    acc = acc.merge(&PurchaseModel::partial(Variant::BgNbd, *p, r, Some(w))?);
                }
                Ok(acc)
            })
            .expect("fits")
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2));
    targets = bench, bench_calls, bench_synthetic
}
criterion_main!(benches);
