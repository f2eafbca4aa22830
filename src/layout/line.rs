//! Setting one paragraph: styled spans shaped, broken into lines by the shared clreq rules
//! (`text::wrap`), and each line positioned: 1/4 em between Han and Latin, adjacent full-width marks
//! squeezed, slack spread between CJK characters and at Latin spaces (the last line is not justified).
//! A note's marker stays with the text before it: no gap, no slack, no break before it.

use crate::Error;
use crate::fonts::Face;
use crate::runs::Script;
use crate::text::breaking::{last_resort, no_line_end, no_line_start};
use crate::text::emphasis;
use crate::text::title;
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
    /// A marker held to the text before it, as a note's is (a link's 链N).
    pub glued: bool,
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
            glued: false,
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
    let measure = LineMeasure {
        shaped: &shaped,
        spans,
        em,
        justify,
    };
    let ranges = wrap(&shaped.text, first, rest, &measure);
    let count = ranges.len();
    let mut lines = Vec::with_capacity(count);
    for (n, range) in ranges.into_iter().enumerate() {
        let available = if n == 0 { first } else { rest };
        let hyphen = match shaped.hyphenated(range.end) {
            Some(span) => Some(hyphen_glyph(shaper, &spans[span])?),
            None => None,
        };
        let justified = justify && n + 1 < count;
        lines.push(shaped.set_line(spans, range, available, justified, em, hyphen));
    }
    Ok(lines)
}

/// A hyphen where a line ends inside an English word: the span's own hyphen glyph, its text the soft
/// hyphen (U+00AD), so that copied text joins the word again.
#[derive(Debug, Clone, Copy)]
struct Hyphen {
    id: u16,
    advance: f32,
}

fn hyphen_glyph(shaper: &mut Shaper, span: &Piece<'_>) -> Result<Hyphen, Error> {
    let scale = span.size / shaper.upem(span.face)?;
    let shaped = shaper.shape_forms(span.face, "-", span.forms)?;
    let (id, advance) = shaped
        .first()
        .map_or((0, 0.0), |g| (g.id, g.advance as f32 * scale));
    Ok(Hyphen { id, advance })
}

/// The most space justification may add: 0.1 em between CJK characters, 0.5 em at a Latin word
/// space (on top of the space itself). A line that would need more is loose: it may end at a last
/// resort inside the next word (an identifier's "+", "/", "-", an English hyphenation point).
pub const LOOSE_CJK: f32 = 0.1;
pub const LOOSE_SPACE: f32 = 0.5;

/// Sets a title or subtitle: its lines balanced at phrase and word boundaries by the shared rule
/// (`text::title`), measured by the glyph advances, none justified.
pub fn set_balanced(
    shaper: &mut Shaper,
    spans: &[Span],
    width: f32,
) -> Result<Vec<SetLine>, Error> {
    let em = spans.iter().map(|s| s.size).fold(0.0, f32::max);
    let pieces = inline::pieces(shaper, spans)?;
    let spans = &pieces[..];
    let shaped = Shaped::new(shaper, spans)?;
    Ok(shaped
        .balanced(spans, width, em)
        .into_iter()
        .map(|range| shaped.set_line(spans, range, width, false, em, None))
        .collect())
}

/// Where [`set_balanced`] breaks the spans: the byte range of each line in their joined text.
pub fn balanced_ranges(
    shaper: &mut Shaper,
    spans: &[Span],
    width: f32,
) -> Result<Vec<std::ops::Range<usize>>, Error> {
    let em = spans.iter().map(|s| s.size).fold(0.0, f32::max);
    let pieces = inline::pieces(shaper, spans)?;
    let shaped = Shaped::new(shaper, &pieces)?;
    Ok(shaped.balanced(&pieces, width, em))
}

impl Shaped {
    /// The lines of a title `width` wide, by the shared rule.
    fn balanced(&self, spans: &[Piece<'_>], width: f32, em: f32) -> Vec<std::ops::Range<usize>> {
        let measure = LineMeasure {
            shaped: self,
            spans,
            em,
            justify: false,
        };
        title::lines(&self.text, width, em, &measure)
    }
}

/// The shaped paragraph measured for line filling.
struct LineMeasure<'a> {
    shaped: &'a Shaped,
    spans: &'a [Piece<'a>],
    em: f32,
    justify: bool,
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

    fn loose(&self, range: std::ops::Range<usize>, width: f32) -> bool {
        if !self.justify {
            return false;
        }
        let (a, b) = self.shaped.clusters_of(range.start, range.end);
        self.shaped
            .added_space(a, b, width, self.spans)
            .is_some_and(|(extra, cjk)| extra > self.em * if cjk { LOOSE_CJK } else { LOOSE_SPACE })
    }

    fn hyphen(&self) -> f32 {
        // Noto's hyphens are a third of an em or less; the glyph itself is set when the line is.
        self.em * 0.4
    }

    fn may_cut(&self, at: usize) -> bool {
        matches!(self.shaped.starts.binary_search(&at), Ok(i) if !self.shaped.markers[i])
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
        hyphen: Option<Hyphen>,
    ) -> SetLine {
        let text = &self.text;
        let (mut a, b) = self.clusters_of(range.start, range.end);
        while a < b && self.first_char(a).is_whitespace() {
            a += 1;
        }
        let natural = self.line_width(a, b, spans) + hyphen.map_or(0.0, |h| h.advance);
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
        if let (Some(h), Some(last)) = (hyphen, b.checked_sub(1)) {
            let span = &spans[self.clusters[last].span];
            line.glyphs.push(Glyph {
                id: h.id,
                x,
                y: span.rise,
                face: span.face,
                size: span.size,
                advance: h.advance,
                text: "\u{ad}".into(),
                element: 0,
                link: matches!(span.link, Some(Target::Url(_))),
            });
            x += h.advance;
        }
        line.width = x;
        line
    }

    /// The span of the last cluster of a line that ends at byte `end` at a hyphenation point of an
    /// English word, which then takes a hyphen (a word cut only because it is wider than the line
    /// takes none: no room was kept for one).
    fn hyphenated(&self, end: usize) -> Option<usize> {
        let letter = |c: char| c.is_ascii_alphabetic();
        let (head, tail) = self.text.split_at(end);
        let start = head.trim_end_matches(letter).len();
        let stop = self.text.len() - tail.trim_start_matches(letter).len();
        if start == end || stop == end {
            return None;
        }
        if !last_resort(&self.text, start..stop).contains(&(end, true)) {
            return None;
        }
        let i = self.starts.partition_point(|&s| s < end).checked_sub(1)?;
        Some(self.clusters[i].span)
    }

    /// The space justification would add at each stretch point of the clusters a..b set `width`
    /// wide, and whether any point is next to CJK; none when nothing can stretch.
    fn added_space(
        &self,
        a: usize,
        b: usize,
        width: f32,
        spans: &[Piece<'_>],
    ) -> Option<(f32, bool)> {
        let mut a = a;
        while a < b && self.first_char(a).is_whitespace() {
            a += 1;
        }
        let points = (a + 1..b).filter(|&i| self.stretchable(i)).count();
        if points == 0 {
            return None;
        }
        let slack = width - self.line_width(a, b, spans);
        let cjk = (a + 1..b).any(|i| self.stretchable(i) && !self.last_char(i - 1).is_whitespace());
        Some((slack / points as f32, cjk))
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
                    link: matches!(span.link, Some(Target::Url(_))),
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
