//! Safe wrappers over the system calls and ioctls the boot applets need and rustix does not
//! offer publicly: kill(2) with any pid and signal number, syslog(2) (`klogctl`), a
//! sigsuspend with a timeout (ppoll with no descriptors), and the loop-device and block ioctls.
use super::{result, syscall};
use linux_raw_sys::general as sys;
use rustix::fd::{AsFd, AsRawFd};
use rustix::io::Errno;

/// kill(2): `pid` > 0 one process, 0 our group, -1 every process we may signal, < -1 the
/// group -pid; `sig` 0 only checks.
pub fn kill(pid: i32, sig: i32) -> Result<(), Errno> {
    // SAFETY: kill takes two integers; no memory is passed.
    let ret = unsafe { syscall::syscall2(sys::__NR_kill as usize, pid as isize as usize, sig as usize) };
    result(ret).map(|_| ())
}

/// syslog(2) actions (`klogctl` in glibc).
pub const SYSLOG_READ_ALL: i32 = 3;
pub const SYSLOG_READ_CLEAR: i32 = 4;
pub const SYSLOG_CLEAR: i32 = 5;
pub const SYSLOG_CONSOLE_LEVEL: i32 = 8;
pub const SYSLOG_SIZE_BUFFER: i32 = 10;

/// syslog(2): `action` with `buf` (read actions fill it and return the length) or `arg`
/// (the console level).
pub fn klogctl(action: i32, buf: &mut [u8], arg: i32) -> Result<usize, Errno> {
    let (ptr, len) = if buf.is_empty() { (0, arg as usize) } else { (buf.as_mut_ptr() as usize, buf.len()) };
    // SAFETY: the kernel writes at most `len` bytes into `buf`, which is live and that long;
    // actions without a buffer get a null pointer and an integer.
    let ret = unsafe { syscall::syscall3(sys::__NR_syslog as usize, action as usize, ptr, len) };
    result(ret)
}

/// Waits until a signal not in `mask` is delivered (its handler runs) or `timeout_ms`
/// passes (`None`: no limit), with `mask` as the blocked set meanwhile: sigsuspend that
/// can also time out. Returns true when the time ran out.
pub fn wait_signal(mask: super::SigSet, timeout_ms: Option<u64>) -> bool {
    let ts = timeout_ms.map(|ms| sys::__kernel_timespec {
        tv_sec: (ms / 1000) as _,
        tv_nsec: ((ms % 1000) * 1_000_000) as _,
    });
    let tsp = match &ts {
        Some(t) => t as *const sys::__kernel_timespec as usize,
        None => 0,
    };
    // SAFETY: ppoll with no descriptors reads only the timespec and the 8-byte mask, both
    // live across the call.
    let ret =
        unsafe { syscall::syscall5(sys::__NR_ppoll as usize, 0, 0, tsp, &mask.0 as *const u64 as usize, 8) };
    matches!(result(ret), Ok(0))
}

/// Milliseconds on the monotonic clock (a plain system call: no vDSO setup to carry).
pub fn monotonic_ms() -> u64 {
    let mut ts = sys::__kernel_timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes one __kernel_timespec to the live pointer.
    let ret = unsafe {
        syscall::syscall2(
            sys::__NR_clock_gettime as usize,
            sys::CLOCK_MONOTONIC as usize,
            &mut ts as *mut sys::__kernel_timespec as usize,
        )
    };
    match result(ret) {
        Ok(_) => ts.tv_sec as u64 * 1000 + ts.tv_nsec as u64 / 1_000_000,
        Err(_) => 0,
    }
}

/// readahead(2): reads `len` bytes of the file `fd` from `offset` into the page cache
/// (posix_fadvise's WILLNEED; K1OS's kernel has no fadvise64, ADVISE_SYSCALLS being off).
pub fn readahead<F: AsFd>(fd: F, offset: u64, len: usize) -> Result<(), Errno> {
    // SAFETY: readahead takes a descriptor and two integers; no memory is passed.
    let ret = unsafe {
        syscall::syscall3(sys::__NR_readahead as usize, fd.as_fd().as_raw_fd() as usize, offset as usize, len)
    };
    result(ret).map(|_| ())
}

fn ioctl<F: AsFd>(fd: F, req: u32, arg: usize) -> Result<usize, Errno> {
    // SAFETY: callers below pass either an integer or a pointer to a live struct of the size
    // and layout the request expects.
    let ret = unsafe {
        syscall::syscall3(sys::__NR_ioctl as usize, fd.as_fd().as_raw_fd() as usize, req as usize, arg)
    };
    result(ret)
}

const LOOP_CLR_FD: u32 = 0x4C01;
const LOOP_GET_STATUS64: u32 = 0x4C05;
const LOOP_CONFIGURE: u32 = 0x4C0A;
const LOOP_CTL_GET_FREE: u32 = 0x4C82;
const BLKGETSIZE64: u32 = 0x8008_1272;

const CDROM_DRIVE_STATUS: u32 = 0x5326;
/// CDROM_DRIVE_STATUS's answer when a disc is in and readable.
pub const CDS_DISC_OK: usize = 4;

/// CDROM_DRIVE_STATUS: whether an optical drive holds a disc (open it with O_NONBLOCK).
pub fn cdrom_drive_status<D: AsFd>(dev: D) -> Result<usize, Errno> {
    ioctl(dev, CDROM_DRIVE_STATUS, 0x7fff_ffff)
}

/// Loop flags (`LO_FLAGS_*`).
pub const LO_FLAGS_READ_ONLY: u32 = 1;
pub const LO_FLAGS_AUTOCLEAR: u32 = 4;
pub const LO_FLAGS_PARTSCAN: u32 = 8;

/// The kernel's `struct loop_info64`.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct LoopInfo {
    pub device: u64,
    pub inode: u64,
    pub rdevice: u64,
    pub offset: u64,
    pub sizelimit: u64,
    pub number: u32,
    pub encrypt_type: u32,
    pub encrypt_key_size: u32,
    pub flags: u32,
    pub file_name: [u8; 64],
    pub crypt_name: [u8; 64],
    pub encrypt_key: [u8; 32],
    pub init: [u64; 2],
}

impl LoopInfo {
    pub const fn zero() -> LoopInfo {
        LoopInfo {
            device: 0,
            inode: 0,
            rdevice: 0,
            offset: 0,
            sizelimit: 0,
            number: 0,
            encrypt_type: 0,
            encrypt_key_size: 0,
            flags: 0,
            file_name: [0; 64],
            crypt_name: [0; 64],
            encrypt_key: [0; 32],
            init: [0; 2],
        }
    }
}

/// The kernel's `struct loop_config` for LOOP_CONFIGURE.
#[repr(C)]
struct LoopConfig {
    fd: u32,
    block_size: u32,
    info: LoopInfo,
    reserved: [u64; 8],
}

/// LOOP_CTL_GET_FREE on /dev/loop-control: the number of a free loop device (made if need be).
pub fn loop_get_free<F: AsFd>(control: F) -> Result<u32, Errno> {
    ioctl(control, LOOP_CTL_GET_FREE, 0).map(|n| n as u32)
}

/// LOOP_CONFIGURE: attaches `backing` to the loop device `dev` with `info` (offset, flags,
/// file name) in one step.
pub fn loop_configure<D: AsFd, B: AsFd>(dev: D, backing: B, info: &LoopInfo) -> Result<(), Errno> {
    let cfg =
        LoopConfig { fd: backing.as_fd().as_raw_fd() as u32, block_size: 0, info: *info, reserved: [0; 8] };
    ioctl(dev, LOOP_CONFIGURE, &cfg as *const LoopConfig as usize).map(|_| ())
}

/// LOOP_CLR_FD: detaches the loop device (lazily while it is in use, with autoclear set).
pub fn loop_clear<D: AsFd>(dev: D) -> Result<(), Errno> {
    ioctl(dev, LOOP_CLR_FD, 0).map(|_| ())
}

/// LOOP_GET_STATUS64: what the loop device is attached to (ENXIO when it is free).
pub fn loop_status<D: AsFd>(dev: D) -> Result<LoopInfo, Errno> {
    let mut info = LoopInfo::zero();
    ioctl(dev, LOOP_GET_STATUS64, &mut info as *mut LoopInfo as usize)?;
    Ok(info)
}

/// BLKGETSIZE64: a block device's size in bytes.
pub fn block_size64<D: AsFd>(dev: D) -> Result<u64, Errno> {
    let mut n = 0u64;
    ioctl(dev, BLKGETSIZE64, &mut n as *mut u64 as usize)?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loop_structs_have_the_kernel_sizes() {
        assert_eq!(core::mem::size_of::<LoopInfo>(), 232);
        assert_eq!(core::mem::size_of::<LoopConfig>(), 304);
    }

    #[test]
    fn kill_zero_checks_a_process() {
        assert_eq!(kill(rustix::process::getpid().as_raw_nonzero().get(), 0), Ok(()));
        assert_eq!(kill(i32::MAX, 0), Err(Errno::SRCH));
    }
}
