//! The end of the system: shutdown entries, TERM then KILL to every process, sync, every
//! file system unmounted or remounted read-only (block-device ones read-only first, so the
//! data disk is clean), then reboot(2). Also the `restart` action (SIGQUIT): the same
//! without the unmounting, then the restart entry's process replaces init.
use rustix::system::RebootCommand;

use super::stage2::{run_and_wait, Action, Entry};
use super::{now_ms, say, sleep_ms};
use crate::common::mounts;
use crate::rt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Halt,
    PowerOff,
    Reboot,
}

/// Runs the shutdown entries and ends every other process.
fn stop_everything(tab: &[Entry], env: &[alloc::vec::Vec<u8>]) {
    say(&[b"\nThe system is going down NOW!\n"]);
    for e in tab.iter().filter(|e| e.action == Action::Shutdown) {
        run_and_wait(e, env);
    }
    say(&[b"Sending SIGTERM to all processes\n"]);
    let _ = rt::kernel::kill(-1, super::stage1::sig::TERM);
    wait_children(2000);
    say(&[b"Sending SIGKILL to all processes\n"]);
    let _ = rt::kernel::kill(-1, 9);
    wait_children(1000);
    rustix::fs::sync();
}

/// Reaps children until none is left or `ms` milliseconds pass.
fn wait_children(ms: u64) {
    let end = now_ms() + ms;
    loop {
        match rustix::process::wait(rustix::process::WaitOptions::NOHANG) {
            Err(_) => return,
            Ok(Some(_)) => continue,
            Ok(None) => {}
        }
        if now_ms() >= end {
            return;
        }
        sleep_ms(50);
    }
}

/// Unmounts everything in /proc/mounts, last first; what stays busy is remounted read-only.
pub fn unmount_all() {
    let table = match mounts::current() {
        Ok(t) => t,
        Err(_) => {
            // `umount -a` may have taken /proc away.
            let _ = mounts::mount(b"proc", b"/proc", b"proc", 0, b"");
            mounts::current().unwrap_or_default()
        }
    };
    // Block-device file systems read-only first: the data disk stays clean even when the
    // overlay above it keeps it mounted.
    for e in table.iter().rev().filter(|e| e.source.starts_with(b"/dev/")) {
        let _ = mounts::mount(b"", &e.target, b"", mounts::MS_REMOUNT | mounts::MS_RDONLY, b"");
    }
    let mut left: alloc::vec::Vec<&mounts::Entry> = table.iter().rev().collect();
    for _ in 0..3 {
        left.retain(|e| mounts::unmount(&e.target, 0).is_err());
    }
    for e in left {
        let _ = mounts::mount(b"", &e.target, b"", mounts::MS_REMOUNT | mounts::MS_RDONLY, b"");
    }
    rustix::fs::sync();
}

/// Halts, powers off or reboots; never returns.
pub fn shutdown(tab: &[Entry], env: &[alloc::vec::Vec<u8>], kind: Kind) -> ! {
    stop_everything(tab, env);
    unmount_all();
    let (cmd, what): (RebootCommand, &[u8]) = match kind {
        Kind::Halt => (RebootCommand::Halt, b"halt"),
        Kind::PowerOff => (RebootCommand::PowerOff, b"power off"),
        Kind::Reboot => (RebootCommand::Restart, b"reboot"),
    };
    say(&[b"Requesting system ", what, b"\n"]);
    if let Err(e) = rustix::system::reboot(cmd) {
        say(&[b"init: reboot(2): ", rt::strerror(e).as_bytes(), b"\n"]);
    }
    super::wait_forever()
}

/// The restart action: everything stopped, then the restart entry's process (by default
/// /sbin/init) replaces this one, still PID 1.
pub fn restart(tab: &[Entry], env: &[alloc::vec::Vec<u8>]) -> ! {
    let cmd = tab.iter().find(|e| e.action == Action::Restart).map_or(&b"/sbin/init"[..], |e| &e.command[..]);
    stop_everything(tab, env);
    super::reset_signals(super::stage2::SIGNALS);
    let (path, argv) = super::stage2::command_argv(cmd);
    let args: alloc::vec::Vec<&[u8]> = argv.iter().skip(1).map(|a| a.as_slice()).collect();
    let e = crate::applets::switch_root::exec(&path, &args, env);
    say(&[b"init: restart: ", &super::stage1::err_text(&e), b"\n"]);
    super::wait_forever()
}
