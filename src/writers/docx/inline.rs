//! Runs as docx-rs runs and hyperlinks: each in its character style, adjacent runs with the same
//! target in one hyperlink; emphasis cut into dotted Han and italic Latin pieces
//! ([`crate::text::emphasis`]); raised and lowered text; footnote references. Records the
//! characters set in each face (for font subsetting), the styles used, and the outside links (for
//! the relationships part, with ids of its own: docx-rs numbers hyperlinks from a process-wide
//! counter, which would make two renders differ).

use std::collections::BTreeSet;

use docx_rs::{
    Footnote, Hyperlink, HyperlinkData, HyperlinkType, Paragraph, Run as DocxRun, RunFonts,
    VertAlignType,
};

use super::element_styles::UsedStyles;
use super::styles::{
    CITATION, EMPHASIS, FOOTNOTE_REFERENCE, LINK, LINK_EMPHASIS, Para, STRONG, TERM, TERM_EMPHASIS,
};
use crate::fonts::Face;
use crate::runs::{Run, Script, Target};
use crate::text::emphasis::{self, Mark};

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

/// What the runs of a document have used: characters per face, outside links, styles.
pub struct Inlines<'f> {
    pub used: Used,
    /// Outside addresses, in relationship order: the n-th is `rIdLink{n+1}`.
    pub links: Vec<String>,
    /// The styles used, for those written only when used.
    pub styles: UsedStyles,
    /// The italic face, to set in it only what it has (any Latin character when it could not be
    /// read: the document then fails for want of its fonts).
    italic: Option<ttf_parser::Face<'f>>,
    /// The italic's family, as its file names it (the Word family of the italic is its own:
    /// [`crate::fonts::Fonts::word_family`]).
    italic_family: String,
}

impl<'f> Inlines<'f> {
    pub fn new(italic: Option<ttf_parser::Face<'f>>) -> Inlines<'f> {
        let italic_family = italic
            .as_ref()
            .and_then(crate::fonts::family_name)
            .unwrap_or_else(|| Face::SerifItalic.family().to_string());
        Inlines {
            used: Used::default(),
            links: Vec::new(),
            styles: UsedStyles::default(),
            italic,
            italic_family,
        }
    }

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
            let docx_runs: Vec<DocxRun> = (i..j).flat_map(|k| self.runs(para, &runs[k])).collect();
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

    /// The Word runs of one run: a footnote reference, or its text, cut where emphasis changes mark.
    fn runs(&mut self, para: Para, run: &Run) -> Vec<DocxRun> {
        if let Some(n) = run.note {
            return vec![self.note_reference(para, n)];
        }
        // A citation label is a reference, not emphasised text.
        if !run.emph || run.citation {
            return vec![self.piece(para, run, &run.text, Mark::Upright)];
        }
        // Latin the italic lacks (arrows, mathematical signs) stays upright, as in the PDF.
        let covers = |c| {
            self.italic
                .as_ref()
                .is_none_or(|f| f.glyph_index(c).is_some())
        };
        let marks = emphasis::pieces(&run.text, |c| match emphasis::mark(c) {
            Some(Mark::Italic) if !covers(c) => Some(Mark::Upright),
            m => m,
        });
        marks
            .into_iter()
            .map(|(range, mark)| self.piece(para, run, &run.text[range], mark))
            .collect()
    }

    /// `text`, of `run`, with the emphasis mark `mark`; records its characters in the face it is set
    /// in.
    fn piece(&mut self, para: Para, run: &Run, text: &str, mark: Mark) -> DocxRun {
        let face = face(para.face(), run, mark);
        self.used.add(face, text);
        let mut r = DocxRun::new().add_text(crate::xml::clean(text));
        if face == Face::SerifItalic {
            r = r.italic().fonts(latin_italic(&self.italic_family));
        }
        r = self.style(r, para.face(), run, mark == Mark::Dot);
        script(r, run.script)
    }

    /// The run in its character style; a dotted piece takes the style's emphasis variant.
    fn style(&mut self, r: DocxRun, para_face: Face, run: &Run, dotted: bool) -> DocxRun {
        let base = if run.term {
            Some(TERM)
        } else if run.citation {
            Some(CITATION)
        } else if run.link.is_some() {
            Some(LINK)
        } else if run.strong {
            Some(STRONG)
        } else {
            None
        };
        let style = match (base, dotted) {
            (base, false) => base,
            (Some(TERM), true) => Some(TERM_EMPHASIS),
            (Some(LINK), true) => Some(LINK_EMPHASIS),
            (_, true) => Some(EMPHASIS),
        };
        let Some(style) = style else {
            return r;
        };
        let bold_style = matches!(style, TERM | STRONG | TERM_EMPHASIS);
        if bold_style && para_face.is_bold() {
            // Bold is a toggle (ECMA-376 Part 1, 17.7.3): a bold character style in a bold paragraph
            // (a heading, the title, all in the sans bold) would turn bold off in Word. Direct bold is
            // absolute: the run stays in the face it was subset into.
            let r = if dotted { self.styled(r, EMPHASIS) } else { r };
            return r.bold();
        }
        let mut r = self.styled(r, style);
        // Strong inside a style that is not bold itself (a strong link, citation or emphasis).
        if run.strong && !bold_style {
            r = r.bold();
        }
        r
    }

    fn styled(&mut self, r: DocxRun, style: &'static str) -> DocxRun {
        self.styles.add(style);
        r.style(style)
    }

    /// The marker of footnote `n`: Word numbers it from the footnote it refers to (id `n`, written by
    /// [`super::notes`]), in the paragraph's face.
    fn note_reference(&mut self, para: Para, n: usize) -> DocxRun {
        self.used.add(para.face(), &n.to_string());
        self.styles.add(FOOTNOTE_REFERENCE);
        // docx-rs keeps a copy of the note for a footnotes part of its own, which is not shipped; a
        // note without a paragraph would make it print a warning, and a paragraph id of docx-rs's
        // own counter could collide with ours and make it renumber them.
        let mut stub = Paragraph::new();
        stub.id = format!("note{n}");
        DocxRun::new().add_footnote_reference(Footnote {
            id: n,
            content: vec![stub],
        })
    }
}

/// The face a piece of `run` is set in: terms in the sans bold, strong text in the bold of the
/// paragraph's family, Latin emphasis in the italic where the text is in the serif regular (there is
/// no bold or sans italic, and never a slanted fake).
fn face(para_face: Face, run: &Run, mark: Mark) -> Face {
    let sans = run.term || matches!(para_face, Face::SansRegular | Face::SansBold);
    let bold = run.term || run.strong || para_face.is_bold();
    match (sans, bold) {
        (false, false) if mark == Mark::Italic => Face::SerifItalic,
        (false, false) => Face::SerifRegular,
        (false, true) => Face::SerifBold,
        (true, false) => Face::SansRegular,
        (true, true) => Face::SansBold,
    }
}

/// The italic face for Latin text. The hint makes Word take it for the Greek, Cyrillic and general
/// punctuation that the styles' East Asian hint would give the Chinese face.
fn latin_italic(family: &str) -> RunFonts {
    RunFonts::new()
        .ascii(family)
        .hi_ansi(family)
        .cs(family)
        .hint("default")
}

/// Raised or lowered text: the face's own glyphs, scaled by Word.
fn script(mut r: DocxRun, script: Script) -> DocxRun {
    let align = match script {
        Script::Normal => return r,
        Script::Super => VertAlignType::SuperScript,
        Script::Sub => VertAlignType::SubScript,
    };
    r.run_property = r.run_property.vert_align(align);
    r
}
