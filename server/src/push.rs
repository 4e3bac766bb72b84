//! `POST /api/v1/push`: operations from a desktop's outbox (sharing.md §4;
//! docs/sharing-design.md §3 "Push, precisely"). Each operation changes one cell — a
//! measurement's `value`/`numerator`/`denominator`, one figure of a sick-leave or economy
//! month, a comment's `text`, a target's `target`/`red_limit`, a lock, a unit's or an
//! indicator's definition field, a setting — from the base version and value it was edited
//! from.
//!
//! A request's operations are taken batch by batch (one outbox transaction: a grid save,
//! an import), each batch in one PostgreSQL transaction, in the order sent. The operations
//! of a batch that touch one row form a *row group*, decided whole before it writes
//! anything (so a refused group needs no savepoint to undo):
//!
//! 1. every row's advisory lock, for the whole batch up front, in one order (two batches
//!    cannot deadlock);
//! 2. every operation's row inserted into `operations` (`ON CONFLICT (op_id) DO NOTHING`,
//!    one statement for the batch): an id already there is a resend, answered with its
//!    stored result and not applied again — also when the first send is still running
//!    (the insert waits for it);
//! 3. the caller's rights (`Rights::may_write`) → `ingen tilgang` with the reason;
//! 4. a locked month → `låst` with the core's message;
//! 5. per cell, the server's version must equal the base (a cell never written matches a
//!    `null` base) → else `conflict` with theirs: value, version, who and when (from the
//!    operation that wrote that version);
//! 6. the row with the non-conflicting cells applied is checked by the core's rules (the one
//!    copy: `malkart::rules`, `engine::sickleave::check`) → else `ugyldig` with the core's
//!    message (or `conflict`, when cells of the group conflicted and the rest alone break a
//!    rule);
//! 7. applied: one new version (`malkart_version`) for the row and each changed cell, a
//!    tombstone when every cell of the row became empty, one audit entry per cell with its
//!    operation id, in one audit batch per push batch (its `uid` = the batch id).
//!
//! 8. at the end of the batch: the unit tree (every parent exists, no loop) if a unit was
//!    written — else the batch is rolled back and every operation answered `ugyldig`;
//!    then the answers and the audit entries, one statement each.
//!
//! Every refusal changes nothing but the operation's own row (its stored answer).

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use deadpool_postgres::Object;
use deadpool_postgres::Transaction;
use malkart::engine::sickleave::{self, check as sick_check};
use malkart::model::{Figure, LengthSplit, Measurement, SickLeave};
use malkart::period::{Frequency, Month, Period, PeriodKind};
use malkart::rules::{self, Measured};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::access::{Rights, Write};
use crate::error::{Error, Result};
use crate::push_rows::{self, Deferred, Prefetched};
use crate::sessions::Caller;

/// The most operations one request may carry (an import of a year of economy for 800
/// units is 28 800 cells; the desktop sends a longer outbox in several requests).
pub const MAX_OPERATIONS: usize = 50_000;

#[derive(Deserialize)]
pub struct PushRequest {
    #[serde(default)]
    pub device: String,
    pub operations: Vec<Operation>,
}

/// One changed cell from the outbox.
#[derive(Clone, Debug, Deserialize)]
pub struct Operation {
    pub op_id: Uuid,
    /// The local write transaction it came from (a grid save, an import).
    pub batch: Uuid,
    /// The table, as pull names it: `measurements`, `sick_leave`, `economy`, `comments`.
    pub entity: String,
    /// The row: `{indicator, unit, period}`, `{unit, month}`, `{uid}` (+ `indicator`,
    /// `unit`, `period` for a new comment). Periods and months are the core's ids
    /// (`2026-03`, `2026-K1`).
    pub key: Value,
    pub field: String,
    /// The cell's version the edit was made from; `null`: the cell was empty (never
    /// written, or its row removed).
    pub base_version: Option<i64>,
    #[serde(default)]
    pub base_value: Value,
    /// The new value; `null` empties the cell.
    #[serde(default)]
    pub new_value: Value,
    /// A conflict's resolution (part 2: «Behold min», «Bruk deres») names the operation
    /// whose conflict it resolves; the audit entry records it (`audit.resolves`).
    #[serde(default)]
    pub resolves: Option<Uuid>,
}

#[derive(Serialize)]
pub struct PushAnswer {
    pub results: Vec<Value>,
}

/// The kinds of a table push writes, with what `Rights::may_write` calls them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Measurement,
    SickLeave,
    Economy,
    Comment,
    Target,
    Lock,
    Unit,
    Indicator,
    Setting,
    /// A tiltak (keyed by code, read and written by its unit).
    Action,
    /// A tiltak's status comment (keyed by uid, read and written by its tiltak's unit).
    ActionComment,
}

/// A number cell (`f64`), a whole number (`i64`), or text.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum CellType {
    Real,
    Whole,
    Text,
    /// A lock: `true` locked (the row exists), `false` or `null` open (no row).
    Flag,
}

impl Kind {
    pub(crate) fn parse(entity: &str) -> Option<Kind> {
        Some(match entity {
            "measurements" => Kind::Measurement,
            "sick_leave" => Kind::SickLeave,
            "economy" => Kind::Economy,
            "comments" => Kind::Comment,
            "targets" => Kind::Target,
            "locked_months" => Kind::Lock,
            "units" => Kind::Unit,
            "indicators" => Kind::Indicator,
            "settings" => Kind::Setting,
            "actions" => Kind::Action,
            "action_comments" => Kind::ActionComment,
            _ => return None,
        })
    }

    pub(crate) fn table(self) -> &'static str {
        match self {
            Kind::Measurement => "measurements",
            Kind::SickLeave => "sick_leave",
            Kind::Economy => "economy",
            Kind::Comment => "comments",
            Kind::Target => "targets",
            Kind::Lock => "locked_months",
            Kind::Unit => "units",
            Kind::Indicator => "indicators",
            Kind::Setting => "settings",
            Kind::Action => "actions",
            Kind::ActionComment => "action_comments",
        }
    }

    fn write(self) -> Write {
        match self {
            Kind::Measurement => Write::Measurement,
            Kind::SickLeave => Write::SickLeave,
            Kind::Economy => Write::Economy,
            Kind::Comment => Write::Comment,
            Kind::Target => Write::Target,
            Kind::Lock => Write::Lock,
            Kind::Unit | Kind::Indicator => Write::Definition,
            Kind::Setting => Write::Setting,
            Kind::Action => Write::Action,
            Kind::ActionComment => Write::Comment,
        }
    }

    /// The core's name in the audit log.
    pub(crate) fn audit_entity(self) -> &'static str {
        match self {
            Kind::Measurement => "måling",
            Kind::SickLeave => "sykefravær",
            Kind::Economy => "økonomi",
            Kind::Comment => "kommentar",
            Kind::Target => "mål",
            Kind::Lock => "lås",
            Kind::Unit => "enhet",
            Kind::Indicator => "indikator",
            Kind::Setting => "innstilling",
            Kind::Action => "tiltak",
            Kind::ActionComment => "tiltakskommentar",
        }
    }

    /// The cells of a row, with their type and the name the core's messages use.
    pub(crate) fn cells(self) -> &'static [(&'static str, CellType, &'static str)] {
        match self {
            Kind::Measurement => &[
                ("value", CellType::Real, "verdi"),
                ("numerator", CellType::Real, "teller"),
                ("denominator", CellType::Real, "nevner"),
            ],
            Kind::SickLeave => &[
                ("contracted_days", CellType::Real, "avtalte_dagsverk"),
                ("self_certified", CellType::Real, "egenmeldt"),
                ("doctor_certified", CellType::Real, "legemeldt"),
                ("employees", CellType::Whole, "ansatte"),
                ("days_1_3", CellType::Real, "dager_1_3"),
                ("days_4_16", CellType::Real, "dager_4_16"),
                ("days_17_56", CellType::Real, "dager_17_56"),
                ("days_over_56", CellType::Real, "dager_over_56"),
            ],
            Kind::Economy => &[
                ("budget", CellType::Whole, "budsjett"),
                ("actual", CellType::Whole, "regnskap"),
                ("forecast", CellType::Whole, "prognose"),
            ],
            Kind::Comment => &[("text", CellType::Text, "tekst")],
            Kind::Target => &[
                ("target", CellType::Real, "mål"),
                ("red_limit", CellType::Real, "rødgrense"),
            ],
            Kind::Lock => &[("locked", CellType::Flag, "låst")],
            Kind::Unit => &[
                ("name", CellType::Text, "navn"),
                ("parent", CellType::Text, "overordnet"),
                ("level", CellType::Text, "nivå"),
            ],
            Kind::Indicator => &[
                ("name", CellType::Text, "navn"),
                ("perspective", CellType::Text, "perspektiv"),
                ("goal", CellType::Text, "fokusområde"),
                ("description", CellType::Text, "beskrivelse"),
                ("source", CellType::Text, "kilde"),
                ("responsible", CellType::Text, "ansvarlig"),
                ("unit_label", CellType::Text, "enhet"),
                ("decimals", CellType::Whole, "desimaler"),
                ("direction", CellType::Text, "retning"),
                ("frequency", CellType::Text, "frekvens"),
                ("aggregation", CellType::Text, "aggregering"),
                ("unit_rollup", CellType::Text, "sammenstilling"),
                ("factor", CellType::Real, "faktor"),
            ],
            Kind::Setting => &[("value", CellType::Text, "verdi")],
            Kind::Action => &[
                ("title", CellType::Text, "tittel"),
                ("description", CellType::Text, "beskrivelse"),
                ("goal", CellType::Text, "mål"),
                ("success_factor", CellType::Text, "suksessfaktor"),
                ("unit", CellType::Text, "enhet"),
                ("responsible", CellType::Text, "ansvarlig"),
                ("kind", CellType::Text, "type"),
                ("decision_ref", CellType::Text, "vedtak"),
                ("start", CellType::Text, "start"),
                ("deadline", CellType::Text, "frist"),
                ("status", CellType::Text, "status"),
                ("progress", CellType::Whole, "fremdrift"),
                ("cost_ore", CellType::Whole, "kostnad"),
                ("indicators", CellType::Text, "indikatorer"),
            ],
            Kind::ActionComment => &[("text", CellType::Text, "tekst")],
        }
    }

    /// The primary key's columns.
    pub(crate) fn key_columns(self) -> &'static [&'static str] {
        match self {
            Kind::Measurement => &["indicator", "span_first", "unit"],
            Kind::SickLeave | Kind::Economy => &["month", "unit"],
            Kind::Comment => &["uid"],
            Kind::Target => &["indicator", "unit", "year"],
            Kind::Lock => &["month"],
            Kind::Unit | Kind::Indicator => &["code"],
            Kind::Setting => &["key"],
            Kind::Action => &["code"],
            Kind::ActionComment => &["uid"],
        }
    }
}

/// A row's identity, read from an operation's key.
#[derive(Clone, Debug)]
pub(crate) struct RowKey {
    pub(crate) kind: Kind,
    /// The primary key's values as JSON (`key_columns` order).
    pub(crate) pk: Vec<Value>,
    /// The unit the row belongs to (for a comment: as the key names it; the stored one
    /// counts when the comment exists).
    pub(crate) unit: String,
    pub(crate) indicator: Option<String>,
    /// Measurements: the span; sick leave and economy: the month; a comment or a status
    /// comment: its period.
    pub(crate) period: Option<Period>,
    /// A status comment's tiltak (its code).
    pub(crate) action: Option<String>,
    /// For the audit log and messages: `SF / 3100 / 2026-03`.
    pub(crate) text: String,
}

impl RowKey {
    /// The advisory lock of the row: the first 8 bytes of SHA-256 of table and key.
    fn lock_id(&self) -> i64 {
        let mut hash = Sha256::new();
        hash.update(self.kind.table().as_bytes());
        for v in &self.pk {
            hash.update(b"\0");
            hash.update(v.to_string().as_bytes());
        }
        let digest = hash.finalize();
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(&digest[..8]);
        i64::from_le_bytes(bytes)
    }

    /// What a tombstone names: the primary key and the unit (pull filters on it).
    fn tombstone(&self) -> Value {
        let mut key = Map::new();
        for (col, v) in self.kind.key_columns().iter().zip(&self.pk) {
            key.insert((*col).to_string(), v.clone());
        }
        key.insert("unit".into(), json!(self.unit()));
        Value::Object(key)
    }

    /// The unit the rights are asked about: none for a default target («alle enheter») or
    /// a lock; every other row has one (an empty one is refused as unknown).
    pub(crate) fn unit(&self) -> Option<&str> {
        match self.kind {
            Kind::Target | Kind::Lock | Kind::Indicator | Kind::Setting if self.unit.is_empty() => {
                None
            }
            _ => Some(&self.unit),
        }
    }

    fn months(&self) -> Option<(i32, i32)> {
        // A lock is not refused by a lock; a target is for a year, not its months; a
        // comment may be written in a locked month (as in the core); a tiltak is no figure.
        if matches!(
            self.kind,
            Kind::Lock | Kind::Target | Kind::Comment | Kind::Action
        ) {
            return None;
        }
        // A status comment: its period is closed when its last month is (as in the core).
        if self.kind == Kind::ActionComment {
            return self.period.map(|p| (p.last().index(), p.last().index()));
        }
        self.period.map(|p| (p.first().index(), p.last().index()))
    }
}

fn text_of(key: &Value, name: &str) -> std::result::Result<String, String> {
    key.get(name)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| format!("nøkkelen mangler «{name}» (tekst)"))
}

fn month_of(text: &str) -> std::result::Result<Month, String> {
    match Period::parse(text) {
        Ok(p) if p.kind() == PeriodKind::Month => Ok(p.first()),
        _ => Err(format!(
            "«{text}» er ikke en måned; skriv måneden som ÅÅÅÅ-MM, for eksempel 2026-03"
        )),
    }
}

/// The row an operation names, or why its key is not one.
fn row_key(op: &Operation) -> std::result::Result<RowKey, String> {
    let kind = Kind::parse(&op.entity).ok_or_else(|| {
        format!(
            "«{}» kan ikke sendes til serveren; kjente er measurements, sick_leave, economy, comments, targets, locked_months, units, indicators, settings, actions og action_comments",
            op.entity
        )
    })?;
    if !kind.cells().iter().any(|(f, _, _)| *f == op.field) {
        return Err(format!(
            "«{}» er ikke en celle i {}; cellene er {}",
            op.field,
            kind.table(),
            kind.cells()
                .iter()
                .map(|(f, _, _)| *f)
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    key_of(kind, &op.key)
}

/// The row a key object names in a table (push's keys, §6; publish builds the same from a
/// row), or why it is not one.
pub(crate) fn key_of(kind: Kind, key: &Value) -> std::result::Result<RowKey, String> {
    Ok(match kind {
        Kind::Measurement => {
            let indicator = text_of(key, "indicator")?;
            let unit = text_of(key, "unit")?;
            let period_text = text_of(key, "period")?;
            let period = Period::parse(&period_text)
                .map_err(|e| format!("perioden «{period_text}»: {e}"))?;
            RowKey {
                kind,
                pk: vec![json!(indicator), json!(period.first().index()), json!(unit)],
                text: format!("{indicator} / {unit} / {}", period),
                unit,
                indicator: Some(indicator),
                period: Some(period),
                action: None,
            }
        }
        Kind::SickLeave | Kind::Economy => {
            let unit = text_of(key, "unit")?;
            let month = month_of(&text_of(key, "month")?)?;
            RowKey {
                kind,
                pk: vec![json!(month.index()), json!(unit)],
                text: format!("{unit} / {}", month.id()),
                unit,
                indicator: None,
                period: Some(Period::month(month)),
                action: None,
            }
        }
        Kind::Target => {
            let indicator = text_of(key, "indicator")?;
            let unit = match key.get("unit") {
                None | Some(Value::Null) => None,
                Some(Value::String(u)) if !u.is_empty() => Some(u.clone()),
                Some(_) => {
                    return Err(
                        "målets «unit» er en enhetskode, eller null for alle enheter".into(),
                    )
                }
            };
            let year = key
                .get("year")
                .and_then(Value::as_i64)
                .and_then(|y| i32::try_from(y).ok())
                .ok_or("nøkkelen mangler «year» (et årstall)")?;
            RowKey {
                kind,
                pk: vec![json!(indicator), json!(unit), json!(year)],
                text: format!(
                    "{indicator} / {} / {year}",
                    unit.as_deref().unwrap_or("alle enheter")
                ),
                unit: unit.unwrap_or_default(),
                indicator: Some(indicator),
                period: Period::year(year),
                action: None,
            }
        }
        Kind::Unit => {
            let code = text_of(key, "code")?;
            RowKey {
                kind,
                pk: vec![json!(code)],
                text: code.clone(),
                unit: code,
                indicator: None,
                period: None,
                action: None,
            }
        }
        Kind::Indicator | Kind::Setting => {
            let name = if kind == Kind::Indicator {
                "code"
            } else {
                "key"
            };
            let code = text_of(key, name)?;
            RowKey {
                kind,
                pk: vec![json!(code)],
                text: code,
                unit: String::new(),
                indicator: None,
                period: None,
                action: None,
            }
        }
        Kind::Lock => {
            let month = month_of(&text_of(key, "month")?)?;
            RowKey {
                kind,
                pk: vec![json!(month.index())],
                text: month.id(),
                unit: String::new(),
                indicator: None,
                period: Some(Period::month(month)),
                action: None,
            }
        }
        Kind::Comment => {
            let uid = text_of(key, "uid")?;
            let uid = Uuid::parse_str(&uid)
                .map_err(|_| format!("kommentarens «uid» «{uid}» er ikke en UUID"))?;
            let unit = key.get("unit").and_then(Value::as_str).unwrap_or_default();
            // The period a new comment is about (an existing one keeps its own).
            let period = match key.get("period") {
                None | Some(Value::Null) => None,
                Some(Value::String(text)) => {
                    Some(Period::parse(text).map_err(|e| format!("perioden «{text}»: {e}"))?)
                }
                Some(_) => return Err("kommentarens «period» er en periode som tekst".into()),
            };
            RowKey {
                kind,
                pk: vec![json!(uid.to_string())],
                text: uid.to_string(),
                unit: unit.to_string(),
                indicator: key
                    .get("indicator")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                period,
                action: None,
            }
        }
        Kind::Action => {
            let code = text_of(key, "code")?;
            RowKey {
                kind,
                pk: vec![json!(code)],
                text: code,
                // The unit the desktop names (a new tiltak's); a stored one's counts.
                unit: key
                    .get("unit")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                indicator: None,
                period: None,
                action: None,
            }
        }
        Kind::ActionComment => {
            let uid = text_of(key, "uid")?;
            let uid = Uuid::parse_str(&uid)
                .map_err(|_| format!("statuskommentarens «uid» «{uid}» er ikke en UUID"))?;
            let period = match key.get("period") {
                None | Some(Value::Null) => None,
                Some(Value::String(text)) => {
                    Some(Period::parse(text).map_err(|e| format!("perioden «{text}»: {e}"))?)
                }
                Some(_) => return Err("statuskommentarens «period» er en periode som tekst".into()),
            };
            RowKey {
                kind,
                pk: vec![json!(uid.to_string())],
                text: uid.to_string(),
                // The tiltak's unit, looked up when the row is decided.
                unit: String::new(),
                indicator: None,
                period,
                action: key
                    .get("action")
                    .and_then(Value::as_str)
                    .map(str::to_string),
            }
        }
    })
}

/// An operation's answer.
fn answer(op_id: Uuid, status: &str, fields: Value) -> Value {
    let mut out = Map::new();
    out.insert("op_id".into(), json!(op_id));
    out.insert("status".into(), json!(status));
    if let Value::Object(map) = fields {
        out.extend(map);
    }
    Value::Object(out)
}

fn refused(op_id: Uuid, status: &str, reason: &str) -> Value {
    answer(op_id, status, json!({ "reason": reason }))
}

/// Who is pushing, from where, when.
pub struct Pusher<'a> {
    pub caller: &'a Caller,
    pub rights: &'a Rights,
    pub device: String,
    pub now: DateTime<Utc>,
}

/// Applies a push and answers every operation, in the order sent.
pub async fn push(
    client: &mut Object,
    pusher: &Pusher<'_>,
    operations: Vec<Operation>,
) -> Result<PushAnswer> {
    check_request(&operations)?;
    // Batches in the order of their first operation; a batch's operations in their order.
    let mut order: Vec<Uuid> = Vec::new();
    let mut batches: HashMap<Uuid, Vec<(usize, Operation)>> = HashMap::new();
    for (i, op) in operations.into_iter().enumerate() {
        let entry = batches.entry(op.batch).or_default();
        if entry.is_empty() {
            order.push(op.batch);
        }
        entry.push((i, op));
    }
    let mut results: Vec<(usize, Value)> = Vec::new();
    for batch in order {
        let ops = batches.remove(&batch).unwrap_or_default();
        let tx = client.transaction().await?;
        match push_batch(&tx, pusher, batch, ops.clone()).await? {
            BatchOutcome::Done(answered) => {
                tx.commit().await?;
                results.extend(answered);
            }
            BatchOutcome::Refused(reason) => {
                tx.rollback().await?;
                let tx = client.transaction().await?;
                let answered = refuse_batch(&tx, pusher, &ops, &reason).await?;
                tx.commit().await?;
                results.extend(answered);
            }
        }
    }
    results.sort_by_key(|(i, _)| *i);
    Ok(PushAnswer {
        results: results.into_iter().map(|(_, v)| v).collect(),
    })
}

/// A request as a whole: at most `MAX_OPERATIONS`, each op id once.
fn check_request(operations: &[Operation]) -> Result<()> {
    if operations.len() > MAX_OPERATIONS {
        return Err(Error::Invalid(format!(
            "en push kan ha høyst {MAX_OPERATIONS} operasjoner, denne har {}; send resten i en ny",
            operations.len()
        )));
    }
    let mut seen = BTreeSet::new();
    for op in operations {
        if !seen.insert(op.op_id) {
            return Err(Error::Invalid(format!(
                "operasjonen {} står to ganger i samme push; hver operasjon har sin egen id",
                op.op_id
            )));
        }
    }
    Ok(())
}

/// A row group: the operations of a batch on one row, each cell at most once.
struct Group {
    key: std::result::Result<RowKey, String>,
    ops: Vec<(usize, Operation)>,
}

/// The row groups of a batch, in the order of their first operation: every operation of
/// the batch on one row joins that row's group (an import may list a row's cells apart),
/// unless the group has that cell already — then a new group for the row follows.
fn groups(ops: Vec<(usize, Operation)>) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    let mut by_row: HashMap<(&'static str, String), usize> = HashMap::new();
    for (i, op) in ops {
        let key = row_key(&op);
        let row = key
            .as_ref()
            .ok()
            .map(|k| (k.kind.table(), Value::Array(k.pk.clone()).to_string()));
        if let Some(&g) = row.as_ref().and_then(|r| by_row.get(r)) {
            if let Some(group) = out.get_mut(g) {
                if !group.ops.iter().any(|(_, o)| o.field == op.field) {
                    group.ops.push((i, op));
                    continue;
                }
            }
        }
        if let Some(row) = row {
            by_row.insert(row, out.len());
        }
        out.push(Group {
            key,
            ops: vec![(i, op)],
        });
    }
    out
}

async fn push_batch(
    tx: &Transaction<'_>,
    pusher: &Pusher<'_>,
    batch: Uuid,
    ops: Vec<(usize, Operation)>,
) -> Result<BatchOutcome> {
    let groups = groups(ops);
    // Every row's lock up front, in one order: two batches never wait for each other in
    // a circle.
    let locks: BTreeSet<i64> = groups
        .iter()
        .filter_map(|g| g.key.as_ref().ok().map(RowKey::lock_id))
        .collect();
    push_rows::lock_rows(tx, &locks).await?;
    let mut state = BatchState::default();
    let mut out = Vec::new();
    let all: Vec<(usize, &Operation)> = groups
        .iter()
        .flat_map(|g| g.ops.iter().map(|(i, op)| (*i, op)))
        .collect();
    let mut resent = claim_all(tx, pusher, &all).await?;
    // Each group's new operations (a resend is answered as stored).
    let mut work: Vec<Group> = Vec::new();
    for group in groups {
        let mut fresh = Vec::new();
        for (i, op) in group.ops {
            match resent.remove(&op.op_id) {
                None => fresh.push((i, op)),
                Some(answer) => out.push((i, answer)),
            }
        }
        if !fresh.is_empty() {
            work.push(Group {
                key: group.key,
                ops: fresh,
            });
        }
    }
    // Every row the new operations change, read at once now that its lock is held.
    let keys: Vec<&RowKey> = work.iter().filter_map(|g| g.key.as_ref().ok()).collect();
    state.rows = Prefetched::load(tx, &keys).await?;
    let mut stored_answers: Vec<(Uuid, Value)> = Vec::new();
    for Group { key, ops: fresh } in work {
        let answers = match &key {
            Err(reason) => fresh
                .iter()
                .map(|(_, op)| refused(op.op_id, "ugyldig", reason))
                .collect(),
            // No savepoint is needed: every refusal is decided before the group writes
            // anything (and a savepoint per row would cost: past 64 subtransactions
            // PostgreSQL slows every later statement of the transaction).
            Ok(key) => match apply_group(tx, pusher, batch, &mut state, key, &fresh).await {
                Ok(answers) => answers,
                Err(GroupError::Refused(status, reason)) => fresh
                    .iter()
                    .map(|(_, op)| refused(op.op_id, status, &reason))
                    .collect(),
                Err(GroupError::Failed(e)) => return Err(e),
            },
        };
        for ((i, op), result) in fresh.iter().zip(answers) {
            stored_answers.push((op.op_id, result.clone()));
            out.push((*i, result));
        }
    }
    state.deferred.flush(tx).await?;
    if state.tree_changed {
        if let Some(reason) = tree_problem(tx).await? {
            return Ok(BatchOutcome::Refused(reason));
        }
    }
    store_answers(tx, &stored_answers).await?;
    write_audit(tx, &state).await?;
    Ok(BatchOutcome::Done(out))
}

/// What a batch came to: every operation answered, or refused whole by a batch-wide rule
/// (the caller rolls it back and answers every operation `ugyldig` with the reason).
enum BatchOutcome {
    Done(Vec<(usize, Value)>),
    Refused(String),
}

/// Stores the operation's row: `None` when it is new (the caller decides and updates its
/// answer), else the answer to a resend — the stored one, or for another user's id a
/// refusal without it (it may hold figures this caller may not read).
async fn claim(
    tx: &Transaction<'_>,
    pusher: &Pusher<'_>,
    i: usize,
    op: &Operation,
) -> Result<Option<Value>> {
    let seq = i32::try_from(i).unwrap_or(i32::MAX);
    let insert = tx
        .prepare_cached(
            "INSERT INTO operations (op_id, user_id, session_id, device, batch, seq_in_batch,
                 entity, key, field, base_version, base_value, new_value, received_at, status)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'conflict')
             ON CONFLICT (op_id) DO NOTHING RETURNING op_id",
        )
        .await?;
    let inserted = tx
        .query_opt(
            &insert,
            &[
                &op.op_id,
                &pusher.caller.user_id,
                &pusher.caller.session_id,
                &pusher.device,
                &op.batch,
                &seq,
                &op.entity,
                &op.key,
                &op.field,
                &op.base_version,
                &op.base_value,
                &op.new_value,
                &pusher.now,
            ],
        )
        .await?;
    if inserted.is_some() {
        return Ok(None);
    }
    let row = tx
        .query_one(
            &tx.prepare_cached("SELECT result, user_id FROM operations WHERE op_id = $1")
                .await?,
            &[&op.op_id],
        )
        .await?;
    let (stored, owner): (Option<Value>, i64) = (row.get(0), row.get(1));
    Ok(Some(if owner != pusher.caller.user_id {
        refused(
            op.op_id,
            "ugyldig",
            "operasjons-id-en er allerede brukt av en annen bruker; send endringen med en ny id",
        )
    } else {
        stored.unwrap_or_else(|| refused(op.op_id, "conflict", ""))
    }))
}

/// Stores every operation's row in one statement; the answers to resends by op id (the
/// stored one, or for another user's id a refusal without it). A resend racing its first
/// send waits here for that send's transaction.
async fn claim_all(
    tx: &Transaction<'_>,
    pusher: &Pusher<'_>,
    ops: &[(usize, &Operation)],
) -> Result<HashMap<Uuid, Value>> {
    let ids: Vec<Uuid> = ops.iter().map(|(_, o)| o.op_id).collect();
    let seqs: Vec<i32> = ops
        .iter()
        .map(|(i, _)| i32::try_from(*i).unwrap_or(i32::MAX))
        .collect();
    let entities: Vec<&str> = ops.iter().map(|(_, o)| o.entity.as_str()).collect();
    let keys: Vec<&Value> = ops.iter().map(|(_, o)| &o.key).collect();
    let fields: Vec<&str> = ops.iter().map(|(_, o)| o.field.as_str()).collect();
    let bases: Vec<Option<i64>> = ops.iter().map(|(_, o)| o.base_version).collect();
    let base_values: Vec<&Value> = ops.iter().map(|(_, o)| &o.base_value).collect();
    let new_values: Vec<&Value> = ops.iter().map(|(_, o)| &o.new_value).collect();
    let batch = ops.first().map(|(_, o)| o.batch);
    let inserted: std::collections::HashSet<Uuid> = tx
        .query(
            &tx.prepare_cached(
                "INSERT INTO operations (op_id, user_id, session_id, device, batch, seq_in_batch,
                     entity, key, field, base_version, base_value, new_value, received_at, status)
                 SELECT u.op_id, $2, $3, $4, $5, u.seq, u.entity, u.key, u.field, u.base,
                        u.base_value, u.new_value, $6, 'conflict'
                 FROM unnest($1::uuid[], $7::integer[], $8::text[], $9::jsonb[], $10::text[],
                             $11::bigint[], $12::jsonb[], $13::jsonb[])
                      AS u (op_id, seq, entity, key, field, base, base_value, new_value)
                 ORDER BY u.seq
                 ON CONFLICT (op_id) DO NOTHING RETURNING op_id",
            )
            .await?,
            &[
                &ids,
                &pusher.caller.user_id,
                &pusher.caller.session_id,
                &pusher.device,
                &batch,
                &pusher.now,
                &seqs,
                &entities,
                &keys,
                &fields,
                &bases,
                &base_values,
                &new_values,
            ],
        )
        .await?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let again: Vec<Uuid> = ids
        .into_iter()
        .filter(|id| !inserted.contains(id))
        .collect();
    let mut out = HashMap::new();
    if again.is_empty() {
        return Ok(out);
    }
    let rows = tx
        .query(
            &tx.prepare_cached(
                "SELECT op_id, result, user_id FROM operations WHERE op_id = ANY($1)",
            )
            .await?,
            &[&again],
        )
        .await?;
    for row in rows {
        let (op_id, stored, owner): (Uuid, Option<Value>, i64) =
            (row.get(0), row.get(1), row.get(2));
        let answer = if owner != pusher.caller.user_id {
            refused(
                op_id,
                "ugyldig",
                "operasjons-id-en er allerede brukt av en annen bruker; send endringen med en ny id",
            )
        } else {
            stored.unwrap_or_else(|| refused(op_id, "conflict", ""))
        };
        out.insert(op_id, answer);
    }
    Ok(out)
}

/// The answers of a batch's new operations, stored in one statement.
async fn store_answers(tx: &Transaction<'_>, answers: &[(Uuid, Value)]) -> Result<()> {
    if answers.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = answers.iter().map(|(id, _)| *id).collect();
    let statuses: Vec<&str> = answers
        .iter()
        .map(|(_, a)| {
            a.get("status")
                .and_then(Value::as_str)
                .unwrap_or("conflict")
        })
        .collect();
    let versions: Vec<Option<i64>> = answers
        .iter()
        .map(|(_, a)| a.get("version").and_then(Value::as_i64))
        .collect();
    let results: Vec<&Value> = answers.iter().map(|(_, a)| a).collect();
    tx.execute(
        &tx.prepare_cached(
            "UPDATE operations o SET status = u.status, applied_version = u.version,
                 result = u.result
             FROM unnest($1::uuid[], $2::text[], $3::bigint[], $4::jsonb[])
                  AS u (op_id, status, version, result)
             WHERE o.op_id = u.op_id",
        )
        .await?,
        &[&ids, &statuses, &versions, &results],
    )
    .await?;
    Ok(())
}

/// The batch's audit entries, one per applied cell, in one statement.
async fn write_audit(tx: &Transaction<'_>, state: &BatchState) -> Result<()> {
    let (Some(batch), false) = (state.audit_batch, state.audit.is_empty()) else {
        return Ok(());
    };
    let col = |f: fn(&AuditRow) -> Option<String>| -> Vec<Option<String>> {
        state.audit.iter().map(f).collect()
    };
    let entities: Vec<&str> = state.audit.iter().map(|a| a.entity).collect();
    let keys: Vec<&str> = state.audit.iter().map(|a| a.key.as_str()).collect();
    let ids: Vec<Uuid> = state.audit.iter().map(|a| a.op_id).collect();
    tx.execute(
        &tx.prepare_cached(
            "INSERT INTO audit (batch, entity, key, indicator, unit, period, old, new, op_id,
                                resolves)
             SELECT $1, u.entity, u.key, u.indicator, u.unit, u.period, u.old, u.new, u.op_id,
                    u.resolves
             FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                         $7::text[], $8::text[], $9::uuid[], $10::uuid[]) WITH ORDINALITY
                  AS u (entity, key, indicator, unit, period, old, new, op_id, resolves, n)
             ORDER BY u.n",
        )
        .await?,
        &[
            &batch,
            &entities,
            &keys,
            &col(|a| a.indicator.clone()),
            &col(|a| a.unit.clone()),
            &col(|a| a.period.clone()),
            &col(|a| a.old.clone()),
            &col(|a| a.new.clone()),
            &ids,
            &state.audit.iter().map(|a| a.resolves).collect::<Vec<_>>(),
        ],
    )
    .await?;
    Ok(())
}

/// One audit entry waiting for the end of its batch.
struct AuditRow {
    entity: &'static str,
    key: String,
    indicator: Option<String>,
    unit: Option<String>,
    period: Option<String>,
    old: Option<String>,
    new: Option<String>,
    op_id: Uuid,
    resolves: Option<Uuid>,
}

/// Stores the answer of a new operation.
async fn answer_stored(tx: &Transaction<'_>, op_id: Uuid, result: &Value) -> Result<()> {
    let status = result
        .get("status")
        .and_then(Value::as_str)
        .unwrap_or("conflict")
        .to_string();
    let version = result.get("version").and_then(Value::as_i64);
    tx.execute(
        &tx.prepare_cached(
            "UPDATE operations SET status = $2, applied_version = $3, result = $4
             WHERE op_id = $1",
        )
        .await?,
        &[&op_id, &status, &version, &result],
    )
    .await?;
    Ok(())
}

/// A batch refused whole (in a new transaction, the first rolled back): every new
/// operation stored as `ugyldig` with the reason, resends answered as stored.
async fn refuse_batch(
    tx: &Transaction<'_>,
    pusher: &Pusher<'_>,
    ops: &[(usize, Operation)],
    reason: &str,
) -> Result<Vec<(usize, Value)>> {
    let mut out = Vec::new();
    for (i, op) in ops {
        let answer = match claim(tx, pusher, *i, op).await? {
            Some(answer) => answer,
            None => {
                let answer = refused(op.op_id, "ugyldig", reason);
                answer_stored(tx, op.op_id, &answer).await?;
                answer
            }
        };
        out.push((*i, answer));
    }
    Ok(out)
}

/// The unit tree after a batch changed it: every parent exists, no unit under itself
/// (`rules::unit_tree`, the core's rule and message).
async fn tree_problem(tx: &Transaction<'_>) -> Result<Option<String>> {
    let rows = tx
        .query(
            &tx.prepare_cached("SELECT code, parent FROM units").await?,
            &[],
        )
        .await?;
    let pairs: Vec<(String, Option<String>)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    let parents: HashMap<&str, Option<&str>> = pairs
        .iter()
        .map(|(c, p)| (c.as_str(), p.as_deref()))
        .collect();
    for (code, parent) in &pairs {
        if let Some(parent) = parent {
            if !parents.contains_key(parent.as_str()) {
                return Ok(Some(format!(
                    "enhet «{code}» har overordnet «{parent}», som ikke finnes; opprett den først eller velg en annen"
                )));
            }
        }
    }
    Ok(rules::unit_tree(&parents).err().map(|e| e.to_string()))
}

/// What one batch's row groups share: its audit batch (opened by the first applied cell),
/// the known units and the locked months (read once; the locks again after a lock changed).
#[derive(Default)]
struct BatchState {
    audit_batch: Option<i64>,
    units: Option<std::collections::HashSet<String>>,
    locked: Option<BTreeSet<i32>>,
    /// A unit was written: the tree is checked when the batch ends.
    tree_changed: bool,
    /// The audit entries, written when the batch ends.
    audit: Vec<AuditRow>,
    /// The versions this batch applied.
    applied: BTreeSet<i64>,
    /// The rows the batch changes, read when its locks were taken.
    rows: Prefetched,
    /// Upserts of figures waiting for the batch's end (`push_rows::deferrable`).
    deferred: Deferred,
    /// Indicators as stored, by code, read once per batch (again after one is written).
    indicators: IndicatorCache,
}

enum GroupError {
    /// The whole group refused: the status and the reason.
    Refused(&'static str, String),
    Failed(Error),
}

impl From<tokio_postgres::Error> for GroupError {
    fn from(e: tokio_postgres::Error) -> Self {
        GroupError::Failed(Error::Database(e))
    }
}

/// `col = (text)::type AND …` for a table's key columns, each compared with the text
/// `value(n)` gives for the `n`-th: the one comparison of a key push and `push_rows` share.
pub(crate) fn key_match(kind: Kind, prefix: &str, value: impl Fn(usize) -> String) -> String {
    kind.key_columns()
        .iter()
        .enumerate()
        .map(|(n, c)| {
            let cast = match *c {
                "span_first" | "month" | "year" => "::integer",
                "uid" => "::uuid",
                _ => "",
            };
            // A default target's unit is NULL: compared with IS NOT DISTINCT FROM (only
            // there: `=` keeps the primary-key index for every other table).
            let op = if kind == Kind::Target && *c == "unit" {
                "IS NOT DISTINCT FROM"
            } else {
                "="
            };
            format!("{prefix}{c} {op} ({}){cast}", value(n))
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

fn where_clause(kind: Kind, first: usize) -> String {
    key_match(kind, "", |n| format!("${}::jsonb #>> '{{}}'", first + n))
}

/// The row as stored, as JSON (`to_jsonb`), or `None`.
async fn read_row(
    tx: &Transaction<'_>,
    key: &RowKey,
) -> std::result::Result<Option<Map<String, Value>>, GroupError> {
    let sql = format!(
        "SELECT to_jsonb(t) FROM {} t WHERE {}",
        key.kind.table(),
        where_clause(key.kind, 1)
    );
    let params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = key
        .pk
        .iter()
        .map(|v| v as &(dyn tokio_postgres::types::ToSql + Sync))
        .collect();
    let row = tx
        .query_opt(&tx.prepare_cached(&sql).await?, &params)
        .await?;
    Ok(row.and_then(|r| match r.get::<_, Value>(0) {
        Value::Object(map) => Some(map),
        _ => None,
    }))
}

/// The row as stored, and the version a change to it will take (`malkart_version`), in
/// one round trip. A group that applies nothing leaves a gap in the numbers: harmless, a
/// version only has to grow.
async fn read_row_for_change(
    tx: &Transaction<'_>,
    key: &RowKey,
) -> std::result::Result<(Option<Map<String, Value>>, i64), GroupError> {
    let sql = format!(
        "SELECT (SELECT to_jsonb(t) FROM {} t WHERE {}), nextval('malkart_version')",
        key.kind.table(),
        where_clause(key.kind, 1)
    );
    let params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = key
        .pk
        .iter()
        .map(|v| v as &(dyn tokio_postgres::types::ToSql + Sync))
        .collect();
    let row = tx
        .query_one(&tx.prepare_cached(&sql).await?, &params)
        .await?;
    let stored = match row.get::<_, Option<Value>>(0) {
        Some(Value::Object(map)) => Some(map),
        _ => None,
    };
    Ok((stored, row.get(1)))
}

/// Applies the fresh operations of one row group, or refuses the whole group.
async fn apply_group(
    tx: &Transaction<'_>,
    pusher: &Pusher<'_>,
    batch: Uuid,
    state: &mut BatchState,
    key: &RowKey,
    ops: &[(usize, Operation)],
) -> std::result::Result<Vec<Value>, GroupError> {
    let kind = key.kind;
    // What another table's group checks may read the waiting upserts: they go first.
    if !push_rows::deferrable(kind) {
        state.deferred.flush(tx).await.map_err(GroupError::Failed)?;
    }
    let (mut stored, version) = match state.rows.take(key) {
        Some(read) => read,
        // The row again (a cell repeated in the batch): as the writes before left it.
        None => {
            state.deferred.flush(tx).await.map_err(GroupError::Failed)?;
            read_row_for_change(tx, key).await?
        }
    };
    // A lock's one cell is whether its row exists.
    if kind == Kind::Lock {
        if let Some(row) = &mut stored {
            row.insert("locked".into(), Value::Bool(true));
        }
    }
    // A comment's unit is the stored one; its key names it only for a new comment.
    let mut key = key.clone();
    if let Some(row) = &stored {
        if let Some(unit) = row.get("unit").and_then(Value::as_str) {
            key.unit = unit.to_string();
        }
        if let Some(indicator) = row.get("indicator").and_then(Value::as_str) {
            key.indicator = Some(indicator.to_string());
        }
        if matches!(kind, Kind::Comment | Kind::ActionComment) {
            key.period = row
                .get("period")
                .and_then(Value::as_str)
                .and_then(|p| Period::parse(p).ok());
        }
        if let Some(action) = row.get("action").and_then(Value::as_str) {
            key.action = Some(action.to_string());
        }
    }
    // A status comment belongs to its tiltak's unit.
    if kind == Kind::ActionComment {
        if let Some(action) = &key.action {
            let unit: Option<String> = tx
                .query_opt(
                    &tx.prepare_cached("SELECT unit FROM actions WHERE code = $1")
                        .await?,
                    &[action],
                )
                .await?
                .map(|r| r.get(0));
            match unit {
                Some(unit) => key.unit = unit,
                None => {
                    let message = malkart::Error::UnknownAction(action.clone()).to_string();
                    return Err(GroupError::Refused("ugyldig", message));
                }
            }
        }
    }
    if let Err(reason) = pusher.rights.may_write(kind.write(), key.unit()) {
        return Err(GroupError::Refused("ingen tilgang", reason));
    }
    // A tiltak moved to another unit: the writer must have that unit too.
    if kind == Kind::Action {
        for (_, op) in ops.iter().filter(|(_, op)| op.field == "unit") {
            if let Some(unit) = op.new_value.as_str() {
                if let Err(reason) = pusher.rights.may_write(kind.write(), Some(unit)) {
                    return Err(GroupError::Refused("ingen tilgang", reason));
                }
            }
        }
    }
    if let Some((first, last)) = key.months() {
        if state.locked.is_none() {
            let rows = tx
                .query(
                    &tx.prepare_cached("SELECT month FROM locked_months").await?,
                    &[],
                )
                .await?;
            state.locked = Some(rows.iter().map(|r| r.get(0)).collect());
        }
        let locked = state
            .locked
            .as_ref()
            .and_then(|l| l.range(first..=last).next().copied());
        if let Some(month) = locked {
            let message = malkart::Error::LockedMonth(Month::from_index(month).id()).to_string();
            return Err(GroupError::Refused("låst", message));
        }
    }
    if state.units.is_none() {
        let rows = tx
            .query(&tx.prepare_cached("SELECT code FROM units").await?, &[])
            .await?;
        state.units = Some(rows.iter().map(|r| r.get(0)).collect());
    }
    let unit_known = match key.unit() {
        None => true,
        // A unit is its own row: it may be new (its parent is checked with the batch).
        Some(_) if kind == Kind::Unit => true,
        Some(unit) => state.units.as_ref().is_some_and(|u| u.contains(unit)),
    };
    if !unit_known {
        let message = if key.unit.is_empty() && kind == Kind::ActionComment {
            "en ny statuskommentar trenger «action» og «period» i nøkkelen".to_string()
        } else if key.unit.is_empty() {
            "en ny kommentar trenger «unit», «indicator» og «period» i nøkkelen".to_string()
        } else {
            malkart::Error::UnknownUnit(key.unit.clone()).to_string()
        };
        return Err(GroupError::Refused("ugyldig", message));
    }

    // The version check, per cell.
    let versions = stored
        .as_ref()
        .and_then(|r| r.get("cell_versions"))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut conflicts: Vec<(usize, Value)> = Vec::new();
    let mut applying: Vec<&Operation> = Vec::new();
    for (n, (_, op)) in ops.iter().enumerate() {
        let theirs_version = versions.get(&op.field).and_then(Value::as_i64);
        if theirs_version == op.base_version {
            applying.push(op);
            continue;
        }
        let value = stored
            .as_ref()
            .and_then(|r| r.get(&op.field))
            .cloned()
            .map(|v| as_cell(kind, &op.field, v))
            .unwrap_or(Value::Null);
        let (by, at) = match theirs_version {
            // Written earlier in this batch (its answer is stored when the batch ends).
            Some(v) if state.applied.contains(&v) => {
                (json!(pusher.caller.name), json!(pusher.now.to_rfc3339()))
            }
            Some(v) => who_wrote(tx, v).await?,
            None => (Value::Null, Value::Null),
        };
        let name = kind
            .cells()
            .iter()
            .find(|(f, _, _)| *f == op.field)
            .map_or(op.field.as_str(), |(_, _, name)| name);
        let reason = format!(
            "{} {}: {name} er endret på serveren siden du hentet verdien",
            kind.audit_entity(),
            key.text
        );
        conflicts.push((
            n,
            answer(
                op.op_id,
                "conflict",
                json!({
                    "theirs": { "value": value, "version": theirs_version, "by": by, "at": at },
                    "reason": reason,
                }),
            ),
        ));
    }

    let mut answers: Vec<Option<Value>> = vec![None; ops.len()];
    for (n, a) in conflicts.iter().cloned() {
        answers[n] = Some(a);
    }
    if !applying.is_empty() {
        // The row after the change, checked by the core's rules.
        let mut row = stored.clone().unwrap_or_default();
        for op in &applying {
            row.insert(op.field.clone(), op.new_value.clone());
        }
        let verdict = match check_types(kind, &applying) {
            Err(m) => Err(m),
            Ok(()) => check_row(tx, &mut state.indicators, &key, &row).await?,
        };
        match verdict {
            Err(message) => {
                if conflicts.is_empty() {
                    return Err(GroupError::Refused("ugyldig", message));
                }
                for (n, (_, op)) in ops.iter().enumerate() {
                    if answers[n].is_none() {
                        answers[n] = Some(refused(
                            op.op_id,
                            "conflict",
                            &format!("{message} (uten cellene som er i konflikt)"),
                        ));
                    }
                }
            }
            Ok(()) => {
                write_row(
                    tx,
                    pusher,
                    &mut state.deferred,
                    &key,
                    stored.as_ref(),
                    row,
                    &applying,
                    version,
                )
                .await?;
                if kind == Kind::Indicator {
                    state.indicators.clear();
                }
                if kind == Kind::Lock {
                    state.locked = None;
                }
                if kind == Kind::Unit {
                    state.tree_changed = true;
                    if let Some(units) = &mut state.units {
                        units.insert(key.unit.clone());
                    }
                }
                state.applied.insert(version);
                if state.audit_batch.is_none() {
                    state.audit_batch = Some(open_audit_batch(tx, pusher, batch).await?);
                }
                for (n, (_, op)) in ops.iter().enumerate() {
                    if answers[n].is_some() {
                        continue;
                    }
                    let old = stored.as_ref().and_then(|r| r.get(&op.field));
                    let period = key.period.map(|p| p.to_string()).or_else(|| {
                        stored
                            .as_ref()
                            .and_then(|r| r.get("period"))
                            .and_then(Value::as_str)
                            .map(str::to_string)
                    });
                    state.audit.push(AuditRow {
                        entity: kind.audit_entity(),
                        // The cell in the words the core's log uses: `3100 / 2026-03 (egenmeldt)`.
                        key: format!(
                            "{} ({})",
                            key.text,
                            kind.cells()
                                .iter()
                                .find(|(f, _, _)| *f == op.field)
                                .map_or(op.field.as_str(), |(_, _, name)| name)
                        ),
                        indicator: key.indicator.clone(),
                        unit: key.unit().map(str::to_string),
                        period,
                        old: old.and_then(audit_text),
                        new: audit_text(&op.new_value),
                        op_id: op.op_id,
                        resolves: op.resolves,
                    });
                    answers[n] = Some(answer(op.op_id, "applied", json!({ "version": version })));
                }
            }
        }
    }
    Ok(answers
        .into_iter()
        .zip(ops)
        .map(|(a, (_, op))| a.unwrap_or_else(|| refused(op.op_id, "conflict", "")))
        .collect())
}

/// A stored value as its cell's type: PostgreSQL writes the double 40 as `40`; a number
/// cell answers `40.0`, so a desktop reads the same f64 either way.
fn as_cell(kind: Kind, field: &str, v: Value) -> Value {
    let real = kind
        .cells()
        .iter()
        .any(|(f, ty, _)| *f == field && *ty == CellType::Real);
    match v.as_f64() {
        Some(x) if real => json!(x),
        _ => v,
    }
}

/// A cell's value as the audit log shows it: text as it is, numbers as JSON, empty `None`.
fn audit_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// Who wrote a version, and when: the operation that applied it (`null`s for a version
/// written otherwise, e.g. seeded by the schema).
async fn who_wrote(
    tx: &Transaction<'_>,
    version: i64,
) -> std::result::Result<(Value, Value), GroupError> {
    let row = tx
        .query_opt(
            &tx.prepare_cached(
                "SELECT u.name, o.received_at FROM operations o JOIN users u ON u.id = o.user_id
             WHERE o.applied_version = $1 LIMIT 1",
            )
            .await?,
            &[&version],
        )
        .await?;
    Ok(match row {
        Some(r) => {
            let at: DateTime<Utc> = r.get(1);
            (json!(r.get::<_, String>(0)), json!(at.to_rfc3339()))
        }
        None => (Value::Null, Value::Null),
    })
}

async fn open_audit_batch(
    tx: &Transaction<'_>,
    pusher: &Pusher<'_>,
    batch: Uuid,
) -> std::result::Result<i64, GroupError> {
    tx.execute(
        &tx.prepare_cached(
            "INSERT INTO audit_batches (uid, at, user_name, user_id, device, source)
         VALUES ($1, $2, $3, $4, $5, 'synkronisering') ON CONFLICT (uid) DO NOTHING",
        )
        .await?,
        &[
            &batch,
            &pusher.now,
            &pusher.caller.name,
            &pusher.caller.user_id,
            &pusher.device,
        ],
    )
    .await?;
    let row = tx
        .query_one(
            &tx.prepare_cached("SELECT id, user_id FROM audit_batches WHERE uid = $1")
                .await?,
            &[&batch],
        )
        .await?;
    // A batch id already used by someone else: the changes must not be logged as theirs.
    if row.get::<_, Option<i64>>(1) != Some(pusher.caller.user_id) {
        return Err(GroupError::Failed(Error::Invalid(format!(
            "batch-id-en {batch} er allerede brukt av en annen bruker eller av serveren; send endringene med en ny batch-id"
        ))));
    }
    Ok(row.get(0))
}

/// Each new value of the type its cell holds.
fn check_types(kind: Kind, ops: &[&Operation]) -> std::result::Result<(), String> {
    for op in ops {
        let Some((_, ty, name)) = kind.cells().iter().find(|(f, _, _)| *f == op.field) else {
            return Err(format!(
                "«{}» er ikke en celle i {}",
                op.field,
                kind.table()
            ));
        };
        let fine = match (&op.new_value, ty) {
            (Value::Null, _) => true,
            (Value::Number(n), CellType::Real) => n.as_f64().is_some_and(f64::is_finite),
            (Value::Number(n), CellType::Whole) => n.as_i64().is_some(),
            (Value::String(_), CellType::Text) => true,
            (Value::Bool(_), CellType::Flag) => true,
            _ => false,
        };
        if !fine {
            let wanted = match ty {
                CellType::Real => "et tall",
                CellType::Whole => "et helt tall",
                CellType::Text => "tekst",
                CellType::Flag => "true eller false",
            };
            return Err(format!("{name}: må være {wanted}, ikke {}", op.new_value));
        }
    }
    Ok(())
}

fn real(row: &Map<String, Value>, field: &str) -> Option<f64> {
    row.get(field).and_then(Value::as_f64)
}

fn whole(row: &Map<String, Value>, field: &str) -> Option<i64> {
    row.get(field).and_then(Value::as_i64)
}

/// Whether every cell of the row is empty (the row is removed).
pub(crate) fn all_empty(kind: Kind, row: &Map<String, Value>) -> bool {
    kind.cells().iter().all(|(f, _, _)| {
        row.get(*f)
            .is_none_or(|v| v.is_null() || *v == Value::Bool(false))
    })
}

/// The row after the change against the core's rules; `Err` with the core's message.
async fn check_row(
    tx: &Transaction<'_>,
    indicators: &mut IndicatorCache,
    key: &RowKey,
    row: &Map<String, Value>,
) -> std::result::Result<std::result::Result<(), String>, GroupError> {
    if all_empty(key.kind, row) {
        if matches!(key.kind, Kind::Indicator | Kind::Setting) {
            return Ok(Err(format!(
                "{} «{}» kan ikke slettes ved å tømme feltene",
                key.kind.audit_entity(),
                key.text
            )));
        }
        if key.kind == Kind::Unit {
            return Ok(Err(format!(
                "enhet «{}» kan ikke slettes ved å tømme feltene; en enhet trenger et navn",
                key.unit
            )));
        }
        return Ok(Ok(()));
    }
    Ok(match key.kind {
        Kind::Indicator => check_indicator(tx, key, row).await?,
        Kind::Action => check_action(tx, key, row).await?,
        Kind::ActionComment if row.get("uid").is_none() => match check_row_with(key, row, None) {
            Ok(()) => check_new_action_comment(tx, key).await?,
            Err(m) => Err(m),
        },
        Kind::Comment if row.get("uid").is_none() => match check_row_with(key, row, None) {
            // A new comment: its indicator and period must be real.
            Ok(()) => check_new_comment(tx, key).await?,
            Err(m) => Err(m),
        },
        Kind::Measurement | Kind::Target => {
            let indicator = match &key.indicator {
                Some(code) => match indicators.get(code) {
                    Some(known) => known.clone(),
                    None => {
                        let read = stored_indicator(tx, code).await?;
                        indicators.insert(code.clone(), read.clone());
                        read
                    }
                },
                None => None,
            };
            match indicator {
                Some(Err(m)) => Err(m),
                Some(Ok(def)) => check_row_with(key, row, Some(&def)),
                None => check_row_with(key, row, None),
            }
        }
        _ => check_row_with(key, row, None),
    })
}

/// Indicators as stored, by code: `None` there is none, `Err` its row is not one.
type IndicatorCache =
    HashMap<String, Option<std::result::Result<malkart::model::Indicator, String>>>;

/// An indicator as stored, as the core's `Indicator` (`None`: there is none).
async fn stored_indicator(
    tx: &Transaction<'_>,
    code: &str,
) -> std::result::Result<Option<std::result::Result<malkart::model::Indicator, String>>, GroupError>
{
    let row = tx
        .query_opt(
            &tx.prepare_cached("SELECT to_jsonb(i) FROM indicators i WHERE code = $1")
                .await?,
            &[&code],
        )
        .await?;
    Ok(row.and_then(|r| match r.get::<_, Value>(0) {
        Value::Object(map) => Some(indicator_of(code, &map)),
        _ => None,
    }))
}

/// The core's rules for one row (not empty) that need nothing stored but the definition of
/// the row's indicator (`None`: unknown) — the one copy push and publish share. An
/// indicator's own row is checked by `check_indicator` (push) or publish, which know what
/// is stored; a comment's text here, whether its indicator exists by the caller.
pub(crate) fn check_row_with(
    key: &RowKey,
    row: &Map<String, Value>,
    indicator: Option<&malkart::model::Indicator>,
) -> std::result::Result<(), String> {
    match key.kind {
        Kind::Measurement => {
            let (Some(code), Some(span)) = (key.indicator.clone(), key.period) else {
                return Err("målingen mangler indikator eller periode".into());
            };
            let Some(def) = indicator else {
                return Err(malkart::Error::UnknownIndicator(code).to_string());
            };
            let indicator = code;
            let measured = Measured {
                frequency: def.frequency,
                ratio: def.aggregation == malkart::model::Aggregation::Brok,
                builtin: def.builtin,
            };
            let value = real(row, "value");
            let (numerator, denominator) = (real(row, "numerator"), real(row, "denominator"));
            let figure = match (value, numerator, denominator) {
                (Some(value), None, None) => Figure::Value { value },
                (None, Some(numerator), Some(denominator)) => Figure::Ratio {
                    numerator,
                    denominator,
                },
                // A value beside teller/nevner, or one of the two alone: the kind the
                // indicator does not take names what it needs.
                (Some(_), _, _) if !measured.ratio => {
                    return Err(format!(
                        "måling {} / {} / {}: indikatoren trenger én verdi, ikke teller og nevner; tøm teller og nevner",
                        indicator, key.unit, span
                    ));
                }
                _ if measured.ratio => {
                    return Err(format!(
                        "måling {} / {} / {}: indikatoren er en brøk og trenger både teller og nevner, ikke én verdi",
                        indicator, key.unit, span
                    ));
                }
                _ => Figure::Ratio {
                    numerator: numerator.unwrap_or(f64::NAN),
                    denominator: denominator.unwrap_or(f64::NAN),
                },
            };
            let m = Measurement {
                indicator,
                unit: key.unit.clone(),
                span,
                figure,
            };
            rules::measurement(&m, &measured, &BTreeSet::new()).map_err(|e| e.to_string())
        }
        Kind::SickLeave => check_sick_leave(key, row),
        Kind::Economy => {
            let mut result = Ok(());
            for (field, _, name) in key.kind.cells() {
                if let Some(why) = whole(row, field).and_then(malkart::model::amount_out_of_range) {
                    result = Err(format!("økonomi {}: {name}: {why}", key.text));
                    break;
                }
            }
            result
        }
        Kind::Lock => Ok(()),
        Kind::Setting => match (key.text.as_str(), row.get("value").and_then(Value::as_str)) {
            ("min_employees", Some(v)) if v.trim().parse::<u32>().is_ok() => Ok(()),
            ("min_employees", v) => Err(format!(
                "innstillingen min_employees (minste antall ansatte for å vise sykefravær) må være et helt tall fra 0, ikke «{}»",
                v.unwrap_or_default()
            )),
            (other, _) => Err(format!(
                "Målkart kjenner ingen innstilling «{other}»; den som finnes er min_employees"
            )),
        },
        // The indicator's own fields, and a built-in one unchanged (`indicator`: the one
        // stored under its code).
        Kind::Indicator => {
            let new = indicator_of(&key.text, row)?;
            rules::indicator(&new).map_err(|e| e.to_string())?;
            rules::builtin_unchanged(indicator, &new).map_err(|e| e.to_string())
        }
        Kind::Unit => {
            let text = |f: &str| row.get(f).and_then(Value::as_str).map(str::to_string);
            rules::unit(&malkart::model::Unit {
                code: key.unit.clone(),
                name: text("name").unwrap_or_default(),
                parent: text("parent").filter(|p| !p.is_empty()),
                level: text("level"),
            })
            .map_err(|e| e.to_string())
        }
        Kind::Target => check_target(key, row, indicator),
        // A tiltak's own fields by the core's rules (its references: `check_action`).
        Kind::Action => action_of(key, row).and_then(|a| rules::action(&a).map_err(|e| e.to_string())),
        Kind::ActionComment => {
            let text = row.get("text").and_then(Value::as_str).unwrap_or_default();
            if text.trim().is_empty() {
                Err("statuskommentaren er tom; skriv noe før du lagrer".into())
            } else {
                Ok(())
            }
        }
        Kind::Comment => {
            let text = row.get("text").and_then(Value::as_str).unwrap_or_default();
            if text.trim().is_empty() {
                Err("kommentaren er tom; skriv noe før du lagrer".into())
            } else {
                Ok(())
            }
        }
    }
}

/// A tiltak row (the cells as stored or pushed) as the core's `Action`; a value the core
/// cannot read is named.
pub(crate) fn action_of(
    key: &RowKey,
    row: &Map<String, Value>,
) -> std::result::Result<malkart::model::Action, String> {
    use malkart::model::{Action, ActionKind, ActionStatus};
    let text = |f: &str| row.get(f).and_then(Value::as_str).map(str::to_string);
    let kind_text = text("kind").unwrap_or_else(|| "tiltak".into());
    let kind = ActionKind::parse(&kind_text)
        .ok_or_else(|| format!("tiltak «{}»: ukjent type «{kind_text}»", key.text))?;
    let status_text = text("status").unwrap_or_default();
    let status = ActionStatus::parse(&status_text)
        .ok_or_else(|| format!("tiltak «{}»: ukjent status «{status_text}»", key.text))?;
    let progress = whole(row, "progress").unwrap_or_default();
    rules::action_progress(status, progress).map_err(|m| format!("tiltak «{}»: {m}", key.text))?;
    let indicators_text = text("indicators").unwrap_or_else(|| "[]".into());
    let indicators: Vec<String> = serde_json::from_str(&indicators_text).map_err(|_| {
        format!(
            "tiltak «{}»: indikatorene «{indicators_text}» er ikke en liste av koder",
            key.text
        )
    })?;
    Ok(Action {
        code: key.text.clone(),
        title: text("title").unwrap_or_default(),
        description: text("description"),
        goal: text("goal").unwrap_or_default(),
        success_factor: text("success_factor"),
        unit: text("unit").unwrap_or_default(),
        responsible: text("responsible").unwrap_or_default(),
        kind,
        decision_ref: text("decision_ref"),
        start: text("start"),
        deadline: text("deadline"),
        status,
        progress: u8::try_from(progress).unwrap_or(100),
        cost_ore: whole(row, "cost_ore"),
        indicators,
    })
}

/// A tiltak's references as the core's `rules::action_refs` checks them: its goal is a goal
/// of the indicators, its unit and every indicator it names exist.
async fn check_action(
    tx: &Transaction<'_>,
    key: &RowKey,
    row: &Map<String, Value>,
) -> std::result::Result<std::result::Result<(), String>, GroupError> {
    let action = match action_of(key, row).and_then(|a| {
        rules::action(&a).map_err(|e| e.to_string())?;
        Ok(a)
    }) {
        Ok(a) => a,
        Err(m) => return Ok(Err(m)),
    };
    let known = tx
        .query_one(
            &tx.prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM indicators WHERE goal = $1),
                        EXISTS (SELECT 1 FROM units WHERE code = $2),
                        (SELECT array_agg(code) FROM indicators WHERE code = ANY($3))",
            )
            .await?,
            &[&action.goal, &action.unit, &action.indicators],
        )
        .await?;
    let (goal, unit): (bool, bool) = (known.get(0), known.get(1));
    let found: Vec<String> = known.get::<_, Option<Vec<String>>>(2).unwrap_or_default();
    Ok(rules::action_refs(
        &action,
        |_| goal,
        |_| unit,
        |c| found.iter().any(|f| f == c),
    )
    .map_err(|e| e.to_string()))
}

/// A new status comment: its tiltak exists and its period is one.
async fn check_new_action_comment(
    tx: &Transaction<'_>,
    key: &RowKey,
) -> std::result::Result<std::result::Result<(), String>, GroupError> {
    let (Some(action), Some(_)) = (&key.action, key.period) else {
        return Ok(Err(
            "en ny statuskommentar trenger «action» og «period» i nøkkelen".into(),
        ));
    };
    let known: bool = tx
        .query_one(
            &tx.prepare_cached("SELECT EXISTS (SELECT 1 FROM actions WHERE code = $1)")
                .await?,
            &[action],
        )
        .await?
        .get(0);
    if !known {
        return Ok(Err(
            malkart::Error::UnknownAction(action.clone()).to_string()
        ));
    }
    Ok(Ok(()))
}

/// A target against its indicator's direction (`rules::target`): a year in range, numbers,
/// the red limit on the right side.
fn check_target(
    key: &RowKey,
    row: &Map<String, Value>,
    indicator: Option<&malkart::model::Indicator>,
) -> std::result::Result<(), String> {
    let Some(code) = key.indicator.clone() else {
        return Err("målet mangler indikator".into());
    };
    let Some(direction) = indicator.map(|i| i.direction) else {
        return Err(malkart::Error::UnknownIndicator(code).to_string());
    };
    let indicator = code;
    let Some(target) = real(row, "target") else {
        return Err(format!(
            "mål {}: målet mangler; en rødgrense trenger et mål",
            key.text
        ));
    };
    let year = key.pk.get(2).and_then(Value::as_i64).unwrap_or_default();
    let t = malkart::model::Target {
        indicator,
        unit: key.unit().map(str::to_string),
        year: i32::try_from(year).unwrap_or(i32::MAX),
        target,
        red_limit: real(row, "red_limit"),
        reference: None,
    };
    rules::target(&t, direction).map_err(|e| e.to_string())
}

/// An indicator's row as the core's `Indicator`, or which field is wrong.
pub(crate) fn indicator_of(
    code: &str,
    row: &Map<String, Value>,
) -> std::result::Result<malkart::model::Indicator, String> {
    use malkart::model::{Aggregation, Direction, Indicator, Perspective, UnitRollup};
    let text = |f: &str| {
        row.get(f)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    // Each choice by its key exactly (what the table holds), else the keys it may be.
    fn choice<T>(
        code: &str,
        field: &str,
        value: &str,
        parse: impl Fn(&str) -> Option<T>,
        key: impl Fn(&T) -> &'static str,
        keys: &str,
    ) -> std::result::Result<T, String> {
        match parse(value) {
            Some(v) if key(&v) == value => Ok(v),
            _ => Err(format!(
                "indikator «{code}»: {field} må være en av {keys}, ikke «{value}»"
            )),
        }
    }
    let decimals = row.get("decimals").and_then(Value::as_i64).unwrap_or(-1);
    Ok(Indicator {
        code: code.to_string(),
        name: text("name"),
        perspective: choice(
            code,
            "perspektiv",
            &text("perspective"),
            Perspective::parse,
            |p| p.key(),
            "lokalsamfunn, brukere, organisasjon, økonomi",
        )?,
        goal: row.get("goal").and_then(Value::as_str).map(str::to_string),
        description: text("description"),
        source: text("source"),
        responsible: text("responsible"),
        unit_label: text("unit_label"),
        decimals: u8::try_from(decimals).map_err(|_| {
            format!("indikator «{code}»: antall desimaler må være 0–4, ikke {decimals}")
        })?,
        direction: choice(
            code,
            "retning",
            &text("direction"),
            Direction::parse,
            |d| d.key(),
            "høy, lav",
        )?,
        frequency: choice(
            code,
            "frekvens",
            &text("frequency"),
            Frequency::parse,
            |f| f.key(),
            "måned, kvartal, tertial, halvår, år",
        )?,
        aggregation: choice(
            code,
            "aggregering",
            &text("aggregation"),
            Aggregation::parse,
            |a| a.key(),
            "sum, snitt, siste, brøk",
        )?,
        unit_rollup: choice(
            code,
            "sammenstilling",
            &text("unit_rollup"),
            UnitRollup::parse,
            |u| u.key(),
            "sum, snitt, ingen",
        )?,
        factor: real(row, "factor").unwrap_or(f64::NAN),
        builtin: row.get("builtin").and_then(Value::as_bool).unwrap_or(false),
    })
}

/// An indicator after the change, by the core's rules: its own fields, built-in ones
/// unchanged, no stranded measurements, no target's red limit turned to the wrong side.
async fn check_indicator(
    tx: &Transaction<'_>,
    key: &RowKey,
    row: &Map<String, Value>,
) -> std::result::Result<std::result::Result<(), String>, GroupError> {
    let new = match indicator_of(&key.text, row) {
        Ok(new) => new,
        Err(m) => return Ok(Err(m)),
    };
    if let Err(e) = rules::indicator(&new) {
        return Ok(Err(e.to_string()));
    }
    let stored = read_row(tx, key).await?;
    let old = match &stored {
        Some(r) => match indicator_of(&key.text, r) {
            Ok(old) => Some(old),
            Err(m) => return Ok(Err(m)),
        },
        None => None,
    };
    if let Err(e) = rules::builtin_unchanged(old.as_ref(), &new) {
        return Ok(Err(e.to_string()));
    }
    let Some(old) = old else {
        return Ok(Ok(()));
    };
    let counts = tx
        .query(
            &tx.prepare_cached(
                "SELECT unit, count(*) FROM measurements WHERE indicator = $1 GROUP BY unit ORDER BY unit",
            )
            .await?,
            &[&key.text],
        )
        .await?
        .iter()
        .map(|r| (r.get::<_, String>(0), r.get::<_, i64>(1)))
        .collect::<Vec<_>>();
    if let Err(e) = rules::stranding(&old, &new, || Ok(counts)) {
        return Ok(Err(e.to_string()));
    }
    let targets = tx
        .query(
            &tx.prepare_cached(
                "SELECT unit, year, target, red_limit FROM targets WHERE indicator = $1",
            )
            .await?,
            &[&key.text],
        )
        .await?
        .iter()
        .map(|r| malkart::model::Target {
            indicator: key.text.clone(),
            unit: r.get(0),
            year: r.get(1),
            target: r.get(2),
            red_limit: r.get(3),
            reference: None,
        })
        .collect::<Vec<_>>();
    Ok(rules::direction_change(&old, &new, &targets).map_err(|e| e.to_string()))
}

async fn check_new_comment(
    tx: &Transaction<'_>,
    key: &RowKey,
) -> std::result::Result<std::result::Result<(), String>, GroupError> {
    let (Some(indicator), Some(_)) = (&key.indicator, key.period) else {
        return Ok(Err(
            "en ny kommentar trenger «unit», «indicator» og «period» i nøkkelen".into(),
        ));
    };
    let known: bool = tx
        .query_one(
            &tx.prepare_cached("SELECT EXISTS (SELECT 1 FROM indicators WHERE code = $1)")
                .await?,
            &[indicator],
        )
        .await?
        .get(0);
    if !known {
        return Ok(Err(
            malkart::Error::UnknownIndicator(indicator.clone()).to_string()
        ));
    }
    Ok(Ok(()))
}

pub(crate) fn check_sick_leave(
    key: &RowKey,
    row: &Map<String, Value>,
) -> std::result::Result<(), String> {
    let prefix = format!("sykefravær {}", key.text);
    let mut figures = HashMap::new();
    for (field, _, column) in Kind::SickLeave.cells() {
        figures.insert(*column, real(row, field));
    }
    for column in sickleave::check::REQUIRED {
        if figures.get(column).copied().flatten().is_none() {
            return Err(format!("{prefix}: {column}: {}", sickleave::check::MISSING));
        }
    }
    let missing = sickleave::check::missing_bands(|b| figures.get(b).copied().flatten().is_some());
    if let Some(band) = missing.first() {
        return Err(format!(
            "{prefix}: {band}: {}",
            sickleave::check::BAND_MISSING
        ));
    }
    let employees = match real(row, "employees") {
        None => None,
        Some(x) => Some(
            sickleave::check::employees(x, &x.to_string())
                .map_err(|m| format!("{prefix}: ansatte: {m}"))?,
        ),
    };
    let get = |c: &str| figures.get(c).copied().flatten().unwrap_or(0.0);
    let split = figures
        .get("dager_1_3")
        .copied()
        .flatten()
        .map(|_| LengthSplit {
            days_1_3: get("dager_1_3"),
            days_4_16: get("dager_4_16"),
            days_17_56: get("dager_17_56"),
            days_over_56: get("dager_over_56"),
        });
    let Some(month) = key.period.map(|p| p.first()) else {
        return Err(format!("{prefix}: måneden mangler"));
    };
    let sick = SickLeave {
        unit: key.unit.clone(),
        month,
        contracted_days: get("avtalte_dagsverk"),
        self_certified: get("egenmeldt"),
        doctor_certified: get("legemeldt"),
        employees,
        split,
    };
    match sick_check(&sick).first() {
        Some(p) => Err(format!("{prefix}: {}: {}", p.column, p.message)),
        None => Ok(()),
    }
}

/// Writes the row (or removes it, every cell empty) at a new version; returns it.
#[allow(clippy::too_many_arguments)]
async fn write_row(
    tx: &Transaction<'_>,
    pusher: &Pusher<'_>,
    deferred: &mut Deferred,
    key: &RowKey,
    stored: Option<&Map<String, Value>>,
    mut row: Map<String, Value>,
    applying: &[&Operation],
    version: i64,
) -> std::result::Result<i64, GroupError> {
    let kind = key.kind;
    if all_empty(kind, &row) {
        if stored.is_some() {
            let sql = format!(
                "DELETE FROM {} WHERE {}",
                kind.table(),
                where_clause(kind, 1)
            );
            let params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = key
                .pk
                .iter()
                .map(|v| v as &(dyn tokio_postgres::types::ToSql + Sync))
                .collect();
            tx.execute(&tx.prepare_cached(&sql).await?, &params).await?;
        }
        tx.execute(
            &tx.prepare_cached("INSERT INTO deletions (entity, key, version) VALUES ($1, $2, $3)")
                .await?,
            &[&kind.table(), &key.tombstone(), &version],
        )
        .await?;
        return Ok(version);
    }
    // The key columns and, for a new row, what the key and the caller give it.
    for (col, v) in kind.key_columns().iter().zip(&key.pk) {
        row.insert((*col).to_string(), v.clone());
    }
    if !matches!(
        kind,
        Kind::Lock
            | Kind::Unit
            | Kind::Indicator
            | Kind::Setting
            | Kind::Action
            | Kind::ActionComment
    ) {
        row.insert("unit".into(), json!(key.unit()));
    }
    if kind == Kind::Indicator {
        if stored.is_none() {
            row.insert("builtin".into(), Value::Bool(false));
        }
        // Texts the table keeps as '' when empty.
        for f in ["description", "source", "responsible", "unit_label"] {
            if row.get(f).is_none_or(Value::is_null) {
                row.insert(f.into(), json!(""));
            }
        }
    }
    match kind {
        Kind::Measurement => {
            if let Some(p) = key.period {
                row.insert("span_last".into(), json!(p.last().index()));
            }
            row.insert("indicator".into(), json!(key.indicator));
        }
        Kind::Comment if stored.is_none() => {
            row.insert("indicator".into(), json!(key.indicator));
            row.insert("period".into(), json!(key.period.map(|p| p.to_string())));
            row.insert("author".into(), json!(pusher.caller.name));
            row.insert("created_at".into(), json!(pusher.now.to_rfc3339()));
        }
        Kind::Comment => {
            row.insert("updated_at".into(), json!(pusher.now.to_rfc3339()));
        }
        Kind::ActionComment if stored.is_none() => {
            row.insert("action".into(), json!(key.action));
            row.insert("period".into(), json!(key.period.map(|p| p.to_string())));
            row.insert("author".into(), json!(pusher.caller.name));
            row.insert("created_at".into(), json!(pusher.now.to_rfc3339()));
        }
        Kind::ActionComment => {
            row.insert("updated_at".into(), json!(pusher.now.to_rfc3339()));
        }
        Kind::Action if row.get("indicators").is_none_or(Value::is_null) => {
            row.insert("indicators".into(), json!("[]"));
        }
        Kind::Unit => {
            if row.get("parent").and_then(Value::as_str) == Some("") {
                row.insert("parent".into(), Value::Null);
            }
            if stored.is_none() {
                let sort: i64 = tx
                    .query_one(
                        &tx.prepare_cached("SELECT coalesce(max(sort), 0) + 1 FROM units")
                            .await?,
                        &[],
                    )
                    .await?
                    .get(0);
                row.insert("sort".into(), json!(sort));
            }
        }
        Kind::Lock => {
            row.remove("locked");
            row.insert("locked_by".into(), json!(pusher.caller.name));
            row.insert("locked_at".into(), json!(pusher.now.to_rfc3339()));
        }
        _ => {}
    }
    if let Some(Value::String(text)) = row.get("text").cloned() {
        row.insert("text".into(), json!(text.trim()));
    }
    let mut cells = stored
        .and_then(|r| r.get("cell_versions"))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for op in applying {
        cells.insert(op.field.clone(), json!(version));
    }
    row.insert("version".into(), json!(version));
    row.insert("cell_versions".into(), Value::Object(cells));
    // Not written: the xid (the trigger stamps it) and a target's generated id.
    row.remove("xid");
    row.remove("id");
    if push_rows::deferrable(kind) {
        deferred.push(kind, row);
        return Ok(version);
    }
    // Every column the row has (the stored row merged with the change, or a new one):
    // inserted, or on the key's conflict every non-key column updated.
    let columns: Vec<String> = row.keys().cloned().collect();
    let sql = push_rows::upsert_sql(kind, kind.table(), &columns, "jsonb_populate_record");
    tx.execute(&tx.prepare_cached(&sql).await?, &[&Value::Object(row)])
        .await?;
    Ok(version)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(n: u128, entity: &str, key: Value, field: &str) -> (usize, Operation) {
        (
            n as usize,
            Operation {
                op_id: Uuid::from_u128(n),
                batch: Uuid::from_u128(1000),
                entity: entity.into(),
                key,
                field: field.into(),
                base_version: None,
                base_value: Value::Null,
                new_value: Value::Null,
                resolves: None,
            },
        )
    }

    #[test]
    fn a_request_holds_at_most_the_limit_and_each_op_id_once() {
        let ops: Vec<Operation> = (0..=MAX_OPERATIONS as u128)
            .map(|n| op(n, "economy", Value::Null, "budget").1)
            .collect();
        assert_eq!(
            check_request(&ops).unwrap_err().to_string(),
            "en push kan ha høyst 50000 operasjoner, denne har 50001; send resten i en ny"
        );
        assert!(check_request(&ops[1..]).is_ok());
        let twice = [ops[7].clone(), ops[8].clone(), ops[7].clone()];
        assert!(check_request(&twice)
            .unwrap_err()
            .to_string()
            .contains("står to ganger i samme push"));
    }

    #[test]
    fn a_rows_operations_form_one_group_wherever_they_stand_unless_a_cell_repeats() {
        let a = json!({ "unit": "3100", "month": "2026-03" });
        let b = json!({ "unit": "3110", "month": "2026-03" });
        let ops = vec![
            op(1, "sick_leave", a.clone(), "contracted_days"),
            op(2, "sick_leave", b.clone(), "contracted_days"),
            op(3, "sick_leave", a.clone(), "self_certified"),
            op(4, "economy", a.clone(), "budget"),
            op(5, "sick_leave", a.clone(), "self_certified"),
            op(6, "ukjent", a.clone(), "x"),
        ];
        let got: Vec<Vec<usize>> = groups(ops)
            .iter()
            .map(|g| g.ops.iter().map(|(i, _)| *i).collect())
            .collect();
        // 1 and 3 share a row; 4 is another table; 5 repeats a cell of 1's group: a new
        // group after it; 6 is not a row at all.
        assert_eq!(got, [vec![1, 3], vec![2], vec![4], vec![5], vec![6]]);
    }

    #[test]
    fn keys_name_their_row_or_say_what_is_wrong() {
        let (_, m) = op(
            1,
            "measurements",
            json!({ "indicator": "BRUK", "unit": "3110", "period": "2026-03" }),
            "value",
        );
        let key = row_key(&m).unwrap();
        // March 2026 = 2026 × 12 + 2 = 24314
        assert_eq!(key.pk, [json!("BRUK"), json!(24314), json!("3110")]);
        assert_eq!(key.months(), Some((24314, 24314)));
        assert_eq!(key.text, "BRUK / 3110 / 2026-03");

        let (_, q) = op(
            2,
            "measurements",
            json!({ "indicator": "BRUK", "unit": "3110", "period": "2026-K1" }),
            "value",
        );
        // January–March 2026: 24312..=24314
        assert_eq!(row_key(&q).unwrap().months(), Some((24312, 24314)));

        let (_, s) = op(
            3,
            "sick_leave",
            json!({ "unit": "3100", "month": "2026-K1" }),
            "employees",
        );
        assert_eq!(
            row_key(&s).err().unwrap(),
            "«2026-K1» er ikke en måned; skriv måneden som ÅÅÅÅ-MM, for eksempel 2026-03"
        );
        let (_, f) = op(
            4,
            "economy",
            json!({ "unit": "3100", "month": "2026-03" }),
            "sum",
        );
        assert_eq!(
            row_key(&f).err().unwrap(),
            "«sum» er ikke en celle i economy; cellene er budget, actual, forecast"
        );
        let (_, t) = op(
            5,
            "targets",
            json!({ "indicator": "BRUK", "unit": null, "year": 2026 }),
            "target",
        );
        let target = row_key(&t).unwrap();
        assert_eq!(target.unit(), None);
        assert_eq!(target.text, "BRUK / alle enheter / 2026");
        assert_eq!(
            target.months(),
            None,
            "a target is not refused by a locked month"
        );
        let (_, c) = op(6, "comments", json!({ "uid": "x" }), "text");
        assert_eq!(
            row_key(&c).err().unwrap(),
            "kommentarens «uid» «x» er ikke en UUID"
        );
        let (_, missing) = op(7, "measurements", json!({ "unit": "3110" }), "value");
        assert_eq!(
            row_key(&missing).err().unwrap(),
            "nøkkelen mangler «indicator» (tekst)"
        );
    }

    #[test]
    fn a_sick_leave_row_is_checked_whole_by_the_cores_rules() {
        let (_, s) = op(
            1,
            "sick_leave",
            json!({ "unit": "3100", "month": "2026-03" }),
            "days_1_3",
        );
        let key = row_key(&s).unwrap();
        let row = |v: Value| v.as_object().unwrap().clone();
        let base =
            json!({ "contracted_days": 100.0, "self_certified": 4.0, "doctor_certified": 6.0 });
        assert_eq!(check_sick_leave(&key, &row(base.clone())), Ok(()));
        let mut one_band = base.clone();
        one_band["days_1_3"] = json!(10.0);
        assert_eq!(
            check_sick_leave(&key, &row(one_band.clone())),
            Err(format!(
                "sykefravær 3100 / 2026-03: dager_4_16: {}",
                sickleave::check::BAND_MISSING
            ))
        );
        // All four bands summing to 4 + 6 = 10: fine; to 11: the core's message.
        let mut bands = one_band;
        bands["days_4_16"] = json!(0.0);
        bands["days_17_56"] = json!(0.0);
        bands["days_over_56"] = json!(0.0);
        assert_eq!(check_sick_leave(&key, &row(bands.clone())), Ok(()));
        bands["days_over_56"] = json!(1.0);
        assert!(check_sick_leave(&key, &row(bands))
            .unwrap_err()
            .contains("= 11) må bli egenmeldt + legemeldt (10)"));
        let mut people = base;
        people["employees"] = json!(-1);
        assert_eq!(
            check_sick_leave(&key, &row(people)),
            Err("sykefravær 3100 / 2026-03: ansatte: antall ansatte må være et helt tall som ikke er negativt, ikke «-1»".into())
        );
    }
}
