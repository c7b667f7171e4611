//! mount — mount file systems (util-linux and BusyBox mount(8): -a -t -o -r -w --bind
//! --rbind --move, `-o remount`, `-o loop`, LABEL=/UUID= sources, /etc/fstab).
//!
//! Without operands it prints the mount table as `SOURCE on DIR type TYPE (OPTIONS)`.
//! A regular file as the source is attached to a free loop device (autoclear) first.
use alloc::vec::Vec;
use rustix::io::Errno;

use crate::common::{blkid, loopdev, mounts, At, Cx, Error, Getopt, HasArg, Long, Opt};

const USAGE: &str = "\
Usage: mount [-arwnfv] [-t TYPE] [-o OPT[,OPT]...] [SOURCE] [DIR]

Mount a file system. SOURCE may be a device, a file (mounted through a loop device),
LABEL=label or UUID=uuid. With one operand the other is looked up in /etc/fstab;
without any the mounted file systems are listed.

  -a         mount everything in /etc/fstab (except noauto entries)
  -t TYPE    file system type (default: detect); with -a or a listing, only these types
  -o OPT     options: ro rw remount bind rbind move loop offset=N nosuid suid nodev dev
             noexec exec sync async dirsync noatime atime nodiratime relatime
             strictatime lazytime defaults noauto X-mount.mkdir[=MODE] (make DIR first),
             others are passed to the file system
  -r         read-only (-o ro)
  -w         read-write (-o rw)
  -f         do everything but the mount system call
  -n         do not write /etc/mtab (there is none; accepted)
  -v         verbose
  --bind     bind mount (-o bind); --rbind recursively; --move moves a mount
";

const LONGS: &[Long] = &[
    crate::common::long("bind", HasArg::No, 300),
    crate::common::long("rbind", HasArg::No, 301),
    crate::common::long("move", HasArg::No, 302),
    crate::common::long("read-only", HasArg::No, b'r' as u16),
    crate::common::long("rw", HasArg::No, b'w' as u16),
    crate::common::long("types", HasArg::Yes, b't' as u16),
    crate::common::long("options", HasArg::Yes, b'o' as u16),
    crate::common::long("all", HasArg::No, b'a' as u16),
    crate::common::long("verbose", HasArg::No, b'v' as u16),
    crate::common::long("fake", HasArg::No, b'f' as u16),
];

/// Options after parsing: kernel flags, the data string for the file system, and ours.
#[derive(Default, Clone, Debug, PartialEq, Eq)]
pub struct Options {
    pub flags: u32,
    pub data: Vec<u8>,
    pub remount: bool,
    pub bind: bool,
    pub rec: bool,
    pub mv: bool,
    pub lo: bool,
    pub offset: u64,
    pub noauto: bool,
    /// `X-mount.mkdir[=MODE]` (util-linux): make the mount point first, with this mode.
    pub mkdir: Option<u32>,
}

const MS_RDONLY: u32 = 1;

/// (name, flag, set): `ro` sets RDONLY, `rw` clears it, and so on.
const FLAGS: &[(&str, u32, bool)] = &[
    ("ro", MS_RDONLY, true),
    ("rw", MS_RDONLY, false),
    ("nosuid", 2, true),
    ("suid", 2, false),
    ("nodev", 4, true),
    ("dev", 4, false),
    ("noexec", 8, true),
    ("exec", 8, false),
    ("sync", 16, true),
    ("async", 16, false),
    ("mand", 64, true),
    ("nomand", 64, false),
    ("dirsync", 128, true),
    ("noatime", 1024, true),
    ("atime", 1024, false),
    ("nodiratime", 2048, true),
    ("diratime", 2048, false),
    ("relatime", 1 << 21, true),
    ("norelatime", 1 << 21, false),
    ("strictatime", 1 << 24, true),
    ("lazytime", 1 << 25, true),
    ("nolazytime", 1 << 25, false),
    ("silent", 1 << 15, true),
    ("loud", 1 << 15, false),
];

/// Adds a comma-separated option list to `o`.
pub fn parse_options(o: &mut Options, list: &[u8]) {
    for opt in list.split(|&c| c == b',').filter(|s| !s.is_empty()) {
        if let Some(&(_, bit, set)) = FLAGS.iter().find(|f| f.0.as_bytes() == opt) {
            if set {
                o.flags |= bit;
            } else {
                o.flags &= !bit;
            }
            continue;
        }
        match opt {
            b"defaults" | b"auto" | b"nouser" | b"user" | b"users" | b"owner" | b"group" | b"nofail"
            | b"_netdev" => {}
            b"noauto" => o.noauto = true,
            b"remount" => o.remount = true,
            b"bind" => o.bind = true,
            b"rbind" => {
                o.bind = true;
                o.rec = true;
            }
            b"move" => o.mv = true,
            b"loop" => o.lo = true,
            b"X-mount.mkdir" | b"x-mount.mkdir" => o.mkdir = Some(0o755),
            _ if opt.starts_with(b"X-mount.mkdir=") || opt.starts_with(b"x-mount.mkdir=") => {
                let mode =
                    opt.get(14..).and_then(|m| u32::from_str_radix(core::str::from_utf8(m).ok()?, 8).ok());
                o.mkdir = Some(mode.filter(|&m| m <= 0o7777).unwrap_or(0o755));
            }
            _ if opt.starts_with(b"x-") || opt.starts_with(b"comment=") => {}
            _ => {
                if let Some(n) = opt.strip_prefix(b"offset=") {
                    if let Some(n) = crate::common::num::parse_size(n) {
                        o.offset = n;
                        o.lo = true;
                        continue;
                    }
                }
                if !o.data.is_empty() {
                    o.data.push(b',');
                }
                o.data.extend_from_slice(opt);
            }
        }
    }
}

struct Mount {
    types: Option<Vec<u8>>,
    opts: Vec<u8>,
    fake: bool,
    verbose: bool,
}

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let mut g = Getopt::new(&args, "art:o:rwfnvsiO:", LONGS);
    let mut all = false;
    let mut m = Mount { types: None, opts: Vec::new(), fake: false, verbose: false };
    let add = |m: &mut Mount, s: &[u8]| {
        if !m.opts.is_empty() {
            m.opts.push(b',');
        }
        m.opts.extend_from_slice(s);
    };
    while let Some(o) = g.next() {
        match o {
            Ok(Opt::Char(b'a')) => all = true,
            Ok(Opt::Char(b't')) => m.types = Some(g.arg_or_empty().to_vec()),
            Ok(Opt::Char(b'o')) => add(&mut m, g.arg_or_empty()),
            Ok(Opt::Char(b'r')) => add(&mut m, b"ro"),
            Ok(Opt::Char(b'w')) => add(&mut m, b"rw"),
            Ok(Opt::Char(b'f')) => m.fake = true,
            Ok(Opt::Char(b'v')) => m.verbose = true,
            Ok(Opt::Char(b'n' | b's' | b'i' | b'O')) => {}
            Ok(Opt::Long(300)) => add(&mut m, b"bind"),
            Ok(Opt::Long(301)) => add(&mut m, b"rbind"),
            Ok(Opt::Long(302)) => add(&mut m, b"move"),
            other => return cx.opt_exit(other, USAGE, 1),
        }
    }
    let ops = g.operands();
    let r = match (all, ops.as_slice()) {
        (true, _) => mount_all(cx, &m),
        (false, []) => list(cx, m.types.as_deref()),
        (false, [one]) => mount_one_operand(cx, &m, one),
        (false, [src, dir]) => mount_it(cx, &m, src, dir, &m.opts.clone(), m.types.as_deref()),
        _ => return cx.usage_error("too many arguments", USAGE, 1),
    };
    match r {
        Ok(code) => code,
        Err(e) => {
            cx.report(&e);
            1
        }
    }
}

fn type_selected(types: Option<&[u8]>, fstype: &[u8]) -> bool {
    let Some(t) = types else { return true };
    let mut any_positive = false;
    for w in t.split(|&c| c == b',') {
        if let Some(neg) = w.strip_prefix(b"no") {
            if neg == fstype {
                return false;
            }
        } else {
            any_positive = true;
            if w == fstype {
                return true;
            }
        }
    }
    !any_positive
}

/// The mount table in mount(8)'s words.
fn list(cx: &mut Cx, types: Option<&[u8]>) -> Result<i32, Error> {
    for e in mounts::current().at(b"/proc/mounts")? {
        if !type_selected(types, &e.fstype) {
            continue;
        }
        cx.out.put(&e.source);
        cx.out.put(b" on ");
        cx.out.put(&e.target);
        cx.out.put(b" type ");
        cx.out.put(&e.fstype);
        cx.out.put(b" (");
        cx.out.put(&e.options);
        cx.out.put(b")\n");
    }
    Ok(0)
}

fn is_mounted(target: &[u8]) -> bool {
    mounts::current().map(|t| t.iter().any(|e| e.target == target)).unwrap_or(false)
}

fn mount_all(cx: &mut Cx, m: &Mount) -> Result<i32, Error> {
    let tab = mounts::read(b"/etc/fstab").at(b"/etc/fstab")?;
    let mut code = 0;
    for e in tab {
        let mut o = Options::default();
        parse_options(&mut o, &e.options);
        if o.noauto
            || e.fstype == b"swap"
            || e.target == b"none"
            || !type_selected(m.types.as_deref(), &e.fstype)
        {
            continue;
        }
        if is_mounted(&e.target) {
            continue;
        }
        let mut opts = e.options.clone();
        if !m.opts.is_empty() {
            opts.push(b',');
            opts.extend_from_slice(&m.opts);
        }
        match mount_it(cx, m, &e.source, &e.target, &opts, Some(&e.fstype)) {
            Ok(0) => {}
            Ok(c) => code = c,
            Err(err) => {
                cx.report(&err);
                code = 1;
            }
        }
    }
    Ok(code)
}

fn mount_one_operand(cx: &mut Cx, m: &Mount, op: &[u8]) -> Result<i32, Error> {
    let mut given = Options::default();
    parse_options(&mut given, &m.opts);
    let tab = mounts::read(b"/etc/fstab").unwrap_or_default();
    let abs = absolute(op);
    let found = tab
        .iter()
        .find(|e| e.target == op || e.target == abs)
        .or_else(|| tab.iter().find(|e| e.source == op));
    if let Some(e) = found {
        let mut opts = e.options.clone();
        opts.push(b',');
        opts.extend_from_slice(&m.opts);
        let types = m.types.clone().unwrap_or_else(|| e.fstype.clone());
        return mount_it(cx, m, &e.source.clone(), &e.target.clone(), &opts, Some(&types));
    }
    if given.remount {
        // `mount -o remount,ro DIR`: the source does not matter.
        return mount_it(cx, m, b"none", op, &m.opts.clone(), m.types.as_deref());
    }
    Err(crate::common::msg_parts(&[op, b": can't find in /etc/fstab"]))
}

/// `p` made absolute against the working directory, without a trailing slash (fstab's form).
fn absolute(p: &[u8]) -> Vec<u8> {
    let mut v = if p.starts_with(b"/") {
        p.to_vec()
    } else {
        let cwd = rustix::process::getcwd(Vec::new()).map(|c| c.into_bytes()).unwrap_or_default();
        let rel = p.strip_prefix(b"./").unwrap_or(p);
        if rel == b"." {
            cwd
        } else {
            crate::common::path::join(&cwd, rel)
        }
    };
    while v.len() > 1 && v.ends_with(b"/") {
        v.pop();
    }
    v
}

fn failed(src: &[u8], dir: &[u8], e: Errno) -> Error {
    crate::common::msg_parts(&[
        b"mounting ",
        src,
        b" on ",
        dir,
        b" failed: ",
        crate::rt::strerror(e).as_bytes(),
    ])
}

/// Mounts `src` on `dir` with the option list `opts` and type (list) `types`.
fn mount_it(
    cx: &mut Cx,
    m: &Mount,
    src: &[u8],
    dir: &[u8],
    opts: &[u8],
    types: Option<&[u8]>,
) -> Result<i32, Error> {
    let mut o = Options::default();
    parse_options(&mut o, opts);
    if m.fake {
        return Ok(0);
    }
    let flags = o.flags;
    let data = &o.data[..];
    if let Some(mode) = o.mkdir.filter(|_| !o.remount) {
        make_mount_point(dir, mode)?;
    }
    if o.mv {
        mounts::mount(src, dir, b"", mounts::MS_MOVE, b"").map_err(|e| failed(src, dir, e))?;
        return Ok(0);
    }
    if o.remount {
        let f = flags | mounts::MS_REMOUNT | if o.bind { mounts::MS_BIND } else { 0 };
        mounts::mount(b"", dir, b"", f, data).map_err(|e| failed(src, dir, e))?;
        return Ok(0);
    }
    if o.bind {
        let f = mounts::MS_BIND | if o.rec { mounts::MS_REC } else { 0 };
        mounts::mount(src, dir, b"", f, b"").map_err(|e| failed(src, dir, e))?;
        if o.flags & !(1 << 15) != 0 {
            // Flags of a bind mount apply only through a remount of it.
            mounts::mount(b"", dir, b"", flags | mounts::MS_REMOUNT | mounts::MS_BIND, b"")
                .map_err(|e| failed(src, dir, e))?;
        }
        return Ok(0);
    }
    let resolved = blkid::resolve(src);
    let Some(dev) = resolved else {
        return Err(crate::common::msg_parts(&[b"can't find ", src]));
    };
    let types = types.filter(|t| *t != b"auto");
    let is_file = matches!(rustix::fs::stat(&dev[..]), Ok(st) if rustix::fs::FileType::from_raw_mode(st.st_mode) == rustix::fs::FileType::RegularFile);
    let mut looped = None;
    let mut dev = dev;
    if o.lo || (is_file && types.is_none_or(|t| !is_nodev_type(t))) {
        let how = loopdev::Attach {
            read_only: o.flags & MS_RDONLY != 0,
            offset: o.offset,
            autoclear: true,
            partscan: false,
        };
        let (l, fd) = loopdev::attach(&dev, None, how)?;
        if m.verbose {
            cx.warn_parts(&[&l, b" attached to ", &dev]);
        }
        dev = l.clone();
        looped = Some((l, fd));
    }
    let r = mount_dev(&dev, dir, flags, data, types);
    if r.is_err() {
        if let Some((_, fd)) = &looped {
            let _ = crate::rt::kernel::loop_clear(fd);
        }
    }
    match r {
        Ok(()) => {
            if m.verbose {
                cx.warn_parts(&[src, b" mounted on ", dir]);
            }
            Ok(0)
        }
        Err(Errno::ROFS | Errno::ACCESS) if o.flags & MS_RDONLY == 0 && looped.is_none() => {
            // A write-protected medium (a CD): mount it read-only, as mount(8) does.
            mount_dev(&dev, dir, flags | MS_RDONLY, data, types).map_err(|e| failed(src, dir, e))?;
            Ok(0)
        }
        Err(e) => Err(failed(src, dir, e)),
    }
}

/// Makes `dir` and its missing parents (`X-mount.mkdir`); `mode` is the last one's.
fn make_mount_point(dir: &[u8], mode: u32) -> Result<(), Error> {
    use rustix::fs::Mode;
    for (i, &c) in dir.iter().enumerate() {
        if c == b'/' && i > 0 {
            let _ = rustix::fs::mkdir(&dir[..i], Mode::from_raw_mode(0o755));
        }
    }
    match rustix::fs::mkdir(dir, Mode::from_raw_mode(mode)) {
        Ok(()) | Err(Errno::EXIST) => Ok(()),
        Err(e) => Err(Error::Path(dir.to_vec(), e)),
    }
}

fn is_nodev_type(t: &[u8]) -> bool {
    matches!(
        t,
        b"tmpfs"
            | b"proc"
            | b"sysfs"
            | b"devtmpfs"
            | b"devpts"
            | b"overlay"
            | b"ramfs"
            | b"cgroup2"
            | b"mqueue"
    )
}

/// The mount system call, with the type detected (blkid, then each type in
/// /proc/filesystems) when none is given.
fn mount_dev(dev: &[u8], dir: &[u8], flags: u32, data: &[u8], types: Option<&[u8]>) -> Result<(), Errno> {
    if let Some(t) = types {
        let mut last = Errno::NODEV;
        for t in t.split(|&c| c == b',') {
            match mounts::mount(dev, dir, t, flags, data) {
                Ok(()) => return Ok(()),
                Err(e) => last = e,
            }
        }
        return Err(last);
    }
    if let Ok(Some(p)) = blkid::probe_path(dev) {
        return mounts::mount(dev, dir, p.fstype.as_bytes(), flags, data);
    }
    let fs = crate::common::fs::read_file(b"/proc/filesystems").unwrap_or_default();
    let mut last = Errno::NODEV;
    for line in fs.split(|&c| c == b'\n') {
        if line.starts_with(b"nodev") || line.is_empty() {
            continue;
        }
        let t = line.trim_ascii();
        match mounts::mount(dev, dir, t, flags, data) {
            Ok(()) => return Ok(()),
            Err(e @ (Errno::NOENT | Errno::NOTDIR | Errno::ACCESS | Errno::ROFS | Errno::NOMEDIUM)) => {
                return Err(e)
            }
            Err(e) => last = e,
        }
    }
    Err(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_split_into_flags_data_and_ours() {
        let mut o = Options::default();
        parse_options(&mut o, b"defaults,ro,noexec,size=10m,mode=755,loop,offset=4k,noauto,x-systemd.foo");
        assert_eq!(o.flags, 1 | 8);
        assert_eq!(o.data, b"size=10m,mode=755");
        assert!(o.lo && o.noauto && !o.bind);
        assert_eq!(o.offset, 4096);
        parse_options(&mut o, b"rw,exec,remount,rbind");
        assert_eq!(o.flags, 0);
        assert!(o.remount && o.bind && o.rec);
        assert_eq!(o.mkdir, None);
    }

    #[test]
    fn mount_point_option_is_ours_not_the_file_systems() {
        let mut o = Options::default();
        parse_options(&mut o, b"mode=620,X-mount.mkdir");
        assert_eq!((o.mkdir, &o.data[..]), (Some(0o755), &b"mode=620"[..]));
        parse_options(&mut o, b"x-mount.mkdir=0700");
        assert_eq!(o.mkdir, Some(0o700));
        parse_options(&mut o, b"X-mount.mkdir=9x");
        assert_eq!((o.mkdir, &o.data[..]), (Some(0o755), &b"mode=620"[..]));
    }

    #[test]
    fn type_lists_select_and_exclude() {
        assert!(type_selected(None, b"ext4"));
        assert!(type_selected(Some(b"ext4,vfat"), b"vfat"));
        assert!(!type_selected(Some(b"ext4"), b"tmpfs"));
        assert!(!type_selected(Some(b"notmpfs"), b"tmpfs"));
        assert!(type_selected(Some(b"notmpfs"), b"ext4"));
    }
}
