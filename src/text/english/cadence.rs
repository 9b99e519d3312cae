//! The English of the contact cadence: each obligation's reason, each explanation, and
//! each due item's own line (`cadence.due_item`). The arguments of every code are listed
//! in the cadence module's code tables.

use std::fmt::Write as _;

use crate::cadence::{ExplanationCode as E, ObligationCode as K};
use crate::model::Channel;
use crate::text::{Arg, Args, Facts};

/// The sentence of an obligation: one reason, with its numbers.
pub(super) fn obligation(kind: K, args: &Args) -> Option<String> {
    let a = Facts::of(args);
    let mut s = String::with_capacity(160);
    let _ = match kind {
        K::Touch => write!(
            s,
            "last touch {}; a touch is due every {}, so by {}",
            last(&a, "last_touch", "(no touch on record since ", true),
            a.every_span("every"),
            a.show("due")
        ),
        K::QuietTouch => {
            let _ = write!(s, "{} has said nothing ", a.show("account"));
            let _ = if a.has("last_word") {
                write!(s, "since {}", a.show("last_word"))
            } else {
                write!(s, "on record")
            };
            let _ = write!(
                s,
                " ({}; quiet after {}): touch every {}, ",
                a.count("silent_days", "day", "days"),
                a.count("quiet_after_days", "day", "days"),
                a.every("every_days", "day", "days"),
            );
            let _ = if a.flag("fallback") {
                write!(
                    s,
                    "on any channel they allow (rung {} of {}, {}, is barred)",
                    a.show("rung"),
                    a.show("rungs"),
                    a.show("channel")
                )
            } else {
                write!(
                    s,
                    "now by {} (rung {} of {})",
                    a.show("channel"),
                    a.show("rung"),
                    a.show("rungs")
                )
            };
            if a.has("last_touch") {
                write!(s, "; last touch on {}", a.show("last_touch"))
            } else if a.has("records_began") && a.has("last_word") {
                write!(s, "; no touch on record since {}", a.show("records_began"))
            } else if a.has("records_began") {
                write!(s, "; no touch on record")
            } else {
                write!(s, "; never touched")
            }
        }
        K::FaceToFace => {
            let _ = write!(
                s,
                "last face-to-face meeting {}; a visit is due every {}",
                last(&a, "last_visit", "(no visit on record since ", true),
                a.every_span("every"),
            );
            if a.has("monthly_until") {
                let _ = write!(s, " until {}", a.show("monthly_until"));
            }
            write!(s, ", so by {}", a.show("due"))
        }
        K::KeyPerson => write!(
            s,
            "{} ({}) is a key contact, last touched {}; each key person is due every {}, so by {}",
            a.show("person"),
            a.show("role"),
            last(&a, "last_touch", "(none on record since ", false),
            a.every_span("every"),
            a.show("due")
        ),
        K::KeyRoleMissing => write!(
            s,
            "only {} of the {} key roles wanted each quarter {} touched since {}; {} ({}) is the next role",
            a.show("touched_roles"),
            a.show("min_roles"),
            if a.int("touched_roles") == Some(1) {
                "has been"
            } else {
                "have been"
            },
            a.show("quarter_from"),
            a.show("person"),
            a.show("role")
        ),
        K::FollowUpCall => write!(
            s,
            "order {} was completed on {}; the follow-up call is due within {}, by {}",
            a.show("order"),
            a.show("completed_on"),
            a.show("within"),
            a.show("due")
        ),
        K::RecordReview => write!(
            s,
            "last record review {}; reviews fall every {} from {}, the next by {}",
            last(&a, "last_review", "(none on record since ", false),
            a.every_span("every"),
            a.show("customer_since"),
            a.show("due")
        ),
        K::MaintenanceReminder => {
            let _ = write!(s, "{} ", a.show("unit_kind"));
            let _ = if a.has("unit_label") {
                write!(s, "{}", a.show("unit_label"))
            } else {
                write!(s, "{}", a.show("unit"))
            };
            let _ = write!(s, " is due for service on {} (serviced ", a.show("due"));
            let _ = if a.has("last_serviced") {
                write!(s, "last {}", a.show("last_serviced"))
            } else {
                write!(s, "installed {}", a.show("installed_on"))
            };
            let _ = if a.has("service_every_days") {
                write!(
                    s,
                    ", every {}",
                    a.every("service_every_days", "day", "days")
                )
            } else {
                write!(
                    s,
                    ", every {}",
                    a.every("service_every_months", "month", "months")
                )
            };
            write!(s, "); remind the customer from {}", a.show("window_from"))
        }
        K::BirthdayNote => write!(
            s,
            "{}'s birthday is on {}{}; a note may go from {}",
            a.show("person"),
            a.show("due"),
            if a.flag("leap_day") {
                " (a leap day, placed by the leap-day rule)"
            } else {
                ""
            },
            a.show("window_from")
        ),
        K::ThankYouNote => write!(
            s,
            "order {} on {} was the account's first: a thank-you note is due within {}, by {} (it lapses after)",
            a.show("order"),
            a.show("completed_on"),
            a.show("within"),
            a.show("due")
        ),
        K::RecoveryCall => {
            let _ = write!(
                s,
                "survey {} on {} scored {} of {}{}",
                a.show("survey"),
                a.show("answered_on"),
                a.show("score"),
                a.show("scale_max"),
                if a.flag("unhappy_hint") {
                    " with a hint of unhappiness"
                } else {
                    ""
                }
            );
            if a.has("last_attempt") {
                write!(
                    s,
                    "; the last attempt on {} did not reach anyone, so a manager calls again {} later",
                    a.show("last_attempt"),
                    a.show("retry_every")
                )
            } else {
                write!(s, ": a manager calls until spoken to; no call yet")
            }
        }
        K::PlanNextService => write!(
            s,
            "order {} was completed on {} with no next service planned; plan it within {}, by {}",
            a.show("order"),
            a.show("completed_on"),
            a.show("within"),
            a.show("due")
        ),
        K::Discovery => {
            if a.has("asked_on") {
                write!(
                    s,
                    "what {} wants from its business was last asked on {}; ask again every {} (goals, frustrations, next objective), by {}",
                    a.show("account"),
                    a.show("asked_on"),
                    a.every_span("every"),
                    a.show("due")
                )
            } else {
                write!(
                    s,
                    "nobody has asked {} about its business (why it started, what frustrates it, its next objective); have that conversation by {}",
                    a.show("account"),
                    a.show("due")
                )
            }
        }
    };
    Some(s)
}

/// The sentence of an explanation.
pub(super) fn explanation(code: E, args: &Args) -> Option<String> {
    let a = Facts::of(args);
    let obligation = a.term("obligation").and_then(K::from_code);
    let mut s = String::with_capacity(160);
    let _ = match code {
        E::NotDue => write!(
            s,
            "{}: due by {}; its window opens on {}, after the plan's last day {}",
            code_of(&a),
            a.show("due"),
            a.show("window_from"),
            a.show("through")
        ),
        E::Satisfied => satisfied(&mut s, &a, obligation),
        E::DoNotContact => {
            let _ = write!(s, "{} is suppressed: ", code_of(&a));
            let some = matches!(a.get("channels"), Some(Arg::List(v)) if !v.is_empty());
            let _ = match (a.has("person"), some) {
                (true, true) => write!(
                    s,
                    "{} may be contacted on none of {}",
                    a.show("person"),
                    a.show("channels")
                ),
                (true, false) => write!(s, "{} may be contacted on no channel", a.show("person")),
                (false, true) => write!(
                    s,
                    "nobody at {} may be contacted on {}",
                    a.show("account"),
                    a.show("channels")
                ),
                (false, false) => write!(
                    s,
                    "nobody at {} may be contacted on any channel",
                    a.show("account")
                ),
            };
            write!(s, "; the obligation was due by {}", a.show("due"))
        }
        E::Deferred => {
            let items = a.int("items").unwrap_or(0);
            let _ = write!(
                s,
                "{} of {} ({}) find{} no day through {}: {}",
                a.count("items", "item", "items"),
                a.show("account"),
                a.show("rule"),
                if items == 1 { "s" } else { "" },
                a.show("through"),
                limit_words(a.term("limit")),
            );
            let _ = match a.term("limit") {
                Some("daily_capacity") => write!(s, " ({} a day)", a.show("daily_capacity")),
                Some("weekly_cap_per_person") => {
                    write!(s, " ({} a week)", a.show("per_person_per_week"))
                }
                Some("weekly_cap_per_account") => {
                    write!(s, " ({} a week)", a.show("per_account_per_week"))
                }
                Some("min_gap") => {
                    write!(s, " ({})", a.count("min_gap_days", "day", "days"))
                }
                _ => Ok(()),
            };
            s.push_str(" leaves no room; ");
            let _ = if a.int("overdue").unwrap_or(0) > 0 {
                write!(
                    s,
                    "{} overdue, the worst by {}",
                    a.show("overdue"),
                    a.count("worst_days_overdue", "day", "days")
                )
            } else {
                write!(s, "the earliest is due by {}", a.show("earliest_due"))
            };
            write!(
                s,
                "; {} owed",
                if items == 1 { "it stays" } else { "they stay" }
            )
        }
        E::TooFewKeyPeople => {
            let _ = write!(
                s,
                "{} has {} on file (",
                a.show("account"),
                a.count("roles", "key role", "key roles")
            );
            let _ = match a.get("roles") {
                Some(Arg::List(v)) if !v.is_empty() => write!(s, "{}", a.show("roles")),
                _ => write!(s, "none"),
            };
            write!(
                s,
                "); the practice asks for relationships with at least {}: mark more people as key contacts",
                a.show("min_roles")
            )
        }
        E::Missed => {
            if a.has("limit") {
                let _ = write!(
                    s,
                    "due by {}, a day it cannot move past, but {}",
                    a.show("due"),
                    limit_words(a.term("limit"))
                );
                if a.term("limit") == Some("daily_capacity") {
                    let _ = write!(s, " ({} a day)", a.show("daily_capacity"));
                }
                write!(
                    s,
                    " leaves no day for it: it will be missed unless done outside the plan"
                )
            } else {
                match obligation {
                    Some(K::ThankYouNote) => write!(
                        s,
                        "the thank-you note for order {} on {}, the account's first, was not sent by the end of its {} window on {}: it is missed, not owed",
                        a.show("order"),
                        a.show("completed_on"),
                        a.show("within"),
                        a.show("due")
                    ),
                    _ => write!(
                        s,
                        "{}'s birthday on {} went by without a note: it is missed, not owed",
                        a.show("person"),
                        a.show("due")
                    ),
                }
            }
        }
        E::Moved => write!(
            s,
            "{}, due by {}, could go on {}; {} moved it to {}",
            a.show("item"),
            a.show("due"),
            a.show("could_go_on"),
            limit_words(a.term("limit")),
            a.show("moved_to")
        ),
    };
    Some(s)
}

/// A due item's own line: whom to reach, how, by when, and how many reasons (each reason
/// is one of its obligations' sentences).
pub(super) fn due_item(args: &Args) -> Option<String> {
    let a = Facts::of(args);
    let mut s = String::with_capacity(160);
    let channel = match a.get("channel") {
        Some(Arg::Channel(c)) => Some(*c),
        _ => None,
    };
    match channel {
        Some(c) => {
            s.push_str(verb(c));
            s.push(' ');
        }
        None => s.push_str("Internal work for "),
    }
    let _ = if a.has("person") {
        write!(
            s,
            "{} ({}) at {}",
            a.show("person"),
            a.show("role"),
            a.show("account")
        )
    } else {
        write!(s, "{}", a.show("account"))
    };
    let _ = write!(s, " by {}", a.show("due"));
    if a.int("days_overdue").unwrap_or(0) > 0 {
        let _ = write!(s, " ({} overdue)", a.count("days_overdue", "day", "days"));
    }
    let _ = if a.has("contact_from") {
        write!(s, ", from {}", a.show("contact_from"))
    } else {
        write!(s, ", on {}", a.show("planned_on"))
    };
    let _ = write!(
        s,
        ": {} ({})",
        a.count("reasons", "reason", "reasons"),
        a.show("rules")
    );
    Some(s)
}

/// What a satisfied obligation's note says, by the obligation it is about.
fn satisfied(s: &mut String, a: &Facts<'_>, obligation: Option<K>) -> std::fmt::Result {
    match obligation {
        Some(K::Touch) => write!(
            s,
            "last touch {}; the next is due by {}",
            on_or_never(a, "last_touch"),
            a.show("due")
        ),
        Some(K::FollowUpCall) => write!(
            s,
            "order {} was followed up by a call or visit {}",
            a.show("order"),
            on_or_never(a, "called_on")
        ),
        Some(K::ThankYouNote) => {
            write!(
                s,
                "a note went out after the first order {}",
                a.show("order")
            )
        }
        Some(K::PlanNextService) if a.has("next_service_on") => write!(
            s,
            "after order {} the next service is planned for {}",
            a.show("order"),
            a.show("next_service_on")
        ),
        Some(K::PlanNextService) => write!(
            s,
            "after order {} the customer was asked and needs no next service",
            a.show("order")
        ),
        Some(K::MaintenanceReminder) => write!(
            s,
            "the customer was reached {} inside the reminder window for {}",
            on_or_never(a, "reached_on"),
            a.show("unit")
        ),
        Some(K::BirthdayNote) => write!(
            s,
            "{} got a note {} for their birthday on {}",
            a.show("person"),
            on_or_never(a, "written_on"),
            a.show("due")
        ),
        Some(K::RecoveryCall) => write!(
            s,
            "after survey {} a conversation took place {}",
            a.show("survey"),
            on_or_never(a, "conversation_on")
        ),
        _ => write!(s, "{} was met", code_of(a)),
    }
}

/// The obligation's code, as written (`cadence.touch_due`).
fn code_of<'a>(a: &Facts<'a>) -> &'a str {
    a.term("obligation").unwrap_or("{obligation}")
}

/// `on 2026-11-24`, or `never` when the date is absent.
fn on_or_never(a: &Facts<'_>, name: &'static str) -> String {
    if a.has(name) {
        let mut s = String::from("on ");
        let _ = write!(s, "{}", a.show(name));
        s
    } else {
        "never".to_string()
    }
}

/// The last occurrence of something: `on 2026-11-24`; else, when the records begin after
/// the relationship, `on_record` and their start (`(no visit on record since
/// 2025-11-24)`); else `never`, with the customer's start when `since` is asked for.
fn last(a: &Facts<'_>, name: &'static str, on_record: &str, since: bool) -> String {
    let mut s = String::with_capacity(48);
    let _ = if a.has(name) {
        write!(s, "on {}", a.show(name))
    } else if a.has("records_began") {
        write!(s, "{on_record}{})", a.show("records_began"))
    } else if since {
        write!(s, "never (customer since {})", a.show("customer_since"))
    } else {
        write!(s, "never")
    };
    s
}

/// A levelling limit in words, from its JSON name.
fn limit_words(limit: Option<&str>) -> &'static str {
    use crate::cadence::Limit as L;
    [
        L::BusinessCalendar,
        L::DailyCapacity,
        L::WeeklyCapPerPerson,
        L::MinGap,
        L::WeeklyCapPerAccount,
    ]
    .into_iter()
    .find(|l| Some(l.as_str()) == limit)
    .map_or("a limit", |l| l.as_words())
}

/// The verb for reaching someone on a channel.
fn verb(c: Channel) -> &'static str {
    match c {
        Channel::Phone => "Call",
        Channel::Email => "Email",
        Channel::Letter => "Write to",
        Channel::Newsletter => "Send the newsletter to",
        Channel::Sms => "Text",
        Channel::Visit => "Visit",
        Channel::Portal => "Message",
    }
}
