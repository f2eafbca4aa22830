//! The reference list: numbering in order of first citation, and each entry formatted in
//! GB/T 7714-2015 (numeric system), with DOI, PMID and PMCID as links. One formatter for every writer.

use std::collections::HashMap;

use crate::model::{Article, Name, Reference, ReferenceType};
use crate::text::is_han;

/// A piece of a formatted entry; `link` is set on the pieces that link out (DOI, PMID, PMCID, URL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub link: Option<String>,
}

/// The references in list order, with their numbers.
#[derive(Debug, Clone)]
pub struct Numbering {
    /// Indices into `article.references`, in numbered order (number = position + 1).
    pub order: Vec<usize>,
    number: HashMap<String, usize>,
}

impl Numbering {
    /// Numbers references by first citation; references never cited follow in source order.
    pub fn new(article: &Article) -> Numbering {
        let index: HashMap<&str, usize> = article
            .references
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.as_str(), i))
            .collect();
        let mut order = Vec::new();
        let mut seen = vec![false; article.references.len()];
        article.for_each_citation(|ids| {
            for id in ids {
                if let Some(&i) = index.get(id.as_str())
                    && !seen[i]
                {
                    seen[i] = true;
                    order.push(i);
                }
            }
        });
        order.extend((0..seen.len()).filter(|&i| !seen[i]));
        let number = order
            .iter()
            .enumerate()
            .map(|(n, &i)| (article.references[i].id.clone(), n + 1))
            .collect();
        Numbering { order, number }
    }

    /// The number of a reference id (ids are checked when the source is loaded).
    pub fn number(&self, id: &str) -> Option<usize> {
        self.number.get(id).copied()
    }

    /// A citation's label, "[1]", "[1, 3]" or "[2-4]".
    pub fn label(&self, ids: &[String]) -> String {
        let mut numbers: Vec<usize> = ids.iter().filter_map(|id| self.number(id)).collect();
        numbers.sort_unstable();
        numbers.dedup();
        let mut parts = Vec::new();
        let mut i = 0;
        while i < numbers.len() {
            let mut j = i;
            while j + 1 < numbers.len() && numbers[j + 1] == numbers[j] + 1 {
                j += 1;
            }
            parts.push(match j - i {
                0 => numbers[i].to_string(),
                1 => format!("{}, {}", numbers[i], numbers[j]),
                _ => format!("{}-{}", numbers[i], numbers[j]),
            });
            i = j + 1;
        }
        format!("[{}]", parts.join(", "))
    }
}

pub fn doi_url(doi: &str) -> String {
    format!("https://doi.org/{doi}")
}

pub fn pmid_url(pmid: &str) -> String {
    format!("https://pubmed.ncbi.nlm.nih.gov/{pmid}/")
}

pub fn pmcid_url(pmcid: &str) -> String {
    format!("https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/")
}

fn is_chinese(r: &Reference) -> bool {
    match &r.language {
        Some(lang) => lang.to_ascii_lowercase().starts_with("zh"),
        None => r.title.chars().any(is_han),
    }
}

fn name(n: &Name) -> String {
    if let Some(literal) = &n.literal {
        return literal.clone();
    }
    let family = n.family.as_deref().unwrap_or("");
    match n.given.as_deref() {
        // A Chinese name is written without a space; a Western one keeps it, whatever the entry's
        // language ("Harrison M" in a Chinese book's entry).
        Some(given) if family.chars().chain(given.chars()).any(is_han) => {
            format!("{family}{given}")
        }
        Some(given) => format!("{family} {given}"),
        None => family.to_string(),
    }
}

/// GB/T 7714: up to three authors, then 等 (Chinese entries) or et al. (others).
fn authors(r: &Reference, chinese: bool) -> String {
    let shown: Vec<String> = r.author.iter().take(3).map(name).collect();
    let mut out = shown.join(", ");
    if r.author.len() > 3 || (r.et_al && !r.author.is_empty()) {
        out.push_str(if chinese { ", 等" } else { ", et al." });
    }
    out
}

fn type_code(kind: ReferenceType) -> &'static str {
    match kind {
        ReferenceType::ArticleJournal => "J",
        ReferenceType::Thesis => "D",
        ReferenceType::Book | ReferenceType::Chapter => "M",
        ReferenceType::PaperConference => "C",
        ReferenceType::Report => "R",
        ReferenceType::Webpage => "EB/OL",
    }
}

/// One entry, without its number, as pieces of text and links.
pub fn format(r: &Reference) -> Vec<Piece> {
    let chinese = is_chinese(r);
    let mut text = String::new();
    let who = authors(r, chinese);
    if !who.is_empty() {
        text.push_str(&who);
        text.push_str(if who.ends_with('.') { " " } else { ". " });
    }
    text.push_str(r.title.trim_end_matches('.'));
    text.push_str(&format!("[{}]", type_code(r.kind)));
    let year = r
        .issued
        .as_ref()
        .and_then(|d| d.year())
        .map(|y| y.to_string());
    match r.kind {
        ReferenceType::ArticleJournal => {
            if let Some(journal) = &r.container_title {
                text.push_str(&format!(". {journal}"));
            }
            if let Some(y) = &year {
                text.push_str(&format!(", {y}"));
            }
            if let Some(v) = &r.volume {
                text.push_str(&format!(", {v}"));
            }
            if let Some(i) = &r.issue {
                text.push_str(&format!("({i})"));
            }
            if let Some(p) = &r.page {
                text.push_str(&format!(": {p}"));
            }
        }
        _ => {
            // A chapter or a conference paper is a part of its host (析出文献): "//" and the book or
            // the proceedings, then the host's place and publisher.
            if let Some(container) = r.container_title.as_ref().filter(|_| {
                matches!(
                    r.kind,
                    ReferenceType::Chapter | ReferenceType::PaperConference
                )
            }) {
                text.push_str(&format!("//{container}"));
            }
            let place_publisher = match (&r.publisher_place, &r.publisher) {
                (Some(place), Some(publisher)) => Some(format!("{place}: {publisher}")),
                (None, Some(publisher)) => Some(publisher.clone()),
                (Some(place), None) => Some(place.clone()),
                (None, None) => None,
            };
            if let Some(pp) = place_publisher {
                text.push_str(&format!(". {pp}"));
                if let Some(y) = &year {
                    text.push_str(&format!(", {y}"));
                }
            } else if let Some(y) = &year {
                text.push_str(&format!(". {y}"));
            }
            if let Some(p) = &r.page {
                text.push_str(&format!(": {p}"));
            }
        }
    }
    text.push('.');
    let mut pieces = vec![Piece { text, link: None }];
    let mut linked = |label: &str, value: &str, url: String| {
        pieces.push(Piece {
            text: format!(" {label}"),
            link: None,
        });
        pieces.push(Piece {
            text: value.to_string(),
            link: Some(url),
        });
        pieces.push(Piece {
            text: ".".into(),
            link: None,
        });
    };
    if let Some(url) = &r.url {
        linked("", url, url.clone());
    }
    if let Some(doi) = &r.doi {
        linked("DOI:", doi, doi_url(doi));
    }
    if let Some(pmid) = &r.pmid {
        linked("PMID:", pmid, pmid_url(pmid));
    }
    if let Some(pmcid) = &r.pmcid {
        linked("PMCID:", pmcid, pmcid_url(pmcid));
    }
    pieces.retain(|p| !p.text.is_empty());
    pieces
}

/// The entry as plain text.
pub fn format_plain(r: &Reference) -> String {
    format(r).into_iter().map(|p| p.text).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source;
    use std::path::Path;

    fn article() -> Article {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("source/article.json");
        source::load(&path).expect("the seed article loads")
    }

    #[test]
    fn the_seed_references_in_gb_t_7714() {
        let a = article();
        let n = Numbering::new(&a);
        let entries: Vec<String> = n
            .order
            .iter()
            .map(|&i| format_plain(&a.references[i]))
            .collect();
        assert_eq!(
            entries,
            vec![
                "乔利军, 卢爱丽, 冯梅, 等. 脐带间充质干细胞移植治疗肌萎缩侧索硬化症的短期疗效及安全性分析[J]. 山东医药, 2016, 56(36): 1-4.",
                "赵舒怡. 体外扩增的外周血单核细胞治疗肌萎缩侧索硬化症安全性及疗效的初步研究[D]. 南京: 南京医科大学, 2023. DOI:10.27249/d.cnki.gnjyu.2023.000262.",
                "Barczewska M, Maksymowicz S, Zdolińska-Malinowska I, et al. Umbilical Cord Mesenchymal Stem Cells in Amyotrophic Lateral Sclerosis: an Original Study[J]. Stem Cell Rev Rep, 2020, 16(5): 922-932. DOI:10.1007/s12015-020-10016-7. PMID:32725316. PMCID:PMC7456414.",
                "Shigematsu K, Takeda T, Komori N, et al. Long-term survival of patients with amyotrophic lateral sclerosis (ALS) treated with autologous adipose-derived mesenchymal stem cells[J]. Eur Rev Med Pharmacol, 2021, 25(11): 4086-4090. DOI:10.26355/eurrev_202106_26050. PMID:34156687.",
            ]
        );
    }

    #[test]
    fn identifiers_link_out() {
        let a = article();
        let pieces = format(&a.references[2]);
        let links: Vec<_> = pieces.iter().filter_map(|p| p.link.as_deref()).collect();
        assert_eq!(
            links,
            vec![
                "https://doi.org/10.1007/s12015-020-10016-7",
                "https://pubmed.ncbi.nlm.nih.gov/32725316/",
                "https://pmc.ncbi.nlm.nih.gov/articles/PMC7456414/"
            ]
        );
    }

    #[test]
    fn citation_labels_compress_ranges() {
        let a = article();
        let n = Numbering::new(&a);
        let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(n.label(&ids(&["qiao2016"])), "[1]");
        assert_eq!(n.label(&ids(&["zhao2023", "qiao2016"])), "[1, 2]");
        assert_eq!(
            n.label(&ids(&[
                "shigematsu2021",
                "qiao2016",
                "zhao2023",
                "barczewska2020"
            ])),
            "[1-4]"
        );
    }
}
