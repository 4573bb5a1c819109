//! Plain-text tables aligned by display width, for terminals and for pasting.

use crate::text::{terminal_safe, width};

/// A table: a header row and data rows of the same length. Cells are made terminal-safe
/// here, so no caller can forget to.
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    right_aligned: Vec<bool>,
}

impl Table {
    pub fn new<S: Into<String>>(header: impl IntoIterator<Item = S>) -> Table {
        let header: Vec<String> = header.into_iter().map(Into::into).collect();
        let right_aligned = vec![false; header.len()];
        Table {
            header,
            rows: Vec::new(),
            right_aligned,
        }
    }

    /// Aligns the named columns to the right (numbers).
    pub fn right_align(mut self, columns: &[usize]) -> Table {
        for &c in columns {
            if let Some(flag) = self.right_aligned.get_mut(c) {
                *flag = true;
            }
        }
        self
    }

    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    pub fn render(&self) -> String {
        let clean = |cell: &str| terminal_safe(cell).replace(['\n', '\t'], " ");
        let header: Vec<String> = self.header.iter().map(|c| clean(c)).collect();
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|row| row.iter().map(|c| clean(c)).collect())
            .collect();
        let widths: Vec<usize> = (0..header.len())
            .map(|col| {
                std::iter::once(&header)
                    .chain(&rows)
                    .filter_map(|row| row.get(col))
                    .map(|cell| width(cell))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let mut out = String::new();
        for row in std::iter::once(&header).chain(&rows) {
            let mut line = String::new();
            for (col, cell) in row.iter().enumerate() {
                let pad = widths
                    .get(col)
                    .copied()
                    .unwrap_or(0)
                    .saturating_sub(width(cell));
                if col > 0 {
                    line.push_str("  ");
                }
                if self.right_aligned.get(col).copied().unwrap_or(false) {
                    line.push_str(&" ".repeat(pad));
                    line.push_str(cell);
                } else {
                    line.push_str(cell);
                    line.push_str(&" ".repeat(pad));
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_by_display_width() {
        let mut table = Table::new(["district", "n"]).right_align(&[1]);
        table.push(vec!["红谷滩区".into(), "1".into()]);
        table.push(vec!["abc".into(), "10".into()]);
        assert_eq!(table.render(), "district   n\n红谷滩区   1\nabc       10\n");
    }
}
