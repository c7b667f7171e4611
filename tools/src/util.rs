//! Helpers shared by the image builders: where the repository and `out/` are, running
//! external programs with readable errors, Debian packages the tools need.
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::Command;

pub type Result<T> = std::result::Result<T, String>;

/// The repository root: `K1OS_ROOT`, else the nearest directory above the current one that
/// holds `kernel/k1os.config`.
pub fn repo_root() -> Result<PathBuf> {
    if let Some(root) = std::env::var_os("K1OS_ROOT") {
        return Ok(PathBuf::from(root));
    }
    let cwd = std::env::current_dir().map_err(|e| format!("current directory: {e}"))?;
    let mut dir = cwd.as_path();
    loop {
        if dir.join("kernel/k1os.config").is_file() {
            return Ok(dir.to_path_buf());
        }
        dir = dir.parent().ok_or_else(|| format!("{}: not inside the K1OS repository", cwd.display()))?;
    }
}

/// The build output directory: `OUT` (relative to the root when relative), else `ROOT/out`.
pub fn out_dir(root: &Path) -> PathBuf {
    match std::env::var_os("OUT") {
        Some(o) => root.join(o),
        None => root.join("out"),
    }
}

/// A path given by the variable `var`, else `default`; relative paths are taken from `root`.
pub fn path_var(root: &Path, var: &str, default: &Path) -> PathBuf {
    match std::env::var_os(var) {
        Some(p) if !p.is_empty() => root.join(p),
        _ => default.to_path_buf(),
    }
}

/// SOURCE_DATE_EPOCH, else a fixed date (2024-01-01 00:00:00 UTC), so images are reproducible.
pub fn source_date_epoch() -> Result<u64> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(s) => s.trim().parse().map_err(|_| format!("SOURCE_DATE_EPOCH={s}: not a number of seconds")),
        Err(_) => Ok(1_704_067_200),
    }
}

/// Whether we run as root (uid 0), read from /proc/self.
pub fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").map(|m| m.uid() == 0).unwrap_or(false)
}

/// Whether standard output is a terminal.
pub fn stdout_is_tty() -> bool {
    std::io::stdout().is_terminal()
}

/// Runs `cmd`, failing with its command line and exit status.
pub fn run(cmd: &mut Command) -> Result<()> {
    let status = cmd.status().map_err(|e| format!("{}: {e}", program(cmd)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{} failed ({status})", describe(cmd)))
    }
}

/// Runs `cmd` and returns its standard output; its standard error passes through.
pub fn output(cmd: &mut Command) -> Result<Vec<u8>> {
    let o =
        cmd.stderr(std::process::Stdio::inherit()).output().map_err(|e| format!("{}: {e}", program(cmd)))?;
    if o.status.success() {
        Ok(o.stdout)
    } else {
        Err(format!("{} failed ({})", describe(cmd), o.status))
    }
}

/// Runs `cmd` with its output captured: shown only when it fails (for chatty programs).
pub fn run_quiet(cmd: &mut Command) -> Result<()> {
    let o = cmd.output().map_err(|e| format!("{}: {e}", program(cmd)))?;
    if o.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{} failed ({}):\n{}{}",
            describe(cmd),
            o.status,
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ))
    }
}

fn program(cmd: &Command) -> String {
    cmd.get_program().to_string_lossy().into_owned()
}

/// The command line of `cmd`, for messages.
pub fn describe(cmd: &Command) -> String {
    let mut s = program(cmd);
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// The full path of `prog` on PATH (or in /sbin, /usr/sbin, where Debian keeps mkfs.*).
pub fn which(prog: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin"].iter().map(PathBuf::from))
        .map(|d| d.join(prog))
        .find(|p| p.is_file())
}

/// Makes sure each `(file, package)` exists: a program name is looked up on PATH, an absolute
/// path must exist. What is missing is installed with apt-get when we are root; otherwise
/// the error gives the apt-get line.
pub fn need(what: &[(&str, &str)]) -> Result<()> {
    let present = |f: &str| if f.starts_with('/') { Path::new(f).exists() } else { which(f).is_some() };
    let mut missing: Vec<&str> = what.iter().filter(|(f, _)| !present(f)).map(|(_, p)| *p).collect();
    missing.dedup();
    if missing.is_empty() {
        return Ok(());
    }
    let line = format!("apt-get install -y {}", missing.join(" "));
    if !is_root() {
        return Err(format!("missing Debian packages; run as root: {line}"));
    }
    eprintln!("tools: installing {}", missing.join(" "));
    let mut cmd = Command::new("apt-get");
    cmd.args(["install", "-y", "-q"]).args(&missing).env("DEBIAN_FRONTEND", "noninteractive");
    if run(&mut cmd).is_err() {
        run(Command::new("apt-get").args(["update", "-q"]))?;
        run(&mut cmd)?;
    }
    for (f, p) in what {
        if !present(f) {
            return Err(format!("{f} is still missing after installing {p}"));
        }
    }
    Ok(())
}

/// Creates the parent directory of `path`.
pub fn mkparent(path: &Path) -> Result<()> {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => {
            std::fs::create_dir_all(p).map_err(|e| format!("{}: {e}", p.display()))
        }
        _ => Ok(()),
    }
}

/// Writes `data` to `path` through a temporary file and a rename, so a reader never sees a
/// half-written file.
pub fn write_atomic(path: &Path, data: &[u8]) -> Result<()> {
    mkparent(path)?;
    let tmp = tmp_beside(path);
    std::fs::write(&tmp, data).map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("{}: {e}", path.display()))
}

/// `path` with `.tmp` appended.
pub fn tmp_beside(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".tmp");
    PathBuf::from(s)
}

/// Copies `from` to `to` atomically.
pub fn copy_atomic(from: &Path, to: &Path) -> Result<()> {
    mkparent(to)?;
    let tmp = tmp_beside(to);
    std::fs::copy(from, &tmp).map_err(|e| format!("{} -> {}: {e}", from.display(), tmp.display()))?;
    std::fs::rename(&tmp, to).map_err(|e| format!("{}: {e}", to.display()))
}

/// Removes a directory tree if it exists.
pub fn remove_tree(path: &Path) -> Result<()> {
    match std::fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// The size of a file in bytes, for reports.
pub fn size_of(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// The applets `k1box --list` reports (one name per line).
pub fn applets(k1box: &Path) -> Result<Vec<String>> {
    let out = output(Command::new(k1box).arg("--list"))?;
    let text = String::from_utf8(out).map_err(|_| format!("{} --list: not UTF-8", k1box.display()))?;
    Ok(text.split_whitespace().map(str::to_string).collect())
}
