//! switch_root — leave the initramfs for the real root (util-linux and BusyBox
//! switch_root(8)): `switch_root [-c CONSOLE] NEW_ROOT INIT [ARG]...`.
//!
//! Run as PID 1 from an initramfs (ramfs or tmpfs): NEW_ROOT must be a mount point. The
//! initramfs's files are deleted (without crossing into other file systems), NEW_ROOT is
//! moved onto /, becomes the root directory, and INIT is executed in place of this process.
use alloc::ffi::CString;
use alloc::vec::Vec;
use rustix::fd::{AsFd, OwnedFd};
use rustix::fs::{AtFlags, FileType, Mode, OFlags};

use crate::common::{At, Cx, Error, Getopt, Opt};

const USAGE: &str = "\
Usage: switch_root [-c CONSOLE] NEW_ROOT NEW_INIT [ARG]...

From an initramfs, as PID 1: free the initramfs, make NEW_ROOT (a mount point) the root
and execute NEW_INIT there.

  -c CONSOLE  reopen standard input, output and error on CONSOLE (in the new root)
";

const RAMFS_MAGIC: i64 = 0x8584_58f6;
const TMPFS_MAGIC: i64 = 0x0102_1994;

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let mut g = Getopt::new(&args, "+c:", &[]);
    let mut console = None;
    while let Some(o) = g.next() {
        match o {
            Ok(Opt::Char(b'c')) => console = g.arg().map(|a| a.to_vec()),
            other => return cx.opt_exit(other, USAGE, 1),
        }
    }
    let ops = g.operands();
    if ops.len() < 2 {
        return cx.usage_error("missing operand", USAGE, 1);
    }
    if rustix::process::getpid() != rustix::process::Pid::INIT {
        cx.warn(b"PID must be 1");
        return 1;
    }
    let rest: Vec<&[u8]> = ops[2..].to_vec();
    let e = switch_root(ops[0], console.as_deref(), ops[1], &rest, &cx.env);
    cx.report(&e);
    1
}

/// Whether / is an initramfs (ramfs or tmpfs).
pub fn root_is_initramfs() -> bool {
    matches!(rustix::fs::statfs("/"), Ok(s) if s.f_type == RAMFS_MAGIC || s.f_type == TMPFS_MAGIC)
}

/// Does the switch; returns only on failure, with what went wrong.
pub fn switch_root(
    new_root: &[u8],
    console: Option<&[u8]>,
    init: &[u8],
    args: &[&[u8]],
    env: &[Vec<u8>],
) -> Error {
    match prepare(new_root, console) {
        Ok(()) => exec(init, args, env),
        Err(e) => e,
    }
}

fn prepare(new_root: &[u8], console: Option<&[u8]>) -> Result<(), Error> {
    let root = rustix::fs::stat("/").at(b"/")?;
    let new = rustix::fs::stat(new_root).at(new_root)?;
    if new.st_dev == root.st_dev {
        return Err(Error::PathMsg(new_root.to_vec(), "not a mount point".into()));
    }
    if !root_is_initramfs() {
        return Err(Error::Msg("root filesystem is not ramfs/tmpfs".into()));
    }
    rustix::process::chdir(new_root).at(new_root)?;
    // Free the initramfs's memory: nothing of it is reachable after the switch.
    if let Ok(fd) = crate::common::fs::open_read(b"/") {
        remove_tree(&fd, root.st_dev);
    }
    crate::common::mounts::mount(b".", b"/", b"", crate::common::mounts::MS_MOVE, b"").at(new_root)?;
    rustix::process::chroot(".").at(new_root)?;
    rustix::process::chdir("/").at(b"/")?;
    if let Some(c) = console {
        let fd = rustix::fs::open(c, OFlags::RDWR | OFlags::NOCTTY, Mode::empty()).at(c)?;
        for n in 0..3 {
            let _ = crate::rt::dup2(rustix::fd::AsRawFd::as_raw_fd(&fd), n);
        }
    }
    Ok(())
}

/// Deletes what is in directory `dir`, staying on device `dev`.
fn remove_tree(dir: &OwnedFd, dev: u64) {
    let mut buf = Vec::with_capacity(16 * 1024);
    let mut d = rustix::fs::RawDir::new(dir.as_fd(), buf.spare_capacity_mut());
    let mut names: Vec<(CString, bool)> = Vec::new();
    while let Some(Ok(e)) = d.next() {
        let n = e.file_name();
        if n.to_bytes() == b"." || n.to_bytes() == b".." {
            continue;
        }
        names.push((CString::from(n), e.file_type() == FileType::Directory));
    }
    for (name, is_dir) in names {
        let Ok(st) = rustix::fs::statat(dir.as_fd(), &*name, AtFlags::SYMLINK_NOFOLLOW) else { continue };
        if st.st_dev != dev {
            continue;
        }
        let is_dir = is_dir || FileType::from_raw_mode(st.st_mode) == FileType::Directory;
        if is_dir {
            if let Ok(sub) = rustix::fs::openat(
                dir.as_fd(),
                &*name,
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                Mode::empty(),
            ) {
                remove_tree(&sub, dev);
            }
            let _ = rustix::fs::unlinkat(dir.as_fd(), &*name, AtFlags::REMOVEDIR);
        } else {
            let _ = rustix::fs::unlinkat(dir.as_fd(), &*name, AtFlags::empty());
        }
    }
}

fn cstr(s: &[u8]) -> CString {
    CString::new(s.to_vec()).unwrap_or_default()
}

/// Executes `init` with `args` (argv[0] is `init` itself); returns the failure.
pub fn exec(init: &[u8], args: &[&[u8]], env: &[Vec<u8>]) -> Error {
    let path = cstr(init);
    let mut argv = alloc::vec![path.clone()];
    argv.extend(args.iter().map(|a| cstr(a)));
    let envp: Vec<CString> = env.iter().map(|e| cstr(e)).collect();
    let av: Vec<&core::ffi::CStr> = argv.iter().map(|a| a.as_c_str()).collect();
    let ev: Vec<&core::ffi::CStr> = envp.iter().map(|a| a.as_c_str()).collect();
    let e = crate::rt::execve(&path, &av, &ev);
    crate::common::msg_parts(&[b"can't execute '", init, b"': ", crate::rt::strerror(e).as_bytes()])
}
