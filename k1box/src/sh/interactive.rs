//! The interactive shell (standard input a terminal): lines come from the line editor
//! ([`crate::lineedit`]) with PS1, then PS2 while a command is incomplete; PS1 and PS2
//! undergo parameter expansion, then the prompt escapes (`\u \h \w \W \$`); accepted lines
//! go into the history, which `$HISTFILE` (default `~/.ash_history`) keeps between
//! sessions; Tab completes builtins, applets, PATH commands and files; Ctrl-C drops the
//! line (`$?` becomes 130); Ctrl-D on an empty line ends the shell.
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::cell::RefCell;
use rustix::io::Errno;

use super::ast::Node;
use super::exec::{Flow, Shell};
use super::parser::Parser;
use crate::common::num::parse_u64;
use crate::lineedit::complete::ShellCompleter;
use crate::lineedit::{prompt, LineEditor};

/// The terminal side of an interactive shell, shared by the read loop and `history`.
pub struct Tty {
    pub editor: LineEditor,
    histfile: Option<Vec<u8>>,
    ps1: Vec<u8>,
    ps2: Vec<u8>,
    /// The next line is the first of a command (PS1, not PS2).
    first: bool,
    /// Ctrl-C dropped the command being read.
    interrupted: bool,
    path: Vec<u8>,
    home: Vec<u8>,
    /// Builtin and applet names, sorted, for completion.
    names: Vec<&'static [u8]>,
    user: Vec<u8>,
    host: Vec<u8>,
    /// With `set -b`: the running background jobs to report the moment they end.
    pub watch: Vec<Watched>,
    /// SIGCHLD is the editor's to catch (no `trap ... CHLD` of the user's holds it).
    catch_child: bool,
}

/// A background job `set -b` reports while a line is being edited.
pub struct Watched {
    pub pid: i32,
    /// `[N]+ ` as `jobs` shows it.
    pub head: Vec<u8>,
    pub cmd: Vec<u8>,
    /// Its exit status, once reaped here (the shell then forgets the job).
    pub status: Option<i32>,
}

/// SIGCHLD while a line is edited under `set -b`: nothing to do but interrupt the read.
extern "C" fn on_child(_: i32) {}

/// Completion as the shell's, plus `set -b`'s notices.
struct Completion<'a> {
    files: ShellCompleter<'a>,
    watch: &'a mut Vec<Watched>,
}

impl crate::lineedit::Completer for Completion<'_> {
    fn complete(&mut self, line: &[u8], cursor: usize) -> (usize, Vec<Vec<u8>>) {
        self.files.complete(line, cursor)
    }

    fn notices(&mut self) -> Vec<u8> {
        let mut text = Vec::new();
        for w in self.watch.iter_mut().filter(|w| w.status.is_none()) {
            let Some(pid) = rustix::process::Pid::from_raw(w.pid) else { continue };
            if let Ok(Some((_, st))) =
                rustix::process::waitpid(Some(pid), rustix::process::WaitOptions::NOHANG)
            {
                let status = super::exec::decode(st);
                w.status = Some(status);
                text.extend_from_slice(&w.head);
                super::jobs::push_job_rest(&mut text, &super::jobs::state_word(Some(status), false), &w.cmd);
            }
        }
        text
    }
}

impl Tty {
    /// Writes the history to `$HISTFILE`.
    pub fn save_history(&mut self) {
        if let Some(f) = &self.histfile {
            let _ = self.editor.history_mut().save(f);
        }
    }

    /// The parser's input: one edited line with its newline; false at Ctrl-D or Ctrl-C.
    fn read(&mut self, buf: &mut Vec<u8>) -> bool {
        let prompt = if self.first { &self.ps1 } else { &self.ps2 };
        self.first = false;
        let files = ShellCompleter { builtins: &self.names, path: &self.path, home: &self.home };
        let watching = !self.watch.is_empty() && self.catch_child;
        let mut c = Completion { files, watch: &mut self.watch };
        if watching {
            let _ = crate::rt::set_signal(17, crate::rt::Handler::Catch(on_child), false);
        }
        let r = self.editor.read_line(prompt, &mut c);
        if watching {
            let _ = crate::rt::set_signal(17, crate::rt::Handler::Default, true);
        }
        match r {
            Ok(Some(line)) => {
                if !line.iter().all(u8::is_ascii_whitespace) {
                    self.editor.history_mut().add(&line);
                }
                buf.extend_from_slice(&line);
                buf.push(b'\n');
                true
            }
            Err(Errno::INTR) => {
                self.interrupted = true;
                false
            }
            _ => false,
        }
    }
}

/// `PS1` or `PS2` ready to show: parameter expansion, then the backslash escapes.
fn prompt_text(sh: &mut Shell, var: &[u8], user: &[u8], host: &[u8]) -> Vec<u8> {
    let root = rustix::process::geteuid().is_root();
    let raw = match sh.vars.get(var) {
        Some(p) => p.to_vec(),
        None if var == b"PS2" => b"> ".to_vec(),
        None if root => b"# ".to_vec(),
        None => b"$ ".to_vec(),
    };
    let mut text = raw.clone();
    if raw.iter().any(|&c| c == b'$' || c == b'`') {
        // Expanded as a here-document body, where `\\` and `\$` lose their backslash:
        // double those so that the prompt escapes `\\` and `\$` survive.
        let mut src = Vec::with_capacity(raw.len() + 8);
        let mut i = 0;
        while i < raw.len() {
            if raw[i] == b'\\' && matches!(raw.get(i + 1), Some(b'\\' | b'$')) {
                src.extend_from_slice(b"\\\\\\");
                src.push(raw[i + 1]);
                i += 2;
            } else {
                src.push(raw[i]);
                i += 1;
            }
        }
        if let Ok(w) = Parser::new(src).heredoc_parts() {
            if let Ok(v) = sh.expand_heredoc(&w) {
                text = v;
            }
        }
        sh.flow = Flow::Normal;
    }
    let cwd = sh.vars.get(b"PWD").unwrap_or(b"").to_vec();
    let home = sh.vars.get(b"HOME").unwrap_or(b"").to_vec();
    prompt::expand(&text, &prompt::PromptInfo { user, host, cwd: &cwd, home: &home, is_root: root })
}

/// Reads and runs commands from the terminal until Ctrl-D or `exit`.
pub fn interactive_loop(sh: &mut Shell) {
    let histfile = match sh.vars.get(b"HISTFILE") {
        Some(f) => Some(f.to_vec()),
        None => sh
            .vars
            .get(b"HOME")
            .filter(|h| !h.is_empty())
            .map(|h| crate::common::path::join(h, b".ash_history")),
    };
    let mut editor = LineEditor::new(0, 2);
    if let Some(n) = sh.vars.get(b"HISTSIZE").and_then(parse_u64) {
        editor.history_mut().set_cap(n.min(1 << 20) as usize);
    }
    if let Some(f) = &histfile {
        let _ = editor.history_mut().load(f);
    }
    let mut names: Vec<&'static [u8]> =
        super::builtins::names().chain(crate::APPLETS.iter().map(|a| a.name.as_bytes())).collect();
    names.sort_unstable();
    names.dedup();
    let user = crate::common::users::Users::new().user_name(rustix::process::geteuid().as_raw());
    let host = rustix::system::uname().nodename().to_bytes().to_vec();
    let tty = Rc::new(RefCell::new(Tty {
        editor,
        histfile,
        ps1: Vec::new(),
        ps2: Vec::new(),
        first: true,
        interrupted: false,
        path: Vec::new(),
        home: Vec::new(),
        names,
        user,
        host,
        watch: Vec::new(),
        catch_child: true,
    }));
    sh.tty = Some(tty.clone());
    sh.start_job_control();
    let reader = tty.clone();
    let mut more = move |buf: &mut Vec<u8>| reader.borrow_mut().read(buf);
    let mut p = Parser::with_input(&mut more);
    p.set_aliases(sh.aliases.clone());
    p.blank_is_command = true;
    loop {
        sh.notify_jobs();
        sh.reap_jobs();
        let (user, host) = {
            let t = tty.borrow();
            (t.user.clone(), t.host.clone())
        };
        let ps1 = prompt_text(sh, b"PS1", &user, &host);
        let ps2 = prompt_text(sh, b"PS2", &user, &host);
        {
            let mut t = tty.borrow_mut();
            t.ps1 = ps1;
            t.ps2 = ps2;
            t.first = true;
            t.interrupted = false;
            t.path = sh.vars.get(b"PATH").unwrap_or(b"").to_vec();
            t.home = sh.vars.get(b"HOME").unwrap_or(b"").to_vec();
            t.watch = if sh.opts.notify { sh.watched_jobs() } else { Vec::new() };
            t.catch_child = sh.traps.get(17).is_some_and(|a| a.is_none());
        }
        let r = p.next_command();
        // Jobs `set -b` reported meanwhile are over.
        for w in core::mem::take(&mut tty.borrow_mut().watch) {
            if w.status.is_some() {
                sh.jobs.retain(|j| j.pid != w.pid);
            }
        }
        if tty.borrow().interrupted {
            p.recover();
            p.unread();
            sh.status = 130;
            continue;
        }
        match r {
            // A blank line: the prompt again, `$?` kept.
            Ok(Some(Node::Seq(v))) if v.is_empty() => {}
            Ok(Some(n)) => {
                sh.cmd_text = p.last_text().trim_ascii().to_vec();
                sh.run(&n);
                match sh.flow {
                    Flow::Exit => return,
                    Flow::Normal => {}
                    _ => sh.flow = Flow::Normal,
                }
            }
            Ok(None) => {
                let _ = crate::common::out::write_all(2, b"\n");
                return;
            }
            Err(e) => {
                sh.syntax_error(&e);
                p.recover();
            }
        }
    }
}
