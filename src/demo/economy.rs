//! Demo economy: a year's periodised budget per unit (with a July dip where it belongs),
//! monthly accounts that drift from budget in a few units, forecasts from most units.
//!
//! Every unit is an ansvar. Its yearly net budget follows its head count and kind (about
//! 720 000 kr per employee, more where buildings, transport or purchased services weigh);
//! water and sewage, municipal housing and the finance units are net income (negative:
//! fees, rent and taxes exceed their costs). The yearly budget is spread over the months by
//! a profile: schools, SFO and kindergartens dip in July (summer holiday), nursing homes and
//! home care rise in July (summer temps), everyone else pays holiday pay in June and is
//! quieter in July. Accounts follow the budget with a little noise; about one unit in ten
//! drifts into over-spending through the year. From March, about six units in seven send a
//! forecast each month that follows their accounts; the rest send none (and count as on
//! budget). Every draw is keyed by unit and month (`super::rng`), so a month's figures do not
//! depend on the window generated.

use super::rng::{self, Purpose};
use super::tree::{DemoUnit, Kind};
use crate::engine::economy::spread_by_profile;
use crate::model::{EconomyMonth, Target};
use crate::period::Month;

/// Share of units whose accounts drift into over-spending through each year.
const DRIFT_SHARE: f64 = 0.10;
/// Share of units that never send a forecast.
const NO_FORECAST_SHARE: f64 = 0.15;

/// Relative monthly weights of a unit's costs, January..December.
fn profile(kind: Kind) -> [i64; 12] {
    match kind {
        // Summer holiday: schools, SFO and kindergartens mostly closed in July.
        Kind::School | Kind::Sfo | Kind::Kindergarten => {
            [100, 100, 100, 100, 100, 115, 40, 95, 100, 100, 100, 100]
        }
        // Round-the-clock care: summer temps cost extra in July.
        Kind::NursingHome | Kind::NursingDept | Kind::HomeCare | Kind::HomeCareZone => {
            [100, 100, 100, 100, 100, 110, 118, 106, 100, 100, 100, 100]
        }
        // Holiday pay in June, a quiet July.
        _ => [100, 100, 100, 100, 100, 120, 80, 100, 100, 100, 100, 100],
    }
}

/// The unit's net budget for 2026 in whole kroner (negative: net income).
fn budget_2026(unit: &DemoUnit, u: usize) -> i64 {
    let employees = f64::from(unit.employees.max(3));
    let per_employee = match unit.kind {
        Kind::Water | Kind::WaterDept => -310_000.0,
        Kind::Housing => -90_000.0,
        Kind::Finance | Kind::FinanceDept => -250_000.0,
        Kind::Property | Kind::PropertyDept | Kind::Road => 1_400_000.0,
        Kind::NursingHome | Kind::NursingDept | Kind::HomeCare | Kind::HomeCareZone => 820_000.0,
        Kind::Nav => 1_100_000.0,
        _ => 720_000.0,
    };
    let spread = 0.85 + 0.3 * rng::uniform(Purpose::Budget, &[u as u64]);
    // Whole thousands, as budgets are written.
    ((employees * per_employee * spread) / 1000.0).round() as i64 * 1000
}

fn ore(kroner: f64) -> i64 {
    (kroner * 100.0).round() as i64
}

pub(crate) fn generate(units: &[DemoUnit], start: Month, through: Month) -> Vec<EconomyMonth> {
    let mut out = Vec::new();
    for (u, unit) in units.iter().enumerate() {
        let key = u as u64;
        let base = budget_2026(unit, u);
        let weights = profile(unit.kind);
        let sends_forecast = rng::uniform(Purpose::Forecast, &[key]) >= NO_FORECAST_SHARE;
        for year in start.year()..=through.year() {
            // 3 % a year in both directions from 2026 (wages and prices).
            let annual = ore(base as f64 * 1.03f64.powi(year - 2026));
            let months = spread_by_profile(annual, &weights);
            let y = year as u64;
            let drift = if rng::uniform(Purpose::Actual, &[key, y, 0xD]) < DRIFT_SHARE {
                0.06 + 0.08 * rng::uniform(Purpose::Actual, &[key, y, 0xE])
            } else {
                0.0
            };
            let mut actual_so_far = 0i64;
            for (k, &budget) in months.iter().enumerate() {
                let month = Month::from_index(year * 12 + k as i32);
                let mut row = EconomyMonth {
                    unit: unit.code.clone(),
                    month,
                    budget: Some(budget),
                    actual: None,
                    forecast: None,
                };
                if month >= start && month <= through {
                    let m = month.index() as u64;
                    // A drifting unit overspends more each month; the rest ± about 2 %.
                    let noise = 0.02 * rng::normal(Purpose::Actual, &[key, m]);
                    let creep = drift * (k as f64 + 1.0) / 6.0;
                    let actual = ore(budget as f64 / 100.0 * (1.0 + creep + noise));
                    actual_so_far += actual;
                    row.actual = Some(actual);
                    if sends_forecast && k >= 2 {
                        // Accounts so far, plus the rest of the budget at the same pace.
                        let budget_so_far: i64 = months[..=k].iter().sum();
                        let pace = if budget_so_far != 0 {
                            actual_so_far as f64 / budget_so_far as f64
                        } else {
                            1.0
                        };
                        let rest: i64 = months[k + 1..].iter().sum();
                        let wobble = 0.005 * rng::normal(Purpose::Forecast, &[key, m]);
                        let forecast = actual_so_far as f64 + rest as f64 * (pace + wobble);
                        // Whole thousands of kroner, as forecasts are written.
                        row.forecast = Some((forecast / 100_000.0).round() as i64 * 100_000);
                    }
                }
                out.push(row);
            }
        }
    }
    out
}

/// The default `OK-AVVIK` target for every year with figures: 0 % (on budget), red below
/// −2 % (over-spending by more than 2 % of the periodised budget).
pub(crate) fn targets(start: Month, through: Month) -> Vec<Target> {
    (start.year()..=through.year())
        .map(|year| Target {
            indicator: "OK-AVVIK".to_string(),
            unit: None,
            year,
            target: 0.0,
            red_limit: Some(-2.0),
            reference: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::DemoSize;

    fn demo() -> (Vec<DemoUnit>, Vec<EconomyMonth>) {
        let units = super::super::tree::build(DemoSize::Small);
        let through = Month::new(2026, 9).unwrap_or(Month::from_index(0));
        let start = DemoSize::Small.first_month(through);
        let rows = generate(&units, start, through);
        (units, rows)
    }

    #[test]
    fn budgets_fill_every_month_of_every_year_and_accounts_stop_at_the_last_month() {
        let (units, rows) = demo();
        // Small: 2024-01..2026-09 → three whole years of budget per unit.
        assert_eq!(rows.len(), units.len() * 36);
        assert!(rows.iter().all(|r| r.budget.is_some()));
        let last_actual = rows
            .iter()
            .filter(|r| r.actual.is_some())
            .map(|r| r.month)
            .max();
        assert_eq!(last_actual.map(|m| m.id()), Some("2026-09".to_string()));
        assert!(rows
            .iter()
            .all(|r| r.forecast.is_none() || r.actual.is_some()));
    }

    #[test]
    fn schools_dip_in_july_and_nursing_homes_do_not() {
        let (units, rows) = demo();
        let budget = |kind: Kind, month: u32| -> i64 {
            let u = units.iter().position(|u| u.kind == kind).unwrap_or(0);
            rows.iter()
                .filter(|r| {
                    r.unit == units[u].code && r.month.year() == 2026 && r.month.month() == month
                })
                .filter_map(|r| r.budget)
                .sum()
        };
        assert!(budget(Kind::School, 7) * 2 < budget(Kind::School, 5));
        assert!(budget(Kind::NursingHome, 7) > budget(Kind::NursingHome, 5));
    }

    #[test]
    fn some_units_are_net_income_and_most_but_not_all_send_forecasts() {
        let (units, rows) = demo();
        assert!(rows.iter().any(|r| r.budget.is_some_and(|b| b < 0)));
        let with_forecast = units
            .iter()
            .filter(|u| {
                rows.iter()
                    .any(|r| r.unit == u.code && r.forecast.is_some())
            })
            .count();
        assert!(
            with_forecast * 2 > units.len(),
            "{with_forecast} of {}",
            units.len()
        );
        assert!(
            with_forecast < units.len(),
            "{with_forecast} of {}",
            units.len()
        );
        // The same month, generated through a later month, has the same figures.
        let later = generate(
            &units,
            DemoSize::Small.first_month(Month::new(2026, 9).unwrap_or(Month::from_index(0))),
            Month::new(2026, 11).unwrap_or(Month::from_index(0)),
        );
        let pick = |rs: &[EconomyMonth]| rs.iter().find(|r| r.month.id() == "2026-05").cloned();
        assert_eq!(pick(&rows), pick(&later));
    }
}
