//! Pull (sharing.md §3): every change after a watermark that the caller may read, and the
//! next watermark. The feed is keyed on the writing transaction (`xid`), and the watermark
//! is the `xmin` of the pull's own snapshot: every transaction below it had finished, every
//! one still running is at or above it and so comes with the next pull. A pull therefore
//! never misses a transaction that commits after a later-starting one
//! (docs/sharing-design.md §3). A row may come twice; replicas apply by version.
//!
//! Part 1 pulls units and indicators; the other tables follow the same pattern.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio_postgres::{Client, IsolationLevel};

use crate::access::Rights;
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
    pub changes: Changes,
}

#[derive(Debug, Default, Serialize)]
pub struct Changes {
    pub units: Vec<UnitRow>,
    pub indicators: Vec<IndicatorRow>,
}

#[derive(Debug, Serialize)]
pub struct UnitRow {
    pub code: String,
    pub name: String,
    pub parent: Option<String>,
    pub level: Option<String>,
    pub sort: i64,
    pub version: i64,
    pub cell_versions: Value,
}

#[derive(Debug, Serialize)]
pub struct IndicatorRow {
    pub code: String,
    pub name: String,
    pub perspective: String,
    pub goal: Option<String>,
    pub description: String,
    pub source: String,
    pub responsible: String,
    pub unit_label: String,
    pub decimals: i32,
    pub direction: String,
    pub frequency: String,
    pub aggregation: String,
    pub unit_rollup: String,
    pub factor: f64,
    pub builtin: bool,
    pub version: i64,
    pub cell_versions: Value,
}

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

    let units = tx
        .query(
            "SELECT code, name, parent, level, sort, version, cell_versions
             FROM units WHERE xid >= $1::text::xid8 ORDER BY code",
            &[&after],
        )
        .await?
        .iter()
        .map(|r| UnitRow {
            code: r.get(0),
            name: r.get(1),
            parent: r.get(2),
            level: r.get(3),
            sort: r.get(4),
            version: r.get(5),
            cell_versions: r.get(6),
        })
        // The filter is here, on every row, not in the SQL: one place decides.
        .filter(|u| rights.reads_unit(&u.code))
        .map(|mut u| {
            if u.parent.as_deref().is_some_and(|p| !rights.reads_unit(p)) {
                u.parent = None;
            }
            u
        })
        .collect();

    let indicators = tx
        .query(
            "SELECT code, name, perspective, goal, description, source, responsible,
                    unit_label, decimals, direction, frequency, aggregation, unit_rollup,
                    factor, builtin, version, cell_versions
             FROM indicators WHERE xid >= $1::text::xid8 ORDER BY code",
            &[&after],
        )
        .await?
        .iter()
        .map(|r| IndicatorRow {
            code: r.get(0),
            name: r.get(1),
            perspective: r.get(2),
            goal: r.get(3),
            description: r.get(4),
            source: r.get(5),
            responsible: r.get(6),
            unit_label: r.get(7),
            decimals: r.get(8),
            direction: r.get(9),
            frequency: r.get(10),
            aggregation: r.get(11),
            unit_rollup: r.get(12),
            factor: r.get(13),
            builtin: r.get(14),
            version: r.get(15),
            cell_versions: r.get(16),
        })
        .collect();
    tx.commit().await?;
    Ok(Pulled {
        watermark,
        scope,
        reset,
        changes: Changes { units, indicators },
    })
}
