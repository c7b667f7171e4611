//! rmdir — remove empty directories (POSIX -p; GNU -v --ignore-fail-on-non-empty).
use rustix::io::Errno;

use crate::common::copy::c_path as c;
use crate::common::{long, Cx, Getopt, HasArg, Long, Opt};

const USAGE: &str = "\
Usage: rmdir [-pv] [--ignore-fail-on-non-empty] DIRECTORY...

Remove each empty DIRECTORY.

  -p, --parents   then remove the parents named in DIRECTORY as they become empty
  -v, --verbose   print a line for every directory removed
      --ignore-fail-on-non-empty
                  say nothing about directories that are not empty
";

const IGNORE: u16 = 256;
const LONGS: &[Long] = &[
    long("ignore-fail-on-non-empty", HasArg::No, IGNORE),
    long("parents", HasArg::No, b'p' as u16),
    long("verbose", HasArg::No, b'v' as u16),
];

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let mut g = Getopt::new(&args, "pv", LONGS);
    let (mut parents, mut verbose, mut ignore) = (false, false, false);
    while let Some(o) = g.next() {
        match o {
            Ok(Opt::Char(b'p')) => parents = true,
            Ok(Opt::Char(b'v')) => verbose = true,
            Ok(Opt::Long(IGNORE)) => ignore = true,
            other => return cx.opt_exit(other, USAGE, 1),
        }
    }
    let dirs = g.operands();
    if dirs.is_empty() {
        return cx.usage_error("missing operand", USAGE, 1);
    }
    let mut code = 0;
    for d in dirs {
        let mut dir = d;
        loop {
            if verbose {
                cx.out.str("rmdir: removing directory, ");
                cx.out.quoted(dir);
                cx.out.byte(b'\n');
            }
            match rustix::fs::unlinkat(rustix::fs::CWD, &*c(dir), rustix::fs::AtFlags::REMOVEDIR) {
                Ok(()) => {}
                Err(Errno::NOTEMPTY | Errno::EXIST) if ignore => break,
                Err(e) => {
                    cx.warn_path(dir, e);
                    code = 1;
                    break;
                }
            }
            match parent(dir) {
                Some(p) if parents => dir = p,
                _ => break,
            }
        }
    }
    code
}

/// `a/b//c/` -> `a/b`; `None` when no parent is named (`c`, `/c`, `/`).
fn parent(dir: &[u8]) -> Option<&[u8]> {
    let end = dir.iter().rposition(|&c| c != b'/')?;
    let slash = dir[..end].iter().rposition(|&c| c == b'/')?;
    let p = &dir[..=dir[..slash].iter().rposition(|&c| c != b'/')?];
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_are_named_prefixes() {
        assert_eq!(parent(b"a/b//c/"), Some(&b"a/b"[..]));
        assert_eq!(parent(b"a/b"), Some(&b"a"[..]));
        assert_eq!(parent(b"a"), None);
        assert_eq!(parent(b"/a"), None);
        assert_eq!(parent(b"/a/b"), Some(&b"/a"[..]));
        assert_eq!(parent(b"/"), None);
        assert_eq!(parent(b""), None);
    }
}
