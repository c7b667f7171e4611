//! Loop devices (loop(4)): find a free one through /dev/loop-control and attach a file with
//! LOOP_CONFIGURE; read what a device is attached to; detach. Used by `losetup`, `mount -o
//! loop` and stage 1 of init.
use alloc::vec::Vec;
use rustix::fd::OwnedFd;
use rustix::fs::{Mode, OFlags};
use rustix::io::Errno;

use crate::common::{At, Error};
use crate::rt::kernel as sys;

/// `/dev/loopN`.
pub fn path(n: u32) -> Vec<u8> {
    let mut p = b"/dev/loop".to_vec();
    crate::common::num::push_u64(&mut p, n as u64);
    p
}

fn open_dev(n: u32, flags: OFlags) -> Result<OwnedFd, Errno> {
    let p = path(n);
    match rustix::fs::open(&p[..], flags | OFlags::CLOEXEC, Mode::empty()) {
        Err(Errno::NOENT) => {
            // No devtmpfs (or it is late): make the node ourselves, block 7:N.
            let dev = rustix::fs::makedev(7, n);
            let _ = rustix::fs::mknodat(
                rustix::fs::CWD,
                &p[..],
                rustix::fs::FileType::BlockDevice,
                Mode::from_raw_mode(0o660),
                dev,
            );
            rustix::fs::open(&p[..], flags | OFlags::CLOEXEC, Mode::empty())
        }
        r => r,
    }
}

/// The first free loop device's number.
pub fn find_free() -> Result<u32, Error> {
    let ctl = rustix::fs::open("/dev/loop-control", OFlags::RDWR | OFlags::CLOEXEC, Mode::empty())
        .at(b"/dev/loop-control")?;
    sys::loop_get_free(&ctl).at(b"/dev/loop-control")
}

/// How to attach.
#[derive(Clone, Copy, Default)]
pub struct Attach {
    pub read_only: bool,
    pub offset: u64,
    /// Detach by itself when the last user (a mount) goes away.
    pub autoclear: bool,
    pub partscan: bool,
}

/// Attaches `file` to `dev` (a loop device path) or to a free device; returns the device's
/// path and an open descriptor of it. With autoclear the device is freed when that
/// descriptor closes unless something (a mount) uses it by then: keep it until mounted.
/// A file that cannot be opened for writing is attached read-only, as losetup does.
pub fn attach(file: &[u8], dev: Option<&[u8]>, how: Attach) -> Result<(Vec<u8>, OwnedFd), Error> {
    let mut ro = how.read_only;
    let backing = match rustix::fs::open(
        file,
        if ro { OFlags::RDONLY } else { OFlags::RDWR } | OFlags::CLOEXEC,
        Mode::empty(),
    ) {
        Err(Errno::ROFS | Errno::ACCESS | Errno::PERM) if !ro => {
            ro = true;
            rustix::fs::open(file, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())
        }
        r => r,
    }
    .at(file)?;
    let mut info = sys::LoopInfo::zero();
    info.offset = how.offset;
    info.flags = if ro { sys::LO_FLAGS_READ_ONLY } else { 0 }
        | if how.autoclear { sys::LO_FLAGS_AUTOCLEAR } else { 0 }
        | if how.partscan { sys::LO_FLAGS_PARTSCAN } else { 0 };
    let n = file.len().min(63);
    info.file_name[..n].copy_from_slice(&file[..n]);
    let flags = if ro { OFlags::RDONLY } else { OFlags::RDWR };
    if let Some(d) = dev {
        let fd = rustix::fs::open(d, flags | OFlags::CLOEXEC, Mode::empty()).at(d)?;
        sys::loop_configure(&fd, &backing, &info).at(d)?;
        return Ok((d.to_vec(), fd));
    }
    // Another program may take the free device between asking and attaching: try again.
    let mut last = Errno::BUSY;
    for _ in 0..16 {
        let n = find_free()?;
        let fd = open_dev(n, flags).at(&path(n))?;
        match sys::loop_configure(&fd, &backing, &info) {
            Ok(()) => return Ok((path(n), fd)),
            Err(Errno::BUSY) => last = Errno::BUSY,
            Err(e) => return Err(Error::Path(path(n), e)),
        }
    }
    Err(Error::Path(b"/dev/loop-control".to_vec(), last))
}

/// Detaches the loop device `dev`.
pub fn detach(dev: &[u8]) -> Result<(), Errno> {
    let fd = rustix::fs::open(dev, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())?;
    sys::loop_clear(&fd)
}

/// What `dev` is attached to: (info, backing file's full name); ENXIO when it is free.
pub fn status(dev: &[u8]) -> Result<(sys::LoopInfo, Vec<u8>), Errno> {
    let fd = rustix::fs::open(dev, OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())?;
    let info = sys::loop_status(&fd)?;
    // /sys has the whole name; loop_info keeps only 64 bytes of it.
    let name = crate::common::path::basename(dev);
    let mut p = b"/sys/block/".to_vec();
    p.extend_from_slice(name);
    p.extend_from_slice(b"/loop/backing_file");
    let file = match crate::common::fs::read_file(&p) {
        Ok(f) => crate::common::text::chomp(&f).to_vec(),
        Err(_) => {
            let n = info.file_name.iter().position(|&c| c == 0).unwrap_or(64);
            info.file_name[..n].to_vec()
        }
    };
    Ok((info, file))
}

/// The loop devices that are attached, by number.
pub fn attached() -> Vec<u32> {
    let mut v: Vec<u32> = crate::common::blkid::block_devices(true)
        .iter()
        .filter_map(|n| n.strip_prefix(b"loop").and_then(crate::common::num::parse_u64))
        .map(|n| n as u32)
        .filter(|&n| {
            crate::common::fs::read_file(&{
                let mut p = b"/sys/block/loop".to_vec();
                crate::common::num::push_u64(&mut p, n as u64);
                p.extend_from_slice(b"/loop/backing_file");
                p
            })
            .is_ok()
        })
        .collect();
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && v[j - 1] > v[j] {
            v.swap(j - 1, j);
            j -= 1;
        }
    }
    v
}
