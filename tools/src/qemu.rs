//! `tools qemu [--persist] [--uefi]` boots out/k1os.iso in QEMU (TCG: no KVM is assumed)
//! with the serial console in this terminal; `tools make-persist` creates out/data.img, the
//! ext4 file system labelled K1OS-DATA that persistent mode keeps its changes on.
//! [`Vm`] describes a machine; the boot tests (tools/tests/boot.rs) start the same machines
//! through [`crate::console`].
use crate::util::{self, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// UEFI firmware from Debian's `ovmf` package (code and variables in one image).
pub const OVMF: &str = "/usr/share/ovmf/OVMF.fd";

/// How the machine gets its boot medium.
#[derive(Clone, Debug)]
pub enum Boot {
    /// The ISO as an IDE CD-ROM.
    Cdrom(PathBuf),
    /// The ISO as a virtio disk: the hybrid image written to a USB stick.
    Disk(PathBuf),
    /// No medium at all: QEMU loads kernel and initramfs itself, with this command line.
    Direct { kernel: PathBuf, initrd: PathBuf, append: String },
}

/// A virtual machine.
#[derive(Clone, Debug)]
pub struct Vm {
    pub boot: Boot,
    pub uefi: bool,
    /// An extra virtio disk (the K1OS-DATA image).
    pub data: Option<PathBuf>,
    /// `-m` (default 128M, `QEMU_MEM` for `tools qemu`).
    pub memory: String,
    /// Serial console on standard input/output for a program (the tests), not a person:
    /// no monitor, no window, QEMU exits when the guest reboots.
    pub piped: bool,
}

impl Vm {
    pub fn new(boot: Boot) -> Vm {
        Vm { boot, uefi: false, data: None, memory: "128M".into(), piped: false }
    }

    pub fn command(&self) -> Result<Command> {
        let mut c = Command::new("qemu-system-x86_64");
        c.args(["-machine", "pc,accel=tcg", "-m", &self.memory, "-no-user-config"]);
        if self.uefi {
            if !Path::new(OVMF).is_file() {
                return Err(format!("{OVMF} is missing: apt-get install ovmf"));
            }
            c.arg("-bios").arg(OVMF);
        }
        match &self.boot {
            Boot::Cdrom(iso) => {
                c.arg("-drive").arg(format!("file={},media=cdrom,if=ide,readonly=on", iso.display()));
                c.args(["-boot", "d"]);
            }
            Boot::Disk(iso) => {
                c.arg("-drive").arg(format!("file={},format=raw,if=virtio,readonly=on", iso.display()));
                c.args(["-boot", "c"]);
            }
            Boot::Direct { kernel, initrd, append } => {
                c.arg("-kernel").arg(kernel).arg("-initrd").arg(initrd).arg("-append").arg(append);
            }
        }
        if let Some(d) = &self.data {
            c.arg("-drive").arg(format!("file={},format=raw,if=virtio", d.display()));
        }
        if self.piped {
            c.args(["-display", "none", "-serial", "stdio", "-monitor", "none", "-nic", "none"]);
            c.arg("-no-reboot");
        } else {
            c.args(["-nographic", "-nic", "user,model=e1000"]);
        }
        Ok(c)
    }
}

/// Parses `--persist` and `--uefi`.
fn flags(args: &[String]) -> Result<(bool, bool)> {
    let (mut persist, mut uefi) = (false, false);
    for a in args {
        match a.as_str() {
            "--persist" => persist = true,
            "--uefi" => uefi = true,
            _ => return Err(format!("qemu: unknown option {a} (use --persist, --uefi)")),
        }
    }
    Ok((persist, uefi))
}

pub fn run(args: &[String]) -> Result<()> {
    let (persist, uefi) = flags(args)?;
    util::need(&[("qemu-system-x86_64", "qemu-system-x86")])?;
    if uefi {
        util::need(&[(OVMF, "ovmf")])?;
    }
    let root = util::repo_root()?;
    let out = util::out_dir(&root);
    let iso = out.join("k1os.iso");
    if !iso.is_file() {
        return Err(format!("{} is missing: run `make iso`", iso.display()));
    }
    let mut vm = Vm::new(Boot::Cdrom(iso));
    vm.uefi = uefi;
    if let Ok(m) = std::env::var("QEMU_MEM") {
        vm.memory = m;
    }
    if persist {
        let data = out.join("data.img");
        if !data.is_file() {
            return Err(format!("{} is missing: run `make make-persist`", data.display()));
        }
        vm.data = Some(data);
    }
    println!(
        "K1OS in QEMU ({}, TCG: boots take seconds). Serial console here.",
        if uefi { "UEFI" } else { "BIOS" }
    );
    println!("Quit: Ctrl-A then X.  Ctrl-A C switches to the QEMU monitor and back.");
    if persist {
        println!("In the boot menu choose \"K1OS (persistent)\": type `persist` at boot: (BIOS) or pick it (UEFI).");
    }
    let mut cmd = vm.command()?;
    eprintln!("{}", util::describe(&cmd));
    util::run(&mut cmd)
}

/// Creates an ext4 image labelled K1OS-DATA of `size` (a `truncate -s` size).
pub fn make_data_image(path: &Path, size: &str) -> Result<()> {
    util::mkparent(path)?;
    util::run(Command::new("truncate").arg("-s").arg(size).arg(path))?;
    let mkfs = util::which("mkfs.ext4").ok_or("mkfs.ext4 is missing: apt-get install e2fsprogs")?;
    util::run(Command::new(mkfs).args(["-q", "-F", "-L", "K1OS-DATA"]).arg(path))
}

/// Creates `img` unless it exists and `force` is false (it would destroy the user's data).
pub fn make_persist_at(img: &Path, size: &str, force: bool) -> Result<()> {
    if img.exists() && !force {
        return Err(format!("{} exists; FORCE=1 replaces it (its contents are lost)", img.display()));
    }
    let _ = std::fs::remove_file(img);
    make_data_image(img, size)
}

pub fn make_persist(_args: &[String]) -> Result<()> {
    util::need(&[("mkfs.ext4", "e2fsprogs")])?;
    let root = util::repo_root()?;
    let img = util::out_dir(&root).join("data.img");
    let size = std::env::var("DATA_SIZE").unwrap_or_else(|_| "256M".into());
    make_persist_at(&img, &size, std::env::var("FORCE").is_ok_and(|f| f == "1"))?;
    println!("make-persist: {} ({size}, ext4, label K1OS-DATA)", img.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(c: &Command) -> String {
        util::describe(c)
    }

    #[test]
    fn machines_are_tcg_with_the_medium_and_disks_asked_for() {
        let mut vm = Vm::new(Boot::Cdrom("x.iso".into()));
        let c = args(&vm.command().unwrap());
        assert!(
            c.contains("accel=tcg") && c.contains("file=x.iso,media=cdrom") && c.contains("-nographic"),
            "{c}"
        );
        vm.data = Some("d.img".into());
        vm.piped = true;
        vm.boot = Boot::Disk("x.iso".into());
        let c = args(&vm.command().unwrap());
        assert!(c.contains("file=x.iso,format=raw,if=virtio,readonly=on"), "{c}");
        assert!(
            c.contains("file=d.img,format=raw,if=virtio") && c.contains("-serial stdio -monitor none"),
            "{c}"
        );
        assert!(!c.contains("-nographic"));
        vm.boot = Boot::Direct { kernel: "k".into(), initrd: "i".into(), append: "console=ttyS0".into() };
        let c = args(&vm.command().unwrap());
        assert!(c.contains("-kernel k -initrd i -append console=ttyS0") && !c.contains("cdrom"), "{c}");
    }

    #[test]
    fn make_persist_refuses_to_overwrite_without_force() {
        if util::which("mkfs.ext4").is_none() {
            eprintln!("SKIP: mkfs.ext4 is not installed");
            return;
        }
        let img = std::env::temp_dir().join(format!("k1os-data-test-{}.img", std::process::id()));
        std::fs::write(&img, b"precious").unwrap();
        let err = make_persist_at(&img, "8M", false).unwrap_err();
        assert!(err.contains("FORCE=1"), "{err}");
        assert_eq!(std::fs::read(&img).unwrap(), b"precious");
        make_persist_at(&img, "8M", true).unwrap();
        let label = std::process::Command::new(util::which("e2label").unwrap()).arg(&img).output().unwrap();
        assert_eq!(String::from_utf8_lossy(&label.stdout).trim(), "K1OS-DATA");
        assert_eq!(std::fs::metadata(&img).unwrap().len(), 8 << 20);
        std::fs::remove_file(&img).unwrap();
    }

    #[test]
    fn unknown_qemu_options_are_refused() {
        assert_eq!(flags(&["--uefi".into()]).unwrap(), (false, true));
        assert!(flags(&["--kvm".into()]).is_err());
    }
}
