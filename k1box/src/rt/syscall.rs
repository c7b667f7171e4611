//! Raw x86-64 Linux system calls: number in rax, arguments in rdi rsi rdx r10 r8, result in
//! rax; the instruction clobbers rcx and r11.
use core::arch::asm;

/// # Safety
/// The call must be valid for the kernel with these arguments (pointers live and sized).
pub unsafe fn syscall1(nr: usize, a: usize) -> usize {
    let ret;
    // SAFETY: the caller vouches for the arguments; the register contract is the kernel's.
    unsafe {
        asm!("syscall", inlateout("rax") nr => ret, in("rdi") a,
            out("rcx") _, out("r11") _, options(nostack));
    }
    ret
}

/// # Safety
/// As `syscall1`.
pub unsafe fn syscall2(nr: usize, a: usize, b: usize) -> usize {
    let ret;
    // SAFETY: as syscall1.
    unsafe {
        asm!("syscall", inlateout("rax") nr => ret, in("rdi") a, in("rsi") b,
            out("rcx") _, out("r11") _, options(nostack));
    }
    ret
}

/// # Safety
/// As `syscall1`.
pub unsafe fn syscall3(nr: usize, a: usize, b: usize, c: usize) -> usize {
    let ret;
    // SAFETY: as syscall1.
    unsafe {
        asm!("syscall", inlateout("rax") nr => ret, in("rdi") a, in("rsi") b, in("rdx") c,
            out("rcx") _, out("r11") _, options(nostack));
    }
    ret
}

/// # Safety
/// As `syscall1`.
pub unsafe fn syscall4(nr: usize, a: usize, b: usize, c: usize, d: usize) -> usize {
    let ret;
    // SAFETY: as syscall1.
    unsafe {
        asm!("syscall", inlateout("rax") nr => ret, in("rdi") a, in("rsi") b, in("rdx") c,
            in("r10") d, out("rcx") _, out("r11") _, options(nostack));
    }
    ret
}

/// # Safety
/// As `syscall1`.
pub unsafe fn syscall5(nr: usize, a: usize, b: usize, c: usize, d: usize, e: usize) -> usize {
    let ret;
    // SAFETY: as syscall1.
    unsafe {
        asm!("syscall", inlateout("rax") nr => ret, in("rdi") a, in("rsi") b, in("rdx") c,
            in("r10") d, in("r8") e, out("rcx") _, out("r11") _, options(nostack));
    }
    ret
}
