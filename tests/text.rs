//! The plain-text handout, read back as a reader would.

mod common;

use common::*;
use handout::writers::text::{TextOptions, render};

fn text_lines(text: &str) -> impl Iterator<Item = &str> {
    // Rules (==== and ----) are not text.
    text.lines()
        .filter(|l| !l.chars().all(|c| c == '=' || c == '-'))
}

#[test]
fn every_text_of_the_model_is_in_the_handout() {
    let article = seed_article();
    for keep_punctuation in [false, true] {
        let out = render(
            &article,
            &TextOptions {
                keep_punctuation,
                ..TextOptions::default()
            },
        );
        assert_every_text_in(&article, &out, "output/article.txt");
    }
}

#[test]
fn the_author_s_punctuation_is_kept_on_request() {
    let article = seed_article();
    let out = render(
        &article,
        &TextOptions {
            keep_punctuation: true,
            width: 1000,
            crlf: false,
        },
    );
    assert!(out.contains("近日,中国医学科学院"), "{out}");
    let out = render(
        &article,
        &TextOptions {
            width: 1000,
            ..TextOptions::default()
        },
    );
    assert!(out.contains("近日，中国医学科学院"), "{out}");
    assert!(
        out.contains("Stem Cell Rev Rep, 2020, 16(5): 922-932"),
        "references keep GB/T 7714 punctuation"
    );
}

/// Asserts the README's promises on each line of a plain-text handout, with the test's own oracles:
/// no line wider than `width` columns (Chinese and the ambiguous marks count two), none starting
/// with a clreq closing mark or ending with an opening one.
fn assert_lines_keep_the_rules(out: &str, width: usize, what: &str) {
    for line in out.lines() {
        assert!(
            oracle_columns(line) <= width,
            "{what}: {line:?} is {} columns, wider than {width}",
            oracle_columns(line)
        );
    }
    for line in text_lines(out) {
        let body = line.trim_start_matches([' ', '\u{3000}']);
        assert!(
            !body.starts_with(clreq_may_not_start),
            "{what}: a line starts with a closing mark: {line:?}"
        );
        assert!(
            !line.ends_with(clreq_may_not_end),
            "{what}: a line ends with an opening mark: {line:?}"
        );
    }
}

#[test]
fn lines_fit_the_width_and_keep_the_line_breaking_rules() {
    let article = seed_article();
    for keep_punctuation in [false, true] {
        for width in [20, 21, 30, 41, 56, 72, 100] {
            let out = render(
                &article,
                &TextOptions {
                    width,
                    keep_punctuation,
                    ..TextOptions::default()
                },
            );
            assert_lines_keep_the_rules(&out, width, &format!("width {width}"));
        }
    }
}

/// Paragraphs of every length up to three lines, each ending in a mark or not: the last line never
/// holds a single character.
#[test]
fn no_paragraph_ends_in_a_line_of_one_character() {
    let mut checked = 0;
    for width in [20, 30, 72] {
        for n in 1..=(3 * width / 2) {
            for end in ["", "。"] {
                let text: String = "甲乙丙丁戊己庚辛壬癸".chars().cycle().take(n).collect();
                let mut article = seed_article();
                article.blocks = vec![handout::model::Block::Paragraph(vec![
                    handout::model::Inline::Text(format!("{text}{end}")),
                ])];
                let out = render(
                    &article,
                    &TextOptions {
                        width,
                        ..TextOptions::default()
                    },
                );
                let lines: Vec<&str> = out
                    .lines()
                    .skip_while(|l| !l.starts_with('\u{3000}'))
                    .take_while(|l| !l.is_empty())
                    .collect();
                assert!(!lines.is_empty(), "the paragraph is missing:\n{out}");
                assert_eq!(canonical(&lines.concat()), format!("{text}{end}"));
                if lines.len() > 1 {
                    checked += 1;
                    let last = lines[lines.len() - 1];
                    assert!(
                        last.chars().count() >= 2,
                        "width {width}, {n} characters{end}: the last line is {last:?}: {lines:?}"
                    );
                }
            }
        }
    }
    assert!(checked > 50, "only {checked} paragraphs of two lines or more");
}

#[test]
fn identifiers_are_not_split() {
    let article = seed_article();
    for width in [40, 56, 72] {
        let out = render(
            &article,
            &TextOptions {
                width,
                ..TextOptions::default()
            },
        );
        for token in [
            "CD4+CD25+Foxp3+Treg",
            "10.1007/s12015-020-10016-7",
            "miR-124",
            "ALSFRS-R",
        ] {
            let whole = out.matches(token).count();
            let joined = canonical(&out).matches(token).count();
            assert_eq!(whole, joined, "width {width}: {token} split across lines");
        }
    }
}

#[test]
fn paragraphs_are_indented_and_references_numbered() {
    let out = render(&seed_article(), &TextOptions::default());
    assert!(
        out.contains("\n\u{3000}\u{3000}近日，"),
        "first paragraph indented with two ideographic spaces"
    );
    assert!(out.contains("研究结果。[1]"), "citations as [1]");
    assert!(
        out.contains("\n[1] 乔利军, 卢爱丽, 冯梅, 等. "),
        "Chinese entry with 等"
    );
    let wide = render(
        &seed_article(),
        &TextOptions {
            width: 1000,
            ..TextOptions::default()
        },
    );
    assert!(
        wide.contains("Zdolińska-Malinowska I, et al. Umbilical"),
        "English entry with et al."
    );
    let disclaimer = out.find("免责说明：").expect("disclaimer");
    let copyright = out.find("版权说明：").expect("copyright");
    assert!(out.find("[4] ").expect("reference 4") < disclaimer && disclaimer < copyright);
}

#[test]
fn crlf_on_request() {
    let out = render(
        &seed_article(),
        &TextOptions {
            crlf: true,
            ..TextOptions::default()
        },
    );
    assert!(out.ends_with("\r\n"));
    assert_eq!(out.matches('\n').count(), out.matches("\r\n").count());
}

#[test]
fn a_token_longer_than_a_line_is_cut_and_nothing_is_lost() {
    let mut article = seed_article();
    let long = "A".repeat(500);
    article.blocks.push(handout::model::Block::Paragraph(vec![
        handout::model::Inline::Text(format!("长词{long}。")),
    ]));
    let out = render(
        &article,
        &TextOptions {
            width: 30,
            ..TextOptions::default()
        },
    );
    assert_lines_keep_the_rules(&out, 30, "width 30");
    assert!(canonical(&out).contains(&format!("长词{long}。")));
}

#[test]
fn rendering_is_reproducible() {
    let article = seed_article();
    assert_eq!(
        render(&article, &TextOptions::default()),
        render(&article, &TextOptions::default())
    );
}
