//! Generates the Tauri context and the app manifest: only the commands listed here get
//! permissions, and `capabilities/main.json` grants them to the main window. A command
//! missing from this list cannot be invoked from the UI at all.

const COMMANDS: &[&str] = &[
    "app_info",
    "actions",
    "action",
    "indicator_actions",
    "new_action_code",
    "save_action",
    "add_action_comment",
    "update_action_comment",
    "delete_action_comment",
    "actions_report",
    "export_actions",
    "survey_view",
    "export_survey",
    "load_demo",
    "units",
    "scorecard",
    "sparklines",
    "overview",
    "page_ahead",
    "opened",
    "unit_statuses",
    "indicator_detail",
    "comments",
    "add_comment",
    "update_comment",
    "delete_comment",
    "import_file",
    "set_target",
    "locked_months",
    "lock_month",
    "unlock_month",
    "audit",
    "backup",
    "restore",
    "open_database",
    "new_database",
    "sick_leave_summary",
    "economy_report",
    "export_sick_leave",
    "export_economy",
    "export_scorecard",
    "min_employees",
    "set_min_employees",
    "set_sick_leave_unmasked",
    "sick_leave_grid",
    "check_sick_leave",
    "save_sick_leave",
    "economy_grid",
    "save_economy",
    "spread_budget",
    "servers",
    "connect_server",
    "sync_now",
    "sync_status",
    "use_local_database",
    "conflicts",
    "resolve_conflict",
    "resolve_batch",
    "cell_marks",
];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri-build: {e:#}");
    }
}
