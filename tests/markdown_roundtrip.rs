//! The Markdown writer and reader are inverses: any article written as Markdown reads back to the same
//! model, whatever its text holds (Markdown's own marks, HTML, entities, white space at the edges,
//! line breaks, citations and notes in every place, tables with spans).

use std::path::Path;
use std::sync::Arc;

use handout::model::*;
use proptest::prelude::*;

/// Text that means something to a Markdown reader, and text that does not.
const PIECES: &[&str] = &[
    "干细胞",
    "治疗",
    "ALS",
    "Aβ",
    "10.1/x",
    "e.g.",
    "CD4+CD25+",
    "https://a.org",
    "*",
    "**",
    "_",
    "__",
    "[",
    "]",
    "[@r0]",
    "[^1]",
    "<",
    ">",
    "<b>",
    "&amp;",
    "&",
    "\\",
    "`",
    "#",
    "1.",
    "1)",
    "-",
    "+",
    "|",
    "^",
    "~",
    "~~",
    "{",
    "}",
    "{width=1}",
    "!",
    "![",
    ":",
    "：",
    "——",
    " ",
    "  ",
    "\n",
    "\t",
    "Table:",
    ":::",
    "@r1",
    "$",
    "=",
    "---",
    "> ",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 1..6).prop_map(|v| v.concat())
}

/// Inlines without two texts side by side (a reader joins them) and with no empty content.
fn inlines(depth: u32, notes: bool) -> BoxedStrategy<Vec<Inline>> {
    inlines_in(depth, notes, false)
}

/// Inlines; in a link's text or a figure's caption (`brackets`) no link and no superscript, which
/// Markdown cannot write there (docs/markdown.md).
fn inlines_in(depth: u32, notes: bool, brackets: bool) -> BoxedStrategy<Vec<Inline>> {
    let leaf = prop_oneof![
        4 => text().prop_map(Inline::Text),
        1 => prop::sample::subsequence(vec!["r0".to_string(), "r1".to_string()], 1..=2).prop_map(Inline::Cite),
    ];
    let inline = if depth == 0 {
        leaf.boxed()
    } else {
        let inner = inlines_in(depth - 1, false, brackets);
        // Scripts hold text: a script inside a script has no meaning in print, nor a form in Markdown.
        let script = inlines_in(0, false, brackets);
        let mut kinds = vec![
            (4, leaf.boxed()),
            (1, inner.clone().prop_map(Inline::Strong).boxed()),
            (1, inner.clone().prop_map(Inline::Emph).boxed()),
            (1, script.clone().prop_map(Inline::Sub).boxed()),
        ];
        if !brackets {
            let url = "https://example.org/a_b".to_string();
            let link = inlines_in(depth - 1, false, true).prop_map(move |content| {
                Inline::Link(Link {
                    url: url.clone(),
                    content,
                })
            });
            kinds.push((1, script.prop_map(Inline::Sup).boxed()));
            kinds.push((1, link.boxed()));
        }
        if notes {
            kinds.push((1, inner.prop_map(Inline::Note).boxed()));
        }
        prop::strategy::Union::new_weighted(kinds).boxed()
    };
    prop::collection::vec(inline, 1..5)
        .prop_map(join_texts)
        .boxed()
}

/// Joins neighbours of one kind, as an author would write them: two texts, two subscripts, two bold
/// runs side by side are one (Markdown cannot tell `~a~~b~` from one subscript either).
fn join_texts(v: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    for i in v {
        match (out.last_mut(), i) {
            (Some(Inline::Text(a)), Inline::Text(b)) => a.push_str(&b),
            (Some(Inline::Sub(a)), Inline::Sub(b))
            | (Some(Inline::Sup(a)), Inline::Sup(b))
            | (Some(Inline::Strong(a)), Inline::Strong(b))
            | (Some(Inline::Emph(a)), Inline::Emph(b)) => {
                a.extend(b);
                let joined = join_texts(std::mem::take(a));
                *a = joined;
            }
            (_, i) => out.push(i),
        }
    }
    out
}

fn cell() -> BoxedStrategy<Cell> {
    inlines(1, true).prop_map(Cell::new).boxed()
}

/// A table of 1 to 4 columns, a cell of the first body row spanning two columns or two rows.
fn table() -> impl Strategy<Value = Table> {
    (
        1usize..=4,
        0usize..=2,
        1usize..=3,
        inlines(1, true),
        any::<bool>(),
        any::<u8>(),
    )
        .prop_flat_map(|(width, head_rows, body_rows, caption, described, span)| {
            let row = prop::collection::vec(cell(), width);
            (
                prop::collection::vec(row.clone(), head_rows),
                prop::collection::vec(row, body_rows),
                Just((width, caption, described, span)),
            )
        })
        .prop_map(|(head, mut body, (width, caption, described, span))| {
            if width >= 2 && span % 3 == 1 {
                let gone = body[0].remove(1);
                body[0][0].colspan = 2;
                drop(gone);
            } else if body.len() >= 2 && span % 3 == 2 {
                body[0][0].rowspan = 2;
                body[1].remove(0);
            }
            let columns = if described {
                (0..width)
                    .map(|i| Column {
                        align: [Align::Left, Align::Center, Align::Right, Align::Decimal][i % 4],
                        width: (i % 2 == 0).then_some(1.5 + i as f32),
                    })
                    .collect()
            } else {
                Vec::new()
            };
            Table {
                caption,
                columns,
                head,
                body,
            }
        })
}

fn list(depth: u32) -> BoxedStrategy<List> {
    let style = prop::sample::select(vec![
        ListStyle::Bullet,
        ListStyle::Decimal,
        ListStyle::Chinese,
    ]);
    let children = if depth == 0 {
        Just(Vec::new()).boxed()
    } else {
        prop::collection::vec(list(depth - 1), 0..2).boxed()
    };
    let item = (
        prop::option::of(inlines(1, false)),
        inlines(1, true),
        children,
    )
        .prop_map(|(term, content, children)| ListItem {
            term: term.unwrap_or_default(),
            content,
            children,
        });
    (style, 1u32..12, prop::collection::vec(item, 1..3))
        .prop_map(|(style, start, items)| List {
            style,
            start: if style == ListStyle::Bullet { 1 } else { start },
            items,
        })
        .boxed()
}

fn block() -> impl Strategy<Value = Block> {
    prop_oneof![
        4 => inlines(2, true).prop_map(Block::Paragraph),
        1 => (1u8..=3, inlines(1, false)).prop_map(|(level, content)| Block::Heading(Heading { level, content })),
        1 => (inlines(1, false), inlines(1, true)).prop_map(|(term, content)| Block::Labelled(Labelled { term, content })),
        1 => list(2).prop_map(Block::List),
        1 => table().prop_map(Block::Table),
        1 => (text(), text(), inlines_in(1, true, true), prop::option::of(0.05f32..=1.0)).prop_map(|(image, alt, caption, width)| {
            Block::Figure(Figure { image: format!("figures/{}.png", image.len()), alt, caption, width })
        }),
        1 => (prop::collection::vec(inlines(1, true), 1..3), prop::option::of(inlines(1, false)))
            .prop_map(|(paragraphs, source)| Block::Quote(Quote { paragraphs, source: source.unwrap_or_default() })),
        1 => (text(), prop::collection::vec(prop_oneof![
                inlines(1, true).prop_map(Block::Paragraph),
                list(1).prop_map(Block::List),
            ], 1..3))
            .prop_map(|(label, blocks)| Block::Aside(Aside { label: format!("提示{}", label.trim()), blocks })),
    ]
}

fn article() -> impl Strategy<Value = Article> {
    let reference = |id: &str| Reference {
        id: id.into(),
        kind: ReferenceType::Book,
        author: vec![Name {
            family: Some("乔".into()),
            given: Some("利军".into()),
            literal: None,
            suffix: None,
        }],
        et_al: false,
        title: format!("标题 \"{id}\": *一*"),
        container_title: None,
        container_title_short: None,
        editor: vec![],
        container_author: vec![],
        translator: vec![],
        accessed: None,
        edition: None,
        number: None,
        issued: Some(Date {
            date_parts: vec![vec![2016, 5]],
        }),
        volume: None,
        issue: None,
        page: None,
        doi: None,
        pmid: None,
        pmcid: None,
        url: None,
        publisher: Some("出版社: 北京".into()),
        publisher_place: None,
        language: Some("zh-CN".into()),
    };
    (
        text(),
        prop::collection::vec(block(), 1..6),
        prop::collection::vec(inlines(1, false), 1..3),
        any::<bool>(),
    )
        .prop_map(move |(title, blocks, disclaimer, copyright)| Article {
            schema: None,
            meta: Meta {
                title: format!("题{title}"),
                subtitle: Some("副题: yes".into()),
                short_title: None,
                author: "作者 #1".into(),
                date: Some("2025-06-20".into()),
                lang: "zh-CN".into(),
                keywords: vec!["true".into(), "2024".into(), "p<0.05".into()],
                summary: Some("摘要\n第二行".into()),
                url: None,
            },
            blocks,
            references_title: "参考资料".into(),
            references: vec![reference("r0"), reference("r1")],
            disclaimer: Some(Notice {
                label: "免责说明".into(),
                paragraphs: disclaimer.clone(),
            }),
            copyright: copyright.then(|| Notice {
                label: "版权 说明".into(),
                paragraphs: disclaimer,
            }),
            images: Default::default(),
        })
}

fn read(md: &str) -> Result<Article, String> {
    let file: Arc<Path> = Arc::from(Path::new("t.md"));
    handout::source::markdown::parse(&file, md, Path::new("."), 1 << 20)
        .map(|(a, _)| a)
        .map_err(|e| e.to_string())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 384, ..ProptestConfig::default() })]
    #[test]
    fn any_article_written_as_markdown_reads_back_the_same(article in article()) {
        let md = handout::writers::markdown::write(&article);
        prop_assume!(md.is_ok(), "unwritable: {}", md.err().map(|e| e.to_string()).unwrap_or_default());
        let md = md.unwrap_or_default();
        let back = read(&md).map_err(|e| TestCaseError::fail(format!("{e}\n--- markdown:\n{md}")))?;
        prop_assert_eq!(&back, &article, "--- markdown:\n{}", md);
        prop_assert_eq!(handout::writers::markdown::write(&back).ok(), Some(md));
    }
}

/// Pieces of Markdown, well formed or not, that the reader meets in the wild.
const SHARDS: &[&str] = &[
    "---\n",
    "+++\n",
    "title: 题\n",
    "author: 作者\n",
    "title = \"题\"\n",
    "references: [{id: a, type: book, title: T}]\n",
    "bibliography: refs.bib\n",
    "# ",
    "#### ",
    "\n",
    "\n\n",
    "- ",
    "1. ",
    "1) ",
    "   ",
    "> ",
    ">\n",
    "——",
    "::: aside 提示\n",
    "::: disclaimer 免责\n",
    ":::\n",
    "::: warning\n",
    "| a | b |\n",
    "| --- | :-: |\n",
    "| < | ^ |\n",
    "Table: 表 {align=\"left\"}\n",
    "![图](x.png \"alt\"){width=0.5}",
    "[@a]",
    "[@a; @b]",
    "[见 @a]",
    "[^1]",
    "[^1]: 注\n",
    "**",
    "__",
    "*",
    "_",
    "~",
    "^",
    "`",
    "<b>",
    "&#10;",
    "&amp;",
    "\\",
    "\\*",
    "[",
    "]",
    "(",
    ")",
    "<https://a.org>",
    "[t](https://b.org)",
    "干细胞",
    "ALS",
    "：",
    "。",
    "{width=2}",
    "  \n",
    "\t",
    "\u{feff}",
    "```\n",
    "***\n",
    "- [ ] ",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]
    /// Whatever Markdown it is given, the reader answers with an article or located errors, never a
    /// panic, and every error names the file.
    #[test]
    fn any_markdown_is_read_or_refused_without_a_panic(
        pieces in prop::collection::vec(prop::sample::select(SHARDS), 0..40),
        fronted in prop::bool::weighted(0.8),
    ) {
        // Most inputs get a front matter that passes, so that the body is read too.
        let front = "---\ntitle: 题\nauthor: 作者\nreferences: [{id: a, type: book, title: T}, {id: b, type: book, title: U}]\ndisclaimer: 仅供参考\n---\n";
        let text = if fronted { format!("{front}{}", pieces.concat()) } else { pieces.concat() };
        let file = Path::new("t.md");
        match handout::source::parse_markdown(file, &text, Path::new("."), 1 << 20) {
            Ok(_) => {}
            Err(errors) => {
                for e in errors.0 {
                    prop_assert!(!e.message.is_empty(), "{e}");
                }
            }
        }
    }
}
