//! The wrong lines of one file, gathered while every line is checked, so the user sees all
//! of them at once: the first 100 by line, and a count of every one.

use super::{ImportFailure, LineError};

/// How many errors a report lists; `total` counts the rest.
pub const MAX_LISTED: usize = 100;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Problems {
    /// The lowest-numbered errors seen, never many more than `MAX_LISTED`.
    kept: Vec<LineError>,
    total: u64,
}

impl Problems {
    pub fn add(&mut self, line: u64, column: Option<&str>, message: String) {
        self.push(LineError {
            line,
            column: column.map(str::to_string),
            message,
        });
    }

    pub fn push(&mut self, error: LineError) {
        self.total += 1;
        self.kept.push(error);
        // Most errors arrive in line order; cross-line checks (cycles) arrive last. Trim now
        // and then, so a file of a million wrong lines does not hold a million messages.
        if self.kept.len() >= 10 * MAX_LISTED {
            self.trim();
        }
    }

    /// Errors counted but not kept (the reader keeps only the first of many bad lines).
    pub fn count_more(&mut self, n: u64) {
        self.total += n;
    }

    fn trim(&mut self) {
        self.kept.sort_by_key(|e| e.line);
        self.kept.truncate(MAX_LISTED);
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// The listed errors, by line.
    pub fn errors(mut self) -> Vec<LineError> {
        self.trim();
        self.kept
    }

    pub fn into_failure(self, file: &str) -> ImportFailure {
        let total = self.total;
        ImportFailure {
            file: file.to_string(),
            errors: self.errors(),
            total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_the_first_hundred_by_line_and_counts_all() {
        let mut p = Problems::default();
        for line in (2..=2501).rev() {
            p.add(line, Some("verdi"), "x".to_string());
        }
        let f = p.into_failure("f.csv");
        assert_eq!(f.total, 2500);
        assert_eq!(f.errors.len(), 100);
        assert_eq!(f.errors[0].line, 2);
        assert_eq!(f.errors[99].line, 101);
    }
}
