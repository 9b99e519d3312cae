//! Summaries per customer and for the whole business: kept and on-time rates, lateness,
//! slow callbacks, tag, the over-delivery rate judged against P4, and a suggested
//! promise length.

use std::collections::HashMap;
use std::hash::Hasher;

use chrono::TimeDelta;
use rust_decimal::Decimal;
use rustc_hash::{FxBuildHasher, FxHasher};
use serde::{Deserialize, Serialize};

use super::callbacks::TagChain;
use super::policy::{Clock, PromisePolicy};
use super::promise::PromiseKind;
use super::verdict::{Delivery, Status, Verdict, VerdictCode, secs_delta};
use crate::model::{AccountId, Rule};
use crate::text::{Arg, Args};

/// How often kept promises exceeded what was promised, judged against P4's "exceed on
/// occasion" band.
///
/// ```json
/// {"code": "promises.exceeds_on_occasion", "rule": "P4",
///  "args": {"exceeded": {"count": 2}, "kept": {"count": 10},
///           "band_low_percent": {"count": 10}, "band_high_percent": {"count": 30}},
///  "sentence": "..."}
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Expectations {
    /// `promises.never_exceeds`, `promises.exceeds_on_occasion` or `promises.always_exceeds`.
    pub code: VerdictCode,
    /// Always P4.
    pub rule: Rule,
    /// The judgement's facts as typed arguments: `exceeded` (count of kept promises
    /// that exceeded), `kept` (count of kept promises), `band_low_percent` and
    /// `band_high_percent` (counts, the policy's `exceed_band`). The sentence is rendered
    /// from `code` and these alone.
    #[serde(default)]
    pub args: Args,
    /// A sentence for people, with the numbers.
    pub sentence: String,
}

/// A promise length past promises suggest: the length that would have been kept in at
/// least `percent`% of them.
///
/// **Method.** For the delivered promises of one kind and clock, take the time each
/// used on its clock (made to delivered, pauses excluded), sort ascending, and take the
/// nearest-rank order statistic: the `ceil(percent / 100 * n)`-th smallest. A promise
/// of that length would have been kept by every one of those promises, at least
/// `percent`% of them; no shorter length would. Exact integers, no interpolation.
/// Suggested only with at least the policy's `suggest_min_samples` promises.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Suggestion {
    /// The kind of promise.
    pub kind: PromiseKind,
    /// The clock the length is measured on.
    pub clock: Clock,
    /// The suggested length. In JSON `length_secs`, whole seconds.
    #[serde(rename = "length_secs", with = "crate::model::secs")]
    #[cfg_attr(feature = "schemars", schemars(with = "i64"))]
    pub length: TimeDelta,
    /// How many delivered promises it rests on.
    pub samples: u32,
    /// The share of them it would have kept (the policy's `suggest_percent`).
    pub percent: u8,
}

/// Promise-keeping for one customer, or for the whole business (`account` absent).
///
/// Rates are exact decimals rounded to 4 places (`"0.9500"`), absent when nothing is
/// there to rate: no NaN ever.
///
/// - `decided`: promises that can no longer be kept on time or were delivered:
///   delivered, plus broken (open past grace, cancelled too late, renegotiated late).
///   Cancelled in time and still-open promises in time are not decided.
/// - `kept`: delivered early, on time, within grace or by an agreed renegotiated due,
///   and not under the promised scope. `kept_rate = kept / decided`.
/// - `on_time`: kept without needing the grace. `on_time_rate = on_time / decided`.
/// - lateness: over delivered promises closed after their due, wall-clock seconds past
///   the due; the median is the lower median (the `ceil(n / 2)`-th smallest).
/// - `callbacks_over_limit`: callbacks (not cancelled) whose customer waited longer than
///   the policy's `callback_wait_limit` on the wall clock, delivered or still waiting.
/// - `exceeded`: kept promises that delivered more than promised or were kept early;
///   `over_delivery_rate = exceeded / kept`, judged in `expectations`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Summary {
    /// The customer, or absent for the whole business.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<AccountId>,
    /// Promises judged.
    pub promises: u32,
    /// Still open.
    pub open: u32,
    /// Decided (see above).
    pub decided: u32,
    /// Kept.
    pub kept: u32,
    /// Kept on time.
    pub on_time: u32,
    /// Broken.
    pub broken: u32,
    /// Cancelled by the customer in time.
    pub cancelled: u32,
    /// `kept / decided`.
    pub kept_rate: Option<Decimal>,
    /// `on_time / decided`.
    pub on_time_rate: Option<Decimal>,
    /// Delivered after the due.
    pub late: u32,
    /// Lower median of lateness. In JSON `lateness_median_secs`, whole seconds.
    #[serde(
        rename = "lateness_median_secs",
        default,
        with = "crate::model::secs::opt"
    )]
    #[cfg_attr(feature = "schemars", schemars(with = "Option<i64>"))]
    pub lateness_median: Option<TimeDelta>,
    /// Worst lateness. In JSON `lateness_worst_secs`, whole seconds.
    #[serde(
        rename = "lateness_worst_secs",
        default,
        with = "crate::model::secs::opt"
    )]
    #[cfg_attr(feature = "schemars", schemars(with = "Option<i64>"))]
    pub lateness_worst: Option<TimeDelta>,
    /// Callback promises (implicit and explicit).
    pub callbacks: u32,
    /// Callbacks whose customer waited past the policy's limit.
    pub callbacks_over_limit: u32,
    /// Chains of phone tag.
    pub tag_chains: u32,
    /// The longest chain.
    pub longest_tag_chain: u32,
    /// Kept promises that exceeded.
    pub exceeded: u32,
    /// `exceeded / kept`.
    pub over_delivery_rate: Option<Decimal>,
    /// The over-delivery rate judged against P4.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expectations: Option<Expectations>,
    /// Suggested promise lengths, by kind and clock.
    pub suggestions: Vec<Suggestion>,
}

#[derive(Default, Clone, Copy)]
struct Acc {
    promises: u32,
    open: u32,
    decided: u32,
    kept: u32,
    on_time: u32,
    broken: u32,
    cancelled: u32,
    callbacks: u32,
    callbacks_over: u32,
    chains: u32,
    longest: u32,
    exceeded: u32,
}

fn rate(n: u32, d: u32) -> Option<Decimal> {
    if d == 0 {
        return None;
    }
    Decimal::from(n)
        .checked_div(Decimal::from(d))
        .map(|r| r.round_dp(4))
}

impl Acc {
    fn add(&mut self, v: &Verdict, limit: i64) {
        self.promises += 1;
        self.open += u32::from(v.open);
        let decided = v.status != Status::Cancelled && (!v.open || v.status == Status::Broken);
        let under = v.delivery == Some(Delivery::Under);
        if decided {
            self.decided += 1;
        }
        let kept = v.status.is_kept() && !under;
        if kept {
            self.kept += 1;
            if v.status != Status::LateWithinGrace {
                self.on_time += 1;
            }
            if v.status == Status::KeptEarly || v.delivery == Some(Delivery::Over) {
                self.exceeded += 1;
            }
        }
        match v.status {
            Status::Broken => self.broken += 1,
            Status::Cancelled => self.cancelled += 1,
            _ => {}
        }
        if v.kind == PromiseKind::Callback {
            self.callbacks += 1;
            if v.status != Status::Cancelled && v.waited.num_seconds() > limit {
                self.callbacks_over += 1;
            }
        }
    }

    /// The summary, from the sorted lateness samples and the used times sorted by
    /// (kind, clock, seconds); with `whole` false, its counts and lateness only (no
    /// expectation verdict and no suggestions, so `used` is not read: a caller that
    /// reads only the counts gets no sentence written for it).
    fn finish(
        self,
        account: Option<AccountId>,
        lateness: &[i64],
        used: &[(u32, Clock, i64)],
        kinds: &[&PromiseKind],
        policy: &PromisePolicy,
        whole: bool,
    ) -> Summary {
        let n = lateness.len();
        let median = n
            .checked_sub(1)
            .and_then(|_| lateness.get(n.div_ceil(2) - 1))
            .copied();
        let band = policy.exceed_band;
        let expectations = (whole && self.kept > 0).then(|| {
            let (e, k) = (u64::from(self.exceeded) * 100, u64::from(self.kept));
            let code = if e < u64::from(band.low) * k {
                VerdictCode::NeverExceeds
            } else if e > u64::from(band.high) * k {
                VerdictCode::AlwaysExceeds
            } else {
                VerdictCode::ExceedsOnOccasion
            };
            let args = Args::new()
                .with("exceeded", Arg::count(self.exceeded))
                .with("kept", Arg::count(self.kept))
                .with("band_low_percent", Arg::count(band.low))
                .with("band_high_percent", Arg::count(band.high));
            let sentence = crate::text::english(code.code(), &args).unwrap_or_default();
            Expectations {
                code,
                rule: Rule::P4,
                args,
                sentence,
            }
        });
        let mut suggestions = Vec::new();
        let used = if whole { used } else { &[] };
        for run in used.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
            let n = run.len();
            if n < policy.suggest_min_samples as usize {
                continue;
            }
            let rank = (n * usize::from(policy.suggest_percent))
                .div_ceil(100)
                .max(1);
            if let (Some(&(_, clock, length_secs)), Some(kind)) = (
                run.get(rank - 1),
                run.first().and_then(|r| kinds.get(r.0 as usize)),
            ) {
                suggestions.push(Suggestion {
                    kind: (*kind).clone(),
                    clock,
                    length: secs_delta(length_secs),
                    samples: u32::try_from(n).unwrap_or(u32::MAX),
                    percent: policy.suggest_percent,
                });
            }
        }
        Summary {
            account,
            promises: self.promises,
            open: self.open,
            decided: self.decided,
            kept: self.kept,
            on_time: self.on_time,
            broken: self.broken,
            cancelled: self.cancelled,
            kept_rate: rate(self.kept, self.decided),
            on_time_rate: rate(self.on_time, self.decided),
            late: u32::try_from(n).unwrap_or(u32::MAX),
            lateness_median: median.map(secs_delta),
            lateness_worst: lateness.last().copied().map(secs_delta),
            callbacks: self.callbacks,
            callbacks_over_limit: self.callbacks_over,
            tag_chains: self.chains,
            longest_tag_chain: self.longest,
            exceeded: self.exceeded,
            over_delivery_rate: rate(self.exceeded, self.kept),
            expectations,
            suggestions,
        }
    }
}

/// No group.
const NONE: u32 = u32::MAX;

/// Account ids to dense group numbers, in order of first appearance.
///
/// Looked up by the id's 64-bit hash; the ids are compared as strings with a copy of each
/// group's id kept in one buffer, so a look-up does not go back to the host's scattered
/// strings (one million look-ups, tens of thousands of accounts).
struct Groups<'a> {
    /// Hash of an id to the first group with that hash.
    first: HashMap<u64, u32, FxBuildHasher>,
    /// Per group: the next group whose id has the same hash ([`NONE`] at the end).
    next: Vec<u32>,
    /// Every group's id, one after another.
    text: String,
    /// Per group: where its id ends in `text`.
    ends: Vec<usize>,
    names: Vec<&'a AccountId>,
}

impl<'a> Groups<'a> {
    fn new() -> Groups<'a> {
        Groups {
            first: HashMap::default(),
            next: Vec::new(),
            text: String::new(),
            ends: Vec::new(),
            names: Vec::new(),
        }
    }

    fn name(&self, g: u32) -> Option<&str> {
        let g = g as usize;
        let a = g
            .checked_sub(1)
            .map_or(Some(0), |p| self.ends.get(p).copied());
        self.text.get(a?..*self.ends.get(g)?)
    }

    /// The group of `account`, and whether it is new.
    fn of(&mut self, account: &'a AccountId) -> (u32, bool) {
        let mut h = FxHasher::default();
        h.write(account.as_str().as_bytes());
        self.of_hashed(account, h.finish())
    }

    fn of_hashed(&mut self, account: &'a AccountId, h: u64) -> (u32, bool) {
        let id = account.as_str();
        let fresh = self.names.len() as u32;
        let mut at = match self.first.get(&h) {
            Some(&g) => g,
            None => {
                self.first.insert(h, fresh);
                NONE
            }
        };
        let mut last = NONE;
        while at != NONE {
            if self.name(at) == Some(id) {
                return (at, false);
            }
            last = at;
            at = self.next.get(at as usize).copied().unwrap_or(NONE);
        }
        if let Some(l) = self.next.get_mut(last as usize) {
            *l = fresh;
        }
        self.next.push(NONE);
        self.text.push_str(id);
        self.ends.push(self.text.len());
        self.names.push(account);
        (fresh, true)
    }
}

/// `items` grouped by `key` (below `keys`), in key order, keeping their order within a
/// key (a counting sort).
fn by_key<T: Copy>(items: &[T], keys: usize, key: impl Fn(&T) -> usize) -> Vec<T> {
    let mut start = vec![0usize; keys + 1];
    for x in items {
        if let Some(n) = start.get_mut(key(x) + 1) {
            *n += 1;
        }
    }
    for k in 1..start.len() {
        start[k] += start[k - 1];
    }
    let mut out: Vec<T> = items.to_vec();
    for x in items {
        if let Some(at) = start.get_mut(key(x)) {
            if let Some(o) = out.get_mut(*at) {
                *o = *x;
            }
            *at += 1;
        }
    }
    out
}

/// Puts in place what `finish` reads of the lateness samples, as if sorted: the lower
/// median at its rank and the worst last.
fn place_lateness(late: &mut [i64]) {
    let n = late.len();
    let Some(m) = n.div_ceil(2).checked_sub(1) else {
        return;
    };
    late.select_nth_unstable(m);
    let tail = late.get(m..).unwrap_or_default();
    if let Some((worst, _)) = tail.iter().enumerate().max_by_key(|x| *x.1) {
        late.swap(m + worst, n - 1);
    }
}

/// The business summary and one summary per account (sorted by account id); with
/// `customers_whole` false, the accounts' summaries hold their counts and lateness only
/// (see [`Acc::finish`]).
///
/// One pass over the verdicts with counters per account (no allocation per verdict),
/// then the lateness and used-time samples sorted once for all accounts.
pub(super) fn summarize(
    verdicts: &[Verdict],
    accounts: &[&AccountId],
    chains: &[TagChain],
    policy: &PromisePolicy,
    customers_whole: bool,
) -> (Summary, Vec<Summary>) {
    let limit = policy.callback_wait_limit.length().num_seconds();
    let mut all = Acc::default();
    let mut groups = Groups::new();
    let mut accs: Vec<Acc> = Vec::new();
    let mut kind_index: HashMap<&PromiseKind, u32, FxBuildHasher> = HashMap::default();
    let mut kinds: Vec<&PromiseKind> = Vec::new();
    let delivered = verdicts.iter().filter(|v| v.delivered).count();
    let mut late: Vec<(u32, i64)> = Vec::with_capacity(delivered);
    let mut used: Vec<(u32, u32, Clock, i64)> = Vec::with_capacity(delivered);
    for (v, &a) in verdicts.iter().zip(accounts) {
        let (g, new) = groups.of(a);
        if new {
            accs.push(Acc::default());
        }
        all.add(v, limit);
        if let Some(acc) = accs.get_mut(g as usize) {
            acc.add(v, limit);
        }
        if v.delivered {
            if let Some(l) = v.late_by.map(|d| d.num_seconds()) {
                late.push((g, l));
            }
            let next = kinds.len() as u32;
            let k = *kind_index.entry(&v.kind).or_insert(next);
            if k == next {
                kinds.push(&v.kind);
            }
            used.push((g, k, v.clock, v.used.num_seconds()));
        }
    }
    for c in chains {
        let (g, new) = groups.of(&c.account);
        if new {
            accs.push(Acc::default());
        }
        for acc in [&mut all].into_iter().chain(accs.get_mut(g as usize)) {
            acc.chains += 1;
            acc.longest = acc.longest.max(c.length);
        }
    }
    // The whole business first (samples without their account), then per account. Only
    // the order statistics `finish` reads are put in place: no sort of every sample.
    let mut late_all: Vec<i64> = late.iter().map(|x| x.1).collect();
    place_lateness(&mut late_all);
    let mut used_all = by_key(&used, kinds.len() * 2, |x| x.1 as usize * 2 + x.2 as usize);
    for run in used_all.chunk_by_mut(|a, b| (a.1, a.2) == (b.1, b.2)) {
        let rank = (run.len() * usize::from(policy.suggest_percent)).div_ceil(100);
        if let Some(nth) = rank.max(1).checked_sub(1).filter(|&r| r < run.len()) {
            run.select_nth_unstable_by_key(nth, |x| x.3);
        }
    }
    let used_all: Vec<(u32, Clock, i64)> = used_all.iter().map(|x| (x.1, x.2, x.3)).collect();
    let business = all.finish(None, &late_all, &used_all, &kinds, policy, true);
    // Per account: the samples grouped by account (counting sort), each account's few
    // sorted on their own.
    let late = by_key(&late, accs.len(), |x| x.0 as usize);
    let used = by_key(&used, accs.len(), |x| x.0 as usize);
    let mut late_at = 0usize;
    let mut used_at = 0usize;
    let mut lbuf: Vec<i64> = Vec::new();
    let mut ubuf: Vec<(u32, Clock, i64)> = Vec::new();
    let mut summaries: Vec<(u32, Summary)> = Vec::with_capacity(accs.len());
    for (g, acc) in accs.iter().enumerate() {
        let g = g as u32;
        lbuf.clear();
        while let Some(&(_, l)) = late.get(late_at).filter(|x| x.0 == g) {
            lbuf.push(l);
            late_at += 1;
        }
        lbuf.sort_unstable();
        ubuf.clear();
        while let Some(&(_, k, c, u)) = used.get(used_at).filter(|x| x.0 == g) {
            ubuf.push((k, c, u));
            used_at += 1;
        }
        if customers_whole {
            ubuf.sort_unstable();
        }
        let name = groups.names.get(g as usize).map(|a| (*a).clone());
        summaries.push((
            g,
            acc.finish(name, &lbuf, &ubuf, &kinds, policy, customers_whole),
        ));
    }
    summaries.sort_unstable_by(|a, b| a.1.account.cmp(&b.1.account));
    (business, summaries.into_iter().map(|x| x.1).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_number_accounts_by_first_appearance_and_compare_ids_exactly() {
        let ids: Vec<AccountId> = ["a-2", "a-1", "a-2", "a-10", "a-1", "a-1\0", ""]
            .into_iter()
            .map(AccountId::from)
            .collect();
        let mut g = Groups::new();
        let got: Vec<(u32, bool)> = ids.iter().map(|a| g.of(a)).collect();
        assert_eq!(
            got,
            [
                (0, true),
                (1, true),
                (0, false),
                (2, true),
                (1, false),
                (3, true),
                (4, true)
            ]
        );
        assert_eq!(
            (g.name(3), g.name(4), g.name(5)),
            (Some("a-1\0"), Some(""), None)
        );
        // Every id with one hash: the strings decide.
        let mut g = Groups::new();
        let got: Vec<(u32, bool)> = ids.iter().map(|a| g.of_hashed(a, 7)).collect();
        assert_eq!(
            got.iter().map(|x| x.0).collect::<Vec<_>>(),
            [0, 1, 0, 2, 1, 3, 4]
        );
    }
}
