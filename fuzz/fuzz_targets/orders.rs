//! The order engine's batch entry on edited orders, skipping the desk's checks: every
//! order gets a report or a coded error from `check_orders`, `check_transition` to each
//! stage and `opportunities` never panic.
#![no_main]

use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use retention::orders::{Stage, check_orders, check_transition, opportunities};
use retention_fuzz::unchecked_book;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Some((book, now)) = unchecked_book(&mut u) else {
        return;
    };
    let policy = &book.policies.orders;
    let reports = check_orders(&book.orders, now, policy);
    assert_eq!(reports.len(), book.orders.len());
    for (order, report) in book.orders.iter().zip(&reports).take(8) {
        let _ = order.work_fingerprint();
        let _ = order.stage();
        match report {
            Ok(r) => {
                for f in &r.findings {
                    assert!(!f.sentence.is_empty());
                }
            }
            Err(e) => assert!(!e.problems().is_empty()),
        }
        for &stage in Stage::ALL {
            let _ = check_transition(order, stage, now, policy);
        }
    }
    let _ = opportunities(&book.orders);
});
