//! The English of the risk signals and next actions.

use std::fmt::{self, Write as _};

use crate::risk::{ActionCode as A, SignalCode as S, ValueCode as V};
use crate::text::{Arg, Args, Facts};

/// A `Number` argument to `places` decimals (`{name}` when it is missing).
struct Fixed<'a>(&'a str, Option<&'a Arg>, usize);

impl fmt::Display for Fixed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.1 {
            Some(Arg::Number(x)) => write!(f, "{x:.*}", self.2),
            Some(Arg::Count(n)) => write!(f, "{n}"),
            _ => write!(f, "{{{}}}", self.0),
        }
    }
}

fn fixed<'a>(a: &Facts<'a>, name: &'a str, places: usize) -> Fixed<'a> {
    Fixed(name, a.get(name), places)
}

/// A number of days to the day, with its noun: `47 days`, `1 day`.
fn days(a: &Facts<'_>, name: &str) -> String {
    let n = fixed(a, name, 0).to_string();
    if n == "1" {
        "1 day".to_string()
    } else {
        format!("{n} days")
    }
}

/// The purchase model's name for people.
fn model(a: &Facts<'_>) -> &'static str {
    match a.term("model") {
        Some("bg_nbd") => "BG/NBD",
        Some("modified_bg_nbd") => "modified BG/NBD",
        _ => "purchase",
    }
}

/// The sentence of a risk signal, next action or value reason.
pub(super) fn render(code: &str, args: &Args) -> Option<String> {
    if code.starts_with("risk.action.") {
        return action(A::from_code(code)?, args);
    }
    if let Some(c) = S::from_code(code) {
        return signal(c, args);
    }
    value(V::from_code(code)?, args)
}

/// The sentence of a risk signal.
fn signal(code: S, args: &Args) -> Option<String> {
    let a = Facts::of(args);
    let mut s = String::with_capacity(112);
    let _ = match code {
        S::Silence if a.int("contacts") == Some(0) => {
            let _ = write!(
                s,
                "no contact in the {} since the relationship began",
                a.count("days_silent", "day", "days")
            );
            if a.has("known_since") {
                let _ = write!(s, " on {}", a.show("known_since"));
            }
            write!(
                s,
                "; a usual gap of {} is assumed",
                days(&a, "usual_gap_days")
            )
        }
        S::Silence if a.flag("own_rhythm") => write!(
            s,
            "no contact for {}; usually every {}",
            a.count("days_silent", "day", "days"),
            days(&a, "usual_gap_days")
        ),
        S::Silence => write!(
            s,
            "no contact for {}; {} too few for a rhythm, so every {} is assumed",
            a.count("days_silent", "day", "days"),
            a.count("contacts", "contact is", "contacts are"),
            days(&a, "usual_gap_days")
        ),
        S::FallingFrequency => write!(
            s,
            "{} in the last {} against {} expected from the customer's own baseline ({} in the \
             {} before): down {} %",
            a.count("recent_contacts", "contact", "contacts"),
            a.show("recent_window"),
            fixed(&a, "expected_contacts", 1),
            a.show("baseline_contacts"),
            a.show("baseline_window"),
            a.show("drop_percent")
        ),
        S::UnhappySurvey => {
            let _ = write!(
                s,
                "{} in the last {}, the latest {} on a {}-{} scale on {}; ",
                a.count(
                    "unhappy_answers",
                    "unhappy survey answer",
                    "unhappy survey answers"
                ),
                a.show("lookback"),
                a.show("latest_score"),
                a.show("scale_min"),
                a.show("scale_max"),
                a.show("latest_on")
            );
            if a.has("conversation_on") {
                write!(s, "a conversation since on {}", a.show("conversation_on"))
            } else {
                s.write_str("no conversation with the customer since")
            }
        }
        S::UnansweredFollowUp => {
            if a.flag("at_least") {
                let _ = write!(s, "at least {} follow-up attempts", a.show("attempts"));
            } else {
                let _ = write!(
                    s,
                    "{}",
                    a.count("attempts", "follow-up attempt", "follow-up attempts")
                );
            }
            let _ = write!(s, " in the last {} without an answer; ", a.show("lookback"));
            if a.has("last_contact_on") {
                write!(
                    s,
                    "the customer was last in contact on {}",
                    a.show("last_contact_on")
                )
            } else {
                s.write_str("the customer has never been in contact")
            }
        }
        S::Neglect => write!(
            s,
            "{} overdue, the worst by {}",
            a.count(
                "overdue_obligations",
                "contact obligation",
                "contact obligations"
            ),
            a.count("worst_days_overdue", "day", "days")
        ),
        S::BrokenPromises => write!(
            s,
            "{} of {} broken",
            a.show("broken"),
            a.count("promises", "promise", "promises")
        ),
        S::SlowCallbacks => write!(
            s,
            "{} later than promised",
            a.count("slow_callbacks", "callback came", "callbacks came")
        ),
        S::HangingOrders => write!(
            s,
            "{} left hanging and {} partially complete",
            a.count("hanging", "order", "orders"),
            a.show("partially_complete")
        ),
        S::SingleThreaded => write!(
            s,
            "all {} contacts were with one person",
            a.show("contacts")
        ),
        S::NoNextService => s.write_str("no next service is planned"),
        S::LowPAlive => write!(
            s,
            "P(alive) {} by the {} model: {}, the last {} {} ago, a customer for {} {}",
            fixed(&a, "p_alive", 2),
            model(&a),
            a.count("repeat_purchases", "repeat purchase", "repeat purchases"),
            fixed(&a, "since_last_purchase", 1),
            a.show("unit"),
            fixed(&a, "customer_for", 1),
            a.show("unit")
        ),
    };
    Some(s)
}

/// The sentence of a next action.
fn action(code: A, args: &Args) -> Option<String> {
    let a = Facts::of(args);
    let s = match code {
        A::ManagerCall => "a manager calls about the unhappy answer; with no answer, leave a \
                           message and call again until spoken to in person"
            .to_string(),
        A::CallUntilReached => "call again until spoken to in person; a message left must carry \
                                value (an answer, a time), not phone tag"
            .to_string(),
        A::Visit => format!(
            "visit in person: a quiet customer with {} {} of expected value, and the referrals \
             that come with them",
            a.show("expected_value"),
            a.show("currency")
        ),
        A::Call => "call to ask how things are going: quiet customers are the likeliest to leave"
            .to_string(),
        A::CatchUpOnContact => format!(
            "catch up on the {} overdue, the oldest first",
            a.count("overdue_obligations", "touch", "touches")
        ),
        A::MakeGoodOnPromises => {
            "call about the missed promises: own them, and set a date you will keep".to_string()
        }
        A::FinishOpenOrders => {
            "finish the open orders, or tell the customer why and what happens next".to_string()
        }
        A::MeetMorePeople => {
            "meet someone besides your one contact: the owner, an assistant, the IT person"
                .to_string()
        }
        A::PlanNextService => {
            "plan the next service and agree its date with the customer".to_string()
        }
    };
    Some(s)
}

/// The sentence of a value reason.
fn value(code: V, args: &Args) -> Option<String> {
    let a = Facts::of(args);
    match code {
        V::Referrals => Some(format!(
            "referred {} worth {} {} a year, {} % of which counts",
            a.count("referrals", "customer", "customers"),
            a.show("referred_value"),
            a.show("currency"),
            a.show("referral_share_percent")
        )),
    }
}
