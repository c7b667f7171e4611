//! What ls knows about each name it lists, kept compactly: the names (and link targets) of
//! a listing live in one byte buffer, the entries refer to them by offset.
use alloc::vec::Vec;
use core::cmp::Ordering;
use rustix::fs::Stat;

use super::{Opts, Sort, TimeKind};

pub const S_IFMT: u32 = 0o170000;
pub const S_IFDIR: u32 = 0o040000;
pub const S_IFLNK: u32 = 0o120000;
pub const S_IFREG: u32 = 0o100000;
pub const S_IFCHR: u32 = 0o020000;
pub const S_IFBLK: u32 = 0o060000;
pub const S_IFIFO: u32 = 0o010000;
pub const S_IFSOCK: u32 = 0o140000;
/// `Ent::target_mode` of a dangling link (no type bits, so no type matches it).
pub const MISSING: u32 = 1;

/// One listed name.
#[derive(Clone, Copy, Default, Debug)]
pub struct Ent {
    /// Offset and length of the name in the listing's text.
    pub name: (u32, u32),
    /// Offset and length of a symbolic link's target (`-l`).
    pub link: (u32, u32),
    /// The mode; only the type bits when the status was not read.
    pub mode: u32,
    /// The mode of a link's target: 0 when not looked at, `MISSING` when dangling.
    pub target_mode: u32,
    /// Whether the status (everything below) was read.
    pub stat_ok: bool,
    pub ino: u64,
    pub nlink: u64,
    pub uid: u32,
    pub gid: u32,
    pub size: u64,
    /// 512-byte blocks allocated.
    pub blocks: u64,
    pub rdev: u64,
    /// The time the options chose (seconds, nanoseconds).
    pub time: (i64, u32),
}

impl Ent {
    pub fn fill(&mut self, st: &Stat, kind: TimeKind) {
        self.stat_ok = true;
        self.mode = st.st_mode;
        self.ino = st.st_ino;
        self.nlink = st.st_nlink;
        self.uid = st.st_uid;
        self.gid = st.st_gid;
        self.size = st.st_size.max(0) as u64;
        self.blocks = st.st_blocks.max(0) as u64;
        self.rdev = st.st_rdev;
        self.time = match kind {
            TimeKind::Modify => (st.st_mtime, st.st_mtime_nsec as u32),
            TimeKind::Change => (st.st_ctime, st.st_ctime_nsec as u32),
            TimeKind::Access => (st.st_atime, st.st_atime_nsec as u32),
        };
    }

    pub fn kind(&self) -> u32 {
        self.mode & S_IFMT
    }

    pub fn is_dir(&self) -> bool {
        self.kind() == S_IFDIR
    }

    /// A directory, or a link to one (for `--group-directories-first`).
    pub fn dir_like(&self) -> bool {
        self.is_dir() || self.is_link() && self.target_mode & S_IFMT == S_IFDIR
    }

    pub fn is_link(&self) -> bool {
        self.kind() == S_IFLNK
    }

    #[inline(never)]
    pub fn name<'t>(&self, text: &'t [u8]) -> &'t [u8] {
        span(text, self.name)
    }

    pub fn target<'t>(&self, text: &'t [u8]) -> &'t [u8] {
        span(text, self.link)
    }
}

/// The bytes at (offset, length) of a listing's text.
fn span(text: &[u8], (at, len): (u32, u32)) -> &[u8] {
    let at = at as usize;
    text.get(at..at + len as usize).unwrap_or(b"")
}

/// The entries of one listing and the bytes of their names.
#[derive(Default)]
pub struct List {
    pub ents: Vec<Ent>,
    pub text: Vec<u8>,
}

impl List {
    pub fn clear(&mut self) {
        self.ents.clear();
        self.text.clear();
    }

    /// Adds `name`; the caller fills in the rest.
    pub fn push(&mut self, name: &[u8], ino: u64) -> &mut Ent {
        let start = self.text.len();
        self.text.extend_from_slice(name);
        self.ents.push(Ent { name: (start as u32, name.len() as u32), ino, ..Ent::default() });
        let last = self.ents.len() - 1;
        &mut self.ents[last]
    }

    /// Sorts as the options say (`-U` keeps the order the names came in).
    pub fn sort(&mut self, o: &Opts) {
        if o.sort == Sort::None && !o.dirs_first {
            return;
        }
        let (ents, text) = (&self.ents, &self.text);
        let mut order: Vec<u32> = (0..ents.len() as u32).collect();
        let prefixes: Vec<u64> = ents.iter().map(|e| prefix(e.name(text))).collect();
        merge_sort(&mut order, &|a, b| {
            let (a, b) = (a as usize, b as usize);
            let by_prefix = prefixes[a].cmp(&prefixes[b]);
            compare(&ents[a], &ents[b], by_prefix, text, o) == Ordering::Greater
        });
        permute(&mut self.ents, &mut order);
    }
}

/// Reorders `v` so that `v[k]` becomes the old `v[order[k]]`, in place: each cycle of the
/// permutation is walked once (and marked done in `order`).
fn permute(v: &mut [Ent], order: &mut [u32]) {
    for start in 0..v.len().min(order.len()) {
        if order[start] as usize == start {
            continue;
        }
        let first = v[start];
        let mut cur = start;
        loop {
            let next = order[cur] as usize;
            order[cur] = cur as u32;
            if next == start || next >= v.len() {
                v[cur] = first;
                break;
            }
            v[cur] = v[next];
            cur = next;
        }
    }
}

/// Sorts `v` stably, `after(a, b)` saying that `a` goes after `b`: insertion sort of short
/// runs, then merges of runs through a second buffer. (Small code: one instance, no generics.)
pub fn merge_sort(v: &mut Vec<u32>, after: &dyn Fn(u32, u32) -> bool) {
    const RUN: usize = 8;
    let n = v.len();
    for start in (0..n).step_by(RUN) {
        let end = (start + RUN).min(n);
        for i in start + 1..end {
            let mut j = i;
            while j > start && after(v[j - 1], v[j]) {
                v.swap(j - 1, j);
                j -= 1;
            }
        }
    }
    let mut src = core::mem::take(v);
    let mut dst: Vec<u32> = Vec::with_capacity(n);
    let mut width = RUN;
    while width < n {
        dst.clear();
        let mut lo = 0;
        while lo < n {
            let mid = (lo + width).min(n);
            let hi = (lo + 2 * width).min(n);
            let (mut i, mut j) = (lo, mid);
            while i < mid && j < hi {
                if after(src[i], src[j]) {
                    dst.push(src[j]);
                    j += 1;
                } else {
                    dst.push(src[i]);
                    i += 1;
                }
            }
            dst.extend_from_slice(&src[i..mid]);
            dst.extend_from_slice(&src[j..hi]);
            lo = hi;
        }
        core::mem::swap(&mut src, &mut dst);
        width *= 2;
    }
    *v = src;
}

/// The first 8 bytes of a name as a number that orders as the bytes do (names hold no NUL,
/// so the zero padding of short names sorts them first, as byte order does).
fn prefix(name: &[u8]) -> u64 {
    let mut b = [0u8; 8];
    let n = name.len().min(8);
    b[..n].copy_from_slice(&name[..n]);
    u64::from_be_bytes(b)
}

/// The listing order of two entries (`by_prefix`: the order of their names' `prefix`es): directories first with `--group-directories-first`,
/// then the key (newest or largest first), then the name by bytes; `-r` reverses all but
/// the grouping.
pub fn compare(a: &Ent, b: &Ent, by_prefix: Ordering, text: &[u8], o: &Opts) -> Ordering {
    if o.dirs_first {
        let by_dir = b.dir_like().cmp(&a.dir_like());
        if by_dir != Ordering::Equal || o.sort == Sort::None {
            return by_dir;
        }
    }
    let key = match o.sort {
        Sort::Time => b.time.cmp(&a.time),
        Sort::Size => b.size.cmp(&a.size),
        Sort::Name => Ordering::Equal,
        Sort::None => return Ordering::Equal,
    };
    let ord = key.then(by_prefix).then_with(|| a.name(text).cmp(b.name(text)));
    if o.reverse {
        ord.reverse()
    } else {
        ord
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn opts(sort: Sort, reverse: bool, dirs_first: bool) -> Opts {
        use super::super::*;
        Opts {
            all: false,
            almost_all: false,
            dirs_as_files: false,
            recursive: false,
            format: Format::One,
            sort,
            reverse,
            time: TimeKind::Modify,
            inode: false,
            blocks: false,
            human: false,
            numeric: false,
            owner: true,
            group: true,
            indicator: Indicator::None,
            deref: Deref::Never,
            dirs_first,
            qmark: false,
            width: 80,
            tabsize: 8,
        }
    }

    fn listing() -> List {
        let mut l = List::default();
        for (name, mode, size, time) in [
            (&b"b"[..], S_IFREG, 10, 5),
            (b"a", S_IFREG, 10, 7),
            (b"D", S_IFDIR, 1, 1),
            (b"c", S_IFREG, 99, 7),
        ] {
            let e = l.push(name, 0);
            (e.mode, e.size, e.time) = (mode, size, (time, 0));
        }
        l
    }

    fn names(l: &List) -> Vec<&[u8]> {
        l.ents.iter().map(|e| e.name(&l.text)).collect()
    }

    #[test]
    fn sorts_by_bytes_time_size_with_names_breaking_ties() {
        let mut l = listing();
        l.sort(&opts(Sort::Name, false, false));
        assert_eq!(names(&l), [&b"D"[..], b"a", b"b", b"c"]);
        l.sort(&opts(Sort::Time, false, false));
        assert_eq!(names(&l), [&b"a"[..], b"c", b"b", b"D"]);
        l.sort(&opts(Sort::Size, false, false));
        assert_eq!(names(&l), [&b"c"[..], b"a", b"b", b"D"]);
        l.sort(&opts(Sort::Size, true, false));
        assert_eq!(names(&l), [&b"D"[..], b"b", b"a", b"c"]);
        l.sort(&opts(Sort::Name, true, true));
        assert_eq!(names(&l), [&b"D"[..], b"c", b"b", b"a"]);
        let mut l = listing();
        l.sort(&opts(Sort::None, false, false));
        assert_eq!(names(&l), [&b"b"[..], b"a", b"D", b"c"]);
    }

    #[test]
    fn permute_applies_an_order_in_place() {
        let mut l = List::default();
        for n in [&b"a"[..], b"b", b"c", b"d", b"e"] {
            l.push(n, 0);
        }
        let mut order = vec![3, 0, 4, 1, 2];
        permute(&mut l.ents, &mut order);
        assert_eq!(names(&l), [&b"d"[..], b"a", b"e", b"b", b"c"]);
    }

    #[test]
    fn merge_sort_is_stable_and_complete() {
        for n in [0usize, 1, 2, 7, 8, 9, 17, 100, 1000] {
            let keys: Vec<u32> = (0..n as u32).map(|i| (i * 7919) % 13).collect();
            let mut v: Vec<u32> = (0..n as u32).collect();
            merge_sort(&mut v, &|a, b| keys[a as usize] > keys[b as usize]);
            let mut want: Vec<u32> = (0..n as u32).collect();
            want.sort_by_key(|&i| keys[i as usize]);
            assert_eq!(v, want, "n={n}");
        }
    }
}
