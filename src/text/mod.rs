//! Shared typography, one implementation for every writer: where a line may break (clreq tailoring of
//! UAX #14), how lines are filled, how ASCII punctuation in Chinese text is set, how wide text is on a
//! terminal.

pub mod breaking;
pub mod decimal;
pub mod emphasis;
pub mod language;
pub mod punctuation;
pub mod title;
pub mod width;
pub mod wrap;

/// Characters set as full-width (CJK) text: ideographs, kana, CJK and full-width punctuation.
/// Everything else (Latin letters, digits, ASCII marks, symbols such as ℃) belongs to a Latin run.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF       // radicals
        | 0x3000..=0x303F     // CJK symbols and punctuation
        | 0x3040..=0x30FF     // kana
        | 0x3100..=0x312F     // bopomofo
        | 0x3190..=0x31FF
        | 0x3200..=0x33FF     // enclosed, compatibility
        | 0x3400..=0x4DBF     // extension A
        | 0x4E00..=0x9FFF     // unified ideographs
        | 0xF900..=0xFAFF     // compatibility ideographs
        | 0xFE10..=0xFE1F     // vertical forms
        | 0xFE30..=0xFE4F     // compatibility forms
        | 0xFF00..=0xFF60     // full-width forms
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFF)  // supplementary ideographs
        || is_cjk_quote_or_dash(c)
}

/// Punctuation that is full-width whatever stands around it: the CJK marks and the full-width forms
/// that are not letters or digits (。，、：；！？（）《》「」【】 and their vertical forms), not the
/// ideographic space. The quotes, dashes and ellipsis Unicode leaves ambiguous
/// ([`is_cjk_quote_or_dash`]) are full-width only in Chinese text, so they are not counted here.
pub fn is_full_width_mark(c: char) -> bool {
    matches!(c as u32,
        0x3001..=0x303F
        | 0xFE10..=0xFE1F
        | 0xFE30..=0xFE4F
        | 0xFF01..=0xFF0F
        | 0xFF1A..=0xFF20
        | 0xFF3B..=0xFF40
        | 0xFF5B..=0xFF65)
}

/// Marks that Unicode leaves ambiguous but Chinese text sets full-width: quotes, dashes, ellipsis,
/// middle dot.
pub fn is_cjk_quote_or_dash(c: char) -> bool {
    matches!(c, '“' | '”' | '‘' | '’' | '—' | '…' | '·' | '⸺')
}

/// Chinese (Han) characters, the ones that decide that nearby ASCII punctuation is Chinese punctuation.
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}
