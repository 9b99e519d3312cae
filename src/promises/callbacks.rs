//! Callbacks from interactions (P1, P2): the implicit promise a customer's call opens, the
//! reply that keeps it, and chains of phone tag.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::policy::PromisePolicy;
use super::promise::{Due, EventKind, MadeBy, Promise, PromiseEvent, PromiseKind};
use super::verdict::{VerdictCode, secs_delta};
use crate::model::{
    AccountId, Interaction, InteractionId, MessageValue, Outcome, Party, PersonId, PromiseId, Rule,
};
use crate::text::{Arg, Args};

/// A chain of phone tag (P2): consecutive interactions with one customer that got nothing
/// across, begun by a return attempt of the business that carried no value.
///
/// ```json
/// {"account": "a-2", "person": "p-3", "interactions": ["i-4", "i-5", "i-6"],
///  "length": 3, "started_at": "2026-11-24T14:10:00Z", "ended_at": "2026-11-25T09:00:00Z",
///  "open": true, "code": "promises.tag_chain", "rule": "P2",
///  "args": {"length": {"count": 3}, "account": {"id": "a-2"}, "over": {"duration": 67800},
///           "open": {"flag": true}},
///  "sentence": "..."}
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct TagChain {
    /// The customer.
    pub account: AccountId,
    /// The person of the first interaction, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<PersonId>,
    /// The interactions of the chain, in time order.
    pub interactions: Vec<InteractionId>,
    /// Their positions in the host's list.
    pub indices: Vec<usize>,
    /// How many interactions.
    pub length: u32,
    /// The first one.
    pub started_at: DateTime<Utc>,
    /// The last one.
    pub ended_at: DateTime<Utc>,
    /// Whether no productive contact has ended it yet.
    pub open: bool,
    /// Always `promises.tag_chain`.
    pub code: VerdictCode,
    /// Always P2.
    pub rule: Rule,
    /// The chain's facts as typed arguments: `length` (count of interactions),
    /// `account` (id), `over` (duration from the first to the last), `open` (flag:
    /// nobody has reached the customer since). The sentence is rendered from `code` and
    /// these alone.
    #[serde(default)]
    pub args: Args,
    /// A sentence for people.
    pub sentence: String,
}

/// The promises and events the interactions imply, and the tag chains found.
pub(super) struct Derived {
    pub promises: Vec<Promise>,
    pub events: Vec<PromiseEvent>,
    /// The interaction each derived promise came from.
    pub origin: Vec<usize>,
    /// The interaction each derived event came from.
    pub event_origin: Vec<usize>,
    pub chains: Vec<TagChain>,
}

struct Run {
    idx: Vec<usize>,
}

fn flush(
    run: &mut Run,
    xs: &[Interaction],
    open: bool,
    policy: &PromisePolicy,
    out: &mut Vec<TagChain>,
) {
    let len = run.idx.len();
    if len == 0 {
        return;
    }
    if len >= policy.tag_chain_min as usize {
        let get = |k: usize| run.idx.get(k).and_then(|&i| xs.get(i));
        if let (Some(first), Some(last)) = (get(0), get(len - 1)) {
            let interactions: Vec<InteractionId> = run
                .idx
                .iter()
                .filter_map(|&i| xs.get(i))
                .map(|x| x.id.clone())
                .collect();
            let span = last.at.signed_duration_since(first.at).num_seconds();
            let args = Args::new()
                .with("length", Arg::count(len))
                .with("account", Arg::id(&first.account))
                .with("over", Arg::Duration(secs_delta(span)))
                .with("open", Arg::Flag(open));
            let sentence =
                crate::text::english(VerdictCode::TagChain.code(), &args).unwrap_or_default();
            out.push(TagChain {
                account: first.account.clone(),
                person: first.person.clone(),
                interactions,
                indices: run.idx.clone(),
                length: u32::try_from(len).unwrap_or(u32::MAX),
                started_at: first.at,
                ended_at: last.at,
                open,
                code: VerdictCode::TagChain,
                rule: Rule::P2,
                args,
                sentence,
            });
        }
    }
    run.idx.clear();
}

/// Turns interactions into callback promises and their events, and finds tag chains.
///
/// Per account, in time order (ties in list order):
/// - an inbound call, voicemail, email or web request from the customer that did not
///   reach anyone live (`left_message`, `delivered`, `no_answer`) opens a callback
///   promise due within the policy's `callback_within`, unless one is already open (the
///   customer's later messages do not restart the clock);
/// - a live conversation (either way) or a staff message that [carries
///   value](Interaction::carries_value) delivers the open promises; a message that
///   promised a call at a time then opens a new callback promise due in the window
///   `call_at ± promised_call_tolerance`;
/// - a staff attempt that got nothing across (no answer, a bounce, a message with no
///   value) is an `attempt` on the open promises and starts or extends a run of tag; the
///   customer's unanswered returns extend it; a productive contact ends it;
/// - automated messages are neither replies nor tag, and are skipped; so are
///   interactions after `now`.
pub(super) fn derive<'p>(
    xs: &[Interaction],
    policy_of: &dyn Fn(&AccountId) -> &'p PromisePolicy,
    now: DateTime<Utc>,
) -> Derived {
    let mut d = Derived {
        promises: Vec::new(),
        events: Vec::new(),
        origin: Vec::new(),
        event_origin: Vec::new(),
        chains: Vec::new(),
    };
    if xs.is_empty() {
        return d;
    }
    // Read by account, then time, ties in list order. A list already in that order (the
    // desk's book is sorted by account, time and id) is read as it is, not sorted again:
    // one pass to check, no index list.
    let sorted = xs.is_sorted_by(|x, y| {
        // Neighbours mostly share their account: equality first, without `memcmp`.
        if crate::model::same(x.account.as_str(), y.account.as_str()) {
            x.at <= y.at
        } else {
            x.account < y.account
        }
    });
    let order: Vec<usize> = if sorted {
        Vec::new()
    } else {
        let mut order: Vec<usize> = (0..xs.len()).collect();
        order.sort_by(|&a, &b| match (xs.get(a), xs.get(b)) {
            (Some(x), Some(y)) => (&x.account, x.at, a).cmp(&(&y.account, y.at, b)),
            _ => a.cmp(&b),
        });
        order
    };
    let order = |n: usize| {
        if sorted {
            n
        } else {
            order.get(n).copied().unwrap_or(n)
        }
    };
    let mut run = Run { idx: Vec::new() };
    let mut open: Vec<PromiseId> = Vec::new();
    let mut account: Option<&AccountId> = None;
    // The policy of the account whose interactions are being read (they come grouped by
    // account), looked up once an account.
    let mut policy: Option<&PromisePolicy> = None;
    for k in (0..xs.len()).map(order) {
        // Interactions after `now` have not happened yet.
        let Some(x) = xs.get(k).filter(|x| x.at <= now) else {
            continue;
        };
        if account != Some(&x.account) {
            if let Some(p) = policy {
                flush(&mut run, xs, true, p, &mut d.chains);
            }
            open.clear();
            account = Some(&x.account);
            policy = Some(policy_of(&x.account));
        }
        let Some(policy) = policy else { continue };
        let tolerance = policy.promised_call_tolerance.length();
        if x.initiated_by == Party::Automated {
            continue;
        }
        let event = |d: &mut Derived, id: &PromiseId, kind: EventKind| {
            d.events.push(PromiseEvent::new(id.clone(), x.at, kind));
            d.event_origin.push(k);
        };
        let conversation = x.outcome == Outcome::Connected;
        if x.is_from_customer() && !conversation {
            if !matches!(
                x.outcome,
                Outcome::LeftMessage | Outcome::Delivered | Outcome::NoAnswer
            ) {
                continue;
            }
            if !run.idx.is_empty() {
                run.idx.push(k);
            }
            if !open.iter().any(|id| id.as_str().starts_with("callback:")) {
                let id = PromiseId::joined("callback:", x.id.as_str());
                let mut p = Promise::new(
                    id.clone(),
                    PromiseKind::Callback,
                    MadeBy::Business,
                    x.account.clone(),
                    x.at,
                    Due::Within {
                        span: policy.callback_within,
                    },
                );
                p.person = x.person.clone();
                d.promises.push(p);
                d.origin.push(k);
                open.push(id);
            }
        } else if conversation || x.is_reply() {
            for id in open.drain(..) {
                event(&mut d, &id, EventKind::Delivered { scope: None });
            }
            flush(&mut run, xs, false, policy, &mut d.chains);
            if let Some(MessageValue::PromisedCallAt { call_at }) = &x.message_value {
                let id = PromiseId::joined("call_at:", x.id.as_str());
                let earliest = call_at
                    .checked_sub_signed(tolerance)
                    .unwrap_or(*call_at)
                    .max(x.at);
                let latest = call_at.checked_add_signed(tolerance).unwrap_or(*call_at);
                let made_by = match &x.initiated_by {
                    Party::Staff { user } => MadeBy::Staff { user: user.clone() },
                    _ => MadeBy::Business,
                };
                let mut p = Promise::new(
                    id.clone(),
                    PromiseKind::Callback,
                    made_by,
                    x.account.clone(),
                    x.at,
                    Due::Window { earliest, latest },
                );
                p.person = x.person.clone();
                p.clock = Some(super::policy::Clock::Calendar);
                p.grace = Some(crate::model::Span::Minutes(0));
                d.promises.push(p);
                d.origin.push(k);
                open.push(id);
            }
        } else {
            for id in &open {
                event(&mut d, id, EventKind::Attempt { outcome: x.outcome });
            }
            run.idx.push(k);
        }
    }
    if let Some(p) = policy {
        flush(&mut run, xs, true, p, &mut d.chains);
    }
    d
}
