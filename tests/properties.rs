//! Property tests: generated articles pushed through every writer. None may panic; the plain text must
//! keep every text, fit its width and keep the line-breaking rules.

mod common;

use common::*;
use handout::model::*;
use handout::text::breaking::{no_line_end, no_line_start};
use handout::text::width::columns;
use proptest::prelude::*;

/// Text mixing what articles hold: Han, Latin, identifiers, digits, ASCII and full-width punctuation,
/// spaces, tabs, markup-like strings. Words alternate with marks, as in prose: a run of marks with no
/// break opportunity that is wider than the line could not keep the rules in any layout.
fn text() -> impl Strategy<Value = String> {
    let words = prop::sample::select(vec![
        "干细胞",
        "治疗",
        "渐冻症",
        "ALS",
        "CD4+CD25+Foxp3+Treg",
        "miR-124",
        "50%",
        "38.5℃",
        "10.1007/s12015-020-10016-7",
        "https://doi.org/10.1/x",
        "<w:t>",
        ") Tj (",
        "&amp;",
        "患者",
        "Stem Cell Rev Rep",
    ]);
    let marks = prop::sample::select(vec![
        "", "", "，", "。", "、", "：", "（", "）", "“", "”", "《", "》", " ", ",", ":", ";", "(",
        ")", "?", "!", "——", "……", "\t",
    ]);
    // Held between two Han characters: a text that itself begins with a closing mark (or ends with an
    // opening one) breaks the rule before any writer touches it.
    prop::collection::vec((words, marks), 1..20).prop_map(|v| {
        format!(
            "干{}细",
            v.into_iter()
                .map(|(w, m)| format!("{w}{m}"))
                .collect::<String>()
        )
    })
}

fn inlines(ids: Vec<String>) -> impl Strategy<Value = Vec<Inline>> {
    let leaf = prop_oneof![
        4 => text().prop_map(Inline::Text),
        1 => text().prop_map(|t| Inline::Strong(vec![Inline::Text(t)])),
        1 => text().prop_map(|t| Inline::Emph(vec![Inline::Text(t)])),
        1 => text().prop_map(|t| Inline::Link(Link { url: "https://example.org/a?b=c".into(), content: vec![Inline::Text(t)] })),
    ];
    let cite = if ids.is_empty() {
        Just(None).boxed()
    } else {
        prop::sample::subsequence(ids.clone(), 1..=ids.len())
            .prop_map(Some)
            .boxed()
    };
    (prop::collection::vec(leaf, 1..4), cite).prop_map(|(mut v, c)| {
        if let Some(ids) = c {
            v.push(Inline::Cite(ids));
        }
        v
    })
}

fn list(ids: Vec<String>, depth: u32) -> BoxedStrategy<List> {
    let style = prop::sample::select(vec![
        ListStyle::Bullet,
        ListStyle::Decimal,
        ListStyle::Chinese,
    ]);
    let children = if depth == 0 {
        Just(vec![]).boxed()
    } else {
        prop::collection::vec(list(ids.clone(), depth - 1), 0..2).boxed()
    };
    let item = (
        prop::collection::vec(text().prop_map(Inline::Text), 0..2),
        inlines(ids),
        children,
    )
        .prop_map(|(term, content, children)| ListItem {
            term,
            content,
            children,
        });
    (style, 1u32..30, prop::collection::vec(item, 1..4))
        .prop_map(|(style, start, items)| List {
            style,
            start,
            items,
        })
        .boxed()
}

fn article() -> impl Strategy<Value = Article> {
    let ids: Vec<String> = (0..3).map(|i| format!("r{i}")).collect();
    let references: Vec<Reference> = ids
        .iter()
        .map(|id| Reference {
            id: id.clone(),
            kind: ReferenceType::ArticleJournal,
            author: vec![Name {
                family: Some("乔".into()),
                given: Some("利军".into()),
                literal: None,
            }],
            et_al: false,
            title: format!("标题{id}"),
            container_title: Some("山东医药".into()),
            container_title_short: None,
            issued: Some(Date {
                date_parts: vec![vec![2016]],
            }),
            volume: Some("56".into()),
            issue: Some("36".into()),
            page: Some("1-4".into()),
            doi: Some("10.1/x".into()),
            pmid: None,
            pmcid: None,
            url: None,
            publisher: None,
            publisher_place: None,
            language: None,
        })
        .collect();
    let block = prop_oneof![
        inlines(ids.clone()).prop_map(Block::Paragraph),
        (
            prop::collection::vec(text().prop_map(Inline::Text), 1..2),
            inlines(ids.clone())
        )
            .prop_map(|(term, content)| Block::Labelled(Labelled { term, content })),
        list(ids.clone(), 2).prop_map(Block::List),
        text().prop_map(|t| Block::Heading(Heading {
            level: 1,
            content: vec![Inline::Text(t)]
        })),
    ];
    (text(), prop::collection::vec(block, 1..8)).prop_map(move |(title, blocks)| Article {
        schema: None,
        meta: Meta {
            title: format!("题{title}"),
            subtitle: None,
            short_title: None,
            author: "作者".into(),
            date: None,
            lang: "zh-CN".into(),
            keywords: vec![],
            summary: None,
        },
        blocks,
        references_title: "参考文献".into(),
        references: references.clone(),
        disclaimer: Notice {
            label: "免责说明".into(),
            paragraphs: vec![vec![Inline::Text("仅供参考。".into())]],
        },
        copyright: None,
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn every_writer_takes_any_article(article in article(), width in 44usize..120) {
        for format in handout::Format::ALL {
            let bytes = handout::render(&article, format, &handout::Options::default());
            prop_assert!(bytes.is_ok(), "{:?}: {:?}", format, bytes.err());
        }
        for keep_punctuation in [false, true] {
            let options = handout::writers::text::TextOptions { width, keep_punctuation, crlf: false };
            let out = handout::writers::text::render(&article, &options);
            assert_every_text_in(&article, &out, "txt");
            for line in out.lines() {
                prop_assert!(columns(line) <= width, "{} columns > {}: {:?}", columns(line), width, line);
                if line.chars().all(|c| c == '=' || c == '-') {
                    continue;
                }
                let body = line.trim_start_matches([' ', '\u{3000}']);
                prop_assert!(!body.starts_with(no_line_start), "starts with a closing mark: {:?}", line);
                prop_assert!(!line.ends_with(no_line_end), "ends with an opening mark: {:?}", line);
            }
        }
    }
}
