//! Reading the model back from rows: every text key and month index that comes out of the
//! database is parsed and checked, so a damaged file gives an error, never a panic.

use std::collections::{BTreeSet, HashMap};

use rusqlite::{Connection, Row};

use crate::error::{Error, Result};
use crate::model::{
    Aggregation, Comment, Direction, Figure, Frequency, Indicator, LockedMonth, Perspective,
    Target, Unit, UnitRollup,
};
use crate::period::{Month, Period};

fn damaged(what: String) -> Error {
    Error::Corrupt(what)
}

pub fn units(conn: &Connection) -> Result<Vec<Unit>> {
    let mut stmt =
        conn.prepare_cached("SELECT code, name, parent, level FROM units ORDER BY sort, code")?;
    let rows = stmt.query_map([], |r| {
        Ok(Unit {
            code: r.get(0)?,
            name: r.get(1)?,
            parent: r.get(2)?,
            level: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// The stored units by code, with their sort position.
pub fn units_by_code(conn: &Connection) -> Result<HashMap<String, (Unit, i64)>> {
    let mut stmt = conn.prepare_cached("SELECT code, name, parent, level, sort FROM units")?;
    let rows = stmt.query_map([], |r| {
        let unit = Unit {
            code: r.get(0)?,
            name: r.get(1)?,
            parent: r.get(2)?,
            level: r.get(3)?,
        };
        Ok((unit.code.clone(), (unit, r.get::<_, i64>(4)?)))
    })?;
    Ok(rows.collect::<rusqlite::Result<HashMap<_, _>>>()?)
}

pub const INDICATOR_COLUMNS: &str = "code, name, perspective, goal, description, source, \
    responsible, unit_label, decimals, direction, frequency, aggregation, unit_rollup, factor, \
    builtin";

struct RawIndicator {
    code: String,
    name: String,
    perspective: String,
    goal: Option<String>,
    description: String,
    source: String,
    responsible: String,
    unit_label: String,
    decimals: i64,
    direction: String,
    frequency: String,
    aggregation: String,
    unit_rollup: String,
    factor: f64,
    builtin: bool,
}

fn raw_indicator(r: &Row<'_>) -> rusqlite::Result<RawIndicator> {
    Ok(RawIndicator {
        code: r.get(0)?,
        name: r.get(1)?,
        perspective: r.get(2)?,
        goal: r.get(3)?,
        description: r.get(4)?,
        source: r.get(5)?,
        responsible: r.get(6)?,
        unit_label: r.get(7)?,
        decimals: r.get(8)?,
        direction: r.get(9)?,
        frequency: r.get(10)?,
        aggregation: r.get(11)?,
        unit_rollup: r.get(12)?,
        factor: r.get(13)?,
        builtin: r.get(14)?,
    })
}

fn indicator(raw: RawIndicator) -> Result<Indicator> {
    let field = |what: &str, text: &str| {
        damaged(format!(
            "indikator «{}» har ukjent {what} «{text}»",
            raw.code
        ))
    };
    Ok(Indicator {
        perspective: Perspective::parse(&raw.perspective)
            .ok_or_else(|| field("perspektiv", &raw.perspective))?,
        decimals: u8::try_from(raw.decimals)
            .ok()
            .filter(|d| *d <= 4)
            .ok_or_else(|| field("antall desimaler", &raw.decimals.to_string()))?,
        direction: Direction::parse(&raw.direction)
            .ok_or_else(|| field("retning", &raw.direction))?,
        frequency: Frequency::parse(&raw.frequency)
            .ok_or_else(|| field("frekvens", &raw.frequency))?,
        aggregation: Aggregation::parse(&raw.aggregation)
            .ok_or_else(|| field("aggregering", &raw.aggregation))?,
        unit_rollup: UnitRollup::parse(&raw.unit_rollup)
            .ok_or_else(|| field("enhetsaggregering", &raw.unit_rollup))?,
        code: raw.code,
        name: raw.name,
        goal: raw.goal,
        description: raw.description,
        source: raw.source,
        responsible: raw.responsible,
        unit_label: raw.unit_label,
        factor: raw.factor,
        builtin: raw.builtin,
    })
}

pub fn indicators(conn: &Connection) -> Result<Vec<Indicator>> {
    let sql = format!("SELECT {INDICATOR_COLUMNS} FROM indicators ORDER BY code");
    let mut stmt = conn.prepare_cached(&sql)?;
    let raws = stmt
        .query_map([], raw_indicator)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    raws.into_iter().map(indicator).collect()
}

pub fn perspective_names(conn: &Connection) -> Result<Vec<(Perspective, String)>> {
    let mut stmt = conn.prepare_cached("SELECT key, name FROM perspectives ORDER BY sort")?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(key, name)| {
            let p = Perspective::parse(&key)
                .ok_or_else(|| damaged(format!("ukjent perspektiv «{key}»")))?;
            Ok((p, name))
        })
        .collect()
}

pub fn target(r: &Row<'_>) -> rusqlite::Result<Target> {
    Ok(Target {
        indicator: r.get(0)?,
        unit: r.get(1)?,
        year: r.get(2)?,
        target: r.get(3)?,
        red_limit: r.get(4)?,
        reference: r.get(5)?,
    })
}

pub const TARGET_COLUMNS: &str = "indicator, unit, year, target, red_limit, reference";

/// The span a stored (first, last) month pair is: spans are aligned to the year, so the
/// length tells the frequency.
pub fn span(first: i64, last: i64) -> Result<Period> {
    let bad = || damaged(format!("ugyldig periode (måned {first} til {last})"));
    let first_month = Month::from_index(i32::try_from(first).map_err(|_| bad())?);
    let frequency = match last - first + 1 {
        1 => Frequency::Maned,
        3 => Frequency::Kvartal,
        4 => Frequency::Tertial,
        6 => Frequency::Halvar,
        12 => Frequency::Ar,
        _ => return Err(bad()),
    };
    let span = Period::span_of(frequency, first_month);
    if span.first() != first_month || Month::new(first_month.year(), first_month.month()).is_none()
    {
        return Err(bad());
    }
    Ok(span)
}

pub fn figure(
    value: Option<f64>,
    numerator: Option<f64>,
    denominator: Option<f64>,
) -> Result<Figure> {
    match (value, numerator, denominator) {
        (Some(value), None, None) => Ok(Figure::Value { value }),
        (None, Some(numerator), Some(denominator)) => Ok(Figure::Ratio {
            numerator,
            denominator,
        }),
        _ => Err(damaged(
            "en måling har verken verdi eller teller og nevner".to_string(),
        )),
    }
}

/// The columns of `measurement`, in its order.
pub const COMMENT_COLUMNS: &str =
    "id, indicator, unit, period, author, text, created_at, updated_at, uid";

pub fn comment(r: &Row<'_>) -> rusqlite::Result<Comment> {
    Ok(Comment {
        id: r.get(0)?,
        indicator: r.get(1)?,
        unit: r.get(2)?,
        period: r.get(3)?,
        author: r.get(4)?,
        text: r.get(5)?,
        created_at: r.get(6)?,
        updated_at: r.get(7)?,
        uid: r.get(8)?,
    })
}

pub fn locked_months(conn: &Connection) -> Result<Vec<LockedMonth>> {
    let mut stmt = conn
        .prepare_cached("SELECT month, locked_by, locked_at FROM locked_months ORDER BY month")?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(month, locked_by, locked_at)| {
            Ok(LockedMonth {
                month: month_from_index(month)?.id(),
                locked_by,
                locked_at,
            })
        })
        .collect()
}

pub fn locked_set(conn: &Connection) -> Result<BTreeSet<Month>> {
    let mut stmt = conn.prepare_cached("SELECT month FROM locked_months")?;
    let rows = stmt
        .query_map([], |r| r.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(month_from_index).collect()
}

pub fn month_from_index(index: i64) -> Result<Month> {
    i32::try_from(index)
        .ok()
        .map(Month::from_index)
        .filter(|m| Month::new(m.year(), m.month()).is_some())
        .ok_or_else(|| damaged(format!("ugyldig måned (indeks {index})")))
}
