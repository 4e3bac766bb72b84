//! Writing the server's audit log: one batch per write transaction (when, who, from which
//! desktop or command), one entry per changed row or cell. The server's role may only
//! insert here (grants and triggers in migration 0001): the log is append-only.

use chrono::{DateTime, Utc};
use tokio_postgres::Transaction;
use uuid::Uuid;

use crate::error::Result;

/// Who made a change, and through what.
pub struct Actor {
    pub name: String,
    pub user_id: Option<i64>,
    /// The desktop's name, or the command (`malkart-server add-user`).
    pub device: String,
}

/// One audited change: the entity (`bruker`, …), its key, the old and new value as JSON
/// text (`None`: created / deleted).
pub struct Entry {
    pub entity: &'static str,
    pub key: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// Writes one batch with its entries, inside the caller's transaction.
pub async fn record(
    tx: &Transaction<'_>,
    actor: &Actor,
    source: &str,
    at: DateTime<Utc>,
    entries: &[Entry],
) -> Result<()> {
    let batch: i64 = tx
        .query_one(
            "INSERT INTO audit_batches (uid, at, user_name, user_id, device, source)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            &[
                &Uuid::now_v7(),
                &at,
                &actor.name,
                &actor.user_id,
                &actor.device,
                &source,
            ],
        )
        .await?
        .get(0);
    let insert = tx
        .prepare("INSERT INTO audit (batch, entity, key, old, new) VALUES ($1, $2, $3, $4, $5)")
        .await?;
    for entry in entries {
        tx.execute(
            &insert,
            &[&batch, &entry.entity, &entry.key, &entry.old, &entry.new],
        )
        .await?;
    }
    Ok(())
}
