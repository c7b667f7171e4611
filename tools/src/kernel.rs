//! `tools kernel`: builds the pinned kernel (kernel/VERSION) with kernel/k1os.config merged
//! over `make tinyconfig`, out of tree, in a cache outside the clone keyed by the version and
//! the SHA-256 of the fragment and the patches:
//!
//! ```text
//! ~/.cache/k1os/kernel/<version>-<sha256>/src     unpacked and patched source
//!                                          build   O= directory
//!                                          bzImage, config   a finished build (the stamp)
//! ```
//!
//! A finished build is reused in seconds. Otherwise: find the source (KERNEL_TARBALL, else
//! /usr/src/linux-source-X.Y.tar.xz from Debian's linux-source-X.Y, installed with apt-get
//! when we are root, else the kernel.org tarball downloaded and checked against
//! kernel/SHA256SUMS, refused while that file has no line for it), `make tinyconfig`, `scripts/kconfig/merge_config.sh -m`,
//! `make olddefconfig`, then fail naming every fragment option whose value did not survive,
//! then `nice -n 19 make bzImage` with a progress line. The result is copied to out/bzImage
//! and its configuration to out/kernel.config.
use crate::sha256;
use crate::util::{self, Result};
use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// What a fragment line asks for: `CONFIG_X=value`, or `n` for `# CONFIG_X is not set`.
pub fn parse_config(text: &str) -> Vec<(String, String)> {
    let mut v = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("# ").and_then(|l| l.strip_suffix(" is not set")) {
            if rest.starts_with("CONFIG_") {
                v.push((rest.to_string(), "n".to_string()));
            }
        } else if let Some((k, val)) = line.split_once('=') {
            if k.starts_with("CONFIG_") && !line.starts_with('#') {
                v.push((k.to_string(), val.to_string()));
            }
        }
    }
    v
}

/// Every fragment option whose value the final .config does not have, as
/// `CONFIG_X=wanted (got: actual)`. A wanted `n` is met by an option that is unset or absent.
pub fn lost_options(fragment: &str, config: &str) -> Vec<String> {
    let have: BTreeMap<String, String> = parse_config(config).into_iter().collect();
    let mut lost = Vec::new();
    for (k, want) in parse_config(fragment) {
        let got = have.get(&k).map(String::as_str).unwrap_or("n");
        if got != want {
            let shown = if got == "n" { "not set" } else { got };
            lost.push(format!("{k}={want} (got: {shown})"));
        }
    }
    lost
}

/// The cache key: SHA-256 over the fragment, then for each patch (sorted by name) a NUL, its
/// name, a NUL and its contents.
pub fn cache_key(fragment: &[u8], patches: &[(String, Vec<u8>)]) -> String {
    let mut h = sha256::Sha256::new();
    h.update(fragment);
    for (name, body) in patches {
        h.update(b"\0");
        h.update(name.as_bytes());
        h.update(b"\0");
        h.update(body);
    }
    sha256::hex(&h.finish())
}

/// `K1OS_CACHE`, else `$XDG_CACHE_HOME/k1os`, else `~/.cache/k1os`.
pub fn cache_root() -> Result<PathBuf> {
    if let Some(c) = std::env::var_os("K1OS_CACHE") {
        return Ok(PathBuf::from(c));
    }
    if let Some(x) = std::env::var_os("XDG_CACHE_HOME").filter(|x| !x.is_empty()) {
        return Ok(PathBuf::from(x).join("k1os"));
    }
    let home = std::env::var_os("HOME").ok_or("HOME is not set (or set K1OS_CACHE)")?;
    Ok(PathBuf::from(home).join(".cache/k1os"))
}

/// The `SHA256SUMS` entry for `name` (lines `HEX  NAME`, `#` comments).
pub fn pinned_sum(sums: &str, name: &str) -> Option<String> {
    sums.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once(char::is_whitespace))
        .find(|(_, n)| n.trim().trim_start_matches('*') == name)
        .map(|(h, _)| h.to_ascii_lowercase())
}

/// Why the download path refuses: kernel/SHA256SUMS has no line for the kernel.org tarball,
/// and a tarball nobody checked is not built.
fn no_pinned_sum(version: &str, series: &str) -> String {
    let major = version.split('.').next().unwrap_or("6");
    format!(
        "no kernel source found, and kernel/SHA256SUMS has no line `<sha256>  linux-{version}.tar.xz` \
         to check a download against: refusing to download an unverified kernel. Add that line \
         (from https://cdn.kernel.org/pub/linux/kernel/v{major}.x/sha256sums.asc, its signature \
         checked), set KERNEL_TARBALL, or install Debian's linux-source-{series}"
    )
}

/// The kernel version a source tree's Makefile declares (VERSION.PATCHLEVEL.SUBLEVEL).
fn source_version(src: &Path) -> Result<String> {
    let mk = src.join("Makefile");
    let text = std::fs::read_to_string(&mk).map_err(|e| format!("{}: {e}", mk.display()))?;
    let get = |var: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(var).and_then(|r| r.trim_start().strip_prefix('=')).map(str::trim))
            .unwrap_or("?")
            .to_string()
    };
    Ok(format!("{}.{}.{}", get("VERSION"), get("PATCHLEVEL"), get("SUBLEVEL")))
}

struct Kernel {
    root: PathBuf,
    version: String,
    fragment: String,
    patches: Vec<(String, Vec<u8>)>,
}

impl Kernel {
    fn load(root: PathBuf) -> Result<Kernel> {
        let kdir = root.join("kernel");
        let read = |p: &Path| std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()));
        let version = read(&kdir.join("VERSION"))?.trim().to_string();
        if version.split('.').count() != 3 || !version.split('.').all(|p| p.parse::<u32>().is_ok()) {
            return Err(format!("kernel/VERSION: {version:?} is not X.Y.Z"));
        }
        let fragment = read(&kdir.join("k1os.config"))?;
        let mut patches = Vec::new();
        if let Ok(dir) = std::fs::read_dir(kdir.join("patches")) {
            for e in dir.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if name.ends_with(".patch") {
                    let body = std::fs::read(e.path()).map_err(|err| format!("{name}: {err}"))?;
                    patches.push((name, body));
                }
            }
        }
        patches.sort();
        Ok(Kernel { root, version, fragment, patches })
    }

    fn series(&self) -> &str {
        self.version.rsplit_once('.').map(|(s, _)| s).unwrap_or(&self.version)
    }

    /// The tarball to unpack (see the module comment for the order of places tried).
    fn find_tarball(&self, cache: &Path) -> Result<PathBuf> {
        if let Some(t) = std::env::var_os("KERNEL_TARBALL").filter(|t| !t.is_empty()) {
            let t = self.root.join(t);
            return if t.is_file() {
                Ok(t)
            } else {
                Err(format!("KERNEL_TARBALL={}: no such file", t.display()))
            };
        }
        let debian = PathBuf::from(format!("/usr/src/linux-source-{}.tar.xz", self.series()));
        if debian.is_file() {
            return Ok(debian);
        }
        if util::is_root() && util::which("apt-get").is_some() {
            let pkg = format!("linux-source-{}", self.series());
            let file = debian.to_string_lossy().into_owned();
            util::need(&[(&file, &pkg)])?;
            return Ok(debian);
        }
        self.download(cache)
    }

    /// Downloads the kernel.org tarball of the pinned version into the cache and checks it
    /// against kernel/SHA256SUMS; refuses when no checksum is pinned for it.
    fn download(&self, cache: &Path) -> Result<PathBuf> {
        let name = format!("linux-{}.tar.xz", self.version);
        let sums_path = self.root.join("kernel/SHA256SUMS");
        let sums =
            std::fs::read_to_string(&sums_path).map_err(|e| format!("{}: {e}", sums_path.display()))?;
        let want = pinned_sum(&sums, &name).ok_or_else(|| no_pinned_sum(&self.version, self.series()))?;
        let dest = cache.join("downloads").join(&name);
        if !dest.is_file() {
            let major = self.version.split('.').next().unwrap_or("6");
            let url = format!("https://cdn.kernel.org/pub/linux/kernel/v{major}.x/{name}");
            let tmp = util::tmp_beside(&dest);
            util::mkparent(&dest)?;
            eprintln!("kernel: downloading {url}");
            let mut cmd = if util::which("curl").is_some() {
                let mut c = Command::new("curl");
                c.args(["-fL", "--retry", "3", "-o"]).arg(&tmp).arg(&url);
                c
            } else if util::which("wget").is_some() {
                let mut c = Command::new("wget");
                c.arg("-O").arg(&tmp).arg(&url);
                c
            } else {
                return Err(format!("cannot download {url}: neither curl nor wget is installed"));
            };
            util::run(&mut cmd)?;
            std::fs::rename(&tmp, &dest).map_err(|e| format!("{}: {e}", dest.display()))?;
        }
        let got = sha256::hex_of_file(&dest).map_err(|e| format!("{}: {e}", dest.display()))?;
        if got != want {
            let _ = std::fs::remove_file(&dest);
            return Err(format!("{name}: SHA-256 {got} does not match the pinned {want}; removed it"));
        }
        Ok(dest)
    }

    /// Unpacks `tarball` into `src` (via a temporary directory) and applies the patches.
    fn unpack(&self, tarball: &Path, src: &Path) -> Result<()> {
        let sums = std::fs::read_to_string(self.root.join("kernel/SHA256SUMS")).unwrap_or_default();
        let name = tarball.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if let Some(want) = pinned_sum(&sums, &name) {
            eprintln!("kernel: checking {}", tarball.display());
            let got = sha256::hex_of_file(tarball).map_err(|e| format!("{}: {e}", tarball.display()))?;
            if got != want {
                eprintln!("kernel: warning: {name} has SHA-256 {got}, kernel/SHA256SUMS records {want}");
            }
        } else {
            eprintln!("kernel: warning: kernel/SHA256SUMS has no line for {name}: it is not checked");
        }
        let tmp = util::tmp_beside(src);
        util::remove_tree(&tmp)?;
        std::fs::create_dir_all(&tmp).map_err(|e| format!("{}: {e}", tmp.display()))?;
        eprintln!("kernel: unpacking {}", tarball.display());
        util::run(
            Command::new("tar").arg("-xf").arg(tarball).arg("-C").arg(&tmp).arg("--strip-components=1"),
        )?;
        let found = source_version(&tmp)?;
        if found != self.version && std::env::var_os("KERNEL_ANY_VERSION").is_none() {
            util::remove_tree(&tmp)?;
            return Err(format!(
                "{} holds Linux {found}, kernel/VERSION pins {}: update kernel/VERSION (and SHA256SUMS), or set KERNEL_ANY_VERSION=1",
                tarball.display(),
                self.version
            ));
        }
        for (name, _) in &self.patches {
            eprintln!("kernel: applying {name}");
            let p = self.root.join("kernel/patches").join(name);
            util::run(
                Command::new("patch")
                    .arg("-d")
                    .arg(&tmp)
                    .args(["-p1", "--batch", "--forward", "-s", "-i"])
                    .arg(&p),
            )?;
        }
        std::fs::rename(&tmp, src).map_err(|e| format!("{}: {e}", src.display()))
    }
}

fn make(src: &Path, build: &Path) -> Command {
    let mut c = Command::new("make");
    c.current_dir(src).arg(format!("O={}", build.display())).arg("ARCH=x86_64");
    c
}

/// Configures `build`: tinyconfig, the fragment merged in, olddefconfig; then the survival check.
fn configure(src: &Path, build: &Path, fragment_path: &Path, fragment: &str) -> Result<()> {
    std::fs::create_dir_all(build).map_err(|e| format!("{}: {e}", build.display()))?;
    eprintln!("kernel: make tinyconfig; merge_config.sh -m kernel/k1os.config; make olddefconfig");
    util::run(make(src, build).args(["-s", "tinyconfig"]))?;
    let config = build.join(".config");
    let merged = util::output(
        Command::new(src.join("scripts/kconfig/merge_config.sh"))
            .current_dir(src)
            .arg("-m")
            .arg("-O")
            .arg(build)
            .arg(&config)
            .arg(fragment_path),
    )?;
    let _ = merged; // its report of overridden tinyconfig values is expected noise
    util::run(make(src, build).args(["-s", "olddefconfig"]))?;
    let text = std::fs::read_to_string(&config).map_err(|e| format!("{}: {e}", config.display()))?;
    let lost = lost_options(fragment, &text);
    if lost.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} option(s) of kernel/k1os.config did not survive olddefconfig (a missing dependency?):\n  {}",
            lost.len(),
            lost.join("\n  ")
        ))
    }
}

/// `make bzImage` under `nice -n 19`, with one progress line (a line every 250 steps when
/// standard output is not a terminal). Returns the number of build steps.
fn build_image(src: &Path, build: &Path, estimate: Option<u64>) -> Result<u64> {
    let jobs = std::env::var("KERNEL_JOBS")
        .ok()
        .and_then(|j| j.parse::<usize>().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2));
    let stamp = util::source_date_epoch()?;
    let date = util::output(Command::new("date").args([
        "-u",
        "-d",
        &format!("@{stamp}"),
        "+%a %b %e %H:%M:%S UTC %Y",
    ]))
    .map(|d| String::from_utf8_lossy(&d).trim().to_string())
    .unwrap_or_default();
    let mut cmd = Command::new("nice");
    cmd.args(["-n", "19", "make"])
        .current_dir(src)
        .arg(format!("O={}", build.display()))
        .arg("ARCH=x86_64")
        .arg(format!("-j{jobs}"))
        .arg("bzImage")
        .env("KBUILD_BUILD_USER", "k1os")
        .env("KBUILD_BUILD_HOST", "k1os")
        .env("KBUILD_BUILD_TIMESTAMP", date)
        .stdout(Stdio::piped());
    eprintln!("kernel: {}", util::describe(&cmd));
    let mut child = cmd.spawn().map_err(|e| format!("make: {e}"))?;
    let tty = util::stdout_is_tty();
    let start = Instant::now();
    let mut steps = 0u64;
    let stdout = child.stdout.take().ok_or("make: no stdout")?;
    let mut out = std::io::stdout();
    for line in std::io::BufReader::new(stdout).lines() {
        let line = line.map_err(|e| format!("make: {e}"))?;
        let is_step = line.starts_with("  ")
            && line.trim_start().chars().next().is_some_and(|c| c.is_ascii_uppercase());
        if line.starts_with("make[") && line.contains("ing directory") {
            continue;
        }
        if !is_step {
            if tty {
                let _ = write!(out, "\r\x1b[K");
            }
            let _ = writeln!(out, "{line}");
            continue;
        }
        steps += 1;
        let secs = start.elapsed().as_secs();
        let pct = estimate.map(|e| format!(" ~{}%", (steps * 100 / e.max(1)).min(99))).unwrap_or_default();
        if tty {
            let what: String =
                line.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(60).collect();
            let _ =
                write!(out, "\r\x1b[K[kernel {:2}:{:02}] {steps} steps{pct}  {what}", secs / 60, secs % 60);
            let _ = out.flush();
        } else if steps.is_multiple_of(250) {
            let _ = writeln!(out, "[kernel {:2}:{:02}] {steps} steps{pct}", secs / 60, secs % 60);
        }
    }
    if tty {
        let _ = writeln!(out);
    }
    let status = child.wait().map_err(|e| format!("make: {e}"))?;
    if !status.success() {
        return Err(format!("kernel build failed ({status}); build directory {}", build.display()));
    }
    Ok(steps)
}

/// Copies a finished build to out/.
fn deliver(dir: &Path, out: &Path) -> Result<PathBuf> {
    let image = out.join("bzImage");
    util::copy_atomic(&dir.join("bzImage"), &image)?;
    util::copy_atomic(&dir.join("config"), &out.join("kernel.config"))?;
    Ok(image)
}

pub fn run(_args: &[String]) -> Result<()> {
    let root = util::repo_root()?;
    let out = util::out_dir(&root);
    let k = Kernel::load(root.clone())?;
    let key = cache_key(k.fragment.as_bytes(), &k.patches);
    let cache = cache_root()?.join("kernel");
    let dir = cache.join(format!("{}-{key}", k.version));
    if dir.join("bzImage").is_file() && dir.join("config").is_file() {
        let config =
            std::fs::read_to_string(dir.join("config")).map_err(|e| format!("{}: {e}", dir.display()))?;
        let lost = lost_options(&k.fragment, &config);
        if !lost.is_empty() {
            return Err(format!("cached {}/config lacks: {}", dir.display(), lost.join(", ")));
        }
        let image = deliver(&dir, &out)?;
        println!(
            "kernel: Linux {} (cached {}) -> {} ({} bytes)",
            k.version,
            dir.display(),
            image.display(),
            util::size_of(&image)
        );
        return Ok(());
    }
    util::need(&[
        ("make", "make"),
        ("gcc", "build-essential"),
        ("bc", "bc"),
        ("bison", "bison"),
        ("flex", "flex"),
        ("/usr/include/libelf.h", "libelf-dev"),
        ("/usr/include/openssl/ssl.h", "libssl-dev"),
        ("xz", "xz-utils"),
        ("patch", "patch"),
    ])?;
    let start = Instant::now();
    let src = dir.join("src");
    if !src.join("Makefile").is_file() {
        let tarball = k.find_tarball(&cache)?;
        k.unpack(&tarball, &src)?;
    }
    let build = dir.join("build");
    configure(&src, &build, &root.join("kernel/k1os.config"), &k.fragment)?;
    let steps_file = cache.join("last-steps");
    let estimate = std::fs::read_to_string(&steps_file).ok().and_then(|s| s.trim().parse().ok());
    let steps = build_image(&src, &build, estimate)?;
    if steps > 500 {
        let _ = std::fs::write(&steps_file, steps.to_string());
    }
    util::copy_atomic(&build.join(".config"), &dir.join("config"))?;
    util::copy_atomic(&build.join("arch/x86/boot/bzImage"), &dir.join("bzImage"))?;
    let image = deliver(&dir, &out)?;
    let secs = start.elapsed().as_secs();
    println!(
        "kernel: Linux {} built in {}m{:02}s -> {} ({} bytes); cache {}",
        k.version,
        secs / 60,
        secs % 60,
        image.display(),
        util::size_of(&image),
        dir.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lost_options_name_each_value_that_did_not_survive() {
        let fragment =
            "# c\nCONFIG_A=y\nCONFIG_B=y\nCONFIG_C=n\n# CONFIG_D is not set\nCONFIG_E=0x200000\nCONFIG_F=y\n";
        let config = "CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C=y\nCONFIG_E=0x1000000\n";
        assert_eq!(
            lost_options(fragment, config),
            [
                "CONFIG_B=y (got: not set)",
                "CONFIG_C=n (got: y)",
                "CONFIG_E=0x200000 (got: 0x1000000)",
                "CONFIG_F=y (got: not set)"
            ]
        );
        assert!(lost_options("CONFIG_A=y\n# CONFIG_D is not set\n", config).is_empty());
    }

    #[test]
    fn the_cache_key_changes_with_fragment_and_patches() {
        let a = cache_key(b"CONFIG_A=y\n", &[]);
        assert_eq!(a, sha256::hex_of(b"CONFIG_A=y\n"), "without patches: the fragment's SHA-256");
        let b = cache_key(b"CONFIG_A=y\n", &[("x.patch".into(), b"diff".to_vec())]);
        assert_ne!(a, b);
        assert_ne!(b, cache_key(b"CONFIG_A=y\n", &[("y.patch".into(), b"diff".to_vec())]));
    }

    #[test]
    fn pinned_sums_are_found_by_file_name() {
        let sums = "# comment\nABCDEF  linux-6.1.1.tar.xz\n0123 *other.tar.xz\n";
        assert_eq!(pinned_sum(sums, "linux-6.1.1.tar.xz").as_deref(), Some("abcdef"));
        assert_eq!(pinned_sum(sums, "other.tar.xz").as_deref(), Some("0123"));
        assert_eq!(pinned_sum(sums, "linux-6.1.2.tar.xz"), None);
    }

    #[test]
    fn the_download_path_refuses_without_a_pinned_line_and_says_which() {
        let sums =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../kernel/SHA256SUMS")).unwrap();
        let version =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../kernel/VERSION")).unwrap();
        let version = version.trim();
        let name = format!("linux-{version}.tar.xz");
        if pinned_sum(&sums, &name).is_none() {
            let m = no_pinned_sum(version, "6.1");
            assert!(m.contains(&format!("`<sha256>  {name}`")) && m.contains("refusing"), "{m}");
            let major = version.split('.').next().unwrap();
            assert!(
                m.contains(&format!("https://cdn.kernel.org/pub/linux/kernel/v{major}.x/sha256sums.asc")),
                "{m}"
            );
        }
        assert!(pinned_sum(&sums, "linux-source-6.1.tar.xz").is_some_and(|h| h.len() == 64));
    }

    #[test]
    fn the_fragment_in_the_repository_asks_for_what_boot_needs() {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../kernel/k1os.config")).unwrap();
        let opts: BTreeMap<String, String> = parse_config(&text).into_iter().collect();
        for o in [
            "64BIT",
            "BLK_DEV_INITRD",
            "RD_ZSTD",
            "DEVTMPFS",
            "SQUASHFS",
            "SQUASHFS_ZSTD",
            "OVERLAY_FS",
            "TMPFS_XATTR",
            "ISO9660_FS",
            "EXT4_FS",
            "BLK_DEV_LOOP",
            "SERIAL_8250_CONSOLE",
            "ACPI",
            "EFI_STUB",
            "MISC_FILESYSTEMS",
        ] {
            assert_eq!(opts.get(&format!("CONFIG_{o}")).map(String::as_str), Some("y"), "CONFIG_{o}");
        }
        assert_eq!(opts.get("CONFIG_MODULES").map(String::as_str), Some("n"));
    }
}
