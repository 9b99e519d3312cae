//! How many of the refused books (`refused_books.json`) a book schema refuses:
//! `cargo run --example refusals -- [path/to/book.schema.json]` (the committed one by
//! default), to compare a schema with an older one.

use retention_schema_check::{Schema, committed, refused_books};

fn main() {
    let schema = match std::env::args().nth(1) {
        Some(path) => {
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
        }
        None => committed("book.schema.json"),
    };
    let schema = Schema::new(&schema);
    let books = refused_books();
    let sayable = books.iter().filter(|r| r.schema_can_say).count();
    let mut refused = 0;
    for r in &books {
        let refuses = !schema.accepts(&r.book);
        refused += usize::from(refuses);
        let verdict = if refuses { "refused" } else { "accepted" };
        println!("{verdict:>8}  {}", r.name);
    }
    println!(
        "{refused} of {} refused books fail the schema ({sayable} are for things a schema can say)",
        books.len()
    );
}
