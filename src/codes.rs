//! The one shape of every stable code enum an engine returns (obligation kinds,
//! explanations, risk signals, actions): a `Copy` enum whose JSON is its code string,
//! with `ALL`, `code`, `from_code`, `Display`, and, where each value serves one rule of
//! the practice, `rule`.

/// Declares a public code enum. Each variant is `Variant => "area.code";`, or
/// `Variant => "area.code", RULE;` to also generate `rule()`. `$what` names a value in
/// docs and in the error for an unknown code ("signal code").
macro_rules! stable_codes {
    (
        $(#[$doc:meta])*
        $name:ident, $what:literal {
            $($(#[$vdoc:meta])* $var:ident => $code:literal, $rule:ident;)*
        }
    ) => {
        $crate::codes::stable_codes! {
            $(#[$doc])*
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
        $(#[$doc:meta])*
        $name:ident, $what:literal {
            $($(#[$vdoc:meta])* $var:ident => $code:literal;)*
        }
    ) => {
        $(#[$doc])*
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
    };
}

pub(crate) use stable_codes;
