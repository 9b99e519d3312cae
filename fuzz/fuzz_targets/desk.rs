//! A valid book with the fuzzer's edits, through `Book::from_json` and `Book::agenda` at
//! an instant the fuzzer picks: an agenda or coded problems, never a panic, and every
//! probability it reports is finite.
#![no_main]

use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use retention::desk::Book;
use retention_fuzz::{assert_finite, instant, mutated_book};

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let Ok(text) = mutated_book(&mut u) else {
        return;
    };
    let Ok(now) = instant(&mut u) else {
        return;
    };
    match Book::from_json(&text) {
        Ok(book) => match book.agenda(now) {
            Ok(agenda) => {
                for line in &agenda.at_risk {
                    if let Some(p) = line.p_alive {
                        assert_finite("p_alive", p);
                        assert!((0.0..=1.0).contains(&p), "p_alive {p}");
                    }
                    assert!(line.score <= 100);
                }
                let _ = agenda.to_json();
            }
            Err(e) => assert!(!e.problems().is_empty()),
        },
        Err(e) => assert!(!e.problems().is_empty()),
    }
});
