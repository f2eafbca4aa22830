//! Inline content made ready for setting: styled runs with citation labels resolved and Chinese
//! punctuation applied. Every writer sets the same runs.

use crate::model::Inline;
use crate::references::Numbering;
use crate::text::punctuation::normalize_marked;

/// Where a run links to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An outside address (http, https, mailto; doi: turned into https://doi.org/).
    Url(String),
    /// The reference list entry with this number.
    Reference(usize),
}

/// A stretch of text set in one style.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Run {
    pub text: String,
    pub strong: bool,
    pub emph: bool,
    pub link: Option<Target>,
    /// A citation label such as "[1]".
    pub citation: bool,
    /// Part of the term that leads a paragraph (its colon included): set apart, in bold.
    pub term: bool,
    /// Raised or lowered: "10⁶", "Aβ₄₂".
    pub script: Script,
    /// The marker of this footnote (its text is the number).
    pub note: Option<usize>,
    /// A raised marker that belongs to the text before it (a link's 链N): set against that text,
    /// never first on a line.
    pub marker: bool,
}

/// Superscript, subscript or neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Script {
    #[default]
    Normal,
    Super,
    Sub,
}

/// The footnotes met so far: numbered per document in reading order, their content kept until the
/// block that cites them has been set.
#[derive(Debug, Default)]
pub struct Notes {
    /// Notes numbered so far.
    pub count: usize,
    /// Notes met in the runs made since the last [`Notes::take`]: number and content.
    pending: Vec<(usize, Vec<Inline>)>,
}

impl Notes {
    /// The notes met since the last call, in order.
    pub fn take(&mut self) -> Vec<(usize, Vec<Inline>)> {
        std::mem::take(&mut self.pending)
    }
}

impl Run {
    /// Text in no particular style.
    pub fn plain(text: impl Into<String>) -> Run {
        Run {
            text: text.into(),
            ..Run::default()
        }
    }
}

/// How inlines are turned into runs.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions<'a> {
    pub numbering: &'a Numbering,
    /// Keep the author's ASCII punctuation in Chinese text (`--keep-punctuation`).
    pub keep_punctuation: bool,
}

/// The address a link target opens.
pub fn resolve_url(url: &str) -> String {
    match url.get(..4) {
        Some(p) if p.eq_ignore_ascii_case("doi:") => {
            crate::references::doi_url(url[4..].trim_start_matches('/'))
        }
        _ => url.to_string(),
    }
}

struct Flattener<'a> {
    numbering: &'a Numbering,
    notes: &'a mut Notes,
    runs: Vec<Run>,
    /// Whether the runs pushed now belong to a term.
    term: bool,
}

/// The style inherited by the inlines inside another.
#[derive(Clone, Copy, Default)]
struct Style<'t> {
    strong: bool,
    emph: bool,
    script: Script,
    link: Option<&'t Target>,
}

impl Flattener<'_> {
    fn push(&mut self, inlines: &[Inline], style: Style) {
        for inline in inlines {
            let run = |text: String| Run {
                text,
                strong: style.strong,
                emph: style.emph,
                link: style.link.cloned(),
                term: self.term,
                script: style.script,
                ..Run::default()
            };
            match inline {
                Inline::Text(t) => self.runs.push(run(t.clone())),
                Inline::Strong(c) => self.push(
                    c,
                    Style {
                        strong: true,
                        ..style
                    },
                ),
                Inline::Emph(c) => self.push(
                    c,
                    Style {
                        emph: true,
                        ..style
                    },
                ),
                Inline::Sup(c) => self.push(
                    c,
                    Style {
                        script: Script::Super,
                        ..style
                    },
                ),
                Inline::Sub(c) => self.push(
                    c,
                    Style {
                        script: Script::Sub,
                        ..style
                    },
                ),
                Inline::Cite(ids) => {
                    let first = ids.iter().filter_map(|id| self.numbering.number(id)).min();
                    self.runs.push(Run {
                        link: first.map(Target::Reference),
                        citation: true,
                        script: Script::Normal,
                        ..run(self.numbering.label(ids))
                    })
                }
                Inline::Note(content) => {
                    self.notes.count += 1;
                    let number = self.notes.count;
                    self.notes.pending.push((number, content.clone()));
                    self.runs.push(Run {
                        link: None,
                        note: Some(number),
                        script: Script::Normal,
                        ..run(number.to_string())
                    })
                }
                Inline::Link(l) => {
                    let target = Target::Url(resolve_url(&l.url));
                    self.push(
                        &l.content,
                        Style {
                            link: Some(&target),
                            ..style
                        },
                    );
                }
            }
        }
    }
}

/// The runs of one paragraph's worth of inlines; `term`, when given, leads in bold and is joined to the
/// content by a colon (full-width in Chinese text, by the punctuation rules).
pub fn runs(
    term: Option<&[Inline]>,
    content: &[Inline],
    options: RunOptions,
    notes: &mut Notes,
) -> Vec<Run> {
    let mut f = Flattener {
        numbering: options.numbering,
        notes,
        runs: Vec::new(),
        term: true,
    };
    // A blank term would leave a colon at the start of the paragraph: it counts as no term.
    let mut colon = None;
    if let Some(term) = term.filter(|t| !Inline::plain(t).trim().is_empty()) {
        f.push(
            term,
            Style {
                strong: true,
                ..Style::default()
            },
        );
        if !content.is_empty() {
            colon = Some(f.runs.len());
            f.runs.push(Run {
                text: ":".into(),
                strong: true,
                term: true,
                ..Run::default()
            });
        }
    }
    f.term = false;
    f.push(content, Style::default());
    let mut runs = f.runs;
    if !options.keep_punctuation {
        let pieces: Vec<(&str, bool)> = runs
            .iter()
            .map(|r| (r.text.as_str(), r.citation || r.note.is_some()))
            .collect();
        let normalized = normalize_marked(&pieces);
        for (run, text) in runs.iter_mut().zip(normalized) {
            run.text = text;
        }
    } else if let Some(c) = colon {
        // The joining colon is ours, not the author's: it follows the rules even when the author's
        // punctuation is kept (everything else only serves as its context).
        let pieces: Vec<(&str, bool)> = runs
            .iter()
            .enumerate()
            .map(|(i, r)| (r.text.as_str(), i != c))
            .collect();
        if let Some(text) = normalize_marked(&pieces).into_iter().nth(c) {
            runs[c].text = text;
        }
    }
    runs.retain(|r| !r.text.is_empty());
    runs
}

/// The runs of a plain string (titles, metadata).
pub fn plain(text: &str, keep_punctuation: bool) -> String {
    if keep_punctuation {
        text.to_string()
    } else {
        crate::text::punctuation::normalize(text)
    }
}

/// Chinese numerals for list markers: 一 … 九十九, then Arabic digits.
pub fn chinese_numeral(n: u32) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n as usize].to_string(),
        10..=19 => format!(
            "十{}",
            if n == 10 {
                ""
            } else {
                DIGITS[(n - 10) as usize]
            }
        ),
        20..=99 => format!(
            "{}十{}",
            DIGITS[(n / 10) as usize],
            if n.is_multiple_of(10) {
                ""
            } else {
                DIGITS[(n % 10) as usize]
            }
        ),
        _ => n.to_string(),
    }
}

/// A list item's marker: "一、", "1.", "•".
pub fn list_marker(style: crate::model::ListStyle, number: u32) -> String {
    match style {
        crate::model::ListStyle::Bullet => "•".into(),
        crate::model::ListStyle::Decimal => format!("{number}."),
        crate::model::ListStyle::Chinese => format!("{}、", chinese_numeral(number)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numerals() {
        let got: Vec<String> = [1, 5, 10, 11, 20, 23, 99, 100]
            .iter()
            .map(|&n| chinese_numeral(n))
            .collect();
        assert_eq!(
            got,
            vec!["一", "五", "十", "十一", "二十", "二十三", "九十九", "100"]
        );
    }

    #[test]
    fn doi_links_resolve() {
        assert_eq!(resolve_url("doi:10.1/x"), "https://doi.org/10.1/x");
        assert_eq!(resolve_url("https://a.b/"), "https://a.b/");
    }
}
