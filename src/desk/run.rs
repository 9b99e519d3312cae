//! Running the four engines over one book and wiring their results into an agenda.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rustc_hash::FxBuildHasher;

use crate::cadence::{BookRef, CompletedOrder, Later, Plan, Planner};
use crate::error::{Error, FieldPath};
use crate::model::UserId;
use crate::orders::{self, FindingCode, NextService, OrderReport, ServiceOrder, Stage};
use crate::promises::{AccountPolicies, Ledger, LedgerReport, Source, Status};
use crate::risk::{self, AccountFacts, CadenceFacts, OrderFacts, PromiseFacts, Scorer};

use super::agenda::{Agenda, OrderLine, PromiseDesk, PromiseLine, PurchaseModelUsed, RepTouches};
use super::book::{Book, CheckedBook, SCHEMA_VERSION};
use super::policy::PurchaseModelChoice;
use crate::risk::models::{FitOptions, PurchaseModel, PurchaseSummary, TimeUnit};

/// The daily agenda of `book` at `now`; see [`Book::agenda`].
///
/// # Errors
/// Everything [`Book::validate`] reports; the problems only replaying a promise shows
/// (`promises.event_after_close`, `promises.event_before_promise`,
/// `promises.pause_mismatch`, at `promise_events[j]`); `calendar.date_out_of_range` at
/// `now` when `now` lies beyond what the calendar supports; and
/// `calendar.date_out_of_range` or `calendar.exhausted` at a record when a date computed
/// from it does. Positions in these later problems count in the book's canonical order.
pub fn agenda(book: &Book, now: DateTime<Utc>) -> Result<Agenda, Error> {
    // The engines read the book in canonical order, so the agenda does not depend on
    // the order of the host's lists. A sorted book (as `from_json` leaves it) is used
    // as it is; another is copied once, in order, and checked in that order (whether a
    // book is valid does not depend on the order of its lists, and checking runs
    // fastest grouped by account). Only a refused book is checked again as the host
    // gave it, so the problems' paths name the host's positions.
    let book: Cow<'_, Book> = if book.is_sorted() {
        book.validate()?;
        Cow::Borrowed(book)
    } else {
        let copy = book.sorted_copy();
        if let Err(e) = copy.validate() {
            book.validate()?;
            return Err(e);
        }
        Cow::Owned(copy)
    };
    agenda_of_checked(&book, now)
}

/// The agenda of a book already checked whole and in canonical order: what
/// [`agenda`] does after its check, and all that [`CheckedBook::agenda`] does.
fn agenda_of_checked(book: &Book, now: DateTime<Utc>) -> Result<Agenda, Error> {
    // An instant the calendar cannot work from is the caller's `now`, not the first
    // record whose deadline happens to be computed from it.
    if let Err(e) = book.calendar.is_open(now) {
        let message = e
            .problems()
            .first()
            .map_or_else(String::new, |p| p.message().to_owned());
        return Err(Error::new(
            e.kind(),
            FieldPath::root().field("now"),
            message,
        ));
    }
    run(book, now)
}

impl Book {
    /// What the business should do today: runs the four engines over the whole book for
    /// `now` and returns the [`Agenda`].
    ///
    /// The engines share what they compute: the order checks, the promise ledger and
    /// the cadence plan each run once, and the risk scorer reads their results (orders
    /// left hanging, promises kept and broken, slow callbacks, overdue touches, next
    /// service planned) as its facts. The work is linear in the size of the book (plus
    /// a sort when its lists are not in canonical order).
    ///
    /// # Errors
    /// Everything [`Book::validate`] reports (the book is checked whole first); the
    /// problems only replaying a promise shows (`promises.event_after_close`,
    /// `promises.event_before_promise`, `promises.pause_mismatch`, at
    /// `promise_events[j]`); `calendar.date_out_of_range` at `now` when `now` lies beyond
    /// what the calendar supports; and `calendar.date_out_of_range` or
    /// `calendar.exhausted` at a record when a date computed from it does. Positions in
    /// these later problems count in the book's canonical order ([`Book::sort`]).
    pub fn agenda(&self, now: DateTime<Utc>) -> Result<Agenda, Error> {
        agenda(self, now)
    }
}

impl CheckedBook {
    /// What the business should do today, as [`Book::agenda`] gives it, without checking
    /// the book again: a `CheckedBook` was checked whole and sorted when it was read
    /// ([`Book::from_json_checked`]) and cannot have changed since.
    ///
    /// # Errors
    /// What [`Book::agenda`] reports after its check of the book: the problems only
    /// replaying a promise shows, `calendar.date_out_of_range` at `now`, and
    /// `calendar.date_out_of_range` or `calendar.exhausted` at a record.
    ///
    /// ```
    /// use retention::desk::Book;
    /// let book = Book::from_json_checked(r#"{"schema_version": 2,
    ///     "calendar": {"time_zone": "UTC", "weekly": {"monday": [{"start": "09:00", "end": "17:00"}]}},
    ///     "accounts": [{"id": "a-1", "name": "Oak Ridge", "customer_since": "2024-03-01"}]}"#)?;
    /// let now = "2026-03-02T10:00:00Z".parse()?;
    /// assert_eq!(book.agenda(now)?, book.as_book().agenda(now)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn agenda(&self, now: DateTime<Utc>) -> Result<Agenda, Error> {
        agenda_of_checked(self.as_book(), now)
    }
}

/// A hash map keyed by ids from the host's records (see the `rustc-hash` dependency).
type FxHashMap<K, V> = HashMap<K, V, FxBuildHasher>;

/// Books from this many accounts up are worked in parallel with the `rayon` feature;
/// smaller ones are not worth the threads.
#[cfg(feature = "rayon")]
const PARALLEL_FROM: usize = 2_048;

/// Accounts per part when the risk scorer works a book in parallel.
#[cfg(feature = "rayon")]
const RISK_SHARD: usize = 4_096;

/// The agenda of a valid book in canonical order.
fn run(book: &Book, now: DateTime<Utc>) -> Result<Agenda, Error> {
    #[cfg(feature = "rayon")]
    let parallel = book.accounts.len() >= PARALLEL_FROM;
    #[cfg(not(feature = "rayon"))]
    let parallel = false;
    run_with(book, now, parallel)
}

/// The engines' three independent results: the order checks, the ledger, and the plan
/// of today's touches with the count of those planned for later days.
type Stages = (OrderStage, LedgerReport, (Plan, Later));

/// The agenda, with the engines run in parallel or one after the other. Both give the
/// same agenda, byte for byte (a unit test holds them to it).
fn run_with(book: &Book, now: DateTime<Utc>, parallel: bool) -> Result<Agenda, Error> {
    let policies = &book.policies;
    let accounts: FxHashMap<&str, usize> = book
        .accounts
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let today_biz =
        crate::calendar::local_date(now, book.calendar.time_zone()).ok_or_else(|| {
            Error::new(
                crate::ErrorKind::DateOutOfRange,
                crate::FieldPath::root(),
                format!("`now` ({now}) is beyond the dates the calendar supports"),
            )
        })?;
    // The segments' policies, overlaid on the book's (checked with the book).
    let segments = super::segments::resolve(
        &policies.segments,
        &policies.cadence,
        &policies.risk,
        &policies.orders,
        &policies.promises,
    )?;
    let mut scorer = Scorer::new(policies.risk.clone())?;
    // One view of silence: the planner's quiet escalation judges the customer's rhythm
    // as the risk policy does (K1), segment by segment.
    let mut planner = Planner::new(policies.cadence.clone(), book.calendar.clone())?
        .with_rhythm(policies.risk.rhythm());
    let mut order_policies: FxHashMap<&str, &crate::orders::OrderPolicy> = FxHashMap::default();
    for s in &segments {
        if s.cadence.is_some() || s.risk.is_some() {
            let cadence = s.cadence.as_ref().unwrap_or(&policies.cadence).clone();
            let rhythm = s.risk.as_ref().unwrap_or(&policies.risk).rhythm();
            planner = planner
                .with_segment(s.name.clone(), cadence)?
                .with_segment_rhythm(&s.name, rhythm);
        }
        if let Some(r) = &s.risk {
            scorer = scorer.with_segment(s.name.clone(), r.clone())?;
        }
        if let Some(o) = &s.orders {
            order_policies.insert(s.name.as_str(), o);
        }
    }
    let history = history_starts(book, &accounts, today_biz);
    // What the planner needs of the orders (C4, C6, C8).
    let booked = booked_visits(book, &accounts);
    let (completed, completed_positions) = completed_orders(book, &accounts, &booked);

    // Orders (O1-O9), promises (P1-P6, callbacks opened from the interactions included)
    // and cadence (C1-C8, K1) need nothing of each other.
    // The accounts whose segment overlays the promise policy.
    let mut account_policies = AccountPolicies::new();
    if segments.iter().any(|s| s.promises.is_some()) {
        for a in &book.accounts {
            let overlay = a
                .segment
                .as_deref()
                // The segments come in name order.
                .and_then(|name| {
                    let i = segments
                        .binary_search_by(|s| s.name.as_str().cmp(name))
                        .ok()?;
                    segments.get(i)
                })
                .and_then(|s| s.promises.as_ref());
            if let Some(p) = overlay {
                account_policies.insert(a.id.clone(), p);
            }
        }
    }
    let ledger = || {
        Ledger::new(&policies.promises, &book.calendar)
            .account_policies(&account_policies)
            .promises(&book.promises)
            .events(&book.promise_events)
            .interactions(&book.interactions)
            .interactions_checked()
            // The agenda reads each customer's counts alone (for risk's promise facts).
            .evaluate_with(now, false)
            // The ledger calls the events `events`; the book, `promise_events`.
            .map_err(|e| e.renamed("events", "promise_events"))
    };
    let plan = || {
        planner.plan_ref(
            BookRef {
                accounts: &book.accounts,
                people: &book.people,
                interactions: &book.interactions,
                surveys: &book.surveys,
                units: &book.units,
                orders: &completed,
                reviews: &book.reviews,
                history_since: book.history_since,
                history_starts: Some(&history),
                checked: true,
            },
            now,
            true,
        )
    };
    #[cfg(feature = "rayon")]
    let (orders, ledger, (mut plan, planned_later)): Stages = if parallel {
        let (orders, (ledger, plan)) = rayon::join(
            || check_orders(book, now, &accounts, &order_policies, true),
            || rayon::join(ledger, plan),
        );
        (orders?, ledger?, plan?)
    } else {
        (
            check_orders(book, now, &accounts, &order_policies, false)?,
            ledger()?,
            plan()?,
        )
    };
    #[cfg(not(feature = "rayon"))]
    let (orders, ledger, (mut plan, planned_later)): Stages = (
        check_orders(book, now, &accounts, &order_policies, false)?,
        ledger()?,
        plan()?,
    );

    book_order_paths(&mut plan, &completed_positions);

    // Risk (K1-K6) reads the other three engines' results as each account's facts.
    let mut facts: Vec<AccountFacts> = book
        .accounts
        .iter()
        .zip(&history)
        .map(|(a, &start)| {
            let mut f = AccountFacts::new(a.id.clone());
            // Silence with no contact on record counts from the history's start.
            f.known_since = Some(start);
            f.segment.clone_from(&a.segment);
            f.expected_value = a.annual_value;
            f.orders = Some(OrderFacts::new(0, 0));
            f.promises = Some(PromiseFacts::new(0, 0, 0));
            f.cadence = Some(CadenceFacts::new(0, 0));
            f
        })
        .collect();
    for &(a, fact) in &orders.facts {
        if let Some(o) = facts.get_mut(a).and_then(|f| f.orders.as_mut()) {
            match fact {
                OrderFact::Hanging => o.hanging = o.hanging.saturating_add(1),
                OrderFact::ClosedPartial => {
                    o.partially_complete = o.partially_complete.saturating_add(1);
                }
            }
        }
    }
    next_service(&completed, &booked, today_biz, &mut facts, &accounts);
    referrals(book, &mut facts, &accounts);
    for c in &ledger.customers {
        let slot = c.account.as_ref().and_then(|a| accounts.get(a.as_str()));
        if let Some(f) = slot.and_then(|&i| facts.get_mut(i)) {
            f.promises = Some(PromiseFacts::new(c.kept, c.broken, c.callbacks_over_limit));
        }
    }
    // Overdue touches (K3): today's items, those the levelling put on later days, and
    // those it had no room for.
    let today_overdue = plan.due.iter().filter(|d| d.days_overdue > 0).map(|item| {
        let n = u32::try_from(item.obligations.len()).unwrap_or(u32::MAX);
        (
            accounts.get(item.account.as_str()).copied(),
            n,
            item.days_overdue,
        )
    });
    let later_overdue = planned_later
        .overdue
        .iter()
        .chain(&planned_later.deferred)
        .map(|l| (Some(l.account as usize), l.obligations, l.days_overdue));
    for (slot, n, days) in today_overdue.chain(later_overdue) {
        if let Some(f) = slot.and_then(|i| facts.get_mut(i)) {
            let c = f.cadence.get_or_insert(CadenceFacts::new(0, 0));
            c.overdue_obligations = c.overdue_obligations.saturating_add(n);
            c.worst_days_overdue = c.worst_days_overdue.max(days);
        }
    }
    purchases(&completed, now, &mut facts, &accounts);
    let (scorer, purchase_model) = purchase_model(scorer, &policies.desk.purchase_model, &facts)?;
    // The agenda lists the accounts from `at_risk_from` up: no sentence for the others.
    let scorer = scorer.described_from(policies.desk.at_risk_from);
    let (mut at_risk, risk_bands) = score(&scorer, book, &facts, now, parallel)?;
    at_risk.retain(|r| r.band >= policies.desk.at_risk_from);
    let order_lines = orders.lines;

    // Today's touches per rep, the pool last.
    let today = plan.today;
    let mut touches: Vec<RepTouches> = Vec::new();
    let mut later = planned_later.count;
    let mut later_list: Vec<super::agenda::LaterTouch> = planned_later
        .items
        .iter()
        .filter_map(|l| {
            let account = book.accounts.get(l.account as usize)?;
            Some(super::agenda::LaterTouch {
                planned_on: l.planned_on,
                rep: account.owner.clone(),
                key: l.key.clone(),
                account: account.id.clone(),
                due_on: l.due_on,
            })
        })
        .collect();
    let mut by_rep: FxHashMap<Option<UserId>, usize> = FxHashMap::default();
    for item in plan.due {
        if item.planned_on != today {
            later += 1;
            later_list.push(super::agenda::LaterTouch {
                planned_on: item.planned_on,
                rep: item.rep.clone(),
                key: item.key.clone(),
                account: item.account.clone(),
                due_on: item.due_on,
            });
            continue;
        }
        let slot = *by_rep.entry(item.rep.clone()).or_insert_with(|| {
            touches.push(RepTouches {
                rep: item.rep.clone(),
                items: Vec::new(),
            });
            touches.len() - 1
        });
        if let Some(group) = touches.get_mut(slot) {
            group.items.push(item);
        }
    }
    touches.sort_by(|a, b| (a.rep.is_none(), &a.rep).cmp(&(b.rep.is_none(), &b.rep)));
    later_list.sort_by(|a, b| {
        (a.planned_on, a.rep.is_none(), &a.rep, &a.key).cmp(&(
            b.planned_on,
            b.rep.is_none(),
            &b.rep,
            &b.key,
        ))
    });

    let promises = promise_desk(book, ledger, now);

    let lookback = policies.desk.opportunity_lookback.length();
    let since = now.checked_sub_signed(lookback);
    // In the book's order: by account, order, then the observation's position.
    let opportunities = orders::opportunities_since(&book.orders, since);

    Ok(Agenda {
        schema_version: SCHEMA_VERSION,
        business: book.business.clone(),
        now,
        today,
        read: book.counts(),
        touches,
        touches_later: later,
        later: later_list,
        cadence_notes: plan.explanations,
        orders: order_lines,
        promises,
        at_risk,
        risk_bands,
        purchase_model,
        opportunities,
    })
}

/// The order checks' part of the agenda.
struct OrderStage {
    /// The open orders that need someone, the worst first.
    lines: Vec<OrderLine>,
    /// What risk reads of the orders (O4), with each one's account position.
    facts: Vec<(usize, OrderFact)>,
}

/// What the risk scorer counts of an order ([`OrderFacts`]).
#[derive(Debug, Clone, Copy)]
enum OrderFact {
    /// Open, and the customer not told why or what happens next (a hold not told, no
    /// update within the policy's time).
    Hanging,
    /// Closed while only partly complete.
    ClosedPartial,
}

/// One order's check: `None` for an order the agenda has nothing to say of (closed
/// before the after-care lookback, or cancelled before the recent span).
fn check_order(
    book: &Book,
    i: usize,
    order: &ServiceOrder,
    now: DateTime<Utc>,
    policies: &SegmentOrderPolicies<'_>,
) -> Result<Option<(Stage, OrderReport)>, Error> {
    let policy = policies.of(book, order);
    let stage = order.stage();
    let last_change = order.status_history.last().map(|c| c.at);
    let within = |span: crate::model::Span, at: Option<DateTime<Utc>>| {
        let since = now.checked_sub_signed(span.length());
        at.is_some_and(|t| since.is_none_or(|s| t >= s))
    };
    match stage {
        // After care (O8, O9) is owed on a closed order until recorded or waived; an
        // order completed before the lookback is history.
        Stage::Closed => {
            let completed = order
                .status_history
                .iter()
                .rev()
                .find(|c| c.stage == Stage::Completed)
                .map(|c| c.at)
                .or(last_change);
            if !within(book.policies.desk.after_care_lookback, completed) {
                return Ok(None);
            }
        }
        // A recent inquiry that ended without asking for the work (O1).
        Stage::Cancelled
            if order.intake.asked_for_work != Some(false)
                || !within(book.policies.desk.recent, last_change) =>
        {
            return Ok(None);
        }
        _ => {}
    }
    // In the business's zone: the calendar's.
    let target = (stage == Stage::Completed).then_some(Stage::Closed);
    orders::check_in(order, target, now, policy, book.calendar.time_zone())
        .map(|r| Some((stage, r)))
        .map_err(|e| e.under(&crate::FieldPath::root().field("orders").index(i)))
}

/// Each account's purchase history for the models (K4): every completed order is a
/// purchase at its completion, in weeks.
fn purchases(
    completed: &[CompletedOrder],
    now: DateTime<Utc>,
    facts: &mut [AccountFacts],
    accounts: &FxHashMap<&str, usize>,
) {
    // The completed orders come grouped by account: one run per account.
    for run in completed.chunk_by(|a, b| a.account == b.account) {
        let Some(first) = run.first() else { continue };
        let Some(f) = accounts
            .get(first.account.as_str())
            .and_then(|&i| facts.get_mut(i))
        else {
            continue;
        };
        f.purchases = purchase_summary(run.iter().map(|c| c.completed_at), now);
    }
}

/// K4's purchase history from an account's purchase instants: the purchases at or before
/// `now`, in weeks (repeat purchases; first to last; first to `now`). `None` without one.
pub(super) fn purchase_summary(
    times: impl Iterator<Item = DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Option<PurchaseSummary> {
    const WEEK: f64 = 7.0 * 86_400.0;
    let (mut n, mut lo, mut hi) = (0i64, None::<DateTime<Utc>>, None::<DateTime<Utc>>);
    for t in times.filter(|&t| t <= now) {
        n += 1;
        lo = Some(lo.map_or(t, |x| x.min(t)));
        hi = Some(hi.map_or(t, |x| x.max(t)));
    }
    let (lo, hi) = (lo?, hi?);
    let weeks =
        |a: DateTime<Utc>, b: DateTime<Utc>| b.signed_duration_since(a).num_seconds() as f64 / WEEK;
    Some(PurchaseSummary::new(n - 1, weeks(lo, hi), weeks(lo, now)))
}

/// When a done order (completed, signed off or closed now: not reopened or cancelled
/// since) was completed: its last change to `completed`. A purchase (K4) and a C4/C6/C8
/// completion.
pub(super) fn completion(o: &ServiceOrder) -> Option<DateTime<Utc>> {
    if !matches!(
        o.stage(),
        Stage::Completed | Stage::SignedOff | Stage::Closed
    ) {
        return None;
    }
    o.status_history
        .iter()
        .rev()
        .find(|c| c.stage == Stage::Completed)
        .map(|c| c.at)
}

/// The purchase model the policy asks for, on the scorer; and what was used.
fn purchase_model(
    scorer: Scorer,
    choice: &PurchaseModelChoice,
    facts: &[AccountFacts],
) -> Result<(Scorer, PurchaseModelUsed), Error> {
    match *choice {
        PurchaseModelChoice::None {} => Ok((scorer, PurchaseModelUsed::None {})),
        PurchaseModelChoice::Given { variant, params } => {
            let model = PurchaseModel::new(variant, params)?;
            let scorer = scorer.with_purchase_model(model, TimeUnit::Weeks)?;
            Ok((scorer, PurchaseModelUsed::Given { variant, params }))
        }
        PurchaseModelChoice::Fit {
            variant,
            sample,
            penalizer,
        } => {
            let with: Vec<PurchaseSummary> = facts.iter().filter_map(|f| f.purchases).collect();
            // At most `sample` customers, spread evenly over the book's order.
            let limit = usize::try_from(sample).unwrap_or(usize::MAX).max(1);
            let stride = with.len().div_ceil(limit).max(1);
            let chosen: Vec<PurchaseSummary> = with.into_iter().step_by(stride).collect();
            let options = FitOptions::default()
                .with_penalizer(penalizer)
                .with_time_unit(TimeUnit::Weeks);
            let not_fitted = |e: Error| PurchaseModelUsed::NotFitted {
                code: e.kind(),
                reason: e
                    .problems()
                    .first()
                    .map_or_else(String::new, |p| p.message().to_string()),
            };
            match PurchaseModel::fit(&chosen, variant, &options) {
                Ok(fit) => {
                    let params = fit.model.params();
                    match scorer
                        .clone()
                        .with_purchase_model(fit.model, TimeUnit::Weeks)
                    {
                        Ok(scorer) => Ok((
                            scorer,
                            PurchaseModelUsed::Fitted {
                                variant,
                                params,
                                customers: chosen.len(),
                            },
                        )),
                        Err(e) => Ok((scorer, not_fitted(e))),
                    }
                }
                Err(e) => Ok((scorer, not_fitted(e))),
            }
        }
    }
}

/// Checks every open order (a completed one against what closing it needs), notes the
/// orders left hanging, and keeps the orders that need someone.
fn check_orders(
    book: &Book,
    now: DateTime<Utc>,
    accounts: &FxHashMap<&str, usize>,
    segments: &FxHashMap<&str, &crate::orders::OrderPolicy>,
    parallel: bool,
) -> Result<OrderStage, Error> {
    let policies = SegmentOrderPolicies { accounts, segments };
    let policies = &policies;
    let from = book.policies.desk.orders_from;
    let one_by_one = || -> Result<Vec<Option<(Stage, OrderReport)>>, Error> {
        book.orders
            .iter()
            .enumerate()
            .map(|(i, o)| check_order(book, i, o, now, policies))
            .collect()
    };
    #[cfg(feature = "rayon")]
    let checks = if parallel {
        use rayon::prelude::*;
        // Results come back in the orders' order; on an error, the first one in that
        // order is reported, as one after the other would.
        let all: Vec<Result<_, Error>> = book
            .orders
            .par_iter()
            .enumerate()
            .map(|(i, o)| check_order(book, i, o, now, policies))
            .collect();
        all.into_iter().collect::<Result<Vec<_>, _>>()?
    } else {
        one_by_one()?
    };
    #[cfg(not(feature = "rayon"))]
    let checks = {
        let _ = parallel;
        one_by_one()?
    };
    let mut lines: Vec<OrderLine> = Vec::new();
    let mut facts = Vec::new();
    for (order, check) in book.orders.iter().zip(checks) {
        let account = accounts.get(order.account.as_str()).copied();
        // Closed straight from partly complete counts (O4).
        let before_close = order.status_history.iter().rev().nth(1).map(|c| c.stage);
        if order.stage() == Stage::Closed && before_close == Some(Stage::PartiallyComplete) {
            facts.extend(account.map(|a| (a, OrderFact::ClosedPartial)));
        }
        let Some((stage, report)) = check else {
            continue;
        };
        if stage == Stage::Cancelled && !report.has(FindingCode::WorkNotAsked) {
            continue;
        }
        let mut report = report;
        if stage == Stage::Closed {
            // What a closed order still owes is its after care (O8, O9); what its
            // earlier stages lacked is history.
            report
                .findings
                .retain(|f| matches!(f.rule, crate::model::Rule::O8 | crate::model::Rule::O9));
        }
        let untold = report.has(FindingCode::HoldCustomerNotTold)
            || report.has(FindingCode::CustomerNotUpdated);
        if untold {
            facts.extend(account.map(|a| (a, OrderFact::Hanging)));
        }
        let left = matches!(stage, Stage::OnHold | Stage::PartiallyComplete);
        if left || report.findings.iter().any(|f| f.severity >= from) {
            lines.push(OrderLine {
                account: order.account.clone(),
                report,
            });
        }
    }
    // The worst first: most blockers, then most findings, then account and order.
    lines.sort_by(|a, b| {
        let key = |l: &OrderLine| (l.report.blockers().count(), l.report.findings.len());
        key(b)
            .cmp(&key(a))
            .then_with(|| (&a.account, &a.report.order).cmp(&(&b.account, &b.report.order)))
    });
    Ok(OrderStage { lines, facts })
}

/// Scores every account and returns them ranked (value at risk, highest first and
/// unknown last; then score, highest first; then account id) with the band counts.
///
/// In parallel, the accounts are split into parts of [`RISK_SHARD`]; each part's
/// interactions and surveys are a contiguous run of the book's (canonical order groups
/// them by account), and the scorer works each account from its own records only, so
/// the parts' results are exactly the whole book's. The positions are put back, and the
/// parts merged and ranked as one.
fn score(
    scorer: &Scorer,
    book: &Book,
    facts: &[AccountFacts],
    now: DateTime<Utc>,
    parallel: bool,
) -> Result<(Vec<risk::AccountRisk>, risk::BandCounts), Error> {
    if facts.is_empty() {
        return Ok((Vec::new(), risk::BandCounts::default()));
    }
    let whole = || {
        scorer
            .score(
                risk::ScoreInput::new(facts, &book.interactions, &book.surveys),
                now,
            )
            .map(|r| (r.accounts, r.bands))
    };
    if !parallel {
        return whole();
    }
    #[cfg(feature = "rayon")]
    {
        use rayon::prelude::*;
        let n = book.accounts.len();
        let starts: Vec<usize> = (0..n).step_by(RISK_SHARD).collect();
        let parts: Vec<Result<risk::RiskReport, Error>> = starts
            .par_iter()
            .map(|&lo| {
                let hi = (lo + RISK_SHARD).min(n);
                let range = |list_len: usize, first: &dyn Fn(&str) -> usize| {
                    let a = book
                        .accounts
                        .get(lo)
                        .map_or(list_len, |x| first(x.id.as_str()));
                    let b = book
                        .accounts
                        .get(hi)
                        .map_or(list_len, |x| first(x.id.as_str()));
                    a..b
                };
                let ix = range(book.interactions.len(), &|id| {
                    book.interactions
                        .partition_point(|x| x.account.as_str() < id)
                });
                let sv = range(book.surveys.len(), &|id| {
                    book.surveys.partition_point(|x| x.account.as_str() < id)
                });
                let mut report = scorer.score(
                    risk::ScoreInput::new(
                        facts.get(lo..hi).unwrap_or_default(),
                        book.interactions.get(ix).unwrap_or_default(),
                        book.surveys.get(sv).unwrap_or_default(),
                    ),
                    now,
                )?;
                for r in &mut report.accounts {
                    r.index += lo;
                    for s in &mut r.signals {
                        s.path = s.path.shifted("accounts", lo);
                    }
                }
                Ok(report)
            })
            .collect();
        let mut accounts = Vec::with_capacity(n);
        let mut bands = risk::BandCounts::default();
        for part in parts {
            // A part's error would name positions within the part: the whole book,
            // scored again, names them in the book (errors are rare: the book is valid).
            let Ok(part) = part else { return whole() };
            bands.healthy += part.bands.healthy;
            bands.watch += part.bands.watch;
            bands.at_risk += part.bands.at_risk;
            bands.critical += part.bands.critical;
            accounts.extend(part.accounts);
        }
        accounts.sort_by(|a: &risk::AccountRisk, b: &risk::AccountRisk| {
            let va = a.value_at_risk.map(|m| m.amount);
            let vb = b.value_at_risk.map(|m| m.amount);
            vb.cmp(&va)
                .then_with(|| b.score.cmp(&a.score))
                .then_with(|| a.account.cmp(&b.account))
        });
        Ok((accounts, bands))
    }
    #[cfg(not(feature = "rayon"))]
    {
        whole()
    }
}

/// What the planner needs of each completed order (C4, C6, C8): when, for whom, whether
/// it was the account's first, and the next service agreed.
///
/// An account's first order is its earliest completed order in the book, provided the
/// account became a customer at most [`FIRST_ORDER_SLACK_DAYS`] before that order's first
/// contact: an account that was a customer long before its earliest order in the book
/// has older history the book does not hold, and no thank-you note is owed for it.
fn completed_orders(
    book: &Book,
    accounts: &FxHashMap<&str, usize>,
    booked: &[Option<chrono::NaiveDate>],
) -> (Vec<CompletedOrder>, Vec<usize>) {
    let mut out: Vec<CompletedOrder> = Vec::new();
    let mut positions: Vec<usize> = Vec::new();
    let mut first_contact: Vec<DateTime<Utc>> = Vec::new();
    for (i, o) in book.orders.iter().enumerate() {
        // Done now: an order reopened or cancelled after its completion is not.
        let Some(done_at) = completion(o) else {
            continue;
        };
        let mut c = CompletedOrder::new(o.id.clone(), o.account.clone(), done_at);
        c.person = o.contact.clone();
        match &o.next_service {
            Some(NextService::Agreed { on, .. }) => c.next_service_planned_on = Some(*on),
            Some(NextService::NotNeeded { .. }) => c.next_service_not_needed = true,
            None => {}
        }
        if c.next_service_planned_on.is_none() && !c.next_service_not_needed {
            c.next_service_planned_on = accounts
                .get(o.account.as_str())
                .and_then(|&a| booked.get(a).copied().flatten());
        }
        out.push(c);
        positions.push(i);
        first_contact.push(o.first_contact_at);
    }
    // Orders come grouped by account (canonical order): one run per account.
    let mut start = 0usize;
    while let Some(head) = out.get(start) {
        let end = out.get(start..).map_or(start, |rest| {
            start
                + rest
                    .iter()
                    .take_while(|c| c.account == head.account)
                    .count()
        });
        let since = accounts
            .get(head.account.as_str())
            .and_then(|&a| book.accounts.get(a))
            .map(|a| a.customer_since);
        let first = (start..end).min_by(|&x, &y| {
            let key = |k: usize| out.get(k).map(|c| (c.completed_at, &c.id));
            key(x).cmp(&key(y))
        });
        if let (Some(k), Some(since)) = (first, since) {
            let contact = first_contact.get(k).map(|t| t.date_naive());
            let new_customer = contact.is_some_and(|day| {
                day.checked_sub_days(chrono::Days::new(FIRST_ORDER_SLACK_DAYS))
                    .is_none_or(|earliest| since >= earliest)
            });
            if let Some(c) = out.get_mut(k) {
                c.first_for_account = new_customer;
            }
        }
        start = end.max(start + 1);
    }
    (out, positions)
}

/// Per account, its next visit already booked as an open order: the latest day one is
/// set for (or was opened on). It settles the next service (C8).
fn booked_visits(book: &Book, accounts: &FxHashMap<&str, usize>) -> Vec<Option<chrono::NaiveDate>> {
    let mut booked: Vec<Option<chrono::NaiveDate>> = vec![None; book.accounts.len()];
    for o in book.orders.iter().filter(|o| is_open(o.stage())) {
        let day = o
            .appointment
            .as_ref()
            .map_or(o.first_contact_at, |a| a.start)
            .date_naive();
        if let Some(slot) = accounts
            .get(o.account.as_str())
            .and_then(|&a| booked.get_mut(a))
        {
            *slot = Some(slot.map_or(day, |d| d.max(day)));
        }
    }
    booked
}

/// The order policy of each order: its account's segment's, else the book's.
struct SegmentOrderPolicies<'a> {
    accounts: &'a FxHashMap<&'a str, usize>,
    segments: &'a FxHashMap<&'a str, &'a crate::orders::OrderPolicy>,
}

impl SegmentOrderPolicies<'_> {
    fn of<'b>(&'b self, book: &'b Book, order: &ServiceOrder) -> &'b crate::orders::OrderPolicy {
        if self.segments.is_empty() {
            return &book.policies.orders;
        }
        self.accounts
            .get(order.account.as_str())
            .and_then(|&a| book.accounts.get(a))
            .and_then(|a| a.segment.as_deref())
            .and_then(|s| self.segments.get(s).copied())
            .unwrap_or(&book.policies.orders)
    }
}

/// Referrals (K6): each account that referred others gets their count and what they
/// are worth a year (their annual values, in the book's one currency).
fn referrals(book: &Book, facts: &mut [AccountFacts], accounts: &FxHashMap<&str, usize>) {
    for a in &book.accounts {
        let Some(referrer) = a.referred_by.as_ref() else {
            continue;
        };
        let Some(f) = accounts
            .get(referrer.as_str())
            .and_then(|&i| facts.get_mut(i))
        else {
            continue;
        };
        f.referrals = f.referrals.saturating_add(1);
        if let Some(v) = a.annual_value {
            let sum = match f.referred_value {
                Some(r) => r
                    .amount
                    .checked_add(v.amount)
                    .map(|x| crate::model::Money::new(x, v.currency)),
                None => Some(v),
            };
            f.referred_value = sum.or(f.referred_value);
        }
    }
}

/// Each account's history start (the history horizon,
/// [`history_start`](crate::model::history_start)): its own or the book's
/// `history_since`, else its earliest record in any list (in the business's calendar
/// dates), else today. One pass over each list, one look-up per account's run of
/// records, and a local date only for the instants near each run's earliest
/// ([`earliest_local_date`]).
fn history_starts(
    book: &Book,
    accounts: &FxHashMap<&str, usize>,
    today: chrono::NaiveDate,
) -> Vec<chrono::NaiveDate> {
    let zone = book.calendar.time_zone();
    let mut earliest: Vec<Option<chrono::NaiveDate>> = vec![None; book.accounts.len()];
    // An account's own or the book's horizon settles its start: its records are not read.
    let wanted: Vec<bool> = book
        .accounts
        .iter()
        .map(|a| a.history_since.is_none() && book.history_since.is_none())
        .collect();
    note_runs(
        &mut earliest,
        &wanted,
        (&book.accounts, accounts),
        &book.interactions,
        |x| &x.account,
        |run| earliest_local_date(run.iter().map(|x| x.at), zone),
    );
    note_runs(
        &mut earliest,
        &wanted,
        (&book.accounts, accounts),
        &book.orders,
        |o| &o.account,
        |run| earliest_local_date(run.iter().map(|o| o.first_contact_at), zone),
    );
    note_runs(
        &mut earliest,
        &wanted,
        (&book.accounts, accounts),
        &book.surveys,
        |s| &s.account,
        |run| earliest_local_date(run.iter().map(|s| s.answered_at), zone),
    );
    note_runs(
        &mut earliest,
        &wanted,
        (&book.accounts, accounts),
        &book.promises,
        |p| &p.account,
        |run| earliest_local_date(run.iter().map(|p| p.made_at), zone),
    );
    note_runs(
        &mut earliest,
        &wanted,
        (&book.accounts, accounts),
        &book.reviews,
        |r| &r.account,
        |run| run.iter().map(|r| r.reviewed_on).min(),
    );
    book.accounts
        .iter()
        .zip(earliest)
        .map(|(a, e)| crate::model::history_start(a, book.history_since, e, today))
        .collect()
}

/// Notes in `earliest` the earliest day of each run of `list`'s records of one account
/// (`day` of the run), for the accounts `wanted`: one look-up per run. The lists come
/// grouped by account (canonical order; another order only makes more, shorter runs).
fn note_runs<'b, T>(
    earliest: &mut [Option<chrono::NaiveDate>],
    wanted: &[bool],
    (all, accounts): (&'b [crate::model::Account], &FxHashMap<&str, usize>),
    list: &'b [T],
    account: impl Fn(&T) -> &crate::model::AccountId,
    day: impl Fn(&[T]) -> Option<chrono::NaiveDate>,
) {
    let mut seek = crate::model::Seek::new(all);
    let table = |id: &str| accounts.get(id).and_then(|&a| u32::try_from(a).ok());
    for run in list.chunk_by(|x, y| crate::model::same(account(x).as_str(), account(y).as_str())) {
        let Some(head) = run.first() else { continue };
        let Some(a) = seek.find(account(head).as_str(), table) else {
            continue;
        };
        let a = a as usize;
        if !wanted.get(a).copied().unwrap_or(false) {
            continue;
        }
        if let (Some(slot), Some(d)) = (earliest.get_mut(a), day(run)) {
            *slot = Some(slot.map_or(d, |e| e.min(d)));
        }
    }
}

/// The earliest of the local dates (in `zone`) of `times`, among those that have one:
/// the minimum of every instant's local date, with a zone look-up only for the instants
/// within two days of the earliest instant. An offset is less than a day either way, so
/// an instant two days or more after the earliest one is later in local time too, and
/// its date no earlier. When an instant near the earliest has no local date (beyond
/// what the calendar supports), every instant is read.
fn earliest_local_date(
    times: impl Iterator<Item = DateTime<Utc>> + Clone,
    zone: chrono_tz::Tz,
) -> Option<chrono::NaiveDate> {
    let date = |t: DateTime<Utc>| crate::calendar::local_date(t, zone);
    let first = times.clone().min()?;
    let near = first.checked_add_signed(chrono::TimeDelta::days(2));
    let mut best: Option<chrono::NaiveDate> = None;
    for t in times.clone().filter(|&t| near.is_none_or(|n| t < n)) {
        match date(t) {
            Some(d) => best = Some(best.map_or(d, |b| b.min(d))),
            None => return times.filter_map(date).min(),
        }
    }
    best
}

/// Whether an order is still being worked on (not done, not cancelled).
fn is_open(stage: Stage) -> bool {
    !matches!(
        stage,
        Stage::Completed | Stage::SignedOff | Stage::Closed | Stage::Cancelled
    )
}

/// How long before an order's first contact an account may have become a customer for
/// the order still to count as its first (C6's thank-you note).
const FIRST_ORDER_SLACK_DAYS: u64 = 30;

/// Whether each account with a completed order has its next service settled (C8): its
/// latest completed order agreed a date still ahead, or recorded that none is needed, or
/// another order is open.
fn next_service(
    completed: &[CompletedOrder],
    booked: &[Option<chrono::NaiveDate>],
    today: chrono::NaiveDate,
    facts: &mut [AccountFacts],
    accounts: &FxHashMap<&str, usize>,
) {
    // The latest completed order of each account, as the planner picks it.
    let mut latest: Vec<Option<&CompletedOrder>> = vec![None; facts.len()];
    for c in completed {
        if let Some(slot) = accounts
            .get(c.account.as_str())
            .and_then(|&a| latest.get_mut(a))
        {
            if slot.is_none_or(|l| (c.completed_at, &c.id) >= (l.completed_at, &l.id)) {
                *slot = Some(c);
            }
        }
    }
    for ((f, latest), booked) in facts.iter_mut().zip(latest).zip(booked) {
        let Some(c) = latest else { continue };
        let agreed = c.next_service_planned_on.is_some_and(|on| on >= today);
        f.next_service_planned = Some(c.next_service_not_needed || agreed || booked.is_some());
    }
}

/// Places the planner's order paths in the book: the planner numbered the completed
/// orders it was given (`orders[k].completed_at`), the book numbers all its orders and
/// names their fields its own way (`orders[j].status_history`).
fn book_order_paths(plan: &mut Plan, positions: &[usize]) {
    let place = |path: &mut crate::FieldPath| {
        let Some(rest) = path.as_str().strip_prefix("orders[") else {
            return;
        };
        let Some((digits, tail)) = rest.split_once(']') else {
            return;
        };
        let Some(&j) = digits.parse::<usize>().ok().and_then(|k| positions.get(k)) else {
            return;
        };
        let order = crate::FieldPath::root().field("orders").index(j);
        *path = match tail {
            ".completed_at" => order.field("status_history"),
            ".next_service_planned_on" => order.field("next_service"),
            // `first_for_account` and the order itself: the order.
            _ => order,
        };
    };
    for item in &mut plan.due {
        for o in &mut item.obligations {
            place(&mut o.path);
        }
    }
    for e in &mut plan.explanations {
        place(&mut e.path);
    }
}

/// Sorts the ledger's verdicts into the agenda's three lists, each with its account.
fn promise_desk(book: &Book, ledger: LedgerReport, now: DateTime<Utc>) -> PromiseDesk {
    let lookback = book.policies.desk.recent.length();
    let since = now.checked_sub_signed(lookback);
    let recent = |closed: Option<DateTime<Utc>>| {
        closed.is_none_or(|closed| since.is_none_or(|since| closed >= since))
    };
    let mut overdue = Vec::new();
    let mut due_soon = Vec::new();
    let mut broken = Vec::new();
    let mut changed = Vec::new();
    for verdict in ledger.verdicts {
        let list = match verdict.status {
            Status::Overdue if verdict.open => &mut overdue,
            Status::DueSoon if verdict.open => &mut due_soon,
            Status::Broken if verdict.open || recent(verdict.closed_at) => &mut broken,
            _ if verdict.closed_at.is_some()
                && (verdict.status == Status::Cancelled || verdict.renegotiations > 0)
                && recent(verdict.closed_at) =>
            {
                &mut changed
            }
            _ => continue,
        };
        let account = match &verdict.source {
            Source::Promise { index } => book.promises.get(*index).map(|p| p.account.clone()),
            Source::Interaction { index, .. } => {
                book.interactions.get(*index).map(|x| x.account.clone())
            }
        };
        let Some(account) = account else { continue };
        list.push(PromiseLine { account, verdict });
    }
    let by_due = |a: &PromiseLine, b: &PromiseLine| {
        (a.verdict.due, &a.verdict.promise).cmp(&(b.verdict.due, &b.verdict.promise))
    };
    overdue.sort_by(by_due);
    due_soon.sort_by(by_due);
    broken.sort_by(|a, b| by_due(b, a));
    changed.sort_by(|a, b| {
        (b.verdict.closed_at, &a.verdict.promise).cmp(&(a.verdict.closed_at, &b.verdict.promise))
    });
    // Phone tag still going on, or ended within the recent span (P2).
    let mut tag_chains: Vec<_> = ledger
        .tag_chains
        .into_iter()
        .filter(|c| c.open || recent(Some(c.ended_at)))
        .collect();
    tag_chains.sort_by(|a, b| {
        (&a.account, a.started_at, &a.interactions).cmp(&(
            &b.account,
            b.started_at,
            &b.interactions,
        ))
    });
    PromiseDesk {
        overdue,
        due_soon,
        broken,
        changed,
        tag_chains,
        business: ledger.business,
    }
}

#[cfg(all(test, feature = "rayon"))]
mod parallel_tests {
    use super::*;
    use crate::synthetic::{self, Spec};

    /// The parallel path (engines at once, orders and risk split by account) gives the
    /// agenda one after the other gives, byte for byte, on a book of several risk parts.
    #[test]
    fn the_parallel_agenda_is_the_sequential_one() {
        let spec = Spec::new(11, RISK_SHARD + RISK_SHARD / 2);
        let book = synthetic::book(&spec);
        assert!(book.is_sorted() && book.accounts.len() >= PARALLEL_FROM);
        let one = run_with(&book, spec.now, false).unwrap().to_json_pretty();
        let many = run_with(&book, spec.now, true).unwrap().to_json_pretty();
        let first = one.lines().zip(many.lines()).position(|(a, b)| a != b);
        if let Some(at) = first {
            let show = |s: &str| {
                s.lines()
                    .skip(at.saturating_sub(8))
                    .take(12)
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            panic!(
                "the parallel agenda differs at line {at}:\n{}\n---\n{}",
                show(&one),
                show(&many)
            );
        }
        assert_eq!(one.len(), many.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every instant's local date, the plain way.
    fn every_date(times: &[DateTime<Utc>], zone: chrono_tz::Tz) -> Option<chrono::NaiveDate> {
        times
            .iter()
            .filter_map(|&t| crate::calendar::local_date(t, zone))
            .min()
    }

    proptest! {
        // Zones whose offsets jump a whole day (Apia skipped 30 December 2011, Sitka
        // moved from +14:58 to -9:01 in 1867) and ordinary daylight-saving ones; the
        // instants cluster within days of each other, where the jumps matter.
        #[test]
        fn the_earliest_local_date_is_every_instants_earliest(
            zone in prop::sample::select(vec![
                chrono_tz::Pacific::Apia,
                chrono_tz::America::Sitka,
                chrono_tz::America::Chicago,
                chrono_tz::Australia::Lord_Howe,
                chrono_tz::UTC,
            ]),
            base in prop::sample::select(vec![
                -3_229_200_000_i64, // October 1867
                1_325_160_000,      // 29 December 2011
                1_320_000_000,
                1_762_000_000,
            ]),
            offsets in prop::collection::vec(-400_000_i64..400_000, 1..12),
        ) {
            let times: Vec<DateTime<Utc>> = offsets
                .iter()
                .filter_map(|&o| DateTime::from_timestamp(base + o, 0))
                .collect();
            prop_assert_eq!(
                earliest_local_date(times.iter().copied(), zone),
                every_date(&times, zone)
            );
        }
    }

    /// Sitka's clocks went back a day in 1867: a later instant has an earlier date, and
    /// the earliest date is still found.
    #[test]
    fn a_later_instant_with_an_earlier_date_counts() {
        let zone = chrono_tz::America::Sitka;
        let hour = |h: i64| DateTime::from_timestamp(-3_229_200_000 + h * 3_600, 0);
        let pair = (0..24 * 120).find_map(|h| {
            let (a, b) = (hour(h)?, hour(h + 1)?);
            let (da, db) = (
                crate::calendar::local_date(a, zone)?,
                crate::calendar::local_date(b, zone)?,
            );
            (db < da).then_some((a, b, db))
        });
        let Some((a, b, day)) = pair else {
            panic!("no backward jump found near October 1867 in Sitka");
        };
        assert_eq!(earliest_local_date([a, b].into_iter(), zone), Some(day));
    }

    #[test]
    fn no_instant_has_no_earliest_date() {
        assert_eq!(
            earliest_local_date(std::iter::empty(), chrono_tz::UTC),
            None
        );
    }
}
