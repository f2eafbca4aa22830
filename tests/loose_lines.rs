//! Loose lines, measured on the laid-out pages as a reader's eye would: in a justified line, the
//! space added between two CJK characters (or between CJK and Latin, beyond the quarter em set there
//! on purpose) may not exceed 0.1 em, and a Latin word space may not open by more than 0.5 em. A line
//! that would need more ends at a last resort inside the next word instead: after "+", "/" or "-" in
//! an identifier, or at an English hyphenation point (a hyphen that copies as nothing).

mod common;

use common::*;
use handout::Options;
use handout::layout::{Glyph, Page};

/// The extra space between two neighbouring glyphs of a line, beyond what the setter puts there on
/// purpose, in ems; none when the pair is not a stretch point of a justified line.
fn added(prev: &Glyph, next: &Glyph) -> Option<(f32, &'static str)> {
    let gap = next.x - (prev.x + prev.advance);
    let em = prev.size;
    let (p, n) = (prev.text.chars().next_back()?, next.text.chars().next()?);
    let cjk = |c: char| handout::text::is_cjk(c);
    let han = |c: char| handout::text::is_han(c);
    // As the layout counts them: letters and digits of any script but CJK, and the signs of a number.
    let latin = |c: char| (c.is_alphanumeric() && !cjk(c)) || matches!(c, '%' | '‰');
    if p == ' ' {
        return Some((gap / em, "space"));
    }
    if han(p) && latin(n) || latin(p) && han(n) {
        return Some((gap / em - 0.25, "cjk"));
    }
    if cjk(p) || cjk(n) {
        return Some((gap / em, "cjk"));
    }
    None
}

/// The justified lines of a page, each as its glyphs: glyphs are placed line by line, left to
/// right, so a line ends where x goes back; a line is justified when it reaches the right edge of
/// the text block (a paragraph's last line, a centred or ragged line, does not).
fn lines(page: &Page) -> Vec<Vec<&Glyph>> {
    let mut out: Vec<Vec<&Glyph>> = Vec::new();
    for g in &page.glyphs {
        match out.last_mut() {
            Some(line)
                if line
                    .last()
                    .is_some_and(|l| g.x > l.x && (l.y - g.y).abs() < 8.0) =>
            {
                line.push(g)
            }
            _ => out.push(vec![g]),
        }
    }
    let right = handout::layout::Geometry::default().right();
    out.retain(|line| line.last().is_some_and(|g| g.x + g.advance > right - 1.0));
    out
}

/// Every loose line of an article's PDF: its text and its worst added space.
fn loose_lines(path: &str) -> Vec<String> {
    loose_lines_on(path, handout::style::Paper::A4)
}

fn loose_lines_on(path: &str, paper: handout::style::Paper) -> Vec<String> {
    let source = handout::load(&root().join(path)).expect("loads");
    // (`root().join` keeps an absolute path as it is.)
    let options = Options {
        style: std::sync::Arc::new(handout::style::Style::for_paper(paper)),
        ..Options::default()
    };
    let doc = handout::writers::pdf::lay_out(&source.article, &options).expect("lays out");
    let mut out = Vec::new();
    for (n, page) in doc.pages.iter().enumerate() {
        for line in lines(page) {
            // A list marker ("一、", "1.", "•") hangs before its text, a fixed gap apart.
            let marker = line
                .iter()
                .take(4)
                .position(|g| g.text == "•" || g.text.ends_with('、') || g.text.ends_with('.'))
                .map_or(0, |i| i + 1);
            let worst = line
                .windows(2)
                .skip(marker)
                // Body text against body text, on one baseline (not a script, not a note's marker).
                .filter(|w| {
                    w[0].size == w[1].size && (w[0].y - w[1].y).abs() < 0.01 && w[0].size > 10.0
                })
                .filter_map(|w| added(w[0], w[1]))
                .filter(|&(extra, kind)| extra > if kind == "space" { 0.5 } else { 0.1 } + 0.005)
                .map(|(extra, _)| extra)
                .fold(0.0f32, f32::max);
            if worst > 0.0 {
                let text: String = line.iter().map(|g| g.text.as_str()).collect();
                out.push(format!("page {}: {worst:.2} em: {text}", n + 1));
            }
        }
    }
    out
}

#[test]
fn no_line_of_the_seed_is_loose() {
    let loose = loose_lines("source/article.json");
    assert!(loose.is_empty(), "{}", loose.join("\n"));
}

/// One line of the rich article stays a hair over the limit (0.11 em): it ends with "《美国医学会
/// 杂志》" and the next word, "（JAMA）", can be neither split nor squeezed in. Only full-width
/// punctuation compression (clreq's 标点挤压 inside a line), which the layout does not do, would
/// take it; any other loose line fails here.
#[test]
fn the_rich_article_has_one_known_loose_line() {
    let loose = loose_lines("source/alzheimer-blood-test.json");
    assert!(loose.len() <= 1, "{}", loose.join("\n"));
    assert!(
        loose
            .iter()
            .all(|l| l.contains("0.11 em") && l.ends_with("《美国医学会杂志》")),
        "{loose:?}"
    );
}

/// English text justifies without wide word spaces: words are hyphenated where a line would be loose.
#[test]
fn an_english_paragraph_has_no_wide_word_spaces() {
    let text = "Blood tests for the early signs of Alzheimer's disease measure phosphorylated tau \
                and the amyloid ratio; their accuracy approaches that of cerebrospinal fluid \
                analysis and positron emission tomography in specialised memory clinics. "
        .repeat(4);
    let source = format!(
        r#"{{"meta": {{"title": "Test", "author": "Author", "lang": "en"}}, "blocks": [{{"paragraph": ["{text}"]}}],
            "disclaimer": {{"label": "Disclaimer", "paragraphs": [["For information only."]]}}}}"#
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("en.json");
    std::fs::write(&path, source).expect("write");
    let loose = loose_lines(path.to_str().expect("UTF-8 path"));
    assert!(loose.is_empty(), "{}", loose.join("\n"));
}

#[test]
fn a_hyphen_at_a_line_end_copies_as_nothing() {
    let text = "阿尔茨海默病的研究者们发现 neurodegenerative disorders in the elderly are \
                characterized by progressive deterioration of cognitive function 等等现象。"
        .repeat(3);
    let source = format!(
        r#"{{"meta": {{"title": "测试", "author": "作者"}}, "blocks": [{{"paragraph": ["{text}"]}}],
            "disclaimer": {{"label": "免责说明", "paragraphs": [["仅供参考。"]]}}}}"#
    );
    let article = handout::source::parse(std::path::Path::new("t.json"), &source).expect("loads");
    let doc = handout::writers::pdf::lay_out(&article, &Options::default()).expect("lays out");
    let hyphens: Vec<&Glyph> = doc
        .pages
        .iter()
        .flat_map(|p| &p.glyphs)
        .filter(|g| g.text == "\u{ad}")
        .collect();
    assert!(
        !hyphens.is_empty(),
        "no line of the English text ends at a hyphenation point"
    );
    for h in &hyphens {
        assert!(h.advance > 0.0, "a hyphen is drawn");
    }
    let copied: String = doc
        .pages
        .iter()
        .flat_map(|p| &p.glyphs)
        .map(|g| g.text.as_str())
        .collect();
    let copied = copied.replace('\u{ad}', "");
    assert!(copied.contains("neurodegenerative"), "{copied}");
    assert!(copied.contains("characterized"), "{copied}");
}

/// The other papers: A5 and B5 set the rich article without any loose line (its one line falls
/// differently on their measures); Letter has A4's 44-character measure and A4's one line.
#[test]
fn every_paper_holds_to_the_limit() {
    use handout::style::Paper;
    for paper in Paper::ALL {
        let seed = loose_lines_on("source/article.json", paper);
        assert!(seed.is_empty(), "{paper:?}: {}", seed.join("\n"));
        let rich = loose_lines_on("source/alzheimer-blood-test.json", paper);
        let known = usize::from(matches!(paper, Paper::A4 | Paper::Letter));
        assert_eq!(rich.len(), known, "{paper:?}: {}", rich.join("\n"));
        assert!(
            rich.iter().all(|l| l.ends_with("《美国医学会杂志》")),
            "{rich:?}"
        );
    }
}
