//! The server's pull answer (docs/sharing-design.md §6) as the desktop reads it: the head
//! (`watermark`, `scope`, `reset`), the rows by table, the tombstones and a leser's masked
//! sick-leave summary.
//!
//! A first pull of `large` is 1,5 million rows and 326 MB of JSON. It is read as it arrives
//! and handed on in parts (`read_pull`, `PullPart`): the rows of a table in chunks of
//! `CHUNK_ROWS`, each row read straight into its table's column order (`PulledRow`; a map
//! per row cost seconds and gigabytes). The replica writes each part while the next is
//! read and parsed, in one transaction that is rolled back if the answer is cut off
//! (`Store::apply_pull_parts`), so the server's sending, the parsing and SQLite's writing
//! overlap instead of following one another (docs/benchmarks.md §11). `Pull` is the same
//! answer read whole, for tests and tools.

use std::collections::BTreeMap;
use std::io::Read;

use rusqlite::types::Value as Sql;
use serde::de::{DeserializeSeed, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::replica::{table, to_sql, Table};

/// Rows handed on at a time: small enough that little is held while SQLite writes, large
/// enough that handing on costs nothing.
pub const CHUNK_ROWS: usize = 4096;

/// One pull answer read whole (design §6): rows by table, each with the table's own column
/// names plus `version` and `cell_versions`; and tombstones.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Pull {
    pub watermark: String,
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub reset: bool,
    #[serde(default)]
    pub changes: Changes,
    #[serde(default)]
    pub deletions: Vec<Deletion>,
    /// A leser's masked sick-leave summary: an array replaces the replica's whole summary,
    /// absent or `null` keeps it (design §4).
    #[serde(default)]
    pub sick_leave_summary: Option<Vec<Map<String, Value>>>,
}

impl Pull {
    /// The answer's head.
    pub fn head(&self) -> PullHead {
        PullHead {
            watermark: self.watermark.clone(),
            scope: self.scope.clone(),
            reset: self.reset,
        }
    }
}

/// What comes before the rows: the watermark the replica is at once the answer is applied,
/// the scope it was read for, and whether it is everything (the replica is replaced).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PullHead {
    pub watermark: String,
    pub scope: Option<String>,
    pub reset: bool,
}

/// One part of an answer as `read_pull` hands it on, in the answer's order: the head first,
/// then the rows table by table (parents before the rows that name them, as the server
/// sends them), the tombstones and the summary; `End` only when the whole answer was read.
#[derive(Clone, Debug, PartialEq)]
pub enum PullPart {
    Head(PullHead),
    Rows(&'static str, Vec<PulledRow>),
    Deletions(Vec<Deletion>),
    Summary(Vec<Map<String, Value>>),
    End,
}

/// Reads one answer from `reader`, handing each part to `send` as soon as it is read.
/// `send` returns false when the parts are no longer wanted (the writer failed); reading
/// then stops with an error. A cut-off answer is an error too, and `End` is not sent.
pub fn read_pull<R: Read>(
    reader: R,
    send: &mut dyn FnMut(PullPart) -> bool,
) -> serde_json::Result<()> {
    let reader = std::io::BufReader::with_capacity(256 * 1024, reader);
    let mut de = serde_json::Deserializer::from_reader(reader);
    serde::Deserializer::deserialize_map(&mut de, Answer { send: &mut *send })?;
    de.end()?;
    if send(PullPart::End) {
        Ok(())
    } else {
        Err(serde_json::Error::custom(STOPPED))
    }
}

const STOPPED: &str = "lesingen ble stoppet fordi svaret ikke kunne lagres";

/// The pulled rows by table, read whole. A table the desktop does not know is skipped.
#[derive(Clone, Debug, Default)]
pub struct Changes(pub BTreeMap<&'static str, Vec<PulledRow>>);

impl Changes {
    /// Rows given as JSON objects with the table's column names (tests, tools).
    pub fn insert(&mut self, table_name: &str, rows: Vec<Map<String, Value>>) {
        if let Some(t) = table(table_name) {
            let rows = rows
                .into_iter()
                .map(|r| PulledRow::from_map(t, r))
                .collect();
            self.0.insert(t.name, rows);
        }
    }

    pub fn get_mut(&mut self, table_name: &str) -> Option<&mut Vec<PulledRow>> {
        self.0.get_mut(table_name)
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&str) -> bool) {
        self.0.retain(|t, _| keep(t));
    }
}

impl<'de> Deserialize<'de> for Changes {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Changes, D::Error> {
        let mut out: BTreeMap<&'static str, Vec<PulledRow>> = BTreeMap::new();
        d.deserialize_map(Tables {
            sink: &mut |name, rows| {
                out.entry(name).or_default().extend(rows);
                true
            },
        })?;
        Ok(Changes(out))
    }
}

/// `row_versions.cells` when every cell of the row (`Table::cells`) is at the row's
/// version, as after a publish or a first import: most rows of a first pull. Spelling the
/// cells out made `row_versions` 149 of a 224 MB replica of `large` (docs/benchmarks.md §11).
pub(super) const ALL_AT_VERSION: &str = "";

/// Whether the server's `cell_versions` holds exactly the table's cells, each at `version`.
fn all_at_version(table: &Table, cells: &Value, version: i64) -> bool {
    cells.as_object().is_some_and(|o| {
        !table.cells.is_empty()
            && o.len() == table.cells.len()
            && table
                .cells
                .iter()
                .all(|c| o.get(*c).and_then(Value::as_i64) == Some(version))
    })
}

/// One pulled row: its values in `Table::columns` order, its version and the version of
/// each cell (the server's `cell_versions` as JSON text, or `ALL_AT_VERSION`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PulledRow {
    pub values: Vec<Sql>,
    pub version: i64,
    pub cells: Option<String>,
}

impl PulledRow {
    pub(super) fn from_map(table: &Table, mut row: Map<String, Value>) -> PulledRow {
        PulledRow {
            values: table
                .columns
                .iter()
                .map(|c| into_sql(row.remove(*c).unwrap_or(Value::Null)))
                .collect(),
            version: row.get("version").and_then(Value::as_i64).unwrap_or(0),
            cells: None,
        }
        .with_cells(table, row.get("cell_versions"))
    }

    /// `cells` as the server sent them: an object of versions, or `true` when every cell
    /// is at the row's version (what `shape=rows` sends then, design §6).
    pub(super) fn with_cells(mut self, table: &Table, cells: Option<&Value>) -> PulledRow {
        self.cells = match cells {
            Some(Value::Bool(true)) => Some(ALL_AT_VERSION.to_string()),
            Some(c) if c.is_object() => Some(if all_at_version(table, c, self.version) {
                ALL_AT_VERSION.to_string()
            } else {
                c.to_string()
            }),
            _ => None,
        };
        self
    }

    /// Sets a column (a test's change of a pulled row).
    pub fn set(&mut self, table_name: &str, column: &str, value: Value) {
        if let Some(i) = table(table_name).and_then(|t| t.columns.iter().position(|c| *c == column))
        {
            self.values[i] = into_sql(value);
        } else if column == "version" {
            self.version = value.as_i64().unwrap_or(0);
        } else if column == "cell_versions" {
            self.cells = Some(value.to_string());
        }
    }

    pub(super) fn get(&self, table: &Table, column: &str) -> Option<&Sql> {
        table
            .columns
            .iter()
            .position(|c| *c == column)
            .and_then(|i| self.values.get(i))
    }
}

/// A tombstone: a row the server no longer has.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Deletion {
    pub entity: String,
    pub key: Map<String, Value>,
    #[serde(default)]
    pub version: Option<i64>,
}

/// A pulled value as SQLite stores it.
pub(super) fn into_sql(v: Value) -> Sql {
    match v {
        Value::String(s) => Sql::Text(s),
        other => to_sql(Some(&other)),
    }
}

/// Where a table's rows go, a chunk at a time; false stops the reading.
type RowSink<'s> = &'s mut dyn FnMut(&'static str, Vec<PulledRow>) -> bool;

/// The answer's top-level object, handed on part by part.
struct Answer<'s> {
    send: &'s mut dyn FnMut(PullPart) -> bool,
}

impl<'de> Visitor<'de> for Answer<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("et svar fra serveren")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        let send = self.send;
        let mut watermark: Option<String> = None;
        let mut scope: Option<String> = None;
        let mut reset = false;
        let mut head_sent = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "watermark" => watermark = Some(map.next_value()?),
                "scope" => scope = map.next_value()?,
                "reset" => reset = map.next_value::<Option<bool>>()?.unwrap_or(false),
                "changes" | "deletions" | "sick_leave_summary" => {
                    if !head_sent {
                        send_head::<A::Error>(&watermark, &scope, reset, &mut *send)?;
                        head_sent = true;
                    }
                    let more = match key.as_str() {
                        "changes" => {
                            map.next_value_seed(TablesSeed {
                                sink: &mut |name, rows| send(PullPart::Rows(name, rows)),
                            })?;
                            true
                        }
                        "deletions" => {
                            let deletions: Vec<Deletion> = map.next_value()?;
                            deletions.is_empty() || send(PullPart::Deletions(deletions))
                        }
                        _ => match map.next_value::<Option<Vec<Map<String, Value>>>>()? {
                            Some(rows) => send(PullPart::Summary(rows)),
                            None => true,
                        },
                    };
                    if !more {
                        return Err(A::Error::custom(STOPPED));
                    }
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if !head_sent {
            send_head::<A::Error>(&watermark, &scope, reset, &mut *send)?;
        }
        Ok(())
    }
}

/// Hands on the head, once the first of the rows, tombstones or summary is reached (the
/// server writes the head before them, server/src/pull.rs).
fn send_head<E: serde::de::Error>(
    watermark: &Option<String>,
    scope: &Option<String>,
    reset: bool,
    send: &mut dyn FnMut(PullPart) -> bool,
) -> std::result::Result<(), E> {
    let Some(watermark) = watermark.clone() else {
        return Err(E::custom("svaret har ikke «watermark» foran radene"));
    };
    let head = PullHead {
        watermark,
        scope: scope.clone(),
        reset,
    };
    if send(PullPart::Head(head)) {
        Ok(())
    } else {
        Err(E::custom(STOPPED))
    }
}

/// `changes`: tables by name, each an array of rows.
struct TablesSeed<'s> {
    sink: RowSink<'s>,
}

impl<'de> DeserializeSeed<'de> for TablesSeed<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_map(Tables { sink: self.sink })
    }
}

struct Tables<'s> {
    sink: RowSink<'s>,
}

impl<'de> Visitor<'de> for Tables<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("rader per tabell")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        while let Some(name) = map.next_key::<String>()? {
            match table(&name) {
                Some(t) => map.next_value_seed(RowsSeed {
                    table: t,
                    sink: &mut *self.sink,
                })?,
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// A table's rows, handed on `CHUNK_ROWS` at a time: an array of row objects, or (pulled
/// with `shape=rows`) `{"columns": [names], "rows": [[values in that order], ...]}`.
struct RowsSeed<'s> {
    table: &'static Table,
    sink: RowSink<'s>,
}

impl<'de> DeserializeSeed<'de> for RowsSeed<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

/// Reads a sequence of rows with `seed`, handing them on in chunks.
fn chunked<'de, A, S>(
    table: &'static Table,
    sink: RowSink<'_>,
    mut seq: A,
    seed: S,
) -> std::result::Result<(), A::Error>
where
    A: SeqAccess<'de>,
    S: DeserializeSeed<'de, Value = PulledRow> + Copy,
{
    let mut chunk = Vec::with_capacity(CHUNK_ROWS);
    while let Some(row) = seq.next_element_seed(seed)? {
        chunk.push(row);
        if chunk.len() == CHUNK_ROWS {
            let full = std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK_ROWS));
            if !sink(table.name, full) {
                return Err(A::Error::custom(STOPPED));
            }
        }
    }
    if !chunk.is_empty() && !sink(table.name, chunk) {
        return Err(A::Error::custom(STOPPED));
    }
    Ok(())
}

impl<'de> Visitor<'de> for RowsSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("en liste med rader")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> std::result::Result<(), A::Error> {
        chunked(self.table, self.sink, seq, RowSeed(self.table))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<(), A::Error> {
        let mut slots: Option<Vec<Slot>> = None;
        let mut sink = Some(self.sink);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "columns" => {
                    let names: Vec<String> = map.next_value()?;
                    slots = Some(names.iter().map(|n| slot(self.table, n)).collect());
                }
                "rows" => {
                    let (Some(slots), Some(sink)) = (slots.as_deref(), sink.take()) else {
                        return Err(A::Error::custom(format!(
                            "radene i «{}» kommer uten kolonnenavn foran seg",
                            self.table.name
                        )));
                    };
                    map.next_value_seed(ArrayRowsSeed {
                        table: self.table,
                        slots,
                        sink,
                    })?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// `rows` of a table pulled with `shape=rows`: arrays of values in the order of `slots`.
struct ArrayRowsSeed<'s, 'c> {
    table: &'static Table,
    slots: &'c [Slot],
    sink: RowSink<'s>,
}

impl<'de> DeserializeSeed<'de> for ArrayRowsSeed<'_, '_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ArrayRowsSeed<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("en liste med rader")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> std::result::Result<(), A::Error> {
        chunked(
            self.table,
            self.sink,
            seq,
            ArrayRowSeed {
                table: self.table,
                slots: self.slots,
            },
        )
    }
}

/// One row as an array, each value going where its column's slot says.
#[derive(Clone, Copy)]
struct ArrayRowSeed<'c> {
    table: &'static Table,
    slots: &'c [Slot],
}

impl<'de> DeserializeSeed<'de> for ArrayRowSeed<'_> {
    type Value = PulledRow;
    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<PulledRow, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ArrayRowSeed<'_> {
    type Value = PulledRow;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("en rad som liste")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<PulledRow, A::Error> {
        let mut row = PulledRow {
            values: vec![Sql::Null; self.table.columns.len()],
            version: 0,
            cells: None,
        };
        let mut cells: Option<Value> = None;
        for slot in self.slots {
            let found = match slot {
                Slot::Column(i) => seq.next_element_seed(SqlSeed)?.map(|v| row.values[*i] = v),
                Slot::Version => seq
                    .next_element::<Option<i64>>()?
                    .map(|v| row.version = v.unwrap_or(0)),
                Slot::Cells => seq.next_element::<Value>()?.map(|v| cells = Some(v)),
                Slot::Other => seq.next_element::<IgnoredAny>()?.map(|_| ()),
            };
            if found.is_none() {
                return Err(A::Error::custom(format!(
                    "en rad i «{}» har færre verdier enn kolonnenavn",
                    self.table.name
                )));
            }
        }
        if seq.next_element::<IgnoredAny>()?.is_some() {
            return Err(A::Error::custom(format!(
                "en rad i «{}» har flere verdier enn kolonnenavn",
                self.table.name
            )));
        }
        Ok(row.with_cells(self.table, cells.as_ref()))
    }
}

/// One row object, read into the table's column order without a map.
#[derive(Clone, Copy)]
struct RowSeed(&'static Table);

/// Where a key of a row object (or a column of a row array) goes.
#[derive(Clone, Copy)]
enum Slot {
    Column(usize),
    Version,
    Cells,
    Other,
}

fn slot(table: &Table, key: &str) -> Slot {
    match key {
        "version" => Slot::Version,
        "cell_versions" => Slot::Cells,
        _ => table
            .columns
            .iter()
            .position(|c| *c == key)
            .map_or(Slot::Other, Slot::Column),
    }
}

struct SlotSeed(&'static Table);

impl<'de> DeserializeSeed<'de> for SlotSeed {
    type Value = Slot;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<Slot, D::Error> {
        struct Key(&'static Table);
        impl Visitor<'_> for Key {
            type Value = Slot;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("et kolonnenavn")
            }
            fn visit_str<E: serde::de::Error>(self, key: &str) -> std::result::Result<Slot, E> {
                Ok(slot(self.0, key))
            }
        }
        d.deserialize_str(Key(self.0))
    }
}

impl<'de> DeserializeSeed<'de> for RowSeed {
    type Value = PulledRow;
    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<PulledRow, D::Error> {
        struct Row(&'static Table);
        impl<'de> Visitor<'de> for Row {
            type Value = PulledRow;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("en rad")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<PulledRow, A::Error> {
                let mut row = PulledRow {
                    values: vec![Sql::Null; self.0.columns.len()],
                    version: 0,
                    cells: None,
                };
                let mut cells: Option<Value> = None;
                while let Some(slot) = map.next_key_seed(SlotSeed(self.0))? {
                    match slot {
                        Slot::Column(i) => row.values[i] = map.next_value_seed(SqlSeed)?,
                        Slot::Version => {
                            row.version = map.next_value::<Option<i64>>()?.unwrap_or(0);
                        }
                        Slot::Cells => {
                            cells = Some(map.next_value::<Value>()?);
                        }
                        Slot::Other => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(row.with_cells(self.0, cells.as_ref()))
            }
        }
        d.deserialize_map(Row(self.0))
    }
}

/// One column's value read straight into what SQLite stores (`into_sql` of the JSON value,
/// without making the value first: a first pull reads ten million of them).
struct SqlSeed;

impl<'de> DeserializeSeed<'de> for SqlSeed {
    type Value = Sql;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<Sql, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for SqlSeed {
    type Value = Sql;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("en verdi")
    }
    fn visit_unit<E>(self) -> std::result::Result<Sql, E> {
        Ok(Sql::Null)
    }
    fn visit_none<E>(self) -> std::result::Result<Sql, E> {
        Ok(Sql::Null)
    }
    fn visit_bool<E>(self, v: bool) -> std::result::Result<Sql, E> {
        Ok(Sql::Integer(i64::from(v)))
    }
    fn visit_i64<E>(self, v: i64) -> std::result::Result<Sql, E> {
        Ok(Sql::Integer(v))
    }
    fn visit_u64<E>(self, v: u64) -> std::result::Result<Sql, E> {
        Ok(i64::try_from(v).map_or(Sql::Real(v as f64), Sql::Integer))
    }
    fn visit_f64<E>(self, v: f64) -> std::result::Result<Sql, E> {
        Ok(Sql::Real(v))
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Sql, E> {
        Ok(Sql::Text(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> std::result::Result<Sql, E> {
        Ok(Sql::Text(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> std::result::Result<Sql, A::Error> {
        let v = Value::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))?;
        Ok(into_sql(v))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<Sql, A::Error> {
        let v = Value::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        Ok(into_sql(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parts(text: &str) -> (Vec<PullPart>, serde_json::Result<()>) {
        let mut out = Vec::new();
        let result = read_pull(text.as_bytes(), &mut |p| {
            out.push(p);
            true
        });
        (out, result)
    }

    fn answer(rows: usize) -> String {
        let rows: Vec<Value> = (0..rows)
            .map(|i| {
                json!({"month": 24300, "unit": format!("{i:05}"), "budget": i, "actual": null,
                       "forecast": null, "version": 7,
                       "cell_versions": {"budget": 7, "actual": 7, "forecast": 7}})
            })
            .collect();
        // The head first, as the server writes it (a `json!` object would sort its keys).
        let changes = json!({"perspectives": [], "ukjent": [{"a": 1}], "economy": rows});
        let deletions =
            json!([{"entity": "economy", "key": {"month": 24299, "unit": "1"}, "version": 6}]);
        format!(
            r#"{{"watermark": "812", "scope": "alle", "reset": true, "changes": {changes},
                "deletions": {deletions}, "sick_leave_summary": null}}"#
        )
    }

    #[test]
    fn an_answer_is_handed_on_head_first_then_rows_in_chunks_then_the_rest_then_end() {
        // 4 096 + 4 096 + 1 808 = 10 000 rows: two full chunks and the remainder.
        let (parts, result) = parts(&answer(10_000));
        result.unwrap();
        let kinds: Vec<String> = parts
            .iter()
            .map(|p| match p {
                PullPart::Head(h) => format!("head {} {:?} {}", h.watermark, h.scope, h.reset),
                PullPart::Rows(t, rows) => format!("{t} {}", rows.len()),
                PullPart::Deletions(d) => format!("deletions {}", d.len()),
                PullPart::Summary(s) => format!("summary {}", s.len()),
                PullPart::End => "end".into(),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "head 812 Some(\"alle\") true",
                "economy 4096",
                "economy 4096",
                "economy 1808",
                "deletions 1",
                "end"
            ]
        );
        let PullPart::Rows(_, first) = &parts[1] else {
            unreachable!()
        };
        // Column order: unit, month, budget, actual, forecast; every cell at version 7.
        assert_eq!(
            first[3].values,
            [
                Sql::Text("00003".into()),
                Sql::Integer(24300),
                Sql::Integer(3),
                Sql::Null,
                Sql::Null
            ]
        );
        assert_eq!(first[3].version, 7);
        assert_eq!(first[3].cells.as_deref(), Some(ALL_AT_VERSION));
    }

    #[test]
    fn the_same_answer_read_whole_has_the_same_rows() {
        let text = answer(5_000);
        let whole: Pull = serde_json::from_str(&text).unwrap();
        let (parts, result) = parts(&text);
        result.unwrap();
        let streamed: Vec<PulledRow> = parts
            .into_iter()
            .filter_map(|p| match p {
                PullPart::Rows(_, rows) => Some(rows),
                _ => None,
            })
            .flatten()
            .collect();
        assert_eq!(whole.changes.0["economy"], streamed);
        assert_eq!(whole.head().watermark, "812");
        assert_eq!(whole.deletions.len(), 1);
    }

    #[test]
    fn a_table_as_column_names_and_row_arrays_is_read_as_the_same_rows() {
        let objects: Pull = serde_json::from_str(&answer(5)).unwrap();
        // The shape `shape=rows` asks for; an unknown column (`id`) is skipped, the
        // columns in another order than the desktop's.
        let arrays = r#"{"watermark": "812", "changes": {"economy": {
            "columns": ["id", "unit", "month", "forecast", "actual", "budget", "version", "cell_versions"],
            "rows": [
              [1, "00000", 24300, null, null, 0, 7, {"budget": 7, "actual": 7, "forecast": 7}],
              [2, "00001", 24300, null, null, 1, 7, {"budget": 7, "actual": 7, "forecast": 7}],
              [3, "00002", 24300, null, null, 2, 7, {"budget": 7, "actual": 7, "forecast": 7}],
              [4, "00003", 24300, null, null, 3, 7, {"budget": 7, "actual": 7, "forecast": 7}],
              [5, "00004", 24300, null, null, 4, 7, {"budget": 7, "actual": 7, "forecast": 7}]]}}}"#;
        let arrays: Pull = serde_json::from_str(arrays).unwrap();
        assert_eq!(arrays.changes.0["economy"], objects.changes.0["economy"]);
        // A row with a value too few or too many, or rows before their names, is refused.
        for bad in [
            r#"{"columns": ["unit", "month"], "rows": [["1"]]}"#,
            r#"{"columns": ["unit"], "rows": [["1", 2]]}"#,
            r#"{"rows": [["1"]], "columns": ["unit"]}"#,
        ] {
            let text = format!(r#"{{"watermark": "1", "changes": {{"economy": {bad}}}}}"#);
            assert!(serde_json::from_str::<Pull>(&text).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_cut_off_answer_never_ends() {
        let text = answer(5_000);
        let cut = &text[..text.len() / 2];
        let (parts, result) = parts(cut);
        let e = result.unwrap_err();
        assert!(e.is_eof(), "{e}");
        assert!(!parts.contains(&PullPart::End));
        assert!(matches!(parts[0], PullPart::Head(_)));
    }

    #[test]
    fn a_value_is_read_as_into_sql_makes_it_from_json() {
        for text in [
            "null",
            "true",
            "false",
            "0",
            "-7",
            "80",
            "80.5",
            "1e3",
            "18446744073709551615",
            "\"tekst\"",
            "\"\\u00f8\"",
            "[1,\"a\"]",
            "{\"b\":1}",
        ] {
            let mut de = serde_json::Deserializer::from_str(text);
            let direct = SqlSeed.deserialize(&mut de).unwrap();
            let via_value = into_sql(serde_json::from_str(text).unwrap());
            assert_eq!(direct, via_value, "{text}");
        }
    }

    #[test]
    fn rows_before_the_watermark_are_refused() {
        let (parts, result) = parts(r#"{"changes": {"economy": []}, "watermark": "1"}"#);
        assert!(result.unwrap_err().to_string().contains("watermark"));
        assert!(parts.is_empty());
    }

    #[test]
    fn an_answer_without_rows_still_has_its_head() {
        let (parts, result) = parts(r#"{"watermark": "9", "reset": false}"#);
        result.unwrap();
        assert_eq!(
            parts,
            [
                PullPart::Head(PullHead {
                    watermark: "9".into(),
                    scope: None,
                    reset: false
                }),
                PullPart::End
            ]
        );
    }

    #[test]
    fn reading_stops_when_the_parts_are_no_longer_wanted() {
        let mut taken = 0;
        let result = read_pull(answer(10_000).as_bytes(), &mut |_| {
            taken += 1;
            taken < 2
        });
        assert!(result.unwrap_err().to_string().contains("stoppet"));
        assert_eq!(taken, 2);
    }
}
