//! Pull (sharing.md §3): every change after a watermark that the caller may read, and the
//! next watermark. The feed is keyed on the writing transaction (`xid`, stamped by a
//! trigger on every write), and the watermark is the `xmin` of the pull's own snapshot:
//! every transaction below it had finished, every one still running is at or above it and
//! so comes with the next pull. A pull therefore never misses a transaction that commits
//! after a later-starting one (docs/sharing-design.md §3). A row may come twice; replicas
//! apply by version.
//!
//! Every replicated table is one `Feed`: its rows as JSON objects with the table's own
//! column names (as in the desktop's SQLite schema) plus `version` and `cell_versions`,
//! written here from typed columns (PostgreSQL's own JSON cost 11 s for `large`),
//! filtered in SQL by the caller's units and checked again row by row with
//! `Rights::reads` — a filter that let a row through by mistake ends the answer (the
//! replica discards an unfinished answer) instead of leaking the row.
//!
//! The answer is streamed: a task owns the pooled connection and its read-only REPEATABLE
//! READ transaction (one snapshot for the watermark and every table) and writes each row
//! to the socket as it comes; a first pull of a million rows
//! is never held in memory. The shape:
//!
//! ```json
//! { "watermark": "<xid8 as text>", "scope": "<Rights::scope>", "reset": true,
//!   "changes": { "perspectives": [...], "units": [...], ... every table, in key order },
//!   "deletions": [ { "entity", "key", "version" } ],
//!   "sick_leave_summary": [...] | null }   // a `leser` only (sick_summary.rs)
//! ```
//!
//! `reset` is true when this is everything the caller may read (a first pull, or a new
//! scope): the replica replaces what it has instead of merging.

use std::io::Write as _;

use axum::body::{Body, Bytes};
use deadpool_postgres::Object;
use futures_util::StreamExt;
use serde::Deserialize;
use serde_json::Value;
use tokio::sync::{mpsc, oneshot};
use tokio_postgres::types::ToSql;

use crate::access::{Read, Rights};
use crate::error::{Error, Result};

/// `GET /api/v1/pull?after=W&scope=S[&shape=rows]`: no `after` (or another scope) is a
/// first pull. `shape=rows` asks for each table as its column names once and its rows as
/// arrays (`{"columns": [...], "rows": [[...], ...]}`), a third of the bytes of rows as
/// objects for a first pull of `large` (docs/benchmarks.md §11); without it every row is an
/// object, as before.
#[derive(Debug, Default, Deserialize)]
pub struct PullQuery {
    pub after: Option<String>,
    pub scope: Option<String>,
    pub shape: Option<String>,
}

impl PullQuery {
    fn rows_as_arrays(&self) -> Result<bool> {
        match self.shape.as_deref() {
            None | Some("objects") => Ok(false),
            Some("rows") => Ok(true),
            Some(other) => Err(Error::Invalid(format!(
                "shape=«{other}» er ikke en form svaret kan ha; bruk «rows» eller «objects»"
            ))),
        }
    }
}

/// One replicated table: its name, key order, the column naming its unit, who reads it,
/// and the columns a row is sent with (besides `version` and `cell_versions`).
struct Feed {
    table: &'static str,
    order: &'static str,
    unit: Option<&'static str>,
    read: Read,
    columns: &'static [(&'static str, Col)],
}

/// How a column is read from PostgreSQL and written as JSON. The answer is written here
/// from typed rows rather than made by PostgreSQL (`to_jsonb(t)::text` took 11 s of a
/// first pull of `large`, the typed columns 0,7 s; docs/benchmarks.md §11).
#[derive(Clone, Copy, PartialEq)]
enum Col {
    Text,
    Int4,
    Int8,
    Float8,
    Bool,
    /// Rendered by PostgreSQL as JSON (`to_jsonb(column)::text`): times and uuids, as
    /// `to_jsonb` always wrote them.
    Json,
}

use Col::{Bool, Float8, Int4, Int8, Json, Text};

#[rustfmt::skip]
const FEEDS: &[Feed] = &[
    Feed { table: "perspectives", order: "key", unit: None, read: Read::Everyone,
           columns: &[("key", Text), ("name", Text), ("sort", Int4)] },
    Feed { table: "units", order: "code", unit: Some("code"), read: Read::ByUnit,
           columns: &[("code", Text), ("name", Text), ("parent", Text), ("level", Text), ("sort", Int8)] },
    Feed { table: "indicators", order: "code", unit: None, read: Read::Everyone,
           columns: &[("code", Text), ("name", Text), ("perspective", Text), ("goal", Text),
                      ("description", Text), ("source", Text), ("responsible", Text),
                      ("unit_label", Text), ("decimals", Int4), ("direction", Text),
                      ("frequency", Text), ("aggregation", Text), ("unit_rollup", Text),
                      ("factor", Float8), ("builtin", Bool)] },
    Feed { table: "targets", order: "indicator, unit, year", unit: Some("unit"), read: Read::ByUnit,
           columns: &[("id", Int8), ("indicator", Text), ("unit", Text), ("year", Int4),
                      ("target", Float8), ("red_limit", Float8)] },
    Feed { table: "measurements", order: "indicator, span_first, unit", unit: Some("unit"), read: Read::ByUnit,
           columns: &[("indicator", Text), ("span_first", Int4), ("unit", Text), ("span_last", Int4),
                      ("value", Float8), ("numerator", Float8), ("denominator", Float8)] },
    Feed { table: "sick_leave", order: "month, unit", unit: Some("unit"), read: Read::RawSickLeave,
           columns: &[("unit", Text), ("month", Int4), ("contracted_days", Float8),
                      ("self_certified", Float8), ("doctor_certified", Float8), ("employees", Int8),
                      ("days_1_3", Float8), ("days_4_16", Float8), ("days_17_56", Float8),
                      ("days_over_56", Float8)] },
    Feed { table: "economy", order: "month, unit", unit: Some("unit"), read: Read::ByUnit,
           columns: &[("unit", Text), ("month", Int4), ("budget", Int8), ("actual", Int8),
                      ("forecast", Int8)] },
    Feed { table: "comments", order: "created_at, uid", unit: Some("unit"), read: Read::ByUnit,
           columns: &[("uid", Json), ("indicator", Text), ("unit", Text), ("period", Text),
                      ("author", Text), ("text", Text), ("created_at", Json), ("updated_at", Json)] },
    Feed { table: "actions", order: "code", unit: Some("unit"), read: Read::ByUnit,
           columns: &[("code", Text), ("title", Text), ("description", Text), ("goal", Text),
                      ("success_factor", Text), ("unit", Text), ("responsible", Text),
                      ("kind", Text), ("decision_ref", Text), ("start", Text), ("deadline", Text),
                      ("status", Text), ("progress", Int8), ("cost_ore", Int8),
                      ("indicators", Text)] },
    // A status comment is read with its tiltak: by the tiltak's unit.
    Feed { table: "action_comments", order: "created_at, uid",
           unit: Some("(SELECT a.unit FROM actions a WHERE a.code = t.action)"), read: Read::ByUnit,
           columns: &[("uid", Json), ("action", Text), ("period", Text), ("author", Text),
                      ("text", Text), ("created_at", Json), ("updated_at", Json)] },
    Feed { table: "locked_months", order: "month", unit: None, read: Read::Everyone,
           columns: &[("month", Int4), ("locked_by", Text), ("locked_at", Json)] },
    Feed { table: "settings", order: "key", unit: None, read: Read::Everyone,
           columns: &[("key", Text), ("value", Text)] },
];

/// Bytes gathered before they are sent.
const CHUNK: usize = 64 * 1024;

/// Opens the pull's snapshot and returns the answer's body, written by a task that owns
/// `client`. A refused `after` or a database that fails before the first byte is an
/// ordinary error; a failure later ends the body early (the client sees an unfinished
/// answer and pulls again).
pub async fn pull(client: Object, rights: Rights, query: &PullQuery) -> Result<Body> {
    let arrays = query.rows_as_arrays()?;
    let scope = rights.scope();
    let reset = query.after.is_none() || query.scope.as_deref() != Some(scope.as_str());
    let after = match (&query.after, reset) {
        (Some(text), false) => {
            let text = text.trim();
            if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) || text.len() > 20 {
                return Err(Error::Invalid(format!(
                    "after=«{text}» er ikke et vannmerke fra en tidligere synkronisering"
                )));
            }
            text.to_string()
        }
        _ => "0".to_string(),
    };
    // Everything from BEGIN on runs in the task that owns the connection, so however the
    // request ends (the desktop may hang up at any await), the transaction is ended before
    // the connection goes back to the pool.
    let (ready, opened) = oneshot::channel::<Result<()>>();
    let (sender, receiver) = mpsc::channel::<std::result::Result<Bytes, std::io::Error>>(4);
    tokio::spawn(async move {
        if let Err(e) = client
            .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .await
        {
            let _ = ready.send(Err(e.into()));
            return;
        }
        let watermark = match client
            .query_one("SELECT pg_snapshot_xmin(pg_current_snapshot())::text", &[])
            .await
        {
            Ok(row) => row.get::<_, String>(0),
            Err(e) => {
                let _ = ready.send(Err(e.into()));
                finish(client, false).await;
                return;
            }
        };
        if ready.send(Ok(())).is_err() {
            finish(client, false).await;
            return;
        }
        let head = serde_json::json!({ "watermark": watermark, "scope": scope, "reset": reset });
        let mut out = Out {
            buffer: Vec::with_capacity(CHUNK * 2),
            sender,
        };
        let written = write_all(&client, &rights, &after, head, arrays, &mut out).await;
        let ok = match written {
            Ok(()) => out.flush().await.is_ok(),
            Err(e) => {
                tracing::error!(error = %e, "pull stoppet underveis");
                let _ = out
                    .sender
                    .send(Err(std::io::Error::other("pull stoppet underveis")))
                    .await;
                false
            }
        };
        finish(client, ok).await;
    });
    opened
        .await
        .map_err(|_| Error::Internal("pull stoppet før svaret".into()))??;
    let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|item| (item, receiver))
    });
    Ok(Body::from_stream(stream))
}

/// Ends the transaction before the connection goes back to the pool; a connection that
/// cannot even roll back is not given back at all.
async fn finish(client: Object, commit: bool) {
    let end = if commit { "COMMIT" } else { "ROLLBACK" };
    if client.batch_execute(end).await.is_err() {
        drop(Object::take(client));
    }
}

/// The answer's bytes, sent in chunks; a closed receiver (the desktop went away) stops it.
struct Out {
    buffer: Vec<u8>,
    sender: mpsc::Sender<std::result::Result<Bytes, std::io::Error>>,
}

impl Out {
    async fn push(&mut self, bytes: &[u8]) -> Result<()> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK {
            self.flush().await?;
        }
        Ok(())
    }

    async fn flush(&mut self) -> Result<()> {
        let chunk = Bytes::from(std::mem::take(&mut self.buffer));
        self.sender
            .send(Ok(chunk))
            .await
            .map_err(|_| Error::Io("mottakeren av pull gikk bort".into()))
    }
}

/// A row's `cell_versions` as `shape=rows` sends it: `true` when the row's cells are exactly
/// the replica's cells of the table, each at the row's version (most rows: a publish or an
/// import writes every cell of a row at once), else the object — ~45 bytes less to write,
/// send and parse for nearly every row of a first pull (docs/benchmarks.md §11). Told from
/// PostgreSQL's text of the `jsonb`, which is canonical (keys shortest first, then by
/// byte; `": "` and `", "`): the text of "every cell at v" is made once per version and
/// compared. (Asking PostgreSQL to compare, `cell_versions = jsonb_build_object(…)`, cost
/// it 4 s more for `large`.) A text written otherwise is sent as it is: still right.
struct AllAtVersion {
    cells: Vec<&'static str>,
    made: Option<(i64, String)>,
}

impl AllAtVersion {
    fn new(table: &str) -> AllAtVersion {
        let mut cells = malkart::storage::replicated_cells(table).to_vec();
        cells.sort_by(|a, b| a.len().cmp(&b.len()).then(a.cmp(b)));
        AllAtVersion { cells, made: None }
    }

    fn is(&mut self, text: &str, version: i64) -> bool {
        if self.cells.is_empty() {
            return false;
        }
        if self.made.as_ref().is_none_or(|(v, _)| *v != version) {
            let pairs: Vec<String> = self
                .cells
                .iter()
                .map(|c| format!("\"{c}\": {version}"))
                .collect();
            self.made = Some((version, format!("{{{}}}", pairs.join(", "))));
        }
        self.made.as_ref().is_some_and(|(_, t)| t == text)
    }
}

fn params<'a>(list: &'a [&'a (dyn ToSql + Sync)]) -> impl ExactSizeIterator<Item = &'a dyn ToSql> {
    list.iter().map(|p| *p as &dyn ToSql)
}

async fn write_all(
    client: &Object,
    rights: &Rights,
    after: &str,
    head: Value,
    arrays: bool,
    out: &mut Out,
) -> Result<()> {
    // The head without its closing brace, then the tables.
    let head = head.to_string();
    out.push(head.trim_end_matches('}').as_bytes()).await?;
    out.push(b",\"changes\":{").await?;
    // The readable units, or every unit (`NULL` in SQL).
    let units: Option<&Vec<String>> = rights.units.as_ref();
    for (i, feed) in FEEDS.iter().enumerate() {
        if i > 0 {
            out.push(b",").await?;
        }
        out.push(format!("\"{}\":", feed.table).as_bytes()).await?;
        if arrays {
            let mut names = Vec::with_capacity(64);
            names.extend_from_slice(b"{\"columns\":[");
            for (name, _) in feed.columns {
                json_string(&mut names, name);
                names.push(b',');
            }
            names.extend_from_slice(b"\"version\",\"cell_versions\"],\"rows\":");
            out.push(&names).await?;
        }
        out.push(b"[").await?;
        if rights.reads_any(feed.read) {
            let filter = match (feed.read, feed.unit) {
                (Read::Everyone, _) | (_, None) => String::new(),
                (_, Some(column)) => {
                    format!(" AND ($2::text[] IS NULL OR {column} IS NULL OR {column} = ANY($2))")
                }
            };
            let unit_column = feed.unit.unwrap_or("NULL");
            let columns: Vec<String> = feed
                .columns
                .iter()
                .map(|(name, col)| match col {
                    Json => format!("to_jsonb({name})::text"),
                    _ => (*name).to_string(),
                })
                .collect();
            let sql = format!(
                "SELECT {unit_column}::text, {}, version, cell_versions::text FROM {} t
                 WHERE xid >= $1::text::xid8{filter} ORDER BY {}",
                columns.join(", "),
                feed.table,
                feed.order
            );
            let list: Vec<&(dyn ToSql + Sync)> = if filter.is_empty() {
                vec![&after]
            } else {
                vec![&after, &units]
            };
            let rows = client.query_raw(&sql, params(&list)).await?;
            let mut rows = std::pin::pin!(rows);
            let mut first = true;
            let mut line = Vec::with_capacity(512);
            let mut all_at = arrays.then(|| AllAtVersion::new(feed.table));
            while let Some(row) = rows.next().await {
                let row = row?;
                let unit: Option<&str> = row.try_get(0)?;
                if !rights.reads(feed.read, unit) {
                    return Err(Error::Internal(format!(
                        "pull ville sendt en rad fra {} som brukeren ikke kan lese",
                        feed.table
                    )));
                }
                line.clear();
                if !first {
                    line.push(b',');
                }
                first = false;
                write_row(&mut line, feed, &row, rights, all_at.as_mut())?;
                out.push(&line).await?;
            }
        }
        out.push(if arrays { b"]}" as &[u8] } else { b"]" }).await?;
    }
    out.push(b"},\"deletions\":[").await?;
    let rows = client
        .query(
            "SELECT key->>'unit', jsonb_build_object('entity', entity, 'key', key, 'version', version)::text
             FROM deletions WHERE xid >= $1::text::xid8 ORDER BY id",
            &[&after],
        )
        .await?;
    let mut first = true;
    for row in rows {
        let unit: Option<&str> = row.get(0);
        if rights.reads(Read::ByUnit, unit) {
            if !first {
                out.push(b",").await?;
            }
            first = false;
            out.push(row.get::<_, &str>(1).as_bytes()).await?;
        }
    }
    out.push(b"]").await?;
    // A `leser` reads sick leave only as the masked summary (sick_summary.rs): the whole
    // table when anything it is computed from changed since `after` (or on a reset), else
    // `null` — keep what you have. Other roles get no such key.
    if rights.gets_sick_leave_summary() {
        out.push(b",\"sick_leave_summary\":").await?;
        if after == "0" || crate::sick_summary::changed_since(client, after).await? {
            let started = std::time::Instant::now();
            let rows = crate::sick_summary::rows(client, rights).await?;
            tracing::info!(
                rows = rows.len(),
                ms = started.elapsed().as_secs_f64() * 1000.0,
                "sykefraværssammendrag regnet ut"
            );
            out.push(Value::Array(rows).to_string().as_bytes()).await?;
        } else {
            out.push(b"null").await?;
        }
    }
    out.push(b"}").await
}

/// One row as a JSON object: the feed's columns, `version` and `cell_versions`; or, for
/// `shape=rows`, the same values as an array in that order. A unit whose parent the caller
/// may not read is the top of the caller's tree: its parent is not sent, so the replica
/// holds no unit it may not read.
fn write_row(
    line: &mut Vec<u8>,
    feed: &Feed,
    row: &tokio_postgres::Row,
    rights: &Rights,
    all_at: Option<&mut AllAtVersion>,
) -> Result<()> {
    let arrays = all_at.is_some();
    let n = feed.columns.len();
    line.push(if arrays { b'[' } else { b'{' });
    for (i, (name, col)) in feed.columns.iter().enumerate() {
        let at = i + 1;
        if i > 0 {
            line.push(b',');
        }
        if !arrays {
            json_string(line, name);
            line.push(b':');
        }
        match col {
            Text => {
                let mut value: Option<&str> = row.try_get(at)?;
                if feed.table == "units" && *name == "parent" {
                    value = value.filter(|p| rights.reads_unit(p));
                }
                match value {
                    Some(text) => json_string(line, text),
                    None => line.extend_from_slice(b"null"),
                }
            }
            Int4 => json_int(line, row.try_get::<_, Option<i32>>(at)?.map(i64::from)),
            Int8 => json_int(line, row.try_get::<_, Option<i64>>(at)?),
            Float8 => json_float(line, row.try_get::<_, Option<f64>>(at)?),
            Bool => line.extend_from_slice(match row.try_get::<_, Option<bool>>(at)? {
                Some(true) => b"true",
                Some(false) => b"false",
                None => b"null",
            }),
            Json => {
                let text: Option<&str> = row.try_get(at)?;
                line.extend_from_slice(text.unwrap_or("null").as_bytes());
            }
        }
    }
    line.extend_from_slice(if arrays { b"," } else { b",\"version\":" });
    let version: Option<i64> = row.try_get(n + 1)?;
    json_int(line, version);
    line.extend_from_slice(if arrays { b"," } else { b",\"cell_versions\":" });
    let cells: &str = row.try_get::<_, Option<&str>>(n + 2)?.unwrap_or("{}");
    let short = match (all_at, version) {
        (Some(all_at), Some(v)) => all_at.is(cells, v),
        _ => false,
    };
    line.extend_from_slice(if short { b"true" } else { cells.as_bytes() });
    line.push(if arrays { b']' } else { b'}' });
    Ok(())
}

fn json_string(line: &mut Vec<u8>, text: &str) {
    // Writing to a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *line, text);
}

fn json_int(line: &mut Vec<u8>, value: Option<i64>) {
    match value {
        Some(v) => {
            // Writing to a Vec cannot fail.
            let _ = write!(line, "{v}");
        }
        None => line.extend_from_slice(b"null"),
    }
}

/// A double as PostgreSQL's JSON wrote it: whole numbers without a fraction (`80`, not
/// `80.0`), others as their shortest exact decimal; both read back as the same f64.
fn json_float(line: &mut Vec<u8>, value: Option<f64>) {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53: every whole number below is exact
    match value {
        Some(v)
            if v.is_finite()
                && v.fract() == 0.0
                && v.abs() < EXACT
                && !(v == 0.0 && v.is_sign_negative()) =>
        {
            json_int(line, Some(v as i64));
        }
        Some(v) if v.is_finite() => {
            let _ = serde_json::to_writer(&mut *line, &v);
        }
        _ => line.extend_from_slice(b"null"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cell_at_the_rows_version_is_told_from_postgresqls_text_of_the_jsonb() {
        // PostgreSQL writes a jsonb's keys shortest first, then by byte.
        let mut economy = AllAtVersion::new("economy");
        assert!(economy.is(r#"{"actual": 5, "budget": 5, "forecast": 5}"#, 5));
        assert!(!economy.is(r#"{"actual": 5, "budget": 5, "forecast": 6}"#, 6));
        assert!(!economy.is(r#"{"actual": 5, "budget": 5}"#, 5));
        let mut sick = AllAtVersion::new("sick_leave");
        assert!(sick.is(
            r#"{"days_1_3": 9, "days_4_16": 9, "employees": 9, "days_17_56": 9, "days_over_56": 9, "self_certified": 9, "contracted_days": 9, "doctor_certified": 9}"#,
            9
        ));
        // A table without cells is never short.
        assert!(!AllAtVersion::new("perspectives").is("{}", 1));
    }
}
