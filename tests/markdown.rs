//! Markdown sources end to end: the seed and the rich article in Markdown give the handouts of their
//! JSON form byte for byte; `convert` both ways is lossless; bibliographies in BibTeX, CSL-JSON and
//! CSL-YAML; `new`; and every error of a Markdown source placed in the file it is about.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use handout::{Format, Options};

fn load(path: &Path) -> handout::model::Article {
    handout::load(path)
        .unwrap_or_else(|e| panic!("{} loads: {e}", path.display()))
        .article
}

/// The model of a JSON source without its editor hint (`$schema` says where the JSON Schema is; a
/// Markdown source has no such field).
fn without_schema(mut article: handout::model::Article) -> handout::model::Article {
    article.schema = None;
    article
}

fn render_all(source: &handout::Source) -> Vec<Vec<u8>> {
    let options = Options::default();
    Format::ALL
        .iter()
        .map(|&f| handout::render_source(source, f, &options).expect("renders"))
        .collect()
}

#[test]
fn the_seed_in_markdown_is_the_seed() {
    let md = load(&root().join("source/article.md"));
    let json = without_schema(load(&seed_source()));
    assert_eq!(md, json);
    let md = handout::load(&root().join("source/article.md")).expect("loads");
    let json = handout::load(&seed_source()).expect("loads");
    assert!(render_all(&md) == render_all(&json), "the handouts differ");
}

/// A folder for one test's files, with a bibliography or figures beside the article.
fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).expect("write");
    }
    dir
}

const BODY: &str = "\n# 引言\n\n中文文献[@qiao2016]，英文文献[@palmqvist2020]。\n\n::: disclaimer 免责说明\n仅供参考。\n:::\n";

fn article_citing(bibliography: &str) -> String {
    format!("---\ntitle: 标题\nauthor: 作者\nbibliography: {bibliography}\n---\n{BODY}")
}

const BIBTEX: &str = r#"@article{qiao2016,
  author = {乔, 利军 and 卢, 爱丽 and 冯, 梅 and others},
  title = {脐带间充质干细胞移植治疗肌萎缩侧索硬化症的短期疗效及安全性分析},
  journal = {山东医药}, year = {2016}, volume = {56}, number = {36}, pages = {1--4},
  langid = {chinese},
}
@article{palmqvist2020,
  author = {Palmqvist, S and Janelidze, S and Quiroz, Y T and others},
  title = {Discriminative accuracy of plasma phospho-tau217 for Alzheimer disease},
  journal = {JAMA}, year = {2020}, volume = {324}, number = {8}, pages = {772--781},
  doi = {10.1001/jama.2020.12134}, langid = {english},
}
@book{uncited, title = {Not cited}, year = {2000}}
"#;

const CSL_JSON: &str = r#"[
 {"id": "qiao2016", "type": "article-journal", "author": [{"family": "乔", "given": "利军"},
  {"family": "卢", "given": "爱丽"}, {"family": "冯", "given": "梅"}, {"family": "王", "given": "五"}],
  "title": "脐带间充质干细胞移植治疗肌萎缩侧索硬化症的短期疗效及安全性分析", "container-title": "山东医药",
  "issued": {"date-parts": [[2016]]}, "volume": 56, "issue": "36", "page": "1-4", "language": "zh-CN",
  "abstract": "Zotero exports carry fields the handout does not print.", "ISSN": "1002-266X"},
 {"id": "palmqvist2020", "type": "article-journal", "author": [{"family": "Palmqvist", "given": "S"},
  {"family": "Janelidze", "given": "S"}, {"family": "Quiroz", "given": "Y T"}, {"family": "Su", "given": "Y"}],
  "title": "Discriminative accuracy of plasma phospho-tau217 for Alzheimer disease", "container-title": "JAMA",
  "issued": {"date-parts": [["2020", "8"]]}, "volume": "324", "issue": "8", "page": "772-781",
  "DOI": "10.1001/jama.2020.12134", "language": "en"}
]
"#;

const CSL_YAML: &str = r#"references:
- id: qiao2016
  type: article-journal
  author: [{family: 乔, given: 利军}, {family: 卢, given: 爱丽}, {family: 冯, given: 梅}]
  x-et-al: true
  title: 脐带间充质干细胞移植治疗肌萎缩侧索硬化症的短期疗效及安全性分析
  container-title: 山东医药
  issued: 2016
  volume: 56
  issue: 36
  page: 1-4
  language: zh-CN
- id: palmqvist2020
  type: article-journal
  author:
  - {family: Palmqvist, given: S}
  - {family: Janelidze, given: S}
  - {family: Quiroz, given: Y T}
  x-et-al: true
  title: Discriminative accuracy of plasma phospho-tau217 for Alzheimer disease
  container-title: JAMA
  issued: {date-parts: [[2020, 8]]}
  volume: '324'
  issue: '8'
  page: 772-781
  DOI: 10.1001/jama.2020.12134
  language: en
"#;

/// The reference list of the plain-text handout.
fn reference_lines(source: &handout::Source) -> String {
    let options = Options {
        width: 1000,
        ..Options::default()
    };
    let text = handout::render_source(source, Format::Txt, &options).expect("renders");
    let text = String::from_utf8(text).expect("UTF-8");
    let start = text.find("参考文献").expect("a reference list");
    text[start..].to_string()
}

#[test]
fn bibliographies_in_bibtex_csl_json_and_csl_yaml_give_the_same_list() {
    for (name, text) in [
        ("refs.bib", BIBTEX),
        ("refs.json", CSL_JSON),
        ("refs.yaml", CSL_YAML),
    ] {
        let dir = folder(&[("a.md", &article_citing(name)), (name, text)]);
        let source =
            handout::load(&dir.path().join("a.md")).unwrap_or_else(|e| panic!("{name}: {e}"));
        let ids: Vec<&str> = source
            .article
            .references
            .iter()
            .map(|r| r.id.as_str())
            .collect();
        assert_eq!(
            ids,
            ["qiao2016", "palmqvist2020"],
            "{name}: only the cited entries, in the file's order"
        );
        let list = reference_lines(&source);
        assert!(
            list.contains("[1] 乔利军, 卢爱丽, 冯梅, 等. 脐带间充质干细胞"),
            "{name}:\n{list}"
        );
        assert!(
            list.contains("山东医药, 2016, 56(36): 1-4."),
            "{name}:\n{list}"
        );
        assert!(
            list.contains("[2] Palmqvist S, Janelidze S, Quiroz Y T, et al. Discriminative"),
            "{name}:\n{list}"
        );
        assert!(
            list.contains("JAMA, 2020, 324(8): 772-781."),
            "{name}:\n{list}"
        );
    }
}

/// Runs the binary in `dir` and checks that it failed with exit 2, wrote nothing into `output/`, and
/// said `expected` (a located message).
fn refused(dir: &Path, args: &[&str], expected: &str) {
    let o = handout(dir, args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    assert!(
        err.contains(expected),
        "{args:?}: expected {expected:?} in:\n{err}"
    );
    let out = dir.join("output");
    let written: Vec<PathBuf> = std::fs::read_dir(&out)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(written.is_empty(), "{args:?} wrote {written:?}");
}

#[test]
fn errors_point_into_the_markdown_and_its_bibliography() {
    let front = "---\ntitle: 标题\nauthor: 作者\nbibliography: refs.bib\n---\n";
    let cases: Vec<(String, &str, &str)> = vec![
        (
            format!("{front}{BODY}\n文字[@nope]。\n"),
            BIBTEX,
            "a.md:15:4: blocks[2].paragraph[1].cite[0]: unknown reference id \"nope\"",
        ),
        (
            format!("---\ntitle: 标题\nauthor: 作者\ndate: 2025-02-30\n---\n{BODY}"),
            "",
            "a.md:4:7: meta.date: invalid date \"2025-02-30\", expected YYYY-MM-DD",
        ),
        (
            format!("---\ntitle: 标题\nauthr: 作者\n---\n{BODY}"),
            "",
            "a.md:3:8: authr: unknown field \"authr\"",
        ),
        (
            format!("{front}{BODY}\n![图](missing.png \"说明\")\n"),
            BIBTEX,
            "a.md:15:1: blocks[2].figure.image: image \"missing.png\" not found",
        ),
        (
            article_citing("refs.bib"),
            "@article{qiao2016, title = {T}, year = {20x6}}\n@article{palmqvist2020, title = {U}, year = {2020}}",
            "refs.bib:1:41: qiao2016.year: \"20x6\" as the year, expected four digits",
        ),
        (
            article_citing("refs.bib"),
            "@article{qiao2016, title = {T}",
            "refs.bib:1:",
        ),
        (
            article_citing("refs.bib"),
            "@article{qiao2016, title = {T}, year = {2016}}\n@article{palmqvist2020, year = {2020}}",
            "refs.bib:2:1: palmqvist2020",
        ),
        (
            article_citing("../refs.bib"),
            "",
            "a.md:4:15: bibliography: bibliography \"../refs.bib\" leaves the source's folder",
        ),
    ];
    for (md, bib, expected) in cases {
        let dir = folder(&[("a.md", &md), ("refs.bib", bib)]);
        for command in ["pdf", "docx", "txt", "check"] {
            refused(dir.path(), &[command, "a.md"], expected);
        }
        refused(dir.path(), &["all", "a.md"], expected);
    }
}

#[test]
fn the_rich_article_in_markdown_with_a_bibtex_bibliography_is_the_rich_article() {
    let md = handout::load(&root().join("source/alzheimer-blood-test.md")).expect("loads");
    let json = handout::load(&root().join("source/alzheimer-blood-test.json")).expect("loads");
    assert_eq!(md.article, without_schema(json.article.clone()));
    assert!(render_all(&md) == render_all(&json), "the handouts differ");
}

/// `handout convert` in `dir`, from `source` to `output`.
fn convert(dir: &Path, source: &str, output: &str) {
    let o = handout(dir, &["convert", source, "-o", output]);
    assert!(
        o.status.success(),
        "convert {source} -o {output}: {}",
        stderr(&o)
    );
}

#[test]
fn converting_both_ways_is_lossless_and_gives_the_same_handouts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let figures = dir.path().join("figures");
    std::fs::create_dir_all(&figures).expect("mkdir");
    for name in ["accuracy-chart.png", "blood-tubes.jpg"] {
        std::fs::copy(root().join("source/figures").join(name), figures.join(name)).expect("copy");
    }
    for name in [
        "article.md",
        "alzheimer-blood-test.md",
        "alzheimer-blood-test.bib",
    ] {
        std::fs::copy(root().join("source").join(name), dir.path().join(name)).expect("copy");
    }
    for stem in ["article", "alzheimer-blood-test"] {
        convert(dir.path(), &format!("{stem}.md"), "a.json");
        convert(dir.path(), "a.json", "b.md");
        convert(dir.path(), "b.md", "b.json");
        let read = |name: &str| std::fs::read(dir.path().join(name)).expect(name);
        assert!(
            read("a.json") == read("b.json"),
            "{stem}: md -> json -> md -> json changed the JSON"
        );
        let original = handout::load(&dir.path().join(format!("{stem}.md"))).expect("loads");
        let converted = handout::load(&dir.path().join("a.json")).expect("loads");
        assert_eq!(original.article, converted.article, "{stem}");
        assert!(
            render_all(&original) == render_all(&converted),
            "{stem}: the handouts differ"
        );
    }
    // The form comes from the output's name, or --to; an output that would replace its source is refused.
    let o = handout(dir.path(), &["convert", "a.json", "-o", "x.txt"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("expected an output named *.md or *.json, or --to md|json"));
    let o = handout(dir.path(), &["convert", "a.json", "-o", "-", "--to", "md"]);
    assert!(
        o.status.success() && o.stdout.starts_with(b"---\ntitle: "),
        "{}",
        stderr(&o)
    );
    let o = handout(dir.path(), &["convert", "a.json", "-o", "./a.json"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("would replace the source"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_new_article_checks_builds_and_never_replaces_a_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("articles")).expect("mkdir");
    let o = handout(dir.path(), &["new", "articles/blood-test.md"]);
    assert!(o.status.success(), "{}", stderr(&o));
    for name in ["articles/blood-test.md", "articles/blood-test.bib"] {
        assert!(dir.path().join(name).is_file(), "{name} missing");
    }
    let o = handout(dir.path(), &["check", "articles/blood-test.md"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = handout(dir.path(), &["all", "articles"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let source = handout::load(&dir.path().join("articles/blood-test.md")).expect("loads");
    let a = &source.article;
    assert!(a.meta.subtitle.is_some() && a.meta.date.is_some() && a.meta.summary.is_some());
    assert!(a.copyright.is_some() && !a.meta.keywords.is_empty());
    let kinds: Vec<&str> = a.blocks.iter().map(block_kind).collect();
    for kind in ["heading", "paragraph", "labelled", "list", "table", "aside"] {
        assert!(
            kinds.contains(&kind),
            "the template has no {kind}: {kinds:?}"
        );
    }
    let list = reference_lines(&source);
    assert!(list.contains("等. ") && list.contains("et al. "), "{list}");
    assert!(
        format!("{:?}", a.blocks).contains("Note("),
        "the template has no footnote"
    );

    // Never replaces: neither the article nor its bibliography, and nothing is written.
    let before = std::fs::read(dir.path().join("articles/blood-test.md")).expect("read");
    let o = handout(dir.path(), &["new", "articles/blood-test.md"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
    assert_eq!(
        std::fs::read(dir.path().join("articles/blood-test.md")).expect("read"),
        before
    );
    std::fs::write(dir.path().join("other.bib"), "% mine").expect("write");
    let o = handout(dir.path(), &["new", "other.md"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!dir.path().join("other.md").exists());
    assert_eq!(
        std::fs::read_to_string(dir.path().join("other.bib")).expect("read"),
        "% mine"
    );
    let o = handout(dir.path(), &["new", "notes.txt"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

fn block_kind(block: &handout::model::Block) -> &'static str {
    use handout::model::Block;
    match block {
        Block::Heading(_) => "heading",
        Block::Paragraph(_) => "paragraph",
        Block::Labelled(_) => "labelled",
        Block::List(_) => "list",
        Block::Table(_) => "table",
        Block::Figure(_) => "figure",
        Block::Quote(_) => "quote",
        Block::Aside(_) => "aside",
    }
}

#[test]
fn twins_that_differ_are_refused_as_colliding_outputs() {
    let dir = folder(&[
        (
            "a.md",
            &format!(
                "---\ntitle: 标题\nauthor: 作者\n---\n正文。\n{}",
                &BODY[BODY.find("::: disclaimer").unwrap_or(0)..]
            ),
        ),
        (
            "a.json",
            r#"{"meta": {"title": "另一个标题", "author": "作者"}, "blocks": [{"paragraph": ["正文。"]}], "disclaimer": {"label": "免责说明", "paragraphs": [["仅供参考。"]]}}"#,
        ),
    ]);
    let o = handout(dir.path(), &["all", "."]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("would both be written to"),
        "{}",
        stderr(&o)
    );
    std::fs::write(
        dir.path().join("a.json"),
        handout::writers::json::write(
            &handout::load(&dir.path().join("a.md"))
                .expect("loads")
                .article,
        ),
    )
    .expect("write");
    let o = handout(dir.path(), &["all", ".", "--out-dir", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("1 source(s), 3 file(s)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_front_matter_schema_is_the_committed_one() {
    let committed =
        std::fs::read(root().join("source/front-matter.schema.json")).expect("committed");
    let o = handout(&root(), &["schema", "--front-matter"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        o.stdout == committed,
        "source/front-matter.schema.json is not `handout schema --front-matter`"
    );
    let schema: serde_json::Value = serde_json::from_slice(&committed).expect("JSON");
    let keys: Vec<&str> = schema["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "title",
        "short_title",
        "subtitle",
        "author",
        "date",
        "keywords",
        "summary",
        "lang",
        "references_title",
        "disclaimer",
        "copyright",
        "references",
        "bibliography",
    ] {
        assert!(
            keys.contains(&key),
            "{key} is not in the front matter's schema"
        );
    }
}

#[test]
fn bad_markdown_is_refused_where_it_stands() {
    let front = "---\ntitle: 标题\nauthor: 作者\n---\n";
    let end = "\n::: disclaimer 免责说明\n仅供参考。\n:::\n";
    let cases: Vec<(String, &str)> = vec![
        (
            format!("{front}正文[@nokey]。{end}"),
            "a.md:5:4: blocks[0].paragraph[1].cite[0]: unknown reference id \"nokey\", the references list is empty",
        ),
        (
            format!("{front}::: aside 提示\n文字\n"),
            "a.md:5:1: blocks[0]: a `:::` block that is not closed, expected a line `:::` after its content",
        ),
        (
            format!("{front}::: warning 注意\n文字\n:::\n{end}"),
            "a.md:5:1: blocks[0]: `::: warning` is not a block a handout has",
        ),
        (
            format!("{front}文字<span>红</span>。{end}"),
            "a.md:5:3: blocks[0].paragraph[1]: raw HTML cannot be set in a handout",
        ),
        (
            format!("{front}<div>块</div>\n{end}"),
            "a.md:5:1: blocks[0]: raw HTML cannot be set in a handout",
        ),
        (
            format!("{front}#### 四级标题\n{end}"),
            "a.md:5:1: blocks[0]: a heading of level 4 cannot be set, expected #, ## or ###",
        ),
        (
            format!("{front}![图](missing.png \"说明\")\n{end}"),
            "a.md:5:1: blocks[0].figure.image: image \"missing.png\" not found",
        ),
        (
            format!("---\ntitle: [标题\nauthor: 作者\n---\n{end}"),
            "a.md:3:",
        ),
        (
            format!("---\ntitle: 标题\nauthor: 作者\ntags: [a]\n---\n{end}"),
            "a.md:4:7: tags: unknown field \"tags\"",
        ),
        (
            format!("---\ntitle: 标题\nauthor: 作者\nbibliography: nowhere.bib\n---\n{end}"),
            "a.md:4:15: bibliography: bibliography \"nowhere.bib\" not found",
        ),
        (
            format!("---\ntitle: 标题\nauthor: 作者\n{end}"),
            "a.md:1:1: the front matter is not closed",
        ),
        (
            format!("{front}甲~~删~~乙{end}"),
            "a.md:5:2: blocks[0].paragraph[1]: strikethrough",
        ),
    ];
    for (md, expected) in cases {
        let dir = folder(&[("a.md", &md)]);
        for command in ["pdf", "docx", "txt", "check", "all"] {
            refused(dir.path(), &[command, "a.md"], expected);
        }
    }
}
