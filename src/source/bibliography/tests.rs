use super::*;
use crate::model::{Date, Name, ReferenceType};

fn shown(name: &str) -> Arc<Path> {
    Arc::from(Path::new(name))
}

fn all(_: &str) -> bool {
    true
}

fn name(family: &str, given: &str) -> Name {
    Name {
        family: Some(family.into()),
        given: Some(given.into()),
        literal: None,
        suffix: None,
    }
}

/// A name written as one token ("胡泳"): all of it the family name.
fn family(family: &str) -> Name {
    Name {
        family: Some(family.into()),
        given: None,
        literal: None,
        suffix: None,
    }
}

fn literal(literal: &str) -> Name {
    Name {
        family: None,
        given: None,
        literal: Some(literal.into()),
        suffix: None,
    }
}

/// A reference with only an id, a type and a title.
fn base(id: &str, kind: ReferenceType, title: &str) -> Reference {
    Reference {
        id: id.into(),
        kind,
        author: Vec::new(),
        editor: Vec::new(),
        container_author: Vec::new(),
        translator: Vec::new(),
        et_al: false,
        title: title.into(),
        container_title: None,
        container_title_short: None,
        issued: None,
        accessed: None,
        edition: None,
        volume: None,
        issue: None,
        page: None,
        number: None,
        doi: None,
        pmid: None,
        pmcid: None,
        url: None,
        publisher: None,
        publisher_place: None,
        language: None,
    }
}

fn date(parts: &[i32]) -> Option<Date> {
    Some(Date {
        date_parts: vec![parts.to_vec()],
    })
}

/// The Chinese entry every format describes.
fn qiao() -> Reference {
    Reference {
        id: "qiao2016".into(),
        kind: ReferenceType::ArticleJournal,
        author: vec![name("乔", "利军"), name("卢", "爱丽"), name("冯", "梅")],
        editor: Vec::new(),
        container_author: Vec::new(),
        translator: Vec::new(),
        et_al: true,
        title: "脐带间充质干细胞移植治疗肌萎缩侧索硬化症的短期疗效及安全性分析".into(),
        container_title: Some("山东医药".into()),
        container_title_short: None,
        issued: date(&[2016]),
        accessed: None,
        edition: None,
        volume: Some("56".into()),
        issue: Some("36".into()),
        page: Some("1-4".into()),
        number: None,
        doi: None,
        pmid: None,
        pmcid: None,
        url: None,
        publisher: None,
        publisher_place: None,
        language: Some("zh-CN".into()),
    }
}

/// The English entry every format describes.
fn palmqvist() -> Reference {
    Reference {
        id: "palmqvist2020".into(),
        kind: ReferenceType::ArticleJournal,
        author: vec![name("Palmqvist", "Sebastian"), name("Janelidze", "Shorena")],
        editor: Vec::new(),
        container_author: Vec::new(),
        translator: Vec::new(),
        et_al: true,
        title: "Discriminative Accuracy of Plasma Phospho-tau217 for Alzheimer Disease vs Other \
                Neurodegenerative Disorders"
            .into(),
        container_title: Some("JAMA".into()),
        container_title_short: None,
        issued: date(&[2020, 8, 25]),
        accessed: None,
        edition: None,
        volume: Some("324".into()),
        issue: Some("8".into()),
        page: Some("772-781".into()),
        number: None,
        doi: Some("10.1001/jama.2020.12134".into()),
        pmid: Some("32722745".into()),
        pmcid: None,
        url: None,
        publisher: None,
        publisher_place: None,
        language: Some("en".into()),
    }
}

const BIB: &str = r#"% Two articles and a book.
@article{qiao2016,
  author = {乔, 利军 and 卢, 爱丽 and 冯, 梅 and others},
  title = {脐带间充质干细胞移植治疗肌萎缩侧索硬化症的短期疗效及安全性分析},
  journal = {山东医药},
  year = 2016,
  volume = {56},
  number = {36},
  pages = {1--4},
  langid = {chinese},
}

@book{who2019,
  author = {{World Health Organization}},
  title = {Risk Reduction of Cognitive Decline and Dementia},
  publisher = {WHO},
  address = {Geneva},
  year = {2019},
}

@Article{palmqvist2020,
  author = {Palmqvist, Sebastian and Janelidze, Shorena and others},
  title = {Discriminative Accuracy of Plasma Phospho-tau217 for {Alzheimer} Disease vs Other
           Neurodegenerative Disorders},
  journaltitle = {JAMA},
  date = {2020-08-25},
  volume = {324},
  number = {8},
  pages = {772--781},
  doi = {https://doi.org/10.1001/jama.2020.12134},
  eprinttype = {pubmed},
  eprint = {32722745},
  langid = {english},
}
"#;

/// Reads `text` of `kind`, wanting every key but `who2019`.
fn but_who(text: &str, kind: Kind) -> Bibliography {
    let wanted = |key: &str| key != "who2019";
    parse(&shown("refs"), text, kind, &wanted).unwrap_or_else(|e| panic!("{e}"))
}

/// The error of a text of `kind`, which holds one.
fn one_error(text: &str, kind: Kind) -> SourceError {
    let mut e = parse(&shown("refs"), text, kind, &all).unwrap_err();
    assert_eq!(e.0.len(), 1, "{e}");
    e.0.remove(0)
}

fn references(b: &Bibliography) -> Vec<Reference> {
    b.entries.iter().map(|(r, _)| r.clone()).collect()
}

fn at(places: &Places, path: &str) -> (usize, usize) {
    let p = places
        .find(path)
        .unwrap_or_else(|| panic!("no place for {path}"));
    (p.line, p.column)
}

#[test]
fn bibtex_entries_become_references() {
    let b = but_who(BIB, Kind::Bibtex);
    assert_eq!(b.keys, ["qiao2016", "who2019", "palmqvist2020"]);
    assert_eq!(references(&b), [qiao(), palmqvist()]);
    let places = &b.entries[0].1;
    assert_eq!(at(places, ""), (2, 1));
    assert_eq!(at(places, "type"), (2, 2));
    assert_eq!(at(places, "author[1]"), (3, 23));
    assert_eq!(at(places, "title"), (4, 12));
    assert_eq!(at(places, "container-title"), (5, 14));
    assert_eq!(at(places, "issued"), (6, 10));
    assert_eq!(at(places, "page"), (9, 12));
    let places = &b.entries[1].1;
    assert_eq!(at(places, "author[0]"), (22, 13));
    assert_eq!(at(places, "issued"), (26, 11));
    assert_eq!(at(places, "PMID"), (32, 13));
}

#[test]
fn bibtex_names_literal_chinese_accented_and_particles() {
    let text = r#"@book{b,
  author = {{World Health Organization} and 乔利军 and 欧阳 修 and {\"O}zt{\"u}rk, Ali and van Gogh, Vincent and J.~R.~R. Tolkien},
  title = {T}, year = {2019}, month = jun,
}"#;
    let b = parse(&shown("refs.bib"), text, Kind::Bibtex, &all).unwrap();
    let r = &b.entries[0].0;
    assert_eq!(
        r.author,
        [
            literal("World Health Organization"),
            family("乔利军"),
            name("欧阳", "修"),
            name("Öztürk", "Ali"),
            name("van Gogh", "Vincent"),
            name("Tolkien", "J. R. R."),
        ]
    );
    assert!(!r.et_al);
    assert_eq!(r.issued, date(&[2019, 6]));
    assert_eq!(at(&b.entries[0].1, "author[0]"), (2, 13));
    assert_eq!(at(&b.entries[0].1, "author[3]"), (2, 62));
}

#[test]
fn bibtex_types_and_containers() {
    let text = "@phdthesis{t, author = {赵, 舒怡}, title = {研究}, school = {南京医科大学}, \
                address = {南京}, year = {2023}}\n\
                @incollection{c, title = {Chapter}, booktitle = {Book}, publisher = {P}, year = 2001}\n\
                @misc{w, title = {Page}, url = {https://example.org/a~b}, year = 2024}\n";
    let b = parse(&shown("refs.bib"), text, Kind::Bibtex, &all).unwrap();
    let r: Vec<Reference> = references(&b);
    assert_eq!(r[0].kind, ReferenceType::Thesis);
    assert_eq!(r[0].publisher.as_deref(), Some("南京医科大学"));
    assert_eq!(r[0].publisher_place.as_deref(), Some("南京"));
    assert_eq!(r[1].kind, ReferenceType::Chapter);
    assert_eq!(r[1].container_title.as_deref(), Some("Book"));
    assert_eq!(r[2].kind, ReferenceType::Webpage);
    assert_eq!(r[2].url.as_deref(), Some("https://example.org/a~b"));
}

#[test]
fn bibtex_syntax_error_is_located() {
    let e = one_error(
        "@article{a,\n  title = {T}\n  year = {2016}\n}\n",
        Kind::Bibtex,
    );
    assert_eq!(e.position, Some((3, 3)), "{e}");
    assert!(e.message.contains("expected a comma"), "{e}");
    let e = one_error("@article{a,\n  title = {T},\n", Kind::Bibtex);
    assert!(e.message.contains("the end of the file"), "{e}");
}

#[test]
fn bibtex_unknown_type_is_located() {
    let e = one_error(
        "\n  @artwork{p,\n  title = {T},\n  year = {2020}\n}\n",
        Kind::Bibtex,
    );
    assert_eq!(e.position, Some((2, 4)), "{e}");
    assert_eq!(e.path, "p");
    assert!(e.message.contains("\"artwork\""), "{e}");
    assert!(e.message.contains("inproceedings"), "{e}");
    let e = one_error("@misc{m, title = {T}}", Kind::Bibtex);
    assert!(e.message.contains("\"misc\" without a url"), "{e}");
}

#[test]
fn bibtex_bad_year_and_missing_title_are_located() {
    let e = one_error(
        "@article{a,\n  title = {T},\n  year = {20x6},\n}\n",
        Kind::Bibtex,
    );
    assert_eq!(e.position, Some((3, 11)), "{e}");
    assert_eq!(e.path, "a.year");
    assert!(e.message.contains("\"20x6\""), "{e}");
    let e = one_error(
        "@article{a,\n  date = {2020-13},\n  title = {T}}",
        Kind::Bibtex,
    );
    assert_eq!(e.position, Some((2, 11)), "{e}");
    let e = one_error("@article{a,\n  year = {2020},\n}", Kind::Bibtex);
    assert_eq!(e.position, Some((1, 1)), "{e}");
    assert!(e.message.contains("expected a title"), "{e}");
    // Only wanted entries are converted, so an unwanted bad one is no error.
    let b = parse(
        &shown("r.bib"),
        "@article{a, year = {x}}",
        Kind::Bibtex,
        &|_| false,
    );
    assert_eq!(b.map(|b| b.keys), Ok(vec!["a".to_string()]));
}

const JSON: &str = r#"[
  {
    "id": "qiao2016",
    "type": "article-journal",
    "author": [
      {"family": "乔", "given": "利军"},
      {"family": "卢", "given": "爱丽"},
      {"family": "冯", "given": "梅"}
    ],
    "x-et-al": true,
    "title": "脐带间充质干细胞移植治疗肌萎缩侧索硬化症的短期疗效及安全性分析",
    "container-title": "山东医药",
    "issued": {"date-parts": [["2016"]]},
    "volume": 56,
    "issue": 36,
    "page": "1-4",
    "language": "zh-CN"
  },
  {"id": 7, "type": "book", "title": "Unwanted", "colour": "red"},
  {
    "id": "palmqvist2020",
    "type": "article-journal",
    "abstract": "Importance: There are limited data on plasma phospho-tau217…",
    "ISSN": "0098-7484",
    "original-date": {"date-parts": [[2020, 7, 28]]},
    "note": "PMID: 32722745",
    "source": "PubMed",
    "citation-key": "palmqvist2020",
    "journalAbbreviation": "JAMA",
    "title-short": "Discriminative Accuracy of Plasma Phospho-tau217",
    "reviewed-author": [{"family": "Bauchner", "given": "Howard"}],
    "author": [
      {"family": "Palmqvist", "given": "Sebastian"},
      {"family": "Janelidze", "given": "Shorena"}
    ],
    "x-et-al": true,
    "title": "Discriminative Accuracy of Plasma Phospho-tau217 for Alzheimer Disease vs Other Neurodegenerative Disorders",
    "container-title": "JAMA",
    "issued": {"date-parts": [[2020, 8, 25]]},
    "volume": "324",
    "issue": "8",
    "page": "772-781",
    "DOI": "10.1001/jama.2020.12134",
    "PMID": 32722745,
    "language": "en"
  }
]
"#;

#[test]
fn csl_json_items_become_references() {
    let wanted = |key: &str| key != "7";
    let b = parse(&shown("refs.json"), JSON, Kind::CslJson, &wanted).unwrap();
    assert_eq!(b.keys, ["qiao2016", "7", "palmqvist2020"]);
    assert_eq!(references(&b), [qiao(), palmqvist()]);
    let places = &b.entries[0].1;
    assert_eq!(at(places, ""), (2, 3));
    assert_eq!(at(places, "author[1]"), (7, 7));
    assert_eq!(at(places, "issued"), (13, 15));
    let places = &b.entries[1].1;
    assert_eq!(at(places, "title"), (37, 14));
}

#[test]
fn an_unknown_key_is_refused_at_its_place() {
    let e = one_error(JSON, Kind::CslJson);
    assert_eq!(e.path, "[1].colour", "{e}");
    assert_eq!(e.position, Some((19, 60)), "{e}");
    assert!(e.message.contains("unknown field \"colour\""), "{e}");
}

#[test]
fn csl_ids_must_be_there_and_distinct() {
    let text = "[{\"type\": \"book\", \"title\": \"T\"},\n {\"id\": \"a\", \"type\": \"book\", \"title\": \
                \"T\"},\n {\"id\": \"a\", \"type\": \"book\", \"title\": \"T\"}]";
    let e = parse(&shown("r.json"), text, Kind::CslJson, &all).unwrap_err();
    assert_eq!(e.0.len(), 2, "{e}");
    assert_eq!(e.0[0].position, Some((1, 2)), "{e}");
    assert!(e.0[0].message.contains("without \"id\""), "{e}");
    assert_eq!(e.0[1].position, Some((3, 9)), "{e}");
    assert!(e.0[1].message.contains("first on line 2"), "{e}");
    let e = one_error("{\"id\": \"a\"}", Kind::CslJson);
    assert!(e.message.contains("expected an array of CSL items"), "{e}");
}

const YAML: &str = r#"---
references:
- id: qiao2016
  type: article-journal
  author:
  - family: 乔
    given: 利军
  - family: 卢
    given: 爱丽
  - family: 冯
    given: 梅
  x-et-al: true
  title: 脐带间充质干细胞移植治疗肌萎缩侧索硬化症的短期疗效及安全性分析
  container-title: 山东医药
  issued: 2016
  volume: 56
  issue: 36
  page: 1-4
  language: zh-CN
- id: who2019
  type: book
  title: Risk Reduction of Cognitive Decline and Dementia
- id: palmqvist2020
  type: article-journal
  author:
  - family: Palmqvist
    given: Sebastian
  - family: Janelidze
    given: Shorena
  x-et-al: true
  title: Discriminative Accuracy of Plasma Phospho-tau217 for Alzheimer Disease vs Other Neurodegenerative Disorders
  container-title: JAMA
  issued: 2020-08-25
  volume: 324
  issue: 8
  page: 772-781
  DOI: 10.1001/jama.2020.12134
  PMID: 32722745
  language: en
...
"#;

#[test]
fn csl_yaml_items_become_references() {
    let b = but_who(YAML, Kind::CslYaml);
    assert_eq!(b.keys, ["qiao2016", "who2019", "palmqvist2020"]);
    assert_eq!(references(&b), [qiao(), palmqvist()]);
    assert_eq!(at(&b.entries[1].1, "issued"), (33, 11));
    // A bare array, and names with particles, load as well.
    let text = "- id: g\n  type: book\n  title: T\n  issued: {date-parts: [[1888]], season: 2}\n  \
                author:\n  - {family: Gogh, non-dropping-particle: van, given: Vincent}\n";
    let b = parse(&shown("r.yaml"), text, Kind::CslYaml, &all).unwrap();
    assert_eq!(b.entries[0].0.author, [name("van Gogh", "Vincent")]);
    assert_eq!(b.entries[0].0.issued, date(&[1888]));
    let e = one_error(
        "references:\n- id: a\n  type: poem\n  title: T\n",
        Kind::CslYaml,
    );
    assert_eq!(
        (e.path.as_str(), e.position),
        ("references[0].type", Some((3, 9))),
        "{e}"
    );
}

#[test]
fn files_are_read_with_their_errors_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("refs.bib");
    std::fs::write(&file, BIB).unwrap();
    let b = read(&file, &shown("refs.bib"), &all, 1 << 20).unwrap();
    assert_eq!(b.entries.len(), 3);
    let e = read(&file, &shown("refs.bib"), &all, 10).unwrap_err();
    assert!(e.to_string().contains("larger than the limit"), "{e}");
    let missing = dir.path().join("missing.json");
    let e = read(&missing, &shown("missing.json"), &all, 1 << 20).unwrap_err();
    assert_eq!(
        e.to_string(),
        "missing.json: cannot read the bibliography: no such file"
    );
    let e = read(
        &dir.path().join("refs.txt"),
        &shown("refs.txt"),
        &all,
        1 << 20,
    )
    .unwrap_err();
    assert!(e.to_string().contains("\".txt\", expected .bib"), "{e}");
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, b"- id: a\n  title: \xff\n").unwrap();
    let e = read(&bad, &shown("bad.yaml"), &all, 1 << 20).unwrap_err();
    assert_eq!(e.0[0].position, Some((2, 10)), "{e}");
    assert!(e.0[0].message.contains("invalid UTF-8"), "{e}");
}

#[test]
fn kinds_follow_the_extension() {
    assert_eq!(Kind::of(Path::new("a/refs.BIB")), Some(Kind::Bibtex));
    assert_eq!(Kind::of(Path::new("refs.json")), Some(Kind::CslJson));
    assert_eq!(Kind::of(Path::new("refs.yml")), Some(Kind::CslYaml));
    assert_eq!(Kind::of(Path::new("refs")), None);
    assert_eq!(
        date_parts("2020-07/2020-09"),
        Some(vec![vec![2020, 7], vec![2020, 9]])
    );
    assert_eq!(
        date_parts("2020-07-28T10:00:00Z"),
        Some(vec![vec![2020, 7, 28]])
    );
    assert_eq!(date_parts("2020-07-28-1"), None);
    assert_eq!(date_parts("20"), None);
}

#[test]
fn a_crash_in_the_bibtex_crate_is_an_error() {
    // biblatex 0.12 unwraps the year of a cross-referenced entry while resolving; "- 1" panics it.
    let text = "@inbook{c, crossref = {b}, title = {C}}\n@book{b, title = {B}, year = {- 1}}\n";
    let e = one_error(text, Kind::Bibtex);
    assert!(e.message.contains("cross-referenced"), "{e}");
}

/// `text` with `c` put in at about `at` and cut after about `end` (both on character boundaries).
fn mutated(text: &str, at: usize, c: char, end: usize) -> String {
    let boundary = |text: &str, i: usize| {
        (0..=i.min(text.len()))
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0)
    };
    let at = boundary(text, at);
    let mut out = format!("{}{c}{}", &text[..at], &text[at..]);
    out.truncate(boundary(&out, end.max(at + c.len_utf8())));
    out
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 128, ..Default::default() })]

    /// Whatever a bibliography holds, reading it gives references or errors, never a panic.
    #[test]
    fn no_text_panics_the_reader(
        at in 0..1800usize,
        c in proptest::prelude::any::<char>(),
        end in 0..2000usize,
        noise in "[@a-z{}=,\"#%\\\\~ \n0-9-]{0,60}",
    ) {
        for (text, kind) in [(BIB, Kind::Bibtex), (JSON, Kind::CslJson), (YAML, Kind::CslYaml)] {
            let _ = parse(&shown("r"), &mutated(text, at, c, end), kind, &all);
            let _ = parse(&shown("r"), &format!("{}{noise}", &mutated(text, at, c, end)), kind, &all);
        }
        let _ = parse(&shown("r"), &noise, Kind::Bibtex, &all);
    }
}

/// The one entry of a bibliography of `kind`.
fn only(text: &str, kind: Kind) -> (Reference, Places) {
    let mut b = parse(&shown("refs"), text, kind, &all).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(b.entries.len(), 1);
    b.entries.remove(0)
}

const CHAPTER: &str = "@incollection{cheng1999,
  author = {程根伟},
  title = {1998年长江洪水的成因与减灾对策},
  editor = {许厚泽 and 赵其国},
  bookauthor = {王夫之},
  booktitle = {长江流域洪涝灾害与科技对策},
  address = {北京},
  publisher = {科学出版社},
  year = {1999},
  pages = {32--36},
}
@inproceedings{paper,
  title = {Paper},
  editor = {Smith, John},
  bookauthor = {Doe, Jane},
  booktitle = {Proc},
  number = {7},
  year = {2020},
}
@proceedings{whole,
  editor = {Smith, John and others},
  title = {Proc},
  booktitle = {Ignored},
  bookauthor = {Doe, Jane},
  year = {2020},
}
";

#[test]
fn bibtex_editors_and_book_authors() {
    let b = parse(&shown("refs.bib"), CHAPTER, Kind::Bibtex, &all).unwrap();
    let chapter = Reference {
        author: vec![family("程根伟")],
        editor: vec![family("许厚泽"), family("赵其国")],
        container_author: vec![family("王夫之")],
        container_title: Some("长江流域洪涝灾害与科技对策".into()),
        issued: date(&[1999]),
        page: Some("32-36".into()),
        publisher: Some("科学出版社".into()),
        publisher_place: Some("北京".into()),
        ..base(
            "cheng1999",
            ReferenceType::Chapter,
            "1998年长江洪水的成因与减灾对策",
        )
    };
    assert_eq!(b.entries[0].0, chapter);
    let places = &b.entries[0].1;
    assert_eq!(at(places, "editor"), (4, 13));
    assert_eq!(at(places, "editor[1]"), (4, 21));
    assert_eq!(at(places, "container-author[0]"), (5, 17));
    // A conference paper's editors and book author; its `number` is a series number, not shown.
    let paper = &b.entries[1].0;
    assert_eq!(paper.kind, ReferenceType::PaperConference);
    assert_eq!(paper.editor, [name("Smith", "John")]);
    assert_eq!(paper.container_author, [name("Doe", "Jane")]);
    assert_eq!(paper.container_title.as_deref(), Some("Proc"));
    assert_eq!((&paper.issue, &paper.number), (&None, &None));
    // A whole proceedings: a paper-conference with its editors and no container.
    let whole = &b.entries[2].0;
    assert_eq!(whole.kind, ReferenceType::PaperConference);
    assert_eq!(whole.editor, [name("Smith", "John")]);
    assert!(whole.author.is_empty() && !whole.et_al);
    assert_eq!(whole.container_title, None);
    assert!(whole.container_author.is_empty());
}

#[test]
fn bibtex_translators_and_editions() {
    let text = "@book{negroponte1996,
  author = {尼葛洛庞帝},
  title = {数字化生存},
  translator = {胡泳 and 范海燕},
  edition = {4},
  address = {海口},
  publisher = {海南出版社},
  year = {1996},
}";
    let (r, places) = only(text, Kind::Bibtex);
    let book = Reference {
        author: vec![family("尼葛洛庞帝")],
        translator: vec![family("胡泳"), family("范海燕")],
        edition: Some("4".into()),
        issued: date(&[1996]),
        publisher: Some("海南出版社".into()),
        publisher_place: Some("海口".into()),
        ..base("negroponte1996", ReferenceType::Book, "数字化生存")
    };
    assert_eq!(r, book);
    assert_eq!(at(&places, "translator[1]"), (4, 24));
    assert_eq!(at(&places, "edition"), (5, 14));
    for (written, edition) in [
        ("4", "4"),
        ("4th", "4"),
        ("Fourth", "4"),
        ("2nd ed.", "2"),
        ("Second Edition", "2"),
        ("21st", "21"),
        ("第3版", "3"),
        ("Revised", "Revised"),
        ("修订版", "修订版"),
    ] {
        let text = format!("@book{{b, title = {{T}}, edition = {{{written}}}}}");
        assert_eq!(
            only(&text, Kind::Bibtex).0.edition.as_deref(),
            Some(edition),
            "{written}"
        );
    }
}

const NUMBERED: &str = "@techreport{fhwa1990,
  author = {{U.S. Department of Transportation Federal Highway Administration}},
  title = {Guidelines for Handling Excavated Acid-Producing Materials},
  institution = {U.S. Government Printing Office},
  address = {Washington},
  number = {PB 91-194001},
  year = {1990},
}
@standard{gb7714,
  author = {{中华人民共和国国家质量监督检验检疫总局} and {中国国家标准化管理委员会}},
  title = {信息与文献 参考文献著录规则},
  number = {GB/T 7714—2015},
  address = {北京},
  publisher = {中国标准出版社},
  year = {2015},
}
@patent{hebei2001,
  author = {{河北绿洲生态环境科技有限公司}},
  title = {一种荒漠化地区生态植被综合培育种植方法},
  number = {01129210.5},
  date = {2001-10-24},
  urldate = {2014-05-17},
  url = {http://211.152.9.47/sipoasp/zlijs/hyjs-yx-new.asp?recid=01129210.5&leixin=0},
}
";

#[test]
fn bibtex_reports_standards_and_patents_keep_their_numbers() {
    let b = parse(&shown("refs.bib"), NUMBERED, Kind::Bibtex, &all).unwrap();
    let r = references(&b);
    assert_eq!(r[0].kind, ReferenceType::Report);
    assert_eq!(r[0].number.as_deref(), Some("PB 91-194001"));
    assert_eq!(r[0].issue, None);
    assert_eq!(
        r[0].publisher.as_deref(),
        Some("U.S. Government Printing Office")
    );
    assert_eq!(at(&b.entries[0].1, "number"), (6, 13));
    let standard = Reference {
        author: vec![
            literal("中华人民共和国国家质量监督检验检疫总局"),
            literal("中国国家标准化管理委员会"),
        ],
        number: Some("GB/T 7714—2015".into()),
        issued: date(&[2015]),
        publisher: Some("中国标准出版社".into()),
        publisher_place: Some("北京".into()),
        ..base(
            "gb7714",
            ReferenceType::Standard,
            "信息与文献 参考文献著录规则",
        )
    };
    assert_eq!(r[1], standard);
    let patent = Reference {
        author: vec![literal("河北绿洲生态环境科技有限公司")],
        number: Some("01129210.5".into()),
        issued: date(&[2001, 10, 24]),
        accessed: date(&[2014, 5, 17]),
        url: Some(
            "http://211.152.9.47/sipoasp/zlijs/hyjs-yx-new.asp?recid=01129210.5&leixin=0".into(),
        ),
        ..base(
            "hebei2001",
            ReferenceType::Patent,
            "一种荒漠化地区生态植被综合培育种植方法",
        )
    };
    assert_eq!(r[2], patent);
    let places = &b.entries[2].1;
    assert_eq!(at(places, "number"), (20, 13));
    assert_eq!(at(places, "issued"), (21, 11));
    assert_eq!(at(places, "accessed"), (22, 14));
}

#[test]
fn bibtex_newspapers() {
    let text = "@newspaper{ding2000,
  author = {丁文祥},
  title = {数字革命与竞争国际化},
  journal = {中国青年报},
  date = {2000-11-20},
  number = {15},
}
@article{zhang2000,
  entrysubtype = {newspaper},
  author = {张田勤},
  title = {罪犯DNA库与生命伦理学计划},
  journaltitle = {大众科技报},
  date = {2000-11-12},
  pages = {7},
}
";
    let b = parse(&shown("refs.bib"), text, Kind::Bibtex, &all).unwrap();
    let ding = Reference {
        author: vec![family("丁文祥")],
        container_title: Some("中国青年报".into()),
        issued: date(&[2000, 11, 20]),
        page: Some("15".into()),
        ..base(
            "ding2000",
            ReferenceType::ArticleNewspaper,
            "数字革命与竞争国际化",
        )
    };
    assert_eq!(b.entries[0].0, ding);
    assert_eq!(at(&b.entries[0].1, "page"), (6, 13));
    let zhang = &b.entries[1].0;
    assert_eq!(zhang.kind, ReferenceType::ArticleNewspaper);
    assert_eq!(zhang.container_title.as_deref(), Some("大众科技报"));
    assert_eq!(zhang.issued, date(&[2000, 11, 12]));
    assert_eq!(zhang.page.as_deref(), Some("7"));
}

#[test]
fn bibtex_types_of_gb_t_7714() {
    use ReferenceType::*;
    for (written, kind) in [
        ("collection", Collection),
        ("mvcollection", Collection),
        ("archive", Manuscript),
        ("dataset", Dataset),
        ("software", Software),
        ("manual", Book),
        ("standard", Standard),
        ("patent", Patent),
        ("newspaper", ArticleNewspaper),
        ("proceedings", PaperConference),
        ("mvproceedings", PaperConference),
        ("report", Report),
    ] {
        let text = format!("@{written}{{k, title = {{T}}, organization = {{O}}}}");
        assert_eq!(only(&text, Kind::Bibtex).0.kind, kind, "{written}");
    }
    // A manual is published by its organization.
    let (manual, _) = only(
        "@manual{m, title = {T}, organization = {IBM}}",
        Kind::Bibtex,
    );
    assert_eq!(manual.publisher.as_deref(), Some("IBM"));
}

#[test]
fn bibtex_name_suffixes_stay_apart() {
    let text = "@book{p, author = {Peebles, Jr, Peyton Z. and Ford, Jr., Henry}, title = {T}}";
    let (r, _) = only(text, Kind::Bibtex);
    let peebles = Name {
        suffix: Some("Jr".into()),
        ..name("Peebles", "Peyton Z.")
    };
    let ford = Name {
        suffix: Some("Jr.".into()),
        ..name("Ford", "Henry")
    };
    assert_eq!(r.author, [peebles, ford]);
}

#[test]
fn bibtex_bad_urldate_is_located() {
    let text =
        "@online{o,\n  title = {T},\n  url = {https://example.org},\n  urldate = {26/03/2013},\n}";
    let e = one_error(text, Kind::Bibtex);
    assert_eq!(e.position, Some((4, 14)), "{e}");
    assert_eq!(e.path, "o.urldate");
    assert!(e.message.contains("\"26/03/2013\""), "{e}");
    assert!(e.message.contains("urldate"), "{e}");
}

const CSL_JSON_NEW: &str = r#"[
  {
    "id": "negroponte1996",
    "type": "book",
    "author": [{"literal": "尼葛洛庞帝"}],
    "translator": [{"family": "胡泳"}, {"family": "范海燕"}],
    "title": "数字化生存",
    "edition": 4,
    "publisher-place": "海口",
    "publisher": "海南出版社",
    "issued": {"date-parts": [[1996]]}
  },
  {
    "id": "cheng1999",
    "type": "chapter",
    "author": [{"family": "Peebles", "given": "Peyton Z.", "suffix": "Jr"}],
    "editor": [{"family": "许厚泽"}, {"family": "赵其国"}],
    "container-author": [{"family": "王夫之"}],
    "title": "T",
    "container-title": "长江流域洪涝灾害与科技对策"
  },
  {
    "id": "hebei2001",
    "type": "patent",
    "title": "一种荒漠化地区生态植被综合培育种植方法",
    "number": "01129210.5",
    "issued": "2001-10-24",
    "accessed": {"date-parts": [[2013, 3, 26]]}
  }
]
"#;

#[test]
fn csl_json_editors_translators_editions_numbers_and_accessed() {
    let b = parse(&shown("refs.json"), CSL_JSON_NEW, Kind::CslJson, &all).unwrap();
    let book = Reference {
        author: vec![literal("尼葛洛庞帝")],
        translator: vec![family("胡泳"), family("范海燕")],
        edition: Some("4".into()),
        issued: date(&[1996]),
        publisher: Some("海南出版社".into()),
        publisher_place: Some("海口".into()),
        ..base("negroponte1996", ReferenceType::Book, "数字化生存")
    };
    let chapter = Reference {
        author: vec![Name {
            suffix: Some("Jr".into()),
            ..name("Peebles", "Peyton Z.")
        }],
        editor: vec![family("许厚泽"), family("赵其国")],
        container_author: vec![family("王夫之")],
        container_title: Some("长江流域洪涝灾害与科技对策".into()),
        ..base("cheng1999", ReferenceType::Chapter, "T")
    };
    let patent = Reference {
        number: Some("01129210.5".into()),
        issued: date(&[2001, 10, 24]),
        accessed: date(&[2013, 3, 26]),
        ..base(
            "hebei2001",
            ReferenceType::Patent,
            "一种荒漠化地区生态植被综合培育种植方法",
        )
    };
    assert_eq!(references(&b), [book, chapter, patent]);
    assert_eq!(at(&b.entries[0].1, "translator[1]"), (6, 38));
    assert_eq!(at(&b.entries[0].1, "edition"), (8, 16));
    assert_eq!(at(&b.entries[1].1, "editor[1]"), (17, 35));
    assert_eq!(at(&b.entries[1].1, "container-author"), (18, 25));
    assert_eq!(at(&b.entries[2].1, "number"), (26, 15));
    assert_eq!(at(&b.entries[2].1, "accessed"), (28, 17));
}

const CSL_YAML_NEW: &str = "references:
- id: ding2000
  type: article-newspaper
  author:
  - family: Peebles
    given: Peyton Z.
    suffix: Jr
  title: 数字革命与竞争国际化
  container-title: 中国青年报
  issued: 2000-11-20
  accessed: 2013-03-26
  page: 15
- id: fhwa1990
  type: report
  number: PB 91-194001
  edition: 4
  editor:
  - family: 许厚泽
  translator: [{family: 胡泳}, {family: 范海燕}]
  container-author: [{literal: 船山全书编辑委员会}]
  title: T
  accessed: {date-parts: [[2013, 3, 26]]}
";

#[test]
fn csl_yaml_editors_translators_editions_numbers_and_accessed() {
    let b = parse(&shown("refs.yaml"), CSL_YAML_NEW, Kind::CslYaml, &all).unwrap();
    let newspaper = Reference {
        author: vec![Name {
            suffix: Some("Jr".into()),
            ..name("Peebles", "Peyton Z.")
        }],
        container_title: Some("中国青年报".into()),
        issued: date(&[2000, 11, 20]),
        accessed: date(&[2013, 3, 26]),
        page: Some("15".into()),
        ..base(
            "ding2000",
            ReferenceType::ArticleNewspaper,
            "数字革命与竞争国际化",
        )
    };
    let report = Reference {
        number: Some("PB 91-194001".into()),
        edition: Some("4".into()),
        editor: vec![family("许厚泽")],
        translator: vec![family("胡泳"), family("范海燕")],
        container_author: vec![literal("船山全书编辑委员会")],
        accessed: date(&[2013, 3, 26]),
        ..base("fhwa1990", ReferenceType::Report, "T")
    };
    assert_eq!(references(&b), [newspaper, report]);
    assert_eq!(at(&b.entries[0].1, "author[0]"), (5, 5));
    assert_eq!(at(&b.entries[0].1, "accessed"), (11, 13));
    assert_eq!(at(&b.entries[1].1, "number"), (15, 11));
    assert_eq!(at(&b.entries[1].1, "translator[1]"), (19, 30));
    // The new types are CSL's own.
    for kind in [
        "standard",
        "collection",
        "manuscript",
        "dataset",
        "software",
    ] {
        let text = format!("- id: a\n  type: {kind}\n  title: T\n");
        let (r, _) = only(&text, Kind::CslYaml);
        assert_eq!(serde_json::to_value(r.kind).unwrap(), kind);
    }
}
