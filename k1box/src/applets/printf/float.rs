//! printf's floating point: GNU's x86 long double emulated with integers. Decimal and hex
//! arguments are rounded correctly to a 64-bit mantissa as strtold does, and %f %e %g print
//! the exact decimal expansion rounded half to even as glibc does, so every digit matches
//! GNU's; %a prints the mantissa the way glibc prints a long double.
use alloc::vec::Vec;

use super::decimal;

/// A number as GNU printf holds it, an x86 long double: `m * 2^e` with 64 mantissa bits.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) struct Float {
    pub(super) neg: bool,
    pub(super) kind: Kind,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Kind {
    Finite(u64, i64),
    Inf,
    Nan,
}

impl Float {
    pub(super) fn finite(neg: bool, m: u64, e: i64) -> Float {
        Float { neg, kind: Kind::Finite(m, e) }
    }
}

/// The long double range: 2^16384 overflows; below 2^-16382 is subnormal (reported as out
/// of range like strtold, though kept at full precision), below 2^-16446 zero.
const MAX_EXP: i64 = 16384;
const MIN_EXP: i64 = -16382;

/// The number at the start of `s`, the bytes it took, and whether it was out of range.
pub(super) fn scan_float(s: &[u8]) -> Option<(Float, usize, bool)> {
    let neg = s.first() == Some(&b'-');
    let i = matches!(s.first(), Some(b'-' | b'+')) as usize;
    let rest = &s[i..];
    let starts = |w: &[u8]| rest.len() >= w.len() && rest[..w.len()].eq_ignore_ascii_case(w);
    let special = |kind, n| Some((Float { neg, kind }, i + n, false));
    if starts(b"infinity") {
        return special(Kind::Inf, 8);
    }
    if starts(b"inf") {
        return special(Kind::Inf, 3);
    }
    if starts(b"nan") {
        let mut n = 3;
        if rest.get(3) == Some(&b'(') {
            let inner = rest[4..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'_').count();
            if rest.get(4 + inner) == Some(&b')') {
                n = 5 + inner;
            }
        }
        return special(Kind::Nan, n);
    }
    let hex = if matches!(rest.get(..2), Some(b"0x" | b"0X")) { scan_hex(&rest[2..]) } else { None };
    let ((m, e), n) = match hex {
        Some((v, n)) => (v, n + 2),
        None => scan_decimal(rest)?,
    };
    let top = e + 63;
    Some(if m != 0 && top >= MAX_EXP {
        (Float { neg, kind: Kind::Inf }, i + n, true)
    } else if m != 0 && top < MIN_EXP - 64 {
        (Float::finite(neg, 0, 0), i + n, true)
    } else {
        (Float::finite(neg, m, e), i + n, m != 0 && top < MIN_EXP)
    })
}

/// An optional exponent (`e`/`p` then an optional sign and digits) at `s[i]`: the new
/// index and the exponent, clamped far beyond any range.
fn scan_exponent(s: &[u8], i: usize, marker: u8) -> (usize, i64) {
    if s.get(i).is_none_or(|c| c.to_ascii_lowercase() != marker) {
        return (i, 0);
    }
    let neg = s.get(i + 1) == Some(&b'-');
    let sign = matches!(s.get(i + 1), Some(b'+' | b'-')) as usize;
    let (e, n) = decimal(&s[(i + 1 + sign).min(s.len())..]);
    if n == 0 {
        return (i, 0);
    }
    let e = e.unwrap_or(1 << 20).min(1 << 20) as i64;
    (i + 1 + sign + n, if neg { -e } else { e })
}

/// Hex digits with an optional point and a `p` power of two, normalized: ((m, e), length).
fn scan_hex(s: &[u8]) -> Option<((u64, i64), usize)> {
    let (mut acc, mut exp, mut sticky, mut digits, mut dot) = (0u128, 0i64, false, 0, false);
    let mut i = 0;
    loop {
        match s.get(i) {
            Some(b'.') if !dot => dot = true,
            Some(&c) if c.is_ascii_hexdigit() => {
                let d = (c as char).to_digit(16).unwrap_or(0) as u128;
                if acc >> 120 == 0 {
                    acc = acc << 4 | d;
                    exp -= 4 * dot as i64;
                } else {
                    sticky |= d != 0;
                    exp += 4 * !dot as i64;
                }
                digits += 1;
            }
            _ => break,
        }
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    let (i, e) = scan_exponent(s, i, b'p');
    Some((round64(acc, exp + e, sticky), i))
}

/// Decimal digits with an optional point and an `e` power of ten, converted with correct
/// rounding to a 64-bit mantissa as strtold does: ((m, e), length).
fn scan_decimal(s: &[u8]) -> Option<((u64, i64), usize)> {
    // The value is 0.D * 10^point, D the significant digits.
    let (mut d, mut point, mut digits, mut dot) = (Vec::new(), 0i64, 0, false);
    let mut i = 0;
    loop {
        match s.get(i) {
            Some(b'.') if !dot => dot = true,
            Some(&c) if c.is_ascii_digit() => {
                if d.is_empty() && c == b'0' {
                    point -= dot as i64;
                } else {
                    d.push(c - b'0');
                    point += !dot as i64;
                }
                digits += 1;
            }
            _ => break,
        }
        i += 1;
    }
    if digits == 0 {
        return None;
    }
    let (i, e) = scan_exponent(s, i, b'e');
    point += e;
    while d.last() == Some(&0) {
        d.pop();
    }
    // 10^4933 overflows and 10^-4951 underflows the long double range.
    if d.is_empty() {
        return Some(((0, 0), i));
    }
    if point < -4960 {
        return Some(((1, 2 * MIN_EXP), i));
    }
    if point > 4940 {
        return Some(((1 << 63, MAX_EXP), i));
    }
    let (int, frac): (Vec<u8>, Vec<u8>) = if point <= 0 {
        (Vec::new(), [alloc::vec![0; (-point) as usize], d].concat())
    } else if point as usize >= d.len() {
        d.resize(point as usize, 0);
        (d, Vec::new())
    } else {
        let f = d.split_off(point as usize);
        (d, f)
    };
    Some((to_binary(&int, frac), i))
}

/// Integer digits and fraction digits (0-9 each) as m * 2^e, correctly rounded.
fn to_binary(int: &[u8], mut frac: Vec<u8>) -> (u64, i64) {
    let mut big: Vec<u32> = Vec::new();
    for &digit in int {
        let mut carry = digit as u64;
        for limb in big.iter_mut() {
            let v = *limb as u64 * 10 + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            big.push(carry as u32);
        }
    }
    // The top 96 bits of the integer part, the rest only as a sticky bit.
    let skip = big.len().saturating_sub(3);
    let mut acc = big[skip..].iter().rev().fold(0u128, |a, &l| a << 32 | l as u128);
    let mut exp = 32 * skip as i64;
    let mut sticky = big[..skip].iter().any(|&l| l != 0);
    if skip == 0 {
        // Fraction bits until there are 66 significant ones (64, a rounding bit, one more).
        while !frac.is_empty() && 128 - acc.leading_zeros() < 66 && exp > -17000 {
            let k = if acc == 0 { 32 } else { (66 - (128 - acc.leading_zeros())).min(32) };
            let mut carry = 0u64;
            for c in frac.iter_mut().rev() {
                let v = ((*c as u64) << k) + carry;
                *c = (v % 10) as u8;
                carry = v / 10;
            }
            while frac.last() == Some(&0) {
                frac.pop();
            }
            acc = acc << k | carry as u128;
            exp -= k as i64;
        }
    }
    sticky |= !frac.is_empty();
    round64(acc, exp, sticky)
}

/// `acc * 2^exp` (plus something below its last bit when `sticky`) rounded half to even
/// to 64 significant bits.
fn round64(acc: u128, mut exp: i64, sticky: bool) -> (u64, i64) {
    let bits = 128 - acc.leading_zeros();
    if bits <= 64 {
        return (acc as u64, exp);
    }
    let drop = bits - 64;
    let rem = acc & ((1 << drop) - 1);
    let half = 1u128 << (drop - 1);
    let mut m = (acc >> drop) as u64;
    exp += drop as i64;
    if rem > half || (rem == half && (sticky || m & 1 == 1)) {
        m = m.wrapping_add(1);
        if m == 0 {
            m = 1 << 63;
            exp += 1;
        }
    }
    (m, exp)
}

/// A finite non-negative number as its exact decimal expansion (digits 0-9, the point
/// after the first `int`, no leading zeros before it), which %f %e %g round half to even
/// as glibc does, without core::fmt's float code.
pub(super) struct Decimal {
    pub(super) d: Vec<u8>,
    pub(super) int: usize,
}

impl Decimal {
    /// The expansion of `m * 2^e`.
    pub(super) fn new(mut m: u64, mut e: i64) -> Decimal {
        if m != 0 {
            let z = m.trailing_zeros();
            m >>= z;
            e += z as i64;
        }
        let mut d = Vec::new();
        crate::common::num::push_u64(&mut d, m);
        d.iter_mut().for_each(|c| *c -= b'0');
        let mut x = Decimal { int: d.len(), d };
        while e > 0 {
            let k = e.min(32);
            let mut carry = 0u64;
            for c in x.d.iter_mut().rev() {
                let v = ((*c as u64) << k) + carry;
                *c = (v % 10) as u8;
                carry = v / 10;
            }
            while carry > 0 {
                x.d.insert(0, (carry % 10) as u8);
                x.int += 1;
                carry /= 10;
            }
            e -= k;
        }
        while e < 0 {
            let k = (-e).min(32);
            let mask = (1u64 << k) - 1;
            let mut rem = 0u64;
            for c in x.d.iter_mut() {
                let v = rem * 10 + *c as u64;
                *c = (v >> k) as u8;
                rem = v & mask;
            }
            while rem != 0 {
                let v = rem * 10;
                x.d.push((v >> k) as u8);
                rem = v & mask;
            }
            e += k;
        }
        let z = x.d[..x.int].iter().take_while(|&&c| c == 0).count();
        x.d.drain(..z);
        x.int -= z;
        x
    }

    /// Keeps the first `keep` digits, rounded half to even (zeros added when short).
    fn round(&mut self, keep: usize) {
        if keep >= self.d.len() {
            self.d.resize(keep, 0);
            return;
        }
        let up = match self.d[keep] {
            6..=9 => true,
            5 => self.d[keep + 1..].iter().any(|&c| c != 0) || (keep > 0 && self.d[keep - 1] % 2 == 1),
            _ => false,
        };
        self.d.truncate(keep);
        if up {
            for i in (0..=keep).rev() {
                if i == 0 {
                    self.d.insert(0, 1);
                    self.int += 1;
                } else if self.d[i - 1] == 9 {
                    self.d[i - 1] = 0;
                    continue;
                } else {
                    self.d[i - 1] += 1;
                }
                break;
            }
        }
    }

    /// Rounds to `n` significant digits; the power of ten of the first (None for zero).
    fn significant(&mut self, n: usize) -> Option<i64> {
        let f = self.d.iter().position(|&c| c != 0)?;
        self.round(f + n);
        let f = self.d.iter().position(|&c| c != 0).unwrap_or(0);
        Some(self.int as i64 - 1 - f as i64)
    }

    fn digits(b: &mut Vec<u8>, d: &[u8]) {
        b.extend(d.iter().map(|c| c + b'0'));
    }

    /// %f: `prec` decimals.
    pub(super) fn fixed(mut self, b: &mut Vec<u8>, prec: usize, alt: bool) {
        self.round(self.int + prec);
        if self.int == 0 {
            b.push(b'0');
        }
        Self::digits(b, &self.d[..self.int]);
        if prec > 0 || alt {
            b.push(b'.');
        }
        Self::digits(b, &self.d[self.int..]);
    }

    /// %e: `d.ddde+XX` with `prec` decimals.
    pub(super) fn exponent(mut self, b: &mut Vec<u8>, prec: usize, alt: bool) {
        let (x, first) = match self.significant(prec + 1) {
            Some(x) => (x, self.d.iter().position(|&c| c != 0).unwrap_or(0)),
            None => {
                self.d = alloc::vec![0; prec + 1];
                (0, 0)
            }
        };
        let d = &self.d[first..first + prec + 1];
        Self::digits(b, &d[..1]);
        if prec > 0 || alt {
            b.push(b'.');
        }
        Self::digits(b, &d[1..]);
        b.extend_from_slice(if x < 0 { b"e-" } else { b"e+" });
        if x.unsigned_abs() < 10 {
            b.push(b'0');
        }
        crate::common::num::push_u64(b, x.unsigned_abs());
    }

    /// %g: %e when the exponent is below -4 or not below the precision, else %f; trailing
    /// zeros removed unless `alt`.
    pub(super) fn general(self, b: &mut Vec<u8>, prec: usize, alt: bool) {
        let p = prec.max(1);
        let mut t = Decimal { d: self.d.clone(), int: self.int };
        let x = t.significant(p).unwrap_or(0);
        let start = b.len();
        if x < -4 || x >= p as i64 {
            self.exponent(b, p - 1, alt);
        } else {
            self.fixed(b, (p as i64 - 1 - x) as usize, alt);
        }
        if !alt {
            let end = b[start..].iter().position(|&c| c == b'e').map_or(b.len(), |e| start + e);
            if b[start..end].contains(&b'.') {
                let mut keep = end;
                while b[keep - 1] == b'0' {
                    keep -= 1;
                }
                if b[keep - 1] == b'.' {
                    keep -= 1;
                }
                b.drain(keep..end);
            }
        }
    }
}

/// `a` as %a after the "0x", the way glibc prints an x86 long double (GNU printf's type):
/// the first hex digit holds the top four bits of a 64-bit mantissa, as in `0x8p-3` for 1.
pub(super) fn hex(b: &mut Vec<u8>, mut m: u64, mut e: i64, prec: Option<usize>, alt: bool) {
    if m != 0 {
        let z = m.leading_zeros();
        m <<= z;
        e -= z as i64;
    }
    // Now a = m * 2^e with the top bit of m set (or m = 0): print m's top nibble, a point
    // and the other 60 bits, rounded half to even when a precision asks for fewer digits.
    let mut exp = if m == 0 { 0 } else { e + 60 };
    let mut frac = m << 4;
    let mut n = 15;
    let mut lead = m >> 60;
    if let Some(p) = prec.filter(|&p| p < 15) {
        let bits = 4 * p as u32;
        let drop = 60 - bits;
        let mut kept = m >> drop;
        let rem = m & ((1 << drop) - 1);
        let half = 1 << (drop - 1);
        if rem > half || (rem == half && kept & 1 == 1) {
            kept += 1;
        }
        if kept >> bits == 16 {
            kept = 1 << bits;
            exp += 4;
        }
        lead = kept >> bits;
        frac = kept.checked_shl(64 - bits).unwrap_or(0);
        n = p;
    } else if prec.is_none() {
        while n > 0 && (frac >> (64 - 4 * n)) & 0xf == 0 {
            n -= 1;
        }
    }
    b.push(HEX[lead as usize & 0xf]);
    let want = prec.unwrap_or(n);
    if want > 0 || alt {
        b.push(b'.');
    }
    for i in 0..want {
        b.push(if i < n { HEX[(frac >> (60 - 4 * i)) as usize & 0xf] } else { b'0' });
    }
    b.extend_from_slice(if exp < 0 { b"p-" } else { b"p+" });
    crate::common::num::push_u64(b, exp.unsigned_abs());
}

pub(super) const HEX: &[u8; 16] = b"0123456789abcdef";

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use alloc::string::String;

    /// Random doubles of every magnitude (and subnormals) from a fixed-seed generator.
    fn doubles() -> impl Iterator<Item = f64> {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        core::iter::repeat_with(move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            f64::from_bits(x & !(1 << 63))
        })
        .filter(|v| v.is_finite())
        .take(3000)
    }

    /// A double as m * 2^e.
    fn parts(v: f64) -> (u64, i64) {
        let bits = v.to_bits();
        let frac = bits & ((1 << 52) - 1);
        match (bits >> 52) as i64 & 0x7ff {
            0 => (frac, -1074),
            x => (frac | 1 << 52, x - 1075),
        }
    }

    /// m * 2^e with the top bit of m set (zero as (0, 0)).
    fn norm((m, e): (u64, i64)) -> (u64, i64) {
        if m == 0 {
            return (0, 0);
        }
        let z = m.leading_zeros();
        (m << z, e - z as i64)
    }

    fn parsed(t: &str) -> (u64, i64) {
        match scan_float(t.as_bytes()) {
            Some((Float { kind: Kind::Finite(m, e), .. }, n, _)) if n == t.len() => norm((m, e)),
            other => panic!("{t}: {other:?}"),
        }
    }

    /// The exact decimal expansion of m * 2^e.
    fn exact(m: u64, e: i64) -> String {
        let x = Decimal::new(m, e);
        let decimals = x.d.len() - x.int;
        let mut b = Vec::new();
        x.fixed(&mut b, decimals, false);
        String::from_utf8(b).unwrap()
    }

    #[test]
    fn decimal_formatting_matches_exact_rounding_of_core_fmt() {
        for (i, v) in
            doubles().chain([0.5, 1.5, 2.5, 0.125, 9.5, 0.0, 5e-324, f64::MAX, 1e22, 0.1]).enumerate()
        {
            let p = i % 20;
            let (m, e) = parts(v);
            let mut b = Vec::new();
            Decimal::new(m, e).fixed(&mut b, p, false);
            assert_eq!(String::from_utf8(b).unwrap(), format!("{v:.p$}"));
            let mut b = Vec::new();
            Decimal::new(m, e).exponent(&mut b, p, false);
            let core = format!("{v:.p$e}");
            let (mant, x) = core.split_once('e').unwrap();
            let x: i32 = x.parse().unwrap();
            let sign = if x < 0 { '-' } else { '+' };
            assert_eq!(String::from_utf8(b).unwrap(), format!("{mant}e{sign}{:02}", x.abs()), "{v:e} {p}");
        }
    }

    #[test]
    fn decimal_parsing_rounds_correctly_to_64_bits_as_strtold() {
        // Exact expansions of 64-bit values come back exactly, tiny and huge ones too.
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for i in 0..45 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let m = x | 1 << 63;
            let e = [(i % 300) as i64 - 200, -16400 + i as i64, 16200 + i as i64][i % 3];
            assert_eq!(parsed(&exact(m, e)), (m, e), "{m:x} {e}");
        }
        assert_eq!(parsed("0.1"), (0xcccc_cccc_cccc_cccd, -67));
        assert_eq!(parsed("3.14159"), norm((0xc90f_cf80_dc33_721d, -62)));
        // Halfway cases go to even; anything beyond half goes up.
        assert_eq!(parsed("18446744073709551617"), (1 << 63, 1));
        assert_eq!(parsed("18446744073709551619"), ((1 << 63) + 2, 1));
        assert_eq!(parsed("18446744073709551617.000001"), ((1 << 63) + 1, 1));
        assert_eq!(parsed("1e-4940").1, -16474);
        assert_eq!(scan_float(b"1e5000").map(|(v, _, r)| (v.kind, r)), Some((Kind::Inf, true)));
        assert_eq!(scan_float(b"1e-5000").map(|(v, _, r)| (v.kind, r)), Some((Kind::Finite(0, 0), true)));
        assert_eq!(parsed("0x1.8p1"), norm((3, 0)));
        assert_eq!(parsed("0x.8"), (1 << 63, -64));
        assert_eq!(scan_float(b"-0x10").map(|(v, n, _)| (v.neg, n)), Some((true, 5)));
        assert_eq!(scan_float(b"0xg").map(|(v, n, _)| (v.kind, n)), Some((Kind::Finite(0, 0), 1)));
        assert_eq!(scan_float(b"1e+").map(|(_, n, _)| n), Some(1));
        assert_eq!(scan_float(b"INFINITY").map(|(v, n, _)| (v.kind, n)), Some((Kind::Inf, 8)));
        assert_eq!(scan_float(b"nan(12)x").map(|(v, n, _)| (v.kind, n)), Some((Kind::Nan, 7)));
        assert_eq!(scan_float(b"e5"), None);
        assert_eq!(scan_float(b"."), None);
    }
}
