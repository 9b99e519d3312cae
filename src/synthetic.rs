//! Synthetic books: realistic, deterministic books of any size for a fictional heating
//! and air-conditioning business, for benchmarks, demos and tests.
//!
//! [`book`] builds a [`Book`] from a [`Spec`] (a seed, a number of accounts and the
//! instant the book is seen at). The same spec gives the same book, byte for byte
//! ([`Book::to_json`]), on every platform and with every version of every dependency:
//! the generator draws from its own small pseudo-random generator (SplitMix64, below),
//! uses integer arithmetic only, never reads the clock and does no I/O.
//!
//! ```
//! use retention::synthetic::{self, Spec};
//!
//! let spec = Spec::new(7, 300);
//! let book = synthetic::book(&spec);
//! assert_eq!(book.accounts.len(), 300);
//! assert!(book.validate().is_ok() && book.is_sorted());
//! assert_eq!(book.to_json(), synthetic::book(&spec).to_json());
//!
//! // The day's agenda of the synthetic business, at the spec's `now`.
//! let agenda = book.agenda(spec.now)?;
//! assert!(!agenda.touches.is_empty() && !agenda.at_risk.is_empty());
//! println!("{}", book.counts());
//! # Ok::<(), retention::Error>(())
//! ```
//!
//! # The business
//!
//! *Prairie Comfort Heating & Air*, in Chicago: open 07:30-12:00 and 12:30-17:00 on
//! weekdays and 08:00-12:00 on Saturdays, closed on US holidays (half days on the day
//! after Thanksgiving and on Christmas Eve). About one rep (`u-001`...) per 150
//! accounts owns the relationships (a few accounts have no owner: the shared pool), one
//! technician (`tech-01`...) per 250 accounts does the jobs, one manager (`mgr-01`...)
//! per ten reps calls unhappy customers back. Money is in US dollars.
//!
//! # What each account holds
//!
//! Every number below is drawn per account, so accounts differ; the shares are
//! approximate.
//!
//! - **The account**: a household (about two thirds; annual value $250-1,500) or a
//!   business (a dental office, a bistro, an apartment block; $1,500-40,000), a
//!   customer since 3 weeks to 11 years, tags (`maintenance-contract`, `multi-site`),
//!   an owning rep, a lifetime value on half of them.
//! - **1-5 people**: a household's owner and sometimes a partner; a business's owner,
//!   executive assistant, IT person, receptionist. Owners are key contacts, others
//!   sometimes; about a third have a birthday on file; most have preferred channels,
//!   a few asked not to be contacted on one (and a rare one on any).
//! - **About 10-30 interactions over the last 2-3 years**: the calls that opened each
//!   job, the technician's visits, follow-up calls after them, check-in calls and
//!   emails, quarterly newsletters, customers' questions by phone, email and portal
//!   with the replies (most within a day, some slower), voicemails returned (some by
//!   phone tag), birthday cards and thank-you notes.
//! - **The practice, mostly kept**: most accounts were touched in the last five weeks
//!   (C1), met face to face this quarter (monthly while new, C2), their key contacts
//!   touched this quarter (C3), reviewed monthly (C5), called after each job (C4).
//! - **Drift**: about one account in nine has gone quiet (the customer has not been in
//!   touch for 2.5-10 months, and the reps' last calls got no answer); about one in
//!   fourteen has been neglected (nobody touched it for 5 weeks to 4 months, its
//!   reviews behind). Some accounts have a voicemail from the last days nobody has
//!   returned, an open run of phone tag, or a call promised at a time; a few lapses
//!   (a visit missed, a next service not agreed) are scattered among the rest.
//! - **1-3 installed units** (furnaces, air conditioners, heat pumps, boilers, rooftop
//!   units, walk-in coolers) with their service intervals, some overdue.
//! - **1-4 service orders**: most closed with everything captured (appointment on the
//!   first call, checklist, work, parts, observations, sign-off, thanks, next service);
//!   about one account in eight has one open: new without an appointment, scheduled
//!   (confirmed or not), dispatched, in progress, on hold or partly complete (the
//!   customer told or not), completed without the sign-off; a few cancelled. Some
//!   technicians noted upgrades and value-adds for sales.
//! - **Surveys** after about a third of the jobs, on a 0-10 or a 1-5 scale, some
//!   unhappy (a manager usually called back), some with a grumble in the comment.
//! - **0-3 promises** (arrival windows, quotes, completion dates, follow-ups, a loaner
//!   heater) with their events: delivered early, on time or late, renegotiated,
//!   paused, attempted, cancelled by the customer, or still open.
//! - **Record reviews** (C5): monthly for most accounts, behind for some.
//!
//! Every list is in canonical order ([`Book::sort`]), and the book passes
//! [`Book::validate`] for every seed and size. The orders are valid against the default
//! [`OrderPolicy`] (no checklist templates: the orders carry no checklist);
//! [`Spec::with_checklists`] gives the book an HVAC order policy with one checklist
//! template per service type, and checklists on the orders.
//!
//! # Determinism
//!
//! The generator is SplitMix64 (Steele, Lea and Flood, *Fast splittable pseudorandom
//! number generators*, OOPSLA 2014): a 64-bit state advanced by `0x9E3779B97F4A7C15`
//! and mixed by two xor-shift-multiply rounds, written here in a few lines and pinned by
//! a test vector. It is not taken from a crate such as `rand`, whose generators and
//! sampling routines may change between versions: a synthetic book must stay the same
//! book for as long as benchmarks and tests compare against it. Each account draws from
//! its own stream, seeded from the spec's seed and the account's position, so account
//! `a-…0042` is the same whatever the size of the book (only the number of digits in
//! the ids and its rep, since the number of reps grows with the book, differ).
//!
//! # Cost
//!
//! Linear in the accounts. A 100,000-account book holds about 3.5 million records
//! (205,000 people, 2.2 million interactions, 74,000 surveys, 167,000 units, 235,000
//! orders, 128,000 promises and 130,000 events, 244,000 reviews), takes about 1.2 s to
//! generate on one core and 1.2 GB of memory, and about 1 GB as JSON. Ids are written
//! into a reused buffer and stored inline (they are at most 24 bytes); texts come from
//! fixed tables.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeDelta, Utc, Weekday};
use rust_decimal::Decimal;

use crate::cadence::RecordReview;
use crate::calendar::{
    BusinessCalendar, CalendarSpec, Holiday, TimeOfDay, WeeklySchedule, WorkInterval,
};
use crate::desk::Book;
use crate::model::{
    Account, AccountId, Birthday, Channel, Currency, Direction, InstalledUnit, Interaction,
    InteractionId, MessageValue, Money, Outcome, Party, Person, PersonId, Role, ServiceInterval,
    Span, SurveyId, SurveyResponse, SurveyScale, UnitId, UserId,
};
use crate::orders::{
    Appointment, Checklist, ChecklistEntry, ChecklistTemplate, CompletionNotice, CustomerUpdate,
    Instructions, Intake, ItemState, NextService, Observation, ObservationKind, Observations,
    OrderPolicy, PartLine, PolicySpec, Satisfaction, ServiceOrder, SignOff, Site, Stage,
    StatusChange, TemplateItem, WorkDone, WorkItem,
};
use crate::promises::{Due, EventKind, MadeBy, Promise, PromiseEvent, PromiseKind};

/// What to generate: the seed, the number of accounts, the instant the book is seen at,
/// and whether orders carry checklists.
///
/// ```
/// use retention::chrono::{TimeZone, Utc};
/// use retention::synthetic::Spec;
///
/// let spec = Spec::new(42, 1_000)
///     .at(Utc.with_ymd_and_hms(2027, 3, 15, 14, 0, 0).unwrap())
///     .with_checklists(true);
/// assert_eq!((spec.seed, spec.accounts), (42, 1_000));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Spec {
    /// The seed: another seed, another business of the same kind.
    pub seed: u64,
    /// How many accounts.
    pub accounts: usize,
    /// The instant the book is seen at: every record lies at or before it (appointments
    /// and promised dates may lie after it). Default [`Spec::DEFAULT_NOW`]. Any instant
    /// from 1950 to 2200 works; [`book`] takes one outside that range as the nearest end
    /// of it, so the generator's dates stay within what chrono represents.
    pub now: DateTime<Utc>,
    /// Whether the book's order policy has a checklist template per service type and
    /// the orders carry checklists (O6). Default `false`: the default [`OrderPolicy`],
    /// orders without checklists.
    pub checklists: bool,
}

impl Spec {
    /// Tuesday 24 November 2026, 09:00 in Chicago (15:00 UTC): the `now` of a spec
    /// unless [`Spec::at`] says otherwise.
    pub const DEFAULT_NOW: DateTime<Utc> = match DateTime::from_timestamp(1_795_532_400, 0) {
        Some(t) => t,
        None => DateTime::<Utc>::UNIX_EPOCH,
    };

    /// `accounts` accounts from `seed`, seen at [`Spec::DEFAULT_NOW`], without
    /// checklists.
    pub fn new(seed: u64, accounts: usize) -> Spec {
        Spec {
            seed,
            accounts,
            now: Spec::DEFAULT_NOW,
            checklists: false,
        }
    }

    /// The same spec seen at `now`.
    #[must_use]
    pub fn at(mut self, now: DateTime<Utc>) -> Spec {
        self.now = now;
        self
    }

    /// The same spec with (or without) checklist templates and checklists.
    #[must_use]
    pub fn with_checklists(mut self, on: bool) -> Spec {
        self.checklists = on;
        self
    }
}

/// Generates the book `spec` describes; see the [module docs](self).
pub fn book(spec: &Spec) -> Book {
    let earliest = DateTime::from_timestamp(-631_152_000, 0); // 1950-01-01
    let latest = DateTime::from_timestamp(7_258_118_400, 0); // 2200-01-01
    let now = match (earliest, latest) {
        (Some(lo), Some(hi)) => spec.now.clamp(lo, hi),
        _ => spec.now,
    };
    let spec = &Spec { now, ..*spec };
    let mut g = Gen::new(spec);
    for k in 0..spec.accounts {
        g.account(k);
    }
    let mut book = g.book;
    debug_assert!(book.is_sorted(), "the generator writes canonical order");
    // Already in order: one pass that changes nothing.
    book.sort();
    book
}

/// The business's calendar: Chicago, weekdays 07:30-12:00 and 12:30-17:00, Saturday
/// mornings, US holidays from four years before `now`'s year to two years after.
pub fn calendar(now: DateTime<Utc>) -> BusinessCalendar {
    let t = |h, m| TimeOfDay::hm(h, m).unwrap_or(TimeOfDay::MIDNIGHT);
    let mut spec = CalendarSpec::new("America/Chicago");
    spec.weekly = WeeklySchedule::weekdays(&[
        WorkInterval::new(t(7, 30), t(12, 0)),
        WorkInterval::new(t(12, 30), t(17, 0)),
    ]);
    spec.weekly
        .set(Weekday::Sat, vec![WorkInterval::new(t(8, 0), t(12, 0))]);
    let year = now.year();
    for y in year.saturating_sub(4)..=year.saturating_add(2) {
        let ymd = |m, d| NaiveDate::from_ymd_opt(y, m, d);
        let nth = |m, wd, n| NaiveDate::from_weekday_of_month_opt(y, m, wd, n);
        // Memorial Day: the last Monday of May.
        let memorial = nth(5, Weekday::Mon, 5).or_else(|| nth(5, Weekday::Mon, 4));
        let thanksgiving = nth(11, Weekday::Thu, 4);
        for (date, name) in [
            (ymd(1, 1), "New Year's Day"),
            (memorial, "Memorial Day"),
            (ymd(7, 4), "Independence Day"),
            (nth(9, Weekday::Mon, 1), "Labor Day"),
            (thanksgiving, "Thanksgiving"),
            (ymd(12, 25), "Christmas Day"),
        ] {
            if let Some(date) = date {
                spec.holidays.push(Holiday::full_day(date, name));
            }
        }
        let afternoons = [
            (
                thanksgiving.and_then(|d| d.succ_opt()),
                "Day after Thanksgiving",
            ),
            (ymd(12, 24), "Christmas Eve"),
        ];
        for (date, name) in afternoons {
            let Some(date) = date else { continue };
            let from = date.and_hms_opt(12, 0, 0);
            let until = date.succ_opt().and_then(|d| d.and_hms_opt(0, 0, 0));
            if let (Some(from), Some(until)) = (from, until) {
                spec.holidays
                    .push(Holiday::partial(date, name, from, until));
            }
        }
    }
    // A fixed, tested calendar: its spec is valid for any year chrono can name.
    BusinessCalendar::new(spec).expect("the synthetic business's calendar is valid")
}

/// The order policy of [`Spec::with_checklists`]: the practice's defaults and one
/// checklist template per service type of the synthetic business (`furnace_tune_up-v1`
/// for `furnace_tune_up`, ...), safety items to be done, never waived.
pub fn order_policy() -> OrderPolicy {
    let templates = SERVICES
        .iter()
        .map(|s| {
            let items = s
                .checklist
                .iter()
                .map(|&(id, label, kind)| match kind {
                    Item::Safety => TemplateItem {
                        satisfied_by: vec![Satisfaction::Done],
                        ..TemplateItem::required(id, label)
                    },
                    Item::Required => TemplateItem::required(id, label),
                    Item::Optional => TemplateItem::optional(id, label),
                })
                .collect();
            ChecklistTemplate::new(template_id(s.code), s.code, items)
        })
        .collect();
    // Fixed, tested templates: unique ids, satisfiable items.
    OrderPolicy::new(PolicySpec::with_templates(templates))
        .expect("the synthetic business's order policy is valid")
}

fn template_id(code: &str) -> String {
    let mut s = String::with_capacity(code.len() + 3);
    s.push_str(code);
    s.push_str("-v1");
    s
}

// ---------------------------------------------------------------------------------------
// The pseudo-random generator.

/// SplitMix64: the state advances by the golden gamma; each output is the state mixed
/// by `mix`. Period 2^64; every seed is a good seed.
#[derive(Debug, Clone)]
struct SplitMix64 {
    state: u64,
}

const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64's output function (David Stafford's "Mix13" variant of MurmurHash3's
/// finalizer).
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl SplitMix64 {
    fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    /// The stream of account `k` of a book with seed `seed`.
    fn for_account(seed: u64, k: usize) -> SplitMix64 {
        let k = k as u64;
        SplitMix64::new(mix(
            seed ^ mix(k.wrapping_mul(GOLDEN_GAMMA) ^ 0x5EED_ACC0_0000_0000)
        ))
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN_GAMMA);
        mix(self.state)
    }

    /// Uniform in `0..n` (0 when `n` is 0), by the high half of a 64×64-bit product
    /// (bias below 2^-40 for the small `n` used here).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi` (`lo` when `hi < lo`).
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let width = hi.abs_diff(lo).saturating_add(1);
        lo.saturating_add_unsigned(self.below(width))
    }

    /// True with probability `per_mille` / 1000.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    /// One item of a non-empty slice (the first when empty is impossible).
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let i = self.below(items.len() as u64) as usize;
        &items[i.min(items.len().saturating_sub(1))]
    }

    /// One text of a non-empty table.
    fn text(&mut self, items: &[&'static str]) -> &'static str {
        let i = self.below(items.len() as u64) as usize;
        items.get(i).copied().unwrap_or_default()
    }

    /// Index by weights (per mille or any scale): the first whose cumulative weight
    /// exceeds a uniform draw.
    fn weighted(&mut self, weights: &[u64]) -> usize {
        let total: u64 = weights.iter().sum();
        let mut x = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.len().saturating_sub(1)
    }
}

// ---------------------------------------------------------------------------------------
// Fixed tables.

const FIRST_NAMES: &[&str] = &[
    "Lena", "Marcus", "Dana", "Tomás", "Grace", "Ivan", "Ruth", "Anil", "Beth", "Omar", "Priya",
    "Jamal", "Sofia", "Wei", "Hannah", "Diego", "Nora", "Samuel", "Aisha", "Kevin", "Maria",
    "Connor", "Fatima", "Luis", "Emily", "Darnell", "Yuki", "Patrick", "Olga", "Andre", "Chloe",
    "Rafael", "Megan", "Hector", "Ingrid", "Tyrone", "Mei", "Gabriel", "Rosa", "Elijah",
];

const LAST_NAMES: &[&str] = &[
    "Ortiz",
    "Bell",
    "Hargrove",
    "Reyes",
    "Kim",
    "Petrov",
    "Adeyemi",
    "Patel",
    "Summers",
    "Nguyen",
    "Johnson",
    "Kowalski",
    "Murphy",
    "Schmidt",
    "Okafor",
    "García",
    "Chen",
    "Novak",
    "Washington",
    "Larsen",
    "Haddad",
    "Brennan",
    "Castillo",
    "Fischer",
    "Mendoza",
    "O'Neill",
    "Sato",
    "Romero",
    "Walsh",
    "Jablonski",
    "Douglas",
    "Rivera",
    "Lindqvist",
    "Abbott",
    "Morales",
    "Delgado",
    "Becker",
    "Tran",
    "Fitzgerald",
    "Yilmaz",
    "Hoffman",
    "Sandoval",
    "Price",
    "Wozniak",
    "Greene",
    "Mahoney",
    "Ibarra",
    "Olsen",
    "Carter",
    "Duarte",
];

const BUSINESS_KINDS: &[&str] = &[
    "Dental",
    "Bistro",
    "Apartments",
    "Print Shop",
    "Veterinary Clinic",
    "Bakery",
    "Auto Repair",
    "Law Office",
    "Fitness Studio",
    "Daycare",
    "Pharmacy",
    "Hardware",
    "Brewing Co.",
    "Florist",
    "Insurance Agency",
    "Medical Clinic",
    "Inn",
    "Community Church",
    "Pizzeria",
    "Laundromat",
];

const STREETS: &[&str] = &[
    "Maple",
    "Oak",
    "Elm",
    "Lake",
    "Prairie",
    "Cedar",
    "Washington",
    "Lincoln",
    "Shore",
    "Hickory",
    "Division",
    "Ashland",
    "Western",
    "Halsted",
    "Fullerton",
    "Belmont",
    "Grand",
    "Cicero",
    "Harlem",
    "Kedzie",
];

const STREET_KINDS: &[&str] = &["St", "Ave", "Dr", "Rd", "Blvd", "Ln"];

const TOWNS: &[&str] = &[
    "Chicago",
    "Evanston",
    "Oak Park",
    "Skokie",
    "Naperville",
    "Aurora",
    "Joliet",
    "Elgin",
    "Schaumburg",
    "Berwyn",
    "Cicero",
    "Des Plaines",
];

static COMMERCIAL_ROLES: [Role; 5] = [
    Role::Owner,
    Role::ExecutiveAssistant,
    Role::It,
    Role::Receptionist,
    Role::Other,
];

const TITLES: &[(Role, &str)] = &[
    (Role::Owner, "Owner"),
    (Role::Owner, "Property manager"),
    (Role::ExecutiveAssistant, "Office manager"),
    (Role::ExecutiveAssistant, "Executive assistant"),
    (Role::It, "Facilities"),
    (Role::It, "Building systems"),
    (Role::Receptionist, "Front desk"),
    (Role::Other, "Head chef"),
    (Role::Other, "Maintenance"),
];

/// How a checklist item may be satisfied.
#[derive(Clone, Copy)]
enum Item {
    /// Done, never waived.
    Safety,
    /// Done or waived.
    Required,
    /// Not required.
    Optional,
}

/// A kind of job the business does, with the texts of its orders.
struct Service {
    code: &'static str,
    maintenance: bool,
    requests: &'static [&'static str],
    work: &'static [&'static str],
    done: &'static [&'static str],
    parts: &'static [(&'static str, i64)],
    checklist: &'static [(&'static str, &'static str, Item)],
}

const COMMON_END: [(&str, &str, Item); 2] = [
    ("clean_up", "Clean the work area", Item::Required),
    ("photo", "Photo of the finished job", Item::Optional),
];

const SERVICES: &[Service] = &[
    Service {
        code: "furnace_tune_up",
        maintenance: true,
        requests: &[
            "Annual furnace tune-up before the cold",
            "Furnace check, it smells dusty when it starts",
            "Yearly maintenance on the furnace please",
        ],
        work: &["Furnace tune-up: burners, flame sensor, filter, safety controls"],
        done: &["Cleaned the burners and flame sensor, replaced the filter, tested the safeties"],
        parts: &[("FILTER-16x25", 1), ("FLAME-SENSOR", 1)],
        checklist: &[
            ("gas_off", "Shut off the gas and power", Item::Safety),
            ("co_test", "Carbon monoxide test", Item::Safety),
            (
                "burners",
                "Clean the burners and flame sensor",
                Item::Required,
            ),
            ("filter", "Replace the filter", Item::Required),
            ("thermostat", "Check the thermostat", Item::Required),
            COMMON_END[0],
            COMMON_END[1],
        ],
    },
    Service {
        code: "ac_tune_up",
        maintenance: true,
        requests: &[
            "Spring AC tune-up",
            "Check the air conditioner before summer",
            "AC maintenance, it ran loud at the end of last summer",
        ],
        work: &["AC tune-up: coils, refrigerant charge, capacitor, drain"],
        done: &["Cleaned the condenser coil, checked the charge, flushed the drain line"],
        parts: &[("CAP-45-5", 1), ("FILTER-16x25", 1)],
        checklist: &[
            ("power_off", "Disconnect the power", Item::Safety),
            ("coil", "Clean the condenser coil", Item::Required),
            ("charge", "Check the refrigerant charge", Item::Required),
            ("drain", "Flush the condensate drain", Item::Required),
            COMMON_END[0],
            COMMON_END[1],
        ],
    },
    Service {
        code: "heating_repair",
        maintenance: false,
        requests: &[
            "No heat since last night",
            "Furnace short-cycling, house won't warm up",
            "Furnace blowing cold air",
            "Strange banging from the furnace when it starts",
        ],
        work: &["Diagnose and repair the furnace"],
        done: &[
            "Replaced the igniter; furnace cycles normally",
            "Replaced the pressure switch and cleared the vent",
        ],
        parts: &[("IGNITER-HSI", 1), ("PRESSURE-SW", 1)],
        checklist: &[
            ("gas_off", "Shut off the gas and power", Item::Safety),
            ("diagnose", "Record the diagnosis", Item::Required),
            (
                "co_test",
                "Carbon monoxide test after the repair",
                Item::Safety,
            ),
            COMMON_END[0],
            COMMON_END[1],
        ],
    },
    Service {
        code: "cooling_repair",
        maintenance: false,
        requests: &[
            "AC not cooling, blowing warm air",
            "Outdoor unit hums but the fan does not spin",
            "Water leaking from the indoor unit",
        ],
        work: &["Diagnose and repair the air conditioner"],
        done: &[
            "Replaced the run capacitor; fan and compressor running",
            "Cleared the clogged drain and replaced the float switch",
        ],
        parts: &[("CAP-45-5", 1), ("FLOAT-SW", 1)],
        checklist: &[
            ("power_off", "Disconnect the power", Item::Safety),
            ("diagnose", "Record the diagnosis", Item::Required),
            ("test_run", "Test run for 15 minutes", Item::Required),
            COMMON_END[0],
            COMMON_END[1],
        ],
    },
    Service {
        code: "rooftop_maintenance",
        maintenance: true,
        requests: &[
            "Quarterly maintenance on the rooftop units",
            "Seasonal changeover on the RTUs",
        ],
        work: &["Rooftop unit maintenance: filters, belts, coils, economizer"],
        done: &["Replaced the filters and a worn belt, cleaned the coils, checked the economizer"],
        parts: &[("FILTER-20x25", 4), ("BELT-A38", 1)],
        checklist: &[
            ("lockout", "Lock out and tag out", Item::Safety),
            ("filters", "Replace the filters", Item::Required),
            ("belts", "Inspect the belts", Item::Required),
            ("economizer", "Check the economizer", Item::Required),
            COMMON_END[0],
            COMMON_END[1],
        ],
    },
    Service {
        code: "boiler_service",
        maintenance: true,
        requests: &["Annual boiler service", "No heat in part of the building"],
        work: &["Service the boiler and circulator pumps"],
        done: &["Serviced the boiler, replaced the circulator pump seal, flue gas tested"],
        parts: &[("PUMP-SEAL-15", 1), ("VALVE-22", 1)],
        checklist: &[
            ("isolate", "Isolate the gas and power", Item::Safety),
            ("flue_test", "Flue gas test", Item::Safety),
            ("pumps", "Check the circulator pumps", Item::Required),
            ("pressure", "Check the system pressure", Item::Required),
            COMMON_END[0],
            COMMON_END[1],
        ],
    },
    Service {
        code: "refrigeration_repair",
        maintenance: false,
        requests: &[
            "Walk-in cooler won't hold temperature",
            "Ice building up on the walk-in evaporator",
        ],
        work: &["Diagnose and repair the walk-in cooler"],
        done: &["Replaced the condenser fan motor; cooler holding 37 degrees"],
        parts: &[("FAN-MOTOR-9", 1), ("DEFROST-TIMER", 1)],
        checklist: &[
            ("power_off", "Disconnect the power", Item::Safety),
            ("diagnose", "Record the diagnosis", Item::Required),
            (
                "temp_log",
                "Log the box temperature after an hour",
                Item::Required,
            ),
            COMMON_END[0],
            COMMON_END[1],
        ],
    },
    Service {
        code: "system_install",
        maintenance: false,
        requests: &[
            "Replace the old furnace and AC",
            "Quote and install a heat pump",
            "Add a ductless mini-split for the back room",
        ],
        work: &[
            "Remove the old equipment",
            "Install and commission the new system",
        ],
        done: &[
            "Removed and hauled away the old equipment",
            "Installed, charged and commissioned the new system; walked the customer through it",
        ],
        parts: &[("THERMOSTAT-T6", 1), ("LINESET-25", 1), ("PAD-36", 1)],
        checklist: &[
            ("permit", "Permit on site", Item::Required),
            ("gas_off", "Shut off the gas and power", Item::Safety),
            ("pressure_test", "Pressure test the line set", Item::Safety),
            ("commission", "Commissioning report", Item::Required),
            (
                "walkthrough",
                "Walk the customer through the system",
                Item::Required,
            ),
            COMMON_END[0],
            COMMON_END[1],
        ],
    },
];

const INSTRUCTIONS: &[&str] = &[
    "Gate code 4411",
    "Dog in the yard, call on arrival",
    "Park in the alley",
    "Use the side door",
    "Key at the front desk",
    "Kitchen busy 11-2; use the back door",
    "Roof access through the stairwell, ladder on site",
    "Shoes off inside please",
];

const OBSERVATIONS: &[(ObservationKind, &str, i64)] = &[
    (
        ObservationKind::Upgrade,
        "Furnace is 19 years old and 78% efficient; a high-efficiency unit would cut gas use by a fifth",
        4_800,
    ),
    (
        ObservationKind::Upgrade,
        "Thermostat is a mercury dial; a programmable one would pay back in a season",
        350,
    ),
    (
        ObservationKind::ValueAdd,
        "No maintenance plan: twice-yearly visits would catch this earlier",
        240,
    ),
    (
        ObservationKind::ValueAdd,
        "A remote temperature alarm would have caught the failure over the weekend",
        450,
    ),
    (
        ObservationKind::Issue,
        "Door gasket torn at the hinge side",
        0,
    ),
    (
        ObservationKind::Issue,
        "Ductwork in the crawl space is uninsulated",
        0,
    ),
];

const RECOMMENDATIONS: &[&str] = &[
    "Change the filter every 3 months",
    "Keep 2 feet clear around the outdoor unit",
    "Have the ducts cleaned next season",
    "Replace the batteries in the CO detector",
];

const CHECK_IN: &[&str] = &[
    "Checked in: everything running fine",
    "Called to schedule the seasonal tune-up",
    "Reminded about the maintenance plan renewal",
    "Asked how the new system is doing",
];

const QUESTIONS: &[&str] = &[
    "Asks what filter size to buy",
    "Asks for a copy of the last invoice",
    "Thermostat shows an error code",
    "Asks about the maintenance plan",
    "Asks for a quote on a humidifier",
];

const HAPPY: &[&str] = &[
    "Technician was on time and explained everything",
    "Quick and clean, thank you",
    "Great service as always",
];

const UNHAPPY: &[&str] = &[
    "Tech was late and didn't call ahead",
    "Had to call twice to get an appointment",
    "Fine, but we had to chase the invoice",
    "The noise is back after a week",
    "Price was higher than the quote",
];

/// Channel bits of a person's do-not-contact list.
fn bit(c: Channel) -> u8 {
    match c {
        Channel::Phone => 1,
        Channel::Email => 2,
        Channel::Letter => 4,
        Channel::Newsletter => 8,
        Channel::Sms => 16,
        Channel::Visit => 32,
        Channel::Portal => 64,
    }
}

// ---------------------------------------------------------------------------------------
// The generator.

/// What the generator keeps of a person while it writes their account's history.
#[derive(Clone, Copy)]
struct Who {
    /// Channels they asked not to be contacted on.
    blocked: u8,
    /// Index into `FIRST_NAMES` and `LAST_NAMES`.
    first: usize,
    last: usize,
}

/// A promise being written, its events beside it.
struct Pending {
    promise: Promise,
    events: Vec<(DateTime<Utc>, EventKind)>,
}

/// The stage an order is generated in, with the instant it started.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Plan {
    Closed,
    Cancelled,
    New,
    Scheduled,
    Dispatched,
    InProgress,
    OnHold,
    PartiallyComplete,
    Completed,
}

struct Gen {
    now: DateTime<Utc>,
    /// Days from the common era of `now`'s UTC date.
    today_ce: i32,
    seed: u64,
    digits: usize,
    checklists: bool,
    reps: Vec<UserId>,
    techs: Vec<UserId>,
    managers: Vec<UserId>,
    buf: String,
    book: Book,
    // Per account, reused.
    people: Vec<Who>,
    interactions: Vec<Interaction>,
    surveys: Vec<SurveyResponse>,
    promises: Vec<Pending>,
}

/// One account's context while it is written.
struct Acct {
    r: SplitMix64,
    /// The account's number as written in its ids (`000042`).
    num: String,
    id: AccountId,
    rep: UserId,
    tech: UserId,
    manager: UserId,
    address: String,
    commercial: bool,
    /// Days of history (from this many days ago until now).
    history: i64,
    /// Days since the customer's side was last in touch, for a quiet account.
    quiet: Option<i64>,
    /// Days since anyone touched the account, for a neglected one.
    neglected: Option<i64>,
    /// Days from now back to where the ordinary stream of contacts ends.
    active_until: i64,
    since: NaiveDate,
    /// Orders completed: (order id, contact, completion instant).
    completed: Vec<(crate::model::OrderId, Option<usize>, DateTime<Utc>)>,
}

fn digits(mut n: usize) -> usize {
    let mut d = 1;
    while n >= 10 {
        n /= 10;
        d += 1;
    }
    d
}

/// Appends `n` zero-padded to `width` digits.
fn push_num(buf: &mut String, n: u64, width: usize) {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    let mut n = n;
    loop {
        i -= 1;
        tmp[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let len = tmp.len() - i;
    for _ in len..width {
        buf.push('0');
    }
    for &b in &tmp[i..] {
        buf.push(char::from(b));
    }
}

fn user_ids(prefix: &str, n: usize) -> Vec<UserId> {
    let width = digits(n).max(2);
    let mut buf = String::new();
    (1..=n)
        .map(|k| {
            buf.clear();
            buf.push_str(prefix);
            push_num(&mut buf, k as u64, width);
            UserId::from(buf.as_str())
        })
        .collect()
}

fn mins(n: i64) -> TimeDelta {
    TimeDelta::try_minutes(n).unwrap_or(TimeDelta::zero())
}

fn hours(n: i64) -> TimeDelta {
    TimeDelta::try_hours(n).unwrap_or(TimeDelta::zero())
}

fn days(n: i64) -> TimeDelta {
    TimeDelta::try_days(n).unwrap_or(TimeDelta::zero())
}

fn usd(cents: i64) -> Money {
    Money::new(Decimal::new(cents, 2), Currency::USD)
}

impl Gen {
    fn new(spec: &Spec) -> Gen {
        let n = spec.accounts;
        let reps = n.div_ceil(150).max(1);
        let mut book = Book::new(calendar(spec.now));
        book.business = Some("Prairie Comfort Heating & Air".to_string());
        if spec.checklists {
            book.policies.orders = order_policy();
        }
        // Rough sizes, so the lists grow once.
        book.accounts.reserve(n);
        book.people.reserve(n * 2 + n / 4);
        book.interactions.reserve(n * 20);
        book.surveys.reserve(n);
        book.units.reserve(n * 2);
        book.orders.reserve(n * 2 + n / 2);
        book.promises.reserve(n);
        book.promise_events.reserve(n + n / 2);
        book.reviews.reserve(n * 4);
        Gen {
            now: spec.now,
            today_ce: spec.now.date_naive().num_days_from_ce(),
            seed: spec.seed,
            digits: digits(n).max(4),
            checklists: spec.checklists,
            reps: user_ids("u-", reps),
            techs: user_ids("tech-", n.div_ceil(250).max(1)),
            managers: user_ids("mgr-", reps.div_ceil(10)),
            buf: String::with_capacity(32),
            book,
            people: Vec::new(),
            interactions: Vec::new(),
            surveys: Vec::new(),
            promises: Vec::new(),
        }
    }

    // --- time ---

    /// The UTC date `days_ago` days before `now`'s.
    fn date_ago(&self, days_ago: i64) -> NaiveDate {
        let ce = i64::from(self.today_ce).saturating_sub(days_ago);
        i32::try_from(ce)
            .ok()
            .and_then(NaiveDate::from_num_days_from_ce_opt)
            .unwrap_or_else(|| self.now.date_naive())
    }

    /// An instant in working hours (14:00-22:30 UTC: 08:00-16:30 or 09:00-17:30 in
    /// Chicago) `days_ago` days before today, Sundays moved to Saturday, never after
    /// `now`.
    fn work_time(&self, r: &mut SplitMix64, days_ago: i64) -> DateTime<Utc> {
        let mut date = self.date_ago(days_ago.max(0));
        if date.weekday() == Weekday::Sun {
            date = date.pred_opt().unwrap_or(date);
        }
        let at = date
            .and_time(NaiveTime::MIN)
            .and_utc()
            .checked_add_signed(mins(14 * 60 + r.range(0, 8 * 60 + 30)))
            .unwrap_or(self.now);
        if at > self.now {
            self.now - mins(r.range(1, 90))
        } else {
            at
        }
    }

    /// An instant in working hours `min..=max` days after `t`'s date (and after `t`);
    /// `None` when that day has not come yet.
    fn work_time_after(
        &self,
        r: &mut SplitMix64,
        t: DateTime<Utc>,
        min: i64,
        max: i64,
    ) -> Option<DateTime<Utc>> {
        let since = (self.date_ago(0) - t.date_naive()).num_days();
        let days_ago = since - r.range(min, max);
        if days_ago < 0 {
            return None;
        }
        let at = self.work_time(r, days_ago);
        Some(if at > t {
            at
        } else {
            (t + mins(r.range(30, 120))).min(self.now)
        })
    }

    /// An instant `min..=max` minutes before `now`.
    fn minutes_ago(&self, r: &mut SplitMix64, min: i64, max: i64) -> DateTime<Utc> {
        self.now - mins(r.range(min, max))
    }

    // --- ids ---

    fn id(&mut self, prefix: &str, num: &str, seq: u64, width: usize) -> &str {
        self.buf.clear();
        self.buf.push_str(prefix);
        self.buf.push_str(num);
        self.buf.push('-');
        push_num(&mut self.buf, seq, width);
        &self.buf
    }

    fn person_id(&self, a: &Acct, p: usize) -> PersonId {
        // People are pushed before anything names them.
        let first = self.book.people.len() - self.people.len();
        self.book
            .people
            .get(first + p)
            .map(|x| x.id.clone())
            .unwrap_or_else(|| PersonId::from(a.id.as_str()))
    }

    fn person_name(&self, p: usize) -> String {
        let w = self.people.get(p).copied().unwrap_or(Who {
            blocked: 0,
            first: 0,
            last: 0,
        });
        let (f, l) = (FIRST_NAMES[w.first], LAST_NAMES[w.last]);
        let mut s = String::with_capacity(f.len() + l.len() + 1);
        s.push_str(f);
        s.push(' ');
        s.push_str(l);
        s
    }

    /// Someone the business may reach on `channel`: the owner most of the time, else
    /// another person; `None` when nobody may be reached on it.
    fn reach(&self, r: &mut SplitMix64, channel: Channel) -> Option<usize> {
        let n = self.people.len();
        let first = if n > 1 && r.chance(350) {
            r.below(n as u64) as usize
        } else {
            0
        };
        (0..n)
            .map(|i| (first + i) % n)
            .find(|&p| self.people[p].blocked & bit(channel) == 0)
    }

    /// Whoever at the customer gets in touch.
    fn caller(&self, r: &mut SplitMix64) -> usize {
        if self.people.len() > 1 && r.chance(300) {
            r.below(self.people.len() as u64) as usize
        } else {
            0
        }
    }

    // --- interactions ---

    #[allow(clippy::too_many_arguments)]
    fn ix(
        &mut self,
        a: &Acct,
        at: DateTime<Utc>,
        channel: Channel,
        direction: Direction,
        by: Party,
        outcome: Outcome,
        person: Option<usize>,
        value: Option<MessageValue>,
        summary: Option<&str>,
    ) {
        let at = at.min(self.now);
        let mut x = Interaction::new(
            InteractionId::from(""),
            a.id.clone(),
            at,
            channel,
            direction,
            by,
            outcome,
        );
        x.person = person.map(|p| self.person_id(a, p));
        x.message_value = value;
        x.summary = summary.map(str::to_string);
        self.interactions.push(x);
    }

    fn staff(user: &UserId) -> Party {
        Party::Staff { user: user.clone() }
    }

    /// An outbound touch by the rep, if someone may be reached on the channel.
    fn outbound(
        &mut self,
        a: &mut Acct,
        at: DateTime<Utc>,
        channel: Channel,
        outcome: Outcome,
        value: Option<MessageValue>,
        summary: Option<&str>,
    ) {
        let Some(p) = self.reach(&mut a.r, channel) else {
            return;
        };
        let by = Gen::staff(&a.rep);
        self.ix(
            a,
            at,
            channel,
            Direction::Outbound,
            by,
            outcome,
            Some(p),
            value,
            summary,
        );
    }

    /// The customer gets in touch at `at` (a question, a request): by phone (answered
    /// or voicemail), email or portal, and the business answers, usually within the
    /// day, sometimes later, sometimes by phone tag first. Replies that would fall after
    /// `now` are not written (the callback is still open).
    fn inbound_question(&mut self, a: &mut Acct, at: DateTime<Utc>) {
        let p = self.caller(&mut a.r);
        let q = *a.r.pick(QUESTIONS);
        let how = a.r.weighted(&[45, 25, 18, 12]);
        let reply_after = if a.r.chance(40) {
            hours(a.r.range(26, 60))
        } else {
            mins(a.r.range(20, 20 * 60))
        };
        let reply = at + reply_after;
        let rep = Gen::staff(&a.rep);
        match how {
            // Answered live.
            0 => self.ix(
                a,
                at,
                Channel::Phone,
                Direction::Inbound,
                Party::Customer,
                Outcome::Connected,
                Some(p),
                None,
                Some(q),
            ),
            // A voicemail, returned.
            1 => {
                self.ix(
                    a,
                    at,
                    Channel::Phone,
                    Direction::Inbound,
                    Party::Customer,
                    Outcome::LeftMessage,
                    Some(p),
                    None,
                    Some(q),
                );
                if reply > self.now {
                    return;
                }
                if a.r.chance(220) {
                    // Phone tag: "sorry we missed you", then the customer calls back.
                    self.ix(
                        a,
                        reply,
                        Channel::Phone,
                        Direction::Outbound,
                        rep,
                        Outcome::LeftMessage,
                        Some(p),
                        Some(MessageValue::None),
                        Some("Returned the call, left a message"),
                    );
                    let back = reply + mins(a.r.range(60, 30 * 60));
                    if back <= self.now {
                        self.ix(
                            a,
                            back,
                            Channel::Phone,
                            Direction::Inbound,
                            Party::Customer,
                            Outcome::Connected,
                            Some(p),
                            None,
                            Some("Called back, question answered"),
                        );
                    }
                } else if a.r.chance(150) {
                    let t = reply + hours(a.r.range(3, 30));
                    self.ix(
                        a,
                        reply,
                        Channel::Phone,
                        Direction::Outbound,
                        rep,
                        Outcome::LeftMessage,
                        Some(p),
                        Some(MessageValue::GaveSpecificTime { available_at: t }),
                        Some("Left a message with a time we are free"),
                    );
                } else {
                    self.ix(
                        a,
                        reply,
                        Channel::Phone,
                        Direction::Outbound,
                        rep,
                        Outcome::Connected,
                        Some(p),
                        None,
                        Some("Returned the call, question answered"),
                    );
                }
            }
            // Email or portal, answered by email.
            _ => {
                let channel = if how == 2 {
                    Channel::Email
                } else {
                    Channel::Portal
                };
                self.ix(
                    a,
                    at,
                    channel,
                    Direction::Inbound,
                    Party::Customer,
                    Outcome::Delivered,
                    Some(p),
                    None,
                    Some(q),
                );
                if reply <= self.now && self.people[p].blocked & bit(Channel::Email) == 0 {
                    self.ix(
                        a,
                        reply,
                        Channel::Email,
                        Direction::Outbound,
                        rep,
                        Outcome::Delivered,
                        Some(p),
                        None,
                        Some("Answered by email"),
                    );
                }
            }
        }
    }

    /// One ordinary contact `days_ago` days ago.
    fn routine(&mut self, a: &mut Acct, days_ago: i64) {
        let at = self.work_time(&mut a.r, days_ago);
        let kind = a.r.weighted(&[26, 9, 6, 18, 9, 7, 20, 3, 2]);
        match kind {
            0 => {
                let s = *a.r.pick(CHECK_IN);
                self.outbound(a, at, Channel::Phone, Outcome::Connected, None, Some(s));
            }
            1 => self.outbound(a, at, Channel::Phone, Outcome::NoAnswer, None, None),
            2 => self.outbound(
                a,
                at,
                Channel::Phone,
                Outcome::LeftMessage,
                Some(MessageValue::AnsweredQuestion),
                Some("Left the answer on the voicemail"),
            ),
            3 => {
                let s = *a.r.pick(CHECK_IN);
                self.outbound(a, at, Channel::Email, Outcome::Delivered, None, Some(s));
            }
            4 => {
                // The quarterly newsletter, sent by the system.
                if let Some(p) = self.reach(&mut a.r, Channel::Newsletter) {
                    self.ix(
                        a,
                        at,
                        Channel::Newsletter,
                        Direction::Outbound,
                        Party::Automated,
                        Outcome::Delivered,
                        Some(p),
                        None,
                        None,
                    );
                }
            }
            5 => {
                let s = if a.commercial {
                    "Quarterly walk-through on site"
                } else {
                    "Stopped by to check the new thermostat"
                };
                self.outbound(a, at, Channel::Visit, Outcome::Connected, None, Some(s));
            }
            6 => self.inbound_question(a, at),
            7 => self.outbound(
                a,
                at,
                Channel::Sms,
                Outcome::Delivered,
                None,
                Some("Seasonal reminder"),
            ),
            _ => self.outbound(a, at, Channel::Email, Outcome::Bounced, None, None),
        }
    }

    // --- the account ---

    fn account(&mut self, k: usize) {
        let mut r = SplitMix64::for_account(self.seed, k);
        self.buf.clear();
        push_num(&mut self.buf, k as u64 + 1, self.digits);
        let num = self.buf.clone();
        self.buf.clear();
        self.buf.push_str("a-");
        self.buf.push_str(&num);
        let id = AccountId::from(self.buf.as_str());

        let commercial = r.chance(340);
        let new_customer = r.chance(50);
        let since_days = if new_customer {
            r.range(20, 180)
        } else {
            r.range(200, 4_100)
        };
        let history = since_days.min(r.range(730, 1_095));
        // Quiet for up to 300 days, neglected for up to 120, within a history of at
        // least 200 days (400 for the quiet): orders and contacts come before.
        let quiet = (history >= 400 && r.chance(120)).then(|| r.range(75, 300));
        let neglected =
            (history >= 200 && quiet.is_none() && r.chance(80)).then(|| r.range(35, 120));
        let active_until = quiet.or(neglected).unwrap_or(0);
        let owner = if r.chance(15) {
            None
        } else {
            Some(r.pick(&self.reps).clone())
        };
        let rep = owner.clone().unwrap_or_else(|| r.pick(&self.reps).clone());
        let tech = r.pick(&self.techs).clone();
        let manager = r.pick(&self.managers).clone();
        let last = r.below(LAST_NAMES.len() as u64) as usize;
        let mut address = String::with_capacity(40);
        push_num(&mut address, r.range(10, 9_800) as u64, 1);
        address.push(' ');
        address.push_str(r.text(STREETS));
        address.push(' ');
        address.push_str(r.text(STREET_KINDS));
        address.push_str(", ");
        address.push_str(r.text(TOWNS));

        // The account record.
        let mut name = String::with_capacity(32);
        if commercial {
            name.push_str(if r.chance(500) {
                LAST_NAMES[last]
            } else {
                r.text(STREETS)
            });
            name.push(' ');
            name.push_str(r.text(BUSINESS_KINDS));
        } else {
            name.push_str(LAST_NAMES[last]);
            name.push_str(if r.chance(500) {
                " Residence"
            } else {
                " Family"
            });
        }
        let since = self.date_ago(since_days);
        let mut account = Account::new(id.clone(), name, since);
        account.segment = Some(
            if commercial {
                "commercial"
            } else {
                "residential"
            }
            .into(),
        );
        if r.chance(if commercial { 550 } else { 250 }) {
            account.tags.push("maintenance-contract".into());
        }
        if commercial && r.chance(150) {
            account.tags.push("multi-site".into());
        }
        account.owner = owner;
        let annual = if commercial {
            r.range(1_500, 40_000)
        } else {
            r.range(250, 1_500)
        } * 100;
        if r.chance(960) {
            account.annual_value = Some(usd(annual));
            if r.chance(500) {
                let years = (since_days / 365).max(1);
                account.lifetime_value = Some(usd(annual * years * r.range(70, 130) / 100));
            }
        }
        self.book.accounts.push(account);

        let mut a = Acct {
            r,
            num,
            id,
            rep,
            tech,
            manager,
            address,
            commercial,
            history,
            quiet,
            neglected,
            active_until,
            since,
            completed: Vec::new(),
        };
        self.people(&mut a, last);
        self.units(&mut a, since_days);
        self.orders(&mut a, new_customer);
        self.history(&mut a);
        self.recent(&mut a);
        self.flush_interactions(&a);
        self.flush_surveys(&a);
        self.flush_promises(&mut a);
        self.reviews(&mut a);
    }

    fn people(&mut self, a: &mut Acct, household: usize) {
        self.people.clear();
        let r = &mut a.r;
        let roles: &[Role] = if a.commercial {
            let n = r.range(2, 5) as usize;
            &COMMERCIAL_ROLES[..n]
        } else if r.chance(300) {
            &[Role::Owner, Role::Other]
        } else {
            &[Role::Owner]
        };
        for (i, &role) in roles.iter().enumerate() {
            let first = r.below(FIRST_NAMES.len() as u64) as usize;
            let last = if a.commercial && i > 0 {
                r.below(LAST_NAMES.len() as u64) as usize
            } else {
                household
            };
            self.buf.clear();
            self.buf.push_str("p-");
            self.buf.push_str(&a.num);
            self.buf.push('-');
            push_num(&mut self.buf, i as u64 + 1, 1);
            let mut name = String::with_capacity(24);
            name.push_str(FIRST_NAMES[first]);
            name.push(' ');
            name.push_str(LAST_NAMES[last]);
            let mut p = Person::new(PersonId::from(self.buf.as_str()), a.id.clone(), name, role);
            p.key_contact = match role {
                Role::Owner => true,
                Role::ExecutiveAssistant => r.chance(600),
                Role::It => r.chance(400),
                _ => r.chance(150),
            };
            if a.commercial && r.chance(500) {
                let of_role = || TITLES.iter().filter(|(t, _)| *t == role);
                let pick = r.below(of_role().count() as u64) as usize;
                p.title = of_role().nth(pick).map(|(_, s)| (*s).to_string());
            }
            if r.chance(330) {
                let month = r.range(1, 12) as u32;
                let last_day = match month {
                    2 => 29,
                    4 | 6 | 9 | 11 => 30,
                    _ => 31,
                };
                let day = r.range(1, last_day) as u32;
                let year = r.chance(500).then(|| r.range(1945, 2000) as i32);
                let year = year.filter(|&y| NaiveDate::from_ymd_opt(y, month, day).is_some());
                p.birthday = Some(Birthday { month, day, year });
            }
            let mut blocked = 0u8;
            if r.chance(5) {
                // Asked never to be contacted: no preference, every channel blocked.
                p.channels.do_not_contact = vec![
                    Channel::Phone,
                    Channel::Email,
                    Channel::Letter,
                    Channel::Newsletter,
                    Channel::Sms,
                    Channel::Visit,
                ];
            } else {
                let prefs = [Channel::Phone, Channel::Email, Channel::Sms, Channel::Visit];
                if r.chance(850) {
                    let first = *r.pick(&prefs);
                    p.channels.preferred.push(first);
                    if r.chance(450) {
                        let second = *r.pick(&prefs);
                        if second != first {
                            p.channels.preferred.push(second);
                        }
                    }
                }
                if r.chance(70) {
                    let c = *r.pick(&[
                        Channel::Sms,
                        Channel::Letter,
                        Channel::Phone,
                        Channel::Email,
                    ]);
                    if !p.channels.preferred.contains(&c) {
                        p.channels.do_not_contact.push(c);
                    }
                }
            }
            for &c in &p.channels.do_not_contact {
                blocked |= bit(c);
            }
            if r.chance(8) {
                p.time_zone = Some("America/Denver".into());
            }
            self.book.people.push(p);
            self.people.push(Who {
                blocked,
                first,
                last,
            });
        }
    }

    fn units(&mut self, a: &mut Acct, since_days: i64) {
        let r = &mut a.r;
        let kinds: &[(&str, ServiceInterval)] = if a.commercial {
            &[
                ("rooftop unit", ServiceInterval::Months(6)),
                ("rooftop unit", ServiceInterval::Months(3)),
                ("boiler", ServiceInterval::Months(12)),
                ("walk-in cooler condenser", ServiceInterval::Days(90)),
                ("split system", ServiceInterval::Months(12)),
            ]
        } else {
            &[
                ("gas furnace", ServiceInterval::Months(12)),
                ("central air conditioner", ServiceInterval::Months(12)),
                ("heat pump", ServiceInterval::Months(6)),
                ("ductless mini-split", ServiceInterval::Months(12)),
                ("water heater", ServiceInterval::Months(12)),
            ]
        };
        let n = if a.commercial {
            r.range(1, 3)
        } else {
            r.range(1, 2)
        };
        for i in 0..n {
            let &(kind, interval) = if i == 0 { &kinds[0] } else { r.pick(kinds) };
            let installed_ago = r.range(30, since_days + 3_000);
            let interval_days = match interval {
                ServiceInterval::Months(m) => i64::from(m) * 30,
                ServiceInterval::Days(d) => i64::from(d),
            };
            self.buf.clear();
            self.buf.push_str("eq-");
            self.buf.push_str(&a.num);
            self.buf.push('-');
            push_num(&mut self.buf, i as u64 + 1, 1);
            let installed = {
                let ce = i64::from(self.today_ce) - installed_ago;
                i32::try_from(ce)
                    .ok()
                    .and_then(NaiveDate::from_num_days_from_ce_opt)
                    .unwrap_or(a.since)
            };
            let mut u = InstalledUnit::new(
                UnitId::from(self.buf.as_str()),
                a.id.clone(),
                kind,
                installed,
                interval,
            );
            if a.commercial && kind == "rooftop unit" {
                let mut label = String::from("RTU-");
                push_num(&mut label, i as u64 + 1, 1);
                u.label = Some(label);
            }
            let recent_install = installed_ago < interval_days;
            if !recent_install || r.chance(500) {
                // Serviced on schedule, a few overdue.
                let ago = if r.chance(80) {
                    r.range(interval_days, interval_days * 5 / 4)
                } else {
                    r.range(0, interval_days - 10)
                }
                .min(installed_ago);
                let ce = i64::from(self.today_ce) - ago;
                u.last_serviced_on = i32::try_from(ce)
                    .ok()
                    .and_then(NaiveDate::from_num_days_from_ce_opt)
                    .filter(|d| *d >= installed);
            }
            self.book.units.push(u);
        }
    }

    // --- orders ---

    fn orders(&mut self, a: &mut Acct, new_customer: bool) {
        let n_closed = if new_customer {
            1
        } else {
            [1, 1, 2, 2, 2, 3, 3, 4][a.r.below(8) as usize]
        };
        let earliest = a.history - 2;
        let latest = a.active_until + 14;
        let mut starts: Vec<i64> = (0..n_closed)
            .map(|_| a.r.range(latest, earliest.max(latest)))
            .collect();
        starts.sort_unstable_by(|x, y| y.cmp(x));
        if !new_customer && a.r.chance(40) {
            // A cancelled order among the old ones.
            let d = a.r.range(latest, earliest.max(latest));
            starts.push(d);
            starts.sort_unstable_by(|x, y| y.cmp(x));
        }
        let cancelled_at = (starts.len() > n_closed).then(|| a.r.below(starts.len() as u64));
        let mut plans: Vec<(Plan, i64)> = starts
            .iter()
            .enumerate()
            .map(|(i, &d)| {
                let plan = if Some(i as u64) == cancelled_at {
                    Plan::Cancelled
                } else {
                    Plan::Closed
                };
                (plan, d)
            })
            .collect();
        if a.quiet.is_none() && a.neglected.is_none() && a.r.chance(150) {
            let plan = [
                Plan::New,
                Plan::Scheduled,
                Plan::Dispatched,
                Plan::InProgress,
                Plan::OnHold,
                Plan::PartiallyComplete,
                Plan::Completed,
            ][a.r.weighted(&[6, 32, 6, 8, 18, 8, 22])];
            plans.push((plan, 0));
        }
        for (i, (plan, days_ago)) in plans.into_iter().enumerate() {
            self.order(a, i as u64 + 1, plan, days_ago);
        }
    }

    fn service(&self, a: &mut Acct) -> &'static Service {
        let weights: &[u64] = if a.commercial {
            &[0, 0, 15, 15, 35, 15, 15, 5]
        } else {
            &[30, 25, 20, 20, 0, 0, 0, 5]
        };
        &SERVICES[a.r.weighted(weights).min(SERVICES.len() - 1)]
    }

    /// An appointment slot `lead` days after `from`'s date: 8, 10, 12 or 14 o'clock
    /// Chicago time (14:00-20:00 UTC in winter), two hours long.
    fn slot(r: &mut SplitMix64, from: DateTime<Utc>, lead: i64) -> (DateTime<Utc>, DateTime<Utc>) {
        let mut date = from.date_naive() + days(lead);
        if date.weekday() == Weekday::Sun {
            date = date.succ_opt().unwrap_or(date);
        }
        let start = date.and_time(NaiveTime::MIN).and_utc() + hours(14 + 2 * r.range(0, 3));
        (start, start + hours(2))
    }

    fn order(&mut self, a: &mut Acct, seq: u64, plan: Plan, days_ago: i64) {
        let now = self.now;
        let s = self.service(a);
        let contact = self.caller(&mut a.r);
        // When the customer first called, and when the appointment starts.
        let (first, lead) = match plan {
            Plan::Closed | Plan::Cancelled => {
                let first = self.work_time(&mut a.r, days_ago);
                (first, a.r.range(1, (days_ago - 5).clamp(1, 9)))
            }
            Plan::New => (self.minutes_ago(&mut a.r, 30, 40 * 60), 0),
            Plan::Scheduled => (self.minutes_ago(&mut a.r, 60, 9 * 24 * 60), 0),
            Plan::Dispatched | Plan::InProgress => {
                (self.minutes_ago(&mut a.r, 2 * 24 * 60, 8 * 24 * 60), 0)
            }
            Plan::OnHold | Plan::PartiallyComplete => {
                (self.minutes_ago(&mut a.r, 5 * 24 * 60, 25 * 24 * 60), 0)
            }
            Plan::Completed => (self.minutes_ago(&mut a.r, 4 * 24 * 60, 12 * 24 * 60), 0),
        };
        let oid = crate::model::OrderId::from(self.id("o-", &a.num, seq, 1));
        let request = *a.r.pick(s.requests);
        let mut o = ServiceOrder::new(
            oid.clone(),
            a.id.clone(),
            s.code,
            first,
            Intake::new(request),
        );
        o.intake.special_instructions = match a.r.below(20) {
            0 => None,
            1..=5 => Some(Instructions::None {}),
            _ => Some(Instructions::Given {
                notes: vec![(*a.r.pick(INSTRUCTIONS)).to_string()],
            }),
        };
        o.site = Some(Site::new(a.address.clone()));
        o.contact = Some(self.person_id(a, contact));
        for (i, w) in s.work.iter().enumerate() {
            let mut wid = String::from("w-");
            push_num(&mut wid, i as u64 + 1, 1);
            o.planned_work.push(WorkItem::new(wid, *w));
        }
        let part = *a.r.pick(s.parts);
        if a.r.chance(800) {
            o.planned_parts
                .push(PartLine::new(part.0, Decimal::from(part.1)));
        }
        // The customer's call that opened the order.
        let caller_channel = if a.r.chance(850) {
            Channel::Phone
        } else {
            Channel::Portal
        };
        let outcome = if caller_channel == Channel::Phone {
            Outcome::Connected
        } else {
            Outcome::Delivered
        };
        self.ix(
            a,
            first,
            caller_channel,
            Direction::Inbound,
            Party::Customer,
            outcome,
            Some(contact),
            None,
            Some(request),
        );
        if plan == Plan::New {
            // Taken in, no appointment yet (O1 says it should have one).
            self.book.orders.push(o);
            return;
        }

        // Scheduled: the appointment, usually set on the first call (O1).
        let set_at = if a.r.chance(900) {
            first + mins(a.r.range(2, 25))
        } else {
            first + hours(a.r.range(20, 50))
        }
        .min(now);
        let (start, end) = match plan {
            Plan::Scheduled => {
                let lead = a.r.range(1, 9);
                Gen::slot(&mut a.r, now, lead)
            }
            Plan::Dispatched => {
                let start = now + mins(a.r.range(-20, 90));
                (start, start + hours(2))
            }
            Plan::InProgress => {
                let start = now - mins(a.r.range(60, 10 * 60));
                (start, start + hours(2))
            }
            Plan::OnHold | Plan::PartiallyComplete | Plan::Completed => {
                // Start at least 5 hours after the first call.
                let room = (now - first).num_minutes() - 600;
                let back = if plan == Plan::Completed {
                    a.r.range(20, room.min(6 * 24 * 60 - 300))
                } else {
                    a.r.range(3 * 24 * 60, room)
                };
                let start = now - mins(back + 300);
                (start, start + hours(2))
            }
            Plan::Closed | Plan::Cancelled | Plan::New => Gen::slot(&mut a.r, first, lead.max(0)),
        };
        let set_at = set_at.min(start - mins(30)).max(first);
        if caller_channel == Channel::Portal {
            // The web request was answered by the call that booked the visit.
            let by = Gen::staff(&a.rep);
            self.ix(
                a,
                set_at,
                Channel::Phone,
                Direction::Outbound,
                by,
                Outcome::Connected,
                Some(contact),
                None,
                Some("Called to book the visit"),
            );
        }
        let mut appt = Appointment::new(start, end, set_at);
        let confirm = match plan {
            Plan::Scheduled => a.r.chance(500),
            Plan::Dispatched => a.r.chance(850),
            _ => a.r.chance(950),
        };
        if confirm {
            let at = (start - hours(a.r.range(18, 30))).max(set_at + mins(5));
            appt.confirmed_at = Some(at.min(now));
        }
        o.appointment = Some(appt);
        let tech = a.tech.clone();
        let status = |stage, at: DateTime<Utc>, by: &UserId| {
            let mut c = StatusChange::new(stage, at);
            c.by = Some(by.clone());
            c
        };
        o.status_history
            .push(status(Stage::Scheduled, set_at, &a.rep));
        if matches!(plan, Plan::Scheduled | Plan::Dispatched) {
            if plan == Plan::Dispatched {
                o.technician = Some(tech.clone());
                o.status_history.push(status(
                    Stage::Dispatched,
                    (now - mins(a.r.range(5, 60))).max(set_at),
                    &tech,
                ));
            } else if a.r.chance(400) {
                o.technician = Some(tech);
            }
            self.arrival_promise(a, &o, None);
            self.book.orders.push(o);
            return;
        }
        if plan == Plan::Cancelled {
            let at = (set_at + hours(a.r.range(2, 72))).min(start);
            o.customer_updates.push({
                let mut u = CustomerUpdate::new(at, "Cancelled at the customer's request");
                u.channel = Some(Channel::Phone);
                u
            });
            o.status_history.push(status(Stage::Cancelled, at, &a.rep));
            self.book.orders.push(o);
            return;
        }
        o.technician = Some(tech.clone());
        let dispatched = (start - mins(30)).max(set_at);
        o.status_history
            .push(status(Stage::Dispatched, dispatched, &tech));

        // On site.
        let arrived = (start + mins(a.r.range(-10, 50))).min(now).max(dispatched);
        o.status_history
            .push(status(Stage::InProgress, arrived, &tech));
        self.ix(
            a,
            arrived,
            Channel::Visit,
            Direction::Outbound,
            Gen::staff(&tech),
            Outcome::Connected,
            Some(contact),
            None,
            Some("Service visit"),
        );
        if a.r.chance(300) {
            self.arrival_promise(a, &o, Some(arrived));
        }
        let template = self.checklists.then(|| template_id(s.code));
        if plan == Plan::InProgress {
            if a.r.chance(500) {
                let at = (arrived + mins(a.r.range(30, 240))).min(now);
                let mut u = CustomerUpdate::new(at, "Found the fault, repairing now");
                u.channel = Some(Channel::Sms);
                o.customer_updates.push(u);
            }
            if let Some(t) = template {
                o.checklist = Some(self.checklist(a, s, t, &tech, arrived, 2));
            }
            self.book.orders.push(o);
            return;
        }
        if matches!(plan, Plan::OnHold | Plan::PartiallyComplete) {
            let held = (arrived + mins(a.r.range(60, 180))).min(now);
            let stage = if plan == Plan::OnHold {
                Stage::OnHold
            } else {
                o.work_performed.push(WorkDone::for_item(s.done[0], "w-1"));
                Stage::PartiallyComplete
            };
            let mut change = status(stage, held, &tech);
            change.note = Some("Waiting for a part".into());
            o.status_history.push(change);
            if a.r.chance(650) {
                let at = (held + mins(a.r.range(10, 180))).min(now);
                let mut u = CustomerUpdate::new(at, "The part is on order");
                u.channel = Some(Channel::Phone);
                u.next_step = Some("We come back as soon as it arrives, within the week".into());
                o.customer_updates.push(u);
                if a.r.chance(400) {
                    let at = (now - mins(a.r.range(60, 20 * 60))).max(at);
                    let mut u = CustomerUpdate::new(at, "The part ships tomorrow");
                    u.channel = Some(Channel::Sms);
                    u.next_step = Some("We will call to book the return visit".into());
                    o.customer_updates.push(u);
                }
            }
            if let Some(t) = template {
                o.checklist = Some(self.checklist(a, s, t, &tech, arrived, 2));
            }
            self.observe(a, &mut o);
            if a.r.chance(600) {
                self.completion_promise(a, &o, held);
            }
            self.book.orders.push(o);
            return;
        }

        // The work is done.
        let done_at = (arrived + mins(a.r.range(45, 240))).min(now);
        // One entry per planned item: the install's steps in turn, a repair's one of
        // its usual outcomes.
        for i in 0..s.work.len() {
            let d = if s.work.len() > 1 {
                s.done[i % s.done.len()]
            } else {
                *a.r.pick(s.done)
            };
            let mut wid = String::from("w-");
            push_num(&mut wid, i as u64 + 1, 1);
            o.work_performed.push(WorkDone::for_item(d, wid));
        }
        if let Some(p) = o.planned_parts.first() {
            let mut used = p.clone();
            if a.r.chance(100) {
                used.quantity += Decimal::ONE;
            }
            o.parts_used.push(used);
        } else if a.r.chance(300) {
            o.parts_used
                .push(PartLine::new(part.0, Decimal::from(part.1)));
        }
        self.observe(a, &mut o);
        if a.r.chance(300) {
            o.recommendations
                .push((*a.r.pick(RECOMMENDATIONS)).to_string());
        }
        o.clean_up_confirmed = plan == Plan::Closed || a.r.chance(900);
        if let Some(t) = template {
            let open = if plan == Plan::Completed && a.r.chance(150) {
                1
            } else {
                0
            };
            o.checklist = Some(self.checklist(a, s, t, &tech, arrived, open));
        }
        o.status_history
            .push(status(Stage::Completed, done_at, &tech));
        if plan == Plan::Closed || a.r.chance(750) {
            let mut n = CompletionNotice::new((done_at + mins(a.r.range(1, 10))).min(now));
            n.channel = Some(Channel::Visit);
            o.completion_notice = Some(n);
        }
        a.completed.push((oid.clone(), Some(contact), done_at));
        if plan == Plan::Completed {
            // Waiting for the sign-off (O3): the customer was out, the form is in the van.
            self.book.orders.push(o);
            return;
        }

        // Signed off and closed, everything captured.
        let signed = done_at + mins(a.r.range(2, 10));
        let mut sign = SignOff::new(self.person_name(contact), signed, true);
        sign.work_fingerprint = Some(o.work_fingerprint());
        o.sign_off = Some(sign);
        o.status_history
            .push(status(Stage::SignedOff, signed, &tech));
        o.thanked_at = Some(signed + mins(1));
        if a.r.chance(800) {
            o.referral_asked_at = Some(signed + mins(2));
        }
        let closed = (signed + mins(a.r.range(5, 2 * 24 * 60))).min(now);
        if a.r.chance(900) {
            o.feedback_asked_at = Some(closed);
        }
        o.next_service = match a.r.below(100) {
            0 => None,
            1..=4 => Some(NextService::NotNeeded {
                reason: "One-off repair".into(),
            }),
            _ => {
                let months = if s.maintenance && a.commercial { 6 } else { 12 };
                let on = done_at
                    .date_naive()
                    .checked_add_months(chrono::Months::new(months))
                    .unwrap_or(done_at.date_naive());
                Some(NextService::Agreed {
                    on,
                    how: Some(
                        if s.maintenance {
                            "Seasonal maintenance visit"
                        } else {
                            "Check-up visit"
                        }
                        .into(),
                    ),
                })
            }
        };
        o.status_history.push(status(Stage::Closed, closed, &a.rep));
        if s.code == "system_install" && a.r.chance(700) {
            self.quote_promise(a, first);
        }
        self.after_job(a, oid, contact, done_at);
        self.book.orders.push(o);
    }

    /// The checklist of the job's template: every item done (a rare one waived)
    /// except the last `open` required ones and, while the job runs (`open` > 0),
    /// the second half.
    fn checklist(
        &self,
        a: &mut Acct,
        s: &Service,
        template: String,
        tech: &UserId,
        from: DateTime<Utc>,
        open: usize,
    ) -> Checklist {
        let mut c = Checklist::new(template);
        let n = s.checklist.len();
        let upto = if open >= 2 { n / 2 } else { n };
        let mut skipped = 0;
        for (i, &(id, _, kind)) in s.checklist.iter().enumerate().take(upto) {
            if open == 1 && skipped == 0 && matches!(kind, Item::Required) && i + 3 >= n {
                skipped = 1;
                continue;
            }
            let state = match kind {
                Item::Optional if a.r.chance(300) => continue,
                Item::Required if a.r.chance(40) => ItemState::Waived {
                    by: tech.clone(),
                    reason: "Customer declined".into(),
                },
                _ => ItemState::Done {
                    by: tech.clone(),
                    at: (from + mins(5 * i as i64 + 5)).min(self.now),
                    work_fingerprint: None,
                },
            };
            c.items.push(ChecklistEntry::new(id, state));
        }
        c
    }

    /// What the technician noticed (O7): nothing, something, or not recorded.
    fn observe(&self, a: &mut Acct, o: &mut ServiceOrder) {
        o.observations = match a.r.below(10) {
            0 => None,
            1..=5 => Some(Observations::None {}),
            _ => {
                let &(kind, note, value) = a.r.pick(OBSERVATIONS);
                let mut ob = Observation::new(kind, note);
                if value > 0 {
                    ob.estimated_value = Some(usd(value * 100));
                }
                Some(Observations::Recorded { items: vec![ob] })
            }
        };
    }

    /// After a closed job: the follow-up call (C4), maybe a survey (C7) and a manager's
    /// call after an unhappy one, a thank-you note after the first job (C6).
    fn after_job(
        &mut self,
        a: &mut Acct,
        order: crate::model::OrderId,
        contact: usize,
        done_at: DateTime<Utc>,
    ) {
        let now = self.now;
        let first_job = a.completed.len() == 1;
        if a.r.chance(850) {
            if let Some(at) = self.work_time_after(&mut a.r, done_at, 1, 2) {
                self.outbound(
                    a,
                    at,
                    Channel::Phone,
                    Outcome::Connected,
                    None,
                    Some("Follow-up call after the visit"),
                );
            }
        }
        if first_job && a.r.chance(950) {
            if let Some(at) = self.work_time_after(&mut a.r, done_at, 1, 5) {
                self.outbound(
                    a,
                    at,
                    Channel::Letter,
                    Outcome::Delivered,
                    None,
                    Some("Handwritten thank-you note"),
                );
            }
        }
        if self.surveys.len() >= 3 || !a.r.chance(340) {
            return;
        }
        let answered = done_at + hours(a.r.range(20, 72));
        if answered > now {
            return;
        }
        let nps = a.r.chance(700);
        let scale = if nps {
            SurveyScale::zero_to_ten()
        } else {
            SurveyScale::one_to_five()
        };
        let unhappy = a.r.chance(140);
        let score = match (nps, unhappy) {
            (true, true) => a.r.range(1, 6),
            (true, false) => *a.r.pick(&[7, 8, 9, 9, 10, 10, 10]),
            (false, true) => a.r.range(1, 3),
            (false, false) => *a.r.pick(&[4, 5, 5]),
        };
        let mut sv = SurveyResponse::new(
            SurveyId::from(""),
            a.id.clone(),
            answered,
            Decimal::from(score),
            scale,
        );
        sv.person = Some(self.person_id(a, contact));
        sv.order = Some(order);
        if unhappy || a.r.chance(50) {
            sv.unhappy_hint = !unhappy;
            sv.comment = Some((*a.r.pick(UNHAPPY)).to_string());
        } else if a.r.chance(250) {
            sv.comment = Some((*a.r.pick(HAPPY)).to_string());
        }
        let grumble = sv.is_unhappy();
        self.surveys.push(sv);
        if grumble && a.r.chance(650) {
            let at = self.work_time_after(&mut a.r, answered, 0, 2);
            let reachable = self.people[contact].blocked & bit(Channel::Phone) == 0;
            if let Some(at) = at.filter(|_| reachable) {
                let by = Gen::staff(&a.manager);
                self.ix(
                    a,
                    at,
                    Channel::Phone,
                    Direction::Outbound,
                    by,
                    Outcome::Connected,
                    Some(contact),
                    None,
                    Some("Manager called about the survey"),
                );
            }
        }
    }

    // --- the stream of contacts ---

    fn history(&mut self, a: &mut Acct) {
        let months = a.history / 30;
        let target = (a.r.range(10, 28) * months.clamp(6, 30) / 30).max(4) as usize;
        let from = a.active_until + 1;
        let busy = self.interactions.len();
        for _ in busy..target.max(busy + 2) {
            let d = a.r.range(from, a.history);
            self.routine(a, d);
        }
        // Birthday cards (C6), most years.
        for p in 0..self.people.len() {
            let first = self.book.people.len() - self.people.len();
            let Some(b) = self.book.people.get(first + p).and_then(|x| x.birthday) else {
                continue;
            };
            let start = self.date_ago(a.history).year();
            let end = self.date_ago(a.active_until).year();
            for y in start..=end {
                let Some(day) = b.in_year(y) else { continue };
                let ago = i64::from(self.today_ce) - i64::from(day.num_days_from_ce()) + 3;
                if ago < a.active_until.max(1) || ago > a.history || !a.r.chance(650) {
                    continue;
                }
                if self.people[p].blocked & bit(Channel::Letter) != 0 {
                    continue;
                }
                let at = self.work_time(&mut a.r, ago);
                let by = Gen::staff(&a.rep);
                self.ix(
                    a,
                    at,
                    Channel::Letter,
                    Direction::Outbound,
                    by,
                    Outcome::Delivered,
                    Some(p),
                    None,
                    Some("Birthday card"),
                );
            }
        }
        match (a.quiet, a.neglected) {
            (Some(q), _) => {
                // The customer went quiet: the reps' calls since got no answer, and the
                // emails went unanswered.
                for _ in 0..a.r.range(1, 3) {
                    let d = a.r.range(1, 55.min(q - 1));
                    let at = self.work_time(&mut a.r, d);
                    let outcome = if a.r.chance(500) {
                        Outcome::NoAnswer
                    } else {
                        Outcome::LeftMessage
                    };
                    let value = (outcome == Outcome::LeftMessage).then_some(MessageValue::None);
                    self.outbound(a, at, Channel::Phone, outcome, value, None);
                }
                if a.r.chance(500) {
                    let d = a.r.range(5, q - 1);
                    let at = self.work_time(&mut a.r, d);
                    self.outbound(
                        a,
                        at,
                        Channel::Email,
                        Outcome::Delivered,
                        None,
                        Some("Checking in: anything we can help with?"),
                    );
                }
            }
            (None, Some(_)) => {}
            (None, None) => {
                // The practice kept: someone touched the account lately (most within
                // the 28 days of C1), met them face to face this quarter (C2), and
                // touched each key contact this quarter (C3).
                let d = a.r.range(0, 34);
                self.routine(a, d);
                if a.r.chance(960) {
                    // Monthly in the first six months (C2), then quarterly.
                    let new = a.since > self.date_ago(183);
                    let d = a.r.range(0, if new { 28 } else { 95 });
                    let at = self.work_time(&mut a.r, d);
                    let s = if a.commercial {
                        "Quarterly walk-through on site"
                    } else {
                        "Seasonal check-in visit"
                    };
                    self.outbound(a, at, Channel::Visit, Outcome::Connected, None, Some(s));
                }
                let first = self.book.people.len() - self.people.len();
                for p in 0..self.people.len() {
                    let key = self
                        .book
                        .people
                        .get(first + p)
                        .is_some_and(|x| x.key_contact);
                    if !key || !a.r.chance(970) {
                        continue;
                    }
                    let mut channel = if a.r.chance(500) {
                        Channel::Email
                    } else {
                        Channel::Phone
                    };
                    if self.people[p].blocked & bit(channel) != 0 {
                        channel = if channel == Channel::Email {
                            Channel::Phone
                        } else {
                            Channel::Email
                        };
                    }
                    let d = a.r.range(0, 88);
                    if self.people[p].blocked & bit(channel) == 0 {
                        let at = self.work_time(&mut a.r, d);
                        let (outcome, summary) = if channel == Channel::Email {
                            (Outcome::Delivered, "Sent the service summary")
                        } else {
                            (Outcome::Connected, "Caught up on the building's needs")
                        };
                        let by = Gen::staff(&a.rep);
                        self.ix(
                            a,
                            at,
                            channel,
                            Direction::Outbound,
                            by,
                            outcome,
                            Some(p),
                            None,
                            Some(summary),
                        );
                    }
                }
            }
        }
    }

    /// What happened in the last days: a voicemail not yet returned, phone tag, a call
    /// promised at a time.
    fn recent(&mut self, a: &mut Acct) {
        if a.quiet.is_some() {
            return;
        }
        let now = self.now;
        let p = self.caller(&mut a.r);
        let situation = a.r.below(1000);
        if a.neglected.is_some() && situation >= 40 {
            // Nobody has been in touch; only the customer's voicemail is new.
            return;
        }
        let q = *a.r.pick(QUESTIONS);
        match situation {
            // A voicemail nobody has returned yet.
            0..=39 => {
                let at = self.minutes_ago(&mut a.r, 30, 80 * 60);
                self.ix(
                    a,
                    at,
                    Channel::Phone,
                    Direction::Inbound,
                    Party::Customer,
                    Outcome::LeftMessage,
                    Some(p),
                    None,
                    Some(q),
                );
            }
            // Phone tag: the return call left "sorry we missed you", and maybe the
            // customer's next voicemail too.
            40..=59 => {
                let at = self.minutes_ago(&mut a.r, 30 * 60, 120 * 60);
                self.ix(
                    a,
                    at,
                    Channel::Phone,
                    Direction::Inbound,
                    Party::Customer,
                    Outcome::LeftMessage,
                    Some(p),
                    None,
                    Some(q),
                );
                let back = at + mins(a.r.range(60, 8 * 60));
                let rep = Gen::staff(&a.rep);
                self.ix(
                    a,
                    back.min(now),
                    Channel::Phone,
                    Direction::Outbound,
                    rep.clone(),
                    Outcome::LeftMessage,
                    Some(p),
                    Some(MessageValue::None),
                    Some("Sorry we missed you, please call us back"),
                );
                if a.r.chance(500) {
                    let again = back + mins(a.r.range(120, 20 * 60));
                    self.ix(
                        a,
                        again.min(now),
                        Channel::Phone,
                        Direction::Inbound,
                        Party::Customer,
                        Outcome::LeftMessage,
                        Some(p),
                        None,
                        Some("Called back, got the voicemail"),
                    );
                }
            }
            // A message that promised a call at a time (P2 done right), due around now.
            60..=74 => {
                if self.people[p].blocked & bit(Channel::Phone) != 0 {
                    return;
                }
                let at = self.minutes_ago(&mut a.r, 2 * 60, 30 * 60);
                let call_at = (now + mins(a.r.range(-180, 30 * 60))).max(at + mins(30));
                let rep = Gen::staff(&a.rep);
                self.ix(
                    a,
                    at,
                    Channel::Phone,
                    Direction::Outbound,
                    rep,
                    Outcome::LeftMessage,
                    Some(p),
                    Some(MessageValue::PromisedCallAt { call_at }),
                    Some("Will call back at the agreed time"),
                );
            }
            // A question from the last two days, answered or still open.
            75..=119 => {
                let at = self.minutes_ago(&mut a.r, 20, 48 * 60);
                self.inbound_question(a, at);
            }
            _ => {}
        }
    }

    // --- promises ---

    fn new_promise(
        &mut self,
        a: &Acct,
        kind: PromiseKind,
        made_at: DateTime<Utc>,
        due: Due,
    ) -> Option<&mut Pending> {
        if self.promises.len() >= 3 || made_at > self.now {
            return None;
        }
        let seq = self.promises.len() as u64 + 1;
        let id = crate::model::PromiseId::from(self.id("pr-", &a.num, seq, 1));
        let mut p = Promise::new(
            id,
            kind,
            MadeBy::Staff {
                user: a.rep.clone(),
            },
            a.id.clone(),
            made_at,
            due,
        );
        p.person = Some(self.person_id(a, 0));
        self.promises.push(Pending {
            promise: p,
            events: Vec::new(),
        });
        self.promises.last_mut()
    }

    /// The arrival window of an order's appointment, kept (or not) when the technician
    /// arrived.
    fn arrival_promise(&mut self, a: &mut Acct, o: &ServiceOrder, arrived: Option<DateTime<Utc>>) {
        let Some(appt) = &o.appointment else { return };
        if arrived.is_none() && !a.r.chance(700) {
            return;
        }
        let due = Due::Window {
            earliest: appt.start,
            latest: appt.end,
        };
        let made = appt.set_at.min(appt.start - mins(1));
        let now = self.now;
        if let Some(p) = self.new_promise(a, PromiseKind::ArrivalWindow, made, due) {
            if let Some(at) = arrived.filter(|t| *t <= now && *t > made) {
                p.events.push((at, EventKind::Delivered { scope: None }));
            }
        }
    }

    /// "The job will be finished by ...": made when the job went on hold, sometimes
    /// renegotiated, still open.
    fn completion_promise(&mut self, a: &mut Acct, o: &ServiceOrder, held: DateTime<Utc>) {
        let due_at = held + days(a.r.range(2, 6));
        let renegotiate = a.r.chance(300);
        let later = days(a.r.range(2, 5));
        let agreed = a.r.chance(850);
        let now = self.now;
        let made = held + mins(10);
        if let Some(p) =
            self.new_promise(a, PromiseKind::CompletionBy, made, Due::At { at: due_at })
        {
            p.promise.person = o.contact.clone();
            let at = made + (due_at - made) / 2;
            if renegotiate && at <= now {
                p.events.push((
                    at,
                    EventKind::Renegotiated {
                        new_due: Due::At { at: due_at + later },
                        reason: "The part is back-ordered".into(),
                        customer_agreed: agreed,
                    },
                ));
            }
        }
    }

    /// A quote promised within 16 working hours of the first call.
    fn quote_promise(&mut self, a: &mut Acct, first: DateTime<Utc>) {
        let made = first + mins(15);
        let delay = mins(a.r.range(60, 40 * 60));
        let now = self.now;
        if let Some(p) = self.new_promise(
            a,
            PromiseKind::QuoteBy,
            made,
            Due::Within {
                span: Span::Hours(16),
            },
        ) {
            let at = made + delay;
            if at <= now {
                p.events.push((at, EventKind::Delivered { scope: None }));
            }
        }
    }

    /// A few promises of the ordinary kind (a follow-up, a quote, a loaner heater),
    /// with what became of them.
    fn other_promises(&mut self, a: &mut Acct) {
        let n = a.r.weighted(&[62, 26, 9, 3]);
        for _ in 0..n {
            let kind = match a.r.weighted(&[55, 30, 15]) {
                0 => PromiseKind::FollowUp,
                1 => PromiseKind::QuoteBy,
                _ => PromiseKind::Custom {
                    label: "loaner heater".into(),
                },
            };
            // Mostly in the past, some in the last days.
            let ago = if a.r.chance(180) {
                a.r.range(0, 4)
            } else {
                a.r.range(a.active_until + 8, a.history.max(a.active_until + 8))
            };
            let made = self.work_time(&mut a.r, ago);
            let len = hours(a.r.range(20, 7 * 24));
            let due_at = made + len;
            let now = self.now;
            let bucket = a.r.weighted(&[600, 80, 60, 50, 50, 20, 40]);
            let f = a.r.range(10, 115);
            let renegotiate_days = a.r.range(1, 5);
            let pause = hours(a.r.range(2, 48));
            let Some(p) = self.new_promise(a, kind, made, Due::At { at: due_at }) else {
                return;
            };
            let frac = |pct: i64| made + len * i32::try_from(pct).unwrap_or(100) / 100;
            let mut push = |at: DateTime<Utc>, e: EventKind| {
                let after = p.events.last().is_none_or(|(t, _)| at > *t);
                if at <= now && at > made && after {
                    p.events.push((at, e));
                    true
                } else {
                    false
                }
            };
            let delivered = || EventKind::Delivered { scope: None };
            match bucket {
                // Delivered: early, on time or late.
                0 => {
                    push(frac(f), delivered());
                }
                // Renegotiated in time, then delivered.
                1 => {
                    if push(
                        frac(50),
                        EventKind::Renegotiated {
                            new_due: Due::At {
                                at: due_at + days(renegotiate_days),
                            },
                            reason: "The customer asked to move it".into(),
                            customer_agreed: true,
                        },
                    ) {
                        push(due_at + hours(renegotiate_days * 12), delivered());
                    }
                }
                // Paused while waiting for the customer, then delivered.
                2 => {
                    let s = frac(30);
                    if push(
                        s,
                        EventKind::Paused {
                            reason: Some("Waiting for the customer's photos".into()),
                        },
                    ) && push(s + pause, EventKind::Resumed {})
                    {
                        push(frac(90) + pause, delivered());
                    }
                }
                // An attempt that reached nobody, then delivered.
                3 => {
                    if push(
                        frac(60),
                        EventKind::Attempt {
                            outcome: Outcome::NoAnswer,
                        },
                    ) {
                        push(frac(f.max(70)), delivered());
                    }
                }
                // Cancelled by the customer.
                4 => {
                    push(
                        frac(40),
                        EventKind::CancelledByCustomer {
                            reason: Some("No longer needed".into()),
                        },
                    );
                }
                // Never delivered.
                5 => {}
                // Delivered well late.
                _ => {
                    push(frac(f + 60), delivered());
                }
            }
        }
    }

    // --- writing an account's lists ---

    fn flush_interactions(&mut self, a: &Acct) {
        // Time order; ties keep the order written, and ids follow it.
        self.interactions.sort_by_key(|x| x.at);
        let width = if self.interactions.len() > 99 { 3 } else { 2 };
        for (i, mut x) in std::mem::take(&mut self.interactions)
            .into_iter()
            .enumerate()
        {
            x.id = InteractionId::from(self.id("i-", &a.num, i as u64 + 1, width));
            self.book.interactions.push(x);
        }
    }

    fn flush_surveys(&mut self, a: &Acct) {
        self.surveys.sort_by_key(|s| s.answered_at);
        for (i, mut s) in std::mem::take(&mut self.surveys).into_iter().enumerate() {
            s.id = SurveyId::from(self.id("s-", &a.num, i as u64 + 1, 1));
            self.book.surveys.push(s);
        }
    }

    fn flush_promises(&mut self, a: &mut Acct) {
        self.other_promises(a);
        for p in std::mem::take(&mut self.promises) {
            for (at, e) in p.events {
                self.book
                    .promise_events
                    .push(PromiseEvent::new(p.promise.id.clone(), at, e));
            }
            self.book.promises.push(p.promise);
        }
    }

    /// Monthly record reviews (C5) on the dates anchored to `customer_since`, for the
    /// last few months; behind for some accounts, none for a few.
    fn reviews(&mut self, a: &mut Acct) {
        let today = self.date_ago(0);
        let months =
            (today.year() - a.since.year()) * 12 + today.month() as i32 - a.since.month() as i32;
        if months < 1 || a.r.chance(10) {
            return;
        }
        let behind = if a.neglected.is_some() {
            a.r.range(2, 4)
        } else if a.r.chance(100) {
            1
        } else {
            0
        };
        let count = a.r.range(1, 4);
        let anchor = |n: i64| {
            u32::try_from(n)
                .ok()
                .and_then(|n| a.since.checked_add_months(chrono::Months::new(n)))
        };
        // The latest anchor on or before today.
        let mut last = i64::from(months);
        while last > 0 && anchor(last).is_none_or(|d| d > today) {
            last -= 1;
        }
        let newest = last - behind;
        let oldest = (newest - count + 1).max(1);
        for n in oldest..=newest {
            let Some(d) = anchor(n) else { continue };
            let early = a.r.range(0, 3);
            let on = d
                .checked_sub_days(chrono::Days::new(early as u64))
                .unwrap_or(d)
                .max(a.since);
            if on <= today
                && self
                    .book
                    .reviews
                    .last()
                    .is_none_or(|r| r.account != a.id || r.reviewed_on < on)
            {
                self.book.reviews.push(RecordReview::new(a.id.clone(), on));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_the_reference_vector() {
        // The reference implementation (Vigna's splitmix64.c), seeded with 0 and with
        // 1234567.
        let mut r = SplitMix64::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
        assert_eq!(r.next_u64(), 0x06C4_5D18_8009_454F);
        let mut r = SplitMix64::new(1_234_567);
        let got: Vec<u64> = (0..5).map(|_| r.next_u64()).collect();
        assert_eq!(
            got,
            [
                6_457_827_717_110_365_317,
                3_203_168_211_198_807_973,
                9_817_491_932_198_370_423,
                4_593_380_528_125_082_431,
                16_408_922_859_458_223_821,
            ]
        );
    }

    #[test]
    fn draws_stay_in_range() {
        let mut r = SplitMix64::new(9);
        for _ in 0..10_000 {
            let x = r.range(-3, 5);
            assert!((-3..=5).contains(&x));
            assert!(r.below(7) < 7);
            assert!(r.weighted(&[1, 0, 3]) != 1);
        }
        assert_eq!(r.below(0), 0);
        assert_eq!(r.range(4, 4), 4);
    }

    #[test]
    fn ids_are_zero_padded() {
        let mut s = String::new();
        push_num(&mut s, 42, 6);
        push_num(&mut s, 1234, 2);
        assert_eq!(s, "0000421234");
        assert_eq!(digits(0), 1);
        assert_eq!(digits(100_000), 6);
    }

    #[test]
    fn the_fixed_calendar_and_policy_are_valid() {
        let cal = calendar(Spec::DEFAULT_NOW);
        assert_eq!(cal.time_zone().name(), "America/Chicago");
        let spec = PolicySpec::from(order_policy());
        assert_eq!(spec.templates.len(), SERVICES.len());
        assert_eq!(Spec::DEFAULT_NOW.to_rfc3339(), "2026-11-24T15:00:00+00:00");
    }

    fn check(spec: &Spec) -> Book {
        let book = book(spec);
        if let Err(e) = book.validate() {
            panic!("seed {} size {}: {e:#?}", spec.seed, spec.accounts);
        }
        assert!(
            book.is_sorted(),
            "seed {} size {}",
            spec.seed,
            spec.accounts
        );
        assert_eq!(book.accounts.len(), spec.accounts);
        // The engines' own checks (promise events in order, pauses matched) pass too.
        if let Err(e) = book.agenda(spec.now) {
            panic!("seed {} size {}: {e:#?}", spec.seed, spec.accounts);
        }
        book
    }

    #[test]
    fn books_are_valid_and_sorted_for_any_seed_and_size() {
        for (seed, n) in [(0, 0), (1, 1), (2, 7), (3, 150), (4, 151), (99, 400)] {
            check(&Spec::new(seed, n));
        }
        check(&Spec::new(5, 300).with_checklists(true));
        // Another `now`: the spring DST change in Chicago, and a leap day.
        for now in ["2031-03-09T08:00:00Z", "2028-02-29T23:59:00Z"] {
            let now: DateTime<Utc> = now.parse().unwrap();
            check(&Spec::new(6, 200).at(now));
        }
    }

    #[test]
    fn the_same_spec_gives_the_same_book() {
        let spec = Spec::new(11, 120).with_checklists(true);
        let a = book(&spec).to_json();
        assert_eq!(a, book(&spec).to_json());
        assert_ne!(a, book(&Spec::new(12, 120).with_checklists(true)).to_json());
        // An account does not depend on the size of the book (but for its rep and the
        // width of its id).
        let small = book(&Spec::new(11, 10));
        let large = book(&Spec::new(11, 1_000));
        assert_eq!(small.accounts[3].name, large.accounts[3].name);
        assert_eq!(
            small.accounts[3].customer_since,
            large.accounts[3].customer_since
        );
    }

    #[test]
    fn a_book_round_trips_through_json() {
        let b = book(&Spec::new(21, 60));
        let json = b.to_json();
        let back = Book::from_json(&json).unwrap();
        assert_eq!(back.to_json(), json);
    }

    #[test]
    fn a_book_looks_like_a_business() {
        let spec = Spec::new(3, 1_000);
        let b = check(&spec);
        let c = b.counts();
        let per = |n: usize| n as f64 / c.accounts as f64;
        assert!((1.5..3.5).contains(&per(c.people)), "{c}");
        assert!((10.0..30.0).contains(&per(c.interactions)), "{c}");
        assert!((1.0..3.0).contains(&per(c.units)), "{c}");
        assert!((1.2..4.0).contains(&per(c.orders)), "{c}");
        assert!((0.3..2.0).contains(&per(c.promises)), "{c}");
        let stages = |s: Stage| b.orders.iter().filter(|o| o.stage() == s).count();
        assert!(
            stages(Stage::Closed) * 10 > c.orders * 7,
            "most orders are closed"
        );
        for s in [
            Stage::New,
            Stage::Scheduled,
            Stage::InProgress,
            Stage::OnHold,
            Stage::Completed,
            Stage::Cancelled,
        ] {
            assert!(stages(s) > 0, "some orders {s}");
        }
        assert!(b.surveys.iter().any(SurveyResponse::is_unhappy));
        assert!(b.surveys.iter().any(|s| !s.is_unhappy()));
        assert!(
            b.people
                .iter()
                .any(|p| !p.channels.do_not_contact.is_empty())
        );
        assert!(b.people.iter().any(|p| p.birthday.is_some()));
        let reps: std::collections::HashSet<_> =
            b.accounts.iter().filter_map(|a| a.owner.as_ref()).collect();
        assert_eq!(reps.len(), 7);
        assert!(b.accounts.iter().any(|a| a.owner.is_none()));
    }

    #[test]
    fn the_agenda_of_300_accounts_has_a_plausible_mix() {
        let spec = Spec::new(1, 300);
        let b = check(&spec);
        let agenda = b.agenda(spec.now).unwrap();
        let touches: usize = agenda.touches.iter().map(|t| t.items.len()).sum();
        assert!(touches >= 10, "touches {touches}");
        assert!(!agenda.orders.is_empty(), "orders");
        let p = &agenda.promises;
        assert!(
            !p.overdue.is_empty() || !p.broken.is_empty(),
            "some promises overdue or broken"
        );
        assert!(
            !p.due_soon.is_empty() || !p.overdue.is_empty(),
            "promises due"
        );
        assert!(!p.tag_chains.is_empty(), "phone tag");
        let risky = agenda.risk_bands.at_risk + agenda.risk_bands.critical;
        assert!(risky >= 10, "some at risk: {:?}", agenda.risk_bands);
        assert!(
            agenda.risk_bands.healthy > 100 && risky < 150,
            "not everyone at risk: {:?}",
            agenda.risk_bands
        );
        assert!(!agenda.opportunities.is_empty(), "opportunities");
    }
}
