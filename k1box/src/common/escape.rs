//! Backslash escapes as echo -e, printf's format and printf's %b understand them.
use alloc::vec::Vec;

/// Which escapes a context understands beyond the common `\a \b \e \f \n \r \t \v \\ \c \xHH`
/// (printf's also take `\"`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Style {
    /// echo -e: octal only as `\0nnn` (`\101` stays as it is).
    Echo,
    /// printf's format: octal as `\nnn`, and `\uHHHH` / `\UHHHHHHHH` as UTF-8.
    Format,
    /// printf's %b argument: octal as `\0nnn` or `\nnn`, and `\u` / `\U`.
    PrintfArg,
}

/// Expands escapes in `s` into `out`. With `zero_octal` (echo -e) octal is `\0nnn`;
/// otherwise (printf formats) `\nnn`. Returns true when `\c` asked to stop all output.
pub fn backslash(s: &[u8], out: &mut Vec<u8>, zero_octal: bool) -> bool {
    expand(s, out, if zero_octal { Style::Echo } else { Style::Format })
}

/// Expands escapes in `s` into `out` in the given style; true when `\c` asked to stop.
pub fn expand(s: &[u8], out: &mut Vec<u8>, style: Style) -> bool {
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
            b'"' if style != Style::Echo => b'"',
            b'c' => return true,
            b'x' => {
                let (v, n) = digits(&s[i..], 16, 2);
                if n == 0 {
                    out.extend_from_slice(b"\\x");
                    continue;
                }
                i += n;
                v as u8
            }
            b'u' | b'U' if style != Style::Echo => {
                let want = if e == b'u' { 4 } else { 8 };
                let (v, n) = digits(&s[i..], 16, want);
                match char::from_u32(v).filter(|_| n == want) {
                    Some(ch) => {
                        i += n;
                        let mut b = [0u8; 4];
                        out.extend_from_slice(ch.encode_utf8(&mut b).as_bytes());
                    }
                    None => {
                        out.push(b'\\');
                        out.push(e);
                    }
                }
                continue;
            }
            b'0'..=b'7' => {
                let start = match style {
                    Style::Format => i - 1,
                    _ if e == b'0' => i,
                    Style::PrintfArg => i - 1,
                    Style::Echo => {
                        out.push(b'\\');
                        out.push(e);
                        continue;
                    }
                };
                let (v, n) = digits(&s[start..], 8, 3);
                i = start + n;
                v as u8
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

/// Up to `max` digits in `radix` at the start of `s`: (value, digits used).
pub fn digits(s: &[u8], radix: u32, max: usize) -> (u32, usize) {
    let mut v: u32 = 0;
    let mut n = 0;
    while n < max && n < s.len() {
        match (s[n] as char).to_digit(radix) {
            Some(d) => v = v * radix + d,
            None => break,
        }
        n += 1;
    }
    (v, n)
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
    fn printf_arg_takes_both_octal_forms_and_unicode() {
        let mut v = Vec::new();
        assert!(!expand(br"\0101\101\1010\u00e9\U0001F600\u12", &mut v, Style::PrintfArg));
        assert_eq!(v, "AAA0\u{e9}\u{1F600}\\u12".as_bytes());
        v.clear();
        assert!(!expand(br"\u00e9", &mut v, Style::Echo));
        assert_eq!(v, br"\u00e9");
        v.clear();
        expand(br#"\"\'"#, &mut v, Style::Format);
        assert_eq!(v, br#""\'"#);
    }

    #[test]
    fn printf_style_octal() {
        assert_eq!(x(r"\101\0", false).0, b"A\0");
        assert_eq!(x(r"\1234", false).0, b"S4");
    }
}
