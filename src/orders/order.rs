//! The service order: everything captured from the first call to the close (O1-O9).

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::fingerprint::Fnv1a64;
use super::policy::OrderPolicy;
use crate::error::{Error, ErrorKind, FieldPath, Problems};
use crate::model::flat::{Date, Instant, Slot};
use crate::model::{AccountId, Channel, Money, OrderId, PersonId, UserId};

/// A stage of the order's life.
///
/// The main line runs `new` → `scheduled` → `dispatched` → `in_progress` → `completed` →
/// `signed_off` → `closed`. `on_hold` and `partially_complete` branch off `in_progress`
/// (the job stopped, and the customer must know why and what happens next, O4);
/// `cancelled` ends an order that will not be done. In JSON a stage is its snake_case
/// name: `"in_progress"`.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Taken in, no appointment yet.
    New,
    /// An appointment is set.
    Scheduled,
    /// A technician is assigned and on the way (or has the job on their list).
    Dispatched,
    /// Work has started on site.
    InProgress,
    /// Work stopped and waits for something (parts, access, the customer's decision).
    OnHold,
    /// Part of the work is done; the rest needs another visit.
    PartiallyComplete,
    /// The technician has finished the work.
    Completed,
    /// The customer has signed off the finished work.
    SignedOff,
    /// Nothing more to do: billed, thanked, feedback asked.
    Closed,
    /// The order will not be done.
    Cancelled,
}

impl Stage {
    /// Every stage, in declaration order.
    pub const ALL: &'static [Stage] = &[
        Stage::New,
        Stage::Scheduled,
        Stage::Dispatched,
        Stage::InProgress,
        Stage::OnHold,
        Stage::PartiallyComplete,
        Stage::Completed,
        Stage::SignedOff,
        Stage::Closed,
        Stage::Cancelled,
    ];

    /// The stage's snake_case name, as in JSON.
    pub const fn as_str(self) -> &'static str {
        match self {
            Stage::New => "new",
            Stage::Scheduled => "scheduled",
            Stage::Dispatched => "dispatched",
            Stage::InProgress => "in_progress",
            Stage::OnHold => "on_hold",
            Stage::PartiallyComplete => "partially_complete",
            Stage::Completed => "completed",
            Stage::SignedOff => "signed_off",
            Stage::Closed => "closed",
            Stage::Cancelled => "cancelled",
        }
    }

    /// Position on the main line: `new` 0 .. `closed` 6. The hold branches rank with
    /// `in_progress` (3); `cancelled` ranks 0 (it needs nothing of the main line).
    pub(crate) const fn rank(self) -> u8 {
        match self {
            Stage::New | Stage::Cancelled => 0,
            Stage::Scheduled => 1,
            Stage::Dispatched => 2,
            Stage::InProgress | Stage::OnHold | Stage::PartiallyComplete => 3,
            Stage::Completed => 4,
            Stage::SignedOff => 5,
            Stage::Closed => 6,
        }
    }

    /// Whether the lifecycle lets an order move from `self` to `to`.
    ///
    /// | from | may move to |
    /// | --- | --- |
    /// | `new`, `scheduled`, `dispatched` | any later stage of the main line up to `in_progress`; `scheduled` again (rescheduling); `cancelled` |
    /// | `in_progress` | `on_hold`, `partially_complete`, `completed`, `cancelled` |
    /// | `on_hold`, `partially_complete` | `scheduled`, `dispatched`, `in_progress`, `completed`, the other hold stage, `cancelled` |
    /// | `completed` | `signed_off`, `closed`, `in_progress` (reopened) |
    /// | `signed_off` | `closed`, `in_progress` (reopened) |
    /// | `closed`, `cancelled` | nothing: they are final |
    ///
    /// Every stage may "move" to itself: checking the stage an order is in is a re-check
    /// ("is this completion complete?"), and `scheduled` to `scheduled` is a reschedule.
    ///
    /// ```
    /// use retention::orders::Stage;
    /// assert!(Stage::Completed.may_move_to(Stage::Closed));
    /// assert!(!Stage::Scheduled.may_move_to(Stage::Completed));
    /// assert!(!Stage::Closed.may_move_to(Stage::InProgress));
    /// ```
    pub const fn may_move_to(self, to: Stage) -> bool {
        use Stage::*;
        if self as u8 == to as u8 {
            // A check of the stage the order is in: a re-check, never a move.
            return true;
        }
        match self {
            New | Scheduled | Dispatched => {
                matches!(to, Scheduled | Cancelled)
                    || (matches!(to, Dispatched | InProgress) && to.rank() > self.rank())
            }
            InProgress => matches!(to, OnHold | PartiallyComplete | Completed | Cancelled),
            OnHold | PartiallyComplete => matches!(
                to,
                Scheduled
                    | Dispatched
                    | InProgress
                    | Completed
                    | Cancelled
                    | OnHold
                    | PartiallyComplete
            ),
            Completed => matches!(to, SignedOff | Closed | InProgress),
            SignedOff => matches!(to, Closed | InProgress),
            Closed | Cancelled => false,
        }
    }
}

impl std::fmt::Display for Stage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the customer asked for, captured at intake (O2).
///
/// ```json
/// {"request": "The boiler makes a banging noise when the heating starts",
///  "special_instructions": {"kind": "given", "notes": ["Gate code 4411", "Dog in the yard"]}}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Intake {
    /// The request in the customer's own words.
    pub request: String,
    /// Special details and warnings. Absent means nobody asked (a finding);
    /// `{"kind": "none"}` means the customer was asked and had nothing to add.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub special_instructions: Option<Instructions>,
    /// Whether the business asked for the work on the first contact (O1): `false` is a
    /// finding (`status.work_not_asked`) while the order is new or after it was
    /// cancelled; absent means not recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asked_for_work: Option<bool>,
}

impl Intake {
    /// An intake with the customer's request and nothing asked about special instructions.
    pub fn new(request: impl Into<String>) -> Intake {
        Intake {
            request: request.into(),
            special_instructions: None,
            asked_for_work: None,
        }
    }
}

/// One of the after-care checks every completed order gets until it is recorded or
/// waived (O8, O9). In JSON, the snake_case name: `"referral"`.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum AfterCare {
    /// Thank the customer (O8).
    Thanks,
    /// Ask for a referral (O8).
    Referral,
    /// Ask for feedback (O9).
    Feedback,
    /// Agree the next service (O9).
    NextService,
}

impl AfterCare {
    /// The JSON name (`"referral"`); also what `Display` prints.
    ///
    /// ```
    /// use retention::orders::AfterCare;
    /// assert_eq!(AfterCare::Referral.as_str(), "referral");
    /// assert_eq!(AfterCare::Referral.to_string(), "referral");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            AfterCare::Thanks => "thanks",
            AfterCare::Referral => "referral",
            AfterCare::Feedback => "feedback",
            AfterCare::NextService => "next_service",
        }
    }
}

crate::codes::display_as_str!(AfterCare);

/// An after-care check waived, with why (O8, O9): `{"check": "referral", "reason": "the
/// customer asked not to be asked"}`. A waiver without a reason does not count.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AfterCareWaiver {
    /// The check waived.
    pub check: AfterCare,
    /// Why.
    pub reason: String,
}

impl AfterCareWaiver {
    /// `check` waived for `reason`.
    ///
    /// ```
    /// use retention::orders::{AfterCare, AfterCareWaiver};
    /// let w = AfterCareWaiver::new(AfterCare::Referral, "asked not to be asked");
    /// assert_eq!(serde_json::to_string(&w)?, r#"{"check":"referral","reason":"asked not to be asked"}"#);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn new(check: AfterCare, reason: impl Into<String>) -> AfterCareWaiver {
        AfterCareWaiver {
            check,
            reason: reason.into(),
        }
    }
}

/// The answer to "anything we should know?" (O2). In JSON `{"kind": "none"}` or
/// `{"kind": "given", "notes": ["Gate code 4411"]}`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "InstructionsRepr")]
// The schema is the tagged shape itself, strict as the flat reader is.
#[cfg_attr(feature = "schemars", schemars(!try_from, deny_unknown_fields))]
pub enum Instructions {
    /// Asked; the customer had nothing to add.
    None {},
    /// Details and warnings for whoever goes to the site.
    Given {
        /// One note each: "Gate code 4411", "Watch out for the dog".
        notes: Vec<String>,
    },
}

/// Where the work happens. `{"address": "12 Elm St, Springfield", "access": "Side door"}`
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// The street address, as the technician navigates to it.
    pub address: String,
    /// How to get in, where to park.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<String>,
}

impl Site {
    /// A site at `address`.
    pub fn new(address: impl Into<String>) -> Site {
        Site {
            address: address.into(),
            access: None,
        }
    }
}

/// A piece of work the customer asked for. `{"id": "w-1", "description": "Service boiler"}`
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WorkItem {
    /// The host's id for the item, unique in the order.
    pub id: String,
    /// What is to be done.
    pub description: String,
}

impl WorkItem {
    /// A planned work item.
    pub fn new(id: impl Into<String>, description: impl Into<String>) -> WorkItem {
        WorkItem {
            id: id.into(),
            description: description.into(),
        }
    }
}

/// A part line, planned or used: `{"part": "VALVE-22", "quantity": "2"}`. Quantities are
/// exact decimals (2.5 metres of pipe), written as strings in JSON; a negative quantity is
/// refused (`orders.negative_quantity`). Lines with the same `part` are added together
/// when planned and used parts are reconciled.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PartLine {
    /// The part number (SKU).
    pub part: String,
    /// How many.
    pub quantity: Decimal,
    /// A description for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl PartLine {
    /// `quantity` of `part`.
    pub fn new(part: impl Into<String>, quantity: Decimal) -> PartLine {
        PartLine {
            part: part.into(),
            quantity,
            description: None,
        }
    }
}

/// The appointment (O1): the window the customer expects the technician, when it was
/// set, and when the customer confirmed it.
///
/// ```json
/// {"start": "2026-11-26T14:00:00Z", "end": "2026-11-26T16:00:00Z",
///  "set_at": "2026-11-24T09:05:00Z", "confirmed_at": "2026-11-25T10:00:00Z"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Appointment {
    /// The window opens.
    #[serde(deserialize_with = "crate::model::wire::instant")]
    pub start: DateTime<Utc>,
    /// The window closes (after `start`, or `orders.appointment_reversed`).
    #[serde(deserialize_with = "crate::model::wire::instant")]
    pub end: DateTime<Utc>,
    /// When the appointment was made.
    #[serde(deserialize_with = "crate::model::wire::instant")]
    pub set_at: DateTime<Utc>,
    /// When the customer confirmed it, if they have.
    #[serde(
        deserialize_with = "crate::model::wire::opt_instant",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub confirmed_at: Option<DateTime<Utc>>,
}

impl Appointment {
    /// A window from `start` to `end`, made at `set_at`, not yet confirmed.
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>, set_at: DateTime<Utc>) -> Appointment {
        Appointment {
            start,
            end,
            set_at,
            confirmed_at: None,
        }
    }
}

/// One change of stage. `{"stage": "in_progress", "at": "2026-11-26T14:10:00Z", "by": "u-4"}`
///
/// The history is in time order (equal instants allowed); the order's current stage is
/// the stage of its last entry, or `new` when the history is empty.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    /// The stage entered.
    pub stage: Stage,
    /// When.
    #[serde(deserialize_with = "crate::model::wire::instant")]
    pub at: DateTime<Utc>,
    /// Who changed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<UserId>,
    /// Why (for people).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl StatusChange {
    /// Entering `stage` at `at`.
    pub fn new(stage: Stage, at: DateTime<Utc>) -> StatusChange {
        StatusChange {
            stage,
            at,
            by: None,
            note: None,
        }
    }
}

/// A status update given to the customer (O4): what is happening, and what happens next.
///
/// ```json
/// {"at": "2026-11-26T15:00:00Z", "channel": "sms",
///  "message": "The valve is on order", "next_step": "We come back Friday 9-11am"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CustomerUpdate {
    /// When the customer was told.
    #[serde(deserialize_with = "crate::model::wire::instant")]
    pub at: DateTime<Utc>,
    /// How.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
    /// What they were told.
    pub message: String,
    /// What happens next and when, if said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_step: Option<String>,
}

impl CustomerUpdate {
    /// The customer was told `message` at `at`.
    pub fn new(at: DateTime<Utc>, message: impl Into<String>) -> CustomerUpdate {
        CustomerUpdate {
            at,
            channel: None,
            message: message.into(),
            next_step: None,
        }
    }
}

/// The job's checklist (O6): which template, and the state of each item worked so far.
///
/// ```json
/// {"template": "boiler-v2", "items": [
///   {"item": "isolate_power", "state": {"kind": "done", "by": "u-4", "at": "2026-11-26T14:12:00Z"}},
///   {"item": "flue_test", "state": {"kind": "waived", "by": "u-9", "reason": "Flue sealed by landlord"}}
/// ]}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Checklist {
    /// The policy's template id.
    pub template: String,
    /// Items worked so far; items of the template not listed are open.
    #[serde(default)]
    pub items: Vec<ChecklistEntry>,
}

impl Checklist {
    /// An empty checklist from `template`.
    pub fn new(template: impl Into<String>) -> Checklist {
        Checklist {
            template: template.into(),
            items: Vec::new(),
        }
    }
}

/// One worked checklist item.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ChecklistEntry {
    /// The template item's id.
    pub item: String,
    /// Done or waived.
    pub state: ItemState,
}

impl ChecklistEntry {
    /// Item `item` in `state`.
    pub fn new(item: impl Into<String>, state: ItemState) -> ChecklistEntry {
        ChecklistEntry {
            item: item.into(),
            state,
        }
    }
}

/// How a checklist item was satisfied. `{"kind": "done", "by": "u-4", "at": "...",
/// "work_fingerprint": "..."}` or `{"kind": "waived", "by": "u-9", "reason": "..."}`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "ItemStateRepr")]
// The schema is the tagged shape itself, strict as the flat reader is.
#[cfg_attr(feature = "schemars", schemars(!try_from, deny_unknown_fields))]
pub enum ItemState {
    /// Ticked.
    Done {
        /// Who ticked it.
        by: UserId,
        /// When.
        #[serde(deserialize_with = "crate::model::wire::instant")]
        at: DateTime<Utc>,
        /// [`ServiceOrder::work_fingerprint`] when it was ticked, if the host stored it:
        /// the tick is stale when the work or parts changed since.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        work_fingerprint: Option<String>,
    },
    /// Deliberately not done, with who decided and why.
    Waived {
        /// Who waived it.
        by: UserId,
        /// Why (a blank reason is a finding, `complete.waiver_unexplained`).
        reason: String,
    },
}

impl ItemState {
    /// The state, as in JSON's `kind` tag (`"done"`, `"waived"`).
    pub const fn as_str(&self) -> &'static str {
        match self {
            ItemState::Done { .. } => "done",
            ItemState::Waived { .. } => "waived",
        }
    }
}

crate::codes::display_as_str!(ItemState);

// The tagged enums of an order are read through a flat shape (see `crate::model::flat`): serde's
// internally tagged reader buffers every object whole before it looks at the kind, and
// the orders' checklists are a large part of a book's JSON.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InstructionsRepr {
    kind: InstructionsKind,
    #[serde(default)]
    notes: Slot<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum InstructionsKind {
    None,
    Given,
}

impl TryFrom<InstructionsRepr> for Instructions {
    type Error = &'static str;
    fn try_from(r: InstructionsRepr) -> Result<Instructions, Self::Error> {
        match (r.kind, r.notes) {
            (InstructionsKind::None, Slot::Absent) => Ok(Instructions::None {}),
            (InstructionsKind::Given, Slot::Given(notes)) => Ok(Instructions::Given { notes }),
            (InstructionsKind::Given, Slot::Absent | Slot::Null) => {
                Err("instructions of kind `given` need their `notes` (a list, not `null`)")
            }
            (InstructionsKind::None, Slot::Null | Slot::Given(_)) => Err(
                "only instructions of kind `given` have `notes`; kind `none` may not name \
                 them, not even as `null`",
            ),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemStateRepr {
    kind: ItemStateKind,
    #[serde(default)]
    by: Slot<UserId>,
    #[serde(default)]
    at: Slot<Instant>,
    #[serde(default)]
    work_fingerprint: Slot<String>,
    #[serde(default)]
    reason: Slot<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ItemStateKind {
    Done,
    Waived,
}

impl TryFrom<ItemStateRepr> for ItemState {
    type Error = &'static str;
    fn try_from(r: ItemStateRepr) -> Result<ItemState, Self::Error> {
        use Slot::{Absent, Given, Null};
        match (r.kind, r.by, r.at, r.work_fingerprint, r.reason) {
            (ItemStateKind::Done, Given(by), Given(Instant(at)), fingerprint, Absent) => {
                let work_fingerprint = match fingerprint {
                    Given(f) => Some(f),
                    Absent | Null => None,
                };
                Ok(ItemState::Done {
                    by,
                    at,
                    work_fingerprint,
                })
            }
            (ItemStateKind::Waived, Given(by), Absent, Absent, Given(reason)) => {
                Ok(ItemState::Waived { by, reason })
            }
            _ => Err(
                "a checklist item's state takes exactly the fields of its kind: `by` and \
                 `at` (and `work_fingerprint`, which may be `null`) for done, `by` and \
                 `reason` for waived (a field of the other kind is refused even as `null`, \
                 and `by`, `at` and `reason` may not be `null`)",
            ),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ObservationsRepr {
    kind: ObservationsKind,
    #[serde(default)]
    items: Slot<Vec<Observation>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum ObservationsKind {
    None,
    Recorded,
}

impl TryFrom<ObservationsRepr> for Observations {
    type Error = &'static str;
    fn try_from(r: ObservationsRepr) -> Result<Observations, Self::Error> {
        match (r.kind, r.items) {
            (ObservationsKind::None, Slot::Absent) => Ok(Observations::None {}),
            (ObservationsKind::Recorded, Slot::Given(items)) => {
                Ok(Observations::Recorded { items })
            }
            (ObservationsKind::Recorded, Slot::Absent | Slot::Null) => {
                Err("observations of kind `recorded` need their `items` (a list, not `null`)")
            }
            (ObservationsKind::None, Slot::Null | Slot::Given(_)) => Err(
                "only observations of kind `recorded` have `items`; kind `none` may not \
                 name them, not even as `null`",
            ),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NextServiceRepr {
    kind: NextServiceKind,
    #[serde(default)]
    on: Slot<Date>,
    #[serde(default)]
    how: Slot<String>,
    #[serde(default)]
    reason: Slot<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum NextServiceKind {
    Agreed,
    NotNeeded,
}

impl TryFrom<NextServiceRepr> for NextService {
    type Error = &'static str;
    fn try_from(r: NextServiceRepr) -> Result<NextService, Self::Error> {
        use Slot::{Absent, Given, Null};
        match (r.kind, r.on, r.how, r.reason) {
            (NextServiceKind::Agreed, Given(Date(on)), how, Absent) => Ok(NextService::Agreed {
                on,
                how: match how {
                    Given(h) => Some(h),
                    Absent | Null => None,
                },
            }),
            (NextServiceKind::NotNeeded, Absent, Absent, Given(reason)) => {
                Ok(NextService::NotNeeded { reason })
            }
            _ => Err(
                "a next service takes exactly the fields of its kind: `on` (and `how`, which \
                 may be `null`) for agreed, `reason` for not_needed (a field of the other \
                 kind is refused even as `null`, and `on` and `reason` may not be `null`)",
            ),
        }
    }
}

/// A piece of work the technician did (O5).
/// `{"description": "Replaced the pressure valve", "item": "w-1"}`
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WorkDone {
    /// What was done, for the customer's record.
    pub description: String,
    /// The planned [`WorkItem::id`] this fulfils, if any (an id not planned is refused,
    /// `orders.unknown_work_item`); none for extra work.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
}

impl WorkDone {
    /// Work described by `description`, not tied to a planned item.
    pub fn new(description: impl Into<String>) -> WorkDone {
        WorkDone {
            description: description.into(),
            item: None,
        }
    }

    /// Work described by `description` that fulfils the planned item `item`.
    pub fn for_item(description: impl Into<String>, item: impl Into<String>) -> WorkDone {
        WorkDone {
            description: description.into(),
            item: Some(item.into()),
        }
    }
}

/// The technician's observations (O7). Absent means nobody recorded any (a finding);
/// `{"kind": "none"}` means the technician looked and had nothing to report;
/// `{"kind": "recorded", "items": [...]}` lists them.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "ObservationsRepr")]
// The schema is the tagged shape itself, strict as the flat reader is.
#[cfg_attr(feature = "schemars", schemars(!try_from, deny_unknown_fields))]
pub enum Observations {
    /// Looked, nothing to report.
    None {},
    /// What the technician noticed.
    Recorded {
        /// One observation each.
        items: Vec<Observation>,
    },
}

/// What an observation is about.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ObservationKind {
    /// Equipment worth upgrading: something sales can offer.
    Upgrade,
    /// A service that would add value: something sales can offer.
    ValueAdd,
    /// A problem the customer should know about.
    Issue,
}

impl ObservationKind {
    /// The kind as in JSON: `"value_add"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ObservationKind::Upgrade => "upgrade",
            ObservationKind::ValueAdd => "value_add",
            ObservationKind::Issue => "issue",
        }
    }
}

impl std::fmt::Display for ObservationKind {
    /// The kind as in JSON: `value_add`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One observation. `{"category": "upgrade", "note": "Boiler is 19 years old", "estimated_value": {"amount": "3200.00", "currency": "USD"}}`
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Observation {
    /// Upgrade, value-add or issue.
    pub category: ObservationKind,
    /// What the technician saw.
    pub note: String,
    /// What the offer might be worth, if the technician guessed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_value: Option<Money>,
}

impl Observation {
    /// An observation of `category`.
    pub fn new(category: ObservationKind, note: impl Into<String>) -> Observation {
        Observation {
            category,
            note: note.into(),
            estimated_value: None,
        }
    }
}

/// The customer was told the work is complete (O5). `{"at": "...", "channel": "visit"}`
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CompletionNotice {
    /// When.
    #[serde(deserialize_with = "crate::model::wire::instant")]
    pub at: DateTime<Utc>,
    /// How.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<Channel>,
}

impl CompletionNotice {
    /// Told at `at`.
    pub fn new(at: DateTime<Utc>) -> CompletionNotice {
        CompletionNotice { at, channel: None }
    }
}

/// The customer's sign-off (O3).
///
/// ```json
/// {"signer_name": "Lena Ortiz", "at": "2026-11-26T15:40:00Z", "on_site": true,
///  "work_fingerprint": "5d2f7c1a09e3b6f4"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SignOff {
    /// Who signed, as they wrote their name.
    pub signer_name: String,
    /// When.
    #[serde(deserialize_with = "crate::model::wire::instant")]
    pub at: DateTime<Utc>,
    /// Whether they signed at the work site.
    pub on_site: bool,
    /// [`ServiceOrder::work_fingerprint`] at the moment of signing. Without it the engine
    /// cannot tell a stale signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_fingerprint: Option<String>,
}

impl SignOff {
    /// `signer_name` signed at `at`, on site or not.
    pub fn new(signer_name: impl Into<String>, at: DateTime<Utc>, on_site: bool) -> SignOff {
        SignOff {
            signer_name: signer_name.into(),
            at,
            on_site,
            work_fingerprint: None,
        }
    }
}

/// The next service (O9): agreed, or not needed. `{"kind": "agreed", "on": "2027-05-26",
/// "how": "Annual service visit"}` or `{"kind": "not_needed", "reason": "One-off repair"}`.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "NextServiceRepr")]
// The schema is the tagged shape itself, strict as the flat reader is.
#[cfg_attr(feature = "schemars", schemars(!try_from, deny_unknown_fields))]
pub enum NextService {
    /// Agreed with the customer.
    Agreed {
        /// When.
        #[serde(deserialize_with = "crate::model::wire::date")]
        on: NaiveDate,
        /// How (a visit, a call).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        how: Option<String>,
    },
    /// The customer was asked; no next service is needed.
    NotNeeded {
        /// Why.
        reason: String,
    },
}

/// A service order, as the host stores it: everything the practice asks to capture, from
/// the first call to the close (O1-O9). Plain owned data; optional parts may be absent
/// from JSON. See the [module docs](crate::orders) for a complete example.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ServiceOrder {
    /// The order.
    pub id: OrderId,
    /// The customer.
    pub account: AccountId,
    /// The kind of service (`"boiler_service"`): picks the policy's checklist template.
    pub service_type: String,
    /// When the customer first got in touch about this order (O1).
    #[serde(deserialize_with = "crate::model::wire::instant")]
    pub first_contact_at: DateTime<Utc>,
    /// What the customer asked for (O2).
    pub intake: Intake,
    /// Where.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<Site>,
    /// The person to deal with on site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<PersonId>,
    /// The work the customer asked for, item by item.
    #[serde(default)]
    pub planned_work: Vec<WorkItem>,
    /// The parts expected.
    #[serde(default)]
    pub planned_parts: Vec<PartLine>,
    /// The appointment (O1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub appointment: Option<Appointment>,
    /// The assigned technician.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub technician: Option<UserId>,
    /// Every change of stage, oldest first (O4).
    #[serde(default)]
    pub status_history: Vec<StatusChange>,
    /// Status updates given to the customer, in any order (O4).
    #[serde(default)]
    pub customer_updates: Vec<CustomerUpdate>,
    /// The checklist (O6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checklist: Option<Checklist>,
    /// What was done (O5).
    #[serde(default)]
    pub work_performed: Vec<WorkDone>,
    /// The parts used, reconciled against the planned parts.
    #[serde(default)]
    pub parts_used: Vec<PartLine>,
    /// The technician's observations (O7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observations: Option<Observations>,
    /// Recommendations for the customer (O5).
    #[serde(default)]
    pub recommendations: Vec<String>,
    /// The technician confirmed the site was cleaned up (O6).
    #[serde(default)]
    pub clean_up_confirmed: bool,
    /// The customer was told the work is complete (O5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_notice: Option<CompletionNotice>,
    /// The customer's sign-off (O3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sign_off: Option<SignOff>,
    /// When the customer was thanked (O8).
    #[serde(
        deserialize_with = "crate::model::wire::opt_instant",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub thanked_at: Option<DateTime<Utc>>,
    /// When the customer was asked for a referral (O8).
    #[serde(
        deserialize_with = "crate::model::wire::opt_instant",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub referral_asked_at: Option<DateTime<Utc>>,
    /// When the customer was asked for feedback (O9).
    #[serde(
        deserialize_with = "crate::model::wire::opt_instant",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub feedback_asked_at: Option<DateTime<Utc>>,
    /// The next service, agreed or not needed (O9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_service: Option<NextService>,
    /// After-care checks waived, each with why (O8, O9).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after_care_waived: Vec<AfterCareWaiver>,
}

impl ServiceOrder {
    /// A new order: everything else empty, stage `new`.
    pub fn new(
        id: impl Into<OrderId>,
        account: impl Into<AccountId>,
        service_type: impl Into<String>,
        first_contact_at: DateTime<Utc>,
        intake: Intake,
    ) -> ServiceOrder {
        ServiceOrder {
            id: id.into(),
            account: account.into(),
            service_type: service_type.into(),
            first_contact_at,
            intake,
            site: None,
            contact: None,
            planned_work: Vec::new(),
            planned_parts: Vec::new(),
            appointment: None,
            technician: None,
            status_history: Vec::new(),
            customer_updates: Vec::new(),
            checklist: None,
            work_performed: Vec::new(),
            parts_used: Vec::new(),
            observations: None,
            recommendations: Vec::new(),
            clean_up_confirmed: false,
            completion_notice: None,
            sign_off: None,
            thanked_at: None,
            referral_asked_at: None,
            feedback_asked_at: None,
            next_service: None,
            after_care_waived: Vec::new(),
        }
    }

    /// The current stage: the stage of the last status change, `new` if there is none.
    pub fn stage(&self) -> Stage {
        self.status_history.last().map_or(Stage::New, |s| s.stage)
    }

    /// A fingerprint of the work performed and the parts used, as 16 lowercase hex digits.
    ///
    /// Store it when the customer signs ([`SignOff::work_fingerprint`]) or a checklist
    /// item is ticked: if the work or parts change afterwards the fingerprint changes and
    /// the signature or tick is reported stale. The value is stable across platforms, runs
    /// and crate versions: FNV-1a 64 (offset basis `0xcbf29ce484222325`, prime
    /// `0x100000001b3`) over this canonical encoding:
    ///
    /// 1. the ASCII bytes `retention.orders.work.v1`;
    /// 2. the number of `work_performed` entries, then for each: its `description`, then
    ///    its `item` as an optional string;
    /// 3. the number of `parts_used` lines, then for each: `part`, the quantity, and
    ///    `description` as an optional string;
    ///
    /// where a number is an unsigned LEB128 varint (seven bits a byte, low bits first,
    /// high bit set on all but the last: 300 is `AC 02`); a string is its UTF-8 length
    /// (a varint) then its bytes; an optional string is a byte 0 when absent, a byte 1
    /// then the string when present; and a quantity is its shortest exact form (trailing
    /// zeros dropped, `2.50` is `2.5`, negative zero is `0`) written as its integer
    /// mantissa, zigzag-encoded (`2m` when `m >= 0`, `-2m - 1` otherwise) as a varint,
    /// then its scale as one byte: `2.5` is mantissa 25, scale 1, bytes `32 01`.
    /// The digits are the 64-bit result in big-endian hex. Lists are taken in their given
    /// order: a host should keep them in a stable (entry) order.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use retention::orders::{Intake, ServiceOrder, WorkDone};
    /// let at = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
    /// let mut order = ServiceOrder::new("o-1", "a-1", "boiler", at, Intake::new("Banging noise"));
    /// let empty = order.work_fingerprint();
    /// assert_eq!(empty.len(), 16);
    /// order.work_performed.push(WorkDone::new("Replaced the pressure valve"));
    /// assert_ne!(order.work_fingerprint(), empty);
    /// ```
    pub fn work_fingerprint(&self) -> String {
        format!("{:016x}", self.fingerprint_u64())
    }

    pub(crate) fn fingerprint_u64(&self) -> u64 {
        const AFTER_PREFIX: Fnv1a64 = Fnv1a64::after(b"retention.orders.work.v1");
        let mut h = AFTER_PREFIX;
        h.varint(self.work_performed.len() as u128);
        for w in &self.work_performed {
            h.str(&w.description);
            h.opt_str(w.item.as_deref());
        }
        h.varint(self.parts_used.len() as u128);
        for p in &self.parts_used {
            h.str(&p.part);
            h.decimal(p.quantity);
            h.opt_str(p.description.as_deref());
        }
        h.finish()
    }

    /// Checks what a shape cannot say, with every problem at once (paths relative to the
    /// order): blank ids, a status history out of time order, an appointment window that
    /// ends before it starts, negative part quantities, a checklist whose template the
    /// policy does not have or with an item its template does not list (or listed twice),
    /// work tied to a planned item that does not exist.
    ///
    /// # Errors
    /// Every problem found; see the [module docs](crate::orders#bad-input) for the codes.
    pub fn validate(&self, policy: &OrderPolicy) -> Result<(), Error> {
        let mut problems = Problems::new();
        self.check(policy, &mut problems);
        problems.finish()
    }

    /// Pushes every problem; returns whether the checklist's entries follow its template
    /// item for item from the start (so evaluation can pair them without searching).
    pub(crate) fn check(&self, policy: &OrderPolicy, problems: &mut Problems) -> bool {
        let mut checklist_aligned = false;
        self.id.check(|| FieldPath::root().field("id"), problems);
        self.account
            .check(|| FieldPath::root().field("account"), problems);
        if let Some(c) = &self.contact {
            c.check(|| FieldPath::root().field("contact"), problems);
        }
        if let Some(t) = &self.technician {
            t.check(|| FieldPath::root().field("technician"), problems);
        }
        if let Some(a) = &self.appointment {
            if a.end <= a.start {
                problems.push(
                    ErrorKind::OrderAppointmentReversed,
                    FieldPath::root().field("appointment").field("end"),
                    format!(
                        "the appointment window ends at {} but starts at {}",
                        a.end, a.start
                    ),
                );
            }
        }
        let mut prev: Option<DateTime<Utc>> = None;
        for (i, s) in self.status_history.iter().enumerate() {
            if let Some(p) = prev {
                if s.at < p {
                    problems.push(
                        ErrorKind::OrderStatusOutOfOrder,
                        FieldPath::root()
                            .field("status_history")
                            .index(i)
                            .field("at"),
                        format!(
                            "this status change ({}, {}) is earlier than the one before it ({p})",
                            s.stage, s.at
                        ),
                    );
                }
            }
            prev = Some(prev.map_or(s.at, |p| p.max(s.at)));
            if let Some(by) = &s.by {
                by.check(
                    || {
                        FieldPath::root()
                            .field("status_history")
                            .index(i)
                            .field("by")
                    },
                    problems,
                );
            }
        }
        for (name, lines) in [
            ("planned_parts", &self.planned_parts),
            ("parts_used", &self.parts_used),
        ] {
            for (i, p) in lines.iter().enumerate() {
                if p.quantity.is_sign_negative() && !p.quantity.is_zero() {
                    problems.push(
                        ErrorKind::OrderNegativeQuantity,
                        FieldPath::root().field(name).index(i).field("quantity"),
                        format!(
                            "{} of part `{}`: a quantity cannot be negative",
                            p.quantity, p.part
                        ),
                    );
                }
            }
        }
        for (i, w) in self.planned_work.iter().enumerate() {
            if w.id.trim().is_empty() {
                problems.push(
                    ErrorKind::EmptyId,
                    FieldPath::root().field("planned_work").index(i).field("id"),
                    "the id of a planned work item is blank",
                );
            } else if self.planned_work[..i].iter().any(|o| o.id == w.id) {
                problems.push(
                    ErrorKind::DuplicateId,
                    FieldPath::root().field("planned_work").index(i).field("id"),
                    format!(
                        "the work item id `{}` is used by an earlier planned item",
                        w.id
                    ),
                );
            }
        }
        for (i, w) in self.work_performed.iter().enumerate() {
            if let Some(item) = &w.item {
                if !self.planned_work.iter().any(|p| &p.id == item) {
                    problems.push(
                        ErrorKind::OrderUnknownWorkItem,
                        FieldPath::root()
                            .field("work_performed")
                            .index(i)
                            .field("item"),
                        format!("`{item}` is not a planned work item of this order"),
                    );
                }
            }
        }
        if let Some(cl) = &self.checklist {
            match policy.template_by_id(&cl.template) {
                None => problems.push(
                    ErrorKind::OrderUnknownChecklistTemplate,
                    FieldPath::root().field("checklist").field("template"),
                    format!("the policy has no checklist template `{}`", cl.template),
                ),
                Some(t) => {
                    // Entries usually follow the template: while they do, each is known
                    // and none repeats (template ids are unique), so no search is needed.
                    let mut aligned = true;
                    for (i, e) in cl.items.iter().enumerate() {
                        let path = || FieldPath::root().field("checklist").field("items").index(i);
                        aligned = aligned && t.items.get(i).is_some_and(|ti| ti.id == e.item);
                        if aligned {
                            // Known and first of its kind.
                        } else if !t.items.iter().any(|ti| ti.id == e.item) {
                            problems.push(
                                ErrorKind::OrderUnknownChecklistItem,
                                path().field("item"),
                                format!(
                                    "`{}` is not an item of the checklist template `{}`",
                                    e.item, t.id
                                ),
                            );
                        } else if cl.items[..i].iter().any(|o| o.item == e.item) {
                            problems.push(
                                ErrorKind::OrderDuplicateChecklistItem,
                                path().field("item"),
                                format!("the checklist item `{}` is listed twice", e.item),
                            );
                        }
                        let by = match &e.state {
                            ItemState::Done { by, .. } | ItemState::Waived { by, .. } => by,
                        };
                        by.check(|| path().field("state").field("by"), problems);
                    }
                    checklist_aligned = aligned;
                }
            }
        }
        checklist_aligned
    }
}

#[cfg(test)]
mod tests {
    use serde::de::DeserializeOwned;
    use serde_json::json;

    use super::*;

    /// Reads `value` as a `T` from a value and from its text, which must agree.
    fn read<T: DeserializeOwned + PartialEq + std::fmt::Debug>(value: serde_json::Value) -> T {
        let from_value: T = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(
            serde_json::from_str::<T>(&value.to_string()).unwrap(),
            from_value
        );
        from_value
    }

    /// Whether `value` is refused as a `T`, both from a value and from its text.
    fn refused<T: DeserializeOwned>(value: &serde_json::Value) -> bool {
        serde_json::from_value::<T>(value.clone()).is_err()
            && serde_json::from_str::<T>(&value.to_string()).is_err()
    }

    fn round_trips<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(v: &T) {
        let text = serde_json::to_string(v).unwrap();
        assert_eq!(&serde_json::from_str::<T>(&text).unwrap(), v, "{text}");
    }

    #[test]
    fn every_kind_reads_back_what_it_writes() {
        let at = "2026-11-24T20:05:00Z".parse().unwrap();
        let on = NaiveDate::from_ymd_opt(2027, 5, 26).unwrap();
        round_trips(&Instructions::None {});
        round_trips(&Instructions::Given {
            notes: vec!["Gate code 4411".into()],
        });
        round_trips(&Observations::None {});
        round_trips(&Observations::Recorded { items: vec![] });
        round_trips(&NextService::Agreed { on, how: None });
        round_trips(&NextService::Agreed {
            on,
            how: Some("Annual visit".into()),
        });
        round_trips(&NextService::NotNeeded {
            reason: "One-off".into(),
        });
        for work_fingerprint in [None, Some("f-1".to_owned())] {
            round_trips(&ItemState::Done {
                by: "u-4".into(),
                at,
                work_fingerprint,
            });
        }
        round_trips(&ItemState::Waived {
            by: "u-9".into(),
            reason: "Customer declined".into(),
        });
    }

    #[test]
    fn optional_fields_may_be_null_and_fields_may_come_in_any_order() {
        let done = read::<ItemState>(
            json!({"at": "2026-11-24T20:05:00Z", "work_fingerprint": null,
            "by": "u-4", "kind": "done"}),
        );
        assert!(matches!(
            done,
            ItemState::Done {
                work_fingerprint: None,
                ..
            }
        ));
        let agreed =
            read::<NextService>(json!({"how": null, "on": "2027-05-26", "kind": "agreed"}));
        assert!(matches!(agreed, NextService::Agreed { how: None, .. }));
    }

    #[test]
    fn each_kind_takes_exactly_its_own_fields() {
        let at = "2026-11-24T20:05:00Z";
        // A field of the other kind, even as null; a field of its own kind as null or
        // left out; an unknown field or kind.
        for v in [
            json!({"kind": "none", "notes": null}),
            json!({"kind": "none", "notes": []}),
            json!({"kind": "given"}),
            json!({"kind": "given", "notes": null}),
            json!({"kind": "given", "notes": [], "extra": 1}),
            json!({"kind": "maybe"}),
            json!({"notes": []}),
        ] {
            assert!(refused::<Instructions>(&v), "{v}");
        }
        for v in [
            json!({"kind": "none", "items": null}),
            json!({"kind": "recorded"}),
            json!({"kind": "recorded", "items": null}),
        ] {
            assert!(refused::<Observations>(&v), "{v}");
        }
        for v in [
            json!({"kind": "agreed"}),
            json!({"kind": "agreed", "on": null}),
            json!({"kind": "agreed", "on": "2027-05-26", "reason": null}),
            json!({"kind": "not_needed", "reason": "x", "on": null}),
            json!({"kind": "not_needed", "reason": "x", "how": "y"}),
            json!({"kind": "not_needed"}),
            json!({"kind": "agreed", "on": "2027-02-30"}),
        ] {
            assert!(refused::<NextService>(&v), "{v}");
        }
        for v in [
            json!({"kind": "done", "by": "u-4"}),
            json!({"kind": "done", "at": at}),
            json!({"kind": "done", "by": null, "at": at}),
            json!({"kind": "done", "by": "u-4", "at": null}),
            json!({"kind": "done", "by": "u-4", "at": at, "reason": null}),
            json!({"kind": "done", "by": "u-4", "at": "yesterday"}),
            json!({"kind": "waived", "by": "u-9"}),
            json!({"kind": "waived", "by": "u-9", "reason": "x", "at": null}),
            json!({"kind": "waived", "by": "u-9", "reason": "x", "work_fingerprint": null}),
            json!({"kind": "waived", "reason": "x"}),
        ] {
            assert!(refused::<ItemState>(&v), "{v}");
        }
    }
}
