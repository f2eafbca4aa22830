//! In-process timings of each writer on the seed article and on the rich article (tables, figures,
//! notes, quotes, asides), of loading each in JSON and in Markdown, and of converting back;
//! whole-process timings: see the README.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use handout::{Format, Options};

/// Loading the Markdown form of each article (the rich one reads its BibTeX bibliography), and
/// writing each article back as Markdown and as JSON (`handout convert`).
fn markdown(c: &mut Criterion) {
    for name in ["article", "alzheimer-blood-test"] {
        let file = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("source")
            .join(format!("{name}.md"));
        c.bench_function(&format!("load source/{name}.md"), |b| {
            b.iter(|| handout::load(&file).expect("loads"))
        });
        let article = handout::load(&file).expect("loads").article;
        c.bench_function(&format!("convert {name} to Markdown"), |b| {
            b.iter(|| handout::writers::markdown::write(&article).expect("writes"))
        });
        c.bench_function(&format!("convert {name} to JSON"), |b| {
            b.iter(|| handout::writers::json::write(&article))
        });
    }
}

/// GB/T 7714 entries of 1,000 references: the standard's 51 examples (tests/fixtures/gbt7714.json)
/// over and over, every type and field, online and in print.
fn references(c: &mut Criterion) {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gbt7714.json");
    let text = std::fs::read_to_string(fixture).expect("the fixture");
    let examples: Vec<serde_json::Value> = serde_json::from_str(&text).expect("JSON");
    let references: Vec<handout::model::Reference> = examples
        .iter()
        .cycle()
        .take(1000)
        .map(|e| serde_json::from_value(e["reference"].clone()).expect("a reference"))
        .collect();
    c.bench_function("format 1000 references (GB/T 7714)", |b| {
        b.iter(|| {
            let mut pieces = 0;
            for r in &references {
                pieces +=
                    handout::references::format(r, handout::references::NameCase::Upper).len();
            }
            pieces
        })
    });
}

/// Reading a house style (`handout.toml`): a typical file (paper, margins, header text, footer,
/// notices), and the same naming all five faces (each mapped and its tables checked).
fn configuration(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("handout-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a folder");
    let typical = r##"paper = "a5"
footer = "{page} / {pages}"
link_colour = "#1F4E79"
[margins]
top = "2cm"
bottom = "2cm"
left = "18mm"
right = "18mm"
[header]
text = "某某医院科普小组"
[disclaimer]
label = "免责说明"
text = "本材料仅供科普参考，不能代替医生的诊断和治疗。\n\n如有不适，请及时就医。"
[copyright]
label = "版权说明"
text = "本材料版权归某某医院科普小组所有。"
"##;
    let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts");
    let faces = [
        ("body", "NotoSerifSC-Regular.ttf"),
        ("body_bold", "NotoSerifSC-Bold.ttf"),
        ("heading", "NotoSansSC-Bold.ttf"),
        ("heading_regular", "NotoSansSC-Regular.ttf"),
        ("italic", "NotoSerif-Italic.ttf"),
    ];
    let mut with_fonts = format!("{typical}[fonts]\n");
    for (key, file) in faces {
        with_fonts.push_str(&format!(
            "{key} = {:?}\n",
            fonts.join(file).display().to_string()
        ));
    }
    for (name, text) in [
        ("typical", typical.to_string()),
        ("naming five faces", with_fonts),
    ] {
        let file = dir.join(format!("{}.toml", name.replace(' ', "-")));
        std::fs::write(&file, text).expect("written");
        c.bench_function(&format!("load handout.toml ({name})"), |b| {
            b.iter(|| {
                let config = handout::style::config::load(&file).expect("loads");
                handout::style::config::style(Some(&config), None).expect("a style")
            })
        });
    }
    std::fs::remove_dir_all(&dir).ok();
}

fn writers(c: &mut Criterion) {
    for (name, label) in [
        ("article.json", ""),
        ("alzheimer-blood-test.json", " (rich article)"),
    ] {
        let file = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("source")
            .join(name);
        c.bench_function(&format!("load source/{name}"), |b| {
            b.iter(|| handout::load(&file).expect("loads"))
        });
        let source = handout::load(&file).expect("the article loads");
        let options = Options::default();
        for format in Format::ALL {
            c.bench_function(&format!("render {}{label}", format.extension()), |b| {
                b.iter(|| handout::render(&source.article, format, &options).expect("renders"))
            });
        }
    }
}

/// A batch of 20 copies of the article, every built format, written to a temporary folder.
fn batch(c: &mut Criterion) {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("source/article.json");
    let dir = tempfile::tempdir().expect("temp dir");
    let sources: Vec<_> = (0..20)
        .map(|i| {
            let copy = dir.path().join(format!("a{i}.json"));
            std::fs::copy(&file, &copy).expect("copy");
            copy
        })
        .collect();
    let formats = Format::ALL;
    let options = Options::default();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).expect("out dir");
    c.bench_function("batch of 20 articles", |b| {
        b.iter(|| handout::batch::run(&sources, &out, &formats, &options, |_| {}))
    });
}

criterion_group!(benches, configuration, references, markdown, writers, batch);
criterion_main!(benches);
