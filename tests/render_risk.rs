//! The risk engine's verdicts rendered from their arguments (issue 15): every signal and
//! next action of a corpus that shows every code (and each form of a code's sentence) is
//! its arguments' English, carries no fact they lack, and has a telegraph.

use std::collections::BTreeSet;

use retention::model::{
    Channel, Currency, Direction, Interaction, Money, Outcome, Party, SurveyResponse,
};
use retention::risk::models::{PurchaseModel, PurchaseParams, PurchaseSummary, TimeUnit, Variant};
use retention::risk::{
    AccountFacts, ActionCode, CadenceFacts, OrderFacts, PromiseFacts, RiskPolicy, RiskReport,
    ScoreInput, Scorer, SignalCode, ValueCode,
};
use rust_decimal::Decimal;

use crate::render::{check, table_covers};
use crate::risk_scenarios::{customer_call, day, survey, unanswered_call};

/// A terse second form of every risk code, from its arguments alone.
const TABLE: &[(&str, &str)] = &[
    (
        "risk.silence",
        "silent {days_silent}d, gap {usual_gap_days}d (own {own_rhythm}, {contacts} contacts, since {known_since?})",
    ),
    (
        "risk.falling_frequency",
        "{recent_contacts}/{recent_window} vs {expected_contacts} expected ({baseline_contacts}/{baseline_window}): -{drop_percent}%",
    ),
    (
        "risk.unhappy_survey",
        "{unhappy_answers} unhappy/{lookback}; latest {survey} {latest_score} of {scale_min}..{scale_max} on {latest_on}; talked {conversation_on?}",
    ),
    (
        "risk.unanswered_follow_up",
        "{attempts} unanswered (at least {at_least})/{lookback}; last contact {last_contact_on?}",
    ),
    (
        "risk.neglect",
        "{overdue_obligations} overdue, worst {worst_days_overdue}d",
    ),
    ("risk.broken_promises", "{broken}/{promises} broken"),
    ("risk.slow_callbacks", "{slow_callbacks} slow callbacks"),
    (
        "risk.hanging_orders",
        "{hanging} hanging + {partially_complete} partial",
    ),
    ("risk.single_threaded", "{contacts} contacts, all {person?}"),
    ("risk.no_next_service", "no next service"),
    (
        "risk.low_p_alive",
        "P(alive) {p_alive} ({model} in {unit}): {repeat_purchases} repeats, last {since_last_purchase} ago, age {customer_for}",
    ),
    ("risk.action.manager_call", "manager call"),
    ("risk.action.call_until_reached", "call until reached"),
    ("risk.action.visit", "visit: {expected_value} {currency}"),
    ("risk.action.call", "call"),
    (
        "risk.action.catch_up_on_contact",
        "catch up {overdue_obligations}",
    ),
    ("risk.action.make_good_on_promises", "make good on promises"),
    ("risk.action.finish_open_orders", "finish open orders"),
    ("risk.action.meet_more_people", "meet more people"),
    ("risk.action.plan_next_service", "plan next service"),
    (
        "risk.value.referrals",
        "+{referral_share_percent}% of {referred_value} {currency} from {referrals} referred",
    ),
];

fn all_codes() -> Vec<&'static str> {
    SignalCode::ALL
        .iter()
        .map(|c| c.code())
        .chain(ActionCode::ALL.iter().map(|c| c.code()))
        .chain(ValueCode::ALL.iter().map(|c| c.code()))
        .collect()
}

#[test]
fn every_risk_code_has_a_telegraph() {
    table_covers(&all_codes(), TABLE).unwrap();
}

/// Calls from two people every `every` days, `n` of them, from day 0.
fn calls(account: &str, n: i64, every: i64) -> Vec<Interaction> {
    (0..n)
        .map(|k| {
            let who = if k % 2 == 0 { "p-1" } else { "p-2" };
            customer_call(&format!("{account}-c{k}"), account, every * k, who)
        })
        .collect()
}

/// We call the customer and nobody answers.
fn unanswered(account: &str, d: i64) -> Interaction {
    unanswered_call(&format!("{account}-f{d}"), account, d)
}

fn corpus() -> Vec<RiskReport> {
    let scorer = Scorer::new(RiskPolicy::default()).unwrap();
    let mut reports = Vec::new();
    let mut run = |scorer: &Scorer,
                   accounts: &[AccountFacts],
                   ix: &[Interaction],
                   sv: &[SurveyResponse],
                   now: i64| {
        let mut ix = ix.to_vec();
        ix.sort_by(|a, b| a.account.cmp(&b.account));
        reports.push(
            scorer
                .score(ScoreInput::new(accounts, &ix, sv), day(now))
                .unwrap(),
        );
    };

    // Silence against the customer's own rhythm, of a valuable customer (a visit) who
    // referred others.
    let mut valuable = AccountFacts::new("a-quiet");
    valuable.expected_value = Some(Money::new(Decimal::new(1_200_050, 2), Currency::USD));
    valuable.referrals = 3;
    valuable.referred_value = Some(Money::new(Decimal::new(920_000, 2), Currency::USD));
    run(&scorer, &[valuable], &calls("a-quiet", 6, 30), &[], 244);
    // Too few contacts for a rhythm (a call); never in contact since `known_since`.
    let mut never = AccountFacts::new("a-never");
    never.known_since = Some(day(-400).date_naive());
    run(
        &scorer,
        &[AccountFacts::new("a-few"), never],
        &[customer_call("one", "a-few", -200, "p-1")],
        &[],
        0,
    );
    // Falling frequency: weekly for a year, then one call in 90 days.
    let mut weekly = calls("a-fall", 52, 7);
    weekly.push(customer_call("late", "a-fall", 364 + 80, "p-1"));
    run(&scorer, &[AccountFacts::new("a-fall")], &weekly, &[], 454);
    // Unhappy answers: one nobody answered, one a manager followed up.
    let mut ix = calls("a-sad", 6, 30);
    ix.extend(calls("a-heard", 6, 30));
    ix.push(Interaction::new(
        "mgr",
        "a-heard",
        day(152),
        Channel::Phone,
        Direction::Outbound,
        Party::Staff {
            user: "u-boss".into(),
        },
        Outcome::Connected,
    ));
    run(
        &scorer,
        &[AccountFacts::new("a-sad"), AccountFacts::new("a-heard")],
        &ix,
        &[
            survey("s-1", "a-sad", 150, 3),
            survey("s-2", "a-heard", 148, 2),
        ],
        155,
    );
    // Unanswered follow-ups: two after the last contact; more than are tracked, of a
    // customer never in contact.
    let mut ix = calls("a-tag", 6, 30);
    ix.push(unanswered("a-tag", 160));
    ix.push(unanswered("a-tag", 165));
    ix.extend((0..10).map(|k| unanswered("a-ghost", 120 + 4 * k)));
    run(
        &scorer,
        &[AccountFacts::new("a-tag"), AccountFacts::new("a-ghost")],
        &ix,
        &[],
        170,
    );
    // Our neglect, promises, orders, no next service; one person only.
    let mut facts = AccountFacts::new("a-facts");
    facts.cadence = Some(CadenceFacts::new(2, 41));
    facts.promises = Some(PromiseFacts::new(7, 2, 1));
    facts.orders = Some(OrderFacts::new(1, 2));
    facts.next_service_planned = Some(false);
    let one: Vec<_> = (0..6)
        .map(|k| customer_call(&format!("o{k}"), "a-one", 20 * k, "p-owner"))
        .collect();
    run(
        &scorer,
        &[facts, AccountFacts::new("a-one")],
        &one,
        &[],
        110,
    );
    // P(alive) by either purchase model.
    for variant in [Variant::ModifiedBgNbd, Variant::BgNbd] {
        let pm =
            PurchaseModel::new(variant, PurchaseParams::new(0.525, 6.183, 0.891, 1.614)).unwrap();
        let scorer = Scorer::new(RiskPolicy::default())
            .unwrap()
            .with_purchase_model(pm, TimeUnit::Weeks)
            .unwrap();
        let mut gone = AccountFacts::new("a-gone");
        gone.purchases = Some(PurchaseSummary::new(8, 5.0, 38.0));
        run(&scorer, &[gone], &[], &[], 0);
    }
    reports
}

#[test]
fn every_risk_verdict_is_its_arguments_english() {
    let mut seen = BTreeSet::new();
    let mut forms = BTreeSet::new();
    for report in corpus() {
        for account in &report.accounts {
            for s in &account.signals {
                check(s.code.code(), &s.args, &s.sentence, TABLE).unwrap();
                assert!(s.sentence.len() <= 160, "{}", s.sentence);
                seen.insert(s.code.code());
                // The wording's forms: each of these, seen at least once.
                for (form, needle) in [
                    ("silence.own", "; usually every "),
                    ("silence.few", "too few for a rhythm"),
                    ("silence.began", "since the relationship began on "),
                    (
                        "survey.unanswered",
                        "no conversation with the customer since",
                    ),
                    ("survey.heard", "a conversation since on "),
                    ("follow_up.contact", "was last in contact on "),
                    ("follow_up.at_least", "at least 8 follow-up attempts"),
                    ("follow_up.never", "has never been in contact"),
                    ("p_alive.modified", "by the modified BG/NBD model"),
                    ("p_alive.plain", "by the BG/NBD model"),
                ] {
                    if s.sentence.contains(needle) {
                        forms.insert((form, needle));
                    }
                }
            }
            if let Some(reason) = &account.value_reason {
                let args = account.value_reason_args.as_ref().unwrap();
                check(ValueCode::Referrals.code(), args, reason, TABLE).unwrap();
                assert_eq!(
                    reason,
                    "referred 3 customers worth 9200.00 USD a year, 50 % of which counts"
                );
                seen.insert(ValueCode::Referrals.code());
            }
            for a in &account.actions {
                check(a.code.code(), &a.args, &a.sentence, TABLE).unwrap();
                assert!(a.sentence.len() <= 160, "{}", a.sentence);
                seen.insert(a.code.code());
                if a.code == ActionCode::Visit {
                    assert!(a.sentence.contains("12000.50 USD"), "{}", a.sentence);
                }
            }
        }
    }
    let missing: Vec<_> = all_codes()
        .into_iter()
        .filter(|c| !seen.contains(c))
        .collect();
    assert!(missing.is_empty(), "the corpus shows no {missing:?}");
    assert_eq!(forms.len(), 10, "{forms:?}");
}

#[test]
fn a_signals_arguments_are_typed_facts_in_json() {
    let scorer = Scorer::new(RiskPolicy::default()).unwrap();
    let ix = calls("a-1", 6, 30);
    let report = scorer
        .score(
            ScoreInput::new(&[AccountFacts::new("a-1")], &ix, &[]),
            day(244),
        )
        .unwrap();
    let s = &report.accounts[0].signals[0];
    assert_eq!(s.sentence, "no contact for 94 days; usually every 30 days");
    let json = serde_json::to_value(s).unwrap();
    assert_eq!(
        json["args"],
        serde_json::json!({
            "days_silent": {"count": 94},
            "usual_gap_days": {"number": 30.0},
            "own_rhythm": {"flag": true},
            "contacts": {"count": 6},
        })
    );
    // Without its arguments (an older report), a signal still reads back.
    let mut bare = json.clone();
    bare.as_object_mut().unwrap().remove("args");
    let back: retention::risk::Signal = serde_json::from_value(bare).unwrap();
    assert!(back.args.is_empty());
}
