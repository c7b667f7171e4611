//! mountpoint — see whether a directory is a mount point (util-linux mountpoint(1),
//! BusyBox): -q quiet, -d prints its device number, -x a block device's number.
use rustix::fs::FileType;

use crate::common::{At, Cx, Getopt, Opt};

const USAGE: &str = "\
Usage: mountpoint [-q] [-d] DIR
   or: mountpoint [-q] -x DEVICE

Tell whether DIR is a mount point (exit 0) or not (exit 32).

  -q  print nothing, only the exit status
  -d  print the file system's device number MAJOR:MINOR
  -x  print the block device's number MAJOR:MINOR
";

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let mut g = Getopt::new(&args, "qdxn", &[]);
    let (mut quiet, mut dev, mut x) = (false, false, false);
    while let Some(o) = g.next() {
        match o {
            Ok(Opt::Char(b'q')) => quiet = true,
            Ok(Opt::Char(b'd')) => dev = true,
            Ok(Opt::Char(b'x')) => x = true,
            Ok(Opt::Char(b'n')) => {}
            other => return cx.opt_exit(other, USAGE, 1),
        }
    }
    let ops = g.operands();
    let [path] = ops.as_slice() else {
        return cx.usage_error("bad usage", USAGE, 1);
    };
    let st = match rustix::fs::stat(*path).at(path) {
        Ok(s) => s,
        Err(e) => {
            if !quiet {
                cx.report(&e);
            }
            return 1;
        }
    };
    let ft = FileType::from_raw_mode(st.st_mode);
    let num = |cx: &mut Cx, d: u64| {
        cx.out.num(rustix::fs::major(d) as u64);
        cx.out.byte(b':');
        cx.out.num(rustix::fs::minor(d) as u64);
        cx.out.byte(b'\n');
    };
    if x {
        if ft != FileType::BlockDevice {
            if !quiet {
                cx.warn_parts(&[path, b": not a block device"]);
            }
            return 1;
        }
        num(cx, st.st_rdev);
        return 0;
    }
    if ft != FileType::Directory {
        if !quiet {
            cx.warn_parts(&[path, b": not a directory"]);
        }
        return 1;
    }
    // A mount point's parent is on another file system, or is the same directory (/).
    let parent = [*path, b"/.."].concat();
    let is_mp = match rustix::fs::stat(&parent[..]) {
        Ok(p) => p.st_dev != st.st_dev || p.st_ino == st.st_ino,
        Err(_) => false,
    } || in_mountinfo(path);
    if dev && is_mp {
        num(cx, st.st_dev);
        return 0;
    }
    if !quiet {
        cx.out.put(path);
        cx.out.put(if is_mp { &b" is a mountpoint\n"[..] } else { b" is not a mountpoint\n" });
    }
    if is_mp {
        0
    } else {
        32
    }
}

/// Bind mounts of a directory of the same file system show only in the mount table.
fn in_mountinfo(path: &[u8]) -> bool {
    let Ok(abs) = rustix::fs::open(
        path,
        rustix::fs::OFlags::PATH | rustix::fs::OFlags::CLOEXEC,
        rustix::fs::Mode::empty(),
    )
    .and_then(|fd| {
        let mut p = b"/proc/self/fd/".to_vec();
        crate::common::num::push_u64(&mut p, rustix::fd::AsRawFd::as_raw_fd(&fd) as u64);
        rustix::fs::readlink(&p[..], alloc::vec::Vec::new())
    }) else {
        return false;
    };
    let abs = abs.into_bytes();
    crate::common::mounts::current().map(|t| t.iter().any(|e| e.target == abs)).unwrap_or(false)
}
