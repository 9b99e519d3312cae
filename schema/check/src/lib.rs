//! Validation against retention's JSON Schemas with a maintained validator (`jsonschema`,
//! draft 2020-12, formats asserted), for the tests of this crate.
//!
//! - [`Schema`] compiles a schema and lists every reason an instance fails it.
//! - [`committed`] reads a committed file of `schema/`.
//! - [`refused_books`] is the table of books the crate refuses (`refused_books.json`):
//!   each is the sample book (`examples/data/hvac.json`) with one change, the code the
//!   crate gives it, and whether a schema can say so.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// A compiled schema.
pub struct Schema {
    validator: jsonschema::Validator,
}

/// schemars' own formats: `partial-date-time` (a date and time without an offset) is
/// checked; the numeric ones are stated as `minimum` and `maximum` by the contract, and a
/// format applies to strings only, so they hold for every string.
fn partial_date_time(s: &str) -> bool {
    // `2026-11-24T09:00:00` with optional fractional seconds.
    let (date, time) = match s.split_once('T') {
        Some(parts) => parts,
        None => return false,
    };
    let digits = |t: &str, n: usize| t.len() == n && t.bytes().all(|b| b.is_ascii_digit());
    let d: Vec<&str> = date.split('-').collect();
    let (time, fraction) = time.split_once('.').unwrap_or((time, "0"));
    let t: Vec<&str> = time.split(':').collect();
    d.len() == 3
        && digits(d[0], 4)
        && digits(d[1], 2)
        && digits(d[2], 2)
        && t.len() == 3
        && t.iter().all(|x| digits(x, 2))
        && !fraction.is_empty()
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && ("01"..="12").contains(&d[1])
        && ("01"..="31").contains(&d[2])
        && t[0] <= "23"
        && t[1] <= "59"
        && t[2] <= "60"
}

impl Schema {
    /// Compiles `schema`; panics if it is not a valid schema (this is a test tool).
    pub fn new(schema: &Value) -> Schema {
        let mut options = jsonschema::options()
            .should_validate_formats(true)
            .should_ignore_unknown_formats(false)
            .with_format("partial-date-time", partial_date_time);
        for numeric in [
            "uint8", "uint16", "uint32", "uint64", "uint", "int8", "int16", "int32", "int64",
            "int", "double", "float",
        ] {
            options = options.with_format(numeric, |_: &str| true);
        }
        let validator = options
            .build(schema)
            .unwrap_or_else(|e| panic!("not a valid schema: {e}"));
        Schema { validator }
    }

    /// Every reason `instance` fails the schema, with where; empty if it is valid.
    pub fn errors(&self, instance: &Value) -> Vec<String> {
        self.validator
            .iter_errors(instance)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect()
    }

    /// Whether `instance` is valid.
    pub fn accepts(&self, instance: &Value) -> bool {
        self.validator.is_valid(instance)
    }
}

/// The library's root (`../..` from this crate).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A committed schema file, `schema/<name>`.
pub fn committed(name: &str) -> Value {
    let path = root().join("schema").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The sample book, `examples/data/hvac.json`.
pub fn sample_book() -> Value {
    let path = root().join("examples/data/hvac.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A book the crate refuses.
pub struct Refusal {
    /// What is wrong with it, for people.
    pub name: String,
    /// The book's JSON.
    pub book: Value,
    /// A code among the problems the crate gives.
    pub code: String,
    /// Whether a schema can refuse it (a shape, a pattern, a `const`), or only the crate
    /// (a duplicate id, a dangling reference, a time zone, a reversed interval).
    pub schema_can_say: bool,
}

/// The sample book with each change of `refused_books.json`.
pub fn refused_books() -> Vec<Refusal> {
    let table: Value =
        serde_json::from_str(include_str!("../refused_books.json")).expect("the table is JSON");
    let sample = sample_book();
    table
        .as_array()
        .expect("the table is a list")
        .iter()
        .map(|row| {
            let mut book = sample.clone();
            if let Some(pointer) = row["set"].as_str() {
                set(&mut book, pointer, row["to"].clone());
            }
            if let Some(pointer) = row["remove"].as_str() {
                let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
                let object = book.pointer_mut(parent).and_then(Value::as_object_mut);
                object.expect("the parent is an object").remove(key);
            }
            Refusal {
                name: row["name"].as_str().expect("a name").to_owned(),
                book,
                code: row["code"].as_str().expect("a code").to_owned(),
                schema_can_say: row["schema"].as_bool().expect("schema: bool"),
            }
        })
        .collect()
}

/// Sets the value at `pointer`, adding the last key to an object if it is absent.
fn set(v: &mut Value, pointer: &str, to: Value) {
    if let Some(slot) = v.pointer_mut(pointer) {
        *slot = to;
        return;
    }
    let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
    let object = v.pointer_mut(parent).and_then(Value::as_object_mut);
    object
        .unwrap_or_else(|| panic!("no object at {parent}"))
        .insert(key.to_owned(), to);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_date_times() {
        assert!(partial_date_time("2026-11-24T09:00:00"));
        assert!(partial_date_time("2026-11-24T09:00:00.250"));
        for bad in ["2026-11-24", "2026-11-24T09:00", "2026-13-01T00:00:00", "x"] {
            assert!(!partial_date_time(bad), "{bad}");
        }
    }
}
