//! Cadence planner speed: a full plan of a large book must cost at most 5 times one bare
//! pass over its interactions, on one core.
//!
//! The book, as issue 5 states it: 100,000 accounts, 4 people each (two key contacts,
//! birthdays on some, a do-not-contact flag on a few), 50 past interactions per person
//! (200 per account, each with one of its people at random: 20 million, grouped by
//! account as a database query ordered by account returns them), 20,000 completed
//! orders, 5,000 surveys (a fifth unhappy), 50,000 units, a record review in the last
//! 40 days for each account, 1,000 reps (100 accounts each). The book takes about 6 GB;
//! `CADENCE_BENCH_PER_ACCOUNT=50` gives the lighter book of earlier runs (5 million
//! interactions, 12.5 per person, about 2 GB).
//!
//! `bare_pass` reads every interaction once and folds the latest touch (`is_touch`) and
//! a count: the least any planner must do; the target is measured against it.
//! `lookup_pass`, for context, also finds each interaction's account and person by id
//! in (std) hash maps built beforehand. `full_plan` is `Planner::plan` on the same
//! book: checking every record, resolving every id, folding the history, every
//! obligation, merging, levelling and the sentences of the due items.

use std::hint::black_box;

use chrono::{DateTime, NaiveDate, TimeDelta, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use retention::cadence::{CadencePolicy, CompletedOrder, PlanInput, Planner, RecordReview};
use retention::calendar::{
    BusinessCalendar, CalendarSpec, TimeOfDay, WeeklySchedule, WorkInterval,
};
use retention::model::{
    Account, Birthday, Channel, Direction, InstalledUnit, Interaction, Outcome, Party, Person,
    Role, ServiceInterval, SurveyResponse, SurveyScale,
};
use rust_decimal::Decimal;

const ACCOUNTS: usize = 100_000;
const PEOPLE: usize = 4;
/// Interactions per account (4 people, 50 each), unless `CADENCE_BENCH_PER_ACCOUNT` says.
const INTERACTIONS: usize = 200;

fn per_account() -> usize {
    std::env::var("CADENCE_BENCH_PER_ACCOUNT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(INTERACTIONS)
}

struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 25, 15, 0, 0).unwrap()
}

fn book() -> PlanInput {
    let mut r = Lcg(7);
    let now = now();
    let roles = [
        Role::Owner,
        Role::ExecutiveAssistant,
        Role::It,
        Role::Receptionist,
    ];
    let channels = [
        Channel::Phone,
        Channel::Email,
        Channel::Visit,
        Channel::Letter,
        Channel::Newsletter,
    ];
    let outcomes = [
        Outcome::Connected,
        Outcome::LeftMessage,
        Outcome::NoAnswer,
        Outcome::Delivered,
    ];
    let mut b = PlanInput::default();
    let interactions = per_account();
    for a in 0..ACCOUNTS {
        let since =
            NaiveDate::from_ymd_opt(2015, 1, 1).unwrap() + TimeDelta::days(r.next(4_000) as i64);
        let mut acc = Account::new(format!("a-{a}"), format!("Account {a}"), since);
        acc.owner = Some(retention::model::UserId::new(format!("u-{}", a % 1000)));
        b.accounts.push(acc);
        for (p, role) in roles.iter().enumerate() {
            let mut person = Person::new(
                format!("p-{a}-{p}"),
                format!("a-{a}"),
                format!("Person {a}/{p}"),
                *role,
            );
            person.key_contact = p < 2;
            if r.next(4) == 0 {
                person.birthday = Some(Birthday {
                    month: 1 + r.next(12) as u32,
                    day: 1 + r.next(28) as u32,
                    year: None,
                });
            }
            if r.next(50) == 0 {
                person.channels.do_not_contact = vec![Channel::Phone, Channel::Email];
            }
            b.people.push(person);
        }
        for i in 0..interactions {
            let at = now - TimeDelta::minutes(r.next(400 * 24 * 60) as i64 + 1);
            let channel = channels[r.next(channels.len() as u64) as usize];
            let outcome = match channel {
                Channel::Phone | Channel::Visit => outcomes[r.next(3) as usize],
                _ => Outcome::Delivered,
            };
            let inbound = r.next(5) == 0;
            let (direction, party) = if inbound {
                (Direction::Inbound, Party::Customer)
            } else {
                (
                    Direction::Outbound,
                    Party::Staff {
                        user: retention::model::UserId::new(format!("u-{}", a % 1000)),
                    },
                )
            };
            let outcome = if inbound && outcome == Outcome::NoAnswer {
                Outcome::Connected
            } else {
                outcome
            };
            let mut x = Interaction::new(
                format!("i-{a}-{i}"),
                format!("a-{a}"),
                at,
                channel,
                direction,
                party,
                outcome,
            );
            x.person = Some(retention::model::PersonId::new(format!(
                "p-{a}-{}",
                r.next(PEOPLE as u64)
            )));
            b.interactions.push(x);
        }
        if a % 5 == 0 {
            let mut o = CompletedOrder::new(
                format!("o-{a}"),
                format!("a-{a}"),
                now - TimeDelta::hours(r.next(24 * 30) as i64 + 1),
            );
            o.first_for_account = a % 25 == 0;
            if r.next(2) == 0 {
                o.next_service_planned_on = Some(NaiveDate::from_ymd_opt(2027, 5, 1).unwrap());
            }
            b.orders.push(o);
        }
        if a % 20 == 0 {
            let scale = SurveyScale::zero_to_ten();
            let score = Decimal::from(if a % 100 == 0 { 3 } else { 9 });
            b.surveys.push(SurveyResponse::new(
                format!("s-{a}"),
                format!("a-{a}"),
                now - TimeDelta::hours(r.next(24 * 10) as i64 + 1),
                score,
                scale,
            ));
        }
        b.reviews.push(RecordReview::new(
            format!("a-{a}"),
            NaiveDate::from_ymd_opt(2026, 11, 25).unwrap() - TimeDelta::days(r.next(40) as i64),
        ));
        if a % 2 == 0 {
            let installed = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap()
                + TimeDelta::days(r.next(2_000) as i64);
            b.units.push(InstalledUnit::new(
                format!("u-{a}"),
                format!("a-{a}"),
                "boiler",
                installed,
                ServiceInterval::Months(12),
            ));
        }
    }
    b
}

fn planner() -> Planner {
    let mut spec = CalendarSpec::new("America/New_York");
    spec.weekly = WeeklySchedule::weekdays(&[WorkInterval::new(
        TimeOfDay::hm(8, 0).expect("valid"),
        TimeOfDay::hm(17, 0).expect("valid"),
    )]);
    Planner::new(
        CadencePolicy::default(),
        BusinessCalendar::new(spec).expect("valid calendar"),
    )
    .expect("valid policy")
}

fn bench(c: &mut Criterion) {
    let book = book();
    let planner = planner();
    let now = now();
    let plan = planner.plan(&book, now).expect("valid book");
    eprintln!(
        "book: {} accounts, {} people, {} interactions; plan: {} due items, {} explanations",
        book.accounts.len(),
        book.people.len(),
        book.interactions.len(),
        plan.due.len(),
        plan.explanations.len()
    );
    let mut kinds = std::collections::BTreeMap::new();
    for item in &plan.due {
        for o in &item.obligations {
            *kinds.entry(o.code.code()).or_insert(0) += 1;
        }
    }
    eprintln!("obligations due: {kinds:?}");
    drop(plan);
    let mut g = c.benchmark_group(format!(
        "cadence_100k_accounts_{}m_interactions",
        book.interactions.len() / 1_000_000
    ));
    g.sample_size(10);
    g.bench_function("bare_pass", |b| {
        b.iter(|| {
            let mut latest = i64::MIN;
            let mut touches = 0u64;
            for x in black_box(&book.interactions) {
                if x.is_touch() {
                    touches += 1;
                    latest = latest.max(x.at.timestamp());
                }
            }
            black_box((latest, touches))
        });
    });
    // For context: the same pass that also finds each interaction's account and person
    // by id in hash maps built beforehand (what any planner reading ids must add).
    let accounts: std::collections::HashMap<&str, u32> = book
        .accounts
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i as u32))
        .collect();
    let people: std::collections::HashMap<&str, u32> = book
        .people
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i as u32))
        .collect();
    g.bench_function("lookup_pass", |b| {
        b.iter(|| {
            let mut latest = i64::MIN;
            let mut found = 0u64;
            for x in black_box(&book.interactions) {
                let a = accounts.get(x.account.as_str()).copied().unwrap_or(0);
                let p = x
                    .person
                    .as_ref()
                    .and_then(|p| people.get(p.as_str()).copied())
                    .unwrap_or(0);
                found += u64::from(a ^ p);
                if x.is_touch() {
                    latest = latest.max(x.at.timestamp());
                }
            }
            black_box((latest, found))
        });
    });
    g.bench_function("full_plan", |b| {
        b.iter(|| {
            planner
                .plan(black_box(&book), black_box(now))
                .expect("valid book")
        });
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
