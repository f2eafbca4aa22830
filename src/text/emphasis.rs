//! Emphasis done the Chinese way (clreq, 着重号): a dot under each Han character and none under
//! punctuation; Latin text, which takes no dots, is set in an italic instead. One rule for every
//! writer.

use std::ops::Range;

use super::{is_cjk, is_han};

/// How an emphasised character is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// A dot under it: Han characters.
    Dot,
    /// In the italic: letters, digits and the signs of Latin text.
    Italic,
    /// Neither: CJK punctuation, full-width forms, kana.
    Upright,
}

/// How an emphasised character is set; `None` for white space, which goes with the text before it.
pub fn mark(c: char) -> Option<Mark> {
    if c.is_whitespace() {
        None
    } else if is_han(c) {
        Some(Mark::Dot)
    } else if is_cjk(c) {
        Some(Mark::Upright)
    } else {
        Some(Mark::Italic)
    }
}

/// An emphasised text cut into pieces of one mark each, as `mark_of` marks its characters (the
/// writer may refuse the italic to a character its italic lacks); white space goes with the piece
/// before it (or after it, at the start).
pub fn pieces(
    text: &str,
    mut mark_of: impl FnMut(char) -> Option<Mark>,
) -> Vec<(Range<usize>, Mark)> {
    let mut out: Vec<(Range<usize>, Mark)> = Vec::new();
    for (at, c) in text.char_indices() {
        let end = at + c.len_utf8();
        match (mark_of(c), out.last_mut()) {
            (None, Some(last)) => last.0.end = end,
            (Some(m), Some(last)) if last.1 == m => last.0.end = end,
            (Some(m), Some(last)) if last.0.start == 0 && text[..last.0.end].trim().is_empty() => {
                // Leading white space joins the first piece that has a mark.
                last.0.end = end;
                last.1 = m;
            }
            (m, _) => out.push((at..end, m.unwrap_or(Mark::Upright))),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(text: &str) -> Vec<(&str, Mark)> {
        pieces(text, mark)
            .into_iter()
            .map(|(r, m)| (&text[r], m))
            .collect()
    }

    #[test]
    fn han_takes_dots_latin_the_italic_punctuation_neither() {
        use Mark::*;
        assert_eq!(
            cut("运动神经元，motor neuron 的死亡。"),
            vec![
                ("运动神经元", Dot),
                ("，", Upright),
                ("motor neuron ", Italic),
                ("的死亡", Dot),
                ("。", Upright),
            ]
        );
        assert_eq!(cut(" ALS"), vec![(" ALS", Italic)]);
        assert_eq!(
            cut("「甲」"),
            vec![("「", Upright), ("甲", Dot), ("」", Upright)]
        );
        assert!(cut("").is_empty());
    }
}
