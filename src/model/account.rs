//! Accounts: the customers themselves.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{AccountId, Money, UserId, check_name, check_zone};
use crate::error::{Error, ErrorKind, FieldPath, Problems};

/// A customer: a household or a business the company serves.
///
/// In JSON (optional fields may be left out):
///
/// ```json
/// {
///   "id": "a-4", "name": "Oak Ridge Apartments", "customer_since": "2018-01-15",
///   "segment": "commercial", "tags": ["maintenance-contract"], "owner": "u-cho",
///   "time_zone": "America/Chicago",
///   "annual_value": {"amount": "18500.00", "currency": "USD"},
///   "lifetime_value": {"amount": "131250.00", "currency": "USD"}
/// }
/// ```
///
/// ```
/// use chrono::NaiveDate;
/// use retention::model::{Account, Currency, Money};
/// use rust_decimal::Decimal;
///
/// let mut account = Account::new("a-4", "Oak Ridge Apartments", NaiveDate::from_ymd_opt(2018, 1, 15).unwrap());
/// account.annual_value = Some(Money::new(Decimal::from(18_500), Currency::USD));
/// account.validate()?;
///
/// account.time_zone = Some("Central".into());
/// assert_eq!(account.validate().unwrap_err().path().as_str(), "time_zone");
/// # Ok::<(), retention::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schemars",
    derive(schemars::JsonSchema),
    schemars(transform = crate::json_schema::prose_only)
)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// The host's key for the account.
    pub id: AccountId,
    /// The customer's name, for people to read.
    pub name: String,
    /// The first day of the relationship (first order or signed contract).
    #[serde(deserialize_with = "crate::model::wire::date")]
    pub customer_since: NaiveDate,
    /// A segment the business sorts customers by (`"residential"`, `"commercial"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<String>,
    /// Free tags (`"maintenance-contract"`, `"multi-site"`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// The member of staff who owns the relationship.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<UserId>,
    /// The account's IANA time zone when it differs from the business's calendar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// What the customer spends in a typical year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annual_value: Option<Money>,
    /// What the customer has spent in all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifetime_value: Option<Money>,
    /// From when this account's records are complete (its history horizon), when it
    /// differs from the book's. No obligation is counted overdue from before it: see
    /// [`history_start`](crate::model::history_start).
    #[serde(
        deserialize_with = "crate::model::wire::opt_date",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub history_since: Option<NaiveDate>,
    /// The account that referred this one (K6): the referrer's value at risk counts
    /// what its referrals are worth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referred_by: Option<AccountId>,
    /// What the business learned about the customer's own business (C9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discovery: Option<Discovery>,
}

/// What the business learned about the customer's business in a discovery conversation
/// (C9): why they started, what motivates and frustrates them, their next objective, and
/// when they were asked. In JSON (every field but `asked_on` may be left out):
///
/// ```json
/// {"asked_on": "2026-03-02", "goals": "open a second office", "frustrations": "no-shows",
///  "next_objective": "cut the energy bill by a fifth"}
/// ```
///
/// ```
/// use retention::model::Discovery;
/// let d: Discovery = serde_json::from_str(r#"{"asked_on": "2026-03-02", "goals": "grow"}"#)?;
/// assert_eq!(d.goals.as_deref(), Some("grow"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schemars",
    derive(schemars::JsonSchema),
    schemars(transform = crate::json_schema::prose_only)
)]
#[serde(deny_unknown_fields)]
pub struct Discovery {
    /// When the customer was last asked.
    #[serde(deserialize_with = "crate::model::wire::date")]
    pub asked_on: NaiveDate,
    /// Why they started, what they want to achieve.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goals: Option<String>,
    /// What frustrates them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frustrations: Option<String>,
    /// Their next objective.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_objective: Option<String>,
}

impl Discovery {
    /// A discovery conversation held on `asked_on`, its answers not yet written down.
    pub fn new(asked_on: NaiveDate) -> Discovery {
        Discovery {
            asked_on,
            goals: None,
            frustrations: None,
            next_objective: None,
        }
    }
}

impl Account {
    /// An account with its required fields; the rest empty.
    pub fn new(
        id: impl Into<AccountId>,
        name: impl Into<String>,
        customer_since: NaiveDate,
    ) -> Account {
        Account {
            id: id.into(),
            name: name.into(),
            customer_since,
            segment: None,
            tags: Vec::new(),
            owner: None,
            time_zone: None,
            annual_value: None,
            lifetime_value: None,
            history_since: None,
            referred_by: None,
            discovery: None,
        }
    }

    /// Whether the account carries `tag`.
    pub fn has_tag(&self, tag: &str) -> bool {
        self.tags.iter().any(|t| t == tag)
    }

    /// The account's time zone, if it has one the IANA database knows.
    pub fn zone(&self) -> Option<chrono_tz::Tz> {
        super::parse_zone(self.time_zone.as_deref())
    }

    /// Checks the account on its own; every problem is reported at once.
    ///
    /// # Errors
    /// `model.empty_id` (`id`, `owner`), `model.unknown_time_zone` (`time_zone`),
    /// `model.currency_mismatch` (`lifetime_value.currency`, when the two values are in
    /// different currencies).
    pub fn validate(&self) -> Result<(), Error> {
        Problems::collect(|p| self.check(p))
    }

    pub(crate) fn check(&self, problems: &mut Problems) {
        self.id.check(|| FieldPath::root().field("id"), problems);
        if let Some(owner) = &self.owner {
            owner.check(|| FieldPath::root().field("owner"), problems);
        }
        check_name(&self.name, "name", problems);
        check_zone(self.time_zone.as_deref(), problems);
        if let Some(r) = &self.referred_by {
            r.check(|| FieldPath::root().field("referred_by"), problems);
        }
        if let (Some(a), Some(l)) = (&self.annual_value, &self.lifetime_value) {
            if a.currency != l.currency {
                problems.push(
                    ErrorKind::CurrencyMismatch,
                    FieldPath::root().field("lifetime_value").field("currency"),
                    format!(
                        "the lifetime value is in {} but the annual value is in {}",
                        l.currency, a.currency
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Currency;
    use rust_decimal::Decimal;

    fn oak_ridge() -> Account {
        Account::new(
            "a-4",
            "Oak Ridge Apartments",
            NaiveDate::from_ymd_opt(2018, 1, 15).unwrap(),
        )
    }

    #[test]
    fn round_trips_through_json_leaving_empty_fields_out() {
        let mut a = oak_ridge();
        a.tags.push("multi-site".into());
        a.annual_value = Some(Money::new(Decimal::new(1850000, 2), Currency::USD));
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(
            json,
            r#"{"id":"a-4","name":"Oak Ridge Apartments","customer_since":"2018-01-15","tags":["multi-site"],"annual_value":{"amount":"18500.00","currency":"USD"}}"#
        );
        assert_eq!(serde_json::from_str::<Account>(&json).unwrap(), a);
    }

    #[test]
    fn a_misspelt_field_is_refused() {
        let err = serde_json::from_str::<Account>(
            r#"{"id":"a","name":"n","customer_since":"2020-01-01","segmnt":"x"}"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("segmnt"), "{err}");
    }

    #[test]
    fn every_problem_is_reported() {
        let mut a = oak_ridge();
        a.id = AccountId::new("");
        a.owner = Some(UserId::new(""));
        a.time_zone = Some("Mars/Base".into());
        a.annual_value = Some(Money::new(Decimal::ONE, Currency::USD));
        a.lifetime_value = Some(Money::new(Decimal::ONE, Currency::EUR));
        let e = a.validate().unwrap_err();
        let got: Vec<_> = e
            .problems()
            .iter()
            .map(|p| (p.code(), p.path().as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("model.empty_id", "id"),
                ("model.empty_id", "owner"),
                ("model.unknown_time_zone", "time_zone"),
                ("model.currency_mismatch", "lifetime_value.currency"),
            ]
        );
    }
}
