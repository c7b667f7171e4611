//! printf, test and [, env, uname: against GNU coreutils where GNU is the reference.
use behaviour_tests::*;

/// GNU's messages start with the path it was run as (`/usr/bin/printf: `); ours with the name.
fn gnu_err(r: &Run) -> String {
    r.err.replace("/usr/bin/", "")
}

#[track_caller]
fn same_as_gnu(t: &Sandbox, applet: &str, args: &[&str]) {
    let ours = t.run(applet, args);
    let gnu = t.gnu(applet, args, b"");
    assert_eq!(ours.out, gnu.out, "{applet} {args:?}: stdout {:?} vs GNU {:?}", ours.text(), gnu.text());
    assert_eq!(ours.code, gnu.code, "{applet} {args:?}: status; stderr {}", ours.err);
    assert_eq!(ours.err, gnu_err(&gnu), "{applet} {args:?}: stderr");
}

// ---- printf ----

#[test]
fn printf_matches_gnu_on_conversions_flags_and_reuse() {
    let t = Sandbox::new();
    let cases: &[&[&str]] = &[
        &["hello\\n"],
        &["%s-%s\\n", "a", "b", "c"],
        &[
            "[%5s][%-5s][%.2s][%*s][%-*.*s][%.*s]\\n",
            "ab",
            "cd",
            "ef",
            "4",
            "x",
            "6",
            "2",
            "abcdef",
            "-1",
            "xyz",
        ],
        &["%d %i %o %u %x %X %c|\\n", "42", "-7", "8", "3", "255", "255", "zed"],
        &[
            "%05d|%-5d|%+d|% d|%.3d|%5.3d|%-+5d|%05.2d|%.0d|%#.0o\\n",
            "42",
            "42",
            "42",
            "42",
            "7",
            "7",
            "7",
            "7",
            "0",
            "0",
        ],
        &["%#x %#o %#X %#.3x %#5x %#05x\\n", "255", "8", "0", "1", "1", "1"],
        &["%u %x %d\\n", "-1", "-1", "-9223372036854775808"],
        &["%d %d %d %i\\n", "017", "0x1F", " 12", "+5"],
        &["%d %d %c%c\\n", "'a", "\"b", "x"],
        &["%ld %hhd %lld %jd %zu %Lf\\n", "1", "2", "3", "4", "5", "6"],
        &[
            "%f %.2f %e %g %10.3f|%-10.3e|%+g % g %G %E\\n",
            "3.14159",
            "2.5",
            "12345.678",
            "0.0001",
            "3.14159",
            "-1.5",
            "100000",
            "1e6",
            "1e-5",
            "1e100",
        ],
        &[
            "%g %g %g %g %#g %#.3g %.0f %.0f %.0e %#.0f\\n",
            "123456",
            "1234567",
            "0.00001234",
            "100",
            "1",
            "1",
            "0.5",
            "1.5",
            "5",
            "3",
        ],
        &["%f %F %e %g %5.1f|%-6f|%06f|%05.1f\\n", "inf", "INF", "nan", "-inf", "inf", "-nan", "inf", "-2"],
        &["%f %f %f %.3f %g %G\\n", "0x1p3", " 1.5", "'A", "1e-10", "1e-300", "2.5e+300"],
        &["%.10f %.15g %.17g %e\\n", "0.1", "0.1", "123.456", "1e-300"],
        &[
            "%.30f %.2f %.2f %a %A %.25e %g %g\\n",
            "0.1",
            "2.005",
            "2.675",
            "0.1",
            "1e-5",
            "1e-5",
            "1e400",
            "1e-4000",
        ],
        &[
            "%g %g %.3f %e\\n",
            "10011.35",
            "0x1.999999999999999999p-4",
            "123456789012345678901234567890",
            "1e-320",
        ],
        &["%f|%g|%e\\n", "1e5000", "1e-5000", "1e-4940"],
        &[
            "%a %a %.0a %.0a %.1a %010a|%-8a|%+a|%.3A|%#.0a\\n",
            "1",
            "0",
            "15.9",
            "1.5",
            "1.97",
            "1",
            "1",
            "1",
            "2",
            "1",
        ],
        &["%%|%d|%s|%c|%f|\\n"],
        &["a\\tb\\101\\0101\\x41\\%d\\n"],
        &["%b|%b|%b|\\n", "\\0101\\101\\x41\\n", "\\q", "a\\\\b"],
        &["a\\cb"],
        &["%s%b%s\\n", "x", "y\\cz", "w"],
        &["%s\\n"],
        &["--", "%s\\n", "x"],
        &["-x"],
        &["%1000000d\\n", "1"],
    ];
    for c in cases {
        same_as_gnu(&t, "printf", c);
    }
}

#[test]
fn printf_reports_bad_numbers_like_gnu_and_goes_on() {
    let t = Sandbox::new();
    let cases: &[&[&str]] = &[
        &["%d|%d|%d|%d\\n", "x", "12abc", "99999999999999999999", "08"],
        &["%u\\n", "-99999999999999999999"],
        &["%d\\n", "'ab"],
        &["%d %d\\n", "-", " "],
        &["%f|%f\\n", "1.5x", "abc"],
        &["%d\\n", "0x"],
        &["%*d|\\n", "x", "1"],
        &["ab\\xzz%s", "x"],
        &["%b|", "a\\x", "b"],
        &["%s\\u0041", "x"],
        &["\\ud800"],
        &["x\\n", "a", "b"],
    ];
    for c in cases {
        same_as_gnu(&t, "printf", c);
    }
    // Words in messages are quoted as GNU's quote() does.
    same_as_gnu(&t, "printf", &["%d|%d|%d", "'", "a\\b", "x\ty\u{1}"]);
    same_as_gnu(&t, "test", &["a\\b'c", "-eq", "1"]);
}

#[test]
fn printf_bad_conversion_stops_with_status_1() {
    let t = Sandbox::new();
    for f in ["a%y b\\n", "ab%", "%#s", "%05s", "%.3c", "%#d", "%'x", "%5%", "%-+ #0d"] {
        same_as_gnu(&t, "printf", &[f, "1"]);
    }
    same_as_gnu(&t, "printf", &["%*d|\\n", "99999999999", "1"]);
}

#[test]
fn printf_b_takes_width_and_precision_as_posix_says() {
    let t = Sandbox::new();
    assert_eq!(t.run("printf", &["[%5b][%-4.2b]", "\\t", "xyz"]).ok(), "[    \t][xy  ]");
}

#[test]
fn printf_usage_errors_help_and_binary_output() {
    let t = Sandbox::new();
    t.run("printf", &[]).fails(1, "printf: missing operand");
    assert!(t.run("printf", &["--help"]).ok().starts_with("Usage: printf FORMAT"));
    let r = t.run("printf", &["%b%c", "\\0\\0377\\x80", ""]);
    assert_eq!(r.out, b"\0\xff\x80\0");
}

#[test]
fn printf_streams_huge_widths_in_little_memory() {
    let t = Sandbox::new();
    let r = t.sh("ulimit -v 50000; $B/printf '%100000000d|' 7 | wc -c");
    assert_eq!(r.ok().trim(), "100000001");
    t.sh("$B/printf '%-2000000000d|' 7 > /dev/full").fails(1, "printf: write error: No space left on device");
}

#[test]
fn printf_output_errors() {
    let t = Sandbox::new();
    t.sh("$B/printf x > /dev/full").fails(1, "printf: write error: No space left on device");
    let r = t.sh("{ $B/printf '%s\\n' $(seq 1 50000); echo $? >&2; } | head -1");
    let gnu = t.sh("{ /usr/bin/printf '%s\\n' $(seq 1 50000); echo $? >&2; } | head -1");
    assert_eq!(r.text(), "1\n");
    assert_eq!(r.err, gnu.err, "killed by SIGPIPE as GNU is, or a quiet 1 when it is ignored");
}

// ---- test and [ ----

/// Expressions whose status must equal GNU test's (words split on spaces; '' is empty).
const EXPRESSIONS: &[&str] = &[
    "",
    "a",
    "''",
    "-f",
    "!",
    "-n",
    "! a",
    "! ''",
    "-n ''",
    "-z ''",
    "-z a",
    "! -n ''",
    "= = =",
    "! = =",
    "a = a",
    "a == a",
    "a != a",
    "a = b",
    "a -a b",
    "a -a ''",
    "'' -o b",
    "'' -o ''",
    "( a )",
    "( '' )",
    "! ( '' )",
    "( -n a )",
    "( ! a )",
    "! ! a",
    "-a = -a",
    "a -o '' -a ''",
    "'' -a '' -o a",
    "'' -a ( '' -o a )",
    "! '' -a a",
    "! a -o ''",
    "( a -o '' ) -a ( ! '' )",
    "-n a -a -z '' -a x = x",
    "-n a -a -z '' -a x = y",
    "1 -eq 1 -o x = y -a y = z",
    "10 -gt 9",
    "9 -gt 10",
    "-5 -lt 3",
    "+3 -eq 3",
    "007 -eq 7",
    "-0 -eq 0",
    "99999999999999999999999 -gt 99999999999999999999998",
    "-99999999999999999999999 -lt -99999999999999999999998",
    "3 -ge 3",
    "3 -le 2",
    "3 -ne 3",
    "-l abc -eq 3",
    "2 -eq -l ab",
    "a -eq 1",
    "1 -eq 1x",
    "'' -eq 0",
    "- -eq 0",
    "0x10 -eq 16",
    "1 -eq 1 -o x -eq 2",
    "a b",
    "a b c",
    "-q a -a b -a c",
    "-l abc",
    "a b c d e",
    "1 -eq",
    "a -a",
    "( a b c d e )",
    "( a -a b",
    "x -o ( ( a ) )",
    "-z -z -a -z",
    "( )",
    "-t x",
    "-t 0",
    "-t 99",
    "-f f",
    "-f empty",
    "-f dir",
    "-d dir",
    "-d f",
    "-e missing",
    "-e link",
    "-h link",
    "-L dangling",
    "-e dangling",
    "-h f",
    "-f link",
    "-s f",
    "-s empty",
    "-r f",
    "-w f",
    "-x f",
    "-x dir",
    "-x exe",
    "-u suid",
    "-u f",
    "-g sgid",
    "-g f",
    "-k sticky",
    "-k dir",
    "-p fifo",
    "-p f",
    "-c /dev/null",
    "-b /dev/null",
    "-S f",
    "-O f",
    "-G f",
    "f -ef link",
    "f -ef empty",
    "f -ef missing",
    "old -nt new",
    "new -nt old",
    "old -ot new",
    "new -ot old",
    "f -nt missing",
    "missing -nt f",
    "missing -ot f",
    "f -ot missing",
    "-e / -nt /x",
    "-f f -a -d dir -a ! -e missing",
    "-f missing -o -d dir",
];

fn files(t: &Sandbox) {
    use std::os::unix::fs::PermissionsExt;
    t.write("f", "data");
    t.write("empty", "");
    t.write("exe", "#!/bin/sh\n");
    t.write("suid", "");
    t.write("sgid", "");
    t.write("old", "");
    t.write("new", "");
    std::fs::create_dir(t.path("dir")).unwrap();
    std::fs::create_dir(t.path("sticky")).unwrap();
    let mode =
        |p: &str, m: u32| std::fs::set_permissions(t.path(p), std::fs::Permissions::from_mode(m)).unwrap();
    mode("exe", 0o755);
    mode("suid", 0o4644);
    mode("sgid", 0o2644);
    mode("sticky", 0o1777);
    std::os::unix::fs::symlink("f", t.path("link")).unwrap();
    std::os::unix::fs::symlink("nowhere", t.path("dangling")).unwrap();
    assert!(std::process::Command::new("mkfifo").arg(t.path("fifo")).status().unwrap().success());
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options().write(true).open(t.path("old")).unwrap().set_modified(old).unwrap();
}

fn words(e: &str) -> Vec<&str> {
    e.split(' ').filter(|w| !w.is_empty()).map(|w| if w == "''" { "" } else { w }).collect()
}

#[test]
fn test_statuses_and_messages_match_gnu() {
    let t = Sandbox::new();
    files(&t);
    for e in EXPRESSIONS {
        let w = words(e);
        let ours = t.run("test", &w);
        let gnu = t.gnu("test", &w, b"");
        assert_eq!(ours.code, gnu.code, "test {e}: stderr {}", ours.err);
        assert_eq!(ours.err, gnu_err(&gnu), "test {e}");
        assert!(ours.out.is_empty());
    }
}

#[test]
fn bracket_matches_gnu_and_needs_its_bracket() {
    let t = Sandbox::new();
    files(&t);
    for e in EXPRESSIONS {
        let mut w = words(e);
        w.push("]");
        let ours = t.run("[", &w);
        let gnu = t.gnu("[", &w, b"");
        assert_eq!(ours.code, gnu.code, "[ {e} ]: stderr {}", ours.err);
    }
    t.run("[", &["a", "=", "a"]).fails(2, "[: missing ']'");
    t.run("[", &[]).fails(2, "[: missing ']'");
    assert_eq!(t.run("[", &["]"]).code, Some(1));
    assert!(t.run("[", &["--help"]).ok().starts_with("Usage: test"));
    assert_eq!(t.run("[", &["--help", "]"]).code, Some(0));
    let r = t.run("test", &["--help"]);
    assert_eq!((r.code, r.out.len()), (Some(0), 0), "test --help is a non-empty string");
}

#[test]
fn test_string_order_operators() {
    let t = Sandbox::new();
    assert_eq!(t.run("test", &["a", "<", "b"]).code, Some(0));
    assert_eq!(t.run("test", &["b", "<", "a"]).code, Some(1));
    assert_eq!(t.run("test", &["b", ">", "a"]).code, Some(0));
    assert_eq!(t.run("test", &["B", ">", "a"]).code, Some(1));
}

#[test]
fn test_permissions_use_effective_ids() {
    let t = Sandbox::new();
    t.write("ro", "");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(t.path("ro"), std::fs::Permissions::from_mode(0o444)).unwrap();
    // root may write anything but executes only what has an x bit.
    let w = t.run("test", &["-w", "ro"]).code;
    assert_eq!(w, Some(if is_root() { 0 } else { 1 }));
    assert_eq!(t.run("test", &["-x", "ro"]).code, Some(1));
    assert_eq!(t.run("test", &["-r", "ro"]).code, Some(0));
}

// ---- env ----

#[test]
fn env_prints_a_changed_environment_like_gnu() {
    let t = Sandbox::new();
    let cases: &[&[&str]] = &[
        &["-i", "A=1", "B=2"],
        &["-i", "A=1", "A=2", "C=", "=x"],
        &["-i", "-u", "A", "A=1", "B=2"],
        &["-0", "-i", "A=1", "B=2"],
        &["-", "A=1"],
        &["--ignore-environment", "--unset=B", "B=1"],
        &["-u", "B", "-u", "PATH"],
        &[],
    ];
    for c in cases {
        same_as_gnu(&t, "env", c);
    }
}

#[test]
fn env_runs_commands_through_the_new_path() {
    let t = Sandbox::new();
    assert_eq!(t.run("env", &["-i", "X=1", "/usr/bin/env"]).ok(), "X=1\n");
    assert_eq!(
        t.run("env", &["-i", "PATH=/nonexistent:/usr/bin", "env"]).ok(),
        "PATH=/nonexistent:/usr/bin\n"
    );
    let ours = format!("PATH={}", t.bin.display());
    assert_eq!(t.run("env", &["-i", &ours, "env", "-u", "PATH", "Y=2"]).ok(), "Y=2\n");
    assert_eq!(t.run("env", &["-i", "true"]).code, Some(0), "default PATH");
    assert_eq!(
        t.run("env", &["A=1", "/usr/bin/printf", "%s", "-i"]).ok(),
        "-i",
        "options end at the command"
    );
    assert_eq!(t.run("env", &["-C", "/", "/bin/pwd"]).ok(), "/\n");
}

#[test]
fn env_runs_scripts_without_interpreter_line_with_sh_and_searches_empty_entries_in_cwd() {
    use std::os::unix::fs::PermissionsExt;
    let t = Sandbox::new();
    t.write("hello", "echo hi\n");
    std::fs::set_permissions(t.path("hello"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let r = t.run("env", &["PATH=:/usr/bin", "hello"]);
    let g = t.gnu("env", &["PATH=:/usr/bin", "hello"], b"");
    assert_eq!(r.ok(), g.ok());
}

#[test]
fn env_split_string_as_gnu() {
    let t = Sandbox::new();
    let cases: &[&[&str]] = &[
        &["-S", "printf %s|%s|%s\\n a\\_b \"c d\" ${B}"],
        &["-S", "printf [%s]\\n 'a\\'b' 'c\\\\d' 'e\\nf' \"x\\_y\" '' #comment"],
        &["-Sprintf [%s] a\\cb", "rest"],
        &["--split-string=-i A=1 env"],
        &["-i", "-S", "A=1 B=2"],
        &["-S", ""],
        &["-S", "printf 'a"],
        &["-S", "\\q"],
        &["-S", "printf %s a\\"],
        &["-S", "printf [%s] a${HOME"],
        &["-S", "printf $HOME"],
        &["-S", "printf \"a\\c\""],
    ];
    for c in cases {
        same_as_gnu(&t, "env", c);
    }
    t.run("env", &["-S"]).fails(125, "env: option requires an argument -- 'S'");
}

#[test]
fn env_split_string_on_an_interpreter_line() {
    use std::os::unix::fs::PermissionsExt;
    let t = Sandbox::new();
    for (name, env) in [("ours", t.bin.join("env").display().to_string()), ("gnu", "/usr/bin/env".into())] {
        t.write(name, format!("#!{env} -S printf [%s]\\n a 'b c'\n"));
        std::fs::set_permissions(t.path(name), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let ours = t.sh("./ours x");
    assert_eq!(ours.ok(), "[a]\n[b c]\n[./ours]\n[x]\n");
    assert_eq!(t.sh("./gnu x").ok(), "[a]\n[b c]\n[./gnu]\n[x]\n");
}

#[test]
fn env_failures_have_gnu_statuses() {
    let t = Sandbox::new();
    t.write("plain", "");
    t.run("env", &["-i", "nonexistent"]).fails(127, "env: nonexistent: No such file or directory");
    t.run("env", &["./plain"]).fails(126, "env: ./plain: Permission denied");
    t.run("env", &["/"]).fails(126, "env: /: Permission denied");
    t.run("env", &["-C", "/nonexistent", "true"])
        .fails(125, "env: cannot change directory to '/nonexistent': No such file or directory");
    t.run("env", &["-C", "/"]).fails(125, "must specify command with --chdir (-C)");
    t.run("env", &["-0", "true"]).fails(125, "cannot specify --null (-0) with command");
    t.run("env", &["-u"]).fails(125, "option requires an argument -- 'u'");
    t.run("env", &["-Z"]).fails(125, "invalid option -- 'Z'");
    t.run("env", &["-u", "A=B"]).fails(125, "cannot unset 'A=B': Invalid argument");
    for args in [&["-i", "nonexistent"][..], &["./plain"], &["-C", "/nonexistent", "true"], &["-Z"]] {
        assert_eq!(t.run("env", args).code, t.gnu("env", args, b"").code, "{args:?}");
    }
}

#[test]
fn env_output_errors() {
    let t = Sandbox::new();
    t.sh("$B/env > /dev/full").fails(1, "env: write error: No space left on device");
    assert!(t.run("env", &["--help"]).ok().starts_with("Usage: env"));
}

// ---- uname ----

#[test]
fn uname_fields_match_gnu() {
    let t = Sandbox::new();
    for args in
        [&[][..], &["-s"], &["-n"], &["-r"], &["-v"], &["-m"], &["-snrvm"], &["-m", "-s"], &["-p"], &["-i"]]
    {
        same_as_gnu(&t, "uname", args);
    }
    for long in ["--kernel-name", "--nodename", "--kernel-release", "--kernel-version", "--machine"] {
        same_as_gnu(&t, "uname", &[long]);
    }
    let gnu = t.gnu("uname", &["-snrvm"], b"").ok();
    assert_eq!(t.run("uname", &["-a"]).ok(), format!("{} Linux\n", gnu.trim_end()));
    assert_eq!(t.run("uname", &["-o"]).ok(), "Linux\n");
    assert_eq!(t.run("uname", &["-ap"]).ok(), t.run("uname", &["-snrvmpo"]).ok());
}

#[test]
fn uname_errors() {
    let t = Sandbox::new();
    t.run("uname", &["x"]).fails(1, "uname: extra operand 'x'");
    t.run("uname", &["-Z"]).fails(1, "uname: invalid option -- 'Z'");
    assert!(t.run("uname", &["--help"]).ok().starts_with("Usage: uname"));
    t.sh("$B/uname > /dev/full").fails(1, "uname: write error: No space left on device");
}
