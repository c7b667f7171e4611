//! wc — count lines, words, characters and bytes (POSIX `wc [-c|-m] [-lw]`, with GNU's -L,
//! long option names and column layout).
//!
//! Text is UTF-8 (K1OS has no other locale): `-m` counts valid characters, words are runs of
//! printable characters between white space (as GNU's wc in a UTF-8 locale: control
//! characters and invalid bytes neither start nor end a word). `-l` alone counts newlines
//! sixteen bytes at a time (`rt::count_byte`), words go through a branch-free byte-class
//! loop (UTF-8 is decoded only where a byte is not ASCII), and `-c` alone on a regular file
//! uses its size.
use alloc::vec::Vec;
use rustix::fd::BorrowedFd;
use rustix::io::Errno;

use crate::common::fs::Input;
use crate::common::{long, Cx, Getopt, HasArg, Long, Opt};

const USAGE: &str = "\
Usage: wc [-clLmw] [FILE]...

Print newline, word and byte counts for each FILE (standard input for none or `-`), and a
total line when there are several. A word is a run of printable characters between spaces.

  -c, --bytes             print the byte counts
  -m, --chars             print the character (UTF-8) counts
  -l, --lines             print the newline counts
  -L, --max-line-length   print the maximum display width
  -w, --words             print the word counts
";

const LONGS: &[Long] = &[
    long("bytes", HasArg::No, b'c' as u16),
    long("chars", HasArg::No, b'm' as u16),
    long("lines", HasArg::No, b'l' as u16),
    long("max-line-length", HasArg::No, b'L' as u16),
    long("words", HasArg::No, b'w' as u16),
];

/// Which counts to print, in GNU's order: lines, words, chars, bytes, max line length.
#[derive(Clone, Copy, Default)]
struct Show {
    lines: bool,
    words: bool,
    chars: bool,
    bytes: bool,
    maxlen: bool,
}

/// The counts of one input (or the total).
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct Counts {
    pub lines: u64,
    pub words: u64,
    pub chars: u64,
    pub bytes: u64,
    pub maxlen: u64,
}

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let mut g = Getopt::new(&args, "clLmw", LONGS);
    let mut s = Show::default();
    while let Some(o) = g.next() {
        match o {
            Ok(Opt::Char(b'c')) => s.bytes = true,
            Ok(Opt::Char(b'm')) => s.chars = true,
            Ok(Opt::Char(b'l')) => s.lines = true,
            Ok(Opt::Char(b'L')) => s.maxlen = true,
            Ok(Opt::Char(b'w')) => s.words = true,
            other => return cx.opt_exit(other, USAGE, 1),
        }
    }
    if !(s.bytes || s.chars || s.lines || s.maxlen || s.words) {
        (s.lines, s.words, s.bytes) = (true, true, true);
    }
    let named = g.operands();
    let files: Vec<&[u8]> = if named.is_empty() { alloc::vec![b"-"] } else { named.clone() };
    let shown = [s.lines, s.words, s.chars, s.bytes, s.maxlen].iter().filter(|&&b| b).count();
    let width = if files.len() == 1 && shown == 1 { 1 } else { column_width(&files) };
    let mut total = Counts::default();
    let mut code = 0;
    for &name in &files {
        let input = match Input::open(name) {
            Ok(i) => i,
            Err(e) => {
                cx.warn_path(name, e);
                code = 1;
                continue;
            }
        };
        let (c, err) = count_fd(input.fd(), &s);
        if let Some(e) = err {
            cx.warn_path(name, e);
            code = 1;
        }
        total.lines += c.lines;
        total.words += c.words;
        total.chars += c.chars;
        total.bytes += c.bytes;
        total.maxlen = total.maxlen.max(c.maxlen);
        print(cx, &c, &s, width, (!named.is_empty()).then_some(name));
    }
    if files.len() > 1 {
        print(cx, &total, &s, width, Some(b"total"));
    }
    code
}

/// GNU's column width: digits of the regular files' total size, at least 7 when some input
/// is not a regular file (inputs that cannot be examined do not count).
fn column_width(files: &[&[u8]]) -> usize {
    let mut size = 0u64;
    let mut min = 1;
    for &f in files {
        let st = if f == b"-" { rustix::fs::fstat(crate::rt::stdin()) } else { rustix::fs::stat(f) };
        match st {
            Ok(st) if is_regular(st.st_mode) => size = size.saturating_add(st.st_size as u64),
            Ok(_) => min = 7,
            Err(_) => {}
        }
    }
    let mut w = 1;
    while size >= 10 {
        size /= 10;
        w += 1;
    }
    w.max(min)
}

fn is_regular(mode: u32) -> bool {
    rustix::fs::FileType::from_raw_mode(mode) == rustix::fs::FileType::RegularFile
}

fn print(cx: &mut Cx, c: &Counts, s: &Show, width: usize, name: Option<&[u8]>) {
    let fields = [
        (s.lines, c.lines),
        (s.words, c.words),
        (s.chars, c.chars),
        (s.bytes, c.bytes),
        (s.maxlen, c.maxlen),
    ];
    let mut first = true;
    for (on, n) in fields {
        if on {
            if !first {
                cx.out.byte(b' ');
            }
            cx.out.num_padded(n, width);
            first = false;
        }
    }
    if let Some(n) = name {
        cx.out.byte(b' ');
        cx.out.put(n);
    }
    cx.out.byte(b'\n');
}

/// Counts one input; a read error ends the count early and is returned with what was seen.
fn count_fd(fd: BorrowedFd, s: &Show) -> (Counts, Option<Errno>) {
    let mut c = Counts::default();
    let complicated = s.words || s.chars || s.maxlen;
    if !complicated && !s.lines {
        if let Some(n) = size_left(fd) {
            c.bytes = n;
            return (c, None);
        }
    }
    let mut space = alloc::vec![0u8; 64 * 1024 + 4096];
    // Page-aligned: the kernel copies into aligned memory much faster.
    let at = space.as_ptr().align_offset(4096).min(4096);
    let buf = &mut space[at..at + 64 * 1024];
    let mut counter = Counter::new(s.maxlen);
    let mut keep = 0;
    loop {
        let n = match rustix::io::read(fd, &mut buf[keep..]) {
            Ok(n) => n,
            Err(Errno::INTR) => continue,
            Err(e) => {
                counter.feed(&buf[..keep], true);
                return (counter.finish(c.bytes + keep as u64), Some(e));
            }
        };
        let end = keep + n;
        let eof = n == 0;
        if complicated {
            let used = counter.feed(&buf[..end], eof);
            c.bytes += used as u64;
            buf.copy_within(used..end, 0);
            keep = end - used;
        } else {
            if s.lines {
                counter.c.lines += count_lines(&buf[..end]);
            }
            c.bytes += end as u64;
        }
        if eof {
            return (counter.finish(c.bytes), None);
        }
    }
}

/// The bytes left in a regular file, from its size; None when it must be read (not a
/// regular file, or a size that may lie as /proc and /sys files' do).
fn size_left(fd: BorrowedFd) -> Option<u64> {
    let st = rustix::fs::fstat(fd).ok()?;
    let size = st.st_size as u64;
    if !is_regular(st.st_mode) || size.is_multiple_of(4096) {
        return None;
    }
    let pos = rustix::fs::seek(fd, rustix::fs::SeekFrom::Current(0)).ok()?;
    Some(size.saturating_sub(pos))
}

/// Newlines in `b` (SSE2, through the runtime).
pub fn count_lines(b: &[u8]) -> u64 {
    crate::rt::count_byte(b, b'\n') as u64
}

// Byte classes of ASCII for the counting loop.
const WORD: u8 = 1; // printable, not space: starts or continues a word
const SPACE: u8 = 2; // ends a word
const EOL: u8 = 4; // ends a display line (\n \r \f)
const TAB: u8 = 8;

const fn classes() -> [u8; 128] {
    let mut t = [0u8; 128];
    let mut c = 0x21;
    while c < 0x7f {
        t[c] = WORD;
        c += 1;
    }
    t[b' ' as usize] = SPACE;
    t[0x0b] = SPACE;
    t[b'\t' as usize] = SPACE | TAB;
    t[b'\n' as usize] = SPACE | EOL;
    t[b'\r' as usize] = SPACE | EOL;
    t[0x0c] = SPACE | EOL;
    t
}

static CLASS: [u8; 128] = classes();

/// The running count of lines, words, characters and (when asked) display width.
pub struct Counter {
    pub c: Counts,
    /// 1 inside a word, else 0.
    in_word: u64,
    col: u64,
    widths: bool,
}

impl Counter {
    /// A counter; `widths` turns on the display-width tracking `-L` needs.
    pub fn new(widths: bool) -> Counter {
        Counter { c: Counts::default(), in_word: 0, col: 0, widths }
    }

    /// Counts `b`; returns how many bytes were used: all of them, except an incomplete
    /// UTF-8 sequence at the end when more input may follow (`!eof`).
    pub fn feed(&mut self, b: &[u8], eof: bool) -> usize {
        let mut i = 0;
        while i < b.len() {
            if !self.widths {
                i += self.ascii_run(&b[i..]);
                if i >= b.len() {
                    break;
                }
            }
            let x = b[i];
            if x < 0x80 {
                let k = CLASS[x as usize];
                self.ascii_width(x, k);
                self.c.words += (k & WORD) as u64 & (self.in_word ^ 1);
                self.in_word = (k & WORD) as u64 | (self.in_word & (((k & SPACE) >> 1) as u64 ^ 1));
                self.c.lines += (x == b'\n') as u64;
                self.c.chars += 1;
                i += 1;
                continue;
            }
            match decode(&b[i..]) {
                Utf8::Char(cp, len) => {
                    self.c.chars += 1;
                    if is_space(cp) {
                        self.in_word = 0;
                        self.col += 1;
                    } else if printable(cp) {
                        self.c.words += self.in_word ^ 1;
                        self.in_word = 1;
                        self.col += width(cp);
                    }
                    i += len;
                }
                Utf8::Invalid => i += 1,
                Utf8::Short if eof => i += 1,
                Utf8::Short => return i,
            }
        }
        b.len()
    }

    /// Counts the ASCII bytes at the start of `b` (without display widths); returns how many.
    fn ascii_run(&mut self, b: &[u8]) -> usize {
        let (mut words, mut in_word) = (self.c.words, self.in_word);
        let mut n = 0;
        for &x in b {
            if x >= 0x80 {
                break;
            }
            // Branch-free: a word starts at a word byte outside a word; a space ends it.
            let k = CLASS[x as usize];
            let w = (k & WORD) as u64;
            words += w & (in_word ^ 1);
            in_word = w | (in_word & (((k & SPACE) >> 1) as u64 ^ 1));
            n += 1;
        }
        self.c.words = words;
        self.in_word = in_word;
        self.c.lines += count_lines(&b[..n]);
        self.c.chars += n as u64;
        n
    }

    fn ascii_width(&mut self, x: u8, k: u8) {
        if k & WORD != 0 || x == b' ' {
            self.col += 1;
        } else if k & EOL != 0 {
            self.c.maxlen = self.c.maxlen.max(self.col);
            self.col = 0;
        } else if k & TAB != 0 {
            self.col = (self.col | 7) + 1;
        }
    }

    /// The counts once the input is over, with its byte count.
    pub fn finish(&mut self, bytes: u64) -> Counts {
        self.c.maxlen = self.c.maxlen.max(self.col);
        self.c.bytes = bytes;
        self.c
    }
}

/// One step of UTF-8 decoding.
#[derive(Debug, PartialEq, Eq)]
enum Utf8 {
    Char(u32, usize),
    Invalid,
    /// A valid beginning cut off by the end of the buffer.
    Short,
}

fn decode(b: &[u8]) -> Utf8 {
    let lead = b[0];
    let (len, lo, hi) = match lead {
        0xc2..=0xdf => (2, 0x80, 0xbf),
        0xe0 => (3, 0xa0, 0xbf),
        0xed => (3, 0x80, 0x9f),
        0xe1..=0xef => (3, 0x80, 0xbf),
        0xf0 => (4, 0x90, 0xbf),
        0xf1..=0xf3 => (4, 0x80, 0xbf),
        0xf4 => (4, 0x80, 0x8f),
        _ => return Utf8::Invalid,
    };
    let mut cp = (lead as u32) & (0x7f >> len);
    for k in 1..len {
        let Some(&x) = b.get(k) else { return Utf8::Short };
        let (l, h) = if k == 1 { (lo, hi) } else { (0x80, 0xbf) };
        if x < l || x > h {
            return Utf8::Invalid;
        }
        cp = (cp << 6) | (x as u32 & 0x3f);
    }
    Utf8::Char(cp, len)
}

/// White space beyond ASCII: glibc's iswspace plus the no-break spaces, as GNU wc has it.
fn is_space(cp: u32) -> bool {
    matches!(cp, 0xa0 | 0x1680 | 0x2000..=0x200a | 0x2028 | 0x2029 | 0x202f | 0x205f | 0x3000)
}

/// False for the C1 controls, the only common non-printing characters beyond ASCII.
fn printable(cp: u32) -> bool {
    !(0x80..0xa0).contains(&cp)
}

/// Display columns of a printable character: 0 for common combining marks, 2 for East Asian
/// wide ranges and emoji, else 1.
fn width(cp: u32) -> u64 {
    match cp {
        0x300..=0x36f | 0x200b..=0x200f | 0x20d0..=0x20ff | 0xfe00..=0xfe0f | 0xfe20..=0xfe2f => 0,
        0x1100..=0x115f
        | 0x2e80..=0x303e
        | 0x3041..=0xa4cf
        | 0xac00..=0xd7a3
        | 0xf900..=0xfaff
        | 0xfe30..=0xfe4f
        | 0xff00..=0xff60
        | 0xffe0..=0xffe6
        | 0x1f300..=0x1f64f
        | 0x1f900..=0x1f9ff
        | 0x20000..=0x3fffd => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(b: &[u8]) -> Counts {
        let mut k = Counter::new(true);
        assert_eq!(k.feed(b, true), b.len());
        k.finish(b.len() as u64)
    }

    #[test]
    fn counts_lines_words_chars() {
        let c = count(b"hello world\n  two\tlines\nlast");
        assert_eq!((c.lines, c.words, c.chars, c.bytes), (2, 5, 28, 28));
    }

    #[test]
    fn control_bytes_and_invalid_utf8_neither_start_nor_end_words() {
        assert_eq!(count(b"a\x01b \x01 \xff c").words, 2);
        assert_eq!(count(b"a\0b c").words, 2);
        assert_eq!(count(b"x\xa0y").chars, 2);
    }

    #[test]
    fn utf8_characters_and_unicode_spaces() {
        let c = count("é é\u{2003}x".as_bytes());
        assert_eq!((c.words, c.chars, c.maxlen), (3, 5, 5));
    }

    #[test]
    fn max_line_length_expands_tabs_and_resets_at_cr() {
        assert_eq!(count(b"b\tc\n").maxlen, 9);
        assert_eq!(count(b"abc\rd\n").maxlen, 3);
        assert_eq!(count("日本\n".as_bytes()).maxlen, 4);
    }

    #[test]
    fn the_fast_path_without_widths_counts_the_same() {
        let text = b"a\x01b \x01 \xff c\n\t  w\xc3\xb6rds\xe2\x80\x83and\xc2\xa0more\n\nend";
        for cut in 0..text.len() {
            let mut k = Counter::new(false);
            let used = k.feed(&text[..cut], false);
            let mut rest = text[used..cut].to_vec();
            rest.extend_from_slice(&text[cut..]);
            assert_eq!(k.feed(&rest, true), rest.len());
            let fast = k.finish(text.len() as u64);
            let slow = count(text);
            assert_eq!(
                (fast.lines, fast.words, fast.chars),
                (slow.lines, slow.words, slow.chars),
                "cut {cut}"
            );
        }
    }

    #[test]
    fn split_sequences_wait_for_the_next_block() {
        let mut k = Counter::new(true);
        let e = "é".as_bytes();
        assert_eq!(k.feed(&[b'a', e[0]], false), 1);
        assert_eq!(k.feed(&[e[0], e[1]], false), 2);
        assert_eq!(k.finish(3).chars, 2);
        // At the end an incomplete sequence is just an invalid byte.
        assert_eq!(count(&[b'a', e[0]]).chars, 1);
    }

    #[test]
    fn decodes_strictly() {
        assert_eq!(decode(&[0xc0, 0x80]), Utf8::Invalid);
        assert_eq!(decode(&[0xed, 0xa0, 0x80]), Utf8::Invalid);
        assert_eq!(decode(&[0xf4, 0x90, 0x80, 0x80]), Utf8::Invalid);
        assert_eq!(decode(&[0xf0, 0x9f, 0x98, 0x80]), Utf8::Char(0x1f600, 4));
        assert_eq!(decode(&[0xe2, 0x82]), Utf8::Short);
    }

    #[test]
    fn counts_newlines() {
        assert_eq!(count_lines(b"a\nb\n\nc"), 3);
        assert_eq!(count_lines(&[b'\n'; 1000]), 1000);
        // Every length around the vector blocks, all newlines and a sparse pattern, at
        // every alignment.
        let dense = alloc::vec![b'\n'; 64 * 255 * 2 + 102];
        let sparse: Vec<u8> = (0..dense.len()).map(|i| if i % 7 == 3 { b'\n' } else { b'x' }).collect();
        for len in [0, 1, 15, 16, 17, 63, 64, 65, 64 * 255 - 1, 64 * 255, 64 * 255 + 1, 64 * 255 * 2 + 99] {
            for off in 0..3 {
                let d = &dense[off..off + len];
                let s = &sparse[off..off + len];
                assert_eq!(count_lines(d), len as u64);
                assert_eq!(count_lines(s), s.iter().filter(|&&c| c == b'\n').count() as u64);
            }
        }
    }
}
