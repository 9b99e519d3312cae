//! The risk policy: how much each signal weighs, when it starts and when it is full or
//! critical, and where the bands lie. Serde, with the practice's defaults, checked when
//! a [`Scorer`](super::Scorer) is built.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, FieldPath, Problems};
use crate::model::Span;

/// The most recent unanswered follow-up attempts tracked per customer; thresholds on
/// them may not exceed it.
pub const MAX_TRACKED_FOLLOW_UPS: u32 = 8;

/// The points each signal adds to the score at full strength (0 turns a signal off).
/// The score is capped at 100, so the weights may add up to more: several strong
/// signals together reach 100 sooner. In JSON: `{"silence": 30, "unhappy_survey": 30,
/// ...}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct Weights {
    /// `risk.silence` (K1).
    pub silence: u32,
    /// `risk.falling_frequency` (K1).
    pub falling_frequency: u32,
    /// `risk.unhappy_survey` (K2).
    pub unhappy_survey: u32,
    /// `risk.unanswered_follow_up` (K2).
    pub unanswered_follow_up: u32,
    /// `risk.neglect` (K3).
    pub neglect: u32,
    /// `risk.broken_promises` (K5).
    pub broken_promises: u32,
    /// `risk.slow_callbacks` (K5).
    pub slow_callbacks: u32,
    /// `risk.hanging_orders` (O4).
    pub hanging_orders: u32,
    /// `risk.single_threaded` (C3).
    pub single_threaded: u32,
    /// `risk.no_next_service` (C8).
    pub no_next_service: u32,
    /// `risk.low_p_alive` (K4).
    pub low_p_alive: u32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            silence: 30,
            falling_frequency: 15,
            unhappy_survey: 30,
            unanswered_follow_up: 25,
            neglect: 15,
            broken_promises: 20,
            slow_callbacks: 10,
            hanging_orders: 10,
            single_threaded: 10,
            no_next_service: 10,
            low_p_alive: 25,
        }
    }
}

impl Weights {
    pub(crate) fn as_array(&self) -> [(&'static str, u32); 11] {
        [
            ("silence", self.silence),
            ("falling_frequency", self.falling_frequency),
            ("unhappy_survey", self.unhappy_survey),
            ("unanswered_follow_up", self.unanswered_follow_up),
            ("neglect", self.neglect),
            ("broken_promises", self.broken_promises),
            ("slow_callbacks", self.slow_callbacks),
            ("hanging_orders", self.hanging_orders),
            ("single_threaded", self.single_threaded),
            ("no_next_service", self.no_next_service),
            ("low_p_alive", self.low_p_alive),
        ]
    }
}

/// The score bands: healthy below `watch_from`, then watch, at risk, critical. In JSON:
/// `{"watch_from": 25, "at_risk_from": 50, "critical_from": 75}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct Bands {
    /// The lowest score in the watch band.
    pub watch_from: u8,
    /// The lowest score in the at-risk band.
    pub at_risk_from: u8,
    /// The lowest score in the critical band.
    pub critical_from: u8,
}

impl Default for Bands {
    fn default() -> Self {
        Bands {
            watch_from: 25,
            at_risk_from: 50,
            critical_from: 75,
        }
    }
}

/// The whole risk policy. Every field has the practice's default, so `{}` is a valid
/// policy; a host overrides what its business does differently.
///
/// ```json
/// {
///   "weights": {"silence": 30, "unhappy_survey": 30},
///   "silence_starts_at": 1.5, "silence_full_at": 4.0, "silence_critical_at": 3.0,
///   "rhythm_unknown": {"days": 90},
///   "bands": {"watch_from": 25, "at_risk_from": 50, "critical_from": 75}
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default, from = "RiskPolicyWire")]
pub struct RiskPolicy {
    /// Points per signal at full strength.
    pub weights: Weights,
    /// Silence (K1) starts to count when the time since the customer's last contact
    /// reaches this multiple of their usual gap between contacts.
    pub silence_starts_at: f64,
    /// ... and is at full strength at this multiple.
    pub silence_full_at: f64,
    /// ... and is critical from this multiple.
    pub silence_critical_at: f64,
    /// The contacts needed before a customer's own rhythm is trusted (at least 2).
    pub rhythm_min_contacts: u32,
    /// The usual gap assumed for a customer with too few contacts to have a rhythm.
    pub rhythm_unknown: Span,
    /// The shortest usual gap: three calls on one day are not a customer who calls
    /// daily.
    pub rhythm_floor: Span,
    /// A new customer (known for less than this) without a rhythm of their own is not
    /// judged silent against an assumed one (default 90 days).
    pub cold_start: Span,
    /// Referrals (K6): the share of the accounts it referred's annual value that an
    /// account's value at risk includes (default 0.5; 0 leaves referrals out).
    pub referral_share: f64,
    /// The recent window for falling frequency (K1).
    pub recent_window: Span,
    /// The baseline window just before the recent one.
    pub baseline_window: Span,
    /// The contacts the customer's baseline rate must predict for the recent window
    /// before a drop is judged (fewer, and an empty window is ordinary chance).
    pub frequency_min_expected: u32,
    /// The drop (percent below the baseline rate) at which falling frequency starts to
    /// count; it is full at a drop of 100 %.
    pub frequency_drop_starts_at: u8,
    /// How far back unhappy survey answers count (K2).
    pub survey_lookback: Span,
    /// Unhappy answers in the lookback for full strength.
    pub unhappy_surveys_full_at: u32,
    /// How far back unanswered follow-up attempts count (K2).
    pub follow_up_lookback: Span,
    /// Unanswered attempts for full strength (at most 8).
    pub follow_ups_full_at: u32,
    /// Unanswered attempts that make the signal critical (at most 8).
    pub follow_ups_critical_at: u32,
    /// Overdue contact obligations for full neglect strength (K3).
    pub overdue_full_at: u32,
    /// How long the worst obligation is overdue for full strength (default 30 days).
    pub worst_overdue_full_at: Span,
    /// How long the worst obligation is overdue that makes neglect critical (default 60
    /// days).
    pub worst_overdue_critical_at: Span,
    /// Broken promises for full strength (K5).
    pub broken_promises_full_at: u32,
    /// Broken promises that make the signal critical.
    pub broken_promises_critical_at: u32,
    /// Slow callbacks for full strength (K5).
    pub slow_callbacks_full_at: u32,
    /// Hanging or partially complete orders for full strength (O4).
    pub hanging_orders_full_at: u32,
    /// Contacts needed before a relationship with only one person counts (C3).
    pub single_thread_min_contacts: u32,
    /// P(alive) below which the statistical signal starts (full at 0).
    pub p_alive_starts_below: f64,
    /// P(alive) below which the signal is critical.
    pub p_alive_critical_below: f64,
    /// The score bands.
    pub bands: Bands,
    /// A change in score of at most this many points against the previous score is
    /// "steady".
    pub trend_steady_within: u8,
    /// A quiet customer whose expected value is at least this amount (in the book's
    /// currency) gets a visit rather than a call. `null` for always a call.
    pub visit_value_at_least: Option<Decimal>,
    /// The horizon of a customer's expected future value, in the purchase model's time
    /// unit (52 = a year in weeks).
    pub value_horizon: f64,
}

/// The risk policy as a book reads it: the new names, or the integer day thresholds of
/// `schema_version` 1 and 2 (`overdue_days_full_at: 30` reads as
/// `worst_overdue_full_at: {"days": 30}`; given both, the new name wins).
#[derive(Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
struct RiskPolicyWire {
    /// Points per signal at full strength.
    weights: Weights,
    /// Silence (K1) starts to count when the time since the customer's last contact
    /// reaches this multiple of their usual gap between contacts.
    silence_starts_at: f64,
    /// ... and is at full strength at this multiple.
    silence_full_at: f64,
    /// ... and is critical from this multiple.
    silence_critical_at: f64,
    /// The contacts needed before a customer's own rhythm is trusted (at least 2).
    rhythm_min_contacts: u32,
    /// The usual gap assumed for a customer with too few contacts to have a rhythm.
    rhythm_unknown: Span,
    /// The shortest usual gap: three calls on one day are not a customer who calls
    /// daily.
    rhythm_floor: Span,
    /// A new customer (known for less than this) without a rhythm of their own is not
    /// judged silent against an assumed one (default 90 days).
    cold_start: Span,
    /// Referrals (K6): the share of the accounts it referred's annual value that an
    /// account's value at risk includes (default 0.5; 0 leaves referrals out).
    referral_share: f64,
    /// The recent window for falling frequency (K1).
    recent_window: Span,
    /// The baseline window just before the recent one.
    baseline_window: Span,
    /// The contacts the customer's baseline rate must predict for the recent window
    /// before a drop is judged (fewer, and an empty window is ordinary chance).
    frequency_min_expected: u32,
    /// The drop (percent below the baseline rate) at which falling frequency starts to
    /// count; it is full at a drop of 100 %.
    frequency_drop_starts_at: u8,
    /// How far back unhappy survey answers count (K2).
    survey_lookback: Span,
    /// Unhappy answers in the lookback for full strength.
    unhappy_surveys_full_at: u32,
    /// How far back unanswered follow-up attempts count (K2).
    follow_up_lookback: Span,
    /// Unanswered attempts for full strength (at most 8).
    follow_ups_full_at: u32,
    /// Unanswered attempts that make the signal critical (at most 8).
    follow_ups_critical_at: u32,
    /// Overdue contact obligations for full neglect strength (K3).
    overdue_full_at: u32,
    /// How long the worst obligation is overdue for full strength (default 30 days).
    #[serde(deserialize_with = "crate::model::some_span")]
    #[cfg_attr(feature = "schemars", schemars(with = "Span", extend("default" = {"days": 30})))]
    worst_overdue_full_at: Option<Span>,
    /// How long the worst obligation is overdue that makes neglect critical (default 60
    /// days).
    #[serde(deserialize_with = "crate::model::some_span")]
    #[cfg_attr(feature = "schemars", schemars(with = "Span", extend("default" = {"days": 60})))]
    worst_overdue_critical_at: Option<Span>,
    /// Broken promises for full strength (K5).
    broken_promises_full_at: u32,
    /// Broken promises that make the signal critical.
    broken_promises_critical_at: u32,
    /// Slow callbacks for full strength (K5).
    slow_callbacks_full_at: u32,
    /// Hanging or partially complete orders for full strength (O4).
    hanging_orders_full_at: u32,
    /// Contacts needed before a relationship with only one person counts (C3).
    single_thread_min_contacts: u32,
    /// P(alive) below which the statistical signal starts (full at 0).
    p_alive_starts_below: f64,
    /// P(alive) below which the signal is critical.
    p_alive_critical_below: f64,
    /// The score bands.
    bands: Bands,
    /// A change in score of at most this many points against the previous score is
    /// "steady".
    trend_steady_within: u8,
    /// A quiet customer whose expected value is at least this amount (in the book's
    /// currency) gets a visit rather than a call. `null` for always a call.
    visit_value_at_least: Option<Decimal>,
    /// The horizon of a customer's expected future value, in the purchase model's time
    /// unit (52 = a year in weeks).
    value_horizon: f64,
    /// Deprecated (`schema_version` 1 and 2): `worst_overdue_full_at` in days.
    #[cfg_attr(feature = "schemars", schemars(extend("deprecated" = true)))]
    overdue_days_full_at: Option<u32>,
    /// Deprecated (`schema_version` 1 and 2): `worst_overdue_critical_at` in days.
    #[cfg_attr(feature = "schemars", schemars(extend("deprecated" = true)))]
    overdue_days_critical_at: Option<u32>,
}

/// Renames the old day thresholds of a risk policy's JSON to the new spans, in place
/// (see [`upgrade_old_count`](crate::model::upgrade_old_count)): for a segment's overlay.
pub(crate) fn upgrade_old_names(policy: &mut serde_json::Value) {
    for (old, new) in [
        ("overdue_days_full_at", "worst_overdue_full_at"),
        ("overdue_days_critical_at", "worst_overdue_critical_at"),
    ] {
        crate::model::upgrade_old_count(policy, old, new, "days");
    }
}

impl Default for RiskPolicyWire {
    fn default() -> Self {
        let d = RiskPolicy::default();
        RiskPolicyWire {
            weights: d.weights,
            silence_starts_at: d.silence_starts_at,
            silence_full_at: d.silence_full_at,
            silence_critical_at: d.silence_critical_at,
            rhythm_min_contacts: d.rhythm_min_contacts,
            rhythm_unknown: d.rhythm_unknown,
            rhythm_floor: d.rhythm_floor,
            cold_start: d.cold_start,
            referral_share: d.referral_share,
            recent_window: d.recent_window,
            baseline_window: d.baseline_window,
            frequency_min_expected: d.frequency_min_expected,
            frequency_drop_starts_at: d.frequency_drop_starts_at,
            survey_lookback: d.survey_lookback,
            unhappy_surveys_full_at: d.unhappy_surveys_full_at,
            follow_up_lookback: d.follow_up_lookback,
            follow_ups_full_at: d.follow_ups_full_at,
            follow_ups_critical_at: d.follow_ups_critical_at,
            overdue_full_at: d.overdue_full_at,
            worst_overdue_full_at: None,
            worst_overdue_critical_at: None,
            broken_promises_full_at: d.broken_promises_full_at,
            broken_promises_critical_at: d.broken_promises_critical_at,
            slow_callbacks_full_at: d.slow_callbacks_full_at,
            hanging_orders_full_at: d.hanging_orders_full_at,
            single_thread_min_contacts: d.single_thread_min_contacts,
            p_alive_starts_below: d.p_alive_starts_below,
            p_alive_critical_below: d.p_alive_critical_below,
            bands: d.bands,
            trend_steady_within: d.trend_steady_within,
            visit_value_at_least: d.visit_value_at_least,
            value_horizon: d.value_horizon,
            overdue_days_full_at: None,
            overdue_days_critical_at: None,
        }
    }
}

impl From<RiskPolicyWire> for RiskPolicy {
    fn from(w: RiskPolicyWire) -> Self {
        let d = RiskPolicy::default();
        let days = |new: Option<Span>, old: Option<u32>, default: Span| {
            new.or(old.map(Span::Days)).unwrap_or(default)
        };
        RiskPolicy {
            weights: w.weights,
            silence_starts_at: w.silence_starts_at,
            silence_full_at: w.silence_full_at,
            silence_critical_at: w.silence_critical_at,
            rhythm_min_contacts: w.rhythm_min_contacts,
            rhythm_unknown: w.rhythm_unknown,
            rhythm_floor: w.rhythm_floor,
            cold_start: w.cold_start,
            referral_share: w.referral_share,
            recent_window: w.recent_window,
            baseline_window: w.baseline_window,
            frequency_min_expected: w.frequency_min_expected,
            frequency_drop_starts_at: w.frequency_drop_starts_at,
            survey_lookback: w.survey_lookback,
            unhappy_surveys_full_at: w.unhappy_surveys_full_at,
            follow_up_lookback: w.follow_up_lookback,
            follow_ups_full_at: w.follow_ups_full_at,
            follow_ups_critical_at: w.follow_ups_critical_at,
            overdue_full_at: w.overdue_full_at,
            broken_promises_full_at: w.broken_promises_full_at,
            broken_promises_critical_at: w.broken_promises_critical_at,
            slow_callbacks_full_at: w.slow_callbacks_full_at,
            hanging_orders_full_at: w.hanging_orders_full_at,
            single_thread_min_contacts: w.single_thread_min_contacts,
            p_alive_starts_below: w.p_alive_starts_below,
            p_alive_critical_below: w.p_alive_critical_below,
            bands: w.bands,
            trend_steady_within: w.trend_steady_within,
            visit_value_at_least: w.visit_value_at_least,
            value_horizon: w.value_horizon,
            worst_overdue_full_at: days(
                w.worst_overdue_full_at,
                w.overdue_days_full_at,
                d.worst_overdue_full_at,
            ),
            worst_overdue_critical_at: days(
                w.worst_overdue_critical_at,
                w.overdue_days_critical_at,
                d.worst_overdue_critical_at,
            ),
        }
    }
}

impl Default for RiskPolicy {
    fn default() -> Self {
        RiskPolicy {
            weights: Weights::default(),
            silence_starts_at: 1.5,
            silence_full_at: 4.0,
            silence_critical_at: 3.0,
            rhythm_min_contacts: 3,
            rhythm_unknown: Span::Days(90),
            rhythm_floor: Span::Days(7),
            cold_start: Span::Days(90),
            referral_share: 0.5,
            recent_window: Span::Days(90),
            baseline_window: Span::Days(365),
            frequency_min_expected: 3,
            frequency_drop_starts_at: 50,
            survey_lookback: Span::Days(180),
            unhappy_surveys_full_at: 2,
            follow_up_lookback: Span::Days(60),
            follow_ups_full_at: 3,
            follow_ups_critical_at: 2,
            overdue_full_at: 3,
            worst_overdue_full_at: Span::Days(30),
            worst_overdue_critical_at: Span::Days(60),
            broken_promises_full_at: 3,
            broken_promises_critical_at: 2,
            slow_callbacks_full_at: 3,
            hanging_orders_full_at: 2,
            single_thread_min_contacts: 5,
            p_alive_starts_below: 0.5,
            p_alive_critical_below: 0.1,
            bands: Bands::default(),
            trend_steady_within: 5,
            visit_value_at_least: Some(Decimal::from(2_500)),
            value_horizon: 52.0,
        }
    }
}

impl RiskPolicy {
    /// The customer rhythm this policy judges silence by (K1), shared with the cadence
    /// planner's quiet-customer escalation: see [`Rhythm`](crate::model::Rhythm).
    ///
    /// ```
    /// use retention::model::Rhythm;
    /// use retention::risk::RiskPolicy;
    /// assert_eq!(RiskPolicy::default().rhythm(), Rhythm::default());
    /// ```
    pub fn rhythm(&self) -> crate::model::Rhythm {
        crate::model::Rhythm {
            min_contacts: self.rhythm_min_contacts,
            unknown: self.rhythm_unknown.length(),
            floor: self.rhythm_floor.length(),
            quiet_at: self.silence_starts_at,
            cold_start: self.cold_start.length(),
        }
    }

    /// Checks the policy; every problem is reported at once.
    ///
    /// # Errors
    /// `model.span_not_fixed` (months or business days in a window, lookback or rhythm
    /// span: each is a fixed length),
    /// `risk.invalid_weight` (`weights.<signal>` above 100, or `weights` when all are 0),
    /// `risk.invalid_threshold` (a ratio, count, span, probability or horizon out of
    /// range or out of order, at its field), `risk.bands_out_of_order` (`bands`).
    pub fn validate(&self) -> Result<(), Error> {
        Problems::collect(|p| self.check(p))
    }

    fn check(&self, p: &mut Problems) {
        let root = FieldPath::root();
        for (name, span) in [
            ("rhythm_unknown", self.rhythm_unknown),
            ("rhythm_floor", self.rhythm_floor),
            ("cold_start", self.cold_start),
            ("recent_window", self.recent_window),
            ("baseline_window", self.baseline_window),
            ("survey_lookback", self.survey_lookback),
            ("follow_up_lookback", self.follow_up_lookback),
            ("worst_overdue_full_at", self.worst_overdue_full_at),
            ("worst_overdue_critical_at", self.worst_overdue_critical_at),
        ] {
            crate::model::check_fixed(span, root.field(name), p);
        }
        if self.worst_overdue_full_at.is_fixed() && self.worst_overdue_full_at.is_zero() {
            p.push(
                ErrorKind::RiskInvalidThreshold,
                root.field("worst_overdue_full_at"),
                "must be longer than zero",
            );
        }
        let weights = self.weights.as_array();
        for (name, w) in weights {
            if w > 100 {
                p.push(
                    ErrorKind::RiskInvalidWeight,
                    root.field("weights").field(name),
                    format!("the weight {w} is above 100 points"),
                );
            }
        }
        if weights.iter().all(|(_, w)| *w == 0) {
            p.push(
                ErrorKind::RiskInvalidWeight,
                root.field("weights"),
                "every weight is 0: no signal could ever score",
            );
        }
        let mut bad = |field: &str, why: String| {
            p.push(ErrorKind::RiskInvalidThreshold, root.field(field), why);
        };
        let (s0, s1, sc) = (
            self.silence_starts_at,
            self.silence_full_at,
            self.silence_critical_at,
        );
        if !(s0.is_finite() && s0 >= 1.0) {
            bad(
                "silence_starts_at",
                format!("{s0} is not a finite multiple of 1 or more"),
            );
        } else if !(s1.is_finite() && s1 > s0) {
            bad(
                "silence_full_at",
                format!("{s1} is not above silence_starts_at ({s0})"),
            );
        }
        if !(sc.is_finite() && sc >= 1.0) {
            bad(
                "silence_critical_at",
                format!("{sc} is not a finite multiple of 1 or more"),
            );
        }
        if self.rhythm_min_contacts < 2 {
            bad(
                "rhythm_min_contacts",
                format!(
                    "{} contacts cannot show a rhythm; at least 2",
                    self.rhythm_min_contacts
                ),
            );
        }
        for (field, span) in [
            ("rhythm_unknown", self.rhythm_unknown),
            ("rhythm_floor", self.rhythm_floor),
            ("recent_window", self.recent_window),
            ("baseline_window", self.baseline_window),
            ("survey_lookback", self.survey_lookback),
            ("follow_up_lookback", self.follow_up_lookback),
        ] {
            if span.is_zero() {
                bad(field, "the span is empty".into());
            }
        }
        if !(self.referral_share.is_finite() && (0.0..=1.0).contains(&self.referral_share)) {
            bad(
                "referral_share",
                format!("{} is not a share between 0 and 1", self.referral_share),
            );
        }
        if !(1..=99).contains(&self.frequency_drop_starts_at) {
            bad(
                "frequency_drop_starts_at",
                format!(
                    "{} % is not between 1 and 99",
                    self.frequency_drop_starts_at
                ),
            );
        }
        for (field, v) in [
            ("unhappy_surveys_full_at", self.unhappy_surveys_full_at),
            ("overdue_full_at", self.overdue_full_at),
            ("broken_promises_full_at", self.broken_promises_full_at),
            (
                "broken_promises_critical_at",
                self.broken_promises_critical_at,
            ),
            ("slow_callbacks_full_at", self.slow_callbacks_full_at),
            ("hanging_orders_full_at", self.hanging_orders_full_at),
            ("frequency_min_expected", self.frequency_min_expected),
            (
                "single_thread_min_contacts",
                self.single_thread_min_contacts,
            ),
        ] {
            if v == 0 {
                bad(field, "must be at least 1".into());
            }
        }
        for (field, v) in [
            ("follow_ups_full_at", self.follow_ups_full_at),
            ("follow_ups_critical_at", self.follow_ups_critical_at),
        ] {
            if v == 0 || v > MAX_TRACKED_FOLLOW_UPS {
                bad(
                    field,
                    format!("{v} is not between 1 and {MAX_TRACKED_FOLLOW_UPS}"),
                );
            }
        }
        let (pa, pc) = (self.p_alive_starts_below, self.p_alive_critical_below);
        if !(pa > 0.0 && pa <= 1.0) {
            bad(
                "p_alive_starts_below",
                format!("{pa} is not a probability above 0"),
            );
        }
        if !(0.0..=1.0).contains(&pc) {
            bad(
                "p_alive_critical_below",
                format!("{pc} is not a probability"),
            );
        }
        if !(self.value_horizon.is_finite() && self.value_horizon > 0.0) {
            bad(
                "value_horizon",
                format!("{} is not a finite length above 0", self.value_horizon),
            );
        }
        if let Some(v) = self.visit_value_at_least.filter(|v| *v < Decimal::ZERO) {
            bad("visit_value_at_least", format!("{v} is negative"));
        }
        if self.trend_steady_within > 100 {
            bad(
                "trend_steady_within",
                format!(
                    "{} points is more than the whole scale",
                    self.trend_steady_within
                ),
            );
        }
        let b = self.bands;
        if !(1 <= b.watch_from
            && b.watch_from < b.at_risk_from
            && b.at_risk_from < b.critical_from
            && b.critical_from <= 100)
        {
            p.push(
                ErrorKind::RiskBandsOutOfOrder,
                root.field("bands"),
                format!(
                    "the bands must rise strictly within 1..=100: watch {}, at risk {}, critical {}",
                    b.watch_from, b.at_risk_from, b.critical_from
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_policy_is_valid_and_reads_from_empty_json() {
        RiskPolicy::default().validate().unwrap();
        let p: RiskPolicy = serde_json::from_str("{}").unwrap();
        assert_eq!(p, RiskPolicy::default());
        let back: RiskPolicy = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
        assert_eq!(back, p);
    }

    #[test]
    fn every_problem_is_reported_with_its_path() {
        let mut p = RiskPolicy::default();
        p.weights.silence = 101;
        p.silence_full_at = 1.0;
        p.bands.at_risk_from = 90;
        p.follow_ups_full_at = 9;
        let e = p.validate().unwrap_err();
        let got: Vec<_> = e
            .problems()
            .iter()
            .map(|x| (x.code(), x.path().to_string()))
            .collect();
        assert_eq!(
            got,
            [
                ("risk.invalid_weight", "weights.silence".to_string()),
                ("risk.invalid_threshold", "silence_full_at".to_string()),
                ("risk.invalid_threshold", "follow_ups_full_at".to_string()),
                ("risk.bands_out_of_order", "bands".to_string()),
            ]
        );
    }
}
