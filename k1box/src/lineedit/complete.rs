//! Tab completion for a shell: file names from the word's directory, and command names
//! (builtins, k1box applets, executables in `$PATH`). [`ShellCompleter`] combines them the
//! usual way: the first word of a command is a command, later words are files.
//!
//! Candidates are the exact text to insert: special characters backslash-escaped,
//! directories ending in `/`, everything else in a space.
use alloc::vec::Vec;
use rustix::fs::{FileType, Mode, OFlags, RawDir};

use super::edit::put;
use super::Completer;

/// Bytes that end a word for completion.
fn is_delim(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b';' | b'|' | b'&' | b'<' | b'>' | b'(' | b')' | b'`')
}

/// Bytes escaped with a backslash in inserted names.
fn needs_escape(c: u8) -> bool {
    is_delim(c)
        || matches!(c, b'\\' | b'\'' | b'"' | b'$' | b'*' | b'?' | b'[' | b']' | b'!' | b'#' | b'{' | b'}')
}

/// Where the shell word holding the cursor starts (quotes and backslashes respected).
pub fn word_start(line: &[u8], cursor: usize) -> usize {
    let cursor = cursor.min(line.len());
    let (mut start, mut quote, mut i) = (0, 0u8, 0);
    while i < cursor {
        let c = line[i];
        if quote == b'\'' {
            if c == b'\'' {
                quote = 0;
            }
        } else if c == b'\\' {
            i += 1;
        } else if quote == b'"' {
            if c == b'"' {
                quote = 0;
            }
        } else if c == b'\'' || c == b'"' {
            quote = c;
        } else if is_delim(c) {
            start = i + 1;
        }
        i += 1;
    }
    start.min(cursor)
}

/// Reserved words after which a command comes.
const KEYWORDS: &[u8] = b"then do else elif if while until ! { time";

/// True when the word starting at `start` is in command position: nothing but blanks
/// before it, or it follows `;`, `|`, `&`, `(`, a newline, or a keyword after which a
/// command comes (`then`, `do`, `if`, `!` ...).
pub fn is_command_position(line: &[u8], start: usize) -> bool {
    let mut before = &line[..start.min(line.len())];
    loop {
        let Some(end) = before.iter().rposition(|&c| c != b' ' && c != b'\t') else { return true };
        if matches!(before[end], b';' | b'|' | b'&' | b'(' | b'\n' | b'`') {
            return true;
        }
        let ws = before[..end].iter().rposition(|&c| c == b' ' || c == b'\t').map_or(0, |i| i + 1);
        let word = &before[ws..=end];
        let keyword = KEYWORDS.split(|&c| c == b' ').any(|k| k == word);
        if !keyword {
            return false;
        }
        before = &before[..ws];
    }
}

/// The word without its quotes and backslashes.
fn unquote(w: &[u8]) -> Vec<u8> {
    let (mut out, mut quote, mut i) = (Vec::with_capacity(w.len()), 0u8, 0);
    while i < w.len() {
        let c = w[i];
        i += 1;
        if quote != 0 && c == quote {
            quote = 0;
        } else if quote == 0 && (c == b'\'' || c == b'"') {
            quote = c;
        } else if c == b'\\' && quote != b'\'' && i < w.len() {
            out.push(w[i]);
            i += 1;
        } else {
            out.push(c);
        }
    }
    out
}

fn push_escaped(out: &mut Vec<u8>, s: &[u8]) {
    for &c in s {
        if needs_escape(c) {
            out.push(b'\\');
        }
        out.push(c);
    }
}

/// Inserts `c` into the sorted `out` unless it is there already.
fn insert_sorted(out: &mut Vec<Vec<u8>>, c: Vec<u8>) {
    if let Err(i) = out.binary_search(&c) {
        out.insert(i, c);
    }
}

/// `lead` and `name` escaped, then `end`.
fn candidate(lead: &[u8], name: &[u8], end: u8) -> Vec<u8> {
    let mut c = Vec::with_capacity(lead.len() + name.len() + 2);
    push_escaped(&mut c, lead);
    push_escaped(&mut c, name);
    c.push(end);
    c
}

/// Adds the entries of `dir` whose names start with `prefix` (hidden ones only when the
/// prefix starts with `.`; `.` never, `..` only as itself). As commands: executable files
/// only, as `name `. Otherwise `lead` + `name` and `/` for a directory, a space for the rest.
fn scan(dir: &[u8], prefix: &[u8], lead: &[u8], commands: bool, out: &mut Vec<Vec<u8>>) {
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
    let Ok(fd) = rustix::fs::open(dir, flags, Mode::empty()) else { return };
    let mut buf = Vec::with_capacity(8192);
    let mut entries = RawDir::new(&fd, buf.spare_capacity_mut());
    while let Some(Ok(e)) = entries.next() {
        let name = e.file_name().to_bytes();
        if !name.starts_with(prefix)
            || (name.starts_with(b".") && !prefix.starts_with(b"."))
            || name == b"."
            || (name == b".." && prefix != b"..")
        {
            continue;
        }
        let mut t = e.file_type();
        let mut mode = 0;
        if t == FileType::Symlink || t == FileType::Unknown || (commands && t == FileType::RegularFile) {
            if let Ok(st) = rustix::fs::statat(&fd, e.file_name(), rustix::fs::AtFlags::empty()) {
                t = FileType::from_raw_mode(st.st_mode);
                mode = st.st_mode;
            }
        }
        let c = if commands {
            if t != FileType::RegularFile || mode & 0o111 == 0 {
                continue;
            }
            candidate(b"", name, b' ')
        } else {
            candidate(lead, name, if t == FileType::Directory { b'/' } else { b' ' })
        };
        insert_sorted(out, c);
    }
}

/// Completes a file name. `word` is the raw text from the word's start to the cursor;
/// returns the offset in `word` where the candidates replace the text, and the candidates.
/// Without quotes in the word the candidates are names inside its directory (and are
/// listed so); with quotes they replace the whole word. `~/` stands for `home`.
pub fn files(word: &[u8], home: &[u8]) -> (usize, Vec<Vec<u8>>) {
    let quoted = word.iter().any(|&c| c == b'\'' || c == b'"');
    let w = unquote(word);
    let slash = w.iter().rposition(|&c| c == b'/').map_or(0, |i| i + 1);
    let (dir, prefix) = w.split_at(slash);
    let mut real = Vec::new();
    match dir.strip_prefix(b"~") {
        _ if dir.is_empty() => real.push(b'.'),
        Some(rest) if rest.starts_with(b"/") && !home.is_empty() => {
            put(&mut real, home);
            put(&mut real, rest);
        }
        _ => put(&mut real, dir),
    }
    let mut cands = Vec::new();
    scan(&real, prefix, if quoted { dir } else { b"" }, false, &mut cands);
    let off = if quoted { 0 } else { word.iter().rposition(|&c| c == b'/').map_or(0, |i| i + 1) };
    (off, cands)
}

/// Command names starting with `prefix`: the given names (builtins), k1box's applets, and
/// executable files in the directories of `path` (`$PATH`, `:`-separated).
pub fn commands(prefix: &[u8], names: &[&[u8]], path: &[u8]) -> Vec<Vec<u8>> {
    let mut found = Vec::new();
    let add = |found: &mut Vec<Vec<u8>>, n: &[u8]| {
        if n.starts_with(prefix) {
            insert_sorted(found, candidate(b"", n, b' '));
        }
    };
    for n in names {
        add(&mut found, n);
    }
    for a in crate::APPLETS {
        add(&mut found, a.name.as_bytes());
    }
    for dir in path.split(|&c| c == b':') {
        scan(if dir.is_empty() { b"." } else { dir }, prefix, b"", true, &mut found);
    }
    found
}

/// The shell's completer: commands for the first word, files for the others (and for a
/// first word holding a `/`).
pub struct ShellCompleter<'a> {
    /// Builtin names (and functions or aliases, if the shell likes).
    pub builtins: &'a [&'a [u8]],
    /// `$PATH`.
    pub path: &'a [u8],
    /// `$HOME`, for `~/`.
    pub home: &'a [u8],
}

impl Completer for ShellCompleter<'_> {
    fn complete(&mut self, line: &[u8], cursor: usize) -> (usize, Vec<Vec<u8>>) {
        let cursor = cursor.min(line.len());
        let start = word_start(line, cursor);
        let word = &line[start..cursor];
        if is_command_position(line, start) && !word.contains(&b'/') {
            return (start, commands(&unquote(word), self.builtins, self.path));
        }
        let (off, c) = files(word, self.home);
        (start + off, c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Tmp(std::path::PathBuf);
    impl Drop for Tmp {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn tmp(tag: &str) -> (Tmp, Vec<u8>) {
        let d = std::env::temp_dir().join(format!("k1-comp-{}-{}", tag, std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join("sub dir")).unwrap();
        for f in ["alpha", "alps", "beta", ".hidden", "sub dir/inner"] {
            std::fs::write(d.join(f), "").unwrap();
        }
        std::os::unix::fs::symlink("sub dir", d.join("link")).unwrap();
        let p = d.to_str().unwrap().as_bytes().to_vec();
        (Tmp(d), p)
    }

    fn strs(v: &[Vec<u8>]) -> Vec<String> {
        v.iter().map(|c| String::from_utf8_lossy(c).into_owned()).collect()
    }

    #[test]
    fn word_start_respects_quotes_and_escapes() {
        assert_eq!(word_start(b"ls -l fo", 8), 6);
        assert_eq!(word_start(b"cat my\\ fi", 10), 4);
        assert_eq!(word_start(b"cat 'a b", 8), 4);
        assert_eq!(word_start(b"a|b", 3), 2);
        assert_eq!(word_start(b"", 0), 0);
    }

    #[test]
    fn command_position_after_separators_only() {
        assert!(is_command_position(b"  ls", 2));
        assert!(is_command_position(b"a; b", 3));
        assert!(is_command_position(b"a | b", 4));
        assert!(!is_command_position(b"ls a", 3));
        assert!(is_command_position(b"if ls; then e", 12));
        assert!(is_command_position(b"! e", 2));
        assert!(!is_command_position(b"echo then e", 10));
        let long = "then ".repeat(200_000);
        assert!(is_command_position(long.as_bytes(), long.len()));
    }

    #[test]
    fn files_match_prefix_mark_dirs_and_hide_dotfiles() {
        let (_t, d) = tmp("f");
        let word = [&d[..], b"/al"].concat();
        let (off, c) = files(&word, b"");
        assert_eq!(off, d.len() + 1);
        assert_eq!(strs(&c), ["alpha ", "alps "]);
        let (_, c) = files(&[&d[..], b"/"].concat(), b"");
        assert_eq!(strs(&c), ["alpha ", "alps ", "beta ", "link/", "sub\\ dir/"]);
        let (_, c) = files(&[&d[..], b"/."].concat(), b"");
        assert_eq!(strs(&c), [".hidden "]);
        let (_, c) = files(&[&d[..], b"/sub\\ d"].concat(), b"");
        assert_eq!(strs(&c), ["sub\\ dir/"]);
        let (_, c) = files(&[&d[..], b"/.."].concat(), b"");
        assert_eq!(strs(&c), ["../"]);
    }

    #[test]
    fn quoted_words_are_replaced_whole_and_tilde_uses_home() {
        let (_t, d) = tmp("q");
        let word = [b"'", &d[..], b"/sub d"].concat();
        let (off, c) = files(&word, b"");
        assert_eq!(off, 0);
        assert_eq!(strs(&c), [format!("{}/sub\\ dir/", String::from_utf8_lossy(&d))]);
        let (off, c) = files(b"~/be", &d);
        assert_eq!((off, strs(&c)), (2, vec!["beta ".to_string()]));
        assert!(files(b"/nonexistent/x", b"").1.is_empty());
    }

    #[test]
    fn commands_come_from_names_applets_and_path() {
        let (_t, d) = tmp("c");
        let exe = std::path::Path::new(std::str::from_utf8(&d).unwrap()).join("alpha");
        std::fs::set_permissions(&exe, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
        let c = commands(b"al", &[b"alias"], &d);
        assert_eq!(strs(&c), ["alias ", "alpha "]);
        let c = commands(b"ec", &[b"echo"], b"/nonexistent");
        assert_eq!(strs(&c), ["echo "]);
    }

    #[test]
    fn shell_completer_picks_commands_then_files() {
        let (_t, d) = tmp("s");
        let mut sc = ShellCompleter { builtins: &[b"zzcd"], path: b"/nonexistent", home: b"" };
        assert_eq!(sc.complete(b"zzc", 3), (0, vec![b"zzcd ".to_vec()]));
        let line = [b"cat ", &d[..], b"/be"].concat();
        let (start, c) = sc.complete(&line, line.len());
        assert_eq!((start, strs(&c)), (line.len() - 2, vec!["beta ".to_string()]));
    }
}
