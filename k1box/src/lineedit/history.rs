//! Command history: a capped list in memory, kept in `$HISTFILE` between sessions (one
//! entry a line, like bash and ash), and the listing the `history` builtin prints.
use alloc::vec::Vec;
use core::ffi::CStr;
use rustix::fs::{Mode, OFlags};
use rustix::io::Errno;

use super::edit::put;
use crate::common::fs::read_file;
use crate::common::out::{fmt_u64, write_all};

/// The entries, oldest first.
pub struct History {
    items: Vec<Vec<u8>>,
    cap: usize,
    /// The number of `items[0]` as `history` shows it (numbers go on when old ones drop).
    first: u64,
    /// Entries added since the last load or save: what `save` appends to the file.
    fresh: usize,
}

impl History {
    /// An empty history keeping at most `cap` entries (HISTSIZE; at least 1).
    pub const fn new(cap: usize) -> History {
        History { items: Vec::new(), cap: if cap == 0 { 1 } else { cap }, first: 1, fresh: 0 }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Entry `i` (0 = oldest).
    pub fn get(&self, i: usize) -> Option<&[u8]> {
        self.items.get(i).map(|v| v.as_slice())
    }

    /// Changes the cap, dropping the oldest entries beyond it.
    pub fn set_cap(&mut self, cap: usize) {
        self.cap = cap.max(1);
        self.trim();
    }

    pub fn clear(&mut self) {
        self.first += self.items.len() as u64;
        self.items.clear();
        self.fresh = 0;
    }

    /// Remembers a line (a trailing newline is dropped). Empty lines, lines starting with a
    /// space (bash's `ignorespace`, a way to keep a command out) and repeats of the previous
    /// entry are not kept; returns whether it was.
    pub fn add(&mut self, line: &[u8]) -> bool {
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        if line.is_empty() || line[0] == b' ' || self.items.last().is_some_and(|l| l == line) {
            return false;
        }
        self.items.push(line.to_vec());
        self.fresh += 1;
        self.trim();
        true
    }

    fn trim(&mut self) {
        if self.items.len() > self.cap {
            let n = self.items.len() - self.cap;
            self.items.drain(..n);
            self.first += n as u64;
            self.fresh = self.fresh.min(self.items.len());
        }
    }

    /// Adds the entries of a history file (a missing file is not an error).
    pub fn load(&mut self, path: &[u8]) -> Result<(), Errno> {
        let data = match read_file(path) {
            Ok(d) => d,
            Err(Errno::NOENT) => return Ok(()),
            Err(e) => return Err(e),
        };
        for line in data.split(|&c| c == b'\n') {
            self.add(line);
        }
        self.fresh = 0;
        Ok(())
    }

    /// Writes the file anew: what it holds now (other shells may have saved meanwhile)
    /// followed by this session's new entries, the newest `cap` of them. The file is written
    /// beside the target and renamed over it, so a crash never leaves it half written.
    pub fn save(&mut self, path: &[u8]) -> Result<(), Errno> {
        let mut all = History::new(self.cap);
        all.load(path)?;
        for e in &self.items[self.items.len() - self.fresh.min(self.items.len())..] {
            all.add(e);
        }
        let mut data = Vec::new();
        for e in &all.items {
            put(&mut data, e);
            data.push(b'\n');
        }
        // "PATH\0PATH.tmpPID\0": both names as C strings, converted once.
        let mut names = path.to_vec();
        names.push(0);
        put(&mut names, path);
        put(&mut names, b".tmp");
        let mut d = [0u8; 20];
        put(&mut names, fmt_u64(rustix::process::getpid().as_raw_nonzero().get() as u64, &mut d));
        names.push(0);
        let bad = |_| Errno::INVAL;
        let target = CStr::from_bytes_until_nul(&names).map_err(bad)?;
        let tmp = CStr::from_bytes_until_nul(&names[path.len() + 1..]).map_err(bad)?;
        let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        let fd = rustix::fs::open(tmp, flags, Mode::from_raw_mode(0o600))?;
        let written = write_all(rustix::fd::AsRawFd::as_raw_fd(&fd), &data)
            .and_then(|()| rustix::fs::fsync(&fd))
            .and_then(|()| rustix::fs::rename(tmp, target));
        drop(fd);
        if written.is_err() {
            let _ = rustix::fs::unlink(tmp);
        }
        written?;
        self.fresh = 0;
        Ok(())
    }

    /// The `history` builtin's listing: `NUMBER  LINE` with the number right-aligned in five
    /// columns as bash prints it; only the last `last` entries when given.
    pub fn list(&self, last: Option<usize>, out: &mut Vec<u8>) {
        let skip = last.map_or(0, |n| self.items.len().saturating_sub(n));
        for (i, e) in self.items.iter().enumerate().skip(skip) {
            let mut d = [0u8; 20];
            let num = fmt_u64(self.first + i as u64, &mut d);
            out.resize(out.len() + 5usize.saturating_sub(num.len()), b' ');
            put(out, num);
            put(out, b"  ");
            put(out, e);
            out.push(b'\n');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hist(lines: &[&str]) -> History {
        let mut h = History::new(500);
        for l in lines {
            h.add(l.as_bytes());
        }
        h
    }

    #[test]
    fn add_skips_empty_space_led_and_repeated_lines() {
        let h = hist(&["ls", "ls", "", " secret", "pwd", "ls\n"]);
        assert_eq!(h.len(), 3);
        assert_eq!(h.get(0), Some(&b"ls"[..]));
        assert_eq!(h.get(1), Some(&b"pwd"[..]));
        assert_eq!(h.get(2), Some(&b"ls"[..]));
    }

    #[test]
    fn cap_drops_oldest_and_numbers_go_on() {
        let mut h = History::new(2);
        for l in ["a", "b", "c"] {
            h.add(l.as_bytes());
        }
        assert_eq!(h.len(), 2);
        let mut out = Vec::new();
        h.list(None, &mut out);
        assert_eq!(out, b"    2  b\n    3  c\n");
        out.clear();
        h.list(Some(1), &mut out);
        assert_eq!(out, b"    3  c\n");
    }

    #[test]
    fn save_merges_with_the_file_and_load_reads_it_back() {
        let dir = std::env::temp_dir().join(format!("k1-hist-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let file = dir.join("h");
        let path = file.to_str().unwrap().as_bytes();
        std::fs::write(&file, "old1\nold2\n").unwrap();
        let mut h = History::new(3);
        h.load(path).unwrap();
        h.add(b"new1");
        // Another shell saved meanwhile.
        std::fs::write(&file, "old1\nold2\nother\n").unwrap();
        h.save(path).unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"old2\nother\nnew1\n");
        // Saving again adds nothing twice.
        h.save(path).unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), b"old2\nother\nnew1\n");
        let mut back = History::new(10);
        back.load(path).unwrap();
        assert_eq!(back.len(), 3);
        assert!(History::new(3).load(b"/nonexistent/h").is_ok());
        assert!(h.save(b"/nonexistent/dir/h").is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
