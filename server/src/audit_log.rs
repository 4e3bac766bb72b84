//! `GET /api/v1/audit`: the server's audit log for people, newest first, in the core's
//! `AuditEntry` shape (so the app's «Endringslogg» can show it when connected) plus who's
//! desktop and which operation. Each entry is shown only to those who may read the rows it
//! describes (`Rights::reads_audit`): an entry carries old and new values.

use serde::{Deserialize, Serialize};
use tokio_postgres::Client;

use crate::access::Rights;
use crate::error::{Error, Result};

/// `?before=ID&limit=N`: entries older than `before` (none: the newest), at most `limit`
/// scanned (default 200, at most 1 000).
#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    pub before: Option<i64>,
    pub limit: Option<i64>,
}

/// One entry: the core's `AuditEntry` fields, and `device` and `op_id`.
#[derive(Debug, Serialize)]
pub struct ServerAuditEntry {
    pub id: i64,
    /// `<batch uid>/<position in the batch>`, as the core's.
    pub uid: String,
    /// RFC 3339.
    pub at: String,
    pub user: String,
    pub source: String,
    pub entity: String,
    pub key: String,
    pub indicator: Option<String>,
    pub unit: Option<String>,
    pub period: Option<String>,
    pub old: Option<String>,
    pub new: Option<String>,
    pub reason: Option<String>,
    pub device: Option<String>,
    pub op_id: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct AuditPage {
    pub entries: Vec<ServerAuditEntry>,
    /// The `before` of the next page (older entries); `None` at the oldest. A page may hold
    /// fewer entries than scanned: those the caller may not read are left out.
    pub next_before: Option<i64>,
}

pub async fn page(client: &Client, rights: &Rights, query: &AuditQuery) -> Result<AuditPage> {
    let limit = query.limit.unwrap_or(200);
    if !(1..=1000).contains(&limit) {
        return Err(Error::Invalid(format!(
            "limit={limit} er utenfor 1–1000 oppføringer per side"
        )));
    }
    let before = query.before.unwrap_or(i64::MAX);
    let units = rights.units.as_ref();
    let rows = client
        .query(
            "SELECT a.id, b.uid::text || '/' ||
                        (a.id - (SELECT min(x.id) FROM audit x WHERE x.batch = a.batch) + 1),
                    to_char(b.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
                    b.user_name, b.source, a.entity, coalesce(a.key, ''), a.indicator, a.unit,
                    a.period, a.old, a.new, a.reason, b.device, a.op_id::text
             FROM audit a JOIN audit_batches b ON b.id = a.batch
             WHERE a.id < $1
               AND ($2::text[] IS NULL OR a.unit IS NULL OR a.unit = ANY($2))
             ORDER BY a.id DESC LIMIT $3",
            &[&before, &units, &limit],
        )
        .await?;
    let scanned = rows.len();
    let next_before = if i64::try_from(scanned).unwrap_or(i64::MAX) < limit {
        None
    } else {
        rows.last().map(|r| r.get::<_, i64>(0))
    };
    let entries = rows
        .iter()
        .map(|r| ServerAuditEntry {
            id: r.get(0),
            uid: r.get(1),
            at: r.get(2),
            user: r.get(3),
            source: r.get(4),
            entity: r.get(5),
            key: r.get(6),
            indicator: r.get(7),
            unit: r.get(8),
            period: r.get(9),
            old: r.get(10),
            new: r.get(11),
            reason: r.get(12),
            device: r.get(13),
            op_id: r.get(14),
        })
        .filter(|e| {
            // An entry about a unit names it in `unit`, or (a unit's own entry) in `key`.
            let unit = e
                .unit
                .as_deref()
                .or((e.entity == "enhet").then_some(e.key.as_str()));
            rights.reads_audit(&e.entity, unit)
        })
        .collect();
    Ok(AuditPage {
        entries,
        next_before,
    })
}
