//! Pattern matching (POSIX XCU 2.14): `*`, `?`, bracket expressions with ranges, `!`/`^`
//! negation and `[:class:]`, backslash escapes; and pathname expansion (sorted, dot files only
//! for a leading literal dot).
use alloc::vec::Vec;
use rustix::fs::{Dir, Mode, OFlags};

/// True when `p` has an unescaped `*`, `?` or bracket expression (a `[` without its `]` is
/// an ordinary character, so `[` and `a[` are not patterns).
pub fn has_meta(p: &[u8]) -> bool {
    let mut i = 0;
    while i < p.len() {
        match p[i] {
            b'\\' => i += 1,
            b'*' | b'?' => return true,
            b'[' if bracket(&p[i..], 0).is_some() => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

/// `p` with its escaping backslashes removed.
pub fn unescape(p: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(p.len());
    let mut i = 0;
    while i < p.len() {
        if p[i] == b'\\' && i + 1 < p.len() {
            i += 1;
        }
        out.push(p[i]);
        i += 1;
    }
    out
}

fn class(name: &[u8], c: u8) -> bool {
    match name {
        b"alpha" => c.is_ascii_alphabetic(),
        b"digit" => c.is_ascii_digit(),
        b"alnum" => c.is_ascii_alphanumeric(),
        b"upper" => c.is_ascii_uppercase(),
        b"lower" => c.is_ascii_lowercase(),
        b"space" => matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 11 | 12),
        b"blank" => c == b' ' || c == b'\t',
        b"punct" => c.is_ascii_punctuation(),
        b"print" => (32..127).contains(&c),
        b"graph" => (33..127).contains(&c),
        b"cntrl" => c < 32 || c == 127,
        b"xdigit" => c.is_ascii_hexdigit(),
        _ => false,
    }
}

/// Matches a bracket expression at the start of `p` (which begins with `[`) against `c`:
/// whether it matched and its length, or `None` when it is not one (then `[` is literal).
fn bracket(p: &[u8], c: u8) -> Option<(bool, usize)> {
    let mut i = 1;
    let neg = matches!(p.get(i), Some(b'!' | b'^'));
    if neg {
        i += 1;
    }
    let mut hit = false;
    let mut first = true;
    loop {
        let &b = p.get(i)?;
        if b == b']' && !first {
            return Some((hit != neg, i + 1));
        }
        first = false;
        if b == b'[' && p.get(i + 1) == Some(&b':') {
            let rest = &p[i + 2..];
            if let Some(e) = rest.windows(2).position(|w| w == b":]") {
                hit |= class(&rest[..e], c);
                i += e + 4;
                continue;
            }
        }
        let (lo, n) = if b == b'\\' { (*p.get(i + 1)?, 2) } else { (b, 1) };
        i += n;
        if p.get(i) == Some(&b'-') && p.get(i + 1).is_some_and(|&x| x != b']') {
            let (hi, m) = if p[i + 1] == b'\\' { (*p.get(i + 2)?, 3) } else { (p[i + 1], 2) };
            i += m;
            hit |= lo <= c && c <= hi;
        } else {
            hit |= lo == c;
        }
    }
}

/// The bytes a match of `p` must start and end with, where `p` starts or ends with a
/// literal byte (`None` for a `*`, `?` or bracket expression there, or an empty pattern).
pub fn literal_ends(p: &[u8]) -> (Option<u8>, Option<u8>) {
    let (mut first, mut last) = (None, None);
    let mut i = 0;
    while i < p.len() {
        // The pieces as `matches` reads them.
        let (lit, n) = match p[i] {
            b'*' | b'?' => (None, 1),
            b'[' => match bracket(&p[i..], 0) {
                Some((_, n)) => (None, n),
                None => (Some(b'['), 1),
            },
            b'\\' if i + 1 < p.len() => (Some(p[i + 1]), 2),
            c => (Some(c), 1),
        };
        if i == 0 {
            first = lit;
        }
        last = lit;
        i += n;
    }
    (first, last)
}

/// True when the whole of `s` matches pattern `p`.
pub fn matches(p: &[u8], s: &[u8]) -> bool {
    let (mut pi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    loop {
        if pi < p.len() {
            let step = match p[pi] {
                b'*' => {
                    while p.get(pi) == Some(&b'*') {
                        pi += 1;
                    }
                    if pi == p.len() {
                        return true;
                    }
                    star = Some((pi, si));
                    continue;
                }
                _ if si >= s.len() => None,
                b'?' => Some(1),
                b'[' => match bracket(&p[pi..], s[si]) {
                    Some((true, n)) => Some(n),
                    Some((false, _)) => None,
                    None => (s[si] == b'[').then_some(1),
                },
                b'\\' if pi + 1 < p.len() => (p[pi + 1] == s[si]).then_some(2),
                c => (c == s[si]).then_some(1),
            };
            if let Some(n) = step {
                pi += n;
                si += 1;
                continue;
            }
        } else if si == s.len() {
            return true;
        }
        match star {
            Some((sp, ss)) if ss < s.len() => {
                pi = sp;
                si = ss + 1;
                star = Some((sp, ss + 1));
            }
            _ => return false,
        }
    }
}

/// The paths matching pattern `p`, sorted; empty when none match.
pub fn expand(p: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let segs: Vec<&[u8]> = p.split(|&c| c == b'/').collect();
    let (base, rest) =
        if p.first() == Some(&b'/') { (b"/".to_vec(), &segs[1..]) } else { (Vec::new(), &segs[..]) };
    walk(base, rest, &mut out, true);
    heapsort(&mut out);
    out
}

/// Sorts names in byte order (a heap sort: small code, no worst case).
fn heapsort(v: &mut [Vec<u8>]) {
    fn sift(v: &mut [Vec<u8>], mut root: usize, end: usize) {
        loop {
            let mut child = 2 * root + 1;
            if child >= end {
                return;
            }
            if child + 1 < end && v[child] < v[child + 1] {
                child += 1;
            }
            if v[root] >= v[child] {
                return;
            }
            v.swap(root, child);
            root = child;
        }
    }
    let n = v.len();
    for i in (0..n / 2).rev() {
        sift(v, i, n);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift(v, 0, end);
    }
}

fn walk(base: Vec<u8>, segs: &[&[u8]], out: &mut Vec<Vec<u8>>, verified: bool) {
    let Some((&seg, rest)) = segs.split_first() else {
        if verified || rustix::fs::lstat(&base[..]).is_ok() {
            out.push(base);
        }
        return;
    };
    if seg.is_empty() {
        // A trailing or doubled slash: the path so far must be a directory.
        let mut b = base;
        if !b.ends_with(b"/") {
            b.push(b'/');
        }
        if rest.is_empty() {
            if rustix::fs::stat(&b[..]).is_ok_and(|st| st.st_mode & 0o170000 == 0o040000) {
                out.push(b);
            }
            return;
        }
        return walk(b, rest, out, false);
    }
    let join = |name: &[u8]| {
        let mut b = base.clone();
        if !b.is_empty() && !b.ends_with(b"/") {
            b.push(b'/');
        }
        b.extend_from_slice(name);
        b
    };
    if !has_meta(seg) {
        return walk(join(&unescape(seg)), rest, out, false);
    }
    let dir: &[u8] = if base.is_empty() { b"." } else { &base };
    let Ok(fd) = rustix::fs::open(dir, OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty())
    else {
        return;
    };
    let Ok(mut d) = Dir::new(fd) else { return };
    let mut names = Vec::new();
    while let Some(Ok(e)) = d.read() {
        let name = e.file_name().to_bytes();
        if name.first() == Some(&b'.') && !(seg.first() == Some(&b'.') || seg.starts_with(b"\\.")) {
            continue;
        }
        if (name == b"." || name == b"..") && !seg.starts_with(b".") {
            continue;
        }
        if matches(seg, name) {
            names.push(name.to_vec());
        }
    }
    drop(d);
    for n in names {
        walk(join(&n), rest, out, true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_wildcards_and_brackets() {
        assert!(matches(b"*.c", b"main.c"));
        assert!(!matches(b"*.c", b"main.h"));
        assert!(matches(b"a?c", b"abc"));
        assert!(matches(b"*", b""));
        assert!(matches(b"a*b*c", b"aXXbYYc"));
        assert!(!matches(b"a*b*c", b"aXXbYY"));
        assert!(matches(b"[abc]x", b"bx"));
        assert!(matches(b"[!abc]x", b"dx"));
        assert!(!matches(b"[!abc]x", b"ax"));
        assert!(matches(b"[a-z]", b"q"));
        assert!(matches(b"[[:digit:]][[:alpha:]]", b"1a"));
        assert!(matches(b"[]]", b"]"));
        assert!(matches(b"[a-]", b"-"));
        assert!(matches(b"\\*", b"*"));
        assert!(!matches(b"\\*", b"x"));
        assert!(matches(b"[", b"["));
        assert!(matches(b"ab[", b"ab["));
        assert!(matches(b"*[", b"x["));
    }

    #[test]
    fn literal_ends_of_patterns() {
        assert_eq!(literal_ends(b"*/"), (None, Some(b'/')));
        assert_eq!(literal_ends(b".*"), (Some(b'.'), None));
        assert_eq!(literal_ends(b"a\\*"), (Some(b'a'), Some(b'*')));
        assert_eq!(literal_ends(b"[ab]x?"), (None, None));
        assert_eq!(literal_ends(b"[x"), (Some(b'['), Some(b'x')));
        assert_eq!(literal_ends(b"x[:]"), (Some(b'x'), None));
        assert_eq!(literal_ends(b"x\\"), (Some(b'x'), Some(b'\\')));
        assert_eq!(literal_ends(b""), (None, None));
    }

    #[test]
    fn sorts_in_byte_order() {
        let mut v: Vec<Vec<u8>> =
            ["b", "a", "B", "ab", "", "a"].iter().map(|s| s.as_bytes().to_vec()).collect();
        heapsort(&mut v);
        let got: Vec<&[u8]> = v.iter().map(|s| s.as_slice()).collect();
        assert_eq!(got, [&b""[..], b"B", b"a", b"a", b"ab", b"b"]);
    }

    #[test]
    fn escapes() {
        assert!(has_meta(b"a*"));
        assert!(has_meta(b"[ab]"));
        assert!(!has_meta(b"["));
        assert!(!has_meta(b"a[b"));
        assert!(!has_meta(b"a\\*"));
        assert_eq!(unescape(b"a\\*b\\\\"), b"a*b\\");
    }

    #[test]
    fn expands_paths_sorted() {
        let d = std::env::temp_dir().join(format!("k1sh-glob-{}", std::process::id()));
        std::fs::create_dir_all(d.join("sub")).unwrap();
        for f in ["b.txt", "a.txt", ".hidden.txt", "sub/c.txt"] {
            std::fs::write(d.join(f), "").unwrap();
        }
        let base = d.to_str().unwrap();
        let got = expand(format!("{base}/*.txt").as_bytes());
        assert_eq!(got, vec![format!("{base}/a.txt").into_bytes(), format!("{base}/b.txt").into_bytes()]);
        let got = expand(format!("{base}/*/c.txt").as_bytes());
        assert_eq!(got.len(), 1);
        let got = expand(format!("{base}/*/").as_bytes());
        assert_eq!(got, vec![format!("{base}/sub/").into_bytes()]);
        assert!(expand(format!("{base}/*.none").as_bytes()).is_empty());
        std::fs::remove_dir_all(&d).unwrap();
    }
}
