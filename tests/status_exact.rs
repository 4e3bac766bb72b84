//! The minimal files of issue 18 through the command line, on a real database file:
//! K with children A and B; `COV` (coverage over the whole year), `RND` (rounding on the
//! exact decimal), `TOL` (status without tolerance), and the count of indicators a
//! non-root unit's målkart leaves out.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

use std::fs;
use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;
use tempfile::TempDir;

fn malkart(db: &Path, args: &[&str]) -> String {
    let out = cargo_bin_cmd!("malkart")
        .env_remove("MALKART_DB")
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("malkart ran: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{args:?}\nstdout: {stdout}\nstderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

const FILES: [(&str, &str, &str); 4] = [
    (
        "enheter",
        "enheter.csv",
        "kode;navn;overordnet;nivå\nK;Kommune;;kommune\nA;Skole A;K;virksomhet\nB;Skole B;K;virksomhet\n",
    ),
    (
        "indikatorer",
        "indikatorer.csv",
        "kode;navn;perspektiv;måleenhet;retning;frekvens;aggregering;desimaler\n\
         COV;Besøk;brukere;antall;høy;måned;sum;0\n\
         RND;Utbetalt;økonomi;kr;høy;måned;sum;2\n\
         TOL;Avvik;organisasjon;antall;lav;måned;siste;1\n",
    ),
    (
        "mål",
        "mål.csv",
        "indikator;enhet;år;målverdi;rød_grense\nRND;;2026;158 468,49;\nTOL;;2026;-0,00000000001;\n",
    ),
    (
        "målinger",
        "målinger.csv",
        "indikator;enhet;periode;verdi\nCOV;A;2026-01;5\nCOV;B;2026-03;7\n\
         RND;A;2026-01;158 468,485\nTOL;A;2026-01;0\n",
    ),
];

fn issue_database(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("issue18.db");
    malkart(&db, &["init"]);
    for (kind, name, text) in FILES {
        let path = dir.join(name);
        fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        malkart(&db, &["import", kind, &path.to_string_lossy()]);
    }
    db
}

fn status(db: &Path, unit: &str, period: &str) -> Value {
    let json = malkart(
        db,
        &[
            "status", "--unit", unit, "--period", period, "--format", "json",
        ],
    );
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

fn indicator<'a>(card: &'a Value, code: &str) -> Option<&'a Value> {
    card["perspectives"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|p| p["indicators"].as_array().into_iter().flatten())
        .find(|i| i["code"] == code)
}

#[test]
fn the_issues_files_give_coverage_rounding_and_status_by_the_spec() {
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let db = issue_database(dir.path());
    let k = status(&db, "K", "2026-01");
    let get = |code| indicator(&k, code).unwrap_or_else(|| panic!("{code} listed"));

    // COV: A (January) and B (March) both report in 2026, so both are expected in January:
    // 1 of 2 cells, coverage 0,5, not complete, B missing.
    let cov = get("COV");
    assert_eq!(cov["value"], 5.0);
    assert_eq!(cov["coverage"], 0.5);
    assert_eq!(cov["complete"], false);
    assert_eq!(
        (&cov["expected_units"], &cov["missing_units"]),
        (&2.into(), &1.into())
    );

    // RND: 158 468,485 with 2 decimals, half away from zero: 158 468,49 — meets the target
    // 158 468,49: green.
    let rnd = get("RND");
    assert_eq!(rnd["display"], "158 468,49 kr");
    assert_eq!(rnd["status"], "green");

    // TOL: lav, 0 against −0,00000000001 with no red limit: 0 > target, red.
    let tol = get("TOL");
    assert_eq!(tol["display"], "0,0 antall");
    assert_eq!(tol["status"], "red");
    // Left out at the root: only the ten built-in 10-FAKTOR factors, which no unit has a
    // result or a target for (docs/decisions.md, surveys).
    assert_eq!(k["left_out_without_data"], 10);

    // B's målkart in January: COV (B reports it in March, and is expected in January);
    // RND and TOL have no figure on B and no target for B: left out.
    let b = status(&db, "B", "2026-01");
    assert!(indicator(&b, "COV").is_some());
    assert!(indicator(&b, "RND").is_none() && indicator(&b, "TOL").is_none());
    // … and the ten 10-FAKTOR factors: 2 + 10.
    assert_eq!(b["left_out_without_data"], 12);
}
