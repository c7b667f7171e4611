//! The behaviour-test harness: runs the real `out/k1box` through applet links in a fresh
//! temporary directory, and runs GNU's tools on the same inputs for comparison.
//!
//! Each `Sandbox` owns one directory (removed on drop): `bin/` holds a link per applet and
//! `w/` is the working directory the commands run in. Tests touch nothing outside it.
pub mod pty;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The k1box binary under test: `$K1BOX`, else `out/k1box` at the top of the workspace.
pub fn k1box() -> PathBuf {
    if let Some(p) = std::env::var_os("K1BOX") {
        return PathBuf::from(p);
    }
    let top = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf();
    let p = top.join("out/k1box");
    assert!(p.exists(), "{} is missing: run `make build` first", p.display());
    p
}

/// What a command did.
#[derive(Debug)]
pub struct Run {
    /// The exit status; `None` when a signal ended it.
    pub code: Option<i32>,
    pub out: Vec<u8>,
    pub err: String,
}

impl Run {
    /// Standard output as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.out).into_owned()
    }

    /// Asserts exit status 0 and returns standard output as text.
    #[track_caller]
    pub fn ok(&self) -> String {
        assert_eq!(self.code, Some(0), "expected success; stderr: {}", self.err);
        self.text()
    }

    /// Asserts a failing status `code` and a stderr that contains `needle`.
    #[track_caller]
    pub fn fails(&self, code: i32, needle: &str) -> &Self {
        assert_eq!(self.code, Some(code), "status; stdout: {} stderr: {}", self.text(), self.err);
        assert!(self.err.contains(needle), "stderr {:?} lacks {:?}", self.err, needle);
        self
    }
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A temporary directory with applet links, removed when dropped.
pub struct Sandbox {
    pub root: PathBuf,
    pub bin: PathBuf,
    /// The working directory commands run in.
    pub dir: PathBuf,
}

impl Default for Sandbox {
    fn default() -> Self {
        Self::new()
    }
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let root = std::env::temp_dir().join(format!("k1box-test-{}-{}", std::process::id(), n));
        let _ = std::fs::remove_dir_all(&root);
        let bin = root.join("bin");
        let dir = root.join("w");
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::create_dir_all(&dir).unwrap();
        let exe = k1box();
        let list = Command::new(&exe).arg("--list").output().unwrap();
        for name in String::from_utf8(list.stdout).unwrap().lines() {
            std::os::unix::fs::symlink(&exe, bin.join(name)).unwrap();
        }
        Sandbox { root, bin, dir }
    }

    /// A path inside the working directory.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    /// Writes a file (creating parent directories) in the working directory.
    pub fn write(&self, rel: &str, data: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, data).unwrap();
        p
    }

    /// Reads a file of the working directory.
    pub fn read(&self, rel: &str) -> Vec<u8> {
        std::fs::read(self.path(rel)).unwrap()
    }

    /// Runs an applet with arguments and empty standard input.
    pub fn run(&self, applet: &str, args: &[&str]) -> Run {
        self.run_with(applet, args, b"")
    }

    /// Runs an applet with arguments and the given standard input.
    pub fn run_with(&self, applet: &str, args: &[&str], stdin: &[u8]) -> Run {
        let mut c = Command::new(self.bin.join(applet));
        c.args(args);
        self.exec(c, stdin)
    }

    /// Runs GNU's `/usr/bin/TOOL` (or `/bin/TOOL`) the same way, for comparison.
    pub fn gnu(&self, tool: &str, args: &[&str], stdin: &[u8]) -> Run {
        let path =
            ["/usr/bin/", "/bin/"].iter().map(|d| PathBuf::from(format!("{d}{tool}"))).find(|p| p.exists());
        let mut c = Command::new(path.unwrap_or_else(|| panic!("GNU {tool} not installed")));
        c.args(args);
        self.exec(c, stdin)
    }

    /// Runs a dash script with the applet links first in PATH (for pipes and redirections
    /// such as `| head -1` or `> /dev/full`). `$B` names the links directory, so that
    /// `$B/echo` is ours and not dash's builtin.
    pub fn sh(&self, script: &str) -> Run {
        let mut c = Command::new("/bin/dash");
        c.arg("-c").arg(script);
        self.exec(c, b"")
    }

    fn exec(&self, mut c: Command, stdin: &[u8]) -> Run {
        let path = format!("{}:/usr/bin:/bin", self.bin.display());
        c.current_dir(&self.dir)
            .env("PATH", path)
            .env("B", &self.bin)
            .env("LC_ALL", "C")
            .env("TZ", "UTC")
            .env_remove("COLUMNS")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = c.spawn().expect("spawn");
        let mut input = child.stdin.take().unwrap();
        let data = stdin.to_vec();
        let feeder = std::thread::spawn(move || {
            let _ = input.write_all(&data);
        });
        let o = child.wait_with_output().unwrap();
        feeder.join().unwrap();
        Run { code: o.status.code(), out: o.stdout, err: String::from_utf8_lossy(&o.stderr).into_owned() }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        // Make everything removable again (tests chmod files to 000).
        let _ = Command::new("chmod").arg("-R").arg("u+rwx").arg(&self.root).status();
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

/// True when running as root (permission tests cannot fail for root).
pub fn is_root() -> bool {
    std::fs::metadata("/proc/self").map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0).unwrap_or(false)
}
