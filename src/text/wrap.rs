//! Filling lines: first fit over the tailored break opportunities, measured by the caller (display
//! columns for plain text, glyph advances for PDF), so that every writer breaks by the same rules,
//! the rule against a lonely last line included.

use std::ops::Range;

use super::breaking::{Break, forced_cut, last_resort, no_line_start, opportunities};

/// Display columns of a text (the plain-text handout's measure).
pub struct Columns<'a>(pub &'a str);

impl Measure for Columns<'_> {
    fn line(&self, range: Range<usize>) -> f32 {
        super::width::columns(&self.0[range]) as f32
    }

    fn advance(&self, range: Range<usize>) -> f32 {
        self.line(range)
    }
}

/// How wide text is, for line filling.
pub trait Measure {
    /// The width of a byte range of the text set as a line (a closing mark at its end may give back
    /// its blank half).
    fn line(&self, range: Range<usize>) -> f32;
    /// The width a byte range takes inside a line: additive, so that the widths of consecutive
    /// ranges add up to at least the width of the line they make.
    fn advance(&self, range: Range<usize>) -> f32;
    /// Whether the setter lets a line end at a break opportunity of the text (a PDF keeps a note's
    /// marker with the word before it).
    fn may_break(&self, _at: usize) -> bool {
        true
    }
    /// Whether a line set from `range`, `width` wide, would be loose: more space added than the
    /// setter allows. Such a line may end at a last resort inside the next word ([`last_resort`]).
    /// A ragged measure is never loose.
    fn loose(&self, _range: Range<usize>, _width: f32) -> bool {
        false
    }
    /// The width of the hyphen that a line ending inside a word adds.
    fn hyphen(&self) -> f32 {
        0.0
    }
    /// Whether a line may end at byte `at` inside a word (where the setter can cut: a cluster's
    /// start).
    fn may_cut(&self, at: usize) -> bool {
        self.may_break(at)
    }
}

/// Breaks `text` into lines no wider than `first` (first line) or `rest` (the others), as measured by
/// `measure`. Returns the byte range of each line without its trailing white space. A run with no
/// break opportunity that is wider than a line is cut, keeping the line-start and line-end rules where
/// it can. No paragraph ends in a lonely line ([`is_lonely`]): the line before it gives it what it
/// must.
pub fn wrap(text: &str, first: f32, rest: f32, measure: &impl Measure) -> Vec<Range<usize>> {
    let trimmed = |r: Range<usize>| r.start..r.start + text[r].trim_end().len();
    let mut ends: Vec<(usize, bool)> = opportunities(text)
        .into_iter()
        .map(|(at, b)| (at, b == Break::Mandatory))
        .filter(|&(at, mandatory)| mandatory || measure.may_break(at))
        .collect();
    ends.push((text.len(), true));

    let mut lines: Vec<Range<usize>> = Vec::new();
    let avail = |lines: &Vec<Range<usize>>| if lines.is_empty() { first } else { rest };
    let mut start = 0; // start of the current line
    let mut fitted = 0; // end of the last segment that fits on the current line
    let mut summed = 0.0; // width of text[start..fitted], summed segment by segment
    let mut i = 0;
    while i < ends.len() {
        let (end, mandatory) = ends[i];
        let from = if i == 0 { 0 } else { ends[i - 1].0.max(start) };
        let segment = measure.advance(from..end);
        let width = avail(&lines);
        let candidate = trimmed(start..end);
        // The summed advances are at least the line's width: when they fit, the line does. Above
        // the width the line is measured exactly (a closing mark at its end may give back its blank
        // half), but not far above it: a huge run is not measured again and again (quadratic).
        let estimate = summed + segment;
        let fits = candidate.is_empty()
            || estimate <= width
            || (estimate <= width * 1.25 + 1.0 && measure.line(candidate.clone()) <= width);
        if fits {
            fitted = end;
            summed += segment;
            i += 1;
            if mandatory {
                lines.push(candidate);
                start = end;
                fitted = end;
                summed = 0.0;
            }
        } else if fitted > start {
            let cut = measure
                .loose(trimmed(start..fitted), width)
                .then(|| last_resort_cut(text, start, from..end, width, measure))
                .flatten();
            lines.push(cut.map_or_else(|| trimmed(start..fitted), |cut| start..cut));
            // After a cut the rest of the word is the next line's first segment.
            start = cut.unwrap_or(fitted);
            fitted = start;
            summed = 0.0;
        } else {
            // One run alone is wider than the line: cut it, in one pass, at the widest prefixes that
            // fit, keeping the line-start and line-end rules where the run allows.
            let mut line_start = start;
            let mut run_width = 0.0;
            for (j, c) in text[start..end].char_indices() {
                let at = start + j;
                let next = at + c.len_utf8();
                let char_width = measure.advance(at..next);
                if run_width + char_width > avail(&lines) && at > line_start {
                    let cut = forced_cut(&text[line_start..end], at - line_start)
                        .map_or(at, |c| line_start + c);
                    lines.push(trimmed(line_start..cut));
                    // The next line starts at the next visible character.
                    let skipped = text[cut..next].len() - text[cut..next].trim_start().len();
                    line_start = cut + skipped;
                    run_width = measure.advance(line_start..next);
                } else {
                    run_width += char_width;
                }
            }
            start = line_start;
            fitted = end;
            summed = run_width;
            i += 1;
            if mandatory {
                lines.push(trimmed(start..end));
                start = end;
                fitted = end;
                summed = 0.0;
            }
        }
    }
    if start < text.len() && !text[start..].trim_end().is_empty() {
        lines.push(trimmed(start..text.len()));
    }
    avoid_lonely_last_line(text, &mut lines, &ends, rest, measure);
    lines
}

/// The last point of the segment `segment` at which the line from `start` may end as a last resort
/// and still fit `width` (its hyphen included).
fn last_resort_cut(
    text: &str,
    start: usize,
    segment: Range<usize>,
    width: f32,
    measure: &impl Measure,
) -> Option<usize> {
    let word =
        segment.start + (text[segment.clone()].len() - text[segment.clone()].trim_start().len());
    last_resort(text, word..segment.end)
        .into_iter()
        .rev()
        .filter(|&(at, _)| at > word && measure.may_cut(at))
        .find(|&(at, hyphen)| {
            let extra = if hyphen { measure.hyphen() } else { 0.0 };
            measure.line(start..at) + extra <= width
        })
        .map(|(at, _)| at)
}

/// Whether a last line is lonely: it holds at most one character besides closing punctuation ("境。").
pub fn is_lonely(line: &str) -> bool {
    line.chars()
        .filter(|&c| !no_line_start(c) && !c.is_whitespace())
        .count()
        <= 1
}

/// Pulls break opportunities of the next-to-last line down, one at a time, while the last line is
/// lonely and the result still fits (a paragraph's hard line break ends the search).
fn avoid_lonely_last_line(
    text: &str,
    lines: &mut [Range<usize>],
    ends: &[(usize, bool)],
    width: f32,
    measure: &impl Measure,
) {
    let n = lines.len();
    if n < 2 {
        return;
    }
    // Each step moves at least one character down; a few steps are enough for any real line.
    for _ in 0..4 {
        let (prev, last) = (lines[n - 2].clone(), lines[n - 1].clone());
        if !is_lonely(&text[last.clone()]) || text[prev.end..last.start].contains('\n') {
            return;
        }
        let Some(&(at, _)) = ends
            .iter()
            .rev()
            .find(|(at, _)| *at > prev.start && *at < prev.end)
        else {
            return;
        };
        let moved = at..last.end;
        let moved = moved.start..moved.start + text[moved].trim_end().len();
        if measure.line(moved.clone()) > width {
            return;
        }
        lines[n - 2] = prev.start..prev.start + text[prev.start..at].trim_end().len();
        lines[n - 1] = moved;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::breaking::{no_line_end, no_line_start};
    use crate::text::width::columns;

    fn wrap_columns(text: &str, width: usize) -> Vec<&str> {
        wrap(text, width as f32, width as f32, &Columns(text))
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn lines_fit_and_keep_the_rules() {
        let text = "近日，中国医学科学院北京协和医学院的研究人员发现他们发现，在散发性ALS患者体内广泛存在（50%以上的患者）的线粒体呼吸链复合体IV（CIV）缺陷，是导致渐冻症的原因之一。";
        for width in 6..40 {
            let lines = wrap_columns(text, width);
            assert_eq!(lines.concat(), text);
            for l in &lines {
                assert!(columns(l) <= width, "{width}: {l}");
                assert!(!l.starts_with(no_line_start), "{width}: {lines:?}");
                assert!(!l.ends_with(no_line_end), "{width}: {lines:?}");
            }
        }
    }

    #[test]
    fn long_tokens_are_cut_only_when_wider_than_a_line() {
        let lines = wrap_columns("见 10.1007/s12015-020-10016-7 文", 30);
        assert_eq!(lines, vec!["见", "10.1007/s12015-020-10016-7 文"]);
        let long = "x".repeat(25);
        let lines = wrap_columns(&long, 10);
        assert_eq!(lines, vec!["xxxxxxxxxx", "xxxxxxxxxx", "xxxxx"]);
        let mixed = format!("甲乙{}丙", "y".repeat(23));
        let lines = wrap_columns(&mixed, 10);
        assert_eq!(lines, vec!["甲乙", "yyyyyyyyyy", "yyyyyyyyyy", "yyy丙"]);
    }

    #[test]
    fn a_megabyte_without_a_break_is_cut_in_linear_time() {
        let long = "x".repeat(1 << 20);
        let started = std::time::Instant::now();
        let lines = wrap_columns(&long, 72);
        assert_eq!(lines.len(), (1 << 20) / 72 + 1);
        // Generous bound: a quadratic cut takes minutes here; linear takes milliseconds.
        assert!(
            started.elapsed().as_secs() < 20,
            "took {:?}",
            started.elapsed()
        );
    }

    #[test]
    fn no_single_character_last_line() {
        let lines = wrap_columns("甲乙丙丁戊", 8);
        assert_eq!(lines, vec!["甲乙丙", "丁戊"]);
    }

    #[test]
    fn first_line_width_differs() {
        let lines = wrap_columns("甲乙丙丁戊己庚辛", 8);
        assert_eq!(lines, vec!["甲乙丙丁", "戊己庚辛"]);
        let text = "甲乙丙丁戊己庚辛";
        let lines: Vec<&str> = wrap(text, 4.0, 8.0, &Columns(text))
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(lines, vec!["甲乙", "丙丁戊己", "庚辛"]);
    }

    #[test]
    fn newlines_end_lines() {
        assert_eq!(wrap_columns("甲乙\n丙丁", 20), vec!["甲乙", "丙丁"]);
    }
}
