//! Parsing numbers and sizes, and printing sizes for people (`ls -h`, `df -h`).
use alloc::vec::Vec;

/// A non-negative decimal number (no sign, no suffix).
pub fn parse_u64(s: &[u8]) -> Option<u64> {
    if s.is_empty() {
        return None;
    }
    let mut n: u64 = 0;
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n.checked_mul(10)?.checked_add((c - b'0') as u64)?;
    }
    Some(n)
}

/// A decimal number with an optional sign; surrounding blanks are allowed as strtol does.
pub fn parse_i64(s: &[u8]) -> Option<i64> {
    let s = trim(s);
    let (neg, digits) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let n = parse_u64(digits)?;
    if neg {
        if n == 1u64 << 63 {
            Some(i64::MIN)
        } else {
            i64::try_from(n).ok().map(|v| -v)
        }
    } else {
        i64::try_from(n).ok()
    }
}

fn trim(s: &[u8]) -> &[u8] {
    let start = s.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(s.len());
    let end = s.iter().rposition(|c| !c.is_ascii_whitespace()).map_or(start, |e| e + 1);
    &s[start..end]
}

/// The multiplier of a size suffix as GNU head/tail/dd spell them: `b` 512, `K`/`k`/`KiB`
/// 1024, `kB` 1000, and so on up to E; `None` for an unknown suffix.
pub fn suffix_multiplier(suf: &[u8]) -> Option<u64> {
    if suf.is_empty() {
        return Some(1);
    }
    if suf == b"b" {
        return Some(512);
    }
    if suf == b"c" {
        return Some(1);
    }
    if suf == b"w" {
        return Some(2);
    }
    let power = match suf[0].to_ascii_uppercase() {
        b'K' => 1,
        b'M' => 2,
        b'G' => 3,
        b'T' => 4,
        b'P' => 5,
        b'E' => 6,
        _ => return None,
    };
    let base: u64 = match &suf[1..] {
        b"" | b"iB" => 1024,
        b"B" => 1000,
        _ => return None,
    };
    base.checked_pow(power)
}

/// A size such as `10`, `5k`, `2M`, `1b`, `3kB`.
pub fn parse_size(s: &[u8]) -> Option<u64> {
    let digits = s.iter().take_while(|c| c.is_ascii_digit()).count();
    let n = parse_u64(&s[..digits])?;
    n.checked_mul(suffix_multiplier(&s[digits..])?)
}

/// A duration for `sleep`: a decimal with an optional fraction and an `s`/`m`/`h`/`d`
/// suffix, in nanoseconds (saturating).
pub fn parse_duration(s: &[u8]) -> Option<u128> {
    let (num, mult): (&[u8], u128) = match s.last() {
        Some(b's') => (&s[..s.len() - 1], 1),
        Some(b'm') => (&s[..s.len() - 1], 60),
        Some(b'h') => (&s[..s.len() - 1], 3600),
        Some(b'd') => (&s[..s.len() - 1], 86400),
        _ => (s, 1),
    };
    let (int, frac) = match num.iter().position(|&c| c == b'.') {
        Some(p) => (&num[..p], &num[p + 1..]),
        None => (num, &b""[..]),
    };
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    let whole = if int.is_empty() { 0 } else { parse_u64(int)? as u128 };
    let mut nanos: u128 = 0;
    let mut scale: u128 = 100_000_000;
    for &c in frac {
        if !c.is_ascii_digit() {
            return None;
        }
        nanos += (c - b'0') as u128 * scale;
        scale /= 10;
    }
    Some((whole * 1_000_000_000 + nanos).saturating_mul(mult))
}

/// A size for people, as GNU's `-h`: powers of 1024, one decimal below 10, rounded up
/// (`1023`, `1.0K`, `1.5M`, `12G`).
pub fn human(n: u64) -> Vec<u8> {
    const UNITS: &[u8] = b"KMGTPE";
    let mut out = Vec::new();
    if n < 1024 {
        push_u64(&mut out, n);
        return out;
    }
    let n = n as u128;
    let mut div: u128 = 1024;
    for &unit in UNITS {
        let tenths = (n * 10).div_ceil(div);
        if tenths < 100 {
            push_u64(&mut out, (tenths / 10) as u64);
            out.push(b'.');
            out.push(b'0' + (tenths % 10) as u8);
            out.push(unit);
            return out;
        }
        let whole = n.div_ceil(div);
        if whole < 1024 || unit == b'E' {
            push_u64(&mut out, whole as u64);
            out.push(unit);
            return out;
        }
        div *= 1024;
    }
    out
}

/// Appends `n` in decimal.
pub fn push_u64(v: &mut Vec<u8>, n: u64) {
    let mut b = [0u8; 20];
    v.extend_from_slice(crate::common::out::fmt_u64(n, &mut b));
}

/// Appends `n` in decimal with a sign.
pub fn push_i64(v: &mut Vec<u8>, n: i64) {
    if n < 0 {
        v.push(b'-');
    }
    push_u64(v, n.unsigned_abs());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_with_suffixes() {
        assert_eq!(parse_size(b"10"), Some(10));
        assert_eq!(parse_size(b"2b"), Some(1024));
        assert_eq!(parse_size(b"5k"), Some(5120));
        assert_eq!(parse_size(b"5K"), Some(5120));
        assert_eq!(parse_size(b"3kB"), Some(3000));
        assert_eq!(parse_size(b"1M"), Some(1 << 20));
        assert_eq!(parse_size(b"1MiB"), Some(1 << 20));
        assert_eq!(parse_size(b"1G"), Some(1 << 30));
        assert_eq!(parse_size(b"1x"), None);
        assert_eq!(parse_size(b""), None);
        assert_eq!(parse_size(b"99999999999999999999"), None);
    }

    #[test]
    fn signed_numbers() {
        assert_eq!(parse_i64(b"-5"), Some(-5));
        assert_eq!(parse_i64(b" 42 "), Some(42));
        assert_eq!(parse_i64(b"-9223372036854775808"), Some(i64::MIN));
        assert_eq!(parse_i64(b"9223372036854775808"), None);
        assert_eq!(parse_i64(b"4x"), None);
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration(b"1"), Some(1_000_000_000));
        assert_eq!(parse_duration(b"0.25"), Some(250_000_000));
        assert_eq!(parse_duration(b".5s"), Some(500_000_000));
        assert_eq!(parse_duration(b"2m"), Some(120_000_000_000));
        assert_eq!(parse_duration(b"1d"), Some(86_400_000_000_000));
        assert_eq!(parse_duration(b"x"), None);
        assert_eq!(parse_duration(b"."), None);
    }

    #[test]
    fn human_sizes_round_up_like_gnu() {
        assert_eq!(human(0), b"0");
        assert_eq!(human(1023), b"1023");
        assert_eq!(human(1024), b"1.0K");
        assert_eq!(human(1025), b"1.1K");
        assert_eq!(human(10 * 1024), b"10K");
        assert_eq!(human(10 * 1024 + 1), b"11K");
        assert_eq!(human(1536 * 1024), b"1.5M");
        assert_eq!(human(1024 * 1024 - 1), b"1.0M");
    }
}
