//! Tiltak (tiltak.md, issue 15) on real SQLite files: the example file imported whole and
//! again without a change, a file with wrong lines refused whole with every line named,
//! the form's rules (a `fullført` tiltak below 100 % refused), `rød uten tiltak` appearing
//! and going as a tiltak is linked and completed, status comments in locked periods, the
//! audit log, and the command line's `import tiltak` and `export actions`.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;
use malkart::engine::sickleave::Privacy;
use malkart::engine::Status;
use malkart::import::{import_file, ImportKind};
use malkart::model::{ActionKind, ActionStatus};
use malkart::period::{Month, Period};
use malkart::service::actions::{self, ActionFilter, ActionInput};
use malkart::service::{detail, EngineCache};
use malkart::storage::{AuditFilter, Store};
use malkart::Error;

const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/examples");
const TILTAK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tiltak.csv");

fn import(store: &mut Store, kind: ImportKind, path: &Path) -> malkart::import::ImportReport {
    import_file(store, kind, path, false).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The example municipality's units and indicators.
fn examples() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    import(
        &mut store,
        ImportKind::Units,
        &Path::new(EXAMPLES).join("enheter.csv"),
    );
    import(
        &mut store,
        ImportKind::Indicators,
        &Path::new(EXAMPLES).join("indikatorer.csv"),
    );
    store
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn the_example_file_imports_whole_and_a_second_import_changes_nothing() {
    let mut store = examples();
    let report = import(&mut store, ImportKind::Actions, Path::new(TILTAK));
    assert_eq!(
        (report.created, report.changed, report.unchanged),
        (5, 0, 0)
    );
    let again = import(&mut store, ImportKind::Actions, Path::new(TILTAK));
    assert_eq!((again.created, again.changed, again.unchanged), (0, 0, 5));

    let t1 = store.action("T-001").unwrap();
    assert_eq!(t1.indicators, ["SF", "SF-LANG"]);
    assert_eq!((t1.status, t1.progress), (ActionStatus::Pagar, 40));
    assert_eq!(t1.success_factor.as_deref(), Some("Nærværende ledere"));
    let t4 = store.action("T-004").unwrap();
    // 4 250 000,50 kr = 425 000 050 øre, exactly.
    assert_eq!(t4.cost_ore, Some(425_000_050));
    assert_eq!(
        (t4.kind, t4.decision_ref.as_deref()),
        (ActionKind::Investering, Some("KST 88/25"))
    );
    assert_eq!(store.action("T-003").unwrap().kind, ActionKind::Oppdrag);

    // One audit entry per tiltak, from the file; none for the second import.
    let entries = store.audit(&AuditFilter::default()).unwrap();
    let tiltak: Vec<_> = entries.iter().filter(|e| e.entity == "tiltak").collect();
    assert_eq!(tiltak.len(), 5);
    assert!(tiltak
        .iter()
        .all(|e| e.source == "tiltak.csv" && e.old.is_none()));
}

#[test]
fn an_excel_file_with_typed_months_numbers_and_a_cost_imports_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = examples();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let month = rust_xlsxwriter::Format::new().set_num_format("mmm yyyy");
    let written = (|| -> Result<(), rust_xlsxwriter::XlsxError> {
        let header = [
            "kode",
            "tittel",
            "mål",
            "enhet",
            "ansvarlig",
            "frist",
            "start",
            "status",
            "fremdrift",
            "kostnad",
            "indikatorer",
        ];
        for (col, name) in header.iter().enumerate() {
            sheet.write_string(0, col as u16, *name)?;
        }
        sheet.write_string(1, 0, "T-10")?;
        sheet.write_string(1, 1, "Nytt ventilasjonsanlegg")?;
        // The goal in another case than the catalogue's: stored as the catalogue spells it.
        sheet.write_string(1, 2, "gode tjenester")?;
        // A unit code typed as a number, months typed as dates (Excel makes `2026-03` the
        // 1st of March), progress and cost as numbers.
        sheet.write_number(1, 3, 2100.0)?;
        sheet.write_string(1, 4, "Rektor")?;
        sheet.write_datetime_with_format(
            1,
            5,
            rust_xlsxwriter::ExcelDateTime::from_ymd(2027, 8, 1)?,
            &month,
        )?;
        sheet.write_datetime_with_format(
            1,
            6,
            rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 3, 1)?,
            &month,
        )?;
        sheet.write_string(1, 7, "Pågår")?;
        sheet.write_number(1, 8, 15.0)?;
        sheet.write_number(1, 9, 4_250_000.5)?;
        sheet.write_string(1, 10, "BR-TILF, BR-VENT")?;
        Ok(())
    })();
    written.unwrap();
    let path = dir.path().join("tiltak.xlsx");
    book.save(&path).unwrap();
    let report = import(&mut store, ImportKind::Actions, &path);
    assert_eq!(report.created, 1);
    let a = store.action("T-10").unwrap();
    assert_eq!(a.goal, "Gode tjenester");
    assert_eq!(
        (a.start.as_deref(), a.deadline.as_deref()),
        (Some("2026-03"), Some("2027-08"))
    );
    assert_eq!((a.status, a.progress), (ActionStatus::Pagar, 15));
    // 4 250 000,5 kr = 425 000 050 øre.
    assert_eq!(a.cost_ore, Some(425_000_050));
    assert_eq!(a.indicators, ["BR-TILF", "BR-VENT"]);
    // Absent columns (type, vedtak, …) leave a new tiltak at their defaults.
    assert_eq!((a.kind, a.decision_ref), (ActionKind::Tiltak, None));
}

#[test]
fn a_file_with_wrong_lines_is_refused_whole_and_every_line_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = examples();
    let path = write(
        dir.path(),
        "feil.csv",
        "kode;tittel;mål;enhet;ansvarlig;frist;status;fremdrift;start\n\
         T-1;Et godt tiltak;Gode tjenester;2100;Rektor;2026-06;pågår;10;2026-01\n\
         T-2;Ukjent mål;Bedre vær;2100;Rektor;2026-06;pågår;10;2026-01\n\
         T-3;Frist før start;Gode tjenester;2100;Rektor;2026-02;pågår;10;2026-05\n\
         T-4;For mye fremdrift;Gode tjenester;2100;Rektor;2026-06;pågår;120;2026-01\n\
         T-5;Ukjent status;Gode tjenester;2100;Rektor;2026-06;ferdig;10;2026-01\n\
         T-6;Fullført halvveis;Gode tjenester;2100;Rektor;2026-06;fullført;80;2026-01\n",
    );
    let err = import_file(&mut store, ImportKind::Actions, &path, false).unwrap_err();
    let Error::Import(failure) = err else {
        panic!("an import failure, got {err}")
    };
    let named: Vec<(u64, Option<&str>)> = failure
        .errors
        .iter()
        .map(|e| (e.line, e.column.as_deref()))
        .collect();
    assert_eq!(
        named,
        [
            (3, Some("mål")),
            (4, Some("frist")),
            (5, Some("fremdrift")),
            (6, Some("status")),
            (7, Some("fremdrift")),
        ]
    );
    let text = failure.to_string();
    assert!(text.contains("ukjent mål «Bedre vær»"), "{text}");
    assert!(
        text.contains("fristen 2026-02 er før start 2026-05"),
        "{text}"
    );
    assert!(text.contains("ikke 120"), "{text}");
    assert!(text.contains("ukjent status «ferdig»"), "{text}");
    assert!(
        text.contains("et fullført tiltak har fremdrift 100 %, ikke 80 %"),
        "{text}"
    );
    // All or nothing: not even the good first line is stored.
    assert!(store.actions().unwrap().is_empty());
}

/// K with S1 (and A under it) and S2; SF for March 2026: A 100 × (6 + 4) / 100 = 10,0 %,
/// S2 100 × (1 + 1) / 100 = 2,0 %; K (S1 + S2) = 100 × 12 / 200 = 6,0 %. Target 5, red
/// limit 8: A (and S1) red, S2 green, K yellow.
fn municipality() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_in_memory().unwrap();
    for (kind, name, text) in [
        (
            ImportKind::Units,
            "enheter.csv",
            "kode;navn;overordnet\nK;Kommunen;\nS1;Sektor 1;K\nA;Avdeling A;S1\nS2;Sektor 2;K\n",
        ),
        (
            ImportKind::SickLeave,
            "sf.csv",
            "enhet;periode;avtalte_dagsverk;egenmeldt;legemeldt;ansatte\n\
             A;2026-03;100;6;4;30\nS2;2026-03;100;1;1;30\n",
        ),
        (
            ImportKind::Targets,
            "mål.csv",
            "indikator;år;målverdi;rød_grense\nSF;2026;5;8\n",
        ),
    ] {
        let path = write(dir.path(), name, text);
        import(&mut store, kind, &path);
    }
    (dir, store)
}

fn input(code: &str, unit: &str, status: ActionStatus, progress: &str) -> ActionInput {
    ActionInput {
        code: code.into(),
        title: "Nærværsprosjekt".into(),
        description: String::new(),
        goal: "Sykefravær".into(),
        success_factor: String::new(),
        unit: unit.into(),
        responsible: "Avdelingsleder".into(),
        kind: ActionKind::Tiltak,
        decision_ref: String::new(),
        start: "2026-02".into(),
        deadline: "2026-03".into(),
        status,
        progress: progress.into(),
        cost: String::new(),
        indicators: vec!["SF".into()],
    }
}

/// SF's status and flag in the målkart of `unit` for March 2026 (the goal's tiltak and how
/// many are late), with `last_full` the last full month.
fn sf(store: &Store, unit: &str, last_full: Month) -> (Status, bool, u32, u32) {
    sf_in(store, unit, "2026-03", last_full)
}

fn sf_in(store: &Store, unit: &str, period: &str, last_full: Month) -> (Status, bool, u32, u32) {
    let period = Period::parse(period).unwrap();
    let cache = EngineCache::default();
    let engine = cache.engine_for(store, &period, last_full).unwrap();
    let card =
        detail::scorecard(&engine, store, unit, &period, Privacy::masked(5), last_full).unwrap();
    let r = card
        .perspectives
        .iter()
        .flat_map(|p| &p.indicators)
        .find(|r| r.code == "SF")
        .unwrap();
    let goal = card
        .perspectives
        .iter()
        .flat_map(|p| &p.goals)
        .find(|g| g.name == "Sykefravær")
        .unwrap();
    (
        r.status,
        r.red_without_action,
        goal.actions.total,
        goal.actions.late,
    )
}

#[test]
fn red_without_tiltak_appears_and_goes_as_a_tiltak_is_linked_and_completed() {
    let (_dir, mut store) = municipality();
    let march = Month::new(2026, 3).unwrap();
    let november = Month::new(2026, 11).unwrap();
    // A (10,0 %) is red and nothing answers for it; K (6,0 %) is yellow: no flag.
    assert_eq!(sf(&store, "A", november), (Status::Red, true, 0, 0));
    assert_eq!(sf(&store, "K", november).0, Status::Yellow);
    assert!(!sf(&store, "K", november).1);

    // «Nytt tiltak» from the red indicator: an open tiltak on A naming SF.
    actions::save(
        &mut store,
        &input("T-1", "A", ActionStatus::Pagar, "30"),
        true,
    )
    .unwrap();
    // Frist March: the målkart of March is judged at March's end, when the deadline's month
    // has not ended yet — not late. April's is judged in April: late (SF has no April data).
    assert_eq!(sf(&store, "A", november), (Status::Red, false, 1, 0));
    assert_eq!(
        sf_in(&store, "A", "2026-04", november),
        (Status::NoData, false, 1, 1)
    );
    // Looked at in April itself (last full month March) the same; in March (last full
    // month February), April's målkart is judged in March: not late yet.
    assert_eq!(sf_in(&store, "A", "2026-04", march).3, 1);
    let february = Month::new(2026, 2).unwrap();
    assert_eq!(sf_in(&store, "A", "2026-04", february).3, 0);
    // S1 sees its unit's tiltak; S2 does not.
    assert_eq!(sf(&store, "S1", november), (Status::Red, false, 1, 0));
    assert_eq!(sf(&store, "S2", november).2, 0);

    // `fullført` below 100 % is refused, naming the field; nothing changes.
    let err = actions::save(
        &mut store,
        &input("T-1", "A", ActionStatus::Fullfort, "80"),
        false,
    )
    .unwrap_err();
    assert_eq!(err.field(), Some("fremdrift"));
    assert_eq!(store.action("T-1").unwrap().status, ActionStatus::Pagar);
    // Completed at 100 %: the work is over, SF is still red, so the flag is back; a
    // finished tiltak is never late.
    actions::save(
        &mut store,
        &input("T-1", "A", ActionStatus::Fullfort, "100"),
        false,
    )
    .unwrap();
    assert_eq!(sf(&store, "A", november), (Status::Red, true, 1, 0));

    // Creating a code in use is refused; changing an unknown one too.
    let err = actions::save(
        &mut store,
        &input("T-1", "A", ActionStatus::Pagar, "0"),
        true,
    )
    .unwrap_err();
    assert_eq!(err.field(), Some("kode"));
    assert!(matches!(
        actions::save(
            &mut store,
            &input("T-9", "A", ActionStatus::Pagar, "0"),
            false
        ),
        Err(Error::UnknownAction(_))
    ));
    // A deadline before the start and an unknown goal are the store's refusals too.
    let mut early = input("T-2", "A", ActionStatus::Pagar, "0");
    early.deadline = "2026-01".into();
    assert_eq!(
        actions::save(&mut store, &early, true).unwrap_err().field(),
        Some("frist")
    );
    let mut unknown = input("T-2", "A", ActionStatus::Pagar, "0");
    unknown.goal = "Bedre vær".into();
    assert_eq!(
        actions::save(&mut store, &unknown, true)
            .unwrap_err()
            .field(),
        Some("mål")
    );

    // Every change audited: created, then changed (old and new).
    let entries = store.audit(&AuditFilter::default()).unwrap();
    let tiltak: Vec<_> = entries.iter().filter(|e| e.entity == "tiltak").collect();
    assert_eq!(tiltak.len(), 2);
    assert!(tiltak
        .iter()
        .any(|e| e.old.is_some() && e.new.as_deref().unwrap().contains("fullfort")));
}

#[test]
fn the_list_filters_by_status_goal_and_late_and_sorts_by_deadline() {
    let (_dir, mut store) = municipality();
    let november = Month::new(2026, 11).unwrap();
    for (code, unit, status, deadline) in [
        ("T-3", "S2", ActionStatus::IkkeStartet, "2027-02"),
        ("T-1", "A", ActionStatus::Pagar, "2026-03"),
        ("T-2", "S1", ActionStatus::Utsatt, ""),
    ] {
        let mut i = input(code, unit, status, "0");
        i.deadline = deadline.into();
        actions::save(&mut store, &i, true).unwrap();
    }
    let period = Period::parse("2026-10").unwrap();
    let engine = EngineCache::default()
        .engine_for(&store, &period, november)
        .unwrap();
    let list = |filter: &ActionFilter, unit: &str| {
        actions::list(&engine, &store, unit, &period, filter, november)
            .unwrap()
            .lines
            .iter()
            .map(|l| (l.code.clone(), l.late))
            .collect::<Vec<_>>()
    };
    // By deadline; none last. Judged in October: T-1 (March) is late.
    assert_eq!(
        list(&ActionFilter::default(), "K"),
        [
            ("T-1".into(), true),
            ("T-3".into(), false),
            ("T-2".into(), false)
        ]
    );
    assert_eq!(
        list(&ActionFilter::default(), "S1"),
        [("T-1".into(), true), ("T-2".into(), false)]
    );
    let late = ActionFilter {
        late_only: true,
        ..ActionFilter::default()
    };
    assert_eq!(list(&late, "K"), [("T-1".into(), true)]);
    let waiting = ActionFilter {
        status: Some(ActionStatus::IkkeStartet),
        ..ActionFilter::default()
    };
    assert_eq!(list(&waiting, "K"), [("T-3".into(), false)]);
    let other_goal = ActionFilter {
        goal: Some("Økonomi i balanse".into()),
        ..ActionFilter::default()
    };
    assert!(list(&other_goal, "K").is_empty());
}

#[test]
fn status_comments_are_audited_and_refused_in_a_locked_period() {
    let (_dir, mut store) = municipality();
    actions::save(
        &mut store,
        &input("T-1", "A", ActionStatus::Pagar, "30"),
        true,
    )
    .unwrap();
    let t1 = Period::parse("2026-T1").unwrap();
    let c = actions::add_comment(&mut store, "T-1", &t1, "  Godt i gang.  ").unwrap();
    assert_eq!(
        (c.text.as_str(), c.period.as_str()),
        ("Godt i gang.", "2026-T1")
    );
    let c = actions::update_comment(&mut store, c.id, "Godt i gang; evaluert i april.").unwrap();
    // T1's last month is April: locked, the comment can neither be written nor changed.
    store.lock_month(Month::new(2026, 4).unwrap()).unwrap();
    let err = actions::add_comment(&mut store, "T-1", &t1, "For sent").unwrap_err();
    assert!(matches!(err, Error::LockedMonth(_)), "{err}");
    assert!(matches!(
        actions::update_comment(&mut store, c.id, "Endret").unwrap_err(),
        Error::LockedMonth(_)
    ));
    assert!(matches!(
        actions::delete_comment(&mut store, c.id).unwrap_err(),
        Error::LockedMonth(_)
    ));
    // Another period is open; an empty text and an unknown tiltak are refused.
    let may = Period::parse("2026-05").unwrap();
    actions::add_comment(&mut store, "T-1", &may, "Ny plan").unwrap();
    assert_eq!(
        actions::add_comment(&mut store, "T-1", &may, "  ")
            .unwrap_err()
            .field(),
        Some("tekst")
    );
    assert!(matches!(
        actions::add_comment(&mut store, "T-9", &may, "Hei").unwrap_err(),
        Error::UnknownAction(_)
    ));
    assert_eq!(store.action_comments("T-1").unwrap().len(), 2);
    let audited = store
        .audit(&AuditFilter::default())
        .unwrap()
        .into_iter()
        .filter(|e| e.entity == "tiltakskommentar")
        .count();
    // Added, changed, added.
    assert_eq!(audited, 3);
}

#[test]
fn the_report_keeps_each_tiltaks_latest_comment_up_to_the_period() {
    let (_dir, mut store) = municipality();
    let november = Month::new(2026, 11).unwrap();
    actions::save(
        &mut store,
        &input("T-1", "A", ActionStatus::Pagar, "30"),
        true,
    )
    .unwrap();
    for (period, text) in [
        ("2026-02", "Februar"),
        ("2026-04", "April"),
        ("2026-03", "Mars"),
    ] {
        actions::add_comment(&mut store, "T-1", &Period::parse(period).unwrap(), text).unwrap();
    }
    let latest = |period: &str| {
        let period = Period::parse(period).unwrap();
        let engine = EngineCache::default()
            .engine_for(&store, &period, november)
            .unwrap();
        let report = actions::report(&engine, &store, "K", &period, november).unwrap();
        assert_eq!(report.goals.len(), 1);
        assert_eq!(report.goals[0].goal, "Sykefravær");
        report.goals[0].lines[0]
            .last_comment
            .as_ref()
            .map(|c| c.text.clone())
    };
    assert_eq!(latest("2026-01"), None);
    assert_eq!(latest("2026-03").as_deref(), Some("Mars"));
    assert_eq!(latest("2026-K1").as_deref(), Some("Mars"));
    assert_eq!(latest("2026").as_deref(), Some("April"));
}

fn malkart(db: &Path, args: &[&str]) -> (i32, String, String) {
    let out = cargo_bin_cmd!("malkart")
        .env_remove("MALKART_DB")
        .env("MALKART_TODAY", "2026-12-03")
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_command_line_imports_tiltak_and_exports_the_actions_report() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let ex = |name: &str| Path::new(EXAMPLES).join(name).display().to_string();
    assert_eq!(malkart(&db, &["init"]).0, 0);
    for (kind, file) in [
        ("enheter", ex("enheter.csv")),
        ("indikatorer", ex("indikatorer.csv")),
    ] {
        let (code, _, err) = malkart(&db, &["import", kind, &file]);
        assert_eq!(code, 0, "{err}");
    }
    let (code, out, err) = malkart(&db, &["import", "tiltak", TILTAK]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains('5'), "{out}");

    // JSON: the report itself. In 2026-11 (judged in November): T-001 (frist June, pågår)
    // and T-002 (frist September, ikke startet) are late; T-005 (fullført in March) is
    // shown (this year) and not late; T-003 (December) and T-004 (2027) are not late.
    let (code, out, err) = malkart(
        &db,
        &[
            "export", "actions", "--unit", "1000", "--period", "2026-11", "--format", "json",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["judged_in"], "2026-11");
    assert_eq!(report["counts"]["total"], 5);
    assert_eq!(report["counts"]["late"], 2);
    // Only the health sector: T-001 (3100), T-002 (3200), T-003 (3000).
    let (_, out, _) = malkart(
        &db,
        &[
            "export", "actions", "--unit", "3000", "--period", "2026-11", "--format", "json",
        ],
    );
    let health: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(health["counts"]["total"], 3);

    // CSV: the spec's columns; the status as mark and word, late as its own mark.
    let (_, csv, _) = malkart(
        &db,
        &[
            "export", "actions", "--unit", "1000", "--period", "2026-11", "--format", "csv",
        ],
    );
    assert!(
        csv.starts_with("\u{feff}Tiltak;Ansvarlig;Frist;Status;Fremdrift %;Siste kommentar\r\n"),
        "{csv}"
    );
    assert!(
        csv.contains("T-001 Tett oppfølging av sykmeldte;Virksomhet"),
        "{csv}"
    );
    assert!(
        csv.contains(";juni 2026;◐ pågår · ⚠ forsinket;40;"),
        "{csv}"
    );
    assert!(csv.contains(";● fullført;100;"), "{csv}");

    // PDF to a file, read back.
    let pdf = dir.path().join("tiltak.pdf");
    let (code, out, err) = malkart(
        &db,
        &[
            "export",
            "actions",
            "--unit",
            "1000",
            "--period",
            "2026-11",
            "--format",
            "pdf",
            "--out",
            pdf.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Tiltaksrapporten for 1000"), "{out}");
    match std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&pdf)
        .arg("-")
        .output()
    {
        Ok(text) => {
            let text = String::from_utf8(text.stdout).unwrap();
            assert!(text.contains("Tiltak"), "{text}");
            assert!(
                text.contains("Kortere ventetid på hjemmetjenester"),
                "{text}"
            );
            assert!(text.contains("forsinket"), "{text}");
            assert!(text.contains("Side 1 av"), "{text}");
        }
        Err(e) if std::env::var_os("CI").is_none() => eprintln!("HOPPER OVER: pdftotext: {e}"),
        Err(e) => panic!("pdftotext: {e}"),
    }

    // XLSX: a workbook (a zip), written whole.
    let xlsx = dir.path().join("tiltak.xlsx");
    let (code, _, err) = malkart(
        &db,
        &[
            "export",
            "actions",
            "--unit",
            "1000",
            "--period",
            "2026-11",
            "--format",
            "xlsx",
            "--out",
            xlsx.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));

    // The målkart's JSON carries each goal's tiltak.
    let (_, out, _) = malkart(
        &db,
        &[
            "status", "--unit", "1000", "--period", "2026-11", "--format", "json",
        ],
    );
    let card: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(card["actions"]["total"], 5);
    let gode = card["perspectives"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["goals"].as_array().unwrap())
        .find(|g| g["name"] == "Gode tjenester")
        .unwrap();
    // T-002 (late) and T-004.
    assert_eq!(
        (
            gode["actions"]["total"].clone(),
            gode["actions"]["late"].clone()
        ),
        (2.into(), 1.into())
    );

    // A bad kind is named.
    let (code, _, err) = malkart(
        &db,
        &[
            "export", "actions", "--unit", "9999", "--period", "2026-11", "--format", "json",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("ukjent enhet «9999»"), "{err}");
}
