//! The Markdown reader on small articles: each element, each refusal, each place.

use std::path::Path;
use std::sync::Arc;

use crate::model::*;

fn parse(text: &str) -> Result<Article, Vec<String>> {
    let file: Arc<Path> = Arc::from(Path::new("a.md"));
    crate::source::parse_markdown(&file, text, Path::new("."), 1 << 20)
        .map(|(a, _)| a)
        .map_err(|e| e.0.iter().map(|e| e.to_string()).collect())
}

const FRONT: &str = "---\ntitle: \"标题\"\nauthor: 作者\nreferences: [{id: x, type: book, title: X}, {id: y, type: book, title: Y}]\n---\n";
const END: &str = "\n\n::: disclaimer 免责说明\n仅供参考。\n:::\n";

fn body(md: &str) -> Vec<Block> {
    match parse(&format!("{FRONT}{md}{END}")) {
        Ok(a) => a.blocks,
        Err(e) => panic!("{e:?}"),
    }
}

fn errors(md: &str) -> Vec<String> {
    parse(&format!("{FRONT}{md}{END}"))
        .err()
        .unwrap_or_default()
}

fn t(s: &str) -> Inline {
    Inline::Text(s.into())
}

#[test]
fn front_matter_and_notices_make_the_article() {
    let a = parse(&format!("{FRONT}正文。{END}")).unwrap();
    assert_eq!(a.meta.title, "标题");
    assert_eq!(a.meta.author, "作者");
    assert_eq!(a.meta.lang, "zh-CN");
    let disclaimer = a.disclaimer.expect("a disclaimer");
    assert_eq!(disclaimer.label, "免责说明");
    assert_eq!(disclaimer.paragraphs, vec![vec![t("仅供参考。")]]);
    assert_eq!(a.blocks, vec![Block::Paragraph(vec![t("正文。")])]);
}

#[test]
fn inlines_map_to_the_model() {
    let b = body("甲**强**乙*强调*丙~2~丁^6^[链接](https://a.org)[@x; @y]。");
    let Block::Paragraph(p) = &b[0] else { panic!() };
    assert_eq!(
        p,
        &vec![
            t("甲"),
            Inline::Strong(vec![t("强")]),
            t("乙"),
            Inline::Emph(vec![t("强调")]),
            t("丙"),
            Inline::Sub(vec![t("2")]),
            t("丁"),
            Inline::Sup(vec![t("6")]),
            Inline::Link(Link {
                url: "https://a.org".into(),
                content: vec![t("链接")]
            }),
            Inline::Cite(vec!["x".into(), "y".into()]),
            t("。"),
        ]
    );
}

#[test]
fn line_breaks_join_cjk_without_a_space() {
    let b = body("中文\n接着 and\nEnglish\n词");
    assert_eq!(b[0], Block::Paragraph(vec![t("中文接着 and English词")]));
}

#[test]
fn terms_lists_and_escapes() {
    let b = body(
        "**术语**：内容\n\n__粗体__：不是术语\n\n1) 一\n2) 二\n\n3. 三\n   - **子**：项\n\n\\*星号\\* \\[@x\\]",
    );
    assert_eq!(
        b[0],
        Block::Labelled(Labelled {
            term: vec![t("术语")],
            content: vec![t("内容")]
        })
    );
    assert_eq!(
        b[1],
        Block::Paragraph(vec![Inline::Strong(vec![t("粗体")]), t("：不是术语")])
    );
    let Block::List(l) = &b[2] else {
        panic!("{:?}", b[2])
    };
    assert_eq!(
        (l.style, l.start, l.items.len()),
        (ListStyle::Chinese, 1, 2)
    );
    let Block::List(l) = &b[3] else { panic!() };
    assert_eq!((l.style, l.start), (ListStyle::Decimal, 3));
    assert_eq!(l.items[0].children[0].items[0].term, vec![t("子")]);
    assert_eq!(b[4], Block::Paragraph(vec![t("*星号* [@x]")]));
}

#[test]
fn tables_with_spans_a_two_row_header_and_braces() {
    let md = "\
| 研究 | 人群 | <    | 例数 |
| :--- | :--- | :--- | ---: |
| ^    | 队列 | 两组 | ^    |
| ---  | ---  | ---  | ---  |
| 甲[@x] | 乙 | 丙 | 1.5 |
| ^    | 丁   | 戊   | 20  |
| 注：说明 | < | < | < |
| \\<  | \\^  | x    | y    |

Table: 表题 {align=\"left left left decimal\" widths=\"3 - 2 1.5\"}";
    let b = body(md);
    let Block::Table(tb) = &b[0] else {
        panic!("{b:?}")
    };
    assert_eq!(tb.caption, vec![t("表题")]);
    let aligns: Vec<Align> = tb.columns.iter().map(|c| c.align).collect();
    assert_eq!(
        aligns,
        vec![Align::Left, Align::Left, Align::Left, Align::Decimal]
    );
    let widths: Vec<Option<f32>> = tb.columns.iter().map(|c| c.width).collect();
    assert_eq!(widths, vec![Some(3.0), None, Some(2.0), Some(1.5)]);
    let spans = |row: &Vec<Cell>| {
        row.iter()
            .map(|c| (c.colspan, c.rowspan))
            .collect::<Vec<_>>()
    };
    assert_eq!(spans(&tb.head[0]), vec![(1, 2), (2, 1), (1, 2)]);
    assert_eq!(spans(&tb.head[1]), vec![(1, 1), (1, 1)]);
    assert_eq!(spans(&tb.body[0]), vec![(1, 2), (1, 1), (1, 1), (1, 1)]);
    assert_eq!(spans(&tb.body[1]), vec![(1, 1), (1, 1), (1, 1)]);
    assert_eq!(spans(&tb.body[2]), vec![(4, 1)]);
    assert_eq!(tb.body[3][0].content, vec![t("<")]);
    assert_eq!(tb.body[3][1].content, vec![t("^")]);
    assert_eq!(
        tb.body[0][0].content,
        vec![t("甲"), Inline::Cite(vec!["x".into()])]
    );
}

#[test]
fn a_table_without_header_or_descriptions() {
    let b = body("|  |  |\n|--|--|\n| a | b |");
    let Block::Table(tb) = &b[0] else { panic!() };
    assert!(tb.head.is_empty() && tb.columns.is_empty() && tb.caption.is_empty());
    assert_eq!(tb.body.len(), 1);
}

#[test]
fn figures_quotes_asides_and_notes() {
    let md = "\
![图题[^1]](figures/x.png \"替代文字\"){width=0.8}

> 引文第一段。
>
> ——《指南》[@x]

::: aside 温馨提示
提示段落。

- 项目
:::

[^1]: 注释文字。";
    let b = body(md);
    let Block::Figure(f) = &b[0] else {
        panic!("{b:?}")
    };
    assert_eq!(
        (f.image.as_str(), f.alt.as_str(), f.width),
        ("figures/x.png", "替代文字", Some(0.8))
    );
    assert_eq!(
        f.caption,
        vec![t("图题"), Inline::Note(vec![t("注释文字。")])]
    );
    let Block::Quote(q) = &b[1] else { panic!() };
    assert_eq!(q.paragraphs, vec![vec![t("引文第一段。")]]);
    assert_eq!(
        q.source,
        vec![t("《指南》"), Inline::Cite(vec!["x".into()])]
    );
    let Block::Aside(a) = &b[2] else { panic!() };
    assert_eq!(a.label, "温馨提示");
    assert_eq!(a.blocks.len(), 2);
}

#[test]
fn what_the_model_cannot_hold_is_refused_where_it_stands() {
    // FRONT is 5 lines, so the body starts on line 6.
    let cases = [
        (
            "```\ncode\n```",
            "a.md:6:1: blocks[0]: a code block cannot be set",
        ),
        (
            "#### 四级",
            "a.md:6:1: blocks[0]: a heading of level 4 cannot be set",
        ),
        (
            "文字 `code`",
            "a.md:6:4: blocks[0].paragraph[1]: inline code cannot be set",
        ),
        (
            "<div>x</div>",
            "a.md:6:1: blocks[0]: raw HTML cannot be set",
        ),
        ("甲\n\n---\n\n乙", "a.md:8:1: blocks[1]: a thematic break"),
        (
            "文字<b>粗</b>",
            "a.md:6:3: blocks[0].paragraph[1]: raw HTML cannot be set",
        ),
        (
            "引用[见 @x, 第3页]",
            "a.md:6:3: blocks[0].paragraph[1]: citation [见 @x, 第3页] cannot be set",
        ),
        (
            "甲[^9]",
            "a.md:6:2: blocks[0].paragraph: footnote [^9] has no definition",
        ),
        (
            "甲\n\n[^1]: 从未引用。",
            "a.md:8:1: footnote [^1] is never cited",
        ),
        (
            "文字 ![图](x.png \"说明\")",
            "a.md:6:4: blocks[0].paragraph[1]: an image inside text cannot be set",
        ),
        (
            "::: warning\n甲\n:::",
            "a.md:6:1: blocks[0]: `::: warning` is not a block a handout has",
        ),
        (
            "- 甲\n\n  乙",
            "a.md:8:3: blocks[0].list.items[0]: a list item holds one paragraph",
        ),
        (
            "甲  \n乙",
            "a.md:6:2: blocks[0].paragraph[1]: a hard line break cannot be set",
        ),
        (
            "![图](x.png \"说明\"){height=3}",
            "a.md:6:1: blocks[0].figure.width: a figure's braces hold only its width",
        ),
    ];
    for (md, expected) in cases {
        let e = errors(md);
        assert!(
            e.iter().any(|e| e.starts_with(expected)),
            "{md:?}: expected {expected:?}, got {e:?}"
        );
    }
}

#[test]
fn validation_errors_point_into_the_markdown() {
    let e = errors("# 甲\n\n### 乙\n\n文字[@nope]。");
    assert!(
        e.iter()
            .any(|e| e
                .starts_with("a.md:8:1: blocks[1].heading.level: heading level 3 skips a level")),
        "{e:?}"
    );
    assert!(
        e.iter().any(|e| e.starts_with(
            "a.md:10:4: blocks[2].paragraph[1].cite[0]: unknown reference id \"nope\""
        )),
        "{e:?}"
    );
}

#[test]
fn front_matter_errors_are_placed() {
    let e = parse(&format!(
        "---\ntitle: 标题\nauthor: 作者\ndate: 2025-13-01\nsubtitel: x\n---\n{END}"
    ))
    .unwrap_err();
    assert!(
        e[0].starts_with("a.md:5:11: subtitel: unknown field \"subtitel\""),
        "{e:?}"
    );
    let e = parse(&format!(
        "---\ntitle: 标题\nauthor: 作者\ndate: 2025-13-01\n---\n{END}"
    ))
    .unwrap_err();
    assert!(
        e[0].starts_with("a.md:4:7: meta.date: invalid date \"2025-13-01\""),
        "{e:?}"
    );
    let e = parse(&format!("+++\ntitle = \"标题\"\nauthor = 5\n+++\n{END}")).unwrap_err();
    assert!(
        e[0].starts_with("a.md:3:10: author: invalid type: integer 5, expected a string"),
        "{e:?}"
    );
    let e = parse("正文").unwrap_err();
    assert!(e[0].starts_with("a.md:1:1: no front matter"), "{e:?}");
    // Without a disclaimer the article is read; loading it gives it the house's, or refuses it
    // (`crate::with_house_notices`).
    let a = parse(&format!("{FRONT}正文")).expect("read");
    assert!(a.disclaimer.is_none());
}
