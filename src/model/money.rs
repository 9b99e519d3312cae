//! Money: an exact [`Decimal`] amount with an ISO 4217 currency code. No floats anywhere.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, FieldPath};

/// An ISO 4217 currency code: three ASCII capital letters, such as `USD` or `EUR`.
///
/// The crate checks the shape, not membership of the ISO list, so a host can use a code
/// the list does not have yet. In JSON a currency is its code: `"USD"`. Any other shape is
/// refused while reading, with `model.invalid_currency` in the message.
///
/// ```
/// use retention::model::Currency;
/// let usd: Currency = "USD".parse()?;
/// assert_eq!(usd.as_str(), "USD");
/// assert_eq!("usd".parse::<Currency>().unwrap_err().code(), "model.invalid_currency");
/// # Ok::<(), retention::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(
    feature = "schemars",
    derive(schemars::JsonSchema),
    schemars(
        extend("pattern" = "^[A-Z]{3}$"),
        transform = crate::json_schema::prose_only
    )
)]
pub struct Currency([u8; 3]);

impl Currency {
    /// United States dollar.
    pub const USD: Currency = Currency(*b"USD");
    /// Euro.
    pub const EUR: Currency = Currency(*b"EUR");
    /// Pound sterling.
    pub const GBP: Currency = Currency(*b"GBP");
    /// Canadian dollar.
    pub const CAD: Currency = Currency(*b"CAD");

    /// The currency with this three-letter code.
    ///
    /// # Errors
    /// `model.invalid_currency` unless the code is exactly three ASCII capitals.
    pub fn new(code: &str) -> Result<Currency, Error> {
        match code.as_bytes() {
            &[a, b, c] if [a, b, c].iter().all(u8::is_ascii_uppercase) => Ok(Currency([a, b, c])),
            _ => Err(Error::new(
                ErrorKind::InvalidCurrency,
                FieldPath::root(),
                format!("`{code}` is not a currency code (three capital letters, such as USD)"),
            )),
        }
    }

    /// The code, such as `"USD"`.
    pub fn as_str(&self) -> &str {
        // Only ASCII capitals are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Currency {
    type Err = Error;
    fn from_str(s: &str) -> Result<Currency, Error> {
        Currency::new(s)
    }
}

impl TryFrom<String> for Currency {
    type Error = Error;
    fn try_from(s: String) -> Result<Currency, Error> {
        Currency::new(&s)
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> String {
        c.as_str().to_owned()
    }
}

/// An amount of money: an exact decimal and its currency.
///
/// In JSON: `{"amount": "1250.00", "currency": "USD"}`. The amount is written as a string
/// so no binding rounds it through a float. A JSON number is accepted when reading, but
/// it passes through a float on the way (exact to about 15 significant digits): send
/// strings for exact amounts.
/// Arithmetic is checked: adding two currencies or overflowing the decimal is an `Err`.
/// A [`Decimal`] holds 28 significant digits, so sums of everyday amounts are exact; a
/// result that would need more digits (a trillion plus a fraction with 20 decimals) is
/// rounded to fit, as `rust_decimal` does.
///
/// ```
/// use retention::model::{Currency, Money};
/// use rust_decimal::Decimal;
///
/// let visit = Money::new(Decimal::new(18950, 2), Currency::USD); // 189.50
/// let parts = Money::new(Decimal::new(4200, 2), Currency::USD);
/// assert_eq!(visit.checked_add(&parts)?.to_string(), "231.50 USD");
/// assert_eq!(visit.checked_mul(Decimal::from(4))?.amount, Decimal::new(75800, 2));
///
/// let euros = Money::new(Decimal::ONE, Currency::EUR);
/// assert_eq!(visit.checked_add(&euros).unwrap_err().code(), "model.currency_mismatch");
///
/// let json = serde_json::to_string(&visit)?;
/// assert_eq!(json, r#"{"amount":"189.50","currency":"USD"}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(
    feature = "schemars",
    derive(schemars::JsonSchema),
    schemars(transform = crate::json_schema::prose_only)
)]
#[serde(deny_unknown_fields)]
pub struct Money {
    /// The exact amount.
    pub amount: Decimal,
    /// Its currency.
    pub currency: Currency,
}

impl Money {
    /// `amount` of `currency`.
    pub fn new(amount: Decimal, currency: Currency) -> Money {
        Money { amount, currency }
    }

    /// Nothing, in `currency`.
    pub fn zero(currency: Currency) -> Money {
        Money::new(Decimal::ZERO, currency)
    }

    fn same_currency(&self, other: &Money, verb: &str) -> Result<(), Error> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(Error::new(
                ErrorKind::CurrencyMismatch,
                FieldPath::root().field("currency"),
                format!("cannot {verb} {} and {}", self.currency, other.currency),
            ))
        }
    }

    fn overflow(what: &str) -> Error {
        Error::new(
            ErrorKind::AmountOverflow,
            FieldPath::root().field("amount"),
            format!("the {what} does not fit in a decimal"),
        )
    }

    /// The sum of two amounts in the same currency.
    ///
    /// # Errors
    /// `model.currency_mismatch` for different currencies, `model.amount_overflow` if the
    /// sum does not fit.
    pub fn checked_add(&self, other: &Money) -> Result<Money, Error> {
        self.same_currency(other, "add")?;
        self.amount
            .checked_add(other.amount)
            .map(|amount| Money::new(amount, self.currency))
            .ok_or_else(|| Money::overflow("sum"))
    }

    /// This amount less `other`, in the same currency.
    ///
    /// # Errors
    /// As [`checked_add`](Money::checked_add).
    pub fn checked_sub(&self, other: &Money) -> Result<Money, Error> {
        self.same_currency(other, "subtract")?;
        self.amount
            .checked_sub(other.amount)
            .map(|amount| Money::new(amount, self.currency))
            .ok_or_else(|| Money::overflow("difference"))
    }

    /// This amount times a factor (a quantity, a probability).
    ///
    /// # Errors
    /// `model.amount_overflow` if the product does not fit.
    pub fn checked_mul(&self, factor: Decimal) -> Result<Money, Error> {
        self.amount
            .checked_mul(factor)
            .map(|amount| Money::new(amount, self.currency))
            .ok_or_else(|| Money::overflow("product"))
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn currency_codes_are_three_capitals() {
        for bad in ["", "US", "USDX", "usd", "U$D", "ÜSD"] {
            assert_eq!(
                Currency::new(bad).unwrap_err().kind(),
                ErrorKind::InvalidCurrency,
                "{bad}"
            );
        }
        assert_eq!(Currency::new("CHF").unwrap().to_string(), "CHF");
    }

    #[test]
    fn a_bad_currency_in_json_names_its_code() {
        let err =
            serde_json::from_str::<Money>(r#"{"amount": "1", "currency": "dollars"}"#).unwrap_err();
        assert!(err.to_string().contains("model.invalid_currency"), "{err}");
    }

    #[test]
    fn amounts_read_from_strings_or_numbers_and_write_as_strings() {
        let m: Money = serde_json::from_str(r#"{"amount": 12.5, "currency": "EUR"}"#).unwrap();
        assert_eq!(m, Money::new(Decimal::new(125, 1), Currency::EUR));
        let text = serde_json::to_string(&m).unwrap();
        assert_eq!(text, r#"{"amount":"12.5","currency":"EUR"}"#);
        assert_eq!(serde_json::from_str::<Money>(&text).unwrap(), m);
    }

    #[test]
    fn overflow_is_an_error_not_a_panic() {
        let max = Money::new(Decimal::MAX, Currency::USD);
        assert_eq!(
            max.checked_add(&max).unwrap_err().code(),
            "model.amount_overflow"
        );
        assert_eq!(
            max.checked_mul(Decimal::TWO).unwrap_err().code(),
            "model.amount_overflow"
        );
        let min = Money::new(Decimal::MIN, Currency::USD);
        assert_eq!(
            min.checked_sub(&max).unwrap_err().code(),
            "model.amount_overflow"
        );
        assert_eq!(max.checked_sub(&max).unwrap(), Money::zero(Currency::USD));
    }
}
