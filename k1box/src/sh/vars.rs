//! Shell variables (POSIX XCU 2.5.3): values, the export and readonly attributes, function
//! locals, and the environment passed to commands; and the `set` options.
use alloc::vec::Vec;
use core::cell::Cell;

/// Byte order of two names, compared byte by byte in line: names are short and mostly
/// differ early, where a call to memcmp would cost more than the comparison.
pub fn name_cmp(a: &[u8], b: &[u8]) -> core::cmp::Ordering {
    a.iter().zip(b).find(|(x, y)| x != y).map_or(a.len().cmp(&b.len()), |(x, y)| x.cmp(y))
}

/// A map from names to values kept as a sorted vector: small code, fast for the few hundred
/// names a shell holds. A small cache from a hash of the name to its position spares most
/// lookups of the names a loop uses the binary search.
#[derive(Debug)]
pub struct Map<V> {
    items: Vec<(Vec<u8>, V)>,
    /// Position + 1 of a name with this hash (0: none); cleared when positions shift.
    cache: [Cell<u32>; CACHE],
}

const CACHE: usize = 64;

fn slot(k: &[u8]) -> usize {
    k.iter().fold(k.len(), |h, &c| h.wrapping_mul(31).wrapping_add(c as usize)) % CACHE
}

impl<V> Default for Map<V> {
    fn default() -> Self {
        Map { items: Vec::new(), cache: [const { Cell::new(0) }; CACHE] }
    }
}

impl<V> Map<V> {
    pub fn new() -> Self {
        Map::default()
    }

    fn find(&self, k: &[u8]) -> Result<usize, usize> {
        let c = &self.cache[slot(k)];
        let i = (c.get() as usize).wrapping_sub(1);
        if self.items.get(i).is_some_and(|(n, _)| n == k) {
            return Ok(i);
        }
        let r = self.items.binary_search_by(|(n, _)| name_cmp(n, k));
        if let Ok(i) = r {
            c.set(i as u32 + 1);
        }
        r
    }

    /// Positions are about to change.
    fn forget(&mut self) {
        self.cache = [const { Cell::new(0) }; CACHE];
    }

    pub fn get(&self, k: &[u8]) -> Option<&V> {
        self.find(k).ok().map(|i| &self.items[i].1)
    }

    pub fn get_mut(&mut self, k: &[u8]) -> Option<&mut V> {
        self.find(k).ok().map(move |i| &mut self.items[i].1)
    }

    pub fn contains_key(&self, k: &[u8]) -> bool {
        self.find(k).is_ok()
    }

    pub fn insert(&mut self, k: Vec<u8>, v: V) -> Option<V> {
        match self.find(&k) {
            Ok(i) => Some(core::mem::replace(&mut self.items[i].1, v)),
            Err(i) => {
                self.forget();
                self.items.insert(i, (k, v));
                None
            }
        }
    }

    /// The value for `k`, inserted with `make` when missing.
    pub fn get_or_insert_with(&mut self, k: &[u8], make: impl FnOnce() -> V) -> &mut V {
        let i = match self.find(k) {
            Ok(i) => i,
            Err(i) => {
                self.forget();
                self.items.insert(i, (k.to_vec(), make()));
                i
            }
        };
        &mut self.items[i].1
    }

    pub fn remove(&mut self, k: &[u8]) -> Option<V> {
        let i = self.find(k).ok()?;
        self.forget();
        Some(self.items.remove(i).1)
    }

    pub fn clear(&mut self) {
        self.forget();
        self.items.clear();
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Vec<u8>, &V)> {
        self.items.iter().map(|(k, v)| (k, v))
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.items.iter().map(|(_, v)| v)
    }
}

/// One variable.
#[derive(Clone, Debug, Default)]
pub struct Var {
    /// `None` when declared (exported or readonly) but unset.
    pub val: Option<Vec<u8>>,
    pub export: bool,
    pub readonly: bool,
}

/// All variables, with a stack of saved values for `local`.
#[derive(Default)]
pub struct Vars {
    map: Map<Var>,
    /// One frame per function call: the variables it made local and their previous state.
    frames: Vec<Vec<(Vec<u8>, Option<Var>)>>,
    /// Export every assigned variable (`set -a`).
    pub allexport: bool,
    env_cache: Option<Vec<Vec<u8>>>,
}

/// Why an assignment failed.
pub struct ReadOnly;

impl Vars {
    pub fn get(&self, name: &[u8]) -> Option<&[u8]> {
        self.map.get(name).and_then(|v| v.val.as_deref())
    }

    pub fn var(&self, name: &[u8]) -> Option<&Var> {
        self.map.get(name)
    }

    pub fn set(&mut self, name: &[u8], val: &[u8]) -> Result<(), ReadOnly> {
        let allexport = self.allexport;
        if let Some(v) = self.map.get_mut(name) {
            if v.readonly {
                return Err(ReadOnly);
            }
            match &mut v.val {
                Some(old) => {
                    old.clear();
                    old.extend_from_slice(val);
                }
                None => v.val = Some(val.to_vec()),
            }
            v.export |= allexport;
            if v.export {
                self.env_cache = None;
            }
            return Ok(());
        }
        self.map.insert(name.to_vec(), Var { val: Some(val.to_vec()), export: allexport, readonly: false });
        if allexport {
            self.env_cache = None;
        }
        Ok(())
    }

    pub fn unset(&mut self, name: &[u8]) -> Result<(), ReadOnly> {
        match self.map.get(name) {
            Some(v) if v.readonly => Err(ReadOnly),
            Some(v) => {
                if v.export {
                    self.env_cache = None;
                }
                // A local keeps its slot so that the function's end restores the outer value.
                if self.frames.last().is_some_and(|f| f.iter().any(|(n, _)| n == name)) {
                    if let Some(v) = self.map.get_mut(name) {
                        v.val = None;
                    }
                } else {
                    self.map.remove(name);
                }
                Ok(())
            }
            None => Ok(()),
        }
    }

    pub fn export(&mut self, name: &[u8]) {
        self.env_cache = None;
        self.map.get_or_insert_with(name, Var::default).export = true;
    }

    pub fn unexport(&mut self, name: &[u8]) {
        self.env_cache = None;
        if let Some(v) = self.map.get_mut(name) {
            v.export = false;
        }
    }

    pub fn set_readonly(&mut self, name: &[u8]) {
        self.map.get_or_insert_with(name, Var::default).readonly = true;
    }

    /// Every variable, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&Vec<u8>, &Var)> {
        self.map.iter()
    }

    /// `NAME=value` for every exported variable with a value.
    pub fn environ(&mut self) -> &[Vec<u8>] {
        if self.env_cache.is_none() {
            let mut env = Vec::new();
            for (k, v) in self.map.iter() {
                if let (true, Some(val)) = (v.export, &v.val) {
                    let mut e = k.clone();
                    e.push(b'=');
                    e.extend_from_slice(val);
                    env.push(e);
                }
            }
            self.env_cache = Some(env);
        }
        self.env_cache.as_deref().unwrap_or(&[])
    }

    /// The environment list itself, for a process about to run a command in its place.
    pub fn take_environ(&mut self) -> Vec<Vec<u8>> {
        self.environ();
        self.env_cache.take().unwrap_or_default()
    }

    /// Starts a function call's frame of locals.
    pub fn push_frame(&mut self) {
        self.frames.push(Vec::new());
    }

    /// Ends a function call: its locals get their previous state back.
    pub fn pop_frame(&mut self) {
        let Some(frame) = self.frames.pop() else { return };
        for (name, old) in frame.into_iter().rev() {
            if self.map.get(&name).is_some_and(|v| v.export) || old.as_ref().is_some_and(|v| v.export) {
                self.env_cache = None;
            }
            match old {
                Some(v) => {
                    self.map.insert(name, v);
                }
                None => {
                    self.map.remove(&name);
                }
            }
        }
    }

    /// Makes `name` local to the current function (false outside any function).
    pub fn make_local(&mut self, name: &[u8]) -> bool {
        let Some(frame) = self.frames.last_mut() else { return false };
        if frame.iter().any(|(n, _)| n == name) {
            return true;
        }
        let old = self.map.get(name).cloned();
        frame.push((name.to_vec(), old));
        true
    }

    pub fn in_function(&self) -> bool {
        !self.frames.is_empty()
    }
}

/// The `set` options.
#[derive(Clone, Copy, Default, Debug)]
pub struct Opts {
    pub errexit: bool,
    pub nounset: bool,
    pub xtrace: bool,
    pub verbose: bool,
    pub noglob: bool,
    pub noexec: bool,
    pub noclobber: bool,
    pub allexport: bool,
    pub pipefail: bool,
    pub monitor: bool,
    pub notify: bool,
    pub interactive: bool,
    pub stdin: bool,
    pub hashall: bool,
    pub ignoreeof: bool,
}

/// Option letters and long names, as `set -o` lists them.
pub const OPTION_NAMES: &[(u8, &str)] = &[
    (b'a', "allexport"),
    (b'b', "notify"),
    (b'C', "noclobber"),
    (b'e', "errexit"),
    (b'f', "noglob"),
    (b'h', "hashall"),
    (0, "ignoreeof"),
    (b'm', "monitor"),
    (b'n', "noexec"),
    (b'u', "nounset"),
    (b'v', "verbose"),
    (b'x', "xtrace"),
    (0, "pipefail"),
];

impl Opts {
    pub fn flag(&mut self, name: &str) -> Option<&mut bool> {
        Some(match name {
            "allexport" => &mut self.allexport,
            "notify" => &mut self.notify,
            "noclobber" => &mut self.noclobber,
            "errexit" => &mut self.errexit,
            "noglob" => &mut self.noglob,
            "hashall" => &mut self.hashall,
            "ignoreeof" => &mut self.ignoreeof,
            "monitor" => &mut self.monitor,
            "noexec" => &mut self.noexec,
            "nounset" => &mut self.nounset,
            "verbose" => &mut self.verbose,
            "xtrace" => &mut self.xtrace,
            "pipefail" => &mut self.pipefail,
            _ => return None,
        })
    }

    pub fn letter(&mut self, c: u8) -> Option<&mut bool> {
        if c == b'i' {
            return Some(&mut self.interactive);
        }
        if c == b's' {
            return Some(&mut self.stdin);
        }
        let (_, name) = OPTION_NAMES.iter().find(|(l, _)| *l == c && c != 0)?;
        self.flag(name)
    }

    /// `$-`.
    pub fn dollar_dash(&self) -> Vec<u8> {
        let mut s = Vec::new();
        let mut o = *self;
        for c in b"aCefhmnuvxbis" {
            if o.letter(*c).is_some_and(|f| *f) {
                s.push(*c);
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locals_restore_the_outer_value() {
        let mut v = Vars::default();
        let _ = v.set(b"x", b"outer");
        v.push_frame();
        v.make_local(b"x");
        let _ = v.set(b"x", b"inner");
        v.make_local(b"y");
        let _ = v.set(b"y", b"1");
        assert_eq!(v.get(b"x"), Some(&b"inner"[..]));
        v.pop_frame();
        assert_eq!(v.get(b"x"), Some(&b"outer"[..]));
        assert_eq!(v.get(b"y"), None);
    }

    #[test]
    fn map_keeps_names_in_byte_order() {
        let names: [&[u8]; 9] =
            [b"PATH", b"A", b"PATH_LONGER_NAME", b"PATH_LONG", b"_", b"PATHS", b"a", b"PATH_LONGER", b"AB"];
        let mut m = Map::new();
        for (i, n) in names.iter().enumerate() {
            m.insert(n.to_vec(), i);
        }
        let got: Vec<&[u8]> = m.iter().map(|(k, _)| k.as_slice()).collect();
        let mut want = names.to_vec();
        want.sort();
        assert_eq!(got, want);
        for (i, n) in names.iter().enumerate() {
            assert_eq!(m.get(n), Some(&i));
        }
        assert_eq!(m.get(b"PATH_LONGE"), None);
        assert_eq!(m.remove(b"PATH_LONG"), Some(3));
        assert_eq!(m.get(b"PATH_LONG"), None);
        for (i, n) in names.iter().enumerate().filter(|(i, _)| *i != 3) {
            assert_eq!(m.get(n), Some(&i));
        }
        m.insert(b"0".to_vec(), 10);
        assert_eq!(m.get(b"PATH_LONGER"), Some(&7));
        assert_eq!(m.get(b"0"), Some(&10));
        m.clear();
        assert_eq!(m.get(b"A"), None);
    }

    #[test]
    fn readonly_refuses_and_environ_lists_exports() {
        let mut v = Vars::default();
        let _ = v.set(b"A", b"1");
        v.export(b"A");
        v.set_readonly(b"A");
        assert!(v.set(b"A", b"2").is_err());
        assert!(v.unset(b"A").is_err());
        let _ = v.set(b"B", b"2");
        assert_eq!(v.environ(), &[b"A=1".to_vec()]);
    }
}
