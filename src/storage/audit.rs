//! The audit log: who changed what, when, from which source, with the old and the new value
//! as JSON. Written inside the transaction of the change it describes; read newest first.

use std::cell::Cell;

use rusqlite::{params, Connection, Statement};

use crate::error::{Error, Result};
use crate::model::AuditEntry;

use super::AuditFilter;

pub const INSERT: &str = "INSERT INTO audit \
    (batch, entity, key, indicator, unit, period, old, new, reason) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";

/// One change to log; the time, user and source come from the `Writer`.
#[derive(Default)]
pub struct Change<'a> {
    pub entity: &'a str,
    /// Empty when the key is `indicator / unit / period`: it is then derived when read.
    pub key: &'a str,
    pub indicator: Option<&'a str>,
    pub unit: Option<&'a str>,
    pub period: Option<&'a str>,
    pub old: Option<&'a str>,
    pub new: Option<&'a str>,
    pub reason: Option<&'a str>,
}

/// Writes the entries of one transaction under one batch (time, user, source), created
/// with the first entry so that a transaction that changes nothing leaves no trace.
pub struct Writer<'a> {
    pub at: String,
    pub user: &'a str,
    pub source: &'a str,
    batch: Cell<Option<i64>>,
}

impl<'a> Writer<'a> {
    pub fn new(user: &'a str, source: &'a str) -> Writer<'a> {
        Writer {
            at: super::db::now(),
            user,
            source,
            batch: Cell::new(None),
        }
    }

    pub fn batch(&self, conn: &Connection) -> Result<i64> {
        if let Some(id) = self.batch.get() {
            return Ok(id);
        }
        // `first_entry` is the id the batch's first entry gets: SQLite gives a new row of
        // a rowid table one more than the largest id, and this transaction holds the lock.
        conn.prepare_cached(
            "INSERT INTO audit_batches (at, user, source, uid, first_entry)
             VALUES (?1, ?2, ?3, ?4, (SELECT COALESCE(MAX(id), 0) + 1 FROM audit))",
        )?
        .execute(params![self.at, self.user, self.source, super::new_uid()])?;
        let id = conn.last_insert_rowid();
        self.batch.set(Some(id));
        Ok(id)
    }

    pub fn write(
        &self,
        conn: &Connection,
        stmt: &mut Statement<'_>,
        change: &Change<'_>,
    ) -> Result<()> {
        let batch = self.batch(conn)?;
        let key = Some(change.key).filter(|k| !k.is_empty());
        stmt.execute(params![
            batch,
            change.entity,
            key,
            change.indicator,
            change.unit,
            change.period,
            change.old,
            change.new,
            change.reason,
        ])?;
        Ok(())
    }

    pub fn write_one(&self, conn: &Connection, change: &Change<'_>) -> Result<()> {
        let mut stmt = conn.prepare_cached(INSERT)?;
        self.write(conn, &mut stmt, change)
    }
}

/// One measurement's entry, waiting in a `MeasurementLog`.
struct MeasurementEntry<'m> {
    indicator: &'m str,
    unit: &'m str,
    period: String,
    old: Option<String>,
    new: String,
}

/// The entries of a bulk import of measurements, written a hundred rows per INSERT: for a
/// million rows the per-statement overhead of single-row inserts costs more than storing
/// the rows. The key is left NULL and derived when read.
pub struct MeasurementLog<'w, 'a, 'm> {
    log: &'w Writer<'a>,
    pending: Vec<MeasurementEntry<'m>>,
}

use super::batch::{multi_row_sql, ROWS_PER_INSERT};

impl<'w, 'a, 'm> MeasurementLog<'w, 'a, 'm> {
    pub fn new(log: &'w Writer<'a>) -> Self {
        MeasurementLog {
            log,
            pending: Vec::with_capacity(ROWS_PER_INSERT),
        }
    }

    pub fn push(
        &mut self,
        conn: &Connection,
        indicator: &'m str,
        unit: &'m str,
        period: String,
        old: Option<String>,
        new: String,
    ) -> Result<()> {
        self.pending.push(MeasurementEntry {
            indicator,
            unit,
            period,
            old,
            new,
        });
        if self.pending.len() == ROWS_PER_INSERT {
            self.flush(conn)?;
        }
        Ok(())
    }

    /// Writes what is pending; call it before the transaction ends.
    pub fn flush(&mut self, conn: &Connection) -> Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let batch = self.log.batch(conn)?;
        let sql = multi_row_sql(
            "INSERT INTO audit (batch, entity, indicator, unit, period, old, new) VALUES ",
            "(?, 'måling', ?, ?, ?, ?, ?)",
            self.pending.len(),
        );
        let mut stmt = conn.prepare_cached(&sql)?;
        let mut values: Vec<&dyn rusqlite::ToSql> = Vec::with_capacity(self.pending.len() * 6);
        for e in &self.pending {
            values.extend([
                &batch as &dyn rusqlite::ToSql,
                &e.indicator,
                &e.unit,
                &e.period,
                &e.old,
                &e.new,
            ]);
        }
        stmt.execute(values.as_slice())?;
        drop(stmt);
        self.pending.clear();
        Ok(())
    }
}

/// A JSON value for the log; serializing plain model data cannot fail, but if it ever did
/// the log says so rather than the change being lost.
pub fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| format!("\"(kunne ikke skrives: {e})\""))
}

fn is_date(text: &str) -> bool {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok() && text.len() == 10
}

pub fn query(conn: &Connection, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
    for date in [&filter.from, &filter.to].into_iter().flatten() {
        if !is_date(date) {
            let field = if Some(date) == filter.from.as_ref() {
                "fra"
            } else {
                "til"
            };
            return Err(Error::invalid_field(
                field,
                format!(
                    "«{date}» er ikke en dato; skriv den som ÅÅÅÅ-MM-DD, for eksempel 2026-03-14"
                ),
            ));
        }
    }
    // `at` starts with the local date, so a date range is a prefix comparison.
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, b.at, b.user, b.source, a.entity,
                COALESCE(a.key, a.indicator || ' / ' || a.unit || ' / ' || a.period),
                a.indicator, a.unit, a.period, a.old, a.new, a.reason,
                b.uid || '/' || (a.id - b.first_entry + 1)
         FROM audit a JOIN audit_batches b ON b.id = a.batch
         WHERE (?1 IS NULL OR a.unit = ?1)
           AND (?2 IS NULL OR a.indicator = ?2)
           AND (?3 IS NULL OR substr(b.at, 1, 10) >= ?3)
           AND (?4 IS NULL OR substr(b.at, 1, 10) <= ?4)
         ORDER BY a.id DESC
         LIMIT ?5",
    )?;
    let limit = filter.limit.map(i64::from).unwrap_or(-1);
    let rows = stmt.query_map(
        params![filter.unit, filter.indicator, filter.from, filter.to, limit],
        |r| {
            Ok(AuditEntry {
                id: r.get(0)?,
                uid: r.get(12)?,
                at: r.get(1)?,
                user: r.get(2)?,
                source: r.get(3)?,
                entity: r.get(4)?,
                key: r.get(5)?,
                indicator: r.get(6)?,
                unit: r.get(7)?,
                period: r.get(8)?,
                old: r.get(9)?,
                new: r.get(10)?,
                reason: r.get(11)?,
            })
        },
    )?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
