//! A table's column widths, shared out the way browsers lay out an automatic table of `width: 100%`
//! (CSS 2.1, 17.5.2.2): each column has a minimum (its widest unbreakable piece) and a preferred
//! width (its longest line unbroken), a cell spanning columns spreads what it lacks over them, and
//! the text width goes first to the minimums, then towards the preferred widths in proportion, then
//! beyond them in proportion. Relative widths, when the source gives them, share the text width
//! instead, no column going below its minimum. Linear in the cells.

/// What one cell needs, padding included.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Need {
    /// First grid column, and how many the cell covers.
    pub column: usize,
    pub span: usize,
    pub min: f32,
    pub max: f32,
}

/// The columns cannot fit: the least width they need.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TooWide {
    pub needed: f32,
}

/// The width of each of `count` columns, adding up to `available`.
pub fn widths(
    count: usize,
    needs: &[Need],
    relative: Option<&[f32]>,
    available: f32,
) -> Result<Vec<f32>, TooWide> {
    let (min, max) = column_needs(count, needs);
    let least: f32 = min.iter().sum();
    if least > available + 0.01 {
        return Err(TooWide { needed: least });
    }
    Ok(match relative {
        Some(weights) if weights.len() == count => share(available, weights, &min),
        _ => automatic(available, &min, &max),
    })
}

/// Each column's minimum and preferred width: from the cells in it alone, then widened for the
/// cells spanning it (narrower spans first, as browsers do).
fn column_needs(count: usize, needs: &[Need]) -> (Vec<f32>, Vec<f32>) {
    let mut min = vec![0.0f32; count];
    let mut max = vec![0.0f32; count];
    for n in needs.iter().filter(|n| n.span == 1 && n.column < count) {
        min[n.column] = min[n.column].max(n.min);
        max[n.column] = max[n.column].max(n.max.max(n.min));
    }
    let mut spanning: Vec<&Need> = needs
        .iter()
        .filter(|n| n.span > 1 && n.column < count)
        .collect();
    spanning.sort_by_key(|n| n.span);
    for n in spanning {
        let columns = n.column..(n.column + n.span).min(count);
        let weights: Vec<f32> = max[columns.clone()].to_vec();
        spread(&mut min[columns.clone()], &weights, n.min);
        spread(&mut max[columns], &weights, n.max.max(n.min));
    }
    for (hi, lo) in max.iter_mut().zip(&min) {
        *hi = hi.max(*lo);
    }
    (min, max)
}

/// Widens `values` until they add up to `need`, in proportion to `weights` (evenly when they are
/// all zero).
fn spread(values: &mut [f32], weights: &[f32], need: f32) {
    let have: f32 = values.iter().sum();
    if need <= have || values.is_empty() {
        return;
    }
    let total: f32 = weights.iter().sum();
    let n = values.len() as f32;
    for (v, w) in values.iter_mut().zip(weights) {
        let part = if total > 0.0 { w / total } else { 1.0 / n };
        *v += (need - have) * part;
    }
}

/// The automatic widths: minimums first, then towards the preferred widths, then beyond them.
fn automatic(available: f32, min: &[f32], max: &[f32]) -> Vec<f32> {
    let least: f32 = min.iter().sum();
    let most: f32 = max.iter().sum();
    if most <= available {
        if most <= 0.0 {
            let n = max.len().max(1) as f32;
            return vec![available / n; max.len()];
        }
        return max
            .iter()
            .map(|m| m + (available - most) * m / most)
            .collect();
    }
    let t = (available - least) / (most - least);
    min.iter()
        .zip(max)
        .map(|(lo, hi)| lo + (hi - lo) * t)
        .collect()
}

/// The text width shared in proportion to the given weights; a column whose share is below its
/// minimum gets its minimum, and the others share what is left.
fn share(available: f32, weights: &[f32], min: &[f32]) -> Vec<f32> {
    let weights: Vec<f32> = weights.iter().map(|w| w.max(0.0)).collect();
    let mut fixed = vec![false; min.len()];
    loop {
        let left = available
            - min
                .iter()
                .zip(&fixed)
                .filter(|(_, f)| **f)
                .map(|(m, _)| m)
                .sum::<f32>();
        let total: f32 = weights
            .iter()
            .zip(&fixed)
            .filter(|(_, f)| !**f)
            .map(|(w, _)| w)
            .sum();
        let free = fixed.iter().filter(|f| !**f).count().max(1) as f32;
        let part = |w: f32| {
            if total > 0.0 {
                left * w / total
            } else {
                left / free
            }
        };
        let short: Vec<usize> = (0..min.len())
            .filter(|&c| !fixed[c] && part(weights[c]) < min[c])
            .collect();
        if short.is_empty() {
            return (0..min.len())
                .map(|c| if fixed[c] { min[c] } else { part(weights[c]) })
                .collect();
        }
        for c in short {
            fixed[c] = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn need(column: usize, span: usize, min: f32, max: f32) -> Need {
        Need {
            column,
            span,
            min,
            max,
        }
    }

    #[test]
    fn preferred_widths_that_fit_are_widened_to_the_text_width() {
        let w = widths(
            2,
            &[need(0, 1, 10.0, 100.0), need(1, 1, 10.0, 300.0)],
            None,
            800.0,
        )
        .expect("fits");
        assert!(
            (w[0] - 200.0).abs() < 0.01 && (w[1] - 600.0).abs() < 0.01,
            "{w:?}"
        );
    }

    #[test]
    fn between_minimum_and_preferred_widths_each_column_gets_its_share() {
        let w = widths(
            2,
            &[need(0, 1, 50.0, 150.0), need(1, 1, 50.0, 350.0)],
            None,
            300.0,
        )
        .expect("fits");
        // 200 above the minimums, of 400 wanted: half of each column's difference.
        assert!(
            (w[0] - 100.0).abs() < 0.01 && (w[1] - 200.0).abs() < 0.01,
            "{w:?}"
        );
    }

    #[test]
    fn minimums_wider_than_the_text_are_refused_with_what_they_need() {
        let err = widths(
            2,
            &[need(0, 1, 250.0, 300.0), need(1, 1, 100.0, 100.0)],
            None,
            300.0,
        )
        .expect_err("too wide");
        assert!((err.needed - 350.0).abs() < 0.01);
    }

    #[test]
    fn a_spanning_cell_widens_the_columns_it_covers() {
        let needs = [
            need(0, 1, 10.0, 20.0),
            need(1, 1, 10.0, 20.0),
            need(0, 2, 100.0, 100.0),
        ];
        let (min, max) = column_needs(2, &needs);
        assert_eq!(min, vec![50.0, 50.0]);
        assert_eq!(max, vec![50.0, 50.0]);
    }

    #[test]
    fn relative_widths_keep_each_column_above_its_minimum() {
        let needs = [need(0, 1, 120.0, 120.0), need(1, 1, 10.0, 10.0)];
        let w = widths(2, &needs, Some(&[1.0, 3.0]), 400.0).expect("fits");
        assert_eq!(w, vec![120.0, 280.0]);
        let w = widths(2, &needs, Some(&[1.0, 1.0]), 400.0).expect("fits");
        assert_eq!(w, vec![200.0, 200.0]);
    }
}
