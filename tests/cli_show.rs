//! `malkart show INDICATOR --unit --period [--format json|table] [--umaskert]`: the indicator
//! detail the app shows (the same service call), with «hvorfor denne statusen?», on a
//! hand-made tree whose figures are worked out below. Sick-leave masking is that of
//! `status`: a small group is hidden unless `--umaskert`, which is audited.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;
use malkart::storage::{AuditFilter, Store};
use serde_json::Value;
use tempfile::TempDir;

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

/// K ─┬─ A (3 ansatte)   A: 100 × (7 + 10) / 100 = 17,0 %  (masked: 3 < 5)
///    └─ B (30 ansatte)  B: 100 × (1 + 2) / 100  = 3,0 %   (masked too: secondary)
/// K = 100 × (17 + 3) / (100 + 100) = 100 × 20 / 200 = 10,0 %.
/// SF is «lavere er bedre»; the default target for 2026 is 7 with red limit 10, so K's
/// 10,0 is yellow (over 7, up to and including 10) and A's 17,0 red.
fn tree() -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("m.db");
    ok(&db, &["init"]);
    for (kind, name, text) in [
        (
            "enheter",
            "enheter.csv",
            "kode;navn;overordnet\nK;Kommunen;\nA;Liten;K\nB;Stor;K\n",
        ),
        (
            "sykefravær",
            "sf.csv",
            "enhet;periode;avtalte_dagsverk;egenmeldt;legemeldt;ansatte\n\
             A;2026-01;100;7;10;3\nB;2026-01;100;1;2;30\n",
        ),
        (
            "mål",
            "mål.csv",
            "indikator;enhet;år;målverdi;rød_grense\nSF;;2026;7;10\n",
        ),
    ] {
        let file = write(dir.path(), name, text);
        ok(&db, &["import", kind, file.to_str().unwrap_or_default()]);
    }
    (dir, db)
}

fn json(db: &Path, unit: &str, extra: &[&str]) -> Value {
    let mut args = vec![
        "show", "SF", "--unit", unit, "--period", "2026-01", "--format", "json",
    ];
    args.extend_from_slice(extra);
    serde_json::from_str(&ok(db, &args)).unwrap_or_else(|e| panic!("{e}"))
}

fn line<'a>(explanation: &'a Value, label: &str) -> &'a str {
    explanation
        .as_array()
        .into_iter()
        .flatten()
        .find(|l| l["label"] == label)
        .and_then(|l| l["text"].as_str())
        .unwrap_or_else(|| panic!("{label} in {explanation}"))
}

fn unmasked_audit_keys(db: &Path) -> Vec<String> {
    let store = Store::open(db).unwrap_or_else(|e| panic!("{e}"));
    store
        .audit(&AuditFilter::default())
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|a| a.entity == "sykefravær umaskert")
        .map(|a| a.key)
        .collect()
}

#[test]
fn show_json_is_the_apps_detail_with_the_explanation() {
    let (_dir, db) = tree();
    let d = json(&db, "K", &[]);
    assert_eq!(d["unit"]["code"], "K");
    assert_eq!(d["definition"]["code"], "SF");
    let r = &d["result"];
    assert_eq!(r["value"], 10.0);
    assert_eq!(r["display"], "10,0 %");
    assert_eq!(r["status"], "yellow");
    assert_eq!(r["target"], 7.0);
    assert_eq!(r["red_limit"], 10.0);
    let why = &d["explanation"];
    assert_eq!(
        line(why, "Utregning"),
        "100 × Σ teller / Σ nevner = 100 × 20,00 / 200,00 = 10,0000"
    );
    assert_eq!(
        line(why, "Mål"),
        "7,0 % (standardmålet for alle enheter), rød grense 10,0 %."
    );
    assert_eq!(
        line(why, "Regel"),
        "Lavere er bedre: grønn når verdien er høyst 7,0 %, gul over 7,0 % til og med 10,0 %, rød over 10,0 %."
    );
    assert_eq!(line(why, "Status"), "gul.");
    // The units below: both masked (A few employees, B secondary), so no figure of theirs.
    let children = d["children"].as_array().unwrap_or_else(|| panic!("{d}"));
    let masked: Vec<(&str, &str)> = children
        .iter()
        .map(|c| {
            (
                c["unit"]["code"].as_str().unwrap_or_default(),
                c["result"]["masked"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(masked, [("A", "few_employees"), ("B", "secondary")]);
    assert!(children.iter().all(|c| c["result"]["value"].is_null()));
    // Thirteen months of history, ending with the month asked for.
    let history = d["history"].as_array().unwrap_or_else(|| panic!("{d}"));
    assert_eq!(history.len(), 13);
    assert_eq!(history[12]["period"], "2026-01");
    assert_eq!(history[12]["value"], 10.0);
    assert!(unmasked_audit_keys(&db).is_empty());
}

#[test]
fn show_table_writes_the_figures_and_why_in_norwegian() {
    let (_dir, db) = tree();
    let table = ok(&db, &["show", "SF", "--unit", "K", "--period", "2026-01"]);
    assert!(
        table.starts_with("SF Sykefravær totalt — K Kommunen, januar 2026 (2026-01)\n"),
        "{table}"
    );
    for want in [
        "Verdi:",
        "10,0 %",
        "▲ gul",
        "Hvorfor denne statusen?",
        "Utregning: 100 × Σ teller / Σ nevner = 100 × 20,00 / 200,00 = 10,0000",
        "Regel: Lavere er bedre: grønn når verdien er høyst 7,0 %, gul over 7,0 % til og med 10,0 %, rød over 10,0 %.",
        "Enhetene under:",
        "* skjult (få ansatte)",
    ] {
        assert!(table.contains(want), "«{want}» not in\n{table}");
    }
    assert!(!table.contains("17,0"), "{table}");
}

#[test]
fn a_masked_unit_shows_no_figure_until_unmasked_and_the_unmasked_view_is_audited() {
    let (_dir, db) = tree();
    let hidden = json(&db, "A", &[]);
    assert_eq!(hidden["result"]["masked"], "few_employees");
    assert!(hidden["result"]["value"].is_null());
    assert!(hidden["result"]["display"].is_null());
    assert_eq!(hidden["explanation"], Value::Array(Vec::new()));
    assert!(hidden["history"]
        .as_array()
        .into_iter()
        .flatten()
        .all(|p| p["value"].is_null()));
    let table = ok(&db, &["show", "SF", "--unit", "A", "--period", "2026-01"]);
    assert!(!table.contains("17,0"), "{table}");
    assert!(table.contains("skjult av personvernhensyn"), "{table}");
    assert!(unmasked_audit_keys(&db).is_empty());

    // --umaskert: A's own 17,0 %, red (over 10), and one audit entry, as `status` writes it.
    let open = json(&db, "A", &["--umaskert"]);
    assert_eq!(open["result"]["value"], 17.0);
    assert_eq!(open["result"]["status"], "red");
    assert_eq!(
        line(&open["explanation"], "Utregning"),
        "100 × Σ teller / Σ nevner = 100 × 17,00 / 100,00 = 17,0000"
    );
    assert_eq!(unmasked_audit_keys(&db), ["cli: A / 2026-01"]);
    let table = ok(
        &db,
        &[
            "show",
            "SF",
            "--unit",
            "A",
            "--period",
            "2026-01",
            "--umaskert",
        ],
    );
    assert!(
        table.contains("17,0 %") && table.contains("umaskert"),
        "{table}"
    );
}

#[test]
fn an_unknown_indicator_or_unit_is_refused_with_exit_2_and_audits_nothing() {
    let (_dir, db) = tree();
    let (code, _, err) = malkart(
        &db,
        &[
            "show",
            "XX",
            "--unit",
            "K",
            "--period",
            "2026-01",
            "--umaskert",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("ukjent indikator «XX»"), "{err}");
    let (code, _, err) = malkart(
        &db,
        &[
            "show",
            "SF",
            "--unit",
            "Q",
            "--period",
            "2026-01",
            "--umaskert",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("ukjent enhet «Q»"), "{err}");
    let (code, _, err) = malkart(&db, &["show", "SF", "--unit", "K", "--period", "2026-13"]);
    assert_eq!(code, 2, "{err}");
    assert!(unmasked_audit_keys(&db).is_empty());
}
