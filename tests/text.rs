//! The plain-text handout, read back as a reader would.

mod common;

use common::*;
use handout::text::breaking::{no_line_end, no_line_start};
use handout::text::width::columns;
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

#[test]
fn lines_fit_the_width_and_keep_the_line_breaking_rules() {
    let article = seed_article();
    for width in [20, 30, 41, 56, 72, 100] {
        let out = render(
            &article,
            &TextOptions {
                width,
                ..TextOptions::default()
            },
        );
        for line in out.lines() {
            assert!(
                columns(line) <= width,
                "width {width}: {line:?} is {} columns",
                columns(line)
            );
        }
        for line in text_lines(&out) {
            let body = line.trim_start_matches([' ', '\u{3000}']);
            assert!(
                !body.starts_with(no_line_start),
                "width {width}: line starts with a closing mark: {line:?}"
            );
            assert!(
                !line.ends_with(no_line_end),
                "width {width}: line ends with an opening mark: {line:?}"
            );
        }
    }
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
    assert!(out.lines().all(|l| columns(l) <= 30));
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
