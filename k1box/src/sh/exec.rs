//! Running the syntax tree (POSIX XCU 2.9): simple commands with the command search (special
//! builtins, functions, builtins, k1box applets without a new execve, then PATH with a
//! hash), pipelines, subshells, lists, compound commands, redirections, command
//! substitution, signals and traps.
use alloc::ffi::CString;
use alloc::rc::Rc;
use alloc::vec;
use alloc::vec::Vec;
use core::cell::RefCell;
use core::sync::atomic::{AtomicU64, Ordering};
use rustix::fd::{AsRawFd, IntoRawFd, OwnedFd};
use rustix::fs::{Mode, OFlags};
use rustix::io::Errno;
use rustix::process::{Pid, WaitOptions, WaitStatus};

use super::ast::*;
use super::builtins;
use super::glob;
use super::parser::Parser;
use super::vars::{Map, Opts, Vars};
use crate::common::num::push_u64;
use crate::common::Out;
use crate::rt;

/// An error was reported; the command (and in a script, perhaps the shell) stops.
#[derive(Debug)]
pub struct Abort;

/// What interrupts the normal flow of commands.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Flow {
    Normal,
    Break(u32),
    Continue(u32),
    Return,
    Exit,
}

/// How many ended background jobs keep their status for `wait` (see `reap_jobs`).
const KEEP_ENDED: usize = 1024;

/// A background or stopped job.
pub struct Job {
    /// Its last process (`$!`, `wait`).
    pub pid: i32,
    /// Its exit status once it ended.
    pub status: Option<i32>,
    /// Its process group with job control, else 0.
    pub pgid: i32,
    /// Its number, `%n`.
    pub id: u32,
    /// The command line, for `jobs` and notices.
    pub cmd: Vec<u8>,
    pub stopped: bool,
    /// The processes still to wait for when it runs in the foreground again.
    pub pids: Vec<i32>,
}

/// How deeply commands may nest at run time (functions calling functions, eval, ...): a
/// level takes about 200 bytes of stack; allow up to 10000 on the usual 8 MB.
fn max_run_depth() -> u32 {
    (super::parser::stack_size() / 800).clamp(100, 10000) as u32
}

/// Signals that arrived and have a trap, one bit each.
static PENDING: AtomicU64 = AtomicU64::new(0);

extern "C" fn on_signal(sig: i32) {
    PENDING.fetch_or(1u64 << (sig as u32 & 63), Ordering::SeqCst);
}

/// The shell's whole state.
pub struct Shell {
    pub vars: Vars,
    pub funcs: Map<Rc<Node>>,
    pub aliases: super::parser::Aliases,
    pub params: Vec<Vec<u8>>,
    pub arg0: Vec<u8>,
    pub status: i32,
    pub opts: Opts,
    pub flow: Flow,
    /// Enclosing loops (for break/continue).
    pub loops: u32,
    /// Inside a condition (if/while/&&/||/!): `set -e` does not apply.
    pub cond: u32,
    pub depth: u32,
    /// Trap actions: 0 is EXIT, then signal numbers.
    pub traps: Vec<Option<Vec<u8>>>,
    pub last_bg: Option<i32>,
    pub jobs: Vec<Job>,
    pub hash: Map<Vec<u8>>,
    pub out: Out,
    pub err: Out,
    /// Job control is on (interactive, `set -m`, the terminal is ours).
    pub jc: bool,
    /// The shell's own process group, which gets the terminal back after a job.
    pub shell_pgid: i32,
    /// The command line being run (names jobs).
    pub cmd_text: Vec<u8>,
    /// `exit` has warned once of stopped jobs.
    pub stop_warned: bool,
    /// The terminal of an interactive shell (line editor and history).
    pub tty: Option<Rc<core::cell::RefCell<super::interactive::Tty>>>,
    pub pid: i32,
    pub lineno: u32,
    /// A forked copy of the shell (a subshell, a pipeline element).
    pub subshell: bool,
    /// The command being run is the last thing this process does: exec without forking.
    tail: bool,
    pub rng: u64,
    /// `getopts`' position inside the current argument.
    pub optpos: usize,
    /// The OPTIND value `getopts` last set (a different one restarts the scan).
    pub optpos_ind: usize,
    pub in_trap: bool,
    max_depth: u32,
    /// Command substitutions run so far.
    substs: u32,
    /// The status an error that ends the shell asked for.
    pub exit_code: Option<i32>,
}

/// The exit status a wait status stands for.
pub fn decode(st: WaitStatus) -> i32 {
    if let Some(c) = st.exit_status() {
        c
    } else if let Some(s) = st.terminating_signal() {
        128 + s
    } else {
        1
    }
}

/// Moves `fd` to descriptor number `to`.
pub fn move_fd(fd: OwnedFd, to: i32) -> Result<(), Errno> {
    let raw = fd.into_raw_fd();
    if raw == to {
        return Ok(());
    }
    let r = rt::dup2(raw, to);
    let _ = rt::close(raw);
    r
}

impl Shell {
    pub fn new(arg0: Vec<u8>, env: &[Vec<u8>]) -> Shell {
        let mut vars = Vars::default();
        for e in env {
            if let Some(eq) = e.iter().position(|&c| c == b'=') {
                if super::lexer::is_name(&e[..eq]) {
                    let _ = vars.set(&e[..eq], &e[eq + 1..]);
                    vars.export(&e[..eq]);
                }
            }
        }
        let pid = rustix::process::getpid().as_raw_nonzero().get();
        let ppid = rustix::process::getppid().map_or(0, |p| p.as_raw_nonzero().get());
        let mut sh = Shell {
            vars,
            funcs: Map::new(),
            aliases: Rc::new(RefCell::new(Map::new())),
            params: Vec::new(),
            arg0,
            status: 0,
            opts: Opts::default(),
            flow: Flow::Normal,
            loops: 0,
            cond: 0,
            depth: 0,
            traps: vec![None; 65],
            last_bg: None,
            jobs: Vec::new(),
            hash: Map::new(),
            out: Out::new(1, 8192),
            err: Out::new(2, 1024),
            tty: None,
            jc: false,
            shell_pgid: 0,
            cmd_text: Vec::new(),
            stop_warned: false,
            pid,
            lineno: 0,
            subshell: false,
            tail: false,
            rng: (pid as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1,
            optpos: 0,
            optpos_ind: 0,
            in_trap: false,
            max_depth: max_run_depth(),
            substs: 0,
            exit_code: None,
        };
        let mut b = [0u8; 20];
        let _ = sh.vars.set(b"PPID", crate::common::out::fmt_u64(ppid as u64, &mut b));
        for (k, v) in [(&b"IFS"[..], &b" \t\n"[..]), (b"PS4", b"+ "), (b"PS2", b"> "), (b"OPTIND", b"1")] {
            let _ = sh.vars.set(k, v);
        }
        if sh.vars.get(b"PATH").is_none() {
            let _ = sh.vars.set(b"PATH", b"/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        }
        let pwd_ok = match (sh.vars.get(b"PWD"), rustix::fs::stat(".")) {
            (Some(p), Ok(dot)) if p.starts_with(b"/") => {
                rustix::fs::stat(p).is_ok_and(|s| s.st_ino == dot.st_ino && s.st_dev == dot.st_dev)
            }
            _ => false,
        };
        if !pwd_ok {
            if let Ok(cwd) = rustix::process::getcwd(Vec::new()) {
                let _ = sh.vars.set(b"PWD", cwd.as_bytes());
            }
        }
        sh
    }

    /// Prints `sh: MSG` on standard error.
    pub fn error(&mut self, parts: &[&[u8]]) {
        let _ = self.out.flush();
        self.err.put(b"sh: ");
        for p in parts {
            self.err.put(p);
        }
        self.err.byte(b'\n');
        let _ = self.err.flush();
        self.err.reset();
    }

    /// Assigns a variable, reporting a readonly one.
    pub fn assign(&mut self, name: &[u8], val: &[u8]) -> Result<(), Abort> {
        if self.vars.set(name, val).is_err() {
            self.error(&[name, b": is read only"]);
            return Err(Abort);
        }
        if name == b"PATH" {
            self.hash.clear();
        }
        Ok(())
    }

    /// Writes out buffered output (before forking or changing descriptors).
    pub fn flush_all(&mut self) {
        let _ = self.out.flush();
        self.out.reset();
        let _ = self.err.flush();
        self.err.reset();
    }

    /// An expansion or assignment failed: a script ends, an interactive shell goes on.
    pub fn fatal(&mut self, status: i32) {
        self.status = status;
        if !self.opts.interactive {
            self.flow = Flow::Exit;
            self.exit_code = Some(status);
        }
    }

    /// Ends this process now (a subshell) with `status` (or the status of the error that
    /// ended the shell), after the EXIT trap.
    pub fn exit_now(&mut self, status: i32) -> ! {
        let status = self.exit_code.unwrap_or(status);
        self.status = status;
        if let Some(t) = self.traps.first_mut().and_then(Option::take) {
            self.flow = Flow::Normal;
            self.eval_text(&t);
            self.status = status;
        }
        self.flush_all();
        if !self.subshell {
            if let Some(Ok(mut t)) = self.tty.as_ref().map(|t| t.try_borrow_mut()) {
                t.save_history();
            }
        }
        rt::exit(self.status & 0xff)
    }

    /// Runs trap actions for signals that arrived.
    pub fn run_traps(&mut self) {
        if PENDING.load(Ordering::Relaxed) == 0 || self.in_trap {
            return;
        }
        let p = PENDING.swap(0, Ordering::SeqCst);
        for sig in 1..64 {
            if p & (1u64 << sig) == 0 {
                continue;
            }
            let Some(Some(cmd)) = self.traps.get(sig).cloned() else { continue };
            if cmd.is_empty() {
                continue;
            }
            let saved = self.status;
            self.in_trap = true;
            self.eval_text(&cmd);
            self.in_trap = false;
            if self.flow != Flow::Exit {
                self.status = saved;
            }
        }
    }

    /// Installs or removes the signal disposition for a trap.
    pub fn set_trap(&mut self, sig: usize, action: Option<Vec<u8>>) {
        if sig > 0 {
            let h = match &action {
                None => rt::Handler::Default,
                Some(a) if a.is_empty() => rt::Handler::Ignore,
                Some(_) => rt::Handler::Catch(on_signal),
            };
            let _ = rt::set_signal(sig as i32, h, false);
        }
        if let Some(t) = self.traps.get_mut(sig) {
            *t = action;
        }
    }

    /// An interactive shell survives SIGINT (it only interrupts the command line) and
    /// ignores SIGQUIT and SIGTERM.
    pub fn interactive_signals(&mut self) {
        let _ = rt::set_signal(2, rt::Handler::Catch(on_signal), false);
        let _ = rt::set_signal(3, rt::Handler::Ignore, true);
        let _ = rt::set_signal(15, rt::Handler::Ignore, true);
    }

    /// In a forked child: traps that are not "ignore" go back to the default.
    fn child_setup(&mut self) {
        self.subshell = true;
        self.jc = false;
        self.jobs.clear();
        if self.opts.interactive {
            self.opts.interactive = false;
            for sig in [2, 3, 15] {
                if !matches!(&self.traps[sig], Some(a) if a.is_empty()) {
                    let _ = rt::set_signal(sig as i32, rt::Handler::Default, true);
                }
            }
        }
        for sig in 0..self.traps.len() {
            if matches!(&self.traps[sig], Some(a) if !a.is_empty()) {
                self.set_trap(sig, None);
            }
        }
        PENDING.store(0, Ordering::SeqCst);
    }

    /// Parses and runs a string (eval, traps, -c).
    pub fn eval_text(&mut self, text: &[u8]) -> i32 {
        let mut p = Parser::new(text.to_vec());
        p.set_aliases(self.aliases.clone());
        p.line = self.lineno.max(1);
        // $? stays visible to the text (traps see the status before them).
        let mut ran = false;
        loop {
            match p.next_command() {
                Ok(Some(n)) => {
                    ran = true;
                    self.run(&n);
                    if self.flow != Flow::Normal {
                        break;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    self.syntax_error(&e);
                    return self.status;
                }
            }
        }
        if !ran {
            self.status = 0;
        }
        self.status
    }

    pub fn syntax_error(&mut self, e: &super::parser::SyntaxError) {
        let mut b = [0u8; 20];
        let line = crate::common::out::fmt_u64(e.line as u64, &mut b).to_vec();
        self.error(&[b"line ", &line, b": syntax error: ", &e.msg]);
        self.fatal(2);
    }

    /// Runs a command; its status is left in `self.status`.
    pub fn run(&mut self, n: &Node) {
        if self.depth >= self.max_depth {
            self.error(&[b"nesting too deep"]);
            self.fatal(2);
            self.flow = Flow::Exit;
            return;
        }
        self.depth += 1;
        self.run_inner(n);
        self.depth -= 1;
    }

    fn check_errexit(&mut self) {
        if self.status != 0 && self.opts.errexit && self.cond == 0 && self.flow == Flow::Normal {
            self.flow = Flow::Exit;
        }
    }

    fn run_cond(&mut self, n: &Node) {
        self.cond += 1;
        let t = core::mem::take(&mut self.tail);
        self.run(n);
        self.tail = t;
        self.cond -= 1;
    }

    fn run_inner(&mut self, n: &Node) {
        match n {
            Node::Simple(s) => {
                self.simple(s);
                self.check_errexit();
                self.run_traps();
            }
            Node::Seq(v) => {
                let tail = self.tail;
                if v.is_empty() {
                    self.status = 0;
                }
                for (i, item) in v.iter().enumerate() {
                    self.tail = tail && i + 1 == v.len();
                    self.run(item);
                    if self.flow != Flow::Normal {
                        break;
                    }
                    self.run_traps();
                }
                self.tail = tail;
            }
            Node::Group(n) => self.run(n),
            Node::And(a, b) | Node::Or(a, b) => {
                self.run_cond(a);
                if self.flow != Flow::Normal {
                    return;
                }
                if (self.status == 0) == matches!(n, Node::And(..)) {
                    self.run(b);
                }
            }
            Node::Pipe(bang, cmds) => {
                let t = core::mem::take(&mut self.tail);
                if *bang {
                    self.cond += 1;
                }
                match cmds.as_slice() {
                    // `! cmd` runs cmd in this shell.
                    [one] => self.run(one),
                    _ => self.pipeline(cmds),
                }
                if *bang {
                    self.cond -= 1;
                    // Negation applies to a pipeline that completed, not to exit/return.
                    if self.flow == Flow::Normal {
                        self.status = (self.status == 0) as i32;
                    }
                } else {
                    self.check_errexit();
                }
                self.tail = t;
            }
            Node::Async(n) => {
                let t = core::mem::take(&mut self.tail);
                self.background(n);
                self.tail = t;
            }
            Node::Subshell(body) => {
                if self.tail {
                    self.run(body);
                    return;
                }
                self.flush_all();
                match rt::fork() {
                    Ok(None) => {
                        self.child_setup();
                        self.tail = true;
                        self.run(body);
                        let st = self.status;
                        self.exit_now(st)
                    }
                    Ok(Some(pid)) => {
                        self.status = self.wait_pid(pid);
                        self.check_errexit();
                    }
                    Err(e) => self.fork_failed(e),
                }
            }
            Node::If(arms, otherwise) => {
                let t = core::mem::take(&mut self.tail);
                let mut ran = false;
                for (c, body) in arms {
                    self.run_cond(c);
                    if self.flow != Flow::Normal {
                        self.tail = t;
                        return;
                    }
                    if self.status == 0 {
                        self.run(body);
                        ran = true;
                        break;
                    }
                }
                if !ran {
                    match otherwise {
                        Some(e) => self.run(e),
                        None => self.status = 0,
                    }
                }
                self.tail = t;
            }
            Node::Loop(until, cond, body) => {
                let t = core::mem::take(&mut self.tail);
                self.run_loop(*until, cond, body);
                self.tail = t;
            }
            Node::For(name, words, body) => {
                let t = core::mem::take(&mut self.tail);
                self.run_for(name, words.as_deref(), body);
                self.tail = t;
            }
            Node::Case(word, items) => {
                let t = core::mem::take(&mut self.tail);
                self.run_case(word, items);
                self.tail = t;
            }
            Node::Func(name, body) => {
                self.funcs.insert(name.clone(), body.clone());
                self.status = 0;
            }
            Node::Redirected(body, redirs) => {
                let t = core::mem::take(&mut self.tail);
                let mut saved = Vec::new();
                if self.redirect(redirs, Some(&mut saved)).is_ok() {
                    self.run(body);
                } else {
                    self.status = 2;
                }
                self.flush_all();
                restore(saved);
                self.tail = t;
            }
            Node::Test(c, line) => {
                self.lineno = *line;
                self.status = match self.cond_test(c) {
                    Ok(true) => 0,
                    Ok(false) => 1,
                    Err(_) => 2,
                };
                self.check_errexit();
            }
        }
    }

    fn fork_failed(&mut self, e: Errno) {
        self.error(&[b"fork: ", rt::strerror(e).as_bytes()]);
        self.status = 2;
    }

    /// Consumes a pending break/continue for the loop being run: true to leave the loop.
    fn loop_flow(&mut self) -> bool {
        match self.flow {
            Flow::Break(n) => {
                self.flow = if n > 1 { Flow::Break(n - 1) } else { Flow::Normal };
                true
            }
            Flow::Continue(n) if n > 1 => {
                self.flow = Flow::Continue(n - 1);
                true
            }
            Flow::Continue(_) => {
                self.flow = Flow::Normal;
                false
            }
            Flow::Normal => false,
            _ => true,
        }
    }

    /// One pass of a loop's body: its status kept in `last`; true when the loop ends
    /// (`break`, `return`, `exit`...).
    fn loop_body(&mut self, body: &Node, last: &mut i32) -> bool {
        self.run(body);
        *last = self.status;
        if self.loop_flow() {
            return true;
        }
        self.run_traps();
        false
    }

    /// After a loop: its status is its body's last (0 if the body never ran).
    fn loop_end(&mut self, last: i32) {
        self.loops -= 1;
        if !matches!(self.flow, Flow::Exit | Flow::Return) {
            self.status = last;
        }
    }

    fn run_loop(&mut self, until: bool, cond: &Node, body: &Node) {
        self.loops += 1;
        let mut last = 0;
        loop {
            self.run_cond(cond);
            if self.flow != Flow::Normal {
                if self.loop_flow() {
                    break;
                }
                continue;
            }
            if (self.status == 0) == until {
                break;
            }
            if self.loop_body(body, &mut last) {
                break;
            }
        }
        self.loop_end(last);
    }

    fn run_for(&mut self, name: &[u8], words: Option<&[Word]>, body: &Node) {
        let items = match words {
            Some(w) => match self.expand_words(w) {
                Ok(v) => v,
                Err(_) => return self.fatal(2),
            },
            None => self.params.clone(),
        };
        self.loops += 1;
        let mut last = 0;
        for it in items {
            if self.assign(name, &it).is_err() {
                self.fatal(1);
                break;
            }
            if self.loop_body(body, &mut last) {
                break;
            }
        }
        self.loop_end(last);
    }

    fn run_case(&mut self, word: &Word, items: &[CaseItem]) {
        let w = match self.expand_plain(word) {
            Ok(w) => w,
            Err(_) => return self.fatal(2),
        };
        self.status = 0;
        let mut i = 0;
        while i < items.len() {
            let mut hit = false;
            for p in &items[i].patterns {
                let pat = match self.expand_pattern(p) {
                    Ok(p) => p,
                    Err(_) => return self.fatal(2),
                };
                if glob::matches(&pat, &w) {
                    hit = true;
                    break;
                }
            }
            if hit {
                loop {
                    if let Some(b) = &items[i].body {
                        self.run(b);
                    }
                    if !items[i].fall || i + 1 >= items.len() || self.flow != Flow::Normal {
                        return;
                    }
                    i += 1;
                }
            }
            i += 1;
        }
    }

    /// Waits for one child; its exit status.
    pub fn wait_pid(&mut self, pid: Pid) -> i32 {
        loop {
            match rustix::process::waitpid(Some(pid), WaitOptions::empty()) {
                Ok(Some((_, st))) => return decode(st),
                Ok(None) | Err(Errno::INTR) => continue,
                Err(_) => return 127,
            }
        }
    }

    fn pipeline(&mut self, cmds: &[Node]) {
        self.flush_all();
        let n = cmds.len();
        let mut pids = Vec::with_capacity(n);
        let mut pgid = 0;
        let mut prev: Option<OwnedFd> = None;
        for (i, c) in cmds.iter().enumerate() {
            let next = if i + 1 < n {
                match rustix::pipe::pipe() {
                    Ok(p) => Some(p),
                    Err(e) => {
                        self.error(&[b"pipe: ", rt::strerror(e).as_bytes()]);
                        break;
                    }
                }
            } else {
                None
            };
            match rt::fork() {
                Ok(None) => {
                    self.job_child(pgid, true);
                    if let Some(r) = prev.take() {
                        let _ = move_fd(r, 0);
                    }
                    if let Some((r, w)) = next {
                        drop(r);
                        let _ = move_fd(w, 1);
                    }
                    self.child_setup();
                    self.tail = true;
                    self.run(c);
                    let st = self.status;
                    self.exit_now(st)
                }
                Ok(Some(pid)) => {
                    let pid = pid.as_raw_nonzero().get();
                    pgid = self.job_parent(pid, pgid);
                    pids.push(pid);
                    prev = next.map(|(r, _w)| r);
                }
                Err(e) => {
                    self.fork_failed(e);
                    break;
                }
            }
        }
        drop(prev);
        let (status, fail) = self.wait_fg(&pids, pgid, 0);
        self.status = if self.opts.pipefail { fail } else { status };
    }

    fn background(&mut self, n: &Node) {
        self.reap_jobs();
        self.flush_all();
        match rt::fork() {
            Ok(None) => {
                self.job_child(0, false);
                self.child_setup();
                if !self.opts.monitor {
                    let _ = rt::set_signal(2, rt::Handler::Ignore, true);
                    let _ = rt::set_signal(3, rt::Handler::Ignore, true);
                    if let Ok(fd) = rustix::fs::open("/dev/null", OFlags::RDONLY, Mode::empty()) {
                        let _ = move_fd(fd, 0);
                    }
                }
                self.tail = true;
                self.run(n);
                let st = self.status;
                self.exit_now(st)
            }
            Ok(Some(pid)) => {
                let pid = pid.as_raw_nonzero().get();
                self.last_bg = Some(pid);
                let pgid = self.job_parent(pid, 0);
                let mut cmd = core::mem::take(&mut self.cmd_text);
                while cmd.last().is_some_and(|c| c.is_ascii_whitespace() || *c == b'&') {
                    cmd.pop();
                }
                let id = self.next_job_id();
                if self.jc {
                    let mut t = vec![b'['];
                    push_u64(&mut t, u64::from(id));
                    t.extend_from_slice(b"] ");
                    push_u64(&mut t, pid as u64);
                    t.push(b'\n');
                    let _ = crate::common::out::write_all(2, &t);
                }
                self.jobs.push(Job { pid, status: None, pgid, id, cmd, stopped: false, pids: vec![pid] });
                self.status = 0;
            }
            Err(e) => self.fork_failed(e),
        }
    }

    /// Collects finished background jobs without waiting. The statuses of the last
    /// [`KEEP_ENDED`] ended jobs stay for `wait PID` (POSIX asks for at least CHILD_MAX);
    /// older ones are forgotten, so that a loop starting jobs runs in bounded memory.
    pub fn reap_jobs(&mut self) {
        if self.jobs.iter().any(|j| j.status.is_none()) {
            while let Ok(Some((pid, st))) = rustix::process::wait(WaitOptions::NOHANG) {
                let pid = pid.as_raw_nonzero().get();
                if let Some(j) = self.jobs.iter_mut().find(|j| j.pid == pid) {
                    j.status = Some(decode(st));
                }
            }
        }
        let ended = self.jobs.iter().filter(|j| j.status.is_some()).count();
        if ended > KEEP_ENDED * 2 {
            let mut drop = ended - KEEP_ENDED;
            self.jobs.retain(|j| {
                let forget = drop > 0 && j.status.is_some();
                drop -= usize::from(forget);
                !forget
            });
        }
    }

    /// `$(...)`: the command's output without its trailing newlines.
    pub fn command_subst(&mut self, n: &Node) -> Result<Vec<u8>, Abort> {
        self.flush_all();
        let (r, w) = match rustix::pipe::pipe() {
            Ok(p) => p,
            Err(e) => {
                self.error(&[b"pipe: ", rt::strerror(e).as_bytes()]);
                return Err(Abort);
            }
        };
        match rt::fork() {
            Ok(None) => {
                drop(r);
                let _ = move_fd(w, 1);
                self.child_setup();
                self.tail = true;
                self.run(n);
                let st = self.status;
                self.exit_now(st)
            }
            Ok(Some(pid)) => {
                drop(w);
                let mut out = Vec::new();
                let _ = crate::common::fs::read_fd(rustix::fd::AsFd::as_fd(&r), &mut out);
                drop(r);
                self.status = self.wait_pid(pid);
                self.substs = self.substs.wrapping_add(1);
                while out.last() == Some(&b'\n') {
                    out.pop();
                }
                Ok(out)
            }
            Err(e) => {
                self.fork_failed(e);
                Err(Abort)
            }
        }
    }

    /// Performs redirections; with `saved`, remembers what they replaced for [`restore`].
    pub fn redirect(&mut self, redirs: &[Redir], saved: Option<&mut Vec<(i32, i32)>>) -> Result<(), Abort> {
        let list = self.expand_redirs(redirs)?;
        self.apply_redirs(&list, saved)
    }

    /// Expands redirection words and here-document bodies (in the shell itself, so that
    /// `${x:=y}` in them assigns even when the command then runs in a child).
    pub fn expand_redirs(&mut self, redirs: &[Redir]) -> Result<Vec<(i32, RedirKind, Vec<u8>)>, Abort> {
        let mut out = Vec::with_capacity(redirs.len());
        for r in redirs {
            let text = match r.kind {
                RedirKind::Here => match r.here.as_ref().and_then(|h| h.get()) {
                    Some(h) => self.expand_heredoc(&h.body)?,
                    None => Vec::new(),
                },
                _ => self.expand_plain(&r.target)?,
            };
            out.push((r.fd, r.kind, text));
        }
        Ok(out)
    }

    /// Performs expanded redirections.
    pub fn apply_redirs(
        &mut self,
        list: &[(i32, RedirKind, Vec<u8>)],
        mut saved: Option<&mut Vec<(i32, i32)>>,
    ) -> Result<(), Abort> {
        for (fd, kind, text) in list {
            let (fd, kind) = (*fd, *kind);
            enum Act {
                Open(OwnedFd),
                Dup(i32),
                Close,
            }
            let act = match kind {
                RedirKind::Here => match heredoc_fd(text) {
                    Ok(fd) => Act::Open(fd),
                    Err(e) => {
                        self.error(&[b"here-document: ", rt::strerror(e).as_bytes()]);
                        return Err(Abort);
                    }
                },
                RedirKind::DupIn | RedirKind::DupOut => {
                    if text == b"-" {
                        Act::Close
                    } else if let Some(n) = crate::common::num::parse_u64(text).filter(|&n| n < 1 << 20) {
                        Act::Dup(n as i32)
                    } else {
                        self.error(&[text, b": bad file descriptor"]);
                        return Err(Abort);
                    }
                }
                _ => match self.open_redir(kind, text) {
                    Ok(fd) => Act::Open(fd),
                    Err(e) => {
                        let why: &[u8] = if e == Errno::EXIST {
                            b"cannot overwrite existing file"
                        } else {
                            rt::strerror(e).as_bytes()
                        };
                        self.error(&[text, b": ", why]);
                        return Err(Abort);
                    }
                },
            };
            if let Some(s) = saved.as_deref_mut() {
                if !s.iter().any(|(f, _)| *f == fd) {
                    let copy = match rustix::io::fcntl_dupfd_cloexec(rt::fd(fd), 10) {
                        Ok(c) => c.into_raw_fd(),
                        Err(_) => -1,
                    };
                    s.push((fd, copy));
                }
            }
            let res = match act {
                Act::Open(f) => move_fd(f, fd),
                Act::Dup(n) => rt::dup2(n, fd),
                Act::Close => {
                    let _ = rt::close(fd);
                    Ok(())
                }
            };
            if let Err(e) = res {
                let mut b = [0u8; 20];
                let n = crate::common::out::fmt_u64(fd as u64, &mut b).to_vec();
                self.error(&[&n, b": ", rt::strerror(e).as_bytes()]);
                return Err(Abort);
            }
        }
        Ok(())
    }

    fn open_redir(&self, kind: RedirKind, path: &[u8]) -> Result<OwnedFd, Errno> {
        let m = Mode::from_raw_mode(0o666);
        let c = OFlags::CLOEXEC;
        match kind {
            RedirKind::In => rustix::fs::open(path, OFlags::RDONLY | c, m),
            RedirKind::Out if self.opts.noclobber => {
                match rustix::fs::open(path, OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | c, m) {
                    Err(Errno::EXIST) => {
                        let st = rustix::fs::stat(path)?;
                        if st.st_mode & 0o170000 == 0o100000 {
                            return Err(Errno::EXIST);
                        }
                        rustix::fs::open(path, OFlags::WRONLY | c, m)
                    }
                    r => r,
                }
            }
            RedirKind::Out | RedirKind::Clobber => {
                rustix::fs::open(path, OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | c, m)
            }
            RedirKind::Append => {
                rustix::fs::open(path, OFlags::WRONLY | OFlags::CREATE | OFlags::APPEND | c, m)
            }
            _ => rustix::fs::open(path, OFlags::RDWR | OFlags::CREATE | c, m),
        }
    }

    fn xtrace(&mut self, assigns: &[(Vec<u8>, Vec<u8>)], words: &[Vec<u8>]) {
        let ps4 = self.vars.get(b"PS4").unwrap_or(b"+ ").to_vec();
        // PS4 is expanded (`PS4='+ $LINENO: '`), without tracing the expansion itself.
        let ps4 = if ps4.contains(&b'$') || ps4.contains(&b'`') {
            let saved = (self.opts.xtrace, self.status);
            self.opts.xtrace = false;
            let w = Parser::new(ps4.clone()).heredoc_parts().ok();
            let v = w.and_then(|w| self.expand_heredoc(&w).ok()).unwrap_or(ps4);
            (self.opts.xtrace, self.status) = saved;
            v
        } else {
            ps4
        };
        self.err.put(&ps4);
        let mut first = true;
        for (k, v) in assigns {
            if !first {
                self.err.byte(b' ');
            }
            first = false;
            self.err.put(k);
            self.err.byte(b'=');
            self.err.put(v);
        }
        for w in words {
            if !first {
                self.err.byte(b' ');
            }
            first = false;
            self.err.put(w);
        }
        self.err.byte(b'\n');
        let _ = self.err.flush();
        self.err.reset();
    }

    fn simple(&mut self, s: &Simple) {
        self.lineno = s.line;
        let substs = self.substs;
        let words = match self.expand_words(&s.words) {
            Ok(w) => w,
            Err(_) => return self.fatal(2),
        };
        // Without a command name, each value is assigned as soon as it is expanded, so
        // `a=1 b=$a` sees the new `a` (kept only for xtrace). Such a command has the status
        // of its last command substitution.
        let only = s.words.is_empty();
        let mut assigns = Vec::with_capacity(if only { 0 } else { s.assigns.len() });
        for (name, w) in &s.assigns {
            let Ok(v) = self.expand_assign(w) else { return self.fatal(2) };
            if only && self.assign(name, &v).is_err() {
                return self.fatal(2);
            }
            if !only || self.opts.xtrace {
                assigns.push((name.clone(), v));
            }
        }
        if self.opts.xtrace && (!words.is_empty() || !assigns.is_empty()) {
            self.xtrace(&assigns, &words);
        }
        let Some(name) = words.first() else {
            let st = if self.substs != substs { self.status } else { 0 };
            for (k, v) in assigns.iter().filter(|_| !only) {
                if self.assign(k, v).is_err() {
                    return self.fatal(2);
                }
            }
            self.status = st;
            if !s.redirs.is_empty() {
                let mut saved = Vec::new();
                let ok = self.redirect(&s.redirs, Some(&mut saved)).is_ok();
                restore(saved);
                if !ok {
                    self.status = 2;
                }
            }
            return;
        };
        if name == b"exec" && words.len() == 1 {
            // `exec` with only redirections: they stay.
            for (k, v) in &assigns {
                if self.assign(k, v).is_err() {
                    return self.fatal(1);
                }
            }
            self.status = 0;
            if self.redirect(&s.redirs, None).is_err() {
                self.fatal(1);
            }
            return;
        }
        let builtin = builtins::find(name);
        if let Some(b) = builtin.filter(|b| b.special) {
            for (k, v) in &assigns {
                if self.assign(k, v).is_err() {
                    return self.fatal(2);
                }
            }
            return self.run_builtin(b.run, &words, &s.redirs, true);
        }
        if let Some(f) = self.funcs.get(name.as_slice()).cloned() {
            return self.call_function(&f, words, &assigns, &s.redirs);
        }
        if let Some(b) = builtin {
            if assigns.is_empty() {
                return self.run_builtin(b.run, &words, &s.redirs, false);
            }
            self.vars.push_frame();
            for (k, v) in &assigns {
                self.vars.make_local(k);
                let _ = self.assign(k, v);
                self.vars.export(k);
            }
            self.run_builtin(b.run, &words, &s.redirs, false);
            self.vars.pop_frame();
            return;
        }
        self.external(words, &assigns, &s.redirs);
    }

    /// Runs a builtin in the shell process, with its redirections undone afterwards.
    pub fn run_builtin(&mut self, f: builtins::Run, words: &[Vec<u8>], redirs: &[Redir], special: bool) {
        let t = core::mem::take(&mut self.tail);
        let mut saved = Vec::new();
        if !redirs.is_empty() && self.redirect(redirs, Some(&mut saved)).is_err() {
            restore(saved);
            self.tail = t;
            if special {
                return self.fatal(2);
            }
            self.status = 2;
            return;
        }
        self.status = f(self, words);
        // A builtin's output that could not be written makes it fail, as for applets.
        match self.out.flush() {
            Ok(()) => {}
            Err(Errno::PIPE) => self.status = 1,
            Err(e) => {
                self.out.reset();
                self.error(&[&words[0], b": write error: ", rt::strerror(e).as_bytes()]);
                self.status = 1;
            }
        }
        self.out.reset();
        restore(saved);
        self.tail = t;
    }

    pub fn call_function(
        &mut self,
        body: &Rc<Node>,
        mut words: Vec<Vec<u8>>,
        assigns: &[(Vec<u8>, Vec<u8>)],
        redirs: &[Redir],
    ) {
        let t = core::mem::take(&mut self.tail);
        let mut saved = Vec::new();
        if !redirs.is_empty() && self.redirect(redirs, Some(&mut saved)).is_err() {
            restore(saved);
            self.status = 2;
            self.tail = t;
            return;
        }
        words.remove(0);
        let old = core::mem::replace(&mut self.params, words);
        let old_loops = core::mem::take(&mut self.loops);
        self.vars.push_frame();
        for (k, v) in assigns {
            self.vars.make_local(k);
            let _ = self.assign(k, v);
            self.vars.export(k);
        }
        self.run(body);
        if self.flow == Flow::Return {
            self.flow = Flow::Normal;
        }
        self.vars.pop_frame();
        self.loops = old_loops;
        self.params = old;
        self.flush_all();
        restore(saved);
        self.tail = t;
    }

    /// Runs a command found by PATH (or an applet), skipping functions and builtins.
    pub fn run_external(&mut self, words: Vec<Vec<u8>>) {
        self.external(words, &[], &[]);
    }

    /// Waits for a background child, giving up when a trapped signal arrives: `None` when
    /// the child ended (its status is recorded), `Some(128 + signal)` when interrupted.
    pub fn wait_interruptible(&mut self, pid: i32) -> Option<i32> {
        let p = Pid::from_raw(pid)?;
        loop {
            match rustix::process::waitpid(Some(p), WaitOptions::empty()) {
                Ok(Some((_, st))) => {
                    let st = decode(st);
                    if let Some(j) = self.jobs.iter_mut().find(|j| j.pid == pid) {
                        j.status = Some(st);
                    }
                    return None;
                }
                Ok(None) => continue,
                Err(Errno::INTR) => {
                    let p = PENDING.load(Ordering::SeqCst);
                    if p != 0 {
                        let sig = p.trailing_zeros() as i32;
                        self.run_traps();
                        return Some(128 + sig);
                    }
                }
                Err(_) => return None,
            }
        }
    }

    fn external(&mut self, words: Vec<Vec<u8>>, assigns: &[(Vec<u8>, Vec<u8>)], redirs: &[Redir]) {
        let Ok(redirs) = self.expand_redirs(redirs) else {
            return self.fatal(2);
        };
        if self.tail && self.traps[0].is_none() {
            self.exec_in_child(words, assigns, &redirs)
        }
        // The environment list is made once here and kept, not in every child.
        self.vars.environ();
        self.flush_all();
        match rt::fork() {
            Ok(None) => {
                self.job_child(0, true);
                self.subshell = true;
                self.child_setup();
                self.exec_in_child(words, assigns, &redirs)
            }
            Ok(Some(pid)) => {
                let pid = pid.as_raw_nonzero().get();
                let pgid = self.job_parent(pid, 0);
                self.status = self.wait_fg(&[pid], pgid, 0).0;
            }
            Err(e) => self.fork_failed(e),
        }
    }

    fn exec_in_child(
        &mut self,
        words: Vec<Vec<u8>>,
        assigns: &[(Vec<u8>, Vec<u8>)],
        redirs: &[(i32, RedirKind, Vec<u8>)],
    ) -> ! {
        for (k, v) in assigns {
            let _ = self.vars.set(k, v);
            self.vars.export(k);
        }
        if self.apply_redirs(redirs, None).is_err() {
            self.flush_all();
            rt::exit(2);
        }
        self.exec_words(words)
    }

    /// Replaces this process with the command (an applet is called directly).
    pub fn exec_words(&mut self, mut words: Vec<Vec<u8>>) -> ! {
        if !words[0].contains(&b'/') {
            if let Some(a) = crate::find(&words[0]) {
                let env = self.vars.take_environ();
                self.flush_all();
                words.remove(0);
                // As run_applet, but nothing is freed before the exit: in a forked child
                // that would only copy pages still shared with the parent.
                let mut cx = crate::common::Cx::new(a.name, words, env);
                let code = (a.main)(&mut cx);
                rt::exit(crate::finish(&mut cx, code));
            }
        }
        let name = words[0].clone();
        let path = match self.find_command(&name) {
            Some(p) => p,
            None => {
                self.error(&[&name, b": not found"]);
                self.flush_all();
                rt::exit(127);
            }
        };
        let env: Vec<CString> = self.vars.environ().iter().map(|e| cstr(e)).collect();
        let args: Vec<CString> = words.iter().map(|a| cstr(a)).collect();
        let cpath = cstr(&path);
        let av: Vec<&core::ffi::CStr> = args.iter().map(|a| a.as_c_str()).collect();
        let ev: Vec<&core::ffi::CStr> = env.iter().map(|a| a.as_c_str()).collect();
        let e = rt::execve(&cpath, &av, &ev);
        if e == Errno::NOEXEC {
            // A script without #!: run it with this shell.
            let me = cstr(b"/proc/self/exe");
            let sh = cstr(b"sh");
            let mut av2: Vec<&core::ffi::CStr> = vec![sh.as_c_str(), cpath.as_c_str()];
            av2.extend(av.iter().skip(1));
            rt::execve(&me, &av2, &ev);
        }
        let code = match e {
            Errno::NOENT | Errno::NOTDIR => {
                self.error(&[&name, b": not found"]);
                127
            }
            _ => {
                self.error(&[&name, b": ", rt::strerror(e).as_bytes()]);
                126
            }
        };
        self.flush_all();
        rt::exit(code)
    }

    /// The PATH search, remembered in the command hash.
    pub fn find_command(&mut self, name: &[u8]) -> Option<Vec<u8>> {
        if name.contains(&b'/') {
            return Some(name.to_vec());
        }
        if let Some(p) = self.hash.get(name) {
            return Some(p.clone());
        }
        let path = self.vars.get(b"PATH").unwrap_or(b"").to_vec();
        for dir in path.split(|&c| c == b':') {
            let dir: &[u8] = if dir.is_empty() { b"." } else { dir };
            let full = crate::common::path::join(dir, name);
            if let Ok(st) = rustix::fs::stat(&full[..]) {
                if st.st_mode & 0o170000 == 0o100000
                    && rustix::fs::access(&full[..], rustix::fs::Access::EXEC_OK).is_ok()
                {
                    self.hash.insert(name.to_vec(), full.clone());
                    return Some(full);
                }
            }
        }
        None
    }

    /// Evaluates a `[[ ]]` expression.
    fn cond_test(&mut self, c: &Cond) -> Result<bool, Abort> {
        Ok(match c {
            Cond::Not(c) => !self.cond_test(c)?,
            Cond::And(a, b) => self.cond_test(a)? && self.cond_test(b)?,
            Cond::Or(a, b) => self.cond_test(a)? || self.cond_test(b)?,
            Cond::Word(w) => !self.expand_plain(w)?.is_empty(),
            Cond::Unary(op, w) => {
                let v = self.expand_plain(w)?;
                let op: &[u8] = if op == b"-a" { b"-e" } else { op };
                crate::applets::test::eval(&[op, &v]).unwrap_or(false)
            }
            Cond::Binary(l, op, r) => {
                let lv = self.expand_plain(l)?;
                if op == b"==" || op == b"=" || op == b"!=" {
                    let pat = self.expand_pattern(r)?;
                    let m = glob::matches(&pat, &lv);
                    return Ok(if op == b"!=" { !m } else { m });
                }
                let rv = self.expand_plain(r)?;
                match crate::applets::test::eval(&[&lv, op, &rv]) {
                    Ok(b) => b,
                    Err(_) => {
                        self.error(&[b"[[: ", op, b": bad comparison"]);
                        return Err(Abort);
                    }
                }
            }
        })
    }
}

/// Puts back descriptors saved by [`Shell::redirect`].
pub fn restore(saved: Vec<(i32, i32)>) {
    for (fd, copy) in saved.into_iter().rev() {
        if copy >= 0 {
            let _ = rt::dup2(copy, fd);
            let _ = rt::close(copy);
        } else {
            let _ = rt::close(fd);
        }
    }
}

/// A C string of `s` (cut at a NUL byte, which C strings cannot hold).
pub fn cstr(s: &[u8]) -> CString {
    let end = memchr::memchr(0, s).unwrap_or(s.len());
    CString::new(&s[..end]).unwrap_or_default()
}

/// A readable descriptor holding `body`: a pipe when it fits, else a memory file.
fn heredoc_fd(body: &[u8]) -> Result<OwnedFd, Errno> {
    if body.len() <= 16384 {
        let (r, w) = rustix::pipe::pipe_with(rustix::pipe::PipeFlags::CLOEXEC)?;
        crate::common::out::write_all(w.as_raw_fd(), body)?;
        return Ok(r);
    }
    let fd = rustix::fs::memfd_create("sh-heredoc", rustix::fs::MemfdFlags::CLOEXEC)?;
    crate::common::out::write_all(fd.as_raw_fd(), body)?;
    rustix::fs::seek(&fd, rustix::fs::SeekFrom::Start(0))?;
    Ok(fd)
}
