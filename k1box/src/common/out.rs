//! Buffered output to a file descriptor that remembers its first write error.
//!
//! Applets write with `put`/`byte`/`num` and never handle errors on each call: the first
//! failure is kept, later writes are dropped, and the dispatcher reports it when the applet
//! returns (`applet: write error: No space left on device`, exit 1; EPIPE ends quietly).
//! Loops that could write forever (`yes`, `cat`) check `failed()`.
use alloc::vec::Vec;
use rustix::io::Errno;

use crate::rt;

/// A buffered writer over a descriptor number (so the shell's redirections apply).
pub struct Out {
    fd: i32,
    buf: Vec<u8>,
    cap: usize,
    err: Option<Errno>,
}

impl Out {
    /// A writer on `fd` holding up to `cap` bytes before it writes.
    pub const fn new(fd: i32, cap: usize) -> Out {
        Out { fd, buf: Vec::new(), cap, err: None }
    }

    /// The descriptor this writes to.
    pub fn fd(&self) -> i32 {
        self.fd
    }

    /// Appends bytes; writes through when the buffer fills.
    pub fn put(&mut self, b: &[u8]) {
        if self.err.is_some() {
            return;
        }
        if self.buf.len() + b.len() > self.cap {
            self.drain();
            if b.len() >= self.cap {
                if let Err(e) = write_all(self.fd, b) {
                    self.err = Some(e);
                }
                return;
            }
        }
        if self.buf.capacity() == 0 {
            // A page to start with (most output is short), growing up to `cap` as needed.
            self.buf.reserve_exact(self.cap.min(b.len().max(4096)));
        }
        self.buf.extend_from_slice(b);
    }

    /// Appends one byte.
    pub fn byte(&mut self, c: u8) {
        self.put(&[c]);
    }

    /// Appends a string.
    pub fn str(&mut self, s: &str) {
        self.put(s.as_bytes());
    }

    /// Appends `'s'`, the way GNU quotes names in messages (the bytes as they are).
    pub fn quoted(&mut self, s: &[u8]) {
        self.byte(b'\'');
        self.put(s);
        self.byte(b'\'');
    }

    /// Appends an unsigned decimal number.
    pub fn num(&mut self, n: u64) {
        let mut b = [0u8; 20];
        self.put(fmt_u64(n, &mut b));
    }

    /// Appends a number right-aligned in `width` columns.
    pub fn num_padded(&mut self, n: u64, width: usize) {
        let mut b = [0u8; 20];
        let s = fmt_u64(n, &mut b);
        for _ in s.len()..width {
            self.byte(b' ');
        }
        self.put(s);
    }

    /// Appends `s` padded with spaces to `width` (left-aligned when `left`).
    pub fn padded(&mut self, s: &[u8], width: usize, left: bool) {
        let pad = width.saturating_sub(crate::common::text::width(s));
        if left {
            self.put(s);
        }
        for _ in 0..pad {
            self.byte(b' ');
        }
        if !left {
            self.put(s);
        }
    }

    fn drain(&mut self) {
        if !self.buf.is_empty() {
            if let Err(e) = write_all(self.fd, &self.buf) {
                self.err = Some(e);
            }
            self.buf.clear();
        }
    }

    /// Writes out what is buffered; reports the first error seen so far.
    pub fn flush(&mut self) -> Result<(), Errno> {
        self.drain();
        match self.err {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// True once a write has failed: stop producing output.
    pub fn failed(&self) -> bool {
        self.err.is_some()
    }

    /// The bytes buffered and not yet written (for tests of code that prints).
    pub fn pending(&self) -> &[u8] {
        &self.buf
    }

    /// The first write error, if any.
    pub fn error(&self) -> Option<Errno> {
        self.err
    }

    /// Forgets the buffered bytes and any error (the shell reuses its writers).
    pub fn reset(&mut self) {
        self.buf.clear();
        self.err = None;
    }
}

impl core::fmt::Write for Out {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        self.put(s.as_bytes());
        Ok(())
    }
}

/// Writes all of `b` to `fd`, retrying on EINTR and short writes.
pub fn write_all(fd: i32, mut b: &[u8]) -> Result<(), Errno> {
    while !b.is_empty() {
        match rustix::io::write(rt::fd(fd), b) {
            Ok(0) => return Err(Errno::IO),
            Ok(n) => b = &b[n..],
            Err(Errno::INTR) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Formats `n` in decimal into `buf`, returning the digits.
pub fn fmt_u64(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    &buf[i..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_numbers() {
        let mut b = [0u8; 20];
        assert_eq!(fmt_u64(0, &mut b), b"0");
        assert_eq!(fmt_u64(18446744073709551615, &mut b), b"18446744073709551615");
    }

    #[test]
    fn write_error_is_kept_and_later_writes_dropped() {
        let mut o = Out::new(1000, 4);
        o.put(b"hello");
        assert!(o.failed());
        assert_eq!(o.flush(), Err(Errno::BADF));
    }
}
