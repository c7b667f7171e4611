//! mknod — make block or character special files and FIFOs (POSIX and GNU mknod(1):
//! `mknod [-m MODE] NAME b|c|u MAJOR MINOR`, `mknod [-m MODE] NAME p`).
use rustix::fs::{FileType, Mode};

use crate::common::{num::parse_u64, At, Cx, Getopt, HasArg, Long, Opt};

const USAGE: &str = "\
Usage: mknod [-m MODE] NAME TYPE [MAJOR MINOR]

Make a special file NAME of TYPE: b block device, c or u character device (with MAJOR
and MINOR numbers), p FIFO.

  -m MODE  permissions in octal (default 0666, less the umask)
";

const LONGS: &[Long] = &[crate::common::long("mode", HasArg::Yes, b'm' as u16)];

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let mut g = Getopt::new(&args, "m:", LONGS);
    let mut mode: Option<u32> = None;
    while let Some(o) = g.next() {
        match o {
            Ok(Opt::Char(b'm')) => {
                let a = g.arg_or_empty();
                match (!a.is_empty() && a.iter().all(|c| (b'0'..=b'7').contains(c)))
                    .then(|| a.iter().fold(0u32, |n, c| (n << 3) | (c - b'0') as u32))
                    .filter(|&m| m <= 0o7777)
                {
                    Some(m) => mode = Some(m),
                    None => {
                        cx.warn_parts(&[b"invalid mode '", a, b"'"]);
                        return 1;
                    }
                }
            }
            other => return cx.opt_exit(other, USAGE, 1),
        }
    }
    let ops = g.operands();
    let (name, ft, dev) = match ops.as_slice() {
        [name, b"p"] => (*name, FileType::Fifo, 0),
        [_, b"b" | b"c" | b"u"] | [_, b"b" | b"c" | b"u", _] => {
            return cx.usage_error("missing operand", USAGE, 1)
        }
        [name, t @ (b"b" | b"c" | b"u"), maj, min] => {
            let (Some(maj), Some(min)) =
                (parse_u64(maj).filter(|&n| n < 1 << 12), parse_u64(min).filter(|&n| n < 1 << 20))
            else {
                cx.warn(b"invalid major or minor device number");
                return 1;
            };
            let ft = if *t == b"b" { FileType::BlockDevice } else { FileType::CharacterDevice };
            (*name, ft, rustix::fs::makedev(maj as u32, min as u32))
        }
        [_, b"p", ..] => {
            return cx.usage_error("Fifos do not have major and minor device numbers.", USAGE, 1)
        }
        [_, t, ..] if !matches!(*t, b"b" | b"c" | b"u" | b"p") => {
            return cx.usage_error(
                &alloc::string::String::from_utf8_lossy(&[&b"invalid device type '"[..], t, b"'"].concat()),
                USAGE,
                1,
            )
        }
        [] | [_] => return cx.usage_error("missing operand", USAGE, 1),
        _ => return cx.usage_error("extra operand", USAGE, 1),
    };
    let m = mode.unwrap_or(0o666);
    if let Err(e) = rustix::fs::mknodat(rustix::fs::CWD, name, ft, Mode::from_raw_mode(m), dev).at(name) {
        cx.report(&e);
        return 1;
    }
    if mode.is_some() {
        // An explicit mode is not cut by the umask (GNU).
        if let Err(e) = rustix::fs::chmod(name, Mode::from_raw_mode(m)).at(name) {
            cx.report(&e);
            return 1;
        }
    }
    0
}
