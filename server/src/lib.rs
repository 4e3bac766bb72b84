//! The Målkart server (sharing.md): one municipality's data in PostgreSQL behind an HTTP
//! API, with accounts and roles. The design and its decisions: docs/sharing-design.md.
//!
//! - `config` — the TOML file; plain HTTP only on loopback.
//! - `db` — connections, the pool, embedded forward-only migrations (`server/migrations/`),
//!   the check that the server's database role cannot change the audit log.
//! - `accounts` — roles, Argon2id passwords, the login throttle, add/set-role/disable.
//! - `access` — the roles table as code: what a caller may read (`Rights`).
//! - `pull` — the change feed (xid8 / `pg_snapshot_xmin`): every replicated table.
//! - `push` — operations from a desktop's outbox, per cell: rights, locks, versions, the
//!   core's rules, idempotent by operation id (`POST /api/v1/push`); `push_rows` — how a
//!   batch's rows are locked, read and written in a few statements, not a few per row.
//! - `publish` — a whole single-user database onto an empty server, with its history
//!   (`POST /api/v1/publish`, administrators).
//! - `resolve` — conflicts resolved with «Bruk deres» on a desktop, for the audit log
//!   (`POST /api/v1/resolve`).
//! - `sick_summary` — the masked sick-leave summary a `leser` pulls instead of raw rows.
//! - `sessions` — login, tokens (stored hashed), expiry, revocation.
//! - `audit` — the append-only audit log; `audit_log` — reading it (`GET /api/v1/audit`).
//! - `http` — the router, the `Authenticated` extractor, serving with graceful shutdown.
//! - `clock` — the one source of "now" (`MALKART_SERVER_NOW` for tests).

pub mod access;
pub mod accounts;
pub mod audit;
pub mod audit_log;
pub mod clock;
pub mod config;
pub mod db;
pub mod error;
pub mod http;
pub mod publish;
pub mod pull;
pub mod push;
mod push_rows;
pub mod resolve;
pub mod sessions;
pub mod sick_summary;

pub use error::{Error, Result};
