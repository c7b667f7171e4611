//! The boot applets on the host: blkid/findfs on images the tests make, losetup, mount and
//! umount inside a private mount namespace (`unshare -m`), mknod, mountpoint, hostname
//! (set only inside `unshare -u`), kill on our own child, dmesg, poweroff/reboot and init
//! inside a private PID namespace (where reboot(2) only ends the namespace).
//!
//! Tests that need root, a tool (mkfs.ext4, mksquashfs, unshare, ...) or loop devices say
//! why they skip. Every loop device a test attaches is detached by the end.
use behaviour_tests::*;
use std::path::Path;
use std::process::Command;

fn have(tool: &str) -> bool {
    ["/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/"].iter().any(|d| Path::new(&format!("{d}{tool}")).exists())
}

fn skip(why: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIP: {why}");
}

/// Root, and these tools: or a skip message.
fn can(tools: &[&str]) -> bool {
    if !is_root() {
        skip("needs root");
        return false;
    }
    if let Some(t) = tools.iter().find(|t| !have(t)) {
        skip(&format!("{t} is not installed"));
        return false;
    }
    true
}

/// util-linux blkid's value of TAG for a file ("" when none).
fn their_tag(file: &Path, tag: &str) -> String {
    let o = Command::new("blkid").args(["-p", "-s", tag, "-o", "value"]).arg(file).output().unwrap();
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

fn ext4_image(t: &Sandbox, name: &str, label: &str) -> std::path::PathBuf {
    let p = t.path(name);
    std::fs::write(&p, vec![0u8; 8 << 20]).unwrap();
    let o = Command::new("mkfs.ext4").args(["-q", "-F", "-L", label]).arg(&p).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    p
}

/// Detaches every loop device backed by a file under `dir` (what a failed test left).
fn detach_loops_under(dir: &Path) {
    let o = Command::new("losetup").arg("-a").output().unwrap();
    for line in String::from_utf8_lossy(&o.stdout).lines() {
        if line.contains(&*dir.to_string_lossy()) {
            if let Some(dev) = line.split(':').next() {
                let _ = Command::new("losetup").args(["-d", dev]).status();
            }
        }
    }
}

/// Detaches the test's loop devices when dropped, even after a failed assertion.
struct LoopGuard<'a>(&'a Sandbox);

impl Drop for LoopGuard<'_> {
    fn drop(&mut self) {
        detach_loops_under(&self.0.root);
    }
}

#[test]
fn blkid_reads_ext4_vfat_squashfs_and_iso9660_as_util_linux_does() {
    if !can(&["blkid", "mkfs.ext4"]) {
        return;
    }
    let t = Sandbox::new();
    let mut images = vec![ext4_image(&t, "e.img", "K1-TEST")];
    if have("mkfs.vfat") {
        let p = t.path("f.img");
        std::fs::write(&p, vec![0u8; 4 << 20]).unwrap();
        assert!(Command::new("mkfs.vfat").args(["-n", "MYFAT"]).arg(&p).output().unwrap().status.success());
        images.push(p);
    }
    t.write("tree/k1os/x", "x");
    if have("mksquashfs") {
        let p = t.path("s.sqfs");
        let o = Command::new("mksquashfs")
            .arg(t.path("tree"))
            .arg(&p)
            .args(["-quiet", "-noappend"])
            .output()
            .unwrap();
        assert!(o.status.success());
        images.push(p);
    }
    if have("xorriso") {
        let p = t.path("i.iso");
        let o = Command::new("xorriso")
            .args(["-as", "mkisofs", "-quiet", "-V", "K1TEST"])
            .arg("-o")
            .arg(&p)
            .arg(t.path("tree"))
            .output()
            .unwrap();
        assert!(o.status.success());
        images.push(p);
    }
    for img in &images {
        let name = img.file_name().unwrap().to_str().unwrap();
        let out = t.run("blkid", &[name]).ok();
        let mut want = format!("{name}:");
        for tag in ["LABEL", "UUID", "TYPE"] {
            let v = their_tag(img, tag);
            if !v.is_empty() {
                want.push_str(&format!(" {tag}=\"{v}\""));
            }
        }
        assert_eq!(out.trim_end(), want);
        let value = t.run("blkid", &["-s", "TYPE", "-o", "value", name]).ok();
        assert_eq!(value.trim(), their_tag(img, "TYPE"));
    }
    // Nothing recognisable, or nothing there: exit 2 and no output.
    t.write("zero", vec![0u8; 65536]);
    let r = t.run("blkid", &["zero", "missing"]);
    assert_eq!((r.code, r.out.len()), (Some(2), 0));
}

#[test]
fn findfs_resolves_only_existing_tags() {
    let t = Sandbox::new();
    t.run("findfs", &["LABEL=no-such-label-k1box-test"])
        .fails(1, "unable to resolve 'LABEL=no-such-label-k1box-test'");
    t.run("findfs", &[]).fails(1, "missing operand");
    t.run("findfs", &["/dev/sda"]).fails(1, "LABEL=");
}

#[test]
fn losetup_attaches_shows_and_detaches() {
    if !can(&["mkfs.ext4", "losetup"]) {
        return;
    }
    if !Path::new("/dev/loop-control").exists() {
        return skip("no /dev/loop-control");
    }
    let t = Sandbox::new();
    let _g = LoopGuard(&t);
    let img = ext4_image(&t, "d.img", "K1-LOOP");
    let r = t.run("losetup", &["-f", "--show", "-r", "d.img"]);
    let dev = r.ok().trim().to_string();
    assert!(dev.starts_with("/dev/loop"), "{dev}");
    let shown = t.run("losetup", &[&dev]).ok();
    assert!(
        shown.starts_with(&format!("{dev}: ["))
            && shown.trim_end().ends_with(&format!("({})", img.display())),
        "{shown}"
    );
    assert!(t.run("losetup", &["-a"]).ok().contains(&*img.to_string_lossy()));
    // The device reads as the image: blkid finds the label through it.
    assert!(t.run("blkid", &[&dev]).ok().contains("LABEL=\"K1-LOOP\""));
    let ro = std::fs::read_to_string(format!("/sys/block/{}/ro", &dev[5..])).unwrap();
    assert_eq!(ro.trim(), "1", "-r attaches read-only");
    t.run("losetup", &["-d", &dev]).ok();
    t.run("losetup", &[&dev]).fails(1, "No such device or address");
    t.run("losetup", &["-d", "/nonexistent"]).fails(1, "/nonexistent: detach failed");
    let free = t.run("losetup", &["-f"]).ok();
    assert!(free.starts_with("/dev/loop"));
}

/// Runs a dash script as root in a private mount namespace; $B is the applet directory.
fn in_mount_ns(t: &Sandbox, script: &str) -> Run {
    t.sh(&format!("exec unshare -m --propagation private /bin/dash -ec '{}'", script.replace('\'', "'\\''")))
}

#[test]
fn mount_loop_bind_move_remount_and_umount_in_a_private_namespace() {
    if !can(&["mkfs.ext4", "unshare", "mksquashfs"]) {
        return;
    }
    let t = Sandbox::new();
    let _g = LoopGuard(&t);
    ext4_image(&t, "e.img", "K1-MNT");
    t.write("tree/hello", "from squashfs\n");
    assert!(Command::new("mksquashfs")
        .arg(t.path("tree"))
        .arg(t.path("s.sqfs"))
        .args(["-quiet", "-noappend"])
        .status()
        .unwrap()
        .success());
    for d in ["a", "b", "c"] {
        std::fs::create_dir(t.path(d)).unwrap();
    }
    let r = in_mount_ns(
        &t,
        r#"
        $B/mount -o loop e.img a
        $B/mount | grep -q " on $PWD/a type ext4 (rw"
        echo data > a/file
        $B/mountpoint a
        $B/umount a
        test ! -e a/file
        $B/mount -r s.sqfs b
        cat b/hello
        $B/mount -t squashfs | grep -q "on $PWD/b type squashfs (ro"
        $B/mount -t tmpfs -o size=1m,mode=0700 tmpfs c
        grep -q " $PWD/c tmpfs rw,.*size=1024k,mode=700" /proc/mounts
        $B/mount -o remount,ro c
        grep -q " $PWD/c tmpfs ro," /proc/mounts
        $B/mount --bind b a
        cat a/hello
        $B/umount a
        $B/mount --move c a
        $B/mountpoint -q c && exit 3
        $B/mountpoint -q a
        $B/umount a b
        $B/umount b 2>&1 || echo "umount failed: $?"
        "#,
    );
    let out = r.ok();
    assert_eq!(out, "a is a mountpoint\nfrom squashfs\nfrom squashfs\numount: can't unmount b: Invalid argument\numount failed: 1\n", "{}", r.err);
    // autoclear: unmounting freed the loop devices the mounts used
    let l = Command::new("losetup").arg("-a").output().unwrap();
    assert!(!String::from_utf8_lossy(&l.stdout).contains(&*t.root.to_string_lossy()));
}

#[test]
fn mount_a_reads_fstab_and_one_operand_finds_its_entry() {
    if !can(&["unshare"]) {
        return;
    }
    let t = Sandbox::new();
    std::fs::create_dir(t.path("m1")).unwrap();
    std::fs::create_dir(t.path("m2")).unwrap();
    std::fs::create_dir(t.path("m3")).unwrap();
    let d = t.dir.display();
    t.write("fstab", format!("# test\ntmpfs {d}/m1 tmpfs size=2m 0 0\ntmpfs {d}/m2 tmpfs noauto,mode=711\nnone {d}/m3 tmpfs defaults,noauto\n"));
    let r = in_mount_ns(
        &t,
        r#"
        mount --bind fstab /etc/fstab
        $B/mount -a
        $B/mountpoint -q m1
        $B/mountpoint -q m2 && exit 4
        $B/mount m2
        grep " $PWD/m2 " /proc/mounts | grep -q mode=711
        $B/mount -a
        test $(grep -c " $PWD/m1 " /proc/mounts) = 1
        $B/mount nowhere || echo "rc=$?"
        $B/umount -t tmpfs -a 2>/dev/null || true
        "#,
    );
    assert_eq!(r.ok(), "rc=1\n", "{}", r.err);
    assert!(r.err.contains("mount: nowhere: can't find in /etc/fstab"), "{}", r.err);
}

#[test]
fn mount_a_makes_the_mount_points_marked_x_mount_mkdir() {
    if !can(&["unshare"]) {
        return;
    }
    let t = Sandbox::new();
    let d = t.dir.display();
    t.write(
        "fstab",
        format!("tmpfs {d}/new/pts tmpfs mode=700,X-mount.mkdir 0 0\ntmpfs {d}/plain tmpfs defaults 0 0\n"),
    );
    let r = in_mount_ns(
        &t,
        r#"
        mount --bind fstab /etc/fstab
        $B/mount -a || echo "rc=$?"
        $B/mountpoint -q new/pts && echo made
        grep " $PWD/new/pts " /proc/mounts | grep -q mode=700 && echo mode
        test -e plain || echo "plain not made"
        $B/umount new/pts
        "#,
    );
    assert_eq!(r.ok(), "rc=1\nmade\nmode\nplain not made\n", "{}", r.err);
    assert!(r.err.contains("/plain failed: No such file or directory"), "{}", r.err);
}

#[test]
fn mount_and_umount_errors() {
    let t = Sandbox::new();
    t.run("mount", &["-Z"]).fails(1, "invalid option -- 'Z'");
    t.run("mount", &["a", "b", "c"]).fails(1, "too many arguments");
    t.run("umount", &[]).fails(1, "missing operand");
    t.run("umount", &["/nonexistent-k1box"])
        .fails(1, "can't unmount /nonexistent-k1box: No such file or directory");
    if is_root() {
        std::fs::create_dir(t.path("d")).unwrap();
        t.run("mount", &["-t", "tmpfs", "tmpfs", "missing-dir"])
            .fails(1, "mounting tmpfs on missing-dir failed: No such file or directory");
    }
}

#[test]
fn mount_without_arguments_lists_proc_mounts() {
    let t = Sandbox::new();
    let out = t.run("mount", &[]).ok();
    let table = std::fs::read_to_string("/proc/mounts").unwrap();
    let first = table.lines().next().unwrap();
    let f: Vec<&str> = first.split(' ').collect();
    assert!(out.starts_with(&format!("{} on {} type {} ({})\n", f[0], f[1], f[2], f[3])), "{out}");
    assert_eq!(out.lines().count(), table.lines().count());
}

#[test]
fn mountpoint_answers_and_exit_codes() {
    let t = Sandbox::new();
    assert_eq!(t.run("mountpoint", &["/"]).ok(), "/ is a mountpoint\n");
    let r = t.run("mountpoint", &["."]);
    assert_eq!((r.code, r.text()), (Some(32), ". is not a mountpoint\n".to_string()));
    assert_eq!(t.run("mountpoint", &["-q", "."]).code, Some(32));
    let st = std::fs::metadata("/proc").unwrap();
    use std::os::unix::fs::MetadataExt;
    let dev = st.dev();
    let want = format!("{}:{}\n", (dev >> 8) & 0xfff, (dev & 0xff) | ((dev >> 12) & 0xfff00));
    assert_eq!(t.run("mountpoint", &["-d", "/proc"]).ok(), want);
    t.write("f", "");
    t.run("mountpoint", &["f"]).fails(1, "f: not a directory");
    t.run("mountpoint", &["missing"]).fails(1, "missing: No such file or directory");
    t.run("mountpoint", &["-x", "f"]).fails(1, "not a block device");
}

#[test]
fn mknod_makes_fifos_and_devices() {
    let t = Sandbox::new();
    t.run("mknod", &["fifo", "p"]).ok();
    use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
    assert!(std::fs::metadata(t.path("fifo")).unwrap().file_type().is_fifo());
    t.run("mknod", &["fifo", "p"]).fails(1, "fifo: File exists");
    t.run("mknod", &["x", "q"]).fails(1, "invalid device type 'q'");
    t.run("mknod", &["x", "c", "1"]).fails(1, "missing operand");
    t.run("mknod", &["x", "p", "1", "2"]).fails(1, "Fifos do not have major and minor device numbers");
    t.run("mknod", &["x"]).fails(1, "missing operand");
    t.run("mknod", &["-m", "9", "x", "p"]).fails(1, "invalid mode '9'");
    if is_root() {
        t.run("mknod", &["-m", "600", "null", "c", "1", "3"]).ok();
        let m = std::fs::metadata(t.path("null")).unwrap();
        assert!(m.file_type().is_char_device());
        assert_eq!(m.rdev(), (1 << 8) | 3);
        assert_eq!(m.permissions().mode() & 0o7777, 0o600);
        t.run("mknod", &["blk", "b", "7", "200"]).ok();
        assert!(std::fs::metadata(t.path("blk")).unwrap().file_type().is_block_device());
    }
}

#[test]
fn hostname_prints_and_sets_only_in_its_own_uts_namespace() {
    let t = Sandbox::new();
    let uname = Command::new("uname").arg("-n").output().unwrap();
    assert_eq!(t.run("hostname", &[]).ok(), String::from_utf8_lossy(&uname.stdout));
    t.run("hostname", &["-F", "missing"]).fails(1, "missing: No such file or directory");
    if !can(&["unshare"]) {
        return;
    }
    t.write("name", "# comment\n\n  k1box-test-host \n");
    let r = t.sh("unshare -u /bin/sh -c '$B/hostname k1-set && $B/hostname && $B/hostname -F name && $B/hostname && $B/hostname a.b.c && $B/hostname -s'");
    assert_eq!(r.ok(), "k1-set\nk1box-test-host\na\n");
    assert_eq!(
        t.run("hostname", &[]).ok(),
        String::from_utf8_lossy(&uname.stdout),
        "the host's name is unchanged"
    );
}

#[test]
fn kill_signals_our_child_and_lists_names() {
    let t = Sandbox::new();
    use std::os::unix::process::ExitStatusExt;
    let mut child = Command::new("sleep").arg("30").spawn().unwrap();
    t.run("kill", &["-s", "USR1", &child.id().to_string()]).ok();
    assert_eq!(child.wait().unwrap().signal(), Some(10));
    let mut child = Command::new("sleep").arg("30").spawn().unwrap();
    t.run("kill", &["-9", &child.id().to_string()]).ok();
    assert_eq!(child.wait().unwrap().signal(), Some(9));
    let mut child = Command::new("sleep").arg("30").spawn().unwrap();
    t.run("kill", &[&child.id().to_string()]).ok();
    assert_eq!(child.wait().unwrap().signal(), Some(15));
    let mut child = Command::new("sleep").arg("30").spawn().unwrap();
    t.run("kill", &["-SIGHUP", &child.id().to_string()]).ok();
    assert_eq!(child.wait().unwrap().signal(), Some(1));
    assert_eq!(t.run("kill", &["-l", "15"]).ok(), "TERM\n");
    assert_eq!(t.run("kill", &["-l", "137"]).ok(), "KILL\n");
    assert_eq!(t.run("kill", &["-l", "SIGCHLD"]).ok(), "17\n");
    assert!(t.run("kill", &["-l"]).ok().starts_with("HUP INT QUIT ILL TRAP ABRT BUS FPE\n"));
    t.run("kill", &["-s", "NOPE", "1"]).fails(1, "bad signal name 'NOPE'");
    t.run("kill", &["-0", "2147483647"]).fails(1, "can't kill pid 2147483647: No such process");
    t.run("kill", &[]).fails(1, "not enough arguments");
}

#[test]
fn dmesg_reads_the_kernel_log() {
    if !is_root() {
        return skip("needs root (dmesg_restrict)");
    }
    let t = Sandbox::new();
    let raw = t.run("dmesg", &["-r"]).ok();
    if raw.is_empty() {
        return skip("empty kernel log");
    }
    assert!(raw.lines().all(|l| l.starts_with('<')), "raw lines start with <N>");
    let plain = t.run("dmesg", &[]).ok();
    assert!(!plain.starts_with('<'));
    assert_eq!(plain.lines().count(), raw.lines().count());
    t.run("dmesg", &["-n", "9"]).fails(1, "unknown level '9'");
    t.run("dmesg", &["x"]).fails(1, "extra operand");
}

/// Runs `script` as PID 1 of a new PID (and mount) namespace, where reboot(2) ends only the
/// namespace. The script first checks that it really is PID 1 there.
fn in_pid_ns(t: &Sandbox, script: &str) -> Run {
    let guarded = format!("test $$ = 1 || exit 99\n{script}");
    t.sh(&format!(
        "exec unshare -m -p -f --propagation private /bin/dash -c '{}'",
        guarded.replace('\'', "'\\''")
    ))
}

#[test]
fn poweroff_reboot_and_halt_signal_pid_1_or_act_with_f() {
    if !can(&["unshare"]) {
        return;
    }
    let t = Sandbox::new();
    for (applet, sig) in [("poweroff", "USR2"), ("reboot", "TERM"), ("halt", "USR1")] {
        let r =
            in_pid_ns(&t, &format!("trap 'echo got-{sig}; exit 0' {sig}\n$B/{applet} -n\nsleep 5 & wait"));
        assert_eq!(r.ok(), format!("got-{sig}\n"), "{applet}: {}", r.err);
    }
    // -f calls reboot(2) at once: in a PID namespace it ends the namespace's PID 1 with
    // SIGINT (power off, halt) or SIGHUP (reboot).
    use std::os::unix::process::ExitStatusExt;
    for (applet, sig) in [("poweroff", 2), ("reboot", 1)] {
        let o = Command::new("unshare")
            .args(["-m", "-p", "-f", "/bin/dash", "-c"])
            .arg(format!("test $$ = 1 || exit 99; {}/{applet} -f -n; sleep 5", t.bin.display()))
            .output()
            .unwrap();
        let s = o.status;
        assert!(
            s.signal() == Some(sig) || s.code() == Some(128 + sig),
            "{applet} -f: {s:?} {}",
            String::from_utf8_lossy(&o.stderr)
        );
    }
    t.run("poweroff", &["-d", "x"]).fails(1, "invalid number 'x'");
    t.run("reboot", &["extra"]).fails(1, "extra operand");
}

#[test]
fn switch_root_and_init_refuse_outside_pid_1() {
    let t = Sandbox::new();
    t.run("switch_root", &["/x"]).fails(1, "missing operand");
    t.run("switch_root", &["/x", "/sbin/init"]).fails(1, "PID must be 1");
    t.run("init", &[]).fails(1, "must be run as PID 1");
    assert!(t.run("init", &["--help"]).ok().contains("k1os.mode="));
    if !can(&["unshare"]) {
        return;
    }
    // PID 1 on a root that is not an initramfs: switch_root refuses before touching anything.
    std::fs::create_dir(t.path("new")).unwrap();
    let r = in_pid_ns(&t, "exec $B/switch_root new /sbin/init");
    assert_eq!(r.code, Some(1));
    assert!(r.err.contains("new: not a mount point"), "{}", r.err);
    let r = in_pid_ns(&t, "mount -t tmpfs tmpfs new; exec $B/switch_root new /sbin/init");
    assert_eq!(r.code, Some(1));
    assert!(r.err.contains("root filesystem is not ramfs/tmpfs"), "{}", r.err);
}

/// Runs k1box init as PID 1 of a new PID namespace, chrooted into a tmpfs of its own holding
/// k1box (applet links in /bin only), `inittab` and /proc: what its shutdown unmounts is only
/// that tmpfs and its /proc.
fn init_in_pid_ns(t: &Sandbox, inittab: &str) -> Run {
    t.write("inittab", inittab);
    let script = format!(
        r#"R=$PWD/root; mkdir -p $R; mount -t tmpfs tmpfs $R
mkdir -p $R/bin $R/sbin $R/etc $R/proc
cp {k1box} $R/bin/k1box
for a in echo kill mount reboot; do ln -s k1box $R/bin/$a; done
ln -s ../bin/k1box $R/sbin/init
cp inittab $R/etc/inittab
mount -t proc proc $R/proc
exec {chroot} $R /sbin/init"#,
        k1box = k1box().display(),
        chroot = ["/usr/sbin/chroot", "/usr/bin/chroot", "/sbin/chroot"]
            .iter()
            .find(|p| Path::new(p).exists())
            .unwrap(),
    );
    in_pid_ns(t, &script)
}

#[test]
fn init_stage_2_runs_inittab_and_shuts_down_on_usr2() {
    if !can(&["unshare", "chroot"]) {
        return;
    }
    let t = Sandbox::new();
    let r = init_in_pid_ns(
        &t,
        "\
# test
::sysinit:/bin/echo sysinit-1
::sysinit:/bin/echo sysinit-2
::wait:/bin/echo wait
::once:/bin/kill -USR2 1
::shutdown:/bin/echo shutdown-entry
bad line
",
    );
    // The namespace's PID 1 powered off: it ended with SIGINT.
    assert_eq!(r.code, None, "{} {}", r.text(), r.err);
    assert_eq!(r.text(), "sysinit-1\nsysinit-2\nwait\nshutdown-entry\n");
    assert!(r.err.contains("init: /etc/inittab: bad entry at line 7"), "{}", r.err);
    assert!(r.err.contains("The system is going down NOW!\n"), "{}", r.err);
    assert!(
        r.err.contains("Sending SIGTERM to all processes\nSending SIGKILL to all processes\nRequesting system power off\n"),
        "{}",
        r.err
    );
}

#[test]
fn init_ctrlaltdel_runs_its_entry_which_reboots_through_pid_1() {
    if !can(&["unshare", "chroot"]) {
        return;
    }
    let t = Sandbox::new();
    // SIGINT is what the kernel sends for Ctrl-Alt-Del; /sbin/reboot does not exist in this
    // root, so init runs its own reboot applet, which asks PID 1 (SIGTERM) to reboot.
    let r =
        init_in_pid_ns(&t, "::once:/bin/kill -INT 1\n::ctrlaltdel:/sbin/reboot\n::shutdown:/bin/echo down\n");
    assert_eq!(r.text(), "down\n", "{}", r.err);
    assert!(r.err.contains("Requesting system reboot\n"), "{}", r.err);
    assert_eq!(r.code, None, "the namespace ended with SIGHUP (reboot)");
}

#[test]
fn init_restart_on_sigquit_replaces_pid_1_with_the_restart_entry() {
    if !can(&["unshare", "chroot"]) {
        return;
    }
    let t = Sandbox::new();
    // The restart process becomes PID 1 itself; when it is `echo`, the namespace ends
    // normally right after it.
    let r = init_in_pid_ns(
        &t,
        "::once:/bin/kill -QUIT 1\n::shutdown:/bin/echo stopping\n::restart:/bin/echo restarted as pid 1\n",
    );
    assert_eq!(r.text(), "stopping\nrestarted as pid 1\n", "{}", r.err);
    assert_eq!(r.code, Some(0), "{}", r.err);
    assert!(
        r.err.contains("Sending SIGKILL to all processes\n") && !r.err.contains("Requesting"),
        "{}",
        r.err
    );
}
