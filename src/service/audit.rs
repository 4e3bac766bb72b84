//! The audit log for people: each stored entry (old and new value as JSON, codes, RFC 3339
//! times) in Norwegian words — what kind of thing, which unit and indicator by name, the
//! period as a label, the time in local time, numbers grouped (`1 618 434,78 kr`), and only
//! the fields that changed. The app's audit panel and `malkart audit` both show these rows.

use std::collections::HashMap;

use chrono::{DateTime, TimeZone};
use serde::Serialize;
use serde_json::Value;
use ts_rs::TS;

use crate::error::Result;
use crate::model::{AuditEntry, Perspective};
use crate::number::{parse_decimal, Decimal};
use crate::period::Period;
use crate::storage::{AuditFilter, Store, CONFLICT_ENTITY, UNMASKED};

/// One audit entry in words.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct AuditRow {
    /// This database's number for the entry.
    pub id: i64,
    /// The stored time, RFC 3339 (for sorting and machines).
    pub at: String,
    /// The time in local time: `01.12.2026 kl. 23:02`.
    pub time: String,
    pub user: String,
    /// `manuell`, `demo`, or the import file's name.
    pub source: String,
    /// What kind of thing: `Måling`, `Mål`, `Låst måned`, …
    pub what: String,
    /// Which one, with names: `SF Sykefravær · 2110 Furulund sykehjem · november 2026`.
    pub subject: String,
    /// `opprettet`, `endret`, `slettet`, `låst`, `låst opp`, …
    pub action: String,
    /// The fields that changed (on creation or deletion: the fields that hold something).
    pub changes: Vec<AuditField>,
    /// For unlocks: the reason given.
    pub reason: Option<String>,
}

/// One field of an entry: its Norwegian label and its value before and after, in words.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct AuditField {
    pub label: String,
    /// `None`: the field had no value before (or the thing was created).
    pub old: Option<String>,
    /// `None`: the field has no value after (or the thing was deleted).
    pub new: Option<String>,
    /// The field in one phrase: `Regnskap: 1 500 000,00 kr → 1 612 000,50 kr` for a change,
    /// `Navn: Furulund sykehjem` on creation or deletion.
    pub text: String,
}

impl AuditRow {
    /// The change in one line: `Verdi: 6,9 % → 7,3 %; Teller: 12 → 13`, `Navn: Furulund`,
    /// and an unlock's reason.
    pub fn change_text(&self) -> String {
        let mut parts: Vec<String> = self.changes.iter().map(|f| f.text.clone()).collect();
        if let Some(reason) = &self.reason {
            parts.push(format!("Grunn: {reason}"));
        }
        parts.join("; ")
    }
}

impl AuditField {
    /// `changed`: the entry is a change (old → new, a missing side `–`); otherwise a
    /// creation or deletion, written `Label: value`.
    fn new(label: String, old: Option<String>, new: Option<String>, changed: bool) -> AuditField {
        let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "–".to_string());
        let text = if changed {
            format!("{label}: {} → {}", dash(&old), dash(&new))
        } else {
            format!("{label}: {}", dash(&old.clone().or_else(|| new.clone())))
        };
        AuditField {
            label,
            old,
            new,
            text,
        }
    }
}

/// The names the rows show beside codes.
#[derive(Default)]
pub struct Names {
    /// Unit code → name.
    pub units: HashMap<String, String>,
    /// Indicator code → (name, unit label).
    pub indicators: HashMap<String, (String, String)>,
}

impl Names {
    pub fn of(store: &Store) -> Result<Names> {
        Ok(Names {
            units: store
                .units()?
                .into_iter()
                .map(|u| (u.code, u.name))
                .collect(),
            indicators: store
                .indicators()?
                .into_iter()
                .map(|i| (i.code, (i.name, i.unit_label)))
                .collect(),
        })
    }

    fn unit(&self, code: &str) -> String {
        match self.units.get(code) {
            Some(name) => format!("{code} {name}"),
            None => code.to_string(),
        }
    }

    fn indicator(&self, code: &str) -> String {
        match self.indicators.get(code) {
            Some((name, _)) => format!("{code} {name}"),
            None => code.to_string(),
        }
    }

    fn unit_label(&self, indicator: &str) -> &str {
        self.indicators
            .get(indicator)
            .map_or("", |(_, label)| label.as_str())
    }
}

/// The audit log in words, newest first (the filter as `admin::audit` reads it), times in
/// the time zone `tz` (the door passes `chrono::Local`).
pub fn rows<Tz: TimeZone>(store: &Store, filter: &AuditFilter, tz: &Tz) -> Result<Vec<AuditRow>>
where
    Tz::Offset: std::fmt::Display,
{
    let entries = super::admin::audit(store, filter)?;
    let names = Names::of(store)?;
    Ok(entries.iter().map(|e| describe(e, &names, tz)).collect())
}

/// `2026-12-01T22:02:22+00:00` in `tz` as `01.12.2026 kl. 23:02`; text that is not RFC 3339
/// is kept as it is.
pub fn local_time<Tz: TimeZone>(rfc3339: &str, tz: &Tz) -> String
where
    Tz::Offset: std::fmt::Display,
{
    match DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => t.with_timezone(tz).format("%d.%m.%Y kl. %H:%M").to_string(),
        Err(_) => rfc3339.to_string(),
    }
}

/// An exact number the Norwegian way: `1618434.78` → `1 618 434,78`, `-2` → `−2`.
fn number(value: f64) -> String {
    // No figure Målkart stores has more than a handful of decimals; a float beyond 30 is
    // written as Rust writes it rather than padded.
    match Decimal::from_f64(value).map(|d| (d, u8::try_from(d.scale))) {
        Some((d, Ok(scale))) if scale <= 30 => crate::format::decimal(d, scale),
        _ => value.to_string(),
    }
}

/// How a field's value is written.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    /// An exact number, grouped.
    Number,
    /// A measured value: a number with the indicator's unit label.
    Measured,
    /// Kroner as stored (`1234567,50`): grouped, with `kr`.
    Kroner,
    Time,
    Unit,
    Indicator,
    Period,
    YesNo,
    Direction,
    Perspective,
    /// Whole øre as stored (`125000050`): kroner with øre, grouped, with `kr`.
    Ore,
    /// A tiltak's status key (`pagar`): its word (`pågår`).
    ActionStatus,
}

/// (JSON key, label, kind) per entity, in the order shown; `identity` keys are in the
/// subject already and are not repeated on creation or deletion.
struct Fields {
    fields: &'static [(&'static str, &'static str, Kind)],
    identity: &'static [&'static str],
}

const UNIT: Fields = Fields {
    fields: &[
        ("code", "Kode", Kind::Text),
        ("name", "Navn", Kind::Text),
        ("parent", "Overordnet enhet", Kind::Unit),
        ("level", "Nivå", Kind::Text),
    ],
    identity: &["code"],
};

const INDICATOR: Fields = Fields {
    fields: &[
        ("code", "Kode", Kind::Text),
        ("name", "Navn", Kind::Text),
        ("perspective", "Perspektiv", Kind::Perspective),
        ("goal", "Fokusområde", Kind::Text),
        ("description", "Beskrivelse", Kind::Text),
        ("source", "Kilde", Kind::Text),
        ("responsible", "Ansvarlig", Kind::Text),
        ("unit_label", "Måleenhet", Kind::Text),
        ("decimals", "Desimaler", Kind::Number),
        ("direction", "Retning", Kind::Direction),
        ("frequency", "Frekvens", Kind::Text),
        ("aggregation", "Sammenstilling over tid", Kind::Text),
        ("unit_rollup", "Sammenstilling over enheter", Kind::Text),
        ("factor", "Faktor", Kind::Number),
        ("builtin", "Innebygd", Kind::YesNo),
    ],
    identity: &["code"],
};

const TARGET: Fields = Fields {
    fields: &[
        ("indicator", "Indikator", Kind::Indicator),
        ("unit", "Enhet", Kind::Unit),
        ("year", "År", Kind::Text),
        ("target", "Mål", Kind::Measured),
        ("red_limit", "Rød grense", Kind::Measured),
    ],
    identity: &["indicator", "unit", "year"],
};

const MEASUREMENT: Fields = Fields {
    fields: &[
        ("value", "Verdi", Kind::Measured),
        ("numerator", "Teller", Kind::Number),
        ("denominator", "Nevner", Kind::Number),
    ],
    identity: &[],
};

const SICK_LEAVE: Fields = Fields {
    fields: &[
        ("enhet", "Enhet", Kind::Unit),
        ("periode", "Måned", Kind::Period),
        ("avtalte_dagsverk", "Avtalte dagsverk", Kind::Number),
        ("egenmeldt", "Egenmeldte dagsverk", Kind::Number),
        ("legemeldt", "Legemeldte dagsverk", Kind::Number),
        ("ansatte", "Ansatte", Kind::Number),
        ("dager_1_3", "Dagsverk, fravær 1–3 dager", Kind::Number),
        ("dager_4_16", "Dagsverk, fravær 4–16 dager", Kind::Number),
        ("dager_17_56", "Dagsverk, fravær 17–56 dager", Kind::Number),
        (
            "dager_over_56",
            "Dagsverk, fravær over 56 dager",
            Kind::Number,
        ),
    ],
    identity: &["enhet", "periode"],
};

const ECONOMY: Fields = Fields {
    fields: &[
        ("budsjett", "Budsjett", Kind::Kroner),
        ("regnskap", "Regnskap", Kind::Kroner),
        ("prognose", "Prognose", Kind::Kroner),
    ],
    identity: &[],
};

const LOCK: Fields = Fields {
    fields: &[
        ("month", "Måned", Kind::Period),
        ("locked_by", "Låst av", Kind::Text),
        ("locked_at", "Låst", Kind::Time),
    ],
    identity: &["month"],
};

const ACTION: Fields = Fields {
    fields: &[
        ("code", "Kode", Kind::Text),
        ("title", "Tittel", Kind::Text),
        ("description", "Beskrivelse", Kind::Text),
        ("goal", "Mål", Kind::Text),
        ("success_factor", "Suksessfaktor", Kind::Text),
        ("unit", "Enhet", Kind::Unit),
        ("responsible", "Ansvarlig", Kind::Text),
        ("kind", "Type", Kind::Text),
        ("decision_ref", "Vedtak", Kind::Text),
        ("start", "Start", Kind::Period),
        ("deadline", "Frist", Kind::Period),
        ("status", "Status", Kind::ActionStatus),
        ("progress", "Fremdrift %", Kind::Number),
        ("cost_ore", "Kostnad", Kind::Ore),
        ("indicators", "Indikatorer", Kind::Text),
    ],
    identity: &["code"],
};

const ACTION_COMMENT: Fields = Fields {
    fields: &[
        ("id", "Nummer", Kind::Text),
        ("uid", "Id", Kind::Text),
        ("action", "Tiltak", Kind::Text),
        ("period", "Periode", Kind::Period),
        ("author", "Skrevet av", Kind::Text),
        ("text", "Tekst", Kind::Text),
        ("created_at", "Skrevet", Kind::Time),
        ("updated_at", "Sist endret", Kind::Time),
    ],
    identity: &["action", "period"],
};

const COMMENT: Fields = Fields {
    fields: &[
        ("id", "Nummer", Kind::Text),
        ("uid", "Id", Kind::Text),
        ("indicator", "Indikator", Kind::Indicator),
        ("unit", "Enhet", Kind::Unit),
        ("period", "Periode", Kind::Period),
        ("author", "Skrevet av", Kind::Text),
        ("text", "Tekst", Kind::Text),
        ("created_at", "Skrevet", Kind::Time),
        ("updated_at", "Sist endret", Kind::Time),
    ],
    identity: &["id", "uid", "indicator", "unit", "period"],
};

/// The label of the one setting stored so far.
const MIN_EMPLOYEES_LABEL: &str = "Minste antall ansatte for å vise sykefravær";

fn period_label(id: &str) -> String {
    Period::parse(id).map_or_else(|_| id.to_string(), |p| p.label())
}

/// One entry in words.
pub fn describe<Tz: TimeZone>(e: &AuditEntry, names: &Names, tz: &Tz) -> AuditRow
where
    Tz::Offset: std::fmt::Display,
{
    let indicator = e.indicator.as_deref();
    let write = |kind: Kind, v: &Value| -> Option<String> {
        let text = match v {
            Value::Null => return None,
            Value::String(s) if s.is_empty() => return None,
            Value::String(s) => s.clone(),
            Value::Bool(b) => return Some(if *b { "ja" } else { "nei" }.to_string()),
            // A list of codes (a tiltak's indicators): `SF, SF-KORT`.
            Value::Array(items) if items.is_empty() => return None,
            Value::Array(items) => {
                return Some(
                    items
                        .iter()
                        .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
                        .collect::<Vec<_>>()
                        .join(", "),
                )
            }
            Value::Number(n) if matches!(kind, Kind::Ore) => {
                return Some(match n.as_i64() {
                    Some(ore) => format!(
                        "{} kr",
                        crate::format::decimal(
                            crate::number::Decimal {
                                digits: i128::from(ore),
                                scale: 2,
                            },
                            2,
                        )
                    ),
                    None => n.to_string(),
                })
            }
            Value::Number(n) => {
                let grouped = n.as_f64().map_or_else(|| n.to_string(), number);
                return Some(match kind {
                    Kind::Measured => {
                        let label = indicator.map_or("", |i| names.unit_label(i)).trim();
                        if label.is_empty() {
                            grouped
                        } else {
                            format!("{grouped} {label}")
                        }
                    }
                    Kind::Number => grouped,
                    // Years, ids and settings are written as they are (`2026`, not `2 026`).
                    _ => n.to_string(),
                });
            }
            other => other.to_string(),
        };
        Some(match kind {
            Kind::Kroner => match parse_decimal(&text) {
                Ok(d) => format!("{} kr", crate::format::decimal(d, 2)),
                Err(_) => text,
            },
            Kind::Time => local_time(&text, tz),
            Kind::Unit => names.unit(&text),
            Kind::Indicator => names.indicator(&text),
            Kind::Period => period_label(&text),
            Kind::Direction => match text.as_str() {
                "høy" => "høyere er bedre".to_string(),
                "lav" => "lavere er bedre".to_string(),
                _ => text,
            },
            Kind::Perspective => {
                Perspective::parse(&text).map_or(text, |p| p.default_name().to_string())
            }
            Kind::ActionStatus => {
                crate::model::ActionStatus::parse(&text).map_or(text, |s| s.word().to_string())
            }
            Kind::Text | Kind::Number | Kind::Measured | Kind::YesNo | Kind::Ore => text,
        })
    };
    let parse = |json: &Option<String>| -> Option<Value> {
        json.as_deref().map(|j| {
            serde_json::from_str::<Value>(j).unwrap_or_else(|_| Value::String(j.to_string()))
        })
    };
    let (old, new) = (parse(&e.old), parse(&e.new));
    let action = match (&old, &new) {
        (None, Some(_)) => "opprettet",
        (Some(_), None) => "slettet",
        (Some(_), Some(_)) => "endret",
        (None, None) => "registrert",
    };
    let unit = e.unit.as_deref().map(|u| names.unit(u));
    let period = e.period.as_deref().map(period_label);
    let join = |parts: &[Option<String>]| -> String {
        parts
            .iter()
            .flatten()
            .cloned()
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let indicator_name = indicator.map(|i| names.indicator(i));

    let (what, subject, fields, action): (&str, String, Option<&Fields>, String) =
        match e.entity.as_str() {
            "måling" => (
                "Måling",
                join(&[indicator_name, unit, period]),
                Some(&MEASUREMENT),
                action.to_string(),
            ),
            "mål" => (
                "Mål",
                join(&[
                    indicator_name,
                    Some(unit.unwrap_or_else(|| "alle enheter (standard)".to_string())),
                    e.period.clone(),
                ]),
                Some(&TARGET),
                action.to_string(),
            ),
            "enhet" => ("Enhet", names.unit(&e.key), Some(&UNIT), action.to_string()),
            "indikator" => (
                "Indikator",
                names.indicator(&e.key),
                Some(&INDICATOR),
                action.to_string(),
            ),
            "sykefravær" => (
                "Sykefravær",
                join(&[unit, period]),
                Some(&SICK_LEAVE),
                action.to_string(),
            ),
            "økonomi" => (
                "Økonomi",
                join(&[unit, period]),
                Some(&ECONOMY),
                action.to_string(),
            ),
            "lås" => (
                "Låst måned",
                period.unwrap_or_else(|| period_label(&e.key)),
                Some(&LOCK),
                match action {
                    "opprettet" => "låst",
                    "slettet" => "låst opp",
                    other => other,
                }
                .to_string(),
            ),
            "kommentar" => (
                "Kommentar",
                join(&[indicator_name, unit, period]),
                Some(&COMMENT),
                action.to_string(),
            ),
            "tiltak" => (
                "Tiltak",
                join(&[Some(e.key.clone()), unit]),
                Some(&ACTION),
                action.to_string(),
            ),
            "tiltakskommentar" => (
                "Statuskommentar",
                join(&[
                    Some(e.key.split(" / ").next().unwrap_or("").to_string()),
                    period,
                ]),
                Some(&ACTION_COMMENT),
                action.to_string(),
            ),
            "perspektiv" => (
                "Perspektivnavn",
                Perspective::parse(&e.key)
                    .map_or_else(|| e.key.clone(), |p| p.default_name().to_string()),
                None,
                action.to_string(),
            ),
            "innstilling" => (
                "Innstilling",
                if e.key == "min_employees" {
                    MIN_EMPLOYEES_LABEL.to_string()
                } else {
                    e.key.clone()
                },
                None,
                action.to_string(),
            ),
            UNMASKED => (
                "Umaskert sykefravær",
                unmasked_subject(&e.key, names),
                None,
                match (&old, &new) {
                    (_, Some(Value::String(s))) if s == "på" => "slått på".to_string(),
                    (_, Some(Value::String(s))) if s == "av" => "slått av".to_string(),
                    _ => "vist".to_string(),
                },
            ),
            // A conflict resolved (sharing.md §4): the cell in words, the choice in the
            // reason («Behold min (konflikt …)»), the value replaced and the value kept.
            CONFLICT_ENTITY => (
                "Konflikt",
                e.key.clone(),
                None,
                match e.reason.as_deref() {
                    Some(r) if r.starts_with("Behold min") => "løst: «Behold min»".to_string(),
                    Some(r) if r.starts_with("Bruk deres") => "løst: «Bruk deres»".to_string(),
                    _ => "løst".to_string(),
                },
            ),
            "demo" => (
                "Demodata",
                demo_subject(&e.key),
                None,
                "lagt inn".to_string(),
            ),
            other => (other, e.key.clone(), None, action.to_string()),
        };

    let changes = match fields {
        Some(fields) => field_changes(fields, old.as_ref(), new.as_ref(), &write),
        None => match e.entity.as_str() {
            // The switch's and the view's words are in the action already.
            UNMASKED | "demo" => Vec::new(),
            _ => {
                let label = if e.entity == "perspektiv" {
                    "Navn"
                } else {
                    "Verdi"
                };
                // A conflict's cell holds a figure: written as one (`6,0`).
                let kind = if e.entity == CONFLICT_ENTITY {
                    Kind::Number
                } else {
                    Kind::Text
                };
                let old = old.as_ref().and_then(|v| write(kind, v));
                let new = new.as_ref().and_then(|v| write(kind, v));
                if old.is_none() && new.is_none() {
                    Vec::new()
                } else {
                    let changed = e.old.is_some() && e.new.is_some();
                    vec![AuditField::new(label.to_string(), old, new, changed)]
                }
            }
        },
    };

    AuditRow {
        id: e.id,
        at: e.at.clone(),
        time: local_time(&e.at, tz),
        user: e.user.clone(),
        source: e.source.clone(),
        what: what.to_string(),
        subject,
        action,
        changes,
        reason: e.reason.clone(),
    }
}

/// `økonomi: 1080 rader` → `økonomi: 1 080 rader` (the demo's counts, grouped).
fn demo_subject(key: &str) -> String {
    let Some((what, rest)) = key.split_once(": ") else {
        return key.to_string();
    };
    let (count, tail) = rest.split_once(' ').unwrap_or((rest, ""));
    if count.is_empty() || !count.bytes().all(|b| b.is_ascii_digit()) {
        return key.to_string();
    }
    let grouped = crate::format::group_digits(count);
    if tail.is_empty() {
        format!("{what}: {grouped}")
    } else {
        format!("{what}: {grouped} {tail}")
    }
}

/// `cli: 2110 / 2026-11` → `2110 Furulund sykehjem · november 2026 (kommandolinjen)`;
/// `app: Vis umaskerte tall` → `«Vis umaskerte tall» i appen`.
fn unmasked_subject(key: &str, names: &Names) -> String {
    let (door, rest) = key.split_once(": ").unwrap_or(("", key));
    let door = match door {
        "cli" => "kommandolinjen",
        "app" => "appen",
        other => other,
    };
    match rest.split_once(" / ") {
        Some((unit, period)) => format!("{} · {} ({door})", names.unit(unit), period_label(period)),
        None => format!("«{rest}» i {door}"),
    }
}

/// The fields of `fields` that changed between `old` and `new` (objects); on creation or
/// deletion those that hold something, less the identity shown in the subject. A value that
/// is not an object is one field, `Verdi`.
fn field_changes(
    fields: &Fields,
    old: Option<&Value>,
    new: Option<&Value>,
    write: &dyn Fn(Kind, &Value) -> Option<String>,
) -> Vec<AuditField> {
    let object = |v: Option<&Value>| v.and_then(Value::as_object).cloned().unwrap_or_default();
    let scalar = |v: Option<&Value>| v.is_some_and(|v| !v.is_object());
    let both = old.is_some() && new.is_some();
    if scalar(old) || scalar(new) {
        let (old, new) = (
            old.and_then(|v| write(Kind::Text, v)),
            new.and_then(|v| write(Kind::Text, v)),
        );
        return if old == new {
            Vec::new()
        } else {
            vec![AuditField::new("Verdi".to_string(), old, new, both)]
        };
    }
    let (old, new) = (object(old), object(new));
    let mut keys: Vec<(&str, String, Kind)> = fields
        .fields
        .iter()
        .map(|&(k, label, kind)| (k, label.to_string(), kind))
        .collect();
    // Keys the table does not know (a newer version's fields) are shown by their own name.
    for k in old.keys().chain(new.keys()) {
        if !keys.iter().any(|(known, ..)| *known == k.as_str()) {
            keys.push((k.as_str(), k.clone(), Kind::Text));
        }
    }
    let mut out = Vec::new();
    for (key, label, kind) in keys {
        let (o, n) = (old.get(key), new.get(key));
        if both {
            if o == n {
                continue;
            }
        } else if fields.identity.contains(&key) {
            continue;
        }
        let (o, n) = (
            o.and_then(|v| write(kind, v)),
            n.and_then(|v| write(kind, v)),
        );
        if o.is_none() && n.is_none() {
            continue;
        }
        // `false` on creation or deletion says nothing (`Innebygd: nei`).
        if !both && matches!(kind, Kind::YesNo) && o.as_deref().or(n.as_deref()) == Some("nei") {
            continue;
        }
        out.push(AuditField::new(label, o, n, both));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    fn cet() -> FixedOffset {
        FixedOffset::east_opt(3600).unwrap()
    }

    fn names() -> Names {
        let mut n = Names::default();
        n.units.insert("2110".into(), "Furulund sykehjem".into());
        n.units.insert("2100".into(), "Helse og omsorg".into());
        n.indicators
            .insert("SF".into(), ("Sykefravær".into(), "%".into()));
        n.indicators
            .insert("BR-ANT".into(), ("Antall brukere".into(), "".into()));
        n
    }

    fn entry(entity: &str, key: &str, old: Option<&str>, new: Option<&str>) -> AuditEntry {
        AuditEntry {
            id: 7,
            uid: "u/1".into(),
            at: "2026-12-01T22:02:22+00:00".into(),
            user: "root".into(),
            source: "manuell".into(),
            entity: entity.into(),
            key: key.into(),
            indicator: None,
            unit: None,
            period: None,
            old: old.map(str::to_string),
            new: new.map(str::to_string),
            reason: None,
        }
    }

    /// A field of a change (old → new).
    fn field(label: &str, old: Option<&str>, new: Option<&str>) -> AuditField {
        AuditField::new(
            label.into(),
            old.map(str::to_string),
            new.map(str::to_string),
            true,
        )
    }

    /// A field of a creation or deletion.
    fn made(label: &str, value: &str) -> AuditField {
        AuditField::new(label.into(), None, Some(value.to_string()), false)
    }

    #[test]
    fn a_field_reads_as_one_phrase() {
        assert_eq!(
            field("Verdi", Some("6,9 %"), Some("7,3 %")).text,
            "Verdi: 6,9 % → 7,3 %"
        );
        assert_eq!(field("Nivå", None, Some("enhet")).text, "Nivå: – → enhet");
        assert_eq!(field("Nivå", Some("enhet"), None).text, "Nivå: enhet → –");
        assert_eq!(made("Navn", "Furulund").text, "Navn: Furulund");
        let deleted = AuditField::new("Navn".into(), Some("Furulund".into()), None, false);
        assert_eq!(deleted.text, "Navn: Furulund");
    }

    #[test]
    fn local_time_is_the_stored_instant_in_the_given_zone() {
        // 22:02 UTC is 23:02 at UTC+1 (Norway in winter), same day.
        assert_eq!(
            local_time("2026-12-01T22:02:22+00:00", &cet()),
            "01.12.2026 kl. 23:02"
        );
        // 23:30 UTC is 00:30 the next day (and the next year) at UTC+1.
        assert_eq!(
            local_time("2026-12-31T23:30:00+00:00", &cet()),
            "01.01.2027 kl. 00:30"
        );
        assert_eq!(local_time("ikke en tid", &cet()), "ikke en tid");
    }

    #[test]
    fn a_lock_is_a_month_by_name_with_who_and_local_time() {
        let mut e = entry(
            "lås",
            "2026-11",
            None,
            Some(
                r#"{"month":"2026-11","locked_by":"root","locked_at":"2026-12-01T22:02:22+00:00"}"#,
            ),
        );
        e.period = Some("2026-11".into());
        let row = describe(&e, &names(), &cet());
        assert_eq!(row.what, "Låst måned");
        assert_eq!(row.subject, "november 2026");
        assert_eq!(row.action, "låst");
        assert_eq!(row.time, "01.12.2026 kl. 23:02");
        // The month is the subject, not repeated as a field.
        assert_eq!(
            row.changes,
            vec![
                made("Låst av", "root"),
                made("Låst", "01.12.2026 kl. 23:02"),
            ]
        );
        assert_eq!(
            row.change_text(),
            "Låst av: root; Låst: 01.12.2026 kl. 23:02"
        );
    }

    #[test]
    fn an_unlock_carries_its_reason() {
        let mut e = entry(
            "lås",
            "2026-11",
            Some(
                r#"{"month":"2026-11","locked_by":"root","locked_at":"2026-12-01T22:02:22+00:00"}"#,
            ),
            None,
        );
        e.reason = Some("feil i regnskapet".into());
        let row = describe(&e, &names(), &cet());
        assert_eq!(row.action, "låst opp");
        assert_eq!(row.subject, "november 2026");
        assert!(row.change_text().ends_with("; Grunn: feil i regnskapet"));
    }

    #[test]
    fn economy_shows_only_the_changed_figure_grouped_in_kroner() {
        let mut e = entry(
            "økonomi",
            "2110 / 2026-11",
            Some(r#"{"budsjett":"1618434,78","regnskap":"1500000,00","prognose":null}"#),
            Some(r#"{"budsjett":"1618434,78","regnskap":"1612000,50","prognose":null}"#),
        );
        e.unit = Some("2110".into());
        e.period = Some("2026-11".into());
        let row = describe(&e, &names(), &cet());
        assert_eq!(row.what, "Økonomi");
        assert_eq!(row.subject, "2110 Furulund sykehjem · november 2026");
        assert_eq!(row.action, "endret");
        // Budget unchanged (1 618 434,78 both times) and forecast empty both times: left out.
        assert_eq!(
            row.changes,
            vec![field(
                "Regnskap",
                Some("1 500 000,00 kr"),
                Some("1 612 000,50 kr")
            )]
        );
        assert_eq!(
            row.change_text(),
            "Regnskap: 1 500 000,00 kr → 1 612 000,50 kr"
        );
    }

    #[test]
    fn a_created_economy_row_groups_every_figure_it_holds() {
        let e = entry(
            "økonomi",
            "2110 / 2026-11",
            None,
            Some(r#"{"budsjett":"1618434,78","regnskap":"−500,00","prognose":null}"#),
        );
        let row = describe(&e, &names(), &cet());
        assert_eq!(row.action, "opprettet");
        assert_eq!(
            row.changes,
            vec![
                made("Budsjett", "1 618 434,78 kr"),
                made("Regnskap", "−500,00 kr"),
            ]
        );
    }

    #[test]
    fn a_measurement_names_indicator_unit_and_period_and_labels_its_value() {
        let mut e = entry(
            "måling",
            "SF / 2110 / 2026-K3",
            Some(r#"{"value":6.9}"#),
            Some(r#"{"value":7.3}"#),
        );
        e.indicator = Some("SF".into());
        e.unit = Some("2110".into());
        e.period = Some("2026-K3".into());
        let row = describe(&e, &names(), &cet());
        assert_eq!(row.what, "Måling");
        assert_eq!(
            row.subject,
            "SF Sykefravær · 2110 Furulund sykehjem · 3. kvartal 2026"
        );
        assert_eq!(
            row.changes,
            vec![field("Verdi", Some("6,9 %"), Some("7,3 %"))]
        );
    }

    #[test]
    fn a_ratio_measurement_shows_only_the_part_that_changed() {
        let mut e = entry(
            "måling",
            "",
            Some(r#"{"numerator":12,"denominator":1234567}"#),
            Some(r#"{"numerator":13,"denominator":1234567}"#),
        );
        e.indicator = Some("BR-ANT".into());
        let row = describe(&e, &names(), &cet());
        assert_eq!(row.changes, vec![field("Teller", Some("12"), Some("13"))]);
        // An unknown indicator or unit is shown by its code.
        e.indicator = Some("XX".into());
        e.unit = Some("9999".into());
        assert_eq!(describe(&e, &names(), &cet()).subject, "XX · 9999");
    }

    #[test]
    fn a_unit_change_names_the_new_parent() {
        let e = entry(
            "enhet",
            "2110",
            Some(r#"{"code":"2110","name":"Furulund","parent":null,"level":"enhet"}"#),
            Some(r#"{"code":"2110","name":"Furulund","parent":"2100","level":"enhet"}"#),
        );
        let row = describe(&e, &names(), &cet());
        assert_eq!(row.subject, "2110 Furulund sykehjem");
        assert_eq!(
            row.changes,
            vec![field(
                "Overordnet enhet",
                None,
                Some("2100 Helse og omsorg")
            )]
        );
        assert_eq!(
            row.change_text(),
            "Overordnet enhet: – → 2100 Helse og omsorg"
        );
    }

    #[test]
    fn a_created_indicator_leaves_out_its_code_empty_fields_and_false() {
        let e = entry(
            "indikator",
            "BR-ANT",
            None,
            Some(
                r#"{"code":"BR-ANT","name":"Antall brukere","perspective":"brukere","goal":null,
                "description":"","source":"","responsible":"","unit_label":"","decimals":0,
                "direction":"høy","frequency":"måned","aggregation":"sum","unit_rollup":"sum",
                "factor":100.0,"builtin":false}"#,
            ),
        );
        let row = describe(&e, &names(), &cet());
        let labels: Vec<&str> = row.changes.iter().map(|f| f.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Navn",
                "Perspektiv",
                "Desimaler",
                "Retning",
                "Frekvens",
                "Sammenstilling over tid",
                "Sammenstilling over enheter",
                "Faktor"
            ]
        );
        assert_eq!(row.changes[1].new.as_deref(), Some("Innbyggere og brukere"));
        assert_eq!(row.changes[3].new.as_deref(), Some("høyere er bedre"));
        assert_eq!(row.changes[7].new.as_deref(), Some("100"));
    }

    #[test]
    fn a_default_target_says_all_units_and_groups_its_numbers() {
        let mut e = entry(
            "mål",
            "SF / alle enheter / 2026",
            Some(r#"{"indicator":"SF","unit":null,"year":2026,"target":6.5,"red_limit":8.0}"#),
            Some(r#"{"indicator":"SF","unit":null,"year":2026,"target":6.0,"red_limit":8.0}"#),
        );
        e.indicator = Some("SF".into());
        e.period = Some("2026".into());
        let row = describe(&e, &names(), &cet());
        assert_eq!(
            row.subject,
            "SF Sykefravær · alle enheter (standard) · 2026"
        );
        assert_eq!(row.changes, vec![field("Mål", Some("6,5 %"), Some("6 %"))]);
    }

    #[test]
    fn sick_leave_numbers_are_grouped() {
        let mut e = entry(
            "sykefravær",
            "2110 / 2026-11",
            Some(
                r#"{"enhet":"2110","periode":"2026-11","avtalte_dagsverk":9337.0,"egenmeldt":120.5,"legemeldt":578.5,"ansatte":40}"#,
            ),
            Some(
                r#"{"enhet":"2110","periode":"2026-11","avtalte_dagsverk":10027.4,"egenmeldt":120.5,"legemeldt":578.5,"ansatte":40}"#,
            ),
        );
        e.unit = Some("2110".into());
        e.period = Some("2026-11".into());
        let row = describe(&e, &names(), &cet());
        assert_eq!(
            row.changes,
            vec![field("Avtalte dagsverk", Some("9 337"), Some("10 027,4"))]
        );
    }

    #[test]
    fn settings_perspectives_and_unmasked_views_in_words() {
        let e = entry("innstilling", "min_employees", Some("5"), Some("3"));
        let row = describe(&e, &names(), &cet());
        assert_eq!(row.subject, MIN_EMPLOYEES_LABEL);
        assert_eq!(row.changes, vec![field("Verdi", Some("5"), Some("3"))]);

        let e = entry(
            "perspektiv",
            "brukere",
            Some(r#""Brukere""#),
            Some(r#""Innbyggere""#),
        );
        let row = describe(&e, &names(), &cet());
        assert_eq!(row.subject, "Innbyggere og brukere");
        assert_eq!(
            row.changes,
            vec![field("Navn", Some("Brukere"), Some("Innbyggere"))]
        );

        let e = entry(
            UNMASKED,
            "cli: 2110 / 2026-11",
            None,
            Some(r#""vist umaskert""#),
        );
        let row = describe(&e, &names(), &cet());
        assert_eq!(
            row.subject,
            "2110 Furulund sykehjem · november 2026 (kommandolinjen)"
        );
        assert_eq!(row.action, "vist");
        assert!(row.changes.is_empty());

        let e = entry(
            UNMASKED,
            "app: Vis umaskerte tall",
            Some(r#""av""#),
            Some(r#""på""#),
        );
        let row = describe(&e, &names(), &cet());
        assert_eq!(row.subject, "«Vis umaskerte tall» i appen");
        assert_eq!(row.action, "slått på");
    }

    #[test]
    fn a_resolved_conflict_names_the_cell_the_choice_and_the_values() {
        let mut e = entry(
            CONFLICT_ENTITY,
            "sykefravær 2110 2026-03 egenmeldt",
            Some("6.0"),
            Some("5.5"),
        );
        e.reason = Some("Behold min (konflikt 0193)".into());
        let row = describe(&e, &names(), &cet());
        assert_eq!(
            (row.what.as_str(), row.subject.as_str(), row.action.as_str()),
            (
                "Konflikt",
                "sykefravær 2110 2026-03 egenmeldt",
                "løst: «Behold min»"
            )
        );
        assert_eq!(row.changes, vec![field("Verdi", Some("6"), Some("5,5"))]);
        e.reason = Some("Bruk deres (konflikt 0193)".into());
        assert_eq!(describe(&e, &names(), &cet()).action, "løst: «Bruk deres»");
    }

    #[test]
    fn the_demos_counts_are_grouped() {
        let row = describe(
            &entry("demo", "økonomi: 1080 rader", None, None),
            &names(),
            &cet(),
        );
        assert_eq!(
            (row.what.as_str(), row.action.as_str()),
            ("Demodata", "lagt inn")
        );
        assert_eq!(row.subject, "økonomi: 1 080 rader");
        assert!(row.changes.is_empty());
        assert_eq!(demo_subject("enheter: 30 rader"), "enheter: 30 rader");
        assert_eq!(demo_subject("målinger: 123456"), "målinger: 123 456");
        assert_eq!(demo_subject("noe annet"), "noe annet");
    }

    #[test]
    fn a_comment_edit_shows_the_text_and_when() {
        let old = r#"{"id":3,"uid":"x","indicator":"SF","unit":"2110","period":"2026-11","author":"kari","text":"Høyt","created_at":"2026-12-01T10:00:00+01:00","updated_at":null}"#;
        let new = r#"{"id":3,"uid":"x","indicator":"SF","unit":"2110","period":"2026-11","author":"kari","text":"Høyt pga. influensa","created_at":"2026-12-01T10:00:00+01:00","updated_at":"2026-12-02T08:15:00+01:00"}"#;
        let row = describe(
            &entry("kommentar", "k", Some(old), Some(new)),
            &names(),
            &cet(),
        );
        assert_eq!(
            row.changes,
            vec![
                field("Tekst", Some("Høyt"), Some("Høyt pga. influensa")),
                field("Sist endret", None, Some("02.12.2026 kl. 08:15")),
            ]
        );
    }
}
