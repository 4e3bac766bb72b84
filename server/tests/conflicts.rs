//! Conflicts between desktops, end to end (issue 14, "A test per scenario"): a throwaway
//! PostgreSQL cluster, the real `malkart-server`, and the real `malkart` command line of
//! two desktops (ada, administrator; lise, enhetsleder for 2100), each with its own
//! replica. A desktop that has not synced is offline as far as the server knows: its edits
//! wait in its outbox until `malkart sync`. The clocks are fixed (MALKART_TODAY for the
//! desktops, MALKART_SERVER_NOW for the server).
//!
//! The `malkart` binary is the one beside `malkart-server` in the target folder: `cargo
//! build -p malkart` first (scripts/test.sh builds both).

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

mod common;

use common::desktop::{Desktop, PASSWORD};
use common::{cli, stderr, Cluster, Server};
use malkart::period::Month;
use serde_json::Value;

const T0: &str = "2026-11-15T10:00:00Z";
const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/examples");
const HEADER: &str = "enhet;periode;avtalte_dagsverk;egenmeldt;legemeldt;ansatte;\
                      dager_1_3;dager_4_16;dager_17_56;dager_over_56\n";

/// A server with the example units and three months of sick leave for 2100 (no length
/// split): March 14,0 egenmeldt / 40,0 legemeldt, April 12,0 / 30,0; ada (administrator)
/// connected, lise (enhetsleder for 2100) a user.
struct Shared {
    cluster: Cluster,
    server: Server,
    ada: Desktop,
}

impl Shared {
    fn start() -> Option<Shared> {
        let cluster = Cluster::start()?;
        let config = cluster.config("");
        let c = config.to_str().unwrap().to_string();
        let out = cli(&["init", "--config", &c], "", T0);
        assert!(out.status.success(), "init: {}", stderr(&out));
        let add = |args: &[&str]| {
            let mut all = vec!["add-user"];
            all.extend_from_slice(args);
            all.extend(["--config", &c]);
            let out = cli(&all, &format!("{PASSWORD}\n"), T0);
            assert!(out.status.success(), "add-user {args:?}: {}", stderr(&out));
        };
        add(&["ada", "--role", "administrator"]);
        let server = Server::start(&config, T0);
        let shared = Shared {
            cluster,
            server,
            ada: Desktop::new(),
        };
        shared.ada.connect(&shared.url(), "ada");
        let units = format!("{EXAMPLES}/enheter.csv");
        let out = shared.ada.on_server(&["import", "enheter", &units]);
        assert!(out.status.success(), "enheter: {}", stderr(&out));
        import(
            &shared.ada,
            "fravær-start.csv",
            "2100;2026-03;880,0;14,0;40,0;42;;;;\n2100;2026-04;880,0;12,0;30,0;42;;;;\n",
        );
        sync(&shared.ada);
        assert_eq!(shared.ada.query("SELECT COUNT(*) FROM outbox"), ["0"]);
        add(&["lise", "--role", "enhetsleder", "--units", "2100"]);
        Some(shared)
    }

    fn url(&self) -> String {
        format!("http://{}", self.server.addr)
    }

    /// A new desktop signed in as `user`, its replica filled.
    fn desktop(&self, user: &str) -> Desktop {
        let d = Desktop::new();
        d.connect(&self.url(), user);
        d
    }

    /// A sick-leave figure of 2100 on the server.
    fn server_figure(&self, month: (i32, u32), column: &str) -> String {
        let index = Month::new(month.0, month.1).unwrap().index();
        self.cluster.psql(&format!(
            "SELECT {column} FROM sick_leave WHERE unit = '2100' AND month = {index}"
        ))
    }
}

/// Imports sick-leave `lines` (after the header) from the file `name` on `d`'s replica:
/// written locally, sent by the next sync.
fn import(d: &Desktop, name: &str, lines: &str) {
    let path = d.home.path().join(name);
    std::fs::write(&path, format!("{HEADER}{lines}")).unwrap();
    let out = d.on_server(&["import", "sykefravær", path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "import {name}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        stderr(&out)
    );
}

fn sync(d: &Desktop) -> String {
    d.ok(&["sync"], "")
}

fn conflicts(d: &Desktop) -> Vec<Value> {
    let text = d.ok(&["conflicts", "--format", "json"], "");
    serde_json::from_str::<Value>(&text)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// A save in the sick-leave grid of `d`'s app: 2100's row of `month` with 880 avtalte
/// dagsverk, 42 employees and the given egenmeldt and legemeldt (as typed, decimal comma).
fn grid_save(d: &Desktop, month: &str, egenmeldt: &str, legemeldt: &str) {
    use malkart::service::sickleave_grid::{
        save, SickLeaveCells, SickLeaveRowInput, SickLeaveSave, SickLeaveSaved,
    };
    let mut store = malkart::storage::Store::open_existing(&d.replica()).unwrap();
    let input = SickLeaveSave {
        month: month.into(),
        rows: vec![SickLeaveRowInput {
            unit: "2100".into(),
            cells: SickLeaveCells {
                avtalte_dagsverk: "880,0".into(),
                egenmeldt: egenmeldt.into(),
                legemeldt: legemeldt.into(),
                ansatte: "42".into(),
                ..SickLeaveCells::default()
            },
        }],
        undo: false,
    };
    let saved = save(&mut store, &input).unwrap();
    assert!(matches!(saved, SickLeaveSaved::Saved { .. }), "{saved:?}");
}

/// A sick-leave figure of 2100 in `d`'s replica.
fn local_figure(d: &Desktop, month: (i32, u32), column: &str) -> String {
    let index = Month::new(month.0, month.1).unwrap().index();
    d.query(&format!(
        "SELECT {column} FROM sick_leave WHERE unit = '2100' AND month = {index}"
    ))
    .join(",")
}

/// Every sick-leave row of 2100 in `d`'s replica (what both users may read).
fn sick_2100(d: &Desktop) -> Vec<String> {
    d.query("SELECT * FROM sick_leave WHERE unit = '2100' ORDER BY month")
}

const MARCH: (i32, u32) = (2026, 3);
const APRIL: (i32, u32) = (2026, 4);

#[test]
fn two_desktops_edit_the_same_cell_offline_and_behold_min_wins_on_every_replica() {
    let Some(s) = Shared::start() else { return };
    let lise = s.desktop("lise");
    // Both offline: ada writes 15,0 egenmeldt for March, lise 16,0.
    import(
        &s.ada,
        "ada-mars.csv",
        "2100;2026-03;880,0;15,0;40,0;42;;;;\n",
    );
    import(
        &lise,
        "lise-mars.csv",
        "2100;2026-03;880,0;16,0;40,0;42;;;;\n",
    );
    // Ada comes back first: stored.
    let text = sync(&s.ada);
    assert!(
        text.contains("1 sendt (1 lagret, 0 i konflikt, 0 avvist)"),
        "{text}"
    );
    // Lise's edit was made from 14,0: exactly one conflict, both values visible.
    let text = sync(&lise);
    assert!(
        text.contains("1 sendt (0 lagret, 1 i konflikt, 0 avvist)"),
        "{text}"
    );
    assert!(text.contains("Konflikter (1)"), "{text}");
    let list = conflicts(&lise);
    assert_eq!(list.len(), 1, "{list:?}");
    let c = &list[0];
    assert_eq!(c["cell"], "sykefravær 2100 2026-03 egenmeldt");
    assert_eq!(c["kind"], "conflict");
    assert_eq!(c["batch_label"], "lise-mars.csv");
    assert_eq!(
        (&c["base"], &c["mine"], &c["theirs"], &c["who"]),
        (
            &Value::from("14.0"),
            &Value::from("16.0"),
            // Pulled after the push: the server's figure as it sends it.
            &Value::from("15"),
            &Value::from("ada")
        )
    );
    assert!(
        c["when"].as_str().unwrap().starts_with("2026-11-15T"),
        "{c}"
    );
    // Her screen keeps her value meanwhile; ada's replica and the server hold ada's.
    assert_eq!(local_figure(&lise, MARCH, "self_certified"), "16");
    assert_eq!(s.server_figure(MARCH, "self_certified"), "15");

    // «Behold min»: sent on top of ada's value, and stored.
    let id = c["id"].as_str().unwrap();
    let text = lise.ok(&["resolve", id, "mine"], "");
    assert!(
        text.contains("sykefravær 2100 2026-03 egenmeldt: din 16 sendes ved neste synkronisering (over deres 15)"),
        "{text}"
    );
    let text = sync(&lise);
    assert!(
        text.contains("1 sendt (1 lagret, 0 i konflikt, 0 avvist)"),
        "{text}"
    );
    assert!(conflicts(&lise).is_empty());
    assert_eq!(s.server_figure(MARCH, "self_certified"), "16");
    sync(&s.ada);
    assert_eq!(local_figure(&s.ada, MARCH, "self_certified"), "16");
    assert_eq!(local_figure(&lise, MARCH, "self_certified"), "16");
    assert_eq!(sick_2100(&s.ada), sick_2100(&lise));
    // The server's audit log has the resolution: lise's operation names the conflict.
    let audit = s.cluster.psql(&format!(
        "SELECT b.user_name, a.old, a.new FROM audit a JOIN audit_batches b ON b.id = a.batch
         WHERE a.resolves = '{id}'"
    ));
    assert_eq!(audit, "lise|15|16.0");
    // … and lise's own log too: who, which cell, which choice.
    let local = lise.query(
        "SELECT b.user, a.key, a.old, a.new, a.reason FROM audit a
         JOIN audit_batches b ON b.id = a.batch WHERE a.entity = 'konflikt'",
    );
    assert_eq!(
        local,
        [format!(
            "lise|sykefravær 2100 2026-03 egenmeldt|15|16.0|Behold min (konflikt {id})"
        )]
    );
}

#[test]
fn two_desktops_edit_different_cells_of_the_same_row_without_a_conflict() {
    let Some(s) = Shared::start() else { return };
    let lise = s.desktop("lise");
    // April: ada changes legemeldt 30 → 31, lise egenmeldt 12 → 13, both offline.
    import(
        &s.ada,
        "ada-april.csv",
        "2100;2026-04;880,0;12,0;31,0;42;;;;\n",
    );
    import(
        &lise,
        "lise-april.csv",
        "2100;2026-04;880,0;13,0;30,0;42;;;;\n",
    );
    assert_eq!(
        lise.query("SELECT field FROM outbox"),
        ["self_certified"],
        "one cell changed, one operation"
    );
    let text = sync(&s.ada);
    assert!(text.contains("1 lagret, 0 i konflikt"), "{text}");
    let text = sync(&lise);
    assert!(text.contains("1 lagret, 0 i konflikt, 0 avvist"), "{text}");
    assert!(conflicts(&lise).is_empty());
    sync(&s.ada);
    for d in [&s.ada, &lise] {
        assert_eq!(local_figure(d, APRIL, "self_certified"), "13");
        assert_eq!(local_figure(d, APRIL, "doctor_certified"), "31");
    }
    assert_eq!(s.server_figure(APRIL, "self_certified"), "13");
    assert_eq!(s.server_figure(APRIL, "doctor_certified"), "31");
    assert_eq!(sick_2100(&s.ada), sick_2100(&lise));
}

#[test]
fn an_offline_import_overlapping_a_colleagues_save_is_listed_per_line_and_resolved_at_once() {
    let Some(s) = Shared::start() else { return };
    let lise = s.desktop("lise");
    // Lise imports three months offline (her file: the header on line 1, March on line 2,
    // April on line 3, May on line 4); ada corrects March and April meanwhile in the
    // sick-leave grid (one save per month, as the app's grid shows one month).
    import(
        &lise,
        "fravær-lise.csv",
        "2100;2026-03;880,0;14,5;40,0;42;;;;\n\
         2100;2026-04;880,0;12,5;30,0;42;;;;\n\
         2100;2026-05;880,0;11,0;20,0;42;;;;\n",
    );
    grid_save(&s.ada, "2026-03", "17,0", "40,0");
    grid_save(&s.ada, "2026-04", "18,0", "30,0");
    sync(&s.ada);
    let text = sync(&lise);
    // May is new (four cells) and stored; March and April conflict, one per line of
    // her file.
    assert!(
        text.contains("6 sendt (4 lagret, 2 i konflikt, 0 avvist)"),
        "{text}"
    );
    let list = conflicts(&lise);
    let cells: Vec<(&str, &str, u64, &str, &str)> = list
        .iter()
        .map(|c| {
            (
                c["cell"].as_str().unwrap(),
                c["batch_label"].as_str().unwrap(),
                c["line"].as_u64().unwrap(),
                c["mine"].as_str().unwrap(),
                c["theirs"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        cells,
        [
            (
                "sykefravær 2100 2026-03 egenmeldt",
                "fravær-lise.csv",
                2,
                "14.5",
                "17"
            ),
            (
                "sykefravær 2100 2026-04 egenmeldt",
                "fravær-lise.csv",
                3,
                "12.5",
                "18"
            ),
        ]
    );
    assert_eq!(list[0]["batch"], list[1]["batch"]);
    let table = lise.ok(&["conflicts"], "");
    assert!(table.starts_with("Konflikter (2):"), "{table}");
    assert!(
        table.contains("fra «fravær-lise.csv» linje 2 (batch"),
        "{table}"
    );
    assert!(
        table.contains("fra «fravær-lise.csv» linje 3 (batch"),
        "{table}"
    );

    // «Bruk deres» for the whole import at once.
    let text = lise.ok(&["resolve", "--batch", "fravær-lise.csv", "theirs"], "");
    assert_eq!(
        text,
        "2 konflikter løst med «Bruk deres»:\n  \
         sykefravær 2100 2026-03 egenmeldt: deres 17 gjelder (din 14,5 er forkastet)\n  \
         sykefravær 2100 2026-04 egenmeldt: deres 18 gjelder (din 12,5 er forkastet)\n"
    );
    assert!(conflicts(&lise).is_empty());
    assert_eq!(local_figure(&lise, MARCH, "self_certified"), "17");
    assert_eq!(local_figure(&lise, APRIL, "self_certified"), "18");
    // Nothing is sent for «Bruk deres»; the replicas agree with the server, whose audit
    // log has both resolutions.
    let text = sync(&lise);
    assert!(text.contains("0 sendt"), "{text}");
    assert!(
        text.contains("2 konflikter løst med «Bruk deres» er skrevet i serverens endringslogg"),
        "{text}"
    );
    assert_eq!(lise.query("SELECT COUNT(*) FROM outbox"), ["0"]);
    let logged = s.cluster.psql(
        "SELECT b.user_name, b.source, a.key, a.old, a.new, a.reason, a.resolves IS NOT NULL
         FROM audit a JOIN audit_batches b ON b.id = a.batch
         WHERE a.entity = 'konflikt' ORDER BY a.id",
    );
    assert_eq!(
        logged,
        "lise|konflikt|sykefravær 2100 / 2026-03 (egenmeldt)|14.5|17|Bruk deres|t\n\
         lise|konflikt|sykefravær 2100 / 2026-04 (egenmeldt)|12.5|18|Bruk deres|t"
    );
    // A second sync reports nothing again.
    let text = sync(&lise);
    assert!(!text.contains("Bruk deres"), "{text}");
    // The route itself: a resend logs nothing twice; another user's conflict, an unknown
    // one, or «Behold min» (which is an operation) are refused.
    let token = |user: &str| {
        s.server.login(user, PASSWORD).json()["token"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let march_id = list[0]["id"].as_str().unwrap();
    let body = |id: &str, choice: &str| {
        serde_json::json!({"device": "test", "resolutions": [
            {"resolves": id, "choice": choice, "value": 17.0}]})
        .to_string()
    };
    let lise_token = token("lise");
    let answer = s.server.post(
        "/api/v1/resolve",
        Some(&lise_token),
        &body(march_id, "theirs"),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.json()["results"][0]["status"], "recorded");
    let answer = s.server.post(
        "/api/v1/resolve",
        Some(&token("ada")),
        &body(march_id, "theirs"),
    );
    assert_eq!(
        answer.json()["results"][0]["status"],
        "ugyldig",
        "{}",
        answer.body
    );
    let answer = s.server.post(
        "/api/v1/resolve",
        Some(&lise_token),
        &body("01a236f6-0000-7000-8000-000000000000", "theirs"),
    );
    assert_eq!(
        answer.json()["results"][0]["status"],
        "ugyldig",
        "{}",
        answer.body
    );
    let answer = s.server.post(
        "/api/v1/resolve",
        Some(&lise_token),
        &body(march_id, "mine"),
    );
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert_eq!(
        s.cluster
            .psql("SELECT COUNT(*) FROM audit WHERE entity = 'konflikt'"),
        "2"
    );
    sync(&s.ada);
    assert_eq!(sick_2100(&s.ada), sick_2100(&lise));
    assert_eq!(s.server_figure(MARCH, "self_certified"), "17");
    // The server's value was not written again: two entries for March egenmeldt, ada's
    // first import and her correction.
    let entries = s.cluster.psql(
        "SELECT COUNT(*) FROM audit WHERE entity = 'sykefravær' AND key LIKE '2100 / 2026-03 (egenmeldt)'",
    );
    assert_eq!(entries, "2");
}

#[test]
fn an_edit_to_a_month_locked_meanwhile_is_laast_and_bruk_deres_puts_the_servers_value_back() {
    let Some(s) = Shared::start() else { return };
    let lise = s.desktop("lise");
    // The administrator locks April; lise, offline, has not heard and edits it.
    let out = s.ada.on_server(&["lock", "2026-04"]);
    assert!(out.status.success(), "lock: {}", stderr(&out));
    sync(&s.ada);
    import(
        &lise,
        "lise-april.csv",
        "2100;2026-04;880,0;19,0;30,0;42;;;;\n",
    );
    let text = sync(&lise);
    assert!(
        text.contains("1 sendt (0 lagret, 0 i konflikt, 1 avvist)"),
        "{text}"
    );
    let list = conflicts(&lise);
    assert_eq!(list.len(), 1);
    let c = &list[0];
    assert_eq!(c["kind"], "låst");
    assert_eq!(c["cell"], "sykefravær 2100 2026-04 egenmeldt");
    assert!(c["reason"].as_str().unwrap().contains("2026-04"), "{c}");
    // The server's value, as lise last knew it: 12,0.
    assert_eq!(
        (&c["mine"], &c["theirs"]),
        (&Value::from("19.0"), &Value::from("12.0"))
    );
    let id = c["id"].as_str().unwrap();

    // «Behold min» is refused in words, nothing changed.
    let out = lise.on_server(&["resolve", id, "mine"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("måneden er låst på serveren"),
        "{}",
        stderr(&out)
    );
    assert_eq!(conflicts(&lise).len(), 1);
    assert_eq!(local_figure(&lise, APRIL, "self_certified"), "19");

    // «Bruk deres» discards the edit: the server's 12,0 is back.
    lise.ok(&["resolve", id, "theirs"], "");
    assert_eq!(local_figure(&lise, APRIL, "self_certified"), "12");
    assert!(conflicts(&lise).is_empty());
    let text = sync(&lise);
    assert!(text.contains("0 sendt"), "{text}");
    assert_eq!(s.server_figure(APRIL, "self_certified"), "12");
    // The server's audit log has how the refusal ended: her 19 discarded, 12 kept.
    let logged = s.cluster.psql(&format!(
        "SELECT old, new, reason FROM audit WHERE entity = 'konflikt' AND resolves = '{id}'"
    ));
    assert_eq!(logged, "19.0|12.0|Bruk deres");
    sync(&s.ada);
    assert_eq!(sick_2100(&s.ada), sick_2100(&lise));
}

#[test]
fn a_desktop_back_after_weeks_pulls_first_and_names_what_changed_underneath() {
    let Some(s) = Shared::start() else { return };
    let lise = s.desktop("lise");
    // Lise, away: March egenmeldt 14,0 → 16,0 and April legemeldt 30,0 → 33,0.
    import(
        &lise,
        "lise-borte.csv",
        "2100;2026-03;880,0;16,0;40,0;42;;;;\n2100;2026-04;880,0;12,0;33,0;42;;;;\n",
    );
    // Meanwhile ada: March egenmeldt 14,0 → 15,0 (under lise's edit) and April egenmeldt
    // 12,0 → 11,0 (a cell lise did not touch).
    import(
        &s.ada,
        "ada-rettelse.csv",
        "2100;2026-03;880,0;15,0;40,0;42;;;;\n2100;2026-04;880,0;11,0;30,0;42;;;;\n",
    );
    sync(&s.ada);
    // Lise's last pull was weeks ago (docs/decisions.md "Pull before push": over ten
    // minutes with edits waiting).
    rusqlite::Connection::open(lise.replica())
        .unwrap()
        .execute(
            "UPDATE replica SET last_sync_at = '2026-10-20T09:00:00+02:00'",
            [],
        )
        .unwrap();
    let text = sync(&lise);
    assert!(
        text.starts_with("Hentet endringer fra serveren før sending"),
        "{text}"
    );
    // Only March's egenmeldt changed under one of her edits; April's legemeldt did not.
    assert!(
        text.contains(
            "Endret på serveren mens du var borte, under dine ventende endringer (1):\n  \
             sykefravær 2100 2026-03 egenmeldt\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("2 sendt (1 lagret, 1 i konflikt, 0 avvist)"),
        "{text}"
    );
    let list = conflicts(&lise);
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["cell"], "sykefravær 2100 2026-03 egenmeldt");
    let number = |v: &Value| v.as_str().unwrap().parse::<f64>().unwrap();
    assert_eq!(
        (number(&list[0]["mine"]), number(&list[0]["theirs"])),
        (16.0, 15.0)
    );
    // April: ada's egenmeldt pulled around lise's legemeldt, which is stored.
    assert_eq!(local_figure(&lise, APRIL, "self_certified"), "11");
    assert_eq!(local_figure(&lise, APRIL, "doctor_certified"), "33");
    assert_eq!(s.server_figure(APRIL, "doctor_certified"), "33");
    assert_eq!(s.server_figure(APRIL, "self_certified"), "11");
}

/// Tiltak between desktops (issue 15 §6): the administrator imports the tiltak file into
/// her replica and syncs; the unit leader's replica gets her own unit's tiltak only; both
/// change the same tiltak's status offline: one conflict, named in words, «Bruk deres»
/// takes the server's value.
#[test]
fn tiltak_reach_the_unit_leaders_replica_and_a_status_edited_twice_is_one_conflict() {
    let Some(s) = Shared::start() else { return };
    let file = |d: &Desktop, name: &str, text: &str| {
        let path = d.home.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    };
    let indicators = format!("{EXAMPLES}/indikatorer.csv");
    let out = s.ada.on_server(&["import", "indikatorer", &indicators]);
    assert!(out.status.success(), "indikatorer: {}", stderr(&out));
    let tiltak = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/tiltak.csv");
    let out = s.ada.on_server(&["import", "tiltak", tiltak]);
    assert!(out.status.success(), "tiltak: {}", stderr(&out));
    let text = sync(&s.ada);
    assert!(text.contains("0 avvist"), "{text}");
    assert_eq!(s.cluster.psql("SELECT count(*) FROM actions").trim(), "5");

    // Lise leads 2100: of the five she reads T-004 (Bakken skole, 2100) alone.
    let lise = s.desktop("lise");
    assert_eq!(
        lise.query("SELECT code, status, cost_ore FROM actions"),
        ["T-004|utsatt|425000050"]
    );

    // Both change T-004's status offline: ada «pågår» at 20 %, lise «avbrutt».
    let header = "kode;tittel;mål;enhet;ansvarlig;status;fremdrift\n";
    let ada_file = file(&s.ada, "ada-tiltak.csv", &format!("{header}T-004;Nytt ventilasjonsanlegg Bakken skole;Gode tjenester;2100;Rektor;pågår;20\n"));
    let lise_file = file(&lise, "lise-tiltak.csv", &format!("{header}T-004;Nytt ventilasjonsanlegg Bakken skole;Gode tjenester;2100;Rektor;avbrutt;10\n"));
    let out = s.ada.on_server(&["import", "tiltak", &ada_file]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = lise.on_server(&["import", "tiltak", &lise_file]);
    assert!(out.status.success(), "{}", stderr(&out));
    sync(&s.ada);
    let text = sync(&lise);
    assert!(text.contains("i konflikt"), "{text}");
    let list = conflicts(&lise);
    let status = list
        .iter()
        .find(|c| c["cell"] == "tiltak T-004 status")
        .unwrap_or_else(|| panic!("{list:?}"));
    assert_eq!(
        (&status["mine"], &status["theirs"]),
        (&Value::from("\"avbrutt\""), &Value::from("\"pagar\""))
    );
    assert_eq!(status["line"], 2);
    // «Bruk deres» for the file: the server's values stand on her replica too.
    let batch = status["batch"].as_str().unwrap();
    lise.ok(&["resolve", "--batch", batch, "theirs"], "");
    sync(&lise);
    assert_eq!(
        lise.query("SELECT status, progress FROM actions"),
        ["pagar|20"]
    );
    assert_eq!(
        s.cluster
            .psql("SELECT status, progress FROM actions WHERE code = 'T-004'")
            .trim(),
        "pagar|20"
    );
}
