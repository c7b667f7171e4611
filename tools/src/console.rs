//! A console driver for boot tests: runs QEMU with the guest's serial line on pipes, waits
//! (with generous deadlines: TCG is slow) for text to appear, types commands and collects
//! their output and exit status. Everything the guest printed is kept as a transcript (and
//! written to a log file when one is given) so that a failure shows what happened.
use crate::util::Result;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

pub struct Console {
    child: Child,
    stdin: Option<ChildStdin>,
    rx: Receiver<Vec<u8>>,
    /// Everything received, with `\r` removed.
    text: String,
    /// Where the next wait starts looking.
    pos: usize,
    log: Option<std::fs::File>,
    closed: bool,
}

/// The end of the last `n` characters of `s`, for error messages.
fn tail(s: &str, n: usize) -> &str {
    let mut start = s.len().saturating_sub(n);
    while !s.is_char_boundary(start) {
        start += 1;
    }
    &s[start..]
}

/// `t` without the terminal control sequences (`ESC [ ... final`) at its end: line editors
/// send some after the prompt (a cursor position query, for example).
pub fn without_trailing_escapes(mut t: &str) -> &str {
    while let Some(i) = t.rfind('\x1b') {
        let seq = &t[i + 1..];
        let csi = seq.strip_prefix('[').is_some_and(|body| {
            let params = body.trim_end_matches(|c: char| ('@'..='~').contains(&c));
            body.len() == params.len() + 1
                && params.chars().all(|c| c.is_ascii_digit() || c == ';' || c == '?')
        });
        if !csi {
            break;
        }
        t = &t[..i];
    }
    t
}

impl Console {
    /// Starts `cmd` (a QEMU command whose serial line is its standard input and output).
    pub fn spawn(mut cmd: Command, log: Option<PathBuf>) -> Result<Console> {
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().map_err(|e| format!("{}: {e}", cmd.get_program().to_string_lossy()))?;
        let (tx, rx) = channel();
        for mut pipe in [
            Box::new(child.stdout.take().ok_or("no stdout")?) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().ok_or("no stderr")?),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n @ 1..) = pipe.read(&mut buf) {
                    if tx.send(buf[..n].to_vec()).is_err() {
                        break;
                    }
                }
            });
        }
        let log = match log {
            Some(p) => {
                crate::util::mkparent(&p)?;
                Some(std::fs::File::create(&p).map_err(|e| format!("{}: {e}", p.display()))?)
            }
            None => None,
        };
        let stdin = child.stdin.take();
        Ok(Console { child, stdin, rx, text: String::new(), pos: 0, log, closed: false })
    }

    /// Everything the guest printed so far.
    pub fn transcript(&self) -> &str {
        &self.text
    }

    /// Receives output until `deadline`; false when nothing more can come.
    fn pump(&mut self, deadline: Instant) -> bool {
        let now = Instant::now();
        if self.closed || now >= deadline {
            return false;
        }
        match self.rx.recv_timeout(deadline - now) {
            Ok(bytes) => {
                if let Some(f) = &mut self.log {
                    let _ = f.write_all(&bytes);
                }
                self.text.extend(String::from_utf8_lossy(&bytes).chars().filter(|&c| c != '\r'));
                true
            }
            Err(RecvTimeoutError::Timeout) => false,
            Err(RecvTimeoutError::Disconnected) => {
                self.closed = true;
                false
            }
        }
    }

    /// Waits until `found` recognises the output since the last match: it returns the
    /// length of what it consumed and a value. Fails after `timeout`, or when QEMU is gone,
    /// with the end of the transcript.
    pub fn wait_until<T>(
        &mut self,
        what: &str,
        timeout: Duration,
        mut found: impl FnMut(&str) -> Option<(usize, T)>,
    ) -> Result<T> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some((used, v)) = found(&self.text[self.pos..]) {
                self.pos += used;
                return Ok(v);
            }
            if !self.pump(deadline) && (self.closed || Instant::now() >= deadline) {
                // drain what is already there before giving up
                while self.pump(Instant::now() + Duration::from_millis(50)) {}
                if let Some((used, v)) = found(&self.text[self.pos..]) {
                    self.pos += used;
                    return Ok(v);
                }
                let why = if self.closed { "QEMU exited" } else { "timed out" };
                return Err(format!(
                    "{why} after {timeout:?} waiting for {what}; the console said:\n{}",
                    tail(&self.text, 3000)
                ));
            }
        }
    }

    /// Waits for `needle`; returns the output before it.
    pub fn expect(&mut self, needle: &str, timeout: Duration) -> Result<String> {
        self.wait_until(&format!("{needle:?}"), timeout, |t| {
            t.find(needle).map(|i| (i + needle.len(), t[..i].to_string()))
        })
    }

    /// Waits for the first of `needles`; returns its index and the output before it.
    pub fn expect_any(&mut self, needles: &[&str], timeout: Duration) -> Result<(usize, String)> {
        self.wait_until(&format!("one of {needles:?}"), timeout, |t| {
            needles
                .iter()
                .enumerate()
                .filter_map(|(k, n)| t.find(n).map(|i| (i, k, n.len())))
                .min()
                .map(|(i, k, len)| (i + len, (k, t[..i].to_string())))
        })
    }

    /// Waits for a shell prompt: output that ends in `# ` or `$ ` (perhaps followed by
    /// terminal control sequences) and then stays quiet for a moment.
    pub fn expect_prompt(&mut self, timeout: Duration) -> Result<String> {
        let deadline = Instant::now() + timeout;
        let at_prompt = |t: &str| {
            let shown = without_trailing_escapes(t);
            shown.ends_with("# ") || shown.ends_with("$ ")
        };
        loop {
            if at_prompt(&self.text[self.pos..]) {
                let len = self.text.len();
                let settle = Instant::now() + Duration::from_millis(700);
                while self.pump(settle) {}
                if self.text.len() == len {
                    let before = self.text[self.pos..].to_string();
                    self.pos = len;
                    return Ok(before);
                }
                continue;
            }
            if !self.pump(deadline) && (self.closed || Instant::now() >= deadline) {
                let why = if self.closed { "QEMU exited" } else { "timed out" };
                return Err(format!(
                    "{why} after {timeout:?} waiting for a shell prompt; the console said:\n{}",
                    tail(&self.text, 3000)
                ));
            }
        }
    }

    /// Types `s` on the serial line.
    pub fn send(&mut self, s: &str) -> Result<()> {
        let stdin = self.stdin.as_mut().ok_or("the console's input is closed")?;
        stdin.write_all(s.as_bytes()).and_then(|_| stdin.flush()).map_err(|e| format!("typing {s:?}: {e}"))
    }

    /// Runs a shell command line at the prompt; returns its exit status and its output
    /// (without the echo of the command and without the final prompt).
    pub fn run(&mut self, cmd: &str, timeout: Duration) -> Result<(i32, String)> {
        // The typed line shows `@@""K1RC=$?@@`; only the shell's output has `@@K1RC=<n>@@`.
        self.send(&format!("{cmd}; echo \"@@\"\"K1RC=$?@@\"\n"))?;
        let (code, out) = self.wait_until(&format!("the end of `{cmd}`"), timeout, |t| {
            let mut from = 0;
            while let Some(i) = t[from..].find("@@K1RC=") {
                let at = from + i;
                let rest = &t[at + 7..];
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                if !digits.is_empty() && rest[digits.len()..].starts_with("@@") {
                    let mut body = &t[..at];
                    // drop the echo of the typed line (however the terminal wrapped it)
                    if let Some(j) = body.rfind("K1RC=$?@@\"") {
                        body = body[j..].split_once('\n').map(|(_, b)| b).unwrap_or("");
                    }
                    let code = digits.parse().unwrap_or(-1);
                    return Some((at + 7 + digits.len() + 2, (code, body.to_string())));
                }
                from = at + 7;
            }
            None
        })?;
        self.expect_prompt(timeout)?;
        Ok((code, out))
    }

    /// Like [`Console::run`], but fails unless the command succeeds; returns its output.
    pub fn ok(&mut self, cmd: &str, timeout: Duration) -> Result<String> {
        let (code, out) = self.run(cmd, timeout)?;
        if code == 0 {
            Ok(out)
        } else {
            Err(format!("`{cmd}` exited with {code}:\n{out}"))
        }
    }

    /// Waits for QEMU to exit by itself (the guest powered off).
    pub fn wait_exit(&mut self, timeout: Duration) -> Result<ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().map_err(|e| format!("qemu: {e}"))? {
                while self.pump(Instant::now() + Duration::from_millis(50)) {}
                return Ok(status);
            }
            if Instant::now() >= deadline {
                return Err(format!(
                    "QEMU did not exit within {timeout:?}; the console said:\n{}",
                    tail(&self.text, 3000)
                ));
            }
            if !self.pump(Instant::now() + Duration::from_millis(200)) && self.closed {
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
}

impl Drop for Console {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in guest: a shell reading the "serial line" from stdin.
    fn fake_guest() -> Console {
        let mut c = Command::new("sh");
        c.args(["-c", "printf 'booting...\\nroot@k1os:/# '; exec sh -i 2>&1"]).env("PS1", "# ");
        Console::spawn(c, None).unwrap()
    }

    #[test]
    fn prompts_are_seen_through_trailing_control_sequences() {
        assert_eq!(without_trailing_escapes("root@k1os:/# \x1b[6n"), "root@k1os:/# ");
        assert_eq!(without_trailing_escapes("# \x1b[?25h\x1b[K"), "# ");
        assert_eq!(without_trailing_escapes("a\x1b[1mb"), "a\x1b[1mb");
    }

    #[test]
    fn expect_waits_for_text_and_returns_what_came_before() {
        let mut c = fake_guest();
        assert_eq!(c.expect("...", Duration::from_secs(10)).unwrap(), "booting");
        let err = c.expect("never", Duration::from_millis(300)).unwrap_err();
        assert!(err.contains("timed out") && err.contains("root@k1os"), "{err}");
    }

    #[test]
    fn run_returns_status_and_output_only() {
        let mut c = fake_guest();
        c.expect_prompt(Duration::from_secs(10)).unwrap();
        let (code, out) = c.run("echo one; echo two; false", Duration::from_secs(10)).unwrap();
        assert_eq!(code, 1);
        assert!(out.ends_with("one\ntwo\n"), "{out:?}");
        assert_eq!(c.ok("echo $((6*7))", Duration::from_secs(10)).unwrap().trim_end(), "42");
        c.send("exit\n").unwrap();
        assert!(c.wait_exit(Duration::from_secs(10)).unwrap().success());
    }
}
