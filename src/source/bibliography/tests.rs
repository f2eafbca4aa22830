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
