//! umount — unmount file systems (util-linux and BusyBox umount(8): -a -l -f -r -t).
//!
//! An operand may be the mount point or the mounted device. `-a` unmounts everything in
//! /proc/mounts in reverse order except the proc file system (as util-linux does); `-r`
//! remounts read-only what cannot be unmounted because it is busy.
use alloc::vec::Vec;
use rustix::io::Errno;

use crate::common::{mounts, Cx, Getopt, Opt};

const USAGE: &str = "\
Usage: umount [-alfrnv] [-t TYPE] DIR|DEVICE...

Unmount file systems.

  -a       unmount everything in /proc/mounts (except proc), last mounted first
  -t TYPE  with -a, only these types (comma list, `no` prefix excludes)
  -l       lazy: detach now, clean up when no longer busy
  -f       force (unreachable network file systems)
  -r       remount read-only when unmounting fails because the file system is busy
  -n       do not write /etc/mtab (accepted)
  -v       verbose
";

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let mut g = Getopt::new(&args, "alfrnvdt:", &[]);
    let (mut all, mut ro, mut verbose) = (false, false, false);
    let mut flags = 0u32;
    let mut types: Option<Vec<u8>> = None;
    while let Some(o) = g.next() {
        match o {
            Ok(Opt::Char(b'a')) => all = true,
            Ok(Opt::Char(b'l')) => flags |= 2,
            Ok(Opt::Char(b'f')) => flags |= 1,
            Ok(Opt::Char(b'r')) => ro = true,
            Ok(Opt::Char(b'v')) => verbose = true,
            Ok(Opt::Char(b'n' | b'd')) => {}
            Ok(Opt::Char(b't')) => types = Some(g.arg_or_empty().to_vec()),
            other => return cx.opt_exit(other, USAGE, 1),
        }
    }
    let ops = g.operands();
    let table = mounts::current().unwrap_or_default();
    let mut code = 0;
    if all {
        for e in table.iter().rev() {
            if e.fstype == b"proc" || !selected(types.as_deref(), &e.fstype) {
                continue;
            }
            if !umount_one(cx, &e.target, flags, ro, verbose) {
                code = 1;
            }
        }
        return code;
    }
    if ops.is_empty() {
        return cx.usage_error("missing operand", USAGE, 1);
    }
    for op in ops {
        // A device names the mount it is the source of (the latest one).
        let target = match table.iter().rev().find(|e| e.target == op) {
            Some(_) => op.to_vec(),
            None => table.iter().rev().find(|e| e.source == op).map_or(op.to_vec(), |e| e.target.clone()),
        };
        if !umount_one(cx, &target, flags, ro, verbose) {
            code = 1;
        }
    }
    code
}

fn selected(types: Option<&[u8]>, fstype: &[u8]) -> bool {
    let Some(t) = types else { return true };
    let negative = t.starts_with(b"no");
    let hit = t.split(|&c| c == b',').any(|w| w.strip_prefix(b"no").unwrap_or(w) == fstype);
    hit != negative
}

/// Unmounts `target` (or remounts it read-only with `ro` when busy); reports failures.
fn umount_one(cx: &mut Cx, target: &[u8], flags: u32, ro: bool, verbose: bool) -> bool {
    match mounts::unmount(target, flags) {
        Ok(()) => {
            if verbose {
                cx.warn_parts(&[target, b" unmounted"]);
            }
            true
        }
        Err(e @ (Errno::BUSY | Errno::INVAL)) if ro => {
            match mounts::mount(b"", target, b"", mounts::MS_REMOUNT | mounts::MS_RDONLY, b"") {
                Ok(()) => {
                    cx.warn_parts(&[target, b" busy - remounted read-only"]);
                    true
                }
                Err(_) => {
                    cant(cx, target, e);
                    false
                }
            }
        }
        Err(e) => {
            cant(cx, target, e);
            false
        }
    }
}

fn cant(cx: &mut Cx, target: &[u8], e: Errno) {
    cx.warn_parts(&[b"can't unmount ", target, b": ", crate::rt::strerror(e).as_bytes()]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_filter() {
        assert!(selected(None, b"proc"));
        assert!(selected(Some(b"tmpfs,ext4"), b"ext4"));
        assert!(!selected(Some(b"tmpfs"), b"ext4"));
        assert!(!selected(Some(b"notmpfs,ext4"), b"ext4"));
        assert!(selected(Some(b"notmpfs"), b"vfat"));
    }
}
