//! basename — strip the directory and a suffix from names (POSIX; GNU -a -s -z).
use crate::common::{long, path, Cx, Getopt, HasArg, Long, Opt};

const USAGE: &str = "\
Usage: basename NAME [SUFFIX]
   or: basename -a [-s SUFFIX] [-z] NAME...

Print NAME without its leading directories and without a trailing SUFFIX.

  -a, --multiple     take every operand as a NAME
  -s, --suffix=SUF   remove the trailing SUF (implies -a)
  -z, --zero         end each output name with NUL, not newline
";

const LONGS: &[Long] = &[
    long("multiple", HasArg::No, b'a' as u16),
    long("suffix", HasArg::Yes, b's' as u16),
    long("zero", HasArg::No, b'z' as u16),
];

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let mut g = Getopt::new(&args, "as:z", LONGS);
    let (mut multiple, mut suffix, mut end) = (false, None, b'\n');
    while let Some(o) = g.next() {
        match o {
            Ok(Opt::Char(b'a')) => multiple = true,
            Ok(Opt::Char(b's')) => {
                multiple = true;
                suffix = g.arg();
            }
            Ok(Opt::Char(b'z')) => end = 0,
            other => return cx.opt_exit(other, USAGE, 1),
        }
    }
    let names = g.operands();
    if names.is_empty() {
        return cx.usage_error("missing operand", USAGE, 1);
    }
    let names = if multiple {
        &names[..]
    } else {
        if names.len() > 2 {
            cx.warn_parts(&[b"extra operand '", names[2], b"'"]);
            cx.usage_line(USAGE);
            return 1;
        }
        suffix = names.get(1).copied();
        &names[..1]
    };
    for name in names {
        cx.out.put(strip(name, suffix.unwrap_or(b"")));
        cx.out.byte(end);
    }
    0
}

/// The last component of `name` without `suffix` (kept when it is all there is).
fn strip<'a>(name: &'a [u8], suffix: &[u8]) -> &'a [u8] {
    let base = path::basename(name);
    match base.strip_suffix(suffix) {
        Some(s) if !s.is_empty() && base != b"/" => s,
        _ => base,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffix_is_removed_unless_it_is_the_whole_name() {
        assert_eq!(strip(b"dir/a.c", b".c"), b"a");
        assert_eq!(strip(b".c", b".c"), b".c");
        assert_eq!(strip(b"a/b/", b"b"), b"b");
        assert_eq!(strip(b"/", b"/"), b"/");
        assert_eq!(strip(b"x", b""), b"x");
        assert_eq!(strip(b"", b""), b"");
    }
}
