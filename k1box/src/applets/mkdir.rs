//! mkdir — make directories (POSIX -p -m; GNU -v).
//!
//! `-m` takes octal or symbolic modes (common::mode) starting from `a=rwx`; the directory
//! gets exactly that mode, whatever the umask. `-p` makes missing parents (with the
//! umask's mode plus u+wx, so that the rest can be made) and accepts existing directories.
use rustix::fs::Mode;
use rustix::io::Errno;

use crate::common::copy::c_path as c;
use crate::common::{long, mode, Cx, Getopt, HasArg, Long, Opt};

const USAGE: &str = "\
Usage: mkdir [-pv] [-m MODE] DIRECTORY...

Create each DIRECTORY.

  -m, --mode=MODE   give the new directories MODE (octal, or symbolic as chmod)
  -p, --parents     make parent directories as needed; existing ones are no error
  -v, --verbose     print a line for every directory made
";

const LONGS: &[Long] = &[
    long("mode", HasArg::Yes, b'm' as u16),
    long("parents", HasArg::No, b'p' as u16),
    long("verbose", HasArg::No, b'v' as u16),
];

struct Opts {
    parents: bool,
    verbose: bool,
    /// The final directories' mode when -m asked for one.
    mode: Option<u32>,
    umask: u32,
}

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let mut g = Getopt::new(&args, "m:pv", LONGS);
    let mut o = Opts { parents: false, verbose: false, mode: None, umask: 0 };
    let mut mode_arg = None;
    while let Some(opt) = g.next() {
        match opt {
            Ok(Opt::Char(b'm')) => mode_arg = g.arg(),
            Ok(Opt::Char(b'p')) => o.parents = true,
            Ok(Opt::Char(b'v')) => o.verbose = true,
            other => return cx.opt_exit(other, USAGE, 1),
        }
    }
    let dirs = g.operands();
    if dirs.is_empty() {
        return cx.usage_error("missing operand", USAGE, 1);
    }
    let mask = rustix::process::umask(Mode::empty());
    rustix::process::umask(mask);
    o.umask = mask.bits();
    if let Some(m) = mode_arg {
        match mode::parse(m) {
            Some(spec) => o.mode = Some(spec.apply(0o777, true, o.umask)),
            None => {
                cx.warn_parts(&[b"invalid mode '", m, b"'"]);
                return 1;
            }
        }
    }
    let mut code = 0;
    for d in dirs {
        if make(cx, &o, d).is_err() {
            code = 1;
        }
    }
    code
}

/// Makes `dir` (and with -p its parents), reporting failures.
fn make(cx: &mut Cx, o: &Opts, dir: &[u8]) -> Result<(), ()> {
    let want = o.mode.unwrap_or(0o777 & !o.umask);
    let mut r = make_one(cx, o, dir, want);
    if o.parents && r == Err(Errno::NOENT) {
        for parent in parents(dir) {
            match make_one(cx, o, parent, (0o777 & !o.umask) | 0o300) {
                Ok(()) | Err(Errno::EXIST) => {}
                Err(e) => {
                    cx.warn_path(parent, e);
                    return Err(());
                }
            }
        }
        r = make_one(cx, o, dir, want);
    }
    match r {
        Ok(()) => Ok(()),
        Err(Errno::EXIST)
            if o.parents && rustix::fs::stat(&*c(dir)).is_ok_and(|s| s.st_mode & 0o170000 == 0o040000) =>
        {
            Ok(())
        }
        Err(e) => {
            cx.warn_path(dir, e);
            Err(())
        }
    }
}

/// The ancestors of `dir` named in it, outermost first: `a/b//c/` gives `a`, `a/b`.
fn parents(dir: &[u8]) -> impl Iterator<Item = &[u8]> {
    (1..dir.len())
        .filter(move |&i| dir[i] == b'/' && dir[i - 1] != b'/' && dir[i..].iter().any(|&c| c != b'/'))
        .map(move |i| &dir[..i])
}

/// One mkdir(2) that ends with exactly the mode `want`.
fn make_one(cx: &mut Cx, o: &Opts, dir: &[u8], want: u32) -> Result<(), Errno> {
    let cdir = c(dir);
    rustix::fs::mkdir(&*cdir, Mode::from_raw_mode(want))?;
    // mkdir(2) drops the umask's bits and may ignore the special ones: set what was asked.
    if want & !(0o777 & !o.umask) != 0 {
        rustix::fs::chmod(&*cdir, Mode::from_raw_mode(want))?;
    }
    if o.verbose {
        cx.out.str("mkdir: created directory ");
        cx.out.quoted(dir);
        cx.out.byte(b'\n');
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn parents_are_the_named_ancestors() {
        let p = |d: &'static str| parents(d.as_bytes()).collect::<Vec<_>>();
        assert_eq!(p("a/b//c/"), [&b"a"[..], b"a/b"]);
        assert_eq!(p("/x/y"), [&b"/x"[..]]);
        assert_eq!(p("//x"), Vec::<&[u8]>::new());
        assert_eq!(p("d"), Vec::<&[u8]>::new());
        assert_eq!(p("d///"), Vec::<&[u8]>::new());
    }
}
