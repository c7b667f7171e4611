//! echo — write arguments (POSIX, with the -n -e -E options of GNU and BusyBox).
//!
//! Options are recognised only as leading arguments made entirely of n, e and E letters,
//! as GNU does: `echo -x` prints `-x`.
use alloc::vec::Vec;

use crate::common::{Cx, Out};

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    echo(&mut cx.out, &args);
    0
}

/// Writes `echo ARGS...` to `out` (the shell's builtin calls this too).
pub fn echo(out: &mut Out, args: &[Vec<u8>]) {
    let mut newline = true;
    let mut escapes = false;
    let mut first = 0;
    for a in args {
        if a.len() < 2 || a[0] != b'-' || !a[1..].iter().all(|c| matches!(c, b'n' | b'e' | b'E')) {
            break;
        }
        for &c in &a[1..] {
            match c {
                b'n' => newline = false,
                b'e' => escapes = true,
                _ => escapes = false,
            }
        }
        first += 1;
    }
    let mut buf = Vec::new();
    for (i, a) in args[first..].iter().enumerate() {
        if i > 0 {
            out.byte(b' ');
        }
        if escapes {
            buf.clear();
            let stop = crate::common::escape::backslash(a, &mut buf, true);
            out.put(&buf);
            if stop {
                return;
            }
        } else {
            out.put(a);
        }
    }
    if newline {
        out.byte(b'\n');
    }
}
