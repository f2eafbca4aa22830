//! How each writer's time grows with the size of the article: the seed article and the rich article
//! (tables, figures, notes, quotes, asides) repeated 1, 4, 16 and 64 times, articles of 4,000, 16,000
//! and 64,000 headings, and one table of 500, 2,000 and 8,000 rows with a note every ten rows. The figure is the time ratio per doubling
//! of the input (1.0 is constant time, 2.0 linear); every stage should stay at or under about 2.2.
//!
//! `cargo bench --bench scaling` (one process, the fastest of a few runs of each size).

use std::path::Path;
use std::time::{Duration, Instant};

use handout::model::{Article, Block, Cell, Heading, Inline, Table};
use handout::{Format, Options};

/// The seed article with its body repeated `times` times.
fn repeated(seed: &Article, times: usize) -> Article {
    let mut article = seed.clone();
    article.blocks = (0..times).flat_map(|_| seed.blocks.clone()).collect();
    article
}

/// An article of `n` headings (levels 1, 2, 3 in turn), each followed by a short paragraph.
fn headings(seed: &Article, n: usize) -> Article {
    let mut article = seed.clone();
    article.blocks = (0..n)
        .flat_map(|i| {
            [
                Block::Heading(Heading {
                    level: (i % 3) as u8 + 1,
                    content: vec![Inline::Text(format!("第{i}节 干细胞治疗"))],
                }),
                Block::Paragraph(vec![Inline::Text(format!("第{i}段，临床数据。"))]),
            ]
        })
        .collect();
    article
}

/// An article of one table of `n` rows of three cells, a note in every tenth row.
fn long_table(seed: &Article, n: usize) -> Article {
    let mut article = seed.clone();
    let cell = |s: String| Cell::new(vec![Inline::Text(s)]);
    let body = (0..n)
        .map(|i| {
            let mut first = Cell::new(vec![Inline::Text(format!("第{i}例"))]);
            if i % 10 == 0 {
                first
                    .content
                    .push(Inline::Note(vec![Inline::Text(format!("第{i}例的说明。"))]));
            }
            vec![
                first,
                cell(format!("{}.{}", i % 97, i % 10)),
                cell("治疗组".into()),
            ]
        })
        .collect();
    article.blocks = vec![Block::Table(Table {
        caption: vec![Inline::Text("随访记录".into())],
        columns: Vec::new(),
        head: vec![vec![
            cell("病例".into()),
            cell("数值".into()),
            cell("分组".into()),
        ]],
        body,
    })];
    article
}

/// The fastest of a few renders (fewer for large inputs).
fn time(article: &Article, format: Format, options: &Options) -> Duration {
    let mut best = Duration::MAX;
    let mut spent = Duration::ZERO;
    let mut runs = 0;
    while runs < 3 || (spent < Duration::from_millis(300) && runs < 20) {
        let started = Instant::now();
        let bytes = handout::render(article, format, options).expect("renders");
        let took = started.elapsed();
        assert!(!bytes.is_empty());
        best = best.min(took);
        spent += took;
        runs += 1;
    }
    best
}

/// Prints each size's time and the ratio per doubling between successive sizes.
fn series(name: &str, sizes: &[usize], make: impl Fn(usize) -> Article, options: &Options) {
    for format in Format::ALL {
        let mut line = format!("{name:<10} {:<5}", format.extension());
        let mut last: Option<(usize, Duration)> = None;
        let mut worst: f64 = 0.0;
        for &size in sizes {
            let t = time(&make(size), format, options);
            line.push_str(&format!(" {size:>6}: {:>9.2} ms", t.as_secs_f64() * 1e3));
            if let Some((s0, t0)) = last {
                let doublings = (size as f64 / s0 as f64).log2();
                let ratio = (t.as_secs_f64() / t0.as_secs_f64()).powf(1.0 / doublings);
                worst = worst.max(ratio);
                line.push_str(&format!(" (x{ratio:.2})"));
            }
            last = Some((size, t));
        }
        println!("{line}   worst ratio per doubling: {worst:.2}");
    }
}

fn main() {
    // `cargo bench` passes --bench; a filter is not supported: every series runs.
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("source/article.json");
    let seed = handout::load(&file)
        .expect("the seed article loads")
        .article;
    let rich_file = Path::new(env!("CARGO_MANIFEST_DIR")).join("source/alzheimer-blood-test.json");
    let rich = handout::load(&rich_file)
        .expect("the rich article loads")
        .article;
    let options = Options::default();
    options.fonts().expect("fonts");
    // Warm up: fonts mapped, shaping tables built.
    for format in Format::ALL {
        handout::render(&seed, format, &options).expect("renders");
    }
    println!("time per size (fastest run), and in brackets the ratio per doubling of the input");
    series("seed x", &[1, 4, 16, 64], |k| repeated(&seed, k), &options);
    series("rich x", &[1, 4, 16, 64], |k| repeated(&rich, k), &options);
    series(
        "table",
        &[500, 2_000, 8_000],
        |n| long_table(&seed, n),
        &options,
    );
    series(
        "headings",
        &[4_000, 16_000, 64_000],
        |n| headings(&seed, n),
        &options,
    );
}
