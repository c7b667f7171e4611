//! Size budgets: `budgets` lists `ARTIFACT BYTES` per line (`#` comments). Every artifact
//! that exists is compared with its budget; a missing one is reported and skipped unless
//! it is k1box. Then the contribution of each applet to k1box, from the symbol sizes of
//! the unstripped build (`nm --size-sort -S -C`), grouped by module.
use std::collections::BTreeMap;
use std::process::Command;

pub fn run(args: &[String]) -> Result<(), String> {
    let budgets = args.first().map(String::as_str).unwrap_or("budgets");
    let text = std::fs::read_to_string(budgets).map_err(|e| format!("{budgets}: {e}"))?;
    let mut over = Vec::new();
    println!("{:<28} {:>12} {:>12} {:>7}", "artifact", "bytes", "budget", "used");
    for (lineno, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let mut f = line.split_whitespace();
        let (Some(path), Some(budget), None) = (f.next(), f.next(), f.next()) else {
            return Err(format!("{budgets}:{}: expected `ARTIFACT BYTES`", lineno + 1));
        };
        let budget: u64 = budget.parse().map_err(|_| format!("{budgets}:{}: bad byte count", lineno + 1))?;
        match std::fs::metadata(path) {
            Ok(m) => {
                let size = m.len();
                let pct = size as f64 * 100.0 / budget as f64;
                let flag = if size > budget { "  OVER" } else { "" };
                println!("{path:<28} {size:>12} {budget:>12} {pct:>6.1}%{flag}");
                if size > budget {
                    over.push(path.to_string());
                }
            }
            Err(_) if path.ends_with("k1box") => return Err(format!("{path} is missing: run `make build`")),
            Err(_) => println!("{path:<28} {:>12} {budget:>12}   (not built)", "-"),
        }
    }
    if let Ok(m) = std::fs::metadata("out/k1box.unstripped") {
        let _ = m;
        contributions("out/k1box.unstripped")?;
    }
    if over.is_empty() {
        Ok(())
    } else {
        Err(format!("over budget: {}", over.join(", ")))
    }
}

/// Groups the symbol sizes of `bin` by the module they come from.
fn contributions(bin: &str) -> Result<(), String> {
    let o =
        Command::new("nm").args(["--size-sort", "-S", "-C", bin]).output().map_err(|e| format!("nm: {e}"))?;
    let mut groups: BTreeMap<String, u64> = BTreeMap::new();
    for line in String::from_utf8_lossy(&o.stdout).lines() {
        let mut f = line.splitn(4, ' ');
        let (Some(_addr), Some(size), Some(_kind), Some(name)) = (f.next(), f.next(), f.next(), f.next())
        else {
            continue;
        };
        let Ok(size) = u64::from_str_radix(size, 16) else { continue };
        *groups.entry(group_of(name)).or_default() += size;
    }
    let mut rows: Vec<(String, u64)> = groups.into_iter().collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.1));
    println!("\nk1box by module (symbol sizes of the unstripped build; inlined code counts where it lands):");
    for (name, size) in rows {
        println!("  {name:<32} {size:>9}");
    }
    Ok(())
}

/// `k1box::applets::ls::…` -> `applet ls`; `k1box::sh::…` -> `sh`; crates by name.
fn group_of(sym: &str) -> String {
    let sym = sym.trim_start_matches('<');
    let parts: Vec<&str> = sym.split("::").collect();
    match parts.as_slice() {
        ["k1box", "applets", name, ..] => format!("applet {name}"),
        ["k1box", module, ..] => format!("k1box::{module}"),
        [krate, ..] if parts.len() > 1 => (*krate).to_string(),
        _ => "(other symbols)".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::group_of;

    #[test]
    fn groups_symbols_by_module() {
        assert_eq!(group_of("k1box::applets::ls::main"), "applet ls");
        assert_eq!(group_of("k1box::common::opts::Getopt::next"), "k1box::common");
        assert_eq!(group_of("core::fmt::write"), "core");
        assert_eq!(group_of("memcpy"), "(other symbols)");
    }
}
