//! Scoring a book: one pass over the interactions and one over the surveys into a small
//! per-account state, then per account its signals, score, band, actions and value.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::{Decimal, RoundingStrategy};

use super::input::{AccountFacts, ScoreInput};
use super::models::{PurchaseModel, SpendModel, TimeUnit, Variant};
use super::policy::{MAX_TRACKED_FOLLOW_UPS, RiskPolicy};
use super::report::{
    AccountRisk, ActionCode, Band, BandCounts, Direction as TrendDirection, NextAction, RiskReport,
    Signal, SignalCode, Trend, ValueCode,
};
use crate::error::{Error, ErrorKind, FieldPath, Problems};
use crate::model::{Currency, Direction, Money, Outcome, Party, Span, SurveyResponse};
use crate::text::{Arg, Args, english};

const DAY: i64 = 86_400;
const TRACKED: usize = MAX_TRACKED_FOLLOW_UPS as usize;
const SIGNALS: usize = 11;

/// Scores books of accounts with one checked policy and, optionally, fitted models.
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use retention::risk::{AccountFacts, ScoreInput, PromiseFacts, RiskPolicy, Scorer};
///
/// let scorer = Scorer::new(RiskPolicy::default())?;
/// let mut acme = AccountFacts::new("a-1");
/// acme.promises = Some(PromiseFacts::new(4, 2, 0));
/// acme.next_service_planned = Some(false);
/// let now = Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap();
/// let report = scorer.score(ScoreInput::new(&[acme], &[], &[]), now)?;
/// let risk = &report.accounts[0];
/// assert_eq!(risk.signals[0].sentence, "2 of 6 promises broken");
/// assert_eq!(risk.signals.iter().map(|s| u32::from(s.contribution)).sum::<u32>(), u32::from(risk.score));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Scorer {
    policy: RiskPolicy,
    rhythm: crate::model::Rhythm,
    /// Policies for the accounts of a segment, by segment name (sorted).
    segments: Vec<(String, RiskPolicy, crate::model::Rhythm)>,
    purchases: Option<(PurchaseModel, TimeUnit)>,
    spend: Option<(SpendModel, Currency)>,
    /// The lowest band whose accounts get their signals, actions and value reason
    /// written out; an account below it is scored, banded and valued, with none of
    /// them (the daily desk lists only the accounts from its `at_risk_from` band).
    described_from: Band,
}

/// Per-account state gathered from the interactions and surveys.
#[derive(Clone, Copy)]
struct Acc<'a> {
    contacts: u32,
    first_contact: i64,
    last_contact: i64,
    recent: u32,
    baseline: u32,
    last_conversation: i64,
    person: Option<&'a str>,
    many_people: bool,
    contacts_with_person: u32,
    attempts: [i64; TRACKED],
    n_attempts: u8,
    unhappy: u32,
    latest_unhappy: Option<&'a SurveyResponse>,
}

impl Default for Acc<'_> {
    fn default() -> Self {
        Acc {
            contacts: 0,
            first_contact: i64::MAX,
            last_contact: i64::MIN,
            recent: 0,
            baseline: 0,
            last_conversation: i64::MIN,
            person: None,
            many_people: false,
            contacts_with_person: 0,
            attempts: [i64::MIN; TRACKED],
            n_attempts: 0,
            unhappy: 0,
            latest_unhappy: None,
        }
    }
}

impl Acc<'_> {
    /// Keeps the most recent `TRACKED` attempt instants (order-independent).
    fn add_attempt(&mut self, t: i64) {
        let n = usize::from(self.n_attempts);
        if n < TRACKED {
            if let Some(slot) = self.attempts.get_mut(n) {
                *slot = t;
                self.n_attempts += 1;
            }
        } else if let Some(min) = self.attempts.iter_mut().min() {
            if t > *min {
                *min = t;
            }
        }
    }

    fn unanswered_attempts(&self) -> u32 {
        let n = usize::from(self.n_attempts);
        self.attempts
            .get(..n)
            .unwrap_or(&[])
            .iter()
            .filter(|&&t| t > self.last_contact)
            .count() as u32
    }
}

/// Whether `a` is a worse (or equal-time, lower-scored, smaller-id) latest unhappy
/// answer than `b`: a total order, so the choice does not depend on input order.
fn later_unhappy(a: &SurveyResponse, b: &SurveyResponse) -> bool {
    (a.answered_at, std::cmp::Reverse(a.score), a.id.as_str())
        > (b.answered_at, std::cmp::Reverse(b.score), b.id.as_str())
}

/// A signal before its sentence is written.
#[derive(Clone, Copy)]
struct Raw {
    code: SignalCode,
    strength: f64,
    critical: bool,
    value: f64,
    detail: [f64; 3],
}

fn ratio_strength(value: f64, start: f64, full: f64) -> f64 {
    if full <= start {
        return if value >= start { 1.0 } else { 0.0 };
    }
    ((value - start) / (full - start)).clamp(0.0, 1.0)
}

/// Rounds a reported float to 6 decimals, so it reads back from JSON bit for bit (a
/// value too large to scale is already whole to 6 decimals, and stays as it is).
fn round6(v: f64) -> f64 {
    let r = (v * 1e6).round() / 1e6;
    if r.is_finite() { r } else { v }
}

fn count_strength(n: u32, full: u32) -> f64 {
    (f64::from(n) / f64::from(full.max(1))).min(1.0)
}

/// The calendar date (UTC) of a contact's instant in seconds.
fn date_of(t: i64) -> Option<NaiveDate> {
    DateTime::<Utc>::from_timestamp(t, 0).map(|d| d.date_naive())
}

/// Splits `score` points over the raw contributions (milli-points) by the largest
/// remainder method, so the parts add up to `score` exactly; ties go to the earlier
/// signal.
/// A decimal of scale at most 2 as whole cents (`12.3` is 1230), which order as the
/// decimals do; `None` for a finer scale.
fn cents(d: Decimal) -> Option<i128> {
    let up = 2u32.checked_sub(d.scale())?;
    d.mantissa().checked_mul(10i128.pow(up))
}

/// The positions of the reports in rank order, from their keys (value at risk, score,
/// the id's first 8 bytes, position): some value before none, larger first; then score,
/// larger first; then account id (`id` of a position). Account ids are unique, so the
/// order is total and an unstable sort is deterministic.
fn rank<'a, K: Ord>(
    mut keys: Vec<(Option<K>, u8, u64, usize)>,
    id: impl Fn(usize) -> Option<&'a str>,
) -> Vec<usize> {
    keys.sort_unstable_by(|a, b| {
        b.0.cmp(&a.0)
            .then(b.1.cmp(&a.1))
            .then(a.2.cmp(&b.2))
            .then_with(|| id(a.3).cmp(&id(b.3)).then(a.3.cmp(&b.3)))
    });
    keys.into_iter().map(|k| k.3).collect()
}

fn allocate(raw: &[u64; SIGNALS], score: u8) -> [u8; SIGNALS] {
    let total: u64 = raw.iter().sum();
    let mut out = [0u8; SIGNALS];
    if total == 0 || score == 0 {
        return out;
    }
    let s = u64::from(score);
    let mut rem = [0u64; SIGNALS];
    let mut given = 0u64;
    for ((o, r), m) in out.iter_mut().zip(raw).zip(rem.iter_mut()) {
        let q = r * s;
        *o = u8::try_from(q / total).unwrap_or(u8::MAX);
        *m = q % total;
        given += q / total;
    }
    let mut left = s.saturating_sub(given);
    while left > 0 {
        // The largest remainder; the earliest on ties.
        let mut best: Option<usize> = None;
        for (i, m) in rem.iter().enumerate() {
            if raw.get(i).copied().unwrap_or(0) > 0
                && best.is_none_or(|b| *m > rem.get(b).copied().unwrap_or(0))
            {
                best = Some(i);
            }
        }
        let Some(b) = best else { break };
        if let (Some(o), Some(m)) = (out.get_mut(b), rem.get_mut(b)) {
            *o = o.saturating_add(1);
            *m = 0;
        }
        left -= 1;
    }
    out
}

impl Scorer {
    /// A scorer with this policy and no models: the signals alone score.
    ///
    /// # Errors
    /// Every problem of the policy (see [`RiskPolicy::validate`]).
    pub fn new(policy: RiskPolicy) -> Result<Scorer, Error> {
        policy.validate()?;
        Ok(Scorer {
            rhythm: policy.rhythm(),
            segments: Vec::new(),
            policy,
            purchases: None,
            spend: None,
            described_from: Band::Healthy,
        })
    }

    /// The scorer, writing out the signals, actions and value reason only of the
    /// accounts in `band` or above: the others' score, band, trend, expected value and
    /// value at risk are the same, their lists empty. For a caller that keeps only those
    /// accounts (the daily desk), so that no sentence is rendered for an account dropped.
    pub(crate) fn described_from(mut self, band: Band) -> Scorer {
        self.described_from = band;
        self
    }

    /// The scorer with `policy` for the accounts whose facts name `segment`
    /// ([`AccountFacts::segment`]): their signals' weights, thresholds and bands, and
    /// the rhythm their silence is judged by, follow it. The windows over the
    /// interactions (`recent_window`, `baseline_window`, the lookbacks) and the value
    /// horizon are this scorer's for every account. A second policy for the same
    /// segment replaces the first.
    ///
    /// ```
    /// use retention::risk::{RiskPolicy, Scorer};
    /// let mut homes = RiskPolicy::default();
    /// homes.weights.single_threaded = 0;
    /// let scorer = Scorer::new(RiskPolicy::default())?.with_segment("residential", homes)?;
    /// assert_eq!(scorer.segment_policy("residential").unwrap().weights.single_threaded, 0);
    /// # Ok::<(), retention::Error>(())
    /// ```
    ///
    /// # Errors
    /// Every problem of `policy` (see [`RiskPolicy::validate`]).
    pub fn with_segment(
        mut self,
        segment: impl Into<String>,
        policy: RiskPolicy,
    ) -> Result<Scorer, Error> {
        policy.validate()?;
        let name = segment.into();
        let rhythm = policy.rhythm();
        match self
            .segments
            .binary_search_by(|(n, _, _)| n.as_str().cmp(&name))
        {
            Ok(i) => {
                if let Some(slot) = self.segments.get_mut(i) {
                    (slot.1, slot.2) = (policy, rhythm);
                }
            }
            Err(i) => self.segments.insert(i, (name, policy, rhythm)),
        }
        Ok(self)
    }

    /// The policy for the accounts of segment `name`, if it has its own.
    pub fn segment_policy(&self, name: &str) -> Option<&RiskPolicy> {
        self.segments
            .binary_search_by(|(n, _, _)| n.as_str().cmp(name))
            .ok()
            .and_then(|i| self.segments.get(i))
            .map(|(_, p, _)| p)
    }

    /// The policy and rhythm an account is scored by: its segment's, else the book's.
    fn policy_for(&self, facts: &AccountFacts) -> (&RiskPolicy, &crate::model::Rhythm) {
        facts
            .segment
            .as_deref()
            .and_then(|name| {
                self.segments
                    .binary_search_by(|(n, _, _)| n.as_str().cmp(name))
                    .ok()
            })
            .and_then(|i| self.segments.get(i))
            .map_or((&self.policy, &self.rhythm), |(_, p, r)| (p, r))
    }

    /// Adds a purchase model: P(alive) becomes a signal for accounts with a purchase
    /// summary (in `unit`), and with a spend model, the expected value.
    ///
    /// # Errors
    /// `risk.model_undefined` at `params.a` when the model's expected purchases are
    /// undefined for some customers: `a` within 1e-9 of 1, or (plain BG/NBD) `a + b ≤ 1`.
    /// Checked here so that scoring a valid book does not fail on them later.
    pub fn with_purchase_model(
        mut self,
        model: PurchaseModel,
        unit: TimeUnit,
    ) -> Result<Scorer, Error> {
        let p = model.params();
        if (p.a - 1.0).abs() < 1e-9 || (model.variant() == Variant::BgNbd && p.a + p.b <= 1.0) {
            return Err(Error::new(
                ErrorKind::RiskModelUndefined,
                FieldPath::root().field("params").field("a"),
                format!(
                    "with a = {} and b = {} the model's expected purchases are undefined for some customers",
                    p.a, p.b
                ),
            ));
        }
        self.purchases = Some((model, unit));
        Ok(self)
    }

    /// Adds a spend model: with the purchase model, an account without a host-supplied
    /// expected value gets expected purchases over the policy's horizon × expected
    /// spend per purchase, in `currency` (undiscounted).
    ///
    /// # Errors
    /// `risk.model_undefined` at `q` when `q ≤ 1` (the expected spend is infinite).
    pub fn with_spend_model(
        mut self,
        model: SpendModel,
        currency: Currency,
    ) -> Result<Scorer, Error> {
        let q = model.params().q;
        if q <= 1.0 {
            return Err(Error::new(
                ErrorKind::RiskModelUndefined,
                FieldPath::root().field("q"),
                format!("with q = {q} (not above 1) the expected spend is infinite"),
            ));
        }
        self.spend = Some((model, currency));
        Ok(self)
    }

    /// The policy.
    pub fn policy(&self) -> &RiskPolicy {
        &self.policy
    }

    fn check_accounts<'a>(
        &self,
        accounts: &'a [AccountFacts],
    ) -> Result<HashMap<&'a str, u32>, Error> {
        let mut problems = Problems::new();
        let mut index: HashMap<&str, u32> = HashMap::with_capacity(accounts.len());
        if accounts.is_empty() {
            problems.push(
                ErrorKind::RiskEmptyBook,
                FieldPath::root().field("accounts"),
                "the book has no accounts to score",
            );
        }
        for (i, a) in accounts.iter().enumerate() {
            let start = problems.len();
            a.account
                .check(|| FieldPath::root().field("account"), &mut problems);
            let key = a.account.as_str();
            if !key.trim().is_empty() {
                let slot = u32::try_from(i).unwrap_or(u32::MAX);
                if index.insert(key, slot).is_some() {
                    problems.push(
                        ErrorKind::DuplicateId,
                        FieldPath::root().field("account"),
                        format!("the account `{key}` is listed twice"),
                    );
                }
            }
            if let Some(s) = a.previous_score.filter(|s| *s > 100) {
                problems.push(
                    ErrorKind::RiskScoreOutOfRange,
                    FieldPath::root().field("previous_score"),
                    format!("the previous score {s} is above 100"),
                );
            }
            if let Some(p) = &a.purchases {
                let ps = problems.len();
                p.check(&mut problems);
                problems.place_since(ps, || FieldPath::root().field("purchases"));
            }
            if let Some(v) = a.expected_value.filter(|v| v.amount < Decimal::ZERO) {
                problems.push(
                    ErrorKind::RiskInvalidSpend,
                    FieldPath::root().field("expected_value"),
                    format!("the expected value {} {} is negative", v.amount, v.currency),
                );
            }
            problems.place_since(start, || FieldPath::root().field("accounts").index(i));
        }
        problems.finish()?;
        Ok(index)
    }

    /// Scores every account of the book as of `now`.
    ///
    /// Reads each interaction's account, person, instant, channel, direction, initiator
    /// and outcome, and each survey's account, instant, score and scale; the records
    /// are not re-validated here (a host checks them once with
    /// [`validate_interactions`](crate::model::validate_interactions) and friends).
    ///
    /// # Errors
    /// `risk.empty_book` (`accounts`); per account at `accounts[i]...`:
    /// `model.empty_id`, `model.duplicate_id` (`account`), `risk.score_out_of_range`
    /// (`previous_score`), the purchase summary's problems (`purchases...`),
    /// `risk.invalid_spend` (`expected_value` negative), `model.currency_mismatch`
    /// (`expected_value` in another currency than the book's first),
    /// `model.amount_overflow`, and `risk.model_undefined` (`purchases`) in the rare case
    /// that a customer's expected purchases cannot be computed (the hypergeometric series
    /// does not converge within its term limit, or the value overflows).
    pub fn score(&self, book: ScoreInput<'_>, now: DateTime<Utc>) -> Result<RiskReport, Error> {
        let index = self.check_accounts(book.accounts)?;
        let p = &self.policy;
        let now_s = now.timestamp();
        let recent_start = now_s - p.recent_window.length().num_seconds();
        let baseline_start = recent_start - p.baseline_window.length().num_seconds();
        let follow_start = now_s - p.follow_up_lookback.length().num_seconds();
        let survey_start = now_s - p.survey_lookback.length().num_seconds();

        let mut accs: Vec<Acc<'_>> = vec![Acc::default(); book.accounts.len()];
        // Interactions: one look-up per run of the same account.
        let mut run: Option<(&str, Option<u32>)> = None;
        for ix in book.interactions {
            let t = ix.at.timestamp();
            if t > now_s {
                continue;
            }
            let key = ix.account.as_str();
            let slot = match run {
                Some((k, s)) if k == key => s,
                _ => {
                    let s = index.get(key).copied();
                    run = Some((key, s));
                    s
                }
            };
            let Some(acc) = slot.and_then(|s| accs.get_mut(s as usize)) else {
                continue;
            };
            let conversation = ix.is_conversation();
            if conversation || ix.is_from_customer() {
                acc.contacts += 1;
                acc.first_contact = acc.first_contact.min(t);
                acc.last_contact = acc.last_contact.max(t);
                if t > recent_start {
                    acc.recent += 1;
                } else if t > baseline_start {
                    acc.baseline += 1;
                }
                if conversation {
                    acc.last_conversation = acc.last_conversation.max(t);
                }
                if let Some(person) = &ix.person {
                    acc.contacts_with_person += 1;
                    if acc.many_people {
                        continue;
                    }
                    match acc.person {
                        None => acc.person = Some(person.as_str()),
                        Some(q) if q != person.as_str() => acc.many_people = true,
                        Some(_) => {}
                    }
                }
            } else if t >= follow_start
                && ix.direction == Direction::Outbound
                && matches!(ix.initiated_by, Party::Staff { .. })
                && ix.channel.is_live()
                && matches!(ix.outcome, Outcome::NoAnswer | Outcome::LeftMessage)
            {
                acc.add_attempt(t);
            }
        }
        let mut run: Option<(&str, Option<u32>)> = None;
        for s in book.surveys {
            let t = s.answered_at.timestamp();
            if t > now_s || t <= survey_start || !s.is_unhappy() {
                continue;
            }
            let key = s.account.as_str();
            let slot = match run {
                Some((k, v)) if k == key => v,
                _ => {
                    let v = index.get(key).copied();
                    run = Some((key, v));
                    v
                }
            };
            let Some(acc) = slot.and_then(|v| accs.get_mut(v as usize)) else {
                continue;
            };
            acc.unhappy += 1;
            if acc.latest_unhappy.is_none_or(|l| later_unhappy(s, l)) {
                acc.latest_unhappy = Some(s);
            }
        }

        let mut out = Vec::with_capacity(book.accounts.len());
        let mut currency: Option<(Currency, usize)> = None;
        let mut bands = BandCounts::default();
        for (i, (facts, acc)) in book.accounts.iter().zip(&accs).enumerate() {
            let risk = self
                .account(i, facts, acc, now)
                .map_err(|e| e.under(&FieldPath::root().field("accounts").index(i)))?;
            if let Some(v) = &risk.expected_value {
                match currency {
                    None => currency = Some((v.currency, i)),
                    Some((c, first)) if c != v.currency => {
                        return Err(Error::new(
                            ErrorKind::CurrencyMismatch,
                            FieldPath::root()
                                .field("accounts")
                                .index(i)
                                .field("expected_value"),
                            format!(
                                "the expected value is in {}, but accounts[{first}]'s is in {c}: \
                                 a book is ranked in one currency",
                                v.currency
                            ),
                        ));
                    }
                    Some(_) => {}
                }
            }
            match risk.band {
                Band::Healthy => bands.healthy += 1,
                Band::Watch => bands.watch += 1,
                Band::AtRisk => bands.at_risk += 1,
                Band::Critical => bands.critical += 1,
            }
            out.push(risk);
        }
        // Rank small keys, then move each report once. Account ids are unique, so the
        // order is total and an unstable sort is deterministic.
        // The id's first 8 bytes, big-endian, order ids like the ids themselves as far
        // as they go, so most ties never read the strings.
        let prefix = |id: &str| {
            let mut b = [0u8; 8];
            for (d, s) in b.iter_mut().zip(id.as_bytes()) {
                *d = *s;
            }
            u64::from_be_bytes(b)
        };
        // Values at risk are rounded to cents (scale at most 2): compared as whole cents
        // in an i128, exactly as the decimals compare, without a decimal comparison per
        // step of the sort. A value of finer scale (none is made so) ranks as a decimal.
        let fits = out
            .iter()
            .filter_map(|a| a.value_at_risk)
            .all(|m| cents(m.amount).is_some());
        let id = |k: usize| out.get(k).map(|r| r.account.as_str());
        let mut perm: Vec<usize> = if fits {
            let keys = out.iter().enumerate().map(|(pos, a)| {
                let var = a.value_at_risk.and_then(|m| cents(m.amount));
                (var, a.score, prefix(a.account.as_str()), pos)
            });
            rank(keys.collect(), id)
        } else {
            let keys = out.iter().enumerate().map(|(pos, a)| {
                let var = a.value_at_risk.map(|m| m.amount);
                (var, a.score, prefix(a.account.as_str()), pos)
            });
            rank(keys.collect(), id)
        };
        // Apply the permutation in place, cycle by cycle: position i takes the report
        // at perm[i].
        for i in 0..perm.len() {
            let mut j = i;
            while let Some(&k) = perm.get(j) {
                if k == usize::MAX {
                    break;
                }
                if let Some(done) = perm.get_mut(j) {
                    *done = usize::MAX;
                }
                if k == i {
                    break;
                }
                out.swap(j, k);
                j = k;
            }
        }
        let accounts = out;
        Ok(RiskReport { accounts, bands })
    }

    /// The signals of one account, unsorted, without sentences.
    fn raw_signals(
        &self,
        facts: &AccountFacts,
        acc: &Acc<'_>,
        now: DateTime<Utc>,
        p_alive: Option<f64>,
        buf: &mut [Option<Raw>; SIGNALS],
    ) {
        let (p, rhythm) = self.policy_for(facts);
        let now_s = now.timestamp();
        let mut put =
            |code: SignalCode, strength: f64, critical: bool, value: f64, detail: [f64; 3]| {
                if strength > 0.0 || critical {
                    if let Some(slot) = buf.get_mut(code as usize) {
                        *slot = Some(Raw {
                            code,
                            strength,
                            critical,
                            value,
                            detail,
                        });
                    }
                }
            };
        // Silence (K1), against the customer's own rhythm (the computation the cadence
        // planner's quiet escalation shares).
        let known_start = facts
            .known_since
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc().timestamp())
            .or((acc.contacts > 0).then_some(acc.first_contact));
        let since = if acc.contacts > 0 {
            Some((now_s - acc.last_contact).div_euclid(DAY))
        } else {
            known_start.map(|start| (now_s - start).max(0).div_euclid(DAY))
        };
        let known_days = known_start.map_or(0, |start| (now_s - start).max(0).div_euclid(DAY));
        let rhythm = rhythm.usual_gap_days(
            acc.contacts,
            acc.first_contact,
            acc.last_contact,
            known_days,
        );
        if let (Some(since), Some(gap)) = (since, rhythm) {
            let ratio = since as f64 / gap.days;
            put(
                SignalCode::Silence,
                ratio_strength(ratio, p.silence_starts_at, p.silence_full_at),
                ratio >= p.silence_critical_at,
                since as f64,
                [
                    gap.days,
                    if gap.own { 1.0 } else { 0.0 },
                    f64::from(acc.contacts),
                ],
            );
        }
        // Falling frequency (K1).
        let recent_days = p.recent_window.length().num_seconds() as f64 / DAY as f64;
        let base_days = p.baseline_window.length().num_seconds() as f64 / DAY as f64;
        let expected = f64::from(acc.baseline) * recent_days / base_days;
        if acc.baseline > 0 && expected >= f64::from(p.frequency_min_expected) {
            let drop = (1.0 - f64::from(acc.recent) / expected).max(0.0);
            let start = f64::from(p.frequency_drop_starts_at) / 100.0;
            put(
                SignalCode::FallingFrequency,
                ratio_strength(drop, start, 1.0),
                false,
                (drop * 100.0).round(),
                [f64::from(acc.recent), expected, f64::from(acc.baseline)],
            );
        }
        // Unhappy surveys (K2).
        if let Some(latest) = acc.latest_unhappy {
            let recovered = acc.last_conversation > latest.answered_at.timestamp();
            put(
                SignalCode::UnhappySurvey,
                count_strength(acc.unhappy, p.unhappy_surveys_full_at),
                !recovered,
                f64::from(acc.unhappy),
                [if recovered { 1.0 } else { 0.0 }, 0.0, 0.0],
            );
        }
        // Unanswered follow-ups (K2).
        let unanswered = acc.unanswered_attempts();
        if unanswered > 0 {
            put(
                SignalCode::UnansweredFollowUp,
                count_strength(unanswered, p.follow_ups_full_at),
                unanswered >= p.follow_ups_critical_at,
                f64::from(unanswered),
                [0.0; 3],
            );
        }
        // Neglect (K3).
        if let Some(c) = facts.cadence.filter(|c| c.overdue_obligations > 0) {
            // The thresholds in days (fixed spans, checked by the policy).
            let in_days = |s: Span| s.length().num_seconds() as f64 / DAY as f64;
            let worst = f64::from(c.worst_days_overdue);
            let strength = count_strength(c.overdue_obligations, p.overdue_full_at)
                .max((worst / in_days(p.worst_overdue_full_at).max(f64::MIN_POSITIVE)).min(1.0));
            put(
                SignalCode::Neglect,
                strength,
                worst >= in_days(p.worst_overdue_critical_at),
                f64::from(c.worst_days_overdue),
                [f64::from(c.overdue_obligations), 0.0, 0.0],
            );
        }
        // Promises (K5).
        if let Some(pr) = facts.promises {
            if pr.broken > 0 {
                put(
                    SignalCode::BrokenPromises,
                    count_strength(pr.broken, p.broken_promises_full_at),
                    pr.broken >= p.broken_promises_critical_at,
                    f64::from(pr.broken),
                    [f64::from(pr.kept), 0.0, 0.0],
                );
            }
            if pr.slow_callbacks > 0 {
                put(
                    SignalCode::SlowCallbacks,
                    count_strength(pr.slow_callbacks, p.slow_callbacks_full_at),
                    false,
                    f64::from(pr.slow_callbacks),
                    [0.0; 3],
                );
            }
        }
        // Orders (O4).
        if let Some(o) = facts.orders {
            let n = o.hanging.saturating_add(o.partially_complete);
            if n > 0 {
                put(
                    SignalCode::HangingOrders,
                    count_strength(n, p.hanging_orders_full_at),
                    false,
                    f64::from(n),
                    [f64::from(o.hanging), f64::from(o.partially_complete), 0.0],
                );
            }
        }
        // Single-threaded (C3).
        if acc.contacts_with_person >= p.single_thread_min_contacts && !acc.many_people {
            put(
                SignalCode::SingleThreaded,
                1.0,
                false,
                1.0,
                [f64::from(acc.contacts_with_person), 0.0, 0.0],
            );
        }
        // Next service (C8).
        if facts.next_service_planned == Some(false) {
            put(SignalCode::NoNextService, 1.0, false, 0.0, [0.0; 3]);
        }
        // P(alive) (K4).
        if let (Some(pa), Some(c)) = (p_alive, facts.purchases) {
            let start = p.p_alive_starts_below;
            put(
                SignalCode::LowPAlive,
                ((start - pa) / start).clamp(0.0, 1.0),
                pa < p.p_alive_critical_below,
                pa,
                [c.frequency as f64, c.age - c.recency, c.age],
            );
        }
    }

    /// The facts of a firing signal, as its sentence states them.
    fn signal_args(&self, r: &Raw, facts: &AccountFacts, acc: &Acc<'_>) -> Args {
        let (p, _) = self.policy_for(facts);
        let d = r.detail;
        let count = |x: f64| Arg::Count(x as i64);
        match r.code {
            SignalCode::Silence => Args::new()
                .with("days_silent", count(r.value))
                .with("usual_gap_days", Arg::Number(round6(d[0])))
                .with("own_rhythm", Arg::Flag(d[1] > 0.0))
                .with("contacts", count(d[2]))
                .with_opt(
                    "known_since",
                    facts
                        .known_since
                        .filter(|_| acc.contacts == 0)
                        .map(Arg::Date),
                ),
            SignalCode::FallingFrequency => Args::new()
                .with("recent_contacts", count(d[0]))
                .with("recent_window", Arg::Span(p.recent_window))
                .with("expected_contacts", Arg::Number(round6(d[1])))
                .with("baseline_contacts", count(d[2]))
                .with("baseline_window", Arg::Span(p.baseline_window))
                .with("drop_percent", count(r.value)),
            SignalCode::UnhappySurvey => {
                let mut args = Args::new()
                    .with("unhappy_answers", count(r.value))
                    .with("lookback", Arg::Span(p.survey_lookback));
                if let Some(l) = acc.latest_unhappy {
                    let number = |x: Decimal| Arg::Number(x.to_f64().unwrap_or(0.0));
                    args = args
                        .with("survey", Arg::id(&l.id))
                        .with("latest_score", number(l.score))
                        .with("scale_min", number(l.scale.min))
                        .with("scale_max", number(l.scale.max))
                        .with("latest_on", Arg::Date(l.answered_at.date_naive()));
                }
                args.with_opt(
                    "conversation_on",
                    (d[0] > 0.0)
                        .then(|| date_of(acc.last_conversation))
                        .flatten()
                        .map(Arg::Date),
                )
            }
            SignalCode::UnansweredFollowUp => Args::new()
                .with("attempts", count(r.value))
                .with(
                    "at_least",
                    Arg::Flag(r.value >= f64::from(MAX_TRACKED_FOLLOW_UPS)),
                )
                .with("lookback", Arg::Span(p.follow_up_lookback))
                .with_opt(
                    "last_contact_on",
                    (acc.contacts > 0)
                        .then(|| date_of(acc.last_contact))
                        .flatten()
                        .map(Arg::Date),
                ),
            SignalCode::Neglect => Args::new()
                .with("overdue_obligations", count(d[0]))
                .with("worst_days_overdue", count(r.value)),
            SignalCode::BrokenPromises => Args::new()
                .with("broken", count(r.value))
                .with("promises", count(r.value + d[0])),
            SignalCode::SlowCallbacks => Args::new().with("slow_callbacks", count(r.value)),
            SignalCode::HangingOrders => Args::new()
                .with("hanging", count(d[0]))
                .with("partially_complete", count(d[1])),
            SignalCode::SingleThreaded => Args::new()
                .with("contacts", count(d[0]))
                .with_opt("person", acc.person.map(Arg::id)),
            SignalCode::NoNextService => Args::new(),
            SignalCode::LowPAlive => {
                let args = Args::new().with("p_alive", Arg::Number(round6(r.value)));
                let args = match self.purchases {
                    Some((m, u)) => args
                        .with("model", Arg::term(m.variant().as_str()))
                        .with("unit", Arg::term(u.as_str())),
                    None => args,
                };
                args.with("repeat_purchases", count(d[0]))
                    .with("since_last_purchase", Arg::Number(round6(d[1])))
                    .with("customer_for", Arg::Number(round6(d[2])))
            }
        }
    }

    /// The action a firing signal calls for, without its sentence.
    fn action_code(p: &RiskPolicy, code: SignalCode, value: Option<&Money>) -> ActionCode {
        match code {
            SignalCode::UnhappySurvey => ActionCode::ManagerCall,
            SignalCode::UnansweredFollowUp => ActionCode::CallUntilReached,
            SignalCode::Silence | SignalCode::FallingFrequency | SignalCode::LowPAlive => {
                match (value, p.visit_value_at_least) {
                    (Some(v), Some(min)) if v.amount >= min => ActionCode::Visit,
                    _ => ActionCode::Call,
                }
            }
            SignalCode::Neglect => ActionCode::CatchUpOnContact,
            SignalCode::BrokenPromises | SignalCode::SlowCallbacks => {
                ActionCode::MakeGoodOnPromises
            }
            SignalCode::HangingOrders => ActionCode::FinishOpenOrders,
            SignalCode::SingleThreaded => ActionCode::MeetMorePeople,
            SignalCode::NoNextService => ActionCode::PlanNextService,
        }
    }

    fn action(
        &self,
        p: &RiskPolicy,
        code: SignalCode,
        raw: &Raw,
        value: Option<&Money>,
    ) -> NextAction {
        let (action, args) = match code {
            SignalCode::UnhappySurvey => (ActionCode::ManagerCall, Args::new()),
            SignalCode::UnansweredFollowUp => (ActionCode::CallUntilReached, Args::new()),
            SignalCode::Silence | SignalCode::FallingFrequency | SignalCode::LowPAlive => {
                match (value, p.visit_value_at_least) {
                    (Some(v), Some(min)) if v.amount >= min => (
                        ActionCode::Visit,
                        Args::new()
                            .with("expected_value", Arg::Amount(v.amount))
                            .with("currency", Arg::Term(v.currency.as_str().to_owned().into())),
                    ),
                    _ => (ActionCode::Call, Args::new()),
                }
            }
            SignalCode::Neglect => (
                ActionCode::CatchUpOnContact,
                Args::new().with("overdue_obligations", Arg::Count(raw.detail[0] as i64)),
            ),
            SignalCode::BrokenPromises | SignalCode::SlowCallbacks => {
                (ActionCode::MakeGoodOnPromises, Args::new())
            }
            SignalCode::HangingOrders => (ActionCode::FinishOpenOrders, Args::new()),
            SignalCode::SingleThreaded => (ActionCode::MeetMorePeople, Args::new()),
            SignalCode::NoNextService => (ActionCode::PlanNextService, Args::new()),
        };
        NextAction {
            code: action,
            rule: action.rule(),
            because: code,
            sentence: english(action.code(), &args).unwrap_or_default(),
            args,
        }
    }

    fn expected_value(&self, facts: &AccountFacts) -> Result<Option<Money>, Error> {
        if let Some(v) = facts.expected_value {
            return Ok(Some(v));
        }
        let (Some((pm, _)), Some((sm, currency)), Some(c)) =
            (self.purchases, self.spend, facts.purchases)
        else {
            return Ok(None);
        };
        let at = |e: Error| e.under(&FieldPath::root().field("purchases"));
        let n = pm
            .expected_purchases(&c, self.policy.value_horizon)
            .map_err(at)?;
        let spend = sm.expected_average_spend(&c).map_err(at)?;
        let amount = Decimal::from_f64(n * spend)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::AmountOverflow,
                    FieldPath::root().field("purchases"),
                    format!("the expected value {} does not fit a decimal", n * spend),
                )
            })?
            .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        Ok(Some(Money::new(amount, currency)))
    }

    fn account(
        &self,
        index: usize,
        facts: &AccountFacts,
        acc: &Acc<'_>,
        now: DateTime<Utc>,
    ) -> Result<AccountRisk, Error> {
        let (p, _) = self.policy_for(facts);
        let p_alive = match (self.purchases, &facts.purchases) {
            (Some((m, _)), Some(c)) if !(m.variant() == Variant::BgNbd && c.frequency == 0) => {
                Some(m.p_alive_unchecked(c))
            }
            _ => None,
        };
        let mut buf: [Option<Raw>; SIGNALS] = [None; SIGNALS];
        self.raw_signals(facts, acc, now, p_alive, &mut buf);
        let weights = p.weights.as_array();
        // A signal the policy gives no weight (a segment's `single_threaded: 0`) is not
        // listed unless it is critical: it is not this account's concern.
        for (slot, (_, w)) in buf.iter_mut().zip(&weights) {
            if *w == 0 && slot.is_some_and(|s| !s.critical) {
                *slot = None;
            }
        }
        let mut raw = [0u64; SIGNALS];
        for ((r, s), (_, w)) in raw.iter_mut().zip(&buf).zip(&weights) {
            if let Some(s) = s {
                *r = (f64::from(*w) * s.strength * 1000.0).round() as u64;
            }
        }
        let total: u64 = raw.iter().sum();
        let score = u8::try_from(((total + 500) / 1000).min(100)).unwrap_or(100);
        let parts = allocate(&raw, score);
        let mut band = if score >= p.bands.critical_from {
            Band::Critical
        } else if score >= p.bands.at_risk_from {
            Band::AtRisk
        } else if score >= p.bands.watch_from {
            Band::Watch
        } else {
            Band::Healthy
        };
        let any_critical = buf.iter().flatten().any(|s| s.critical);
        let raised_by_critical = any_critical && band < Band::AtRisk;
        if raised_by_critical {
            band = Band::AtRisk;
        }
        let expected_value = self.expected_value(facts)?;
        // K6: a lost customer takes the word of mouth with them: a share of what the
        // accounts they referred are worth joins their value at risk.
        // The share is converted only for an account that referred others: most did not.
        let referred = facts
            .referred_value
            .filter(|r| facts.referrals > 0 && !r.amount.is_zero());
        let share = match referred {
            Some(_) => Decimal::from_f64(p.referral_share).unwrap_or(Decimal::ZERO),
            None => Decimal::ZERO,
        };
        let referred = referred
            .filter(|_| !share.is_zero())
            .filter(|r| expected_value.is_none_or(|v| v.currency == r.currency));
        // Only the accounts described get their lists and sentences.
        let described = band >= self.described_from;
        let value_reason_args = referred.filter(|_| described).map(|r| {
            let percent = (share * Decimal::ONE_HUNDRED).normalize();
            Args::new()
                .with("referrals", Arg::count(facts.referrals))
                .with("referred_value", Arg::Amount(r.amount))
                .with("currency", Arg::Term(r.currency.as_str().to_owned().into()))
                .with(
                    "referral_share_percent",
                    Arg::Number(percent.to_f64().unwrap_or(0.0)),
                )
        });
        let value_reason = value_reason_args
            .as_ref()
            .map(|args| english(ValueCode::Referrals.code(), args).unwrap_or_default());
        let with_referrals = match (expected_value, referred) {
            (Some(v), Some(r)) => Some(Money::new(
                r.amount
                    .checked_mul(share)
                    .and_then(|x| x.checked_add(v.amount))
                    .ok_or_else(|| {
                        Error::new(
                            ErrorKind::AmountOverflow,
                            FieldPath::root().field("referred_value"),
                            format!("{} + a share of {} overflows", v.amount, r.amount),
                        )
                    })?,
                v.currency,
            )),
            (None, Some(r)) => r
                .amount
                .checked_mul(share)
                .map(|x| Money::new(x, r.currency)),
            (v, None) => v,
        };
        let value_at_risk = match &with_referrals {
            Some(v) => Some(Money::new(
                v.amount
                    .checked_mul(Decimal::from(score))
                    .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
                    .ok_or_else(|| {
                        Error::new(
                            ErrorKind::AmountOverflow,
                            FieldPath::root().field("expected_value"),
                            format!("{} × {score} % overflows", v.amount),
                        )
                    })?
                    .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero),
                v.currency,
            )),
            None => None,
        };
        // The firing signals on the stack, strongest contribution first; ties in code
        // order (the buffer's order). Only they allocate.
        let mut firing: [Option<(Raw, u8)>; SIGNALS] = [None; SIGNALS];
        let mut n = 0;
        for (s, part) in buf.iter().zip(parts) {
            if let (Some(s), Some(slot)) = (s, firing.get_mut(n)) {
                *slot = Some((*s, part));
                n += 1;
            }
        }
        let firing = firing.get_mut(..n).unwrap_or(&mut []);
        firing.sort_by(|a, b| match (a, b) {
            (Some(a), Some(b)) => b.1.cmp(&a.1).then(a.0.code.cmp(&b.0.code)),
            _ => std::cmp::Ordering::Equal,
        });
        let firing = if described { firing } else { &mut [] };
        let mut actions: Vec<NextAction> = Vec::with_capacity(firing.len());
        let mut signals: Vec<Signal> = Vec::with_capacity(firing.len());
        for (s, part) in firing.iter().flatten() {
            // Each action once, for its first signal: its sentence is rendered only then.
            let code = Self::action_code(p, s.code, expected_value.as_ref());
            if !actions.iter().any(|x| x.code == code) {
                actions.push(self.action(p, s.code, s, expected_value.as_ref()));
            }
            let path = match s.code {
                SignalCode::Silence
                | SignalCode::FallingFrequency
                | SignalCode::UnansweredFollowUp
                | SignalCode::SingleThreaded => FieldPath::root().field("interactions"),
                SignalCode::UnhappySurvey => FieldPath::root().field("surveys"),
                code => {
                    let field = match code {
                        SignalCode::Neglect => "cadence",
                        SignalCode::BrokenPromises => "promises.broken",
                        SignalCode::SlowCallbacks => "promises.slow_callbacks",
                        SignalCode::HangingOrders => "orders",
                        SignalCode::NoNextService => "next_service_planned",
                        _ => "purchases",
                    };
                    // One string for `accounts[i].field`, as FieldPath would write it.
                    FieldPath::root().field(&format!("accounts[{index}].{field}"))
                }
            };
            let args = self.signal_args(s, facts, acc);
            signals.push(Signal {
                code: s.code,
                rule: s.code.rule(),
                path,
                value: round6(s.value),
                strength: round6(s.strength),
                contribution: *part,
                critical: s.critical,
                sentence: english(s.code.code(), &args).unwrap_or_default(),
                args,
            });
        }
        let trend = facts.previous_score.map(|prev| {
            let change = i16::from(score) - i16::from(prev);
            let direction = if change.unsigned_abs() <= u16::from(p.trend_steady_within) {
                TrendDirection::Steady
            } else if change > 0 {
                TrendDirection::Rising
            } else {
                TrendDirection::Falling
            };
            Trend {
                previous: prev,
                change,
                direction,
            }
        });
        Ok(AccountRisk {
            account: facts.account.clone(),
            index,
            score,
            band,
            raised_by_critical,
            signals,
            actions,
            trend,
            p_alive: p_alive.map(round6),
            expected_value,
            value_at_risk,
            value_reason_args,
            value_reason,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scorer that describes only the accounts from a band up scores, bands and values
    /// every account as the full one does; those from the band up are the same in
    /// every field, the others have no signals, actions or value reason.
    #[test]
    fn accounts_below_the_described_band_are_scored_the_same_without_their_lists() {
        use crate::synthetic::{Spec, book};
        let book = book(&Spec::new(5, 400));
        let facts: Vec<AccountFacts> = book
            .accounts
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let mut f = AccountFacts::new(a.id.clone());
                f.expected_value = a.annual_value;
                f.promises = Some(crate::risk::PromiseFacts::new(1, (i % 3) as u32, 0));
                f.referrals = (i % 2) as u32;
                f.referred_value = a.annual_value;
                f
            })
            .collect();
        let input = || ScoreInput::new(&facts, &book.interactions, &book.surveys);
        let now = Spec::DEFAULT_NOW;
        let full = Scorer::new(RiskPolicy::default())
            .unwrap()
            .score(input(), now)
            .unwrap();
        let part = Scorer::new(RiskPolicy::default())
            .unwrap()
            .described_from(Band::AtRisk)
            .score(input(), now)
            .unwrap();
        assert_eq!(full.bands, part.bands);
        assert_eq!(full.accounts.len(), part.accounts.len());
        let (mut described, mut bare) = (0, 0);
        for (f, p) in full.accounts.iter().zip(&part.accounts) {
            if f.band >= Band::AtRisk {
                described += 1;
                assert_eq!(f, p);
            } else {
                bare += 1;
                assert!(p.signals.is_empty() && p.actions.is_empty());
                assert!(p.value_reason.is_none() && p.value_reason_args.is_none());
                let mut f = f.clone();
                f.signals.clear();
                f.actions.clear();
                f.value_reason = None;
                f.value_reason_args = None;
                assert_eq!(&f, p);
            }
        }
        // Both kinds occur, and some account below the band had something to say.
        assert!(
            described > 0 && bare > 0,
            "{described} described, {bare} not"
        );
        assert!(
            full.accounts
                .iter()
                .any(|a| a.band < Band::AtRisk && !a.signals.is_empty())
        );
    }

    #[test]
    fn allocation_adds_up_exactly_and_prefers_earlier_signals_on_ties() {
        let mut raw = [0u64; SIGNALS];
        raw[0] = 10_000;
        raw[1] = 10_000;
        raw[2] = 10_000;
        let parts = allocate(&raw, 30);
        assert_eq!(parts.iter().map(|&p| u32::from(p)).sum::<u32>(), 30);
        let parts = allocate(&raw, 31);
        assert_eq!(&parts[..3], &[11, 10, 10]);
        // Capped: 180 points of signals share 100.
        let raw = [
            30_000, 15_000, 30_000, 25_000, 15_000, 20_000, 10_000, 10_000, 10_000, 10_000, 5_000,
        ];
        let parts = allocate(&raw, 100);
        assert_eq!(parts.iter().map(|&p| u32::from(p)).sum::<u32>(), 100);
        assert_eq!(allocate(&[0; SIGNALS], 0), [0; SIGNALS]);
    }

    #[test]
    fn signal_codes_weights_and_buffer_slots_line_up() {
        let weights = RiskPolicy::default().weights.as_array();
        assert_eq!(SignalCode::ALL.len(), SIGNALS);
        for (i, (code, (name, _))) in SignalCode::ALL.iter().zip(weights).enumerate() {
            assert_eq!(*code as usize, i);
            assert_eq!(code.code(), format!("risk.{name}"));
        }
    }

    #[test]
    fn only_the_most_recent_attempts_are_kept_in_any_order() {
        let mut a = Acc::default();
        let mut b = Acc::default();
        for t in 0..20 {
            a.add_attempt(t);
            b.add_attempt(19 - t);
        }
        let mut x = a.attempts;
        let mut y = b.attempts;
        x.sort_unstable();
        y.sort_unstable();
        assert_eq!(x, y);
        assert_eq!(x[0], 12);
        a.last_contact = 15;
        assert_eq!(a.unanswered_attempts(), 4);
    }

    #[test]
    fn values_rank_the_same_in_cents_as_in_decimals() {
        let values = [
            "12.3", "12.30", "12.29", "100", "0", "0.01", "99.99", "7", "12.31",
        ];
        let ds: Vec<Decimal> = values.iter().map(|v| v.parse().unwrap()).collect();
        for a in &ds {
            for b in &ds {
                assert_eq!(cents(*a).cmp(&cents(*b)), a.cmp(b), "{a} vs {b}");
            }
        }
        assert_eq!(cents("1.005".parse().unwrap()), None);
        let ids = [
            "a-3", "a-1", "a-2", "a-7", "a-5", "a-4", "a-9", "a-8", "a-6", "a-0",
        ];
        let id = |k: usize| ids.get(k).copied();
        let key = |k: usize, v: Option<Decimal>| (v, 40u8, u64::from(ids[k].as_bytes()[2]), k);
        let with: Vec<_> = (0..ids.len()).map(|k| key(k, ds.get(k).copied())).collect();
        let as_cents: Vec<_> = with
            .iter()
            .map(|&(v, s, p, k)| (v.and_then(cents), s, p, k))
            .collect();
        let by_decimal = rank(with, id);
        assert_eq!(rank(as_cents, id), by_decimal);
        // Larger first, ties (12.3 = 12.30) by id, no value last.
        assert_eq!(by_decimal, [3, 6, 8, 1, 0, 2, 7, 5, 4, 9]);
    }
}
