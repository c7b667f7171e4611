//! rm — remove files and directory trees (POSIX -f -i -R -r; GNU -I -d -v,
//! --no-preserve-root).
//!
//! Trees are removed with unlinkat(2) relative to directory descriptors opened with
//! O_NOFOLLOW, so symbolic links are removed and never followed, and paths never grow past
//! PATH_MAX. The walk keeps its own stack (no recursion), and only the deepest
//! `OPEN_MAX` directories stay open: an ancestor whose descriptor was closed is reopened
//! through `..` and checked to be the same directory. Operands that are `/`, `.` or `..`
//! are refused.
use alloc::borrow::ToOwned;
use alloc::ffi::CString;
use alloc::vec::Vec;
use core::ffi::CStr;
use rustix::fd::{AsFd, BorrowedFd, OwnedFd};
use rustix::fs::{AtFlags, FileType, Mode, OFlags, RawDir, Stat, CWD};
use rustix::io::Errno;

use crate::common::copy::c_path as c;
use crate::common::{copy, long, path, Cx, Getopt, HasArg, Long, Opt};
use crate::rt;

const USAGE: &str = "\
Usage: rm [-fiIdrRv] FILE...

Remove each FILE. Directories need -r (with their contents) or -d (when empty).

  -f, --force       ignore missing files, never ask
  -i                ask before every removal
  -I                ask once before removing more than three files or a tree
  -d, --dir         remove empty directories
  -r, -R, --recursive  remove directories and everything in them
  -v, --verbose     say what was removed
      --no-preserve-root  do not refuse to remove `/` recursively
";

const NO_PRESERVE_ROOT: u16 = 256;
const LONGS: &[Long] = &[
    long("dir", HasArg::No, b'd' as u16),
    long("force", HasArg::No, b'f' as u16),
    long("no-preserve-root", HasArg::No, NO_PRESERVE_ROOT),
    long("recursive", HasArg::No, b'r' as u16),
    long("verbose", HasArg::No, b'v' as u16),
];

/// How many directory descriptors a walk keeps open at most.
const OPEN_MAX: usize = 16;

#[derive(Clone, Copy, PartialEq)]
enum Ask {
    Never,
    Once,
    Always,
}

struct Rm {
    force: bool,
    ask: Ask,
    recursive: bool,
    dirs: bool,
    verbose: bool,
    preserve_root: bool,
    /// Standard input is a terminal: write-protected files are asked about.
    tty: bool,
    /// The path of what is being removed, for messages and prompts.
    path: Vec<u8>,
    /// getdents buffer, shared by every directory read.
    dirbuf: Vec<u8>,
    failed: bool,
}

/// A directory being emptied.
struct Frame {
    /// None while closed to save descriptors (reopened through a child's `..`).
    fd: Option<OwnedFd>,
    dev: u64,
    ino: u64,
    /// Its name in the parent directory.
    name: CString,
    /// Its entries: a type byte (`d` directory, `?` unknown, `-` other), the name, NUL.
    entries: Vec<u8>,
    pos: usize,
    /// `path`'s length without this directory's name.
    path_len: usize,
    /// Something inside was kept (refused or failed), so it cannot be removed.
    kept: bool,
}

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let mut g = Getopt::new(&args, "fiIdrRv", LONGS);
    let mut rm = Rm {
        force: false,
        ask: Ask::Never,
        recursive: false,
        dirs: false,
        verbose: false,
        preserve_root: true,
        tty: false,
        path: Vec::new(),
        dirbuf: Vec::new(),
        failed: false,
    };
    while let Some(o) = g.next() {
        match o {
            Ok(Opt::Char(b'f')) => (rm.force, rm.ask) = (true, Ask::Never),
            Ok(Opt::Char(b'i')) => (rm.force, rm.ask) = (false, Ask::Always),
            Ok(Opt::Char(b'I')) => (rm.force, rm.ask) = (false, Ask::Once),
            Ok(Opt::Char(b'd')) => rm.dirs = true,
            Ok(Opt::Char(b'r' | b'R')) => rm.recursive = true,
            Ok(Opt::Char(b'v')) => rm.verbose = true,
            Ok(Opt::Long(NO_PRESERVE_ROOT)) => rm.preserve_root = false,
            other => return cx.opt_exit(other, USAGE, 1),
        }
    }
    let files = g.operands();
    if files.is_empty() {
        if rm.force {
            return 0;
        }
        return cx.usage_error("missing operand", USAGE, 1);
    }
    rm.tty = rustix::termios::isatty(rt::stdin());
    if rm.ask == Ask::Once && (files.len() > 3 || rm.recursive) {
        let mut n = Vec::new();
        crate::common::num::push_u64(&mut n, files.len() as u64);
        let plural: &[u8] = if files.len() == 1 { b" argument" } else { b" arguments" };
        let how: &[u8] = if rm.recursive { b" recursively? " } else { b"? " };
        if !yes(cx, &[b"remove ", &n, plural, how]) {
            return 0;
        }
    }
    for f in files {
        rm.operand(cx, f);
    }
    i32::from(rm.failed)
}

/// Asks `rm: QUESTION` (after what -v printed so far) and reads the answer.
fn yes(cx: &mut Cx, question: &[&[u8]]) -> bool {
    let _ = cx.out.flush();
    copy::ask(cx, question)
}

/// What GNU calls a file of this mode in prompts.
fn kind(st: &Stat) -> &'static str {
    match FileType::from_raw_mode(st.st_mode) {
        FileType::RegularFile if st.st_size == 0 => "regular empty file",
        FileType::RegularFile => "regular file",
        FileType::Directory => "directory",
        FileType::Symlink => "symbolic link",
        FileType::Fifo => "fifo",
        FileType::Socket => "socket",
        FileType::CharacterDevice => "character special file",
        FileType::BlockDevice => "block special file",
        FileType::Unknown => "file",
    }
}

fn is_dir(st: &Stat) -> bool {
    FileType::from_raw_mode(st.st_mode) == FileType::Directory
}

impl Rm {
    fn fail(&mut self, cx: &mut Cx, e: Errno) {
        cx.warn_path(&self.path, e);
        self.failed = true;
    }

    fn removed(&self, cx: &mut Cx, dir: bool) {
        if self.verbose {
            cx.out.str(if dir { "removed directory " } else { "removed " });
            cx.out.quoted(&self.path);
            cx.out.byte(b'\n');
        }
    }

    /// Asks, when it must, whether to `verb` (`remove`, `descend into`) the file `name` in
    /// `dir` (at `self.path`): with -i always, and without -f for write-protected files
    /// when standard input is a terminal.
    fn confirm(&self, cx: &mut Cx, dir: BorrowedFd, name: &CStr, st: &Stat, verb: &str) -> bool {
        let check = self.ask == Ask::Always || (!self.force && self.tty);
        if !check {
            return true;
        }
        let protected = FileType::from_raw_mode(st.st_mode) != FileType::Symlink
            && rustix::fs::accessat(dir, name, rustix::fs::Access::WRITE_OK, AtFlags::EACCESS).is_err();
        if self.ask != Ask::Always && !protected {
            return true;
        }
        let wp: &[u8] = if protected { b" write-protected " } else { b" " };
        yes(cx, &[verb.as_bytes(), wp, kind(st).as_bytes(), b" '", &self.path, b"'? "])
    }

    fn operand(&mut self, cx: &mut Cx, f: &[u8]) {
        self.path.clear();
        self.path.extend_from_slice(f);
        let cf = c(f);
        let st = match rustix::fs::lstat(&*cf) {
            Ok(st) => st,
            Err(Errno::NOENT | Errno::NOTDIR) if self.force => return,
            Err(e) => return self.fail(cx, e),
        };
        if !is_dir(&st) {
            if self.confirm(cx, CWD, &cf, &st, "remove") {
                match rustix::fs::unlink(&*cf) {
                    Ok(()) => self.removed(cx, false),
                    Err(e) => self.fail(cx, e),
                }
            }
            return;
        }
        if !self.recursive && !self.dirs {
            return self.fail(cx, Errno::ISDIR);
        }
        if matches!(path::basename(f), b"." | b"..") {
            cx.warn_parts(&[b"refusing to remove '.' or '..' directory: skipping '", f, b"'"]);
            self.failed = true;
            return;
        }
        if self.recursive && self.preserve_root && is_root(&st) {
            let same: &[u8] = if f == b"/" { b"'" } else { b"' (same as '/')" };
            cx.warn_parts(&[b"it is dangerous to operate recursively on '", f, same]);
            cx.warn(b"use --no-preserve-root to override this failsafe");
            self.failed = true;
            return;
        }
        if self.recursive {
            self.remove_tree(cx, &cf, &st);
        } else if self.confirm(cx, CWD, &cf, &st, "remove") {
            self.rmdir(cx, CWD, &cf);
        }
    }

    fn rmdir(&mut self, cx: &mut Cx, dir: BorrowedFd, name: &CStr) -> bool {
        match rustix::fs::unlinkat(dir, name, AtFlags::REMOVEDIR) {
            Ok(()) => {
                self.removed(cx, true);
                true
            }
            Err(e) => {
                self.fail(cx, e);
                false
            }
        }
    }

    /// Opens directory `name` in `dir` without following a link and reads its entries.
    /// On failure an empty (say unreadable) directory is still removed when it can be:
    /// `Err(true)` says it was.
    fn open(&mut self, cx: &mut Cx, dir: BorrowedFd, name: &CStr, path_len: usize) -> Result<Frame, bool> {
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC | OFlags::NOCTTY;
        let r = rustix::fs::openat(dir, name, flags, Mode::empty())
            .and_then(|fd| rustix::fs::fstat(&fd).map(|st| (fd, st)))
            .and_then(|(fd, st)| read_entries(&mut self.dirbuf, fd.as_fd()).map(|e| (fd, st, e)));
        match r {
            Ok((fd, st, entries)) => Ok(Frame {
                fd: Some(fd),
                dev: st.st_dev,
                ino: st.st_ino,
                name: name.to_owned(),
                entries,
                pos: 0,
                path_len,
                kept: false,
            }),
            Err(e) => {
                if rustix::fs::unlinkat(dir, name, AtFlags::REMOVEDIR).is_ok() {
                    self.removed(cx, true);
                    return Err(true);
                }
                self.fail(cx, e);
                Err(false)
            }
        }
    }

    /// Removes the directory `top` and everything below it.
    fn remove_tree(&mut self, cx: &mut Cx, top: &CStr, st: &Stat) {
        let Ok(first) = self.open(cx, CWD, top, 0) else { return };
        // An empty directory is only asked about once, before it is removed.
        if !first.entries.is_empty() && !self.confirm(cx, CWD, top, st, "descend into") {
            return;
        }
        // Inside, `d//` is `d`, and at the end `d/`, as GNU shows them.
        while self.path.len() > 1 && self.path.ends_with(b"/") {
            self.path.pop();
        }
        let mut stack = alloc::vec![first];
        while let Some(frame) = stack.last_mut() {
            let Some((ty, name)) = next_entry(&frame.entries, &mut frame.pos) else {
                if !self.leave(cx, &mut stack, top) {
                    return;
                }
                continue;
            };
            let name = name.to_owned();
            let Some(fd) = frame.fd.as_ref().map(|f| f.as_fd()) else { return };
            let len = self.path.len();
            if !self.path.ends_with(b"/") {
                self.path.push(b'/');
            }
            self.path.extend_from_slice(name.to_bytes());
            let mut st = None;
            let dir = match ty {
                b'd' => true,
                b'?' => match rustix::fs::statat(fd, &name, AtFlags::SYMLINK_NOFOLLOW) {
                    Ok(s) => {
                        let d = is_dir(&s);
                        st = Some(s);
                        d
                    }
                    Err(Errno::NOENT) => {
                        self.path.truncate(len);
                        continue;
                    }
                    Err(_) => false,
                },
                _ => false,
            };
            let asking = self.ask == Ask::Always || (!self.force && self.tty);
            if asking && st.is_none() {
                st = rustix::fs::statat(fd, &name, AtFlags::SYMLINK_NOFOLLOW).ok();
            }
            let verb = if dir { "descend into" } else { "remove" };
            let ask = |rm: &Self, cx: &mut Cx| match &st {
                Some(s) if asking => rm.confirm(cx, fd, &name, s, verb),
                _ => true,
            };
            if dir {
                match self.open(cx, fd, &name, len) {
                    Ok(child) if !child.entries.is_empty() && !ask(self, cx) => frame.kept = true,
                    Ok(child) => {
                        stack.push(child);
                        // Keep only the deepest descriptors open.
                        if let Some(i) = stack.len().checked_sub(OPEN_MAX + 1) {
                            stack[i].fd = None;
                        }
                        continue;
                    }
                    Err(removed) => frame.kept |= !removed,
                }
            } else if !ask(self, cx) {
                frame.kept = true;
            } else {
                match rustix::fs::unlinkat(fd, &name, AtFlags::empty()) {
                    Ok(()) => self.removed(cx, false),
                    Err(e) => {
                        self.fail(cx, e);
                        frame.kept = true;
                    }
                }
            }
            self.path.truncate(len);
        }
    }

    /// The directory on top of the stack is empty (or kept something): remove it from its
    /// parent, reopening the parent first when its descriptor was closed. False when the
    /// walk must stop.
    fn leave(&mut self, cx: &mut Cx, stack: &mut Vec<Frame>, top: &CStr) -> bool {
        let Some(done) = stack.pop() else { return false };
        let Some(parent) = stack.last_mut() else {
            drop(done.fd);
            if top.to_bytes().ends_with(b"/") && !self.path.ends_with(b"/") {
                self.path.push(b'/');
            }
            if !done.kept {
                self.remove_dir(cx, CWD, top);
            }
            return true;
        };
        if parent.fd.is_none() {
            let Some(child) = done.fd.as_ref() else { return false };
            let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
            let fd = rustix::fs::openat(child, c"..", flags, Mode::empty());
            match fd.and_then(|fd| rustix::fs::fstat(&fd).map(|st| (fd, st))) {
                Ok((fd, st)) if st.st_dev == parent.dev && st.st_ino == parent.ino => parent.fd = Some(fd),
                Ok(_) => {
                    self.path.truncate(done.path_len);
                    cx.warn_parts(&[&self.path[..], b": directory moved during removal"]);
                    self.failed = true;
                    return false;
                }
                Err(e) => {
                    self.fail(cx, e);
                    return false;
                }
            }
        }
        drop(done.fd);
        if done.kept {
            parent.kept = true;
        } else {
            let Some(pfd) = parent.fd.as_ref() else { return false };
            if !self.remove_dir(cx, pfd.as_fd(), &done.name) {
                parent.kept = true;
            }
        }
        self.path.truncate(done.path_len);
        true
    }

    /// Asks (with -i) and removes the emptied directory `name` in `dir`.
    fn remove_dir(&mut self, cx: &mut Cx, dir: BorrowedFd, name: &CStr) -> bool {
        if self.ask == Ask::Always || (!self.force && self.tty) {
            if let Ok(st) = rustix::fs::statat(dir, name, AtFlags::SYMLINK_NOFOLLOW) {
                if !self.confirm(cx, dir, name, &st, "remove") {
                    return false;
                }
            }
        }
        self.rmdir(cx, dir, name)
    }
}

fn is_root(st: &Stat) -> bool {
    rustix::fs::stat(c"/").is_ok_and(|r| r.st_dev == st.st_dev && r.st_ino == st.st_ino)
}

/// All entries of directory `fd` but `.` and `..`, packed as `Frame::entries` describes.
fn read_entries(buf: &mut Vec<u8>, fd: BorrowedFd) -> Result<Vec<u8>, Errno> {
    if buf.capacity() == 0 {
        buf.reserve_exact(32 * 1024);
    }
    let mut entries = Vec::new();
    let mut dir = RawDir::new(fd, buf.spare_capacity_mut());
    while let Some(e) = dir.next() {
        let e = e?;
        let name = e.file_name().to_bytes();
        if name == b"." || name == b".." {
            continue;
        }
        entries.push(match e.file_type() {
            FileType::Directory => b'd',
            FileType::Unknown => b'?',
            _ => b'-',
        });
        entries.extend_from_slice(name);
        entries.push(0);
    }
    Ok(entries)
}

/// The next packed entry at `*pos`: its type byte and name.
fn next_entry<'a>(entries: &'a [u8], pos: &mut usize) -> Option<(u8, &'a CStr)> {
    let rest = entries.get(*pos..)?;
    let (&ty, rest) = rest.split_first()?;
    let end = memchr::memchr(0, rest)?;
    *pos += end + 2;
    Some((ty, CStr::from_bytes_with_nul(&rest[..=end]).ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_entries_come_back_in_order() {
        let packed = b"dsub\0-file\0?x\0";
        let mut pos = 0;
        assert_eq!(next_entry(packed, &mut pos), Some((b'd', c"sub")));
        assert_eq!(next_entry(packed, &mut pos), Some((b'-', c"file")));
        assert_eq!(next_entry(packed, &mut pos), Some((b'?', c"x")));
        assert_eq!(next_entry(packed, &mut pos), None);
        assert_eq!(next_entry(b"-broken", &mut 0), None);
    }

    #[test]
    fn reads_a_directory_without_dot_entries() {
        let d = std::env::temp_dir().join(format!("k1box-rm-unit-{}", std::process::id()));
        std::fs::create_dir_all(d.join("sub")).unwrap();
        std::fs::write(d.join("f"), b"").unwrap();
        let fd =
            rustix::fs::open(d.to_str().unwrap(), OFlags::RDONLY | OFlags::DIRECTORY, Mode::empty()).unwrap();
        let entries = read_entries(&mut Vec::new(), fd.as_fd()).unwrap();
        let mut pos = 0;
        let mut got = Vec::new();
        while let Some((ty, name)) = next_entry(&entries, &mut pos) {
            got.push((ty, name.to_bytes().to_vec()));
        }
        got.sort();
        assert_eq!(got, [(b'-', b"f".to_vec()), (b'd', b"sub".to_vec())]);
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn kinds_are_named_as_gnu_does() {
        let st = rustix::fs::stat("/").unwrap();
        assert_eq!(kind(&st), "directory");
        assert!(is_root(&st));
    }
}
