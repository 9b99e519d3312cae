//! FNV-1a 64 over a canonical byte encoding: the stable fingerprint of signed work.
//!
//! Not `std`'s `DefaultHasher`, whose output may change between Rust releases and runs:
//! hosts store fingerprints, so the algorithm and encoding are fixed and documented on
//! [`ServiceOrder::work_fingerprint`](super::ServiceOrder::work_fingerprint).

use rust_decimal::Decimal;

const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

/// An FNV-1a 64 hasher with helpers for the canonical encoding.
pub(crate) struct Fnv1a64(u64);

impl Fnv1a64 {
    pub(crate) fn new() -> Fnv1a64 {
        Fnv1a64(OFFSET_BASIS)
    }

    pub(crate) fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(PRIME);
        }
    }

    pub(crate) fn u64(&mut self, n: u64) {
        self.bytes(&n.to_le_bytes());
    }

    pub(crate) fn str(&mut self, s: &str) {
        self.u64(s.len() as u64);
        self.bytes(s.as_bytes());
    }

    pub(crate) fn opt_str(&mut self, s: Option<&str>) {
        match s {
            None => self.bytes(&[0]),
            Some(s) => {
                self.bytes(&[1]);
                self.str(s);
            }
        }
    }

    /// The shortest decimal form: trailing zeros dropped, negative zero as `0`. Written
    /// without allocating: a `Decimal` prints in at most 31 bytes.
    pub(crate) fn decimal(&mut self, d: Decimal) {
        use std::io::Write;
        let d = if d.is_zero() {
            Decimal::ZERO
        } else {
            d.normalize()
        };
        let mut buf = [0u8; 64];
        let mut cursor = std::io::Cursor::new(&mut buf[..]);
        // 64 bytes always hold a Decimal's text; on the impossible failure the written
        // prefix is still hashed deterministically.
        let _ = write!(cursor, "{d}");
        let n = usize::try_from(cursor.position()).unwrap_or(0);
        let text = buf.get(..n).unwrap_or(&[]);
        self.u64(text.len() as u64);
        self.bytes(text);
    }

    pub(crate) fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The published FNV-1a 64 test vectors.
    #[test]
    fn matches_the_reference_vectors() {
        let h = |s: &[u8]| {
            let mut f = Fnv1a64::new();
            f.bytes(s);
            f.finish()
        };
        assert_eq!(h(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(h(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(h(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn decimals_hash_in_their_shortest_form() {
        let h = |d: Decimal| {
            let mut f = Fnv1a64::new();
            f.decimal(d);
            f.finish()
        };
        assert_eq!(h(Decimal::new(250, 2)), h(Decimal::new(25, 1)));
        assert_eq!(h(Decimal::new(-0, 3)), h(Decimal::ZERO));
        assert_ne!(h(Decimal::new(25, 1)), h(Decimal::new(25, 2)));
        let mut f = Fnv1a64::new();
        f.bytes(&2u64.to_le_bytes());
        f.bytes(b"-3");
        assert_eq!(h(Decimal::new(-300, 2)), f.finish());
    }
}
