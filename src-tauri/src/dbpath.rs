//! Which database the app opens: the same rule as the command line (cli.md) — `--db FILE`
//! on the app's command line, else `MALKART_DB`, else the OS data directory. Only `--db` is
//! read here; the rest is `malkart::storage::resolve_path`.

use std::ffi::OsString;
use std::path::PathBuf;

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
