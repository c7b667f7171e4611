//! hostname — show or set the system's host name (net-tools and BusyBox hostname(1):
//! -F FILE, -s).
use crate::common::{At, Cx, Getopt, Opt};

const USAGE: &str = "\
Usage: hostname [-s] [-F FILE | NAME]

Print the host name, or set it to NAME or to the first line of FILE.

  -s       short: up to the first dot
  -F FILE  set the host name from FILE (blank lines and # comments skipped)
";

const LONGS: &[crate::common::Long] = &[crate::common::long("file", crate::common::HasArg::Yes, b'F' as u16)];

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let mut g = Getopt::new(&args, "sF:", LONGS);
    let mut short = false;
    let mut file = None;
    while let Some(o) = g.next() {
        match o {
            Ok(Opt::Char(b's')) => short = true,
            Ok(Opt::Char(b'F')) => file = g.arg().map(|a| a.to_vec()),
            other => return cx.opt_exit(other, USAGE, 1),
        }
    }
    let ops = g.operands();
    let name = match (&file, ops.as_slice()) {
        (Some(f), []) => match crate::common::fs::read_file(f).at(f) {
            Ok(t) => t
                .split(|&c| c == b'\n')
                .map(|l| l.trim_ascii())
                .find(|l| !l.is_empty() && !l.starts_with(b"#"))
                .unwrap_or(b"")
                .to_vec(),
            Err(e) => {
                cx.report(&e);
                return 1;
            }
        },
        (None, [n]) => n.to_vec(),
        (None, []) => {
            let u = rustix::system::uname();
            let n = u.nodename().to_bytes();
            let n = if short { &n[..n.iter().position(|&c| c == b'.').unwrap_or(n.len())] } else { n };
            cx.out.put(n);
            cx.out.byte(b'\n');
            return 0;
        }
        _ => return cx.usage_error("extra operand", USAGE, 1),
    };
    if name.is_empty() {
        cx.warn(b"the host name is empty");
        return 1;
    }
    match rustix::system::sethostname(&name) {
        Ok(()) => 0,
        Err(e) => {
            cx.warnf(format_args!("sethostname: {}", crate::rt::strerror(e)));
            1
        }
    }
}
