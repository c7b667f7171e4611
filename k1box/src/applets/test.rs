//! test, [ — evaluate a conditional expression (POSIX, with GNU's `==`, `-l`, `-N`, `-ef`,
//! `-nt`, `-ot`, and POSIX 2024's string `<` `>`).
//!
//! With up to four arguments the POSIX rules decide (`test ! -n` is false, `test -f` is
//! true); beyond that, or when those rules do not apply, a recursive parser with `!` above
//! `-a` above `-o` and parentheses. Errors are GNU's and their exit status is 2. Integers may
//! be any length (`test 99999999999999999999 -gt 1` is true). `-r -w -x` ask the kernel
//! with the effective ids (faccessat with AT_EACCESS).
use alloc::vec::Vec;
use core::cmp::Ordering;
use rustix::fs::{Access, AtFlags, FileType, Stat, CWD};

use crate::common::{Cx, Opt};

const USAGE: &str = "\
Usage: test EXPRESSION
  or:  [ EXPRESSION ]

Exit with status 0 when EXPRESSION is true, 1 when false, 2 on error.

  ( EXPR )  ! EXPR  EXPR1 -a EXPR2  EXPR1 -o EXPR2
  -n S  S is not empty        -z S  S is empty           S  S is not empty
  S1 = S2  S1 == S2  S1 != S2  S1 < S2  S1 > S2   (strings, byte order)
  N1 -eq N2  -ne  -lt  -le  -gt  -ge   (integers; -l S is the length of S)
  F1 -nt F2  F1 is newer   F1 -ot F2  F1 is older   F1 -ef F2  same file
  -e F exists  -f regular  -d directory  -h/-L symlink  -b block  -c character
  -p FIFO  -S socket  -s not empty  -r/-w/-x readable/writable/executable
  -u setuid  -g setgid  -k sticky  -O owned by you  -G your group
  -N modified since last read  -t FD is a terminal
";

/// The `test` applet.
pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let a: Vec<&[u8]> = args.iter().map(|a| a.as_slice()).collect();
    test(cx, &a)
}

/// The `[` applet.
pub fn bracket_main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let a: Vec<&[u8]> = args.iter().map(|a| a.as_slice()).collect();
    bracket(cx, &a)
}

/// `[ ARGS` (the shell's builtin calls this too): as `test` with a closing `]`;
/// `[ --help` and `[ --version` as GNU.
pub fn bracket(cx: &mut Cx, args: &[&[u8]]) -> i32 {
    match args {
        [b"--help"] => cx.opt_exit(Ok(Opt::Help), USAGE, 0),
        [b"--version"] => cx.opt_exit(Ok(Opt::Version), USAGE, 0),
        [rest @ .., b"]"] => test(cx, rest),
        _ => {
            cx.warn(b"missing ']'");
            2
        }
    }
}

/// Evaluates `args` as test(1) does and reports errors: the exit status (0 true, 1 false,
/// 2 error). The shell's builtin calls this.
pub fn test(cx: &mut Cx, args: &[&[u8]]) -> i32 {
    match eval(args) {
        Ok(true) => 0,
        Ok(false) => 1,
        Err(m) => {
            cx.warn(&m);
            2
        }
    }
}

/// The truth of a test expression, or GNU's message for a malformed one.
pub fn eval(args: &[&[u8]]) -> Result<bool, Vec<u8>> {
    let mut p = Parser { a: args, pos: 0 };
    if args.is_empty() {
        return Ok(false);
    }
    let v = p.posix(args.len())?;
    match args.get(p.pos) {
        Some(extra) => Err(msg("extra argument ", extra, "")),
        None => Ok(v),
    }
}

type R = Result<bool, Vec<u8>>;

/// `BEFORE'WORD'AFTER`: a message quoting a word as GNU does.
fn msg(before: &str, word: &[u8], after: &str) -> Vec<u8> {
    let mut m = before.as_bytes().to_vec();
    crate::common::text::push_quoted(&mut m, word);
    m.extend_from_slice(after.as_bytes());
    m
}

struct Parser<'a> {
    a: &'a [&'a [u8]],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn at(&self, i: usize) -> &'a [u8] {
        self.a.get(self.pos + i).copied().unwrap_or(b"")
    }

    fn left(&self) -> usize {
        self.a.len().saturating_sub(self.pos)
    }

    /// Moves past the current argument; with `need`, another one must follow.
    fn advance(&mut self, need: bool) -> Result<(), Vec<u8>> {
        self.pos += 1;
        if need && self.pos >= self.a.len() {
            return Err(self.beyond());
        }
        Ok(())
    }

    /// GNU's message when an operator lacks its operand: it names the last argument.
    fn beyond(&self) -> Vec<u8> {
        msg("missing argument after ", self.a.last().copied().unwrap_or(b""), "")
    }

    /// The POSIX rules for `n` (1 to 4) arguments from here; the full grammar beyond.
    fn posix(&mut self, n: usize) -> R {
        match n {
            1 => {
                let v = !self.at(0).is_empty();
                self.pos += 1;
                Ok(v)
            }
            2 => {
                if self.at(0) == b"!" {
                    self.pos += 1;
                    return self.posix(1).map(|v| !v);
                }
                if is_dash_letter(self.at(0)) {
                    return self.unary();
                }
                Err(self.beyond())
            }
            3 => {
                if is_binary(self.at(1)) {
                    return self.binary(false);
                }
                if self.at(0) == b"!" {
                    self.pos += 1;
                    return self.posix(2).map(|v| !v);
                }
                if self.at(0) == b"(" && self.at(2) == b")" {
                    self.pos += 1;
                    let v = self.posix(1)?;
                    self.pos += 1;
                    return Ok(v);
                }
                if matches!(self.at(1), b"-a" | b"-o") {
                    return self.or();
                }
                Err(msg("", self.at(1), ": binary operator expected"))
            }
            4 => {
                if self.at(0) == b"!" {
                    self.pos += 1;
                    return self.posix(3).map(|v| !v);
                }
                if self.at(0) == b"(" && self.at(3) == b")" {
                    self.pos += 1;
                    let v = self.posix(2)?;
                    self.pos += 1;
                    return Ok(v);
                }
                self.or()
            }
            _ => self.or(),
        }
    }

    /// EXPR -o EXPR ... (every operand is evaluated, so errors anywhere are reported).
    fn or(&mut self) -> R {
        let mut v = self.and()?;
        while self.pos < self.a.len() && self.at(0) == b"-o" {
            self.advance(true)?;
            v |= self.and()?;
        }
        Ok(v)
    }

    fn and(&mut self) -> R {
        let mut v = self.term()?;
        while self.pos < self.a.len() && self.at(0) == b"-a" {
            self.advance(true)?;
            v &= self.term()?;
        }
        Ok(v)
    }

    fn term(&mut self) -> R {
        let mut invert = false;
        while self.pos < self.a.len() && self.at(0) == b"!" {
            self.advance(true)?;
            invert = !invert;
        }
        if self.pos >= self.a.len() {
            return Err(self.beyond());
        }
        let v = if self.at(0) == b"(" {
            self.advance(true)?;
            // Up to four arguments before the `)` follow the POSIX rules, as in GNU.
            let mut n = 1;
            while self.pos + n < self.a.len() && self.at(n) != b")" {
                if n == 4 {
                    n = self.left();
                    break;
                }
                n += 1;
            }
            let v = self.posix(n)?;
            match self.a.get(self.pos) {
                None => return Err(b"')' expected".to_vec()),
                Some(&s) if s != b")" => return Err(msg("')' expected, found ", s, "")),
                Some(_) => self.pos += 1,
            }
            v
        } else if self.left() >= 4 && self.at(0) == b"-l" && is_binary(self.at(2)) {
            self.binary(true)?
        } else if self.left() >= 3 && is_binary(self.at(1)) {
            self.binary(false)?
        } else if is_dash_letter(self.at(0)) {
            self.unary()?
        } else {
            let v = !self.at(0).is_empty();
            self.pos += 1;
            v
        };
        Ok(v != invert)
    }

    /// `-X ARG` at the current position.
    fn unary(&mut self) -> R {
        let op = self.at(0);
        if !is_unary(op) {
            return Err(msg("", op, ": unary operator expected"));
        }
        self.advance(true)?;
        let arg = self.at(0);
        self.pos += 1;
        unary(op[1], arg)
    }

    /// `A OP B` at the current position; `-l A OP B` when `left_len`, and `A OP -l B`
    /// whenever an argument follows the `-l`: the operand is the length of the string.
    /// (GNU parses the same but, for string operators, compares the operator itself with
    /// the last word, a bug we do not copy.)
    fn binary(&mut self, left_len: bool) -> R {
        self.pos += left_len as usize;
        let a = self.at(0);
        let op = self.at(1);
        self.pos += 2;
        let right_len = self.at(0) == b"-l" && self.pos + 1 < self.a.len();
        self.pos += right_len as usize;
        let b = self.at(0);
        self.pos += 1;
        if (left_len || right_len) && matches!(op, b"-nt" | b"-ot" | b"-ef") {
            return Err([op, b" does not accept -l"].concat());
        }
        let (mut la, mut lb) = (Vec::new(), Vec::new());
        let a = if left_len { len_of(a, &mut la) } else { a };
        let b = if right_len { len_of(b, &mut lb) } else { b };
        binary(a, op, b)
    }
}

/// A two-byte `-X` word (an operator by its shape, known or not).
fn is_dash_letter(s: &[u8]) -> bool {
    s.len() == 2 && s[0] == b'-'
}

fn is_unary(s: &[u8]) -> bool {
    is_dash_letter(s) && b"bcdefgGhkLnNOprsStuwxz".contains(&s[1])
}

fn is_integer_op(s: &[u8]) -> bool {
    matches!(s, b"-eq" | b"-ne" | b"-lt" | b"-le" | b"-gt" | b"-ge")
}

fn is_binary(s: &[u8]) -> bool {
    is_integer_op(s) || matches!(s, b"=" | b"==" | b"!=" | b"<" | b">" | b"-nt" | b"-ot" | b"-ef")
}

/// The length of `s` in decimal (for `-l`), written into `buf`.
fn len_of<'b>(s: &[u8], buf: &'b mut Vec<u8>) -> &'b [u8] {
    crate::common::num::push_u64(buf, s.len() as u64);
    buf
}

/// stat(2), or lstat(2) when not `follow`ing a last symbolic link (one call site for
/// the path conversion rustix inlines).
#[inline(never)]
fn stat(path: &[u8], follow: bool) -> Option<Stat> {
    let flags = if follow { AtFlags::empty() } else { AtFlags::SYMLINK_NOFOLLOW };
    rustix::fs::statat(CWD, path, flags).ok()
}

/// A unary primary.
fn unary(op: u8, arg: &[u8]) -> R {
    let access = match op {
        b'r' => Access::READ_OK,
        b'w' => Access::WRITE_OK,
        b'x' => Access::EXEC_OK,
        _ => Access::EXISTS,
    };
    Ok(match op {
        b'n' => !arg.is_empty(),
        b'z' => arg.is_empty(),
        b'r' | b'w' | b'x' => rustix::fs::accessat(CWD, arg, access, AtFlags::EACCESS).is_ok(),
        b't' => {
            let fd = integer(arg)?;
            let fd = parse_small(&fd).and_then(|n| i32::try_from(n).ok());
            fd.is_some_and(|fd| rustix::termios::isatty(crate::rt::fd(fd)))
        }
        b'h' | b'L' => stat(arg, false).is_some_and(|st| kind(&st) == FileType::Symlink),
        _ => {
            let Some(st) = stat(arg, true) else {
                return Ok(false);
            };
            let mode = st.st_mode;
            match op {
                b'e' => true,
                b'f' => kind(&st) == FileType::RegularFile,
                b'd' => kind(&st) == FileType::Directory,
                b'b' => kind(&st) == FileType::BlockDevice,
                b'c' => kind(&st) == FileType::CharacterDevice,
                b'p' => kind(&st) == FileType::Fifo,
                b'S' => kind(&st) == FileType::Socket,
                b's' => st.st_size > 0,
                b'u' => mode & 0o4000 != 0,
                b'g' => mode & 0o2000 != 0,
                b'k' => mode & 0o1000 != 0,
                b'O' => st.st_uid == rustix::process::geteuid().as_raw(),
                b'G' => st.st_gid == rustix::process::getegid().as_raw(),
                _ => mtime(&st) > (st.st_atime, st.st_atime_nsec as i64), // -N
            }
        }
    })
}

fn kind(st: &Stat) -> FileType {
    FileType::from_raw_mode(st.st_mode)
}

fn mtime(st: &Stat) -> (i64, i64) {
    (st.st_mtime, st.st_mtime_nsec as i64)
}

/// A binary primary.
fn binary(a: &[u8], op: &[u8], b: &[u8]) -> R {
    Ok(match op {
        b"=" | b"==" => a == b,
        b"!=" => a != b,
        b"<" => a < b,
        b">" => a > b,
        b"-nt" | b"-ot" => {
            let ta = stat(a, true).map(|s| mtime(&s));
            let tb = stat(b, true).map(|s| mtime(&s));
            let (newer, older) = if op == b"-nt" { (ta, tb) } else { (tb, ta) };
            match (newer, older) {
                (Some(n), Some(o)) => n > o,
                (Some(_), None) => true,
                _ => false,
            }
        }
        b"-ef" => match (stat(a, true), stat(b, true)) {
            (Some(x), Some(y)) => x.st_dev == y.st_dev && x.st_ino == y.st_ino,
            _ => false,
        },
        _ => {
            let o = compare_integers(&integer(a)?, &integer(b)?);
            match op {
                b"-eq" => o == Ordering::Equal,
                b"-ne" => o != Ordering::Equal,
                b"-lt" => o == Ordering::Less,
                b"-le" => o != Ordering::Greater,
                b"-gt" => o == Ordering::Greater,
                _ => o != Ordering::Less,
            }
        }
    })
}

/// An integer of any length: blanks, an optional sign, digits, blanks. (negative, digits
/// without leading zeros; zero is never negative).
fn integer(s: &[u8]) -> Result<(bool, &[u8]), Vec<u8>> {
    let blank = |c: &u8| matches!(c, b' ' | b'\t' | b'\n' | 11 | 12 | b'\r');
    let start = s.iter().position(|c| !blank(c)).unwrap_or(s.len());
    let end = s.iter().rposition(|c| !blank(c)).map_or(start, |e| e + 1);
    let t = &s[start..end];
    let (neg, digits) = match t.first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(msg("invalid integer ", s, ""));
    }
    let z = digits.iter().take_while(|&&c| c == b'0').count();
    let digits = &digits[z..];
    Ok((neg && !digits.is_empty(), digits))
}

fn compare_integers(a: &(bool, &[u8]), b: &(bool, &[u8])) -> Ordering {
    match (a.0, b.0) {
        (false, true) => Ordering::Greater,
        (true, false) => Ordering::Less,
        (neg, _) => {
            let o = a.1.len().cmp(&b.1.len()).then(a.1.cmp(b.1));
            if neg {
                o.reverse()
            } else {
                o
            }
        }
    }
}

/// A parsed integer's value when it fits (for `-t FD`).
fn parse_small(n: &(bool, &[u8])) -> Option<i64> {
    let v = crate::common::num::parse_i64(n.1)?;
    Some(if n.0 { -v } else { v })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    fn t(s: &str) -> R {
        let words: Vec<&str> = if s.is_empty() { Vec::new() } else { s.split(' ').collect() };
        let w: Vec<&[u8]> = words.iter().map(|w| if *w == "''" { &b""[..] } else { w.as_bytes() }).collect();
        eval(&w)
    }

    #[track_caller]
    fn yes(s: &str) {
        assert_eq!(t(s), Ok(true), "{s}");
    }

    #[track_caller]
    fn no(s: &str) {
        assert_eq!(t(s), Ok(false), "{s}");
    }

    #[track_caller]
    fn err(s: &str, msg: &str) {
        assert_eq!(t(s), Err(msg.as_bytes().to_vec()), "{s}");
    }

    #[test]
    fn posix_rules_for_few_arguments() {
        no("");
        yes("a");
        no("''");
        yes("-f");
        yes("!");
        yes("-n");
        no("! a");
        yes("! ''");
        no("-n ''");
        yes("-z ''");
        yes("! -n ''");
        no("! -z ''");
        yes("= = =");
        no("! = =");
        yes("a -a b");
        no("a -a ''");
        yes("'' -o b");
        yes("( a )");
        no("( '' )");
        yes("! ( '' )");
        yes("( -n a )");
        yes("! ! a");
        no("! ! ''");
        yes("-a = -a");
    }

    #[test]
    fn precedence_not_over_and_over_or() {
        yes("a -o '' -a ''");
        yes("'' -a '' -o a");
        no("'' -a ( '' -o a )");
        yes("! '' -a a");
        no("! a -o ''");
        yes("( a -o '' ) -a ( ! '' )");
        yes("-n a -a -z '' -a x = x");
        no("-n a -a -z '' -a x = y");
        yes("1 -eq 1 -o x = y -a y = z");
    }

    #[test]
    fn strings_and_integers() {
        yes("abc = abc");
        yes("abc == abc");
        yes("abc != abd");
        yes("a < b");
        no("b < a");
        yes("b > a");
        yes("10 -gt 9");
        yes("-5 -lt 3");
        yes("+3 -eq 3");
        yes("007 -eq 7");
        yes("-0 -eq 0");
        yes("99999999999999999999999 -gt 99999999999999999999998");
        yes("-99999999999999999999999 -lt -99999999999999999999998");
        yes("3 -ge 3");
        yes("3 -le 3");
        no("3 -ne 3");
        yes("-l abc -eq 3");
        yes("2 -eq -l ab");
        err("a -eq 1", "invalid integer 'a'");
        err("1 -eq 1x", "invalid integer '1x'");
        err("'' -eq 0", "invalid integer ''");
        err("- -eq 0", "invalid integer '-'");
        err("0x10 -eq 16", "invalid integer '0x10'");
        err("1 -eq 1 -o x -eq 2", "invalid integer 'x'");
        assert_eq!(eval(&[b" 1 ", b"-eq", b"1\t"]), Ok(true));
    }

    #[test]
    fn syntax_errors_as_gnu() {
        err("a b", "missing argument after 'b'");
        err("a b c", "'b': binary operator expected");
        err("-q a -a b -a c", "'-q': unary operator expected");
        err("-l abc", "'-l': unary operator expected");
        err("a b c d e", "extra argument 'b'");
        err("1 -eq", "missing argument after '-eq'");
        err("a -a", "missing argument after '-a'");
        err("( a b c d e )", "')' expected, found 'b'");
        err("( a -a b", "')' expected");
        err("x -o ( ( a ) )", "missing argument after ')'");
        err("-z -z -a -z", "missing argument after '-z'");
        err("-e / -nt /x", "extra argument '-nt'");
        err("-t x", "invalid integer 'x'");
        err("( )", "missing argument after ')'");
        err("-l a -ef b", "-ef does not accept -l");
        err("a != -l -a !=", "extra argument '!='");
        yes(") != -l -t");
        no("-l abc = 4");
    }

    #[test]
    fn file_primaries() {
        let dir = std::env::temp_dir().join(format!("k1box-test-unit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir(&dir).unwrap();
        let f = dir.join("f");
        let empty = dir.join("empty");
        std::fs::write(&f, b"x").unwrap();
        std::fs::write(&empty, b"").unwrap();
        std::os::unix::fs::symlink(&f, dir.join("l")).unwrap();
        std::os::unix::fs::symlink("nowhere", dir.join("dangling")).unwrap();
        let d = dir.display();
        yes(&format!("-f {d}/f"));
        yes(&format!("-e {d}/f -a -s {d}/f -a ! -s {d}/empty"));
        yes(&format!("-d {d} -a ! -f {d}"));
        yes(&format!("-h {d}/l -a -L {d}/dangling -a ! -e {d}/dangling -a ! -h {d}/f"));
        yes(&format!("-f {d}/l"));
        yes(&format!("{d}/l -ef {d}/f"));
        no(&format!("{d}/empty -ef {d}/f"));
        yes(&format!("-r {d}/f -a -w {d}/f -a ! -x {d}/f -a -x {d}"));
        yes(&format!("{d}/f -nt {d}/nonexistent -a ! {d}/f -ot {d}/nonexistent"));
        yes(&format!("-O {d}/f -a -G {d}/f"));
        no(&format!("-u {d}/f -o -g {d}/f -o -k {d}/f -o -p {d}/f -o -S {d}/f"));
        yes("-c /dev/null -a ! -b /dev/null");
        yes("-k /tmp -o ! -d /tmp");
        no("-e /nonexistent/x");
        no("-t 99");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
