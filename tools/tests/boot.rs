//! Boot tests (issue 4, tests a-f): QEMU under TCG boots out/k1os.iso (or its kernel and
//! initramfs alone) and tools::console drives the serial console.
//!
//! They need the images (`make all-build`) and k1box's boot applets; until both exist each
//! test prints why it skips and passes. Boots are slow under TCG, so deadlines are long
//! and the tests take turns (one QEMU at a time). Console transcripts are kept in
//! out/boot-tests/NAME.log. `OUT=DIR` tests the images in DIR instead of out/.
//!
//! What the tests expect from the guest: a prompt ending in `# ` on ttyS0; `poweroff`
//! ending QEMU; stage 1's failure messages naming what it looked for (`K1OS-DATA` when
//! persistent mode finds no data disk, `system.squashfs` when no medium holds it).
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;
use tools::console::Console;
use tools::qemu::{Boot, Vm};

/// Applets the boot path needs in k1box before these tests can pass.
const BOOT_APPLETS: &[&str] = &["init", "mount", "poweroff", "sh", "switch_root"];

const BOOT: Duration = Duration::from_secs(300);
const CMD: Duration = Duration::from_secs(60);
const OFF: Duration = Duration::from_secs(120);

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Says why a test does not run, on the real standard error (not captured by the harness).
fn skip(test: &str, why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIP boot test {test}: {why}");
}

struct Images {
    out: PathBuf,
    iso: PathBuf,
}

/// The built images, or None (with the reason printed) when the tests cannot run yet.
fn images(test: &str) -> Option<Images> {
    let out = tools::util::out_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join(".."));
    let iso = out.join("k1os.iso");
    let skip = |why: String| {
        skip(test, &why);
        None
    };
    if tools::util::which("qemu-system-x86_64").is_none() {
        return skip("qemu-system-x86_64 is not installed (make deps)".into());
    }
    if !iso.is_file() {
        return skip(format!("{} is missing (make all-build)", iso.display()));
    }
    let applets = match tools::util::applets(&out.join("k1box")) {
        Ok(a) => a,
        Err(e) => return skip(format!("cannot list k1box's applets: {e}")),
    };
    let missing: Vec<&str> =
        BOOT_APPLETS.iter().copied().filter(|a| !applets.iter().any(|x| x == a)).collect();
    if !missing.is_empty() {
        return skip(format!("k1box has no {} applet(s) yet", missing.join(", ")));
    }
    Some(Images { out, iso })
}

fn start(img: &Images, name: &str, mut vm: Vm) -> Console {
    vm.piped = true;
    let cmd = vm.command().expect("qemu command");
    Console::spawn(cmd, Some(img.out.join(format!("boot-tests/{name}.log")))).expect("start qemu")
}

/// Answers the ISOLINUX `boot:` prompt with `label` (under UEFI GRUB boots its default).
fn choose(c: &mut Console, label: &str) {
    c.expect("boot:", BOOT).expect("the ISOLINUX prompt");
    c.send(&format!("{label}\n")).unwrap();
}

/// Waits for the first prompt and checks that the shell answers.
fn prompt(c: &mut Console) {
    c.expect_prompt(BOOT).expect("a shell prompt");
    let out = c.ok("echo k1os-$((40+2))", CMD).expect("the shell answers");
    assert!(out.contains("k1os-42"), "{out}");
}

/// `poweroff`, and QEMU ends by itself (ACPI power-off).
fn power_off(c: &mut Console) {
    c.send("poweroff\n").unwrap();
    let status = c.wait_exit(OFF).expect("QEMU exits after poweroff");
    assert!(status.success(), "QEMU ended with {status}");
}

fn ok(c: &mut Console, cmd: &str) -> String {
    c.ok(cmd, CMD).unwrap_or_else(|e| panic!("{e}"))
}

fn assert_overlay_root(c: &mut Console) {
    let mounts = ok(c, "cat /proc/mounts");
    assert!(mounts.lines().any(|l| l.starts_with("overlay / overlay ")), "/ is not an overlay:\n{mounts}");
}

/// (a) BIOS, RAM mode: prompt; uname -a, mount, /proc/cmdline answer.
#[test]
fn a_bios_ram_mode_reaches_a_prompt() {
    let Some(img) = images("a") else { return };
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut c = start(&img, "a-bios-ram", Vm::new(Boot::Cdrom(img.iso.clone())));
    choose(&mut c, "ram");
    prompt(&mut c);
    let uname = ok(&mut c, "uname -a");
    assert!(uname.contains("Linux") && uname.contains("6.1."), "{uname}");
    let mount = ok(&mut c, "mount");
    assert!(mount.lines().any(|l| l.starts_with("overlay on / type overlay")), "{mount}");
    let cmdline = ok(&mut c, "cat /proc/cmdline");
    assert!(cmdline.contains("k1os.mode=ram") && cmdline.contains("console=ttyS0"), "{cmdline}");
    power_off(&mut c);
}

/// (b) persistent mode: a file and a directory written in one boot are there in the next.
#[test]
fn b_persistent_mode_keeps_files_across_boots() {
    let Some(img) = images("b") else { return };
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let data = img.out.join("boot-tests/data-b.img");
    let _ = std::fs::remove_file(&data);
    tools::qemu::make_data_image(&data, "64M").expect("data image");
    let vm = || {
        let mut vm = Vm::new(Boot::Cdrom(img.iso.clone()));
        vm.data = Some(data.clone());
        vm
    };
    let mut c = start(&img, "b-persist-1", vm());
    choose(&mut c, "persist");
    prompt(&mut c);
    ok(&mut c, "mkdir -p /root/kept/dir && echo written-$((6*7)) > /root/kept/file");
    power_off(&mut c);
    drop(c);

    let mut c = start(&img, "b-persist-2", vm());
    choose(&mut c, "persist");
    prompt(&mut c);
    assert_eq!(ok(&mut c, "cat /root/kept/file").trim(), "written-42");
    ok(&mut c, "test -d /root/kept/dir");
    assert_overlay_root(&mut c);
    power_off(&mut c);
    let _ = std::fs::remove_file(&data);
}

/// (c) UEFI (OVMF) boot reaches the prompt.
#[test]
fn c_uefi_boot_reaches_a_prompt() {
    let Some(img) = images("c") else { return };
    if !Path::new(tools::qemu::OVMF).is_file() {
        skip("c", &format!("{} is missing (apt-get install ovmf)", tools::qemu::OVMF));
        return;
    }
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut vm = Vm::new(Boot::Cdrom(img.iso.clone()));
    vm.uefi = true;
    let mut c = start(&img, "c-uefi", vm);
    prompt(&mut c);
    let cmdline = ok(&mut c, "cat /proc/cmdline");
    assert!(cmdline.contains("k1os.mode=ram"), "{cmdline}");
    assert_overlay_root(&mut c);
    power_off(&mut c);
}

/// (d) k1os.mode=persist without a data disk: a clear message, then RAM mode.
#[test]
fn d_persist_without_data_disk_falls_back_to_ram() {
    let Some(img) = images("d") else { return };
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut c = start(&img, "d-persist-no-disk", Vm::new(Boot::Cdrom(img.iso.clone())));
    choose(&mut c, "persist");
    prompt(&mut c);
    let boot_log = c.transcript().to_string();
    assert!(boot_log.contains("K1OS-DATA"), "no message about the missing K1OS-DATA disk:\n{boot_log}");
    assert_overlay_root(&mut c);
    let mounts = ok(&mut c, "cat /proc/mounts");
    assert!(!mounts.contains(" ext4 "), "RAM mode should not mount a data disk:\n{mounts}");
    power_off(&mut c);
}

/// (e) no medium: stage 1 names what it searched, then a rescue shell.
#[test]
fn e_no_medium_gives_a_rescue_shell() {
    let Some(img) = images("e") else { return };
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let vm = Vm::new(Boot::Direct {
        kernel: img.out.join("bzImage"),
        initrd: img.out.join("initramfs.cpio.zst"),
        append: "console=ttyS0,115200 k1os.mode=ram".into(),
    });
    let mut c = start(&img, "e-no-medium", vm);
    c.expect("system.squashfs", BOOT).expect("a message naming the missing /k1os/system.squashfs");
    prompt(&mut c);
    let after = c.transcript().to_string();
    assert!(!after.contains("Kernel panic"), "{after}");
    c.send("poweroff -f\n").unwrap();
    let status = c.wait_exit(OFF).expect("QEMU exits after poweroff -f");
    assert!(status.success(), "QEMU ended with {status}");
}

/// (f) the ISO as a virtio disk (the hybrid image written to a USB stick) boots.
#[test]
fn f_iso_as_a_disk_boots() {
    let Some(img) = images("f") else { return };
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut c = start(&img, "f-disk", Vm::new(Boot::Disk(img.iso.clone())));
    choose(&mut c, "ram");
    prompt(&mut c);
    assert_overlay_root(&mut c);
    power_off(&mut c);
}
