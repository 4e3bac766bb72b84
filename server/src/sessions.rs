//! Logins and session tokens (docs/sharing-design.md §5). A token is 32 random bytes sent
//! as 64 hex digits; the server keeps only its SHA-256, so a copy of the database opens no
//! session. A session expires after `[sessions] hours` and is revoked by logout or when its
//! user is disabled. Every time compared here comes from the caller (`Clock`).

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tokio_postgres::Client;

use crate::accounts::{self, Role, UserInfo};
use crate::error::{Error, Result};

/// A new token: 32 bytes from the operating system, as hex.
pub fn new_token() -> Result<String> {
    let mut bytes = [0_u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::Internal(format!("fikk ingen tilfeldige tall fra systemet: {e}")))?;
    Ok(hex::encode(bytes))
}

/// What the server stores of a token.
pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// The answer to a login.
#[derive(Debug, Serialize)]
pub struct LoggedIn {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: UserInfo,
}

/// The authenticated caller of a request.
#[derive(Clone, Debug)]
pub struct Caller {
    pub session_id: i64,
    pub user_id: i64,
    pub name: String,
    pub role: Role,
}

/// Checks a password and opens a session. Attempts for one name are serialised (an
/// advisory lock on the name), so parallel guesses are counted one by one; while the name
/// is throttled the password is not checked at all. The throttle counts every name typed,
/// existing or not, and an unknown name costs the same Argon2 work: neither the answer, its
/// time nor the throttle tells which names exist. A disabled user is told so only after
/// the right password.
pub async fn login(
    client: &mut Client,
    name: &str,
    password: &str,
    device: &str,
    now: DateTime<Utc>,
    session_hours: u32,
) -> Result<LoggedIn> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock(hashtext($1))", &[&name])
        .await?;
    let throttled_until: Option<DateTime<Utc>> = tx
        .query_opt(
            "SELECT throttled_until FROM login_throttle WHERE name = $1",
            &[&name],
        )
        .await?
        .and_then(|r| r.get(0));
    if let Some(until) = throttled_until.filter(|until| *until > now) {
        return Err(Error::Throttled {
            user: name.to_string(),
            seconds: accounts::seconds_until(now, until),
        });
    }
    let user = tx
        .query_opt(
            "SELECT id, password_hash, disabled FROM users WHERE name = $1",
            &[&name],
        )
        .await?;
    let (id, hash, disabled) = match &user {
        Some(row) => (
            Some(row.get::<_, i64>(0)),
            row.get::<_, String>(1),
            row.get(2),
        ),
        None => (None, accounts::dummy_hash().to_string(), false),
    };
    let candidate = password.to_string();
    let matches = tokio::task::spawn_blocking(move || accounts::verify_password(&candidate, &hash))
        .await
        .map_err(|e| Error::Internal(format!("passordsjekken stoppet: {e}")))?;
    let Some(id) = id.filter(|_| matches) else {
        let failures: i32 = tx
            .query_one(
                "INSERT INTO login_throttle (name, failed_logins, last_failed_at)
                 VALUES ($1, 1, $2)
                 ON CONFLICT (name) DO UPDATE
                     SET failed_logins = login_throttle.failed_logins + 1, last_failed_at = $2
                 RETURNING failed_logins",
                &[&name, &now],
            )
            .await?
            .get(0);
        let until = accounts::throttle_wait(failures).map(|wait| now + wait);
        tx.execute(
            "UPDATE login_throttle SET throttled_until = $2 WHERE name = $1",
            &[&name, &until],
        )
        .await?;
        // Names nobody has mistyped for a day are forgotten (an attacker's random names
        // must not pile up).
        tx.execute(
            "DELETE FROM login_throttle WHERE last_failed_at < $1
                 AND (throttled_until IS NULL OR throttled_until < $2)",
            &[&(now - Duration::days(1)), &now],
        )
        .await?;
        tx.commit().await?;
        tracing::warn!(user = name, failures, "feil brukernavn eller passord");
        return Err(Error::BadLogin);
    };
    if disabled {
        return Err(Error::Disabled(name.to_string()));
    }
    tx.execute("DELETE FROM login_throttle WHERE name = $1", &[&name])
        .await?;
    let token = new_token()?;
    let expires_at = now + Duration::hours(i64::from(session_hours));
    tx.execute(
        "INSERT INTO sessions (user_id, token_hash, device, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5)",
        &[&id, &token_hash(&token), &device, &now, &expires_at],
    )
    .await?;
    tx.commit().await?;
    let user = accounts::info(client, id).await?;
    tracing::info!(user = name, device, "innlogget");
    Ok(LoggedIn {
        token,
        expires_at,
        user,
    })
}

/// The caller behind a token, or why there is none.
pub async fn authenticate(client: &Client, token: &str, now: DateTime<Utc>) -> Result<Caller> {
    let token = token.trim();
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(unknown_session());
    }
    let row = client
        .query_opt(
            "SELECT s.id, s.expires_at, s.revoked_at, u.id, u.name, u.role, u.disabled
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1",
            &[&token_hash(&token.to_ascii_lowercase())],
        )
        .await?
        .ok_or_else(unknown_session)?;
    let expires_at: DateTime<Utc> = row.get(1);
    let revoked_at: Option<DateTime<Utc>> = row.get(2);
    let name: String = row.get(4);
    if row.get::<_, bool>(6) {
        return Err(Error::Disabled(name));
    }
    if revoked_at.is_some() {
        return Err(Error::Unauthenticated(
            "økten er avsluttet (logget ut); logg inn på nytt".into(),
        ));
    }
    if expires_at <= now {
        return Err(Error::Unauthenticated(
            "økten er utløpt; logg inn på nytt".into(),
        ));
    }
    Ok(Caller {
        session_id: row.get(0),
        user_id: row.get(3),
        name,
        role: Role::parse(row.get(5))?,
    })
}

fn unknown_session() -> Error {
    Error::Unauthenticated("ukjent økt; logg inn på nytt".into())
}

/// Ends a session (logout).
pub async fn revoke(client: &Client, session_id: i64, now: DateTime<Utc>) -> Result<()> {
    client
        .execute(
            "UPDATE sessions SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
            &[&session_id, &now],
        )
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_64_hex_digits_and_stored_only_hashed() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
        assert_eq!(token_hash(&a).len(), 32);
        assert_ne!(token_hash(&a), a.as_bytes());
        // sha256("abc") = ba7816bf…
        assert_eq!(hex::encode(&token_hash("abc")[..4]), "ba7816bf");
    }
}
