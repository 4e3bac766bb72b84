//! Users and roles (sharing.md §2): the four roles, Argon2id password hashes, the login
//! throttle, and the administrator's commands (`add-user`, `set-role`, `disable-user`),
//! each one audited transaction. No function here returns a password hash.

use std::sync::OnceLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use tokio_postgres::Client;

use crate::audit::{self, Actor, Entry};
use crate::error::{Error, Result};

/// The roles of sharing.md §2, by the names the spec and the CLI use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Role {
    #[serde(rename = "leser")]
    Leser,
    #[serde(rename = "enhetsleder")]
    Enhetsleder,
    #[serde(rename = "økonom")]
    Okonom,
    #[serde(rename = "administrator")]
    Administrator,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::Leser,
        Role::Enhetsleder,
        Role::Okonom,
        Role::Administrator,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Leser => "leser",
            Role::Enhetsleder => "enhetsleder",
            Role::Okonom => "økonom",
            Role::Administrator => "administrator",
        }
    }

    /// A role by name; `okonom` is accepted for keyboards without «ø».
    pub fn parse(text: &str) -> Result<Role> {
        let text = text.trim().to_lowercase();
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == text)
            .or((text == "okonom").then_some(Role::Okonom))
            .ok_or_else(|| {
                Error::Invalid(format!(
                    "ukjent rolle «{text}»; bruk leser, enhetsleder, økonom eller administrator"
                ))
            })
    }

    /// A `leser` and an `enhetsleder` see only the units given them (and their subtrees).
    pub fn limited_to_units(self) -> bool {
        matches!(self, Role::Leser | Role::Enhetsleder)
    }
}

/// What a user may know about themselves: name, role, units.
#[derive(Clone, Debug, Serialize)]
pub struct UserInfo {
    pub name: String,
    pub role: Role,
    pub units: Vec<String>,
}

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

pub fn check_password(password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS || password.trim().is_empty() {
        return Err(Error::Invalid(format!(
            "passordet må ha minst {MIN_PASSWORD_CHARS} tegn; ingenting er endret"
        )));
    }
    Ok(())
}

/// An Argon2id hash (PHC string) with a fresh salt; the crate's defaults are the OWASP
/// minimum (m = 19 MiB, t = 2, p = 1).
pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(format!("kunne ikke lage passord-hash: {e}")))
}

/// Whether `password` matches the stored hash; an unreadable hash matches nothing.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to check against when the user name is unknown, so an unknown name costs the
/// same Argon2 work as a wrong password and timing does not tell which names exist.
pub fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password("ingen-bruker-har-dette-passordet").unwrap_or_default())
}

/// Wrong passwords in a row that are answered at once.
pub const FREE_FAILURES: i32 = 5;

/// How long further logins are refused after `failures` wrong passwords in a row: none
/// for fewer than 5; after the 5th 30 s, doubling with each further failure, at most
/// 15 minutes.
pub fn throttle_wait(failures: i32) -> Option<Duration> {
    if failures < FREE_FAILURES {
        return None;
    }
    let doublings = (failures - FREE_FAILURES).min(10);
    Some(Duration::seconds((30_i64 << doublings).min(15 * 60)))
}

/// Whole seconds from `now` until `until`, at least 1 (for `Retry-After`).
pub fn seconds_until(now: DateTime<Utc>, until: DateTime<Utc>) -> i64 {
    let ms = (until - now).num_milliseconds().max(1);
    (ms + 999) / 1000
}

/// A user name: 1–64 visible characters without spaces.
pub fn check_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.chars().count() <= 64
        && name.chars().all(|c| !c.is_whitespace() && !c.is_control());
    if ok {
        Ok(())
    } else {
        Err(Error::Invalid(format!(
            "brukernavnet «{name}» er ikke gyldig; bruk 1–64 tegn uten mellomrom"
        )))
    }
}

/// The units a `leser` or `enhetsleder` is given: required for those, refused for the
/// others (who read everything); every code must exist on the server.
async fn check_units(client: &Client, role: Role, units: &[String]) -> Result<()> {
    if role.limited_to_units() && units.is_empty() {
        return Err(Error::Invalid(format!(
            "rollen {} ser bare enhetene den får; oppgi dem med --units KODE,…",
            role.as_str()
        )));
    }
    if !role.limited_to_units() && !units.is_empty() {
        return Err(Error::Invalid(format!(
            "rollen {} leser alle enheter; --units gjelder bare leser og enhetsleder",
            role.as_str()
        )));
    }
    let known: Vec<String> = client
        .query("SELECT code FROM units WHERE code = ANY($1)", &[&units])
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    if let Some(missing) = units.iter().find(|u| !known.contains(u)) {
        return Err(Error::Invalid(format!(
            "enheten «{missing}» finnes ikke på serveren; ingenting er endret"
        )));
    }
    Ok(())
}

fn described(role: Role, units: &[String], disabled: bool) -> String {
    serde_json::json!({ "rolle": role.as_str(), "enheter": units, "deaktivert": disabled })
        .to_string()
}

/// Creates a user (`malkart-server add-user`).
pub async fn add_user(
    client: &mut Client,
    actor: &Actor,
    name: &str,
    role: Role,
    units: &[String],
    password: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    check_name(name)?;
    check_password(password)?;
    check_units(client, role, units).await?;
    let hash = hash_password(password)?;
    let tx = client.transaction().await?;
    let id: Option<i64> = tx
        .query_opt(
            "INSERT INTO users (name, role, password_hash, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (name) DO NOTHING RETURNING id",
            &[&name, &role.as_str(), &hash, &now],
        )
        .await?
        .map(|r| r.get(0));
    let Some(id) = id else {
        return Err(Error::Invalid(format!(
            "brukeren «{name}» finnes allerede; endre rollen med set-role"
        )));
    };
    for unit in units {
        tx.execute(
            "INSERT INTO user_units (user_id, unit) VALUES ($1, $2)",
            &[&id, unit],
        )
        .await?;
    }
    let entry = Entry {
        entity: "bruker",
        key: name.to_string(),
        old: None,
        new: Some(described(role, units, false)),
    };
    audit::record(&tx, actor, "malkart-server add-user", now, &[entry]).await?;
    tx.commit().await?;
    Ok(())
}

/// The stored role, units and state of a user, for the audit's «before».
async fn current(client: &Client, name: &str) -> Result<(i64, Role, Vec<String>, bool)> {
    let row = client
        .query_opt(
            "SELECT id, role, disabled FROM users WHERE name = $1",
            &[&name],
        )
        .await?
        .ok_or_else(|| Error::UnknownUser(name.to_string()))?;
    let id: i64 = row.get(0);
    let role = Role::parse(row.get(1))?;
    let units = client
        .query(
            "SELECT unit FROM user_units WHERE user_id = $1 ORDER BY unit",
            &[&id],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    Ok((id, role, units, row.get(2)))
}

/// Gives a user another role and units (`malkart-server set-role`).
pub async fn set_role(
    client: &mut Client,
    actor: &Actor,
    name: &str,
    role: Role,
    units: &[String],
    now: DateTime<Utc>,
) -> Result<()> {
    let (id, old_role, old_units, disabled) = current(client, name).await?;
    check_units(client, role, units).await?;
    let tx = client.transaction().await?;
    tx.execute(
        "UPDATE users SET role = $2 WHERE id = $1",
        &[&id, &role.as_str()],
    )
    .await?;
    tx.execute("DELETE FROM user_units WHERE user_id = $1", &[&id])
        .await?;
    for unit in units {
        tx.execute(
            "INSERT INTO user_units (user_id, unit) VALUES ($1, $2)",
            &[&id, unit],
        )
        .await?;
    }
    let mut sorted = units.to_vec();
    sorted.sort();
    let entry = Entry {
        entity: "bruker",
        key: name.to_string(),
        old: Some(described(old_role, &old_units, disabled)),
        new: Some(described(role, &sorted, disabled)),
    };
    audit::record(&tx, actor, "malkart-server set-role", now, &[entry]).await?;
    tx.commit().await?;
    Ok(())
}

/// Disables a user and revokes every session of theirs (`malkart-server disable-user`).
pub async fn disable_user(
    client: &mut Client,
    actor: &Actor,
    name: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let (id, role, units, disabled) = current(client, name).await?;
    let tx = client.transaction().await?;
    tx.execute("UPDATE users SET disabled = true WHERE id = $1", &[&id])
        .await?;
    tx.execute(
        "UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL",
        &[&id, &now],
    )
    .await?;
    if !disabled {
        let entry = Entry {
            entity: "bruker",
            key: name.to_string(),
            old: Some(described(role, &units, false)),
            new: Some(described(role, &units, true)),
        };
        audit::record(&tx, actor, "malkart-server disable-user", now, &[entry]).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A user's name, role and units by id.
pub async fn info(client: &Client, user_id: i64) -> Result<UserInfo> {
    let row = client
        .query_one("SELECT name, role FROM users WHERE id = $1", &[&user_id])
        .await?;
    let units = client
        .query(
            "SELECT unit FROM user_units WHERE user_id = $1 ORDER BY unit",
            &[&user_id],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    Ok(UserInfo {
        name: row.get(0),
        role: Role::parse(row.get(1))?,
        units,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_wrong_passwords_are_free_then_the_wait_doubles_up_to_a_quarter() {
        assert_eq!(throttle_wait(0), None);
        assert_eq!(throttle_wait(4), None);
        // after the 5th: 30 s; 6th: 30 × 2 = 60 s; 7th: 120 s; 8th: 240; 9th: 480;
        // 10th: 960 > 900, so 15 min, and so on.
        let secs = |n| throttle_wait(n).map(|d| d.num_seconds());
        assert_eq!(secs(5), Some(30));
        assert_eq!(secs(6), Some(60));
        assert_eq!(secs(7), Some(120));
        assert_eq!(secs(9), Some(480));
        assert_eq!(secs(10), Some(900));
        assert_eq!(secs(1000), Some(900));
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        let t0 = DateTime::parse_from_rfc3339("2026-11-15T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(seconds_until(t0, t0 + Duration::milliseconds(29_001)), 30);
        assert_eq!(seconds_until(t0, t0 + Duration::seconds(30)), 30);
        assert_eq!(seconds_until(t0, t0), 1);
    }

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password("riktig hest batteri").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
        assert!(verify_password("riktig hest batteri", &hash));
        assert!(!verify_password("feil hest batteri", &hash));
        assert!(!verify_password("riktig hest batteri", "ikke en hash"));
        assert_ne!(
            hash,
            hash_password("riktig hest batteri").unwrap(),
            "salted"
        );
    }

    #[test]
    fn roles_by_their_norwegian_names() {
        assert_eq!(Role::parse("økonom").unwrap(), Role::Okonom);
        assert_eq!(Role::parse("Okonom").unwrap(), Role::Okonom);
        assert_eq!(Role::parse("enhetsleder").unwrap(), Role::Enhetsleder);
        let e = Role::parse("sjef").unwrap_err().to_string();
        assert!(e.contains("ukjent rolle «sjef»"), "{e}");
        assert!(check_password("kort").is_err());
        assert!(check_password("          ").is_err());
        assert!(check_name("ola nordmann").is_err());
    }
}
