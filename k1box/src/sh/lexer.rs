//! The shell's lexer (POSIX XCU 2.3 Token Recognition, 2.2 Quoting, 2.6 word expansions as
//! written): turns the input bytes into operators, newlines and words made of parts.
//!
//! It reads from the parser's buffer and asks for more input only when a token is not yet
//! complete, so that a script read from a pipe is executed command by command. Here-document
//! bodies are read when the newline after their operator is reached.
use alloc::rc::Rc;
use alloc::vec;
use alloc::vec::Vec;

use super::ast::{HereDoc, Param, ParamOp, Part, Word};
use super::parser::{Parser, SyntaxError, Tok};

/// Bytes that end an unquoted word.
pub fn is_meta(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')')
}

pub fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

pub fn is_name_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// True for a valid variable name.
pub fn is_name(s: &[u8]) -> bool {
    matches!(s.first(), Some(&c) if is_name_start(c)) && s.iter().all(|&c| is_name_char(c))
}

fn is_special_param(c: u8) -> bool {
    matches!(c, b'@' | b'*' | b'#' | b'?' | b'-' | b'$' | b'!' | b'0')
}

fn flush(lit: &mut Vec<u8>, w: &mut Word) {
    if !lit.is_empty() {
        w.push(Part::Lit(core::mem::take(lit)));
    }
}

impl Parser<'_> {
    /// The byte at the read position, reading more input when the buffer is used up.
    #[inline(never)]
    pub(super) fn peek(&mut self) -> Option<u8> {
        if self.pos >= self.src.len() && !self.fill() {
            return None;
        }
        self.src.get(self.pos).copied()
    }

    /// The byte `k` places ahead.
    #[inline(never)]
    pub(super) fn peek_at(&mut self, k: usize) -> Option<u8> {
        while self.pos + k >= self.src.len() {
            if !self.fill() {
                return None;
            }
        }
        self.src.get(self.pos + k).copied()
    }

    /// Consumes one byte (counting lines).
    #[inline(never)]
    pub(super) fn bump(&mut self) -> Option<u8> {
        let c = self.peek()?;
        self.pos += 1;
        if c == b'\n' {
            self.line += 1;
        }
        Some(c)
    }

    #[inline(never)]
    fn err<T>(&self, msg: &str) -> Result<T, SyntaxError> {
        Err(SyntaxError { line: self.line, msg: msg.as_bytes().to_vec() })
    }

    fn skip_blanks(&mut self) {
        loop {
            match self.peek() {
                Some(b' ' | b'\t') => self.pos += 1,
                Some(b'\\') if self.peek_at(1) == Some(b'\n') => {
                    self.pos += 2;
                    self.line += 1;
                }
                Some(b'#') => {
                    while let Some(c) = self.peek() {
                        if c == b'\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                _ => return,
            }
        }
    }

    /// The next token.
    pub(super) fn lex(&mut self) -> Result<Tok, SyntaxError> {
        self.skip_blanks();
        self.tok_line = self.line;
        let Some(c) = self.peek() else { return Ok(Tok::Eof) };
        if c == b'\n' {
            // Not a byte further: a script read from a pipe must not be read ahead.
            self.bump();
            self.read_heredocs()?;
            return Ok(Tok::Newline);
        }
        if !matches!(c, b'&' | b'|' | b';' | b'(' | b')' | b'<' | b'>') {
            return self.lex_word();
        }
        let n = self.peek_at(1);
        let op = match c {
            b'&' if n == Some(b'&') => "&&",
            b'&' => "&",
            b'|' if n == Some(b'|') => "||",
            b'|' => "|",
            b';' if n == Some(b';') => ";;",
            b';' if n == Some(b'&') => ";&",
            b';' => ";",
            b'(' => "(",
            b')' => ")",
            b'<' => match n {
                Some(b'<') if self.peek_at(2) == Some(b'-') => "<<-",
                Some(b'<') => "<<",
                Some(b'&') => "<&",
                Some(b'>') => "<>",
                _ => "<",
            },
            b'>' => match n {
                Some(b'>') => ">>",
                Some(b'&') => ">&",
                Some(b'|') => ">|",
                _ => ">",
            },
            _ => return self.lex_word(),
        };
        self.pos += op.len();
        Ok(Tok::Op(op))
    }

    fn lex_word(&mut self) -> Result<Tok, SyntaxError> {
        let mut w: Word = Vec::new();
        let mut lit: Vec<u8> = Vec::new();
        if self.peek() == Some(b'~') {
            if let Some(t) = self.try_tilde() {
                w.push(Part::Tilde(t));
            }
        }
        while let Some(c) = self.peek() {
            match c {
                c if is_meta(c) => break,
                b'\\' => {
                    self.pos += 1;
                    match self.peek() {
                        None => lit.push(b'\\'),
                        Some(b'\n') => {
                            self.bump();
                        }
                        Some(c) => {
                            self.pos += 1;
                            flush(&mut lit, &mut w);
                            w.push(Part::Quoted(vec![c]));
                        }
                    }
                }
                b'\'' | b'"' | b'$' | b'`' => self.push_part(c, false, &mut lit, &mut w)?,
                _ => {
                    lit.push(c);
                    self.pos += 1;
                }
            }
        }
        if w.is_empty() && !lit.is_empty() && lit.len() < 10 && lit.iter().all(u8::is_ascii_digit) {
            if let Some(b'<' | b'>') = self.peek() {
                let n = lit.iter().fold(0i32, |a, &d| a * 10 + (d - b'0') as i32);
                return Ok(Tok::Io(n));
            }
        }
        flush(&mut lit, &mut w);
        Ok(Tok::Word(w))
    }

    /// `~name` at the start of a word, when followed by `/` or the end of the word.
    fn try_tilde(&mut self) -> Option<Vec<u8>> {
        let mut k = 1;
        while let Some(c) = self.peek_at(k) {
            if is_name_char(c) || matches!(c, b'.' | b'-') {
                k += 1;
            } else {
                break;
            }
        }
        match self.peek_at(k) {
            None | Some(b'/') => {}
            Some(c) if is_meta(c) => {}
            _ => return None,
        }
        let name = self.src.get(self.pos + 1..self.pos + k)?.to_vec();
        self.pos += k;
        Some(name)
    }

    fn read_squote(&mut self) -> Result<Vec<u8>, SyntaxError> {
        let mut s = Vec::new();
        loop {
            match self.bump() {
                None => return self.err("unterminated quoted string"),
                Some(b'\'') => return Ok(s),
                Some(c) => s.push(c),
            }
        }
    }

    /// `$'...'` with C escapes.
    fn read_ansi(&mut self) -> Result<Vec<u8>, SyntaxError> {
        let mut s = Vec::new();
        loop {
            let c = match self.bump() {
                None => return self.err("unterminated quoted string"),
                Some(b'\'') => return Ok(s),
                Some(b'\\') => match self.bump() {
                    None => return self.err("unterminated quoted string"),
                    Some(e) => e,
                },
                Some(c) => {
                    s.push(c);
                    continue;
                }
            };
            let v = match c {
                b'n' => b'\n',
                b't' => b'\t',
                b'r' => b'\r',
                b'a' => 7,
                b'b' => 8,
                b'e' | b'E' => 27,
                b'f' => 12,
                b'v' => 11,
                b'c' => self.bump().map_or(0, |x| x & 0x1f),
                b'0'..=b'7' => {
                    let mut v = (c - b'0') as u32;
                    for _ in 0..2 {
                        match self.peek() {
                            Some(d @ b'0'..=b'7') => {
                                v = v * 8 + (d - b'0') as u32;
                                self.pos += 1;
                            }
                            _ => break,
                        }
                    }
                    v as u8
                }
                b'x' => {
                    let mut v = 0u32;
                    let mut any = false;
                    for _ in 0..2 {
                        match self.peek().and_then(|d| (d as char).to_digit(16)) {
                            Some(d) => {
                                v = v * 16 + d;
                                self.pos += 1;
                                any = true;
                            }
                            None => break,
                        }
                    }
                    if !any {
                        s.extend_from_slice(b"\\x");
                        continue;
                    }
                    v as u8
                }
                b'u' | b'U' => {
                    // \uHHHH, \UHHHHHHHH (up to that many digits): the character in UTF-8.
                    let most = if c == b'u' { 4 } else { 8 };
                    let rest = self.src.get(self.pos..).unwrap_or(b"");
                    let (v, n) = crate::common::escape::digits(rest, 16, most);
                    match char::from_u32(v).filter(|_| n > 0) {
                        Some(ch) => {
                            self.pos += n;
                            let mut b = [0u8; 4];
                            s.extend_from_slice(ch.encode_utf8(&mut b).as_bytes());
                        }
                        None => s.extend_from_slice(&[b'\\', c]),
                    }
                    continue;
                }
                b'\\' | b'\'' | b'"' | b'?' => c,
                _ => {
                    s.push(b'\\');
                    c
                }
            };
            s.push(v);
        }
    }

    /// The parts of a double-quoted string (after the opening quote, through the closing one).
    fn read_dq(&mut self) -> Result<Word, SyntaxError> {
        let mut w: Word = Vec::new();
        let mut lit = Vec::new();
        loop {
            let Some(c) = self.peek() else { return self.err("unterminated quoted string") };
            match c {
                b'"' => {
                    self.pos += 1;
                    break;
                }
                b'\\' => {
                    self.pos += 1;
                    self.dq_backslash(&mut lit, true);
                }
                b'$' | b'`' => self.push_part(c, true, &mut lit, &mut w)?,
                _ => {
                    self.bump();
                    lit.push(c);
                }
            }
        }
        flush(&mut lit, &mut w);
        Ok(w)
    }

    /// At a `$`: a parameter, command substitution or arithmetic; `None` (the `$` consumed)
    /// when it starts none of them.
    fn read_dollar(&mut self, in_dq: bool) -> Result<Option<Part>, SyntaxError> {
        let n = self.peek_at(1);
        self.pos += 1;
        let Some(n) = n else { return Ok(None) };
        let plain = |name: Vec<u8>| {
            Part::Param(alloc::boxed::Box::new(Param {
                name,
                op: ParamOp::Plain,
                colon: false,
                word: Vec::new(),
                word2: None,
            }))
        };
        Ok(Some(match n {
            b'{' => {
                self.pos += 1;
                self.enter()?;
                let p = self.read_brace(in_dq);
                self.depth -= 1;
                p?
            }
            b'(' if self.peek_at(1) == Some(b'(') => {
                self.pos += 2;
                self.enter()?;
                let p = self.read_arith();
                self.depth -= 1;
                Part::Arith(p?)
            }
            b'(' => {
                self.pos += 1;
                Part::Cmd(self.read_subst()?)
            }
            b'\'' if !in_dq => {
                self.pos += 1;
                Part::Quoted(self.read_ansi()?)
            }
            c if is_name_start(c) => {
                let start = self.pos;
                while self.peek().is_some_and(is_name_char) {
                    self.pos += 1;
                }
                plain(self.src[start..self.pos].to_vec())
            }
            c if c.is_ascii_digit() || is_special_param(c) => {
                self.pos += 1;
                plain(vec![c])
            }
            _ => return Ok(None),
        }))
    }

    fn read_param_name(&mut self) -> Result<Vec<u8>, SyntaxError> {
        let start = self.pos;
        match self.peek() {
            Some(c) if is_name_start(c) => {
                while self.peek().is_some_and(is_name_char) {
                    self.pos += 1;
                }
            }
            Some(c) if c.is_ascii_digit() => {
                while self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    self.pos += 1;
                }
            }
            Some(c) if is_special_param(c) => self.pos += 1,
            _ => return self.err("bad substitution"),
        }
        Ok(self.src[start..self.pos].to_vec())
    }

    /// `${...}` after the `${`.
    fn read_brace(&mut self, in_dq: bool) -> Result<Part, SyntaxError> {
        let mut p =
            Param { name: Vec::new(), op: ParamOp::Plain, colon: false, word: Vec::new(), word2: None };
        if self.peek() == Some(b'#') {
            let n = self.peek_at(1);
            let len = match n {
                Some(b'}') => false,
                Some(c) => is_name_char(c) || is_special_param(c),
                None => false,
            };
            if len {
                self.pos += 1;
                p.op = ParamOp::Length;
                p.name = self.read_param_name()?;
                if self.bump() != Some(b'}') {
                    return self.err("bad substitution");
                }
                return Ok(Part::Param(alloc::boxed::Box::new(p)));
            }
        }
        p.name = self.read_param_name()?;
        let Some(c) = self.bump() else { return self.err("bad substitution") };
        let mut stops: &[u8] = b"}";
        let mut sq_literal = in_dq;
        p.op = match c {
            b'}' => return Ok(Part::Param(alloc::boxed::Box::new(p))),
            b':' => match self.peek() {
                Some(o @ (b'-' | b'=' | b'?' | b'+')) => {
                    p.colon = true;
                    self.op_char(o)
                }
                _ => {
                    stops = b":}";
                    ParamOp::Substr
                }
            },
            b'-' | b'=' | b'?' | b'+' => {
                self.pos -= 1;
                self.op_char(c)
            }
            b'%' | b'#' => {
                sq_literal = false;
                let long = self.peek() == Some(c);
                if long {
                    self.pos += 1;
                }
                match (c, long) {
                    (b'%', false) => ParamOp::TrimSuffix,
                    (b'%', true) => ParamOp::TrimSuffixLong,
                    (_, false) => ParamOp::TrimPrefix,
                    _ => ParamOp::TrimPrefixLong,
                }
            }
            b'/' => {
                sq_literal = false;
                stops = b"/}";
                match self.peek() {
                    Some(b'/') => {
                        self.pos += 1;
                        ParamOp::ReplaceAll
                    }
                    Some(b'#') => {
                        self.pos += 1;
                        ParamOp::ReplacePrefix
                    }
                    Some(b'%') => {
                        self.pos += 1;
                        ParamOp::ReplaceSuffix
                    }
                    _ => ParamOp::Replace,
                }
            }
            _ => return self.err("bad substitution"),
        };
        p.word = self.read_brace_word(stops, in_dq, sq_literal)?;
        if stops.len() == 2 && self.peek() != Some(b'}') {
            self.pos += 1;
            p.word2 = Some(self.read_brace_word(b"}", in_dq, sq_literal)?);
        }
        if self.bump() != Some(b'}') {
            return self.err("bad substitution");
        }
        Ok(Part::Param(alloc::boxed::Box::new(p)))
    }

    fn op_char(&mut self, c: u8) -> ParamOp {
        self.pos += 1;
        match c {
            b'-' => ParamOp::Default,
            b'=' => ParamOp::Assign,
            b'?' => ParamOp::Error,
            _ => ParamOp::Alt,
        }
    }

    /// The word inside `${name OP word}`, up to one of `stops`.
    fn read_brace_word(&mut self, stops: &[u8], in_dq: bool, sq_literal: bool) -> Result<Word, SyntaxError> {
        let mut w: Word = Vec::new();
        let mut lit = Vec::new();
        loop {
            let Some(c) = self.peek() else { return self.err("bad substitution") };
            if stops.contains(&c) {
                break;
            }
            match c {
                b'\\' => {
                    self.pos += 1;
                    match self.bump() {
                        Some(b'\n') => {}
                        Some(c) => {
                            flush(&mut lit, &mut w);
                            w.push(Part::Quoted(vec![c]));
                        }
                        None => return self.err("bad substitution"),
                    }
                }
                b'\'' | b'"' | b'$' | b'`' if c != b'\'' || !sq_literal => {
                    self.push_part(c, in_dq, &mut lit, &mut w)?
                }
                _ => {
                    self.bump();
                    lit.push(c);
                }
            }
        }
        flush(&mut lit, &mut w);
        Ok(w)
    }

    /// After a backslash inside double quotes (`dq`) or a here-document body: a newline
    /// joins the lines, `$ \` \\` (and `"` in quotes) stand for themselves, and any other
    /// backslash is kept.
    fn dq_backslash(&mut self, lit: &mut Vec<u8>, dq: bool) {
        match self.peek() {
            Some(b'\n') => {
                self.bump();
            }
            Some(c @ (b'$' | b'`' | b'\\')) => {
                self.pos += 1;
                lit.push(c);
            }
            Some(b'"') if dq => {
                self.pos += 1;
                lit.push(b'"');
            }
            _ => lit.push(b'\\'),
        }
    }

    /// [`Self::quoted_part`] appended to the word `w` (after the literal text so far), or a
    /// literal `$` added to `lit`.
    fn push_part(&mut self, c: u8, in_dq: bool, lit: &mut Vec<u8>, w: &mut Word) -> Result<(), SyntaxError> {
        match self.quoted_part(c, in_dq)? {
            Some(p) => {
                flush(lit, w);
                w.push(p);
            }
            None => lit.push(b'$'),
        }
        Ok(())
    }

    /// The quoted or substituted part that `c` (at the read position) starts: `'...'`,
    /// `"..."`, `$...` or `` `...` ``; `Ok(None)` for a `$` that starts nothing, which is
    /// then a literal `$`.
    fn quoted_part(&mut self, c: u8, in_dq: bool) -> Result<Option<Part>, SyntaxError> {
        if c == b'$' {
            return self.read_dollar(in_dq);
        }
        self.pos += 1;
        Ok(Some(match c {
            b'\'' => Part::Quoted(self.read_squote()?),
            b'"' => Part::Dq(self.read_dq()?),
            _ => Part::Cmd(self.read_backquote(in_dq)?),
        }))
    }

    /// `$((...))` after the `$((`: the expression's parts, through the closing `))`.
    fn read_arith(&mut self) -> Result<Word, SyntaxError> {
        let mut w: Word = Vec::new();
        let mut lit = Vec::new();
        let mut depth = 0u32;
        loop {
            let Some(c) = self.peek() else { return self.err("unterminated arithmetic expression") };
            match c {
                b'(' => depth += 1,
                b')' if depth == 0 => {
                    if self.peek_at(1) != Some(b')') {
                        return self.err("unexpected \")\" in arithmetic expression");
                    }
                    self.pos += 2;
                    break;
                }
                b')' => depth -= 1,
                b'\\' => {
                    self.pos += 1;
                    if let Some(c) = self.bump() {
                        if c != b'\n' {
                            lit.push(c);
                        }
                    }
                    continue;
                }
                b'"' => {
                    self.pos += 1;
                    let parts = self.read_dq()?;
                    flush(&mut lit, &mut w);
                    w.extend(parts);
                    continue;
                }
                b'\'' => {
                    self.pos += 1;
                    let s = self.read_squote()?;
                    lit.extend_from_slice(&s);
                    continue;
                }
                b'$' => {
                    match self.read_dollar(true)? {
                        Some(p) => {
                            flush(&mut lit, &mut w);
                            w.push(p);
                        }
                        None => lit.push(b'$'),
                    }
                    continue;
                }
                b'`' => {
                    self.pos += 1;
                    let n = self.read_backquote(true)?;
                    flush(&mut lit, &mut w);
                    w.push(Part::Cmd(n));
                    continue;
                }
                _ => {}
            }
            self.bump();
            lit.push(c);
        }
        flush(&mut lit, &mut w);
        Ok(w)
    }

    /// `$(...)` after the `$(`: parsed in place, through the closing parenthesis.
    fn read_subst(&mut self) -> Result<Rc<super::ast::Node>, SyntaxError> {
        self.enter()?;
        let saved = self.take_peeked();
        let r = self.compound_list(true);
        let r = r.and_then(|n| match self.tok()? {
            Tok::Op(")") => Ok(n),
            t => Err(self.unexpected(&t)),
        });
        self.restore_peeked(saved);
        self.depth -= 1;
        Ok(Rc::new(r?))
    }

    /// `` `...` `` after the opening backquote: the text with its backslashes undone, parsed.
    fn read_backquote(&mut self, in_dq: bool) -> Result<Rc<super::ast::Node>, SyntaxError> {
        let line = self.line;
        let mut s = Vec::new();
        loop {
            match self.bump() {
                None => return self.err("unterminated `...`"),
                Some(b'`') => break,
                Some(b'\\') => match self.peek() {
                    Some(c @ (b'$' | b'`' | b'\\')) => {
                        self.pos += 1;
                        s.push(c);
                    }
                    Some(b'"') if in_dq => {
                        self.pos += 1;
                        s.push(b'"');
                    }
                    Some(b'\n') => {
                        self.bump();
                    }
                    _ => s.push(b'\\'),
                },
                Some(c) => s.push(c),
            }
        }
        let mut p = Parser::new(s);
        p.line = line;
        p.depth = self.depth + 1;
        if p.depth > super::parser::max_depth() {
            return self.err("nested too deeply");
        }
        Ok(Rc::new(p.parse_program()?))
    }

    /// Reads the bodies of the here-documents whose operators were on the line just ended.
    fn read_heredocs(&mut self) -> Result<(), SyntaxError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let pending = core::mem::take(&mut self.pending);
        for h in pending {
            let line = self.line;
            let mut body = Vec::new();
            loop {
                let mut l = Vec::new();
                let mut at_eof = false;
                loop {
                    // Take the rest of the buffered line at once.
                    if self.pos >= self.src.len() && !self.fill() {
                        at_eof = true;
                        break;
                    }
                    let rest = &self.src[self.pos..];
                    match memchr::memchr(b'\n', rest) {
                        Some(i) => {
                            l.extend_from_slice(&rest[..i]);
                            self.pos += i + 1;
                            self.line += 1;
                            break;
                        }
                        None => {
                            l.extend_from_slice(rest);
                            self.pos = self.src.len();
                        }
                    }
                }
                let mut s: &[u8] = &l;
                if h.strip {
                    while let [b'\t', rest @ ..] = s {
                        s = rest;
                    }
                }
                if s == h.delim.as_slice() || (at_eof && s.is_empty()) {
                    break;
                }
                body.extend_from_slice(s);
                body.push(b'\n');
                if at_eof {
                    break;
                }
            }
            let word = if h.expand {
                let mut p = Parser::new(body);
                p.line = line;
                p.depth = self.depth;
                p.heredoc_parts()?
            } else {
                vec![Part::Quoted(body)]
            };
            let _ = h.cell.set(HereDoc { body: word });
        }
        Ok(())
    }

    /// The parts of an expanding here-document body (the whole buffer).
    pub fn heredoc_parts(&mut self) -> Result<Word, SyntaxError> {
        let mut w: Word = Vec::new();
        let mut lit = Vec::new();
        while let Some(c) = self.peek() {
            match c {
                b'\\' => {
                    self.pos += 1;
                    self.dq_backslash(&mut lit, false);
                }
                b'$' | b'`' => self.push_part(c, true, &mut lit, &mut w)?,
                _ => {
                    // Copy a run of plain bytes at once (large bodies).
                    let rest = &self.src[self.pos..];
                    let n = rest.iter().position(|&b| matches!(b, b'\\' | b'$' | b'`')).unwrap_or(rest.len());
                    lit.extend_from_slice(&rest[..n]);
                    self.line += rest[..n].iter().filter(|&&b| b == b'\n').count() as u32;
                    self.pos += n;
                }
            }
        }
        flush(&mut lit, &mut w);
        Ok(w)
    }
}

/// The delimiter of a here-document as written, and whether any of it was quoted.
pub fn heredoc_delim(w: &Word) -> (Vec<u8>, bool) {
    let mut d = Vec::new();
    let mut quoted = false;
    fn flat(parts: &[Part], d: &mut Vec<u8>, quoted: &mut bool) {
        for p in parts {
            match p {
                Part::Lit(s) => d.extend_from_slice(s),
                Part::Quoted(s) => {
                    *quoted = true;
                    d.extend_from_slice(s);
                }
                Part::Dq(inner) => {
                    *quoted = true;
                    flat(inner, d, quoted);
                }
                Part::Param(p) => {
                    d.push(b'$');
                    d.extend_from_slice(&p.name);
                }
                Part::Tilde(n) => {
                    d.push(b'~');
                    d.extend_from_slice(n);
                }
                Part::Cmd(_) | Part::Arith(_) => d.push(b'$'),
            }
        }
    }
    flat(w, &mut d, &mut quoted);
    (d, quoted)
}
