//! kill — send a signal to processes (POSIX kill(1) with the util-linux/procps forms
//! -l [SIG], -s SIG, -SIG, -n NUM; negative pids name process groups, -1 every process).
use crate::common::{num::parse_i64, Cx};

const USAGE: &str = "\
Usage: kill [-s SIG | -SIG] PID...
   or: kill -l [SIG|EXIT-STATUS]

Send a signal (default TERM) to processes. A PID of -N signals process group N,
-1 every process you may signal. SIG is a name (TERM, SIGTERM) or a number.

  -s SIG  the signal to send
  -l      list signal names, or convert a number or exit status to a name
";

const NAMES: [&str; 31] = [
    "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2", "PIPE",
    "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU", "XFSZ",
    "VTALRM", "PROF", "WINCH", "POLL", "PWR", "SYS",
];

/// A signal by name (`TERM`, `SIGTERM`, `term`, `IO`, `CLD`, `IOT`) or number (0-64).
pub fn signal_number(s: &[u8]) -> Option<i32> {
    if let Some(n) = crate::common::num::parse_u64(s) {
        return (n <= 64).then_some(n as i32);
    }
    let up: alloc::vec::Vec<u8> = s.to_ascii_uppercase();
    let name = up.strip_prefix(b"SIG").unwrap_or(&up);
    match name {
        b"IO" => return Some(29),
        b"CLD" => return Some(17),
        b"IOT" => return Some(6),
        _ => {}
    }
    if let Some(r) = name.strip_prefix(b"RTMIN") {
        let off = if r.is_empty() { 0 } else { crate::common::num::parse_u64(r.strip_prefix(b"+")?)? };
        return (off <= 30).then_some(34 + off as i32);
    }
    if let Some(r) = name.strip_prefix(b"RTMAX") {
        let off = if r.is_empty() { 0 } else { crate::common::num::parse_u64(r.strip_prefix(b"-")?)? };
        return (off <= 30).then_some(64 - off as i32);
    }
    NAMES.iter().position(|n| n.as_bytes() == name).map(|i| i as i32 + 1)
}

fn signal_name(n: i32) -> Option<&'static str> {
    usize::try_from(n - 1).ok().and_then(|i| NAMES.get(i)).copied()
}

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let mut sig = 15;
    let mut i = 0;
    // Options come first and look like signals, so getopt does not fit.
    while let Some(a) = args.get(i) {
        match a.as_slice() {
            b"--" => {
                i += 1;
                break;
            }
            b"--help" => {
                cx.out.str(USAGE);
                return 0;
            }
            b"-l" | b"-L" | b"--list" => return list(cx, &args[i + 1..]),
            b"-s" | b"-n" | b"--signal" => {
                let Some(s) = args.get(i + 1) else {
                    return cx.usage_error("option requires an argument -- 's'", USAGE, 1);
                };
                match signal_number(s) {
                    Some(n) => sig = n,
                    None => return bad_signal(cx, s),
                }
                i += 2;
            }
            a if i == 0 && a.len() > 1 && a[0] == b'-' && (!a[1].is_ascii_digit() || args.len() > 1) => {
                match signal_number(&a[1..]) {
                    Some(n) => sig = n,
                    None => return bad_signal(cx, &a[1..]),
                }
                i += 1;
                break;
            }
            _ => break,
        }
    }
    let pids = &args[i..];
    if pids.is_empty() {
        return cx.usage_error("not enough arguments", USAGE, 1);
    }
    let mut code = 0;
    for p in pids {
        let Some(pid) = parse_i64(p).and_then(|n| i32::try_from(n).ok()) else {
            cx.warn_parts(&[b"can't kill pid ", p, b": No such process"]);
            code = 1;
            continue;
        };
        if let Err(e) = crate::rt::kernel::kill(pid, sig) {
            cx.warnf(format_args!("can't kill pid {}: {}", pid, crate::rt::strerror(e)));
            code = 1;
        }
    }
    code
}

fn bad_signal(cx: &mut Cx, s: &[u8]) -> i32 {
    cx.warn_parts(&[b"bad signal name '", s, b"'"]);
    1
}

fn list(cx: &mut Cx, rest: &[alloc::vec::Vec<u8>]) -> i32 {
    if rest.is_empty() {
        for (i, n) in NAMES.iter().enumerate() {
            cx.out.str(n);
            cx.out.byte(if (i + 1) % 8 == 0 || i + 1 == NAMES.len() { b'\n' } else { b' ' });
        }
        return 0;
    }
    let mut code = 0;
    for a in rest {
        match crate::common::num::parse_u64(a) {
            // An exit status of a signalled process is 128+N.
            Some(n) => match signal_name(if n > 128 { n as i32 - 128 } else { n.min(255) as i32 }) {
                Some(name) => {
                    cx.out.str(name);
                    cx.out.byte(b'\n');
                }
                None => code = bad_signal(cx, a),
            },
            None => match signal_number(a) {
                Some(n) => {
                    cx.out.num(n as u64);
                    cx.out.byte(b'\n');
                }
                None => code = bad_signal(cx, a),
            },
        }
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signal_names_and_numbers() {
        assert_eq!(signal_number(b"TERM"), Some(15));
        assert_eq!(signal_number(b"sigkill"), Some(9));
        assert_eq!(signal_number(b"9"), Some(9));
        assert_eq!(signal_number(b"0"), Some(0));
        assert_eq!(signal_number(b"RTMIN+2"), Some(36));
        assert_eq!(signal_number(b"65"), None);
        assert_eq!(signal_number(b"BOGUS"), None);
        assert_eq!(signal_name(17), Some("CHLD"));
        assert_eq!(signal_name(0), None);
    }
}
