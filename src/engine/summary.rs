//! Perspective and goal summaries (engine.md §7): counts per status and the overall colour,
//! where red beats yellow beats green and `no_target` never colours anything.

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
}
