//! `malkart conflicts` and `malkart resolve` on a real replica file: the replica is made
//! with the core (a pull, local edits, the server's answers as push gives them), then the
//! command line lists and resolves its conflicts (exit 0), and refuses (exit 2, nothing
//! changed) an unknown id, a wrong choice, and «Behold min» for a locked month.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

use std::path::Path;

use assert_cmd::cargo::cargo_bin_cmd;
use malkart::changes::ChangeSet;
use malkart::model::{SickLeave, SickLeaveChange};
use malkart::period::Month;
use malkart::storage::{Changes, Pull, PushAnswer, ReplicaInfo, Store, Theirs};
use serde_json::{json, Value};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn malkart(db: &Path, args: &[&str]) -> Run {
    let out = cargo_bin_cmd!("malkart")
        .env_remove("MALKART_DB")
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn march() -> Month {
    Month::new(2026, 3).unwrap()
}

fn april() -> Month {
    Month::new(2026, 4).unwrap()
}

fn row(unit: &str, month: Month, egenmeldt: f64) -> Value {
    json!({"unit": unit, "month": month.index(), "contracted_days": 400.0,
        "self_certified": egenmeldt, "doctor_certified": 10.0, "employees": 20,
        "version": 7, "cell_versions": {"contracted_days": 7, "self_certified": 7,
        "doctor_certified": 7, "employees": 7}})
}

fn sick(unit: &str, month: Month, egenmeldt: f64) -> SickLeaveChange {
    SickLeaveChange::Set(SickLeave {
        unit: unit.into(),
        month,
        contracted_days: 400.0,
        self_certified: egenmeldt,
        doctor_certified: 10.0,
        employees: Some(20),
        split: None,
    })
}

/// A replica of leder with 3100 and 3200, March and April at 4 egenmeldt (version 7).
/// «fravær.csv» changed egenmeldt of March for both units to 5 (eva had written 6 first:
/// two conflicts in one batch); a grid save changed April of 3100 to 5 (the month was
/// locked meanwhile: `låst`).
fn replica(path: &Path) {
    let mut store = Store::open(path).unwrap();
    store.set_user("leder");
    store
        .make_replica(&ReplicaInfo {
            server_url: "http://127.0.0.1:1".into(),
            user_name: "leder".into(),
            role: "enhetsleder".into(),
            units: vec!["3000".into()],
            ..ReplicaInfo::default()
        })
        .unwrap();
    let object = |v: Value| v.as_object().unwrap().clone();
    let mut changes = Changes::default();
    changes.insert(
        "units",
        ["3100", "3200"]
            .iter()
            .map(|c| {
                object(
                    json!({"code": c, "name": c, "parent": null, "level": "enhet",
                    "sort": 1, "version": 3, "cell_versions": {"name": 3}}),
                )
            })
            .collect(),
    );
    changes.insert(
        "sick_leave",
        vec![
            object(row("3100", march(), 4.0)),
            object(row("3200", march(), 4.0)),
            object(row("3100", april(), 4.0)),
        ],
    );
    store
        .apply_pull(
            &Pull {
                watermark: "100".into(),
                reset: true,
                changes,
                ..Pull::default()
            },
            "2026-05-02T08:00:00+02:00",
        )
        .unwrap();
    store
        .apply(
            &ChangeSet::SickLeave(vec![sick("3100", march(), 5.0), sick("3200", march(), 5.0)]),
            "fravær.csv",
            false,
        )
        .unwrap();
    store
        .apply(
            &ChangeSet::SickLeave(vec![sick("3100", april(), 5.0)]),
            "manuell",
            false,
        )
        .unwrap();
    let ops = store.outbox_to_send(100).unwrap();
    assert_eq!(ops.len(), 3);
    let answers: Vec<PushAnswer> = ops
        .iter()
        .map(|op| {
            if op.key["month"] == json!("2026-04") {
                PushAnswer {
                    op_id: op.op_id.clone(),
                    status: "låst".into(),
                    version: None,
                    theirs: None,
                    reason: Some(
                        "måneden 2026-04 er låst; lås den opp før du endrer tall i den".into(),
                    ),
                }
            } else {
                PushAnswer {
                    op_id: op.op_id.clone(),
                    status: "conflict".into(),
                    version: None,
                    theirs: Some(Theirs {
                        value: json!(6.0),
                        version: Some(9),
                        by: Some("eva".into()),
                        at: Some("2026-05-02T09:00:00+02:00".into()),
                    }),
                    reason: Some("egenmeldt er endret på serveren".into()),
                }
            }
        })
        .collect();
    store.record_push(&answers).unwrap();
}

fn egenmeldt(path: &Path, unit: &str, month: Month) -> f64 {
    let store = Store::open_existing(path).unwrap();
    store
        .sick_leave(month, month)
        .unwrap()
        .into_iter()
        .find(|r| r.unit == unit)
        .unwrap()
        .self_certified
}

#[test]
fn conflicts_are_listed_in_words_and_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("replica.db");
    replica(&db);
    let run = malkart(&db, &["conflicts", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let list: Value = serde_json::from_str(&run.stdout).unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 3);
    let first = &list[0];
    assert_eq!(first["cell"], "sykefravær 3100 2026-03 egenmeldt");
    assert_eq!(first["batch_label"], "fravær.csv");
    assert_eq!(first["kind"], "conflict");
    assert_eq!(
        (&first["base"], &first["mine"], &first["theirs"]),
        (&json!("4.0"), &json!("5.0"), &json!("6.0"))
    );
    assert_eq!(
        (&first["who"], &first["when"]),
        (&json!("eva"), &json!("2026-05-02T09:00:00+02:00"))
    );
    assert_eq!(list[1]["cell"], "sykefravær 3200 2026-03 egenmeldt");
    assert_eq!(list[1]["batch"], first["batch"]);
    assert_eq!(list[2]["kind"], "låst");
    // The server's value of a refused edit: the one it was edited from.
    assert_eq!(list[2]["theirs"], "4.0");

    let run = malkart(&db, &["conflicts"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("Konflikter (3):"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("grunnlag 4 · din 5 · deres 6, endret av eva 2026-05-02T09:00:00+02:00"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("fra «fravær.csv»"), "{}", run.stdout);
}

#[test]
fn a_batch_is_resolved_at_once_and_a_locked_month_refuses_behold_min() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("replica.db");
    replica(&db);
    let list: Value =
        serde_json::from_str(&malkart(&db, &["conflicts", "--format", "json"]).stdout).unwrap();
    let locked = list[2]["id"].as_str().unwrap().to_string();

    // Refused, nothing changed: an unknown id, a wrong choice, «Behold min» on a lock.
    let run = malkart(&db, &["resolve", "finnes-ikke", "mine"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("ingen konflikt med id «finnes-ikke»"),
        "{}",
        run.stderr
    );
    let run = malkart(&db, &["resolve", &locked, "begge"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("«begge» er ikke et valg"),
        "{}",
        run.stderr
    );
    let run = malkart(&db, &["resolve", &locked, "mine"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "«Behold min» går ikke for sykefravær 3100 2026-04 egenmeldt: måneden er låst"
        ),
        "{}",
        run.stderr
    );
    let run = malkart(&db, &["resolve", "--batch", "fravær.csv"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(egenmeldt(&db, "3100", april()), 5.0);
    let after: Value =
        serde_json::from_str(&malkart(&db, &["conflicts", "--format", "json"]).stdout).unwrap();
    assert_eq!(after, list);

    // The import's two conflicts at once, by the file's name.
    let run = malkart(&db, &["resolve", "--batch", "fravær.csv", "theirs"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "2 konflikter løst med «Bruk deres»:\n  \
         sykefravær 3100 2026-03 egenmeldt: deres 6 gjelder (din 5 er forkastet)\n  \
         sykefravær 3200 2026-03 egenmeldt: deres 6 gjelder (din 5 er forkastet)\n"
    );
    assert_eq!(egenmeldt(&db, "3100", march()), 6.0);
    assert_eq!(egenmeldt(&db, "3200", march()), 6.0);
    // The locked month's edit is discarded: the server's 4 is back.
    let run = malkart(&db, &["resolve", &locked, "theirs"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(egenmeldt(&db, "3100", april()), 4.0);
    let run = malkart(&db, &["conflicts"]);
    assert!(run.stdout.starts_with("Ingen konflikter"), "{}", run.stdout);
    // Each resolution is in the audit log.
    let run = malkart(&db, &["audit", "--format", "json"]);
    let audit: Value = serde_json::from_str(&run.stdout).unwrap();
    let resolved: Vec<&Value> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["entity"] == "konflikt")
        .collect();
    assert_eq!(resolved.len(), 3);
    assert!(resolved
        .iter()
        .all(|e| e["reason"].as_str().unwrap().starts_with("Bruk deres")));
}
