//! yes — print a line (default `y`) until the output is closed (GNU/BusyBox).
use crate::common::{Cx, Getopt};

const USAGE: &str = "Usage: yes [STRING]...\n\nRepeatedly print STRING (default: y) until killed.\n";

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let mut g = Getopt::new(&args, "+", &[]);
    if let Some(o) = g.next() {
        return cx.opt_exit(o, USAGE, 1);
    }
    let words = g.operands();
    let mut line = alloc::vec::Vec::new();
    if words.is_empty() {
        line.push(b'y');
    }
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            line.push(b' ');
        }
        line.extend_from_slice(w);
    }
    line.push(b'\n');
    // Fill a block with whole lines so each write(2) carries many of them.
    let mut block = alloc::vec::Vec::with_capacity(8192 + line.len());
    while block.len() < 8192 {
        block.extend_from_slice(&line);
    }
    while !cx.out.failed() {
        cx.out.put(&block);
    }
    1
}
