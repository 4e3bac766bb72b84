//! `sykefravær` files (sick-leave.md): one row per unit and month — contracted person-days,
//! self- and doctor-certified absence, optionally the number of employees and the four
//! length bands (all four or none). Every check of the spec is a problem on the line and
//! column it concerns; a unit that is not known, a period that is not one month, a locked
//! month, and a (unit, month) given twice are refused too.

use std::collections::HashMap;

use super::cells::{Cells, Checked};
use super::header::{optional, required, ColumnSpec, Columns};
use super::problems::Problems;
use super::reader::Table;
use crate::changes::Catalog;
use crate::engine::sickleave::check::{self, BANDS};
use crate::model::{LengthSplit, SickLeave, SickLeaveChange};
use crate::period::{Period, PeriodKind};
use rustc_hash::FxBuildHasher as Fx;

pub static COLUMNS: &[ColumnSpec] = &[
    required("enhet", &["unit"]),
    required("periode", &["period"]),
    required("avtalte_dagsverk", &["contracted_days"]),
    required("egenmeldt", &["self_certified"]),
    required("legemeldt", &["doctor_certified"]),
    optional("ansatte", &["employees"]),
    optional("dager_1_3", &["days_1_3"]),
    optional("dager_4_16", &["days_4_16"]),
    optional("dager_17_56", &["days_17_56"]),
    optional("dager_over_56", &["days_over_56"]),
];

pub fn parse(
    table: &Table,
    columns: &Columns,
    catalog: &Catalog,
    problems: &mut Problems,
) -> Vec<SickLeaveChange> {
    let units: HashMap<&str, u32, Fx> = (0u32..)
        .zip(&catalog.units)
        .map(|(n, u)| (u.code.as_str(), n))
        .collect();
    let mut keys: Vec<(u32, i32, u64)> = Vec::with_capacity(table.records.len());
    let mut out = Vec::with_capacity(table.records.len());
    for record in table.records.iter() {
        let c = Cells { record, columns };
        let unit = c
            .required(problems, "enhet")
            .and_then(|u| match units.get(u) {
                Some(&n) => Ok((n, u)),
                None => Err(c.error(problems, "enhet", format!("ukjent enhet «{u}»"))),
            });
        let month = c.required(problems, "periode").and_then(|text| {
            let p = Period::parse(text).map_err(|e| c.error(problems, "periode", e.to_string()))?;
            if p.kind() != PeriodKind::Month {
                return Err(c.error(
                    problems,
                    "periode",
                    format!(
                        "«{text}» er ikke én måned; sykefravær registreres per måned (f.eks. {})",
                        p.first()
                    ),
                ));
            }
            let m = p.first();
            if catalog.locked.contains(&m) {
                return Err(c.error(problems, "periode", format!("måneden {m} er låst")));
            }
            Ok(m)
        });
        // A (unit, month) counts for the duplicate check even when its figures are wrong.
        if let (Ok((unit_n, _)), Ok(m)) = (&unit, &month) {
            keys.push((*unit_n, m.index(), c.line()));
        }
        let contracted = c.required_number(problems, "avtalte_dagsverk");
        let self_certified = c.required_number(problems, "egenmeldt");
        let doctor_certified = c.required_number(problems, "legemeldt");
        let employees = employees(&c, problems);
        let split = split(&c, problems);
        let (
            Ok((_, unit)),
            Ok(month),
            Ok(contracted),
            Ok(self_certified),
            Ok(doctor_certified),
            Ok(employees),
            Ok(split),
        ) = (
            unit,
            month,
            contracted,
            self_certified,
            doctor_certified,
            employees,
            split,
        )
        else {
            continue;
        };
        let row = SickLeave {
            unit: unit.to_string(),
            month,
            contracted_days: contracted,
            self_certified,
            doctor_certified,
            employees,
            split,
        };
        let found = check::check(&row);
        if !found.is_empty() {
            for p in found {
                c.error(problems, &p.column, p.message);
            }
            continue;
        }
        out.push(SickLeaveChange::Update(row));
    }
    keys.sort_unstable();
    for twins in keys.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
        if let [(.., first), rest @ ..] = twins {
            for &(.., line) in rest {
                problems.add(
                    line,
                    None,
                    format!("samme enhet og periode som linje {first}"),
                );
            }
        }
    }
    out
}

/// `ansatte`: a whole number of persons ≥ 0, or empty.
fn employees(c: &Cells, problems: &mut Problems) -> Checked<Option<u32>> {
    let Some(x) = c.optional_number(problems, "ansatte")? else {
        return Ok(None);
    };
    match check::employees(x, c.text("ansatte")) {
        Ok(n) => Ok(Some(n)),
        Err(message) => Err(c.error(problems, "ansatte", message)),
    }
}

/// The four length bands: all four or none.
fn split(c: &Cells, problems: &mut Problems) -> Checked<Option<LengthSplit>> {
    let given: Vec<&str> = BANDS
        .iter()
        .copied()
        .filter(|b| c.optional(b).is_some())
        .collect();
    if given.is_empty() {
        return Ok(None);
    }
    let missing = check::missing_bands(|b| c.optional(b).is_some());
    if !missing.is_empty() {
        for b in missing {
            c.error(problems, b, check::BAND_MISSING.to_string());
        }
        return Err(super::cells::Reported);
    }
    let values: Vec<Checked<f64>> = BANDS
        .iter()
        .map(|b| c.required_number(problems, b))
        .collect();
    match values[..] {
        [Ok(a), Ok(b), Ok(cc), Ok(d)] => Ok(Some(LengthSplit {
            days_1_3: a,
            days_4_16: b,
            days_17_56: cc,
            days_over_56: d,
        })),
        _ => Err(super::cells::Reported),
    }
}
