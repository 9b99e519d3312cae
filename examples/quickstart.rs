//! The crate on a small sample business: `cargo run --example quickstart`.
//!
//! Reads the embedded sample (a heating and air-conditioning company, its calendar,
//! six customers, their people, interactions, surveys and units; see
//! `examples/data/northwind.json`), checks it as an engine would, and prints what the
//! shared model and the business calendar can already tell a service manager.
//!
//! The four engines (orders, promises, cadence, risk) are planned; the sections below are
//! previews of the questions they will answer, computed here in a few lines each from the
//! model and the calendar. They are not the engines.

use std::collections::BTreeMap;
use std::error::Error;

use chrono::{DateTime, Days, NaiveDate, TimeDelta, Utc};
use retention::calendar::BusinessCalendar;
use retention::model::{
    self, Account, Channel, InstalledUnit, Interaction, MessageValue, Outcome, Person,
    SurveyResponse,
};
use serde::Deserialize;

/// The sample, embedded so the example needs no file at run time.
const SAMPLE: &str = include_str!("data/northwind.json");

/// The sample's shape: one business's records and the instant to evaluate them at.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Sample {
    business: String,
    now: DateTime<Utc>,
    calendar: BusinessCalendar,
    accounts: Vec<Account>,
    people: Vec<Person>,
    interactions: Vec<Interaction>,
    surveys: Vec<SurveyResponse>,
    units: Vec<InstalledUnit>,
}

/// Rule defaults from the practice (a real host reads them from its policy).
const CALLBACK_WITHIN: TimeDelta = TimeDelta::hours(8); // P1, as one business day
const TOUCH_EVERY_DAYS: i64 = 28; // C1
const LOOK_AHEAD_DAYS: i64 = 30; // C5, C6

fn main() -> Result<(), Box<dyn Error>> {
    let s: Sample = serde_json::from_str(SAMPLE)?;
    model::validate_accounts(&s.accounts)?;
    model::validate_people(&s.people)?;
    model::validate_interactions(&s.interactions)?;
    model::validate_surveys(&s.surveys)?;
    model::validate_units(&s.units)?;

    let tz = s.calendar.time_zone();
    let today = s.local_date(s.now);

    println!("{} ({})", s.business, tz);
    println!(
        "now: {}, {}; next business day {}",
        s.local(s.now),
        if s.calendar.is_open(s.now)? {
            "open"
        } else {
            "closed"
        },
        s.calendar.next_business_day(today)?.format("%a %d %b"),
    );
    println!(
        "{} accounts, {} people, {} interactions, {} surveys, {} units: all valid\n",
        s.accounts.len(),
        s.people.len(),
        s.interactions.len(),
        s.surveys.len(),
        s.units.len()
    );

    callbacks(&s)?;
    promised_calls(&s);
    last_touches(&s, today);
    unhappy(&s);
    units_due(&s, today)?;
    birthdays(&s, today);
    Ok(())
}

impl Sample {
    /// An instant in the business's own time, for people.
    fn local(&self, t: DateTime<Utc>) -> String {
        t.with_timezone(&self.calendar.time_zone())
            .format("%a %d %b %H:%M")
            .to_string()
    }

    /// The business's local date of an instant.
    fn local_date(&self, t: DateTime<Utc>) -> NaiveDate {
        t.with_timezone(&self.calendar.time_zone()).date_naive()
    }

    /// An account's name.
    fn name_of<'a>(&'a self, id: &'a model::AccountId) -> &'a str {
        self.accounts
            .iter()
            .find(|a| &a.id == id)
            .map_or(id.as_str(), |a| a.name.as_str())
    }
}

/// P1, P2: customers who reached out and have not had a reply that carried value.
fn callbacks(s: &Sample) -> Result<(), Box<dyn Error>> {
    println!("Callbacks owed (P1 within one business day; P2 tag does not count), preview:");
    let mut any = false;
    for asked in s.interactions.iter().filter(|i| {
        i.is_from_customer() && matches!(i.outcome, Outcome::LeftMessage | Outcome::Delivered)
    }) {
        let replies = s
            .interactions
            .iter()
            .filter(|r| r.account == asked.account && r.at > asked.at && !r.is_from_customer());
        let answered = replies.clone().any(Interaction::is_reply);
        if answered {
            continue;
        }
        any = true;
        let due = s
            .calendar
            .add_business_duration(asked.at, CALLBACK_WITHIN)?;
        let tries = replies.count();
        let state = if due < s.now { "OVERDUE" } else { "due" };
        println!(
            "  {:<22} {} via {} at {}: {state} {}{}",
            s.name_of(&asked.account),
            if asked.channel == Channel::Phone {
                "voicemail"
            } else {
                "request"
            },
            asked.channel,
            s.local(asked.at),
            s.local(due),
            match tries {
                0 => String::new(),
                1 => " (1 attempt without value so far)".to_string(),
                n => format!(" ({n} attempts without value so far)"),
            }
        );
    }
    if !any {
        println!("  none");
    }
    println!();
    Ok(())
}

/// P3: calls promised at a specific time in a message left for the customer.
fn promised_calls(s: &Sample) {
    println!("Calls promised in messages (P3: do what you said, when you said), preview:");
    for i in &s.interactions {
        if let Some(MessageValue::PromisedCallAt { call_at }) = &i.message_value {
            let kept = s
                .interactions
                .iter()
                .any(|r| r.account == i.account && r.at > i.at && r.is_reply());
            let state = match (kept, *call_at < s.now) {
                (true, _) => "made".to_string(),
                (false, true) => "MISSED".to_string(),
                (false, false) => {
                    let wait = *call_at - s.now;
                    format!(
                        "in {} h {:02} min",
                        wait.num_hours(),
                        wait.num_minutes() % 60
                    )
                }
            };
            println!(
                "  {:<22} call promised for {}: {state}",
                s.name_of(&i.account),
                s.local(*call_at)
            );
        }
    }
    println!();
}

/// C1: days since each account's last touch that carried value.
fn last_touches(s: &Sample, today: NaiveDate) {
    println!("Last touch per account (C1: every {TOUCH_EVERY_DAYS} days), preview:");
    let mut last: BTreeMap<&str, DateTime<Utc>> = BTreeMap::new();
    for i in s.interactions.iter().filter(|i| i.is_touch()) {
        let e = last.entry(i.account.as_str()).or_insert(i.at);
        *e = (*e).max(i.at);
    }
    for a in &s.accounts {
        match last.get(a.id.as_str()) {
            Some(at) => {
                let days = (today - s.local_date(*at)).num_days();
                let flag = if days > TOUCH_EVERY_DAYS {
                    "  <- overdue"
                } else {
                    ""
                };
                println!("  {:<22} {days:>3} days ago{flag}", s.name_of(&a.id));
            }
            None => println!("  {:<22} no touch on record  <- overdue", s.name_of(&a.id)),
        }
    }
    println!();
}

/// C7: survey answers with any hint of unhappiness call for a manager's call.
fn unhappy(s: &Sample) {
    println!("Unhappy survey answers (C7: a manager calls until spoken to), preview:");
    for r in s.surveys.iter().filter(|r| r.is_unhappy()) {
        println!(
            "  {:<22} {} on {}..{}{} at {}: {}",
            s.name_of(&r.account),
            r.score,
            r.scale.min,
            r.scale.max,
            if r.unhappy_hint {
                " with an unhappy hint"
            } else {
                ""
            },
            s.local(r.answered_at),
            r.comment.as_deref().unwrap_or("(no comment)"),
        );
    }
    println!();
}

/// C5: units whose service falls due within the look-ahead, on a business day.
fn units_due(s: &Sample, today: NaiveDate) -> Result<(), Box<dyn Error>> {
    println!("Units due for service within {LOOK_AHEAD_DAYS} days (C5), preview:");
    let horizon = today
        .checked_add_days(Days::new(LOOK_AHEAD_DAYS.unsigned_abs()))
        .ok_or("the look-ahead runs past the last date chrono knows")?;
    for u in &s.units {
        let Some(due) = u.next_service_due() else {
            continue;
        };
        if due > horizon {
            continue;
        }
        let mut visit = due.max(today);
        if !s.calendar.is_business_day(visit)? {
            visit = s.calendar.next_business_day(visit)?;
        }
        println!(
            "  {:<22} {}{}: due {}{}, book {}",
            s.name_of(&u.account),
            u.kind,
            u.label
                .as_deref()
                .map(|l| format!(" ({l})"))
                .unwrap_or_default(),
            due.format("%d %b %Y"),
            if due < today { " (past due)" } else { "" },
            visit.format("%a %d %b"),
        );
    }
    println!();
    Ok(())
}

/// C6: birthdays within the look-ahead (29 February on 28 February in common years).
fn birthdays(s: &Sample, today: NaiveDate) {
    println!("Birthdays within {LOOK_AHEAD_DAYS} days (C6: send a card), preview:");
    for p in &s.people {
        let Some(day) = p.birthday.and_then(|b| b.next_on_or_after(today)) else {
            continue;
        };
        if (day - today).num_days() <= LOOK_AHEAD_DAYS {
            println!(
                "  {:<22} {} ({}): {}",
                s.name_of(&p.account),
                p.name,
                p.role,
                day.format("%a %d %b")
            );
        }
    }
}
