//! Test and bench helpers for the risk models: a small deterministic PRNG (splitmix64),
//! Gamma and Beta draws, BG/NBD and Gamma-Gamma simulators, and the CDNOW fixture.
//! Shared with `benches/risk.rs` through `#[path]`.
#![allow(dead_code)]

use retention::risk::models::{PurchaseSummary, Variant};
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;

/// splitmix64 (Steele, Lea & Flood 2014): tiny, fast, good enough for simulation.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1).
    pub fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    pub fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }

    /// Gamma(shape, scale 1) by Marsaglia & Tsang (2000); boosted for shape < 1.
    pub fn gamma(&mut self, shape: f64) -> f64 {
        if shape < 1.0 {
            let u = self.uniform();
            return self.gamma(shape + 1.0) * u.powf(1.0 / shape);
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let x = self.normal();
            let v = (1.0 + c * x).powi(3);
            if v <= 0.0 {
                continue;
            }
            let u = self.uniform();
            if u.ln() < 0.5 * x * x + d - d * v + d * v.ln() {
                return d * v;
            }
        }
    }

    pub fn beta(&mut self, a: f64, b: f64) -> f64 {
        let x = self.gamma(a);
        let y = self.gamma(b);
        x / (x + y)
    }

    pub fn exponential(&mut self, rate: f64) -> f64 {
        -self.uniform().ln() / rate
    }
}

/// Rounds a time in weeks down to whole days, as purchase data usually are.
fn to_days(t: f64) -> f64 {
    (t * 7.0).floor() / 7.0
}

/// Rounds a purchase time in weeks to the nearest whole day (unbiased, unlike rounding
/// down or up), at least one day: a repeat purchase on the first purchase's day counts
/// as one day later, so a repeat buyer's recency is above 0 (a book to fit refuses
/// recency 0 with repeat purchases). The caller keeps it within the age.
fn to_days_up(t: f64) -> f64 {
    (t * 7.0).round().max(1.0) / 7.0
}

/// Simulates `n` customers of a BG/NBD (or modified) world with parameters (r, α, a,
/// b); ages uniform over 27..39 weeks on a day grid (like CDNOW's 12-week cohort), times
/// rounded down to days. With `spend`, each repeat buyer also gets a Gamma-Gamma average
/// spend with parameters (p, q, γ).
pub fn simulate(
    seed: u64,
    n: usize,
    variant: Variant,
    (r, alpha, a, b): (f64, f64, f64, f64),
    spend: Option<(f64, f64, f64)>,
) -> Vec<PurchaseSummary> {
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|_| {
            let age = to_days(27.0 + 12.0 * rng.uniform());
            let lambda = rng.gamma(r) / alpha;
            let p = rng.beta(a, b);
            let mut x = 0i64;
            let mut recency = 0.0;
            let mut alive = !(variant == Variant::ModifiedBgNbd && rng.uniform() < p);
            let mut t = 0.0;
            while alive {
                t += rng.exponential(lambda);
                if t > age {
                    break;
                }
                x += 1;
                recency = to_days_up(t).min(age);
                if rng.uniform() < p {
                    alive = false;
                }
            }
            let mut c = PurchaseSummary::new(x, recency, age);
            if let (Some((sp, sq, sg)), true) = (spend, x > 0) {
                let nu = rng.gamma(sq) / sg;
                let total: f64 = (0..x).map(|_| rng.gamma(sp) / nu).sum();
                let mean = Decimal::from_f64(total / x as f64)
                    .unwrap_or(Decimal::ONE)
                    .round_dp(2)
                    .max(Decimal::new(1, 2));
                c = c.with_average_spend(mean);
            }
            c
        })
        .collect()
}

/// The CDNOW sample of `tests/data/cdnow_summary.txt`: 2,357 customers in weeks, with
/// the mean value of their repeat purchases.
pub fn cdnow() -> Vec<PurchaseSummary> {
    let text = include_str!("data/cdnow_summary.txt");
    let mut out = Vec::with_capacity(2_357);
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (age, rest) = line.split_once(':').expect("age: tokens");
        let age: f64 = age.parse().expect("age");
        for tok in rest.split_whitespace() {
            if let Some(zeros) = tok.strip_prefix('z') {
                let k: usize = zeros.parse().expect("count");
                out.extend((0..k).map(|_| PurchaseSummary::new(0, 0.0, age)));
            } else {
                let mut f = tok.split(',');
                let x: i64 = f.next().and_then(|v| v.parse().ok()).expect("x");
                let tx: f64 = f.next().and_then(|v| v.parse().ok()).expect("t_x");
                let z: Decimal = f.next().and_then(|v| v.parse().ok()).expect("zbar");
                out.push(PurchaseSummary::new(x, tx, age).with_average_spend(z));
            }
        }
    }
    out
}
