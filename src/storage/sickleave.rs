//! The sick-leave table (sick-leave.md): one row per (unit, month), checked, written and
//! audited row by row; locked months refused.
//!
//! Every change is checked first (the shared `engine::sickleave::check`, a known unit, no
//! locked month, no (unit, month) twice); only then is anything written, so an error leaves
//! nothing for the caller's transaction to roll back but its own. The stored rows of the
//! months the changes touch are read in one query and matched in memory, which keeps the
//! demo's 180 000 rows a matter of a second; an identical row is counted as unchanged and
//! not audited. An `Update` (the import) keeps the stored `ansatte` and length split where
//! it has none, as the economy import keeps stored figures for empty cells.

use std::collections::{HashMap, HashSet};

use rusqlite::{params, Connection, Row};
use serde::Serialize;

use crate::engine::sickleave::check;
use crate::error::{Error, Result};
use crate::model::{LengthSplit, SickLeave, SickLeaveChange};
use crate::period::Month;

use super::audit::{json, Change, Writer};
use super::rows;
use super::ApplySummary;

const COLUMNS: &str = "unit, month, contracted_days, self_certified, doctor_certified, \
    employees, days_1_3, days_4_16, days_17_56, days_over_56";

/// How a row is written to the audit log: the import's column names.
#[derive(Serialize)]
struct Logged {
    enhet: String,
    periode: String,
    avtalte_dagsverk: f64,
    egenmeldt: f64,
    legemeldt: f64,
    ansatte: Option<u32>,
    dager_1_3: Option<f64>,
    dager_4_16: Option<f64>,
    dager_17_56: Option<f64>,
    dager_over_56: Option<f64>,
}

fn logged(row: &SickLeave) -> String {
    json(&Logged {
        enhet: row.unit.clone(),
        periode: row.month.id(),
        avtalte_dagsverk: row.contracted_days,
        egenmeldt: row.self_certified,
        legemeldt: row.doctor_certified,
        ansatte: row.employees,
        dager_1_3: row.split.map(|s| s.days_1_3),
        dager_4_16: row.split.map(|s| s.days_4_16),
        dager_17_56: row.split.map(|s| s.days_17_56),
        dager_over_56: row.split.map(|s| s.days_over_56),
    })
}

fn key_of(change: &SickLeaveChange) -> (&str, Month) {
    match change {
        SickLeaveChange::Set(row) | SickLeaveChange::Update(row) => (row.unit.as_str(), row.month),
        SickLeaveChange::Remove { unit, month } => (unit.as_str(), *month),
    }
}

/// Refuses the first wrong change, naming its row.
fn validate(conn: &Connection, changes: &[SickLeaveChange]) -> Result<()> {
    let units: HashSet<String> = {
        let mut stmt = conn.prepare_cached("SELECT code FROM units")?;
        let codes = stmt.query_map([], |r| r.get(0))?;
        codes.collect::<rusqlite::Result<HashSet<String>>>()?
    };
    let locked = rows::locked_set(conn)?;
    let mut seen: HashSet<(&str, Month)> = HashSet::with_capacity(changes.len());
    for change in changes {
        let (unit, month) = key_of(change);
        if !units.contains(unit) {
            return Err(Error::UnknownUnit(unit.to_string()));
        }
        if let SickLeaveChange::Set(row) | SickLeaveChange::Update(row) = change {
            if let Some(p) = check(row).first() {
                return Err(Error::invalid_field(
                    &p.column,
                    format!(
                        "sykefravær {unit} / {}: {}: {}",
                        month.id(),
                        p.column,
                        p.message
                    ),
                ));
            }
        }
        if locked.contains(&month) {
            return Err(Error::LockedMonth(month.id()));
        }
        if !seen.insert((unit, month)) {
            return Err(Error::Duplicate(format!(
                "sykefravær {unit} / {}",
                month.id()
            )));
        }
    }
    Ok(())
}

/// Applies sick-leave changes inside the caller's write transaction; `log` `None` (the
/// demo) writes no per-row audit entries.
pub fn apply(
    conn: &Connection,
    changes: &[SickLeaveChange],
    log: Option<&Writer<'_>>,
) -> Result<ApplySummary> {
    let mut summary = ApplySummary::default();
    if changes.is_empty() {
        return Ok(summary);
    }
    validate(conn, changes)?;

    let first = changes.iter().map(|c| key_of(c).1).min();
    let last = changes.iter().map(|c| key_of(c).1).max();
    let stored: HashMap<(String, i32), SickLeave> = match (first, last) {
        (Some(first), Some(last)) => load(conn, first, last)?
            .into_iter()
            .map(|r| ((r.unit.clone(), r.month.index()), r))
            .collect(),
        _ => HashMap::new(),
    };

    let merged = merge_updates(changes, &stored)?;

    let mut upsert = conn.prepare_cached(&format!(
        "INSERT INTO sick_leave ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
         ON CONFLICT (month, unit) DO UPDATE SET contracted_days = excluded.contracted_days,
             self_certified = excluded.self_certified, doctor_certified = excluded.doctor_certified,
             employees = excluded.employees, days_1_3 = excluded.days_1_3,
             days_4_16 = excluded.days_4_16, days_17_56 = excluded.days_17_56,
             days_over_56 = excluded.days_over_56"
    ))?;
    let mut delete =
        conn.prepare_cached("DELETE FROM sick_leave WHERE month = ?1 AND unit = ?2")?;
    let mut log_stmt = None;
    // New rows go a hundred to an INSERT (`batch`), after the loop.
    let mut created: Vec<&SickLeave> = Vec::new();
    for (change, merged) in changes.iter().zip(&merged) {
        let (unit, month) = key_of(change);
        let old = stored.get(&(unit.to_string(), month.index()));
        let set = match change {
            SickLeaveChange::Set(row) => Some(row),
            SickLeaveChange::Update(row) => Some(merged.as_ref().unwrap_or(row)),
            SickLeaveChange::Remove { .. } => None,
        };
        let new = match set {
            Some(row) => {
                match old {
                    Some(old) if old == row => {
                        summary.unchanged += 1;
                        continue;
                    }
                    Some(_) => summary.changed += 1,
                    None => summary.created += 1,
                }
                if old.is_none() {
                    created.push(row);
                } else {
                    let split = row.split;
                    upsert.execute(params![
                        row.unit,
                        month.index(),
                        row.contracted_days,
                        row.self_certified,
                        row.doctor_certified,
                        row.employees,
                        split.map(|s| s.days_1_3),
                        split.map(|s| s.days_4_16),
                        split.map(|s| s.days_17_56),
                        split.map(|s| s.days_over_56),
                    ])?;
                }
                Some(row)
            }
            None => {
                if old.is_none() {
                    summary.unchanged += 1;
                    continue;
                }
                delete.execute(params![month.index(), unit])?;
                summary.changed += 1;
                None
            }
        };
        let Some(log) = log else { continue };
        let (old, new) = (old.map(logged), new.map(logged));
        let period = month.id();
        let key = format!("{unit} / {period}");
        if log_stmt.is_none() {
            log_stmt = Some(conn.prepare_cached(super::audit::INSERT)?);
        }
        if let Some(stmt) = log_stmt.as_mut() {
            log.write(
                conn,
                stmt,
                &Change {
                    entity: "sykefravær",
                    key: &key,
                    unit: Some(unit),
                    period: Some(&period),
                    old: old.as_deref(),
                    new: new.as_deref(),
                    ..Change::default()
                },
            )?;
        }
    }
    // In key order (month, unit): each INSERT then touches a few neighbouring pages, and
    // SQLite copies each page a statement touches into its statement journal.
    created.sort_unstable_by(|a, b| (a.month, &a.unit).cmp(&(b.month, &b.unit)));
    super::batch::insert(
        conn,
        &format!("INSERT INTO sick_leave ({COLUMNS}) VALUES "),
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        10,
        &created,
        |stmt, at, row| {
            let split = row.split;
            stmt.raw_bind_parameter(at, &row.unit)?;
            stmt.raw_bind_parameter(at + 1, row.month.index())?;
            stmt.raw_bind_parameter(at + 2, row.contracted_days)?;
            stmt.raw_bind_parameter(at + 3, row.self_certified)?;
            stmt.raw_bind_parameter(at + 4, row.doctor_certified)?;
            stmt.raw_bind_parameter(at + 5, row.employees)?;
            stmt.raw_bind_parameter(at + 6, split.map(|s| s.days_1_3))?;
            stmt.raw_bind_parameter(at + 7, split.map(|s| s.days_4_16))?;
            stmt.raw_bind_parameter(at + 8, split.map(|s| s.days_17_56))?;
            stmt.raw_bind_parameter(at + 9, split.map(|s| s.days_over_56))
        },
    )?;
    Ok(summary)
}

/// Each `Update` with the stored `ansatte` and length split filled in where it has none;
/// `None` for every other change. Refuses (naming the row) a kept split that no longer adds
/// up to the new `egenmeldt + legemeldt`.
fn merge_updates(
    changes: &[SickLeaveChange],
    stored: &HashMap<(String, i32), SickLeave>,
) -> Result<Vec<Option<SickLeave>>> {
    let mut out = Vec::with_capacity(changes.len());
    for change in changes {
        let SickLeaveChange::Update(row) = change else {
            out.push(None);
            continue;
        };
        let Some(old) = stored.get(&(row.unit.clone(), row.month.index())) else {
            out.push(None);
            continue;
        };
        let mut merged = row.clone();
        merged.employees = row.employees.or(old.employees);
        if row.split.is_none() && old.split.is_some() {
            merged.split = old.split;
            if let Some(p) = check(&merged).first() {
                return Err(Error::Conflict(format!(
                    "sykefravær {} / {}: lengdefordelingen som er lagret, passer ikke lenger: \
                     {} Fyll inn de fire kolonnene dager_1_3, dager_4_16, dager_17_56 og \
                     dager_over_56 i filen, eller fjern fordelingen i registreringsbildet.",
                    row.unit,
                    row.month.id(),
                    p.message
                )));
            }
        }
        out.push(Some(merged));
    }
    Ok(out)
}

/// One stored row: unit code, month id, employees, agreed and sick days, split in days.
type StoredRow = (String, i64, f64, f64, f64, Option<i64>, [Option<f64>; 4]);

fn row(r: &Row<'_>) -> rusqlite::Result<StoredRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        [r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?],
    ))
}

/// The rows of the months `first..=last`, by (month, unit).
pub fn load(conn: &Connection, first: Month, last: Month) -> Result<Vec<SickLeave>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM sick_leave WHERE month BETWEEN ?1 AND ?2 ORDER BY month, unit"
    ))?;
    let mut out = Vec::new();
    for raw in stmt.query_map(params![first.index(), last.index()], row)? {
        let (unit, month, contracted, self_certified, doctor_certified, employees, split) = raw?;
        let employees = match employees {
            None => None,
            Some(e) => Some(
                u32::try_from(e)
                    .map_err(|_| Error::Corrupt(format!("sykefravær {unit}: ansatte {e}")))?,
            ),
        };
        let split = match split {
            [Some(a), Some(b), Some(c), Some(d)] => Some(LengthSplit {
                days_1_3: a,
                days_4_16: b,
                days_17_56: c,
                days_over_56: d,
            }),
            _ => None,
        };
        out.push(SickLeave {
            unit,
            month: rows::month_from_index(month)?,
            contracted_days: contracted,
            self_certified,
            doctor_certified,
            employees,
            split,
        });
    }
    Ok(out)
}
