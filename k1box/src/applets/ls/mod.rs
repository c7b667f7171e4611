//! ls — list directory contents (POSIX: -1 -A -C -F -H -L -R -S -a -c -d -f -g -i -k -l -m -n
//! -o -p -q -r -s -t -u -x; GNU: -G -N -T -U -h -w, --color, --group-directories-first,
//! --file-type, --show-control-chars).
//!
//! Output follows GNU coreutils in the C locale: names sorted by bytes, columns sized to the
//! terminal (`-C`, with tabs as GNU uses them) when standard output is a terminal and one name
//! per line otherwise, `-l` with GNU's column alignment and time format. Differences, by
//! design: errors use the K1OS form `ls: NAME: reason`; on a terminal nonprintable bytes show
//! as `?` (valid UTF-8 is printed as is) but names are not shell-quoted; no ACL/SELinux mark
//! after the mode; times are shown in UTC (K1OS has no zoneinfo yet, so local time is UTC).
//!
//! - `mod.rs` (this file): options, operands, the directory walk.
//! - `entry.rs`: what is known about one name, reading directories, sorting.
//! - `show.rs`: printing — names, `-l` lines, columns, colours.
mod entry;
mod show;

use alloc::ffi::CString;
use alloc::vec::Vec;
use core::ffi::CStr;
use rustix::fd::{AsFd, BorrowedFd};
use rustix::fs::{AtFlags, FileType, Mode, OFlags, CWD};
use rustix::io::Errno;

use crate::common::{long, num, path, Cx, Getopt, HasArg, Long, Opt, OptError};
use entry::{Ent, List};
use show::{Colors, Ids, Printer};

const USAGE: &str = "\
Usage: ls [-1AaCcdFfGgHhikLlmNnopqRrSstUux] [-w COLS] [-T COLS] [FILE]...

List the FILEs (the current directory by default), sorted by name.

  -a/-A  all names / all but . and ..     -d  directories themselves   -R  recursive
  -l  long   -g/-o  -l without owner/group   -G  no group   -n  numeric ids   -i  inodes
  -1  one per line   -C/-x  columns down/across   -m  commas   -w COLS  width (0: any)
  -s  size in 1K blocks   -h  sizes for people   -k  1K blocks (the default)
  -t/-S  sort by time/size   -U  no sort   -r  reverse   -f  -aU, no -l -s colour
  -c/-u  change/access time (-t, -l)   -F/-p  marks */=@| or /   --file-type  no *
  -L/-H  follow links / links on the command line   -T COLS  tab stops (0: none)
  -q/-N  nonprintables as ? / as they are (--show-control-chars)
  --color[=always|auto|never]  colour by type (LS_COLORS)
  --group-directories-first
Times are shown in UTC. Exit status: 0 ok, 1 minor problems, 2 serious trouble.
";

const COLOR: u16 = 256;
const DIRS_FIRST: u16 = 257;
const SHOW_CTRL: u16 = 258;
const FILE_TYPE: u16 = 259;

const LONGS: &[Long] = &[
    long("all", HasArg::No, b'a' as u16),
    long("almost-all", HasArg::No, b'A' as u16),
    long("classify", HasArg::No, b'F' as u16),
    long("color", HasArg::Optional, COLOR),
    long("colour", HasArg::Optional, COLOR),
    long("dereference", HasArg::No, b'L' as u16),
    long("dereference-command-line", HasArg::No, b'H' as u16),
    long("directory", HasArg::No, b'd' as u16),
    long("file-type", HasArg::No, FILE_TYPE),
    long("group-directories-first", HasArg::No, DIRS_FIRST),
    long("hide-control-chars", HasArg::No, b'q' as u16),
    long("human-readable", HasArg::No, b'h' as u16),
    long("inode", HasArg::No, b'i' as u16),
    long("literal", HasArg::No, b'N' as u16),
    long("no-group", HasArg::No, b'G' as u16),
    long("numeric-uid-gid", HasArg::No, b'n' as u16),
    long("recursive", HasArg::No, b'R' as u16),
    long("reverse", HasArg::No, b'r' as u16),
    long("show-control-chars", HasArg::No, SHOW_CTRL),
    long("size", HasArg::No, b's' as u16),
    long("tabsize", HasArg::Yes, b'T' as u16),
    long("width", HasArg::Yes, b'w' as u16),
];

/// How names are laid out.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Format {
    One,
    Columns,
    Across,
    Commas,
    Long,
}

/// The sort key.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Sort {
    Name,
    Time,
    Size,
    None,
}

/// Which mark follows a name (ordered: each style includes the marks of the ones before).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum Indicator {
    None,
    Slash,
    FileType,
    Classify,
}

/// Which symbolic links are followed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Deref {
    /// None (`-l`, `-d`, `-F`).
    Never,
    /// Command-line links to directories (the default).
    DirArgs,
    /// All command-line links (`-H`).
    Args,
    /// All (`-L`).
    Always,
}

/// Which of a file's times is shown and sorted by.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TimeKind {
    Modify,
    Change,
    Access,
}

/// Everything the options decide.
pub struct Opts {
    pub all: bool,
    pub almost_all: bool,
    pub dirs_as_files: bool,
    pub recursive: bool,
    pub format: Format,
    pub sort: Sort,
    pub reverse: bool,
    pub time: TimeKind,
    pub inode: bool,
    pub blocks: bool,
    pub human: bool,
    pub numeric: bool,
    pub owner: bool,
    pub group: bool,
    pub indicator: Indicator,
    pub deref: Deref,
    pub dirs_first: bool,
    pub qmark: bool,
    pub width: usize,
    pub tabsize: usize,
}

enum When {
    Never,
    Always,
    Auto,
}

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let tty = rustix::termios::isatty(crate::rt::stdout());
    let mut o = Opts {
        all: false,
        almost_all: false,
        dirs_as_files: false,
        recursive: false,
        format: if tty { Format::Columns } else { Format::One },
        sort: Sort::Name,
        reverse: false,
        time: TimeKind::Modify,
        inode: false,
        blocks: false,
        human: false,
        numeric: false,
        owner: true,
        group: true,
        indicator: Indicator::None,
        deref: Deref::DirArgs,
        dirs_first: false,
        qmark: tty,
        width: 0,
        tabsize: 8,
    };
    let mut sort_given = false;
    let mut deref_given = false;
    let mut width = None;
    let mut color = When::Never;
    let mut g = Getopt::new(&args, "1AaCcdFfGgHhikLlmNnopqRrSsT:tUuw:x", LONGS);
    while let Some(opt) = g.next() {
        match opt {
            Ok(Opt::Char(c)) => match c {
                b'1' => o.format = Format::One,
                b'C' => o.format = Format::Columns,
                b'x' => o.format = Format::Across,
                b'm' => o.format = Format::Commas,
                b'l' => o.format = Format::Long,
                b'g' => (o.format, o.owner) = (Format::Long, false),
                b'o' => (o.format, o.group) = (Format::Long, false),
                b'G' => o.group = false,
                b'n' => (o.format, o.numeric) = (Format::Long, true),
                b'a' => (o.all, o.almost_all) = (true, false),
                b'A' => (o.all, o.almost_all) = (false, true),
                b'f' => {
                    (o.all, o.almost_all, o.sort, sort_given) = (true, false, Sort::None, true);
                    if o.format == Format::Long {
                        o.format = if tty { Format::Columns } else { Format::One };
                    }
                    o.blocks = false;
                    color = When::Never;
                }
                b'd' => o.dirs_as_files = true,
                b'R' => o.recursive = true,
                b'r' => o.reverse = true,
                b't' => (o.sort, sort_given) = (Sort::Time, true),
                b'S' => (o.sort, sort_given) = (Sort::Size, true),
                b'U' => (o.sort, sort_given) = (Sort::None, true),
                b'c' => o.time = TimeKind::Change,
                b'u' => o.time = TimeKind::Access,
                b'i' => o.inode = true,
                b's' => o.blocks = true,
                b'h' => o.human = true,
                b'k' => {}
                b'F' => o.indicator = Indicator::Classify,
                b'p' => o.indicator = Indicator::Slash,
                b'L' => (o.deref, deref_given) = (Deref::Always, true),
                b'H' => (o.deref, deref_given) = (Deref::Args, true),
                b'q' => o.qmark = true,
                b'N' => o.qmark = false,
                b'w' | b'T' => {
                    let Some(n) = num::parse_u64(g.arg_or_empty()) else {
                        let what: &[u8] = if c == b'w' { b"invalid line width" } else { b"invalid tab size" };
                        say(cx, &[what, b": '", g.arg_or_empty(), b"'"]);
                        return 2;
                    };
                    let n = usize::try_from(n).unwrap_or(usize::MAX);
                    if c == b'w' {
                        width = Some(n);
                    } else {
                        o.tabsize = n;
                    }
                }
                _ => return cx.opt_exit(Err(OptError::Unhandled(Opt::Char(c))), USAGE, 2),
            },
            Ok(Opt::Long(COLOR)) => {
                color = match g.arg().map_or(Some(0), when) {
                    Some(0) => When::Always,
                    Some(1) => When::Never,
                    Some(_) => When::Auto,
                    None => {
                        let a = g.arg_or_empty();
                        say(cx, &[b"invalid argument '", a, b"' for '--color'"]);
                        cx.usage_line(USAGE);
                        return 2;
                    }
                }
            }
            Ok(Opt::Long(DIRS_FIRST)) => o.dirs_first = true,
            Ok(Opt::Long(SHOW_CTRL)) => o.qmark = false,
            Ok(Opt::Long(FILE_TYPE)) => o.indicator = Indicator::FileType,
            other => return cx.opt_exit(other, USAGE, 2),
        }
    }
    let operands = g.operands();
    if !deref_given && (o.dirs_as_files || o.indicator == Indicator::Classify || o.format == Format::Long) {
        o.deref = Deref::Never;
    }
    if o.time != TimeKind::Modify && !sort_given && o.format != Format::Long {
        o.sort = Sort::Time;
    }
    o.width = width.unwrap_or_else(|| terminal_width(cx, tty));
    if o.width == 0 {
        o.tabsize = 0; // as GNU: unlimited lines are padded with spaces only
    }
    let colors = match color {
        When::Always => Colors::from_env(cx),
        When::Auto if tty => Colors::from_env(cx),
        _ => None,
    };
    if colors.is_some() {
        o.tabsize = 0; // as GNU: coloured columns are padded with spaces only
    }
    run(cx, &o, colors, &operands)
}

/// The `--color` argument's meaning (0 always, 1 never, 2 auto), as GNU's argmatch reads
/// it: a word or an abbreviation that means just one of them.
fn when(arg: &[u8]) -> Option<usize> {
    const WORDS: [&[u8]; 9] =
        [b"always", b"yes", b"force", b"never", b"no", b"none", b"auto", b"tty", b"if-tty"];
    if let Some(i) = WORDS.iter().position(|w| *w == arg) {
        return Some(i / 3);
    }
    let mut found = None;
    for (i, w) in WORDS.iter().enumerate() {
        if w.starts_with(arg) && !arg.is_empty() {
            if found.is_some_and(|f| f != i / 3) {
                return None;
            }
            found = Some(i / 3);
        }
    }
    found
}

/// The line width: the terminal's, else `COLUMNS`, else 80 (GNU's order; an invalid
/// `COLUMNS` is ignored without GNU's warning).
fn terminal_width(cx: &Cx, tty: bool) -> usize {
    if tty {
        if let Ok(ws) = rustix::termios::tcgetwinsize(crate::rt::stdout()) {
            if ws.ws_col > 0 {
                return ws.ws_col as usize;
            }
        }
    }
    // COLUMNS=0, like -w 0, means no limit.
    match cx.getenv(b"COLUMNS").and_then(num::parse_u64) {
        Some(n) => usize::try_from(n).unwrap_or(usize::MAX),
        None => 80,
    }
}

/// A directory waiting to be listed, or the end of one whose subdirectories are done.
enum Pending {
    Dir(Vec<u8>, bool),
    Leave,
}

/// The walk's state.
struct Ls<'o> {
    o: &'o Opts,
    p: Printer,
    code: i32,
    first: bool,
    list: List,
    buf: Vec<u8>,
    active: Vec<(u64, u64)>,
    stack: Vec<Pending>,
}

fn run(cx: &mut Cx, o: &Opts, colors: Option<Colors>, operands: &[&[u8]]) -> i32 {
    let mut ls = Ls {
        o,
        p: Printer { colors, colored: false, ids: Ids::default(), now: crate::rt::now() },
        code: 0,
        first: true,
        list: List::default(),
        buf: Vec::new(),
        active: Vec::new(),
        stack: Vec::new(),
    };
    let dot: [&[u8]; 1] = [b"."];
    let ops = if operands.is_empty() { &dot[..] } else { operands };
    let mut args = List::default();
    for &op in ops {
        let cop = CString::new(op).unwrap_or_default();
        match stat_operand(o, &cop) {
            Ok(st) => {
                let e = args.push(op, 0);
                e.fill(&st, o.time);
                if e.is_link() {
                    link_info(&mut args, CWD, &cop, o, ls.p.colors.as_ref());
                }
            }
            Err(e) => {
                warn(cx, op, e);
                ls.code = 2;
            }
        }
    }
    args.sort(o);
    let widths = ls.p.widths(o, &args);
    if !o.dirs_as_files {
        for e in args.ents.iter().rev().filter(|e| e.is_dir()) {
            ls.stack.push(Pending::Dir(e.name(&args.text).to_vec(), true));
        }
        args.ents.retain(|e| !e.is_dir());
    }
    let dirs = ls.stack.len();
    let print_names = !(args.ents.is_empty() && dirs == 1 && ops.len() <= 1);
    if !args.ents.is_empty() {
        ls.p.show(&mut cx.out, o, &args, false, Some(widths));
        if dirs > 0 {
            cx.out.byte(b'\n');
        }
    }
    while let Some(p) = ls.stack.pop() {
        if cx.out.failed() {
            break;
        }
        match p {
            Pending::Leave => {
                ls.active.pop();
            }
            Pending::Dir(dir, cmdline) => ls.list_dir(cx, &dir, cmdline, print_names),
        }
    }
    ls.code
}

/// The status of a command-line operand, following links as the options say.
fn stat_operand(o: &Opts, op: &CStr) -> Result<rustix::fs::Stat, Errno> {
    let lstat = || rustix::fs::statat(CWD, op, AtFlags::SYMLINK_NOFOLLOW);
    match o.deref {
        Deref::Never => lstat(),
        Deref::Always | Deref::Args => rustix::fs::statat(CWD, op, AtFlags::empty()),
        Deref::DirArgs => match rustix::fs::statat(CWD, op, AtFlags::empty()) {
            Ok(st) if FileType::from_raw_mode(st.st_mode) == FileType::Directory => Ok(st),
            Ok(_) | Err(Errno::NOENT) | Err(Errno::LOOP) => lstat(),
            Err(e) => Err(e),
        },
    }
}

/// For the link just pushed into `list` (named `name` relative to `dir`): its target with
/// `-l`, and the type of what it points to when `-lF` marks or colours need it.
fn link_info(list: &mut List, dir: BorrowedFd, name: &CStr, o: &Opts, colors: Option<&Colors>) {
    let long = o.format == Format::Long;
    let follow = (long && o.indicator >= Indicator::FileType)
        || o.dirs_first
        || colors.is_some_and(Colors::needs_target);
    if o.deref == Deref::Always || !long && !follow {
        return;
    }
    let mut buf = [0u8; 4096];
    let mut n = 0;
    if long {
        n = rustix::fs::readlinkat_raw(dir, name, &mut buf[..]).unwrap_or(0).min(buf.len());
    }
    let start = list.text.len();
    list.text.extend_from_slice(&buf[..n]);
    let target_mode = if follow {
        rustix::fs::statat(dir, name, AtFlags::empty()).map_or(entry::MISSING, |s| s.st_mode)
    } else {
        0
    };
    if let Some(e) = list.ents.last_mut() {
        e.link = (start as u32, n as u32);
        e.target_mode = target_mode;
    }
}

/// `ls: ` and the parts, on standard error, after what is already on standard output.
fn say(cx: &mut Cx, parts: &[&[u8]]) {
    let _ = cx.out.flush();
    cx.warn_parts(parts);
}

/// `ls: NAME: reason`, after what is already on standard output.
fn warn(cx: &mut Cx, name: &[u8], e: Errno) {
    let _ = cx.out.flush();
    cx.warn_path(name, e);
}

impl Ls<'_> {
    fn list_dir(&mut self, cx: &mut Cx, dir: &[u8], cmdline: bool, print_names: bool) {
        let o = self.o;
        let minor = if cmdline { 2 } else { 1 };
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        let fd = match rustix::fs::openat(CWD, dir, flags, Mode::empty()) {
            Ok(fd) => fd,
            Err(e) => {
                warn(cx, dir, e);
                self.code = self.code.max(minor);
                return;
            }
        };
        if o.recursive {
            if let Ok(st) = rustix::fs::fstat(&fd) {
                let id = (st.st_dev, st.st_ino);
                if self.active.contains(&id) {
                    say(cx, &[dir, b": not listing already-listed directory"]);
                    self.code = 2;
                    return;
                }
                self.active.push(id);
                self.stack.push(Pending::Leave);
            }
        }
        if o.recursive || print_names {
            if !self.first {
                cx.out.byte(b'\n');
            }
            self.first = false;
            show::put_name(&mut cx.out, dir, o.qmark);
            cx.out.put(b":\n");
        }
        let mut list = core::mem::take(&mut self.list);
        list.clear();
        if let Err(e) = self.read_dir(cx, &fd, dir, &mut list) {
            warn(cx, dir, e);
            self.code = self.code.max(minor);
        }
        list.sort(o);
        self.p.show(&mut cx.out, o, &list, true, None);
        if o.recursive {
            for e in list.ents.iter().rev() {
                let name = e.name(&list.text);
                if e.is_dir() && name != b"." && name != b".." {
                    self.stack.push(Pending::Dir(path::join(dir, name), false));
                }
            }
        }
        self.list = list;
    }

    /// Reads the entries of `fd` (the directory `dir`) into `list`, with their status when
    /// the options need it.
    fn read_dir(
        &mut self,
        cx: &mut Cx,
        fd: &rustix::fd::OwnedFd,
        dir: &[u8],
        list: &mut List,
    ) -> Result<(), Errno> {
        let o = self.o;
        let need_stat = o.format == Format::Long
            || o.blocks
            || matches!(o.sort, Sort::Time | Sort::Size)
            || o.deref == Deref::Always
            || o.indicator == Indicator::Classify
            || self.p.colors.is_some();
        let need_type = need_stat || o.recursive || o.indicator != Indicator::None || o.dirs_first;
        let stat_flags = if o.deref == Deref::Always { AtFlags::empty() } else { AtFlags::SYMLINK_NOFOLLOW };
        if self.buf.capacity() == 0 {
            self.buf.reserve_exact(32 * 1024);
        }
        let mut rd = rustix::fs::RawDir::new(fd, self.buf.spare_capacity_mut());
        while let Some(r) = rd.next() {
            let d = r?;
            let cname = d.file_name();
            let name = cname.to_bytes();
            let hidden = name.first() == Some(&b'.') && !o.all;
            if hidden && (!o.almost_all || name == b"." || name == b"..") {
                continue;
            }
            let mode = d.file_type().as_raw_mode();
            list.push(name, d.ino()).mode = mode;
            if need_stat || (need_type && mode == 0) {
                match rustix::fs::statat(fd, cname, stat_flags) {
                    Ok(st) => {
                        if let Some(e) = list.ents.last_mut() {
                            e.fill(&st, o.time);
                        }
                    }
                    Err(e) => {
                        warn(cx, &entry_path(dir, name), e);
                        self.code = self.code.max(1);
                    }
                }
            }
            if list.ents.last().is_some_and(Ent::is_link) {
                link_info(list, fd.as_fd(), cname, o, self.p.colors.as_ref());
            }
        }
        Ok(())
    }
}

/// How GNU names an entry in messages: `dir/name`, or `name` in `.`.
fn entry_path(dir: &[u8], name: &[u8]) -> Vec<u8> {
    if dir == b"." {
        name.to_vec()
    } else {
        path::join(dir, name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn color_words_and_abbreviations() {
        assert_eq!(when(b"always"), Some(0));
        assert_eq!(when(b"force"), Some(0));
        assert_eq!(when(b"no"), Some(1));
        assert_eq!(when(b"n"), Some(1));
        assert_eq!(when(b"if"), Some(2));
        assert_eq!(when(b"a"), None);
        assert_eq!(when(b"au"), Some(2));
        assert_eq!(when(b""), None);
        assert_eq!(when(b"sometimes"), None);
    }

    #[test]
    fn entry_paths_are_named_as_gnu_names_them() {
        assert_eq!(entry_path(b".", b"x"), b"x");
        assert_eq!(entry_path(b"d", b"x"), b"d/x");
        assert_eq!(entry_path(b"d/", b"x"), b"d/x");
    }
}
