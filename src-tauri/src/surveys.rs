//! The survey view's commands (issue 16): the view of a unit's survey round and its export.
//! Each is one service call (`malkart::service::surveys`).

use malkart::export::Format;
use malkart::service;
use malkart::service::surveys::{self, SurveyView};

use malkart::error::IpcError;

use crate::backend::Backend;

type IpcResult<T> = std::result::Result<T, IpcError>;

impl Backend {
    pub fn survey_view(
        &self,
        unit: &str,
        period: &str,
        survey: Option<&str>,
    ) -> IpcResult<SurveyView> {
        let period = service::period(period)?;
        let engine = self.engine_for(&period)?;
        Ok(surveys::survey_view(&engine, unit, &period, survey)?)
    }

    /// Writes the survey view as `format` to `path`; returns the path written.
    pub fn export_survey(
        &self,
        unit: &str,
        period: &str,
        survey: Option<&str>,
        format: Format,
        path: &str,
    ) -> IpcResult<String> {
        let period = service::period(period)?;
        let engine = self.engine_for(&period)?;
        let written = surveys::export_survey(
            &engine,
            unit,
            &period,
            survey,
            format,
            path,
            malkart::clock::now(),
        )?;
        Ok(written.display().to_string())
    }
}
