//! The change feed never misses a change (sharing.md §3, §7): random writers — several
//! transactions open at once, committing or rolling back in random order, inserting and
//! renaming units — interleaved with pulls of two replicas (an administrator's, and a
//! leader's of one subtree). When everything is quiet, each replica equals the server
//! within its user's rights, and no version went backwards in a replica.
//!
//! Seeded (a small xorshift generator, no dependency): `MALKART_FEED_SEEDS=N` runs more
//! seeds than the default 12; a failure names its seed.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

mod common;

use std::collections::BTreeMap;

use common::{cli, stderr, Cluster, Server};
use tokio_postgres::{Client, NoTls};

const T0: &str = "2026-11-15T10:00:00Z";
const PASSWORD: &str = "riktig hest batteri";
const WRITERS: usize = 4;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A replica of the units table: code → (name, parent, version).
#[derive(Default)]
struct Replica {
    units: BTreeMap<String, (String, Option<String>, i64)>,
    last: Option<serde_json::Value>,
}

impl Replica {
    fn pull(&mut self, server: &Server, token: &str, seed: u64) {
        let path = match &self.last {
            None => "/api/v1/pull".to_string(),
            Some(prev) => format!(
                "/api/v1/pull?after={}&scope={}",
                prev["watermark"].as_str().unwrap(),
                prev["scope"].as_str().unwrap()
            ),
        };
        let response = server.get(&path, Some(token));
        assert_eq!(response.status, 200, "seed {seed}: {}", response.body);
        let pulled = response.json();
        if pulled["reset"] == true {
            self.units.clear();
        }
        for row in pulled["changes"]["units"].as_array().unwrap() {
            let code = row["code"].as_str().unwrap().to_string();
            let version = row["version"].as_i64().unwrap();
            let name = row["name"].as_str().unwrap().to_string();
            let parent = row["parent"].as_str().map(str::to_string);
            match self.units.get(&code) {
                // A repeat (at or below what the replica has) changes nothing.
                Some((_, _, have)) if *have >= version => {}
                _ => {
                    self.units.insert(code, (name, parent, version));
                }
            }
        }
        self.last = Some(pulled);
    }
}

/// The server's units, all or the subtree of `root` (with `root`'s parent not sent).
fn server_units(
    cluster: &Cluster,
    root: Option<&str>,
) -> BTreeMap<String, (String, Option<String>, i64)> {
    let sql = match root {
        None => {
            "SELECT code, name, coalesce(parent, '-'), version FROM units ORDER BY code".to_string()
        }
        Some(root) => format!(
            "WITH RECURSIVE s (code) AS (SELECT '{root}'::text UNION
                 SELECT u.code FROM units u JOIN s ON u.parent = s.code)
             SELECT code, name, CASE WHEN code = '{root}' THEN '-' ELSE coalesce(parent, '-') END,
                    version FROM units WHERE code IN (SELECT code FROM s) ORDER BY code"
        ),
    };
    cluster
        .psql(&format!(
            "COPY ({sql}) TO STDOUT WITH (FORMAT csv, DELIMITER '|')"
        ))
        .lines()
        .map(|line| {
            let f: Vec<&str> = line.split('|').collect();
            let parent = (f[2] != "-").then(|| f[2].to_string());
            (
                f[0].to_string(),
                (f[1].to_string(), parent, f[3].parse().unwrap()),
            )
        })
        .collect()
}

#[test]
fn random_interleaved_writes_and_pulls_leave_every_replica_equal_to_the_server() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let config = cluster.config("");
    let c = config.to_str().unwrap();
    assert!(cli(&["init", "--config", c], "", T0).status.success());
    cluster.psql(
        "INSERT INTO units (code, name, sort, version, cell_versions)
         VALUES ('1000', 'Demo kommune', 0, nextval('malkart_version'), '{}'),
                ('3100', 'Solbakken skole', 1, nextval('malkart_version'), '{}');
         UPDATE units SET parent = '1000' WHERE code = '3100';",
    );
    for args in [
        vec!["add-user", "ada", "--role", "administrator", "--config", c],
        vec![
            "add-user",
            "lise",
            "--role",
            "enhetsleder",
            "--units",
            "3100",
            "--config",
            c,
        ],
    ] {
        let out = cli(&args, &format!("{PASSWORD}\n"), T0);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let server = Server::start(&config, T0);
    let login = |user: &str| {
        let r = server.login(user, PASSWORD);
        assert_eq!(r.status, 200, "{}", r.body);
        r.json()["token"].as_str().unwrap().to_string()
    };
    let (ada, lise) = (login("ada"), login("lise"));

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let writers: Vec<Client> = (0..WRITERS)
        .map(|_| {
            runtime.block_on(async {
                let (client, connection) = tokio_postgres::connect(&cluster.owner_url(), NoTls)
                    .await
                    .unwrap();
                runtime.spawn(connection);
                client
            })
        })
        .collect();

    let seeds: u64 = std::env::var("MALKART_FEED_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(12);
    for seed in 1..=seeds {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ seed.wrapping_mul(0x1000_0001));
        let mut admin = Replica::default();
        let mut leader = Replica::default();
        // Units whose creation has committed (safe parents: an FK check on a row another
        // open transaction inserted would wait for it), and each writer's own units (only
        // it renames them, so no writer waits for another's row lock).
        let mut committed: Vec<String> = vec!["1000".into(), "3100".into()];
        let mut open = [false; WRITERS];
        let mut pending: Vec<Vec<String>> = vec![Vec::new(); WRITERS];
        let mut own: Vec<Vec<String>> = vec![Vec::new(); WRITERS];
        for step in 0..40 {
            let w = rng.below(WRITERS);
            let db = &writers[w];
            match rng.below(7) {
                0 | 1 => runtime.block_on(async {
                    if !open[w] {
                        db.batch_execute("BEGIN").await.unwrap();
                        open[w] = true;
                    }
                    let code = format!("s{seed}-w{w}-{step}");
                    let parent = committed[rng.below(committed.len())].clone();
                    db.execute(
                        "INSERT INTO units (code, name, parent, sort, version, cell_versions)
                         VALUES ($1, $1, $2, 9, nextval('malkart_version'), '{}')",
                        &[&code, &parent],
                    )
                    .await
                    .unwrap();
                    pending[w].push(code);
                }),
                2 if !own[w].is_empty() => runtime.block_on(async {
                    if !open[w] {
                        db.batch_execute("BEGIN").await.unwrap();
                        open[w] = true;
                    }
                    let code = own[w][rng.below(own[w].len())].clone();
                    db.execute(
                        "UPDATE units SET name = $2, version = nextval('malkart_version') WHERE code = $1",
                        &[&code, &format!("{code} omdøpt i steg {step}")],
                    )
                    .await
                    .unwrap();
                }),
                3 if open[w] => runtime.block_on(async {
                    db.batch_execute("COMMIT").await.unwrap();
                    open[w] = false;
                    committed.extend(pending[w].iter().cloned());
                    own[w].append(&mut pending[w]);
                }),
                4 if open[w] && rng.below(3) == 0 => runtime.block_on(async {
                    db.batch_execute("ROLLBACK").await.unwrap();
                    open[w] = false;
                    pending[w].clear();
                }),
                5 => admin.pull(&server, &ada, seed),
                _ => leader.pull(&server, &lise, seed),
            }
        }
        // Quiet: everything open commits, then one more pull each.
        for (w, db) in writers.iter().enumerate() {
            if open[w] {
                runtime.block_on(async { db.batch_execute("COMMIT").await.unwrap() });
                open[w] = false;
            }
        }
        admin.pull(&server, &ada, seed);
        leader.pull(&server, &lise, seed);
        assert_eq!(
            admin.units,
            server_units(&cluster, None),
            "seed {seed}: the administrator's replica"
        );
        assert_eq!(
            leader.units,
            server_units(&cluster, Some("3100")),
            "seed {seed}: the leader's replica (3100 and below)"
        );
    }
}
