//! One record's cells read as a kind's values — required text, numbers, years — each
//! failure recorded against the record's line and the column as the file names it. A
//! failed cell yields `Err(Reported)`: the error is already in `Problems`, and the caller
//! goes on checking the other cells of the line so that all its errors are listed.

use super::header::Columns;
use super::problems::Problems;
use super::reader::Record;
use crate::number::parse_decimal;
use crate::period::Period;

/// The cell's error has been recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reported;

pub type Checked<T> = Result<T, Reported>;

/// A record seen through a kind's columns.
pub struct Cells<'a> {
    pub record: &'a Record,
    pub columns: &'a Columns,
}

impl<'a> Cells<'a> {
    pub fn line(&self) -> u64 {
        self.record.line
    }

    /// The trimmed text; empty when the column is absent.
    pub fn text(&self, column: &str) -> &'a str {
        self.columns.cell(self.record, column)
    }

    /// The text, `None` when empty.
    pub fn optional(&self, column: &str) -> Option<&'a str> {
        Some(self.text(column)).filter(|t| !t.is_empty())
    }

    pub fn error(&self, problems: &mut Problems, column: &str, message: String) -> Reported {
        problems.add(self.line(), Some(&self.columns.label(column)), message);
        Reported
    }

    /// A line-level error (no single column).
    pub fn line_error(&self, problems: &mut Problems, message: String) -> Reported {
        problems.add(self.line(), None, message);
        Reported
    }

    pub fn required(&self, problems: &mut Problems, column: &str) -> Checked<&'a str> {
        match self.optional(column) {
            Some(t) => Ok(t),
            None => Err(self.error(problems, column, "mangler verdi".to_string())),
        }
    }

    /// A number by the Norwegian rules, `None` when empty.
    pub fn optional_number(&self, problems: &mut Problems, column: &str) -> Checked<Option<f64>> {
        match self.optional(column) {
            None => Ok(None),
            Some(t) => match parse_decimal(t) {
                Ok(d) => Ok(Some(d.to_f64())),
                Err(e) => Err(self.error(problems, column, e.to_string())),
            },
        }
    }

    pub fn required_number(&self, problems: &mut Problems, column: &str) -> Checked<f64> {
        let text = self.required(problems, column)?;
        parse_decimal(text)
            .map(|d| d.to_f64())
            .map_err(|e| self.error(problems, column, e.to_string()))
    }

    /// A calendar year of four digits (`2026`; an XLSX number cell 2026 reads the same).
    pub fn required_year(&self, problems: &mut Problems, column: &str) -> Checked<i32> {
        let text = self.required(problems, column)?;
        let year = (text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()))
            .then(|| text.parse::<i32>().ok())
            .flatten()
            .filter(|y| Period::year(*y).is_some());
        year.ok_or_else(|| {
            self.error(
                problems,
                column,
                format!("«{text}» er ikke et årstall (f.eks. 2026)"),
            )
        })
    }
}

/// `a, b, c eller d`: the accepted values in an error message.
pub fn one_of(values: &[&str]) -> String {
    match values {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} eller {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_values_read_as_a_norwegian_list() {
        assert_eq!(one_of(&["sum", "snitt", "ingen"]), "sum, snitt eller ingen");
        assert_eq!(one_of(&["høy", "lav"]), "høy eller lav");
    }
}
