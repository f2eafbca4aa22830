//! Property tests: generated articles pushed through every writer. None may fail; the plain text must
//! keep every text in its place, fit its width and keep the clreq line-breaking rules, and so must the
//! lines of the PDF layout. The oracles (clreq marks, display widths, texts in reading order) are the
//! tests' own, in `common`.

mod common;

use common::*;
use handout::model::*;
use handout::style::{Paper, Style as HouseStyle};
use proptest::prelude::*;

/// What articles hold: Han, Latin, identifiers, digits, DOIs, URLs, markup-like strings.
const WORDS: &[&str] = &[
    "干细胞",
    "治疗",
    "渐冻症",
    "患者",
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
    "Stem Cell Rev Rep",
];

/// Marks, full-width and ASCII, opening and closing, dashes and ellipses, white space. Not the middle
/// dot: the sans faces draw it with the bullet's glyph, and the PDF gives back one for the other
/// (`a_middle_dot_beside_a_bullet_copies_back_as_a_middle_dot` in tests/pdf.rs pins that bug).
const MARKS: &[&str] = &[
    "", "", "，", "。", "、", "：", "；", "！", "？", "（", "）", "“", "”", "《", "》", "【", "】",
    "「", "」", "——", "……", "～", " ", ",", ":", ";", "(", ")", "?", "!", "\t",
];

/// A stretch of prose: words and marks in turn (a run of marks with no break opportunity wider than
/// the line could not keep the rules in any layout). Marks may come first or last: they then stand
/// at the boundary with the run before or after.
fn prose() -> impl Strategy<Value = String> {
    let words = prop::sample::select(WORDS);
    let marks = prop::sample::select(MARKS);
    (marks.clone(), prop::collection::vec((words, marks), 1..6)).prop_map(|(lead, v)| {
        let mut s = lead.to_string();
        for (w, m) in v {
            s.push_str(w);
            s.push_str(m);
        }
        s
    })
}

/// How a run of prose is set.
#[derive(Debug, Clone, Copy)]
enum Style {
    Plain,
    Strong,
    Emph,
    StrongEmph,
    Link,
}

fn styled(text: String, style: Style) -> Inline {
    let t = vec![Inline::Text(text)];
    match style {
        Style::Plain => t.into_iter().next().expect("one"),
        Style::Strong => Inline::Strong(t),
        Style::Emph => Inline::Emph(t),
        Style::StrongEmph => Inline::Strong(vec![Inline::Emph(t)]),
        Style::Link => Inline::Link(Link {
            url: "https://example.org/a?b=c".into(),
            content: t,
        }),
    }
}

/// The inlines of one block: runs of prose in various styles, with citations between them, so that
/// marks meet style and citation boundaries ("[1]，", "**术语**：", "（*强调*）"). The block itself
/// starts and ends with a Han character: a block that begins with a closing mark (or ends with an
/// opening one) breaks the rule before any writer touches it.
fn inlines(ids: Vec<String>) -> impl Strategy<Value = Vec<Inline>> {
    let style = prop_oneof![
        4 => Just(Style::Plain),
        1 => Just(Style::Strong),
        1 => Just(Style::Emph),
        1 => Just(Style::StrongEmph),
        1 => Just(Style::Link),
    ];
    let cite = if ids.is_empty() {
        Just(None).boxed()
    } else {
        prop::option::weighted(0.3, prop::sample::subsequence(ids.clone(), 1..=ids.len())).boxed()
    };
    prop::collection::vec((prose(), style, cite), 1..5).prop_map(|runs| {
        let n = runs.len();
        let mut out = Vec::new();
        for (i, (mut text, style, cite)) in runs.into_iter().enumerate() {
            if i == 0 {
                text.insert(0, '干');
            }
            if i + 1 == n {
                text.push('细');
            }
            out.push(styled(text, style));
            if let Some(ids) = cite {
                out.push(Inline::Cite(ids));
            }
        }
        out
    })
}

/// A list nested exactly `depth` deep, numbered from 1 to `max_start`: its first item holds a list
/// `depth - 1` deep.
fn list(ids: Vec<String>, depth: u32, max_start: u32) -> BoxedStrategy<List> {
    let style = prop::sample::select(vec![
        ListStyle::Bullet,
        ListStyle::Decimal,
        ListStyle::Chinese,
    ]);
    let child = if depth <= 1 {
        Just(None).boxed()
    } else {
        list(ids.clone(), depth - 1, max_start)
            .prop_map(Some)
            .boxed()
    };
    let item =
        (prop::option::of(inlines(vec![])), inlines(ids)).prop_map(|(term, content)| ListItem {
            term: term.unwrap_or_default(),
            content,
            children: vec![],
        });
    (
        style,
        1..=max_start,
        prop::collection::vec(item, 1..3),
        child,
    )
        .prop_map(|(style, start, mut items, child)| {
            items[0].children.extend(child);
            List {
                style,
                start,
                items,
            }
        })
        .boxed()
}

/// Lists nested 1 to `max_depth` deep (the model allows 8).
fn nested_list(ids: Vec<String>, max_depth: u32, max_start: u32) -> impl Strategy<Value = List> {
    (1..=max_depth).prop_flat_map(move |depth| list(ids.clone(), depth, max_start))
}

/// A reference of any type but a conference paper: its entry drops the proceedings' place and
/// publisher (`the_gb_t_7714_entry_of_each_type` in tests/source.rs pins that bug on its own).
fn reference(id: String) -> impl Strategy<Value = Reference> {
    let kind = prop::sample::select(vec![
        ReferenceType::ArticleJournal,
        ReferenceType::Thesis,
        ReferenceType::Book,
        ReferenceType::Chapter,
        ReferenceType::Report,
        ReferenceType::Webpage,
    ]);
    let name = prop::sample::select(vec![("乔", "利军"), ("Smith", "J"), ("赵", "舒怡")]);
    (
        kind,
        prop::collection::vec(name, 0..5),
        any::<bool>(),
        prop::sample::select(vec!["标题", "A study of cells", "干细胞（MSC）的研究"]),
    )
        .prop_map(move |(kind, names, et_al, title)| Reference {
            id: id.clone(),
            kind,
            author: names
                .into_iter()
                .map(|(f, g)| Name {
                    family: Some(f.into()),
                    given: Some(g.into()),
                    literal: None,
                    suffix: None,
                })
                .collect(),
            et_al,
            title: format!("{title}{id}"),
            container_title: Some("山东医药".into()),
            container_title_short: None,
            editor: vec![],
            container_author: vec![],
            translator: vec![],
            accessed: None,
            edition: None,
            number: None,
            issued: Some(Date {
                date_parts: vec![vec![2016]],
            }),
            volume: Some("56".into()),
            issue: Some("36".into()),
            page: Some("1-4".into()),
            doi: Some("10.1/x".into()),
            pmid: Some("32725316".into()),
            pmcid: None,
            url: Some("https://example.org/r".into()),
            publisher: Some("出版社".into()),
            publisher_place: Some("北京".into()),
            language: None,
        })
}

/// Articles of every block kind, headings of every level, lists nested up to `max_depth` deep and
/// numbered up to `max_start`, three references of the types above.
fn article(max_depth: u32, max_start: u32) -> impl Strategy<Value = Article> {
    let ids: Vec<String> = (0..3).map(|i| format!("r{i}")).collect();
    let references = (
        reference(ids[0].clone()),
        reference(ids[1].clone()),
        reference(ids[2].clone()),
    )
        .prop_map(|(a, b, c)| vec![a, b, c]);
    let block = prop_oneof![
        3 => inlines(ids.clone()).prop_map(Block::Paragraph),
        1 => (inlines(vec![]), inlines(ids.clone()))
            .prop_map(|(term, content)| Block::Labelled(Labelled { term, content })),
        1 => nested_list(ids.clone(), max_depth, max_start).prop_map(Block::List),
        1 => (1u8..=3, inlines(vec![])).prop_map(|(level, content)| Block::Heading(Heading { level, content })),
    ];
    (
        inlines(vec![]),
        prop::collection::vec(block, 1..8),
        references,
    )
        .prop_map(|(title, blocks, references)| Article {
            schema: None,
            images: Default::default(),
            meta: Meta {
                title: Inline::plain(&title),
                subtitle: None,
                short_title: None,
                author: "作者".into(),
                date: None,
                lang: "zh-CN".into(),
                keywords: vec![],
                summary: None,
                url: None,
            },
            blocks,
            references_title: "参考文献".into(),
            references,
            disclaimer: Some(Notice {
                label: "免责说明".into(),
                paragraphs: vec![vec![Inline::Text("仅供参考。".into())]],
            }),
            copyright: None,
        })
}

/// Line widths the CLI accepts, the narrow ones (where lines wrap most) as often as the wide ones.
fn width() -> impl Strategy<Value = usize> {
    prop_oneof![20usize..=40, 41usize..=120, 121usize..=1000]
}

/// Checks the plain-text handout of `article` at `width`, with and without `--keep-punctuation`.
fn check_plain_text(article: &Article, width: usize) -> Result<(), TestCaseError> {
    for keep_punctuation in [false, true] {
        let options = handout::Options {
            width,
            keep_punctuation,
            ..handout::Options::default()
        };
        let out = handout::writers::text::render(article, &options);
        assert_every_text_in(article, &out, "txt");
        for line in out.lines() {
            prop_assert!(
                oracle_columns(line) <= width,
                "{} columns > {}: {:?}",
                oracle_columns(line),
                width,
                line
            );
            if line.chars().all(|c| c == '=' || c == '-') {
                continue;
            }
            let body = line.trim_start_matches([' ', '\u{3000}']);
            prop_assert!(
                !body.starts_with(clreq_may_not_start),
                "starts with a closing mark: {:?}\n{}",
                line,
                out
            );
            prop_assert!(
                !line.ends_with(clreq_may_not_end),
                "ends with an opening mark: {:?}",
                line
            );
        }
    }
    Ok(())
}

/// The lines of a laid-out page, each the text of its glyphs in order: a new line where the
/// baseline drops by more than a raised citation's rise.
fn page_lines(page: &handout::layout::Page) -> Vec<String> {
    let mut lines: Vec<(f32, String)> = Vec::new();
    for g in &page.glyphs {
        match lines.last_mut() {
            Some((y, text)) if (g.y - *y).abs() < 6.0 => text.push_str(&g.text),
            _ => lines.push((g.y, g.text.clone())),
        }
    }
    lines.into_iter().map(|(_, t)| t).collect()
}

fn laid_out(article: &Article, keep_punctuation: bool) -> handout::layout::Document {
    laid_out_on(article, keep_punctuation, &HouseStyle::default())
}

fn laid_out_on(
    article: &Article,
    keep_punctuation: bool,
    style: &HouseStyle,
) -> handout::layout::Document {
    let fonts = handout::fonts::Fonts::locate(None).expect("the fonts");
    let options = handout::layout::LayoutOptions {
        keep_punctuation,
        ..Default::default()
    };
    handout::layout::layout(article, &fonts, options, style).expect("laid out")
}

/// Checks the lines of the PDF layout of `article`: none starts with a closing mark or ends with an
/// opening one.
fn check_layout_lines(article: &Article) -> Result<(), TestCaseError> {
    for keep_punctuation in [false, true] {
        for page in &laid_out(article, keep_punctuation).pages {
            for line in page_lines(page) {
                prop_assert!(
                    !line.starts_with(clreq_may_not_start),
                    "a PDF line starts with a closing mark: {:?}",
                    line
                );
                prop_assert!(
                    !line.ends_with(clreq_may_not_end),
                    "a PDF line ends with an opening mark: {:?}",
                    line
                );
            }
        }
    }
    Ok(())
}

/// Checks that every glyph of the PDF layout of `article` is inside the text block, on every paper.
fn check_layout_block(article: &Article) -> Result<(), TestCaseError> {
    for (paper, keep_punctuation) in Paper::ALL
        .into_iter()
        .map(|p| (p, false))
        .chain([(Paper::A4, true)])
    {
        let style = HouseStyle::for_paper(paper);
        let g = handout::layout::Geometry::of(&style);
        for page in &laid_out_on(article, keep_punctuation, &style).pages {
            for glyph in &page.glyphs {
                prop_assert!(
                    glyph.x >= g.left - 0.01 && glyph.x + glyph.advance <= g.right() + 0.01,
                    "outside the text block ({:?}, keep_punctuation {}): {:?}",
                    paper,
                    keep_punctuation,
                    glyph
                );
                prop_assert!(glyph.y >= g.bottom && glyph.y <= g.top, "{:?}", glyph);
            }
        }
    }
    Ok(())
}

/// Every writer takes the article, and the PDF and the Word document give back every text in its
/// place.
fn check_every_writer(article: &Article) -> Result<(), TestCaseError> {
    // Links' URLs in the 链接 list at the end, not at the page's foot: a paragraph that crosses a
    // page would read on either side of its page's URL notes, which the model does not hold (the
    // notes at the foot are tested in tests/links.rs).
    let options = handout::Options {
        links: handout::walk::LinkPlacement::End,
        ..handout::Options::default()
    };
    for format in handout::Format::ALL {
        let bytes = handout::render(article, format, &options);
        prop_assert!(bytes.is_ok(), "{:?}: {:?}", format, bytes.err());
        let bytes = bytes.expect("rendered");
        match format {
            handout::Format::Pdf => {
                let running = article.meta.running_title();
                assert_every_text_in(article, &pdf_text(&bytes, running), "pdf");
            }
            handout::Format::Docx => assert_every_text_in(article, &docx_text(&bytes), "docx"),
            handout::Format::Txt => {}
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Any article (lists 8 deep, numbered up to 29): every writer takes it, the plain text, the PDF
    /// and the Word document give back every text in its place, and no PDF line starts with a
    /// closing mark or ends with an opening one.
    #[test]
    fn every_writer_takes_any_article(article in article(8, 29), width in width()) {
        check_every_writer(&article)?;
        for keep_punctuation in [false, true] {
            let options = handout::Options { width, keep_punctuation, ..handout::Options::default() };
            assert_every_text_in(&article, &handout::writers::text::render(&article, &options), "txt");
        }
        check_layout_lines(&article)?;
    }

    /// The plain text of articles whose lists leave room for text (two deep, markers up to "九、"):
    /// every line fits the width and keeps the clreq rules, at every width the CLI accepts.
    #[test]
    fn the_plain_text_fits_its_width_and_keeps_the_rules(article in article(2, 9), width in width()) {
        check_plain_text(&article, width)?;
    }

    /// The same for any article, lists eight deep included. This property found that the plain text
    /// indented nested lists by their markers however little room was left (lines past the width,
    /// lines starting with closing marks); `a_list_nested_eight_deep_fits_the_narrowest_width`
    /// (tests/text.rs) pins it.
    #[test]
    fn the_plain_text_of_any_article_fits_its_width_and_keeps_the_rules(
        article in article(8, 29),
        width in width(),
    ) {
        check_plain_text(&article, width)?;
    }

    /// Every glyph of any article inside the text block. This property found that line filling
    /// summed segment widths measured as if each ended a line (a closing mark's blank half given back),
    /// so lines of short segments ("1、2、3、…") ran past the margin;
    /// `enumerations_stay_inside_the_text_block` (src/layout/tests.rs) pins it.
    #[test]
    fn every_glyph_of_any_article_is_inside_the_text_block(article in article(8, 29)) {
        check_layout_block(&article)?;
    }
}

/// The case proptest once shrank a failure to (tests/properties.proptest-regressions, width 20): a
/// bullet list three deep whose innermost item is emphasised "干miR-124 ，——细" and cited.
#[test]
fn the_shrunk_width_20_case_keeps_the_rules() {
    let cited = |text: &str, emph: bool, id: &str| {
        let text = Inline::Text(text.into());
        vec![
            if emph { Inline::Emph(vec![text]) } else { text },
            Inline::Cite(vec![id.into()]),
        ]
    };
    let bullet = |content: Vec<Inline>, children: Vec<List>| List {
        style: ListStyle::Bullet,
        start: 1,
        items: vec![ListItem {
            term: vec![],
            content,
            children,
        }],
    };
    let innermost = bullet(cited("干miR-124 ，——细", true, "r2"), vec![]);
    let middle = bullet(cited("干干细胞细", false, "r0"), vec![innermost]);
    let outer = bullet(cited("干干细胞细", false, "r2"), vec![middle]);
    let reference = |id: &str| Reference {
        id: id.into(),
        kind: ReferenceType::ArticleJournal,
        author: vec![Name {
            family: Some("乔".into()),
            given: Some("利军".into()),
            literal: None,
            suffix: None,
        }],
        et_al: false,
        title: format!("标题{id}"),
        container_title: Some("山东医药".into()),
        container_title_short: None,
        editor: vec![],
        container_author: vec![],
        translator: vec![],
        accessed: None,
        edition: None,
        number: None,
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
    };
    let article = Article {
        schema: None,
        images: Default::default(),
        meta: Meta {
            title: "题干干细胞细".into(),
            subtitle: None,
            short_title: None,
            author: "作者".into(),
            date: None,
            lang: "zh-CN".into(),
            keywords: vec![],
            summary: None,
            url: None,
        },
        blocks: vec![Block::List(outer)],
        references_title: "参考文献".into(),
        references: vec![reference("r0"), reference("r1"), reference("r2")],
        disclaimer: Some(Notice {
            label: "免责说明".into(),
            paragraphs: vec![vec![Inline::Text("仅供参考。".into())]],
        }),
        copyright: None,
    };
    check_plain_text(&article, 20).expect("the plain text keeps the rules at width 20");
    check_every_writer(&article).expect("every writer");
    check_layout_lines(&article).expect("the layout keeps the rules");
    check_layout_block(&article).expect("the layout stays in the text block");
}
