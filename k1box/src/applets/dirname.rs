//! dirname — strip the last component from names (POSIX; GNU several names and -z).
use crate::common::{long, path, Cx, Getopt, HasArg, Long, Opt};

const USAGE: &str = "\
Usage: dirname [-z] NAME...

Print each NAME without its last component (`.` when there is no slash).

  -z, --zero   end each output name with NUL, not newline
";

const LONGS: &[Long] = &[long("zero", HasArg::No, b'z' as u16)];

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let mut g = Getopt::new(&args, "z", LONGS);
    let mut end = b'\n';
    while let Some(o) = g.next() {
        match o {
            Ok(Opt::Char(b'z')) => end = 0,
            other => return cx.opt_exit(other, USAGE, 1),
        }
    }
    let names = g.operands();
    if names.is_empty() {
        return cx.usage_error("missing operand", USAGE, 1);
    }
    for name in names {
        cx.out.put(path::dirname(name));
        cx.out.byte(end);
    }
    0
}
