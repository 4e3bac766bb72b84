//! Which database the app opens: the same rule as the command line (cli.md) — `--db FILE`
//! on the app's command line, else `MALKART_DB`, else the OS data directory. Only `--db` is
//! read here; the rest is `malkart::storage::resolve_path`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The file, in Målkart's data folder, that holds the database a person chose with «Velg en
/// annen fil» (one path, UTF-8). Read only when neither `--db` nor `MALKART_DB` is given.
pub const CHOICE_FILE: &str = "valgt-database.txt";

/// The database chosen last time, when the choice is written in `choice_file` and that
/// database still exists. A missing, unreadable or empty choice, or a chosen file that is
/// gone, is no choice: the app then opens its usual database (never a new, empty one at a
/// path that was moved or deleted).
pub fn remembered_choice(choice_file: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(choice_file).ok()?;
    let path = PathBuf::from(text.trim());
    (!path.as_os_str().is_empty() && path.is_file()).then_some(path)
}

/// Writes `chosen` as the database to open at the next start.
pub fn remember_choice(choice_file: &Path, chosen: &Path) -> malkart::Result<()> {
    let absolute = std::path::absolute(chosen).unwrap_or_else(|_| chosen.to_path_buf());
    if let Some(dir) = choice_file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| malkart::Error::io_write(dir, e))?;
    }
    malkart::service::files::write_atomically(
        choice_file,
        absolute.display().to_string().as_bytes(),
    )
}

/// The value of `--db FILE` or `--db=FILE` among the program arguments (the first one wins).
pub fn explicit_db_arg<I>(args: I) -> Option<PathBuf>
where
    I: IntoIterator<Item = OsString>,
{
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "--db" {
            return args.next().map(PathBuf::from);
        }
        if let Some(value) = arg.to_str().and_then(|a| a.strip_prefix("--db=")) {
            return Some(PathBuf::from(value));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn a_choice_is_remembered_only_while_its_file_exists() {
        let dir = tempfile::tempdir().unwrap();
        let choice = dir.path().join(CHOICE_FILE);
        assert_eq!(remembered_choice(&choice), None, "nothing chosen yet");
        let chosen = dir.path().join("annen.db");
        std::fs::write(&chosen, b"x").unwrap();
        remember_choice(&choice, &chosen).unwrap();
        assert_eq!(remembered_choice(&choice), Some(chosen.clone()));
        std::fs::remove_file(&chosen).unwrap();
        assert_eq!(
            remembered_choice(&choice),
            None,
            "a chosen file that is gone is no choice"
        );
        std::fs::write(&choice, b"  \n").unwrap();
        assert_eq!(
            remembered_choice(&choice),
            None,
            "an empty choice is no choice"
        );
    }

    #[test]
    fn db_flag_with_separate_value() {
        let got = explicit_db_arg(args(&["malkart-app", "--db", "/tmp/x.db"]));
        assert_eq!(got, Some(PathBuf::from("/tmp/x.db")));
    }

    #[test]
    fn db_flag_with_equals_sign() {
        let got = explicit_db_arg(args(&["malkart-app", "--db=/tmp/y.db"]));
        assert_eq!(got, Some(PathBuf::from("/tmp/y.db")));
    }

    #[test]
    fn no_db_flag_and_dangling_flag_give_none() {
        assert_eq!(explicit_db_arg(args(&["malkart-app"])), None);
        assert_eq!(explicit_db_arg(args(&["malkart-app", "--db"])), None);
        assert_eq!(explicit_db_arg(args(&["malkart-app", "--dbx", "a"])), None);
    }
}
