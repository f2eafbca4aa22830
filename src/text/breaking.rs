//! Line-break opportunities: UAX #14 from the `unicode-linebreak` crate, tailored with the clreq
//! basic-level rules for Simplified Chinese (W3C clreq 3.1.7) and with "never split a Latin word,
//! number, DOI or URL".

use std::ops::Range;

use super::is_cjk;

/// Marks that may not start a line (clreq: closing brackets and quotes, pause and stop marks, dashes,
/// middle dots, slashes, and their ASCII twins).
pub fn no_line_start(c: char) -> bool {
    matches!(
        c,
        '、' | '，'
            | '。'
            | '．'
            | '：'
            | '；'
            | '！'
            | '？'
            | '‼'
            | '⁇'
            | '」'
            | '』'
            | '”'
            | '’'
            | '）'
            | '］'
            | '〕'
            | '】'
            | '〗'
            | '｝'
            | '》'
            | '〉'
            | '～'
            | '-'
            | '–'
            | '—'
            | '·'
            | '・'
            | '‧'
            | '/'
            | '／'
            | ','
            | '.'
            | ':'
            | ';'
            | '!'
            | '?'
            | ')'
            | ']'
            | '}'
            | '%'
            | '‰'
            | '℃'
            | '…'
            | '⸺'
            | '〜'
            | '゠'
            | '％'
    )
}

/// Marks that may not end a line (opening brackets and quotes).
pub fn no_line_end(c: char) -> bool {
    matches!(
        c,
        '「' | '『'
            | '“'
            | '‘'
            | '（'
            | '［'
            | '〔'
            | '【'
            | '〖'
            | '｛'
            | '《'
            | '〈'
            | '('
            | '['
            | '{'
    )
}

/// Whether `c` belongs to a run that is never split: a Latin word, a number, an identifier such as
/// "CD4+CD25+Foxp3+Treg", a DOI or a URL (anything that is neither white space nor CJK).
fn in_unbreakable_run(c: char) -> bool {
    !c.is_whitespace() && !is_cjk(c)
}

/// Whether a line may end between `before` and `after` (the characters on either side), given that
/// UAX #14 allows it; `visible_before` is the last character before the break that is not white space
/// (the one that would end the line).
fn tailored_allows(before: char, visible_before: char, after: char) -> bool {
    if no_line_start(after) || no_line_end(visible_before) {
        return false;
    }
    // —— and …… stay whole (their halves are already refused by no_line_start).
    if in_unbreakable_run(before) && in_unbreakable_run(after) {
        return false;
    }
    true
}

/// Where a line may break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Break {
    /// A line may end here.
    Allowed,
    /// A line must end here (a newline in the text).
    Mandatory,
}

/// The byte offsets at which a line may (or must) end, in increasing order, each with its kind. The end
/// of the text is not listed.
pub fn opportunities(text: &str) -> Vec<(usize, Break)> {
    let mut out = Vec::new();
    for (at, kind) in unicode_linebreak::linebreaks(text) {
        if at >= text.len() {
            break;
        }
        let (Some(before), Some(after)) =
            (text[..at].chars().next_back(), text[at..].chars().next())
        else {
            continue;
        };
        match kind {
            unicode_linebreak::BreakOpportunity::Mandatory => out.push((at, Break::Mandatory)),
            unicode_linebreak::BreakOpportunity::Allowed => {
                // The mark that would end the line is the last one before any white space here.
                let visible_before = text[..at]
                    .chars()
                    .rev()
                    .find(|c| !c.is_whitespace())
                    .unwrap_or(before);
                if tailored_allows(before, visible_before, after) {
                    out.push((at, Break::Allowed));
                }
            }
        }
    }
    out
}

/// Where a line may end as a last resort, inside `range` (a run between two ordinary break
/// opportunities), when ending it at the ordinary ones would leave it loose: after "+", "/" or "-"
/// inside a long identifier ("CD4+|CD25+|Foxp3+|Treg"), and at the hyphenation points of an English
/// word (TeX's patterns, through the hypher crate; `true`: the line then ends with a hyphen the word
/// does not have). In increasing order.
pub fn last_resort(text: &str, range: Range<usize>) -> Vec<(usize, bool)> {
    let run = &text[range.clone()];
    let mut out = Vec::new();
    // The whole token the run is part of: a long URL is broken at its own "/" into several runs.
    let token_start = text[..range.start]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let token_end = text[range.end..]
        .find(char::is_whitespace)
        .map_or(text.len(), |i| range.end + i);
    if is_address(&text[token_start..token_end]) {
        return out;
    }
    let chars: Vec<(usize, char)> = run.char_indices().collect();
    for w in chars.windows(3) {
        let [(_, before), (i, mark), (_, after)] = [w[0], w[1], w[2]];
        if matches!(mark, '+' | '/' | '-') && before.is_alphanumeric() && after.is_alphanumeric() {
            out.push((range.start + i + mark.len_utf8(), false));
        }
    }
    let mut word_start = None;
    for (i, c) in run.char_indices().chain(std::iter::once((run.len(), ' '))) {
        match (c.is_ascii_alphabetic(), word_start) {
            (true, None) => word_start = Some(i),
            (false, Some(start)) => {
                if is_plain_word(run, start, i) {
                    hyphenation_points(&run[start..i], range.start + start, &mut out);
                }
                word_start = None;
            }
            _ => {}
        }
    }
    out.sort_unstable();
    out.dedup_by_key(|p| p.0);
    out
}

/// Whether the letters `run[start..end]` are an English word to hyphenate: not part of an identifier
/// (no digit, "+", "/", "-", "_" or "." joined to it) and lower case after the first letter
/// ("Treg", "BioFINDER" and "ALS" are names, not words).
fn is_plain_word(run: &str, start: usize, end: usize) -> bool {
    let joined = |c: char| c.is_alphanumeric() || matches!(c, '+' | '/' | '-' | '_' | '.');
    let before = run[..start].chars().next_back().is_some_and(joined);
    let after = run[end..]
        .chars()
        .next()
        .is_some_and(|c| joined(c) && c != '.');
    let lower_after_first = run[start..end]
        .chars()
        .skip(1)
        .all(|c| c.is_ascii_lowercase());
    !before && !after && lower_after_first
}

/// A URL, an e-mail address or a DOI: never split, even as a last resort (a reader types it again).
fn is_address(run: &str) -> bool {
    let run = run.trim();
    let doi = run.starts_with("10.") && run.contains('/');
    doi || run.contains("://") || run.contains('@') || run.starts_with("www.")
}

/// The hyphenation points of an English word of six letters or more, two letters kept on each side.
fn hyphenation_points(word: &str, offset: usize, out: &mut Vec<(usize, bool)>) {
    if word.len() < 6 {
        return;
    }
    let mut at = offset;
    let syllables: Vec<&str> =
        hypher::hyphenate_bounded(word, hypher::Lang::English, 2, 2).collect();
    for syllable in &syllables[..syllables.len().saturating_sub(1)] {
        at += syllable.len();
        out.push((at, true));
    }
}

/// The best place to cut a run that has no break opportunity and is wider than a line: the last
/// character boundary in `text` at or before `limit` (a byte offset) that keeps the line-start and
/// line-end rules and does not separate a combining mark from its base; `None` if there is none after
/// the first character.
pub fn forced_cut(text: &str, limit: usize) -> Option<usize> {
    let mut best = None;
    let mut fallback = None;
    let mut prev: Option<char> = None;
    let mut last_visible: Option<char> = None;
    for (i, c) in text.char_indices() {
        if i > limit {
            break;
        }
        if let Some(p) = prev {
            let joins = is_combining(c) || c == '\u{200D}' || p == '\u{200D}';
            if !joins {
                fallback = Some(i);
                // White space at a cut vanishes: the marks that count are the visible ones around it.
                let next_visible = text[i..].chars().find(|c| !c.is_whitespace());
                let ends_ok = last_visible.is_none_or(|v| !no_line_end(v));
                let starts_ok = next_visible.is_none_or(|v| !no_line_start(v));
                if ends_ok && starts_ok && last_visible.is_some() {
                    best = Some(i);
                }
            }
        }
        prev = Some(c);
        if !c.is_whitespace() {
            last_visible = Some(c);
        }
    }
    best.or(fallback)
}

fn is_combining(c: char) -> bool {
    use unicode_width::UnicodeWidthChar;
    c.width() == Some(0) && !c.is_control()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_resort_breaks_in_identifiers_and_english_words() {
        let text = "CD4+CD25+Foxp3+Treg";
        let at: Vec<&str> = last_resort(text, 0..text.len())
            .iter()
            .map(|&(p, _)| &text[..p])
            .collect();
        assert_eq!(at, ["CD4+", "CD4+CD25+", "CD4+CD25+Foxp3+"]);
        let text = "阿尔茨海默 neurodegenerative 病";
        let word = text.find('n').unwrap_or(0);
        let points = last_resort(text, word..word + "neurodegenerative".len());
        assert!(points.iter().all(|&(_, hyphen)| hyphen), "{points:?}");
        let pieces: Vec<&str> = points.iter().map(|&(p, _)| &text[word..p]).collect();
        assert!(
            pieces.contains(&"neu") || pieces.contains(&"neuro"),
            "{pieces:?}"
        );
        assert!(last_resort("miR-124", 0..7).contains(&(4, false)));
        assert!(last_resort("short", 0..5).is_empty());
        let id = "CD4+CD25+Foxp3+TregALS";
        assert!(
            last_resort(id, 0..id.len())
                .iter()
                .all(|&(_, hyphen)| !hyphen)
        );
        for address in [
            "https://example.org/neurodegenerative-care",
            "10.1007/s12015-020-10016-7",
            "name@example.org",
        ] {
            assert!(
                last_resort(address, 0..address.len()).is_empty(),
                "{address}"
            );
        }
        // A "word" longer than any word is read without trouble (no hyphenation data overflows).
        let long = "x".repeat(5000);
        let _ = last_resort(&long, 0..long.len());
    }

    fn lines_at(text: &str) -> Vec<&str> {
        let mut parts = Vec::new();
        let mut start = 0;
        for (at, _) in opportunities(text) {
            parts.push(&text[start..at]);
            start = at;
        }
        parts.push(&text[start..]);
        parts
    }

    #[test]
    fn closing_marks_stay_with_what_they_close() {
        let parts = lines_at("研究结果。【1】说：“量”");
        assert!(
            parts.iter().all(|p| !p.starts_with(no_line_start)),
            "{parts:?}"
        );
        assert!(parts.iter().all(|p| !p.ends_with(no_line_end)), "{parts:?}");
        assert!(parts.contains(&"果。"), "{parts:?}");
    }

    #[test]
    fn identifiers_dois_and_urls_are_never_split() {
        for token in [
            "CD4+CD25+Foxp3+Treg",
            "miR-124",
            "10.1007/s12015-020-10016-7",
            "https://doi.org/10.1/x-y",
            "-3.77",
            "38.5℃",
        ] {
            let text = format!("细胞{token}细胞");
            assert!(
                lines_at(&text).iter().any(|p| p.contains(token)),
                "{token}: {:?}",
                lines_at(&text)
            );
        }
    }

    #[test]
    fn chinese_breaks_between_ideographs_and_at_spaces() {
        assert_eq!(lines_at("干细胞"), vec!["干", "细", "胞"]);
        assert_eq!(lines_at("PBMC 组"), vec!["PBMC ", "组"]);
        assert_eq!(lines_at("ALS患者"), vec!["ALS", "患", "者"]);
    }

    #[test]
    fn dashes_ellipses_tildes_and_slashes_do_not_start_lines() {
        for text in ["好——好", "好……好", "1～2", "分／月", "分/3个月"] {
            let parts = lines_at(text);
            assert!(
                parts
                    .iter()
                    .skip(1)
                    .all(|p| !p.starts_with(['—', '…', '～', '／', '/'])),
                "{text}: {parts:?}"
            );
        }
    }

    #[test]
    fn an_opening_mark_before_white_space_still_holds_on() {
        assert_eq!(lines_at("说（\t50%"), vec!["说", "（\t50%"]);
    }

    #[test]
    fn newline_is_mandatory() {
        assert_eq!(opportunities("甲\n乙"), vec![(4, Break::Mandatory)]);
    }

    #[test]
    fn forced_cut_keeps_prohibitions() {
        assert_eq!(forced_cut("abcdef", 3), Some(3));
        assert_eq!(forced_cut("ab)cd", 2), Some(1));
        assert_eq!(forced_cut("a", 0), None);
        assert_eq!(
            forced_cut("miR-124 ，——", 9),
            Some(6),
            "not before the space that leads to ，"
        );
    }
}
