//! ln — make hard or symbolic links (POSIX -s -f -L -P; GNU -n -v -T -t -r).
//!
//! `ln TARGET` links into the current directory, `ln TARGET LINK` makes LINK (inside it
//! when it is a directory), `ln TARGET... DIR` and `ln -t DIR TARGET...` link into DIR.
//! With -f an existing LINK is replaced atomically: the new link is made under a
//! temporary name beside it and renamed over it. With -r the symbolic link's text is the
//! path from the link's directory to TARGET, both with symbolic links resolved.
use alloc::vec::Vec;
use rustix::fs::{AtFlags, FileType, CWD};
use rustix::io::Errno;

use crate::common::copy::c_path as c;
use crate::common::{long, path, Cx, Getopt, HasArg, Long, Opt};

const USAGE: &str = "\
Usage: ln [-sfnrvTLP] TARGET [LINK]
   or: ln [-sfnrvLP] TARGET... DIRECTORY
   or: ln [-sfnrvLP] -t DIRECTORY TARGET...

Make a link to each TARGET: hard links by default, symbolic links with -s.

  -s, --symbolic           make symbolic links
  -f, --force              replace existing destination files
  -n, --no-dereference     treat a LINK that is a symbolic link to a directory as a file
  -r, --relative           make symbolic links relative to the link's directory
  -t, --target-directory=DIR  make the links in DIR
  -T, --no-target-directory   LINK is always the link's name, never a directory
  -v, --verbose            print the name of each link made
  -L, --logical            hard-link the files symbolic-link TARGETs point to
  -P, --physical           hard-link symbolic links themselves (default)
";

const LONGS: &[Long] = &[
    long("force", HasArg::No, b'f' as u16),
    long("logical", HasArg::No, b'L' as u16),
    long("no-dereference", HasArg::No, b'n' as u16),
    long("no-target-directory", HasArg::No, b'T' as u16),
    long("physical", HasArg::No, b'P' as u16),
    long("relative", HasArg::No, b'r' as u16),
    long("symbolic", HasArg::No, b's' as u16),
    long("target-directory", HasArg::Yes, b't' as u16),
    long("verbose", HasArg::No, b'v' as u16),
];

struct Ln {
    symbolic: bool,
    force: bool,
    relative: bool,
    verbose: bool,
    follow: bool,
}

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let mut g = Getopt::new(&args, "sfnrt:TvLP", LONGS);
    let mut ln = Ln { symbolic: false, force: false, relative: false, verbose: false, follow: false };
    let (mut no_deref, mut no_dir, mut dir) = (false, false, None);
    while let Some(o) = g.next() {
        match o {
            Ok(Opt::Char(b's')) => ln.symbolic = true,
            Ok(Opt::Char(b'f')) => ln.force = true,
            Ok(Opt::Char(b'n')) => no_deref = true,
            Ok(Opt::Char(b'r')) => ln.relative = true,
            Ok(Opt::Char(b't')) => dir = g.arg(),
            Ok(Opt::Char(b'T')) => no_dir = true,
            Ok(Opt::Char(b'v')) => ln.verbose = true,
            Ok(Opt::Char(b'L')) => ln.follow = true,
            Ok(Opt::Char(b'P')) => ln.follow = false,
            other => return cx.opt_exit(other, USAGE, 1),
        }
    }
    let mut ops = g.operands();
    let from_t = dir.is_some();
    if ln.relative && !ln.symbolic {
        return cx.usage_error("cannot do --relative without --symbolic", USAGE, 1);
    }
    if dir.is_some() && no_dir {
        return cx.usage_error(
            "cannot combine --target-directory (-t) and --no-target-directory (-T)",
            USAGE,
            1,
        );
    }
    if ops.is_empty() {
        return cx.usage_error("missing file operand", USAGE, 1);
    }
    if dir.is_none() && !no_dir && ops.len() >= 2 {
        let last = ops[ops.len() - 1];
        if ops.len() > 2 || is_dir(last, no_deref) {
            dir = ops.pop();
        }
    }
    let mut code = 0;
    if let Some(d) = dir {
        if !is_dir(d, false) {
            // As GNU: `-t FILE` "is not a directory", `A B FILE` ": Not a directory".
            let why = match rustix::fs::stat(&*c(d)) {
                Ok(_) if from_t => "' is not a directory",
                r => crate::rt::strerror(r.err().unwrap_or(Errno::NOTDIR)),
            };
            let sep: &[u8] = if why.starts_with('\'') { b"" } else { b"': " };
            cx.warn_parts(&[b"target '", d, sep, why.as_bytes()]);
            return 1;
        }
        for t in ops {
            let name = path::join(d, path::basename(t));
            code |= ln.link(cx, t, &name);
        }
        return code;
    }
    match ops[..] {
        [t] => ln.link(cx, t, path::basename(t)),
        [t, l] => ln.link(cx, t, l),
        _ => {
            cx.warn_parts(&[b"extra operand '", ops[2], b"'"]);
            cx.usage_line(USAGE);
            1
        }
    }
}

/// A directory (through symbolic links, unless `no_deref` and `p` is one).
fn is_dir(p: &[u8], no_deref: bool) -> bool {
    let st = if no_deref { rustix::fs::lstat(&*c(p)) } else { rustix::fs::stat(&*c(p)) };
    st.is_ok_and(|s| FileType::from_raw_mode(s.st_mode) == FileType::Directory)
}

impl Ln {
    /// Makes the link `link` to `target`; 0 or 1.
    fn link(&self, cx: &mut Cx, target: &[u8], link: &[u8]) -> i32 {
        let text = if self.relative {
            match relative_to(target, path::dirname(link)) {
                Ok(t) => t,
                Err(e) => {
                    cx.warn_path(target, e);
                    return 1;
                }
            }
        } else {
            target.to_vec()
        };
        let mut r = self.make(&text, target, link);
        if r == Err(Errno::EXIST) && self.force {
            r = self.replace(cx, &text, target, link);
        }
        match r {
            Ok(()) => {
                if self.verbose {
                    cx.out.quoted(link);
                    cx.out.str(if self.symbolic { " -> " } else { " => " });
                    cx.out.quoted(&text);
                    cx.out.byte(b'\n');
                }
                0
            }
            Err(Errno::PERM) if !self.symbolic && is_dir(target, !self.follow) => {
                cx.warn_parts(&[target, b": hard link not allowed for directory"]);
                1
            }
            // Reported already.
            Err(Errno::ALREADY) => 1,
            Err(e) => {
                match rustix::fs::lstat(&*c(target)) {
                    Err(te) if !self.symbolic => cx.warn_path(target, te),
                    _ => cx.warn_path(link, e),
                }
                1
            }
        }
    }

    fn make(&self, text: &[u8], target: &[u8], at: &[u8]) -> Result<(), Errno> {
        if self.symbolic {
            rustix::fs::symlink(&*c(text), &*c(at))
        } else {
            let flags = if self.follow { AtFlags::SYMLINK_FOLLOW } else { AtFlags::empty() };
            rustix::fs::linkat(CWD, &*c(target), CWD, &*c(at), flags)
        }
    }

    /// -f: puts the new link in place of the existing `link`.
    fn replace(&self, cx: &mut Cx, text: &[u8], target: &[u8], link: &[u8]) -> Result<(), Errno> {
        let old = rustix::fs::lstat(&*c(link))?;
        // What the new link would point at: for a symbolic link, `text` from link's directory.
        let src = if self.symbolic && !text.starts_with(b"/") {
            path::join(path::dirname(link), text)
        } else {
            target.to_vec()
        };
        let src_st = if self.follow && !self.symbolic {
            rustix::fs::stat(&*c(&src))
        } else {
            rustix::fs::lstat(&*c(&src))
        };
        if let Ok(s) = src_st {
            if s.st_dev == old.st_dev && s.st_ino == old.st_ino {
                if !self.symbolic && !same_entry(&src, link) {
                    return Ok(()); // already a hard link to it
                }
                cx.warn_parts(&[b"'", target, b"' and '", link, b"' are the same file"]);
                return Err(Errno::ALREADY);
            }
        }
        let dir = path::dirname(link);
        let pid = rustix::process::getpid().as_raw_nonzero().get() as u64;
        for n in 0..100u64 {
            let mut tmp = Vec::from(b".ln".as_slice());
            crate::common::num::push_u64(&mut tmp, pid);
            tmp.push(b'.');
            crate::common::num::push_u64(&mut tmp, n);
            let tmp = path::join(dir, &tmp);
            match self.make(text, target, &tmp) {
                Ok(()) => {}
                Err(Errno::EXIST) => continue,
                Err(e) => return Err(e),
            }
            return rustix::fs::rename(&*c(&tmp), &*c(link)).inspect_err(|_| {
                let _ = rustix::fs::unlink(&*c(&tmp));
            });
        }
        Err(Errno::EXIST)
    }
}

/// True when `a` and `b` name the same directory entry.
fn same_entry(a: &[u8], b: &[u8]) -> bool {
    let (da, db) = (rustix::fs::stat(&*c(path::dirname(a))), rustix::fs::stat(&*c(path::dirname(b))));
    matches!((da, db), (Ok(x), Ok(y)) if x.st_dev == y.st_dev && x.st_ino == y.st_ino)
        && path::basename(a) == path::basename(b)
}

/// The path from directory `dir` to `target`, both made absolute with symbolic links
/// resolved (missing parts taken as written), as `ln -r` and `realpath --relative-to`.
fn relative_to(target: &[u8], dir: &[u8]) -> Result<Vec<u8>, Errno> {
    Ok(relative(&canonical(target)?, &canonical(dir)?))
}

/// `to` relative to `from`, both canonical (`/` or `/a/b`: no `.`, `..`, doubled or
/// trailing slashes).
fn relative(to: &[u8], from: &[u8]) -> Vec<u8> {
    let root = |p: &'_ [u8]| -> usize { usize::from(p != b"/") * p.len() };
    let (to, from) = (&to[..root(to)], &from[..root(from)]);
    // The longest run of whole components both share.
    let n = to.iter().zip(from).take_while(|(a, b)| a == b).count();
    let whole = |p: &[u8]| p.get(n).is_none_or(|&c| c == b'/');
    let k = if whole(to) && whole(from) { n } else { to[..n].iter().rposition(|&c| c == b'/').unwrap_or(0) };
    let mut out = Vec::new();
    for _ in from[k..].iter().filter(|&&c| c == b'/') {
        out.extend_from_slice(b"../");
    }
    match to.get(k + 1..) {
        Some(rest) if !rest.is_empty() => out.extend_from_slice(rest),
        _ => {
            if out.pop().is_none() {
                out.push(b'.');
            }
        }
    }
    out
}

/// `p` as an absolute path without `.`, `..` or symbolic links; components that do not
/// exist are kept as written.
pub fn canonical(p: &[u8]) -> Result<Vec<u8>, Errno> {
    let mut todo = if p.starts_with(b"/") {
        p.to_vec()
    } else {
        path::join(rustix::process::getcwd(Vec::new())?.as_bytes(), p)
    };
    let mut out: Vec<u8> = Vec::new();
    let (mut links, mut missing, mut pos) = (0, false, 0);
    while pos < todo.len() {
        let end = todo[pos..].iter().position(|&c| c == b'/').map_or(todo.len(), |i| pos + i);
        let comp = &todo[pos..end];
        let next = end + 1;
        match comp {
            b"" | b"." => {}
            b".." => out.truncate(out.iter().rposition(|&c| c == b'/').unwrap_or(0)),
            name => {
                let len = out.len();
                out.push(b'/');
                out.extend_from_slice(name);
                if !missing {
                    match rustix::fs::readlink(&*c(&out), Vec::new()) {
                        Ok(t) => {
                            links += 1;
                            if links > 40 {
                                return Err(Errno::LOOP);
                            }
                            out.truncate(len);
                            let t = t.into_bytes();
                            if t.starts_with(b"/") {
                                out.clear();
                            }
                            let mut rest = t;
                            rest.push(b'/');
                            rest.extend_from_slice(todo.get(next..).unwrap_or(b""));
                            todo = rest;
                            pos = 0;
                            continue;
                        }
                        Err(Errno::INVAL) => {}
                        Err(Errno::NOENT | Errno::NOTDIR) => missing = true,
                        Err(e) => return Err(e),
                    }
                }
            }
        }
        pos = next;
    }
    if out.is_empty() {
        out.push(b'/');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_between_canonical_names() {
        assert_eq!(relative(b"/a/b/c", b"/a/b"), b"c");
        assert_eq!(relative(b"/a/x", b"/a/b/c"), b"../../x");
        assert_eq!(relative(b"/", b"/t/s"), b"../..");
        assert_eq!(relative(b"/a/b", b"/a/b"), b".");
        assert_eq!(relative(b"/a", b"/a/b"), b"..");
        assert_eq!(relative(b"/ab", b"/a"), b"../ab");
        assert_eq!(relative(b"/a", b"/ab"), b"../a");
        assert_eq!(relative(b"/", b"/"), b".");
        assert_eq!(relative(b"/a/b", b"/"), b"a/b");
        assert_eq!(relative(b"/x/y", b"/x/yz/w"), b"../../y");
    }

    #[test]
    fn canonical_resolves_dots_links_and_keeps_missing_parts() {
        assert_eq!(canonical(b"/").unwrap(), b"/");
        assert_eq!(canonical(b"/proc/../proc/./self/..").unwrap(), b"/proc");
        assert_eq!(canonical(b"/nonexistent/x/../y").unwrap(), b"/nonexistent/y");
        let pid = std::process::id().to_string();
        assert_eq!(canonical(b"/proc/self").unwrap(), format!("/proc/{pid}").as_bytes());
        assert_eq!(canonical(b"///proc//self/").unwrap(), format!("/proc/{pid}").as_bytes());
    }
}
