//! What a check returns: findings with stable codes, severities, rules, paths, sentences.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::order::{ObservationKind, Stage};
use crate::error::FieldPath;
use crate::model::{AccountId, Money, OrderId, Rule, UserId};
use crate::text::Args;

/// How much a finding matters. In JSON `"blocker"`, `"warning"` or `"info"`.
///
/// A transition is allowed when no finding is a blocker. A policy may raise or lower any
/// code's severity.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Should be fixed; does not stop the transition.
    Warning,
    /// Stops the transition.
    Blocker,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Blocker => "blocker",
        })
    }
}

/// Which checks a code belongs to: the stages whose transition requires it.
#[cfg_attr(not(test), allow(dead_code))]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Gate {
    /// Whether the move is allowed at all.
    Lifecycle,
    /// Required for any target of main-line rank at least this.
    Rank(u8),
    /// Required to put the job on hold or partially complete.
    Hold,
    /// Required to cancel.
    Cancel,
    /// A time check: evaluated against `now`, not a requirement.
    Time,
}

macro_rules! finding_codes {
    ($( $variant:ident = $code:literal, $rule:ident, $sev:ident, $gate:expr, $doc:literal; )*) => {
        /// A finding's stable machine code. Serialized as the code string; never renamed.
        ///
        /// The prefix names the check: `lifecycle` (the move itself), `schedule`,
        /// `dispatch`, `hold`, `cancel`, `complete`, `close` (requirements of the
        /// transition), `status` (time checks against `now`). The table with every code,
        /// its rule, default severity and meaning is in the [module docs](crate::orders#finding-codes).
        #[non_exhaustive]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum FindingCode {
            $( #[doc = concat!("`", $code, "`: ", $doc)] $variant, )*
        }

        impl FindingCode {
            /// Every code, in the documented order (findings are reported in this order).
            pub const ALL: &'static [FindingCode] = &[ $( FindingCode::$variant, )* ];

            /// The stable code, such as `close.signature_missing`.
            pub const fn code(self) -> &'static str {
                match self { $( FindingCode::$variant => $code, )* }
            }

            /// The practice rule the check serves.
            pub const fn rule(self) -> Rule {
                match self { $( FindingCode::$variant => Rule::$rule, )* }
            }

            /// The severity unless the policy says otherwise.
            pub const fn default_severity(self) -> Severity {
                match self { $( FindingCode::$variant => Severity::$sev, )* }
            }

            /// What the finding means, in one sentence.
            pub const fn meaning(self) -> &'static str {
                match self { $( FindingCode::$variant => $doc, )* }
            }

            #[cfg_attr(not(test), allow(dead_code))]
            pub(crate) const fn gate(self) -> Gate {
                match self { $( FindingCode::$variant => $gate, )* }
            }
        }
    };
}

finding_codes! {
    TransitionNotAllowed = "lifecycle.transition_not_allowed", O4, Blocker, Gate::Lifecycle,
        "the lifecycle does not allow this move (from a final stage, or skipping the work)";
    RequestMissing = "schedule.request_missing", O2, Blocker, Gate::Rank(1),
        "the customer's request, in their own words, is blank";
    InstructionsNotAsked = "schedule.instructions_not_asked", O2, Warning, Gate::Rank(1),
        "nobody recorded whether there are special instructions or warnings (an explicit \"none\" satisfies it)";
    SiteMissing = "schedule.site_missing", O2, Blocker, Gate::Rank(1),
        "no site address";
    ContactMissing = "schedule.contact_missing", O2, Warning, Gate::Rank(1),
        "no contact person for the site";
    WorkItemsMissing = "schedule.work_items_missing", O2, Warning, Gate::Rank(1),
        "no planned work items";
    AppointmentMissing = "schedule.appointment_missing", O1, Blocker, Gate::Rank(1),
        "no appointment";
    AppointmentNotOnFirstContact = "schedule.appointment_not_on_first_contact", O1, Info, Gate::Rank(1),
        "the appointment was set later than the policy allows after the first contact";
    TechnicianMissing = "dispatch.technician_missing", O4, Blocker, Gate::Rank(2),
        "no technician assigned";
    HoldCustomerNotTold = "hold.customer_not_told", O4, Blocker, Gate::Hold,
        "the job stops without the customer told why and what happens next";
    CancelCustomerNotTold = "cancel.customer_not_told", O4, Blocker, Gate::Cancel,
        "the order is cancelled without the customer told";
    WorkNotDocumented = "complete.work_not_documented", O5, Blocker, Gate::Rank(4),
        "nothing recorded as work performed";
    PlannedWorkNotDone = "complete.planned_work_not_done", O5, Warning, Gate::Rank(4),
        "a planned work item has no work performed against it";
    ChecklistMissing = "complete.checklist_missing", O6, Blocker, Gate::Rank(4),
        "the service type has a checklist template but the order has no checklist";
    ChecklistWrongTemplate = "complete.checklist_wrong_template", O6, Blocker, Gate::Rank(4),
        "the checklist comes from another service type's template";
    ChecklistItemOpen = "complete.checklist_item_open", O6, Blocker, Gate::Rank(4),
        "a required checklist item is neither done nor waived";
    ItemSatisfiedWrongWay = "complete.item_satisfied_wrong_way", O6, Blocker, Gate::Rank(4),
        "a checklist item was done or waived in a way its template does not allow";
    WaiverUnexplained = "complete.waiver_unexplained", O6, Blocker, Gate::Rank(4),
        "a checklist item was waived without a reason";
    ChecklistTickStale = "complete.checklist_tick_stale", O6, Warning, Gate::Rank(4),
        "the work or parts changed after a checklist item was ticked";
    CleanUpNotConfirmed = "complete.clean_up_not_confirmed", O6, Blocker, Gate::Rank(4),
        "clean-up of the site is not confirmed";
    PartNotPlanned = "complete.part_not_planned", O5, Info, Gate::Rank(4),
        "a part was used that was not planned";
    PartQuantityDiffers = "complete.part_quantity_differs", O5, Warning, Gate::Rank(4),
        "a planned part was used in a different quantity (or not at all)";
    ObservationsMissing = "complete.observations_missing", O7, Warning, Gate::Rank(4),
        "no observations recorded (an explicit \"none\" satisfies it)";
    SignatureMissing = "close.signature_missing", O3, Blocker, Gate::Rank(5),
        "the customer has not signed off";
    SignerNameMissing = "close.signer_name_missing", O3, Blocker, Gate::Rank(5),
        "the sign-off has no signer's name";
    SignedOffSite = "close.signed_off_site", O3, Warning, Gate::Rank(5),
        "the customer signed away from the work site";
    SignedBeforeWork = "close.signed_before_work", O3, Blocker, Gate::Rank(5),
        "the sign-off is dated before the work started";
    SignatureStale = "close.signature_stale", O3, Blocker, Gate::Rank(5),
        "the work or parts changed after the customer signed";
    CompletionNotTold = "close.customer_not_told", O5, Blocker, Gate::Rank(5),
        "the customer has not been told the work is complete";
    ThanksMissing = "close.thanks_missing", O8, Warning, Gate::Rank(6),
        "the customer was not thanked";
    ReferralNotAsked = "close.referral_not_asked", O8, Warning, Gate::Rank(6),
        "the customer was not asked for a referral";
    FeedbackNotAsked = "close.feedback_not_asked", O9, Warning, Gate::Rank(6),
        "the customer was not asked for feedback";
    NextServiceNotAgreed = "close.next_service_not_agreed", O9, Warning, Gate::Rank(6),
        "no next service agreed (or recorded as not needed)";
    AppointmentNotConfirmed = "status.appointment_not_confirmed", O4, Warning, Gate::Time,
        "the appointment is near (or past) and the customer has not confirmed it";
    CustomerNotUpdated = "status.customer_not_updated", O4, Warning, Gate::Time,
        "the job has been in progress or on hold longer than the policy allows without a status update to the customer";
    SignOffOverdue = "status.sign_off_overdue", O3, Warning, Gate::Time,
        "the job was completed longer ago than the policy allows and is not signed off";
    CompletionNotToldInTime = "status.completion_not_told", O5, Warning, Gate::Time,
        "the job was completed longer ago than the policy allows and the customer has not been told";
    AppointmentNotSet = "status.appointment_not_set", O1, Warning, Gate::Time,
        "a new order (an inquiry) has had no appointment for longer than the policy allows after the first contact";
    WorkNotAsked = "status.work_not_asked", O1, Warning, Gate::Time,
        "the first contact ended without the business asking for the work";
}

impl FindingCode {
    /// The code with this string, if any.
    ///
    /// ```
    /// use retention::orders::FindingCode;
    /// assert_eq!(FindingCode::from_code("close.signature_missing"), Some(FindingCode::SignatureMissing));
    /// assert_eq!(FindingCode::from_code("close.nope"), None);
    /// ```
    pub fn from_code(code: &str) -> Option<FindingCode> {
        FindingCode::ALL.iter().copied().find(|c| c.code() == code)
    }
}

crate::codes::code_json_schema!(
    FindingCode,
    "A finding's stable machine code. Serialized as the code string; never renamed.\n\n\
     The prefix names the check: `lifecycle` (the move itself), `schedule`, `dispatch`, \
     `hold`, `cancel`, `complete`, `close` (requirements of the transition), `status` \
     (time checks against `now`)."
);

impl fmt::Display for FindingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for FindingCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for FindingCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        FindingCode::from_code(&code)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown finding code `{code}`")))
    }
}

/// One finding: what is wrong, how much it matters, which rule, where, and a sentence.
///
/// ```json
/// {"code": "close.signature_missing", "severity": "blocker", "rule": "O3",
///  "path": "sign_off", "sentence": "the customer has not signed off the work"}
/// ```
/// `subject` names the checklist item, work item or part the finding is about.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Finding {
    /// The stable code.
    pub code: FindingCode,
    /// As the policy rates it.
    pub severity: Severity,
    /// The rule it serves.
    pub rule: Rule,
    /// The field it is about.
    pub path: FieldPath,
    /// The checklist item id, work item id or part number, when about one of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Its facts, typed: what [`sentence`](Self::sentence) is rendered from (each code's
    /// arguments are in the [module docs](super)).
    #[serde(default)]
    pub args: Args,
    /// A sentence for people, with the actual numbers, rendered from `code` and `args`
    /// by [`text::english`](crate::text::english).
    pub sentence: String,
}

/// How many of the target's requirements are met, for a UI: "5 of 7 requirements met".
///
/// Each requirement counts once (each required checklist item and each planned work item
/// separately; the sign-off counts as five: present, named, on site, after the work,
/// current). A requirement that depends on a missing piece counts as unmet. Time checks
/// are not requirements and do not count.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Progress {
    /// Requirements met.
    pub met: u32,
    /// Requirements checked.
    pub total: u32,
}

impl fmt::Display for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} of {} requirements met", self.met, self.total)
    }
}

/// The answer to "may this order move to that stage?" or "how is this order doing now?".
///
/// ```json
/// {"order": "o-1", "stage": "completed", "target": "closed", "allowed": false,
///  "progress": {"met": 9, "total": 11}, "findings": [...]}
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct OrderReport {
    /// The order.
    pub order: OrderId,
    /// Its current stage.
    pub stage: Stage,
    /// The stage asked about; absent for a check of the current stage ("check now").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Stage>,
    /// No finding is a blocker.
    pub allowed: bool,
    /// Requirements met.
    pub progress: Progress,
    /// Every finding, in the documented order.
    pub findings: Vec<Finding>,
}

impl OrderReport {
    /// The blockers.
    pub fn blockers(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Blocker)
    }

    /// Whether some finding has this code.
    pub fn has(&self, code: FindingCode) -> bool {
        self.findings.iter().any(|f| f.code == code)
    }
}

/// An upgrade or value-add a technician noticed, for sales to act on (O7).
///
/// ```json
/// {"order": "o-1", "account": "a-7", "technician": "u-4", "category": "upgrade",
///  "note": "Boiler is 19 years old", "estimated_value": {"amount": "3200.00", "currency": "USD"},
///  "observed_at": "2026-11-26T15:30:00Z", "path": "observations.items[0]"}
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct Opportunity {
    /// The order it was noticed on.
    pub order: OrderId,
    /// The customer.
    pub account: AccountId,
    /// Who noticed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub technician: Option<UserId>,
    /// Upgrade or value-add.
    pub category: ObservationKind,
    /// What the technician saw.
    pub note: String,
    /// The technician's guess of its worth.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_value: Option<Money>,
    /// When the job was completed (the last `completed` status change), if it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_at: Option<DateTime<Utc>>,
    /// Where in the order: `observations.items[0]`.
    pub path: FieldPath,
}
