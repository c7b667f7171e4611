//! init — K1OS's PID 1, in two stages (DESIGN §1).
//!
//! - `stage1`: k1box as the initramfs's `/init`: finds the boot medium, builds the overlay
//!   root (squashfs under tmpfs or the K1OS-DATA disk) and switches to it; a rescue shell
//!   on any failure.
//! - `stage2`: `/sbin/init` on the real root: BusyBox-format /etc/inittab, respawned
//!   shells, orphan reaping, and the shutdown sequence of `shutdown`.
//!
//! The `init` applet picks the stage: PID 1 on an initramfs (ramfs/tmpfs root) without an
//! /etc/inittab is stage 1; otherwise stage 2.
pub mod shutdown;
pub mod stage1;
pub mod stage2;

use alloc::ffi::CString;
use alloc::vec::Vec;
use core::sync::atomic::{AtomicU64, Ordering};
use rustix::process::{Pid, WaitOptions};

use crate::common::Cx;
use crate::rt;

const USAGE: &str = "\
Usage: init

K1OS's first process (PID 1). From the initramfs (stage 1) it finds the boot medium,
mounts /k1os/system.squashfs under an overlay (tmpfs, or the K1OS-DATA disk in persistent
mode) and switches to it; on the real root (stage 2) it runs /etc/inittab (BusyBox format).
Kernel command line: k1os.mode=ram|persist|auto  k1os.data=LABEL=..|UUID=..|/dev/..
k1os.media=..  k1os.break=premount|preswitch  k1os.debug
Signals to PID 1: TERM reboot, USR1 halt, USR2 power off, INT ctrl-alt-del, QUIT restart,
HUP reread /etc/inittab.
";

pub fn main(cx: &mut Cx) -> i32 {
    if cx.args.first().is_some_and(|a| a == b"--help") {
        cx.out.str(USAGE);
        return 0;
    }
    if rustix::process::getpid() != Pid::INIT {
        cx.warn(b"must be run as PID 1");
        return 1;
    }
    let _ = cx.out.flush();
    if crate::applets::switch_root::root_is_initramfs()
        && rustix::fs::access("/etc/inittab", rustix::fs::Access::EXISTS).is_err()
    {
        stage1::run(cx)
    } else {
        stage2::run(cx)
    }
}

/// Writes `msg` to standard error (the console) at once.
pub fn say(parts: &[&[u8]]) {
    let mut v = Vec::new();
    for p in parts {
        v.extend_from_slice(p);
    }
    let _ = crate::common::out::write_all(2, &v);
}

/// `[S.mmm] `: the monotonic clock (the kernel's log clock, from boot), for k1os.debug lines.
pub fn stamp() -> Vec<u8> {
    stamp_at(now_ms())
}

fn stamp_at(ms: u64) -> Vec<u8> {
    let mut v = b"[".to_vec();
    crate::common::num::push_u64(&mut v, ms / 1000);
    v.push(b'.');
    let frac = ms % 1000;
    v.extend_from_slice(&[
        b'0' + (frac / 100) as u8,
        b'0' + (frac / 10 % 10) as u8,
        b'0' + (frac % 10) as u8,
    ]);
    v.extend_from_slice(b"] ");
    v
}

/// Milliseconds on the monotonic clock.
pub fn now_ms() -> u64 {
    rt::kernel::monotonic_ms()
}

/// Sleeps `ms` milliseconds (signals may cut it short).
pub fn sleep_ms(ms: u64) {
    let t = rustix::time::Timespec { tv_sec: (ms / 1000) as i64, tv_nsec: ((ms % 1000) * 1_000_000) as i64 };
    let _ = rustix::thread::nanosleep(&t);
}

/// A NUL-terminated copy (bytes after an inner NUL are dropped).
pub fn cstring(s: &[u8]) -> CString {
    let end = s.iter().position(|&c| c == 0).unwrap_or(s.len());
    CString::new(s[..end].to_vec()).unwrap_or_default()
}

/// Signals caught by PID 1, as bits of a mask (bit N-1 for signal N).
static PENDING: AtomicU64 = AtomicU64::new(0);

extern "C" fn on_signal(sig: i32) {
    if (1..=64).contains(&sig) {
        PENDING.fetch_or(1u64 << (sig - 1), Ordering::SeqCst);
    }
}

/// Takes the set of signals caught since the last call.
pub fn take_signals() -> rt::SigSet {
    rt::SigSet(PENDING.swap(0, Ordering::SeqCst))
}

/// Catches `sigs` (their handlers only record them) and blocks them; returns the mask to
/// wait with (the previous one).
pub fn catch_signals(sigs: &[i32]) -> rt::SigSet {
    let mut set = rt::SigSet::default();
    for &s in sigs {
        let _ = rt::set_signal(s, rt::Handler::Catch(on_signal), true);
        set = set.with(s);
    }
    rt::sigprocmask(rt::MaskHow::Block, set).unwrap_or_default()
}

/// In a new child: default dispositions and nothing blocked, as a fresh program expects.
pub fn reset_signals(sigs: &[i32]) {
    for &s in sigs {
        let _ = rt::set_signal(s, rt::Handler::Default, true);
    }
    let _ = rt::sigprocmask(rt::MaskHow::Set, rt::SigSet::default());
}

/// Reaps every child that has ended; calls `f` with each pid.
pub fn reap(mut f: impl FnMut(i32)) {
    while let Ok(Some((pid, _))) = rustix::process::wait(WaitOptions::NOHANG) {
        f(pid.as_raw_nonzero().get());
    }
}

/// Makes `path` a directory (and its parents); existing ones are fine.
pub fn mkdir_p(path: &[u8]) {
    for (i, &c) in path.iter().enumerate() {
        if c == b'/' && i > 0 {
            let _ = rustix::fs::mkdir(&path[..i], rustix::fs::Mode::from_raw_mode(0o755));
        }
    }
    let _ = rustix::fs::mkdir(path, rustix::fs::Mode::from_raw_mode(0o755));
}

/// Makes `fd` 0, 1 and 2 (when `path` opens) and takes it as controlling terminal.
pub fn open_console(path: &[u8], ctty: bool) -> bool {
    use rustix::fs::{Mode, OFlags};
    let Ok(fd) = rustix::fs::open(path, OFlags::RDWR | OFlags::NOCTTY | OFlags::NONBLOCK, Mode::empty())
    else {
        return false;
    };
    // Blocking again for the programs that read it.
    let _ = rustix::fs::fcntl_setfl(&fd, OFlags::RDWR);
    let n = rustix::fd::AsRawFd::as_raw_fd(&fd);
    for i in 0..3 {
        let _ = rt::dup2(n, i);
    }
    if n > 2 {
        drop(fd);
    } else {
        core::mem::forget(fd);
    }
    if ctty {
        let _ = rustix::process::ioctl_tiocsctty(rt::stdin());
    }
    true
}

/// Parks PID 1 for good (it must never exit), reaping orphans.
pub fn wait_forever() -> ! {
    loop {
        reap(|_| {});
        sleep_ms(60_000);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn stamps_read_like_the_kernel_log() {
        assert_eq!(super::stamp_at(2_045), b"[2.045] ");
        assert_eq!(super::stamp_at(61_900), b"[61.900] ");
        assert_eq!(super::stamp_at(7), b"[0.007] ");
    }
}
