//! Sick-leave privacy on every surface (issue 19), on real SQLite files: on the demo, for
//! each unit the summary masks, no `SF*` number appears in its målkart, its detail, its
//! chart points, its parent's children table, the CLI's output or the export — and a shown
//! unit's figures are unchanged; on a hand-made tree, the CLI's table and JSON show `*` and
//! `null` with the reason, and `--umaskert` shows the figure and is audited.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;
use malkart::demo::{self, DemoSize};
use malkart::engine::sickleave::{is_sick_leave, Privacy, CODES};
use malkart::engine::{Engine, IndicatorResult};
use malkart::export::{self, Format};
use malkart::period::{Month, Period};
use malkart::storage::{AuditFilter, Store};
use serde_json::Value;
use tempfile::TempDir;

fn p(text: &str) -> Period {
    Period::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

fn demo_store() -> (TempDir, Store) {
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let mut store = Store::open(&dir.path().join("demo.db")).unwrap_or_else(|e| panic!("{e}"));
    let through = Month::new(2026, 9).unwrap_or_else(|| panic!("month"));
    store
        .load_demo(&demo::generate(DemoSize::Small, through))
        .unwrap_or_else(|e| panic!("{e}"));
    (dir, store)
}

/// The numbers a raw result would show, as text that must not appear once masked.
fn raw_texts(r: &IndicatorResult) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(d) = &r.display {
        out.push(d.clone());
    }
    if let Some(v) = r.value {
        out.push(format!("{v}"));
    }
    out
}

fn assert_no_figure(r: &IndicatorResult, raw: &IndicatorResult, surface: &str) {
    assert!(r.masked.is_some(), "{surface}: {} not masked", r.code);
    assert_eq!(
        (
            r.value,
            r.display_value,
            r.numerator,
            r.previous.value,
            r.last_year.value
        ),
        (None, None, None, None, None),
        "{surface}: {}",
        r.code
    );
    let json = serde_json::to_string(r).unwrap_or_else(|e| panic!("{e}"));
    for t in raw_texts(raw) {
        assert!(
            !json.contains(&t),
            "{surface}: {} shows {t}: {json}",
            r.code
        );
    }
}

#[test]
fn on_the_demo_no_masked_units_sick_leave_appears_on_any_surface() {
    let (_dir, store) = demo_store();
    let min = store.min_employees().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(min, 5);
    let mut masked_seen = 0;
    for period in ["2026-K3", "2026-09", "2026-08"] {
        let period = p(period);
        let e = Engine::new(store.dataset_for(&period).unwrap_or_else(|e| panic!("{e}")))
            .unwrap_or_else(|e| panic!("{e}"));
        let privacy = Privacy::masked(min);
        let root = "1000";
        let summary = e
            .sick_leave_summary(root, &period, min)
            .unwrap_or_else(|e| panic!("{e}"));
        let csv = String::from_utf8(
            export::sick_leave(&e, root, &period, min, Format::Csv, exported_at())
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let tree = e.unit_tree();
        for row in &summary.rows {
            let unit = row.code.as_str();
            let card = e
                .scorecard_with(unit, &period, privacy)
                .unwrap_or_else(|e| panic!("{e}"));
            let raw_card = e.scorecard(unit, &period).unwrap_or_else(|e| panic!("{e}"));
            let results: Vec<&IndicatorResult> = card
                .perspectives
                .iter()
                .flat_map(|x| &x.indicators)
                .collect();
            let raws: Vec<&IndicatorResult> = raw_card
                .perspectives
                .iter()
                .flat_map(|x| &x.indicators)
                .collect();
            assert_eq!(results.len(), raws.len());
            let parent = tree
                .iter()
                .find(|n| n.code == unit)
                .and_then(|n| n.parent.clone());
            if !row.masked {
                // Shown: every value as the raw målkart shows it. (A survey score below its
                // minimum is masked in both: surveys have no unmasked view.)
                for (r, raw) in results.iter().zip(&raws) {
                    if is_sick_leave(&r.code) {
                        assert_eq!(r.masked, None, "{unit} {}", r.code);
                    }
                    assert_eq!(
                        (r.value, &r.display, r.status, r.masked),
                        (raw.value, &raw.display, raw.status, raw.masked)
                    );
                }
                continue;
            }
            masked_seen += 1;
            for (r, raw) in results.iter().zip(&raws) {
                if is_sick_leave(&r.code) {
                    assert_no_figure(r, raw, "målkart");
                    assert_eq!(r.masked, row.mask_reason);
                } else {
                    assert_eq!(*r, *raw, "{unit}: {} must not change", r.code);
                }
            }
            for code in CODES {
                let raw = e
                    .evaluate(code, unit, &period)
                    .unwrap_or_else(|e| panic!("{e}"));
                let detail = e
                    .evaluate_with(code, unit, &period, privacy)
                    .unwrap_or_else(|e| panic!("{e}"));
                assert_no_figure(&detail, &raw, "detalj");
                let series = e
                    .series_with(code, unit, &period, 13, privacy)
                    .unwrap_or_else(|e| panic!("{e}"));
                let last = series.last().unwrap_or_else(|| panic!("series"));
                assert_eq!(
                    (last.value, last.masked),
                    (None, row.mask_reason),
                    "graf {unit}"
                );
                if let Some(parent) = &parent {
                    let kids = e
                        .children_with(code, parent, &period, privacy)
                        .unwrap_or_else(|e| panic!("{e}"));
                    let (_, child) = kids
                        .iter()
                        .find(|(u, _)| u.code == unit)
                        .unwrap_or_else(|| panic!("{unit} under {parent}"));
                    assert_no_figure(child, &raw, "underenheter");
                }
            }
            // The export: the row's absence figures are `*`.
            let line = csv
                .lines()
                .find(|l| l.starts_with(&format!("{unit};")))
                .unwrap_or_else(|| panic!("{unit} in the CSV"));
            let cells: Vec<&str> = line.split(';').collect();
            assert_eq!(cells[6], "*", "{line}");
        }
    }
    assert!(masked_seen > 0, "the demo has masked units");
}

// ---- the command line on a hand-made tree

fn malkart(db: &Path, args: &[&str]) -> (i32, String, String) {
    let out = cargo_bin_cmd!("malkart")
        .env_remove("MALKART_DB")
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ok(db: &Path, args: &[&str]) -> String {
    let (code, out, err) = malkart(db, args);
    assert_eq!(code, 0, "{args:?}: {err}");
    out
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    path
}

#[test]
fn the_cli_masks_a_small_unit_and_shows_it_only_when_asked_audited() {
    // K ─┬─ A (3)    A: 17 / 100 = 17,0 %; primary
    //    └─ B (30)   K's hidden part is A (3 < 5): B is masked too (secondary)
    // K = (17 + 3) / 200 = 10,0 %.
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("m.db");
    ok(&db, &["init"]);
    let units = write(
        dir.path(),
        "enheter.csv",
        "kode;navn;overordnet\nK;Kommunen;\nA;Liten;K\nB;Stor;K\n",
    );
    ok(
        &db,
        &["import", "enheter", units.to_str().unwrap_or_default()],
    );
    let sick = write(
        dir.path(),
        "sf.csv",
        "enhet;periode;avtalte_dagsverk;egenmeldt;legemeldt;ansatte\nA;2026-01;100;7;10;3\nB;2026-01;100;1;2;30\n",
    );
    ok(
        &db,
        &["import", "sykefravær", sick.to_str().unwrap_or_default()],
    );

    let json: Value = serde_json::from_str(&ok(
        &db,
        &[
            "status", "--unit", "A", "--period", "2026-01", "--format", "json",
        ],
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    let sf: Vec<&Value> = json["perspectives"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|p| p["indicators"].as_array().into_iter().flatten())
        .filter(|i| i["code"].as_str().is_some_and(|c| c.starts_with("SF")))
        .collect();
    assert_eq!(sf.len(), 6);
    for i in &sf {
        assert_eq!(i["value"], Value::Null, "{i}");
        assert_eq!(i["display"], Value::Null, "{i}");
        assert_eq!(i["masked"], "few_employees", "{i}");
    }
    let sf_a = sf
        .iter()
        .find(|i| i["code"] == "SF")
        .unwrap_or_else(|| panic!("SF"));
    assert!(!sf_a.to_string().contains("17"), "{sf_a}");

    let b: Value = serde_json::from_str(&ok(
        &db,
        &[
            "status", "--unit", "B", "--period", "2026-01", "--format", "json",
        ],
    ))
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(b.to_string().contains("\"masked\":\"secondary\""));

    let table = ok(&db, &["status", "--unit", "A", "--period", "2026-01"]);
    let line = table
        .lines()
        .find(|l| l.trim_start().starts_with("SF "))
        .unwrap_or_else(|| panic!("SF in {table}"));
    assert!(
        line.contains(" * ") && line.contains("* skjult (få ansatte)"),
        "{line}"
    );
    assert!(!table.contains("17,0"), "{table}");
    assert!(table.contains("færre enn 5 ansatte"), "{table}");

    // The parent stays shown: 10,0 %.
    let k = ok(&db, &["status", "--unit", "K", "--period", "2026-01"]);
    let k_line = k
        .lines()
        .find(|l| l.trim_start().starts_with("SF "))
        .unwrap_or_else(|| panic!("SF in {k}"));
    assert!(k_line.contains("10,0 %"), "{k_line}");

    // `--umaskert` shows the figure, says so, and is written in the audit log.
    let open = ok(
        &db,
        &["status", "--unit", "A", "--period", "2026-01", "--umaskert"],
    );
    assert!(open.contains("17,0 %"), "{open}");
    assert!(open.contains("umaskert"), "{open}");
    assert_eq!(unmasked_audit_keys(&db), ["cli: A / 2026-01"]);

    // The export of the municipality: A and B are `*`.
    let csv = ok(
        &db,
        &[
            "export",
            "sick-leave",
            "--unit",
            "K",
            "--period",
            "2026-01",
            "--format",
            "csv",
        ],
    );
    for unit in ["A", "B"] {
        assert_eq!(absence_pct_in_csv(&csv, unit), "*");
    }

    // An export with a minimum below the setting (5) shows A's 17,0 and is audited too.
    let open_csv = ok(
        &db,
        &[
            "export",
            "sick-leave",
            "--unit",
            "K",
            "--period",
            "2026-01",
            "--format",
            "csv",
            "--min-employees",
            "0",
        ],
    );
    assert_eq!(absence_pct_in_csv(&open_csv, "A"), "17,0");
    let keys = unmasked_audit_keys(&db);
    assert!(
        keys.contains(&"cli export --min-employees 0: K / 2026-01".to_string()),
        "{keys:?}"
    );
}

/// The «Fravær %» cell (column 7) of `unit`'s row in an exported sick-leave CSV.
fn absence_pct_in_csv<'a>(csv: &'a str, unit: &str) -> &'a str {
    let row = csv
        .lines()
        .find(|l| l.starts_with(&format!("{unit};")))
        .unwrap_or_else(|| panic!("{unit} in {csv}"));
    row.split(';')
        .nth(6)
        .unwrap_or_else(|| panic!("column 7 in {row}"))
}

/// The keys of the audit log's unmasked views, in the order the log lists them.
fn unmasked_audit_keys(db: &std::path::Path) -> Vec<String> {
    let store = Store::open(db).unwrap_or_else(|e| panic!("{e}"));
    store
        .audit(&AuditFilter::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|a| a.entity == "sykefravær umaskert")
        .map(|a| a.key)
        .collect()
}

/// A fixed time of export: the CSV does not print it, and no test reads the clock.
fn exported_at() -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 23)
        .and_then(|d| d.and_hms_opt(14, 5, 0))
        .unwrap_or_else(|| panic!("a valid date"))
}
