//! K1OS host tools: size budgets, the kernel build, the initramfs, the root filesystem, the
//! ISO, and QEMU. The Makefile calls these; each prints what it made and its size.
mod size;

use std::process::ExitCode;
use tools::{initramfs, iso, kernel, qemu, rootfs};

const USAGE: &str = "usage: tools COMMAND [ARGS]
  size [BUDGETS]       print each artifact's size against its budget (fails when one is over)
                       and what each applet contributes to out/k1box
  kernel               build the pinned kernel (cached in ~/.cache/k1os/kernel) -> out/bzImage
  initramfs            initramfs/manifest -> out/initramfs.cpio.zst
  rootfs               rootfs/ + out/k1box and its applet links -> out/system.squashfs
  iso                  -> out/k1os.iso (BIOS and UEFI, hybrid)
  qemu [--persist] [--uefi]
                       boot out/k1os.iso in QEMU, serial console in this terminal
  make-persist         create out/data.img (ext4, label K1OS-DATA; DATA_SIZE, FORCE=1)

Variables: OUT (output directory, default out), SOURCE_DATE_EPOCH, KERNEL_TARBALL,
KERNEL_JOBS, K1OS_CACHE, INITRAMFS_MANIFEST, QEMU_MEM, DATA_SIZE, FORCE.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rest = args.get(1..).unwrap_or(&[]);
    let result = match args.first().map(String::as_str) {
        Some("size") => size::run(rest),
        Some("kernel") => kernel::run(rest),
        Some("initramfs") => initramfs::run(rest),
        Some("rootfs") => rootfs::run(rest),
        Some("iso") => iso::run(rest),
        Some("qemu") => qemu::run(rest),
        Some("make-persist") => qemu::make_persist(rest),
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tools: {e}");
            ExitCode::FAILURE
        }
    }
}
