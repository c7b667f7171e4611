//! Shared helpers for applets: the applet context, errors, option parsing, buffered output,
//! line reading, numbers and sizes, paths, files, and user/group names.
pub mod blkid;
pub mod copy;
pub mod escape;
pub mod exec;
pub mod fs;
pub mod lines;
pub mod loopdev;
pub mod mode;
pub mod mounts;
pub mod num;
pub mod opts;
pub mod out;
pub mod path;
pub mod text;
pub mod users;

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use rustix::io::Errno;

pub use opts::{long, Getopt, HasArg, Long, Opt, OptError};
pub use out::Out;

use crate::rt::strerror;

/// What an applet runs with: its name, its arguments (after the name), the environment,
/// and buffered standard output and error.
pub struct Cx {
    /// The applet's name as the table spells it (used in messages).
    pub name: &'static str,
    /// The arguments after the applet name.
    pub args: Vec<Vec<u8>>,
    /// `NAME=value` entries.
    pub env: Vec<Vec<u8>>,
    pub out: Out,
    pub err: Out,
}

impl Cx {
    pub fn new(name: &'static str, args: Vec<Vec<u8>>, env: Vec<Vec<u8>>) -> Cx {
        Cx { name, args, env, out: Out::new(1, 64 * 1024), err: Out::new(2, 4096) }
    }

    /// The value of an environment variable.
    pub fn getenv(&self, name: &[u8]) -> Option<&[u8]> {
        text::env_get(&self.env, name)
    }

    /// Prints `applet: MSG` on standard error.
    pub fn warn(&mut self, msg: &[u8]) {
        self.err.str(self.name);
        self.err.put(b": ");
        self.err.put(msg);
        self.err.byte(b'\n');
        self.flush_err();
    }

    /// Prints `applet: ` and the parts on standard error, without building the message.
    pub fn warn_parts(&mut self, parts: &[&[u8]]) {
        self.err.str(self.name);
        self.err.put(b": ");
        for p in parts {
            self.err.put(p);
        }
        self.err.byte(b'\n');
        self.flush_err();
    }

    /// Prints `applet: ...` formatted on standard error.
    pub fn warnf(&mut self, args: fmt::Arguments) {
        use fmt::Write;
        self.err.str(self.name);
        self.err.put(b": ");
        let _ = self.err.write_fmt(args);
        self.err.byte(b'\n');
        self.flush_err();
    }

    /// Prints `applet: PATH: strerror` on standard error.
    pub fn warn_path(&mut self, path: &[u8], e: Errno) {
        self.report(&Error::Path(path.to_vec(), e));
    }

    /// Prints an error value as `applet: what: why`.
    pub fn report(&mut self, e: &Error) {
        self.err.str(self.name);
        self.err.put(b": ");
        match e {
            Error::Sys(e) => self.err.str(strerror(*e)),
            Error::Path(p, e) => {
                self.err.put(p);
                self.err.put(b": ");
                self.err.str(strerror(*e));
            }
            Error::Msg(m) => self.err.str(m),
            Error::PathMsg(p, m) => {
                self.err.put(p);
                self.err.put(b": ");
                self.err.str(m);
            }
        }
        self.err.byte(b'\n');
        self.flush_err();
    }

    fn flush_err(&mut self) {
        // Nothing sensible is left to do when standard error itself fails.
        let _ = self.err.flush();
        self.err.reset();
    }

    /// Handles whatever an applet's option loop did not: `--help` (usage on stdout, 0),
    /// `--version`, and errors (message and usage line on stderr, `code`).
    pub fn opt_exit(&mut self, o: Result<Opt, OptError>, usage: &str, code: i32) -> i32 {
        match o {
            Ok(Opt::Help) => {
                self.out.str(usage);
                if !usage.ends_with('\n') {
                    self.out.byte(b'\n');
                }
                return 0;
            }
            Ok(Opt::Version) => {
                self.out.str(self.name);
                self.out.str(" (K1OS k1box) ");
                self.out.str(crate::VERSION);
                self.out.byte(b'\n');
                return 0;
            }
            Ok(other) => self.warnf(format_args!("unhandled option {:?}", other)),
            Err(OptError::Invalid(c)) => self.warnf(format_args!("invalid option -- '{}'", c as char)),
            Err(OptError::NeedsArg(c)) => {
                self.warnf(format_args!("option requires an argument -- '{}'", c as char))
            }
            Err(OptError::UnknownLong(s)) => {
                self.warnf(format_args!("unrecognized option '--{}'", String::from_utf8_lossy(&s)))
            }
            Err(OptError::Ambiguous(s)) => {
                self.warnf(format_args!("option '--{}' is ambiguous", String::from_utf8_lossy(&s)))
            }
            Err(OptError::LongNeedsArg(s)) => {
                self.warnf(format_args!("option '--{}' requires an argument", s))
            }
            Err(OptError::LongTakesNoArg(s)) => {
                self.warnf(format_args!("option '--{}' doesn't allow an argument", s))
            }
            Err(OptError::Unhandled(o)) => self.warnf(format_args!("unhandled option {:?}", o)),
        }
        self.usage_line(usage);
        code
    }

    /// Prints the first line of the usage text and the `--help` hint on standard error.
    pub fn usage_line(&mut self, usage: &str) {
        let first = usage.lines().next().unwrap_or("");
        self.err.str(first);
        self.err.byte(b'\n');
        self.err.str("Try '");
        self.err.str(self.name);
        self.err.str(" --help' for more information.\n");
        self.flush_err();
    }

    /// A usage error with a message of the applet's own (`missing operand`): message, usage
    /// line, and `code`.
    pub fn usage_error(&mut self, msg: &str, usage: &str, code: i32) -> i32 {
        self.warn(msg.as_bytes());
        self.usage_line(usage);
        code
    }
}

/// An error as applets report it: `applet: what: why`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// `applet: strerror`
    Sys(Errno),
    /// `applet: PATH: strerror`
    Path(Vec<u8>, Errno),
    /// `applet: MESSAGE`
    Msg(String),
    /// `applet: PATH: MESSAGE`
    PathMsg(Vec<u8>, String),
}

impl From<Errno> for Error {
    fn from(e: Errno) -> Error {
        Error::Sys(e)
    }
}

/// Attaches a path to a system-call error: `open(p).at(p)?`.
pub trait At<T> {
    fn at(self, path: &[u8]) -> Result<T, Error>;
}

impl<T> At<T> for Result<T, Errno> {
    fn at(self, path: &[u8]) -> Result<T, Error> {
        self.map_err(|e| Error::Path(path.to_vec(), e))
    }
}

/// A message error from byte strings (lossy UTF-8), without formatting code.
#[inline(never)]
pub fn msg_parts(parts: &[&[u8]]) -> Error {
    Error::Msg(String::from_utf8_lossy(&parts.concat()).into_owned())
}

/// A message error from anything printable.
pub fn msg(m: impl fmt::Display) -> Error {
    Error::Msg(alloc::format!("{}", m))
}

/// The shell-style quote of a name for messages such as GNU's `cannot stat 'x'`.
pub fn quoted(p: &[u8]) -> String {
    let mut s = String::from("'");
    s.push_str(&String::from_utf8_lossy(p));
    s.push('\'');
    s
}
