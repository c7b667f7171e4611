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

use crate::common::copy::{self, c_path, plan_or_report, Copier, Deref, Options, Overwrite};
use crate::common::num::push_u64;
use crate::common::{long, path, quoted, Cx, Getopt, HasArg, Long, Opt};

const USAGE: &str = "\
Usage: mv [-finTv] [-t DIR] SRC DEST  or  mv [OPTION]... SRC... DIR

Rename SRC to DEST, or move each SRC into the directory DIR. Without -f, a destination
that is not writable is replaced only after a yes on the terminal.

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

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let mut g = Getopt::new(&args, "fint:Tv", LONGS);
    // The checks are cp's with every link taken as itself; the last of -f -i -n wins.
    let mut o = Options {
        recursive: true,
        deref: Deref::Never,
        overwrite: Overwrite::AskUnwritable,
        ..Options::new()
    };
    let mut verbose = false;
    let mut target_dir = None;
    let mut no_target_dir = false;
    while let Some(opt) = g.next() {
        match opt {
            Ok(Opt::Char(b'f')) => o.overwrite = Overwrite::Yes,
            Ok(Opt::Char(b'i')) => o.overwrite = Overwrite::Ask,
            Ok(Opt::Char(b'n')) => o.overwrite = Overwrite::Never,
            Ok(Opt::Char(b't')) => target_dir = g.arg(),
            Ok(Opt::Char(b'T')) => no_target_dir = true,
            Ok(Opt::Char(b'v')) => verbose = true,
            other => return cx.opt_exit(other, USAGE, 1),
        }
    }
    let ops = g.operands();
    let plan = match plan_or_report(cx, USAGE, &ops, target_dir, no_target_dir) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let mut c = Copier::new(cx, o);
    for (src, dst) in plan {
        move_one(&mut c, &c_path(src), &c_path(&dst), verbose);
    }
    i32::from(c.failed)
}

fn warn(c: &mut Copier, parts: &[&[u8]]) {
    c.cx.warn(&parts.concat());
    c.failed = true;
}

fn say(cx: &mut Cx, what: &str, a: &str, b: &str) {
    cx.out.str(what);
    cx.out.str(a);
    if !b.is_empty() {
        cx.out.str(" -> ");
        cx.out.str(b);
    }
    cx.out.byte(b'\n');
}

/// Moves `src` to the final name `dst`, reporting failures.
fn move_one(c: &mut Copier, src: &CStr, dst: &CStr, verbose: bool) {
    let Some(checked) = c.check(src, dst, true, true) else { return };
    let (qs, qd) = (quoted(src.to_bytes()), quoted(dst.to_bytes()));
    match rustix::fs::rename(src, dst) {
        Ok(()) => {
            if verbose {
                say(c.cx, "renamed ", &qs, &qd);
            }
        }
        Err(Errno::XDEV) => move_across(c, src, dst, verbose),
        Err(Errno::INVAL) if FileType::from_raw_mode(checked.st.st_mode) == FileType::Directory => {
            warn(c, &[b"cannot move ", qs.as_bytes(), b" to a subdirectory of itself, ", qd.as_bytes()])
        }
        Err(e) => cannot_move(c, &qs, &qd, e),
    }
}

fn cannot_move(c: &mut Copier, qs: &str, qd: &str, e: Errno) {
    let why = crate::rt::strerror(e).as_bytes();
    warn(c, &[b"cannot move ", qs.as_bytes(), b" to ", qd.as_bytes(), b": ", why]);
}

/// A name beside `dst` that does not exist yet: `DIR/.NAME.k1mv-PID-N`.
fn temp_name(dst: &[u8]) -> CString {
    let pid = rustix::process::getpid().as_raw_nonzero().get() as u64;
    let base = path::basename(dst);
    // Room for the suffix within NAME_MAX (255).
    let base = &base[..base.len().min(200)];
    let mut n = 0u64;
    loop {
        let mut name = b".".to_vec();
        name.extend_from_slice(base);
        name.extend_from_slice(b".k1mv-");
        push_u64(&mut name, pid);
        name.push(b'-');
        push_u64(&mut name, n);
        let p = c_path(&path::join(path::dirname(dst), &name));
        if rustix::fs::lstat(&p).is_err() {
            return p;
        }
        n += 1;
    }
}

/// The EXDEV path: copy everything (as cp -a) to a temporary name beside `dst`, each file
/// synced and its size checked, rename it into place, and only then remove the source.
fn move_across(c: &mut Copier, src: &CStr, dst: &CStr, verbose: bool) {
    let (qs, qd) = (quoted(src.to_bytes()), quoted(dst.to_bytes()));
    let tmp = temp_name(dst.to_bytes());
    let checks = c.o;
    c.o = Options { sync: true, ..Options::archive() };
    c.forget_links();
    let copied = c.copy_operand(src.to_bytes(), tmp.to_bytes());
    c.o = checks;
    let placed = copied
        && match rustix::fs::rename(&tmp, dst) {
            Ok(()) => true,
            Err(e) => {
                cannot_move(c, &qs, &qd, e);
                false
            }
        };
    if !placed {
        // Whatever was copied goes again; the source was never touched.
        let _ = copy::remove_tree(&tmp);
        return;
    }
    let dir = c_path(path::dirname(dst.to_bytes()));
    if let Ok(fd) =
        rustix::fs::open(&dir, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())
    {
        let _ = rustix::fs::fsync(&fd);
    }
    if verbose {
        say(c.cx, "copied ", &qs, &qd);
    }
    match copy::remove_tree(src) {
        Ok(()) if verbose => say(c.cx, "removed ", &qs, ""),
        Ok(()) => {}
        Err(e) => {
            c.cx.report(&e);
            c.failed = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names_sit_beside_the_destination_and_are_hidden() {
        let t = temp_name(b"/nonexistent-dir/target");
        assert!(t.to_bytes().starts_with(b"/nonexistent-dir/.target.k1mv-"), "{t:?}");
        let long = [b'x'; 255];
        let t = temp_name(&long);
        assert!(path::basename(t.to_bytes()).len() <= 255);
        let t = temp_name(b"plain");
        assert!(t.to_bytes().starts_with(b"./.plain.k1mv-"), "{t:?}");
    }
}
