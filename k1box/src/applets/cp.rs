//! cp — copy files and directories (POSIX cp; GNU options -a -d -H -L -n -P -p -t -T -v
//! and --preserve). The tree copying itself lives in `common::copy`, shared with mv.
use crate::common::copy::{plan_or_report, Copier, Deref, Options, Overwrite};
use crate::common::{long, quoted, Cx, Getopt, HasArg, Long, Opt};

const USAGE: &str = "\
Usage: cp [-aRrdfHiLnPpTv] [-t DIR] SRC DEST  or  cp [OPTION]... SRC... DIR

Copy SRC to DEST, or each SRC into the directory DIR.

  -a, --archive        same as -dR --preserve=all
  -d                   same as -P --preserve=links
  -f, --force          remove a destination that cannot be opened and try again
  -H                   follow symbolic links named on the command line
  -i, --interactive    ask before overwriting
  -L, --dereference    always follow symbolic links in SRC
  -n, --no-clobber     never overwrite an existing file
  -P, --no-dereference never follow symbolic links in SRC (the default with -R)
  -p                   same as --preserve=mode,ownership,timestamps
      --preserve[=LIST]  keep these attributes (default: mode,ownership,timestamps):
                       mode, ownership, timestamps, links, all
  -R, -r, --recursive  copy directories recursively (fifos and devices as such)
  -t, --target-directory=DIR  copy every SRC into DIR
  -T, --no-target-directory   treat DEST as a normal file
  -v, --verbose        explain what is being done
";

const PRESERVE: u16 = 300;

const LONGS: &[Long] = &[
    long("archive", HasArg::No, b'a' as u16),
    long("dereference", HasArg::No, b'L' as u16),
    long("force", HasArg::No, b'f' as u16),
    long("interactive", HasArg::No, b'i' as u16),
    long("no-clobber", HasArg::No, b'n' as u16),
    long("no-dereference", HasArg::No, b'P' as u16),
    long("no-target-directory", HasArg::No, b'T' as u16),
    long("preserve", HasArg::Optional, PRESERVE),
    long("recursive", HasArg::No, b'R' as u16),
    long("target-directory", HasArg::Yes, b't' as u16),
    long("verbose", HasArg::No, b'v' as u16),
];

pub fn main(cx: &mut Cx) -> i32 {
    let args = core::mem::take(&mut cx.args);
    let mut g = Getopt::new(&args, "adfHiLnPpRrt:Tv", LONGS);
    let mut o = Options::new();
    let mut deref = None;
    let mut target_dir = None;
    let mut no_target_dir = false;
    while let Some(opt) = g.next() {
        match opt {
            Ok(Opt::Char(b'a')) => {
                o = Options {
                    overwrite: o.overwrite,
                    force: o.force,
                    verbose: o.verbose,
                    ..Options::archive()
                };
                deref = Some(Deref::Never);
            }
            Ok(Opt::Char(b'd')) => {
                o.links = true;
                deref = Some(Deref::Never);
            }
            Ok(Opt::Char(b'f')) => o.force = true,
            Ok(Opt::Char(b'H')) => deref = Some(Deref::CommandLine),
            Ok(Opt::Char(b'i')) => o.overwrite = Overwrite::Ask,
            Ok(Opt::Char(b'L')) => deref = Some(Deref::Always),
            Ok(Opt::Char(b'n')) => o.overwrite = Overwrite::Never,
            Ok(Opt::Char(b'P')) => deref = Some(Deref::Never),
            Ok(Opt::Char(b'p')) => (o.mode, o.owner, o.times) = (true, true, true),
            Ok(Opt::Char(b'R' | b'r')) => o.recursive = true,
            Ok(Opt::Char(b't')) => target_dir = g.arg(),
            Ok(Opt::Char(b'T')) => no_target_dir = true,
            Ok(Opt::Char(b'v')) => o.verbose = true,
            Ok(Opt::Long(PRESERVE)) => {
                if let Err(bad) = preserve_list(&mut o, g.arg().unwrap_or(b"mode,ownership,timestamps")) {
                    let m = [b"invalid argument ", quoted(bad).as_bytes(), b" for '--preserve'"].concat();
                    cx.warn(&m);
                    cx.usage_line(USAGE);
                    return 1;
                }
            }
            other => return cx.opt_exit(other, USAGE, 1),
        }
    }
    o.deref = deref.unwrap_or(if o.recursive { Deref::Never } else { Deref::Always });
    let ops = g.operands();
    let plan = match plan_or_report(cx, USAGE, &ops, target_dir, no_target_dir) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let mut c = Copier::new(cx, o);
    for (src, dst) in plan {
        c.copy_operand(src, &dst);
    }
    i32::from(c.failed)
}

/// Applies a `--preserve=` list; the bad word on error.
fn preserve_list<'a>(o: &mut Options, list: &'a [u8]) -> Result<(), &'a [u8]> {
    for w in list.split(|&c| c == b',') {
        match w {
            b"mode" => o.mode = true,
            b"ownership" => o.owner = true,
            b"timestamps" => o.times = true,
            b"links" => o.links = true,
            b"all" => (o.mode, o.owner, o.times, o.links) = (true, true, true, true),
            // Attributes K1OS does not keep; accepted so that scripts work.
            b"context" | b"xattr" => {}
            _ => return Err(w),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preserve_lists() {
        let mut o = Options::new();
        assert_eq!(preserve_list(&mut o, b"mode,links"), Ok(()));
        assert!(o.mode && o.links && !o.owner && !o.times);
        assert_eq!(preserve_list(&mut o, b"all,bogus"), Err(&b"bogus"[..]));
        assert!(o.owner && o.times);
    }
}
