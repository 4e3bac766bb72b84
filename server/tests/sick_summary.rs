//! The masked sick-leave summary a `leser` pulls (sharing.md §2; sick-leave.md «Privacy»;
//! docs/sharing-design.md §4): her units' subtree totals per month, masked exactly where the
//! spec's rule masks them (primary and secondary, over the whole tree), never a raw row;
//! an `enhetsleder` still gets the raw rows of her subtree.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

mod common;

use common::{cli, stderr, Cluster, Server};
use serde_json::{json, Value};

const T0: &str = "2026-11-15T10:00:00Z";
const PASSWORD: &str = "riktig hest batteri";
// Month indices are year × 12 + month − 1: March 2026 = 2026 × 12 + 2 = 24314.
const MAR: i64 = 24314;
const APR: i64 = 24315;

/// Units 1000 > 2000 > {3100, 3200} and 1000 > 4000; `min_employees` 5 (the seed).
///
/// March: 3100 has 10 employees (200 contracted, 4 + 6 absent, split 2/3/5/0), 3200 has 3
/// (60 contracted, 1 + 2 absent, no split), 4000 has 20 (400 contracted, 10 + 10).
/// April: 3100 has 10 (210, 2 + 0), 3200 has 6 (100, 3 + 4).
/// Users: ada (administrator), dina (leser, 2000), lise (enhetsleder, 2000).
fn ready() -> Option<(Cluster, Server)> {
    let cluster = Cluster::start()?;
    let config = cluster.config("");
    let c = config.to_str().unwrap();
    let out = cli(&["init", "--config", c], "", T0);
    assert!(out.status.success(), "init: {}", stderr(&out));
    cluster.psql(&format!(
        "INSERT INTO units (code, name, parent, sort, version, cell_versions)
         SELECT code, name, parent, sort, v, malkart_cells('{{name,parent,level}}', v)
         FROM (SELECT *, nextval('malkart_version') AS v FROM (VALUES
             ('1000', 'Demo kommune', NULL, 1), ('2000', 'Oppvekst', '1000', 2),
             ('3100', 'Solbakken skole', '2000', 3), ('3200', 'Bakken barnehage', '2000', 4),
             ('4000', 'Helse og omsorg', '1000', 5)) AS t (code, name, parent, sort)) AS s;
         INSERT INTO sick_leave (unit, month, contracted_days, self_certified, doctor_certified,
             employees, days_1_3, days_4_16, days_17_56, days_over_56, version, cell_versions)
         SELECT t.*, v, malkart_cells('{{contracted_days,self_certified,doctor_certified,employees,days_1_3,days_4_16,days_17_56,days_over_56}}', v)
         FROM (SELECT nextval('malkart_version') AS v) AS s, (VALUES
             ('3100', {MAR}, 200.0, 4.0, 6.0, 10, 2.0, 3.0, 5.0, 0.0),
             ('3200', {MAR}, 60.0, 1.0, 2.0, 3, NULL, NULL, NULL, NULL),
             ('4000', {MAR}, 400.0, 10.0, 10.0, 20, NULL, NULL, NULL, NULL),
             ('3100', {APR}, 210.0, 2.0, 0.0, 10, NULL, NULL, NULL, NULL),
             ('3200', {APR}, 100.0, 3.0, 4.0, 6, NULL, NULL, NULL, NULL))
             AS t (unit, month, c, s, d, e, a, b, x, y);"
    ));
    let pw = format!("{PASSWORD}\n");
    for args in [
        vec!["add-user", "ada", "--role", "administrator"],
        vec!["add-user", "dina", "--role", "leser", "--units", "2000"],
        vec![
            "add-user",
            "lise",
            "--role",
            "enhetsleder",
            "--units",
            "2000",
        ],
    ] {
        let mut args = args;
        args.extend(["--config", c]);
        let out = cli(&args, &pw, T0);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let server = Server::start(&config, T0);
    Some((cluster, server))
}

fn token(server: &Server, user: &str) -> String {
    let response = server.login(user, PASSWORD);
    assert_eq!(response.status, 200, "{}", response.body);
    response.json()["token"].as_str().unwrap().to_string()
}

fn pull(server: &Server, token: &str, after: Option<(&Value, &Value)>) -> Value {
    let path = match after {
        None => "/api/v1/pull".to_string(),
        Some((w, s)) => format!(
            "/api/v1/pull?after={}&scope={}",
            w.as_str().unwrap(),
            s.as_str().unwrap()
        ),
    };
    let response = server.get(&path, Some(token));
    assert_eq!(response.status, 200, "{}", response.body);
    response.json()
}

fn shown(unit: &str, month: i64, figures: [f64; 6], employees: i64) -> Value {
    let [contracted, selfc, doctor, split, short, long] = figures;
    json!({ "unit": unit, "month": month, "masked": false, "mask_reason": null,
            "employees": employees, "contracted_days": contracted, "self_certified": selfc,
            "doctor_certified": doctor, "split_contracted_days": split, "short_days": short,
            "long_days": long })
}

fn masked(unit: &str, month: i64, reason: &str, contracted: f64) -> Value {
    json!({ "unit": unit, "month": month, "masked": true, "mask_reason": reason,
            "employees": null, "contracted_days": contracted, "self_certified": null,
            "doctor_certified": null, "split_contracted_days": null, "short_days": null,
            "long_days": null })
}

#[test]
fn a_leser_pulls_the_masked_summary_of_her_units_and_never_a_raw_row() {
    let Some((cluster, server)) = ready() else {
        return;
    };
    let dina = token(&server, "dina");
    let first = pull(&server, &dina, None);
    assert!(first["changes"]["sick_leave"]
        .as_array()
        .unwrap()
        .is_empty());
    // March: 3200 has 3 < 5 employees (primary). Under 2000 the hidden part is then 3200's
    // 3 employees < 5, so 2000's unmasked child with the fewest, 3100 (10), is masked too
    // (secondary; hidden 3 + 10 = 13 ≥ 5). Only 3100 has the length split, so 2000's
    // SF-KORT / SF-LANG would be exactly 3100's: the core masks 2000 as well (mask.rs rule
    // 3: a masked unit's figures must not equal shown ones) — the server takes the core's
    // decision, not a copy of it. A masked row keeps only its contracted days:
    // 2000 = 200 + 60 = 260. 1000 and 4000 are not hers.
    // April: 3100 (10) and 3200 (6) both ≥ 5 and nothing hidden: every row shown; 2000 =
    // 16 employees, 210 + 100 = 310 contracted, 2 + 3 = 5 self, 0 + 4 = 4 doctor, no split.
    let expected = json!([
        masked("2000", MAR, "secondary", 260.0),
        masked("3100", MAR, "secondary", 200.0),
        masked("3200", MAR, "few_employees", 60.0),
        shown("2000", APR, [310.0, 5.0, 4.0, 0.0, 0.0, 0.0], 16),
        shown("3100", APR, [210.0, 2.0, 0.0, 0.0, 0.0, 0.0], 10),
        shown("3200", APR, [100.0, 3.0, 4.0, 0.0, 0.0, 0.0], 6),
    ]);
    assert_eq!(first["sick_leave_summary"], expected);

    // Nothing changed: `null`, keep what you have.
    let again = pull(&server, &dina, Some((&first["watermark"], &first["scope"])));
    assert_eq!(again["sick_leave_summary"], Value::Null);
    assert!(again["changes"]["sick_leave"]
        .as_array()
        .unwrap()
        .is_empty());

    // The leader of 2000 gets the raw rows of her subtree (3100, 3200 × 2 months), and no
    // summary; so does the administrator, for every unit.
    let lise = token(&server, "lise");
    let leader = pull(&server, &lise, None);
    let raw: Vec<(String, i64)> = leader["changes"]["sick_leave"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["unit"].as_str().unwrap().to_string(),
                r["month"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        raw,
        [
            ("3100".to_string(), MAR),
            ("3200".to_string(), MAR),
            ("3100".to_string(), APR),
            ("3200".to_string(), APR)
        ]
    );
    assert!(leader.get("sick_leave_summary").is_none());
    let admin = pull(&server, &token(&server, "ada"), None);
    assert_eq!(admin["changes"]["sick_leave"].as_array().unwrap().len(), 5);
    assert!(admin.get("sick_leave_summary").is_none());

    // The leader corrects 3200's March to 5 employees: nothing under 2000 is masked any
    // more, and the reader's next pull carries the whole summary again.
    let base: i64 = cluster
        .psql(&format!(
            "SELECT cell_versions->>'employees' FROM sick_leave WHERE unit = '3200' AND month = {MAR}"
        ))
        .trim()
        .parse()
        .unwrap();
    let op = json!({ "op_id": "0190b000-0000-7000-8000-000000000001",
                     "batch": "0190b000-0000-7000-8000-000000000002",
                     "entity": "sick_leave", "key": { "unit": "3200", "month": "2026-03" },
                     "field": "employees", "base_version": base, "base_value": 3,
                     "new_value": 5 });
    let pushed = server.post(
        "/api/v1/push",
        Some(&lise),
        &json!({ "device": "x", "operations": [op] }).to_string(),
    );
    assert_eq!(
        pushed.json()["results"][0]["status"],
        "applied",
        "{}",
        pushed.body
    );
    let after = pull(&server, &dina, Some((&again["watermark"], &again["scope"])));
    assert_eq!(after["reset"], false);
    assert!(after["changes"]["sick_leave"]
        .as_array()
        .unwrap()
        .is_empty());
    // 2000 in March: 10 + 5 = 15 employees, 4 + 1 = 5 self, 6 + 2 = 8 doctor; the split
    // still only 3100's (200 contracted, short 2 + 3 = 5, long 5 + 0 = 5) but 3100 is shown
    // now, so that gives nothing away; April as before.
    assert_eq!(
        after["sick_leave_summary"],
        json!([
            shown("2000", MAR, [260.0, 5.0, 8.0, 200.0, 5.0, 5.0], 15),
            shown("3100", MAR, [200.0, 4.0, 6.0, 200.0, 5.0, 5.0], 10),
            shown("3200", MAR, [60.0, 1.0, 2.0, 0.0, 0.0, 0.0], 5),
            shown("2000", APR, [310.0, 5.0, 4.0, 0.0, 0.0, 0.0], 16),
            shown("3100", APR, [210.0, 2.0, 0.0, 0.0, 0.0, 0.0], 10),
            shown("3200", APR, [100.0, 3.0, 4.0, 0.0, 0.0, 0.0], 6),
        ])
    );
}
