//! Stage 1: k1box as the initramfs's /init (DESIGN §1, issue 4).
//!
//! Mounts /proc /sys /dev /run, reads the kernel command line, waits (about 10 s) for the
//! medium holding /k1os/system.squashfs, loop-mounts it read-only, puts an upper layer on it
//! (the ext4 K1OS-DATA file system in persistent mode, tmpfs otherwise), mounts the overlay
//! at /newroot, moves /dev /proc /sys /run into it and switches root to /sbin/init.
//! Silent when all is well; any failure prints what was searched and found, then a rescue
//! shell runs on the console. PID 1 never exits.
use alloc::vec::Vec;
use rustix::process::WaitOptions;

use super::{mkdir_p, now_ms, say, sleep_ms, stamp};
use crate::common::{blkid, loopdev, Cx};
use crate::rt;

const MEDIA: &[u8] = b"/run/k1os/media";
const LOWER: &[u8] = b"/run/k1os/rootfs";
const DATA: &[u8] = b"/run/k1os/data";
const RAM: &[u8] = b"/run/k1os/ram";
const NEWROOT: &[u8] = b"/newroot";
const SQUASHFS: &[u8] = b"/k1os/system.squashfs";
const WAIT_MS: u64 = 10_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Auto,
    Ram,
    Persist,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Break {
    Premount,
    Preswitch,
}

/// What the kernel command line asks of stage 1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cmdline {
    pub mode: Mode,
    /// The data file system: `LABEL=..`, `UUID=..` or a device path.
    pub data: Vec<u8>,
    /// Only this device holds the medium (same forms), when given.
    pub media: Option<Vec<u8>>,
    pub brk: Option<Break>,
    pub debug: bool,
    /// Unknown k1os.* words, to warn about.
    pub unknown: Vec<Vec<u8>>,
}

/// Parses /proc/cmdline (words split by blanks; double quotes group).
pub fn parse_cmdline(s: &[u8]) -> Cmdline {
    let mut c = Cmdline {
        mode: Mode::Auto,
        data: b"LABEL=K1OS-DATA".to_vec(),
        media: None,
        brk: None,
        debug: false,
        unknown: Vec::new(),
    };
    let mut words: Vec<Vec<u8>> = Vec::new();
    let mut cur = Vec::new();
    let (mut quoted, mut any) = (false, false);
    for &b in s {
        match b {
            b'"' => {
                quoted = !quoted;
                any = true;
            }
            b' ' | b'\t' | b'\n' if !quoted => {
                if any {
                    words.push(core::mem::take(&mut cur));
                    any = false;
                }
            }
            _ => {
                cur.push(b);
                any = true;
            }
        }
    }
    if any {
        words.push(cur);
    }
    for w in words {
        let Some(rest) = w.strip_prefix(b"k1os.") else { continue };
        let (key, val) = match rest.iter().position(|&b| b == b'=') {
            Some(p) => (&rest[..p], Some(&rest[p + 1..])),
            None => (rest, None),
        };
        match (key, val) {
            (b"mode", Some(b"ram")) => c.mode = Mode::Ram,
            (b"mode", Some(b"persist" | b"persistent")) => c.mode = Mode::Persist,
            (b"mode", Some(b"auto")) => c.mode = Mode::Auto,
            (b"data", Some(v)) if !v.is_empty() => c.data = v.to_vec(),
            (b"media", Some(v)) if !v.is_empty() => c.media = Some(v.to_vec()),
            (b"break", Some(b"premount")) | (b"break", None) => c.brk = Some(Break::Premount),
            (b"break", Some(b"preswitch")) => c.brk = Some(Break::Preswitch),
            (b"debug", None | Some(b"1" | b"y" | b"yes")) => c.debug = true,
            (b"debug", Some(_)) => {}
            _ => c.unknown.push(w.clone()),
        }
    }
    c
}

/// Whether `spec` (LABEL=, UUID= or a path) names device `dev` that probed as `p`.
fn spec_matches(spec: &[u8], dev: &[u8], p: Option<&blkid::Probe>) -> bool {
    match blkid::tag_spec(spec) {
        Some((label, value)) => p.is_some_and(|p| blkid::matches(p, label, value)),
        None => spec == dev,
    }
}

struct Stage1 {
    cfg: Cmdline,
    env: Vec<Vec<u8>>,
    /// What the search saw, one line per device, for the failure report.
    seen: Vec<u8>,
}

/// Runs stage 1; never returns.
pub fn run(cx: &mut Cx) -> i32 {
    early_mounts();
    if rustix::io::fcntl_getfd(rt::stdin()).is_err() || rustix::io::fcntl_getfd(rt::stderr()).is_err() {
        super::open_console(b"/dev/console", false);
    }
    let text = crate::common::fs::read_file(b"/proc/cmdline").unwrap_or_default();
    let cfg = parse_cmdline(&text);
    let mut env = core::mem::take(&mut cx.env);
    if !env.iter().any(|e| e.starts_with(b"PATH=")) {
        env.push(b"PATH=/sbin:/usr/sbin:/bin:/usr/bin".to_vec());
    }
    let mut s = Stage1 { cfg, env, seen: Vec::new() };
    for w in &s.cfg.unknown {
        say(&[b"k1os: unknown boot option ignored: ", w, b"\n"]);
    }
    s.debug(b"stage 1 started");
    // PID 1 in the initramfs: poweroff/reboot from the rescue shell signal us.
    let sigs = [libc_sig::TERM, libc_sig::USR1, libc_sig::USR2];
    let _ = super::catch_signals(&sigs);
    let _ = rt::sigprocmask(rt::MaskHow::Set, rt::SigSet::default());
    if s.cfg.brk == Some(Break::Premount) {
        say(&[b"k1os: k1os.break=premount: rescue shell before mounting; exit it to go on\n"]);
        s.rescue();
    }
    loop {
        let err = s.boot();
        say(&[b"\nk1os: boot failed: ", &err, b"\n"]);
        if !s.seen.is_empty() {
            say(&[b"k1os: looked for ", SQUASHFS, b" on the block devices:\n", &s.seen]);
        }
        s.cleanup();
        say(&[b"k1os: starting a rescue shell; exit it to try again\n"]);
        s.rescue();
    }
}

/// Raw signal numbers (x86-64 Linux).
pub mod libc_sig {
    pub const INT: i32 = 2;
    pub const QUIT: i32 = 3;
    pub const USR1: i32 = 10;
    pub const USR2: i32 = 12;
    pub const TERM: i32 = 15;
    pub const HUP: i32 = 1;
    pub const CHLD: i32 = 17;
}
pub use libc_sig as sig;

const NOSUID: u32 = 2;
const NODEV: u32 = 4;
const NOEXEC: u32 = 8;
const NOATIME: u32 = 1024;

fn mount(src: &[u8], dir: &[u8], fstype: &[u8], flags: u32, data: &[u8]) -> Result<(), rustix::io::Errno> {
    crate::common::mounts::mount(src, dir, fstype, flags, data)
}

fn early_mounts() {
    let nosuid = NOSUID | NOEXEC | NODEV;
    for d in [&b"/proc"[..], b"/sys", b"/dev", b"/run"] {
        mkdir_p(d);
    }
    let _ = mount(b"proc", b"/proc", b"proc", nosuid, b"");
    let _ = mount(b"sysfs", b"/sys", b"sysfs", nosuid, b"");
    let _ = mount(b"devtmpfs", b"/dev", b"devtmpfs", NOSUID, b"mode=0755");
    let _ = mount(b"tmpfs", b"/run", b"tmpfs", NOSUID | NODEV, b"mode=0755");
}

impl Stage1 {
    fn debug(&self, m: &[u8]) {
        if self.cfg.debug {
            say(&[b"k1os: ", &stamp(), m, b"\n"]);
        }
    }

    fn note(&mut self, dev: &[u8], p: Option<&blkid::Probe>, what: &[u8]) {
        self.seen.extend_from_slice(b"  ");
        self.seen.extend_from_slice(dev);
        if let Some(p) = p {
            self.seen.extend_from_slice(b": ");
            self.seen.extend_from_slice(p.fstype.as_bytes());
            if !p.label.is_empty() {
                self.seen.extend_from_slice(b" \"");
                self.seen.extend_from_slice(&p.label);
                self.seen.push(b'"');
            }
        }
        self.seen.extend_from_slice(b": ");
        self.seen.extend_from_slice(what);
        self.seen.push(b'\n');
        if self.cfg.debug {
            say(&[b"k1os: ", &stamp(), dev, b": ", what, b"\n"]);
        }
    }

    /// One boot attempt; returns only on failure, with its reason.
    fn boot(&mut self) -> Vec<u8> {
        let start = now_ms();
        let media = match self.find_media(start + WAIT_MS) {
            Some(m) => m,
            None => {
                let mut m = b"no boot medium with ".to_vec();
                m.extend_from_slice(SQUASHFS);
                m.extend_from_slice(b" found within 10 s");
                if let Some(spec) = &self.cfg.media {
                    m.extend_from_slice(b" (k1os.media=");
                    m.extend_from_slice(spec);
                    m.push(b')');
                }
                return m;
            }
        };
        self.debug(&[&b"medium: "[..], &media].concat());
        let mut file = MEDIA.to_vec();
        file.extend_from_slice(SQUASHFS);
        let how = loopdev::Attach { read_only: true, autoclear: true, ..Default::default() };
        let (lo, _lo_fd) = match loopdev::attach(&file, None, how) {
            Ok(l) => l,
            Err(e) => return [&b"cannot attach "[..], &file, b" to a loop device: ", &err_text(&e)].concat(),
        };
        mkdir_p(LOWER);
        if let Err(e) = mount(&lo, LOWER, b"squashfs", crate::common::mounts::MS_RDONLY, b"") {
            let _ = rt::kernel::loop_clear(&_lo_fd);
            return [
                &b"cannot mount "[..],
                &file,
                b" (",
                &lo,
                b") as squashfs: ",
                rt::strerror(e).as_bytes(),
            ]
            .concat();
        }
        self.debug(&[&b"mounted "[..], &file, b" on ", LOWER].concat());
        let (upper, work) = match self.upper_layer(start + WAIT_MS) {
            Ok(u) => u,
            Err(m) => return m,
        };
        mkdir_p(NEWROOT);
        let mut opts = b"lowerdir=".to_vec();
        opts.extend_from_slice(LOWER);
        opts.extend_from_slice(b",upperdir=");
        opts.extend_from_slice(&upper);
        opts.extend_from_slice(b",workdir=");
        opts.extend_from_slice(&work);
        if let Err(e) = mount(b"overlay", NEWROOT, b"overlay", 0, &opts) {
            return [
                &b"cannot mount the overlay on /newroot ("[..],
                &opts,
                b"): ",
                rt::strerror(e).as_bytes(),
            ]
            .concat();
        }
        if self.cfg.brk == Some(Break::Preswitch) {
            say(&[
                b"k1os: k1os.break=preswitch: rescue shell with the new root at /newroot; exit it to go on\n",
            ]);
            self.rescue();
        }
        let init = b"/newroot/sbin/init";
        if rustix::fs::access(&init[..], rustix::fs::Access::EXISTS).is_err() {
            return b"the system image has no /sbin/init".to_vec();
        }
        for d in [&b"dev"[..], b"proc", b"sys", b"run"] {
            let mut to = b"/newroot/".to_vec();
            to.extend_from_slice(d);
            mkdir_p(&to);
            let from = [&b"/"[..], d].concat();
            if let Err(e) = mount(&from, &to, b"", crate::common::mounts::MS_MOVE, b"") {
                return [&b"cannot move "[..], &from, b" to ", &to, b": ", rt::strerror(e).as_bytes()]
                    .concat();
            }
        }
        read_ahead(init);
        self.debug(b"switching root to /newroot, /sbin/init");
        let e = crate::applets::switch_root::switch_root(NEWROOT, None, b"/sbin/init", &[], &self.env);
        // Past the moves: what is left to run is in memory.
        err_text(&e)
    }

    /// Polls /sys/class/block until a device holds /k1os/system.squashfs (mounted at
    /// /run/k1os/media) or `deadline` passes.
    fn find_media(&mut self, deadline: u64) -> Option<Vec<u8>> {
        mkdir_p(MEDIA);
        let mut lacking: Vec<Vec<u8>> = Vec::new();
        let mut poll = Poll::default();
        loop {
            self.seen.clear();
            for name in blkid::block_devices(true) {
                if name.starts_with(b"loop") || name.starts_with(b"ram") || name.starts_with(b"zram") {
                    continue;
                }
                let dev = blkid::dev_path(&name);
                if lacking.contains(&dev) {
                    self.note(&dev, None, b"no /k1os/system.squashfs");
                    continue;
                }
                if blkid::device_sectors(&name) == Some(0) || !blkid::has_medium(&name) {
                    self.note(&dev, None, b"no medium");
                    continue;
                }
                let p = match blkid::probe_path(&dev) {
                    Ok(Some(p)) => p,
                    Ok(None) => {
                        self.note(&dev, None, b"no known file system");
                        continue;
                    }
                    Err(e) => {
                        self.note(&dev, None, rt::strerror(e).as_bytes());
                        continue;
                    }
                };
                if spec_matches(&self.cfg.data, &dev, Some(&p)) || p.label == b"K1OS-DATA" {
                    self.note(&dev, Some(&p), b"the data file system, not searched");
                    continue;
                }
                if let Some(spec) = &self.cfg.media {
                    if !spec_matches(spec, &dev, Some(&p)) {
                        let spec = spec.clone();
                        self.note(&dev, Some(&p), &[&b"not k1os.media="[..], &spec].concat());
                        continue;
                    }
                }
                if !matches!(p.fstype, "iso9660" | "vfat" | "ext4" | "ext3" | "ext2") {
                    self.note(&dev, Some(&p), b"not a medium file system");
                    continue;
                }
                if let Err(e) = mount(&dev, MEDIA, p.fstype.as_bytes(), crate::common::mounts::MS_RDONLY, b"")
                {
                    self.note(&dev, Some(&p), &[&b"cannot mount: "[..], rt::strerror(e).as_bytes()].concat());
                    continue;
                }
                let mut file = MEDIA.to_vec();
                file.extend_from_slice(SQUASHFS);
                if rustix::fs::access(&file[..], rustix::fs::Access::READ_OK).is_ok() {
                    self.note(&dev, Some(&p), b"has /k1os/system.squashfs");
                    return Some(dev);
                }
                let _ = crate::common::mounts::unmount(MEDIA, 0);
                self.note(&dev, Some(&p), b"no /k1os/system.squashfs");
                lacking.push(dev);
            }
            if now_ms() >= deadline {
                if self.seen.is_empty() {
                    self.seen.extend_from_slice(b"  (no block devices at all in /sys/class/block)\n");
                }
                return None;
            }
            poll.sleep(deadline);
        }
    }

    /// The data file system's device, polled until `deadline` (once when 0).
    fn find_data(&self, deadline: u64) -> Option<(Vec<u8>, blkid::Probe)> {
        let mut poll = Poll::default();
        loop {
            for name in blkid::block_devices(false) {
                if name.starts_with(b"loop") || name.starts_with(b"ram") {
                    continue;
                }
                let dev = blkid::dev_path(&name);
                let p = blkid::probe_path(&dev).ok().flatten();
                if spec_matches(&self.cfg.data, &dev, p.as_ref()) {
                    if let Some(p) = p {
                        return Some((dev, p));
                    }
                }
            }
            if now_ms() >= deadline {
                return None;
            }
            poll.sleep(deadline);
        }
    }

    /// Mounts the upper layer; returns (upperdir, workdir).
    fn upper_layer(&mut self, deadline: u64) -> Result<(Vec<u8>, Vec<u8>), Vec<u8>> {
        if self.cfg.mode != Mode::Ram {
            let wait = if self.cfg.mode == Mode::Persist { deadline } else { 0 };
            match self.find_data(wait) {
                Some((dev, p)) => {
                    mkdir_p(DATA);
                    match mount(&dev, DATA, p.fstype.as_bytes(), NOATIME, b"") {
                        Ok(()) => {
                            let upper = [DATA, b"/k1os/upper"].concat();
                            let work = [DATA, b"/k1os/work"].concat();
                            mkdir_p(&upper);
                            mkdir_p(&work);
                            self.debug(&[&b"persistent mode on "[..], &dev].concat());
                            return Ok((upper, work));
                        }
                        Err(e) => say(&[
                            b"k1os: cannot mount the data file system ",
                            &dev,
                            b": ",
                            rt::strerror(e).as_bytes(),
                            b"\nk1os: starting in RAM mode: changes will be lost at power-off\n",
                        ]),
                    }
                }
                None if self.cfg.mode == Mode::Persist => say(&[
                    b"k1os: persistent mode asked for, but no file system ",
                    &self.cfg.data,
                    b" was found (an ext4 file system labelled K1OS-DATA; see make make-persist)\n",
                    b"k1os: starting in RAM mode: changes will be lost at power-off\n",
                ]),
                None => {}
            }
        }
        mkdir_p(RAM);
        if let Err(e) = mount(b"tmpfs", RAM, b"tmpfs", 0, b"mode=0755") {
            return Err([&b"cannot mount tmpfs on "[..], RAM, b": ", rt::strerror(e).as_bytes()].concat());
        }
        let upper = [RAM, b"/upper"].concat();
        let work = [RAM, b"/work"].concat();
        mkdir_p(&upper);
        mkdir_p(&work);
        Ok((upper, work))
    }

    /// Undoes a failed attempt's mounts so the next one starts clean.
    fn cleanup(&self) {
        for d in [NEWROOT, RAM, DATA, LOWER, MEDIA] {
            let _ = crate::common::mounts::unmount(d, 2);
        }
    }

    /// Runs the rescue shell on the console and waits for it; poweroff/reboot signals act.
    fn rescue(&mut self) {
        let Some(sh) = crate::find(b"sh") else {
            say(&[b"k1os: this k1box has no sh applet: no rescue shell; waiting forever\n"]);
            super::wait_forever();
        };
        let mut env = self.env.clone();
        env.push(b"PS1=(k1os rescue) # ".to_vec());
        let sigs = [sig::TERM, sig::USR1, sig::USR2];
        let child = match rt::fork() {
            Ok(None) => {
                super::reset_signals(&sigs);
                let _ = rustix::process::setsid();
                let _ = rustix::process::ioctl_tiocsctty(rt::stdin());
                let code = crate::run_applet(sh, Vec::new(), env);
                rt::exit(code);
            }
            Ok(Some(pid)) => pid.as_raw_nonzero().get(),
            Err(e) => {
                say(&[b"k1os: cannot start the rescue shell: ", rt::strerror(e).as_bytes(), b"\n"]);
                super::wait_forever();
            }
        };
        loop {
            let pending = super::take_signals();
            let cmd = if pending.has(sig::USR2) {
                Some(rustix::system::RebootCommand::PowerOff)
            } else if pending.has(sig::TERM) {
                Some(rustix::system::RebootCommand::Restart)
            } else if pending.has(sig::USR1) {
                Some(rustix::system::RebootCommand::Halt)
            } else {
                None
            };
            if let Some(cmd) = cmd {
                rustix::fs::sync();
                let _ = rustix::system::reboot(cmd);
            }
            match rustix::process::wait(WaitOptions::empty()) {
                Ok(Some((pid, _))) if pid.as_raw_nonzero().get() == child => return,
                Ok(_) => {}
                Err(rustix::io::Errno::CHILD) => return,
                Err(_) => {}
            }
        }
    }
}

/// The pauses between two looks for a device that is not there yet: short at first (a
/// USB disk or a slow drive often shows up within some milliseconds), doubling up to
/// 200 ms, never past the deadline.
#[derive(Default)]
struct Poll {
    last_ms: u64,
}

impl Poll {
    fn next_ms(&mut self) -> u64 {
        self.last_ms = (self.last_ms * 2).clamp(10, 200);
        self.last_ms
    }

    fn sleep(&mut self, deadline: u64) {
        let ms = self.next_ms();
        sleep_ms(ms.min(deadline.saturating_sub(now_ms())));
    }
}

/// Reads all of `path` into the page cache. For the system's init on squashfs this is much
/// cheaper than the page faults of its first run, which decompress blocks of it again and
/// again (measured under QEMU/TCG with k1os.debug: switch_root -> stage 2 took 155-210 ms;
/// now 35-40 ms after 40-55 ms of read-ahead; /init -> prompt ~30 ms less end to end, as the
/// shells then find in memory what they would have faulted in).
fn read_ahead(path: &[u8]) {
    if let Ok(fd) = crate::common::fs::open_read(path) {
        if let Ok(st) = rustix::fs::fstat(&fd) {
            let _ = rt::kernel::readahead(&fd, 0, st.st_size as usize);
        }
    }
}

pub fn err_text(e: &crate::common::Error) -> Vec<u8> {
    use crate::common::Error;
    match e {
        Error::Sys(e) => rt::strerror(*e).as_bytes().to_vec(),
        Error::Path(p, e) => [&p[..], b": ", rt::strerror(*e).as_bytes()].concat(),
        Error::Msg(m) => m.as_bytes().to_vec(),
        Error::PathMsg(p, m) => [&p[..], b": ", m.as_bytes()].concat(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_without_options() {
        let c = parse_cmdline(b"console=ttyS0,115200 quiet\n");
        assert_eq!(c.mode, Mode::Auto);
        assert_eq!(c.data, b"LABEL=K1OS-DATA");
        assert_eq!((c.media, c.brk, c.debug), (None, None, false));
    }

    #[test]
    fn every_option() {
        let c = parse_cmdline(
            b"console=tty0 k1os.mode=persist k1os.data=UUID=1234-ab k1os.media=\"LABEL=My CD\" k1os.break=preswitch k1os.debug k1os.bogus=1",
        );
        assert_eq!(c.mode, Mode::Persist);
        assert_eq!(c.data, b"UUID=1234-ab");
        assert_eq!(c.media.as_deref(), Some(&b"LABEL=My CD"[..]));
        assert_eq!(c.brk, Some(Break::Preswitch));
        assert!(c.debug);
        assert_eq!(c.unknown, [b"k1os.bogus=1".to_vec()]);
        assert_eq!(parse_cmdline(b"k1os.mode=ram k1os.break").brk, Some(Break::Premount));
        assert_eq!(parse_cmdline(b"k1os.mode=ram").mode, Mode::Ram);
    }

    #[test]
    fn polls_start_short_and_double_up_to_200_ms() {
        let mut p = Poll::default();
        let waits: Vec<u64> = (0..7).map(|_| p.next_ms()).collect();
        assert_eq!(waits, [10, 20, 40, 80, 160, 200, 200]);
    }

    #[test]
    fn specs_match_labels_uuids_and_paths() {
        let p = blkid::Probe { fstype: "ext4", label: b"K1OS-DATA".to_vec(), uuid: b"AB-cd".to_vec() };
        assert!(spec_matches(b"LABEL=K1OS-DATA", b"/dev/vdb", Some(&p)));
        assert!(spec_matches(b"UUID=ab-CD", b"/dev/vdb", Some(&p)));
        assert!(spec_matches(b"/dev/vdb", b"/dev/vdb", None));
        assert!(!spec_matches(b"LABEL=other", b"/dev/vdb", Some(&p)));
    }
}
