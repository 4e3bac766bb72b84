//! The commands of a shared municipality (cli.md, sharing.md): `connect`, `sync`,
//! `publish`, `--server NAME`, and `server …`, which runs the `malkart-server` program
//! found beside this one.

use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::Command;

use malkart::sync::{self, SyncReport};
use malkart::{Error, Result};

pub fn replica_of(name: &str) -> Result<PathBuf> {
    Ok(sync::replica_of(name)?)
}

/// The replica `malkart sync` means when no server is named: the only one there is.
pub fn only_replica() -> Result<PathBuf> {
    let servers = sync::servers()?;
    match servers.as_slice() {
        [one] => Ok(one.replica.clone()),
        [] => Err(Error::Invalid(
            "denne maskinen er ikke koblet til noen server; koble til med «malkart connect URL --user NAVN»".into(),
        )),
        many => Err(Error::Invalid(format!(
            "denne maskinen er koblet til flere servere; velg én med --server: {}",
            many.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(", ")
        ))),
    }
}

/// The password: asked on a terminal without echo, else one line on standard input
/// (scripts). Never an argument: arguments are visible to every user of the machine.
fn password(user: &str, url: &str) -> Result<String> {
    let io = |e: std::io::Error| Error::Invalid(format!("kunne ikke lese passordet: {e}"));
    if std::io::stdin().is_terminal() {
        rpassword::prompt_password(format!("Passord for «{user}» på {url}: ")).map_err(io)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(io)?;
        Ok(line.trim_end_matches(['\n', '\r']).to_string())
    }
}

pub fn connect(url: &str, user: &str) -> Result<String> {
    let password = password(user, url)?;
    let (server, report) = sync::connect(url, user, &password)?;
    let status = sync::status(&server.replica)?;
    Ok(format!(
        "Koblet til {} som {} ({}).\nKopien: {}\nBruk den med «malkart --server {} …».\n{}",
        server.url,
        status.user,
        status.role,
        server.replica.display(),
        server.name,
        describe(&report, &status)
    ))
}

pub fn sync(replica: &Path) -> Result<String> {
    let report = sync::sync(replica)?;
    let status = sync::status(replica)?;
    let mut text = describe(&report, &status);
    for c in malkart::storage::Store::open_existing(replica)?.outbox_conflicts()? {
        text.push_str(&format!(
            "  {} {}: {} (din verdi {}, deres {}{})\n",
            c.kind,
            c.cell,
            c.reason
                .as_deref()
                .unwrap_or("endret på serveren etter at du hentet den"),
            c.mine.as_deref().unwrap_or("tom"),
            c.theirs.as_deref().unwrap_or("tom"),
            c.who
                .as_deref()
                .map(|b| format!(", endret av {b}"))
                .unwrap_or_default()
        ));
    }
    Ok(text)
}

pub fn publish(url: &str, user: &str, db: &Path) -> Result<String> {
    let password = password(user, url)?;
    let report = sync::publish(url, user, &password, db)?;
    let status = sync::status(db)?;
    Ok(format!(
        "{} er publisert til {}; filen er nå en kopi av serveren.\n{}",
        db.display(),
        url,
        describe(&report, &status)
    ))
}

fn describe(report: &SyncReport, status: &sync::SyncStatus) -> String {
    let mut text = format!(
        "Synkronisert {}: {} sendt ({} lagret), {} rader hentet.\n",
        report.at, report.pushed, report.applied, report.pulled_rows
    );
    if status.pending > 0 {
        text.push_str(&format!(
            "{} endringer venter på å bli sendt.\n",
            status.pending
        ));
    }
    if status.conflicts > 0 {
        text.push_str(&format!(
            "{} endringer ble ikke lagret på serveren (konflikt eller avvist):\n",
            status.conflicts
        ));
    }
    text
}

/// Runs `malkart-server ARGS…` (found beside this program, else on PATH) and passes its
/// exit code on.
pub fn server(args: &[String]) -> Result<String> {
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|d| d.join("malkart-server")))
        .filter(|p| p.is_file());
    let program = beside.unwrap_or_else(|| PathBuf::from("malkart-server"));
    let status = Command::new(&program).args(args).status().map_err(|e| {
        Error::Invalid(format!(
            "fant ikke malkart-server ({}): {e}; den følger med serverpakken",
            program.display()
        ))
    })?;
    if status.success() {
        Ok(String::new())
    } else {
        std::process::exit(status.code().unwrap_or(1))
    }
}
