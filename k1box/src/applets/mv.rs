//! mv — move (rename) files (POSIX mv; GNU options -n -t -T -v).
//!
//! rename(2) first. Across file systems (EXDEV) the tree is copied as `cp -a` would, under
//! a temporary name beside the destination, every file fsynced and its size checked; only
//! then is it renamed into place and the source removed. A failed copy is removed again and
//! the source stays.
use alloc::ffi::CString;
use core::ffi::CStr;
use rustix::fs::{FileType, Mode, OFlags};
use rustix::io::Errno;

use crate::common::copy::{self, ask, c_path, plan, Copier, Options, Problem};
use crate::common::{long, path, quoted, Cx, Getopt, HasArg, Long, Opt};

const USAGE: &str = "\
Usage: mv [-finTv] [-t DIR] SRC DEST  or  mv [OPTION]... SRC... DIR

Rename SRC to DEST, or move each SRC into the directory DIR.

  -f, --force          never ask before overwriting
  -i, --interactive    ask before overwriting
  -n, --no-clobber     never overwrite an existing file
  -t, --target-directory=DIR  move every SRC into DIR
  -T, --no-target-directory   treat DEST as a normal file
  -v, --verbose        explain what is being done
";

const LONGS: &[Long] = &[
    long("force", HasArg::No, b'f' as u16),
    long("interactive", HasArg::No, b'i' as u16),
    long("no-clobber", HasArg::No, b'n' as u16),
    long("no-target-directory", HasArg::No, b'T' as u16),
    long("target-directory", HasArg::Yes, b't' as u16),
    long("verbose", HasArg::No, b'v' as u16),
];

/// What to do with an existing destination (the last of -f -i -n wins).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Clobber {
    Yes,
    Ask,
    Never,
}

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let mut g = Getopt::new(&args, "fint:Tv", LONGS);
    let mut clobber = Clobber::Yes;
    let mut verbose = false;
    let mut target_dir = None;
    let mut no_target_dir = false;
    while let Some(opt) = g.next() {
        match opt {
            Ok(Opt::Char(b'f')) => clobber = Clobber::Yes,
            Ok(Opt::Char(b'i')) => clobber = Clobber::Ask,
            Ok(Opt::Char(b'n')) => clobber = Clobber::Never,
            Ok(Opt::Char(b't')) => target_dir = g.arg(),
            Ok(Opt::Char(b'T')) => no_target_dir = true,
            Ok(Opt::Char(b'v')) => verbose = true,
            other => return cx.opt_exit(other, USAGE, 1),
        }
    }
    let ops = g.operands();
    let plan = match plan(&ops, target_dir, no_target_dir) {
        Ok(p) => p,
        Err(Problem::Usage(m)) => return cx.usage_error(&m, USAGE, 1),
        Err(Problem::Target(m)) => {
            cx.warn(m.as_bytes());
            return 1;
        }
    };
    let mut code = 0;
    for (src, dst) in plan {
        if !move_one(cx, src, &dst, clobber, verbose) {
            code = 1;
        }
    }
    code
}

fn warn(cx: &mut Cx, parts: &[&[u8]]) -> bool {
    cx.warn(&parts.concat());
    false
}

fn is_dir(st: &rustix::fs::Stat) -> bool {
    FileType::from_raw_mode(st.st_mode) == FileType::Directory
}

/// Moves `src` to the final name `dst`; false after reporting a failure.
fn move_one(cx: &mut Cx, src: &[u8], dst: &[u8], clobber: Clobber, verbose: bool) -> bool {
    let (s, d) = (c_path(src), c_path(dst));
    let st = match rustix::fs::lstat(&s) {
        Ok(st) => st,
        Err(e) => {
            cx.warn_path(src, e);
            return false;
        }
    };
    let (qs, qd) = (quoted(src), quoted(dst));
    let existing = rustix::fs::lstat(&d).ok();
    if let Some(d) = &existing {
        if (d.st_dev, d.st_ino) == (st.st_dev, st.st_ino) {
            return warn(cx, &[qs.as_bytes(), b" and ", qd.as_bytes(), b" are the same file"]);
        }
        if is_dir(&st) && !is_dir(d) {
            return warn(
                cx,
                &[b"cannot overwrite non-directory ", qd.as_bytes(), b" with directory ", qs.as_bytes()],
            );
        }
        if !is_dir(&st) && is_dir(d) {
            return warn(cx, &[b"cannot overwrite directory ", qd.as_bytes(), b" with non-directory"]);
        }
        match clobber {
            Clobber::Yes => {}
            Clobber::Never => return true,
            Clobber::Ask => {
                if !ask(cx, &[b"overwrite ", qd.as_bytes(), b"? "]) {
                    return true;
                }
            }
        }
    }
    match rustix::fs::rename(&s, &d) {
        Ok(()) => {}
        Err(Errno::XDEV) => return move_across(cx, &s, &d, verbose),
        Err(Errno::INVAL) if is_dir(&st) => {
            return warn(
                cx,
                &[b"cannot move ", qs.as_bytes(), b" to a subdirectory of itself, ", qd.as_bytes()],
            );
        }
        Err(e) => {
            let why = crate::rt::strerror(e).as_bytes();
            return warn(cx, &[b"cannot move ", qs.as_bytes(), b" to ", qd.as_bytes(), b": ", why]);
        }
    }
    if verbose {
        say(cx, "renamed ", &qs, Some(&qd));
    }
    true
}

fn say(cx: &mut Cx, what: &str, a: &str, b: Option<&str>) {
    cx.out.str(what);
    cx.out.str(a);
    if let Some(b) = b {
        cx.out.str(" -> ");
        cx.out.str(b);
    }
    cx.out.byte(b'\n');
}

/// A name beside `dst` that does not exist yet: `DIR/.NAME.k1mv-PID-N`.
fn temp_name(dst: &[u8]) -> CString {
    let pid = rustix::process::getpid().as_raw_nonzero().get() as u64;
    let mut n = 0u64;
    loop {
        let mut name = b".".to_vec();
        name.extend_from_slice(path::basename(dst));
        name.extend_from_slice(b".k1mv-");
        crate::common::num::push_u64(&mut name, pid);
        name.push(b'-');
        crate::common::num::push_u64(&mut name, n);
        let p = c_path(&path::join(path::dirname(dst), &name));
        if rustix::fs::lstat(&p).is_err() {
            return p;
        }
        n += 1;
    }
}

/// The EXDEV path: copy everything to a temporary name, sync, rename into place, then
/// remove the source.
fn move_across(cx: &mut Cx, src: &CStr, dst: &CStr, verbose: bool) -> bool {
    let tmp = temp_name(dst.to_bytes());
    let (qs, qd) = (quoted(src.to_bytes()), quoted(dst.to_bytes()));
    let mut o = Options::archive();
    o.sync = true;
    let mut c = Copier::new(cx, o);
    let copied = c.copy_operand(src.to_bytes(), tmp.to_bytes());
    let placed = copied && {
        match rustix::fs::rename(&tmp, dst) {
            Ok(()) => true,
            Err(e) => {
                let why = crate::rt::strerror(e).as_bytes();
                warn(cx, &[b"cannot move ", qs.as_bytes(), b" to ", qd.as_bytes(), b": ", why])
            }
        }
    };
    if !placed {
        // Whatever was copied goes again; the source was never touched.
        let _ = copy::remove_tree(&tmp);
        return false;
    }
    let dir = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
    if let Ok(fd) = rustix::fs::open(c_path(path::dirname(dst.to_bytes())).as_c_str(), dir, Mode::empty()) {
        let _ = rustix::fs::fsync(&fd);
    }
    if verbose {
        say(cx, "copied ", &qs, Some(&qd));
    }
    if let Err(e) = copy::remove_tree(src) {
        cx.report(&e);
        return false;
    }
    if verbose {
        say(cx, "removed ", &qs, None);
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names_sit_beside_the_destination_and_are_hidden() {
        let t = temp_name(b"/nonexistent-dir/target");
        assert!(t.to_bytes().starts_with(b"/nonexistent-dir/.target.k1mv-"), "{t:?}");
        let t = temp_name(b"plain");
        assert!(t.to_bytes().starts_with(b"./.plain.k1mv-"), "{t:?}");
    }
}
