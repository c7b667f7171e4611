//! The pseudo-terminal driver itself, against cat and dash (what the shell's interactive
//! tests build on).
use behaviour_tests::pty::{Pty, Screen};
use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn cat_sees_a_terminal_that_echoes_and_ends_on_ctrl_d() {
    let mut p = Pty::spawn(&mut Command::new("/bin/cat"));
    p.send(b"hello\r");
    // The terminal echoes the line, then cat writes it back.
    p.expect("hello\r\n");
    p.expect("hello\r\n");
    p.send(b"\x04");
    let st = p.wait(Duration::from_secs(10)).expect("cat ended");
    assert!(st.success());
}

#[test]
fn the_pty_is_the_controlling_terminal_with_its_size() {
    let mut p = Pty::spawn_sized(Command::new("/bin/dash").arg("-i").env("PS1", "$ "), 30, 100);
    p.expect("$ ");
    p.send(b"stty size; tty\r");
    p.expect("30 100\r\n");
    p.expect("/dev/pts/");
    p.expect("$ ");
    p.resize(40, 120);
    p.send(b"stty size\r");
    p.expect("40 120\r\n");
    p.send(b"exit 3\r");
    assert_eq!(p.wait(Duration::from_secs(10)).and_then(|s| s.code()), Some(3));
}

#[test]
fn ctrl_c_reaches_the_foreground_job() {
    let mut p = Pty::spawn(Command::new("/bin/dash").arg("-i").env("PS1", "$ "));
    p.expect("$ ");
    let t = Instant::now();
    p.send(b"sleep 20; echo status=$?\r");
    std::thread::sleep(Duration::from_millis(300));
    p.send(b"\x03");
    p.expect("$ ");
    assert!(t.elapsed() < Duration::from_secs(10), "Ctrl-C did not interrupt sleep");
    p.send(b"echo done\r");
    p.expect("done\r\n");
}

#[test]
fn try_expect_times_out_with_what_it_saw() {
    let mut p = Pty::spawn(&mut Command::new("/bin/cat"));
    p.send(b"abc\r");
    let t = Instant::now();
    let e = p.try_expect("never", Duration::from_millis(300)).unwrap_err();
    assert!(t.elapsed() >= Duration::from_millis(300));
    assert!(e.contains("abc"), "{e:?}");
    assert_eq!(p.read_for(Duration::from_millis(50)), "");
}

#[test]
fn expect_after_the_command_ended_fails_fast() {
    let mut p = Pty::spawn(Command::new("/bin/echo").arg("bye"));
    p.expect("bye");
    let t = Instant::now();
    assert!(p.try_expect("more", Duration::from_secs(10)).is_err());
    assert!(t.elapsed() < Duration::from_secs(5));
    assert_eq!(p.wait(Duration::from_secs(5)).and_then(|s| s.code()), Some(0));
}

#[test]
fn screen_model_applies_editing_sequences() {
    let mut s = Screen::new(10);
    s.put(b"$ abc\x1b[2Dx\x1b[K\r\n0123456789ab");
    assert_eq!(s.line(0), "$ ax");
    assert_eq!(s.line(1), "0123456789");
    assert_eq!(s.line(2), "ab");
    s.put("\x1b[H\x1b[2Jé\x1b[1m!".as_bytes());
    assert_eq!(s.text(), "é!");
    assert_eq!(s.col, 2);
}
