//! Setting one paragraph: styled spans shaped, broken into lines by the shared clreq rules
//! (`text::wrap`), and each line positioned: 1/4 em between Han and Latin, adjacent full-width marks
//! squeezed, slack spread between CJK characters and at Latin spaces (the last line is not justified).
//! A note's marker stays with the text before it: no gap, no slack, no break before it.

use crate::Error;
use crate::fonts::Face;
use crate::runs::Script;
use crate::text::breaking::{no_line_end, no_line_start};
use crate::text::emphasis;
use crate::text::wrap::{Measure, wrap};
use crate::text::{is_cjk, is_cjk_quote_or_dash, is_full_width_mark, is_han};

use super::inline::{self, DOT_DROP, DOT_RADIUS, Piece};
use super::shaper::Shaper;
use super::{Dot, Glyph, Target};

/// A stretch of text in one face and size.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub text: String,
    pub face: Face,
    pub size: f32,
    /// Baseline shift (citation labels are raised).
    pub rise: f32,
    pub link: Option<Target>,
    /// Superscript or subscript (`inline` sets it).
    pub script: Script,
    /// Emphasis: dots under Han, the italic over Latin where the face has one (`inline` sets it).
    pub emph: bool,
}

impl Span {
    /// Text in one face and size, on the baseline, linking nowhere.
    pub fn plain(text: impl Into<String>, face: Face, size: f32) -> Span {
        Span {
            text: text.into(),
            face,
            size,
            rise: 0.0,
            link: None,
            script: Script::Normal,
            emph: false,
        }
    }
}

/// A set line: glyphs with x from the line's start and y from its baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct SetLine {
    pub glyphs: Vec<Glyph>,
    /// Linked stretches: x from, x to, target.
    pub links: Vec<(f32, f32, Target)>,
    /// The width the glyphs take, slack included when justified.
    pub width: f32,
    /// The width the line was filled to.
    pub available: f32,
    pub justified: bool,
    /// The line's text (for tests and checks).
    pub text: String,
    /// The notes whose markers the line holds, in order.
    pub notes: Vec<usize>,
    /// Emphasis dots, x from the line's start and y from its baseline.
    pub dots: Vec<Dot>,
}

impl SetLine {
    /// A line with nothing on it.
    pub fn empty(available: f32) -> SetLine {
        SetLine {
            glyphs: Vec::new(),
            links: Vec::new(),
            width: 0.0,
            available,
            justified: false,
            text: String::new(),
            notes: Vec::new(),
            dots: Vec::new(),
        }
    }
}

/// One cluster: the glyphs that set a piece of the text.
struct Cluster {
    start: usize,
    end: usize,
    /// Index of its piece.
    span: usize,
    /// Glyph id, x offset, y offset, advance: in pt.
    glyphs: Vec<(u16, f32, f32, f32)>,
    advance: f32,
    /// Extra space before this cluster (Han next to Latin).
    gap_before: f32,
}

/// Closing marks whose glyph sits in the left half of its em box (Simplified Chinese forms), so the
/// right half can be squeezed out when another full-width mark follows.
fn is_closing(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '）'
            | '」'
            | '』'
            | '”'
            | '’'
            | '》'
            | '】'
            | '〕'
            | '〗'
            | '〉'
    )
}

/// Letters and digits of a Latin run, and the signs that end a number ("3%出现" takes the gap too).
fn is_latin(c: char) -> bool {
    (c.is_alphanumeric() && !is_cjk(c)) || matches!(c, '%' | '‰')
}

/// The paragraph, shaped, with prefix sums that make measuring any substring cheap.
struct Shaped {
    text: String,
    clusters: Vec<Cluster>,
    starts: Vec<usize>,
    /// Whether each cluster belongs to a note's marker.
    markers: Vec<bool>,
    advance_sum: Vec<f32>,
    gap_sum: Vec<f32>,
}

impl Shaped {
    fn new(shaper: &mut Shaper, spans: &[Piece<'_>]) -> Result<Shaped, Error> {
        let mut text = String::new();
        let mut clusters: Vec<Cluster> = Vec::new();
        for (s, span) in spans.iter().enumerate() {
            let base = text.len();
            text.push_str(span.text);
            let scale = span.size / shaper.upem(span.face)?;
            for g in shaper.shape_forms(span.face, span.text, span.forms)? {
                let start = base + g.cluster;
                let glyph = (
                    g.id,
                    g.x_offset as f32 * scale,
                    g.y_offset as f32 * scale + span.rise,
                    g.advance as f32 * scale,
                );
                match clusters.last_mut() {
                    Some(c) if c.start == start && c.span == s => {
                        c.advance += glyph.3;
                        c.glyphs.push(glyph);
                    }
                    _ => clusters.push(Cluster {
                        start,
                        end: start,
                        span: s,
                        glyphs: vec![glyph],
                        advance: glyph.3,
                        gap_before: 0.0,
                    }),
                }
            }
        }
        let n = clusters.len();
        for i in 0..n {
            clusters[i].end = clusters.get(i + 1).map_or(text.len(), |c| c.start);
        }
        for i in 1..n {
            let (a, b) = (&clusters[i - 1], &clusters[i]);
            let last = text[a.start..a.end].chars().next_back().unwrap_or(' ');
            let next = text[b.start..b.end].chars().next().unwrap_or(' ');
            let em = spans[a.span].size.min(spans[b.span].size);
            let marker = spans[a.span].is_note_marker() || spans[b.span].is_note_marker();
            if !marker && ((is_han(last) && is_latin(next)) || (is_latin(last) && is_han(next))) {
                clusters[i].gap_before = em / 4.0;
            }
            // Only a mark set a full em wide has a blank half to give (quotes may be proportional).
            let size = spans[clusters[i - 1].span].size;
            if is_closing(last)
                && (is_full_width_mark(next) || is_cjk_quote_or_dash(next))
                && clusters[i - 1].advance > 0.75 * size
            {
                clusters[i - 1].advance -= size / 2.0;
            }
        }
        let starts = clusters.iter().map(|c| c.start).collect();
        let markers = clusters
            .iter()
            .map(|c| spans[c.span].is_note_marker())
            .collect();
        let mut advance_sum = vec![0.0];
        let mut gap_sum = vec![0.0];
        for c in &clusters {
            advance_sum.push(advance_sum.last().copied().unwrap_or(0.0) + c.advance);
            gap_sum.push(gap_sum.last().copied().unwrap_or(0.0) + c.gap_before);
        }
        Ok(Shaped {
            text,
            clusters,
            starts,
            markers,
            advance_sum,
            gap_sum,
        })
    }

    /// The clusters of a byte range.
    fn clusters_of(&self, from: usize, to: usize) -> (usize, usize) {
        let a = self.starts.partition_point(|&s| s < from);
        let b = self.starts.partition_point(|&s| s < to);
        (a, b.max(a))
    }

    /// Width of the clusters a..b, the gaps between them included (none before the first).
    fn width(&self, a: usize, b: usize) -> f32 {
        if b <= a {
            return 0.0;
        }
        let advances = self.advance_sum[b] - self.advance_sum[a];
        let gaps = self.gap_sum[b] - self.gap_sum[a + 1];
        advances + gaps
    }

    /// What a closing mark ending a line gives back: the blank half of its em box (clreq sets
    /// line-end stops and commas half width), so that its ink, not its box, meets the right edge.
    fn end_trim(&self, i: usize, spans: &[Piece<'_>]) -> f32 {
        let c = &self.clusters[i];
        let size = spans[c.span].size;
        if is_closing(self.last_char(i)) && c.advance > 0.75 * size {
            size / 2.0
        } else {
            0.0
        }
    }

    /// Width of the clusters a..b set as a line.
    fn line_width(&self, a: usize, b: usize, spans: &[Piece<'_>]) -> f32 {
        if b <= a {
            return 0.0;
        }
        self.width(a, b) - self.end_trim(b - 1, spans)
    }

    /// Width of the clusters a..b inside a line, with the gap that joins a to the cluster before it:
    /// consecutive ranges add up to the width of the whole.
    fn advance(&self, a: usize, b: usize) -> f32 {
        if b <= a {
            return 0.0;
        }
        self.width(a, b) + self.gap_sum[a + 1] - self.gap_sum[a]
    }

    fn first_char(&self, i: usize) -> char {
        let c = &self.clusters[i];
        self.text[c.start..c.end].chars().next().unwrap_or(' ')
    }

    fn last_char(&self, i: usize) -> char {
        let c = &self.clusters[i];
        self.text[c.start..c.end].chars().next_back().unwrap_or(' ')
    }

    /// Whether slack may go between clusters i-1 and i: next to CJK (not before a closing mark, not
    /// after an opening one, not before a note's marker) or after a space.
    fn stretchable(&self, i: usize) -> bool {
        if self.markers[i] {
            return false;
        }
        let (prev, next) = (self.last_char(i - 1), self.first_char(i));
        if prev.is_whitespace() {
            return !next.is_whitespace();
        }
        (is_cjk(prev) || is_cjk(next))
            && !no_line_start(next)
            && !no_line_end(prev)
            && !next.is_whitespace()
    }
}

/// Sets a paragraph: the first line `first` wide, the others `rest` wide; `justify` spreads the slack
/// of every line but the last and those ended by a newline.
pub fn set(
    shaper: &mut Shaper,
    spans: &[Span],
    first: f32,
    rest: f32,
    justify: bool,
) -> Result<Vec<SetLine>, Error> {
    // The paragraph's em: its text size (citation labels are smaller).
    let em = spans.iter().map(|s| s.size).fold(0.0, f32::max);
    let pieces = inline::pieces(shaper, spans)?;
    let spans = &pieces[..];
    let shaped = Shaped::new(shaper, spans)?;
    let ranges = wrap(
        &shaped.text,
        first,
        rest,
        &LineMeasure {
            shaped: &shaped,
            spans,
        },
    );
    let count = ranges.len();
    Ok(ranges
        .into_iter()
        .enumerate()
        .map(|(n, range)| {
            let available = if n == 0 { first } else { rest };
            shaped.set_line(spans, range, available, justify && n + 1 < count, em)
        })
        .collect())
}

/// The shaped paragraph measured for line filling.
struct LineMeasure<'a> {
    shaped: &'a Shaped,
    spans: &'a [Piece<'a>],
}

impl Measure for LineMeasure<'_> {
    fn line(&self, range: std::ops::Range<usize>) -> f32 {
        let (a, b) = self.shaped.clusters_of(range.start, range.end);
        self.shaped.line_width(a, b, self.spans)
    }

    fn advance(&self, range: std::ops::Range<usize>) -> f32 {
        let (a, b) = self.shaped.clusters_of(range.start, range.end);
        self.shaped.advance(a, b)
    }

    fn may_break(&self, at: usize) -> bool {
        match self.shaped.starts.binary_search(&at) {
            Ok(i) => !self.shaped.markers[i],
            Err(_) => true,
        }
    }
}

impl Shaped {
    /// One line of the paragraph: its clusters placed, the slack spread when it may be justified and
    /// is not ended by a newline.
    fn set_line(
        &self,
        spans: &[Piece<'_>],
        range: std::ops::Range<usize>,
        available: f32,
        may_justify: bool,
        em: f32,
    ) -> SetLine {
        let text = &self.text;
        let (mut a, b) = self.clusters_of(range.start, range.end);
        while a < b && self.first_char(a).is_whitespace() {
            a += 1;
        }
        let natural = self.line_width(a, b, spans);
        let ended_by_newline = text[range.end..]
            .trim_start_matches([' ', '\t'])
            .starts_with('\n');
        let stretch_points = (a + 1..b).filter(|&i| self.stretchable(i)).count();
        let slack = available - natural;
        let extra = slack / stretch_points.max(1) as f32;
        // Spaces between Latin words may open by half an em at most, gaps next to CJK by one em:
        // wider, the line is better left ragged than full of holes.
        let cjk_points =
            (a + 1..b).any(|i| self.stretchable(i) && !self.last_char(i - 1).is_whitespace());
        let limit = if cjk_points { em } else { em / 2.0 };
        let justified =
            may_justify && !ended_by_newline && stretch_points > 0 && slack > 0.0 && extra <= limit;
        let extra = if justified { extra } else { 0.0 };
        let mut line = SetLine {
            glyphs: Vec::new(),
            links: Vec::new(),
            width: 0.0,
            available,
            justified,
            text: text[range].trim_start().to_string(),
            notes: Vec::new(),
            dots: Vec::new(),
        };
        let mut x = 0.0;
        for i in a..b {
            if i > a {
                x += self.clusters[i].gap_before;
                if justified && self.stretchable(i) {
                    x += extra;
                }
            }
            x += self.place(&mut line, spans, i, a..b, x);
        }
        line.width = x;
        line
    }

    /// Places cluster `i` of the line `line_clusters` at `x`: its glyphs, its emphasis dot, its part
    /// of a link, its note. Returns its advance (less the blank trimmed at the line's end).
    fn place(
        &self,
        line: &mut SetLine,
        spans: &[Piece<'_>],
        i: usize,
        line_clusters: std::ops::Range<usize>,
        x: f32,
    ) -> f32 {
        let c = &self.clusters[i];
        let span = &spans[c.span];
        let cluster_text = &self.text[c.start..c.end];
        let trim = if i + 1 == line_clusters.end {
            self.end_trim(i, spans)
        } else {
            0.0
        };
        let advance_here = c.advance - trim;
        // Spaces are drawn too (a blank glyph), so that copied text keeps them.
        if !cluster_text.trim().is_empty() || cluster_text == " " {
            let mut pen = x;
            // The blank given up (squeeze, line-end trim) comes off the last glyph's advance.
            let given_up: f32 = c.glyphs.iter().map(|g| g.3).sum::<f32>() - advance_here;
            let last = c.glyphs.len().saturating_sub(1);
            for (k, &(id, dx, dy, advance)) in c.glyphs.iter().enumerate() {
                line.glyphs.push(Glyph {
                    id,
                    x: pen + dx,
                    y: dy,
                    face: span.face,
                    size: span.size,
                    advance: if k == last {
                        advance - given_up
                    } else {
                        advance
                    },
                    text: if k == 0 {
                        cluster_text.to_string()
                    } else {
                        String::new()
                    },
                    element: 0,
                });
                pen += advance;
            }
        }
        let takes_dot = || emphasis::mark(self.first_char(i)) == Some(emphasis::Mark::Dot);
        if span.dots && takes_dot() {
            line.dots.push(Dot {
                x: x + advance_here / 2.0,
                y: span.rise - DOT_DROP * span.size,
                radius: DOT_RADIUS * span.size,
            });
        }
        if let Some(&Target::Note(n)) = span.link
            && !line.notes.contains(&n)
        {
            line.notes.push(n);
        }
        if let Some(target) = span.link {
            let continues =
                i > line_clusters.start && spans[self.clusters[i - 1].span].link == Some(target);
            match line.links.last_mut() {
                Some((_, to, t)) if t == target && continues => *to = x + advance_here,
                _ => line.links.push((x, x + advance_here, target.clone())),
            }
        }
        advance_here
    }
}

/// The narrowest the spans can be set without cutting a word: the widest piece between two break
/// opportunities (a table column's minimum width).
pub fn min_width(shaper: &mut Shaper, spans: &[Span]) -> Result<f32, Error> {
    let pieces = inline::pieces(shaper, spans)?;
    let spans = &pieces[..];
    let shaped = Shaped::new(shaper, spans)?;
    let text = shaped.text.as_str();
    let mut widest: f32 = 0.0;
    let mut start = 0;
    let ends = crate::text::breaking::opportunities(text)
        .into_iter()
        .map(|(at, _)| at);
    for end in ends.chain([text.len()]) {
        let piece = &text[start..end];
        let from = start + (piece.len() - piece.trim_start().len());
        let to = start + piece.trim_end().len();
        if from < to {
            let (a, b) = shaped.clusters_of(from, to);
            widest = widest.max(shaped.line_width(a, b, spans));
        }
        start = end;
    }
    Ok(widest)
}
