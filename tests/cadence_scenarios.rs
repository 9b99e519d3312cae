//! The contact cadence planner, told as the practice tells it (C1-C8, K1).

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use retention::cadence::{
    CadencePolicy, CompletedOrder, DueItem, ExplanationCode, Obligation, ObligationCode, Plan,
    PlanInput, Planner, Priority, QuietHours, RecordReview,
};
use retention::calendar::{
    BusinessCalendar, CalendarSpec, Holiday, TimeOfDay, WeeklySchedule, WorkInterval,
};
use retention::model::{
    Account, Birthday, Channel, Direction, InstalledUnit, Interaction, LeapDayRule, Outcome, Party,
    Person, PersonId, Role, Rule, ServiceInterval, SurveyResponse, SurveyScale, UserId,
};
use rust_decimal::Decimal;

pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// `hh:mm` UTC on a date.
pub(crate) fn at(y: i32, m: u32, day: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, day, h, min, 0).unwrap()
}

/// A Chicago shop, weekdays 08:00-17:00, closed on Thanksgiving 2026 and Christmas.
pub(crate) fn calendar() -> BusinessCalendar {
    let mut spec = CalendarSpec::new("America/Chicago");
    spec.weekly = WeeklySchedule::weekdays(&[WorkInterval::new(
        TimeOfDay::hm(8, 0).unwrap(),
        TimeOfDay::hm(17, 0).unwrap(),
    )]);
    spec.holidays
        .push(Holiday::full_day(d(2026, 11, 26), "Thanksgiving"));
    spec.holidays
        .push(Holiday::full_day(d(2026, 12, 25), "Christmas Day"));
    BusinessCalendar::new(spec).unwrap()
}

pub(crate) fn planner_with(policy: CadencePolicy) -> Planner {
    Planner::new(policy, calendar()).unwrap()
}

pub(crate) fn planner() -> Planner {
    planner_with(CadencePolicy::default())
}

/// Wednesday 25 November 2026, 09:00 in Chicago.
pub(crate) fn now() -> DateTime<Utc> {
    at(2026, 11, 25, 15, 0)
}

pub(crate) fn account(id: &str, since: NaiveDate) -> Account {
    let mut a = Account::new(id, format!("Account {id}"), since);
    a.owner = Some(UserId::new("u-cho"));
    a.time_zone = Some("America/Chicago".into());
    a
}

pub(crate) fn person(id: &str, account: &str, role: Role, key: bool) -> Person {
    let mut p = Person::new(id, account, format!("Person {id}"), role);
    p.key_contact = key;
    p
}

/// An outbound staff interaction with `person` at `at`.
pub(crate) fn touch(
    id: &str,
    account: &str,
    person: Option<&str>,
    at: DateTime<Utc>,
    channel: Channel,
    outcome: Outcome,
) -> Interaction {
    let mut x = Interaction::new(
        id,
        account,
        at,
        channel,
        Direction::Outbound,
        Party::Staff {
            user: UserId::new("u-cho"),
        },
        outcome,
    );
    x.person = person.map(PersonId::new);
    x
}

/// The customer calling in and being answered.
pub(crate) fn customer_call(id: &str, account: &str, at: DateTime<Utc>) -> Interaction {
    Interaction::new(
        id,
        account,
        at,
        Channel::Phone,
        Direction::Inbound,
        Party::Customer,
        Outcome::Connected,
    )
}

/// One account (customer since 2024-01-20) with an owner and an IT person, both key
/// contacts, visited and touched recently, reviewed this month: nothing due.
pub(crate) fn settled_book() -> PlanInput {
    let mut b = PlanInput::new(vec![account("a-1", d(2024, 1, 20))]);
    b.people.push(person("p-1", "a-1", Role::Owner, true));
    b.people.push(person("p-2", "a-1", Role::It, true));
    b.interactions.push(touch(
        "i-1",
        "a-1",
        Some("p-1"),
        at(2026, 11, 20, 16, 0),
        Channel::Visit,
        Outcome::Connected,
    ));
    b.interactions.push(touch(
        "i-2",
        "a-1",
        Some("p-2"),
        at(2026, 11, 18, 16, 0),
        Channel::Email,
        Outcome::Delivered,
    ));
    b.reviews.push(RecordReview::new("a-1", d(2026, 11, 20)));
    b
}

pub(crate) fn find(plan: &Plan, kind: ObligationCode) -> Option<&DueItem> {
    plan.due
        .iter()
        .find(|i| i.obligations.iter().any(|o| o.code == kind))
}

pub(crate) fn obligation(plan: &Plan, kind: ObligationCode) -> Option<&Obligation> {
    plan.due
        .iter()
        .flat_map(|i| &i.obligations)
        .find(|o| o.code == kind)
}

fn kinds(plan: &Plan) -> Vec<&'static str> {
    let mut k: Vec<_> = plan
        .due
        .iter()
        .flat_map(|i| i.obligations.iter().map(|o| o.code.code()))
        .collect();
    k.sort_unstable();
    k
}

#[test]
fn a_settled_customer_has_nothing_due() {
    let plan = planner().plan(&settled_book(), now()).unwrap();
    assert_eq!(kinds(&plan), Vec::<&str>::new(), "{:#?}", plan.due);
    assert!(plan.explanations.is_empty());
    assert_eq!(plan.today, d(2026, 11, 25));
    assert_eq!(plan.through, d(2026, 12, 9));
}

#[test]
fn a_customer_untouched_for_29_days_is_due_a_touch_today() {
    let mut b = settled_book();
    // The visit was 57 days ago (C2 still fine: quarterly after the first six months),
    // the last touch 29 days ago.
    b.interactions[0].at = at(2026, 9, 29, 16, 0);
    b.interactions[1].at = at(2026, 10, 27, 16, 0);
    let plan = planner().plan(&b, now()).unwrap();
    let item = find(&plan, ObligationCode::Touch).expect("a touch is due");
    assert_eq!(item.due_on, d(2026, 11, 24));
    assert_eq!(item.days_overdue, 1);
    assert_eq!(item.planned_on, d(2026, 11, 25));
    assert_eq!(item.priority, Priority::High);
    assert_eq!(item.key, "C1:a-1:p-1:2026-11-24");
    // The item's line says whom and by when; its reason is the obligation's sentence.
    let reason = &obligation(&plan, ObligationCode::Touch).unwrap().sentence;
    assert!(reason.contains("28 days"), "{reason}");
    assert!(reason.contains("2026-10-27"), "{reason}");
    assert!(item.sentence.contains("1 reason (C1)"), "{}", item.sentence);
}

#[test]
fn a_customer_touched_27_days_ago_is_planned_ahead_not_overdue() {
    let mut b = settled_book();
    b.interactions[0].at = at(2026, 9, 29, 16, 0);
    b.interactions[1].at = at(2026, 10, 29, 16, 0);
    let plan = planner().plan(&b, now()).unwrap();
    let item = find(&plan, ObligationCode::Touch).expect("due within the horizon");
    assert_eq!(item.due_on, d(2026, 11, 26));
    assert_eq!(item.days_overdue, 0);
    assert_eq!(item.window_from, d(2026, 11, 23));
    assert_eq!(item.priority, Priority::Normal);
}

#[test]
fn a_visit_yesterday_satisfies_the_monthly_touch_and_the_quarterly_visit() {
    let mut b = settled_book();
    b.interactions[0].at = at(2026, 11, 24, 16, 0);
    b.interactions[1].at = at(2026, 8, 1, 16, 0); // the IT person's email, long ago
    let plan = planner().plan(&b, now()).unwrap();
    assert!(find(&plan, ObligationCode::Touch).is_none());
    assert!(find(&plan, ObligationCode::FaceToFace).is_none());
}

#[test]
fn one_visit_is_planned_for_the_touch_and_the_face_to_face_meeting_together() {
    let mut b = settled_book();
    // A customer of five months: visits are still monthly. (Asked about their
    // business when they started, so no discovery conversation (C9) joins the visit.)
    b.accounts[0].customer_since = d(2026, 7, 1);
    b.accounts[0].discovery = Some(retention::model::Discovery::new(d(2026, 7, 1)));
    b.interactions[0].at = at(2026, 10, 10, 16, 0); // last visit: 46 days ago
    b.interactions[1].at = at(2026, 10, 26, 16, 0); // last touch: 30 days ago
    let plan = planner().plan(&b, now()).unwrap();
    let item = find(&plan, ObligationCode::Touch).unwrap();
    assert_eq!(item.key, "C1+C2:a-1:p-1:2026-11-10");
    assert_eq!(item.channel, Some(Channel::Visit));
    assert_eq!(item.rules, [Rule::C1, Rule::C2]);
    assert_eq!(item.obligations.len(), 2);
    assert_eq!(item.due_on, d(2026, 11, 10), "the earlier deadline");
    assert_eq!(
        plan.due.iter().filter(|i| i.person == item.person).count(),
        1
    );
}

#[test]
fn a_new_customer_is_visited_monthly_and_month_ends_do_not_drift() {
    let mut b = PlanInput::new(vec![account("a-1", d(2026, 8, 31))]);
    b.people.push(person("p-1", "a-1", Role::Owner, true));
    // Last visit on 31 October: the next is due on 30 November (no 31st), not 1 December.
    b.interactions.push(touch(
        "i-1",
        "a-1",
        Some("p-1"),
        at(2026, 10, 31, 16, 0),
        Channel::Visit,
        Outcome::Connected,
    ));
    let plan = planner().plan(&b, now()).unwrap();
    let f2f = plan
        .due
        .iter()
        .flat_map(|i| &i.obligations)
        .find(|o| o.code == ObligationCode::FaceToFace)
        .unwrap();
    assert_eq!(f2f.due_on, d(2026, 11, 30));
    assert!(f2f.sentence.contains("every month"), "{}", f2f.sentence);
}

#[test]
fn record_reviews_fall_on_the_anchor_day_of_each_month() {
    // Customer since 31 January: reviews on 28 Feb, 31 Mar, 30 Apr, 31 May ... 30 Nov.
    let policy = CadencePolicy {
        explain_not_due: true,
        ..Default::default()
    };
    let mut b = PlanInput::new(vec![account("a-1", d(2026, 1, 31))]);
    b.reviews.push(RecordReview::new("a-1", d(2026, 10, 31)));
    let plan = planner_with(policy.clone()).plan(&b, now()).unwrap();
    let review = find(&plan, ObligationCode::RecordReview).unwrap();
    assert_eq!(review.due_on, d(2026, 11, 30));
    assert_eq!(review.channel, None, "an internal task");
    assert_eq!(review.person, None);
    assert_eq!(review.priority, Priority::Low);
    // Reviewed on the 30th: the next is 31 December, still the anchor day.
    b.reviews.push(RecordReview::new("a-1", d(2026, 11, 30)));
    let mut later = policy;
    later.horizon = retention::model::Span::Days(60);
    let plan = planner_with(later).plan(&b, now()).unwrap();
    let review = find(&plan, ObligationCode::RecordReview).unwrap();
    assert_eq!(review.due_on, d(2026, 12, 31));
}

#[test]
fn a_review_done_a_few_days_early_counts_for_that_month() {
    // Customer since 4 March: reviews fall on the 4th. Reviewed on 2 November, two days
    // before the November date: that is November's review, the next is due 4 December.
    let policy = CadencePolicy {
        horizon: retention::model::Span::Days(60),
        ..Default::default()
    };
    let mut b = PlanInput::new(vec![account("a-1", d(2019, 3, 4))]);
    b.reviews.push(RecordReview::new("a-1", d(2026, 11, 2)));
    let plan = planner_with(policy).plan(&b, now()).unwrap();
    let review = find(&plan, ObligationCode::RecordReview).unwrap();
    assert_eq!(review.due_on, d(2026, 12, 4));
    assert_eq!(review.days_overdue, 0);
}

#[test]
fn a_leap_day_birthday_is_noted_on_28_february_in_common_years() {
    let mut b = settled_book();
    b.people[1].birthday = Some(Birthday {
        month: 2,
        day: 29,
        year: Some(1980),
    });
    let feb = at(2027, 2, 24, 15, 0);
    // Keep the rest of the book quiet around then.
    b.interactions[0].at = at(2027, 2, 20, 16, 0);
    b.interactions[1].at = at(2027, 2, 1, 16, 0);
    b.reviews.push(RecordReview::new("a-1", d(2027, 2, 10)));
    let plan = planner().plan(&b, feb).unwrap();
    let note = find(&plan, ObligationCode::BirthdayNote).unwrap();
    assert_eq!(note.due_on, d(2027, 2, 28));
    assert_eq!(note.channel, Some(Channel::Letter));
    assert_eq!(note.key, "C6b:a-1:p-2:2027-02-28");
    let reason = &obligation(&plan, ObligationCode::BirthdayNote)
        .unwrap()
        .sentence;
    assert!(reason.contains("leap-day rule"), "{reason}");

    let mut policy = CadencePolicy::default();
    policy.personal.leap_day = LeapDayRule::March1;
    let plan = planner_with(policy).plan(&b, feb).unwrap();
    assert_eq!(
        obligation(&plan, ObligationCode::BirthdayNote)
            .unwrap()
            .due_on,
        d(2027, 3, 1)
    );
    // In a leap year it is the day itself.
    let plan = planner().plan(&b, at(2028, 2, 25, 15, 0)).unwrap();
    assert_eq!(
        obligation(&plan, ObligationCode::BirthdayNote)
            .unwrap()
            .due_on,
        d(2028, 2, 29)
    );
}

#[test]
fn the_follow_up_call_after_a_visit_skips_thanksgiving() {
    let mut b = settled_book();
    let mut order = CompletedOrder::new("o-1", "a-1", at(2026, 11, 25, 14, 0));
    order.person = Some(PersonId::new("p-2"));
    order.next_service_planned_on = Some(d(2027, 5, 25));
    b.orders.push(order);
    let plan = planner().plan(&b, at(2026, 11, 25, 20, 0)).unwrap();
    let call = find(&plan, ObligationCode::FollowUpCall).unwrap();
    // Two business days after Wednesday: Thanksgiving is closed, so Friday then Monday.
    assert_eq!(call.due_on, d(2026, 11, 30));
    assert_eq!(call.channel, Some(Channel::Phone));
    assert_eq!(call.person, Some(PersonId::new("p-2")));
    assert_eq!(call.key, "C4:a-1:p-2:2026-11-30");
    assert_eq!(call.obligations[0].key, "C4:a-1:p-2:o-1");
    assert_eq!(call.priority, Priority::High);
    // Planned on a business day: not Thanksgiving, not the weekend.
    assert!([d(2026, 11, 25), d(2026, 11, 27), d(2026, 11, 30)].contains(&call.planned_on));
}

#[test]
fn a_call_after_the_visit_meets_the_follow_up() {
    let mut b = settled_book();
    let mut order = CompletedOrder::new("o-1", "a-1", at(2026, 11, 23, 14, 0));
    order.next_service_planned_on = Some(d(2027, 5, 25));
    b.orders.push(order);
    b.interactions.push(touch(
        "i-9",
        "a-1",
        Some("p-1"),
        at(2026, 11, 24, 15, 0),
        Channel::Phone,
        Outcome::Connected,
    ));
    let plan = planner().plan(&b, now()).unwrap();
    assert!(find(&plan, ObligationCode::FollowUpCall).is_none());
}

#[test]
fn an_order_without_a_next_service_gets_an_item_to_plan_it() {
    let mut b = settled_book();
    b.orders
        .push(CompletedOrder::new("o-1", "a-1", at(2026, 11, 16, 14, 0)));
    let plan = planner().plan(&b, now()).unwrap();
    let plan_it = plan
        .due
        .iter()
        .flat_map(|i| &i.obligations)
        .find(|o| o.code == ObligationCode::PlanNextService)
        .unwrap();
    assert_eq!(plan_it.due_on, d(2026, 11, 23));
    assert_eq!(plan_it.path.as_str(), "orders[0].next_service_planned_on");
    assert_eq!(plan_it.rule, Rule::C8);

    b.orders[0].next_service_planned_on = Some(d(2027, 5, 16));
    let plan = planner().plan(&b, now()).unwrap();
    assert!(find(&plan, ObligationCode::PlanNextService).is_none());
}

#[test]
fn an_order_whose_customer_needs_no_next_service_leaves_nothing_to_plan() {
    let mut b = settled_book();
    let mut order = CompletedOrder::new("o-1", "a-1", at(2026, 11, 16, 14, 0));
    order.next_service_not_needed = true;
    b.orders.push(order);
    let plan = planner().plan(&b, now()).unwrap();
    assert!(find(&plan, ObligationCode::PlanNextService).is_none());
}

#[test]
fn a_later_order_with_its_next_service_planned_settles_an_earlier_one_without() {
    let mut b = settled_book();
    // Last year's repair left no next service; this autumn's tune-up planned the spring one.
    b.orders
        .push(CompletedOrder::new("o-1", "a-1", at(2025, 11, 10, 15, 0)));
    let mut tune_up = CompletedOrder::new("o-2", "a-1", at(2026, 10, 12, 15, 0));
    tune_up.next_service_planned_on = Some(d(2027, 4, 12));
    b.orders.push(tune_up);
    let plan = planner().plan(&b, now()).unwrap();
    assert!(
        find(&plan, ObligationCode::PlanNextService).is_none(),
        "{:#?}",
        plan.due
    );

    // Without this autumn's order, last year's missing plan is still owed.
    b.orders.pop();
    let plan = planner().plan(&b, now()).unwrap();
    assert!(find(&plan, ObligationCode::PlanNextService).is_some());
}

#[test]
fn the_first_order_earns_a_thank_you_note() {
    let mut b = settled_book();
    let mut order = CompletedOrder::new("o-1", "a-1", at(2026, 11, 23, 14, 0));
    order.first_for_account = true;
    order.next_service_planned_on = Some(d(2027, 5, 25));
    b.orders.push(order);
    let plan = planner().plan(&b, now()).unwrap();
    let note = plan
        .due
        .iter()
        .flat_map(|i| &i.obligations)
        .find(|o| o.code == ObligationCode::ThankYouNote)
        .unwrap();
    // The note's window is two weeks by default (issue 14: it lapses after).
    assert_eq!(note.due_on, d(2026, 12, 7));
    assert_eq!(note.rule, Rule::C6);
}

fn unhappy(id: &str, account: &str, when: DateTime<Utc>) -> SurveyResponse {
    SurveyResponse::new(
        id,
        account,
        when,
        Decimal::from(3),
        SurveyScale::zero_to_ten(),
    )
}

#[test]
fn an_unhappy_survey_gets_a_managers_call_the_same_day() {
    let mut b = settled_book();
    b.surveys
        .push(unhappy("s-1", "a-1", at(2026, 11, 25, 14, 0)));
    let plan = planner().plan(&b, now()).unwrap();
    let call = find(&plan, ObligationCode::RecoveryCall).unwrap();
    assert!(call.by_manager);
    assert_eq!(call.priority, Priority::Urgent);
    assert_eq!(call.due_on, d(2026, 11, 25));
    assert_eq!(call.planned_on, d(2026, 11, 25));
    assert_eq!(call.channel, Some(Channel::Phone));
    assert!(call.rules.contains(&Rule::C7));
}

#[test]
fn an_unanswered_recovery_call_is_retried_the_next_business_day_until_spoken_to() {
    let mut b = settled_book();
    b.surveys
        .push(unhappy("s-1", "a-1", at(2026, 11, 24, 14, 0)));
    b.interactions.push(touch(
        "i-9",
        "a-1",
        Some("p-1"),
        at(2026, 11, 25, 14, 30),
        Channel::Phone,
        Outcome::NoAnswer,
    ));
    let plan = planner().plan(&b, now()).unwrap();
    let call = find(&plan, ObligationCode::RecoveryCall).unwrap();
    // The next business day after Wednesday is Friday (Thanksgiving).
    assert_eq!(call.due_on, d(2026, 11, 27));
    let reason = &obligation(&plan, ObligationCode::RecoveryCall)
        .unwrap()
        .sentence;
    assert!(reason.contains("did not reach anyone"), "{reason}");

    // A voicemail is not being spoken to either.
    b.interactions.push(touch(
        "i-10",
        "a-1",
        Some("p-1"),
        at(2026, 11, 25, 14, 40),
        Channel::Phone,
        Outcome::LeftMessage,
    ));
    assert!(
        find(
            &planner().plan(&b, now()).unwrap(),
            ObligationCode::RecoveryCall
        )
        .is_some()
    );

    b.interactions.push(touch(
        "i-11",
        "a-1",
        Some("p-1"),
        at(2026, 11, 25, 14, 50),
        Channel::Phone,
        Outcome::Connected,
    ));
    assert!(
        find(
            &planner().plan(&b, now()).unwrap(),
            ObligationCode::RecoveryCall
        )
        .is_none()
    );
}

#[test]
fn a_quiet_customer_is_touched_more_often_and_the_channel_climbs() {
    let mut b = settled_book();
    // The customer called every month until 75 days ago (a rhythm of their own, K1);
    // we emailed 15 days ago.
    b.interactions.clear();
    for (i, m) in [6, 7, 8].into_iter().enumerate() {
        b.interactions.push(customer_call(
            &format!("i-0{i}"),
            "a-1",
            at(2026, m, 11, 15, 0),
        ));
    }
    b.interactions
        .push(customer_call("i-1", "a-1", at(2026, 9, 11, 15, 0)));
    b.interactions.push(touch(
        "i-2",
        "a-1",
        Some("p-1"),
        at(2026, 11, 10, 16, 0),
        Channel::Email,
        Outcome::Delivered,
    ));
    b.interactions.push(touch(
        "i-3",
        "a-1",
        Some("p-1"),
        at(2026, 10, 1, 16, 0),
        Channel::Visit,
        Outcome::LeftMessage,
    ));
    let plan = planner().plan(&b, now()).unwrap();
    let quiet = obligation(&plan, ObligationCode::QuietTouch).expect("K1 applies");
    assert!(
        find(&plan, ObligationCode::Touch).is_none(),
        "K1 replaces C1"
    );
    assert_eq!(quiet.due_on, d(2026, 11, 24), "14 days, not 28");
    // 75 days silent; a monthly customer (a usual gap of 30.7 days) is quiet after 46
    // days, as risk judges it: 29 days past that, so the third rung (visit).
    assert!(
        quiet.sentence.contains("quiet after 46 days)")
            && quiet.sentence.contains("now by visit (rung 3 of 3)"),
        "{}",
        quiet.sentence
    );
    let item = find(&plan, ObligationCode::QuietTouch).unwrap();
    // Never visited, so the visit (C2) is overdue too: a visit is the rung above and
    // satisfies both.
    assert_eq!(item.channel, Some(Channel::Visit));
    assert!(item.rules.contains(&Rule::K1) && item.rules.contains(&Rule::C1));
    assert_eq!(item.priority, Priority::High);

    // Silent for 100 days: a visit.
    let plan = planner().plan(&b, at(2026, 12, 20, 15, 0)).unwrap();
    let quiet = obligation(&plan, ObligationCode::QuietTouch).unwrap();
    assert!(
        quiet.sentence.contains("now by visit"),
        "{}",
        quiet.sentence
    );
}

/// The quiet touch (K1) is due on the first day a rule was broken: not before the
/// customer turned quiet, and never later than the plain touch (C1) would be.
#[test]
fn a_quiet_touch_is_not_overdue_from_before_the_customer_turned_quiet() {
    let quiet_due = |emailed: DateTime<Utc>| {
        let mut b = settled_book();
        // Monthly calls until 11 September: quiet after 46 days, so from 28 October.
        b.interactions.clear();
        for (i, m) in [6, 7, 8, 9].into_iter().enumerate() {
            b.interactions.push(customer_call(
                &format!("i-0{i}"),
                "a-1",
                at(2026, m, 11, 15, 0),
            ));
        }
        b.interactions.push(touch(
            "i-2",
            "a-1",
            Some("p-1"),
            emailed,
            Channel::Email,
            Outcome::Delivered,
        ));
        let plan = planner().plan(&b, now()).unwrap();
        let quiet = obligation(&plan, ObligationCode::QuietTouch).expect("K1 applies");
        quiet.due_on
    };
    // Emailed on 10 October: 14 days from it would be 24 October, when the customer
    // was not yet quiet.
    assert_eq!(quiet_due(at(2026, 10, 10, 16, 0)), d(2026, 10, 28));
    // Emailed on 12 September: the plain 28 days (10 October) bind before the quiet.
    assert_eq!(quiet_due(at(2026, 9, 12, 16, 0)), d(2026, 10, 10));
    // Emailed on 10 November, after the customer turned quiet: 14 days.
    assert_eq!(quiet_due(at(2026, 11, 10, 16, 0)), d(2026, 11, 24));
}

#[test]
fn a_person_who_may_not_be_contacted_is_explained_not_dropped() {
    let mut b = settled_book();
    b.people[1].channels.do_not_contact = vec![
        Channel::Phone,
        Channel::Email,
        Channel::Letter,
        Channel::Newsletter,
        Channel::Visit,
    ];
    b.interactions[1].at = at(2026, 7, 1, 16, 0); // the IT person's cadence is overdue
    let plan = planner().plan(&b, now()).unwrap();
    assert!(
        plan.due
            .iter()
            .all(|i| i.person != Some(PersonId::new("p-2")))
    );
    let e = plan
        .explanations
        .iter()
        .find(|e| e.code == ExplanationCode::DoNotContact)
        .expect("suppressed, with a reason");
    assert_eq!(e.person, Some(PersonId::new("p-2")));
    assert_eq!(e.rule, Rule::C3);
    assert_eq!(e.path.as_str(), "people[1]");
    assert!(e.sentence.contains("none of"), "{}", e.sentence);
}

#[test]
fn the_preferred_channel_is_used_and_blocked_ones_never() {
    let mut b = settled_book();
    b.interactions[0].at = at(2026, 9, 29, 16, 0);
    b.interactions[1].at = at(2026, 10, 20, 16, 0);
    b.people[0].channels.preferred = vec![Channel::Sms, Channel::Letter];
    let plan = planner().plan(&b, now()).unwrap();
    assert_eq!(
        find(&plan, ObligationCode::Touch).unwrap().channel,
        Some(Channel::Letter),
        "sms is not a touch channel by default; letter is the next preference"
    );
    b.people[0].channels.preferred = vec![];
    b.people[0].channels.do_not_contact = vec![Channel::Phone];
    let plan = planner().plan(&b, now()).unwrap();
    assert_eq!(
        find(&plan, ObligationCode::Touch).unwrap().channel,
        Some(Channel::Email)
    );
}

#[test]
fn contact_windows_follow_each_persons_time_zone_across_daylight_saving() {
    let mut b = settled_book();
    b.interactions[0].at = at(2026, 9, 29, 16, 0);
    b.interactions[1].at = at(2026, 9, 29, 16, 0);
    b.people[0].time_zone = Some("America/New_York".into());
    // 2 November 2026, the Monday after clocks went back: 08:00 EST is 13:00 UTC.
    let plan = planner().plan(&b, at(2026, 11, 2, 15, 0)).unwrap();
    let item = find(&plan, ObligationCode::Touch).unwrap();
    assert_eq!(item.planned_on, d(2026, 11, 2));
    assert_eq!(item.contact_from, at(2026, 11, 2, 13, 0));
    assert_eq!(item.contact_until, at(2026, 11, 3, 1, 0));
    // The Friday before, still on daylight time: 08:00 EDT is 12:00 UTC.
    let plan = planner().plan(&b, at(2026, 10, 30, 15, 0)).unwrap();
    let item = find(&plan, ObligationCode::Touch).unwrap();
    assert_eq!(item.planned_on, d(2026, 10, 30));
    assert_eq!(item.contact_from, at(2026, 10, 30, 12, 0));
}

#[test]
fn a_quiet_hour_that_the_clocks_skip_starts_at_the_jump() {
    let mut policy = CadencePolicy {
        ..Default::default()
    };
    policy.quiet_hours =
        QuietHours::new(TimeOfDay::hm(22, 0).unwrap(), TimeOfDay::hm(2, 30).unwrap());
    let mut calendar = CalendarSpec::new("America/New_York");
    calendar.weekly = WeeklySchedule::weekdays(&[WorkInterval::new(
        TimeOfDay::hm(8, 0).unwrap(),
        TimeOfDay::hm(17, 0).unwrap(),
    )]);
    calendar.weekly.set(
        chrono::Weekday::Sun,
        vec![WorkInterval::new(
            TimeOfDay::hm(8, 0).unwrap(),
            TimeOfDay::hm(17, 0).unwrap(),
        )],
    );
    let planner = Planner::new(policy, BusinessCalendar::new(calendar).unwrap()).unwrap();
    let mut b = settled_book();
    b.accounts[0].time_zone = Some("America/New_York".into());
    b.interactions[0].at = at(2027, 1, 29, 16, 0);
    b.interactions[1].at = at(2027, 1, 29, 16, 0);
    // Sunday 14 March 2027: 02:30 does not exist in New York; 03:00 EDT is 07:00 UTC.
    let plan = planner.plan(&b, at(2027, 3, 14, 6, 0)).unwrap();
    let item = plan
        .due
        .iter()
        .find(|i| i.planned_on == d(2027, 3, 14))
        .unwrap();
    assert_eq!(item.contact_from, at(2027, 3, 14, 7, 0));
}

#[test]
fn a_person_touched_twice_this_week_waits_for_the_weekly_cap() {
    let mut b = settled_book();
    b.interactions[0].at = at(2026, 9, 29, 16, 0); // a visit two months ago
    b.interactions[1].at = at(2026, 10, 1, 16, 0); // the IT person's email
    // Two texts to the owner on Monday and Tuesday: touches that count against the
    // weekly cap, but not toward C1 (texts are not a C1 channel in this policy).
    for (i, day) in [(3, 23), (4, 24)] {
        b.interactions.push(touch(
            &format!("i-{i}"),
            "a-1",
            Some("p-1"),
            at(2026, 11, day, 16, 0),
            Channel::Sms,
            Outcome::Delivered,
        ));
    }
    let mut policy = CadencePolicy::default();
    policy.touch.channels = vec![Channel::Phone, Channel::Email, Channel::Visit];
    let plan = planner_with(policy).plan(&b, now()).unwrap();
    let item = find(&plan, ObligationCode::Touch).unwrap();
    assert_eq!(item.person, Some(PersonId::new("p-1")));
    assert_eq!(item.due_on, d(2026, 10, 29));
    // At most 2 touches in any 7 days: the text of the 23rd (47 hours before now) leaves
    // the week on day 6, Tuesday 1 December.
    assert_eq!(item.planned_on, d(2026, 12, 1));
    assert_eq!(item.days_overdue, 27);
}

#[test]
fn a_complaint_after_a_busy_week_still_gets_the_managers_call_today() {
    let mut b = settled_book();
    // The owner was visited Monday and emailed Tuesday: the weekly cap of 2 is used up.
    b.interactions[0].at = at(2026, 11, 23, 16, 0);
    b.interactions.push(touch(
        "i-3",
        "a-1",
        Some("p-1"),
        at(2026, 11, 24, 16, 0),
        Channel::Email,
        Outcome::Delivered,
    ));
    // This morning the owner answered the survey unhappy (C7: a manager calls at once).
    let mut survey = unhappy("s-1", "a-1", at(2026, 11, 25, 14, 0));
    survey.person = Some(PersonId::new("p-1"));
    b.surveys.push(survey);
    let plan = planner().plan(&b, now()).unwrap();
    let call = find(&plan, ObligationCode::RecoveryCall).unwrap();
    assert_eq!(call.person, Some(PersonId::new("p-1")));
    assert_eq!(call.planned_on, d(2026, 11, 25), "{:#?}", plan.explanations);
}

#[test]
fn a_rep_back_from_leave_gets_a_levelled_list_earliest_deadline_first() {
    let mut policy = CadencePolicy::default();
    policy.caps.daily_capacity_per_rep = 2;
    let mut b = PlanInput::default();
    // Five accounts, each overdue by a different number of days; nothing else due.
    for (i, last) in [(1, 10), (2, 14), (3, 12), (4, 18), (5, 16)] {
        let id = format!("a-{i}");
        b.accounts.push(account(&id, d(2024, 1, 20)));
        b.reviews
            .push(RecordReview::new(id.as_str(), d(2026, 11, 20)));
        b.interactions.push(touch(
            &format!("i-{i}"),
            &id,
            None,
            at(2026, 10, last, 16, 0),
            Channel::Visit,
            Outcome::Connected,
        ));
    }
    let plan = planner_with(policy).plan(&b, now()).unwrap();
    let order: Vec<(&str, NaiveDate)> = plan
        .due
        .iter()
        .map(|i| (i.account.as_str(), i.planned_on))
        .collect();
    assert_eq!(
        order,
        [
            ("a-1", d(2026, 11, 25)),
            ("a-3", d(2026, 11, 25)),
            // Thanksgiving is closed.
            ("a-2", d(2026, 11, 27)),
            ("a-5", d(2026, 11, 27)),
            ("a-4", d(2026, 11, 30)),
        ]
    );
}

#[test]
fn more_work_than_the_horizon_holds_is_deferred_with_a_reason() {
    let mut policy = CadencePolicy::default();
    policy.caps.daily_capacity_per_rep = 1;
    policy.horizon = retention::model::Span::Days(1);
    let mut b = PlanInput::default();
    for i in 1..=3 {
        let id = format!("a-{i}");
        b.accounts.push(account(&id, d(2024, 1, 10)));
        b.reviews
            .push(RecordReview::new(id.as_str(), d(2026, 11, 12)));
        b.interactions.push(touch(
            &format!("i-{i}"),
            &id,
            None,
            at(2026, 10, 10 + i, 16, 0),
            Channel::Visit,
            Outcome::Connected,
        ));
    }
    let plan = planner_with(policy).plan(&b, now()).unwrap();
    assert_eq!(plan.due.len(), 1, "one a day, and Thanksgiving is closed");
    let deferred: Vec<_> = plan
        .explanations
        .iter()
        .filter(|e| e.code == ExplanationCode::Deferred)
        .collect();
    assert_eq!(deferred.len(), 2, "one note per account");
    for e in &deferred {
        assert!(e.sentence.contains("stays owed"), "{}", e.sentence);
        let summary = e.deferred.as_ref().unwrap();
        assert_eq!((summary.items, summary.obligations), (1, 1));
        // A record review is an internal task: no person, counted as such.
        assert_eq!(summary.without_person, 1);
        assert!(summary.people.is_empty());
        assert_eq!(summary.first_keys.len(), 1);
        assert!(
            summary.first_keys[0].contains(&format!(":{}:-:", e.account)),
            "{:?}",
            summary.first_keys
        );
    }
}

#[test]
fn many_touches_with_no_room_are_one_note_per_account_rule_and_limit_naming_everyone() {
    // One account, 40 key contacts never touched: each owes a key-person touch (C3),
    // and a rep can make two a day over a two-day horizon.
    let mut policy = CadencePolicy::default();
    policy.caps.daily_capacity_per_rep = 2;
    policy.caps.per_account_per_week = 100;
    policy.horizon = retention::model::Span::Days(2);
    let mut b = PlanInput {
        history_since: Some(d(2024, 1, 10)),
        ..Default::default()
    };
    b.accounts.push(account("a-1", d(2024, 1, 10)));
    for i in 0..40 {
        b.people
            .push(person(&format!("p-{i:02}"), "a-1", Role::Other, true));
    }
    let plan = planner_with(policy).plan(&b, now()).unwrap();
    let notes: Vec<_> = plan
        .explanations
        .iter()
        .filter(|e| e.code == ExplanationCode::Deferred)
        .collect();
    let c3: Vec<_> = notes.iter().filter(|e| e.rule == Rule::C3).collect();
    assert_eq!(c3.len(), 1, "{notes:#?}");
    let note = c3[0];
    let summary = note.deferred.as_ref().unwrap();
    let planned_c3: Vec<&DueItem> = plan
        .due
        .iter()
        .filter(|i| i.rules.contains(&Rule::C3))
        .collect();
    // Every key contact is either planned or named in the note, never both.
    assert_eq!(summary.people.len() + planned_c3.len(), 40);
    for item in &planned_c3 {
        assert!(!summary.people.contains(item.person.as_ref().unwrap()));
    }
    assert_eq!(summary.items as usize, summary.people.len());
    assert_eq!(summary.overdue, summary.items);
    assert_eq!(
        summary.first_keys.len(),
        retention::cadence::DEFERRED_KEYS_SHOWN
    );
    assert_eq!(
        note.key,
        format!("C3:a-1:-:deferred-{}", summary.limit.as_str())
    );
    assert_eq!(note.path.as_str(), "accounts[0]");
    assert!(note.person.is_none());
    // One reason, short: the keys it names are in its arguments (as in `deferred`).
    assert!(
        note.sentence
            .contains(&format!("{} items of", summary.items))
            && note.sentence.contains("they stay owed")
            && note.sentence.len() < 200,
        "{}",
        note.sentence
    );
    let keys: Vec<_> = summary
        .first_keys
        .iter()
        .map(retention::text::Arg::id)
        .collect();
    assert_eq!(
        note.args.get("first_keys"),
        Some(&retention::text::Arg::List(keys))
    );
    assert_eq!(
        note.args.get("items"),
        Some(&retention::text::Arg::count(summary.items))
    );
}

#[test]
fn an_account_with_one_key_role_is_told_to_know_more_people() {
    let mut b = settled_book();
    b.people[1].key_contact = false;
    let plan = planner().plan(&b, now()).unwrap();
    let e = plan
        .explanations
        .iter()
        .find(|e| e.code == ExplanationCode::TooFewKeyPeople)
        .unwrap();
    assert_eq!(e.rule, Rule::C3);
    assert!(
        e.sentence.contains("1 key role on file (owner)"),
        "{}",
        e.sentence
    );
}

#[test]
fn a_key_role_untouched_this_quarter_is_due_today() {
    let mut b = settled_book();
    // The IT person was last touched four months ago; only the owner's role counts.
    b.interactions[1].at = at(2026, 7, 20, 16, 0);
    let plan = planner().plan(&b, now()).unwrap();
    let item = plan
        .due
        .iter()
        .find(|i| i.person == Some(PersonId::new("p-2")))
        .unwrap();
    let kinds: Vec<_> = item.obligations.iter().map(|o| o.code).collect();
    assert!(kinds.contains(&ObligationCode::KeyRoleMissing), "{kinds:?}");
    assert!(kinds.contains(&ObligationCode::KeyPerson), "{kinds:?}");
    assert_eq!(item.key, "C3+C3r:a-1:p-2:2026-10-20");
}

#[test]
fn a_maintenance_reminder_rides_along_with_the_next_touch() {
    let mut b = settled_book();
    b.units.push(InstalledUnit::new(
        "u-1",
        "a-1",
        "boiler",
        d(2025, 12, 5),
        ServiceInterval::Months(12),
    ));
    let plan = planner().plan(&b, now()).unwrap();
    let reminder = obligation(&plan, ObligationCode::MaintenanceReminder).unwrap();
    assert_eq!(reminder.due_on, d(2026, 12, 5));
    assert_eq!(reminder.window_from, d(2026, 11, 21));
    assert_eq!(reminder.key, "C5u:a-1:p-1:u-1:2026-12-05");
    assert!(
        reminder.sentence.contains("boiler"),
        "{}",
        reminder.sentence
    );
    // Any touch of the account inside the window carries the reminder.
    let mut b2 = b.clone();
    b2.interactions.push(touch(
        "i-7",
        "a-1",
        Some("p-1"),
        at(2026, 11, 24, 15, 0),
        Channel::Phone,
        Outcome::Connected,
    ));
    assert!(
        find(
            &planner().plan(&b2, now()).unwrap(),
            ObligationCode::MaintenanceReminder
        )
        .is_none()
    );
}

#[test]
fn explanations_say_what_is_not_due_when_asked() {
    let policy = CadencePolicy {
        explain_not_due: true,
        ..Default::default()
    };
    let plan = planner_with(policy).plan(&settled_book(), now()).unwrap();
    assert!(plan.due.is_empty());
    let codes: Vec<_> = plan.explanations.iter().map(|e| e.code.code()).collect();
    assert!(codes.contains(&"cadence.not_due"), "{codes:?}");
    assert!(
        plan.explanations
            .iter()
            .any(|e| e.key.starts_with("C2:a-1:") && e.sentence.contains("due by"))
    );
}

#[test]
fn interactions_after_now_have_not_happened_yet() {
    let mut b = settled_book();
    b.interactions[0].at = at(2026, 9, 29, 16, 0);
    b.interactions[1].at = at(2026, 10, 20, 16, 0);
    let before = planner().plan(&b, now()).unwrap();
    b.interactions.push(touch(
        "i-9",
        "a-1",
        Some("p-1"),
        now() + TimeDelta::hours(2),
        Channel::Visit,
        Outcome::Connected,
    ));
    assert_eq!(planner().plan(&b, now()).unwrap(), before);
}
