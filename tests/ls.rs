//! ls: compared with GNU ls wherever the two are meant to agree (LC_ALL=C, TZ=UTC).
use behaviour_tests::*;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::process::Command;

fn chmod(t: &Sandbox, rel: &str, mode: u32) {
    std::fs::set_permissions(t.path(rel), std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A small tree with every kind of name ls treats specially.
fn tree() -> Sandbox {
    let t = Sandbox::new();
    t.write("b.txt", b"hello\n");
    t.write("a", b"");
    t.write("C", vec![b'x'; 5000]);
    t.write(".hidden", b"h");
    t.write("exe", b"#!/bin/sh\n");
    chmod(&t, "exe", 0o755);
    t.write("dir/inner", b"1");
    t.write("dir/sub/deep", b"22");
    t.write("dir/.dot", b"");
    std::fs::create_dir(t.path("empty")).unwrap();
    symlink("b.txt", t.path("link")).unwrap();
    symlink("dir", t.path("dirlink")).unwrap();
    symlink("nowhere", t.path("dangling")).unwrap();
    Command::new("mkfifo").arg(t.path("fifo")).status().unwrap();
    t.write("suid", b"");
    chmod(&t, "suid", 0o4755);
    t.write("sgid", b"");
    chmod(&t, "sgid", 0o2644);
    std::fs::create_dir(t.path("sticky")).unwrap();
    chmod(&t, "sticky", 0o1777);
    std::fs::create_dir(t.path("sticky2")).unwrap();
    chmod(&t, "sticky2", 0o1770);
    t
}

/// Runs ours and GNU's with the same arguments and demands the same output and status.
#[track_caller]
fn same(t: &Sandbox, args: &[&str]) -> String {
    let ours = t.run("ls", args);
    let gnu = t.gnu("ls", args, b"");
    assert_eq!(ours.text(), gnu.text(), "ls {args:?}: stdout differs; our stderr: {}", ours.err);
    assert_eq!(ours.code, gnu.code, "ls {args:?}: status differs");
    ours.text()
}

#[test]
fn plain_listing_is_sorted_by_bytes_one_per_line() {
    let t = tree();
    let out = same(&t, &[]);
    assert!(out.starts_with("C\na\nb.txt\n"), "{out}");
}

#[test]
fn all_and_almost_all() {
    let t = tree();
    assert!(same(&t, &["-a"]).starts_with(".\n..\n.hidden\n"));
    assert!(same(&t, &["-A"]).starts_with(".hidden\nC\n"));
    same(&t, &["-aA"]);
    same(&t, &["-Aa"]);
}

#[test]
fn long_format_matches_gnu() {
    let t = tree();
    let out = same(&t, &["-l"]);
    assert!(out.starts_with("total "), "{out}");
    assert!(out.contains(" link -> b.txt\n"));
    assert!(out.contains("-rwsr-xr-x"));
    assert!(out.contains("-rw-r-Sr--"));
    assert!(out.contains("drwxrwxrwt"));
    assert!(out.contains("drwxrwx--T"));
    assert!(out.contains("prw-r--r--"));
    same(&t, &["-la"]);
    same(&t, &["-ln"]);
    same(&t, &["-lg"]);
    same(&t, &["-lo"]);
    same(&t, &["-lgo"]);
    same(&t, &["-lG"]);
    same(&t, &["-lh"]);
    same(&t, &["-li"]);
    same(&t, &["-ls"]);
    same(&t, &["-lsh"]);
    same(&t, &["-lR"]);
}

#[test]
fn long_format_of_devices_and_system_files() {
    let t = Sandbox::new();
    same(&t, &["-l", "/dev/null", "/dev/zero", "/dev/tty", "/etc/passwd"]);
    same(&t, &["-lL", "/dev/stdin"]);
    same(&t, &["-ln", "/dev/null", "/etc/passwd"]);
}

#[test]
fn long_format_of_an_old_file_shows_the_year() {
    let t = Sandbox::new();
    t.write("old", b"x");
    t.write("future", b"x");
    Command::new("touch").args(["-d", "2001-02-03 04:05:06", "old"]).current_dir(&t.dir).status().unwrap();
    Command::new("touch").args(["-d", "2099-01-01 00:00", "future"]).current_dir(&t.dir).status().unwrap();
    let out = same(&t, &["-l"]);
    assert!(out.contains(" Feb  3  2001 old\n"), "{out}");
    assert!(out.contains(" Jan  1  2099 future\n"), "{out}");
}

#[test]
fn sorting_by_time_size_and_reversed() {
    let t = Sandbox::new();
    for (i, name) in ["m", "z", "a", "q"].iter().enumerate() {
        t.write(name, vec![b'.'; 100 * (i % 3)]);
        let stamp = format!("2020-01-0{} 00:00", i + 1);
        Command::new("touch").args(["-d", &stamp, name]).current_dir(&t.dir).status().unwrap();
    }
    assert_eq!(same(&t, &["-t"]), "q\na\nz\nm\n");
    same(&t, &["-tr"]);
    same(&t, &["-S"]);
    same(&t, &["-Sr"]);
    same(&t, &["-r"]);
    same(&t, &["-lt"]);
    same(&t, &["-ltu"]);
    same(&t, &["-ltc"]);
    same(&t, &["-lc"]);
    same(&t, &["-c"]);
    same(&t, &["-u"]);
}

#[test]
fn unsorted_lists_every_entry_once() {
    let t = tree();
    let ours = t.run("ls", &["-U"]).ok();
    let mut ours: Vec<&str> = ours.lines().collect();
    ours.sort();
    let gnu = t.gnu("ls", &[], b"").ok();
    let mut gnu: Vec<&str> = gnu.lines().collect();
    gnu.sort();
    assert_eq!(ours, gnu);
    let f = t.run("ls", &["-f"]).ok();
    assert!(f.lines().any(|l| l == ".hidden") && f.lines().any(|l| l == ".."));
}

#[test]
fn indicators() {
    let t = tree();
    let out = same(&t, &["-F"]);
    for want in ["dir/\n", "exe*\n", "link@\n", "fifo|\n", "dangling@\n"] {
        assert!(out.contains(want), "{want} in {out}");
    }
    same(&t, &["-p"]);
    same(&t, &["--file-type"]);
    let lf = same(&t, &["-lF"]);
    assert!(lf.contains("dirlink -> dir/\n"), "{lf}");
    same(&t, &["-lp"]);
}

#[test]
fn inode_and_block_columns() {
    let t = tree();
    same(&t, &["-i"]);
    same(&t, &["-s"]);
    same(&t, &["-si"]);
    same(&t, &["-sh"]);
    same(&t, &["-sk"]);
}

#[test]
fn columns_across_and_commas_at_several_widths() {
    let t = tree();
    for w in ["1", "10", "20", "30", "45", "80", "200", "0"] {
        same(&t, &["-C", "-w", w]);
        same(&t, &["-x", "-w", w]);
        same(&t, &["-m", "-w", w]);
        same(&t, &["-Ci", "-w", w]);
        same(&t, &["-CsF", "-w", w]);
    }
    same(&t, &["-C", "-T", "0", "-w", "40"]);
    same(&t, &["-C", "-T", "4", "-w", "40"]);
    // COLUMNS is used when standard output is not a terminal.
    let o = t.sh("COLUMNS=30 $B/ls -C");
    let g = t.sh("COLUMNS=30 ls -C");
    assert_eq!(o.text(), g.text());
    assert!(o.text().lines().count() > 3);
    for cols in ["0", "1", "abc", ""] {
        let o = t.sh(&format!("COLUMNS={cols} $B/ls -C"));
        let g = t.sh(&format!("COLUMNS={cols} ls -C 2>/dev/null"));
        assert_eq!(o.text(), g.text(), "COLUMNS={cols}");
    }
}

#[test]
fn many_names_in_columns() {
    let t = Sandbox::new();
    for i in 0..300 {
        let name = "n".repeat(1 + i % 17) + &i.to_string();
        t.write(&name, b"");
    }
    for w in ["80", "132", "37"] {
        same(&t, &["-C", "-w", w]);
        same(&t, &["-x", "-w", w]);
    }
}

#[test]
fn operands_files_first_then_directories_with_headings() {
    let t = tree();
    same(&t, &["dir"]);
    same(&t, &["dir", "empty"]);
    same(&t, &["b.txt", "dir", "a", "empty"]);
    same(&t, &["-l", "b.txt", "dir", "a"]);
    same(&t, &["-d", "dir", "empty", "a"]);
    same(&t, &["-ld", "dir", "."]);
    same(&t, &["dir/"]);
    same(&t, &["-d"]);
    same(&t, &["a", "a"]);
}

#[test]
fn recursion() {
    let t = tree();
    let out = same(&t, &["-R"]);
    assert!(out.starts_with(".:\n"));
    assert!(out.contains("\n./dir/sub:\ndeep\n"));
    same(&t, &["-R", "dir"]);
    same(&t, &["-Ra", "dir"]);
    same(&t, &["-RA"]);
    same(&t, &["-lR", "dir", "empty"]);
    same(&t, &["-Rr"]);
    same(&t, &["-R", "dir/"]);
}

#[test]
fn recursion_with_dereference_does_not_loop() {
    let t = Sandbox::new();
    t.write("d/f", b"");
    symlink("..", t.path("d/up")).unwrap();
    let r = t.run("ls", &["-RL", "d"]);
    assert_eq!(r.code, Some(2));
    assert!(r.err.contains("not listing already-listed directory"), "{}", r.err);
}

#[test]
fn symlinks_on_the_command_line() {
    let t = tree();
    // Followed to a directory by default, not with -l or -d or -F.
    same(&t, &["dirlink"]);
    same(&t, &["-l", "dirlink"]);
    same(&t, &["-d", "dirlink"]);
    same(&t, &["-F", "dirlink"]);
    same(&t, &["-lH", "dirlink"]);
    same(&t, &["-lL", "dirlink", "link"]);
    same(&t, &["-l", "dangling"]);
    same(&t, &["dangling"]);
    same(&t, &["-lL"]);
}

#[test]
fn group_directories_first() {
    let t = tree();
    same(&t, &["--group-directories-first"]);
    same(&t, &["--group-directories-first", "-r"]);
    same(&t, &["--group-directories-first", "-lt"]);
}

#[test]
fn missing_operands_exit_2_with_k1os_wording() {
    let t = tree();
    let r = t.run("ls", &["nope", "a"]);
    r.fails(2, "ls: nope: No such file or directory\n");
    assert_eq!(r.text(), "a\n");
    assert_eq!(t.gnu("ls", &["nope", "a"], b"").code, Some(2));
    let r = t.run("ls", &["nope", "dir"]);
    assert_eq!(r.text(), t.gnu("ls", &["nope", "dir"], b"").text());
}

#[test]
fn unreadable_directory() {
    if is_root() {
        return; // root reads everything
    }
    let t = tree();
    chmod(&t, "dir/sub", 0o000);
    let r = t.run("ls", &["-R", "dir"]);
    r.fails(1, "ls: dir/sub: Permission denied");
    t.run("ls", &["dir/sub"]).fails(2, "ls: dir/sub: Permission denied");
}

#[test]
fn not_a_directory_lists_the_file() {
    let t = tree();
    same(&t, &["b.txt"]);
    same(&t, &["-R", "b.txt"]);
    same(&t, &["./b.txt"]);
}

#[test]
fn options_errors() {
    let t = Sandbox::new();
    let r = t.run("ls", &["-Z"]);
    r.fails(2, "ls: invalid option -- 'Z'\nUsage: ls");
    t.run("ls", &["--bogus"]).fails(2, "unrecognized option");
    t.run("ls", &["--color=sometimes"]).fails(2, "ls: invalid argument 'sometimes' for '--color'");
    t.run("ls", &["-w", "x"]).fails(2, "ls: invalid line width: 'x'");
    assert!(t.run("ls", &["--help"]).ok().starts_with("Usage: ls"));
}

#[test]
fn weird_names_are_printed_raw_when_not_a_terminal() {
    let t = Sandbox::new();
    t.write("new\nline", b"");
    t.write("tab\there", b"");
    t.write("sp ace", b"");
    std::fs::write(t.dir.join(std::ffi::OsStr::from_bytes(b"bad\xff\xfe")), b"").unwrap();
    same(&t, &[]);
    same(&t, &["-l"]);
    same(&t, &["-q"]);
    same(&t, &["-C", "-w", "30"]);
    let q = t.run("ls", &["-q"]).ok();
    assert!(q.contains("new?line\n") && q.contains("bad??\n"), "{q}");
    let raw = t.run("ls", &[]).out;
    assert!(raw.windows(5).any(|w| w == b"bad\xff\xfe"));
    // Valid UTF-8 is printable (GNU in the C locale would print ? per byte).
    t.write("\u{e9}t\u{e9}", b"");
    assert!(t.run("ls", &["-q"]).ok().contains("\u{e9}t\u{e9}\n"));
}

#[test]
fn colors_match_gnu_defaults() {
    let t = tree();
    for args in
        ["--color=always", "--color", "-l --color=always", "-F --color=always", "-C -w 40 --color=always"]
    {
        let o = t.sh(&format!("TERM=xterm LS_COLORS= $B/ls {args}"));
        let g = t.sh(&format!("TERM=xterm LS_COLORS= ls {args}"));
        assert_eq!(o.text(), g.text(), "{args}");
        assert!(o.text().contains("\x1b[01;34mdir\x1b[0m"), "{args}");
    }
    // Not on a terminal, auto means no colour; never means never.
    let o = t.sh("TERM=xterm $B/ls --color=auto; TERM=xterm $B/ls --color=never");
    assert!(!o.text().contains('\x1b'));
    // An LS_COLORS value overrides the built-in colours.
    let spec = "LS_COLORS='di=01;31:*.txt=04;33:ex=00'";
    let o = t.sh(&format!("TERM=xterm {spec} $B/ls --color=always"));
    let g = t.sh(&format!("TERM=xterm {spec} ls --color=always"));
    assert_eq!(o.text(), g.text());
    assert!(o.text().contains("\x1b[04;33mb.txt\x1b[0m"));
}

#[test]
fn colors_from_dircolors_database_match_gnu() {
    let t = tree();
    t.write("x.tar", b"");
    t.write("Y.TAR", b"");
    t.write("pic.jpg", b"");
    chmod(&t, "empty", 0o777);
    let db = Command::new("dircolors").arg("-b").output().unwrap();
    let db = String::from_utf8_lossy(&db.stdout).into_owned();
    for args in ["", "-l", "-F", "-lF", "-lL", "-R dir", "--group-directories-first -l"] {
        let run = |ls: &str| t.sh(&format!("{db}\nTERM=xterm {ls} --color=always {args}")).text();
        assert_eq!(run("$B/ls"), run("ls"), "{args}");
    }
    // Long names in colour wrap past 80 columns: GNU clears to the end of the line after them.
    t.write(&"n".repeat(90), b"");
    symlink("x".repeat(60), t.path(&"l".repeat(30))).unwrap();
    symlink("b.txt", t.path(&"m".repeat(70))).unwrap();
    for args in ["-l", "-lgo", "-li", "-1", "-C", "-x", "-m", "-ls", "-1is", "-Cis"] {
        let run = |ls: &str| t.sh(&format!("{db}\nTERM=xterm {ls} --color=always {args}")).text();
        assert_eq!(run("$B/ls"), run("ls"), "{args}");
    }
    assert!(t.sh(&format!("{db}\nTERM=xterm $B/ls -l --color=always")).text().contains("\x1b[K"));
    for spec in ["ln=target:or=31", "mi=05:or=31", "or=31", "ex=00:fi=35", "su=:sg=:ow=:tw=:st="] {
        for args in ["-l", "", "-lF"] {
            let run =
                |ls: &str| t.sh(&format!("TERM=xterm LS_COLORS='{spec}' {ls} --color=always {args}")).text();
            assert_eq!(run("$B/ls"), run("ls"), "{spec} {args}");
        }
    }
}

#[test]
fn empty_directory_and_total_zero() {
    let t = Sandbox::new();
    assert_eq!(same(&t, &[]), "");
    assert_eq!(same(&t, &["-l"]), "total 0\n");
    same(&t, &["-s"]);
    same(&t, &["-C"]);
}

#[test]
fn stdout_closed_early_and_full() {
    let t = Sandbox::new();
    for i in 0..2000 {
        t.write(&format!("f{i:04}"), b"");
    }
    let r = t.sh("$B/ls -l | head -1");
    assert_eq!(r.code, Some(0));
    assert_eq!(r.text(), "total 0\n");
    let r = t.sh("$B/ls > /dev/full");
    assert_eq!(r.code, Some(1));
    assert!(r.err.contains("ls: write error: No space left on device"), "{}", r.err);
}

#[test]
fn big_tree_long_recursive_matches_gnu() {
    let t = Sandbox::new();
    for d in 0..20 {
        for f in 0..50 {
            t.write(&format!("d{d}/s{}/f{f}", f % 3), vec![b'x'; f * 37]);
        }
    }
    same(&t, &["-lR"]);
    same(&t, &["-lRa"]);
    same(&t, &["-R1s"]);
}

#[test]
fn unknown_owner_is_shown_as_a_right_aligned_number() {
    if !is_root() {
        return; // only root can give a file away
    }
    let t = Sandbox::new();
    t.write("mine", b"");
    t.write("theirs", b"");
    Command::new("chown").args(["123456:654321", "theirs"]).current_dir(&t.dir).status().unwrap();
    let out = same(&t, &["-l"]);
    assert!(out.contains(" 123456 654321 "), "{out}");
    same(&t, &["-ln"]);
}

#[test]
fn a_file_operand_with_a_trailing_slash_is_not_a_directory() {
    let t = tree();
    t.run("ls", &["b.txt/"]).fails(2, "ls: b.txt/: Not a directory\n");
    assert_eq!(t.gnu("ls", &["b.txt/"], b"").code, Some(2));
    t.run("ls", &[""]).fails(2, "ls: : No such file or directory\n");
}

/// Runs `cmd` (with `LS` the ls to use) on a pseudo-terminal 40 columns wide.
fn on_tty(t: &Sandbox, ls: &str, cmd: &str) -> String {
    let script = format!("stty cols 40 2>/dev/null; {}", cmd.replace("LS", ls));
    let r = t.sh(&format!("TERM=xterm script -qec '{script}' /dev/null"));
    r.text()
}

#[test]
fn on_a_terminal_names_go_in_columns_with_colour_auto() {
    if Command::new("script").arg("-V").output().is_err() {
        return;
    }
    let t = tree();
    let ours = t.bin.join("ls").display().to_string();
    for cmd in ["LS", "LS -F", "LS --color=auto", "LS -x", "LS -1", "LS -l dir", "LS -s"] {
        let o = on_tty(&t, &ours, cmd);
        let g = on_tty(&t, "ls", cmd);
        assert_eq!(o, g, "{cmd}");
    }
    assert!(on_tty(&t, &ours, "LS --color=auto").contains("\x1b[01;34mdir\x1b[0m"));
    assert!(on_tty(&t, &ours, "LS").lines().count() < 10);
    // Nonprintable bytes show as ? on a terminal (GNU would shell-quote the name).
    t.write("new\nline", b"");
    assert!(on_tty(&t, &ours, "LS -1").contains("new?line"));
    assert!(
        on_tty(&t, &ours, "LS -1 --show-control-chars").contains("new\r\nline"),
        "the terminal turns \\n into \\r\\n"
    );
}
