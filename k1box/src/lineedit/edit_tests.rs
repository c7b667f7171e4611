//! Tests of the editing state machine, with a small terminal emulator that checks what the
//! output does to a screen.
use super::*;

/// Completes the word before the cursor (from the last space) against fixed words.
struct Words(Vec<&'static str>);

impl Completer for Words {
    fn complete(&mut self, line: &[u8], cursor: usize) -> (usize, Vec<Vec<u8>>) {
        let start = line[..cursor].iter().rposition(|&c| c == b' ').map_or(0, |i| i + 1);
        let w = &line[start..cursor];
        (
            start,
            self.0.iter().filter(|c| c.as_bytes().starts_with(w)).map(|c| c.as_bytes().to_vec()).collect(),
        )
    }
}

/// A screen that understands exactly what the editor may send.
struct Screen {
    rows: Vec<Vec<Vec<u8>>>,
    row: usize,
    col: usize,
    width: usize,
    esc: Option<Vec<u8>>,
}

impl Screen {
    fn new(width: usize) -> Screen {
        Screen { rows: vec![Vec::new()], row: 0, col: 0, width, esc: None }
    }

    fn put(&mut self, out: &[u8]) {
        for &c in out {
            if let Some(seq) = self.esc.as_mut() {
                seq.push(c);
                if seq.len() == 1 && c != b'[' {
                    panic!("unexpected ESC {:?}", c as char);
                }
                if seq.len() > 1 && (0x40..=0x7e).contains(&c) {
                    let seq = self.esc.take().unwrap();
                    let n: usize = std::str::from_utf8(&seq[1..seq.len() - 1]).unwrap().parse().unwrap_or(1);
                    match c {
                        b'K' => self.rows[self.row].truncate(self.col),
                        b'C' => self.col += n,
                        b'D' => self.col = self.col.checked_sub(n).expect("moved left of column 0"),
                        b'H' => (self.row, self.col) = (0, 0),
                        b'm' => {}
                        b'J' => self.rows = vec![Vec::new()],
                        _ => panic!("unexpected sequence {:?}", String::from_utf8_lossy(&seq)),
                    }
                }
                continue;
            }
            match c {
                0x1b => self.esc = Some(Vec::new()),
                b'\r' => self.col = 0,
                b'\n' => {
                    self.row += 1;
                    if self.rows.len() <= self.row {
                        self.rows.push(Vec::new());
                    }
                }
                7 => {}
                c if c < 0x20 || c == 0x7f => panic!("control byte {c:#x} sent"),
                c if c & 0xc0 == 0x80 => {
                    if let Some(cell) = self.rows[self.row].get_mut(self.col.wrapping_sub(1)) {
                        cell.push(c);
                    }
                }
                c => {
                    if self.col >= self.width {
                        self.col = 0;
                        self.row += 1;
                        if self.rows.len() <= self.row {
                            self.rows.push(Vec::new());
                        }
                    }
                    let r = &mut self.rows[self.row];
                    while r.len() <= self.col {
                        r.push(b" ".to_vec());
                    }
                    r[self.col] = vec![c];
                    self.col += 1;
                }
            }
        }
    }

    fn line(&self, i: usize) -> String {
        String::from_utf8_lossy(&self.rows[i].concat()).into_owned()
    }

    fn current(&self) -> String {
        self.line(self.row)
    }
}

struct T {
    hist: History,
    kill: Vec<u8>,
    words: Words,
}

fn t(hist: &[&str]) -> T {
    let mut h = History::new(100);
    for l in hist {
        h.add(l.as_bytes());
    }
    T { hist: h, kill: Vec::new(), words: Words(vec![]) }
}

/// What a run of keys did.
struct R {
    line: String,
    pos: usize,
    done: Option<Done>,
    screen: Screen,
    out: String,
}

impl T {
    fn keys(&mut self, prompt: &str, width: usize, keys: &[u8]) -> R {
        let mut ed = Editor::new(prompt.as_bytes(), width, &self.hist, &mut self.kill, &mut self.words);
        let mut screen = Screen::new(width);
        ed.start();
        let mut done = None;
        let mut out = Vec::new();
        for &c in keys {
            if let Some(d) = ed.feed(c) {
                done = Some(d);
                break;
            }
            ed.refresh();
            screen.put(&ed.out);
            out.append(&mut ed.out);
            if ed.search.is_none() && ed.asking.is_none() {
                check_screen(&ed, &screen);
            }
        }
        screen.put(&ed.out);
        out.append(&mut ed.out);
        R {
            line: String::from_utf8_lossy(&ed.buf).into_owned(),
            pos: ed.pos,
            done,
            screen,
            out: String::from_utf8_lossy(&out).into_owned(),
        }
    }
}

/// The screen row shows the prompt and the window of the line, the cursor where it belongs,
/// and the last column stays empty.
fn check_screen(ed: &Editor, s: &Screen) {
    let mut hidden = false;
    let tail: Vec<u8> = ed
        .tail
        .iter()
        .copied()
        .filter(|&c| {
            hidden = (hidden || c == 1) && c != 2;
            !hidden && c != 2
        })
        .collect();
    let avail = ed.width.saturating_sub(prompt_width(&ed.tail) + 1).max(1);
    let a = char_offset(&ed.buf, ed.scroll);
    let b = a + char_offset(&ed.buf[a..], avail);
    let view: Vec<u8> = ed.buf[a..b].iter().map(|&c| if c < 0x20 || c == 0x7f { b'?' } else { c }).collect();
    let want = String::from_utf8_lossy(&[&tail[..], &view[..]].concat()).into_owned();
    assert_eq!(s.current(), want, "screen row");
    let col = prompt_width(&ed.tail) + chars(&ed.buf[..ed.pos]) - ed.scroll;
    assert_eq!(s.col, col, "cursor column");
    assert!(s.rows[s.row].len() < ed.width.max(2) || ed.width < MIN_ROOM, "last column written");
}

fn line(keys: &[u8]) -> String {
    let r = t(&[]).keys("$ ", 80, keys);
    assert_eq!(r.done, None);
    r.line
}

#[test]
fn typing_and_enter_return_the_line() {
    let r = t(&[]).keys("$ ", 80, b"echo hi\r");
    assert_eq!(r.done, Some(Done::Line(b"echo hi".to_vec())));
    assert_eq!(r.screen.line(0), "$ echo hi");
    assert_eq!(r.screen.row, 1);
    assert_eq!(t(&[]).keys("$ ", 80, b"x\n").done, Some(Done::Line(b"x".to_vec())));
}

#[test]
fn typing_at_the_end_sends_only_the_characters() {
    let r = t(&[]).keys("$ ", 80, b"abc");
    assert_eq!(r.out, "\r$ \x1b[Kabc");
}

#[test]
fn arrows_move_and_insert_in_the_middle() {
    assert_eq!(line(b"ac\x1b[Db"), "abc");
    assert_eq!(line(b"ac\x1bODb"), "abc");
    assert_eq!(line(b"ac\x1b[D\x1b[D\x1b[Cb"), "abc");
    assert_eq!(line(b"ac\x1bOD\x1bOD\x1bOCb"), "abc");
    assert_eq!(line(b"ac\x02b\x06d"), "abcd");
}

#[test]
fn home_and_end_in_every_spelling() {
    for (home, end) in [
        (&b"\x1b[H"[..], &b"\x1b[F"[..]),
        (b"\x1b[1~", b"\x1b[4~"),
        (b"\x1b[7~", b"\x1b[8~"),
        (b"\x1bOH", b"\x1bOF"),
        (b"\x01", b"\x05"),
    ] {
        let keys = [&b"bc"[..], home, b"a", end, b"d"].concat();
        assert_eq!(line(&keys), "abcd", "{:?}", String::from_utf8_lossy(home));
    }
}

#[test]
fn delete_and_backspace() {
    assert_eq!(line(b"abc\x1b[D\x1b[D\x1b[3~"), "ac");
    assert_eq!(line(b"abc\x7f"), "ab");
    assert_eq!(line(b"abc\x08\x08"), "a");
    assert_eq!(line(b"\x7f\x1b[3~"), "");
    assert_eq!(line(b"abc\x01\x04"), "bc");
}

#[test]
fn ctrl_d_on_an_empty_line_is_eof() {
    assert_eq!(t(&[]).keys("$ ", 80, b"\x04").done, Some(Done::Eof));
    assert_eq!(t(&[]).keys("$ ", 80, b"a\x04").done, None);
}

#[test]
fn ctrl_c_abandons_the_line() {
    let r = t(&[]).keys("$ ", 80, b"abc\x01\x03");
    assert_eq!(r.done, Some(Done::Interrupt));
    assert!(r.out.ends_with("^C\r\n"), "{:?}", r.out);
    assert_eq!(r.screen.line(0), "$ abc^C");
}

#[test]
fn kills_and_yank() {
    assert_eq!(line(b"one two three\x17"), "one two ");
    assert_eq!(line(b"one two three\x17\x17\x19"), "one two ");
    assert_eq!(line(b"one two\x01\x06\x06\x06\x0b"), "one");
    assert_eq!(line(b"one two\x01\x06\x06\x06\x0b\x01\x19"), " twoone");
    assert_eq!(line(b"one two\x1b[D\x1b[D\x15"), "wo");
    assert_eq!(line(b"one two\x1b[D\x1b[D\x15\x05\x19"), "woone t");
    assert_eq!(line(b"a.b-c\x1b\x7f"), "a.b-");
    assert_eq!(line(b"one two\x01\x1bd"), " two");
}

#[test]
fn yank_keeps_the_kill_across_lines() {
    let mut tt = t(&[]);
    tt.keys("$ ", 80, b"secret\x01\x0b\r");
    assert_eq!(tt.keys("$ ", 80, b"\x19").line, "secret");
}

#[test]
fn word_moves() {
    assert_eq!(line(b"one two three\x1bbX"), "one two Xthree");
    assert_eq!(line(b"one two three\x1bb\x1bbX"), "one Xtwo three");
    assert_eq!(line(b"one two three\x01\x1bfX"), "oneX two three");
    assert_eq!(line(b"one two\x1b[1;5DX"), "one Xtwo");
    assert_eq!(line(b"one two\x01\x1b[1;5CX"), "oneX two");
    assert_eq!(line(b"one two\x01\x1b[1;3CX"), "oneX two");
}

#[test]
fn transpose() {
    assert_eq!(line(b"ab\x14"), "ba");
    assert_eq!(line(b"abc\x1b[D\x14"), "acb");
    assert_eq!(line(b"\x14a\x01\x14"), "a");
    assert_eq!(line("aé".as_bytes().iter().copied().chain(*b"\x14").collect::<Vec<_>>().as_slice()), "éa");
}

#[test]
fn ctrl_l_clears_and_redraws() {
    let r = t(&[]).keys("one\n$ ", 80, b"ls\x0c");
    assert!(r.out.contains("\x1b[H\x1b[2J"));
    assert_eq!(r.screen.line(0), "one");
    assert_eq!(r.screen.line(1), "$ ls");
}

#[test]
fn utf8_moves_by_characters() {
    let mut tt = t(&[]);
    let r = tt.keys("$ ", 80, "hé€😀".as_bytes());
    assert_eq!(r.line, "hé€😀");
    let r = tt.keys("$ ", 80, "hé€😀\x1b[D\x1b[D\x7fX".as_bytes());
    assert_eq!(r.line, "hX€😀");
    assert_eq!(r.pos, 2);
    let r = tt.keys("$ ", 80, "ééé\x01\x1b[C\x1b[3~".as_bytes());
    assert_eq!(r.line, "éé");
    assert_eq!(r.pos, 2);
    assert_eq!(r.screen.col, 3);
}

#[test]
fn invalid_utf8_input_is_dropped() {
    assert_eq!(line(b"a\x80b\xffc\xe2d"), "abcd");
}

#[test]
fn unknown_sequences_are_ignored() {
    assert_eq!(line(b"a\x1b[2~\x1b[5~\x1b[Zb\x1b[?1;2c\x1bOPc"), "abc");
}

#[test]
fn control_bytes_in_the_line_show_as_question_marks() {
    let mut tt = t(&[]);
    tt.kill = b"a\x1bb".to_vec();
    let r = tt.keys("$ ", 80, b"\x19");
    assert_eq!(r.line, "a\x1bb");
    assert_eq!(r.screen.current(), "$ a?b");
}

#[test]
fn prompt_escapes_between_markers_take_no_columns() {
    let r = t(&[]).keys("\x01\x1b[1m\x02$\x01\x1b[0m\x02 ", 80, b"ab\x1b[D");
    assert!(r.out.starts_with("\r\x1b[1m$\x1b[0m \x1b[K"));
    assert_eq!(r.screen.col, 3);
}

#[test]
fn history_up_and_down() {
    let mut tt = t(&["first", "second"]);
    assert_eq!(tt.keys("$ ", 80, b"\x1b[A").line, "second");
    assert_eq!(tt.keys("$ ", 80, b"\x1b[A\x1b[A").line, "first");
    assert_eq!(tt.keys("$ ", 80, b"\x1b[A\x1b[A\x1b[A").line, "first");
    assert_eq!(tt.keys("$ ", 80, b"new\x1b[A\x1b[B").line, "new");
    assert_eq!(tt.keys("$ ", 80, b"new\x10\x10\x0e").line, "second");
    assert_eq!(tt.keys("$ ", 80, b"\x1bOA\x1bOA\x1bOB").line, "second");
    assert_eq!(tt.keys("$ ", 80, b"\x1b[B").line, "");
    let r = tt.keys("$ ", 80, b"\x1b[Ax\r");
    assert_eq!(r.done, Some(Done::Line(b"secondx".to_vec())));
    assert_eq!(tt.hist.get(1), Some(&b"second"[..]));
}

#[test]
fn reverse_search_finds_older_matches_and_enter_accepts() {
    let mut tt = t(&["ls -l", "echo hi", "ls /tmp"]);
    let r = tt.keys("$ ", 80, b"\x12ls");
    assert_eq!(r.screen.current(), "(reverse-i-search)'ls': ls /tmp");
    let r = tt.keys("$ ", 80, b"\x12ls\x12");
    assert_eq!(r.screen.current(), "(reverse-i-search)'ls': ls -l");
    let r = tt.keys("$ ", 80, b"\x12ls\x12\r");
    assert_eq!(r.done, Some(Done::Line(b"ls -l".to_vec())));
    assert_eq!(r.screen.line(0), "$ ls -l");
    let r = tt.keys("$ ", 80, b"\x12ls\x12\x12");
    assert_eq!(r.screen.current(), "(failed reverse-i-search)'ls': ls -l");
    let r = tt.keys("$ ", 80, b"\x12ech\x7f\x7f\x7fl");
    assert_eq!(r.screen.current(), "(reverse-i-search)'l': ls /tmp");
}

#[test]
fn reverse_search_cancel_keeps_the_line() {
    let mut tt = t(&["ls -l", "echo hi"]);
    let r = tt.keys("$ ", 80, b"pwd\x12ec\x07");
    assert_eq!(r.line, "pwd");
    assert_eq!(r.screen.current(), "$ pwd");
    let r = tt.keys("$ ", 80, b"pwd\x12ec\x1b\x1b");
    assert_eq!(r.line, "pwd");
    // A lone ESC cancels when nothing follows it (the caller's timeout).
    let mut ed = Editor::new(b"$ ", 80, &tt.hist, &mut tt.kill, &mut tt.words);
    for &c in b"\x12ec\x1b" {
        assert!(ed.feed(c).is_none());
    }
    assert!(ed.wants_timeout());
    ed.timeout();
    assert!(ed.search.is_none());
    assert!(!ed.wants_timeout());
}

#[test]
fn reverse_search_other_keys_accept_and_act() {
    let mut tt = t(&["ls -l", "echo hi"]);
    let r = tt.keys("$ ", 80, b"\x12ech\x05X");
    assert_eq!(r.line, "echo hiX");
    let r = tt.keys("$ ", 80, b"\x12hi\x1b[DX");
    assert_eq!(r.line, "echoX hi");
    let r = tt.keys("$ ", 80, b"\x12ech\x1b[A");
    assert_eq!(r.line, "ls -l");
    let r = tt.keys("$ ", 80, b"\x12ech\x03");
    assert_eq!(r.done, Some(Done::Interrupt));
}

#[test]
fn tab_completes_one_candidate_and_the_common_prefix() {
    let mut tt = t(&[]);
    tt.words = Words(vec!["alpha ", "alps ", "beta/"]);
    assert_eq!(tt.keys("$ ", 80, b"cat b\t").line, "cat beta/");
    assert_eq!(tt.keys("$ ", 80, b"cat a\t").line, "cat alp");
    let r = tt.keys("$ ", 80, b"cat x\t");
    assert_eq!(r.line, "cat x");
    assert!(r.out.contains('\x07'));
    assert_eq!(tt.keys("$ ", 80, b"cat alph\t\tX").line, "cat alpha X");
    assert_eq!(tt.keys("$ ", 80, b"al x\x01\x06\x06\t").line, "alp x");
}

#[test]
fn second_tab_lists_choices_in_columns_and_redraws() {
    let mut tt = t(&[]);
    tt.words = Words(vec!["aa1 ", "aa2 ", "aa3 ", "aa4 ", "aa5 "]);
    let r = tt.keys("$ ", 80, b"x aa\t\t");
    assert_eq!(r.screen.line(0), "$ x aa");
    assert_eq!(r.screen.line(1), "aa1  aa2  aa3  aa4  aa5");
    assert_eq!(r.screen.current(), "$ x aa");
    assert_eq!(r.screen.row, 2);
    // Narrow: 12 columns hold two choices a row; filled down the columns like ls.
    let r = tt.keys("> ", 12, b"aa\t\t");
    let rows: Vec<String> = (1..4).map(|i| r.screen.line(i)).collect();
    assert_eq!(rows, ["aa1  aa4", "aa2  aa5", "aa3"]);
    assert_eq!(r.screen.current(), "> aa");
}

#[test]
fn long_lines_scroll_within_one_row() {
    let mut tt = t(&[]);
    let long: Vec<u8> = (0..50).map(|i| b'a' + (i % 26) as u8).collect();
    let r = tt.keys("$ ", 20, &long);
    assert_eq!(r.line.len(), 50);
    assert!(r.screen.current().len() < 20);
    assert!(r.screen.rows.len() == 1);
    let keys = [&long[..], b"\x01"].concat();
    let r = tt.keys("$ ", 20, &keys);
    assert_eq!(r.screen.current(), "$ abcdefghijklmnopq");
    assert_eq!(r.screen.col, 2);
    let keys = [&long[..], b"\x01\x05\x01\x1b[C\x1b[C\x05\x7f\x01\x0b"].concat();
    assert_eq!(tt.keys("$ ", 20, &keys).line, "");
    // Accepting shows the whole line (it wraps) and moves below it.
    let keys = [&long[..], b"\r"].concat();
    let r = tt.keys("$ ", 20, &keys);
    assert_eq!(r.screen.line(0).len() + r.screen.line(1).len() + r.screen.line(2).len(), 52);
    assert_eq!(r.screen.row, 3);
}

#[test]
fn a_prompt_too_wide_gets_its_own_row() {
    let wide = "x".repeat(30);
    let r = t(&[]).keys(&wide, 20, b"ab");
    assert_eq!(r.screen.current(), "ab");
    assert!(r.screen.row >= 1);
}

#[test]
fn width_change_redraws() {
    let mut tt = t(&[]);
    let mut ed = Editor::new(b"$ ", 80, &tt.hist, &mut tt.kill, &mut tt.words);
    ed.start();
    for &c in b"hello" {
        ed.feed(c);
    }
    ed.refresh();
    ed.set_width(4);
    let mut s = Screen::new(80);
    s.put(&ed.out);
    assert_eq!(s.current(), "$ o");
}

/// A small random generator (xorshift), so the test is repeatable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn random_input_never_panics_and_the_screen_stays_right() {
    const ALPHABET: &[u8] = b"\x1b[O;0123456789~ABCDFHbdf\x7f\x08\x01\x02\x03\x04\x05\x06\x07\x09\x0b\x0c\x0e\x10\x12\x14\x15\x17\x19\x80\xc3\xa9\xe2\x82\xacab /\xff";
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut checked = 0;
    for round in 0..3000 {
        let mut tt = t(&["ls -l", "echo hé", "cat /etc/passwd", "x"]);
        tt.words = Words(vec!["alpha ", "alps ", "bé/", "b\x1bx "]);
        if round % 2 == 0 {
            tt.words.0.extend((0..120).map(|i| &*format!("a{i} ").leak()));
        }
        let width = (rng.next() % 100) as usize + 1;
        let n = (rng.next() % 200) as usize;
        let keys: Vec<u8> = (0..n)
            .map(|_| {
                let r = rng.next();
                if r.is_multiple_of(4) {
                    (r >> 8) as u8
                } else {
                    ALPHABET[(r >> 8) as usize % ALPHABET.len()]
                }
            })
            .collect();
        let mut ed = Editor::new(b"$ ", width, &tt.hist, &mut tt.kill, &mut tt.words);
        let mut s = Screen::new(1000);
        ed.start();
        for &c in &keys {
            if ed.feed(c).is_some() {
                break;
            }
            assert!(ed.pos <= ed.buf.len());
            assert!(ed.pos == ed.buf.len() || !is_cont(ed.buf[ed.pos]), "round {round}");
            if rng.next().is_multiple_of(3) {
                ed.timeout();
            }
            ed.refresh();
            s.put(&ed.out);
            ed.out.clear();
            if ed.search.is_none() && ed.asking.is_none() && width > MIN_ROOM + 2 && s.row == s.rows.len() - 1
            {
                s.width = width;
                check_screen(&ed, &s);
                s.width = 1000;
                checked += 1;
            }
        }
    }
    assert!(checked > 50_000, "{checked}");
}

#[test]
fn many_choices_are_listed_only_when_asked_to() {
    let mut tt = t(&[]);
    let many: Vec<&'static str> = (0..150).map(|i| &*format!("w{i:03} ").leak()).collect();
    tt.words = Words(many);
    let r = tt.keys("$ ", 80, b"w\t\tn");
    assert_eq!(r.screen.line(1), "Display all 150 possibilities? (y or n)");
    assert_eq!(r.screen.current(), "$ w");
    assert_eq!(r.screen.row, 2);
    let r = tt.keys("$ ", 80, b"w\t\ty");
    assert_eq!(
        r.screen.line(2),
        "w000  w012  w024  w036  w048  w060  w072  w084  w096  w108  w120  w132  w144"
    );
    assert_eq!(r.screen.line(13), "w011  w023  w035  w047  w059  w071  w083  w095  w107  w119  w131  w143");
    assert_eq!(r.screen.current(), "$ w");
    assert_eq!(r.screen.row, 14);
}
