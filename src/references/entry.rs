//! The text of one entry, GB/T 7714-2015 §4 and §8: responsibility. title: other title information
//! [type/medium]. other responsibility. edition. publication (by type). The access path and the DOI
//! follow as links (`super::format`).
//!
//! Publication, by type:
//! - a journal article: "Journal, year, volume(issue): pages";
//! - a newspaper article: "Newspaper, 2013-01-12(page)";
//! - a patent: the number after the title, then the publication date "2006-12-13";
//! - everything else: "Place: Publisher, year: pages", with "[S.l.]" (or 出版地不详) for a missing
//!   place and "[s.n.]" (出版者不详) for a missing publisher; an item with neither, read online, gives
//!   its update date in parentheses instead ("(2012-01-16)").
//!
//! An item read online (it has a URL) takes "/OL" in its type code, its full update date in
//! parentheses after the pages when it has a publisher, and the date it was read in brackets
//! ("[2013-03-26]", from `accessed`) (§8.8).

use super::NameCase;
use super::names;
use crate::model::{Date, Reference, ReferenceType};
use crate::text::is_han;

/// The entry's text without its number, links or final identifiers.
pub fn text(r: &Reference, case: NameCase) -> String {
    let e = Entry {
        r,
        case,
        chinese: is_chinese(r),
        online: r.url.is_some(),
    };
    let mut out = String::new();
    e.responsibility(&mut out);
    e.title(&mut out);
    e.host(&mut out);
    e.other_responsibility_and_edition(&mut out);
    e.publication(&mut out);
    out.push('.');
    out
}

/// Ends the unit before the next: ". ", or only the space when the unit ends with its own full stop
/// ("4th ed.", "Inc.").
fn period(out: &mut String) {
    out.push_str(if out.ends_with('.') { " " } else { ". " });
}

struct Entry<'a> {
    r: &'a Reference,
    case: NameCase,
    chinese: bool,
    online: bool,
}

fn is_chinese(r: &Reference) -> bool {
    match &r.language {
        Some(lang) => lang.to_ascii_lowercase().starts_with("zh"),
        None => r.title.chars().any(is_han),
    }
}

impl Entry<'_> {
    fn names(&self, names: &[crate::model::Name], et_al: bool) -> String {
        names::list(names, et_al, self.chinese, self.case)
    }

    /// Whether the entry is a part of a host (析出文献): a chapter, or a paper in proceedings.
    fn is_part(&self) -> bool {
        matches!(
            self.r.kind,
            ReferenceType::Chapter | ReferenceType::PaperConference
        ) && self.r.container_title.is_some()
    }

    /// The authors; a whole proceedings or collection without authors is led by its editors.
    fn responsibility(&self, out: &mut String) {
        let r = self.r;
        let who = if !r.author.is_empty() {
            self.names(&r.author, r.et_al)
        } else if !self.is_part() {
            self.names(&r.editor, r.et_al)
        } else {
            String::new()
        };
        if !who.is_empty() {
            out.push_str(&who);
            period(out);
        }
    }

    /// "Title: volume: number[M/OL]".
    fn title(&self, out: &mut String) {
        let r = self.r;
        out.push_str(r.title.trim_end_matches('.'));
        let whole_book = matches!(
            r.kind,
            ReferenceType::Book | ReferenceType::Collection | ReferenceType::Manuscript
        );
        if whole_book && let Some(v) = &r.volume {
            out.push_str(": ");
            out.push_str(&self.volume(v));
        }
        let numbered = matches!(
            r.kind,
            ReferenceType::Report
                | ReferenceType::Standard
                | ReferenceType::Patent
                | ReferenceType::Manuscript
        );
        if numbered && let Some(n) = &r.number {
            out.push_str(": ");
            out.push_str(n);
        }
        out.push('[');
        out.push_str(self.type_code());
        out.push(']');
    }

    fn type_code(&self) -> &'static str {
        use ReferenceType::*;
        let (code, online) = match self.r.kind {
            ArticleJournal => ("J", "J/OL"),
            Thesis => ("D", "D/OL"),
            Book | Chapter => ("M", "M/OL"),
            PaperConference => ("C", "C/OL"),
            Report => ("R", "R/OL"),
            Webpage => ("EB/OL", "EB/OL"),
            ArticleNewspaper => ("N", "N/OL"),
            Patent => ("P", "P/OL"),
            Standard => ("S", "S/OL"),
            Collection => ("G", "G/OL"),
            Manuscript => ("A", "A/OL"),
            Dataset => ("DS", "DS/OL"),
            Software => ("CP", "CP/OL"),
        };
        if self.online { online } else { code }
    }

    /// A part's host: "//Editors. Host title: volume" (the host's edition follows, in
    /// [`Self::other_responsibility_and_edition`]).
    fn host(&self, out: &mut String) {
        if !self.is_part() {
            return;
        }
        let r = self.r;
        out.push_str("//");
        let host = if r.container_author.is_empty() {
            &r.editor
        } else {
            &r.container_author
        };
        let who = self.names(host, false);
        if !who.is_empty() {
            out.push_str(&who);
            period(out);
        }
        out.push_str(r.container_title.as_deref().unwrap_or_default());
        if let Some(v) = &r.volume {
            out.push_str(": ");
            out.push_str(&self.volume(v));
        }
    }

    /// ". 胡泳, 范海燕, 译" and ". 4th ed.".
    fn other_responsibility_and_edition(&self, out: &mut String) {
        let r = self.r;
        if !r.translator.is_empty() {
            period(out);
            out.push_str(&self.names(&r.translator, false));
            out.push_str(if self.chinese { ", 译" } else { ", trans" });
        }
        if let Some(edition) = r.edition.as_deref().and_then(|e| self.edition(e)) {
            period(out);
            out.push_str(&edition);
        }
    }

    /// "第1卷" / "Vol. 1" for a number; a volume written out ("第6册", "2011年卷") as it is.
    fn volume(&self, v: &str) -> String {
        match (v.bytes().all(|b| b.is_ascii_digit()), self.chinese) {
            (true, true) => format!("第{v}卷"),
            (true, false) => format!("Vol. {v}"),
            (false, _) => v.to_string(),
        }
    }

    /// "4th ed." / "4版" for a number (a first edition is not given, §8.3); text as written.
    fn edition(&self, e: &str) -> Option<String> {
        let e = e.trim();
        let Ok(n) = e.parse::<u32>() else {
            return (!e.is_empty()).then(|| e.to_string());
        };
        if n <= 1 {
            return None;
        }
        Some(if self.chinese {
            format!("{n}版")
        } else {
            format!("{n}{} ed.", ordinal(n))
        })
    }

    fn publication(&self, out: &mut String) {
        match self.r.kind {
            ReferenceType::ArticleJournal => self.journal(out),
            ReferenceType::ArticleNewspaper => self.newspaper(out),
            ReferenceType::Patent => self.dated(out),
            _ => self.published(out),
        }
    }

    /// ". Journal, 2012, 55(34): 3219", online "(2014-06-19)[2014-06-25]".
    fn journal(&self, out: &mut String) {
        let r = self.r;
        if let Some(journal) = &r.container_title {
            period(out);
            out.push_str(journal);
        }
        if let Some(y) = self.year() {
            out.push_str(&format!(", {y}"));
        }
        if let Some(v) = &r.volume {
            out.push_str(&format!(", {v}"));
        }
        if let Some(i) = &r.issue {
            out.push_str(&format!("({i})"));
        }
        self.pages(out);
        self.online_dates(out);
    }

    /// ". 人民日报, 2013-01-12(2)[2013-03-20]".
    fn newspaper(&self, out: &mut String) {
        let r = self.r;
        if let Some(paper) = &r.container_title {
            period(out);
            out.push_str(paper);
        }
        if let Some(date) = r.issued.as_ref().and_then(full) {
            out.push_str(&format!(", {date}"));
        }
        if let Some(p) = &r.page {
            out.push_str(&format!("({p})"));
        }
        self.accessed(out);
    }

    /// A patent's publication date: ". 2006-12-13[2013-11-11]".
    fn dated(&self, out: &mut String) {
        if let Some(date) = self.r.issued.as_ref().and_then(full) {
            out.push_str(&format!(". {date}"));
        }
        self.accessed(out);
    }

    /// ". Place: Publisher, year: pages", or for an online item with neither, ". (update)[read]".
    fn published(&self, out: &mut String) {
        let r = self.r;
        let (place, publisher) = (&r.publisher_place, &r.publisher);
        if place.is_none() && publisher.is_none() {
            if self.online {
                out.push('.');
                if let Some(date) = r.issued.as_ref().and_then(full) {
                    out.push_str(&format!(" ({date})"));
                }
                if r.accessed.is_none() && r.issued.is_none() {
                    out.pop();
                    return;
                }
                self.accessed_spaced(out);
                return;
            }
            if let Some(y) = self.year() {
                out.push_str(&format!(". {y}"));
            }
            self.pages(out);
            return;
        }
        let (unknown_place, unknown_publisher) = if self.chinese {
            ("[出版地不详]", "[出版者不详]")
        } else {
            ("[S.l.]", "[s.n.]")
        };
        period(out);
        out.push_str(place.as_deref().unwrap_or(unknown_place));
        out.push_str(": ");
        out.push_str(publisher.as_deref().unwrap_or(unknown_publisher));
        if let Some(y) = self.year() {
            out.push_str(&format!(", {y}"));
        }
        self.pages(out);
        self.online_dates(out);
    }

    fn pages(&self, out: &mut String) {
        if let Some(p) = &self.r.page {
            out.push_str(&format!(": {p}"));
        }
    }

    /// After the pages of an item read online: its full update date in parentheses (when it has
    /// one), then the date it was read.
    fn online_dates(&self, out: &mut String) {
        if !self.online {
            return;
        }
        if let Some(date) = self
            .r
            .issued
            .as_ref()
            .filter(|d| day(d).is_some())
            .and_then(full)
        {
            out.push_str(&format!("({date})"));
        }
        self.accessed(out);
    }

    /// "[2013-03-26]", right after what precedes it.
    fn accessed(&self, out: &mut String) {
        if let Some(date) = self.r.accessed.as_ref().and_then(full) {
            out.push_str(&format!("[{date}]"));
        }
    }

    /// The date read, after a space when nothing but the point precedes it (". [2012-03-27]").
    fn accessed_spaced(&self, out: &mut String) {
        if out.ends_with('.') && self.r.accessed.is_some() {
            out.push(' ');
        }
        self.accessed(out);
    }

    fn year(&self) -> Option<i32> {
        self.r.issued.as_ref().and_then(Date::year)
    }
}

/// The day of a date, when it has one.
fn day(d: &Date) -> Option<i32> {
    d.date_parts.first().and_then(|p| p.get(2)).copied()
}

/// A date as far as it is known: "2013", "2013-01", "2013-01-12".
fn full(d: &Date) -> Option<String> {
    let parts = d.date_parts.first()?;
    let mut out = format!("{:04}", parts.first()?);
    for p in parts.iter().skip(1).take(2) {
        out.push_str(&format!("-{p:02}"));
    }
    Some(out)
}

/// "st", "nd", "rd" or "th" after a number.
fn ordinal(n: u32) -> &'static str {
    match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}
