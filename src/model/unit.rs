//! Installed units (C5): the equipment at an account and when it is next due for service.

use std::fmt;

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{AccountId, UnitId};
use crate::error::{Error, ErrorKind, FieldPath, Problems};

/// How often a unit is serviced. In JSON: `{"months": 6}` or `{"days": 90}`.
///
/// Month arithmetic is anchored to the original date and never drifts: the 31st stays the
/// 31st wherever the month has one, and falls on the month's last day where it has not.
///
/// ```
/// use chrono::NaiveDate;
/// use retention::model::ServiceInterval;
///
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let monthly = ServiceInterval::Months(1);
/// assert_eq!(monthly.after(d(2026, 1, 31), 1), Some(d(2026, 2, 28)));
/// // The third service is three months from the anchor, not 28 days of drift later.
/// assert_eq!(monthly.after(d(2026, 1, 31), 3), Some(d(2026, 4, 30)));
/// assert_eq!(monthly.after(d(2026, 1, 31), 2), Some(d(2026, 3, 31)));
/// assert_eq!(ServiceInterval::Days(90).after(d(2026, 9, 30), 1), Some(d(2026, 12, 29)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schemars",
    derive(schemars::JsonSchema),
    schemars(transform = crate::json_schema::prose_only)
)]
#[serde(rename_all = "snake_case")]
pub enum ServiceInterval {
    /// Every so many calendar months.
    Months(u32),
    /// Every so many days.
    Days(u32),
}

impl ServiceInterval {
    /// The date `times` intervals after `anchor`, counted from the anchor (no drift);
    /// `None` past chrono's range.
    pub fn after(self, anchor: NaiveDate, times: u32) -> Option<NaiveDate> {
        match self {
            ServiceInterval::Months(n) => {
                anchor.checked_add_months(Months::new(n.checked_mul(times)?))
            }
            ServiceInterval::Days(n) => {
                anchor.checked_add_days(Days::new(u64::from(n) * u64::from(times)))
            }
        }
    }

    fn is_zero(self) -> bool {
        matches!(self, ServiceInterval::Months(0) | ServiceInterval::Days(0))
    }
}

impl fmt::Display for ServiceInterval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServiceInterval::Months(1) => f.write_str("every month"),
            ServiceInterval::Months(n) => write!(f, "every {n} months"),
            ServiceInterval::Days(1) => f.write_str("every day"),
            ServiceInterval::Days(n) => write!(f, "every {n} days"),
        }
    }
}

/// A unit of equipment installed at an account: a furnace, a rooftop unit, a boiler.
///
/// In JSON (optional fields may be left out):
///
/// ```json
/// {
///   "id": "u-101", "account": "a-1", "kind": "rooftop unit", "label": "RTU-1",
///   "installed_on": "2019-05-31", "last_serviced_on": "2026-05-31",
///   "service_interval": {"months": 6}
/// }
/// ```
///
/// ```
/// use chrono::NaiveDate;
/// use retention::model::{InstalledUnit, ServiceInterval};
///
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let mut rtu = InstalledUnit::new("u-101", "a-1", "rooftop unit", d(2019, 5, 31), ServiceInterval::Months(6));
/// rtu.last_serviced_on = Some(d(2026, 5, 31));
/// rtu.validate()?;
/// assert_eq!(rtu.next_service_due(), Some(d(2026, 11, 30)));
/// # Ok::<(), retention::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schemars",
    derive(schemars::JsonSchema),
    schemars(transform = crate::json_schema::prose_only)
)]
#[serde(deny_unknown_fields)]
pub struct InstalledUnit {
    /// The host's key for the unit.
    pub id: UnitId,
    /// The account where it is installed.
    pub account: AccountId,
    /// What it is, free text (`"gas furnace"`).
    pub kind: String,
    /// A label to tell units apart on site (`"RTU-1"`, `"Building B"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// When it was installed.
    #[serde(deserialize_with = "crate::model::wire::date")]
    pub installed_on: NaiveDate,
    /// When it was last serviced, if ever.
    #[serde(
        deserialize_with = "crate::model::wire::opt_date",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub last_serviced_on: Option<NaiveDate>,
    /// How often it should be serviced.
    pub service_interval: ServiceInterval,
}

impl InstalledUnit {
    /// A unit with its required fields; never serviced, no label.
    pub fn new(
        id: impl Into<UnitId>,
        account: impl Into<AccountId>,
        kind: impl Into<String>,
        installed_on: NaiveDate,
        service_interval: ServiceInterval,
    ) -> InstalledUnit {
        InstalledUnit {
            id: id.into(),
            account: account.into(),
            kind: kind.into(),
            label: None,
            installed_on,
            last_serviced_on: None,
            service_interval,
        }
    }

    /// The date service counts from: the last service, else the installation.
    pub fn service_anchor(&self) -> NaiveDate {
        self.last_serviced_on.unwrap_or(self.installed_on)
    }

    /// When the next service is due: one interval after the
    /// [last service, else the installation](Self::service_anchor), so a late service
    /// moves the schedule with it. `None` past chrono's range.
    pub fn next_service_due(&self) -> Option<NaiveDate> {
        self.service_interval.after(self.service_anchor(), 1)
    }

    /// Checks the unit on its own; every problem is reported at once.
    ///
    /// # Errors
    /// `model.empty_id` (`id`, `account`), `model.invalid_service_interval`
    /// (`service_interval`, when zero), `model.date_order` (`last_serviced_on` before
    /// `installed_on`).
    pub fn validate(&self) -> Result<(), Error> {
        Problems::collect(|p| self.check(p))
    }

    pub(crate) fn check(&self, problems: &mut Problems) {
        self.id.check(|| FieldPath::root().field("id"), problems);
        self.account
            .check(|| FieldPath::root().field("account"), problems);
        if let Some(last) = self.last_serviced_on {
            if last < self.installed_on {
                problems.push(
                    ErrorKind::DateOrder,
                    FieldPath::root().field("last_serviced_on"),
                    format!(
                        "serviced on {last}, before it was installed on {}",
                        self.installed_on
                    ),
                );
            }
        }
        if self.service_interval.is_zero() {
            problems.push(
                ErrorKind::InvalidServiceInterval,
                FieldPath::root().field("service_interval"),
                "a service interval of zero never moves on",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn intervals_are_external_tagged_in_json() {
        let json = serde_json::to_string(&ServiceInterval::Months(6)).unwrap();
        assert_eq!(json, r#"{"months":6}"#);
        assert_eq!(
            serde_json::from_str::<ServiceInterval>(r#"{"days":90}"#).unwrap(),
            ServiceInterval::Days(90)
        );
        assert!(serde_json::from_str::<ServiceInterval>(r#"{"weeks":2}"#).is_err());
        assert_eq!(ServiceInterval::Months(6).to_string(), "every 6 months");
    }

    #[test]
    fn a_never_serviced_unit_counts_from_installation() {
        let u = InstalledUnit::new(
            "u",
            "a",
            "split system",
            d(2022, 5, 20),
            ServiceInterval::Months(12),
        );
        assert_eq!(u.next_service_due(), Some(d(2023, 5, 20)));
    }

    #[test]
    fn far_dates_give_none_not_a_panic() {
        let u = InstalledUnit::new(
            "u",
            "a",
            "x",
            NaiveDate::MAX,
            ServiceInterval::Days(u32::MAX),
        );
        assert_eq!(u.next_service_due(), None);
        assert_eq!(
            ServiceInterval::Months(u32::MAX).after(d(2026, 1, 1), u32::MAX),
            None
        );
    }

    #[test]
    fn bad_units_are_refused_with_paths() {
        let mut u = InstalledUnit::new("u", "a", "boiler", d(2020, 1, 1), ServiceInterval::Days(0));
        u.last_serviced_on = Some(d(2019, 12, 31));
        let got: Vec<_> = u.validate().unwrap_err().codes_and_paths();
        assert_eq!(
            got,
            [
                ("model.date_order", "last_serviced_on".to_string()),
                (
                    "model.invalid_service_interval",
                    "service_interval".to_string()
                ),
            ]
        );
    }
}
