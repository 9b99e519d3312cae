//! The promise ledger on edited promises, events and interactions, skipping the desk's
//! checks: a report or a coded error, never a panic.
#![no_main]

use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use retention::promises::Ledger;
use retention_fuzz::unchecked_book;

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Some((book, now)) = unchecked_book(&mut u) else {
        return;
    };
    let ledger = Ledger::new(&book.policies.promises, &book.calendar)
        .promises(&book.promises)
        .events(&book.promise_events)
        .interactions(&book.interactions);
    match ledger.evaluate(now) {
        Ok(report) => {
            // One verdict per promise made by `now`, then the callbacks.
            let known = book.promises.iter().filter(|p| p.made_at <= now).count();
            assert!(report.verdicts.len() >= known);
            for v in &report.verdicts {
                let _ = v.sentence();
            }
        }
        Err(e) => assert!(!e.problems().is_empty()),
    }
});
