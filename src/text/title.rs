//! Where a title breaks: one rule for the PDF and the Word document. A title set on two lines or more
//! breaks only at phrase boundaries (after "：", "——", "｜", a space; before an opening quote) or
//! between two words, and into lines of balanced width: among those break points, the fewest lines
//! that fit, then the least raggedness. First-fit filling, right for a paragraph, cuts a title
//! wherever the line happens to run out ("认知储 / 备").
//!
//! Word boundaries are tried from the surest (between two words of two characters or more) to the
//! looser (after a one-character word), each set balanced; the first whose lines are as few as any
//! and within a third of each other's width wins, else the surest that fits. Only a title no word
//! boundaries can fit breaks at any clreq opportunity.
//!
//! Words are found by ICU4X's dictionary segmenter: its Chinese dictionary is compiled into the
//! program, so it costs no load time (a handout takes milliseconds; jieba's dictionary takes tens of
//! milliseconds to load).

use std::ops::Range;

use icu_segmenter::WordSegmenter;
use icu_segmenter::options::WordBreakInvariantOptions;

use super::breaking::{Break, no_line_end, no_line_start, opportunities};
use super::wrap::{Measure, wrap};
use super::{is_cjk, is_han};

/// How far from the most balanced break a phrase boundary may be and still win over a break between
/// two words, in ems (moving `d` of text between two lines adds `2d²` to the sum of squared widths).
const WORD_BREAK_EMS: f32 = 2.0;

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
    let word_penalty = 2.0 * (WORD_BREAK_EMS * em).powi(2);
    let words = word_boundaries(text);
    let passes = [Trust::Sure, Trust::Trusted]
        .map(|trust| candidates(text, &allowed, &words, trust, word_penalty));
    let anywhere: Vec<Candidate> = allowed
        .iter()
        .map(|&at| Candidate {
            at,
            penalty: word_penalty,
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

/// The lines of the first pass (surest word boundaries first) that takes as few lines as any pass
/// and gives lines within a third of each other's width; failing that, of the first pass whose lines
/// fit at all: whole words before balance. `None` when no pass fits.
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
    let balanced = results
        .iter()
        .position(|lines| lines.len() == fewest && within_a_third(lines, measure));
    let pick = balanced.unwrap_or(0);
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

/// How sure a word boundary is. A single character is as often a word of its own (的, 与, 到) as a
/// piece of a word the dictionary lacks (干|细胞, 多|中心): only a boundary between two words of two
/// characters or more is sure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Trust {
    /// After a single character (not one of a run of them), before a longer word.
    Trusted,
    /// Between two words of two characters or more.
    Sure,
}

/// The phrase boundaries and the word boundaries at least `trust` sure among the break opportunities
/// `allowed`: a phrase boundary costs nothing, a word boundary `word_penalty`; a word boundary inside
/// quotes or brackets is no candidate (a quoted term such as “认知储备” stays on one line).
fn candidates(
    text: &str,
    allowed: &[usize],
    words: &[(usize, Trust)],
    trust: Trust,
    word_penalty: f32,
) -> Vec<Candidate> {
    let depth = bracket_depth(text);
    let word = |at: usize| {
        words
            .binary_search_by_key(&at, |&(b, _)| b)
            .is_ok_and(|i| words[i].1 >= trust)
    };
    allowed
        .iter()
        .filter_map(|&at| {
            if is_phrase_boundary(text, at) {
                Some(Candidate { at, penalty: 0.0 })
            } else if word(at) && depth(at) == 0 {
                Some(Candidate {
                    at,
                    penalty: word_penalty,
                })
            } else {
                None
            }
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

/// The word boundaries of `text` that the dictionary vouches for, each with how sure it is. The
/// dictionary splits the suffix off a word it lacks (病患|者, 淋巴|瘤, 安全|性): no boundary before a
/// single Han character, which goes with the word before it. A word it does not know at all comes out
/// as single characters (阿|尔|茨|海|默|病的, 渐|冻|症): no boundary right after a run of three or
/// more either, where the unknown word usually goes on.
fn word_boundaries(text: &str) -> Vec<(usize, Trust)> {
    let segmenter = WordSegmenter::new_dictionary(WordBreakInvariantOptions::default());
    let bounds: Vec<usize> = segmenter.segment_str(text).collect();
    let single = |k: usize| -> bool {
        let (Some(&from), Some(&to)) = (bounds.get(k), bounds.get(k + 1)) else {
            return false;
        };
        let mut chars = text[from..to].chars();
        matches!((chars.next(), chars.next()), (Some(c), None) if is_han(c))
    };
    // Segment k-1 ends at bounds[k], segment k starts there.
    (1..bounds.len().saturating_sub(1))
        .filter(|&k| !(single(k) || k >= 3 && (1..=3).all(|back| single(k - back))))
        .map(|k| {
            let trust = if single(k - 1) {
                Trust::Trusted
            } else {
                Trust::Sure
            };
            (bounds[k], trust)
        })
        .collect()
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
        let bounds = word_boundaries(text);
        assert!(
            bounds.iter().all(|&(b, _)| b >= "阿尔茨海默病".len()),
            "{:?}",
            bounds.iter().map(|&(b, _)| &text[..b]).collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_word_wider_than_the_line_is_still_cut() {
        let text = "x".repeat(25);
        assert_eq!(title_lines(&text, 10).len(), 3);
    }
}
