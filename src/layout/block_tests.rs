//! Layout checks on tables, figures, quotes and asides: everything inside the text block (and the
//! text of a box inside its box), a table too wide refused by name, decimal points lined up, long
//! tables continued with their head, rows taller than a page cut, figures kept with their captions.

use crate::layout::a4::layout;
use crate::layout::a4::*;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::*;
use crate::image::{Image, ImageFormat};
use crate::model::{
    Align, Aside, Block, Cell, Column, Figure, Inline, List, ListItem, ListStyle, Quote, Table,
};

fn article() -> Article {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("source/article.json");
    let mut a = crate::source::load(&path).expect("the seed article loads");
    a.blocks.clear();
    a
}

fn fonts() -> Fonts {
    Fonts::locate(None).expect("the fonts in fonts/")
}

fn text(s: &str) -> Vec<Inline> {
    vec![Inline::Text(s.into())]
}

fn cell(s: &str) -> Cell {
    Cell {
        content: text(s),
        colspan: 1,
        rowspan: 1,
    }
}

fn spanning(s: &str, colspan: u32, rowspan: u32) -> Cell {
    Cell {
        content: text(s),
        colspan,
        rowspan,
    }
}

fn table(caption: &str, head: Vec<Vec<Cell>>, body: Vec<Vec<Cell>>, aligns: &[Align]) -> Block {
    Block::Table(Table {
        caption: text(caption),
        columns: aligns
            .iter()
            .map(|&align| Column { align, width: None })
            .collect(),
        head,
        body,
    })
}

/// An image of the given pixels at 96 dpi (layout reads only its size).
fn image(a: &mut Article, name: &str, width: u32, height: u32) {
    let image = Image {
        path: PathBuf::from(name),
        format: ImageFormat::Jpeg,
        width,
        height,
        dpi: (96.0, 96.0),
        components: 3,
        png: None,
        bytes: Arc::from(Vec::new()),
    };
    a.images.0.insert(name.into(), Arc::new(image));
}

fn figure(name: &str, caption: &str, width: Option<f32>) -> Block {
    Block::Figure(Figure {
        image: name.into(),
        alt: format!("{caption}的图"),
        caption: text(caption),
        width,
    })
}

fn paragraph(s: &str) -> Block {
    Block::Paragraph(text(s))
}

const SENTENCE: &str =
    "间充质干细胞通过旁分泌作用抑制神经炎症，ALS患者的FVC值在治疗后12个月内保持稳定。";

/// A table of `rows` body rows: a numbered first column, a text column, two numbers.
fn long_table(rows: usize) -> Block {
    let head = vec![vec![
        cell("编号"),
        cell("观察指标"),
        cell("基线"),
        cell("12个月"),
    ]];
    let body = (1..=rows)
        .map(|n| {
            vec![
                cell(&format!("第{n}行")),
                cell("ALSFRS-R评分"),
                cell(&format!("{}.{}", 30 + n % 9, n % 10)),
                cell(&format!("{}.{:02}", n, n % 100)),
            ]
        })
        .collect();
    table(
        "随访数据",
        head,
        body,
        &[Align::Left, Align::Left, Align::Decimal, Align::Right],
    )
}

/// Every block of the richer kinds, in an article of several pages.
fn every_block() -> Article {
    let mut a = article();
    image(&mut a, "wide.jpg", 3000, 1200);
    image(&mut a, "tall.jpg", 600, 9000);
    image(&mut a, "small.jpg", 200, 100);
    let head = vec![
        vec![
            spanning("分组", 1, 2),
            spanning("评分", 2, 1),
            spanning("说明", 1, 2),
        ],
        vec![cell("基线"), cell("6个月")],
    ];
    let body = vec![
        vec![
            cell("治疗组"),
            cell("38.5"),
            cell("40.25"),
            cell(&SENTENCE.repeat(3)),
        ],
        vec![
            spanning("对照组", 1, 2),
            cell("37.75"),
            cell("33.1"),
            cell("自然病程"),
        ],
        vec![cell("120"), cell("-2.5"), cell("数据缺失")],
    ];
    let aligns = [Align::Left, Align::Decimal, Align::Decimal, Align::Left];
    let quote = Block::Quote(Quote {
        paragraphs: vec![text(&SENTENCE.repeat(4)), text(SENTENCE)],
        source: text("《肌萎缩侧索硬化诊疗指南》"),
    });
    let list = Block::List(List {
        style: ListStyle::Bullet,
        start: 1,
        items: (0..3)
            .map(|_| ListItem {
                term: Vec::new(),
                content: text(&SENTENCE.repeat(2)),
                children: Vec::new(),
            })
            .collect(),
    });
    let aside = Block::Aside(Aside {
        label: "温馨提示".into(),
        blocks: vec![paragraph(&SENTENCE.repeat(3)), list],
    });
    a.blocks = vec![
        paragraph(&SENTENCE.repeat(5)),
        table("两组评分", head, body, &aligns),
        figure("wide.jpg", "宽图", None),
        quote,
        figure("small.jpg", "小图", Some(0.5)),
        aside,
        figure("tall.jpg", "高图", None),
        long_table(60),
    ];
    a
}

fn inside(x0: f32, x1: f32, y0: f32, y1: f32) -> bool {
    x0 >= TEXT_LEFT - 0.01
        && x1 <= TEXT_RIGHT + 0.01
        && y0 >= TEXT_BOTTOM - 0.01
        && y1 <= TEXT_TOP + 0.01
}

#[test]
fn every_glyph_box_and_image_is_inside_the_text_block() {
    let doc = layout(&every_block(), &fonts(), LayoutOptions::default()).expect("laid out");
    let (mut rects, mut pictures) = (0, 0);
    for (p, page) in doc.pages.iter().enumerate() {
        for g in &page.glyphs {
            assert!(inside(g.x, g.x + g.advance, g.y, g.y), "page {p}: {g:?}");
        }
        // What pagination repeats is inside the block too; the running header and footer are not.
        for g in page
            .furniture
            .iter()
            .filter(|g| g.y > TEXT_BOTTOM && g.y < TEXT_TOP)
        {
            assert!(
                g.x >= TEXT_LEFT - 0.01 && g.x + g.advance <= TEXT_RIGHT + 0.01,
                "{g:?}"
            );
        }
        for r in &page.rects {
            rects += 1;
            assert!(
                inside(r.x, r.x + r.width, r.y, r.y + r.height),
                "page {p}: {r:?}"
            );
        }
        for i in &page.pictures {
            pictures += 1;
            assert!(
                inside(i.x, i.x + i.width, i.y, i.y + i.height),
                "page {p}: {i:?}"
            );
        }
    }
    assert_eq!(pictures, 3);
    assert!(rects > 6, "only {rects} boxes and rules");
}

/// The text of each quote and aside keeps off both sides of its box.
#[test]
fn the_text_of_a_quote_or_an_aside_stays_inside_its_box() {
    let doc = layout(&every_block(), &fonts(), LayoutOptions::default()).expect("laid out");
    let inset = |e: usize| {
        let mut at = Some(e);
        while let Some(x) = at {
            match doc.elements[x].role {
                Role::BlockQuote => return Some(QUOTE_INSET),
                Role::Aside => return Some(ASIDE_INSET),
                _ => at = doc.elements[x].parent,
            }
        }
        None
    };
    let mut checked = 0;
    for g in doc.pages.iter().flat_map(|p| &p.glyphs) {
        let Some((left, right)) = inset(g.element) else {
            continue;
        };
        checked += 1;
        // A list marker hangs left of its item's text, still inside the inset.
        assert!(
            g.x >= TEXT_LEFT + left - 0.01,
            "{g:?} left of its box's text"
        );
        assert!(
            g.x + g.advance <= TEXT_RIGHT - right + 0.01,
            "{g:?} right of its box's text"
        );
    }
    assert!(checked > 200, "only {checked} glyphs in boxes");
}

#[test]
fn a_table_too_wide_for_the_text_block_is_an_error_naming_it() {
    let mut a = article();
    let row: Vec<Cell> = (0..14).map(|_| cell("1234567.125")).collect();
    a.blocks = vec![
        paragraph("前文"),
        table("十四列的宽表", vec![], vec![row], &[]),
    ];
    match layout(&a, &fonts(), LayoutOptions::default()) {
        Err(Error::Content { path, message }) => {
            assert_eq!(path, "blocks[1].table");
            assert!(
                message.contains("表1") && message.contains("十四列的宽表"),
                "{message}"
            );
            assert!(message.contains("too wide"), "{message}");
        }
        other => panic!(
            "expected a content error, got {:?}",
            other.map(|d| d.pages.len())
        ),
    }
}

/// The glyphs of a text run found on the pages (the first run with that text).
fn run<'d>(doc: &'d Document, text: &str) -> Vec<&'d Glyph> {
    let glyphs: Vec<&Glyph> = doc.pages.iter().flat_map(|p| &p.glyphs).collect();
    let wanted: Vec<String> = text.chars().map(String::from).collect();
    let at = glyphs
        .windows(wanted.len())
        .position(|w| w.iter().zip(&wanted).all(|(g, t)| g.text == *t))
        .unwrap_or_else(|| panic!("{text} is not on the pages"));
    glyphs[at..at + wanted.len()].to_vec()
}

#[test]
fn numbers_of_a_decimal_column_line_up_on_their_points() {
    let mut a = article();
    let numbers = ["3.14", "123.5", "0.001", "42", "-7.25"];
    let body = numbers.iter().map(|n| vec![cell("值"), cell(n)]).collect();
    a.blocks = vec![table(
        "对齐",
        vec![vec![cell("项目"), cell("数值")]],
        body,
        &[Align::Left, Align::Decimal],
    )];
    let doc = layout(&a, &fonts(), LayoutOptions::default()).expect("laid out");
    // The point's x, or where the point would be: the end of the integer part.
    let points: Vec<f32> = numbers
        .iter()
        .map(|n| {
            let glyphs = run(&doc, n);
            match n.find('.') {
                Some(i) => glyphs[n[..i].chars().count()].x,
                None => glyphs.last().map_or(0.0, |g| g.x + g.advance),
            }
        })
        .collect();
    for p in &points {
        assert!((p - points[0]).abs() < 0.01, "points at {points:?}");
    }
    // Not all at the left: the integer parts differ in width.
    let starts: Vec<f32> = numbers.iter().map(|n| run(&doc, n)[0].x).collect();
    assert!(
        starts.iter().any(|s| (s - starts[0]).abs() > 1.0),
        "{starts:?}"
    );
}

/// The body rows of a long table, each on the page it is found on, in order, never split; the pages
/// after the first repeat the header and read "续表1".
#[test]
fn a_long_table_continues_with_its_head_and_caption() {
    let mut a = article();
    a.blocks = vec![paragraph("前文"), long_table(120)];
    let doc = layout(&a, &fonts(), LayoutOptions::default()).expect("laid out");
    let mut next = 1;
    let mut pages_with_rows = 0;
    for (p, page) in doc.pages.iter().enumerate() {
        let text: String = page.glyphs.iter().map(|g| g.text.as_str()).collect();
        let repeated: String = page.furniture.iter().map(|g| g.text.as_str()).collect();
        let before = next;
        while text.contains(&format!("第{next}行")) {
            next += 1;
        }
        if next > before {
            pages_with_rows += 1;
            assert_eq!(repeated.contains("续表1"), p > 0, "page {p}: {repeated}");
            assert_eq!(repeated.contains("观察指标"), p > 0, "page {p}: {repeated}");
        }
    }
    assert_eq!(
        next,
        121,
        "rows missing or out of order after row {}",
        next - 1
    );
    assert!(
        pages_with_rows >= 3,
        "the table takes {pages_with_rows} pages"
    );
    // Each row is whole on its page: its four cells share a baseline.
    for page in &doc.pages {
        for g in page.glyphs.iter().filter(|g| g.text == "第") {
            let row: Vec<&Glyph> = page
                .glyphs
                .iter()
                .filter(|h| (h.y - g.y).abs() < 0.01)
                .collect();
            assert!(row.iter().any(|h| h.text == "R"), "a row split on its page");
        }
    }
}

/// A cell longer than a page: the table is set (no endless loop), its text cut between lines, every
/// line on some page in order, inside the block.
#[test]
fn a_row_taller_than_a_page_is_cut_between_its_lines() {
    let mut a = article();
    let long: String = (1..=1000).map(|n| format!("第{n}句。")).collect();
    a.blocks = vec![table(
        "长单元格",
        vec![vec![cell("项目"), cell("内容")]],
        vec![vec![cell("甲"), cell(&long)], vec![cell("乙"), cell("短")]],
        &[],
    )];
    let doc = layout(&a, &fonts(), LayoutOptions::default()).expect("laid out");
    assert!(doc.pages.len() >= 3, "{} pages", doc.pages.len());
    let all: String = doc
        .pages
        .iter()
        .flat_map(|p| &p.glyphs)
        .map(|g| g.text.as_str())
        .collect();
    let mut at = 0;
    for n in 1..=1000 {
        let found = all[at..].find(&format!("第{n}句"));
        at += found.unwrap_or_else(|| panic!("sentence {n} missing or out of order"));
    }
    for page in &doc.pages {
        for g in &page.glyphs {
            assert!(inside(g.x, g.x + g.advance, g.y, g.y), "{g:?}");
        }
    }
    // The cut row starts under the text before it, not on a page of its own.
    let first = doc
        .pages
        .iter()
        .position(|p| p.glyphs.iter().any(|g| g.text == "甲"))
        .expect("the table is set");
    assert_eq!(first, 0, "the table leaves its first page empty");
    // A short header is not broken, though its column is narrow.
    let head: Vec<&Glyph> = doc.pages[0]
        .glyphs
        .iter()
        .filter(|g| g.text == "项" || g.text == "目")
        .collect();
    assert!(head.len() == 2 && head[0].y == head[1].y, "{head:?}");
    // The pages after the table's first repeat its head.
    let of_table = |p: &&Page| p.glyphs.iter().any(|g| g.text == "句" || g.text == "乙");
    let continued: Vec<&Page> = doc.pages[first + 1..].iter().filter(of_table).collect();
    assert!(!continued.is_empty());
    for page in continued {
        let repeated: String = page.furniture.iter().map(|g| g.text.as_str()).collect();
        assert!(
            repeated.contains("续表1") && repeated.contains("内容"),
            "{repeated}"
        );
    }
}

/// A figure that does not fit under the text before it goes to the next page with its caption.
#[test]
fn a_figure_moves_to_the_next_page_with_its_caption() {
    let mut a = article();
    image(&mut a, "photo.jpg", 800, 600);
    a.blocks = vec![
        paragraph(&SENTENCE.repeat(38)),
        figure("photo.jpg", "照片", Some(0.8)),
    ];
    let doc = layout(&a, &fonts(), LayoutOptions::default()).expect("laid out");
    let page = doc
        .pages
        .iter()
        .position(|p| !p.pictures.is_empty())
        .expect("the picture is placed");
    assert!(page > 0, "the figure was expected to move on");
    let caption = doc.pages[page].glyphs.iter().find(|g| g.text == "图");
    let picture = &doc.pages[page].pictures[0];
    let caption = caption.expect("the caption is on the picture's page");
    assert!(caption.y < picture.y, "the caption is below the picture");
    assert!((picture.width - 0.8 * TEXT_WIDTH).abs() < 0.01);
    let centre = picture.x + picture.width / 2.0;
    assert!((centre - (TEXT_LEFT + TEXT_RIGHT) / 2.0).abs() < 0.01);
    let element = &doc.elements[picture.element];
    assert_eq!(element.role, Role::Figure);
    assert_eq!(element.alt.as_deref(), Some("照片的图"));
}

#[test]
fn an_aside_that_fits_on_a_page_is_kept_on_one() {
    let mut a = article();
    let aside = Block::Aside(Aside {
        label: "要点".into(),
        blocks: vec![
            paragraph(&SENTENCE.repeat(6)),
            paragraph(&SENTENCE.repeat(6)),
        ],
    });
    a.blocks = vec![paragraph(&SENTENCE.repeat(36)), aside];
    let doc = layout(&a, &fonts(), LayoutOptions::default()).expect("laid out");
    let aside = doc
        .elements
        .iter()
        .position(|e| e.role == Role::Aside)
        .expect("an aside element");
    let in_aside = |g: &Glyph| doc.elements[g.element].parent == Some(aside);
    let pages: Vec<usize> = (0..doc.pages.len())
        .filter(|&p| doc.pages[p].glyphs.iter().any(in_aside))
        .collect();
    assert_eq!(pages.len(), 1, "the aside is on pages {pages:?}");
    // Its box is drawn once, around it.
    let tinted: Vec<&Rect> = doc.pages[pages[0]]
        .rects
        .iter()
        .filter(|r| r.stroke.is_some())
        .collect();
    assert_eq!(tinted.len(), 1);
    for g in doc.pages[pages[0]].glyphs.iter().filter(|g| in_aside(g)) {
        assert!(
            g.y > tinted[0].y && g.y < tinted[0].y + tinted[0].height,
            "{g:?}"
        );
    }
}

#[test]
fn a_table_is_tagged_with_its_caption_rows_and_cells() {
    let mut a = article();
    a.blocks = vec![table(
        "标签",
        vec![vec![cell("甲"), cell("乙")]],
        vec![vec![spanning("丙", 2, 1)]],
        &[],
    )];
    let doc = layout(&a, &fonts(), LayoutOptions::default()).expect("laid out");
    let roles: Vec<Role> = doc.elements.iter().map(|e| e.role).collect();
    let at = roles
        .iter()
        .position(|r| *r == Role::Table)
        .expect("a table");
    let cell = |header, colspan| Role::TableCell {
        header,
        rowspan: 1,
        colspan,
    };
    assert_eq!(
        roles[at..at + 7],
        [
            Role::Table,
            Role::Caption,
            Role::TableRow,
            cell(true, 1),
            cell(true, 1),
            Role::TableRow,
            cell(false, 2),
        ]
    );
    let role_of = |text: &str| {
        let g = doc.pages[0]
            .glyphs
            .iter()
            .find(|g| g.text == text)
            .expect(text);
        doc.elements[g.element].role
    };
    assert_eq!(role_of("标"), Role::Caption);
    assert_eq!(role_of("甲"), cell(true, 1));
    assert_eq!(role_of("丙"), cell(false, 2));
}

/// A note cited in a table cell (of a table that runs over several pages) starts on the page of its
/// row, and emphasis in a cell gets its dots: the frames carry what their lines hold.
#[test]
fn notes_and_emphasis_in_table_cells_stay_with_their_rows() {
    let mut a = article();
    let body: Vec<Vec<Cell>> = (1..=120)
        .map(|i| {
            let mut content = text(&format!("第{i}行"));
            if i % 30 == 0 {
                content.push(Inline::Note(text(&format!("第{i}行的注释"))));
            }
            vec![
                Cell {
                    content,
                    colspan: 1,
                    rowspan: 1,
                },
                Cell {
                    content: vec![Inline::Emph(text("着重"))],
                    colspan: 1,
                    rowspan: 1,
                },
            ]
        })
        .collect();
    a.blocks.push(table(
        "带注释的长表",
        vec![vec![cell("行"), cell("值")]],
        body,
        &[Align::Left, Align::Left],
    ));
    let doc = layout(&a, &fonts(), LayoutOptions::default()).expect("laid out");
    assert!(doc.pages.len() >= 3, "{} pages", doc.pages.len());
    for (n, row) in [(1, 30), (2, 60), (3, 90), (4, 120)] {
        let marker = doc
            .pages
            .iter()
            .position(|p| p.links.iter().any(|l| l.target == Target::Note(n)));
        let note = doc
            .pages
            .iter()
            .position(|p| p.anchors.iter().any(|x| x.target == Target::Note(n)));
        assert!(marker.is_some(), "no marker of note {n} (row {row})");
        assert_eq!(
            marker, note,
            "note {n} of row {row} is not on its row's page"
        );
    }
    let dots: usize = doc.pages.iter().map(|p| p.dots.len()).sum();
    assert_eq!(dots, 120 * 2, "one dot under each emphasised Han character");
}
