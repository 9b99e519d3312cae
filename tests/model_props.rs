//! Invariants of the shared model: no panics on any value, dates that never drift, JSON
//! that round-trips.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use retention::model::{
    Birthday, Channel, ChannelPreferences, Currency, Direction, Interaction, LeapDayRule,
    MessageValue, Money, Outcome, Party, ServiceInterval,
};
use rust_decimal::Decimal;

fn config() -> ProptestConfig {
    crate::props::config(512)
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        // Ordinary dates.
        (1900i32..2100, 1u32..=366).prop_map(|(y, o)| NaiveDate::from_yo_opt(y, o)
            .unwrap_or_else(|| NaiveDate::from_yo_opt(y, 365).unwrap())),
        // Anywhere chrono can represent, the limits included.
        (NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce())
            .prop_map(|d| NaiveDate::from_num_days_from_ce_opt(d).unwrap()),
        Just(NaiveDate::MAX),
        Just(NaiveDate::MIN),
    ]
}

fn any_channel() -> impl Strategy<Value = Channel> {
    proptest::sample::select(Channel::ALL.to_vec())
}

fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    (0i64..4_102_444_800).prop_map(|s| Utc.timestamp_opt(s, 0).unwrap())
}

fn any_interaction() -> impl Strategy<Value = Interaction> {
    (
        instant(),
        any_channel(),
        any::<bool>(),
        0u8..3,
        0usize..5,
        proptest::option::of((0u8..5, instant(), "[a-z/:.]{0,12}")),
    )
        .prop_map(|(at, channel, inbound, who, outcome, value)| {
            let initiated_by = match who {
                0 => Party::Customer,
                1 => Party::Staff { user: "u-1".into() },
                _ => Party::Automated,
            };
            let outcome = [
                Outcome::Connected,
                Outcome::LeftMessage,
                Outcome::NoAnswer,
                Outcome::Bounced,
                Outcome::Delivered,
            ][outcome];
            let direction = if inbound {
                Direction::Inbound
            } else {
                Direction::Outbound
            };
            let mut i = Interaction::new("i", "a", at, channel, direction, initiated_by, outcome);
            i.message_value = value.map(|(k, t, r)| match k {
                0 => MessageValue::None,
                1 => MessageValue::AnsweredQuestion,
                2 => MessageValue::GaveSpecificTime { available_at: t },
                3 => MessageValue::PromisedCallAt { call_at: t },
                _ => MessageValue::PointedToResource { resource: r },
            });
            i
        })
}

proptest! {
    #![proptest_config(config())]

    /// A valid birthday's next occurrence is on or after the date and within a year and
    /// a day (a leap-day birthday by either rule); an invalid one never panics.
    #[test]
    fn the_next_birthday_is_within_a_year(
        month in 0u32..14, day in 0u32..33, from in any_date(), march in any::<bool>(),
    ) {
        let b = Birthday { month, day, year: None };
        let rule = if march { LeapDayRule::March1 } else { LeapDayRule::February28 };
        let next = b.next_on_or_after_with(from, rule);
        if b.validate().is_ok() && from.year() < 262_000 {
            let next = next.expect("a valid birthday recurs");
            prop_assert!(next >= from);
            prop_assert!((next - from).num_days() <= 366);
            if next.month() == month && next.day() == day {
                // The birthday itself.
            } else {
                prop_assert!(b.is_leap_day());
            }
        }
    }

    /// Service dates counted from the anchor never drift and never go backwards:
    /// the k-th due date is the anchor plus k intervals, and later k is never earlier.
    #[test]
    fn service_dates_are_monotone_and_anchored(
        anchor in any_date(), months in any::<bool>(), n in 0u32..400, k in 0u32..50,
    ) {
        let every = if months { ServiceInterval::Months(n) } else { ServiceInterval::Days(n) };
        let a = every.after(anchor, k);
        let b = every.after(anchor, k + 1);
        if let (Some(a), Some(b)) = (a, b) {
            prop_assert!(a <= b);
            prop_assert!(a >= anchor);
            if months && anchor.day() <= 28 {
                prop_assert_eq!(a.day(), anchor.day(), "a day every month has keeps its day");
            }
        }
        if let Some(b) = b {
            prop_assert!(a.is_some(), "an earlier due date exists when a later one does: {b}");
        }
    }

    /// Money arithmetic on real amounts (up to a trillion, to the hundredth of a cent) is
    /// exact: adding then subtracting returns the start, in either order.
    #[test]
    fn money_adds_back_exactly(
        a in -10i64.pow(16)..10i64.pow(16), b in -10i64.pow(16)..10i64.pow(16),
        sa in 0u32..=4, sb in 0u32..=4,
    ) {
        let x = Money::new(Decimal::new(a, sa), Currency::USD);
        let y = Money::new(Decimal::new(b, sb), Currency::USD);
        let sum = x.checked_add(&y).unwrap();
        prop_assert_eq!(sum.checked_sub(&y).unwrap().amount, x.amount);
        prop_assert_eq!(sum, y.checked_add(&x).unwrap());
    }

    /// At any magnitude, arithmetic returns a value or a coded error, never a panic.
    #[test]
    fn money_never_panics(a in any::<i64>(), b in any::<i64>(), sa in 0u32..29, sb in 0u32..29, big in any::<bool>()) {
        let x = Money::new(if big { Decimal::MAX } else { Decimal::new(a, sa) }, Currency::USD);
        let y = Money::new(Decimal::new(b, sb), Currency::USD);
        for r in [x.checked_add(&y), x.checked_sub(&y), x.checked_mul(y.amount)] {
            if let Err(e) = r {
                prop_assert_eq!(e.code(), "model.amount_overflow");
            }
        }
    }

    /// Any interaction round-trips through JSON, and validation never panics.
    #[test]
    fn interactions_round_trip(i in any_interaction()) {
        let text = serde_json::to_string(&i).unwrap();
        let back: Interaction = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(&back, &i);
        let _ = i.validate();
        // A touch always carries value.
        prop_assert!(!i.is_touch() || i.carries_value());
    }

    /// The channel chosen for a person is never one they blocked.
    #[test]
    fn a_blocked_channel_is_never_chosen(
        preferred in proptest::collection::vec(any_channel(), 0..8),
        blocked in proptest::collection::vec(any_channel(), 0..8),
        acceptable in proptest::collection::vec(any_channel(), 0..8),
    ) {
        let prefs = ChannelPreferences { preferred, do_not_contact: blocked };
        if let Some(c) = prefs.best_of(&acceptable) {
            prop_assert!(prefs.may_contact(c) && acceptable.contains(&c));
        } else {
            prop_assert!(acceptable.iter().all(|c| !prefs.may_contact(*c)));
        }
        if let Some(c) = prefs.preferred_channel() {
            prop_assert!(prefs.may_contact(c));
        }
    }
}
