//! File operations: rm, ln, mkdir, rmdir, pwd, sync, sleep, basename, dirname.
use behaviour_tests::*;
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::time::{Duration, Instant};

fn exists(p: &Path) -> bool {
    fs::symlink_metadata(p).is_ok()
}

fn mode(p: &Path) -> u32 {
    fs::metadata(p).unwrap().mode() & 0o7777
}

/// GNU's messages name the program as it was run (`/usr/bin/rm: ...`): drop the directory.
fn unpath(s: &str) -> String {
    s.replace("/usr/bin/", "").replace("/bin/", "")
}

fn link_text(p: &Path) -> String {
    fs::read_link(p).unwrap().to_string_lossy().into_owned()
}

// ---------------------------------------------------------------- rm

#[test]
fn rm_removes_files_and_reports_missing_ones() {
    let t = Sandbox::new();
    t.write("a", "x");
    t.run("rm", &["a", "nope"]).fails(1, "rm: nope: No such file or directory\n");
    assert!(!exists(&t.path("a")));
    assert_eq!(t.gnu("rm", &["nope"], b"").code, Some(1));
}

#[test]
fn rm_without_operands_is_a_usage_error_unless_forced() {
    let t = Sandbox::new();
    t.run("rm", &[]).fails(1, "rm: missing operand");
    assert_eq!(t.run("rm", &["-f"]).ok(), "");
}

#[test]
fn rm_f_ignores_missing_files_silently() {
    let t = Sandbox::new();
    t.write("f", "");
    let r = t.run("rm", &["-f", "nope", "f", "f/x", "gone/x"]);
    assert_eq!((r.code, r.err.as_str()), (Some(0), ""));
    assert_eq!(t.gnu("rm", &["-f", "nope", "gone/x"], b"").code, Some(0));
}

#[test]
fn rm_refuses_directories_without_r_or_d() {
    let t = Sandbox::new();
    fs::create_dir(t.path("d")).unwrap();
    t.run("rm", &["d"]).fails(1, "rm: d: Is a directory\n");
    assert!(exists(&t.path("d")));
    assert_eq!(t.gnu("rm", &["d"], b"").code, Some(1));
}

#[test]
fn rm_d_removes_only_empty_directories() {
    let t = Sandbox::new();
    fs::create_dir(t.path("empty")).unwrap();
    t.write("full/f", "");
    t.run("rm", &["-d", "empty", "full"]).fails(1, "rm: full: Directory not empty\n");
    assert!(!exists(&t.path("empty")));
    assert!(exists(&t.path("full/f")));
}

#[test]
fn rm_r_removes_a_tree_and_never_follows_symbolic_links() {
    let t = Sandbox::new();
    t.write("outside/keep", "precious");
    t.write("tree/a/b/c/file", "x");
    t.write("tree/top", "");
    fs::create_dir(t.path("tree/a/empty")).unwrap();
    std::os::unix::fs::symlink(t.path("outside"), t.path("tree/a/link")).unwrap();
    std::os::unix::fs::symlink("../../outside", t.path("tree/a/b/rel")).unwrap();
    t.run("rm", &["-r", "tree"]).ok();
    assert!(!exists(&t.path("tree")));
    assert_eq!(t.read("outside/keep"), b"precious");
}

#[test]
fn rm_r_on_a_symbolic_link_to_a_directory_removes_the_link() {
    let t = Sandbox::new();
    t.write("dir/f", "");
    std::os::unix::fs::symlink("dir", t.path("l")).unwrap();
    t.run("rm", &["-r", "l"]).ok();
    assert!(!exists(&t.path("l")));
    assert!(exists(&t.path("dir/f")));
}

#[test]
fn rm_rv_reports_like_gnu() {
    let t = Sandbox::new();
    let make = || {
        t.write("d/x/y", "1");
    };
    make();
    let ours = t.run("rm", &["-rv", "d"]);
    make();
    let gnu = t.gnu("rm", &["-rv", "d"], b"");
    assert_eq!(ours.ok(), gnu.ok());
    assert_eq!(ours.text(), "removed 'd/x/y'\nremoved directory 'd/x'\nremoved directory 'd'\n");
    make();
    let ours = t.run("rm", &["-rv", "d//"]);
    make();
    assert_eq!(ours.ok(), t.gnu("rm", &["-rv", "d//"], b"").ok());
}

#[test]
fn rm_v_names_files_byte_for_byte() {
    use std::os::unix::ffi::OsStrExt;
    let t = Sandbox::new();
    let name = std::ffi::OsStr::from_bytes(b"bin\xff\x01ary");
    fs::write(t.dir.join(name), "").unwrap();
    let mut c = std::process::Command::new(t.bin.join("rm"));
    let o = c.current_dir(&t.dir).arg("-v").arg(name).output().unwrap();
    assert_eq!(o.stdout, b"removed 'bin\xff\x01ary'\n");
    assert!(!exists(&t.dir.join(name)));
}

#[test]
fn rm_refuses_dot_and_dotdot() {
    let t = Sandbox::new();
    fs::create_dir(t.path("d")).unwrap();
    for op in [".", "..", "./", "d/.."] {
        let r = t.run("rm", &["-rf", op]);
        r.fails(1, &format!("rm: refusing to remove '.' or '..' directory: skipping '{op}'"));
        assert_eq!(t.gnu("rm", &["-rf", op], b"").code, Some(1));
    }
    assert!(exists(&t.path("d")));
}

#[test]
fn rm_refuses_the_root_directory() {
    if !is_root() {
        return; // needs chroot
    }
    // In a chroot of the sandbox, so that a failed check could only hurt the sandbox.
    let t = Sandbox::new();
    fs::copy(k1box(), t.path("rm")).unwrap();
    t.write("victim", "x");
    for root in ["/", "//"] {
        let r = t.sh(&format!("/usr/sbin/chroot . /rm -rf {root}"));
        r.fails(1, "rm: it is dangerous to operate recursively on '");
        assert!(r.err.contains("rm: use --no-preserve-root to override this failsafe"), "{}", r.err);
    }
    assert!(exists(&t.path("victim")));
}

#[test]
fn rm_i_asks_before_each_file_like_gnu() {
    let t = Sandbox::new();
    let make = || {
        t.write("a", "");
        t.write("b", "data");
        let _ = std::os::unix::fs::symlink("a", t.path("l"));
    };
    make();
    let ours = t.run_with("rm", &["-i", "a", "b", "l"], b"y\nno\nYes\n");
    assert_eq!(ours.code, Some(0));
    assert!(!exists(&t.path("a")) && exists(&t.path("b")) && !exists(&t.path("l")));
    make();
    let gnu = t.gnu("rm", &["-i", "a", "b", "l"], b"y\nno\nYes\n");
    assert_eq!(ours.err, unpath(&gnu.err));
    assert_eq!(
        ours.err,
        "rm: remove regular empty file 'a'? rm: remove regular file 'b'? rm: remove symbolic link 'l'? "
    );
}

#[test]
fn rm_ri_asks_to_descend_and_to_remove_directories() {
    let t = Sandbox::new();
    t.write("d/x/y", "");
    let ours = t.run_with("rm", &["-ri", "d"], b"y\ny\ny\ny\ny\n");
    assert_eq!(ours.code, Some(0));
    assert!(!exists(&t.path("d")));
    t.write("d/x/y", "");
    let gnu = t.gnu("rm", &["-ri", "d"], b"y\ny\ny\ny\ny\n");
    assert_eq!(ours.err, unpath(&gnu.err));
    // Empty directories are asked about once.
    let make = || {
        fs::create_dir_all(t.path("e")).unwrap();
        fs::create_dir_all(t.path("d/sub")).unwrap();
    };
    make();
    let ours = t.run_with("rm", &["-ri", "e", "d"], b"y\ny\ny\ny\n");
    assert!(!exists(&t.path("e")) && !exists(&t.path("d")));
    make();
    assert_eq!(ours.err, unpath(&t.gnu("rm", &["-ri", "e", "d"], b"y\ny\ny\ny\n").err));
    // Refusing the file keeps its directories.
    t.write("d/x/y", "");
    t.run_with("rm", &["-ri", "d"], b"y\ny\nn\n").ok();
    assert!(exists(&t.path("d/x/y")));
}

#[test]
fn rm_capital_i_asks_once_for_many_files_or_recursion() {
    let t = Sandbox::new();
    for f in ["a", "b", "c", "d"] {
        t.write(f, "");
    }
    let r = t.run_with("rm", &["-I", "a", "b", "c", "d"], b"n\n");
    assert_eq!((r.code, r.err.as_str()), (Some(0), "rm: remove 4 arguments? "));
    assert!(exists(&t.path("a")));
    t.run_with("rm", &["-I", "a", "b", "c", "d"], b"y\n").ok();
    assert!(!exists(&t.path("a")) && !exists(&t.path("d")));
    t.write("e", "");
    let r = t.run_with("rm", &["-I", "e"], b"");
    assert_eq!((r.code, r.err.as_str()), (Some(0), ""), "three or fewer: no question");
    assert!(!exists(&t.path("e")));
    t.write("dir/f", "");
    let r = t.run_with("rm", &["-rI", "dir"], b"n\n");
    assert_eq!(r.err, "rm: remove 1 argument recursively? ");
    assert!(exists(&t.path("dir/f")));
}

#[test]
fn rm_asks_about_write_protected_files_only_on_a_terminal() {
    // As nobody (root may write anything), on a terminal from script(1).
    let tools = ["/usr/bin/script", "/usr/bin/setpriv"];
    if !is_root() || !tools.iter().all(|p| Path::new(p).exists()) {
        return;
    }
    let t = Sandbox::new();
    t.write("pub/ro", "");
    t.write("pub/ro2", "data");
    fs::set_permissions(t.path("pub"), fs::Permissions::from_mode(0o777)).unwrap();
    for f in ["pub/ro", "pub/ro2"] {
        fs::set_permissions(t.path(f), fs::Permissions::from_mode(0o444)).unwrap();
    }
    let nobody = "setpriv --reuid=65534 --regid=65534 --clear-groups";
    let on_tty = |args: &str, answer: &str| {
        t.sh(&format!("printf '{answer}' | script -qec \"{nobody} $B/rm {args}\" /dev/null"))
    };
    let r = on_tty("pub/ro", "n\\n");
    assert!(r.text().contains("rm: remove write-protected regular empty file 'pub/ro'? "), "{}", r.text());
    assert!(exists(&t.path("pub/ro")));
    on_tty("pub/ro", "y\\n");
    assert!(!exists(&t.path("pub/ro")));
    let r = on_tty("-f pub/ro2", "");
    assert!(!r.text().contains("write-protected"), "{}", r.text());
    assert!(!exists(&t.path("pub/ro2")));
    // Not a terminal: no question.
    t.write("pub/ro3", "");
    fs::set_permissions(t.path("pub/ro3"), fs::Permissions::from_mode(0o444)).unwrap();
    let r = t.sh(&format!("{nobody} $B/rm pub/ro3 < /dev/null"));
    assert_eq!((r.code, r.err.as_str()), (Some(0), ""));
    assert!(!exists(&t.path("pub/ro3")));
}

#[test]
fn rm_r_reports_what_it_cannot_remove_once_and_goes_on() {
    if !is_root() || !Path::new("/usr/bin/setpriv").exists() {
        return;
    }
    let t = Sandbox::new();
    t.write("pub/locked/f", "");
    t.write("pub/free/g", "");
    t.write("pub/z", "");
    fs::set_permissions(t.path("pub"), fs::Permissions::from_mode(0o777)).unwrap();
    fs::set_permissions(t.path("pub/free"), fs::Permissions::from_mode(0o777)).unwrap();
    let r = t.sh("setpriv --reuid=65534 --regid=65534 --clear-groups $B/rm -rf pub");
    assert_eq!(r.code, Some(1));
    assert_eq!(r.err, "rm: pub/locked/f: Permission denied\n");
    assert!(exists(&t.path("pub/locked/f")));
    assert!(!exists(&t.path("pub/free")) && !exists(&t.path("pub/z")));
}

#[test]
fn rm_f_after_i_never_asks() {
    let t = Sandbox::new();
    t.write("a", "");
    let r = t.run("rm", &["-i", "-f", "a"]);
    assert_eq!((r.code, r.err.as_str()), (Some(0), ""));
    assert!(!exists(&t.path("a")));
}

/// Builds a chain of directories deeper than PATH_MAX allows to name at once, by nesting
/// chains of 1000 (each rename's paths stay short).
fn deep_tree(t: &Sandbox, top: &str, chains: usize) {
    let chain: String = vec!["d"; 1000].join("/");
    fs::create_dir_all(t.path(&format!("c0/{chain}"))).unwrap();
    fs::write(t.path(&format!("c0/{chain}/bottom")), "x").unwrap();
    for i in 1..chains {
        fs::create_dir_all(t.path(&format!("c{i}/{chain}"))).unwrap();
        fs::rename(t.path(&format!("c{}", i - 1)), t.path(&format!("c{i}/{chain}/c{}", i - 1))).unwrap();
    }
    fs::rename(t.path(&format!("c{}", chains - 1)), t.path(top)).unwrap();
}

#[test]
fn rm_r_removes_trees_deeper_than_path_max_with_few_descriptors() {
    let t = Sandbox::new();
    deep_tree(&t, "deep", 5);
    // A low descriptor limit: the walk must not keep one open per level.
    let r = t.sh("ulimit -n 24; $B/rm -r deep");
    assert_eq!(r.code, Some(0), "{}", r.err);
    assert!(!exists(&t.path("deep")));
}

#[test]
fn rm_v_on_a_full_disk_reports_the_write_error() {
    let t = Sandbox::new();
    t.write("a", "");
    t.sh("$B/rm -v a > /dev/full").fails(1, "rm: write error: No space left on device");
    assert!(!exists(&t.path("a")));
}

#[test]
fn rm_unknown_option_is_a_usage_error() {
    let t = Sandbox::new();
    t.run("rm", &["-Z", "x"]).fails(1, "rm: invalid option -- 'Z'");
    assert!(t.run("rm", &["--help"]).ok().starts_with("Usage: rm"));
}

// ---------------------------------------------------------------- ln

#[test]
fn ln_makes_hard_links() {
    let t = Sandbox::new();
    t.write("a", "data");
    t.run("ln", &["a", "b"]).ok();
    assert_eq!(fs::metadata(t.path("a")).unwrap().ino(), fs::metadata(t.path("b")).unwrap().ino());
    t.run("ln", &["a", "b"]).fails(1, "ln: b: File exists\n");
    assert_eq!(t.gnu("ln", &["a", "b"], b"").code, Some(1));
}

#[test]
fn ln_hard_links_symbolic_links_themselves_unless_l() {
    let t = Sandbox::new();
    t.write("f", "");
    std::os::unix::fs::symlink("f", t.path("s")).unwrap();
    t.run("ln", &["s", "p"]).ok();
    assert!(fs::symlink_metadata(t.path("p")).unwrap().file_type().is_symlink());
    t.run("ln", &["-L", "s", "q"]).ok();
    assert_eq!(fs::symlink_metadata(t.path("q")).unwrap().ino(), fs::metadata(t.path("f")).unwrap().ino());
}

#[test]
fn ln_s_makes_symbolic_links_with_the_text_given() {
    let t = Sandbox::new();
    t.run("ln", &["-s", "no/such/target", "l"]).ok();
    assert_eq!(link_text(&t.path("l")), "no/such/target");
    t.run("ln", &["-s", "x", "l"]).fails(1, "ln: l: File exists\n");
}

#[test]
fn ln_with_one_operand_links_into_the_current_directory() {
    let t = Sandbox::new();
    t.write("sub/file", "");
    t.run("ln", &["-s", "sub/file"]).ok();
    assert_eq!(link_text(&t.path("file")), "sub/file");
}

#[test]
fn ln_links_into_a_directory_and_with_t() {
    let t = Sandbox::new();
    t.write("a", "");
    t.write("b", "");
    fs::create_dir(t.path("d")).unwrap();
    fs::create_dir(t.path("e")).unwrap();
    t.run("ln", &["a", "b", "d"]).ok();
    assert!(exists(&t.path("d/a")) && exists(&t.path("d/b")));
    t.run("ln", &["-s", "-t", "e", "a", "b"]).ok();
    assert_eq!(link_text(&t.path("e/b")), "b");
    t.run("ln", &["a", "b", "c"]).fails(1, "ln: target 'c': No such file or directory\n");
    t.run("ln", &["-t", "a", "b"]).fails(1, "ln: target 'a' is not a directory\n");
    t.run("ln", &["a", "b", "a"]).fails(1, "ln: target 'a': Not a directory\n");
    t.run("ln", &["-T", "a", "b", "c"]).fails(1, "ln: extra operand 'c'");
}

#[test]
fn ln_sf_replaces_existing_links_and_leaves_no_temporary_file() {
    let t = Sandbox::new();
    t.write("a", "");
    t.write("old", "");
    std::os::unix::fs::symlink("old", t.path("l")).unwrap();
    t.run("ln", &["-sf", "a", "l"]).ok();
    assert_eq!(link_text(&t.path("l")), "a");
    t.run("ln", &["-f", "a", "old"]).ok();
    assert_eq!(fs::metadata(t.path("old")).unwrap().ino(), fs::metadata(t.path("a")).unwrap().ino());
    t.run("ln", &["-f", "a", "old"]).ok(); // already a link to it
    let mut names: Vec<_> = fs::read_dir(&t.dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    names.sort();
    assert_eq!(names, ["a", "l", "old"]);
}

#[test]
fn ln_f_refuses_to_replace_a_file_by_itself() {
    let t = Sandbox::new();
    t.write("a", "keep");
    t.run("ln", &["-f", "a", "a"]).fails(1, "ln: 'a' and 'a' are the same file\n");
    t.run("ln", &["-sf", "a", "a"]).fails(1, "are the same file");
    assert_eq!(t.gnu("ln", &["-sf", "a", "a"], b"").code, Some(1));
    assert_eq!(t.read("a"), b"keep");
}

#[test]
fn ln_n_replaces_a_symbolic_link_to_a_directory_like_gnu() {
    let t = Sandbox::new();
    fs::create_dir(t.path("dir")).unwrap();
    for (tool, link) in [("ours", "l1"), ("gnu", "l2")] {
        std::os::unix::fs::symlink("dir", t.path(link)).unwrap();
        let args = ["-sfn", "new", link];
        if tool == "ours" {
            t.run("ln", &args).ok();
        } else {
            t.gnu("ln", &args, b"").ok();
        }
        assert_eq!(link_text(&t.path(link)), "new", "{tool}");
    }
    // Without -n the link is made inside the directory.
    std::os::unix::fs::symlink("dir", t.path("l3")).unwrap();
    t.run("ln", &["-sf", "new", "l3"]).ok();
    assert_eq!(link_text(&t.path("dir/new")), "new");
    assert_eq!(link_text(&t.path("l3")), "dir");
}

#[test]
fn ln_big_t_never_treats_link_as_a_directory() {
    let t = Sandbox::new();
    fs::create_dir(t.path("d")).unwrap();
    t.run("ln", &["-sT", "a", "d"]).fails(1, "ln: d: File exists\n");
    t.run("ln", &["-sfT", "a", "d"]).fails(1, "ln: d: Is a directory\n");
    assert!(fs::metadata(t.path("d")).unwrap().is_dir());
}

#[test]
fn ln_refuses_hard_links_to_directories() {
    let t = Sandbox::new();
    fs::create_dir(t.path("d")).unwrap();
    t.run("ln", &["d", "h"]).fails(1, "ln: d: hard link not allowed for directory\n");
    t.run("ln", &["nope", "h"]).fails(1, "ln: nope: No such file or directory\n");
}

#[test]
fn ln_r_computes_relative_targets_like_gnu() {
    let t = Sandbox::new();
    t.write("a", "");
    fs::create_dir_all(t.path("s/t")).unwrap();
    std::os::unix::fs::symlink("s/t", t.path("tl")).unwrap();
    let cases: &[(&str, &str)] = &[
        ("a", "s/t/ra"),
        ("s/t/ra", "s/rb"),
        ("/", "s/root"),
        ("s", "s/t/self"),
        ("tl/../../a", "s/viatl"),
        ("missing/x", "s/t/miss"),
        ("a", "tl/intl"),
    ];
    for (target, link) in cases {
        t.run("ln", &["-sr", target, link]).ok();
        let ours = link_text(&t.path(link));
        fs::remove_file(t.path(link)).unwrap();
        t.gnu("ln", &["-sr", target, link], b"").ok();
        assert_eq!(ours, link_text(&t.path(link)), "ln -sr {target} {link}");
    }
    t.run("ln", &["-r", "a", "b"]).fails(1, "ln: cannot do --relative without --symbolic");
}

#[test]
fn ln_v_prints_like_gnu() {
    let t = Sandbox::new();
    t.write("a", "");
    let ours = t.run("ln", &["-v", "a", "h1"]).ok() + &t.run("ln", &["-sv", "a", "s1"]).ok();
    let gnu = t.gnu("ln", &["-v", "a", "h2"], b"").ok() + &t.gnu("ln", &["-sv", "a", "s2"], b"").ok();
    assert_eq!(ours.replace('1', "2"), gnu);
    assert_eq!(ours, "'h1' => 'a'\n's1' -> 'a'\n");
}

#[test]
fn ln_without_operands_is_a_usage_error() {
    let t = Sandbox::new();
    t.run("ln", &[]).fails(1, "ln: missing file operand");
}

// ---------------------------------------------------------------- mkdir

#[test]
fn mkdir_makes_directories_and_reports_existing_ones() {
    let t = Sandbox::new();
    t.run("mkdir", &["a", "b"]).ok();
    assert!(t.path("a").is_dir() && t.path("b").is_dir());
    t.run("mkdir", &["a"]).fails(1, "mkdir: a: File exists\n");
    t.run("mkdir", &["x/y"]).fails(1, "mkdir: x/y: No such file or directory\n");
    t.run("mkdir", &[]).fails(1, "mkdir: missing operand");
}

#[test]
fn mkdir_p_makes_parents_and_accepts_existing_directories() {
    let t = Sandbox::new();
    t.run("mkdir", &["-p", "a/b//c/", "a/b"]).ok();
    assert!(t.path("a/b/c").is_dir());
    t.write("file", "");
    t.run("mkdir", &["-p", "file"]).fails(1, "mkdir: file: File exists\n");
    t.run("mkdir", &["-p", "file/sub"]).fails(1, "mkdir: file/sub: Not a directory\n");
    assert_eq!(t.gnu("mkdir", &["-p", "file/sub"], b"").code, Some(1));
}

#[test]
fn mkdir_pv_prints_each_directory_made_like_gnu() {
    let t = Sandbox::new();
    let ours = t.run("mkdir", &["-pv", "x/y/z", "w"]).ok();
    let gnu = t.gnu("mkdir", &["-pv", "g/y/z", "w2"], b"").ok();
    assert_eq!(ours.replace("'x", "'g").replace("'w'", "'w2'"), unpath(&gnu));
}

#[test]
fn mkdir_m_sets_modes_like_gnu() {
    let t = Sandbox::new();
    // Not `+t` alone: GNU then gives 1755 whatever the umask, where POSIX's a=rwx start
    // gives 1777 (as ours does).
    let modes = [
        "755",
        "0",
        "1777",
        "2750",
        "u+rwx,go-w",
        "=r",
        "g+w,+t",
        "=t",
        "g+s",
        "u+s",
        "+s",
        "=rwxs",
        "g=u+x,o=",
        "a=rX,u+w",
        "o-rx",
        "u=rwx,g=rx,o=",
        "a-w",
        "go=",
        "g-w",
        "u+x",
    ];
    for (i, m) in modes.iter().enumerate() {
        let (ours, gnu) = (format!("o{i}"), format!("g{i}"));
        t.run("mkdir", &["-m", m, &ours]).ok();
        t.gnu("mkdir", &["-m", m, &gnu], b"").ok();
        assert_eq!(mode(&t.path(&ours)), mode(&t.path(&gnu)), "mkdir -m {m}");
    }
    t.run("mkdir", &["-m", "bad", "z"]).fails(1, "mkdir: invalid mode 'bad'");
    t.run("mkdir", &["-m", "8", "z"]).fails(1, "invalid mode");
    assert!(!exists(&t.path("z")));
}

#[test]
fn mkdir_m_ignores_the_umask_but_parents_follow_it() {
    let t = Sandbox::new();
    t.sh("umask 077; $B/mkdir -m 777 open; $B/mkdir plain; $B/mkdir -p -m 700 p/q").ok();
    assert_eq!(mode(&t.path("open")), 0o777);
    assert_eq!(mode(&t.path("plain")), 0o700);
    assert_eq!(mode(&t.path("p")), 0o700);
    assert_eq!(mode(&t.path("p/q")), 0o700);
    t.sh("umask 777; $B/mkdir -p u/v").ok();
    assert_eq!(mode(&t.path("u")), 0o300, "parents get u+wx to make the rest");
    assert_eq!(mode(&t.path("u/v")), 0);
}

// ---------------------------------------------------------------- rmdir

#[test]
fn rmdir_removes_empty_directories_only() {
    let t = Sandbox::new();
    fs::create_dir(t.path("e")).unwrap();
    t.write("full/f", "");
    t.write("file", "");
    t.run("rmdir", &["e", "full", "file", "nope"]).fails(1, "rmdir: full: Directory not empty\n");
    let r = t.run("rmdir", &["file"]);
    r.fails(1, "rmdir: file: Not a directory\n");
    assert!(!exists(&t.path("e")) && exists(&t.path("full")));
    t.run("rmdir", &[]).fails(1, "rmdir: missing operand");
}

#[test]
fn rmdir_pv_removes_parents_like_gnu() {
    let t = Sandbox::new();
    fs::create_dir_all(t.path("a/b/c")).unwrap();
    let ours = t.run("rmdir", &["-pv", "a/b/c/"]).ok();
    fs::create_dir_all(t.path("a/b/c")).unwrap();
    let gnu = t.gnu("rmdir", &["-pv", "a/b/c/"], b"").ok();
    assert_eq!(ours, unpath(&gnu));
    assert!(!exists(&t.path("a")));
}

#[test]
fn rmdir_ignore_fail_on_non_empty() {
    let t = Sandbox::new();
    fs::create_dir_all(t.path("a/b")).unwrap();
    t.write("a/keep", "");
    let r = t.run("rmdir", &["-p", "--ignore-fail-on-non-empty", "a/b"]);
    assert_eq!((r.code, r.err.as_str()), (Some(0), ""));
    assert!(!exists(&t.path("a/b")) && exists(&t.path("a/keep")));
    t.run("rmdir", &["-p", "a/keep/x"]).fails(1, "rmdir: a/keep/x: Not a directory");
}

// ---------------------------------------------------------------- pwd

#[test]
fn pwd_is_logical_by_default_and_physical_with_p() {
    let t = Sandbox::new();
    fs::create_dir(t.path("real")).unwrap();
    std::os::unix::fs::symlink("real", t.path("lnk")).unwrap();
    let real = fs::canonicalize(t.path("real")).unwrap();
    let r = t.sh("cd lnk && $B/pwd && $B/pwd -L && $B/pwd -P");
    let lnk = format!("{}/lnk", fs::canonicalize(&t.dir).unwrap().display());
    assert_eq!(r.ok(), format!("{lnk}\n{lnk}\n{}\n", real.display()));
}

#[test]
fn pwd_ignores_a_pwd_that_is_wrong_or_has_dots() {
    let t = Sandbox::new();
    let here = format!("{}\n", fs::canonicalize(&t.dir).unwrap().display());
    for bad in ["/", "/tmp/../tmp", "relative", "/nonexistent"] {
        assert_eq!(t.sh(&format!("PWD={bad} $B/pwd")).ok(), here, "PWD={bad}");
    }
}

// ---------------------------------------------------------------- sync

#[test]
fn sync_flushes_everything_or_named_files() {
    let t = Sandbox::new();
    t.write("f", "x");
    t.run("sync", &[]).ok();
    t.run("sync", &["f"]).ok();
    t.run("sync", &["-d", "f"]).ok();
    t.run("sync", &["-f", "f", "."]).ok();
    t.run("sync", &["f", "nope"]).fails(1, "sync: nope: No such file or directory\n");
    t.run("sync", &["-d"]).fails(1, "sync: --data needs at least one argument");
    t.run("sync", &["-d", "-f", "f"]).fails(1, "cannot specify both");
}

// ---------------------------------------------------------------- sleep

#[test]
fn sleep_adds_up_its_operands() {
    let t = Sandbox::new();
    let start = Instant::now();
    t.run("sleep", &["0.1", ".1s", "0.001m"]).ok();
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(260), "{took:?}");
    assert!(took < Duration::from_secs(5), "{took:?}");
}

#[test]
fn sleep_rejects_bad_intervals() {
    let t = Sandbox::new();
    let r = t.run("sleep", &["1", "x", "2q"]);
    r.fails(1, "sleep: invalid time interval 'x'\n");
    assert!(r.err.contains("sleep: invalid time interval '2q'\n"));
    t.run("sleep", &[]).fails(1, "sleep: missing operand");
    t.run("sleep", &["-1"]).fails(1, "sleep: invalid option -- '1'");
    assert_eq!(t.gnu("sleep", &["x"], b"").code, Some(1));
}

#[test]
fn sleep_inf_sleeps_until_killed() {
    let t = Sandbox::new();
    assert_eq!(t.sh("timeout 0.3 $B/sleep inf; echo $?").ok(), "124\n");
}

// ---------------------------------------------------------------- basename, dirname

#[test]
fn basename_matches_gnu() {
    let t = Sandbox::new();
    let cases: &[&[&str]] = &[
        &["/usr/lib"],
        &["/usr/lib/"],
        &["/"],
        &["//"],
        &[""],
        &["a.c", ".c"],
        &[".c", ".c"],
        &["a/b/", "b"],
        &["-a", "x/y", "z/"],
        &["-s", ".c", "a.c", "b.h", "d/.c"],
        &["-z", "a/b"],
        &["--", "-x"],
        &["-a", "-s", "", "x"],
    ];
    for args in cases {
        assert_eq!(t.run("basename", args).ok(), t.gnu("basename", args, b"").ok(), "basename {args:?}");
    }
    t.run("basename", &[]).fails(1, "basename: missing operand");
    t.run("basename", &["a", "b", "c"]).fails(1, "basename: extra operand 'c'");
    t.sh("$B/basename a > /dev/full").fails(1, "basename: write error");
}

#[test]
fn dirname_matches_gnu() {
    let t = Sandbox::new();
    let cases: &[&[&str]] = &[
        &["/usr/lib"],
        &["/usr/lib/"],
        &["usr"],
        &["/"],
        &["a//b//"],
        &[""],
        &["a/b", "c", "/d/e"],
        &["-z", "a/b", "c"],
    ];
    for args in cases {
        assert_eq!(t.run("dirname", args).ok(), t.gnu("dirname", args, b"").ok(), "dirname {args:?}");
    }
    t.run("dirname", &[]).fails(1, "dirname: missing operand");
}

#[test]
fn dirname_and_basename_with_output_closed_early() {
    let t = Sandbox::new();
    let r = t.sh("$B/dirname $(seq 1 20000 | sed 's|^|a/|') | head -1");
    assert_eq!(r.ok(), "a\n");
    let r = t.sh("$B/basename -a $(seq 1 20000) | head -2");
    assert_eq!(r.ok(), "1\n2\n");
}

#[test]
fn mkdir_v_on_a_full_disk_still_makes_the_directory_and_fails() {
    let t = Sandbox::new();
    t.sh("$B/mkdir -v d > /dev/full").fails(1, "mkdir: write error: No space left on device");
    assert!(t.path("d").is_dir());
}

#[test]
fn basename_of_a_long_name() {
    let t = Sandbox::new();
    let long = format!("{}/{}", "d".repeat(60000), "n".repeat(60000));
    assert_eq!(t.run("basename", &[&long]).ok(), format!("{}\n", "n".repeat(60000)));
    assert_eq!(t.run("dirname", &[&long]).ok(), format!("{}\n", "d".repeat(60000)));
}

#[test]
fn every_applet_has_help() {
    let t = Sandbox::new();
    for a in ["rm", "ln", "mkdir", "rmdir", "pwd", "sync", "sleep", "basename", "dirname"] {
        let out = t.run(a, &["--help"]).ok();
        assert!(out.starts_with(&format!("Usage: {a}")), "{a}: {out}");
    }
}
