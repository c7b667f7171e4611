//! Backslash escapes as echo -e, printf's format and printf's %b understand them.
use alloc::vec::Vec;

/// Expands escapes in `s` into `out`. With `zero_octal` (echo -e and %b) octal is `\0nnn`;
/// otherwise (printf formats) `\nnn`. Returns true when `\c` asked to stop all output.
pub fn backslash(s: &[u8], out: &mut Vec<u8>, zero_octal: bool) -> bool {
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        i += 1;
        if c != b'\\' || i >= s.len() {
            out.push(c);
            continue;
        }
        let e = s[i];
        i += 1;
        let lit = match e {
            b'a' => 7,
            b'b' => 8,
            b'e' | b'E' => 0x1b,
            b'f' => 12,
            b'n' => b'\n',
            b'r' => b'\r',
            b't' => b'\t',
            b'v' => 11,
            b'\\' => b'\\',
            b'c' => return true,
            b'x' => {
                let (v, n) = digits(&s[i..], 16, 2);
                if n == 0 {
                    out.extend_from_slice(b"\\x");
                    continue;
                }
                i += n;
                v
            }
            b'0'..=b'7' => {
                let (start, max) = if zero_octal {
                    if e != b'0' {
                        out.push(b'\\');
                        out.push(e);
                        continue;
                    }
                    (i, 3)
                } else {
                    (i - 1, 3)
                };
                let (v, n) = digits(&s[start..], 8, max);
                i = start + n;
                v
            }
            _ => {
                out.push(b'\\');
                e
            }
        };
        out.push(lit);
    }
    false
}

/// Up to `max` digits in `radix` at the start of `s`: (value as a byte, digits used).
fn digits(s: &[u8], radix: u32, max: usize) -> (u8, usize) {
    let mut v: u32 = 0;
    let mut n = 0;
    while n < max && n < s.len() {
        match (s[n] as char).to_digit(radix) {
            Some(d) => v = v * radix + d,
            None => break,
        }
        n += 1;
    }
    (v as u8, n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn x(s: &str, zero: bool) -> (Vec<u8>, bool) {
        let mut v = Vec::new();
        let stop = backslash(s.as_bytes(), &mut v, zero);
        (v, stop)
    }

    #[test]
    fn echo_style_escapes() {
        assert_eq!(x(r"a\tb\n", true).0, b"a\tb\n");
        assert_eq!(x(r"\0101\x41\\", true).0, b"AA\\");
        assert_eq!(x(r"\101", true).0, b"\\101");
        assert_eq!(x(r"ab\cde", true), (b"ab".to_vec(), true));
        assert_eq!(x(r"\q", true).0, b"\\q");
        assert_eq!(x("end\\", true).0, b"end\\");
    }

    #[test]
    fn printf_style_octal() {
        assert_eq!(x(r"\101\0", false).0, b"A\0");
        assert_eq!(x(r"\1234", false).0, b"S4");
    }
}
