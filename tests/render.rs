//! What every engine's render-from-arguments test shares (issue 15): a verdict's English
//! sentence is exactly `text::english(code, args)`, it carries no fact its arguments
//! lack, and a second, test-only form (a terse "telegraph") renders every code from its
//! arguments alone.
//!
//! Each engine's test (`render_orders`, ...) keeps a telegraph table with one template per
//! code, `{name}` for each argument, and feeds every verdict of a corpus that shows every
//! code through [`check`].

use std::collections::BTreeSet;

use retention::chrono::{DateTime, NaiveDate, Utc};
use retention::text::{Arg, Args, english};

/// The digit runs of `s` ("order o-12 was 3 days late" gives `12`, `3`).
fn digit_runs(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn date_facts(d: NaiveDate, out: &mut BTreeSet<String>) {
    for f in ["%Y-%m-%d", "%a %-d %b %Y", "%-d %b", "%-m/%-d"] {
        out.extend(digit_runs(&d.format(f).to_string()));
    }
}

fn instant_facts(
    t: DateTime<Utc>,
    zone: Option<retention::chrono_tz::Tz>,
    out: &mut BTreeSet<String>,
) {
    out.extend(digit_runs(&t.to_rfc3339()));
    date_facts(t.date_naive(), out);
    if let Some(z) = zone {
        let local = t.with_timezone(&z);
        out.extend(digit_runs(
            &local.format("%Y-%m-%d %H:%M %a %-d %b").to_string(),
        ));
        out.extend(digit_runs(&local.format("%Z").to_string()));
    }
    out.extend(digit_runs(&t.format("%H:%M").to_string()));
}

fn seconds_facts(secs: i64, out: &mut BTreeSet<String>) {
    let s = secs.unsigned_abs();
    for n in [
        s / 86_400,
        s % 86_400 / 3_600,
        s % 3_600 / 60,
        s % 60,
        s / 3_600,
        s / 60,
        s,
        s / 604_800,
    ] {
        out.insert(n.to_string());
    }
}

fn number_facts(x: f64, out: &mut BTreeSet<String>) {
    for scale in [1.0, 100.0] {
        for places in 0..=6 {
            out.extend(digit_runs(&format!("{:.*}", places, x * scale)));
        }
    }
    out.extend(digit_runs(&format!("{x}")));
}

fn arg_facts(arg: &Arg, zone: Option<retention::chrono_tz::Tz>, out: &mut BTreeSet<String>) {
    match arg {
        Arg::Instant(t) => instant_facts(*t, zone, out),
        Arg::Date(d) => date_facts(*d, out),
        Arg::Duration(d) => seconds_facts(d.num_seconds(), out),
        Arg::Count(n) => {
            out.insert(n.unsigned_abs().to_string());
        }
        Arg::Number(x) => number_facts(*x, out),
        Arg::Amount(a) => {
            out.extend(digit_runs(&a.to_string()));
            out.extend(digit_runs(&a.round_dp(2).to_string()));
            out.extend(digit_runs(&a.round_dp(0).to_string()));
        }
        Arg::Span(s) => out.extend(digit_runs(&s.to_string())),
        Arg::List(v) => {
            out.insert(v.len().to_string());
            for a in v {
                arg_facts(a, zone, out);
            }
        }
        other => {
            // Ids, names, terms, rules, channels, zones, text: their own digits.
            let json = serde_json::to_string(other).unwrap_or_default();
            out.extend(digit_runs(&json));
        }
    }
}

/// Every digit run the arguments can account for, in any of the forms the English uses.
fn facts(args: &Args) -> BTreeSet<String> {
    let zone = args.get("zone").and_then(Arg::as_zone);
    let mut out = BTreeSet::new();
    for (_, arg) in args.iter() {
        arg_facts(arg, zone, &mut out);
    }
    out
}

/// `template` with each `{name}` replaced by that argument's JSON; an error names an
/// argument the template asks for and `args` lacks. `{name?}` may be absent.
pub(crate) fn telegraph(template: &str, args: &Args) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..]
            .find('}')
            .ok_or_else(|| format!("unclosed placeholder in {template:?}"))?
            + open;
        let name = &rest[open + 1..close];
        let (name, optional) = match name.strip_suffix('?') {
            Some(n) => (n, true),
            None => (name, false),
        };
        match args.get(name) {
            Some(arg) => out.push_str(&serde_json::to_string(arg).map_err(|e| e.to_string())?),
            None if optional => out.push('-'),
            None => {
                return Err(format!(
                    "the telegraph {template:?} needs `{name}`, absent from {args:?}"
                ));
            }
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The three checks for one verdict: its sentence is `english(code, args)`, has no
/// unfilled `{placeholder}`, carries no digit its arguments lack; and the code's telegraph
/// renders from the arguments alone.
pub(crate) fn check(
    code: &str,
    args: &Args,
    sentence: &str,
    table: &[(&str, &str)],
) -> Result<(), String> {
    let english = english(code, args).ok_or_else(|| format!("no English for `{code}`"))?;
    if english != sentence {
        return Err(format!(
            "`{code}`: the sentence is not its arguments' English\n  sentence: {sentence}\n  english:  {english}"
        ));
    }
    if sentence.contains('{') {
        return Err(format!("`{code}`: an argument is missing: {sentence}"));
    }
    let known = facts(args);
    for run in digit_runs(sentence) {
        if !known.contains(&run) {
            return Err(format!(
                "`{code}`: the sentence says {run}, which none of its arguments holds\n  sentence: {sentence}\n  args: {}",
                serde_json::to_string(args).unwrap_or_default()
            ));
        }
    }
    let template = table
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, t)| *t)
        .ok_or_else(|| format!("no telegraph for `{code}`"))?;
    telegraph(template, args)?;
    Ok(())
}

/// Every code in `all` has a telegraph, and the table no code it lacks.
pub(crate) fn table_covers(all: &[&str], table: &[(&str, &str)]) -> Result<(), String> {
    for code in all {
        if !table.iter().any(|(c, _)| c == code) {
            return Err(format!("no telegraph for `{code}`"));
        }
    }
    for (c, _) in table {
        if !all.contains(c) {
            return Err(format!("a telegraph for `{c}`, which is not a code"));
        }
    }
    Ok(())
}

#[test]
fn the_check_catches_a_fact_the_arguments_lack_and_a_missing_telegraph_argument() {
    let args = Args::new()
        .with("order", Arg::id("o-1"))
        .with("from", Arg::term("completed"))
        .with("to", Arg::term("scheduled"));
    let table = [(
        "lifecycle.transition_not_allowed",
        "{order}: {from} -> {to}",
    )];
    let code = "lifecycle.transition_not_allowed";
    check(
        code,
        &args,
        "an order that is completed cannot move to scheduled",
        &table,
    )
    .unwrap();
    // A sentence that is not the arguments' English, or says a number they lack.
    assert!(
        check(
            code,
            &args,
            "an order that is completed cannot move to scheduled (2 tries)",
            &table
        )
        .is_err()
    );
    assert!(
        check(
            code,
            &args,
            "an order that is completed cannot move to scheduled",
            &[(code, "{order} {missing}")]
        )
        .is_err()
    );
    assert!(
        check(
            code,
            &args,
            "an order that is completed cannot move to scheduled",
            &[]
        )
        .is_err()
    );
    let mut fewer = args.clone();
    fewer = fewer.with("to", Arg::Count(7));
    let e = check(
        code,
        &fewer,
        "an order that is completed cannot move to scheduled",
        &table,
    );
    assert!(e.is_err(), "{e:?}");
    assert_eq!(digit_runs("o-12 took 3 days, 4:05"), ["12", "3", "4", "05"]);
    assert!(table_covers(&[code], &table).is_ok());
    assert!(table_covers(&[code, "lifecycle.other"], &table).is_err());
    assert!(table_covers(&[], &table).is_err());
}
