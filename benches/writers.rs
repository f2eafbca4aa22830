//! In-process timings of each writer on the seed article (whole-process timings: see the README).

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use handout::{Format, Options};

fn writers(c: &mut Criterion) {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("source/article.json");
    c.bench_function("load source/article.json", |b| {
        b.iter(|| handout::load(&file).expect("loads"))
    });
    let source = handout::load(&file).expect("the seed article loads");
    let options = Options::default();
    for format in Format::ALL.into_iter().filter(|f| f.is_built()) {
        c.bench_function(&format!("render {}", format.extension()), |b| {
            b.iter(|| handout::render(&source.article, format, &options).expect("renders"))
        });
    }
}

criterion_group!(benches, writers);
criterion_main!(benches);
