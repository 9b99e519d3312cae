//! The cadence intervals of C2-C9 take any span (issue 15): calendar months as before,
//! and business days, weeks or days with their own meaning, counted on dates by
//! `BusinessCalendar::add_span`.

use retention::cadence::{CadencePolicy, CompletedOrder, ObligationCode, PlanInput, RecordReview};
use retention::model::{PersonId, Span};

use crate::cadence_scenarios::{
    account, at, d, find, now, obligation, planner, planner_with, settled_book,
};

#[test]
fn a_review_every_two_weeks_falls_every_fourteenth_day_from_the_anchor() {
    // Customer since Monday 5 January 2026: reviews on 19 January, 2 February, ...,
    // every 14 days; 23 November is the 23rd. Reviewed on 20 November (after the
    // 9 November date, before the 23rd): that is the 23rd's review, the next is due
    // 7 December.
    let mut policy = CadencePolicy::default();
    policy.review.every = Span::Weeks(2);
    policy.horizon = Span::Days(30);
    let mut b = PlanInput::new(vec![account("a-1", d(2026, 1, 5))]);
    b.reviews.push(RecordReview::new("a-1", d(2026, 11, 20)));
    let plan = planner_with(policy.clone()).plan(&b, now()).unwrap();
    let review = find(&plan, ObligationCode::RecordReview).unwrap();
    assert_eq!(review.due_on, d(2026, 12, 7));
    // The sentence states the span as the policy does.
    let o = obligation(&plan, ObligationCode::RecordReview).unwrap();
    assert!(o.sentence.contains("every 2 weeks"), "{}", o.sentence);
    // Never reviewed, with no records at all, the history starts today: the first date
    // after it, 7 December (23 November is before today), as for monthly reviews.
    let b = PlanInput::new(vec![account("a-1", d(2026, 1, 5))]);
    let plan = planner_with(policy.clone()).plan(&b, now()).unwrap();
    let review = find(&plan, ObligationCode::RecordReview).unwrap();
    assert_eq!(review.due_on, d(2026, 12, 7));
    // Every three business days from the anchor, on the calendar (Thanksgiving closed).
    let mut bd = policy;
    bd.review.every = Span::BusinessDays(3);
    let mut b = PlanInput::new(vec![account("a-1", d(2026, 11, 2))]);
    // The dates from Monday 2 November: the 5th, 10th, 13th, 18th, 23rd, 27th (the 26th
    // is Thanksgiving), 2 December. Reviewed on the 24th: that is the 27th's review, the
    // next is due 2 December.
    b.reviews.push(RecordReview::new("a-1", d(2026, 11, 24)));
    let plan = planner_with(bd).plan(&b, now()).unwrap();
    let review = find(&plan, ObligationCode::RecordReview).unwrap();
    assert_eq!(review.due_on, d(2026, 12, 2));
}

#[test]
fn monthly_reviews_counted_as_spans_are_the_ones_the_planner_always_gave() {
    // The default, {"months": 1}, over many anchors and review dates: the due date is
    // the month after the review's period, the anchor day clamped (as the scenario
    // tests pin for 31 January and 4 March).
    let policy = CadencePolicy {
        horizon: Span::Days(60),
        ..Default::default()
    };
    for (since, reviewed, due) in [
        (d(2026, 1, 31), d(2026, 10, 31), d(2026, 11, 30)),
        (d(2019, 3, 4), d(2026, 11, 2), d(2026, 12, 4)),
        (d(2020, 2, 29), d(2026, 11, 29), d(2026, 12, 29)),
        (d(2026, 8, 31), d(2026, 11, 30), d(2026, 12, 31)),
    ] {
        let mut b = PlanInput::new(vec![account("a-1", since)]);
        b.reviews.push(RecordReview::new("a-1", reviewed));
        let plan = planner_with(policy.clone()).plan(&b, now()).unwrap();
        let review = find(&plan, ObligationCode::RecordReview).unwrap();
        assert_eq!(review.due_on, due, "since {since}, reviewed {reviewed}");
    }
}

#[test]
fn a_follow_up_within_calendar_days_counts_the_holiday() {
    let mut b = settled_book();
    let mut order = CompletedOrder::new("o-1", "a-1", at(2026, 11, 25, 14, 0));
    order.person = Some(PersonId::new("p-2"));
    order.next_service_planned_on = Some(d(2027, 5, 25));
    b.orders.push(order);
    // Two business days after Wednesday skip Thanksgiving and the weekend: Monday.
    let plan = planner().plan(&b, at(2026, 11, 25, 20, 0)).unwrap();
    assert_eq!(
        find(&plan, ObligationCode::FollowUpCall).unwrap().due_on,
        d(2026, 11, 30)
    );
    // Two calendar days: Friday, Thanksgiving or not.
    let mut policy = CadencePolicy::default();
    policy.follow_up.within = Span::Days(2);
    let plan = planner_with(policy)
        .plan(&b, at(2026, 11, 25, 20, 0))
        .unwrap();
    let call = find(&plan, ObligationCode::FollowUpCall).unwrap();
    assert_eq!(call.due_on, d(2026, 11, 27));
    let o = obligation(&plan, ObligationCode::FollowUpCall).unwrap();
    assert!(o.sentence.contains("within 2 days"), "{}", o.sentence);
}

#[test]
fn a_span_counted_in_days_refuses_months_and_a_date_interval_refuses_partial_days() {
    let mut p = CadencePolicy {
        plan_ahead: Span::BusinessDays(2),
        ..Default::default()
    };
    p.face_to_face.then_every = Span::Hours(36);
    p.key_people.each_every = Span::Weeks(0);
    let e = retention::cadence::Planner::new(p, crate::cadence_scenarios::calendar()).unwrap_err();
    let got: Vec<(&str, String)> = e
        .problems()
        .iter()
        .map(|p| (p.code(), p.path().to_string()))
        .collect();
    assert_eq!(
        got,
        [
            ("model.span_not_fixed", "plan_ahead".to_string()),
            (
                "cadence.partial_days",
                "face_to_face.then_every".to_string()
            ),
            ("cadence.zero_interval", "key_people.each_every".to_string()),
        ]
    );
}

#[test]
fn a_monthly_visit_after_the_monthly_months_names_no_end_date() {
    // Monthly for no months, then every month: the visit is due every month, with no
    // "until" (a date that would lie years before the customer's visit).
    let mut policy = CadencePolicy::default();
    policy.face_to_face.monthly_for = Span::Months(0);
    policy.face_to_face.then_every = Span::Months(1);
    let mut customer = account("a-1", d(2019, 4, 22));
    customer.history_since = Some(d(2026, 6, 1));
    let b = PlanInput::new(vec![customer]);
    let plan = planner_with(policy).plan(&b, now()).unwrap();
    let o = obligation(&plan, ObligationCode::FaceToFace).unwrap();
    assert!(
        o.sentence.contains("a visit is due every month, so by"),
        "{}",
        o.sentence
    );
    assert!(!o.sentence.contains("until"), "{}", o.sentence);
    // A new customer within their monthly months: every month until the months end.
    let mut new_customer = account("a-1", d(2026, 10, 1));
    new_customer.history_since = Some(d(2026, 10, 1));
    let b = PlanInput::new(vec![new_customer]);
    let plan = planner_with(CadencePolicy::default())
        .plan(&b, now())
        .unwrap();
    let o = obligation(&plan, ObligationCode::FaceToFace).unwrap();
    assert!(
        o.sentence
            .contains("a visit is due every month until 2027-04-01"),
        "{}",
        o.sentence
    );
}
