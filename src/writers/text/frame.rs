//! Quotes and asides in plain text: a quote hangs behind a bar ("│ ") with its source right-aligned on
//! its last lines; an aside is framed in a box drawn with box-drawing characters, its label in the top
//! rule, its content filled to fit inside.
//!
//! The box is measured as the rest of the handout is, with box-drawing characters two columns wide
//! (East Asian Ambiguous, as a Chinese terminal sets them): on a terminal that sets them one column
//! wide its right edge is still straight on every content line, and only the top and bottom rules come
//! out shorter.

use crate::model::Align;
use crate::text::width::columns;

use super::fill::{fill, place};

const BAR: &str = "│ ";
const LEFT: &str = "│ ";
const RIGHT: &str = " │";

/// The lines of a quote: each paragraph filled behind the bar, paragraphs set apart by a bare bar,
/// the source line ("——…") after them, right-aligned.
pub fn quote(paragraphs: &[String], source: Option<&str>, width: usize) -> Vec<String> {
    let inside = width.saturating_sub(columns(BAR));
    let mut out = Vec::new();
    for (i, p) in paragraphs.iter().enumerate() {
        if i > 0 {
            out.push(BAR.trim_end().to_string());
        }
        out.extend(fill(p, BAR, BAR, width));
    }
    if let Some(source) = source {
        for line in fill(source, "", "", inside) {
            out.push(format!("{BAR}{}", place(&line, inside, Align::Right)));
        }
    }
    out
}

/// The width of the text inside an aside's frame when the handout is `width` columns wide: the frame
/// takes "│ " and " │", and the width inside is even so that the rules (two columns a piece) close
/// the box exactly.
pub fn inner_width(width: usize) -> usize {
    let inner = width.saturating_sub(columns(LEFT) + columns(RIGHT));
    inner - inner % 2
}

/// `content` (lines at most `inner` columns wide) framed in a box with `label` in its top rule.
pub fn frame(label: &str, content: &[String], inner: usize) -> Vec<String> {
    let dash = columns("─");
    // The box's rules are as wide as a content line: "│ " + inner + " │".
    let rule_room = inner + columns(LEFT) + columns(RIGHT) - columns("┌") - columns("┐");
    let lead = format!("─ {label} ");
    let room_after = rule_room.checked_sub(columns(&lead)).filter(|&r| r >= dash);
    let mut out = Vec::with_capacity(content.len() + 3);
    let mut lines: Vec<String> = Vec::new();
    match room_after {
        Some(after) => out.push(format!(
            "┌{lead}{}{}┐",
            " ".repeat(after % dash),
            "─".repeat(after / dash)
        )),
        // A label too long for the rule heads the content instead.
        None => {
            out.push(format!("┌{}┐", "─".repeat(rule_room / dash)));
            lines.extend(fill(label, "", "", inner));
        }
    }
    lines.extend(trim_blank(content).iter().cloned());
    for line in lines {
        let pad = inner.saturating_sub(columns(&line));
        out.push(format!("{LEFT}{line}{}{RIGHT}", " ".repeat(pad)));
    }
    out.push(format!("└{}┘", "─".repeat(rule_room / dash)));
    out
}

/// The lines without the blank lines that start or end them.
fn trim_blank(lines: &[String]) -> &[String] {
    let start = lines.iter().position(|l| !l.trim().is_empty());
    let end = lines.iter().rposition(|l| !l.trim().is_empty());
    match (start, end) {
        (Some(s), Some(e)) => &lines[s..=e],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_of_a_frame_is_as_wide_and_the_label_sits_in_the_top_rule() {
        for width in [20, 21, 40, 72] {
            let inner = inner_width(width);
            let content = fill("定期复查，按时服药，家属陪同就诊。", "", "", inner);
            let framed = frame("温馨提示", &content, inner);
            assert!(framed[0].starts_with("┌─ 温馨提示 "), "{framed:?}");
            assert!(framed.last().is_some_and(|l| l.starts_with('└')));
            for line in &framed {
                assert_eq!(columns(line), inner + 6, "width {width}: {line:?}");
                assert!(columns(line) <= width);
            }
        }
    }

    #[test]
    fn an_odd_label_keeps_the_frame_closed_and_a_long_one_goes_inside() {
        let content = vec!["内容".to_string()];
        let framed = frame("Tips", &content, 20);
        assert!(framed.iter().all(|l| columns(l) == 26), "{framed:?}");
        let framed = frame("一个非常非常长的标签", &content, 14);
        assert!(framed.iter().all(|l| columns(l) == 20), "{framed:?}");
        assert_eq!(framed[1], "│ 一个非常非常长 │");
        assert_eq!(framed[2], "│ 的标签         │");
    }

    #[test]
    fn blank_lines_around_the_content_are_dropped() {
        let content = vec![String::new(), "甲".to_string(), String::new()];
        assert_eq!(frame("要点", &content, 8).len(), 3);
    }

    #[test]
    fn a_quote_hangs_behind_a_bar_with_its_source_right_aligned() {
        let out = quote(
            &["第一段。".to_string(), "第二段。".to_string()],
            Some("——《指南》"),
            24,
        );
        assert_eq!(out[0], "│ 第一段。");
        assert_eq!(out[1], "│");
        assert_eq!(out[2], "│ 第二段。");
        assert_eq!(out[3], format!("│ {}——《指南》", " ".repeat(21 - 12)));
        assert!(out.iter().all(|l| columns(l) <= 24));
    }
}
