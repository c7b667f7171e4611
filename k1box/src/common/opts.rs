//! getopt-style option parsing, GNU flavoured.
//!
//! The spec is getopt(3)'s string: `"nb:c::"` means `-n`, `-b ARG` and `-c[ARG]`; a leading
//! `+` stops at the first operand (for applets that run a command, such as `env`).
//! Otherwise operands and options may be mixed, as GNU allows (`ls dir -l`). Clusters
//! (`-la`), attached and separate arguments (`-n5`, `-n 5`), `--` and long options with
//! unambiguous prefixes (`--colo=never`) work; `--help` and `--version` are always known.
use alloc::vec::Vec;

/// Whether a long option takes an argument.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum HasArg {
    No,
    Yes,
    Optional,
}

/// A long option. A `code` below 256 makes it an alias of that short option.
#[derive(Clone, Copy, Debug)]
pub struct Long {
    pub name: &'static str,
    pub arg: HasArg,
    pub code: u16,
}

/// Shorthand for a `Long` table entry.
pub const fn long(name: &'static str, arg: HasArg, code: u16) -> Long {
    Long { name, arg, code }
}

/// One parsed option.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Opt {
    /// A short option, or a long one that aliases it.
    Char(u8),
    /// A long-only option, by its code (256 and up).
    Long(u16),
    Help,
    Version,
}

/// What was wrong with the command line.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum OptError {
    Invalid(u8),
    NeedsArg(u8),
    UnknownLong(Vec<u8>),
    Ambiguous(Vec<u8>),
    LongNeedsArg(&'static str),
    LongTakesNoArg(&'static str),
    /// An option the applet's spec has but its match does not handle.
    Unhandled(Opt),
}

const HELP: u16 = 0xfffe;
const VERSION: u16 = 0xffff;

/// The parser; call `next` until `None`, then `operands`.
pub struct Getopt<'a> {
    args: &'a [Vec<u8>],
    spec: &'static [u8],
    longs: &'static [Long],
    permute: bool,
    i: usize,
    j: usize,
    done: bool,
    operands: Vec<&'a [u8]>,
    arg: Option<&'a [u8]>,
}

impl<'a> Getopt<'a> {
    pub fn new(args: &'a [Vec<u8>], spec: &'static str, longs: &'static [Long]) -> Self {
        let spec = spec.as_bytes();
        let (permute, spec) = match spec.first() {
            Some(b'+') => (false, &spec[1..]),
            _ => (true, spec),
        };
        Getopt { args, spec, longs, permute, i: 0, j: 0, done: false, operands: Vec::new(), arg: None }
    }

    /// The argument of the option just returned (None for flags and absent optional ones).
    pub fn arg(&self) -> Option<&'a [u8]> {
        self.arg
    }

    /// The argument of the option just returned, or empty.
    pub fn arg_or_empty(&self) -> &'a [u8] {
        self.arg.unwrap_or(b"")
    }

    /// The operands, in order, once `next` has returned `None`.
    pub fn operands(mut self) -> Vec<&'a [u8]> {
        let rest = self.args[self.i.min(self.args.len())..].iter().map(|a| a.as_slice());
        self.operands.extend(rest);
        self.operands
    }

    /// The next option, `None` when the options are over.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<Result<Opt, OptError>> {
        self.arg = None;
        loop {
            if self.j > 0 {
                return Some(self.short());
            }
            if self.done || self.i >= self.args.len() {
                return None;
            }
            let a = self.args[self.i].as_slice();
            if a == b"--" {
                self.i += 1;
                self.done = true;
                return None;
            }
            if a.len() > 2 && a.starts_with(b"--") {
                self.i += 1;
                return Some(self.long(&a[2..]));
            }
            if a.len() > 1 && a[0] == b'-' {
                self.j = 1;
                continue;
            }
            if !self.permute {
                self.done = true;
                return None;
            }
            self.operands.push(a);
            self.i += 1;
        }
    }

    fn short(&mut self) -> Result<Opt, OptError> {
        let a = self.args[self.i].as_slice();
        let c = a[self.j];
        self.j += 1;
        let at_end = self.j >= a.len();
        let pos = if c == b':' { None } else { self.spec.iter().position(|&s| s == c) };
        let Some(p) = pos else {
            if at_end {
                self.next_arg();
            }
            return Err(OptError::Invalid(c));
        };
        let takes = self.spec.get(p + 1) == Some(&b':');
        let optional = takes && self.spec.get(p + 2) == Some(&b':');
        if !takes {
            if at_end {
                self.next_arg();
            }
            return Ok(Opt::Char(c));
        }
        if !at_end {
            self.arg = Some(&a[self.j..]);
        } else if !optional {
            if self.i + 1 >= self.args.len() {
                self.next_arg();
                return Err(OptError::NeedsArg(c));
            }
            self.i += 1;
            self.arg = Some(self.args[self.i].as_slice());
        }
        self.next_arg();
        Ok(Opt::Char(c))
    }

    fn next_arg(&mut self) {
        self.i += 1;
        self.j = 0;
    }

    fn long(&mut self, body: &'a [u8]) -> Result<Opt, OptError> {
        let (name, value) = match body.iter().position(|&b| b == b'=') {
            Some(p) => (&body[..p], Some(&body[p + 1..])),
            None => (body, None),
        };
        const BUILTIN: [Long; 2] = [long("help", HasArg::No, HELP), long("version", HasArg::No, VERSION)];
        let all = || self.longs.iter().chain(BUILTIN.iter());
        let found = match all().find(|l| l.name.as_bytes() == name) {
            Some(l) => *l,
            None => {
                let mut hits = all().filter(|l| l.name.as_bytes().starts_with(name));
                let Some(first) = hits.next().copied() else {
                    return Err(OptError::UnknownLong(body.to_vec()));
                };
                if hits.any(|l| l.code != first.code) {
                    return Err(OptError::Ambiguous(name.to_vec()));
                }
                first
            }
        };
        match (found.arg, value) {
            (HasArg::No, Some(_)) => return Err(OptError::LongTakesNoArg(found.name)),
            (HasArg::No, None) => {}
            (_, Some(v)) => self.arg = Some(v),
            (HasArg::Yes, None) => {
                if self.i >= self.args.len() {
                    return Err(OptError::LongNeedsArg(found.name));
                }
                self.arg = Some(self.args[self.i].as_slice());
                self.i += 1;
            }
            (HasArg::Optional, None) => {}
        }
        Ok(match found.code {
            HELP => Opt::Help,
            VERSION => Opt::Version,
            c if c < 256 => Opt::Char(c as u8),
            c => Opt::Long(c),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn args(v: &[&str]) -> Vec<Vec<u8>> {
        v.iter().map(|s| s.as_bytes().to_vec()).collect()
    }

    type Parsed = (Result<Opt, OptError>, Option<Vec<u8>>);

    fn all(g: &mut Getopt) -> Vec<Parsed> {
        let mut v = Vec::new();
        while let Some(o) = g.next() {
            v.push((o, g.arg().map(|a| a.to_vec())));
        }
        v
    }

    const LONGS: &[Long] = &[
        long("all", HasArg::No, b'a' as u16),
        long("color", HasArg::Optional, 300),
        long("colour", HasArg::Optional, 300),
        long("lines", HasArg::Yes, b'n' as u16),
    ];

    #[test]
    fn clusters_and_attached_arguments() {
        let a = args(&["-la", "-n5", "x", "-n", "7"]);
        let mut g = Getopt::new(&a, "lan:", LONGS);
        let got = all(&mut g);
        assert_eq!(got[0].0, Ok(Opt::Char(b'l')));
        assert_eq!(got[1].0, Ok(Opt::Char(b'a')));
        assert_eq!(got[2], (Ok(Opt::Char(b'n')), Some(b"5".to_vec())));
        assert_eq!(got[3], (Ok(Opt::Char(b'n')), Some(b"7".to_vec())));
        assert_eq!(g.operands(), vec![&b"x"[..]]);
    }

    #[test]
    fn double_dash_ends_options() {
        let a = args(&["-a", "--", "-b", "c"]);
        let mut g = Getopt::new(&a, "ab", &[]);
        assert_eq!(all(&mut g).len(), 1);
        assert_eq!(g.operands(), vec![&b"-b"[..], &b"c"[..]]);
    }

    #[test]
    fn plus_stops_at_first_operand() {
        let a = args(&["-i", "cmd", "-x"]);
        let mut g = Getopt::new(&a, "+iu:", &[]);
        assert_eq!(all(&mut g).len(), 1);
        assert_eq!(g.operands(), vec![&b"cmd"[..], &b"-x"[..]]);
    }

    #[test]
    fn errors_name_the_option() {
        let a = args(&["-Z", "-n"]);
        let mut g = Getopt::new(&a, "n:", &[]);
        let got = all(&mut g);
        assert_eq!(got[0].0, Err(OptError::Invalid(b'Z')));
        assert_eq!(got[1].0, Err(OptError::NeedsArg(b'n')));
    }

    #[test]
    fn long_options_with_prefixes_and_values() {
        let a = args(&["--all", "--colo=never", "--col", "--lines", "3", "--help", "--he"]);
        let mut g = Getopt::new(&a, "an:", LONGS);
        let got = all(&mut g);
        assert_eq!(got[0].0, Ok(Opt::Char(b'a')));
        assert_eq!(got[1], (Ok(Opt::Long(300)), Some(b"never".to_vec())));
        assert_eq!(got[2], (Ok(Opt::Long(300)), None));
        assert_eq!(got[3], (Ok(Opt::Char(b'n')), Some(b"3".to_vec())));
        assert_eq!(got[4].0, Ok(Opt::Help));
        assert_eq!(got[5].0, Ok(Opt::Help));
    }

    #[test]
    fn long_errors() {
        let a = args(&["--bogus", "--all=1", "--lines"]);
        let mut g = Getopt::new(&a, "an:", LONGS);
        let got = all(&mut g);
        assert_eq!(got[0].0, Err(OptError::UnknownLong(b"bogus".to_vec())));
        assert_eq!(got[1].0, Err(OptError::LongTakesNoArg("all")));
        assert_eq!(got[2].0, Err(OptError::LongNeedsArg("lines")));
    }

    #[test]
    fn lone_dash_is_an_operand() {
        let a = args(&["-", "-a"]);
        let mut g = Getopt::new(&a, "a", &[]);
        assert_eq!(all(&mut g).len(), 1);
        assert_eq!(g.operands(), vec![&b"-"[..]]);
    }
}
