//! Link the k1box binary without the C start files: main.rs brings its own `_start`.
//! The `-bins` form keeps the library's test harness an ordinary host program.
fn main() {
    println!("cargo:rustc-link-arg-bins=-nostartfiles");
    println!("cargo:rerun-if-changed=build.rs");
}
