//! env — run a program in a changed environment, or print the environment (POSIX; GNU's
//! -u -0 -C and long options).
//!
//! Options end at the first operand, so `env A=1 ls -l` passes `-l` to ls. The command is
//! found through the new environment's PATH. Exit statuses are GNU's: 125 for env's own
//! errors, 126 when the command cannot run, 127 when it is not found.
use alloc::vec::Vec;

use crate::common::exec::exec_path;
use crate::common::{long, quoted, Cx, Getopt, HasArg, Long, Opt};
use crate::rt;

const USAGE: &str = "\
Usage: env [-i0] [-u NAME]... [-C DIR] [-] [NAME=VALUE]... [COMMAND [ARG]...]

Set each NAME to VALUE in the environment and run COMMAND; without COMMAND, print the
resulting environment.

  -i, --ignore-environment  start with an empty environment (a lone - too)
  -u, --unset=NAME          remove NAME from the environment
  -0, --null                end each printed entry with NUL, not newline
  -C, --chdir=DIR           run COMMAND in DIR
";

const LONGS: &[Long] = &[
    long("chdir", HasArg::Yes, b'C' as u16),
    long("ignore-environment", HasArg::No, b'i' as u16),
    long("null", HasArg::No, b'0' as u16),
    long("unset", HasArg::Yes, b'u' as u16),
];

/// What env's own failures exit with.
const FAIL: i32 = 125;

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let mut g = Getopt::new(&args, "+i0u:C:", LONGS);
    let mut clear = false;
    let mut nul = false;
    let mut dir = None;
    let mut unset: Vec<&[u8]> = Vec::new();
    while let Some(o) = g.next() {
        match o {
            Ok(Opt::Char(b'i')) => clear = true,
            Ok(Opt::Char(b'0')) => nul = true,
            Ok(Opt::Char(b'u')) => unset.push(g.arg_or_empty()),
            Ok(Opt::Char(b'C')) => dir = g.arg(),
            other => return cx.opt_exit(other, USAGE, FAIL),
        }
    }
    let mut ops = g.operands();
    if ops.first() == Some(&&b"-"[..]) {
        clear = true;
        ops.remove(0);
    }
    let mut env = if clear { Vec::new() } else { core::mem::take(&mut cx.env) };
    for name in unset {
        if name.is_empty() || name.contains(&b'=') {
            cx.warnf(format_args!("cannot unset {}: Invalid argument", quoted(name)));
            return FAIL;
        }
        env.retain(|e| name_of(e) != name);
    }
    let assignments = ops.iter().take_while(|a| a.contains(&b'=')).count();
    for a in &ops[..assignments] {
        set(&mut env, a);
    }
    let command = &ops[assignments..];
    let Some(&name) = command.first() else {
        if dir.is_some() {
            return cx.usage_error("must specify command with --chdir (-C)", USAGE, FAIL);
        }
        for e in &env {
            cx.out.put(e);
            cx.out.byte(if nul { 0 } else { b'\n' });
        }
        return 0;
    };
    if nul {
        return cx.usage_error("cannot specify --null (-0) with command", USAGE, FAIL);
    }
    if let Some(d) = dir {
        if let Err(e) = rustix::process::chdir(d) {
            cx.warnf(format_args!("cannot change directory to {}: {}", quoted(d), rt::strerror(e)));
            return FAIL;
        }
    }
    let e = exec_path(name, command, &env);
    cx.warn_path(name, e);
    if e == rustix::io::Errno::NOENT {
        127
    } else {
        126
    }
}

/// The name part of a `NAME=value` entry.
fn name_of(e: &[u8]) -> &[u8] {
    e.split(|&c| c == b'=').next().unwrap_or(e)
}

/// Sets `NAME=value` in `env`: in place of an entry of that name, or at the end.
fn set(env: &mut Vec<Vec<u8>>, entry: &[u8]) {
    let name = name_of(entry);
    match env.iter_mut().find(|e| name_of(e) == name) {
        Some(e) => *e = entry.to_vec(),
        None => env.push(entry.to_vec()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn set_replaces_in_place_or_appends() {
        let mut env = vec![b"A=1".to_vec(), b"AB=2".to_vec()];
        set(&mut env, b"A=3");
        set(&mut env, b"C=");
        set(&mut env, b"=x");
        assert_eq!(env, [&b"A=3"[..], b"AB=2", b"C=", b"=x"]);
        assert_eq!(name_of(b"X=y=z"), b"X");
        assert_eq!(name_of(b"novalue"), b"novalue");
    }
}
