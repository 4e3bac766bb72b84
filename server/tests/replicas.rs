//! Desktops with replicas against one server (issue 13, "How it is checked"): real
//! processes throughout — a throwaway PostgreSQL cluster, the `malkart-server` binary and
//! the `malkart` command line of several desktops, each with its own data folder
//! (`XDG_DATA_HOME`) and so its own replica. The faults are made deterministic with a small
//! TCP proxy between the desktops and the server that cuts, stalls or swallows an answer at
//! a chosen byte, so nothing here waits on timing luck.
//!
//! The `malkart` binary is the one beside `malkart-server` in the target folder: `cargo
//! test --workspace` (scripts/test.sh) builds both; alone, `cargo build -p malkart` first.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::desktop::{Desktop, PASSWORD};
use common::{cli, stderr, Cluster, Server};

const T0: &str = "2026-11-15T10:00:00Z";
/// The example files (a copy of `../shared/examples`, see tests/fixtures/examples).
const EXAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/examples");

/// A cluster and a server with four users: ada (administrator), eva (økonom), lise
/// (enhetsleder for 2100) and dina (leser for 1000, the rådmann); and the example
/// municipality (../shared/examples) put on the server by ada from her replica.
struct Setup {
    cluster: Cluster,
    config: PathBuf,
    server: std::cell::RefCell<Option<Server>>,
    proxy: Proxy,
    ada: Desktop,
}

impl Setup {
    fn new() -> Option<Setup> {
        let cluster = Cluster::start()?;
        let config = cluster.config("");
        let c = config.to_str().unwrap().to_string();
        let out = cli(&["init", "--config", &c], "", T0);
        assert!(out.status.success(), "init: {}", stderr(&out));
        let out = cli(
            &["add-user", "ada", "--role", "administrator", "--config", &c],
            &format!("{PASSWORD}\n"),
            T0,
        );
        assert!(out.status.success(), "add-user: {}", stderr(&out));
        let server = Server::start(&config, T0);
        let proxy = Proxy::start(&server.addr);
        let ada = Desktop::new();
        let setup = Setup {
            cluster,
            config,
            server: std::cell::RefCell::new(Some(server)),
            proxy,
            ada,
        };
        setup.ada.connect(&setup.url(), "ada");
        for (kind, file) in [
            ("enheter", "enheter.csv"),
            ("indikatorer", "indikatorer.csv"),
            ("mål", "mål.csv"),
            ("målinger", "målinger.csv"),
            ("sykefravær", "sykefravær.csv"),
        ] {
            let path = format!("{EXAMPLES}/{file}");
            let out = setup.ada.on_server(&["import", kind, &path]);
            assert!(out.status.success(), "import {file}: {}", stderr(&out));
        }
        let text = setup.ada.ok(&["sync"], "");
        assert!(text.contains("lagret"), "{text}");
        assert_eq!(
            setup.ada.query("SELECT COUNT(*) FROM outbox"),
            ["0"],
            "{text}"
        );
        for (user, role, units) in [
            ("eva", "økonom", None),
            ("lise", "enhetsleder", Some("2100")),
            ("dina", "leser", Some("1000")),
        ] {
            let mut args = vec!["add-user", user, "--role", role, "--config", &c];
            if let Some(units) = units {
                args.extend(["--units", units]);
            }
            let out = cli(&args, &format!("{PASSWORD}\n"), T0);
            assert!(out.status.success(), "add-user {user}: {}", stderr(&out));
        }
        Some(setup)
    }

    /// The server's address as desktops use it: through the proxy.
    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.proxy.port)
    }

    /// `GET /api/v1/health`'s status from the running server.
    fn health(&self) -> u16 {
        let server = self.server.borrow();
        server.as_ref().unwrap().get("/api/v1/health", None).status
    }

    fn kill_server(&self) {
        self.server.borrow_mut().take().unwrap().kill_9();
    }

    fn start_server(&self) {
        let server = Server::start(&self.config, T0);
        self.proxy.point_to(&server.addr);
        *self.server.borrow_mut() = Some(server);
    }
}

// ---- the proxy -------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    /// Every byte both ways.
    Pass,
    /// The answer's first `n` bytes, then both sides closed: a connection cut mid-answer.
    CutAfter(usize),
    /// The answer's first `n` bytes, then nothing until the server's side closes (the test
    /// kills it): a server killed during an answer.
    StallAfter(usize),
    /// The answer is read from the server (so it has committed) but never passed on: a
    /// reply lost on the way.
    Swallow,
    /// The request is taken and never passed on, the connection held open (its opening
    /// announced on `answered`): the test kills the client while it waits, before the
    /// server has seen anything.
    Hold,
    /// The connection closed at once: the server cannot be reached (a desktop offline).
    Refuse,
}

/// A TCP proxy to the server; each connection gets the mode set when it opened, and its
/// first answer byte is announced on `answered` (the server has done its work by then).
struct Proxy {
    port: u16,
    upstream: Arc<Mutex<String>>,
    mode: Arc<Mutex<Mode>>,
    answered: Receiver<()>,
}

impl Proxy {
    fn start(upstream: &str) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let upstream = Arc::new(Mutex::new(upstream.to_string()));
        let mode = Arc::new(Mutex::new(Mode::Pass));
        let (tx, rx) = channel();
        let (up, md) = (upstream.clone(), mode.clone());
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let addr = up.lock().unwrap().clone();
                let mode = *md.lock().unwrap();
                let tx = tx.clone();
                std::thread::spawn(move || relay(client, &addr, mode, &tx));
            }
        });
        Proxy {
            port,
            upstream,
            mode,
            answered: rx,
        }
    }

    fn set(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
        while self.answered.try_recv().is_ok() {}
    }

    fn point_to(&self, addr: &str) {
        *self.upstream.lock().unwrap() = addr.to_string();
    }

    /// Waits (up to a minute, for a loaded machine) until an answer has begun.
    fn wait_answered(&self) {
        self.answered
            .recv_timeout(Duration::from_secs(60))
            .expect("serveren svarte ikke gjennom proxyen");
    }
}

fn relay(mut client: TcpStream, addr: &str, mode: Mode, answered: &Sender<()>) {
    match mode {
        Mode::Refuse => {
            let _ = client.shutdown(std::net::Shutdown::Both);
            return;
        }
        Mode::Hold => {
            let _ = answered.send(());
            let mut buf = [0u8; 4096];
            while matches!(client.read(&mut buf), Ok(n) if n > 0) {}
            return;
        }
        _ => {}
    }
    let Ok(mut server) = TcpStream::connect(addr) else {
        return;
    };
    let (mut c_in, mut s_out) = (client.try_clone().unwrap(), server.try_clone().unwrap());
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut c_in, &mut s_out);
        let _ = s_out.shutdown(std::net::Shutdown::Write);
    });
    let mut buf = [0u8; 16 * 1024];
    let mut passed = 0usize;
    let mut announced = false;
    loop {
        let n = match server.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if !announced {
            announced = true;
            let _ = answered.send(());
        }
        match mode {
            Mode::Pass => {
                if client.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
            Mode::Swallow | Mode::Hold | Mode::Refuse => break,
            Mode::CutAfter(limit) | Mode::StallAfter(limit) => {
                let take = n.min(limit.saturating_sub(passed));
                if take > 0 && client.write_all(&buf[..take]).is_err() {
                    break;
                }
                passed += take;
                if passed >= limit {
                    if matches!(mode, Mode::StallAfter(_)) {
                        // Hold the client until the server's side is gone.
                        while matches!(server.read(&mut buf), Ok(n) if n > 0) {}
                    }
                    break;
                }
            }
        }
    }
    let _ = client.shutdown(std::net::Shutdown::Both);
    let _ = server.shutdown(std::net::Shutdown::Both);
}

// ---- the tests -------------------------------------------------------------------------

#[test]
fn an_economists_import_reaches_the_directors_replica_and_a_leader_keeps_to_her_subtree() {
    let Some(setup) = Setup::new() else { return };
    let (eva, lise, dina) = (Desktop::new(), Desktop::new(), Desktop::new());
    eva.connect(&setup.url(), "eva");
    lise.connect(&setup.url(), "lise");
    dina.connect(&setup.url(), "dina");
    assert_eq!(dina.query("SELECT COUNT(*) FROM economy"), ["0"]);

    // The economist imports the economy file into her replica; it is pushed by `sync`.
    let path = format!("{EXAMPLES}/økonomi.csv");
    let out = eva.on_server(&["import", "økonomi", &path]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = eva.ok(&["sync"], "");
    assert!(!text.contains("venter"), "{text}");
    let eva_economy =
        eva.query("SELECT unit, month, budget, actual, forecast FROM economy ORDER BY month, unit");
    assert!(!eva_economy.is_empty());

    // The rådmann (leser for 1000, the whole municipality) sees it after a pull.
    dina.ok(&["sync"], "");
    assert_eq!(
        dina.query(
            "SELECT unit, month, budget, actual, forecast FROM economy ORDER BY month, unit"
        ),
        eva_economy
    );
    // … but no raw sick-leave row: a leser gets sick leave only as the masked summary.
    assert_eq!(dina.query("SELECT COUNT(*) FROM sick_leave"), ["0"]);
    assert_ne!(dina.query("SELECT COUNT(*) FROM sick_leave_summary"), ["0"]);
    // From it her målkart shows the municipality's SF exactly as the administrator's:
    // January 2026, every unit, (14,5 + 41 + 6 + 21 + 9,5 + 62 + 7 + 48,5 + 20 + 95)
    // = 324,5 absent of 880 + 420 + 610,5 + 590 + 1 240 = 3 740,5 dagsverk → 8,7 %.
    let sf = |d: &Desktop| -> Vec<String> {
        let out = d.on_server(&[
            "status", "--unit", "1000", "--period", "2026-01", "--format", "json",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let found = v["perspectives"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| p["indicators"].as_array().cloned().unwrap_or_default())
            .find(|i| i["code"] == "SF")
            .unwrap();
        ["numerator", "denominator", "display"]
            .iter()
            .map(|k| found[*k].to_string())
            .collect()
    };
    setup.ada.ok(&["sync"], "");
    assert_eq!(sf(&dina), ["324.5", "3740.5", "\"8,7 %\""]);
    assert_eq!(sf(&dina), sf(&setup.ada));

    // The leader's replica holds her subtree (2100) and nothing of other units.
    assert_eq!(lise.query("SELECT code FROM units"), ["2100"]);
    let units: Vec<String> = lise.query("SELECT DISTINCT unit FROM sick_leave");
    assert_eq!(units, ["2100"]);
    let all: Vec<String> = setup
        .ada
        .query("SELECT DISTINCT unit FROM sick_leave ORDER BY unit");
    assert!(
        all.len() > 1,
        "the example has sick leave for several units: {all:?}"
    );

    // Her write to another unit is refused and changes nothing anywhere.
    setup.ada.ok(&["sync"], "");
    let before = setup.ada.tables();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("andre.csv");
    std::fs::write(
        &file,
        "enhet;periode;avtalte_dagsverk;egenmeldt;legemeldt;ansatte;dager_1_3;dager_4_16;dager_17_56;dager_over_56\n\
         3110;2026-03;500,0;5,0;10,0;20;;;;\n",
    )
    .unwrap();
    let out = lise.on_server(&["import", "sykefravær", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("3110"), "{}", stderr(&out));
    assert_eq!(lise.query("SELECT COUNT(*) FROM outbox"), ["0"]);
    lise.ok(&["sync"], "");
    setup.ada.ok(&["sync"], "");
    assert_eq!(setup.ada.tables(), before);

    // Her own unit's sick leave goes through and reaches the administrator.
    std::fs::write(
        &file,
        "enhet;periode;avtalte_dagsverk;egenmeldt;legemeldt;ansatte;dager_1_3;dager_4_16;dager_17_56;dager_over_56\n\
         2100;2026-03;900,0;20,0;40,0;42;;;;\n",
    )
    .unwrap();
    let out = lise.on_server(&["import", "sykefravær", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = lise.ok(&["sync"], "");
    assert!(text.contains("lagret"), "{text}");
    setup.ada.ok(&["sync"], "");
    // March 2026 = 2026 × 12 + 2 = 24314.
    assert_eq!(
        setup.ada.query("SELECT contracted_days, self_certified, doctor_certified FROM sick_leave WHERE unit = '2100' AND month = 24314"),
        ["900|20|40"]
    );

    // Every replica equals what a fresh replica of the same user pulls now.
    for (desktop, user) in [
        (&eva, "eva"),
        (&lise, "lise"),
        (&dina, "dina"),
        (&setup.ada, "ada"),
    ] {
        desktop.ok(&["sync"], "");
        let fresh = Desktop::new();
        fresh.connect(&setup.url(), user);
        assert_eq!(desktop.tables(), fresh.tables(), "{user}");
    }
}

#[test]
fn a_disabled_user_is_refused_and_her_replica_still_reads() {
    let Some(setup) = Setup::new() else { return };
    let lise = Desktop::new();
    lise.connect(&setup.url(), "lise");
    let c = setup.config.to_str().unwrap();
    let out = cli(&["disable-user", "lise", "--config", c], "", T0);
    assert!(out.status.success(), "{}", stderr(&out));
    let before = lise.tables();
    let out = lise.run(&["sync"], "");
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("deaktivert"), "{}", stderr(&out));
    assert_eq!(lise.tables(), before);
    // The målkart still reads from the replica.
    let out = lise.on_server(&["status", "--unit", "2100", "--period", "2026-02"]);
    assert!(out.status.success(), "{}", stderr(&out));

    // A wrong password is refused with the server's words, and no replica is made.
    let other = Desktop::new();
    let out = other.run(
        &["connect", &setup.url(), "--user", "eva"],
        "feil passord\n",
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Serveren avviste innloggingen"),
        "{}",
        stderr(&out)
    );
    assert!(!other.home.path().join("no.malkart.app/servers").exists());
}

#[test]
fn a_lost_push_answer_and_a_killed_server_apply_the_edit_once() {
    let Some(setup) = Setup::new() else {
        return;
    };
    let lise = Desktop::new();
    lise.connect(&setup.url(), "lise");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mars.csv");
    std::fs::write(
        &file,
        "enhet;periode;avtalte_dagsverk;egenmeldt;legemeldt;ansatte;dager_1_3;dager_4_16;dager_17_56;dager_over_56\n\
         2100;2026-03;900,0;20,0;40,0;42;;;;\n",
    )
    .unwrap();
    let out = lise.on_server(&["import", "sykefravær", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let ops = lise.query("SELECT op_id FROM outbox ORDER BY seq");
    assert!(!ops.is_empty());

    // The push is applied on the server, its answer lost, and the server killed.
    setup.proxy.set(Mode::Swallow);
    let out = lise.run(&["sync"], "");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("Frakoblet"), "{}", stderr(&out));
    setup.proxy.wait_answered();
    setup.kill_server();
    // Nothing was lost locally: the same operations wait, with the same ids.
    assert_eq!(lise.query("SELECT op_id FROM outbox ORDER BY seq"), ops);
    let status = lise.on_server(&["status", "--unit", "2100", "--period", "2026-03"]);
    assert!(
        status.status.success(),
        "reads offline: {}",
        stderr(&status)
    );

    // Back: the resend is answered from the stored answers and applied once.
    setup.start_server();
    setup.proxy.set(Mode::Pass);
    let text = lise.ok(&["sync"], "");
    assert!(text.contains("lagret"), "{text}");
    assert_eq!(lise.query("SELECT COUNT(*) FROM outbox"), ["0"]);
    let ids = ops
        .iter()
        .map(|o| format!("'{o}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let applied = setup.cluster.psql(&format!(
        "SELECT COUNT(*) FROM operations WHERE status = 'applied' AND op_id IN ({ids})"
    ));
    assert_eq!(applied, ops.len().to_string());
    let audited = setup.cluster.psql(&format!(
        "SELECT COUNT(*) FROM audit WHERE op_id IN ({ids})"
    ));
    assert_eq!(
        audited,
        ops.len().to_string(),
        "one audit entry per operation"
    );
    setup.ada.ok(&["sync"], "");
    assert_eq!(
        setup
            .ada
            .query("SELECT contracted_days FROM sick_leave WHERE unit = '2100' AND month = 24314"),
        ["900"]
    );
}

#[test]
fn a_pull_cut_off_or_killed_midway_leaves_the_replica_as_it_was() {
    let Some(setup) = Setup::new() else {
        return;
    };
    let dina = Desktop::new();
    dina.connect(&setup.url(), "dina");
    let before = dina.tables();
    let watermark = dina.query("SELECT watermark FROM replica");

    // New figures on the server that dina has not pulled.
    let path = format!("{EXAMPLES}/økonomi.csv");
    let eva = Desktop::new();
    eva.connect(&setup.url(), "eva");
    assert!(eva
        .on_server(&["import", "økonomi", &path])
        .status
        .success());
    eva.ok(&["sync"], "");

    // The connection cut after 200 bytes of the answer.
    setup.proxy.set(Mode::CutAfter(200));
    let out = dina.run(&["sync"], "");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(dina.tables(), before);
    assert_eq!(dina.query("SELECT watermark FROM replica"), watermark);
    assert_eq!(
        dina.query("SELECT last_error IS NOT NULL FROM replica"),
        ["1"]
    );

    // The server killed (kill -9) while the answer is half sent.
    setup.proxy.set(Mode::StallAfter(300));
    let child = dina
        .command(&["sync"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    setup.proxy.wait_answered();
    setup.kill_server();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert_eq!(dina.tables(), before);

    // Back: the next pull brings everything.
    setup.start_server();
    setup.proxy.set(Mode::Pass);
    dina.ok(&["sync"], "");
    assert_eq!(
        dina.query("SELECT unit, month, budget, actual FROM economy ORDER BY month, unit"),
        eva.query("SELECT unit, month, budget, actual FROM economy ORDER BY month, unit")
    );
    assert_eq!(dina.query("SELECT last_error IS NULL FROM replica"), ["1"]);
}

#[test]
fn postgres_stopped_at_once_and_restarted_loses_nothing() {
    let Some(setup) = Setup::new() else { return };
    let lise = Desktop::new();
    lise.connect(&setup.url(), "lise");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mars.csv");
    std::fs::write(
        &file,
        "enhet;periode;avtalte_dagsverk;egenmeldt;legemeldt;ansatte;dager_1_3;dager_4_16;dager_17_56;dager_over_56\n\
         2100;2026-03;900,0;20,0;40,0;42;;;;\n",
    )
    .unwrap();
    assert!(lise
        .on_server(&["import", "sykefravær", file.to_str().unwrap()])
        .status
        .success());

    setup.cluster.stop_immediately();
    let out = lise.run(&["sync"], "");
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("Frakoblet"), "{}", stderr(&out));
    assert_ne!(lise.query("SELECT COUNT(*) FROM outbox"), ["0"]);
    assert!(lise
        .on_server(&["status", "--unit", "2100", "--period", "2026-03"])
        .status
        .success());

    setup.cluster.restart();
    // The pool reconnects on its own; the first request after a restart may still find a
    // dead connection, so the desktop simply syncs again, as the app does every minute.
    let mut text = String::new();
    for _ in 0..3 {
        let out = lise.run(&["sync"], "");
        if out.status.success() {
            text = String::from_utf8_lossy(&out.stdout).into_owned();
            break;
        }
    }
    assert!(text.contains("lagret"), "{text}");
    assert_eq!(lise.query("SELECT COUNT(*) FROM outbox"), ["0"]);
    assert_eq!(setup.health(), 200);
}

/// `openssl ARGS…` in `dir`; false when it failed.
fn openssl(dir: &Path, args: &[&str]) -> bool {
    Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn a_desktop_trusts_the_municipalitys_own_ca_and_nothing_else() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let dir = cluster.dir.path().to_path_buf();
    // A municipality's internal CA and the server's certificate issued by it.
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n\
         keyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    let made = openssl(
        &dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=Testkommune intern CA",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
        ],
    ) && openssl(
        &dir,
        &[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-subj",
            "/CN=localhost",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
        ],
    ) && openssl(
        &dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "ext.cnf",
            "-out",
            "server.pem",
        ],
    );
    if !made {
        eprintln!("hopper over: openssl kan ikke lage testsertifikater");
        return;
    }
    let config = cluster.config("[tls]\ncertificate = \"server.pem\"\nkey = \"server.key\"\n");
    let c = config.to_str().unwrap();
    assert!(cli(&["init", "--config", c], "", T0).status.success());
    let out = cli(
        &["add-user", "ada", "--role", "administrator", "--config", c],
        &format!("{PASSWORD}\n"),
        T0,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let server = Server::start(&config, T0);
    assert!(server.https, "{}", server.addr);
    let url = format!("https://localhost:{}", server.port());

    // Without the CA the server is refused, in words that are not «frakoblet».
    let stranger = Desktop::new();
    let out = stranger.run(
        &["connect", &url, "--user", "ada"],
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("sertifikat"), "{}", stderr(&out));

    // With the CA installed (SSL_CERT_FILE, as the OS's store), it connects and syncs.
    let mut ada = Desktop::new();
    ada.env.push((
        "SSL_CERT_FILE".into(),
        dir.join("ca.pem").display().to_string(),
    ));
    let text = ada.connect(&url, "ada");
    assert!(text.contains("Koblet til"), "{text}");
    assert_eq!(ada.query("SELECT server_url FROM replica"), [url]);
}

/// A small seeded generator (xorshift64*): the same seed, the same run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

// ---- the random desktops (issue 14, "How it is checked") --------------------------------

/// The desktops a seed chooses from: user, role, units given. lise has two (her office PC
/// and her laptop); dina only reads.
const RANDOM_DESKTOPS: [(&str, &str, Option<&str>); 8] = [
    ("ada", "administrator", None),
    ("ola", "administrator", None),
    ("eva", "økonom", None),
    ("per", "økonom", None),
    ("lise", "enhetsleder", Some("2100")),
    ("kari", "enhetsleder", Some("2100")),
    ("lise", "enhetsleder", Some("2100")),
    ("dina", "leser", Some("1000")),
];

/// The server tables the random desktops write, with the columns a reset copies back and
/// the columns compared with the replicas (in the replica's column names).
const RANDOM_TABLES: [(&str, &str, &str); 4] = [
    (
        "economy",
        "unit, month, budget, actual, forecast, version, cell_versions",
        "unit, month, budget, actual, forecast",
    ),
    (
        "sick_leave",
        "unit, month, contracted_days, self_certified, doctor_certified, employees, days_1_3, \
         days_4_16, days_17_56, days_over_56, version, cell_versions",
        "unit, month, contracted_days, self_certified, doctor_certified, employees, days_1_3, \
         days_4_16, days_17_56, days_over_56",
    ),
    (
        "measurements",
        "indicator, span_first, unit, span_last, value, numerator, denominator, version, \
         cell_versions",
        "indicator, span_first, unit, span_last, value, numerator, denominator",
    ),
    (
        "targets",
        "indicator, unit, year, target, red_limit, version, cell_versions",
        "indicator, unit, year, target, red_limit",
    ),
];

/// One server, its PostgreSQL and the eight desktops, made once and reset to the same
/// start before every seed: the server's figures copied back from `base_*` tables and its
/// operations and tombstones emptied (the audit log is append-only: a seed reads the
/// entries after its start), every replica copied back from the file it had at the start.
/// Logging in (Argon2id) and a first pull happen once, not per seed.
struct RandomWorld {
    cluster: Cluster,
    config: PathBuf,
    server: std::cell::RefCell<Option<Server>>,
    proxy: Proxy,
    desktops: Vec<Desktop>,
}

impl RandomWorld {
    fn new() -> Option<RandomWorld> {
        use malkart::changes::ChangeSet;
        use malkart::model::{
            EconomyChange, FieldChange, Figure, Measurement, SickLeave, SickLeaveChange, Target,
        };
        use malkart::period::{Month, Period};
        use malkart::storage::Store;

        let cluster = Cluster::start()?;
        let config = cluster.config("");
        let c = config.to_str().unwrap().to_string();
        let out = cli(&["init", "--config", &c], "", T0);
        assert!(out.status.success(), "init: {}", stderr(&out));
        // Users given units are added once the units exist.
        let add_users = |with_units: bool| {
            let mut added = std::collections::HashSet::new();
            for (user, role, units) in RANDOM_DESKTOPS {
                if units.is_some() != with_units || !added.insert(user) {
                    continue;
                }
                let mut args = vec!["add-user", user, "--role", role, "--config", &c];
                if let Some(units) = units {
                    args.extend(["--units", units]);
                }
                let out = cli(&args, &format!("{PASSWORD}\n"), T0);
                assert!(out.status.success(), "add-user {user}: {}", stderr(&out));
            }
        };
        add_users(false);
        let server = Server::start(&config, T0);
        let proxy = Proxy::start(&server.addr);
        let world = RandomWorld {
            cluster,
            config,
            server: std::cell::RefCell::new(Some(server)),
            proxy,
            desktops: (0..RANDOM_DESKTOPS.len()).map(|_| Desktop::new()).collect(),
        };
        let ada = &world.desktops[0];
        ada.connect(&world.url(), "ada");
        for (kind, file) in [
            ("enheter", "enheter.csv"),
            ("indikatorer", "indikatorer.csv"),
        ] {
            let out = ada.on_server(&["import", kind, &format!("{EXAMPLES}/{file}")]);
            assert!(out.status.success(), "import {file}: {}", stderr(&out));
        }
        // Every cell the desktops edit exists at the start, so an edit changes one cell.
        let month = |m: u32| Month::new(2026, m).unwrap();
        let mut store = Store::open_existing(&ada.replica()).unwrap();
        let economy = ["2100", "3100"]
            .iter()
            .flat_map(|unit| {
                [1, 2].map(|m| EconomyChange {
                    unit: (*unit).into(),
                    month: month(m),
                    budget: FieldChange::Set(1_000_000),
                    actual: FieldChange::Set(900_000),
                    forecast: FieldChange::Set(1_100_000),
                })
            })
            .collect();
        let sick = [3, 4]
            .map(|m| {
                SickLeaveChange::Set(SickLeave {
                    unit: "2100".into(),
                    month: month(m),
                    contracted_days: 880.0,
                    self_certified: 14.0,
                    doctor_certified: 40.0,
                    employees: Some(42),
                    split: None,
                })
            })
            .to_vec();
        let measurements = ["2100", "3200"]
            .iter()
            .flat_map(|unit| {
                [3, 4].map(|m| Measurement {
                    indicator: "BR-VENT".into(),
                    unit: (*unit).into(),
                    span: Period::month(month(m)),
                    figure: Figure::Value { value: 10.0 },
                })
            })
            .collect();
        let target = vec![Target {
            indicator: "BR-VENT".into(),
            unit: Some("2100".into()),
            year: 2026,
            target: 5.0,
            red_limit: Some(1000.0),
            reference: None,
        }];
        for changes in [
            ChangeSet::Economy(economy),
            ChangeSet::SickLeave(sick),
            ChangeSet::Measurements(measurements),
            ChangeSet::Targets(target),
        ] {
            store.apply(&changes, "start", false).unwrap();
        }
        drop(store);
        let text = ada.ok(&["sync"], "");
        assert!(text.contains("lagret"), "{text}");
        assert_eq!(ada.query("SELECT COUNT(*) FROM outbox"), ["0"]);
        add_users(true);
        for (i, (user, _, _)) in RANDOM_DESKTOPS.iter().enumerate().skip(1) {
            world.desktops[i].connect(&world.url(), user);
        }
        for (table, columns, _) in RANDOM_TABLES {
            world.cluster.psql(&format!(
                "CREATE TABLE base_{table} AS SELECT {columns} FROM {table}"
            ));
        }
        for d in &world.desktops {
            d.ok(&["sync"], "");
            let replica = d.replica();
            checkpoint(&replica);
            std::fs::copy(&replica, replica.with_extension("base")).unwrap();
        }
        Some(world)
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.proxy.port)
    }

    fn restart_server(&self) {
        self.server.borrow_mut().take().unwrap().kill_9();
        let server = Server::start(&self.config, T0);
        self.proxy.point_to(&server.addr);
        *self.server.borrow_mut() = Some(server);
    }

    /// The start again: the server's figures as they were, no operations or tombstones,
    /// every replica its file from the start. Answers the last audit entry's id.
    fn reset(&self) -> i64 {
        self.proxy.set(Mode::Pass);
        let mut sql = String::from(
            "TRUNCATE operations, deletions; DELETE FROM locked_months; DELETE FROM comments;",
        );
        for (table, columns, _) in RANDOM_TABLES {
            sql.push_str(&format!(
                "DELETE FROM {table}; INSERT INTO {table} ({columns}) SELECT {columns} FROM base_{table};"
            ));
        }
        sql.push_str("SELECT COALESCE(MAX(id), 0) FROM audit;");
        let audit_start = self.cluster.psql(&sql).parse().unwrap();
        for d in &self.desktops {
            let replica = d.replica();
            for suffix in ["db-wal", "db-shm"] {
                let _ = std::fs::remove_file(replica.with_extension(suffix));
            }
            std::fs::copy(replica.with_extension("base"), &replica).unwrap();
        }
        audit_start
    }
}

/// Writes a replica's WAL into its file, so a copy of the file alone is the whole replica.
fn checkpoint(replica: &Path) {
    let conn = rusqlite::Connection::open(replica).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
}

/// A value as both sides compare it: a number by its value (SQLite's `880` and
/// PostgreSQL's `880.0` are one figure), anything else as written.
fn normalise(row: &str) -> String {
    row.split('|')
        .map(|v| match v.parse::<f64>() {
            Ok(n) => format!("{n}"),
            Err(_) => v.to_string(),
        })
        .collect::<Vec<_>>()
        .join("|")
}

/// One edit a random desktop made: the outbox operation it went into and its value.
#[derive(Debug)]
struct Edit {
    desktop: usize,
    step: usize,
    op_id: String,
    cell: String,
    value: f64,
}

/// How the test resolved a kept conflict.
#[derive(Debug)]
struct Resolution {
    theirs: bool,
    /// This desktop's value when resolved (a number; `None`: empty).
    mine: Option<f64>,
    /// «Behold min»: the new operation carrying it.
    new_op: Option<String>,
}

/// What a seed did, summed for the report.
#[derive(Debug, Default)]
struct SeedTally {
    edits: usize,
    refused_locally: usize,
    applied: usize,
    conflicts: usize,
    refusals: usize,
    lost_replies: usize,
    killed_clients: usize,
    server_restarts: usize,
    postgres_restarts: usize,
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// sharing.md §7 and issue 14: one server and 4–8 desktops (chosen by the seed) make random
/// edits to overlapping cells — two administrators, two economists and two leaders' three
/// desktops share economy, sick-leave, measurement and target cells, so conflicts happen —
/// and an economist now and then writes a cell she may not (`ingen tilgang`). Meanwhile:
/// offline periods, lost replies (the server committed, the answer never came), `kill -9`
/// of a desktop's sync after its outbox was marked sent and before the server saw it or
/// after the server committed, server restarts and a PostgreSQL restart. Then quiet: every
/// kept conflict is resolved (randomly «Behold min» / «Bruk deres», one by one or a batch
/// at once) until nothing waits, and:
///
/// - every replica equals the server within its user's rights (the units it reads; no raw
///   sick leave for a leser);
/// - every operation on the server was applied, with exactly one audit entry, or answered
///   as a conflict or refusal the test resolved (a «Bruk deres» in the audit log, a «Behold
///   min» as a new operation that resolves it);
/// - no audit entry names an operation that was not applied;
/// - no version in any replica went backwards across the seed;
/// - every edit the test made is accounted for: it reached the server as an operation,
///   was overwritten in the outbox by the same desktop's later edit of the cell before it
///   was sent, or went into a conflict the test resolved — none vanished.
///
/// `MALKART_REPLICA_SEEDS` (default 200) seeds from `MALKART_REPLICA_SEED` (default 1),
/// `MALKART_REPLICA_STEPS` steps each (default 8). A failure names its seed and the
/// command that runs it alone.
#[test]
fn random_edits_on_four_to_eight_desktops_end_equal_and_lose_no_edit() {
    let Some(world) = RandomWorld::new() else {
        return;
    };
    let first = env_number("MALKART_REPLICA_SEED", 1);
    let seeds = env_number("MALKART_REPLICA_SEEDS", 200);
    let steps = env_number("MALKART_REPLICA_STEPS", 8) as usize;
    let started = std::time::Instant::now();
    let mut total = SeedTally::default();
    for seed in first..first + seeds {
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            random_seed(&world, seed, steps)
        }));
        match run {
            Ok(tally) => {
                total.edits += tally.edits;
                total.refused_locally += tally.refused_locally;
                total.applied += tally.applied;
                total.conflicts += tally.conflicts;
                total.refusals += tally.refusals;
                total.lost_replies += tally.lost_replies;
                total.killed_clients += tally.killed_clients;
                total.server_restarts += tally.server_restarts;
                total.postgres_restarts += tally.postgres_restarts;
            }
            Err(panic) => {
                eprintln!(
                    "frø {seed} feilet; kjør det alene med \
                     MALKART_REPLICA_SEED={seed} MALKART_REPLICA_SEEDS=1 \
                     MALKART_REPLICA_STEPS={steps} cargo test -p malkart-server --test replicas \
                     random_edits_on_four_to_eight_desktops"
                );
                std::panic::resume_unwind(panic);
            }
        }
    }
    eprintln!(
        "{seeds} frø à {steps} steg på {:.1} s: {total:?}",
        started.elapsed().as_secs_f64()
    );
    if seeds >= 100 {
        // The run must have exercised what it checks.
        assert!(total.conflicts > 0, "{total:?}");
        assert!(total.refusals > 0, "{total:?}");
        assert!(
            total.lost_replies > 0 && total.killed_clients > 0,
            "{total:?}"
        );
        assert!(total.server_restarts > 0, "{total:?}");
    }
}

/// The cells a random edit may touch, as (entity, key in the replica's words, field).
#[derive(Clone, Copy, Debug)]
enum RandomCell {
    Economy(&'static str, u32, &'static str),
    SickLeave(u32, &'static str),
    Measurement(&'static str, u32),
    Target,
}

fn random_seed(world: &RandomWorld, seed: u64, steps: usize) -> SeedTally {
    use malkart::changes::ChangeSet;
    use malkart::model::{
        EconomyChange, FieldChange, Figure, Measurement, SickLeave, SickLeaveChange, Target,
    };
    use malkart::period::{Month, Period};
    use malkart::service::conflicts::{self, Which};
    use malkart::storage::{Choice, Store};
    use std::collections::HashMap;

    let audit_start = world.reset();
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut tally = SeedTally::default();
    // 4–8 of the eight desktops, in a seeded order.
    let mut order: Vec<usize> = (0..RANDOM_DESKTOPS.len()).collect();
    for i in (1..order.len()).rev() {
        order.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let chosen: Vec<usize> = order[..4 + rng.below(5) as usize].to_vec();
    let here = |step: usize| format!("frø {seed}, steg {step}");
    let month = |m: u32| Month::new(2026, m).unwrap();
    let role = |d: usize| RANDOM_DESKTOPS[d].1;
    let mut offline_until = vec![0usize; RANDOM_DESKTOPS.len()];
    let mut versions: Vec<HashMap<(String, String), i64>> =
        vec![HashMap::new(); RANDOM_DESKTOPS.len()];
    let mut edits: Vec<Edit> = Vec::new();
    let mut resolutions: HashMap<String, Resolution> = HashMap::new();
    let mut counter = 0u32;

    // A sync in this process; on success no version of the replica went backwards.
    let sync_now = |d: usize,
                    versions: &mut [HashMap<(String, String), i64>],
                    at: &str|
     -> Result<malkart::sync::SyncReport, malkart::sync::Error> {
        let result = malkart::sync::sync(&world.desktops[d].replica());
        if result.is_ok() {
            let now: Vec<String> =
                world.desktops[d].query("SELECT entity, key, version FROM row_versions");
            for row in now {
                let mut parts = row.rsplitn(2, '|');
                let version: i64 = parts.next().unwrap().parse().unwrap();
                let rest = parts.next().unwrap();
                let (entity, key) = rest.split_once('|').unwrap();
                let cell = (entity.to_string(), key.to_string());
                if let Some(before) = versions[d].get(&cell) {
                    assert!(
                        version >= *before,
                        "{at}: versjonen av {cell:?} gikk tilbake fra {before} til {version} \
                         hos skrivebord {d}"
                    );
                }
                versions[d].insert(cell, version);
            }
        }
        result
    };

    for step in 0..steps {
        let d = chosen[rng.below(chosen.len() as u64) as usize];
        let desktop = &world.desktops[d];
        let action = rng.below(40);
        let editor = role(d) != "leser";
        match action {
            // An edit in the replica, into its outbox (offline or not).
            0..=19 if editor => {
                counter += 1;
                let c = f64::from(counter);
                let cell = match role(d) {
                    "administrator" => match rng.below(4) {
                        0 => RandomCell::Economy(
                            "2100",
                            1 + rng.below(2) as u32,
                            ["budget", "actual", "forecast"][rng.below(3) as usize],
                        ),
                        1 => RandomCell::SickLeave(
                            3 + rng.below(2) as u32,
                            ["contracted_days", "self_certified", "doctor_certified"]
                                [rng.below(3) as usize],
                        ),
                        2 => RandomCell::Measurement(
                            ["2100", "3200"][rng.below(2) as usize],
                            3 + rng.below(2) as u32,
                        ),
                        _ => RandomCell::Target,
                    },
                    // An economist now and then writes a measurement: `ingen tilgang`.
                    "økonom" if rng.below(4) == 0 => {
                        RandomCell::Measurement("2100", 3 + rng.below(2) as u32)
                    }
                    "økonom" => RandomCell::Economy(
                        "2100",
                        1 + rng.below(2) as u32,
                        ["budget", "actual", "forecast"][rng.below(3) as usize],
                    ),
                    _ if rng.below(3) == 0 => {
                        RandomCell::Measurement("2100", 3 + rng.below(2) as u32)
                    }
                    _ => RandomCell::SickLeave(
                        3 + rng.below(2) as u32,
                        ["contracted_days", "self_certified", "doctor_certified"]
                            [rng.below(3) as usize],
                    ),
                };
                // Values no earlier edit of the seed wrote, so the operation is found by
                // its value and never equals the cell's value before.
                let (changes, entity, field, value) = match cell {
                    RandomCell::Economy(unit, m, field) => {
                        let amount = 2_000_000 + i64::from(counter) * 100;
                        let set = |f: &str| {
                            if f == field {
                                FieldChange::Set(amount)
                            } else {
                                FieldChange::Keep
                            }
                        };
                        (
                            ChangeSet::Economy(vec![EconomyChange {
                                unit: unit.into(),
                                month: month(m),
                                budget: set("budget"),
                                actual: set("actual"),
                                forecast: set("forecast"),
                            }]),
                            "economy",
                            field,
                            amount as f64,
                        )
                    }
                    RandomCell::SickLeave(m, field) => {
                        let row = desktop.query(&format!(
                            "SELECT contracted_days, self_certified, doctor_certified FROM sick_leave \
                             WHERE unit = '2100' AND month = {}",
                            2026 * 12 + m - 1
                        ));
                        let now: Vec<f64> = row[0].split('|').map(|v| v.parse().unwrap()).collect();
                        let value = if field == "contracted_days" {
                            500.0 + c / 10.0
                        } else {
                            100.0 + c / 10.0
                        };
                        let pick = |f: &str, i: usize| if f == field { value } else { now[i] };
                        (
                            ChangeSet::SickLeave(vec![SickLeaveChange::Set(SickLeave {
                                unit: "2100".into(),
                                month: month(m),
                                contracted_days: pick("contracted_days", 0),
                                self_certified: pick("self_certified", 1),
                                doctor_certified: pick("doctor_certified", 2),
                                employees: Some(42),
                                split: None,
                            })]),
                            "sick_leave",
                            field,
                            value,
                        )
                    }
                    RandomCell::Measurement(unit, m) => {
                        let value = 100.0 + c / 10.0;
                        (
                            ChangeSet::Measurements(vec![Measurement {
                                indicator: "BR-VENT".into(),
                                unit: unit.into(),
                                span: Period::month(month(m)),
                                figure: Figure::Value { value },
                            }]),
                            "measurements",
                            "value",
                            value,
                        )
                    }
                    RandomCell::Target => {
                        let value = 10.0 + c / 100.0;
                        (
                            ChangeSet::Targets(vec![Target {
                                indicator: "BR-VENT".into(),
                                unit: Some("2100".into()),
                                year: 2026,
                                target: value,
                                red_limit: Some(1000.0),
                                reference: None,
                            }]),
                            "targets",
                            "target",
                            value,
                        )
                    }
                };
                let outbox_before =
                    desktop.query("SELECT op_id, new_value, state FROM outbox ORDER BY seq");
                let mut store = Store::open_existing(&desktop.replica()).unwrap();
                let applied = store.apply(&changes, "tilfeldig", false);
                drop(store);
                if let Err(e) = applied {
                    // Refused by the core (a rule, a locked month): nothing changed.
                    tally.refused_locally += 1;
                    assert_eq!(
                        desktop.query("SELECT op_id, new_value, state FROM outbox ORDER BY seq"),
                        outbox_before,
                        "{}: {e}",
                        here(step)
                    );
                    continue;
                }
                let found: Vec<String> = desktop
                    .query(&format!(
                        "SELECT op_id, new_value, key FROM outbox \
                         WHERE entity = '{entity}' AND field = '{field}' \
                           AND state IN ('pending', 'sent', 'conflict')"
                    ))
                    .into_iter()
                    .filter(|row| {
                        row.split('|')
                            .nth(1)
                            .and_then(|v| v.parse::<f64>().ok())
                            .is_some_and(|v| v == value)
                    })
                    .collect();
                assert_eq!(
                    found.len(),
                    1,
                    "{}: one operation carries the edit {cell:?} = {value}: {found:?}",
                    here(step)
                );
                let mut parts = found[0].splitn(3, '|');
                let op_id = parts.next().unwrap().to_string();
                tally.edits += 1;
                edits.push(Edit {
                    desktop: d,
                    step,
                    op_id,
                    cell: format!("{entity} {} {field}", parts.nth(1).unwrap()),
                    value,
                });
            }
            // Offline for a while: its syncs find no server.
            20 | 21 => offline_until[d] = step + 2 + rng.below(10) as usize,
            // A desktop's sync killed (kill -9) after marking its outbox sent: before the
            // server saw the request, or after the server committed it.
            22 | 23 if offline_until[d] <= step => {
                let before_server = action == 22;
                world.proxy.set(if before_server {
                    Mode::Hold
                } else {
                    Mode::StallAfter(0)
                });
                let mut child = desktop
                    .command(&["sync"])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap();
                world.proxy.wait_answered();
                child.kill().unwrap();
                let _ = child.wait();
                world.proxy.set(Mode::Pass);
                tally.killed_clients += 1;
            }
            // The server killed and started again; rarely PostgreSQL stopped at once too.
            24 => {
                if rng.below(8) == 0 {
                    world.server.borrow_mut().take().unwrap().kill_9();
                    world.cluster.stop_immediately();
                    world.cluster.restart();
                    let server = Server::start(&world.config, T0);
                    world.proxy.point_to(&server.addr);
                    *world.server.borrow_mut() = Some(server);
                    tally.postgres_restarts += 1;
                } else {
                    world.restart_server();
                }
                tally.server_restarts += 1;
            }
            // A sync: offline it fails and changes nothing but the error it notes; now and
            // then its answer is lost after the server committed (and the server killed).
            _ => {
                if offline_until[d] > step {
                    world.proxy.set(Mode::Refuse);
                    // (Operations are marked sent before a push tries: that may change.)
                    let outbox = desktop.query("SELECT op_id, new_value FROM outbox ORDER BY seq");
                    let tables = desktop.tables();
                    let e = sync_now(d, &mut versions, &here(step)).unwrap_err();
                    assert!(e.is_offline(), "{}: {e}", here(step));
                    assert_eq!(
                        desktop.query("SELECT op_id, new_value FROM outbox ORDER BY seq"),
                        outbox,
                        "{}",
                        here(step)
                    );
                    assert_eq!(desktop.tables(), tables, "{}", here(step));
                    world.proxy.set(Mode::Pass);
                } else if rng.below(4) == 0 {
                    world.proxy.set(Mode::Swallow);
                    let e = sync_now(d, &mut versions, &here(step)).unwrap_err();
                    assert!(e.is_offline(), "{}: {e}", here(step));
                    world.proxy.wait_answered();
                    if rng.below(4) == 0 {
                        world.restart_server();
                        tally.server_restarts += 1;
                    }
                    world.proxy.set(Mode::Pass);
                    tally.lost_replies += 1;
                } else {
                    sync_now(d, &mut versions, &here(step))
                        .unwrap_or_else(|e| panic!("{}: sync {d}: {e}", here(step)));
                }
            }
        }
    }

    // Quiet: back online; each desktop syncs, resolves what it keeps (randomly «Behold
    // min» / «Bruk deres», one at a time or a whole batch) and syncs, until nothing waits.
    world.proxy.set(Mode::Pass);
    let quiet = |d: usize, versions: &mut [HashMap<(String, String), i64>]| {
        sync_now(d, versions, &format!("frø {seed}, stille"))
            .unwrap_or_else(|e| panic!("frø {seed}, stille: sync {d}: {e}"))
    };
    let mut settled = false;
    for _round in 0..12 {
        // Everyone pushes what waits and pulls; a round in which nobody pushed anything and
        // nobody keeps a conflict leaves every replica with the server's last state.
        let mut pushed = 0;
        for &d in &chosen {
            pushed += quiet(d, &mut versions).pushed;
        }
        let mut open = 0;
        for &d in &chosen {
            let mut store = Store::open_existing(&world.desktops[d].replica()).unwrap();
            let kept = conflicts::list(&store).unwrap();
            if kept.is_empty() {
                continue;
            }
            open += kept.len();
            let mut done = std::collections::HashSet::new();
            for conflict in &kept {
                if done.contains(&conflict.id) {
                    continue;
                }
                let refusal = conflict.kind != "conflict";
                let choice = if refusal || rng.below(2) == 0 {
                    Choice::Theirs
                } else {
                    Choice::Mine
                };
                let batch: Vec<_> = kept.iter().filter(|k| k.batch == conflict.batch).collect();
                let whole = rng.below(3) == 0
                    && (choice == Choice::Theirs || batch.iter().all(|k| k.kind == "conflict"));
                let (which, these) = if whole {
                    (Which::Batch(conflict.batch.clone()), batch)
                } else {
                    (Which::One(conflict.id.clone()), vec![conflict])
                };
                conflicts::resolve(&mut store, &which, choice)
                    .unwrap_or_else(|e| panic!("frø {seed}: resolve {which:?}: {e}"));
                for k in these {
                    done.insert(k.id.clone());
                    let new_op = (choice == Choice::Mine).then(|| {
                        world.desktops[d].query(&format!(
                            "SELECT op_id FROM outbox WHERE resolves = '{}'",
                            k.id
                        ))[0]
                            .clone()
                    });
                    resolutions.insert(
                        k.id.clone(),
                        Resolution {
                            theirs: choice == Choice::Theirs,
                            mine: k.mine.as_deref().and_then(|v| v.parse().ok()),
                            new_op,
                        },
                    );
                }
            }
            drop(store);
            quiet(d, &mut versions);
        }
        if open == 0 && pushed == 0 {
            settled = true;
            break;
        }
    }
    assert!(
        settled,
        "frø {seed}: konfliktene ble ikke løst på tolv runder"
    );
    for &d in &chosen {
        assert_eq!(
            world.desktops[d].query("SELECT COUNT(*) FROM outbox"),
            ["0"],
            "frø {seed}: skrivebord {d} har noe igjen i utboksen"
        );
    }

    // Every replica equals the server within its user's rights (the server's four tables
    // read in one go, each row as its table's name and its columns as text).
    let widest = RANDOM_TABLES
        .iter()
        .map(|(_, _, c)| c.split(',').count())
        .max()
        .unwrap();
    let everything = RANDOM_TABLES
        .iter()
        .map(|(table, _, columns)| {
            let mut cells: Vec<String> = columns
                .split(',')
                .map(|c| format!("{}::text", c.trim()))
                .collect();
            cells.resize(widest, "NULL::text".into());
            format!("SELECT '{table}', {} FROM {table}", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let on_server = world.cluster.psql(&everything);
    for &d in &chosen {
        let desktop = &world.desktops[d];
        let units: std::collections::HashSet<String> = desktop
            .query("SELECT code FROM units")
            .into_iter()
            .collect();
        for (table, _, columns) in RANDOM_TABLES {
            let width = columns.split(',').count();
            let mut replica: Vec<String> = desktop
                .query(&format!("SELECT {columns} FROM {table}"))
                .iter()
                .map(|r| normalise(r))
                .collect();
            let unit_at = match table {
                "measurements" => 2,
                "targets" => 1,
                _ => 0,
            };
            let mut server: Vec<String> = on_server
                .lines()
                .filter_map(|r| {
                    let (name, rest) = r.split_once('|')?;
                    (name == table)
                        .then(|| rest.split('|').take(width).collect::<Vec<_>>().join("|"))
                })
                .filter(|r| {
                    let unit = r.split('|').nth(unit_at).unwrap_or_default();
                    (unit.is_empty() || units.contains(unit))
                        && !(table == "sick_leave" && role(d) == "leser")
                })
                .map(|r| normalise(&r))
                .collect();
            replica.sort();
            server.sort();
            assert_eq!(
                replica, server,
                "frø {seed}: {table} hos skrivebord {d} ({}) er ikke serverens",
                RANDOM_DESKTOPS[d].0
            );
        }
    }

    // Every operation applied once (one audit entry) or answered and resolved.
    let operations: HashMap<String, (String, Option<f64>)> = world
        .cluster
        .psql("SELECT op_id, status, new_value::text FROM operations")
        .lines()
        .map(|r| {
            let mut p = r.splitn(3, '|');
            let id = p.next().unwrap().to_string();
            let status = p.next().unwrap().to_string();
            let value = p.next().and_then(|v| v.parse().ok());
            (id, (status, value))
        })
        .collect();
    let audit: Vec<(String, String)> = world
        .cluster
        .psql(&format!(
            "SELECT COALESCE(op_id::text, ''), COALESCE(resolves::text, '') FROM audit \
             WHERE id > {audit_start}"
        ))
        .lines()
        .map(|r| {
            let (a, b) = r.split_once('|').unwrap();
            (a.to_string(), b.to_string())
        })
        .collect();
    for (op, (status, _)) in &operations {
        let entries = audit.iter().filter(|(o, _)| o == op).count();
        if status == "applied" {
            tally.applied += 1;
            assert_eq!(
                entries, 1,
                "frø {seed}: operasjon {op} har {entries} revisjonsoppføringer"
            );
            continue;
        }
        if status == "conflict" {
            tally.conflicts += 1;
        } else {
            tally.refusals += 1;
        }
        assert_eq!(entries, 0, "frø {seed}: {status} {op} er i revisjonsloggen");
        let resolution = resolutions
            .get(op)
            .unwrap_or_else(|| panic!("frø {seed}: {status} {op} ble aldri løst"));
        if resolution.theirs {
            assert!(
                audit.iter().any(|(_, r)| r == op),
                "frø {seed}: «Bruk deres» for {op} mangler i serverens revisjonslogg"
            );
        } else {
            let new_op = resolution.new_op.as_ref().unwrap();
            let (status, _) = operations.get(new_op).unwrap_or_else(|| {
                panic!("frø {seed}: «Behold min» {new_op} for {op} nådde aldri serveren")
            });
            if status == "applied" {
                assert!(
                    audit.iter().any(|(o, r)| o == new_op && r == op),
                    "frø {seed}: «Behold min» {new_op} løser {op} uten å si det i revisjonsloggen"
                );
            }
        }
    }
    for (op, _) in audit.iter().filter(|(o, _)| !o.is_empty()) {
        assert!(
            operations.get(op).is_some_and(|(s, _)| s == "applied"),
            "frø {seed}: revisjonsloggen nevner {op}, som ikke ble utført"
        );
    }

    // No edit vanished: each reached the server, was overwritten by the same desktop's
    // later edit of the cell before it was sent, or went into a conflict the test resolved.
    for (i, edit) in edits.iter().enumerate() {
        let overwritten = edits[i + 1..]
            .iter()
            .any(|later| later.desktop == edit.desktop && later.op_id == edit.op_id);
        let on_server = operations
            .get(&edit.op_id)
            .is_some_and(|(_, v)| *v == Some(edit.value));
        let resolved = resolutions.get(&edit.op_id).is_some_and(|r| {
            r.mine == Some(edit.value)
                && (r.theirs
                    || r.new_op.as_ref().is_some_and(|n| {
                        operations
                            .get(n)
                            .is_some_and(|(_, v)| *v == Some(edit.value))
                    }))
        });
        assert!(
            overwritten || on_server || resolved,
            "frø {seed}: endringen i steg {} ({} = {}) hos skrivebord {} forsvant: \
             operasjon {} er {:?} på serveren",
            edit.step,
            edit.cell,
            edit.value,
            edit.desktop,
            edit.op_id,
            operations.get(&edit.op_id)
        );
    }
    tally
}
