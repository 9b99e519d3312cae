//! The people at an account (C3): who they are, how to reach them, when their birthday is.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{AccountId, ChannelPreferences, PersonId, check_name, check_zone};
use crate::error::{Error, ErrorKind, FieldPath, Problems};

/// A person's role at the customer (C3 asks for a relationship with several of them).
/// In JSON, the snake_case name: `"owner"`, `"executive_assistant"`, `"it"`.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The owner or decision maker (for a household, the homeowner).
    Owner,
    /// The owner's executive assistant: often the real gatekeeper.
    ExecutiveAssistant,
    /// The IT or building-systems person.
    It,
    /// The receptionist or front desk.
    Receptionist,
    /// Anyone else.
    Other,
}

impl Role {
    /// The snake_case name used in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::ExecutiveAssistant => "executive_assistant",
            Role::It => "it",
            Role::Receptionist => "receptionist",
            Role::Other => "other",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a 29 February birthday falls in a year that has none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum LeapDayRule {
    /// On 28 February, still in the birthday month (the default). JSON: `"february_28"`.
    #[default]
    #[serde(rename = "february_28")]
    February28,
    /// On 1 March, the day after 28 February. JSON: `"march_1"`.
    #[serde(rename = "march_1")]
    March1,
}

impl LeapDayRule {
    /// The rule's name, as in JSON (and its `Display`).
    pub const fn as_str(self) -> &'static str {
        match self {
            LeapDayRule::February28 => "february_28",
            LeapDayRule::March1 => "march_1",
        }
    }
}

crate::codes::display_as_str!(LeapDayRule);

/// A birthday: month and day, and the year when known.
///
/// In JSON: `{"month": 2, "day": 29, "year": 1980}` (the year may be left out). Validation
/// refuses a day the month never has (`model.invalid_birthday`); 29 February is allowed,
/// and also with a year only when that year was a leap year.
///
/// ```
/// use chrono::NaiveDate;
/// use retention::model::{Birthday, LeapDayRule};
///
/// let leapling = Birthday { month: 2, day: 29, year: None };
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// assert_eq!(leapling.in_year(2028), Some(d(2028, 2, 29)));
/// assert_eq!(leapling.in_year(2027), Some(d(2027, 2, 28)));
/// assert_eq!(leapling.in_year_with(2027, LeapDayRule::March1), Some(d(2027, 3, 1)));
/// // The next birthday on or after a date.
/// assert_eq!(leapling.next_on_or_after(d(2027, 3, 1)), Some(d(2028, 2, 29)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schemars",
    derive(schemars::JsonSchema),
    schemars(transform = crate::json_schema::prose_only)
)]
#[serde(deny_unknown_fields)]
pub struct Birthday {
    /// Month, 1 to 12.
    pub month: u32,
    /// Day of the month, 1 to 31 (as the month allows; 29 February is allowed).
    pub day: u32,
    /// Year of birth, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
}

impl Birthday {
    /// Whether this is a 29 February birthday.
    pub fn is_leap_day(&self) -> bool {
        self.month == 2 && self.day == 29
    }

    /// The birthday's date in `year`, a leap-day birthday on 28 February in other years.
    /// `None` if the birthday is invalid or the year is beyond chrono's range.
    pub fn in_year(&self, year: i32) -> Option<NaiveDate> {
        self.in_year_with(year, LeapDayRule::default())
    }

    /// The birthday's date in `year`, placing a leap-day birthday by `rule` in years
    /// without 29 February.
    pub fn in_year_with(&self, year: i32, rule: LeapDayRule) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(year, self.month, self.day).or_else(|| {
            if !self.is_leap_day() {
                return None;
            }
            match rule {
                LeapDayRule::February28 => NaiveDate::from_ymd_opt(year, 2, 28),
                LeapDayRule::March1 => NaiveDate::from_ymd_opt(year, 3, 1),
            }
        })
    }

    /// The first birthday on or after `date` (by the default leap-day rule).
    pub fn next_on_or_after(&self, date: NaiveDate) -> Option<NaiveDate> {
        self.next_on_or_after_with(date, LeapDayRule::default())
    }

    /// The first birthday on or after `date`, placing a leap-day birthday by `rule`.
    pub fn next_on_or_after_with(&self, date: NaiveDate, rule: LeapDayRule) -> Option<NaiveDate> {
        let this_year = self.in_year_with(date.year(), rule)?;
        if this_year >= date {
            Some(this_year)
        } else {
            self.in_year_with(date.year().checked_add(1)?, rule)
        }
    }

    /// Checks the birthday is a real day.
    ///
    /// # Errors
    /// `model.invalid_birthday` for a day the month never has (31 April, 30 February,
    /// month 13), or 29 February in a stated year that was not a leap year.
    pub fn validate(&self) -> Result<(), Error> {
        Problems::collect(|p| self.check(p))
    }

    pub(crate) fn check(&self, problems: &mut Problems) {
        // 2000 is a leap year: every month/day pair that can ever exist exists in it.
        let ever = NaiveDate::from_ymd_opt(2000, self.month, self.day).is_some();
        let that_year = match self.year {
            Some(y) => NaiveDate::from_ymd_opt(y, self.month, self.day).is_some(),
            None => true,
        };
        if !ever || !that_year {
            let year = self.year.map(|y| format!(" {y}")).unwrap_or_default();
            problems.push(
                ErrorKind::InvalidBirthday,
                FieldPath::root(),
                format!(
                    "day {} of month {}{year} is not a date",
                    self.day, self.month
                ),
            );
        }
    }
}

/// A person at an account: the owner, the assistant, the IT person, the receptionist.
///
/// In JSON (optional fields may be left out):
///
/// ```json
/// {
///   "id": "p-5", "account": "a-4", "name": "Grace Kim", "role": "owner",
///   "title": "Property manager", "key_contact": true,
///   "birthday": {"month": 12, "day": 11},
///   "channels": {"preferred": ["visit", "email"], "do_not_contact": ["sms"]},
///   "time_zone": "America/Chicago"
/// }
/// ```
///
/// ```
/// use retention::model::{Birthday, Person, Role};
///
/// let mut grace = Person::new("p-5", "a-4", "Grace Kim", Role::Owner);
/// grace.key_contact = true;
/// grace.birthday = Some(Birthday { month: 4, day: 31, year: None });
/// let err = grace.validate().unwrap_err();
/// assert_eq!(err.code(), "model.invalid_birthday");
/// assert_eq!(err.path().as_str(), "birthday");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schemars",
    derive(schemars::JsonSchema),
    schemars(transform = crate::json_schema::prose_only)
)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// The host's key for the person.
    pub id: PersonId,
    /// The account the person belongs to.
    pub account: AccountId,
    /// Their name.
    pub name: String,
    /// Their role at the customer.
    pub role: Role,
    /// Their job title, free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Whether the business keeps a relationship with this person in particular (C3).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub key_contact: bool,
    /// Their birthday, when known (C6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birthday: Option<Birthday>,
    /// How they like to be reached, and how not.
    #[serde(default, skip_serializing_if = "ChannelPreferences::is_unset")]
    pub channels: ChannelPreferences,
    /// Their IANA time zone when it differs from the account's or the business's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
}

impl ChannelPreferences {
    fn is_unset(&self) -> bool {
        self.preferred.is_empty() && self.do_not_contact.is_empty()
    }
}

impl Person {
    /// A person with their required fields; the rest empty.
    pub fn new(
        id: impl Into<PersonId>,
        account: impl Into<AccountId>,
        name: impl Into<String>,
        role: Role,
    ) -> Person {
        Person {
            id: id.into(),
            account: account.into(),
            name: name.into(),
            role,
            title: None,
            key_contact: false,
            birthday: None,
            channels: ChannelPreferences::default(),
            time_zone: None,
        }
    }

    /// The person's time zone, if they have one the IANA database knows.
    pub fn zone(&self) -> Option<chrono_tz::Tz> {
        super::parse_zone(self.time_zone.as_deref())
    }

    /// Checks the person on their own; every problem is reported at once.
    ///
    /// # Errors
    /// `model.empty_id` (`id`, `account`), `model.invalid_birthday` (`birthday`),
    /// `model.channel_conflict` (`channels.do_not_contact[i]`),
    /// `model.unknown_time_zone` (`time_zone`).
    pub fn validate(&self) -> Result<(), Error> {
        Problems::collect(|p| self.check(p))
    }

    pub(crate) fn check(&self, problems: &mut Problems) {
        self.id.check(|| FieldPath::root().field("id"), problems);
        self.account
            .check(|| FieldPath::root().field("account"), problems);
        if let Some(b) = &self.birthday {
            let start = problems.len();
            b.check(problems);
            problems.place_since(start, || FieldPath::root().field("birthday"));
        }
        self.channels.check(problems);
        check_name(&self.name, "name", problems);
        check_zone(self.time_zone.as_deref(), problems);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Channel;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn birthdays_that_never_exist_are_refused() {
        for (month, day, year) in [
            (2, 30, None),
            (4, 31, None),
            (13, 1, None),
            (0, 1, None),
            (1, 0, None),
            (2, 29, Some(1981)),
        ] {
            let b = Birthday { month, day, year };
            let e = b.validate().unwrap_err();
            assert_eq!(e.code(), "model.invalid_birthday", "{b:?}");
        }
        for (month, day, year) in [(2, 29, None), (2, 29, Some(1980)), (12, 31, Some(1969))] {
            Birthday { month, day, year }.validate().unwrap();
        }
    }

    #[test]
    fn the_next_birthday_is_today_or_later() {
        let b = Birthday {
            month: 12,
            day: 3,
            year: None,
        };
        assert_eq!(b.next_on_or_after(d(2026, 12, 3)), Some(d(2026, 12, 3)));
        assert_eq!(b.next_on_or_after(d(2026, 12, 4)), Some(d(2027, 12, 3)));
        // Near chrono's limits: no panic, just no date.
        assert_eq!(b.next_on_or_after(NaiveDate::MAX), None);
        let bad = Birthday {
            month: 2,
            day: 30,
            year: None,
        };
        assert_eq!(bad.next_on_or_after(d(2026, 1, 1)), None);
    }

    #[test]
    fn a_leapling_in_a_common_year_follows_the_rule() {
        let b = Birthday {
            month: 2,
            day: 29,
            year: Some(1980),
        };
        assert_eq!(b.in_year(2026), Some(d(2026, 2, 28)));
        assert_eq!(
            b.in_year_with(2026, LeapDayRule::March1),
            Some(d(2026, 3, 1))
        );
        assert_eq!(b.in_year(2024), Some(d(2024, 2, 29)));
        assert_eq!(
            b.next_on_or_after_with(d(2026, 3, 1), LeapDayRule::March1),
            Some(d(2026, 3, 1))
        );
    }

    #[test]
    fn people_round_trip_and_report_paths() {
        let json = r#"{"id":"p-2","account":"a-1","name":"Marcus Bell","role":"receptionist","channels":{"preferred":["phone"],"do_not_contact":["sms"]}}"#;
        let p: Person = serde_json::from_str(json).unwrap();
        assert_eq!(p.role, Role::Receptionist);
        assert!(!p.channels.may_contact(Channel::Sms));
        assert_eq!(serde_json::to_string(&p).unwrap(), json);

        let mut bad = p.clone();
        bad.account = AccountId::new("");
        bad.time_zone = Some("Europe/Atlantis".into());
        bad.birthday = Some(Birthday {
            month: 2,
            day: 30,
            year: None,
        });
        let got: Vec<_> = bad.validate().unwrap_err().codes_and_paths();
        assert_eq!(
            got,
            [
                ("model.empty_id", "account".to_string()),
                ("model.invalid_birthday", "birthday".to_string()),
                ("model.unknown_time_zone", "time_zone".to_string()),
            ]
        );
    }

    #[test]
    fn leap_day_rules_have_readable_names() {
        assert_eq!(
            serde_json::to_string(&LeapDayRule::February28).unwrap(),
            r#""february_28""#
        );
        assert_eq!(
            serde_json::from_str::<LeapDayRule>(r#""march_1""#).unwrap(),
            LeapDayRule::March1
        );
    }

    #[test]
    fn roles_are_snake_case() {
        assert_eq!(
            serde_json::to_string(&Role::ExecutiveAssistant).unwrap(),
            r#""executive_assistant""#
        );
        assert_eq!(serde_json::from_str::<Role>(r#""it""#).unwrap(), Role::It);
        assert_eq!(Role::It.to_string(), "it");
    }
}
