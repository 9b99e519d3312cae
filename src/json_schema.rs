//! Helpers of the `schemars` feature. The schemas themselves come from
//! `#[derive(schemars::JsonSchema)]` beside each type's serde derive, and from the
//! hand-written impls where serde is hand-written (code enums, see `codes`).

use schemars::Schema;

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
}
