//! Bounded property tests: random bytes and random token soups fed to the parser, and the
//! words it accepts fed to the expander, must neither panic nor hang.
use alloc::vec::Vec;

use super::ast::{Node, Part, Word};
use super::exec::Shell;
use super::parser::Parser;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const TOKENS: &[&str] = &[
    "if",
    "then",
    "elif",
    "else",
    "fi",
    "while",
    "until",
    "do",
    "done",
    "for",
    "in",
    "case",
    "esac",
    ";;",
    ";&",
    "(",
    ")",
    "{",
    "}",
    "!",
    "&&",
    "||",
    "|",
    ";",
    "&",
    "\n",
    "<",
    ">",
    ">>",
    "<<",
    "<<-",
    "<&",
    ">&",
    "<>",
    ">|",
    "2>",
    "EOF",
    "x",
    "y=1",
    "$x",
    "${",
    "${x:-",
    "${#",
    "}",
    "$(",
    "$((",
    "))",
    "`",
    "\"",
    "'",
    "$'",
    "\\",
    "~",
    "*",
    "?",
    "[",
    "]",
    "[[",
    "]]",
    "==",
    "-n",
    "f()",
    "function",
    "#",
    "$@",
    "\"$@\"",
    "$*",
    "${x#*}",
    "${x//a/b}",
    "${x:1:2}",
    "1+2",
    "x++",
    "0x",
    "((",
    "=",
    " ",
    "\t",
    "a",
    "\\\n",
];

fn has_cmd(w: &[Part]) -> bool {
    w.iter().any(|p| match p {
        Part::Cmd(_) => true,
        Part::Dq(inner) | Part::Arith(inner) => has_cmd(inner),
        Part::Param(p) => has_cmd(&p.word) || p.word2.as_deref().is_some_and(has_cmd),
        _ => false,
    })
}

fn words(n: &Node, out: &mut Vec<Word>) {
    match n {
        Node::Simple(s) => {
            out.extend(s.words.iter().filter(|w| !has_cmd(w)).cloned());
            out.extend(s.assigns.iter().map(|a| a.1.clone()).filter(|w| !has_cmd(w)));
        }
        Node::Seq(v) | Node::Pipe(_, v) => v.iter().for_each(|x| words(x, out)),
        Node::And(a, b) | Node::Or(a, b) | Node::Loop(_, a, b) => {
            words(a, out);
            words(b, out);
        }
        Node::Async(a) | Node::Subshell(a) | Node::Group(a) | Node::Redirected(a, _) => words(a, out),
        Node::If(arms, e) => {
            for (c, b) in arms {
                words(c, out);
                words(b, out);
            }
            if let Some(e) = e {
                words(e, out);
            }
        }
        Node::For(_, ws, b) => {
            out.extend(ws.iter().flatten().filter(|w| !has_cmd(w)).cloned());
            words(b, out);
        }
        Node::Case(w, items) => {
            if !has_cmd(w) {
                out.push(w.clone());
            }
            for it in items {
                out.extend(it.patterns.iter().filter(|w| !has_cmd(w)).cloned());
            }
        }
        Node::Func(_, b) => words(b, out),
        Node::Test(..) => {}
    }
}

fn exercise(input: Vec<u8>, sh: &mut Shell) {
    let mut p = Parser::new(input);
    let mut ws = Vec::new();
    // Parse command by command so that what precedes an error is exercised too.
    for _ in 0..1000 {
        match p.next_command() {
            Ok(Some(n)) => words(&n, &mut ws),
            _ => break,
        }
    }
    for w in ws.iter().take(50) {
        let _ = sh.expand_words(core::slice::from_ref(w));
        let _ = sh.expand_pattern(w);
        let _ = sh.expand_assign(w);
    }
}

fn fuzz_shell() -> Shell {
    let mut sh = Shell::new(b"sh".to_vec(), &[b"x=abc".to_vec()]);
    sh.opts.noglob = true;
    sh.opts.interactive = true;
    sh.params = alloc::vec![b"a b".to_vec(), Vec::new(), b"*".to_vec()];
    sh
}

#[test]
fn random_bytes_neither_panic_nor_hang() {
    super::parser::tests::big_stack(|| {
        let mut rng = Rng(0x1234_5678_9abc_def1);
        let mut sh = fuzz_shell();
        let alphabet = b"ab$(){}[]'\"`\\|&;<>~*?#=:-+%/!\n \t0123456789@";
        for round in 0..20000 {
            let len = rng.below(120);
            let s: Vec<u8> = (0..len)
                .map(|_| if round % 4 == 0 { rng.next() as u8 } else { alphabet[rng.below(alphabet.len())] })
                .collect();
            exercise(s, &mut sh);
        }
    });
}

#[test]
fn token_soups_neither_panic_nor_hang() {
    super::parser::tests::big_stack(|| {
        let mut rng = Rng(0xdead_beef_cafe_f00d);
        let mut sh = fuzz_shell();
        for _ in 0..4000 {
            let n = rng.below(40);
            let mut s = Vec::new();
            for _ in 0..n {
                s.extend_from_slice(TOKENS[rng.below(TOKENS.len())].as_bytes());
                if rng.below(3) > 0 {
                    s.push(b' ');
                }
            }
            exercise(s, &mut sh);
        }
    });
}

#[test]
fn random_arithmetic_and_patterns_terminate() {
    let mut rng = Rng(42);
    let mut sh = fuzz_shell();
    let alpha = b"0123456789+-*/%()<>=!&|^~?:, xy#";
    for _ in 0..5000 {
        let len = rng.below(40);
        let s: Vec<u8> = (0..len).map(|_| alpha[rng.below(alpha.len())]).collect();
        let _ = super::arith::eval(&s, &mut super::expand::tests::NoVars);
        let _ = sh.arith(&s);
    }
    let pat = b"*?[]!-ab\\:";
    for _ in 0..5000 {
        let p: Vec<u8> = (0..rng.below(20)).map(|_| pat[rng.below(pat.len())]).collect();
        let t: Vec<u8> = (0..rng.below(30)).map(|_| b"ab-]["[rng.below(5)]).collect();
        let _ = super::glob::matches(&p, &t);
    }
}
