//! The ledger: checks the input, replays each promise's events in time order, and judges
//! every promise at `now`.

use chrono::{DateTime, TimeDelta, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::callbacks::{self, TagChain};
use super::policy::{Clock, PromisePolicy};
use super::promise::{
    Due, EventKind, MadeBy, MoreIs, Promise, PromiseEvent, PromiseKind, TargetRule,
};
use super::summary::{self, Summary};
use super::verdict::{Delivery, Source, Status, Verdict, VerdictCode};
use crate::calendar::BusinessCalendar;
use crate::error::{Error, ErrorKind, FieldPath, Problems};
use crate::model::{AccountId, Interaction, Rule, Span, validate_interactions};
use rustc_hash::{FxBuildHasher, FxHasher};
use std::collections::HashMap;
use std::hash::Hasher;

/// The promise ledger over a host's records, ready to be judged at any `now`.
///
/// Borrowed inputs, built like a query:
/// `Ledger::new(&policy, &calendar).promises(&p).events(&e).interactions(&i)`, then
/// [`evaluate`](Ledger::evaluate). Any list may be left out.
#[derive(Debug, Clone, Copy)]
pub struct Ledger<'a> {
    policy: &'a PromisePolicy,
    /// Policies of the accounts judged by another policy (the desk's segments).
    accounts: Option<&'a AccountPolicies<'a>>,
    calendar: &'a BusinessCalendar,
    promises: &'a [Promise],
    events: &'a [PromiseEvent],
    interactions: &'a [Interaction],
    /// The interactions were checked by the caller (the daily desk checks a whole book
    /// before any engine runs), so the ledger does not check them again.
    interactions_checked: bool,
}

/// What the ledger found at `now`.
///
/// ```json
/// {"now": "2026-11-27T12:00:00Z", "verdicts": [...], "tag_chains": [...],
///  "business": {...}, "customers": [{...}, ...]}
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct LedgerReport {
    /// The instant judged at.
    pub now: DateTime<Utc>,
    /// One verdict per promise made by `now`: the host's promises in list order, then
    /// the callback promises opened by interactions, by account, then the time of the
    /// interaction that opened them (ties in list order), the order the ledger reads
    /// the interactions in.
    pub verdicts: Vec<Verdict>,
    /// Chains of phone tag (P2), by account, then time.
    pub tag_chains: Vec<TagChain>,
    /// The whole business.
    pub business: Summary,
    /// One summary per customer (account), by account id.
    pub customers: Vec<Summary>,
}

/// What the replay needs of an event, copied out of it when the events are grouped by
/// promise (without the reasons and outcomes, which do not change a verdict), so that
/// replaying a promise reads its events side by side rather than across the host's list.
#[derive(Debug, Clone, Copy)]
pub(super) enum Step {
    Delivered { scope: Option<Decimal> },
    Renegotiated { new_due: Due, customer_agreed: bool },
    CancelledByCustomer {},
    Paused {},
    Resumed {},
    Attempt {},
    TargetChanged { new_target: Span, rule: TargetRule },
}

impl Step {
    fn of(e: &EventKind) -> Step {
        match *e {
            EventKind::Delivered { scope } => Step::Delivered { scope },
            EventKind::Renegotiated {
                new_due,
                customer_agreed,
                ..
            } => Step::Renegotiated {
                new_due,
                customer_agreed,
            },
            EventKind::CancelledByCustomer { .. } => Step::CancelledByCustomer {},
            EventKind::Paused { .. } => Step::Paused {},
            EventKind::Resumed {} => Step::Resumed {},
            EventKind::Attempt { .. } => Step::Attempt {},
            EventKind::TargetChanged { new_target, rule } => {
                Step::TargetChanged { new_target, rule }
            }
        }
    }

    /// The event's kind, as in JSON.
    fn as_str(self) -> &'static str {
        match self {
            Step::Delivered { .. } => "delivered",
            Step::Renegotiated { .. } => "renegotiated",
            Step::CancelledByCustomer {} => "cancelled_by_customer",
            Step::Paused {} => "paused",
            Step::Resumed {} => "resumed",
            Step::Attempt {} => "attempt",
            Step::TargetChanged { .. } => "target_changed",
        }
    }
}

/// An event's kind for grouping the events by promise, in 8 bytes: the kinds that carry
/// data a verdict needs (a delivered scope, a new due, a new target) point to their step
/// in a side list, filled in input order.
#[derive(Debug, Clone, Copy)]
enum Light {
    Delivered,
    CancelledByCustomer,
    Paused,
    Resumed,
    Attempt,
    Data(u32),
}

impl Light {
    /// The event's light kind, `None` when it carries data.
    fn of(e: &EventKind) -> Option<Light> {
        Some(match e {
            EventKind::Delivered { scope: None } => Light::Delivered,
            EventKind::CancelledByCustomer { .. } => Light::CancelledByCustomer,
            EventKind::Paused { .. } => Light::Paused,
            EventKind::Resumed {} => Light::Resumed,
            EventKind::Attempt { .. } => Light::Attempt,
            EventKind::Delivered { .. }
            | EventKind::Renegotiated { .. }
            | EventKind::TargetChanged { .. } => return None,
        })
    }

    /// The replay's step, a `Data` one read from `data`.
    fn step(self, data: &[Step]) -> Step {
        match self {
            Light::Delivered => Step::Delivered { scope: None },
            Light::CancelledByCustomer => Step::CancelledByCustomer {},
            Light::Paused => Step::Paused {},
            Light::Resumed => Step::Resumed {},
            Light::Attempt => Step::Attempt {},
            // Always in `data`: pushed when the `Data` was made.
            Light::Data(k) => data.get(k as usize).copied().unwrap_or(Step::Attempt {}),
        }
    }
}

/// A promise's state while its events are replayed.
struct Replay {
    clock: Clock,
    earliest: Option<DateTime<Utc>>,
    latest: DateTime<Utc>,
    paused_at: Option<DateTime<Utc>>,
    paused_clock: TimeDelta,
    paused_business: TimeDelta,
    paused_wall: TimeDelta,
    last_resume: DateTime<Utc>,
    closed: Option<(DateTime<Utc>, Option<Option<Decimal>>)>,
    renegotiated: bool,
    broken_late: bool,
    /// The due was agreed as an instant during the current pause: the pause does not move it.
    pinned: bool,
    attempts: u32,
    renegotiations: u32,
    pauses: u32,
}

pub(super) struct Engine<'a> {
    cal: &'a BusinessCalendar,
    policy: &'a PromisePolicy,
    accounts: Option<&'a AccountPolicies<'a>>,
    now: DateTime<Utc>,
}

/// The promise policy of each account that is judged by a policy of its own instead of
/// the ledger's (the daily desk's segments: `policies.segments.<name>.promises`). Each
/// promise of such an account, and each callback opened from its interactions, is
/// judged by that policy: its clocks, grace, early share, warnings and, for callbacks,
/// the callback window, the promised-call tolerance and the phone-tag length. The
/// business's record and its suggestions stay on the ledger's policy.
///
/// ```
/// use retention::promises::{AccountPolicies, PromisePolicy};
/// use retention::model::{AccountId, Span};
///
/// let mut commercial = PromisePolicy::default();
/// commercial.callback_within = Span::Hours(4);
/// let mut policies = AccountPolicies::new();
/// policies.insert(AccountId::new("a-7"), &commercial);
/// assert_eq!(policies.len(), 1);
/// ```
#[derive(Debug, Clone, Default)]
pub struct AccountPolicies<'a> {
    by_account: HashMap<AccountId, &'a PromisePolicy, FxBuildHasher>,
}

impl<'a> AccountPolicies<'a> {
    /// No account with a policy of its own.
    pub fn new() -> AccountPolicies<'a> {
        AccountPolicies::default()
    }

    /// Judges `account`'s promises by `policy` (replacing any policy given before).
    pub fn insert(&mut self, account: AccountId, policy: &'a PromisePolicy) {
        self.by_account.insert(account, policy);
    }

    /// How many accounts have a policy of their own.
    pub fn len(&self) -> usize {
        self.by_account.len()
    }

    /// Whether no account has a policy of its own.
    pub fn is_empty(&self) -> bool {
        self.by_account.is_empty()
    }

    /// Each distinct policy checked once; a problem is placed under the first account (by
    /// id) that uses the policy: `account_policies.<account>.<field>`.
    fn validate(&self) -> Result<(), Error> {
        let mut distinct: Vec<(&'a PromisePolicy, &AccountId)> = Vec::new();
        for (account, &p) in &self.by_account {
            match distinct.iter_mut().find(|(q, _)| std::ptr::eq(*q, p)) {
                Some(slot) => slot.1 = slot.1.min(account),
                None => distinct.push((p, account)),
            }
        }
        distinct.sort_by(|a, b| a.1.cmp(b.1));
        for (p, account) in distinct {
            p.validate().map_err(|e| {
                e.under(
                    &FieldPath::root()
                        .field("account_policies")
                        .field(account.as_str()),
                )
            })?;
        }
        Ok(())
    }
}

impl<'a> Engine<'a> {
    /// The policy `account`'s promises are judged by.
    pub(super) fn policy_of(&self, account: &AccountId) -> &'a PromisePolicy {
        self.accounts
            .and_then(|a| a.by_account.get(account).copied())
            .unwrap_or(self.policy)
    }
}

fn out_of_range() -> Error {
    Error::new(
        ErrorKind::DateOutOfRange,
        FieldPath::root(),
        "a deadline falls outside the supported range of instants",
    )
}

impl Engine<'_> {
    fn add(&self, clock: Clock, t: DateTime<Utc>, d: TimeDelta) -> Result<DateTime<Utc>, Error> {
        match clock {
            Clock::Calendar => t.checked_add_signed(d).ok_or_else(out_of_range),
            Clock::Business => self.cal.add_business_duration(t, d),
        }
    }

    fn between(
        &self,
        clock: Clock,
        a: DateTime<Utc>,
        b: DateTime<Utc>,
    ) -> Result<TimeDelta, Error> {
        match clock {
            Clock::Calendar => Ok(b.signed_duration_since(a)),
            Clock::Business => self.cal.business_duration_between(a, b),
        }
    }

    fn resolve(
        &self,
        clock: Clock,
        due: Due,
        from: DateTime<Utc>,
    ) -> Result<(Option<DateTime<Utc>>, DateTime<Utc>), Error> {
        Ok(match due {
            Due::At { at } => (None, at),
            Due::Window { earliest, latest } => (Some(earliest), latest),
            Due::Within { span } => (None, self.add(clock, from, span.length())?),
        })
    }

    /// Records the problems of a due given at `path`, made at `from`; whether it is usable.
    fn check_due(
        due: &Due,
        from: DateTime<Utc>,
        path: impl Fn() -> FieldPath,
        p: &mut Problems,
    ) -> bool {
        let start = p.len();
        match *due {
            Due::At { at } if at < from => p.push(
                ErrorKind::PromisesDueBeforeMade,
                path().field("at"),
                format!("due at {at}, before it was promised ({from})"),
            ),
            Due::Window { earliest, latest } if latest < earliest => p.push(
                ErrorKind::PromisesWindowReversed,
                path(),
                format!("the window ends ({latest}) before it starts ({earliest})"),
            ),
            Due::Window { latest, .. } if latest < from => p.push(
                ErrorKind::PromisesDueBeforeMade,
                path().field("latest"),
                format!("the window ends at {latest}, before it was promised ({from})"),
            ),
            // A promise's length is counted on its clock, in time: a fixed length.
            Due::Within { span } => crate::model::check_fixed(span, path().field("span"), p),
            _ => {}
        }
        p.len() == start
    }

    pub(crate) fn check_promise(p: &Promise, problems: &mut Problems) -> bool {
        let start = problems.len();
        let root = FieldPath::root();
        p.id.check(|| root.field("id"), problems);
        p.account.check(|| root.field("account"), problems);
        if let Some(person) = &p.person {
            person.check(|| root.field("person"), problems);
        }
        if let MadeBy::Staff { user } = &p.made_by {
            user.check(|| root.field("made_by").field("user"), problems);
        }
        Self::check_due(&p.due, p.made_at, || root.field("due"), problems);
        if let Some(grace) = p.grace {
            crate::model::check_fixed(grace, root.field("grace"), problems);
        }
        problems.len() == start
    }

    /// Ends a pause: counts it on both clocks and moves the due times it covered.
    fn end_pause(
        &self,
        r: &mut Replay,
        s: DateTime<Utc>,
        e: DateTime<Utc>,
        log: &mut Vec<(DateTime<Utc>, DateTime<Utc>, TimeDelta)>,
    ) -> Result<(), Error> {
        let wall = e.signed_duration_since(s);
        let business = self.cal.business_duration_between(s, e)?;
        r.paused_wall += wall;
        r.paused_business += business;
        let on_clock = if r.clock == Clock::Business {
            business
        } else {
            wall
        };
        r.paused_clock += on_clock;
        if !std::mem::take(&mut r.pinned) {
            r.latest = self.shift(r.clock, r.latest, s, e)?;
            if let Some(x) = r.earliest {
                r.earliest = Some(self.shift(r.clock, x, s, e)?);
            }
        }
        log.push((s, e, on_clock));
        r.last_resume = e;
        Ok(())
    }

    /// A due instant `x` moved by a pause from `s` to `e`: the time it had left at `s`
    /// is counted again from `e`. Instants at or before `s` do not move.
    fn shift(
        &self,
        clock: Clock,
        x: DateTime<Utc>,
        s: DateTime<Utc>,
        e: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, Error> {
        if x <= s {
            return Ok(x);
        }
        match clock {
            Clock::Calendar => x
                .checked_add_signed(e.signed_duration_since(s))
                .ok_or_else(out_of_range),
            Clock::Business => self
                .cal
                .add_business_duration(e, self.cal.business_duration_between(s, x)?),
        }
    }

    /// Judges one promise whose `events` are in time order (ties in input order).
    /// Problems with the events go to `problems` (then `None`); a calendar failure is an `Err`.
    pub(super) fn judge(
        &self,
        p: &Promise,
        source: Source,
        events: impl Iterator<Item = (usize, DateTime<Utc>, Step)>,
        event_path: &dyn Fn(usize) -> FieldPath,
        problems: &mut Problems,
        log: &mut Vec<(DateTime<Utc>, DateTime<Utc>, TimeDelta)>,
    ) -> Result<Option<Verdict>, Error> {
        let start = problems.len();
        let policy = self.policy_of(&p.account);
        let clock = p.clock.unwrap_or(policy.clocks.of(&p.kind));
        let (earliest, latest) = self.resolve(clock, p.due, p.made_at)?;
        log.clear();
        let mut r = Replay {
            clock,
            earliest,
            latest,
            paused_at: None,
            paused_clock: TimeDelta::zero(),
            paused_business: TimeDelta::zero(),
            paused_wall: TimeDelta::zero(),
            last_resume: p.made_at,
            closed: None,
            renegotiated: false,
            broken_late: false,
            pinned: false,
            attempts: 0,
            renegotiations: 0,
            pauses: 0,
        };
        let mut seen_close: Option<(DateTime<Utc>, bool)> = None;
        let mut seen_paused = false;
        for (j, at, step) in events {
            if at < p.made_at {
                problems.push(
                    ErrorKind::PromisesEventBeforePromise,
                    event_path(j).field("at"),
                    format!(
                        "the event is dated {at}, before its promise was made ({})",
                        p.made_at
                    ),
                );
                continue;
            }
            if let Step::Renegotiated { new_due, .. } = &step {
                if !Self::check_due(
                    new_due,
                    at,
                    || event_path(j).field("event").field("new_due"),
                    problems,
                ) {
                    continue;
                }
            }
            if let Step::TargetChanged { new_target, .. } = &step {
                if !new_target.is_fixed() {
                    crate::model::check_fixed(
                        *new_target,
                        event_path(j).field("event").field("new_target"),
                        problems,
                    );
                    continue;
                }
            }
            // The history must make sense whatever `now` is: checked over every event.
            if let Some((closed_at, delivered)) = seen_close {
                problems.push(
                    ErrorKind::PromisesEventAfterClose,
                    event_path(j).field("event"),
                    format!(
                        "a `{}` event follows the promise's {} at {closed_at}",
                        step.as_str(),
                        if delivered {
                            "delivery"
                        } else {
                            "cancellation"
                        }
                    ),
                );
                continue;
            }
            match &step {
                Step::Paused { .. } if seen_paused => {
                    problems.push(
                        ErrorKind::PromisesPauseMismatch,
                        event_path(j).field("event"),
                        "the promise is paused while already paused",
                    );
                    continue;
                }
                Step::Resumed {} if !seen_paused => {
                    problems.push(
                        ErrorKind::PromisesPauseMismatch,
                        event_path(j).field("event"),
                        "the promise is resumed but was not paused",
                    );
                    continue;
                }
                Step::Paused { .. } => seen_paused = true,
                Step::Resumed {} => seen_paused = false,
                Step::Delivered { .. } => seen_close = Some((at, true)),
                Step::CancelledByCustomer { .. } => seen_close = Some((at, false)),
                _ => {}
            }
            // Events are in time order: once one is after `now`, so are the rest, and
            // they are not known yet at `now`.
            if at > self.now || problems.len() > start {
                continue;
            }
            match &step {
                Step::Paused { .. } => {
                    r.paused_at = Some(at);
                    r.pauses += 1;
                }
                Step::Resumed {} => {
                    if let Some(s) = r.paused_at.take() {
                        self.end_pause(&mut r, s, at, log)?;
                    }
                }
                Step::Delivered { scope } => {
                    if let Some(s) = r.paused_at.take() {
                        self.end_pause(&mut r, s, at, log)?;
                    }
                    r.closed = Some((at, Some(*scope)));
                }
                Step::CancelledByCustomer { .. } => {
                    if let Some(s) = r.paused_at.take() {
                        self.end_pause(&mut r, s, at, log)?;
                    }
                    r.closed = Some((at, None));
                }
                Step::Attempt { .. } => r.attempts += 1,
                Step::Renegotiated {
                    new_due,
                    customer_agreed,
                    ..
                } => {
                    r.renegotiations += 1;
                    // While paused the due is frozen: the renegotiation is late only if
                    // the due had passed before the pause began.
                    let late = match r.paused_at {
                        Some(s) if r.latest > s => false,
                        _ => at > r.latest,
                    };
                    if late || *customer_agreed {
                        // A new due agreed during a pause is not moved by the part of the
                        // pause before it: the pause is split at the renegotiation. An
                        // agreed instant or window is not moved by the rest of it either;
                        // a `within` span counts from the end of the pause.
                        if let Some(s) = r.paused_at {
                            self.end_pause(&mut r, s, at, log)?;
                            r.paused_at = Some(at);
                            r.pinned = !matches!(new_due, Due::Within { .. });
                        }
                        let (e, l) = self.resolve(clock, *new_due, at)?;
                        r.earliest = e;
                        r.latest = l;
                    }
                    if late {
                        r.broken_late = true;
                    } else if *customer_agreed {
                        r.renegotiated = true;
                    }
                }
                Step::TargetChanged { new_target, rule } => {
                    let target = new_target.length();
                    let anchor = r.paused_at.unwrap_or(at);
                    let used = self.between(clock, p.made_at, anchor)? - r.paused_clock;
                    r.earliest = None;
                    r.latest = match rule {
                        TargetRule::Restart => self.add(clock, anchor, target)?,
                        TargetRule::KeepElapsed if used < target => {
                            self.add(clock, anchor, target - used)?
                        }
                        TargetRule::KeepElapsed => anchor,
                        TargetRule::RecomputeFromStart => {
                            let mut x = self.add(clock, p.made_at, target)?;
                            for &(s, e, _) in log.iter() {
                                x = self.shift(clock, x, s, e)?;
                            }
                            x
                        }
                    };
                }
            }
        }
        if problems.len() > start {
            return Ok(None);
        }
        let paused = r.closed.is_none() && r.paused_at.is_some();
        if let Some(s) = r.paused_at.take() {
            let end = r.closed.map_or(self.now, |c| c.0);
            self.end_pause(&mut r, s, end, log)?;
        }
        let end = r.closed.map_or(self.now, |c| c.0);
        let grace = p.grace.unwrap_or(policy.default_grace);
        let grace_until = if grace.is_zero() {
            r.latest
        } else {
            self.add(clock, r.latest, grace.length())?
        };
        let business_elapsed =
            self.cal.business_duration_between(p.made_at, end)? - r.paused_business;
        let waited = end.signed_duration_since(p.made_at);
        let used = match clock {
            Clock::Business => business_elapsed,
            Clock::Calendar => waited - r.paused_wall,
        };
        // The promise's length: made to due on its clock, less the pauses that began
        // before the due (those moved it; a pause of an overdue promise did not).
        let before_due: TimeDelta = log.iter().filter(|x| x.0 < r.latest).map(|x| x.2).sum();
        let length = self.between(clock, p.made_at, r.latest)? - before_due;
        let late_by = (end > r.latest).then(|| end.signed_duration_since(r.latest));
        let mut next_warning = None;
        let (status, code) = match r.closed {
            Some((d, delivered)) => {
                if r.broken_late {
                    (Status::Broken, VerdictCode::RenegotiatedLate)
                } else if d > grace_until {
                    (Status::Broken, VerdictCode::Broken)
                } else if delivered.is_none() {
                    (Status::Cancelled, VerdictCode::Cancelled)
                } else if d > r.latest {
                    (Status::LateWithinGrace, VerdictCode::LateWithinGrace)
                } else if r.renegotiated {
                    (Status::Renegotiated, VerdictCode::Renegotiated)
                } else if r.earliest.is_some_and(|e| d < e)
                    || (r.earliest.is_none()
                        && length > TimeDelta::zero()
                        && i128::from((length - used).num_seconds()) * 100
                            >= i128::from(policy.early_percent) * i128::from(length.num_seconds()))
                {
                    (Status::KeptEarly, VerdictCode::KeptEarly)
                } else {
                    (Status::KeptOnTime, VerdictCode::KeptOnTime)
                }
            }
            None if r.broken_late => (Status::Broken, VerdictCode::RenegotiatedLate),
            None if self.now > grace_until => (Status::Broken, VerdictCode::Broken),
            None if self.now > r.latest => {
                next_warning = (!paused).then_some(grace_until);
                (Status::Overdue, VerdictCode::Overdue)
            }
            None => {
                let mut reached = false;
                if !paused {
                    let used_anchor = if r.last_resume == p.made_at {
                        TimeDelta::zero()
                    } else {
                        self.between(clock, p.made_at, r.last_resume)? - r.paused_clock
                    };
                    for &pct in &policy.warn_at_percent {
                        let target =
                            TimeDelta::seconds(length.num_seconds() * i64::from(pct) / 100);
                        let at = if target <= used_anchor {
                            r.last_resume
                        } else {
                            self.add(clock, r.last_resume, target - used_anchor)?
                        };
                        if at <= self.now {
                            reached = true;
                        } else {
                            next_warning = Some(at);
                            break;
                        }
                    }
                    if next_warning.is_none() {
                        next_warning = Some(r.latest);
                    }
                }
                if reached {
                    (Status::DueSoon, VerdictCode::DueSoon)
                } else {
                    (Status::OnTrack, VerdictCode::OnTrack)
                }
            }
        };
        let delivery = match (&p.scope, r.closed) {
            (Some(scope), Some((_, Some(given)))) => {
                let got = given.unwrap_or(scope.amount);
                let more = match scope.more_is {
                    MoreIs::Better => got.cmp(&scope.amount),
                    MoreIs::Worse => scope.amount.cmp(&got),
                };
                Some(match more {
                    std::cmp::Ordering::Less => Delivery::Under,
                    std::cmp::Ordering::Equal => Delivery::AsPromised,
                    std::cmp::Ordering::Greater => Delivery::Over,
                })
            }
            _ => None,
        };
        let rule = match code {
            VerdictCode::RenegotiatedLate | VerdictCode::Renegotiated => Rule::P6,
            VerdictCode::Cancelled => Rule::P5,
            _ if p.kind == PromiseKind::Callback => Rule::P1,
            _ => Rule::P3,
        };
        Ok(Some(Verdict {
            promise: p.id.clone(),
            source,
            kind: p.kind.clone(),
            status,
            code,
            rule,
            clock,
            open: r.closed.is_none(),
            paused,
            made_at: p.made_at,
            earliest: r.earliest,
            due: r.latest,
            grace_until,
            closed_at: r.closed.map(|c| c.0),
            delivered: matches!(r.closed, Some((_, Some(_)))),
            delivery,
            // Whole seconds, as the JSON writes them (a `now` may carry a fraction).
            business_elapsed: whole_secs(business_elapsed),
            waited: whole_secs(waited),
            used: whole_secs(used),
            length: whole_secs(length),
            late_by: late_by.map(whole_secs),
            next_warning,
            attempts: r.attempts,
            renegotiations: r.renegotiations,
            pauses: r.pauses,
            time_zone: Some(self.cal.time_zone()),
        }))
    }

    /// Judges a list of promises with their events (grouped by promise id), appending
    /// verdicts to `out`. Paths of problems are `{promises_name}[i]` and `{events_name}[j]`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn judge_all<'p>(
        &self,
        promises: &'p [Promise],
        events: &[PromiseEvent],
        source: &dyn Fn(usize) -> Source,
        event_path: &dyn Fn(usize) -> FieldPath,
        problems: &mut Problems,
        out: &mut Vec<Verdict>,
        accounts: &mut Vec<&'p AccountId>,
    ) {
        let (dup, owner) = join(promises, events);
        let mut usable = vec![true; promises.len()];
        for (i, p) in promises.iter().enumerate() {
            let start = problems.len();
            usable[i] = Self::check_promise(p, problems);
            if dup.get(i).copied().unwrap_or(false) {
                problems.push(
                    ErrorKind::DuplicateId,
                    FieldPath::root().field("id"),
                    format!("the id `{}` is used by an earlier promise", p.id),
                );
                usable[i] = false;
            }
            problems.place_since(start, || source(i).path());
        }
        // Group the events by promise: counting sort (stable, so ties keep input order),
        // then each promise's few events by time.
        let mut offsets = vec![0u32; promises.len() + 1];
        for (j, (&i, ev)) in owner.iter().zip(events).enumerate() {
            let slot = if i == NONE {
                None
            } else {
                offsets.get_mut(i as usize + 1)
            };
            match slot {
                Some(n) => *n += 1,
                None => problems.push(
                    ErrorKind::PromisesUnknownPromise,
                    event_path(j).field("promise"),
                    format!("no promise has the id `{}`", ev.promise),
                ),
            }
        }
        for i in 0..promises.len() {
            offsets[i + 1] += offsets[i];
        }
        // Each slot holds the event's instant beside its index and a light kind, so
        // ordering a promise's events by time (ties in input order) does not go back to
        // the events, and the slots stay small (24 bytes, written at random): the few
        // kinds that carry data a verdict needs (a scope, a new due, a new target) keep
        // their step in `data`, written in input order.
        let mut fill = offsets.clone();
        let mut order: Vec<(DateTime<Utc>, u32, Light)> =
            vec![(DateTime::<Utc>::MIN_UTC, 0, Light::Attempt); events.len()];
        let mut data: Vec<Step> = Vec::new();
        for (j, (&i, ev)) in owner.iter().zip(events).enumerate() {
            if let Some(slot) = fill.get_mut(i as usize) {
                if let Some(o) = order.get_mut(*slot as usize) {
                    let light = Light::of(&ev.event).unwrap_or_else(|| {
                        data.push(Step::of(&ev.event));
                        Light::Data(data.len() as u32 - 1)
                    });
                    *o = (ev.at, j as u32, light);
                }
                *slot += 1;
            }
        }
        let mut log = Vec::new();
        out.reserve(promises.len());
        accounts.reserve(promises.len());
        for (i, p) in promises.iter().enumerate() {
            let (a, b) = (offsets[i] as usize, offsets[i + 1] as usize);
            let mine = order.get_mut(a..b).unwrap_or_default();
            if mine.len() > 1 {
                mine.sort_unstable_by_key(|x| (x.0, x.1));
            }
            if !usable[i] {
                continue;
            }
            let evs = mine
                .iter()
                .map(|&(at, j, light)| (j as usize, at, light.step(&data)));
            match self.judge(p, source(i), evs, event_path, problems, &mut log) {
                // A promise made after `now` is not known yet: checked, not judged.
                Ok(Some(_)) if p.made_at > self.now => {}
                Ok(Some(v)) => {
                    out.push(v);
                    accounts.push(&p.account);
                }
                Ok(None) => {}
                Err(e) => {
                    for q in e.problems() {
                        problems.push(
                            q.kind(),
                            source(i).path(),
                            format!(
                                "the business calendar cannot place this promise: {}",
                                q.message()
                            ),
                        );
                    }
                }
            }
        }
    }
}

impl<'a> Ledger<'a> {
    /// A ledger judged by `policy` on `calendar`, with no records yet.
    pub fn new(policy: &'a PromisePolicy, calendar: &'a BusinessCalendar) -> Ledger<'a> {
        Ledger {
            policy,
            accounts: None,
            calendar,
            promises: &[],
            events: &[],
            interactions: &[],
            interactions_checked: false,
        }
    }

    /// The interactions were checked already ([`validate_interactions`]): the desk's
    /// book is checked whole before any engine runs.
    #[must_use]
    pub(crate) fn interactions_checked(mut self) -> Ledger<'a> {
        self.interactions_checked = true;
        self
    }

    /// Accounts judged by a promise policy of their own (see [`AccountPolicies`]).
    #[must_use]
    pub fn account_policies(mut self, policies: &'a AccountPolicies<'a>) -> Ledger<'a> {
        self.accounts = Some(policies);
        self
    }

    /// The promises the host recorded (paths `promises[i]`).
    #[must_use]
    pub fn promises(mut self, promises: &'a [Promise]) -> Ledger<'a> {
        self.promises = promises;
        self
    }

    /// The events of those promises, in any order (paths `events[j]`).
    #[must_use]
    pub fn events(mut self, events: &'a [PromiseEvent]) -> Ledger<'a> {
        self.events = events;
        self
    }

    /// The interactions with customers, in any order (paths `interactions[k]`): the
    /// ledger opens the implicit callback promises (P1) and finds phone tag (P2).
    #[must_use]
    pub fn interactions(mut self, interactions: &'a [Interaction]) -> Ledger<'a> {
        self.interactions = interactions;
        self
    }

    /// Judges every promise at `now`. Promises made after `now` and events after `now`
    /// are not known yet: they are checked like the rest, but not judged or applied, so
    /// whether the input is usable does not depend on `now`.
    ///
    /// # Errors
    /// Every problem with the policy (`promises.span_zero`, ...), the promises
    /// (`model.empty_id`, `model.duplicate_id`, `promises.window_reversed`,
    /// `promises.due_before_made`), the events (`promises.unknown_promise`,
    /// `promises.event_before_promise`, `promises.event_after_close`,
    /// `promises.pause_mismatch`), the interactions (as
    /// [`validate_interactions`]), or a deadline the calendar cannot place
    /// (`calendar.date_out_of_range`, `calendar.exhausted`), all at once.
    pub fn evaluate(&self, now: DateTime<Utc>) -> Result<LedgerReport, Error> {
        self.evaluate_with(now, true)
    }

    /// [`evaluate`](Ledger::evaluate); with `customers_whole` false each customer's
    /// summary holds its counts and lateness only, no expectation verdict and no
    /// suggestions (the daily desk reads a customer's kept, broken and over-limit
    /// counts, and would write every customer's expectation sentence to drop it).
    pub(crate) fn evaluate_with(
        &self,
        now: DateTime<Utc>,
        customers_whole: bool,
    ) -> Result<LedgerReport, Error> {
        let mut problems = Problems::new();
        let early = [
            self.policy
                .validate()
                .and_then(|()| self.accounts.map_or(Ok(()), AccountPolicies::validate)),
            if self.interactions_checked {
                Ok(())
            } else {
                validate_interactions(self.interactions)
            },
        ];
        for e in early.iter().filter_map(|r| r.as_ref().err()) {
            for q in e.problems() {
                problems.push(q.kind(), q.path().clone(), q.message());
            }
        }
        if !problems.is_empty() {
            // Promises cannot be judged by an unusable policy; check their own shape only.
            for (i, p) in self.promises.iter().enumerate() {
                let start = problems.len();
                Engine::check_promise(p, &mut problems);
                problems.place_since(start, || FieldPath::root().field("promises").index(i));
            }
        }
        problems.finish()?;
        let mut problems = Problems::new();
        let engine = Engine {
            cal: self.calendar,
            policy: self.policy,
            accounts: self.accounts,
            now,
        };
        let mut verdicts = Vec::new();
        let mut accounts = Vec::new();
        engine.judge_all(
            self.promises,
            self.events,
            &|i| Source::Promise { index: i },
            &|j| FieldPath::root().field("events").index(j),
            &mut problems,
            &mut verdicts,
            &mut accounts,
        );
        let derived = callbacks::derive(self.interactions, &|a| engine.policy_of(a), now);
        let origin = |i: usize| derived.origin.get(i).copied().unwrap_or(0);
        let source = |i: usize| {
            let k = origin(i);
            Source::Interaction {
                index: k,
                interaction: self
                    .interactions
                    .get(k)
                    .map(|x| x.id.clone())
                    .unwrap_or_else(|| "".into()),
            }
        };
        let event_origin = |j: usize| {
            let k = derived.event_origin.get(j).copied().unwrap_or(0);
            FieldPath::root().field("interactions").index(k)
        };
        engine.judge_all(
            &derived.promises,
            &derived.events,
            &source,
            &event_origin,
            &mut problems,
            &mut verdicts,
            &mut accounts,
        );
        problems.finish()?;
        let (business, customers) = summary::summarize(
            &verdicts,
            &accounts,
            &derived.chains,
            self.policy,
            customers_whole,
        );
        Ok(LedgerReport {
            now,
            verdicts,
            tag_chains: derived.chains,
            business,
            customers,
        })
    }
}

/// No promise.
const NONE: u32 = u32::MAX;

fn id_hash(id: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(id.as_bytes());
    h.finish()
}

/// Joins events to promises by id. Returns which promises repeat an earlier promise's id,
/// and each event's promise ([`NONE`] when no promise has its id).
///
/// The promises' ids are hashed to 64 bits and counting-sorted into about one bucket per
/// promise by the hash's high bits (in list order within a bucket); each event's id is
/// hashed and looked up in its bucket, and matched only if the strings are equal. No
/// comparison sort, no allocation per record, and every event is read once, in its
/// input order.
/// A promise in the join's table: its id's hash, its index, and its id in the table's text.
#[derive(Clone)]
struct Slot {
    hash: u64,
    index: u32,
    text: std::ops::Range<usize>,
}

fn join(promises: &[Promise], events: &[PromiseEvent]) -> (Vec<bool>, Vec<u32>) {
    join_with(promises, events, id_hash)
}

fn join_with(
    promises: &[Promise],
    events: &[PromiseEvent],
    id_hash: impl Fn(&str) -> u64,
) -> (Vec<bool>, Vec<u32>) {
    // 2^bits >= the number of promises, at least 2 buckets and at most 2^32.
    let bits = (usize::BITS - promises.len().leading_zeros()).clamp(1, 32);
    let bucket = |h: u64| (h >> (64 - bits)) as usize;
    // Each promise's id hash, `None` for a blank id (as `model.empty_id` means it:
    // trimmed empty; a printable ASCII first character settles it without trimming).
    let hashes: Vec<Option<u64>> = promises
        .iter()
        .map(|p| {
            let id = p.id.as_str();
            let blank =
                !id.as_bytes().first().is_some_and(u8::is_ascii_graphic) && id.trim().is_empty();
            (!blank).then(|| id_hash(id))
        })
        .collect();
    let mut start = vec![0u32; (1usize << bits) + 1];
    for &h in hashes.iter().flatten() {
        if let Some(n) = start.get_mut(bucket(h) + 1) {
            *n += 1;
        }
    }
    for b in 1..start.len() {
        start[b] += start[b - 1];
    }
    // Each slot keeps its promise's id in `text`, so matching an event's id reads one
    // buffer laid out by bucket rather than the host's scattered strings.
    let mut fill = start.clone();
    let empty = Slot {
        hash: 0,
        index: NONE,
        text: 0..0,
    };
    let mut slots = vec![empty; start.last().copied().unwrap_or(0) as usize];
    let mut text = String::new();
    for (i, h) in hashes.iter().enumerate() {
        let Some(h) = *h else { continue };
        if let Some(at) = fill.get_mut(bucket(h)) {
            if let (Some(s), Some(p)) = (slots.get_mut(*at as usize), promises.get(i)) {
                let from = text.len();
                text.push_str(p.id.as_str());
                *s = Slot {
                    hash: h,
                    index: i as u32,
                    text: from..text.len(),
                };
            }
            *at += 1;
        }
    }
    drop((hashes, fill));
    let bucket_of = |h: u64| {
        let b = bucket(h);
        let (a, z) = (start.get(b).copied(), start.get(b + 1).copied());
        slots
            .get(a.unwrap_or(0) as usize..z.unwrap_or(0) as usize)
            .unwrap_or_default()
    };
    let id = |s: &Slot| text.get(s.text.clone());
    // A promise whose id an earlier promise (earlier in its bucket) already has.
    let mut dup = vec![false; promises.len()];
    for w in start.windows(2) {
        let run = slots.get(w[0] as usize..w[1] as usize).unwrap_or_default();
        for (k, s) in run.iter().enumerate().skip(1) {
            let earlier = run.get(..k).unwrap_or_default();
            if earlier.iter().any(|e| e.hash == s.hash && id(e) == id(s)) {
                if let Some(d) = dup.get_mut(s.index as usize) {
                    *d = true;
                }
            }
        }
    }
    // The first promise in the bucket with the event's id is the one not repeated.
    let owner = events
        .iter()
        .map(|e| {
            let (wanted, h) = (e.promise.as_str(), id_hash(e.promise.as_str()));
            bucket_of(h)
                .iter()
                .find(|s| s.hash == h && id(s) == Some(wanted))
                .map_or(NONE, |s| s.index)
        })
        .collect();
    (dup, owner)
}

/// A promise record's own checks (ids, a due before it was made), paths relative to the
/// record: what the daily desk checks of a book's promises before any engine runs.
pub(crate) fn check_promise(p: &Promise, problems: &mut Problems) -> bool {
    Engine::check_promise(p, problems)
}

/// `d` cut to whole seconds (toward zero, as `num_seconds` counts them).
fn whole_secs(d: TimeDelta) -> TimeDelta {
    TimeDelta::seconds(d.num_seconds())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn an_event_slot_stays_small_and_keeps_the_data_a_verdict_needs() {
        assert!(std::mem::size_of::<(DateTime<Utc>, u32, Light)>() <= 24);
        let due = Due::Within {
            span: Span::Hours(4),
        };
        let kinds = [
            EventKind::Delivered {
                scope: Some(Decimal::new(15, 1)),
            },
            EventKind::Renegotiated {
                new_due: due,
                customer_agreed: true,
                reason: "the part is late".into(),
            },
            EventKind::Delivered { scope: None },
            EventKind::Resumed {},
        ];
        let mut data = Vec::new();
        for e in &kinds {
            let light = Light::of(e).unwrap_or_else(|| {
                data.push(Step::of(e));
                Light::Data(data.len() as u32 - 1)
            });
            assert_eq!(
                format!("{:?}", light.step(&data)),
                format!("{:?}", Step::of(e))
            );
        }
        assert_eq!(data.len(), 2);
    }

    /// A ledger evaluated for the daily desk (`customers_whole` false) gives the same
    /// verdicts, chains and business summary, and each customer's same counts, only
    /// without the expectation verdict and the suggestions it would drop.
    #[test]
    fn customer_counts_alone_are_the_whole_summaries_counts() {
        let spec = crate::synthetic::Spec::new(5, 300);
        let book = crate::synthetic::book(&spec);
        let ledger = Ledger::new(&book.policies.promises, &book.calendar)
            .promises(&book.promises)
            .events(&book.promise_events)
            .interactions(&book.interactions);
        let whole = ledger.evaluate(spec.now).unwrap();
        let counts = ledger.evaluate_with(spec.now, false).unwrap();
        assert_eq!(counts.verdicts, whole.verdicts);
        assert_eq!(counts.tag_chains, whole.tag_chains);
        assert_eq!(counts.business, whole.business);
        assert_eq!(counts.customers.len(), whole.customers.len());
        assert!(whole.customers.iter().any(|c| c.expectations.is_some()));
        for (c, w) in counts.customers.iter().zip(&whole.customers) {
            assert!(c.expectations.is_none() && c.suggestions.is_empty());
            let mut w = w.clone();
            w.expectations = None;
            w.suggestions.clear();
            assert_eq!(c, &w);
        }
    }

    #[test]
    fn the_join_survives_ids_whose_hashes_collide() {
        let at = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
        let p = |id: &str| {
            Promise::new(
                id,
                PromiseKind::FollowUp,
                MadeBy::Business,
                "a-1",
                at,
                Due::At { at },
            )
        };
        let e = |id: &str| PromiseEvent::new(id, at, EventKind::Resumed {});
        let promises = [p("a"), p("b"), p("a"), p(" ")];
        let events = [e("b"), e("c"), e("a"), e(" ")];
        // Every id has the same hash: strings decide.
        let (dup, owner) = join_with(&promises, &events, |_| 7);
        assert_eq!(dup, [false, false, true, false]);
        assert_eq!(owner, [1, NONE, 0, NONE]);
        // With the real hash, the same answer.
        assert_eq!(join(&promises, &events), (dup, owner));
    }
}
