//! The reference list: numbering in order of first citation, and each entry formatted in
//! GB/T 7714-2015 (numeric system), with DOI, PMID and PMCID as links. One formatter for every writer:
//! `names.rs` sets the people (§8.1), `entry.rs` lays out each type of entry (§4, §8).

mod entry;
mod names;

use std::collections::HashMap;

use crate::model::{Article, Reference};

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

    /// A citation's label as GB/T 7714-2015 §10.1.3 writes it: the numbers in order, separated by
    /// "," with no space, a run of consecutive numbers written as its first and last joined by a
    /// short dash: "[1]", "[2,4]", "[1-3]", "[255-256]".
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
            parts.push(if i == j {
                numbers[i].to_string()
            } else {
                format!("{}-{}", numbers[i], numbers[j])
            });
            i = j + 1;
        }
        format!("[{}]", parts.join(","))
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

/// How personal names are set (GB/T 7714 §8.1.1 leaves the case to the writer): as the author wrote
/// them (only the dots after initials dropped, as the standard asks), or as the standard's own
/// examples print them, family names in capitals and given names as initials (`--ref-names upper`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NameCase {
    #[default]
    AsWritten,
    Upper,
}

/// One entry, without its number, as pieces of text and links.
pub fn format(r: &Reference, case: NameCase) -> Vec<Piece> {
    let text = entry::text(r, case);
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
    // §8.9 and §8.7: the access path, then the DOI (and the PubMed identifiers medicine adds).
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
pub fn format_plain(r: &Reference, case: NameCase) -> String {
    format(r, case).into_iter().map(|p| p.text).collect()
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
            .map(|&i| format_plain(&a.references[i], NameCase::AsWritten))
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
        let pieces = format(&a.references[2], NameCase::AsWritten);
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
        // GB/T 7714-2015 §10.1.3's own forms: "[2,4]", "[1-3]", "[255-256]".
        assert_eq!(n.label(&ids(&["zhao2023", "qiao2016"])), "[1-2]");
        assert_eq!(n.label(&ids(&["shigematsu2021", "zhao2023"])), "[2,4]");
        assert_eq!(
            n.label(&ids(&["barczewska2020", "qiao2016", "zhao2023"])),
            "[1-3]"
        );
        assert_eq!(
            n.label(&ids(&["shigematsu2021", "qiao2016", "qiao2016"])),
            "[1,4]"
        );
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
