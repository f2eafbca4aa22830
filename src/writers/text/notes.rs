//! Notes in plain text: each an entry led by its marker ("[注1] "), the text hanging after the widest
//! marker, as the reference list hangs after its labels.

use crate::text::width::columns;
use crate::walk::Note;

use super::fill::fill;
use super::inline::{flatten, note_marker};

/// The entries of `notes`, `width` columns wide.
pub fn entries(notes: &[Note], width: usize) -> Vec<String> {
    let widest = notes.iter().map(|n| n.number).max().unwrap_or(0);
    let hang = columns(&note_marker(widest)) + 1;
    let mut out = Vec::new();
    for note in notes {
        let marker = note_marker(note.number);
        let first = format!("{marker}{}", " ".repeat(hang - columns(&marker)));
        out.extend(fill(
            flatten(&note.runs).trim(),
            &first,
            &" ".repeat(hang),
            width,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runs::Run;

    #[test]
    fn entries_hang_after_the_widest_marker() {
        let notes: Vec<Note> = (1..=10)
            .map(|number| Note {
                number,
                runs: vec![Run::plain(
                    "血浆是血液去掉血细胞后的液体部分，检测前一般无需空腹。",
                )],
            })
            .collect();
        let out = entries(&notes, 40);
        assert!(out[0].starts_with("[注1]  血浆"), "{out:?}");
        assert!(
            out[1].starts_with("       ") && !out[1].starts_with("        "),
            "{out:?}"
        );
        assert!(out.iter().any(|l| l.starts_with("[注10] 血浆")), "{out:?}");
        assert!(out.iter().all(|l| columns(l) <= 40));
    }
}
