//! The reports' commands over the service (`malkart::service::reports`): the sick-leave
//! summary and the economy report as views and as exported files, and the privacy setting
//! `min_employees`. The cached engine is reused.

use malkart::engine::economy::EconomyReport;
use malkart::engine::sickleave::SickLeaveSummary;
use malkart::error::IpcError;
use malkart::export::Format;
use malkart::service::{self, reports};

use crate::backend::{last_full_month, Backend};

type IpcResult<T> = std::result::Result<T, IpcError>;

impl Backend {
    /// The masking minimum stored in the settings (default 5; 0 is off).
    pub fn min_employees(&self) -> IpcResult<u32> {
        self.with_store(|store| store.min_employees())
    }

    /// Stores the masking minimum, audited; `false` when it was that already.
    pub fn set_min_employees(&self, n: u32) -> IpcResult<bool> {
        self.write_store(|store| store.set_min_employees(n))
    }

    /// The sick-leave summary of `unit` and its descendants for `period`, masked for
    /// `min_employees` (the stored setting when `None`).
    pub fn sick_leave_summary(
        &self,
        unit: &str,
        period: &str,
        min_employees: Option<u32>,
    ) -> IpcResult<SickLeaveSummary> {
        let period = service::period(period)?;
        let minimum = self.with_store(|store| reports::minimum(store, min_employees))?;
        let engine = self.engine_for(&period)?;
        Ok(reports::sick_leave_summary(
            &engine, unit, &period, minimum,
        )?)
    }

    /// The economy report of `unit` and its descendants, year to date through `period`'s
    /// last month.
    pub fn economy_report(&self, unit: &str, period: &str) -> IpcResult<EconomyReport> {
        let period = service::period(period)?;
        let engine = self.engine_for(&period)?;
        Ok(reports::economy_report(&engine, unit, &period)?)
    }

    /// Writes the sick-leave summary as `format` to `path`; returns the path written (with
    /// the extension added when the typed one had none).
    pub fn export_sick_leave(
        &self,
        unit: &str,
        period: &str,
        format: Format,
        path: &str,
        min_employees: Option<u32>,
    ) -> IpcResult<String> {
        service::files::target_path(path, format)?;
        let period = service::period(period)?;
        let minimum = self.with_store(|store| reports::minimum(store, min_employees))?;
        let engine = self.engine_for(&period)?;
        let written = reports::export_sick_leave(
            &engine,
            unit,
            &period,
            minimum,
            format,
            path,
            malkart::clock::now(),
        )?;
        Ok(written.display().to_string())
    }

    /// Writes the economy report as `format` to `path`; returns the path written.
    pub fn export_economy(
        &self,
        unit: &str,
        period: &str,
        format: Format,
        path: &str,
    ) -> IpcResult<String> {
        service::files::target_path(path, format)?;
        let period = service::period(period)?;
        let engine = self.engine_for(&period)?;
        let written =
            reports::export_economy(&engine, unit, &period, format, path, malkart::clock::now())?;
        Ok(written.display().to_string())
    }

    /// Writes the målkart of `unit` for `period` as shown (masked as on screen,
    /// provisional where the period has not ended; only yellow and red indicators when
    /// `deviations_only`) as `format` to `path`, for a meeting; returns the path written.
    pub fn export_scorecard(
        &self,
        unit: &str,
        period: &str,
        deviations_only: bool,
        format: Format,
        path: &str,
    ) -> IpcResult<String> {
        service::files::target_path(path, format)?;
        let period = service::period(period)?;
        let privacy = self.privacy()?;
        let engine = self.engine_for(&period)?;
        let print = reports::ScorecardPrint {
            unit,
            period: &period,
            deviations_only,
            privacy,
            last_full: last_full_month(),
        };
        let written = self.with_store(|store| {
            reports::export_scorecard(&engine, store, &print, format, path, malkart::clock::now())
        })?;
        Ok(written.display().to_string())
    }
}
