//! The purchase and spend models on the CDNOW sample: `cargo run --example cdnow_fit`.
//!
//! Fits BG/NBD, modified BG/NBD, Pareto/NBD and Gamma-Gamma to the 2,357 CDNOW
//! customers embedded from `tests/data/cdnow_summary.txt` (times in weeks) and prints,
//! as one JSON object, each `FitReport` and, per customer in the file's order, P(alive),
//! the expected purchases over the next 52 weeks and the expected average spend.
//!
//! ```text
//! cargo run --example cdnow_fit            # the JSON
//! cargo run --example cdnow_fit -- --text  # the fitted parameters, readable
//! ```
//!
//! Floats are written in their shortest form that reads back exactly, so the Python
//! package's tests compare its results with these bit for bit.

use std::error::Error;

use retention::risk::models::{
    FitOptions, ParetoModel, PurchaseModel, PurchaseSummary, SpendModel, Variant,
};
use retention::rust_decimal::Decimal;
use serde_json::{Value, json};

/// The CDNOW sample in its compact form (see the file's header).
const CDNOW: &str = include_str!("../tests/data/cdnow_summary.txt");

/// The horizon of the expected purchases, in weeks.
const HORIZON: f64 = 52.0;

/// The customers of the compact form: one line per age `T`, each token a customer
/// `x,t_x,zbar` or `zN` for N customers without a repeat purchase.
fn customers(text: &str) -> Result<Vec<PurchaseSummary>, Box<dyn Error>> {
    let mut out = Vec::new();
    for line in text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (age, rest) = line.split_once(':').ok_or("a line is `T: tokens`")?;
        let age: f64 = age.trim().parse()?;
        for token in rest.split_whitespace() {
            if let Some(n) = token.strip_prefix('z') {
                let n: usize = n.parse()?;
                out.extend((0..n).map(|_| PurchaseSummary::new(0, 0.0, age)));
            } else {
                let mut f = token.split(',');
                let mut next = || f.next().ok_or("a token is `x,t_x,zbar`");
                let x: i64 = next()?.parse()?;
                let t_x: f64 = next()?.parse()?;
                let zbar: Decimal = next()?.parse()?;
                out.push(PurchaseSummary::new(x, t_x, age).with_average_spend(zbar));
            }
        }
    }
    Ok(out)
}

fn main() -> Result<(), Box<dyn Error>> {
    let book = customers(CDNOW)?;
    let options = FitOptions::default();
    let bg = PurchaseModel::fit(&book, Variant::BgNbd, &options)?;
    let mbg = PurchaseModel::fit(&book, Variant::ModifiedBgNbd, &options)?;
    let pareto = ParetoModel::fit(&book, &options)?;
    let spend = SpendModel::fit(&book, &options)?;

    if std::env::args().any(|a| a == "--text") {
        println!("{} customers", book.len());
        println!("bg_nbd           {:?}", bg.model.params());
        println!("modified_bg_nbd  {:?}", mbg.model.params());
        println!("pareto_nbd       {:?}", pareto.model.params());
        println!("gamma_gamma      {:?}", spend.model.params());
        return Ok(());
    }

    let each = |f: &dyn Fn(&PurchaseSummary) -> Result<f64, retention::Error>| {
        book.iter()
            .map(f)
            .collect::<Result<Vec<f64>, retention::Error>>()
    };
    let (bg_m, mbg_m, pareto_m, spend_m) = (bg.model, mbg.model, pareto.model, spend.model);
    let out: Value = json!({
        "customers": book.len(),
        "horizon": HORIZON,
        "fits": {
            "bg_nbd": bg,
            "modified_bg_nbd": mbg,
            "pareto_nbd": pareto,
            "gamma_gamma": spend,
        },
        "p_alive": {
            "bg_nbd": each(&|c| bg_m.p_alive(c))?,
            "modified_bg_nbd": each(&|c| mbg_m.p_alive(c))?,
            "pareto_nbd": each(&|c| pareto_m.p_alive(c))?,
        },
        "expected_purchases": {
            "bg_nbd": each(&|c| bg_m.expected_purchases(c, HORIZON))?,
            "modified_bg_nbd": each(&|c| mbg_m.expected_purchases(c, HORIZON))?,
            "pareto_nbd": each(&|c| pareto_m.expected_purchases(c, HORIZON))?,
        },
        "expected_average_spend": each(&|c| spend_m.expected_average_spend(c))?,
    });
    println!("{out}");
    Ok(())
}
