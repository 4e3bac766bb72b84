//! The IPC boundary with Tauri's mock runtime and the app's real context (config,
//! capabilities, app manifest): commands answer with the core's types or `{ kind, message }`,
//! and what the capability does not grant is refused.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test: a panic is a failed test

use std::sync::Arc;

use malkart::error::IpcError;
use malkart_app::backend::Backend;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindow;

fn window_over(backend: Backend) -> WebviewWindow<MockRuntime> {
    let app = malkart_app::builder(mock_builder(), Arc::new(backend))
        .build(tauri::generate_context!())
        .expect("the app builds with its real context");
    tauri::WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("the main window")
}

fn invoke(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        // Tauri's own origin for the bundled UI on Linux.
        url: "tauri://localhost".parse().expect("a URL"),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    };
    get_ipc_response(window, request).map(|body| body.deserialize::<Value>().expect("JSON"))
}

fn unopened() -> Backend {
    Backend::unopened(IpcError {
        kind: "newer_schema".into(),
        message: "databasen er laget av en nyere versjon av Målkart".into(),
        field: None,
    })
}

#[test]
fn app_info_reports_why_the_database_could_not_be_opened() {
    let window = window_over(unopened());
    let info = invoke(&window, "app_info", json!({})).expect("app_info answers");
    assert_eq!(info["open_error"]["kind"], "newer_schema");
    assert_eq!(info["empty"], false);
    assert!(info["last_full_month"]
        .as_str()
        .is_some_and(|m| m.len() == 7));
}

#[test]
fn a_bad_period_is_refused_with_kind_and_norwegian_message() {
    let window = window_over(unopened());
    let err = invoke(
        &window,
        "scorecard",
        json!({ "unit": "1000", "period": "2026-K5" }),
    )
    .expect_err("2026-K5 is not a period");
    assert_eq!(err["kind"], "period");
    assert!(err["message"]
        .as_str()
        .is_some_and(|m| m.contains("«2026-K5» er ikke en gyldig periode")));
}

#[test]
fn commands_on_an_unopened_database_report_the_open_error() {
    let window = window_over(unopened());
    let err = invoke(&window, "units", json!({})).expect_err("no database");
    assert_eq!(err["kind"], "newer_schema");
}

#[test]
fn an_empty_comment_is_refused_before_the_database_is_touched() {
    let window = window_over(unopened());
    let err =
        invoke(&window, "update_comment", json!({ "id": 1, "text": "   " })).expect_err("empty");
    assert_eq!(err["kind"], "invalid");
}

#[test]
fn what_the_capability_does_not_grant_is_refused() {
    let window = window_over(unopened());
    // The dialog plugin is there for open/save only; its message box is not granted.
    assert!(invoke(
        &window,
        "plugin:dialog|message",
        json!({ "message": "hei" })
    )
    .is_err());
    // An unknown app command is refused as well.
    assert!(invoke(&window, "drop_database", json!({})).is_err());
}

fn demo() -> Backend {
    use malkart::demo::{self, DemoSize};
    let mut store = malkart::storage::Store::open_in_memory().expect("in-memory database");
    let through = malkart::period::Month::new(2026, 9).expect("a month");
    store
        .load_demo(&demo::generate(DemoSize::Small, through))
        .expect("demo");
    Backend::over_store("minne".into(), store)
}

#[test]
fn the_scorecard_crosses_as_the_json_of_malkart_status() {
    let window = window_over(demo());
    let units = invoke(&window, "units", json!({})).expect("units");
    let root = units[0]["code"].as_str().expect("a code").to_string();
    assert_eq!(units[0]["depth"], 0);
    let card = invoke(
        &window,
        "scorecard",
        json!({ "unit": root, "period": "2026-K3" }),
    )
    .expect("scorecard");
    assert_eq!(card["period"], "2026-K3");
    let keys: Vec<&str> = card["perspectives"]
        .as_array()
        .expect("perspectives")
        .iter()
        .map(|p| p["key"].as_str().expect("key"))
        .collect();
    assert_eq!(keys, ["lokalsamfunn", "brukere", "organisasjon", "økonomi"]);
    let first = &card["perspectives"][0]["indicators"][0];
    let status = first["status"].as_str().expect("status");
    assert!(["green", "yellow", "red", "no_data", "no_target"].contains(&status));
    let detail = invoke(
        &window,
        "indicator_detail",
        json!({ "indicator": first["code"], "unit": root, "period": "2026-K3" }),
    )
    .expect("detail");
    assert_eq!(detail["result"]["code"], first["code"]);
    assert_eq!(detail["result"]["status"], first["status"]);
}

#[test]
fn camel_case_arguments_reach_snake_case_parameters() {
    // The UI sends `dryRun`; the command's parameter is `dry_run`.
    let window = window_over(demo());
    let outcome = invoke(
        &window,
        "import_file",
        json!({ "kind": "targets", "path": "/finnes/ikke.csv", "dryRun": true }),
    );
    let err = outcome.expect_err("no such file");
    assert_eq!(err["kind"], "io");
}

#[test]
fn typed_arguments_outside_their_enum_are_refused_before_the_backend() {
    let window = window_over(demo());
    // The import kinds, export formats and economy measures are enums: the UI's types are
    // generated from them, and anything else is refused by the IPC layer.
    for (cmd, args) in [
        (
            "import_file",
            json!({ "kind": "budsjett", "path": "/tmp/x.csv", "dryRun": true }),
        ),
        (
            "export_economy",
            json!({ "unit": "1000", "period": "2026-02", "format": "docx", "path": "/tmp/x" }),
        ),
        (
            "economy_grid",
            json!({ "unit": "1000", "year": 2026, "measure": "kostnad" }),
        ),
    ] {
        assert!(invoke(&window, cmd, args.clone()).is_err(), "{cmd} {args}");
    }
    let units = invoke(&window, "units", json!({})).expect("units");
    let root = units[0]["code"].clone();
    let grid = invoke(
        &window,
        "economy_grid",
        json!({ "unit": root, "year": 2026, "measure": "regnskap" }),
    )
    .expect("a known measure");
    assert_eq!(grid["measure"], "regnskap");
}

#[test]
fn a_sick_leave_save_answers_with_a_tagged_outcome() {
    let window = window_over(demo());
    let units = invoke(&window, "units", json!({})).expect("units");
    let root = units[0]["code"].clone();
    // 30 + 80 = 110 absence days > 100 contracted: refused, with the problem by column.
    let refused = invoke(
        &window,
        "save_sick_leave",
        json!({ "input": { "month": "2026-09", "rows": [{ "unit": root, "cells": {
            "avtalte_dagsverk": "100", "egenmeldt": "30", "legemeldt": "80", "ansatte": "",
            "dager_1_3": "", "dager_4_16": "", "dager_17_56": "", "dager_over_56": "" } }] } }),
    )
    .expect("an outcome");
    assert_eq!(refused["outcome"], "refused");
    assert_eq!(refused["problems"][0]["column"], "legemeldt");
    assert!(refused.get("summary").is_none());
}
