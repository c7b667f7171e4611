//! Word expansion (POSIX XCU 2.6): tilde, parameters, command substitution, arithmetic, then
//! field splitting by IFS, pathname expansion and quote removal — in one pass over a word's
//! parts. Quoted characters that matter to patterns are kept backslash-escaped until the
//! end, so that globbing, `case` and `${x#pat}` see exactly what was quoted.
use alloc::borrow::Cow;
use alloc::vec::Vec;

use super::arith;
use super::ast::{Param, ParamOp, Part, Word};
use super::exec::{Abort, Shell};
use super::glob;

/// What the expansion is for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mode {
    /// Command arguments: split and glob.
    Fields,
    /// A pattern (`case`, `${x#p}`): one string, quoted pattern characters escaped.
    Pattern,
    /// One string, nothing special (assignments, here-documents, redirection targets).
    Plain,
}

fn is_pat_special(c: u8) -> bool {
    matches!(c, b'\\' | b'*' | b'?' | b'[' | b']')
}

/// Collects the fields of words as they expand.
pub struct Builder<'i> {
    mode: Mode,
    pub fields: Vec<Vec<u8>>,
    cur: Vec<u8>,
    open: bool,
    ws_ended: bool,
    glob: bool,
    esc: bool,
    noglob: bool,
    ifs: &'i [u8],
}

impl<'i> Builder<'i> {
    pub fn new(mode: Mode, ifs: &'i [u8], noglob: bool) -> Builder<'i> {
        Builder {
            mode,
            fields: Vec::new(),
            cur: Vec::new(),
            open: false,
            ws_ended: false,
            glob: false,
            esc: false,
            noglob,
            ifs,
        }
    }

    fn push_escaped(&mut self, c: u8) {
        if is_pat_special(c) {
            self.cur.push(b'\\');
            self.esc = true;
        }
        self.cur.push(c);
    }

    /// Quoted text.
    pub fn quoted(&mut self, s: &[u8]) {
        self.open = true;
        self.ws_ended = false;
        if self.mode == Mode::Plain {
            self.cur.extend_from_slice(s);
        } else {
            for &c in s {
                self.push_escaped(c);
            }
        }
    }

    /// Unquoted text as written (pattern characters active, no splitting).
    pub fn lit(&mut self, s: &[u8]) {
        self.open = true;
        self.ws_ended = false;
        if self.mode == Mode::Plain {
            self.cur.extend_from_slice(s);
            return;
        }
        if !self.glob && s.iter().any(|&c| matches!(c, b'*' | b'?' | b'[')) {
            self.glob = true;
        }
        if memchr::memchr(b'\\', s).is_some() {
            for &c in s {
                if c == b'\\' {
                    self.cur.push(b'\\');
                    self.esc = true;
                }
                self.cur.push(c);
            }
        } else {
            self.cur.extend_from_slice(s);
        }
    }

    /// The unquoted result of an expansion: split by IFS when making fields.
    pub fn expanded(&mut self, s: &[u8]) {
        match self.mode {
            Mode::Plain => return self.lit(s),
            // In a pattern, an expansion's backslashes escape (as in dash, ash and bash).
            Mode::Pattern => {
                self.open = true;
                self.cur.extend_from_slice(s);
                return;
            }
            Mode::Fields => {}
        }
        for &c in s {
            if self.ifs.contains(&c) {
                if matches!(c, b' ' | b'\t' | b'\n') {
                    if self.open {
                        self.end_field();
                        self.ws_ended = true;
                    }
                } else {
                    if self.open {
                        self.end_field();
                    } else if !self.ws_ended {
                        self.fields.push(Vec::new());
                    }
                    self.ws_ended = false;
                }
                continue;
            }
            self.open = true;
            self.ws_ended = false;
            match c {
                b'*' | b'?' | b'[' => {
                    self.glob = true;
                    self.cur.push(c);
                }
                b'\\' => {
                    self.cur.extend_from_slice(b"\\\\");
                    self.esc = true;
                }
                _ => self.cur.push(c),
            }
        }
    }

    /// Ends the current field even when empty (between the words of "$@").
    pub fn force_break(&mut self) {
        self.open = true;
        self.end_field();
    }

    /// Ends the current field if there is one (between the words of unquoted $@).
    fn soft_break(&mut self) {
        // The boundary between two parameters delimits like IFS white space would.
        if self.open {
            self.end_field();
            self.ws_ended = true;
        }
    }

    fn end_field(&mut self) {
        let cur = core::mem::take(&mut self.cur);
        if self.glob && !self.noglob && self.mode == Mode::Fields && glob::has_meta(&cur) {
            let found = glob::expand(&cur);
            if found.is_empty() {
                self.fields.push(glob::unescape(&cur));
            } else {
                self.fields.extend(found);
            }
        } else if self.esc && self.mode == Mode::Fields {
            self.fields.push(glob::unescape(&cur));
        } else {
            self.fields.push(cur);
        }
        self.open = false;
        self.glob = false;
        self.esc = false;
    }

    /// Ends the word.
    pub fn end_word(&mut self) {
        if self.open || !self.cur.is_empty() {
            self.end_field();
        }
        self.ws_ended = false;
    }

    /// The one string of a Pattern or Plain expansion.
    pub fn take_string(&mut self) -> Vec<u8> {
        let mut s = core::mem::take(&mut self.cur);
        for f in self.fields.drain(..).rev() {
            let mut f = f;
            f.extend_from_slice(&s);
            s = f;
        }
        s
    }
}

fn num(n: i64) -> Vec<u8> {
    let mut b = [0u8; 20];
    let mut v = Vec::new();
    if n < 0 {
        v.push(b'-');
    }
    v.extend_from_slice(crate::common::out::fmt_u64(n.unsigned_abs(), &mut b));
    v
}

/// Whether a parameter word is exactly `$@` (which may vanish even inside quotes).
fn is_at(p: &Part) -> bool {
    matches!(p, Part::Param(p) if p.name == b"@" && p.op == ParamOp::Plain)
}

struct ArithVars<'a>(&'a mut Shell);

impl arith::Vars for ArithVars<'_> {
    fn get(&mut self, name: &[u8]) -> Option<Vec<u8>> {
        self.0.param(name).map(|c| c.into_owned())
    }
    fn number(&mut self, name: &[u8]) -> Option<Option<i64>> {
        match name {
            b"LINENO" | b"RANDOM" => None,
            _ => Some(self.0.vars.get(name).and_then(arith::parse_number)),
        }
    }
    fn set(&mut self, name: &[u8], value: i64) -> Result<(), &'static str> {
        self.0.assign(name, &num(value)).map_err(|_| "readonly variable")
    }
}

impl Shell {
    fn ifs(&self) -> Vec<u8> {
        match self.vars.get(b"IFS") {
            Some(v) => v.to_vec(),
            None => b" \t\n".to_vec(),
        }
    }

    /// A plain variable's value when the word is just `$name` or `"$name"`.
    fn simple_param<'a>(&'a self, w: &[Part]) -> Option<(&'a [u8], bool)> {
        let (p, quoted) = match w {
            [Part::Param(p)] => (p, false),
            [Part::Dq(inner)] => match inner.as_slice() {
                [Part::Param(p)] => (p, true),
                _ => return None,
            },
            _ => return None,
        };
        if p.op != ParamOp::Plain || !p.name.first().is_some_and(|&c| c.is_ascii_alphabetic() || c == b'_') {
            return None;
        }
        if p.name == b"LINENO" || p.name == b"RANDOM" {
            return None;
        }
        match self.vars.get(&p.name) {
            Some(v) => Some((v, quoted)),
            None if self.opts.nounset => None,
            None => Some((b"", quoted)),
        }
    }

    /// Expands command words into fields.
    pub fn expand_words(&mut self, words: &[Word]) -> Result<Vec<Vec<u8>>, Abort> {
        let mut out = Vec::with_capacity(words.len());
        // IFS is copied once per command when a word needs it (to a stack buffer when short).
        let mut small = [0u8; 16];
        let mut big = Vec::new();
        let mut ifs_len = None;
        for w in words {
            // Words of plain text, and lone variables whose value needs no splitting or
            // globbing, need no work beyond copying.
            if let [Part::Lit(s)] = w.as_slice() {
                if self.opts.noglob || !s.iter().any(|&c| matches!(c, b'*' | b'?' | b'[' | b'\\')) {
                    out.push(s.clone());
                    continue;
                }
            }
            let n = *ifs_len.get_or_insert_with(|| match self.vars.get(b"IFS") {
                None => {
                    small[..3].copy_from_slice(b" \t\n");
                    3
                }
                Some(v) if v.len() <= small.len() => {
                    small[..v.len()].copy_from_slice(v);
                    v.len()
                }
                Some(v) => {
                    big = v.to_vec();
                    usize::MAX
                }
            });
            let ifs: &[u8] = if n == usize::MAX { &big } else { &small[..n] };
            if let Some((v, quoted)) = self.simple_param(w) {
                if quoted {
                    out.push(v.to_vec());
                    continue;
                }
                if !v.iter().any(|c| ifs.contains(c) || matches!(c, b'*' | b'?' | b'[' | b'\\')) {
                    if !v.is_empty() {
                        out.push(v.to_vec());
                    }
                    continue;
                }
            }
            let mut b = Builder::new(Mode::Fields, ifs, self.opts.noglob);
            self.expand_parts(w, &mut b, false, false)?;
            b.end_word();
            out.append(&mut b.fields);
        }
        Ok(out)
    }

    /// Expands a word into one string (no splitting, no globbing).
    pub fn expand_plain(&mut self, w: &Word) -> Result<Vec<u8>, Abort> {
        match w.as_slice() {
            [] => return Ok(Vec::new()),
            [Part::Lit(s)] | [Part::Quoted(s)] => return Ok(s.clone()),
            [Part::Arith(a)] => {
                let v = match a.as_slice() {
                    [Part::Lit(t)] => self.arith(t)?,
                    _ => {
                        let t = self.expand_plain(a)?;
                        self.arith(&t)?
                    }
                };
                return Ok(num(v));
            }
            _ => {}
        }
        if let Some((v, _)) = self.simple_param(w) {
            return Ok(v.to_vec());
        }
        let mut b = Builder::new(Mode::Plain, b"", true);
        self.expand_parts(w, &mut b, false, false)?;
        Ok(b.take_string())
    }

    /// Expands an assignment's value: also `~` after `=`'s value start and after each `:`.
    pub fn expand_assign(&mut self, w: &Word) -> Result<Vec<u8>, Abort> {
        let tilde = w.iter().any(|p| matches!(p, Part::Lit(s) if s.contains(&b'~')));
        if !tilde {
            return self.expand_plain(w);
        }
        let mut b = Builder::new(Mode::Plain, b"", true);
        for (i, p) in w.iter().enumerate() {
            if let Part::Lit(s) = p {
                let mut start = 0;
                let mut at_start = i == 0;
                let mut k = 0;
                while k < s.len() {
                    if s[k] == b'~' && (at_start || (k > 0 && s[k - 1] == b':')) {
                        let end =
                            s[k..].iter().position(|&c| c == b'/' || c == b':').map_or(s.len(), |e| k + e);
                        let last_part = i + 1 == w.len() || end < s.len();
                        if last_part {
                            b.lit(&s[start..k]);
                            match self.tilde(&s[k + 1..end]) {
                                Some(h) => b.quoted(&h),
                                None => b.lit(&s[k..end]),
                            }
                            start = end;
                            k = end;
                            continue;
                        }
                    }
                    at_start = false;
                    k += 1;
                }
                b.lit(&s[start..]);
            } else {
                self.expand_part(p, &mut b, false, false)?;
            }
        }
        Ok(b.take_string())
    }

    /// Expands a word as a pattern (quoted pattern characters escaped).
    pub fn expand_pattern(&mut self, w: &Word) -> Result<Vec<u8>, Abort> {
        if let [Part::Lit(s)] = w.as_slice() {
            return Ok(s.clone());
        }
        let mut b = Builder::new(Mode::Pattern, b"", true);
        self.expand_parts(w, &mut b, false, false)?;
        Ok(b.take_string())
    }

    /// Expands a here-document body.
    pub fn expand_heredoc(&mut self, w: &Word) -> Result<Vec<u8>, Abort> {
        if let [Part::Quoted(s)] = w.as_slice() {
            return Ok(s.clone());
        }
        let mut b = Builder::new(Mode::Plain, b"", true);
        self.expand_parts(w, &mut b, true, false)?;
        Ok(b.take_string())
    }

    fn tilde(&mut self, name: &[u8]) -> Option<Vec<u8>> {
        if name.is_empty() {
            return self.vars.get(b"HOME").map(|h| h.to_vec());
        }
        let mut u = crate::common::users::Users::new();
        u.user_by_name(name).map(|p| p.home.clone())
    }

    fn expand_parts(
        &mut self,
        w: &[Part],
        b: &mut Builder,
        quoted: bool,
        split_lit: bool,
    ) -> Result<(), Abort> {
        for p in w {
            self.expand_part(p, b, quoted, split_lit)?;
        }
        Ok(())
    }

    fn expand_part(&mut self, p: &Part, b: &mut Builder, quoted: bool, split_lit: bool) -> Result<(), Abort> {
        match p {
            Part::Lit(s) if quoted => b.quoted(s),
            Part::Lit(s) if split_lit => b.expanded(s),
            Part::Lit(s) => b.lit(s),
            Part::Quoted(s) => b.quoted(s),
            Part::Dq(parts) => {
                if !(parts.len() == 1 && is_at(&parts[0])) {
                    b.quoted(b"");
                }
                self.expand_parts(parts, b, true, false)?;
            }
            Part::Tilde(name) => match self.tilde(name) {
                Some(h) => b.quoted(&h),
                None => {
                    b.lit(b"~");
                    b.lit(name);
                }
            },
            Part::Param(p) => self.expand_param(p, b, quoted)?,
            Part::Cmd(n) => {
                let s = self.command_subst(n)?;
                if quoted {
                    b.quoted(&s)
                } else {
                    b.expanded(&s)
                }
            }
            Part::Arith(w) => {
                let text = self.expand_plain(w)?;
                let v = self.arith(&text)?;
                let s = num(v);
                if quoted {
                    b.quoted(&s)
                } else {
                    b.expanded(&s)
                }
            }
        }
        Ok(())
    }

    /// Evaluates an arithmetic expression, reporting errors.
    pub fn arith(&mut self, text: &[u8]) -> Result<i64, Abort> {
        match arith::eval(text, &mut ArithVars(self)) {
            Ok(v) => Ok(v),
            Err(e) => {
                self.error(&[text, b": ", e.as_bytes()]);
                Err(Abort)
            }
        }
    }

    /// The value of a parameter: special, positional or variable.
    pub fn param(&mut self, name: &[u8]) -> Option<Cow<'_, [u8]>> {
        let &c = name.first()?;
        if name.len() == 1 && !c.is_ascii_alphabetic() && c != b'_' {
            return match c {
                b'@' | b'*' => {
                    if self.params.is_empty() {
                        return None;
                    }
                    // Outside of field splitting, $@ joins like $* (as dash and ash do).
                    let sep = self.ifs().first().copied();
                    let mut s = Vec::new();
                    for (i, p) in self.params.iter().enumerate() {
                        if i > 0 {
                            if let Some(sep) = sep {
                                s.push(sep);
                            }
                        }
                        s.extend_from_slice(p);
                    }
                    Some(Cow::Owned(s))
                }
                b'#' => Some(Cow::Owned(num(self.params.len() as i64))),
                b'?' => Some(Cow::Owned(num(self.status as i64))),
                b'-' => Some(Cow::Owned(self.opts.dollar_dash())),
                b'$' => Some(Cow::Owned(num(self.pid as i64))),
                b'!' => self.last_bg.map(|p| Cow::Owned(num(p as i64))),
                b'0' => Some(Cow::Borrowed(&self.arg0)),
                b'1'..=b'9' => self.params.get((c - b'1') as usize).map(|p| Cow::Borrowed(&p[..])),
                _ => None,
            };
        }
        if c.is_ascii_digit() {
            let n =
                name.iter().try_fold(0usize, |a, &d| a.checked_mul(10)?.checked_add((d - b'0') as usize))?;
            return n.checked_sub(1).and_then(|i| self.params.get(i)).map(|p| Cow::Borrowed(&p[..]));
        }
        match name {
            b"LINENO" => Some(Cow::Owned(num(self.lineno as i64))),
            b"RANDOM" => {
                self.rng ^= self.rng << 13;
                self.rng ^= self.rng >> 7;
                self.rng ^= self.rng << 17;
                Some(Cow::Owned(num(((self.rng >> 33) % 32768) as i64)))
            }
            _ => self.vars.get(name).map(Cow::Borrowed),
        }
    }

    fn unset_error(&mut self, p: &Param) -> Abort {
        self.error(&[&p.name, b": parameter not set"]);
        Abort
    }

    fn expand_param(&mut self, p: &Param, b: &mut Builder, quoted: bool) -> Result<(), Abort> {
        let is_list = p.name == b"@" || p.name == b"*";
        if is_list && p.op == ParamOp::Substr {
            // ${@:off:len}: a slice of the positional parameters ($0 is at offset 0).
            let off = self.expand_plain(&p.word)?;
            let off = self.arith(&off)?;
            let mut all = alloc::vec![self.arg0.clone()];
            all.extend(self.params.iter().cloned());
            let n = all.len() as i64;
            let start = if off < 0 { n + off } else { off }.clamp(0, n);
            let end = match &p.word2 {
                Some(w) => {
                    let l = self.expand_plain(w)?;
                    let l = self.arith(&l)?;
                    if l < 0 {
                        n + l
                    } else {
                        start.saturating_add(l)
                    }
                }
                None => n,
            }
            .clamp(start, n);
            let saved = core::mem::replace(&mut self.params, all[start as usize..end as usize].to_vec());
            let q = Param {
                name: p.name.clone(),
                op: ParamOp::Plain,
                colon: false,
                word: Vec::new(),
                word2: None,
            };
            let r = self.expand_param(&q, b, quoted);
            self.params = saved;
            return r;
        }
        if p.op == ParamOp::Plain && is_list && (b.mode == Mode::Fields || !quoted) {
            let params = core::mem::take(&mut self.params);
            if quoted && p.name == b"@" {
                for (i, a) in params.iter().enumerate() {
                    if i > 0 {
                        b.force_break();
                    }
                    b.quoted(a);
                }
            } else if quoted {
                let sep = self.ifs().first().copied();
                for (i, a) in params.iter().enumerate() {
                    if i > 0 {
                        if let Some(s) = sep {
                            b.quoted(&[s]);
                        }
                    }
                    b.quoted(a);
                }
            } else {
                let sep = self.ifs().first().copied();
                for (i, a) in params.iter().enumerate() {
                    if i > 0 && b.mode == Mode::Fields {
                        b.soft_break();
                    } else if i > 0 {
                        if let Some(s) = sep {
                            b.expanded(&[s]);
                        }
                    }
                    b.expanded(a);
                }
            }
            self.params = params;
            return Ok(());
        }
        let put = |b: &mut Builder, s: &[u8]| if quoted { b.quoted(s) } else { b.expanded(s) };
        let nounset = self.opts.nounset;
        match p.op {
            ParamOp::Plain => {
                match self.param(&p.name) {
                    Some(v) => {
                        let v: &[u8] = &v;
                        // Borrow of self ends with v; copy is cheap next to splitting.
                        let v = v.to_vec();
                        put(b, &v);
                    }
                    None if nounset && !is_list => return Err(self.unset_error(p)),
                    None => {}
                }
                Ok(())
            }
            ParamOp::Length => {
                let n = if is_list {
                    self.params.len()
                } else {
                    match self.param(&p.name) {
                        Some(v) => v.len(),
                        None if nounset => return Err(self.unset_error(p)),
                        None => 0,
                    }
                };
                put(b, &num(n as i64));
                Ok(())
            }
            ParamOp::Default | ParamOp::Assign | ParamOp::Error | ParamOp::Alt => {
                let set = match self.param(&p.name) {
                    Some(v) => !(p.colon && v.is_empty()),
                    None => false,
                };
                match (p.op, set) {
                    (ParamOp::Default, false) | (ParamOp::Alt, true) => {
                        self.expand_parts(&p.word, b, quoted, !quoted)
                    }
                    (ParamOp::Default, true) | (ParamOp::Assign, true) | (ParamOp::Error, true) => {
                        let mut q = p.as_ref_plain();
                        q.op = ParamOp::Plain;
                        self.expand_param(&q, b, quoted)
                    }
                    (ParamOp::Alt, false) => Ok(()),
                    (ParamOp::Assign, false) => {
                        let v = self.expand_plain(&p.word)?;
                        if !super::lexer::is_name(&p.name) {
                            self.error(&[&p.name, b": bad variable name"]);
                            return Err(Abort);
                        }
                        if self.assign(&p.name, &v).is_err() {
                            return Err(Abort);
                        }
                        put(b, &v);
                        Ok(())
                    }
                    _ => {
                        let m = self.expand_plain(&p.word)?;
                        if m.is_empty() {
                            let what: &[u8] =
                                if p.colon { b"parameter null or not set" } else { b"parameter not set" };
                            self.error(&[&p.name, b": ", what]);
                        } else {
                            self.error(&[&p.name, b": ", &m]);
                        }
                        Err(Abort)
                    }
                }
            }
            _ => {
                let v = match self.param(&p.name) {
                    Some(v) => v.into_owned(),
                    None if nounset && !is_list => return Err(self.unset_error(p)),
                    None => Vec::new(),
                };
                let r = self.transform(p, v)?;
                put(b, &r);
                Ok(())
            }
        }
    }

    /// The pattern and substring operators.
    fn transform(&mut self, p: &Param, v: Vec<u8>) -> Result<Vec<u8>, Abort> {
        if p.op == ParamOp::Substr {
            let off = self.expand_plain(&p.word)?;
            let off = self.arith(&off)?;
            let n = v.len() as i64;
            if off < -n {
                return Ok(Vec::new());
            }
            let start = if off < 0 { n + off } else { off.min(n) };
            let end = match &p.word2 {
                None => n,
                Some(w) => {
                    let l = self.expand_plain(w)?;
                    let l = self.arith(&l)?;
                    if l < 0 {
                        (n + l).max(start)
                    } else {
                        start.saturating_add(l).min(n)
                    }
                }
            };
            return Ok(v[start as usize..end.max(start) as usize].to_vec());
        }
        let pat = self.expand_pattern(&p.word)?;
        // A pattern that starts or ends with a literal byte can only match a piece of the
        // value that starts or ends with it: most tries end without running the matcher.
        let (first, last) = glob::literal_ends(&pat);
        let m = |a: usize, e: usize| {
            first.is_none_or(|c| a < e && v[a] == c)
                && last.is_none_or(|c| a < e && v[e - 1] == c)
                && glob::matches(&pat, &v[a..e])
        };
        let n = v.len();
        let keep = match p.op {
            ParamOp::TrimPrefix => (0..=n).find(|&i| m(0, i)).map(|i| i..n),
            ParamOp::TrimPrefixLong => (0..=n).rev().find(|&i| m(0, i)).map(|i| i..n),
            ParamOp::TrimSuffix => (0..=n).rev().find(|&i| m(i, n)).map(|i| 0..i),
            ParamOp::TrimSuffixLong => (0..=n).find(|&i| m(i, n)).map(|i| 0..i),
            _ => {
                let rep = match &p.word2 {
                    Some(w) => self.expand_plain(w)?,
                    None => Vec::new(),
                };
                if pat.is_empty() {
                    return Ok(v);
                }
                let mut out = Vec::new();
                let mut i = 0;
                while i <= n {
                    let found = match p.op {
                        ParamOp::ReplacePrefix if i == 0 => (0..=n).rev().find(|&e| m(0, e)),
                        ParamOp::ReplacePrefix => None,
                        ParamOp::ReplaceSuffix => m(i, n).then_some(n),
                        _ => (i + 1..=n).rev().find(|&e| m(i, e)),
                    };
                    match found {
                        Some(e) => {
                            out.extend_from_slice(&rep);
                            i = e;
                            if p.op != ParamOp::ReplaceAll {
                                out.extend_from_slice(&v[e..]);
                                return Ok(out);
                            }
                        }
                        None => {
                            if let Some(&c) = v.get(i) {
                                out.push(c);
                            }
                            i += 1;
                        }
                    }
                }
                return Ok(out);
            }
        };
        Ok(match keep {
            Some(r) => v[r].to_vec(),
            None => v,
        })
    }
}

impl Param {
    fn as_ref_plain(&self) -> Param {
        Param { name: self.name.clone(), op: ParamOp::Plain, colon: false, word: Vec::new(), word2: None }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// Arithmetic without variables.
    pub struct NoVars;
    impl arith::Vars for NoVars {
        fn get(&mut self, _: &[u8]) -> Option<Vec<u8>> {
            None
        }
        fn set(&mut self, _: &[u8], _: i64) -> Result<(), &'static str> {
            Ok(())
        }
    }

    fn split(ifs: &str, parts: &[(&str, bool)]) -> Vec<String> {
        let mut b = Builder::new(Mode::Fields, ifs.as_bytes(), true);
        for (s, expanded) in parts {
            if *expanded {
                b.expanded(s.as_bytes());
            } else {
                b.quoted(s.as_bytes());
            }
        }
        b.end_word();
        b.fields.iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect()
    }

    #[test]
    fn splits_fields_by_ifs_rules() {
        assert_eq!(split(" \t\n", &[("  a  b  ", true)]), ["a", "b"]);
        assert_eq!(split(":", &[("a::b:", true)]), ["a", "", "b"]);
        assert_eq!(split(" :", &[("a : b", true)]), ["a", "b"]);
        assert_eq!(split(" :", &[("a :: b", true)]), ["a", "", "b"]);
        assert_eq!(split(" ", &[("a ", true), ("x", false)]), ["a", "x"]);
        assert_eq!(split(" ", &[("", false)]), [""]);
        assert_eq!(split(" ", &[("", true)]), Vec::<String>::new());
        assert_eq!(split("", &[("a b", true)]), ["a b"]);
        assert_eq!(split(" ", &[("x", false), (" a", true)]), ["x", "a"]);
    }

    #[test]
    fn quoted_pattern_characters_stay_literal() {
        let mut b = Builder::new(Mode::Pattern, b"", true);
        b.lit(b"*.");
        b.quoted(b"*");
        assert_eq!(b.take_string(), b"*.\\*");
    }
}
