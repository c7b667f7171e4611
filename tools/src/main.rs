//! K1OS host tools. `tools size` checks the size budgets; later subcommands build the
//! kernel, initramfs, root filesystem and ISO and drive QEMU.
mod size;

use std::process::ExitCode;

const USAGE: &str = "usage: tools COMMAND [ARGS]
  size [BUDGETS]   print each artifact's size against its budget (fails when one is over)
                   and what each applet contributes to out/k1box";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("size") => size::run(&args[1..]),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tools: {e}");
            ExitCode::FAILURE
        }
    }
}
