//! Block-device identification: the file-system type, label and UUID read from superblocks
//! (ext2/3/4, iso9660, squashfs, vfat), the block devices of /sys/class/block, and
//! `LABEL=`/`UUID=` resolution. Used by `blkid`, `findfs`, `mount` and stage 1 of init.
//! Layouts from the kernel's and the formats' own documentation (ext4 disk layout, ECMA-119,
//! the squashfs format, Microsoft's FAT specification).
use alloc::vec::Vec;
use rustix::fs::{Mode, OFlags};
use rustix::io::Errno;

/// What a probe found.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Probe {
    pub fstype: &'static str,
    pub label: Vec<u8>,
    pub uuid: Vec<u8>,
}

/// How many bytes of a device `probe` looks at.
pub const PROBE_LEN: usize = 36 * 1024;

fn le16(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 2).map_or(0, |s| u16::from_le_bytes([s[0], s[1]]) as u32)
}

fn le32(b: &[u8], at: usize) -> u32 {
    b.get(at..at + 4).map_or(0, |s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn field(b: &[u8], at: usize, len: usize) -> &[u8] {
    b.get(at..at + len).unwrap_or(&[])
}

/// A label without its NUL or space padding.
fn trimmed(s: &[u8]) -> Vec<u8> {
    let s = &s[..s.iter().position(|&c| c == 0).unwrap_or(s.len())];
    let end = s.iter().rposition(|&c| c != b' ').map_or(0, |e| e + 1);
    s[..end].to_vec()
}

fn hex(out: &mut Vec<u8>, bytes: &[u8], upper: bool) {
    let digits: &[u8; 16] = if upper { b"0123456789ABCDEF" } else { b"0123456789abcdef" };
    for &b in bytes {
        out.push(digits[(b >> 4) as usize]);
        out.push(digits[(b & 15) as usize]);
    }
}

/// Identifies the file system whose first bytes are `b` (at least [`PROBE_LEN`] of them when
/// the device is that long).
pub fn probe(b: &[u8]) -> Option<Probe> {
    probe_ext(b).or_else(|| probe_iso9660(b)).or_else(|| probe_squashfs(b)).or_else(|| probe_vfat(b))
}

fn probe_ext(b: &[u8]) -> Option<Probe> {
    let sb = b.get(1024..2048)?;
    if le16(sb, 56) != 0xEF53 {
        return None;
    }
    let (compat, incompat, ro_compat) = (le32(sb, 92), le32(sb, 96), le32(sb, 100));
    // extents, 64bit, flex_bg, mmp, inline data... or huge_file, gdt_csum, dir_nlink, extra_isize
    let fstype = if incompat & !0x0000_0016 != 0 || ro_compat & 0x0078 != 0 {
        "ext4"
    } else if compat & 0x4 != 0 {
        "ext3"
    } else {
        "ext2"
    };
    let u = field(sb, 104, 16);
    let mut uuid = Vec::with_capacity(36);
    for (i, part) in [&u[0..4], &u[4..6], &u[6..8], &u[8..10], &u[10..16]].iter().enumerate() {
        if i > 0 {
            uuid.push(b'-');
        }
        hex(&mut uuid, part, false);
    }
    Some(Probe { fstype, label: trimmed(field(sb, 120, 16)), uuid })
}

fn probe_iso9660(b: &[u8]) -> Option<Probe> {
    let pvd = b.get(32768..34816)?;
    if pvd[0] != 1 || &pvd[1..6] != b"CD001" {
        return None;
    }
    // The UUID blkid shows: the volume creation time, YYYY-MM-DD-HH-MM-SS-cc.
    let t = field(pvd, 813, 16);
    let mut uuid = Vec::new();
    if t.iter().any(|&c| c != b'0' && c != 0) {
        for (i, c) in t.iter().enumerate() {
            if i >= 4 && i % 2 == 0 {
                uuid.push(b'-');
            }
            uuid.push(*c);
        }
    }
    Some(Probe { fstype: "iso9660", label: trimmed(field(pvd, 40, 32)), uuid })
}

fn probe_squashfs(b: &[u8]) -> Option<Probe> {
    (b.get(0..4)? == b"hsqs").then(|| Probe { fstype: "squashfs", ..Probe::default() })
}

fn probe_vfat(b: &[u8]) -> Option<Probe> {
    let bs = b.get(0..512)?;
    let bytes_per_sector = le16(bs, 11);
    let per_cluster = bs[13];
    let valid = bs[510] == 0x55
        && bs[511] == 0xAA
        && bytes_per_sector.is_power_of_two()
        && (512..=4096).contains(&bytes_per_sector)
        && per_cluster.is_power_of_two()
        && le16(bs, 14) != 0
        && matches!(bs[16], 1 | 2);
    if !valid {
        return None;
    }
    // FAT32 keeps its extended boot record at 64; FAT12/16 at 36.
    let ebr = if &bs[82..87] == b"FAT32" {
        64
    } else if &bs[54..57] == b"FAT" || le16(bs, 22) != 0 {
        36
    } else {
        return None;
    };
    let mut p = Probe { fstype: "vfat", ..Probe::default() };
    if bs[ebr + 2] == 0x29 {
        let serial = field(bs, ebr + 3, 4);
        hex(&mut p.uuid, &[serial[3], serial[2]], true);
        p.uuid.push(b'-');
        hex(&mut p.uuid, &[serial[1], serial[0]], true);
        let label = trimmed(field(bs, ebr + 7, 11));
        if label != b"NO NAME" {
            p.label = label;
        }
    }
    Some(p)
}

/// Reads the first [`PROBE_LEN`] bytes of `path` and identifies them.
pub fn probe_path(path: &[u8]) -> Result<Option<Probe>, Errno> {
    let fd = rustix::fs::open(path, OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NONBLOCK, Mode::empty())?;
    let mut buf = alloc::vec![0u8; PROBE_LEN];
    let mut got = 0;
    while got < buf.len() {
        match rustix::io::pread(&fd, &mut buf[got..], got as u64) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(Errno::INTR) => {}
            Err(e) if got == 0 => return Err(e),
            Err(_) => break,
        }
    }
    buf.truncate(got);
    Ok(probe(&buf))
}

/// The block devices in /sys/class/block (sorted by name), without those that hold nothing
/// (size 0: free loop devices, empty CD drives) unless `all`.
pub fn block_devices(all: bool) -> Vec<Vec<u8>> {
    let mut names = crate::common::copy::read_names(c"/sys/class/block").unwrap_or_default();
    names.retain(|n| !n.starts_with(b".") && (all || (device_sectors(n) != Some(0) && has_medium(n))));
    // Insertion sort: a handful of names, and no sort routine to carry for them.
    for i in 1..names.len() {
        let mut j = i;
        while j > 0 && names[j - 1] > names[j] {
            names.swap(j - 1, j);
            j -= 1;
        }
    }
    names
}

/// False for an optical drive without a disc (reading it only logs I/O errors).
pub fn has_medium(name: &[u8]) -> bool {
    if !name.starts_with(b"sr") {
        return true;
    }
    let dev = dev_path(name);
    match rustix::fs::open(&dev[..], OFlags::RDONLY | OFlags::NONBLOCK | OFlags::CLOEXEC, Mode::empty()) {
        Ok(fd) => {
            crate::rt::kernel::cdrom_drive_status(&fd).map_or(true, |s| s == crate::rt::kernel::CDS_DISC_OK)
        }
        Err(_) => false,
    }
}

/// The size in 512-byte sectors the kernel reports for block device `name`.
pub fn device_sectors(name: &[u8]) -> Option<u64> {
    let mut p = b"/sys/class/block/".to_vec();
    p.extend_from_slice(name);
    p.extend_from_slice(b"/size");
    let v = crate::common::fs::read_file(&p).ok()?;
    crate::common::num::parse_u64(crate::common::text::chomp(&v))
}

/// `/dev/NAME`.
pub fn dev_path(name: &[u8]) -> Vec<u8> {
    let mut p = b"/dev/".to_vec();
    p.extend_from_slice(name);
    p
}

/// A `LABEL=x` or `UUID=x` spec (quotes allowed) as (is_label, value); None for a path.
pub fn tag_spec(spec: &[u8]) -> Option<(bool, &[u8])> {
    let (label, v) = if let Some(v) = spec.strip_prefix(b"LABEL=") {
        (true, v)
    } else {
        (false, spec.strip_prefix(b"UUID=")?)
    };
    let v = v.strip_prefix(b"\"").and_then(|v| v.strip_suffix(b"\"")).unwrap_or(v);
    Some((label, v))
}

/// Whether `p` carries the tag of `spec` (UUIDs compare without regard to case).
pub fn matches(p: &Probe, label: bool, value: &[u8]) -> bool {
    if label {
        p.label == value
    } else {
        p.uuid.eq_ignore_ascii_case(value)
    }
}

/// The device path for `LABEL=`/`UUID=` specs (first match in /sys/class/block order); any
/// other spec is returned as it is.
pub fn resolve(spec: &[u8]) -> Option<Vec<u8>> {
    let Some((label, value)) = tag_spec(spec) else { return Some(spec.to_vec()) };
    block_devices(false)
        .into_iter()
        .map(|n| dev_path(&n))
        .find(|dev| matches!(probe_path(dev), Ok(Some(p)) if matches(&p, label, value)))
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// A synthetic ext4 superblock with this label and UUID.
    pub fn ext4_image(label: &[u8]) -> Vec<u8> {
        let mut b = alloc::vec![0u8; 4096];
        b[1024 + 56] = 0x53;
        b[1024 + 57] = 0xEF;
        b[1024 + 92] = 0x4; // has_journal
        b[1024 + 96] = 0x40 | 0x2; // extents, filetype
        for i in 0..16 {
            b[1024 + 104 + i] = 0x10 + i as u8;
        }
        b[1024 + 120..1024 + 120 + label.len()].copy_from_slice(label);
        b
    }

    #[test]
    fn ext4_label_uuid_and_type() {
        let p = probe(&ext4_image(b"K1OS-DATA")).unwrap();
        assert_eq!(p.fstype, "ext4");
        assert_eq!(p.label, b"K1OS-DATA");
        assert_eq!(p.uuid, b"10111213-1415-1617-1819-1a1b1c1d1e1f");
    }

    #[test]
    fn ext2_and_ext3_by_features() {
        let mut b = ext4_image(b"");
        b[1024 + 96] = 0x2;
        assert_eq!(probe(&b).unwrap().fstype, "ext3");
        b[1024 + 92] = 0;
        assert_eq!(probe(&b).unwrap().fstype, "ext2");
    }

    #[test]
    fn iso9660_volume_id_and_date_uuid() {
        let mut b = alloc::vec![0u8; PROBE_LEN];
        b[32768] = 1;
        b[32769..32774].copy_from_slice(b"CD001");
        let mut id = [b' '; 32];
        id[..4].copy_from_slice(b"K1OS");
        b[32768 + 40..32768 + 72].copy_from_slice(&id);
        b[32768 + 813..32768 + 829].copy_from_slice(b"2026120108541600");
        let p = probe(&b).unwrap();
        assert_eq!(
            (p.fstype, &p.label[..], &p.uuid[..]),
            ("iso9660", &b"K1OS"[..], &b"2026-12-01-08-54-16-00"[..])
        );
    }

    #[test]
    fn squashfs_magic() {
        let mut b = alloc::vec![0u8; 4096];
        b[..4].copy_from_slice(b"hsqs");
        assert_eq!(probe(&b).unwrap().fstype, "squashfs");
    }

    #[test]
    fn vfat_serial_and_label() {
        let mut b = alloc::vec![0u8; 4096];
        b[11] = 0; // 512 bytes per sector
        b[12] = 2;
        b[13] = 4;
        b[14] = 32;
        b[16] = 2;
        b[66] = 0x29;
        b[67..71].copy_from_slice(&[0x78, 0x56, 0x34, 0x12]);
        b[71..82].copy_from_slice(b"EFIBOOT    ");
        b[82..90].copy_from_slice(b"FAT32   ");
        b[510] = 0x55;
        b[511] = 0xAA;
        let p = probe(&b).unwrap();
        assert_eq!((p.fstype, &p.label[..], &p.uuid[..]), ("vfat", &b"EFIBOOT"[..], &b"1234-5678"[..]));
    }

    #[test]
    fn an_mbr_alone_is_not_fat_and_zeroes_are_nothing() {
        let mut b = alloc::vec![0u8; 4096];
        assert_eq!(probe(&b), None);
        b[510] = 0x55;
        b[511] = 0xAA;
        assert_eq!(probe(&b), None);
        assert_eq!(probe(b"short"), None);
    }

    #[test]
    fn tag_specs() {
        assert_eq!(tag_spec(b"LABEL=K1OS-DATA"), Some((true, &b"K1OS-DATA"[..])));
        assert_eq!(tag_spec(b"UUID=\"ab\""), Some((false, &b"ab"[..])));
        assert_eq!(tag_spec(b"/dev/sda"), None);
    }
}
