//! The golden cases of `tests/vectors/rules.json`, which the UI's vitest suite reads too
//! (`ui/src/lib/vectors.test.ts`): numbers, display formats, periods and the sick-leave
//! percentage, so that the TypeScript copies of these rules cannot drift from the core's.
//! Rust is the reference: a case here that fails is a wrong vector; one that fails only in
//! vitest is a TypeScript bug.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

use malkart::engine::Engine;
use malkart::format::{decimal, round_half_away, with_unit};
use malkart::import::{import_bytes, ImportKind};
use malkart::number::{parse_decimal, Decimal};
use malkart::period::Period;
use malkart::storage::Store;
use serde_json::Value;

const VECTORS: &str = include_str!("vectors/rules.json");

fn vectors(section: &str) -> Vec<Value> {
    let all: Value = serde_json::from_str(VECTORS).unwrap_or_else(|e| panic!("rules.json: {e}"));
    all[section]
        .as_array()
        .unwrap_or_else(|| panic!("rules.json has no list `{section}`"))
        .clone()
}

fn text<'a>(case: &'a Value, key: &str) -> &'a str {
    case[key]
        .as_str()
        .unwrap_or_else(|| panic!("{case}: `{key}` is not a text"))
}

fn float(case: &Value, key: &str) -> f64 {
    text(case, key)
        .parse()
        .unwrap_or_else(|e| panic!("{case}: `{key}`: {e}"))
}

fn int(case: &Value, key: &str) -> i64 {
    case[key]
        .as_i64()
        .unwrap_or_else(|| panic!("{case}: `{key}` is not an integer"))
}

fn exact(case: &Value) -> Decimal {
    Decimal {
        digits: text(case, "digits")
            .parse()
            .unwrap_or_else(|e| panic!("{case}: digits: {e}")),
        scale: u32::try_from(int(case, "scale")).unwrap_or_else(|e| panic!("{case}: {e}")),
    }
}

fn is_error(case: &Value) -> bool {
    case["error"].as_bool() == Some(true)
}

#[test]
fn numbers_are_read_as_the_vectors_say() {
    let cases = vectors("numbers");
    assert!(cases.len() > 30);
    for case in cases {
        let got = parse_decimal(text(&case, "text"));
        if is_error(&case) {
            assert!(got.is_err(), "{case}: read as {got:?}");
        } else {
            assert_eq!(got.ok(), Some(exact(&case)), "{case}");
        }
    }
}

#[test]
fn amounts_reach_whole_ore_as_the_vectors_say() {
    for case in vectors("ore") {
        let d = parse_decimal(text(&case, "text")).unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(d.to_ore(), case["ore"].as_i64(), "{case}");
    }
}

#[test]
fn rounding_is_half_away_from_zero_on_the_decimal_a_float_stands_for() {
    for case in vectors("round") {
        let decimals = u8::try_from(int(&case, "decimals")).unwrap_or_else(|e| panic!("{e}"));
        let got = round_half_away(float(&case, "value"), decimals);
        let want = float(&case, "rounded");
        // Bit for bit, so that −0 is caught (0.0 == −0.0 would not).
        assert_eq!(got.to_bits(), want.to_bits(), "{case}: got {got}");
    }
}

#[test]
fn display_formats_are_as_the_vectors_say() {
    for case in vectors("format") {
        let decimals = u8::try_from(int(&case, "decimals")).unwrap_or_else(|e| panic!("{e}"));
        let got = with_unit(float(&case, "value"), decimals, text(&case, "unit"));
        assert_eq!(got, text(&case, "text"), "{case}");
    }
    for case in vectors("decimals") {
        let decimals = u8::try_from(int(&case, "decimals")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            decimal(exact(&case), decimals),
            text(&case, "text"),
            "{case}"
        );
    }
}

#[test]
fn period_ids_labels_and_steps_are_as_the_vectors_say() {
    for case in vectors("periods") {
        let id = text(&case, "id");
        let parsed = Period::parse(id);
        if is_error(&case) {
            assert!(parsed.is_err(), "{case}: read as {parsed:?}");
            continue;
        }
        let p = parsed.unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(p.to_string(), id, "{case}: not canonical");
        assert_eq!(p.label(), text(&case, "label"), "{case}");
        if let Some(previous) = case["previous"].as_str() {
            assert_eq!(p.previous().to_string(), previous, "{case}");
        }
        if let Some(next) = case["next"].as_str() {
            assert_eq!(p.next().to_string(), next, "{case}");
        }
    }
}

/// Each case is one unit's row for January 2026, imported as a file is (the grid's save
/// reads its cells the same way), and `SF` evaluated for that unit and month: the figure
/// the målkart and the reports show, and that the grid's «Fravær %» column must equal.
#[test]
fn the_sick_leave_percentage_is_as_the_vectors_say() {
    let cases = vectors("absence_pct");
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut store = Store::open(&dir.path().join("malkart.db")).unwrap_or_else(|e| panic!("{e}"));
    let mut units = String::from("kode;navn;overordnet;nivå\n9000;Vektorer;;kommune\n");
    let mut rows = String::from("enhet;periode;avtalte_dagsverk;egenmeldt;legemeldt;ansatte\n");
    for (i, case) in cases.iter().enumerate() {
        let code = 9001 + i;
        units.push_str(&format!("{code};Rad {i};9000;virksomhet\n"));
        rows.push_str(&format!(
            "{code};2026-01;{};{};{};10\n",
            text(case, "contracted"),
            text(case, "self"),
            text(case, "doctor")
        ));
    }
    import_bytes(
        &mut store,
        ImportKind::Units,
        "enheter.csv",
        units.as_bytes(),
        false,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    import_bytes(
        &mut store,
        ImportKind::SickLeave,
        "sykefravær.csv",
        rows.as_bytes(),
        false,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let period = Period::parse("2026-01").unwrap_or_else(|e| panic!("{e}"));
    let data = store.dataset_for(&period).unwrap_or_else(|e| panic!("{e}"));
    let engine = Engine::new(data).unwrap_or_else(|e| panic!("{e}"));
    for (i, case) in cases.iter().enumerate() {
        let r = engine
            .evaluate("SF", &(9001 + i).to_string(), &period)
            .unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(r.display.as_deref(), Some(text(case, "text")), "{case}");
    }
}
