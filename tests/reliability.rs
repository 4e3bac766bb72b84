//! Databases, files and messages under stress (issue 10): a backup never replaces a file
//! unasked and never copies a damaged database; two first opens at once both succeed; busy,
//! read-only, full and missing databases are explained in Norwegian, without SQL; no command
//! but `init` creates a database; nothing is left behind by a refused or killed operation.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Barrier};

use malkart::model::Unit;
use malkart::period::Month;
use malkart::storage::{ChangeSet, Store};
use malkart::Error;
use tempfile::TempDir;

// --- helpers --------------------------------------------------------------------------------

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(mut cmd: Command) -> Run {
    let out = cmd.output().unwrap_or_else(|e| panic!("malkart ran: {e}"));
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn malkart_cmd(db: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_malkart"));
    cmd.env_remove("MALKART_DB")
        .env_remove("MALKART_BUSY_TIMEOUT_MS")
        .arg("--db")
        .arg(db)
        .args(args);
    cmd
}

fn malkart(db: &Path, args: &[&str]) -> Run {
    run(malkart_cmd(db, args))
}

fn ok(r: &Run) -> &Run {
    assert_eq!(r.code, 0, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    r
}

/// Fails with `code`; the message is Norwegian (`feil: …`), contains every needle and none
/// of SQLite's or the OS's English.
fn fails<'a>(r: &'a Run, code: i32, needles: &[&str]) -> &'a Run {
    assert_eq!(r.code, code, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    assert!(r.stderr.starts_with("feil: "), "stderr: {}", r.stderr);
    for needle in needles {
        assert!(r.stderr.contains(needle), "«{needle}» not in: {}", r.stderr);
    }
    for english in [
        "database is locked",
        "readonly",
        "disk is full",
        "malformed",
        "unable to open",
        "os error",
        "No such file",
        "invalid digit",
        "CREATE",
        "error:",
    ] {
        assert!(!r.stderr.contains(english), "«{english}» in: {}", r.stderr);
    }
    r
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| {
            e.unwrap_or_else(|e| panic!("{e}"))
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// A database with the small demo, in DELETE journal mode so that the file alone holds it.
fn demo_db(dir: &Path, name: &str) -> PathBuf {
    let db = dir.join(name);
    ok(&malkart(&db, &["init", "--demo"]));
    let conn = rusqlite::Connection::open(&db).unwrap_or_else(|e| panic!("{e}"));
    let _: String = conn
        .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
        .unwrap_or_else(|e| panic!("{e}"));
    db
}

fn is_root() -> bool {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Uid:"))
                .and_then(|ids| ids.split_whitespace().nth(1).map(|e| e == "0"))
        })
        .unwrap_or(false)
}

/// A small tmpfs mounted for one test, unmounted when dropped (also when the test fails).
struct Tmpfs {
    dir: TempDir,
}

impl Tmpfs {
    /// `None` (with the reason printed) when not root or when mounting is not allowed.
    fn mount(size: &str) -> Option<Tmpfs> {
        if !is_root() {
            eprintln!("hoppet over: mounting a tmpfs needs root");
            return None;
        }
        let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .status();
        match status {
            Ok(s) if s.success() => Some(Tmpfs { dir }),
            other => {
                eprintln!("hoppet over: mount -t tmpfs failed ({other:?})");
                None
            }
        }
    }
    fn path(&self) -> &Path {
        self.dir.path()
    }
    fn remount_read_only(&self) {
        let s = Command::new("mount")
            .args(["-o", "remount,ro"])
            .arg(self.path())
            .status()
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(s.success(), "remount read-only");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let done = Command::new("umount")
            .arg(self.dir.path())
            .status()
            .is_ok_and(|s| s.success());
        if !done {
            let _ = Command::new("umount")
                .arg("-l")
                .arg(self.dir.path())
                .status();
        }
    }
}

/// Fills the file system of `dir` to the last byte with one file.
fn fill(dir: &Path) -> PathBuf {
    use std::io::Write;
    let path = dir.join("fyll");
    let mut file = fs::File::create(&path).unwrap_or_else(|e| panic!("{e}"));
    let block = vec![0u8; 4096];
    while file.write_all(&block).is_ok() {}
    // Whatever part of a block still fits.
    while file.write_all(&[0u8]).is_ok() {}
    let _ = file.sync_all();
    path
}

/// The id of a process that has ended.
fn dead_pid() -> u32 {
    let mut child = Command::new("true")
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let id = child.id();
    child.wait().unwrap_or_else(|e| panic!("{e}"));
    id
}

// --- 1. a backup never replaces a file unasked -----------------------------------------------

#[test]
fn backup_refuses_an_existing_file_and_with_overwrite_keeps_the_old_one_beside_it() {
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let db = demo_db(dir.path(), "demo.db");
    let target = dir.path().join("viktig.db");
    let precious = b"et viktig dokument som ikke er en database".to_vec();
    fs::write(&target, &precious).unwrap_or_else(|e| panic!("{e}"));
    let before = names(dir.path());

    let r = malkart(&db, &["backup", &target.to_string_lossy()]);
    fails(&r, 2, &["viktig.db", "finnes allerede", "--overwrite"]);
    assert_eq!(fs::read(&target).unwrap_or_default(), precious);
    assert_eq!(names(dir.path()), before, "nothing written beside it");

    let r = malkart(&db, &["backup", "--overwrite", &target.to_string_lossy()]);
    ok(&r);
    let kept: Vec<String> = names(dir.path())
        .into_iter()
        .filter(|n| n.starts_with("viktig.db.før-overskriving-"))
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert!(r.stdout.contains(&kept[0]), "{}", r.stdout);
    assert_eq!(
        fs::read(dir.path().join(&kept[0])).unwrap_or_default(),
        precious
    );
    // The copy is a whole Målkart database, and the kept file the only other new name.
    ok(&malkart(&target, &["check"]));
    let mut expected = before.clone();
    expected.insert(kept[0].clone());
    assert_eq!(names(dir.path()), expected);
}

#[test]
fn the_core_backup_takes_the_overwrite_flag() {
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let store = Store::open(&dir.path().join("a.db")).unwrap_or_else(|e| panic!("{e}"));
    let copy = dir.path().join("kopi.db");
    assert_eq!(
        store
            .backup_to(&copy, false)
            .unwrap_or_else(|e| panic!("{e}")),
        None
    );
    let err = store.backup_to(&copy, false).expect_err("exists");
    assert!(matches!(err, Error::TargetExists { .. }), "{err:?}");
    assert_eq!((err.exit_code(), err.kind()), (2, "exists"));
    let kept = store
        .backup_to(&copy, true)
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("the old copy is kept"));
    assert!(kept.is_file() && copy.is_file());
}

// --- 6. two first opens at once -----------------------------------------------------------------

#[test]
fn two_threads_opening_a_new_database_at_once_both_succeed_twenty_times() {
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    for round in 0..20 {
        let path = dir.path().join(format!("ny-{round}.db"));
        let start = Arc::new(Barrier::new(2));
        let opens: Vec<_> = (0..2)
            .map(|_| {
                let (path, start) = (path.clone(), Arc::clone(&start));
                std::thread::spawn(move || {
                    start.wait();
                    Store::open(&path).map(|s| s.units().map(|u| u.len()))
                })
            })
            .collect();
        for open in opens {
            let result = open.join().unwrap_or_else(|_| panic!("thread panicked"));
            match result {
                Ok(Ok(0)) => {}
                other => panic!("round {round}: {other:?}"),
            }
        }
        let store = Store::open_existing(&path).unwrap_or_else(|e| panic!("{e}"));
        let report = store.check().unwrap_or_else(|e| panic!("{e}"));
        assert!(report.ok, "round {round}: {:?}", report.integrity);
    }
}

#[test]
fn two_processes_initialising_a_new_database_at_once_both_succeed_twenty_times() {
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    for round in 0..20 {
        let db = dir.path().join(format!("ny-{round}.db"));
        let children: Vec<_> = (0..2)
            .map(|_| {
                malkart_cmd(&db, &["init"])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap_or_else(|e| panic!("{e}"))
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
            assert!(
                out.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        ok(&malkart(&db, &["check"]));
    }
}

#[test]
fn a_failing_migration_says_so_in_norwegian_without_its_sql() {
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("rar.db");
    // A file at schema 0 that already has a table the first migration creates.
    rusqlite::Connection::open(&db)
        .and_then(|c| c.execute_batch("CREATE TABLE meta (x);"))
        .unwrap_or_else(|e| panic!("{e}"));
    let r = malkart(&db, &["check"]);
    fails(
        &r,
        1,
        &["kunne ikke oppgraderes til skjemaversjon 1", "ikke endret"],
    );
    assert!(r.stderr.len() < 400, "{}", r.stderr);
    // The migration ran in one transaction: nothing of it stayed.
    let conn = rusqlite::Connection::open(&db).unwrap_or_else(|e| panic!("{e}"));
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |r| r.get(0),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(tables, 1);
}

// --- 7. a damaged database is not backed up ----------------------------------------------------

#[test]
fn a_backup_of_a_database_with_a_zeroed_page_is_refused_and_leaves_no_file() {
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let db = demo_db(dir.path(), "skadet.db");
    let mut bytes = fs::read(&db).unwrap_or_else(|e| panic!("{e}"));
    // The page size is bytes 16–17 of the header; zero the page in the middle of the file.
    let page = usize::from(u16::from_be_bytes([bytes[16], bytes[17]]));
    let pages = bytes.len() / page;
    assert!(pages > 10, "{pages} pages");
    let middle = pages / 2;
    bytes[middle * page..(middle + 1) * page].fill(0);
    fs::write(&db, bytes).unwrap_or_else(|e| panic!("{e}"));

    let out = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let target = out.path().join("kopi.db");
    let r = malkart(&db, &["backup", &target.to_string_lossy()]);
    fails(
        &r,
        1,
        &["skadet.db", "er skadet", "sikkerhetskopien er ikke tatt"],
    );
    assert_eq!(names(out.path()), set(&[]), "no copy, no temporary file");
}

// --- 8. busy, read-only, full, arguments and paths in Norwegian ---------------------------------

#[test]
fn a_write_while_another_process_holds_the_write_lock_is_told_to_try_again() {
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("opptatt.db");
    ok(&malkart(&db, &["init"]));
    let mut holder = rusqlite::Connection::open(&db).unwrap_or_else(|e| panic!("{e}"));
    // This connection holds the write lock until it is dropped at the end of the test, so
    // every write of the command waits out its whole busy timeout.
    let tx = holder
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut cmd = malkart_cmd(&db, &["lock", "2026-01"]);
    cmd.env("MALKART_BUSY_TIMEOUT_MS", "200");
    let r = run(cmd);
    fails(
        &r,
        1,
        &[
            "opptatt.db",
            "en annen prosess skriver til databasen",
            "prøv igjen om litt",
        ],
    );
    // Reading is not held up by a writer.
    ok(&malkart(&db, &["check"]));
    tx.rollback().unwrap_or_else(|e| panic!("{e}"));
    ok(&malkart(&db, &["lock", "2026-01"]));
}

#[test]
fn the_busy_error_of_the_core_has_its_own_kind() {
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("opptatt.db");
    let mut store = Store::open(&path).unwrap_or_else(|e| panic!("{e}"));
    store
        .set_busy_timeout(std::time::Duration::from_millis(50))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut holder = rusqlite::Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let tx = holder
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .unwrap_or_else(|e| panic!("{e}"));
    let month = Month::new(2026, 1).unwrap_or_else(|| panic!());
    let err = store.lock_month(month).expect_err("busy");
    assert_eq!(err.kind(), "busy");
    assert!(
        err.to_string()
            .contains("en annen prosess skriver til databasen; prøv igjen om litt"),
        "{err}"
    );
    drop(tx);
    assert!(store.lock_month(month).unwrap_or_else(|e| panic!("{e}")));
}

/// Runs `malkart` as the user `nobody` (root ignores file permissions), or as this user
/// when it is not root.
fn as_unprivileged(db: &Path, args: &[&str]) -> Option<Run> {
    if !is_root() {
        return Some(malkart(db, args));
    }
    if Command::new("setpriv").arg("--help").output().is_err() {
        eprintln!("hoppet over: setpriv is needed to run as another user than root");
        return None;
    }
    let mut cmd = Command::new("setpriv");
    cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_malkart"))
        .env_remove("MALKART_DB")
        .arg("--db")
        .arg(db)
        .args(args);
    Some(run(cmd))
}

#[test]
fn a_read_only_file_is_read_without_leaving_files_and_a_write_is_refused_in_norwegian() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("les.db");
    ok(&malkart(&db, &["init"]));
    assert_eq!(names(dir.path()), set(&["les.db"]));
    let set_mode = |p: &Path, mode: u32| {
        fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap_or_else(|e| panic!("{e}"))
    };
    // The folder stays writable: only the file is protected.
    set_mode(dir.path(), 0o777);
    set_mode(&db, 0o444);
    let bytes = fs::read(&db).unwrap_or_else(|e| panic!("{e}"));

    let Some(r) = as_unprivileged(&db, &["check"]) else {
        return;
    };
    ok(&r);
    let Some(r) = as_unprivileged(&db, &["lock", "2026-01"]) else {
        return;
    };
    fails(&r, 1, &["les.db", "skrivebeskyttet", "skrivetilgang"]);
    assert_eq!(fs::read(&db).unwrap_or_default(), bytes);
    assert_eq!(names(dir.path()), set(&["les.db"]), "no -wal or -shm left");
}

#[test]
fn a_database_on_a_read_only_disk_is_read_and_a_write_refused_in_norwegian() {
    let Some(disk) = Tmpfs::mount("4m") else {
        return;
    };
    let db = disk.path().join("ro.db");
    ok(&malkart(&db, &["init"]));
    disk.remount_read_only();
    ok(&malkart(&db, &["check"]));
    let r = malkart(&db, &["lock", "2026-01"]);
    fails(&r, 1, &["ro.db", "skrivebeskyttet"]);
    assert_eq!(names(disk.path()), set(&["ro.db"]));
}

#[test]
fn a_full_disk_refuses_the_write_in_norwegian_and_the_database_stays_whole() {
    let Some(disk) = Tmpfs::mount("4m") else {
        return;
    };
    let path = disk.path().join("full.db");
    let mut store = Store::open(&path).unwrap_or_else(|e| panic!("{e}"));
    let unit = |code: String, parent: Option<&str>| Unit {
        name: format!("Enhet {code} med et langt navn som tar plass på disken"),
        code,
        parent: parent.map(str::to_string),
        level: None,
    };
    store
        .apply(
            &ChangeSet::Units(vec![unit("1000".into(), None)]),
            "e.csv",
            false,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let filler = fill(disk.path());
    // Far more rows than fit in what is left of the WAL's last block.
    let many: Vec<Unit> = (2000..7000)
        .map(|c| unit(c.to_string(), Some("1000")))
        .collect();
    let err = store
        .apply(&ChangeSet::Units(many), "e.csv", false)
        .map(|_| ());
    let err = err.expect_err("the disk is full");
    let message = err.at(&path).to_string();
    assert!(message.contains("disken er full"), "{message}");
    assert!(message.contains("full.db"), "{message}");
    assert!(!message.contains("disk is full"), "{message}");
    fs::remove_file(filler).unwrap_or_else(|e| panic!("{e}"));
    let report = store.check().unwrap_or_else(|e| panic!("{e}"));
    assert!(report.ok, "{:?}", report.integrity);
    drop(store);
}

#[test]
fn a_backup_onto_a_full_disk_is_refused_in_norwegian_and_leaves_no_partial_copy() {
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let db = demo_db(dir.path(), "demo.db");
    let Some(disk) = Tmpfs::mount("1m") else {
        return;
    };
    fill(disk.path());
    let target = disk.path().join("kopi.db");
    let r = malkart(&db, &["backup", &target.to_string_lossy()]);
    fails(&r, 1, &["disken er full", "kopi.db"]);
    assert_eq!(names(disk.path()), set(&["fyll"]));
}

#[test]
fn argument_and_path_errors_are_norwegian_and_say_what_to_do() {
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let db = demo_db(dir.path(), "demo.db");
    let export = |extra: &[&str]| {
        let mut args = vec![
            "export",
            "sick-leave",
            "--unit",
            "1000",
            "--period",
            "2025",
            "--format",
            "csv",
        ];
        args.extend_from_slice(extra);
        malkart(&db, &args)
    };
    let r = export(&["--min-employees", "abc"]);
    fails(
        &r,
        2,
        &[
            "«abc» er ikke en gyldig verdi for --min-employees",
            "helt tall",
        ],
    );
    let r = export(&["--min-employees", "99999999999"]);
    fails(&r, 2, &["for stort"]);

    let missing = dir.path().join("finnes-ikke").join("r.csv");
    let r = export(&["--out", &missing.to_string_lossy()]);
    fails(&r, 1, &["mappen", "finnes-ikke", "finnes ikke", "opprett"]);
    let r = export(&["--out", &dir.path().to_string_lossy()]);
    fails(&r, 1, &["er en mappe", "oppgi et filnavn"]);
    let r = malkart(&db, &["backup", &dir.path().to_string_lossy()]);
    fails(&r, 1, &["er en mappe", "oppgi et filnavn"]);
    let r = malkart(&db, &["backup", &missing.to_string_lossy()]);
    fails(&r, 1, &["mappen", "finnes ikke"]);
    assert!(!missing.parent().unwrap_or(dir.path()).exists());
}

#[test]
fn every_sqlite_error_a_user_can_meet_is_norwegian_and_carries_no_english() {
    use rusqlite::ffi;
    let cases = [
        (ffi::SQLITE_BUSY, "en annen prosess skriver til databasen"),
        (ffi::SQLITE_LOCKED, "en annen prosess skriver til databasen"),
        (ffi::SQLITE_READONLY, "skrivebeskyttet"),
        (ffi::SQLITE_FULL, "disken er full"),
        (ffi::SQLITE_CORRUPT, "er skadet"),
        (ffi::SQLITE_NOTADB, "ikke en Målkart-database"),
        (ffi::SQLITE_CANTOPEN, "kan ikke åpnes"),
        (ffi::SQLITE_IOERR, "lese- eller skrivefeil"),
        (ffi::SQLITE_PERM, "ingen tilgang"),
        (ffi::SQLITE_CONSTRAINT, "uventet feil"),
    ];
    for (code, needle) in cases {
        let source = rusqlite::Error::SqliteFailure(
            ffi::Error::new(code),
            Some("english words from sqlite".to_string()),
        );
        let err = Error::from(source).at(Path::new("/data/malkart.db"));
        let text = err.to_string();
        assert!(text.contains(needle), "{code}: {text}");
        assert!(text.contains("/data/malkart.db"), "{code}: {text}");
        assert!(!text.contains("english"), "{code}: {text}");
    }
}

// --- 9. nothing left behind ------------------------------------------------------------------

#[test]
fn stale_temporary_files_of_ended_processes_are_removed_on_open_and_others_kept() {
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("malkart.db");
    ok(&malkart(&db, &["init"]));
    let dead = dead_pid();
    let mut alive = Command::new("cat")
        .stdin(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let live = alive.id();
    let stale = [
        format!(".malkart.db.gjenoppretting-{dead}.malkart-tmp"),
        format!(".malkart.db.gjenoppretting-{dead}.malkart-tmp-journal"),
        format!(".kopi.db.sikkerhetskopi-{dead}.malkart-tmp"),
        format!(".kopi.db.sikkerhetskopi-{dead}.malkart-tmp-wal"),
        // The name restore used before.
        format!("malkart.db.gjenoppretting-{dead}"),
    ];
    let kept = [
        format!(".malkart.db.gjenoppretting-{live}.malkart-tmp"),
        "kommune.sikkerhetskopi-2025".to_string(),
        format!("annen.db.gjenoppretting-{dead}"),
        "malkart.db.før-gjenoppretting-20261201-101500".to_string(),
    ];
    for name in stale.iter().chain(&kept) {
        fs::write(dir.path().join(name), b"x").unwrap_or_else(|e| panic!("{e}"));
    }
    ok(&malkart(&db, &["check"]));
    let mut expected: BTreeSet<String> = kept.iter().cloned().collect();
    expected.insert("malkart.db".to_string());
    assert_eq!(names(dir.path()), expected);
    drop(alive.stdin.take());
    alive.wait().unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn a_refused_newer_database_in_wal_mode_gets_no_wal_or_shm_beside_it() {
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("nyere.db");
    ok(&malkart(&db, &["init"]));
    rusqlite::Connection::open(&db)
        .and_then(|c| c.pragma_update(None, "user_version", 999))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(names(dir.path()), set(&["nyere.db"]));
    fails(
        &malkart(&db, &["status", "--unit", "1000", "--period", "2026"]),
        1,
        &["nyere versjon"],
    );
    fails(&malkart(&db, &["check"]), 1, &["nyere versjon"]);
    assert_eq!(names(dir.path()), set(&["nyere.db"]));
}

// --- 10. only init creates a database ------------------------------------------------------------

#[test]
fn no_command_but_init_creates_a_database_or_its_folder() {
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let folder = dir.path().join("ny-mappe");
    let db = folder.join("malkart.db");
    let file = dir.path().join("e.csv");
    fs::write(&file, "kode;navn;overordnet;nivå\n1000;K;;kommune\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let copy = dir.path().join("kopi.db");
    let commands: [&[&str]; 8] = [
        &["status", "--unit", "1000", "--period", "2026"],
        &["check"],
        &[
            "export", "economy", "--unit", "1000", "--period", "2026", "--format", "json",
        ],
        &["lock", "2026-01"],
        &["unlock", "2026-01", "--reason", "feil"],
        &["import", "enheter", &file.to_string_lossy()],
        &["backup", &copy.to_string_lossy()],
        &["bench", "--period", "2026"],
    ];
    for args in commands {
        let r = malkart(&db, args);
        fails(&r, 2, &["malkart.db", "finnes ikke", "malkart init"]);
        assert!(!folder.exists(), "{args:?} created {}", folder.display());
    }
    assert!(!copy.exists());
    ok(&malkart(&db, &["init"]));
    assert!(db.is_file());
    ok(&malkart(&db, &["check"]));
}

#[test]
fn the_core_opens_an_existing_database_only_when_asked_to() {
    let dir = TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("a").join("malkart.db");
    let err = Store::open_existing(&path).expect_err("missing");
    assert!(matches!(err, Error::NoDatabase { .. }), "{err:?}");
    assert_eq!((err.exit_code(), err.kind()), (2, "no_database"));
    assert!(!dir.path().join("a").exists());
    drop(Store::open(&path).unwrap_or_else(|e| panic!("{e}")));
    drop(Store::open_existing(&path).unwrap_or_else(|e| panic!("{e}")));
}
