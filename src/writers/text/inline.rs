//! Runs as plain text: a link shows its address after its text, a note's marker reads "[注1]", a
//! raised or lowered stretch takes Unicode's superscript or subscript characters ([`super::scripts`]).
//! Strong text and emphasis have no mark: plain text has no convention for them that a Chinese reader
//! knows (asterisks read as footnote marks, and emphasis dots cannot be typed under a character).

use crate::runs::{Run, Script, Target};

use super::scripts;

/// The marker of note `number` in the text and before the note itself.
pub fn note_marker(number: usize) -> String {
    format!("[注{number}]")
}

/// The text of runs as plain text.
pub fn flatten(runs: &[Run]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while i < runs.len() {
        let run = &runs[i];
        // A raised or lowered stretch is set as a whole: "42" lowered is "₄₂" only if both digits are.
        let end = match (run.note, run.script) {
            (None, Script::Super | Script::Sub) => runs[i..]
                .iter()
                .position(|r| r.script != run.script || r.note.is_some())
                .map_or(runs.len(), |n| i + n),
            _ => i + 1,
        };
        if let Some(number) = run.note {
            out.push_str(&note_marker(number));
        } else {
            let text: String = runs[i..end].iter().map(|r| r.text.as_str()).collect();
            out.push_str(&scripts::set(run.script, &text));
        }
        for j in i..end {
            link_address(runs, j, &mut out);
        }
        i = end;
    }
    out
}

/// After the last run of a link to an outside address: the address, unless the text already ends
/// with it.
fn link_address(runs: &[Run], i: usize, out: &mut String) {
    let run = &runs[i];
    if let Some(Target::Url(url)) = &run.link {
        let last_of_link = runs.get(i + 1).is_none_or(|next| next.link != run.link);
        let shown = url.strip_prefix("mailto:").unwrap_or(url);
        if last_of_link && !out.ends_with(shown) {
            out.push_str(&format!(" <{shown}>"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raised(text: &str, script: Script) -> Run {
        Run {
            script,
            ..Run::plain(text)
        }
    }

    #[test]
    fn a_note_s_marker_reads_zhu_and_its_number() {
        let runs = [
            Run::plain("见说明"),
            Run {
                note: Some(3),
                ..Run::plain("3")
            },
            Run::plain("。"),
        ];
        assert_eq!(flatten(&runs), "见说明[注3]。");
    }

    #[test]
    fn a_stretch_split_over_runs_is_raised_as_a_whole() {
        let strong_two = Run {
            strong: true,
            ..raised("2", Script::Sub)
        };
        let runs = [
            Run::plain("Aβ"),
            raised("4", Script::Sub),
            strong_two,
            Run::plain("与10"),
            raised("6", Script::Super),
        ];
        assert_eq!(flatten(&runs), "Aβ₄₂与10⁶");
        let runs = [
            Run::plain("x"),
            raised("4", Script::Sub),
            raised("β", Script::Sub),
        ];
        assert_eq!(flatten(&runs), "x_(4β)");
        // A superscript next to a subscript is two stretches.
        let runs = [raised("2", Script::Super), raised("a", Script::Sub)];
        assert_eq!(flatten(&runs), "²ₐ");
    }

    #[test]
    fn a_link_shows_its_address_once_after_its_text() {
        let link = Some(Target::Url("https://a.example/x".into()));
        let runs = [
            Run {
                link: link.clone(),
                ..Run::plain("网站")
            },
            Run {
                link,
                ..raised("2", Script::Super)
            },
            Run::plain("。"),
        ];
        assert_eq!(flatten(&runs), "网站² <https://a.example/x>。");
    }
}
