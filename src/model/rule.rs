//! The numbered rules of the practice (O1..K6), so every verdict can say which one it serves.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One numbered rule of the [practice](crate::practice): O1-O9 (orders), P1-P6
/// (promises), C1-C9 (contact cadence), K1-K6 (risk).
///
/// Every finding, due item and risk signal an engine returns names the rule it serves.
/// In JSON a rule is its number as a string: `"O3"`, `"P1"`, `"C7"`.
///
/// ```
/// use retention::model::Rule;
///
/// assert_eq!(Rule::P1.to_string(), "P1");
/// assert_eq!(Rule::P1.summary(), "Return calls within 24 hours.");
/// assert_eq!(serde_json::to_string(&Rule::C7)?, r#""C7""#);
/// assert_eq!(serde_json::from_str::<Rule>(r#""O3""#)?, Rule::O3);
/// assert_eq!(Rule::ALL.len(), 30);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schemars",
    derive(schemars::JsonSchema),
    schemars(transform = crate::json_schema::prose_only)
)]
#[allow(missing_docs)] // each variant is documented by `summary`, and the table in the practice
pub enum Rule {
    O1,
    O2,
    O3,
    O4,
    O5,
    O6,
    O7,
    O8,
    O9,
    P1,
    P2,
    P3,
    P4,
    P5,
    P6,
    C1,
    C2,
    C3,
    C4,
    C5,
    C6,
    C7,
    C8,
    C9,
    K1,
    K2,
    K3,
    K4,
    K5,
    K6,
}

impl Rule {
    /// Every rule, in the practice's order.
    pub const ALL: &'static [Rule] = &[
        Rule::O1,
        Rule::O2,
        Rule::O3,
        Rule::O4,
        Rule::O5,
        Rule::O6,
        Rule::O7,
        Rule::O8,
        Rule::O9,
        Rule::P1,
        Rule::P2,
        Rule::P3,
        Rule::P4,
        Rule::P5,
        Rule::P6,
        Rule::C1,
        Rule::C2,
        Rule::C3,
        Rule::C4,
        Rule::C5,
        Rule::C6,
        Rule::C7,
        Rule::C8,
        Rule::C9,
        Rule::K1,
        Rule::K2,
        Rule::K3,
        Rule::K4,
        Rule::K5,
        Rule::K6,
    ];

    /// The rule's number, as the practice writes it (`"O3"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Rule::O1 => "O1",
            Rule::O2 => "O2",
            Rule::O3 => "O3",
            Rule::O4 => "O4",
            Rule::O5 => "O5",
            Rule::O6 => "O6",
            Rule::O7 => "O7",
            Rule::O8 => "O8",
            Rule::O9 => "O9",
            Rule::P1 => "P1",
            Rule::P2 => "P2",
            Rule::P3 => "P3",
            Rule::P4 => "P4",
            Rule::P5 => "P5",
            Rule::P6 => "P6",
            Rule::C1 => "C1",
            Rule::C2 => "C2",
            Rule::C3 => "C3",
            Rule::C4 => "C4",
            Rule::C5 => "C5",
            Rule::C6 => "C6",
            Rule::C7 => "C7",
            Rule::C8 => "C8",
            Rule::C9 => "C9",
            Rule::K1 => "K1",
            Rule::K2 => "K2",
            Rule::K3 => "K3",
            Rule::K4 => "K4",
            Rule::K5 => "K5",
            Rule::K6 => "K6",
        }
    }

    /// The rule in one sentence, with the practice's default numbers.
    pub const fn summary(self) -> &'static str {
        match self {
            Rule::O1 => "Set the service appointment on the first call.",
            Rule::O2 => "Capture everything at intake, where everyone sees it.",
            Rule::O3 => "Capture the customer's sign-off at the work site on completion.",
            Rule::O4 => "Track the order's status and keep the customer informed.",
            Rule::O5 => "On completion tell the customer and document what was done.",
            Rule::O6 => "Work from a checklist, clean-up and job notes included.",
            Rule::O7 => "Record upgrades to offer and issues the customer should know.",
            Rule::O8 => "Thank the customer and ask for a referral.",
            Rule::O9 => "Ask for feedback and agree when the next service happens.",
            Rule::P1 => "Return calls within 24 hours.",
            Rule::P2 => "A message left for a customer must carry value.",
            Rule::P3 => "Do what you said you would do, when you said you would do it.",
            Rule::P4 => "Deliver every time, and exceed on occasion.",
            Rule::P5 => "Be responsive when the customer's plans change.",
            Rule::P6 => "Renegotiate before a promise fails, not after.",
            Rule::C1 => "Touch every customer at least every 28 days.",
            Rule::C2 => "Meet face to face: monthly at first, never less than quarterly.",
            Rule::C3 => "Know several key people at each customer.",
            Rule::C4 => "Call the customer after every service visit.",
            Rule::C5 => "Review every customer record monthly, maintenance included.",
            Rule::C6 => "Personal touches: thank-you notes, birthdays.",
            Rule::C7 => "Survey on close; at any hint of unhappiness a manager calls.",
            Rule::C8 => "After each interaction, plan the next one.",
            Rule::C9 => {
                "Show real interest in the customer's business, and ask again as it changes."
            }
            Rule::K1 => "Quiet customers are the ones most likely to be leaving.",
            Rule::K2 => "An unanswered follow-up or negative feedback signals a customer leaving.",
            Rule::K3 => "Neglect loses customers.",
            Rule::K4 => "Customers who leave rarely say why: act on signals.",
            Rule::K5 => "Broken promises and slow callbacks wear loyalty down.",
            Rule::K6 => "One lost customer costs more than one customer.",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_reads_back_from_its_number() {
        for &rule in Rule::ALL {
            let json = serde_json::to_string(&rule).unwrap();
            assert_eq!(json, format!("\"{}\"", rule.as_str()));
            assert_eq!(serde_json::from_str::<Rule>(&json).unwrap(), rule);
            assert!(rule.summary().ends_with('.'));
        }
        let mut sorted = Rule::ALL.to_vec();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted, Rule::ALL);
    }

    #[test]
    fn unknown_rule_numbers_are_refused() {
        assert!(serde_json::from_str::<Rule>("\"O10\"").is_err());
        assert!(serde_json::from_str::<Rule>("\"o1\"").is_err());
    }
}
