//! The Tauri commands: thin. Each takes its typed arguments (enums such as `ImportKind`,
//! `Format`, `Measure` are refused by serde when unknown), runs the `Backend` method on the
//! blocking thread pool (SQLite and the engine must never stall the window), and returns
//! the core's types or an `IpcError { kind, message, field? }`. The lists in `lib.rs`
//! (`generate_handler!`), `build.rs` (`COMMANDS`), `capabilities/main.json` and
//! `ui/src/lib/backend/tauri.ts` must name exactly these: `tests/commands.rs` checks it.

use std::sync::Arc;

use malkart::engine::actions::{ActionLine, ActionsReport};
use malkart::engine::economy::EconomyReport;
use malkart::engine::sickleave::SickLeaveSummary;
use malkart::engine::{Scorecard, UnitNode};
use malkart::error::IpcError;
use malkart::export::Format;
use malkart::import::ImportKind;
use malkart::model::{Action, ActionComment, Comment, LockedMonth, Target};
use malkart::service::actions::{ActionDetail, ActionFilter, ActionInput, ActionList};
use malkart::service::admin::TargetInput;
use malkart::service::audit::AuditRow;
use malkart::service::conflicts::{CellMark, Resolved, Which};
use malkart::service::detail::{IndicatorDetail, Sparkline};
use malkart::service::economy_grid::{
    EconomyGrid, EconomySave, EconomySaved, Measure, Spread, SpreadInput,
};
use malkart::service::grid::CellProblem;
use malkart::service::imports::ImportOutcome;
use malkart::service::overview::{Overview, UnitStatus};
use malkart::service::sickleave_grid::{SickLeaveGrid, SickLeaveSave, SickLeaveSaved};
use malkart::service::surveys::SurveyView;
use malkart::storage::{AuditFilter, Choice, OutboxConflict};
use tauri::State;

use crate::answers::Page;
use crate::backend::{AppInfo, Backend};
use crate::sync::{KnownServer, SyncState};

type Shared<'a> = State<'a, Arc<Backend>>;

/// Runs `job` on the blocking pool. A panic in the core becomes an `internal` error rather
/// than a dead command.
async fn blocking<T, F>(backend: &Arc<Backend>, job: F) -> Result<T, IpcError>
where
    T: Send + 'static,
    F: FnOnce(&Backend) -> Result<T, IpcError> + Send + 'static,
{
    let backend = Arc::clone(backend);
    match tauri::async_runtime::spawn_blocking(move || job(&backend)).await {
        Ok(result) => result,
        Err(e) => Err(IpcError {
            kind: "internal".into(),
            message: format!("intern feil: {e}"),
            field: None,
        }),
    }
}

#[tauri::command]
pub async fn app_info(backend: Shared<'_>) -> Result<AppInfo, IpcError> {
    blocking(&backend, |b| b.info()).await
}

#[tauri::command]
pub async fn load_demo(backend: Shared<'_>) -> Result<(), IpcError> {
    blocking(&backend, |b| b.load_demo()).await
}

#[tauri::command]
pub async fn units(backend: Shared<'_>) -> Result<Vec<UnitNode>, IpcError> {
    blocking(&backend, |b| b.units()).await
}

#[tauri::command]
pub async fn scorecard(
    backend: Shared<'_>,
    unit: String,
    period: String,
) -> Result<Scorecard, IpcError> {
    blocking(&backend, move |b| b.scorecard(&unit, &period)).await
}

#[tauri::command]
pub async fn sparklines(
    backend: Shared<'_>,
    unit: String,
    period: String,
) -> Result<Vec<Sparkline>, IpcError> {
    blocking(&backend, move |b| b.sparklines(&unit, &period)).await
}

/// Everything `unit`'s målkart for `period` shows, asked before it is opened
/// (`Backend::page_ahead`; `soon`: the person is about to open it); `None` when the engine
/// built does not hold the period.
#[tauri::command]
pub async fn page_ahead(
    backend: Shared<'_>,
    unit: String,
    period: String,
    soon: bool,
) -> Result<Option<Page>, IpcError> {
    blocking(&backend, move |b| b.page_ahead(&unit, &period, soon)).await
}

/// The page showed a målkart it had asked ahead: answer ahead from there (`Backend::opened`).
#[tauri::command]
pub async fn opened(backend: Shared<'_>, unit: String, period: String) -> Result<(), IpcError> {
    blocking(&backend, move |b| b.opened(&unit, &period)).await
}

/// The status grid of `unit`'s children × the perspectives (the director's overview).
#[tauri::command]
pub async fn overview(
    backend: Shared<'_>,
    unit: String,
    period: String,
) -> Result<Overview, IpcError> {
    blocking(&backend, move |b| b.overview(&unit, &period)).await
}

/// The status of every unit's målkart for `period` (the marks in the tree).
#[tauri::command]
pub async fn unit_statuses(
    backend: Shared<'_>,
    period: String,
) -> Result<Vec<UnitStatus>, IpcError> {
    blocking(&backend, move |b| b.unit_statuses(&period)).await
}

#[tauri::command]
pub async fn indicator_detail(
    backend: Shared<'_>,
    indicator: String,
    unit: String,
    period: String,
) -> Result<IndicatorDetail, IpcError> {
    blocking(&backend, move |b| {
        b.indicator_detail(&indicator, &unit, &period)
    })
    .await
}

#[tauri::command]
pub async fn comments(
    backend: Shared<'_>,
    indicator: String,
    unit: String,
    period: String,
) -> Result<Vec<Comment>, IpcError> {
    blocking(&backend, move |b| b.comments(&indicator, &unit, &period)).await
}

#[tauri::command]
pub async fn add_comment(
    backend: Shared<'_>,
    indicator: String,
    unit: String,
    period: String,
    text: String,
) -> Result<Comment, IpcError> {
    blocking(&backend, move |b| {
        b.add_comment(&indicator, &unit, &period, &text)
    })
    .await
}

#[tauri::command]
pub async fn update_comment(
    backend: Shared<'_>,
    id: i64,
    text: String,
) -> Result<Comment, IpcError> {
    blocking(&backend, move |b| b.update_comment(id, &text)).await
}

#[tauri::command]
pub async fn delete_comment(backend: Shared<'_>, id: i64) -> Result<(), IpcError> {
    blocking(&backend, move |b| b.delete_comment(id)).await
}

#[tauri::command]
pub async fn import_file(
    backend: Shared<'_>,
    kind: ImportKind,
    path: String,
    dry_run: bool,
) -> Result<ImportOutcome, IpcError> {
    blocking(&backend, move |b| b.import(kind, &path, dry_run)).await
}

#[tauri::command]
pub async fn set_target(backend: Shared<'_>, input: TargetInput) -> Result<Target, IpcError> {
    blocking(&backend, move |b| b.set_target(&input)).await
}

#[tauri::command]
pub async fn locked_months(backend: Shared<'_>) -> Result<Vec<LockedMonth>, IpcError> {
    blocking(&backend, |b| b.locked_months()).await
}

#[tauri::command]
pub async fn lock_month(backend: Shared<'_>, month: String) -> Result<bool, IpcError> {
    blocking(&backend, move |b| b.lock_month(&month)).await
}

#[tauri::command]
pub async fn unlock_month(
    backend: Shared<'_>,
    month: String,
    reason: String,
) -> Result<bool, IpcError> {
    blocking(&backend, move |b| b.unlock_month(&month, &reason)).await
}

#[tauri::command]
pub async fn audit(backend: Shared<'_>, query: AuditFilter) -> Result<Vec<AuditRow>, IpcError> {
    blocking(&backend, move |b| b.audit(query)).await
}

#[tauri::command]
pub async fn backup(
    backend: Shared<'_>,
    path: String,
    overwrite: Option<bool>,
) -> Result<Option<String>, IpcError> {
    // Replacing a file only when the UI says the user agreed to (its save dialog asks).
    blocking(&backend, move |b| {
        b.backup(&path, overwrite.unwrap_or(false))
    })
    .await
}

#[tauri::command]
pub async fn restore(backend: Shared<'_>, path: String) -> Result<Option<String>, IpcError> {
    blocking(&backend, move |b| b.restore(&path)).await
}

/// «Velg en annen fil» on the broken-database screen: opens another existing database.
#[tauri::command]
pub async fn open_database(backend: Shared<'_>, path: String) -> Result<AppInfo, IpcError> {
    blocking(&backend, move |b| b.open_database(&path)).await
}

/// «Lag ny database» on the broken-database screen: the broken file kept beside a new one.
#[tauri::command]
pub async fn new_database(backend: Shared<'_>) -> Result<Option<String>, IpcError> {
    blocking(&backend, |b| b.new_database()).await
}

#[tauri::command]
pub async fn sick_leave_summary(
    backend: Shared<'_>,
    unit: String,
    period: String,
    min_employees: Option<u32>,
) -> Result<SickLeaveSummary, IpcError> {
    blocking(&backend, move |b| {
        b.sick_leave_summary(&unit, &period, min_employees)
    })
    .await
}

#[tauri::command]
pub async fn economy_report(
    backend: Shared<'_>,
    unit: String,
    period: String,
) -> Result<EconomyReport, IpcError> {
    blocking(&backend, move |b| b.economy_report(&unit, &period)).await
}

/// Writes the file and returns the path written.
#[tauri::command]
pub async fn export_sick_leave(
    backend: Shared<'_>,
    unit: String,
    period: String,
    format: Format,
    path: String,
    min_employees: Option<u32>,
) -> Result<String, IpcError> {
    blocking(&backend, move |b| {
        b.export_sick_leave(&unit, &period, format, &path, min_employees)
    })
    .await
}

/// Writes the file and returns the path written.
#[tauri::command]
pub async fn export_economy(
    backend: Shared<'_>,
    unit: String,
    period: String,
    format: Format,
    path: String,
) -> Result<String, IpcError> {
    blocking(&backend, move |b| {
        b.export_economy(&unit, &period, format, &path)
    })
    .await
}

/// «Skriv ut / PDF»: the målkart as shown, written to `path`; returns the path written.
#[tauri::command]
pub async fn export_scorecard(
    backend: Shared<'_>,
    unit: String,
    period: String,
    deviations_only: bool,
    format: Format,
    path: String,
) -> Result<String, IpcError> {
    blocking(&backend, move |b| {
        b.export_scorecard(&unit, &period, deviations_only, format, &path)
    })
    .await
}

#[tauri::command]
pub async fn min_employees(backend: Shared<'_>) -> Result<u32, IpcError> {
    blocking(&backend, |b| b.min_employees()).await
}

/// «Vis umaskerte tall» on or off (audited; in memory only). `false`: it was so already.
#[tauri::command]
pub async fn set_sick_leave_unmasked(backend: Shared<'_>, on: bool) -> Result<bool, IpcError> {
    blocking(&backend, move |b| b.set_sick_leave_unmasked(on)).await
}

#[tauri::command]
pub async fn set_min_employees(backend: Shared<'_>, n: u32) -> Result<bool, IpcError> {
    blocking(&backend, move |b| b.set_min_employees(n)).await
}

// The registration grids (`grids.rs`): sick leave for a month, economy for a year.

#[tauri::command]
pub async fn sick_leave_grid(
    backend: Shared<'_>,
    unit: String,
    month: String,
) -> Result<SickLeaveGrid, IpcError> {
    blocking(&backend, move |b| b.sick_leave_grid(&unit, &month)).await
}

#[tauri::command]
pub async fn check_sick_leave(
    backend: Shared<'_>,
    input: SickLeaveSave,
) -> Result<Vec<CellProblem>, IpcError> {
    blocking(&backend, move |b| b.check_sick_leave(&input)).await
}

#[tauri::command]
pub async fn save_sick_leave(
    backend: Shared<'_>,
    input: SickLeaveSave,
) -> Result<SickLeaveSaved, IpcError> {
    blocking(&backend, move |b| b.save_sick_leave(&input)).await
}

#[tauri::command]
pub async fn economy_grid(
    backend: Shared<'_>,
    unit: String,
    year: i32,
    measure: Measure,
) -> Result<EconomyGrid, IpcError> {
    blocking(&backend, move |b| b.economy_grid(&unit, year, measure)).await
}

#[tauri::command]
pub async fn save_economy(
    backend: Shared<'_>,
    input: EconomySave,
) -> Result<EconomySaved, IpcError> {
    blocking(&backend, move |b| b.save_economy(&input)).await
}

#[tauri::command]
pub async fn spread_budget(backend: Shared<'_>, input: SpreadInput) -> Result<Spread, IpcError> {
    blocking(&backend, move |b| b.spread_budget(&input)).await
}

// A Målkart server (`sync.rs`): connecting, the sync line, and back to the local file.

/// The servers this desktop has connected to, the open one marked.
#[tauri::command]
pub async fn servers(backend: Shared<'_>) -> Result<Vec<KnownServer>, IpcError> {
    blocking(&backend, |b| b.servers()).await
}

/// «Koble til server»: logs in, pulls into a new replica and opens it as the database.
#[tauri::command]
pub async fn connect_server(
    backend: Shared<'_>,
    url: String,
    user: String,
    password: String,
) -> Result<AppInfo, IpcError> {
    blocking(&backend, move |b| b.connect_server(&url, &user, &password)).await
}

/// «Synkroniser nå»: push the outbox, then pull; the state after (offline is a state).
#[tauri::command]
pub async fn sync_now(backend: Shared<'_>) -> Result<SyncState, IpcError> {
    blocking(&backend, |b| b.sync_now()).await
}

/// The sync line's state, from memory: polled by the UI.
#[tauri::command]
pub async fn sync_status(backend: Shared<'_>) -> Result<SyncState, IpcError> {
    blocking(&backend, |b| b.sync_state()).await
}

/// «Bruk lokal fil»: back from a server's replica to the local database.
#[tauri::command]
pub async fn use_local_database(backend: Shared<'_>) -> Result<AppInfo, IpcError> {
    blocking(&backend, |b| b.use_local_database()).await
}

// Conflicts and local-first states (`conflicts.rs`, issue 14).

/// «Konflikter (n)»: the kept conflicts and refusals, oldest first.
#[tauri::command]
pub async fn conflicts(backend: Shared<'_>) -> Result<Vec<OutboxConflict>, IpcError> {
    blocking(&backend, |b| b.conflicts()).await
}

/// «Behold min» / «Bruk deres» for one conflict.
#[tauri::command]
pub async fn resolve_conflict(
    backend: Shared<'_>,
    id: String,
    choice: Choice,
) -> Result<Resolved, IpcError> {
    blocking(&backend, move |b| b.resolve(&Which::One(id), choice)).await
}

/// «Behold min» / «Bruk deres» for every conflict of one batch (an import), all or none.
#[tauri::command]
pub async fn resolve_batch(
    backend: Shared<'_>,
    batch: String,
    choice: Choice,
) -> Result<Resolved, IpcError> {
    blocking(&backend, move |b| b.resolve(&Which::Batch(batch), choice)).await
}

/// The cells with a change waiting to be sent or in conflict: the marks where they show.
#[tauri::command]
pub async fn cell_marks(backend: Shared<'_>) -> Result<Vec<CellMark>, IpcError> {
    blocking(&backend, |b| b.cell_marks()).await
}

// Tiltak (tiltak.md): `src-tauri/src/actions.rs`.

#[tauri::command]
pub async fn actions(
    backend: Shared<'_>,
    unit: String,
    period: String,
    filter: ActionFilter,
) -> Result<ActionList, IpcError> {
    blocking(&backend, move |b| b.actions(&unit, &period, &filter)).await
}

#[tauri::command]
pub async fn action(
    backend: Shared<'_>,
    code: String,
    period: String,
) -> Result<ActionDetail, IpcError> {
    blocking(&backend, move |b| b.action(&code, &period)).await
}

#[tauri::command]
pub async fn indicator_actions(
    backend: Shared<'_>,
    indicator: String,
    unit: String,
    period: String,
) -> Result<Vec<ActionLine>, IpcError> {
    blocking(&backend, move |b| {
        b.indicator_actions(&indicator, &unit, &period)
    })
    .await
}

#[tauri::command]
pub async fn new_action_code(backend: Shared<'_>) -> Result<String, IpcError> {
    blocking(&backend, move |b| b.new_action_code()).await
}

#[tauri::command]
pub async fn save_action(
    backend: Shared<'_>,
    input: ActionInput,
    creating: bool,
) -> Result<Action, IpcError> {
    blocking(&backend, move |b| b.save_action(&input, creating)).await
}

#[tauri::command]
pub async fn add_action_comment(
    backend: Shared<'_>,
    code: String,
    period: String,
    text: String,
) -> Result<ActionComment, IpcError> {
    blocking(&backend, move |b| {
        b.add_action_comment(&code, &period, &text)
    })
    .await
}

#[tauri::command]
pub async fn update_action_comment(
    backend: Shared<'_>,
    id: i64,
    text: String,
) -> Result<ActionComment, IpcError> {
    blocking(&backend, move |b| b.update_action_comment(id, &text)).await
}

#[tauri::command]
pub async fn delete_action_comment(backend: Shared<'_>, id: i64) -> Result<(), IpcError> {
    blocking(&backend, move |b| b.delete_action_comment(id)).await
}

#[tauri::command]
pub async fn actions_report(
    backend: Shared<'_>,
    unit: String,
    period: String,
) -> Result<ActionsReport, IpcError> {
    blocking(&backend, move |b| b.actions_report(&unit, &period)).await
}

#[tauri::command]
pub async fn survey_view(
    backend: Shared<'_>,
    unit: String,
    period: String,
    survey: Option<String>,
) -> Result<SurveyView, IpcError> {
    blocking(&backend, move |b| {
        b.survey_view(&unit, &period, survey.as_deref())
    })
    .await
}

#[tauri::command]
pub async fn export_survey(
    backend: Shared<'_>,
    unit: String,
    period: String,
    survey: Option<String>,
    format: Format,
    path: String,
) -> Result<String, IpcError> {
    blocking(&backend, move |b| {
        b.export_survey(&unit, &period, survey.as_deref(), format, &path)
    })
    .await
}

#[tauri::command]
pub async fn export_actions(
    backend: Shared<'_>,
    unit: String,
    period: String,
    format: Format,
    path: String,
) -> Result<String, IpcError> {
    blocking(&backend, move |b| {
        b.export_actions(&unit, &period, format, &path)
    })
    .await
}
