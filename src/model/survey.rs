//! Survey responses (C7): a score on a stated scale, and any hint of unhappiness.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{AccountId, OrderId, PersonId, SurveyId};
use crate::error::{Error, ErrorKind, FieldPath, Problems};

/// The scale a survey score is given on, and where unhappiness starts.
///
/// In JSON: `{"min": "0", "max": "10", "unhappy_at_or_below": "6"}` (numbers are accepted
/// too). Validation requires `min < max` and the threshold within `[min, max]`
/// (`model.invalid_scale`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SurveyScale {
    /// The lowest possible score.
    pub min: Decimal,
    /// The highest possible score.
    pub max: Decimal,
    /// A score at or below this is unhappy.
    pub unhappy_at_or_below: Decimal,
}

impl SurveyScale {
    /// The 0 to 10 "how likely are you to recommend us" scale; 6 or less is unhappy (a
    /// detractor).
    pub fn zero_to_ten() -> SurveyScale {
        SurveyScale {
            min: Decimal::ZERO,
            max: Decimal::TEN,
            unhappy_at_or_below: Decimal::from(6),
        }
    }

    /// The 1 to 5 satisfaction scale; 3 or less is unhappy.
    pub fn one_to_five() -> SurveyScale {
        SurveyScale {
            min: Decimal::ONE,
            max: Decimal::from(5),
            unhappy_at_or_below: Decimal::from(3),
        }
    }

    fn check(&self, problems: &mut Problems) {
        if self.min >= self.max {
            problems.push(
                ErrorKind::InvalidScale,
                FieldPath::root().field("scale").field("max"),
                format!(
                    "the scale's maximum {} is not above its minimum {}",
                    self.max, self.min
                ),
            );
        } else if self.unhappy_at_or_below < self.min || self.unhappy_at_or_below > self.max {
            problems.push(
                ErrorKind::InvalidScale,
                FieldPath::root()
                    .field("scale")
                    .field("unhappy_at_or_below"),
                format!(
                    "the unhappy threshold {} lies outside the scale {}..={}",
                    self.unhappy_at_or_below, self.min, self.max
                ),
            );
        }
    }
}

/// One answer to a satisfaction survey.
///
/// In JSON (optional fields may be left out):
///
/// ```json
/// {
///   "id": "s-3", "account": "a-6", "person": "p-9", "answered_at": "2026-11-13T22:45:00Z",
///   "score": "4", "scale": {"min": "1", "max": "5", "unhappy_at_or_below": "3"},
///   "unhappy_hint": true, "comment": "Fine, but we had to chase the invoice",
///   "order": "o-311"
/// }
/// ```
///
/// A good score with a grumble in the comment is still a hint of unhappiness (C7):
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use retention::model::{SurveyResponse, SurveyScale};
/// use rust_decimal::Decimal;
///
/// let at = Utc.with_ymd_and_hms(2026, 11, 13, 22, 45, 0).unwrap();
/// let mut s = SurveyResponse::new("s-3", "a-6", at, Decimal::from(4), SurveyScale::one_to_five());
/// s.validate()?;
/// assert!(!s.is_unhappy());
/// assert_eq!(s.normalized(), Some(Decimal::new(75, 2)));
/// s.unhappy_hint = true;
/// assert!(s.is_unhappy());
/// # Ok::<(), retention::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schemars",
    derive(schemars::JsonSchema),
    schemars(transform = crate::json_schema::prose_only)
)]
#[serde(deny_unknown_fields)]
pub struct SurveyResponse {
    /// The host's key for the response.
    pub id: SurveyId,
    /// The account that answered.
    pub account: AccountId,
    /// The person who answered, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<PersonId>,
    /// When they answered.
    #[serde(deserialize_with = "crate::model::wire::instant")]
    pub answered_at: DateTime<Utc>,
    /// The score, on `scale`.
    pub score: Decimal,
    /// The scale of the score.
    pub scale: SurveyScale,
    /// Set by the host (or a person reading the comment) when anything hints that the
    /// customer is unhappy, whatever the score says.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unhappy_hint: bool,
    /// The customer's words, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The order the survey was about, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<OrderId>,
}

impl SurveyResponse {
    /// A response with its required fields; the rest empty.
    pub fn new(
        id: impl Into<SurveyId>,
        account: impl Into<AccountId>,
        answered_at: DateTime<Utc>,
        score: Decimal,
        scale: SurveyScale,
    ) -> SurveyResponse {
        SurveyResponse {
            id: id.into(),
            account: account.into(),
            person: None,
            answered_at,
            score,
            scale,
            unhappy_hint: false,
            comment: None,
            order: None,
        }
    }

    /// Whether the response signals an unhappy customer (C7, K2): a score at or below
    /// the scale's threshold, or an unhappy hint.
    pub fn is_unhappy(&self) -> bool {
        self.unhappy_hint || self.score <= self.scale.unhappy_at_or_below
    }

    /// The score placed on 0 to 1 (0 the scale's minimum, 1 its maximum); `None` for a
    /// scale of no width (which validation refuses).
    pub fn normalized(&self) -> Option<Decimal> {
        let width = self.scale.max.checked_sub(self.scale.min)?;
        if width <= Decimal::ZERO {
            return None;
        }
        self.score.checked_sub(self.scale.min)?.checked_div(width)
    }

    /// Checks the response on its own; every problem is reported at once.
    ///
    /// # Errors
    /// `model.empty_id` (`id`, `account`, `person`, `order`), `model.invalid_scale`
    /// (`scale.max` or `scale.unhappy_at_or_below`), `model.score_out_of_scale` (`score`).
    pub fn validate(&self) -> Result<(), Error> {
        Problems::collect(|p| self.check(p))
    }

    pub(crate) fn check(&self, problems: &mut Problems) {
        self.id.check(|| FieldPath::root().field("id"), problems);
        self.account
            .check(|| FieldPath::root().field("account"), problems);
        if let Some(p) = &self.person {
            p.check(|| FieldPath::root().field("person"), problems);
        }
        if let Some(o) = &self.order {
            o.check(|| FieldPath::root().field("order"), problems);
        }
        let before = problems.len();
        self.scale.check(problems);
        let scale_ok = problems.len() == before;
        if scale_ok && (self.score < self.scale.min || self.score > self.scale.max) {
            problems.push(
                ErrorKind::ScoreOutOfScale,
                FieldPath::root().field("score"),
                format!(
                    "the score {} lies outside the scale {}..={}",
                    self.score, self.scale.min, self.scale.max
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn response(score: i64, scale: SurveyScale) -> SurveyResponse {
        SurveyResponse::new(
            "s-1",
            "a-3",
            Utc.with_ymd_and_hms(2026, 11, 19, 2, 10, 0).unwrap(),
            Decimal::from(score),
            scale,
        )
    }

    #[test]
    fn a_score_at_the_threshold_is_unhappy() {
        assert!(response(6, SurveyScale::zero_to_ten()).is_unhappy());
        assert!(!response(7, SurveyScale::zero_to_ten()).is_unhappy());
        assert_eq!(
            response(0, SurveyScale::zero_to_ten()).normalized(),
            Some(Decimal::ZERO)
        );
    }

    #[test]
    fn scores_and_scales_are_checked() {
        let e = response(11, SurveyScale::zero_to_ten())
            .validate()
            .unwrap_err();
        assert_eq!(
            (e.code(), e.path().as_str()),
            ("model.score_out_of_scale", "score")
        );

        let mut flat = SurveyScale::one_to_five();
        flat.max = Decimal::ONE;
        let e = response(1, flat).validate().unwrap_err();
        assert_eq!(
            (e.code(), e.path().as_str()),
            ("model.invalid_scale", "scale.max")
        );
        assert_eq!(
            e.problems().len(),
            1,
            "a broken scale does not also flag the score"
        );
        assert_eq!(response(1, flat).normalized(), None);

        let mut odd = SurveyScale::one_to_five();
        odd.unhappy_at_or_below = Decimal::from(9);
        let e = response(2, odd).validate().unwrap_err();
        assert_eq!(e.path().as_str(), "scale.unhappy_at_or_below");
    }

    #[test]
    fn decimal_scores_read_from_numbers_or_strings() {
        let json = r#"{"id":"s","account":"a","answered_at":"2026-11-19T02:10:00Z","score":4.5,
            "scale":{"min":"1","max":5,"unhappy_at_or_below":"3"}}"#;
        let s: SurveyResponse = serde_json::from_str(json).unwrap();
        assert_eq!(s.score, Decimal::new(45, 1));
        s.validate().unwrap();
        let back: SurveyResponse =
            serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap();
        assert_eq!(back, s);
    }
}
