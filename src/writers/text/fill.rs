//! Lines of plain text: filled by the shared clreq rules, measured in display columns, and placed
//! left, right or centred in a given width.

use crate::model::Align;
use crate::text::width::columns;
use crate::text::wrap::{Columns, wrap};

/// `text` filled into lines `width` columns wide, `first` before the first line and `hang` before the
/// others (both count in the width). Text that fills no line at all gives one line: `first`, trimmed.
pub fn fill(text: &str, first: &str, hang: &str, width: usize) -> Vec<String> {
    let (fw, hw) = (columns(first), columns(hang));
    let avail = |w: usize| (width.saturating_sub(w)).max(2) as f32;
    let lines = wrap(text, avail(fw), avail(hw), &Columns(text));
    if lines.is_empty() {
        return vec![first.trim_end().to_string()];
    }
    lines
        .into_iter()
        .enumerate()
        .map(|(i, r)| format!("{}{}", if i == 0 { first } else { hang }, &text[r]))
        .collect()
}

/// `text` placed in `width` columns, padded with spaces on both sides as `align` says (a number
/// column's text that is not aligned on its point is centred).
pub fn place(text: &str, width: usize, align: Align) -> String {
    let spare = width.saturating_sub(columns(text));
    let before = match align {
        Align::Left => 0,
        Align::Right => spare,
        Align::Center | Align::Decimal => spare / 2,
    };
    format!("{}{text}{}", " ".repeat(before), " ".repeat(spare - before))
}

/// A light rule (─, two columns each on a Chinese terminal) as wide as it can be in `width` columns.
pub fn rule(width: usize) -> String {
    "─".repeat(width / columns("─"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_pads_to_the_width_by_alignment() {
        assert_eq!(place("甲乙", 8, Align::Left), "甲乙    ");
        assert_eq!(place("甲乙", 8, Align::Right), "    甲乙");
        assert_eq!(place("甲乙", 9, Align::Center), "  甲乙   ");
        assert_eq!(place("甲乙丙丁戊", 8, Align::Right), "甲乙丙丁戊");
    }

    #[test]
    fn rules_fit_their_width_in_display_columns() {
        assert_eq!(columns(&rule(10)), 10);
        assert_eq!(columns(&rule(11)), 10);
        assert_eq!(rule(1), "");
    }

    #[test]
    fn text_hangs_after_its_lead() {
        assert_eq!(fill("", "[1] ", "    ", 20), vec!["[1] "]);
        assert_eq!(
            fill("甲乙丙丁戊己庚辛", "> ", "  ", 10),
            vec!["> 甲乙丙丁", "  戊己庚辛"]
        );
    }
}
