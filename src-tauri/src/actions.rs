//! The tiltak commands over the service (`malkart::service::actions`): the list, one
//! tiltak, the tiltak of an indicator, the form's save, status comments, and the actions
//! report on screen and exported. Lateness is judged against the app's last full month.

use malkart::engine::actions::{ActionLine, ActionsReport};
use malkart::error::IpcError;
use malkart::export::Format;
use malkart::model::{Action, ActionComment};
use malkart::service;
use malkart::service::actions::{self, ActionDetail, ActionFilter, ActionInput, ActionList};

use crate::backend::{last_full_month, Backend};

type IpcResult<T> = std::result::Result<T, IpcError>;

impl Backend {
    pub fn actions(
        &self,
        unit: &str,
        period: &str,
        filter: &ActionFilter,
    ) -> IpcResult<ActionList> {
        let period = service::period(period)?;
        let engine = self.engine_for(&period)?;
        self.with_store(|store| {
            actions::list(&engine, store, unit, &period, filter, last_full_month())
        })
    }

    pub fn action(&self, code: &str, period: &str) -> IpcResult<ActionDetail> {
        let period = service::period(period)?;
        let engine = self.engine_for(&period)?;
        self.with_store(|store| actions::detail(&engine, store, code, &period, last_full_month()))
    }

    pub fn indicator_actions(
        &self,
        indicator: &str,
        unit: &str,
        period: &str,
    ) -> IpcResult<Vec<ActionLine>> {
        let period = service::period(period)?;
        let engine = self.engine_for(&period)?;
        self.with_store(|store| {
            actions::for_indicator(&engine, store, indicator, unit, &period, last_full_month())
        })
    }

    pub fn new_action_code(&self) -> IpcResult<String> {
        self.with_store(|store| actions::next_code(store))
    }

    pub fn save_action(&self, input: &ActionInput, creating: bool) -> IpcResult<Action> {
        // A field typed wrong is refused before the database is touched.
        input.to_action()?;
        self.write_store(|store| actions::save(store, input, creating))
    }

    pub fn add_action_comment(
        &self,
        code: &str,
        period: &str,
        text: &str,
    ) -> IpcResult<ActionComment> {
        let period = service::period(period)?;
        self.write_store(|store| actions::add_comment(store, code, &period, text))
    }

    pub fn update_action_comment(&self, id: i64, text: &str) -> IpcResult<ActionComment> {
        self.write_store(|store| actions::update_comment(store, id, text))
    }

    pub fn delete_action_comment(&self, id: i64) -> IpcResult<()> {
        self.write_store(|store| actions::delete_comment(store, id))
    }

    pub fn actions_report(&self, unit: &str, period: &str) -> IpcResult<ActionsReport> {
        let period = service::period(period)?;
        let engine = self.engine_for(&period)?;
        self.with_store(|store| actions::report(&engine, store, unit, &period, last_full_month()))
    }

    /// Writes the actions report as `format` to `path`; returns the path written.
    pub fn export_actions(
        &self,
        unit: &str,
        period: &str,
        format: Format,
        path: &str,
    ) -> IpcResult<String> {
        service::files::target_path(path, format)?;
        let report = self.actions_report(unit, period)?;
        let written = actions::export_report(&report, format, path, malkart::clock::now())?;
        Ok(written.display().to_string())
    }
}
