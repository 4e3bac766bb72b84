//! A killed import leaves the database whole: `malkart import` of a 300 000-row file is
//! SIGKILLed after several delays (before, during and after its write transaction), and each
//! time `malkart check` passes and the measurements are either all there or none of them.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test
#![cfg(unix)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

const ROWS: usize = 300_000;

fn malkart(db: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_malkart"));
    cmd.env_remove("MALKART_DB")
        .arg("--db")
        .arg(db)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

fn ok(mut cmd: Command) -> String {
    let out = cmd
        .stdout(Stdio::piped())
        .output()
        .unwrap_or_else(|e| panic!("malkart ran: {e}"));
    assert!(
        out.status.success(),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn measurement_count(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap_or_else(|e| panic!("{e}"));
    conn.query_row("SELECT count(*) FROM measurements", [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// 300 000 new monthly figures for the medium demo's units, in months long before its
/// window (2000-01 onwards), so that every row creates a measurement.
fn big_file(dir: &Path, db: &Path) -> PathBuf {
    let conn = rusqlite::Connection::open(db).unwrap_or_else(|e| panic!("{e}"));
    let mut stmt = conn
        .prepare("SELECT code FROM units ORDER BY code")
        .unwrap_or_else(|e| panic!("{e}"));
    let units: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .and_then(|rows| rows.collect())
        .unwrap_or_else(|e| panic!("{e}"));
    // Monthly indicators of the demo: two with a value, three with a ratio.
    let indicators = [
        ("BR-VENT", false),
        ("LS-UTL", false),
        ("FIN-FAKT", true),
        ("OR-OVT", true),
        ("OR-VIK", true),
    ];
    let mut text = String::with_capacity(ROWS * 40);
    text.push_str("indikator;enhet;periode;verdi;teller;nevner\n");
    let mut n = 0;
    'fill: for month in 0.. {
        let period = format!("{}-{:02}", 2000 + month / 12, month % 12 + 1);
        for unit in &units {
            for (code, ratio) in indicators {
                if n == ROWS {
                    break 'fill;
                }
                if ratio {
                    let _ = writeln!(
                        text,
                        "{code};{unit};{period};;{};{}",
                        40 + n % 50,
                        100 + n % 7
                    );
                } else {
                    let _ = writeln!(text, "{code};{unit};{period};{},{};;", n % 90, n % 10);
                }
                n += 1;
            }
        }
    }
    let path = dir.join("store-målinger.csv");
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    path
}

#[test]
fn a_killed_import_leaves_all_or_nothing_and_a_sound_database() {
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let base = dir.path().join("base.db");
    let mut init = malkart(&base);
    init.args(["init", "--demo", "--size", "medium"]);
    ok(init);
    let before = measurement_count(&base);
    let file = big_file(dir.path(), &base);

    // First an import left alone: it stores every row, and its duration places the kills.
    let db = dir.path().join("whole.db");
    let mut backup = malkart(&base);
    backup.arg("backup").arg(&db);
    ok(backup);
    let t = Instant::now();
    let mut import = malkart(&db);
    import.arg("import").arg("målinger").arg(&file);
    ok(import);
    let whole = t.elapsed();
    assert_eq!(measurement_count(&db), before + ROWS as i64);

    // Fixed delays, and late fractions of the whole import that fall in its write
    // transaction however fast this build is.
    let mut delays: Vec<Duration> = [50u64, 200, 500, 1000, 2000]
        .iter()
        .map(|&ms| Duration::from_millis(ms))
        .collect();
    delays.extend(
        [0.6, 0.75, 0.85, 0.92, 0.97]
            .iter()
            .map(|f| whole.mul_f64(*f)),
    );
    let mut outcomes = vec![format!("a whole import of {ROWS} rows took {whole:?}")];
    for (i, delay) in delays.into_iter().enumerate() {
        // A consistent copy of the demo for each attempt.
        let db = dir.path().join(format!("kill-{i}.db"));
        let mut backup = malkart(&base);
        backup.arg("backup").arg(&db);
        ok(backup);

        let mut import = malkart(&db);
        import.arg("import").arg("målinger").arg(&file);
        let mut child = import.spawn().unwrap_or_else(|e| panic!("spawn: {e}"));
        std::thread::sleep(delay);
        let finished_first = child.try_wait().unwrap_or_else(|e| panic!("{e}")).is_some();
        // `kill` is SIGKILL on unix: no destructor, no rollback by the process itself.
        let _ = child.kill();
        let _ = child.wait();

        let mut check = malkart(&db);
        check.arg("check");
        let report = ok(check);
        assert!(report.contains("Integritet: ok"), "{report}");
        let after = measurement_count(&db);
        assert!(
            after == before || after == before + ROWS as i64,
            "after a kill at {delay:?}: {after} measurements, expected {before} or {}",
            before + ROWS as i64
        );
        outcomes.push(format!(
            "killed at {delay:?}: {}",
            if finished_first {
                "the import had finished"
            } else if after == before {
                "nothing stored"
            } else {
                "everything stored"
            }
        ));
    }
    eprintln!("{}", outcomes.join("\n"));
}
