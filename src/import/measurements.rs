//! `målinger` files (files.md): one registered figure per indicator, unit and span of the
//! indicator's frequency. A `brøk` indicator takes `teller` and `nevner` (> 0), any other a
//! `verdi`; one file may mix both. The period may be written in any accepted form but must
//! be exactly one span (a quarterly indicator takes `2026-K1`, not `2026-03`), and none of
//! its months may be locked.

use std::collections::HashMap;

use super::cells::Cells;
use super::header::{optional, required, ColumnSpec, Columns};
use super::problems::Problems;
use super::reader::Table;
use crate::changes::Catalog;
use crate::model::{Aggregation, Figure, Frequency, Indicator, Measurement};
use crate::period::Period;
use rustc_hash::FxBuildHasher as Fx;

pub static COLUMNS: &[ColumnSpec] = &[
    required("indikator", &["indicator"]),
    required("enhet", &["unit"]),
    required("periode", &["period"]),
    optional("verdi", &["value"]),
    optional("teller", &["numerator"]),
    optional("nevner", &["denominator"]),
];

/// `per kvartal`: how often an indicator is registered, for messages.
pub fn per(frequency: Frequency) -> String {
    format!("per {}", frequency.key())
}

pub fn parse(
    table: &Table,
    columns: &Columns,
    catalog: &Catalog,
    problems: &mut Problems,
) -> Vec<Measurement> {
    // Codes are looked up once per line and stand as their catalog position after that:
    // the duplicate check of a million lines then sorts integers, not texts.
    let indicators: HashMap<&str, (u32, &Indicator), Fx> = (0u32..)
        .zip(&catalog.indicators)
        .map(|(n, i)| (i.code.as_str(), (n, i)))
        .collect();
    let units: HashMap<&str, u32, Fx> = (0u32..)
        .zip(&catalog.units)
        .map(|(n, u)| (u.code.as_str(), n))
        .collect();
    let mut keys: Vec<(u32, u32, u32, u64)> = Vec::with_capacity(table.records.len());
    let mut out = Vec::with_capacity(table.records.len());
    for record in table.records.iter() {
        let c = Cells { record, columns };
        let indicator = c.required(problems, "indikator").and_then(|code| {
            let (n, ind) = indicators
                .get(code)
                .copied()
                .ok_or_else(|| c.error(problems, "indikator", format!("ukjent indikator «{code}»")))?;
            if ind.builtin {
                return Err(c.error(
                    problems,
                    "indikator",
                    format!("{code} er en innebygd indikator som beregnes av Målkart og kan ikke importeres som målinger"),
                ));
            }
            Ok((n, ind))
        });
        let unit = c
            .required(problems, "enhet")
            .and_then(|u| match units.get(u) {
                Some(&n) => Ok((n, u)),
                None => Err(c.error(problems, "enhet", format!("ukjent enhet «{u}»"))),
            });
        let period = c.required(problems, "periode").and_then(|text| {
            Period::parse(text).map_err(|e| c.error(problems, "periode", e.to_string()))
        });
        let span = match (&indicator, period) {
            (Ok((_, ind)), Ok(p)) if !p.is_span_of(ind.frequency) => Err(c.error(
                problems,
                "periode",
                format!(
                    "perioden «{}» passer ikke indikatoren {}, som registreres {} (f.eks. {})",
                    c.text("periode"),
                    ind.code,
                    per(ind.frequency),
                    Period::span_of(ind.frequency, p.first())
                ),
            )),
            (_, Ok(p)) => match p.months().find(|m| catalog.locked.contains(m)) {
                Some(m) => Err(c.error(problems, "periode", format!("måneden {m} er låst"))),
                // The canonical span: `2026-01..2026-03` for a quarterly indicator is 2026-K1.
                None => Ok(match &indicator {
                    Ok((_, ind)) => Period::span_of(ind.frequency, p.first()),
                    Err(_) => p,
                }),
            },
            (_, Err(r)) => Err(r),
        };
        let figure = match &indicator {
            Ok((_, ind)) => figure(&c, problems, ind),
            Err(r) => Err(*r),
        };
        let (Ok((ind_n, ind)), Ok((unit_n, unit)), Ok(span), Ok(figure)) =
            (indicator, unit, span, figure)
        else {
            continue;
        };
        // The span is the indicator's canonical one, so its first month names it (the
        // sign bit flipped keeps the order of negative month indices).
        let first = span.first().index() as u32 ^ 0x8000_0000;
        keys.push((ind_n, unit_n, first, c.line()));
        out.push(Measurement {
            indicator: ind.code.clone(),
            unit: unit.to_string(),
            span,
            figure,
        });
    }
    // Lines that repeat an earlier line's indicator, unit and period, each naming the first
    // (sorted, twins lie together, the first line first). `out` still holds them, but any
    // error refuses the whole file.
    keys.sort_unstable();
    for twins in keys.chunk_by(|a, b| (a.0, a.1, a.2) == (b.0, b.1, b.2)) {
        if let [(.., first), rest @ ..] = twins {
            for &(.., line) in rest {
                problems.add(
                    line,
                    None,
                    format!("samme indikator, enhet og periode som linje {first}"),
                );
            }
        }
    }
    out
}

fn figure(
    c: &Cells,
    problems: &mut Problems,
    ind: &Indicator,
) -> Result<Figure, super::cells::Reported> {
    let code = &ind.code;
    if ind.aggregation == Aggregation::Brok {
        let extra = c.optional("verdi").map(|_| {
            c.error(
                problems,
                "verdi",
                format!("{code} er en brøk og registreres med teller og nevner, ikke verdi"),
            )
        });
        let numerator = c.required_number(problems, "teller");
        let denominator = c.required_number(problems, "nevner").and_then(|d| {
            if d > 0.0 {
                Ok(d)
            } else {
                Err(c.error(
                    problems,
                    "nevner",
                    "nevneren må være større enn 0".to_string(),
                ))
            }
        });
        if let Some(r) = extra {
            return Err(r);
        }
        Ok(Figure::Ratio {
            numerator: numerator?,
            denominator: denominator?,
        })
    } else {
        let mut extra = None;
        for column in ["teller", "nevner"] {
            if c.optional(column).is_some() {
                extra = Some(c.error(
                    problems,
                    column,
                    format!(
                        "{code} er ikke en brøk og registreres med verdi, ikke teller og nevner"
                    ),
                ));
            }
        }
        let value = c.required_number(problems, "verdi");
        if let Some(r) = extra {
            return Err(r);
        }
        Ok(Figure::Value { value: value? })
    }
}
