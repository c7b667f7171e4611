//! tail — print the last part of files (POSIX `tail [-f] [-c|-n [+-]N]`, with GNU's -F,
//! --follow=name|descriptor, --retry, -s, --pid, -q, -v, -z, size suffixes and the obsolete
//! `tail -N`, `tail +N`).
//!
//! A regular file is read backwards from its end, then the tail is copied by the kernel; a
//! pipe is read to its end holding back only what may be among the last lines. Following
//! polls every `-s` seconds, woken early by inotify when the kernel offers it.
use alloc::vec::Vec;
use rustix::fd::{BorrowedFd, OwnedFd};
use rustix::fs::{FileType, SeekFrom};
use rustix::io::Errno;

use super::cat::write_failed;
use super::head::{bad_number, cannot_open, header};
use crate::common::fs::{copy_fd, open_read, read_some, CopyError, Input};
use crate::common::lines::{first_lines, hold_tail, last_bytes_in, last_lines_in};
use crate::common::{long, Cx, Getopt, HasArg, Long, Opt};
use crate::rt::strerror;

const USAGE: &str = "\
Usage: tail [-fFqvz] [-c [+]N] [-n [+]N] [-s SECONDS] [--pid=PID] [FILE]...

Print the last 10 lines of each FILE (standard input for none or `-`), with a
`==> FILE <==` header when there are several.

  -c, --bytes=[+]N      the last N bytes; with +, from byte N on
  -n, --lines=[+]N      the last N lines; with +, from line N on
  -f, --follow[=HOW]    print data as the file grows; HOW is descriptor (the default)
                        or name (reopen the file when it is renamed or recreated)
  -F                    same as --follow=name --retry
      --retry           keep trying to open a file that is missing
  -s, --sleep-interval=N  check for new data every N seconds (default 1)
      --pid=PID         with -f, stop once process PID has ended
  -q, --quiet           never print headers
  -v, --verbose         always print headers
  -z, --zero-terminated lines end with NUL, not newline
N may have a suffix: b 512, kB 1000, K 1024, MB, M, GB, G, ...
";

const RETRY: u16 = 256;
const PID: u16 = 257;
const MAX_STATS: u16 = 258;

const LONGS: &[Long] = &[
    long("bytes", HasArg::Yes, b'c' as u16),
    long("follow", HasArg::Optional, b'f' as u16),
    long("lines", HasArg::Yes, b'n' as u16),
    long("max-unchanged-stats", HasArg::Yes, MAX_STATS),
    long("pid", HasArg::Yes, PID),
    long("quiet", HasArg::No, b'q' as u16),
    long("retry", HasArg::No, RETRY),
    long("silent", HasArg::No, b'q' as u16),
    long("sleep-interval", HasArg::Yes, b's' as u16),
    long("verbose", HasArg::No, b'v' as u16),
    long("zero-terminated", HasArg::No, b'z' as u16),
];

/// How much to print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Amount {
    pub bytes: bool,
    /// From line/byte `n` on (`+N`) instead of the last `n`.
    pub from_start: bool,
    pub n: u64,
}

/// Parses `[+-]N[suffix]`.
pub fn parse_amount(s: &[u8], bytes: bool) -> Option<Amount> {
    let (from_start, digits) = match s.first() {
        Some(b'+') => (true, &s[1..]),
        Some(b'-') => (false, &s[1..]),
        _ => (false, s),
    };
    let n = crate::common::num::parse_size(digits)?;
    Some(Amount { bytes, from_start, n })
}

/// The obsolete `-N[bcl][f]` / `+N[bcl][f]` first argument, as an amount and follow flag.
pub fn obsolete(a: &[u8]) -> Option<(Amount, bool)> {
    let from_start = match a.first() {
        Some(b'+') => true,
        Some(b'-') => false,
        _ => return None,
    };
    let body = &a[1..];
    let digits = body.iter().take_while(|c| c.is_ascii_digit()).count();
    let mut rest = &body[digits..];
    let mut n = crate::common::num::parse_u64(&body[..digits])?;
    let mut bytes = false;
    if let Some((&c, r)) = rest.split_first() {
        let mult = match c {
            b'b' => Some(512),
            b'c' => Some(1),
            b'l' => None,
            _ => Some(0),
        };
        match mult {
            Some(0) => {}
            Some(m) => {
                n = n.checked_mul(m)?;
                bytes = true;
                rest = r;
            }
            None => rest = r,
        }
    }
    let follow = match rest {
        b"" => false,
        b"f" => true,
        _ => return None,
    };
    Some((Amount { bytes, from_start, n }, follow))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Follow {
    No,
    Descriptor,
    Name,
}

struct Opts {
    amount: Amount,
    follow: Follow,
    retry: bool,
    sleep: u64,
    pid: Option<rustix::process::Pid>,
    eol: u8,
}

pub fn main(cx: &mut Cx) -> i32 {
    let mut args = core::mem::take(&mut cx.args);
    let mut o = Opts {
        amount: Amount { bytes: false, from_start: false, n: 10 },
        follow: Follow::No,
        retry: false,
        sleep: 1_000_000_000,
        pid: None,
        eol: b'\n',
    };
    // The obsolete form is only the first argument, with at most one file after it.
    if let Some((a, f)) = args.first().and_then(|a| obsolete(a)) {
        if args.len() <= 2 {
            o.amount = a;
            if f {
                o.follow = Follow::Descriptor;
            }
            args.remove(0);
        } else if args[0][0] == b'-' {
            let c = args[0].get(1).copied().unwrap_or(b'-');
            cx.warn_parts(&[b"option used in invalid context -- ", &[c]]);
            return 1;
        }
    }
    let mut g = Getopt::new(&args, "c:fFn:qs:vz", LONGS);
    let mut headers: Option<bool> = None;
    while let Some(opt) = g.next() {
        match opt {
            Ok(Opt::Char(c @ (b'c' | b'n'))) => {
                let v = g.arg_or_empty();
                match parse_amount(v, c == b'c') {
                    Some(a) => o.amount = a,
                    None => return bad_number(cx, c, v),
                }
            }
            Ok(Opt::Char(b'f')) => {
                o.follow = match g.arg() {
                    None | Some(b"descriptor") => Follow::Descriptor,
                    Some(b"name") => Follow::Name,
                    Some(v) => {
                        cx.warn_parts(&[b"invalid argument '", v, b"' for '--follow'"]);
                        cx.err.str("Valid arguments are:\n  - 'descriptor'\n  - 'name'\nTry 'tail --help' for more information.\n");
                        let _ = cx.err.flush();
                        return 1;
                    }
                }
            }
            Ok(Opt::Char(b'F')) => (o.follow, o.retry) = (Follow::Name, true),
            Ok(Opt::Char(b'q')) => headers = Some(false),
            Ok(Opt::Char(b'v')) => headers = Some(true),
            Ok(Opt::Char(b'z')) => o.eol = 0,
            Ok(Opt::Char(b's')) => match crate::common::num::parse_duration(g.arg_or_empty()) {
                Some(ns) => o.sleep = u64::try_from(ns).unwrap_or(u64::MAX),
                None => {
                    cx.warn_parts(&[b"invalid number of seconds: '", g.arg_or_empty(), b"'"]);
                    return 1;
                }
            },
            Ok(Opt::Long(RETRY)) => o.retry = true,
            Ok(Opt::Long(MAX_STATS)) => {}
            Ok(Opt::Long(PID)) => {
                let v = g.arg_or_empty();
                match crate::common::num::parse_u64(v).and_then(|n| i32::try_from(n).ok()) {
                    Some(n) => o.pid = rustix::process::Pid::from_raw(n),
                    None => {
                        cx.warn_parts(&[b"invalid PID: '", v, b"'"]);
                        return 1;
                    }
                }
            }
            other => return cx.opt_exit(other, USAGE, 1),
        }
    }
    let mut files = g.operands();
    if files.is_empty() {
        files.push(b"-");
    }
    let headers = headers.unwrap_or(files.len() > 1);
    if o.pid.is_some() && o.follow == Follow::No {
        cx.warn_parts(&[b"warning: PID ignored; --pid=PID is useful only when following"]);
    }
    if o.amount.n == 0 && !o.amount.from_start && o.follow == Follow::No {
        return 0; // nothing would ever be printed; GNU does not even open the files
    }
    run(cx, &files, &o, headers)
}

/// A file being tailed, and (when following) watched.
struct Watched<'a> {
    name: &'a [u8],
    fd: Option<Input>,
    /// Device and inode of what `fd` has open, to notice a replaced file.
    id: (u64, u64),
}

fn run(cx: &mut Cx, files: &[&[u8]], o: &Opts, headers: bool) -> i32 {
    let mut code = 0;
    let mut watched = Vec::new();
    let mut last: Option<usize> = None;
    for &name in files {
        let src = match Input::open(name) {
            Ok(s) => s,
            Err(e) => {
                cannot_open(cx, name, e);
                code = 1;
                if o.follow == Follow::Name && o.retry && name != b"-" {
                    watched.push(Watched { name, fd: None, id: (0, 0) });
                }
                continue;
            }
        };
        if headers {
            header(cx, name, last.is_some());
            // Not one of the watched files (yet): the next output from any needs a header.
            last = Some(usize::MAX);
        }
        match tail_fd(cx, src.fd(), o.amount, o.eol) {
            Ok(()) => {}
            Err(CopyError::Read(e)) => {
                let _ = cx.out.flush();
                cx.warn_parts(&[b"error reading '", name, b"': ", strerror(e).as_bytes()]);
                code = 1;
                if o.follow != Follow::No {
                    let why: &[u8] = if o.retry { b"" } else { b"; giving up on this name" };
                    cx.warn_parts(&[name, b": cannot follow end of this type of file", why]);
                }
                if o.follow == Follow::Name && o.retry {
                    // Watched again only once something else appears under the name.
                    let id = rustix::fs::fstat(src.fd()).map_or((0, 0), |st| (st.st_dev, st.st_ino));
                    watched.push(Watched { name, fd: None, id });
                }
                continue;
            }
            Err(CopyError::Write(e)) => return write_failed(cx, e),
        }
        if cx.out.failed() {
            return 1;
        }
        if o.follow != Follow::No {
            // Only regular files can grow under us; pipes are over once they end.
            match rustix::fs::fstat(src.fd()) {
                Ok(st) if is_regular(st.st_mode) => {
                    watched.push(Watched { name, fd: Some(src), id: (st.st_dev, st.st_ino) });
                    if headers {
                        last = Some(watched.len() - 1);
                    }
                }
                // By name, a regular file that replaces it later is followed.
                Ok(st) if o.follow == Follow::Name && name != b"-" => {
                    watched.push(Watched { name, fd: None, id: (st.st_dev, st.st_ino) })
                }
                _ => {}
            }
        }
    }
    if o.follow == Follow::No {
        return code;
    }
    if watched.is_empty() {
        // Pipes just end; files that could not be followed leave nothing to do.
        if code != 0 {
            cx.warn_parts(&[b"no files remaining"]);
        }
        return code;
    }
    if let Err(e) = cx.out.flush() {
        return write_failed(cx, e);
    }
    follow(cx, &mut watched, o, headers, last)
}

fn is_regular(mode: u32) -> bool {
    FileType::from_raw_mode(mode) == FileType::RegularFile
}

/// Prints the tail of one input.
fn tail_fd(cx: &mut Cx, fd: BorrowedFd, a: Amount, eol: u8) -> Result<(), CopyError> {
    let st = rustix::fs::fstat(fd).map_err(CopyError::Read)?;
    let here = if is_regular(st.st_mode) { rustix::fs::seek(fd, SeekFrom::Current(0)).ok() } else { None };
    let size = st.st_size as u64;
    // Regular files with a size we can trust are read from the end. Files of one block or
    // less are just read: /proc and /sys files claim 0 or 4096 bytes whatever they hold.
    if let Some(start) = here.filter(|&p| size > 4096 && p <= size) {
        let from = match (a.from_start, a.bytes) {
            (false, true) => size.saturating_sub(a.n).max(start),
            (false, false) => last_lines_start(fd, start, size, a.n, eol).map_err(CopyError::Read)?,
            (true, true) => start.saturating_add(a.n.saturating_sub(1)),
            (true, false) => return from_line(cx, fd, a.n, eol),
        };
        rustix::fs::seek(fd, SeekFrom::Start(from)).map_err(CopyError::Read)?;
        cx.out.flush().map_err(CopyError::Write)?;
        return copy_fd(fd, crate::rt::stdout()).map(|_| ());
    }
    match (a.from_start, a.bytes) {
        (true, false) => from_line(cx, fd, a.n, eol),
        (true, true) => {
            let mut skip = a.n.saturating_sub(1);
            let mut buf = alloc::vec![0u8; 64 * 1024];
            while skip > 0 {
                let want = buf.len().min(usize::try_from(skip).unwrap_or(usize::MAX));
                let n = read_some(fd, &mut buf[..want]).map_err(CopyError::Read)?;
                if n == 0 {
                    return Ok(());
                }
                skip -= n as u64;
            }
            cx.out.flush().map_err(CopyError::Write)?;
            copy_fd(fd, crate::rt::stdout()).map(|_| ())
        }
        (false, _) => last_of_stream(cx, fd, a, eol),
    }
}

/// Where the last `n` lines of `fd` (from `start` to `size`) begin, reading backwards.
fn last_lines_start(fd: BorrowedFd, start: u64, size: u64, n: u64, eol: u8) -> Result<u64, Errno> {
    if n == 0 {
        return Ok(size);
    }
    let mut buf = alloc::vec![0u8; 64 * 1024];
    let mut pos = size;
    let mut seen = 0u64;
    let mut first = true;
    while pos > start {
        let len = (buf.len() as u64).min(pos - start) as usize;
        pos -= len as u64;
        let mut got = 0;
        while got < len {
            match rustix::io::pread(fd, &mut buf[got..len], pos + got as u64) {
                Ok(0) => return Err(Errno::IO),
                Ok(k) => got += k,
                Err(Errno::INTR) => {}
                Err(e) => return Err(e),
            }
        }
        let mut end = len;
        if first {
            first = false;
            // The last line's own terminator does not start another line.
            if buf[len - 1] == eol {
                end -= 1;
            }
        }
        for i in memchr::memrchr_iter(eol, &buf[..end]) {
            seen += 1;
            if seen == n {
                return Ok(pos + i as u64 + 1);
            }
        }
    }
    Ok(start)
}

/// Everything from line `n` (1-based; 0 is 1) on.
fn from_line(cx: &mut Cx, fd: BorrowedFd, n: u64, eol: u8) -> Result<(), CopyError> {
    let mut skip = n.saturating_sub(1);
    let mut buf = alloc::vec![0u8; 64 * 1024];
    while skip > 0 {
        let got = read_some(fd, &mut buf).map_err(CopyError::Read)?;
        if got == 0 {
            return Ok(());
        }
        let used = first_lines(&buf[..got], &mut skip, eol);
        if skip == 0 {
            cx.out.put(&buf[used..got]);
        }
    }
    cx.out.flush().map_err(CopyError::Write)?;
    copy_fd(fd, crate::rt::stdout()).map(|_| ())
}

/// The last `n` lines or bytes of a stream.
fn last_of_stream(cx: &mut Cx, fd: BorrowedFd, a: Amount, eol: u8) -> Result<(), CopyError> {
    let start = |d: &[u8]| if a.bytes { last_bytes_in(d, a.n) } else { last_lines_in(d, a.n, eol) };
    let held = hold_tail(fd, &start, &mut |_| true).map_err(CopyError::Read)?;
    cx.out.put(&held[start(&held)..]);
    Ok(())
}

/// Follows the files until killed (or until `--pid` ends, or nothing is left to follow).
fn follow(cx: &mut Cx, w: &mut [Watched], o: &Opts, headers: bool, mut last: Option<usize>) -> i32 {
    let wake = Wakeup::new(w, o.follow == Follow::Name);
    let mut buf = alloc::vec![0u8; 64 * 1024];
    loop {
        // Whether the watched process was alive before this round: one more round after.
        let alive = o.pid.is_none_or(|p| rustix::process::test_kill_process(p) != Err(Errno::SRCH));
        let mut any = false;
        for (i, x) in w.iter_mut().enumerate() {
            if o.follow == Follow::Name {
                check_name(cx, x);
            }
            let Some(src) = &x.fd else { continue };
            let fd = src.fd();
            if let (Ok(st), Ok(pos)) = (rustix::fs::fstat(fd), rustix::fs::seek(fd, SeekFrom::Current(0))) {
                if (st.st_size as u64) < pos {
                    cx.warn_parts(&[x.name, b": file truncated"]);
                    let _ = rustix::fs::seek(fd, SeekFrom::Start(0));
                }
            }
            loop {
                let n = match read_some(fd, &mut buf) {
                    Ok(0) => break,
                    Ok(n) => n,
                    Err(e) => {
                        cx.warn_parts(&[b"error reading '", x.name, b"': ", strerror(e).as_bytes()]);
                        break;
                    }
                };
                if headers && last != Some(i) {
                    header(cx, x.name, true);
                    last = Some(i);
                }
                cx.out.put(&buf[..n]);
                any = true;
            }
        }
        if let Err(e) = cx.out.flush() {
            return write_failed(cx, e);
        }
        if !alive {
            return 0;
        }
        if !o.retry && w.iter().all(|x| x.fd.is_none()) {
            cx.warn(b"no files remaining");
            return 1;
        }
        if !any {
            wake.wait(o.sleep);
        }
    }
}

/// For --follow=name: notices a file that vanished, appeared, was replaced or truncated.
fn check_name(cx: &mut Cx, w: &mut Watched) {
    match rustix::fs::stat(w.name) {
        Err(e) => {
            if w.fd.is_some() {
                cx.warn_parts(&[b"'", w.name, b"' has become inaccessible: ", strerror(e).as_bytes()]);
                w.fd = None;
                w.id = (0, 0);
            }
        }
        Ok(st) if (st.st_dev, st.st_ino) != w.id => {
            if !is_regular(st.st_mode) {
                return; // only a regular file can be followed (and a FIFO would block)
            }
            let Ok(fd) = open_read(w.name) else { return };
            let was = w.fd.is_some();
            let st = rustix::fs::fstat(&fd).unwrap_or(st);
            w.id = (st.st_dev, st.st_ino);
            w.fd = Some(Input::File(fd));
            let how: &[u8] = if was { b"has been replaced" } else { b"has appeared" };
            cx.warn_parts(&[b"'", w.name, b"' ", how, b";  following new file"]);
        }
        Ok(_) => {}
    }
}

/// Sleeps between polls; inotify (where available) ends the sleep as soon as a watched file
/// or its directory changes.
struct Wakeup {
    inotify: Option<OwnedFd>,
}

impl Wakeup {
    fn new(w: &[Watched], by_name: bool) -> Wakeup {
        use rustix::fs::inotify::{add_watch, init, CreateFlags, WatchFlags};
        let Ok(fd) = init(CreateFlags::CLOEXEC | CreateFlags::NONBLOCK) else {
            return Wakeup { inotify: None };
        };
        let file = WatchFlags::MODIFY | WatchFlags::ATTRIB | WatchFlags::DELETE_SELF | WatchFlags::MOVE_SELF;
        // The directory reports changes to whatever file holds the name now, too.
        let dir =
            file | WatchFlags::CREATE | WatchFlags::MOVED_TO | WatchFlags::DELETE | WatchFlags::MOVED_FROM;
        for x in w {
            if x.name != b"-" {
                let _ = add_watch(&fd, x.name, file);
            }
            if by_name {
                let d = crate::common::path::dirname(x.name);
                let _ = add_watch(&fd, d, dir);
            }
        }
        Wakeup { inotify: Some(fd) }
    }

    fn wait(&self, ns: u64) {
        let t = rustix::time::Timespec {
            tv_sec: (ns / 1_000_000_000) as i64,
            tv_nsec: (ns % 1_000_000_000) as i64,
        };
        match &self.inotify {
            Some(fd) => {
                let mut p = [rustix::event::PollFd::new(fd, rustix::event::PollFlags::IN)];
                if let Ok(1..) = rustix::event::poll(&mut p, Some(&t)) {
                    let mut b = [0u8; 4096];
                    while let Ok(1..) = rustix::io::read(fd, &mut b) {}
                }
            }
            None => {
                let _ = rustix::thread::nanosleep(&t);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_with_plus_minus_and_suffixes() {
        assert_eq!(parse_amount(b"+5", false), Some(Amount { bytes: false, from_start: true, n: 5 }));
        assert_eq!(parse_amount(b"-1k", true), Some(Amount { bytes: true, from_start: false, n: 1024 }));
        assert_eq!(parse_amount(b"3", false), Some(Amount { bytes: false, from_start: false, n: 3 }));
        assert_eq!(parse_amount(b"x", false), None);
    }

    #[test]
    fn obsolete_forms() {
        let l = |from_start, n| Amount { bytes: false, from_start, n };
        assert_eq!(obsolete(b"-5"), Some((l(false, 5), false)));
        assert_eq!(obsolete(b"+5"), Some((l(true, 5), false)));
        assert_eq!(obsolete(b"-5f"), Some((l(false, 5), true)));
        assert_eq!(obsolete(b"-2c"), Some((Amount { bytes: true, from_start: false, n: 2 }, false)));
        assert_eq!(obsolete(b"+2b"), Some((Amount { bytes: true, from_start: true, n: 1024 }, false)));
        assert_eq!(obsolete(b"-f"), None);
        assert_eq!(obsolete(b"-n"), None);
        assert_eq!(obsolete(b"-"), None);
        assert_eq!(obsolete(b"file"), None);
    }

    #[test]
    fn last_lines_ignore_the_final_newline() {
        assert_eq!(last_lines_in(b"a\nb\nc\n", 2, b'\n'), 2);
        assert_eq!(last_lines_in(b"a\nb\nc", 2, b'\n'), 2);
        assert_eq!(last_lines_in(b"a\nb\n", 5, b'\n'), 0);
        assert_eq!(last_lines_in(b"a\n", 0, b'\n'), 2);
        assert_eq!(last_lines_in(b"", 3, b'\n'), 0);
    }
}
