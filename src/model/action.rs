//! Tiltak (tiltak.md): the actions taken to reach a goal, and their status comments per
//! period. Plain data; the rules are `rules::action`, the counts the engine's
//! (`engine::actions`), persistence `storage::actions`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::period::Month;

/// What kind of tiltak: an ordinary action, an assignment from the politicians (no money),
/// or an investment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    #[default]
    Tiltak,
    Oppdrag,
    Investering,
}

impl ActionKind {
    pub const ALL: [ActionKind; 3] = [
        ActionKind::Tiltak,
        ActionKind::Oppdrag,
        ActionKind::Investering,
    ];
    /// The word in files and on screen, also the stored value.
    pub fn word(self) -> &'static str {
        match self {
            ActionKind::Tiltak => "tiltak",
            ActionKind::Oppdrag => "oppdrag",
            ActionKind::Investering => "investering",
        }
    }
    /// The word, any case.
    pub fn parse(text: &str) -> Option<ActionKind> {
        let text = text.trim().to_lowercase();
        Self::ALL.into_iter().find(|k| k.word() == text)
    }
}

/// Where a tiltak stands. `Fullfort` means progress 100.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    IkkeStartet,
    Pagar,
    Fullfort,
    Utsatt,
    Avbrutt,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 5] = [
        ActionStatus::IkkeStartet,
        ActionStatus::Pagar,
        ActionStatus::Fullfort,
        ActionStatus::Utsatt,
        ActionStatus::Avbrutt,
    ];
    /// `ikke startet`, `pågår`, `fullført`, `utsatt`, `avbrutt`.
    pub fn word(self) -> &'static str {
        match self {
            ActionStatus::IkkeStartet => "ikke startet",
            ActionStatus::Pagar => "pågår",
            ActionStatus::Fullfort => "fullført",
            ActionStatus::Utsatt => "utsatt",
            ActionStatus::Avbrutt => "avbrutt",
        }
    }
    /// The stored value (the serde name).
    pub fn key(self) -> &'static str {
        match self {
            ActionStatus::IkkeStartet => "ikke_startet",
            ActionStatus::Pagar => "pagar",
            ActionStatus::Fullfort => "fullfort",
            ActionStatus::Utsatt => "utsatt",
            ActionStatus::Avbrutt => "avbrutt",
        }
    }
    /// The word or the key, any case, with or without æ/ø/å: `Pågår`, `pagar`,
    /// `ikke startet`, `ikke_startet`.
    pub fn parse(text: &str) -> Option<ActionStatus> {
        let folded: String = text
            .trim()
            .to_lowercase()
            .chars()
            .map(|c| match c {
                'å' => 'a',
                'ø' => 'o',
                'æ' => 'e',
                ' ' | '-' => '_',
                c => c,
            })
            .collect();
        Self::ALL.into_iter().find(|s| s.key() == folded)
    }
    /// Still being worked on or waiting: not `fullført` and not `avbrutt`. Only an open
    /// tiltak can be late, and only an open one answers for a red indicator.
    pub fn is_open(self) -> bool {
        !matches!(self, ActionStatus::Fullfort | ActionStatus::Avbrutt)
    }
    /// The mark that stands beside the word (never colour alone): `○ ◐ ● ‖ ✕`.
    pub fn mark(self) -> &'static str {
        match self {
            ActionStatus::IkkeStartet => "○",
            ActionStatus::Pagar => "◐",
            ActionStatus::Fullfort => "●",
            ActionStatus::Utsatt => "‖",
            ActionStatus::Avbrutt => "✕",
        }
    }
}

/// A tiltak: an action a unit takes to reach a goal (tiltak.md §1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Action {
    /// Unique, like other codes (`T-2026-01`).
    pub code: String,
    pub title: String,
    pub description: Option<String>,
    /// The goal (fokusområde) it serves, spelled as in the indicator catalogue; its
    /// perspective follows from the indicators with that goal.
    pub goal: String,
    pub success_factor: Option<String>,
    /// The unit that owns it; its subtree's målkart shows it.
    pub unit: String,
    /// A name or a role.
    pub responsible: String,
    pub kind: ActionKind,
    /// The political decision it comes from, e.g. `KST 45/26`.
    pub decision_ref: Option<String>,
    /// Months as `2026-03`; `deadline` ≥ `start`.
    pub start: Option<String>,
    pub deadline: Option<String>,
    pub status: ActionStatus,
    /// 0–100, whole per cent; `fullført` is 100.
    pub progress: u8,
    /// In whole øre, exact.
    pub cost_ore: Option<i64>,
    /// The indicator codes it is meant to move, in the order given.
    pub indicators: Vec<String>,
}

impl Action {
    /// The deadline as a month (`None`: no deadline, or one this version cannot read).
    pub fn deadline_month(&self) -> Option<Month> {
        self.deadline.as_deref().and_then(Month::parse_id)
    }
    pub fn start_month(&self) -> Option<Month> {
        self.start.as_deref().and_then(Month::parse_id)
    }
    /// Late (forsinket), judged on the day `as_of`: the deadline's month has ended and the
    /// tiltak is still open. Never stored. On the deadline month's last day it is not late
    /// yet; on the first day of the month after it is.
    pub fn is_late_on(&self, as_of: chrono::NaiveDate) -> bool {
        use chrono::Datelike;
        match Month::new(as_of.year(), as_of.month()) {
            Some(month) => self.is_late_in(month),
            None => false,
        }
    }
    /// Late as seen from within `month` (any day of it): the deadline is an earlier month
    /// and the tiltak is open.
    pub fn is_late_in(&self, month: Month) -> bool {
        self.status.is_open() && self.deadline_month().is_some_and(|d| d < month)
    }
}

/// A status comment on a tiltak for one period: what happened in that month or tertial.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActionComment {
    /// This database's number for the comment.
    pub id: i64,
    /// The comment's id on every machine (UUID v7); empty only before it is stored.
    pub uid: String,
    pub action: String,
    /// Canonical period id.
    pub period: String,
    pub author: String,
    pub text: String,
    /// RFC 3339, local time with offset.
    pub created_at: String,
    pub updated_at: Option<String>,
}
