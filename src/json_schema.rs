//! The JSON contract as JSON Schema (feature `schemars`), shaped for code generators.
//!
//! [`book`] is what a host writes (the committed `schema/book.schema.json`), [`agenda`]
//! what the crate writes (`schema/agenda.schema.json`) and [`error`] the shape of every
//! error (`schema/error.schema.json`). [`for_reading`] and [`for_writing`] give the same
//! contract for any other input or output type.
//!
//! The schemas come from `#[derive(schemars::JsonSchema)]` beside each type's serde
//! derive; these functions then shape them so generators (datamodel-code-generator,
//! json-schema-to-typescript, quicktype) give named types:
//!
//! - every definition and the root carry a `title`;
//! - a tagged enum is a `oneOf` of references to one definition per variant, each
//!   titled by the enum and the variant (`DueWithin`, `SpanHours`), and, when a common
//!   field holds a `const` tag, the OpenAPI `discriminator` with its mapping;
//! - an enum of plain strings is a string `enum`, its values explained in the
//!   description;
//! - an amount is a decimal string (`"1250.00"`, at most 28 digits before and after the
//!   point): the crate also reads a JSON number (through a float) or an exponent, but the
//!   contract asks for the exact string;
//! - an integer's width (`uint32`) is also stated as `minimum` and `maximum`;
//! - a field's reference to a type beside its own description is an `allOf` of the one
//!   reference, so no generator declares a numbered copy of the type for the field;
//! - descriptions are prose: rustdoc's link syntax is taken out.
//!
//! ```
//! let book = retention::json_schema::book();
//! let due = &book.as_value()["$defs"]["Due"];
//! assert_eq!(due["discriminator"]["propertyName"], "kind");
//! assert_eq!(book.as_value()["$defs"]["DueWithin"]["title"], "DueWithin");
//! ```

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{Map, Value, json};

use crate::desk::{Agenda, Book};

/// The pattern of an amount: a decimal string with at most 28 digits before the point and
/// 28 after. The crate reads it exactly up to 28 significant digits, and rounds a longer
/// one to fit.
pub const AMOUNT_PATTERN: &str = r"^-?[0-9]{1,28}(\.[0-9]{1,28})?$";

/// The pattern of an amount the crate writes: as [`AMOUNT_PATTERN`], with up to 29 digits
/// before the point (the largest decimal, 79228162514264337593543950335, has 29).
pub const WRITTEN_AMOUNT_PATTERN: &str = r"^-?[0-9]{1,29}(\.[0-9]{1,28})?$";

/// The pattern of an id: at least one character that is not white space (the crate trims
/// with Rust's `char::is_whitespace` and refuses a blank id with `model.empty_id`).
pub const ID_PATTERN: &str = "[^\\t\\n\\u000B\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]";

/// Names a generated type must not take: globals of TypeScript (and the browser) and
/// built-ins of Python and of the pydantic models generated for it.
pub const RESERVED_NAMES: &[&str] = &[
    // TypeScript and JavaScript globals.
    "Array",
    "ArrayBuffer",
    "Blob",
    "Boolean",
    "DataView",
    "Date",
    "Document",
    "Element",
    "Error",
    "Event",
    "File",
    "Function",
    "Headers",
    "History",
    "Image",
    "Iterator",
    "JSON",
    "Location",
    "Map",
    "Math",
    "Node",
    "Notification",
    "Number",
    "Object",
    "Omit",
    "Option",
    "Partial",
    "Pick",
    "Promise",
    "Proxy",
    "Range",
    "Readonly",
    "Record",
    "Reflect",
    "RegExp",
    "Request",
    "Required",
    "Response",
    "Selection",
    "Set",
    "Storage",
    "String",
    "Symbol",
    "Text",
    "URL",
    "WeakMap",
    "WeakSet",
    "Window",
    "Worker",
    // Python built-ins, typing and pydantic.
    "Any",
    "BaseException",
    "BaseModel",
    "Decimal",
    "Dict",
    "Ellipsis",
    "Enum",
    "Exception",
    "Field",
    "List",
    "Literal",
    "NotImplemented",
    "Optional",
    "RootModel",
    "Tuple",
    "Type",
    "Union",
    "Warning",
];

/// What a host writes and the crate reads: a whole book (`schema/book.schema.json`).
///
/// ```
/// let book = retention::json_schema::book();
/// assert_eq!(book.as_value()["title"], "Book");
/// assert_eq!(book.as_value()["properties"]["schema_version"]["const"], 1);
/// ```
pub fn book() -> Schema {
    for_reading::<Book>()
}

/// What the crate writes: a day's agenda (`schema/agenda.schema.json`).
///
/// ```
/// let agenda = retention::json_schema::agenda();
/// assert_eq!(agenda.as_value()["title"], "Agenda");
/// ```
pub fn agenda() -> Schema {
    for_writing::<Agenda>()
}

/// The shape of every error the crate gives, `{"problems": [{"code", "path", "message"}]}`
/// (`schema/error.schema.json`), titled `RetentionError` (`Error` is a TypeScript global).
///
/// ```
/// let error = retention::json_schema::error();
/// assert_eq!(error.as_value()["title"], "RetentionError");
/// assert_eq!(error.as_value()["required"][0], "problems");
/// ```
pub fn error() -> Schema {
    for_writing::<crate::Error>()
}

/// The contract's schema of what the crate reads as `T`.
///
/// ```
/// use retention::model::Money;
/// let money = retention::json_schema::for_reading::<Money>();
/// assert_eq!(money.as_value()["properties"]["amount"]["type"], "string");
/// ```
pub fn for_reading<T: JsonSchema>() -> Schema {
    contract::<T>(SchemaSettings::draft2020_12().for_deserialize())
}

/// The contract's schema of what the crate writes as `T`.
///
/// ```
/// use retention::model::Money;
/// let money = retention::json_schema::for_writing::<Money>();
/// assert_eq!(money.as_value()["title"], "Money");
/// ```
pub fn for_writing<T: JsonSchema>() -> Schema {
    contract::<T>(SchemaSettings::draft2020_12().for_serialize())
}

fn contract<T: JsonSchema>(settings: SchemaSettings) -> Schema {
    let generator: SchemaGenerator = settings.into_generator();
    let mut root = generator.into_root_schema_for::<T>().to_value();
    shape(&mut root, &T::schema_name());
    match root {
        Value::Object(map) => Schema::from(map),
        // A root schema is always an object; `true` stays `true`.
        other => Schema::try_from(other).unwrap_or_default(),
    }
}

/// Shapes a root schema (with its `$defs`) for generators; `name` is the root's title.
fn shape(root: &mut Value, name: &str) {
    let Some(object) = root.as_object_mut() else {
        return;
    };
    let mut defs = match object.remove("$defs") {
        Some(Value::Object(defs)) => defs,
        _ => Map::new(),
    };
    // The root itself may be a tagged enum: its variants go to `$defs` like any other's.
    let mut hoisted = Map::new();
    unions(object, name, &mut hoisted);
    let names: Vec<String> = defs.keys().cloned().collect();
    for def_name in names {
        if let Some(Value::Object(def)) = defs.get_mut(&def_name) {
            unions(def, &def_name, &mut hoisted);
            def.insert("title".to_owned(), def_name.clone().into());
        }
    }
    for (k, v) in hoisted {
        debug_assert!(!defs.contains_key(&k), "a variant named like a type: {k}");
        defs.insert(k, v);
    }
    object.insert("title".to_owned(), name.into());
    if !defs.is_empty() {
        object.insert("$defs".to_owned(), Value::Object(defs));
    }
    every_schema(root, &mut |schema| {
        amount(schema);
        integer_bounds(schema);
        lone_reference(schema);
        if let Some(Value::String(d)) = schema.get_mut("description") {
            *d = plain(d);
        }
    });
}

/// Calls `f` on every object in `v`, the deepest last.
fn every_schema(v: &mut Value, f: &mut impl FnMut(&mut Map<String, Value>)) {
    match v {
        Value::Object(o) => {
            f(o);
            for (k, x) in o.iter_mut() {
                // Defaults and examples are data, not schemas.
                if k != "default" && k != "examples" && k != "const" && k != "enum" {
                    every_schema(x, f);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| every_schema(x, f)),
        _ => {}
    }
}

/// schemars' amounts (strings or numbers, an exponent allowed when read) as decimal
/// strings only.
fn amount(schema: &mut Map<String, Value>) {
    let pattern = match schema.get("pattern").and_then(Value::as_str) {
        Some(r"^-?\d+(\.\d+)?([eE]\d+)?$") => AMOUNT_PATTERN,
        Some(r"^-?\d+(\.\d+)?$") => WRITTEN_AMOUNT_PATTERN,
        _ => return,
    };
    let nullable = match schema.get("type") {
        Some(Value::Array(types)) => types.iter().any(|t| t == "null"),
        _ => false,
    };
    let ty = if nullable {
        json!(["string", "null"])
    } else {
        json!("string")
    };
    schema.insert("type".to_owned(), ty);
    schema.insert("pattern".to_owned(), pattern.into());
}

/// A reference with siblings (a field's own description beside its type's `$ref`) as
/// `allOf: [{"$ref": ...}]`: the same schema, but generators that copy the referenced
/// definition's title into such a field (json-schema-to-typescript) then use the
/// definition's type instead of declaring a numbered copy (`AccountId1`).
fn lone_reference(schema: &mut Map<String, Value>) {
    if schema.len() < 2 || !schema.contains_key("$ref") {
        return;
    }
    if let Some(reference) = schema.remove("$ref") {
        schema.insert("allOf".to_owned(), json!([{"$ref": reference}]));
    }
}

/// The bounds of schemars' integer formats (`uint32`, ...) as `minimum` and `maximum`,
/// which every validator and generator understands.
fn integer_bounds(schema: &mut Map<String, Value>) {
    let (min, max): (i64, u64) = match schema.get("format").and_then(Value::as_str) {
        Some("uint8") => (0, u8::MAX.into()),
        Some("uint16") => (0, u16::MAX.into()),
        Some("uint32") => (0, u32::MAX.into()),
        Some("uint64" | "uint") => (0, u64::MAX),
        Some("int8") => (i8::MIN.into(), i8::MAX as u64),
        Some("int16") => (i16::MIN.into(), i16::MAX as u64),
        Some("int32") => (i32::MIN.into(), i32::MAX as u64),
        Some("int64" | "int") => (i64::MIN, i64::MAX as u64),
        _ => return,
    };
    schema.entry("minimum").or_insert(min.into());
    schema.entry("maximum").or_insert(max.into());
}

/// A `oneOf` in `schema` (the definition `name`): strings become a string `enum`, objects
/// references to one titled definition per variant (added to `hoisted`), with the
/// `discriminator` when a common field holds a `const` tag.
fn unions(schema: &mut Map<String, Value>, name: &str, hoisted: &mut Map<String, Value>) {
    let Some(Value::Array(alternatives)) = schema.get("oneOf") else {
        return;
    };
    // Plain strings: `{"const": "phone", "type": "string", "description": ...}` each.
    let strings: Option<Vec<(String, Option<String>)>> = alternatives
        .iter()
        .map(|a| {
            let value = a.get("const")?.as_str()?.to_owned();
            let description = a
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_owned);
            Some((value, description))
        })
        .collect();
    if let Some(strings) = strings {
        let mut description = schema
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let explained: Vec<String> = strings
            .iter()
            .filter_map(|(v, d)| {
                d.as_ref()
                    .map(|d| format!("- `{v}`: {}", d.replace('\n', " ")))
            })
            .collect();
        if !explained.is_empty() {
            if !description.is_empty() {
                description.push_str("\n\n");
            }
            description.push_str(&explained.join("\n"));
        }
        schema.remove("oneOf");
        schema.insert("type".to_owned(), "string".into());
        let values: Vec<Value> = strings.into_iter().map(|(v, _)| v.into()).collect();
        schema.insert("enum".to_owned(), values.into());
        if !description.is_empty() {
            schema.insert("description".to_owned(), description.into());
        }
        return;
    }
    // Objects: each variant is named by its tag's value, or by its one field.
    let tag = common_tag(alternatives);
    let mut refs = Vec::new();
    let mut mapping = Map::new();
    let mut variants = Vec::new();
    for a in alternatives {
        let Some(properties) = a.get("properties").and_then(Value::as_object) else {
            return;
        };
        let variant = match &tag {
            Some(tag) => properties[tag.as_str()]["const"]
                .as_str()
                .map(str::to_owned),
            None if properties.len() == 1 => properties.keys().next().cloned(),
            None => None,
        };
        let Some(variant) = variant else {
            return;
        };
        variants.push((format!("{name}{}", pascal(&variant)), variant, a.clone()));
    }
    for (def_name, variant, mut a) in variants {
        if let Some(o) = a.as_object_mut() {
            o.insert("title".to_owned(), def_name.clone().into());
        }
        let reference = format!("#/$defs/{def_name}");
        refs.push(json!({"$ref": reference}));
        mapping.insert(variant, reference.into());
        hoisted.insert(def_name, a);
    }
    schema.insert("oneOf".to_owned(), refs.into());
    if let Some(tag) = tag {
        schema.insert(
            "discriminator".to_owned(),
            json!({"propertyName": tag, "mapping": mapping}),
        );
    }
}

/// The field every alternative requires and fixes with a distinct string `const`.
fn common_tag(alternatives: &[Value]) -> Option<String> {
    let first = alternatives.first()?.get("properties")?.as_object()?;
    first
        .iter()
        .filter(|(_, p)| p.get("const").is_some_and(Value::is_string))
        .map(|(k, _)| k)
        .find(|k| {
            let mut seen = Vec::new();
            alternatives.iter().all(|a| {
                let value = a
                    .get("properties")
                    .and_then(|p| p.get(k.as_str()))
                    .and_then(|p| p.get("const"))
                    .and_then(Value::as_str);
                let required = a
                    .get("required")
                    .and_then(Value::as_array)
                    .is_some_and(|r| r.iter().any(|x| x == k.as_str()));
                match value {
                    Some(v) if required && !seen.contains(&v) => {
                        seen.push(v);
                        true
                    }
                    _ => false,
                }
            })
        })
        .cloned()
}

/// `snake_case` as `PascalCase`.
fn pascal(s: &str) -> String {
    s.split(['_', '-', ' '])
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect(),
                None => String::new(),
            }
        })
        .collect()
}

/// A description without rustdoc's link syntax: ``[`Book::agenda`]`` becomes
/// `` `Book::agenda` ``, `[text](path)` becomes `text` (a web link is kept), `[Name]` becomes
/// `Name`, and a code span names Rust as the JSON does (see [`unpath`]). `json` blocks
/// are left as they are.
fn plain(doc: &str) -> String {
    let mut out = String::with_capacity(doc.len());
    let mut in_fence = false;
    for (i, line) in doc.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            out.push_str(line);
        } else if in_fence {
            out.push_str(line);
        } else {
            out.push_str(&plain_line(line));
        }
    }
    out
}

fn plain_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            // A code span, kept whole.
            match rest[1..].find('`') {
                Some(end) => {
                    out.push('`');
                    out.push_str(&unpath(&rest[1..1 + end]));
                    out.push('`');
                    rest = &rest[end + 2..];
                }
                None => {
                    out.push_str(rest);
                    rest = "";
                }
            }
            continue;
        }
        if c == '[' {
            if let Some((text, after)) = link(rest) {
                out.push_str(&plain_line(text));
                rest = after;
                continue;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// A rustdoc link at the start of `s` (which starts with `[`): its text and what follows.
fn link(s: &str) -> Option<(&str, &str)> {
    let close = if s[1..].starts_with('`') {
        // ``[`a [b] c`]``: the text may hold brackets inside its code span.
        let end = s[2..].find('`')? + 2;
        if !s[end + 1..].starts_with(']') {
            return None;
        }
        end + 1
    } else {
        s.find(']')?
    };
    let text = &s[1..close];
    let after = &s[close + 1..];
    if let Some(target) = after.strip_prefix('(') {
        let end = target.find(')')?;
        if target[..end].contains("://") {
            return None;
        }
        return Some((text, &target[end + 1..]));
    }
    let code = text.starts_with('`') && text.ends_with('`') && text.len() >= 2;
    let name = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
        && text.chars().next().is_some_and(|c| c.is_ascii_uppercase());
    (code || name).then_some((text, after))
}

/// A code span naming Rust as the JSON names it: without `crate::`, `super::`, `self::`
/// or a module (`orders::ServiceOrder` is `ServiceOrder`), a variant as its JSON value
/// (`Outcome::LeftMessage` is `left_message`), a field or function with a dot
/// (`Account::owner` is `Account.owner`), and `None` as `null`.
fn unpath(code: &str) -> String {
    if code == "None" {
        return "null".to_owned();
    }
    let segments: Vec<&str> = code
        .split("::")
        .filter(|s| !matches!(*s, "crate" | "super" | "self"))
        .collect();
    let is_name =
        |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if segments.len() < 2 || !segments.iter().all(|s| is_name(s)) {
        return segments.join("::");
    }
    let upper = |s: &str| s.starts_with(|c: char| c.is_ascii_uppercase());
    // Modules are lowercase and come before the first type.
    let first_type = segments.iter().position(|s| upper(s)).unwrap_or(0);
    let path = &segments[first_type..];
    match path {
        [ty] => (*ty).to_owned(),
        [_, variant] if upper(variant) => snake(variant),
        [ty, member] => format!("{ty}.{member}"),
        _ => path.join("."),
    }
}

/// `PascalCase` as `snake_case`, as serde's `rename_all = "snake_case"` writes it.
fn snake(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for (i, c) in s.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The schema of an id: a non-blank string (see [`ID_PATTERN`]).
pub(crate) fn id(_: &mut SchemaGenerator) -> Schema {
    schemars::json_schema!({
        "type": "string",
        "minLength": 1,
        "pattern": ID_PATTERN,
    })
}

/// `#[schemars(transform = ...)]` for a type whose docs hold Rust examples: keeps the
/// prose and the JSON examples of its description, and drops the Rust code blocks and
/// link definitions, which mean nothing to a host reading the schema.
pub(crate) fn prose_only(schema: &mut Schema) {
    let Some(doc) = schema.get("description").and_then(|d| d.as_str()) else {
        return;
    };
    let prose = prose(doc);
    schema.insert("description".to_owned(), prose.into());
}

/// `doc` without its fenced code blocks other than `json` ones, and without rustdoc link
/// definitions (`[name]: path`); runs of blank lines left behind become one.
fn prose(doc: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    // Inside a fence: whether its lines are kept.
    let mut fence: Option<bool> = None;
    for line in doc.lines() {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            match fence {
                None => {
                    let keep = info.trim() == "json";
                    fence = Some(keep);
                    if keep {
                        out.push(line);
                    }
                }
                Some(keep) => {
                    fence = None;
                    if keep {
                        out.push(line);
                    }
                }
            }
            continue;
        }
        match fence {
            Some(keep) => {
                if keep {
                    out.push(line);
                }
            }
            None => {
                let definition = trimmed.starts_with('[') && trimmed.contains("]: ");
                let repeated_blank =
                    line.trim().is_empty() && out.last().is_none_or(|l| l.trim().is_empty());
                if !definition && !repeated_blank {
                    out.push(line);
                }
            }
        }
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_keeps_json_examples_and_drops_rust() {
        let doc = "A span.\n\nIn JSON:\n\n```json\n{\"hours\": 24}\n```\n\nMore.\n\n\
                   [`Thing`]: crate::Thing\n\n```\nuse retention::model::Span;\n```\n\n\
                   ```rust\nlet x = 1;\n```";
        assert_eq!(
            prose(doc),
            "A span.\n\nIn JSON:\n\n```json\n{\"hours\": 24}\n```\n\nMore."
        );
        assert_eq!(prose("Plain."), "Plain.");
    }

    #[test]
    fn the_transform_rewrites_only_the_description() {
        let mut schema = schemars::json_schema!({
            "type": "string",
            "description": "Text.\n\n```\nlet x = 1;\n```",
        });
        prose_only(&mut schema);
        assert_eq!(
            schema,
            schemars::json_schema!({"type": "string", "description": "Text."})
        );
    }

    #[test]
    fn plain_takes_out_rustdoc_links_and_keeps_code_and_json() {
        assert_eq!(
            plain("Identifies an [`Account`](super::Account): one customer."),
            "Identifies an `Account`: one customer."
        );
        assert_eq!(
            plain("See [`Book::from_json`] and [`BusinessCalendar`] and [Clock]."),
            "See `Book.from_json` and `BusinessCalendar` and Clock."
        );
        assert_eq!(
            plain("[`orders::ServiceOrder`](crate::orders::ServiceOrder), `crate::Error`"),
            "`ServiceOrder`, `Error`"
        );
        assert_eq!(
            plain("For `Outcome::LeftMessage`, see `Account::owner`; `None` if absent."),
            "For `left_message`, see `Account.owner`; `null` if absent."
        );
        // Not links: an interval, a path in code, a list in JSON, a web link.
        for kept in [
            "a share in [0, 1]",
            "at `weekly.monday[0]`",
            "```json\n{\"accounts\": [...]}\n[Foo]\n```",
            "the [CDNOW data](https://example.org/cdnow)",
        ] {
            assert_eq!(plain(kept), kept);
        }
    }

    #[test]
    fn pascal_case_of_tags() {
        assert_eq!(pascal("cancelled_by_customer"), "CancelledByCustomer");
        assert_eq!(pascal("at"), "At");
    }
}
