//! Chinese punctuation (GB/T 15834-2011): the ASCII marks `, : ; ? ! ( )` that authors type inside
//! Chinese text are set as their full-width forms, and the spaces typed around full-width marks are
//! dropped. Marks inside Latin runs ("Stem Cell Rev Rep. 2020 Oct;16(5):922-932") are left alone. The
//! source is never changed: writers call this on what they are about to set.

use super::{is_cjk, is_han};

fn full_width(c: char) -> Option<char> {
    Some(match c {
        ',' => '，',
        ':' => '：',
        ';' => '；',
        '?' => '？',
        '!' => '！',
        '(' => '（',
        ')' => '）',
        _ => return None,
    })
}

/// Full-width punctuation and the ideographic space, around which a typed space is dropped.
fn drops_spaces_beside(c: char) -> bool {
    super::is_full_width_mark(c) || c == '\u{3000}'
}

fn is_curly_quote(c: char) -> bool {
    matches!(c, '“' | '”' | '‘' | '’')
}

/// Normalizes one string.
pub fn normalize(text: &str) -> String {
    normalize_pieces(&[text]).pop().unwrap_or_default()
}

/// Normalizes pieces of one text (runs of different styles) as one text, so that a mark at the end of a
/// bold term sees the Chinese text that follows it; returns the pieces in the same order.
pub fn normalize_pieces(pieces: &[&str]) -> Vec<String> {
    let marked: Vec<(&str, bool)> = pieces.iter().map(|p| (*p, false)).collect();
    normalize_marked(&marked)
}

/// Like [`normalize_pieces`], but pieces marked `true` (citation labels, URLs) are kept as they are:
/// they only serve as context for their neighbours.
pub fn normalize_marked(pieces: &[(&str, bool)]) -> Vec<String> {
    let mut chars: Vec<(char, usize)> = Vec::new();
    for (p, (piece, _)) in pieces.iter().enumerate() {
        chars.extend(piece.chars().map(|c| (c, p)));
    }
    let frozen = |i: usize, chars: &[(char, usize)]| pieces[chars[i].1].1;
    let text: Vec<char> = chars.iter().map(|&(c, _)| c).collect();
    let mut convert = vec![false; text.len()];

    // Parentheses convert as pairs: when they hold Chinese text or stand next to it. Counting Han
    // characters up to each index answers "does this pair hold Chinese" in constant time.
    let mut han_before = Vec::with_capacity(text.len() + 1);
    han_before.push(0usize);
    for &c in &text {
        han_before.push(han_before[han_before.len() - 1] + usize::from(is_han(c)));
    }
    let mut open = Vec::new();
    for i in 0..text.len() {
        match text[i] {
            '(' => open.push(i),
            ')' => {
                if let Some(o) = open.pop() {
                    let chinese = han_before[i] > han_before[o + 1]
                        || neighbour(&text, o, -1).is_some_and(is_cjk)
                        || neighbour(&text, i, 1).is_some_and(is_cjk);
                    convert[o] = chinese;
                    convert[i] = chinese;
                }
            }
            _ => {}
        }
    }
    let mut letter_before: Option<char> = None; // the nearest letter before i, Han or Latin
    for i in 0..text.len() {
        if matches!(text[i], ',' | ':' | ';' | '?' | '!') {
            convert[i] = letter_before.is_some_and(is_han)
                || neighbour(&text, i, -1).is_some_and(is_cjk)
                || neighbour(&text, i, 1).is_some_and(is_cjk);
        }
        if text[i].is_alphabetic() {
            letter_before = Some(text[i]);
        }
    }
    for i in 0..text.len() {
        if convert[i] && !frozen(i, &chars) {
            chars[i].0 = full_width(text[i]).unwrap_or(text[i]);
        }
    }

    let mut out = vec![String::new(); pieces.len()];
    for i in 0..chars.len() {
        let (c, p) = chars[i];
        if c == ' ' && !frozen(i, &chars) {
            let before = i.checked_sub(1).map(|j| chars[j].0);
            let after = chars.get(i + 1).map(|x| x.0);
            if let (Some(b), Some(a)) = (before, after) {
                let by_mark = drops_spaces_beside(b) || drops_spaces_beside(a);
                let quote_in_chinese = (is_curly_quote(b) && is_cjk(a) && !is_curly_quote(a))
                    || (is_curly_quote(a) && is_cjk(b) && !is_curly_quote(b));
                if by_mark || quote_in_chinese {
                    continue;
                }
            }
        }
        out[p].push(c);
    }
    out
}

/// The nearest character that is not a space, before (`step` = -1) or after (`step` = 1) index `i`.
fn neighbour(text: &[char], i: usize, step: isize) -> Option<char> {
    let mut j = i as isize + step;
    while j >= 0 && (j as usize) < text.len() {
        let c = text[j as usize];
        if c != ' ' {
            return Some(c);
        }
        j += step;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_in_chinese_text_become_full_width() {
        assert_eq!(normalize("近日,中国"), "近日，中国");
        assert_eq!(normalize("怎么样?干细胞"), "怎么样？干细胞");
        assert_eq!(normalize("建议!杭吉"), "建议！杭吉");
        assert_eq!(
            normalize("存在(50%以上的患者)的"),
            "存在（50%以上的患者）的"
        );
        assert_eq!(normalize("复合体IV(CIV)缺陷"), "复合体IV（CIV）缺陷");
        assert_eq!(normalize("量表( ALSRS-R) 评分"), "量表（ALSRS-R）评分");
        assert_eq!(normalize("升高; 颈部"), "升高；颈部");
        assert_eq!(
            normalize("热(<38.5℃,6-8小时消退)"),
            "热（<38.5℃，6-8小时消退）"
        );
        assert_eq!(normalize("ALSFRS-R:治疗前"), "ALSFRS-R：治疗前");
    }

    #[test]
    fn marks_in_latin_runs_stay() {
        let s = "Stem Cell Rev Rep. 2020 Oct;16(5):922-932";
        assert_eq!(normalize(s), s);
        let s = "sclerosis (ALS) treated with cells: a study, mostly!";
        assert_eq!(normalize(s), s);
    }

    #[test]
    fn spaces_around_full_width_marks_go() {
        assert_eq!(normalize("真正 “解冻” 他们"), "真正“解冻”他们");
        assert_eq!(normalize("之重 。"), "之重。");
        assert_eq!(normalize("he said “yes” to"), "he said “yes” to");
        assert_eq!(normalize("治疗后第 14 天"), "治疗后第 14 天");
    }

    #[test]
    fn pieces_are_normalized_together() {
        assert_eq!(
            normalize_pieces(&["量表(MRC)", ":", "上肢"]),
            vec!["量表（MRC）", "：", "上肢"]
        );
        assert_eq!(
            normalize_marked(&[("结果。", false), ("[1, 2]", true)]),
            vec!["结果。", "[1, 2]"]
        );
    }
}
