//! pwd — print the working directory (POSIX -L -P; the default is -L as POSIX and BusyBox).
//!
//! With -L, `$PWD` is printed when it is absolute, has no `.` or `..` component and names
//! the current directory; otherwise (and with -P) the physical path from getcwd.
use alloc::vec::Vec;

use crate::common::copy::c_path as c;
use crate::common::{long, Cx, Getopt, HasArg, Long, Opt};

const USAGE: &str = "\
Usage: pwd [-L|-P]

Print the full name of the current directory.

  -L, --logical    use $PWD when it names the current directory (default)
  -P, --physical   print the name with all symbolic links resolved
";

const LONGS: &[Long] = &[long("logical", HasArg::No, b'L' as u16), long("physical", HasArg::No, b'P' as u16)];

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let mut g = Getopt::new(&args, "LP", LONGS);
    let mut logical = true;
    while let Some(o) = g.next() {
        match o {
            Ok(Opt::Char(b'L')) => logical = true,
            Ok(Opt::Char(b'P')) => logical = false,
            other => return cx.opt_exit(other, USAGE, 1),
        }
    }
    if !g.operands().is_empty() {
        cx.warn(b"ignoring non-option arguments");
    }
    if logical {
        if let Some(p) = cx.getenv(b"PWD").filter(|p| is_plain_absolute(p)) {
            if same_file(p) {
                let p = p.to_vec();
                cx.out.put(&p);
                cx.out.byte(b'\n');
                return 0;
            }
        }
    }
    match rustix::process::getcwd(Vec::new()) {
        Ok(p) => {
            cx.out.put(p.as_bytes());
            cx.out.byte(b'\n');
            0
        }
        Err(e) => {
            cx.warn_path(b"getcwd", e);
            1
        }
    }
}

/// True for an absolute path without `.` or `..` components.
fn is_plain_absolute(p: &[u8]) -> bool {
    p.first() == Some(&b'/') && !p.split(|&c| c == b'/').any(|c| c == b"." || c == b"..")
}

/// True when `a` names the current directory.
fn same_file(a: &[u8]) -> bool {
    match (rustix::fs::stat(&*c(a)), rustix::fs::stat(c".")) {
        (Ok(x), Ok(y)) => x.st_dev == y.st_dev && x.st_ino == y.st_ino,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pwd_value_must_be_absolute_without_dot_components() {
        assert!(is_plain_absolute(b"/usr/lib"));
        assert!(is_plain_absolute(b"/"));
        assert!(!is_plain_absolute(b"usr"));
        assert!(!is_plain_absolute(b"/usr/./lib"));
        assert!(!is_plain_absolute(b"/usr/.."));
        assert!(is_plain_absolute(b"/a/.b/..c"));
        assert!(!is_plain_absolute(b""));
    }
}
