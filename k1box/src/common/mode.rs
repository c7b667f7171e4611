//! File mode operands as chmod(1) and `mkdir -m` take them (POSIX chmod's grammar):
//! octal (`755`, `4755`) or symbolic clauses (`u+rwx,go-w`, `a=rX`, `g=u`, `+t`).
//!
//! A parsed [`ModeSpec`] is applied to a file's current mode with [`ModeSpec::apply`].
//! Symbolic clauses without a `who` obey the umask, `X` looks at the mode as changed so
//! far (as GNU does), and on directories the set-user/group-ID bits change only when a
//! clause names `s` (or an octal mode has five digits), as GNU chmod keeps them.
use alloc::vec::Vec;

const SUID: u32 = 0o4000;
const SGID: u32 = 0o2000;
const ALL: u32 = 0o7777;

/// One action of a symbolic clause: `+`, `-` or `=` with its permissions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Action {
    /// The bits named by who (`u` 04700, `g` 02070, `o` 01007), 0 when who was omitted.
    who: u32,
    op: u8,
    /// r w x s t as bits over all classes (04000|02000 for s, 01000 for t).
    perm: u32,
    /// `X`: execute for directories and files that already have an execute bit.
    cond_x: bool,
    /// `u`, `g` or `o` copied from the current mode: the shift of that class (6, 3, 0).
    copy: Option<u8>,
}

/// A parsed mode operand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModeSpec {
    /// An octal mode and whether it had more than four digits (which clears a directory's
    /// set-ID bits too).
    Octal(u32, bool),
    Symbolic(Vec<Action>),
}

/// Parses an octal or symbolic mode; `None` when it is not one.
pub fn parse(s: &[u8]) -> Option<ModeSpec> {
    if s.first().is_some_and(|c| c.is_ascii_digit()) {
        let mut v: u32 = 0;
        for &c in s {
            if !(b'0'..=b'7').contains(&c) {
                return None;
            }
            v = v * 8 + (c - b'0') as u32;
            if v > ALL {
                return None;
            }
        }
        return Some(ModeSpec::Octal(v, s.len() > 4));
    }
    let mut actions = Vec::new();
    for clause in s.split(|&c| c == b',') {
        let mut i = 0;
        let mut who = 0;
        while let Some(&c) = clause.get(i) {
            who |= match c {
                b'u' => 0o4700,
                b'g' => 0o2070,
                b'o' => 0o1007,
                b'a' => ALL,
                _ => break,
            };
            i += 1;
        }
        if i >= clause.len() {
            return None; // a clause needs at least one action
        }
        while i < clause.len() {
            let op = clause[i];
            if !matches!(op, b'+' | b'-' | b'=') {
                return None;
            }
            i += 1;
            let mut a = Action { who, op, perm: 0, cond_x: false, copy: None };
            match clause.get(i) {
                Some(b'u') => a.copy = Some(6),
                Some(b'g') => a.copy = Some(3),
                Some(b'o') => a.copy = Some(0),
                _ => {}
            }
            if a.copy.is_some() {
                i += 1;
            } else {
                while let Some(&c) = clause.get(i) {
                    a.perm |= match c {
                        b'r' => 0o444,
                        b'w' => 0o222,
                        b'x' => 0o111,
                        b's' => SUID | SGID,
                        b't' => 0o1000,
                        b'X' => {
                            a.cond_x = true;
                            0
                        }
                        _ => break,
                    };
                    i += 1;
                }
            }
            actions.push(a);
        }
    }
    Some(ModeSpec::Symbolic(actions))
}

impl ModeSpec {
    /// The new permission bits (07777) for a file whose mode is `old`.
    pub fn apply(&self, old: u32, is_dir: bool, umask: u32) -> u32 {
        let old = old & ALL;
        let actions = match self {
            ModeSpec::Octal(v, long) => {
                let keep = if is_dir && !long { old & (SUID | SGID) } else { 0 };
                return v | keep;
            }
            ModeSpec::Symbolic(a) => a,
        };
        let mut cur = old;
        for a in actions {
            let mut value = match a.copy {
                Some(shift) => ((cur >> shift) & 7) * 0o111,
                None => a.perm,
            };
            if a.cond_x && (is_dir || cur & 0o111 != 0) {
                value |= 0o111;
            }
            value &= if a.who == 0 { ALL & !(umask & 0o777) } else { a.who };
            // A directory's set-ID bits change only when this action names them.
            let untouched = if is_dir && a.perm & SUID == 0 { SUID | SGID } else { 0 };
            match a.op {
                b'+' => cur |= value,
                b'-' => cur &= !value,
                _ => {
                    let cleared = if a.who == 0 { ALL } else { a.who } & !untouched;
                    cur = (cur & !cleared) | (value & !untouched);
                }
            }
        }
        cur
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str, old: u32, dir: bool) -> u32 {
        parse(s.as_bytes()).unwrap_or_else(|| panic!("{s} did not parse")).apply(old, dir, 0o022)
    }

    #[test]
    fn octal_modes() {
        assert_eq!(m("755", 0o644, false), 0o755);
        assert_eq!(m("0", 0o777, false), 0);
        assert_eq!(m("4755", 0, false), 0o4755);
        assert_eq!(m("07777", 0, false), 0o7777);
        assert_eq!(m("755", 0o2700, true), 0o2755, "directories keep set-ID bits");
        assert_eq!(m("00755", 0o2700, true), 0o755, "unless five digits are given");
        for bad in ["8", "17777", "75x"] {
            assert_eq!(parse(bad.as_bytes()), None, "{bad}");
        }
    }

    #[test]
    fn symbolic_modes_like_gnu() {
        assert_eq!(m("u+rwx,go-w", 0o777, true), 0o755);
        assert_eq!(m("=r", 0o777, true), 0o444);
        assert_eq!(m("+t", 0o777, true), 0o1777);
        assert_eq!(m("g+s", 0o777, true), 0o2777);
        assert_eq!(m("=rwxs", 0o777, true), 0o6755);
        assert_eq!(m("g=u+x,o=", 0o777, true), 0o770);
        assert_eq!(m("a=rX,u+w", 0o777, true), 0o755);
        assert_eq!(m("u+x,g+X", 0o644, false), 0o754);
        assert_eq!(m("a+X", 0o644, false), 0o644);
        assert_eq!(m("u+x,o=u", 0o644, false), 0o747);
        assert_eq!(m("go=u-w", 0o644, false), 0o644);
        assert_eq!(m("u+,g+", 0o640, false), 0o640);
        assert_eq!(m("+w", 0o444, false), 0o644, "no who: the umask applies");
        assert_eq!(m("g-s", 0o2755, true), 0o755);
        assert_eq!(m("g=rx", 0o2775, true), 0o2755, "directory set-ID kept without s");
    }

    #[test]
    fn bad_symbolic_modes() {
        for bad in ["", "ug", ",u+x", "u+x,", "u+q", "z", "u=rw,", "+x y"] {
            assert_eq!(parse(bad.as_bytes()), None, "{bad}");
        }
    }
}
