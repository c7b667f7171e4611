//! poweroff, reboot, halt — stop the system (BusyBox conventions): without -f they ask
//! PID 1 (SIGUSR2 power off, SIGTERM reboot, SIGUSR1 halt); with -f they sync (unless -n)
//! and call reboot(2) at once.
use crate::common::{num::parse_u64, Cx, Getopt, Opt};
use rustix::system::RebootCommand;

const USAGE_POWEROFF: &str = "\
Usage: poweroff [-d DELAY] [-nf]

Power the system off: ask init to shut down cleanly.

  -d DELAY  wait DELAY seconds first
  -n        do not sync
  -f        force: power off now, without init's shutdown
";
const USAGE_REBOOT: &str = "\
Usage: reboot [-d DELAY] [-nf]

Restart the system: ask init to shut down cleanly and reboot.

  -d DELAY  wait DELAY seconds first
  -n        do not sync
  -f        force: reboot now, without init's shutdown
";
const USAGE_HALT: &str = "\
Usage: halt [-d DELAY] [-nf]

Halt the system: ask init to shut down cleanly and stop the processor.

  -d DELAY  wait DELAY seconds first
  -n        do not sync
  -f        force: halt now, without init's shutdown
";

pub fn poweroff_main(cx: &mut Cx) -> i32 {
    run(cx, USAGE_POWEROFF, 12, RebootCommand::PowerOff)
}

pub fn reboot_main(cx: &mut Cx) -> i32 {
    run(cx, USAGE_REBOOT, 15, RebootCommand::Restart)
}

pub fn halt_main(cx: &mut Cx) -> i32 {
    run(cx, USAGE_HALT, 10, RebootCommand::Halt)
}

fn run(cx: &mut Cx, usage: &str, sig: i32, cmd: RebootCommand) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let mut g = Getopt::new(&args, "d:nfw", &[]);
    let (mut delay, mut sync, mut force) = (0u64, true, false);
    while let Some(o) = g.next() {
        match o {
            Ok(Opt::Char(b'd')) => match parse_u64(g.arg_or_empty()) {
                Some(n) => delay = n,
                None => {
                    cx.warn_parts(&[b"invalid number '", g.arg_or_empty(), b"'"]);
                    return 1;
                }
            },
            Ok(Opt::Char(b'n')) => sync = false,
            Ok(Opt::Char(b'f')) => force = true,
            Ok(Opt::Char(b'w')) => return 0,
            other => return cx.opt_exit(other, usage, 1),
        }
    }
    if !g.operands().is_empty() {
        return cx.usage_error("extra operand", usage, 1);
    }
    if delay > 0 {
        let _ = rustix::thread::nanosleep(&rustix::time::Timespec {
            tv_sec: delay.min(i64::MAX as u64) as i64,
            tv_nsec: 0,
        });
    }
    if sync {
        rustix::fs::sync();
    }
    let r = if force { rustix::system::reboot(cmd) } else { crate::rt::kernel::kill(1, sig) };
    match r {
        Ok(()) => 0,
        Err(e) => {
            cx.warnf(format_args!("{}", crate::rt::strerror(e)));
            1
        }
    }
}
