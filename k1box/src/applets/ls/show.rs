//! Printing a listing: names (raw, or with `?` for nonprintables), marks, colours, `-l`
//! lines with GNU's alignment and time format, and GNU's column layout.
use alloc::vec::Vec;

use super::entry::*;
use super::{Format, Indicator, Opts};
use crate::common::users::Users;
use crate::common::{num, text, Cx, Out};

/// User and group names, looked up once per id.
#[derive(Default)]
pub struct Ids {
    users: Users,
    /// (is a group, id, where its text is in `text`, the text is a number)
    known: Vec<(bool, u32, (usize, usize), bool)>,
    text: Vec<u8>,
}

impl Ids {
    /// The name of user (or group) `id`, or its number; true when it is a number.
    fn get(&mut self, group: bool, id: u32, numeric: bool) -> (&[u8], bool) {
        let i = match self.known.iter().position(|k| k.0 == group && k.1 == id) {
            Some(i) => i,
            None => {
                let start = self.text.len();
                let name = match (numeric, group) {
                    (true, _) => None,
                    (false, false) => self.users.user_by_uid(id).map(|p| &p.name),
                    (false, true) => self.users.group_by_gid(id).map(|g| &g.name),
                };
                let is_num = name.is_none();
                match name {
                    Some(n) => self.text.extend_from_slice(n),
                    None => num::push_u64(&mut self.text, id as u64),
                }
                self.known.push((group, id, (start, self.text.len()), is_num));
                self.known.len() - 1
            }
        };
        let k = self.known[i];
        (self.text.get(k.2 .0..k.2 .1).unwrap_or(b""), k.3)
    }
}

/// What printing needs besides the options: colours, the id cache and the time now.
pub struct Printer {
    pub colors: Option<Colors>,
    /// Whether a colour sequence was written yet (the first one is preceded by a reset).
    pub colored: bool,
    pub ids: Ids,
    pub now: (i64, u32),
}

/// The widths of `-l` columns and of the `-i`/`-s` prefixes in a listing.
#[derive(Default)]
pub struct Widths {
    ino: usize,
    blocks: usize,
    nlink: usize,
    owner: usize,
    group: usize,
    size: usize,
    major: usize,
    minor: usize,
}

#[inline(never)]
fn digits(mut n: u64) -> usize {
    let mut d = 1;
    while n >= 10 {
        n /= 10;
        d += 1;
    }
    d
}

/// Prints a size (`-l`) right-aligned in `width`, plain or for people with `-h`, or with
/// no `out` only measures it; returns its width.
#[inline(never)]
fn put_size(out: Option<&mut Out>, n: u64, human: bool, width: usize) -> usize {
    let mut digits = [0u8; 20];
    let h;
    let s: &[u8] = if human {
        h = num::human(n);
        &h
    } else {
        crate::common::out::fmt_u64(n, &mut digits)
    };
    if let Some(out) = out {
        out.padded(s, width, false);
    }
    s.len()
}

/// `put_size` of an entry's `-s` size: 1K blocks, rounded up, or bytes with `-h`.
fn put_blocks_of(out: Option<&mut Out>, blocks: u64, human: bool, width: usize) -> usize {
    let n = if human { blocks.saturating_mul(512) } else { blocks.div_ceil(2) };
    put_size(out, n, human, width)
}

fn major_minor(rdev: u64) -> (u64, u64) {
    (rustix::fs::major(rdev) as u64, rustix::fs::minor(rdev) as u64)
}

fn is_device(e: &Ent) -> bool {
    matches!(e.kind(), S_IFCHR | S_IFBLK)
}

impl Printer {
    /// Prints a listing; `dir` adds the `total` line of `-l` and `-s`. The column widths
    /// come from `widths` when given (GNU sizes command-line files and directories together).
    pub fn show(&mut self, out: &mut Out, o: &Opts, list: &List, dir: bool, widths: Option<Widths>) {
        let w = widths.unwrap_or_else(|| self.widths(o, list));
        if dir && (o.format == Format::Long || o.blocks) {
            let total: u64 =
                list.ents.iter().filter(|e| e.stat_ok).map(|e| e.blocks).fold(0, u64::saturating_add);
            out.put(b"total ");
            put_blocks_of(Some(out), total, o.human, 0);
            out.byte(b'\n');
        }
        match o.format {
            Format::Long => {
                for e in &list.ents {
                    self.long_line(out, o, list, e, &w);
                }
            }
            Format::One => {
                for e in &list.ents {
                    self.frills(out, o, list, e, &w, 0);
                    out.byte(b'\n');
                }
            }
            Format::Commas => {
                let w = Widths::default();
                let mut pos = 0;
                for (i, e) in list.ents.iter().enumerate() {
                    let len = frills_width(o, list, e, &w);
                    if i > 0 {
                        if o.width == 0 || pos + len + 2 < o.width {
                            out.put(b", ");
                            pos += 2;
                        } else {
                            out.put(b",\n");
                            pos = 0;
                        }
                    }
                    self.frills(out, o, list, e, &w, pos);
                    pos += len;
                }
                if !list.ents.is_empty() {
                    out.byte(b'\n');
                }
            }
            Format::Columns | Format::Across => {
                let lens: Vec<usize> = list.ents.iter().map(|e| frills_width(o, list, e, &w)).collect();
                let across = o.format == Format::Across;
                let cols = layout(&lens, o.width, across);
                self.columns(out, o, list, &w, &lens, &cols, across);
            }
        }
    }

    pub fn widths(&mut self, o: &Opts, list: &List) -> Widths {
        let mut w = Widths::default();
        let long = o.format == Format::Long;
        if !long && !o.inode && !o.blocks {
            return w;
        }
        for e in &list.ents {
            if o.inode {
                w.ino = w.ino.max(digits(e.ino));
            }
            if o.blocks {
                w.blocks =
                    w.blocks.max(if e.stat_ok { put_blocks_of(None, e.blocks, o.human, 0) } else { 1 });
            }
            if !long {
                continue;
            }
            if !e.stat_ok {
                w.nlink = w.nlink.max(1);
                w.owner = w.owner.max(1);
                w.group = w.group.max(1);
                w.size = w.size.max(1);
                continue;
            }
            w.nlink = w.nlink.max(digits(e.nlink));
            if o.owner {
                w.owner = w.owner.max(text::width(self.ids.get(false, e.uid, o.numeric).0));
            }
            if o.group {
                w.group = w.group.max(text::width(self.ids.get(true, e.gid, o.numeric).0));
            }
            if is_device(e) {
                let (ma, mi) = major_minor(e.rdev);
                w.major = w.major.max(digits(ma));
                w.minor = w.minor.max(digits(mi));
                w.size = w.size.max(w.major + 2 + w.minor);
            } else {
                w.size = w.size.max(put_size(None, e.size, o.human, 0));
            }
        }
        w
    }

    /// `[inode ][blocks ]name[mark]`, for every format but `-l`.
    /// (`col`: the column it starts at; as GNU, the clear-to-end-of-line test after a
    /// coloured name counts from there, not from the name.)
    fn frills(&mut self, out: &mut Out, o: &Opts, list: &List, e: &Ent, w: &Widths, col: usize) {
        if o.inode {
            put_ino(out, e, w.ino);
        }
        if o.blocks {
            put_blocks(out, o, e, w.blocks);
        }
        self.name(out, o, list, e, col);
        if let Some(c) = mark(o.indicator, e.mode) {
            out.byte(c);
        }
    }

    /// An entry's name, starting at column `col`; returns its width.
    fn name(&mut self, out: &mut Out, o: &Opts, list: &List, e: &Ent, col: usize) -> usize {
        let name = e.name(&list.text);
        let code = self.colors.as_ref().and_then(|c| c.code(e, name));
        colored_name(out, &mut self.colored, o, name, code, col)
    }

    /// A link's target after ` -> `: coloured by what it points to when that was looked at.
    fn target(&mut self, out: &mut Out, o: &Opts, list: &List, e: &Ent, col: usize) {
        let name = e.target(&list.text);
        let code = match &self.colors {
            Some(c) if e.target_mode != 0 => c.target_code(e.target_mode, name),
            _ => None,
        };
        colored_name(out, &mut self.colored, o, name, code, col);
    }

    fn long_line(&mut self, out: &mut Out, o: &Opts, list: &List, e: &Ent, w: &Widths) {
        // The column GNU counts the name from (for the clear-to-end-of-line after a coloured
        // name): it restarts after the owner and group, so do we.
        let mut col = w.size + 1 + 12 + 1;
        if !o.owner && !o.group {
            col += 11 + w.nlink + 1;
            for (want, width) in [(o.inode, w.ino), (o.blocks, w.blocks)] {
                if want {
                    col += width + 1;
                }
            }
        }
        if o.inode {
            put_ino(out, e, w.ino);
        }
        if o.blocks {
            put_blocks(out, o, e, w.blocks);
        }
        out.put(&mode_string(e.mode, e.stat_ok));
        out.byte(b' ');
        if !e.stat_ok {
            out.padded(b"?", w.nlink, false);
            out.byte(b' ');
            if o.owner {
                out.padded(b"?", w.owner + 1, true);
            }
            if o.group {
                out.padded(b"?", w.group + 1, true);
            }
            out.padded(b"?", w.size, false);
            out.put(b"            ? ");
        } else {
            out.num_padded(e.nlink, w.nlink);
            out.byte(b' ');
            for (want, group, id, width) in
                [(o.owner, false, e.uid, w.owner), (o.group, true, e.gid, w.group)]
            {
                if want {
                    let (name, is_num) = self.ids.get(group, id, o.numeric);
                    out.padded(name, width, !is_num);
                    out.byte(b' ');
                }
            }
            if is_device(e) {
                let (ma, mi) = major_minor(e.rdev);
                let blanks = w.size.saturating_sub(w.major + 2 + w.minor);
                out.num_padded(ma, w.major + blanks);
                out.put(b", ");
                out.num_padded(mi, w.minor);
            } else {
                put_size(Some(out), e.size, o.human, w.size);
            }
            out.byte(b' ');
            if e.time > self.now {
                self.now = crate::rt::now();
            }
            let mut buf = [0u8; 32];
            out.put(format_time(e.time, self.now, &mut buf));
            out.byte(b' ');
        }
        col += self.name(out, o, list, e, col);
        if e.is_link() && e.link.1 > 0 {
            out.put(b" -> ");
            self.target(out, o, list, e, col + 4);
            if o.indicator >= Indicator::FileType {
                if let Some(c) = mark(o.indicator, e.target_mode) {
                    out.byte(c);
                }
            }
        } else if let Some(c) = mark(o.indicator, e.mode) {
            out.byte(c);
        }
        out.byte(b'\n');
    }

    #[allow(clippy::too_many_arguments)]
    fn columns(
        &mut self,
        out: &mut Out,
        o: &Opts,
        list: &List,
        w: &Widths,
        lens: &[usize],
        cols: &[usize],
        across: bool,
    ) {
        let n = lens.len();
        if n == 0 || cols.is_empty() {
            return;
        }
        let rows = n.div_ceil(cols.len());
        if across {
            let mut pos = 0;
            for (k, e) in list.ents.iter().enumerate() {
                let c = k % cols.len();
                if k > 0 {
                    if c == 0 {
                        out.byte(b'\n');
                        pos = 0;
                    } else {
                        indent(out, pos + lens[k - 1], pos + cols[c - 1], o.tabsize);
                        pos += cols[c - 1];
                    }
                }
                self.frills(out, o, list, e, w, pos);
            }
            out.byte(b'\n');
            return;
        }
        for r in 0..rows {
            let (mut k, mut c, mut pos) = (r, 0, 0);
            loop {
                self.frills(out, o, list, &list.ents[k], w, pos);
                let len = lens[k];
                k += rows;
                if k >= n {
                    break;
                }
                let cw = cols.get(c).copied().unwrap_or(len + 2);
                indent(out, pos + len, pos + cw, o.tabsize);
                pos += cw;
                c += 1;
            }
            out.byte(b'\n');
        }
    }
}

/// A name, in colour `code` if any: the first colour of the output is preceded by a
/// reset, and a name that wraps past the line width is followed by clear-to-end-of-line
/// (so that the colour's background does not fill the rest of the line, as GNU does).
fn colored_name(
    out: &mut Out,
    colored: &mut bool,
    o: &Opts,
    name: &[u8],
    code: Option<&[u8]>,
    col: usize,
) -> usize {
    let width = name_width(name, o.qmark);
    let Some(code) = code else {
        put_name(out, name, o.qmark);
        return width;
    };
    if !*colored {
        out.put(b"\x1b[0m");
        *colored = true;
    }
    out.put(b"\x1b[");
    out.put(code);
    out.byte(b'm');
    put_name(out, name, o.qmark);
    out.put(b"\x1b[0m");
    if o.width != 0 && width != 0 && col / o.width != (col + width - 1) / o.width {
        out.put(b"\x1b[K");
    }
    width
}

fn put_ino(out: &mut Out, e: &Ent, width: usize) {
    out.num_padded(e.ino, width);
    out.byte(b' ');
}

fn put_blocks(out: &mut Out, o: &Opts, e: &Ent, width: usize) {
    if e.stat_ok {
        put_blocks_of(Some(out), e.blocks, o.human, width);
    } else {
        out.padded(b"?", width, false);
    }
    out.byte(b' ');
}

/// The printed width of an entry in the column formats.
fn frills_width(o: &Opts, list: &List, e: &Ent, w: &Widths) -> usize {
    let mut n = name_width(e.name(&list.text), o.qmark);
    if o.inode {
        n += w.ino.max(digits(e.ino)) + 1;
    }
    if o.blocks {
        n += w.blocks.max(if e.stat_ok { put_blocks_of(None, e.blocks, o.human, 0) } else { 1 }) + 1;
    }
    if mark(o.indicator, e.mode).is_some() {
        n += 1;
    }
    n
}

/// Spaces (and tabs, every `tab` columns, as GNU ls writes them) from column `from` to `to`.
pub fn indent(out: &mut Out, mut from: usize, to: usize, tab: usize) {
    while from < to {
        if tab != 0 && to / tab > (from + 1) / tab {
            out.byte(b'\t');
            from += tab - from % tab;
        } else {
            out.byte(b' ');
            from += 1;
        }
    }
}

/// The widths of the columns for names of widths `lens` on lines of `width` (0: no limit):
/// the most columns whose lines stay shorter than `width`, two spaces between columns.
/// Names go down the columns (`-C`) or across (`-x`).
pub fn layout(lens: &[usize], width: usize, across: bool) -> Vec<usize> {
    let n = lens.len();
    if n == 0 {
        return Vec::new();
    }
    let max_cols = if width == 0 { n } else { width.div_ceil(3).min(n) }.max(1);
    let mut w = Vec::with_capacity(max_cols);
    for cols in (1..=max_cols).rev() {
        let rows = n.div_ceil(cols);
        w.clear();
        w.resize(cols, 0);
        let mut total = 0;
        let mut fits = true;
        for (k, &len) in lens.iter().enumerate() {
            let c = if across { k % cols } else { k / rows };
            let need = len + if c + 1 == cols { 0 } else { 2 };
            if need > w[c] {
                total += need - w[c];
                w[c] = need;
                if width != 0 && total >= width {
                    fits = false;
                    break;
                }
            }
        }
        if fits {
            return w;
        }
    }
    w
}

/// The mark `-F`/`-p`/`--file-type` puts after a name of this mode.
pub fn mark(style: Indicator, mode: u32) -> Option<u8> {
    let c = match mode & S_IFMT {
        S_IFDIR => b'/',
        S_IFLNK => b'@',
        S_IFIFO => b'|',
        S_IFSOCK => b'=',
        S_IFREG if style == Indicator::Classify && mode & 0o111 != 0 => return Some(b'*'),
        _ => return None,
    };
    match style {
        Indicator::None => None,
        Indicator::Slash if c != b'/' => None,
        _ => Some(c),
    }
}

/// `drwxr-xr-x` and friends, with s/S t/T for set-id and sticky bits.
pub fn mode_string(mode: u32, known: bool) -> [u8; 10] {
    let t = match mode & S_IFMT {
        S_IFREG => b'-',
        S_IFDIR => b'd',
        S_IFLNK => b'l',
        S_IFCHR => b'c',
        S_IFBLK => b'b',
        S_IFIFO => b'p',
        S_IFSOCK => b's',
        _ => b'?',
    };
    let mut s = [b'?'; 10];
    s[0] = t;
    if !known {
        return s;
    }
    const RWX: &[u8; 3] = b"rwx";
    for i in 0..9 {
        s[i + 1] = if mode & (0o400 >> i) != 0 { RWX[i % 3] } else { b'-' };
    }
    for (bit, at, c) in [(0o4000, 3, b's'), (0o2000, 6, b's'), (0o1000, 9, b't')] {
        if mode & bit != 0 {
            s[at] = if s[at] == b'x' { c } else { c.to_ascii_uppercase() };
        }
    }
    s
}

/// Year, month (1-12) and day of the days since 1970-01-01 (proleptic Gregorian calendar).
pub fn civil(days: i64) -> (i64, usize, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as usize;
    (era * 400 + yoe + (month <= 2) as i64, month, day)
}

/// `Mon dd HH:MM` for times in the six months before `now`, `Mon dd  YYYY` otherwise (UTC).
pub fn format_time(t: (i64, u32), now: (i64, u32), buf: &mut [u8; 32]) -> &[u8] {
    const MONTHS: &[u8; 36] = b"JanFebMarAprMayJunJulAugSepOctNovDec";
    const HALF_YEAR: i64 = 31_556_952 / 2;
    let recent = (now.0.saturating_sub(HALF_YEAR), now.1) < t && t < now;
    let (y, m, d) = civil(t.0.div_euclid(86_400));
    let secs = t.0.rem_euclid(86_400);
    let two = |n: i64, pad: u8| [if n >= 10 { b'0' + (n / 10) as u8 } else { pad }, b'0' + (n % 10) as u8];
    buf[..3].copy_from_slice(&MONTHS[(m - 1) * 3..m * 3]);
    buf[3] = b' ';
    buf[4..6].copy_from_slice(&two(d as i64, b' '));
    buf[6] = b' ';
    if recent {
        buf[7..9].copy_from_slice(&two(secs / 3600, b'0'));
        buf[9] = b':';
        buf[10..12].copy_from_slice(&two(secs / 60 % 60, b'0'));
        return &buf[..12];
    }
    buf[7] = b' ';
    let mut len = 8;
    if y < 0 {
        buf[8] = b'-';
        len = 9;
    }
    let mut digits = [0u8; 20];
    let yd = crate::common::out::fmt_u64(y.unsigned_abs(), &mut digits);
    buf[len..len + yd.len()].copy_from_slice(yd);
    &buf[..len + yd.len()]
}

/// Whether a character is shown as is with `-q`: not a C0/C1 control or DEL.
fn printable(c: char) -> bool {
    !(c < ' ' || ('\u{7f}'..='\u{9f}').contains(&c))
}

/// A name as is, or with `qmark` each nonprintable character or invalid UTF-8 byte as `?`.
pub fn put_name(out: &mut Out, name: &[u8], qmark: bool) {
    if !qmark || name.iter().all(|&b| (0x20..0x7f).contains(&b)) {
        out.put(name);
        return;
    }
    for chunk in name.utf8_chunks() {
        let mut buf = [0u8; 4];
        for c in chunk.valid().chars() {
            if printable(c) {
                out.put(c.encode_utf8(&mut buf).as_bytes());
            } else {
                out.byte(b'?');
            }
        }
        for _ in chunk.invalid() {
            out.byte(b'?');
        }
    }
}

/// The columns a name takes as `put_name` prints it: raw control characters and invalid
/// bytes take none (as GNU counts them), `?` one.
pub fn name_width(name: &[u8], qmark: bool) -> usize {
    if name.iter().all(|&b| (0x20..0x7f).contains(&b)) {
        return name.len();
    }
    let shown = |c: &core::str::Utf8Chunk| {
        let valid = c.valid().chars().filter(|&ch| qmark || printable(ch)).count();
        valid + if qmark { c.invalid().len() } else { 0 }
    };
    name.utf8_chunks().map(|c| shown(&c)).sum()
}

/// Colour kinds, in the order of `KEYS`.
const FI: usize = 0;
const DI: usize = 1;
const LN: usize = 2;
const PI: usize = 3;
const SO: usize = 4;
const BD: usize = 5;
const CD: usize = 6;
const OR: usize = 7;
const EX: usize = 8;
const SU: usize = 9;
const SG: usize = 10;
const ST: usize = 11;
const OW: usize = 12;
const TW: usize = 13;
const MI: usize = 14;
const KEYS: [&[u8; 2]; 15] =
    [b"fi", b"di", b"ln", b"pi", b"so", b"bd", b"cd", b"or", b"ex", b"su", b"sg", b"st", b"ow", b"tw", b"mi"];
/// GNU's built-in colours (what `dircolors` starts from), read before `LS_COLORS`.
const DEFAULTS: &[u8] = b"di=01;34:ln=01;36:pi=33:so=01;35:bd=01;33:cd=01;33:ex=01;32:su=37;41:sg=30;43:\
st=37;44:ow=34;42:tw=30;42:";
/// Terminal types GNU's dircolors database colours (a `*` suffix: any name so starting).
const TERMS: &[u8] =
    b"xterm* rxvt* screen* tmux* linux linux-c vt100 ansi konsole kterm putty gnome Eterm st \
cons25 console cygwin dtterm hurd jfbterm mlterm terminator";

/// Colour codes by kind and by name suffix (`LS_COLORS`).
pub struct Colors {
    /// The `LS_COLORS` value; the ranges below are (start, end) in it.
    spec: Vec<u8>,
    /// Per kind, the range of its code, or None for the built-in one.
    codes: [Option<(usize, usize)>; 15],
    /// (suffix, code) ranges.
    suffixes: Vec<((usize, usize), (usize, usize))>,
    link_as_target: bool,
}

impl Colors {
    /// The colours from `LS_COLORS`, or the built-in ones; none when `LS_COLORS` is unset
    /// and the terminal type is not one known to show colours (as GNU decides).
    pub fn from_env(cx: &Cx) -> Option<Colors> {
        let spec = cx.getenv(b"LS_COLORS").unwrap_or(b"");
        if spec.is_empty() && cx.getenv(b"COLORTERM").is_none_or(|c| c.is_empty()) {
            let term = cx.getenv(b"TERM").unwrap_or(b"");
            let known = TERMS.split(|&c| c == b' ').any(|t| match t.strip_suffix(b"*") {
                Some(p) => term.starts_with(p),
                None => term == t,
            });
            if !known && !term.windows(5).any(|w| w == b"color") {
                return None;
            }
        }
        Some(Colors::parse(&[DEFAULTS, spec].concat()))
    }

    /// The colours of a `LS_COLORS`-style value (`di=01;34:*.tar=01;31:...`; later entries win).
    pub fn parse(spec: &[u8]) -> Colors {
        let mut c =
            Colors { spec: spec.to_vec(), codes: [None; 15], suffixes: Vec::new(), link_as_target: false };
        let mut start = 0;
        for item in spec.split(|&b| b == b':') {
            let end = start + item.len();
            if let Some(eq) = item.iter().position(|&b| b == b'=') {
                let (key, val) = (&item[..eq], (start + eq + 1, end));
                if key.first() == Some(&b'*') {
                    c.suffixes.push(((start + 1, start + eq), val));
                } else if key == b"ln" && &item[eq + 1..] == b"target" {
                    c.link_as_target = true;
                } else if let Some(k) = KEYS.iter().position(|k| &k[..] == key) {
                    c.codes[k] = Some(val);
                }
            }
            start = end + 1;
        }
        c
    }

    fn at(&self, r: (usize, usize)) -> &[u8] {
        self.spec.get(r.0..r.1).unwrap_or(b"")
    }

    #[inline(never)]
    fn kind(&self, k: usize) -> &[u8] {
        let code = self.codes[k].map_or(&b""[..], |r| self.at(r));
        // As GNU: `0` and `00` colour nothing.
        if code.iter().all(|&c| c == b'0') {
            b""
        } else {
            code
        }
    }

    /// Whether links' targets must be looked at (orphan colour or `ln=target`).
    pub fn needs_target(&self) -> bool {
        self.link_as_target || !self.kind(OR).is_empty() || !self.kind(MI).is_empty()
    }

    /// The code for a name's suffix: an exact match, else one ignoring ASCII case (GNU).
    fn suffix_code(&self, name: &[u8]) -> Option<&[u8]> {
        for exact in [true, false] {
            for &(s, code) in self.suffixes.iter().rev() {
                let s = self.at(s);
                let Some(tail) = name.len().checked_sub(s.len()).map(|at| &name[at..]) else { continue };
                if tail == s || !exact && tail.eq_ignore_ascii_case(s) {
                    return Some(self.at(code));
                }
            }
        }
        None
    }

    /// The colour of a link's target of mode `target` (`MISSING`: mi, else or).
    pub fn target_code(&self, target: u32, name: &[u8]) -> Option<&[u8]> {
        let code = if target == MISSING {
            let mi = self.kind(MI);
            if mi.is_empty() {
                self.kind(OR)
            } else {
                mi
            }
        } else {
            self.code_for(target, 0, true, name)
        };
        if code.is_empty() {
            None
        } else {
            Some(code)
        }
    }

    /// The colour code for an entry, if it has one.
    pub fn code(&self, e: &Ent, name: &[u8]) -> Option<&[u8]> {
        let code = self.code_for(e.mode, e.target_mode, e.stat_ok, name);
        if code.is_empty() {
            None
        } else {
            Some(code)
        }
    }

    fn code_for(&self, mode: u32, target: u32, stat_ok: bool, name: &[u8]) -> &[u8] {
        let on = |k: usize| !self.kind(k).is_empty();
        let k = match mode & S_IFMT {
            S_IFDIR => {
                let (sticky, ow) = (mode & 0o1000 != 0, mode & 0o002 != 0);
                if sticky && ow && on(TW) {
                    TW
                } else if ow && on(OW) {
                    OW
                } else if sticky && on(ST) {
                    ST
                } else {
                    DI
                }
            }
            S_IFLNK => {
                if target == MISSING && on(OR) {
                    OR
                } else if self.link_as_target && target & S_IFMT != 0 {
                    return self.code_for(target, 0, true, name);
                } else {
                    LN
                }
            }
            S_IFIFO => PI,
            S_IFSOCK => SO,
            S_IFBLK => BD,
            S_IFCHR => CD,
            _ => {
                if stat_ok && mode & 0o4000 != 0 && on(SU) {
                    SU
                } else if stat_ok && mode & 0o2000 != 0 && on(SG) {
                    SG
                } else if stat_ok && mode & 0o111 != 0 && on(EX) {
                    EX
                } else if let Some(code) = self.suffix_code(name) {
                    return code;
                } else {
                    FI
                }
            }
        };
        self.kind(k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn colors(spec: &[u8]) -> Colors {
        Colors::parse(&[DEFAULTS, spec].concat())
    }
    use alloc::vec;

    #[test]
    fn mode_strings_show_set_id_and_sticky_bits() {
        assert_eq!(&mode_string(S_IFREG | 0o644, true), b"-rw-r--r--");
        assert_eq!(&mode_string(S_IFDIR | 0o755, true), b"drwxr-xr-x");
        assert_eq!(&mode_string(S_IFREG | 0o4755, true), b"-rwsr-xr-x");
        assert_eq!(&mode_string(S_IFREG | 0o4644, true), b"-rwSr--r--");
        assert_eq!(&mode_string(S_IFREG | 0o2755, true), b"-rwxr-sr-x");
        assert_eq!(&mode_string(S_IFREG | 0o2745, true), b"-rwxr-Sr-x");
        assert_eq!(&mode_string(S_IFDIR | 0o1777, true), b"drwxrwxrwt");
        assert_eq!(&mode_string(S_IFDIR | 0o1776, true), b"drwxrwxrwT");
        assert_eq!(&mode_string(S_IFLNK | 0o777, true), b"lrwxrwxrwx");
        assert_eq!(&mode_string(S_IFCHR, true), b"c---------");
        assert_eq!(&mode_string(S_IFLNK, false), b"l?????????");
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(civil(-1), (1969, 12, 31));
        assert_eq!(civil(11_016), (2000, 2, 29));
        assert_eq!(civil(20_423), (2025, 12, 1));
    }

    #[test]
    fn times_within_six_months_show_the_clock_older_ones_the_year() {
        let now = (1_764_578_400, 0); // 2025-12-01 08:40:00
        let mut b = [0u8; 32];
        assert_eq!(format_time((1_764_578_100, 0), now, &mut b), b"Dec  1 08:35");
        assert_eq!(format_time((1_750_000_000, 0), now, &mut b), b"Jun 15 15:06");
        assert_eq!(format_time((1_700_000_000, 0), now, &mut b), b"Nov 14  2023");
        assert_eq!(format_time((1_764_578_401, 0), now, &mut b), b"Dec  1  2025");
        assert_eq!(format_time((0, 0), now, &mut b), b"Jan  1  1970");
        assert_eq!(format_time((-86_400, 0), now, &mut b), b"Dec 31  1969");
    }

    #[test]
    fn columns_are_the_most_that_fit() {
        assert_eq!(layout(&[1, 1, 1], 80, false), vec![3, 3, 1]);
        assert_eq!(layout(&[10; 10], 30, false), vec![12, 10]);
        assert_eq!(layout(&[10; 10], 35, true), vec![12, 12, 10]);
        assert_eq!(layout(&[50, 50], 80, false), vec![50]);
        assert_eq!(layout(&[100], 80, false), vec![100]);
        assert_eq!(layout(&[3, 3, 3], 0, false), vec![5, 5, 3]);
        assert!(layout(&[], 80, false).is_empty());
    }

    #[test]
    fn indent_uses_tabs_like_gnu() {
        let mut o = Out::new(-1, 1 << 20);
        indent(&mut o, 3, 16, 8);
        o.byte(b'|');
        indent(&mut o, 7, 9, 8);
        o.byte(b'|');
        indent(&mut o, 6, 9, 8);
        o.byte(b'|');
        indent(&mut o, 1, 4, 0);
        assert_eq!(o.pending(), b"\t\t|  |\t |   ");
    }

    #[test]
    fn marks_by_style() {
        assert_eq!(mark(Indicator::Classify, S_IFREG | 0o755), Some(b'*'));
        assert_eq!(mark(Indicator::FileType, S_IFREG | 0o755), None);
        assert_eq!(mark(Indicator::Slash, S_IFDIR), Some(b'/'));
        assert_eq!(mark(Indicator::Slash, S_IFLNK), None);
        assert_eq!(mark(Indicator::FileType, S_IFIFO), Some(b'|'));
        assert_eq!(mark(Indicator::None, S_IFDIR), None);
    }

    #[test]
    fn qmark_replaces_controls_and_bad_bytes() {
        let mut o = Out::new(-1, 1 << 20);
        put_name(&mut o, b"a\nb\xffc\xc3\xa9", true);
        assert_eq!(o.pending(), b"a?b?c\xc3\xa9");
        assert_eq!(name_width(b"a\nb\xffc\xc3\xa9", true), 6);
        assert_eq!(name_width(b"a\nb\xffc\xc3\xa9", false), 4);
    }

    #[test]
    fn ls_colors_override_defaults() {
        let c = colors(b"di=01;31:*.tar=01;35:ex=:junk");
        let dir = Ent { mode: S_IFDIR | 0o755, stat_ok: true, ..Ent::default() };
        let exe = Ent { mode: S_IFREG | 0o755, stat_ok: true, ..Ent::default() };
        let tar = Ent { mode: S_IFREG | 0o644, stat_ok: true, ..Ent::default() };
        assert_eq!(c.code(&dir, b"d"), Some(&b"01;31"[..]));
        assert_eq!(c.code(&exe, b"x"), None);
        assert_eq!(c.code(&tar, b"a.tar"), Some(&b"01;35"[..]));
        let sticky = Ent { mode: S_IFDIR | 0o1777, stat_ok: true, ..Ent::default() };
        let setuid = Ent { mode: S_IFREG | 0o4755, stat_ok: true, ..Ent::default() };
        let link = Ent { mode: S_IFLNK | 0o777, stat_ok: true, ..Ent::default() };
        let d = colors(b"");
        assert_eq!(d.code(&sticky, b"t"), Some(&b"30;42"[..]));
        assert_eq!(d.code(&setuid, b"s"), Some(&b"37;41"[..]));
        assert_eq!(d.code(&link, b"l"), Some(&b"01;36"[..]));
        assert!(!d.needs_target());
        let o = colors(b"or=31:ln=target");
        assert!(o.needs_target());
        let orphan = Ent { target_mode: MISSING, ..link };
        assert_eq!(o.code(&orphan, b"l"), Some(&b"31"[..]));
        assert_eq!(o.target_code(MISSING, b"x"), Some(&b"31"[..]));
        assert_eq!(colors(b"or=31:mi=05").target_code(MISSING, b"x"), Some(&b"05"[..]));
        assert_eq!(d.code(&Ent { mode: S_IFREG | 0o644, ..exe }, b"A.TAR"), None);
        assert_eq!(c.code(&Ent { mode: S_IFREG | 0o644, ..exe }, b"A.TAR"), Some(&b"01;35"[..]));
        assert_eq!(colors(b"di=00").code(&dir, b"d"), None);
        let to_dir = Ent { target_mode: S_IFDIR | 0o755, ..link };
        assert_eq!(o.code(&to_dir, b"l"), Some(&b"01;34"[..]));
        assert_eq!(d.code(&exe, b"x"), Some(&b"01;32"[..]));
        assert_eq!(d.code(&tar, b"a.tar"), None);
    }
}
