//! A writer of the "newc" cpio format (SVR4 without CRC, magic `070701`), the format the
//! kernel unpacks an initramfs from (Documentation/driver-api/early-userspace/buffer-format.rst).
//!
//! Every header field is 8 hex digits; the name (with its NUL) and the data are each padded
//! to a multiple of 4 bytes; the archive ends with the entry `TRAILER!!!`. Entries are
//! written in the order given; [`Archive::finish`] sorts them by path first, so parents
//! come before their children and two runs over the same inputs give the same bytes.

/// File type bits of `st_mode`.
pub const S_IFDIR: u32 = 0o040000;
pub const S_IFREG: u32 = 0o100000;
pub const S_IFLNK: u32 = 0o120000;
pub const S_IFCHR: u32 = 0o020000;
pub const S_IFBLK: u32 = 0o060000;

/// One archive member. `path` has no leading `/` (the kernel takes names as relative to `/`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub path: String,
    /// Type and permission bits, as `st_mode`.
    pub mode: u32,
    /// Device number for character and block nodes.
    pub rdev: (u32, u32),
    /// File contents, or the target of a symbolic link.
    pub data: Vec<u8>,
}

impl Entry {
    pub fn dir(path: &str, perm: u32) -> Entry {
        Entry { path: clean(path), mode: S_IFDIR | perm, rdev: (0, 0), data: Vec::new() }
    }
    pub fn file(path: &str, perm: u32, data: Vec<u8>) -> Entry {
        Entry { path: clean(path), mode: S_IFREG | perm, rdev: (0, 0), data }
    }
    pub fn symlink(path: &str, target: &str) -> Entry {
        Entry { path: clean(path), mode: S_IFLNK | 0o777, rdev: (0, 0), data: target.as_bytes().to_vec() }
    }
    pub fn node(path: &str, kind: u32, perm: u32, major: u32, minor: u32) -> Entry {
        Entry { path: clean(path), mode: kind | perm, rdev: (major, minor), data: Vec::new() }
    }
}

fn clean(path: &str) -> String {
    path.trim_start_matches('/').trim_end_matches('/').to_string()
}

/// Builds an archive in memory. All members are owned by root (uid 0, gid 0) and carry the
/// same modification time.
pub struct Archive {
    entries: Vec<Entry>,
    mtime: u32,
}

impl Archive {
    pub fn new(mtime: u64) -> Archive {
        Archive { entries: Vec::new(), mtime: mtime.min(u32::MAX as u64) as u32 }
    }

    pub fn add(&mut self, e: Entry) -> Result<(), String> {
        if e.path.is_empty() || e.path.split('/').any(|c| c.is_empty() || c == "." || c == "..") {
            return Err(format!("bad archive path {:?}", e.path));
        }
        if self.entries.iter().any(|x| x.path == e.path) {
            return Err(format!("/{}: listed twice", e.path));
        }
        self.entries.push(e);
        Ok(())
    }

    /// The archive bytes: members sorted by path, each parent directory present (a missing
    /// one is an error: the manifest should say what its mode is), then the trailer.
    pub fn finish(mut self) -> Result<Vec<u8>, String> {
        self.entries.sort_by(|a, b| a.path.cmp(&b.path));
        for e in &self.entries {
            if let Some((parent, _)) = e.path.rsplit_once('/') {
                let found = self.entries.binary_search_by(|x| x.path.as_str().cmp(parent));
                if !found.is_ok_and(|i| self.entries[i].mode & 0o170000 == S_IFDIR) {
                    return Err(format!("/{}: parent directory /{parent} is not in the archive", e.path));
                }
            }
        }
        let mut out = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            let nlink = if e.mode & 0o170000 == S_IFDIR { 2 } else { 1 };
            header(&mut out, i as u32 + 1, e.mode, nlink, self.mtime, e.rdev, &e.path, e.data.len())?;
            out.extend_from_slice(&e.data);
            pad4(&mut out);
        }
        header(&mut out, 0, 0, 1, 0, (0, 0), "TRAILER!!!", 0)?;
        Ok(out)
    }
}

#[allow(clippy::too_many_arguments)]
fn header(
    out: &mut Vec<u8>,
    ino: u32,
    mode: u32,
    nlink: u32,
    mtime: u32,
    rdev: (u32, u32),
    name: &str,
    size: usize,
) -> Result<(), String> {
    let size = u32::try_from(size).map_err(|_| format!("{name}: larger than 4 GiB"))?;
    let fields = [ino, mode, 0, 0, nlink, mtime, size, 0, 0, rdev.0, rdev.1, name.len() as u32 + 1, 0];
    out.extend_from_slice(b"070701");
    for f in fields {
        out.extend_from_slice(format!("{f:08x}").as_bytes());
    }
    out.extend_from_slice(name.as_bytes());
    out.push(0);
    pad4(out);
    Ok(())
}

fn pad4(out: &mut Vec<u8>) {
    while !out.len().is_multiple_of(4) {
        out.push(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(hdr: &[u8], i: usize) -> u32 {
        let s = std::str::from_utf8(&hdr[6 + 8 * i..14 + 8 * i]).unwrap();
        u32::from_str_radix(s, 16).unwrap()
    }

    #[test]
    fn newc_header_layout_and_padding() {
        let mut a = Archive::new(1234);
        a.add(Entry::file("init", 0o755, b"hello".to_vec())).unwrap();
        let bytes = a.finish().unwrap();
        assert_eq!(&bytes[..6], b"070701");
        assert_eq!(field(&bytes, 1), S_IFREG | 0o755);
        assert_eq!(field(&bytes, 2), 0, "uid");
        assert_eq!(field(&bytes, 3), 0, "gid");
        assert_eq!(field(&bytes, 5), 1234, "mtime");
        assert_eq!(field(&bytes, 6), 5, "size");
        assert_eq!(field(&bytes, 11), 5, "name size with NUL");
        // 110-byte header + "init\0" = 115, padded to 116; then data 5 bytes padded to 8.
        assert_eq!(&bytes[110..115], b"init\0");
        assert_eq!(&bytes[116..121], b"hello");
        assert_eq!(bytes[121..124], [0, 0, 0]);
        assert_eq!(&bytes[124..130], b"070701");
        assert!(bytes.windows(11).any(|w| w == b"TRAILER!!!\0"));
        assert_eq!(bytes.len() % 4, 0);
    }

    #[test]
    fn members_are_sorted_and_devices_keep_their_numbers() {
        let mut a = Archive::new(0);
        a.add(Entry::node("/dev/console", S_IFCHR, 0o600, 5, 1)).unwrap();
        a.add(Entry::dir("/dev", 0o755)).unwrap();
        let bytes = a.finish().unwrap();
        assert_eq!(&bytes[110..114], b"dev\0");
        let second = 116;
        assert_eq!(&bytes[second..second + 6], b"070701");
        assert_eq!(field(&bytes[second..], 1), S_IFCHR | 0o600);
        assert_eq!((field(&bytes[second..], 9), field(&bytes[second..], 10)), (5, 1));
    }

    #[test]
    fn missing_parent_and_duplicates_are_refused() {
        let mut a = Archive::new(0);
        a.add(Entry::file("sbin/init", 0o755, vec![])).unwrap();
        assert!(a.finish().unwrap_err().contains("parent directory /sbin"));
        let mut a = Archive::new(0);
        a.add(Entry::dir("x", 0o755)).unwrap();
        assert!(a.add(Entry::dir("/x/", 0o700)).is_err());
        assert!(a.add(Entry::dir("a/../b", 0o700)).is_err());
    }
}
