//! One desktop as a test sees it: the real `malkart` command line with its own data folder
//! (`XDG_DATA_HOME`), so its own replica of each server; the test's date fixed
//! (`MALKART_TODAY`). Used by tests/replicas.rs and tests/conflicts.rs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::{output_with_stdin, stderr};

/// The date every desktop runs at.
pub const TODAY: &str = "2026-11-15";
/// Every test user's password.
pub const PASSWORD: &str = "riktig hest batteri";

/// The `malkart` command line beside the server binary.
pub fn malkart_bin() -> PathBuf {
    let bin = Path::new(env!("CARGO_BIN_EXE_malkart-server")).with_file_name("malkart");
    assert!(
        bin.is_file(),
        "{} mangler: kjør «cargo build -p malkart» (scripts/test.sh bygger den)",
        bin.display()
    );
    bin
}

/// One desktop: its own data folder, so its own replica of each server.
pub struct Desktop {
    pub home: tempfile::TempDir,
    /// More environment for every run (`SSL_CERT_FILE`: the certificates it trusts).
    pub env: Vec<(String, String)>,
}

impl Desktop {
    pub fn new() -> Desktop {
        Desktop {
            home: tempfile::Builder::new()
                .prefix("malkart-desktop-")
                .tempdir()
                .unwrap(),
            env: Vec::new(),
        }
    }

    /// `malkart ARGS…` as this desktop: its data folder, the test's date, its extra
    /// environment.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(malkart_bin());
        command
            .args(args)
            .env("XDG_DATA_HOME", self.home.path())
            .env("HOME", self.home.path())
            .env("MALKART_TODAY", TODAY)
            .env_remove("MALKART_DB")
            .envs(self.env.iter().map(|(k, v)| (k, v)));
        command
    }

    pub fn run(&self, args: &[&str], stdin: &str) -> Output {
        output_with_stdin(self.command(args), stdin)
    }

    pub fn ok(&self, args: &[&str], stdin: &str) -> String {
        let out = self.run(args, stdin);
        assert!(
            out.status.success(),
            "malkart {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            stderr(&out)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub fn connect(&self, url: &str, user: &str) -> String {
        self.ok(&["connect", url, "--user", user], &format!("{PASSWORD}\n"))
    }

    /// `malkart --server NAME ARGS…` on this desktop's one server.
    pub fn on_server(&self, args: &[&str]) -> Output {
        let name = self.server_name();
        let mut all = vec!["--server", name.as_str()];
        all.extend_from_slice(args);
        self.run(&all, "")
    }

    pub fn server_name(&self) -> String {
        let dir = self.home.path().join("no.malkart.app/servers");
        std::fs::read_dir(&dir)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .file_name()
            .to_string_lossy()
            .into_owned()
    }

    pub fn replica(&self) -> PathBuf {
        self.home
            .path()
            .join("no.malkart.app/servers")
            .join(self.server_name())
            .join("replica.db")
    }

    /// The rows of one query in the replica, as `a|b` lines.
    pub fn query(&self, sql: &str) -> Vec<String> {
        let conn = rusqlite::Connection::open(self.replica()).unwrap();
        let mut stmt = conn.prepare(sql).unwrap();
        let n = stmt.column_count();
        stmt.query_map([], |r| {
            Ok((0..n)
                .map(|i| match r.get_ref(i).unwrap() {
                    rusqlite::types::ValueRef::Null => String::new(),
                    rusqlite::types::ValueRef::Integer(v) => v.to_string(),
                    rusqlite::types::ValueRef::Real(v) => v.to_string(),
                    rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                    rusqlite::types::ValueRef::Blob(_) => "<blob>".into(),
                })
                .collect::<Vec<_>>()
                .join("|"))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
    }

    /// Every replicated table, for comparing two replicas of the same user.
    pub fn tables(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (table, order) in [
            ("units", "code"),
            ("indicators", "code"),
            ("targets", "indicator, unit, year"),
            ("measurements", "indicator, span_first, unit"),
            ("sick_leave", "month, unit"),
            ("economy", "month, unit"),
            ("comments", "uid"),
            ("locked_months", "month"),
            ("settings", "key"),
        ] {
            let columns = if table == "targets" {
                "indicator, unit, year, target, red_limit"
            } else if table == "comments" {
                "uid, indicator, unit, period, author, text"
            } else {
                "*"
            };
            for row in self.query(&format!("SELECT {columns} FROM {table} ORDER BY {order}")) {
                out.push(format!("{table}: {row}"));
            }
        }
        out
    }
}
