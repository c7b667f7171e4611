//! Shell arithmetic (POSIX XCU 2.6.4): the C operators on the shell's 64-bit signed integers,
//! with assignment operators, `++`/`--`, `**`, `?:`, and constants in decimal, octal (`0`),
//! hexadecimal (`0x`) and `base#digits`. Overflow wraps; division by zero is an error.
use alloc::vec::Vec;

use super::lexer::{is_name_char, is_name_start};

/// Where arithmetic reads and writes variables.
pub trait Vars {
    fn get(&mut self, name: &[u8]) -> Option<Vec<u8>>;
    /// A fast path: `Some(Some(n))` when the value is a plain number, `Some(None)` when it
    /// is unset or not a plain number (then `get` is asked), `None` to always ask `get`.
    fn number(&mut self, _name: &[u8]) -> Option<Option<i64>> {
        None
    }
    fn set(&mut self, name: &[u8], value: i64) -> Result<(), &'static str>;
}

type R = Result<i64, &'static str>;

/// Evaluates `s`.
pub fn eval(s: &[u8], vars: &mut dyn Vars) -> R {
    eval_depth(s, vars, 0)
}

fn eval_depth(s: &[u8], vars: &mut dyn Vars, depth: u32) -> R {
    let mut a = Arith { s, p: 0, vars, skip: 0, depth };
    a.ws();
    if a.p >= s.len() {
        return Ok(0);
    }
    let v = a.comma()?;
    a.ws();
    if a.p < s.len() {
        return Err("arithmetic syntax error");
    }
    Ok(v)
}

/// Parses a whole string as an integer constant (leading/trailing blanks allowed).
pub fn parse_number(s: &[u8]) -> Option<i64> {
    let t = trim(s);
    let (neg, t) = match t {
        [b'-', r @ ..] => (true, r),
        [b'+', r @ ..] => (false, r),
        _ => (false, t),
    };
    let (v, used) = number(t)?;
    if used != t.len() {
        return None;
    }
    Some(if neg { v.wrapping_neg() } else { v })
}

fn trim(s: &[u8]) -> &[u8] {
    let is_ws = |c: &u8| matches!(c, b' ' | b'\t' | b'\n');
    let start = s.iter().position(|c| !is_ws(c)).unwrap_or(s.len());
    let end = s.iter().rposition(|c| !is_ws(c)).map_or(start, |e| e + 1);
    &s[start..end.max(start)]
}

/// A constant at the start of `s`: its value and length.
fn number(s: &[u8]) -> Option<(i64, usize)> {
    // Plain decimal (the usual case) without the scan for a base.
    if s.first().is_some_and(|c| (b'1'..=b'9').contains(c)) {
        let mut v: i64 = 0;
        let mut n = 0;
        while let Some(&c) = s.get(n).filter(|c| c.is_ascii_digit()) {
            v = v.wrapping_mul(10).wrapping_add((c - b'0') as i64);
            n += 1;
        }
        if !s.get(n).is_some_and(|&c| c.is_ascii_alphanumeric() || matches!(c, b'#' | b'@' | b'_')) {
            return Some((v, n));
        }
    }
    let digits =
        s.iter().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'#' | b'@' | b'_')).count();
    let t = &s[..digits];
    if !t.first()?.is_ascii_digit() {
        return None;
    }
    let (base, body) = if let Some(h) = t.iter().position(|&c| c == b'#') {
        let b = t[..h].iter().try_fold(0u32, |a, &c| {
            if c.is_ascii_digit() {
                Some(a.saturating_mul(10).saturating_add((c - b'0') as u32))
            } else {
                None
            }
        })?;
        if !(2..=64).contains(&b) {
            return None;
        }
        (b, &t[h + 1..])
    } else if t.len() > 1 && t[0] == b'0' && (t[1] == b'x' || t[1] == b'X') {
        (16, &t[2..])
    } else if t.len() > 1 && t[0] == b'0' {
        (8, &t[1..])
    } else {
        (10, t)
    };
    if body.is_empty() {
        return None;
    }
    let mut v: i64 = 0;
    for &c in body {
        let d = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'z' => c - b'a' + 10,
            b'A'..=b'Z' if base <= 36 => c - b'A' + 10,
            b'A'..=b'Z' => c - b'A' + 36,
            b'@' => 62,
            b'_' => 63,
            _ => return None,
        } as u32;
        if d >= base {
            return None;
        }
        v = v.wrapping_mul(base as i64).wrapping_add(d as i64);
    }
    Some((v, digits))
}

struct Arith<'a> {
    s: &'a [u8],
    p: usize,
    vars: &'a mut dyn Vars,
    /// Inside the branch not taken of `&&`, `||`, `?:`: evaluate without side effects.
    skip: u32,
    depth: u32,
}

/// An operator as its one or two bytes (the second 0 for a one-byte operator).
type Op = [u8; 2];

/// The binary operator at the start of `s` and its precedence (higher binds tighter).
fn binop_at(s: &[u8]) -> Option<(Op, u8)> {
    let c = *s.first()?;
    let d = s.get(1).copied().unwrap_or(0);
    let prec = match [c, d] {
        [b'|', b'|'] => 1,
        [b'&', b'&'] => 2,
        [b'=' | b'!', b'='] => 6,
        [b'<' | b'>', b'='] => 7,
        [b'<', b'<'] | [b'>', b'>'] => 8,
        [b'*', b'*'] => 11,
        _ => {
            let prec = match c {
                b'|' => 3,
                b'^' => 4,
                b'&' => 5,
                b'<' | b'>' => 7,
                b'+' | b'-' => 9,
                b'*' | b'/' | b'%' => 10,
                _ => return None,
            };
            return Some(([c, 0], prec));
        }
    };
    Some(([c, d], prec))
}

/// The assignment operator at the start of `s`: the operator it applies (`=` for plain
/// assignment) and its length.
fn assignop_at(s: &[u8]) -> Option<(Op, usize)> {
    match s {
        [c @ (b'<' | b'>'), d, b'=', ..] if c == d => Some(([*c, *c], 3)),
        [c @ (b'*' | b'/' | b'%' | b'+' | b'-' | b'&' | b'^' | b'|'), b'=', ..] => Some(([*c, 0], 2)),
        [b'=', rest @ ..] if rest.first() != Some(&b'=') => Some(([b'=', 0], 1)),
        _ => None,
    }
}

fn op_len(op: Op) -> usize {
    1 + (op[1] != 0) as usize
}

impl Arith<'_> {
    fn ws(&mut self) {
        while matches!(self.s.get(self.p), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.p += 1;
        }
    }

    fn rest(&self) -> &[u8] {
        &self.s[self.p.min(self.s.len())..]
    }

    fn at(&self, c: u8) -> bool {
        self.s.get(self.p) == Some(&c)
    }

    /// `++` or `--` here: +1 or -1.
    fn incdec(&self) -> Option<i64> {
        match self.rest() {
            [b'+', b'+', ..] => Some(1),
            [b'-', b'-', ..] => Some(-1),
            _ => None,
        }
    }

    fn comma(&mut self) -> R {
        let mut v = self.assign()?;
        loop {
            self.ws();
            if !self.at(b',') {
                return Ok(v);
            }
            self.p += 1;
            v = self.assign()?;
        }
    }

    fn name_here(&self) -> Option<usize> {
        let s = &self.s[self.p.min(self.s.len())..];
        if !s.first().is_some_and(|&c| is_name_start(c)) {
            return None;
        }
        Some(s.iter().take_while(|&&c| is_name_char(c)).count())
    }

    fn assign(&mut self) -> R {
        self.depth += 1;
        if self.depth > 200 {
            return Err("expression nested too deeply");
        }
        let r = self.assign_inner();
        self.depth -= 1;
        r
    }

    fn assign_inner(&mut self) -> R {
        self.ws();
        if let Some(n) = self.name_here() {
            let save = self.p;
            let name = &self.s[self.p..self.p + n];
            self.p += n;
            self.ws();
            if let Some((op, n)) = assignop_at(self.rest()) {
                self.p += n;
                let r = self.assign()?;
                let v = if op == [b'=', 0] {
                    r
                } else {
                    let l = self.var(name)?;
                    self.apply(op, l, r)?
                };
                if self.skip == 0 {
                    self.vars.set(name, v)?;
                }
                return Ok(v);
            }
            self.p = save;
        }
        let c = self.binary(1)?;
        self.ws();
        if !self.at(b'?') {
            return Ok(c);
        }
        self.p += 1;
        if c == 0 {
            self.skip += 1;
        }
        let a = self.assign()?;
        if c == 0 {
            self.skip -= 1;
        }
        self.ws();
        if !self.at(b':') {
            return Err("expecting ':'");
        }
        self.p += 1;
        if c != 0 {
            self.skip += 1;
        }
        let b = self.assign()?;
        if c != 0 {
            self.skip -= 1;
        }
        Ok(if c != 0 { a } else { b })
    }

    fn binop(&mut self) -> Option<(Op, u8)> {
        self.ws();
        let (op, prec) = binop_at(self.rest())?;
        // `a += 1` inside a larger expression is not a binary `+`.
        let after = self.s.get(self.p + op_len(op));
        if after == Some(&b'=') && !matches!(op, [b'=' | b'!' | b'<' | b'>', b'='] | [b'<' | b'>', 0]) {
            return None;
        }
        Some((op, prec))
    }

    fn binary(&mut self, min: u8) -> R {
        let mut l = self.unary()?;
        while let Some((op, prec)) = self.binop() {
            if prec < min {
                break;
            }
            self.p += op_len(op);
            let short = (op == *b"&&" && l == 0) || (op == *b"||" && l != 0);
            if short {
                self.skip += 1;
            }
            let r = if op == *b"**" { self.binary(prec) } else { self.binary(prec + 1) };
            if short {
                self.skip -= 1;
            }
            let r = r?;
            l = self.apply(op, l, r)?;
        }
        Ok(l)
    }

    fn apply(&self, op: Op, l: i64, r: i64) -> R {
        Ok(match op {
            [b'|', b'|'] => (l != 0 || r != 0) as i64,
            [b'&', b'&'] => (l != 0 && r != 0) as i64,
            [b'|', 0] => l | r,
            [b'^', 0] => l ^ r,
            [b'&', 0] => l & r,
            [b'=', b'='] => (l == r) as i64,
            [b'!', b'='] => (l != r) as i64,
            [b'<', 0] => (l < r) as i64,
            [b'<', b'='] => (l <= r) as i64,
            [b'>', 0] => (l > r) as i64,
            [b'>', b'='] => (l >= r) as i64,
            [b'<', b'<'] => l.wrapping_shl(r as u32),
            [b'>', b'>'] => l.wrapping_shr(r as u32),
            [b'+', 0] => l.wrapping_add(r),
            [b'-', 0] => l.wrapping_sub(r),
            [b'*', 0] => l.wrapping_mul(r),
            [b'/' | b'%', 0] if r == 0 => {
                if self.skip > 0 {
                    0
                } else {
                    return Err("division by zero");
                }
            }
            [b'/', 0] => l.wrapping_div(r),
            [b'%', 0] => l.wrapping_rem(r),
            _ => {
                if r < 0 {
                    return Err("exponent less than 0");
                }
                let (mut base, mut e, mut acc) = (l, r as u64, 1i64);
                while e > 0 {
                    if e & 1 == 1 {
                        acc = acc.wrapping_mul(base);
                    }
                    base = base.wrapping_mul(base);
                    e >>= 1;
                }
                acc
            }
        })
    }

    fn var(&mut self, name: &[u8]) -> R {
        if let Some(Some(n)) = self.vars.number(name) {
            return Ok(n);
        }
        let Some(v) = self.vars.get(name) else { return Ok(0) };
        if let Some(n) = parse_number(&v) {
            return Ok(n);
        }
        if trim(&v).is_empty() {
            return Ok(0);
        }
        if self.depth > 32 {
            return Err("expression recursion level exceeded");
        }
        eval_depth(&v, self.vars, self.depth + 8)
    }

    fn unary(&mut self) -> R {
        self.depth += 1;
        if self.depth > 200 {
            return Err("expression nested too deeply");
        }
        let r = self.unary_inner();
        self.depth -= 1;
        r
    }

    fn unary_inner(&mut self) -> R {
        self.ws();
        let Some(&c) = self.s.get(self.p) else { return Err("arithmetic syntax error") };
        if let Some(d) = self.incdec() {
            self.p += 2;
            self.ws();
            let n = self.name_here().ok_or("arithmetic syntax error")?;
            let name = &self.s[self.p..self.p + n];
            self.p += n;
            let v = self.var(name)?.wrapping_add(d);
            if self.skip == 0 {
                self.vars.set(name, v)?;
            }
            return Ok(v);
        }
        match c {
            b'+' | b'-' | b'!' | b'~' => {
                self.p += 1;
                let v = self.unary()?;
                return Ok(match c {
                    b'+' => v,
                    b'-' => v.wrapping_neg(),
                    b'!' => (v == 0) as i64,
                    _ => !v,
                });
            }
            b'(' => {
                self.p += 1;
                let v = self.comma()?;
                self.ws();
                if !self.at(b')') {
                    return Err("expecting ')'");
                }
                self.p += 1;
                return Ok(v);
            }
            _ => {}
        }
        if c.is_ascii_digit() {
            let (v, n) = number(&self.s[self.p..]).ok_or("invalid number")?;
            self.p += n;
            return Ok(v);
        }
        let n = self.name_here().ok_or("arithmetic syntax error")?;
        let name = &self.s[self.p..self.p + n];
        self.p += n;
        let v = self.var(name)?;
        self.ws();
        if let Some(d) = self.incdec() {
            self.p += 2;
            if self.skip == 0 {
                self.vars.set(name, v.wrapping_add(d))?;
            }
        }
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct M(HashMap<Vec<u8>, Vec<u8>>);
    impl Vars for M {
        fn get(&mut self, n: &[u8]) -> Option<Vec<u8>> {
            self.0.get(n).cloned()
        }
        fn set(&mut self, n: &[u8], v: i64) -> Result<(), &'static str> {
            self.0.insert(n.to_vec(), v.to_string().into_bytes());
            Ok(())
        }
    }

    fn ev(s: &str) -> R {
        let mut m = M(HashMap::new());
        m.0.insert(b"x".to_vec(), b"5".to_vec());
        m.0.insert(b"e".to_vec(), b"x*2".to_vec());
        eval(s.as_bytes(), &mut m)
    }

    #[test]
    fn evaluates_c_operators_with_precedence() {
        assert_eq!(ev("1+2*3"), Ok(7));
        assert_eq!(ev("(1+2)*3"), Ok(9));
        assert_eq!(ev("7/2 + 7%2"), Ok(4));
        assert_eq!(ev("1<<4 | 1"), Ok(17));
        assert_eq!(ev("!0 && ~0 == -1"), Ok(1));
        assert_eq!(ev("2**10"), Ok(1024));
        assert_eq!(ev("2**3**2"), Ok(512));
        assert_eq!(ev("x > 3 ? 10 : 20"), Ok(10));
        assert_eq!(ev("0x1f + 010 + 2#101"), Ok(31 + 8 + 5));
        assert_eq!(ev("-x"), Ok(-5));
        assert_eq!(ev("e + 1"), Ok(11));
        assert_eq!(ev(""), Ok(0));
        assert_eq!(ev("1, 2"), Ok(2));
        assert_eq!(ev("9223372036854775807 + 1"), Ok(i64::MIN));
        assert_eq!(ev("5 >= 5"), Ok(1));
        assert_eq!(ev("1 != 2"), Ok(1));
        assert_eq!(ev("4 <= 3"), Ok(0));
        assert_eq!(ev("6 & 3 | 8 ^ 1"), Ok(11));
        assert_eq!(ev("-7 / 2 + -7 % 3"), Ok(-4));
        assert_eq!(ev("3 > 2 && 0 || 4 < 5"), Ok(1));
        assert_eq!(ev("1 << 3 >> 1"), Ok(4));
        assert!(ev("1 = 2").is_err());
        assert_eq!(ev("10#19 + 1_0"), Err("invalid number"));
        assert_eq!(ev("16#ff + 0x10 + 017 + 0 + 9"), Ok(255 + 16 + 15 + 9));
        assert!(ev("12ab").is_err());
    }

    #[test]
    fn assigns_and_increments() {
        let mut m = M(HashMap::new());
        assert_eq!(eval(b"a = 3, a += 4, a *= 2", &mut m), Ok(14));
        assert_eq!(eval(b"a++ + ++a", &mut m), Ok(14 + 16));
        assert_eq!(eval(b"b = a-- , a", &mut m), Ok(15));
        assert_eq!(eval(b"0 && (c = 1)", &mut m), Ok(0));
        assert!(!m.0.contains_key(&b"c"[..]));
        assert_eq!(eval(b"a <<= 1", &mut m), Ok(30));
        assert_eq!(
            eval(b"a = 3, a |= 4, a ^= 1, a &= 6, a -= 1, a %= 4, a *= 5, a >>= 1, a /= 2", &mut m),
            Ok(1)
        );
    }

    #[test]
    fn reports_errors() {
        assert_eq!(ev("1/0"), Err("division by zero"));
        assert_eq!(ev("0 && 1/0"), Ok(0));
        assert!(ev("1 +").is_err());
        assert!(ev("(1").is_err());
        assert!(ev("1 2").is_err());
        assert!(ev("08").is_err());
        assert!(ev(&"(".repeat(5000)).is_err());
        assert_eq!(ev(&format!("{}1", "- ".repeat(100))), Ok(1));
    }
}
