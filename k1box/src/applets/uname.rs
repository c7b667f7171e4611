//! uname — print system information (POSIX; GNU's -p -i -o and long options).
//!
//! Fields come from uname(2) in GNU's order: -s -n -r -v -m -p -i -o. The processor and
//! hardware platform are `unknown` (Linux does not say), and -a leaves them out as GNU
//! does. The operating system is `Linux`: K1OS has no GNU userland.
use alloc::vec::Vec;

use crate::common::{long, quoted, Cx, Getopt, HasArg, Long, Opt};

const USAGE: &str = "\
Usage: uname [-asnrvmpio]

Print system information; with no option, the kernel name.

  -a, --all                all of the below, except -p and -i when unknown
  -s, --kernel-name        kernel name
  -n, --nodename           network node hostname
  -r, --kernel-release     kernel release
  -v, --kernel-version     kernel version
  -m, --machine            machine hardware name
  -p, --processor          processor type
  -i, --hardware-platform  hardware platform
  -o, --operating-system   operating system
";

const LONGS: &[Long] = &[
    long("all", HasArg::No, b'a' as u16),
    long("hardware-platform", HasArg::No, b'i' as u16),
    long("kernel-name", HasArg::No, b's' as u16),
    long("kernel-release", HasArg::No, b'r' as u16),
    long("kernel-version", HasArg::No, b'v' as u16),
    long("machine", HasArg::No, b'm' as u16),
    long("nodename", HasArg::No, b'n' as u16),
    long("operating-system", HasArg::No, b'o' as u16),
    long("processor", HasArg::No, b'p' as u16),
];

/// The field letters in output order.
const ORDER: &[u8; 8] = b"snrvmpio";
/// What -a selects (all but -p and -i, which are unknown on Linux).
const ALL: u8 = 0b1001_1111;

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let mut g = Getopt::new(&args, "asnrvmpio", LONGS);
    let mut want: u8 = 0;
    while let Some(o) = g.next() {
        match o {
            Ok(Opt::Char(b'a')) => want |= ALL,
            Ok(Opt::Char(c)) if ORDER.contains(&c) => {
                want |= 1 << ORDER.iter().position(|&x| x == c).unwrap_or(0);
            }
            other => return cx.opt_exit(other, USAGE, 1),
        }
    }
    if let Some(extra) = g.operands().first() {
        cx.warnf(format_args!("extra operand {}", quoted(extra)));
        cx.usage_line(USAGE);
        return 1;
    }
    if want == 0 {
        want = 1;
    }
    let u = rustix::system::uname();
    let fields: [&[u8]; 8] = [
        u.sysname().to_bytes(),
        u.nodename().to_bytes(),
        u.release().to_bytes(),
        u.version().to_bytes(),
        u.machine().to_bytes(),
        b"unknown",
        b"unknown",
        b"Linux",
    ];
    cx.out.put(&line(want, &fields));
    0
}

/// The selected fields (bit i for `ORDER[i]`), separated by spaces, with a newline.
fn line(want: u8, fields: &[&[u8]; 8]) -> Vec<u8> {
    let mut v = Vec::new();
    for (i, f) in fields.iter().enumerate() {
        if want & (1 << i) != 0 {
            if !v.is_empty() {
                v.push(b' ');
            }
            v.extend_from_slice(f);
        }
    }
    v.push(b'\n');
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_skips_processor_and_platform_and_order_is_fixed() {
        let f: [&[u8]; 8] = [b"s", b"n", b"r", b"v", b"m", b"p", b"i", b"o"];
        assert_eq!(line(ALL, &f), b"s n r v m o\n");
        assert_eq!(line(0b1111_1111, &f), b"s n r v m p i o\n");
        assert_eq!(line(1 << 4 | 1, &f), b"s m\n");
    }
}
