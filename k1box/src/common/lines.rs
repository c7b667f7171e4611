//! Lines of input: a buffered reader over a file descriptor (whole lines of any length, NUL
//! bytes kept), and where the first or last N lines or bytes of a buffer end or begin (head, tail).
use alloc::vec::Vec;
use rustix::fd::BorrowedFd;
use rustix::io::Errno;

/// Reads `fd` in large blocks and hands out lines (with their `\n`, if they had one).
pub struct LineReader<'a> {
    fd: BorrowedFd<'a>,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
}

const BLOCK: usize = 64 * 1024;

impl<'a> LineReader<'a> {
    pub fn new(fd: BorrowedFd<'a>) -> Self {
        LineReader { fd, buf: Vec::new(), start: 0, end: 0, eof: false }
    }

    /// The next line including its newline; the last line may lack one. `None` at end.
    pub fn next_line(&mut self) -> Result<Option<&[u8]>, Errno> {
        let mut scanned = self.start;
        loop {
            if let Some(i) = memchr::memchr(b'\n', &self.buf[scanned..self.end]) {
                let s = self.start;
                self.start = scanned + i + 1;
                return Ok(Some(&self.buf[s..self.start]));
            }
            scanned = self.end;
            if self.eof {
                if self.start == self.end {
                    return Ok(None);
                }
                let s = self.start;
                self.start = self.end;
                return Ok(Some(&self.buf[s..self.end]));
            }
            let before = self.start;
            self.fill()?;
            scanned -= before - self.start;
        }
    }

    /// Whatever bytes come next (a block at most), for readers that are not line based.
    pub fn next_block(&mut self) -> Result<Option<&[u8]>, Errno> {
        if self.start == self.end {
            if self.eof {
                return Ok(None);
            }
            self.fill()?;
            if self.start == self.end {
                return Ok(None);
            }
        }
        let s = self.start;
        self.start = self.end;
        Ok(Some(&self.buf[s..self.end]))
    }

    /// Moves unread bytes to the front, grows the buffer if full, and reads once more.
    fn fill(&mut self) -> Result<(), Errno> {
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.buf.len() - self.end < BLOCK / 2 {
            let grow = self.buf.len().max(BLOCK);
            self.buf.resize(self.buf.len() + grow, 0);
        }
        loop {
            match rustix::io::read(self.fd, &mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(());
                }
                Ok(n) => {
                    self.end += n;
                    return Ok(());
                }
                Err(Errno::INTR) => {}
                Err(e) => return Err(e),
            }
        }
    }
}

/// How much of `b` holds the next `*left` lines; decrements `*left` by the lines found.
pub fn first_lines(b: &[u8], left: &mut u64, eol: u8) -> usize {
    for i in memchr::memchr_iter(eol, b) {
        *left -= 1;
        if *left == 0 {
            return i + 1;
        }
    }
    b.len()
}

/// Reads `fd` to its end, holding back only its tail: `start(held)` says where the part
/// that may still be needed begins (it can only move forward as input grows). What comes
/// before goes to `early` (which returns false to stop). Returns the held bytes.
pub fn hold_tail(
    fd: BorrowedFd,
    start: &dyn Fn(&[u8]) -> usize,
    early: &mut dyn FnMut(&[u8]) -> bool,
) -> Result<Vec<u8>, Errno> {
    let mut held: Vec<u8> = Vec::new();
    let mut check_at = 1 << 20;
    loop {
        // Read straight into the spare room (at least 64 KiB; the buffer doubles).
        if held.capacity() - held.len() < 64 * 1024 {
            held.reserve(held.len().max(128 * 1024));
        }
        let got = loop {
            match rustix::io::read(fd, rustix::buffer::spare_capacity(&mut held)) {
                Err(Errno::INTR) => {}
                r => break r?,
            }
        };
        if got == 0 {
            return Ok(held);
        }
        // Trim only when the buffer has doubled, so the moves cost O(input) in all.
        if held.len() >= check_at {
            let cut = start(&held);
            if !early(&held[..cut]) {
                return Ok(Vec::new());
            }
            held.drain(..cut);
            check_at = held.len().saturating_mul(2).max(1 << 20);
        }
    }
}

/// Where the last `n` bytes of `data` begin.
pub fn last_bytes_in(data: &[u8], n: u64) -> usize {
    data.len().saturating_sub(usize::try_from(n).unwrap_or(usize::MAX))
}

/// Where the last `n` lines of `data` begin (the final line end does not start a line).
pub fn last_lines_in(data: &[u8], n: u64, eol: u8) -> usize {
    if n == 0 {
        return data.len();
    }
    let end = if data.last() == Some(&eol) { data.len() - 1 } else { data.len() };
    let mut seen = 0;
    for i in memchr::memrchr_iter(eol, &data[..end]) {
        seen += 1;
        if seen == n {
            return i + 1;
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use rustix::fd::AsFd;

    fn lines_of(data: &[u8]) -> Vec<Vec<u8>> {
        let (r, w) = rustix::pipe::pipe().unwrap();
        let data = data.to_vec();
        let t = std::thread::spawn(move || {
            crate::common::out::write_all(rustix::fd::AsRawFd::as_raw_fd(&w), &data).unwrap();
            drop(w);
        });
        let mut lr = LineReader::new(r.as_fd());
        let mut v = Vec::new();
        while let Some(l) = lr.next_line().unwrap() {
            v.push(l.to_vec());
        }
        t.join().unwrap();
        v
    }

    #[test]
    fn splits_lines_and_keeps_an_unterminated_last_line() {
        assert_eq!(lines_of(b"a\nb\nc"), [b"a\n".to_vec(), b"b\n".to_vec(), b"c".to_vec()]);
        assert!(lines_of(b"").is_empty());
        assert_eq!(lines_of(b"\0x\n"), [b"\0x\n".to_vec()]);
    }

    #[test]
    fn long_lines_grow_the_buffer() {
        let mut big = alloc::vec![b'x'; 1 << 20];
        big.push(b'\n');
        big.extend_from_slice(b"y\n");
        let got = lines_of(&big);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].len(), (1 << 20) + 1);
        assert_eq!(got[1], b"y\n");
    }

    #[test]
    fn first_lines_stops_after_the_nth_newline() {
        let mut left = 2;
        assert_eq!(first_lines(b"a\nb\nc\n", &mut left, b'\n'), 4);
        let mut left = 5;
        assert_eq!(first_lines(b"a\nb", &mut left, b'\n'), 3);
        assert_eq!(left, 4);
    }
}
