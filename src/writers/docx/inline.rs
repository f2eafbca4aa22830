//! Runs as docx-rs runs and hyperlinks: each in its character style, adjacent runs with the same
//! target in one hyperlink. Records the characters set in each face (for font subsetting) and the
//! outside links (for the relationships part, with ids of its own: docx-rs numbers hyperlinks from a
//! process-wide counter, which would make two renders differ).

use std::collections::BTreeSet;

use docx_rs::{Hyperlink, HyperlinkData, HyperlinkType, Paragraph, Run as DocxRun};

use super::styles::{self, CITATION, EMPHASIS, LINK, Para, STRONG, TERM};
use crate::fonts::Face;
use crate::runs::{Run, Target};

/// The characters set in each face (indexed by `Face as usize`).
#[derive(Debug, Default, Clone)]
pub struct Used {
    pub chars: [BTreeSet<char>; Face::COUNT],
}

impl Used {
    pub fn add(&mut self, face: Face, text: &str) {
        self.chars[face as usize].extend(text.chars().filter(|c| !c.is_control()));
    }
}

pub fn link_rid(index: usize) -> String {
    format!("rIdLink{}", index + 1)
}

/// The bookmark on reference entry `n` (a letter first, no hyphen: Word's bookmark name rules).
pub fn bookmark(n: usize) -> String {
    format!("ref_{n}")
}

/// What the runs of a document have used: characters per face, outside links.
#[derive(Debug, Default)]
pub struct Inlines {
    pub used: Used,
    /// Outside addresses, in relationship order: the n-th is `rIdLink{n+1}`.
    pub links: Vec<String>,
}

impl Inlines {
    /// Adds `runs` to `p`.
    pub fn add_runs(&mut self, mut p: Paragraph, para: Para, runs: &[Run]) -> Paragraph {
        let mut i = 0;
        while i < runs.len() {
            // Adjacent runs with the same target form one hyperlink.
            let target = runs[i].link.clone();
            let mut j = i + 1;
            while j < runs.len() && runs[j].link == target && target.is_some() {
                j += 1;
            }
            let docx_runs: Vec<DocxRun> = (i..j).map(|k| self.run(para, &runs[k])).collect();
            match target {
                None => {
                    for r in docx_runs {
                        p = p.add_run(r);
                    }
                }
                Some(t) => {
                    let mut h = self.hyperlink(&t);
                    for r in docx_runs {
                        h = h.add_run(r);
                    }
                    p = p.add_hyperlink(h);
                }
            }
            i = j;
        }
        p
    }

    fn hyperlink(&mut self, target: &Target) -> Hyperlink {
        match target {
            Target::Reference(n) => Hyperlink::new(bookmark(*n), HyperlinkType::Anchor),
            Target::Url(url) => self.external(url),
        }
    }

    /// An outside link with a relationship id from this document's own list.
    fn external(&mut self, url: &str) -> Hyperlink {
        let index = match self.links.iter().position(|u| u == url) {
            Some(i) => i,
            None => {
                self.links.push(url.to_string());
                self.links.len() - 1
            }
        };
        let mut h = Hyperlink::new(String::new(), HyperlinkType::Anchor);
        h.link = HyperlinkData::External {
            rid: link_rid(index),
            path: url.to_string(),
        };
        h
    }

    /// A run in its character style; records its characters in the face it is set in.
    fn run(&mut self, para: Para, run: &Run) -> DocxRun {
        let para_face = para.face();
        let term = run.term;
        // Terms in the sans bold; strong and emphasised text in the serif bold, as in the PDF.
        let sans = term || para_face.family() == styles::SANS;
        let bold = term || run.strong || run.emph || para_face.is_bold();
        let face = match (sans, bold) {
            (false, false) => Face::SerifRegular,
            (false, true) => Face::SerifBold,
            (true, false) => Face::SansRegular,
            (true, true) => Face::SansBold,
        };
        self.used.add(face, &run.text);
        let mut r = DocxRun::new().add_text(crate::xml::clean(&run.text));
        let style = if term {
            TERM
        } else if run.citation {
            CITATION
        } else if run.link.is_some() {
            LINK
        } else if run.emph {
            EMPHASIS
        } else if run.strong {
            STRONG
        } else {
            return r;
        };
        let bold_style = matches!(style, TERM | STRONG | EMPHASIS);
        if bold_style && para_face.is_bold() {
            // Bold is a toggle (ECMA-376 Part 1, 17.7.3): a bold character style in a bold paragraph
            // (a heading, the title, all in the sans bold) would turn bold off in Word. Direct bold is
            // absolute: the run stays in the face it was subset into.
            return r.bold();
        }
        r = r.style(style);
        // Strong inside a style that is not bold itself (a strong link, a strong citation).
        if run.strong && !bold_style {
            r = r.bold();
        }
        r
    }
}
