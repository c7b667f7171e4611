//! cp and mv: copying files and trees, what is preserved, overwriting rules, the exact
//! messages, and mv across file systems (the sandbox against /dev/shm).
use behaviour_tests::*;
use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::{symlink, MetadataExt, PermissionsExt};
use std::path::Path;

/// One line per name below `root`, sorted: type, mode, owner, size, contents, link target,
/// hard-link group and (when `times`) the modification time.
fn manifest(root: &Path, times: bool) -> Vec<String> {
    fn walk(root: &Path, rel: &Path, times: bool, inodes: &mut BTreeMap<u64, String>, out: &mut Vec<String>) {
        let p = root.join(rel);
        let m = fs::symlink_metadata(&p).unwrap();
        let ft = m.file_type();
        let kind = if ft.is_dir() {
            "dir"
        } else if ft.is_symlink() {
            "link"
        } else if ft.is_file() {
            "file"
        } else {
            "special"
        };
        let mut line = format!("{} {} {:o} {}:{}", rel.display(), kind, m.mode() & 0o7777, m.uid(), m.gid());
        if ft.is_symlink() {
            line += &format!(" -> {}", fs::read_link(&p).unwrap().display());
        } else {
            line += &format!(" mode {:o}", m.mode() & 0o7777);
        }
        if ft.is_file() {
            line += &format!(" {:?}", fs::read(&p).unwrap());
            if m.nlink() > 1 {
                let first = inodes.entry(m.ino()).or_insert_with(|| rel.display().to_string());
                line += &format!(" linked-with {first}");
            }
        }
        if times && !ft.is_symlink() && !ft.is_dir() {
            line += &format!(" t={}.{}", m.mtime(), m.mtime_nsec());
        }
        out.push(line);
        if ft.is_dir() {
            let mut names: Vec<_> = fs::read_dir(&p).unwrap().map(|e| e.unwrap().file_name()).collect();
            names.sort();
            for n in names {
                walk(root, &rel.join(n), times, inodes, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(root, Path::new("."), times, &mut BTreeMap::new(), &mut out);
    out
}

/// A tree with a file, an executable, a subdirectory, a relative symlink, a dangling symlink,
/// a fifo and two hard links to one file.
fn make_tree(t: &Sandbox, name: &str) {
    t.write(&format!("{name}/a.txt"), b"alpha\n");
    let x = t.write(&format!("{name}/bin/run"), b"#!/bin/sh\n");
    fs::set_permissions(&x, fs::Permissions::from_mode(0o751)).unwrap();
    t.write(&format!("{name}/sub/deep/z"), vec![7u8; 300_000]);
    symlink("a.txt", t.path(&format!("{name}/link"))).unwrap();
    symlink("nowhere", t.path(&format!("{name}/dangling"))).unwrap();
    fs::hard_link(t.path(&format!("{name}/a.txt")), t.path(&format!("{name}/sub/hard"))).unwrap();
    let fifo = t.path(&format!("{name}/fifo"));
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let old = std::process::Command::new("touch")
        .args(["-d", "2001-02-03 04:05:06.789", "-h"])
        .arg(t.path(name))
        .arg(t.path(&format!("{name}/a.txt")))
        .status();
    assert!(old.unwrap().success());
    fs::set_permissions(t.path(&format!("{name}/sub")), fs::Permissions::from_mode(0o750)).unwrap();
}

// ---- cp: single files ----

#[test]
fn cp_copies_a_file_byte_for_byte_with_the_source_mode() {
    let t = Sandbox::new();
    let data: Vec<u8> = (0..2_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
    t.write("big", &data);
    fs::set_permissions(t.path("big"), fs::Permissions::from_mode(0o640)).unwrap();
    assert_eq!(t.run("cp", &["big", "copy"]).ok(), "");
    assert_eq!(t.read("copy"), data);
    t.gnu("cp", &["big", "gnu"], b"").ok();
    let mode = |n| fs::metadata(t.path(n)).unwrap().mode();
    assert_eq!(mode("copy"), mode("gnu"));
}

#[test]
fn cp_empty_file_and_overwrite_keeps_destination_mode() {
    let t = Sandbox::new();
    t.write("empty", b"");
    t.write("dest", b"old contents that are longer");
    fs::set_permissions(t.path("dest"), fs::Permissions::from_mode(0o600)).unwrap();
    t.run("cp", &["empty", "dest"]).ok();
    assert_eq!(t.read("dest"), b"");
    assert_eq!(fs::metadata(t.path("dest")).unwrap().mode() & 0o777, 0o600);
}

#[test]
fn cp_into_a_directory_and_several_sources() {
    let t = Sandbox::new();
    t.write("a", b"A");
    t.write("b", b"B");
    fs::create_dir(t.path("d")).unwrap();
    t.run("cp", &["a", "d"]).ok();
    assert_eq!(t.read("d/a"), b"A");
    t.run("cp", &["a", "b", "d/"]).ok();
    assert_eq!(t.read("d/b"), b"B");
    t.run("cp", &["-t", "d", "b"]).ok();
    t.run("cp", &["--target-directory=d", "a"]).ok();
    // -T: the directory is a name to replace, not a place to copy into.
    t.run("cp", &["-T", "a", "d"]).fails(1, "cp: cannot overwrite directory 'd' with non-directory");
}

#[test]
fn cp_missing_operands_are_usage_errors() {
    let t = Sandbox::new();
    t.write("a", b"");
    let r = t.run("cp", &[]);
    r.fails(1, "cp: missing file operand\n");
    assert!(r.err.contains("Try 'cp --help' for more information."));
    t.run("cp", &["a"]).fails(1, "cp: missing destination file operand after 'a'\n");
    t.run("cp", &["-Z", "a", "b"]).fails(1, "cp: invalid option -- 'Z'");
    t.run("cp", &["-T", "a", "b", "c"]).fails(1, "cp: extra operand 'c'");
    t.run("cp", &["--preserve=bogus", "a", "b"]).fails(1, "invalid argument 'bogus' for '--preserve'");
}

#[test]
fn cp_help_describes_the_options() {
    let t = Sandbox::new();
    let h = t.run("cp", &["--help"]).ok();
    assert!(h.starts_with("Usage: cp "));
    for o in ["-a", "-R", "-i", "-n", "-L", "-P", "-p", "-T", "-t", "--preserve"] {
        assert!(h.contains(o), "help lacks {o}");
    }
    assert!(t.run("mv", &["--help"]).ok().starts_with("Usage: mv "));
}

#[test]
fn cp_missing_source_is_reported_and_the_rest_still_copied() {
    let t = Sandbox::new();
    t.write("a", b"A");
    fs::create_dir(t.path("d")).unwrap();
    let r = t.run("cp", &["/nonexistent-k1", "a", "d"]);
    r.fails(1, "cp: /nonexistent-k1: No such file or directory\n");
    assert_eq!(t.read("d/a"), b"A");
    t.run("cp", &["/x", "y"]).fails(1, "cp: /x: No such file or directory");
    assert!(!t.path("y").exists());
}

#[test]
fn cp_directory_without_r_is_omitted_like_gnu() {
    let t = Sandbox::new();
    fs::create_dir(t.path("d")).unwrap();
    let ours = t.run("cp", &["d", "e"]);
    let gnu = t.gnu("cp", &["d", "e"], b"");
    ours.fails(1, "cp: -r not specified; omitting directory 'd'\n");
    assert_eq!(ours.err, gnu.err.replace("/usr/bin/cp:", "cp:"));
    assert!(!t.path("e").exists());
}

#[test]
fn cp_same_file_is_refused() {
    let t = Sandbox::new();
    t.write("a", b"keep");
    t.run("cp", &["a", "a"]).fails(1, "cp: 'a' and 'a' are the same file\n");
    t.run("cp", &["a", "."]).fails(1, "cp: 'a' and './a' are the same file\n");
    symlink("a", t.path("l")).unwrap();
    t.run("cp", &["a", "l"]).fails(1, "are the same file");
    t.run("cp", &["-P", "l", "a"]).fails(1, "are the same file");
    assert_eq!(t.read("a"), b"keep");
    fs::hard_link(t.path("a"), t.path("h")).unwrap();
    t.run("cp", &["a", "h"]).fails(1, "cp: 'a' and 'h' are the same file");
}

#[test]
fn cp_refuses_to_copy_a_directory_into_itself() {
    let t = Sandbox::new();
    t.write("d/f", b"x");
    let r = t.run("cp", &["-r", "d", "d/sub"]);
    r.fails(1, "cp: cannot copy a directory, 'd', into itself, 'd/sub'\n");
    assert!(!t.path("d/sub").exists());
    t.run("cp", &["-r", "d", "d"]).fails(1, "cp: cannot copy a directory, 'd', into itself, 'd/d'\n");
    t.run("cp", &["-r", ".", "d"]).fails(1, "into itself");
    // Through a symbolic link to the source the answer is the same.
    symlink("d", t.path("ld")).unwrap();
    t.run("cp", &["-r", "d", "ld/x"]).fails(1, "into itself");
    assert_eq!(manifest(&t.path("d"), false).len(), 2);
}

#[test]
fn cp_several_sources_need_a_directory_target() {
    let t = Sandbox::new();
    t.write("a", b"");
    t.write("b", b"");
    t.write("x", b"");
    t.run("cp", &["a", "b", "x"]).fails(1, "cp: target 'x' is not a directory\n");
    t.run("cp", &["a", "b", "nope"]).fails(1, "cp: target 'nope': No such file or directory\n");
    t.run("cp", &["-t", "x", "a"]).fails(1, "cp: target directory 'x': Not a directory\n");
    let ours = t.run("cp", &["-t", "nodir", "a"]);
    ours.fails(1, "cp: target directory 'nodir': No such file or directory\n");
    assert_eq!(ours.err, t.gnu("cp", &["-t", "nodir", "a"], b"").err.replace("/usr/bin/cp:", "cp:"));
}

#[test]
fn cp_overwriting_a_directory_or_with_a_directory_is_refused() {
    let t = Sandbox::new();
    t.write("a", b"");
    fs::create_dir_all(t.path("d/a")).unwrap();
    t.run("cp", &["a", "d"]).fails(1, "cp: cannot overwrite directory 'd/a' with non-directory\n");
    t.run("cp", &["-r", "d", "a"]).fails(1, "cp: cannot overwrite non-directory 'a' with directory 'd'\n");
}

#[test]
fn cp_interactive_asks_and_reads_the_answer() {
    let t = Sandbox::new();
    t.write("a", b"new");
    t.write("b", b"old");
    let r = t.run_with("cp", &["-i", "a", "b"], b"n\n");
    assert_eq!(r.code, Some(0));
    assert_eq!(r.err, "cp: overwrite 'b'? ");
    assert_eq!(t.read("b"), b"old");
    t.run_with("cp", &["-i", "a", "b"], b"").ok();
    assert_eq!(t.read("b"), b"old");
    t.run_with("cp", &["-i", "a", "b"], b"yes\n").ok();
    assert_eq!(t.read("b"), b"new");
    // A missing destination needs no question.
    let r = t.run_with("cp", &["-i", "a", "c"], b"");
    assert_eq!((r.code, r.err.as_str()), (Some(0), ""));
    // One answer per line, in order.
    t.write("d/a", b"1");
    t.write("d/b", b"2");
    t.write("e/a", b"x");
    t.write("e/b", b"x");
    t.run_with("cp", &["-ri", "d/.", "e"], b"y\nn\n").ok();
    let got = (t.read("e/a"), t.read("e/b"));
    assert!(got == (b"1".to_vec(), b"x".to_vec()) || got == (b"x".to_vec(), b"2".to_vec()), "{got:?}");
}

#[test]
fn cp_no_clobber_never_overwrites() {
    let t = Sandbox::new();
    t.write("a", b"new");
    t.write("b", b"old");
    t.run("cp", &["-n", "a", "b"]).ok();
    assert_eq!(t.read("b"), b"old");
    t.run("cp", &["-n", "a", "c"]).ok();
    assert_eq!(t.read("c"), b"new");
}

#[test]
fn cp_force_replaces_a_destination_it_cannot_open() {
    let t = Sandbox::new();
    t.write("a", b"data");
    symlink("missing-target", t.path("dl")).unwrap();
    t.run("cp", &["a", "dl"]).fails(1, "cp: not writing through dangling symlink 'dl'");
    assert!(fs::symlink_metadata(t.path("dl")).unwrap().file_type().is_symlink());
    t.run("cp", &["-f", "a", "dl"]).ok();
    assert!(fs::symlink_metadata(t.path("dl")).unwrap().is_file());
    assert_eq!(t.read("dl"), b"data");
    // A file we may not write, in a directory we may write.
    let Some(user) = unprivileged(&t) else { return };
    t.write("ro", b"old");
    fs::set_permissions(t.path("ro"), fs::Permissions::from_mode(0o444)).unwrap();
    user("$B/cp a ro").fails(1, "cp: ro: Permission denied");
    assert_eq!(t.read("ro"), b"old");
    user("$B/cp -f a ro").ok();
    assert_eq!(t.read("ro"), b"data");
}

/// Runs scripts in the sandbox as a user without privileges: ourselves when not root,
/// else nobody through setpriv (None when that is impossible). The working directory is
/// made writable for everyone.
fn unprivileged(t: &Sandbox) -> Option<impl Fn(&str) -> Run + '_> {
    let setpriv = is_root();
    if setpriv && !Path::new("/usr/bin/setpriv").exists() {
        return None;
    }
    fs::set_permissions(&t.dir, fs::Permissions::from_mode(0o777)).unwrap();
    let run = move |script: &str| {
        if setpriv {
            t.sh(&format!("setpriv --reuid=65534 --regid=65534 --clear-groups /bin/sh -c '{script}'"))
        } else {
            t.sh(script)
        }
    };
    // The binary must be reachable for that user (a clone under a 0700 directory is not).
    if run("$B/true").code != Some(0) {
        eprintln!("skipped: the unprivileged user cannot run the k1box under test");
        return None;
    }
    Some(run)
}

#[test]
fn cp_writes_through_a_symlink_to_an_existing_file() {
    let t = Sandbox::new();
    t.write("a", b"new");
    t.write("target", b"old");
    symlink("target", t.path("l")).unwrap();
    t.run("cp", &["a", "l"]).ok();
    assert_eq!(t.read("target"), b"new");
    assert!(fs::symlink_metadata(t.path("l")).unwrap().file_type().is_symlink());
}

#[test]
fn cp_a_failing_source_leaves_the_destination_untouched() {
    let t = Sandbox::new();
    t.write("dest", b"precious");
    // A socket can be stat'ed but not opened: the destination must not be truncated first.
    let _sock = std::os::unix::net::UnixListener::bind(t.path("sock")).unwrap();
    let r = t.run("cp", &["sock", "dest"]);
    r.fails(1, "cp: sock: No such device or address");
    assert_eq!(t.read("dest"), b"precious");
    let Some(user) = unprivileged(&t) else { return };
    t.write("secret", b"s");
    fs::set_permissions(t.path("secret"), fs::Permissions::from_mode(0o000)).unwrap();
    fs::set_permissions(t.path("dest"), fs::Permissions::from_mode(0o666)).unwrap();
    user("$B/cp secret dest").fails(1, "cp: secret: Permission denied\n");
    assert_eq!(t.read("dest"), b"precious");
    // In a tree the unreadable file is reported and the rest copied.
    t.write("tree/ok", b"fine");
    fs::rename(t.path("secret"), t.path("tree/secret")).unwrap();
    fs::set_permissions(t.path("tree"), fs::Permissions::from_mode(0o755)).unwrap();
    user("$B/cp -r tree copy").fails(1, "cp: tree/secret: Permission denied\n");
    assert_eq!(t.read("copy/ok"), b"fine");
}

#[test]
fn cp_to_a_full_device_reports_no_space() {
    let t = Sandbox::new();
    t.write("a", vec![1u8; 100_000]);
    t.run("cp", &["a", "/dev/full"]).fails(1, "cp: /dev/full: No space left on device\n");
    let r = t.sh("$B/cp --help > /dev/full");
    r.fails(1, "write error");
    // -v onto a full standard output: the copy is made, the lost report makes it fail.
    t.sh("$B/cp -v a b > /dev/full").fails(1, "cp: write error: No space left on device");
    assert_eq!(t.read("b").len(), 100_000);
}

#[test]
fn cp_trailing_slashes() {
    let t = Sandbox::new();
    t.write("a", b"A");
    t.write("d/f", b"F");
    t.run("cp", &["a", "nodir/"]).fails(1, "cp: nodir/: Not a directory");
    t.run("cp", &["a/", "x"]).fails(1, "cp: a/: Not a directory");
    t.run("cp", &["-r", "d/", "e/"]).ok();
    assert_eq!(t.read("e/f"), b"F");
    t.run("cp", &["-r", "d/", "e/"]).ok();
    assert_eq!(t.read("e/d/f"), b"F");
}

#[test]
fn cp_dot_copies_the_contents() {
    let t = Sandbox::new();
    t.write("d/f", b"F");
    t.write("d/s/g", b"G");
    fs::create_dir(t.path("e")).unwrap();
    fs::create_dir(t.path("g")).unwrap();
    t.run("cp", &["-r", "d/.", "e"]).ok();
    t.gnu("cp", &["-r", "d/.", "g"], b"").ok();
    assert_eq!(manifest(&t.path("e"), false), manifest(&t.path("g"), false));
    assert_eq!(t.read("e/s/g"), b"G");
    fs::create_dir(t.path("d/s/up")).unwrap();
    let r = t.sh("cd d/s && $B/cp -r .. ../../h && $B/cp ../f .");
    assert_eq!(r.code, Some(0), "{}", r.err);
    assert_eq!(t.read("h/s/g"), b"G");
    assert_eq!(t.read("d/s/f"), b"F");
}

// ---- cp: trees ----

#[test]
fn cp_r_copies_a_tree_like_gnu_with_links_as_links() {
    let t = Sandbox::new();
    make_tree(&t, "src");
    t.run("cp", &["-r", "src", "ours"]).ok();
    t.gnu("cp", &["-r", "src", "gnu"], b"").ok();
    let ours = manifest(&t.path("ours"), false);
    assert_eq!(ours, manifest(&t.path("gnu"), false));
    assert!(ours.iter().any(|l| l.starts_with("./link link") && l.ends_with("-> a.txt")));
    assert!(ours.iter().any(|l| l.starts_with("./fifo special")));
    assert_eq!(t.read("ours/sub/deep/z").len(), 300_000);
}

#[test]
fn cp_r_copies_a_directory_with_many_entries() {
    let t = Sandbox::new();
    for i in 0..3000 {
        t.write(&format!("many/file-with-a-longish-name-{i:05}"), i.to_string());
    }
    t.run("cp", &["-r", "many", "copy"]).ok();
    assert_eq!(fs::read_dir(t.path("copy")).unwrap().count(), 3000);
    assert_eq!(t.read("copy/file-with-a-longish-name-02999"), b"2999");
}

#[test]
fn cp_a_preserves_modes_times_links_and_hard_links_like_gnu() {
    let t = Sandbox::new();
    make_tree(&t, "src");
    t.run("cp", &["-a", "src", "ours"]).ok();
    t.gnu("cp", &["-a", "src", "gnu"], b"").ok();
    let ours = manifest(&t.path("ours"), true);
    assert_eq!(ours, manifest(&t.path("gnu"), true));
    assert!(
        ours.iter().any(|l| l.starts_with("./sub/hard file") && l.contains("linked-with ./a.txt")),
        "{ours:#?}"
    );
    let (s, o) = (fs::metadata(t.path("src")).unwrap(), fs::metadata(t.path("ours")).unwrap());
    assert_eq!((s.mtime(), s.mtime_nsec()), (o.mtime(), o.mtime_nsec()));
    assert_eq!(fs::metadata(t.path("ours/sub")).unwrap().mode() & 0o777, 0o750);
}

#[test]
fn cp_p_preserves_mode_and_times_and_without_it_times_are_new() {
    let t = Sandbox::new();
    t.write("a", b"x");
    fs::set_permissions(t.path("a"), fs::Permissions::from_mode(0o4711)).unwrap();
    assert!(std::process::Command::new("touch")
        .args(["-d", "1999-12-31 23:59:59", "a"])
        .current_dir(&t.dir)
        .status()
        .unwrap()
        .success());
    t.run("cp", &["-p", "a", "p"]).ok();
    t.run("cp", &["a", "plain"]).ok();
    t.run("cp", &["--preserve=timestamps", "a", "ts"]).ok();
    let m = |n| fs::metadata(t.path(n)).unwrap();
    assert_eq!(m("p").mode() & 0o7777, 0o4711);
    assert_eq!(m("p").mtime(), m("a").mtime());
    assert_eq!(m("ts").mtime(), m("a").mtime());
    assert_ne!(m("plain").mtime(), m("a").mtime());
    assert_eq!(m("plain").mode() & 0o7000, 0);
    t.gnu("cp", &["a", "gplain"], b"").ok();
    assert_eq!(m("plain").mode(), m("gplain").mode());
}

#[test]
fn cp_dereference_options() {
    let t = Sandbox::new();
    t.write("d/f", b"F");
    symlink("f", t.path("d/l")).unwrap();
    symlink("d", t.path("ld")).unwrap();
    // Without -r a link is followed.
    t.run("cp", &["d/l", "x"]).ok();
    assert!(fs::symlink_metadata(t.path("x")).unwrap().is_file());
    t.run("cp", &["-P", "d/l", "y"]).ok();
    assert_eq!(fs::read_link(t.path("y")).unwrap(), Path::new("f"));
    t.run("cp", &["-d", "d/l", "y2"]).ok();
    assert!(fs::symlink_metadata(t.path("y2")).unwrap().file_type().is_symlink());
    // -r copies the command-line link itself; -H follows it but not the ones inside; -L all.
    t.run("cp", &["-r", "ld", "r"]).ok();
    assert!(fs::symlink_metadata(t.path("r")).unwrap().file_type().is_symlink());
    t.run("cp", &["-rH", "ld", "h"]).ok();
    assert!(fs::symlink_metadata(t.path("h")).unwrap().is_dir());
    assert!(fs::symlink_metadata(t.path("h/l")).unwrap().file_type().is_symlink());
    t.run("cp", &["-rL", "ld", "lall"]).ok();
    assert!(fs::symlink_metadata(t.path("lall/l")).unwrap().is_file());
    for (ours, gnu, args) in [("r", "gr", "-r"), ("h", "gh", "-rH"), ("lall", "gl", "-rL")] {
        t.gnu("cp", &[args, "ld", gnu], b"").ok();
        assert_eq!(manifest(&t.path(ours), false), manifest(&t.path(gnu), false), "{args}");
    }
}

#[test]
fn cp_symlink_loops() {
    let t = Sandbox::new();
    symlink("b", t.path("a")).unwrap();
    symlink("a", t.path("b")).unwrap();
    t.run("cp", &["a", "x"]).fails(1, "cp: a: Too many levels of symbolic links");
    t.run("cp", &["-r", "a", "x"]).ok();
    assert_eq!(fs::read_link(t.path("x")).unwrap(), Path::new("b"));
    t.write("d/f", b"F");
    symlink(".", t.path("d/self")).unwrap();
    t.run("cp", &["-rL", "d", "e"]).fails(1, "cp: cannot copy cyclic symbolic link 'd/self'");
    assert_eq!(t.read("e/f"), b"F");
}

#[test]
fn cp_verbose_prints_like_gnu() {
    let t = Sandbox::new();
    t.write("d/f", b"F");
    t.write("a", b"A");
    fs::create_dir(t.path("o")).unwrap();
    fs::create_dir(t.path("p")).unwrap();
    let ours = t.run("cp", &["-rv", "d", "a", "o"]).ok();
    let gnu = t.gnu("cp", &["-rv", "d", "a", "p"], b"").ok();
    assert_eq!(ours, gnu.replace("'p", "'o"));
}

#[test]
fn cp_r_copies_fifos_as_fifos_and_devices_when_root() {
    let t = Sandbox::new();
    assert!(std::process::Command::new("mkfifo").arg(t.path("f")).status().unwrap().success());
    t.run("cp", &["-r", "f", "g"]).ok();
    use std::os::unix::fs::FileTypeExt;
    assert!(fs::symlink_metadata(t.path("g")).unwrap().file_type().is_fifo());
    if is_root() {
        t.run("cp", &["-a", "/dev/null", "null"]).ok();
        let m = fs::symlink_metadata(t.path("null")).unwrap();
        assert!(m.file_type().is_char_device());
        assert_eq!(m.rdev(), fs::metadata("/dev/null").unwrap().rdev());
    }
}

// ---- mv ----

#[test]
fn mv_renames_and_moves_into_directories() {
    let t = Sandbox::new();
    t.write("a", b"A");
    t.write("b", b"B");
    t.write("c", b"C");
    fs::create_dir(t.path("d")).unwrap();
    t.run("mv", &["a", "x"]).ok();
    assert_eq!(t.read("x"), b"A");
    assert!(!t.path("a").exists());
    t.run("mv", &["x", "b", "d"]).ok();
    assert_eq!((t.read("d/x"), t.read("d/b")), (b"A".to_vec(), b"B".to_vec()));
    t.run("mv", &["-t", "d", "c"]).ok();
    assert_eq!(t.read("d/c"), b"C");
    t.run("mv", &["-T", "d", "e"]).ok();
    assert_eq!(t.read("e/c"), b"C");
    t.run("mv", &["e/c", "e/x"]).ok();
    assert_eq!(t.read("e/x"), b"C");
}

#[test]
fn mv_messages() {
    let t = Sandbox::new();
    t.write("a", b"A");
    t.write("d/sub/f", b"");
    t.write("f/d/z", b"");
    t.run("mv", &[]).fails(1, "mv: missing file operand\n");
    t.run("mv", &["a"]).fails(1, "mv: missing destination file operand after 'a'\n");
    t.run("mv", &["a", "a"]).fails(1, "mv: 'a' and 'a' are the same file\n");
    // A link to the source is replaced; the source onto its own link is not.
    t.write("s", b"S");
    symlink("s", t.path("l")).unwrap();
    t.run("mv", &["l", "s"]).fails(1, "mv: 'l' and 's' are the same file\n");
    t.run("mv", &["s", "l"]).ok();
    assert_eq!(t.read("l"), b"S");
    assert!(fs::symlink_metadata(t.path("l")).unwrap().is_file());
    t.run("mv", &["d", "d/sub"]).fails(1, "mv: cannot move 'd' to a subdirectory of itself, 'd/sub/d'\n");
    t.run("mv", &["/x", "y"]).fails(1, "mv: /x: No such file or directory\n");
    t.run("mv", &["d", "f"]).fails(1, "mv: cannot move 'd' to 'f/d': Directory not empty\n");
    t.run("mv", &["a", "b", "a"]).fails(1, "mv: target 'a' is not a directory\n");
    fs::create_dir(t.path("f/d/a")).unwrap();
    t.run("mv", &["a", "f/d"]).fails(1, "mv: cannot overwrite directory 'f/d/a' with non-directory\n");
    fs::remove_dir(t.path("f/d/a")).unwrap();
    assert_eq!(t.read("a"), b"A");
    for args in [&["a", "a"][..], &["d", "d/sub"], &["/x", "y"], &["d", "f"]] {
        let ours = t.run("mv", args);
        let gnu = t.gnu("mv", args, b"");
        assert_eq!(ours.code, gnu.code, "{args:?}");
        if args[0] != "/x" {
            assert_eq!(ours.err, gnu.err.replace("/usr/bin/mv:", "mv:"), "{args:?}");
        }
    }
}

#[test]
fn mv_continues_after_a_missing_source() {
    let t = Sandbox::new();
    t.write("a", b"A");
    fs::create_dir(t.path("d")).unwrap();
    t.run("mv", &["missing", "a", "d"]).fails(1, "mv: missing: No such file or directory");
    assert_eq!(t.read("d/a"), b"A");
}

#[test]
fn mv_no_clobber_interactive_and_verbose() {
    let t = Sandbox::new();
    t.write("a", b"new");
    t.write("b", b"old");
    t.run("mv", &["-n", "a", "b"]).ok();
    assert_eq!((t.read("a"), t.read("b")), (b"new".to_vec(), b"old".to_vec()));
    let r = t.run_with("mv", &["-i", "a", "b"], b"n\n");
    assert_eq!((r.code, r.err.as_str()), (Some(0), "mv: overwrite 'b'? "));
    assert_eq!(t.read("b"), b"old");
    let r = t.run_with("mv", &["-v", "-i", "a", "b"], b"y\n");
    assert_eq!(r.ok(), "renamed 'a' -> 'b'\n");
    assert_eq!(t.read("b"), b"new");
    t.write("c", b"");
    let gnu = t.gnu("mv", &["-v", "c", "e"], b"").ok();
    assert_eq!(gnu, "renamed 'c' -> 'e'\n");
    // -i asks about a directory too.
    fs::create_dir(t.path("m1")).unwrap();
    fs::create_dir(t.path("m2")).unwrap();
    let r = t.run_with("mv", &["-iT", "m1", "m2"], b"n\n");
    assert_eq!((r.code, r.err.as_str()), (Some(0), "mv: overwrite 'm2'? "));
    assert!(t.path("m1").exists());
    t.run_with("mv", &["-iT", "m1", "m2"], b"y\n").ok();
    assert!(!t.path("m1").exists());
    // -f after -i wins.
    t.write("c", b"C");
    t.run_with("mv", &["-if", "c", "b"], b"").ok();
    assert_eq!(t.read("b"), b"C");
}

/// A unique directory in /dev/shm (tmpfs), removed on drop; None when /dev/shm is on the
/// sandbox's file system (then EXDEV cannot be tested).
struct Shm(std::path::PathBuf);

impl Shm {
    fn new(t: &Sandbox, tag: &str) -> Option<Shm> {
        let shm = Path::new("/dev/shm");
        let dev = fs::metadata(shm).ok()?.dev();
        if dev == fs::metadata(&t.dir).unwrap().dev() {
            eprintln!("/dev/shm is on the sandbox's file system: EXDEV not tested");
            return None;
        }
        let p = shm.join(format!("k1box-cpmv-{}-{}", std::process::id(), tag));
        fs::create_dir(&p).unwrap();
        Some(Shm(p))
    }
}

impl Drop for Shm {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

#[test]
fn mv_across_file_systems_copies_everything_then_removes_the_source() {
    let t = Sandbox::new();
    let Some(shm) = Shm::new(&t, "tree") else { return };
    make_tree(&t, "src");
    let before = manifest(&t.path("src"), true);
    let dest = shm.0.join("moved");
    let r = t.run("mv", &["src", dest.to_str().unwrap()]);
    assert_eq!(r.code, Some(0), "{}", r.err);
    assert!(!t.path("src").exists());
    assert_eq!(manifest(&dest, true), before);
    let (a, b) = (fs::metadata(dest.join("a.txt")).unwrap(), fs::metadata(dest.join("sub/hard")).unwrap());
    assert_eq!(a.ino(), b.ino());
    // No temporary name is left beside it.
    assert_eq!(fs::read_dir(&shm.0).unwrap().count(), 1);
    // And back, a single file over an existing one, verbosely.
    t.write("old", b"old");
    let r = t.run("mv", &["-v", dest.join("a.txt").to_str().unwrap(), "old"]);
    let d = dest.display();
    assert_eq!(r.ok(), format!("copied '{d}/a.txt' -> 'old'\nremoved '{d}/a.txt'\n"));
    assert_eq!(t.read("old"), b"alpha\n");
    assert!(!dest.join("a.txt").exists());
}

#[test]
fn mv_across_file_systems_into_a_directory_and_refusals() {
    let t = Sandbox::new();
    let Some(shm) = Shm::new(&t, "into") else { return };
    t.write("f", b"F");
    t.write("g", b"G");
    fs::hard_link(t.path("f"), t.path("f2")).unwrap();
    let to = shm.0.to_str().unwrap();
    t.run("mv", &["f", "g", "f2", to]).ok();
    assert_eq!(fs::read(shm.0.join("g")).unwrap(), b"G");
    assert_eq!(fs::read(shm.0.join("f2")).unwrap(), b"F");
    // A name of the longest length still fits its temporary name.
    let long = "n".repeat(255);
    t.write(&long, b"L");
    t.run("mv", &[&long, to]).ok();
    assert_eq!(fs::read(shm.0.join(&long)).unwrap(), b"L");
    fs::remove_file(shm.0.join(&long)).unwrap();
    assert!(!t.path("f").exists() && !t.path("f2").exists());
    fs::remove_file(shm.0.join("f2")).unwrap();
    // A non-empty directory is not replaced, and nothing of the source is lost.
    t.write("d/x", b"X");
    fs::create_dir_all(shm.0.join("d/busy")).unwrap();
    t.run("mv", &["d", to]).fails(1, "Directory not empty");
    assert_eq!(t.read("d/x"), b"X");
    assert_eq!(fs::read_dir(&shm.0).unwrap().count(), 3, "a temporary copy was left behind");
}

#[test]
fn mv_across_file_systems_keeps_the_source_when_the_copy_fails() {
    if !is_root() {
        return;
    }
    let t = Sandbox::new();
    t.write("src/small", b"s");
    t.write("src/big", vec![9u8; 400_000]);
    // A private mount namespace with a tiny tmpfs: the copy runs out of space.
    let r = t.sh("mkdir tiny && unshare -m /bin/sh -c 'mount -t tmpfs -o size=128k tmpfs tiny || exit 77; \
         $B/mv src tiny/dst; echo rc=$?; ls -A tiny'");
    if r.code == Some(77) {
        eprintln!("cannot mount tmpfs here: not tested");
        return;
    }
    let out = r.text();
    assert!(out.starts_with("rc=1\n"), "{out} {}", r.err);
    assert_eq!(out, "rc=1\n", "partial copy left behind");
    assert!(r.err.contains("No space left on device"), "{}", r.err);
    assert_eq!(t.read("src/big").len(), 400_000);
    assert_eq!(t.read("src/small"), b"s");
}

#[test]
fn mv_across_file_systems_reports_a_source_it_cannot_remove() {
    if !is_root() {
        return;
    }
    let t = Sandbox::new();
    let Some(shm) = Shm::new(&t, "immutable") else { return };
    t.write("src/stuck", b"S");
    t.write("src/free", b"F");
    if !std::process::Command::new("chattr")
        .args(["+i"])
        .arg(t.path("src/stuck"))
        .status()
        .is_ok_and(|s| s.success())
    {
        return;
    }
    let dest = shm.0.join("d");
    let r = t.run("mv", &["src", dest.to_str().unwrap()]);
    let _ = std::process::Command::new("chattr").args(["-i"]).arg(t.path("src/stuck")).status();
    r.fails(1, "mv: src/stuck: Operation not permitted");
    // The copy is complete even though the source could not be removed entirely.
    assert_eq!(fs::read(dest.join("stuck")).unwrap(), b"S");
    assert_eq!(fs::read(dest.join("free")).unwrap(), b"F");
    assert!(t.path("src/stuck").exists());
}

#[test]
fn mv_asks_on_a_terminal_before_replacing_an_unwritable_file() {
    // Needs another user (root may write anything) and a terminal: setpriv and script.
    let have = |tool: &str| Path::new("/usr/bin").join(tool).exists();
    if !is_root() || !have("script") || !have("setpriv") {
        return;
    }
    let t = Sandbox::new();
    fs::set_permissions(&t.dir, fs::Permissions::from_mode(0o777)).unwrap();
    let run = |mv: &str| {
        for (name, data) in [("a", "new"), ("b", "old")] {
            t.write(name, data);
            std::os::unix::fs::chown(t.path(name), Some(65534), None).unwrap();
        }
        fs::set_permissions(t.path("b"), fs::Permissions::from_mode(0o444)).unwrap();
        let cmd = format!("setpriv --reuid=65534 --regid=65534 --clear-groups {mv} a b");
        t.sh(&format!("echo n | script -qec '{cmd}' /dev/null"))
    };
    let ours = run(&format!("{}/mv", t.bin.display()));
    assert!(ours.text().contains("mv: replace 'b', overriding mode 0444 (r--r--r--)? "), "{ours:?}");
    assert_eq!(t.read("b"), b"old");
    let gnu = run("/usr/bin/mv");
    assert_eq!(ours.text(), gnu.text().replace("/usr/bin/mv:", "mv:"));
    // Not on a terminal: no question, the file is replaced.
    let r = t.sh("setpriv --reuid=65534 --regid=65534 --clear-groups $B/mv a b < /dev/null");
    assert_eq!((r.code, r.err.as_str()), (Some(0), ""));
    assert_eq!(t.read("b"), b"new");
}
