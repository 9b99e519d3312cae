//! FNV-1a 64 over a canonical byte encoding: the stable fingerprint of signed work.
//!
//! Not `std`'s `DefaultHasher`, whose output may change between Rust releases and runs:
//! hosts store fingerprints, so the algorithm and encoding are fixed and documented on
//! [`ServiceOrder::work_fingerprint`](super::ServiceOrder::work_fingerprint).

use rust_decimal::Decimal;

const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a 64 of `bytes`, continuing from `state` (usable in constants).
const fn fnv_const(mut state: u64, bytes: &[u8]) -> u64 {
    let mut i = 0;
    while i < bytes.len() {
        state ^= bytes[i] as u64;
        state = state.wrapping_mul(PRIME);
        i += 1;
    }
    state
}

/// FNV-1a 64 of `bytes`: also the desk's documented partition hash of an account id.
pub(crate) const fn fnv1a64(bytes: &[u8]) -> u64 {
    fnv_const(OFFSET_BASIS, bytes)
}

/// An FNV-1a 64 hasher with helpers for the canonical encoding.
pub(crate) struct Fnv1a64(u64);

impl Fnv1a64 {
    #[cfg(test)]
    pub(crate) fn new() -> Fnv1a64 {
        Fnv1a64(OFFSET_BASIS)
    }

    /// A hasher that has already taken `prefix` (computed at compile time).
    pub(crate) const fn after(prefix: &[u8]) -> Fnv1a64 {
        Fnv1a64(fnv_const(OFFSET_BASIS, prefix))
    }

    pub(crate) fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(PRIME);
        }
    }

    /// Unsigned LEB128: seven bits a byte, low bits first, the high bit set on every
    /// byte but the last (`0` is one byte 0x00, `300` is 0xAC 0x02).
    pub(crate) fn varint(&mut self, mut n: u128) {
        loop {
            let low = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                self.bytes(&[low]);
                return;
            }
            self.bytes(&[low | 0x80]);
        }
    }

    pub(crate) fn str(&mut self, s: &str) {
        self.varint(s.len() as u128);
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

    /// The shortest exact form (trailing zeros dropped, negative zero as zero): its
    /// mantissa zigzag-encoded (`2m` for `m >= 0`, `-2m - 1` below) as a varint, then its
    /// scale as one byte.
    pub(crate) fn decimal(&mut self, d: Decimal) {
        let d = if d.is_zero() {
            Decimal::ZERO
        } else {
            d.normalize()
        };
        let m = d.mantissa();
        // |m| < 2^96, so the zigzag form fits a u128.
        let zigzag = ((m << 1) ^ (m >> 127)) as u128;
        self.varint(zigzag);
        // A Decimal's scale is at most 28.
        self.bytes(&[u8::try_from(d.scale()).unwrap_or(u8::MAX)]);
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
    fn varints_are_leb128() {
        let enc = |n: u128| {
            let mut f = Fnv1a64::new();
            f.varint(n);
            f.finish()
        };
        let raw = |b: &[u8]| {
            let mut f = Fnv1a64::new();
            f.bytes(b);
            f.finish()
        };
        assert_eq!(enc(0), raw(&[0]));
        assert_eq!(enc(127), raw(&[0x7f]));
        assert_eq!(enc(300), raw(&[0xac, 0x02]));
        assert_eq!(Fnv1a64::after(b"foobar").finish(), raw(b"foobar"));
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
        // -3: zigzag 5, scale 0.
        let mut f = Fnv1a64::new();
        f.bytes(&[5, 0]);
        assert_eq!(h(Decimal::new(-300, 2)), f.finish());
    }
}
