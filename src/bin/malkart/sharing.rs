//! The commands of a shared municipality (cli.md, sharing.md): `connect`, `sync`,
//! `publish`, `--server NAME`, and `server …`, which runs the `malkart-server` program
//! found beside this one.

use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::Command;

use malkart::format::group_digits;
use malkart::service::conflicts::{self, Which};
use malkart::storage::{Choice, OutboxConflict};
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
            "  {} ({}): din {}, deres {}{} — id {}\n",
            c.cell,
            kind_words(&c.kind),
            value_words(c.mine.as_deref()),
            value_words(c.theirs.as_deref()),
            c.who
                .as_deref()
                .map(|b| format!(", endret av {b}"))
                .unwrap_or_default(),
            c.id
        ));
    }
    Ok(text)
}

/// A conflict's kind as the user reads it.
fn kind_words(kind: &str) -> &str {
    match kind {
        "conflict" => "konflikt",
        other => other,
    }
}

/// A cell's value (JSON text, `None` empty) in Norwegian: `5,5`, `«tekst»`, `tom`.
fn value_words(value: Option<&str>) -> String {
    let Some(text) = value else {
        return "tom".into();
    };
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Null) => "tom".into(),
        Ok(serde_json::Value::Bool(b)) => if b { "låst" } else { "åpen" }.into(),
        Ok(serde_json::Value::Number(n)) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
            _ => n.to_string().replace('.', ","),
        },
        Ok(serde_json::Value::String(s)) => format!("«{s}»"),
        _ => text.to_string(),
    }
}

/// `malkart conflicts`: each kept conflict with its cell, values, who, when and why.
pub fn render_conflicts(conflicts: &[OutboxConflict]) -> String {
    if conflicts.is_empty() {
        return "Ingen konflikter: alt du har endret er lagret på serveren eller venter på å bli sendt.\n".into();
    }
    let mut text = format!("Konflikter ({}):\n", conflicts.len());
    for (n, c) in conflicts.iter().enumerate() {
        // A conflict from an imported file names its line: «fra «fravær.csv» linje 14».
        let line = c.line.map(|l| format!(" linje {l}")).unwrap_or_default();
        text.push_str(&format!(
            "{}. {} — {}\n   id {} · fra «{}»{line} (batch {})\n   grunnlag {} · din {} · deres {}",
            n + 1,
            c.cell,
            kind_words(&c.kind),
            c.id,
            c.batch_label,
            c.batch,
            value_words(c.base.as_deref()),
            value_words(c.mine.as_deref()),
            value_words(c.theirs.as_deref()),
        ));
        if let Some(who) = &c.who {
            text.push_str(&format!(", endret av {who}"));
        }
        if let Some(when) = &c.when {
            text.push_str(&format!(" {when}"));
        }
        text.push('\n');
        if let Some(reason) = &c.reason {
            text.push_str(&format!("   {reason}\n"));
        }
    }
    text.push_str(
        "Løs én med «malkart resolve ID mine|theirs» (mine: behold min, theirs: bruk deres), \
         eller alle fra én endring med «malkart resolve --batch BATCH mine|theirs».\n",
    );
    text
}

/// `malkart resolve ID mine|theirs` / `malkart resolve --batch BATCH mine|theirs`.
pub fn resolve(replica: &Path, args: &[String], batch: Option<&str>) -> Result<String> {
    let usage =
        "skriv «malkart resolve ID mine|theirs» eller «malkart resolve --batch BATCH mine|theirs»";
    let (which, choice) = match (batch, args) {
        (Some(b), [choice]) => (Which::Batch(b.to_string()), choice),
        (None, [id, choice]) => (Which::One(id.clone()), choice),
        (Some(_), _) => {
            return Err(Error::Invalid(format!(
                "med --batch gis bare valget (mine eller theirs); {usage}"
            )))
        }
        (None, _) => {
            return Err(Error::Invalid(format!(
                "oppgi konfliktens id og valget; {usage}"
            )))
        }
    };
    let choice = match choice.trim().to_lowercase().as_str() {
        "mine" | "min" => Choice::Mine,
        "theirs" | "deres" => Choice::Theirs,
        other => {
            return Err(Error::Invalid(format!(
                "«{other}» er ikke et valg: skriv mine («Behold min») eller theirs («Bruk deres»)"
            )))
        }
    };
    let mut store = malkart::storage::Store::open_existing(replica)?;
    let resolved = conflicts::resolve(&mut store, &which, choice)?;
    let mut text = format!(
        "{} konflikt{} løst med «{}»:\n",
        resolved.conflicts.len(),
        if resolved.conflicts.len() == 1 {
            ""
        } else {
            "er"
        },
        choice.words()
    );
    for c in &resolved.conflicts {
        text.push_str(&match choice {
            Choice::Mine => format!(
                "  {}: din {} sendes ved neste synkronisering (over deres {})\n",
                c.cell,
                value_words(c.mine.as_deref()),
                value_words(c.theirs.as_deref())
            ),
            Choice::Theirs => format!(
                "  {}: deres {} gjelder (din {} er forkastet)\n",
                c.cell,
                value_words(c.theirs.as_deref()),
                value_words(c.mine.as_deref())
            ),
        });
    }
    if choice == Choice::Mine {
        text.push_str("Kjør «malkart sync» for å sende verdiene dine.\n");
    }
    Ok(text)
}

pub fn publish(url: &str, user: &str, db: &Path) -> Result<String> {
    let password = password(user, url)?;
    let (report, local) = sync::publish(url, user, &password, db)?;
    let status = sync::status(db)?;
    let mut text = format!(
        "{} er publisert til {}; filen er nå en kopi av serveren.\n{}",
        db.display(),
        url,
        describe(&report, &status)
    );
    if local.survey_results + local.reference_values > 0 {
        text.push_str(&format!(
            "Bare i denne filen, ikke på serveren (undersøkelser deles ikke ennå): {} \
             undersøkelsesresultater og {} referanseverdier. Kollegene dine ser dem ikke.\n",
            group_digits(&local.survey_results.to_string()),
            group_digits(&local.reference_values.to_string()),
        ));
    }
    Ok(text)
}

fn describe(report: &SyncReport, status: &sync::SyncStatus) -> String {
    let mut text = String::new();
    if report.pulled_first {
        text.push_str(&format!(
            "Hentet endringer fra serveren før sending, siden forrige synkronisering er mer \
             enn {} minutter siden.\n",
            sync::PULL_FIRST_AFTER_MINUTES
        ));
        if !report.changed_underneath.is_empty() {
            text.push_str(&format!(
                "Endret på serveren mens du var borte, under dine ventende endringer ({}):\n",
                report.changed_underneath.len()
            ));
            for cell in &report.changed_underneath {
                text.push_str(&format!("  {cell}\n"));
            }
        }
    }
    text.push_str(&format!(
        "Synkronisert {}: {} sendt ({} lagret, {} i konflikt, {} avvist), {} rader hentet.\n",
        report.at,
        report.pushed,
        report.applied,
        report.conflicts,
        report.refused,
        report.pulled_rows
    ));
    if report.resolutions > 0 {
        text.push_str(&format!(
            "{} konflikter løst med «Bruk deres» er skrevet i serverens endringslogg.\n",
            report.resolutions
        ));
    }
    if status.pending > 0 {
        text.push_str(&format!(
            "{} endringer venter på å bli sendt.\n",
            status.pending
        ));
    }
    if status.conflicts > 0 {
        text.push_str(&format!(
            "Konflikter ({}): endringer som ikke ble lagret på serveren; se «malkart conflicts» \
             og løs dem med «malkart resolve ID mine|theirs»:\n",
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
