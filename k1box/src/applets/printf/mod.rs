//! printf — format and print data (POSIX; GNU's escapes `\u` `\U`, %b's `\NNN`, %a).
//!
//! The format is reused while arguments remain; missing arguments are empty strings or
//! zero. Numbers take C syntax (`0x1f`, `017`, `-5`) or a character constant (`'c`, `"c`,
//! its byte value). A bad number is reported (`printf: 'x': expected a numeric value`), used
//! as far as it parsed, and makes the exit status 1; a bad conversion ends printf.
//! Flags are checked per conversion as GNU does, except that %b takes `-`, a width and a
//! precision as POSIX allows. Floating point is GNU's x86 long double, emulated without
//! floating-point instructions: decimal input correctly rounded to a 64-bit mantissa, and
//! output as the exact decimal expansion rounded half to even, so every digit matches GNU's.
//! Also the shell's builtin: [`printf`].
//!
//! Here: the driver, conversions, and integer and string formatting; `float.rs`: reading
//! and printing floating-point numbers.
mod float;

use alloc::vec::Vec;

use crate::common::escape::{self, Style};
use crate::common::{Cx, Opt, Out};
use float::{hex, scan_float, Decimal, Float, Kind, HEX};

const USAGE: &str = "\
Usage: printf FORMAT [ARGUMENT]...

Print ARGUMENTs according to FORMAT, reusing FORMAT while ARGUMENTs remain.

FORMAT is copied to standard output with these escapes: \\\\ \\a \\b \\c (stop) \\e \\f
\\n \\r \\t \\v \\NNN (octal) \\xHH \\uHHHH \\UHHHHHHHH, and conversions
%[flags][width][.precision]C with flags - + space # 0 ', width and precision as
digits or * (taken from the next ARGUMENT), and C one of:
  d i        signed decimal         o u x X  unsigned octal, decimal, hex
  f F e E    floating point         g G      %f or %e, whichever is shorter
  a A        hexadecimal floating point
  c          first byte             s        string
  b          string with escapes (\\0NNN octal, \\c stops all output)
  %%         a percent sign
Numeric ARGUMENTs may be C constants (0x1f, 017) or 'c for the value of character c.
";

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let mut a: Vec<&[u8]> = args.iter().map(|a| a.as_slice()).collect();
    match a.as_slice() {
        [b"--help"] => return cx.opt_exit(Ok(Opt::Help), USAGE, 0),
        [b"--version"] => return cx.opt_exit(Ok(Opt::Version), USAGE, 0),
        [b"--", ..] => {
            a.remove(0);
        }
        _ => {}
    }
    if a.is_empty() {
        return cx.usage_error("missing operand", USAGE, 1);
    }
    printf(cx, &a)
}

/// Runs `printf FORMAT [ARG]...` (`args[0]` is the format) as the applet and the shell's
/// builtin do: output to `cx.out`, messages to `cx.err`. Returns the exit status.
pub fn printf(cx: &mut Cx, args: &[&[u8]]) -> i32 {
    let Some((fmt, rest)) = args.split_first() else {
        return cx.usage_error("missing operand", USAGE, 1);
    };
    let Cx { name, out, err, .. } = cx;
    let mut p = Printf::new(rest, Some(out));
    let mut warn = |m: &[u8]| {
        for part in [name.as_bytes(), b": ", m, b"\n"] {
            err.put(part);
        }
        let _ = err.flush();
        err.reset();
    };
    loop {
        let start = p.next;
        let go_on = p.once(fmt);
        p.spill();
        for m in p.msgs.drain(..) {
            warn(&m);
        }
        if !go_on || p.failed() {
            return p.status;
        }
        if p.next == start || p.next >= rest.len() {
            break;
        }
    }
    if let Some(extra) = rest.get(p.next) {
        let mut m = b"warning: ignoring excess arguments, starting with ".to_vec();
        quote(&mut m, extra);
        warn(&m);
    }
    p.status
}

const MINUS: u8 = 1;
const PLUS: u8 = 2;
const SPACE: u8 = 4;
const ALT: u8 = 8;
const ZERO: u8 = 16;
const GROUP: u8 = 32;

/// One conversion's flags, field width and precision.
#[derive(Clone, Copy, Default, Debug)]
struct Spec {
    flags: u8,
    width: usize,
    prec: Option<usize>,
}

impl Spec {
    fn has(&self, f: u8) -> bool {
        self.flags & f != 0
    }
}

/// What was wrong with a numeric argument.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Problem {
    None,
    /// A character constant with more after the character (a warning).
    Ignored,
    /// An error, GNU's wording.
    Bad(&'static str),
}

const NOT_NUMBER: Problem = Problem::Bad("expected a numeric value");
const PARTIAL: Problem = Problem::Bad("value not completely converted");
const RANGE: Problem = Problem::Bad("Numerical result out of range");

/// The formatter: arguments, output not yet handed to `sink` (all of it without one), and
/// messages for stderr.
struct Printf<'a, 'o> {
    args: &'a [&'a [u8]],
    next: usize,
    out: Vec<u8>,
    sink: Option<&'o mut Out>,
    msgs: Vec<Vec<u8>>,
    status: i32,
}

impl<'a, 'o> Printf<'a, 'o> {
    fn new(args: &'a [&'a [u8]], sink: Option<&'o mut Out>) -> Self {
        Printf { args, next: 0, out: Vec::new(), sink, msgs: Vec::new(), status: 0 }
    }

    /// Hands the output so far to the sink.
    fn spill(&mut self) {
        if let Some(o) = self.sink.as_deref_mut() {
            o.put(&self.out);
            self.out.clear();
        }
    }

    /// True once the sink failed (stop producing output).
    fn failed(&self) -> bool {
        self.sink.as_ref().is_some_and(|o| o.failed())
    }

    /// Runs the format once; false when output must stop (`\c`, a bad conversion).
    fn once(&mut self, fmt: &[u8]) -> bool {
        let mut i = 0;
        while i < fmt.len() {
            if fmt[i] != b'%' {
                let start = i;
                while i < fmt.len() && fmt[i] != b'%' {
                    i += if fmt[i] == b'\\' { 2 } else { 1 };
                }
                i = i.min(fmt.len());
                let mut out = core::mem::take(&mut self.out);
                let go_on = self.expand(&fmt[start..i], &mut out, Style::Format);
                self.out = out;
                if !go_on {
                    return false;
                }
                continue;
            }
            match self.directive(fmt, i) {
                Some(next) => i = next,
                None => return false,
            }
        }
        true
    }

    /// Handles the conversion at `fmt[start]` (a `%`); the index after it, or None to stop.
    fn directive(&mut self, fmt: &[u8], start: usize) -> Option<usize> {
        let mut i = start + 1;
        if fmt.get(i) == Some(&b'%') {
            self.out.push(b'%');
            return Some(i + 1);
        }
        let mut s = Spec::default();
        while let Some(f) = fmt.get(i).and_then(|&c| flag(c)) {
            s.flags |= f;
            i += 1;
        }
        if fmt.get(i) == Some(&b'*') {
            i += 1;
            let w = self.star("invalid field width")?;
            if w < 0 {
                s.flags |= MINUS;
            }
            s.width = w.unsigned_abs() as usize;
        } else {
            let (w, n) = decimal(&fmt[i..]);
            i += n;
            s.width = w.filter(|&w| w <= i32::MAX as usize).or_else(|| self.fatal(fmt, start, i))?;
        }
        let has_prec = fmt.get(i) == Some(&b'.');
        if has_prec {
            i += 1;
            if fmt.get(i) == Some(&b'*') {
                i += 1;
                let p = self.star("invalid precision")?;
                s.prec = usize::try_from(p).ok();
            } else {
                let (p, n) = decimal(&fmt[i..]);
                i += n;
                let p = if n == 0 { Some(0) } else { p.filter(|&p| p <= i32::MAX as usize) };
                s.prec = Some(p.or_else(|| self.fatal(fmt, start, i))?);
            }
        }
        while matches!(fmt.get(i), Some(b'h' | b'l' | b'L' | b'j' | b'z' | b't')) {
            i += 1;
        }
        let Some(&conv) = fmt.get(i) else {
            return self.fatal(fmt, start, i);
        };
        i += 1;
        let (bad, prec_ok) = match conv {
            b'd' | b'i' | b'u' => (ALT, true),
            b'o' | b'x' | b'X' | b'e' | b'E' | b'a' | b'A' => (GROUP, true),
            b'f' | b'F' | b'g' | b'G' => (0, true),
            b'c' => (ALT | ZERO | GROUP, false),
            b's' | b'b' => (ALT | ZERO | GROUP, true),
            _ => return self.fatal(fmt, start, i),
        };
        if s.flags & bad != 0 || (!prec_ok && has_prec) {
            return self.fatal(fmt, start, i);
        }
        match conv {
            b'd' | b'i' => {
                let v = self.int_arg(true) as i64;
                self.integer(v < 0, v.unsigned_abs(), conv, &s);
            }
            b'o' | b'u' | b'x' | b'X' => {
                let v = self.int_arg(false);
                self.integer(false, v, conv, &s);
            }
            b'c' => {
                let c = self.arg().first().copied().unwrap_or(0);
                self.pad(b"", &[c], &s, false);
            }
            b's' => {
                let a = self.arg();
                self.pad(b"", truncate(a, s.prec), &s, false);
            }
            b'b' => {
                let mut v = Vec::new();
                let arg = self.arg();
                let go_on = self.expand(arg, &mut v, Style::PrintfArg);
                self.pad(b"", truncate(&v, s.prec), &s, false);
                if !go_on {
                    return None;
                }
            }
            _ => {
                let v = self.float_arg();
                self.float(v, conv, &s);
            }
        }
        Some(i)
    }

    /// Expands the escapes of `s` into `out`; false when output must stop: at `\c`, or
    /// after the message at an escape GNU refuses (the text before it is kept).
    fn expand(&mut self, s: &[u8], out: &mut Vec<u8>, style: Style) -> bool {
        match bad_escape(s) {
            None => !escape::expand(s, out, style),
            Some((at, m)) => {
                if !escape::expand(&s[..at], out, style) {
                    self.msgs.push(m);
                    self.status = 1;
                }
                false
            }
        }
    }

    /// Reports `%...: invalid conversion specification` (the text up to `end`) and stops.
    fn fatal<T>(&mut self, fmt: &[u8], start: usize, end: usize) -> Option<T> {
        let mut m = fmt[start..end.min(fmt.len())].to_vec();
        m.extend_from_slice(b": invalid conversion specification");
        self.msgs.push(m);
        self.status = 1;
        None
    }

    /// The next argument, empty when they have run out.
    fn arg(&mut self) -> &'a [u8] {
        let a = self.args.get(self.next).copied().unwrap_or(b"");
        self.next = (self.next + 1).min(self.args.len());
        a
    }

    /// A `*` width or precision from the next argument; None (after the message) when it
    /// does not fit an int, which ends printf as GNU does.
    fn star(&mut self, what: &str) -> Option<i64> {
        let a = self.args.get(self.next).copied();
        let v = self.int_arg(true) as i64;
        if i32::try_from(v).is_ok() {
            return Some(v);
        }
        let mut m = what.as_bytes().to_vec();
        m.extend_from_slice(b": ");
        quote(&mut m, a.unwrap_or(b""));
        self.msgs.push(m);
        self.status = 1;
        None
    }

    fn int_arg(&mut self, signed: bool) -> u64 {
        let a = self.arg();
        let (v, p) = parse_int(a, signed);
        self.problem(a, p);
        v
    }

    fn float_arg(&mut self) -> Float {
        let a = self.arg();
        let (v, p) = parse_float(a);
        self.problem(a, p);
        v
    }

    fn problem(&mut self, a: &[u8], p: Problem) {
        let mut m = Vec::new();
        match p {
            Problem::None => return,
            Problem::Ignored => {
                m.extend_from_slice(b"warning: ");
                m.extend_from_slice(a.get(2..).unwrap_or(b""));
                m.extend_from_slice(b": character(s) following character constant have been ignored");
            }
            Problem::Bad(why) => {
                quote(&mut m, a);
                m.extend_from_slice(b": ");
                m.extend_from_slice(why.as_bytes());
                self.status = 1;
            }
        }
        self.msgs.push(m);
    }

    /// Writes `prefix` and `body` padded to the field width: spaces before (after with `-`),
    /// or zeros between prefix and body when `zero`.
    fn pad(&mut self, prefix: &[u8], body: &[u8], s: &Spec, zero: bool) {
        let n = s.width.saturating_sub(prefix.len() + body.len());
        let left = s.has(MINUS);
        let fill = if zero && !left { b'0' } else { b' ' };
        if !left && fill == b' ' {
            self.fill(b' ', n);
        }
        self.out.extend_from_slice(prefix);
        if fill == b'0' {
            self.fill(b'0', n);
        }
        self.out.extend_from_slice(body);
        if left {
            self.fill(b' ', n);
        }
    }

    /// `n` bytes `c`, handed on in pieces (a width may be two billion).
    fn fill(&mut self, c: u8, mut n: usize) {
        while n > 0 && !self.failed() {
            let k = n.min(1 << 16);
            self.out.resize(self.out.len() + k, c);
            n -= k;
            if n > 0 {
                self.spill();
            }
        }
    }

    /// %d %i %o %u %x %X of a magnitude and sign.
    fn integer(&mut self, neg: bool, mag: u64, conv: u8, s: &Spec) {
        let radix = match conv {
            b'o' => 8,
            b'x' | b'X' => 16,
            _ => 10,
        };
        let mut digits = [0u8; 22];
        let mut i = digits.len();
        let mut n = mag;
        while n > 0 {
            i -= 1;
            digits[i] = HEX[(n % radix) as usize];
            n /= radix;
        }
        let d = &digits[i..];
        let mut body = Vec::new();
        body.resize(s.prec.unwrap_or(1).saturating_sub(d.len()), b'0');
        body.extend_from_slice(d);
        if conv == b'o' && s.has(ALT) && body.first() != Some(&b'0') {
            body.insert(0, b'0');
        }
        if conv == b'X' {
            body.make_ascii_uppercase();
        }
        let prefix: &[u8] = match conv {
            b'd' | b'i' => sign(neg, s),
            b'x' if s.has(ALT) && mag != 0 => b"0x",
            b'X' if s.has(ALT) && mag != 0 => b"0X",
            _ => b"",
        };
        self.pad(prefix, &body, s, s.has(ZERO) && s.prec.is_none());
    }

    /// %f %F %e %E %g %G %a %A.
    fn float(&mut self, v: Float, conv: u8, s: &Spec) {
        let mut prefix = sign(v.neg, s).to_vec();
        let mut body = Vec::new();
        let (p, alt) = (s.prec.unwrap_or(6), s.has(ALT));
        match v.kind {
            Kind::Nan => body.extend_from_slice(b"nan"),
            Kind::Inf => body.extend_from_slice(b"inf"),
            Kind::Finite(m, e) => match conv | 0x20 {
                b'f' => Decimal::new(m, e).fixed(&mut body, p, alt),
                b'e' => Decimal::new(m, e).exponent(&mut body, p, alt),
                b'g' => Decimal::new(m, e).general(&mut body, p, alt),
                _ => {
                    prefix.extend_from_slice(b"0x");
                    hex(&mut body, m, e, s.prec, alt);
                }
            },
        }
        if conv.is_ascii_uppercase() {
            body.make_ascii_uppercase();
            prefix.make_ascii_uppercase();
        }
        let finite = matches!(v.kind, Kind::Finite(..));
        self.pad(&prefix, &body, s, s.has(ZERO) && finite);
    }
}

fn flag(c: u8) -> Option<u8> {
    Some(match c {
        b'-' => MINUS,
        b'+' => PLUS,
        b' ' => SPACE,
        b'#' => ALT,
        b'0' => ZERO,
        b'\'' => GROUP,
        _ => return None,
    })
}

/// The sign a signed conversion shows.
fn sign(neg: bool, s: &Spec) -> &'static [u8] {
    if neg {
        b"-"
    } else if s.has(PLUS) {
        b"+"
    } else if s.has(SPACE) {
        b" "
    } else {
        b""
    }
}

/// Digits at the start of `s`: (value, None on overflow; digits used).
fn decimal(s: &[u8]) -> (Option<usize>, usize) {
    let n = s.iter().take_while(|c| c.is_ascii_digit()).count();
    let v = s[..n].iter().try_fold(0usize, |v, &c| v.checked_mul(10)?.checked_add((c - b'0') as usize));
    (v, n)
}

/// The first escape GNU refuses, with its message: `\x` without a hex digit, `\u` or `\U`
/// without 4 or 8 of them, or naming a surrogate or a character below U+00A0 but $ @ `.
fn bad_escape(s: &[u8]) -> Option<(usize, Vec<u8>)> {
    let mut i = 0;
    while i + 1 < s.len() {
        if s[i] != b'\\' {
            i += 1;
            continue;
        }
        let need = match s[i + 1] {
            b'x' => 1,
            b'u' => 4,
            b'U' => 8,
            _ => 0,
        };
        if need > 0 {
            let Some(h) = s.get(i + 2..i + 2 + need).filter(|h| h.iter().all(u8::is_ascii_hexdigit)) else {
                return Some((i, b"missing hexadecimal number in escape".to_vec()));
            };
            let v = h.iter().fold(0u32, |v, &c| v << 4 | (c as char).to_digit(16).unwrap_or(0));
            if need > 1 && ((v < 0xa0 && !matches!(v, 0x24 | 0x40 | 0x60)) || (0xd800..0xe000).contains(&v)) {
                return Some((i, [&b"invalid universal character name "[..], &s[i..i + 2 + need]].concat()));
            }
        }
        i += 2;
    }
    None
}

/// `s` cut to `prec` bytes.
fn truncate(s: &[u8], prec: Option<usize>) -> &[u8] {
    &s[..prec.map_or(s.len(), |p| p.min(s.len()))]
}

/// Appends `'s'` (GNU's quoting in messages).
fn quote(m: &mut Vec<u8>, s: &[u8]) {
    crate::common::text::push_quoted(m, s);
}

fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 11 | 12 | b'\r')
}

/// The byte value of a character constant `'c` or `"c`.
fn char_constant(s: &[u8]) -> Option<(u8, Problem)> {
    match s {
        [b'\'' | b'"', c, rest @ ..] => {
            Some((*c, if rest.is_empty() { Problem::None } else { Problem::Ignored }))
        }
        _ => None,
    }
}

/// An integer argument as strtoimax (`signed`) or strtoumax read it, as u64 bits: optional
/// blanks and sign, then `0x` hex, `0` octal or decimal. Overflow clamps; a negative
/// unsigned value wraps as in C. An empty argument is 0 without complaint.
fn parse_int(s: &[u8], signed: bool) -> (u64, Problem) {
    if let Some((c, p)) = char_constant(s) {
        return (c as u64, p);
    }
    if s.is_empty() {
        return (0, Problem::None);
    }
    let mut i = s.iter().position(|&c| !is_space(c)).unwrap_or(s.len());
    let neg = s.get(i) == Some(&b'-');
    if matches!(s.get(i), Some(b'-' | b'+')) {
        i += 1;
    }
    let hex =
        matches!(s.get(i..i + 2), Some(b"0x" | b"0X")) && s.get(i + 2).is_some_and(|c| c.is_ascii_hexdigit());
    let radix = if hex {
        i += 2;
        16
    } else if s.get(i) == Some(&b'0') {
        8
    } else {
        10
    };
    let start = i;
    let mut mag: u64 = 0;
    let mut over = false;
    while let Some(d) = s.get(i).and_then(|&c| (c as char).to_digit(radix)) {
        match mag.checked_mul(radix as u64).and_then(|m| m.checked_add(d as u64)) {
            Some(m) => mag = m,
            None => over = true,
        }
        i += 1;
    }
    if i == start {
        return (0, NOT_NUMBER);
    }
    let (v, over) = if signed {
        let limit = if neg { 1u64 << 63 } else { i64::MAX as u64 };
        if over || mag > limit {
            (if neg { i64::MIN as u64 } else { i64::MAX as u64 }, true)
        } else {
            (if neg { (mag as i64).wrapping_neg() as u64 } else { mag }, false)
        }
    } else if over {
        (u64::MAX, true)
    } else {
        (if neg { mag.wrapping_neg() } else { mag }, false)
    };
    let p = if over {
        RANGE
    } else if i < s.len() {
        PARTIAL
    } else {
        Problem::None
    };
    (v, p)
}

/// A floating-point argument as strtold reads it: decimal with exponent, `0x` hex with a
/// binary exponent, `inf`/`infinity`/`nan`, or a character constant.
fn parse_float(s: &[u8]) -> (Float, Problem) {
    if let Some((c, p)) = char_constant(s) {
        return (Float::finite(false, c as u64, 0), p);
    }
    if s.is_empty() {
        return (Float::finite(false, 0, 0), Problem::None);
    }
    let start = s.iter().position(|&c| !is_space(c)).unwrap_or(s.len());
    match scan_float(&s[start..]) {
        None => (Float::finite(false, 0, 0), NOT_NUMBER),
        Some((v, _, true)) => (v, RANGE),
        Some((v, n, _)) if start + n == s.len() => (v, Problem::None),
        Some((v, _, _)) => (v, PARTIAL),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;

    fn run(args: &[&str]) -> (String, Vec<String>, i32) {
        let a: Vec<&[u8]> = args.iter().map(|s| s.as_bytes()).collect();
        let mut p = Printf::new(&a[1..], None);
        let mut out = Vec::new();
        loop {
            let start = p.next;
            let go = p.once(a[0]);
            out.extend_from_slice(&p.out);
            p.out.clear();
            if !go || p.next == start || p.next >= a.len() - 1 {
                break;
            }
        }
        let msgs = p.msgs.iter().map(|m| String::from_utf8_lossy(m).into_owned()).collect();
        (String::from_utf8_lossy(&out).into_owned(), msgs, p.status)
    }

    fn out(args: &[&str]) -> String {
        let (o, m, s) = run(args);
        assert_eq!((s, m.len()), (0, 0), "{args:?}: {m:?}");
        o
    }

    #[test]
    fn strings_chars_and_widths() {
        assert_eq!(
            out(&[
                "[%5s][%-5s][%.2s][%*s][%-*.*s][%.*s]",
                "ab",
                "cd",
                "ef",
                "4",
                "x",
                "6",
                "2",
                "abcdef",
                "-1",
                "xyz"
            ]),
            "[   ab][cd   ][ef][   x][ab    ][xyz]"
        );
        assert_eq!(out(&["[%c][%c][%3c]", "abc", "", "z"]), "[a][\0][  z]");
        assert_eq!(out(&["%s-%s\n", "a", "b", "c"]), "a-b\nc-\n");
        assert_eq!(out(&["%%|%d|%s|\n"]), "%|0||\n");
    }

    #[test]
    fn integers_with_flags_and_precision() {
        assert_eq!(
            out(&[
                "%05d|%-5d|%+d|% d|%.3d|%5.3d|%-+5d|%05.2d|%.0d|%#.0o",
                "42",
                "42",
                "42",
                "42",
                "7",
                "7",
                "7",
                "7",
                "0",
                "0"
            ]),
            "00042|42   |+42| 42|007|  007|+7   |   07||0"
        );
        assert_eq!(
            out(&["%x %X %o %#x %#o %#X %u %i", "255", "255", "8", "255", "8", "0", "-1", "0x1f"]),
            "ff FF 10 0xff 010 0 18446744073709551615 31"
        );
        assert_eq!(
            out(&["%.3x|%#.3x|%#5x|%#05x|%#o|%#.3o", "1", "1", "1", "1", "0", "1"]),
            "001|0x001|  0x1|0x001|0|001"
        );
        assert_eq!(
            out(&["%d %o %i %d", "017", "-017", " -0x10", "-9223372036854775808"]),
            "15 1777777777777777777761 -16 -9223372036854775808"
        );
        assert_eq!(out(&["%ld %hhd %lld %jd %zu", "1", "2", "3", "4", "5"]), "1 2 3 4 5");
        assert_eq!(out(&["%d %d %x", "'a", "\"b", "'\n"]), "97 98 a");
        assert_eq!(run(&["%x", "'\u{ff}"]).0, "c3");
    }

    #[test]
    fn bad_numbers_are_reported_and_used_as_far_as_they_parse() {
        let (o, m, s) =
            run(&["%d|%d|%d|%d|%u\n", "x", "12abc", "99999999999999999999", "08", "-99999999999999999999"]);
        assert_eq!(o, "0|12|9223372036854775807|0|18446744073709551615\n");
        assert_eq!(
            m,
            [
                "'x': expected a numeric value",
                "'12abc': value not completely converted",
                "'99999999999999999999': Numerical result out of range",
                "'08': value not completely converted",
                "'-99999999999999999999': Numerical result out of range"
            ]
        );
        assert_eq!(s, 1);
        let (o, m, s) = run(&["%d", "'ab"]);
        assert_eq!((o.as_str(), s), ("97", 0));
        assert_eq!(m, ["warning: b: character(s) following character constant have been ignored"]);
        assert_eq!(run(&["%d%d", "'", " "]).1.len(), 2);
    }

    #[test]
    fn bad_conversions_stop() {
        for (f, shown, printed) in [
            ("a%y b", "%y", "a"),
            ("ab%", "%", "ab"),
            ("%#s", "%#s", ""),
            ("%05s", "%05s", ""),
            ("%.3c", "%.3c", ""),
            ("%#d", "%#d", ""),
            ("%'x", "%'x", ""),
            ("%5%", "%5%", ""),
            ("%.*c", "%.*c", ""),
        ] {
            let (o, m, s) = run(&[f, "1"]);
            assert_eq!((o.as_str(), s), (printed, 1), "{f}");
            assert_eq!(m, [format!("{shown}: invalid conversion specification")]);
        }
        let (_, m, s) = run(&["%*d", "99999999999", "1"]);
        assert_eq!((m[0].as_str(), s), ("invalid field width: '99999999999'", 1));
    }

    #[test]
    fn escapes_in_format_and_b() {
        assert_eq!(out(&[r"a\tb\101\0101\x41\u00e9\%d\n"]), "a\tbA\x081A\u{e9}\\%d\n");
        assert_eq!(run(&[r"a\cb%s", "x"]).0, "a");
        assert_eq!(out(&["%b|", r"\0101\101\x41\n", r"\q"]), "AAA\n|\\q|");
        assert_eq!(run(&["%b|%s", r"ab\cd", "x"]).0, "ab");
        assert_eq!(out(&["[%5b][%-4.2b]", r"\t", "xyz"]), "[    \t][xy  ]");
        let (o, m, st) = run(&[r"ab\xzz%s", "x"]);
        assert_eq!((o.as_str(), m[0].as_str(), st), ("ab", "missing hexadecimal number in escape", 1));
        let (o, m, _) = run(&["%b|%b", r"a\u12", "b"]);
        assert_eq!((o.as_str(), m[0].as_str()), ("a", "missing hexadecimal number in escape"));
        assert_eq!(run(&[r"\u0041"]).1, [r"invalid universal character name \u0041"]);
        assert_eq!(run(&[r"\ud800"]).1, [r"invalid universal character name \ud800"]);
        assert_eq!(out(&[r"\\x\u0024\x4g"]), "\\x$\x04g");
    }

    #[test]
    fn fixed_and_exponent_floats() {
        assert_eq!(
            out(&[
                "%f %.2f %e %g %10.3f|%-10.3e|%+g % g %G %E",
                "3.14159",
                "2.5",
                "12345.678",
                "0.0001",
                "3.14159",
                "-1.5",
                "100000",
                "1e6",
                "1e-5",
                "1e100"
            ]),
            "3.141590 2.50 1.234568e+04 0.0001      3.142|-1.500e+00|+100000  1e+06 1E-05 1.000000E+100"
        );
        assert_eq!(
            out(&[
                "%g %g %g %g %#g %#.3g %.0f %.0f %.0e %#.0f",
                "123456",
                "1234567",
                "0.00001234",
                "100",
                "1",
                "1",
                "0.5",
                "1.5",
                "5",
                "3"
            ]),
            "123456 1.23457e+06 1.234e-05 100 1.00000 1.00 0 2 5e+00 3."
        );
        assert_eq!(
            out(&[
                "%f %F %e %g %5.1f|%-6f|%06f|%05.1f",
                "inf",
                "INF",
                "nan",
                "-inf",
                "inf",
                "-nan",
                "inf",
                "-2"
            ]),
            "inf INF nan -inf   inf|-nan  |   inf|-02.0"
        );
        assert_eq!(
            out(&["%f %f %f %f %.3f", "0x1p3", " 1.5", "'A", "-0", "1e-10"]),
            "8.000000 1.500000 65.000000 -0.000000 0.000"
        );
        assert_eq!(
            out(&["%g %g %g %g %e %g", "0", "1e-4", "9.9999995", "1e15", "0", "0.00001"]),
            "0 0.0001 10 1e+15 0.000000e+00 1e-05"
        );
        assert_eq!(out(&["%.30f", "1"]), "1.000000000000000000000000000000");
        assert_eq!(out(&["%.1100f", "1"]).len(), 1102);
        let (o, m, _) = run(&["%.1f", "1.5x"]);
        assert_eq!((o.as_str(), m[0].as_str()), ("1.5", "'1.5x': value not completely converted"));
    }

    #[test]
    fn hex_floats_as_gnu_long_double() {
        assert_eq!(
            out(&[
                "%a %a %.0a %.0a %.1a %a %010a|%-8a|%+a|%.3A|%#.0a",
                "1",
                "0",
                "15.9",
                "1.5",
                "1.97",
                "-0",
                "1",
                "1",
                "1",
                "2",
                "1"
            ]),
            "0x8p-3 0x0p+0 0x1p+4 0xcp-3 0xf.cp-3 -0x0p+0 0x00008p-3|0x8p-3  |+0x8p-3|0X8.000P-2|0x8.p-3"
        );
    }

    #[test]
    fn long_double_results_as_gnu_prints_them() {
        assert_eq!(
            out(&["%.20f %.2f %a %.30f %g", "0.1", "2.005", "0.1", "1e-5", "1e400"]),
            "0.10000000000000000000 2.01 0xc.ccccccccccccccdp-7 0.000009999999999999999999948913 1e+400"
        );
    }

    #[test]
    fn parses_c_integers() {
        assert_eq!(parse_int(b"0x", true), (0, PARTIAL));
        assert_eq!(parse_int(b"- 5", true), (0, NOT_NUMBER));
        assert_eq!(parse_int(b"-1", false), (u64::MAX, Problem::None));
        assert_eq!(parse_int(b"-18446744073709551615", false), (1, Problem::None));
        assert_eq!(parse_int(b"12 ", true), (12, PARTIAL));
        assert_eq!(parse_int(b"+0X1f", true), (31, Problem::None));
    }
}
