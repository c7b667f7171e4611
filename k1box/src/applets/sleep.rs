//! sleep — wait for a time (POSIX; GNU several operands, fractions, s m h d suffixes, `inf`).
use rustix::thread::{nanosleep, NanosleepRelativeResult};
use rustix::time::Timespec;

use crate::common::{num, Cx, Getopt};

const USAGE: &str = "\
Usage: sleep NUMBER[SUFFIX]...

Pause for the sum of the NUMBERs: seconds, or with the suffix s (seconds), m (minutes),
h (hours) or d (days). Fractions such as 0.5 are allowed; `inf` sleeps until killed.
";

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let mut g = Getopt::new(&args, "", &[]);
    if let Some(o) = g.next() {
        return cx.opt_exit(o, USAGE, 1);
    }
    let ops = g.operands();
    if ops.is_empty() {
        return cx.usage_error("missing operand", USAGE, 1);
    }
    let mut total: u128 = 0;
    let mut bad = false;
    for op in &ops {
        match parse(op) {
            Some(n) => total = total.saturating_add(n),
            None => {
                cx.warn_parts(&[&b"invalid time interval '"[..], op, b"'"]);
                bad = true;
            }
        }
    }
    if bad {
        cx.usage_line(USAGE);
        return 1;
    }
    sleep_ns(total);
    0
}

/// An interval in nanoseconds; `inf`/`infinity` (any case, optional suffix) is the largest.
fn parse(s: &[u8]) -> Option<u128> {
    let word = s.strip_suffix(b"s").unwrap_or(s);
    if word.eq_ignore_ascii_case(b"inf") || word.eq_ignore_ascii_case(b"infinity") {
        return Some(u128::MAX);
    }
    num::parse_duration(s)
}

/// Sleeps `ns` nanoseconds, resuming after signals that interrupt without killing.
fn sleep_ns(ns: u128) {
    const GIGA: u128 = 1_000_000_000;
    let mut left = ns;
    while left > 0 {
        // Ask for at most ~68 years at a time: every kernel takes that, forever is a loop.
        let chunk = left.min((i32::MAX as u128) * GIGA);
        let mut t = Timespec { tv_sec: (chunk / GIGA) as i64, tv_nsec: (chunk % GIGA) as i64 };
        while let NanosleepRelativeResult::Interrupted(rem) = nanosleep(&t) {
            t = rem;
        }
        if left != u128::MAX {
            left -= chunk;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_and_infinity() {
        assert_eq!(parse(b"1.5"), Some(1_500_000_000));
        assert_eq!(parse(b"2m"), Some(120_000_000_000));
        assert_eq!(parse(b"inf"), Some(u128::MAX));
        assert_eq!(parse(b"Infinity"), Some(u128::MAX));
        assert_eq!(parse(b"infs"), Some(u128::MAX));
        assert_eq!(parse(b"x"), None);
        assert_eq!(parse(b"-1"), None);
        assert_eq!(parse(b""), None);
    }
}
