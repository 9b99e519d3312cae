//! Errors: what a caller gets back for input the crate cannot use.
//!
//! # Errors and findings are different things
//!
//! An [`Error`] means the *input itself* is unusable: a calendar interval that ends before
//! it starts, an unknown time zone, a birthday on 30 February, a policy that contradicts
//! itself. The caller has to fix the data before anything can be evaluated.
//!
//! A business problem found in *valid* data (a missing signature, a broken promise, a
//! customer nobody has called for 40 days) is never an `Err`: the engines return it as a
//! *finding* inside an `Ok` report, because finding those problems is their job.
//! Evaluating valid input never fails.
//!
//! # Shape
//!
//! Validation reports every problem at once, not just the first: an [`Error`] holds one or
//! more [`Problem`]s, each with a stable machine [`code`](ErrorKind::code), the
//! [`FieldPath`] of the offending field (`people[2].time_zone`) and a sentence for people.
//! The codes are part of the crate's contract: documented on [`ErrorKind`] and never
//! renamed once released.
//!
//! ```
//! use retention::calendar::{BusinessCalendar, CalendarSpec, TimeOfDay, WorkInterval};
//! use chrono::Weekday;
//!
//! let mut spec = CalendarSpec::new("Mars/Olympus_Mons");
//! spec.weekly.set(Weekday::Tue, vec![WorkInterval::new(TimeOfDay::hm(9, 0)?, TimeOfDay::hm(17, 0)?)]);
//! spec.weekly.set(Weekday::Mon, vec![WorkInterval::new(
//!     TimeOfDay::hm(17, 0)?,
//!     TimeOfDay::hm(9, 0)?, // ends before it starts, and is not marked overnight
//! )]);
//! let err = BusinessCalendar::new(spec).unwrap_err();
//! let found: Vec<(&str, String)> =
//!     err.problems().iter().map(|p| (p.code(), p.path().to_string())).collect();
//! assert_eq!(
//!     found,
//!     [
//!         ("calendar.unknown_time_zone", "time_zone".to_string()),
//!         ("calendar.interval_reversed", "weekly.monday[0]".to_string()),
//!     ]
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

/// The kind of an input problem, with a stable machine code.
///
/// Codes are `area.snake_case_name` strings. They are part of the public contract: a code
/// is never renamed or reused once released. New kinds may be added in minor releases,
/// so match with a wildcard arm. Reading a code this version does not know (an error
/// written by a newer version) fails, so a host that stores errors should keep the code
/// string as well.
///
/// | code | meaning |
/// | --- | --- |
/// | `calendar.unknown_time_zone` | the zone name is not in the IANA database |
/// | `calendar.interval_reversed` | a working interval ends at or before its start and is not marked overnight |
/// | `calendar.interval_too_long` | an overnight interval would last more than 24 hours |
/// | `calendar.invalid_time_of_day` | a time of day is not between 00:00 and 24:00 |
/// | `calendar.intervals_overlap` | two weekly working intervals overlap |
/// | `calendar.holiday_outside_day` | a partial holiday's closed period is empty or leaves its own date |
/// | `calendar.extra_period_reversed` | an extra working period ends at or before its start |
/// | `calendar.extra_period_too_long` | an extra working period lasts more than 31 days |
/// | `calendar.no_working_time` | the calendar has no working time at all |
/// | `calendar.date_out_of_range` | a date or instant is outside the range the calendar supports |
/// | `calendar.negative_duration` | a business duration to add is negative |
/// | `calendar.exhausted` | the calendar has no more working time to satisfy the request |
/// | `model.empty_id` | an identifier is empty or only whitespace |
/// | `model.id_too_long` | an identifier is longer than [`MAX_ID_LEN`](crate::model::MAX_ID_LEN) bytes |
/// | `model.name_too_long` | a name is longer than [`MAX_NAME_LEN`](crate::model::MAX_NAME_LEN) bytes |
/// | `model.duplicate_id` | two records in one list share an identifier |
/// | `model.invalid_currency` | a currency code is not three ASCII capital letters |
/// | `model.currency_mismatch` | amounts in different currencies were combined, or an account's values are in different currencies |
/// | `model.amount_overflow` | money arithmetic overflowed |
/// | `model.invalid_birthday` | a birthday's month and day (and year, if given) are not a real date |
/// | `model.channel_conflict` | a channel is both preferred and do-not-contact |
/// | `model.invalid_scale` | a survey scale's minimum is not below its maximum, or its threshold lies outside it |
/// | `model.score_out_of_scale` | a survey score lies outside its stated scale |
/// | `model.invalid_service_interval` | a unit's service interval is zero |
/// | `model.date_order` | two dates are in an impossible order (serviced before installed, a promised call before the message promising it) |
/// | `model.message_value_mismatch` | a message value was given for an interaction that left or delivered no message |
/// | `model.unknown_time_zone` | a person's or account's time zone is not in the IANA database |
/// | `model.span_not_fixed` | a span of months or business days where a policy needs a fixed length (weeks, days, hours, minutes) |
/// | `orders.status_out_of_order` | a service order's status change is dated before the one listed before it |
/// | `orders.appointment_reversed` | an appointment window ends at or before its start |
/// | `orders.negative_quantity` | a planned or used part has a negative quantity |
/// | `orders.unknown_work_item` | work performed points at a planned work item the order does not have |
/// | `orders.unknown_checklist_template` | an order's checklist names a template the policy does not have |
/// | `orders.unknown_checklist_item` | a checklist entry names an item its template does not list |
/// | `orders.duplicate_checklist_item` | a checklist item is listed twice in an order's checklist, or two items of a template share an id |
/// | `orders.duplicate_template` | two checklist templates share an id or a service type |
/// | `orders.unsatisfiable_item` | a required checklist template item can be neither done nor waived |
/// | `orders.unknown_finding_code` | a policy sets the severity of a finding code the orders engine does not have |
/// | `cadence.zero_interval` | a cadence interval, count or capacity in the policy is zero |
/// | `cadence.partial_days` | a cadence span is not a whole number of days (obligations fall on dates) |
/// | `cadence.no_channels` | a list of channels in the cadence policy is empty |
/// | `cadence.impossible_caps` | the policy's caps or gaps make an obligation impossible to meet |
/// | `cadence.unknown_account` | a record names an account that is not in the book |
/// | `cadence.unknown_person` | a record names a person who is not in the book |
/// | `cadence.person_elsewhere` | a record names a person who belongs to another account |
/// | `cadence.horizon_too_long` | the cadence plan's horizon is longer than a year |
/// | `promises.span_zero` | a policy's length of time that must not be empty is zero |
/// | `promises.percent_out_of_range` | a policy's percentage or count lies outside its allowed range |
/// | `promises.band_reversed` | a policy's band runs backwards, or its warning thresholds do not rise |
/// | `promises.window_reversed` | a promised window ends before it starts |
/// | `promises.due_before_made` | a promise is due before it was made |
/// | `promises.event_before_promise` | an event is dated before its promise was made |
/// | `promises.unknown_promise` | an event names a promise that is not in the list |
/// | `promises.event_after_close` | an event follows the delivery or cancellation that closed its promise |
/// | `promises.pause_mismatch` | a promise is paused while paused, or resumed while not paused |
/// | `risk.empty_book` | a book to score or fit has no customers |
/// | `risk.negative_frequency` | a customer's repeat-purchase count is negative |
/// | `risk.invalid_time` | a recency or age is negative or not a finite number |
/// | `risk.recency_beyond_age` | a customer's last purchase lies beyond their age (recency above age) |
/// | `risk.recency_without_repeat` | a customer without repeat purchases has a recency other than 0 |
/// | `risk.invalid_spend` | an average spend is negative, or 0 for a repeat buyer in the spend model |
/// | `risk.degenerate_data` | the customers cannot identify a model (all identical, or nobody bought twice) |
/// | `risk.invalid_horizon` | a forecast horizon is 0, negative or not finite |
/// | `risk.fit_failed` | a model fit did not converge (a parameter ran away, or the iteration limit was reached) |
/// | `risk.invalid_parameter` | a model parameter or fit option is not a finite positive number |
/// | `risk.model_undefined` | a model quantity is undefined at these parameters (a = 1, q <= 1, a series that does not converge) |
/// | `risk.invalid_weight` | a signal's weight is above 100 points, or every weight is 0 |
/// | `risk.invalid_threshold` | a risk policy threshold is out of range or out of order |
/// | `risk.bands_out_of_order` | the risk bands do not rise strictly within 1..=100 |
/// | `risk.score_out_of_range` | a previous risk score is above 100 |
/// | `desk.malformed_json` | a book's JSON is malformed or truncated, or a field has the wrong type (the path and the line and column say where) |
/// | `desk.unknown_schema_version` | a book's `schema_version` is missing or not one this crate reads |
/// | `desk.unknown_reference` | a record of a book refers to an account, person or promise the book does not hold |
/// | `desk.wrong_account` | a record names a person of another account than its own |
/// | `desk.book_rejected` | the last problem of a rejected book: how many records of each list were read, so nothing is silently dropped |
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorKind {
    /// `calendar.unknown_time_zone`
    UnknownTimeZone,
    /// `calendar.interval_reversed`
    IntervalReversed,
    /// `calendar.interval_too_long`
    IntervalTooLong,
    /// `calendar.invalid_time_of_day`
    InvalidTimeOfDay,
    /// `calendar.intervals_overlap`
    IntervalsOverlap,
    /// `calendar.holiday_outside_day`
    HolidayOutsideDay,
    /// `calendar.extra_period_reversed`
    ExtraPeriodReversed,
    /// `calendar.extra_period_too_long`
    ExtraPeriodTooLong,
    /// `calendar.no_working_time`
    NoWorkingTime,
    /// `calendar.date_out_of_range`
    DateOutOfRange,
    /// `calendar.negative_duration`
    NegativeDuration,
    /// `calendar.exhausted`
    Exhausted,
    /// `model.empty_id`
    EmptyId,
    /// `model.id_too_long`
    IdTooLong,
    /// `model.name_too_long`
    NameTooLong,
    /// `model.duplicate_id`
    DuplicateId,
    /// `model.invalid_currency`
    InvalidCurrency,
    /// `model.currency_mismatch`
    CurrencyMismatch,
    /// `model.amount_overflow`
    AmountOverflow,
    /// `model.invalid_birthday`
    InvalidBirthday,
    /// `model.channel_conflict`
    ChannelConflict,
    /// `model.invalid_scale`
    InvalidScale,
    /// `model.score_out_of_scale`
    ScoreOutOfScale,
    /// `model.invalid_service_interval`
    InvalidServiceInterval,
    /// `model.date_order`
    DateOrder,
    /// `model.message_value_mismatch`
    MessageValueMismatch,
    /// `model.unknown_time_zone`
    UnknownRecordTimeZone,
    /// `model.span_not_fixed`
    SpanNotFixed,
    /// `orders.status_out_of_order`
    OrderStatusOutOfOrder,
    /// `orders.appointment_reversed`
    OrderAppointmentReversed,
    /// `orders.negative_quantity`
    OrderNegativeQuantity,
    /// `orders.unknown_work_item`
    OrderUnknownWorkItem,
    /// `orders.unknown_checklist_template`
    OrderUnknownChecklistTemplate,
    /// `orders.unknown_checklist_item`
    OrderUnknownChecklistItem,
    /// `orders.duplicate_checklist_item`
    OrderDuplicateChecklistItem,
    /// `orders.duplicate_template`
    OrderDuplicateTemplate,
    /// `orders.unsatisfiable_item`
    OrderUnsatisfiableItem,
    /// `orders.unknown_finding_code`
    OrderUnknownFindingCode,
    /// `cadence.zero_interval`
    CadenceZeroInterval,
    /// `cadence.partial_days`
    CadencePartialDays,
    /// `cadence.no_channels`
    CadenceNoChannels,
    /// `cadence.impossible_caps`
    CadenceImpossibleCaps,
    /// `cadence.unknown_account`
    CadenceUnknownAccount,
    /// `cadence.unknown_person`
    CadenceUnknownPerson,
    /// `cadence.person_elsewhere`
    CadencePersonElsewhere,
    /// `cadence.horizon_too_long`
    CadenceHorizonTooLong,
    /// `promises.span_zero`
    PromisesSpanZero,
    /// `promises.percent_out_of_range`
    PromisesPercentOutOfRange,
    /// `promises.band_reversed`
    PromisesBandReversed,
    /// `promises.window_reversed`
    PromisesWindowReversed,
    /// `promises.due_before_made`
    PromisesDueBeforeMade,
    /// `promises.event_before_promise`
    PromisesEventBeforePromise,
    /// `promises.unknown_promise`
    PromisesUnknownPromise,
    /// `promises.event_after_close`
    PromisesEventAfterClose,
    /// `promises.pause_mismatch`
    PromisesPauseMismatch,
    /// `risk.empty_book`
    RiskEmptyBook,
    /// `risk.negative_frequency`
    RiskNegativeFrequency,
    /// `risk.invalid_time`
    RiskInvalidTime,
    /// `risk.recency_beyond_age`
    RiskRecencyBeyondAge,
    /// `risk.recency_without_repeat`
    RiskRecencyWithoutRepeat,
    /// `risk.invalid_spend`
    RiskInvalidSpend,
    /// `risk.degenerate_data`
    RiskDegenerateData,
    /// `risk.invalid_horizon`
    RiskInvalidHorizon,
    /// `risk.fit_failed`
    RiskFitFailed,
    /// `risk.invalid_parameter`
    RiskInvalidParameter,
    /// `risk.model_undefined`
    RiskModelUndefined,
    /// `risk.did_not_converge`
    RiskDidNotConverge,
    /// `risk.inconsistent_summary`
    RiskInconsistentSummary,
    /// `risk.invalid_weight`
    RiskInvalidWeight,
    /// `risk.invalid_threshold`
    RiskInvalidThreshold,
    /// `risk.bands_out_of_order`
    RiskBandsOutOfOrder,
    /// `risk.score_out_of_range`
    RiskScoreOutOfRange,
    /// `desk.malformed_json`
    DeskMalformedJson,
    /// `desk.unknown_schema_version`
    DeskUnknownSchemaVersion,
    /// `desk.unknown_reference`
    DeskUnknownReference,
    /// `desk.wrong_account`
    DeskWrongAccount,
    /// `desk.book_rejected`
    DeskBookRejected,
}

impl ErrorKind {
    /// Every kind, in declaration order (for documentation generators and tests).
    pub const ALL: &'static [ErrorKind] = &[
        ErrorKind::UnknownTimeZone,
        ErrorKind::IntervalReversed,
        ErrorKind::IntervalTooLong,
        ErrorKind::InvalidTimeOfDay,
        ErrorKind::IntervalsOverlap,
        ErrorKind::HolidayOutsideDay,
        ErrorKind::ExtraPeriodReversed,
        ErrorKind::ExtraPeriodTooLong,
        ErrorKind::NoWorkingTime,
        ErrorKind::DateOutOfRange,
        ErrorKind::NegativeDuration,
        ErrorKind::Exhausted,
        ErrorKind::EmptyId,
        ErrorKind::IdTooLong,
        ErrorKind::NameTooLong,
        ErrorKind::DuplicateId,
        ErrorKind::InvalidCurrency,
        ErrorKind::CurrencyMismatch,
        ErrorKind::AmountOverflow,
        ErrorKind::InvalidBirthday,
        ErrorKind::ChannelConflict,
        ErrorKind::InvalidScale,
        ErrorKind::ScoreOutOfScale,
        ErrorKind::InvalidServiceInterval,
        ErrorKind::DateOrder,
        ErrorKind::MessageValueMismatch,
        ErrorKind::UnknownRecordTimeZone,
        ErrorKind::SpanNotFixed,
        ErrorKind::OrderStatusOutOfOrder,
        ErrorKind::OrderAppointmentReversed,
        ErrorKind::OrderNegativeQuantity,
        ErrorKind::OrderUnknownWorkItem,
        ErrorKind::OrderUnknownChecklistTemplate,
        ErrorKind::OrderUnknownChecklistItem,
        ErrorKind::OrderDuplicateChecklistItem,
        ErrorKind::OrderDuplicateTemplate,
        ErrorKind::OrderUnsatisfiableItem,
        ErrorKind::OrderUnknownFindingCode,
        ErrorKind::CadenceZeroInterval,
        ErrorKind::CadencePartialDays,
        ErrorKind::CadenceNoChannels,
        ErrorKind::CadenceImpossibleCaps,
        ErrorKind::CadenceUnknownAccount,
        ErrorKind::CadenceUnknownPerson,
        ErrorKind::CadencePersonElsewhere,
        ErrorKind::CadenceHorizonTooLong,
        ErrorKind::PromisesSpanZero,
        ErrorKind::PromisesPercentOutOfRange,
        ErrorKind::PromisesBandReversed,
        ErrorKind::PromisesWindowReversed,
        ErrorKind::PromisesDueBeforeMade,
        ErrorKind::PromisesEventBeforePromise,
        ErrorKind::PromisesUnknownPromise,
        ErrorKind::PromisesEventAfterClose,
        ErrorKind::PromisesPauseMismatch,
        ErrorKind::RiskEmptyBook,
        ErrorKind::RiskNegativeFrequency,
        ErrorKind::RiskInvalidTime,
        ErrorKind::RiskRecencyBeyondAge,
        ErrorKind::RiskRecencyWithoutRepeat,
        ErrorKind::RiskInvalidSpend,
        ErrorKind::RiskDegenerateData,
        ErrorKind::RiskInvalidHorizon,
        ErrorKind::RiskFitFailed,
        ErrorKind::RiskInvalidParameter,
        ErrorKind::RiskModelUndefined,
        ErrorKind::RiskDidNotConverge,
        ErrorKind::RiskInconsistentSummary,
        ErrorKind::RiskInvalidWeight,
        ErrorKind::RiskInvalidThreshold,
        ErrorKind::RiskBandsOutOfOrder,
        ErrorKind::RiskScoreOutOfRange,
        ErrorKind::DeskMalformedJson,
        ErrorKind::DeskUnknownSchemaVersion,
        ErrorKind::DeskUnknownReference,
        ErrorKind::DeskWrongAccount,
        ErrorKind::DeskBookRejected,
    ];

    /// The stable machine code, such as `calendar.interval_reversed`.
    ///
    /// ```
    /// assert_eq!(retention::ErrorKind::NoWorkingTime.code(), "calendar.no_working_time");
    /// ```
    pub const fn code(self) -> &'static str {
        match self {
            ErrorKind::UnknownTimeZone => "calendar.unknown_time_zone",
            ErrorKind::IntervalReversed => "calendar.interval_reversed",
            ErrorKind::IntervalTooLong => "calendar.interval_too_long",
            ErrorKind::InvalidTimeOfDay => "calendar.invalid_time_of_day",
            ErrorKind::IntervalsOverlap => "calendar.intervals_overlap",
            ErrorKind::HolidayOutsideDay => "calendar.holiday_outside_day",
            ErrorKind::ExtraPeriodReversed => "calendar.extra_period_reversed",
            ErrorKind::ExtraPeriodTooLong => "calendar.extra_period_too_long",
            ErrorKind::NoWorkingTime => "calendar.no_working_time",
            ErrorKind::DateOutOfRange => "calendar.date_out_of_range",
            ErrorKind::NegativeDuration => "calendar.negative_duration",
            ErrorKind::Exhausted => "calendar.exhausted",
            ErrorKind::EmptyId => "model.empty_id",
            ErrorKind::IdTooLong => "model.id_too_long",
            ErrorKind::NameTooLong => "model.name_too_long",
            ErrorKind::DuplicateId => "model.duplicate_id",
            ErrorKind::InvalidCurrency => "model.invalid_currency",
            ErrorKind::CurrencyMismatch => "model.currency_mismatch",
            ErrorKind::AmountOverflow => "model.amount_overflow",
            ErrorKind::InvalidBirthday => "model.invalid_birthday",
            ErrorKind::ChannelConflict => "model.channel_conflict",
            ErrorKind::InvalidScale => "model.invalid_scale",
            ErrorKind::ScoreOutOfScale => "model.score_out_of_scale",
            ErrorKind::InvalidServiceInterval => "model.invalid_service_interval",
            ErrorKind::DateOrder => "model.date_order",
            ErrorKind::MessageValueMismatch => "model.message_value_mismatch",
            ErrorKind::UnknownRecordTimeZone => "model.unknown_time_zone",
            ErrorKind::SpanNotFixed => "model.span_not_fixed",
            ErrorKind::OrderStatusOutOfOrder => "orders.status_out_of_order",
            ErrorKind::OrderAppointmentReversed => "orders.appointment_reversed",
            ErrorKind::OrderNegativeQuantity => "orders.negative_quantity",
            ErrorKind::OrderUnknownWorkItem => "orders.unknown_work_item",
            ErrorKind::OrderUnknownChecklistTemplate => "orders.unknown_checklist_template",
            ErrorKind::OrderUnknownChecklistItem => "orders.unknown_checklist_item",
            ErrorKind::OrderDuplicateChecklistItem => "orders.duplicate_checklist_item",
            ErrorKind::OrderDuplicateTemplate => "orders.duplicate_template",
            ErrorKind::OrderUnsatisfiableItem => "orders.unsatisfiable_item",
            ErrorKind::OrderUnknownFindingCode => "orders.unknown_finding_code",
            ErrorKind::CadenceZeroInterval => "cadence.zero_interval",
            ErrorKind::CadencePartialDays => "cadence.partial_days",
            ErrorKind::CadenceNoChannels => "cadence.no_channels",
            ErrorKind::CadenceImpossibleCaps => "cadence.impossible_caps",
            ErrorKind::CadenceUnknownAccount => "cadence.unknown_account",
            ErrorKind::CadenceUnknownPerson => "cadence.unknown_person",
            ErrorKind::CadencePersonElsewhere => "cadence.person_elsewhere",
            ErrorKind::CadenceHorizonTooLong => "cadence.horizon_too_long",
            ErrorKind::PromisesSpanZero => "promises.span_zero",
            ErrorKind::PromisesPercentOutOfRange => "promises.percent_out_of_range",
            ErrorKind::PromisesBandReversed => "promises.band_reversed",
            ErrorKind::PromisesWindowReversed => "promises.window_reversed",
            ErrorKind::PromisesDueBeforeMade => "promises.due_before_made",
            ErrorKind::PromisesEventBeforePromise => "promises.event_before_promise",
            ErrorKind::PromisesUnknownPromise => "promises.unknown_promise",
            ErrorKind::PromisesEventAfterClose => "promises.event_after_close",
            ErrorKind::PromisesPauseMismatch => "promises.pause_mismatch",
            ErrorKind::RiskEmptyBook => "risk.empty_book",
            ErrorKind::RiskNegativeFrequency => "risk.negative_frequency",
            ErrorKind::RiskInvalidTime => "risk.invalid_time",
            ErrorKind::RiskRecencyBeyondAge => "risk.recency_beyond_age",
            ErrorKind::RiskRecencyWithoutRepeat => "risk.recency_without_repeat",
            ErrorKind::RiskInvalidSpend => "risk.invalid_spend",
            ErrorKind::RiskDegenerateData => "risk.degenerate_data",
            ErrorKind::RiskInvalidHorizon => "risk.invalid_horizon",
            ErrorKind::RiskFitFailed => "risk.fit_failed",
            ErrorKind::RiskInvalidParameter => "risk.invalid_parameter",
            ErrorKind::RiskModelUndefined => "risk.model_undefined",
            ErrorKind::RiskDidNotConverge => "risk.did_not_converge",
            ErrorKind::RiskInconsistentSummary => "risk.inconsistent_summary",
            ErrorKind::RiskInvalidWeight => "risk.invalid_weight",
            ErrorKind::RiskInvalidThreshold => "risk.invalid_threshold",
            ErrorKind::RiskBandsOutOfOrder => "risk.bands_out_of_order",
            ErrorKind::RiskScoreOutOfRange => "risk.score_out_of_range",
            ErrorKind::DeskMalformedJson => "desk.malformed_json",
            ErrorKind::DeskUnknownSchemaVersion => "desk.unknown_schema_version",
            ErrorKind::DeskUnknownReference => "desk.unknown_reference",
            ErrorKind::DeskWrongAccount => "desk.wrong_account",
            ErrorKind::DeskBookRejected => "desk.book_rejected",
        }
    }

    /// The kind with this code, if any.
    ///
    /// ```
    /// use retention::ErrorKind;
    /// assert_eq!(ErrorKind::from_code("model.duplicate_id"), Some(ErrorKind::DuplicateId));
    /// assert_eq!(ErrorKind::from_code("model.nope"), None);
    /// ```
    pub fn from_code(code: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.iter().copied().find(|k| k.code() == code)
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

crate::codes::code_json_schema!(
    ErrorKind,
    "The kind of an input problem, with a stable machine code.\n\n\
     Codes are `area.snake_case_name` strings. They are part of the public contract: a \
     code is never renamed or reused once released. New kinds may be added in minor \
     releases."
);

impl Serialize for ErrorKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for ErrorKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        ErrorKind::from_code(&code)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown error code `{code}`")))
    }
}

/// Where in the input a problem sits, written the way a host developer would reach it:
/// `people[2].time_zone`, `weekly.monday[0]`.
///
/// The root path (the value itself) is the empty string. In JSON a path is that string.
///
/// ```
/// use retention::FieldPath;
/// let path = FieldPath::root().field("people").index(2).field("time_zone");
/// assert_eq!(path.to_string(), "people[2].time_zone");
/// assert_eq!(FieldPath::root().field("weekly").field("monday").index(0).as_str(), "weekly.monday[0]");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schemars",
    derive(schemars::JsonSchema),
    schemars(transform = crate::json_schema::prose_only)
)]
#[serde(transparent)]
pub struct FieldPath(String);

impl FieldPath {
    /// The path of the value itself.
    pub fn root() -> FieldPath {
        FieldPath(String::new())
    }

    /// This path followed by a named field.
    #[must_use]
    ///
    /// A name longer than [`QUOTE_MAX`] bytes (a map key read from a host's JSON) is cut
    /// to a prefix and `…`, so a path never echoes a huge input.
    pub fn field(&self, name: &str) -> FieldPath {
        let name_part = prefix(name, QUOTE_MAX);
        let mut s = String::with_capacity(self.0.len() + 4 + name_part.len());
        s.push_str(&self.0);
        if !s.is_empty() {
            s.push('.');
        }
        s.push_str(name_part);
        if name_part.len() < name.len() {
            s.push('…');
        }
        FieldPath(s)
    }

    /// This path followed by a list index.
    #[must_use]
    pub fn index(&self, i: usize) -> FieldPath {
        FieldPath(format!("{}[{i}]", self.0))
    }

    /// The path as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is the root path.
    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }

    /// `prefix` followed by this path (used when a value nested in a larger one is checked
    /// on its own, then reported in place).
    #[must_use]
    pub fn under(&self, prefix: &FieldPath) -> FieldPath {
        match (prefix.is_root(), self.is_root()) {
            (true, _) => self.clone(),
            (false, true) => prefix.clone(),
            (false, false) if self.0.starts_with('[') => {
                FieldPath(format!("{}{}", prefix.0, self.0))
            }
            (false, false) => FieldPath(format!("{}.{}", prefix.0, self.0)),
        }
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One problem with the input: its kind (and stable code), where it is, and a sentence.
///
/// In JSON: `{"code": "calendar.interval_reversed", "path": "weekly.monday[0]",
/// "message": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Problem {
    /// The stable machine code of the problem's kind.
    #[serde(rename = "code")]
    kind: ErrorKind,
    /// The path of the offending field (the empty string for the value itself).
    path: FieldPath,
    /// A sentence for people.
    message: String,
}

impl Problem {
    /// A problem of `kind` at `path`, explained by `message`.
    ///
    /// Text is bounded, so an error never echoes a huge input back: a value quoted in
    /// the message (between backticks or double quotes) longer than [`QUOTE_MAX`] bytes
    /// is cut to its first bytes and its length, and a message longer than
    /// [`MESSAGE_MAX`] bytes is cut the same way.
    ///
    /// ```
    /// use retention::{ErrorKind, FieldPath, Problem};
    /// let zone = "Mars/".repeat(1000);
    /// let p = Problem::new(
    ///     ErrorKind::UnknownTimeZone,
    ///     FieldPath::root().field("time_zone"),
    ///     format!("`{zone}` is not an IANA time-zone name"),
    /// );
    /// assert!(p.message().len() < 200);
    /// assert!(p.message().starts_with("`Mars/Mars/"));
    /// assert!(p.message().contains("(5000 bytes)"));
    /// ```
    pub fn new(kind: ErrorKind, path: FieldPath, message: impl Into<String>) -> Problem {
        Problem {
            kind,
            path,
            message: bounded(message.into()),
        }
    }

    /// The kind of problem.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The stable machine code, such as `calendar.intervals_overlap`.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// The path of the offending field.
    pub fn path(&self) -> &FieldPath {
        &self.path
    }

    /// A sentence for people.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_root() {
            write!(f, "{}: {}", self.kind.code(), self.message)
        } else {
            write!(
                f,
                "{} at `{}`: {}",
                self.kind.code(),
                self.path,
                self.message
            )
        }
    }
}

/// The crate's error: the input could not be used. Holds every problem found, at least one.
///
/// [`kind`](Error::kind), [`code`](Error::code) and [`path`](Error::path) describe the
/// first problem; [`problems`](Error::problems) lists them all in the order of the input.
/// Serializes as `{"problems": [...]}`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, thiserror::Error)]
// `RetentionError` in the schema: `Error` is a TypeScript global.
#[cfg_attr(
    feature = "schemars",
    derive(schemars::JsonSchema),
    schemars(rename = "RetentionError")
)]
#[serde(try_from = "ErrorRepr", into = "ErrorRepr")]
#[error("{}{}", .problems[0], more(.problems.len()))]
pub struct Error {
    problems: Vec<Problem>,
}

fn more(n: usize) -> String {
    match n {
        0 | 1 => String::new(),
        2 => " (and 1 more problem)".to_string(),
        _ => format!(" (and {} more problems)", n - 1),
    }
}

#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
struct ErrorRepr {
    /// Every problem found, in the order of the input; at least one.
    #[cfg_attr(feature = "schemars", schemars(length(min = 1)))]
    problems: Vec<Problem>,
}

impl TryFrom<ErrorRepr> for Error {
    type Error = &'static str;
    fn try_from(r: ErrorRepr) -> Result<Self, Self::Error> {
        if r.problems.is_empty() {
            Err("an error holds at least one problem")
        } else {
            Ok(Error {
                problems: r.problems,
            })
        }
    }
}

impl From<Error> for ErrorRepr {
    fn from(e: Error) -> Self {
        ErrorRepr {
            problems: e.problems,
        }
    }
}

impl From<Problem> for Error {
    fn from(p: Problem) -> Self {
        Error { problems: vec![p] }
    }
}

impl Error {
    /// An error with a single problem.
    pub fn new(kind: ErrorKind, path: FieldPath, message: impl Into<String>) -> Error {
        Problem::new(kind, path, message).into()
    }

    /// The kind of the first problem.
    pub fn kind(&self) -> ErrorKind {
        self.problems[0].kind
    }

    /// The stable code of the first problem.
    pub fn code(&self) -> &'static str {
        self.problems[0].kind.code()
    }

    /// Each problem's code and path, in order: what the crate's unit tests compare.
    #[cfg(test)]
    pub(crate) fn codes_and_paths(&self) -> Vec<(&'static str, String)> {
        self.problems
            .iter()
            .map(|p| (p.code(), p.path().to_string()))
            .collect()
    }

    /// The path of the first problem.
    pub fn path(&self) -> &FieldPath {
        &self.problems[0].path
    }

    /// Every problem found, in input order. Never empty.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// The same error with each path's leading field `from` named `to`.
    #[must_use]
    pub(crate) fn renamed(mut self, from: &str, to: &str) -> Error {
        for p in &mut self.problems {
            p.path = p.path.renamed(from, to);
        }
        self
    }

    /// The same error with every path placed under `prefix` (`time_zone` under
    /// `people[2]` becomes `people[2].time_zone`).
    #[must_use]
    pub fn under(mut self, prefix: &FieldPath) -> Error {
        for p in &mut self.problems {
            p.path = p.path.under(prefix);
        }
        self
    }
}

impl FieldPath {
    /// The same path with a leading field `from` named `to` (`events[3].at` to
    /// `promise_events[3].at`): an engine's report placed in a larger record.
    pub(crate) fn renamed(&self, from: &str, to: &str) -> FieldPath {
        match self.0.strip_prefix(from) {
            Some(rest) if rest.is_empty() || rest.starts_with(['[', '.']) => {
                FieldPath(format!("{to}{rest}"))
            }
            _ => self.clone(),
        }
    }

    /// The same path with the index right after a leading `list` moved up by `by`
    /// (`accounts[3].cadence` by 4,096 is `accounts[4099].cadence`): a report made for
    /// a part of a list, placed in the whole list. Other paths are returned unchanged.
    #[cfg(feature = "rayon")]
    pub(crate) fn shifted(&self, list: &str, by: usize) -> FieldPath {
        let shifted = self
            .0
            .strip_prefix(list)
            .and_then(|rest| rest.strip_prefix('['))
            .and_then(|rest| {
                let (digits, tail) = rest.split_once(']')?;
                let i: usize = digits.parse().ok()?;
                Some(format!("{list}[{}]{tail}", i.checked_add(by)?))
            });
        shifted.map_or_else(|| self.clone(), FieldPath)
    }
}

/// The most bytes of a value quoted in a problem's message (an id, a name, a time-zone
/// name, an enum value); a longer one is cut to a prefix and its length.
pub const QUOTE_MAX: usize = 64;

/// The most bytes of a problem's message; a longer one is cut to a prefix and its length.
pub const MESSAGE_MAX: usize = 1024;

/// `s` cut to at most `max` bytes on a character boundary.
pub(crate) fn prefix(s: &str, max: usize) -> &str {
    let mut end = max.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// A message with every quoted value over [`QUOTE_MAX`] bytes cut to a prefix and its
/// length, and the whole over [`MESSAGE_MAX`] bytes cut the same way. A message too
/// short to hold a long value is returned as it is.
fn bounded(message: String) -> String {
    if message.len() <= QUOTE_MAX {
        return message;
    }
    let mut out = String::with_capacity(MESSAGE_MAX.min(message.len()) + 32);
    let mut rest = message.as_str();
    while let Some(open) = rest.find(['`', '"']) {
        let quote = &rest[open..open + 1];
        out.push_str(&rest[..=open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find(quote) else {
            rest = after;
            break;
        };
        let value = &after[..close];
        if value.len() > QUOTE_MAX {
            out.push_str(prefix(value, QUOTE_MAX - 16));
            out.push('…');
            out.push_str(quote);
            out.push_str(&format!(" ({} bytes)", value.len()));
        } else {
            out.push_str(value);
            out.push_str(quote);
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    if out.len() > MESSAGE_MAX {
        let total = out.len();
        let mut cut = prefix(&out, MESSAGE_MAX - 32).to_owned();
        cut.push_str(&format!("… ({total} bytes)"));
        out = cut;
    }
    out
}

/// Collects problems during validation so every one is reported, not just the first.
#[derive(Debug, Default)]
pub(crate) struct Problems(Vec<Problem>);

impl Problems {
    pub(crate) fn new() -> Problems {
        Problems(Vec::new())
    }

    pub(crate) fn push(&mut self, kind: ErrorKind, path: FieldPath, message: impl Into<String>) {
        self.0.push(Problem::new(kind, path, message));
    }

    /// Adds every problem another collector holds, after this one's.
    pub(crate) fn append(&mut self, other: Problems) {
        self.0.extend(other.0);
    }

    /// Adds every problem of a check that failed.
    pub(crate) fn absorb(&mut self, checked: Result<(), Error>) {
        if let Err(e) = checked {
            self.0.extend(e.problems);
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// How many problems have been collected so far.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// Places the paths of every problem collected since `start` under `prefix`: an item
    /// of a list is checked with paths relative to itself, and only an item that has a
    /// problem pays for building its `people[2]` prefix.
    #[inline]
    pub(crate) fn place_since(&mut self, start: usize, prefix: impl FnOnce() -> FieldPath) {
        if let Some(tail) = self.0.get_mut(start..).filter(|t| !t.is_empty()) {
            let prefix = prefix();
            for p in tail {
                p.path = p.path.under(&prefix);
            }
        }
    }

    /// Runs a check that pushes into a fresh collector, and finishes it.
    pub(crate) fn collect(check: impl FnOnce(&mut Problems)) -> Result<(), Error> {
        let mut problems = Problems::new();
        check(&mut problems);
        problems.finish()
    }

    pub(crate) fn finish(self) -> Result<(), Error> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Error { problems: self.0 })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_quote_long_values_by_their_first_bytes_and_length() {
        let short = "`America/Chicgo` is not an IANA time-zone name".to_owned();
        assert_eq!(bounded(short.clone()), short);
        let zone = "é".repeat(10_000); // two bytes a character: cuts land on a boundary
        let m = bounded(format!("`{zone}` is not an IANA time-zone name"));
        assert!(
            m.starts_with("`éé") && m.ends_with("…` (20000 bytes) is not an IANA time-zone name"),
            "{m}"
        );
        assert!(m.len() < 2 * QUOTE_MAX);
        // serde quotes strings with double quotes; several quotes are each bounded.
        let v = "x".repeat(500);
        let m = bounded(format!(
            "invalid type: string \"{v}\", expected `{v}` or `ok`"
        ));
        assert!(
            m.contains("(500 bytes), expected `xx") && m.ends_with("` (500 bytes) or `ok`"),
            "{m}"
        );
        // An unmatched quote and a long unquoted text are cut as a whole.
        let m = bounded(format!("it's `{}", "y".repeat(5_000)));
        assert!(m.len() <= MESSAGE_MAX && m.ends_with("(5006 bytes)"), "{m}");
        let p = FieldPath::root()
            .field("accounts")
            .field(&"k".repeat(1_000));
        assert_eq!(p.as_str(), format!("accounts.{}…", "k".repeat(QUOTE_MAX)));
    }

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for k in ErrorKind::ALL {
            assert!(seen.insert(k.code()), "duplicate code {}", k.code());
            assert_eq!(ErrorKind::from_code(k.code()), Some(*k));
            let (area, name) = k.code().split_once('.').expect("area.name");
            assert!(!area.is_empty() && !name.is_empty());
            assert!(
                k.code()
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c == '.')
            );
        }
    }

    #[test]
    fn display_names_code_path_and_count() {
        let mut p = Problems::new();
        p.push(
            ErrorKind::InvalidBirthday,
            FieldPath::root().field("people").index(2).field("birthday"),
            "30 February is not a date",
        );
        p.push(ErrorKind::EmptyId, FieldPath::root().field("id"), "empty");
        let e = p.finish().unwrap_err();
        assert_eq!(
            e.to_string(),
            "model.invalid_birthday at `people[2].birthday`: 30 February is not a date (and 1 more problem)"
        );
        assert_eq!(e.problems().len(), 2);
    }

    #[test]
    fn under_prefixes_paths() {
        let e = Error::new(ErrorKind::EmptyId, FieldPath::root().field("id"), "empty")
            .under(&FieldPath::root().field("people").index(3));
        assert_eq!(e.path().as_str(), "people[3].id");
        let e = Error::new(ErrorKind::EmptyId, FieldPath::root(), "x")
            .under(&FieldPath::root().field("id"));
        assert_eq!(e.path().as_str(), "id");
    }
}
