//! echo — write arguments (POSIX, with the -n -e -E options of GNU and BusyBox).
//!
//! Options are recognised only as leading arguments made entirely of n, e and E letters,
//! as GNU does: `echo -x` prints `-x`.
use crate::common::Cx;

pub fn main(cx: &mut Cx) -> i32 {
    let mut newline = true;
    let mut escapes = false;
    let mut first = 0;
    for a in &cx.args {
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
    let args = core::mem::take(&mut cx.args);
    for (i, a) in args[first..].iter().enumerate() {
        if i > 0 {
            cx.out.byte(b' ');
        }
        if escapes {
            let mut buf = alloc::vec::Vec::new();
            if crate::common::escape::backslash(a, &mut buf, true) {
                cx.out.put(&buf);
                return 0;
            }
            cx.out.put(&buf);
        } else {
            cx.out.put(a);
        }
    }
    if newline {
        cx.out.byte(b'\n');
    }
    0
}
