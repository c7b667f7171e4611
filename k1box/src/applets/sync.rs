//! sync — write cached data to storage (POSIX sync; GNU -d and -f with files).
//!
//! Without files: sync(2) for every file system. With files: fsync(2) each, fdatasync(2)
//! with -d, or syncfs(2) of the file system holding each with -f.
use rustix::fd::OwnedFd;
use rustix::fs::{Mode, OFlags};
use rustix::io::Errno;

use crate::common::copy::c_path as c;
use crate::common::{long, Cx, Getopt, HasArg, Long, Opt};

const USAGE: &str = "\
Usage: sync [-d|-f] [FILE]...

Write buffered data to disk: everything, or only the named FILEs.

  -d, --data          write only each file's data and what is needed to read it back
  -f, --file-system   write everything of the file systems holding the FILEs
";

const LONGS: &[Long] = &[long("data", HasArg::No, b'd' as u16), long("file-system", HasArg::No, b'f' as u16)];

#[derive(Clone, Copy, PartialEq)]
enum How {
    Full,
    Data,
    FileSystem,
}

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let mut g = Getopt::new(&args, "df", LONGS);
    let (mut data, mut fs) = (false, false);
    while let Some(o) = g.next() {
        match o {
            Ok(Opt::Char(b'd')) => data = true,
            Ok(Opt::Char(b'f')) => fs = true,
            other => return cx.opt_exit(other, USAGE, 1),
        }
    }
    let files = g.operands();
    if data && fs {
        return cx.usage_error("cannot specify both --data and --file-system", USAGE, 1);
    }
    if data && files.is_empty() {
        return cx.usage_error("--data needs at least one argument", USAGE, 1);
    }
    if files.is_empty() {
        rustix::fs::sync();
        return 0;
    }
    let how = if data {
        How::Data
    } else if fs {
        How::FileSystem
    } else {
        How::Full
    };
    let mut code = 0;
    for f in files {
        if let Err(e) = sync_file(f, how) {
            cx.warn_path(f, e);
            code = 1;
        }
    }
    code
}

fn sync_file(path: &[u8], how: How) -> Result<(), Errno> {
    let fd = open(path)?;
    match how {
        How::Full => rustix::fs::fsync(&fd),
        How::Data => rustix::fs::fdatasync(&fd),
        How::FileSystem => rustix::fs::syncfs(&fd),
    }
}

/// Opens for reading without blocking on FIFOs or devices, or for writing when the file
/// cannot be read (write-only files can still be synced).
fn open(path: &[u8]) -> Result<OwnedFd, Errno> {
    let flags = OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC;
    let path = c(path);
    match rustix::fs::open(&*path, flags | OFlags::RDONLY, Mode::empty()) {
        Err(Errno::ACCESS) => rustix::fs::open(&*path, flags | OFlags::WRONLY, Mode::empty()),
        r => r,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syncs_files_each_way_and_reports_missing_ones() {
        let p = std::env::temp_dir().join(format!("k1box-sync-unit-{}", std::process::id()));
        std::fs::write(&p, b"x").unwrap();
        let name = p.to_str().unwrap().as_bytes();
        for how in [How::Full, How::Data, How::FileSystem] {
            assert_eq!(sync_file(name, how), Ok(()));
        }
        assert_eq!(sync_file(b"/nonexistent/x", How::Full), Err(Errno::NOENT));
        std::fs::remove_file(&p).unwrap();
    }
}
