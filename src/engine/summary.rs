//! Perspective and goal summaries (engine.md §7): counts per status and the overall colour,
//! where red beats yellow beats green and `no_target` never colours anything.

use serde::Serialize;
use ts_rs::TS;

use super::{GoalSummary, IndicatorResult, PerspectiveResult, Status, StatusCounts};
use crate::model::Perspective;

pub(crate) fn count(statuses: impl Iterator<Item = Status>) -> StatusCounts {
    let mut c = StatusCounts::default();
    for s in statuses {
        match s {
            Status::Green => c.green += 1,
            Status::Yellow => c.yellow += 1,
            Status::Red => c.red += 1,
            Status::NoData => c.no_data += 1,
            Status::NoTarget => c.no_target += 1,
        }
    }
    c
}

/// Red if any red, else yellow if any yellow, else green if any green, else no data.
pub(crate) fn overall(c: &StatusCounts) -> Status {
    if c.red > 0 {
        Status::Red
    } else if c.yellow > 0 {
        Status::Yellow
    } else if c.green > 0 {
        Status::Green
    } else {
        Status::NoData
    }
}

/// One perspective from its indicators (already in code order): goals in order of first
/// appearance among them; indicators without a goal count only for the perspective.
pub(crate) fn perspective(
    key: Perspective,
    name: String,
    indicators: Vec<IndicatorResult>,
) -> PerspectiveResult {
    let mut goal_names: Vec<&str> = Vec::new();
    for r in &indicators {
        if let Some(g) = r.goal.as_deref() {
            if !goal_names.contains(&g) {
                goal_names.push(g);
            }
        }
    }
    let goals = goal_names
        .iter()
        .map(|&g| {
            let counts = count(
                indicators
                    .iter()
                    .filter(|r| r.goal.as_deref() == Some(g))
                    .map(|r| r.status),
            );
            GoalSummary {
                name: g.to_string(),
                status: overall(&counts),
                counts,
                actions: Default::default(),
            }
        })
        .collect();
    let counts = count(indicators.iter().map(|r| r.status));
    PerspectiveResult {
        key,
        name,
        status: overall(&counts),
        counts,
        goals,
        indicators,
    }
}

/// The status of a group of indicators — a perspective of one unit, or a unit's whole
/// målkart — for the director's overview (issue 12 §2; `service::overview`): the worst
/// status, as `overall`, and **provisional** when every result with that status is
/// provisional (a final red beside a provisional red is final). The counts keep final and
/// provisional colours apart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct GroupStatus {
    /// The worst status (red, yellow, green), `no_data` when no indicator has a colour.
    pub status: Status,
    /// Every indicator with `status` is provisional: shown «◔ foreløpig (rød så langt)».
    pub provisional: bool,
    /// Final results: green, yellow, red.
    pub green: u32,
    pub yellow: u32,
    pub red: u32,
    /// Coloured results whose period has not ended (any colour).
    pub provisional_count: u32,
    /// Without a status: no figure (or masked), or no target.
    pub without_status: u32,
    /// All indicators of the group.
    pub indicators: u32,
}

#[cfg(test)]
impl GroupStatus {
    /// For tests: (status, provisional, green, yellow, red, provisional_count,
    /// without_status), to compare a whole group in one line.
    pub(crate) fn brief(&self) -> (Status, bool, u32, u32, u32, u32, u32) {
        (
            self.status,
            self.provisional,
            self.green,
            self.yellow,
            self.red,
            self.provisional_count,
            self.without_status,
        )
    }
}

impl GroupStatus {
    /// The status of `results` by the rule above.
    pub fn of<'a>(results: impl IntoIterator<Item = &'a IndicatorResult>) -> GroupStatus {
        let mut g = GroupStatus {
            status: Status::NoData,
            provisional: false,
            green: 0,
            yellow: 0,
            red: 0,
            provisional_count: 0,
            without_status: 0,
            indicators: 0,
        };
        // Per colour (red, yellow, green): how many results, how many of them final.
        let mut seen = [(0u32, 0u32); 3];
        for r in results {
            g.indicators += 1;
            let slot = match r.status {
                Status::Red => 0,
                Status::Yellow => 1,
                Status::Green => 2,
                Status::NoData | Status::NoTarget => {
                    g.without_status += 1;
                    continue;
                }
            };
            seen[slot].0 += 1;
            if r.provisional {
                g.provisional_count += 1;
            } else {
                seen[slot].1 += 1;
                match r.status {
                    Status::Red => g.red += 1,
                    Status::Yellow => g.yellow += 1,
                    _ => g.green += 1,
                }
            }
        }
        let colours = [Status::Red, Status::Yellow, Status::Green];
        if let Some(k) = seen.iter().position(|&(all, _)| all > 0) {
            g.status = colours[k];
            g.provisional = seen[k].1 == 0;
        }
        g
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    fn overall_of(statuses: &[Status]) -> Status {
        overall(&count(statuses.iter().copied()))
    }

    #[test]
    fn summary_colour_rules() {
        assert_eq!(overall_of(&[Green, Yellow, Red, NoData]), Red);
        assert_eq!(overall_of(&[Green, Yellow, NoTarget]), Yellow);
        assert_eq!(overall_of(&[Green, NoData, NoTarget]), Green);
        // no_target never colours the summary: only observations gives no_data.
        assert_eq!(overall_of(&[NoTarget, NoTarget]), NoData);
        assert_eq!(overall_of(&[]), NoData);
        let c = count([Green, Green, NoTarget, Red].into_iter());
        assert_eq!(
            (c.green, c.yellow, c.red, c.no_data, c.no_target),
            (2, 0, 1, 0, 1)
        );
    }

    fn brief(g: &GroupStatus) -> (Status, bool, u32, u32, u32, u32, u32) {
        g.brief()
    }

    fn result(status: Status, provisional: bool) -> IndicatorResult {
        let mut r: IndicatorResult = serde_json::from_value(serde_json::json!({
            "code": "X", "name": "X", "goal": null, "unit_label": "", "decimals": 0,
            "direction": "høy", "frequency": "måned", "aggregation": "sum",
            "period": "2026-10", "value": null, "display": null, "display_value": null,
            "numerator": null, "denominator": null, "target": null, "red_limit": null,
            "target_source": null, "status": "no_data", "coverage": null, "complete": true,
            "reported_cells": 0, "expected_cells": 0, "expected_units": 0, "missing_units": 0,
            "previous": { "period": "2026-09", "value": null },
            "last_year": { "period": "2025-10", "value": null },
            "trend": "unknown"
        }))
        .unwrap();
        r.status = status;
        r.provisional = provisional;
        r
    }

    #[test]
    fn a_final_colour_is_final_beside_a_provisional_one() {
        use Status::*;
        // A final rød and a provisional rød: rød, final; 1 rød and 1 foreløpig counted.
        let g = GroupStatus::of(&[result(Red, false), result(Red, true), result(Green, false)]);
        assert_eq!(brief(&g), (Red, false, 1, 0, 1, 1, 0));
        // Only a provisional rød and a final gul: rød so far (provisional) is the worst.
        let g = GroupStatus::of(&[result(Red, true), result(Yellow, false)]);
        assert_eq!(brief(&g), (Red, true, 0, 1, 0, 1, 0));
        // ingen mål never colours; with ingen data only: ingen data, 2 without status.
        let g = GroupStatus::of(&[result(NoTarget, false), result(NoData, true)]);
        assert_eq!(brief(&g), (NoData, false, 0, 0, 0, 0, 2));
        assert_eq!(g.indicators, 2);
    }
}
