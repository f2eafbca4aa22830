//! Titles on two lines or more break at phrase boundaries, never inside a word, into lines of
//! balanced width, and the Word document breaks them where the PDF does. The words that must stay
//! whole are written here, for each title, by a reader: never asked of the segmenter under test.

mod common;

use handout::fonts::Face;
use handout::layout::{Document, Role};
use handout::model::Article;

/// A title (or subtitle) to check, the words no line may split, and how many lines it takes.
struct Case {
    name: &'static str,
    article: Article,
    words: &'static [&'static str],
    lines: usize,
}

/// A line of the PDF: its text and the width its glyphs take.
#[derive(Debug)]
struct Line {
    text: String,
    width: f32,
}

fn laid_out(article: &Article) -> Document {
    handout::writers::pdf::lay_out(article, &handout::Options::default()).expect("laid out")
}

/// The lines of page 1 whose glyphs all pass `keep`, in reading order.
fn first_page_lines(doc: &Document, keep: impl Fn(&handout::layout::Glyph) -> bool) -> Vec<Line> {
    let mut lines: Vec<(f32, Vec<&handout::layout::Glyph>)> = Vec::new();
    for g in doc.pages[0].glyphs.iter().filter(|g| keep(g)) {
        match lines.last_mut() {
            Some((y, glyphs)) if (g.y - *y).abs() < 1.0 => glyphs.push(g),
            _ => lines.push((g.y, vec![g])),
        }
    }
    lines
        .into_iter()
        .map(|(_, glyphs)| {
            let left = glyphs.iter().map(|g| g.x).fold(f32::MAX, f32::min);
            let right = glyphs.iter().map(|g| g.x + g.advance).fold(0.0, f32::max);
            Line {
                text: glyphs.iter().map(|g| g.text.as_str()).collect(),
                width: right - left,
            }
        })
        .collect()
}

fn pdf_title(doc: &Document) -> Vec<Line> {
    first_page_lines(doc, |g| doc.elements[g.element].role == Role::Title)
}

fn pdf_subtitle(doc: &Document) -> Vec<Line> {
    first_page_lines(doc, |g| g.face == Face::SansRegular && g.size == 14.0)
}

/// The lines of the DOCX paragraph in `style`: its text cut at each `w:br`.
fn docx_lines(article: &Article, style: &str) -> Vec<String> {
    let docx =
        handout::writers::docx::render(article, &handout::Options::default()).expect("a docx");
    let parts = common::zip_parts(&docx);
    let xml = std::str::from_utf8(&parts["word/document.xml"]).expect("UTF-8");
    let doc = roxmltree::Document::parse(xml).expect("well-formed XML");
    let styled = |p: &roxmltree::Node| {
        p.descendants().any(|n| {
            n.tag_name().name() == "pStyle"
                && n.attributes()
                    .any(|a| a.name() == "val" && a.value() == style)
        })
    };
    let Some(p) = doc
        .descendants()
        .find(|n| n.tag_name().name() == "p" && styled(n))
    else {
        return Vec::new();
    };
    let mut lines = vec![String::new()];
    for n in p.descendants() {
        match n.tag_name().name() {
            "t" => lines
                .last_mut()
                .expect("a line")
                .push_str(n.text().unwrap_or("")),
            "br" => lines.push(String::new()),
            _ => {}
        }
    }
    lines.into_iter().map(|l| l.trim().to_string()).collect()
}

fn with_title(title: &str, subtitle: Option<&str>) -> Article {
    let mut article = common::seed_article();
    article.meta.title = title.into();
    article.meta.subtitle = subtitle.map(Into::into);
    article
}

fn rich() -> Article {
    handout::load(&common::root().join("source/alzheimer-blood-test.json"))
        .expect("the rich article loads")
        .article
}

fn title_cases() -> Vec<Case> {
    vec![
        Case {
            name: "the seed's title",
            article: common::seed_article(),
            words: &[
                "干细胞治疗",
                "渐冻症",
                "症状缓解",
                "神经再生",
                "临床数据",
                "解析",
            ],
            lines: 2,
        },
        Case {
            name: "the rich article's title",
            article: rich(),
            words: &["阿尔茨海默病", "家属", "血液检测", "指南"],
            lines: 2,
        },
        Case {
            name: "the issue's title",
            article: with_title(
                "阿尔茨海默病的早期信号：从血液检测到“认知储备”——给家属的一份实用指南",
                None,
            ),
            words: &[
                "阿尔茨海默病",
                "早期信号",
                "血液检测",
                "“认知储备”",
                "家属",
                "实用指南",
            ],
            lines: 2,
        },
        Case {
            name: "a Latin title",
            article: with_title(
                "Umbilical Cord Mesenchymal Stem Cells in Amyotrophic Lateral Sclerosis: an Original Study of Safety and Efficacy",
                None,
            ),
            words: &[
                "Umbilical Cord Mesenchymal Stem Cells",
                "Amyotrophic Lateral Sclerosis:",
                "Original Study",
                "Efficacy",
            ],
            lines: 3,
        },
        Case {
            name: "a mixed title",
            article: with_title(
                "CAR-T细胞疗法治疗复发难治性B细胞淋巴瘤的长期随访：5年总生存率与安全性数据解读",
                None,
            ),
            words: &[
                "CAR-T细胞疗法",
                "复发难治性",
                "B细胞淋巴瘤",
                "长期随访",
                "总生存率",
                "安全性数据",
                "解读",
            ],
            lines: 2,
        },
        Case {
            name: "a three-line title",
            article: with_title(
                "线粒体呼吸链复合体缺陷与散发性肌萎缩侧索硬化的关联：来自北京协和医学院的最新研究进展及其对临床治疗策略的启示",
                None,
            ),
            words: &[
                "线粒体呼吸链复合体",
                "缺陷",
                "肌萎缩侧索硬化",
                "关联",
                "北京协和医学院",
                "研究进展",
                "临床治疗策略",
                "启示",
            ],
            lines: 3,
        },
    ]
}

fn subtitle_cases() -> Vec<Case> {
    vec![
        Case {
            name: "the rich article's subtitle",
            article: rich(),
            words: &["p-tau217", "淀粉样蛋白", "比值"],
            lines: 1,
        },
        Case {
            name: "a two-line subtitle",
            article: with_title(
                "干细胞治疗渐冻症",
                Some(
                    "基于全国二十八家三甲医院真实世界数据的回顾性队列研究：疗效、安全性与卫生经济学评价",
                ),
            ),
            words: &[
                "全国二十八家",
                "三甲医院",
                "真实世界数据",
                "回顾性队列研究",
                "疗效",
                "安全性",
                "卫生经济学",
                "评价",
            ],
            lines: 2,
        },
    ]
}

/// Checks the lines of one title: the number, every word whole, the clreq rules, Latin words
/// whole, and widths within a third of each other.
fn check(case: &Case, source: &str, lines: &[Line]) {
    let texts: Vec<&str> = lines.iter().map(|l| l.text.trim()).collect();
    assert_eq!(lines.len(), case.lines, "{}: {texts:?}", case.name);
    let joined = texts.join("\n");
    for word in case.words {
        assert!(
            texts.iter().any(|t| t.contains(word)),
            "{}: {word} is split: {texts:?}",
            case.name
        );
    }
    for pair in texts.windows(2) {
        let (end, start) = (pair[0].chars().next_back(), pair[1].chars().next());
        let (Some(end), Some(start)) = (end, start) else {
            panic!("{}: an empty line: {texts:?}", case.name);
        };
        assert!(
            !common::clreq_may_not_start(start),
            "{}: {joined}",
            case.name
        );
        assert!(!common::clreq_may_not_end(end), "{}: {joined}", case.name);
        // Two Latin letters meet at a break only where the title has a space between them.
        let latin = |c: char| c.is_ascii_alphanumeric();
        let spaced = source.contains(&format!("{end} {start}"));
        assert!(
            !(latin(end) && latin(start)) || spaced,
            "{}: a Latin word split: {joined}",
            case.name
        );
    }
    let widest = lines.iter().map(|l| l.width).fold(0.0, f32::max);
    let narrowest = lines.iter().map(|l| l.width).fold(f32::MAX, f32::min);
    assert!(
        widest - narrowest <= widest / 3.0 + 0.01,
        "{}: widths {:?}: {texts:?}",
        case.name,
        lines.iter().map(|l| l.width).collect::<Vec<_>>()
    );
}

#[test]
fn titles_break_between_words_into_balanced_lines() {
    for case in title_cases() {
        let source = handout::runs::plain(&case.article.meta.title, false);
        check(&case, &source, &pdf_title(&laid_out(&case.article)));
    }
}

#[test]
fn subtitles_break_between_words_into_balanced_lines() {
    for case in subtitle_cases() {
        let subtitle = case.article.meta.subtitle.as_deref().unwrap_or_default();
        let source = handout::runs::plain(subtitle, false);
        check(&case, &source, &pdf_subtitle(&laid_out(&case.article)));
    }
}

#[test]
fn the_word_document_breaks_where_the_pdf_does() {
    for case in title_cases() {
        let pdf: Vec<String> = pdf_title(&laid_out(&case.article))
            .into_iter()
            .map(|l| l.text.trim().to_string())
            .collect();
        assert_eq!(docx_lines(&case.article, "Title"), pdf, "{}", case.name);
    }
    for case in subtitle_cases() {
        let pdf: Vec<String> = pdf_subtitle(&laid_out(&case.article))
            .into_iter()
            .map(|l| l.text.trim().to_string())
            .collect();
        assert_eq!(docx_lines(&case.article, "Subtitle"), pdf, "{}", case.name);
    }
}

#[test]
fn the_word_document_keeps_the_whole_title_text() {
    let article = common::seed_article();
    let title = handout::runs::plain(&article.meta.title, false);
    let lines = docx_lines(&article, "Title");
    assert!(lines.len() >= 2, "{lines:?}");
    let unbroken = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    assert_eq!(unbroken(&lines.concat()), unbroken(&title));
}

#[test]
fn a_title_that_fits_is_one_line_in_both() {
    let article = with_title("干细胞治疗渐冻症", None);
    assert_eq!(pdf_title(&laid_out(&article)).len(), 1);
    assert_eq!(docx_lines(&article, "Title"), ["干细胞治疗渐冻症"]);
}
