//! Where a title breaks: one rule for the PDF and the Word document. A title set on two lines or more
//! breaks only at phrase boundaries (after "：", "——", "｜", a space; before an opening quote) or
//! between two words, and into lines of balanced width: among those break points, the fewest lines
//! that fit, then the least raggedness. First-fit filling, right for a paragraph, cuts a title
//! wherever the line happens to run out ("认知储 / 备").
//!
//! Break points are ranked ([`Rank`]), not merely allowed: a phrase boundary is best, then the side
//! of a function word (的, 与, 到, 及其…) it does not lean on, then the end of a suffix the dictionary
//! split off (难治|性), then a boundary between two content words, last one after a lone character.
//! The ranks are tried in turn, each pass adding the next to the break points of the ones before;
//! the first pass whose lines are as few as any pass gives and within a third of each other's width
//! wins, else the surest pass that gives that few lines. A break between two Han content words is
//! thus a last resort: a medical term is often a compound of dictionary words (肌萎缩|侧索|硬化,
//! 队列|研究, 血液|检测) that no dictionary boundary tells from two words side by side. Only a title
//! no word boundaries can fit breaks at any clreq opportunity.
//!
//! Words are found by ICU4X's dictionary segmenter: its Chinese dictionary is compiled into the
//! program, so it costs no load time (a handout takes milliseconds; jieba's dictionary takes hundreds
//! of milliseconds to load in a debug build). The function words and suffixes are short lists, not a
//! lexicon; every step is linear in the title's length (the balancing, in its break points per line).

use std::ops::Range;

use icu_segmenter::WordSegmenter;
use icu_segmenter::options::WordBreakInvariantOptions;

use super::breaking::{Break, no_line_end, no_line_start, opportunities};
use super::wrap::{Measure, wrap};
use super::{is_cjk, is_han};

/// How good a place to break a title is, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    /// After a mark that ends a phrase (：, ——, ｜, 、, ，), at a space in CJK text, before an opening
    /// quote or bracket.
    Phrase,
    /// Beside a function word, on the side it does not lean on: after 的 (…病的 / 早期信号), before 与,
    /// 到, 及其 (…缺陷 / 与散发性…); before an English function word (…Stem Cells / in Amyotrophic…).
    Function,
    /// After a suffix the dictionary split off a word it lacks (难治|性, 生存|率, 淋巴|瘤): the
    /// attribute or the noun ends there (难治性 / B细胞淋巴瘤, 回顾性 / 队列研究).
    Head,
    /// Between two words the dictionary knows (of two characters or more), or at a space between two
    /// Latin words: as often inside a term (侧索|硬化, 队列|研究, Stem|Cells) as between two.
    Word,
    /// After a single character before a longer word, or where Latin letters meet Han (B|细胞): as
    /// often inside a word the dictionary lacks as not.
    Loose,
}

impl Rank {
    /// Each pass's worst rank, in the order the passes are tried.
    const PASSES: [Rank; 5] = [
        Rank::Phrase,
        Rank::Function,
        Rank::Head,
        Rank::Word,
        Rank::Loose,
    ];

    /// How far from the most balanced break a better-ranked break may be and still win over this
    /// one, in ems (moving `d` of text between two lines adds `2d²` to the sum of squared widths).
    fn ems(self) -> f32 {
        match self {
            Rank::Phrase => 0.0,
            Rank::Function => 1.0,
            Rank::Head => 1.5,
            Rank::Word | Rank::Loose => 2.0,
        }
    }
}

/// A place a title may break, and what breaking there costs on top of the lines' raggedness.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Candidate {
    at: usize,
    penalty: f32,
}

/// The lines of a title `width` wide as byte ranges of `text`, without the white space around them;
/// `em` is the title's size, `measure` how wide its text is set. A title that fits is one line. When
/// no set of phrase and word boundaries gives lines that fit, every clreq break opportunity is
/// tried, balanced the same way; a run wider than a line is cut as a paragraph's would be.
pub fn lines(text: &str, width: f32, em: f32, measure: &impl Measure) -> Vec<Range<usize>> {
    let whole = trimmed(text, 0..text.len());
    let breaks = opportunities(text);
    let mandatory = breaks.iter().any(|&(_, b)| b == Break::Mandatory);
    if whole.is_empty() || mandatory {
        // The author's own line breaks decide (a title has none unless typed).
        return wrap(text, width, width, measure);
    }
    if measure.line(whole.clone()) <= width {
        return vec![whole];
    }
    let allowed = allowed_breaks(text, breaks, measure);
    let ranked = ranked_breaks(text, &allowed);
    let penalty = |rank: Rank| 2.0 * (rank.ems() * em).powi(2);
    let passes = Rank::PASSES.map(|worst| {
        ranked
            .iter()
            .filter(|&&(_, rank)| rank <= worst)
            .map(|&(at, rank)| Candidate {
                at,
                penalty: penalty(rank),
            })
            .collect::<Vec<_>>()
    });
    let anywhere: Vec<Candidate> = allowed
        .iter()
        .map(|&at| {
            let rank = ranked
                .binary_search_by_key(&at, |&(b, _)| b)
                .map_or(Rank::Loose, |i| ranked[i].1);
            Candidate {
                at,
                penalty: penalty(rank),
            }
        })
        .collect();
    choose(text, &passes, width, measure)
        .or_else(|| balance(text, &anywhere, width, measure))
        .unwrap_or_else(|| wrap(text, width, width, measure))
}

/// The clreq break opportunities, those beside quotes, less those the setter refuses.
fn allowed_breaks(text: &str, breaks: Vec<(usize, Break)>, measure: &impl Measure) -> Vec<usize> {
    let mut allowed: Vec<usize> = breaks.into_iter().map(|(at, _)| at).collect();
    allowed.extend(beside_quotes(text));
    allowed.sort_unstable();
    allowed.dedup();
    allowed.retain(|&at| measure.may_break(at));
    allowed
}

/// The lines of the first pass (best ranks first) that takes as few lines as any pass and gives lines
/// within a third of each other's width; failing that, of the first pass that takes that few lines:
/// whole words before balance. `None` when no pass fits.
fn choose(
    text: &str,
    passes: &[Vec<Candidate>],
    width: f32,
    measure: &impl Measure,
) -> Option<Vec<Range<usize>>> {
    let results: Vec<Vec<Range<usize>>> = passes
        .iter()
        .filter_map(|candidates| balance(text, candidates, width, measure))
        .collect();
    let fewest = results.iter().map(Vec::len).min()?;
    let pick = results
        .iter()
        .position(|lines| lines.len() == fewest && within_a_third(lines, measure))
        .or_else(|| results.iter().position(|lines| lines.len() == fewest))?;
    results.into_iter().nth(pick)
}

/// Breaks before an opening quote and after a closing one where the other side is CJK: UAX #14
/// (Unicode 15.1, LB19a) and clreq allow them, the `unicode-linebreak` crate (Unicode 15.0) does not
/// yet ("从血液检测到 / “认知储备”").
fn beside_quotes(text: &str) -> Vec<usize> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    chars
        .windows(2)
        .filter_map(|w| {
            let [(_, a), (at, b)] = [w[0], w[1]];
            let opens = matches!(b, '“' | '‘') && is_cjk(a) && !no_line_end(a);
            let closes = matches!(a, '”' | '’') && is_cjk(b) && !no_line_start(b);
            (opens || closes).then_some(at)
        })
        .collect()
}

/// Whether the widest and the narrowest line differ by at most a third of the widest.
fn within_a_third(lines: &[Range<usize>], measure: &impl Measure) -> bool {
    let widths: Vec<f32> = lines.iter().map(|l| measure.line(l.clone())).collect();
    let widest = widths.iter().copied().fold(0.0, f32::max);
    let narrowest = widths.iter().copied().fold(f32::MAX, f32::min);
    widest - narrowest <= widest / 3.0
}

/// The break opportunities `allowed` that are phrase or word boundaries, each with its rank, in
/// order. A word boundary inside quotes or brackets is none (a quoted term such as “认知储备” stays
/// on one line).
fn ranked_breaks(text: &str, allowed: &[usize]) -> Vec<(usize, Rank)> {
    let depth = bracket_depth(text);
    let words = word_breaks(text);
    allowed
        .iter()
        .filter_map(|&at| {
            if is_phrase_boundary(text, at) {
                return Some((at, Rank::Phrase));
            }
            if depth(at) > 0 {
                return None;
            }
            let i = words.binary_search_by_key(&at, |&(b, _)| b).ok()?;
            Some((at, words[i].1))
        })
        .collect()
}

/// After a mark that ends a phrase, before an opening quote or bracket, or at white space (but for
/// the space between two Latin words, which is a word boundary).
fn is_phrase_boundary(text: &str, at: usize) -> bool {
    let before = text[..at].chars().next_back();
    let visible = text[..at].trim_end().chars().next_back();
    let after = text[at..].chars().next();
    let latin = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() && !is_cjk(c));
    let spaced = before.is_some_and(char::is_whitespace) && !(latin(visible) && latin(after));
    spaced || visible.is_some_and(ends_phrase) || after.is_some_and(no_line_end)
}

/// Marks after which a title's phrase ends: stops, pauses, colons, dashes, ellipses, separators,
/// closing quotes and brackets (not the middle dot of a name, nor a slash inside a term).
fn ends_phrase(c: char) -> bool {
    matches!(
        c,
        '：' | '，'
            | '。'
            | '；'
            | '！'
            | '？'
            | '、'
            | '｜'
            | '|'
            | '—'
            | '⸺'
            | '…'
            | '”'
            | '’'
            | '）'
            | '》'
            | '」'
            | '』'
            | '】'
            | '〕'
            | ':'
            | ','
            | ';'
            | '!'
            | '?'
            | ')'
            | ']'
    )
}

/// How many quotes and brackets are open at each byte offset of `text`.
fn bracket_depth(text: &str) -> impl Fn(usize) -> usize {
    let mut depths = Vec::new();
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        if no_line_end(c) {
            depth += 1;
        } else if closes(c) {
            depth = depth.saturating_sub(1);
        }
        depths.push((i + c.len_utf8(), depth));
    }
    move |at| {
        let i = depths.partition_point(|&(end, _)| end <= at);
        i.checked_sub(1).map_or(0, |i| depths[i].1)
    }
}

/// The closing twins of the opening marks of [`no_line_end`].
fn closes(c: char) -> bool {
    matches!(
        c,
        '」' | '』'
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
            | ')'
            | ']'
            | '}'
    )
}

/// Function words that lean on the word after them (prepositions, conjunctions): a line may end
/// before them, never after.
const LEAN_RIGHT: &[&str] = &[
    "与", "和", "及", "或", "在", "对", "从", "到", "为", "向", "以", "于", "被", "给", "由", "自",
    "并", "而", "跟", "是", "以及", "及其", "对于", "关于", "基于", "来自", "通过", "针对", "或者",
    "并且", "由于", "作为", "根据",
];

/// Function words that lean on the word before them (particles, postpositions): a line may end after
/// them, never before. 的 is one wherever the dictionary leaves it at a word's end (病的).
const LEAN_LEFT: &[&str] = &[
    "的", "之", "中", "后", "前", "时", "等", "了", "是", "之后", "之前", "之间", "之中", "以来",
    "以后", "期间",
];

/// Suffixes that end a noun or an attribute (…性, …率, …症, …学, …物), when the dictionary splits
/// them off the word before.
const SUFFIXES: &str = "性率症病瘤癌炎学院剂者型物";

/// English function words: a Latin title breaks before them, never after.
const ENGLISH: &[&str] = &[
    "a", "an", "the", "of", "in", "on", "at", "by", "for", "with", "to", "from", "and", "or", "as",
    "via", "into", "versus", "vs",
];

/// Han numerals, which a line never splits (二十|八家).
const NUMERALS: &str = "〇零一二两三四五六七八九十百千万亿";

/// The word boundaries of `text` as the dictionary segments it, each with its rank (a phrase
/// boundary is found by its marks, not here). The dictionary splits the suffix off a word it lacks
/// (病患|者, 淋巴|瘤, 安全|性): no boundary before a single Han character, which goes with the word
/// before it, unless it is a function word or follows such a suffix. A word it does not know at all
/// comes out as single characters (阿|尔|茨|海|默|病的, 渐|冻|症): no boundary right after a run of
/// three or more either, where the unknown word usually goes on.
fn word_breaks(text: &str) -> Vec<(usize, Rank)> {
    let segmenter = WordSegmenter::new_dictionary(WordBreakInvariantOptions::default());
    let bounds: Vec<usize> = segmenter.segment_str(text).collect();
    let segments: Vec<&str> = bounds.windows(2).map(|w| &text[w[0]..w[1]]).collect();
    // Segment k-1 ends at bounds[k], segment k starts there.
    (1..segments.len())
        .filter_map(|k| rank_between(&segments, k).map(|rank| (bounds[k], rank)))
        .collect()
}

/// The rank of the boundary between `segments[k - 1]` and `segments[k]`, if it is a word boundary.
fn rank_between(segments: &[&str], k: usize) -> Option<Rank> {
    let at = |i: usize| segments.get(i).copied().unwrap_or("");
    let (left, right) = (at(k - 1), at(k));
    let before_left = k.checked_sub(2).map_or("", at);
    if left.chars().all(char::is_whitespace) {
        // A space between two Latin words (one in CJK text is a phrase boundary).
        return if !is_latin(right) {
            None
        } else if is_english_function(right) {
            Some(Rank::Function)
        } else if is_english_function(before_left) {
            None
        } else {
            Some(Rank::Word)
        };
    }
    if !(is_word(left) && is_word(right)) {
        return None;
    }
    let ends_word = |i: usize| {
        let s = at(i);
        let suffixed = is_single(s) && SUFFIXES.contains(s) && i > 0 && is_known(at(i - 1));
        (is_known(s) && !LEAN_RIGHT.contains(&s)) || is_latin(s) || suffixed
    };
    if is_single(right) {
        // Before a preposition or a conjunction that is a word of its own: after a whole word, and
        // not at the start of a run of single characters (a word the dictionary lacks). One
        // character before a word may follow it (与|非|运动).
        let run = is_single(at(k + 1)) && is_single(at(k + 2));
        let lone = LEAN_RIGHT.contains(&right) && ends_word(k - 1) && !run;
        if lone && k + 1 < segments.len() {
            return Some(Rank::Function);
        }
        // After a split-off suffix the word has ended: the character starts the next one
        // (散发|性|肌|萎缩).
        let suffixed = is_single(left) && SUFFIXES.contains(left) && is_known(before_left);
        return (suffixed && !LEAN_LEFT.contains(&right) && !SUFFIXES.contains(right))
            .then_some(Rank::Head);
    }
    let numeral = |c: Option<char>| c.is_some_and(|c| NUMERALS.contains(c));
    if numeral(left.chars().next_back()) && numeral(right.chars().next()) {
        return None;
    }
    if left.ends_with('的')
        || LEAN_LEFT.contains(&left) && (!is_single(left) || k >= 2 && ends_word(k - 2))
        || LEAN_RIGHT.contains(&right) && ends_word(k - 1)
    {
        return Some(Rank::Function);
    }
    if LEAN_RIGHT.contains(&left) {
        return None;
    }
    if is_single(left) && SUFFIXES.contains(left) && is_known(before_left) {
        return Some(Rank::Head);
    }
    if is_latin(left) || is_latin(right) {
        return Some(Rank::Loose);
    }
    if is_known(left) {
        return Some(Rank::Word);
    }
    let run = k >= 3 && (1..=3).all(|back| is_single(at(k - back)));
    (!run).then_some(Rank::Loose)
}

/// Whether a segment is one Han character.
fn is_single(s: &str) -> bool {
    let mut chars = s.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if is_han(c))
}

/// Whether a segment is a Han word of two characters or more (one the dictionary knows).
fn is_known(s: &str) -> bool {
    s.chars().nth(1).is_some() && s.chars().all(is_han)
}

/// Whether a segment is Latin letters or digits.
fn is_latin(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_alphanumeric() && !is_cjk(c))
}

/// Whether a segment is a word: Han, or Latin letters and digits.
fn is_word(s: &str) -> bool {
    !s.is_empty() && (s.chars().all(is_han) || is_latin(s))
}

fn is_english_function(s: &str) -> bool {
    ENGLISH.iter().any(|w| w.eq_ignore_ascii_case(s))
}

/// The best lines that end at the candidates: the fewest that fit `width`, then the smallest sum of
/// squared widths and penalties (for a given number of lines and amount of text, the most equal
/// widths). `None` when some piece between two candidates is wider than the line.
fn balance(
    text: &str,
    candidates: &[Candidate],
    width: f32,
    measure: &impl Measure,
) -> Option<Vec<Range<usize>>> {
    // Node 0 is the title's start; the others are line ends: the candidates, then the title's end.
    let mut nodes = vec![Candidate {
        at: 0,
        penalty: 0.0,
    }];
    nodes.extend_from_slice(candidates);
    nodes.push(Candidate {
        at: text.len(),
        penalty: 0.0,
    });
    // For each node: (lines, cost, the node the last line starts at) of the best way to end a line there.
    let mut best: Vec<Option<(usize, f32, usize)>> = vec![None; nodes.len()];
    best[0] = Some((0, 0.0, 0));
    for j in 1..nodes.len() {
        for i in (0..j).rev() {
            let Some((lines, cost, _)) = best[i] else {
                continue;
            };
            let line = trimmed(text, nodes[i].at..nodes[j].at);
            if line.is_empty() {
                continue;
            }
            let w = measure.line(line);
            if w > width {
                // Starting further back only makes the line wider.
                break;
            }
            let here = (lines + 1, cost + w * w + nodes[j].penalty, i);
            if best[j].is_none_or(|b| (here.0, here.1) < (b.0, b.1)) {
                best[j] = Some(here);
            }
        }
    }
    let mut ranges = Vec::new();
    let mut j = nodes.len() - 1;
    while j > 0 {
        let (_, _, i) = best[j]?;
        ranges.push(trimmed(text, nodes[i].at..nodes[j].at));
        j = i;
    }
    ranges.reverse();
    Some(ranges)
}

/// `range` without the white space at either end.
fn trimmed(text: &str, range: Range<usize>) -> Range<usize> {
    let piece = &text[range.clone()];
    let start = range.start + (piece.len() - piece.trim_start().len());
    start..start + piece.trim().len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::wrap::Columns;

    fn title_lines(text: &str, width: usize) -> Vec<&str> {
        lines(text, width as f32, 2.0, &Columns(text))
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn a_title_that_fits_is_one_line() {
        assert_eq!(title_lines("干细胞治疗渐冻症", 40), ["干细胞治疗渐冻症"]);
    }

    #[test]
    fn the_issue_title_breaks_between_words_into_balanced_lines() {
        let text = "阿尔茨海默病的早期信号：从血液检测到“认知储备”——给家属的一份实用指南";
        let lines = title_lines(text, 60);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(
            lines
                .iter()
                .all(|l| !l.contains("认知储") || l.contains("认知储备"))
        );
        let widths: Vec<usize> = lines
            .iter()
            .map(|l| super::super::width::columns(l))
            .collect();
        let (lo, hi) = (widths.iter().min(), widths.iter().max());
        assert!(
            hi.zip(lo).is_some_and(|(h, l)| 3 * (h - l) <= *h),
            "{lines:?}"
        );
    }

    #[test]
    fn a_phrase_boundary_near_the_middle_wins_over_words() {
        let text = "一管血能查阿尔茨海默病吗？写给家属的血液检测指南";
        assert_eq!(
            title_lines(text, 40),
            ["一管血能查阿尔茨海默病吗？", "写给家属的血液检测指南"]
        );
    }

    #[test]
    fn latin_titles_break_at_spaces_only() {
        let text = "Umbilical Cord Mesenchymal Stem Cells in Amyotrophic Lateral Sclerosis";
        let lines = title_lines(text, 40);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn unknown_words_are_not_split() {
        let text = "阿尔茨海默病的早期信号";
        let bounds = word_breaks(text);
        assert!(
            bounds.iter().all(|&(b, _)| b >= "阿尔茨海默病".len()),
            "{:?}",
            bounds.iter().map(|&(b, _)| &text[..b]).collect::<Vec<_>>()
        );
    }

    /// The text before each word break of `text` of rank `rank`.
    fn breaks_of(text: &str, rank: Rank) -> Vec<&str> {
        word_breaks(text)
            .into_iter()
            .filter(|&(_, r)| r == rank)
            .map(|(at, _)| &text[..at])
            .collect()
    }

    #[test]
    fn function_words_are_broken_on_the_side_they_do_not_lean_on() {
        let text = "短期症状缓解到长期神经再生";
        assert_eq!(breaks_of(text, Rank::Function), ["短期症状缓解"]);
        let text = "基于真实世界数据的回顾性研究进展及其对临床的启示";
        let function = breaks_of(text, Rank::Function);
        assert!(function.contains(&"基于真实世界数据的"), "{function:?}");
        assert!(
            function.contains(&"基于真实世界数据的回顾性研究进展"),
            "{function:?}"
        );
        // Never after a preposition or a conjunction, nor before a particle.
        let all: Vec<&str> = word_breaks(text)
            .into_iter()
            .map(|(at, _)| &text[..at])
            .collect();
        for bad in [
            "基于",
            "基于真实世界数据",
            "基于真实世界数据的回顾性研究进展及其",
        ] {
            assert!(!all.contains(&bad), "{bad}: {all:?}");
        }
    }

    #[test]
    fn a_split_off_suffix_ends_a_head_and_compounds_are_a_last_resort() {
        let text = "散发性肌萎缩侧索硬化";
        assert_eq!(breaks_of(text, Rank::Head), ["散发性"]);
        assert!(breaks_of(text, Rank::Function).is_empty());
        // 肌萎缩|侧索|硬化: only content-word boundaries, tried last.
        let worse: Vec<&str> = word_breaks(text)
            .into_iter()
            .filter(|&(_, r)| r > Rank::Head)
            .map(|(at, _)| &text[..at])
            .collect();
        assert!(worse.iter().all(|b| b.len() > "散发性".len()), "{worse:?}");
    }

    #[test]
    fn numbers_stay_whole() {
        let text = "全国二十八家医院";
        let all: Vec<&str> = word_breaks(text)
            .into_iter()
            .map(|(at, _)| &text[..at])
            .collect();
        assert!(!all.contains(&"全国二十"), "{all:?}");
    }

    #[test]
    fn a_latin_title_breaks_before_a_function_word_rather_than_inside_a_term() {
        let text = "Stem Cells in Amyotrophic Lateral Sclerosis";
        assert_eq!(breaks_of(text, Rank::Function), ["Stem Cells "]);
        // Never after a function word.
        assert!(
            word_breaks(text)
                .iter()
                .all(|&(at, _)| &text[..at] != "Stem Cells in ")
        );
    }

    #[test]
    fn ranked_breaks_keep_a_medical_compound_whole_when_balance_allows() {
        // The subtitle of the test titles: "回顾性队列研究" and "三甲医院" stay whole.
        let text =
            "基于全国二十八家三甲医院真实世界数据的回顾性队列研究：疗效、安全性与卫生经济学评价";
        let lines = title_lines(text, 58);
        assert_eq!(
            lines,
            [
                "基于全国二十八家三甲医院真实世界数据的",
                "回顾性队列研究：疗效、安全性与卫生经济学评价"
            ]
        );
    }

    #[test]
    fn a_word_wider_than_the_line_is_still_cut() {
        let text = "x".repeat(25);
        assert_eq!(title_lines(&text, 10).len(), 3);
    }
}
