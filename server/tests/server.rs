//! The Målkart server end to end: a throwaway PostgreSQL cluster per test, the real
//! `malkart-server` binary for every command, HTTP over a real socket. Times are fixed
//! with `MALKART_SERVER_NOW`: an expired session or a throttle is shown by starting the
//! server at a later instant, never by waiting.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

mod common;

use common::{cli, stderr, Cluster, Server};
use serde_json::json;

/// The schema this build migrates to.
const SCHEMA: i64 = malkart_server::db::SUPPORTED_VERSION;
const T0: &str = "2026-11-15T10:00:00Z";
const PASSWORD: &str = "riktig hest batteri";

/// A cluster with the schema and an administrator `ada`; `None` without PostgreSQL.
fn ready() -> Option<(Cluster, std::path::PathBuf)> {
    let cluster = Cluster::start()?;
    let config = cluster.config("");
    let c = config.to_str().unwrap();
    let out = cli(&["init", "--config", c], "", T0);
    assert!(out.status.success(), "init: {}", stderr(&out));
    let out = cli(
        &["add-user", "ada", "--role", "administrator", "--config", c],
        &format!("{PASSWORD}\n"),
        T0,
    );
    assert!(out.status.success(), "add-user: {}", stderr(&out));
    Some((cluster, config))
}

fn token_of(response: &common::Response) -> String {
    assert_eq!(response.status, 200, "{}", response.body);
    response.json()["token"].as_str().unwrap().to_string()
}

#[test]
fn init_twice_is_harmless_and_a_newer_schema_is_refused_untouched() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let config = cluster.config("");
    let c = config.to_str().unwrap();
    let first = cli(&["init", "--config", c], "", T0);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(String::from_utf8_lossy(&first.stdout).contains(&format!("fra skjema 0 til {SCHEMA}")));
    let tables = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'";
    let count = cluster.psql(tables);
    let second = cli(&["init", "--config", c], "", T0);
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(String::from_utf8_lossy(&second.stdout).contains(&format!("allerede skjema {SCHEMA}")));
    assert_eq!(cluster.psql(tables), count);
    assert_eq!(
        cluster.psql("SELECT version FROM malkart_schema"),
        SCHEMA.to_string()
    );
    // The seeds are there once: 4 perspectives, 9 + 10 built-in indicators (the ten
    // 10-FAKTOR factors), 1 setting.
    assert_eq!(
        cluster.psql(
            "SELECT (SELECT count(*) FROM perspectives) || ',' || \
             (SELECT count(*) FROM indicators WHERE builtin) || ',' || \
             (SELECT count(*) FROM settings)"
        ),
        "4,19,1"
    );

    // A database from a newer version: init, add-user and run all refuse, and change nothing.
    cluster.psql("UPDATE malkart_schema SET version = 99");
    let users = "SELECT count(*) FROM users";
    for args in [
        vec!["init", "--config", c],
        vec!["add-user", "ola", "--role", "økonom", "--config", c],
        vec!["run", "--config", c],
    ] {
        let out = cli(&args, &format!("{PASSWORD}\n"), T0);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let e = stderr(&out);
        assert!(
            e.contains("nyere versjon av Målkart-serveren (skjema 99") && e.contains("ikke endret"),
            "{args:?}: {e}"
        );
    }
    assert_eq!(cluster.psql("SELECT version FROM malkart_schema"), "99");
    assert_eq!(cluster.psql(tables), count);
    assert_eq!(cluster.psql(users), "0");
}

#[test]
fn login_opens_the_protected_routes_until_logout() {
    let Some((_cluster, config)) = ready() else {
        return;
    };
    let server = Server::start(&config, T0);

    let health = server.get("/api/v1/health", None);
    assert_eq!(health.status, 200, "{}", health.body);
    assert_eq!(health.json()["schema"], SCHEMA);

    let token = token_of(&server.login("ada", PASSWORD));
    let login = server.login("ada", PASSWORD).json();
    // T0 + 12 h, the default session length
    assert_eq!(login["expires_at"], "2026-11-15T22:00:00Z");
    assert_eq!(login["user"]["role"], "administrator");
    assert!(!login.to_string().contains("argon2"), "no hash in a reply");

    let me = server.get("/api/v1/me", Some(&token));
    assert_eq!(me.status, 200, "{}", me.body);
    assert_eq!(me.json()["name"], "ada");
    assert!(!me.body.contains("argon2"));

    // Without a token, with a made-up one, with a malformed header: refused, every route.
    for (method, path) in malkart_server::http::PROTECTED_ROUTES {
        let bare = common::request(&server.addr, method, path, None, Some("{}"));
        assert_eq!(bare.status, 401, "{method} {path}: {}", bare.body);
        assert_eq!(bare.json()["kind"], "unauthenticated");
        assert!(bare.json()["message"]
            .as_str()
            .unwrap()
            .contains("logg inn"));
        let fake = common::request(
            &server.addr,
            method,
            path,
            Some(&"ab".repeat(32)),
            Some("{}"),
        );
        assert_eq!(fake.status, 401, "{method} {path}");
    }

    // An address the API does not have, or the wrong method: JSON errors in words.
    let unknown = server.get("/api/v1/finnes-ikke", None);
    assert_eq!(
        (unknown.status, unknown.json()["kind"].as_str()),
        (404, Some("not_found"))
    );
    assert!(unknown.json()["message"]
        .as_str()
        .unwrap()
        .contains("/api/v1/finnes-ikke"));
    let method = server.get("/api/v1/login", None);
    assert_eq!(method.status, 405);
    assert_eq!(method.json()["message"], "GET brukes ikke på /api/v1/login");

    // The server stores only the token's hash.
    let stored =
        _cluster.psql("SELECT encode(token_hash, 'hex') FROM sessions ORDER BY id LIMIT 1");
    assert_eq!(stored.len(), 64);
    assert_ne!(stored, token);
    assert_eq!(
        _cluster.psql(&format!(
            "SELECT count(*) FROM sessions WHERE encode(token_hash, 'escape') LIKE '%{token}%'"
        )),
        "0"
    );

    // Logout revokes the token: the same token is refused afterwards.
    assert_eq!(server.post("/api/v1/logout", Some(&token), "").status, 204);
    let after = server.get("/api/v1/me", Some(&token));
    assert_eq!(after.status, 401);
    assert!(after.body.contains("avsluttet"), "{}", after.body);

    // SIGTERM stops it cleanly.
    assert!(server.terminate().success());
}

#[test]
fn an_expired_token_is_refused_by_the_clock_not_by_waiting() {
    let Some((_cluster, config)) = ready() else {
        return;
    };
    let token = {
        let server = Server::start(&config, T0);
        token_of(&server.login("ada", PASSWORD))
    };
    // 11 h 59 min later (before T0 + 12 h): still valid.
    let server = Server::start(&config, "2026-11-15T21:59:00Z");
    assert_eq!(server.get("/api/v1/me", Some(&token)).status, 200);
    drop(server);
    // Exactly T0 + 12 h: expired.
    let server = Server::start(&config, "2026-11-15T22:00:00Z");
    let me = server.get("/api/v1/me", Some(&token));
    assert_eq!(me.status, 401);
    assert!(
        me.json()["message"].as_str().unwrap().contains("utløpt"),
        "{}",
        me.body
    );
}

#[test]
fn five_wrong_passwords_slow_the_sixth_attempt_even_with_the_right_one() {
    let Some((cluster, config)) = ready() else {
        return;
    };
    {
        let server = Server::start(&config, T0);
        for attempt in 1..=5 {
            let wrong = server.login("ada", "feil passord her");
            assert_eq!(wrong.status, 401, "attempt {attempt}");
            assert_eq!(wrong.json()["message"], "feil brukernavn eller passord");
        }
        // The 6th, at the same instant, is not even checked: 30 s to wait.
        let sixth = server.login("ada", PASSWORD);
        assert_eq!(sixth.status, 429, "{}", sixth.body);
        assert_eq!(sixth.header("retry-after"), Some("30"));
        assert!(sixth.json()["message"]
            .as_str()
            .unwrap()
            .contains("30 sekunder"));
        // An unknown name gets the same answers, throttle included: nothing tells which
        // names exist.
        for attempt in 1..=5 {
            let unknown = server.login("ingen", PASSWORD);
            assert_eq!(unknown.status, 401, "attempt {attempt}");
            assert_eq!(unknown.json()["message"], "feil brukernavn eller passord");
        }
        let sixth = server.login("ingen", PASSWORD);
        assert_eq!(
            (sixth.status, sixth.header("retry-after")),
            (429, Some("30"))
        );
        // Another user is not slowed by ada's throttle.
        let c = config.to_str().unwrap();
        let out = cli(
            &["add-user", "ola", "--role", "økonom", "--config", c],
            &format!("{PASSWORD}\n"),
            T0,
        );
        assert!(out.status.success(), "{}", stderr(&out));
        token_of(&server.login("ola", PASSWORD));
    }
    let count = "SELECT failed_logins FROM login_throttle WHERE name = 'ada'";
    assert_eq!(cluster.psql(count), "5");
    // 29 s later: still throttled (1 s left).
    {
        let server = Server::start(&config, "2026-11-15T10:00:29Z");
        let early = server.login("ada", PASSWORD);
        assert_eq!(early.status, 429);
        assert_eq!(early.header("retry-after"), Some("1"));
    }
    // 30 s later: the right password is accepted, and the count starts again.
    let server = Server::start(&config, "2026-11-15T10:00:30Z");
    token_of(&server.login("ada", PASSWORD));
    assert_eq!(cluster.psql(count), "");
}

#[test]
fn a_disabled_user_is_refused_and_their_sessions_end() {
    let Some((cluster, config)) = ready() else {
        return;
    };
    let c = config.to_str().unwrap();
    let server = Server::start(&config, T0);
    let token = token_of(&server.login("ada", PASSWORD));
    let out = cli(&["disable-user", "ada", "--config", c], "", T0);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(server.get("/api/v1/me", Some(&token)).status, 403);
    let login = server.login("ada", PASSWORD);
    assert_eq!(login.status, 403);
    assert!(login.json()["message"]
        .as_str()
        .unwrap()
        .contains("deaktivert"));
    // A wrong password does not learn that the user is disabled.
    assert_eq!(server.login("ada", "feil passord her").status, 401);
    assert_eq!(
        cluster.psql("SELECT count(*) FROM sessions WHERE revoked_at IS NULL"),
        "0"
    );
    let unknown = cli(&["disable-user", "ingen", "--config", c], "", T0);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("fant ikke brukeren «ingen»"));
}

#[test]
fn plain_http_on_a_non_loopback_address_is_refused_before_anything_starts() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("server.toml");
    // No database is running at this address: the refusal comes first.
    std::fs::write(
        &config,
        "listen = \"0.0.0.0:8640\"\n[database]\nurl = \"host=127.0.0.1 port=1 user=x\"\n",
    )
    .unwrap();
    let out = cli(&["run", "--config", config.to_str().unwrap()], "", T0);
    assert_eq!(out.status.code(), Some(2));
    let e = stderr(&out);
    assert!(
        e.contains("bare bruke vanlig HTTP på en lokal adresse") && e.contains("[tls]"),
        "{e}"
    );
}

#[test]
fn users_are_administered_with_roles_and_units_and_every_change_is_audited() {
    let Some((cluster, config)) = ready() else {
        return;
    };
    let c = config.to_str().unwrap();
    cluster.psql(
        "INSERT INTO units (code, name, parent, sort, version, cell_versions) VALUES
         ('1000', 'Demo kommune', NULL, 1, nextval('malkart_version'), '{}'),
         ('3100', 'Solbakken skole', '1000', 2, nextval('malkart_version'), '{}')",
    );
    let add = |args: &[&str], password: &str| cli(args, &format!("{password}\n"), T0);
    // A leader needs units; they must exist; an economist takes none; short passwords fail.
    let no_units = add(
        &["add-user", "lise", "--role", "enhetsleder", "--config", c],
        PASSWORD,
    );
    assert_eq!(no_units.status.code(), Some(2));
    assert!(stderr(&no_units).contains("--units"));
    let unknown = add(
        &[
            "add-user",
            "lise",
            "--role",
            "enhetsleder",
            "--units",
            "3100,9999",
            "--config",
            c,
        ],
        PASSWORD,
    );
    assert_eq!(unknown.status.code(), Some(2));
    assert!(
        stderr(&unknown).contains("enheten «9999» finnes ikke"),
        "{}",
        stderr(&unknown)
    );
    let short = add(
        &[
            "add-user",
            "lise",
            "--role",
            "enhetsleder",
            "--units",
            "3100",
            "--config",
            c,
        ],
        "kort",
    );
    assert_eq!(short.status.code(), Some(2));
    assert!(stderr(&short).contains("minst 10 tegn"));
    assert_eq!(cluster.psql("SELECT count(*) FROM users"), "1");

    let ok = add(
        &[
            "add-user",
            "lise",
            "--role",
            "enhetsleder",
            "--units",
            "3100",
            "--config",
            c,
        ],
        PASSWORD,
    );
    assert!(ok.status.success(), "{}", stderr(&ok));
    let again = add(
        &[
            "add-user", "lise", "--role", "leser", "--units", "3100", "--config", c,
        ],
        PASSWORD,
    );
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("finnes allerede"));
    let set = cli(
        &["set-role", "lise", "--role", "økonom", "--config", c],
        "",
        T0,
    );
    assert!(set.status.success(), "{}", stderr(&set));
    assert_eq!(
        cluster.psql("SELECT role || ':' || (SELECT count(*) FROM user_units uu WHERE uu.user_id = u.id) FROM users u WHERE name = 'lise'"),
        "økonom:0"
    );
    let server = Server::start(&config, T0);
    let me = server.get(
        "/api/v1/me",
        Some(&token_of(&server.login("lise", PASSWORD))),
    );
    assert_eq!(me.json()["role"], "økonom");

    // add ada, add lise, set-role lise: three batches, never a hash in the log.
    let log = cluster.psql("SELECT b.source || ' ' || a.key || ' ' || coalesce(a.new, '') FROM audit a JOIN audit_batches b ON b.id = a.batch ORDER BY a.id");
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 3, "{log}");
    assert!(
        lines[1].starts_with("malkart-server add-user lise") && lines[1].contains("\"3100\""),
        "{log}"
    );
    assert!(
        lines[2].starts_with("malkart-server set-role lise") && lines[2].contains("økonom"),
        "{log}"
    );
    assert!(!log.contains("argon2"));
}

#[test]
fn the_audit_log_is_append_only_for_the_server_and_its_owner() {
    let Some((cluster, config)) = ready() else {
        return;
    };
    // The server's role may insert but not change or remove entries (grants) …
    let update = cluster.psql_as("malkart_server", "UPDATE audit SET new = 'x'");
    assert!(update.unwrap_err().contains("permission denied"));
    let delete = cluster.psql_as("malkart_server", "DELETE FROM audit_batches");
    assert!(delete.unwrap_err().contains("permission denied"));
    // … and even the owner is stopped by the trigger.
    let owner = cluster.psql_as("postgres", "DELETE FROM audit");
    assert!(owner.unwrap_err().contains("kan bare utvides"));
    let truncate = cluster.psql_as("postgres", "TRUNCATE audit_batches CASCADE");
    assert!(truncate.is_err());
    assert_eq!(cluster.psql("SELECT count(*) FROM audit"), "1");

    // A server configured to run as the owner refuses to start.
    let owner_config = cluster.dir.path().join("owner.toml");
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("user=malkart_server", "user=postgres");
    std::fs::write(&owner_config, text).unwrap();
    let out = cli(&["run", "--config", owner_config.to_str().unwrap()], "", T0);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("kan endre revisjonsloggen"),
        "{}",
        stderr(&out)
    );
}

/// The tree of the pull tests: 1000 › 2000 › 3100 › 3110, and 1000 › 4000.
fn with_units(cluster: &Cluster, config: &std::path::Path) {
    cluster.psql(
        "INSERT INTO units (code, name, parent, sort, version, cell_versions)
         SELECT code, name, parent, sort, v, malkart_cells('{name,parent,level}', v)
         FROM (SELECT *, nextval('malkart_version') AS v FROM (VALUES
             ('1000', 'Demo kommune', NULL, 1), ('2000', 'Oppvekst', '1000', 2),
             ('3100', 'Solbakken skole', '2000', 3), ('3110', 'SFO Solbakken', '3100', 4),
             ('4000', 'Helse og omsorg', '1000', 5)) AS t (code, name, parent, sort)) AS s",
    );
    let c = config.to_str().unwrap();
    let pw = format!("{PASSWORD}\n");
    for args in [
        [
            "add-user",
            "lise",
            "--role",
            "enhetsleder",
            "--units",
            "3100",
            "--config",
            c,
        ],
        [
            "add-user", "dina", "--role", "leser", "--units", "1000", "--config", c,
        ],
    ] {
        let out = cli(&args, &pw, T0);
        assert!(out.status.success(), "{}", stderr(&out));
    }
}

fn codes(pulled: &serde_json::Value) -> Vec<String> {
    pulled["changes"]["units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["code"].as_str().unwrap().to_string())
        .collect()
}

fn pull(server: &Server, token: &str, after: Option<&serde_json::Value>) -> serde_json::Value {
    let path = match after {
        None => "/api/v1/pull".to_string(),
        Some(prev) => format!(
            "/api/v1/pull?after={}&scope={}",
            prev["watermark"].as_str().unwrap(),
            prev["scope"].as_str().unwrap()
        ),
    };
    let response = server.get(&path, Some(token));
    assert_eq!(response.status, 200, "{}", response.body);
    response.json()
}

#[test]
fn pull_gives_each_role_only_the_units_it_may_read_then_only_what_changed() {
    let Some((cluster, config)) = ready() else {
        return;
    };
    with_units(&cluster, &config);
    let server = Server::start(&config, T0);
    let lise = token_of(&server.login("lise", PASSWORD));
    let dina = token_of(&server.login("dina", PASSWORD));
    let ada = token_of(&server.login("ada", PASSWORD));

    // First pulls: the leader her subtree (3100 at its top, its parent not sent), the
    // reader of 1000 everything below it, the administrator everything; all the 19 built-in
    // indicators.
    let first = pull(&server, &lise, None);
    assert_eq!(first["reset"], true);
    assert_eq!(codes(&first), ["3100", "3110"]);
    assert_eq!(
        first["changes"]["units"][0]["parent"],
        serde_json::Value::Null
    );
    assert_eq!(first["changes"]["units"][1]["parent"], "3100");
    // The 9 built-in indicators and the ten 10-FAKTOR factors.
    assert_eq!(first["changes"]["indicators"].as_array().unwrap().len(), 19);
    let sf = &first["changes"]["indicators"].as_array().unwrap()[0];
    assert_eq!(
        (sf["code"].as_str(), sf["factor"].as_f64()),
        (Some("OK-AVVIK"), Some(100.0))
    );
    assert_eq!(
        codes(&pull(&server, &dina, None)),
        ["1000", "2000", "3100", "3110", "4000"]
    );
    let ada_first = pull(&server, &ada, None);
    assert_eq!(codes(&ada_first), ["1000", "2000", "3100", "3110", "4000"]);

    // Nothing changed: an empty pull, and the same scope.
    let quiet = pull(&server, &lise, Some(&first));
    assert_eq!(quiet["reset"], false);
    assert!(codes(&quiet).is_empty());
    assert!(quiet["changes"]["indicators"]
        .as_array()
        .unwrap()
        .is_empty());

    // A unit under 3100 and one under 4000: the leader gets hers only, the administrator
    // both; a renamed unit comes again with a higher version.
    cluster.psql(
        "INSERT INTO units (code, name, parent, sort, version, cell_versions) VALUES
         ('3120', 'Solbakken bibliotek', '3100', 6, nextval('malkart_version'), '{}'),
         ('4100', 'Hjemmetjenesten', '4000', 7, nextval('malkart_version'), '{}');
         UPDATE units SET name = 'Solbakken barneskole', version = nextval('malkart_version')
         WHERE code = '3100'",
    );
    let next = pull(&server, &lise, Some(&quiet));
    assert_eq!(codes(&next), ["3100", "3120"]);
    assert_eq!(next["changes"]["units"][0]["name"], "Solbakken barneskole");
    assert!(
        next["changes"]["units"][0]["version"].as_i64()
            > first["changes"]["units"][0]["version"].as_i64()
    );
    assert_eq!(
        codes(&pull(&server, &ada, Some(&ada_first))),
        ["3100", "3120", "4100"]
    );

    // 4000 (with 4100 below it, an old row) moves under 3110, into her subtree: every
    // limited reader's scope changes, and her replica is refilled with both.
    cluster.psql("UPDATE units SET parent = '3110', version = nextval('malkart_version') WHERE code = '4000'");
    let refill = pull(&server, &lise, Some(&next));
    assert_eq!(refill["reset"], true);
    assert_eq!(codes(&refill), ["3100", "3110", "3120", "4000", "4100"]);
    let next = refill;

    // Her units change: the old scope no longer holds, so the next pull starts over.
    let c = config.to_str().unwrap();
    let out = cli(
        &[
            "set-role",
            "lise",
            "--role",
            "enhetsleder",
            "--units",
            "4100",
            "--config",
            c,
        ],
        "",
        T0,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let moved = pull(&server, &lise, Some(&next));
    assert_eq!(moved["reset"], true);
    assert_eq!(codes(&moved), ["4100"]);

    // The same pull as column names and row arrays (`shape=rows`, what the desktop asks
    // for) holds the same rows, value for value — `cell_versions` `true` being every cell
    // of the table at the row's version; a shape the server does not know is refused.
    let objects = pull(&server, &ada, None);
    let arrays = server.get("/api/v1/pull?shape=rows", Some(&ada));
    assert_eq!(arrays.status, 200, "{}", arrays.body);
    let arrays = arrays.json();
    let mut short = 0;
    for (table, rows) in objects["changes"].as_object().unwrap() {
        let rows = rows.as_array().unwrap();
        let shaped = &arrays["changes"][table];
        let names: Vec<&str> = shaped["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap())
            .collect();
        let as_objects: Vec<serde_json::Value> = shaped["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let values = r.as_array().unwrap();
                assert_eq!(values.len(), names.len(), "{table}");
                let mut row: serde_json::Map<String, serde_json::Value> = names
                    .iter()
                    .zip(values)
                    .map(|(n, v)| (n.to_string(), v.clone()))
                    .collect();
                if row["cell_versions"] == json!(true) {
                    short += 1;
                    let version = row["version"].clone();
                    row["cell_versions"] = malkart::storage::replicated_cells(table)
                        .iter()
                        .map(|c| (c.to_string(), version.clone()))
                        .collect();
                }
                serde_json::Value::Object(row)
            })
            .collect();
        assert_eq!(&as_objects, rows, "{table}");
    }
    assert!(short > 0, "no row had every cell at its version");
    assert!(!arrays["changes"]["units"]["rows"]
        .as_array()
        .unwrap()
        .is_empty());
    let unknown = server.get("/api/v1/pull?shape=csv", Some(&ada));
    assert_eq!(unknown.status, 400);
    assert!(unknown.json()["message"]
        .as_str()
        .unwrap()
        .contains("shape"));

    // A watermark that is not one is refused.
    let bad = server.get(
        &format!(
            "/api/v1/pull?after=abc&scope={}",
            moved["scope"].as_str().unwrap()
        ),
        Some(&lise),
    );
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["kind"], "invalid");
}

#[test]
fn a_pull_never_misses_a_transaction_that_commits_after_a_later_one() {
    let Some((cluster, config)) = ready() else {
        return;
    };
    let server = Server::start(&config, T0);
    let ada = token_of(&server.login("ada", PASSWORD));
    let before = pull(&server, &ada, None);
    assert!(codes(&before).is_empty());

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let connect = || {
        runtime.block_on(async {
            let (client, connection) =
                tokio_postgres::connect(&cluster.owner_url(), tokio_postgres::NoTls)
                    .await
                    .unwrap();
            runtime.spawn(connection);
            client
        })
    };
    let first = connect();
    let second = connect();
    let insert = "INSERT INTO units (code, name, sort, version, cell_versions)
                  VALUES ($1, $1, 1, nextval('malkart_version'), '{}')";
    runtime.block_on(async {
        // The first transaction starts and writes A (the lower xid and version) …
        first.batch_execute("BEGIN").await.unwrap();
        first.execute(insert, &[&"A"]).await.unwrap();
        // … the second starts later, writes B and commits first.
        second.batch_execute("BEGIN").await.unwrap();
        second.execute(insert, &[&"B"]).await.unwrap();
        second.batch_execute("COMMIT").await.unwrap();
    });
    let during = pull(&server, &ada, Some(&before));
    assert_eq!(codes(&during), ["B"]);
    runtime.block_on(async { first.batch_execute("COMMIT").await.unwrap() });
    // A's version is below B's: "changes after the highest version seen" would skip A for
    // ever. The watermark (the xmin of the pull's snapshot) is still below A's transaction.
    let versions = cluster.psql("SELECT string_agg(version::text, ' ' ORDER BY code) FROM units");
    let v: Vec<i64> = versions.split(' ').map(|s| s.parse().unwrap()).collect();
    assert!(v[0] < v[1], "{versions}");
    let after = pull(&server, &ada, Some(&during));
    // B again: its transaction is above the old watermark too. The replica applies rows by
    // version, so a repeat is harmless; a miss would not be.
    assert_eq!(codes(&after), ["A", "B"]);
    assert!(codes(&pull(&server, &ada, Some(&after))).is_empty());
}

#[test]
fn two_inits_at_once_both_succeed_and_migrate_once() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let config = cluster.config("");
    let c = config.to_str().unwrap();
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_malkart-server"))
            .args(["init", "--config", c])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    assert!(a.status.success(), "{}", stderr(&a));
    assert!(b.status.success(), "{}", stderr(&b));
    // One of them migrated (0 → the newest), the other found the work done under the lock.
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&a.stdout),
        String::from_utf8_lossy(&b.stdout)
    );
    assert_eq!(
        said.matches(format!("fra skjema 0 til {SCHEMA}").as_str())
            .count(),
        1,
        "{said}"
    );
    assert_eq!(
        said.matches(format!("allerede skjema {SCHEMA}").as_str())
            .count(),
        1,
        "{said}"
    );
    assert_eq!(cluster.psql("SELECT count(*) FROM perspectives"), "4");
}

#[test]
fn with_tls_the_server_listens_on_any_address_over_https_only() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let dir = cluster.dir.path();
    let made = std::process::Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        ])
        .args([
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
        ])
        .arg("-keyout")
        .arg(dir.join("server.key"))
        .arg("-out")
        .arg(dir.join("server.pem"))
        .output();
    if !made.as_ref().is_ok_and(|o| o.status.success()) {
        eprintln!("hopper over: openssl kan ikke lage et testsertifikat");
        return;
    }
    // Relative paths are relative to the config file's folder.
    let config = cluster.config("[tls]\ncertificate = \"server.pem\"\nkey = \"server.key\"\n");
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("127.0.0.1:0", "0.0.0.0:0");
    std::fs::write(&config, text).unwrap();
    let c = config.to_str().unwrap();
    assert!(cli(&["init", "--config", c], "", T0).status.success());

    let server = Server::start(&config, T0);
    assert!(
        server.https && server.addr.starts_with("0.0.0.0:"),
        "{}",
        server.addr
    );
    // Plain HTTP to the TLS port gets no answer from the API.
    let plain = std::panic::catch_unwind(|| {
        common::request(
            &format!("127.0.0.1:{}", server.port()),
            "GET",
            "/api/v1/health",
            None,
            None,
        )
    });
    assert!(plain.map(|r| r.status != 200).unwrap_or(true));
    // HTTPS with the certificate trusted: healthy (curl, when the machine has it).
    let curl = std::process::Command::new("curl")
        .args(["-s", "--cacert"])
        .arg(dir.join("server.pem"))
        .arg(format!("https://localhost:{}/api/v1/health", server.port()))
        .output();
    if let Ok(out) = curl {
        assert!(out.status.success(), "curl: {}", stderr(&out));
        assert!(String::from_utf8_lossy(&out.stdout).contains("\"status\":\"ok\""));
    }
    assert!(server.terminate().success());

    // A certificate that is not there: refused, in words, naming the file.
    std::fs::remove_file(dir.join("server.pem")).unwrap();
    let out = cli(&["run", "--config", c], "", T0);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("kunne ikke lese sertifikatet"),
        "{}",
        stderr(&out)
    );
}

/// The values of `field` in the pulled rows of `table`, in the order sent.
fn field_of(pulled: &serde_json::Value, table: &str, field: &str) -> Vec<String> {
    pulled["changes"][table]
        .as_array()
        .unwrap_or_else(|| panic!("no table {table} in {pulled}"))
        .iter()
        .map(|row| match &row[field] {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect()
}

#[test]
fn pull_sends_figures_only_of_readable_units_and_raw_sick_leave_never_to_a_reader() {
    let Some((cluster, config)) = ready() else {
        return;
    };
    with_units(&cluster, &config);
    // January 2026 is month index 2026 × 12 + 0 = 24312.
    cluster.psql(
        "INSERT INTO indicators (code, name, perspective, decimals, direction, frequency,
             aggregation, unit_rollup, factor, version, cell_versions)
         VALUES ('BRUK', 'Brukertilfredshet', 'brukere', 1, 'høy', 'måned', 'snitt', 'snitt',
                 1, nextval('malkart_version'), '{}');
         INSERT INTO measurements (indicator, span_first, unit, span_last, value, version, cell_versions)
         VALUES ('BRUK', 24312, '3110', 24312, 0.30000000000000004, nextval('malkart_version'), '{}'),
                ('BRUK', 24312, '4000', 24312, 4.5, nextval('malkart_version'), '{}');
         INSERT INTO targets (indicator, unit, year, target, version, cell_versions)
         VALUES ('BRUK', NULL, 2026, 4.0, nextval('malkart_version'), '{}'),
                ('BRUK', '4000', 2026, 4.2, nextval('malkart_version'), '{}');
         INSERT INTO sick_leave (unit, month, contracted_days, self_certified, doctor_certified,
                                 version, cell_versions)
         VALUES ('3100', 24312, 880, 14.5, 41, nextval('malkart_version'), '{}'),
                ('4000', 24312, 420, 6, 21, nextval('malkart_version'), '{}');
         INSERT INTO economy (unit, month, budget, actual, version, cell_versions)
         VALUES ('3110', 24312, 100000000, 98765432, nextval('malkart_version'), '{}'),
                ('4000', 24312, 200000000, NULL, nextval('malkart_version'), '{}');
         INSERT INTO comments (uid, indicator, unit, period, author, text, created_at, version, cell_versions)
         VALUES ('0190a000-0000-7000-8000-000000000001', 'BRUK', '3100', '2026-01', 'lise', 'Ny rektor',
                 '2026-02-01T10:00:00Z', nextval('malkart_version'), '{}'),
                ('0190a000-0000-7000-8000-000000000002', 'BRUK', '4000', '2026-01', 'ada', 'Turnus',
                 '2026-02-02T10:00:00Z', nextval('malkart_version'), '{}');
         INSERT INTO locked_months (month, locked_by, locked_at, version, cell_versions)
         VALUES (24312, 'ada', '2026-02-10T10:00:00Z', nextval('malkart_version'), '{}');
         INSERT INTO deletions (entity, key, version) VALUES
             ('comments', '{\"uid\": \"0190a000-0000-7000-8000-000000000009\", \"unit\": \"3110\"}', nextval('malkart_version')),
             ('comments', '{\"uid\": \"0190a000-0000-7000-8000-000000000010\", \"unit\": \"4000\"}', nextval('malkart_version'));",
    );
    let server = Server::start(&config, T0);
    let lise = pull(&server, &token_of(&server.login("lise", PASSWORD)), None);
    let dina = pull(&server, &token_of(&server.login("dina", PASSWORD)), None);
    let ada = pull(&server, &token_of(&server.login("ada", PASSWORD)), None);

    // The leader (3100 and below): her figures, the default target, her raw sick leave.
    assert_eq!(field_of(&lise, "measurements", "unit"), ["3110"]);
    assert_eq!(field_of(&lise, "targets", "unit"), ["null"]);
    assert_eq!(field_of(&lise, "sick_leave", "unit"), ["3100"]);
    assert_eq!(field_of(&lise, "economy", "unit"), ["3110"]);
    assert_eq!(field_of(&lise, "comments", "text"), ["Ny rektor"]);
    assert_eq!(lise["deletions"].as_array().unwrap().len(), 1);
    assert_eq!(lise["deletions"][0]["key"]["unit"], "3110");
    // Definitions are everyone's: 4 perspectives, 10 + the ten 10-FAKTOR indicators, the
    // lock, the setting.
    assert_eq!(field_of(&lise, "perspectives", "key").len(), 4);
    assert_eq!(field_of(&lise, "indicators", "code").len(), 20);
    assert_eq!(field_of(&lise, "locked_months", "month"), ["24312"]);
    assert_eq!(field_of(&lise, "settings", "value"), ["5"]);

    // The reader of the whole municipality: every figure, but no raw sick-leave row.
    assert_eq!(field_of(&dina, "measurements", "unit"), ["3110", "4000"]);
    assert_eq!(field_of(&dina, "targets", "unit"), ["4000", "null"]);
    assert!(field_of(&dina, "sick_leave", "unit").is_empty());
    assert_eq!(dina["deletions"].as_array().unwrap().len(), 2);
    // The administrator: everything.
    assert_eq!(field_of(&ada, "sick_leave", "unit"), ["3100", "4000"]);

    // Figures arrive exactly: the f64 0.1 + 0.2 bit for bit, øre as integers, NULL as null,
    // with the version and the cells' versions, and no transaction id.
    let m = &ada["changes"]["measurements"][0];
    assert_eq!(
        m["value"].as_f64().unwrap().to_bits(),
        (0.1_f64 + 0.2).to_bits()
    );
    assert!(m["version"].as_i64().unwrap() > 0 && m["cell_versions"].is_object());
    assert!(m.get("xid").is_none());
    let e = &ada["changes"]["economy"];
    assert_eq!(
        (e[0]["actual"].as_i64(), e[1]["actual"].is_null()),
        (Some(98_765_432), true)
    );
    assert_eq!(
        ada["changes"]["sick_leave"][0]["self_certified"].as_f64(),
        Some(14.5)
    );
}

#[test]
fn the_audit_log_shows_each_entry_only_to_those_who_may_read_its_rows() {
    let Some((cluster, config)) = ready() else {
        return;
    };
    with_units(&cluster, &config);
    // After add-user ada, lise, dina (three `bruker` entries): one batch of five entries.
    cluster.psql(
        "INSERT INTO audit_batches (uid, at, user_name, device, source)
         VALUES ('0190a000-0000-7000-8000-0000000000b1', '2026-11-15T09:30:00Z', 'ada', 'pc-17', 'manuell');
         INSERT INTO audit (batch, entity, key, unit, old, new)
         SELECT currval(pg_get_serial_sequence('audit_batches', 'id')), e, k, u, NULL, '{}'
         FROM (VALUES ('måling', 'BRUK / 3110 / 2026-01', '3110'),
                      ('måling', 'BRUK / 4000 / 2026-01', '4000'),
                      ('sykefravær', '3100 / 2026-01', '3100'),
                      ('enhet', '3110', NULL),
                      ('indikator', 'BRUK', NULL)) AS t (e, k, u)
         ORDER BY k",
    );
    let server = Server::start(&config, T0);
    let log = |user: &str, query: &str| {
        let token = token_of(&server.login(user, PASSWORD));
        let r = server.get(&format!("/api/v1/audit{query}"), Some(&token));
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()
    };
    let keys = |page: &serde_json::Value| -> Vec<String> {
        page["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                format!(
                    "{} {}",
                    e["entity"].as_str().unwrap(),
                    e["key"].as_str().unwrap()
                )
            })
            .collect()
    };
    let all = log("ada", "");
    assert_eq!(all["entries"].as_array().unwrap().len(), 8, "{all}");
    assert_eq!(all["next_before"], serde_json::Value::Null);
    // Newest first; the batch's entries are numbered in their batch, as the core's uids.
    let newest = &all["entries"][0];
    assert_eq!(newest["uid"], "0190a000-0000-7000-8000-0000000000b1/5");
    assert_eq!(
        (newest["at"].as_str(), newest["device"].as_str()),
        (Some("2026-11-15T09:30:00Z"), Some("pc-17"))
    );
    // The leader of 3100: her unit's figures and raw sick leave, definitions; no user
    // changes, nothing of 4000.
    assert_eq!(
        keys(&log("lise", "")),
        [
            "måling BRUK / 3110 / 2026-01",
            "indikator BRUK",
            "enhet 3110",
            "sykefravær 3100 / 2026-01"
        ]
    );
    // The reader of the whole municipality: every figure, but no raw sick leave.
    assert_eq!(
        keys(&log("dina", "")),
        [
            "måling BRUK / 4000 / 2026-01",
            "måling BRUK / 3110 / 2026-01",
            "indikator BRUK",
            "enhet 3110"
        ]
    );
    // Pages: 3 newest, then the 3 before them, then the last 2.
    let first = log("ada", "?limit=3");
    assert_eq!(first["entries"].as_array().unwrap().len(), 3);
    let second = log("ada", &format!("?limit=3&before={}", first["next_before"]));
    assert_eq!(
        second["entries"][0]["id"].as_i64().unwrap(),
        first["next_before"].as_i64().unwrap() - 1
    );
    let third = log("ada", &format!("?limit=3&before={}", second["next_before"]));
    assert_eq!(
        (
            third["entries"].as_array().unwrap().len(),
            &third["next_before"]
        ),
        (2, &serde_json::Value::Null)
    );
    let bad = server.get(
        "/api/v1/audit?limit=0",
        Some(&token_of(&server.login("ada", PASSWORD))),
    );
    assert_eq!(bad.status, 400);
}

#[test]
fn a_desktop_that_hangs_up_mid_pull_leaves_the_server_whole() {
    let Some((cluster, config)) = ready() else {
        return;
    };
    with_units(&cluster, &config);
    // 60 000 measurements: an answer of several megabytes, still streaming when the
    // desktop hangs up.
    cluster.psql(
        "INSERT INTO indicators (code, name, perspective, decimals, direction, frequency,
             aggregation, unit_rollup, factor, version, cell_versions)
         VALUES ('BRUK', 'Brukertilfredshet', 'brukere', 1, 'høy', 'måned', 'snitt', 'snitt',
                 1, nextval('malkart_version'), '{}');
         INSERT INTO measurements (indicator, span_first, unit, span_last, value, version, cell_versions)
         SELECT 'BRUK', m, u, m, m * 0.5, nextval('malkart_version'), '{}'
         FROM generate_series(1, 12000) m, unnest('{1000,2000,3100,3110,4000}'::text[]) u",
    );
    let server = Server::start(&config, T0);
    let token = token_of(&server.login("ada", PASSWORD));
    // More hang-ups than the pool has connections (4).
    for _ in 0..6 {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(&server.addr).unwrap();
        write!(
            stream,
            "GET /api/v1/pull HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\r\n"
        )
        .unwrap();
        let mut first = [0_u8; 4096];
        stream.read_exact(&mut first).unwrap();
        assert!(String::from_utf8_lossy(&first).starts_with("HTTP/1.1 200"));
        drop(stream);
    }
    // Every connection went back to the pool outside its read-only transaction: a login
    // (which writes a session) and a whole pull still work.
    let again = token_of(&server.login("lise", PASSWORD));
    let whole = pull(&server, &token, None);
    assert_eq!(
        whole["changes"]["measurements"].as_array().unwrap().len(),
        60_000
    );
    assert_eq!(server.get("/api/v1/me", Some(&again)).status, 200);
}
