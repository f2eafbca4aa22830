//! Display width on a Chinese terminal or in a monospaced plain-text file: East Asian wide and
//! ambiguous characters (“ ” · — … ℃) count two columns, as unicode-width's CJK widths say.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub fn columns(text: &str) -> usize {
    text.width_cjk()
}

pub fn char_columns(c: char) -> usize {
    c.width_cjk().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn chinese_and_ambiguous_marks_are_two_columns() {
        assert_eq!(super::columns("干细胞ALS"), 9);
        assert_eq!(super::columns("“解冻”"), 8);
        assert_eq!(super::columns("38.5℃"), 6);
    }
}
