//! The runtime: safe wrappers over the system calls rustix keeps private (exit, fork, execve,
//! sigaction, sigprocmask), standard file descriptors, the panic report, and errno texts.
//!
//! With `main.rs` this is the only place with `unsafe`. rustix's own versions of these calls
//! live in its deliberately unstable `runtime` module (meant for libc implementers), so we
//! issue them as raw `syscall` instructions with linux-raw-sys's numbers (DESIGN §3).

pub mod errno;
pub mod kernel;
#[allow(dead_code)]
mod syscall;

use alloc::vec::Vec;
use core::ffi::CStr;
use linux_raw_sys::general as sys;
use rustix::fd::BorrowedFd;
use rustix::io::Errno;
use rustix::process::Pid;

pub use errno::strerror;

/// Ends the process (all threads) with `code`. Buffered output must be flushed first.
pub fn exit(code: i32) -> ! {
    // SAFETY: exit_group takes one integer and never returns.
    unsafe {
        syscall::syscall1(sys::__NR_exit_group as usize, code as usize);
    }
    #[allow(clippy::empty_loop)]
    loop {}
}

/// A standard (or any other inherited) descriptor by number.
///
/// Descriptors 0, 1 and 2 are the process's stdio; when one is closed the system calls on it
/// simply fail with EBADF, which every caller reports, so borrowing it is sound.
pub fn fd(n: i32) -> BorrowedFd<'static> {
    // SAFETY: a BorrowedFd is only a number handed to system calls; using a closed or
    // foreign number yields EBADF or acts on what the caller asked for, never memory unsafety.
    unsafe { BorrowedFd::borrow_raw(n) }
}

/// The process's standard input.
pub fn stdin() -> BorrowedFd<'static> {
    fd(0)
}

/// The process's standard output.
pub fn stdout() -> BorrowedFd<'static> {
    fd(1)
}

/// The process's standard error.
pub fn stderr() -> BorrowedFd<'static> {
    fd(2)
}

fn result(ret: usize) -> Result<usize, Errno> {
    // The kernel returns -4095..-1 for errors.
    if ret > (-4096isize) as usize {
        Err(Errno::from_raw_os_error(-(ret as isize) as i32))
    } else {
        Ok(ret)
    }
}

/// fork(2) as clone(SIGCHLD): `Ok(None)` in the child, `Ok(Some(pid))` in the parent.
pub fn fork() -> Result<Option<Pid>, Errno> {
    // SAFETY: clone with only SIGCHLD and no new stack duplicates the process like fork;
    // k1box has a single thread, so the child's copy of memory is consistent.
    let ret = unsafe { syscall::syscall5(sys::__NR_clone as usize, sys::SIGCHLD as usize, 0, 0, 0, 0) };
    let pid = result(ret)?;
    Ok(Pid::from_raw(pid as i32))
}

/// execve(2). Returns only on failure.
pub fn execve(path: &CStr, argv: &[&CStr], envp: &[&CStr]) -> Errno {
    let mut av: Vec<*const u8> = argv.iter().map(|a| a.as_ptr() as *const u8).collect();
    av.push(core::ptr::null());
    let mut ev: Vec<*const u8> = envp.iter().map(|e| e.as_ptr() as *const u8).collect();
    ev.push(core::ptr::null());
    // SAFETY: path and every element are NUL-terminated strings that outlive the call, and
    // both arrays end with a null pointer as execve requires.
    let ret = unsafe {
        syscall::syscall3(
            sys::__NR_execve as usize,
            path.as_ptr() as usize,
            av.as_ptr() as usize,
            ev.as_ptr() as usize,
        )
    };
    match result(ret) {
        Err(e) => e,
        Ok(_) => Errno::NOEXEC,
    }
}

/// What to do with a signal.
#[derive(Clone, Copy, Debug)]
pub enum Handler {
    Default,
    Ignore,
    /// Run this function; it must only touch atomics (it interrupts the program anywhere).
    Catch(extern "C" fn(i32)),
}

/// The kernel's `struct sigaction` for x86-64 rt_sigaction.
#[repr(C)]
struct KernelSigaction {
    handler: usize,
    flags: u64,
    restorer: usize,
    mask: u64,
}

core::arch::global_asm!(
    ".globl k1box_sigreturn",
    ".type k1box_sigreturn,@function",
    "k1box_sigreturn:",
    "mov eax, {nr}",
    "syscall",
    "ud2",
    nr = const sys::__NR_rt_sigreturn,
);

extern "C" {
    fn k1box_sigreturn();
}

/// Installs `handler` for signal `sig` and returns the previous disposition (a previous
/// handler that was not ours is reported as `Default`). Caught signals restart slow system
/// calls unless `restart` is false (then they fail with EINTR, which a shell's wait needs).
pub fn set_signal(sig: i32, handler: Handler, restart: bool) -> Result<Handler, Errno> {
    let h = match handler {
        Handler::Default => 0,
        Handler::Ignore => 1,
        Handler::Catch(f) => f as *const () as usize,
    };
    let mut flags = sys::SA_RESTORER as u64;
    if restart {
        flags |= sys::SA_RESTART as u64;
    }
    let new = KernelSigaction { handler: h, flags, restorer: k1box_sigreturn as *const () as usize, mask: 0 };
    let mut old = KernelSigaction { handler: 0, flags: 0, restorer: 0, mask: 0 };
    // SAFETY: both structs have the kernel's layout and live across the call; the restorer
    // issues rt_sigreturn as the x86-64 ABI requires, and handlers are plain extern "C" fns.
    let ret = unsafe {
        syscall::syscall4(
            sys::__NR_rt_sigaction as usize,
            sig as usize,
            &new as *const KernelSigaction as usize,
            &mut old as *mut KernelSigaction as usize,
            8,
        )
    };
    result(ret)?;
    Ok(match old.handler {
        0 => Handler::Default,
        1 => Handler::Ignore,
        _ => Handler::Default,
    })
}

/// How `sigprocmask` changes the blocked set.
#[derive(Clone, Copy)]
pub enum MaskHow {
    Block = 0,
    Unblock = 1,
    Set = 2,
}

/// A set of signals (1..=64) as the kernel's 64-bit mask.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct SigSet(pub u64);

impl SigSet {
    pub fn with(mut self, sig: i32) -> Self {
        self.0 |= 1u64 << (sig - 1);
        self
    }
    pub fn has(self, sig: i32) -> bool {
        self.0 & (1u64 << (sig - 1)) != 0
    }
}

/// Changes the blocked signals and returns the previous set.
pub fn sigprocmask(how: MaskHow, set: SigSet) -> Result<SigSet, Errno> {
    let mut old = 0u64;
    // SAFETY: pointers to two u64 masks of the kernel's sigset size (8) that outlive the call.
    let ret = unsafe {
        syscall::syscall4(
            sys::__NR_rt_sigprocmask as usize,
            how as usize,
            &set.0 as *const u64 as usize,
            &mut old as *mut u64 as usize,
            8,
        )
    };
    result(ret)?;
    Ok(SigSet(old))
}

/// The panic handler's report: `k1box: internal error: MESSAGE (file:line)`, exit 134.
pub fn internal_error(info: &core::panic::PanicInfo) -> ! {
    use core::fmt::Write;
    struct Stack {
        buf: [u8; 512],
        len: usize,
    }
    impl Write for Stack {
        fn write_str(&mut self, s: &str) -> core::fmt::Result {
            let n = s.len().min(self.buf.len() - self.len);
            self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
            self.len += n;
            Ok(())
        }
    }
    let mut m = Stack { buf: [0; 512], len: 0 };
    let _ = write!(m, "k1box: internal error: {}", info.message());
    if let Some(loc) = info.location() {
        let _ = write!(m, " ({}:{})", loc.file(), loc.line());
    }
    let _ = m.write_str("\n");
    let _ = rustix::io::write(stderr(), &m.buf[..m.len]);
    exit(134)
}

/// dup2(2) by number: makes `new` a copy of `old` (the shell's redirections need numbers).
pub fn dup2(old: i32, new: i32) -> Result<(), Errno> {
    if old == new {
        // dup3 refuses equal numbers; dup2 checks that the descriptor is open and succeeds.
        return rustix::io::fcntl_getfd(fd(old)).map(|_| ());
    }
    // SAFETY: dup3 takes two integers and flags; no memory is passed.
    let ret = unsafe { syscall::syscall3(sys::__NR_dup3 as usize, old as usize, new as usize, 0) };
    result(ret).map(|_| ())
}

/// close(2) by number.
pub fn close(n: i32) -> Result<(), Errno> {
    // SAFETY: close takes one integer; closing a number we do not own is the caller's intent.
    let ret = unsafe { syscall::syscall1(sys::__NR_close as usize, n as usize) };
    result(ret).map(|_| ())
}

/// The wall-clock time (CLOCK_REALTIME) as seconds and nanoseconds since the epoch, by a
/// plain system call: rustix's vDSO path costs ~2.5 KB of code that a clock read once per
/// command does not need.
pub fn now() -> (i64, u32) {
    let mut ts = sys::__kernel_timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes one __kernel_timespec to the pointer, which is live and
    // sized for it; CLOCK_REALTIME always exists.
    let ret = unsafe {
        syscall::syscall2(
            sys::__NR_clock_gettime as usize,
            sys::CLOCK_REALTIME as usize,
            &mut ts as *mut sys::__kernel_timespec as usize,
        )
    };
    match result(ret) {
        Ok(_) => (ts.tv_sec, ts.tv_nsec as u32),
        Err(_) => (0, 0),
    }
}

/// How many bytes of `hay` equal `needle`, sixteen at a time with SSE2 (part of the x86-64
/// baseline): `wc -l` and friends. Safe Rust cannot load a vector from a slice.
pub fn count_byte(hay: &[u8], needle: u8) -> usize {
    use core::arch::x86_64::*;
    let mut n = 0usize;
    // Four accumulators (independent chains); a lane counts at most 255 matches before the
    // sums are taken.
    let mut blocks = hay.chunks_exact(64 * 255);
    // SAFETY: SSE2 is always present on x86-64 (the target baseline), and each unaligned
    // load reads 16 bytes inside a `chunks_exact(64)` piece (offsets 0, 16, 32, 48).
    unsafe {
        let want = _mm_set1_epi8(needle as i8);
        let zero = _mm_setzero_si128();
        let hits =
            |c: &[u8], at: usize| _mm_cmpeq_epi8(_mm_loadu_si128(c.as_ptr().add(at) as *const __m128i), want);
        for block in &mut blocks {
            let (mut a, mut b, mut c, mut d) = (zero, zero, zero, zero);
            for x in block.chunks_exact(64) {
                // A match is -1 in its lane: subtracting counts it.
                a = _mm_sub_epi8(a, hits(x, 0));
                b = _mm_sub_epi8(b, hits(x, 16));
                c = _mm_sub_epi8(c, hits(x, 32));
                d = _mm_sub_epi8(d, hits(x, 48));
            }
            let s = _mm_add_epi64(
                _mm_add_epi64(_mm_sad_epu8(a, zero), _mm_sad_epu8(b, zero)),
                _mm_add_epi64(_mm_sad_epu8(c, zero), _mm_sad_epu8(d, zero)),
            );
            n += (_mm_cvtsi128_si64(s) + _mm_cvtsi128_si64(_mm_unpackhi_epi64(s, s))) as usize;
        }
    }
    n + blocks.remainder().iter().filter(|&&c| c == needle).count()
}
