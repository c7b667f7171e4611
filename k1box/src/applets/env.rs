//! env — run a program in a changed environment, or print the environment (POSIX; GNU's
//! -u -0 -C -S and long options).
//!
//! Options end at the first operand, so `env A=1 ls -l` passes `-l` to ls. The command is
//! found through the new environment's PATH. `-S STRING` (for `#!/usr/bin/env -S cmd arg`
//! lines, where the kernel passes everything as one argument) splits STRING into arguments
//! as GNU does: blanks separate, '...' and "..." quote, `\_` `\t` `\n` and friends escape,
//! `${NAME}` expands, `#` starts a comment. Exit statuses are GNU's: 125 for env's own
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
  -S, --split-string=S      split S into arguments (for #! lines)
";

const LONGS: &[Long] = &[
    long("chdir", HasArg::Yes, b'C' as u16),
    long("ignore-environment", HasArg::No, b'i' as u16),
    long("null", HasArg::No, b'0' as u16),
    long("split-string", HasArg::Yes, b'S' as u16),
    long("unset", HasArg::Yes, b'u' as u16),
];

/// What env's own failures exit with.
const FAIL: i32 = 125;

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let args = match expand_split_strings(args, &cx.env) {
        Ok(a) => a,
        Err(m) => {
            cx.warn(&m);
            return FAIL;
        }
    };
    let mut g = Getopt::new(&args, "+i0u:C:S:", LONGS);
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
            Ok(Opt::Char(b'S')) => {}
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

/// Replaces each `-S STRING` among the leading options by the words of STRING, so that
/// option parsing goes on through them as GNU's does.
fn expand_split_strings(mut args: Vec<Vec<u8>>, env: &[Vec<u8>]) -> Result<Vec<Vec<u8>>, Vec<u8>> {
    let mut i = 0;
    while let Some(a) = args.get(i) {
        let whole = a == b"-S" || a == b"--split-string";
        let (string, used) = if whole && i + 1 < args.len() {
            (&args[i + 1][..], 2)
        } else if a.len() > 2 && a.starts_with(b"-S") {
            (&a[2..], 1)
        } else if a.starts_with(b"--split-string=") {
            (&a[15..], 1)
        } else if a.len() > 1 && a[0] == b'-' && a != b"--" && !whole {
            i += if matches!(a.as_slice(), b"-u" | b"-C" | b"--unset" | b"--chdir") { 2 } else { 1 };
            continue;
        } else {
            break;
        };
        let words = split_string(string, env)?;
        let ended = ends_options(&words);
        let n = words.len();
        let tail = args.split_off(i + used);
        args.truncate(i);
        args.extend(words);
        args.extend(tail);
        i += n;
        if ended {
            break;
        }
    }
    Ok(args)
}

/// True when `words` hold an operand (the first operand ends env's options).
fn ends_options(words: &[Vec<u8>]) -> bool {
    let mut skip = false;
    for w in words {
        if core::mem::take(&mut skip) {
            continue;
        }
        if w == b"--" || w.len() < 2 || w[0] != b'-' {
            return true;
        }
        skip = matches!(w.as_slice(), b"-u" | b"-C" | b"--unset" | b"--chdir");
    }
    false
}

/// The words of a -S string, or GNU's message for a malformed one.
fn split_string(s: &[u8], env: &[Vec<u8>]) -> Result<Vec<Vec<u8>>, Vec<u8>> {
    let mut words = Vec::new();
    let mut w = Vec::new();
    let mut in_word = false;
    let mut quote = 0u8;
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        i += 1;
        if quote == b'\'' {
            // Single quotes keep everything but \\ and \'.
            match c {
                b'\'' => quote = 0,
                b'\\' if matches!(s.get(i), Some(b'\\' | b'\'')) => {
                    w.push(s[i]);
                    i += 1;
                }
                _ => w.push(c),
            }
            continue;
        }
        let blank = quote == 0 && matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 11 | 12);
        if blank || (quote == 0 && c == b'\\' && s.get(i) == Some(&b'_')) {
            i += !blank as usize;
            if core::mem::take(&mut in_word) {
                words.push(core::mem::take(&mut w));
            }
            continue;
        }
        if quote == 0 && (c == b'#' && !in_word || c == b'\\' && s.get(i) == Some(&b'c')) {
            break;
        }
        in_word = true;
        match c {
            b'\'' | b'"' if quote == 0 => quote = c,
            b'"' => quote = 0,
            b'\\' => {
                let Some(&e) = s.get(i) else {
                    return Err(b"invalid backslash at end of string in -S".to_vec());
                };
                i += 1;
                w.push(match e {
                    b'c' => return Err(b"'\\c' must not appear in double-quoted -S string".to_vec()),
                    b'_' => b' ',
                    b'n' => b'\n',
                    b't' => b'\t',
                    b'r' => b'\r',
                    b'f' => 12,
                    b'v' => 11,
                    b'\\' | b'\'' | b'"' | b'#' | b'$' | b' ' => e,
                    _ => return Err([&b"invalid sequence '\\"[..], &[e], b"' in -S"].concat()),
                });
            }
            b'$' => {
                let name =
                    s[i..].strip_prefix(b"{").and_then(|r| Some(&r[..r.iter().position(|&c| c == b'}')?]));
                let Some(name) = name.filter(|n| !n.is_empty()) else {
                    return Err(
                        [&b"only ${VARNAME} expansion is supported, error at: "[..], &s[i - 1..]].concat()
                    );
                };
                i += name.len() + 2;
                w.extend_from_slice(crate::common::text::env_get(env, name).unwrap_or(b""));
            }
            _ => w.push(c),
        }
    }
    if quote != 0 {
        return Err(b"no terminating quote in -S string".to_vec());
    }
    if in_word {
        words.push(w);
    }
    Ok(words)
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
    use alloc::string::String;
    use alloc::vec;

    fn split(s: &str) -> Result<Vec<String>, String> {
        let env = vec![b"HOME=/root".to_vec(), b"E=".to_vec()];
        split_string(s.as_bytes(), &env)
            .map(|w| w.into_iter().map(|w| String::from_utf8(w).unwrap()).collect())
            .map_err(|m| String::from_utf8(m).unwrap())
    }

    #[test]
    fn split_string_words_quotes_escapes_and_variables() {
        assert_eq!(
            split("printf %s|%s|%s\\n a\\_b \"c d\" ${HOME}").unwrap(),
            ["printf", "%s|%s|%s\n", "a", "b", "c d", "/root"]
        );
        assert_eq!(
            split(" 'a\\'b' 'c\\\\d' 'e\\nf' \"x\\_y\" '' ${E}x").unwrap(),
            ["a'b", "c\\d", "e\\nf", "x y", "", "x"]
        );
        assert_eq!(split("a #b c").unwrap(), ["a"]);
        assert_eq!(split("a#b \\#c").unwrap(), ["a#b", "#c"]);
        assert_eq!(split("a \\c b").unwrap(), ["a"]);
        assert_eq!(split("").unwrap(), Vec::<String>::new());
        assert_eq!(split("'a").unwrap_err(), "no terminating quote in -S string");
        assert_eq!(split("a $HOME").unwrap_err(), "only ${VARNAME} expansion is supported, error at: $HOME");
        assert_eq!(split("\\q").unwrap_err(), "invalid sequence '\\q' in -S");
        assert_eq!(split("a\\").unwrap_err(), "invalid backslash at end of string in -S");
        assert_eq!(split("\"a\\c\"").unwrap_err(), "'\\c' must not appear in double-quoted -S string");
    }

    #[test]
    fn split_strings_are_expanded_among_leading_options_only() {
        let a = |v: &[&str]| v.iter().map(|s| s.as_bytes().to_vec()).collect::<Vec<_>>();
        let got = expand_split_strings(a(&["-i", "-S", "x -u y", "-Sz"]), &[]).unwrap();
        assert_eq!(got, a(&["-i", "x", "-u", "y", "-Sz"]));
        let got = expand_split_strings(a(&["-S", "-i -u y", "-Sz w"]), &[]).unwrap();
        assert_eq!(got, a(&["-i", "-u", "y", "z", "w"]));
        let got = expand_split_strings(a(&["-u", "-Sx", "-S-0 cmd", "arg"]), &[]).unwrap();
        assert_eq!(got, a(&["-u", "-Sx", "-0", "cmd", "arg"]));
    }

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
