//! The rows one push batch reads and writes, in a few statements instead of a few per row
//! (docs/sharing-design.md §3 "Push, precisely", docs/benchmarks.md §13). A batch of
//! 10 000 imported cells is 10 000 row groups; asking PostgreSQL row by row cost three
//! round trips each. Here:
//!
//! - **locks**: every row's advisory lock in one statement, in one order (`lock_rows`);
//! - **reads**: every row the batch names, read at once per table after the locks are
//!   held, with one new version number per row (`Prefetched`). A row is handed out once:
//!   a second group on the same row (a cell repeated in the batch) reads it again itself,
//!   after the writes before it are flushed;
//! - **writes**: the upserts of measurements, sick leave and economy — the tables an import
//!   fills — wait in `Deferred` and go in one statement per table and column list when the
//!   batch ends, or earlier when something is about to read what they change (a group of
//!   another table, a row read again). Every other write goes at once, as before.
//!
//! Nothing here decides anything: what a group does is push's, in the same order and with
//! the same rules; this module only changes how many statements it takes.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use deadpool_postgres::Transaction;
use serde_json::{Map, Value};

use crate::error::Result;
use crate::push::{Kind, RowKey};

/// A row's identity within a batch: its table and primary key as JSON text.
pub(crate) type RowId = (&'static str, String);

pub(crate) fn row_id(key: &RowKey) -> RowId {
    (key.kind.table(), Value::Array(key.pk.clone()).to_string())
}

/// Every row's advisory lock for the rest of the transaction, in ascending order (two
/// batches never wait for each other in a circle), in one statement.
pub(crate) async fn lock_rows(tx: &Transaction<'_>, locks: &BTreeSet<i64>) -> Result<()> {
    if locks.is_empty() {
        return Ok(());
    }
    let ids: Vec<i64> = locks.iter().copied().collect();
    // `unnest` yields the array in its order, and the aggregate takes each lock as its row
    // comes: the locks are taken in the array's (ascending) order.
    tx.query_one(
        &tx.prepare_cached(
            "SELECT count(pg_advisory_xact_lock(id)) FROM unnest($1::bigint[]) AS id",
        )
        .await?,
        &[&ids],
    )
    .await?;
    Ok(())
}

/// The batch's rows as stored when its locks were taken, and a version number for each.
#[derive(Default)]
pub(crate) struct Prefetched {
    rows: HashMap<RowId, Option<Map<String, Value>>>,
    versions: VecDeque<i64>,
}

impl Prefetched {
    /// Reads every row `keys` names (one statement per table) and takes one version per
    /// distinct row (`malkart_version`; a row that applies nothing leaves a gap, which is
    /// harmless: a version only has to grow).
    pub(crate) async fn load(tx: &Transaction<'_>, keys: &[&RowKey]) -> Result<Prefetched> {
        let mut by_kind: BTreeMap<&'static str, (Kind, Vec<&RowKey>)> = BTreeMap::new();
        let mut rows: HashMap<RowId, Option<Map<String, Value>>> = HashMap::new();
        for key in keys {
            let id = row_id(key);
            if rows.contains_key(&id) {
                continue;
            }
            rows.insert(id, None);
            by_kind
                .entry(key.kind.table())
                .or_insert_with(|| (key.kind, Vec::new()))
                .1
                .push(key);
        }
        for (table, (kind, keys)) in &by_kind {
            let pks = Value::Array(keys.iter().map(|k| Value::Array(k.pk.clone())).collect());
            let sql = format!(
                "SELECT k.n, to_jsonb(t) FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY
                     AS k (pk, n)
                 JOIN {table} t ON {}",
                join_clause(*kind)
            );
            for row in tx.query(&tx.prepare_cached(&sql).await?, &[&pks]).await? {
                let n: i64 = row.get(0);
                let found = usize::try_from(n - 1).ok().and_then(|i| keys.get(i));
                if let (Some(key), Value::Object(map)) = (found, row.get::<_, Value>(1)) {
                    rows.insert(row_id(key), Some(map));
                }
            }
        }
        let versions = if rows.is_empty() {
            VecDeque::new()
        } else {
            let count = i64::try_from(rows.len()).unwrap_or(i64::MAX);
            tx.query(
                &tx.prepare_cached(
                    "SELECT nextval('malkart_version') FROM generate_series(1, $1::bigint)",
                )
                .await?,
                &[&count],
            )
            .await?
            .iter()
            .map(|r| r.get(0))
            .collect()
        };
        Ok(Prefetched { rows, versions })
    }

    /// The row as stored and its new version, once per row; `None` when the row was not
    /// read here or was handed out already (the caller reads it itself).
    pub(crate) fn take(&mut self, key: &RowKey) -> Option<(Option<Map<String, Value>>, i64)> {
        let stored = self.rows.remove(&row_id(key))?;
        let version = self.versions.pop_front()?;
        Some((stored, version))
    }
}

/// `t.col = (k.pk->>n)::type AND …`: the row whose primary key is the array `k.pk`.
fn join_clause(kind: Kind) -> String {
    crate::push::key_match(kind, "t.", |n| format!("k.pk ->> {n}"))
}

/// Whether a table's upserts may wait for the batch's end: the figures an import writes,
/// which nothing else push checks reads.
pub(crate) fn deferrable(kind: Kind) -> bool {
    matches!(kind, Kind::Measurement | Kind::SickLeave | Kind::Economy)
}

/// A table and the columns its rows name: the rows one upsert statement writes.
type Shape = (&'static str, Vec<String>);

/// Upserts waiting to be written, each a whole row as push built it.
#[derive(Default)]
pub(crate) struct Deferred {
    rows: Vec<(Kind, Map<String, Value>)>,
}

impl Deferred {
    pub(crate) fn push(&mut self, kind: Kind, row: Map<String, Value>) {
        self.rows.push((kind, row));
    }

    /// Writes every waiting row: one statement per table and column list (a row inserts
    /// only the columns it names, so a new row's other columns take their defaults, as a
    /// single upsert does). A batch holds each row once here (`Prefetched::take`).
    pub(crate) async fn flush(&mut self, tx: &Transaction<'_>) -> Result<()> {
        let mut shapes: BTreeMap<Shape, (Kind, Vec<Value>)> = BTreeMap::new();
        for (kind, row) in self.rows.drain(..) {
            let columns: Vec<String> = row.keys().cloned().collect();
            shapes
                .entry((kind.table(), columns))
                .or_insert_with(|| (kind, Vec::new()))
                .1
                .push(Value::Object(row));
        }
        for ((table, columns), (kind, rows)) in shapes {
            let sql = upsert_sql(kind, table, &columns, "jsonb_populate_recordset");
            tx.execute(&tx.prepare_cached(&sql).await?, &[&Value::Array(rows)])
                .await?;
        }
        Ok(())
    }
}

/// `INSERT … SELECT cols FROM populate(NULL::table, $1) ON CONFLICT (key) DO UPDATE`: one
/// row (`jsonb_populate_record`) or many (`jsonb_populate_recordset`) from JSON.
pub(crate) fn upsert_sql(kind: Kind, table: &str, columns: &[String], populate: &str) -> String {
    let updates = columns
        .iter()
        .filter(|c| !kind.key_columns().contains(&c.as_str()))
        .map(|c| format!("{c} = EXCLUDED.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let list = columns.join(", ");
    format!(
        "INSERT INTO {table} ({list}) SELECT {list} FROM {populate}(NULL::{table}, $1)
         ON CONFLICT ({}) DO UPDATE SET {updates}",
        kind.key_columns().join(", ")
    )
}
