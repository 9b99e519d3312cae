//! The one shape of every stable code enum an engine returns (obligation kinds,
//! explanations, risk signals, actions): a `Copy` enum whose JSON is its code string,
//! with `ALL`, `code`, `from_code`, `Display`, and, where each value serves one rule of
//! the practice, `rule`. With the `schemars` feature, its JSON Schema: a string, one of
//! the codes.

/// Declares a public code enum. Each variant is `Variant => "area.code";`, or
/// `Variant => "area.code", RULE;` to also generate `rule()`. `$what` names a value in
/// docs and in the error for an unknown code ("signal code"). The enum's attributes are
/// doc comments only: they are also its schema's description.
macro_rules! stable_codes {
    (
        $(#[doc = $doc:literal])*
        $name:ident, $what:literal {
            $($(#[$vdoc:meta])* $var:ident => $code:literal, $rule:ident;)*
        }
    ) => {
        $crate::codes::stable_codes! {
            $(#[doc = $doc])*
            $name, $what {
                $($(#[$vdoc])* $var => $code;)*
            }
        }

        impl $name {
            /// The practice rule it serves.
            pub const fn rule(self) -> $crate::model::Rule {
                match self {
                    $($name::$var => $crate::model::Rule::$rule,)*
                }
            }
        }
    };
    (
        $(#[doc = $doc:literal])*
        $name:ident, $what:literal {
            $($(#[$vdoc:meta])* $var:ident => $code:literal;)*
        }
    ) => {
        $(#[doc = $doc])*
        #[non_exhaustive]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vdoc])* $var,)*
        }

        impl $name {
            #[doc = concat!("Every ", $what, ", in declaration order.")]
            pub const ALL: &'static [$name] = &[$($name::$var,)*];

            /// The stable machine code, never renamed once released.
            pub const fn code(self) -> &'static str {
                match self {
                    $($name::$var => $code,)*
                }
            }

            /// The value with this code, if any.
            pub fn from_code(code: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|c| c.code() == code)
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let code = <String as ::serde::Deserialize>::deserialize(d)?;
                $name::from_code(&code).ok_or_else(|| {
                    ::serde::de::Error::custom(format!(concat!("unknown ", $what, " `{}`"), code))
                })
            }
        }

        $crate::codes::code_json_schema!($name, &$crate::codes::doc_text(&[$($doc),*]));
    };
}

pub(crate) use stable_codes;

/// Implements `schemars::JsonSchema` for a code enum with `ALL` and `code()`: a string,
/// one of the codes in `ALL` (so the schema cannot drift from `code()`), described by
/// `$description` (a `&str`). Nothing without the `schemars` feature.
macro_rules! code_json_schema {
    ($name:ident, $description:expr) => {
        #[cfg(feature = "schemars")]
        impl ::schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(stringify!($name))
            }

            fn schema_id() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(concat!(module_path!(), "::", stringify!($name)))
            }

            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                $crate::codes::code_schema($description, $name::ALL.iter().map(|c| c.code()))
            }
        }
    };
}

pub(crate) use code_json_schema;

/// A code enum's schema: `{"type": "string", "enum": [...codes], "description": ...}`.
#[cfg(feature = "schemars")]
pub(crate) fn code_schema(
    description: &str,
    codes: impl Iterator<Item = &'static str>,
) -> schemars::Schema {
    let codes: Vec<&str> = codes.collect();
    schemars::json_schema!({
        "description": description,
        "type": "string",
        "enum": codes,
    })
}

/// Doc-comment lines (`#[doc = " text"]`) as one description, the way schemars' derive
/// writes them: one leading space dropped from each line, lines joined with newlines.
#[cfg(feature = "schemars")]
pub(crate) fn doc_text(lines: &[&str]) -> String {
    let lines: Vec<&str> = lines
        .iter()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect();
    lines.join("\n")
}

/// `Display` for an enum with an `as_str` method (its JSON name): the name, so a host's
/// `format!("{status}")` prints what the JSON says.
macro_rules! display_as_str {
    ($name:ty) => {
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use display_as_str;
