//! Footnotes at the foot of the page whose row holds the marker: under a short rule, smaller than the
//! text, each led by its number. A note that does not fit keeps on its page the part that does and
//! continues at the foot of the next page, before that page's own notes; a row that holds a marker
//! never lands on a page without at least the first line of its note.
//!
//! Pagination (`page`) asks [`Foot`], row by row, whether the notes a row brings still fit below it,
//! and closes each page through it: one pass over the rows, each note's lines handled once.

use std::collections::VecDeque;

use super::document::Row;
use super::page::place_row;
use super::{Geometry, Page, Rule};

/// Size of a note's text.
pub const NOTE_SIZE: f32 = 9.0;
/// Line height of a note, as a multiple of its size.
pub const NOTE_LEADING: f32 = 1.5;
/// The room the rule takes above the first note: space under the body, the rule, space above the
/// note.
const SEPARATOR: f32 = 12.0;
/// Where the rule stands, below the top of the notes' area.
const RULE_DROP: f32 = 6.0;
/// How much of the text block the notes carried over to a page take at its start while the body goes
/// on: the body keeps room for at least half a page (the page's own markers may bring more of them,
/// and what is left fills the page before it closes).
const CARRY_SHARE: f32 = 0.5;

/// A note, set: its number and its rows (the number hanging before the first), all in its /Note
/// structure element.
#[derive(Debug, Clone)]
pub struct SetNote {
    pub number: usize,
    pub rows: Vec<Row>,
}

/// A line of a note: the note's index, and the row's.
type Line = (usize, usize);

/// The notes' area of the page being filled, and the lines that wait for the next page. Every
/// question is answered without going over the lines already handed out, so that pagination stays
/// linear in the article however many notes it has.
pub struct Foot<'a> {
    notes: &'a [SetNote],
    /// Lines set at the foot of this page, in order.
    here: Vec<Line>,
    /// Height of the area: the separator and the lines, or 0 with no line.
    height: f32,
    /// Lines of notes already cited that wait for a later page, in order. A new note starts on a
    /// page only after all of them: its first line may not come before the rest of an earlier note.
    carried: VecDeque<Line>,
    /// Their height.
    carried_height: f32,
    /// Whether each note's lines have been handed out.
    taken: Vec<bool>,
    geometry: Geometry,
}

impl<'a> Foot<'a> {
    pub fn new(notes: &'a [SetNote], geometry: Geometry) -> Foot<'a> {
        Foot {
            geometry,
            notes,
            here: Vec::new(),
            height: 0.0,
            carried: VecDeque::new(),
            carried_height: 0.0,
            taken: vec![false; notes.len()],
        }
    }

    /// The height the notes' area takes on this page.
    pub fn height(&self) -> f32 {
        self.height
    }

    /// Whether no note line is set on this page so far.
    pub fn is_empty(&self) -> bool {
        self.here.is_empty()
    }

    /// Whether every note cited so far has been set.
    pub fn is_done(&self) -> bool {
        self.here.is_empty() && self.carried.is_empty()
    }

    fn line_height(&self, (n, r): Line) -> f32 {
        self.notes[n].rows[r].height
    }

    /// The room the rule takes: only above the first line of a page.
    fn separator(&self) -> f32 {
        if self.here.is_empty() { SEPARATOR } else { 0.0 }
    }

    /// Sets a line at the foot of this page.
    fn set(&mut self, line: Line) {
        self.height += self.separator() + self.line_height(line);
        self.here.push(line);
    }

    /// Sets the first carried line on this page.
    fn set_carried(&mut self) {
        if let Some(line) = self.carried.pop_front() {
            self.carried_height -= self.line_height(line);
            if self.carried.is_empty() {
                // No rounding left over from the sums.
                self.carried_height = 0.0;
            }
            self.set(line);
        }
    }

    /// The lines of the notes a row cites that no page has yet, in order, and how many of them
    /// must stand on the row's page: every line of each note but the last, and the last's first.
    fn new_lines(&self, numbers: &[usize]) -> (Vec<Line>, usize) {
        let mut lines = Vec::new();
        let mut must = 0;
        let mut seen: Vec<usize> = Vec::new();
        for &number in numbers {
            let Ok(n) = self.notes.binary_search_by_key(&number, |s| s.number) else {
                continue;
            };
            if self.taken[n] || seen.contains(&n) {
                continue;
            }
            seen.push(n);
            must = lines.len() + 1;
            lines.extend((0..self.notes[n].rows.len()).map(|r| (n, r)));
        }
        (lines, must)
    }

    /// The least height that notes cited by rows about to be placed add to this page's area: the
    /// lines still carried, then the lines of the new notes that must stand on the page.
    pub fn least(&self, numbers: &[usize]) -> f32 {
        let (lines, must) = self.new_lines(numbers);
        if lines.is_empty() {
            return 0.0;
        }
        let new: f32 = lines[..must].iter().map(|&l| self.line_height(l)).sum();
        self.separator() + self.carried_height + new
    }

    /// Takes onto this page the notes a row cites, the row ending at `bottom`: the lines still
    /// carried, then the new notes' lines, as many as fit, the rest carried to the next page. Takes
    /// nothing and answers false when not even the lines that must stand here fit (with `force`,
    /// takes those anyway).
    pub fn take(&mut self, numbers: &[usize], bottom: f32, force: bool) -> bool {
        let fits = |height: f32| bottom >= self.geometry.bottom + height - 0.01;
        let (lines, must) = self.new_lines(numbers);
        if lines.is_empty() {
            return force || fits(self.height);
        }
        let must = self.carried.len() + must;
        let mut height = self.height + self.separator();
        let mut k = 0;
        for &line in self.carried.iter().chain(&lines) {
            if !fits(height + self.line_height(line)) {
                break;
            }
            height += self.line_height(line);
            k += 1;
        }
        if k < must && !force {
            return false;
        }
        let k = k.max(must);
        for &(n, _) in &lines {
            self.taken[n] = true;
        }
        let from_carried = k.min(self.carried.len());
        for _ in 0..from_carried {
            self.set_carried();
        }
        for (i, &line) in lines.iter().enumerate() {
            if from_carried + i < k {
                self.set(line);
            } else {
                self.carried_height += self.line_height(line);
                self.carried.push_back(line);
            }
        }
        true
    }

    /// Fills the room left under the body, which ends at `bottom`, with lines still carried: a page
    /// closed early (its next row's notes did not fit) leaves no hole while notes wait.
    pub fn fill(&mut self, bottom: f32) {
        while let Some(&line) = self.carried.front() {
            let height = self.height + self.separator() + self.line_height(line);
            if bottom < self.geometry.bottom + height - 0.01 {
                break;
            }
            self.set_carried();
        }
    }

    /// Sets this page's notes at its foot, under the rule, and begins the next page with the lines
    /// carried over: as many as the body leaves room for while it goes on (`body_follows`), at least
    /// one.
    pub fn close(&mut self, page: &mut Page, body_follows: bool) {
        if !self.here.is_empty() {
            let g = self.geometry;
            let top = g.bottom + self.height;
            page.rules.push(Rule {
                x0: g.left,
                x1: g.left + g.width / 3.0,
                y: top - RULE_DROP,
                width: 0.5,
            });
            let mut y = top - SEPARATOR;
            for &(n, r) in &self.here {
                let row = &self.notes[n].rows[r];
                place_row(row, y, page, &g);
                y -= row.height;
            }
        }
        self.here.clear();
        self.height = 0.0;
        let share = if body_follows { CARRY_SHARE } else { 1.0 };
        let limit = share * self.geometry.block_height();
        while let Some(&line) = self.carried.front() {
            let height = self.height + self.separator() + self.line_height(line);
            if !self.here.is_empty() && height > limit {
                break;
            }
            self.set_carried();
        }
    }
}
