//! Links on paper: a printed link is only its text, so the walk prints each external link's URL where
//! a reader of paper finds it. With [`LinkPlacement::Foot`] the URL is a note the walk makes: its
//! marker is a note marker, numbered with the article's notes, and its text is the URL, so that the
//! layout puts it at the foot of the marker's page like any footnote. With [`LinkPlacement::End`] a
//! marker "链N" follows the link text and the URLs are listed under 链接 before the references.
//! Links to one URL share one number; a link whose text is its URL needs nothing; a mailto link
//! prints its address. Where no note can go (a note's own text, a heading, the notices), the URL
//! follows the link text in brackets instead.

use std::collections::HashMap;

use super::{LinkPlacement, Note};
use crate::runs::{Run, Script, Target};

/// The heading of the link list ([`LinkPlacement::End`]).
pub const LINKS_TITLE: &str = "链接";

/// How the links of some runs are marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mark {
    /// As the placement says: a note's marker, or a list's.
    Placed,
    /// The URL in brackets after the link text: where a marker cannot go.
    Inline,
}

/// The links met so far.
#[derive(Debug, Default)]
pub(super) struct Links {
    pub(super) placement: LinkPlacement,
    /// The number each URL was given (a note's with `Foot`, a list entry's with `End`).
    numbers: HashMap<String, usize>,
    /// `Foot`: the URL notes made since the last [`Links::take_notes`].
    notes: Vec<Note>,
    /// `End`: the list, in order of first appearance.
    pub(super) list: Vec<Note>,
}

/// The note numbering a paragraph's runs share with the links: the notes numbered before it
/// (`base`), the number given last, and how the paragraph's own notes were renumbered.
pub(super) struct Numbering<'a> {
    pub(super) base: usize,
    pub(super) count: &'a mut usize,
    pub(super) renumbered: &'a mut HashMap<usize, usize>,
}

impl Links {
    pub(super) fn new(placement: LinkPlacement) -> Links {
        Links {
            placement,
            ..Links::default()
        }
    }

    /// The URL notes made since the last call.
    pub(super) fn take_notes(&mut self) -> Vec<Note> {
        std::mem::take(&mut self.notes)
    }

    /// Marks the links of `runs`. With `Foot`, the paragraph's notes and its URL notes are numbered
    /// together in reading order: the notes were numbered first, so they are renumbered here.
    pub(super) fn mark(&mut self, runs: Vec<Run>, mark: Mark, numbering: Numbering) -> Vec<Run> {
        if self.placement == LinkPlacement::Off {
            return runs;
        }
        let renumber = mark == Mark::Placed && self.placement == LinkPlacement::Foot;
        let mut next = numbering.base;
        let mut out = Vec::with_capacity(runs.len());
        let mut text = String::new();
        for (i, mut run) in runs.iter().cloned().enumerate() {
            if let Some(old) = run.note.filter(|&n| renumber && n > numbering.base) {
                next += 1;
                numbering.renumbered.insert(old, next);
                run.note = Some(next);
                run.text = next.to_string();
            }
            let url = match &run.link {
                Some(Target::Url(u)) => Some(u.clone()),
                _ => None,
            };
            out.push(run);
            let Some(url) = url else { continue };
            text.push_str(&runs[i].text);
            if runs.get(i + 1).is_some_and(|r| r.link == runs[i].link) {
                continue;
            }
            if !is_own_url(&text, &url) {
                self.marker(&url, mark, &mut next, &mut out);
            }
            text.clear();
        }
        if renumber {
            *numbering.count = next;
        }
        out
    }

    /// What follows a link's text: its marker, or its URL in brackets.
    fn marker(&mut self, url: &str, mark: Mark, next: &mut usize, out: &mut Vec<Run>) {
        match (mark, self.placement) {
            (Mark::Inline, _) | (_, LinkPlacement::Off) => {
                out.push(Run::plain("（"));
                out.push(url_run(url));
                out.push(Run::plain("）"));
            }
            (Mark::Placed, LinkPlacement::Foot) => {
                let number = *self.numbers.entry(url.to_string()).or_insert_with(|| {
                    *next += 1;
                    self.notes.push(Note {
                        number: *next,
                        runs: vec![url_run(url)],
                    });
                    *next
                });
                out.push(Run {
                    note: Some(number),
                    ..Run::plain(number.to_string())
                });
            }
            (Mark::Placed, LinkPlacement::End) => {
                let number = match self.numbers.get(url) {
                    Some(&n) => n,
                    None => {
                        let n = self.list.len() + 1;
                        self.numbers.insert(url.to_string(), n);
                        self.list.push(Note {
                            number: n,
                            runs: vec![url_run(url)],
                        });
                        n
                    }
                };
                // Linked to the address itself: the marker is as live as the text it follows.
                out.push(Run {
                    script: Script::Super,
                    link: Some(Target::Url(url.to_string())),
                    marker: true,
                    ..Run::plain(format!("链{number}"))
                });
            }
        }
    }
}

/// The URL as printed (a mailto link's address), linked to itself.
fn url_run(url: &str) -> Run {
    Run {
        link: Some(Target::Url(url.to_string())),
        ..Run::plain(printed(url))
    }
}

/// What a reader types: the URL, or a mailto link's address without its query.
pub fn printed(url: &str) -> String {
    match strip_prefix_ci(url, "mailto:") {
        Some(address) => address.split('?').next().unwrap_or(address).to_string(),
        None => url.to_string(),
    }
}

fn strip_prefix_ci<'u>(s: &'u str, prefix: &str) -> Option<&'u str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// Whether a link's text already says where it goes: its URL, give or take the scheme and a
/// final slash ("www.nia.nih.gov" for https://www.nia.nih.gov/), or a mailto link's address.
fn is_own_url(text: &str, url: &str) -> bool {
    let bare = |s: &str| -> String {
        let s = s.trim();
        let s = ["https://", "http://", "mailto:"]
            .iter()
            .find_map(|p| strip_prefix_ci(s, p))
            .unwrap_or(s);
        s.trim_end_matches('/').to_ascii_lowercase()
    };
    let url = printed(url);
    !text.trim().is_empty() && bare(text) == bare(&url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_urls_need_no_marker() {
        assert!(is_own_url("https://a.org/x", "https://a.org/x"));
        assert!(is_own_url("a.org", "https://a.org/"));
        assert!(is_own_url("me@a.org", "mailto:me@a.org?subject=hi"));
        assert!(!is_own_url("网站", "https://a.org/"));
    }

    #[test]
    fn mailto_prints_the_address() {
        assert_eq!(printed("MAILTO:me@a.org?subject=x"), "me@a.org");
        assert_eq!(printed("https://a.org/?q"), "https://a.org/?q");
    }
}
