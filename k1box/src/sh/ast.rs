//! The shell's syntax tree (POSIX XCU 2.9, Shell Commands), as the parser builds it and the
//! executor walks it. Bodies of functions are shared (`Rc`) so that defining or calling one
//! never copies or re-parses it.
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::cell::OnceCell;

/// A word: the pieces it was written as, before expansion.
pub type Word = Vec<Part>;

/// One piece of a word.
#[derive(Debug, Clone)]
pub enum Part {
    /// Unquoted text (subject to field splitting only where it came from an expansion, and to
    /// pathname expansion).
    Lit(Vec<u8>),
    /// Quoted text: '...', $'...', or a backslash-escaped character.
    Quoted(Vec<u8>),
    /// "...": its parts are expanded without splitting or globbing.
    Dq(Vec<Part>),
    /// `$name`, `${...}`.
    Param(Box<Param>),
    /// `$(...)` or `` `...` ``.
    Cmd(Rc<Node>),
    /// `$((...))`: the expression text, itself expanded first.
    Arith(Word),
    /// `~` or `~user` at the start of a word (the user name, possibly empty).
    Tilde(Vec<u8>),
}

/// `${name OP word}`.
#[derive(Debug, Clone)]
pub struct Param {
    pub name: Vec<u8>,
    pub op: ParamOp,
    /// With `:` (`${x:-w}` tests for null as well as unset).
    pub colon: bool,
    pub word: Word,
    /// The second word of `${x/p/r}` and `${x:off:len}`.
    pub word2: Option<Word>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamOp {
    Plain,
    Length,
    Default,
    Assign,
    Error,
    Alt,
    TrimSuffix,
    TrimSuffixLong,
    TrimPrefix,
    TrimPrefixLong,
    Replace,
    ReplaceAll,
    ReplacePrefix,
    ReplaceSuffix,
    Substr,
}

/// A redirection kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedirKind {
    /// `<`
    In,
    /// `>`
    Out,
    /// `>|`
    Clobber,
    /// `>>`
    Append,
    /// `<>`
    ReadWrite,
    /// `<&`
    DupIn,
    /// `>&`
    DupOut,
    /// `<<` and `<<-` (the body is in `here`).
    Here,
}

/// A here-document body, filled in when the parser reaches the end of the line.
#[derive(Debug)]
pub struct HereDoc {
    /// Expanded (delimiter unquoted): parsed parts; else literal text in one `Quoted` part.
    pub body: Word,
}

#[derive(Debug, Clone)]
pub struct Redir {
    pub fd: i32,
    pub kind: RedirKind,
    pub target: Word,
    pub here: Option<Rc<OnceCell<HereDoc>>>,
}

/// A simple command.
#[derive(Debug, Clone)]
pub struct Simple {
    pub assigns: Vec<(Vec<u8>, Word)>,
    pub words: Vec<Word>,
    pub redirs: Vec<Redir>,
    pub line: u32,
}

/// One `case` item.
#[derive(Debug, Clone)]
pub struct CaseItem {
    pub patterns: Vec<Word>,
    pub body: Option<Node>,
    /// Ended with `;&` (fall through into the next item's body).
    pub fall: bool,
}

/// A `[[ ... ]]` expression.
#[derive(Debug, Clone)]
pub enum Cond {
    Unary(Vec<u8>, Word),
    Binary(Word, Vec<u8>, Word),
    Word(Word),
    Not(Box<Cond>),
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
}

/// A command of any kind.
#[derive(Debug, Clone)]
pub enum Node {
    Simple(Simple),
    /// A pipeline: `!` and its commands (two or more, or one with `!`).
    Pipe(bool, Vec<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    /// A sequence of commands (`a; b` or lines).
    Seq(Vec<Node>),
    /// `cmd &`.
    Async(Box<Node>),
    /// `( list )`.
    Subshell(Box<Node>),
    /// `{ list; }`.
    Group(Box<Node>),
    /// `if`: condition/body pairs (`elif`s) and an `else`.
    If(Vec<(Node, Node)>, Option<Box<Node>>),
    /// `while`/`until` (true for until).
    Loop(bool, Box<Node>, Box<Node>),
    /// `for name [in words]; do body; done` (no `in`: "$@").
    For(Vec<u8>, Option<Vec<Word>>, Box<Node>),
    Case(Word, Vec<CaseItem>),
    /// `name() body` (the body with its redirections).
    Func(Vec<u8>, Rc<Node>),
    /// A compound command with redirections.
    Redirected(Box<Node>, Vec<Redir>),
    /// `[[ ... ]]` and its line.
    Test(Box<Cond>, u32),
}

impl Node {
    /// An empty command list.
    pub fn empty() -> Node {
        Node::Seq(Vec::new())
    }
}
