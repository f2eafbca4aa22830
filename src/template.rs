//! `handout new`: a new Markdown article from a template that shows every part of the format (front
//! matter with every key, a heading, a citation, a term, a table, a footnote, an aside, the notices)
//! and a bibliography file beside it. Both pass `handout check` and build in every format.

use std::path::{Path, PathBuf};

use crate::Error;

/// Writes `file` (a `.md` name) and its bibliography `<stem>.bib` beside it; never replaces a file.
/// Returns the files written.
pub fn create(file: &Path) -> Result<Vec<PathBuf>, Error> {
    if !crate::source::is_markdown(file) {
        return Err(Error::Usage(format!(
            "{}: a new article is a Markdown file, expected a name ending in .md",
            file.display()
        )));
    }
    let bib = file.with_extension("bib");
    for path in [file, bib.as_path()] {
        if std::fs::symlink_metadata(path).is_ok() {
            return Err(Error::Usage(format!(
                "{}: already exists; nothing was written (a new article never replaces a file)",
                path.display()
            )));
        }
    }
    let bib_name = bib
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    crate::output::create_new(&bib, BIBLIOGRAPHY.as_bytes())?;
    if let Err(e) = crate::output::create_new(file, article(&bib_name, &today()).as_bytes()) {
        // The pair is made whole or not at all.
        let _ = std::fs::remove_file(&bib);
        return Err(e);
    }
    Ok(vec![file.to_path_buf(), bib])
}

/// Today as YYYY-MM-DD (the template's date), from SOURCE_DATE_EPOCH when set.
fn today() -> String {
    let seconds = crate::date::source_date_epoch()
        .ok()
        .flatten()
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64)
        });
    crate::date::Date::from_unix(seconds).iso()
}

fn article(bibliography: &str, date: &str) -> String {
    TEMPLATE
        .replace("{bibliography}", bibliography)
        .replace("{date}", date)
}

const TEMPLATE: &str = r#"---
# Every key is explained in the README ("Markdown sources"). Editors that check YAML can complete
# these keys: `handout schema --front-matter -o front-matter.schema.json`, then uncomment the next line.
# yaml-language-server: $schema=front-matter.schema.json
title: "文章标题"
short_title: "页眉上的短标题"
subtitle: "副标题"
author: "作者或团队"
date: "{date}"
keywords: ["关键词一", "关键词二"]
summary: "用一两句话说明这篇文章讲什么、写给谁。"
lang: "zh-CN"
references_title: "参考文献"
# The entries cited below are taken from this file (BibTeX; CSL-JSON and CSL-YAML work too).
# Instead of a file, `references:` can list CSL items here.
bibliography: "{bibliography}"
disclaimer:
  label: "免责说明"
  text: "本文仅用于传播科普知识，不构成任何诊断或治疗建议，具体请遵医嘱。"
copyright:
  label: "版权说明"
  text: "本文版权归作者所有，转载请联系授权。"
---

# 第一部分的标题

正文段落写在这里。引用文献时把文献的键写在方括号里[@zhang2020]，几篇一起引用用分号隔开[@zhang2020; @smith2021]。需要补充说明时加一个脚注[^1]，脚注的文字写在文末。

**术语**：以粗体开头、紧跟冒号的段落，粗体部分就是术语。

## 第二级标题

1. 数字加点是阿拉伯数字编号的列表。
2. 数字加右括号（如“1)”）则编为“一、二、三、”。

| 指标     | 治疗前 | 治疗后 |
| :------- | -----: | -----: |
| 功能评分 | 38.5   | 41.0   |
| 肌力评分 | 3      | 4.5    |

Table: 表格的标题写在表格下方的这一行 {align="left decimal decimal"}

::: aside 温馨提示
提示框里可以写段落和列表：

- 第一条提示。
- 第二条提示。
:::

[^1]: 这是脚注的文字，印在引用它的那一页的页脚。
"#;

const BIBLIOGRAPHY: &str = r#"% The article's references, in BibTeX. Only the entries the article cites are printed,
% numbered by first citation, in GB/T 7714-2015 form (等 for Chinese entries, et al. for others).
% Write Chinese names as "family, given"; "and others" says the list was cut short.

@article{zhang2020,
  author = {张, 三 and 李, 四 and 王, 五 and others},
  title = {文献的题名},
  journal = {中华医学杂志},
  year = {2020},
  volume = {100},
  number = {12},
  pages = {901--905},
  langid = {chinese},
}

@article{smith2021,
  author = {Smith, John and Doe, Jane and Roe, Richard and others},
  title = {Title of an English article},
  journaltitle = {JAMA},
  date = {2021-05},
  volume = {325},
  number = {5},
  pages = {400--410},
  doi = {10.1001/jama.2021.0001},
  langid = {english},
}
"#;
