//! A pseudo-terminal driver for interactive tests (the shell's line editor, job control):
//! runs a command with a new pty as its controlling terminal and stdin/stdout/stderr,
//! sends keys, waits for output with timeouts, and renders the output on a small screen
//! model so tests can assert what a user would see.
//!
//! ```no_run
//! use behaviour_tests::pty::Pty;
//! let mut p = Pty::spawn(std::process::Command::new("/bin/dash").arg("-i"));
//! p.expect("$ ");
//! p.send(b"echo $((6*7))\r");
//! p.expect("42");
//! ```
//!
//! This is host test code: it calls libc (posix_openpt, ioctl, setsid) through `unsafe`.
use std::ffi::CStr;
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// How long `expect` waits unless told otherwise.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// A command running on a pseudo-terminal.
pub struct Pty {
    master: File,
    child: Child,
    /// Everything the command wrote so far.
    out: Vec<u8>,
    /// Where the last successful `expect` ended.
    seen: usize,
    eof: bool,
}

fn check(r: libc::c_int, what: &str) -> libc::c_int {
    assert!(r >= 0, "{what}: {}", std::io::Error::last_os_error());
    r
}

fn set_size(fd: libc::c_int, rows: u16, cols: u16) {
    let ws = libc::winsize { ws_row: rows, ws_col: cols, ws_xpixel: 0, ws_ypixel: 0 };
    // SAFETY: TIOCSWINSZ reads one winsize struct, which lives across the call.
    check(unsafe { libc::ioctl(fd, libc::TIOCSWINSZ, &ws) }, "TIOCSWINSZ");
}

impl Pty {
    /// Starts `cmd` on a new 24x80 terminal.
    pub fn spawn(cmd: &mut Command) -> Pty {
        Pty::spawn_sized(cmd, 24, 80)
    }

    /// Starts `cmd` on a new terminal of `rows` x `cols` (0 x 0: size unknown). The command
    /// leads a new session whose controlling terminal is the pty, as a login shell's is.
    pub fn spawn_sized(cmd: &mut Command, rows: u16, cols: u16) -> Pty {
        // SAFETY: plain libc calls on a descriptor we own; ptsname_r writes at most
        // `name.len()` bytes into `name`.
        let (master, slave) = unsafe {
            let m =
                check(libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC), "posix_openpt");
            let master = OwnedFd::from_raw_fd(m);
            check(libc::grantpt(m), "grantpt");
            check(libc::unlockpt(m), "unlockpt");
            let mut name = [0 as libc::c_char; 128];
            assert_eq!(libc::ptsname_r(m, name.as_mut_ptr(), name.len()), 0, "ptsname_r");
            let s = check(
                libc::open(name.as_ptr(), libc::O_RDWR | libc::O_NOCTTY | libc::O_CLOEXEC),
                &format!("open {:?}", CStr::from_ptr(name.as_ptr())),
            );
            (master, OwnedFd::from_raw_fd(s))
        };
        set_size(master.as_raw_fd(), rows, cols);
        let slave = File::from(slave);
        cmd.stdin(Stdio::from(slave.try_clone().unwrap()))
            .stdout(Stdio::from(slave.try_clone().unwrap()))
            .stderr(Stdio::from(slave));
        // SAFETY: between fork and exec the child only calls async-signal-safe setsid and
        // ioctl; stdin is the pty slave by then. (A Command spawned again runs this twice:
        // the second setsid fails harmlessly, the process already leads its session.)
        unsafe {
            cmd.pre_exec(|| {
                libc::setsid();
                if libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = cmd.spawn().expect("spawn on pty");
        // Close our copies of the slave, so the end of the command shows as EIO.
        cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
        Pty { master: File::from(master), child, out: Vec::new(), seen: 0, eof: false }
    }

    /// Types `keys` (raw bytes: `\r` is Enter, `\x03` Ctrl-C, `\x1b[A` Up ...). Wait for
    /// the prompt first: keys sent earlier meet a terminal still in cooked mode (echoed by
    /// the kernel, and Ctrl-C becomes SIGINT for whatever runs).
    pub fn send(&mut self, keys: &[u8]) {
        self.master.write_all(keys).expect("write to pty");
        self.master.flush().unwrap();
    }

    /// Reads what is available within `wait`; false when nothing came (or the end).
    fn pump(&mut self, wait: Duration) -> bool {
        if self.eof {
            return false;
        }
        let mut p = libc::pollfd { fd: self.master.as_raw_fd(), events: libc::POLLIN, revents: 0 };
        let ms = wait.as_millis().min(i32::MAX as u128) as libc::c_int;
        // SAFETY: poll reads and writes one pollfd that lives across the call.
        let n = unsafe { libc::poll(&mut p, 1, ms) };
        if n <= 0 {
            return false;
        }
        let mut buf = [0u8; 4096];
        match self.master.read(&mut buf) {
            Ok(0) | Err(_) => {
                // EIO: every slave descriptor is closed (the command ended).
                self.eof = true;
                false
            }
            Ok(n) => {
                self.out.extend_from_slice(&buf[..n]);
                true
            }
        }
    }

    /// Waits until `needle` appears in the output after the previous match; returns the
    /// output from there up to the end of the match. Panics with the output on timeout.
    #[track_caller]
    pub fn expect(&mut self, needle: &str) -> String {
        match self.try_expect(needle, TIMEOUT) {
            Ok(s) => s,
            Err(s) => panic!("timed out waiting for {needle:?}; output since the last match:\n{s:?}"),
        }
    }

    /// Like `expect`, with a timeout; `Err` holds the output seen since the last match.
    pub fn try_expect(&mut self, needle: &str, timeout: Duration) -> Result<String, String> {
        let end = Instant::now() + timeout;
        let n = needle.as_bytes();
        loop {
            let hay = &self.out[self.seen..];
            if let Some(i) = hay.windows(n.len().max(1)).position(|w| w == n) {
                let upto = self.seen + i + n.len();
                let text = String::from_utf8_lossy(&self.out[self.seen..upto]).into_owned();
                self.seen = upto;
                return Ok(text);
            }
            let now = Instant::now();
            if now >= end || (self.eof && !self.pump(Duration::ZERO)) {
                return Err(String::from_utf8_lossy(&self.out[self.seen..]).into_owned());
            }
            self.pump(end - now);
        }
    }

    /// Collects output for `d` (for checking that something does NOT appear).
    pub fn read_for(&mut self, d: Duration) -> String {
        let start = self.out.len();
        let end = Instant::now() + d;
        while let Some(left) = end.checked_duration_since(Instant::now()) {
            if !self.pump(left) && self.eof {
                break;
            }
        }
        String::from_utf8_lossy(&self.out[start..]).into_owned()
    }

    /// Everything the command wrote so far.
    pub fn output(&self) -> &[u8] {
        &self.out
    }

    /// The output so far as it would look on a `cols`-column screen (see [`Screen`]).
    pub fn screen(&self, cols: usize) -> Screen {
        let mut s = Screen::new(cols);
        s.put(&self.out);
        s
    }

    /// Changes the terminal size (the command gets SIGWINCH).
    pub fn resize(&mut self, rows: u16, cols: u16) {
        set_size(self.master.as_raw_fd(), rows, cols);
    }

    /// Waits for the command to end, reading its output meanwhile; `None` on timeout.
    pub fn wait(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let end = Instant::now() + timeout;
        loop {
            if let Some(st) = self.child.try_wait().unwrap() {
                while self.pump(Duration::from_millis(20)) {}
                return Some(st);
            }
            let left = end.checked_duration_since(Instant::now())?;
            if !self.pump(left.min(Duration::from_millis(20))) {
                std::thread::sleep(Duration::from_millis(5));
            }
        }
    }

    /// The command's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A screen model good enough for line editors: printable UTF-8 (one column a character),
/// `\r`, `\n`, backspace, auto-wrap at the last column, and CSI `A B C D H J K m`. Rows are
/// never dropped (scrolling keeps them all).
pub struct Screen {
    pub rows: Vec<Vec<String>>,
    pub row: usize,
    pub col: usize,
    cols: usize,
}

impl Screen {
    pub fn new(cols: usize) -> Screen {
        Screen { rows: vec![Vec::new()], row: 0, col: 0, cols: cols.max(1) }
    }

    fn down(&mut self) {
        self.row += 1;
        while self.rows.len() <= self.row {
            self.rows.push(Vec::new());
        }
    }

    pub fn put(&mut self, bytes: &[u8]) {
        let text = String::from_utf8_lossy(bytes);
        let mut it = text.chars().peekable();
        while let Some(c) = it.next() {
            match c {
                '\x1b' => {
                    if it.peek() != Some(&'[') {
                        it.next();
                        continue;
                    }
                    it.next();
                    let mut params = String::new();
                    let mut fin = '\0';
                    for c in it.by_ref() {
                        if ('\x40'..='\x7e').contains(&c) {
                            fin = c;
                            break;
                        }
                        params.push(c);
                    }
                    let n = params.split(';').next().and_then(|p| p.parse().ok()).unwrap_or(1usize).max(1);
                    match fin {
                        'A' => self.row = self.row.saturating_sub(n),
                        'B' => (0..n).for_each(|_| self.down()),
                        'C' => self.col = (self.col + n).min(self.cols - 1),
                        'D' => self.col = self.col.saturating_sub(n),
                        'H' => (self.row, self.col) = (0, 0),
                        'J' => {
                            self.rows = vec![Vec::new()];
                            self.row = 0;
                        }
                        'K' => self.rows[self.row].truncate(self.col),
                        _ => {}
                    }
                }
                '\r' => self.col = 0,
                '\n' => self.down(),
                '\x08' => self.col = self.col.saturating_sub(1),
                c if (c as u32) < 0x20 || c == '\x7f' => {}
                c => {
                    if self.col >= self.cols {
                        self.col = 0;
                        self.down();
                    }
                    let r = &mut self.rows[self.row];
                    while r.len() <= self.col {
                        r.push(" ".into());
                    }
                    r[self.col] = c.to_string();
                    self.col += 1;
                }
            }
        }
    }

    /// Row `i` as text (trailing blanks kept as written).
    pub fn line(&self, i: usize) -> String {
        self.rows.get(i).map(|r| r.concat()).unwrap_or_default()
    }

    /// The row the cursor is on.
    pub fn current(&self) -> String {
        self.line(self.row)
    }

    /// All rows, one per line.
    pub fn text(&self) -> String {
        (0..self.rows.len()).map(|i| self.line(i)).collect::<Vec<_>>().join("\n")
    }
}
