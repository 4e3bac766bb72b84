//! `POST /api/v1/publish` (sharing.md §5; docs/sharing-design.md §3 "Publish"): an
//! administrator moves a whole single-user database onto an **empty** server — every row of
//! every replicated table, as the desktop's SQLite holds it, and its audit history — in one
//! transaction. A file with one bad row is refused whole (400, the reason naming the table
//! and the row); a server that holds data already refuses (409); anyone but an
//! administrator is refused (403). Nothing is written before every row has passed.
//!
//! The rows are checked by the core's rules through push's per-row checks
//! (`push::check_row_with`: the one copy), plus what a whole file must hold together: no
//! key twice, every unit's parent and every row's unit and indicator present, the unit tree
//! without a loop (`rules::unit_tree`), built-in indicators as the server has them.
//!
//! Every row is stored at one new version (`malkart_version`), with every cell of it at
//! that version in `cell_versions` (as the schema's seeds are); the history is appended as
//! it was (its batches' own uid, time, user and source; `device` says it was published and
//! by whom), followed by one batch of the publisher's own: «publisert fra <device>».

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use deadpool_postgres::Object;
use malkart::model::Indicator;
use malkart::period::{Frequency, Month, Period};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use uuid::Uuid;

use crate::accounts::Role;
use crate::error::{Error, Result};
use crate::push::{self, Kind};
use crate::sessions::Caller;

/// The most a publish may send (design §3: `medium` is ~100 MB of JSON; `large` ~250 MB).
pub const MAX_BYTES: usize = 1024 * 1024 * 1024;

/// Rows per `INSERT … FROM jsonb_populate_recordset`.
const CHUNK: usize = 5_000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishRequest {
    #[serde(default)]
    pub device: String,
    /// Table name → rows, each with the SQLite column names.
    pub tables: BTreeMap<String, Vec<Map<String, Value>>>,
    #[serde(default)]
    pub audit: Vec<PublishedBatch>,
}

/// One write transaction of the local audit log.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedBatch {
    /// The batch's uid (core migration 0003); `null`: the server gives it one.
    #[serde(default)]
    pub uid: Option<Uuid>,
    /// RFC 3339.
    pub at: String,
    pub user: String,
    pub source: String,
    #[serde(default)]
    pub entries: Vec<PublishedEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedEntry {
    pub entity: String,
    #[serde(default)]
    pub key: Option<String>,
    #[serde(default)]
    pub indicator: Option<String>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub period: Option<String>,
    #[serde(default)]
    pub old: Option<String>,
    #[serde(default)]
    pub new: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct PublishAnswer {
    /// The file's rows now on the server (built-in indicators and perspectives included).
    pub rows: u64,
    /// The audit entries of the file's history appended (the publish's own not counted).
    pub audit_entries: u64,
}

/// What a column holds in the SQLite schema, as a publish row must give it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Col {
    /// Text, required.
    Text,
    /// Text or null.
    OptText,
    /// Text; missing or null is `''` (the table's default).
    TextOrEmpty,
    Real,
    OptReal,
    Whole,
    OptWhole,
    /// SQLite's boolean: 0 or 1 (or true/false); missing is 0.
    Flag,
    /// An RFC 3339 time (or `YYYY-MM-DD HH:MM:SS`), required.
    Time,
    OptTime,
    /// A UUID as text.
    Uid,
    /// A SQLite-only column the server does not have (`targets.id`, `comments.id`).
    Ignored,
}

/// One table of the SQLite schema: its name, push's kind (`None`: perspectives), columns.
struct Table {
    name: &'static str,
    kind: Option<Kind>,
    columns: &'static [(&'static str, Col)],
}

/// The replicated tables in the order they are stored (parents before what names them).
#[rustfmt::skip]
const TABLES: &[Table] = &[
    Table { name: "perspectives", kind: None, columns: &[
        ("key", Col::Text), ("name", Col::Text), ("sort", Col::Whole)] },
    Table { name: "units", kind: Some(Kind::Unit), columns: &[
        ("code", Col::Text), ("name", Col::Text), ("parent", Col::OptText),
        ("level", Col::OptText), ("sort", Col::Whole)] },
    Table { name: "indicators", kind: Some(Kind::Indicator), columns: &[
        ("code", Col::Text), ("name", Col::Text), ("perspective", Col::Text),
        ("goal", Col::OptText), ("description", Col::TextOrEmpty),
        ("source", Col::TextOrEmpty), ("responsible", Col::TextOrEmpty),
        ("unit_label", Col::TextOrEmpty), ("decimals", Col::Whole), ("direction", Col::Text),
        ("frequency", Col::Text), ("aggregation", Col::Text), ("unit_rollup", Col::Text),
        ("factor", Col::Real), ("builtin", Col::Flag)] },
    Table { name: "targets", kind: Some(Kind::Target), columns: &[
        ("id", Col::Ignored), ("indicator", Col::Text), ("unit", Col::OptText),
        ("year", Col::Whole), ("target", Col::Real), ("red_limit", Col::OptReal)] },
    Table { name: "measurements", kind: Some(Kind::Measurement), columns: &[
        ("indicator", Col::Text), ("span_first", Col::Whole), ("unit", Col::Text),
        ("span_last", Col::Whole), ("value", Col::OptReal), ("numerator", Col::OptReal),
        ("denominator", Col::OptReal)] },
    Table { name: "sick_leave", kind: Some(Kind::SickLeave), columns: &[
        ("unit", Col::Text), ("month", Col::Whole), ("contracted_days", Col::Real),
        ("self_certified", Col::Real), ("doctor_certified", Col::Real),
        ("employees", Col::OptWhole), ("days_1_3", Col::OptReal), ("days_4_16", Col::OptReal),
        ("days_17_56", Col::OptReal), ("days_over_56", Col::OptReal)] },
    Table { name: "economy", kind: Some(Kind::Economy), columns: &[
        ("unit", Col::Text), ("month", Col::Whole), ("budget", Col::OptWhole),
        ("actual", Col::OptWhole), ("forecast", Col::OptWhole)] },
    Table { name: "comments", kind: Some(Kind::Comment), columns: &[
        ("id", Col::Ignored), ("uid", Col::Uid), ("indicator", Col::Text), ("unit", Col::Text),
        ("period", Col::Text), ("author", Col::Text), ("text", Col::Text),
        ("created_at", Col::Time), ("updated_at", Col::OptTime)] },
    Table { name: "actions", kind: Some(Kind::Action), columns: &[
        ("code", Col::Text), ("title", Col::Text), ("description", Col::OptText),
        ("goal", Col::Text), ("success_factor", Col::OptText), ("unit", Col::Text),
        ("responsible", Col::Text), ("kind", Col::Text), ("decision_ref", Col::OptText),
        ("start", Col::OptText), ("deadline", Col::OptText), ("status", Col::Text),
        ("progress", Col::Whole), ("cost_ore", Col::OptWhole), ("indicators", Col::Text)] },
    Table { name: "action_comments", kind: Some(Kind::ActionComment), columns: &[
        ("id", Col::Ignored), ("uid", Col::Uid), ("action", Col::Text), ("period", Col::Text),
        ("author", Col::Text), ("text", Col::Text), ("created_at", Col::Time),
        ("updated_at", Col::OptTime)] },
    Table { name: "locked_months", kind: Some(Kind::Lock), columns: &[
        ("month", Col::Whole), ("locked_by", Col::Text), ("locked_at", Col::Time)] },
    Table { name: "settings", kind: Some(Kind::Setting), columns: &[
        ("key", Col::Text), ("value", Col::Text)] },
];

/// The perspectives as the schema seeds them (migration 0001): their names may be
/// published (the only editable field), their keys and order are fixed.
const PERSPECTIVES: [(&str, i64); 4] = [
    ("lokalsamfunn", 1),
    ("brukere", 2),
    ("organisasjon", 3),
    ("økonomi", 4),
];

/// Who publishes, from where, when.
pub struct Publisher<'a> {
    pub caller: &'a Caller,
    pub device: String,
    pub now: DateTime<Utc>,
}

/// Only an administrator publishes.
pub fn authorize(caller: &Caller) -> Result<()> {
    if caller.role == Role::Administrator {
        return Ok(());
    }
    Err(Error::Forbidden(format!(
        "Bare en administrator kan publisere en database til serveren; «{}» har rollen {}",
        caller.name,
        caller.role.as_str()
    )))
}

/// The request's JSON, or a 400 saying where it is wrong.
pub fn parse(body: &[u8]) -> Result<PublishRequest> {
    serde_json::from_slice(body).map_err(|e| {
        Error::Invalid(format!(
            "publiseringen er avvist, ingenting er lagret: forespørselen må være JSON med «device», «tables» og «audit» (linje {}, kolonne {}: {e})",
            e.line(),
            e.column()
        ))
    })
}

/// A refused file: the table and row in the message, nothing stored.
fn bad(table: &str, row: &str, why: impl std::fmt::Display) -> Error {
    let at = if row.is_empty() {
        table.to_string()
    } else {
        format!("{table} {row}")
    };
    Error::Invalid(format!(
        "publiseringen er avvist, ingenting er lagret: {at}: {why}"
    ))
}

/// Checks the whole file, then stores it in one transaction on an empty server.
pub async fn publish(
    client: &mut Object,
    publisher: &Publisher<'_>,
    request: PublishRequest,
) -> Result<PublishAnswer> {
    authorize(publisher.caller)?;
    for name in request.tables.keys() {
        if !TABLES.iter().any(|t| t.name == name) {
            return Err(Error::Invalid(format!(
                "publiseringen er avvist, ingenting er lagret: Målkart har ingen tabell «{name}»; tabellene er {}",
                TABLES.iter().map(|t| t.name).collect::<Vec<_>>().join(", ")
            )));
        }
    }
    let builtins = server_builtins(client).await?;
    let PublishRequest { tables, audit, .. } = request;
    let checked = check_file(tables, &builtins)?;
    let batches = check_audit(&audit)?;

    let tx = client.transaction().await?;
    // Writers wait (pulls do not): nothing can be pushed between the check that the server
    // is empty and the publish's commit; a second publish at once waits and then finds data.
    tx.batch_execute(
        "LOCK TABLE perspectives, units, indicators, targets, measurements, sick_leave,
             economy, comments, locked_months, settings, deletions, operations
         IN EXCLUSIVE MODE",
    )
    .await?;
    if let Some(what) = not_empty(&tx).await? {
        return Err(Error::NotEmpty(format!(
            "Serveren har allerede data ({what}); en database kan bare publiseres til en tom server. \
             Bruk en ny, tom database for serveren, eller synkroniser i stedet"
        )));
    }
    let version: i64 = tx
        .query_one("SELECT nextval('malkart_version')", &[])
        .await?
        .get(0);
    let mut rows = 0u64;
    for (table, list) in &checked {
        rows += store_table(&tx, table, list, version).await?;
    }
    rows += checked_builtins(&checked);
    let audit_entries = store_audit(&tx, publisher, &audit, &batches).await?;
    let device = if publisher.device.is_empty() {
        "ukjent maskin"
    } else {
        publisher.device.as_str()
    };
    crate::audit::record(
        &tx,
        &crate::audit::Actor {
            name: publisher.caller.name.clone(),
            user_id: Some(publisher.caller.user_id),
            device: device.to_string(),
        },
        "publisering",
        publisher.now,
        &[crate::audit::Entry {
            entity: "publisering",
            key: format!("publisert fra {device}"),
            old: None,
            new: Some(format!(
                "{rows} rader og {audit_entries} oppføringer i endringsloggen"
            )),
        }],
    )
    .await?;
    tx.commit().await?;
    tracing::info!(
        user = publisher.caller.name,
        device,
        rows,
        audit_entries,
        "database publisert"
    );
    Ok(PublishAnswer {
        rows,
        audit_entries,
    })
}

/// The built-in indicators of the file (not stored: the server has them, checked equal).
fn checked_builtins(checked: &[(&'static Table, Vec<Row>)]) -> u64 {
    checked
        .iter()
        .filter(|(t, _)| t.name == "indicators")
        .flat_map(|(_, rows)| rows)
        .filter(|r| r.get("builtin") == Some(&Value::Bool(true)))
        .count() as u64
}

fn flag(v: Option<&Value>) -> Option<bool> {
    match v {
        None | Some(Value::Null) => Some(false),
        Some(Value::Bool(b)) => Some(*b),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(0) => Some(false),
            Some(1) => Some(true),
            _ => None,
        },
        _ => None,
    }
}

/// What makes a server not empty, in words; `None` when it is empty. Empty means: no unit,
/// target, measurement, sick-leave or economy month, comment, lock; no indicator but the
/// built-in ones (push cannot change those); the settings and perspectives as the schema
/// seeded them; no tombstone, no applied operation, no earlier publish. Users and sessions
/// do not count: an administrator must exist to publish.
async fn not_empty(tx: &tokio_postgres::Transaction<'_>) -> Result<Option<String>> {
    let row = tx
        .query_one(
            "SELECT (SELECT count(*) FROM units), (SELECT count(*) FROM targets),
                    (SELECT count(*) FROM measurements), (SELECT count(*) FROM sick_leave),
                    (SELECT count(*) FROM economy), (SELECT count(*) FROM comments),
                    (SELECT count(*) FROM locked_months),
                    (SELECT count(*) FROM indicators WHERE NOT builtin),
                    (SELECT count(*) FROM settings WHERE key <> 'min_employees' OR value <> '5'),
                    (SELECT count(*) FROM perspectives p WHERE (p.key, p.name) NOT IN (
                        ('lokalsamfunn', 'Lokalsamfunn'), ('brukere', 'Innbyggere og brukere'),
                        ('organisasjon', 'Organisasjon og medarbeidere'), ('økonomi', 'Økonomi'))),
                    (SELECT count(*) FROM deletions),
                    (SELECT count(*) FROM operations WHERE status = 'applied'),
                    (SELECT count(*) FROM audit_batches WHERE source = 'publisering')",
            &[],
        )
        .await?;
    let words = [
        ("enhet", "enheter"),
        ("mål", "mål"),
        ("måling", "målinger"),
        ("sykefraværsmåned", "sykefraværsmåneder"),
        ("økonomimåned", "økonomimåneder"),
        ("kommentar", "kommentarer"),
        ("låst måned", "låste måneder"),
        ("egen indikator", "egne indikatorer"),
        ("endret innstilling", "endrede innstillinger"),
        ("endret perspektiv", "endrede perspektiver"),
        ("slettet rad", "slettede rader"),
        (
            "endring sendt fra skrivebordet",
            "endringer sendt fra skrivebordet",
        ),
        ("tidligere publisering", "tidligere publiseringer"),
    ];
    let found: Vec<String> = words
        .iter()
        .enumerate()
        .filter_map(|(i, (one, many))| {
            let n: i64 = row.get(i);
            (n > 0).then(|| format!("{n} {}", if n == 1 { one } else { many }))
        })
        .collect();
    Ok((!found.is_empty()).then(|| found.join(", ")))
}

/// The built-in indicators as the server holds them.
async fn server_builtins(client: &Object) -> Result<HashMap<String, Indicator>> {
    let rows = client
        .query(
            "SELECT code, to_jsonb(i) FROM indicators i WHERE builtin ORDER BY code",
            &[],
        )
        .await?;
    let mut out = HashMap::new();
    for r in rows {
        let code: String = r.get(0);
        if let Value::Object(map) = r.get::<_, Value>(1) {
            let def = push::indicator_of(&code, &map)
                .map_err(|m| Error::Internal(format!("en innebygd indikator på serveren: {m}")))?;
            out.insert(code, def);
        }
    }
    Ok(out)
}

/// A row of the file as the server stores it (server columns only, types as the server's).
type Row = Map<String, Value>;

/// Every table's rows checked and converted, in `TABLES` order; or the first problem.
fn check_file(
    mut tables: BTreeMap<String, Vec<Map<String, Value>>>,
    builtins: &HashMap<String, Indicator>,
) -> Result<Vec<(&'static Table, Vec<Row>)>> {
    let mut out: Vec<(&'static Table, Vec<Row>)> = Vec::new();
    // Every table's columns and types first, so the rules below read typed rows. Each row
    // as sent is dropped once typed: the request is not held twice.
    for table in TABLES {
        let rows = tables.remove(table.name).unwrap_or_default();
        let mut list = Vec::with_capacity(rows.len());
        for (n, row) in rows.into_iter().enumerate() {
            list.push(typed_row(table, n, &row)?);
        }
        out.push((table, list));
    }
    let units: HashMap<&str, Option<&str>> = out
        .iter()
        .find(|(t, _)| t.name == "units")
        .map(|(_, rows)| {
            rows.iter()
                .map(|r| (text(r, "code"), r.get("parent").and_then(Value::as_str)))
                .collect()
        })
        .unwrap_or_default();
    // The file's indicators (its own) and the server's built-in ones.
    let mut indicators: HashMap<String, Indicator> = builtins.clone();
    for (table, rows) in &out {
        let Some(kind) = table.kind else {
            check_perspectives(rows)?;
            continue;
        };
        let mut seen = HashSet::new();
        for row in rows {
            let key = push::key_of(
                kind,
                &key_object(kind, row).map_err(|m| bad(table.name, &row_words(row), m))?,
            )
            .map_err(|m| bad(table.name, &row_words(row), m))?;
            let at = format!("«{}»", key.text);
            if !seen.insert(Value::Array(key.pk.clone()).to_string()) {
                return Err(bad(table.name, &at, "raden står to ganger i filen"));
            }
            if push::all_empty(kind, row) && kind != Kind::Lock {
                return Err(bad(table.name, &at, "raden har ingen verdier"));
            }
            // Every unit a row names is in the file.
            let unit = match kind {
                Kind::Unit => row.get("parent").and_then(Value::as_str),
                // A status comment's tiltak is in the file (its foreign key says so).
                Kind::Indicator | Kind::Setting | Kind::Lock | Kind::ActionComment => None,
                _ => key.unit(),
            };
            if let Some(unit) = unit {
                if !units.contains_key(unit) {
                    return Err(bad(
                        table.name,
                        &at,
                        format!("enheten «{unit}» finnes ikke i filens enheter"),
                    ));
                }
            }
            let def = match kind {
                Kind::Indicator => builtins.get(&key.text),
                _ => key.indicator.as_ref().and_then(|c| indicators.get(c)),
            };
            if matches!(kind, Kind::Comment) {
                if let Some(code) = &key.indicator {
                    if def.is_none() {
                        return Err(bad(
                            table.name,
                            &at,
                            malkart::Error::UnknownIndicator(code.clone()),
                        ));
                    }
                }
            }
            push::check_row_with(&key, row, def).map_err(|m| bad(table.name, &at, m))?;
            if kind == Kind::Indicator {
                let new =
                    push::indicator_of(&key.text, row).map_err(|m| bad(table.name, &at, m))?;
                indicators.insert(key.text.clone(), new);
            }
        }
    }
    // The tree as a whole: no unit under itself (every parent exists: checked above).
    malkart::rules::unit_tree(&units).map_err(|e| bad("units", "", e))?;
    Ok(out)
}

fn text<'a>(row: &'a Row, column: &str) -> &'a str {
    row.get(column).and_then(Value::as_str).unwrap_or_default()
}

/// A row in a message before its key is known: its first few columns.
fn row_words(row: &Row) -> String {
    let words: Vec<String> = row
        .iter()
        .take(3)
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    format!("«{}»", words.join(", "))
}

/// The perspectives: only the four fixed keys, in their order, with a name.
fn check_perspectives(rows: &[Row]) -> Result<()> {
    let mut seen = HashSet::new();
    for row in rows {
        let key = text(row, "key");
        let at = format!("«{key}»");
        let Some((_, sort)) = PERSPECTIVES.iter().find(|(k, _)| *k == key) else {
            return Err(bad(
                "perspectives",
                &at,
                "Målkart har bare perspektivene lokalsamfunn, brukere, organisasjon og økonomi",
            ));
        };
        if !seen.insert(key) {
            return Err(bad("perspectives", &at, "raden står to ganger i filen"));
        }
        if row.get("sort").and_then(Value::as_i64) != Some(*sort) {
            return Err(bad(
                "perspectives",
                &at,
                format!("sort må være {sort}: rekkefølgen er fast"),
            ));
        }
        if text(row, "name").trim().is_empty() {
            return Err(bad("perspectives", &at, "navnet er tomt"));
        }
    }
    Ok(())
}

/// The key object push takes for a row (§6), built from the row's own columns.
fn key_object(kind: Kind, row: &Row) -> std::result::Result<Value, String> {
    let month = |column: &str| -> std::result::Result<String, String> {
        let index = row.get(column).and_then(Value::as_i64).unwrap_or_default();
        let index = i32::try_from(index).map_err(|_| format!("{column} {index} er ingen måned"))?;
        Ok(Month::from_index(index).id())
    };
    Ok(match kind {
        Kind::Measurement => {
            let first = row
                .get("span_first")
                .and_then(Value::as_i64)
                .unwrap_or_default();
            let last = row
                .get("span_last")
                .and_then(Value::as_i64)
                .unwrap_or_default();
            json!({ "indicator": row.get("indicator"), "unit": row.get("unit"),
                    "period": span(first, last)? })
        }
        Kind::SickLeave | Kind::Economy => {
            json!({ "unit": row.get("unit"), "month": month("month")? })
        }
        Kind::Lock => json!({ "month": month("month")? }),
        Kind::Target => json!({ "indicator": row.get("indicator"), "unit": row.get("unit"),
                                "year": row.get("year") }),
        Kind::Unit | Kind::Indicator => json!({ "code": row.get("code") }),
        Kind::Setting => json!({ "key": row.get("key") }),
        Kind::Comment => json!({ "uid": row.get("uid"), "indicator": row.get("indicator"),
                                 "unit": row.get("unit"), "period": row.get("period") }),
        Kind::Action => json!({ "code": row.get("code"), "unit": row.get("unit") }),
        Kind::ActionComment => json!({ "uid": row.get("uid"), "action": row.get("action"),
                                       "period": row.get("period") }),
    })
}

/// A stored (first, last) month pair as the period id of its span (`2026-K1`): spans are
/// aligned to the year, so the length tells the frequency.
fn span(first: i64, last: i64) -> std::result::Result<String, String> {
    let wrong =
        || format!("span_first {first} og span_last {last} er ingen periode en indikator kan ha");
    let frequency = match last - first + 1 {
        1 => Frequency::Maned,
        3 => Frequency::Kvartal,
        4 => Frequency::Tertial,
        6 => Frequency::Halvar,
        12 => Frequency::Ar,
        _ => return Err(wrong()),
    };
    let first_month = Month::from_index(i32::try_from(first).map_err(|_| wrong())?);
    let period = Period::span_of(frequency, first_month);
    if period.first() != first_month {
        return Err(wrong());
    }
    Ok(period.to_string())
}

/// A file row with every column known and of its type, as the server stores it.
fn typed_row(table: &Table, n: usize, row: &Map<String, Value>) -> Result<Row> {
    let at = format!("rad {}", n + 1);
    for column in row.keys() {
        if !table.columns.iter().any(|(c, _)| c == column) {
            return Err(bad(
                table.name,
                &at,
                format!(
                    "tabellen har ingen kolonne «{column}»; kolonnene er {}",
                    table
                        .columns
                        .iter()
                        .map(|(c, _)| *c)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    let mut out = Map::new();
    for (column, col) in table.columns {
        let v = row.get(*column).unwrap_or(&Value::Null);
        let wrong = |wanted: &str| {
            bad(
                table.name,
                &at,
                format!("kolonnen «{column}» må være {wanted}, ikke {v}"),
            )
        };
        let value = match (col, v) {
            (Col::Ignored, _) => continue,
            (Col::Text | Col::Time | Col::Uid | Col::Real | Col::Whole, Value::Null) => {
                return Err(bad(table.name, &at, format!("kolonnen «{column}» mangler")));
            }
            (Col::TextOrEmpty, Value::Null) => json!(""),
            (Col::Flag, _) => json!(flag(Some(v)).ok_or_else(|| wrong("0 eller 1"))?),
            (_, Value::Null) => Value::Null,
            (Col::Text | Col::OptText | Col::TextOrEmpty, Value::String(_)) => v.clone(),
            (Col::Time | Col::OptTime, Value::String(s)) => {
                json!(time(s)
                    .ok_or_else(|| wrong("et tidspunkt (RFC 3339)"))?
                    .to_rfc3339())
            }
            (Col::Uid, Value::String(s)) => {
                json!(Uuid::parse_str(s)
                    .map_err(|_| wrong("en UUID"))?
                    .to_string())
            }
            (Col::Real | Col::OptReal, Value::Number(x))
                if x.as_f64().is_some_and(f64::is_finite) =>
            {
                v.clone()
            }
            (Col::Whole | Col::OptWhole, Value::Number(x)) if x.as_i64().is_some() => v.clone(),
            (Col::Real | Col::OptReal, _) => return Err(wrong("et tall")),
            (Col::Whole | Col::OptWhole, _) => return Err(wrong("et helt tall")),
            (Col::Time | Col::OptTime, _) => return Err(wrong("et tidspunkt (RFC 3339)")),
            (Col::Uid, _) => return Err(wrong("en UUID")),
            (Col::Text | Col::OptText | Col::TextOrEmpty, _) => return Err(wrong("tekst")),
        };
        out.insert((*column).to_string(), value);
    }
    Ok(out)
}

/// A time as the core writes it (RFC 3339), or SQLite's `YYYY-MM-DD HH:MM:SS` (UTC).
fn time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
                .ok()
                .map(|t| t.and_utc())
        })
}

/// The history: times readable, each batch uid once.
fn check_audit(batches: &[PublishedBatch]) -> Result<Vec<(Uuid, DateTime<Utc>)>> {
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(batches.len());
    for (n, b) in batches.iter().enumerate() {
        let at = format!("batch {}", n + 1);
        let when = time(&b.at).ok_or_else(|| {
            bad(
                "audit",
                &at,
                format!("«{}» er ikke et tidspunkt (RFC 3339)", b.at),
            )
        })?;
        let uid = b.uid.unwrap_or_else(Uuid::now_v7);
        if !seen.insert(uid) {
            return Err(bad(
                "audit",
                &at,
                format!("batch-id-en {uid} står to ganger"),
            ));
        }
        out.push((uid, when));
    }
    Ok(out)
}

/// Inserts (or for perspectives and settings, updates) one table's rows at `version`.
async fn store_table(
    tx: &tokio_postgres::Transaction<'_>,
    table: &Table,
    rows: &[Row],
    version: i64,
) -> Result<u64> {
    let cells: Vec<&str> = match table.kind {
        None => vec!["name"],
        Some(kind) => kind.cells().iter().map(|(f, _, _)| *f).collect(),
    };
    let versions = Value::Object(
        cells
            .iter()
            .map(|c| ((*c).to_string(), json!(version)))
            .collect(),
    );
    let mut stored = 0u64;
    let with_version = |row: &Row| {
        let mut row = row.clone();
        row.insert("version".into(), json!(version));
        row.insert("cell_versions".into(), versions.clone());
        Value::Object(row)
    };
    match table.name {
        "perspectives" | "settings" => {
            let (key, value) = if table.name == "perspectives" {
                ("key", "name")
            } else {
                ("key", "value")
            };
            let sql = format!(
                "INSERT INTO {t} ({key}, {value}, version, cell_versions{sort})
                 SELECT r.{key}, r.{value}, r.version, r.cell_versions{rsort}
                 FROM jsonb_populate_record(NULL::{t}, $1) r
                 ON CONFLICT ({key}) DO UPDATE SET {value} = EXCLUDED.{value},
                     version = EXCLUDED.version, cell_versions = EXCLUDED.cell_versions",
                t = table.name,
                sort = if table.name == "perspectives" {
                    ", sort"
                } else {
                    ""
                },
                rsort = if table.name == "perspectives" {
                    ", r.sort"
                } else {
                    ""
                },
            );
            let statement = tx.prepare(&sql).await?;
            for row in rows {
                tx.execute(&statement, &[&with_version(row)]).await?;
                stored += 1;
            }
        }
        name => {
            let columns: Vec<&str> = table
                .columns
                .iter()
                .filter(|(_, c)| *c != Col::Ignored)
                .map(|(c, _)| *c)
                .chain(["version", "cell_versions"])
                .collect();
            let list = columns.join(", ");
            let sql = format!(
                "INSERT INTO {name} ({list}) SELECT {list} FROM jsonb_populate_recordset(NULL::{name}, $1)"
            );
            let statement = tx.prepare(&sql).await?;
            // The built-in indicators are the server's already (checked equal).
            let own: Vec<&Row> = rows
                .iter()
                .filter(|r| name != "indicators" || r.get("builtin") != Some(&Value::Bool(true)))
                .collect();
            for chunk in own.chunks(CHUNK) {
                let array = Value::Array(chunk.iter().map(|r| with_version(r)).collect());
                stored += tx.execute(&statement, &[&array]).await?;
            }
        }
    }
    Ok(stored)
}

/// Appends the file's history: each batch with its own uid, time, user and source, and in
/// `device` that it was published and by whom; each entry as it was (a key the core left
/// empty, `indicator / unit / period`, is written out as the core reads it).
async fn store_audit(
    tx: &tokio_postgres::Transaction<'_>,
    publisher: &Publisher<'_>,
    batches: &[PublishedBatch],
    checked: &[(Uuid, DateTime<Utc>)],
) -> Result<u64> {
    let device = format!(
        "publisert fra {} av {}",
        if publisher.device.is_empty() {
            "ukjent maskin"
        } else {
            publisher.device.as_str()
        },
        publisher.caller.name
    );
    let insert_batches = tx
        .prepare(
            "INSERT INTO audit_batches (uid, at, user_name, device, source)
             SELECT u.uid, u.at, u.user_name, $4, u.source
             FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $5::text[]) WITH ORDINALITY
                  AS u (uid, at, user_name, source, n)
             ORDER BY u.n
             RETURNING uid, id",
        )
        .await?;
    let mut ids: HashMap<Uuid, i64> = HashMap::with_capacity(batches.len());
    let pairs: Vec<(&PublishedBatch, &(Uuid, DateTime<Utc>))> =
        batches.iter().zip(checked).collect();
    for chunk in pairs.chunks(CHUNK) {
        let uids: Vec<Uuid> = chunk.iter().map(|(_, (u, _))| *u).collect();
        let ats: Vec<DateTime<Utc>> = chunk.iter().map(|(_, (_, t))| *t).collect();
        let users: Vec<&str> = chunk.iter().map(|(b, _)| b.user.as_str()).collect();
        let sources: Vec<&str> = chunk.iter().map(|(b, _)| b.source.as_str()).collect();
        for r in tx
            .query(&insert_batches, &[&uids, &ats, &users, &device, &sources])
            .await?
        {
            ids.insert(r.get(0), r.get(1));
        }
    }
    let insert_entries = tx
        .prepare(
            "INSERT INTO audit (batch, entity, key, indicator, unit, period, old, new, reason)
             SELECT u.batch, u.entity, u.key, u.indicator, u.unit, u.period, u.old, u.new,
                    u.reason
             FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[],
                         $6::text[], $7::text[], $8::text[], $9::text[]) WITH ORDINALITY
                  AS u (batch, entity, key, indicator, unit, period, old, new, reason, n)
             ORDER BY u.n",
        )
        .await?;
    let entries: Vec<(i64, &PublishedEntry)> = pairs
        .iter()
        .flat_map(|(b, (uid, _))| {
            let id = ids.get(uid).copied().unwrap_or_default();
            b.entries.iter().map(move |e| (id, e))
        })
        .collect();
    let mut stored = 0u64;
    for chunk in entries.chunks(CHUNK) {
        let col = |f: fn(&PublishedEntry) -> Option<String>| -> Vec<Option<String>> {
            chunk.iter().map(|(_, e)| f(e)).collect()
        };
        let batch_ids: Vec<i64> = chunk.iter().map(|(id, _)| *id).collect();
        let entities: Vec<&str> = chunk.iter().map(|(_, e)| e.entity.as_str()).collect();
        let keys = col(|e| {
            e.key
                .clone()
                .or_else(|| match (&e.indicator, &e.unit, &e.period) {
                    (Some(i), Some(u), Some(p)) => Some(format!("{i} / {u} / {p}")),
                    _ => None,
                })
        });
        stored += tx
            .execute(
                &insert_entries,
                &[
                    &batch_ids,
                    &entities,
                    &keys,
                    &col(|e| e.indicator.clone()),
                    &col(|e| e.unit.clone()),
                    &col(|e| e.period.clone()),
                    &col(|e| e.old.clone()),
                    &col(|e| e.new.clone()),
                    &col(|e| e.reason.clone()),
                ],
            )
            .await?;
    }
    Ok(stored)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_span_is_the_period_of_its_length_or_refused() {
        // January 2026 = 2026 × 12 + 0 = 24312; March 24314; a quarter is 3 months.
        assert_eq!(span(24312, 24312).unwrap(), "2026-01");
        assert_eq!(span(24312, 24314).unwrap(), "2026-K1");
        assert_eq!(span(24312, 24323).unwrap(), "2026");
        // February–April: three months, but no quarter begins in February.
        assert!(span(24313, 24315).unwrap_err().contains("ingen periode"));
        assert!(span(24312, 24313).is_err(), "two months is no frequency");
    }

    #[test]
    fn a_row_must_have_every_column_of_its_type_and_no_other() {
        let units = TABLES.iter().find(|t| t.name == "units").unwrap();
        let row = |v: Value| v.as_object().unwrap().clone();
        let fine = typed_row(
            units,
            0,
            &row(json!({ "code": "1000", "name": "Kommunen", "parent": null, "sort": 1 })),
        )
        .unwrap();
        assert_eq!(fine.get("level"), Some(&Value::Null));
        let err = |v: Value| typed_row(units, 4, &row(v)).unwrap_err().to_string();
        assert_eq!(
            err(json!({ "code": "1000", "sort": 1 })),
            "publiseringen er avvist, ingenting er lagret: units rad 5: kolonnen «name» mangler"
        );
        assert!(err(json!({ "code": "1000", "name": "K", "sort": 1.5 }))
            .ends_with("kolonnen «sort» må være et helt tall, ikke 1.5"));
        let indicators = TABLES.iter().find(|t| t.name == "indicators").unwrap();
        let ind = json!({ "code": "X", "name": "X", "perspective": "brukere", "decimals": 1,
                          "direction": "høy", "frequency": "måned", "aggregation": "sum",
                          "unit_rollup": "sum", "factor": 1, "builtin": 1 });
        let typed = typed_row(indicators, 0, &row(ind.clone())).unwrap();
        assert_eq!(typed.get("builtin"), Some(&Value::Bool(true)));
        assert_eq!(typed.get("description"), Some(&json!("")));
        let mut two = ind;
        two["builtin"] = json!(2);
        assert!(typed_row(indicators, 0, &row(two))
            .unwrap_err()
            .to_string()
            .ends_with("kolonnen «builtin» må være 0 eller 1, ikke 2"));
    }
}
