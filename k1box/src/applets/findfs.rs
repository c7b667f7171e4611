//! findfs — find a file system by label or UUID (util-linux findfs(8), BusyBox findfs):
//! prints the device holding it.
use crate::common::{blkid, Cx, Getopt};

const USAGE: &str = "\
Usage: findfs LABEL=label|UUID=uuid

Print the block device holding the file system with this label or UUID.
";

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let mut g = Getopt::new(&args, "", &[]);
    if let Some(o) = g.next() {
        return cx.opt_exit(o, USAGE, 1);
    }
    let ops = g.operands();
    let [spec] = ops.as_slice() else {
        return cx.usage_error(
            if ops.is_empty() { "missing operand" } else { "too many arguments" },
            USAGE,
            1,
        );
    };
    if blkid::tag_spec(spec).is_none() {
        return cx.usage_error("expected LABEL=label or UUID=uuid", USAGE, 1);
    }
    match blkid::resolve(spec) {
        Some(d) => {
            cx.out.put(&d);
            cx.out.byte(b'\n');
            0
        }
        None => {
            cx.warn_parts(&[b"unable to resolve '", spec, b"'"]);
            1
        }
    }
}
