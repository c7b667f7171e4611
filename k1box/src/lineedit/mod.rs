//! The interactive line editor: Emacs-style editing keys, history with Ctrl-R search, and
//! Tab completion, on any terminal including a dumb serial line.
//!
//! - `edit`: the key decoder and editing state machine (pure; all keys are tested there).
//! - `history`: the history list, `$HISTFILE` load/save, the `history` listing.
//! - `complete`: file-name and command-name completers for the shell.
//! - `prompt`: PS1 backslash escapes.
//!
//! [`LineEditor::read_line`] puts the terminal into raw mode (no echo, no canonical input,
//! no signals from keys) for the time of one line and always restores it before returning.
//! The width comes from TIOCGWINSZ (80 when unknown); the terminal is never queried, so
//! nothing is left on lines that do not answer. When the input is not a terminal it reads a
//! plain line.
//!
//! Keys: printable text inserts; Left/Right, Ctrl-B/F; Home/End, Ctrl-A/E; Alt-B/F and
//! Ctrl/Alt+arrows by words; Backspace/Ctrl-H, Delete; Ctrl-K/U/W, Alt-Backspace, Alt-D
//! kill, Ctrl-Y yanks; Ctrl-T transposes; Ctrl-L clears the screen; Ctrl-D deletes or ends
//! input on an empty line; Ctrl-C abandons the line; Up/Down, Ctrl-P/N walk the history;
//! Ctrl-R searches it (Ctrl-R again: older; Enter runs the match; Ctrl-G or ESC cancels;
//! other keys take the match and act); Tab completes (a second Tab lists the choices).
//!
//! Wiring into a shell:
//! - one `LineEditor::new(0, 2)` per interactive shell (the prompt goes to stderr, as
//!   POSIX says); `history_mut().load(HISTFILE)` at start, `.save(HISTFILE)` at exit,
//!   `history_mut().set_cap(HISTSIZE)` if set;
//! - each prompt: `read_line(&prompt::expand(&ps1_after_parameter_expansion, &info), &mut
//!   complete::ShellCompleter { builtins, path, home })`; then `history_mut().add(&line)`
//!   for what the shell accepts (PS2 lines too, or the joined command);
//! - `Err(Errno::INTR)` is Ctrl-C (set `$?` to 130 as ash does and prompt again), `Ok(None)`
//!   is Ctrl-D on an empty line (the shell prints `exit` or a newline itself);
//! - a SIGWINCH handler installed without SA_RESTART (`rt::set_signal(SIGWINCH, Catch(..),
//!   false)`) makes a resize redraw at once; without it the new width is taken at the next
//!   prompt. Keys never raise SIGINT/SIGTSTP while a line is edited (ISIG is off).
pub mod complete;
pub mod edit;
pub mod history;
pub mod prompt;

use alloc::vec::Vec;
use rustix::event::{PollFd, PollFlags, Timespec};
use rustix::io::Errno;
use rustix::termios::{self, InputModes, LocalModes, OptionalActions, SpecialCodeIndex};

use crate::common::out::write_all;
use crate::rt;
use edit::{Done, Editor};
pub use history::History;

/// Supplies completions for Tab.
pub trait Completer {
    /// For `line` with the cursor at byte `cursor`: where the text to replace starts (it
    /// ends at the cursor), and the candidates, each the exact replacement text (including
    /// a trailing `/` or space if wanted), in the order to list them.
    fn complete(&mut self, line: &[u8], cursor: usize) -> (usize, Vec<Vec<u8>>);

    /// After a signal interrupted the wait for a key: text to show above the line being
    /// edited (the shell's `set -b` notices of ended jobs), which is then drawn again.
    fn notices(&mut self) -> Vec<u8> {
        Vec::new()
    }
}

/// A completer that never offers anything.
pub struct NoCompletion;

impl Completer for NoCompletion {
    fn complete(&mut self, _: &[u8], cursor: usize) -> (usize, Vec<Vec<u8>>) {
        (cursor, Vec::new())
    }
}

/// History entries kept unless the shell says otherwise (HISTSIZE).
pub const HISTORY_SIZE: usize = 500;

/// Reads lines from a terminal with editing. One per interactive shell.
pub struct LineEditor {
    in_fd: i32,
    out_fd: i32,
    history: History,
    /// The last killed text (Ctrl-K, Ctrl-U, Ctrl-W, Alt-Backspace), for Ctrl-Y.
    kill: Vec<u8>,
    /// Columns assumed when the terminal does not say (a serial line).
    default_width: usize,
}

/// How long a lone ESC may wait for the rest of a sequence before it cancels a search.
const ESC_WAIT_MS: i64 = 100;

impl LineEditor {
    /// An editor reading keys from `in_fd` and drawing on `out_fd`.
    pub fn new(in_fd: i32, out_fd: i32) -> Self {
        LineEditor { in_fd, out_fd, history: History::new(HISTORY_SIZE), kill: Vec::new(), default_width: 80 }
    }

    /// The history Up/Down and Ctrl-R browse. `read_line` never adds to it: the shell
    /// adds what it accepts (`history_mut().add(&line)`).
    pub fn history(&self) -> &History {
        &self.history
    }

    pub fn history_mut(&mut self) -> &mut History {
        &mut self.history
    }

    /// The width to assume when TIOCGWINSZ reports none (80 unless told; the shell may pass
    /// `$COLUMNS`). Zero keeps 80.
    pub fn set_default_width(&mut self, cols: usize) {
        self.default_width = if cols == 0 { 80 } else { cols };
    }

    /// Shows `prompt` and reads one line, which is returned without its newline.
    ///
    /// `Ok(None)`: Ctrl-D on an empty line, or end of input (the cursor stays after the
    /// prompt; the shell may print `exit`). `Err(Errno::INTR)`: Ctrl-C abandoned the line
    /// (`^C` and a newline were printed; show a new prompt). Other errors come from
    /// reading or writing the terminal. Bytes 0x01..0x02 in the prompt enclose invisible
    /// sequences (see [`prompt`]).
    pub fn read_line(
        &mut self,
        prompt: &[u8],
        complete: &mut dyn Completer,
    ) -> Result<Option<Vec<u8>>, Errno> {
        let input = rt::fd(self.in_fd);
        let Ok(saved) = termios::tcgetattr(input) else { return self.read_plain(prompt) };
        let mut raw = saved.clone();
        raw.local_modes -= LocalModes::ICANON | LocalModes::ECHO | LocalModes::ISIG | LocalModes::IEXTEN;
        raw.input_modes -= InputModes::ICRNL | InputModes::INLCR | InputModes::IGNCR;
        raw.special_codes[SpecialCodeIndex::VMIN] = 1;
        raw.special_codes[SpecialCodeIndex::VTIME] = 0;
        if termios::tcsetattr(input, OptionalActions::Now, &raw).is_err() {
            return self.read_plain(prompt);
        }
        let r = self.edit(prompt, complete);
        let _ = termios::tcsetattr(input, OptionalActions::Now, &saved);
        r
    }

    fn edit(&mut self, prompt: &[u8], complete: &mut dyn Completer) -> Result<Option<Vec<u8>>, Errno> {
        let (in_fd, out_fd, dw) = (self.in_fd, self.out_fd, self.default_width);
        let mut width = width_of(in_fd, out_fd, dw);
        let mut ed = Editor::new(prompt, width, &self.history, &mut self.kill, complete);
        ed.start();
        let done = loop {
            if let Err(e) = write_all(out_fd, &ed.out) {
                break Err(e);
            }
            ed.out.clear();
            // One byte at a time: what is typed after the line stays in the terminal for
            // whoever reads next.
            if ed.wants_timeout() && !readable(in_fd, ESC_WAIT_MS) {
                ed.timeout();
                continue;
            }
            let c = match read_byte(in_fd) {
                Ok(Some(c)) => c,
                Ok(None) => break Ok(Done::Eof),
                Err(Errno::INTR) => {
                    // Perhaps SIGWINCH: take the width again. Perhaps SIGCHLD: notices.
                    let w = width_of(in_fd, out_fd, dw);
                    if w != width {
                        width = w;
                        ed.set_width(w);
                    }
                    ed.notices();
                    continue;
                }
                // Someone left the descriptor non-blocking: wait for input instead.
                Err(Errno::AGAIN) => {
                    readable(in_fd, 1000);
                    continue;
                }
                Err(e) => break Err(e),
            };
            if let Some(d) = ed.feed(c) {
                break write_all(out_fd, &ed.out).map(|()| d);
            }
            if !readable(in_fd, 0) {
                ed.refresh();
            }
        };
        match done? {
            Done::Line(l) => Ok(Some(l)),
            Done::Eof => Ok(None),
            Done::Interrupt => Err(Errno::INTR),
        }
    }

    /// Not a terminal: the prompt, then bytes up to a newline (one at a time, so that
    /// nothing after the line is taken from whoever reads next).
    fn read_plain(&mut self, prompt: &[u8]) -> Result<Option<Vec<u8>>, Errno> {
        let mut line = Vec::new();
        for &c in prompt {
            if c != 1 && c != 2 {
                line.push(c);
            }
        }
        write_all(self.out_fd, &line)?;
        line.clear();
        loop {
            match read_byte(self.in_fd) {
                Ok(Some(b'\n')) => return Ok(Some(line)),
                Ok(Some(c)) => line.push(c),
                Ok(None) => return Ok(if line.is_empty() { None } else { Some(line) }),
                Err(Errno::INTR) => {}
                Err(Errno::AGAIN) => {
                    readable(self.in_fd, 1000);
                }
                Err(e) => return Err(e),
            }
        }
    }
}

/// The terminal's width in columns: TIOCGWINSZ on the output, else the input, else `default`.
fn width_of(in_fd: i32, out_fd: i32, default: usize) -> usize {
    let ws = termios::tcgetwinsize(rt::fd(out_fd)).or_else(|_| termios::tcgetwinsize(rt::fd(in_fd)));
    match ws {
        Ok(w) if w.ws_col > 0 => usize::from(w.ws_col),
        _ => default,
    }
}

fn read_byte(fd: i32) -> Result<Option<u8>, Errno> {
    let mut b = [0u8; 1];
    match rustix::io::read(rt::fd(fd), &mut b)? {
        0 => Ok(None),
        _ => Ok(Some(b[0])),
    }
}

/// True when `fd` has input within `ms` milliseconds.
fn readable(fd: i32, ms: i64) -> bool {
    let f = rt::fd(fd);
    let mut p = [PollFd::new(&f, PollFlags::IN)];
    let t = Timespec { tv_sec: ms / 1000, tv_nsec: ms % 1000 * 1_000_000 };
    matches!(rustix::event::poll(&mut p, Some(&t)), Ok(n) if n > 0)
}
