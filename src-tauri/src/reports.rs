//! The reports of the app: the sick-leave summary and the economy report as views and as
//! exported files, and the privacy setting `min_employees`. Like `backend`, no business
//! rules: the engine builds the reports, `malkart::export` renders them; here the cached
//! engine is reused and the file is written atomically (a temporary file beside the target,
//! then a rename), so an export that fails half-way never leaves half a file.

use std::io::Write;
use std::path::{Path, PathBuf};

use malkart::engine::economy::EconomyReport;
use malkart::engine::sickleave::SickLeaveSummary;
use malkart::error::IpcError;
use malkart::export::{self, Format};
use malkart::period::Period;
use malkart::Error;

use crate::backend::Backend;

fn parse_period(text: &str) -> Result<Period, IpcError> {
    Period::parse(text).map_err(|e| Error::from(e).to_ipc())
}

fn parse_format(text: &str) -> Result<Format, IpcError> {
    Format::parse(text).ok_or_else(|| {
        Error::Invalid(format!(
            "ukjent eksportformat «{text}»; velg csv, xlsx, pdf eller json"
        ))
        .to_ipc()
    })
}

/// The file to write: the typed path, trimmed, with the format's extension added when it
/// has none. An empty path is refused.
pub fn target_path(path: &str, format: Format) -> Result<PathBuf, IpcError> {
    let path = path.trim();
    if path.is_empty() {
        return Err(Error::Invalid("oppgi hvor filen skal lagres".into()).to_ipc());
    }
    let mut target = PathBuf::from(path);
    if target.extension().is_none() {
        target.set_extension(format.extension());
    }
    Ok(target)
}

/// Writes `bytes` to `target` through a temporary file in the same folder and a rename: the
/// target is either the old file or the whole new one, never a part.
pub fn write_atomically(target: &Path, bytes: &[u8]) -> malkart::Result<()> {
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(Error::Invalid(format!(
            "mappen «{}» finnes ikke; velg en mappe som finnes",
            dir.display()
        )));
    }
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Error::Invalid(format!("«{}» er ikke et filnavn", target.display())))?;
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, target)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(Error::io_write(target, e));
    }
    Ok(())
}

impl Backend {
    /// The masking minimum stored in the settings (default 5; 0 is off).
    pub fn min_employees(&self) -> Result<u32, IpcError> {
        self.with_store(|store| store.min_employees())
    }

    /// Stores the masking minimum, audited; `false` when it was that already.
    pub fn set_min_employees(&self, n: u32) -> Result<bool, IpcError> {
        self.with_store(|store| store.set_min_employees(n))
    }

    /// The minimum asked for, else the stored setting.
    fn minimum(&self, asked: Option<u32>) -> Result<u32, IpcError> {
        match asked {
            Some(n) => Ok(n),
            None => self.min_employees(),
        }
    }

    /// The sick-leave summary of `unit` and its descendants for `period`, masked for
    /// `min_employees` (the stored setting when `None`).
    pub fn sick_leave_summary(
        &self,
        unit: &str,
        period: &str,
        min_employees: Option<u32>,
    ) -> Result<SickLeaveSummary, IpcError> {
        let period = parse_period(period)?;
        let minimum = self.minimum(min_employees)?;
        let cached = self.engine_for(&period)?;
        cached
            .engine
            .sick_leave_summary(unit, &period, minimum)
            .map_err(|e| Error::from(e).to_ipc())
    }

    /// The economy report of `unit` and its descendants, year to date through `period`'s
    /// last month.
    pub fn economy_report(&self, unit: &str, period: &str) -> Result<EconomyReport, IpcError> {
        let period = parse_period(period)?;
        let cached = self.engine_for(&period)?;
        cached
            .engine
            .economy_report(unit, &period)
            .map_err(|e| Error::from(e).to_ipc())
    }

    /// Writes the sick-leave summary as `format` (`csv`, `xlsx`, `pdf`, `json`) to `path`;
    /// returns the path written (with the extension added when the typed one had none).
    pub fn export_sick_leave(
        &self,
        unit: &str,
        period: &str,
        format: &str,
        path: &str,
        min_employees: Option<u32>,
    ) -> Result<String, IpcError> {
        let format = parse_format(format)?;
        let target = target_path(path, format)?;
        let period = parse_period(period)?;
        let minimum = self.minimum(min_employees)?;
        let cached = self.engine_for(&period)?;
        let bytes = export::sick_leave(&cached.engine, unit, &period, minimum, format, malkart::clock::now())
            .map_err(|e| e.to_ipc())?;
        write_atomically(&target, &bytes).map_err(|e| e.to_ipc())?;
        Ok(target.display().to_string())
    }

    /// Writes the economy report as `format` to `path`; returns the path written.
    pub fn export_economy(
        &self,
        unit: &str,
        period: &str,
        format: &str,
        path: &str,
    ) -> Result<String, IpcError> {
        let format = parse_format(format)?;
        let target = target_path(path, format)?;
        let period = parse_period(period)?;
        let cached = self.engine_for(&period)?;
        let bytes =
            export::economy(&cached.engine, unit, &period, format, malkart::clock::now()).map_err(|e| e.to_ipc())?;
        write_atomically(&target, &bytes).map_err(|e| e.to_ipc())?;
        Ok(target.display().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_path_without_extension_gets_the_formats() {
        assert_eq!(
            target_path(" /tmp/rapport ", Format::Csv).unwrap(),
            PathBuf::from("/tmp/rapport.csv")
        );
        assert_eq!(
            target_path("/tmp/r.xlsx", Format::Xlsx).unwrap(),
            PathBuf::from("/tmp/r.xlsx")
        );
        assert!(target_path("  ", Format::Pdf).is_err());
    }

    #[test]
    fn an_atomic_write_replaces_the_file_whole_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("sykefravær.csv");
        std::fs::write(&target, b"gammel").unwrap();
        write_atomically(&target, b"ny fil").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"ny fil");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
    }

    #[test]
    fn writing_into_a_missing_folder_is_refused_and_names_it() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("finnes-ikke").join("r.csv");
        let err = write_atomically(&target, b"x").unwrap_err().to_ipc();
        assert!(err.message.contains("finnes-ikke"), "{}", err.message);
        assert!(!target.exists());
    }
}
