//! The economy table (economy.md): per (unit, month) budget, accounts and forecast in
//! integer øre, changed figure by figure and audited; locked months refused.
//!
//! `apply` sorts the changes into the table's key order (month, unit), reads the stored
//! rows of the months they span with one range scan and merges, so a big import costs one
//! scan plus the writes; new rows go in a hundred per INSERT, and audit entries a hundred
//! per INSERT. A row whose three figures all end up empty is deleted. Audit entries
//! (entity `økonomi`, key `unit / month`) carry the row's figures as kroner text.

use std::collections::HashSet;

use rusqlite::{params, Connection};

use crate::error::{Error, Result};
use crate::model::{amount_out_of_range, EconomyChange, EconomyMonth, FieldChange};
use crate::period::Month;

use super::audit::Writer;
use super::rows;
use super::ApplySummary;

/// A row's three figures: budget, actual, forecast (øre).
type Figures = [Option<i64>; 3];

fn apply_field(old: Option<i64>, change: FieldChange) -> Option<i64> {
    match change {
        FieldChange::Keep => old,
        FieldChange::Set(v) => Some(v),
        FieldChange::Clear => None,
    }
}

fn touches(c: &EconomyChange) -> bool {
    [c.budget, c.actual, c.forecast]
        .iter()
        .any(|f| *f != FieldChange::Keep)
}

/// Øre as kroner text without rounding, the Norwegian way: `1234567,50`, `−500,00`.
pub fn kroner_text(ore: i64) -> String {
    let sign = if ore < 0 { "−" } else { "" };
    let abs = ore.unsigned_abs();
    format!("{sign}{},{:02}", abs / 100, abs % 100)
}

/// The audit JSON of a row's figures: `{"budsjett":"1200,00","regnskap":null,…}`.
fn figures_json(f: &Figures) -> String {
    let text = |v: Option<i64>| v.map(kroner_text);
    serde_json::json!({
        "budsjett": text(f[0]),
        "regnskap": text(f[1]),
        "prognose": text(f[2]),
    })
    .to_string()
}

/// Applies economy changes inside the caller's write transaction; `log` `None` (the demo)
/// writes no per-row audit entries.
pub fn apply(
    conn: &Connection,
    changes: &[EconomyChange],
    log: Option<&Writer<'_>>,
) -> Result<ApplySummary> {
    let mut summary = ApplySummary::default();
    if changes.is_empty() {
        return Ok(summary);
    }
    let units: HashSet<String> = {
        let mut stmt = conn.prepare_cached("SELECT code FROM units")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<HashSet<String>>>()?
    };
    let locked = rows::locked_set(conn)?;
    for c in changes {
        if !units.contains(&c.unit) {
            return Err(Error::UnknownUnit(c.unit.clone()));
        }
        if touches(c) && locked.contains(&c.month) {
            return Err(Error::LockedMonth(c.month.id()));
        }
        for (what, field) in [
            ("budsjett", c.budget),
            ("regnskap", c.actual),
            ("prognose", c.forecast),
        ] {
            if let FieldChange::Set(ore) = field {
                if let Some(why) = amount_out_of_range(ore) {
                    return Err(Error::invalid_field(
                        what,
                        format!(
                            "økonomi for {} / {}, {what} {} kr: {why}",
                            c.unit,
                            c.month,
                            kroner_text(ore)
                        ),
                    ));
                }
            }
        }
    }
    // Key order (month, unit): the stored rows are read in the same order and merged.
    let mut order: Vec<usize> = (0..changes.len()).collect();
    order.sort_unstable_by(|&a, &b| {
        (changes[a].month, changes[a].unit.as_str())
            .cmp(&(changes[b].month, changes[b].unit.as_str()))
    });
    if let Some(w) = order.windows(2).find(|w| {
        (changes[w[0]].month, &changes[w[0]].unit) == (changes[w[1]].month, &changes[w[1]].unit)
    }) {
        let c = &changes[w[1]];
        return Err(Error::Duplicate(format!(
            "økonomi for {} / {}",
            c.unit, c.month
        )));
    }
    let (Some(&lo), Some(&hi)) = (order.first(), order.last()) else {
        return Ok(summary);
    };
    let (lo, hi) = (changes[lo].month.index(), changes[hi].month.index());

    // What happens to each change, in key order; the scan ends before anything is written.
    enum Outcome {
        Insert(Figures),
        Update(Figures, Figures),
        Delete(Figures),
    }
    let mut outcomes: Vec<(usize, Outcome)> = Vec::new();
    {
        let mut select = conn.prepare_cached(
            "SELECT month, unit, budget, actual, forecast FROM economy
             WHERE month BETWEEN ?1 AND ?2 ORDER BY month, unit",
        )?;
        let mut stored = select.query(params![lo, hi])?;
        let mut row = stored.next()?;
        for &i in &order {
            let c = &changes[i];
            let key = (c.month.index(), c.unit.as_str());
            let old: Option<Figures> = loop {
                let Some(r) = row else { break None };
                let month: i32 = r.get(0)?;
                let unit = r.get_ref(1)?.as_str().map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(
                        1,
                        rusqlite::types::Type::Text,
                        Box::new(e),
                    )
                })?;
                match (month, unit).cmp(&key) {
                    std::cmp::Ordering::Less => row = stored.next()?,
                    std::cmp::Ordering::Equal => break Some([r.get(2)?, r.get(3)?, r.get(4)?]),
                    std::cmp::Ordering::Greater => break None,
                }
            };
            let base = old.unwrap_or([None; 3]);
            let new = [
                apply_field(base[0], c.budget),
                apply_field(base[1], c.actual),
                apply_field(base[2], c.forecast),
            ];
            let empty = new == [None; 3];
            match old {
                None if empty => summary.unchanged += 1,
                None => {
                    summary.created += 1;
                    outcomes.push((i, Outcome::Insert(new)));
                }
                Some(old) if old == new => summary.unchanged += 1,
                Some(old) if empty => {
                    summary.changed += 1;
                    outcomes.push((i, Outcome::Delete(old)));
                }
                Some(old) => {
                    summary.changed += 1;
                    outcomes.push((i, Outcome::Update(old, new)));
                }
            }
        }
    }

    let mut update = conn.prepare_cached(
        "UPDATE economy SET budget = ?3, actual = ?4, forecast = ?5 WHERE month = ?1 AND unit = ?2",
    )?;
    let mut delete = conn.prepare_cached("DELETE FROM economy WHERE month = ?1 AND unit = ?2")?;
    let mut inserts: Vec<(&EconomyChange, Figures)> = Vec::new();
    for (i, outcome) in &outcomes {
        let c = &changes[*i];
        match outcome {
            Outcome::Insert(new) => inserts.push((c, *new)),
            Outcome::Update(_, new) => {
                update.execute(params![c.month.index(), c.unit, new[0], new[1], new[2]])?;
            }
            Outcome::Delete(_) => {
                delete.execute(params![c.month.index(), c.unit])?;
            }
        }
    }
    insert_rows(conn, &inserts)?;

    if let Some(log) = log {
        let entries: Vec<(&EconomyChange, Option<String>, Option<String>)> = outcomes
            .iter()
            .map(|(i, o)| {
                let (old, new) = match o {
                    Outcome::Insert(new) => (None, Some(figures_json(new))),
                    Outcome::Update(old, new) => (Some(figures_json(old)), Some(figures_json(new))),
                    Outcome::Delete(old) => (Some(figures_json(old)), None),
                };
                (&changes[*i], old, new)
            })
            .collect();
        write_audit(conn, log, &entries)?;
    }
    Ok(summary)
}

fn insert_rows(conn: &Connection, rows: &[(&EconomyChange, Figures)]) -> Result<()> {
    super::batch::insert(
        conn,
        "INSERT INTO economy (month, unit, budget, actual, forecast) VALUES ",
        "(?, ?, ?, ?, ?)",
        5,
        rows,
        |stmt, at, (c, f)| {
            stmt.raw_bind_parameter(at, c.month.index())?;
            stmt.raw_bind_parameter(at + 1, &c.unit)?;
            stmt.raw_bind_parameter(at + 2, f[0])?;
            stmt.raw_bind_parameter(at + 3, f[1])?;
            stmt.raw_bind_parameter(at + 4, f[2])
        },
    )
}

/// One audit entry per created, changed or removed row, a hundred per INSERT.
fn write_audit(
    conn: &Connection,
    log: &Writer<'_>,
    entries: &[(&EconomyChange, Option<String>, Option<String>)],
) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let batch = log.batch(conn)?;
    super::batch::insert(
        conn,
        "INSERT INTO audit (batch, entity, key, unit, period, old, new) VALUES ",
        "(?, 'økonomi', ?, ?, ?, ?, ?)",
        6,
        entries,
        |stmt, at, (c, old, new)| {
            let period = c.month.id();
            stmt.raw_bind_parameter(at, batch)?;
            stmt.raw_bind_parameter(at + 1, format!("{} / {}", c.unit, period))?;
            stmt.raw_bind_parameter(at + 2, &c.unit)?;
            stmt.raw_bind_parameter(at + 3, &period)?;
            stmt.raw_bind_parameter(at + 4, old)?;
            stmt.raw_bind_parameter(at + 5, new)
        },
    )
}

/// The economy rows of the months `first..=last`, by (month, unit).
pub fn load(conn: &Connection, first: Month, last: Month) -> Result<Vec<EconomyMonth>> {
    let mut stmt = conn.prepare_cached(
        "SELECT unit, month, budget, actual, forecast FROM economy
         WHERE month BETWEEN ?1 AND ?2 ORDER BY month, unit",
    )?;
    let rows = stmt.query_map(params![first.index(), last.index()], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, Option<i64>>(2)?,
            r.get::<_, Option<i64>>(3)?,
            r.get::<_, Option<i64>>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (unit, month, budget, actual, forecast) = row?;
        out.push(EconomyMonth {
            unit,
            month: rows::month_from_index(month)?,
            budget,
            actual,
            forecast,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kroner_text_is_exact_with_a_real_minus() {
        assert_eq!(kroner_text(123_456_750), "1234567,50");
        assert_eq!(kroner_text(-50_000), "−500,00");
        assert_eq!(kroner_text(5), "0,05");
        assert_eq!(kroner_text(0), "0,00");
    }
}
