//! The editor's core as a pure state machine: bytes from the terminal in, an edit buffer
//! and the bytes to send back out. Nothing here touches a descriptor, so every key is
//! unit tested without a terminal.
//!
//! Keys follow Emacs/readline bindings as bash and ash offer them. The screen is kept to
//! ONE row: a line longer than the width scrolls horizontally (the part around the cursor is
//! shown), so nothing depends on how a terminal wraps or on moving the cursor up. The last
//! column is never written. Output uses only `\r`, text, `ESC[K`, `ESC[nC` and `ESC[nD`
//! (plus `ESC[H ESC[2J` for Ctrl-L); the terminal is never queried.
use alloc::vec::Vec;

use super::history::History;
use super::Completer;
use crate::common::out::fmt_u64;

/// How a line ended.
#[derive(Debug, PartialEq, Eq)]
pub enum Done {
    /// Enter: the line, without newline.
    Line(Vec<u8>),
    /// Ctrl-D on an empty line (or the end of input).
    Eof,
    /// Ctrl-C: the line was abandoned.
    Interrupt,
}

/// A decoded key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Key {
    /// A printable character (1 to 4 bytes of UTF-8).
    Char([u8; 4], u8),
    /// A control byte (0x00-0x1f, 0x7f).
    Ctrl(u8),
    Left,
    Right,
    Up,
    Down,
    Home,
    End,
    Delete,
    WordLeft,
    WordRight,
    KillWordBack,
    KillWordFwd,
    Esc,
    Nothing,
}

/// Where the key decoder is inside a multi-byte sequence.
#[derive(Clone, Copy, Debug)]
enum Dec {
    Ground,
    Esc,
    Csi([u16; 2], u8),
    Ss3,
    Utf([u8; 4], u8, u8),
}

/// Ctrl-R's state: the query and the history entry (and byte offset) it matched.
struct Search {
    query: Vec<u8>,
    /// Entries below this index are searched when the query starts over.
    start: usize,
    found: Option<(usize, usize)>,
    failed: bool,
}

/// One line being edited.
pub struct Editor<'a> {
    hist: &'a History,
    comp: &'a mut dyn Completer,
    kill: &'a mut Vec<u8>,
    /// The line (UTF-8 expected; any bytes are safe).
    pub buf: Vec<u8>,
    /// The cursor, a byte offset on a character boundary.
    pub pos: usize,
    width: usize,
    /// The prompt up to its last newline: printed only when the whole prompt is redrawn.
    head: Vec<u8>,
    /// The prompt's last line, redrawn with the line.
    tail: Vec<u8>,
    dec: Dec,
    /// The history entry shown; `hist.len()` is the new line, kept in `saved` meanwhile.
    hidx: usize,
    saved: Vec<u8>,
    search: Option<Search>,
    /// The previous key was Tab (a second Tab lists the choices).
    tabbed: bool,
    /// Many choices: waiting for the answer to "Display all N possibilities?".
    asking: Option<Vec<Vec<u8>>>,
    // What is on the screen after the prompt: the visible text and the cursor's column.
    shown_prompt: Vec<u8>,
    shown: Vec<u8>,
    shown_col: usize,
    /// The first character shown (horizontal scrolling).
    scroll: usize,
    /// Bytes to send to the terminal.
    pub out: Vec<u8>,
}

/// More choices than this are listed only when the user says so (a slow serial line).
const ASK_OVER: usize = 100;

/// Columns kept free for the line at least; a longer prompt gets a row of its own.
const MIN_ROOM: usize = 8;

fn is_cont(c: u8) -> bool {
    c & 0xc0 == 0x80
}

/// Characters in `s` (continuation bytes count nothing).
#[inline(never)]
fn chars(s: &[u8]) -> usize {
    s.iter().filter(|&&c| !is_cont(c)).count()
}

/// The byte offset of character number `n` of `s` (or its length).
#[inline(never)]
fn char_offset(s: &[u8], n: usize) -> usize {
    let mut k = 0;
    for (i, &c) in s.iter().enumerate() {
        if !is_cont(c) {
            if k == n {
                return i;
            }
            k += 1;
        }
    }
    s.len()
}

/// Columns the prompt takes: bytes between `\x01` and `\x02` (invisible sequences, `\[ \]`
/// in PS1) count nothing.
#[inline(never)]
fn prompt_width(p: &[u8]) -> usize {
    let mut hidden = false;
    let mut w = 0;
    for &c in p {
        match c {
            1 => hidden = true,
            2 => hidden = false,
            c if !hidden && !is_cont(c) => w += 1,
            _ => {}
        }
    }
    w
}

/// Appends `s` (one shared copy of the code instead of one at every call).
#[inline(never)]
pub(super) fn put(out: &mut Vec<u8>, s: &[u8]) {
    out.extend_from_slice(s);
}

/// Text of the line as shown: control bytes become `?` so that no file name or history
/// entry can send escape sequences to the terminal.
fn put_text(out: &mut Vec<u8>, s: &[u8]) {
    out.extend(s.iter().map(|&c| if c < 0x20 || c == 0x7f { b'?' } else { c }));
}

/// A prompt: the 0x01/0x02 markers dropped, newlines as CR LF.
fn put_prompt(out: &mut Vec<u8>, p: &[u8]) {
    for &c in p {
        match c {
            1 | 2 => {}
            b'\n' => put(out, b"\r\n"),
            c => out.push(c),
        }
    }
}

/// The key a CSI or SS3 sequence ending in `c` stands for.
fn final_key(c: u8) -> Key {
    match c {
        b'A' => Key::Up,
        b'B' => Key::Down,
        b'C' => Key::Right,
        b'D' => Key::Left,
        b'H' => Key::Home,
        b'F' => Key::End,
        _ => Key::Nothing,
    }
}

/// How many leading bytes `a` and `b` share.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c >= 0x80
}

impl<'a> Editor<'a> {
    /// An empty line after `prompt` on a screen `width` columns wide.
    pub fn new(
        prompt: &[u8],
        width: usize,
        hist: &'a History,
        kill: &'a mut Vec<u8>,
        comp: &'a mut dyn Completer,
    ) -> Self {
        let width = width.max(1);
        let split = prompt.iter().rposition(|&c| c == b'\n').map_or(0, |i| i + 1);
        let (mut head, mut tail) = (prompt[..split].to_vec(), prompt[split..].to_vec());
        if prompt_width(&tail) + MIN_ROOM >= width {
            put(&mut head, &tail);
            head.push(b'\n');
            tail.clear();
        }
        Editor {
            hist,
            comp,
            kill,
            buf: Vec::new(),
            pos: 0,
            width,
            head,
            tail,
            dec: Dec::Ground,
            hidx: hist.len(),
            saved: Vec::new(),
            search: None,
            tabbed: false,
            asking: None,
            shown_prompt: Vec::new(),
            shown: Vec::new(),
            shown_col: 0,
            scroll: 0,
            out: Vec::new(),
        }
    }

    /// Draws the prompt and the (empty) line.
    pub fn start(&mut self) {
        self.redraw_all();
    }

    /// Shows the completer's notices, if any, on rows of their own above the prompt and
    /// the line, which are drawn again below them.
    pub fn notices(&mut self) {
        let text = self.comp.notices();
        if text.is_empty() {
            return;
        }
        put(&mut self.out, b"\r\x1b[K");
        put(&mut self.out, &text);
        self.redraw_all();
    }

    /// A new screen width (SIGWINCH): redraws the row.
    pub fn set_width(&mut self, width: usize) {
        self.width = width.max(1);
        self.render(true);
    }

    /// Handles one input byte; `Some` when the line is finished. Call [`Editor::refresh`]
    /// once no more input is waiting.
    pub fn feed(&mut self, c: u8) -> Option<Done> {
        let k = self.decode(c);
        if k == Key::Nothing {
            return None;
        }
        if let Some(cands) = self.asking.take() {
            put(&mut self.out, b"\r\n");
            if matches!(k, Key::Char([b'y' | b'Y' | b' ', ..], _)) {
                self.list(&cands);
            } else {
                self.redraw_all();
            }
            return None;
        }
        let done = if self.search.is_some() { self.search_key(k) } else { self.key(k) };
        self.tabbed = k == Key::Ctrl(b'\t');
        done
    }

    /// Brings the screen up to date with the buffer.
    pub fn refresh(&mut self) {
        self.render(false);
    }

    /// True when a lone ESC is pending and would cancel a search if nothing follows.
    pub fn wants_timeout(&self) -> bool {
        matches!(self.dec, Dec::Esc) && self.search.is_some()
    }

    /// Nothing followed an ESC: during Ctrl-R it cancels the search.
    pub fn timeout(&mut self) {
        if self.wants_timeout() {
            self.dec = Dec::Ground;
            self.search = None;
            self.render(false);
        }
    }

    // ---- key decoding ----

    fn decode(&mut self, c: u8) -> Key {
        match core::mem::replace(&mut self.dec, Dec::Ground) {
            Dec::Ground => self.ground(c),
            Dec::Esc => match c {
                b'[' => {
                    self.dec = Dec::Csi([0; 2], 0);
                    Key::Nothing
                }
                b'O' => {
                    self.dec = Dec::Ss3;
                    Key::Nothing
                }
                0x1b => {
                    self.dec = Dec::Esc;
                    Key::Esc
                }
                b'b' | b'B' => Key::WordLeft,
                b'f' | b'F' => Key::WordRight,
                b'd' | b'D' => Key::KillWordFwd,
                0x7f | 8 => Key::KillWordBack,
                c if c < 0x20 => self.ground(c),
                _ => Key::Esc,
            },
            Dec::Csi(mut p, n) => match c {
                b'0'..=b'9' => {
                    let i = usize::from(n.min(1));
                    p[i] = p[i].saturating_mul(10).saturating_add(u16::from(c - b'0'));
                    self.dec = Dec::Csi(p, n);
                    Key::Nothing
                }
                b';' => {
                    self.dec = Dec::Csi(p, n.saturating_add(1));
                    Key::Nothing
                }
                0x20..=0x3f => {
                    self.dec = Dec::Csi(p, n);
                    Key::Nothing
                }
                b'~' => match p[0] {
                    1 | 7 => Key::Home,
                    4 | 8 => Key::End,
                    3 => Key::Delete,
                    _ => Key::Nothing,
                },
                // ESC[1;5C and the like: Ctrl/Alt + arrow moves by words.
                b'C' if p[1] >= 2 => Key::WordRight,
                b'D' if p[1] >= 2 => Key::WordLeft,
                0x40..=0x7e => final_key(c),
                _ => self.ground(c),
            },
            Dec::Ss3 => final_key(c),
            Dec::Utf(mut b, have, need) => {
                if !is_cont(c) {
                    return self.ground(c);
                }
                b[usize::from(have & 3)] = c;
                if have + 1 >= need {
                    Key::Char(b, need)
                } else {
                    self.dec = Dec::Utf(b, have + 1, need);
                    Key::Nothing
                }
            }
        }
    }

    fn ground(&mut self, c: u8) -> Key {
        let need = match c {
            0x1b => {
                self.dec = Dec::Esc;
                return Key::Nothing;
            }
            0..=0x1f | 0x7f => return Key::Ctrl(c),
            0x20..=0x7e => return Key::Char([c, 0, 0, 0], 1),
            0xc2..=0xdf => 2,
            0xe0..=0xef => 3,
            0xf0..=0xf4 => 4,
            _ => return Key::Nothing,
        };
        self.dec = Dec::Utf([c, 0, 0, 0], 1, need);
        Key::Nothing
    }

    // ---- editing ----

    fn prev(&self, mut i: usize) -> usize {
        i = i.saturating_sub(1);
        while i > 0 && self.buf.get(i).is_some_and(|&c| is_cont(c)) {
            i -= 1;
        }
        i
    }

    fn next(&self, mut i: usize) -> usize {
        i = (i + 1).min(self.buf.len());
        while i < self.buf.len() && is_cont(self.buf[i]) {
            i += 1;
        }
        i
    }

    fn insert(&mut self, s: &[u8]) {
        let rest = self.buf.split_off(self.pos.min(self.buf.len()));
        put(&mut self.buf, s);
        self.pos = self.buf.len();
        put(&mut self.buf, &rest);
    }

    /// Removes `a..b` (a <= b <= len) and puts the cursor at `a`.
    fn remove(&mut self, a: usize, b: usize) {
        let len = self.buf.len();
        self.buf.copy_within(b..len, a);
        self.buf.truncate(len - (b - a));
        self.pos = a;
    }

    /// Removes `a..b` into the kill buffer.
    fn kill(&mut self, a: usize, b: usize) {
        if a < b && b <= self.buf.len() {
            self.kill.clear();
            put(self.kill, &self.buf[a..b]);
            self.remove(a, b);
        }
    }

    fn word_left(&self) -> usize {
        let mut i = self.pos;
        while i > 0 && !is_word(self.buf[i - 1]) {
            i -= 1;
        }
        while i > 0 && is_word(self.buf[i - 1]) {
            i -= 1;
        }
        i
    }

    fn word_right(&self) -> usize {
        let mut i = self.pos;
        while i < self.buf.len() && !is_word(self.buf[i]) {
            i += 1;
        }
        while i < self.buf.len() && is_word(self.buf[i]) {
            i += 1;
        }
        i
    }

    fn key(&mut self, k: Key) -> Option<Done> {
        let len = self.buf.len();
        match k {
            Key::Char(b, n) => self.insert(&b[..usize::from(n & 7).min(4)]),
            Key::Left | Key::Ctrl(2) => self.pos = self.prev(self.pos),
            Key::Right | Key::Ctrl(6) => self.pos = self.next(self.pos),
            Key::Home | Key::Ctrl(1) => self.pos = 0,
            Key::End | Key::Ctrl(5) => self.pos = len,
            Key::WordLeft => self.pos = self.word_left(),
            Key::WordRight => self.pos = self.word_right(),
            Key::Ctrl(8) | Key::Ctrl(0x7f) if self.pos > 0 => {
                self.remove(self.prev(self.pos), self.pos);
            }
            Key::Ctrl(4) if len == 0 => return Some(Done::Eof),
            Key::Delete | Key::Ctrl(4) if self.pos < len => {
                self.remove(self.pos, self.next(self.pos));
            }
            Key::Ctrl(3) => {
                self.finish(b"^C\r\n");
                return Some(Done::Interrupt);
            }
            Key::Ctrl(b'\r') | Key::Ctrl(b'\n') => {
                self.finish(b"\r\n");
                return Some(Done::Line(core::mem::take(&mut self.buf)));
            }
            Key::Ctrl(b'\t') => self.complete(),
            Key::Ctrl(11) => self.kill(self.pos, len),
            Key::Ctrl(21) => self.kill(0, self.pos),
            Key::Ctrl(23) => {
                let mut i = self.pos;
                while i > 0 && self.buf[i - 1] == b' ' {
                    i -= 1;
                }
                while i > 0 && self.buf[i - 1] != b' ' {
                    i -= 1;
                }
                self.kill(i, self.pos);
            }
            Key::KillWordBack => self.kill(self.word_left(), self.pos),
            Key::KillWordFwd => self.kill(self.pos, self.word_right()),
            Key::Ctrl(25) => {
                let k = self.kill.clone();
                self.insert(&k);
            }
            Key::Ctrl(20) if self.pos > 0 && len > 1 => {
                if self.pos >= len {
                    self.pos = self.prev(len);
                }
                // Swap the characters a..pos and pos..c.
                let a = self.prev(self.pos);
                let c = self.next(self.pos);
                let before = self.buf[a..self.pos].to_vec();
                self.buf.copy_within(self.pos..c, a);
                self.buf[a + c - self.pos..c].copy_from_slice(&before);
                self.pos = c;
            }
            Key::Ctrl(12) => {
                put(&mut self.out, b"\x1b[H\x1b[2J");
                self.redraw_all();
            }
            Key::Up | Key::Ctrl(16) => self.history_move(true),
            Key::Down | Key::Ctrl(14) => self.history_move(false),
            Key::Ctrl(18) => {
                self.search = Some(Search { query: Vec::new(), start: self.hidx, found: None, failed: false })
            }
            _ => {}
        }
        None
    }

    fn history_move(&mut self, up: bool) {
        let n = self.hist.len();
        if up {
            if self.hidx == 0 {
                return;
            }
            if self.hidx >= n {
                self.saved = core::mem::take(&mut self.buf);
            }
            self.hidx = self.hidx.min(n) - 1;
        } else {
            if self.hidx >= n {
                return;
            }
            self.hidx += 1;
        }
        self.buf = match self.hist.get(self.hidx) {
            Some(l) => l.to_vec(),
            None => core::mem::take(&mut self.saved),
        };
        self.pos = self.buf.len();
    }

    // ---- Ctrl-R ----

    /// Looks for the query in entries below `from`, newest first.
    fn search_from(&mut self, from: usize) {
        let Some(s) = self.search.as_mut() else { return };
        if s.query.is_empty() {
            s.found = None;
            s.failed = false;
            return;
        }
        let q = &s.query;
        let hit = (0..from.min(self.hist.len())).rev().find_map(|i| {
            let h = self.hist.get(i)?;
            h.windows(q.len()).rposition(|w| w == &q[..]).map(|at| (i, at))
        });
        match hit {
            Some(f) => {
                s.found = Some(f);
                s.failed = false;
            }
            None => {
                s.failed = true;
                self.out.push(7);
            }
        }
    }

    fn search_key(&mut self, k: Key) -> Option<Done> {
        let s = self.search.as_mut()?;
        match k {
            Key::Char(b, n) => {
                put(&mut s.query, &b[..usize::from(n & 7).min(4)]);
                let from = s.found.map_or(s.start, |f| f.0 + 1);
                self.search_from(from);
            }
            Key::Ctrl(8) | Key::Ctrl(0x7f) => {
                while s.query.pop().is_some_and(is_cont) {}
                s.found = None;
                let from = s.start;
                self.search_from(from);
            }
            Key::Ctrl(18) => {
                let from = s.found.map_or(s.start, |f| f.0);
                self.search_from(from);
            }
            Key::Ctrl(7) | Key::Esc => self.search = None,
            Key::Ctrl(3) => {
                self.search = None;
                return self.key(k);
            }
            _ => {
                if let Some((i, at)) = s.found {
                    if self.hidx >= self.hist.len() {
                        self.saved = core::mem::take(&mut self.buf);
                    }
                    self.buf = self.hist.get(i).unwrap_or_default().to_vec();
                    self.pos = at.min(self.buf.len());
                    self.hidx = i;
                }
                self.search = None;
                return self.key(k);
            }
        }
        None
    }

    // ---- completion ----

    fn complete(&mut self) {
        let (start, cands) = self.comp.complete(&self.buf, self.pos);
        let start = start.min(self.pos);
        let Some(first) = cands.first() else {
            self.out.push(7);
            return;
        };
        let mut lcp = first.len();
        for c in &cands {
            lcp = common_prefix(&first[..lcp], c);
        }
        while lcp > 0 && lcp < first.len() && is_cont(first[lcp]) {
            lcp -= 1;
        }
        let word = &self.buf[start..self.pos];
        if cands.len() == 1 || (lcp >= word.len() && first[..lcp] != *word) {
            self.remove(start, self.pos);
            self.insert(&first[..lcp]);
        } else if self.tabbed {
            self.move_to_end();
            put(&mut self.out, b"\r\n");
            if cands.len() > ASK_OVER {
                let mut d = [0u8; 20];
                put(&mut self.out, b"Display all ");
                put(&mut self.out, fmt_u64(cands.len() as u64, &mut d));
                put(&mut self.out, b" possibilities? (y or n)");
                self.asking = Some(cands);
            } else {
                self.list(&cands);
            }
        } else {
            self.out.push(7);
        }
    }

    /// Lists choices in columns from the start of a fresh row, then redraws prompt and line
    /// below them.
    fn list(&mut self, cands: &[Vec<u8>]) {
        let name = |c: &[u8]| -> usize { c.len() - usize::from(c.len() > 1 && c.ends_with(b" ")) };
        let colw = cands.iter().map(|c| chars(&c[..name(c)])).max().unwrap_or(0) + 2;
        let ncols = ((self.width + 1) / colw).max(1);
        let rows = cands.len().div_ceil(ncols);
        for r in 0..rows {
            for c in 0..ncols {
                let Some(cand) = cands.get(c * rows + r) else { break };
                let text = &cand[..name(cand)];
                put_text(&mut self.out, text);
                if c * rows + r + rows < cands.len() {
                    for _ in chars(text)..colw {
                        self.out.push(b' ');
                    }
                }
            }
            put(&mut self.out, b"\r\n");
        }
        self.redraw_all();
    }

    // ---- the screen ----

    fn csi(&mut self, n: usize, f: u8) {
        let mut d = [0u8; 20];
        put(&mut self.out, b"\x1b[");
        put(&mut self.out, fmt_u64(n as u64, &mut d));
        self.out.push(f);
    }

    fn move_cursor(&mut self, from: usize, to: usize) {
        if to > from {
            self.csi(to - from, b'C');
        } else if to < from {
            self.csi(from - to, b'D');
        }
    }

    fn move_to_end(&mut self) {
        let end = chars(&self.shown);
        self.move_cursor(self.shown_col, end);
        self.shown_col = end;
    }

    /// Redraws the whole prompt (all its lines) and the line, from a fresh row.
    #[inline(never)]
    fn redraw_all(&mut self) {
        put_prompt(&mut self.out, &self.head);
        self.render(true);
    }

    /// The line is done: shows it whole after the normal prompt (a long line wraps as the
    /// terminal likes; it is not edited any more), then `end`.
    fn finish(&mut self, end: &[u8]) {
        self.out.push(b'\r');
        put_prompt(&mut self.out, &self.tail);
        put_text(&mut self.out, &self.buf);
        put(&mut self.out, b"\x1b[K");
        put(&mut self.out, end);
    }

    /// The prompt, text and cursor offset to show now.
    fn screen(&self) -> (Vec<u8>, &[u8], usize) {
        let Some(s) = &self.search else { return (self.tail.clone(), &self.buf, self.pos) };
        let mut p = Vec::new();
        if s.failed {
            put(&mut p, b"(failed ");
        } else {
            p.push(b'(');
        }
        put(&mut p, b"reverse-i-search)'");
        p.extend(s.query.iter().map(|&c| if c < 0x20 { b'?' } else { c }));
        put(&mut p, b"': ");
        match s.found.and_then(|(i, at)| Some((self.hist.get(i)?, at))) {
            Some((h, at)) => (p, h, at.min(h.len())),
            None => (p, &self.buf, self.pos),
        }
    }

    fn render(&mut self, full: bool) {
        if self.asking.is_some() {
            return;
        }
        let (prompt, text, cur) = self.screen();
        let avail = self.width.saturating_sub(prompt_width(&prompt) + 1).max(1);
        let total = chars(text);
        let cc = chars(&text[..cur.min(text.len())]);
        let mut scroll = self.scroll;
        if total <= avail {
            scroll = 0;
        } else {
            scroll = scroll.min(total - avail);
            if cc < scroll || cc > scroll + avail {
                scroll = cc.saturating_sub(avail / 2).min(total - avail);
            }
        }
        let a = char_offset(text, scroll);
        let b = a + char_offset(&text[a..], avail);
        let mut view = Vec::new();
        put_text(&mut view, &text[a..b]);
        let col = cc - scroll;
        self.scroll = scroll;

        let old_w = chars(&self.shown);
        if full || prompt != self.shown_prompt {
            self.out.push(b'\r');
            put_prompt(&mut self.out, &prompt);
            put(&mut self.out, &view);
            put(&mut self.out, b"\x1b[K");
        } else if view != self.shown {
            let mut common = common_prefix(&self.shown, &view);
            while common > 0 && view.get(common).is_some_and(|&c| is_cont(c)) {
                common -= 1;
            }
            self.move_cursor(self.shown_col, chars(&view[..common]));
            put(&mut self.out, &view[common..]);
            if old_w > chars(&view) {
                put(&mut self.out, b"\x1b[K");
            }
        } else {
            self.move_cursor(self.shown_col, col);
            self.shown_col = col;
            return;
        }
        self.move_cursor(chars(&view), col);
        self.shown_col = col;
        self.shown = view;
        self.shown_prompt = prompt;
    }
}

#[cfg(test)]
#[path = "edit_tests.rs"]
mod tests;
