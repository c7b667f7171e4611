//! losetup — set up and control loop devices (util-linux losetup(8) and BusyBox: -a -f -d
//! -r -o -P --show; attach with LOOP_CONFIGURE).
//!
//! `losetup` alone or `-a` lists the attached devices as `/dev/loopN: [DEV]:INODE (FILE)`;
//! `losetup DEV` shows one; `losetup -f` prints the first free device; `losetup [-r] [-f|DEV]
//! FILE` attaches.
use crate::common::{loopdev, Cx, Error, Getopt, HasArg, Long, Opt};

const USAGE: &str = "\
Usage: losetup [-r] [-o OFFSET] [-P] [--show] -f|LOOPDEV FILE
   or: losetup -a | -f | -d LOOPDEV... | LOOPDEV

Set up and control loop devices.

  -a         list all attached loop devices
  -f         the first free loop device (printed without FILE; used with FILE)
  -d         detach the given loop devices
  -r         attach read-only
  -o OFFSET  the data starts OFFSET bytes into FILE
  -P         scan the partition table
  --show     print the device attached to with -f
";

const LONGS: &[Long] = &[
    crate::common::long("all", HasArg::No, b'a' as u16),
    crate::common::long("find", HasArg::No, b'f' as u16),
    crate::common::long("detach", HasArg::No, b'd' as u16),
    crate::common::long("read-only", HasArg::No, b'r' as u16),
    crate::common::long("offset", HasArg::Yes, b'o' as u16),
    crate::common::long("partscan", HasArg::No, b'P' as u16),
    crate::common::long("show", HasArg::No, 300),
];

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let mut g = Getopt::new(&args, "afdro:P", LONGS);
    let (mut all, mut find, mut detach, mut show) = (false, false, false, false);
    let mut how = loopdev::Attach::default();
    while let Some(o) = g.next() {
        match o {
            Ok(Opt::Char(b'a')) => all = true,
            Ok(Opt::Char(b'f')) => find = true,
            Ok(Opt::Char(b'd')) => detach = true,
            Ok(Opt::Char(b'r')) => how.read_only = true,
            Ok(Opt::Char(b'P')) => how.partscan = true,
            Ok(Opt::Char(b'o')) => match crate::common::num::parse_size(g.arg_or_empty()) {
                Some(n) => how.offset = n,
                None => {
                    cx.warn_parts(&[b"invalid offset '", g.arg_or_empty(), b"'"]);
                    return 1;
                }
            },
            Ok(Opt::Long(300)) => show = true,
            other => return cx.opt_exit(other, USAGE, 1),
        }
    }
    let ops = g.operands();
    let r = if detach {
        if ops.is_empty() {
            return cx.usage_error("no loop device specified", USAGE, 1);
        }
        let mut code = 0;
        for d in ops {
            if let Err(e) = loopdev::detach(d) {
                cx.warn_parts(&[d, b": detach failed: ", crate::rt::strerror(e).as_bytes()]);
                code = 1;
            }
        }
        return code;
    } else if all || (ops.is_empty() && !find) {
        let mut code = 0;
        for n in loopdev::attached() {
            if show_one(cx, &loopdev::path(n)).is_err() {
                code = 1;
            }
        }
        return code;
    } else {
        match (find, ops.as_slice()) {
            (true, []) => loopdev::find_free().map(|n| {
                cx.out.put(&loopdev::path(n));
                cx.out.byte(b'\n');
            }),
            (true, [file]) => loopdev::attach(file, None, how).map(|(d, _fd)| {
                if show {
                    cx.out.put(&d);
                    cx.out.byte(b'\n');
                }
            }),
            (false, [dev]) => return show_one(cx, dev).map_or(1, |_| 0),
            (false, [dev, file]) => loopdev::attach(file, Some(dev), how).map(|(d, _fd)| {
                if show {
                    cx.out.put(&d);
                    cx.out.byte(b'\n');
                }
            }),
            _ => return cx.usage_error("too many arguments", USAGE, 1),
        }
    };
    match r {
        Ok(()) => 0,
        Err(e) => {
            cx.report(&e);
            1
        }
    }
}

/// `/dev/loop0: [2049]:1234 (/path/file), offset N`.
fn show_one(cx: &mut Cx, dev: &[u8]) -> Result<(), ()> {
    match loopdev::status(dev) {
        Ok((info, file)) => {
            cx.out.put(dev);
            cx.out.put(b": [");
            let d = info.device;
            // The kernel's old 16-bit encoding of the backing device, as util-linux prints it.
            let (maj, min) = ((d >> 8) & 0xfff, (d & 0xff) | ((d >> 12) & 0xfff00));
            cx.out.num((maj << 8) | min);
            cx.out.put(b"]:");
            cx.out.num(info.inode);
            cx.out.put(b" (");
            cx.out.put(&file);
            cx.out.byte(b')');
            if info.offset != 0 {
                cx.out.put(b", offset ");
                cx.out.num(info.offset);
            }
            cx.out.byte(b'\n');
            Ok(())
        }
        Err(e) => {
            cx.report(&Error::Path(dev.to_vec(), e));
            Err(())
        }
    }
}
