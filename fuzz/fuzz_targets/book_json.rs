//! Any bytes as a book's JSON: `Book::from_json` reads a book or refuses it with coded
//! problems; a book it reads gets an agenda or a coded error, and what the crate writes
//! it reads back unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use retention::desk::Book;
use retention_fuzz::sample_now;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Book::from_json(text) {
        Ok(book) => {
            if let Ok(agenda) = book.agenda(sample_now()) {
                let _ = agenda.to_json();
            }
            let written = book.to_json();
            let again = Book::from_json(&written).expect("a book the crate wrote is read back");
            assert_eq!(
                again.to_json(),
                written,
                "a written book reads back unchanged"
            );
        }
        Err(e) => {
            assert!(!e.problems().is_empty(), "a refusal names its problems");
            for p in e.problems() {
                assert!(!p.code().is_empty() && !p.message().is_empty());
            }
        }
    }
});
