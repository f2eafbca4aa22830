//! The Markdown writer: every element and escape read back by the Markdown reader to the same model,
//! the forms written, and what is refused.

use std::path::Path;

use super::{Unwritable, write};
use crate::model::*;

// ---- helpers ----

fn load(file: &str) -> Article {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("source")
        .join(file);
    crate::source::load(&path).unwrap()
}

fn read(md: &str) -> Result<Article, String> {
    crate::source::parse_markdown(Path::new("a.md"), md, Path::new("."), 1 << 24)
        .map(|(a, _)| a)
        .map_err(|e| e.to_string())
}

/// Writes the article, reads it back, and asserts the same model (the JSON's `$schema` and the
/// images are not part of a Markdown source); the Markdown written.
fn round_trip(article: &Article) -> String {
    let md = write(article).unwrap_or_else(|e| panic!("{e}"));
    let back = read(&md).unwrap_or_else(|e| panic!("{e}\n---\n{md}"));
    let mut want = article.clone();
    want.schema = None;
    want.images = Default::default();
    assert_eq!(back, want, "\n---\n{md}");
    md
}

fn t(s: &str) -> Inline {
    Inline::Text(s.into())
}
fn strong(c: Vec<Inline>) -> Inline {
    Inline::Strong(c)
}
fn emph(c: Vec<Inline>) -> Inline {
    Inline::Emph(c)
}
fn sup(c: Vec<Inline>) -> Inline {
    Inline::Sup(c)
}
fn sub(c: Vec<Inline>) -> Inline {
    Inline::Sub(c)
}
fn note(c: Vec<Inline>) -> Inline {
    Inline::Note(c)
}
fn cite(ids: &[&str]) -> Inline {
    Inline::Cite(ids.iter().map(|s| s.to_string()).collect())
}
fn link(url: &str, c: Vec<Inline>) -> Inline {
    Inline::Link(Link {
        url: url.into(),
        content: c,
    })
}
fn p(c: Vec<Inline>) -> Block {
    Block::Paragraph(c)
}

fn reference(id: &str) -> Reference {
    Reference {
        id: id.into(),
        kind: ReferenceType::Book,
        author: vec![],
        et_al: false,
        title: format!("Title of {id}"),
        container_title: None,
        container_title_short: None,
        editor: vec![],
        container_author: vec![],
        translator: vec![],
        accessed: None,
        edition: None,
        number: None,
        issued: None,
        volume: None,
        issue: None,
        page: None,
        doi: None,
        pmid: None,
        pmcid: None,
        url: None,
        publisher: None,
        publisher_place: None,
        language: None,
    }
}

fn article(blocks: Vec<Block>) -> Article {
    Article {
        schema: None,
        meta: Meta {
            title: "标题".into(),
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
        references: vec![],
        disclaimer: Some(Notice {
            label: "免责说明".into(),
            paragraphs: vec![vec![t("仅供参考。")]],
        }),
        copyright: None,
        images: Default::default(),
    }
}

/// The body of the Markdown written for `blocks` (between the front matter and the disclaimer).
fn body(blocks: Vec<Block>) -> String {
    let md = round_trip(&article(blocks));
    let start = md.find("\n---\n\n").map_or(0, |i| i + 6);
    let end = md.find("\n::: disclaimer").unwrap_or(md.len());
    md[start..end].trim_end().to_string()
}

/// The one line a paragraph of `inlines` is written as.
fn para(inlines: Vec<Inline>) -> String {
    body(vec![p(inlines)])
}

fn refused(blocks: Vec<Block>) -> Unwritable {
    match write(&article(blocks)) {
        Ok(md) => panic!("written, expected a refusal:\n{md}"),
        Err(e) => e,
    }
}

fn item(term: Vec<Inline>, content: Vec<Inline>, children: Vec<List>) -> ListItem {
    ListItem {
        term,
        content,
        children,
    }
}
fn list(style: ListStyle, start: u32, items: Vec<ListItem>) -> List {
    List {
        style,
        start,
        items,
    }
}
fn cell(s: &str) -> Cell {
    Cell::new(vec![t(s)])
}
fn table(head: Vec<Vec<Cell>>, body: Vec<Vec<Cell>>) -> Table {
    Table {
        caption: vec![t("表题")],
        columns: vec![],
        head,
        body,
    }
}

// ---- the seeds ----

#[test]
fn seed_converts_and_reads_back() {
    let md = round_trip(&load("article.json"));
    assert!(md.starts_with(
        "---\ntitle: \"干细胞治疗渐冻症:短期症状缓解到长期神经再生| 临床数据全解析\"\n"
    ));
    assert!(md.contains("\nreferences_title: \"参考资料\"\n"), "{md}");
    assert!(md.contains("\nkeywords: [\"渐冻症\", "), "{md}");
    assert!(md.contains("\n  - {\"id\": \"qiao2016\", \"type\": \"article-journal\", \"author\": [{\"family\": \"乔\", \"given\": \"利军\"}"), "{md}");
    assert!(
        md.contains("\n**ALS功能评分量表(ALSFRS-R)**："),
        "a labelled term:\n{md}"
    );
    assert!(
        md.contains("\n1) **神经再生与细胞替代**："),
        "the Chinese list:\n{md}"
    );
    assert!(
        md.contains("\n5) **微环境重建与系统修复**：\n   - **归巢效应**："),
        "a nested list:\n{md}"
    );
    assert!(md.contains("\n::: disclaimer 免责说明\n"), "{md}");
}

#[test]
fn rich_article_converts_and_reads_back() {
    let md = round_trip(&load("alzheimer-blood-test.json"));
    for form in [
        "date: \"2025-06-20\"",
        "\n1. **先看记忆门诊**：",
        "| 研究 ",
        "| <  ",
        "\n| ^ ",
        "| --- ",
        "| :---",
        "---: |",
        "\nTable: 血浆p-tau217相关检测在两项瑞典研究中的表现 {align=\"left left left decimal decimal\" widths=\"3 3 5 1.5 1.5\"}\n",
        "](figures/accuracy-chart.png \"柱状图：",
        "。\"){width=0.8}\n",
        "\n[^1]: 血液检测通常用的是血浆",
        "Aβ~42~/Aβ~40~",
        "10^-12^克",
        "\n::: aside 温馨提示\n",
        "\n> ——阿尔茨海默病协会",
        "\n::: disclaimer 免责说明\n",
        "\n::: copyright 版权说明\n",
        "[@palmqvist2020]",
    ] {
        assert!(md.contains(form), "{form:?} missing in\n{md}");
    }
    // A note's definition follows the block that cites it; the aside's after the aside.
    let def = md.find("[^3]: ").unwrap();
    assert!(md[..def].ends_with(":::\n\n"), "{md}");
}

// ---- front matter ----

#[test]
fn front_matter_quotes_every_text() {
    let mut a = article(vec![p(vec![t("正文")])]);
    a.meta.title = "yes".into();
    a.meta.short_title = Some("2020-01-01".into());
    a.meta.subtitle = Some("a: b # c \"q\" \\ 'x' \u{2028} \u{feff}".into());
    a.meta.author = "null".into();
    a.meta.date = Some("2024-01-05".into());
    a.meta.lang = "en".into();
    a.meta.keywords = vec!["1.0".into(), "~".into(), "[x]".into()];
    a.meta.summary = Some("一行\n两行\t制表".into());
    a.references_title = "参考资料".into();
    let md = round_trip(&a);
    assert!(md.starts_with(
        "---\ntitle: \"yes\"\nshort_title: \"2020-01-01\"\nsubtitle: \"a: b # c \\\"q\\\" \\\\ 'x' \\u2028 \\uFEFF\"\nauthor: \"null\"\ndate: \"2024-01-05\"\nlang: \"en\"\nkeywords: [\"1.0\", \"~\", \"[x]\"]\nsummary: \"一行\\n两行\\t制表\"\nreferences_title: \"参考资料\"\n---\n"
    ), "{md}");
}

#[test]
fn default_references_title_is_not_written() {
    let md = round_trip(&article(vec![p(vec![t("正文")])]));
    assert!(!md.contains("references_title"), "{md}");
}

#[test]
fn yaml_quoting_escapes_what_yaml_cannot_hold() {
    let s = "\u{7f}\u{85}\u{9f}\u{fffe}\u{1}\r\u{10000}";
    let quoted = super::front_matter::quote(s);
    assert_eq!(
        quoted,
        "\"\\u007F\\u0085\\u009F\\uFFFE\\u0001\\r\u{10000}\""
    );
    let file: std::sync::Arc<Path> = std::sync::Arc::from(Path::new("a.md"));
    let tree = crate::source::tree::Tree::yaml(&file, &format!("k: {quoted}\n"), 1).unwrap();
    assert_eq!(tree.value["k"], s);
}

#[test]
fn references_are_flow_mappings_that_read_back() {
    let mut r = reference("smith:2020");
    r.kind = ReferenceType::ArticleJournal;
    r.author = vec![
        Name {
            family: Some("O'Brien".into()),
            given: Some("J \"Jr\"".into()),
            literal: None,
            suffix: None,
        },
        Name {
            family: None,
            given: None,
            literal: Some("世界卫生组织".into()),
            suffix: None,
        },
    ];
    r.et_al = true;
    r.issued = Some(Date {
        date_parts: vec![vec![2020, 1, 2]],
    });
    r.volume = Some("12".into());
    r.page = Some("1-9".into());
    r.doi = Some("10.1/x".into());
    r.url = Some("https://a.org/x?y=1&z".into());
    let mut a = article(vec![p(vec![t("见"), cite(&["smith:2020"])])]);
    a.references = vec![r];
    let md = round_trip(&a);
    assert!(md.contains("\nreferences:\n  - {\"id\": \"smith:2020\", \"type\": \"article-journal\", \"author\": [{\"family\": \"O'Brien\", \"given\": \"J \\\"Jr\\\"\"}, {\"literal\": \"世界卫生组织\"}], \"x-et-al\": true,"), "{md}");
}

// ---- text escaping ----

#[test]
fn markup_characters_are_escaped() {
    let line = para(vec![t(
        "a*b_c[d]e<f>g`h~i^j|k!l#m{n}o@p\\q&amp;r&s (t) u:v \"w\" 'x' $y% z=",
    )]);
    assert_eq!(
        line,
        "a\\*b\\_c\\[d\\]e\\<f\\>g\\`h\\~i\\^j\\|k\\!l\\#m\\{n\\}o\\@p\\\\q\\&amp;r\\&s (t) u:v \"w\" 'x' $y% z="
    );
}

#[test]
fn ampersand_is_escaped_only_before_an_entity_name() {
    assert_eq!(
        para(vec![t("AT&T, A & B, &#38;, &")]),
        "AT\\&T, A & B, \\&\\#38;, \\&"
    );
}

#[test]
fn text_that_would_start_a_block_is_made_inert() {
    let cases = [
        ("1. 第一", "1\\. 第一"),
        ("2) 第二", "2\\) 第二"),
        ("3.5 倍", "3.5 倍"),
        ("- 项", "\\- 项"),
        ("+ 项", "\\+ 项"),
        ("-12", "-12"),
        ("---", "\\---"),
        ("===", "\\==="),
        ("* 项", "\\* 项"),
        ("# 标题", "\\# 标题"),
        ("> 引文", "\\> 引文"),
        ("::: aside", "\\::: aside"),
        (": 说明", "\\: 说明"),
        ("Table: 表", "Table\\: 表"),
        ("| a | b |", "\\| a \\| b \\|"),
        ("    缩进", "&#32;   缩进"),
        ("\t制表", "&#9;制表"),
        ("<div>", "\\<div\\>"),
        ("[^1]: x", "\\[\\^1\\]: x"),
        ("[a]: http://x", "\\[a\\]: http://x"),
        ("```", "\\`\\`\\`"),
        ("~~~", "\\~\\~\\~"),
    ];
    for (text, written) in cases {
        assert_eq!(para(vec![t(text)]), written, "{text:?}");
    }
}

#[test]
fn white_space_and_newlines_become_entities() {
    assert_eq!(para(vec![t(" 前后 ")]), "&#32;前后&#32;");
    assert_eq!(para(vec![t("一\n二")]), "一&#10;二");
    assert_eq!(para(vec![t("中\u{3000}")]), "中&#x3000;");
}

#[test]
fn the_same_rules_hold_in_items_cells_headings_quotes_and_notes() {
    let tricky = || vec![t(" 1. *x* | <y> ")];
    let items = vec![item(vec![], tricky(), vec![])];
    body(vec![
        Block::Heading(Heading {
            level: 1,
            content: tricky(),
        }),
        p(vec![t("正文"), note(tricky())]),
        Block::List(list(ListStyle::Bullet, 1, items)),
        Block::Table(Table {
            caption: vec![t("表")],
            columns: vec![],
            head: vec![vec![Cell::new(tricky())]],
            body: vec![vec![Cell::new(tricky())]],
        }),
        Block::Quote(Quote {
            paragraphs: vec![tricky()],
            source: vec![t("出处")],
        }),
        Block::Aside(Aside {
            label: "提示".into(),
            blocks: vec![p(tricky())],
        }),
    ]);
}

// ---- bold and emphasis ----

#[test]
fn chinese_bold_needs_nothing_special() {
    assert_eq!(
        para(vec![t("这是"), strong(vec![t("重点：")]), t("内容")]),
        "这是**重点：**内容"
    );
    assert_eq!(
        para(vec![t("先"), emph(vec![t("弄清病因")]), t("是第一步")]),
        "先*弄清病因*是第一步"
    );
}

#[test]
fn bold_beside_letters_and_punctuation_still_reads_back() {
    // `a**(b)**c` would not be bold: the letters outside become entities.
    assert_eq!(
        para(vec![t("a"), strong(vec![t("(b)")]), t("c")]),
        "&#97;**(b)**&#99;"
    );
    para(vec![t("a"), emph(vec![t("\"q\"")]), t("b")]);
    para(vec![t("x"), strong(vec![t("y")]), t("z")]);
    para(vec![t("x"), strong(vec![t("。")]), t("z")]);
    para(vec![t("“"), strong(vec![t("引")]), t("”")]);
    para(vec![t("a "), strong(vec![t(" b ")]), t(" c")]);
}

#[test]
fn white_space_inside_bold_becomes_entities() {
    assert_eq!(
        para(vec![t("甲"), strong(vec![t(" 乙 ")]), t("丙")]),
        "甲**&#32;乙&#32;**丙"
    );
}

#[test]
fn adjacent_and_nested_emphasis_alternate_delimiters() {
    assert_eq!(
        para(vec![t("甲"), strong(vec![t("乙")]), emph(vec![t("丙")])]),
        "甲**乙**_丙_"
    );
    assert_eq!(
        para(vec![t("甲"), strong(vec![emph(vec![t("乙")])])]),
        "甲**_乙_**"
    );
    para(vec![emph(vec![strong(vec![t("a")])])]);
    para(vec![strong(vec![t("a "), strong(vec![t("b")]), t(" c")])]);
    para(vec![emph(vec![t("a "), emph(vec![t("b")]), t(" c")])]);
    para(vec![strong(vec![t("a")]), t("b"), strong(vec![t("c")])]);
    para(vec![t("x"), emph(vec![t("a")]), emph(vec![t("b")]), t("y")]);
    para(vec![strong(vec![emph(vec![t("a")]), t("b")]), t("c")]);
}

#[test]
fn bold_before_a_colon_is_not_a_term() {
    assert_eq!(
        para(vec![strong(vec![t("注意")]), t("：不是术语")]),
        "__注意__：不是术语"
    );
    assert_eq!(
        para(vec![strong(vec![t("Note")]), t(": not a term")]),
        "__Note__: not a term"
    );
    // Later in the paragraph `**` is fine.
    assert_eq!(
        para(vec![t("甲"), strong(vec![t("乙")]), t("：丙")]),
        "甲**乙**：丙"
    );
}

#[test]
fn labelled_paragraphs_and_terms() {
    let lab = |term, content| Block::Labelled(Labelled { term, content });
    assert_eq!(
        body(vec![lab(vec![t("术语")], vec![t("内容")])]),
        "**术语**：内容"
    );
    assert_eq!(body(vec![lab(vec![t("Term")], vec![])]), "**Term**：");
    assert_eq!(
        body(vec![lab(vec![t("术语")], vec![t("：冒号")])]),
        "**术语**：：冒号"
    );
    body(vec![lab(
        vec![t("a "), strong(vec![t("b")])],
        vec![emph(vec![t("c")])],
    )]);
    body(vec![lab(vec![strong(vec![t("b")])], vec![t("c")])]);
    // A space after the colon is content: written as an entity, which the reader keeps.
    assert_eq!(
        body(vec![lab(vec![t("术语")], vec![t(" 内容")])]),
        "**术语**：&#32;内容"
    );
    let e = refused(vec![lab(vec![], vec![t("内容")])]);
    assert_eq!(e.path, "blocks[0].labelled.term");
}

#[test]
fn empty_spans_are_refused() {
    let e = refused(vec![p(vec![t("a"), strong(vec![])])]);
    assert_eq!(
        e.to_string(),
        "blocks[0].paragraph[1].strong: an empty strong, expected its text (Markdown has no empty strong)"
    );
    refused(vec![p(vec![t("a"), emph(vec![])])]);
    refused(vec![p(vec![t("a"), sup(vec![])])]);
    refused(vec![p(vec![t("a"), sub(vec![])])]);
}

// ---- superscript, subscript ----

#[test]
fn superscripts_and_subscripts() {
    assert_eq!(
        para(vec![t("10"), sup(vec![t("-12")]), t("克")]),
        "10^-12^克"
    );
    assert_eq!(para(vec![t("Aβ"), sub(vec![t("42")])]), "Aβ~42~");
    para(vec![t("x"), sup(vec![t("a b")]), t("y")]);
    para(vec![t("x"), sup(vec![t(" a ")]), t("y")]);
    para(vec![t("H"), sub(vec![t("2")]), t("O")]);
    para(vec![sub(vec![t("~")])]);
    para(vec![t("a"), sup(vec![strong(vec![t("b")])])]);
    para(vec![link(
        "https://a.org",
        vec![t("H"), sub(vec![t("2")]), t("O")],
    )]);
}

#[test]
fn what_comrak_cannot_read_back_is_refused() {
    let e = refused(vec![p(vec![link(
        "https://a.org",
        vec![t("x"), sup(vec![t("2")])],
    )])]);
    assert_eq!(e.path, "blocks[0].paragraph[0].link.content[1].sup");
    let e = refused(vec![p(vec![t("x"), sup(vec![t("a")]), sup(vec![t("b")])])]);
    assert_eq!(e.path, "blocks[0].paragraph");
    assert!(e.message.contains("reads back as"), "{e}");
    refused(vec![p(vec![t("x"), sub(vec![t("a")]), sub(vec![t("b")])])]);
    refused(vec![p(vec![t("x"), sub(vec![sub(vec![t("a")])])])]);
    let e = refused(vec![p(vec![link(
        "https://a.org",
        vec![link("https://b.org", vec![t("x")])],
    )])]);
    assert_eq!(
        e.path,
        "blocks[0].paragraph[0].link.content[0].link.content"
    );
}

// ---- links, citations, notes ----

#[test]
fn link_destinations() {
    assert_eq!(
        para(vec![link("https://a.org/x", vec![t("链接")])]),
        "[链接](https://a.org/x)"
    );
    assert_eq!(
        para(vec![link("https://a.org/a b(c)", vec![t("x")])]),
        "[x](<https://a.org/a b(c)>)"
    );
    para(vec![link("https://a.org/?a=1&amp;b=\\2|3", vec![t("x")])]);
    para(vec![
        link("mailto:a@b.org", vec![emph(vec![t("邮件")])]),
        t("后"),
    ]);
    body(vec![Block::Table(table(
        vec![vec![Cell::new(vec![link(
            "https://a.org/x|y",
            vec![t("a|b")],
        )])]],
        vec![vec![Cell::new(vec![link(
            "https://a.org/\\|",
            vec![t("\\|")],
        )])]],
    ))]);
}

#[test]
fn citations() {
    let mut a = article(vec![p(vec![
        t("见"),
        cite(&["a", "b:2020-x", "_c"]),
        t("(2020)"),
        cite(&["乔2016", "key with space"]),
        t(": x"),
    ])]);
    a.references = ["a", "b:2020-x", "_c", "乔2016", "key with space"]
        .iter()
        .map(|id| reference(id))
        .collect();
    let md = round_trip(&a);
    assert!(
        md.contains("\n见[@a; @b:2020-x; @_c]\\(2020)[@{乔2016}; @{key with space}]\\: x\n"),
        "{md}"
    );
}

#[test]
fn citation_keys_braces_cannot_hold_are_refused() {
    for id in ["a;b", "a]b", "{a}", " a", ""] {
        let mut a = article(vec![p(vec![t("见"), cite(&[id])])]);
        a.references = vec![reference(id)];
        let e = write(&a).unwrap_err();
        assert_eq!(e.path, "blocks[0].paragraph[1].cite", "{id:?}");
    }
}

#[test]
fn notes_are_numbered_and_defined_after_their_block() {
    let md = body(vec![
        p(vec![
            t("甲"),
            note(vec![t("注一")]),
            t("乙"),
            note(vec![t("- 注二 "), emph(vec![t("强调")])]),
        ]),
        p(vec![t("丙")]),
        Block::Aside(Aside {
            label: "提示".into(),
            blocks: vec![p(vec![t("丁"), note(vec![t("注三")])])],
        }),
    ]);
    assert_eq!(
        md,
        "甲[^1]乙[^2]\n\n[^1]: 注一\n\n[^2]: \\- 注二 *强调*\n\n丙\n\n::: aside 提示\n丁[^3]\n:::\n\n[^3]: 注三"
    );
}

#[test]
fn note_then_parenthesis_or_colon_is_not_a_link() {
    assert_eq!(
        para(vec![note(vec![t("注")]), t(": 说明 (1)")])
            .lines()
            .next(),
        Some("[^1]\\: 说明 (1)")
    );
    assert_eq!(
        para(vec![t("见"), note(vec![t("注")]), t("(1)")])
            .lines()
            .next(),
        Some("见[^1]\\(1)")
    );
}

// ---- lists ----

#[test]
fn lists_nest_under_their_items() {
    let child = list(
        ListStyle::Bullet,
        1,
        vec![item(vec![], vec![t("子")], vec![])],
    );
    let numbered = list(
        ListStyle::Decimal,
        3,
        vec![item(vec![], vec![t("三")], vec![])],
    );
    let chinese = list(
        ListStyle::Chinese,
        1,
        vec![item(vec![t("项")], vec![t("文")], vec![])],
    );
    let items = vec![
        item(vec![], vec![t("一")], vec![child.clone()]),
        item(vec![], vec![t("二")], vec![numbered]),
        item(vec![], vec![], vec![chinese, child]),
    ];
    assert_eq!(
        body(vec![Block::List(list(ListStyle::Decimal, 9, items))]),
        "9. 一\n   - 子\n10. 二\n\n    3. 三\n11. 1) **项**：文\n\n    - 子"
    );
}

#[test]
fn lists_in_a_row_stay_apart() {
    let one =
        |style, text: &str| Block::List(list(style, 1, vec![item(vec![], vec![t(text)], vec![])]));
    assert_eq!(
        body(vec![
            one(ListStyle::Bullet, "甲"),
            one(ListStyle::Bullet, "乙"),
            one(ListStyle::Bullet, "丙")
        ]),
        "- 甲\n\n* 乙\n\n- 丙"
    );
    assert_eq!(
        body(vec![
            one(ListStyle::Decimal, "甲"),
            one(ListStyle::Chinese, "乙")
        ]),
        "1. 甲\n\n1) 乙"
    );
    let e = refused(vec![
        one(ListStyle::Decimal, "甲"),
        one(ListStyle::Decimal, "乙"),
    ]);
    assert_eq!(e.path, "blocks[1]");
}

#[test]
fn items_starting_like_a_block_or_a_term() {
    let items = vec![
        item(vec![], vec![t("- 不是子列表")], vec![]),
        item(vec![], vec![strong(vec![t("粗")]), t("：非术语")], vec![]),
        item(vec![], vec![t("  两个空格")], vec![]),
    ];
    assert_eq!(
        body(vec![Block::List(list(ListStyle::Bullet, 1, items))]),
        "- \\- 不是子列表\n- __粗__：非术语\n- &#32; 两个空格"
    );
}

#[test]
fn list_refusals() {
    let e = refused(vec![Block::List(list(ListStyle::Bullet, 1, vec![]))]);
    assert_eq!(e.path, "blocks[0].list.items");
    let e = refused(vec![Block::List(list(
        ListStyle::Bullet,
        1,
        vec![item(vec![], vec![], vec![])],
    ))]);
    assert_eq!(e.path, "blocks[0].list.items[0]");
    let long = list(
        ListStyle::Decimal,
        999_999_999,
        vec![item(vec![], vec![t("a")], vec![]); 2],
    );
    assert_eq!(
        refused(vec![Block::List(long)]).path,
        "blocks[0].list.start"
    );
}

// ---- tables ----

#[test]
fn tables_with_spans_and_several_header_rows() {
    let mut wide = cell("宽");
    wide.colspan = 2;
    let mut tall = cell("高");
    tall.rowspan = 2;
    let mut both = cell("大");
    both.colspan = 2;
    both.rowspan = 2;
    let t = Table {
        caption: vec![t("表题")],
        columns: vec![
            Column {
                align: Align::Left,
                width: None,
            },
            Column {
                align: Align::Center,
                width: Some(2.5),
            },
            Column {
                align: Align::Decimal,
                width: None,
            },
        ],
        head: vec![vec![tall, wide], vec![cell("b"), cell("c")]],
        body: vec![vec![both, cell("1.5")], vec![cell("2")]],
    };
    assert_eq!(
        body(vec![Block::Table(t)]),
        "| 高  | 宽  | <   |\n| :-- | :-: | --: |\n| ^   | b   | c   |\n| --- | --- | --- |\n| 大  | <   | 1.5 |\n| ^   | ^   | 2   |\n\nTable: 表题 {align=\"left center decimal\" widths=\"- 2.5 -\"}"
    );
}

#[test]
fn cells_that_look_like_markers_are_escaped() {
    let mut row = ["<", "^", "---", "-:", " :-- ", "a|b", "-"]
        .map(cell)
        .to_vec();
    row.push(Cell::new(vec![]));
    let md = body(vec![Block::Table(table(vec![], vec![row.clone(), row]))]);
    let lines: Vec<&str> = md.lines().collect();
    assert_eq!(
        lines[0],
        "|     |     |      |     |                |      |     |     |"
    );
    assert_eq!(
        lines[2],
        "| \\<  | \\^  | \\--- | \\-: | &#32;\\:--&#32; | a\\|b | \\-  |     |"
    );
}

#[test]
fn table_columns_and_captions() {
    let plain = table(
        vec![vec![cell("a"), cell("b")]],
        vec![vec![cell("1"), cell("2")]],
    );
    assert_eq!(
        body(vec![Block::Table(plain.clone())]),
        "| a   | b   |\n| --- | --- |\n| 1   | 2   |\n\nTable: 表题"
    );
    let mut left = plain.clone();
    left.columns = vec![
        Column {
            align: Align::Left,
            width: None
        };
        2
    ];
    left.caption = vec![];
    assert_eq!(
        body(vec![Block::Table(left)]),
        "| a   | b   |\n| :-- | :-- |\n| 1   | 2   |"
    );
    let mut widths = plain.clone();
    widths.columns = vec![
        Column {
            align: Align::Right,
            width: Some(1.0)
        };
        2
    ];
    widths.caption = vec![];
    assert_eq!(
        body(vec![Block::Table(widths)]),
        "| a   | b   |\n| --: | --: |\n| 1   | 2   |\n\nTable: {widths=\"1 1\"}"
    );
    let mut styled = plain;
    styled.caption = vec![emph(vec![t("表")]), t("题"), note(vec![t("注")]), t("{x}")];
    body(vec![Block::Table(styled)]);
}

#[test]
fn table_refusals() {
    let empty_head = table(
        vec![vec![cell(""), cell("")]],
        vec![vec![cell("1"), cell("2")]],
    );
    assert_eq!(
        refused(vec![Block::Table(empty_head)]).path,
        "blocks[0].table.head[0]"
    );
    let mut spaced = table(vec![vec![cell("a")]], vec![vec![cell("1")]]);
    spaced.caption = vec![t(" 表题")];
    assert!(body(vec![Block::Table(spaced)]).ends_with("Table: &#32;表题"));
    let short = table(vec![vec![cell("a"), cell("b")]], vec![vec![cell("1")]]);
    assert_eq!(
        refused(vec![Block::Table(short)]).path,
        "blocks[0].table.body[0]"
    );
}

// ---- figures, quotes, asides, notices ----

#[test]
fn figures() {
    let fig = |image: &str, alt: &str, caption, width| {
        Block::Figure(Figure {
            image: image.into(),
            alt: alt.into(),
            caption,
            width,
        })
    };
    assert_eq!(
        body(vec![fig("figures/a.png", "图", vec![t("图题")], Some(0.8))]),
        "![图题](figures/a.png \"图\"){width=0.8}"
    );
    assert_eq!(
        body(vec![fig(
            "my figs/a (1).png",
            "说\"明\" \\ &amp;",
            vec![],
            None
        )]),
        "![](<my figs/a (1).png> \"说\\\"明\\\" \\\\ &amp;amp;\")"
    );
    body(vec![fig(
        "a.png",
        "图",
        vec![
            emph(vec![t("斜")]),
            t(" "),
            link("https://a.org", vec![t("链")]),
        ],
        Some(0.75),
    )]);
    let e = refused(vec![fig(
        "a.png",
        "图",
        vec![t("x"), sup(vec![t("2")])],
        None,
    )]);
    assert_eq!(e.path, "blocks[0].figure.caption[1].sup");
}

#[test]
fn quotes() {
    let quote = |paragraphs, source| Block::Quote(Quote { paragraphs, source });
    assert_eq!(
        body(vec![quote(
            vec![vec![t("一")], vec![t("二")]],
            vec![t("《书》")]
        )]),
        "> 一\n>\n> 二\n>\n> ——《书》"
    );
    assert_eq!(
        body(vec![quote(
            vec![vec![t("一")], vec![t("——不是出处")]],
            vec![]
        )]),
        "> 一\n>\n> &#x2014;—不是出处"
    );
    assert_eq!(
        body(vec![quote(vec![vec![t("一")]], vec![t("——x")])]),
        "> 一\n>\n> ————x"
    );
    body(vec![quote(vec![vec![t("一")]], vec![emph(vec![t("书")])])]);
    assert_eq!(
        body(vec![quote(vec![vec![t("一")]], vec![t(" x")])]),
        "> 一\n>\n> ——&#32;x"
    );
    assert_eq!(
        refused(vec![quote(vec![], vec![t("x")])]).path,
        "blocks[0].quote.paragraphs"
    );
}

#[test]
fn asides_and_notice_labels() {
    let aside = |label: &str| {
        Block::Aside(Aside {
            label: label.into(),
            blocks: vec![
                p(vec![t("甲")]),
                Block::List(list(
                    ListStyle::Bullet,
                    1,
                    vec![item(vec![], vec![t("乙")], vec![])],
                )),
            ],
        })
    };
    assert_eq!(
        body(vec![aside("温馨提示")]),
        "::: aside 温馨提示\n甲\n\n- 乙\n:::"
    );
    assert_eq!(
        body(vec![aside("a: b & c\\d 要点")]),
        "::: aside a&#58; b &amp; c\\\\d 要点\n甲\n\n- 乙\n:::"
    );
    assert_eq!(refused(vec![aside("")]).path, "blocks[0].aside.label");
    assert_eq!(refused(vec![aside(" 提示")]).path, "blocks[0].aside.label");
    let mut a = article(vec![p(vec![t("正文")])]);
    let d = a.disclaimer.as_mut().expect("a disclaimer");
    d.label = "免责: 说明".into();
    d.paragraphs = vec![vec![t("一")], vec![t("::: 二")]];
    a.copyright = Some(Notice {
        label: "版权说明".into(),
        paragraphs: vec![vec![t("三")]],
    });
    let md = round_trip(&a);
    assert!(md.ends_with("正文\n\n::: disclaimer 免责&#58; 说明\n一\n\n\\::: 二\n:::\n\n::: copyright 版权说明\n三\n:::\n"), "{md}");
}

#[test]
fn headings() {
    assert_eq!(
        body(vec![
            Block::Heading(Heading {
                level: 1,
                content: vec![t("一 #")]
            }),
            Block::Heading(Heading {
                level: 2,
                content: vec![t("1. 二")]
            }),
        ]),
        "# 一 \\#\n\n## 1. 二"
    );
    let e = refused(vec![Block::Heading(Heading {
        level: 4,
        content: vec![t("四")],
    })]);
    assert_eq!(
        e.to_string(),
        "blocks[0].heading.level: heading level 4, expected 1 to 3"
    );
}

// ---- property: whatever is written reads back ----

mod property {
    use proptest::prelude::*;

    use super::*;

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            8 => "[ab1 　：:*_~^()\\[\\]<>&#!|{}.\\-—“”\"'@\\\\\n+=`$;/Tt]{1,4}",
            1 => prop_oneof![
                Just("1. "), Just("2) "), Just("- "), Just("+"), Just("---"), Just("Table:"), Just("——"),
                Just(":::"), Just("    "), Just("&amp;"), Just("[@a]"), Just("[^1]"), Just("<b>"), Just("\t"),
            ]
            .prop_map(String::from),
        ]
    }

    fn inline() -> impl Strategy<Value = Inline> {
        let leaf = prop_oneof![
            8 => text().prop_map(Inline::Text),
            1 => Just(cite(&["a"])),
            1 => Just(note(vec![t("注")])),
        ];
        leaf.prop_recursive(3, 12, 3, |inner| {
            let children = proptest::collection::vec(inner, 1..4);
            prop_oneof![
                children.clone().prop_map(Inline::Strong),
                children.clone().prop_map(Inline::Emph),
                children.clone().prop_map(Inline::Sup),
                children.clone().prop_map(Inline::Sub),
                children.prop_map(|c| link("https://a.org/(x)", c)),
            ]
        })
    }

    /// The model as a reader makes it: adjacent texts joined.
    fn canonical(inlines: Vec<Inline>) -> Vec<Inline> {
        let mut out: Vec<Inline> = Vec::new();
        for i in inlines {
            let i = match i {
                Inline::Text(s) => match out.last_mut() {
                    Some(Inline::Text(prev)) => {
                        prev.push_str(&s);
                        continue;
                    }
                    _ => Inline::Text(s),
                },
                Inline::Strong(c) => Inline::Strong(canonical(c)),
                Inline::Emph(c) => Inline::Emph(canonical(c)),
                Inline::Sup(c) => Inline::Sup(canonical(c)),
                Inline::Sub(c) => Inline::Sub(canonical(c)),
                Inline::Link(l) => link(&l.url, canonical(l.content)),
                other => other,
            };
            out.push(i);
        }
        out
    }

    fn block(kind: u8, a: Vec<Inline>, b: Vec<Inline>) -> Block {
        match kind {
            0 => p(a),
            1 => Block::Labelled(Labelled {
                term: a,
                content: b,
            }),
            2 => Block::List(list(ListStyle::Bullet, 1, vec![item(a, b, vec![])])),
            3 => Block::Table(Table {
                caption: b.clone(),
                columns: vec![],
                head: vec![vec![Cell::new(a.clone())]],
                body: vec![vec![Cell::new(b)]],
            }),
            4 => Block::Quote(Quote {
                paragraphs: vec![a],
                source: b,
            }),
            5 => Block::Figure(Figure {
                image: "a b.png".into(),
                alt: "图".into(),
                caption: a,
                width: None,
            }),
            6 => Block::Heading(Heading {
                level: 1,
                content: a,
            }),
            _ => Block::Aside(Aside {
                label: "提示".into(),
                blocks: vec![p(a)],
            }),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 1000, max_global_rejects: 4096, ..ProptestConfig::default() })]

        /// Any valid article the writer accepts reads back as the same model.
        #[test]
        fn what_is_written_reads_back(
            kind in 0u8..8,
            a in proptest::collection::vec(inline(), 1..5),
            b in proptest::collection::vec(inline(), 0..4),
        ) {
            let mut article = article(vec![block(kind, canonical(a), canonical(b))]);
            article.references = vec![reference("a")];
            let json = serde_json::to_string(&article).unwrap();
            prop_assume!(crate::source::parse(Path::new("a.json"), &json).is_ok());
            if let Ok(md) = write(&article) {
                let back = read(&md);
                prop_assert_eq!(back.as_ref(), Ok(&article), "\n{}", md);
            }
        }
    }
}
