//! The shell's parser: POSIX XCU 2.10 Shell Grammar by recursive descent, plus the `[[ ]]`,
//! `function` and `;&` extensions. It returns one complete command (a line's list) at a time
//! so that scripts run while they are read; nesting deeper than [`MAX_DEPTH`] is an error,
//! never a stack overflow.
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::vec;
use alloc::vec::Vec;
use core::cell::{OnceCell, RefCell};

use super::ast::*;
use super::lexer::{heredoc_delim, is_name};

/// How deeply commands and substitutions may nest: at most 1000, less on a small stack
/// (a level of parsing takes up to about 2 KB of it).
pub fn max_depth() -> u32 {
    (stack_size() / 8192).clamp(32, 1000) as u32
}

/// The stack size limit (8 MB when unlimited or unknown), read once.
pub fn stack_size() -> usize {
    use core::sync::atomic::{AtomicUsize, Ordering};
    static SIZE: AtomicUsize = AtomicUsize::new(0);
    let v = SIZE.load(Ordering::Relaxed);
    if v != 0 {
        return v;
    }
    let lim = rustix::process::getrlimit(rustix::process::Resource::Stack).current;
    let v = lim.map_or(8 << 20, |l| l.min(64 << 20) as usize).max(64 << 10);
    SIZE.store(v, Ordering::Relaxed);
    v
}

/// A syntax error: where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub line: u32,
    pub msg: Vec<u8>,
}

/// A token.
#[derive(Debug, Clone)]
pub enum Tok {
    Word(Word),
    /// A redirection's descriptor number (`2>`).
    Io(i32),
    Op(&'static str),
    Newline,
    Eof,
}

pub(super) struct Pending {
    pub cell: Rc<OnceCell<HereDoc>>,
    pub delim: Vec<u8>,
    pub strip: bool,
    pub expand: bool,
}

/// Where more input comes from: appends bytes to the buffer, false at the end.
pub type More<'a> = &'a mut dyn FnMut(&mut Vec<u8>) -> bool;

pub struct Parser<'a> {
    pub(super) src: Vec<u8>,
    pub(super) pos: usize,
    pub line: u32,
    more: Option<More<'a>>,
    eof: bool,
    pub(super) pending: Vec<Pending>,
    pub(super) depth: u32,
    peeked: Option<(Tok, u32)>,
    pub(super) tok_line: u32,
    aliases: Option<Aliases>,
    /// Where the command being parsed started (for `set -v`).
    mark: usize,
    /// Aliases being expanded and where their text ends (no recursion inside).
    alias_active: Vec<(Vec<u8>, usize)>,
    /// A blank line is an empty command (interactive: the next prompt is PS1 again).
    pub blank_is_command: bool,
}

/// The shell's alias table, shared with its parsers.
pub type Aliases = Rc<RefCell<super::vars::Map<Vec<u8>>>>;

const RESERVED: &[&str] = &[
    "!", "[[", "]]", "case", "do", "done", "elif", "else", "esac", "fi", "for", "function", "if", "in",
    "then", "until", "while", "{", "}",
];

/// The text of a word that is one unquoted literal.
pub fn lit(w: &Word) -> Option<&[u8]> {
    match w.as_slice() {
        [Part::Lit(s)] => Some(s),
        _ => None,
    }
}

fn seq(mut items: Vec<Node>) -> Node {
    if items.len() == 1 {
        items.pop().unwrap_or_else(Node::empty)
    } else {
        Node::Seq(items)
    }
}

impl<'a> Parser<'a> {
    /// A parser over a complete text.
    pub fn new(src: Vec<u8>) -> Parser<'a> {
        Parser {
            src,
            pos: 0,
            line: 1,
            more: None,
            eof: false,
            pending: Vec::new(),
            depth: 0,
            peeked: None,
            tok_line: 1,
            aliases: None,
            blank_is_command: false,
            alias_active: Vec::new(),
            mark: 0,
        }
    }

    /// Expands aliases from `a` in command position.
    pub fn set_aliases(&mut self, a: Aliases) {
        self.aliases = Some(a);
    }

    /// After a syntax error at a prompt: forgets the rest of the line and any state.
    pub fn recover(&mut self) {
        self.peeked = None;
        self.pending.clear();
        self.depth = 0;
        self.alias_active.clear();
        if self.src.get(self.pos.wrapping_sub(1)) == Some(&b'\n') {
            return;
        }
        match memchr::memchr(b'\n', self.src.get(self.pos..).unwrap_or(b"")) {
            Some(i) => {
                self.pos += i + 1;
                self.line += 1;
            }
            None => self.pos = self.src.len(),
        }
    }

    /// The input text of the command last parsed (for `set -v`).
    pub fn last_text(&self) -> &[u8] {
        self.src.get(self.mark..self.pos).unwrap_or(b"")
    }

    /// Drops what was read ahead but not parsed; returns how many bytes that was.
    pub fn unread(&mut self) -> usize {
        if self.peeked.is_some() {
            return 0;
        }
        let n = self.src.len() - self.pos;
        self.src.truncate(self.pos);
        self.eof = false;
        n
    }

    /// If the next token is an alias in command position, replaces it by its text.
    fn expand_alias(&mut self) -> Result<(), SyntaxError> {
        let Some(map) = self.aliases.clone() else { return Ok(()) };
        for _ in 0..100 {
            if map.borrow().is_empty() {
                return Ok(());
            }
            let value = match self.peek_tok()? {
                Tok::Word(w) => match lit(w) {
                    Some(name) => match map.borrow().get(name) {
                        Some(v) => (name.to_vec(), v.clone()),
                        None => return Ok(()),
                    },
                    None => return Ok(()),
                },
                _ => return Ok(()),
            };
            let pos = self.pos;
            self.alias_active.retain(|(_, end)| *end >= pos);
            if self.alias_active.iter().any(|(n, _)| *n == value.0) {
                return Ok(());
            }
            self.peeked = None;
            let len = value.1.len() + 1;
            for a in &mut self.alias_active {
                a.1 += len;
            }
            let mut text = value.1;
            text.push(b' ');
            self.src.splice(pos..pos, text);
            self.alias_active.push((value.0, pos + len));
        }
        Ok(())
    }

    /// A parser that reads its input through `more` as it needs it.
    pub fn with_input(more: More<'a>) -> Parser<'a> {
        let mut p = Parser::new(Vec::new());
        p.more = Some(more);
        p
    }

    /// Asks for more input; false at its end.
    pub(super) fn fill(&mut self) -> bool {
        if self.eof {
            return false;
        }
        let n = self.src.len();
        let got = match self.more.as_mut() {
            Some(f) => f(&mut self.src) && self.src.len() > n,
            None => false,
        };
        if !got {
            self.eof = true;
        }
        got
    }

    pub(super) fn enter(&mut self) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > max_depth() {
            self.depth -= 1;
            return Err(SyntaxError { line: self.line, msg: b"nested too deeply".to_vec() });
        }
        Ok(())
    }

    pub(super) fn take_peeked(&mut self) -> Option<(Tok, u32)> {
        self.peeked.take()
    }

    pub(super) fn restore_peeked(&mut self, p: Option<(Tok, u32)>) {
        if p.is_some() {
            self.peeked = p;
        }
    }

    #[inline(never)]
    pub(super) fn tok(&mut self) -> Result<Tok, SyntaxError> {
        match self.peeked.take() {
            Some((t, _)) => Ok(t),
            None => self.lex(),
        }
    }

    #[inline(never)]
    fn peek_tok(&mut self) -> Result<&Tok, SyntaxError> {
        if self.peeked.is_none() {
            let t = self.lex()?;
            self.peeked = Some((t, self.tok_line));
        }
        match &self.peeked {
            Some((t, _)) => Ok(t),
            None => Ok(&Tok::Eof),
        }
    }

    #[inline(never)]
    fn peek_line(&mut self) -> Result<u32, SyntaxError> {
        self.peek_tok()?;
        Ok(self.peeked.as_ref().map_or(self.line, |p| p.1))
    }

    #[inline(never)]
    fn peek_op(&mut self) -> Result<Option<&'static str>, SyntaxError> {
        Ok(match self.peek_tok()? {
            Tok::Op(o) => Some(o),
            _ => None,
        })
    }

    /// The reserved word the next token is, if it is one.
    #[inline(never)]
    fn peek_kw(&mut self) -> Result<Option<&'static str>, SyntaxError> {
        Ok(match self.peek_tok()? {
            Tok::Word(w) => lit(w).and_then(|s| RESERVED.iter().copied().find(|k| k.as_bytes() == s)),
            _ => None,
        })
    }

    #[inline(never)]
    pub(super) fn unexpected(&self, t: &Tok) -> SyntaxError {
        let mut msg = b"unexpected ".to_vec();
        match t {
            Tok::Word(w) => {
                msg.push(b'"');
                msg.extend_from_slice(&heredoc_delim(w).0);
                msg.push(b'"');
            }
            Tok::Io(n) => {
                let mut b = [0u8; 20];
                msg.extend_from_slice(crate::common::out::fmt_u64(*n as u64, &mut b));
            }
            Tok::Op(o) => {
                msg.push(b'"');
                msg.extend_from_slice(o.as_bytes());
                msg.push(b'"');
            }
            Tok::Newline => msg.extend_from_slice(b"newline"),
            Tok::Eof => msg.extend_from_slice(b"end of file"),
        }
        SyntaxError { line: self.tok_line, msg }
    }

    #[inline(never)]
    fn fail<T>(&mut self) -> Result<T, SyntaxError> {
        let t = self.tok()?;
        Err(self.unexpected(&t))
    }

    #[inline(never)]
    fn expect_kw(&mut self, kw: &str) -> Result<(), SyntaxError> {
        if self.peek_kw()? == Some(kw) {
            self.tok()?;
            Ok(())
        } else {
            self.fail()
        }
    }

    #[inline(never)]
    fn expect_op(&mut self, op: &str) -> Result<(), SyntaxError> {
        if self.peek_op()? == Some(op) {
            self.tok()?;
            Ok(())
        } else {
            self.fail()
        }
    }

    #[inline(never)]
    fn linebreak(&mut self) -> Result<(), SyntaxError> {
        while let Tok::Newline = self.peek_tok()? {
            self.tok()?;
        }
        Ok(())
    }

    /// The next complete command (a line's list), or `None` at the end of the input.
    pub fn next_command(&mut self) -> Result<Option<Node>, SyntaxError> {
        if self.peeked.is_none() && (self.pos >= 16384 || self.pos == self.src.len()) {
            self.src.drain(..self.pos);
            self.pos = 0;
        }
        self.mark = self.pos;
        loop {
            match self.peek_tok()? {
                Tok::Newline => {
                    self.tok()?;
                    if self.blank_is_command {
                        return Ok(Some(Node::empty()));
                    }
                }
                Tok::Eof => return Ok(None),
                _ => break,
            }
        }
        let mut items = Vec::new();
        loop {
            let n = self.and_or()?;
            match self.peek_tok()? {
                Tok::Op(";") => items.push(n),
                Tok::Op("&") => items.push(Node::Async(Box::new(n))),
                Tok::Newline => {
                    self.tok()?;
                    items.push(n);
                    break;
                }
                Tok::Eof => {
                    items.push(n);
                    break;
                }
                _ => return self.fail(),
            }
            self.tok()?;
            match self.peek_tok()? {
                Tok::Newline => {
                    self.tok()?;
                    break;
                }
                Tok::Eof => break,
                _ => {}
            }
        }
        Ok(Some(seq(items)))
    }

    /// The whole input as one word (for `$ENV`), if it lexes as one.
    pub fn parse_word_text(&mut self) -> Option<Word> {
        match self.lex() {
            Ok(Tok::Word(w)) => Some(w),
            _ => None,
        }
    }

    /// The whole input as one sequence.
    pub fn parse_program(&mut self) -> Result<Node, SyntaxError> {
        let mut items = Vec::new();
        while let Some(n) = self.next_command()? {
            items.push(n);
        }
        Ok(seq(items))
    }

    fn at_list_end(&mut self) -> Result<bool, SyntaxError> {
        if let Some(k) = self.peek_kw()? {
            return Ok(matches!(k, "then" | "else" | "elif" | "fi" | "do" | "done" | "esac" | "}"));
        }
        Ok(matches!(self.peek_tok()?, Tok::Eof | Tok::Op(")" | ";;" | ";&")))
    }

    pub(super) fn compound_list(&mut self, allow_empty: bool) -> Result<Node, SyntaxError> {
        let mut items = Vec::new();
        loop {
            self.linebreak()?;
            if self.at_list_end()? {
                break;
            }
            let n = self.and_or()?;
            match self.peek_tok()? {
                Tok::Op(";") | Tok::Newline => items.push(n),
                Tok::Op("&") => items.push(Node::Async(Box::new(n))),
                _ => {
                    items.push(n);
                    break;
                }
            }
            self.tok()?;
        }
        if items.is_empty() && !allow_empty {
            return self.fail();
        }
        Ok(seq(items))
    }

    fn and_or(&mut self) -> Result<Node, SyntaxError> {
        let mut left = self.pipeline()?;
        loop {
            let op = self.peek_op()?;
            if !matches!(op, Some("&&" | "||")) {
                return Ok(left);
            }
            self.tok()?;
            self.linebreak()?;
            let right = self.pipeline()?;
            left = if op == Some("&&") {
                Node::And(Box::new(left), Box::new(right))
            } else {
                Node::Or(Box::new(left), Box::new(right))
            };
        }
    }

    fn pipeline(&mut self) -> Result<Node, SyntaxError> {
        let mut bang = false;
        while self.peek_kw()? == Some("!") {
            self.tok()?;
            bang = !bang;
        }
        let mut cmds = vec![self.command()?];
        while self.peek_op()? == Some("|") {
            self.tok()?;
            self.linebreak()?;
            cmds.push(self.command()?);
        }
        if cmds.len() == 1 && !bang {
            return Ok(cmds.pop().unwrap_or_else(Node::empty));
        }
        Ok(Node::Pipe(bang, cmds))
    }

    fn command(&mut self) -> Result<Node, SyntaxError> {
        self.enter()?;
        let r = self.command_inner();
        self.depth -= 1;
        r
    }

    fn command_inner(&mut self) -> Result<Node, SyntaxError> {
        self.expand_alias()?;
        let node = match (self.peek_kw()?, self.peek_op()?) {
            (_, Some("(")) => {
                self.tok()?;
                let l = self.compound_list(false)?;
                self.expect_op(")")?;
                Node::Subshell(Box::new(l))
            }
            (Some("{"), _) => {
                self.tok()?;
                let l = self.compound_list(false)?;
                self.expect_kw("}")?;
                Node::Group(Box::new(l))
            }
            (Some("if"), _) => self.if_clause()?,
            (Some(k @ ("while" | "until")), _) => {
                self.tok()?;
                let cond = self.compound_list(false)?;
                self.expect_kw("do")?;
                let body = self.compound_list(false)?;
                self.expect_kw("done")?;
                Node::Loop(k == "until", Box::new(cond), Box::new(body))
            }
            (Some("for"), _) => self.for_clause()?,
            (Some("case"), _) => self.case_clause()?,
            (Some("[["), _) => {
                let line = self.peek_line()?;
                self.tok()?;
                let c = self.cond_or()?;
                self.expect_kw("]]")?;
                Node::Test(Box::new(c), line)
            }
            (Some("function"), _) => {
                self.tok()?;
                let name = match self.tok()? {
                    Tok::Word(w) if lit(&w).is_some_and(is_name) => lit(&w).unwrap_or_default().to_vec(),
                    t => return Err(self.unexpected(&t)),
                };
                if self.peek_op()? == Some("(") {
                    self.tok()?;
                    self.expect_op(")")?;
                }
                self.linebreak()?;
                let body = self.command()?;
                return Ok(Node::Func(name, Rc::new(body)));
            }
            (Some("!" | "]]" | "in"), _) | (None, _) => return self.simple(),
            (Some(_), _) => return self.fail(),
        };
        let mut redirs = Vec::new();
        while let Some(r) = self.try_redir()? {
            redirs.push(r);
        }
        Ok(if redirs.is_empty() { node } else { Node::Redirected(Box::new(node), redirs) })
    }

    fn if_clause(&mut self) -> Result<Node, SyntaxError> {
        self.tok()?;
        let mut arms = Vec::new();
        let mut otherwise = None;
        loop {
            let c = self.compound_list(false)?;
            self.expect_kw("then")?;
            let b = self.compound_list(false)?;
            arms.push((c, b));
            match self.peek_kw()? {
                Some("elif") => {
                    self.tok()?;
                }
                Some("else") => {
                    self.tok()?;
                    otherwise = Some(Box::new(self.compound_list(false)?));
                    self.expect_kw("fi")?;
                    break;
                }
                Some("fi") => {
                    self.tok()?;
                    break;
                }
                _ => return self.fail(),
            }
        }
        Ok(Node::If(arms, otherwise))
    }

    fn for_clause(&mut self) -> Result<Node, SyntaxError> {
        self.tok()?;
        let name = match self.tok()? {
            Tok::Word(w) if lit(&w).is_some_and(is_name) => lit(&w).unwrap_or_default().to_vec(),
            t => return Err(self.unexpected(&t)),
        };
        self.linebreak()?;
        let mut words = None;
        if self.peek_kw()? == Some("in") {
            self.tok()?;
            let mut ws = Vec::new();
            loop {
                match self.tok()? {
                    Tok::Word(w) => ws.push(w),
                    Tok::Op(";") | Tok::Newline => break,
                    t => return Err(self.unexpected(&t)),
                }
            }
            words = Some(ws);
        } else if self.peek_op()? == Some(";") {
            self.tok()?;
        }
        self.linebreak()?;
        self.expect_kw("do")?;
        let body = self.compound_list(false)?;
        self.expect_kw("done")?;
        Ok(Node::For(name, words, Box::new(body)))
    }

    fn case_clause(&mut self) -> Result<Node, SyntaxError> {
        self.tok()?;
        let word = match self.tok()? {
            Tok::Word(w) => w,
            t => return Err(self.unexpected(&t)),
        };
        self.linebreak()?;
        self.expect_kw("in")?;
        let mut items = Vec::new();
        loop {
            self.linebreak()?;
            if self.peek_kw()? == Some("esac") {
                self.tok()?;
                break;
            }
            if self.peek_op()? == Some("(") {
                self.tok()?;
            }
            let mut patterns = Vec::new();
            loop {
                match self.tok()? {
                    Tok::Word(w) => patterns.push(w),
                    t => return Err(self.unexpected(&t)),
                }
                match self.tok()? {
                    Tok::Op("|") => {}
                    Tok::Op(")") => break,
                    t => return Err(self.unexpected(&t)),
                }
            }
            let body = self.compound_list(true)?;
            let body = match &body {
                Node::Seq(v) if v.is_empty() => None,
                _ => Some(body),
            };
            let mut fall = false;
            match (self.peek_op()?, self.peek_kw()?) {
                (Some(";;"), _) => {
                    self.tok()?;
                }
                (Some(";&"), _) => {
                    self.tok()?;
                    fall = true;
                }
                (_, Some("esac")) => {}
                _ => return self.fail(),
            }
            items.push(CaseItem { patterns, body, fall });
        }
        Ok(Node::Case(word, items))
    }

    fn cond_or(&mut self) -> Result<Cond, SyntaxError> {
        let mut l = self.cond_and()?;
        while self.peek_op()? == Some("||") {
            self.tok()?;
            let r = self.cond_and()?;
            l = Cond::Or(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn cond_and(&mut self) -> Result<Cond, SyntaxError> {
        let mut l = self.cond_not()?;
        while self.peek_op()? == Some("&&") {
            self.tok()?;
            let r = self.cond_not()?;
            l = Cond::And(Box::new(l), Box::new(r));
        }
        Ok(l)
    }

    fn cond_not(&mut self) -> Result<Cond, SyntaxError> {
        self.enter()?;
        let r = self.cond_not_inner();
        self.depth -= 1;
        r
    }

    fn cond_not_inner(&mut self) -> Result<Cond, SyntaxError> {
        if self.peek_kw()? == Some("!") {
            self.tok()?;
            return Ok(Cond::Not(Box::new(self.cond_not()?)));
        }
        if self.peek_op()? == Some("(") {
            self.tok()?;
            let c = self.cond_or()?;
            self.expect_op(")")?;
            return Ok(c);
        }
        if self.peek_kw()? == Some("]]") {
            return self.fail();
        }
        let w = match self.tok()? {
            Tok::Word(w) => w,
            t => return Err(self.unexpected(&t)),
        };
        let l = lit(&w).map(|s| s.to_vec());
        if let Some(op) = &l {
            if op.len() == 2 && op[0] == b'-' && b"nzfdeLhrwxsbcpSgukOGNta".contains(&op[1]) {
                if let Tok::Word(_) = self.peek_tok()? {
                    if self.peek_kw()? != Some("]]") {
                        if let Tok::Word(arg) = self.tok()? {
                            return Ok(Cond::Unary(op.clone(), arg));
                        }
                    }
                }
            }
        }
        let op: Vec<u8> = match self.peek_tok()? {
            Tok::Op(o @ ("<" | ">")) => o.as_bytes().to_vec(),
            Tok::Word(x) => match lit(x) {
                Some(
                    s @ (b"==" | b"=" | b"!=" | b"-eq" | b"-ne" | b"-lt" | b"-le" | b"-gt" | b"-ge" | b"-nt"
                    | b"-ot" | b"-ef"),
                ) => s.to_vec(),
                _ => return Ok(Cond::Word(w)),
            },
            _ => return Ok(Cond::Word(w)),
        };
        self.tok()?;
        let r = match self.tok()? {
            Tok::Word(r) => r,
            t => return Err(self.unexpected(&t)),
        };
        Ok(Cond::Binary(w, op, r))
    }

    fn simple(&mut self) -> Result<Node, SyntaxError> {
        let line = self.peek_line()?;
        let mut s = Simple { assigns: Vec::new(), words: Vec::new(), redirs: Vec::new(), line };
        loop {
            if let Some(r) = self.try_redir()? {
                s.redirs.push(r);
                continue;
            }
            if !matches!(self.peek_tok()?, Tok::Word(_)) {
                break;
            }
            let Tok::Word(w) = self.tok()? else { break };
            if s.words.is_empty() {
                if let Some(a) = split_assign(&w) {
                    s.assigns.push(a);
                    continue;
                }
                if s.assigns.is_empty() && s.redirs.is_empty() && self.peek_op()? == Some("(") {
                    let Some(name) = lit(&w).filter(|n| !n.is_empty() && !n.contains(&b'=')) else {
                        return self.fail();
                    };
                    let name = name.to_vec();
                    self.tok()?;
                    self.expect_op(")")?;
                    self.linebreak()?;
                    let body = self.command()?;
                    return Ok(Node::Func(name, Rc::new(body)));
                }
            }
            s.words.push(w);
        }
        if s.words.is_empty() && s.assigns.is_empty() && s.redirs.is_empty() {
            return self.fail();
        }
        Ok(Node::Simple(s))
    }

    fn try_redir(&mut self) -> Result<Option<Redir>, SyntaxError> {
        let fd = match self.peek_tok()? {
            Tok::Io(n) => {
                let n = *n;
                self.tok()?;
                Some(n)
            }
            Tok::Op("<" | ">" | ">|" | ">>" | "<>" | "<&" | ">&" | "<<" | "<<-") => None,
            _ => return Ok(None),
        };
        let op = match self.tok()? {
            Tok::Op(o) => o,
            t => return Err(self.unexpected(&t)),
        };
        let (kind, dfd) = match op {
            "<" => (RedirKind::In, 0),
            ">" => (RedirKind::Out, 1),
            ">|" => (RedirKind::Clobber, 1),
            ">>" => (RedirKind::Append, 1),
            "<>" => (RedirKind::ReadWrite, 0),
            "<&" => (RedirKind::DupIn, 0),
            ">&" => (RedirKind::DupOut, 1),
            "<<" | "<<-" => (RedirKind::Here, 0),
            _ => {
                let t = Tok::Op(op);
                return Err(self.unexpected(&t));
            }
        };
        let target = match self.tok()? {
            Tok::Word(w) => w,
            t => return Err(self.unexpected(&t)),
        };
        let mut here = None;
        if kind == RedirKind::Here {
            let (delim, quoted) = heredoc_delim(&target);
            let cell = Rc::new(OnceCell::new());
            self.pending.push(Pending { cell: cell.clone(), delim, strip: op == "<<-", expand: !quoted });
            here = Some(cell);
        }
        Ok(Some(Redir { fd: fd.unwrap_or(dfd), kind, target, here }))
    }
}

/// `NAME=value` as an assignment: the name and the value's parts.
fn split_assign(w: &Word) -> Option<(Vec<u8>, Word)> {
    let Some(Part::Lit(first)) = w.first() else { return None };
    let eq = first.iter().position(|&c| c == b'=')?;
    if !is_name(&first[..eq]) {
        return None;
    }
    let mut value = Vec::new();
    if eq + 1 < first.len() {
        value.push(Part::Lit(first[eq + 1..].to_vec()));
    }
    value.extend(w[1..].iter().cloned());
    Some((first[..eq].to_vec(), value))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Node, SyntaxError> {
        Parser::new(s.as_bytes().to_vec()).parse_program()
    }

    fn ok(s: &str) -> Node {
        match parse(s) {
            Ok(n) => n,
            Err(e) => panic!("{s:?}: {}", String::from_utf8_lossy(&e.msg)),
        }
    }

    fn err(s: &str) -> String {
        match parse(s) {
            Ok(n) => panic!("{s:?} parsed: {n:?}"),
            Err(e) => String::from_utf8_lossy(&e.msg).into_owned(),
        }
    }

    #[test]
    fn parses_the_compound_commands() {
        ok("if a; then b; elif c; then d; else e; fi");
        ok("while a; do b; done; until a; do b; done");
        ok("for i in a b c; do echo $i; done\nfor i; do :; done\nfor i do :; done");
        ok("case $x in a|b) echo ab;; (c) ;; *) echo other; esac");
        ok("case x in esac");
        ok("f() { echo hi; } >/dev/null\nfunction g { :; }");
        ok("( a | b ) && { c || d; } &\n! e");
        ok("[[ -n $x && ( $y == a* || ! -z $z ) ]]");
    }

    #[test]
    fn parses_redirections_and_heredocs() {
        let n = ok("cat <<EOF >out 2>&1\nhello $x\nEOF\necho done");
        let Node::Seq(v) = n else { panic!() };
        let Node::Simple(s) = &v[0] else { panic!() };
        assert_eq!(s.redirs.len(), 3);
        let body = &s.redirs[0].here.as_ref().unwrap().get().unwrap().body;
        assert!(matches!(&body[0], Part::Lit(l) if l == b"hello "));
        ok("cat <<-'E'\n\tliteral $x\n\tE\n");
        ok("exec 3<>f 4<&0 5>&- >|g >>h");
    }

    #[test]
    fn dollar_single_quotes_take_unicode_escapes_as_utf8() {
        let Node::Simple(s) = ok("echo $'\\u00e9\\U0001F600\\u41z\\uq'") else { panic!() };
        let lit: Vec<u8> = s.words[1]
            .iter()
            .flat_map(|p| match p {
                Part::Lit(l) | Part::Quoted(l) => l.clone(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(lit, "é😀Az\\uq".as_bytes());
    }

    #[test]
    fn parses_words() {
        ok("echo 'a' \"b $c ${d:-e} $(f \"g\") `h`\" $'\\n' $((1+2*3)) ${#x} ${x%%.*} ${x//a/b} ${x:1:2}");
        ok("echo $(case a in a) echo x;; esac)");
        ok("x=1 y=$(echo 2) cmd");
    }

    #[test]
    fn reports_syntax_errors() {
        assert_eq!(err("if then fi"), "unexpected \"then\"");
        assert_eq!(err("echo a ("), "unexpected \"(\"");
        assert_eq!(err("fi"), "unexpected \"fi\"");
        assert_eq!(err("while true"), "unexpected end of file");
        assert_eq!(err("echo 'abc"), "unterminated quoted string");
        assert_eq!(err("a &&"), "unexpected end of file");
        assert_eq!(err("echo ${x"), "bad substitution");
        assert_eq!(err(";"), "unexpected \";\"");
    }

    /// Runs `f` on a thread with a stack like the real program's main thread (8 MB).
    pub fn big_stack(f: impl FnOnce() + Send + 'static) {
        std::thread::Builder::new().stack_size(64 << 20).spawn(f).unwrap().join().unwrap();
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        big_stack(deep_nesting);
    }

    fn deep_nesting() {
        let s = "(".repeat(10000);
        assert_eq!(err(&s), "nested too deeply");
        let s = "$(".repeat(10000);
        assert!(parse(&format!("echo {s}")).is_err());
        let s = "${x:-".repeat(10000);
        assert!(parse(&format!("echo {s}")).is_err());
        let s = "`".repeat(1001);
        let _ = parse(&s);
        let ok_depth = format!("{}{}", "(".repeat(50), ")".repeat(50));
        assert!(parse(&ok_depth).is_err()); // empty subshell
        let s = format!("{}:{}", "(".repeat(50), ")".repeat(50));
        ok(&s);
    }
}
