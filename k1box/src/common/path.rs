//! Path helpers on byte strings (POSIX basename/dirname rules).
use alloc::vec::Vec;

/// `dir/name`, without doubling a slash.
pub fn join(dir: &[u8], name: &[u8]) -> Vec<u8> {
    let mut p = Vec::with_capacity(dir.len() + name.len() + 1);
    p.extend_from_slice(dir);
    if !dir.is_empty() && !dir.ends_with(b"/") {
        p.push(b'/');
    }
    p.extend_from_slice(name);
    p
}

/// The last component, as basename(1): trailing slashes ignored, `/` stays `/`.
pub fn basename(p: &[u8]) -> &[u8] {
    let trimmed = trim_slashes(p);
    if trimmed.is_empty() {
        return if p.is_empty() { b"" } else { b"/" };
    }
    match trimmed.iter().rposition(|&c| c == b'/') {
        Some(i) => &trimmed[i + 1..],
        None => trimmed,
    }
}

/// Everything but the last component, as dirname(1): `.` when there is no slash.
pub fn dirname(p: &[u8]) -> &[u8] {
    let trimmed = trim_slashes(p);
    if trimmed.is_empty() {
        return if p.starts_with(b"/") { b"/" } else { b"." };
    }
    match trimmed.iter().rposition(|&c| c == b'/') {
        None => b".",
        Some(i) => {
            let head = trim_slashes(&trimmed[..i]);
            if head.is_empty() {
                if trimmed.starts_with(b"//") && !trimmed.starts_with(b"///") && i == 1 {
                    b"//"
                } else {
                    b"/"
                }
            } else {
                head
            }
        }
    }
}

fn trim_slashes(p: &[u8]) -> &[u8] {
    let end = p.iter().rposition(|&c| c != b'/').map_or(0, |i| i + 1);
    &p[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_adds_one_slash() {
        assert_eq!(join(b"a", b"b"), b"a/b");
        assert_eq!(join(b"a/", b"b"), b"a/b");
        assert_eq!(join(b"/", b"b"), b"/b");
        assert_eq!(join(b"", b"b"), b"b");
    }

    #[test]
    fn basename_and_dirname_follow_posix() {
        for (p, b, d) in [
            ("/usr/lib", "lib", "/usr"),
            ("/usr/", "usr", "/"),
            ("usr", "usr", "."),
            ("/", "/", "/"),
            ("//", "/", "/"),
            (".", ".", "."),
            ("..", "..", "."),
            ("a//b//", "b", "a"),
            ("", "", "."),
        ] {
            assert_eq!(basename(p.as_bytes()), b.as_bytes(), "basename {p}");
            assert_eq!(dirname(p.as_bytes()), d.as_bytes(), "dirname {p}");
        }
    }
}
