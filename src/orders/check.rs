//! Evaluation: the requirements of a transition, and the time checks against `now`.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use chrono_tz::Tz;
use rust_decimal::Decimal;

use super::order::{
    AfterCare, ItemState, NextService, ObservationKind, Observations, ServiceOrder, Stage,
};
use super::policy::{ChecklistTemplate, OrderPolicy, Satisfaction, TemplateItem};
use super::report::{Finding, FindingCode, Opportunity, OrderReport, Progress, Severity};
use crate::error::{Error, FieldPath, Problems};
use crate::text::{Arg, Args};

type C = FindingCode;

fn root(name: &str) -> FieldPath {
    FieldPath::root().field(name)
}

/// An elapsed time as a fact (none below zero).
fn elapsed(d: TimeDelta) -> Arg {
    Arg::Duration(d.max(TimeDelta::zero()))
}

struct Ctx<'a> {
    order: &'a ServiceOrder,
    /// Validation found the checklist entries in template order.
    aligned: bool,
    policy: &'a OrderPolicy,
    /// The business's zone: instants in findings are written in it.
    zone: Option<Tz>,
    findings: Vec<Finding>,
    met: u32,
    total: u32,
    fingerprint: Option<u64>,
}

impl<'a> Ctx<'a> {
    /// Reports `code` at `path` with its facts; the sentence is rendered from them.
    /// A finding that shows an instant carries the business's zone to show it in.
    fn report(
        &mut self,
        code: FindingCode,
        path: FieldPath,
        subject: Option<String>,
        mut args: Args,
    ) {
        if let Some(z) = self.zone {
            if args.iter().any(|(_, a)| matches!(a, Arg::Instant(_))) {
                args.set("zone", Arg::zone(z));
            }
        }
        let sentence = crate::text::english::orders::finding(code, &args);
        self.findings.push(Finding {
            code,
            severity: self.policy.severity(code),
            rule: code.rule(),
            path,
            subject,
            args,
            sentence,
        });
    }

    /// A requirement: counted, and reported when not met. The path and facts are built
    /// only for a finding.
    fn require(
        &mut self,
        ok: bool,
        code: FindingCode,
        path: impl FnOnce() -> FieldPath,
        args: impl FnOnce() -> Args,
    ) {
        self.total += 1;
        if ok {
            self.met += 1;
        } else {
            self.report(code, path(), None, args());
        }
    }

    /// Requirements that depend on a missing piece: counted, unmet, not reported.
    fn unmet(&mut self, n: u32) {
        self.total += n;
    }

    fn fingerprint(&mut self) -> u64 {
        *self
            .fingerprint
            .get_or_insert_with(|| self.order.fingerprint_u64())
    }
}

/// Empty or only whitespace. Most text starts with a visible ASCII character: that case
/// is answered without scanning.
fn blank(s: &str) -> bool {
    match s.as_bytes().first() {
        Some(b) if b.is_ascii_graphic() => false,
        _ => s.trim().is_empty(),
    }
}

/// The requirements `target` has, and the lifecycle check, then the time checks.
fn evaluate(
    order: &ServiceOrder,
    target: Option<Stage>,
    now: DateTime<Utc>,
    policy: &OrderPolicy,
    zone: Option<Tz>,
    aligned: bool,
) -> OrderReport {
    let stage = order.stage();
    let mut cx = Ctx {
        order,
        aligned,
        policy,
        zone,
        findings: Vec::new(),
        met: 0,
        total: 0,
        fingerprint: None,
    };
    let goal = target.unwrap_or(stage);
    if let Some(t) = target {
        cx.require(
            stage.may_move_to(t),
            C::TransitionNotAllowed,
            || root("status_history"),
            || {
                Args::new()
                    .with("order", Arg::id(order.id.as_str()))
                    .with("from", Arg::term(stage.as_str()))
                    .with("to", Arg::term(t.as_str()))
            },
        );
    }
    let rank = goal.rank();
    if rank >= 1 {
        schedule(&mut cx);
    }
    if rank >= 2 {
        cx.require(
            order.technician.is_some(),
            C::TechnicianMissing,
            || root("technician"),
            Args::new,
        );
    }
    match goal {
        Stage::OnHold | Stage::PartiallyComplete => {
            told_since(&mut cx, C::HoldCustomerNotTold, goal)
        }
        Stage::Cancelled => told_since(&mut cx, C::CancelCustomerNotTold, goal),
        _ => {}
    }
    if rank >= 4 {
        complete(&mut cx);
    }
    if rank >= 5 {
        sign_off(&mut cx);
    }
    // After care (O8, O9): required to close, and checked on every order past
    // completion until recorded or waived.
    if rank >= 6
        || (target.is_none()
            && matches!(stage, Stage::Completed | Stage::SignedOff | Stage::Closed))
    {
        close(&mut cx);
    }
    time_checks(&mut cx, stage, now);

    let Ctx {
        mut findings,
        met,
        total,
        ..
    } = cx;
    // The documented order: by code (the table's order), then input order. Stable, and
    // without allocation for the usual handful of findings.
    findings.sort_by_key(|f| f.code);
    let allowed = !findings.iter().any(|f| f.severity == Severity::Blocker);
    OrderReport {
        order: order.id.clone(),
        stage,
        target,
        allowed,
        progress: Progress { met, total },
        findings,
    }
}

fn schedule(cx: &mut Ctx<'_>) {
    let o = cx.order;
    cx.require(
        !blank(&o.intake.request),
        C::RequestMissing,
        || root("intake").field("request"),
        Args::new,
    );
    cx.require(
        o.intake.special_instructions.is_some(),
        C::InstructionsNotAsked,
        || root("intake").field("special_instructions"),
        Args::new,
    );
    cx.require(
        o.site.as_ref().is_some_and(|s| !blank(&s.address)),
        C::SiteMissing,
        || root("site"),
        Args::new,
    );
    cx.require(
        o.contact.is_some(),
        C::ContactMissing,
        || root("contact"),
        Args::new,
    );
    cx.require(
        !o.planned_work.is_empty(),
        C::WorkItemsMissing,
        || root("planned_work"),
        Args::new,
    );
    match &o.appointment {
        None => {
            cx.require(
                false,
                C::AppointmentMissing,
                || root("appointment"),
                Args::new,
            );
            cx.unmet(1);
        }
        Some(a) => {
            cx.require(true, C::AppointmentMissing, FieldPath::root, Args::new);
            let limit = cx.policy.time_limits().appointment_set_within;
            let took = a.set_at.signed_duration_since(o.first_contact_at);
            cx.require(
                took <= limit.length(),
                C::AppointmentNotOnFirstContact,
                || root("appointment").field("set_at"),
                || {
                    Args::new()
                        .with("took", elapsed(took))
                        .with("limit", Arg::Span(limit))
                },
            );
        }
    }
}

/// The customer was told (for a hold: with the next step) since the job last moved to a
/// stage other than the one being entered.
fn told_since(cx: &mut Ctx<'_>, code: FindingCode, goal: Stage) {
    let o = cx.order;
    let hold = code == C::HoldCustomerNotTold;
    let leaving = |s: Stage| {
        if hold {
            !matches!(s, Stage::OnHold | Stage::PartiallyComplete)
        } else {
            s != Stage::Cancelled
        }
    };
    let since = o
        .status_history
        .iter()
        .rev()
        .find(|s| leaving(s.stage))
        .map_or(o.first_contact_at, |s| s.at);
    let told = o.customer_updates.iter().any(|u| {
        u.at >= since
            && !blank(&u.message)
            && (!hold || u.next_step.as_deref().is_some_and(|n| !blank(n)))
    });
    cx.require(
        told,
        code,
        || root("customer_updates"),
        || {
            Args::new()
                .with("stage", Arg::term(goal.as_str()))
                .with("since", Arg::Instant(since))
        },
    );
}

fn complete(cx: &mut Ctx<'_>) {
    let o = cx.order;
    cx.require(
        !o.work_performed.is_empty(),
        C::WorkNotDocumented,
        || root("work_performed"),
        Args::new,
    );
    for (i, item) in o.planned_work.iter().enumerate() {
        let done = o
            .work_performed
            .iter()
            .any(|w| w.item.as_deref() == Some(item.id.as_str()));
        cx.total += 1;
        if done {
            cx.met += 1;
        } else {
            cx.report(
                C::PlannedWorkNotDone,
                root("planned_work").index(i),
                Some(item.id.clone()),
                Args::new()
                    .with("item", Arg::id(&item.id))
                    .with("description", Arg::Text(item.description.clone())),
            );
        }
    }
    checklist(cx);
    cx.require(
        o.clean_up_confirmed,
        C::CleanUpNotConfirmed,
        || root("clean_up_confirmed"),
        Args::new,
    );
    let before = cx.findings.len();
    parts(cx);
    cx.total += 1;
    if cx.findings.len() == before {
        cx.met += 1;
    }
    cx.require(
        o.observations.is_some(),
        C::ObservationsMissing,
        || root("observations"),
        Args::new,
    );
}

fn checklist(cx: &mut Ctx<'_>) {
    let o = cx.order;
    let Some(template) = cx.policy.template_for(&o.service_type) else {
        return;
    };
    let entries: &[_] = match &o.checklist {
        None => {
            cx.require(
                false,
                C::ChecklistMissing,
                || root("checklist"),
                || {
                    Args::new()
                        .with("service_type", Arg::Text(o.service_type.to_string()))
                        .with("template", Arg::id(&template.id))
                },
            );
            &[]
        }
        Some(cl) if cl.template != template.id => {
            cx.require(
                false,
                C::ChecklistWrongTemplate,
                || root("checklist").field("template"),
                || {
                    Args::new()
                        .with("found", Arg::id(&cl.template))
                        .with("service_type", Arg::Text(o.service_type.to_string()))
                        .with("template", Arg::id(&template.id))
                },
            );
            &[]
        }
        Some(cl) => {
            cx.require(true, C::ChecklistMissing, FieldPath::root, Args::new);
            &cl.items
        }
    };
    let aligned = cx.aligned
        && o.checklist
            .as_ref()
            .is_some_and(|c| c.template == template.id);
    items(cx, template, entries, aligned);
}

/// `aligned`: validation found `entries` in template order from the start, so entry `t`
/// (if any) is item `t`'s.
fn items(
    cx: &mut Ctx<'_>,
    template: &ChecklistTemplate,
    entries: &[super::order::ChecklistEntry],
    aligned: bool,
) {
    for (t, item) in template.items.iter().enumerate() {
        // Entries usually follow the template: try the same position first.
        let found = entries
            .get(t)
            .filter(|e| aligned || e.item == item.id)
            .map(|e| (t, e))
            .or_else(|| entries.iter().enumerate().find(|(_, e)| e.item == item.id));
        let counted = item.required;
        if counted {
            cx.total += 1;
        }
        let path = |i: usize| root("checklist").field("items").index(i);
        let problem = match found {
            None if item.required => Some((
                C::ChecklistItemOpen,
                root("checklist").field("items"),
                label(item),
            )),
            None => None,
            Some((i, e)) => {
                entry_problem(cx, item, &e.state).map(|(code, msg)| (code, path(i), msg))
            }
        };
        match problem {
            None => {
                if counted {
                    cx.met += 1;
                }
            }
            Some((code, p, msg)) => {
                // A stale tick is a warning about a satisfied item: it still counts as met.
                if counted && code == C::ChecklistTickStale {
                    cx.met += 1;
                }
                cx.report(code, p, Some(item.id.clone()), msg);
            }
        }
    }
}

/// A checklist item's facts: its id and label.
fn label(item: &TemplateItem) -> Args {
    Args::new()
        .with("item", Arg::id(&item.id))
        .with("label", Arg::Text(item.label.clone()))
}

fn entry_problem(
    cx: &mut Ctx<'_>,
    item: &TemplateItem,
    state: &ItemState,
) -> Option<(FindingCode, Args)> {
    match state {
        ItemState::Done {
            work_fingerprint, ..
        } => {
            if !item.allows(Satisfaction::Done) {
                return Some((
                    C::ItemSatisfiedWrongWay,
                    label(item).with("way", Arg::term("done")),
                ));
            }
            let stored = work_fingerprint.as_deref()?;
            let now = cx.fingerprint();
            (!fingerprint_matches(stored, now)).then(|| {
                (
                    C::ChecklistTickStale,
                    label(item)
                        .with("ticked_for", Arg::Text(stored.to_string()))
                        .with("now", Arg::Text(format!("{now:016x}"))),
                )
            })
        }
        ItemState::Waived { by, reason } => {
            if !item.allows(Satisfaction::Waived) {
                Some((
                    C::ItemSatisfiedWrongWay,
                    label(item)
                        .with("way", Arg::term("waived"))
                        .with("by", Arg::Name(by.to_string())),
                ))
            } else if blank(reason) {
                Some((
                    C::WaiverUnexplained,
                    label(item).with("by", Arg::Name(by.to_string())),
                ))
            } else {
                None
            }
        }
    }
}

/// Compares a stored hex fingerprint with the current one, without allocating.
fn fingerprint_matches(stored: &str, now: u64) -> bool {
    stored.len() == 16 && u64::from_str_radix(stored, 16).is_ok_and(|v| v == now)
}

/// Reconciles parts used against planned, part number by part number (lines of one part
/// added together). Quadratic in the lines of one order (a handful), allocation-free.
fn parts(cx: &mut Ctx<'_>) {
    let o = cx.order;
    let sum = |lines: &[super::order::PartLine], part: &str| -> Option<Decimal> {
        lines
            .iter()
            .filter(|l| l.part == part)
            .try_fold(Decimal::ZERO, |acc, l| acc.checked_add(l.quantity))
    };
    // The usual case: the parts used are the planned lines, line for line.
    if o.planned_parts.len() == o.parts_used.len()
        && o.planned_parts
            .iter()
            .zip(&o.parts_used)
            .all(|(p, u)| p.part == u.part && p.quantity == u.quantity)
    {
        return;
    }
    for (i, p) in o.planned_parts.iter().enumerate() {
        if o.planned_parts[..i].iter().any(|q| q.part == p.part) {
            continue;
        }
        let planned = sum(&o.planned_parts, &p.part);
        let used = sum(&o.parts_used, &p.part);
        if planned != used || planned.is_none() {
            // A sum past Decimal's range is absent ("too many").
            let amount = |d: Option<Decimal>| d.map(|d| Arg::Amount(d.normalize()));
            cx.report(
                C::PartQuantityDiffers,
                root("planned_parts").index(i),
                Some(p.part.clone()),
                Args::new()
                    .with("part", Arg::id(&p.part))
                    .with_opt("planned", amount(planned))
                    .with_opt("used", amount(used)),
            );
        }
    }
    for (i, p) in o.parts_used.iter().enumerate() {
        if o.planned_parts.iter().any(|q| q.part == p.part)
            || o.parts_used[..i].iter().any(|q| q.part == p.part)
        {
            continue;
        }
        let used = sum(&o.parts_used, &p.part).map(|d| Arg::Amount(d.normalize()));
        cx.report(
            C::PartNotPlanned,
            root("parts_used").index(i),
            Some(p.part.clone()),
            Args::new()
                .with("part", Arg::id(&p.part))
                .with_opt("used", used),
        );
    }
}

/// When work last started: the first `in_progress` entry (the work started then, even if
/// it was reopened later).
fn work_started(o: &ServiceOrder) -> Option<DateTime<Utc>> {
    o.status_history
        .iter()
        .find(|s| s.stage == Stage::InProgress)
        .map(|s| s.at)
}

fn sign_off(cx: &mut Ctx<'_>) {
    let o = cx.order;
    match &o.sign_off {
        None => {
            cx.require(false, C::SignatureMissing, || root("sign_off"), Args::new);
            cx.unmet(4);
        }
        Some(s) => {
            cx.require(true, C::SignatureMissing, FieldPath::root, Args::new);
            cx.require(
                !blank(&s.signer_name),
                C::SignerNameMissing,
                || root("sign_off").field("signer_name"),
                Args::new,
            );
            cx.require(
                s.on_site,
                C::SignedOffSite,
                || root("sign_off").field("on_site"),
                || Args::new().with("signer", Arg::Name(s.signer_name.clone())),
            );
            let started = work_started(o);
            cx.require(
                started.is_some_and(|w| s.at >= w),
                C::SignedBeforeWork,
                || root("sign_off").field("at"),
                || {
                    Args::new()
                        .with("signed_at", Arg::Instant(s.at))
                        .with_opt("started_at", started.map(Arg::Instant))
                        .with_opt("early_by", started.map(|w| elapsed(w - s.at)))
                },
            );
            let now = cx.fingerprint();
            let stale = s
                .work_fingerprint
                .as_deref()
                .filter(|f| !fingerprint_matches(f, now));
            cx.require(
                stale.is_none(),
                C::SignatureStale,
                || root("sign_off").field("work_fingerprint"),
                || {
                    Args::new()
                        .with("signer", Arg::Name(s.signer_name.clone()))
                        .with(
                            "signed_for",
                            Arg::Text(stale.unwrap_or_default().to_string()),
                        )
                        .with("now", Arg::Text(format!("{now:016x}")))
                },
            );
        }
    }
    cx.require(
        o.completion_notice.is_some(),
        C::CompletionNotTold,
        || root("completion_notice"),
        Args::new,
    );
}

fn close(cx: &mut Ctx<'_>) {
    let o = cx.order;
    // A check waived with a reason is met; one waived without is not, and says so.
    let waiver = |check: AfterCare| o.after_care_waived.iter().find(|w| w.check == check);
    let waived = |check: AfterCare| waiver(check).is_some_and(|w| !blank(&w.reason));
    // A check waived without a reason says so.
    let unexplained = |check: AfterCare| {
        Args::new().with("waived_without_reason", Arg::Flag(waiver(check).is_some()))
    };
    cx.require(
        o.thanked_at.is_some() || waived(AfterCare::Thanks),
        C::ThanksMissing,
        || root("thanked_at"),
        || unexplained(AfterCare::Thanks),
    );
    cx.require(
        o.referral_asked_at.is_some() || waived(AfterCare::Referral),
        C::ReferralNotAsked,
        || root("referral_asked_at"),
        || unexplained(AfterCare::Referral),
    );
    cx.require(
        o.feedback_asked_at.is_some() || waived(AfterCare::Feedback),
        C::FeedbackNotAsked,
        || root("feedback_asked_at"),
        || unexplained(AfterCare::Feedback),
    );
    cx.require(
        waived(AfterCare::NextService)
            || match &o.next_service {
                None => false,
                Some(NextService::Agreed { .. }) => true,
                Some(NextService::NotNeeded { reason }) => !blank(reason),
            },
        C::NextServiceNotAgreed,
        || root("next_service"),
        || unexplained(AfterCare::NextService),
    );
}

fn time_checks(cx: &mut Ctx<'_>, stage: Stage, now: DateTime<Utc>) {
    let o = cx.order;
    let limits = *cx.policy.time_limits();
    let entered = o.status_history.last().map(|s| s.at);
    match stage {
        Stage::Scheduled | Stage::Dispatched => {
            if let Some(a) = &o.appointment {
                let confirmed = a.confirmed_at.is_some_and(|c| c <= now);
                let by = a.start.checked_sub_signed(limits.confirm_before.length());
                if !confirmed && by.is_some_and(|by| now >= by) {
                    let args = if now >= a.start {
                        Args::new().with("started_ago", elapsed(now - a.start))
                    } else {
                        Args::new()
                            .with("starts_in", elapsed(a.start - now))
                            .with("confirm_before", Arg::Span(limits.confirm_before))
                    };
                    cx.report(
                        C::AppointmentNotConfirmed,
                        root("appointment").field("confirmed_at"),
                        None,
                        args,
                    );
                }
            }
        }
        Stage::InProgress | Stage::OnHold | Stage::PartiallyComplete => {
            let Some(entered) = entered else { return };
            let last_update = o
                .customer_updates
                .iter()
                .filter(|u| u.at <= now)
                .map(|u| u.at)
                .max();
            let since = last_update.map_or(entered, |u| u.max(entered));
            let limit = if stage == Stage::InProgress {
                limits.in_progress_update_every
            } else {
                limits.on_hold_update_every
            };
            let quiet = now.signed_duration_since(since);
            if quiet > limit.length() {
                let updated_ago = match last_update {
                    Some(u) if u >= entered => Some(elapsed(now - u)),
                    _ => None,
                };
                cx.report(
                    C::CustomerNotUpdated,
                    root("customer_updates"),
                    None,
                    Args::new()
                        .with("stage", Arg::term(stage.as_str()))
                        .with("for", elapsed(now.signed_duration_since(entered)))
                        .with_opt("updated_ago", updated_ago)
                        .with("limit", Arg::Span(limit)),
                );
            }
        }
        _ => {}
    }
    // O1: an inquiry should leave its first contact with an appointment, and the
    // business should have asked for the work.
    if stage == Stage::New && o.appointment.is_none() {
        let ago = now.signed_duration_since(o.first_contact_at);
        if ago > limits.appointment_set_within.length() {
            cx.report(
                C::AppointmentNotSet,
                root("appointment"),
                None,
                Args::new()
                    .with("ago", elapsed(ago))
                    .with("limit", Arg::Span(limits.appointment_set_within)),
            );
        }
    }
    if matches!(stage, Stage::New | Stage::Cancelled) && o.intake.asked_for_work == Some(false) {
        cx.report(
            C::WorkNotAsked,
            root("intake").field("asked_for_work"),
            None,
            Args::new().with(
                "first_contact_on",
                Arg::Date(local_date(o.first_contact_at, cx.zone)),
            ),
        );
    }
    if matches!(stage, Stage::Completed | Stage::SignedOff | Stage::Closed) {
        let completed = o
            .status_history
            .iter()
            .rev()
            .find(|s| s.stage == Stage::Completed)
            .map(|s| s.at)
            .or(entered);
        let Some(completed) = completed else { return };
        let ago = now.signed_duration_since(completed);
        if stage == Stage::Completed
            && o.sign_off.is_none()
            && ago > limits.sign_off_within.length()
        {
            cx.report(
                C::SignOffOverdue,
                root("sign_off"),
                None,
                Args::new()
                    .with("ago", elapsed(ago))
                    .with("limit", Arg::Span(limits.sign_off_within)),
            );
        }
        if o.completion_notice.is_none() && ago > limits.tell_completion_within.length() {
            cx.report(
                C::CompletionNotToldInTime,
                root("completion_notice"),
                None,
                Args::new()
                    .with("ago", elapsed(ago))
                    .with("limit", Arg::Span(limits.tell_completion_within)),
            );
        }
    }
}

/// The date of `t` in `zone` (in UTC without one).
fn local_date(t: DateTime<Utc>, zone: Option<Tz>) -> NaiveDate {
    zone.map_or_else(|| t.date_naive(), |z| t.with_timezone(&z).date_naive())
}

/// Validates `order`; on success, whether its checklist follows its template in order.
fn validate(order: &ServiceOrder, policy: &OrderPolicy) -> Result<bool, Error> {
    let mut problems = Problems::new();
    let aligned = order.check(policy, &mut problems);
    problems.finish().map(|()| aligned)
}

/// Checks whether `order` may move to `target` at `now`: every finding at once.
///
/// The report lists the lifecycle check (may the order move there at all), every
/// requirement of the target stage and of the main-line stages before it (moving to
/// `closed` also needs everything `completed` and `signed_off` need), and the time checks
/// of the order's current stage.
///
/// # Errors
/// The order is unusable ([`ServiceOrder::validate`]): every problem, with its path.
pub fn check_transition(
    order: &ServiceOrder,
    target: Stage,
    now: DateTime<Utc>,
    policy: &OrderPolicy,
) -> Result<OrderReport, Error> {
    let aligned = validate(order, policy)?;
    Ok(evaluate(
        order,
        Some(target),
        now,
        policy,
        policy.time_zone(),
        aligned,
    ))
}

/// Checks the order where it stands at `now`: the requirements its current stage should
/// already meet, and the time checks (the "check everything for now" entry point).
///
/// # Errors
/// The order is unusable ([`ServiceOrder::validate`]): every problem, with its path.
pub fn check_now(
    order: &ServiceOrder,
    now: DateTime<Utc>,
    policy: &OrderPolicy,
) -> Result<OrderReport, Error> {
    let aligned = validate(order, policy)?;
    Ok(evaluate(
        order,
        None,
        now,
        policy,
        policy.time_zone(),
        aligned,
    ))
}

/// [`check_transition`] to `target`, or [`check_now`] without one, with the findings'
/// instants in `zone` whatever the policy's: the daily desk checks its book's orders in
/// the business calendar's zone.
pub(crate) fn check_in(
    order: &ServiceOrder,
    target: Option<Stage>,
    now: DateTime<Utc>,
    policy: &OrderPolicy,
    zone: Tz,
) -> Result<OrderReport, Error> {
    let aligned = validate(order, policy)?;
    Ok(evaluate(order, target, now, policy, Some(zone), aligned))
}

/// [`check_now`] for every order of a slice, in one pass: one result per order, in the
/// same order. An unusable order gets its `Err` with paths under `orders[i]`; the others
/// are still checked.
pub fn check_orders(
    orders: &[ServiceOrder],
    now: DateTime<Utc>,
    policy: &OrderPolicy,
) -> Vec<Result<OrderReport, Error>> {
    orders
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let mut problems = Problems::new();
            let aligned = o.check(policy, &mut problems);
            problems.place_since(0, || root("orders").index(i));
            problems
                .finish()
                .map(|()| evaluate(o, None, now, policy, policy.time_zone(), aligned))
        })
        .collect()
}

/// The upgrades and value-adds technicians noticed across `orders`, for sales (O7):
/// in the orders' order, then the observations' order. Issues are for the customer
/// (O5) and are not listed.
pub fn opportunities(orders: &[ServiceOrder]) -> Vec<Opportunity> {
    opportunities_since(orders, None)
}

/// [`opportunities`] observed at or after `since` (for an order never completed, its
/// last status change; an order with no status at all is kept): the daily desk's recent
/// ones, without building the others.
pub(crate) fn opportunities_since(
    orders: &[ServiceOrder],
    since: Option<DateTime<Utc>>,
) -> Vec<Opportunity> {
    let mut out = Vec::new();
    for o in orders {
        let Some(Observations::Recorded { items }) = &o.observations else {
            continue;
        };
        let observed_at = o
            .status_history
            .iter()
            .rev()
            .find(|s| s.stage == Stage::Completed)
            .map(|s| s.at);
        // An order never completed (cancelled, or still open) is judged by its last
        // status change: a job cancelled years ago is no lead today.
        let seen = observed_at.or_else(|| o.status_history.last().map(|s| s.at));
        if let (Some(at), Some(since)) = (seen, since) {
            if at < since {
                continue;
            }
        }
        for (i, ob) in items.iter().enumerate() {
            if matches!(
                ob.category,
                ObservationKind::Upgrade | ObservationKind::ValueAdd
            ) {
                out.push(Opportunity {
                    order: o.id.clone(),
                    account: o.account.clone(),
                    technician: o.technician.clone(),
                    category: ob.category,
                    note: ob.note.clone(),
                    estimated_value: ob.estimated_value,
                    observed_at,
                    path: root("observations").field("items").index(i),
                });
            }
        }
    }
    out
}
