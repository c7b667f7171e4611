//! head — print the first part of files (POSIX `head [-n N]`, with GNU's -c, -q, -v, -z,
//! `-n -N` / `-c -N` for "all but the last N", size suffixes and the obsolete `head -N`).
//!
//! A seekable input is left positioned just after what was printed, so that
//! `{ head -n 1; cat; } < file` works as POSIX wants. "All but the last N" holds back only
//! the input's tail (`common::lines::hold_tail`, shared with tail for pipes).
use alloc::vec::Vec;
use rustix::fd::BorrowedFd;
use rustix::io::Errno;

use crate::common::fs::{read_some, Input};
use crate::common::lines::{first_lines, hold_tail, last_bytes_in, last_lines_in};
use crate::common::{long, Cx, Getopt, HasArg, Long, Opt};
use crate::rt::strerror;

const USAGE: &str = "\
Usage: head [-qvz] [-n [-]N] [-c [-]N] [FILE]...

Print the first 10 lines of each FILE (standard input for none or `-`), with a
`==> FILE <==` header when there are several.

  -c, --bytes=[-]N     the first N bytes; with -, all but the last N
  -n, --lines=[-]N     the first N lines; with -, all but the last N
  -q, --quiet          never print headers
  -v, --verbose        always print headers
  -z, --zero-terminated  lines end with NUL, not newline
N may have a suffix: b 512, kB 1000, K 1024, MB, M, GB, G, ...; `head -N` means -n N.
";

const LONGS: &[Long] = &[
    long("bytes", HasArg::Yes, b'c' as u16),
    long("lines", HasArg::Yes, b'n' as u16),
    long("quiet", HasArg::No, b'q' as u16),
    long("silent", HasArg::No, b'q' as u16),
    long("verbose", HasArg::No, b'v' as u16),
    long("zero-terminated", HasArg::No, b'z' as u16),
];

/// How much to print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Amount {
    pub bytes: bool,
    /// All but the last `n` instead of the first `n`.
    pub all_but: bool,
    pub n: u64,
}

/// Parses `[-]N[suffix]` for -n/-c.
pub fn parse_amount(s: &[u8], bytes: bool) -> Option<Amount> {
    let (all_but, digits) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let n = crate::common::num::parse_size(digits)?;
    Some(Amount { bytes, all_but, n })
}

/// Rewrites an obsolete first argument `-N[bkm][cl][qv]` as options; None if it is not one.
fn obsolete(a: &[u8]) -> Option<Vec<Vec<u8>>> {
    let body = a.strip_prefix(b"-")?;
    let digits = body.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    let mut n = body[..digits].to_vec();
    let mut opt = b"-n".to_vec();
    let mut flags = Vec::new();
    for &c in &body[digits..] {
        match c {
            b'b' | b'k' | b'm' => n.push(if c == b'm' { b'M' } else { c }),
            b'c' => opt = b"-c".to_vec(),
            b'l' => opt = b"-n".to_vec(),
            b'q' | b'v' | b'z' => flags.push(alloc::vec![b'-', c]),
            _ => return None,
        }
    }
    flags.push(opt);
    flags.push(n);
    Some(flags)
}

pub fn main(cx: &mut Cx) -> i32 {
    let mut args = core::mem::take(&mut cx.args);
    if let Some(expanded) = args.first().and_then(|a| obsolete(a)) {
        args.splice(0..1, expanded);
    }
    let mut g = Getopt::new(&args, "c:n:qvz", LONGS);
    let mut amount = Amount { bytes: false, all_but: false, n: 10 };
    let mut headers: Option<bool> = None;
    let mut eol = b'\n';
    while let Some(o) = g.next() {
        match o {
            Ok(Opt::Char(c @ (b'c' | b'n'))) => {
                let v = g.arg_or_empty();
                match parse_amount(v, c == b'c') {
                    Some(a) => amount = a,
                    None => return bad_number(cx, c, v),
                }
            }
            Ok(Opt::Char(b'q')) => headers = Some(false),
            Ok(Opt::Char(b'v')) => headers = Some(true),
            Ok(Opt::Char(b'z')) => eol = 0,
            other => return cx.opt_exit(other, USAGE, 1),
        }
    }
    let mut files = g.operands();
    if files.is_empty() {
        files.push(b"-");
    }
    let headers = headers.unwrap_or(files.len() > 1);
    let mut code = 0;
    let mut first = true;
    for &name in &files {
        let input = match Input::open(name) {
            Ok(f) => f,
            Err(e) => {
                cannot_open(cx, name, e);
                code = 1;
                continue;
            }
        };
        if headers {
            header(cx, name, !first);
            first = false;
        }
        if let Err(e) = head_fd(cx, input.fd(), amount, eol) {
            cx.out.flush().ok();
            cx.warn_parts(&[b"error reading '", name, b"': ", strerror(e).as_bytes()]);
            code = 1;
        }
        if cx.out.failed() {
            return 1;
        }
    }
    code
}

/// `invalid number of lines: 'X'` (or bytes, for -c), with GNU's reason when it is too big.
pub fn bad_number(cx: &mut Cx, opt: u8, v: &[u8]) -> i32 {
    let what: &[u8] = if opt == b'c' { b"bytes" } else { b"lines" };
    let n = v.strip_prefix(b"-").or_else(|| v.strip_prefix(b"+")).unwrap_or(v);
    let digits = n.iter().take_while(|c| c.is_ascii_digit()).count();
    let valid = digits > 0 && crate::common::num::suffix_multiplier(&n[digits..]).is_some();
    let why: &[u8] = if valid { b": Value too large for defined data type" } else { b"" };
    cx.warn_parts(&[b"invalid number of ", what, b": '", v, b"'", why]);
    1
}

/// `applet: cannot open 'NAME' for reading: why`, as GNU head and tail say it.
pub fn cannot_open(cx: &mut Cx, name: &[u8], e: Errno) {
    cx.warn_parts(&[b"cannot open '", name, b"' for reading: ", strerror(e).as_bytes()]);
}

/// `==> NAME <==` as GNU head and tail print it, with a blank line before all but the first.
pub fn header(cx: &mut Cx, name: &[u8], blank_before: bool) {
    if blank_before {
        cx.out.byte(b'\n');
    }
    cx.out.put(b"==> ");
    cx.out.put(if name == b"-" { b"standard input" } else { name });
    cx.out.put(b" <==\n");
}

fn head_fd(cx: &mut Cx, fd: BorrowedFd, a: Amount, eol: u8) -> Result<(), Errno> {
    let mut buf = alloc::vec![0u8; 64 * 1024];
    match (a.all_but, a.bytes) {
        (false, _) => {
            let mut left = a.n;
            while left > 0 {
                let want = if a.bytes {
                    buf.len().min(usize::try_from(left).unwrap_or(usize::MAX))
                } else {
                    buf.len()
                };
                let n = read_some(fd, &mut buf[..want])?;
                if n == 0 {
                    break;
                }
                let take = if a.bytes { n } else { first_lines(&buf[..n], &mut left, eol) };
                if a.bytes {
                    left -= n as u64;
                }
                cx.out.put(&buf[..take]);
                if take < n {
                    // Give back what we read too far, where the input allows it.
                    let _ = rustix::fs::seek(fd, rustix::fs::SeekFrom::Current(take as i64 - n as i64));
                }
                if cx.out.failed() {
                    break;
                }
            }
            Ok(())
        }
        (true, bytes) => {
            let mut early = |b: &[u8]| {
                cx.out.put(b);
                !cx.out.failed()
            };
            let start = |d: &[u8]| if bytes { last_bytes_in(d, a.n) } else { last_lines_in(d, a.n, eol) };
            let held = hold_tail(fd, &start, &mut early)?;
            cx.out.put(&held[..start(&held)]);
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_with_signs_and_suffixes() {
        assert_eq!(parse_amount(b"5", false), Some(Amount { bytes: false, all_but: false, n: 5 }));
        assert_eq!(parse_amount(b"-2k", true), Some(Amount { bytes: true, all_but: true, n: 2048 }));
        assert_eq!(parse_amount(b"x", false), None);
        assert_eq!(parse_amount(b"--1", false), None);
    }

    #[test]
    fn obsolete_forms() {
        let v = |a: &[&str]| a.iter().map(|s| s.as_bytes().to_vec()).collect::<Vec<_>>();
        assert_eq!(obsolete(b"-5"), Some(v(&["-n", "5"])));
        assert_eq!(obsolete(b"-2c"), Some(v(&["-c", "2"])));
        assert_eq!(obsolete(b"-1kv"), Some(v(&["-v", "-n", "1k"])));
        assert_eq!(obsolete(b"-n"), None);
        assert_eq!(obsolete(b"-5x"), None);
    }
}
