//! `malkart export sick-leave|economy` end to end on a demo database: the CSV header exactly
//! as the spec names the columns, the JSON keys of cli.md, XLSX and PDF written to `--out`
//! (atomically: no temporary file left behind), and every refusal with exit code 2 and a
//! Norwegian message — a refused export does not even create the database.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;
use chrono::Datelike;
use serde_json::Value;
use tempfile::TempDir;

struct Run {
    code: i32,
    stdout: Vec<u8>,
    stderr: String,
}

impl Run {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }
}

/// `malkart --db DB ARGS…`, with `MALKART_DB` removed so that only `--db` counts.
fn malkart(db: &Path, args: &[&str]) -> Run {
    run(db, args, None)
}

/// The same, with today (`MALKART_TODAY`) passed in when given.
fn run(db: &Path, args: &[&str], today: Option<&str>) -> Run {
    let mut cmd = cargo_bin_cmd!("malkart");
    cmd.env_remove("MALKART_DB");
    if let Some(today) = today {
        cmd.env("MALKART_TODAY", today);
    }
    let out = cmd
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("malkart ran: {e}"));
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: out.stdout,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn ok(r: Run) -> Run {
    assert_eq!(r.code, 0, "stdout: {}\nstderr: {}", r.text(), r.stderr);
    r
}

fn refused(r: &Run, needle: &str) {
    assert_eq!(
        r.code,
        2,
        "expected refusal; stdout: {}\nstderr: {}",
        r.text(),
        r.stderr
    );
    assert!(r.stderr.starts_with("feil: "), "stderr: {}", r.stderr);
    assert!(
        r.stderr.contains(needle),
        "«{needle}» not in stderr: {}",
        r.stderr
    );
}

/// The demo runs from January two years back through the last full month, so the third
/// quarter of last year is always whole.
fn last_year_k3() -> String {
    let today = chrono::Local::now().date_naive();
    let last_full_year = if today.month() == 1 {
        today.year() - 1
    } else {
        today.year()
    };
    format!("{}-K3", last_full_year - 1)
}

struct Demo {
    dir: TempDir,
    db: PathBuf,
}

fn demo() -> Demo {
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("demo.db");
    ok(malkart(&db, &["init", "--demo"]));
    Demo { dir, db }
}

/// A fresh directory with no database in it, for refusals.
fn nowhere() -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("ingen.db");
    (dir, db)
}

const SICK_LEAVE_HEADER: &str = "Enhetskode;Enhet;Nivå;Ansatte;Avtalte dagsverk;Fraværsdagsverk;\
    Fravær %;Egenmeldt %;Legemeldt %;Korttid 1-16 dager %;Langtid over 16 dager %;\
    Fravær % samme periode i fjor;Endring prosentpoeng;Mål %;Status";

const ECONOMY_HEADER: &str = "Ansvar;Enhet;Nivå;Årsbudsjett;Budsjett hittil;Regnskap hittil;\
    Avvik kr;Avvik %;Forbruk %;Prognose;Prognoseavvik;Status";

// --- Refusals: these need no report, only the argument handling. -----------------------

#[test]
fn xlsx_and_pdf_without_out_are_refused_before_the_database_is_touched() {
    let (_dir, db) = nowhere();
    for report in ["sick-leave", "economy"] {
        for format in ["xlsx", "pdf"] {
            let r = malkart(
                &db,
                &[
                    "export", report, "--unit", "1000", "--period", "2025-K3", "--format", format,
                ],
            );
            refused(&r, "--out");
            assert!(r.stdout.is_empty(), "nothing binary on the terminal");
        }
    }
    assert!(
        !db.exists(),
        "a refused export does not create the database"
    );
}

#[test]
fn a_bad_period_is_refused_with_the_accepted_forms() {
    let (_dir, db) = nowhere();
    let r = malkart(
        &db,
        &[
            "export",
            "sick-leave",
            "--unit",
            "1000",
            "--period",
            "2025-K5",
            "--format",
            "csv",
        ],
    );
    refused(&r, "2025-K5");
    refused(&r, "kvartal (2026-K1)");
    assert!(!db.exists());
}

#[test]
fn an_unknown_format_or_report_is_refused_in_norwegian() {
    let (_dir, db) = nowhere();
    let r = malkart(
        &db,
        &[
            "export", "economy", "--unit", "1000", "--period", "2025", "--format", "docx",
        ],
    );
    refused(&r, "«docx» er ikke en gyldig verdi for --format");
    let r = malkart(
        &db,
        &[
            "export", "budsjett", "--unit", "1000", "--period", "2025", "--format", "csv",
        ],
    );
    refused(&r, "ukjent rapport «budsjett»");
    let r = malkart(
        &db,
        &[
            "export",
            "sick-leave",
            "--period",
            "2025",
            "--format",
            "csv",
        ],
    );
    refused(&r, "mangler --unit");
}

// --- The reports: these need the sick-leave and economy cores. ---------------------------

#[test]
fn sick_leave_csv_on_stdout_has_bom_and_the_specs_header() {
    let d = demo();
    let r = ok(malkart(
        &d.db,
        &[
            "export",
            "sick-leave",
            "--unit",
            "1000",
            "--period",
            &last_year_k3(),
            "--format",
            "csv",
        ],
    ));
    assert!(r.stdout.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM first");
    let text = String::from_utf8(r.stdout[3..].to_vec()).unwrap();
    let mut lines = text.split("\r\n");
    assert_eq!(lines.next(), Some(SICK_LEAVE_HEADER));
    // The first row is the municipality itself at depth 0, with a decimal-comma percentage.
    let first: Vec<&str> = lines.next().unwrap_or_default().split(';').collect();
    assert_eq!(first.len(), 15, "{first:?}");
    assert_eq!(first[0], "1000");
    assert_eq!(first[2], "0");
    assert!(
        first[6].contains(',') && !first[6].contains('.'),
        "Fravær % = {}",
        first[6]
    );
    assert!(text.ends_with("\r\n"));
}

#[test]
fn economy_csv_has_the_specs_header_and_whole_kroner() {
    let d = demo();
    let r = ok(malkart(
        &d.db,
        &[
            "export",
            "economy",
            "--unit",
            "1000",
            "--period",
            &last_year_k3(),
            "--format",
            "csv",
        ],
    ));
    let text = String::from_utf8(r.stdout).unwrap();
    let text = text.strip_prefix('\u{FEFF}').expect("BOM");
    let mut lines = text.split("\r\n");
    assert_eq!(lines.next(), Some(ECONOMY_HEADER));
    let first: Vec<&str> = lines.next().unwrap_or_default().split(';').collect();
    assert_eq!(first[0], "1000");
    // Årsbudsjett: whole kroner, no grouping, no decimals.
    assert!(
        !first[3].is_empty()
            && first[3]
                .trim_start_matches('-')
                .chars()
                .all(|c| c.is_ascii_digit()),
        "Årsbudsjett = {}",
        first[3]
    );
}

#[test]
fn csv_to_a_file_is_the_same_bytes_as_on_stdout() {
    let d = demo();
    let period = last_year_k3();
    let stdout = ok(malkart(
        &d.db,
        &[
            "export",
            "sick-leave",
            "--unit",
            "1000",
            "--period",
            &period,
            "--format",
            "csv",
        ],
    ))
    .stdout;
    let out = d.dir.path().join("sykefravær.csv");
    let r = ok(malkart(
        &d.db,
        &[
            "export",
            "sick-leave",
            "--unit",
            "1000",
            "--period",
            &period,
            "--format",
            "csv",
            "--out",
            out.to_str().unwrap(),
        ],
    ));
    assert!(r.text().contains("er skrevet til"), "{}", r.text());
    assert_eq!(std::fs::read(&out).unwrap(), stdout);
}

#[test]
fn sick_leave_json_has_the_keys_of_cli_md() {
    let d = demo();
    let period = last_year_k3();
    let r = ok(malkart(
        &d.db,
        &[
            "export",
            "sick-leave",
            "--unit",
            "1000",
            "--period",
            &period,
            "--format",
            "json",
        ],
    ));
    let json: Value = serde_json::from_slice(&r.stdout).unwrap();
    for key in ["unit", "period", "min_employees", "rows"] {
        assert!(json.get(key).is_some(), "{key} in {json}");
    }
    // The default minimum is the setting, 5 in a new database.
    assert_eq!(json["min_employees"], 5);
    let rows = json["rows"].as_array().expect("rows");
    assert!(rows.len() > 1, "the municipality and its units");
    for key in [
        "code",
        "name",
        "depth",
        "employees",
        "contracted_days",
        "absence_days",
        "absence_pct",
        "self_certified_pct",
        "doctor_certified_pct",
        "short_pct",
        "long_pct",
        "last_year_pct",
        "change_pp",
        "target",
        "status",
        "masked",
    ] {
        assert!(rows[0].get(key).is_some(), "{key} in {}", rows[0]);
    }
    assert_eq!(rows[0]["code"], "1000");
    assert_eq!(rows[0]["depth"], 0);
}

#[test]
fn min_employees_zero_turns_masking_off() {
    let d = demo();
    let r = ok(malkart(
        &d.db,
        &[
            "export",
            "sick-leave",
            "--unit",
            "1000",
            "--period",
            &last_year_k3(),
            "--format",
            "json",
            "--min-employees",
            "0",
        ],
    ));
    let json: Value = serde_json::from_slice(&r.stdout).unwrap();
    assert_eq!(json["min_employees"], 0);
    let rows = json["rows"].as_array().expect("rows");
    assert!(!rows.is_empty());
    for row in rows {
        assert_eq!(
            row["masked"], false,
            "nothing masked with --min-employees 0: {row}"
        );
    }
}

#[test]
fn economy_json_has_the_keys_of_cli_md() {
    let d = demo();
    let r = ok(malkart(
        &d.db,
        &[
            "export",
            "economy",
            "--unit",
            "1000",
            "--period",
            &last_year_k3(),
            "--format",
            "json",
        ],
    ));
    let json: Value = serde_json::from_slice(&r.stdout).unwrap();
    for key in ["unit", "period", "through", "rows"] {
        assert!(json.get(key).is_some(), "{key} in {json}");
    }
    let rows = json["rows"].as_array().expect("rows");
    for key in [
        "code",
        "name",
        "depth",
        "annual_budget",
        "budget_ytd",
        "actual_ytd",
        "deviation",
        "deviation_pct",
        "spent_pct",
        "forecast",
        "forecast_is_budget",
        "forecast_deviation",
        "status",
    ] {
        assert!(rows[0].get(key).is_some(), "{key} in {}", rows[0]);
    }
}

#[test]
fn xlsx_and_pdf_are_written_to_out_with_nothing_left_beside_them() {
    let d = demo();
    let period = last_year_k3();
    let out_dir = d.dir.path().join("rapporter");
    std::fs::create_dir(&out_dir).unwrap();
    for (report, format, magic) in [
        ("sick-leave", "xlsx", &b"PK"[..]),
        ("sick-leave", "pdf", &b"%PDF-"[..]),
        ("economy", "xlsx", &b"PK"[..]),
        ("economy", "pdf", &b"%PDF-"[..]),
    ] {
        let out = out_dir.join(format!("{report}.{format}"));
        let r = ok(malkart(
            &d.db,
            &[
                "export",
                report,
                "--unit",
                "1000",
                "--period",
                &period,
                "--format",
                format,
                "--out",
                out.to_str().unwrap(),
            ],
        ));
        assert!(r.text().contains(out.to_str().unwrap()), "{}", r.text());
        let bytes = std::fs::read(&out).unwrap();
        assert!(bytes.starts_with(magic), "{report}.{format}");
    }
    let mut names: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "economy.pdf",
            "economy.xlsx",
            "sick-leave.pdf",
            "sick-leave.xlsx"
        ]
    );
}

#[test]
fn an_unknown_unit_is_refused_and_no_file_is_written() {
    let d = demo();
    let out = d.dir.path().join("x.pdf");
    let r = malkart(
        &d.db,
        &[
            "export",
            "economy",
            "--unit",
            "9999",
            "--period",
            &last_year_k3(),
            "--format",
            "pdf",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    refused(&r, "9999");
    assert!(!out.exists());
    let r = malkart(
        &d.db,
        &[
            "export",
            "sick-leave",
            "--unit",
            "9999",
            "--period",
            &last_year_k3(),
            "--format",
            "csv",
        ],
    );
    refused(&r, "9999");
    assert!(r.stdout.is_empty());
}

/// `malkart --db DB ARGS…` on 15 November 2026 (the last full month is October).
fn malkart_on_nov_15(db: &Path, args: &[&str]) -> Run {
    run(db, args, Some("2026-11-15"))
}

/// The text of a PDF (`pdftotext -layout`); `None` when poppler-utils is not installed
/// and `CI` is unset (scripts/setup.sh installs it).
fn pdf_text(path: &Path) -> Option<String> {
    match std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(path)
        .arg("-")
        .output()
    {
        Ok(out) => Some(String::from_utf8(out.stdout).unwrap()),
        Err(e) if std::env::var_os("CI").is_none() => {
            eprintln!("HOPPER OVER: pdftotext kunne ikke kjøres: {e}");
            None
        }
        Err(e) => panic!("pdftotext: {e}"),
    }
}

#[test]
fn the_malkart_prints_as_shown_on_a4_pages_with_marks_in_words() {
    let dir = TempDir::new().unwrap();
    let db = dir.path().join("demo.db");
    ok(malkart_on_nov_15(&db, &["init", "--demo"]));
    let out = dir.path().join("malkart.pdf");
    let args = |period: &'static str, out: &Path, only: bool| {
        let mut a = vec![
            "export".to_string(),
            "scorecard".into(),
            "--unit".into(),
            "1000".into(),
            "--period".into(),
            period.into(),
            "--format".into(),
            "pdf".into(),
            "--out".into(),
            out.to_str().unwrap().into(),
        ];
        if only {
            a.push("--deviations-only".into());
        }
        a
    };
    let run = |a: Vec<String>| {
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        ok(malkart_on_nov_15(&db, &a))
    };
    let r = run(args("2026-10", &out, false));
    assert!(r.text().starts_with("Målkartet for 1000"), "{}", r.text());
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF-"));

    // The counts the PDF must print, from the målkart's JSON: each final colour, and
    // ingen data + ingen mål as «uten status» (October has ended: nothing provisional).
    let status = ok(malkart_on_nov_15(
        &db,
        &[
            "status", "--unit", "1000", "--period", "2026-10", "--format", "json",
        ],
    ));
    let card: Value = serde_json::from_slice(&status.stdout).unwrap();
    let (mut green, mut yellow, mut red, mut without) = (0, 0, 0, 0);
    for p in card["perspectives"].as_array().unwrap() {
        for r in p["indicators"].as_array().unwrap() {
            assert_eq!(r["provisional"], false);
            match r["status"].as_str().unwrap() {
                "green" => green += 1,
                "yellow" => yellow += 1,
                "red" => red += 1,
                _ => without += 1,
            }
        }
    }
    // The demo (small) in October 2026: 2 + 6 + 12 + 1 = 21 grønn, 0 + 0 + 3 + 1 = 4 gul,
    // 1 + 0 + 1 + 1 = 3 rød, 1 + 0 + 5 + 2 = 8 uten status (lokalsamfunn, brukere,
    // organisasjon, økonomi), as `malkart status` shows them; brukere and organisasjon
    // hold the surveys (BK-HJEM, the ten 10-FAKTOR factors; TF-8 is red).
    assert_eq!((green, yellow, red, without), (21, 4, 3, 8));

    let Some(text) = pdf_text(&out) else {
        return;
    };
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    // 36 indicators with the surveys: two pages, each perspective kept whole on one.
    assert_eq!(pages.len(), 2, "{text}");
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "Målkart Enhet: Demo kommune",
        "Periode: oktober 2026 (2026-10)",
        "Hele målkartet: ● 21 grønn · ▲ 4 gul · ■ 3 rød · ○ 8 uten status.",
        // A perspective's heading with its status and counts; an indicator with its
        // mark and word, and a trend as an arrow and a word.
        "Organisasjon og medarbeidere ■ rød ● 12 grønn · ▲ 3 gul · ■ 1 rød · ○ 5 uten status",
        "Befolkningsvekst 2025 1,1 % 1,0 % ● grønn ↑ bedre",
        "Netto driftsresultat 2025 0,70 % 1,75 % ■ rød ↑ bedre",
        "Side 1 av 2",
    ] {
        assert!(flat.contains(needle), "«{needle}» mangler: {flat}");
    }

    // Only deviations: yellow and red indicators, a perspective without any says so.
    let only = dir.path().join("avvik.pdf");
    run(args("2026-10", &only, true));
    let Some(text) = pdf_text(&only) else {
        return;
    };
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.starts_with("Målkart – bare avvik"), "{flat}");
    assert!(
        flat.contains("Ingen avvik i innbyggere og brukere."),
        "{flat}"
    );
    assert!(flat.contains("Andel lukkede HMS-avvik"), "{flat}");
    assert!(flat.contains("Netto driftsresultat"), "{flat}");
    assert!(!flat.contains("Befolkningsvekst"), "{flat}");
    assert!(!flat.contains("Sykefravær totalt"), "{flat}");
    assert!(flat.contains("tellingene gjelder hele målkartet"), "{flat}");

    // A quarter two months short of its end: provisional, never a final colour.
    let k4 = dir.path().join("k4.pdf");
    run(args("2026-K4", &k4, false));
    let Some(text) = pdf_text(&k4) else {
        return;
    };
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("4. kvartal 2026 (2026-K4) · Foreløpig · 1 av 3 måneder"),
        "{flat}"
    );
    assert!(flat.contains("◔ foreløpig (gul så langt)"), "{flat}");
    assert!(flat.contains("ikke sammenlignet (foreløpig)"), "{flat}");
}
