//! The daily agenda of a service business: `cargo run --example quickstart`.
//!
//! With no arguments, reads the embedded sample (`examples/data/hvac.json`: Prairie
//! Comfort Heating & Air, a fictional heating and air-conditioning company of about 40
//! customers in Chicago) and prints what its service manager should do on Tuesday
//! 24 November 2026 at 09:00: touches due today per rep, orders blocked or left hanging,
//! promises due, overdue or broken, customers at risk by value at risk with reasons and
//! next actions, and what technicians saw that sales can offer.
//!
//! ```text
//! cargo run --example quickstart                         # the sample, readable
//! cargo run --example quickstart -- --json               # the sample's agenda as JSON
//! cargo run --example quickstart -- path/to/book.json    # another book, now
//! cargo run --example quickstart -- book.json --now 2026-11-24T15:00:00Z
//! cargo run --release --example quickstart -- --synthetic 100000 [--seed 7]
//! ```
//!
//! A book is the crate's JSON contract (`retention::desk::Book`); the agenda printed with
//! `--json` is `retention::desk::Agenda`. The library itself never reads a file or the
//! clock: this example does both on its behalf.
// It reports how long a synthetic book took (clippy.toml keeps the clock out of the
// library and its tests).
#![allow(clippy::disallowed_methods)]

use std::collections::HashMap;
use std::error::Error;
use std::fmt::Write as _;
use std::process::ExitCode;
use std::time::Instant;

use chrono::{DateTime, TimeZone, Utc};
use chrono_tz::Tz;
use retention::desk::{Agenda, Book, PurchaseModelUsed};
use retention::synthetic;

/// The sample, embedded so the first command needs no file.
const SAMPLE: &str = include_str!("data/hvac.json");

/// The sample's morning: Tuesday 24 November 2026, 09:00 in Chicago.
fn sample_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

/// What the command line asked for.
struct Args {
    json: bool,
    path: Option<String>,
    now: Option<DateTime<Utc>>,
    synthetic: Option<usize>,
    seed: u64,
}

fn args() -> Result<Args, Box<dyn Error>> {
    let mut out = Args {
        json: false,
        path: None,
        now: None,
        synthetic: None,
        seed: 1,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--json" => out.json = true,
            "--now" => {
                let v = it.next().ok_or("--now needs an RFC 3339 instant")?;
                out.now = Some(DateTime::parse_from_rfc3339(&v)?.with_timezone(&Utc));
            }
            "--synthetic" => {
                let v = it.next().ok_or("--synthetic needs a number of accounts")?;
                out.synthetic = Some(v.parse()?);
            }
            "--seed" => out.seed = it.next().ok_or("--seed needs a number")?.parse()?,
            "-h" | "--help" => {
                println!(
                    "usage: quickstart [BOOK.json] [--now RFC3339] [--json] [--synthetic N [--seed S]]"
                );
                std::process::exit(0);
            }
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}").into()),
            path => out.path = Some(path.to_string()),
        }
    }
    Ok(out)
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn Error>> {
    let args = args()?;
    let started = Instant::now();
    let (book, now) = match (&args.path, args.synthetic) {
        (Some(path), _) => {
            let text = std::fs::read_to_string(path)?;
            let book = Book::from_json(&text).map_err(|e| {
                // Every problem, not just the first.
                let mut all = format!("{path}: the book was rejected:");
                for p in e.problems() {
                    let _ = write!(all, "\n  {p}");
                }
                all
            })?;
            (
                book,
                args.now
                    .unwrap_or_else(|| std::time::SystemTime::now().into()),
            )
        }
        (None, Some(accounts)) => {
            let now = args.now.unwrap_or_else(sample_now);
            (
                synthetic::book(&synthetic::Spec::new(args.seed, accounts).at(now)),
                now,
            )
        }
        (None, None) => (
            Book::from_json(SAMPLE)?,
            args.now.unwrap_or_else(sample_now),
        ),
    };
    let read = started.elapsed();
    let started = Instant::now();
    let agenda = book.agenda(now)?;
    let ran = started.elapsed();

    if args.json {
        println!("{}", agenda.to_json_pretty());
        return Ok(());
    }
    // A synthetic book is large: print the head of each list.
    let limit = if args.synthetic.is_some() {
        8
    } else {
        usize::MAX
    };
    print!("{}", Readable::new(&book, &agenda, limit));
    if args.synthetic.is_some() {
        println!(
            "\n(book built in {:.2} s, agenda in {:.2} s; a release build is much faster than a debug one)",
            read.as_secs_f64(),
            ran.as_secs_f64()
        );
    }
    Ok(())
}

/// The agenda written for a service manager.
struct Readable<'a> {
    agenda: &'a Agenda,
    zone: Tz,
    accounts: HashMap<&'a str, &'a str>,
    limit: usize,
}

impl<'a> Readable<'a> {
    fn new(book: &'a Book, agenda: &'a Agenda, limit: usize) -> Readable<'a> {
        Readable {
            agenda,
            zone: book.calendar.time_zone(),
            accounts: book
                .accounts
                .iter()
                .map(|a| (a.id.as_str(), a.name.as_str()))
                .collect(),
            limit,
        }
    }

    fn name<'s>(&'s self, account: &'s str) -> &'s str {
        self.accounts.get(account).copied().unwrap_or(account)
    }

    fn local(&self, t: DateTime<Utc>) -> String {
        t.with_timezone(&self.zone)
            .format("%a %d %b %H:%M")
            .to_string()
    }

    /// "... and 12 more" when a list is cut.
    fn more(&self, f: &mut std::fmt::Formatter<'_>, shown: usize, all: usize) -> std::fmt::Result {
        if all > shown {
            writeln!(f, "    ... and {} more", all - shown)?;
        }
        Ok(())
    }
}

impl std::fmt::Display for Readable<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let a = self.agenda;
        writeln!(
            f,
            "{}: the agenda for {} ({})",
            a.business.as_deref().unwrap_or("The business"),
            self.local(a.now),
            self.zone
        )?;
        writeln!(f, "Read {}.", a.read)?;

        let touches: usize = a.touches.iter().map(|g| g.items.len()).sum();
        writeln!(
            f,
            "\nTOUCHES TODAY (C1-C9, K1): {touches}, and {} planned for later days",
            a.touches_later
        )?;
        for group in &a.touches {
            let rep = group.rep.as_ref().map_or("no rep", |r| r.as_str());
            writeln!(f, "  {rep} ({})", group.items.len())?;
            for item in group.items.iter().take(self.limit) {
                // The item's own line, then its reasons: one obligation each.
                writeln!(f, "    - {}", item.sentence)?;
                for reason in &item.obligations {
                    writeln!(f, "        {} ({})", reason.sentence, reason.rule)?;
                }
            }
            self.more(f, group.items.len().min(self.limit), group.items.len())?;
        }
        for later in a.later.iter().take(self.limit) {
            let rep = later.rep.as_ref().map_or("no rep", |r| r.as_str());
            writeln!(f, "  later: {} {rep} {}", later.planned_on, later.key)?;
        }
        self.more(f, a.later.len().min(self.limit), a.later.len())?;
        for note in a.cadence_notes.iter().take(self.limit) {
            writeln!(f, "  note: {}", note.sentence)?;
        }
        self.more(
            f,
            a.cadence_notes.len().min(self.limit),
            a.cadence_notes.len(),
        )?;

        writeln!(f, "\nORDERS THAT NEED SOMEONE (O1-O9): {}", a.orders.len())?;
        for line in a.orders.iter().take(self.limit) {
            let r = &line.report;
            writeln!(
                f,
                "  {} at {}: {}, {}{}",
                r.order,
                self.name(line.account.as_str()),
                r.stage.to_string().replace('_', " "),
                r.progress,
                if r.allowed { "" } else { ", blocked" }
            )?;
            for finding in &r.findings {
                writeln!(
                    f,
                    "      {:<7} {} ({}): {}",
                    finding.severity.to_string(),
                    finding.code,
                    finding.rule,
                    finding.sentence
                )?;
            }
        }
        self.more(f, a.orders.len().min(self.limit), a.orders.len())?;

        let p = &a.promises;
        writeln!(
            f,
            "\nPROMISES (P1-P6): {} overdue, {} due soon, {} broken, {} changed by the customer",
            p.overdue.len(),
            p.due_soon.len(),
            p.broken.len(),
            p.changed.len()
        )?;
        for (label, list) in [
            ("overdue", &p.overdue),
            ("due soon", &p.due_soon),
            ("broken", &p.broken),
            ("changed", &p.changed),
        ] {
            for line in list.iter().take(self.limit) {
                writeln!(
                    f,
                    "  {label:<9} {}: {}",
                    self.name(line.account.as_str()),
                    line.verdict.sentence()
                )?;
            }
            self.more(f, list.len().min(self.limit), list.len())?;
        }
        for chain in p.tag_chains.iter().take(self.limit) {
            writeln!(
                f,
                "  phone tag {}: {}",
                self.name(chain.account.as_str()),
                chain.sentence
            )?;
        }
        let b = &p.business;
        writeln!(
            f,
            "  record: {} promises, {} kept, {} broken, {} open; {} callbacks, {} over the limit",
            b.promises, b.kept, b.broken, b.open, b.callbacks, b.callbacks_over_limit
        )?;

        let bands = &a.risk_bands;
        writeln!(
            f,
            "\nCUSTOMERS AT RISK (K1-K6), by value at risk: {} critical, {} at risk, {} to watch, {} healthy",
            bands.critical, bands.at_risk, bands.watch, bands.healthy
        )?;
        match &a.purchase_model {
            PurchaseModelUsed::Fitted { customers, .. } => writeln!(
                f,
                "  (P(alive), K4: a purchase model fitted on {customers} customers' orders)"
            )?,
            PurchaseModelUsed::Given { .. } => {
                writeln!(f, "  (P(alive), K4: the purchase model the policy gives)")?;
            }
            PurchaseModelUsed::NotFitted { reason, .. } => {
                writeln!(f, "  (no P(alive), K4: {reason})")?;
            }
            _ => {}
        }
        for r in a.at_risk.iter().take(self.limit) {
            let value = r.value_at_risk.map_or("value unknown".to_string(), |v| {
                format!("{} {} at risk", v.amount, v.currency)
            });
            writeln!(
                f,
                "  {}: score {}, {}, {value}",
                self.name(r.account.as_str()),
                r.score,
                r.band
            )?;
            for s in r.signals.iter().filter(|s| s.contribution > 0).take(4) {
                writeln!(
                    f,
                    "      +{:<3} {} ({})",
                    s.contribution, s.sentence, s.rule
                )?;
            }
            if let Some(action) = r.actions.first() {
                writeln!(f, "      next: {}", action.sentence)?;
            }
        }
        self.more(f, a.at_risk.len().min(self.limit), a.at_risk.len())?;

        writeln!(
            f,
            "\nOPPORTUNITIES FOR SALES (O7): {}",
            a.opportunities.len()
        )?;
        for o in a.opportunities.iter().take(self.limit) {
            let value = o
                .estimated_value
                .map(|v| format!(", about {} {}", v.amount, v.currency))
                .unwrap_or_default();
            writeln!(
                f,
                "  {} ({}, {}): {}{value}",
                self.name(o.account.as_str()),
                o.category,
                o.order,
                o.note
            )?;
        }
        self.more(
            f,
            a.opportunities.len().min(self.limit),
            a.opportunities.len(),
        )?;
        Ok(())
    }
}
