//! blkid — print block device attributes (util-linux blkid(8), BusyBox blkid): TYPE, LABEL
//! and UUID of ext2/3/4, iso9660, squashfs and vfat, read from their superblocks.
//!
//! Without operands every block device of /sys/class/block is probed. Output:
//! `/dev/sda1: LABEL="x" UUID="y" TYPE="ext4"`. Exit 2 when nothing was identified.
use alloc::vec::Vec;

use crate::common::{blkid, Cx, Getopt, Opt};

const USAGE: &str = "\
Usage: blkid [-s TAG]... [-o full|value|export] [-L LABEL | -U UUID | DEVICE...]

Print the type, label and UUID of file systems (ext2/3/4, iso9660, squashfs, vfat).
Without DEVICE every block device is probed.

  -s TAG     show only this tag (TYPE, LABEL or UUID); may be repeated
  -o FORMAT  full (default), value (values only, one per line), export (TAG=value lines)
  -L LABEL   print the device with this label
  -U UUID    print the device with this UUID
";

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let mut g = Getopt::new(&args, "s:o:L:U:cw:g", &[]);
    let mut tags: Vec<Vec<u8>> = Vec::new();
    let mut format = b"full".to_vec();
    let mut lookup: Option<Vec<u8>> = None;
    while let Some(o) = g.next() {
        match o {
            Ok(Opt::Char(b's')) => tags.push(g.arg_or_empty().to_vec()),
            Ok(Opt::Char(b'o')) => format = g.arg_or_empty().to_vec(),
            Ok(Opt::Char(b'L')) => lookup = Some([&b"LABEL="[..], g.arg_or_empty()].concat()),
            Ok(Opt::Char(b'U')) => lookup = Some([&b"UUID="[..], g.arg_or_empty()].concat()),
            Ok(Opt::Char(b'c' | b'w' | b'g')) => {}
            other => return cx.opt_exit(other, USAGE, 2),
        }
    }
    if !matches!(&format[..], b"full" | b"value" | b"export") {
        cx.warn_parts(&[b"unsupported output format ", &format]);
        return 2;
    }
    if let Some(spec) = lookup {
        return match blkid::resolve(&spec) {
            Some(d) => {
                cx.out.put(&d);
                cx.out.byte(b'\n');
                0
            }
            None => 2,
        };
    }
    let ops = g.operands();
    let devices: Vec<Vec<u8>> = if ops.is_empty() {
        blkid::block_devices(false).iter().map(|n| blkid::dev_path(n)).collect()
    } else {
        ops.iter().map(|o| o.to_vec()).collect()
    };
    let mut found = false;
    for dev in &devices {
        let Ok(Some(p)) = blkid::probe_path(dev) else { continue };
        found = true;
        print(cx, dev, &p, &tags, &format);
    }
    if found {
        0
    } else {
        2
    }
}

fn print(cx: &mut Cx, dev: &[u8], p: &blkid::Probe, tags: &[Vec<u8>], format: &[u8]) {
    let fields: [(&[u8], &[u8]); 3] =
        [(b"LABEL", &p.label), (b"UUID", &p.uuid), (b"TYPE", p.fstype.as_bytes())];
    let shown =
        fields.iter().filter(|(t, v)| !v.is_empty() && (tags.is_empty() || tags.iter().any(|x| x == t)));
    match format {
        b"value" => {
            for (_, v) in shown {
                cx.out.put(v);
                cx.out.byte(b'\n');
            }
        }
        b"export" => {
            cx.out.put(b"DEVNAME=");
            cx.out.put(dev);
            cx.out.byte(b'\n');
            for (t, v) in shown {
                cx.out.put(t);
                cx.out.byte(b'=');
                cx.out.put(v);
                cx.out.byte(b'\n');
            }
            cx.out.byte(b'\n');
        }
        _ => {
            cx.out.put(dev);
            cx.out.byte(b':');
            for (t, v) in shown {
                cx.out.byte(b' ');
                cx.out.put(t);
                cx.out.put(b"=\"");
                cx.out.put(v);
                cx.out.byte(b'"');
            }
            cx.out.byte(b'\n');
        }
    }
}
