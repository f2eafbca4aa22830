//! The plain-text handout, read back as a reader would.

mod common;

use common::*;
use handout::Options;
use handout::writers::text::render;

fn text_lines(text: &str) -> impl Iterator<Item = &str> {
    // Rules (==== and ----) are not text.
    text.lines()
        .filter(|l| !l.chars().all(|c| c == '=' || c == '-'))
}

/// The handout without its rules and frames (box-drawing characters), which are not text.
fn without_rules(text: &str) -> String {
    text.chars()
        .filter(|c| !('\u{2500}'..='\u{257F}').contains(c))
        .collect()
}

/// Every text of every article in source/ is in its handout, in order: at the default width (rules
/// and frames aside), and at a width where no table cell wraps, for the cells.
#[test]
fn every_text_of_every_article_is_in_the_handout() {
    for (path, article) in articles() {
        for keep_punctuation in [false, true] {
            let what = format!("{} (keep punctuation: {keep_punctuation})", path.display());
            let out = render(
                &article,
                &Options {
                    keep_punctuation,
                    ..Options::default()
                },
            );
            let out = without_rules(&out);
            assert_every_text_in(&article, &out, &what);
            assert_every_text_at(&article, Place::Note, &out, &what);
            assert_every_text_at(&article, Place::Alt, &out, &what);
            let wide = render(
                &article,
                &Options {
                    keep_punctuation,
                    width: 1000,
                    ..Options::default()
                },
            );
            assert_every_text_at(&article, Place::Cell, &wide, &what);
            assert_every_text_in(&article, &without_rules(&wide), &what);
        }
    }
}

#[test]
fn the_author_s_punctuation_is_kept_on_request() {
    let article = seed_article();
    let out = render(
        &article,
        &Options {
            keep_punctuation: true,
            width: 1000,
            ..Options::default()
        },
    );
    assert!(out.contains("近日,中国医学科学院"), "{out}");
    let out = render(
        &article,
        &Options {
            width: 1000,
            ..Options::default()
        },
    );
    assert!(out.contains("近日，中国医学科学院"), "{out}");
    assert!(
        out.contains("Stem Cell Rev Rep, 2020, 16(5): 922-932"),
        "references keep GB/T 7714 punctuation"
    );
}

/// Asserts the README's promises on each line of a plain-text handout, with the test's own oracles:
/// no line wider than `width` columns (Chinese and the ambiguous marks count two), none starting
/// with a clreq closing mark or ending with an opening one.
fn assert_lines_keep_the_rules(out: &str, width: usize, what: &str) {
    for line in out.lines() {
        assert!(
            oracle_columns(line) <= width,
            "{what}: {line:?} is {} columns, wider than {width}",
            oracle_columns(line)
        );
    }
    for line in text_lines(out) {
        let body = line.trim_start_matches([' ', '\u{3000}']);
        assert!(
            !body.starts_with(clreq_may_not_start),
            "{what}: a line starts with a closing mark: {line:?}"
        );
        assert!(
            !line.ends_with(clreq_may_not_end),
            "{what}: a line ends with an opening mark: {line:?}"
        );
    }
}

#[test]
fn lines_fit_the_width_and_keep_the_line_breaking_rules() {
    for (path, article) in articles() {
        for keep_punctuation in [false, true] {
            for width in [20, 21, 30, 41, 56, 72, 100] {
                let out = render(
                    &article,
                    &Options {
                        width,
                        keep_punctuation,
                        ..Options::default()
                    },
                );
                let what = format!("{} at width {width}", path.display());
                assert_lines_keep_the_rules(&out, width, &what);
            }
        }
    }
}

/// Paragraphs of every length up to three lines, each ending in a mark or not: the last line never
/// holds a single character.
#[test]
fn no_paragraph_ends_in_a_line_of_one_character() {
    let mut checked = 0;
    for width in [20, 30, 72] {
        for n in 1..=(3 * width / 2) {
            for end in ["", "。"] {
                let text: String = "甲乙丙丁戊己庚辛壬癸".chars().cycle().take(n).collect();
                let mut article = seed_article();
                article.blocks = vec![handout::model::Block::Paragraph(vec![
                    handout::model::Inline::Text(format!("{text}{end}")),
                ])];
                let out = render(
                    &article,
                    &Options {
                        width,
                        ..Options::default()
                    },
                );
                let lines: Vec<&str> = out
                    .lines()
                    .skip_while(|l| !l.starts_with('\u{3000}'))
                    .take_while(|l| !l.is_empty())
                    .collect();
                assert!(!lines.is_empty(), "the paragraph is missing:\n{out}");
                assert_eq!(canonical(&lines.concat()), format!("{text}{end}"));
                if lines.len() > 1 {
                    checked += 1;
                    let last = lines[lines.len() - 1];
                    assert!(
                        last.chars().count() >= 2,
                        "width {width}, {n} characters{end}: the last line is {last:?}: {lines:?}"
                    );
                }
            }
        }
    }
    assert!(
        checked > 50,
        "only {checked} paragraphs of two lines or more"
    );
}

#[test]
fn identifiers_are_not_split() {
    let article = seed_article();
    for width in [40, 56, 72] {
        let out = render(
            &article,
            &Options {
                width,
                ..Options::default()
            },
        );
        for token in [
            "CD4+CD25+Foxp3+Treg",
            "10.1007/s12015-020-10016-7",
            "miR-124",
            "ALSFRS-R",
        ] {
            let whole = out.matches(token).count();
            let joined = canonical(&out).matches(token).count();
            assert_eq!(whole, joined, "width {width}: {token} split across lines");
        }
    }
}

#[test]
fn paragraphs_are_indented_and_references_numbered() {
    let out = render(&seed_article(), &Options::default());
    assert!(
        out.contains("\n\u{3000}\u{3000}近日，"),
        "first paragraph indented with two ideographic spaces"
    );
    assert!(out.contains("研究结果。[1]"), "citations as [1]");
    assert!(
        out.contains("\n[1] 乔利军, 卢爱丽, 冯梅, 等. "),
        "Chinese entry with 等"
    );
    let wide = render(
        &seed_article(),
        &Options {
            width: 1000,
            ..Options::default()
        },
    );
    assert!(
        wide.contains("Zdolińska-Malinowska I, et al. Umbilical"),
        "English entry with et al."
    );
    let disclaimer = out.find("免责说明：").expect("disclaimer");
    let copyright = out.find("版权说明：").expect("copyright");
    assert!(out.find("[4] ").expect("reference 4") < disclaimer && disclaimer < copyright);
}

#[test]
fn crlf_on_request() {
    let out = render(
        &seed_article(),
        &Options {
            crlf: true,
            ..Options::default()
        },
    );
    assert!(out.ends_with("\r\n"));
    assert_eq!(out.matches('\n').count(), out.matches("\r\n").count());
}

#[test]
fn a_token_longer_than_a_line_is_cut_and_nothing_is_lost() {
    let mut article = seed_article();
    let long = "A".repeat(500);
    article.blocks.push(handout::model::Block::Paragraph(vec![
        handout::model::Inline::Text(format!("长词{long}。")),
    ]));
    let out = render(
        &article,
        &Options {
            width: 30,
            ..Options::default()
        },
    );
    assert_lines_keep_the_rules(&out, 30, "width 30");
    assert!(canonical(&out).contains(&format!("长词{long}。")));
}

#[test]
fn rendering_is_reproducible() {
    let article = seed_article();
    assert_eq!(
        render(&article, &Options::default()),
        render(&article, &Options::default())
    );
}

// ---- GB/T 7714-2015 entries, written out by hand from the standard's own examples ----------------

/// The entries of the reference list, as the plain text sets them on one line each ("[n] entry").
fn entries(references: serde_json::Value) -> Vec<String> {
    let ids: Vec<serde_json::Value> = references
        .as_array()
        .expect("an array")
        .iter()
        .map(|r| serde_json::json!({"cite": [r["id"]]}))
        .collect();
    let source = serde_json::json!({
        "meta": {"title": "参考文献测试", "author": "作者"},
        "blocks": [{"paragraph": ids}],
        "references": references,
        "disclaimer": {"label": "免责说明", "paragraphs": [["仅供参考。"]]}
    });
    let article = handout::source::parse(std::path::Path::new("t.json"), &source.to_string())
        .expect("the references load");
    let out = render(
        &article,
        &Options {
            width: 1000,
            ..Options::default()
        },
    );
    let n = article.references.len();
    (1..=n)
        .map(|i| {
            let label = format!("[{i}] ");
            out.lines()
                .find_map(|l| l.strip_prefix(&label))
                .unwrap_or_else(|| panic!("no entry {label}in:\n{out}"))
                .to_string()
        })
        .collect()
}

fn assert_entries(references: serde_json::Value, expected: &[&str]) {
    let got = entries(references);
    let wrong: Vec<String> = got
        .iter()
        .zip(expected)
        .filter(|(g, e)| g != e)
        .map(|(g, e)| format!("expected {e}\n     got {g}"))
        .collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn gb_t_7714_entries_for_books_chapters_reports_web_pages_and_x_et_al() {
    assert_entries(
        serde_json::json!([
            {"id": "book", "type": "book", "author": [{"family": "陈", "given": "登原"}],
             "title": "国史旧闻: 第1卷", "publisher-place": "北京", "publisher": "中华书局",
             "issued": {"date-parts": [[2000]]}, "page": "29"},
            {"id": "chapter", "type": "chapter",
             "author": [{"family": "WEINSTEIN", "given": "L"}, {"family": "SWERTZ", "given": "M N"}],
             "title": "Pathogenic properties of invading microorganisms",
             "container-title": "Pathologic physiology: mechanisms of disease",
             "publisher-place": "Philadelphia", "publisher": "Saunders",
             "issued": {"date-parts": [[1974]]}, "page": "745-772"},
            {"id": "report", "type": "report", "author": [{"literal": "中国互联网络信息中心"}],
             "title": "第29次中国互联网络发展状况统计报告", "publisher-place": "北京",
             "publisher": "中国互联网络信息中心", "issued": {"date-parts": [[2012]]}},
            {"id": "web", "type": "webpage", "author": [{"family": "萧", "given": "钰"}],
             "title": "出版业信息化迈入快车道", "publisher-place": "北京", "publisher": "华夏出版社",
             "issued": {"date-parts": [[2001]]},
             "URL": "http://www.creader.com/news/20011219/200112190019.html"},
            {"id": "cut", "type": "article-journal", "x-et-al": true,
             "author": [{"family": "袁", "given": "训来"}, {"family": "陈", "given": "哲"}],
             "title": "蓝田生物群: 一个认识多细胞生物起源和早期演化的新窗口",
             "container-title": "科学通报", "issued": {"date-parts": [[2012]]}, "volume": "55",
             "issue": "34", "page": "3219"},
            {"id": "cut-en", "type": "article-journal", "x-et-al": true,
             "author": [{"family": "Smith", "given": "J"}],
             "title": "A study", "container-title": "J Test", "issued": {"date-parts": [[2020]]},
             "volume": "1", "issue": "2", "page": "3-4"},
            {"id": "many", "type": "book",
             "author": [{"family": "甲", "given": "一"}, {"family": "乙", "given": "二"},
                        {"family": "丙", "given": "三"}, {"family": "丁", "given": "四"}],
             "title": "四人合著", "publisher": "出版社", "issued": {"date-parts": [[2020]]}}
        ]),
        &[
            "陈登原. 国史旧闻: 第1卷[M]. 北京: 中华书局, 2000: 29.",
            "WEINSTEIN L, SWERTZ M N. Pathogenic properties of invading microorganisms[M]//Pathologic physiology: mechanisms of disease. Philadelphia: Saunders, 1974: 745-772.",
            "中国互联网络信息中心. 第29次中国互联网络发展状况统计报告[R]. 北京: 中国互联网络信息中心, 2012.",
            "萧钰. 出版业信息化迈入快车道[EB/OL]. 北京: 华夏出版社, 2001. http://www.creader.com/news/20011219/200112190019.html.",
            "袁训来, 陈哲, 等. 蓝田生物群: 一个认识多细胞生物起源和早期演化的新窗口[J]. 科学通报, 2012, 55(34): 3219.",
            "Smith J, et al. A study[J]. J Test, 2020, 1(2): 3-4.",
            // §8.4.1.3: a place the source does not give is "[出版地不详]" ("[S.l.]" in others).
            "甲一, 乙二, 丙三, 等. 四人合著[M]. [出版地不详]: 出版社, 2020.",
        ],
    );
}

/// GB/T 7714-2015 4.2 sets a paper in proceedings as a part of them: "[C]//" the proceedings, then
/// place, publisher, year and pages (the standard's example, with its editor left out).
#[test]
fn a_conference_paper_is_an_entry_of_its_proceedings() {
    assert_entries(
        serde_json::json!([
            {"id": "conf", "type": "paper-conference",
             "author": [{"family": "贾", "given": "东琴"}, {"family": "柯", "given": "平"}],
             "title": "面向数字素养的高校图书馆数字服务体系研究",
             "container-title": "中国图书馆学会年会论文集: 2011年卷", "publisher-place": "北京",
             "publisher": "国家图书馆出版社", "issued": {"date-parts": [[2011]]}, "page": "45-52"}
        ]),
        &[
            "贾东琴, 柯平. 面向数字素养的高校图书馆数字服务体系研究[C]//中国图书馆学会年会论文集: 2011年卷. 北京: 国家图书馆出版社, 2011: 45-52.",
        ],
    );
}

/// A Western name keeps the space between family name and initials, whatever the entry's language.
#[test]
fn a_western_author_of_a_chinese_entry_keeps_the_space_in_the_name() {
    assert_entries(
        serde_json::json!([
            {"id": "tr", "type": "book", "author": [{"family": "Harrison", "given": "M"}],
             "title": "经济数学与金融数学", "publisher-place": "北京",
             "publisher": "中国人民大学出版社", "issued": {"date-parts": [[2012]]}}
        ]),
        &["Harrison M. 经济数学与金融数学[M]. 北京: 中国人民大学出版社, 2012."],
    );
}

/// Lists may nest eight deep and the width may be as narrow as 20: every line still fits and keeps
/// the rules (the PDF keeps room for ten characters however deep the nesting).
#[test]
fn a_list_nested_eight_deep_fits_the_narrowest_width() {
    let mut list = serde_json::json!({"style": "chinese", "start": 20,
        "items": [{"content": ["干细胞——治疗渐冻症，“临床”数据。"]}]});
    for _ in 1..8 {
        list = serde_json::json!({"style": "bullet",
            "items": [{"content": ["第一层（说明）"], "children": [list]}]});
    }
    let source = serde_json::json!({
        "meta": {"title": "嵌套", "author": "作者"},
        "blocks": [{"list": list}],
        "disclaimer": {"label": "免责说明", "paragraphs": [["仅供参考。"]]}
    });
    let article = handout::source::parse(std::path::Path::new("t.json"), &source.to_string())
        .expect("eight deep is allowed");
    for width in [20, 24, 30] {
        let out = render(
            &article,
            &Options {
                width,
                ..Options::default()
            },
        );
        assert_lines_keep_the_rules(&out, width, &format!("width {width}"));
    }
}

/// The second article's rich elements as the plain text sets them: the table under its caption
/// between rules, figures as their caption and description, the quote behind its bar with its
/// source, the aside framed with its label, scripts in Unicode, notes marked in the text and set as
/// endnotes before the references.
#[test]
fn the_rich_article_sets_every_element() {
    let (_, article) = articles()
        .into_iter()
        .find(|(p, _)| p.ends_with("alzheimer-blood-test.json"))
        .expect("the second article");
    let out = render(&article, &Options::default());
    let lines: Vec<&str> = out.lines().collect();
    let find = |start: &str| {
        lines
            .iter()
            .position(|l| l.trim_start().starts_with(start))
            .unwrap_or_else(|| panic!("no line starts with {start:?}:\n{out}"))
    };
    let caption = find("表1 血浆p-tau217");
    assert!(
        lines[caption + 1].starts_with('─'),
        "a rule under the caption"
    );
    assert!(lines[find("[图1：医生常规评估") + 2].starts_with("（图片说明：柱状图"));
    assert!(
        out.contains("[图2：采血管（示意插图，非实拍照片）]"),
        "{out}"
    );
    let quote = find("│ 我们建议");
    let source = lines[quote..]
        .iter()
        .find(|l| l.contains("——阿尔茨海默病协会"))
        .expect("the quote's source");
    assert!(
        source.starts_with("│ ") && source.ends_with("[5]"),
        "{source:?}"
    );
    let aside = find("┌─ 温馨提示 ");
    let bottom = aside
        + lines[aside..]
            .iter()
            .position(|l| l.starts_with('└'))
            .expect("└");
    let widths: Vec<usize> = lines[aside..=bottom]
        .iter()
        .map(|l| oracle_columns(l))
        .collect();
    assert!(widths.iter().all(|&w| w == widths[0]), "{widths:?}");
    assert!(
        lines[aside + 1..bottom]
            .iter()
            .all(|l| l.starts_with("│ ") && l.ends_with(" │"))
    );
    for scripted in ["Aβ₄₂/Aβ₄₀比值", "10⁻¹²克", "维生素B₁₂"] {
        assert!(out.contains(scripted), "no {scripted}");
    }
    // Notes: marked in order in the body, set after it under 注释, before the references.
    let marks: Vec<usize> = (1..=3)
        .map(|n| out.find(&format!("[注{n}]")).expect("a marker"))
        .collect();
    let notes = out.find("\n注释\n====\n").expect("the notes' heading");
    let references = out.find("\n参考文献\n").expect("the references");
    assert!(marks.windows(2).all(|w| w[0] < w[1]) && marks[2] < notes && notes < references);
    for n in 1..=3 {
        assert!(
            out[notes..references].contains(&format!("\n[注{n}] ")),
            "note {n}"
        );
    }
}
