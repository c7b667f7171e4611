//! `tools iso`: out/k1os.iso — a hybrid ISO 9660 image (volume K1OS) that boots under BIOS
//! through ISOLINUX and under UEFI through a small GRUB EFI image, from a CD or written to
//! a USB disk (isohybrid MBR + GPT with the EFI system partition, `-isohybrid-gpt-basdat`).
//!
//! ```text
//! /boot/vmlinuz            out/bzImage
//! /boot/initrd.zst         out/initramfs.cpio.zst
//! /boot/efi.img            FAT image: EFI/BOOT/BOOTX64.EFI (grub-mkstandalone, iso/grub.cfg inside)
//! /isolinux/               isolinux.bin, ldlinux.c32, isolinux.cfg (iso/isolinux.cfg)
//! /k1os/system.squashfs    out/system.squashfs
//! ```
//! GRUB reads the kernel from the ISO 9660 tree, so it is stored once. Measured choices
//! (Debian 12): grub-mkrescue ~4 MB of loader; this GRUB image with only the modules it
//! needs in its xz-compressed memdisk ~350 KB; ISOLINUX ~155 KB without menu.c32 (which
//! would add ~220 KB with the libraries it needs); the kernel's EFI stub as BOOTX64.EFI would
//! store the kernel a second time in the FAT image (~2.4 MB) and give no menu.
//! File dates are fixed to SOURCE_DATE_EPOCH; the image is not yet byte-reproducible because
//! grub-mkstandalone's memdisk carries the time it was made.
use crate::util::{self, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

const ISOLINUX_BIN: &str = "/usr/lib/ISOLINUX/isolinux.bin";
const ISOHDPFX: &str = "/usr/lib/ISOLINUX/isohdpfx.bin";
const LDLINUX: &str = "/usr/lib/syslinux/modules/bios/ldlinux.c32";
const GRUB_EFI_DIR: &str = "/usr/lib/grub/x86_64-efi";

/// The GRUB modules the EFI image carries (their dependencies come along): enough to find
/// the volume, show the menu on screen and serial line, and boot Linux.
const GRUB_MODULES: &str = "normal linux iso9660 search part_msdos part_gpt serial terminal";

fn err(p: &Path) -> impl Fn(std::io::Error) -> String + '_ {
    move |e| format!("{}: {e}", p.display())
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    util::mkparent(to)?;
    std::fs::copy(from, to).map(|_| ()).map_err(|e| format!("{} -> {}: {e}", from.display(), to.display()))
}

/// Builds EFI/BOOT/BOOTX64.EFI and packs it into a FAT image just big enough for it.
fn efi_image(root: &Path, work: &Path, dest: &Path, epoch: u64) -> Result<()> {
    let efi = work.join("BOOTX64.EFI");
    let cfg = root.join("iso/grub.cfg");
    let mut cmd = Command::new("grub-mkstandalone");
    cmd.args(["-O", "x86_64-efi", "--compress=xz", "--locales=", "--themes=", "--fonts="])
        .arg(format!("--install-modules={GRUB_MODULES}"))
        .arg("-o")
        .arg(&efi)
        .arg(format!("boot/grub/grub.cfg={}", cfg.display()));
    util::run(&mut cmd)?;
    set_mtime(&efi, epoch)?;
    // FAT12 with 1 KiB clusters: the file, the FAT, the directories and some slack.
    let kib = util::size_of(&efi).div_ceil(1024) + 64;
    let _ = std::fs::remove_file(dest);
    util::run_quiet(
        Command::new("mkfs.vfat")
            .args(["--invariant", "-n", "K1OS-EFI", "-C"])
            .arg(dest)
            .arg(kib.to_string()),
    )
    .or_else(|_| {
        // dosfstools before 4.2 has no --invariant
        let _ = std::fs::remove_file(dest);
        util::run_quiet(
            Command::new("mkfs.vfat")
                .args(["-i", "4b314f53", "-n", "K1OS-EFI", "-C"])
                .arg(dest)
                .arg(kib.to_string()),
        )
    })?;
    let img = dest.to_string_lossy().into_owned();
    for d in ["::/EFI", "::/EFI/BOOT"] {
        util::run(
            Command::new("mmd")
                .env("MTOOLS_SKIP_CHECK", "1")
                .env("SOURCE_DATE_EPOCH", epoch.to_string())
                .args(["-i", &img, d]),
        )?;
    }
    util::run(
        Command::new("mcopy")
            .env("MTOOLS_SKIP_CHECK", "1")
            .args(["-m", "-i", &img])
            .arg(&efi)
            .arg("::/EFI/BOOT/BOOTX64.EFI"),
    )
}

fn set_mtime(p: &Path, epoch: u64) -> Result<()> {
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(epoch);
    std::fs::File::options().write(true).open(p).and_then(|f| f.set_modified(t)).map_err(err(p))
}

/// The inputs of one ISO.
pub struct Inputs {
    pub kernel: PathBuf,
    pub initramfs: PathBuf,
    pub squashfs: PathBuf,
}

/// Lays out the ISO tree in `staging` and writes the image to `dest`.
pub fn build(root: &Path, inp: &Inputs, staging: &Path, dest: &Path, epoch: u64) -> Result<()> {
    for (what, p, make) in [
        ("kernel", &inp.kernel, "make kernel"),
        ("initramfs", &inp.initramfs, "make initramfs"),
        ("root filesystem", &inp.squashfs, "make rootfs"),
    ] {
        if !p.is_file() {
            return Err(format!("{what} {} is missing: run `{make}`", p.display()));
        }
    }
    util::remove_tree(staging)?;
    let work = staging.with_extension("work");
    util::remove_tree(&work)?;
    std::fs::create_dir_all(&work).map_err(err(&work))?;
    copy(&inp.kernel, &staging.join("boot/vmlinuz"))?;
    copy(&inp.initramfs, &staging.join("boot/initrd.zst"))?;
    copy(&inp.squashfs, &staging.join("k1os/system.squashfs"))?;
    copy(Path::new(ISOLINUX_BIN), &staging.join("isolinux/isolinux.bin"))?;
    copy(Path::new(LDLINUX), &staging.join("isolinux/ldlinux.c32"))?;
    copy(&root.join("iso/isolinux.cfg"), &staging.join("isolinux/isolinux.cfg"))?;
    efi_image(root, &work, &staging.join("boot/efi.img"), epoch)?;
    let tmp = util::tmp_beside(dest);
    let _ = std::fs::remove_file(&tmp);
    let mut cmd = Command::new("xorriso");
    cmd.env("SOURCE_DATE_EPOCH", epoch.to_string())
        .args(["-as", "mkisofs", "-quiet", "-o"])
        .arg(&tmp)
        .args(["-V", "K1OS", "-R", "-isohybrid-mbr", ISOHDPFX])
        .arg("--set_all_file_dates")
        .arg(format!("={epoch}"))
        .args(["-b", "isolinux/isolinux.bin", "-c", "isolinux/boot.cat"])
        .args(["-no-emul-boot", "-boot-load-size", "4", "-boot-info-table"])
        .args(["-eltorito-alt-boot", "-e", "boot/efi.img", "-no-emul-boot", "-isohybrid-gpt-basdat"])
        .arg(staging);
    util::run_quiet(&mut cmd)?;
    std::fs::rename(&tmp, dest).map_err(err(dest))?;
    util::remove_tree(&work)
}

pub fn run(_args: &[String]) -> Result<()> {
    util::need(&[
        ("xorriso", "xorriso"),
        (ISOLINUX_BIN, "isolinux"),
        (ISOHDPFX, "isolinux"),
        (LDLINUX, "syslinux-common"),
        ("grub-mkstandalone", "grub-common"),
        (GRUB_EFI_DIR, "grub-efi-amd64-bin"),
        ("mkfs.vfat", "dosfstools"),
        ("mcopy", "mtools"),
    ])?;
    let root = util::repo_root()?;
    let out = util::out_dir(&root);
    let inp = Inputs {
        kernel: out.join("bzImage"),
        initramfs: out.join("initramfs.cpio.zst"),
        squashfs: out.join("system.squashfs"),
    };
    let dest = out.join("k1os.iso");
    build(&root, &inp, &out.join("iso"), &dest, util::source_date_epoch()?)?;
    println!("iso: {} ({} bytes)", dest.display(), util::size_of(&dest));
    Ok(())
}

#[cfg(test)]
mod tests {
    /// Both loaders offer the same two entries with the same kernel command lines.
    #[test]
    fn bios_and_uefi_menus_agree() {
        let iso = concat!(env!("CARGO_MANIFEST_DIR"), "/../iso/");
        let isolinux = std::fs::read_to_string(format!("{iso}isolinux.cfg")).unwrap();
        let grub = std::fs::read_to_string(format!("{iso}grub.cfg")).unwrap();
        let bios: Vec<&str> = isolinux.lines().filter_map(|l| l.trim().strip_prefix("APPEND ")).collect();
        let uefi: Vec<&str> =
            grub.lines().filter_map(|l| l.trim().strip_prefix("linux /boot/vmlinuz ")).collect();
        assert_eq!(bios, uefi);
        assert_eq!(bios.len(), 2);
        assert!(bios[0].ends_with("k1os.mode=ram") && bios[1].ends_with("k1os.mode=persist"));
        for l in &bios {
            assert!(l.contains("console=tty0") && l.contains("console=ttyS0"), "{l}");
        }
        assert!(
            grub.contains("menuentry \"K1OS (RAM)\"") && grub.contains("menuentry \"K1OS (persistent)\"")
        );
        assert!(isolinux.contains("DEFAULT ram") && grub.contains("set default=0"));
    }
}
