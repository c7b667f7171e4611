//! User and group names from /etc/passwd and /etc/group (read once, on first use).
use alloc::vec::Vec;

/// One /etc/passwd entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Passwd {
    pub name: Vec<u8>,
    pub uid: u32,
    pub gid: u32,
    pub gecos: Vec<u8>,
    pub home: Vec<u8>,
    pub shell: Vec<u8>,
}

/// One /etc/group entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub name: Vec<u8>,
    pub gid: u32,
    pub members: Vec<Vec<u8>>,
}

/// Both databases, loaded lazily.
#[derive(Default)]
pub struct Users {
    passwd: Option<Vec<Passwd>>,
    groups: Option<Vec<Group>>,
}

impl Users {
    pub fn new() -> Self {
        Users::default()
    }

    pub fn passwd(&mut self) -> &[Passwd] {
        self.passwd.get_or_insert_with(|| parse_passwd(&read(b"/etc/passwd")))
    }

    pub fn groups(&mut self) -> &[Group] {
        self.groups.get_or_insert_with(|| parse_group(&read(b"/etc/group")))
    }

    pub fn user_by_uid(&mut self, uid: u32) -> Option<&Passwd> {
        self.passwd().iter().find(|p| p.uid == uid)
    }

    pub fn user_by_name(&mut self, name: &[u8]) -> Option<&Passwd> {
        self.passwd().iter().find(|p| p.name == name)
    }

    pub fn group_by_gid(&mut self, gid: u32) -> Option<&Group> {
        self.groups().iter().find(|g| g.gid == gid)
    }

    pub fn group_by_name(&mut self, name: &[u8]) -> Option<&Group> {
        self.groups().iter().find(|g| g.name == name)
    }

    /// The user's name, or the number when there is none (as `ls -l` shows it).
    pub fn user_name(&mut self, uid: u32) -> Vec<u8> {
        match self.user_by_uid(uid) {
            Some(p) => p.name.clone(),
            None => number(uid),
        }
    }

    /// The group's name, or the number.
    pub fn group_name(&mut self, gid: u32) -> Vec<u8> {
        match self.group_by_gid(gid) {
            Some(g) => g.name.clone(),
            None => number(gid),
        }
    }

    /// A uid from a name or a number.
    pub fn uid_of(&mut self, s: &[u8]) -> Option<u32> {
        match self.user_by_name(s) {
            Some(p) => Some(p.uid),
            None => crate::common::num::parse_u64(s).and_then(|n| u32::try_from(n).ok()),
        }
    }

    /// A gid from a name or a number.
    pub fn gid_of(&mut self, s: &[u8]) -> Option<u32> {
        match self.group_by_name(s) {
            Some(g) => Some(g.gid),
            None => crate::common::num::parse_u64(s).and_then(|n| u32::try_from(n).ok()),
        }
    }
}

fn number(n: u32) -> Vec<u8> {
    let mut v = Vec::new();
    crate::common::num::push_u64(&mut v, n as u64);
    v
}

fn read(path: &[u8]) -> Vec<u8> {
    crate::common::fs::read_file(path).unwrap_or_default()
}

fn fields(line: &[u8]) -> Vec<&[u8]> {
    line.split(|&c| c == b':').collect()
}

fn id(s: &[u8]) -> Option<u32> {
    crate::common::num::parse_u64(s).and_then(|n| u32::try_from(n).ok())
}

/// Parses passwd(5) text, skipping malformed lines.
pub fn parse_passwd(text: &[u8]) -> Vec<Passwd> {
    let mut v = Vec::new();
    for line in text.split(|&c| c == b'\n') {
        let f = fields(line);
        if f.len() < 7 {
            continue;
        }
        let (Some(uid), Some(gid)) = (id(f[2]), id(f[3])) else { continue };
        v.push(Passwd {
            name: f[0].to_vec(),
            uid,
            gid,
            gecos: f[4].to_vec(),
            home: f[5].to_vec(),
            shell: f[6].to_vec(),
        });
    }
    v
}

/// Parses group(5) text, skipping malformed lines.
pub fn parse_group(text: &[u8]) -> Vec<Group> {
    let mut v = Vec::new();
    for line in text.split(|&c| c == b'\n') {
        let f = fields(line);
        if f.len() < 4 {
            continue;
        }
        let Some(gid) = id(f[2]) else { continue };
        let members = f[3].split(|&c| c == b',').filter(|m| !m.is_empty()).map(|m| m.to_vec()).collect();
        v.push(Group { name: f[0].to_vec(), gid, members });
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_passwd_and_skips_junk() {
        let p = parse_passwd(b"root:x:0:0:root:/root:/bin/sh\njunk\nbob:x:1000:100::/home/bob:/bin/sh\n");
        assert_eq!(p.len(), 2);
        assert_eq!(p[1].name, b"bob");
        assert_eq!(p[1].uid, 1000);
        assert_eq!(p[1].home, b"/home/bob");
    }

    #[test]
    fn parses_groups_with_members() {
        let g = parse_group(b"wheel:x:10:root,bob\nusers:x:100:\n");
        assert_eq!(g[0].members, [b"root".to_vec(), b"bob".to_vec()]);
        assert!(g[1].members.is_empty());
    }
}
