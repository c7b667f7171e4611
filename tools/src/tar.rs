//! A writer of POSIX ustar archives (POSIX.1-2001 `pax` utility, "ustar Interchange
//! Format"), regular files only: what GRUB's memdisk reads (grub-mkstandalone makes the
//! same kind of archive, but dates its members with the time it copies them).
//!
//! Every header is one 512-byte block of NUL-padded text fields (numbers in octal); each
//! member's data is padded to a multiple of 512 bytes; two zero blocks end the archive.
//! Members are owned by root, mode 0644, all with the same modification time, written in
//! the order given: the same members give the same bytes.

const BLOCK: usize = 512;

/// `members` (path, contents) as an archive, every member dated `mtime`.
pub fn archive(members: &[(String, Vec<u8>)], mtime: u64) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    for (path, data) in members {
        out.extend_from_slice(&header(path, data.len() as u64, mtime)?);
        out.extend_from_slice(data);
        out.resize(out.len().next_multiple_of(BLOCK), 0);
    }
    out.resize(out.len() + 2 * BLOCK, 0);
    Ok(out)
}

fn header(path: &str, size: u64, mtime: u64) -> Result<[u8; BLOCK], String> {
    // the name field holds 100 bytes; longer names would need the prefix field
    if path.is_empty() || path.len() > 100 || path.starts_with('/') {
        return Err(format!("{path:?}: not a relative path of at most 100 bytes"));
    }
    if size >= 1 << 33 || mtime >= 1 << 33 {
        return Err(format!("{path}: size or time does not fit a ustar header"));
    }
    let mut h = [0u8; BLOCK];
    let mut put = |at: usize, s: &[u8]| h[at..at + s.len()].copy_from_slice(s);
    put(0, path.as_bytes());
    put(100, b"0000644\0"); // mode
    put(108, b"0000000\0"); // uid
    put(116, b"0000000\0"); // gid
    put(124, format!("{size:011o}\0").as_bytes());
    put(136, format!("{mtime:011o}\0").as_bytes());
    put(148, b"        "); // the checksum is summed with its own field as spaces
    put(156, b"0"); // regular file
    put(257, b"ustar\0"); // magic
    put(263, b"00"); // version
    put(265, b"root");
    put(297, b"root");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    Ok(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_fields_checksum_and_padding() {
        let a = archive(&[("boot/grub/grub.cfg".into(), b"hello".to_vec())], 0o1234).unwrap();
        assert_eq!(a.len(), 4 * BLOCK, "header, one data block, two zero blocks");
        assert_eq!(&a[..19], b"boot/grub/grub.cfg\0");
        assert_eq!(&a[124..136], b"00000000005\0");
        assert_eq!(&a[136..148], b"00000001234\0");
        assert_eq!(&a[257..265], b"ustar\x0000");
        let text = std::str::from_utf8(&a[148..154]).unwrap();
        let mut h = a[..BLOCK].to_vec();
        h[148..156].fill(b' ');
        assert_eq!(u32::from_str_radix(text, 8).unwrap(), h.iter().map(|&b| u32::from(b)).sum::<u32>());
        assert_eq!(&a[BLOCK..BLOCK + 5], b"hello");
        assert!(a[BLOCK + 5..].iter().all(|&b| b == 0));
    }

    #[test]
    fn long_or_absolute_names_are_refused() {
        assert!(archive(&[("/etc/x".into(), vec![])], 0).is_err());
        assert!(archive(&[("a".repeat(101), vec![])], 0).is_err());
        assert!(archive(&[("a".repeat(100), vec![])], 0).is_ok());
    }

    #[test]
    fn gnu_tar_lists_and_extracts_what_we_wrote() {
        if crate::util::which("tar").is_none() {
            eprintln!("SKIP: tar is not installed");
            return;
        }
        let d = std::env::temp_dir().join(format!("k1os-tar-test-{}", std::process::id()));
        crate::util::remove_tree(&d).unwrap();
        std::fs::create_dir_all(&d).unwrap();
        let big = vec![7u8; 1000];
        let a = archive(
            &[("a/x.mod".into(), big.clone()), ("b.cfg".into(), b"set x=1\n".to_vec())],
            1_704_067_200,
        )
        .unwrap();
        std::fs::write(d.join("m.tar"), &a).unwrap();
        let out = std::process::Command::new("tar")
            .args(["--utc", "-tvf", "m.tar"])
            .current_dir(&d)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8_lossy(&out.stdout);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert!(
            lines[0].starts_with("-rw-r--r-- root/root")
                && lines[0].contains(" 1000 2024-01-01 00:00 a/x.mod")
        );
        assert!(lines[1].ends_with(" b.cfg"), "{text}");
        let x = std::process::Command::new("tar").args(["-xf", "m.tar"]).current_dir(&d).status().unwrap();
        assert!(x.success());
        assert_eq!(std::fs::read(d.join("a/x.mod")).unwrap(), big);
        crate::util::remove_tree(&d).unwrap();
    }
}
