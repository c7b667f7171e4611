//! cat — concatenate files to standard output (POSIX `cat [-u]`, with GNU's -A -b -e -E -n
//! -s -t -T -v and their long names).
//!
//! Without options the kernel copies (`copy_fd`: copy_file_range or sendfile from files,
//! splice from pipes; read/write from terminals, so typed lines pass at once), and big files
//! never pass through our memory. With options the input is formatted block by block;
//! line numbers, the "at line start" state and blank-line squeezing carry over between files
//! as GNU's do.
use alloc::vec::Vec;
use rustix::fd::{AsFd, BorrowedFd};
use rustix::io::Errno;

use crate::common::fs::{copy_fd, CopyError, Input};
use crate::common::{long, Cx, Getopt, HasArg, Long, Opt};

const USAGE: &str = "\
Usage: cat [-AbeEnstTuv] [FILE]...

Concatenate FILEs (standard input for none or `-`) to standard output.

  -A, --show-all           same as -vET
  -b, --number-nonblank    number non-empty output lines (overrides -n)
  -e                       same as -vE
  -E, --show-ends          display $ at the end of each line
  -n, --number             number all output lines
  -s, --squeeze-blank      suppress repeated empty output lines
  -t                       same as -vT
  -T, --show-tabs          display TAB characters as ^I
  -u                       (ignored: output is never held back)
  -v, --show-nonprinting   use ^ and M- notation, except for LFD and TAB
";

const LONGS: &[Long] = &[
    long("number", HasArg::No, b'n' as u16),
    long("number-nonblank", HasArg::No, b'b' as u16),
    long("show-all", HasArg::No, b'A' as u16),
    long("show-ends", HasArg::No, b'E' as u16),
    long("show-nonprinting", HasArg::No, b'v' as u16),
    long("show-tabs", HasArg::No, b'T' as u16),
    long("squeeze-blank", HasArg::No, b's' as u16),
];

/// Which transformations are on.
#[derive(Clone, Copy, Default, Debug)]
pub struct Flags {
    number: bool,
    nonblank: bool,
    ends: bool,
    squeeze: bool,
    tabs: bool,
    nonprinting: bool,
}

impl Flags {
    fn any(&self) -> bool {
        self.number || self.nonblank || self.ends || self.squeeze || self.tabs || self.nonprinting
    }
}

/// What carries over from one block (and one file) to the next.
pub struct State {
    line: u64,
    at_start: bool,
    blanks: u32,
}

impl State {
    pub fn new() -> State {
        State { line: 0, at_start: true, blanks: 0 }
    }
}

impl Default for State {
    fn default() -> Self {
        Self::new()
    }
}

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let mut g = Getopt::new(&args, "AbeEnstTuv", LONGS);
    let mut f = Flags::default();
    while let Some(o) = g.next() {
        match o {
            Ok(Opt::Char(c)) if b"AbeEnstTuv".contains(&c) => match c {
                b'A' => (f.nonprinting, f.ends, f.tabs) = (true, true, true),
                b'b' => f.nonblank = true,
                b'e' => (f.nonprinting, f.ends) = (true, true),
                b'E' => f.ends = true,
                b'n' => f.number = true,
                b's' => f.squeeze = true,
                b't' => (f.nonprinting, f.tabs) = (true, true),
                b'T' => f.tabs = true,
                b'v' => f.nonprinting = true,
                _ => {}
            },
            other => return cx.opt_exit(other, USAGE, 1),
        }
    }
    let mut files = g.operands();
    if files.is_empty() {
        files.push(b"-");
    }
    let mut st = State::new();
    let mut code = 0;
    let out_id = identity(crate::rt::stdout());
    for name in files {
        let input = match Input::open(name) {
            Ok(i) => i,
            Err(e) => {
                cx.warn_path(name, e);
                code = 1;
                continue;
            }
        };
        if out_id.is_some() && out_id == identity(input.fd()) && !at_end(input.fd()) {
            cx.warn_parts(&[name, b": input file is output file"]);
            code = 1;
            continue;
        }
        let r = if f.any() { format_fd(cx, input.fd(), &f, &mut st) } else { plain(cx, input.fd()) };
        match r {
            Ok(()) => {}
            Err(CopyError::Read(e)) => {
                cx.warn_path(name, e);
                code = 1;
            }
            Err(CopyError::Write(e)) => return write_failed(cx, e),
        }
    }
    code
}

/// Reports a failed standard output (quietly for a closed pipe) and gives the exit code.
pub fn write_failed(cx: &mut Cx, e: Errno) -> i32 {
    if e != Errno::PIPE {
        cx.warn_parts(&[b"write error: ", crate::rt::strerror(e).as_bytes()]);
    }
    1
}

/// Device and inode of a regular file (the only kind where input = output matters).
fn identity(fd: BorrowedFd) -> Option<(u64, u64)> {
    let st = rustix::fs::fstat(fd).ok()?;
    (rustix::fs::FileType::from_raw_mode(st.st_mode) == rustix::fs::FileType::RegularFile)
        .then_some((st.st_dev, st.st_ino))
}

/// True when a regular file's offset is at (or past) its end: nothing left to copy.
fn at_end(fd: BorrowedFd) -> bool {
    let size = rustix::fs::fstat(fd).map(|s| s.st_size as u64).unwrap_or(0);
    let pos = rustix::fs::seek(fd, rustix::fs::SeekFrom::Current(0)).unwrap_or(0);
    pos >= size
}

fn plain(cx: &mut Cx, fd: BorrowedFd) -> Result<(), CopyError> {
    cx.out.flush().map_err(CopyError::Write)?;
    copy_fd(fd, crate::rt::stdout()).map(|_| ())
}

fn format_fd(cx: &mut Cx, fd: BorrowedFd, f: &Flags, st: &mut State) -> Result<(), CopyError> {
    let mut buf = alloc::vec![0u8; 128 * 1024];
    let mut out = Vec::with_capacity(64 * 1024);
    // Pipes and terminals: show each piece as soon as it is read.
    let eager = identity(fd.as_fd()).is_none();
    loop {
        let n = match rustix::io::read(fd, &mut buf[..]) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(Errno::INTR) => continue,
            Err(e) => return Err(CopyError::Read(e)),
        };
        out.clear();
        format_block(&buf[..n], f, st, &mut out);
        cx.out.put(&out);
        if eager {
            cx.out.flush().map_err(CopyError::Write)?;
        } else if let Some(e) = cx.out.error() {
            return Err(CopyError::Write(e));
        }
    }
}

/// Formats one block of input into `out` as the flags say.
pub fn format_block(mut b: &[u8], f: &Flags, st: &mut State, out: &mut Vec<u8>) {
    while !b.is_empty() {
        if st.at_start {
            if b[0] == b'\n' {
                st.blanks += 1;
                b = &b[1..];
                if f.squeeze && st.blanks > 1 {
                    continue;
                }
                if f.number && !f.nonblank {
                    number(st, out);
                }
                if f.ends {
                    out.push(b'$');
                }
                out.push(b'\n');
                continue;
            }
            st.blanks = 0;
            if f.number || f.nonblank {
                number(st, out);
            }
            st.at_start = false;
        }
        let end = memchr::memchr(b'\n', b);
        let mut seg = &b[..end.unwrap_or(b.len())];
        // GNU shows the CR of a CRLF line end as ^M with -E.
        let crlf = f.ends && end.is_some() && seg.last() == Some(&b'\r');
        if crlf {
            seg = &seg[..seg.len() - 1];
        }
        if f.nonprinting {
            // Printable ASCII (and tabs, unless -T) pass in runs; the rest one by one.
            while !seg.is_empty() {
                let i = printable_run(seg);
                out.extend_from_slice(&seg[..i]);
                if let Some(&c) = seg.get(i) {
                    visible(c, f.tabs, out);
                }
                seg = seg.get(i + 1..).unwrap_or(&[]);
            }
        } else if f.tabs {
            while let Some(i) = memchr::memchr(b'\t', seg) {
                out.extend_from_slice(&seg[..i]);
                out.extend_from_slice(b"^I");
                seg = &seg[i + 1..];
            }
            out.extend_from_slice(seg);
        } else {
            out.extend_from_slice(seg);
        }
        match end {
            Some(e) => {
                if crlf {
                    out.extend_from_slice(b"^M");
                }
                if f.ends {
                    out.push(b'$');
                }
                out.push(b'\n');
                st.at_start = true;
                b = &b[e + 1..];
            }
            None => b = &[],
        }
    }
}

/// How many bytes at the start of `s` are printable ASCII (0x20..0x7e), eight at a time.
fn printable_run(s: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut n = 0;
    for c in s.chunks_exact(8) {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        // High bits mark bytes >= 0x80, below 0x20, or equal to 0x7f (DEL). The borrow of a
        // subtraction can only mark extra lanes after a real one, which the bytewise end sorts.
        let low = w.wrapping_sub(ONES * 0x20) & !w;
        let del = (w ^ (ONES * 0x7f)).wrapping_sub(ONES) & !(w ^ (ONES * 0x7f));
        if (w | low | del) & HIGH != 0 {
            break;
        }
        n += 8;
    }
    n + s[n..].iter().take_while(|&&c| (0x20..0x7f).contains(&c)).count()
}

/// `%6d\t` as GNU numbers lines.
fn number(st: &mut State, out: &mut Vec<u8>) {
    st.line += 1;
    let mut d = [0u8; 20];
    let digits = crate::common::out::fmt_u64(st.line, &mut d);
    for _ in digits.len()..6 {
        out.push(b' ');
    }
    out.extend_from_slice(digits);
    out.push(b'\t');
}

/// One byte in `-v` notation: `^X` for controls, `^?` for DEL, `M-` for the high half.
fn visible(mut c: u8, tabs: bool, out: &mut Vec<u8>) {
    let high = c >= 128;
    if high {
        out.extend_from_slice(b"M-");
        c -= 128;
    }
    match c {
        b'\t' if !tabs && !high => out.push(b'\t'),
        0..=31 => out.extend_from_slice(&[b'^', c + 64]),
        127 => out.extend_from_slice(b"^?"),
        _ => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(input: &[&[u8]], f: Flags) -> Vec<u8> {
        let mut st = State::new();
        let mut out = Vec::new();
        for b in input {
            format_block(b, &f, &mut st, &mut out);
        }
        out
    }

    #[test]
    fn numbers_all_lines_with_n_and_continues_across_blocks() {
        let f = Flags { number: true, ..Flags::default() };
        assert_eq!(fmt(&[b"a\n\nb", b"c\nd\n"], f), b"     1\ta\n     2\t\n     3\tbc\n     4\td\n");
    }

    #[test]
    fn numbers_blank_lines_only_with_b_not() {
        let f = Flags { number: true, nonblank: true, ..Flags::default() };
        assert_eq!(fmt(&[b"a\n\nb\n"], f), b"     1\ta\n\n     2\tb\n");
    }

    #[test]
    fn squeezes_runs_of_empty_lines_even_across_blocks() {
        let f = Flags { squeeze: true, ..Flags::default() };
        assert_eq!(fmt(&[b"a\n\n\n", b"\n\nb\n\n"], f), b"a\n\nb\n\n");
    }

    #[test]
    fn shows_nonprinting_tabs_and_ends() {
        let f = Flags { nonprinting: true, tabs: true, ends: true, ..Flags::default() };
        assert_eq!(fmt(&[b"a\tb\x01\x7f\xff\xe9\r\n"], f), b"a^Ib^A^?M-^?M-i^M$\n");
        let v = Flags { nonprinting: true, ..Flags::default() };
        assert_eq!(fmt(&[b"\t\0\x89\n"], v), b"\t^@M-^I\n");
    }

    #[test]
    fn tabs_alone_leave_other_bytes() {
        let f = Flags { tabs: true, ..Flags::default() };
        assert_eq!(fmt(&[b"\t\x01\r\n"], f), b"^I\x01\r\n");
        let e = Flags { ends: true, ..Flags::default() };
        assert_eq!(fmt(&[b"a\r\n\rb\n"], e), b"a^M$\n\rb$\n");
    }

    #[test]
    fn printable_runs_stop_at_the_first_special_byte() {
        assert_eq!(printable_run(b"hello world, this is text"), 25);
        for special in [0u8, 0x1f, 0x7f, 0x80, 0xff, b'\t'] {
            for at in 0..20 {
                let mut s = vec![b'~'; 20];
                s[at] = special;
                assert_eq!(printable_run(&s), at, "byte {special:#x} at {at}");
            }
        }
        assert_eq!(printable_run(b" !~"), 3);
    }

    #[test]
    fn wide_line_numbers_grow() {
        let mut st = State { line: 999_999, at_start: true, blanks: 0 };
        let mut out = Vec::new();
        format_block(b"x\n", &Flags { number: true, ..Flags::default() }, &mut st, &mut out);
        assert_eq!(out, b"1000000\tx\n");
    }
}
