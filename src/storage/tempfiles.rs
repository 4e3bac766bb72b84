//! The temporary files Målkart writes beside a database or a backup before renaming them
//! into place (`.malkart.db.gjenoppretting-4711.malkart-tmp`, with SQLite's `-journal`,
//! `-wal` and `-shm` beside it), and removing those a killed process left behind: a file
//! is stale when the process whose id it carries is gone. Only names this module makes are
//! ever removed (and the `malkart.db.gjenoppretting-PID` of earlier versions).

use std::fs;
use std::path::{Path, PathBuf};

/// What a temporary file is for; the word is part of its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    Restore,
    Backup,
}

impl Purpose {
    fn word(self) -> &'static str {
        match self {
            Purpose::Restore => "gjenoppretting",
            Purpose::Backup => "sikkerhetskopi",
        }
    }
}

const MARK: &str = ".malkart-tmp";
/// The files SQLite may make beside a database it writes.
const SIDE_FILES: [&str; 4] = ["", "-journal", "-wal", "-shm"];

/// This process's temporary file for `target` (in the same folder, so that the final step
/// is one rename on one file system).
pub fn path_for(target: &Path, purpose: Purpose) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(
        ".{name}.{}-{}{MARK}",
        purpose.word(),
        std::process::id()
    ))
}

/// Removes a temporary file and whatever SQLite made beside it.
pub fn remove(temp: &Path) {
    for side in SIDE_FILES {
        let _ = fs::remove_file(super::db::sibling(temp, side));
    }
}

/// The process id a name of ours carries, `None` for any other name. `legacy_db` also
/// accepts `<legacy_db>.gjenoppretting-PID`, the name restore used before.
fn owner(name: &str, legacy_db: Option<&str>) -> Option<u32> {
    let base = SIDE_FILES[1..]
        .iter()
        .find_map(|side| name.strip_suffix(side))
        .unwrap_or(name);
    let id = match base.strip_suffix(MARK) {
        Some(rest) => {
            let rest = rest.strip_prefix('.')?;
            [Purpose::Restore, Purpose::Backup]
                .iter()
                .find_map(|p| rest.rsplit_once(&format!(".{}-", p.word())))
                .map(|(_, id)| id)?
        }
        None => base
            .strip_prefix(legacy_db?)?
            .strip_prefix(".gjenoppretting-")?,
    };
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    id.parse().ok()
}

/// Whether the process `id` still runs. Where that cannot be asked (outside Linux), a file
/// is taken for stale only when it is a day old.
fn running(id: u32, file: &Path) -> bool {
    if id == std::process::id() {
        return true;
    }
    if cfg!(target_os = "linux") {
        return Path::new("/proc").join(id.to_string()).exists();
    }
    let age = fs::metadata(file)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok());
    age.is_none_or(|a| a < std::time::Duration::from_secs(24 * 3600))
}

/// Removes the temporary files in `dir` that a process no longer running left behind;
/// `db` names the database there, for restore's older names. Returns what was removed.
pub fn remove_stale(dir: &Path, db: Option<&Path>) -> Vec<PathBuf> {
    let legacy = db
        .and_then(Path::file_name)
        .map(|n| n.to_string_lossy().into_owned());
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(id) = owner(&name, legacy.as_deref()) else {
            continue;
        };
        let path = entry.path();
        if !path.is_file() || running(id, &path) {
            continue;
        }
        if fs::remove_file(&path).is_ok() {
            removed.push(path);
        }
    }
    removed.sort();
    removed
}

/// The folder a file is in (`.` for a bare name).
pub fn folder_of(path: &Path) -> PathBuf {
    match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(dir) => dir.to_path_buf(),
        None => PathBuf::from("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_our_names_carry_an_owner() {
        assert_eq!(
            owner(".malkart.db.gjenoppretting-4711.malkart-tmp", None),
            Some(4711)
        );
        assert_eq!(
            owner(".kopi.db.sikkerhetskopi-12.malkart-tmp-journal", None),
            Some(12)
        );
        assert_eq!(
            owner(".kopi.db.sikkerhetskopi-12.malkart-tmp-wal", None),
            Some(12)
        );
        assert_eq!(
            owner("malkart.db.gjenoppretting-99", Some("malkart.db")),
            Some(99)
        );
        assert_eq!(
            owner("malkart.db.gjenoppretting-99-journal", Some("malkart.db")),
            Some(99)
        );
        // Another database's legacy name, a kept file, and names a person might choose.
        assert_eq!(
            owner("annen.db.gjenoppretting-99", Some("malkart.db")),
            None
        );
        assert_eq!(
            owner(
                "malkart.db.før-gjenoppretting-20261201-101500",
                Some("malkart.db")
            ),
            None
        );
        assert_eq!(owner("kommune.sikkerhetskopi-2025", None), None);
        assert_eq!(owner(".x.sikkerhetskopi-.malkart-tmp", None), None);
        assert_eq!(owner(".x.sikkerhetskopi-1a.malkart-tmp", None), None);
        assert_eq!(owner("x.malkart-tmp", None), None);
    }

    #[test]
    fn the_temporary_name_is_hidden_beside_the_target_and_carries_this_process() {
        let temp = path_for(Path::new("/a/kopi.db"), Purpose::Backup);
        let name = temp.file_name().unwrap().to_string_lossy().into_owned();
        assert_eq!(temp.parent(), Some(Path::new("/a")));
        assert_eq!(
            name,
            format!(".kopi.db.sikkerhetskopi-{}.malkart-tmp", std::process::id())
        );
        assert_eq!(owner(&name, None), Some(std::process::id()));
    }
}
