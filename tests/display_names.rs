//! Every public enum a host prints has a `Display`, and it says what the JSON says: the
//! snake_case name (or, for a tagged enum, its `kind`), so `format!("{status}")` and the
//! agenda's JSON never disagree.

use retention::cadence::{Limit, Priority};
use retention::model::{LeapDayRule, Outcome, Party, UserId};
use retention::orders::{AfterCare, ItemState, Satisfaction};
use retention::promises::{
    Clock, Delivery, MadeBy, MoreIs, PromiseKind, Source, Status, TargetRule,
};
use retention::risk::models::{TimeUnit, Variant};
use serde::Serialize;

/// The JSON of `v` as a plain string, or the `kind` of a tagged object.
fn json_name<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v).expect("serializes") {
        serde_json::Value::String(s) => s,
        serde_json::Value::Object(o) => o["kind"].as_str().expect("tagged").to_owned(),
        other => panic!("not a name: {other}"),
    }
}

fn same<T: Serialize + std::fmt::Display>(values: &[T]) {
    for v in values {
        assert_eq!(v.to_string(), json_name(v));
    }
}

#[test]
fn unit_enums_display_their_json_names() {
    same(&[
        Status::OnTrack,
        Status::DueSoon,
        Status::Overdue,
        Status::KeptEarly,
        Status::KeptOnTime,
        Status::LateWithinGrace,
        Status::Broken,
        Status::Renegotiated,
        Status::Cancelled,
    ]);
    same(&[Clock::Business, Clock::Calendar]);
    same(&[Delivery::Under, Delivery::AsPromised, Delivery::Over]);
    same(&[MoreIs::Better, MoreIs::Worse]);
    same(&[
        Outcome::Connected,
        Outcome::LeftMessage,
        Outcome::NoAnswer,
        Outcome::Bounced,
        Outcome::Delivered,
    ]);
    same(&[LeapDayRule::February28, LeapDayRule::March1]);
    same(&[Satisfaction::Done, Satisfaction::Waived]);
    same(&[
        Priority::Low,
        Priority::Normal,
        Priority::High,
        Priority::Urgent,
    ]);
    same(&[TimeUnit::Days, TimeUnit::Weeks]);
    same(&[Variant::BgNbd, Variant::ModifiedBgNbd]);
    same(&[
        PromiseKind::Callback,
        PromiseKind::ArrivalWindow,
        PromiseKind::QuoteBy,
        PromiseKind::CompletionBy,
        PromiseKind::FollowUp,
    ]);
    same(&[
        Limit::BusinessCalendar,
        Limit::DailyCapacity,
        Limit::WeeklyCapPerPerson,
        Limit::MinGap,
        Limit::WeeklyCapPerAccount,
    ]);
    same(&[
        AfterCare::Thanks,
        AfterCare::Referral,
        AfterCare::Feedback,
        AfterCare::NextService,
    ]);
    same(&[
        TargetRule::KeepElapsed,
        TargetRule::Restart,
        TargetRule::RecomputeFromStart,
    ]);
}

#[test]
fn tagged_enums_display_their_kind_and_what_names_them() {
    let ana = UserId::new("u-ana");
    same(&[Party::Customer, Party::Automated]);
    assert_eq!(
        Party::Staff { user: ana.clone() }.to_string(),
        "staff u-ana"
    );
    assert_eq!(json_name(&Party::Staff { user: ana.clone() }), "staff");
    assert_eq!(MadeBy::Business.to_string(), "business");
    assert_eq!(
        MadeBy::Staff { user: ana.clone() }.to_string(),
        "staff u-ana"
    );
    assert_eq!(MadeBy::Staff { user: ana.clone() }.as_str(), "staff");
    let custom = PromiseKind::Custom {
        label: "warranty visit".into(),
    };
    assert_eq!(
        (custom.to_string(), custom.as_str()),
        ("warranty visit".to_owned(), "custom")
    );
    let waived = ItemState::Waived {
        by: ana,
        reason: "no access".into(),
    };
    same(std::slice::from_ref(&waived));
    assert_eq!(Source::Promise { index: 3 }.to_string(), "promises[3]");
}
