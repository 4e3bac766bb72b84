//! The `malkart` command line end to end: real database files in temporary directories,
//! every command, every exit code (0 ok, 2 input refused, 1 other), the JSON shape of
//! `status`, the Norwegian table, and that a refused import changes nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;
use tempfile::TempDir;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_with(mut cmd: assert_cmd::Command, args: &[&str]) -> Run {
    let out = cmd
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("malkart ran: {e}"));
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `malkart --db DB ARGS…`, with `MALKART_DB` removed so that only `--db` counts.
fn malkart(db: &Path, args: &[&str]) -> Run {
    let mut cmd = cargo_bin_cmd!("malkart");
    cmd.env_remove("MALKART_DB").arg("--db").arg(db);
    run_with(cmd, args)
}

fn ok(r: &Run) -> &Run {
    assert_eq!(r.code, 0, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    r
}

fn refused<'a>(r: &'a Run, needle: &str) -> &'a Run {
    assert_eq!(
        r.code, 2,
        "expected refusal; stdout: {}\nstderr: {}",
        r.stdout, r.stderr
    );
    assert!(r.stderr.starts_with("feil: "), "stderr: {}", r.stderr);
    assert!(
        r.stderr.contains(needle),
        "«{needle}» not in stderr: {}",
        r.stderr
    );
    r
}

/// The demo runs through the last full month before today — by the same clock the command
/// line reads (`MALKART_TODAY`, which scripts/test.sh sets to several dates); the year
/// before that is whole.
fn last_full_month() -> (i32, u32) {
    let m = malkart::clock::last_full_month(malkart::clock::today());
    (m.year(), m.month())
}

fn last_year() -> i32 {
    last_full_month().0 - 1
}

struct Demo {
    _dir: TempDir,
    db: PathBuf,
}

fn demo() -> Demo {
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("demo.db");
    ok(&malkart(&db, &["init", "--demo"]));
    Demo { _dir: dir, db }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    path
}

fn status_json(db: &Path, unit: &str, period: &str) -> String {
    ok(&malkart(
        db,
        &[
            "status", "--unit", unit, "--period", period, "--format", "json",
        ],
    ))
    .stdout
    .clone()
}

fn indicator<'a>(card: &'a Value, code: &str) -> &'a Value {
    card["perspectives"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|p| p["indicators"].as_array().into_iter().flatten())
        .find(|i| i["code"] == code)
        .unwrap_or_else(|| panic!("{code} is in the målkart"))
}

fn parse(json: &str) -> Value {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

fn measurement_count(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap_or_else(|e| panic!("{e}"));
    conn.query_row("SELECT count(*) FROM measurements", [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn init_creates_and_migrates_a_new_database() {
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("sub").join("ny.db");
    let r = malkart(&db, &["init"]);
    ok(&r);
    assert!(r.stdout.contains("er klar"), "{}", r.stdout);
    assert!(db.is_file());
    let check = malkart(&db, &["check"]);
    ok(&check);
    assert!(check.stdout.contains("Integritet: ok"), "{}", check.stdout);
    assert!(check.stdout.contains("Skjemaversjon: "), "{}", check.stdout);
    // init on an existing database is harmless.
    ok(&malkart(&db, &["init"]));
}

#[test]
fn init_demo_fills_an_empty_database_and_refuses_a_full_one() {
    let d = demo();
    let before = status_json(&d.db, "1000", &last_year().to_string());
    let count = measurement_count(&d.db);
    assert!(count > 1000, "{count} measurements in the small demo");
    let r = malkart(&d.db, &["init", "--demo"]);
    refused(&r, "ikke tom");
    assert!(r.stdout.is_empty());
    assert_eq!(measurement_count(&d.db), count);
    assert_eq!(status_json(&d.db, "1000", &last_year().to_string()), before);
}

const MONTH_NAMES: [&str; 12] = [
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
];

/// `init --demo` on `db` with today passed in; checks the report and that the last month has
/// figures and the month after it none.
fn init_demo_through(today: &str, extra: &[&str], (y, m): (i32, u32)) {
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("demo.db");
    let mut cmd = cargo_bin_cmd!("malkart");
    cmd.env_remove("MALKART_DB")
        .env("MALKART_TODAY", today)
        .arg("--db")
        .arg(&db);
    let mut args = vec!["init", "--demo", "--size", "small"];
    args.extend_from_slice(extra);
    let r = run_with(cmd, &args);
    ok(&r);
    assert!(
        // 16 measured indicators and the bedrekommune indicator the demo defines.
        r.stdout.contains("30 enheter, 17 indikatorer")
            && r.stdout.contains("undersøkelsesresultater"),
        "{}",
        r.stdout
    );
    // small starts in January two years before its last month.
    let through = format!(
        "fra januar {} til og med {} {y}",
        y - 2,
        MONTH_NAMES[m as usize - 1]
    );
    assert!(r.stdout.contains(&through), "{}", r.stdout);
    let card = parse(&status_json(&db, "1000", &format!("{y}-{m:02}")));
    assert!(indicator(&card, "FIN-FAKT")["value"].is_number());
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    let next = parse(&status_json(&db, "1000", &format!("{ny}-{nm:02}")));
    assert_eq!(indicator(&next, "FIN-FAKT")["status"], "no_data");
}

#[test]
fn init_demo_runs_through_the_last_full_month_before_today() {
    // Today 15 January 2027: the last full month is December 2026.
    init_demo_through("2027-01-15", &[], (2026, 12));
    // Today 1 December 2026 (the first day of a month): November 2026.
    init_demo_through("2026-12-01", &[], (2026, 11));
}

#[test]
fn init_demo_runs_through_the_month_given_whatever_the_date() {
    init_demo_through("2027-01-15", &["--through", "2026-05"], (2026, 5));
    init_demo_through("2026-12-01", &["--through", "2025-12"], (2025, 12));
}

#[test]
fn usage_errors_exit_2_with_a_norwegian_message() {
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("x.db");
    let r = malkart(&db, &["init", "--size", "large"]);
    refused(&r, "mangler --demo");
    assert!(r.stderr.contains("Bruk: malkart init"), "{}", r.stderr);
    refused(
        &malkart(&db, &["init", "--demo", "--size", "huge"]),
        "«huge» er ikke en gyldig verdi for --size",
    );
    refused(
        &malkart(&db, &["eksport", "sick-leave"]),
        "ukjent kommando «eksport»",
    );
    refused(
        &malkart(&db, &["status", "--unit", "1000"]),
        "mangler --period",
    );
    refused(
        &malkart(&db, &["check", "--bogus"]),
        "ukjent valg eller argument «--bogus»",
    );
    assert!(!db.exists(), "a usage error opens no database");
}

#[test]
fn the_database_comes_from_malkart_db_when_no_db_is_given_and_db_wins_over_it() {
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let from_env = dir.path().join("env.db");
    let from_flag = dir.path().join("flag.db");
    let mut cmd = cargo_bin_cmd!("malkart");
    cmd.env("MALKART_DB", &from_env);
    ok(&run_with(cmd, &["init", "--demo"]));
    assert!(from_env.is_file());

    let mut cmd = cargo_bin_cmd!("malkart");
    cmd.env("MALKART_DB", &from_env);
    let card = parse(
        &ok(&run_with(
            cmd,
            &[
                "status",
                "--unit",
                "1000",
                "--period",
                &last_year().to_string(),
                "--format",
                "json",
            ],
        ))
        .stdout,
    );
    assert_eq!(card["unit"]["name"], "Demo kommune");

    let mut cmd = cargo_bin_cmd!("malkart");
    cmd.env("MALKART_DB", &from_env).arg("--db").arg(&from_flag);
    ok(&run_with(cmd, &["init"]));
    assert!(from_flag.is_file());
    // The flag's database is empty: the demo unit is unknown there.
    let r = malkart(
        &from_flag,
        &["status", "--unit", "1000", "--period", "2025"],
    );
    refused(&r, "1000");
}

#[test]
fn without_db_or_malkart_db_the_database_is_in_the_data_directory() {
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let mut cmd = cargo_bin_cmd!("malkart");
    cmd.env_remove("MALKART_DB")
        .env("XDG_DATA_HOME", dir.path())
        .env("HOME", dir.path());
    ok(&run_with(cmd, &["init"]));
    assert!(dir
        .path()
        .join("no.malkart.app")
        .join("malkart.db")
        .is_file());
}

#[test]
fn status_json_has_the_shape_of_cli_md() {
    let d = demo();
    let period = format!("{}-K3", last_year());
    let card = parse(&status_json(&d.db, "1000", &period));
    assert_eq!(card["unit"]["code"], "1000");
    assert_eq!(card["unit"]["name"], "Demo kommune");
    assert_eq!(card["period"], period.as_str());
    let perspectives = card["perspectives"]
        .as_array()
        .unwrap_or_else(|| panic!("perspectives"));
    let keys: Vec<&str> = perspectives
        .iter()
        .filter_map(|p| p["key"].as_str())
        .collect();
    assert_eq!(keys, ["lokalsamfunn", "brukere", "organisasjon", "økonomi"]);
    let statuses = ["green", "yellow", "red", "no_data", "no_target"];
    for p in perspectives {
        for key in ["key", "name", "status", "counts", "indicators"] {
            assert!(p.get(key).is_some(), "perspective has «{key}»");
        }
        assert!(statuses.contains(&p["status"].as_str().unwrap_or("")));
        let counts = &p["counts"];
        let mut total = 0;
        for key in statuses {
            total += counts[key]
                .as_u64()
                .unwrap_or_else(|| panic!("counts.{key} is a number"));
        }
        let indicators = p["indicators"]
            .as_array()
            .unwrap_or_else(|| panic!("indicators"));
        assert_eq!(
            total as usize,
            indicators.len(),
            "counts add up to the indicators"
        );
        for i in indicators {
            for key in [
                "code",
                "name",
                "unit_label",
                "decimals",
                "direction",
                "period",
                "value",
                "display",
                "target",
                "red_limit",
                "status",
                "coverage",
                "complete",
                "previous",
                "last_year",
                "trend",
            ] {
                assert!(i.get(key).is_some(), "{} has «{key}»", i["code"]);
            }
            for key in ["previous", "last_year"] {
                assert!(
                    i[key]["period"].is_string() && i[key].get("value").is_some(),
                    "{key}"
                );
            }
            assert!(statuses.contains(&i["status"].as_str().unwrap_or("")));
            assert!(["better", "worse", "unchanged", "unknown"]
                .contains(&i["trend"].as_str().unwrap_or("")));
            assert!(["høy", "lav"].contains(&i["direction"].as_str().unwrap_or("")));
            assert!(i["complete"].is_boolean());
        }
    }
    // A quarterly indicator viewed for its own quarter; a yearly one shows the last whole year.
    assert_eq!(indicator(&card, "OR-AVV")["period"], period.as_str());
    assert_eq!(
        indicator(&card, "OR-MU")["period"],
        (last_year() - 1).to_string().as_str()
    );
    let fakt = indicator(&card, "FIN-FAKT");
    assert!(fakt["value"].is_f64() && fakt["display"].as_str().is_some_and(|s| s.ends_with(" %")));
}

#[test]
fn status_table_is_norwegian_text_with_marks_that_survive_without_colour() {
    let d = demo();
    let period = format!("{}-K3", last_year());
    let r = malkart(&d.db, &["status", "--unit", "1000", "--period", &period]);
    ok(&r);
    let t = &r.stdout;
    assert!(
        t.starts_with(&format!(
            "Målkart for 1000 Demo kommune — 3. kvartal {} ({period})",
            last_year()
        )),
        "{t}"
    );
    for name in [
        "Lokalsamfunn",
        "Innbyggere og brukere",
        "Organisasjon og medarbeidere",
        "Økonomi",
    ] {
        assert!(t.contains(&format!("\n{name} — ")), "{name} header in\n{t}");
    }
    assert!(t.contains("kode") && t.contains("rød grense") && t.contains("dekning"));
    let fakt = t
        .lines()
        .find(|l| l.trim_start().starts_with("FIN-FAKT"))
        .unwrap_or_else(|| panic!("FIN-FAKT row"));
    // A decimal comma and a space before the percent sign: `94,3 %`.
    assert!(
        fakt.contains(",") && fakt.contains(" %") && !fakt.contains('.'),
        "{fakt}"
    );
    assert!(fakt.contains(" av "), "coverage as «n av m»: {fakt}");
    let marks = ["● grønn", "▲ gul", "■ rød", "○ ingen data", "– ingen mål"];
    assert!(
        t.lines()
            .filter(|l| marks.iter().any(|m| l.contains(m)))
            .count()
            >= 16,
        "{t}"
    );
    assert!(["↑ bedre", "↓ verre", "→ uendret", "· ukjent"]
        .iter()
        .any(|w| t.contains(w)));
}

#[test]
fn status_refuses_an_unknown_unit_and_a_bad_period() {
    let d = demo();
    refused(
        &malkart(&d.db, &["status", "--unit", "9999", "--period", "2025"]),
        "ukjent enhet «9999»",
    );
    refused(
        &malkart(&d.db, &["status", "--unit", "1000", "--period", "2026-13"]),
        "«2026-13»",
    );
    refused(
        &malkart(&d.db, &["status", "--unit", "1000", "--period", "2026-K5"]),
        "2026-K1",
    );
}

#[test]
fn import_changes_figures_and_reports_in_norwegian() {
    let d = demo();
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let y = last_year();
    let file = write(
        dir.path(),
        "målinger.csv",
        &format!("indikator;enhet;periode;verdi;teller;nevner\nBR-VENT;3200;{y}-03;9,5;;\nOR-AVV;3110;{y}-K1;;18;20\n"),
    );
    let file = file.to_string_lossy().into_owned();
    let r = malkart(&d.db, &["import", "målinger", &file]);
    ok(&r);
    assert!(
        r.stdout.contains("Importerte «målinger.csv» (målinger)"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("rader lest:  2"), "{}", r.stdout);
    // Both cells had demo figures, now replaced (unless the demo left one of them empty).
    let created_or_changed = ["nye:         ", "endret:      "]
        .iter()
        .map(|k| {
            r.stdout
                .lines()
                .find_map(|l| l.trim_start().strip_prefix(k.trim_start()))
                .and_then(|n| n.trim().parse::<u32>().ok())
                .unwrap_or(99)
        })
        .sum::<u32>();
    assert_eq!(created_or_changed, 2, "{}", r.stdout);

    let vent = parse(&status_json(&d.db, "3200", &format!("{y}-03")));
    assert_eq!(indicator(&vent, "BR-VENT")["value"], 9.5);
    // 18 / 20 × 100 = 90 %, on a unit without children.
    let avv = parse(&status_json(&d.db, "3110", &format!("{y}-K1")));
    assert_eq!(indicator(&avv, "OR-AVV")["value"], 90.0);
    let table = ok(&malkart(
        &d.db,
        &["status", "--unit", "3110", "--period", &format!("{y}-K1")],
    ))
    .stdout
    .clone();
    let row = table
        .lines()
        .find(|l| l.trim_start().starts_with("OR-AVV"))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(row.contains("90 %") && row.contains("1 av 1"), "{row}");

    // The same file again: nothing changes.
    let again = malkart(&d.db, &["import", "measurements", &file]);
    ok(&again);
    assert!(again.stdout.contains("uendret:     2"), "{}", again.stdout);
}

#[test]
fn dry_run_reports_and_stores_nothing() {
    let d = demo();
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let y = last_year();
    let file = write(
        dir.path(),
        "m.csv",
        &format!("indikator;enhet;periode;verdi\nBR-VENT;3200;{y}-03;30\n"),
    );
    let before = status_json(&d.db, "3200", &format!("{y}-03"));
    let r = malkart(
        &d.db,
        &["import", "målinger", &file.to_string_lossy(), "--dry-run"],
    );
    ok(&r);
    assert!(
        r.stdout.contains("Prøvekjøring") && r.stdout.contains("ingenting er lagret"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("rader lest:  1"), "{}", r.stdout);
    assert_eq!(status_json(&d.db, "3200", &format!("{y}-03")), before);
}

#[test]
fn a_file_with_a_wrong_line_is_refused_whole_and_changes_nothing() {
    let d = demo();
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let y = last_year();
    let file = write(
        dir.path(),
        "feil.csv",
        &format!("indikator;enhet;periode;verdi\nBR-VENT;3200;{y}-03;9,5\nBR-VENT;3200;{y}-04;7,3,1\nBR-VENT;9999;{y}-05;4\n"),
    );
    let year = y.to_string();
    let before_root = status_json(&d.db, "1000", &year);
    let before_unit = status_json(&d.db, "3200", &format!("{y}-03"));
    let count = measurement_count(&d.db);
    let r = malkart(&d.db, &["import", "målinger", &file.to_string_lossy()]);
    refused(&r, "linje 3, kolonne «verdi»");
    assert!(r.stderr.contains("«7,3,1»"), "{}", r.stderr);
    assert!(
        r.stderr.contains("linje 4") && r.stderr.contains("9999"),
        "every wrong line: {}",
        r.stderr
    );
    assert!(
        r.stderr.contains("feil.csv") && r.stderr.contains("ingenting er endret"),
        "{}",
        r.stderr
    );
    assert_eq!(measurement_count(&d.db), count);
    assert_eq!(status_json(&d.db, "1000", &year), before_root);
    assert_eq!(status_json(&d.db, "3200", &format!("{y}-03")), before_unit);
}

#[test]
fn import_refuses_an_unknown_kind_a_missing_file_and_a_file_of_another_kind() {
    let d = demo();
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let file = write(dir.path(), "e.csv", "kode;navn\n9000;Ny enhet\n");
    let file = file.to_string_lossy().into_owned();
    refused(
        &malkart(&d.db, &["import", "budsjett", &file]),
        "ukjent importtype «budsjett»",
    );
    refused(
        &malkart(&d.db, &["import", "sykefravær", &file]),
        "filen ser ut som en «enheter»-fil",
    );
    let missing = dir.path().join("finnes-ikke.csv");
    refused(
        &malkart(&d.db, &["import", "enheter", &missing.to_string_lossy()]),
        "finnes-ikke.csv",
    );
}

#[test]
fn units_import_into_a_new_database_creates_then_leaves_unchanged() {
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("ny.db");
    ok(&malkart(&db, &["init"]));
    // The child comes before its parent: allowed.
    let file = write(dir.path(), "enheter.csv", "kode;navn;overordnet;nivå\n2100;Åmot skole;2000;virksomhet\n2000;Oppvekst;1000;sektor\n1000;Værøy kommune;;kommune\n");
    let file = file.to_string_lossy().into_owned();
    let r = malkart(&db, &["import", "enheter", &file]);
    ok(&r);
    assert!(
        r.stdout.contains("rader lest:  3") && r.stdout.contains("nye:         3"),
        "{}",
        r.stdout
    );
    let again = malkart(&db, &["import", "units", &file]);
    ok(&again);
    assert!(again.stdout.contains("uendret:     3"), "{}", again.stdout);
    let card = parse(&status_json(&db, "1000", "2026"));
    assert_eq!(card["unit"]["name"], "Værøy kommune");
}

#[test]
fn a_locked_month_refuses_figures_until_it_is_unlocked_with_a_reason() {
    let d = demo();
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let y = last_year();
    let month = format!("{y}-09");
    let file = write(
        dir.path(),
        "sep.csv",
        &format!("indikator;enhet;periode;verdi\nBR-VENT;3200;{month};12,5\n"),
    );
    let file = file.to_string_lossy().into_owned();

    let r = malkart(&d.db, &["lock", &month]);
    ok(&r);
    assert!(
        r.stdout
            .contains(&format!("september {y} ({month}) er låst")),
        "{}",
        r.stdout
    );
    assert!(ok(&malkart(&d.db, &["lock", &month]))
        .stdout
        .contains("allerede låst"));

    let before = status_json(&d.db, "3200", &month);
    refused(&malkart(&d.db, &["import", "målinger", &file]), &month);
    assert_eq!(status_json(&d.db, "3200", &month), before);

    // Unlocking needs a reason (a usage error without one) and a month, not a quarter.
    assert_eq!(malkart(&d.db, &["unlock", &month]).code, 2);
    refused(
        &malkart(&d.db, &["unlock", &month, "--reason", "  "]),
        "--reason",
    );
    refused(
        &malkart(&d.db, &["lock", &format!("{y}-K3")]),
        "ikke en måned",
    );
    refused(&malkart(&d.db, &["lock", "2026-13"]), "«2026-13»");

    let r = malkart(
        &d.db,
        &[
            "unlock",
            &month,
            "--reason",
            "Feil i septembertallene fra fagsystemet",
        ],
    );
    ok(&r);
    assert!(r.stdout.contains("låst opp"), "{}", r.stdout);
    assert!(
        ok(&malkart(&d.db, &["unlock", &month, "--reason", "igjen"]))
            .stdout
            .contains("var ikke låst")
    );
    ok(&malkart(&d.db, &["import", "målinger", &file]));
    let card = parse(&status_json(&d.db, "3200", &month));
    assert_eq!(indicator(&card, "BR-VENT")["value"], 12.5);
}

#[test]
fn backup_then_restore_brings_the_figures_back_and_keeps_the_old_database() {
    let d = demo();
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let y = last_year();
    let copy = dir.path().join("kopi.db");
    let r = malkart(&d.db, &["backup", &copy.to_string_lossy()]);
    ok(&r);
    assert!(
        copy.is_file() && r.stdout.contains("Sikkerhetskopien"),
        "{}",
        r.stdout
    );
    ok(&malkart(&copy, &["check"]));

    let original = status_json(&d.db, "3200", &format!("{y}-03"));
    let file = write(
        dir.path(),
        "m.csv",
        &format!("indikator;enhet;periode;verdi\nBR-VENT;3200;{y}-03;44\n"),
    );
    ok(&malkart(
        &d.db,
        &["import", "målinger", &file.to_string_lossy()],
    ));
    assert_ne!(status_json(&d.db, "3200", &format!("{y}-03")), original);

    let r = malkart(&d.db, &["restore", &copy.to_string_lossy()]);
    ok(&r);
    assert!(r.stdout.contains("gjenopprettet"), "{}", r.stdout);
    assert_eq!(status_json(&d.db, "3200", &format!("{y}-03")), original);
    let kept = fs::read_dir(d.db.parent().unwrap_or_else(|| panic!()))
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok())
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("demo.db.før-gjenoppretting")
        });
    assert!(
        kept,
        "the old database is kept beside the restored one: {}",
        r.stdout
    );
}

#[test]
fn restore_refuses_a_file_that_is_not_a_database_and_changes_nothing() {
    let d = demo();
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let junk = write(dir.path(), "ikke-en-database.db", "dette er ikke SQLite\n");
    let before = status_json(&d.db, "1000", &last_year().to_string());
    let r = malkart(&d.db, &["restore", &junk.to_string_lossy()]);
    refused(&r, "ikke-en-database.db");
    assert_eq!(status_json(&d.db, "1000", &last_year().to_string()), before);
}

#[test]
fn a_database_from_a_newer_version_is_refused_with_exit_1_and_left_unchanged() {
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("ny.db");
    ok(&malkart(&db, &["init"]));
    {
        let conn = rusqlite::Connection::open(&db).unwrap_or_else(|e| panic!("{e}"));
        conn.execute_batch("PRAGMA user_version = 999;")
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let bytes = fs::read(&db).unwrap_or_else(|e| panic!("{e}"));
    let r = malkart(&db, &["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.starts_with("feil: ") && r.stderr.contains("nyere versjon"),
        "{}",
        r.stderr
    );
    assert_eq!(fs::read(&db).unwrap_or_else(|e| panic!("{e}")), bytes);
}

#[test]
fn bench_times_the_cold_and_the_warm_målkart() {
    let d = demo();
    let r = malkart(
        &d.db,
        &[
            "bench",
            "--unit",
            "1000",
            "--period",
            &last_year().to_string(),
            "--repeat",
            "3",
            "--cold",
            "2",
        ],
    );
    ok(&r);
    assert!(
        r.stdout.contains("Kald") && r.stdout.contains("Varm") && r.stdout.contains("median"),
        "{}",
        r.stdout
    );
}

#[test]
fn help_is_norwegian_and_lists_the_commands() {
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let r = malkart(&dir.path().join("x.db"), &["--help"]);
    ok(&r);
    for word in [
        "Bruk: malkart",
        "Kommandoer:",
        "Valg:",
        "Vis hjelp",
        "MALKART_DB",
    ] {
        assert!(r.stdout.contains(word), "«{word}» in help:\n{}", r.stdout);
    }
    for command in [
        "init", "import", "status", "lock", "unlock", "backup", "restore", "check",
    ] {
        assert!(
            r.stdout.contains(&format!("\n  {command} ")),
            "{command} in help"
        );
    }
    assert!(!r.stdout.contains("bench"), "bench is not advertised");
    let r = malkart(&dir.path().join("x.db"), &["status", "--help"]);
    ok(&r);
    assert!(
        r.stdout.contains("2026-K3") && r.stdout.contains("Enhetskoden"),
        "{}",
        r.stdout
    );
    assert!(
        !dir.path().join("x.db").exists(),
        "--help opens no database"
    );
}

#[test]
fn an_xlsx_file_imports_like_a_csv_file() {
    let d = demo();
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let y = last_year();
    let path = dir.path().join("målinger.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["indikator", "enhet", "periode", "verdi"]
        .iter()
        .enumerate()
    {
        sheet
            .write_string(0, c as u16, *h)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    // A numeric cell, and a text cell typed the Norwegian way.
    for (r, (month, unit)) in [("03", "3200"), ("04", "3200")].iter().enumerate() {
        let r = r as u32 + 1;
        sheet
            .write_string(r, 0, "BR-VENT")
            .unwrap_or_else(|e| panic!("{e}"));
        sheet
            .write_string(r, 1, *unit)
            .unwrap_or_else(|e| panic!("{e}"));
        sheet
            .write_string(r, 2, format!("{y}-{month}"))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    sheet
        .write_number(1, 3, 9.5)
        .unwrap_or_else(|e| panic!("{e}"));
    sheet
        .write_string(2, 3, "7,25")
        .unwrap_or_else(|e| panic!("{e}"));
    book.save(&path).unwrap_or_else(|e| panic!("{e}"));

    let r = malkart(&d.db, &["import", "målinger", &path.to_string_lossy()]);
    ok(&r);
    assert!(r.stdout.contains("rader lest:  2"), "{}", r.stdout);
    let march = parse(&status_json(&d.db, "3200", &format!("{y}-03")));
    assert_eq!(indicator(&march, "BR-VENT")["value"], 9.5);
    let april = parse(&status_json(&d.db, "3200", &format!("{y}-04")));
    assert_eq!(indicator(&april, "BR-VENT")["value"], 7.25);
    // Both months together: a mean of the two, (9.5 + 7.25) / 2 = 8.375.
    let both = parse(&status_json(&d.db, "3200", &format!("{y}-03..{y}-04")));
    assert_eq!(indicator(&both, "BR-VENT")["value"], 8.375);
}

#[test]
fn every_kind_of_wrong_measurement_line_is_refused_with_its_line_and_changes_nothing() {
    let d = demo();
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let y = last_year();
    let header = "indikator;enhet;periode;verdi;teller;nevner\n";
    let good = format!("BR-VENT;3200;{y}-05;8,5;;\n");
    // (the wrong line, something its error must name)
    let cases = [
        (format!("BR-VENT;3200;{y}-06;abc;;\n"), "«abc»".to_string()),
        (format!("BR-VENT;3200;{y}-06;1e5;;\n"), "«1e5»".to_string()),
        (format!("BR-VENT;3200;{y}-06;;;\n"), "verdi".to_string()),
        (
            format!("NEI-IKKE;3200;{y}-06;4;;\n"),
            "NEI-IKKE".to_string(),
        ),
        (format!("BR-VENT;7777;{y}-06;4;;\n"), "7777".to_string()),
        (format!("BR-VENT;3200;{y}-13;4;;\n"), format!("{y}-13")),
        // A quarterly indicator given a month.
        (format!("OR-AVV;3110;{y}-06;;3;4\n"), format!("{y}-06")),
        // A ratio given a value, and a ratio with a zero denominator.
        (format!("OR-AVV;3110;{y}-K2;75;;\n"), "OR-AVV".to_string()),
        (format!("OR-AVV;3110;{y}-K2;;3;0\n"), "nevner".to_string()),
        // The same cell twice in one file: the error points back at the first.
        (good.clone(), "linje 2".to_string()),
    ];
    let year = y.to_string();
    let before = status_json(&d.db, "1000", &year);
    let before_unit = status_json(&d.db, "3200", &format!("{y}-05"));
    let count = measurement_count(&d.db);
    for (i, (wrong, needle)) in cases.iter().enumerate() {
        let file = write(
            dir.path(),
            &format!("feil-{i}.csv"),
            &format!("{header}{good}{wrong}"),
        );
        let r = malkart(&d.db, &["import", "målinger", &file.to_string_lossy()]);
        refused(&r, "linje 3");
        assert!(
            r.stderr.contains(needle.as_str()),
            "case {i}: «{needle}» not in {}",
            r.stderr
        );
        assert_eq!(measurement_count(&d.db), count, "case {i}");
    }
    assert_eq!(status_json(&d.db, "1000", &year), before);
    assert_eq!(status_json(&d.db, "3200", &format!("{y}-05")), before_unit);
}

#[test]
fn table_trend_arrow_follows_the_value_and_the_word_follows_the_direction() {
    // BR-VENT (ventetid, `lav`: lower is better) on Hjemmetjenesten (3200, no children):
    // January 9,5 → February 6,0 fell: «↓ bedre»; February 6,0 → March 7,5 rose: «↑ verre».
    let d = demo();
    let y = last_year();
    let path = write(
        d._dir.path(),
        "vent.csv",
        &format!(
            "indikator;enhet;periode;verdi\nBR-VENT;3200;{y}-01;9,5\nBR-VENT;3200;{y}-02;6,0\nBR-VENT;3200;{y}-03;7,5\n"
        ),
    );
    ok(&malkart(
        &d.db,
        &["import", "målinger", &path.to_string_lossy()],
    ));
    let line = |period: String| {
        let r = malkart(&d.db, &["status", "--unit", "3200", "--period", &period]);
        ok(&r);
        r.stdout
            .lines()
            .find(|l| l.contains("BR-VENT"))
            .map(str::to_string)
            .unwrap_or_else(|| panic!("no BR-VENT row: {}", r.stdout))
    };
    let feb = line(format!("{y}-02"));
    assert!(
        feb.contains("6,0 dager") && feb.contains("↓ bedre"),
        "{feb}"
    );
    let mar = line(format!("{y}-03"));
    assert!(
        mar.contains("7,5 dager") && mar.contains("↑ verre"),
        "{mar}"
    );
}

/// `malkart audit`: the log the app's «Endringslogg» shows, newest first, filtered the same
/// way (the service's `audit`), as a table or JSON; a wrong date is refused naming the flag.
#[test]
fn the_audit_log_lists_who_changed_what_newest_first_and_filters_like_the_app() {
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("m.db");
    ok(&malkart(&db, &["init"]));
    let units = write(
        dir.path(),
        "enheter.csv",
        "kode;navn;overordnet\nK;Kommunen;\nA;Avdeling A;K\n",
    );
    ok(&malkart(
        &db,
        &["import", "enheter", &units.to_string_lossy()],
    ));
    ok(&malkart(&db, &["lock", "2026-03"]));
    ok(&malkart(
        &db,
        &["unlock", "2026-03", "--reason", "Rettet regnskap"],
    ));

    // Four changes: two units created, then the lock, then the unlock (newest first).
    let all = parse(&ok(&malkart(&db, &["audit", "--format", "json"])).stdout);
    let all = all.as_array().unwrap_or_else(|| panic!("a JSON list"));
    assert_eq!(all.len(), 4, "{all:?}");
    assert_eq!(all[0]["reason"], "Rettet regnskap");
    let entities: Vec<&str> = all.iter().filter_map(|e| e["entity"].as_str()).collect();
    assert_eq!(entities[2..], ["enhet", "enhet"], "{entities:?}");
    assert!(all
        .iter()
        .all(|e| e["uid"].as_str().is_some_and(|u| u.contains('/'))));

    // Filtered by unit and cut by --limit, as the app's filter does.
    let a = parse(&ok(&malkart(&db, &["audit", "--unit", "A", "--format", "json"])).stdout);
    assert_eq!(a.as_array().map(Vec::len), Some(1));
    assert_eq!(a[0]["key"].as_str().map(|k| k.contains('A')), Some(true));
    let one = parse(
        &ok(&malkart(
            &db,
            &["audit", "--limit", "1", "--format", "json"],
        ))
        .stdout,
    );
    assert_eq!(one.as_array().map(Vec::len), Some(1));

    // The table: a heading with the count, the unlock's reason in words.
    let table = ok(&malkart(&db, &["audit"])).stdout.clone();
    assert!(
        table.starts_with("Endringsloggen: 4 endringer, nyeste først"),
        "{table}"
    );
    assert!(table.contains("Grunn: Rettet regnskap"), "{table}");
    // In words (the service's `AuditRow`): the month by name, what happened, the unit by
    // code and name with its fields labelled, and no JSON or field keys.
    let unlock = table
        .lines()
        .find(|l| l.contains("låst opp"))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(unlock.contains("Låst måned"), "{unlock}");
    assert!(unlock.contains("mars 2026"), "{unlock}");
    assert!(unlock.contains("kl. "), "{unlock}");
    assert!(
        table.contains("A Avdeling A") && table.contains("Overordnet enhet: K Kommunen"),
        "{table}"
    );
    for raw in ["locked_by", "locked_at", "{\"", "parent:"] {
        assert!(!table.contains(raw), "{raw} in {table}");
    }
    let none = ok(&malkart(&db, &["audit", "--unit", "X"])).stdout.clone();
    assert!(none.contains("Ingen endringer"), "{none}");

    refused(
        &malkart(&db, &["audit", "--from", "2026-13-01"]),
        "«2026-13-01» er ikke en dato",
    );
}

/// Honest periods (issue 12): today 2 December 2026, so the last full month is November and
/// the demo runs through it. 4. kvartal 2026 (October–December) has 2 of its 3 months ended:
/// the JSON says so, every result of the quarter is provisional with no trend, and the table
/// says it in words; 3. kvartal is complete and keeps its trend.
#[test]
fn a_quarter_not_yet_ended_is_provisional_in_the_json_and_the_table() {
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("demo.db");
    let at = |args: &[&str]| {
        let mut cmd = cargo_bin_cmd!("malkart");
        cmd.env_remove("MALKART_DB")
            .env("MALKART_TODAY", "2026-12-02")
            .arg("--db")
            .arg(&db);
        run_with(cmd, args)
    };
    ok(&at(&["init", "--demo", "--through", "2026-11"]));
    let json = |period: &str| {
        parse(
            &ok(&at(&[
                "status", "--unit", "1000", "--period", period, "--format", "json",
            ]))
            .stdout,
        )
    };

    let k4 = json("2026-K4");
    assert_eq!(k4["complete"], false);
    assert_eq!(
        (k4["months_covered"].as_u64(), k4["months_total"].as_u64()),
        (Some(2), Some(3))
    );
    assert_eq!(k4["last_month_with_data"], "2026-11");
    let sf = indicator(&k4, "SF");
    assert_eq!(sf["period"], "2026-K4");
    assert_eq!(sf["provisional"], true);
    assert_eq!(
        (sf["months_covered"].as_u64(), sf["months_total"].as_u64()),
        (Some(2), Some(3))
    );
    assert_eq!(sf["trend"], "unknown");
    // The previous quarter's value is still given; it is only not compared.
    assert_eq!(sf["previous"]["period"], "2026-K3");
    assert!(sf["previous"]["value"].is_number());

    let k3 = json("2026-K3");
    assert_eq!(k3["complete"], true);
    assert_eq!(
        (k3["months_covered"].as_u64(), k3["months_total"].as_u64()),
        (Some(3), Some(3))
    );
    assert_eq!(indicator(&k3, "SF")["provisional"], false);
    assert_ne!(indicator(&k3, "SF")["trend"], "unknown");

    // December itself: none of its one month has ended.
    let december = json("2026-12");
    assert_eq!(december["complete"], false);
    assert_eq!(december["months_covered"], 0);

    let table = ok(&at(&["status", "--unit", "1000", "--period", "2026-K4"]))
        .stdout
        .clone();
    assert!(
        table.contains("Foreløpig · 2 av 3 måneder: 4. kvartal 2026 er ikke over."),
        "{table}"
    );
    let sf_line = table
        .lines()
        .find(|l| l.trim_start().starts_with("SF "))
        .unwrap_or_else(|| panic!("an SF line: {table}"));
    assert!(sf_line.contains("· foreløpig"), "{sf_line}");
    assert!(
        !sf_line.contains('●') && !sf_line.contains('▲') && !sf_line.contains('■'),
        "{sf_line}"
    );
    let k3_table = ok(&at(&["status", "--unit", "1000", "--period", "2026-K3"]))
        .stdout
        .clone();
    assert!(!k3_table.contains("oreløpig"), "{k3_table}");
}
