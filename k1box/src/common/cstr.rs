//! NUL-terminated paths for system calls.
//!
//! rustix accepts `&[u8]` paths, but converts each at every call site through a generic
//! stack-buffer routine (a few hundred bytes of code per call). Applets that make many
//! path calls convert once here and hand rustix a `&CStr`, which costs nothing.
use alloc::ffi::CString;

/// `p` with a NUL appended. Operands and directory entries cannot hold a NUL; if one
/// did, the result is the empty path, which every system call refuses (ENOENT).
pub fn c(p: &[u8]) -> CString {
    CString::new(p).unwrap_or_default()
}
