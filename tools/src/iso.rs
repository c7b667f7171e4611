//! `tools iso`: out/k1os.iso — a hybrid ISO 9660 image (volume K1OS) that boots under BIOS
//! through ISOLINUX and under UEFI through a small GRUB EFI image, from a CD or written to
//! a USB disk (isohybrid MBR + GPT with the EFI system partition, `-isohybrid-gpt-basdat`).
//!
//! ```text
//! /boot/vmlinuz            out/bzImage
//! /boot/initrd.zst         out/initramfs.cpio.zst
//! /boot/efi.img            FAT image: EFI/BOOT/BOOTX64.EFI (GRUB, iso/grub.cfg in its memdisk)
//! /isolinux/               isolinux.bin, ldlinux.c32, isolinux.cfg (iso/isolinux.cfg)
//! /k1os/system.squashfs    out/system.squashfs
//! ```
//! GRUB reads the kernel from the ISO 9660 tree, so it is stored once. Measured choices
//! (Debian 12): grub-mkrescue ~4 MB of loader; this GRUB image with only the modules it
//! needs in its xz-compressed memdisk 336 KB; ISOLINUX ~155 KB without menu.c32 (which
//! would add ~220 KB with the libraries it needs); the kernel's EFI stub as BOOTX64.EFI would
//! store the kernel a second time in the FAT image (~2.4 MB) and give no menu.
//! The image is byte-reproducible: the same inputs and SOURCE_DATE_EPOCH give the same bytes.
//! Every date in it is SOURCE_DATE_EPOCH (xorriso's file and volume dates and the volume
//! UUID, from which it derives the GPT GUIDs; the FAT image's file times; GRUB's memdisk,
//! which we write ourselves as grub-mkstandalone 2.06 dates its members with the time it
//! runs), the FAT volume serial is fixed (`mkfs.vfat --invariant`), and nothing depends on
//! the order in which a directory lists its files.
use crate::tar;
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

/// The modules GRUB's kernel needs to read its memdisk: the memdisk device, the tar file
/// system on it, and xz decompression for the modules stored there (with what xzio needs).
const GRUB_CORE_MODULES: &[&str] = &["memdisk", "tar", "xzio", "gcry_crc"];

/// `wanted` and every module they need, by `moddep.lst` (lines `name: dep dep ...`), sorted.
fn module_closure(moddep: &str, wanted: &[&str]) -> Result<Vec<String>> {
    let deps: std::collections::HashMap<&str, Vec<&str>> = moddep
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(name, deps)| (name.trim(), deps.split_whitespace().collect()))
        .collect();
    let mut all = std::collections::BTreeSet::new();
    let mut todo: Vec<&str> = wanted.to_vec();
    while let Some(m) = todo.pop() {
        let d = deps.get(m).ok_or_else(|| format!("GRUB module {m} is not in moddep.lst"))?;
        if all.insert(m.to_string()) {
            todo.extend(d);
        }
    }
    Ok(all.into_iter().collect())
}

/// The lines of one of GRUB's lists (`fs.lst`: `iso9660`, `command.lst`: `*search: search`,
/// ...) that name a module in `shipped`: `normal` loads the modules these lists name on
/// demand, and would otherwise try (and report the failure of) each file system module it
/// does not have whenever it meets a device it cannot read.
fn shipped_lines(list: &str, shipped: &[String]) -> String {
    let mut out = String::new();
    for line in list.lines() {
        if line.split_whitespace().last().is_some_and(|m| shipped.iter().any(|s| s == m)) {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// `data` compressed as grub-install compresses GRUB's files: a small dictionary and no
/// integrity check (GRUB's xzio does not verify one).
fn xz(data: &[u8]) -> Result<Vec<u8>> {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new("xz")
        .args(["--lzma2=dict=128KiB", "--check=none", "--stdout"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("xz: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("xz: no standard input")?;
    let out = std::thread::scope(|s| {
        let writer = s.spawn(move || stdin.write_all(data));
        let out = child.wait_with_output();
        (writer.join(), out)
    });
    match out {
        (Ok(Ok(())), Ok(o)) if o.status.success() => Ok(o.stdout),
        (_, Ok(o)) if !o.status.success() => Err(format!("xz failed ({})", o.status)),
        _ => Err("xz: broken pipe".into()),
    }
}

/// GRUB's memdisk: boot/grub/grub.cfg and, xz-compressed in boot/grub/x86_64-efi/, the
/// modules GRUB_MODULES need and GRUB's lists of commands, file systems, terminals ...
/// (`*.lst`) cut down to those modules — as a tar whose members are sorted and dated `epoch`.
fn grub_memdisk(cfg: &Path, epoch: u64) -> Result<Vec<u8>> {
    let dir = Path::new(GRUB_EFI_DIR);
    let read = |f: &str| std::fs::read(dir.join(f)).map_err(err(&dir.join(f)));
    let moddep = String::from_utf8_lossy(&read("moddep.lst")?).into_owned();
    let wanted: Vec<&str> =
        GRUB_MODULES.split_whitespace().chain(GRUB_CORE_MODULES.iter().copied()).collect();
    let modules = module_closure(&moddep, &wanted)?;
    // grub-mkimage puts the core modules and what they need in GRUB's kernel image
    let core = module_closure(&moddep, GRUB_CORE_MODULES)?;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for m in &modules {
        if !core.contains(m) {
            files.push((format!("{m}.mod"), read(&format!("{m}.mod"))?));
        }
    }
    for e in std::fs::read_dir(dir).map_err(err(dir))? {
        let name = e.map_err(err(dir))?.file_name().to_string_lossy().into_owned();
        // moddep.lst is for grub-install; GRUB finds a module's dependencies in the module
        if name.ends_with(".lst") && name != "moddep.lst" {
            let lines = shipped_lines(&String::from_utf8_lossy(&read(&name)?), &modules);
            if !lines.is_empty() {
                files.push((name, lines.into_bytes()));
            }
        }
    }
    files.sort();
    let mut members = vec![("boot/grub/grub.cfg".to_string(), std::fs::read(cfg).map_err(err(cfg))?)];
    for (name, data) in files {
        members.push((format!("boot/grub/x86_64-efi/{name}"), xz(&data)?));
    }
    tar::archive(&members, epoch)
}

/// Builds EFI/BOOT/BOOTX64.EFI and packs it into a FAT image just big enough for it. The
/// EFI program is what `grub-mkstandalone` makes — GRUB's kernel with GRUB_CORE_MODULES and
/// a memdisk, prefix (memdisk)/boot/grub — but with a memdisk of our own, as
/// grub-mkstandalone 2.06 dates the memdisk's files with the time it copies them.
fn efi_image(root: &Path, work: &Path, dest: &Path, epoch: u64) -> Result<()> {
    let efi = work.join("BOOTX64.EFI");
    let memdisk = work.join("memdisk.tar");
    std::fs::write(&memdisk, grub_memdisk(&root.join("iso/grub.cfg"), epoch)?).map_err(err(&memdisk))?;
    let mut cmd = Command::new("grub-mkimage");
    cmd.args(["-d", GRUB_EFI_DIR, "-O", "x86_64-efi", "-p", "(memdisk)/boot/grub", "-m"])
        .arg(&memdisk)
        .arg("-o")
        .arg(&efi)
        .args(GRUB_CORE_MODULES);
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
        ("grub-mkimage", "grub-common"),
        ("xz", "xz-utils"),
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
    use super::*;

    #[test]
    fn module_closure_follows_moddep_and_refuses_unknown_modules() {
        let moddep =
            "normal: extcmd boot\nextcmd:\nboot:\nsearch: extcmd search_label\nsearch_label:\nlinux:\n";
        assert_eq!(
            module_closure(moddep, &["search", "normal"]).unwrap(),
            ["boot", "extcmd", "normal", "search", "search_label"]
        );
        assert!(module_closure(moddep, &["nosuch"]).unwrap_err().contains("nosuch"));
    }

    #[test]
    fn lists_keep_only_the_lines_of_shipped_modules() {
        let shipped = ["iso9660".to_string(), "search".to_string(), "serial".to_string()];
        assert_eq!(shipped_lines("affs\niso9660\nzfs\n", &shipped), "iso9660\n");
        assert_eq!(
            shipped_lines("*acpi: acpi\n*search: search\nserial: serial\n\n", &shipped),
            "*search: search\nserial: serial\n"
        );
        assert_eq!(shipped_lines("iat_keyboard: at_keyboard\n", &shipped), "");
    }

    /// Two builds from the same inputs, seconds apart (FAT times have 2-second steps) and
    /// with the inputs' own times changed, give the same image.
    #[test]
    fn two_builds_give_the_same_bytes() {
        let tools = [ISOLINUX_BIN, ISOHDPFX, LDLINUX, GRUB_EFI_DIR];
        let progs = ["xorriso", "grub-mkimage", "mkfs.vfat", "mcopy", "xz"];
        if tools.iter().any(|f| !Path::new(f).exists()) || progs.iter().any(|p| util::which(p).is_none()) {
            eprintln!("SKIP: the ISO tools are not installed (make deps)");
            return;
        }
        let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
        let d = std::env::temp_dir().join(format!("k1os-iso-test-{}", std::process::id()));
        util::remove_tree(&d).unwrap();
        std::fs::create_dir_all(&d).unwrap();
        let inp = Inputs { kernel: d.join("bzImage"), initramfs: d.join("initrd"), squashfs: d.join("sq") };
        let mut images = Vec::new();
        for n in ["a", "b"] {
            for (i, p) in [&inp.kernel, &inp.initramfs, &inp.squashfs].into_iter().enumerate() {
                std::fs::write(p, vec![i as u8; 5000]).unwrap();
            }
            let img = d.join(format!("{n}.iso"));
            build(root, &inp, &d.join(format!("staging-{n}")), &img, 1_704_067_200).unwrap();
            images.push(std::fs::read(&img).unwrap());
            std::thread::sleep(std::time::Duration::from_millis(2100));
        }
        assert!(images[0].len() > 1_000_000);
        if let Some(at) = images[0].iter().zip(&images[1]).position(|(a, b)| a != b) {
            panic!("two builds of the same inputs differ (first at byte {at})");
        }
        assert_eq!(images[0].len(), images[1].len());
        util::remove_tree(&d).unwrap();
    }
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
