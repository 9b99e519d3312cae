//! The promise policy: how long an implicit callback may take, which clock each kind of
//! promise runs on, when to warn, and what "exceeding on occasion" means (P1-P6).

use serde::{Deserialize, Serialize};

use super::promise::PromiseKind;
use crate::error::{Error, ErrorKind, FieldPath, Problems};
use crate::model::Span;

/// Which clock a promise's deadline runs on. In JSON: `"business"` or `"calendar"`.
///
/// - **Business**: only the business's working time counts (the shared
///   [`BusinessCalendar`](crate::calendar::BusinessCalendar)): "a quote within 16
///   working hours" skips nights, weekends and holidays, and a pause costs only the working
///   time it covers.
/// - **Calendar**: every hour counts, as the customer lives it: "we'll call you back within
///   24 hours" means 24 hours on the wall clock, and a pause extends the deadline by its
///   whole wall-clock length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Clock {
    /// Working time of the business calendar.
    Business,
    /// Wall-clock time.
    Calendar,
}

impl Clock {
    /// `"business"` or `"calendar"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Clock::Business => "business",
            Clock::Calendar => "calendar",
        }
    }
}

crate::codes::display_as_str!(Clock);

/// The clock of each kind of promise (a promise may override it with its own `clock`).
///
/// Defaults: callbacks and arrival windows on the calendar clock (the customer waits in
/// real hours: P1's "24 hours"), quotes, completions, follow-ups and custom promises on
/// the business clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct KindClocks {
    /// Callbacks (P1).
    pub callback: Clock,
    /// Arrival windows.
    pub arrival_window: Clock,
    /// Quotes promised by a time.
    pub quote_by: Clock,
    /// Work promised complete by a time.
    pub completion_by: Clock,
    /// Follow-ups.
    pub follow_up: Clock,
    /// Custom promises.
    pub custom: Clock,
}

impl Default for KindClocks {
    fn default() -> Self {
        KindClocks {
            callback: Clock::Calendar,
            arrival_window: Clock::Calendar,
            quote_by: Clock::Business,
            completion_by: Clock::Business,
            follow_up: Clock::Business,
            custom: Clock::Business,
        }
    }
}

impl KindClocks {
    /// The clock for a kind of promise.
    pub fn of(&self, kind: &PromiseKind) -> Clock {
        match kind {
            PromiseKind::Callback => self.callback,
            PromiseKind::ArrivalWindow => self.arrival_window,
            PromiseKind::QuoteBy => self.quote_by,
            PromiseKind::CompletionBy => self.completion_by,
            PromiseKind::FollowUp => self.follow_up,
            PromiseKind::Custom { .. } => self.custom,
        }
    }
}

/// A band of percentages, both ends included: `{"low": 5, "high": 25}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PercentBand {
    /// Lowest percentage in the band.
    pub low: u8,
    /// Highest percentage in the band.
    pub high: u8,
}

impl PercentBand {
    /// The band `[low, high]`.
    pub fn new(low: u8, high: u8) -> PercentBand {
        PercentBand { low, high }
    }
}

/// The promise policy. Every field has the practice's default, so `{}` is a valid policy.
///
/// ```json
/// {
///   "callback_within": {"hours": 24},
///   "callback_wait_limit": {"hours": 24},
///   "promised_call_tolerance": {"minutes": 15},
///   "clocks": {"callback": "calendar", "arrival_window": "calendar", "quote_by": "business",
///              "completion_by": "business", "follow_up": "business", "custom": "business"},
///   "default_grace": {"minutes": 0},
///   "warn_at_percent": [75],
///   "early_percent": 50,
///   "exceed_band": {"low": 5, "high": 25},
///   "tag_chain_min": 2,
///   "suggest_percent": 95,
///   "suggest_min_samples": 20
/// }
/// ```
///
/// Check it with [`validate`](PromisePolicy::validate) (the ledger does so before every
/// evaluation); every problem is reported at once with its path and code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct PromisePolicy {
    /// How long an implicit callback promise (opened by a customer's call, voicemail,
    /// email or web request) may take, on the callback clock. P1: 24 hours.
    pub callback_within: Span,
    /// The wall-clock wait the summaries count a callback as "over" (P1: 24 hours),
    /// whatever clock the callback deadline runs on.
    pub callback_wait_limit: Span,
    /// A message that promised a call at a specific time opens a promise due in the window
    /// `[call_at - tolerance, call_at + tolerance]`. Default 15 minutes.
    pub promised_call_tolerance: Span,
    /// The clock of each kind of promise.
    pub clocks: KindClocks,
    /// Grace after the due time for promises that state none. Default none (0 minutes).
    pub default_grace: Span,
    /// Shares of a promise's length (percent, 1..=99) at which to warn: the first makes an
    /// open promise "due soon". Default `[75]`.
    pub warn_at_percent: Vec<u8>,
    /// A promise due at an instant is "kept early" when delivered with at least this share
    /// of its length (percent, 1..=100) still left. Windows are kept early only before
    /// they open. Default 50.
    pub early_percent: u8,
    /// P4's "exceed on occasion": the share of kept promises that exceeded (delivered more
    /// than promised, or early) that counts as healthy. Below is "never exceeds", above is
    /// "always exceeds" (under-promising or inflating expectations). Default 5-25%.
    pub exceed_band: PercentBand,
    /// Consecutive non-productive interactions (tag) that make a chain worth reporting.
    /// At least 2. Default 2.
    pub tag_chain_min: u32,
    /// The share of past promises a suggested promise length would have kept (percent,
    /// 1..=100). Default 95.
    pub suggest_percent: u8,
    /// Delivered promises of one kind needed before a length is suggested. At least 1.
    /// Default 20.
    pub suggest_min_samples: u32,
}

impl Default for PromisePolicy {
    fn default() -> Self {
        PromisePolicy {
            callback_within: Span::Hours(24),
            callback_wait_limit: Span::Hours(24),
            promised_call_tolerance: Span::Minutes(15),
            clocks: KindClocks::default(),
            default_grace: Span::Minutes(0),
            warn_at_percent: vec![75],
            early_percent: 50,
            exceed_band: PercentBand::new(5, 25),
            tag_chain_min: 2,
            suggest_percent: 95,
            suggest_min_samples: 20,
        }
    }
}

impl PromisePolicy {
    /// Checks the policy; every problem is reported at once.
    ///
    /// # Errors
    /// `model.span_not_fixed` (months or business days in `callback_within`,
    /// `callback_wait_limit`, `promised_call_tolerance` or `default_grace`: each is a
    /// fixed length), `promises.span_zero` (`callback_within`, `callback_wait_limit`),
    /// `promises.percent_out_of_range` (`warn_at_percent[i]`, `early_percent`,
    /// `exceed_band.low`/`high`, `suggest_percent`, `tag_chain_min`,
    /// `suggest_min_samples`), `promises.band_reversed` (`exceed_band`, or
    /// `warn_at_percent[i]` not above the one before it).
    ///
    /// ```
    /// use retention::promises::PromisePolicy;
    ///
    /// let policy: PromisePolicy = serde_json::from_str(r#"{"warn_at_percent": [75, 50], "early_percent": 0}"#)?;
    /// let err = policy.validate().unwrap_err();
    /// let found: Vec<String> = err.problems().iter().map(|p| format!("{} {}", p.path(), p.code())).collect();
    /// assert_eq!(found, ["warn_at_percent[1] promises.band_reversed", "early_percent promises.percent_out_of_range"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn validate(&self) -> Result<(), Error> {
        Problems::collect(|p| self.check(p))
    }

    fn check(&self, p: &mut Problems) {
        let root = FieldPath::root();
        for (name, span) in [
            ("callback_within", self.callback_within),
            ("callback_wait_limit", self.callback_wait_limit),
            ("promised_call_tolerance", self.promised_call_tolerance),
            ("default_grace", self.default_grace),
        ] {
            crate::model::check_fixed(span, root.field(name), p);
        }
        for (name, span) in [
            ("callback_within", self.callback_within),
            ("callback_wait_limit", self.callback_wait_limit),
        ] {
            if span.is_zero() {
                p.push(
                    ErrorKind::PromisesSpanZero,
                    root.field(name),
                    format!("`{name}` is {span}; a promise needs some time"),
                );
            }
        }
        let mut prev = 0u8;
        for (i, &pct) in self.warn_at_percent.iter().enumerate() {
            let path = || root.field("warn_at_percent").index(i);
            if !(1..=99).contains(&pct) {
                p.push(
                    ErrorKind::PromisesPercentOutOfRange,
                    path(),
                    format!("a warning at {pct}% of a promise's length must be between 1% and 99%"),
                );
            } else if pct <= prev {
                p.push(
                    ErrorKind::PromisesBandReversed,
                    path(),
                    format!("warnings must rise: {pct}% comes after {prev}%"),
                );
            }
            prev = prev.max(pct);
        }
        let pct = |p: &mut Problems, name: &str, v: u8, lo: u8| {
            if !(lo..=100).contains(&v) {
                p.push(
                    ErrorKind::PromisesPercentOutOfRange,
                    FieldPath::root().field(name),
                    format!("`{name}` is {v}%; it must be between {lo}% and 100%"),
                );
            }
        };
        pct(p, "early_percent", self.early_percent, 1);
        pct(p, "suggest_percent", self.suggest_percent, 1);
        let band = self.exceed_band;
        for (name, v) in [("low", band.low), ("high", band.high)] {
            if v > 100 {
                p.push(
                    ErrorKind::PromisesPercentOutOfRange,
                    root.field("exceed_band").field(name),
                    format!("the exceed band's {name} end is {v}%; at most 100%"),
                );
            }
        }
        if band.low > band.high {
            p.push(
                ErrorKind::PromisesBandReversed,
                root.field("exceed_band"),
                format!(
                    "the exceed band runs from {}% down to {}%",
                    band.low, band.high
                ),
            );
        }
        if self.tag_chain_min < 2 {
            p.push(
                ErrorKind::PromisesPercentOutOfRange,
                root.field("tag_chain_min"),
                format!(
                    "a chain of tag needs at least 2 interactions, not {}",
                    self.tag_chain_min
                ),
            );
        }
        if self.suggest_min_samples < 1 {
            p.push(
                ErrorKind::PromisesPercentOutOfRange,
                root.field("suggest_min_samples"),
                "a suggestion needs at least 1 delivered promise",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_policy_is_valid_and_reads_from_empty_json() {
        PromisePolicy::default().validate().unwrap();
        let p: PromisePolicy = serde_json::from_str("{}").unwrap();
        assert_eq!(p, PromisePolicy::default());
        assert!(serde_json::from_str::<PromisePolicy>(r#"{"callback_in": {"hours": 2}}"#).is_err());
    }

    #[test]
    fn every_problem_is_reported() {
        let p = PromisePolicy {
            callback_within: Span::Hours(0),
            exceed_band: PercentBand::new(30, 120),
            tag_chain_min: 1,
            ..PromisePolicy::default()
        };
        let got: Vec<_> = p
            .validate()
            .unwrap_err()
            .problems()
            .iter()
            .map(|x| (x.code(), x.path().to_string()))
            .collect();
        assert_eq!(
            got,
            [
                ("promises.span_zero", "callback_within".to_string()),
                (
                    "promises.percent_out_of_range",
                    "exceed_band.high".to_string()
                ),
                ("promises.percent_out_of_range", "tag_chain_min".to_string()),
            ]
        );
    }
}
