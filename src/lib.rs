//! Målkart's core: everything but the windows.
//!
//! - [`changes`] — `ChangeSet`, `Catalog`, `ApplySummary`, `ImportFailure`: what import makes
//!   and storage applies (a leaf: neither depends on the other)
//! - [`clock`] — today's date from one place (`MALKART_TODAY` overrides it)
//! - [`model`] — units, perspectives, indicators, measurements, targets, comments, audit entries
//! - [`period`] — months, quarters, tertials, half years, years, month ranges
//! - [`rules`] — the checks on input every door and storage share (codes, the unit tree,
//!   built-in indicators, red limits, stranded measurements)
//! - [`format`] — numbers the Norwegian way (`7,3 %`, `1 234 567 kr`)
//! - [`number`] — reading numbers the Norwegian way (`1 234 567,50`, `−500`)
//! - [`engine`] — the pure status engine: value, roll-up, coverage, target, status, trend
//! - [`storage`] — the SQLite database, migrations, audit log, locks, backup
//! - [`import`] — CSV and XLSX import files, all or nothing
//! - [`export`] — the sick-leave summary and economy report as CSV, XLSX, PDF and JSON
//! - [`service`] — the use cases every door shares (detail, grids, reports, imports, admin)
//! - [`demo`] — the deterministic demo municipality
//! - [`text`] — invisible characters refused in codes and periods; NFC for names
//!
//! The `malkart` command line (`src/bin/malkart/`) and the desktop app (`src-tauri/`) are
//! thin layers over this crate.

pub mod changes;
pub mod clock;
pub mod demo;
pub mod engine;
pub mod error;
pub mod export;
pub mod format;
pub mod import;
pub mod model;
pub mod number;
pub mod period;
pub mod rules;
pub mod service;
pub mod storage;
#[cfg(feature = "sync")]
pub mod sync;
pub mod text;

pub use error::{Error, Result};
