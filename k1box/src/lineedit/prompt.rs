//! PS1 backslash escapes as bash and ash expand them: `\u \h \H \w \W \$ \n \e \\ \[ \]`.
//! Parameter expansion is the shell's job and happens before.
//!
//! `\[` and `\]` become the bytes 0x01 and 0x02 (readline's convention): the editor sends
//! what lies between them but counts it as taking no columns (colour sequences).
use alloc::vec::Vec;

use super::edit::put;
use crate::common::path;

/// Marks the start of bytes that take no columns (`\[`).
pub const START_HIDDEN: u8 = 1;
/// Marks their end (`\]`).
pub const END_HIDDEN: u8 = 2;

/// What the escapes stand for; the shell fills it in.
pub struct PromptInfo<'a> {
    pub user: &'a [u8],
    /// The host name (`\h` shows it up to the first dot).
    pub host: &'a [u8],
    pub cwd: &'a [u8],
    /// `$HOME`, shown as `~` at the start of `\w`.
    pub home: &'a [u8],
    /// `\$` is `#` for root, `$` otherwise.
    pub is_root: bool,
}

/// `cwd` with `$HOME` (a whole leading component) replaced by `~`.
pub fn tilde_cwd(cwd: &[u8], home: &[u8]) -> Vec<u8> {
    let home = home.strip_suffix(b"/").unwrap_or(home);
    if !home.is_empty() {
        if let Some(rest) = cwd.strip_prefix(home) {
            if rest.is_empty() || rest[0] == b'/' {
                let mut v = b"~".to_vec();
                put(&mut v, rest);
                return v;
            }
        }
    }
    cwd.to_vec()
}

/// Expands the escapes of `ps1`; unknown escapes stay as they are.
pub fn expand(ps1: &[u8], info: &PromptInfo) -> Vec<u8> {
    let mut out = Vec::with_capacity(ps1.len() + 32);
    let mut i = 0;
    while i < ps1.len() {
        let c = ps1[i];
        i += 1;
        if c != b'\\' || i >= ps1.len() {
            out.push(c);
            continue;
        }
        let tilde;
        let v: &[u8] = match ps1[i] {
            b'u' => info.user,
            b'h' => &info.host[..info.host.iter().position(|&c| c == b'.').unwrap_or(info.host.len())],
            b'H' => info.host,
            b'w' => {
                tilde = tilde_cwd(info.cwd, info.home);
                &tilde
            }
            b'W' if tilde_cwd(info.cwd, info.home) == b"~" => b"~",
            b'W' => path::basename(info.cwd),
            b'$' if info.is_root => b"#",
            b'$' => b"$",
            b'n' => b"\n",
            b'e' => b"\x1b",
            b'\\' => b"\\",
            b'[' => &[START_HIDDEN],
            b']' => &[END_HIDDEN],
            _ => &ps1[i - 1..=i],
        };
        put(&mut out, v);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info<'a>(cwd: &'a str, root: bool) -> PromptInfo<'a> {
        PromptInfo {
            user: b"ann",
            host: b"k1.example.org",
            cwd: cwd.as_bytes(),
            home: b"/home/ann",
            is_root: root,
        }
    }

    fn ps(s: &str, i: &PromptInfo) -> String {
        String::from_utf8(expand(s.as_bytes(), i)).unwrap()
    }

    #[test]
    fn expands_user_host_and_dollar() {
        assert_eq!(ps("\\u@\\h \\$ ", &info("/", false)), "ann@k1 $ ");
        assert_eq!(ps("\\H\\$", &info("/", true)), "k1.example.org#");
    }

    #[test]
    fn w_abbreviates_home_only_as_a_whole_component() {
        assert_eq!(ps("\\w", &info("/home/ann/src", false)), "~/src");
        assert_eq!(ps("\\w", &info("/home/ann", false)), "~");
        assert_eq!(ps("\\w", &info("/home/anna", false)), "/home/anna");
        assert_eq!(ps("\\W", &info("/home/ann/src", false)), "src");
        assert_eq!(ps("\\W", &info("/home/ann", false)), "~");
        assert_eq!(ps("\\W", &info("/", false)), "/");
    }

    #[test]
    fn brackets_newline_backslash_and_unknown_escapes() {
        assert_eq!(expand(b"\\[\\e[1m\\]x\\n\\\\\\q\\", &info("/", false)), b"\x01\x1b[1m\x02x\n\\\\q\\");
    }
}
