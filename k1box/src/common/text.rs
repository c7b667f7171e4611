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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_counts_characters_not_bytes() {
        assert_eq!(width(b"abc"), 3);
        assert_eq!(width("h\u{e9}llo".as_bytes()), 5);
    }

    #[test]
    fn env_get_matches_whole_names() {
        let env = alloc::vec![b"PATHX=1".to_vec(), b"PATH=/bin".to_vec()];
        assert_eq!(env_get(&env, b"PATH"), Some(&b"/bin"[..]));
        assert_eq!(env_get(&env, b"HOME"), None);
    }
}
