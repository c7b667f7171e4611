//! The multicall binary itself: no libc, dispatch, --list, --install, --help.
use behaviour_tests::*;
use std::process::Command;

#[test]
fn binary_is_static_without_interpreter_or_dynamic_section() {
    let exe = k1box();
    let l = Command::new("readelf").arg("-lW").arg(&exe).output().unwrap();
    let l = String::from_utf8_lossy(&l.stdout);
    assert!(!l.contains("INTERP"), "has a program interpreter:\n{l}");
    assert!(!l.contains("DYNAMIC"), "has a dynamic segment:\n{l}");
    let d = Command::new("readelf").arg("-d").arg(&exe).output().unwrap();
    assert!(String::from_utf8_lossy(&d.stdout).contains("no dynamic section"));
}

#[test]
fn unstripped_build_has_no_undefined_symbols() {
    let p = k1box().with_file_name("k1box.unstripped");
    assert!(p.exists(), "{} missing: `make build` makes it", p.display());
    let nm = Command::new("nm").arg("-u").arg(&p).output().unwrap();
    assert!(nm.status.success());
    assert_eq!(String::from_utf8_lossy(&nm.stdout).trim(), "", "undefined symbols");
}

#[test]
fn list_is_sorted_one_per_line() {
    let o = Command::new(k1box()).arg("--list").output().unwrap();
    let text = String::from_utf8(o.stdout).unwrap();
    let names: Vec<&str> = text.lines().collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert!(names.contains(&"echo") && names.contains(&"true"));
}

#[test]
fn dispatch_by_first_argument_and_by_link_name() {
    let t = Sandbox::new();
    let o = Command::new(k1box()).args(["echo", "a", "b"]).output().unwrap();
    assert_eq!(o.stdout, b"a b\n");
    assert_eq!(t.run("echo", &["hi"]).ok(), "hi\n");
}

#[test]
fn login_shell_dash_is_stripped() {
    let t = Sandbox::new();
    std::os::unix::fs::symlink(k1box(), t.root.join("-echo")).unwrap();
    let o = Command::new(t.root.join("-echo")).arg("x").output().unwrap();
    assert_eq!(o.stdout, b"x\n");
}

#[test]
fn unknown_applet_exits_127() {
    let o = Command::new(k1box()).arg("frobnicate").output().unwrap();
    assert_eq!(o.status.code(), Some(127));
    assert_eq!(String::from_utf8_lossy(&o.stderr), "k1box: applet not found: frobnicate\n");
}

#[test]
fn help_lists_applets() {
    let o = Command::new(k1box()).output().unwrap();
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("Usage: k1box APPLET"));
    assert!(text.contains("echo"));
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn install_makes_symlinks_or_hard_links() {
    let t = Sandbox::new();
    let s = t.path("s");
    let h = t.path("h");
    std::fs::create_dir(&s).unwrap();
    std::fs::create_dir(&h).unwrap();
    let o = Command::new(k1box()).arg("--install").arg("-s").arg(&s).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(std::fs::symlink_metadata(s.join("echo")).unwrap().file_type().is_symlink());
    let o = Command::new(k1box()).arg("--install").arg(&h).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let m = std::fs::symlink_metadata(h.join("true")).unwrap();
    assert!(m.file_type().is_file());
    // Installing again over our own links is fine.
    let o = Command::new(k1box()).arg("--install").arg("-s").arg(&s).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let o = Command::new(h.join("echo")).arg("linked").output().unwrap();
    assert_eq!(o.stdout, b"linked\n");
}

#[test]
fn write_error_on_full_device_is_reported() {
    let t = Sandbox::new();
    let r = t.sh("$B/echo hello > /dev/full");
    r.fails(1, "echo: write error: No space left on device");
}

#[test]
fn closed_pipe_ends_quietly() {
    let t = Sandbox::new();
    let r = t.sh("yes 2>err | head -1; cat err");
    assert_eq!(r.text(), "y\n");
}
