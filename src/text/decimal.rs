//! Where a table cell's number has its decimal point, so that every writer lines up the points of a
//! column the same way ("12.5", "3.75", "100" and "0.97（0.95–0.99）").

/// The byte offset in `text` of its first number's decimal point: the "." (or "·") between two digits,
/// or, for a whole number, the place just after its last digit (where its point would stand); the
/// digit groups of "1,234.5" belong to the number. `None` when the text holds no digit.
pub fn point(text: &str) -> Option<usize> {
    let start = text.find(|c: char| c.is_ascii_digit())?;
    let mut end = start;
    let mut chars = text[start..].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let at = start + i;
        let next_is_digit = chars.peek().is_some_and(|&(_, n)| n.is_ascii_digit());
        match c {
            '0'..='9' => end = at + 1,
            '.' | '·' if next_is_digit => return Some(at),
            ',' if next_is_digit => {}
            _ => break,
        }
    }
    Some(end)
}

#[cfg(test)]
mod tests {
    use super::point;

    fn split(text: &str) -> Option<(&str, &str)> {
        point(text).map(|p| text.split_at(p))
    }

    #[test]
    fn the_point_of_the_first_number() {
        assert_eq!(split("12.5"), Some(("12", ".5")));
        assert_eq!(split("0.97（0.95–0.99）"), Some(("0", ".97（0.95–0.99）")));
        assert_eq!(split("−0.25"), Some(("−0", ".25")));
        assert_eq!(split("1,234.5 例"), Some(("1,234", ".5 例")));
        assert_eq!(split("<0.001"), Some(("<0", ".001")));
    }

    #[test]
    fn a_whole_number_has_its_point_after_its_last_digit() {
        assert_eq!(split("100"), Some(("100", "")));
        assert_eq!(split("61%"), Some(("61", "%")));
        assert_eq!(split("307 例"), Some(("307", " 例")));
        // A point that ends a sentence is not a decimal point.
        assert_eq!(split("12."), Some(("12", ".")));
    }

    #[test]
    fn text_without_a_digit_has_no_point() {
        assert_eq!(point("—"), None);
        assert_eq!(point("不适用"), None);
        assert_eq!(point(""), None);
    }
}
