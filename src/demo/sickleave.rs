//! Demo sick leave: every unit, every month — higher in winter, lower in summer, some long
//! absences, employees, the length split for most units, and at least one unit small
//! enough to be masked. Also the default `SF` target (7,0 %, red above 8,5 %) per year, and
//! a looser one for Helse og omsorg (8,5 %, red above 10,0 %), as in the example `mål.csv`.
//!
//! A unit's figures for a month depend only on the unit's code and the month, so a month
//! looks the same whatever month the demo runs through.

use std::f64::consts::TAU;

use super::rng::{self, Purpose};
use super::tree::{DemoUnit, Kind};
use crate::format::round_half_away;
use crate::model::{LengthSplit, SickLeave, Target};
use crate::period::Month;

/// Working days per calendar month (a typical year; Easter in April, Christmas in December).
const WORKDAYS: [f64; 12] = [
    22.0, 20.0, 21.0, 19.0, 20.0, 21.0, 23.0, 22.0, 21.0, 23.0, 21.0, 19.0,
];
/// Share of units that do not report the length split.
const NO_SPLIT_SHARE: f64 = 0.15;
/// Chance of a long absence case starting in a unit in a month.
const LONG_CASE_SHARE: f64 = 0.06;
/// The unit forced below the masking limit when the tree has none (a small department).
const SMALL_EMPLOYEES: u32 = 3;

fn key(code: &str) -> u64 {
    code.bytes()
        .fold(0u64, |h, b| h.wrapping_mul(131).wrapping_add(u64::from(b)))
}

fn one_decimal(x: f64) -> f64 {
    round_half_away(x, 1)
}

/// The unit's usual sick-leave percentage: care work higher, offices lower.
fn base_rate(unit: &DemoUnit, k: u64) -> f64 {
    let typical = match unit.kind {
        Kind::NursingHome | Kind::NursingDept | Kind::HomeCare | Kind::HomeCareZone => 9.5,
        Kind::Kindergarten | Kind::Housing => 8.5,
        Kind::School | Kind::Sfo | Kind::Emergency | Kind::MentalHealth => 6.5,
        Kind::Water | Kind::WaterDept | Kind::Road | Kind::Property | Kind::PropertyDept => 5.5,
        Kind::Fire | Kind::Building => 5.0,
        _ => 4.5,
    };
    typical * (0.75 + 0.5 * rng::uniform(Purpose::SickLeave, &[k, 0]))
}

/// Head counts as drawn for the tree, except that when no leaf unit has fewer than five
/// employees the smallest leaf is made a unit of three, so that masking shows.
fn head_counts(units: &[DemoUnit]) -> Vec<u32> {
    let mut counts: Vec<u32> = units.iter().map(|u| u.employees.max(1)).collect();
    if !(0..units.len()).any(|i| units[i].leaf && counts[i] < 5) {
        if let Some(i) = (0..units.len())
            .filter(|&i| units[i].leaf)
            .min_by_key(|&i| (counts[i], units[i].code.clone()))
        {
            counts[i] = SMALL_EMPLOYEES;
        }
    }
    counts
}

pub(crate) fn generate(units: &[DemoUnit], start: Month, through: Month) -> Vec<SickLeave> {
    let counts = head_counts(units);
    let months = (through.index() - start.index() + 1).max(0) as usize;
    let mut out = Vec::with_capacity(units.len() * months);
    for (unit, &employees) in units.iter().zip(&counts) {
        let k = key(&unit.code);
        let base = base_rate(unit, k);
        let position_share = 0.78 + 0.17 * rng::uniform(Purpose::SickLeave, &[k, 1]);
        let has_split = rng::uniform(Purpose::SickSplit, &[k]) >= NO_SPLIT_SHARE;
        for i in 0..months {
            let month = start.plus(i as i32);
            let m = month.index() as u64;
            let calendar = month.month() as usize - 1;
            let contracted =
                one_decimal(f64::from(employees) * position_share * WORKDAYS[calendar]);
            // Winter peak in January–February, summer low in July.
            let season = 1.0 + 0.28 * (TAU * (month.month() as f64 - 1.5) / 12.0).cos();
            let noise = 1.0 + 0.18 * rng::normal(Purpose::SickLeave, &[k, m]);
            let rate = (base * season * noise).max(0.5);
            let ordinary = contracted * rate / 100.0;
            // A long case: someone away most of the month (at least 60 % graded).
            let long_case = rng::uniform(Purpose::LongAbsence, &[k, m]) < LONG_CASE_SHARE;
            let long_extra = if long_case {
                let grade = 0.6 + 0.4 * rng::uniform(Purpose::LongAbsence, &[k, m, 1]);
                (WORKDAYS[calendar] * grade).min(contracted * 0.5)
            } else {
                0.0
            };
            let self_share = 0.22 + 0.1 * rng::uniform(Purpose::SickLeave, &[k, m, 2]);
            let mut self_certified = one_decimal(ordinary * self_share);
            let mut doctor_certified = one_decimal(ordinary * (1.0 - self_share) + long_extra);
            let total = self_certified + doctor_certified;
            if total > contracted {
                let scale = contracted / total * 0.9;
                self_certified = one_decimal(self_certified * scale);
                doctor_certified = one_decimal(doctor_certified * scale);
            }
            let absence = self_certified + doctor_certified;
            let split = has_split.then(|| {
                // Self-certified leave is all short; doctor-certified leave spreads over the
                // bands, and a long case sits in the longest.
                let doctor_ordinary = (doctor_certified - long_extra).max(0.0);
                let days_1_3 = one_decimal(self_certified * 0.8);
                let days_4_16 = one_decimal(self_certified * 0.2 + doctor_ordinary * 0.45);
                let days_17_56 = one_decimal(doctor_ordinary * 0.35);
                let days_over_56 = one_decimal(absence - days_1_3 - days_4_16 - days_17_56);
                LengthSplit {
                    days_1_3,
                    days_4_16,
                    days_17_56,
                    days_over_56: days_over_56.max(0.0),
                }
            });
            // The bands must add up exactly; when rounding pushed the rest below zero, the
            // row goes without the split rather than carry a wrong one.
            let split = split.filter(|s| {
                (s.days_1_3 + s.days_4_16 + s.days_17_56 + s.days_over_56 - absence).abs() <= 0.005
            });
            out.push(SickLeave {
                unit: unit.code.clone(),
                month,
                contracted_days: contracted,
                self_certified,
                doctor_certified,
                employees: Some(employees),
                split,
            });
        }
    }
    out
}

/// `SF` targets for every year of the demo: 7,0 % (red above 8,5 %) for all units, 8,5 %
/// (red above 10,0 %) for Helse og omsorg.
pub(crate) fn targets(units: &[DemoUnit], start: Month, through: Month) -> Vec<Target> {
    let mut out = Vec::new();
    for year in start.year()..=through.year() {
        out.push(Target {
            indicator: "SF".to_string(),
            unit: None,
            year,
            target: 7.0,
            red_limit: Some(8.5),
            reference: None,
        });
        if units.iter().any(|u| u.code == "3000") {
            out.push(Target {
                indicator: "SF".to_string(),
                unit: Some("3000".to_string()),
                year,
                target: 8.5,
                red_limit: Some(10.0),
                reference: None,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::DemoSize;
    use crate::engine::sickleave::check;

    #[test]
    fn every_unit_and_month_passes_the_checks_with_winter_above_summer() {
        let units = crate::demo::tree::build(DemoSize::Small);
        let start = Month::new(2024, 1).unwrap_or_else(|| panic!("month"));
        let through = Month::new(2026, 8).unwrap_or_else(|| panic!("month"));
        let rows = generate(&units, start, through);
        // 32 months for every unit.
        assert_eq!(rows.len(), units.len() * 32);
        for r in &rows {
            assert!(check(r).is_empty(), "{r:?}: {:?}", check(r));
        }
        let rate = |month: u32| {
            let (a, c) = rows
                .iter()
                .filter(|r| r.month.month() == month)
                .fold((0.0, 0.0), |(a, c), r| {
                    (a + r.absence_days(), c + r.contracted_days)
                });
            a / c
        };
        assert!(
            rate(1) > rate(7) * 1.3,
            "January {} vs July {}",
            rate(1),
            rate(7)
        );
        let with_split = rows.iter().filter(|r| r.split.is_some()).count();
        assert!(
            with_split * 10 >= rows.len() * 7 && with_split < rows.len(),
            "{with_split}"
        );
        let long = rows
            .iter()
            .filter(|r| r.split.is_some_and(|s| s.days_over_56 > 10.0))
            .count();
        assert!(long > 0, "some long absences");
        assert!(
            rows.iter().any(|r| r.employees.is_some_and(|e| e < 5)
                && units.iter().any(|u| u.code == r.unit && u.leaf)),
            "a unit small enough to be masked"
        );
        // Deterministic.
        assert_eq!(rows, generate(&units, start, through));
    }
}
