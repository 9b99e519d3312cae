//! The cadence planner on an edited book, skipping the desk's checks: completed orders
//! and their flags come from the book's orders and the fuzzer; a plan or a coded error,
//! never a panic.
#![no_main]

use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use retention::cadence::{self, CompletedOrder, Planner};
use retention_fuzz::unchecked_book;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Some((book, now)) = unchecked_book(&mut u) else {
        return;
    };
    let Ok(planner) = Planner::new(book.policies.cadence.clone(), book.calendar.clone()) else {
        return;
    };
    let mut orders = Vec::new();
    for o in &book.orders {
        let at = o.status_history.last().map_or(o.first_contact_at, |s| s.at);
        let mut c = CompletedOrder::new(o.id.clone(), o.account.clone(), at);
        c.person = o.contact.clone();
        c.first_for_account = u.arbitrary().unwrap_or(false);
        c.next_service_not_needed = u.arbitrary().unwrap_or(false);
        if u.ratio(1, 4).unwrap_or(false) {
            c.next_service_planned_on = Some(at.date_naive());
        }
        orders.push(c);
    }
    let mut input = cadence::PlanInput::new(book.accounts);
    input.people = book.people;
    input.interactions = book.interactions;
    input.surveys = book.surveys;
    input.units = book.units;
    input.orders = orders;
    input.reviews = book.reviews;
    match planner.plan(&input, now) {
        Ok(plan) => {
            let _ = serde_json::to_string(&plan);
        }
        Err(e) => assert!(!e.problems().is_empty()),
    }
});
