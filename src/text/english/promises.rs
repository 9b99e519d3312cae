//! The English of the promise ledger: a promise's verdict, a chain of phone tag, and the
//! over-delivery judgement of a summary.

use std::fmt::Write as _;

use crate::promises::VerdictCode as C;
use crate::text::{Args, Facts};

/// The sentence of a promise code.
pub(super) fn verdict(code: C, args: &Args) -> Option<String> {
    let a = Facts::of(args);
    let mut s = String::with_capacity(192);
    match code {
        C::TagChain => {
            tag_chain(&a, &mut s);
            return Some(s);
        }
        C::NeverExceeds | C::ExceedsOnOccasion | C::AlwaysExceeds => {
            expectations(code, &a, &mut s);
            return Some(s);
        }
        _ => {}
    }
    what(&a, &mut s);
    let clock = match a.term("clock") {
        Some("calendar") => "wall-clock time",
        _ => "working time",
    };
    let _ = match code {
        C::OnTrack | C::DueSoon if a.has("opens") => write!(
            s,
            " is open: the window opens {} and closes {}",
            a.show("opens"),
            a.show("due")
        ),
        C::OnTrack | C::DueSoon => write!(
            s,
            " is open, due {}: {} of {} of {clock} used",
            a.show("due"),
            a.show("used"),
            a.show("length")
        ),
        C::Overdue => write!(
            s,
            " is {} overdue (due {}), grace until {}",
            a.show("late_by"),
            a.show("due"),
            a.show("grace_until")
        ),
        C::KeptEarly | C::KeptOnTime | C::Renegotiated => {
            let how = match code {
                C::KeptEarly => " early",
                C::Renegotiated => " by its new due time",
                _ => " on time",
            };
            if a.has("used") {
                write!(
                    s,
                    " was kept{how}: {} of {} of {clock} used",
                    a.show("used"),
                    a.show("length")
                )
            } else {
                // An arrival window: the time since booking is not part of keeping it.
                write!(s, " was kept{how}")
            }
        }
        C::LateWithinGrace => write!(
            s,
            " was delivered {} late, within its grace (until {})",
            a.show("late_by"),
            a.show("grace_until")
        ),
        C::RenegotiatedLate => write!(
            s,
            " was renegotiated after it fell due ({}), not before",
            a.show("due")
        ),
        C::Cancelled => write!(s, " was cancelled by the customer before it failed"),
        C::UnderDelivered => write!(s, " delivered less than promised"),
        C::AsPromised => write!(s, " delivered what was promised"),
        C::OverDelivered => write!(s, " delivered more than promised"),
        C::Broken if a.flag("open") => write!(
            s,
            " is broken: open {} past due ({})",
            a.show("late_by"),
            a.show("due")
        ),
        C::Broken if a.has("late_by") => write!(
            s,
            " is broken: closed {} past due ({})",
            a.show("late_by"),
            a.show("due")
        ),
        _ => write!(s, " is broken"),
    };
    // The wait the customer felt: past the window for an arrival window, since the
    // promise was made (for a callback, since the call) for anything else; not said
    // again when it is the time used, already said.
    if a.has("past_window") {
        let _ = write!(
            s,
            "; the customer waited {} past the window",
            a.show("past_window")
        );
    } else if a.has("waited") && a.get("waited") != a.get("used") {
        let _ = write!(s, "; the customer waited {}", a.show("waited"));
    }
    let _ = match a.term("delivery") {
        Some("under") => s.write_str("; it delivered less than promised"),
        Some("as_promised") => s.write_str("; it delivered what was promised"),
        Some("over") => s.write_str("; it delivered more than promised"),
        _ => Ok(()),
    };
    if a.int("attempts").is_some_and(|n| n > 0) {
        let _ = write!(s, "; {} failed", a.count("attempts", "attempt", "attempts"));
    }
    s.push('.');
    Some(s)
}

/// "the quote promise `pr-1`", "the callback `callback:i-7`", or "the promise `pr-1`
/// (warranty visit)" for a custom kind.
fn what(a: &Facts<'_>, s: &mut String) {
    let _ = if a.has("label") {
        write!(
            s,
            "the promise `{}` ({})",
            a.show("promise"),
            a.show("label")
        )
    } else if a.term("kind") == Some("callback") {
        write!(s, "the callback `{}`", a.show("promise"))
    } else {
        // The kind in words: "the quote promise", "the follow-up promise".
        let kind = match a.term("kind") {
            Some("quote_by") => "quote".to_string(),
            Some("completion_by") => "completion date".to_string(),
            Some("follow_up") => "follow-up".to_string(),
            _ => a.show("kind").to_string(),
        };
        write!(s, "the {kind} promise `{}`", a.show("promise"))
    };
}

fn tag_chain(a: &Facts<'_>, s: &mut String) {
    let _ = write!(
        s,
        "{} with account `{}` over {} were phone tag{}; a message must carry value",
        a.count("length", "interaction", "interactions"),
        a.show("account"),
        a.show("over"),
        if a.flag("open") {
            ", and nobody has reached them since"
        } else {
            ""
        }
    );
}

fn expectations(code: C, a: &Facts<'_>, s: &mut String) {
    let verdict = match code {
        C::NeverExceeds => "below the band: competent, but never a pleasant surprise",
        C::AlwaysExceeds => {
            "above the band: promises are too cautious, or expectations are inflating"
        }
        _ => "within the band: deliver every time, exceed on occasion",
    };
    let _ = write!(
        s,
        "{} of {} exceeded what was promised; the policy's band is {}% to {}%, so this is {verdict}.",
        a.show("exceeded"),
        a.count("kept", "kept promise", "kept promises"),
        a.show("band_low_percent"),
        a.show("band_high_percent"),
    );
}
