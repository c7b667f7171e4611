//! K1OS host tools (std): image builders, the QEMU runner and the console driver used by
//! the boot tests. The `tools` binary (main.rs) is the command line over these modules.
pub mod console;
pub mod cpio;
pub mod initramfs;
pub mod iso;
pub mod kernel;
pub mod qemu;
pub mod rootfs;
pub mod sha256;
pub mod tar;
pub mod util;
