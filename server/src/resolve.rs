//! `POST /api/v1/resolve`: a conflict resolved with «Bruk deres» on a desktop, written in
//! the server's audit log (sharing.md §6: "conflicts with how they were resolved").
//! «Behold min» needs no route: it is a new operation on top of theirs whose `resolves`
//! names the conflict (push.rs). «Bruk deres» changes nothing on the server — the
//! desktop's cell takes the server's value — so without this report the server's log
//! would never learn how the conflict ended.
//!
//! Each resolution names the operation it resolves; it must be the caller's own and not
//! applied (a conflict or a refusal). One audit entry per conflict, entity `konflikt`, the
//! cell in the words push's entries use, old = the discarded value, new = the value taken,
//! `resolves` = the conflict's op id, reason «Bruk deres». Idempotent: a resend of a
//! resolution already logged is answered `recorded` again and logs nothing.

use chrono::{DateTime, Utc};
use deadpool_postgres::Object;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::push::{key_of, Kind};
use crate::sessions::Caller;

/// The most resolutions one request may carry (an import's conflicts at once).
pub const MAX_RESOLUTIONS: usize = 50_000;

#[derive(Deserialize)]
pub struct ResolveRequest {
    #[serde(default)]
    pub device: String,
    pub resolutions: Vec<Resolution>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Resolution {
    /// The conflict's operation id.
    pub resolves: Uuid,
    /// `theirs` («Bruk deres»); «Behold min» is sent as an operation.
    pub choice: String,
    /// The value the desktop took (the server's, as it knew it); `null`: empty.
    #[serde(default)]
    pub value: Value,
}

#[derive(Serialize)]
pub struct ResolveAnswer {
    /// Per resolution, in the order sent: `{"resolves", "status": "recorded"}` or
    /// `{"resolves", "status": "ugyldig", "reason"}`.
    pub results: Vec<Value>,
}

/// Writes the resolutions in one transaction.
pub async fn resolve(
    client: &mut Object,
    caller: &Caller,
    device: &str,
    now: DateTime<Utc>,
    resolutions: Vec<Resolution>,
) -> Result<ResolveAnswer> {
    if resolutions.len() > MAX_RESOLUTIONS {
        return Err(Error::Invalid(format!(
            "en forespørsel kan ha høyst {MAX_RESOLUTIONS} løsninger; send resten i en ny"
        )));
    }
    if let Some(r) = resolutions.iter().find(|r| r.choice != "theirs") {
        return Err(Error::Invalid(format!(
            "valget «{}» for konflikten {} meldes ikke her: «Behold min» sendes med push som en \
             ny endring med «resolves»; her meldes bare «theirs» («Bruk deres»)",
            r.choice, r.resolves
        )));
    }
    let tx = client.transaction().await?;
    let mut batch: Option<i64> = None;
    let mut results = Vec::with_capacity(resolutions.len());
    for r in &resolutions {
        // Two sends of one resolution at once log it once.
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(($1::uuid)::text, 14))",
            &[&r.resolves],
        )
        .await?;
        let op = tx
            .query_opt(
                "SELECT entity, key, field, new_value, status, user_id
                 FROM operations WHERE op_id = $1",
                &[&r.resolves],
            )
            .await?;
        let refused =
            |reason: String| json!({"resolves": r.resolves, "status": "ugyldig", "reason": reason});
        let Some(op) = op.filter(|o| o.get::<_, i64>(5) == caller.user_id) else {
            results.push(refused(format!(
                "serveren kjenner ingen endring {} fra deg; det er ingen konflikt å løse",
                r.resolves
            )));
            continue;
        };
        if op.get::<_, String>(4) == "applied" {
            results.push(refused(format!(
                "endringen {} ble lagret på serveren; det er ingen konflikt å løse",
                r.resolves
            )));
            continue;
        }
        let logged: bool = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM audit WHERE resolves = $1 AND entity = 'konflikt')",
                &[&r.resolves],
            )
            .await?
            .get(0);
        if !logged {
            let entity: String = op.get(0);
            let key: Value = op.get(1);
            let field: String = op.get(2);
            let mine: Option<Value> = op.get(3);
            let cell = Kind::parse(&entity).and_then(|kind| {
                let row = key_of(kind, &key).ok()?;
                let name = kind
                    .cells()
                    .iter()
                    .find(|(f, _, _)| *f == field)
                    .map_or(field.as_str(), |(_, _, name)| name);
                Some((
                    format!("{} {} ({name})", kind.audit_entity(), row.text),
                    row.indicator.clone(),
                    (!row.unit.is_empty()).then(|| row.unit.clone()),
                    row.period.map(|p| p.to_string()),
                ))
            });
            let (text, indicator, unit, period) =
                cell.unwrap_or_else(|| (format!("{entity} {key} ({field})"), None, None, None));
            let id = match batch {
                Some(id) => id,
                None => {
                    let id: i64 = tx
                        .query_one(
                            "INSERT INTO audit_batches (uid, at, user_name, user_id, device, source)
                             VALUES ($1, $2, $3, $4, $5, 'konflikt') RETURNING id",
                            &[&Uuid::now_v7(), &now, &caller.name, &caller.user_id, &device],
                        )
                        .await?
                        .get(0);
                    batch = Some(id);
                    id
                }
            };
            tx.execute(
                "INSERT INTO audit (batch, entity, key, indicator, unit, period, old, new,
                                    reason, resolves)
                 VALUES ($1, 'konflikt', $2, $3, $4, $5, $6, $7, 'Bruk deres', $8)",
                &[
                    &id,
                    &text,
                    &indicator,
                    &unit,
                    &period,
                    &mine.as_ref().and_then(audit_text),
                    &audit_text(&r.value),
                    &r.resolves,
                ],
            )
            .await?;
        }
        results.push(json!({"resolves": r.resolves, "status": "recorded"}));
    }
    tx.commit().await?;
    Ok(ResolveAnswer { results })
}

/// A value as the audit log shows it (as push's entries): text as it is, numbers as JSON.
fn audit_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}
