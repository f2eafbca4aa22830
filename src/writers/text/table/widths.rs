//! Column widths of a plain-text table, found as browsers find those of an automatic table: each
//! column needs at least its widest unbreakable piece of text and would like its longest line
//! unbroken; a spanning cell widens the columns it covers when they hold too little for it. A table
//! that fits at its natural widths keeps them; one that does not gets its minimum widths plus a share
//! of the room left, in proportion to the widths the author gave (or to what each column would still
//! like); one whose minimum widths do not fit has none (it is set as records instead). No column is
//! squeezed below [`MIN_COLUMN`] unless its text is narrower.

use crate::text::breaking::opportunities;
use crate::text::width::columns;

/// Blank columns between two columns of a table.
pub const GAP: usize = 2;

/// The narrowest a column is squeezed to (unless its text is narrower): four Chinese characters. A
/// column of one or two characters a line reads as a heap of syllables; a table that would need one
/// is better read as records.
pub const MIN_COLUMN: usize = 8;

/// What one cell asks of the columns it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Need {
    pub column: usize,
    pub colspan: usize,
    /// The widest piece of its text that no line may break.
    pub min: usize,
    /// Its longest line, unbroken.
    pub max: usize,
}

/// The minimum and natural width of a text, in display columns.
pub fn extent(text: &str) -> (usize, usize) {
    let mut min = 0;
    let mut start = 0;
    for (at, _) in opportunities(text) {
        min = min.max(columns(text[start..at].trim()));
        start = at;
    }
    min = min.max(columns(text[start..].trim()));
    let max = text.lines().map(|l| columns(l.trim())).max().unwrap_or(0);
    (min, max.max(min))
}

/// The widths of `count` columns that, with the gaps between them, fit in `room` columns; `None`
/// when even the narrowest the cells allow do not. `weights` are the author's relative widths (used
/// only when every column has one).
pub fn fit(
    count: usize,
    needs: &[Need],
    weights: &[Option<f32>],
    room: usize,
) -> Option<Vec<usize>> {
    let (min, max) = bounds(count, needs);
    let gaps = GAP * count.saturating_sub(1);
    let narrowest = min.iter().sum::<usize>() + gaps;
    if narrowest > room {
        return None;
    }
    if max.iter().sum::<usize>() + gaps <= room {
        return Some(max);
    }
    let given: Option<Vec<f64>> = weights.iter().map(|w| w.map(f64::from)).collect();
    let weights = given
        .filter(|w| w.len() == count)
        .unwrap_or_else(|| min.iter().zip(&max).map(|(a, b)| (b - a) as f64).collect());
    let shares = share(room - narrowest, &weights);
    Some(min.iter().zip(shares).map(|(m, s)| m + s).collect())
}

/// Each column's minimum and natural width: its own cells first, then the spanning cells, narrowest
/// span first, widening what they cover.
fn bounds(count: usize, needs: &[Need]) -> (Vec<usize>, Vec<usize>) {
    let mut min = vec![1; count];
    let mut max = vec![1; count];
    for need in needs.iter().filter(|n| n.colspan == 1 && n.column < count) {
        min[need.column] = min[need.column].max(need.min);
        max[need.column] = max[need.column].max(need.max);
    }
    let mut spanning: Vec<&Need> = needs.iter().filter(|n| n.colspan > 1).collect();
    spanning.sort_by_key(|n| n.colspan);
    for need in spanning {
        let covered = need.column.min(count)..(need.column + need.colspan).min(count);
        let inner = GAP * covered.len().saturating_sub(1);
        widen(&mut min[covered.clone()], need.min.saturating_sub(inner));
        widen(&mut max[covered], need.max.saturating_sub(inner));
    }
    for (lo, hi) in min.iter_mut().zip(max.iter_mut()) {
        *hi = (*hi).max(*lo);
        *lo = (*lo).max((*hi).min(MIN_COLUMN));
    }
    (min, max)
}

/// Widens `widths` until together they hold `need` columns, in proportion to what each holds.
fn widen(widths: &mut [usize], need: usize) {
    let have: usize = widths.iter().sum();
    if need <= have {
        return;
    }
    let weights: Vec<f64> = widths.iter().map(|&w| w as f64).collect();
    for (w, extra) in widths.iter_mut().zip(share(need - have, &weights)) {
        *w += extra;
    }
}

/// `amount` split in whole columns in proportion to `weights` (evenly when they are all 0): each
/// gets the whole part of its share, and the columns left over go one each to the largest
/// remainders, the leftmost first among equals.
fn share(amount: usize, weights: &[f64]) -> Vec<usize> {
    let total: f64 = weights.iter().sum();
    let weight = |i: usize| {
        if total > 0.0 {
            weights[i] / total
        } else {
            1.0 / weights.len() as f64
        }
    };
    let exact: Vec<f64> = (0..weights.len())
        .map(|i| amount as f64 * weight(i))
        .collect();
    let mut out: Vec<usize> = exact.iter().map(|e| e.floor() as usize).collect();
    let left = amount.saturating_sub(out.iter().sum());
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        let remainder = |i: usize| exact[i] - exact[i].floor();
        remainder(b).total_cmp(&remainder(a)).then(a.cmp(&b))
    });
    for &i in order.iter().cycle().take(left) {
        out[i] += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn need(column: usize, colspan: usize, text: &str) -> Need {
        let (min, max) = extent(text);
        Need {
            column,
            colspan,
            min,
            max,
        }
    }

    #[test]
    fn extents_count_chinese_characters_two_columns() {
        assert_eq!(extent("血液检测"), (2, 8));
        assert_eq!(extent("p-tau217 检测"), (8, 13));
        assert_eq!(extent("0.97"), (4, 4));
        assert_eq!(extent(""), (0, 0));
    }

    #[test]
    fn a_table_that_fits_keeps_its_natural_widths() {
        let needs = [need(0, 1, "研究"), need(1, 1, "0.97"), need(1, 1, "AUC")];
        assert_eq!(fit(2, &needs, &[None, None], 72), Some(vec![4, 4]));
    }

    #[test]
    fn a_wide_table_shares_the_room_and_a_too_wide_one_has_no_widths() {
        let long = "阿尔茨海默病血液检测在基层医疗与专科医疗中的表现";
        let needs = [need(0, 1, long), need(1, 1, "0.97")];
        let widths = fit(2, &needs, &[None, None], 30).expect("fits when wrapped");
        assert_eq!(widths.iter().sum::<usize>() + GAP, 30);
        assert_eq!(widths[1], 4);
        assert_eq!(fit(2, &needs, &[None, None], 7), None);
    }

    #[test]
    fn given_widths_share_the_room_in_proportion() {
        let text = "甲乙丙丁戊己庚辛壬癸甲乙丙丁戊己庚辛壬癸";
        let needs = [need(0, 1, text), need(1, 1, text)];
        let widths = fit(2, &needs, &[Some(1.0), Some(3.0)], 42).expect("fits");
        // Each column has its minimum (four characters), then the room left, shared 1 : 3.
        assert_eq!(widths, vec![8 + 6, 8 + 18]);
    }

    #[test]
    fn a_spanning_cell_widens_the_columns_it_covers() {
        let needs = [
            need(0, 2, "阿尔茨海默病血液检测"),
            need(0, 1, "甲"),
            need(1, 1, "乙"),
        ];
        let widths = fit(2, &needs, &[None, None], 72).expect("fits");
        assert_eq!(widths.iter().sum::<usize>() + GAP, 20);
    }

    #[test]
    fn shares_add_up_and_are_deterministic() {
        assert_eq!(share(10, &[1.0, 1.0, 1.0]), vec![4, 3, 3]);
        assert_eq!(share(5, &[0.0, 0.0]), vec![3, 2]);
        assert_eq!(share(7, &[2.0, 5.0]), vec![2, 5]);
    }
}
