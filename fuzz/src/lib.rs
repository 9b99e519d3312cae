//! Shared pieces of the fuzz targets: valid books to start from, a structure-aware
//! mutator over their JSON, and the instants and calendars the fuzzer picks.
//!
//! The engines refuse most random bytes at the first character, so the targets other
//! than `book_json` start from a valid book (a slice of the HVAC sample or a small
//! synthetic book) and let the fuzzer's bytes choose a few edits of its JSON tree: an
//! instant moved by seconds or by millennia, a date pushed to chrono's limits, an amount
//! made negative or enormous, an id swapped for another record's (duplicate and dangling
//! references), a list emptied, doubled or repeated, a field removed, set to `null` or
//! added. Each edit keeps most of the book valid, so the engines behind the checks see
//! the odd values instead of the parser refusing them.

use std::sync::OnceLock;

use arbitrary::{Result, Unstructured};
use retention::chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use retention::desk::Book;
use retention::rust_decimal::Decimal;
use retention::synthetic::{self, Spec};
use serde_json::{Map, Number, Value};

/// The instant the sample and the synthetic bases are seen at.
pub fn sample_now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0)
        .single()
        .unwrap_or(DateTime::UNIX_EPOCH)
}

/// The valid books the structured targets start from, as JSON trees, and the strings
/// found in them (ids, names, codes) for swaps.
pub struct Bases {
    pub books: Vec<Value>,
    pub strings: Vec<String>,
}

/// Built once per process: the HVAC sample cut into parts of about two accounts, four
/// small synthetic books, and a book with a calendar and nothing else.
pub fn bases() -> &'static Bases {
    static BASES: OnceLock<Bases> = OnceLock::new();
    BASES.get_or_init(|| {
        let mut books = Vec::new();
        let sample = include_str!("../../examples/data/hvac.json");
        if let Ok(book) = Book::from_json(sample) {
            for part in book.split(20) {
                if let Ok(v) = serde_json::from_str(&part.to_json()) {
                    books.push(v);
                }
            }
            let mut empty = book.clone();
            empty.accounts.clear();
            empty.people.clear();
            empty.interactions.clear();
            empty.surveys.clear();
            empty.units.clear();
            empty.orders.clear();
            empty.promises.clear();
            empty.promise_events.clear();
            empty.reviews.clear();
            if let Ok(v) = serde_json::from_str(&empty.to_json()) {
                books.push(v);
            }
        }
        for seed in 1..=4 {
            let spec = Spec::new(seed, 3)
                .at(sample_now())
                .with_checklists(seed % 2 == 0);
            if let Ok(v) = serde_json::from_str(&synthetic::book(&spec).to_json()) {
                books.push(v);
            }
        }
        assert!(!books.is_empty(), "the fuzz bases did not build");
        let mut strings = Vec::new();
        for b in &books {
            collect_strings(b, &mut strings);
        }
        strings.sort();
        strings.dedup();
        Bases { books, strings }
    })
}

fn collect_strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) if s.len() <= 40 && out.len() < 4096 => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| collect_strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| collect_strings(x, out)),
        _ => {}
    }
}

/// A base book with a few of the fuzzer's edits, as JSON text.
pub fn mutated_book(u: &mut Unstructured) -> Result<String> {
    let bases = bases();
    let mut book = u.choose(&bases.books)?.clone();
    let edits = u.int_in_range(0..=6)?;
    for _ in 0..edits {
        if u.ratio(1, 12)? {
            if let Value::Object(o) = &mut book {
                o.insert("calendar".into(), calendar_json(u)?);
            }
        } else {
            edit(&mut book, u, &bases.strings, 0)?;
        }
    }
    Ok(book.to_string())
}

/// An edited book read straight into `Book` (not through `Book::from_json`, so the
/// desk's checks do not stand between the fuzzer and an engine's own), and an instant
/// to judge it at; `None` when the edits broke the JSON's shape.
pub fn unchecked_book(u: &mut Unstructured) -> Option<(Book, DateTime<Utc>)> {
    let text = mutated_book(u).ok()?;
    let now = instant(u).ok()?;
    let book = serde_json::from_str::<Book>(&text).ok()?;
    Some((book, now))
}

/// An instant: usually near the sample's, sometimes anywhere chrono can hold, sometimes
/// at its very limits.
pub fn instant(u: &mut Unstructured) -> Result<DateTime<Utc>> {
    Ok(match u.int_in_range(0..=5)? {
        0 => sample_now(),
        1 => shift(sample_now(), u.int_in_range(-400 * 86_400..=400 * 86_400)?),
        2 => shift(sample_now(), u.arbitrary::<i32>()?.into()),
        3 => DateTime::<Utc>::MIN_UTC,
        4 => DateTime::<Utc>::MAX_UTC,
        _ => {
            let lo = DateTime::<Utc>::MIN_UTC.timestamp();
            let hi = DateTime::<Utc>::MAX_UTC.timestamp();
            DateTime::from_timestamp(u.int_in_range(lo..=hi)?, u.int_in_range(0..=999_999_999)?)
                .unwrap_or(DateTime::UNIX_EPOCH)
        }
    })
}

fn shift(t: DateTime<Utc>, secs: i64) -> DateTime<Utc> {
    TimeDelta::try_seconds(secs)
        .and_then(|d| t.checked_add_signed(d))
        .unwrap_or(t)
}

/// A calendar as JSON: a preset (one open minute a week, always open, a night shift, a
/// holiday-heavy office) or intervals the fuzzer chooses, in a zone it chooses.
pub fn calendar_json(u: &mut Unstructured) -> Result<Value> {
    const ZONES: &[&str] = &[
        "America/Chicago",
        "UTC",
        "Pacific/Kiritimati",
        "Pacific/Pago_Pago",
        "Australia/Lord_Howe",
        "Asia/Kathmandu",
        "Europe/Dublin",
        "America/Santiago",
        "Antarctica/Troll",
        "Nowhere/Atlantis",
    ];
    let zone = *u.choose(ZONES)?;
    const DAYS: &[&str] = &[
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let mut weekly = Map::new();
    match u.int_in_range(0..=3)? {
        0 => {
            // One open minute a week.
            let day = *u.choose(DAYS)?;
            let minute = u.int_in_range(0..=1438u32)?;
            weekly.insert(
                day.into(),
                serde_json::json!([{"start": hm(minute), "end": hm(minute + 1)}]),
            );
        }
        1 => {
            for d in DAYS {
                weekly.insert(
                    (*d).into(),
                    serde_json::json!([{"start": "00:00", "end": "24:00"}]),
                );
            }
        }
        2 => {
            for d in DAYS {
                weekly.insert(
                    (*d).into(),
                    serde_json::json!([{"start": "22:00", "end": "06:00"}]),
                );
            }
        }
        _ => {
            for d in DAYS {
                let mut intervals = Vec::new();
                for _ in 0..u.int_in_range(0..=3)? {
                    let a = u.int_in_range(0..=1440u32)?;
                    let b = u.int_in_range(0..=1440u32)?;
                    intervals.push(serde_json::json!({"start": hm(a), "end": hm(b)}));
                }
                if !intervals.is_empty() {
                    weekly.insert((*d).into(), Value::Array(intervals));
                }
            }
        }
    }
    let mut holidays = Vec::new();
    for _ in 0..u.int_in_range(0..=4)? {
        let date = date_near(u)?;
        holidays.push(serde_json::json!({"date": date, "name": "closed"}));
    }
    Ok(serde_json::json!({"time_zone": zone, "weekly": weekly, "holidays": holidays}))
}

fn hm(minute: u32) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

fn date_near(u: &mut Unstructured) -> Result<String> {
    let base = sample_now().date_naive();
    let days = u.int_in_range(-800..=800i64)?;
    Ok(base
        .checked_add_signed(TimeDelta::days(days))
        .unwrap_or(base)
        .to_string())
}

/// One edit somewhere in the tree: walk down a random path and change what is there.
fn edit(v: &mut Value, u: &mut Unstructured, strings: &[String], depth: u32) -> Result<()> {
    let descend = depth < 12 && u.ratio(5, 6)?;
    match v {
        Value::Object(o) if descend && !o.is_empty() => {
            let i = u.choose_index(o.len())?;
            if let Some((_, child)) = o.iter_mut().nth(i) {
                return edit(child, u, strings, depth + 1);
            }
            Ok(())
        }
        Value::Array(a) if descend && !a.is_empty() => {
            let i = u.choose_index(a.len())?;
            edit(&mut a[i], u, strings, depth + 1)
        }
        Value::Object(o) => {
            match u.int_in_range(0..=2)? {
                0 if !o.is_empty() => {
                    let i = u.choose_index(o.len())?;
                    let key = o.keys().nth(i).cloned().unwrap_or_default();
                    o.remove(&key);
                }
                1 if !o.is_empty() => {
                    let i = u.choose_index(o.len())?;
                    if let Some((_, child)) = o.iter_mut().nth(i) {
                        *child = Value::Null;
                    }
                }
                _ => {
                    let key = u.choose(strings)?.clone();
                    o.insert(key, leaf(u, strings)?);
                }
            }
            Ok(())
        }
        Value::Array(a) => {
            match u.int_in_range(0..=5)? {
                0 if !a.is_empty() => {
                    // A second copy of a record: a duplicate id.
                    let i = u.choose_index(a.len())?;
                    let copy = a[i].clone();
                    let at = u.choose_index(a.len() + 1)?;
                    a.insert(at, copy);
                }
                1 if !a.is_empty() => {
                    let i = u.choose_index(a.len())?;
                    a.remove(i);
                }
                2 => a.clear(),
                3 if a.len() > 1 => {
                    let i = u.choose_index(a.len())?;
                    let j = u.choose_index(a.len())?;
                    a.swap(i, j);
                }
                4 if !a.is_empty() && a.len() < 2000 => {
                    // Many records alike (a long run for one person, one account).
                    let i = u.choose_index(a.len())?;
                    let copy = a[i].clone();
                    let n = u.int_in_range(1..=200)?;
                    a.extend(std::iter::repeat_n(copy, n));
                }
                _ => a.push(leaf(u, strings)?),
            }
            Ok(())
        }
        Value::String(s) => {
            *v = string_edit(s, u, strings)?;
            Ok(())
        }
        Value::Number(_) => {
            *v = number(u)?;
            Ok(())
        }
        Value::Bool(b) => {
            *b = !*b;
            Ok(())
        }
        Value::Null => {
            *v = leaf(u, strings)?;
            Ok(())
        }
    }
}

fn leaf(u: &mut Unstructured, strings: &[String]) -> Result<Value> {
    Ok(match u.int_in_range(0..=4)? {
        0 => Value::Null,
        1 => Value::Bool(u.arbitrary()?),
        2 => number(u)?,
        3 => Value::String(u.arbitrary::<String>()?),
        _ => Value::String(u.choose(strings)?.clone()),
    })
}

fn number(u: &mut Unstructured) -> Result<Value> {
    Ok(match u.int_in_range(0..=9)? {
        0 => Value::from(0),
        1 => Value::from(1),
        2 => Value::from(-1),
        3 => Value::from(u32::MAX),
        4 => Value::from(u64::MAX),
        5 => Value::from(i64::MIN),
        6 => Number::from_f64(1e308).map_or(Value::Null, Value::Number),
        7 => Number::from_f64(u.arbitrary::<f64>()?).map_or(Value::Null, Value::Number),
        8 => Value::from(u.int_in_range(0..=100u32)?),
        _ => Value::from(u.arbitrary::<i64>()?),
    })
}

fn string_edit(s: &str, u: &mut Unstructured, strings: &[String]) -> Result<Value> {
    if let Ok(t) = s.parse::<DateTime<Utc>>() {
        let t = match u.int_in_range(0..=4)? {
            0 => shift(t, u.int_in_range(-90 * 86_400..=90 * 86_400)?),
            1 => shift(t, u.arbitrary()?),
            2 => DateTime::<Utc>::MIN_UTC,
            3 => DateTime::<Utc>::MAX_UTC,
            _ => shift(sample_now(), u.int_in_range(-3_600..=3_600)?),
        };
        return Ok(serde_json::to_value(t).unwrap_or(Value::Null));
    }
    if let Ok(d) = s.parse::<NaiveDate>() {
        let d = match u.int_in_range(0..=3)? {
            0 => d
                .checked_add_signed(TimeDelta::days(u.int_in_range(-400..=400)?))
                .unwrap_or(d),
            1 => NaiveDate::MIN,
            2 => NaiveDate::MAX,
            _ => NaiveDate::from_num_days_from_ce_opt(u.arbitrary()?).unwrap_or(d),
        };
        return Ok(Value::String(d.to_string()));
    }
    if let Ok(x) = s.parse::<Decimal>() {
        let x = match u.int_in_range(0..=5)? {
            0 => Decimal::ZERO,
            1 => -x,
            2 => Decimal::MAX,
            3 => Decimal::MIN,
            4 => x
                .checked_mul(Decimal::new(
                    u.int_in_range(0..=1_000_000)?,
                    u.int_in_range(0..=6)?,
                ))
                .unwrap_or(Decimal::MAX),
            _ => Decimal::new(u.arbitrary()?, u.int_in_range(0..=28)?),
        };
        return Ok(Value::String(x.to_string()));
    }
    Ok(match u.int_in_range(0..=3)? {
        0 => Value::String(String::new()),
        1 => Value::String(u.arbitrary::<String>()?),
        // Longer, but not without end: edits of the same string compound.
        2 => Value::String(s.repeat(u.int_in_range(2..=64)?.min(4096 / s.len().max(1)).max(1))),
        _ => Value::String(u.choose(strings)?.clone()),
    })
}

/// Fails the run if a float the crate reports is not finite.
pub fn assert_finite(what: &str, x: f64) {
    assert!(x.is_finite(), "{what} is not finite: {x}");
}
