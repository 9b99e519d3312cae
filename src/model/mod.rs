//! The shared domain model: the records every engine reads.
//!
//! Plain owned data with a documented JSON shape, built by the host from its own
//! database: [`Account`]s (the customers), the [`Person`]s at each account (C3), every
//! [`Interaction`] with them (calls, emails, visits, and whether a left message carried
//! value, P2), [`SurveyResponse`]s (C7) and [`InstalledUnit`]s (C5). Ids are typed
//! ([`AccountId`], [`PersonId`], ...) and money is an exact [`Money`] (a `Decimal` and a
//! [`Currency`]). Every verdict names the practice [`Rule`] it serves, and policies
//! state lengths of time as [`Span`]s. Service orders and promises get their full types with their engines;
//! [`OrderId`] and [`PromiseId`] are already here so records can point at them.
//!
//! # Checking
//!
//! Reading JSON checks shapes (a misspelt field, a channel the crate does not know, a
//! currency that is not three capitals). Each record's `validate` then checks what a
//! shape cannot say, and reports every problem at once with its code and path; the list
//! checks ([`validate_people`] and friends) add the position in the list and refuse
//! duplicate ids. Engines validate their input the same way before they evaluate it.
//!
//! ```
//! use retention::model::{validate_people, Person};
//!
//! let people: Vec<Person> = serde_json::from_str(r#"[
//!     {"id": "p-1", "account": "a-1", "name": "Dr. Lena Ortiz", "role": "owner",
//!      "key_contact": true, "birthday": {"month": 12, "day": 3},
//!      "channels": {"preferred": ["email", "phone"]}},
//!     {"id": "p-2", "account": "a-1", "name": "Marcus Bell", "role": "receptionist"},
//!     {"id": "p-3", "account": "a-1", "name": "Ruth Adeyemi", "role": "executive_assistant",
//!      "time_zone": "America/Chicgo"},
//!     {"id": "p-2", "account": "a-1", "name": "Marcus Bell (again)", "role": "other"}
//! ]"#)?;
//!
//! let err = validate_people(&people).unwrap_err();
//! let found: Vec<String> = err.problems().iter().map(|p| format!("{} {}", p.path(), p.code())).collect();
//! assert_eq!(found, [
//!     "people[2].time_zone model.unknown_time_zone",
//!     "people[3].id model.duplicate_id",
//! ]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! References between records (a person's account, an interaction's person) are
//! resolved by the engines that join them; a list check looks at one list.

mod account;
mod channel;
pub(crate) mod flat;
mod history;
mod ids;
mod interaction;
mod money;
mod person;
mod rhythm;
mod rule;
pub(crate) mod secs;
mod span;
mod survey;
mod unit;
pub(crate) mod wire;

use std::collections::HashSet;

pub use account::{Account, Discovery};
pub use channel::{Channel, ChannelPreferences};
pub use history::history_start;
pub use ids::{
    AccountId, InteractionId, MAX_ID_LEN, OrderId, PersonId, PromiseId, SurveyId, UnitId, UserId,
};
pub use interaction::{Direction, Interaction, MessageValue, Outcome, Party};
pub use money::{Currency, Money};
pub use person::{Birthday, LeapDayRule, Person, Role};
pub use rhythm::{Rhythm, UsualGap};
pub use rule::Rule;
pub use span::Span;
pub(crate) use span::{check_fixed, some_span, upgrade_old_count};
pub use survey::{SurveyResponse, SurveyScale};
pub use unit::{InstalledUnit, ServiceInterval};

use crate::error::{Error, ErrorKind, FieldPath, Problems};

/// The zone of an optional IANA name; `None` when absent or unknown.
fn parse_zone(name: Option<&str>) -> Option<chrono_tz::Tz> {
    name.and_then(|z| z.parse().ok())
}

/// Records `model.unknown_time_zone` at `time_zone` unless the name is absent or in the
/// IANA database.
fn check_zone(name: Option<&str>, problems: &mut Problems) {
    if let Some(name) = name {
        if parse_zone(Some(name)).is_none() {
            problems.push(
                ErrorKind::UnknownRecordTimeZone,
                FieldPath::root().field("time_zone"),
                format!("`{name}` is not a time zone in the IANA database"),
            );
        }
    }
}

/// The most bytes a name may have (`model.name_too_long` past it): a person's, an
/// account's or the business's name is copied into the sentences about them.
pub const MAX_NAME_LEN: usize = 256;

/// Records `model.name_too_long` at `field` when `name` is longer than [`MAX_NAME_LEN`].
pub(crate) fn check_name(name: &str, field: &str, problems: &mut Problems) {
    if name.len() > MAX_NAME_LEN {
        problems.push(
            ErrorKind::NameTooLong,
            FieldPath::root().field(field),
            format!(
                "the {field} is {} bytes long, more than the {MAX_NAME_LEN} a name may have",
                name.len()
            ),
        );
    }
}

/// Checks each item of a list, places its problems under `name[i]`, and refuses a
/// non-blank id seen before. One hash set for the list; nothing allocated per item that
/// has no problem.
pub(crate) fn check_list<'a, T>(
    items: &'a [T],
    name: &'static str,
    id: impl Fn(&'a T) -> &'a str,
    check: impl Fn(&T, &mut Problems),
) -> Result<(), Error> {
    let mut problems = Problems::new();
    // Ids come from the host's own records: rustc-hash's Fx, as everywhere else in the crate.
    let mut seen: HashSet<&str, rustc_hash::FxBuildHasher> =
        HashSet::with_capacity_and_hasher(items.len(), rustc_hash::FxBuildHasher);
    for (i, item) in items.iter().enumerate() {
        let start = problems.len();
        check(item, &mut problems);
        let key = id(item);
        // A first byte that is printable ASCII settles "not blank" without a scan.
        let set =
            key.as_bytes().first().is_some_and(u8::is_ascii_graphic) || !key.trim().is_empty();
        if set && !seen.insert(key) {
            problems.push(
                ErrorKind::DuplicateId,
                FieldPath::root().field("id"),
                format!("the id `{key}` is used by an earlier item of `{name}`"),
            );
        }
        problems.place_since(start, || FieldPath::root().field(name).index(i));
    }
    problems.finish()
}

/// Checks a list of accounts: each as [`Account::validate`], paths under `accounts[i]`,
/// and `model.duplicate_id` for an id used twice.
///
/// # Errors
/// Every problem found, in list order.
pub fn validate_accounts(accounts: &[Account]) -> Result<(), Error> {
    check_list(accounts, "accounts", |a| a.id.as_str(), Account::check)
}

/// Checks a list of people: each as [`Person::validate`], paths under `people[i]`, and
/// `model.duplicate_id` for an id used twice.
///
/// # Errors
/// Every problem found, in list order.
pub fn validate_people(people: &[Person]) -> Result<(), Error> {
    check_list(people, "people", |p| p.id.as_str(), Person::check)
}

/// Checks a list of interactions: each as [`Interaction::validate`], paths under
/// `interactions[i]`, and `model.duplicate_id` for an id used twice.
///
/// # Errors
/// Every problem found, in list order.
pub fn validate_interactions(interactions: &[Interaction]) -> Result<(), Error> {
    check_list(
        interactions,
        "interactions",
        |x| x.id.as_str(),
        Interaction::check,
    )
}

/// Checks a list of survey responses: each as [`SurveyResponse::validate`], paths under
/// `surveys[i]`, and `model.duplicate_id` for an id used twice.
///
/// # Errors
/// Every problem found, in list order.
pub fn validate_surveys(surveys: &[SurveyResponse]) -> Result<(), Error> {
    check_list(surveys, "surveys", |s| s.id.as_str(), SurveyResponse::check)
}

/// Checks a list of installed units: each as [`InstalledUnit::validate`], paths under
/// `units[i]`, and `model.duplicate_id` for an id used twice.
///
/// # Errors
/// Every problem found, in list order.
pub fn validate_units(units: &[InstalledUnit]) -> Result<(), Error> {
    check_list(units, "units", |u| u.id.as_str(), InstalledUnit::check)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn list_checks_place_problems_and_find_duplicates() {
        let d = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        let mut units = vec![
            InstalledUnit::new("u-1", "a-1", "boiler", d, ServiceInterval::Months(6)),
            InstalledUnit::new("u-2", "", "boiler", d, ServiceInterval::Days(0)),
            InstalledUnit::new("u-1", "a-1", "boiler", d, ServiceInterval::Months(6)),
        ];
        let got: Vec<_> = validate_units(&units).unwrap_err().codes_and_paths();
        assert_eq!(
            got,
            [
                ("model.empty_id", "units[1].account".to_string()),
                (
                    "model.invalid_service_interval",
                    "units[1].service_interval".to_string()
                ),
                ("model.duplicate_id", "units[2].id".to_string()),
            ]
        );
        units.truncate(1);
        validate_units(&units).unwrap();
        validate_units(&[]).unwrap();
    }

    #[test]
    fn blank_ids_are_not_also_duplicates() {
        let d = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        let accounts = vec![Account::new("", "A", d), Account::new("", "B", d)];
        let e = validate_accounts(&accounts).unwrap_err();
        assert!(e.problems().iter().all(|p| p.code() == "model.empty_id"));
        assert_eq!(e.problems().len(), 2);
    }
}
