//! The masked sick-leave summary a `leser` pulls instead of raw sick-leave rows (sharing.md
//! §2; sick-leave.md «Privacy»; docs/sharing-design.md §4 and §6): per readable unit and
//! month, the unit's **subtree** totals — the numerators and denominators the `SF*`
//! indicators need — or, where the spec's masking hides that unit in that month, only the
//! flag, the reason and the contracted days (a masked row keeps its `Avtalte dagsverk`).
//!
//! The masking decision is the core's (`Engine::sick_leave_masked_units`, primary and
//! secondary, for `Period::month`), taken over the **whole** tree as on every desktop
//! (engine/sickleave/privacy.rs: a unit shown in her tree but masked in its parent's would
//! let the parent minus its siblings reveal it). Months are the finest period the spec
//! computes and masks independently: a sum of shown months reveals nothing a shown month
//! did not, so a replica may show a longer period only when every month of it is shown.

use std::collections::{BTreeMap, HashMap};

use malkart::engine::{Dataset, Engine};
use malkart::model::{LengthSplit, SickLeave, Unit};
use malkart::period::{Month, Period};
use serde_json::{json, Value};
use tokio_postgres::Client;

use crate::access::Rights;
use crate::error::{Error, Result};

/// Subtree totals of one unit in one month.
#[derive(Default, Clone)]
struct Totals {
    employees: Option<u64>,
    contracted_days: f64,
    self_certified: f64,
    doctor_certified: f64,
    /// The contracted days of the rows with a length split (`SF-KORT`/`SF-LANG`'s denominator).
    split_contracted_days: f64,
    /// `dager_1_3 + dager_4_16`.
    short_days: f64,
    /// `dager_17_56 + dager_over_56`.
    long_days: f64,
}

/// The summary rows the caller may read, in (month, unit) order, computed from what
/// `client`'s transaction sees (pull's snapshot).
pub async fn rows(client: &Client, rights: &Rights) -> Result<Vec<Value>> {
    let units: Vec<Unit> = client
        .query(
            "SELECT code, name, parent, level FROM units ORDER BY code",
            &[],
        )
        .await?
        .iter()
        .map(|r| Unit {
            code: r.get(0),
            name: r.get(1),
            parent: r.get(2),
            level: r.get(3),
        })
        .collect();
    let min_employees: u32 = client
        .query_opt(
            "SELECT value FROM settings WHERE key = 'min_employees'",
            &[],
        )
        .await?
        .and_then(|r| r.get::<_, String>(0).trim().parse().ok())
        .unwrap_or(5);
    let sick: Vec<SickLeave> = client
        .query(
            "SELECT unit, month, contracted_days, self_certified, doctor_certified, employees,
                    days_1_3, days_4_16, days_17_56, days_over_56
             FROM sick_leave ORDER BY month, unit",
            &[],
        )
        .await?
        .iter()
        .map(|r| {
            let split = match (r.get(6), r.get(7), r.get(8), r.get(9)) {
                (Some(days_1_3), Some(days_4_16), Some(days_17_56), Some(days_over_56)) => {
                    Some(LengthSplit {
                        days_1_3,
                        days_4_16,
                        days_17_56,
                        days_over_56,
                    })
                }
                _ => None,
            };
            SickLeave {
                unit: r.get(0),
                month: Month::from_index(r.get(1)),
                contracted_days: r.get(2),
                self_certified: r.get(3),
                doctor_certified: r.get(4),
                employees: r
                    .get::<_, Option<i64>>(5)
                    .map(|e| u32::try_from(e).unwrap_or(u32::MAX)),
                split,
            }
        })
        .collect();
    let parents: HashMap<String, Option<String>> = units
        .iter()
        .map(|u| (u.code.clone(), u.parent.clone()))
        .collect();
    // Subtree totals: each row added to its unit and every unit above it.
    let mut totals: BTreeMap<(i32, String), Totals> = BTreeMap::new();
    for s in &sick {
        let mut unit = Some(s.unit.clone());
        let mut steps = 0;
        while let Some(code) = unit {
            let t = totals.entry((s.month.index(), code.clone())).or_default();
            if let Some(e) = s.employees {
                t.employees = Some(t.employees.unwrap_or(0) + u64::from(e));
            }
            t.contracted_days += s.contracted_days;
            t.self_certified += s.self_certified;
            t.doctor_certified += s.doctor_certified;
            if let Some(split) = &s.split {
                t.split_contracted_days += s.contracted_days;
                t.short_days += split.days_1_3 + split.days_4_16;
                t.long_days += split.days_17_56 + split.days_over_56;
            }
            unit = parents.get(&code).cloned().flatten();
            steps += 1;
            if steps > parents.len() {
                return Err(Error::Internal(
                    "enhetstreet har en sløyfe; sykefraværssammendraget kan ikke regnes".into(),
                ));
            }
        }
    }
    let engine = Engine::new(Dataset {
        units,
        sick_leave: sick,
        ..Dataset::default()
    })
    .map_err(|e| Error::Internal(format!("sykefraværssammendraget: {e}")))?;
    let mut out = Vec::new();
    let mut month_masks: Option<(i32, HashMap<String, malkart::engine::sickleave::MaskReason>)> =
        None;
    for ((month, unit), t) in &totals {
        if !rights.reads_unit(unit) {
            continue;
        }
        if month_masks.as_ref().is_none_or(|(m, _)| m != month) {
            let masked = engine
                .sick_leave_masked_units(&Period::month(Month::from_index(*month)), min_employees)
                .into_iter()
                .map(|(u, reason)| (u.code, reason))
                .collect();
            month_masks = Some((*month, masked));
        }
        let reason = month_masks
            .as_ref()
            .and_then(|(_, masks)| masks.get(unit).copied());
        out.push(match reason {
            Some(reason) => json!({
                "unit": unit, "month": month, "masked": true, "mask_reason": reason,
                "employees": null, "contracted_days": t.contracted_days,
                "self_certified": null, "doctor_certified": null,
                "split_contracted_days": null, "short_days": null, "long_days": null,
            }),
            None => json!({
                "unit": unit, "month": month, "masked": false, "mask_reason": null,
                "employees": t.employees, "contracted_days": t.contracted_days,
                "self_certified": t.self_certified, "doctor_certified": t.doctor_certified,
                "split_contracted_days": t.split_contracted_days,
                "short_days": t.short_days, "long_days": t.long_days,
            }),
        });
    }
    Ok(out)
}

/// Whether anything the summary is computed from changed at or after the watermark
/// `after` (a sick-leave row or its removal, a unit, the masking minimum): then the pull
/// sends the whole summary again. Secondary masking reaches across the tree, so any
/// change anywhere may change a row the caller reads.
pub async fn changed_since(client: &Client, after: &str) -> Result<bool> {
    Ok(client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM sick_leave WHERE xid >= $1::text::xid8)
                 OR EXISTS (SELECT 1 FROM units WHERE xid >= $1::text::xid8)
                 OR EXISTS (SELECT 1 FROM settings WHERE key = 'min_employees'
                                AND xid >= $1::text::xid8)
                 OR EXISTS (SELECT 1 FROM deletions WHERE entity = 'sick_leave'
                                AND xid >= $1::text::xid8)",
            &[&after],
        )
        .await?
        .get(0))
}
