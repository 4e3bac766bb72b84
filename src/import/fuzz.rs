//! Property tests with hostile input (issue 10): arbitrary bytes and Unicode through the CSV
//! and XLSX readers, the number and period parsers, the header matcher and every import
//! kind. The only property: no panic, and a refusal is a Norwegian message. `cargo test`
//! runs 64 cases each; `scripts/fuzz.sh` runs them for minutes with `PROPTEST_CASES` set
//! (proptest's own variable), and a failing case is saved to `proptest-regressions/` and
//! tried first on every later run.

use std::collections::BTreeSet;

use proptest::prelude::*;

use super::reader::{self, package};
use super::{header, parse, ImportKind};
use crate::changes::Catalog;
use crate::model::{Aggregation, Direction, Frequency, Indicator, Perspective, Unit};
use crate::number::parse_decimal;
use crate::period::{Month, Period};

/// 64 cases unless `PROPTEST_CASES` says otherwise.
fn config() -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 64;
    }
    config
}

fn catalog() -> Catalog {
    let unit = |code: &str, parent: Option<&str>| Unit {
        code: code.into(),
        name: format!("Enhet {code}"),
        parent: parent.map(Into::into),
        level: None,
    };
    Catalog {
        units: vec![unit("1000", None), unit("2100", Some("1000"))],
        indicators: vec![Indicator::new(
            "BR-VENT",
            "Ventetid",
            Perspective::Brukere,
            Direction::Lav,
            Frequency::Maned,
            Aggregation::Snitt,
        )],
        locked: BTreeSet::from([Month::new(2026, 3).unwrap_or_else(|| unreachable!())]),
        actions: Vec::new(),
    }
}

/// A refusal must say something, in Norwegian: none of the English the libraries speak.
fn norwegian(message: &str) -> Result<(), TestCaseError> {
    prop_assert!(!message.is_empty());
    for english in ["error", "Error", "invalid", "Invalid", "expected", "found"] {
        prop_assert!(!message.contains(english), "English in «{}»", message);
    }
    Ok(())
}

/// Every kind, on the same bytes: read, header, cells, checks — never a panic.
fn every_kind(name: &str, bytes: &[u8]) -> Result<(), TestCaseError> {
    let catalog = catalog();
    for kind in ImportKind::ALL {
        if let Err(f) = parse(kind, name, bytes, &catalog) {
            prop_assert!(f.total >= f.errors.len() as u64);
            for e in &f.errors {
                norwegian(&e.message)?;
            }
        }
    }
    Ok(())
}

/// Header names of every kind, in both languages, and some that are none.
fn column_name() -> impl Strategy<Value = String> {
    let names: Vec<String> = ImportKind::ALL
        .iter()
        .flat_map(|k| k.columns())
        .flat_map(|c| std::iter::once(c.name).chain(c.aliases.iter().copied()))
        .map(str::to_string)
        .collect();
    prop_oneof![
        4 => proptest::sample::select(names),
        1 => any::<String>(),
        1 => "[ a-zA-ZæøåÆØÅ_\u{200b}\u{feff}-]{0,12}",
    ]
}

/// Cells that come near what the kinds read: codes, periods, numbers, keywords.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        "(1000|2100|BR-VENT|SF|OK-AVVIK)[\u{200b}\u{feff}\u{202e}]?",
        "20[0-9]{2}(-(0?[0-9]|1[0-3]|K[0-5]|T[0-4]|H[0-3]))?",
        "[0-9²½Å]{0,7}",
        "-?[0-9 .,]{0,25}( ?(%|kr))?",
        "(høy|lav|måned|kvartal|sum|snitt|brøk|siste|lokalsamfunn|brukere)",
        any::<String>(),
    ]
}

/// A CSV text: a header of column names and lines of cells.
fn csv_text() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(column_name(), 1..8),
        prop::collection::vec(prop::collection::vec(cell(), 0..9), 0..12),
        prop::sample::select(vec![";", ",", "\t"]),
    )
        .prop_map(|(header, lines, d)| {
            let mut text = header.join(d);
            for line in lines {
                text.push('\n');
                text.push_str(&line.join(d));
            }
            text
        })
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A cell reference near and past Excel's limits.
fn cell_ref() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-C][1-9]",
        "[A-Z]{1,4}[0-9]{1,12}",
        "(XFD|XFE|ZZZZ)(1048576|1048577|99999999|0)",
        any::<String>().prop_map(|s| escape(&s)),
    ]
}

/// Pieces of a sheet's XML, most of them well-formed, in any order.
fn sheet_piece() -> impl Strategy<Value = String> {
    let kinds = prop::sample::select(vec!["s", "e", "n", "b", "str", "inlineStr", "d", "x"]);
    prop_oneof![
        Just("<row>".to_string()),
        Just("</row>".to_string()),
        "[0-9]{1,12}".prop_map(|r| format!(r#"<row r="{r}">"#)),
        (cell_ref(), kinds).prop_map(|(r, t)| format!(r#"<c r="{r}" t="{t}">"#)),
        cell_ref().prop_map(|r| format!(r#"<c r="{r}">"#)),
        Just("<c>".to_string()),
        Just("</c>".to_string()),
        "[-#0-9A-Za-z./!?]{0,12}".prop_map(|v| format!("<v>{v}</v>")),
        "(#DIV/0!|#N/A|#NAME\\?|#NULL!|#NUM!|#REF!|#VALUE!|#DATA!|#X)"
            .prop_map(|v| format!("<v>{v}</v>")),
        any::<String>().prop_map(|t| format!("<is><t>{}</t></is>", escape(&t))),
        Just("<f>1/0</f>".to_string()),
        any::<String>(),
    ]
}

/// A workbook: a dimension, a sheet from pieces, maybe shared strings with any count.
fn workbook() -> impl Strategy<Value = Vec<u8>> {
    (
        prop_oneof![
            cell_ref(),
            (cell_ref(), cell_ref()).prop_map(|(a, b)| format!("{a}:{b}"))
        ],
        prop::collection::vec(sheet_piece(), 0..40),
        proptest::option::of(("[0-9]{1,22}", prop::collection::vec(any::<String>(), 0..5))),
    )
        .prop_map(|(dimension, pieces, shared)| {
            let shared = shared.map(|(count, strings)| {
                let items: String = strings
                    .iter()
                    .map(|s| format!("<si><t>{}</t></si>", escape(s)))
                    .collect();
                format!(r#"uniqueCount="{count}">{items}"#)
            });
            package(&dimension, &pieces.concat(), shared.as_deref())
        })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn fuzz_reader_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        if let Err(e) = reader::read("fil", &bytes) {
            norwegian(&e.message)?;
        }
        // The same bytes behind each magic number reach the workbook readers.
        for magic in [&b"PK\x03\x04"[..], &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]] {
            let bytes = [magic, &bytes].concat();
            if let Err(e) = reader::read("fil", &bytes) {
                norwegian(&e.message)?;
            }
        }
    }

    #[test]
    fn fuzz_reader_arbitrary_unicode(text in any::<String>()) {
        if let Err(e) = reader::read("fil.csv", text.as_bytes()) {
            norwegian(&e.message)?;
        }
    }

    #[test]
    fn fuzz_import_csv_every_kind(text in csv_text()) {
        every_kind("fil.csv", text.as_bytes())?;
    }

    #[test]
    fn fuzz_import_xlsx_every_kind(bytes in workbook()) {
        every_kind("fil.xlsx", &bytes)?;
    }

    #[test]
    fn fuzz_xlsx_flipped_bytes(
        bytes in workbook(),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
    ) {
        let mut bytes = bytes;
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        if let Err(e) = reader::read("fil.xlsx", &bytes) {
            norwegian(&e.message)?;
        }
    }

    #[test]
    fn fuzz_number(text in prop_oneof![any::<String>(), "[-−0-9 .,\u{a0}\u{202f}%kr²½]{0,40}"]) {
        if let Ok(d) = parse_decimal(&text) {
            let _ = (d.to_f64(), d.to_ore(), d.to_integer());
        }
    }

    #[test]
    fn fuzz_period(text in prop_oneof![any::<String>(), "[0-9²½ÅKQTHS.-]{0,16}"]) {
        match Period::parse(&text) {
            // A period read back from its id is the same period.
            Ok(p) => prop_assert_eq!(Period::parse(&p.to_string()).ok(), Some(p)),
            Err(e) => norwegian(&e.to_string())?,
        }
    }

    #[test]
    fn fuzz_header(names in prop::collection::vec(column_name(), 0..12)) {
        for kind in ImportKind::ALL {
            if let Err(p) = header::Columns::match_header(kind.columns(), &names, 1) {
                for e in p.errors() {
                    norwegian(&e.message)?;
                }
            }
            for other in ImportKind::ALL {
                let _ = header::looks_like(other.columns(), kind.columns(), &names);
            }
        }
    }
}
