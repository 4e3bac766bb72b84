//! `tiltak` files (tiltak.md §3): one tiltak per line, keyed by its code. The goal is
//! matched to the catalogue's spelling (any case); the unit and every indicator (`,`
//! between codes in one cell) must be known; `frist` not before `start`; `fremdrift` a
//! whole per cent 0–100 and 100 for `fullført` (an empty one is 100 for `fullført`, else 0);
//! `kostnad` in kroner, exact to the øre. An absent optional column keeps what the stored
//! tiltak has, as in every other kind; an empty cell of a present column clears it.

use std::collections::{HashMap, HashSet};

use super::cells::{one_of, Cells, Checked};
use super::header::{optional, required, ColumnSpec, Columns};
use super::problems::Problems;
use super::reader::Table;
use crate::changes::Catalog;
use crate::model::{Action, ActionKind, ActionStatus};
use crate::period::{Month, Period, PeriodKind};
use crate::rules::{
    action_progress, is_valid_indicator_code, is_valid_unit_code, kroner, whole_percent,
};

pub static COLUMNS: &[ColumnSpec] = &[
    required("kode", &["code"]),
    required("tittel", &["title"]).free_text(),
    required("mål", &["goal", "fokusområde"]).free_text(),
    required("enhet", &["unit"]),
    required("ansvarlig", &["responsible"]).free_text(),
    optional("type", &["kind"]),
    optional("frist", &["deadline"]),
    optional("status", &[]),
    optional("fremdrift", &["progress"]),
    optional("start", &[]),
    optional("kostnad", &["cost"]),
    optional("vedtak", &["decision", "decision_ref"]).free_text(),
    optional("indikatorer", &["indicators"]),
    optional(
        "suksessfaktor",
        &["success_factor", "kritisk suksessfaktor"],
    )
    .free_text(),
    optional("beskrivelse", &["description"]).free_text(),
];

/// A month cell: `2026-03` (also as Excel writes a typed month), `2026-3`, `202603`, or a
/// date (`2026-03-15`: its month).
fn month_cell(c: &Cells, problems: &mut Problems, column: &str) -> Checked<Option<String>> {
    let Some(text) = c.optional(column) else {
        return Ok(None);
    };
    let month = Month::parse_id(text)
        .or_else(|| {
            Period::parse(text)
                .ok()
                .filter(|p| p.kind() == PeriodKind::Month)
                .map(|p| p.first())
        })
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|d| {
                    use chrono::Datelike;
                    Month::new(d.year(), d.month())
                })
        });
    month.map(|m| Some(m.id())).ok_or_else(|| {
        c.error(
            problems,
            column,
            format!("«{text}» er ikke en måned; skriv for eksempel 2026-03"),
        )
    })
}

pub fn parse(
    table: &Table,
    columns: &Columns,
    catalog: &Catalog,
    problems: &mut Problems,
) -> Vec<Action> {
    // The catalogue's goals by their folded spelling.
    let mut goals: HashMap<String, &str> = HashMap::new();
    for g in catalog.indicators.iter().filter_map(|i| i.goal.as_deref()) {
        goals.entry(g.to_lowercase()).or_insert(g);
    }
    let mut goal_names: Vec<&str> = goals.values().copied().collect();
    goal_names.sort_unstable();
    let units: HashSet<&str> = catalog.units.iter().map(|u| u.code.as_str()).collect();
    let indicators: HashSet<&str> = catalog.indicators.iter().map(|i| i.code.as_str()).collect();
    let stored: HashMap<&str, &Action> = catalog
        .actions
        .iter()
        .map(|a| (a.code.as_str(), a))
        .collect();
    let kinds: Vec<&str> = ActionKind::ALL.iter().map(|k| k.word()).collect();
    let statuses: Vec<&str> = ActionStatus::ALL.iter().map(|s| s.word()).collect();

    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut out = Vec::new();
    for record in table.records.iter() {
        let c = Cells { record, columns };
        let code = c.required(problems, "kode").and_then(|code| {
            if !is_valid_unit_code(code) {
                return Err(c.error(
                    problems,
                    "kode",
                    format!("«{code}» er ikke en gyldig tiltakskode (1–32 tegn)"),
                ));
            }
            if let Some(first) = seen.get(code) {
                return Err(c.error(problems, "kode", format!("samme kode som linje {first}")));
            }
            Ok(code)
        });
        if let Ok(code) = code {
            seen.insert(code.to_string(), c.line());
        }
        let old = code.ok().and_then(|code| stored.get(code).copied());
        let title = c.required(problems, "tittel");
        let goal = c.required(problems, "mål").and_then(|g| {
            goals.get(&g.to_lowercase()).copied().ok_or_else(|| {
                let known = if goal_names.is_empty() {
                    "indikatorkatalogen har ingen mål ennå".to_string()
                } else {
                    format!("målene er {}", one_of(&goal_names))
                };
                c.error(problems, "mål", format!("ukjent mål «{g}»; {known}"))
            })
        });
        let unit = c.required(problems, "enhet").and_then(|u| {
            if units.contains(u) {
                Ok(u)
            } else {
                Err(c.error(problems, "enhet", format!("ukjent enhet «{u}»")))
            }
        });
        let responsible = c.required(problems, "ansvarlig");
        let kind = if columns.has("type") {
            match c.optional("type") {
                None => Ok(ActionKind::Tiltak),
                Some(t) => ActionKind::parse(t).ok_or_else(|| {
                    c.error(
                        problems,
                        "type",
                        format!("ukjent type «{t}»; skriv {}", one_of(&kinds)),
                    )
                }),
            }
        } else {
            Ok(old.map_or(ActionKind::Tiltak, |o| o.kind))
        };
        let status = if columns.has("status") {
            match c.optional("status") {
                None => Ok(ActionStatus::IkkeStartet),
                Some(t) => ActionStatus::parse(t).ok_or_else(|| {
                    c.error(
                        problems,
                        "status",
                        format!("ukjent status «{t}»; skriv {}", one_of(&statuses)),
                    )
                }),
            }
        } else {
            Ok(old.map_or(ActionStatus::IkkeStartet, |o| o.status))
        };
        // Read the months whether or not the other cells were right, so every wrong cell of
        // the line is named.
        let keep = |col: &str, stored: Option<Option<String>>| -> Option<Option<String>> {
            (!columns.has(col)).then(|| stored.flatten())
        };
        let start = match keep("start", old.map(|o| o.start.clone())) {
            Some(kept) => Ok(kept),
            None => month_cell(&c, problems, "start"),
        };
        let deadline = match keep("frist", old.map(|o| o.deadline.clone())) {
            Some(kept) => Ok(kept),
            None => month_cell(&c, problems, "frist"),
        };
        let progress_text = if columns.has("fremdrift") {
            c.optional("fremdrift")
        } else {
            None
        };
        let progress: Checked<Option<i64>> = match progress_text {
            None => Ok(None),
            Some(t) => whole_percent(t)
                .map(Some)
                .map_err(|m| c.error(problems, "fremdrift", m)),
        };
        let cost = if columns.has("kostnad") {
            kroner(c.text("kostnad")).map_err(|m| c.error(problems, "kostnad", m))
        } else {
            Ok(old.and_then(|o| o.cost_ore))
        };
        let indicator_codes: Checked<Vec<String>> = if columns.has("indikatorer") {
            let mut list = Vec::new();
            let mut bad = None;
            for code in c
                .text("indikatorer")
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                if !is_valid_indicator_code(code) || !indicators.contains(code) {
                    bad = Some(format!("ukjent indikator «{code}»"));
                    break;
                }
                if list.iter().any(|l| l == code) {
                    bad = Some(format!("indikator «{code}» står mer enn én gang"));
                    break;
                }
                list.push(code.to_string());
            }
            match bad {
                Some(m) => Err(c.error(problems, "indikatorer", m)),
                None => Ok(list),
            }
        } else {
            Ok(old.map_or_else(Vec::new, |o| o.indicators.clone()))
        };
        let (
            Ok(code),
            Ok(title),
            Ok(goal),
            Ok(unit),
            Ok(responsible),
            Ok(kind),
            Ok(status),
            Ok(start),
            Ok(deadline),
            Ok(progress),
            Ok(cost_ore),
            Ok(indicators),
        ) = (
            code,
            title,
            goal,
            unit,
            responsible,
            kind,
            status,
            start,
            deadline,
            progress,
            cost,
            indicator_codes,
        )
        else {
            continue;
        };
        if let (Some(s), Some(d)) = (&start, &deadline) {
            if d < s {
                c.error(problems, "frist", format!("fristen {d} er før start {s}"));
                continue;
            }
        }
        // An empty progress: 100 for `fullført`, else what is stored (0 for a new one).
        let progress = match progress {
            Some(p) => p,
            None if status == ActionStatus::Fullfort => 100,
            None if columns.has("fremdrift") => 0,
            None => old.map_or(0, |o| i64::from(o.progress)),
        };
        if let Err(m) = action_progress(status, progress) {
            c.error(problems, "fremdrift", m);
            continue;
        }
        let text_or_kept = |col: &str, stored: Option<Option<String>>| -> Option<String> {
            if columns.has(col) {
                c.optional(col).map(str::to_string)
            } else {
                stored.flatten()
            }
        };
        out.push(Action {
            code: code.to_string(),
            title: title.to_string(),
            description: text_or_kept("beskrivelse", old.map(|o| o.description.clone())),
            goal: goal.to_string(),
            success_factor: text_or_kept("suksessfaktor", old.map(|o| o.success_factor.clone())),
            unit: unit.to_string(),
            responsible: responsible.to_string(),
            kind,
            decision_ref: text_or_kept("vedtak", old.map(|o| o.decision_ref.clone())),
            start,
            deadline,
            status,
            progress: u8::try_from(progress).unwrap_or(100),
            cost_ore,
            indicators,
        });
    }
    out
}
