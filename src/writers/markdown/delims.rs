//! Writing a line's tokens: choosing `*` or `_` for each bold or emphasis, and making each delimiter
//! open or close where it must.
//!
//! Delimiters of one character next to each other join into one run (`**a**` then `*b*` would give
//! `***b*`), so adjacent delimiters get different characters; a span also avoids the character of an
//! enclosing span of its own kind (`*a *b* c*` pairs wrongly). `*` is preferred: `_` cannot open or
//! close inside a word.
//!
//! Whether a delimiter opens or closes depends on its neighbours (CommonMark's flanking rules with the
//! CJK-friendly amendment comrak applies; comrak looks past `~` for them, as subscript is on). White space just inside a delimiter becomes an entity
//! (`**&#32;x**`); when a delimiter still cannot open (or close), the character outside it becomes an
//! entity, which puts punctuation (`;` or `&`) next to it: `a&#x62;**(b)**`. The rules are mirrored
//! here with Unicode's punctuation and CJK ranges approximated; comrak's own reading of the line,
//! checked afterwards, is what decides.

use super::inlines::{How, Kind, Line, Span, Tok, entity};

/// The line as Markdown; with `armor_all`, every letter next to a delimiter is an entity (the fallback
/// when the line as first written does not read back).
pub(super) fn render(line: &Line, armor_all: bool) -> String {
    let mut toks = line.toks.clone();
    let mut spans = line.spans.clone();
    color(&toks, &mut spans);
    armor(&mut toks, &spans, armor_all);
    let mut out = String::new();
    for t in &toks {
        match t {
            Tok::Char(c, How::Plain) => out.push(*c),
            Tok::Char(c, How::Backslash) => {
                out.push('\\');
                out.push(*c);
            }
            Tok::Char(c, How::Entity) => out.push_str(&entity(*c)),
            Tok::Open(id) | Tok::Close(id) => {
                let s = &spans[*id];
                out.extend(std::iter::repeat_n(s.byte as char, s.kind.width()));
            }
            Tok::Raw(r) => out.push_str(r),
        }
    }
    out
}

/// Chooses `*` or `_` for every bold and emphasis, in the order they open.
fn color(toks: &[Tok], spans: &mut [Span]) {
    let mut place = vec![(0, 0); spans.len()];
    for (i, t) in toks.iter().enumerate() {
        match t {
            Tok::Open(id) => place[*id].0 = i,
            Tok::Close(id) => place[*id].1 = i,
            _ => {}
        }
    }
    for id in 0..spans.len() {
        if spans[id].forced || matches!(spans[id].kind, Kind::Sup | Kind::Sub) {
            continue;
        }
        let (open, close) = place[id];
        let neighbours = [
            open.checked_sub(1),
            Some(open + 1),
            close.checked_sub(1),
            Some(close + 1),
        ];
        // Spans are numbered as they open: those before this one are chosen already.
        let blocked: Vec<u8> = neighbours
            .into_iter()
            .flatten()
            .filter_map(|i| match toks.get(i) {
                Some(Tok::Open(t) | Tok::Close(t)) if *t < id || spans[*t].forced => {
                    Some(spans[*t].byte)
                }
                _ => None,
            })
            .collect();
        let kin = kin_bytes(spans, id);
        let mut choices = [b'*', b'_'];
        choices.sort_by_key(|b| kin.contains(b));
        spans[id].byte = choices
            .into_iter()
            .find(|b| !blocked.contains(b))
            .unwrap_or(b'*');
    }
}

/// The delimiters of the enclosing spans of the same kind as `id`.
fn kin_bytes(spans: &[Span], id: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut up = spans[id].parent;
    while let Some(p) = up {
        if spans[p].kind == spans[id].kind {
            out.push(spans[p].byte);
        }
        up = spans[p].parent;
    }
    out
}

/// Entities where a delimiter could not open or close otherwise.
fn armor(toks: &mut [Tok], spans: &[Span], all: bool) {
    for i in 0..toks.len() {
        let inner = match toks[i] {
            Tok::Open(_) => i + 1,
            Tok::Close(_) => match i.checked_sub(1) {
                Some(j) => j,
                None => continue,
            },
            _ => continue,
        };
        if let Some(Tok::Char(c, how @ How::Plain)) = toks.get_mut(inner)
            && c.is_whitespace()
        {
            *how = How::Entity;
        }
    }
    // Each pass turns at least one character into an entity, or ends.
    loop {
        let mut changed = false;
        for i in 0..toks.len() {
            let (id, opens) = match toks[i] {
                Tok::Open(id) => (id, true),
                Tok::Close(id) => (id, false),
                _ => continue,
            };
            let ((b, b_at), (a, a_at)) = (before(toks, spans, i), after(toks, spans, i));
            let byte = spans[id].byte;
            let works = if opens {
                can_open(byte, b, a)
            } else {
                can_close(byte, b, a)
            };
            if works && !all {
                continue;
            }
            let outer = if opens { b_at } else { a_at };
            if let Some(Tok::Char(c, how @ How::Plain)) = outer.and_then(|o| toks.get_mut(o))
                && !c.is_whitespace()
            {
                *how = How::Entity;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

/// The character comrak sees before token `i` (`\n` at the start of the line), and the token it
/// belongs to. comrak skips `~` there (subscript delimiters, and the `~` of `\~`).
fn before(toks: &[Tok], spans: &[Span], i: usize) -> (char, Option<usize>) {
    for j in (0..i).rev() {
        let c = match &toks[j] {
            Tok::Char('~', How::Backslash) => '\\',
            Tok::Char(c, How::Plain | How::Backslash) => *c,
            Tok::Char(_, How::Entity) => ';',
            Tok::Open(t) | Tok::Close(t) if spans[*t].byte == b'~' => continue,
            Tok::Open(t) | Tok::Close(t) => spans[*t].byte as char,
            Tok::Raw(r) => match r.chars().rev().find(|c| *c != '~') {
                Some(c) => c,
                None => continue,
            },
        };
        return (c, Some(j));
    }
    ('\n', None)
}

/// The character comrak sees after token `i` (`\n` at the end of the line), skipping `~` too.
fn after(toks: &[Tok], spans: &[Span], i: usize) -> (char, Option<usize>) {
    for (j, t) in toks.iter().enumerate().skip(i + 1) {
        let c = match t {
            Tok::Char(c, How::Plain) => *c,
            Tok::Char(_, How::Backslash) => '\\',
            Tok::Char(_, How::Entity) => '&',
            Tok::Open(t) | Tok::Close(t) if spans[*t].byte == b'~' => continue,
            Tok::Open(t) | Tok::Close(t) => spans[*t].byte as char,
            Tok::Raw(r) => match r.chars().find(|c| *c != '~') {
                Some(c) => c,
                None => continue,
            },
        };
        return (c, Some(j));
    }
    ('\n', None)
}

/// comrak's left-flanking test (CJK-friendly; `^` and `~` may open before punctuation).
fn left_flanking(byte: u8, b: char, a: char) -> bool {
    !a.is_whitespace()
        && (!punctuation(a)
            || byte == b'^'
            || byte == b'~'
            || b.is_whitespace()
            || cjk(a)
            || cjk(b)
            || punctuation(b))
}

fn right_flanking(b: char, a: char) -> bool {
    !b.is_whitespace()
        && (cjk(a) || cjk(b) || !punctuation(b) || a.is_whitespace() || punctuation(a))
}

pub(super) fn can_open(byte: u8, b: char, a: char) -> bool {
    left_flanking(byte, b, a) && (byte != b'_' || !right_flanking(b, a) || punctuation(b))
}

pub(super) fn can_close(byte: u8, b: char, a: char) -> bool {
    right_flanking(b, a) && (byte != b'_' || !left_flanking(byte, b, a) || punctuation(a))
}

/// Unicode punctuation or symbol (approximated beyond ASCII).
fn punctuation(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation();
    }
    const RANGES: &[(u32, u32)] = &[
        (0xA1, 0xA9),
        (0xAB, 0xAC),
        (0xAE, 0xB1),
        (0xB4, 0xB4),
        (0xB6, 0xB8),
        (0xBB, 0xBB),
        (0xBF, 0xBF),
        (0xD7, 0xD7),
        (0xF7, 0xF7),
        (0x2010, 0x2027),
        (0x2030, 0x205E),
        (0x207A, 0x207E),
        (0x208A, 0x208E),
        (0x20A0, 0x20C0),
        (0x2190, 0x244A),
        (0x2500, 0x2775),
        (0x2794, 0x2BFF),
        (0x2E00, 0x2E5D),
        (0x2FF0, 0x2FFF),
        (0x3001, 0x3004),
        (0x3008, 0x3020),
        (0x3030, 0x3030),
        (0x303D, 0x303F),
        (0x309B, 0x309C),
        (0x30A0, 0x30A0),
        (0x30FB, 0x30FB),
        (0xFE10, 0xFE19),
        (0xFE30, 0xFE52),
        (0xFE54, 0xFE6B),
        (0xFF01, 0xFF0F),
        (0xFF1A, 0xFF20),
        (0xFF3B, 0xFF40),
        (0xFF5B, 0xFF65),
        (0xFFE0, 0xFFEE),
        (0x1F000, 0x1FAFF),
    ];
    in_ranges(c, RANGES)
}

/// A CJK character as the CJK-friendly emphasis rule counts them (its ranges, coarsened).
fn cjk(c: char) -> bool {
    const RANGES: &[(u32, u32)] = &[
        (0x1100, 0x11FF),
        (0x20A9, 0x20A9),
        (0x2329, 0x232A),
        (0x2630, 0x2637),
        (0x268A, 0x268F),
        (0x2E80, 0x2EF3),
        (0x2F00, 0x2FD5),
        (0x2FF0, 0x303E),
        (0x3041, 0x3096),
        (0x3099, 0x30FF),
        (0x3105, 0x312F),
        (0x3131, 0x318E),
        (0x3190, 0x31E5),
        (0x31EF, 0x321E),
        (0x3220, 0x3247),
        (0x3250, 0xA48C),
        (0xA490, 0xA4C6),
        (0xA960, 0xA97C),
        (0xAC00, 0xD7A3),
        (0xD7B0, 0xD7FB),
        (0xF900, 0xFAFF),
        (0xFE10, 0xFE19),
        (0xFE30, 0xFE6B),
        (0xFF01, 0xFFBE),
        (0xFFC2, 0xFFDC),
        (0xFFE0, 0xFFEE),
        (0x16FE0, 0x1B2FB),
        (0x1D300, 0x1D376),
        (0x1F200, 0x1F265),
        (0x20000, 0x3FFFD),
    ];
    in_ranges(c, RANGES)
}

fn in_ranges(c: char, ranges: &[(u32, u32)]) -> bool {
    let c = c as u32;
    ranges.iter().any(|&(lo, hi)| (lo..=hi).contains(&c))
}
