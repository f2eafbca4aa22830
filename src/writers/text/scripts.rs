//! Raised and lowered text in plain text: Unicode's superscript and subscript characters where every
//! character of the stretch has one ("10⁶", "Aβ₄₂", "Ca²⁺"), else the stretch spelled out as `^(…)` or
//! `_(…)`, so that no character is dropped or half raised.

use crate::runs::Script;

/// The stretch `text`, raised or lowered as `script` says.
pub fn set(script: Script, text: &str) -> String {
    let (map, mark): (fn(char) -> Option<char>, char) = match script {
        Script::Normal => return text.to_string(),
        Script::Super => (superscript, '^'),
        Script::Sub => (subscript, '_'),
    };
    match text.chars().map(map).collect::<Option<String>>() {
        Some(set) => set,
        None => format!("{mark}({text})"),
    }
}

/// The superscript form of a character: digits, + − = ( ), the letters i and n; a character already
/// raised is itself.
fn superscript(c: char) -> Option<char> {
    Some(match c {
        '0' => '⁰',
        '1' => '¹',
        '2' => '²',
        '3' => '³',
        '4'..='9' => char::from_u32(0x2070 + (c as u32 - '0' as u32))?,
        '+' => '⁺',
        '-' | '−' => '⁻',
        '=' => '⁼',
        '(' => '⁽',
        ')' => '⁾',
        'i' => 'ⁱ',
        'n' => 'ⁿ',
        '⁰' | '¹' | '²' | '³' | '⁴'..='⁹' | '⁺' | '⁻' | '⁼' | '⁽' | '⁾' | 'ⁱ' | 'ⁿ' => {
            c
        }
        _ => return None,
    })
}

/// The subscript form of a character: digits, + − = ( ), and the letters a e h k l m n o p s t x
/// and schwa; a character already lowered is itself.
fn subscript(c: char) -> Option<char> {
    Some(match c {
        '0'..='9' => char::from_u32(0x2080 + (c as u32 - '0' as u32))?,
        '+' => '₊',
        '-' | '−' => '₋',
        '=' => '₌',
        '(' => '₍',
        ')' => '₎',
        'a' => 'ₐ',
        'e' => 'ₑ',
        'o' => 'ₒ',
        'x' => 'ₓ',
        'ə' => 'ₔ',
        'h' => 'ₕ',
        'k' => 'ₖ',
        'l' => 'ₗ',
        'm' => 'ₘ',
        'n' => 'ₙ',
        'p' => 'ₚ',
        's' => 'ₛ',
        't' => 'ₜ',
        '₀'..='₎' | 'ₐ'..='ₜ' => c,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_signs_and_the_few_letters_have_forms() {
        assert_eq!(set(Script::Super, "6"), "⁶");
        assert_eq!(set(Script::Super, "-12"), "⁻¹²");
        assert_eq!(set(Script::Super, "2+"), "²⁺");
        assert_eq!(set(Script::Super, "0123456789+−=()in"), "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁱⁿ");
        assert_eq!(set(Script::Sub, "42"), "₄₂");
        assert_eq!(set(Script::Sub, "0123456789+−=()"), "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎");
        assert_eq!(set(Script::Sub, "max"), "ₘₐₓ");
    }

    #[test]
    fn a_stretch_with_one_character_lacking_a_form_is_spelled_out() {
        assert_eq!(set(Script::Super, "2b"), "^(2b)");
        assert_eq!(set(Script::Sub, "50%"), "_(50%)");
        assert_eq!(set(Script::Sub, "β"), "_(β)");
        assert_eq!(set(Script::Super, "注"), "^(注)");
        assert_eq!(set(Script::Super, "1 2"), "^(1 2)");
    }

    #[test]
    fn raised_text_is_not_raised_twice_and_normal_text_is_kept() {
        assert_eq!(set(Script::Super, "⁶"), "⁶");
        assert_eq!(set(Script::Sub, "₄₂"), "₄₂");
        assert_eq!(set(Script::Normal, "x2"), "x2");
        assert_eq!(set(Script::Super, ""), "");
    }
}
