//! Job control for an interactive shell on a terminal (POSIX XCU 2.11, `set -m`): each
//! pipeline in a process group of its own, the terminal handed to the foreground job and
//! taken back, Ctrl-Z stopping a job, `%n %% %+ %-` job specs, and notices of finished
//! background jobs before the next prompt. The builtins `jobs fg bg` are in `builtins`.
use alloc::vec;
use alloc::vec::Vec;
use rustix::io::Errno;
use rustix::process::{self, Pid, Signal, WaitOptions};

use super::exec::{decode, Job, Shell};
use super::interactive::Watched;
use crate::common::num::push_u64;
use crate::rt;

/// SIGTSTP, SIGTTIN, SIGTTOU: ignored by the shell, default in its jobs.
const STOP_SIGNALS: [i32; 3] = [20, 21, 22];

/// What a signal that ended a process is called, as the shells print it.
fn signal_text(sig: i32) -> &'static [u8] {
    match sig {
        1 => b"Hangup",
        3 => b"Quit",
        4 => b"Illegal instruction",
        5 => b"Trace/breakpoint trap",
        6 => b"Aborted",
        7 => b"Bus error",
        8 => b"Floating point exception",
        9 => b"Killed",
        10 => b"User defined signal 1",
        11 => b"Segmentation fault",
        12 => b"User defined signal 2",
        14 => b"Alarm clock",
        15 => b"Terminated",
        24 => b"CPU time limit exceeded",
        25 => b"File size limit exceeded",
        31 => b"Bad system call",
        _ => b"",
    }
}

/// A foreground command that a signal ended (other than Ctrl-C's and a broken pipe's):
/// `Terminated`, `Segmentation fault (core dumped)`... on stderr, as sh and bash report it.
fn report_signal(st: rustix::process::WaitStatus) {
    let Some(sig) = st.terminating_signal().filter(|&s| s != 2 && s != 13) else { return };
    let mut t = Vec::new();
    match signal_text(sig) {
        b"" => {
            t.extend_from_slice(b"Signal ");
            push_u64(&mut t, sig as u64);
        }
        name => t.extend_from_slice(name),
    }
    if st.as_raw() & 0x80 != 0 {
        t.extend_from_slice(b" (core dumped)");
    }
    t.push(b'\n');
    let _ = crate::common::out::write_all(2, &t);
}

/// The rest of a job's line after its `[N]+ `: ` STATE  COMMAND` and the newline.
pub fn push_job_rest(t: &mut Vec<u8>, state: &[u8], cmd: &[u8]) {
    t.push(b' ');
    t.extend_from_slice(state);
    t.extend_from_slice(b"  ");
    t.extend_from_slice(cmd);
    t.push(b'\n');
}

/// A job's state as `jobs` words it: `Running`, `Stopped`, `Done`, `Exit N`, `Killed`...
pub fn state_word(status: Option<i32>, stopped: bool) -> Vec<u8> {
    match status {
        None if stopped => b"Stopped".to_vec(),
        None => b"Running".to_vec(),
        Some(0) => b"Done".to_vec(),
        Some(130) => b"Interrupt".to_vec(),
        Some(s) if s > 128 && !signal_text(s - 128).is_empty() => signal_text(s - 128).to_vec(),
        Some(s) => {
            let mut v = b"Exit ".to_vec();
            push_u64(&mut v, s as u64);
            v
        }
    }
}

impl Shell {
    /// Turns job control on: the shell leads its own process group and owns the terminal.
    pub fn start_job_control(&mut self) {
        if !rustix::termios::isatty(rt::stdin()) {
            return;
        }
        for sig in STOP_SIGNALS {
            let _ = rt::set_signal(sig, rt::Handler::Ignore, true);
        }
        let me = process::getpid();
        if process::getpgrp() != me {
            let _ = process::setpgid(None, None);
        }
        if rustix::termios::tcsetpgrp(rt::stdin(), me).is_ok() {
            self.jc = true;
            self.opts.monitor = true;
            self.shell_pgid = me.as_raw_nonzero().get();
        }
    }

    /// After `set -m` or `set +m`: job control follows the option (on only where the
    /// terminal can be had).
    pub fn sync_job_control(&mut self) {
        if self.opts.monitor && !self.jc && !self.subshell {
            self.start_job_control();
            if !self.jc {
                self.opts.monitor = false;
                self.error(&[b"can't access tty; job control turned off"]);
            }
        } else if !self.opts.monitor && self.jc {
            self.take_terminal();
            self.jc = false;
        }
    }

    /// Before an interactive shell leaves: the first time stopped jobs remain, says so and
    /// returns true (the shell stays); a second `exit` leaves them to the kernel's SIGHUP.
    pub fn stopped_jobs_warning(&mut self) -> bool {
        if !self.jc || self.stop_warned || !self.jobs.iter().any(|j| j.stopped) {
            return false;
        }
        self.stop_warned = true;
        let _ = crate::common::out::write_all(2, b"You have stopped jobs.\n");
        true
    }

    /// In a child forked for a job: joins process group `pgid` (0: one of its own), takes
    /// the terminal when it runs in the foreground, and lets the stop signals act again.
    pub fn job_child(&mut self, pgid: i32, fg: bool) {
        if !self.jc {
            return;
        }
        self.jc = false;
        let g = Pid::from_raw(pgid).unwrap_or_else(process::getpid);
        let _ = process::setpgid(None, Some(g));
        if fg {
            let _ = rustix::termios::tcsetpgrp(rt::stdin(), g);
        }
        for sig in STOP_SIGNALS {
            let _ = rt::set_signal(sig, rt::Handler::Default, true);
        }
    }

    /// In the shell after forking `child` for the job of group `pgid` (0: the child leads
    /// it): the child's setpgid done here as well, whichever runs first. The group, or 0
    /// without job control.
    pub fn job_parent(&self, child: i32, pgid: i32) -> i32 {
        if !self.jc {
            return 0;
        }
        let g = if pgid == 0 { child } else { pgid };
        let _ = process::setpgid(Pid::from_raw(child), Pid::from_raw(g));
        g
    }

    /// Waits for the processes of a foreground job, giving it the terminal meanwhile:
    /// the last one's status and the last failing one's (for pipefail). A stop makes it a
    /// stopped job (status 128 + the signal) numbered `id` (0: a new number).
    pub fn wait_fg(&mut self, pids: &[i32], pgid: i32, id: u32) -> (i32, i32) {
        let jc = self.jc && pgid != 0;
        if jc {
            if let Some(g) = Pid::from_raw(pgid) {
                let _ = rustix::termios::tcsetpgrp(rt::stdin(), g);
            }
        }
        let (mut last, mut fail) = (0, 0);
        let opts = if jc { WaitOptions::UNTRACED } else { WaitOptions::empty() };
        for (i, &pid) in pids.iter().enumerate() {
            let Some(p) = Pid::from_raw(pid) else { continue };
            last = loop {
                match process::waitpid(Some(p), opts) {
                    Ok(Some((_, st))) if st.stopped() => {
                        let sig = st.stopping_signal().unwrap_or(20);
                        let cmd = core::mem::take(&mut self.cmd_text);
                        let id = if id == 0 { self.next_job_id() } else { id };
                        let job = Job {
                            pid: pids.last().copied().unwrap_or(pid),
                            status: None,
                            pgid,
                            id,
                            cmd,
                            stopped: true,
                            pids: pids[i..].to_vec(),
                        };
                        self.jobs.push(job);
                        let _ = crate::common::out::write_all(2, b"\n");
                        self.job_line(self.jobs.len() - 1, b"Stopped", true);
                        self.take_terminal();
                        return (128 + sig, 128 + sig);
                    }
                    Ok(Some((_, st))) => {
                        report_signal(st);
                        break decode(st);
                    }
                    Ok(None) | Err(Errno::INTR) => continue,
                    Err(_) => break 127,
                }
            };
            if last != 0 {
                fail = last;
            }
        }
        if jc {
            self.take_terminal();
            if last == 130 {
                // Ctrl-C ended the job: the prompt goes on a line of its own.
                let _ = crate::common::out::write_all(2, b"\n");
            }
        }
        (last, fail)
    }

    fn take_terminal(&mut self) {
        if let Some(me) = Pid::from_raw(self.shell_pgid) {
            let _ = rustix::termios::tcsetpgrp(rt::stdin(), me);
        }
    }

    pub fn next_job_id(&self) -> u32 {
        self.jobs.iter().map(|j| j.id).max().unwrap_or(0) + 1
    }

    /// The job a spec names: `%n`, `%%`, `%+` or `%` (the current one), `%-` (the one
    /// before), or a process ID.
    pub fn find_job(&self, spec: &[u8]) -> Option<usize> {
        let n = self.jobs.len();
        match spec.strip_prefix(b"%") {
            Some(b"%" | b"+" | b"") => n.checked_sub(1),
            Some(b"-") => n.checked_sub(2),
            Some(num) => {
                let id = crate::common::num::parse_u64(num)?;
                self.jobs.iter().position(|j| u64::from(j.id) == id)
            }
            None => {
                let pid = crate::common::num::parse_i64(spec)?;
                self.jobs.iter().position(|j| i64::from(j.pid) == pid)
            }
        }
    }

    /// `[ID]+ ` for job `i` (`+` current, `-` the one before), then `PID ` when `pid`.
    fn job_head(&self, i: usize, pid: bool) -> Vec<u8> {
        let (j, n) = (&self.jobs[i], self.jobs.len());
        let mut t = vec![b'['];
        push_u64(&mut t, u64::from(j.id));
        t.push(b']');
        t.push(if i + 1 == n {
            b'+'
        } else if i + 2 == n {
            b'-'
        } else {
            b' '
        });
        t.push(b' ');
        if pid {
            push_u64(&mut t, j.pid as u64);
            t.push(b' ');
        }
        t
    }

    /// Prints `[ID]+  STATE  COMMAND` for job `i`, on stderr for notices.
    pub fn job_line(&mut self, i: usize, state: &[u8], to_err: bool) {
        self.job_line_pid(i, state, to_err, false)
    }

    /// [`Shell::job_line`], with the job's process ID when `pid` (`jobs -l`).
    pub fn job_line_pid(&mut self, i: usize, state: &[u8], to_err: bool, pid: bool) {
        if i >= self.jobs.len() {
            return;
        }
        let mut t = self.job_head(i, pid);
        push_job_rest(&mut t, state, &self.jobs[i].cmd);
        if to_err {
            let _ = self.out.flush();
            let _ = crate::common::out::write_all(2, &t);
        } else {
            self.out.put(&t);
        }
    }

    /// The state word of job `i` for `jobs` and notices.
    pub fn job_state(&self, i: usize) -> Vec<u8> {
        state_word(self.jobs[i].status, self.jobs[i].stopped)
    }

    /// The running background jobs, for `set -b` to report while a line is edited.
    pub fn watched_jobs(&self) -> Vec<Watched> {
        if !self.jc {
            return Vec::new();
        }
        (0..self.jobs.len())
            .filter(|&i| self.jobs[i].status.is_none() && !self.jobs[i].stopped)
            .map(|i| Watched {
                pid: self.jobs[i].pid,
                head: self.job_head(i, false),
                cmd: self.jobs[i].cmd.clone(),
                status: None,
            })
            .collect()
    }

    /// Before a prompt: reports background jobs that ended and forgets them.
    pub fn notify_jobs(&mut self) {
        if !self.jc {
            return;
        }
        self.reap_jobs();
        let mut i = 0;
        while i < self.jobs.len() {
            if self.jobs[i].status.is_some() {
                let st = self.job_state(i);
                self.job_line(i, &st, true);
                self.jobs.remove(i);
            } else {
                i += 1;
            }
        }
    }

    /// `fg` and `bg`: continues job `i` in the foreground (its status) or the background.
    pub fn continue_job(&mut self, i: usize, fg: bool) -> i32 {
        let j = &mut self.jobs[i];
        j.stopped = false;
        let (pgid, pid) = (j.pgid, j.pid);
        let mut line = if fg { Vec::new() } else { self.job_head(i, false) };
        let j = &self.jobs[i];
        line.extend_from_slice(&j.cmd);
        if !fg {
            line.extend_from_slice(b" &");
        }
        line.push(b'\n');
        self.out.put(&line);
        let _ = self.out.flush();
        let target = Pid::from_raw(pgid.max(0)).or(Pid::from_raw(pid));
        if let Some(p) = target {
            let sig = Signal::CONT;
            let _ =
                if pgid > 0 { process::kill_process_group(p, sig) } else { process::kill_process(p, sig) };
        }
        if !fg {
            return 0;
        }
        let j = self.jobs.remove(i);
        if let Some(st) = j.status {
            return st;
        }
        self.cmd_text = j.cmd;
        self.wait_fg(&j.pids, j.pgid, j.id).0
    }
}

#[cfg(test)]
mod tests {
    use super::state_word;

    #[test]
    fn states_are_worded_as_jobs_shows_them() {
        assert_eq!(state_word(None, false), b"Running");
        assert_eq!(state_word(None, true), b"Stopped");
        assert_eq!(state_word(Some(0), false), b"Done");
        assert_eq!(state_word(Some(3), false), b"Exit 3");
        assert_eq!(state_word(Some(137), false), b"Killed");
        assert_eq!(state_word(Some(143), false), b"Terminated");
    }
}
