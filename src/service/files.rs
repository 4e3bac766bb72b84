//! Writing a file atomically: a temporary file beside the target, synced, then renamed, so
//! that a reader (or a crash) never sees half a file and an old file is replaced whole or
//! not at all. Used by every door that writes an export.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::export::Format;

/// The file to write: the typed path, trimmed, with the format's extension added when it
/// has none. An empty path is refused.
pub fn target_path(path: &str, format: Format) -> Result<PathBuf> {
    let path = path.trim();
    if path.is_empty() {
        return Err(Error::Invalid("oppgi hvor filen skal lagres".into()));
    }
    let mut target = PathBuf::from(path);
    if target.extension().is_none() {
        target.set_extension(format.extension());
    }
    Ok(target)
}

/// Writes `bytes` to `target` through a temporary file in the same folder and a rename: the
/// target is either the old file or the whole new one, never a part. An OS error (a missing
/// folder, a directory where the file was meant) is worded by `Error::io_write`.
pub fn write_atomically(target: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
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
        let err = write_atomically(&target, b"x").unwrap_err();
        assert_eq!(err.kind(), "io");
        assert!(err.to_string().contains("finnes-ikke"), "{err}");
        assert!(err.to_string().contains("opprett mappen"), "{err}");
        assert!(!target.exists());
    }
}
