//! Chinese punctuation (GB/T 15834-2011): the ASCII marks `, : ; ? ! ( ) .` that authors type
//! inside Chinese text are set as their full-width forms (，：；？！（）。), and the spaces typed around
//! full-width marks are dropped. Marks that belong to Latin text are left alone. The source is
//! never changed: writers call this on what they are about to set, and `--keep-punctuation` (the
//! caller freezing every piece) leaves every ASCII mark as written.
//!
//! Whether a mark belongs to the Chinese sentence is decided by the text it closes or separates, as
//! [`super::language`] classifies it: the stretch back to the last Chinese character is Chinese
//! when it holds at most one Latin word ("使用的是 PET", "约 3.5", "p<0.05"), Latin when it holds two or
//! more ("Alzheimer's Disease", "It works") or no Chinese stands before it. A parenthesis or curly
//! quote right before a closing mark is looked through: "他说“It works”." closes the Chinese
//! sentence before the quote, "使用的是 PET (正电子发射断层扫描)." the one before the parenthesis.
//! The rules, mark by mark:
//!
//! - **Inside a token** no mark changes: a mark with a letter or digit right after it and a letter,
//!   digit or one of `/ - _ = & # + ~ @` right before it ("1:2", "10:30", "1,000", "Oct;16",
//!   "a.org/x?id=1", "10.1007/s12015") is part of a number, time, ratio, URL or code.
//! - **Parentheses** convert as a pair when they hold Chinese text or stand next to it ("复合体IV(CIV)
//!   缺陷" -> "（CIV）"); a Latin abbreviation in parentheses inside a Chinese sentence is the Chinese
//!   sentence's.
//! - **`, : ;` separate**: they convert when the nearest letter before them is Han or the nearest
//!   character on either side (spaces skipped) is Chinese ("ALSFRS-R:治疗前", "症:ALS"), except right
//!   after an abbreviation's dot: "e.g.," and "i.e.," are written so in any language.
//! - **`? !` close** the text before them: they convert when it is Chinese ("怎么样?", "是 ALS?"), stay
//!   when it is Latin ("What Is Alzheimer's Disease?" before Chinese text keeps its "?"), and, when
//!   nothing before tells ("?" at the start), follow the next character. "?!" converts as a pair.
//! - **`.` is a full stop** only when all of these hold: the text it closes is Chinese; it ends its
//!   token (the end of the text, a space, a Chinese character, a closing quote or bracket, or a
//!   citation label follows it), so decimals, DOIs, URLs, file names ("3.5", "a.org", "报告.pdf")
//!   are never touched; it is not next to another dot or an ellipsis ("...", "…."); it does not end
//!   an abbreviation: a word of the list [`ABBREVIATIONS`] ("vs.", "et al.", "Fig. 1", "No. 5") or
//!   dotted letters of one or two letters each ("e.g.", "i.e.", "U.S.", "Ph.D.", "a.m."); and it
//!   does not end a list number ("分为: 1. 对照组"): an integer of up to three digits standing after
//!   a mark or at the start, with text after it. So "评价." -> "评价。", "使用的是 PET." -> "PET。",
//!   "ALSFRS-R." -> "ALSFRS-R。", "约 3.5." -> "约 3.5。", "共 28 例." -> "共 28 例。", but
//!   "他说：It works. 然后" keeps its Latin sentence's "works.".
//!
//! What the rules cannot see: a Chinese sentence that ends in a Latin phrase of two or more words
//! ("采用 Western blot.") keeps its "." (the text reads as a Latin sentence; typing "。" sets it
//! right), and a one-word Latin sentence after Chinese ("他说：Yes.") takes "。". An abbreviation not
//! in the list that ends a Chinese sentence with its dot ("Jan.") takes "。" too.
//!
//! Every rule looks at a bounded neighbourhood or at what [`super::language::closed_before`]
//! computed in one pass, so normalizing is linear in the text's length.

use super::language::{self, Language, Script};
use super::{is_cjk, is_han};

/// Words whose abbreviation ends in a dot that is not a full stop, compared without case: "vs.",
/// "et al.", "Fig. 1", "No. 5", "Dr. 王". Units ("min", "mg") are not here: a Chinese sentence may
/// end in one.
pub const ABBREVIATIONS: &[&str] = &[
    "al", "approx", "cf", "corp", "dept", "dr", "ed", "eds", "eq", "eqs", "etc", "fig", "figs",
    "inc", "jr", "ltd", "mr", "mrs", "ms", "no", "nos", "pp", "prof", "ref", "refs", "resp", "sr",
    "univ", "viz", "vol", "vols", "vs",
];

/// The longest abbreviation looked at, in characters: bounds the look back from each dot.
const LONGEST_ABBREVIATION: usize = 12;

fn full_width(c: char) -> Option<char> {
    Some(match c {
        ',' => '，',
        ':' => '：',
        ';' => '；',
        '?' => '？',
        '!' => '！',
        '(' => '（',
        ')' => '）',
        '.' => '。',
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

/// Normalizes pieces of one text (runs of different styles) as one text, so that a mark at the end
/// of a bold term sees the Chinese text that follows it; returns the pieces in the same order.
pub fn normalize_pieces(pieces: &[&str]) -> Vec<String> {
    let marked: Vec<(&str, bool)> = pieces.iter().map(|p| (*p, false)).collect();
    normalize_marked(&marked)
}

/// The pieces joined into one text, with what the rules ask of each character.
struct Text {
    chars: Vec<char>,
    /// The piece each character comes from.
    piece: Vec<usize>,
    /// Characters of pieces kept as they are (citation labels, note markers, everything when the
    /// author's punctuation is kept).
    frozen: Vec<bool>,
    scripts: Vec<Script>,
    /// The language a mark at each position closes ([`language::closed_before`]).
    closes: Vec<Language>,
    /// For each closing parenthesis or quote (`)`, `”`), the opening one it pairs with.
    opener: Vec<Option<usize>>,
}

impl Text {
    fn new(pieces: &[(&str, bool)]) -> Text {
        let mut chars = Vec::new();
        let mut piece = Vec::new();
        let mut frozen = Vec::new();
        for (p, (text, keep)) in pieces.iter().enumerate() {
            for c in text.chars() {
                chars.push(c);
                piece.push(p);
                frozen.push(*keep);
            }
        }
        let scripts = language::scripts(&chars);
        let closes = language::closed_before(&scripts);
        let opener = openers(&chars);
        Text {
            chars,
            piece,
            frozen,
            scripts,
            closes,
            opener,
        }
    }

    /// The language a mark at `i` closes. A parenthesis or quote right before the mark is looked
    /// through: "他说“It works”." closes the Chinese sentence that stood before the quote, "list
    /// (default 参考文献)." the Latin one.
    fn closes(&self, i: usize) -> Language {
        let before = i.checked_sub(1).and_then(|j| self.opener[j]);
        self.closes[before.unwrap_or(i)]
    }

    /// The character at `i`, if `i` is inside the text (`i` may be computed as one before 0).
    fn at(&self, i: Option<usize>) -> Option<char> {
        i.and_then(|i| self.chars.get(i)).copied()
    }

    fn script_at(&self, i: Option<usize>) -> Option<Script> {
        i.and_then(|i| self.scripts.get(i)).copied()
    }

    /// The nearest character that is not a space, before (`step` = -1) or after (`step` = 1) `i`.
    fn neighbour(&self, i: usize, step: isize) -> Option<char> {
        let mut j = i.checked_add_signed(step)?;
        while let Some(&c) = self.chars.get(j) {
            if c != ' ' {
                return Some(c);
            }
            j = j.checked_add_signed(step)?;
        }
        None
    }

    /// Whether the mark at `i` sits inside a number, time, URL or code: a letter or digit right
    /// after it, and a letter, digit or joining character right before it.
    fn inside_token(&self, i: usize) -> bool {
        let before = self
            .script_at(i.checked_sub(1))
            .is_some_and(Script::is_alphanumeric)
            || self
                .at(i.checked_sub(1))
                .is_some_and(|c| "/-_=&#+~@".contains(c));
        before
            && self
                .script_at(Some(i + 1))
                .is_some_and(Script::is_alphanumeric)
    }
}

/// Like [`normalize_pieces`], but pieces marked `true` (citation labels, URLs) are kept as they
/// are: they only serve as context for their neighbours.
pub fn normalize_marked(pieces: &[(&str, bool)]) -> Vec<String> {
    let text = Text::new(pieces);
    let convert = marks_to_convert(&text);
    let mut chars = text.chars.clone();
    for (i, c) in chars.iter_mut().enumerate() {
        if convert[i] && !text.frozen[i] {
            *c = full_width(*c).unwrap_or(*c);
        }
    }
    let mut out = vec![String::new(); pieces.len()];
    for (i, &c) in chars.iter().enumerate() {
        if !(c == ' ' && !text.frozen[i] && space_goes(&chars, i)) {
            out[text.piece[i]].push(c);
        }
    }
    out
}

/// Which characters are ASCII marks of the Chinese sentence, to be set full-width.
fn marks_to_convert(text: &Text) -> Vec<bool> {
    let mut convert = parentheses(text);
    let mut letter_before: Option<char> = None; // the nearest letter before i, Han or Latin
    for (i, &c) in text.chars.iter().enumerate() {
        convert[i] |= match c {
            ',' | ':' | ';' => separator_is_chinese(text, i, letter_before),
            '?' | '!' => closing_is_chinese(text, i),
            '.' => stop_is_chinese(text, i),
            _ => false,
        };
        if c.is_alphabetic() {
            letter_before = Some(c);
        }
    }
    convert
}

/// Parentheses convert as pairs: when they hold Chinese text or stand next to it. Counting Han
/// characters up to each index answers "does this pair hold Chinese" in constant time.
fn parentheses(text: &Text) -> Vec<bool> {
    let chars = &text.chars;
    let mut convert = vec![false; chars.len()];
    let mut han_before = Vec::with_capacity(chars.len() + 1);
    han_before.push(0usize);
    for &c in chars {
        han_before.push(han_before[han_before.len() - 1] + usize::from(is_han(c)));
    }
    for (i, &c) in chars.iter().enumerate() {
        if let (')', Some(o)) = (c, text.opener[i]) {
            let chinese = han_before[i] > han_before[o + 1]
                || text.neighbour(o, -1).is_some_and(is_cjk)
                || text.neighbour(i, 1).is_some_and(is_cjk);
            convert[o] = chinese;
            convert[i] = chinese;
        }
    }
    convert
}

/// Pairs parentheses and curly double quotes: for each `)` and `”`, its `(` or `“`, nested pairs
/// matched inside out.
fn openers(chars: &[char]) -> Vec<Option<usize>> {
    let mut opener = vec![None; chars.len()];
    let (mut parens, mut quotes) = (Vec::new(), Vec::new());
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '(' => parens.push(i),
            '“' => quotes.push(i),
            ')' => opener[i] = parens.pop(),
            '”' => opener[i] = quotes.pop(),
            _ => {}
        }
    }
    opener
}

/// `, : ;` between Chinese text and anything: the Chinese sentence's, unless they belong to a token
/// or follow an abbreviation ("e.g.,").
fn separator_is_chinese(text: &Text, i: usize, letter_before: Option<char>) -> bool {
    if text.inside_token(i) || (i > 0 && text.chars[i - 1] == '.' && abbreviation_ends(text, i - 1))
    {
        return false;
    }
    letter_before.is_some_and(is_han)
        || text.neighbour(i, -1).is_some_and(is_cjk)
        || text.neighbour(i, 1).is_some_and(is_cjk)
}

/// `? !` close the text before them: Chinese or Latin, or, when nothing tells, what follows.
fn closing_is_chinese(text: &Text, i: usize) -> bool {
    if text.inside_token(i) {
        return false;
    }
    match text.closes(i) {
        Language::Chinese => true,
        Language::Latin => false,
        Language::Unknown => text.neighbour(i, 1).is_some_and(is_cjk),
    }
}

/// A `.` that ends a Chinese sentence (see the module's rules).
fn stop_is_chinese(text: &Text, i: usize) -> bool {
    let dotted = |j: Option<usize>| text.at(j).is_some_and(|c| c == '.' || c == '…');
    text.closes(i) == Language::Chinese
        && !dotted(i.checked_sub(1))
        && !dotted(Some(i + 1))
        && ends_token(text, i + 1)
        && !abbreviation_ends(text, i)
        && !list_number_ends(text, i)
}

/// Whether position `j`, right after a dot, ends the token the dot closes: the end of the text, a
/// space, Chinese text, a closing quote or bracket, or a citation label or note marker.
fn ends_token(text: &Text, j: usize) -> bool {
    let Some(&c) = text.chars.get(j) else {
        return true;
    };
    text.frozen[j]
        || matches!(
            text.scripts[j],
            Script::Space | Script::Han | Script::CjkMark
        )
        || matches!(c, ')' | ']' | '}' | '"' | '\'' | '”' | '’')
}

/// Whether the dot at `i` ends an abbreviation: a word of [`ABBREVIATIONS`], or dotted letters of
/// one or two letters each ("e.g", "U.S", "Ph.D"), with no letter or digit right before it.
fn abbreviation_ends(text: &Text, i: usize) -> bool {
    let is_part = |c: char| c.is_ascii_alphabetic() || c == '.';
    let lookback = text.chars[..i].iter().rev().take(LONGEST_ABBREVIATION + 1);
    let len = lookback.take_while(|&&c| is_part(c)).count();
    let start = i - len;
    if len == 0 || len > LONGEST_ABBREVIATION {
        return false;
    }
    if !starts_word(text, start) {
        return false;
    }
    let word: String = text.chars[start..i].iter().collect();
    if word.contains('.') {
        word.split('.').all(|part| (1..=2).contains(&part.len()))
    } else {
        ABBREVIATIONS.contains(&word.to_ascii_lowercase().as_str())
    }
}

/// Whether a word starts at `start`: after a space, Chinese text or an opening mark, not inside an
/// address ("info@a.cn", "x/a.cn") or a longer word.
fn starts_word(text: &Text, start: usize) -> bool {
    let Some(before) = start.checked_sub(1) else {
        return true;
    };
    matches!(
        text.scripts[before],
        Script::Space | Script::Han | Script::CjkMark
    ) || matches!(text.chars[before], '(' | '[' | '{' | '"' | '\'' | '“' | '‘')
}

/// Whether the dot at `i` ends a list number inside a paragraph ("分为: 1. 对照组"): up to three digits
/// standing at the start or after a mark, with text after the dot.
fn list_number_ends(text: &Text, i: usize) -> bool {
    let digits = text.chars[..i]
        .iter()
        .rev()
        .take(4)
        .take_while(|c| c.is_ascii_digit())
        .count();
    if digits == 0 || digits > 3 || text.neighbour(i, 1).is_none() {
        return false;
    }
    // The nearest character before the number: none, or a mark that is not part of a token (the
    // colon of "10:30." is the time's).
    let Some(before) = (0..i - digits).rev().find(|&j| text.chars[j] != ' ') else {
        return true;
    };
    let c = text.chars[before];
    !(is_han(c) || c.is_alphanumeric() || c == '.' || text.inside_token(before))
}

/// Whether the space at `i` goes: beside a full-width mark, or between a curly quote and Chinese
/// text.
fn space_goes(chars: &[char], i: usize) -> bool {
    let (Some(&b), Some(&a)) = (
        i.checked_sub(1).and_then(|j| chars.get(j)),
        chars.get(i + 1),
    ) else {
        return false;
    };
    let by_mark = drops_spaces_beside(b) || drops_spaces_beside(a);
    let quote_in_chinese = (is_curly_quote(b) && is_cjk(a) && !is_curly_quote(a))
        || (is_curly_quote(a) && is_cjk(b) && !is_curly_quote(b));
    by_mark || quote_in_chinese
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
    fn a_stop_after_a_chinese_sentence_becomes_full_width() {
        assert_eq!(normalize("进行评价."), "进行评价。");
        assert_eq!(normalize("使用的是 PET."), "使用的是 PET。");
        assert_eq!(normalize("约 3.5."), "约 3.5。");
        assert_eq!(normalize("共 28 例."), "共 28 例。");
        assert_eq!(normalize("评价. 然后"), "评价。然后");
        assert_eq!(normalize("见表 1."), "见表 1。");
        assert_eq!(normalize("时间为 10:30."), "时间为 10:30。");
        assert_eq!(normalize("他说“It works”."), "他说“It works”。");
        assert_eq!(normalize("是 PET (正电子)."), "是 PET（正电子）。");
    }

    #[test]
    fn a_parenthesis_or_quote_before_a_mark_is_looked_through() {
        let s = "Heading of the list (default 参考文献).";
        assert_eq!(normalize(s), "Heading of the list（default 参考文献）.");
        assert_eq!(normalize("He said “好”."), "He said “好”.");
        assert_eq!(normalize("什么是“ALS”?"), "什么是“ALS”？");
        assert_eq!(normalize("什么是(ALS)?"), "什么是（ALS）？");
    }

    #[test]
    fn dots_that_are_no_stops_stay() {
        for s in [
            "1183 天 vs. 640 天",
            "Smith et al. 报道",
            "如 Fig. 1 所示",
            "在 U.S. 获批",
            "他是 Ph.D.",
            "即 i.e. 干细胞",
            "为 10.1007/s12015",
            "见 https://a.org/x.html",
            "报告.pdf",
            "然后...",
            "他说：It works. 然后",
            "Stem Cell Rev Rep. 2020",
        ] {
            assert_eq!(normalize(s), s);
        }
    }

    #[test]
    fn abbreviations_are_known_by_list_and_by_their_dotted_letters() {
        let ends = |s: &str| abbreviation_ends(&Text::new(&[(s, false)]), s.chars().count() - 1);
        for s in ["vs.", "(e.g.", "U.S.A.", "Ph.D.", "a.m.", "FIG.", "见 al."] {
            assert!(ends(s), "{s}");
        }
        for s in [
            "PET.",
            "a.org.",
            "info@a.cn.",
            "x.html.",
            "3.5.",
            "café.",
            "v2.",
            ".",
        ] {
            assert!(!ends(s), "{s}");
        }
    }

    #[test]
    fn list_numbers_keep_their_dots() {
        assert_eq!(
            normalize("分为: 1. 对照组; 2. 试验组"),
            "分为：1. 对照组；2. 试验组"
        );
        assert_eq!(normalize("结果: 28."), "结果：28。");
    }

    #[test]
    fn questions_follow_the_text_they_close() {
        assert_eq!(
            normalize("What Is Alzheimer's Disease?了解"),
            "What Is Alzheimer's Disease?了解"
        );
        assert_eq!(
            normalize("阅读 Alzheimer's Disease?了解"),
            "阅读 Alzheimer's Disease?了解"
        );
        assert_eq!(normalize("是 ALS?"), "是 ALS？");
        assert_eq!(normalize("真的吗?!"), "真的吗？！");
        assert_eq!(normalize("?为什么"), "？为什么");
        assert_eq!(normalize("网址 a.org/x?id=1"), "网址 a.org/x?id=1");
    }

    #[test]
    fn separators_inside_numbers_and_after_abbreviations_stay() {
        assert_eq!(normalize("按 1:2 分组"), "按 1:2 分组");
        assert_eq!(normalize("上午10:30给药"), "上午10:30给药");
        assert_eq!(normalize("共1,000例"), "共1,000例");
        assert_eq!(normalize("因子(e.g., IL-6)升高"), "因子（e.g., IL-6）升高");
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
        assert_eq!(
            normalize_marked(&[("评价", false), ("[1]", true), (".", false)]),
            vec!["评价", "[1]", "。"]
        );
        // Kept pieces are context only: their marks stay.
        assert_eq!(
            normalize_marked(&[("评价.", true), (":", false), ("然后", true)]),
            vec!["评价.", "：", "然后"]
        );
    }
}
