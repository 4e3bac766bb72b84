//! The desktop as a client of a Målkart server (sharing.md §1–3): «Koble til server», the
//! replica as the app's database, and the sync worker. The sync itself (login, push of the
//! outbox, pull into the replica in one local transaction) is `malkart::sync`'s; this module
//! only decides when it runs and tells the UI how it went.
//!
//! The worker is one thread: it syncs at start, every [`PERIOD`], and at once when a write
//! command kicks it (`Backend::wrote`). It never holds the open store: the sync works on the
//! replica file through its own connection, so reading never waits for the network. A pull
//! that changed rows bumps [`SyncState::changes`]; the UI polls the state (memory only, no
//! file or network) and refreshes its views when the number moves.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use malkart::error::IpcError;
use malkart::sync::SyncStatus;
use serde::Serialize;
use ts_rs::TS;

use crate::backend::{lock, AppInfo, Backend};

type IpcResult<T> = std::result::Result<T, IpcError>;

/// How often the worker pulls while the app runs (sharing.md §3: every minute).
pub const PERIOD: Duration = Duration::from_secs(60);

/// The environment variable that sets another period in whole seconds: the e2e test sets
/// one no test waits for, so that what it sees comes from «Synkroniser nå» and not from a
/// minute that happened to pass.
pub const ENV_PERIOD: &str = "MALKART_SYNC_SECONDS";

/// [`PERIOD`], or `MALKART_SYNC_SECONDS` when it is a whole number of seconds above zero.
pub fn period() -> Duration {
    period_from(std::env::var(ENV_PERIOD).ok().as_deref())
}

fn period_from(seconds: Option<&str>) -> Duration {
    seconds
        .and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|&s| s > 0)
        .map_or(PERIOD, Duration::from_secs)
}

/// How the open database stands with its server, for the header's sync line.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct SyncState {
    /// The server the open database is a replica of, read from the replica; `None` when the
    /// app works on a local file.
    pub status: Option<SyncStatus>,
    /// A sync is under way now («Synkroniserer …»).
    pub running: bool,
    /// How many syncs in this session changed rows in the open database: the UI refreshes
    /// its views when this moves.
    pub changes: u64,
    /// Why the last sync in this session failed (a Norwegian sentence); `None` after a
    /// success. Offline is `status.offline`, said in the line's own words.
    pub error: Option<String>,
}

/// A server this desktop has connected to: its replica can be opened again.
#[derive(Clone, Debug, Serialize, TS)]
#[ts(export)]
pub struct KnownServer {
    /// `host` or `host_port`: the replica's folder under `servers/`.
    pub name: String,
    pub url: String,
    pub user: String,
    /// The replica file.
    pub replica: String,
    /// The app has this replica open now.
    pub open: bool,
}

/// The sync side of the app's state: the worker's kick, whether a sync runs, and what the
/// last one said.
#[derive(Default)]
pub struct Syncing {
    kick: Mutex<Option<Sender<()>>>,
    /// One sync at a time on a replica: «Synkroniser nå» waits for the worker's and then
    /// runs its own (so what it shows is at least as new as the click).
    one_at_a_time: Mutex<()>,
    running: AtomicBool,
    changes: AtomicU64,
    error: Mutex<Option<String>>,
    /// The open database's status read after the last sync (or when first asked; `None`
    /// for a local file), so that the UI's polling reads memory, not the file.
    pub(crate) status: Mutex<Option<(PathBuf, Option<SyncStatus>)>>,
}

impl Syncing {
    /// Wakes the worker: a write was made, push it now. Nothing when no worker runs (tests,
    /// or before `start_worker`); a kick while a sync runs is kept for right after.
    pub fn kick(&self) {
        if let Some(tx) = lock(&self.kick).as_ref() {
            // A closed channel means the worker has ended: the next start syncs.
            let _ = tx.send(());
        }
    }

    /// Forgets what was said about another database (after the app opened a new one).
    pub fn forget(&self) {
        *lock(&self.error) = None;
        *lock(&self.status) = None;
    }
}

/// A sync error for the UI: `kind` `offline` when the server could not be reached, else
/// `sync`; the message is the sync client's Norwegian sentence.
fn sync_error(e: &malkart::sync::Error) -> IpcError {
    IpcError {
        kind: if e.is_offline() { "offline" } else { "sync" }.into(),
        message: e.to_string(),
        field: None,
    }
}

impl Backend {
    /// The open database's file when it is a replica of a server (its `replica` row says
    /// so); `None` for a local file or when nothing is open.
    pub fn replica_path(&self) -> Option<PathBuf> {
        let guard = lock(&self.open);
        let store = guard.store.as_ref().ok()?;
        matches!(store.replica(), Ok(Some(_))).then(|| guard.path.clone())
    }

    /// Pushes the outbox and pulls, when the open database is a replica; the state after.
    /// A failure (offline too) is kept in the state, not returned: the app goes on reading
    /// its replica.
    pub fn sync_now(&self) -> IpcResult<SyncState> {
        let Some(replica) = self.replica_path() else {
            return self.sync_state();
        };
        {
            let _one = lock(&self.syncing.one_at_a_time);
            self.syncing.running.store(true, Ordering::SeqCst);
            let result = malkart::sync::sync(&replica);
            match &result {
                Ok(report) => {
                    if report.pulled_rows > 0 || report.applied > 0 {
                        // The engine is rebuilt from the replica as it is now.
                        self.engines.clear();
                        self.syncing.changes.fetch_add(1, Ordering::SeqCst);
                    }
                    *lock(&self.syncing.error) = None;
                }
                Err(e) => *lock(&self.syncing.error) = Some(e.to_string()),
            }
            self.remember_status(&replica);
            self.syncing.running.store(false, Ordering::SeqCst);
        }
        self.sync_state()
    }

    /// Reads the open replica's status again (after a write that changed what waits, such
    /// as a resolved conflict), so the sync line does not wait for the next sync to say it.
    pub(crate) fn refresh_status(&self) {
        if let Some(replica) = self.replica_path() {
            self.remember_status(&replica);
        }
    }

    fn remember_status(&self, replica: &Path) {
        let status = malkart::sync::status(replica).ok();
        *lock(&self.syncing.status) = Some((replica.to_path_buf(), status));
    }

    /// The sync line's state, from memory (the open database's status is read from its file
    /// once per sync, or here the first time it is asked for).
    pub fn sync_state(&self) -> IpcResult<SyncState> {
        let open = {
            let guard = lock(&self.open);
            guard.store.as_ref().ok().map(|_| guard.path.clone())
        };
        let cached = lock(&self.syncing.status)
            .as_ref()
            .filter(|(path, _)| Some(path) == open.as_ref())
            .map(|(_, status)| status.clone());
        let status = match (cached, open) {
            (Some(status), _) => status,
            (None, Some(path)) => {
                let status = malkart::sync::status(&path).ok();
                *lock(&self.syncing.status) = Some((path, status.clone()));
                status
            }
            (None, None) => None,
        };
        Ok(SyncState {
            status,
            running: self.syncing.running.load(Ordering::SeqCst),
            changes: self.syncing.changes.load(Ordering::SeqCst),
            error: lock(&self.syncing.error).clone(),
        })
    }

    /// The servers this desktop has connected to, the open one marked.
    pub fn servers(&self) -> IpcResult<Vec<KnownServer>> {
        let open = lock(&self.open).path.clone();
        let open = std::fs::canonicalize(&open).unwrap_or(open);
        let list = malkart::sync::servers().map_err(|e| sync_error(&e))?;
        Ok(list
            .into_iter()
            .map(|s| {
                let replica = std::fs::canonicalize(&s.replica).unwrap_or(s.replica.clone());
                KnownServer {
                    open: replica == open,
                    name: s.name,
                    url: s.url,
                    user: s.user,
                    replica: s.replica.display().to_string(),
                }
            })
            .collect())
    }

    /// «Koble til server»: logs in, makes the replica with its first pull, and opens it as
    /// the app's database (remembered as a chosen file is). A refused login or an unreachable
    /// server changes nothing: the database in use stays open.
    pub fn connect_server(&self, url: &str, user: &str, password: &str) -> IpcResult<AppInfo> {
        let (entry, _first_pull) = malkart::sync::connect(url.trim(), user.trim(), password)
            .map_err(|e| match e {
                // A refused login, in the server's words (`malkart::sync` says what to do).
                malkart::sync::Error::Refused { ref kind, .. } if kind == "bad_login" => IpcError {
                    kind: "bad_login".into(),
                    message: e.to_string(),
                    field: None,
                },
                other => sync_error(&other),
            })?;
        self.open_path(entry.replica)
    }

    /// Back to the local file: the database the app opens without a server (`--db`,
    /// `MALKART_DB` or the data folder's), made when missing; the choice of a replica is
    /// forgotten, so the next start opens the local file too.
    pub fn use_local_database(&self) -> IpcResult<AppInfo> {
        let Some(home) = self.home.clone() else {
            return Err(malkart::Error::Invalid(
                "Målkart vet ikke hvor den lokale databasen ligger; start Målkart med --db FIL"
                    .to_string(),
            )
            .into());
        };
        self.open_new_or_existing(home)
    }

    /// A write was made: the worker pushes it at once.
    pub fn wrote(&self) {
        self.syncing.kick();
    }
}

/// Starts the sync worker for `backend`: a sync now, then every `period` and after every
/// write. It only syncs while the open database is a replica.
pub fn start_worker(backend: &Arc<Backend>, period: Duration) {
    let (tx, rx) = mpsc::channel();
    *lock(&backend.syncing.kick) = Some(tx);
    let backend = Arc::clone(backend);
    let spawned = std::thread::Builder::new()
        .name("malkart-sync".into())
        .spawn(move || work(&backend, &rx, period));
    if let Err(e) = spawned {
        eprintln!("Målkart kunne ikke starte synkroniseringen: {e}");
    }
}

/// The worker's loop: sync, then wait for a kick or `period`; kicks that came meanwhile are
/// one sync. Ends when the backend's sender is gone.
fn work(backend: &Backend, kicks: &Receiver<()>, period: Duration) {
    loop {
        // The outcome is in the state the UI polls; nothing to do with it here.
        let _ = backend.sync_now();
        if !next_round(kicks, period) {
            return;
        }
    }
}

/// Waits for a kick or `period`, taking every kick that came meanwhile with it (a burst of
/// writes is one sync). `false` when no one can kick any more.
fn next_round(kicks: &Receiver<()>, period: Duration) -> bool {
    match kicks.recv_timeout(period) {
        Ok(()) => {
            while kicks.try_recv().is_ok() {}
            true
        }
        Err(RecvTimeoutError::Timeout) => true,
        Err(RecvTimeoutError::Disconnected) => false,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

    use super::*;
    use malkart::storage::Store;

    fn local() -> (tempfile::TempDir, Backend) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lokal.db");
        let store = Store::open(&path).unwrap();
        (dir, Backend::over_store(path, store))
    }

    #[test]
    fn a_write_kicks_the_worker_and_a_read_or_a_refused_write_does_not() {
        let (_dir, backend) = local();
        let (tx, rx) = mpsc::channel();
        *lock(&backend.syncing.kick) = Some(tx);
        backend.locked_months().unwrap();
        assert!(rx.try_recv().is_err(), "a read pushes nothing");
        assert!(backend.lock_month("2026-13").is_err());
        assert!(
            rx.try_recv().is_err(),
            "a refused write changed nothing to push"
        );
        assert!(backend.lock_month("2026-03").unwrap());
        assert!(rx.try_recv().is_ok(), "a stored write is pushed at once");
        assert!(rx.try_recv().is_err(), "one kick per write");
    }

    #[test]
    fn kicks_while_a_sync_runs_are_one_sync_after_it() {
        let (tx, rx) = mpsc::channel();
        for _ in 0..5 {
            tx.send(()).unwrap();
        }
        // Five writes while a sync ran: one round, the burst taken with it.
        assert!(next_round(&rx, Duration::from_secs(60)));
        assert!(rx.try_recv().is_err(), "the whole burst is one sync");
        // Nothing kicked: the period passes and the worker pulls.
        assert!(next_round(&rx, Duration::from_millis(1)));
        drop(tx);
        assert!(
            !next_round(&rx, Duration::from_secs(60)),
            "no one can kick any more"
        );
    }

    #[test]
    fn the_period_is_a_minute_unless_a_whole_number_of_seconds_is_set() {
        assert_eq!(period_from(None), Duration::from_secs(60));
        assert_eq!(period_from(Some("3600")), Duration::from_secs(3600));
        assert_eq!(period_from(Some(" 5 ")), Duration::from_secs(5));
        for wrong in ["0", "-1", "1,5", "ett minutt", ""] {
            assert_eq!(period_from(Some(wrong)), PERIOD, "{wrong:?}");
        }
    }

    #[test]
    fn a_local_file_is_no_replica_and_sync_now_leaves_it_alone() {
        let (_dir, backend) = local();
        assert_eq!(backend.replica_path(), None);
        let state = backend.sync_now().unwrap();
        assert!(state.status.is_none());
        assert!(!state.running);
        assert_eq!(state.changes, 0);
        assert_eq!(state.error, None);
    }

    #[test]
    fn an_unreachable_server_is_offline_and_the_replica_still_reads() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("replica.db");
        let mut store = Store::open(&path).unwrap();
        // A loopback port that was free a moment ago and is closed again: nothing answers.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        store
            .make_replica(&malkart::storage::ReplicaInfo {
                server_url: format!("http://127.0.0.1:{port}"),
                user_name: "dina".into(),
                role: "administrator".into(),
                ..Default::default()
            })
            .unwrap();
        std::fs::write(dir.path().join("replica.db.token"), "0123abcd").unwrap();
        let backend = Backend::over_store(path.clone(), store);
        assert_eq!(backend.replica_path(), Some(path));
        let before = backend.sync_state().unwrap();
        let status = before.status.expect("a replica has a status");
        assert_eq!(status.user, "dina");
        assert!(!status.offline);
        assert_eq!(status.last_sync_at, None);

        let after = backend.sync_now().unwrap();
        let status = after.status.expect("still a replica");
        assert!(status.offline, "the server could not be reached");
        assert!(!after.running);
        assert_eq!(after.changes, 0, "nothing changed: no refresh");
        let error = after.error.expect("why, in words");
        assert!(error.starts_with("Frakoblet"), "{error}");
        // Reading goes on from the replica.
        assert!(backend.units().unwrap().is_empty());
        assert!(backend.locked_months().unwrap().is_empty());
    }

    #[test]
    fn back_to_the_local_file_which_is_made_and_remembered() {
        let dir = tempfile::tempdir().unwrap();
        let other = dir.path().join("annen.db");
        let home = dir.path().join("data").join("malkart.db");
        let choice = dir.path().join(crate::dbpath::CHOICE_FILE);
        let backend = Backend::open(other)
            .remembering_choice_in(choice.clone())
            .with_home(home.clone());
        let info = backend.use_local_database().unwrap();
        assert_eq!(info.db_path, home.display().to_string());
        assert!(info.open_error.is_none() && info.empty);
        assert!(home.is_file(), "made when missing");
        assert_eq!(crate::dbpath::remembered_choice(&choice), Some(home));

        let nowhere = Backend::unopened(malkart::Error::Invalid("ingen mappe".into()).into());
        let refused = nowhere.use_local_database().unwrap_err();
        assert!(refused.message.contains("--db FIL"), "{}", refused.message);
    }
}
