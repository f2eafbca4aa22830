//! Tables set as a reader sees them: the whole handout rendered, the table's lines taken out of it,
//! and where each cell's text stands measured in display columns.

use serde_json::json;

use crate::Options;
use crate::text::width::columns;

/// The lines of the handout's one table, from its caption to its last rule, at `width` columns.
fn set(table: serde_json::Value, width: usize) -> Vec<String> {
    let source = json!({
        "meta": {"title": "表格", "author": "作者"},
        "blocks": [{"table": table}],
        "disclaimer": {"label": "免责说明", "paragraphs": [["仅供参考。"]]}
    });
    let article = crate::source::parse(std::path::Path::new("t.json"), &source.to_string())
        .expect("the table is valid");
    let out = crate::writers::text::render(
        &article,
        &Options {
            width,
            ..Options::default()
        },
    );
    let lines: Vec<String> = out.lines().map(str::to_string).collect();
    let start = lines
        .iter()
        .position(|l| l.trim_start().starts_with("表1"))
        .expect("a caption");
    let end = lines
        .iter()
        .rposition(|l| l.starts_with('─'))
        .expect("a closing rule");
    let table = lines[start..=end].to_vec();
    for line in &table {
        assert!(columns(line) <= width, "{line:?} is wider than {width}");
    }
    table
}

/// The display column where `needle` starts in `line`.
fn at(line: &str, needle: &str) -> usize {
    let i = line
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in {line:?}"));
    columns(&line[..i])
}

/// What `line` holds from display column `column` on.
fn from(line: &str, column: usize) -> &str {
    let mut at = 0;
    for (i, c) in line.char_indices() {
        if at >= column {
            return &line[i..];
        }
        at += crate::text::width::char_columns(c);
    }
    ""
}

fn line_with<'a>(lines: &'a [String], needle: &str) -> &'a str {
    lines
        .iter()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line holds {needle:?}: {lines:#?}"))
}

#[test]
fn columns_line_up_by_display_width_with_chinese_and_latin_text() {
    let lines = set(
        json!({"caption": ["血液检测"],
               "head": [["指标", "含义", "单位"]],
               "body": [["p-tau217", "磷酸化tau蛋白", "pg/mL"],
                        ["Aβ42/Aβ40", "两种淀粉样蛋白之比", "—"],
                        ["NfL", "神经丝轻链", "pg/mL"]]}),
        72,
    );
    assert_eq!(lines[0], "            表1 血液检测");
    let second: Vec<usize> = ["含义", "磷酸化", "两种", "神经丝"]
        .iter()
        .map(|n| at(line_with(&lines, n), n))
        .collect();
    assert_eq!(second, vec![second[0]; 4], "{lines:#?}");
    let third: Vec<usize> = [("单位", "单位"), ("磷酸化", "pg"), ("两种", "—")]
        .iter()
        .map(|(row, n)| at(line_with(&lines, row), n))
        .collect();
    assert_eq!(third, vec![third[0]; 3], "{lines:#?}");
    // Two columns between the widest text of a column and the next column.
    assert_eq!(second[0], columns("Aβ42/Aβ40") + 2);
}

#[test]
fn three_rules_as_wide_as_the_table() {
    let lines = set(
        json!({"caption": ["规则"], "head": [["甲", "乙"]], "body": [["一二三", "四"]]}),
        72,
    );
    let rules: Vec<&String> = lines.iter().filter(|l| l.starts_with('─')).collect();
    assert_eq!(rules.len(), 3, "{lines:#?}");
    // "一二三" and "四" with two columns between: 10 columns, five rules of two columns each.
    assert!(rules.iter().all(|r| r.as_str() == "─────"), "{rules:?}");
    let no_head = set(json!({"caption": ["规则"], "body": [["甲", "乙"]]}), 72);
    assert_eq!(no_head.iter().filter(|l| l.starts_with('─')).count(), 2);
}

#[test]
fn decimal_points_line_up_and_whole_numbers_end_where_the_point_would_be() {
    let lines = set(
        json!({"caption": ["剂量"],
               "columns": [{"align": "left"}, {"align": "decimal"}],
               "head": [["组别", "血药浓度（ng/mL）"]],
               "body": [["甲组", "12.5"], ["乙组", "3.75"], ["丙组", "100"], ["丁组", "0.5（0.2–0.9）"],
                        ["戊组", "—"]]}),
        72,
    );
    let point = |row: &str, needle: &str| at(line_with(&lines, row), needle);
    let points = [
        point("甲组", "."),
        point("乙组", "."),
        point("丙组", "100") + 3,
        point("丁组", "."),
    ];
    assert_eq!(points, [points[0]; 4], "{lines:#?}");
    // The block of numbers is centred under the header; the header too.
    let header = point("组别", "血药");
    let block_start = point("丁组", "0.5");
    let block_end = point("乙组", "3.75") + 4;
    assert!(block_start > header, "{lines:#?}");
    assert!(
        block_end < header + columns("血药浓度（ng/mL）"),
        "{lines:#?}"
    );
}

#[test]
fn right_and_centre_alignment() {
    let lines = set(
        json!({"caption": ["对齐"],
               "columns": [{"align": "right"}, {"align": "center"}, {"align": "left"}],
               "head": [["例数（例）", "结论（文字）", "备注"]],
               "body": [["7", "阳", "甲"], ["1234", "阴性结果", "乙"]]}),
        72,
    );
    let end = |row: &str, n: &str| at(line_with(&lines, row), n) + columns(n);
    assert_eq!(end("7", "7"), end("1234", "1234"));
    assert_eq!(end("7", "7"), end("例数", "例数（例）"));
    let middle = |row: &str, n: &str| 2 * at(line_with(&lines, row), n) + columns(n);
    let centres = [
        middle("阳", "阳"),
        middle("阴性", "阴性结果"),
        middle("结论", "结论（文字）"),
    ];
    assert_eq!(centres, [centres[0]; 3], "{lines:#?}");
}

#[test]
fn a_spanning_header_covers_its_columns_with_a_short_rule_under_it() {
    let lines = set(
        json!({"caption": ["跨列"],
               "head": [[{"content": ["研究"], "rowspan": 2}, {"content": ["研究人群"], "colspan": 2}],
                        ["队列", "比较的两组"]],
               "body": [["甲研究", "记忆门诊", "患者与对照"]]}),
        72,
    );
    let group = at(line_with(&lines, "研究人群"), "研究人群");
    let first = at(line_with(&lines, "队列"), "队列");
    let second_end = at(line_with(&lines, "比较"), "比较的两组") + columns("比较的两组");
    // A left-aligned spanning cell starts at its first column.
    assert_eq!(group, first);
    let short = lines
        .iter()
        .find(|l| l.trim_start().starts_with('─') && !l.starts_with('─'))
        .expect("a short rule under the spanning cell");
    assert_eq!(at(short, "─"), first);
    assert_eq!(columns(short), second_end - second_end % 2, "{lines:#?}");
}

#[test]
fn a_row_spanning_cell_is_set_in_its_first_row_blank_below() {
    let lines = set(
        json!({"caption": ["跨行"],
               "head": [["研究", "场景", "例数"]],
               "body": [[{"content": ["2024年研究"], "rowspan": 2}, "基层医疗", "307"],
                        ["专科医疗", "300"],
                        [{"content": ["合计"], "colspan": 2}, "607"]]}),
        72,
    );
    let first = line_with(&lines, "基层医疗");
    assert!(first.starts_with("2024年研究"), "{lines:#?}");
    let below = line_with(&lines, "专科医疗");
    assert_eq!(at(below, "专科医疗"), at(first, "基层医疗"));
    assert!(
        below[..below.find("专科").expect("there")]
            .trim()
            .is_empty()
    );
    assert_eq!(
        at(line_with(&lines, "合计"), "607"),
        at(first, "307"),
        "a cell after a colspan stands in its own column: {lines:#?}"
    );
}

#[test]
fn a_long_cell_wraps_inside_its_column() {
    let long = "血液检测阳性提示大脑中可能已有淀粉样蛋白斑块，需要结合认知评估和影像检查综合判断，不能单凭一次结果下结论。";
    let lines = set(
        json!({"caption": ["换行"],
               "head": [["结果", "意味着什么"]],
               "body": [["阳性", long], ["阴性", "近期出现病理改变的可能性较小"]]}),
        40,
    );
    let column = at(line_with(&lines, "意味着"), "意味着");
    let first = lines
        .iter()
        .position(|l| l.starts_with("阳性"))
        .expect("row");
    let mut text = from(&lines[first], column).to_string();
    for line in lines[first + 1..].iter().take_while(|l| !l.is_empty()) {
        let inside = from(line, column);
        assert!(
            line[..line.len() - inside.len()].trim().is_empty(),
            "{line:?} leaves its column"
        );
        text.push_str(inside);
    }
    assert_eq!(text, long);
    // Rows of more than one line are set apart.
    assert!(lines.iter().any(String::is_empty), "{lines:#?}");
}

#[test]
fn a_table_wider_than_the_text_is_set_as_records() {
    let table = json!({"caption": ["宽表"],
        "head": [["研究", "队列", "比较的两组", "例数", "AUC"]],
        "body": [["Palmqvist等（2020）", "BioFINDER-2", "阿尔茨海默病痴呆与其他神经退行性疾病", "220", "0.96"],
                 [{"content": ["注：AUC越接近1，区分能力越强。"], "colspan": 5}]]});
    let wide = set(table.clone(), 72);
    assert!(
        !wide
            .iter()
            .any(|l| l.contains('：') && l.starts_with("研究"))
    );
    let lines = set(table, 30);
    let expected = [
        "研究：Palmqvist等（2020）",
        "队列：BioFINDER-2",
        "例数：220",
        "AUC：0.96",
    ];
    for e in expected {
        assert!(lines.iter().any(|l| l == e), "no {e:?} in {lines:#?}");
    }
    assert!(lines.iter().any(|l| l.starts_with("比较的两组：阿尔茨")));
    // The note spanning every column is its text alone, after a blank line.
    let note = lines
        .iter()
        .position(|l| l.starts_with("注："))
        .expect("note");
    assert!(lines[note - 1].is_empty(), "{lines:#?}");
}

#[test]
fn records_name_columns_by_every_header_over_them_and_repeat_row_spans() {
    let lines = set(
        json!({"caption": ["记录"],
               "head": [[{"content": ["研究"], "rowspan": 2}, {"content": ["研究人群"], "colspan": 2}],
                        ["队列", "比较的两组"]],
               "body": [[{"content": ["2024年研究"], "rowspan": 2}, "基层医疗", "阿尔茨海默病病理阳性与阴性"],
                        ["专科医疗", "阿尔茨海默病病理阳性与阴性"]]}),
        24,
    );
    assert_eq!(
        lines.iter().filter(|l| *l == "研究：2024年研究").count(),
        2,
        "{lines:#?}"
    );
    assert!(
        lines.iter().any(|l| l == "研究人群/队列：专科医疗"),
        "{lines:#?}"
    );
    // At the narrowest width a name too long to leave its value room has a line of its own (and
    // `set` checks that every line fits).
    let narrow = set(
        json!({"caption": ["记录"],
               "head": [["研究", "研究人群中的两组", "例数"]],
               "body": [["2024年研究", "阿尔茨海默病病理阳性与阴性", "307"]]}),
        20,
    );
    let name = narrow
        .iter()
        .position(|l| l == "研究人群中的两组：")
        .expect("the name alone");
    assert!(narrow[name + 1].starts_with("    阿尔茨"), "{narrow:#?}");
}
