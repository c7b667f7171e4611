//! The shell's built-in utilities (POSIX XCU 2.14 special built-ins, and the regular ones a
//! shell must run in-process): `break : continue . eval exec exit export readonly return set
//! shift times trap unset`, and `alias cd command echo false getopts hash history jobs kill local pwd
//! printf read source test [ true type ulimit umask unalias wait`.
use alloc::vec;
use alloc::vec::Vec;
use rustix::process::{Resource, Rlimit};

use super::exec::{Flow, Shell};
use super::lexer::is_name;
use super::vars::OPTION_NAMES;
use crate::common::num::{parse_i64, push_i64, push_u64};
use crate::common::Cx;
use crate::rt;

pub type Run = fn(&mut Shell, &[Vec<u8>]) -> i32;

pub struct Builtin {
    pub name: &'static str,
    pub run: Run,
    pub special: bool,
}

const fn s(name: &'static str, run: Run) -> Builtin {
    Builtin { name, run, special: true }
}
const fn r(name: &'static str, run: Run) -> Builtin {
    Builtin { name, run, special: false }
}

/// The builtins' names (for completion).
pub fn names() -> impl Iterator<Item = &'static [u8]> {
    BUILTINS.iter().map(|b| b.name.as_bytes())
}

/// Sorted by name.
static BUILTINS: &[Builtin] = &[
    s(".", dot),
    s(":", colon),
    r("[", bracket),
    r("alias", alias),
    r("bg", fg),
    s("break", brk),
    r("cd", cd),
    r("command", command),
    s("continue", cont),
    r("echo", echo),
    s("eval", eval),
    s("exec", exec),
    s("exit", exit),
    s("export", export),
    r("false", false_),
    r("fg", fg),
    r("getopts", getopts),
    r("hash", hash),
    r("history", history),
    r("jobs", jobs),
    r("kill", kill),
    r("local", local),
    r("printf", printf),
    r("pwd", pwd),
    r("read", read),
    s("readonly", readonly),
    s("return", ret),
    s("set", set),
    s("shift", shift),
    r("source", dot),
    r("test", test),
    s("times", times),
    s("trap", trap),
    r("true", colon),
    r("type", type_),
    r("ulimit", ulimit),
    r("umask", umask),
    r("unalias", unalias),
    s("unset", unset),
    r("wait", wait),
];

pub fn find(name: &[u8]) -> Option<&'static Builtin> {
    BUILTINS.binary_search_by(|b| super::vars::name_cmp(b.name.as_bytes(), name)).ok().map(|i| &BUILTINS[i])
}

/// Signal names by number (0 is EXIT, for trap).
pub const SIGNALS: &[&str] = &[
    "EXIT", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
    "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ",
    "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
];

/// A signal number from a name (`INT`, `SIGINT`, `int`) or a number.
pub fn signal_number(s: &[u8]) -> Option<usize> {
    if let Some(n) = crate::common::num::parse_u64(s) {
        return (n < 65).then_some(n as usize);
    }
    let up: Vec<u8> = s.iter().map(|c| c.to_ascii_uppercase()).collect();
    let name = up.strip_prefix(b"SIG").unwrap_or(&up);
    SIGNALS.iter().position(|n| n.as_bytes() == name)
}

fn num(n: i64) -> Vec<u8> {
    let mut v = Vec::new();
    push_i64(&mut v, n);
    v
}

/// `'value'` quoted for re-input.
pub fn quote(out: &mut Vec<u8>, v: &[u8]) {
    out.push(b'\'');
    for &c in v {
        if c == b'\'' {
            out.extend_from_slice(b"'\\''");
        } else {
            out.push(c);
        }
    }
    out.push(b'\'');
}

fn colon(_: &mut Shell, _: &[Vec<u8>]) -> i32 {
    0
}

fn false_(_: &mut Shell, _: &[Vec<u8>]) -> i32 {
    1
}

fn loop_count(sh: &mut Shell, a: &[Vec<u8>]) -> Option<u32> {
    match a.get(1) {
        None => Some(1),
        Some(n) => match crate::common::num::parse_u64(n) {
            Some(n) if n > 0 => Some(n.min(u32::MAX as u64) as u32),
            _ => {
                sh.error(&[&a[0], b": ", n, b": bad number"]);
                sh.fatal(2);
                None
            }
        },
    }
}

fn brk(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    let Some(n) = loop_count(sh, a) else { return 1 };
    if sh.loops > 0 {
        sh.flow = Flow::Break(n.min(sh.loops));
    }
    0
}

fn cont(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    let Some(n) = loop_count(sh, a) else { return 1 };
    if sh.loops > 0 {
        sh.flow = Flow::Continue(n.min(sh.loops));
    }
    0
}

fn ret(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    let st = match a.get(1) {
        None => sh.status,
        Some(n) => match parse_i64(n) {
            Some(v) => (v & 0xff) as i32,
            None => {
                sh.error(&[b"return: ", n, b": bad number"]);
                2
            }
        },
    };
    sh.flow = Flow::Return;
    st
}

fn exit(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    if sh.stopped_jobs_warning() {
        return 1;
    }
    let st = match a.get(1) {
        None => sh.status,
        Some(n) => match parse_i64(n) {
            Some(v) => (v & 0xff) as i32,
            None => {
                sh.error(&[b"exit: ", n, b": bad number"]);
                2
            }
        },
    };
    sh.flow = Flow::Exit;
    sh.exit_code = Some(st);
    st
}

fn eval(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    let text = a[1..].join(&b' ');
    sh.eval_text(&text)
}

fn exec(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    if a.len() < 2 {
        return 0;
    }
    let mut words = a[1..].to_vec();
    if words[0] == b"--" {
        words.remove(0);
        if words.is_empty() {
            return 0;
        }
    }
    sh.flush_all();
    sh.exec_words(words)
}

fn dot(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    let Some(name) = a.get(1) else {
        sh.error(&[&a[0], b": filename argument required"]);
        return 2;
    };
    let mut path = name.clone();
    if !name.contains(&b'/') {
        let dirs = sh.vars.get(b"PATH").unwrap_or(b"").to_vec();
        for d in dirs.split(|&c| c == b':') {
            let p = crate::common::path::join(if d.is_empty() { b"." } else { d }, name);
            if rustix::fs::stat(&p[..]).is_ok_and(|st| st.st_mode & 0o170000 == 0o100000) {
                path = p;
                break;
            }
        }
    }
    let text = match crate::common::fs::read_file(&path) {
        Ok(t) => t,
        Err(e) => {
            sh.error(&[&a[0], b": ", name, b": ", rt::strerror(e).as_bytes()]);
            sh.fatal(2);
            return 2;
        }
    };
    let saved = if a.len() > 2 { Some(core::mem::replace(&mut sh.params, a[2..].to_vec())) } else { None };
    let line = sh.lineno;
    sh.lineno = 1;
    let st = sh.eval_text(&text);
    sh.lineno = line;
    if sh.flow == Flow::Return {
        sh.flow = Flow::Normal;
    }
    if let Some(p) = saved {
        sh.params = p;
    }
    st
}

fn print_var(sh: &mut Shell, prefix: &[u8], k: &[u8], v: Option<&[u8]>) {
    let mut line = prefix.to_vec();
    line.extend_from_slice(k);
    if let Some(v) = v {
        line.push(b'=');
        quote(&mut line, v);
    }
    line.push(b'\n');
    sh.out.put(&line);
}

fn export_like(sh: &mut Shell, a: &[Vec<u8>], readonly: bool) -> i32 {
    let args: Vec<&Vec<u8>> = a[1..].iter().filter(|x| x.as_slice() != b"-p").collect();
    if args.is_empty() {
        let list: Vec<(Vec<u8>, Option<Vec<u8>>)> = sh
            .vars
            .iter()
            .filter(|(_, v)| if readonly { v.readonly } else { v.export })
            .map(|(k, v)| (k.clone(), v.val.clone()))
            .collect();
        let prefix: &[u8] = if readonly { b"readonly " } else { b"export " };
        for (k, v) in list {
            print_var(sh, prefix, &k, v.as_deref());
        }
        return 0;
    }
    for arg in args {
        let (name, val) = match arg.iter().position(|&c| c == b'=') {
            Some(i) => (&arg[..i], Some(&arg[i + 1..])),
            None => (&arg[..], None),
        };
        if !is_name(name) {
            sh.error(&[&a[0], b": ", name, b": bad variable name"]);
            sh.fatal(2);
            return 2;
        }
        if let Some(v) = val {
            if sh.assign(name, v).is_err() {
                sh.fatal(2);
                return 2;
            }
        }
        if readonly {
            sh.vars.set_readonly(name);
        } else {
            sh.vars.export(name);
        }
    }
    0
}

fn export(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    export_like(sh, a, false)
}

fn readonly(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    export_like(sh, a, true)
}

fn local(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    if !sh.vars.in_function() {
        sh.error(&[b"local: not in a function"]);
        sh.fatal(2);
        return 2;
    }
    let mut st = 0;
    for arg in &a[1..] {
        let (name, val) = match arg.iter().position(|&c| c == b'=') {
            Some(i) => (&arg[..i], Some(&arg[i + 1..])),
            None => (&arg[..], None),
        };
        if name == b"-" {
            continue;
        }
        if !is_name(name) {
            sh.error(&[b"local: ", name, b": bad variable name"]);
            st = 1;
            continue;
        }
        sh.vars.make_local(name);
        if let Some(v) = val {
            if sh.assign(name, v).is_err() {
                st = 1;
            }
        }
    }
    st
}

fn unset(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    let mut funcs = false;
    let mut st = 0;
    for arg in &a[1..] {
        match arg.as_slice() {
            b"-f" => funcs = true,
            b"-v" => funcs = false,
            _ if funcs => {
                sh.funcs.remove(arg);
            }
            _ => {
                if sh.vars.unset(arg).is_err() {
                    sh.error(&[b"unset: ", arg, b": is read only"]);
                    sh.fatal(2);
                    st = 2;
                }
                if arg == b"PATH" {
                    sh.hash.clear();
                }
            }
        }
    }
    st
}

fn shift(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    let n = match a.get(1) {
        None => 1,
        Some(n) => match crate::common::num::parse_u64(n) {
            Some(n) => n as usize,
            None => {
                sh.error(&[b"shift: ", n, b": bad number"]);
                sh.fatal(2);
                return 2;
            }
        },
    };
    if n > sh.params.len() {
        sh.error(&[b"shift: can't shift that many"]);
        sh.fatal(2);
        return 2;
    }
    sh.params.drain(..n);
    0
}

fn set(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    let st = set_options(sh, a);
    sh.sync_job_control();
    st
}

fn set_options(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    if a.len() == 1 {
        let list: Vec<(Vec<u8>, Vec<u8>)> =
            sh.vars.iter().filter_map(|(k, v)| Some((k.clone(), v.val.clone()?))).collect();
        for (k, v) in list {
            print_var(sh, b"", &k, Some(&v));
        }
        return 0;
    }
    let mut i = 1;
    while i < a.len() {
        let arg = &a[i];
        if arg == b"--" {
            sh.params = a[i + 1..].to_vec();
            return 0;
        }
        if arg == b"-" {
            sh.opts.xtrace = false;
            sh.opts.verbose = false;
            if i + 1 < a.len() {
                sh.params = a[i + 1..].to_vec();
            }
            return 0;
        }
        let on = arg.first() == Some(&b'-');
        if !(on || arg.first() == Some(&b'+')) || arg.len() < 2 {
            sh.params = a[i..].to_vec();
            return 0;
        }
        for &c in &arg[1..] {
            if c == b'o' {
                i += 1;
                let Some(name) = a.get(i) else {
                    list_options(sh, on);
                    return 0;
                };
                match core::str::from_utf8(name).ok().and_then(|n| sh.opts.flag(n)) {
                    Some(f) => *f = on,
                    None => {
                        sh.error(&[b"set: ", name, b": bad option name"]);
                        sh.fatal(2);
                        return 2;
                    }
                }
                continue;
            }
            match sh.opts.letter(c) {
                Some(f) if c != b'i' && c != b's' => *f = on,
                _ => {
                    sh.error(&[b"set: -", &[c], b": invalid option"]);
                    sh.fatal(2);
                    return 2;
                }
            }
        }
        sh.vars.allexport = sh.opts.allexport;
        i += 1;
    }
    0
}

fn list_options(sh: &mut Shell, human: bool) {
    for (_, name) in OPTION_NAMES {
        let on = sh.opts.flag(name).is_some_and(|f| *f);
        if human {
            sh.out.str(name);
            for _ in name.len()..16 {
                sh.out.byte(b' ');
            }
            sh.out.str(if on { "on\n" } else { "off\n" });
        } else {
            sh.out.str(if on { "set -o " } else { "set +o " });
            sh.out.str(name);
            sh.out.byte(b'\n');
        }
    }
}

fn times(sh: &mut Shell, _: &[Vec<u8>]) -> i32 {
    let stat = crate::common::fs::read_file(b"/proc/self/stat").unwrap_or_default();
    let after = stat.iter().rposition(|&c| c == b')').map_or(&stat[..], |i| &stat[i + 1..]);
    let f: Vec<u64> = after
        .split(|&c| c == b' ')
        .filter(|x| !x.is_empty())
        .skip(11)
        .take(4)
        .map(|x| crate::common::num::parse_u64(x).unwrap_or(0))
        .collect();
    let mut line = Vec::new();
    for (i, t) in f.iter().enumerate() {
        push_u64(&mut line, t / 6000);
        line.push(b'm');
        push_u64(&mut line, (t / 100) % 60);
        line.push(b'.');
        let cs = t % 100;
        line.push(b'0' + (cs / 10) as u8);
        line.push(b'0' + (cs % 10) as u8);
        line.push(b's');
        line.push(if i % 2 == 0 { b' ' } else { b'\n' });
    }
    sh.out.put(&line);
    0
}

fn trap(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    let mut args = &a[1..];
    if args.first().is_some_and(|x| x == b"--") {
        args = &args[1..];
    }
    if args.is_empty() || args[0] == b"-p" {
        for (i, t) in sh.traps.clone().iter().enumerate() {
            if let Some(t) = t {
                let mut line = b"trap -- ".to_vec();
                quote(&mut line, t);
                line.push(b' ');
                line.extend_from_slice(SIGNALS.get(i).map_or(&b"?"[..], |s| s.as_bytes()));
                line.push(b'\n');
                sh.out.put(&line);
            }
        }
        return 0;
    }
    // A first operand that is a signal number means "reset these".
    let (action, sigs) =
        if signal_number(&args[0]).is_some() && crate::common::num::parse_u64(&args[0]).is_some() {
            (None, args)
        } else {
            let act = if args[0] == b"-" { None } else { Some(args[0].clone()) };
            (act, &args[1..])
        };
    let mut st = 0;
    for s in sigs {
        match signal_number(s) {
            Some(n) if n != 9 && n != 19 => sh.set_trap(n, action.clone()),
            _ => {
                sh.error(&[b"trap: ", s, b": bad trap"]);
                sh.fatal(2);
                st = 2;
            }
        }
    }
    st
}

fn alias(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    let map = sh.aliases.clone();
    let mut st = 0;
    if a.len() == 1 {
        for (k, v) in map.borrow().iter() {
            let mut line = k.clone();
            line.push(b'=');
            quote(&mut line, v);
            line.push(b'\n');
            sh.out.put(&line);
        }
        return 0;
    }
    for arg in &a[1..] {
        match arg.iter().position(|&c| c == b'=') {
            Some(i) => {
                map.borrow_mut().insert(arg[..i].to_vec(), arg[i + 1..].to_vec());
            }
            None => match map.borrow().get(arg) {
                Some(v) => {
                    let mut line = arg.clone();
                    line.push(b'=');
                    quote(&mut line, v);
                    line.push(b'\n');
                    sh.out.put(&line);
                }
                None => {
                    sh.error(&[b"alias: ", arg, b": not found"]);
                    st = 1;
                }
            },
        }
    }
    st
}

fn unalias(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    let map = sh.aliases.clone();
    let mut st = 0;
    for arg in &a[1..] {
        if arg == b"-a" {
            map.borrow_mut().clear();
        } else if map.borrow_mut().remove(arg).is_none() {
            sh.error(&[b"unalias: ", arg, b": not found"]);
            st = 1;
        }
    }
    st
}

/// `.` and `..` removed from an absolute path, lexically.
fn canonical(p: &[u8]) -> Vec<u8> {
    let mut parts: Vec<&[u8]> = Vec::new();
    for c in p.split(|&c| c == b'/') {
        match c {
            b"" | b"." => {}
            b".." => {
                parts.pop();
            }
            _ => parts.push(c),
        }
    }
    let mut out = Vec::new();
    for c in parts {
        out.push(b'/');
        out.extend_from_slice(c);
    }
    if out.is_empty() {
        out.push(b'/');
    }
    out
}

fn cd(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    let mut physical = false;
    let mut i = 1;
    while let Some(o) = a.get(i) {
        match o.as_slice() {
            b"-P" => physical = true,
            b"-L" => physical = false,
            b"--" => {
                i += 1;
                break;
            }
            _ => break,
        }
        i += 1;
    }
    let mut print = false;
    let dir = match a.get(i) {
        None => match sh.vars.get(b"HOME") {
            Some(h) => h.to_vec(),
            None => {
                sh.error(&[b"cd: HOME not set"]);
                return 1;
            }
        },
        Some(d) if d == b"-" => match sh.vars.get(b"OLDPWD") {
            Some(o) => {
                print = true;
                o.to_vec()
            }
            None => {
                sh.error(&[b"cd: OLDPWD not set"]);
                return 1;
            }
        },
        Some(d) => d.clone(),
    };
    let pwd = sh.vars.get(b"PWD").unwrap_or(b"").to_vec();
    let mut candidates = Vec::new();
    let relative = !dir.starts_with(b"/")
        && !dir.starts_with(b"./")
        && !dir.starts_with(b"../")
        && dir != b"."
        && dir != b"..";
    if relative {
        if let Some(cdpath) = sh.vars.get(b"CDPATH") {
            for p in cdpath.split(|&c| c == b':') {
                if !p.is_empty() {
                    candidates.push((crate::common::path::join(p, &dir), true));
                }
            }
        }
    }
    candidates.push((dir.clone(), false));
    let mut last_err = rustix::io::Errno::NOENT;
    for (c, from_cdpath) in candidates {
        let logical =
            if c.starts_with(b"/") { canonical(&c) } else { canonical(&crate::common::path::join(&pwd, &c)) };
        let target: &[u8] = if physical || pwd.is_empty() { &c } else { &logical };
        match rustix::process::chdir(target) {
            Ok(()) => {
                let new = if physical || pwd.is_empty() {
                    rustix::process::getcwd(Vec::new()).map(|c| c.into_bytes()).unwrap_or(logical)
                } else {
                    logical
                };
                let _ = sh.vars.set(b"OLDPWD", &pwd);
                let _ = sh.vars.set(b"PWD", &new);
                if print || from_cdpath {
                    sh.out.put(&new);
                    sh.out.byte(b'\n');
                }
                return 0;
            }
            Err(e) => last_err = e,
        }
    }
    sh.error(&[b"cd: ", &dir, b": ", rt::strerror(last_err).as_bytes()]);
    1
}

fn pwd(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    let physical = a.iter().skip(1).any(|x| x == b"-P");
    let pwd = sh.vars.get(b"PWD").map(|p| p.to_vec());
    let valid = |p: &[u8]| match (rustix::fs::stat(p), rustix::fs::stat(".")) {
        (Ok(a), Ok(b)) => a.st_ino == b.st_ino && a.st_dev == b.st_dev,
        _ => false,
    };
    let dir = match pwd {
        Some(p) if !physical && p.starts_with(b"/") && valid(&p) => p,
        _ => match rustix::process::getcwd(Vec::new()) {
            Ok(c) => c.into_bytes(),
            Err(e) => {
                sh.error(&[b"pwd: ", rt::strerror(e).as_bytes()]);
                return 1;
            }
        },
    };
    sh.out.put(&dir);
    sh.out.byte(b'\n');
    0
}

const KEYWORDS: &[&str] = &[
    "!", "[[", "]]", "case", "do", "done", "elif", "else", "esac", "fi", "for", "function", "if", "in",
    "then", "until", "while", "{", "}",
];

/// What a name is, as `type` and `command -v/-V` report it.
fn describe(sh: &mut Shell, name: &[u8], verbose: bool) -> bool {
    let alias = sh.aliases.borrow().get(name).cloned();
    let mut line = Vec::new();
    if let Some(v) = alias {
        if verbose {
            line.extend_from_slice(name);
            line.extend_from_slice(b" is an alias for ");
            line.extend_from_slice(&v);
        } else {
            line.extend_from_slice(b"alias ");
            line.extend_from_slice(name);
            line.push(b'=');
            quote(&mut line, &v);
        }
    } else if KEYWORDS.iter().any(|k| k.as_bytes() == name) {
        line.extend_from_slice(name);
        if verbose {
            line.extend_from_slice(b" is a shell keyword");
        }
    } else if sh.funcs.contains_key(name) {
        line.extend_from_slice(name);
        if verbose {
            line.extend_from_slice(b" is a shell function");
        }
    } else if let Some(b) = find(name) {
        line.extend_from_slice(name);
        if verbose {
            line.extend_from_slice(if b.special {
                b" is a special shell builtin"
            } else {
                b" is a shell builtin"
            });
        }
    } else if let Some(p) = sh.find_command(name) {
        if verbose {
            line.extend_from_slice(name);
            line.extend_from_slice(b" is ");
        }
        line.extend_from_slice(&p);
    } else if !name.contains(&b'/') && crate::find(name).is_some() {
        line.extend_from_slice(name);
        if verbose {
            line.extend_from_slice(b" is a k1box applet");
        }
    } else {
        if verbose {
            line.extend_from_slice(name);
            line.extend_from_slice(b": not found\n");
            sh.out.put(&line);
        }
        return false;
    }
    line.push(b'\n');
    sh.out.put(&line);
    true
}

fn type_(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    let mut st = 0;
    for n in &a[1..] {
        if !describe(sh, n, true) {
            st = 1;
        }
    }
    st
}

fn command(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    let mut i = 1;
    let mut mode = 0u8;
    while let Some(o) = a.get(i) {
        match o.as_slice() {
            b"-p" => {}
            b"-v" => mode = b'v',
            b"-V" => mode = b'V',
            b"--" => {
                i += 1;
                break;
            }
            _ => break,
        }
        i += 1;
    }
    let words = &a[i..];
    if words.is_empty() {
        return 0;
    }
    if mode != 0 {
        let mut st = 0;
        for n in words {
            if !describe(sh, n, mode == b'V') {
                st = 1;
            }
        }
        return st;
    }
    if let Some(b) = find(&words[0]) {
        return (b.run)(sh, words);
    }
    sh.run_external(words.to_vec());
    sh.status
}

fn getopts(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    if a.len() < 3 {
        sh.error(&[b"getopts: usage: getopts optstring name [arg ...]"]);
        return 2;
    }
    let spec = a[1].clone();
    let var = a[2].clone();
    let args: Vec<Vec<u8>> = if a.len() > 3 { a[3..].to_vec() } else { sh.params.clone() };
    let silent = spec.first() == Some(&b':');
    let mut optind = sh.vars.get(b"OPTIND").and_then(parse_i64).unwrap_or(1).max(1) as usize;
    if sh.optpos == 0 || sh.optpos_ind != optind {
        sh.optpos = 0;
    }
    let done = |sh: &mut Shell, optind: usize| {
        let _ = sh.assign(&var, b"?");
        let _ = sh.vars.set(b"OPTIND", &num(optind as i64));
        sh.optpos = 0;
        1
    };
    if sh.optpos == 0 {
        let Some(arg) = args.get(optind - 1) else { return done(sh, optind) };
        if arg.len() < 2 || arg[0] != b'-' {
            return done(sh, optind);
        }
        if arg == b"--" {
            return done(sh, optind + 1);
        }
        sh.optpos = 1;
    }
    let arg = args.get(optind - 1).cloned().unwrap_or_default();
    let c = arg.get(sh.optpos).copied().unwrap_or(b'?');
    sh.optpos += 1;
    let next = |sh: &mut Shell, optind: &mut usize| {
        if sh.optpos >= arg.len() {
            *optind += 1;
            sh.optpos = 0;
        }
    };
    let pos = spec.iter().position(|&x| x == c && c != b':');
    let mut val: Vec<u8> = vec![c];
    match pos {
        None => {
            if silent {
                let _ = sh.vars.set(b"OPTARG", &[c]);
            } else {
                let _ = sh.vars.unset(b"OPTARG");
                sh.error(&[b"illegal option -- ", &[c]]);
            }
            val = b"?".to_vec();
            next(sh, &mut optind);
        }
        Some(p) if spec.get(p + 1) == Some(&b':') => {
            if sh.optpos < arg.len() {
                let _ = sh.vars.set(b"OPTARG", &arg[sh.optpos..]);
                optind += 1;
                sh.optpos = 0;
            } else if let Some(v) = args.get(optind) {
                let _ = sh.vars.set(b"OPTARG", v);
                optind += 2;
                sh.optpos = 0;
            } else {
                if silent {
                    let _ = sh.vars.set(b"OPTARG", &[c]);
                    val = b":".to_vec();
                } else {
                    let _ = sh.vars.unset(b"OPTARG");
                    sh.error(&[b"option requires an argument -- ", &[c]]);
                    val = b"?".to_vec();
                }
                optind += 1;
                sh.optpos = 0;
            }
        }
        Some(_) => {
            let _ = sh.vars.unset(b"OPTARG");
            next(sh, &mut optind);
        }
    }
    let _ = sh.assign(&var, &val);
    let _ = sh.vars.set(b"OPTIND", &num(optind as i64));
    sh.optpos_ind = optind;
    0
}

fn hash(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    if a.len() == 1 {
        let list: Vec<Vec<u8>> = sh.hash.values().cloned().collect();
        for p in list {
            sh.out.put(&p);
            sh.out.byte(b'\n');
        }
        return 0;
    }
    let mut st = 0;
    for n in &a[1..] {
        if n == b"-r" {
            sh.hash.clear();
        } else if sh.find_command(n).is_none() && find(n).is_none() {
            sh.error(&[b"hash: ", n, b": not found"]);
            st = 1;
        }
    }
    st
}

/// `history [-c] [N]`: the interactive shell's history, the last N entries.
fn history(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    let Some(t) = sh.tty.clone() else { return 0 };
    let Ok(mut t) = t.try_borrow_mut() else { return 1 };
    let last = match a.get(1).map(|w| w.as_slice()) {
        None => None,
        Some(b"-c") => {
            t.editor.history_mut().clear();
            return 0;
        }
        Some(n) => match crate::common::num::parse_u64(n) {
            Some(n) => Some(n as usize),
            None => {
                drop(t);
                sh.error(&[b"history: ", n, b": numeric argument required"]);
                return 2;
            }
        },
    };
    let mut out = Vec::new();
    t.editor.history().list(last, &mut out);
    drop(t);
    sh.out.put(&out);
    0
}

/// The process a job spec or process ID names; a job's process group (negative) for
/// `kill` when `group` and the job has one.
fn job_pid(sh: &Shell, spec: &[u8], group: bool) -> Option<i32> {
    match sh.find_job(spec) {
        Some(i) if group && sh.jobs[i].pgid > 0 && spec.starts_with(b"%") => Some(-sh.jobs[i].pgid),
        Some(i) => Some(sh.jobs[i].pid),
        None if spec.starts_with(b"%") => None,
        None => parse_i64(spec).map(|p| p as i32),
    }
}

/// `jobs [-l|-p] [%job...]`: each job's number, state and command (`-l` with its process
/// ID, `-p` the process ID alone).
fn jobs(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    sh.reap_jobs();
    let (mut long, mut pids, mut k) = (false, false, 1);
    while let Some(o) = a.get(k).filter(|o| o.len() > 1 && o[0] == b'-') {
        if o == b"--" {
            k += 1;
            break;
        }
        for &c in &o[1..] {
            match c {
                b'l' => long = true,
                b'p' => pids = true,
                _ => {
                    sh.error(&[b"jobs: -", &[c], b": invalid option"]);
                    return 2;
                }
            }
        }
        k += 1;
    }
    let mut which = Vec::new();
    let mut st = 0;
    for spec in &a[k..] {
        match sh.find_job(spec) {
            Some(i) => which.push(i),
            None => {
                sh.error(&[b"jobs: ", spec, b": no such job"]);
                st = 1;
            }
        }
    }
    if k == a.len() {
        which = (0..sh.jobs.len()).collect();
    }
    for i in which {
        if pids {
            let mut t = Vec::new();
            push_u64(&mut t, sh.jobs[i].pid as u64);
            t.push(b'\n');
            sh.out.put(&t);
        } else {
            let state = sh.job_state(i);
            sh.job_line_pid(i, &state, false, long);
        }
    }
    if sh.jc {
        sh.jobs.retain(|j| j.status.is_none());
    }
    st
}

/// `fg [%n]`, `bg [%n]`.
fn fg(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    let spec = a.get(1).cloned().unwrap_or_else(|| b"%%".to_vec());
    let Some(i) = sh.find_job(&spec) else {
        sh.error(&[&a[0], b": ", &spec, b": no such job"]);
        return 1;
    };
    if !sh.jc && a[0] == b"bg" {
        return 0;
    }
    if !sh.jc {
        let pid = sh.jobs[i].pid;
        return wait_one(sh, pid);
    }
    sh.continue_job(i, a[0] == b"fg")
}

fn wait_one(sh: &mut Shell, pid: i32) -> i32 {
    if let Some(i) = sh.jobs.iter().position(|j| j.pid == pid) {
        let st = match sh.jobs[i].status {
            Some(s) => s,
            None => match rustix::process::Pid::from_raw(pid) {
                Some(p) => sh.wait_pid(p),
                None => 127,
            },
        };
        sh.jobs.remove(i);
        return st;
    }
    127
}

fn wait(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    if a.len() == 1 {
        while let Some(j) = sh.jobs.first() {
            let pid = j.pid;
            if j.status.is_none() {
                if let Some(st) = sh.wait_interruptible(pid) {
                    return st;
                }
            }
            sh.jobs.retain(|j| j.pid != pid);
        }
        return 0;
    }
    let mut st = 0;
    for spec in &a[1..] {
        st = match job_pid(sh, spec, false) {
            Some(pid) => wait_one(sh, pid),
            None => 127,
        };
    }
    st
}

fn kill(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    let mut sig = 15usize;
    let mut i = 1;
    match a.get(1).map(|x| x.as_slice()) {
        Some(b"-l") | Some(b"-L") => {
            if let Some(n) = a.get(2).and_then(|x| crate::common::num::parse_u64(x)) {
                let n = if n > 128 { n - 128 } else { n } as usize;
                if let Some(name) = SIGNALS.get(n).filter(|_| n > 0) {
                    sh.out.str(name);
                    sh.out.byte(b'\n');
                    return 0;
                }
                return 1;
            }
            for name in &SIGNALS[1..] {
                sh.out.str(name);
                sh.out.byte(b'\n');
            }
            return 0;
        }
        Some(b"-s") | Some(b"-n") => {
            let Some(n) = a.get(2).and_then(|x| signal_number(x)) else {
                sh.error(&[b"kill: bad signal"]);
                return 2;
            };
            sig = n;
            i = 3;
        }
        Some(o) if o.len() > 1 && o[0] == b'-' && o != b"--" => {
            let Some(n) = signal_number(&o[1..]) else {
                sh.error(&[b"kill: ", o, b": bad signal"]);
                return 2;
            };
            sig = n;
            i = 2;
        }
        Some(b"--") => i = 2,
        _ => {}
    }
    if i >= a.len() {
        sh.error(&[b"kill: usage: kill [-s sigspec | -signum] pid | jobspec ..."]);
        return 2;
    }
    let mut st = 0;
    for spec in &a[i..] {
        let Some(pid) = job_pid(sh, spec, true) else {
            sh.error(&[b"kill: ", spec, b": arguments must be process or job IDs"]);
            st = 1;
            continue;
        };
        let r = if sig == 0 {
            match rustix::process::Pid::from_raw(pid.abs()) {
                Some(p) => rustix::process::test_kill_process(p),
                None => Err(rustix::io::Errno::SRCH),
            }
        } else {
            match (
                rustix::process::Signal::from_named_raw(sig as i32),
                rustix::process::Pid::from_raw(pid.abs()),
            ) {
                (Some(s), Some(p)) if pid > 0 => rustix::process::kill_process(p, s),
                (Some(s), Some(p)) => rustix::process::kill_process_group(p, s),
                _ => Err(rustix::io::Errno::INVAL),
            }
        };
        if let Err(e) = r {
            sh.error(&[b"kill: ", spec, b": ", rt::strerror(e).as_bytes()]);
            st = 1;
        } else if sig != 0 && sig != 18 {
            // A stopped job gets the signal only when it runs again.
            if let Some(i) = sh.find_job(spec).filter(|&i| sh.jobs[i].stopped && sh.jobs[i].pgid > 0) {
                if let Some(p) = rustix::process::Pid::from_raw(sh.jobs[i].pgid) {
                    let _ = rustix::process::kill_process_group(p, rustix::process::Signal::CONT);
                }
                sh.jobs[i].stopped = false;
            }
        }
    }
    st
}

/// Reads one byte from `fd`; regular files are read in blocks and the offset set back after
/// the line, so that commands after `read` see the rest.
struct ByteReader {
    fd: i32,
    buf: Vec<u8>,
    pos: usize,
    seekable: bool,
}

impl ByteReader {
    fn new(fd: i32) -> ByteReader {
        let seekable = rustix::fs::fstat(rt::fd(fd)).is_ok_and(|st| st.st_mode & 0o170000 == 0o100000);
        ByteReader { fd, buf: Vec::new(), pos: 0, seekable }
    }

    fn next(&mut self) -> Option<u8> {
        if self.pos >= self.buf.len() {
            let n = if self.seekable { 4096 } else { 1 };
            self.buf.resize(n, 0);
            self.pos = 0;
            loop {
                match rustix::io::read(rt::fd(self.fd), &mut self.buf[..]) {
                    Ok(0) => {
                        self.buf.clear();
                        return None;
                    }
                    Ok(k) => {
                        self.buf.truncate(k);
                        break;
                    }
                    Err(rustix::io::Errno::INTR) => continue,
                    Err(_) => {
                        self.buf.clear();
                        return None;
                    }
                }
            }
        }
        let c = self.buf[self.pos];
        self.pos += 1;
        Some(c)
    }

    fn finish(self) {
        let unread = self.buf.len() - self.pos.min(self.buf.len());
        if self.seekable && unread > 0 {
            let _ = rustix::fs::seek(rt::fd(self.fd), rustix::fs::SeekFrom::Current(-(unread as i64)));
        }
    }
}

fn read(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    let mut raw = false;
    let mut delim = b'\n';
    let mut max: Option<usize> = None;
    let mut fd = 0;
    let mut i = 1;
    while let Some(o) = a.get(i) {
        if o.len() < 2 || o[0] != b'-' {
            break;
        }
        if o == b"--" {
            i += 1;
            break;
        }
        let mut k = 1;
        while k < o.len() {
            let c = o[k];
            k += 1;
            let needs = matches!(c, b'p' | b'd' | b'n' | b'u' | b't');
            let val = if needs {
                if k < o.len() {
                    let v = o[k..].to_vec();
                    k = o.len();
                    v
                } else {
                    i += 1;
                    match a.get(i) {
                        Some(v) => v.clone(),
                        None => {
                            sh.error(&[b"read: -", &[c], b": option requires an argument"]);
                            return 2;
                        }
                    }
                }
            } else {
                Vec::new()
            };
            match c {
                b'r' => raw = true,
                b's' => {}
                b'p' => {
                    if rustix::termios::isatty(rt::stdin()) {
                        let _ = crate::common::out::write_all(2, &val);
                    }
                }
                b'd' => delim = val.first().copied().unwrap_or(0),
                b'n' => max = crate::common::num::parse_u64(&val).map(|n| n as usize),
                b'u' => fd = crate::common::num::parse_u64(&val).unwrap_or(0) as i32,
                b't' => {}
                _ => {
                    sh.error(&[b"read: -", &[c], b": invalid option"]);
                    return 2;
                }
            }
        }
        i += 1;
    }
    let names: Vec<Vec<u8>> = if i < a.len() { a[i..].to_vec() } else { vec![b"REPLY".to_vec()] };
    for n in &names {
        if !is_name(n) {
            sh.error(&[b"read: ", n, b": bad variable name"]);
            return 2;
        }
    }
    sh.flush_all();
    let mut line = Vec::new();
    let mut esc = Vec::new();
    let mut r = ByteReader::new(fd);
    let mut eof = false;
    loop {
        if max.is_some_and(|m| line.len() >= m) {
            break;
        }
        let Some(c) = r.next() else {
            eof = true;
            break;
        };
        if c == delim {
            break;
        }
        if c == b'\\' && !raw {
            match r.next() {
                None => {
                    eof = true;
                    break;
                }
                Some(b'\n') => continue,
                Some(n) => {
                    line.push(n);
                    esc.push(true);
                    continue;
                }
            }
        }
        line.push(c);
        esc.push(false);
    }
    r.finish();
    let ifs = sh.vars.get(b"IFS").unwrap_or(b" \t\n").to_vec();
    let is_ifs = |k: usize| !esc[k] && ifs.contains(&line[k]);
    let is_ws = |k: usize| is_ifs(k) && matches!(line[k], b' ' | b'\t' | b'\n');
    let mut k = 0;
    let n = line.len();
    let mut st = if eof { 1 } else { 0 };
    for (vi, name) in names.iter().enumerate() {
        while k < n && is_ws(k) {
            k += 1;
        }
        let start = k;
        let val: Vec<u8> = if vi + 1 == names.len() {
            let mut end = n;
            while end > start && is_ws(end - 1) {
                end -= 1;
            }
            k = n;
            line[start..end].to_vec()
        } else {
            while k < n && !is_ifs(k) {
                k += 1;
            }
            let v = line[start..k].to_vec();
            while k < n && is_ws(k) {
                k += 1;
            }
            if k < n && is_ifs(k) {
                k += 1;
            }
            v
        };
        if sh.assign(name, &val).is_err() {
            st = 2;
        }
    }
    st
}

fn umask(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    let old = rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o022));
    let _ = rustix::process::umask(old);
    let old = old.as_raw_mode() & 0o777;
    let symbolic = a.get(1).is_some_and(|x| x == b"-S");
    let arg = a.iter().skip(1).find(|x| x.as_slice() != b"-S");
    let Some(arg) = arg else {
        if symbolic {
            let mut line = Vec::new();
            for (i, who) in [b'u', b'g', b'o'].iter().enumerate() {
                if i > 0 {
                    line.push(b',');
                }
                line.push(*who);
                line.push(b'=');
                let bits = !(old >> (6 - 3 * i)) & 7;
                for (bit, ch) in [(4, b'r'), (2, b'w'), (1, b'x')] {
                    if bits & bit != 0 {
                        line.push(ch);
                    }
                }
            }
            line.push(b'\n');
            sh.out.put(&line);
        } else {
            let line = [
                b'0',
                b'0' + ((old >> 6) & 7) as u8,
                b'0' + ((old >> 3) & 7) as u8,
                b'0' + (old & 7) as u8,
                b'\n',
            ];
            sh.out.put(&line);
        }
        return 0;
    };
    let new = if arg.iter().all(|c| (b'0'..=b'7').contains(c)) {
        arg.iter().fold(0u32, |m, &c| (m << 3 | (c - b'0') as u32) & 0o7777)
    } else {
        // Symbolic: [ugoa]*[=+-][rwx]*, comma separated, on the permitted bits.
        let mut perm = !old & 0o777;
        for clause in arg.split(|&c| c == b',') {
            let opi = clause.iter().position(|c| b"=+-".contains(c));
            let Some(opi) = opi else {
                sh.error(&[b"umask: ", arg, b": bad mode"]);
                return 1;
            };
            let mut who = 0u32;
            for &w in &clause[..opi] {
                who |= match w {
                    b'u' => 0o700,
                    b'g' => 0o070,
                    b'o' => 0o007,
                    b'a' => 0o777,
                    _ => {
                        sh.error(&[b"umask: ", arg, b": bad mode"]);
                        return 1;
                    }
                };
            }
            if who == 0 {
                who = 0o777;
            }
            let mut bits = 0u32;
            for &p in &clause[opi + 1..] {
                bits |= match p {
                    b'r' => 0o444,
                    b'w' => 0o222,
                    b'x' => 0o111,
                    _ => {
                        sh.error(&[b"umask: ", arg, b": bad mode"]);
                        return 1;
                    }
                };
            }
            match clause[opi] {
                b'=' => perm = (perm & !who) | (bits & who),
                b'+' => perm |= bits & who,
                _ => perm &= !(bits & who),
            }
        }
        !perm & 0o777
    };
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(new));
    0
}

fn ulimit(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    let mut hard = false;
    let mut res = (Resource::Fsize, 512u64);
    let mut all = false;
    let mut value = None;
    for o in &a[1..] {
        if o.first() == Some(&b'-') && o.len() > 1 {
            for &c in &o[1..] {
                res = match c {
                    b'H' => {
                        hard = true;
                        continue;
                    }
                    b'S' => {
                        hard = false;
                        continue;
                    }
                    b'a' => {
                        all = true;
                        continue;
                    }
                    b'n' => (Resource::Nofile, 1),
                    b'c' => (Resource::Core, 512),
                    b'f' => (Resource::Fsize, 512),
                    b's' => (Resource::Stack, 1024),
                    b't' => (Resource::Cpu, 1),
                    b'v' => (Resource::As, 1024),
                    b'd' => (Resource::Data, 1024),
                    b'u' => (Resource::Nproc, 1),
                    b'l' => (Resource::Memlock, 1024),
                    _ => {
                        sh.error(&[b"ulimit: -", &[c], b": invalid option"]);
                        return 2;
                    }
                };
            }
        } else {
            value = Some(o.clone());
        }
    }
    let show = |sh: &mut Shell, lim: Option<u64>, unit: u64| {
        match lim {
            None => sh.out.str("unlimited"),
            Some(v) => sh.out.num(v / unit),
        }
        sh.out.byte(b'\n');
    };
    if all {
        for (name, r, unit) in [
            ("core file size (blocks)   ", Resource::Core, 512),
            ("data seg size (kb)        ", Resource::Data, 1024),
            ("file size (blocks)        ", Resource::Fsize, 512),
            ("max locked memory (kb)    ", Resource::Memlock, 1024),
            ("open files                ", Resource::Nofile, 1),
            ("stack size (kb)           ", Resource::Stack, 1024),
            ("cpu time (seconds)        ", Resource::Cpu, 1),
            ("max user processes        ", Resource::Nproc, 1),
            ("virtual memory (kb)       ", Resource::As, 1024),
        ] {
            let l = rustix::process::getrlimit(r);
            sh.out.str(name);
            show(sh, if hard { l.maximum } else { l.current }, unit);
        }
        return 0;
    }
    let cur = rustix::process::getrlimit(res.0);
    let Some(v) = value else {
        show(sh, if hard { cur.maximum } else { cur.current }, res.1);
        return 0;
    };
    let new = if v == b"unlimited" {
        None
    } else {
        match crate::common::num::parse_u64(&v) {
            Some(n) => Some(n.saturating_mul(res.1)),
            None => {
                sh.error(&[b"ulimit: ", &v, b": bad number"]);
                return 1;
            }
        }
    };
    let explicit = a[1..].iter().any(|o| o.contains(&b'H') || o.contains(&b'S'));
    let lim = if !explicit {
        Rlimit { current: new, maximum: new }
    } else if hard {
        Rlimit { current: cur.current, maximum: new }
    } else {
        Rlimit { current: new, maximum: cur.maximum }
    };
    if let Err(e) = rustix::process::setrlimit(res.0, lim) {
        sh.error(&[b"ulimit: ", rt::strerror(e).as_bytes()]);
        return 1;
    }
    0
}

// ---- echo, printf, test, [ : the applets' code, run in the shell process ----

/// Runs an applet's code in-process with the shell's standard output buffer (so that
/// redirections apply and `run_builtin` flushes it before the next command).
fn in_applet(sh: &mut Shell, name: &'static str, f: impl FnOnce(&mut Cx) -> i32) -> i32 {
    let mut cx = Cx::new(name, Vec::new(), Vec::new());
    let _ = sh.err.flush();
    core::mem::swap(&mut cx.out, &mut sh.out);
    let st = f(&mut cx);
    core::mem::swap(&mut cx.out, &mut sh.out);
    let _ = cx.err.flush();
    st
}

fn words(a: &[Vec<u8>]) -> Vec<&[u8]> {
    a.iter().skip(1).map(|w| w.as_slice()).collect()
}

fn echo(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    crate::applets::echo::echo(&mut sh.out, a.get(1..).unwrap_or(&[]));
    0
}

fn test(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    in_applet(sh, "test", |cx| crate::applets::test::test(cx, &words(a)))
}

fn bracket(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    in_applet(sh, "[", |cx| crate::applets::test::bracket(cx, &words(a)))
}

fn printf(sh: &mut Shell, a: &[Vec<u8>]) -> i32 {
    let mut w = words(a);
    if w.first() == Some(&&b"--"[..]) {
        w.remove(0);
    }
    in_applet(sh, "printf", |cx| crate::applets::printf::printf(cx, &w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_is_sorted() {
        for w in BUILTINS.windows(2) {
            assert!(w[0].name < w[1].name, "{} before {}", w[0].name, w[1].name);
        }
        assert!(find(b"cd").is_some());
        assert!(find(b"exit").is_some_and(|b| b.special));
    }

    #[test]
    fn canonical_paths() {
        assert_eq!(canonical(b"/a/b/../c/./d/"), b"/a/c/d");
        assert_eq!(canonical(b"/.."), b"/");
    }

    #[test]
    fn quotes_for_reinput() {
        let mut v = Vec::new();
        quote(&mut v, b"it's");
        assert_eq!(v, b"'it'\\''s'");
    }

    #[test]
    fn signal_names() {
        assert_eq!(signal_number(b"INT"), Some(2));
        assert_eq!(signal_number(b"sigterm"), Some(15));
        assert_eq!(signal_number(b"EXIT"), Some(0));
        assert_eq!(signal_number(b"9"), Some(9));
        assert_eq!(signal_number(b"NOPE"), None);
    }
}
