//! `tools rootfs`: the root filesystem — the rootfs/ skeleton, the standard directories,
//! /bin/k1box with a symbolic link for every applet it lists (`k1box --list`), and
//! /sbin/init -> ../bin/k1box — packed into out/system.squashfs with mksquashfs (zstd, every
//! file owned by root, all times fixed to SOURCE_DATE_EPOCH): the same inputs give the same
//! bytes.
use crate::util::{self, Result};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Directories every root filesystem has, with their modes.
const DIRS: &[(&str, u32)] = &[
    ("bin", 0o755),
    ("dev", 0o755),
    ("etc", 0o755),
    ("home", 0o755),
    ("mnt", 0o755),
    ("proc", 0o555),
    ("root", 0o700),
    ("run", 0o755),
    ("sbin", 0o755),
    ("sys", 0o555),
    ("tmp", 0o1777),
    ("usr", 0o755),
    ("usr/bin", 0o755),
    ("usr/sbin", 0o755),
    ("var", 0o755),
    ("var/tmp", 0o1777),
];

/// What goes into one root filesystem image.
pub struct Inputs<'a> {
    pub skeleton: &'a Path,
    pub k1box: &'a Path,
    pub version: &'a str,
    pub epoch: u64,
}

fn err(p: &Path) -> impl Fn(std::io::Error) -> String + '_ {
    move |e| format!("{}: {e}", p.display())
}

fn set_mode(p: &Path, mode: u32) -> Result<()> {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).map_err(err(p))
}

/// Copies the skeleton tree: directories 0755, files 0644 (0755 when executable in the
/// checkout); `@VERSION@` in etc/os-release becomes the K1OS version.
fn copy_skeleton(from: &Path, to: &Path, rel: &Path, version: &str) -> Result<()> {
    let mut names: Vec<_> = std::fs::read_dir(from).map_err(err(from))?.flatten().collect();
    names.sort_by_key(|e| e.file_name());
    for e in names {
        let src = e.path();
        let dst = to.join(e.file_name());
        let rel = rel.join(e.file_name());
        let meta = std::fs::symlink_metadata(&src).map_err(err(&src))?;
        if meta.is_dir() {
            if !dst.is_dir() {
                std::fs::create_dir(&dst).map_err(err(&dst))?;
                set_mode(&dst, 0o755)?;
            }
            copy_skeleton(&src, &dst, &rel, version)?;
        } else if meta.file_type().is_symlink() {
            let target = std::fs::read_link(&src).map_err(err(&src))?;
            std::os::unix::fs::symlink(target, &dst).map_err(err(&dst))?;
        } else {
            let mut data = std::fs::read(&src).map_err(err(&src))?;
            if rel == Path::new("etc/os-release") {
                data = String::from_utf8_lossy(&data).replace("@VERSION@", version).into_bytes();
            }
            std::fs::write(&dst, data).map_err(err(&dst))?;
            set_mode(&dst, if meta.permissions().mode() & 0o111 != 0 { 0o755 } else { 0o644 })?;
        }
    }
    Ok(())
}

/// Fills `staging` (emptied first) with the root filesystem tree.
pub fn stage(inp: &Inputs, staging: &Path) -> Result<usize> {
    util::remove_tree(staging)?;
    std::fs::create_dir_all(staging).map_err(err(staging))?;
    set_mode(staging, 0o755)?;
    for (d, mode) in DIRS {
        let p = staging.join(d);
        std::fs::create_dir(&p).map_err(err(&p))?;
        set_mode(&p, *mode)?;
    }
    copy_skeleton(inp.skeleton, staging, Path::new(""), inp.version)?;
    let bin = staging.join("bin/k1box");
    std::fs::copy(inp.k1box, &bin).map_err(|e| format!("{}: {e} (run `make build`)", inp.k1box.display()))?;
    set_mode(&bin, 0o755)?;
    let applets = util::applets(inp.k1box)?;
    let mut links = 0;
    let mut link = |path: PathBuf, target: &str| -> Result<()> {
        if std::fs::symlink_metadata(&path).is_err() {
            std::os::unix::fs::symlink(target, &path).map_err(err(&path))?;
            links += 1;
        }
        Ok(())
    };
    for name in &applets {
        if name == "k1box" || name.contains('/') || name.starts_with('.') {
            continue;
        }
        link(staging.join("bin").join(name), "k1box")?;
        if name == "env" {
            link(staging.join("usr/bin/env"), "../../bin/k1box")?;
        }
    }
    link(staging.join("sbin/init"), "../bin/k1box")?;
    Ok(links)
}

/// Packs `staging` into `dest` with mksquashfs.
pub fn squash(staging: &Path, dest: &Path, epoch: u64) -> Result<()> {
    let tmp = util::tmp_beside(dest);
    let _ = std::fs::remove_file(&tmp);
    let t = epoch.to_string();
    let mut cmd = Command::new("mksquashfs");
    cmd.arg(staging).arg(&tmp);
    cmd.args(["-comp", "zstd", "-Xcompression-level", "19", "-all-root", "-no-xattrs", "-noappend"]);
    cmd.args(["-mkfs-time", &t, "-all-time", &t]);
    if !util::stdout_is_tty() {
        cmd.args(["-no-progress", "-quiet"]);
    }
    util::run(&mut cmd)?;
    std::fs::rename(&tmp, dest).map_err(err(dest))
}

pub fn run(_args: &[String]) -> Result<()> {
    util::need(&[("mksquashfs", "squashfs-tools")])?;
    let root = util::repo_root()?;
    let out = util::out_dir(&root);
    let k1box = out.join("k1box");
    let inp = Inputs {
        skeleton: &root.join("rootfs"),
        k1box: &k1box,
        version: env!("CARGO_PKG_VERSION"),
        epoch: util::source_date_epoch()?,
    };
    let staging = out.join("rootfs");
    let links = stage(&inp, &staging)?;
    let dest = out.join("system.squashfs");
    squash(&staging, &dest, inp.epoch)?;
    println!("rootfs: {} ({} bytes, {links} applet links)", dest.display(), util::size_of(&dest));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("k1os-rootfs-test-{}-{name}", std::process::id()));
        util::remove_tree(&d).unwrap();
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    /// A stand-in for k1box: a script that lists three applets.
    fn fake_k1box(dir: &Path) -> PathBuf {
        let p = dir.join("k1box");
        std::fs::write(&p, "#!/bin/sh\nprintf 'echo\\nenv\\ninit\\nsh\\n'\n").unwrap();
        set_mode(&p, 0o755).unwrap();
        p
    }

    #[test]
    fn staging_has_links_init_and_versioned_os_release() {
        let d = scratch("stage");
        let k1box = fake_k1box(&d);
        let skel = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../rootfs"));
        let root = d.join("root");
        let inp = Inputs { skeleton: skel, k1box: &k1box, version: "9.8.7", epoch: 0 };
        assert_eq!(stage(&inp, &root).unwrap(), 6);
        assert_eq!(std::fs::read_link(root.join("bin/sh")).unwrap(), Path::new("k1box"));
        assert_eq!(std::fs::read_link(root.join("sbin/init")).unwrap(), Path::new("../bin/k1box"));
        assert_eq!(std::fs::read_link(root.join("usr/bin/env")).unwrap(), Path::new("../../bin/k1box"));
        let os = std::fs::read_to_string(root.join("etc/os-release")).unwrap();
        assert!(os.contains("NAME=\"K1OS\"") && os.contains("VERSION_ID=9.8.7"), "{os}");
        assert_eq!(std::fs::read_to_string(root.join("etc/hostname")).unwrap(), "k1os\n");
        let mode = |p: &str| std::fs::metadata(root.join(p)).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode("tmp"), 0o1777);
        assert_eq!(mode("root"), 0o700);
        assert_eq!(mode("etc/passwd"), 0o644);
        assert_eq!(mode("bin/k1box"), 0o755);
        util::remove_tree(&d).unwrap();
    }

    #[test]
    fn two_builds_give_the_same_bytes() {
        if util::which("mksquashfs").is_none() {
            eprintln!("SKIP: mksquashfs is not installed (apt-get install squashfs-tools)");
            return;
        }
        let d = scratch("repro");
        let k1box = fake_k1box(&d);
        let skel = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../rootfs"));
        let inp = Inputs { skeleton: skel, k1box: &k1box, version: "1", epoch: 1_704_067_200 };
        let mut images = Vec::new();
        for n in ["a", "b"] {
            let staging = d.join(format!("root-{n}"));
            stage(&inp, &staging).unwrap();
            // a different mtime on the inputs must not show in the image
            std::thread::sleep(std::time::Duration::from_millis(1100));
            let img = d.join(format!("{n}.squashfs"));
            squash(&staging, &img, inp.epoch).unwrap();
            images.push(std::fs::read(&img).unwrap());
        }
        assert!(images[0].len() > 1000);
        assert!(images[0] == images[1], "two builds of the same tree differ");
        util::remove_tree(&d).unwrap();
    }
}
