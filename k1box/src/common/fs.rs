//! File helpers: whole-file reads, `-` as standard input, and fast descriptor-to-descriptor
//! copies (copy_file_range, then sendfile, then read/write).
use alloc::vec::Vec;
use rustix::fd::{AsFd, BorrowedFd, OwnedFd};
use rustix::fs::{Mode, OFlags};
use rustix::io::Errno;

use crate::rt;

/// Opens `path` read-only (close-on-exec).
pub fn open_read(path: &[u8]) -> Result<OwnedFd, Errno> {
    loop {
        match rustix::fs::open(path, OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NOCTTY, Mode::empty()) {
            Err(Errno::INTR) => {}
            r => return r,
        }
    }
}

/// An input operand: a file, or standard input for `-`.
pub enum Input {
    Stdin,
    File(OwnedFd),
}

impl Input {
    /// Opens `path`, with `-` meaning standard input.
    pub fn open(path: &[u8]) -> Result<Input, Errno> {
        if path == b"-" {
            Ok(Input::Stdin)
        } else {
            open_read(path).map(Input::File)
        }
    }

    pub fn fd(&self) -> BorrowedFd<'_> {
        match self {
            Input::Stdin => rt::stdin(),
            Input::File(f) => f.as_fd(),
        }
    }
}

/// Reads all of `fd`.
pub fn read_fd(fd: BorrowedFd, out: &mut Vec<u8>) -> Result<(), Errno> {
    let mut chunk = 16 * 1024;
    loop {
        if out.capacity() - out.len() < chunk {
            out.reserve(chunk);
            chunk = (chunk * 2).min(1 << 20);
        }
        match rustix::io::read(fd, rustix::buffer::spare_capacity(out)) {
            Ok(0) => return Ok(()),
            Ok(_) => {}
            Err(Errno::INTR) => {}
            Err(e) => return Err(e),
        }
    }
}

/// Reads the whole file at `path`.
pub fn read_file(path: &[u8]) -> Result<Vec<u8>, Errno> {
    let fd = open_read(path)?;
    let mut v = Vec::new();
    read_fd(fd.as_fd(), &mut v)?;
    Ok(v)
}

/// Copies everything from `from` to `to`, using the kernel's in-place copies where the
/// descriptors allow (copy_file_range, then sendfile, from files; splice from pipes), and
/// read/write otherwise. Errors say which side failed.
///
/// Terminals and sockets always go through read/write: sendfile from them into a pipe
/// waits for input while holding the pipe's lock, so the reader at the other end could not
/// take what was already written (`cat | grep` typed at a terminal would stall).
pub fn copy_fd(from: BorrowedFd, to: BorrowedFd) -> Result<u64, CopyError> {
    let mut total = 0u64;
    let kernel_copy = |how: u8, total: &mut u64| -> Result<bool, CopyError> {
        loop {
            let r = match how {
                0 => rustix::fs::copy_file_range(from, None, to, None, 1 << 30),
                1 => rustix::fs::sendfile(to, from, None, 1 << 30),
                _ => rustix::pipe::splice(from, None, to, None, 1 << 30, rustix::pipe::SpliceFlags::MOVE),
            };
            match r {
                // Zero at the start may be a file whose size lies (/proc): let read decide.
                Ok(0) => return Ok(*total > 0),
                Ok(n) => *total += n as u64,
                Err(Errno::INTR) => {}
                Err(e @ (Errno::NOSPC | Errno::PIPE | Errno::FBIG | Errno::DQUOT)) => {
                    return Err(CopyError::Write(e))
                }
                // Anything else: not supported here, or an error that read/write will
                // reproduce and attribute to the right side.
                Err(_) => return Ok(false),
            }
        }
    };
    use rustix::fs::FileType;
    let kind = rustix::fs::fstat(from).map(|s| FileType::from_raw_mode(s.st_mode));
    let done = match kind {
        Ok(FileType::RegularFile | FileType::BlockDevice) => {
            kernel_copy(0, &mut total)? || kernel_copy(1, &mut total)?
        }
        Ok(FileType::Fifo) => kernel_copy(2, &mut total)?,
        _ => false,
    };
    if done {
        return Ok(total);
    }
    copy_read_write(from, to).map(|n| n + total)
}

/// Which side of a copy failed.
#[derive(Debug, PartialEq, Eq)]
pub enum CopyError {
    Read(Errno),
    Write(Errno),
}

fn copy_read_write(from: BorrowedFd, to: BorrowedFd) -> Result<u64, CopyError> {
    let mut space = alloc::vec![0u8; 128 * 1024 + 4096];
    // Page-aligned: the kernel copies from pipes into aligned memory markedly faster.
    let at = space.as_ptr().align_offset(4096).min(4096);
    let buf = &mut space[at..at + 128 * 1024];
    let mut total = 0u64;
    loop {
        let n = match rustix::io::read(from, &mut buf[..]) {
            Ok(0) => return Ok(total),
            Ok(n) => n,
            Err(Errno::INTR) => continue,
            Err(e) => return Err(CopyError::Read(e)),
        };
        crate::common::out::write_all(rustix::fd::AsRawFd::as_raw_fd(&to), &buf[..n])
            .map_err(CopyError::Write)?;
        total += n as u64;
    }
}

/// Reads once, retrying on EINTR.
pub fn read_some(fd: BorrowedFd, buf: &mut [u8]) -> Result<usize, Errno> {
    loop {
        match rustix::io::read(fd, &mut *buf) {
            Err(Errno::INTR) => {}
            r => return r,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_whole_file() {
        let v = read_file(b"/proc/self/stat").unwrap();
        assert!(!v.is_empty());
        assert_eq!(read_file(b"/nonexistent/x"), Err(Errno::NOENT));
    }
}
