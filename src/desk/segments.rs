//! Segments: per-engine policy overlays for the accounts of one segment (a mixed book of
//! homeowners and commercial contracts).

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::cadence::CadencePolicy;
use crate::error::{Error, ErrorKind, FieldPath, Problems};
use crate::orders::OrderPolicy;
use crate::promises::PromisePolicy;
use crate::risk::RiskPolicy;

/// What one segment changes in the book's policies: for each engine, only the fields
/// that differ, in that policy's own shape. In JSON, under `policies.segments`, keyed by
/// the segment an account names (`Account::segment`):
///
/// ```json
/// {"residential": {
///    "cadence": {"face_to_face": {"monthly_for": {"months": 0}, "then_every": {"months": 12}},
///                "key_people": {"min_roles_per_quarter": 1}},
///    "risk": {"weights": {"single_threaded": 0}},
///    "orders": {"time_limits": {"appointment_set_within": {"hours": 4}}}},
///  "commercial_contract": {"promises": {"callback_within": {"hours": 4},
///                                       "default_grace": {"minutes": 30}}}}
/// ```
///
/// An overlay is laid over the book's policy of that engine field by field (objects are
/// merged, anything else replaced), and the result is read and checked like the book's
/// own policy when the book is read: a field that does not exist is
/// `desk.malformed_json`, and an overlay that makes a rule impossible gets the engine's
/// own code, each at its path (`policies.segments.residential.cadence.caps.min_gap`).
/// An account whose segment has no overlay (or that names none) uses the book's
/// policies. The cadence caps and capacity, the risk windows and the value horizon are
/// the book's for every segment: levelling and the book's ranking are shared. A promise
/// overlay judges the segment's promises and callbacks (clocks, grace, early share,
/// warnings, the callback window, the promised-call tolerance, phone tag); the
/// business's promise record and its suggestions stay on the book's promise policy.
///
/// ```
/// use retention::desk::Segment;
/// let s: Segment = serde_json::from_str(r#"{"risk": {"weights": {"single_threaded": 0}}}"#)?;
/// assert!(s.cadence.is_none() && s.risk.is_some());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schemars",
    derive(schemars::JsonSchema),
    schemars(transform = crate::json_schema::prose_only)
)]
#[serde(default, deny_unknown_fields)]
pub struct Segment {
    /// Fields of the cadence policy (C1-C8, K1) that differ for this segment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cadence: Option<serde_json::Value>,
    /// Fields of the risk policy (K1-K6) that differ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub risk: Option<serde_json::Value>,
    /// Fields of the order policy (O1-O9: templates, time limits, severities) that
    /// differ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub orders: Option<serde_json::Value>,
    /// Fields of the promise policy (P1-P6: grace, clocks, warnings, the callback window)
    /// that differ.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub promises: Option<serde_json::Value>,
}

/// The segments' overlays, keyed by segment name.
pub type Segments = BTreeMap<String, Segment>;

/// One segment's policies, overlaid and checked.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    pub(crate) name: String,
    pub(crate) cadence: Option<CadencePolicy>,
    pub(crate) risk: Option<RiskPolicy>,
    pub(crate) orders: Option<OrderPolicy>,
    pub(crate) promises: Option<PromisePolicy>,
}

/// The units a span's JSON is keyed by: `{"months": 3}`.
const SPAN_UNITS: [&str; 6] = [
    "months",
    "business_days",
    "weeks",
    "days",
    "hours",
    "minutes",
];

/// Whether an overlay's object is one value rather than fields to lay over the base's:
/// a span (`{"weeks": 26}` over `{"months": 3}` is 26 weeks, not both) or a tagged
/// value (`{"kind": ...}`).
fn is_one_value(o: &serde_json::Map<String, serde_json::Value>) -> bool {
    o.contains_key("kind") || (o.len() == 1 && o.keys().all(|k| SPAN_UNITS.contains(&k.as_str())))
}

/// `overlay` laid over `base`: objects merged field by field, anything else (a span
/// or a tagged value among them) replaced.
fn merge(base: &mut serde_json::Value, overlay: &serde_json::Value) {
    match (base, overlay) {
        (serde_json::Value::Object(b), serde_json::Value::Object(o)) if !is_one_value(o) => {
            for (k, v) in o {
                match b.get_mut(k) {
                    Some(slot) => merge(slot, v),
                    None => {
                        b.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (b, o) => *b = o.clone(),
    }
}

/// The book's `base` policy with `overlay` laid over it, read back as a policy; a field
/// that does not fit is `desk.malformed_json` at its path under `at`.
fn overlaid<T: Serialize + DeserializeOwned>(
    base: &T,
    overlay: &serde_json::Value,
    at: &FieldPath,
) -> Result<T, Error> {
    let mut value = serde_json::to_value(base)
        .map_err(|e| Error::new(ErrorKind::DeskMalformedJson, at.clone(), e.to_string()))?;
    merge(&mut value, overlay);
    serde_path_to_error::deserialize(value).map_err(|e| {
        let mut path = at.clone();
        for seg in e.path().iter() {
            use serde_path_to_error::Segment;
            path = match seg {
                Segment::Seq { index } => path.index(*index),
                Segment::Map { key } => path.field(key),
                Segment::Enum { variant } => path.field(variant),
                Segment::Unknown => path,
            };
        }
        let inner = e.into_inner().to_string();
        // The order policy is read through its spec and built on reading: a spec that
        // reads but cannot be built names its own code in its sentence.
        Error::new(
            ErrorKind::DeskMalformedJson,
            path,
            format!("the segment's overlay does not fit the policy's shape: {inner}"),
        )
    })
}

/// One engine's policy for a segment: `overlay` (if any) laid over `base` and checked
/// with `validate`, problems placed under `at.<engine>`; `None` without an overlay or
/// with a problem (then in `problems`).
fn resolved<T: Serialize + DeserializeOwned>(
    base: &T,
    overlay: &Option<serde_json::Value>,
    at: &FieldPath,
    engine: &str,
    validate: impl Fn(&T) -> Result<(), Error>,
    problems: &mut Problems,
) -> Option<T> {
    let here = at.field(engine);
    let policy = overlaid(base, overlay.as_ref()?, &here)
        .and_then(|p| validate(&p).map(|()| p).map_err(|e| e.under(&here)));
    match policy {
        Ok(p) => Some(p),
        Err(e) => {
            problems.absorb(Err(e));
            None
        }
    }
}

/// Every segment's policies, overlaid on the book's and checked, or every problem with
/// its path (`policies.segments.<name>.<engine>...`).
pub(crate) fn resolve(
    segments: &Segments,
    cadence: &CadencePolicy,
    risk: &RiskPolicy,
    orders: &OrderPolicy,
    promises: &PromisePolicy,
) -> Result<Vec<Resolved>, Error> {
    let mut problems = Problems::new();
    let mut out = Vec::with_capacity(segments.len());
    for (name, s) in segments {
        let at = FieldPath::root()
            .field("policies")
            .field("segments")
            .field(name);
        // An order policy is built, and so checked, as it is read.
        out.push(Resolved {
            name: name.clone(),
            cadence: resolved(
                cadence,
                &s.cadence.clone().map(|mut c| {
                    crate::cadence::upgrade_old_names(&mut c);
                    c
                }),
                &at,
                "cadence",
                CadencePolicy::validate,
                &mut problems,
            ),
            risk: resolved(
                risk,
                &s.risk.clone().map(|mut r| {
                    crate::risk::upgrade_old_names(&mut r);
                    r
                }),
                &at,
                "risk",
                RiskPolicy::validate,
                &mut problems,
            ),
            orders: resolved(orders, &s.orders, &at, "orders", |_| Ok(()), &mut problems),
            promises: resolved(
                promises,
                &s.promises,
                &at,
                "promises",
                PromisePolicy::validate,
                &mut problems,
            ),
        });
    }
    problems.finish().map(|()| out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Span;
    use serde_json::json;

    /// The segments laid over the default policies.
    fn over_defaults(segments: &Segments) -> Result<Vec<Resolved>, Error> {
        resolve(
            segments,
            &CadencePolicy::default(),
            &RiskPolicy::default(),
            &OrderPolicy::default(),
            &PromisePolicy::default(),
        )
    }

    /// One segment, `residential`, with `overlay` as its policies.
    fn residential(overlay: serde_json::Value) -> Segments {
        let mut segments = Segments::new();
        segments.insert(
            "residential".into(),
            serde_json::from_value(overlay).unwrap(),
        );
        segments
    }

    #[test]
    fn an_overlay_span_replaces_the_base_span_whatever_its_unit() {
        let segments = residential(json!({
            "cadence": {"follow_up": {"within": {"days": 3}},
                        "face_to_face": {"then_every": {"weeks": 26}}},
            "risk": {"worst_overdue_full_at": {"weeks": 4}},
            "orders": {"time_limits": {"appointment_set_within": {"hours": 4}}}
        }));
        let base = CadencePolicy::default();
        let r = over_defaults(&segments).unwrap();
        let c = r[0].cadence.as_ref().unwrap();
        assert_eq!(c.follow_up.within, Span::Days(3));
        assert_eq!(c.face_to_face.then_every, Span::Weeks(26));
        assert_eq!(c.face_to_face.monthly_for, base.face_to_face.monthly_for);
        let risk = r[0].risk.as_ref().unwrap();
        assert_eq!(risk.worst_overdue_full_at, Span::Weeks(4));
        let orders = r[0].orders.as_ref().unwrap();
        assert_eq!(orders.time_limits().appointment_set_within, Span::Hours(4));
        // A struct is still laid over field by field.
        assert_eq!(
            orders.time_limits().confirm_before,
            OrderPolicy::default().time_limits().confirm_before
        );
    }

    #[test]
    fn an_overlay_changes_only_its_fields_and_a_bad_one_names_its_path() {
        let mut segments = residential(json!({
            "cadence": {"face_to_face": {"then_every_months": 12}},
            "risk": {"weights": {"single_threaded": 0}}
        }));
        let base = CadencePolicy::default();
        let r = over_defaults(&segments).unwrap();
        let c = r[0].cadence.as_ref().unwrap();
        assert_eq!(c.face_to_face.then_every, Span::Months(12));
        assert_eq!(c.face_to_face.monthly_for, base.face_to_face.monthly_for);
        assert_eq!(r[0].risk.as_ref().unwrap().weights.single_threaded, 0);
        assert!(r[0].orders.is_none());

        segments.insert(
            "commercial".into(),
            serde_json::from_value(json!({
                "cadence": {"face_to_face": {"then_every_monthz": 2}, "caps": {"min_gap": {"days": 40}}}
            }))
            .unwrap(),
        );
        let e = over_defaults(&segments).unwrap_err();
        let got: Vec<_> = e.codes_and_paths();
        assert_eq!(
            got,
            [(
                "desk.malformed_json",
                "policies.segments.commercial.cadence.face_to_face.then_every_monthz".to_string()
            )]
        );
        segments.insert(
            "commercial".into(),
            serde_json::from_value(json!({"cadence": {"caps": {"min_gap": {"days": 40}}}}))
                .unwrap(),
        );
        let e = over_defaults(&segments).unwrap_err();
        assert_eq!(e.code(), "cadence.impossible_caps");
        assert_eq!(
            e.path().as_str(),
            "policies.segments.commercial.cadence.caps.min_gap"
        );
    }
}
