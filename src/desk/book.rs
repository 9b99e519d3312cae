//! The book: everything one business knows, owned, in one value, and its JSON reader.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::fmt;

use chrono::Datelike;

use rustc_hash::FxBuildHasher;
use serde::{Deserialize, Serialize};

use crate::cadence::{CadencePolicy, RecordReview};
use crate::calendar::{BusinessCalendar, CalendarSpec};
use crate::error::{Error, ErrorKind, FieldPath, Problems};
use crate::model::{
    self, Account, Ids, InstalledUnit, Interaction, Person, PersonId, Seek, SurveyResponse,
};
use crate::orders::{OrderPolicy, PolicySpec, ServiceOrder};
use crate::promises::{Promise, PromiseEvent, PromisePolicy};
use crate::risk::RiskPolicy;

use super::policy::DeskPolicy;

/// The version of the JSON contract this crate reads and writes: a [`Book`]'s and an
/// [`Agenda`](super::Agenda)'s `schema_version`.
///
/// It changes only when a released shape changes in a way an older reader would
/// misread; adding an optional field does not change it.
///
/// Version 3 (this crate) states every length in a policy as a span and every duration
/// it writes as whole seconds in a `<name>_secs` field: the cadence intervals that
/// version 2 named by their unit (`"monthly_for_months": 6`) are spans
/// (`"monthly_for": {"months": 6}`), and so are the risk policy's overdue thresholds;
/// the mapping is in the [desk module's "Versions"](super#versions). Version 1 and 2
/// books still read: the old names read as the same spans. Their agenda is written as
/// version 3.
///
/// Version 2 added to the book the history horizon (`history_since`, on the book and on
/// each account), account segments with per-segment policy overlays
/// (`policies.segments`), referrals (`referred_by`), what was learned of the customer's
/// business (`discovery`), whether the first contact asked for the work
/// (`intake.asked_for_work`) and after-care waivers (`after_care_waived`); and to the
/// agenda the later days' touches (`later`). A version 1 book reads as it is: every new
/// field is optional. Read without a stated `history_since`, each account's history
/// starts at its earliest record, so a version 1 book whose accounts have no records
/// since long ago sees fewer overdue obligations than a version 1 reader did (see
/// [`history_start`](crate::model::history_start)).
pub const SCHEMA_VERSION: u32 = 3;

/// The oldest `schema_version` this crate still reads.
pub const OLDEST_SCHEMA_VERSION: u32 = 1;

/// Whether this crate reads a book of `version`.
fn reads_version(version: u64) -> bool {
    (u64::from(OLDEST_SCHEMA_VERSION)..=u64::from(SCHEMA_VERSION)).contains(&version)
}

/// Everything one business knows: its calendar, its policies and its records, owned.
///
/// A host fills one from its database (or reads one with [`Book::from_json`]) and asks
/// for the day's [`Agenda`](super::Agenda) with [`Book::agenda`]. Every list may be
/// absent from the JSON (empty), and their order is free: the agenda is the same,
/// byte for byte, whatever order the records come in.
///
/// ```json
/// {"schema_version": 3, "business": "Prairie Comfort Heating & Air", "history_since": "2024-01-01",
///  "calendar": {"time_zone": "America/Chicago", "weekly": {...}, "holidays": [...]},
///  "policies": {"orders": {...}, "promises": {...}, "cadence": {...}, "risk": {...}, "desk": {...}},
///  "accounts": [...], "people": [...], "interactions": [...], "surveys": [...],
///  "units": [...], "orders": [...], "promises": [...], "promise_events": [...],
///  "reviews": [...]}
/// ```
///
/// `policies` and each policy in it may be left out: the practice's defaults apply.
/// The records are those of the engines: [`model`] for accounts, people, interactions,
/// surveys and units, [`orders::ServiceOrder`](crate::orders::ServiceOrder),
/// [`promises::Promise`](crate::promises::Promise) and
/// [`PromiseEvent`](crate::promises::PromiseEvent),
/// [`cadence::RecordReview`](crate::cadence::RecordReview).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Book {
    /// The contract's version: [`SCHEMA_VERSION`].
    #[cfg_attr(feature = "schemars", schemars(extend("const" = SCHEMA_VERSION)))]
    pub schema_version: u32,
    /// The business's name, for people reading the agenda.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business: Option<String>,
    /// From when the book's records are complete (the history horizon): no obligation
    /// is counted overdue from before it. An account's own `history_since` wins; with
    /// neither, each account's history starts at its earliest record (an interaction,
    /// an order's first contact, a survey answer, a promise, a review), or today for an
    /// account with none. See [`history_start`](crate::model::history_start).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub history_since: Option<chrono::NaiveDate>,
    /// The business's calendar: its zone, hours and holidays.
    pub calendar: BusinessCalendar,
    /// The engines' policies; the practice's defaults where absent.
    #[serde(default)]
    pub policies: Policies,
    /// The customers.
    #[serde(default)]
    pub accounts: Vec<Account>,
    /// The people at them.
    #[serde(default)]
    pub people: Vec<Person>,
    /// Every call, email, visit and note with them.
    #[serde(default)]
    pub interactions: Vec<Interaction>,
    /// Survey responses.
    #[serde(default)]
    pub surveys: Vec<SurveyResponse>,
    /// Installed equipment.
    #[serde(default)]
    pub units: Vec<InstalledUnit>,
    /// Service orders, open and closed.
    #[serde(default)]
    pub orders: Vec<ServiceOrder>,
    /// Promises made to customers (callbacks are opened from interactions too).
    #[serde(default)]
    pub promises: Vec<Promise>,
    /// What happened to the promises: deliveries, renegotiations, pauses...
    #[serde(default)]
    pub promise_events: Vec<PromiseEvent>,
    /// Record reviews done (C5).
    #[serde(default)]
    pub reviews: Vec<RecordReview>,
}

/// The policies of the four engines and of the desk, each with the practice's defaults.
///
/// ```json
/// {"orders": {...}, "promises": {...}, "cadence": {...}, "risk": {...}, "desk": {...},
///  "segments": {"residential": {"cadence": {...}, "risk": {...}}}}
/// ```
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Policies {
    /// Order completeness (O1-O9). The desk checks the orders in the calendar's time
    /// zone (the business's), whatever the policy's `time_zone` says.
    pub orders: OrderPolicy,
    /// Promises (P1-P6).
    pub promises: PromisePolicy,
    /// Contact cadence (C1-C8, K1).
    pub cadence: CadencePolicy,
    /// At-risk scoring (K1-K6).
    pub risk: RiskPolicy,
    /// What the agenda lists.
    pub desk: DeskPolicy,
    /// Per-segment overlays of the cadence, risk and order policies, keyed by the
    /// segment an account names; see [`Segment`](super::Segment).
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub segments: super::Segments,
}

/// How many records of each list a book holds (or a reader read).
///
/// ```json
/// {"accounts": 40, "people": 97, "interactions": 612, "surveys": 21, "units": 48,
///  "orders": 55, "promises": 19, "promise_events": 16, "reviews": 31}
/// ```
#[non_exhaustive]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Counts {
    /// Accounts.
    pub accounts: usize,
    /// People.
    pub people: usize,
    /// Interactions.
    pub interactions: usize,
    /// Survey responses.
    pub surveys: usize,
    /// Installed units.
    pub units: usize,
    /// Service orders.
    pub orders: usize,
    /// Promises.
    pub promises: usize,
    /// Promise events.
    pub promise_events: usize,
    /// Record reviews.
    pub reviews: usize,
}

impl Counts {
    /// Every record, all lists together.
    pub fn total(&self) -> usize {
        self.accounts
            + self.people
            + self.interactions
            + self.surveys
            + self.units
            + self.orders
            + self.promises
            + self.promise_events
            + self.reviews
    }
}

impl fmt::Display for Counts {
    /// `612 records: 40 accounts, 97 people, 350 interactions, ...`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} records: {} accounts, {} people, {} interactions, {} surveys, {} units, \
             {} orders, {} promises, {} promise events, {} reviews",
            self.total(),
            self.accounts,
            self.people,
            self.interactions,
            self.surveys,
            self.units,
            self.orders,
            self.promises,
            self.promise_events,
            self.reviews
        )
    }
}

/// The first look at a book's JSON: only its version, every other field skipped.
#[derive(Deserialize)]
struct VersionProbe {
    schema_version: Option<serde_json::Value>,
}

impl Book {
    /// An empty book on this calendar, with the practice's default policies.
    pub fn new(calendar: BusinessCalendar) -> Book {
        Book {
            schema_version: SCHEMA_VERSION,
            business: None,
            history_since: None,
            calendar,
            policies: Policies::default(),
            accounts: Vec::new(),
            people: Vec::new(),
            interactions: Vec::new(),
            surveys: Vec::new(),
            units: Vec::new(),
            orders: Vec::new(),
            promises: Vec::new(),
            promise_events: Vec::new(),
            reviews: Vec::new(),
        }
    }

    /// Reads a book from its JSON, checks it whole ([`Book::validate`]) and puts it in
    /// canonical order ([`Book::sort`]).
    ///
    /// # Errors
    /// - `desk.malformed_json`: the text is not JSON, is cut short, or a field has the
    ///   wrong type or an unknown name. The problem's path is the field where reading
    ///   stopped (`interactions[1041].at`), and its sentence gives the line and column;
    ///   the lists before that path were read whole, and nothing after it.
    /// - `desk.unknown_schema_version`: `schema_version` is missing or is not one this
    ///   crate reads ([`OLDEST_SCHEMA_VERSION`] to [`SCHEMA_VERSION`]) (a text that does not parse is asked for its version first,
    ///   so a newer book gets this error rather than a confusing one about its fields).
    /// - Everything [`Book::validate`] reports, ending with `desk.book_rejected`, which
    ///   says how many records of each list were read.
    ///
    /// ```
    /// use retention::desk::Book;
    /// let err = Book::from_json(r#"{"schema_version": 1, "calendar": {"time_zone": "Europe/Paris",
    ///     "weekly": {"monday": [{"start": "09:00", "end": "17:00"}]}},
    ///     "accounts": [{"id": "a-1", "name": "Café Lumière", "customer_since": "2025-02-30"}]}"#)
    ///     .unwrap_err();
    /// assert_eq!(err.code(), "desk.malformed_json");
    /// assert_eq!(err.path().as_str(), "accounts[0].customer_since");
    /// ```
    pub fn from_json(json: &str) -> Result<Book, Error> {
        // The common case, a good book, is parsed once without tracking paths; a book
        // that does not parse is read again to say why and where.
        let mut book: Book = match serde_json::from_str(json) {
            Ok(book) => book,
            Err(first) => {
                // Its sentence may quote a huge value: let it go before reading again.
                drop(first);
                return Err(Book::diagnose(json));
            }
        };
        if !reads_version(u64::from(book.schema_version)) {
            return Err(unknown_version(&format!(
                "`schema_version` {}",
                book.schema_version
            )));
        }
        book.validate()?;
        book.sort();
        Ok(book)
    }

    /// Reads a book as [`Book::from_json`] does, and keeps the proof that it was checked:
    /// [`CheckedBook::agenda`] then skips the whole-book check that [`Book::agenda`] runs
    /// first (a host that reads a book and asks for its agenda pays for one check, not
    /// two).
    ///
    /// # Errors
    /// Everything [`Book::from_json`] reports.
    ///
    /// ```
    /// use retention::desk::Book;
    /// let book = Book::from_json_checked(r#"{"schema_version": 3,
    ///     "calendar": {"time_zone": "UTC", "weekly": {"monday": [{"start": "09:00", "end": "17:00"}]}},
    ///     "accounts": [{"id": "a-1", "name": "Oak Ridge", "customer_since": "2024-03-01"}]}"#)?;
    /// assert_eq!(book.accounts.len(), 1);
    /// let plain: Book = book.into_book(); // to change it (then `Book::agenda` checks again)
    /// assert!(plain.is_sorted());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_json_checked(json: &str) -> Result<CheckedBook, Error> {
        Book::from_json(json).map(CheckedBook)
    }

    /// This book checked whole and put in canonical order, kept with the proof of its
    /// check (as [`Book::from_json_checked`] gives it): for a book built in code, such as
    /// [`synthetic::book`](crate::synthetic::book)'s.
    ///
    /// # Errors
    /// Everything [`Book::validate`] reports, at the positions of the lists as given.
    ///
    /// ```
    /// use retention::synthetic::{Spec, book};
    /// let checked = book(&Spec::new(3, 20)).into_checked()?;
    /// assert!(checked.is_sorted());
    /// let agenda = checked.agenda(Spec::DEFAULT_NOW)?;
    /// assert_eq!(agenda.read.accounts, 20);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_checked(mut self) -> Result<CheckedBook, Error> {
        self.validate()?;
        if !self.is_sorted() {
            self.sort();
        }
        Ok(CheckedBook(self))
    }

    /// Why a text is not a book: an unknown version first (a newer book's other fields
    /// would only confuse), then the field where reading stopped.
    fn diagnose(json: &str) -> Error {
        if let Ok(probe) = serde_json::from_str::<VersionProbe>(json) {
            match probe.schema_version {
                Some(serde_json::Value::Number(n)) if n.as_u64().is_some_and(reads_version) => {}
                None => return unknown_version("no `schema_version`"),
                Some(v) => return unknown_version(&format!("`schema_version` {v}")),
            }
        }
        match Book::read(json) {
            Err(e) => e,
            // Unreachable in practice (the plain parse failed); say so plainly.
            Ok(_) => Error::new(
                ErrorKind::DeskMalformedJson,
                FieldPath::root(),
                "the JSON could not be read as a book",
            ),
        }
    }

    /// Parses a book, with the path of the field where parsing stopped.
    fn read(json: &str) -> Result<Book, Error> {
        let mut de = serde_json::Deserializer::from_str(json);
        let book: Book = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = json_path(e.path());
            built_part(json, &path).unwrap_or_else(|| malformed(e.inner(), Some(path)))
        })?;
        de.end().map_err(|e| malformed(&e, None))?;
        Ok(book)
    }

    /// The book as JSON, in the shape [`Book::from_json`] reads.
    pub fn to_json(&self) -> String {
        // Serializing plain data to a string cannot fail: no map has non-string keys.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// How many records of each list the book holds.
    pub fn counts(&self) -> Counts {
        Counts {
            accounts: self.accounts.len(),
            people: self.people.len(),
            interactions: self.interactions.len(),
            surveys: self.surveys.len(),
            units: self.units.len(),
            orders: self.orders.len(),
            promises: self.promises.len(),
            promise_events: self.promise_events.len(),
            reviews: self.reviews.len(),
        }
    }

    /// Checks the whole book and reports every problem at once, each with its path
    /// (`interactions[12].person`), in list order.
    ///
    /// # Errors
    /// - `desk.unknown_schema_version` for a version this crate does not read (before
    ///   [`OLDEST_SCHEMA_VERSION`] or after [`SCHEMA_VERSION`]);
    /// - each record's own checks (`model.*`, `orders.*`, `promises.*` codes), and
    ///   `model.duplicate_id` for an id used twice in a list;
    /// - `model.currency_mismatch` for accounts whose annual values are in different
    ///   currencies (customers at risk are ranked by value), `risk.invalid_spend` for a
    ///   negative annual value and `model.amount_overflow` for one too large to rank;
    /// - `desk.unknown_reference` for an account, person or promise the book does not
    ///   hold, and `desk.wrong_account` for a person of another account;
    /// - the policies' own checks, under `policies.<engine>`;
    /// - and, after them all, one `desk.book_rejected` at the root whose sentence says
    ///   how many records of each list were read: a rejected book is rejected whole,
    ///   and no valid record is dropped silently.
    ///
    /// ```
    /// use retention::desk::Book;
    /// let mut book: Book = serde_json::from_str(r#"{"schema_version": 1,
    ///     "calendar": {"time_zone": "UTC", "weekly": {"monday": [{"start": "09:00", "end": "17:00"}]}},
    ///     "accounts": [{"id": "a-1", "name": "Oak Ridge", "customer_since": "2024-03-01"}],
    ///     "people": [{"id": "p-1", "account": "a-9", "name": "Lena Ortiz", "role": "owner"}]}"#)?;
    /// let err = book.validate().unwrap_err();
    /// assert_eq!(err.code(), "desk.unknown_reference");
    /// assert_eq!(err.path().as_str(), "people[0].account");
    /// assert_eq!(err.problems().last().unwrap().code(), "desk.book_rejected");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn validate(&self) -> Result<(), Error> {
        let mut problems = Problems::new();
        if !reads_version(u64::from(self.schema_version)) {
            let seen = format!("`schema_version` {}", self.schema_version);
            problems.absorb(Err(unknown_version(&seen)));
        }
        if let Some(name) = &self.business {
            model::check_name(name, "business", &mut problems);
        }
        // The tables of ids the list checks build are the ones the references are
        // resolved against: each id is hashed once.
        let (checked, accounts) = model::check_listed(&self.accounts, "accounts", Account::check);
        problems.absorb(checked);
        let (checked, people) = model::check_listed(&self.people, "people", Person::check);
        problems.absorb(checked);
        // The interactions (the longest list by far) and the rest are checked apart and
        // their problems put together in the same order either way; with the `rayon`
        // feature a large book's two halves are checked at once.
        let interactions = || model::validate_interactions(&self.interactions);
        let rest = || {
            let mut problems = Problems::new();
            problems.absorb(model::validate_surveys(&self.surveys));
            problems.absorb(model::validate_units(&self.units));
            let (orders, promises) = self.check_records(&mut problems);
            self.check_values(&mut problems);
            self.check_references(&mut problems, &accounts, &people, &orders, &promises);
            self.check_policies(&mut problems);
            problems
        };
        #[cfg(feature = "rayon")]
        let (checked, others) = if self.interactions.len() >= PARALLEL_CHECK_FROM {
            rayon::join(interactions, rest)
        } else {
            (interactions(), rest())
        };
        #[cfg(not(feature = "rayon"))]
        let (checked, others) = (interactions(), rest());
        problems.absorb(checked);
        problems.append(others);
        if problems.is_empty() {
            return Ok(());
        }
        let n = problems.len();
        problems.push(
            ErrorKind::DeskBookRejected,
            FieldPath::root(),
            format!(
                "read {}; the book was rejected whole for the {n} problem{} above, and no record was dropped",
                self.counts(),
                if n == 1 { "" } else { "s" }
            ),
        );
        problems.finish()
    }

    /// Orders and promises: each record's own checks and unique ids, and the tables of
    /// their ids.
    fn check_records(&self, problems: &mut Problems) -> (Ids<'_, ServiceOrder>, Ids<'_, Promise>) {
        let policy = &self.policies.orders;
        let (checked, orders) =
            model::check_listed(&self.orders, "orders", |o, p| p.absorb(o.validate(policy)));
        problems.absorb(checked);
        let (checked, promises) = model::check_listed(&self.promises, "promises", |p, problems| {
            crate::promises::check_promise(p, problems);
        });
        problems.absorb(checked);
        (orders, promises)
    }

    /// The accounts' annual values are amounts a ranking can use (not negative, not near
    /// the decimal type's limit) and share one currency: customers at risk are ranked by
    /// value, and values in two currencies cannot be ranked.
    fn check_values(&self, problems: &mut Problems) {
        // Value at risk is the annual value times the score (at most 100) over 100.
        let most = rust_decimal::Decimal::MAX / rust_decimal::Decimal::ONE_HUNDRED;
        let mut first: Option<(crate::model::Currency, usize)> = None;
        for (i, a) in self.accounts.iter().enumerate() {
            let Some(v) = a.annual_value else { continue };
            let path = || {
                FieldPath::root()
                    .field("accounts")
                    .index(i)
                    .field("annual_value")
            };
            if v.amount.is_sign_negative() && !v.amount.is_zero() {
                problems.push(
                    ErrorKind::RiskInvalidSpend,
                    path(),
                    format!("the annual value {} {} is negative", v.amount, v.currency),
                );
            } else if v.amount > most {
                problems.push(
                    ErrorKind::AmountOverflow,
                    path(),
                    format!(
                        "the annual value {} {} is too large to rank",
                        v.amount, v.currency
                    ),
                );
            }
            match first {
                None => first = Some((v.currency, i)),
                Some((c, j)) if c != v.currency => problems.push(
                    ErrorKind::CurrencyMismatch,
                    FieldPath::root()
                        .field("accounts")
                        .index(i)
                        .field("annual_value"),
                    format!(
                        "the annual value is in {}, but accounts[{j}]'s is in {c}: a book's \
                         customers are ranked by value in one currency",
                        v.currency
                    ),
                ),
                Some(_) => {}
            }
        }
    }

    /// Each account's run of people, when the people come grouped by account (the
    /// canonical order) and every person's account is known; `None` otherwise.
    fn people_by_account(&self, accounts: &Ids<'_, Account>) -> Option<Vec<(u32, u32)>> {
        let mut runs = vec![(0u32, 0u32); self.accounts.len()];
        let mut start = 0usize;
        while let Some(head) = self.people.get(start) {
            let len = self
                .people
                .get(start..)?
                .iter()
                .take_while(|p| p.account == head.account)
                .count();
            let a = accounts.position(head.account.as_str())?;
            let slot = runs.get_mut(a as usize)?;
            if *slot != (0, 0) {
                // The account's people are not in one run: not grouped.
                return None;
            }
            let lo = u32::try_from(start).ok()?;
            let hi = u32::try_from(start + len).ok()?;
            *slot = (lo, hi);
            start += len.max(1);
        }
        Some(runs)
    }

    /// Every reference between lists resolves, and a person belongs to the account of the
    /// record that names them.
    fn check_references<'a>(
        &'a self,
        problems: &mut Problems,
        accounts: &Ids<'a, Account>,
        people: &Ids<'a, Person>,
        orders: &Ids<'a, ServiceOrder>,
        promises: &Ids<'a, Promise>,
    ) {
        let mut refs = Refs {
            accounts,
            people,
            people_of: self.people_by_account(accounts),
            all_people: &self.people,
            seek: Seek::new(&self.accounts),
        };
        for (i, a) in self.accounts.iter().enumerate() {
            if let Some(r) = &a.referred_by {
                if accounts.position(r.as_str()).is_none() {
                    problems.push(
                        ErrorKind::DeskUnknownReference,
                        FieldPath::root()
                            .field("accounts")
                            .index(i)
                            .field("referred_by"),
                        format!("the account was referred by `{r}`, which the book does not hold"),
                    );
                }
            }
        }
        for (i, p) in self.people.iter().enumerate() {
            refs.account(problems, "people", i, p.account.as_str());
        }
        for (i, x) in self.interactions.iter().enumerate() {
            refs.account_and_person(
                problems,
                "interactions",
                "person",
                i,
                &x.account,
                x.person.as_ref(),
            );
        }
        for (i, s) in self.surveys.iter().enumerate() {
            refs.account_and_person(
                problems,
                "surveys",
                "person",
                i,
                &s.account,
                s.person.as_ref(),
            );
        }
        for (i, u) in self.units.iter().enumerate() {
            refs.account(problems, "units", i, u.account.as_str());
        }
        for (i, survey) in self.surveys.iter().enumerate() {
            if let Some(order) = survey
                .order
                .as_ref()
                .filter(|o| orders.position(o.as_str()).is_none())
            {
                problems.push(
                    ErrorKind::DeskUnknownReference,
                    FieldPath::root().field("surveys").index(i).field("order"),
                    format!(
                        "the survey is about the order `{order}`, which the book does not hold"
                    ),
                );
            }
        }
        for (i, o) in self.orders.iter().enumerate() {
            refs.account_and_person(
                problems,
                "orders",
                "contact",
                i,
                &o.account,
                o.contact.as_ref(),
            );
        }
        for (i, p) in self.promises.iter().enumerate() {
            refs.account_and_person(
                problems,
                "promises",
                "person",
                i,
                &p.account,
                p.person.as_ref(),
            );
        }
        for (i, e) in self.promise_events.iter().enumerate() {
            if promises.position(e.promise.as_str()).is_none() {
                problems.push(
                    ErrorKind::DeskUnknownReference,
                    FieldPath::root()
                        .field("promise_events")
                        .index(i)
                        .field("promise"),
                    format!(
                        "the event is for the promise `{}`, which the book does not hold",
                        e.promise
                    ),
                );
            }
        }
        for (i, r) in self.reviews.iter().enumerate() {
            refs.account(problems, "reviews", i, r.account.as_str());
        }
    }

    /// The policies' own checks, under `policies.<engine>`. The order policy is checked
    /// when it is read or built.
    fn check_policies(&self, problems: &mut Problems) {
        let under = |name: &str| FieldPath::root().field("policies").field(name);
        if let Err(e) = self.policies.promises.validate() {
            problems.absorb(Err(e.under(&under("promises"))));
        }
        if let Err(e) = self.policies.cadence.validate() {
            problems.absorb(Err(e.under(&under("cadence"))));
        }
        if let Err(e) = self.policies.risk.validate() {
            problems.absorb(Err(e.under(&under("risk"))));
        }
        if let Err(e) = self.policies.desk.validate() {
            problems.absorb(Err(e.under(&under("desk"))));
        }
        if let Err(e) = super::segments::resolve(
            &self.policies.segments,
            &self.policies.cadence,
            &self.policies.risk,
            &self.policies.orders,
            &self.policies.promises,
        ) {
            problems.absorb(Err(e));
        }
    }

    /// Puts every list in the book's canonical order, the order the agenda's positions
    /// (`interactions[5]`, a verdict's `source.index`) refer to:
    ///
    /// | list | order |
    /// | --- | --- |
    /// | accounts | id |
    /// | people, units, orders, promises | account, then id |
    /// | interactions | account, then time, then id |
    /// | surveys | account, then time answered, then id |
    /// | promise_events | promise, then time, then the event itself |
    /// | reviews | account, then date |
    ///
    /// Grouping by account is also the order the engines read fastest. Sorting a book
    /// already in this order costs one pass; [`Book::from_json`] sorts what it reads.
    pub fn sort(&mut self) {
        if self.is_sorted() {
            return;
        }
        if !self.accounts.is_sorted_by(|a, b| a.id <= b.id) {
            self.accounts.sort_by(|a, b| a.id.cmp(&b.id));
        }
        let ranks = AccountRanks::of(&self.accounts);
        let keys = Keys::new(&ranks);
        let order = keys.people(&self.people);
        permute(&mut self.people, order);
        let order = keys.interactions(&self.interactions);
        permute(&mut self.interactions, order);
        let order = keys.surveys(&self.surveys);
        permute(&mut self.surveys, order);
        let order = keys.units(&self.units);
        permute(&mut self.units, order);
        let order = keys.orders(&self.orders);
        permute(&mut self.orders, order);
        let order = keys.promises(&self.promises);
        permute(&mut self.promises, order);
        let promise_ranks = Ranks::of_promises(&self.promises);
        let order = Keys::events(&promise_ranks, &self.promise_events);
        permute(&mut self.promise_events, order);
        let order = keys.reviews(&self.reviews);
        permute(&mut self.reviews, order);
    }

    /// A copy of the book in canonical order ([`Book::sort`]), each record copied once,
    /// straight to its place: what the agenda reads when a host's lists come in another
    /// order. The interactions are copied without their summaries, which no engine
    /// reads ([`Interaction::engine_copy`]).
    pub(crate) fn sorted_copy(&self) -> Book {
        let mut accounts = self.accounts.clone();
        if !accounts.is_sorted_by(|a, b| a.id <= b.id) {
            accounts.sort_by(|a, b| a.id.cmp(&b.id));
        }
        let ranks = AccountRanks::of(&accounts);
        let keys = Keys::new(&ranks);
        let promises = ordered(&self.promises, keys.promises(&self.promises));
        let promise_ranks = Ranks::of_promises(&promises);
        Book {
            schema_version: self.schema_version,
            business: self.business.clone(),
            history_since: self.history_since,
            calendar: self.calendar.clone(),
            policies: self.policies.clone(),
            people: ordered(&self.people, keys.people(&self.people)),
            interactions: ordered_with(
                &self.interactions,
                keys.interactions(&self.interactions),
                Interaction::engine_copy,
            ),
            surveys: ordered(&self.surveys, keys.surveys(&self.surveys)),
            units: ordered(&self.units, keys.units(&self.units)),
            orders: ordered(&self.orders, keys.orders(&self.orders)),
            promise_events: ordered(
                &self.promise_events,
                Keys::events(&promise_ranks, &self.promise_events),
            ),
            reviews: ordered(&self.reviews, keys.reviews(&self.reviews)),
            promises,
            accounts,
        }
    }

    /// Whether every list is in canonical order ([`Book::sort`]): one pass.
    pub fn is_sorted(&self) -> bool {
        fn sorted<T>(list: &[T], cmp: impl Fn(&T, &T) -> Ordering) -> bool {
            list.is_sorted_by(|a, b| cmp(a, b).is_le())
        }
        self.accounts.is_sorted_by(|a, b| a.id <= b.id)
            && sorted(&self.people, cmp_people)
            && sorted(&self.interactions, cmp_interactions)
            && sorted(&self.surveys, cmp_surveys)
            && sorted(&self.units, cmp_units)
            && sorted(&self.orders, cmp_orders)
            && sorted(&self.promises, cmp_promises)
            && sorted(&self.promise_events, cmp_events)
            && sorted(&self.reviews, cmp_reviews)
    }
}

/// With the `rayon` feature, books with this many interactions are checked in two halves
/// at once.
#[cfg(feature = "rayon")]
const PARALLEL_CHECK_FROM: usize = 100_000;

/// Each account's position in the accounts sorted by id (the first, for an id held
/// twice): a small key that orders records like their account's id does, so a long
/// list is counted out by rank ([`order_by`]) instead of moving whole records or
/// comparing strings far apart in memory. The table is the one the book's check uses
/// ([`Ids`]): 4 bytes an account, ids compared without a call to `memcmp`.
struct AccountRanks<'a>(Ids<'a, Account>);

impl<'a> AccountRanks<'a> {
    /// Positions of accounts already sorted by id.
    fn of(accounts: &'a [Account]) -> AccountRanks<'a> {
        AccountRanks(Ids::of(accounts))
    }

    fn get(&self, id: &impl AsRef<str>) -> Option<u32> {
        self.0.position(id.as_ref())
    }

    /// How many ranks there are: every rank is below it.
    fn len(&self) -> usize {
        self.0.len()
    }
}

/// Each promise's position in the sorted order of the promises' distinct ids, the key
/// that sorts their events.
struct Ranks<'a>(HashMap<&'a str, u32, FxBuildHasher>);

impl<'a> Ranks<'a> {
    /// Positions of the promises' distinct ids, sorted.
    fn of_promises(promises: &'a [Promise]) -> Ranks<'a> {
        let mut ids: Vec<&str> = promises.iter().map(|p| p.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut map = HashMap::with_capacity_and_hasher(ids.len(), FxBuildHasher);
        for (i, id) in ids.into_iter().enumerate() {
            map.insert(id, i as u32);
        }
        Ranks(map)
    }

    fn get(&self, id: &impl AsRef<str>) -> Option<u32> {
        self.0.get(id.as_ref()).copied()
    }

    /// How many ranks there are: every rank is below it.
    fn len(&self) -> usize {
        self.0.len()
    }
}

/// The canonical order of each list, as positions ([`order_by`]).
struct Keys<'r, 'a> {
    accounts: &'r AccountRanks<'a>,
}

impl<'r, 'a> Keys<'r, 'a> {
    fn new(accounts: &'r AccountRanks<'a>) -> Keys<'r, 'a> {
        Keys { accounts }
    }

    fn people(&self, list: &[Person]) -> Option<Vec<u32>> {
        order_by(
            list,
            self.accounts.len(),
            |p| Some((self.accounts.get(&p.account)?, 0)),
            cmp_people,
        )
    }

    fn interactions(&self, list: &[Interaction]) -> Option<Vec<u32>> {
        order_by(
            list,
            self.accounts.len(),
            |x| Some((self.accounts.get(&x.account)?, x.at.timestamp())),
            cmp_interactions,
        )
    }

    fn surveys(&self, list: &[SurveyResponse]) -> Option<Vec<u32>> {
        order_by(
            list,
            self.accounts.len(),
            |s| Some((self.accounts.get(&s.account)?, s.answered_at.timestamp())),
            cmp_surveys,
        )
    }

    fn units(&self, list: &[InstalledUnit]) -> Option<Vec<u32>> {
        order_by(
            list,
            self.accounts.len(),
            |u| Some((self.accounts.get(&u.account)?, 0)),
            cmp_units,
        )
    }

    fn orders(&self, list: &[ServiceOrder]) -> Option<Vec<u32>> {
        order_by(
            list,
            self.accounts.len(),
            |o| Some((self.accounts.get(&o.account)?, 0)),
            cmp_orders,
        )
    }

    fn promises(&self, list: &[Promise]) -> Option<Vec<u32>> {
        order_by(
            list,
            self.accounts.len(),
            |p| Some((self.accounts.get(&p.account)?, 0)),
            cmp_promises,
        )
    }

    fn reviews(&self, list: &[RecordReview]) -> Option<Vec<u32>> {
        order_by(
            list,
            self.accounts.len(),
            |r| {
                let day = i64::from(r.reviewed_on.num_days_from_ce());
                Some((self.accounts.get(&r.account)?, day))
            },
            cmp_reviews,
        )
    }

    fn events(promises: &Ranks<'_>, list: &[PromiseEvent]) -> Option<Vec<u32>> {
        order_by(
            list,
            promises.len(),
            |e| Some((promises.get(&e.promise)?, e.at.timestamp())),
            cmp_events,
        )
    }
}

/// The positions of `list` in the order of `cmp` (ties in list order), or `None` when
/// the list is in that order already (one pass). `key` gives each record a small key,
/// a rank below `ranks` and a time, that orders like `cmp` wherever two keys differ;
/// records with equal keys are settled by `cmp`. When some record has no key (it names
/// an account the book does not hold: only an unchecked book), the records themselves
/// are compared.
///
/// The records are counted out by rank (a counting sort: two passes, no comparison),
/// and only each rank's own records (one account's) are then sorted by time: linear in
/// the list, plus a sort of each account's records.
fn order_by<T>(
    list: &[T],
    ranks: usize,
    key: impl Fn(&T) -> Option<(u32, i64)>,
    cmp: impl Fn(&T, &T) -> Ordering,
) -> Option<Vec<u32>> {
    if list.is_sorted_by(|a, b| cmp(a, b).is_le()) {
        return None;
    }
    let at = |i: u32| list.get(i as usize);
    let settle = |x: u32, y: u32| match (at(x), at(y)) {
        (Some(a), Some(b)) => cmp(a, b),
        _ => Ordering::Equal,
    };
    // Each rank's first slot, counted from the keys.
    let mut keys: Vec<(u32, i64)> = Vec::with_capacity(list.len());
    let mut starts = vec![0u32; ranks + 1];
    let all_keyed = list.iter().all(|r| match key(r) {
        Some((k, t)) => match starts.get_mut(k as usize + 1) {
            Some(count) => {
                *count += 1;
                keys.push((k, t));
                true
            }
            None => false,
        },
        None => false,
    });
    if !all_keyed {
        let mut order: Vec<u32> = (0..list.len() as u32).collect();
        order.sort_by(|&x, &y| settle(x, y));
        return Some(order);
    }
    for k in 1..starts.len() {
        starts[k] += starts[k - 1];
    }
    // Records laid out by rank, in list order within a rank, with their times.
    let mut next = starts.clone();
    let mut slots = vec![(0i64, 0u32); list.len()];
    for (i, &(k, t)) in keys.iter().enumerate() {
        if let Some(n) = next.get_mut(k as usize) {
            if let Some(slot) = slots.get_mut(*n as usize) {
                *slot = (t, i as u32);
            }
            *n += 1;
        }
    }
    drop(keys);
    for run in starts.windows(2) {
        if let Some(run) = slots.get_mut(run[0] as usize..run[1] as usize) {
            if run.len() > 1 {
                run.sort_unstable_by(|x, y| {
                    x.0.cmp(&y.0)
                        .then_with(|| settle(x.1, y.1))
                        .then(x.1.cmp(&y.1))
                });
            }
        }
    }
    Some(slots.into_iter().map(|(_, i)| i).collect())
}

/// Puts `list` in `order` (position k gets the record at `order[k]`), moving each
/// record at most once along its cycle.
fn permute<T>(list: &mut [T], order: Option<Vec<u32>>) {
    let Some(mut order) = order else {
        return;
    };
    for start in 0..order.len() {
        let mut k = start;
        while let Some(&src) = order.get(k) {
            let src = src as usize;
            if src == start || src == k {
                break;
            }
            list.swap(k, src);
            if let Some(slot) = order.get_mut(k) {
                *slot = k as u32;
            }
            k = src;
        }
        if let Some(slot) = order.get_mut(k) {
            *slot = k as u32;
        }
    }
}

/// A copy of `list` in `order` (or as it is when `order` is `None`).
fn ordered<T: Clone>(list: &[T], order: Option<Vec<u32>>) -> Vec<T> {
    ordered_with(list, order, T::clone)
}

/// A copy of `list` in `order`, each record copied by `copy`.
fn ordered_with<T>(list: &[T], order: Option<Vec<u32>>, copy: impl Fn(&T) -> T) -> Vec<T> {
    let Some(order) = order else {
        return list.iter().map(copy).collect();
    };
    // At its full length at once: a filtered iterator does not tell `collect` its length.
    let mut out = Vec::with_capacity(order.len());
    out.extend(order.iter().filter_map(|&i| list.get(i as usize)).map(copy));
    out
}

fn cmp_people(a: &Person, b: &Person) -> Ordering {
    (&a.account, &a.id).cmp(&(&b.account, &b.id))
}

fn cmp_interactions(a: &Interaction, b: &Interaction) -> Ordering {
    (&a.account, a.at, &a.id).cmp(&(&b.account, b.at, &b.id))
}

fn cmp_surveys(a: &SurveyResponse, b: &SurveyResponse) -> Ordering {
    (&a.account, a.answered_at, &a.id).cmp(&(&b.account, b.answered_at, &b.id))
}

fn cmp_units(a: &InstalledUnit, b: &InstalledUnit) -> Ordering {
    (&a.account, &a.id).cmp(&(&b.account, &b.id))
}

fn cmp_orders(a: &ServiceOrder, b: &ServiceOrder) -> Ordering {
    (&a.account, &a.id).cmp(&(&b.account, &b.id))
}

fn cmp_promises(a: &Promise, b: &Promise) -> Ordering {
    (&a.account, &a.id).cmp(&(&b.account, &b.id))
}

fn cmp_reviews(a: &RecordReview, b: &RecordReview) -> Ordering {
    (&a.account, a.reviewed_on).cmp(&(&b.account, b.reviewed_on))
}

/// Events of one promise at one instant are ordered by their JSON, so two books that
/// list the same events in different orders sort the same. Only such ties pay for it.
fn cmp_events(a: &PromiseEvent, b: &PromiseEvent) -> Ordering {
    (&a.promise, a.at).cmp(&(&b.promise, b.at)).then_with(|| {
        let ja = serde_json::to_string(&a.event).unwrap_or_default();
        let jb = serde_json::to_string(&b.event).unwrap_or_default();
        ja.cmp(&jb)
    })
}

/// The id look-ups of [`Book::check_references`].
///
/// Most books come grouped by account (the canonical order), so a record's account is
/// looked for first as the previous record's, then among the next few accounts
/// ([`Seek`]), before its id is hashed; and when the people are grouped by account too,
/// a record's person is looked for among its account's few people first.
struct Refs<'r, 'a> {
    accounts: &'r Ids<'a, Account>,
    people: &'r Ids<'a, Person>,
    /// Per account, its run of `all_people`, when the people come grouped by account.
    people_of: Option<Vec<(u32, u32)>>,
    all_people: &'a [Person],
    /// The accounts looked up, ahead of the last one found first.
    seek: Seek<'a>,
}

impl<'a> Refs<'_, 'a> {
    /// The account's position, or a problem.
    fn account(
        &mut self,
        problems: &mut Problems,
        list: &str,
        i: usize,
        account: &'a str,
    ) -> Option<u32> {
        let accounts = self.accounts;
        let found = self.seek.find(account, |id| accounts.position(id));
        if found.is_none() {
            problems.push(
                ErrorKind::DeskUnknownReference,
                FieldPath::root().field(list).index(i).field("account"),
                format!("the record is for the account `{account}`, which the book does not hold"),
            );
        }
        found
    }

    fn account_and_person(
        &mut self,
        problems: &mut Problems,
        list: &str,
        field: &str,
        i: usize,
        account: &'a model::AccountId,
        person: Option<&PersonId>,
    ) {
        let known = self.account(problems, list, i, account.as_str());
        let Some(person) = person else { return };
        // Among the account's own people first: the usual case, found in a short run.
        if let (Some(a), Some(runs)) = (known, &self.people_of) {
            let (lo, hi) = runs.get(a as usize).copied().unwrap_or((0, 0));
            let run = self
                .all_people
                .get(lo as usize..hi as usize)
                .unwrap_or_default();
            if run.iter().any(|p| p.id.as_str() == person.as_str()) {
                return;
            }
        }
        match self.people.get(person.as_str()).map(|p| p.account.as_str()) {
            None => problems.push(
                ErrorKind::DeskUnknownReference,
                FieldPath::root().field(list).index(i).field(field),
                format!("the record names the person `{person}`, whom the book does not hold"),
            ),
            // A dangling account is one problem, not a second one about its person.
            Some(owner) if known.is_some() && owner != account.as_str() => problems.push(
                ErrorKind::DeskWrongAccount,
                FieldPath::root().field(list).index(i).field(field),
                format!(
                    "the record is for the account `{account}` but names `{person}`, a person of `{owner}`"
                ),
            ),
            Some(_) => {}
        }
    }
}

/// `desk.unknown_schema_version`, for a book that has `seen`.
fn unknown_version(seen: &str) -> Error {
    Error::new(
        ErrorKind::DeskUnknownSchemaVersion,
        FieldPath::root().field("schema_version"),
        format!(
            "the book has {seen}; this version of the crate reads {OLDEST_SCHEMA_VERSION} to {SCHEMA_VERSION}"
        ),
    )
}

/// A serde path (`interactions[3].at`) as a [`FieldPath`].
fn json_path(path: &serde_path_to_error::Path) -> FieldPath {
    use serde_path_to_error::Segment;
    let mut out = FieldPath::root();
    for seg in path.iter() {
        out = match seg {
            Segment::Seq { index } => out.index(*index),
            Segment::Map { key } => out.field(key),
            Segment::Enum { variant } => out.field(variant),
            Segment::Unknown => out,
        };
    }
    out
}

/// The engine's own problems when reading stopped at a part that is built as it is
/// read (the calendar, the order policy) and whose plain data reads: the calendar's
/// `calendar.unknown_time_zone` at `calendar.time_zone`, not a `desk.malformed_json`
/// whose sentence names the code. `None` for any other failure.
fn built_part(json: &str, path: &FieldPath) -> Option<Error> {
    let calendar = FieldPath::root().field("calendar");
    let orders = FieldPath::root().field("policies").field("orders");
    // Only the part itself is read again: the probe skips everything else without
    // building it and borrows the part's raw text (a refused book is not read whole
    // into memory a second time).
    let probe: PartsProbe<'_> = serde_json::from_str(json).ok()?;
    if *path == calendar {
        let spec: CalendarSpec = serde_json::from_str(probe.calendar?.get()).ok()?;
        BusinessCalendar::new(spec)
            .err()
            .map(|e| e.under(&calendar))
    } else if *path == orders {
        let part = probe.policies?.orders?;
        let spec: PolicySpec = serde_json::from_str(part.get()).ok()?;
        OrderPolicy::new(spec).err().map(|e| e.under(&orders))
    } else {
        None
    }
}

/// The parts of a book that are built as they are read, as raw text; every other field
/// is skipped.
#[derive(Deserialize)]
struct PartsProbe<'a> {
    #[serde(borrow, default)]
    calendar: Option<&'a serde_json::value::RawValue>,
    #[serde(borrow, default)]
    policies: Option<PoliciesProbe<'a>>,
}

/// The policies' part of [`PartsProbe`].
#[derive(Deserialize)]
struct PoliciesProbe<'a> {
    #[serde(borrow, default)]
    orders: Option<&'a serde_json::value::RawValue>,
}

/// `desk.malformed_json` for a parse error, at `path` when known.
fn malformed(e: &serde_json::Error, path: Option<FieldPath>) -> Error {
    let what = match e.classify() {
        serde_json::error::Category::Eof => "the JSON ends too soon (truncated?)",
        serde_json::error::Category::Syntax => "the text is not valid JSON",
        serde_json::error::Category::Data => "a field does not fit the book's shape",
        serde_json::error::Category::Io => "the JSON could not be read",
    };
    let path = path.unwrap_or_default();
    let place = if path.is_root() {
        String::new()
    } else {
        format!("; the lists before `{path}` were read whole, nothing after it")
    };
    Error::new(
        ErrorKind::DeskMalformedJson,
        path,
        format!("{what}: {e}{place}"),
    )
}

/// A book that was checked whole ([`Book::validate`]) and put in canonical order
/// ([`Book::sort`]) when it was read, by [`Book::from_json_checked`].
///
/// It reads as a [`Book`] (it dereferences to one) but cannot be changed: the only way to
/// a `&mut Book` is [`CheckedBook::into_book`], which gives the proof up. That is what
/// lets [`CheckedBook::agenda`] skip the check [`Book::agenda`] runs first, soundly: the
/// book's fields are public, so a plain `Book` may have changed since it was checked,
/// and `Book::agenda` always checks it again.
///
/// ```
/// use retention::desk::Book;
/// let book = Book::from_json_checked(r#"{"schema_version": 3,
///     "calendar": {"time_zone": "UTC", "weekly": {"monday": [{"start": "09:00", "end": "17:00"}]}}}"#)?;
/// assert_eq!(book.counts().total(), 0); // `Book`'s methods through `Deref`
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct CheckedBook(Book);

impl CheckedBook {
    /// The book, to read.
    ///
    /// ```
    /// use retention::desk::Book;
    /// let book = Book::from_json_checked(r#"{"schema_version": 3,
    ///     "calendar": {"time_zone": "UTC", "weekly": {"monday": [{"start": "09:00", "end": "17:00"}]}}}"#)?;
    /// assert!(book.as_book().is_sorted());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn as_book(&self) -> &Book {
        &self.0
    }

    /// The book, to change: the proof of its check is given up with it.
    ///
    /// ```
    /// use retention::desk::Book;
    /// let mut book = Book::from_json_checked(r#"{"schema_version": 3,
    ///     "calendar": {"time_zone": "UTC", "weekly": {"monday": [{"start": "09:00", "end": "17:00"}]}}}"#)?
    ///     .into_book();
    /// book.business = Some("Northwind Heating".into());
    /// assert!(book.validate().is_ok());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn into_book(self) -> Book {
        self.0
    }
}

impl std::ops::Deref for CheckedBook {
    type Target = Book;

    fn deref(&self) -> &Book {
        &self.0
    }
}

impl AsRef<Book> for CheckedBook {
    fn as_ref(&self) -> &Book {
        &self.0
    }
}

impl From<CheckedBook> for Book {
    fn from(book: CheckedBook) -> Book {
        book.0
    }
}

#[cfg(test)]
mod sort_tests {
    use super::*;
    use crate::synthetic::{self, Spec};

    /// The reference: a stable sort of each list by its comparator.
    fn by_comparator(book: &Book) -> Book {
        let mut b = book.clone();
        b.accounts.sort_by(|x, y| x.id.cmp(&y.id));
        b.people.sort_by(cmp_people);
        b.interactions.sort_by(cmp_interactions);
        b.surveys.sort_by(cmp_surveys);
        b.units
            .sort_by(|x, y| (&x.account, &x.id).cmp(&(&y.account, &y.id)));
        b.orders
            .sort_by(|x, y| (&x.account, &x.id).cmp(&(&y.account, &y.id)));
        b.promises
            .sort_by(|x, y| (&x.account, &x.id).cmp(&(&y.account, &y.id)));
        b.promise_events.sort_by(cmp_events);
        b.reviews
            .sort_by(|x, y| (&x.account, x.reviewed_on).cmp(&(&y.account, y.reviewed_on)));
        b
    }

    /// Reverses every list and swaps neighbours: far from the canonical order.
    fn scrambled(book: &Book) -> Book {
        fn mix<T>(v: &mut [T]) {
            v.reverse();
            for pair in v.chunks_mut(2) {
                pair.reverse();
            }
        }
        let mut b = book.clone();
        mix(&mut b.accounts);
        mix(&mut b.people);
        mix(&mut b.interactions);
        mix(&mut b.surveys);
        mix(&mut b.units);
        mix(&mut b.orders);
        mix(&mut b.promises);
        mix(&mut b.promise_events);
        mix(&mut b.reviews);
        b
    }

    proptest::proptest! {
        /// The counting sort by rank, then time, then the records, gives the order a
        /// stable sort by the comparator gives, with keys that tie and keys out of range.
        #[test]
        fn order_by_is_the_comparators_stable_order(
            list in proptest::collection::vec((0u32..6, 0i64..3, 0u8..4), 0..60),
            ranks in 0usize..8,
        ) {
            let cmp = |a: &(u32, i64, u8), b: &(u32, i64, u8)| a.cmp(b);
            let order = order_by(&list, ranks, |r| Some((r.0, r.1)), cmp);
            let mut expected: Vec<u32> = (0..list.len() as u32).collect();
            expected.sort_by(|&x, &y| cmp(&list[x as usize], &list[y as usize]));
            match order {
                None => proptest::prop_assert!(list.is_sorted()),
                Some(order) => proptest::prop_assert_eq!(order, expected),
            }
        }
    }

    #[test]
    fn sorting_on_keys_gives_the_comparators_order_in_place_and_as_a_copy() {
        let book = synthetic::book(&Spec::new(5, 60));
        let mut shuffled = scrambled(&book);
        // Ties on the key: two interactions of one account in the same second.
        if let Some(x) = shuffled.interactions.first().cloned() {
            let mut twin = x.clone();
            twin.id = "i-aaa-twin".into();
            twin.at += chrono::TimeDelta::milliseconds(1);
            shuffled.interactions.push(twin);
            let mut same = x;
            same.id = "i-000-same".into();
            shuffled.interactions.push(same);
        }
        // The copy is the engines': interactions without their summaries.
        fn without_summaries(mut book: Book) -> Book {
            for x in &mut book.interactions {
                x.summary = None;
            }
            book
        }
        assert!(shuffled.interactions.iter().any(|x| x.summary.is_some()));
        let expected = by_comparator(&shuffled).to_json();
        let copy = shuffled.sorted_copy();
        assert!(copy.interactions.iter().all(|x| x.summary.is_none()));
        assert_eq!(
            copy.to_json(),
            without_summaries(by_comparator(&shuffled)).to_json()
        );
        let mut in_place = shuffled.clone();
        in_place.sort();
        assert_eq!(in_place.to_json(), expected);
        assert!(in_place.is_sorted());
        // A record of an account the book does not hold (an unchecked book): the
        // records themselves are compared.
        let mut odd = shuffled.clone();
        if let Some(p) = odd.people.get_mut(3) {
            p.account = "a-zzz-missing".into();
        }
        let expected = by_comparator(&odd).to_json();
        assert_eq!(
            odd.sorted_copy().to_json(),
            without_summaries(by_comparator(&odd)).to_json()
        );
        odd.sort();
        assert_eq!(odd.to_json(), expected);
    }

    #[test]
    fn a_checked_book_gives_the_plain_books_agenda() {
        let spec = Spec::new(3, 40);
        let json = synthetic::book(&spec).to_json();
        let checked = Book::from_json_checked(&json).expect("a synthetic book is valid");
        let plain = Book::from_json(&json).expect("valid");
        let a = serde_json::to_string(&checked.agenda(spec.now).expect("agenda")).unwrap();
        let b = serde_json::to_string(&plain.agenda(spec.now).expect("agenda")).unwrap();
        assert_eq!(a, b);
        assert!(!checked.accounts.is_empty());
        assert_eq!(checked.into_book().to_json(), plain.to_json());
    }

    /// Problems come list by list: every record's own checks first (the interactions',
    /// checked apart, before the others'), then the references in list order, then the
    /// policies', and the rejection last.
    #[test]
    fn problems_come_in_the_order_of_the_lists_and_the_checks() {
        let spec = Spec::new(3, 6);
        let mut book = synthetic::book(&spec);
        assert!(book.interactions.len() > 2 && !book.surveys.is_empty());
        book.interactions[0].id = crate::model::InteractionId::new("");
        book.interactions[1].account = crate::model::AccountId::new("nobody");
        book.people[0].account = crate::model::AccountId::new("nobody");
        book.surveys[0].account = crate::model::AccountId::new("nobody");
        book.reviews[0].account = crate::model::AccountId::new("nobody");
        book.policies.cadence.horizon = crate::model::Span::Hours(5);
        let planted = [
            "interactions[0].id",
            "people[0].account",
            "interactions[1].account",
            "surveys[0].account",
            "reviews[0].account",
        ];
        let got: Vec<(&str, String)> = book.validate().unwrap_err().codes_and_paths();
        let seen: Vec<&str> = got
            .iter()
            .filter_map(|(_, p)| planted.iter().find(|q| *q == p).copied())
            .collect();
        assert_eq!(seen, planted);
        // The policy's problem comes after every reference, and the rejection last.
        let policy = got
            .iter()
            .position(|(_, p)| p.starts_with("policies.cadence"))
            .expect("the cadence policy is refused");
        let reviews = got
            .iter()
            .position(|(_, p)| p == "reviews[0].account")
            .unwrap();
        assert!(reviews < policy, "{got:?}");
        assert_eq!(got.last().map(|(c, _)| *c), Some("desk.book_rejected"));
    }

    #[test]
    fn a_permutation_moves_every_record_to_its_place() {
        let mut v: Vec<u32> = (0..10).map(|i| i * 10).collect();
        permute(&mut v, Some(vec![3, 0, 1, 2, 9, 8, 7, 4, 5, 6]));
        assert_eq!(v, [30, 0, 10, 20, 90, 80, 70, 40, 50, 60]);
        let mut same = vec![1, 2, 3];
        permute(&mut same, None);
        assert_eq!(same, [1, 2, 3]);
    }
}
