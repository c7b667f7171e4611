//! k1box: the K1OS multicall binary's library — the applet table and dispatch.
//!
//! The binary (`main.rs`) only starts the process and calls [`run`]. Dispatch is on the
//! basename of argv[0] (a leading `-`, as login shells get, is dropped), or on the first
//! argument when called as `k1box`. `--list`, `--install [-s] DIR` and `--help` come from
//! the same sorted table.
#![cfg_attr(not(test), no_std)]

extern crate alloc;

pub mod applets;
pub mod common;
pub mod init;
pub mod lineedit;
pub mod rt;

use alloc::vec::Vec;
use rustix::io::Errno;

use common::{path, Cx};

/// k1box's version, shown by `--version` and `--help`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// An applet: its name and its entry point.
pub struct Applet {
    pub name: &'static str,
    pub main: fn(&mut Cx) -> i32,
}

const fn a(name: &'static str, main: fn(&mut Cx) -> i32) -> Applet {
    Applet { name, main }
}

use applets::*;

/// Every applet, sorted by name (a unit test keeps it so).
pub static APPLETS: &[Applet] = &[
    a("[", test::bracket_main),
    a("basename", basename::main),
    a("blkid", blkid::main),
    a("cat", cat::main),
    a("cp", cp::main),
    a("dirname", dirname::main),
    a("dmesg", dmesg::main),
    a("echo", echo::main),
    a("env", env::main),
    a("false", true_false::false_main),
    a("findfs", findfs::main),
    a("halt", poweroff::halt_main),
    a("head", head::main),
    a("hostname", hostname::main),
    a("init", crate::init::main),
    a("kill", kill::main),
    a("ln", ln::main),
    a("losetup", losetup::main),
    a("ls", ls::main),
    a("mkdir", mkdir::main),
    a("mknod", mknod::main),
    a("mount", mount::main),
    a("mountpoint", mountpoint::main),
    a("mv", mv::main),
    a("poweroff", poweroff::poweroff_main),
    a("printf", printf::main),
    a("pwd", pwd::main),
    a("reboot", poweroff::reboot_main),
    a("rm", rm::main),
    a("rmdir", rmdir::main),
    a("sleep", sleep::main),
    a("switch_root", switch_root::main),
    a("sync", sync::main),
    a("tail", tail::main),
    a("test", test::main),
    a("true", true_false::true_main),
    a("umount", umount::main),
    a("uname", uname::main),
    a("wc", wc::main),
    a("yes", yes::main),
];

/// The applet called `name`.
pub fn find(name: &[u8]) -> Option<&'static Applet> {
    APPLETS.binary_search_by(|a| a.name.as_bytes().cmp(name)).ok().map(|i| &APPLETS[i])
}

/// Runs k1box with the process's arguments and environment; returns the exit status.
pub fn run(argv: &[&[u8]], envp: &[&[u8]]) -> i32 {
    let env: Vec<Vec<u8>> = envp.iter().map(|e| e.to_vec()).collect();
    let arg0 = argv.first().copied().unwrap_or(b"k1box");
    let mut name = path::basename(arg0);
    if let Some(stripped) = name.strip_prefix(b"-") {
        name = stripped;
    }
    if let Some(applet) = find(name) {
        return run_applet(applet, argv.iter().skip(1).map(|a| a.to_vec()).collect(), env);
    }
    if name == b"k1box" {
        return multicall(argv, env);
    }
    unknown(name)
}

/// Runs one applet to completion and reports a failed standard output.
pub fn run_applet(applet: &'static Applet, args: Vec<Vec<u8>>, env: Vec<Vec<u8>>) -> i32 {
    let mut cx = Cx::new(applet.name, args, env);
    let code = (applet.main)(&mut cx);
    finish(&mut cx, code)
}

/// Flushes the applet's output: a write error becomes `applet: write error: …` and exit 1;
/// a closed pipe ends quietly with 1.
pub fn finish(cx: &mut Cx, code: i32) -> i32 {
    match cx.out.flush() {
        Ok(()) => code,
        Err(Errno::PIPE) => 1,
        Err(e) => {
            cx.warnf(format_args!("write error: {}", rt::strerror(e)));
            1
        }
    }
}

fn unknown(name: &[u8]) -> i32 {
    let mut cx = Cx::new("k1box", Vec::new(), Vec::new());
    let mut m = b"applet not found: ".to_vec();
    m.extend_from_slice(name);
    cx.warn(&m);
    127
}

const USAGE: &str = "\
Usage: k1box APPLET [ARG]...
   or: APPLET [ARG]...        (through a link named APPLET)
   or: k1box --list
   or: k1box --install [-s] DIR

The K1OS multicall binary: one static executable, no libc.
  --list          print the applet names, one per line
  --install DIR   create hard links (symbolic with -s) to k1box in DIR for every applet
";

fn multicall(argv: &[&[u8]], env: Vec<Vec<u8>>) -> i32 {
    let mut cx = Cx::new("k1box", Vec::new(), Vec::new());
    let code = match argv.get(1).copied() {
        None | Some(b"--help") | Some(b"-h") => {
            help(&mut cx);
            0
        }
        Some(b"--list") => {
            for a in APPLETS {
                cx.out.str(a.name);
                cx.out.byte(b'\n');
            }
            0
        }
        Some(b"--version") => {
            cx.out.str("k1box ");
            cx.out.str(VERSION);
            cx.out.byte(b'\n');
            0
        }
        Some(b"--install") => install(&mut cx, &argv[2..]),
        Some(name) => match find(name) {
            Some(applet) => {
                return run_applet(applet, argv.iter().skip(2).map(|a| a.to_vec()).collect(), env)
            }
            None => return unknown(name),
        },
    };
    finish(&mut cx, code)
}

fn help(cx: &mut Cx) {
    cx.out.str("k1box ");
    cx.out.str(VERSION);
    cx.out.str(" (K1OS)\n");
    cx.out.str(USAGE);
    cx.out.str("\nApplets:\n");
    let mut col = 0;
    for (i, a) in APPLETS.iter().enumerate() {
        let w = a.name.len() + 2;
        if col == 0 {
            cx.out.str("  ");
            col = 2;
        } else if col + w > 78 {
            cx.out.str("\n  ");
            col = 2;
        }
        cx.out.str(a.name);
        col += a.name.len();
        if i + 1 < APPLETS.len() {
            cx.out.str(", ");
            col += 2;
        }
    }
    cx.out.byte(b'\n');
}

fn install(cx: &mut Cx, args: &[&[u8]]) -> i32 {
    let (symbolic, dir) = match args {
        [b"-s", dir] => (true, *dir),
        [dir] if *dir != b"-s" => (false, *dir),
        _ => {
            cx.warn(b"usage: k1box --install [-s] DIR");
            return 2;
        }
    };
    let exe = match rustix::fs::readlink("/proc/self/exe", Vec::new()) {
        Ok(p) => p.into_bytes(),
        Err(e) => {
            cx.warn_path(b"/proc/self/exe", e);
            return 1;
        }
    };
    let mut code = 0;
    for a in APPLETS {
        let link = path::join(dir, a.name.as_bytes());
        let r = if symbolic {
            rustix::fs::symlink(exe.as_slice(), link.as_slice())
        } else {
            rustix::fs::link(exe.as_slice(), link.as_slice())
        };
        match r {
            Ok(()) => {}
            Err(Errno::EXIST) if points_at(&link, &exe, symbolic) => {}
            Err(e) => {
                cx.warn_path(&link, e);
                code = 1;
            }
        }
    }
    code
}

/// True when `link` already is our link to `exe` (so reinstalling is not an error).
fn points_at(link: &[u8], exe: &[u8], symbolic: bool) -> bool {
    if symbolic {
        matches!(rustix::fs::readlink(link, Vec::new()), Ok(t) if t.as_bytes() == exe)
    } else {
        match (rustix::fs::stat(link), rustix::fs::stat(exe)) {
            (Ok(a), Ok(b)) => a.st_ino == b.st_ino && a.st_dev == b.st_dev,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applet_table_is_sorted_and_unique() {
        for w in APPLETS.windows(2) {
            assert!(w[0].name < w[1].name, "{} before {}", w[0].name, w[1].name);
        }
    }

    #[test]
    fn finds_applets_by_name() {
        assert_eq!(find(b"echo").map(|a| a.name), Some("echo"));
        assert!(find(b"nope").is_none());
    }
}
