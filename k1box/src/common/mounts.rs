//! The mount tables: /proc/mounts and /etc/fstab lines (`SOURCE TARGET TYPE OPTIONS [FREQ
//! [PASSNO]]`, blanks between fields, `\040`-style octal escapes, `#` comments), as fstab(5)
//! describes them.
use alloc::vec::Vec;

/// One line of a mount table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub source: Vec<u8>,
    pub target: Vec<u8>,
    pub fstype: Vec<u8>,
    pub options: Vec<u8>,
}

impl Entry {
    /// Whether the comma-separated options hold `opt` exactly.
    pub fn has_option(&self, opt: &[u8]) -> bool {
        self.options.split(|&c| c == b',').any(|o| o == opt)
    }
}

/// Undoes the octal escapes (`\040` for a space) of a mount-table field.
pub fn unescape(f: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(f.len());
    let mut i = 0;
    while i < f.len() {
        if f[i] == b'\\' && i + 3 < f.len() && f[i + 1..i + 4].iter().all(|c| (b'0'..=b'7').contains(c)) {
            let n = f[i + 1..i + 4].iter().fold(0u32, |n, c| n * 8 + (c - b'0') as u32);
            v.push(n as u8);
            i += 4;
        } else {
            v.push(f[i]);
            i += 1;
        }
    }
    v
}

/// Parses a whole table; malformed lines (fewer than 2 fields) are skipped.
pub fn parse(text: &[u8]) -> Vec<Entry> {
    let mut v = Vec::new();
    for line in text.split(|&c| c == b'\n') {
        let line = &line[..line.iter().position(|&c| c == b'#').unwrap_or(line.len())];
        let mut f = line.split(|c| c.is_ascii_whitespace()).filter(|f| !f.is_empty());
        let (Some(source), Some(target)) = (f.next(), f.next()) else { continue };
        let fstype = f.next().unwrap_or(b"auto");
        let options = f.next().unwrap_or(b"defaults");
        v.push(Entry {
            source: unescape(source),
            target: unescape(target),
            fstype: unescape(fstype),
            options: unescape(options),
        });
    }
    v
}

/// mount(2) flags beyond rustix's `MountFlags` names.
pub const MS_RDONLY: u32 = 1;
pub const MS_REMOUNT: u32 = 32;
pub const MS_BIND: u32 = 4096;
pub const MS_MOVE: u32 = 8192;
pub const MS_REC: u32 = 16384;

/// mount(2) with raw `MS_*` flags (remount, bind and move included: the kernel ignores the
/// source or type they do not need). One call site for the whole program: rustix's path
/// conversions are large when repeated.
#[inline(never)]
pub fn mount(
    src: &[u8],
    dir: &[u8],
    fstype: &[u8],
    flags: u32,
    data: &[u8],
) -> Result<(), rustix::io::Errno> {
    let c = |s: &[u8]| alloc::ffi::CString::new(s.to_vec()).unwrap_or_default();
    let (s, d, t, o) = (c(src), c(dir), c(fstype), c(data));
    let flags = rustix::mount::MountFlags::from_bits_retain(flags);
    rustix::mount::mount(
        s.as_c_str(),
        d.as_c_str(),
        t.as_c_str(),
        flags,
        (!data.is_empty()).then_some(o.as_c_str()),
    )
}

/// umount2(2) with raw `MNT_*` flags (1 force, 2 detach).
#[inline(never)]
pub fn unmount(dir: &[u8], flags: u32) -> Result<(), rustix::io::Errno> {
    let d = alloc::ffi::CString::new(dir.to_vec()).unwrap_or_default();
    rustix::mount::unmount(d.as_c_str(), rustix::mount::UnmountFlags::from_bits_retain(flags))
}

/// Reads and parses a table file.
pub fn read(path: &[u8]) -> Result<Vec<Entry>, rustix::io::Errno> {
    crate::common::fs::read_file(path).map(|t| parse(&t))
}

/// The current mounts (from /proc/mounts).
pub fn current() -> Result<Vec<Entry>, rustix::io::Errno> {
    read(b"/proc/mounts")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fstab_lines_comments_and_escapes() {
        let t = b"# comment\n\nLABEL=x /mnt/my\\040disk ext4 ro,noatime 0 2\ntmpfs /tmp tmpfs\n/dev/sda1 /a\nbad\n";
        let e = parse(t);
        assert_eq!(e.len(), 3);
        assert_eq!(e[0].source, b"LABEL=x");
        assert_eq!(e[0].target, b"/mnt/my disk");
        assert_eq!(e[0].fstype, b"ext4");
        assert!(e[0].has_option(b"noatime") && !e[0].has_option(b"atime"));
        assert_eq!(e[1].options, b"defaults");
        assert_eq!(e[2].fstype, b"auto");
    }

    #[test]
    fn proc_mounts_lines() {
        let e = parse(b"overlay / overlay rw,relatime,lowerdir=/a 0 0\nproc /proc proc rw 0 0\n");
        assert_eq!(e[0].target, b"/");
        assert_eq!(e[1].fstype, b"proc");
    }
}
