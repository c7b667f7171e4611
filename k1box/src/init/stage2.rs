//! Stage 2: PID 1 on the real root. Runs /etc/inittab in BusyBox's format
//! (`id:runlevels:action:process`, runlevels ignored): sysinit and wait entries one after
//! another to their end, once entries started, respawn and askfirst entries kept running;
//! the id names the terminal (/dev/ID) the process gets as its controlling tty in a new
//! session; a process starting with `-` is a login shell. Reaps every orphan. Signals:
//! TERM reboot, USR1 halt, USR2 power off, INT (Ctrl-Alt-Del) the ctrlaltdel entries,
//! QUIT the restart entry, HUP rereads /etc/inittab.
use alloc::vec::Vec;

use super::shutdown::{self, Kind};
use super::stage1::sig;
use super::{now_ms, say};
use crate::common::{path, Cx};
use crate::rt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Sysinit,
    Wait,
    Once,
    Respawn,
    Askfirst,
    Ctrlaltdel,
    Shutdown,
    Restart,
}

/// One inittab line, and its process while it runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The terminal (`/dev/tty1`), empty for the console init has.
    pub tty: Vec<u8>,
    pub action: Action,
    pub command: Vec<u8>,
    pub pid: Option<i32>,
    pub started: u64,
    /// Set when the terminal cannot be opened: not started again.
    pub off: bool,
}

fn entry(tty: &[u8], action: Action, command: &[u8]) -> Entry {
    let tty = if tty.is_empty() || tty.starts_with(b"/dev/") {
        tty.to_vec()
    } else {
        [&b"/dev/"[..], tty].concat()
    };
    Entry { tty, action, command: command.to_vec(), pid: None, started: 0, off: false }
}

/// Parses an inittab; returns the entries and the numbers of lines that were not understood.
pub fn parse_inittab(text: &[u8]) -> (Vec<Entry>, Vec<usize>) {
    let (mut v, mut bad) = (Vec::new(), Vec::new());
    for (n, line) in text.split(|&c| c == b'\n').enumerate() {
        let line = line.trim_ascii();
        if line.is_empty() || line[0] == b'#' {
            continue;
        }
        let mut f = line.splitn(4, |&c| c == b':');
        let (Some(id), Some(_runlevels), Some(action), Some(process)) =
            (f.next(), f.next(), f.next(), f.next())
        else {
            bad.push(n + 1);
            continue;
        };
        let action = match action {
            b"sysinit" => Action::Sysinit,
            b"wait" => Action::Wait,
            b"once" => Action::Once,
            b"respawn" => Action::Respawn,
            b"askfirst" => Action::Askfirst,
            b"ctrlaltdel" => Action::Ctrlaltdel,
            b"shutdown" => Action::Shutdown,
            b"restart" => Action::Restart,
            _ => {
                bad.push(n + 1);
                continue;
            }
        };
        let process = process.trim_ascii();
        if process.is_empty() {
            bad.push(n + 1);
            continue;
        }
        v.push(entry(id.trim_ascii(), action, process));
    }
    (v, bad)
}

/// BusyBox's behaviour without an inittab.
pub fn default_inittab() -> Vec<Entry> {
    const DEFAULT: &[u8] = b"::sysinit:/etc/init.d/rcS\n::askfirst:-/bin/sh\ntty2::askfirst:-/bin/sh\n\
tty3::askfirst:-/bin/sh\ntty4::askfirst:-/bin/sh\n::ctrlaltdel:/sbin/reboot\n\
::shutdown:/bin/umount -a -r\n::restart:/sbin/init\n";
    parse_inittab(DEFAULT).0
}

/// How a command line is executed: (path, argv). Shell syntax goes through `/bin/sh -c
/// 'exec …'`; otherwise words are split on blanks. A leading `-` makes a login shell
/// (argv[0] `-sh`).
pub fn command_argv(cmd: &[u8]) -> (Vec<u8>, Vec<Vec<u8>>) {
    let (login, cmd) = match cmd.strip_prefix(b"-") {
        Some(c) => (true, c),
        None => (false, cmd),
    };
    let arg0 = |p: &[u8]| if login { [&b"-"[..], path::basename(p)].concat() } else { p.to_vec() };
    if cmd.iter().any(|c| b"~`!$^&*()=|\\{}[];\"'<>?".contains(c)) {
        let sh = b"/bin/sh".to_vec();
        return (sh.clone(), alloc::vec![arg0(&sh), b"-c".to_vec(), [&b"exec "[..], cmd].concat()]);
    }
    let mut words: Vec<Vec<u8>> =
        cmd.split(|c| c.is_ascii_whitespace()).filter(|w| !w.is_empty()).map(|w| w.to_vec()).collect();
    let path = words.first().cloned().unwrap_or_default();
    if let Some(w) = words.first_mut() {
        *w = arg0(&path);
    }
    (path, words)
}

/// Signals PID 1 catches.
pub const SIGNALS: &[i32] = &[sig::CHLD, sig::TERM, sig::USR1, sig::USR2, sig::INT, sig::QUIT, sig::HUP];

/// The environment children get: init's, with PATH, HOME, SHELL and TERM defaults.
fn child_env(env: &[Vec<u8>]) -> Vec<Vec<u8>> {
    let mut v = env.to_vec();
    for d in
        [&b"PATH=/sbin:/usr/sbin:/bin:/usr/bin"[..], b"HOME=/", b"SHELL=/bin/sh", b"TERM=linux", b"USER=root"]
    {
        let name = &d[..d.iter().position(|&c| c == b'=').unwrap_or(0) + 1];
        if !v.iter().any(|e| e.starts_with(name)) {
            v.push(d.to_vec());
        }
    }
    v
}

/// Starts `e`'s process; its pid, or None when it could not start (reported).
pub fn spawn(e: &Entry, env: &[Vec<u8>]) -> Option<i32> {
    match rt::fork() {
        Ok(Some(pid)) => Some(pid.as_raw_nonzero().get()),
        Ok(None) => {
            super::reset_signals(SIGNALS);
            let _ = rustix::process::setsid();
            if !e.tty.is_empty() {
                if !super::open_console(&e.tty, true) {
                    rt::exit(1);
                }
            } else if matches!(e.action, Action::Respawn | Action::Askfirst) {
                let _ = rustix::process::ioctl_tiocsctty(rt::stdin());
            }
            if e.action == Action::Askfirst {
                let _ = crate::common::out::write_all(1, b"\nPlease press Enter to activate this console. ");
                let mut b = [0u8; 1];
                loop {
                    match rustix::io::read(rt::stdin(), &mut b) {
                        Ok(0) => rt::exit(0),
                        Ok(_) if b[0] == b'\n' || b[0] == b'\r' => break,
                        Ok(_) | Err(rustix::io::Errno::INTR) => {}
                        Err(_) => rt::exit(1),
                    }
                }
            }
            exec(&e.command, env)
        }
        Err(err) => {
            say(&[b"init: fork: ", rt::strerror(err).as_bytes(), b"\n"]);
            None
        }
    }
}

/// Executes a command line in this (child) process.
fn exec(cmd: &[u8], env: &[Vec<u8>]) -> ! {
    let (path, argv) = command_argv(cmd);
    let args: Vec<&[u8]> = argv.iter().skip(1).map(|a| a.as_slice()).collect();
    // argv[0] may differ from the path (login shells): exec by hand.
    let p = super::cstring(&path);
    let cargv: Vec<alloc::ffi::CString> = argv.iter().map(|a| super::cstring(a)).collect();
    let cenv: Vec<alloc::ffi::CString> = env.iter().map(|a| super::cstring(a)).collect();
    let av: Vec<&core::ffi::CStr> = cargv.iter().map(|a| a.as_c_str()).collect();
    let ev: Vec<&core::ffi::CStr> = cenv.iter().map(|a| a.as_c_str()).collect();
    let err = rt::execve(&p, &av, &ev);
    // An applet of ours missing from this path (/sbin/reboot with only /bin links): run it here.
    if err == rustix::io::Errno::NOENT {
        if let Some(a) = crate::find(path::basename(&path)) {
            let code = crate::run_applet(a, args.iter().map(|a| a.to_vec()).collect(), env.to_vec());
            rt::exit(code);
        }
    }
    say(&[b"init: can't run '", &path, b"': ", rt::strerror(err).as_bytes(), b"\n"]);
    rt::exit(127)
}

/// Runs `e` and waits for it, reaping everything else meanwhile.
pub fn run_and_wait(e: &Entry, env: &[Vec<u8>]) {
    let Some(pid) = spawn(e, env) else { return };
    loop {
        match rustix::process::wait(rustix::process::WaitOptions::empty()) {
            Ok(Some((p, _))) if p.as_raw_nonzero().get() == pid => return,
            Err(rustix::io::Errno::CHILD) => return,
            _ => {}
        }
    }
}

/// Whether `tty` can be opened (else its entries would fail over and over).
fn tty_usable(tty: &[u8]) -> Result<(), rustix::io::Errno> {
    if tty.is_empty() {
        return Ok(());
    }
    use rustix::fs::{Mode, OFlags};
    rustix::fs::open(tty, OFlags::RDWR | OFlags::NOCTTY | OFlags::NONBLOCK | OFlags::CLOEXEC, Mode::empty())
        .map(drop)
}

fn load() -> Vec<Entry> {
    match crate::common::fs::read_file(b"/etc/inittab") {
        Ok(t) => {
            let (v, bad) = parse_inittab(&t);
            for n in bad {
                let mut m = b"init: /etc/inittab: bad entry at line ".to_vec();
                crate::common::num::push_u64(&mut m, n as u64);
                m.push(b'\n');
                say(&[&m]);
            }
            v
        }
        Err(_) => default_inittab(),
    }
}

/// Runs stage 2; never returns.
pub fn run(cx: &mut Cx) -> i32 {
    let env = child_env(&cx.env);
    if rustix::io::fcntl_getfd(rt::stdin()).is_err() {
        super::open_console(b"/dev/console", false);
    }
    let _ = rustix::process::chdir("/");
    // Ctrl-Alt-Del sends us SIGINT instead of rebooting at once.
    let _ = rustix::system::reboot(rustix::system::RebootCommand::CadOff);
    let wait_mask = super::catch_signals(SIGNALS);
    let debug =
        crate::common::fs::read_file(b"/proc/cmdline").is_ok_and(|c| super::stage1::parse_cmdline(&c).debug);
    let trace = |m: &[&[u8]]| {
        if debug {
            say(&[b"init: ", &super::stamp(), &m.concat(), b"\n"]);
        }
    };
    trace(&[b"stage 2 started"]);
    let mut tab = load();
    for a in [Action::Sysinit, Action::Wait] {
        for e in tab.iter().filter(|e| e.action == a) {
            run_and_wait(e, &env);
            trace(&[b"ran ", &e.command]);
        }
    }
    for e in tab.iter_mut().filter(|e| e.action == Action::Once) {
        e.pid = spawn(e, &env);
    }
    loop {
        let pending = super::take_signals();
        super::reap(|pid| {
            for e in tab.iter_mut().filter(|e| e.pid == Some(pid)) {
                e.pid = None;
            }
        });
        if let Some(kind) = [(sig::USR2, Kind::PowerOff), (sig::TERM, Kind::Reboot), (sig::USR1, Kind::Halt)]
            .iter()
            .find(|(s, _)| pending.has(*s))
            .map(|(_, k)| *k)
        {
            shutdown::shutdown(&tab, &env, kind);
        }
        if pending.has(sig::QUIT) {
            shutdown::restart(&tab, &env);
        }
        if pending.has(sig::INT) {
            for e in tab.iter_mut().filter(|e| e.action == Action::Ctrlaltdel) {
                e.pid = spawn(e, &env);
            }
        }
        if pending.has(sig::HUP) {
            let mut new = load();
            // Keep the processes of entries that did not change.
            for n in new.iter_mut() {
                if let Some(old) =
                    tab.iter().find(|o| o.tty == n.tty && o.command == n.command && o.action == n.action)
                {
                    n.pid = old.pid;
                    n.started = old.started;
                }
            }
            tab = new;
        }
        // Start the respawn and askfirst processes that are not running, at most once a
        // second each (a process that fails at once would otherwise spin).
        let now = now_ms();
        let mut next_wake: Option<u64> = None;
        for e in tab.iter_mut().filter(|e| matches!(e.action, Action::Respawn | Action::Askfirst)) {
            if e.pid.is_some() || e.off {
                continue;
            }
            if e.started != 0 && now < e.started + 1000 {
                let t = e.started + 1000 - now;
                next_wake = Some(next_wake.map_or(t, |w| w.min(t)));
                continue;
            }
            if let Err(err) = tty_usable(&e.tty) {
                say(&[
                    b"init: ",
                    &e.tty,
                    b": ",
                    rt::strerror(err).as_bytes(),
                    b"; not starting '",
                    &e.command,
                    b"'\n",
                ]);
                e.off = true;
                continue;
            }
            e.started = now;
            e.pid = spawn(e, &env);
            trace(&[b"started ", &e.command, b" on ", &e.tty]);
        }
        rt::kernel::wait_signal(wait_mask, next_wake);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inittab_entries_ttys_and_bad_lines() {
        let t = b"# comment\n::sysinit:/bin/mount -a\nttyS0::respawn:-/bin/sh\n\ntty1:2345:askfirst:/bin/sh -l\n::bogus:/x\nbroken line\n::shutdown:/bin/umount -a -r\n::once:echo a:b\n";
        let (v, bad) = parse_inittab(t);
        assert_eq!(bad, [6, 7]);
        assert_eq!(v.len(), 5);
        assert_eq!(
            (v[0].action, &v[0].tty[..], &v[0].command[..]),
            (Action::Sysinit, &b""[..], &b"/bin/mount -a"[..])
        );
        assert_eq!((v[1].action, &v[1].tty[..]), (Action::Respawn, &b"/dev/ttyS0"[..]));
        assert_eq!(v[2].action, Action::Askfirst);
        assert_eq!(v[3].action, Action::Shutdown);
        assert_eq!(v[4].command, b"echo a:b");
    }

    #[test]
    fn defaults_are_busyboxs() {
        let d = default_inittab();
        assert_eq!(d[0].command, b"/etc/init.d/rcS");
        assert!(d.iter().any(|e| e.action == Action::Askfirst && e.tty == b"/dev/tty2"));
        assert!(d.iter().any(|e| e.action == Action::Restart && e.command == b"/sbin/init"));
    }

    #[test]
    fn commands_split_or_go_through_the_shell() {
        let (p, a) = command_argv(b"-/bin/sh");
        assert_eq!((p, a), (b"/bin/sh".to_vec(), alloc::vec![b"-sh".to_vec()]));
        let (p, a) = command_argv(b"/bin/mount  -a");
        assert_eq!((p, a), (b"/bin/mount".to_vec(), alloc::vec![b"/bin/mount".to_vec(), b"-a".to_vec()]));
        let (p, a) = command_argv(b"echo hi > /dev/null");
        assert_eq!(p, b"/bin/sh");
        assert_eq!(a, alloc::vec![b"/bin/sh".to_vec(), b"-c".to_vec(), b"exec echo hi > /dev/null".to_vec()]);
    }
}
