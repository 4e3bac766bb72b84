//! PostgreSQL: connections, the pool, and the schema's forward-only migrations
//! (`server/migrations/NNNN_*.sql`, embedded). The version lives in `malkart_schema`.
//! Pending migrations run in one transaction under an advisory lock, which reads the
//! version again once it holds the lock, so two `init`s at once both succeed; a database
//! written by a newer version is refused untouched — as the core does with SQLite
//! (`src/storage/migrate.rs`).

use std::str::FromStr;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::{Client, NoTls};

use crate::config::Config;
use crate::error::{unavailable, Error, Result};

/// Every migration, in order; migration *n* (1-based) brings the schema to version *n*.
/// A new migration is a new file in `server/migrations/` and a new line here (a test
/// checks that the two agree). Each migration grants what the server's role needs on the
/// tables it adds (`malkart_app`).
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_initial.sql"),
    include_str!("../migrations/0002_push.sql"),
    include_str!("../migrations/0003_actions.sql"),
    include_str!("../migrations/0004_surveys.sql"),
];

/// The schema version this build writes and reads.
pub const SUPPORTED_VERSION: i64 = MIGRATIONS.len() as i64;

/// The advisory lock every migration holds ("MÅL" + 1).
const MIGRATION_LOCK: i64 = 0x4d41_4c01;

/// One connection (the CLI's commands); its driver task runs on the runtime.
pub async fn connect(url: &str) -> Result<Client> {
    let config = parse_url(url)?;
    let (client, connection) = config.connect(NoTls).await.map_err(|e| unavailable(&e))?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::error!(error = %e, "forbindelsen til PostgreSQL ble brutt");
        }
    });
    Ok(client)
}

/// The server's pool over `[database] url`.
pub fn pool(config: &Config) -> Result<Pool> {
    let pg = parse_url(&config.database.url)?;
    let manager = Manager::from_config(
        pg,
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    // A request waits at most this long for a connection, and a new connection at most this
    // long for PostgreSQL: an unreachable database answers 503, it does not hang requests.
    let patience = Some(std::time::Duration::from_secs(10));
    Pool::builder(manager)
        .max_size(config.database.pool_size)
        .runtime(deadpool_postgres::Runtime::Tokio1)
        .wait_timeout(patience)
        .create_timeout(patience)
        .recycle_timeout(patience)
        .build()
        .map_err(|e| Error::Internal(format!("kunne ikke lage forbindelsespoolen: {e}")))
}

fn parse_url(url: &str) -> Result<tokio_postgres::Config> {
    let mut config = tokio_postgres::Config::from_str(url).map_err(|e| {
        Error::Config(format!(
            "[database]: «{}» er ikke en gyldig tilkoblingsstreng for PostgreSQL ({e}); \
             skriv for eksempel \"host=127.0.0.1 port=5432 dbname=malkart user=malkart_server\"",
            redact_password(url)
        ))
    })?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(std::time::Duration::from_secs(10));
    }
    Ok(config)
}

/// The connection string without a password, for messages and logs.
fn redact_password(url: &str) -> String {
    url.split_whitespace()
        .map(|part| {
            if part.starts_with("password=") {
                "password=…"
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The schema version found, `None` when Målkart's schema has never been made here.
pub async fn schema_version(client: &Client) -> Result<Option<i64>> {
    let exists: bool = client
        .query_one("SELECT to_regclass('malkart_schema') IS NOT NULL", &[])
        .await?
        .get(0);
    if !exists {
        return Ok(None);
    }
    let version: i32 = client
        .query_one("SELECT version FROM malkart_schema", &[])
        .await?
        .get(0);
    Ok(Some(i64::from(version)))
}

/// Brings the schema to `SUPPORTED_VERSION`; returns the version found before. A newer
/// schema is refused and nothing is changed.
pub async fn migrate(client: &mut Client) -> Result<i64> {
    migrate_to(client, SUPPORTED_VERSION).await
}

async fn migrate_to(client: &mut Client, target: i64) -> Result<i64> {
    let tx = client.transaction().await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS malkart_schema (
             id      integer PRIMARY KEY CHECK (id = 1),
             version integer NOT NULL
         );
         INSERT INTO malkart_schema (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;",
    )
    .await?;
    let found: i32 = tx
        .query_one("SELECT version FROM malkart_schema", &[])
        .await?
        .get(0);
    let found = i64::from(found);
    if found > SUPPORTED_VERSION {
        // Dropping the transaction rolls it back: nothing was changed.
        return Err(Error::NewerSchema {
            found,
            supported: SUPPORTED_VERSION,
        });
    }
    for version in found..target {
        let sql = usize::try_from(version)
            .ok()
            .and_then(|i| MIGRATIONS.get(i))
            .copied()
            .unwrap_or_default();
        tx.batch_execute(sql).await.map_err(|e| Error::Migration {
            version: version + 1,
            message: e
                .as_db_error()
                .map_or_else(|| e.to_string(), |db| db.message().to_string()),
        })?;
    }
    if found < target {
        let target = i32::try_from(target).unwrap_or(i32::MAX);
        tx.execute("UPDATE malkart_schema SET version = $1", &[&target])
            .await?;
    }
    tx.commit().await?;
    Ok(found)
}

/// The server runs only on the schema it knows.
pub async fn check_schema(client: &Client) -> Result<()> {
    let found = schema_version(client).await?.unwrap_or(0);
    if found > SUPPORTED_VERSION {
        return Err(Error::NewerSchema {
            found,
            supported: SUPPORTED_VERSION,
        });
    }
    if found < SUPPORTED_VERSION {
        return Err(Error::OlderSchema {
            found,
            supported: SUPPORTED_VERSION,
        });
    }
    Ok(())
}

/// The audit log is append-only because the server's role may not change it: refuse to run
/// as a superuser or as a role that may update, delete or truncate it (the schema's owner).
pub async fn check_runtime_role(client: &Client) -> Result<()> {
    let row = client
        .query_one(
            "SELECT current_user::text,
                    (SELECT rolsuper FROM pg_roles WHERE rolname = current_user),
                    has_table_privilege('audit', 'UPDATE')
                        OR has_table_privilege('audit', 'DELETE')
                        OR has_table_privilege('audit', 'TRUNCATE')",
            &[],
        )
        .await?;
    let (user, superuser, may_change): (String, bool, bool) = (row.get(0), row.get(1), row.get(2));
    if superuser || may_change {
        return Err(Error::Config(format!(
            "databasebrukeren «{user}» kan endre revisjonsloggen (den er {}); serveren skal \
             kjøre som en bruker som bare har rollen malkart_app (se [database] url og \
             owner_url i docs/sharing-design.md)",
            if superuser {
                "superbruker"
            } else {
                "eier av tabellene"
            }
        )));
    }
    Ok(())
}

/// After the migrations, the server's role (`[database] url`) gets the group role
/// `malkart_app`, when it exists and differs from the owner. Returns what an administrator
/// must do by hand, if anything.
pub async fn grant_runtime_role(owner: &Client, config: &Config) -> Result<Option<String>> {
    let runtime = parse_url(&config.database.url)?;
    let Some(user) = runtime.get_user().map(str::to_string) else {
        return Ok(None);
    };
    let row = owner
        .query_one(
            "SELECT current_user::text = $1, EXISTS (SELECT FROM pg_roles WHERE rolname = $1)",
            &[&user],
        )
        .await?;
    let (is_owner, exists): (bool, bool) = (row.get(0), row.get(1));
    if is_owner {
        return Ok(Some(format!(
            "[database] url bruker eieren «{user}»; serveren nekter å kjøre slik. Opprett en \
             egen bruker for serveren og sett den i url (owner_url beholder eieren)"
        )));
    }
    if !exists {
        return Ok(Some(format!(
            "databasebrukeren «{user}» finnes ikke; opprett den (CREATE ROLE {user} LOGIN \
             PASSWORD '…') og kjør init igjen"
        )));
    }
    let member: bool = owner
        .query_one("SELECT pg_has_role($1, 'malkart_app', 'MEMBER')", &[&user])
        .await?
        .get(0);
    if member {
        return Ok(None);
    }
    let quoted = format!("\"{}\"", user.replace('"', "\"\""));
    match owner
        .batch_execute(&format!("GRANT malkart_app TO {quoted}"))
        .await
    {
        Ok(()) => Ok(None),
        Err(_) => Ok(Some(format!(
            "kunne ikke gi «{user}» rollen malkart_app; kjør som databaseadministrator: \
             GRANT malkart_app TO {quoted};"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_migration_file_is_embedded_in_order() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let mut files: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".sql"))
            .collect();
        files.sort();
        assert_eq!(files.len(), MIGRATIONS.len(), "{files:?}");
        for (i, name) in files.iter().enumerate() {
            assert!(name.starts_with(&format!("{:04}_", i + 1)), "{name}");
            assert_eq!(
                std::fs::read_to_string(dir.join(name)).unwrap(),
                MIGRATIONS[i]
            );
        }
    }

    #[test]
    fn passwords_are_kept_out_of_messages() {
        assert_eq!(
            redact_password("host=x password=hemmelig user=y"),
            "host=x password=… user=y"
        );
    }
}
