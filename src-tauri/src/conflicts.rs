//! The app's side of conflicts and local-first states (sharing.md §4, issue 14): the kept
//! conflicts for «Konflikter (n)», resolving one or a batch (`malkart::service::conflicts`),
//! the marks of cells waiting to be sent or in conflict, and what closing the window with
//! changes waiting does (docs/decisions.md, "Closing with changes waiting").

use malkart::error::IpcError;
use malkart::service::conflicts::{self, CellMark, Resolved, Which};
use malkart::storage::{Choice, OutboxConflict};

use crate::backend::{lock, Backend};

type IpcResult<T> = std::result::Result<T, IpcError>;

/// The event the window gets when a close was held back because changes wait to be sent;
/// its payload is how many.
pub const CLOSE_HELD: &str = "malkart://close-held";

/// Whether a close of the window is held back to say what happens to `pending` changes:
/// only when some wait and the person has not yet been told (the UI then closes the
/// window itself, which does not ask again).
pub fn hold_close(pending: u64) -> bool {
    pending > 0
}

impl Backend {
    /// The kept conflicts and refusals of the open replica, oldest first (none for a
    /// local file).
    pub fn conflicts(&self) -> IpcResult<Vec<OutboxConflict>> {
        self.with_store(|store| conflicts::list(store))
    }

    /// Every cell with a change waiting to be sent or in conflict: the marks in the grids
    /// and the målkart.
    pub fn cell_marks(&self) -> IpcResult<Vec<CellMark>> {
        self.with_store(|store| conflicts::marks(store))
    }

    /// Resolves one conflict (`id`) or a whole batch (`batch`) as `choice`, all or none,
    /// audited; «Behold min» is pushed at once by the worker.
    pub fn resolve(&self, which: &Which, choice: Choice) -> IpcResult<Resolved> {
        let resolved = self.write_store(|store| conflicts::resolve(store, which, choice))?;
        self.refresh_status();
        Ok(resolved)
    }

    /// How many changes wait to be sent, for a close of the window: read from the file
    /// when it is free, else what the last sync saw (a close never waits for an import).
    pub fn pending_for_close(&self) -> u64 {
        if let Ok(guard) = self.open.try_lock() {
            if let Ok(store) = guard.store.as_ref() {
                if let Ok(counts) = store.outbox_counts() {
                    return counts.pending;
                }
            }
        }
        lock(&self.syncing.status)
            .as_ref()
            .and_then(|(_, s)| s.as_ref())
            .map_or(0, |s| s.pending)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

    use super::*;
    use malkart::storage::{ReplicaInfo, Store};

    #[test]
    fn a_close_is_held_only_while_changes_wait() {
        assert!(!hold_close(0));
        assert!(hold_close(1));
        assert!(hold_close(3));
    }

    #[test]
    fn a_replica_with_a_waiting_lock_counts_it_for_a_close_and_marks_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("replica.db");
        let mut store = Store::open(&path).unwrap();
        store
            .make_replica(&ReplicaInfo {
                server_url: "http://127.0.0.1:1".into(),
                user_name: "dina".into(),
                role: "administrator".into(),
                ..Default::default()
            })
            .unwrap();
        let backend = Backend::over_store(path, store);
        assert_eq!(backend.pending_for_close(), 0);
        assert!(backend.cell_marks().unwrap().is_empty());
        // Locking March is one cell (`locked` false → true) waiting to be sent.
        assert!(backend.lock_month("2026-03").unwrap());
        assert_eq!(backend.pending_for_close(), 1);
        let marks = backend.cell_marks().unwrap();
        assert_eq!(marks.len(), 1);
        assert_eq!(
            (marks[0].state.as_str(), marks[0].cell.as_str()),
            ("pending", "lås 2026-03")
        );
        assert!(backend.conflicts().unwrap().is_empty());
        // Nothing to resolve: refused in words, nothing changed.
        let e = backend
            .resolve(&Which::One("x".into()), Choice::Theirs)
            .unwrap_err();
        assert!(
            e.message.contains("ingen konflikt med id «x»"),
            "{}",
            e.message
        );
        assert_eq!(backend.pending_for_close(), 1);
    }
}
