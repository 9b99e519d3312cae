//! What the ledger says about each promise: its status at `now`, both clocks, the next
//! warning, and a sentence with the numbers.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::policy::Clock;
use super::promise::PromiseKind;
use crate::error::FieldPath;
use crate::model::{InteractionId, PromiseId, Rule};
use crate::text::{Arg, Args};
use chrono_tz::Tz;

macro_rules! codes {
    ($($(#[$doc:meta])* $name:ident => $code:literal, $rule:ident;)*) => {
        /// A stable machine code for a verdict or finding of the promise ledger. In JSON the
        /// code string (`"promises.kept_on_time"`). Codes are never renamed.
        ///
        /// See the table in the [module docs](super) for every code, its meaning and rule.
        #[non_exhaustive]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum VerdictCode {
            $($(#[$doc])* $name,)*
        }

        impl VerdictCode {
            /// Every code, in the order of the module docs' table.
            pub const ALL: &'static [VerdictCode] = &[$(VerdictCode::$name,)*];

            /// The stable machine code, such as `promises.broken`.
            pub const fn code(self) -> &'static str {
                match self { $(VerdictCode::$name => $code,)* }
            }

            /// The practice rule the code serves by default (a callback's status serves P1,
            /// see [`Verdict::rule`]).
            pub const fn rule(self) -> Rule {
                match self { $(VerdictCode::$name => Rule::$rule,)* }
            }
        }
    };
}

codes! {
    /// Open, and less of its time used than the first warning threshold.
    OnTrack => "promises.on_track", P3;
    /// Open, past the first warning threshold, not yet due.
    DueSoon => "promises.due_soon", P3;
    /// Open, past its due time, still within its grace.
    Overdue => "promises.overdue", P3;
    /// Delivered before its window opened, or with at least the policy's share of its time left.
    KeptEarly => "promises.kept_early", P3;
    /// Delivered by its due time.
    KeptOnTime => "promises.kept_on_time", P3;
    /// Delivered after its due time, within its grace.
    LateWithinGrace => "promises.late_within_grace", P3;
    /// Not delivered by its due time plus grace (delivered late, cancelled too late, or still open).
    Broken => "promises.broken", P3;
    /// Renegotiated after its due time: a break, however it ends (P6).
    RenegotiatedLate => "promises.renegotiated_late", P6;
    /// Renegotiated in time with the customer's agreement, and kept by the new due time.
    Renegotiated => "promises.renegotiated", P6;
    /// Cancelled by the customer before it failed.
    Cancelled => "promises.cancelled", P5;
    /// Delivered less than promised.
    UnderDelivered => "promises.under_delivered", P4;
    /// Delivered what was promised.
    AsPromised => "promises.as_promised", P4;
    /// Delivered more than promised.
    OverDelivered => "promises.over_delivered", P4;
    /// Consecutive interactions that got nothing across: phone tag.
    TagChain => "promises.tag_chain", P2;
    /// Kept promises exceeded less often than the policy's band.
    NeverExceeds => "promises.never_exceeds", P4;
    /// Kept promises exceeded within the policy's band: "exceed on occasion".
    ExceedsOnOccasion => "promises.exceeds_on_occasion", P4;
    /// Kept promises exceeded more often than the band: under-promising or inflating expectations.
    AlwaysExceeds => "promises.always_exceeds", P4;
}

crate::codes::code_json_schema!(
    VerdictCode,
    "A stable machine code for a verdict or finding of the promise ledger. In JSON the \
     code string (`\"promises.kept_on_time\"`). Codes are never renamed."
);

impl VerdictCode {
    /// The code with this string, if any.
    ///
    /// ```
    /// use retention::promises::VerdictCode;
    /// assert_eq!(VerdictCode::from_code("promises.broken"), Some(VerdictCode::Broken));
    /// assert_eq!(VerdictCode::from_code("promises.nope"), None);
    /// ```
    pub fn from_code(code: &str) -> Option<VerdictCode> {
        VerdictCode::ALL.iter().copied().find(|c| c.code() == code)
    }
}

impl std::fmt::Display for VerdictCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for VerdictCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for VerdictCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        VerdictCode::from_code(&code)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown promise code `{code}`")))
    }
}

/// Where a promise is at `now`. In JSON the snake_case name.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Open, in good time.
    OnTrack,
    /// Open, past the first warning.
    DueSoon,
    /// Open, past due, within grace.
    Overdue,
    /// Delivered early.
    KeptEarly,
    /// Delivered on time.
    KeptOnTime,
    /// Delivered late, within grace.
    LateWithinGrace,
    /// Broken (see [`Verdict::code`] for whether by lateness or a late renegotiation).
    Broken,
    /// Kept by a due time renegotiated in time with the customer's agreement.
    Renegotiated,
    /// Cancelled by the customer before it failed.
    Cancelled,
}

impl Status {
    /// The status's name, as in JSON (and its `Display`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::OnTrack => "on_track",
            Status::DueSoon => "due_soon",
            Status::Overdue => "overdue",
            Status::KeptEarly => "kept_early",
            Status::KeptOnTime => "kept_on_time",
            Status::LateWithinGrace => "late_within_grace",
            Status::Broken => "broken",
            Status::Renegotiated => "renegotiated",
            Status::Cancelled => "cancelled",
        }
    }
}

crate::codes::display_as_str!(Status);

impl Status {
    /// Whether the promise was kept: delivered early, on time, within grace, or by a
    /// due time renegotiated in time (delivery under the promised scope aside).
    pub fn is_kept(self) -> bool {
        matches!(
            self,
            Status::KeptEarly | Status::KeptOnTime | Status::LateWithinGrace | Status::Renegotiated
        )
    }

    /// How good the status is, for comparisons (higher is better): kept early 7, kept on
    /// time and renegotiated 6, on track 5, due soon 4, late within grace 3, overdue 2,
    /// broken 1; cancelled 0 (not comparable).
    pub fn rank(self) -> u8 {
        match self {
            Status::KeptEarly => 7,
            Status::KeptOnTime | Status::Renegotiated => 6,
            Status::OnTrack => 5,
            Status::DueSoon => 4,
            Status::LateWithinGrace => 3,
            Status::Overdue => 2,
            Status::Broken => 1,
            Status::Cancelled => 0,
        }
    }
}

/// What was delivered against the promised scope (P4). In JSON the snake_case name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// Less than promised.
    Under,
    /// What was promised.
    AsPromised,
    /// More than promised.
    Over,
}

impl Delivery {
    /// The code of the delivery.
    pub fn code(self) -> VerdictCode {
        match self {
            Delivery::Under => VerdictCode::UnderDelivered,
            Delivery::AsPromised => VerdictCode::AsPromised,
            Delivery::Over => VerdictCode::OverDelivered,
        }
    }
}

impl Delivery {
    /// The delivery's name, as in JSON (and its `Display`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Delivery::Under => "under",
            Delivery::AsPromised => "as_promised",
            Delivery::Over => "over",
        }
    }
}

crate::codes::display_as_str!(Delivery);

/// Where a verdict's promise came from. Tagged by `kind` in JSON:
/// `{"kind": "promise", "index": 3}` (the host's `promises[3]`) or
/// `{"kind": "interaction", "index": 5, "interaction": "i-41"}` (a callback promise the
/// ledger opened from `interactions[5]`).
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Source {
    /// A promise the host listed.
    Promise {
        /// Its position in the host's list.
        index: usize,
    },
    /// A promise opened by an interaction (P1, P2).
    Interaction {
        /// The position of the interaction in the host's list.
        index: usize,
        /// Its id.
        interaction: InteractionId,
    },
}

impl Source {
    /// The path of the record: `promises[3]` or `interactions[5]`.
    pub fn path(&self) -> FieldPath {
        match self {
            Source::Promise { index } => FieldPath::root().field("promises").index(*index),
            Source::Interaction { index, .. } => {
                FieldPath::root().field("interactions").index(*index)
            }
        }
    }
}

/// The record's path: `promises[3]`, `interactions[5]`.
impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.path(), f)
    }
}

/// The ledger's verdict on one promise at `now`.
///
/// Durations are [`TimeDelta`]s; in JSON, whole seconds in fields named `<name>_secs`
/// (`waited` is `waited_secs`). In JSON the verdict also carries its `path`, its `args`
/// ([`Verdict::args`]) and its `sentence` (all derived, ignored when read back):
///
/// ```json
/// {"promise": "pr-1", "source": {"kind": "promise", "index": 0},
///  "kind": {"kind": "quote_by"}, "status": "late_within_grace",
///  "code": "promises.late_within_grace", "rule": "P3", "clock": "business",
///  "open": false, "paused": false, "made_at": "2026-11-23T15:00:00Z",
///  "due": "2026-11-25T15:00:00Z", "grace_until": "2026-11-25T16:00:00Z",
///  "closed_at": "2026-11-25T15:30:00Z", "delivered": true, "business_elapsed_secs": 59400,
///  "waited_secs": 174600, "used_secs": 59400, "length_secs": 57600, "late_by_secs": 1800,
///  "attempts": 0, "renegotiations": 0, "pauses": 0, "time_zone": "America/New_York",
///  "path": "promises[0]", "args": {"promise": {"id": "pr-1"}, ...}, "sentence": "..."}
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(into = "VerdictJson", from = "VerdictJson")]
pub struct Verdict {
    /// The promise.
    pub promise: PromiseId,
    /// Where it came from.
    pub source: Source,
    /// Its kind.
    pub kind: PromiseKind,
    /// Its status at `now`.
    pub status: Status,
    /// The stable code of the status.
    pub code: VerdictCode,
    /// The rule the verdict serves: P6 for renegotiations, P5 for cancellations, P1 for
    /// callbacks, P3 otherwise.
    pub rule: Rule,
    /// The clock its deadline runs on.
    pub clock: Clock,
    /// Whether it is still open (not delivered, not cancelled) at `now`.
    pub open: bool,
    /// Whether it is paused at `now`.
    pub paused: bool,
    /// When it was made.
    pub made_at: DateTime<Utc>,
    /// When its window opens, for a window.
    pub earliest: Option<DateTime<Utc>>,
    /// When it is due (the window's end), after renegotiations, target changes and pauses.
    pub due: DateTime<Utc>,
    /// The end of its grace.
    pub grace_until: DateTime<Utc>,
    /// When it was delivered or cancelled.
    pub closed_at: Option<DateTime<Utc>>,
    /// Whether it was delivered (`closed_at` is then the delivery).
    pub delivered: bool,
    /// What was delivered against the promised scope, when both are known.
    pub delivery: Option<Delivery>,
    /// Working time of the business calendar from when it was made to its close (or
    /// `now`), pauses excluded. In JSON `business_elapsed_secs`, whole seconds.
    pub business_elapsed: TimeDelta,
    /// Wall-clock time the customer waited, from when it was made to its close (or
    /// `now`), pauses included. In JSON `waited_secs`.
    pub waited: TimeDelta,
    /// Time used on the promise's own clock, pauses excluded. In JSON `used_secs`.
    pub used: TimeDelta,
    /// The promise's length on its own clock: made to due, pauses excluded. In JSON
    /// `length_secs`.
    pub length: TimeDelta,
    /// Wall-clock time past the due, when it was closed (or is still open) after it. In
    /// JSON `late_by_secs`.
    pub late_by: Option<TimeDelta>,
    /// For an open promise that is not paused or broken: the next instant a host should
    /// remind someone (the next warning threshold, else the due time, else the end of
    /// grace).
    pub next_warning: Option<DateTime<Utc>>,
    /// Attempts that did not deliver.
    pub attempts: u32,
    /// Renegotiations (agreed or not, in time or not).
    pub renegotiations: u32,
    /// Pauses.
    pub pauses: u32,
    /// The zone the sentence writes its instants in: the business calendar's, set by
    /// the ledger (`None` writes them in UTC). In JSON its IANA name, `time_zone`.
    pub time_zone: Option<Tz>,
}

impl Verdict {
    /// The path of the promise's record: `promises[3]` or `interactions[5]`.
    pub fn path(&self) -> FieldPath {
        self.source.path()
    }

    /// The verdict's facts as typed arguments, for a host that writes its own language
    /// from [`code`](Verdict::code) and these (the arguments of each code are listed in
    /// the [module docs](super#codes)). Built on demand, like the sentence.
    ///
    /// Instants show in the `zone` argument's zone (the business calendar's). The wait is
    /// the one the customer felt: for an arrival window, `past_window` (time past the
    /// window, when there is some); for anything else, `waited` since the promise was
    /// made (for a callback, since the call).
    ///
    /// ```
    /// # use retention::chrono::{TimeZone, Utc};
    /// # use retention::calendar::BusinessCalendar;
    /// # use retention::promises::{Ledger, Promise, PromisePolicy};
    /// # let calendar: BusinessCalendar = serde_json::from_str(r#"{"time_zone": "America/Chicago",
    /// #     "weekly": {"monday": [{"start": "08:00", "end": "17:00"}]}}"#)?;
    /// let promises: Vec<Promise> = serde_json::from_str(r#"[{
    ///     "id": "pr-1", "kind": {"kind": "quote_by"}, "made_by": {"kind": "business"},
    ///     "account": "a-7", "made_at": "2026-11-23T15:00:00Z",
    ///     "due": {"kind": "within", "span": {"hours": 4}}}]"#)?;
    /// let policy = PromisePolicy::default();
    /// let now = Utc.with_ymd_and_hms(2026, 11, 23, 16, 0, 0).unwrap();
    /// let report = Ledger::new(&policy, &calendar).promises(&promises).evaluate(now)?;
    /// let v = &report.verdicts[0];
    /// let args = v.args();
    /// assert_eq!(args.get("promise"), Some(&retention::text::Arg::id("pr-1")));
    /// assert_eq!(
    ///     retention::text::english(v.code.code(), &args).as_deref(),
    ///     Some(v.sentence().as_str())
    /// );
    /// assert!(v.sentence().contains("due Mon 23 Nov 2026, 13:00 CST"), "{}", v.sentence());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn args(&self) -> Args {
        let mut a = Args::new().with("promise", Arg::id(&self.promise));
        a.set("kind", Arg::term(self.kind.as_str()));
        if let PromiseKind::Custom { label } = &self.kind {
            a.set("label", Arg::Text(label.clone()));
        }
        let dur = Arg::Duration;
        let window = self.kind == PromiseKind::ArrivalWindow;
        let late = self.late_by;
        match self.code {
            VerdictCode::OnTrack | VerdictCode::DueSoon => match (window, self.earliest) {
                // A booked window: when it opens and closes, not the days since booking.
                (true, Some(opens)) => {
                    a.set("opens", Arg::Instant(opens));
                    a.set("due", Arg::Instant(self.due));
                }
                _ => {
                    a.set("used", dur(self.used));
                    a.set("length", dur(self.length));
                    a.set("clock", Arg::term(self.clock.as_str()));
                    a.set("due", Arg::Instant(self.due));
                }
            },
            VerdictCode::Overdue => {
                a.set("late_by", dur(late.unwrap_or_default()));
                a.set("due", Arg::Instant(self.due));
                a.set("grace_until", Arg::Instant(self.grace_until));
            }
            VerdictCode::KeptEarly | VerdictCode::KeptOnTime | VerdictCode::Renegotiated => {
                // The time since booking is not part of keeping a window.
                if !window {
                    a.set("used", dur(self.used));
                    a.set("length", dur(self.length));
                    a.set("clock", Arg::term(self.clock.as_str()));
                }
            }
            VerdictCode::LateWithinGrace => {
                a.set("late_by", dur(late.unwrap_or_default()));
                a.set("grace_until", Arg::Instant(self.grace_until));
            }
            VerdictCode::RenegotiatedLate => a.set("due", Arg::Instant(self.due)),
            VerdictCode::Cancelled
            | VerdictCode::UnderDelivered
            | VerdictCode::AsPromised
            | VerdictCode::OverDelivered
            | VerdictCode::TagChain
            | VerdictCode::NeverExceeds
            | VerdictCode::ExceedsOnOccasion
            | VerdictCode::AlwaysExceeds => {}
            VerdictCode::Broken => match (self.open, late) {
                (true, late) => {
                    a.set("open", Arg::Flag(true));
                    a.set("late_by", dur(late.unwrap_or_default()));
                    a.set("due", Arg::Instant(self.due));
                }
                (false, Some(late)) => {
                    a.set("late_by", dur(late));
                    a.set("due", Arg::Instant(self.due));
                }
                (false, None) => {}
            },
        }
        // The wait the customer felt: for an arrival window, past the window (inside it
        // they were only waiting for a visit they had booked); for anything else, since
        // the promise was made (for a callback, since the call).
        match late {
            Some(late) if window && late > TimeDelta::zero() => a.set("past_window", dur(late)),
            _ if window => {}
            _ => a.set("waited", dur(self.waited)),
        }
        if let Some(d) = self.delivery {
            a.set("delivery", Arg::term(d.as_str()));
        }
        if self.attempts > 0 {
            a.set("attempts", Arg::count(self.attempts));
        }
        if let Some(z) = self.time_zone {
            a.set("zone", Arg::zone(z));
        }
        a
    }

    /// A sentence for people, with the numbers: the English of [`code`](Verdict::code)
    /// and [`args`](Verdict::args). Built on demand (the ledger does not build strings
    /// for a million promises nobody reads).
    pub fn sentence(&self) -> String {
        crate::text::english(self.code.code(), &self.args()).unwrap_or_default()
    }
}

/// Whole seconds as a [`TimeDelta`], saturating at its bounds.
pub(super) fn secs_delta(secs: i64) -> TimeDelta {
    TimeDelta::try_seconds(secs).unwrap_or(if secs < 0 {
        TimeDelta::MIN
    } else {
        TimeDelta::MAX
    })
}

/// The JSON shape of a [`Verdict`] (its fields, then `path` and `sentence`). The field
/// docs repeat `Verdict`'s: they are the schema's descriptions.
#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
struct VerdictJson {
    /// The promise.
    promise: PromiseId,
    /// Where it came from.
    source: Source,
    /// Its kind.
    kind: PromiseKind,
    /// Its status at `now`.
    status: Status,
    /// The stable code of the status.
    code: VerdictCode,
    /// The rule the verdict serves: P6 for renegotiations, P5 for cancellations, P1 for
    /// callbacks, P3 otherwise.
    rule: Rule,
    /// The clock its deadline runs on.
    clock: Clock,
    /// Whether it is still open (not delivered, not cancelled) at `now`.
    open: bool,
    /// Whether it is paused at `now`.
    paused: bool,
    /// When it was made.
    made_at: DateTime<Utc>,
    /// When its window opens, for a window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    earliest: Option<DateTime<Utc>>,
    /// When it is due (the window's end), after renegotiations, target changes and pauses.
    due: DateTime<Utc>,
    /// The end of its grace.
    grace_until: DateTime<Utc>,
    /// When it was delivered or cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    closed_at: Option<DateTime<Utc>>,
    /// Whether it was delivered (`closed_at` is then the delivery).
    delivered: bool,
    /// What was delivered against the promised scope, when both are known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    delivery: Option<Delivery>,
    /// Working time of the business calendar from when it was made to its close (or
    /// `now`), pauses excluded; whole seconds.
    #[serde(rename = "business_elapsed_secs", with = "crate::model::secs")]
    #[cfg_attr(feature = "schemars", schemars(with = "i64"))]
    business_elapsed: TimeDelta,
    /// Wall-clock time the customer waited, from when it was made to its close (or
    /// `now`), pauses included; whole seconds.
    #[serde(rename = "waited_secs", with = "crate::model::secs")]
    #[cfg_attr(feature = "schemars", schemars(with = "i64"))]
    waited: TimeDelta,
    /// Time used on the promise's own clock, pauses excluded; whole seconds.
    #[serde(rename = "used_secs", with = "crate::model::secs")]
    #[cfg_attr(feature = "schemars", schemars(with = "i64"))]
    used: TimeDelta,
    /// The promise's length on its own clock: made to due, pauses excluded; whole
    /// seconds.
    #[serde(rename = "length_secs", with = "crate::model::secs")]
    #[cfg_attr(feature = "schemars", schemars(with = "i64"))]
    length: TimeDelta,
    /// Wall-clock time past the due, when it was closed (or is still open) after it;
    /// whole seconds.
    #[serde(
        rename = "late_by_secs",
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::model::secs::opt"
    )]
    #[cfg_attr(feature = "schemars", schemars(with = "Option<i64>"))]
    late_by: Option<TimeDelta>,
    /// For an open promise that is not paused or broken: the next instant a host should
    /// remind someone (the next warning threshold, else the due time, else the end of
    /// grace).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    next_warning: Option<DateTime<Utc>>,
    /// Attempts that did not deliver.
    attempts: u32,
    /// Renegotiations (agreed or not, in time or not).
    renegotiations: u32,
    /// Pauses.
    pauses: u32,
    /// The IANA zone the sentence writes its instants in (the business calendar's);
    /// without it, UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    time_zone: Option<String>,
    /// The path of the promise's record: `promises[3]` or `interactions[5]` (derived;
    /// ignored when read).
    #[serde(default)]
    path: FieldPath,
    /// The verdict's facts as typed arguments, by name (derived from the fields above;
    /// ignored when read): the sentence is rendered from `code` and these alone. Each
    /// code's arguments are listed in the promise ledger's code table.
    #[serde(default)]
    args: Args,
    /// The verdict in a sentence for people, with the numbers (derived; ignored when
    /// read).
    #[serde(default)]
    sentence: String,
}

impl From<Verdict> for VerdictJson {
    fn from(v: Verdict) -> Self {
        let args = v.args();
        let sentence = crate::text::english(v.code.code(), &args).unwrap_or_default();
        let path = v.path();
        VerdictJson {
            promise: v.promise,
            source: v.source,
            kind: v.kind,
            status: v.status,
            code: v.code,
            rule: v.rule,
            clock: v.clock,
            open: v.open,
            paused: v.paused,
            made_at: v.made_at,
            earliest: v.earliest,
            due: v.due,
            grace_until: v.grace_until,
            closed_at: v.closed_at,
            delivered: v.delivered,
            delivery: v.delivery,
            business_elapsed: v.business_elapsed,
            waited: v.waited,
            used: v.used,
            length: v.length,
            late_by: v.late_by,
            next_warning: v.next_warning,
            attempts: v.attempts,
            renegotiations: v.renegotiations,
            pauses: v.pauses,
            time_zone: v.time_zone.map(|z| z.name().to_owned()),
            path,
            args,
            sentence,
        }
    }
}

impl From<VerdictJson> for Verdict {
    fn from(v: VerdictJson) -> Self {
        Verdict {
            promise: v.promise,
            source: v.source,
            kind: v.kind,
            status: v.status,
            code: v.code,
            rule: v.rule,
            clock: v.clock,
            open: v.open,
            paused: v.paused,
            made_at: v.made_at,
            earliest: v.earliest,
            due: v.due,
            grace_until: v.grace_until,
            closed_at: v.closed_at,
            delivered: v.delivered,
            delivery: v.delivery,
            business_elapsed: v.business_elapsed,
            waited: v.waited,
            used: v.used,
            length: v.length,
            late_by: v.late_by,
            next_warning: v.next_warning,
            attempts: v.attempts,
            renegotiations: v.renegotiations,
            pauses: v.pauses,
            // A zone this build does not know writes the sentence in UTC.
            time_zone: v.time_zone.and_then(|z| z.parse().ok()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_read_back() {
        let mut seen = std::collections::HashSet::new();
        for c in VerdictCode::ALL {
            assert!(seen.insert(c.code()));
            assert!(c.code().starts_with("promises."));
            let json = serde_json::to_string(c).unwrap();
            assert_eq!(serde_json::from_str::<VerdictCode>(&json).unwrap(), *c);
        }
        assert!(serde_json::from_str::<VerdictCode>("\"promises.nope\"").is_err());
    }
}
