//! `tools initramfs`: builds out/initramfs.cpio.zst from initramfs/manifest — a newc cpio
//! written by [`crate::cpio`], compressed with zstd (the kernel needs CONFIG_RD_ZSTD).
use crate::cpio::{Archive, Entry, S_IFBLK, S_IFCHR};
use crate::util::{self, Result};
use std::path::{Path, PathBuf};

/// One manifest line.
#[derive(Debug, PartialEq, Eq)]
pub enum Item {
    Dir { path: String, perm: u32 },
    Node { path: String, perm: u32, kind: u32, major: u32, minor: u32 },
    File { path: String, perm: u32, source: String },
    Symlink { path: String, target: String },
}

/// Parses a manifest (see initramfs/manifest for the format).
pub fn parse_manifest(text: &str) -> Result<Vec<Item>> {
    let mut items = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("");
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.is_empty() {
            continue;
        }
        let bad = |why: &str| format!("manifest line {}: {why}: {}", n + 1, line.trim());
        let perm =
            |s: &str| u32::from_str_radix(s, 8).ok().filter(|p| *p <= 0o7777).ok_or_else(|| bad("bad mode"));
        let num = |s: &str| s.parse::<u32>().map_err(|_| bad("bad device number"));
        let path =
            |s: &str| if s.starts_with('/') { Ok(s.to_string()) } else { Err(bad("path must be absolute")) };
        items.push(match f.as_slice() {
            ["dir", p, m] => Item::Dir { path: path(p)?, perm: perm(m)? },
            ["nod", p, m, t, ma, mi] => Item::Node {
                path: path(p)?,
                perm: perm(m)?,
                kind: match *t {
                    "c" => S_IFCHR,
                    "b" => S_IFBLK,
                    _ => return Err(bad("node type must be c or b")),
                },
                major: num(ma)?,
                minor: num(mi)?,
            },
            ["file", p, m, s] => Item::File { path: path(p)?, perm: perm(m)?, source: s.to_string() },
            ["slink", p, t] => Item::Symlink { path: path(p)?, target: t.to_string() },
            _ => return Err(bad("expected dir, nod, file or slink with their fields")),
        });
    }
    Ok(items)
}

/// The archive for `items`, reading file sources through `read`.
pub fn archive(items: &[Item], mtime: u64, read: &dyn Fn(&str) -> Result<Vec<u8>>) -> Result<Vec<u8>> {
    let mut a = Archive::new(mtime);
    for item in items {
        a.add(match item {
            Item::Dir { path, perm } => Entry::dir(path, *perm),
            Item::Node { path, perm, kind, major, minor } => Entry::node(path, *kind, *perm, *major, *minor),
            Item::File { path, perm, source } => Entry::file(path, *perm, read(source)?),
            Item::Symlink { path, target } => Entry::symlink(path, target),
        })?;
    }
    a.finish()
}

/// zstd level 19 with a content checksum, which the kernel's decompressor verifies.
pub fn compress(data: &[u8]) -> Result<Vec<u8>> {
    let mut enc = zstd::stream::Encoder::new(Vec::new(), 19).map_err(|e| format!("zstd: {e}"))?;
    enc.include_checksum(true).map_err(|e| format!("zstd: {e}"))?;
    enc.set_pledged_src_size(Some(data.len() as u64)).map_err(|e| format!("zstd: {e}"))?;
    std::io::Write::write_all(&mut enc, data).map_err(|e| format!("zstd: {e}"))?;
    enc.finish().map_err(|e| format!("zstd: {e}"))
}

/// Fails unless the kernel we build can unpack a zstd initramfs: out/kernel.config (left by
/// `tools kernel`) when it exists, else the fragment kernel/k1os.config.
fn check_rd_zstd(root: &Path, out: &Path) -> Result<()> {
    let built = out.join("kernel.config");
    let config = if built.is_file() { built } else { root.join("kernel/k1os.config") };
    let text = std::fs::read_to_string(&config).map_err(|e| format!("{}: {e}", config.display()))?;
    if text.lines().any(|l| l.trim() == "CONFIG_RD_ZSTD=y") {
        Ok(())
    } else {
        Err(format!(
            "{}: CONFIG_RD_ZSTD=y is missing: the kernel could not unpack the initramfs",
            config.display()
        ))
    }
}

pub fn run(_args: &[String]) -> Result<()> {
    let root = util::repo_root()?;
    let out = util::out_dir(&root);
    check_rd_zstd(&root, &out)?;
    let manifest = util::path_var(&root, "INITRAMFS_MANIFEST", &root.join("initramfs/manifest"));
    let text = std::fs::read_to_string(&manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let items = parse_manifest(&text).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let out_str = out.to_string_lossy().into_owned();
    let read = |source: &str| -> Result<Vec<u8>> {
        let p = PathBuf::from(source.replace("$OUT", &out_str));
        let p = root.join(p);
        std::fs::read(&p).map_err(|e| {
            let hint = if source.contains("k1box") { " (run `make build`)" } else { "" };
            format!("{}: {e}{hint}", p.display())
        })
    };
    let cpio = archive(&items, util::source_date_epoch()?, &read)?;
    let zst = compress(&cpio)?;
    let dest = out.join("initramfs.cpio.zst");
    util::write_atomic(&dest, &zst)?;
    println!(
        "initramfs: {} ({} bytes, cpio {} bytes, {} entries)",
        dest.display(),
        zst.len(),
        cpio.len(),
        items.len()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = "# comment\n\
        dir /dev 0755\n\
        nod /dev/console 0600 c 5 1\n\
        file /init 0755 $OUT/k1box   # the program\n\
        slink /sbin\n";

    #[test]
    fn manifest_lines_are_parsed_and_errors_name_the_line() {
        let err = parse_manifest(MANIFEST).unwrap_err();
        assert!(err.contains("line 5"), "{err}");
        let items = parse_manifest(&MANIFEST.replace("slink /sbin\n", "slink /sbin /init\n")).unwrap();
        assert_eq!(items.len(), 4);
        assert_eq!(
            items[1],
            Item::Node { path: "/dev/console".into(), perm: 0o600, kind: S_IFCHR, major: 5, minor: 1 }
        );
        assert_eq!(items[2], Item::File { path: "/init".into(), perm: 0o755, source: "$OUT/k1box".into() });
        assert!(parse_manifest("dir dev 0755").unwrap_err().contains("absolute"));
        assert!(parse_manifest("dir /dev 0999").unwrap_err().contains("bad mode"));
    }

    #[test]
    fn same_inputs_give_the_same_compressed_bytes() {
        let items =
            parse_manifest("dir /dev 0755\nnod /dev/console 0600 c 5 1\nfile /init 0755 x\n").unwrap();
        let read = |_: &str| Ok(b"\x7fELF...".to_vec());
        let a = compress(&archive(&items, 7, &read).unwrap()).unwrap();
        let b = compress(&archive(&items, 7, &read).unwrap()).unwrap();
        assert_eq!(a, b);
        let plain = zstd::stream::decode_all(&a[..]).unwrap();
        assert_eq!(plain, archive(&items, 7, &read).unwrap());
    }

    #[test]
    fn gnu_cpio_lists_what_we_wrote() {
        if util::which("cpio").is_none() {
            eprintln!("SKIP: GNU cpio is not installed");
            return;
        }
        let items = parse_manifest(MANIFEST.lines().take(4).collect::<Vec<_>>().join("\n").as_str()).unwrap();
        let bytes = archive(&items, 0, &|_| Ok(b"data".to_vec())).unwrap();
        let mut child = std::process::Command::new("cpio")
            .args(["-itv", "--quiet"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(child.stdin.as_mut().unwrap(), &bytes).unwrap();
        drop(child.stdin.take());
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8_lossy(&out.stdout);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[0].starts_with("drwxr-xr-x") && lines[0].ends_with(" dev"), "{text}");
        assert!(lines[1].starts_with("crw-------") && lines[1].contains("5,   1"), "{text}");
        assert!(
            lines[2].starts_with("-rwxr-xr-x") && lines[2].contains(" root ") && lines[2].ends_with(" init"),
            "{text}"
        );
    }
}
