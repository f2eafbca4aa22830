//! The seed article in the model: every sentence of the author's text, in order, verbatim; the schema
//! committed beside it; bad tables, figures and notes refused with their file, line, column, JSON path
//! and what is expected.

mod common;

use common::*;
use handout::model::Item;

fn seed_text() -> String {
    std::fs::read_to_string(root().join("source/article.seed.txt"))
        .expect("source/article.seed.txt")
}

/// Folds what the structured source legitimately drops from a line: white space, list markers and
/// the colon that joins a term to its text.
fn folded(text: &str) -> String {
    canonical(text)
        .chars()
        .filter(|c| !matches!(c, ':' | '、'))
        .collect()
}

/// source/article.seed.txt is the author's text byte for byte: the shared seed
/// `000_a486e4f16a053824.txt` the project started from, whose SHA-256 was taken from that file when
/// this test was written. The repository's own copy is checked, on every clone.
#[test]
fn the_seed_copy_is_the_shared_seed() {
    use sha2::{Digest, Sha256};
    let bytes = std::fs::read(root().join("source/article.seed.txt")).expect("the seed text");
    let digest: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        digest, "a33b37d9f8f959a0c296cfdbe1f20893d3d17c2d45d0f127d13b83fa61f104df",
        "source/article.seed.txt is no longer the author's text"
    );
}

#[test]
fn every_line_of_the_seed_is_in_the_model_in_order() {
    let article = seed_article();
    let title = &article.meta.title;
    let mut model = String::new();
    article.walk(&mut |path, item| {
        if let Item::Text(t) = item
            && !path.starts_with("references[")
            && !path.starts_with("meta.")
        {
            model.push_str(t);
        }
    });
    let model = folded(&model);
    let seed = seed_text();
    let mut at = 0;
    let mut references = Vec::new();
    for line in seed.lines().filter(|l| !l.trim().is_empty()) {
        if line == title {
            continue;
        }
        if line.starts_with(['1', '2', '3', '4']) && line.chars().nth(1) == Some('、') {
            references.push(line);
            continue;
        }
        let body = line.trim_start_matches("- ");
        let body = body
            .trim_start_matches(['一', '二', '三', '四', '五'])
            .trim_start_matches('、');
        // The markers 【1】…【4】 are citations in the model.
        let body: String = ["【1】", "【2】", "【3】", "【4】"]
            .iter()
            .fold(body.to_string(), |b, m| b.replace(m, ""));
        let needle = folded(&body);
        match model[at..].find(&needle) {
            Some(i) => at += i + needle.len(),
            None => panic!("not in the model (in order): {line}"),
        }
    }
    assert_eq!(references.len(), 4);
    assert_eq!(
        title,
        "干细胞治疗渐冻症:短期症状缓解到长期神经再生| 临床数据全解析"
    );
    assert!(seed.contains(title.as_str()));
    assert_eq!(article.meta.author, "杭吉干细胞科技内容团队");

    // Each reference line of the seed holds every field of its structured reference.
    for (line, r) in references.iter().zip(&article.references) {
        let mut fields = vec![r.title.clone()];
        fields.extend(
            [
                &r.container_title,
                &r.volume,
                &r.issue,
                &r.page,
                &r.doi,
                &r.pmid,
                &r.pmcid,
            ]
            .into_iter()
            .flatten()
            .cloned(),
        );
        fields.extend(r.author.iter().filter_map(|n| n.family.clone()));
        for f in fields {
            assert!(line.contains(&f), "{}: {f:?} not in {line}", r.id);
        }
        assert!(
            r.issued
                .as_ref()
                .and_then(|d| d.year())
                .is_some_and(|y| line.contains(&y.to_string()))
        );
    }
}

#[test]
fn the_markers_become_citations_of_the_four_references() {
    let article = seed_article();
    let mut cited = Vec::new();
    article.for_each_citation(|ids| cited.extend(ids.iter().cloned()));
    assert_eq!(
        cited,
        vec!["qiao2016", "zhao2023", "barczewska2020", "shigematsu2021"]
    );
    let mut model = String::new();
    article.walk(&mut |_, item| {
        if let Item::Text(t) = item {
            model.push_str(t)
        }
    });
    assert!(
        !model.contains('【'),
        "the 【n】 markers are citations, not text"
    );
}

#[test]
fn the_committed_schema_is_the_generated_one() {
    let committed =
        std::fs::read_to_string(root().join("source/schema.json")).expect("source/schema.json");
    assert!(
        committed == handout::schema::schema_json(),
        "source/schema.json is stale: run `cargo run -- schema -o source/schema.json`"
    );
    let article: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(seed_source()).expect("read")).expect("JSON");
    assert_eq!(article["$schema"], "schema.json");
}

/// Each bad table, figure and note is one error, at the place the case marks, with its JSON path and
/// a message that says what is expected. (An image only the superuser may read cannot be made while
/// the tests run as the superuser: tests/cli.rs reads that one as an ordinary user.)
#[test]
fn bad_tables_figures_and_notes_are_located() {
    let root_user = running_as_root();
    let mut checked = 0;
    for case in bad_sources::cases() {
        if root_user && case.needs_an_ordinary_user() {
            continue;
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let made = case.make(dir.path());
        // Loaded on a thread of its own: an input that makes loading wait forever (a FIFO, once)
        // fails the test instead of hanging it.
        let (sender, receiver) = std::sync::mpsc::channel();
        let source = made.source.clone();
        std::thread::spawn(move || {
            // The receiver may have given up waiting: nothing to do then.
            let _ = sender.send(handout::load(&source));
        });
        let loaded = receiver
            .recv_timeout(std::time::Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("{}: still loading after 60 s", case.what));
        let Err(handout::Error::Source(errors)) = loaded else {
            panic!("{}: not refused as a bad source", case.what);
        };
        assert_eq!(errors.0.len(), 1, "{}: {errors}", case.what);
        let e = &errors.0[0];
        assert_eq!(e.file, made.source, "{}: {e}", case.what);
        assert_eq!(e.path, case.path, "{}: {e}", case.what);
        assert_eq!(e.position, Some(made.at), "{}: {e}", case.what);
        assert!(e.message.contains(case.message), "{}: {e}", case.what);
        checked += 1;
    }
    assert!(checked >= 32, "only {checked} cases");
}
