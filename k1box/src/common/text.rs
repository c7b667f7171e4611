//! Small byte-string helpers shared by applets.

/// Display columns of a UTF-8 string (one per character; continuation bytes count zero).
pub fn width(s: &[u8]) -> usize {
    s.iter().filter(|&&b| (b & 0xc0) != 0x80).count()
}

/// `s` without one trailing newline.
pub fn chomp(s: &[u8]) -> &[u8] {
    s.strip_suffix(b"\n").unwrap_or(s)
}

/// The value of `name` in an environment of `NAME=value` entries.
pub fn env_get<'a>(env: &'a [alloc::vec::Vec<u8>], name: &[u8]) -> Option<&'a [u8]> {
    env.iter().find_map(|e| {
        let rest = e.strip_prefix(name)?;
        rest.strip_prefix(b"=")
    })
}

/// Appends `'s'` as GNU's quote() shows a word in messages (printf, test): backslash,
/// quote and control characters escaped C-style (`\\`, `\'`, `\t`, `\001`); other bytes
/// as they are, so UTF-8 text stays readable.
pub fn push_quoted(out: &mut alloc::vec::Vec<u8>, s: &[u8]) {
    out.push(b'\'');
    for &c in s {
        let e = match c {
            b'\\' | b'\'' => c,
            7 => b'a',
            8 => b'b',
            b'\t' => b't',
            b'\n' => b'n',
            11 => b'v',
            12 => b'f',
            b'\r' => b'r',
            0..=31 | 127 => {
                out.extend_from_slice(&[b'\\', b'0' + (c >> 6), b'0' + (c >> 3 & 7), b'0' + (c & 7)]);
                continue;
            }
            _ => {
                out.push(c);
                continue;
            }
        };
        out.extend_from_slice(&[b'\\', e]);
    }
    out.push(b'\'');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_counts_characters_not_bytes() {
        assert_eq!(width(b"abc"), 3);
        assert_eq!(width("h\u{e9}llo".as_bytes()), 5);
    }

    #[test]
    fn quoted_words_escape_like_gnu_quote() {
        let mut v = alloc::vec::Vec::new();
        push_quoted(&mut v, b"a\\b'c\td\x01\x7f\xc3\xa9");
        assert_eq!(v, b"'a\\\\b\\'c\\td\\001\\177\xc3\xa9'");
    }

    #[test]
    fn env_get_matches_whole_names() {
        let env = alloc::vec![b"PATHX=1".to_vec(), b"PATH=/bin".to_vec()];
        assert_eq!(env_get(&env, b"PATH"), Some(&b"/bin"[..]));
        assert_eq!(env_get(&env, b"HOME"), None);
    }
}
