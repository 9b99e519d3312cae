//! The shared model, told as the practice tells it.

use chrono::{NaiveDate, TimeZone, Utc};
use retention::model::{
    self, Birthday, Channel, Direction, InstalledUnit, Interaction, LeapDayRule, MessageValue,
    Outcome, Party, Person, Role, ServiceInterval, SurveyResponse, SurveyScale,
};
use rust_decimal::Decimal;
use serde::Deserialize;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The embedded sample the quickstart runs on: kept valid by this test.
#[derive(Deserialize)]
struct Sample {
    accounts: Vec<model::Account>,
    people: Vec<Person>,
    interactions: Vec<Interaction>,
    surveys: Vec<SurveyResponse>,
    units: Vec<InstalledUnit>,
}

#[test]
fn the_sample_business_is_valid_and_round_trips() {
    let json = include_str!("data/northwind.json");
    let s: Sample = serde_json::from_str(json).unwrap();
    model::validate_accounts(&s.accounts).unwrap();
    model::validate_people(&s.people).unwrap();
    model::validate_interactions(&s.interactions).unwrap();
    model::validate_surveys(&s.surveys).unwrap();
    model::validate_units(&s.units).unwrap();
    for p in &s.people {
        let text = serde_json::to_string(p).unwrap();
        assert_eq!(&serde_json::from_str::<Person>(&text).unwrap(), p);
    }
    for i in &s.interactions {
        let text = serde_json::to_string(i).unwrap();
        assert_eq!(&serde_json::from_str::<Interaction>(&text).unwrap(), i);
    }
}

fn voicemail_back(value: Option<MessageValue>) -> Interaction {
    let mut i = Interaction::new(
        "i-2",
        "a-2",
        Utc.with_ymd_and_hms(2026, 11, 24, 14, 10, 0).unwrap(),
        Channel::Phone,
        Direction::Outbound,
        Party::Staff {
            user: "u-ben".into(),
        },
        Outcome::LeftMessage,
    );
    i.message_value = value;
    i
}

#[test]
fn a_voicemail_that_only_says_call_us_back_is_phone_tag_not_a_reply() {
    assert!(!voicemail_back(Some(MessageValue::None)).carries_value());
    assert!(!voicemail_back(None).carries_value());
}

#[test]
fn a_voicemail_that_answers_the_question_or_names_a_time_is_a_reply() {
    let later = Utc.with_ymd_and_hms(2026, 11, 25, 15, 0, 0).unwrap();
    for value in [
        MessageValue::AnsweredQuestion,
        MessageValue::GaveSpecificTime {
            available_at: later,
        },
        MessageValue::PromisedCallAt { call_at: later },
        MessageValue::PointedToResource {
            resource: "https://example.com/pilot-light".into(),
        },
    ] {
        let vm = voicemail_back(Some(value));
        vm.validate().unwrap();
        assert!(vm.carries_value() && vm.is_touch(), "{vm:?}");
    }
}

#[test]
fn a_bounced_email_does_not_touch_the_customer() {
    let mut email = voicemail_back(None);
    email.channel = Channel::Email;
    email.outcome = Outcome::Bounced;
    assert!(!email.is_touch());
}

#[test]
fn a_visit_is_face_to_face_and_a_newsletter_is_broadcast() {
    assert!(Channel::Visit.is_face_to_face());
    assert!(Channel::Newsletter.is_broadcast());
    assert!(!Channel::Email.is_broadcast());
}

#[test]
fn a_leap_day_birthday_is_celebrated_on_the_28th_in_common_years_unless_the_business_says_march() {
    let dana = Birthday {
        month: 2,
        day: 29,
        year: Some(1980),
    };
    assert_eq!(
        dana.next_on_or_after(date(2027, 1, 1)),
        Some(date(2027, 2, 28))
    );
    assert_eq!(
        dana.next_on_or_after_with(date(2027, 1, 1), LeapDayRule::March1),
        Some(date(2027, 3, 1))
    );
    assert_eq!(
        dana.next_on_or_after(date(2027, 3, 1)),
        Some(date(2028, 2, 29))
    );
}

#[test]
fn a_furnace_serviced_on_the_31st_every_month_keeps_the_31st_where_it_can() {
    let mut furnace = InstalledUnit::new(
        "u-1",
        "a-1",
        "gas furnace",
        date(2025, 12, 1),
        ServiceInterval::Months(1),
    );
    furnace.last_serviced_on = Some(date(2026, 1, 31));
    let dues: Vec<_> = (1..=4)
        .map(|k| {
            furnace
                .service_interval
                .after(furnace.service_anchor(), k)
                .unwrap()
        })
        .collect();
    assert_eq!(
        dues,
        [
            date(2026, 2, 28),
            date(2026, 3, 31),
            date(2026, 4, 30),
            date(2026, 5, 31)
        ]
    );
    assert_eq!(furnace.next_service_due(), Some(date(2026, 2, 28)));
}

#[test]
fn a_four_out_of_five_with_a_grumble_is_still_unhappy() {
    let mut s = SurveyResponse::new(
        "s-3",
        "a-6",
        Utc.with_ymd_and_hms(2026, 11, 13, 22, 45, 0).unwrap(),
        Decimal::from(4),
        SurveyScale::one_to_five(),
    );
    assert!(!s.is_unhappy());
    s.unhappy_hint = true;
    s.comment = Some("Fine, but we had to chase the invoice".into());
    assert!(s.is_unhappy());
}

#[test]
fn a_detractor_on_a_zero_to_ten_scale_is_unhappy() {
    let s = SurveyResponse::new(
        "s-1",
        "a-3",
        Utc.with_ymd_and_hms(2026, 11, 19, 2, 10, 0).unwrap(),
        Decimal::from(6),
        SurveyScale::zero_to_ten(),
    );
    assert!(s.is_unhappy());
}

#[test]
fn a_receptionist_who_blocked_texts_is_reached_by_phone() {
    let mut marcus = Person::new("p-2", "a-1", "Marcus Bell", Role::Receptionist);
    marcus.channels.do_not_contact.push(Channel::Sms);
    assert_eq!(
        marcus.channels.best_of(&[Channel::Sms, Channel::Phone]),
        Some(Channel::Phone)
    );
    marcus.validate().unwrap();
}

#[test]
fn every_bad_record_in_a_list_is_reported_with_its_place() {
    let people: Vec<Person> = serde_json::from_str(
        r#"[
        {"id": "p-1", "account": "a-1", "name": "Lena", "role": "owner", "time_zone": "Nowhere/Town"},
        {"id": "p-2", "account": "a-1", "name": "Marcus", "role": "receptionist",
         "channels": {"preferred": ["sms"], "do_not_contact": ["sms"]}},
        {"id": "p-3", "account": "a-1", "name": "Ruth", "role": "executive_assistant",
         "birthday": {"month": 2, "day": 29, "year": 1981}},
        {"id": "p-1", "account": "", "name": "Lena again", "role": "owner"}
    ]"#,
    )
    .unwrap();
    let err = model::validate_people(&people).unwrap_err();
    let got: Vec<String> = err
        .problems()
        .iter()
        .map(|p| format!("{} {}", p.path(), p.code()))
        .collect();
    assert_eq!(
        got,
        [
            "people[0].time_zone model.unknown_time_zone",
            "people[1].channels.do_not_contact[0] model.channel_conflict",
            "people[2].birthday model.invalid_birthday",
            "people[3].account model.empty_id",
            "people[3].id model.duplicate_id",
        ]
    );
    // The error as JSON, for a host to show next to the offending fields.
    let json = serde_json::to_value(&err).unwrap();
    assert_eq!(json["problems"][0]["path"], "people[0].time_zone");
    assert_eq!(json["problems"][0]["code"], "model.unknown_time_zone");
}

#[test]
fn a_role_or_channel_the_crate_does_not_know_is_refused_when_read() {
    let err = serde_json::from_str::<Person>(
        r#"{"id": "p", "account": "a", "name": "n", "role": "janitor"}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("janitor"), "{err}");
    let err = serde_json::from_str::<Person>(
        r#"{"id": "p", "account": "a", "name": "n", "role": "owner", "channels": {"preferred": ["fax"]}}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("fax"), "{err}");
}
