//! The audit log for people on a real SQLite file (`service::audit::rows`): what the store
//! writes comes back in Norwegian words — names, month labels, local time, grouped kroner,
//! only the fields that changed — the rows the app's panel and `malkart audit` show.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

use chrono::FixedOffset;
use malkart::model::{EconomyChange, FieldChange, Unit};
use malkart::period::Period;
use malkart::service::audit::{rows, AuditRow};
use malkart::storage::{AuditFilter, ChangeSet, Store};

fn unit(code: &str, name: &str, parent: Option<&str>) -> Unit {
    Unit {
        code: code.into(),
        name: name.into(),
        parent: parent.map(Into::into),
        level: None,
    }
}

fn economy(actual: i64, budget: FieldChange) -> ChangeSet {
    ChangeSet::Economy(vec![EconomyChange {
        unit: "2110".into(),
        month: Period::parse("2026-11").expect("month").first(),
        budget,
        actual: FieldChange::Set(actual),
        forecast: FieldChange::Keep,
    }])
}

fn log(store: &Store) -> Vec<AuditRow> {
    // Norway in winter: UTC+1.
    let cet = FixedOffset::east_opt(3600).expect("offset");
    rows(store, &AuditFilter::default(), &cet).expect("audit rows")
}

#[test]
fn a_real_log_reads_in_norwegian_words() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("m.db")).expect("open");
    store.set_user("kari");
    store
        .apply(
            &ChangeSet::Units(vec![
                unit("2100", "Helse og omsorg", None),
                unit("2110", "Furulund sykehjem", Some("2100")),
            ]),
            "enheter.csv",
            false,
        )
        .expect("units");
    // Budget 1 618 434,78 kr and actual 1 500 000,00 kr, then only the actual changed to
    // 1 612 000,50 kr (in øre: 161 843 478, 150 000 000, 161 200 050).
    store
        .apply(
            &economy(150_000_000, FieldChange::Set(161_843_478)),
            "regnskap.csv",
            false,
        )
        .expect("economy");
    store
        .apply(&economy(161_200_050, FieldChange::Keep), "manuell", false)
        .expect("economy again");
    let month = Period::parse("2026-11").expect("month").first();
    assert!(store.lock_month(month).expect("lock"));

    let rows = log(&store);
    // Newest first: the lock, the second economy change, the first, the two units.
    let whats: Vec<&str> = rows.iter().map(|r| r.what.as_str()).collect();
    assert_eq!(
        whats,
        ["Låst måned", "Økonomi", "Økonomi", "Enhet", "Enhet"]
    );

    let lock = &rows[0];
    assert_eq!(
        (lock.subject.as_str(), lock.action.as_str()),
        ("november 2026", "låst")
    );
    assert_eq!(lock.user, "kari");
    let labels: Vec<&str> = lock.changes.iter().map(|f| f.label.as_str()).collect();
    assert_eq!(labels, ["Låst av", "Låst"]);
    assert_eq!(lock.changes[0].text, "Låst av: kari");
    // The time is written `dd.mm.åååå kl. tt:mm`, never RFC 3339.
    assert!(
        lock.time.contains(" kl. ") && !lock.time.contains('T'),
        "{}",
        lock.time
    );

    let changed = &rows[1];
    assert_eq!(changed.subject, "2110 Furulund sykehjem · november 2026");
    assert_eq!(changed.action, "endret");
    // Only the actual changed; the budget (kept) is not repeated.
    assert_eq!(
        changed.change_text(),
        "Regnskap: 1 500 000,00 kr → 1 612 000,50 kr"
    );
    assert_eq!(changed.source, "manuell");

    let created = &rows[2];
    assert_eq!(created.action, "opprettet");
    assert_eq!(
        created.change_text(),
        "Budsjett: 1 618 434,78 kr; Regnskap: 1 500 000,00 kr"
    );

    // The unit 2110 names its parent by code and name; the code is the subject, not a field.
    let furulund = rows
        .iter()
        .find(|r| r.subject == "2110 Furulund sykehjem")
        .expect("the unit's entry");
    assert_eq!(
        furulund.change_text(),
        "Navn: Furulund sykehjem; Overordnet enhet: 2100 Helse og omsorg"
    );

    // The unlock's reason is a field of its own.
    assert!(store
        .unlock_month(month, "Rettet regnskap")
        .expect("unlock"));
    let unlock = &log(&store)[0];
    assert_eq!(unlock.action, "låst opp");
    assert!(unlock.change_text().ends_with("; Grunn: Rettet regnskap"));
}
