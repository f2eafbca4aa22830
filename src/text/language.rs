//! The script of each character of a text, its runs, and the language of the text that a mark
//! placed at each position closes. The punctuation rules ([`super::punctuation`]) ask this, not the
//! marks' immediate neighbours, whether an ASCII mark belongs to a Chinese sentence: "Disease?"
//! closes an English title and keeps its "?", "使用的是 PET." closes a Chinese sentence and takes "。".

use super::{is_cjk, is_cjk_quote_or_dash, is_full_width_mark};

/// What a character is written in, as far as punctuation cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    /// Chinese text: ideographs, kana, bopomofo, full-width letters and digits.
    Han,
    /// Full-width punctuation (，。：（）《》 …): Chinese text's own marks.
    CjkMark,
    /// Letters of alphabetic scripts (Latin, Greek, Cyrillic), and an apostrophe between two of
    /// them ("Alzheimer's").
    Latin,
    /// The digits 0-9 (and other non-CJK decimal digits).
    Digit,
    /// White space, the ideographic space included.
    Space,
    /// Everything else: ASCII marks, symbols (% ℃ <), and the quotes, dashes and ellipsis that both
    /// languages share (“ ” ‘ ’ — …), which therefore say nothing about the language.
    Other,
}

impl Script {
    /// Chinese characters and marks: what ends a stretch of Latin text.
    pub fn is_chinese(self) -> bool {
        matches!(self, Script::Han | Script::CjkMark)
    }

    /// Letters and digits: what a token is made of.
    pub fn is_alphanumeric(self) -> bool {
        matches!(self, Script::Latin | Script::Digit)
    }
}

/// The script of one character, out of context.
pub fn script(c: char) -> Script {
    if c.is_whitespace() {
        Script::Space
    } else if is_cjk(c) && !is_cjk_quote_or_dash(c) {
        if is_full_width_mark(c) {
            Script::CjkMark
        } else {
            Script::Han
        }
    } else if c.is_alphabetic() {
        Script::Latin
    } else if c.is_numeric() {
        Script::Digit
    } else {
        Script::Other
    }
}

/// The script of each character of `text`, in context: an apostrophe (ASCII or ’) between two
/// letters is part of the word.
pub fn scripts(text: &[char]) -> Vec<Script> {
    let mut out: Vec<Script> = text.iter().map(|&c| script(c)).collect();
    for i in 1..text.len().saturating_sub(1) {
        let apostrophe = matches!(text[i], '\'' | '’');
        if apostrophe && out[i - 1] == Script::Latin && out[i + 1] == Script::Latin {
            out[i] = Script::Latin;
        }
    }
    out
}

/// A maximal stretch of characters in one script: `start..end` indexes characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    pub script: Script,
    pub start: usize,
    pub end: usize,
}

/// The runs of characters in one script, in order.
pub fn runs(scripts: &[Script]) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    for (i, &s) in scripts.iter().enumerate() {
        match out.last_mut() {
            Some(run) if run.script == s => run.end = i + 1,
            _ => out.push(Run {
                script: s,
                start: i,
                end: i + 1,
            }),
        }
    }
    out
}

/// The language of the text a mark closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// A Chinese sentence, possibly ending in one Latin term, number or code ("评价", "使用 PET",
    /// "约 3.5", "ALSFRS-R").
    Chinese,
    /// A Latin phrase or sentence: two or more Latin words since the last Chinese character ("It
    /// works", "Alzheimer's Disease"), or Latin text with no Chinese before it.
    Latin,
    /// Nothing that tells: no Chinese and no Latin word before (the start, digits, marks).
    Unknown,
}

/// For each position `i` of the text (and its end, `scripts.len()`), the language of the text that
/// a mark at `i` would close: the stretch from the last Chinese character to `i`.
///
/// A Latin word is a stretch of characters between spaces or Chinese characters that holds a
/// letter: "Disease", "ALSFRS-R", "p<0.05", "https://a.org" are one word each; "3.5" and "<" are
/// none. One Latin word after Chinese is a term inside the Chinese sentence; two make a Latin
/// phrase of its own. Computed in one pass, so linear in the text's length.
pub fn closed_before(scripts: &[Script]) -> Vec<Language> {
    let mut out = Vec::with_capacity(scripts.len() + 1);
    let mut chinese_before = false;
    let mut words = 0usize; // finished Latin words since the last Chinese character
    let mut word_has_letter = false; // the word under way holds a letter
    for &s in scripts.iter().chain(std::iter::once(&Script::Space)) {
        let latin_words = words + usize::from(word_has_letter);
        out.push(match (chinese_before, latin_words) {
            (_, 2..) | (false, 1) => Language::Latin,
            (true, _) => Language::Chinese,
            (false, 0) => Language::Unknown,
        });
        match s {
            Script::Han | Script::CjkMark => {
                chinese_before = true;
                words = 0;
                word_has_letter = false;
            }
            Script::Space => {
                words += usize::from(word_has_letter);
                word_has_letter = false;
            }
            Script::Latin => word_has_letter = true,
            Script::Digit | Script::Other => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    /// The runs of `text` as (script, text) pairs.
    fn runs_of(text: &str) -> Vec<(Script, String)> {
        let text = chars(text);
        runs(&scripts(&text))
            .into_iter()
            .map(|r| (r.script, text[r.start..r.end].iter().collect()))
            .collect()
    }

    /// The language closed by a mark placed at the end of `text`.
    fn closes(text: &str) -> Language {
        let s = scripts(&chars(text));
        closed_before(&s)[s.len()]
    }

    #[test]
    fn characters_have_their_script() {
        use Script::*;
        let cases = [
            ('中', Han),
            ('あ', Han),
            ('Ａ', Han),
            ('，', CjkMark),
            ('。', CjkMark),
            ('（', CjkMark),
            ('《', CjkMark),
            ('a', Latin),
            ('Z', Latin),
            ('α', Latin),
            ('é', Latin),
            ('7', Digit),
            (' ', Space),
            ('\u{3000}', Space),
            ('.', Other),
            ('%', Other),
            ('℃', Other),
            ('“', Other),
            ('…', Other),
            ('—', Other),
        ];
        for (c, expected) in cases {
            assert_eq!(script(c), expected, "{c:?}");
        }
    }

    #[test]
    fn text_splits_into_runs_by_script() {
        use Script::*;
        assert_eq!(
            runs_of("使用 PET-CT 3.5%。"),
            vec![
                (Han, "使用".into()),
                (Space, " ".into()),
                (Latin, "PET".into()),
                (Other, "-".into()),
                (Latin, "CT".into()),
                (Space, " ".into()),
                (Digit, "3".into()),
                (Other, ".".into()),
                (Digit, "5".into()),
                (Other, "%".into()),
                (CjkMark, "。".into()),
            ]
        );
        assert_eq!(runs_of(""), vec![]);
    }

    #[test]
    fn an_apostrophe_inside_a_word_is_part_of_it() {
        use Script::*;
        assert_eq!(runs_of("Alzheimer's"), vec![(Latin, "Alzheimer's".into())]);
        assert_eq!(runs_of("Alzheimer’s"), vec![(Latin, "Alzheimer’s".into())]);
        assert_eq!(
            runs_of("'a'"),
            vec![
                (Other, "'".into()),
                (Latin, "a".into()),
                (Other, "'".into())
            ]
        );
    }

    #[test]
    fn one_latin_word_after_chinese_stays_in_the_chinese_sentence() {
        use Language::*;
        let cases = [
            ("对安全性指标进行评价", Chinese),
            ("使用的是 PET", Chinese),
            ("使用的是PET", Chinese),
            ("量表 ALSFRS-R", Chinese),
            ("约 3.5", Chinese),
            ("共 28 例", Chinese),
            ("差异显著 p < 0.05", Chinese),
            ("剂量 3.5 mg", Chinese),
            ("见 https://a.org/x.html", Chinese),
            ("他说“好”", Chinese),
            ("他说：It works", Latin),
            ("阅读 What Is Alzheimer's Disease", Latin),
            ("Disease", Latin),
            ("It works. 然后", Chinese),
            ("", Unknown),
            ("3.5", Unknown),
            ("(1)", Unknown),
        ];
        for (text, expected) in cases {
            assert_eq!(closes(text), expected, "{text:?}");
        }
    }

    #[test]
    fn every_position_is_answered() {
        let s = scripts(&chars("中 A B"));
        let got = closed_before(&s);
        use Language::*;
        assert_eq!(
            got,
            vec![Unknown, Chinese, Chinese, Chinese, Chinese, Latin]
        );
    }

    #[test]
    fn a_megabyte_of_latin_words_is_classified_in_linear_time() {
        let text: Vec<char> = "word. ".repeat(200_000).chars().collect();
        let started = std::time::Instant::now();
        let got = closed_before(&scripts(&text));
        assert_eq!(got.len(), text.len() + 1);
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    }
}
