//! The business's order policy: checklist templates, severities, time limits.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use chrono_tz::Tz;

use super::report::{FindingCode, Severity};
use crate::error::{Error, ErrorKind, FieldPath, Problems};
use crate::model::Span;

/// How a checklist item may be satisfied.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Satisfaction {
    /// The technician did it and ticked it.
    Done,
    /// Someone decided it does not apply, and said why.
    Waived,
}

impl Satisfaction {
    /// The satisfaction's name, as in JSON (and its `Display`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Satisfaction::Done => "done",
            Satisfaction::Waived => "waived",
        }
    }
}

crate::codes::display_as_str!(Satisfaction);

/// One item of a checklist template.
///
/// `{"id": "isolate_power", "label": "Isolate the power", "required": true,
/// "satisfied_by": ["done"]}`. `required` defaults to `true`, `satisfied_by` to
/// `["done", "waived"]`. A required item with an empty `satisfied_by` can never be
/// satisfied and is refused (`orders.unsatisfiable_item`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TemplateItem {
    /// Unique in the template.
    pub id: String,
    /// For people.
    pub label: String,
    /// Whether the job cannot complete with the item open.
    #[serde(default = "yes")]
    pub required: bool,
    /// The ways the item may be satisfied.
    #[serde(default = "both_ways")]
    pub satisfied_by: Vec<Satisfaction>,
}

fn yes() -> bool {
    true
}

fn both_ways() -> Vec<Satisfaction> {
    vec![Satisfaction::Done, Satisfaction::Waived]
}

impl TemplateItem {
    /// A required item that may be done or waived.
    pub fn required(id: impl Into<String>, label: impl Into<String>) -> TemplateItem {
        TemplateItem {
            id: id.into(),
            label: label.into(),
            required: true,
            satisfied_by: both_ways(),
        }
    }

    /// An optional item.
    pub fn optional(id: impl Into<String>, label: impl Into<String>) -> TemplateItem {
        TemplateItem {
            required: false,
            ..TemplateItem::required(id, label)
        }
    }

    pub(crate) fn allows(&self, way: Satisfaction) -> bool {
        self.satisfied_by.contains(&way)
    }
}

/// A checklist template for one service type (O6).
///
/// ```json
/// {"id": "boiler-v2", "service_type": "boiler_service", "items": [
///   {"id": "isolate_power", "label": "Isolate the power", "satisfied_by": ["done"]},
///   {"id": "flue_test", "label": "Flue gas test"},
///   {"id": "photo", "label": "Photo of the finished job", "required": false}
/// ]}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ChecklistTemplate {
    /// Unique in the policy; orders name it in [`Checklist::template`](super::Checklist::template).
    pub id: String,
    /// The service type it is for (one template per type).
    pub service_type: String,
    /// The items, in the order the technician works them.
    pub items: Vec<TemplateItem>,
}

impl ChecklistTemplate {
    /// A template `id` for `service_type`.
    pub fn new(
        id: impl Into<String>,
        service_type: impl Into<String>,
        items: Vec<TemplateItem>,
    ) -> ChecklistTemplate {
        ChecklistTemplate {
            id: id.into(),
            service_type: service_type.into(),
            items,
        }
    }
}

/// The time limits of the time checks (O1, O3, O4, O5), counted in **calendar time**
/// (a day is 24 hours, nights and weekends included): a customer waiting for news waits
/// on weekends too. Defaults are the practice's.
///
/// ```json
/// {"appointment_set_within": {"minutes": 30}, "confirm_before": {"hours": 24},
///  "in_progress_update_every": {"hours": 8}, "on_hold_update_every": {"hours": 24},
///  "sign_off_within": {"hours": 24}, "tell_completion_within": {"hours": 2}}
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct TimeLimits {
    /// The appointment should be set within this long of the first contact (O1: on the
    /// first call). Default 30 minutes.
    pub appointment_set_within: Span,
    /// The customer should have confirmed the appointment this long before it starts.
    /// Default 24 hours.
    pub confirm_before: Span,
    /// Longest time `in_progress` without a status update to the customer (O4).
    /// Default 8 hours.
    pub in_progress_update_every: Span,
    /// Longest time `on_hold` or `partially_complete` without a status update (O4).
    /// Default 24 hours.
    pub on_hold_update_every: Span,
    /// Longest time `completed` without the customer's sign-off (O3). Default 24 hours.
    pub sign_off_within: Span,
    /// Longest time after completion without telling the customer (O5). Default 2 hours.
    pub tell_completion_within: Span,
}

impl Default for TimeLimits {
    fn default() -> TimeLimits {
        TimeLimits {
            appointment_set_within: Span::Minutes(30),
            confirm_before: Span::Hours(24),
            in_progress_update_every: Span::Hours(8),
            on_hold_update_every: Span::Hours(24),
            sign_off_within: Span::Hours(24),
            tell_completion_within: Span::Hours(2),
        }
    }
}

/// What a business writes: templates, severity overrides by finding code, time limits,
/// and the business's time zone. Every field may be omitted (the practice's defaults).
///
/// ```json
/// {"templates": [...],
///  "severities": {"close.thanks_missing": "blocker", "schedule.contact_missing": "info"},
///  "time_limits": {"sign_off_within": {"hours": 4}},
///  "time_zone": "America/Chicago"}
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct PolicySpec {
    /// Checklist templates, at most one per service type.
    pub templates: Vec<ChecklistTemplate>,
    /// A severity for a finding code, replacing its default.
    pub severities: BTreeMap<String, Severity>,
    /// The time checks' limits.
    pub time_limits: TimeLimits,
    /// The business's IANA time zone: the findings' instants are written in it
    /// ("Thu 19 Nov 2026, 08:20 CST", with a `zone` argument), and a date a finding
    /// names is the business's date. Absent: UTC. The daily desk always checks its
    /// book's orders in the business calendar's zone, whatever this says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
}

impl PolicySpec {
    /// The practice's defaults with these checklist templates.
    pub fn with_templates(templates: Vec<ChecklistTemplate>) -> PolicySpec {
        PolicySpec {
            templates,
            ..PolicySpec::default()
        }
    }
}

/// Up to this many templates, a look-up scans them (faster than hashing a short key).
const LINEAR: usize = 8;

/// A validated order policy. Build it with [`OrderPolicy::new`] (or read it from JSON,
/// the shape of [`PolicySpec`], which validates too); [`OrderPolicy::default`] is the
/// practice's policy with no checklist templates.
///
/// Without a template for an order's service type, no checklist is required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(try_from = "PolicySpec", into = "PolicySpec")]
pub struct OrderPolicy {
    spec: PolicySpec,
    zone: Option<Tz>,
    severity: [Severity; FindingCode::ALL.len()],
    by_id: HashMap<String, usize>,
    by_service: HashMap<String, usize>,
}

impl Default for OrderPolicy {
    fn default() -> OrderPolicy {
        OrderPolicy::build(PolicySpec::default())
    }
}

impl TryFrom<PolicySpec> for OrderPolicy {
    type Error = Error;
    fn try_from(spec: PolicySpec) -> Result<OrderPolicy, Error> {
        OrderPolicy::new(spec)
    }
}

impl From<OrderPolicy> for PolicySpec {
    fn from(p: OrderPolicy) -> PolicySpec {
        p.spec
    }
}

impl OrderPolicy {
    /// Validates `spec` and builds the policy.
    ///
    /// # Errors
    /// Every problem at once: `model.empty_id` (a blank template or item id),
    /// `orders.duplicate_template` (a template id, or a service type, used twice),
    /// `orders.duplicate_checklist_item` (an item id used twice in a template),
    /// `orders.unsatisfiable_item` (a required item with no way to satisfy it),
    /// `orders.unknown_finding_code` (a severity for a code that does not exist),
    /// `model.unknown_time_zone` (a `time_zone` not in the IANA database).
    /// `model.span_not_fixed` (months or business days in a time limit: each is a fixed
    /// length).
    ///
    /// ```
    /// use retention::orders::{OrderPolicy, PolicySpec};
    /// let spec: PolicySpec = serde_json::from_str(r#"{
    ///   "templates": [{"id": "t", "service_type": "boiler", "items": [
    ///     {"id": "a", "label": "A", "satisfied_by": []},
    ///     {"id": "a", "label": "A again"}]}],
    ///   "severities": {"close.signature_gone": "warning"}
    /// }"#)?;
    /// let err = OrderPolicy::new(spec).unwrap_err();
    /// let got: Vec<String> = err.problems().iter().map(|p| format!("{} {}", p.path(), p.code())).collect();
    /// assert_eq!(got, [
    ///     "templates[0].items[0].satisfied_by orders.unsatisfiable_item",
    ///     "templates[0].items[1].id orders.duplicate_checklist_item",
    ///     "severities.close.signature_gone orders.unknown_finding_code",
    /// ]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(spec: PolicySpec) -> Result<OrderPolicy, Error> {
        let mut p = Problems::new();
        for (t, tpl) in spec.templates.iter().enumerate() {
            let tpath = || FieldPath::root().field("templates").index(t);
            if tpl.id.trim().is_empty() {
                p.push(
                    ErrorKind::EmptyId,
                    tpath().field("id"),
                    "the template id is blank",
                );
            } else if spec.templates[..t].iter().any(|o| o.id == tpl.id) {
                p.push(
                    ErrorKind::OrderDuplicateTemplate,
                    tpath().field("id"),
                    format!(
                        "the template id `{}` is used by an earlier template",
                        tpl.id
                    ),
                );
            }
            if spec.templates[..t]
                .iter()
                .any(|o| o.service_type == tpl.service_type)
            {
                p.push(
                    ErrorKind::OrderDuplicateTemplate,
                    tpath().field("service_type"),
                    format!(
                        "the service type `{}` already has a template",
                        tpl.service_type
                    ),
                );
            }
            for (i, item) in tpl.items.iter().enumerate() {
                let ipath = || tpath().field("items").index(i);
                if item.required && item.satisfied_by.is_empty() {
                    p.push(
                        ErrorKind::OrderUnsatisfiableItem,
                        ipath().field("satisfied_by"),
                        format!(
                            "`{}` is required but can be neither done nor waived",
                            item.id
                        ),
                    );
                }
                if item.id.trim().is_empty() {
                    p.push(
                        ErrorKind::EmptyId,
                        ipath().field("id"),
                        "the item id is blank",
                    );
                } else if tpl.items[..i].iter().any(|o| o.id == item.id) {
                    p.push(
                        ErrorKind::OrderDuplicateChecklistItem,
                        ipath().field("id"),
                        format!(
                            "the item id `{}` is used by an earlier item of template `{}`",
                            item.id, tpl.id
                        ),
                    );
                }
            }
        }
        let limits = &spec.time_limits;
        for (name, span) in [
            ("appointment_set_within", limits.appointment_set_within),
            ("confirm_before", limits.confirm_before),
            ("in_progress_update_every", limits.in_progress_update_every),
            ("on_hold_update_every", limits.on_hold_update_every),
            ("sign_off_within", limits.sign_off_within),
            ("tell_completion_within", limits.tell_completion_within),
        ] {
            let path = FieldPath::root().field("time_limits").field(name);
            crate::model::check_fixed(span, path, &mut p);
        }
        for code in spec.severities.keys() {
            if FindingCode::from_code(code).is_none() {
                p.push(
                    ErrorKind::OrderUnknownFindingCode,
                    FieldPath::root().field("severities").field(code),
                    format!("`{code}` is not a finding code of the orders engine"),
                );
            }
        }
        if let Some(name) = &spec.time_zone {
            if name.parse::<Tz>().is_err() {
                p.push(
                    ErrorKind::UnknownRecordTimeZone,
                    FieldPath::root().field("time_zone"),
                    format!("`{name}` is not a time zone in the IANA database"),
                );
            }
        }
        p.finish()?;
        Ok(OrderPolicy::build(spec))
    }

    /// Builds from a spec already validated (or the default, which is valid).
    fn build(spec: PolicySpec) -> OrderPolicy {
        let mut severity = [Severity::Info; FindingCode::ALL.len()];
        for (s, code) in severity.iter_mut().zip(FindingCode::ALL) {
            *s = code.default_severity();
        }
        for (code, sev) in &spec.severities {
            if let Some(c) = FindingCode::from_code(code) {
                if let Some(s) = severity.get_mut(c as usize) {
                    *s = *sev;
                }
            }
        }
        let by_id = spec
            .templates
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.clone(), i))
            .collect();
        let by_service = spec
            .templates
            .iter()
            .enumerate()
            .map(|(i, t)| (t.service_type.clone(), i))
            .collect();
        let zone = spec.time_zone.as_deref().and_then(|z| z.parse().ok());
        OrderPolicy {
            spec,
            zone,
            severity,
            by_id,
            by_service,
        }
    }

    /// The spec the policy was built from.
    pub fn spec(&self) -> &PolicySpec {
        &self.spec
    }

    /// The time limits.
    pub fn time_limits(&self) -> &TimeLimits {
        &self.spec.time_limits
    }

    /// The business's time zone, the one the findings' instants are written in; `None`
    /// writes them in UTC.
    pub fn time_zone(&self) -> Option<Tz> {
        self.zone
    }

    /// The same policy in the business's time zone `zone`: the findings' instants are
    /// written in it, and a date a finding names is the date there.
    ///
    /// ```
    /// use retention::chrono::{TimeZone, Utc};
    /// use retention::chrono_tz::America::Chicago;
    /// use retention::orders::{check_now, OrderPolicy, ServiceOrder};
    ///
    /// let policy = OrderPolicy::default().with_time_zone(Chicago);
    /// assert_eq!(policy.spec().time_zone.as_deref(), Some("America/Chicago"));
    /// let order: ServiceOrder = serde_json::from_str(r#"{
    ///   "id": "o-7", "account": "a-1", "service_type": "repair",
    ///   "first_contact_at": "2026-11-19T14:00:00Z",
    ///   "intake": {"request": "No heat", "special_instructions": {"kind": "none"}},
    ///   "site": {"address": "1 Main St"}, "contact": "p-1",
    ///   "planned_work": [{"id": "w-1", "description": "Find the fault"}],
    ///   "appointment": {"start": "2026-11-19T15:00:00Z", "end": "2026-11-19T17:00:00Z",
    ///                   "set_at": "2026-11-19T14:05:00Z", "confirmed_at": "2026-11-19T14:06:00Z"},
    ///   "technician": "u-1",
    ///   "status_history": [
    ///     {"stage": "scheduled", "at": "2026-11-19T14:05:00Z"},
    ///     {"stage": "dispatched", "at": "2026-11-19T14:30:00Z"},
    ///     {"stage": "in_progress", "at": "2026-11-19T15:00:00Z"},
    ///     {"stage": "on_hold", "at": "2026-11-19T16:00:00Z"}]
    /// }"#)?;
    /// let now = Utc.with_ymd_and_hms(2026, 11, 19, 18, 0, 0).unwrap();
    /// let report = check_now(&order, now, &policy)?;
    /// assert_eq!(report.findings[0].sentence,
    ///     "on hold: the customer has not been told why and what comes next since Thu 19 Nov 2026, 09:00 CST");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_time_zone(mut self, zone: Tz) -> OrderPolicy {
        self.spec.time_zone = Some(zone.name().to_owned());
        self.zone = Some(zone);
        self
    }

    /// The severity this policy gives `code` (its default unless overridden).
    pub fn severity(&self, code: FindingCode) -> Severity {
        self.severity
            .get(code as usize)
            .copied()
            .unwrap_or(code.default_severity())
    }

    /// The template with this id.
    pub fn template_by_id(&self, id: &str) -> Option<&ChecklistTemplate> {
        if self.spec.templates.len() <= LINEAR {
            return self.spec.templates.iter().find(|t| t.id == id);
        }
        self.by_id.get(id).and_then(|&i| self.spec.templates.get(i))
    }

    /// The template for this service type.
    pub fn template_for(&self, service_type: &str) -> Option<&ChecklistTemplate> {
        if self.spec.templates.len() <= LINEAR {
            return self
                .spec
                .templates
                .iter()
                .find(|t| t.service_type == service_type);
        }
        self.by_service
            .get(service_type)
            .and_then(|&i| self.spec.templates.get(i))
    }
}
