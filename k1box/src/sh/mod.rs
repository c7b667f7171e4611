//! sh — the K1OS shell (POSIX XCU chapter 2, with the ash/bash extensions scripts expect).
//!
//! Table of contents:
//! - [`lexer`] and [`parser`]: bytes to tokens to the syntax tree of [`ast`], one complete
//!   command at a time, reading more input only when a command is incomplete;
//! - [`expand`]: parameters, command substitution, arithmetic ([`arith`]), field splitting,
//!   pathname expansion ([`glob`]), tilde expansion and quote removal;
//! - [`exec`]: running the tree: fork/exec, pipelines, redirections, the command hash,
//!   applets called without a new execve, traps;
//! - [`builtins`]: special and regular built-in utilities;
//! - [`vars`]: variables, locals, the environment, `set` options;
//! - [`interactive`]: the terminal: line editor, prompts, history;
//! - [`jobs`]: job control (process groups, the terminal, stopped jobs).
//!
//! This file: the command line (`sh [-eux...] [-o opt] [-c cmd [name [arg...]] | -s [arg...]
//! | script [arg...]]`, `-l` or a `-sh` argv[0] for a login shell) and the read–run loops.
pub mod arith;
pub mod ast;
pub mod builtins;
pub mod exec;
pub mod expand;
#[cfg(test)]
mod fuzz;
pub mod glob;
pub mod interactive;
pub mod jobs;
pub mod lexer;
pub mod parser;
pub mod vars;

use alloc::vec::Vec;
use rustix::fd::AsRawFd;
use rustix::fs::{Mode, OFlags};
use rustix::io::Errno;

use crate::common::Cx;
use crate::rt;
use exec::{Flow, Shell};
use parser::Parser;

const USAGE: &str = "\
Usage: sh [-abCefhilmnsuvx] [-o OPTION] [-c COMMAND [NAME [ARG]...] | -s [ARG]... | SCRIPT [ARG]...]

The K1OS shell: the POSIX shell command language with ash/bash extensions.

  -c CMD    run CMD (then NAME is $0 and ARGs are $1...)
  -s        read commands from standard input
  -l        login shell: read /etc/profile and ~/.profile first
  -i        interactive
  -o OPT    set an option by name (errexit, nounset, xtrace, pipefail, ...)
  -e -u -x -v -f -n -C -a   as `set`
";

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let env = core::mem::take(&mut cx.env);
    let arg0 = if cx.arg0.is_empty() { b"sh".to_vec() } else { cx.arg0.clone() };
    let mut login = arg0.first() == Some(&b'-');
    let mut sh = Shell::new(arg0, &env);
    let mut c_flag = false;
    let mut s_flag = false;
    let mut interactive: Option<bool> = None;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if a == b"--" || a == b"-" {
            i += 1;
            break;
        }
        if a == b"--help" {
            cx.out.str(USAGE);
            return 0;
        }
        if a.len() < 2 || (a[0] != b'-' && a[0] != b'+') {
            break;
        }
        let on = a[0] == b'-';
        for &c in &a[1..] {
            match c {
                b'c' => c_flag = true,
                b's' => s_flag = true,
                b'l' => login = true,
                b'i' => interactive = Some(on),
                b'o' => {
                    i += 1;
                    let name = args.get(i).and_then(|n| core::str::from_utf8(n).ok()).unwrap_or("");
                    match sh.opts.flag(name) {
                        Some(f) => *f = on,
                        None => {
                            let mut m = name.as_bytes().to_vec();
                            m.extend_from_slice(b": bad option name");
                            cx.warn(&m);
                            return 2;
                        }
                    }
                }
                _ => match sh.opts.letter(c) {
                    Some(f) => *f = on,
                    None => {
                        let mut m = alloc::vec![b'-', c];
                        m.extend_from_slice(b": invalid option");
                        cx.warn(&m);
                        cx.usage_line(USAGE);
                        return 2;
                    }
                },
            }
        }
        i += 1;
    }
    sh.vars.allexport = sh.opts.allexport;
    let rest = &args[i.min(args.len())..];
    enum Src {
        Cmd(Vec<u8>),
        File(Vec<u8>),
        Stdin,
    }
    let src = if c_flag {
        let Some(cmd) = rest.first() else {
            cx.warn(b"-c requires an argument");
            return 2;
        };
        if let Some(n) = rest.get(1) {
            sh.arg0 = n.clone();
        }
        sh.params = rest.iter().skip(2).cloned().collect();
        Src::Cmd(cmd.clone())
    } else if !s_flag && !rest.is_empty() {
        sh.arg0 = rest[0].clone();
        sh.params = rest[1..].to_vec();
        Src::File(rest[0].clone())
    } else {
        sh.params = rest.to_vec();
        Src::Stdin
    };
    let tty = rustix::termios::isatty(rt::stdin()) && rustix::termios::isatty(rt::stderr());
    sh.opts.interactive = interactive.unwrap_or(matches!(src, Src::Stdin) && tty);
    sh.opts.stdin = matches!(src, Src::Stdin);
    if sh.opts.interactive {
        sh.interactive_signals();
    }
    if login {
        source_if_present(&mut sh, b"/etc/profile");
        if let Some(home) = sh.vars.get(b"HOME").map(|h| h.to_vec()) {
            source_if_present(&mut sh, &crate::common::path::join(&home, b".profile"));
        }
    }
    if sh.opts.interactive && sh.flow == Flow::Normal {
        if let Some(envf) = sh.vars.get(b"ENV").map(|e| e.to_vec()) {
            let word = Parser::new(envf.clone()).parse_word_text();
            let path = word.and_then(|w| sh.expand_plain(&w).ok()).unwrap_or(envf);
            source_if_present(&mut sh, &path);
        }
    }
    if sh.flow != Flow::Exit {
        match src {
            Src::Cmd(cmd) => {
                let mut p = Parser::new(cmd);
                p.set_aliases(sh.aliases.clone());
                run_parser(&mut sh, &mut p, false);
            }
            Src::File(path) => run_file(&mut sh, &path),
            Src::Stdin if sh.opts.interactive => interactive::interactive_loop(&mut sh),
            Src::Stdin => {
                let seekable =
                    rustix::fs::fstat(rt::stdin()).is_ok_and(|st| st.st_mode & 0o170000 == 0o100000);
                // A pipe cannot be given back what was read too far: read it a byte at a
                // time up to each newline, so that commands reading stdin get the rest.
                let mut more = |buf: &mut Vec<u8>| {
                    if seekable {
                        return read_more(0, buf, 65536);
                    }
                    let start = buf.len();
                    while read_more(0, buf, 1) && buf.last() != Some(&b'\n') {}
                    buf.len() > start
                };
                let mut p = Parser::with_input(&mut more);
                p.set_aliases(sh.aliases.clone());
                run_parser(&mut sh, &mut p, seekable);
            }
        }
    }
    let st = sh.status;
    sh.exit_now(st)
}

fn source_if_present(sh: &mut Shell, path: &[u8]) {
    if let Ok(text) = crate::common::fs::read_file(path) {
        sh.eval_text(&text);
        if sh.flow != Flow::Exit {
            sh.flow = Flow::Normal;
        }
    }
}

/// Appends up to `max` bytes read from `fd`; false at the end of the input.
fn read_more(fd: i32, buf: &mut Vec<u8>, max: usize) -> bool {
    let start = buf.len();
    buf.resize(start + max, 0);
    loop {
        match rustix::io::read(rt::fd(fd), &mut buf[start..]) {
            Ok(n) => {
                buf.truncate(start + n);
                return n > 0;
            }
            Err(Errno::INTR) => continue,
            Err(_) => {
                buf.truncate(start);
                return false;
            }
        }
    }
}

fn run_file(sh: &mut Shell, path: &[u8]) {
    let fd = match rustix::fs::open(path, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty()) {
        Ok(fd) => fd,
        Err(e) => {
            sh.error(&[path, b": ", rt::strerror(e).as_bytes()]);
            sh.status = if e == Errno::NOENT { 127 } else { 126 };
            return;
        }
    };
    // Keep the script's descriptor out of the way of the script's own redirections.
    let fd = rustix::io::fcntl_dupfd_cloexec(&fd, 10).unwrap_or(fd);
    let raw = fd.as_raw_fd();
    let mut more = |buf: &mut Vec<u8>| read_more(raw, buf, 65536);
    let mut p = Parser::with_input(&mut more);
    p.set_aliases(sh.aliases.clone());
    run_parser(sh, &mut p, false);
    drop(p);
    drop(fd);
}

/// Reads and runs commands until the end of the input, `exit` or (in a script) an error.
fn run_parser(sh: &mut Shell, p: &mut Parser, seek_stdin: bool) {
    loop {
        match p.next_command() {
            Ok(Some(n)) => {
                if sh.opts.verbose {
                    let _ = crate::common::out::write_all(2, p.last_text());
                }
                if seek_stdin {
                    let back = p.unread();
                    if back > 0 {
                        let _ = rustix::fs::seek(rt::stdin(), rustix::fs::SeekFrom::Current(-(back as i64)));
                    }
                }
                if !sh.opts.noexec {
                    sh.run(&n);
                }
                match sh.flow {
                    // `return` outside any function ends the script, as in dash.
                    Flow::Exit | Flow::Return => return,
                    Flow::Normal => {}
                    _ => sh.flow = Flow::Normal,
                }
            }
            Ok(None) => return,
            Err(e) => {
                sh.syntax_error(&e);
                if !sh.opts.interactive {
                    return;
                }
            }
        }
    }
}
