//! k1box program start: `_start`, the C memory symbols, the allocator and the panic handler.
//!
//! Together with `rt/` this is the only place with `unsafe`. Everything here exists because
//! k1box links no libc: the kernel enters at `_start` with argc, argv, envp and auxv on the
//! stack, and we hand them to the safe library (`k1box::run`) as byte slices.
#![cfg_attr(not(test), no_std)]
#![cfg_attr(not(test), no_main)]

// `cargo clippy --all-targets` also builds the binary as a test harness on std; there the
// program start below must not exist.
#[cfg(test)]
fn main() {}

#[cfg(not(test))]
extern crate alloc;

/// The program-start pieces (only in the real, no_std binary).
#[cfg(not(test))]
mod start {
    use alloc::vec::Vec;
    use core::alloc::{GlobalAlloc, Layout};
    use core::arch::global_asm;
    use core::sync::atomic::{AtomicPtr, Ordering::Relaxed};

    #[global_allocator]
    static ALLOCATOR: SmallFirst = SmallFirst;

    /// dlmalloc behind free lists of small blocks (up to 128 bytes, in steps of 16): the shell
    /// makes and drops many short strings per command, and a free list hands one back in a
    /// few instructions. Freed small blocks stay on their list for the next of their size.
    /// k1box has one thread and its signal handlers do not allocate, so the lists need no lock.
    struct SmallFirst;

    static DL: rustix_dlmalloc::GlobalDlmalloc = rustix_dlmalloc::GlobalDlmalloc;
    const CLASSES: usize = 8;
    static FREE: [AtomicPtr<u8>; CLASSES] = [const { AtomicPtr::new(core::ptr::null_mut()) }; CLASSES];

    /// The free list for blocks of this layout, if small.
    fn class(l: Layout) -> Option<usize> {
        let c = l.size().wrapping_sub(1) / 16;
        (c < CLASSES && l.align() <= 16).then_some(c)
    }

    // SAFETY: blocks come from dlmalloc; a small one is always taken from and given back as
    // the whole block of its class (16 * (class + 1) bytes, 16-aligned), so every pointer on a
    // list is a free block at least as large and aligned as the layouts of that class.
    unsafe impl GlobalAlloc for SmallFirst {
        unsafe fn alloc(&self, l: Layout) -> *mut u8 {
            let Some(c) = class(l) else {
                // SAFETY: the caller's layout contract passes through.
                return unsafe { DL.alloc(l) };
            };
            let head = FREE[c].load(Relaxed);
            if head.is_null() {
                // SAFETY: a non-zero size and a power-of-two alignment.
                return unsafe { DL.alloc(Layout::from_size_align_unchecked(16 * (c + 1), 16)) };
            }
            // SAFETY: a free block on the list holds the next one in its first word.
            FREE[c].store(unsafe { *(head as *mut *mut u8) }, Relaxed);
            head
        }

        unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
            match class(l) {
                Some(c) => {
                    // SAFETY: p is a block of class c that the caller gives up: it is at least
                    // 16 bytes and 16-aligned, so its first word can hold the list link.
                    unsafe { *(p as *mut *mut u8) = FREE[c].load(Relaxed) };
                    FREE[c].store(p, Relaxed);
                }
                // SAFETY: a large block, from DL with this layout.
                None => unsafe { DL.dealloc(p, l) },
            }
        }

        unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
            // SAFETY: as alloc; dlmalloc knows when fresh memory is already zero.
            unsafe {
                if class(l).is_none() {
                    return DL.alloc_zeroed(l);
                }
                let p = self.alloc(l);
                if !p.is_null() {
                    core::ptr::write_bytes(p, 0, l.size());
                }
                p
            }
        }

        unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
            // SAFETY: the caller's contract: p is a live block of layout l, new is non-zero
            // and within isize with l's alignment.
            unsafe {
                let nl = Layout::from_size_align_unchecked(new, l.align());
                match (class(l), class(nl)) {
                    (Some(a), Some(b)) if a == b => p,
                    (None, None) => DL.realloc(p, l, new),
                    _ => {
                        let q = self.alloc(nl);
                        if !q.is_null() {
                            core::ptr::copy_nonoverlapping(p, q, l.size().min(new));
                            self.dealloc(p, l);
                        }
                        q
                    }
                }
            }
        }
    }

    // The kernel starts us with rsp pointing at argc. Clear the frame pointer (end of the call
    // chain), pass the stack pointer as the first argument and realign to 16 bytes for the ABI.
    global_asm!(
        ".globl _start",
        ".type _start,@function",
        "_start:",
        "xor ebp, ebp",
        "mov rdi, rsp",
        "and rsp, -16",
        "call {entry}",
        "ud2",
        entry = sym start_rust,
    );

    /// Reads argc/argv/envp from the initial stack and runs the multicall dispatcher.
    ///
    /// # Safety
    /// Called once, from `_start`, with the stack pointer the kernel gave the process.
    unsafe extern "C" fn start_rust(sp: *const usize) -> ! {
        // SAFETY: the System V ABI initial stack is argc, argv[argc] NULL, envp[] NULL, auxv.
        // Every pointer in argv and envp is a NUL-terminated string that lives for the whole
        // process, so 'static byte slices over them are sound.
        let (args, env) = unsafe {
            let argc = *sp;
            let argv = sp.add(1) as *const *const u8;
            let mut args: Vec<&'static [u8]> = Vec::with_capacity(argc);
            for i in 0..argc {
                args.push(c_bytes(*argv.add(i)));
            }
            let mut envp = argv.add(argc + 1);
            let mut env: Vec<&'static [u8]> = Vec::new();
            while !(*envp).is_null() {
                env.push(c_bytes(*envp));
                envp = envp.add(1);
            }
            (args, env)
        };
        let code = k1box::run(&args, &env);
        k1box::rt::exit(code)
    }

    /// The bytes of a NUL-terminated string, without the NUL.
    ///
    /// # Safety
    /// `p` points at a NUL-terminated string that is never freed or changed.
    unsafe fn c_bytes(p: *const u8) -> &'static [u8] {
        // SAFETY: the caller promises a live, terminated string.
        unsafe { core::slice::from_raw_parts(p, strlen(p)) }
    }

    #[panic_handler]
    fn panic(info: &core::panic::PanicInfo) -> ! {
        k1box::rt::internal_error(info)
    }

    // The C symbols the compiler emits calls to. The sysroot's compiler_builtins defines them
    // only under mangled names, so a program without libc must provide them. The string
    // instructions keep LLVM from recognising the loops and turning them back into calls.

    /// # Safety
    /// As C's memcpy: `n` bytes readable at `src`, writable at `dst`, not overlapping.
    #[no_mangle]
    pub unsafe extern "C" fn memcpy(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
        // SAFETY: rep movsb copies exactly rcx bytes forward; the caller guarantees the ranges.
        unsafe {
            core::arch::asm!("rep movsb", inout("rcx") n => _, inout("rdi") dst => _,
                inout("rsi") src => _, options(nostack, preserves_flags));
        }
        dst
    }

    /// # Safety
    /// As C's memmove: `n` bytes readable at `src`, writable at `dst`; the ranges may overlap.
    #[no_mangle]
    pub unsafe extern "C" fn memmove(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
        if (dst as usize).wrapping_sub(src as usize) >= n {
            // SAFETY: copying forward is safe when dst does not start inside [src, src+n).
            unsafe { memcpy(dst, src, n) }
        } else {
            // SAFETY: overlapping with dst after src: copy backwards with the direction flag
            // set, from the last byte, and clear it again as the ABI requires.
            unsafe {
                core::arch::asm!("std", "rep movsb", "cld", inout("rcx") n => _,
                    inout("rdi") dst.add(n - 1) => _, inout("rsi") src.add(n - 1) => _,
                    options(nostack));
            }
            dst
        }
    }

    /// # Safety
    /// As C's memset: `n` bytes writable at `dst`.
    #[no_mangle]
    pub unsafe extern "C" fn memset(dst: *mut u8, c: i32, n: usize) -> *mut u8 {
        // SAFETY: rep stosb stores al into exactly rcx bytes; the caller guarantees the range.
        unsafe {
            core::arch::asm!("rep stosb", inout("rcx") n => _, inout("rdi") dst => _,
                in("al") c as u8, options(nostack, preserves_flags));
        }
        dst
    }

    /// # Safety
    /// As C's memcmp: `n` bytes readable at both pointers.
    #[no_mangle]
    pub unsafe extern "C" fn memcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
        let mut i = 0;
        // Eight bytes at a time; byte-swapped words compare like the bytes in order.
        while i + 8 <= n {
            // SAFETY: i + 8 <= n, and the caller guarantees n readable bytes at each pointer;
            // read_unaligned has no alignment requirement.
            let (x, y) = unsafe {
                ((a.add(i) as *const u64).read_unaligned(), (b.add(i) as *const u64).read_unaligned())
            };
            if x != y {
                return if x.swap_bytes() < y.swap_bytes() { -1 } else { 1 };
            }
            i += 8;
            // SAFETY: an empty asm statement: a barrier that keeps LLVM from calling memcmp here.
            unsafe { core::arch::asm!("", options(nostack, preserves_flags)) };
        }
        while i < n {
            // SAFETY: i < n and the caller guarantees n readable bytes at each pointer.
            let (x, y) = unsafe { (*a.add(i), *b.add(i)) };
            if x != y {
                return x as i32 - y as i32;
            }
            i += 1;
            // SAFETY: as above.
            unsafe { core::arch::asm!("", options(nostack, preserves_flags)) };
        }
        0
    }

    /// # Safety
    /// As C's bcmp: `n` bytes readable at both pointers.
    #[no_mangle]
    pub unsafe extern "C" fn bcmp(a: *const u8, b: *const u8, n: usize) -> i32 {
        // SAFETY: same contract as memcmp.
        unsafe { memcmp(a, b, n) }
    }

    /// # Safety
    /// As C's strlen: `s` points at a NUL-terminated string.
    #[no_mangle]
    pub unsafe extern "C" fn strlen(s: *const u8) -> usize {
        let mut n = 0;
        // SAFETY: the caller guarantees a terminator, so every byte up to it is readable.
        while unsafe { *s.add(n) } != 0 {
            n += 1;
            // SAFETY: an empty asm barrier, as in memcmp.
            unsafe { core::arch::asm!("", options(nostack, preserves_flags)) };
        }
        n
    }

    /// Never called: k1box is built with panic=abort, but the prebuilt `core` references it.
    #[no_mangle]
    pub extern "C" fn rust_eh_personality() {}

    /// Never called, for the same reason as `rust_eh_personality`.
    #[no_mangle]
    pub extern "C" fn _Unwind_Resume() -> ! {
        k1box::rt::exit(134)
    }
}
