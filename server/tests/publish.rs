//! Publish end to end (sharing.md §5; docs/sharing-design.md §3 "Publish"): a real
//! single-user database made by the core (the demo municipality, a comment, a lock, a
//! setting), read table by table as the desktop reads it, sent to the real
//! `malkart-server` on a throwaway PostgreSQL cluster, and pulled back by every role.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::{cli, stderr, Cluster, Server};
use malkart::demo::DemoSize;
use malkart::period::{Month, Period};
use malkart::storage::Store;
use serde_json::{json, Map, Value};

const T0: &str = "2026-11-15T10:00:00Z";
const PASSWORD: &str = "riktig hest batteri";
const TABLES: [&str; 12] = [
    "perspectives",
    "units",
    "indicators",
    "targets",
    "measurements",
    "sick_leave",
    "economy",
    "comments",
    "actions",
    "action_comments",
    "locked_months",
    "settings",
];

/// An empty server (schema only) with ada (administrator) and eva (økonom).
fn ready() -> Option<(Cluster, Server, std::path::PathBuf)> {
    let cluster = Cluster::start()?;
    let config = cluster.config("");
    let c = config.to_str().unwrap();
    let out = cli(&["init", "--config", c], "", T0);
    assert!(out.status.success(), "init: {}", stderr(&out));
    add_user(&config, &["ada", "--role", "administrator"]);
    add_user(&config, &["eva", "--role", "økonom"]);
    let server = Server::start(&config, T0);
    Some((cluster, server, config))
}

fn add_user(config: &Path, args: &[&str]) {
    let mut all = vec!["add-user"];
    all.extend(args);
    all.extend(["--config", config.to_str().unwrap()]);
    let out = cli(&all, &format!("{PASSWORD}\n"), T0);
    assert!(out.status.success(), "{}", stderr(&out));
}

fn token(server: &Server, user: &str) -> String {
    let response = server.login(user, PASSWORD);
    assert_eq!(response.status, 200, "{}", response.body);
    response.json()["token"].as_str().unwrap().to_string()
}

/// A single-user database as the app makes it: the demo of `size` through October 2026,
/// a comment, January 2026 locked, and the masking minimum set to 3.
fn local_database(dir: &Path, size: DemoSize) -> std::path::PathBuf {
    let path = dir.join("lokal.db");
    let mut store = Store::open(&path).unwrap();
    let through = Month::new(2026, 10).unwrap();
    malkart::service::admin::load_demo(&mut store, size, through).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let unit: String = conn
        .query_row(
            "SELECT code FROM units WHERE parent IS NOT NULL ORDER BY sort LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    drop(conn);
    malkart::service::admin::add_comment(
        &mut store,
        "SF",
        &unit,
        &Period::parse("2026-03").unwrap(),
        "Mange syke i mars",
    )
    .unwrap();
    store.lock_month(Month::new(2026, 1).unwrap()).unwrap();
    store.set_min_employees(3).unwrap();
    path
}

/// Every row of a SQLite table as JSON objects with its column names.
fn sqlite_rows(conn: &rusqlite::Connection, sql: &str) -> Vec<Map<String, Value>> {
    let mut stmt = conn.prepare(sql).unwrap();
    let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
    stmt.query_map([], |r| {
        let mut row = Map::new();
        for (i, name) in names.iter().enumerate() {
            let v = match r.get_ref(i)? {
                rusqlite::types::ValueRef::Null => Value::Null,
                rusqlite::types::ValueRef::Integer(n) => json!(n),
                rusqlite::types::ValueRef::Real(x) => json!(x),
                rusqlite::types::ValueRef::Text(t) => json!(String::from_utf8_lossy(t)),
                rusqlite::types::ValueRef::Blob(_) => panic!("a blob in {sql}"),
            };
            row.insert(name.clone(), v);
        }
        Ok(row)
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

/// The publish request for a local database, as the desktop builds it (design §6).
fn publish_body(path: &Path) -> Value {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut tables = Map::new();
    for table in TABLES {
        let mut rows = sqlite_rows(&conn, &format!("SELECT * FROM {table}"));
        // A target's reference series is never sent: the desktop refuses to publish a
        // relative target (sharing does not carry surveys yet).
        for row in &mut rows {
            row.remove("reference");
        }
        tables.insert(table.to_string(), json!(rows));
    }
    let batches = sqlite_rows(
        &conn,
        "SELECT id, uid, at, user, source FROM audit_batches ORDER BY id",
    );
    let audit: Vec<Value> = batches
        .iter()
        .map(|b| {
            let entries = sqlite_rows(
                &conn,
                &format!(
                    "SELECT entity, key, indicator, unit, period, old, new, reason FROM audit
                     WHERE batch = {} ORDER BY id",
                    b["id"]
                ),
            );
            json!({ "uid": b["uid"], "at": b["at"], "user": b["user"], "source": b["source"],
                    "entries": entries })
        })
        .collect();
    json!({ "device": "testmaskin", "tables": tables, "audit": audit })
}

/// A row as both sides mean it: no SQLite-only id nor sync columns, booleans as booleans,
/// numbers as f64, times as UTC instants.
fn normal(table: &str, row: &Map<String, Value>) -> Value {
    let mut out = BTreeMap::new();
    for (k, v) in row {
        if ["id", "version", "cell_versions"].contains(&k.as_str()) {
            continue;
        }
        let v = match (k.as_str(), v) {
            ("builtin", Value::Number(n)) => json!(n.as_i64() == Some(1)),
            ("created_at" | "updated_at" | "locked_at", Value::String(s)) => {
                json!(chrono::DateTime::parse_from_rfc3339(s)
                    .unwrap()
                    .with_timezone(&chrono::Utc)
                    .to_rfc3339())
            }
            (_, Value::Number(n)) => json!(n.as_f64().unwrap()),
            _ => v.clone(),
        };
        out.insert(k.clone(), v);
    }
    let _ = table;
    json!(out)
}

fn normal_set(table: &str, rows: &[Value]) -> BTreeSet<String> {
    rows.iter()
        .map(|r| normal(table, r.as_object().unwrap()).to_string())
        .collect()
}

fn pull(server: &Server, token: &str) -> Value {
    let response = server.get("/api/v1/pull", Some(token));
    assert_eq!(response.status, 200, "{}", response.body);
    let mut v = response.json();
    v.as_object_mut().unwrap().remove("watermark");
    v
}

fn publish(server: &Server, token: &str, body: &Value) -> common::Response {
    server.post("/api/v1/publish", Some(token), &body.to_string())
}

fn count_rows(body: &Value) -> u64 {
    TABLES
        .iter()
        .map(|t| body["tables"][t].as_array().unwrap().len() as u64)
        .sum()
}

fn count_entries(body: &Value) -> u64 {
    body["audit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["entries"].as_array().unwrap().len() as u64)
        .sum()
}

/// The units of `top`'s subtree in the file.
fn subtree(body: &Value, top: &str) -> BTreeSet<String> {
    let units = body["tables"]["units"].as_array().unwrap();
    let mut out = BTreeSet::from([top.to_string()]);
    loop {
        let before = out.len();
        for u in units {
            if u["parent"].as_str().is_some_and(|p| out.contains(p)) {
                out.insert(u["code"].as_str().unwrap().to_string());
            }
        }
        if out.len() == before {
            return out;
        }
    }
}

#[test]
fn a_published_database_is_pulled_back_whole_by_the_administrator_and_by_rights_by_others() {
    let Some((cluster, server, config)) = ready() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let body = publish_body(&local_database(dir.path(), DemoSize::Small));
    // The file really has every kind of row.
    for table in TABLES {
        assert!(
            !body["tables"][table].as_array().unwrap().is_empty(),
            "{table} is empty in the demo"
        );
    }
    let ada = token(&server, "ada");
    let response = publish(&server, &ada, &body);
    assert_eq!(response.status, 200, "{}", response.body);
    assert_eq!(
        response.json(),
        json!({ "rows": count_rows(&body), "audit_entries": count_entries(&body) })
    );

    // The administrator's pull is the file, table by table.
    let pulled = pull(&server, &ada);
    for table in TABLES {
        let theirs = normal_set(table, pulled["changes"][table].as_array().unwrap());
        let mine = normal_set(table, body["tables"][table].as_array().unwrap());
        assert_eq!(theirs, mine, "{table}");
    }
    // Every cell at the publish's one version.
    let version = &pulled["changes"]["measurements"][0]["version"];
    assert_eq!(
        pulled["changes"]["measurements"][0]["cell_versions"],
        json!({ "value": version, "numerator": version, "denominator": version })
    );

    // A leser given a unit below the top: her subtree only, and no raw sick leave; a leader
    // of the same unit gets its raw sick-leave rows.
    let units = body["tables"]["units"].as_array().unwrap();
    let given = units
        .iter()
        .find(|u| u["parent"].is_string() && units.iter().any(|c| c["parent"] == u["code"]))
        .unwrap()["code"]
        .as_str()
        .unwrap()
        .to_string();
    add_user(&config, &["dina", "--role", "leser", "--units", &given]);
    add_user(
        &config,
        &["lise", "--role", "enhetsleder", "--units", &given],
    );
    let mine = subtree(&body, &given);
    assert!(mine.len() > 1 && mine.len() < units.len(), "{mine:?}");
    let dina = pull(&server, &token(&server, "dina"));
    let codes = |v: &Value, table: &str, column: &str| -> BTreeSet<String> {
        v["changes"][table]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r[column].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(codes(&dina, "units", "code"), mine);
    assert_eq!(codes(&dina, "measurements", "unit"), {
        let all: BTreeSet<String> = body["tables"]["measurements"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["unit"].as_str().unwrap().to_string())
            .collect();
        all.intersection(&mine).cloned().collect()
    });
    assert!(dina["changes"]["sick_leave"].as_array().unwrap().is_empty());
    // Her sick leave is the masked summary, of her units only.
    let summary = dina["sick_leave_summary"].as_array().unwrap();
    assert!(!summary.is_empty());
    assert!(summary
        .iter()
        .all(|r| mine.contains(r["unit"].as_str().unwrap())));
    let lise = pull(&server, &token(&server, "lise"));
    let raw: BTreeSet<String> = body["tables"]["sick_leave"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| mine.contains(r["unit"].as_str().unwrap()))
        .map(|r| normal("sick_leave", r.as_object().unwrap()).to_string())
        .collect();
    assert!(!raw.is_empty());
    assert_eq!(
        normal_set(
            "sick_leave",
            lise["changes"]["sick_leave"].as_array().unwrap()
        ),
        raw
    );

    // The history is on the server with its own users and times, marked as published by
    // ada from her machine, and the publish itself is the newest batch.
    let log = server.get("/api/v1/audit?limit=1000", Some(&ada)).json();
    let entries = log["entries"].as_array().unwrap();
    // Newest first: the two users added after the publish, then the publish itself.
    assert_eq!(entries[0]["entity"], "bruker");
    assert_eq!(entries[1]["entity"], "bruker");
    let own = &entries[2];
    assert_eq!(own["user"], "ada");
    assert_eq!(own["source"], "publisering");
    assert_eq!(own["device"], "testmaskin");
    assert_eq!(own["key"], "publisert fra testmaskin");
    let history: Vec<&Value> = entries[3..]
        .iter()
        .filter(|e| e["entity"] != "bruker")
        .collect();
    assert_eq!(history.len() as u64, count_entries(&body));
    let local_users: BTreeSet<&str> = body["audit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["user"].as_str().unwrap())
        .collect();
    let server_users: BTreeSet<&str> = history
        .iter()
        .map(|e| e["user"].as_str().unwrap())
        .collect();
    assert_eq!(server_users, local_users);
    assert!(history
        .iter()
        .all(|e| e["device"] == "publisert fra testmaskin av ada"));
    // The comment's entry, by its original author and time.
    let comment_batch = body["audit"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["entries"][0]["entity"] == "kommentar")
        .unwrap();
    let comment_entry = entries.iter().find(|e| e["entity"] == "kommentar").unwrap();
    assert_eq!(comment_entry["user"], comment_batch["user"]);
    assert_eq!(
        comment_entry["uid"],
        format!("{}/1", comment_batch["uid"].as_str().unwrap())
    );
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(comment_entry["at"].as_str().unwrap()).unwrap(),
        chrono::DateTime::parse_from_rfc3339(comment_batch["at"].as_str().unwrap()).unwrap()
    );
    let total: i64 = cluster
        .psql("SELECT count(*) FROM audit")
        .trim()
        .parse()
        .unwrap();
    // The file's entries, the publish's own one, and the two add-user entries.
    assert_eq!(total, count_entries(&body) as i64 + 1 + 4);
}

fn row_count(cluster: &Cluster) -> String {
    cluster
        .psql(
            "SELECT (SELECT count(*) FROM units) + (SELECT count(*) FROM measurements)
                  + (SELECT count(*) FROM sick_leave) + (SELECT count(*) FROM economy)
                  + (SELECT count(*) FROM targets) + (SELECT count(*) FROM comments)
                  + (SELECT count(*) FROM locked_months) + (SELECT count(*) FROM indicators)
                  + (SELECT count(*) FROM actions) + (SELECT count(*) FROM action_comments)
                  + (SELECT count(*) FROM audit_batches)
                  || ' ' || (SELECT string_agg(key || '=' || value, ',') FROM settings)",
        )
        .trim()
        .to_string()
}

#[test]
fn a_second_publish_is_refused_and_changes_nothing() {
    let Some((cluster, server, _config)) = ready() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let body = publish_body(&local_database(dir.path(), DemoSize::Small));
    let ada = token(&server, "ada");
    assert_eq!(publish(&server, &ada, &body).status, 200);
    let before = pull(&server, &ada);
    let rows_before = row_count(&cluster);

    let again = publish(&server, &ada, &body);
    assert_eq!(again.status, 409, "{}", again.body);
    assert_eq!(again.json()["kind"], "not_empty");
    let message = again.json()["message"].as_str().unwrap().to_string();
    assert!(
        message.starts_with("Serveren har allerede data ("),
        "{message}"
    );
    assert!(message.contains("enheter"), "{message}");
    assert!(message.contains("1 tidligere publisering"), "{message}");
    assert_eq!(pull(&server, &ada), before);
    assert_eq!(row_count(&cluster), rows_before);
}

#[test]
fn a_server_with_anything_pushed_is_not_empty() {
    let Some((cluster, server, _config)) = ready() else {
        return;
    };
    let ada = token(&server, "ada");
    // One setting pushed: the server holds a change of its own, so it is not empty.
    let op = json!({ "op_id": "0190b000-0000-7000-8000-000000000001",
                     "batch": "0190b000-0000-7000-8000-000000000002",
                     "entity": "settings", "key": { "key": "min_employees" },
                     "field": "value", "base_version": 2, "base_value": "5",
                     "new_value": "4" });
    let version: i64 = cluster
        .psql("SELECT version FROM settings WHERE key = 'min_employees'")
        .trim()
        .parse()
        .unwrap();
    let mut op = op;
    op["base_version"] = json!(version);
    let pushed = server.post(
        "/api/v1/push",
        Some(&ada),
        &json!({ "device": "x", "operations": [op] }).to_string(),
    );
    assert_eq!(
        pushed.json()["results"][0]["status"],
        "applied",
        "{}",
        pushed.body
    );
    let dir = tempfile::tempdir().unwrap();
    let body = publish_body(&local_database(dir.path(), DemoSize::Small));
    let refused = publish(&server, &ada, &body);
    assert_eq!(refused.status, 409, "{}", refused.body);
    let message = refused.json()["message"].as_str().unwrap().to_string();
    // The changed setting, and the operation that changed it.
    assert!(
        message.contains("1 endret innstilling, 1 endring sendt fra skrivebordet"),
        "{message}"
    );
    assert_eq!(cluster.psql("SELECT count(*) FROM units").trim(), "0");
}

#[test]
fn only_an_administrator_publishes_and_a_bad_file_stores_nothing() {
    let Some((cluster, server, _config)) = ready() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let good = publish_body(&local_database(dir.path(), DemoSize::Small));
    let empty = row_count(&cluster);

    // Not an administrator: refused before the file is read.
    let eva = token(&server, "eva");
    let refused = publish(&server, &eva, &good);
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(refused.json()["kind"], "forbidden");
    assert_eq!(
        refused.json()["message"],
        "Bare en administrator kan publisere en database til serveren; «eva» har rollen økonom"
    );
    let refused = server.post("/api/v1/publish", Some(&eva), "ikke json");
    assert_eq!(refused.status, 403);

    let ada = token(&server, "ada");
    let units = good["tables"]["units"].as_array().unwrap();
    let top = units.iter().find(|u| u["parent"].is_null()).unwrap()["code"]
        .as_str()
        .unwrap()
        .to_string();
    let child = units.iter().find(|u| u["parent"] == json!(top)).unwrap()["code"]
        .as_str()
        .unwrap()
        .to_string();
    let prefix = "publiseringen er avvist, ingenting er lagret: ";
    // Each bad file: what is changed, and the message it gets.
    type Change = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(Change, String)> = vec![
        (
            Box::new(|b| b["tables"]["units"][0]["farge"] = json!("blå")),
            format!(
                "{prefix}units rad 1: tabellen har ingen kolonne «farge»; kolonnene er code, name, parent, level, sort"
            ),
        ),
        (
            Box::new(|b| {
                b["tables"]["budsjett"] = json!([]);
            }),
            format!(
                "{prefix}Målkart har ingen tabell «budsjett»; tabellene er perspectives, units, indicators, targets, measurements, sick_leave, economy, comments, actions, action_comments, locked_months, settings"
            ),
        ),
        (
            Box::new(|b| b["tables"]["economy"][0]["budget"] = json!(12.5)),
            format!("{prefix}economy rad 1: kolonnen «budget» må være et helt tall, ikke 12.5"),
        ),
        (
            Box::new(|b| b["tables"]["measurements"][0]["unit"] = json!("9999")),
            "finnes ikke i filens enheter".to_string(),
        ),
        (
            // Absence over the contracted days: the core's rule, naming the row.
            Box::new(|b| {
                let row = &mut b["tables"]["sick_leave"][0];
                row["self_certified"] = json!(1.0e6);
                row["days_1_3"] = Value::Null;
                row["days_4_16"] = Value::Null;
                row["days_17_56"] = Value::Null;
                row["days_over_56"] = Value::Null;
            }),
            format!("{prefix}sick_leave «"),
        ),
        (
            Box::new(|b| {
                let sf = b["tables"]["indicators"]
                    .as_array_mut()
                    .unwrap()
                    .iter_mut()
                    .find(|i| i["code"] == "SF")
                    .unwrap();
                sf["name"] = json!("Fravær");
            }),
            format!("{prefix}indicators «SF»: "),
        ),
        (
            // The top under its own child: a loop.
            Box::new(move |b| {
                let units = b["tables"]["units"].as_array_mut().unwrap();
                let t = units.iter_mut().find(|u| u["code"] == json!(top)).unwrap();
                t["parent"] = json!(child);
            }),
            format!("{prefix}units: enhetene danner en sløyfe i enhetstreet"),
        ),
        (
            Box::new(|b| {
                let first = b["tables"]["economy"][0].clone();
                b["tables"]["economy"].as_array_mut().unwrap().push(first);
            }),
            "raden står to ganger i filen".to_string(),
        ),
        (
            Box::new(|b| b["audit"][0]["at"] = json!("i går")),
            format!("{prefix}audit batch 1: «i går» er ikke et tidspunkt (RFC 3339)"),
        ),
    ];
    for (change, expected) in &cases {
        let mut body = good.clone();
        change(&mut body);
        let response = publish(&server, &ada, &body);
        assert_eq!(response.status, 400, "{expected}: {}", response.body);
        assert_eq!(response.json()["kind"], "invalid");
        let message = response.json()["message"].as_str().unwrap().to_string();
        assert!(
            message.contains(expected.as_str()),
            "{message}\n  ≠ {expected}"
        );
        assert_eq!(row_count(&cluster), empty, "{expected}: nothing stored");
    }
    // Not JSON at all.
    let response = server.post("/api/v1/publish", Some(&ada), "{\"device\": ");
    assert_eq!(response.status, 400, "{}", response.body);
    assert!(response.json()["message"]
        .as_str()
        .unwrap()
        .contains("linje 1"));
    // The good file after all of them: the server was still empty.
    assert_eq!(publish(&server, &ada, &good).status, 200);
}

/// `medium` published in one request, timed (design §3 "Publish"): run with
/// `cargo test -p malkart-server --test publish -- --ignored --nocapture`;
/// `MALKART_PUBLISH_SIZE=large` for the large demo.
#[test]
#[ignore]
fn measure_a_publish_of_medium() {
    let Some((_cluster, server, config)) = ready() else {
        return;
    };
    let size = std::env::var("MALKART_PUBLISH_SIZE").unwrap_or_else(|_| "medium".into());
    let dir = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    let db = local_database(dir.path(), DemoSize::parse(&size).unwrap());
    println!(
        "the local {size} database made in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let body = publish_body(&db).to_string();
    let ada = token(&server, "ada");
    let started = std::time::Instant::now();
    let response = server.post("/api/v1/publish", Some(&ada), &body);
    let took = started.elapsed();
    assert_eq!(
        response.status,
        200,
        "{}",
        &response.body[..response.body.len().min(500)]
    );
    let peak = std::fs::read_to_string(format!("/proc/{}/status", server.pid()))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmHWM"))
        .unwrap_or("VmHWM: ?")
        .to_string();
    println!(
        "publish of {size}: {} MB of JSON, {} → {:.1} s; server peak {peak}",
        body.len() / 1_000_000,
        response.body,
        took.as_secs_f64()
    );
    let started = std::time::Instant::now();
    let pulled = server.get("/api/v1/pull", Some(&ada));
    assert_eq!(pulled.status, 200);
    println!(
        "first pull of it: {} MB → {:.1} s",
        pulled.body.len() / 1_000_000,
        started.elapsed().as_secs_f64()
    );
    // A leser of the first unit below the top: her first pull computes the masked
    // sick-leave summary over the whole tree (every month's decision).
    let db = rusqlite::Connection::open(&db).unwrap();
    let given: String = db
        .query_row(
            "SELECT code FROM units WHERE parent IS NOT NULL ORDER BY sort LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    add_user(&config, &["dina", "--role", "leser", "--units", &given]);
    let dina = token(&server, "dina");
    let started = std::time::Instant::now();
    let pulled = server.get("/api/v1/pull", Some(&dina));
    assert_eq!(pulled.status, 200);
    println!(
        "a leser's first pull ({given}): {} MB, {} summary rows → {:.1} s",
        pulled.body.len() / 1_000_000,
        pulled.json()["sick_leave_summary"]
            .as_array()
            .map_or(0, Vec::len),
        started.elapsed().as_secs_f64()
    );
    let log = std::fs::read_to_string(config.with_extension("log")).unwrap_or_default();
    if let Some(line) = log.lines().find(|l| l.contains("sykefraværssammendrag")) {
        println!("  of it the summary: {line}");
    }
}
