//! What the server's integration tests share: a throwaway PostgreSQL cluster per test
//! (`Cluster`, stopped and removed in `Drop`, also when the test fails), the real
//! `malkart-server` binary as a process (`Server`, killed in `Drop`), its config, and a
//! tiny HTTP/1.1 client (no client library needed for a few JSON requests).

#![allow(dead_code)] // each test file uses its own part

pub mod desktop;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

/// Where PostgreSQL's programs are: `pg_config --bindir`, Debian's
/// `/usr/lib/postgresql/*/bin` (newest first), else `initdb` on PATH.
pub fn pg_bindir() -> Option<PathBuf> {
    let has_initdb = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if out.status.success() && has_initdb(&dir) {
            return Some(dir);
        }
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.path().join("bin"))
                .collect()
        })
        .unwrap_or_default();
    versions.sort();
    if let Some(dir) = versions.into_iter().rev().find(|d| has_initdb(d)) {
        return Some(dir);
    }
    std::env::var_os("PATH").and_then(|paths| std::env::split_paths(&paths).find(|d| has_initdb(d)))
}

/// A cluster of its own: initdb in a temporary folder, listening on 127.0.0.1 at a free
/// port, with the database `malkart`, the owner `postgres` and the server's role
/// `malkart_server`. `None` (with a message) when PostgreSQL is not installed.
pub struct Cluster {
    pub dir: tempfile::TempDir,
    pub bin: PathBuf,
    pub port: u16,
}

impl Cluster {
    pub fn start() -> Option<Cluster> {
        let Some(bin) = pg_bindir() else {
            eprintln!(
                "hopper over: PostgreSQL (initdb, pg_ctl) er ikke installert; \
                 scripts/setup.sh installerer pakken postgresql"
            );
            return None;
        };
        let dir = tempfile::Builder::new()
            .prefix("malkart-pg-")
            .tempdir()
            .unwrap();
        let root = running_as_root();
        if root {
            // PostgreSQL refuses to run as root: the folder is handed to `postgres`.
            let status = Command::new("chown")
                .args(["postgres:", dir.path().to_str().unwrap()])
                .status()
                .unwrap();
            assert!(status.success(), "chown postgres");
        }
        let data = dir.path().join("data");
        let out = as_owner(root, &bin.join("initdb"))
            .args([
                "-D",
                data.to_str().unwrap(),
                "-U",
                "postgres",
                "--auth=trust",
            ])
            .args(["--encoding=UTF8", "--locale=C.UTF-8"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut cluster = None;
        for _ in 0..5 {
            let port = free_port();
            let out = as_owner(root, &bin.join("pg_ctl"))
                .args(["-D", data.to_str().unwrap(), "-w", "start"])
                .args(["-l", dir.path().join("postgres.log").to_str().unwrap()])
                .arg("-o")
                .arg(format!(
                    "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
                    dir.path().display()
                ))
                .output()
                .unwrap();
            if out.status.success() {
                cluster = Some(port);
                break;
            }
        }
        let port = cluster.unwrap_or_else(|| {
            panic!(
                "PostgreSQL startet ikke: {}",
                std::fs::read_to_string(dir.path().join("postgres.log")).unwrap_or_default()
            )
        });
        let cluster = Cluster { dir, bin, port };
        cluster.psql_db("postgres", "CREATE DATABASE malkart");
        cluster.psql_db("postgres", "CREATE ROLE malkart_server LOGIN");
        Some(cluster)
    }

    /// `pg_ctl stop -m immediate`: PostgreSQL gone at once, as after a power cut.
    pub fn stop_immediately(&self) {
        let data = self.dir.path().join("data");
        let out = as_owner(running_as_root(), &self.bin.join("pg_ctl"))
            .args([
                "-D",
                data.to_str().unwrap(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "pg_ctl stop: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Starts the stopped cluster again on its port (it recovers from its WAL).
    pub fn restart(&self) {
        let data = self.dir.path().join("data");
        let out = as_owner(running_as_root(), &self.bin.join("pg_ctl"))
            .args(["-D", data.to_str().unwrap(), "-w", "start"])
            .args(["-l", self.dir.path().join("postgres.log").to_str().unwrap()])
            .arg("-o")
            .arg(format!(
                "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
                self.port,
                self.dir.path().display()
            ))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "pg_ctl start: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The owner's connection string.
    pub fn owner_url(&self) -> String {
        format!(
            "host=127.0.0.1 port={} dbname=malkart user=postgres",
            self.port
        )
    }

    /// The server's own (not the owner).
    pub fn server_url(&self) -> String {
        format!(
            "host=127.0.0.1 port={} dbname=malkart user=malkart_server",
            self.port
        )
    }

    /// Runs SQL as the owner in `malkart`; the rows as `a|b` lines.
    pub fn psql(&self, sql: &str) -> String {
        self.psql_db("malkart", sql)
    }

    /// Runs SQL as `user`; `Err(stderr)` when PostgreSQL refuses it.
    pub fn psql_as(&self, user: &str, sql: &str) -> Result<String, String> {
        let out = Command::new(self.bin.join("psql"))
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                user,
                "-d",
                "malkart",
            ])
            .args(["-qtA", "-v", "ON_ERROR_STOP=1", "-c", sql])
            .output()
            .unwrap();
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).into_owned())
        }
    }

    fn psql_db(&self, db: &str, sql: &str) -> String {
        let out = Command::new(self.bin.join("psql"))
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
                "-d",
                db,
            ])
            .args(["-qtA", "-v", "ON_ERROR_STOP=1", "-c", sql])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// A config file for this cluster (plain HTTP on a free loopback port), in the
    /// cluster's folder; `extra` is appended (TOML).
    pub fn config(&self, extra: &str) -> PathBuf {
        let path = self.dir.path().join("server.toml");
        std::fs::write(
            &path,
            format!(
                "listen = \"127.0.0.1:0\"\n[log]\nformat = \"text\"\n[database]\nurl = \"{}\"\n\
                 owner_url = \"{}\"\npool_size = 4\n{extra}",
                self.server_url(),
                self.owner_url()
            ),
        )
        .unwrap();
        path
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.dir.path().join("data");
        let _ = as_owner(running_as_root(), &self.bin.join("pg_ctl"))
            .args([
                "-D",
                data.to_str().unwrap_or_default(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ])
            .output();
    }
}

/// Whether this process runs as root (then PostgreSQL runs as `postgres`).
fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn as_owner(root: bool, program: &Path) -> Command {
    if root {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(program);
        c
    } else {
        Command::new(program)
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `malkart-server ARGS` with the clock at `now`, standard input `stdin`.
pub fn cli(args: &[&str], stdin: &str, now: &str) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_malkart-server"));
    command.args(args).env("MALKART_SERVER_NOW", now);
    output_with_stdin(command, stdin)
}

/// Runs `command` to its end with `stdin` as its standard input; its output.
pub fn output_with_stdin(mut command: Command, stdin: &str) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `malkart-server run` at the instant `now`; ready when it has printed its address.
pub struct Server {
    child: Child,
    /// `ADDRESS:PORT` as announced (`0.0.0.0:…` when listening on every address).
    pub addr: String,
    /// `https` when it announced TLS.
    pub https: bool,
}

impl Server {
    pub fn start(config: &Path, now: &str) -> Server {
        // The server's log beside its config, appended: read when it does not start.
        let log_path = config.with_extension("log");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_malkart-server"))
            .args(["run", "--config", config.to_str().unwrap()])
            .env("MALKART_SERVER_NOW", now)
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let line_text = line.trim();
        let addr = line_text
            .strip_prefix("Målkart-serveren lytter på http://")
            .or_else(|| line_text.strip_prefix("Målkart-serveren lytter på https://"))
            .map(str::to_string);
        let Some(addr) = addr else {
            let _ = child.kill();
            let status = child.wait().unwrap();
            let log = std::fs::read_to_string(&log_path).unwrap_or_default();
            panic!("serveren startet ikke ({status}): {line:?}\n{log}");
        };
        let https = line_text.contains("https://");
        Server { child, addr, https }
    }

    /// `kill -9`: the server gone mid-request, nothing flushed or closed.
    pub fn kill_9(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// SIGTERM, and the exit status once it has stopped.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        self.child.wait().unwrap()
    }

    /// The server process's id (to read its memory from /proc in a measurement).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.addr.rsplit(':').next().unwrap().parse().unwrap()
    }

    pub fn get(&self, path: &str, token: Option<&str>) -> Response {
        request(&self.addr, "GET", path, token, None)
    }

    pub fn post(&self, path: &str, token: Option<&str>, body: &str) -> Response {
        request(&self.addr, "POST", path, token, Some(body))
    }

    /// Logs in; the response (token in `json()["token"]` on success).
    pub fn login(&self, user: &str, password: &str) -> Response {
        let body = serde_json::json!({ "user": user, "password": password, "device": "test" });
        self.post("/api/v1/login", None, &body.to_string())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 request on its own connection (`Connection: close`, read to the end).
pub fn request(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> Response {
    let mut stream = TcpStream::connect(addr).unwrap();
    let body = body.unwrap_or("");
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !body.is_empty() {
        head.push_str("Content-Type: application/json\r\n");
    }
    if let Some(token) = token {
        head.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    head.push_str("\r\n");
    // A server may answer (a refusal) and close before it has read a large body: the rest
    // of the body then meets a closed socket, and the answer is still there to read.
    let sent = stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(body.as_bytes()));
    let mut raw = Vec::new();
    let read = stream.read_to_end(&mut raw);
    if raw.is_empty() {
        sent.unwrap();
        read.unwrap();
    }
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(n, v)| n.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    let body = if chunked {
        unchunk(body)
    } else {
        body.to_string()
    };
    Response {
        status,
        headers,
        body,
    }
}

fn unchunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let size = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if size == 0 || rest.len() < size {
            break;
        }
        out.push_str(&rest[..size]);
        body = rest[size..].trim_start_matches("\r\n");
    }
    out
}
