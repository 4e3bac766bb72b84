//! Housekeeping every door offers: targets as typed, comments, locked months, the audit
//! log, who may see small sick-leave groups (privacy), the demo municipality, backup and
//! restore. Each checks what it is given and leaves the last word to the store.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use ts_rs::TS;

use crate::demo::{self, DemoSize};
use crate::engine::sickleave::Privacy;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::model::{AuditEntry, Comment, Target};
use crate::period::{Month, Period};
use crate::storage::{AuditFilter, Store};

/// A target as typed in the indicator detail: numbers as text, read by the core's number
/// rules (`7,5`, `1 234 567`, `−2`); an empty red limit is none.
#[derive(Clone, Debug, Deserialize, TS)]
#[ts(export)]
pub struct TargetInput {
    pub indicator: String,
    /// `None`: the default target for all units.
    pub unit: Option<String>,
    pub year: i32,
    pub target: String,
    pub red_limit: String,
}

/// Sets one target (the indicator's default when `unit` is `None` or blank), audited; a
/// target typed `≥ landet` follows that reference series. The
/// store checks it by the model's rules (a red limit on the wrong side of the target is
/// refused; equal to it is allowed).
pub fn set_target(store: &mut Store, input: &TargetInput) -> Result<Target> {
    let number = |what: &str, text: &str| {
        crate::number::parse_number(text)
            .map_err(|e| Error::invalid_field(what, format!("{what}: {e}")))
    };
    // `≥ landet` follows a reference series (surveys.md §2); the stored number is then unused.
    let (target, reference) = match crate::rules::relative_target(&input.target) {
        Some(series) => (0.0, Some(series)),
        None => (number("målverdien", &input.target)?, None),
    };
    let red_limit = match input.red_limit.trim() {
        "" => None,
        text => Some(number("den røde grensen", text)?),
    };
    let target = Target {
        indicator: input.indicator.clone(),
        unit: input.unit.clone().filter(|u| !u.trim().is_empty()),
        year: input.year,
        target,
        red_limit,
        reference,
    };
    store.set_target(&target)?;
    Ok(target)
}

/// A comment's text, trimmed; an empty one is refused before the store is touched.
pub fn comment_text(text: &str) -> Result<&str> {
    let text = text.trim();
    if text.is_empty() {
        Err(Error::invalid_field(
            "kommentar",
            "kommentaren er tom; skriv noe før du lagrer",
        ))
    } else {
        Ok(text)
    }
}

pub fn comments(
    store: &Store,
    indicator: &str,
    unit: &str,
    period: &Period,
) -> Result<Vec<Comment>> {
    store.comments(indicator, unit, period)
}

pub fn add_comment(
    store: &mut Store,
    indicator: &str,
    unit: &str,
    period: &Period,
    text: &str,
) -> Result<Comment> {
    let text = comment_text(text)?;
    store.add_comment(indicator, unit, period, text)
}

pub fn update_comment(store: &mut Store, id: i64, text: &str) -> Result<Comment> {
    let text = comment_text(text)?;
    store.update_comment(id, text)
}

/// Unlocks `month`, the reason (required, trimmed) written in the audit log; `false` when
/// it was not locked.
pub fn unlock_month(store: &mut Store, month: Month, reason: &str) -> Result<bool> {
    store.unlock_month(month, reason.trim())
}

/// The audit log, newest first; blank filter fields are no filter.
pub fn audit(store: &Store, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
    let blank = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let filter = AuditFilter {
        unit: blank(&filter.unit),
        indicator: blank(&filter.indicator),
        from: blank(&filter.from),
        to: blank(&filter.to),
        limit: filter.limit,
    };
    store.audit(&filter)
}

/// How sick-leave figures are shown: masked by the stored minimum, or — when the person
/// turned masking off — unmasked.
pub fn privacy(store: &Store, unmasked: bool) -> Result<Privacy> {
    if unmasked {
        Ok(Privacy::unmasked())
    } else {
        store.min_employees().map(Privacy::masked)
    }
}

/// One deliberately unmasked view of `unit` in `period` (`malkart status --umaskert`): the
/// unit must exist, and the view is written in the audit log (by `door`) before anything is
/// shown.
pub fn unmasked_view(
    store: &mut Store,
    engine: &Engine,
    unit: &str,
    period: &Period,
    door: &str,
) -> Result<Privacy> {
    engine
        .unit(unit)
        .ok_or_else(|| Error::UnknownUnit(unit.to_string()))?;
    store.audit_unmasked_view(unit, &period.to_string(), door)?;
    Ok(Privacy::unmasked())
}

/// Fills the database with the demo municipality of `size` through `through` (the door
/// passes the last full month by its clock), with tiltak for most of what is red in that
/// month (`demo::plan_actions`). Only into an empty database: one with data is refused and
/// left unchanged.
pub fn load_demo(store: &mut Store, size: DemoSize, through: Month) -> Result<demo::DemoData> {
    if !store.is_empty()? {
        return Err(Error::NotEmpty);
    }
    // The indicators' figures (most of the time of making the demo) are drawn on a second
    // thread while the rest is written (docs/benchmarks.md, `init --demo --size large`).
    let mut data = std::thread::scope(|scope| {
        let figures = scope.spawn(|| demo::indicator_figures(size, through));
        let mut data = demo::organisation(size, through);
        let figures = store.load_demo_in_parts(&data, || {
            figures
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })?;
        data.add(figures);
        Ok::<_, Error>(data)
    })?;
    // The tiltak answer the målkart as loaded: planned from its red indicators.
    let engine = crate::engine::Engine::new(store.dataset_for(&Period::month(through))?)?;
    (data.actions, data.action_comments) = demo::plan_actions(&engine, through);
    store.load_demo_actions(&data.actions, &data.action_comments)?;
    Ok(data)
}

/// A consistent, verified copy of the open database at `dest`. An existing `dest` is
/// refused unless `overwrite`; then the old file is kept beside it and its path returned.
pub fn backup(store: &Store, dest: &Path, overwrite: bool) -> Result<Option<PathBuf>> {
    store.backup_to(dest, overwrite)
}

/// Replaces the database at `db_path` with the verified copy at `source`; the old file is
/// kept beside it and its path returned. The caller closes its store first and opens it
/// again after.
pub fn restore(db_path: &Path, source: &Path) -> Result<Option<PathBuf>> {
    crate::storage::restore(db_path, source)
}

/// Starts over with a new, empty database at `db_path` when the file there cannot be opened
/// (damaged, or not a Målkart database): the old file is kept beside it
/// (`malkart.db.skadet-<tid>`) and its path returned; `None` when there was no file. A
/// database that opens is refused and left as it is, and so is one made by a newer version
/// of Målkart (it is not broken: this version is too old for it). Close every `Store` on
/// `db_path` first.
pub fn new_database_instead(db_path: &Path) -> Result<Option<PathBuf>> {
    if db_path.as_os_str().is_empty() {
        return Err(Error::Invalid(
            "Målkart vet ikke hvor databasen skal ligge; velg en annen fil, eller start \
             Målkart med --db FIL"
                .to_string(),
        ));
    }
    if db_path.exists() {
        match Store::open_existing(db_path) {
            Ok(_) => {
                return Err(Error::Conflict(format!(
                    "databasen {} kan åpnes, så Målkart lager ikke en ny database i stedet for \
                     den; den er ikke endret",
                    db_path.display()
                )))
            }
            // A newer version's file is not broken: this version is too old for it.
            Err(e @ Error::NewerSchema { .. }) => return Err(e),
            // A folder where the file should be is not set aside.
            Err(e) if db_path.is_dir() => return Err(e),
            Err(_) => {}
        }
    }
    let kept = crate::storage::set_aside(db_path, "skadet")?;
    Store::open(db_path)?;
    Ok(kept)
}
