//! The wrong lines of one file, gathered while every line is checked, so the user sees all
//! of them at once: the first 100 by line, and a count of every one.

use super::{ImportFailure, LineError};

/// How many errors a report lists; `total` counts the rest.
pub const MAX_LISTED: usize = 100;

/// Messages longer than this (in bytes) have their long quotes shortened.
const MAX_MESSAGE: usize = 400;
/// How many characters of a long quoted text a message keeps.
const QUOTE_KEPT: usize = 60;

/// `the first 60 characters… (12 345 tegn)`.
fn shorten(text: &str) -> String {
    let n = text.chars().count();
    if n <= QUOTE_KEPT + 20 {
        return text.to_string();
    }
    let kept: String = text.chars().take(QUOTE_KEPT).collect();
    format!("{kept}… ({n} tegn)")
}

/// Every «quoted» text in `message` longer than 80 characters, shortened.
fn shorten_quotes(message: &str) -> String {
    let mut out = String::new();
    let mut rest = message;
    while let Some((before, after)) = rest.split_once('«') {
        out.push_str(before);
        out.push('«');
        match after.split_once('»') {
            Some((quoted, tail)) => {
                out.push_str(&shorten(quoted));
                out.push('»');
                rest = tail;
            }
            None => {
                out.push_str(&shorten(after));
                rest = "";
            }
        }
    }
    out.push_str(rest);
    if out.len() > 4 * MAX_MESSAGE {
        out = shorten(&out);
    }
    out
}

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

    pub fn push(&mut self, mut error: LineError) {
        // A message quotes the cell; a cell of a megabyte (a shared string repeated on a
        // thousand lines) must not become a gigabyte of messages.
        if error.message.len() > MAX_MESSAGE {
            error.message = shorten_quotes(&error.message);
        }
        if let Some(column) = &mut error.column {
            if column.len() > MAX_MESSAGE {
                *column = shorten(column);
            }
        }
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
    fn a_long_quoted_cell_is_shortened_in_the_message_and_the_reason_kept() {
        let mut p = Problems::default();
        let cell = "y".repeat(1_000_000);
        p.add(
            2,
            Some(&"k".repeat(500)),
            format!("«{cell}» er ikke et tall"),
        );
        let e = &p.errors()[0];
        assert_eq!(
            e.message,
            format!("«{}… (1000000 tegn)» er ikke et tall", "y".repeat(60))
        );
        assert_eq!(
            e.column.as_deref(),
            Some(&*format!("{}… (500 tegn)", "k".repeat(60)))
        );
    }

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
