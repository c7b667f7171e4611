//! dmesg — print or control the kernel ring buffer (util-linux and BusyBox dmesg(1):
//! -c -C -n LEVEL -r -s SIZE), through syslog(2).
//!
//! Lines are printed without their `<N>` priority prefix unless -r.
use alloc::vec::Vec;

use crate::common::{num::parse_u64, Cx, Getopt, Opt};
use crate::rt::kernel as sys;

const USAGE: &str = "\
Usage: dmesg [-cCr] [-n LEVEL] [-s SIZE]

Print the kernel's message buffer.

  -c        clear the buffer after printing it
  -C        clear the buffer, print nothing
  -n LEVEL  set the console log level (1-8): messages below it go to the console
  -r        raw: keep the <N> priority prefixes
  -s SIZE   buffer size to read (default: the kernel's)
";

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let mut g = Getopt::new(&args, "cCrn:s:", &[]);
    let (mut clear, mut clear_only, mut raw) = (false, false, false);
    let mut level = None;
    let mut size = None;
    while let Some(o) = g.next() {
        match o {
            Ok(Opt::Char(b'c')) => clear = true,
            Ok(Opt::Char(b'C')) => clear_only = true,
            Ok(Opt::Char(b'r')) => raw = true,
            Ok(Opt::Char(b'n')) => match parse_u64(g.arg_or_empty()).filter(|n| (1..=8).contains(n)) {
                Some(n) => level = Some(n as i32),
                None => {
                    cx.warn_parts(&[b"unknown level '", g.arg_or_empty(), b"'"]);
                    return 1;
                }
            },
            Ok(Opt::Char(b's')) => size = parse_u64(g.arg_or_empty()).map(|n| n.clamp(1, 1 << 26) as usize),
            other => return cx.opt_exit(other, USAGE, 1),
        }
    }
    if !g.operands().is_empty() {
        return cx.usage_error("extra operand", USAGE, 1);
    }
    let fail = |cx: &mut Cx, what: &str, e| {
        cx.warnf(format_args!("{}: {}", what, crate::rt::strerror(e)));
        1
    };
    if let Some(n) = level {
        return match sys::klogctl(sys::SYSLOG_CONSOLE_LEVEL, &mut [], n) {
            Ok(_) => 0,
            Err(e) => fail(cx, "klogctl", e),
        };
    }
    if clear_only {
        return match sys::klogctl(sys::SYSLOG_CLEAR, &mut [], 0) {
            Ok(_) => 0,
            Err(e) => fail(cx, "klogctl", e),
        };
    }
    let len = size
        .unwrap_or_else(|| sys::klogctl(sys::SYSLOG_SIZE_BUFFER, &mut [], 0).unwrap_or(1 << 17).max(4096));
    let mut buf: Vec<u8> = alloc::vec![0; len];
    let action = if clear { sys::SYSLOG_READ_CLEAR } else { sys::SYSLOG_READ_ALL };
    let n = match sys::klogctl(action, &mut buf, 0) {
        Ok(n) => n.min(buf.len()),
        Err(e) => return fail(cx, "klogctl", e),
    };
    let text = shown(&buf[..n], raw);
    cx.out.put(&text);
    0
}

/// The log as printed: without `<N>` at line starts unless `raw`, ending in a newline.
fn shown(log: &[u8], raw: bool) -> Vec<u8> {
    let mut v = Vec::with_capacity(log.len() + 1);
    let mut i = 0;
    while i < log.len() {
        if !raw && log[i] == b'<' {
            if let Some(end) = log[i..].iter().take(5).position(|&c| c == b'>') {
                if end > 1 && log[i + 1..i + end].iter().all(u8::is_ascii_digit) {
                    i += end + 1;
                }
            }
        }
        let end = memchr::memchr(b'\n', &log[i..]).map_or(log.len(), |p| i + p + 1);
        v.extend_from_slice(&log[i..end]);
        i = end;
    }
    if !v.is_empty() && v.last() != Some(&b'\n') {
        v.push(b'\n');
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn priority_prefixes_are_dropped_unless_raw() {
        let log = b"<6>[    0.000000] Linux\n<4>x<y\n<12>no newline";
        assert_eq!(shown(log, false), b"[    0.000000] Linux\nx<y\nno newline\n");
        assert_eq!(shown(log, true), b"<6>[    0.000000] Linux\n<4>x<y\n<12>no newline\n");
        assert_eq!(shown(b"", false), b"");
    }
}
