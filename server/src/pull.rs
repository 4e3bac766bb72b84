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
//! filtered in SQL by the caller's units and checked again row by row with
//! `Rights::reads` — a filter that let a row through by mistake fails the pull instead of
//! leaking it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value;
use tokio_postgres::{Client, IsolationLevel};

use crate::access::{Read, Rights};
use crate::error::{Error, Result};

/// `GET /api/v1/pull?after=W&scope=S`: no `after` (or another scope) is a first pull.
#[derive(Debug, Default, Deserialize)]
pub struct PullQuery {
    pub after: Option<String>,
    pub scope: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Pulled {
    /// The `after` of the next pull (an xid8 as decimal text: it exceeds 2^53).
    pub watermark: String,
    /// The caller's `Rights::scope`; the next pull sends it back.
    pub scope: String,
    /// True when this is everything the caller may read (a first pull, or a new scope):
    /// the replica replaces what it has instead of merging.
    pub reset: bool,
    /// Per table (every table named, also when empty), the changed rows in key order, each
    /// the JSON PostgreSQL made (passed through, not parsed: a first pull is a million rows).
    pub changes: BTreeMap<&'static str, Vec<Box<RawValue>>>,
    /// Rows deleted since the watermark (`entity`, `key`, `version`).
    pub deletions: Vec<Value>,
}

/// One replicated table: its name, key order, the column naming its unit, who reads it.
struct Feed {
    table: &'static str,
    order: &'static str,
    unit: Option<&'static str>,
    read: Read,
}

const FEEDS: &[Feed] = &[
    Feed {
        table: "perspectives",
        order: "key",
        unit: None,
        read: Read::Everyone,
    },
    Feed {
        table: "units",
        order: "code",
        unit: Some("code"),
        read: Read::ByUnit,
    },
    Feed {
        table: "indicators",
        order: "code",
        unit: None,
        read: Read::Everyone,
    },
    Feed {
        table: "targets",
        order: "indicator, unit, year",
        unit: Some("unit"),
        read: Read::ByUnit,
    },
    Feed {
        table: "measurements",
        order: "indicator, span_first, unit",
        unit: Some("unit"),
        read: Read::ByUnit,
    },
    Feed {
        table: "sick_leave",
        order: "month, unit",
        unit: Some("unit"),
        read: Read::RawSickLeave,
    },
    Feed {
        table: "economy",
        order: "month, unit",
        unit: Some("unit"),
        read: Read::ByUnit,
    },
    Feed {
        table: "comments",
        order: "created_at, uid",
        unit: Some("unit"),
        read: Read::ByUnit,
    },
    Feed {
        table: "locked_months",
        order: "month",
        unit: None,
        read: Read::Everyone,
    },
    Feed {
        table: "settings",
        order: "key",
        unit: None,
        read: Read::Everyone,
    },
];

/// Reads the changes in one read-only REPEATABLE READ transaction: one snapshot for the
/// watermark and every table, so the answer is the server's state at one moment.
pub async fn pull(client: &mut Client, rights: &Rights, query: &PullQuery) -> Result<Pulled> {
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
    let tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await?;
    let watermark: String = tx
        .query_one("SELECT pg_snapshot_xmin(pg_current_snapshot())::text", &[])
        .await?
        .get(0);
    // The readable units, or every unit (`NULL` in SQL).
    let units: Option<&Vec<String>> = rights.units.as_ref();

    let mut changes = BTreeMap::new();
    for feed in FEEDS {
        let mut rows = Vec::new();
        if rights.reads_any(feed.read) {
            let filter = match (feed.read, feed.unit) {
                (Read::Everyone, _) | (_, None) => String::new(),
                (_, Some(column)) => {
                    format!(" AND ($2::text[] IS NULL OR {column} IS NULL OR {column} = ANY($2))")
                }
            };
            let unit_column = feed.unit.unwrap_or("NULL");
            let sql = format!(
                "SELECT {unit_column}::text, (to_jsonb(t) - 'xid')::text FROM {} t
                 WHERE xid >= $1::text::xid8{filter} ORDER BY {}",
                feed.table, feed.order
            );
            let found = if filter.is_empty() {
                tx.query(&sql, &[&after]).await?
            } else {
                tx.query(&sql, &[&after, &units]).await?
            };
            for row in found {
                let unit: Option<&str> = row.get(0);
                if !rights.reads(feed.read, unit) {
                    return Err(Error::Internal(format!(
                        "pull ville sendt en rad fra {} som brukeren ikke kan lese",
                        feed.table
                    )));
                }
                let json: String = row.get(1);
                let raw = if feed.table == "units" {
                    let mut value: Value = serde_json::from_str(&json)
                        .map_err(|e| Error::Internal(format!("en enhet som JSON: {e}")))?;
                    top_of_tree(&mut value, rights);
                    serde_json::value::to_raw_value(&value)
                } else {
                    RawValue::from_string(json)
                }
                .map_err(|e| Error::Internal(format!("en rad fra {} som JSON: {e}", feed.table)))?;
                rows.push(raw);
            }
        }
        changes.insert(feed.table, rows);
    }

    let mut deletions = Vec::new();
    for row in tx
        .query(
            "SELECT jsonb_build_object('entity', entity, 'key', key, 'version', version)
             FROM deletions WHERE xid >= $1::text::xid8 ORDER BY id",
            &[&after],
        )
        .await?
    {
        let value: Value = row.get(0);
        let unit = value["key"].get("unit").and_then(Value::as_str);
        if rights.reads(Read::ByUnit, unit) {
            deletions.push(value);
        }
    }
    tx.commit().await?;
    Ok(Pulled {
        watermark,
        scope,
        reset,
        changes,
        deletions,
    })
}

/// A unit whose parent the caller may not read is the top of the caller's tree: its
/// parent is not sent, so the replica holds no unit it may not read.
fn top_of_tree(unit: &mut Value, rights: &Rights) {
    let hidden = unit
        .get("parent")
        .and_then(Value::as_str)
        .is_some_and(|p| !rights.reads_unit(p));
    if hidden {
        if let Some(parent) = unit.get_mut("parent") {
            *parent = Value::Null;
        }
    }
}
