//! The header line: which file column holds which of a kind's columns (files.md "Header").
//! Names match case-insensitively, ignoring surrounding spaces, with or without æ/ø/å and
//! with `_`, `-` or a space between words (`rød_grense`, `Rød grense`, `rod-grense`); the
//! English names are accepted too. Unknown columns become a warning; a missing required
//! column is one error on the header line naming what is missing and what was found.
//! A header that carries another kind's own required columns (an `indikatorer` file
//! imported as `enheter`) is refused, saying which kind the file looks like. A column name
//! with an invisible character in it is refused too (it would silently not match).

use super::problems::Problems;
use super::reader::Record;
use crate::text::{describe, first_invisible, reveal};

/// One column a kind reads.
#[derive(Clone, Copy, Debug)]
pub struct ColumnSpec {
    /// The canonical (Norwegian) name.
    pub name: &'static str,
    /// Other accepted names (English).
    pub aliases: &'static [&'static str],
    pub required: bool,
    /// Free text (a name, a description): only NFC-normalised. Every other column holds a
    /// code, a period, a number or a keyword, and an invisible character in it is refused.
    pub text: bool,
}

pub const fn required(name: &'static str, aliases: &'static [&'static str]) -> ColumnSpec {
    ColumnSpec {
        name,
        aliases,
        required: true,
        text: false,
    }
}

pub const fn optional(name: &'static str, aliases: &'static [&'static str]) -> ColumnSpec {
    ColumnSpec {
        name,
        aliases,
        required: false,
        text: false,
    }
}

impl ColumnSpec {
    /// Marks the column as free text.
    pub const fn free_text(self) -> ColumnSpec {
        ColumnSpec { text: true, ..self }
    }

    fn matches(&self, folded: &str) -> bool {
        fold(self.name) == folded || self.aliases.iter().any(|a| fold(a) == folded)
    }
}

/// How many of `header`'s names are columns of `specs`, and whether every required one is
/// there.
pub fn coverage(specs: &'static [ColumnSpec], header: &[String]) -> (usize, bool) {
    let folded: Vec<String> = header.iter().map(|h| fold(h)).collect();
    let recognised = folded
        .iter()
        .filter(|f| specs.iter().any(|s| s.matches(f)))
        .count();
    let complete = specs
        .iter()
        .filter(|s| s.required)
        .all(|s| folded.iter().any(|f| s.matches(f)));
    (recognised, complete)
}

/// The required columns of `other` that `header` has and `specs` does not know at all —
/// when `header` has every required column of `other` and at least one of them is foreign
/// to `specs`: the file is a file of the other kind. `None` otherwise.
pub fn looks_like(
    other: &'static [ColumnSpec],
    specs: &'static [ColumnSpec],
    header: &[String],
) -> Option<Vec<&'static str>> {
    let folded: Vec<String> = header.iter().map(|h| fold(h)).collect();
    let has = |spec: &ColumnSpec| folded.iter().any(|f| spec.matches(f));
    let required: Vec<&ColumnSpec> = other.iter().filter(|s| s.required).collect();
    if required.is_empty() || !required.iter().all(|s| has(s)) {
        return None;
    }
    // A column is foreign when no spelling of it names a column of `specs`.
    let known = |spec: &ColumnSpec| {
        std::iter::once(spec.name)
            .chain(spec.aliases.iter().copied())
            .any(|n| specs.iter().any(|s| s.matches(&fold(n))))
    };
    let foreign: Vec<&'static str> = required
        .iter()
        .filter(|s| !known(s))
        .map(|s| s.name)
        .collect();
    (!foreign.is_empty()).then_some(foreign)
}

/// The header matched against a kind's columns.
#[derive(Clone, Debug)]
pub struct Columns {
    specs: &'static [ColumnSpec],
    /// For each spec, the file column and the name the file gave it.
    found: Vec<Option<(usize, String)>>,
    /// Header names that match no column, in file order.
    pub unknown: Vec<String>,
}

/// Folds a column name for comparison: lower case, æ/ø/å to ASCII, word separators to `_`.
fn fold(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().to_lowercase().chars() {
        match c {
            'æ' => out.push_str("ae"),
            'ø' => out.push('o'),
            'å' => out.push('a'),
            ' ' | '-' | '\u{a0}' => out.push('_'),
            c => out.push(c),
        }
    }
    out
}

impl Columns {
    /// Matches `header` (the file's first line, `line`) against `specs`. Errors: a required
    /// column missing, or one column given twice.
    pub fn match_header(
        specs: &'static [ColumnSpec],
        header: &[String],
        line: u64,
    ) -> Result<Columns, Problems> {
        let mut found: Vec<Option<(usize, String)>> = vec![None; specs.len()];
        let mut unknown = Vec::new();
        let mut problems = Problems::default();
        for (i, name) in header.iter().enumerate() {
            if name.trim().is_empty() {
                continue;
            }
            if let Some((_, c)) = first_invisible(name.trim()) {
                problems.add(
                    line,
                    None,
                    format!(
                        "kolonnenavnet «{}» har et usynlig tegn, {}; slett tegnet (skriv navnet \
                         på nytt) og prøv igjen",
                        reveal(name.trim()),
                        describe(c)
                    ),
                );
                continue;
            }
            let folded = fold(name);
            let spec = specs.iter().position(|s| s.matches(&folded));
            match spec {
                Some(s) if found[s].is_some() => problems.add(
                    line,
                    Some(name),
                    format!(
                        "kolonnen «{}» står mer enn én gang i overskriften",
                        specs[s].name
                    ),
                ),
                Some(s) => found[s] = Some((i, name.trim().to_string())),
                None => unknown.push(name.trim().to_string()),
            }
        }
        let missing: Vec<String> = specs
            .iter()
            .zip(&found)
            .filter(|(s, f)| s.required && f.is_none())
            .map(|(s, _)| format!("«{}»", s.name))
            .collect();
        if !missing.is_empty() {
            let columns = header
                .iter()
                .filter(|h| !h.trim().is_empty())
                .map(|h| format!("«{}»", h.trim()));
            let columns: Vec<String> = columns.collect();
            let what = if missing.len() == 1 {
                "kolonnen"
            } else {
                "kolonnene"
            };
            problems.add(
                line,
                None,
                format!(
                    "mangler {what} {}; fant {}",
                    missing.join(", "),
                    if columns.is_empty() {
                        "ingen kolonner".to_string()
                    } else {
                        columns.join(", ")
                    }
                ),
            );
        }
        if problems.is_empty() {
            Ok(Columns {
                specs,
                found,
                unknown,
            })
        } else {
            Err(problems)
        }
    }

    fn spec_index(&self, name: &str) -> Option<usize> {
        let i = self.specs.iter().position(|s| s.name == name);
        debug_assert!(i.is_some(), "column «{name}» is not one of this kind's");
        i
    }

    /// Is the column in the file at all? (An absent optional column keeps stored values.)
    pub fn has(&self, name: &str) -> bool {
        self.spec_index(name)
            .is_some_and(|i| self.found[i].is_some())
    }

    /// The column's name as the file writes it, for messages; else the canonical name.
    pub fn label(&self, name: &str) -> String {
        self.spec_index(name)
            .and_then(|i| self.found[i].as_ref().map(|(_, n)| n.clone()))
            .unwrap_or_else(|| name.to_string())
    }

    /// The cell of column `name` in `record`; empty when the column is absent.
    pub fn cell<'r>(&self, record: &Record<'r>, name: &str) -> &'r str {
        self.spec_index(name)
            .and_then(|i| self.found[i].as_ref())
            .and_then(|(col, _)| record.cell(*col))
            .unwrap_or("")
    }

    /// The file columns that hold codes, periods, numbers or keywords (not free text), with
    /// their names as the file writes them.
    pub fn checked(&self) -> impl Iterator<Item = (usize, &str)> + '_ {
        self.specs
            .iter()
            .zip(&self.found)
            .filter(|(spec, _)| !spec.text)
            .filter_map(|(_, f)| f.as_ref().map(|(col, name)| (*col, name.as_str())))
    }

    /// `ukjente kolonner ble ikke lest: «a», «b»` (one: `en ukjent kolonne ble ikke lest:
    /// «a»`), when there are any.
    pub fn unknown_warning(&self) -> Option<String> {
        let names: Vec<String> = self.unknown.iter().map(|n| format!("«{n}»")).collect();
        match names.as_slice() {
            [] => None,
            [one] => Some(format!("en ukjent kolonne ble ikke lest: {one}")),
            many => Some(format!(
                "ukjente kolonner ble ikke lest: {}",
                many.join(", ")
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::reader::Records;
    use super::*;

    static SPECS: &[ColumnSpec] = &[
        required("indikator", &["indicator"]),
        optional("rød_grense", &["red_limit"]),
        required("år", &["year"]),
        optional("nivå", &["level"]),
    ];

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    fn records(cells: &[&str]) -> Records {
        let mut records = Records::new(cells.len());
        records
            .push(2, cells.iter().copied())
            .unwrap_or_else(|e| panic!("{e}"));
        records
    }

    #[test]
    fn names_match_ignoring_case_spaces_letters_and_language() {
        let cols = Columns::match_header(
            SPECS,
            &header(&[" Indicator ", "Rød grense", "AR", "niva"]),
            1,
        )
        .unwrap_or_else(|p| panic!("{:?}", p));
        let rs = records(&["OR-AVV", "75", "2026", "sektor"]);
        let r = rs.get(0).unwrap_or_else(|| panic!("one record"));
        assert_eq!(cols.cell(&r, "indikator"), "OR-AVV");
        assert_eq!(cols.cell(&r, "rød_grense"), "75");
        assert_eq!(cols.cell(&r, "år"), "2026");
        assert_eq!(cols.cell(&r, "nivå"), "sektor");
        assert_eq!(cols.label("indikator"), "Indicator");
        assert!(cols.unknown.is_empty());
    }

    #[test]
    fn unknown_columns_are_a_warning_and_absent_optional_columns_read_empty() {
        let cols = Columns::match_header(SPECS, &header(&["år", "merknad", "indikator", ""]), 1)
            .unwrap_or_else(|p| panic!("{:?}", p));
        assert_eq!(
            cols.unknown_warning().as_deref(),
            Some("en ukjent kolonne ble ikke lest: «merknad»")
        );
        assert!(!cols.has("nivå"));
        let rs = records(&["2026", "x", "SF"]);
        let r = rs.get(0).unwrap_or_else(|| panic!("one record"));
        assert_eq!(cols.cell(&r, "nivå"), "");
        assert_eq!(cols.cell(&r, "indikator"), "SF");
    }

    #[test]
    fn a_missing_required_column_is_one_error_naming_it_and_the_columns_found() {
        let problems = Columns::match_header(SPECS, &header(&["indikator", "aar"]), 1).unwrap_err();
        let errors = problems.errors();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 1);
        assert_eq!(
            errors[0].message,
            "mangler kolonnen «år»; fant «indikator», «aar»"
        );
    }

    #[test]
    fn a_column_given_twice_is_refused() {
        let problems =
            Columns::match_header(SPECS, &header(&["indikator", "år", "Year"]), 1).unwrap_err();
        assert_eq!(
            problems.errors()[0].message,
            "kolonnen «år» står mer enn én gang i overskriften"
        );
    }
}
