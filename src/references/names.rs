//! The people of an entry, GB/T 7714-2015 §8.1: at most three names, then 等 (Chinese entries) or
//! et al. (others); a Chinese name family-first with no space; a Western name family first, then the
//! given names (abbreviations without dots, §8.1.1), then a suffix ("PEEBLES P Z, Jr"); an
//! organisation as written.

use super::NameCase;
use crate::model::Name;
use crate::text::is_han;

/// The names of a list, as the entry's language wants the cut: "乔利军, 卢爱丽, 冯梅, 等".
pub fn list(names: &[Name], et_al: bool, chinese: bool, case: NameCase) -> String {
    let shown: Vec<String> = names.iter().take(3).map(|n| one(n, case)).collect();
    let mut out = shown.join(", ");
    if names.len() > 3 || (et_al && !names.is_empty()) {
        out.push_str(if chinese { ", 等" } else { ", et al." });
    }
    out
}

/// One name.
pub fn one(n: &Name, case: NameCase) -> String {
    if let Some(literal) = &n.literal {
        return literal.clone();
    }
    let family = n.family.as_deref().unwrap_or("").trim();
    let given = n.given.as_deref().unwrap_or("").trim();
    // A Chinese name is written without a space, and never changes case.
    if family.chars().chain(given.chars()).any(is_han) {
        return format!("{family}{given}");
    }
    let (family, given) = match case {
        NameCase::AsWritten => (family.to_string(), undotted(given)),
        NameCase::Upper => (family.to_uppercase(), initials(given)),
    };
    let mut out = family;
    if !given.is_empty() {
        out.push(' ');
        out.push_str(&given);
    }
    if let Some(suffix) = n.suffix.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        out.push_str(", ");
        out.push_str(suffix.trim_end_matches('.'));
    }
    out
}

/// Given names as written, the dots after initials dropped ("Peyton Z." -> "Peyton Z").
fn undotted(given: &str) -> String {
    let words: Vec<String> = given
        .split_whitespace()
        .map(|w| match w.strip_suffix('.') {
            Some(initial) if initial.chars().count() == 1 => initial.to_string(),
            _ => w.to_string(),
        })
        .collect();
    words.join(" ")
}

/// Given names as initials, no dots ("Peyton Z." -> "P Z", "J. Alan" -> "J A", "Jean-Paul" -> "J P").
fn initials(given: &str) -> String {
    let initials: Vec<String> = given
        .split(|c: char| c.is_whitespace() || c == '.' || c == '-')
        .filter_map(|w| w.chars().next())
        .map(|c| c.to_uppercase().collect())
        .collect();
    initials.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(family: &str, given: &str, suffix: Option<&str>) -> Name {
        Name {
            family: Some(family.into()),
            given: Some(given.into()),
            literal: None,
            suffix: suffix.map(Into::into),
        }
    }

    #[test]
    fn western_names_as_written_and_as_the_standard_prints_them() {
        let peebles = name("Peebles", "Peyton Z.", Some("Jr"));
        assert_eq!(one(&peebles, NameCase::AsWritten), "Peebles Peyton Z, Jr");
        assert_eq!(one(&peebles, NameCase::Upper), "PEEBLES P Z, Jr");
        let roberson = name("Roberson", "J. Alan", None);
        assert_eq!(one(&roberson, NameCase::Upper), "ROBERSON J A");
        assert_eq!(
            one(&name("Barczewska", "M", None), NameCase::AsWritten),
            "Barczewska M"
        );
        assert_eq!(
            one(&name("Weinstein", "L.", None), NameCase::AsWritten),
            "Weinstein L"
        );
        assert_eq!(
            one(&name("Xiong", "Ping", None), NameCase::Upper),
            "XIONG P"
        );
    }

    #[test]
    fn chinese_names_and_organisations_are_as_written() {
        assert_eq!(one(&name("乔", "利军", None), NameCase::Upper), "乔利军");
        let org = Name {
            family: None,
            given: None,
            literal: Some("Online Computer Library Center, Inc".into()),
            suffix: None,
        };
        assert_eq!(
            one(&org, NameCase::Upper),
            "Online Computer Library Center, Inc"
        );
    }

    #[test]
    fn more_than_three_names_are_cut_by_the_entrys_language() {
        let four: Vec<Name> = ["甲", "乙", "丙", "丁"]
            .iter()
            .map(|f| name(f, "", None))
            .collect();
        assert_eq!(list(&four, false, true, NameCase::Upper), "甲, 乙, 丙, 等");
        assert_eq!(
            list(&four[..3], true, false, NameCase::Upper),
            "甲, 乙, 丙, et al."
        );
        assert_eq!(list(&four[..2], false, true, NameCase::Upper), "甲, 乙");
    }
}
