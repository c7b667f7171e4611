//! Copying files and trees, shared by `cp` and `mv` (POSIX cp, with GNU's -a -p -P -L -H
//! meanings): regular files through `fs::copy_fd`, directories recursively, symbolic links
//! as links, fifos and devices with mknod, and optionally the mode, ownership, timestamps
//! and hard links of the source. Errors are reported as they happen and the walk goes on;
//! `Copier::failed` says whether anything went wrong.
//!
//! Nothing half-written: a regular file's source is opened before its destination is
//! created or truncated, so a source that cannot be read leaves the destination untouched.
use alloc::ffi::CString;
use alloc::string::String;
use alloc::vec::Vec;
use core::ffi::CStr;
use rustix::fd::{AsFd, OwnedFd};
use rustix::fs::{AtFlags, FileType, Mode, OFlags, Stat, Timestamps, CWD};
use rustix::io::Errno;
use rustix::time::Timespec;

use crate::common::fs::CopyError;
use crate::common::{path, quoted, At, Cx, Error};
use crate::rt;

/// Which symbolic links among the sources are followed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Deref {
    /// Copy every link as a link (-P, -d, and -r's default).
    Never,
    /// Follow links named on the command line only (-H).
    CommandLine,
    /// Follow every link (-L, and the default without -r).
    Always,
}

/// What to do with a destination that exists.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Overwrite {
    Yes,
    /// -n: leave it alone.
    Never,
    /// -i: ask on standard error, read the answer from standard input.
    Ask,
    /// mv's default (POSIX): ask only about a destination that is not writable, and only
    /// when standard input is a terminal.
    AskUnwritable,
}

/// How to copy.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    pub recursive: bool,
    pub deref: Deref,
    pub mode: bool,
    pub owner: bool,
    pub times: bool,
    /// Keep hard links among the copied files as hard links.
    pub links: bool,
    pub overwrite: Overwrite,
    /// Remove a destination that cannot be opened, then try again (-f).
    pub force: bool,
    /// Print `'src' -> 'dst'` for every copied name.
    pub verbose: bool,
    /// fsync every copied file and check its size (mv across file systems).
    pub sync: bool,
}

impl Options {
    pub const fn new() -> Options {
        Options {
            recursive: false,
            deref: Deref::Always,
            mode: false,
            owner: false,
            times: false,
            links: false,
            overwrite: Overwrite::Yes,
            force: false,
            verbose: false,
            sync: false,
        }
    }

    /// Everything preserved, no link followed: `cp -a`, and what mv does across file systems.
    pub const fn archive() -> Options {
        let mut o = Options::new();
        o.recursive = true;
        o.deref = Deref::Never;
        o.mode = true;
        o.owner = true;
        o.times = true;
        o.links = true;
        o
    }
}

impl Default for Options {
    fn default() -> Self {
        Options::new()
    }
}

/// A file's identity: device and inode.
type Id = (u64, u64);

fn id(st: &Stat) -> Id {
    (st.st_dev, st.st_ino)
}

fn kind(st: &Stat) -> FileType {
    FileType::from_raw_mode(st.st_mode)
}

/// A path as the system calls take it. Operands and directory entries cannot hold a NUL
/// byte; if one did, the empty path makes the call fail with ENOENT instead of a panic.
pub fn c_path(p: &[u8]) -> CString {
    CString::new(p).unwrap_or_default()
}

/// `dir/name` as a system-call path.
pub fn c_join(dir: &CStr, name: &[u8]) -> CString {
    c_path(&path::join(dir.to_bytes(), name))
}

/// What `Copier::check` found: the source's status and the destination's, if it exists.
pub struct Checked {
    pub st: Stat,
    pub existing: Option<Stat>,
    /// The destination is a directory (or a link to one).
    pub dst_is_dir: bool,
}

/// The state of one cp or mv run.
pub struct Copier<'a> {
    pub cx: &'a mut Cx,
    pub o: Options,
    pub failed: bool,
    umask: u32,
    /// Copied files with several links: source identity and the destination made for it.
    linked: Vec<(Id, CString)>,
    /// The source directories being walked, outermost first (a guard against link cycles).
    walking: Vec<Id>,
    /// The directory this operand's copy created at the top, so it is never copied into.
    made: Option<Id>,
}

impl<'a> Copier<'a> {
    pub fn new(cx: &'a mut Cx, o: Options) -> Copier<'a> {
        let umask = rustix::process::umask(Mode::empty());
        rustix::process::umask(umask);
        Copier {
            cx,
            o,
            failed: false,
            umask: umask.bits(),
            linked: Vec::new(),
            walking: Vec::new(),
            made: None,
        }
    }

    /// Reports `applet: PATH: strerror`; always false.
    fn fail(&mut self, p: &CStr, e: Errno) -> bool {
        self.cx.warn_path(p.to_bytes(), e);
        self.failed = true;
        false
    }

    fn fail_msg(&mut self, parts: &[&[u8]]) -> bool {
        self.cx.warn(&parts.concat());
        self.failed = true;
        false
    }

    fn verbose(&mut self, src: &CStr, dst: &CStr) {
        if self.o.verbose {
            let out = &mut self.cx.out;
            out.str(&quoted(src.to_bytes()));
            out.str(" -> ");
            out.str(&quoted(dst.to_bytes()));
            out.byte(b'\n');
        }
    }

    /// Forgets the copies made so far as targets for hard links (mv renames each operand's
    /// copy away from the name it was made under).
    pub fn forget_links(&mut self) {
        self.linked.clear();
    }

    /// Copies the operand `src` to `dst` (the final name, not a directory to copy into).
    /// Returns false (after reporting) when anything failed.
    pub fn copy_operand(&mut self, src: &[u8], dst: &[u8]) -> bool {
        self.made = None;
        let before = self.failed;
        self.failed = false;
        self.copy(&c_path(src), &c_path(dst), true);
        let ok = !self.failed;
        self.failed |= before;
        ok
    }

    /// The checks a copy and a move share: the source exists, it is not the destination,
    /// a directory and a non-directory do not replace each other, and -n or -i allow the
    /// overwrite. None when the name is to be left alone (with `failed` set if that is an
    /// error). `moving`: mv replaces a destination link or directory itself, where cp
    /// writes through the link and merges into the directory.
    pub fn check(&mut self, src: &CStr, dst: &CStr, top: bool, moving: bool) -> Option<Checked> {
        let follow = match self.o.deref {
            Deref::Always => true,
            Deref::CommandLine => top,
            Deref::Never => false,
        };
        let st = match if follow { rustix::fs::stat(src) } else { rustix::fs::lstat(src) } {
            Ok(st) => st,
            Err(e) => {
                self.fail(src, e);
                return None;
            }
        };
        let (qs, qd) = (quoted(src.to_bytes()), quoted(dst.to_bytes()));
        let (qs, qd) = (qs.as_bytes(), qd.as_bytes());
        let k = kind(&st);
        let is_dir = k == FileType::Directory;
        if is_dir && !self.o.recursive {
            self.fail_msg(&[b"-r not specified; omitting directory ", qs]);
            return None;
        }
        let existing = match rustix::fs::lstat(dst) {
            Ok(d) => d,
            Err(Errno::NOENT) => return Some(Checked { st, existing: None, dst_is_dir: false }),
            Err(e) => {
                self.fail(dst, e);
                return None;
            }
        };
        let dk = kind(&existing);
        // What the destination leads to when it is a link that is written through.
        let through = if !moving && dk == FileType::Symlink { rustix::fs::stat(dst).ok() } else { None };
        let same = id(&st) == id(&existing)
            || (k != FileType::Symlink && through.is_some_and(|t| id(&t) == id(&st)))
            || (k == FileType::Symlink
                && dk != FileType::Symlink
                && rustix::fs::stat(src).is_ok_and(|t| id(&t) == id(&existing)));
        if same {
            self.fail_msg(&[qs, b" and ", qd, b" are the same file"]);
            return None;
        }
        let dst_is_dir =
            dk == FileType::Directory || through.is_some_and(|t| kind(&t) == FileType::Directory);
        if is_dir && !dst_is_dir {
            self.fail_msg(&[b"cannot overwrite non-directory ", qd, b" with directory ", qs]);
            return None;
        }
        if !is_dir && dst_is_dir {
            self.fail_msg(&[b"cannot overwrite directory ", qd, b" with non-directory"]);
            return None;
        }
        if !is_dir || moving {
            let yes = match self.o.overwrite {
                Overwrite::Yes => true,
                Overwrite::Never => false,
                Overwrite::Ask => ask(self.cx, &[b"overwrite ", qd, b"? "]),
                Overwrite::AskUnwritable => {
                    dk == FileType::Symlink
                        || !rustix::termios::isatty(rt::stdin())
                        || rustix::fs::access(dst, rustix::fs::Access::WRITE_OK).is_ok()
                        || ask(
                            self.cx,
                            &[b"replace ", qd, b", overriding mode ", &mode_text(existing.st_mode), b"? "],
                        )
                }
            };
            if !yes {
                return None;
            }
        }
        Some(Checked { st, existing: Some(existing), dst_is_dir })
    }

    fn copy(&mut self, src: &CStr, dst: &CStr, top: bool) {
        let Some(Checked { st, existing, dst_is_dir }) = self.check(src, dst, top, false) else { return };
        let k = kind(&st);
        let is_dir = k == FileType::Directory;
        if is_dir {
            self.copy_dir(src, dst, &st, dst_is_dir, top);
            return;
        }
        let exists = existing.is_some();
        let several = self.o.links && st.st_nlink > 1;
        if several {
            if let Some(first) = self.linked.iter().find(|l| l.0 == id(&st)).map(|l| l.1.clone()) {
                if exists {
                    if let Err(e) = rustix::fs::unlink(dst) {
                        self.fail(dst, e);
                        return;
                    }
                }
                match rustix::fs::link(first.as_c_str(), dst) {
                    Ok(()) => self.verbose(src, dst),
                    Err(e) => {
                        self.fail(dst, e);
                    }
                }
                return;
            }
        }
        let ok = match k {
            FileType::RegularFile => self.copy_file(src, dst, &st, existing.as_ref()),
            // Without -r a fifo or device is read like a file, as GNU does.
            k if k != FileType::Symlink && !self.o.recursive => {
                self.copy_file(src, dst, &st, existing.as_ref())
            }
            _ => self.copy_node(src, dst, &st, exists),
        };
        if ok {
            if several {
                self.linked.push((id(&st), CString::from(dst)));
            }
            self.verbose(src, dst);
        }
    }

    fn copy_file(&mut self, src: &CStr, dst: &CStr, st: &Stat, existing: Option<&Stat>) -> bool {
        let from =
            match rustix::fs::open(src, OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NOCTTY, Mode::empty()) {
                Ok(fd) => fd,
                Err(e) => return self.fail(src, e),
            };
        let create = OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::CLOEXEC;
        let mode = Mode::from_raw_mode(st.st_mode & 0o777);
        let opened = match existing {
            None => rustix::fs::open(dst, create, mode),
            Some(d) => {
                match rustix::fs::open(dst, OFlags::WRONLY | OFlags::TRUNC | OFlags::CLOEXEC, Mode::empty()) {
                    Err(_) if self.o.force => match rustix::fs::unlink(dst) {
                        Ok(()) => rustix::fs::open(dst, create, mode),
                        Err(e) => Err(e),
                    },
                    Err(Errno::NOENT) if kind(d) == FileType::Symlink => {
                        let q = quoted(dst.to_bytes());
                        return self.fail_msg(&[b"not writing through dangling symlink ", q.as_bytes()]);
                    }
                    r => r,
                }
            }
        };
        let to = match opened {
            Ok(fd) => fd,
            // open("x/", O_CREAT) says EISDIR; the name is what is wrong.
            Err(Errno::ISDIR) if existing.is_none() && dst.to_bytes().ends_with(b"/") => {
                return self.fail(dst, Errno::NOTDIR)
            }
            Err(e) => return self.fail(dst, e),
        };
        match crate::common::fs::copy_fd(from.as_fd(), to.as_fd()) {
            Err(CopyError::Read(e)) => return self.fail(src, e),
            Err(CopyError::Write(e)) => return self.fail(dst, e),
            Ok(n) => {
                if self.o.sync {
                    if let Err(e) = verify_and_sync(&to, n, st) {
                        return self.fail(dst, e);
                    }
                }
            }
        }
        self.preserve(dst, st, Some(&to))
    }

    /// A symbolic link, fifo, socket or device: made anew, replacing what was there.
    fn copy_node(&mut self, src: &CStr, dst: &CStr, st: &Stat, exists: bool) -> bool {
        let k = kind(st);
        let target = if k == FileType::Symlink {
            match rustix::fs::readlink(src, Vec::new()) {
                Ok(t) => Some(t),
                Err(e) => return self.fail(src, e),
            }
        } else {
            None
        };
        if exists {
            if let Err(e) = rustix::fs::unlink(dst) {
                return self.fail(dst, e);
            }
        }
        let r = match &target {
            Some(t) => rustix::fs::symlink(t.as_c_str(), dst),
            None => rustix::fs::mknodat(CWD, dst, k, Mode::from_raw_mode(st.st_mode & 0o777), st.st_rdev),
        };
        if let Err(e) = r {
            return self.fail(dst, e);
        }
        self.preserve(dst, st, None)
    }

    fn copy_dir(&mut self, src: &CStr, dst: &CStr, st: &Stat, exists: bool, top: bool) {
        let me = id(st);
        let qs = quoted(src.to_bytes());
        if self.walking.contains(&me) {
            self.fail_msg(&[b"cannot copy cyclic symbolic link ", qs.as_bytes()]);
            return;
        }
        let into_itself = if top {
            let d = dst.to_bytes();
            is_within(&c_path(if exists { d } else { path::dirname(d) }), me)
        } else {
            self.made == Some(me)
        };
        if into_itself {
            let qd = quoted(dst.to_bytes());
            self.fail_msg(&[b"cannot copy a directory, ", qs.as_bytes(), b", into itself, ", qd.as_bytes()]);
            return;
        }
        // Read the names first: the directory is closed before descending (no descriptor
        // per level) and entries created meanwhile are not walked.
        let names = match read_names(src) {
            Ok(n) => n,
            Err(e) => {
                self.fail(src, e);
                return;
            }
        };
        if !exists {
            if let Err(e) = rustix::fs::mkdir(dst, Mode::from_raw_mode(st.st_mode & 0o777 | 0o700)) {
                self.fail(dst, e);
                return;
            }
            if top {
                self.made = rustix::fs::stat(dst).ok().map(|s| id(&s));
            }
            self.verbose(src, dst);
        }
        self.walking.push(me);
        for name in names {
            self.copy(&c_join(src, &name), &c_join(dst, &name), false);
        }
        self.walking.pop();
        if self.o.sync {
            if let Ok(fd) =
                rustix::fs::open(dst, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())
            {
                let _ = rustix::fs::fsync(&fd);
            }
        }
        if !exists && !self.o.mode {
            // mkdir added u+rwx so that the copy could fill it; now the mode cp would give.
            let want = st.st_mode & 0o777 & !self.umask;
            if want != (st.st_mode & 0o777 | 0o700) & !self.umask {
                if let Err(e) = rustix::fs::chmod(dst, Mode::from_raw_mode(want)) {
                    self.fail(dst, e);
                }
            }
        }
        self.preserve(dst, st, None);
    }

    /// Applies the ownership, mode and times of `st` to `dst` (through `fd` when open) as
    /// the options ask. Links keep their own mode, and are never followed.
    fn preserve(&mut self, dst: &CStr, st: &Stat, fd: Option<&OwnedFd>) -> bool {
        let link = kind(st) == FileType::Symlink;
        let nofollow = if link { AtFlags::SYMLINK_NOFOLLOW } else { AtFlags::empty() };
        let mut mode = st.st_mode & 0o7777;
        if self.o.owner {
            let uid = Some(rustix::fs::Uid::from_raw(st.st_uid));
            let gid = Some(rustix::fs::Gid::from_raw(st.st_gid));
            let r = match fd {
                Some(fd) => rustix::fs::fchown(fd, uid, gid),
                None => rustix::fs::chownat(CWD, dst, uid, gid, nofollow),
            };
            match r {
                Ok(()) => {}
                // Not root: keep the file ours, without set-id bits that would now lie.
                Err(Errno::PERM) => mode &= 0o1777,
                Err(e) => return self.fail(dst, e),
            }
        }
        if self.o.mode && !link {
            let m = Mode::from_raw_mode(mode);
            let r = match fd {
                Some(fd) => rustix::fs::fchmod(fd, m),
                None => rustix::fs::chmod(dst, m),
            };
            if let Err(e) = r {
                return self.fail(dst, e);
            }
        }
        if self.o.times {
            let ts = Timestamps {
                last_access: Timespec { tv_sec: st.st_atime, tv_nsec: st.st_atime_nsec as _ },
                last_modification: Timespec { tv_sec: st.st_mtime, tv_nsec: st.st_mtime_nsec as _ },
            };
            let r = match fd {
                Some(fd) => rustix::fs::futimens(fd, &ts),
                None => rustix::fs::utimensat(CWD, dst, &ts, nofollow),
            };
            if let Err(e) = r {
                return self.fail(dst, e);
            }
        }
        true
    }
}

/// After a copy of `n` bytes: the destination must have the source's size, then reach disk.
fn verify_and_sync(to: &OwnedFd, n: u64, st: &Stat) -> Result<(), Errno> {
    let size = rustix::fs::fstat(to)?.st_size;
    if n != st.st_size as u64 || size != st.st_size {
        return Err(Errno::IO);
    }
    rustix::fs::fsync(to)
}

/// The names in directory `dir`, without `.` and `..`.
pub fn read_names(dir: &CStr) -> Result<Vec<Vec<u8>>, Errno> {
    let fd = rustix::fs::open(dir, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())?;
    let mut buf = Vec::with_capacity(32 * 1024);
    let mut d = rustix::fs::RawDir::new(fd, buf.spare_capacity_mut());
    let mut names = Vec::new();
    while let Some(e) = d.next() {
        let e = e?;
        let n = e.file_name().to_bytes();
        if n != b"." && n != b".." {
            names.push(n.to_vec());
        }
    }
    Ok(names)
}

/// True when directory `dir` is the directory `target` or lies below it (walking `..` up
/// to the root, so symbolic links in `dir` do not fool it).
pub fn is_within(dir: &CStr, target: Id) -> bool {
    let flags = OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC;
    let Ok(mut fd) = rustix::fs::open(dir, flags, Mode::empty()) else { return false };
    let Ok(mut st) = rustix::fs::fstat(&fd) else { return false };
    loop {
        if id(&st) == target {
            return true;
        }
        let Ok(up) = rustix::fs::openat(&fd, c"..", flags, Mode::empty()) else { return false };
        let Ok(ust) = rustix::fs::fstat(&up) else { return false };
        if id(&ust) == id(&st) {
            return false;
        }
        fd = up;
        st = ust;
    }
}

/// Removes `p` and, for a directory, everything in it. The first error is returned (with
/// its path) after removing what could be removed.
pub fn remove_tree(p: &CStr) -> Result<(), Error> {
    let at = p.to_bytes();
    let st = rustix::fs::lstat(p).at(at)?;
    if kind(&st) != FileType::Directory {
        return rustix::fs::unlink(p).at(at);
    }
    let mut first = Ok(());
    for name in read_names(p).at(at)? {
        let r = remove_tree(&c_join(p, &name));
        if first.is_ok() {
            first = r;
        }
    }
    first?;
    rustix::fs::rmdir(p).at(at)
}

/// Asks `applet: QUESTION` on standard error and reads one line of standard input:
/// true when it starts with `y` or `Y`.
pub fn ask(cx: &mut Cx, question: &[&[u8]]) -> bool {
    cx.err.str(cx.name);
    cx.err.put(b": ");
    for q in question {
        cx.err.put(q);
    }
    let _ = cx.err.flush();
    cx.err.reset();
    let mut first = None;
    let mut b = [0u8; 1];
    // One byte at a time: what follows the line belongs to the next question.
    loop {
        match rustix::io::read(rt::stdin(), &mut b) {
            Ok(1) if b[0] != b'\n' => {
                first.get_or_insert(b[0]);
            }
            Err(Errno::INTR) => {}
            _ => break,
        }
    }
    answer_is_yes(first)
}

/// A mode as mv's question shows it: `0444 (r--r--r--)`.
fn mode_text(mode: u32) -> [u8; 16] {
    let mut t = *b"0000 (---------)";
    for (i, shift) in [9, 6, 3, 0].iter().enumerate() {
        t[i] = b'0' + (mode >> shift & 7) as u8;
    }
    for i in 0..9 {
        if mode & (0o400 >> i) != 0 {
            t[6 + i] = b"rwx"[i % 3];
        }
    }
    // Set-id and sticky bits show in the execute places, lower case when executable.
    for (bit, at, c) in [(0o4000, 8, b's'), (0o2000, 11, b's'), (0o1000, 14, b't')] {
        if mode & bit != 0 {
            t[at] = if t[at] == b'x' { c } else { c.to_ascii_uppercase() };
        }
    }
    t
}

fn answer_is_yes(first: Option<u8>) -> bool {
    matches!(first, Some(b'y' | b'Y'))
}

/// Why the operands make no sense.
#[derive(Debug, PartialEq, Eq)]
pub enum Problem {
    /// A usage error (message, then the usage line).
    Usage(String),
    /// The target directory is not one (message only).
    Target(String),
}

/// Each source with its final destination name.
pub type Plan<'a> = Vec<(&'a [u8], Vec<u8>)>;

/// [`plan`], its problem reported as cp and mv report it; `Err` holds the exit status.
pub fn plan_or_report<'a>(
    cx: &mut Cx,
    usage: &str,
    ops: &[&'a [u8]],
    target_dir: Option<&'a [u8]>,
    no_target_dir: bool,
) -> Result<Plan<'a>, i32> {
    match plan(ops, target_dir, no_target_dir) {
        Ok(p) => Ok(p),
        Err(Problem::Usage(m)) => Err(cx.usage_error(&m, usage, 1)),
        Err(Problem::Target(m)) => {
            cx.warn(m.as_bytes());
            Err(1)
        }
    }
}

/// Pairs each source with its final destination name, as cp and mv both read their operands:
/// `SRC DEST`, `SRC... DIR`, `-t DIR SRC...`, `-T SRC DEST`.
pub fn plan<'a>(
    ops: &[&'a [u8]],
    target_dir: Option<&'a [u8]>,
    no_target_dir: bool,
) -> Result<Plan<'a>, Problem> {
    let usage = |m: &str, q: Option<&[u8]>| {
        let mut m = String::from(m);
        if let Some(q) = q {
            m.push_str(&quoted(q));
        }
        Err(Problem::Usage(m))
    };
    if target_dir.is_some() && no_target_dir {
        return usage("cannot combine --target-directory (-t) and --no-target-directory (-T)", None);
    }
    let (srcs, dir) = match (target_dir, ops) {
        (_, []) => return usage("missing file operand", None),
        (Some(dir), _) => (ops, dir),
        (None, [one]) => return usage("missing destination file operand after ", Some(one)),
        (None, [_, _, extra, ..]) if no_target_dir => return usage("extra operand ", Some(extra)),
        (None, [src, dest]) if no_target_dir || !dir_or_not(dest).unwrap_or(false) => {
            return Ok(alloc::vec![(*src, dest.to_vec())])
        }
        (None, [srcs @ .., dest]) => (srcs, *dest),
    };
    let what = if target_dir.is_some() { "target directory " } else { "target " };
    match dir_or_not(dir) {
        Ok(true) => Ok(srcs.iter().map(|s| (*s, path::join(dir, path::basename(s)))).collect()),
        Ok(false) if target_dir.is_none() => {
            Err(Problem::Target([what, &quoted(dir), " is not a directory"].concat()))
        }
        r => {
            let why = rt::strerror(r.err().unwrap_or(Errno::NOTDIR));
            Err(Problem::Target([what, &quoted(dir), ": ", why].concat()))
        }
    }
}

/// Whether `p` is (leads to) a directory.
fn dir_or_not(p: &[u8]) -> Result<bool, Errno> {
    rustix::fs::stat(c_path(p).as_c_str()).map(|st| kind(&st) == FileType::Directory)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(ops: &[&'static str]) -> Vec<&'static [u8]> {
        ops.iter().map(|s| s.as_bytes()).collect()
    }

    #[test]
    fn plan_reads_source_dest_and_directory_forms() {
        let p = plan(&v(&["a", "b"]), None, false).unwrap();
        assert_eq!(p, [(&b"a"[..], b"b".to_vec())]);
        let p = plan(&v(&["a", "x/b/", "/"]), None, false).unwrap();
        assert_eq!(p, [(&b"a"[..], b"/a".to_vec()), (&b"x/b/"[..], b"/b".to_vec())]);
        let p = plan(&v(&["a", "/"]), None, true).unwrap();
        assert_eq!(p, [(&b"a"[..], b"/".to_vec())]);
        let p = plan(&v(&["a", "b"]), Some(b"/"), false).unwrap();
        assert_eq!(p[1], (&b"b"[..], b"/b".to_vec()));
    }

    #[test]
    fn plan_reports_missing_operands_and_bad_targets() {
        assert_eq!(plan(&[], None, false), Err(Problem::Usage("missing file operand".into())));
        assert_eq!(
            plan(&v(&["a"]), None, false),
            Err(Problem::Usage("missing destination file operand after 'a'".into()))
        );
        assert_eq!(
            plan(&v(&["a", "b", "/proc/self/stat"]), None, false),
            Err(Problem::Target("target '/proc/self/stat' is not a directory".into()))
        );
        assert_eq!(plan(&v(&["a", "b", "c"]), None, true), Err(Problem::Usage("extra operand 'c'".into())));
    }

    #[test]
    fn modes_read_as_ls_shows_them() {
        assert_eq!(&mode_text(0o100444), b"0444 (r--r--r--)");
        assert_eq!(&mode_text(0o4755), b"4755 (rwsr-xr-x)");
        assert_eq!(&mode_text(0o3640), b"3640 (rw-r-S--T)");
        assert_eq!(&mode_text(0), b"0000 (---------)");
    }

    #[test]
    fn only_y_answers_yes() {
        assert!(answer_is_yes(Some(b'y')));
        assert!(answer_is_yes(Some(b'Y')));
        assert!(!answer_is_yes(Some(b'n')));
        assert!(!answer_is_yes(None));
    }

    #[test]
    fn a_directory_is_within_itself_and_its_ancestors() {
        let root = rustix::fs::stat("/").unwrap();
        assert!(is_within(c"/proc/self", id(&root)));
        let proc_ = rustix::fs::stat("/proc").unwrap();
        assert!(is_within(c"/proc", id(&proc_)));
        assert!(!is_within(c"/", id(&proc_)));
        assert!(!is_within(c"/nonexistent/x", id(&root)));
    }

    #[test]
    fn archive_preserves_everything_and_follows_nothing() {
        let o = Options::archive();
        assert!(o.recursive && o.mode && o.owner && o.times && o.links);
        assert_eq!(o.deref, Deref::Never);
        assert_eq!(Options::new().deref, Deref::Always);
    }

    #[test]
    fn reads_names_without_dots() {
        let n = read_names(c"/").unwrap();
        assert!(n.iter().any(|n| n == b"proc"));
        assert!(!n.iter().any(|n| n == b"." || n == b".."));
        assert_eq!(read_names(c"/nonexistent"), Err(Errno::NOENT));
    }

    #[test]
    fn copies_a_tree_with_links_then_removes_it() {
        let base = std::env::temp_dir().join(std::format!("k1box-copy-unit-{}", std::process::id()));
        let b = |rel: &str| base.join(rel);
        std::fs::create_dir_all(b("src/sub")).unwrap();
        std::fs::write(b("src/sub/f"), b"data").unwrap();
        std::fs::hard_link(b("src/sub/f"), b("src/g")).unwrap();
        std::os::unix::fs::symlink("sub/f", b("src/l")).unwrap();
        let mut cx = Cx::new("cp", Vec::new(), Vec::new());
        let mut c = Copier::new(&mut cx, Options::archive());
        let (src, dst) = (b("src"), b("dst"));
        assert!(c.copy_operand(src.to_str().unwrap().as_bytes(), dst.to_str().unwrap().as_bytes()));
        use std::os::unix::fs::MetadataExt;
        assert_eq!(std::fs::read(b("dst/sub/f")).unwrap(), b"data");
        assert_eq!(
            std::fs::metadata(b("dst/g")).unwrap().ino(),
            std::fs::metadata(b("dst/sub/f")).unwrap().ino()
        );
        assert_eq!(std::fs::read_link(b("dst/l")).unwrap(), std::path::Path::new("sub/f"));
        // Copying the tree into itself is refused and leaves nothing behind.
        let inner = b("src/sub/inner");
        assert!(!c.copy_operand(src.to_str().unwrap().as_bytes(), inner.to_str().unwrap().as_bytes()));
        assert!(!inner.exists());
        assert!(c.failed);
        let base_c = c_path(base.to_str().unwrap().as_bytes());
        assert_eq!(remove_tree(&base_c), Ok(()));
        assert!(!base.exists());
        assert!(matches!(remove_tree(&base_c), Err(Error::Path(_, Errno::NOENT))));
    }
}
