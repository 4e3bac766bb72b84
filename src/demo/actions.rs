//! The demo municipality's tiltak (tiltak.md): planned from its målkart as loaded, so they
//! answer what is actually red. In the month the app opens on (`through`), every sector
//! gets a tiltak for each indicator red in its målkart, and the municipality one for each
//! indicator red at the top that no sector answers — except one or two (at most half),
//! left `rød uten tiltak` for the director to find. Each sector also has work of other kinds: one finished, one
//! late, one postponed, an assignment from the council and an investment. Some tiltak have
//! a status comment. Deterministic: the same data gives the same tiltak.

use std::collections::BTreeSet;

use crate::engine::{Engine, IndicatorResult, Status, UnitNode};
use crate::model::{Action, ActionComment, ActionKind, ActionStatus};
use crate::period::{Month, Period};

use super::rng::{self, Purpose};

/// How many red indicators at the top are left without a tiltak (at most half of them).
const LEFT_UNANSWERED: usize = 2;

/// A title for a tiltak serving `goal`, the `n`-th of its kind.
fn title(goal: &str, n: u64) -> String {
    let options: &[&str] = match goal {
        "Sykefravær" => &[
            "Tett oppfølging av sykmeldte i samarbeid med NAV og bedriftshelsetjenesten",
            "Nærværsprosjekt med faste samtaler og tilrettelegging",
            "Kartlegging av arbeidsbelastning i turnus",
        ],
        "Økonomi i balanse" | "God økonomistyring" | "Økonomisk handlingsrom" => &[
            "Månedlig budsjettoppfølging med enhetslederne",
            "Gjennomgang av innkjøpsavtaler",
            "Tiltaksplan for å redusere merforbruk",
        ],
        "Gode tjenester" | "Trygge tjenester" => &[
            "Gjennomgang av saksbehandlingsrutiner",
            "Kompetanseløft i faglig forsvarlighet",
            "Brukerundersøkelse med oppfølgingsmøter",
        ],
        "Læring og mestring" => &[
            "Tidlig innsats i lesing og regning",
            "Felles satsing på vurdering for læring",
        ],
        "Trygt arbeidsmiljø" | "God ledelse" | "Kompetanse" => &[
            "Lederutviklingsprogram for mellomledere",
            "Oppfølging av medarbeiderundersøkelsen",
            "Plan for kompetanse og rekruttering",
        ],
        "Klima og miljø" => &[
            "Energisparing i kommunale bygg",
            "Overgang til elektriske tjenestebiler",
        ],
        _ => &[
            "Handlingsplan med tiltak og frister",
            "Samarbeid med frivilligheten",
        ],
    };
    options[(n as usize) % options.len()].to_string()
}

fn comment_text(status: ActionStatus, late: bool) -> &'static str {
    match (status, late) {
        (ActionStatus::Pagar, true) => {
            "Arbeidet har tatt lengre tid enn planlagt; ny plan legges fram i neste ledermøte."
        }
        (ActionStatus::Pagar, false) => "Godt i gang. Første evaluering er gjennomført.",
        (ActionStatus::Fullfort, _) => "Fullført etter plan. Effekten følges i målkartet.",
        (ActionStatus::Utsatt, _) => "Utsatt i påvente av budsjettbehandlingen.",
        _ => "Oppstart er planlagt.",
    }
}

fn key(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

struct Planner<'a> {
    through: Month,
    actions: Vec<Action>,
    comments: Vec<ActionComment>,
    engine: &'a Engine,
}

impl Planner<'_> {
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        unit: &UnitNode,
        responsible: &str,
        goal: &str,
        indicators: Vec<String>,
        status: ActionStatus,
        deadline: Month,
        kind: ActionKind,
    ) {
        let n = self.actions.len() as u64 + 1;
        let code = format!("T-{n:03}");
        let k = key(&code);
        let progress = match status {
            ActionStatus::Fullfort => 100,
            ActionStatus::IkkeStartet => 0,
            _ => 10 * rng::between(Purpose::Comment, &[k, 7], 2, 7) as u8,
        };
        let late = status.is_open() && deadline < self.through.plus(1);
        let cost_ore = (kind == ActionKind::Investering)
            .then(|| i64::from(rng::between(Purpose::Comment, &[k, 9], 5, 40)) * 100_000_000);
        let decision_ref = match kind {
            ActionKind::Oppdrag => {
                Some(format!("KST {}/{}", 10 + n % 80, self.through.year() % 100))
            }
            ActionKind::Investering => Some(format!("KST 88/{}", self.through.year() % 100 - 1)),
            ActionKind::Tiltak => None,
        };
        let title = match kind {
            ActionKind::Oppdrag => format!("Utrede {}", title(goal, k).to_lowercase()),
            ActionKind::Investering => "Rehabilitering av ventilasjon og tak".to_string(),
            ActionKind::Tiltak => title(goal, k),
        };
        let start = deadline.plus(-(4 + (k % 6) as i32));
        self.actions.push(Action {
            code: code.clone(),
            title,
            description: None,
            goal: goal.to_string(),
            success_factor: None,
            unit: unit.code.clone(),
            responsible: responsible.to_string(),
            kind,
            decision_ref,
            start: Some(start.id()),
            deadline: Some(deadline.id()),
            status,
            progress,
            cost_ore,
            indicators,
        });
        // Every other tiltak that has begun has a status comment for the month shown.
        if status != ActionStatus::IkkeStartet && n % 2 == 1 {
            let month = self.through;
            let offset = if (4..=10).contains(&month.month()) {
                "+02:00"
            } else {
                "+01:00"
            };
            self.comments.push(ActionComment {
                id: 0,
                uid: String::new(),
                action: code,
                period: month.id(),
                author: responsible.to_string(),
                text: comment_text(status, late).to_string(),
                created_at: format!(
                    "{}-{:02}-{:02}T09:{:02}:00{offset}",
                    month.year(),
                    month.month(),
                    20 + n % 6,
                    n % 60
                ),
                updated_at: None,
            });
        }
    }

    fn red(&self, unit: &str) -> Vec<IndicatorResult> {
        let period = Period::month(self.through);
        self.engine
            .scorecard(unit, &period)
            .map(|card| {
                card.perspectives
                    .into_iter()
                    .flat_map(|p| p.indicators)
                    .filter(|r| r.status == Status::Red && r.goal.is_some())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// A goal of `unit`'s målkart, the `n`-th in code order.
    fn some_goal(&self, unit: &str, n: u64) -> Option<(String, String)> {
        let period = Period::month(self.through);
        let card = self.engine.scorecard(unit, &period).ok()?;
        let results: Vec<IndicatorResult> = card
            .perspectives
            .into_iter()
            .flat_map(|p| p.indicators)
            .filter(|r| r.goal.is_some())
            .collect();
        let r = results.get((n as usize) % results.len().max(1))?;
        Some((r.goal.clone()?, r.code.clone()))
    }
}

/// The tiltak and their status comments for the demo loaded in `engine`, with figures
/// through `through` (the month the app opens on).
pub fn plan(engine: &Engine, through: Month) -> (Vec<Action>, Vec<ActionComment>) {
    let tree = engine.unit_tree();
    let Some(root) = tree.iter().find(|u| u.parent.is_none()) else {
        return (Vec::new(), Vec::new());
    };
    let sectors: Vec<&UnitNode> = tree
        .iter()
        .filter(|u| u.parent.as_deref() == Some(root.code.as_str()))
        .collect();
    let mut p = Planner {
        through,
        actions: Vec::new(),
        comments: Vec::new(),
        engine,
    };
    // Two of the top's red indicators stay unanswered: the ones first by a stable hash.
    let mut top_red = p.red(&root.code);
    top_red.sort_by_key(|r| rng::hash(Purpose::Comment, &[key(&r.code)]));
    // Half of them when there are few, so most are still answered.
    let unanswered: BTreeSet<String> = top_red
        .iter()
        .take(LEFT_UNANSWERED.min(top_red.len().div_ceil(2)))
        .map(|r| r.code.clone())
        .collect();
    let mut answered: BTreeSet<String> = BTreeSet::new();
    for (si, sector) in sectors.iter().enumerate() {
        let chief = format!("Kommunalsjef {}", sector.name.to_lowercase());
        for (ri, r) in p.red(&sector.code).into_iter().enumerate() {
            if unanswered.contains(&r.code) {
                continue;
            }
            let Some(goal) = r.goal.clone() else { continue };
            let status = if ri % 3 == 2 {
                ActionStatus::IkkeStartet
            } else {
                ActionStatus::Pagar
            };
            let deadline = through.plus(2 + ((si + ri) % 5) as i32);
            answered.insert(r.code.clone());
            p.add(
                sector,
                &chief,
                &goal,
                vec![r.code],
                status,
                deadline,
                ActionKind::Tiltak,
            );
        }
        // Work of every kind: finished, late, postponed, an assignment, an investment.
        let extras = [
            (ActionStatus::Fullfort, through.plus(-3), ActionKind::Tiltak),
            (ActionStatus::Pagar, through.plus(-2), ActionKind::Tiltak),
            (ActionStatus::Utsatt, through.plus(6), ActionKind::Tiltak),
            (ActionStatus::Pagar, through.plus(4), ActionKind::Oppdrag),
            (
                ActionStatus::IkkeStartet,
                through.plus(12),
                ActionKind::Investering,
            ),
        ];
        for (k, (status, deadline, kind)) in extras.into_iter().enumerate() {
            let Some((goal, indicator)) = p.some_goal(&sector.code, (si * 5 + k) as u64) else {
                continue;
            };
            // An open tiltak may not answer an indicator meant to stay unanswered.
            let indicators = if status.is_open() && unanswered.contains(&indicator) {
                Vec::new()
            } else {
                vec![indicator]
            };
            p.add(sector, &chief, &goal, indicators, status, deadline, kind);
        }
    }
    for (ri, r) in p.red(&root.code).into_iter().enumerate() {
        if unanswered.contains(&r.code) || answered.contains(&r.code) {
            continue;
        }
        let Some(goal) = r.goal.clone() else { continue };
        let deadline = through.plus(3 + (ri % 4) as i32);
        p.add(
            root,
            "Kommunedirektøren",
            &goal,
            vec![r.code],
            ActionStatus::Pagar,
            deadline,
            ActionKind::Tiltak,
        );
    }
    (p.actions, p.comments)
}
