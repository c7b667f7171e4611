//! cat, head, tail and wc against GNU coreutils, plus the cases GNU cannot check for us
//! (following files, closed and full outputs, interactive input).
use behaviour_tests::*;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `applet args` with `stdin` through ours and GNU's; stdout, stderr and status must match.
#[track_caller]
fn same(t: &Sandbox, applet: &str, args: &[&str], stdin: &[u8]) {
    let ours = t.run_with(applet, args, stdin);
    let mut gnu = t.gnu(applet, args, stdin);
    gnu.err = gnu.err.replace(&format!("/usr/bin/{applet}"), applet);
    assert_eq!(ours.text(), gnu.text(), "stdout of {applet} {args:?}");
    assert_eq!(ours.out, gnu.out, "stdout bytes of {applet} {args:?}");
    assert_eq!(ours.err, gnu.err, "stderr of {applet} {args:?}");
    assert_eq!(ours.code, gnu.code, "status of {applet} {args:?}");
}

/// Files most tests use: text with blank runs, tabs and control bytes; one without a final
/// newline; binary data; an empty file; a directory.
fn fixtures() -> Sandbox {
    let t = Sandbox::new();
    t.write("text", b"one\ntwo\t2\n\n\n\nthree \x01\x7f\xff\xc3\xa9 end\r\n\n  four  five\n");
    t.write("nonl", b"alpha\nbeta\ngamma");
    let bin: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 256) as u8).collect();
    t.write("bin", bin);
    t.write("empty", b"");
    let lines: String = (1..=100).map(|i| format!("line {i}\n")).collect();
    t.write("hundred", lines);
    std::fs::create_dir(t.path("dir")).unwrap();
    t
}

// ---------------------------------------------------------------- cat

#[test]
fn cat_options_match_gnu() {
    let t = fixtures();
    for opts in [
        &[][..],
        &["-n"],
        &["-b"],
        &["-s"],
        &["-v"],
        &["-A"],
        &["-e"],
        &["-t"],
        &["-E"],
        &["-T"],
        &["-u"],
        &["-bn"],
        &["-ns"],
        &["-sb", "-A"],
        &["--number"],
        &["--number-nonblank"],
        &["--squeeze-blank"],
        &["--show-nonprinting"],
        &["--show-all"],
        &["--show-ends"],
        &["--show-tabs"],
    ] {
        for files in [&["text"][..], &["nonl", "text", "nonl"], &["bin"], &["empty"]] {
            let mut a = opts.to_vec();
            a.extend_from_slice(files);
            same(&t, "cat", &a, b"");
        }
    }
}

#[test]
fn cat_dash_is_stdin_between_files() {
    let t = fixtures();
    same(&t, "cat", &["nonl", "-", "nonl"], b"from stdin\n");
    same(&t, "cat", &["-n", "nonl", "-", "text"], b"x\ny");
    same(&t, "cat", &[], b"just stdin");
}

#[test]
fn cat_reports_missing_files_and_directories_and_goes_on() {
    let t = fixtures();
    let r = t.run("cat", &["nonl", "missing", "dir", "nonl"]);
    assert_eq!(r.code, Some(1));
    assert_eq!(r.out, b"alpha\nbeta\ngammaalpha\nbeta\ngamma");
    assert_eq!(r.err, "cat: missing: No such file or directory\ncat: dir: Is a directory\n");
    same(&t, "cat", &["-n", "dir", "text"], b"");
}

#[test]
fn cat_bad_option_is_a_usage_error() {
    let t = fixtures();
    t.run("cat", &["-Z"]).fails(1, "cat: invalid option -- 'Z'");
    assert!(t.run("cat", &["--help"]).ok().contains("--show-nonprinting"));
}

#[test]
fn cat_copies_big_files_exactly() {
    let t = fixtures();
    let big: Vec<u8> = (0..3_000_000u32).map(|i| (i % 251) as u8).collect();
    t.write("big", &big);
    let r = t.sh("$B/cat big big > out; $B/cat big | $B/cat > piped; $B/cat nonl > app; $B/cat big >> app");
    assert_eq!(r.code, Some(0), "{}", r.err);
    let mut app = b"alpha\nbeta\ngamma".to_vec();
    app.extend_from_slice(&big);
    assert!(t.read("app") == app, "cat >> appends");
    assert_eq!(t.read("out").len(), 6_000_000);
    assert_eq!(&t.read("out")[3_000_000..], &big[..]);
    assert_eq!(t.read("piped"), big);
}

#[test]
fn cat_one_megabyte_line() {
    let t = fixtures();
    let mut line = vec![b'x'; 1 << 20];
    line.push(b'\n');
    t.write("long", &line);
    same(&t, "cat", &["-n", "long"], b"");
    same(&t, "cat", &["-A", "long"], b"");
}

#[test]
fn cat_refuses_to_copy_a_file_into_itself() {
    let t = fixtures();
    let r = t.sh("$B/cat nonl >> nonl");
    r.fails(1, "cat: nonl: input file is output file");
    assert_eq!(t.read("nonl"), b"alpha\nbeta\ngamma");
}

#[test]
fn cat_full_device_and_closed_pipe() {
    let t = fixtures();
    t.sh("$B/cat text > /dev/full").fails(1, "cat: write error: No space left on device");
    t.sh("$B/cat -n text > /dev/full").fails(1, "cat: write error: No space left on device");
    let big: String = (0..200_000).map(|i| format!("{i}\n")).collect();
    t.write("many", big);
    let r = t.sh("$B/cat many 2>err | $B/head -n 1; $B/cat -n many 2>>err | $B/head -n 1; $B/cat err");
    assert_eq!(r.text(), "0\n     1\t0\n");
}

/// Output appears as input arrives, without waiting for the end of input.
#[track_caller]
fn streams_interactively(t: &Sandbox, applet: &str, args: &[&str], feed: &[u8], expect: &[u8]) {
    let mut child = Command::new(t.bin.join(applet))
        .args(args)
        .current_dir(&t.dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(feed).unwrap();
    input.flush().unwrap();
    let got = Reader::new(child.stdout.take().unwrap()).wait_for(expect.len(), Duration::from_secs(5));
    drop(input);
    let _ = child.wait();
    assert_eq!(got, expect, "{applet} {args:?} held its output back");
}

/// Collects a child's output on a thread, so that tests can wait for it with a time limit.
struct Reader {
    rx: std::sync::mpsc::Receiver<Vec<u8>>,
    got: Vec<u8>,
}

impl Reader {
    fn new(mut r: impl Read + Send + 'static) -> Reader {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut b = [0u8; 65536];
            while let Ok(n @ 1..) = r.read(&mut b) {
                if tx.send(b[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Reader { rx, got: Vec::new() }
    }

    /// Everything read so far once there are at least `n` bytes or `limit` has passed.
    fn wait_for(&mut self, n: usize, limit: Duration) -> Vec<u8> {
        let end = Instant::now() + limit;
        while self.got.len() < n {
            let left = end.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(b) => self.got.extend_from_slice(&b),
                Err(_) => break,
            }
        }
        self.got.clone()
    }

    /// Waits until the output contains `needle` (or `limit` passes); returns all of it.
    fn wait_until(&mut self, needle: &str, limit: Duration) -> String {
        let end = Instant::now() + limit;
        while !String::from_utf8_lossy(&self.got).contains(needle) {
            let left = end.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(b) => self.got.extend_from_slice(&b),
                Err(_) => break,
            }
        }
        String::from_utf8_lossy(&self.got).into_owned()
    }
}

/// Runs `script` (a terminal for `cmd`'s standard input), types `line`, and returns what
/// came out before the end of input: the terminal's echo and whatever `cmd` printed.
fn typed_at_terminal(t: &Sandbox, cmd: &str, line: &str, expect: &str) -> String {
    let mut child = Command::new("script")
        .args(["-qfec", cmd, "/dev/null"])
        .current_dir(&t.dir)
        .env("B", &t.bin)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let mut out = Reader::new(child.stdout.take().unwrap());
    // Give the command time to block on the terminal before anything is typed.
    std::thread::sleep(Duration::from_millis(300));
    input.write_all(line.as_bytes()).unwrap();
    input.flush().unwrap();
    let got = out.wait_until(expect, Duration::from_secs(5));
    let _ = input.write_all(b"\x04");
    drop(input);
    let _ = child.kill();
    let _ = child.wait();
    got
}

#[test]
fn cat_from_a_terminal_into_a_pipe_does_not_wait_for_more_input() {
    let t = fixtures();
    // The tty echoes the line once; `cat | cat -n` must print it numbered right away.
    let got = typed_at_terminal(&t, "$B/cat | $B/cat -n", "typed\n", "1\ttyped");
    assert!(got.contains("     1\ttyped"), "output {got:?}");
    let got = typed_at_terminal(&t, "$B/cat | $B/cat", "again\n", "again\r\nagain");
    assert!(got.contains("again\r\nagain"), "output {got:?}");
}

#[test]
fn cat_passes_interactive_input_through_at_once() {
    let t = fixtures();
    streams_interactively(&t, "cat", &[], b"first line\n", b"first line\n");
    streams_interactively(&t, "cat", &["-n"], b"first\n", b"     1\tfirst\n");
}

// ---------------------------------------------------------------- head

#[test]
fn head_counts_match_gnu() {
    let t = fixtures();
    for opts in [
        &[][..],
        &["-n", "3"],
        &["-n3"],
        &["-n", "0"],
        &["-n", "-3"],
        &["-n", "-0"],
        &["-n", "-1000"],
        &["-c", "5"],
        &["-c", "-5"],
        &["-c", "0"],
        &["-c", "1k"],
        &["-c", "-1k"],
        &["-n", "1b"],
        &["--lines=2"],
        &["--bytes=-3"],
        &["-3"],
        &["-2c"],
        &["-q"],
        &["-v"],
        &["-z", "-n", "2"],
    ] {
        for files in [&["text"][..], &["nonl"], &["hundred"], &["bin"], &["empty"], &["nonl", "hundred"]] {
            let mut a = opts.to_vec();
            a.extend_from_slice(files);
            same(&t, "head", &a, b"");
        }
    }
}

#[test]
fn head_reads_pipes_and_dash() {
    let t = fixtures();
    let data = std::fs::read(t.path("hundred")).unwrap();
    for opts in [&[][..], &["-n", "-7"], &["-c", "-100"], &["-c", "20"], &["-n", "5"], &["-v"]] {
        same(&t, "head", opts, &data);
        let mut a = opts.to_vec();
        a.extend_from_slice(&["nonl", "-"]);
        same(&t, "head", &a, &data);
    }
    same(&t, "head", &["-n", "-1"], b"a\nb\nc");
    same(&t, "head", &["-n", "-2"], b"a\nb\nc\n");
}

#[test]
fn head_all_but_last_lines_of_a_big_pipe() {
    let t = fixtures();
    let big: String = (0..300_000).map(|i| format!("{i}\n")).collect();
    for n in ["-1", "-5000", "-299999", "-300000", "-300001"] {
        same(&t, "head", &["-n", n], big.as_bytes());
    }
    same(&t, "head", &["-c", "-70000"], big.as_bytes());
}

#[test]
fn head_errors_match_gnu() {
    let t = fixtures();
    same(&t, "head", &["missing", "nonl"], b"");
    same(&t, "head", &["dir", "nonl"], b"");
    same(&t, "head", &["-n", "x", "nonl"], b"");
    same(&t, "head", &["-c", "2x", "nonl"], b"");
    same(&t, "head", &["-n", "99999999999999999999", "nonl"], b"");
    same(&t, "head", &["-n", "+2", "nonl"], b"");
    same(&t, "head", &["-c", "+2", "nonl"], b"");
    t.run("head", &["-Z"]).fails(1, "head: invalid option -- 'Z'");
}

#[test]
fn head_leaves_a_seekable_input_after_what_it_printed() {
    let t = fixtures();
    let r = t.sh("{ $B/head -n 2; $B/cat; } < hundred | $B/wc -l");
    assert_eq!(r.ok().trim(), "100");
}

#[test]
fn head_one_megabyte_line_and_outputs_that_fail() {
    let t = fixtures();
    let mut line = vec![b'y'; 1 << 20];
    line.extend_from_slice(b"\nsecond\n");
    t.write("long", &line);
    same(&t, "head", &["-n", "1", "long"], b"");
    same(&t, "head", &["-n", "-1", "long"], b"");
    t.sh("$B/head hundred > /dev/full").fails(1, "head: write error: No space left on device");
    let r = t.sh("$B/head -n 100000 long 2>err | $B/head -c 3; $B/cat err");
    assert_eq!(r.text(), "yyy");
}

// ---------------------------------------------------------------- tail

#[test]
fn tail_counts_match_gnu() {
    let t = fixtures();
    for opts in [
        &[][..],
        &["-n", "3"],
        &["-n", "0"],
        &["-n", "+3"],
        &["-n", "+0"],
        &["-n", "+1000"],
        &["-n", "-2"],
        &["-n", "1000"],
        &["-c", "5"],
        &["-c", "+5"],
        &["-c", "0"],
        &["-c", "1k"],
        &["-c", "+1k"],
        &["-n", "1b"],
        &["--lines=2"],
        &["--bytes=+3"],
        &["-q"],
        &["-v"],
        &["-z", "-n", "2"],
    ] {
        for files in [&["text"][..], &["nonl"], &["hundred"], &["bin"], &["empty"], &["nonl", "hundred"]] {
            let mut a = opts.to_vec();
            a.extend_from_slice(files);
            same(&t, "tail", &a, b"");
            // The same from a pipe.
            if files.len() == 1 {
                let data = std::fs::read(t.path(files[0])).unwrap();
                same(&t, "tail", opts, &data);
            }
        }
    }
}

#[test]
fn tail_obsolete_forms() {
    let t = fixtures();
    for a in [&["-3", "hundred"][..], &["+98", "hundred"], &["-5c", "hundred"], &["+5c", "nonl"], &["-2"]] {
        same(&t, "tail", a, b"a\nb\nc\n");
    }
    same(&t, "tail", &["-2", "nonl", "hundred"], b"");
    same(&t, "tail", &["+2", "nonl", "hundred"], b"");
}

#[test]
fn tail_big_file_and_big_pipe() {
    let t = fixtures();
    let big: String = (0..300_000).map(|i| format!("{i}\n")).collect();
    t.write("big", &big);
    for n in ["1", "5000", "299999", "300000", "300001", "+299990"] {
        same(&t, "tail", &["-n", n, "big"], b"");
        same(&t, "tail", &["-n", n], big.as_bytes());
    }
    same(&t, "tail", &["-c", "70000", "big"], b"");
    same(&t, "tail", &["-c", "70000"], big.as_bytes());
    // A file read from the middle: tail starts at the current offset of standard input.
    let r = t.sh("{ $B/head -n 299998 >/dev/null; $B/tail -n 5; } < big");
    assert_eq!(r.ok(), "299998\n299999\n");
}

#[test]
fn tail_errors_match_gnu() {
    let t = fixtures();
    same(&t, "tail", &["-f", "missing"], b"");
    same(&t, "tail", &["-f", "-n", "1", "dir"], b"");
    same(&t, "tail", &["--pid=1", "-n", "1", "nonl"], b"");
    same(&t, "tail", &["missing", "nonl"], b"");
    same(&t, "tail", &["dir", "nonl"], b"");
    same(&t, "tail", &["-n", "x", "nonl"], b"");
    same(&t, "tail", &["-c", "2x", "nonl"], b"");
    same(&t, "tail", &["-c", "99999999999999999999k", "nonl"], b"");
    same(&t, "tail", &["--follow=bogus", "nonl"], b"");
    same(&t, "tail", &["-s", "x", "-f", "nonl"], b"");
    t.run("tail", &["-Z"]).fails(1, "tail: invalid option -- 'Z'");
    t.sh("$B/tail hundred > /dev/full").fails(1, "tail: write error: No space left on device");
    let r = t.sh("$B/tail -n +1 hundred 2>err | $B/head -n 1; $B/cat err");
    assert_eq!(r.text(), "line 1\n");
}

/// A `tail` running in the background whose output the test reads as it comes.
struct Follower {
    child: std::process::Child,
    out: Reader,
    err: Reader,
}

impl Follower {
    fn start(t: &Sandbox, args: &[&str]) -> Follower {
        let mut child = Command::new(t.bin.join("tail"))
            .args(args)
            .current_dir(&t.dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let out = Reader::new(child.stdout.take().unwrap());
        let err = Reader::new(child.stderr.take().unwrap());
        Follower { child, out, err }
    }

    #[track_caller]
    fn expect_out(&mut self, s: &str) {
        let got = self.out.wait_until(s, Duration::from_secs(5));
        assert!(got.contains(s), "tail output {got:?} lacks {s:?}");
    }

    #[track_caller]
    fn expect_err(&mut self, s: &str) {
        let got = self.err.wait_until(s, Duration::from_secs(5));
        assert!(got.contains(s), "tail stderr {got:?} lacks {s:?}");
    }
}

impl Drop for Follower {
    fn drop(&mut self) {
        // Only our own child, by its pid.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn append(t: &Sandbox, name: &str, data: &str) {
    let mut f = std::fs::OpenOptions::new().append(true).create(true).open(t.path(name)).unwrap();
    f.write_all(data.as_bytes()).unwrap();
}

#[test]
fn tail_f_prints_what_is_appended_and_notices_truncation() {
    let t = fixtures();
    t.write("log", "old 1\nold 2\n");
    let mut f = Follower::start(&t, &["-f", "-s", "0.1", "-n", "1", "log"]);
    f.expect_out("old 2\n");
    append(&t, "log", "new 3\n");
    f.expect_out("old 2\nnew 3\n");
    std::fs::write(t.path("log"), "").unwrap();
    f.expect_err("tail: log: file truncated");
    append(&t, "log", "after\n");
    f.expect_out("new 3\nafter\n");
    // By descriptor: a renamed file is still the one followed.
    std::fs::rename(t.path("log"), t.path("log.1")).unwrap();
    append(&t, "log.1", "renamed\n");
    f.expect_out("after\nrenamed\n");
}

#[test]
fn tail_f_with_several_files_prints_headers_on_switch() {
    let t = fixtures();
    t.write("a", "a1\n");
    t.write("b", "b1\n");
    let mut f = Follower::start(&t, &["-f", "-s", "0.1", "a", "b"]);
    f.expect_out("==> a <==\na1\n\n==> b <==\nb1\n");
    append(&t, "a", "a2\n");
    f.expect_out("b1\n\n==> a <==\na2\n");
}

#[test]
fn tail_big_f_follows_rotation_and_recreation() {
    let t = fixtures();
    t.write("log", "one\n");
    let mut f = Follower::start(&t, &["-F", "-s", "0.1", "log"]);
    f.expect_out("one\n");
    append(&t, "log", "two\n");
    f.expect_out("one\ntwo\n");
    // Rotation with no moment without a file: a new file is renamed over the old name.
    std::fs::hard_link(t.path("log"), t.path("log.old")).unwrap();
    t.write("log.new", "new\n");
    std::fs::rename(t.path("log.new"), t.path("log")).unwrap();
    f.expect_err("tail: 'log' has been replaced;  following new file");
    f.expect_out("two\nnew\n");
    std::fs::remove_file(t.path("log")).unwrap();
    f.expect_err("tail: 'log' has become inaccessible: No such file or directory");
    t.write("log", "back\n");
    f.expect_err("tail: 'log' has appeared;  following new file");
    f.expect_out("new\nback\n");
    std::fs::write(t.path("log"), "").unwrap();
    f.expect_err("tail: log: file truncated");
    append(&t, "log", "fresh\n");
    f.expect_out("back\nfresh\n");
}

#[test]
fn tail_big_f_waits_for_a_missing_file() {
    let t = fixtures();
    let mut f = Follower::start(&t, &["-F", "-s", "0.1", "later"]);
    f.expect_err("tail: cannot open 'later' for reading: No such file or directory");
    t.write("later", "here\n");
    f.expect_err("tail: 'later' has appeared;  following new file");
    f.expect_out("here\n");
}

#[test]
fn tail_f_stops_when_the_pid_is_gone_and_ignores_pipes() {
    let t = fixtures();
    t.write("log", "x\n");
    let mut sleeper = Command::new("sleep").arg("0.3").spawn().unwrap();
    let pid = sleeper.id().to_string();
    // Reap it as soon as it ends: a zombie still counts as a live process.
    let reaper = std::thread::spawn(move || sleeper.wait());
    let start = Instant::now();
    let r = t.run("tail", &["-f", "-s", "0.1", "--pid", &pid, "log"]);
    let _ = reaper.join();
    assert_eq!(r.ok(), "x\n");
    assert!(start.elapsed() < Duration::from_secs(5));
    // Following a pipe by descriptor ends with the pipe, as GNU does.
    assert_eq!(t.run_with("tail", &["-f", "-n", "1"], b"a\nb\n").ok(), "b\n");
}

// ---------------------------------------------------------------- wc

/// GNU's wc in a UTF-8 locale (K1OS text is UTF-8), run like the harness runs ours.
fn gnu_wc_utf8(t: &Sandbox, args: &[&str], stdin: &[u8]) -> Run {
    let mut child = Command::new("/usr/bin/wc")
        .args(args)
        .current_dir(&t.dir)
        .env("LC_ALL", "C.UTF-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let feeder = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let o = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    let err = String::from_utf8_lossy(&o.stderr).replace("/usr/bin/wc", "wc");
    Run { code: o.status.code(), out: o.stdout, err }
}

/// Ours against GNU's wc in a UTF-8 locale: stdout, stderr and status.
#[track_caller]
fn same_wc(t: &Sandbox, args: &[&str], stdin: &[u8]) {
    let ours = t.run_with("wc", args, stdin);
    let gnu = gnu_wc_utf8(t, args, stdin);
    assert_eq!(ours.text(), gnu.text(), "stdout of wc {args:?}");
    assert_eq!(ours.err, gnu.err, "stderr of wc {args:?}");
    assert_eq!(ours.code, gnu.code, "status of wc {args:?}");
}

#[test]
fn wc_counts_and_columns_match_gnu() {
    let t = fixtures();
    for opts in [
        &[][..],
        &["-l"],
        &["-w"],
        &["-c"],
        &["-m"],
        &["-L"],
        &["-lw"],
        &["-cl"],
        &["-lwmcL"],
        &["--lines", "--words"],
        &["--bytes"],
        &["--max-line-length"],
    ] {
        for files in [&["text"][..], &["nonl"], &["hundred"], &["empty"], &["nonl", "hundred", "empty"]] {
            let mut a = opts.to_vec();
            a.extend_from_slice(files);
            same_wc(&t, &a, b"");
        }
        let data = std::fs::read(t.path("hundred")).unwrap();
        same_wc(&t, opts, &data);
        let mut a = opts.to_vec();
        a.extend_from_slice(&["nonl", "-"]);
        same_wc(&t, &a, &data);
    }
}

#[test]
fn wc_redirected_file_uses_its_size_for_the_width() {
    let t = fixtures();
    for opts in ["", "-l", "-c", "-lc", "-w"] {
        let ours = t.sh(&format!("$B/wc {opts} < hundred"));
        let gnu = t.sh(&format!("/usr/bin/wc {opts} < hundred"));
        assert_eq!(ours.ok(), gnu.ok(), "wc {opts}");
    }
}

#[test]
fn wc_in_utf8_matches_gnu_in_a_utf8_locale() {
    let t = fixtures();
    t.write("utf8", "héllo wörld\n日本語 テキスト\n\u{2003}em\u{a0}space\ncombining e\u{301}\n\u{85}x\n");
    for opts in ["-m", "-w", "-L", "-lwmc"] {
        for f in ["utf8", "text", "bin"] {
            let ours = t.sh(&format!("$B/wc {opts} {f}"));
            let gnu = t.sh(&format!("LC_ALL=C.UTF-8 /usr/bin/wc {opts} {f}"));
            assert_eq!(ours.ok(), gnu.ok(), "wc {opts} {f}");
        }
    }
}

#[test]
fn wc_errors_and_directories_match_gnu() {
    let t = fixtures();
    same_wc(&t, &["missing", "nonl"], b"");
    same_wc(&t, &["dir"], b"");
    same_wc(&t, &["-l", "nonl", "dir"], b"");
    t.run("wc", &["-Z"]).fails(1, "wc: invalid option -- 'Z'");
    t.sh("$B/wc hundred > /dev/full").fails(1, "wc: write error: No space left on device");
}

#[test]
fn wc_big_inputs_split_utf8_across_reads() {
    let t = fixtures();
    let mut s = String::new();
    while s.len() < 1_500_000 {
        s.push_str("aé日 \u{1F600}b\tc\n");
    }
    t.write("big", &s);
    let mut line = vec![b'z'; 1 << 20];
    line.push(b'\n');
    t.write("long", &line);
    for f in ["big", "long"] {
        let ours = t.sh(&format!("$B/wc -lwmcL {f}; $B/cat {f} | $B/wc -lwmcL"));
        let gnu = t.sh(&format!(
            "LC_ALL=C.UTF-8 /usr/bin/wc -lwmcL {f}; cat {f} | LC_ALL=C.UTF-8 /usr/bin/wc -lwmcL"
        ));
        assert_eq!(ours.ok(), gnu.ok(), "{f}");
    }
}

#[test]
fn proc_and_sys_files_whose_sizes_lie_are_read() {
    let t = fixtures();
    // /proc files claim 0 bytes, /sys files a whole page.
    let sys = "/sys/kernel/mm/transparent_hugepage/enabled";
    for f in ["/proc/self/limits", sys] {
        if !std::path::Path::new(f).exists() {
            continue;
        }
        same(&t, "tail", &["-c", "5", f], b"");
        same(&t, "tail", &["-n", "1", f], b"");
        same(&t, "wc", &["-c", f], b"");
        same(&t, "head", &["-c", "7", f], b"");
        same(&t, "cat", &[f], b"");
    }
}

#[test]
fn tail_follow_wakes_up_on_changes_without_waiting_for_the_interval() {
    let t = fixtures();
    t.write("log", "a\n");
    // With a 30 s interval only inotify can bring the lines within the 5 s the test waits.
    let mut f = Follower::start(&t, &["-F", "-s", "30", "log"]);
    f.expect_out("a\n");
    std::thread::sleep(Duration::from_millis(200));
    append(&t, "log", "b\n");
    f.expect_out("a\nb\n");
    t.write("log.new", "c\n");
    std::fs::rename(t.path("log.new"), t.path("log")).unwrap();
    f.expect_out("b\nc\n");
    std::thread::sleep(Duration::from_millis(200));
    append(&t, "log", "d\n");
    f.expect_out("c\nd\n");
}

#[test]
fn tail_one_megabyte_lines_from_files_and_pipes() {
    let t = fixtures();
    let mut data = b"first\n".to_vec();
    data.extend(std::iter::repeat_n(b'q', 1 << 20));
    data.extend_from_slice(b"\nlast line without newline");
    t.write("long", &data);
    for n in ["1", "2", "3", "+2"] {
        same(&t, "tail", &["-n", n, "long"], b"");
        same(&t, "tail", &["-n", n], &data);
    }
    same(&t, "tail", &["-c", "1048580", "long"], b"");
}
