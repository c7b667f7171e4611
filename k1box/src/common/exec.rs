//! Running a program by name as execvp(3) does: a PATH search, then execve (for env, the
//! shell, and every applet that runs a command).
use alloc::ffi::CString;
use alloc::vec::Vec;
use core::ffi::CStr;
use rustix::io::Errno;

use crate::common::{path, text};
use crate::rt;

/// The search path when the environment has no PATH.
pub const DEFAULT_PATH: &[u8] = b"/bin:/usr/bin:/sbin:/usr/sbin";

/// Executes `name` with `args` (the whole argv, `args[0]` included) and the environment
/// `env` (`NAME=value` entries), searching the PATH of `env` when `name` has no slash; an
/// empty PATH entry is the current directory. A file the kernel cannot run (ENOEXEC) runs
/// as a script of /bin/sh. Returns only on failure: ENOENT when nothing was found, EACCES
/// when something was found but could not be run, otherwise the error of the first
/// candidate that failed for another reason.
pub fn exec_path<A: AsRef<[u8]>>(name: &[u8], args: &[A], env: &[Vec<u8>]) -> Errno {
    let (Some(argv), Some(envp)) = (cstrings(args), cstrings(env)) else {
        return Errno::INVAL;
    };
    if name.is_empty() {
        return Errno::NOENT;
    }
    if name.contains(&b'/') {
        return exec_file(name, &argv, &envp);
    }
    let search = text::env_get(env, b"PATH").unwrap_or(DEFAULT_PATH);
    let mut denied = false;
    for dir in search.split(|&c| c == b':') {
        let full = if dir.is_empty() { name.to_vec() } else { path::join(dir, name) };
        match exec_file(&full, &argv, &envp) {
            Errno::ACCESS => denied = true,
            Errno::NOENT | Errno::NOTDIR | Errno::STALE | Errno::NODEV | Errno::TIMEDOUT | Errno::LOOP => {}
            e => return e,
        }
    }
    if denied {
        Errno::ACCESS
    } else {
        Errno::NOENT
    }
}

/// execve of one path, and of `/bin/sh PATH ARGS...` when the kernel says ENOEXEC.
fn exec_file(file: &[u8], argv: &[CString], envp: &[CString]) -> Errno {
    let Ok(file) = CString::new(file) else {
        return Errno::INVAL;
    };
    let av: Vec<&CStr> = argv.iter().map(|a| a.as_c_str()).collect();
    let ev: Vec<&CStr> = envp.iter().map(|e| e.as_c_str()).collect();
    let e = rt::execve(&file, &av, &ev);
    if e != Errno::NOEXEC {
        return e;
    }
    let sh = c"/bin/sh";
    let mut sav: Vec<&CStr> = Vec::with_capacity(av.len() + 1);
    sav.push(sh);
    sav.push(&file);
    sav.extend(av.iter().skip(1));
    match rt::execve(sh, &sav, &ev) {
        Errno::NOENT => Errno::NOEXEC,
        e => e,
    }
}

/// NUL-terminated copies; None when one has a NUL inside.
fn cstrings<A: AsRef<[u8]>>(v: &[A]) -> Option<Vec<CString>> {
    v.iter().map(|a| CString::new(a.as_ref()).ok()).collect()
}
