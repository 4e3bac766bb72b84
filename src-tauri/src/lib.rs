//! Målkart's desktop shell (Tauri 2). It holds no business rules: `backend` holds the open
//! database, the cached engine and «Vis umaskerte tall» and calls the core's service layer
//! (`malkart::service`), `grids` and `reports` do so for the registration grids and the
//! reports, `commands` exposes it all to the web UI in `ui/`, `dbpath` reads `--db` so
//! the app opens the same database as the command line, and `rendering` chooses how WebKit
//! draws on a machine without a GPU.

pub mod actions;
mod answers;
pub mod backend;
pub mod commands;
pub mod conflicts;
pub mod dbpath;
pub mod grids;
pub mod rendering;
pub mod reports;
pub mod surveys;
pub mod sync;

use std::sync::Arc;

use tauri::{Emitter, Manager};

use backend::Backend;

/// `base` with every plugin and command: `run` passes the default builder, the IPC tests
/// Tauri's mock builder.
pub fn builder<R: tauri::Runtime>(
    base: tauri::Builder<R>,
    backend: Arc<Backend>,
) -> tauri::Builder<R> {
    base.plugin(tauri_plugin_dialog::init())
        .manage(backend)
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::actions,
            commands::action,
            commands::indicator_actions,
            commands::new_action_code,
            commands::save_action,
            commands::add_action_comment,
            commands::update_action_comment,
            commands::delete_action_comment,
            commands::actions_report,
            commands::export_actions,
            commands::survey_view,
            commands::export_survey,
            commands::load_demo,
            commands::units,
            commands::scorecard,
            commands::sparklines,
            commands::overview,
            commands::page_ahead,
            commands::opened,
            commands::unit_statuses,
            commands::indicator_detail,
            commands::comments,
            commands::add_comment,
            commands::update_comment,
            commands::delete_comment,
            commands::import_file,
            commands::set_target,
            commands::locked_months,
            commands::lock_month,
            commands::unlock_month,
            commands::audit,
            commands::backup,
            commands::restore,
            commands::open_database,
            commands::new_database,
            commands::sick_leave_summary,
            commands::economy_report,
            commands::export_sick_leave,
            commands::export_economy,
            commands::export_scorecard,
            commands::min_employees,
            commands::set_min_employees,
            commands::set_sick_leave_unmasked,
            commands::sick_leave_grid,
            commands::check_sick_leave,
            commands::save_sick_leave,
            commands::economy_grid,
            commands::save_economy,
            commands::spread_budget,
            commands::servers,
            commands::connect_server,
            commands::sync_now,
            commands::sync_status,
            commands::use_local_database,
            commands::conflicts,
            commands::resolve_conflict,
            commands::resolve_batch,
            commands::cell_marks,
        ])
        .on_window_event(|window, event| {
            // Closing with changes waiting is allowed; the window is told first so that it
            // can say they are safe on disk and sent at the next sync, and then closes
            // itself (docs/decisions.md, "Closing with changes waiting").
            if let tauri::WindowEvent::CloseRequested { api, .. } = event {
                let pending = window.state::<Arc<Backend>>().pending_for_close();
                if conflicts::hold_close(pending) {
                    api.prevent_close();
                    let _ = window.emit(conflicts::CLOSE_HELD, pending);
                }
            }
        })
}

/// Opens the database (`--db`, else `MALKART_DB`, else the file last chosen with «Velg en
/// annen fil» or «Koble til server», else the data directory's), starts the sync worker and
/// runs the app.
pub fn run() {
    // Before GTK starts and before any other thread: how WebKit draws without a GPU.
    rendering::choose_for_this_machine();
    let explicit = dbpath::explicit_db_arg(std::env::args_os().skip(1));
    let chosen_at_start = explicit.is_some()
        || std::env::var_os(malkart::storage::ENV_DB).is_some_and(|p| !p.is_empty());
    // Without --db or MALKART_DB the person's own choice counts, and a new one is remembered.
    let choice_file = (!chosen_at_start)
        .then(malkart::storage::app_data_dir)
        .flatten()
        .map(|dir| dir.join(dbpath::CHOICE_FILE));
    let remembered = choice_file.as_deref().and_then(dbpath::remembered_choice);
    // The local file: what «Bruk lokal fil» goes back to from a server's replica.
    let (backend, home) = match (
        remembered,
        malkart::storage::resolve_path(explicit.as_deref()),
    ) {
        (Some(path), home) => (Backend::open(path), home.ok()),
        (None, Ok(home)) => (Backend::open(home.clone()), Some(home)),
        (None, Err(e)) => (Backend::unopened(e.into()), None),
    };
    let backend = match choice_file {
        Some(file) => backend.remembering_choice_in(file),
        None => backend,
    };
    let backend = match home {
        Some(home) => backend.with_home(home),
        None => backend,
    };
    let backend = Arc::new(backend);
    // The first målkart's engine is built while the window starts.
    let opening = Arc::clone(&backend);
    let _ = std::thread::Builder::new()
        .name("malkart-opening".into())
        .spawn(move || opening.build_opening_engine());
    // Pulls at start, every minute and after every write, while the database is a replica.
    sync::start_worker(&backend, sync::period());
    let app = builder(tauri::Builder::default(), backend).run(tauri::generate_context!());
    if let Err(e) = app {
        eprintln!("Målkart kunne ikke starte: {e}");
        std::process::exit(1);
    }
}
