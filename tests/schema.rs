//! JSON Schema (feature `schemars`): the committed contract and what makes it one that
//! code generators can use.
//!
//! - `schema/book.schema.json` (what a host writes), `schema/agenda.schema.json` (what the
//!   crate writes) and `schema/error.schema.json` (every error) are kept in step with
//!   `retention::json_schema`; `RETENTION_BLESS=1 cargo test --features schemars --test
//!   retention schema_files` rewrites them.
//! - Every definition is titled, no title is numbered or named like a TypeScript or
//!   Python built-in, every tagged enum is a `oneOf` of titled variants with a
//!   `discriminator`, `schema_version` is a `const`, ids are non-blank, amounts are
//!   decimal strings, and descriptions are prose (no rustdoc links, no Rust examples).
//! - Code enums are string enums of exactly their codes.
//!
//! Validating instances against the schemas (the samples, the refused books, and every
//! value taken apart so serde and the schema must agree on each piece) needs a JSON
//! Schema validator: that lives in its own crate, `schema/check/`, so the library's
//! dev-dependencies stay lean (`cargo test --manifest-path schema/check/Cargo.toml`).

use std::path::Path;

use retention::json_schema::{
    self, AMOUNT_PATTERN, ID_PATTERN, RESERVED_NAMES, WRITTEN_AMOUNT_PATTERN,
};
use retention::model::Money;
use retention::orders::FindingCode;
use retention::{ErrorKind, cadence, promises, risk};
use schemars::JsonSchema;
use serde_json::{Value, json};

fn walk(v: &Value, path: &mut Vec<String>, f: &mut impl FnMut(&[String], &Value)) {
    f(path, v);
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                path.push(k.clone());
                walk(x, path, f);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.push(i.to_string());
                walk(x, path, f);
                path.pop();
            }
        }
        _ => {}
    }
}

/// The three committed schemas, by file name.
fn contract() -> Vec<(&'static str, Value)> {
    vec![
        ("book.schema.json", json_schema::book().to_value()),
        ("agenda.schema.json", json_schema::agenda().to_value()),
        ("error.schema.json", json_schema::error().to_value()),
    ]
}

/// Compares a committed schema file with the schema the types give, or rewrites it when
/// `RETENTION_BLESS=1`.
fn schema_file(name: &str, schema: &Value) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("schema")
        .join(name);
    let text = serde_json::to_string_pretty(schema).unwrap() + "\n";
    if std::env::var_os("RETENTION_BLESS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        return;
    }
    let bless = "RETENTION_BLESS=1 cargo test --features schemars --test retention schema_files";
    let committed = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; write it with `{bless}`", path.display()));
    if committed != text {
        let (line, (ours, theirs)) = committed
            .lines()
            .zip(text.lines())
            .enumerate()
            .find(|(_, (a, b))| a != b)
            .unwrap_or((
                committed.lines().count().min(text.lines().count()),
                ("", ""),
            ));
        panic!(
            "{} is out of step with the types (first difference at line {}: committed {ours:?}, \
             generated {theirs:?}); if the change is meant, run `{bless}` and commit the file",
            path.display(),
            line + 1
        );
    }
}

#[test]
fn schema_files_are_in_step_with_the_types() {
    for (name, schema) in contract() {
        schema_file(name, &schema);
    }
}

#[test]
fn every_definition_and_every_variant_is_titled_and_none_is_numbered_or_reserved() {
    let mut titled = 0;
    for (name, schema) in contract() {
        let defs = schema["$defs"].as_object().unwrap();
        let mut titles = vec![schema["title"].as_str().unwrap().to_owned()];
        for (key, def) in defs {
            let title = def["title"].as_str();
            assert_eq!(title, Some(key.as_str()), "{name}: $defs/{key} untitled");
            titles.push(key.clone());
        }
        for title in &titles {
            titled += 1;
            assert!(
                !title.ends_with(|c: char| c.is_ascii_digit()),
                "{name}: numbered title {title}"
            );
            assert!(
                !RESERVED_NAMES.contains(&title.as_str()),
                "{name}: {title} is named like a built-in"
            );
        }
        // Only the root and the definitions are titled, so no generator names a type
        // after a field's schema.
        let mut titles_seen = 0;
        walk(&schema, &mut Vec::new(), &mut |path, node| {
            if node.get("title").is_some_and(Value::is_string)
                && (path.is_empty() || (path.len() == 2 && path[0] == "$defs"))
            {
                titles_seen += 1;
            }
        });
        assert_eq!(titles_seen, titles.len(), "{name}");
    }
    assert!(titled > 150, "{titled}");
    // The names the issue saw shadowing built-ins are gone.
    let book = json_schema::book().to_value();
    assert!(book["$defs"].get("Promise").is_none());
    assert_eq!(book["$defs"]["CustomerPromise"]["title"], "CustomerPromise");
    assert_eq!(json_schema::error().to_value()["title"], "RetentionError");
}

#[test]
fn every_union_is_a_one_of_of_titled_variants_and_tagged_ones_are_discriminated() {
    let mut unions = 0;
    let mut discriminated = 0;
    for (name, schema) in contract() {
        let defs = schema["$defs"].as_object().unwrap();
        walk(&schema, &mut Vec::new(), &mut |path, node| {
            let Some(alternatives) = node.get("oneOf").and_then(Value::as_array) else {
                return;
            };
            unions += 1;
            let at = format!("{name}: /{}", path.join("/"));
            assert!(
                path.len() == 2 && path[0] == "$defs",
                "{at}: a union outside $defs"
            );
            let mut targets = Vec::new();
            for a in alternatives {
                let r = a["$ref"].as_str().unwrap_or_else(|| panic!("{at}: {a}"));
                let key = r.strip_prefix("#/$defs/").unwrap();
                assert!(defs[key]["title"].is_string(), "{at}: {key}");
                targets.push(r.to_owned());
            }
            // A tagged enum names its tag; the mapping covers every variant.
            if let Some(d) = node.get("discriminator") {
                discriminated += 1;
                let tag = d["propertyName"].as_str().unwrap();
                let mapping = d["mapping"].as_object().unwrap();
                assert_eq!(mapping.len(), targets.len(), "{at}");
                for (value, target) in mapping {
                    let target = target.as_str().unwrap();
                    assert!(targets.contains(&target.to_owned()), "{at}");
                    let key = target.strip_prefix("#/$defs/").unwrap();
                    assert_eq!(defs[key]["properties"][tag]["const"], *value, "{at}");
                    let required = defs[key]["required"].as_array().unwrap();
                    assert!(required.contains(&json!(tag)), "{at}");
                }
            } else {
                // Only the externally tagged `Span` and `ServiceInterval` have no tag field:
                // each variant is one field.
                for t in &targets {
                    let key = t.strip_prefix("#/$defs/").unwrap();
                    assert_eq!(defs[key]["required"].as_array().unwrap().len(), 1, "{at}");
                }
            }
        });
        // Unions of plain strings are string enums, not `oneOf`s of `const`s.
        walk(&schema, &mut Vec::new(), &mut |path, node| {
            if let Some(alternatives) = node.get("anyOf").and_then(Value::as_array) {
                assert!(
                    alternatives
                        .iter()
                        .all(|a| a.get("$ref").is_some() || a == &json!({"type": "null"})),
                    "{name}: /{}: {node}",
                    path.join("/")
                );
            }
        });
    }
    assert!(
        unions >= 16 && discriminated >= 14,
        "{unions} {discriminated}"
    );
    let book = json_schema::book().to_value();
    assert_eq!(
        book["$defs"]["EventKind"]["discriminator"]["propertyName"],
        "kind"
    );
    assert_eq!(
        book["$defs"]["EventKind"]["discriminator"]["mapping"]["delivered"],
        "#/$defs/EventKindDelivered"
    );
    assert_eq!(book["$defs"]["SpanHours"]["required"], json!(["hours"]));
    assert_eq!(book["$defs"]["Channel"]["type"], "string");
    assert!(
        book["$defs"]["Channel"]["enum"]
            .as_array()
            .unwrap()
            .contains(&json!("phone"))
    );
}

#[test]
fn the_version_is_a_const_ids_are_non_blank_and_amounts_are_decimal_strings() {
    let book = json_schema::book().to_value();
    let agenda = json_schema::agenda().to_value();
    assert_eq!(
        book["properties"]["schema_version"]["const"],
        retention::desk::SCHEMA_VERSION
    );
    assert_eq!(
        agenda["properties"]["schema_version"]["const"],
        retention::desk::SCHEMA_VERSION
    );
    let mut ids = 0;
    let mut amounts = 0;
    for (name, schema) in contract() {
        for (key, def) in schema["$defs"].as_object().unwrap() {
            if key.ends_with("Id") {
                ids += 1;
                // `ArgId` is the `{"id": ...}` variant of a verdict's typed argument.
                let id = if key == "ArgId" {
                    &def["properties"]["id"]
                } else {
                    def
                };
                assert_eq!(id["pattern"], ID_PATTERN, "{name}: {key}");
                assert_eq!(id["minLength"], 1, "{name}: {key}");
            }
        }
        walk(&schema, &mut Vec::new(), &mut |path, node| {
            let Some(pattern) = node.get("pattern").and_then(Value::as_str) else {
                return;
            };
            // What a host writes is read; what the crate writes may use the 29th digit.
            let want = if name == "agenda.schema.json" {
                WRITTEN_AMOUNT_PATTERN
            } else {
                AMOUNT_PATTERN
            };
            if pattern == AMOUNT_PATTERN || pattern == WRITTEN_AMOUNT_PATTERN {
                assert_eq!(pattern, want, "{name}: /{}", path.join("/"));
                amounts += 1;
                let ty = &node["type"];
                assert!(
                    ty == "string" || ty == &json!(["string", "null"]),
                    "{name}: /{}: {node}",
                    path.join("/")
                );
            }
            // No other decimal pattern is left (schemars' own allows an exponent and a number).
            assert!(!pattern.contains("[eE]"), "{name}: /{}", path.join("/"));
        });
    }
    assert!(ids >= 10 && amounts >= 5, "{ids} ids, {amounts} amounts");
    // The longest amount the pattern allows is read by serde (rounded to 28 significant
    // digits); everyday amounts are read exactly.
    let read = |amount: &str| {
        serde_json::from_value::<Money>(json!({"amount": amount, "currency": "USD"}))
            .map(|m| m.amount.to_string())
    };
    let longest = "9999999999999999999999999999.9999999999999999999999999999";
    assert!(read(longest).is_ok(), "{:?}", read(longest));
    for exact in ["-0.0000000000000000000000000001", "1250.00", "0", "-12.5"] {
        assert_eq!(read(exact).unwrap(), exact);
    }
}

#[test]
fn descriptions_are_prose_without_rustdoc_links_rust_examples_or_internals() {
    let mut described = 0;
    for (name, schema) in contract() {
        walk(&schema, &mut Vec::new(), &mut |path, node| {
            let Some(d) = node.get("description").and_then(Value::as_str) else {
                return;
            };
            described += 1;
            let at = format!("{name}: /{}: {d}", path.join("/"));
            let fences: Vec<&str> = d
                .lines()
                .filter_map(|l| l.trim_start().strip_prefix("```"))
                .collect();
            // Fences open and close in pairs; every opening one is `json`.
            assert!(
                fences.len() % 2 == 0 && fences.iter().step_by(2).all(|info| *info == "json"),
                "a Rust example in {at}"
            );
            // Outside the JSON examples: no rustdoc link and no Rust module path.
            let mut in_fence = false;
            for line in d.lines() {
                if line.trim_start().starts_with("```") {
                    in_fence = !in_fence;
                    continue;
                }
                if in_fence {
                    continue;
                }
                for bad in ["[`", "`]", "](", "::"] {
                    assert!(!line.contains(bad), "`{bad}` in {at}");
                }
                let lower = line.to_lowercase();
                for internal in [
                    "inline",
                    "allocat",
                    "heap",
                    "fxhash",
                    "hash table",
                    "compact_str",
                    "vec<",
                    "option<",
                ] {
                    assert!(!lower.contains(internal), "`{internal}` in {at}");
                }
            }
        });
    }
    assert!(described > 300, "{described}");
}

/// The codes in a code enum's schema (`{"enum": [...]}` in `$defs`).
fn schema_codes<T: JsonSchema>(name: &str) -> Vec<String> {
    let schema = json_schema::for_reading::<T>().to_value();
    let def = schema
        .get("$defs")
        .and_then(|d| d.get(name))
        .unwrap_or(&schema);
    assert_eq!(def["type"], "string", "{name}");
    def["enum"]
        .as_array()
        .unwrap_or_else(|| panic!("{name} has no enum: {def}"))
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn code_enums_are_string_enums_of_exactly_their_codes() {
    fn codes(all: impl IntoIterator<Item = &'static str>) -> Vec<String> {
        all.into_iter().map(str::to_owned).collect()
    }
    assert_eq!(
        schema_codes::<ErrorKind>("ErrorKind"),
        codes(ErrorKind::ALL.iter().map(|k| k.code()))
    );
    assert_eq!(
        schema_codes::<FindingCode>("FindingCode"),
        codes(FindingCode::ALL.iter().map(|k| k.code()))
    );
    assert_eq!(
        schema_codes::<promises::VerdictCode>("Code"),
        codes(promises::VerdictCode::ALL.iter().map(|k| k.code()))
    );
    assert_eq!(
        schema_codes::<cadence::ObligationCode>("ObligationCode"),
        codes(cadence::ObligationCode::ALL.iter().map(|k| k.code()))
    );
    assert_eq!(
        schema_codes::<cadence::ExplanationCode>("ExplanationCode"),
        codes(cadence::ExplanationCode::ALL.iter().map(|k| k.code()))
    );
    assert_eq!(
        schema_codes::<risk::SignalCode>("SignalCode"),
        codes(risk::SignalCode::ALL.iter().map(|k| k.code()))
    );
    assert_eq!(
        schema_codes::<risk::ActionCode>("ActionCode"),
        codes(risk::ActionCode::ALL.iter().map(|k| k.code()))
    );
    // The description is the enum's doc comment.
    let schema = json_schema::for_reading::<risk::SignalCode>().to_value();
    let description = schema["description"].as_str().unwrap();
    assert!(
        description.starts_with("Why a customer may be leaving"),
        "{description}"
    );
}
