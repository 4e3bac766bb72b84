//! The `malkart` command line (cli.md): a thin layer over the core. Each command opens the
//! database, calls the core (its use cases in `malkart::service`, shared with the app) and
//! prints the result in Norwegian. Errors go
//! to standard error as `feil: …`; the exit code is 0 on success, 2 when the input was
//! refused (nothing changed) and 1 for anything else.

mod args;
mod bench;
mod sharing;
mod table;

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use args::{Cli, Command, ExportFormat, ExportTarget, Format, Report, Size};
use malkart::clock;
use malkart::demo::DemoSize;
use malkart::engine::Engine;
use malkart::export;
use malkart::format::group_digits;
use malkart::import::{self, ImportKind, ImportReport};
use malkart::period::Period;
use malkart::service::files::write_atomically;
use malkart::service::{self, actions, admin, detail, engines, reports, EngineCache};
use malkart::storage::{self, AuditFilter, Store};
use malkart::{Error, Result};

fn main() -> ExitCode {
    let cli = args::parse();
    match run(cli) {
        Ok(bytes) => {
            // A closed pipe (`malkart status … | head`) is not an error worth a message.
            let _ = std::io::stdout().lock().write_all(&bytes);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("feil: {e}");
            ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(1))
        }
    }
}

/// Runs one command and returns what it prints (an export's CSV or JSON are bytes).
fn run(cli: Cli) -> Result<Vec<u8>> {
    // `malkart server …` is the server's own program; it opens no Målkart file here.
    if let Command::Server { args } = &cli.command {
        return sharing::server(args).map(String::into_bytes);
    }
    let path = match (&cli.server, &cli.command) {
        (Some(name), _) => sharing::replica_of(name)?,
        // `malkart sync` alone: the one server this machine is connected to.
        (None, Command::Sync | Command::Conflicts { .. } | Command::Resolve { .. })
            if cli.db.is_none() =>
        {
            sharing::only_replica()?
        }
        _ => storage::resolve_path(cli.db.as_deref())?,
    };
    // A SQLite error names the database it happened on.
    if let Command::Export { report } = cli.command {
        return export(&path, report).map_err(|e| e.at(&path));
    }
    command_text(&path, cli.command)
        .map(String::into_bytes)
        .map_err(|e| e.at(&path))
}

/// Runs a command whose output is text.
fn command_text(path: &Path, command: Command) -> Result<String> {
    let path = path.to_path_buf();
    match command {
        // `run` sends exports past this text path (they may be binary); kept for completeness.
        Command::Export { report } => {
            export(&path, report).map(|b| String::from_utf8_lossy(&b).into_owned())
        }
        Command::Init { demo, size, through } => init(&path, demo, size, through.as_deref()),
        Command::Import {
            kind,
            file,
            dry_run,
            mapping,
        } => {
            let kind = parse_kind(&kind)?;
            // A file that is not there is a refused input, like a file with a wrong line.
            for f in std::iter::once(&file).chain(mapping.as_ref()) {
                if !f.is_file() {
                    return Err(Error::Invalid(format!("finner ikke filen {}", f.display())));
                }
            }
            let mut store = Store::open_existing(&path)?;
            let report = match (kind, &mapping) {
                (ImportKind::Kostra, Some(mapping)) => {
                    import::import_kostra(&mut store, &file, mapping, dry_run)?
                }
                (ImportKind::Kostra, None) => {
                    return Err(Error::Invalid(
                        "en KOSTRA-fil trenger koblingsfilen: --kobling KOBLINGSFIL".to_string(),
                    ))
                }
                (_, Some(_)) => {
                    return Err(Error::Invalid(
                        "--kobling gjelder bare import av kostra".to_string(),
                    ))
                }
                (kind, None) => import::import_file(&mut store, kind, &file, dry_run)?,
            };
            Ok(import_text(&report))
        }
        Command::Status {
            unit,
            period,
            format,
            umaskert,
        } => {
            let period = Period::parse(&period)?;
            let mut store = Store::open_existing(&path)?;
            store.read_once()?;
            let engine = engines::status_engine(&store, &unit, &period)?;
            let min = store.min_employees()?;
            let privacy = privacy(&mut store, &engine, &unit, &period, umaskert)?;
            let card =
                detail::scorecard(&engine, &store, &unit, &period, privacy, last_full_month())?;
            match format {
                Format::Json => json(&card),
                Format::Table => Ok(table::render(&card, min, umaskert)),
            }
        }
        Command::Show {
            indicator,
            unit,
            period,
            format,
            umaskert,
        } => {
            let period = Period::parse(&period)?;
            let mut store = Store::open_existing(&path)?;
            // The engine covers the indicator's history, as the app's detail does.
            let engine = EngineCache::new().engine_for(&store, &period, current_month())?;
            engine
                .indicator(&indicator)
                .ok_or_else(|| Error::UnknownIndicator(indicator.clone()))?;
            let min = store.min_employees()?;
            let privacy = privacy(&mut store, &engine, &unit, &period, umaskert)?;
            let detail = detail::indicator_detail(
                &engine,
                &store,
                &indicator,
                &unit,
                &period,
                privacy,
                last_full_month(),
            )?;
            match format {
                Format::Json => json(&detail),
                Format::Table => Ok(table::render_detail(&detail, &period, min, umaskert)),
            }
        }
        Command::Audit {
            unit,
            indicator,
            from,
            to,
            limit,
            format,
        } => {
            let store = Store::open_existing(&path)?;
            let filter = AuditFilter {
                unit,
                indicator,
                from,
                to,
                limit: (limit > 0).then_some(limit),
            };
            match format {
                // JSON keeps the stored entries as they are, for machines.
                Format::Json => json(&admin::audit(&store, &filter)?),
                Format::Table => Ok(table::render_audit(&service::audit::rows(
                    &store,
                    &filter,
                    &chrono::Local,
                )?)),
            }
        }
        Command::Surveys { name, minimum } => {
            let mut store = Store::open_existing(&path)?;
            let mut out = String::new();
            if let (Some(name), Some(min)) = (&name, minimum) {
                out.push_str(&if store.set_survey_minimum(name, min)? {
                    format!("{name}: resultater vises nå fra {min} svar.\n")
                } else {
                    format!("{name}: resultater ble allerede vist fra {min} svar.\n")
                });
            }
            for s in store.surveys()? {
                if name.as_ref().is_none_or(|n| *n == s.name) {
                    out.push_str(&format!(
                        "{} ({}): vises fra {} svar\n",
                        s.name,
                        s.kind.key(),
                        s.min_respondents
                    ));
                }
            }
            Ok(out)
        }
        Command::Lock { month } => {
            let month = service::month(&month)?;
            let mut store = Store::open_existing(&path)?;
            Ok(if store.lock_month(month)? {
                format!("{} ({month}) er låst.\n", Period::month(month).label())
            } else {
                format!("{} ({month}) var allerede låst.\n", Period::month(month).label())
            })
        }
        Command::Unlock { month, reason } => {
            let month = service::month(&month)?;
            if reason.trim().is_empty() {
                return Err(Error::Invalid("oppgi hvorfor måneden låses opp med --reason".to_string()));
            }
            let mut store = Store::open_existing(&path)?;
            Ok(if admin::unlock_month(&mut store, month, &reason)? {
                format!("{} ({month}) er låst opp. Grunnen er skrevet i endringsloggen.\n", Period::month(month).label())
            } else {
                format!("{} ({month}) var ikke låst.\n", Period::month(month).label())
            })
        }
        Command::Backup { file, overwrite } => {
            let store = Store::open_existing(&path)?;
            let kept = admin::backup(&store, &file, overwrite)?;
            let mut text = format!(
                "Sikkerhetskopien av {} er kontrollert og skrevet til {}.\n",
                path.display(),
                file.display()
            );
            if let Some(old) = kept {
                text.push_str(&format!("Den gamle filen er tatt vare på som {}.\n", old.display()));
            }
            Ok(text)
        }
        Command::Restore { file } => Ok(match admin::restore(&path, &file)? {
            Some(old) => format!(
                "Databasen {} er gjenopprettet fra {}.\nDen gamle databasen er tatt vare på som {}.\n",
                path.display(),
                file.display(),
                old.display()
            ),
            None => format!("Databasen {} er gjenopprettet fra {}.\n", path.display(), file.display()),
        }),
        Command::Connect { url, user } => sharing::connect(&url, &user),
        Command::Sync => sharing::sync(&path),
        Command::Conflicts { format } => {
            let store = Store::open_existing(&path)?;
            let conflicts = service::conflicts::list(&store)?;
            match format {
                Format::Json => json(&conflicts),
                Format::Table => Ok(sharing::render_conflicts(&conflicts)),
            }
        }
        Command::Resolve { args, batch } => sharing::resolve(&path, &args, batch.as_deref()),
        Command::Publish { url, user } => sharing::publish(&url, &user, &path),
        Command::Server { args } => sharing::server(&args),
        Command::Check => {
            let store = Store::open_existing(&path)?;
            let report = store.check()?;
            let text = format!(
                "Database: {}\nIntegritet: {}\nSkjemaversjon: {} (denne versjonen av Målkart: {})\n",
                path.display(),
                report.integrity.join("; "),
                report.schema_version,
                report.supported_version
            );
            if report.ok {
                Ok(text)
            } else {
                Err(Error::Invalid(format!("databasen er skadet.\n{text}")))
            }
        }
        Command::Bench {
            unit,
            period,
            repeat,
            cold,
            app,
        } => {
            let period = Period::parse(&period)?;
            let store = Store::open_existing(&path)?;
            let mut out = bench::run(&store, &unit, &period, repeat, cold, last_full_month())?;
            if app {
                out.push_str(&bench::app(&store, &unit, &period, last_full_month())?);
            }
            Ok(out)
        }
    }
}

/// `export sick-leave|economy|scorecard|actions`: the report in the chosen format, to `--out` (written
/// atomically) or, for csv and json, to standard output.
fn export(db: &Path, report: Report) -> Result<Vec<u8>> {
    let (target, min_employees) = match &report {
        Report::SickLeave {
            target,
            min_employees,
        } => (target, *min_employees),
        Report::Economy { target }
        | Report::Scorecard { target, .. }
        | Report::Actions { target } => (target, None),
    };
    let ExportTarget {
        unit,
        period,
        format,
        out,
    } = target;
    let format = match format {
        ExportFormat::Csv => export::Format::Csv,
        ExportFormat::Xlsx => export::Format::Xlsx,
        ExportFormat::Pdf => export::Format::Pdf,
        ExportFormat::Json => export::Format::Json,
    };
    // Refuse what can be refused before the database is opened (or created).
    if format.is_binary() && out.is_none() {
        return Err(Error::Invalid(format!(
            "--format {} skrives ikke til terminalen; oppgi filen med --out, for eksempel \
             --out rapport.{}",
            format.extension(),
            format.extension()
        )));
    }
    let period = Period::parse(period)?;
    let mut store = Store::open_existing(db)?;
    store.read_once()?;
    // The målkart alone needs only what `status` reads; the reports read the whole window.
    let engine = match report {
        Report::Scorecard { .. } => engines::status_engine(&store, unit, &period)?,
        _ => Engine::new(store.dataset_for(&period)?)?,
    };
    let (bytes, name) = match report {
        Report::SickLeave { .. } => {
            let min = reports::minimum(&store, min_employees)?;
            // A minimum below the municipality's setting is a deliberate unmasked view,
            // audited before the report is made (as `status --umaskert`).
            reports::audit_lower_minimum(
                &mut store,
                &engine,
                unit,
                &period,
                min,
                &format!("cli export --min-employees {min}"),
            )?;
            (
                export::sick_leave(&engine, unit, &period, min, format, malkart::clock::now())?,
                "Sykefraværsrapporten",
            )
        }
        Report::Economy { .. } => (
            export::economy(&engine, unit, &period, format, malkart::clock::now())?,
            "Økonomirapporten",
        ),
        Report::Scorecard {
            deviations_only, ..
        } => {
            // As `status` shows it: masked, provisional against the last full month.
            let print = reports::ScorecardPrint {
                unit,
                period: &period,
                deviations_only,
                privacy: admin::privacy(&store, false)?,
                last_full: last_full_month(),
            };
            (
                reports::scorecard_bytes(&engine, &store, &print, format, malkart::clock::now())?,
                "Målkartet",
            )
        }
        Report::Actions { .. } => {
            let report = actions::report(&engine, &store, unit, &period, last_full_month())?;
            (
                export::actions(&report, format, malkart::clock::now())?,
                "Tiltaksrapporten",
            )
        }
    };
    match out {
        None => Ok(bytes),
        Some(file) => {
            write_atomically(file, &bytes)?;
            Ok(format!(
                "{name} for {unit}, {} ({period}), er skrevet til {}.\n",
                period.label(),
                file.display()
            )
            .into_bytes())
        }
    }
}

fn init(path: &Path, demo: bool, size: Option<Size>, through: Option<&str>) -> Result<String> {
    // The one command that creates a database (and its folders).
    let mut store = Store::open(path)?;
    if !demo {
        return Ok(format!("Databasen {} er klar.\n", path.display()));
    }
    let size = match size.unwrap_or(Size::Small) {
        Size::Small => DemoSize::Small,
        Size::Medium => DemoSize::Medium,
        Size::Large => DemoSize::Large,
    };
    let through = match through {
        Some(text) => service::month(text)?,
        None => clock::last_full_month(clock::today()),
    };
    let data = admin::load_demo(&mut store, size, through)?;
    let n = |x: usize| group_digits(&x.to_string());
    Ok(format!(
        "Databasen {} er fylt med Demo kommune ({}): {} enheter, {} indikatorer, {} mål, \
         {} målinger, {} sykefraværsrader, {} økonomirader, {} undersøkelsesresultater, {} \
         tiltak og {} kommentarer, fra {} til og med {}.\n",
        path.display(),
        size.key(),
        n(data.units.len()),
        n(data.indicators.len()),
        n(data.targets.len()),
        n(data.measurements.len()),
        n(data.sick_leave.len()),
        n(data.economy.len()),
        n(data.survey_results.len()),
        n(data.actions.len()),
        n(data.comments.len()),
        Period::month(size.first_month(through)).label(),
        Period::month(through).label(),
    ))
}

fn parse_kind(text: &str) -> Result<ImportKind> {
    ImportKind::parse(text).ok_or_else(|| {
        Error::Invalid(format!(
            "ukjent importtype «{text}»; bruk enheter, indikatorer, mål, målinger, sykefravær, \
             økonomi, tiltak, undersøkelse, referanse eller kostra (units, indicators, targets, \
             measurements, sick-leave, economy, actions, surveys, references)"
        ))
    })
}

/// How sick-leave figures are shown: masked by the stored minimum unless asked for
/// deliberately (`--umaskert`); an unmasked view is audited before anything is shown.
fn privacy(
    store: &mut Store,
    engine: &Engine,
    unit: &str,
    period: &Period,
    umaskert: bool,
) -> Result<malkart::engine::sickleave::Privacy> {
    if umaskert {
        admin::unmasked_view(store, engine, unit, period, "cli")
    } else {
        admin::privacy(store, false)
    }
}

/// The current month by the computer's clock (or `MALKART_TODAY`).
fn current_month() -> malkart::period::Month {
    clock::current_month(clock::today())
}

/// The last full month by the same clock: what a period is judged complete against.
fn last_full_month() -> malkart::period::Month {
    clock::last_full_month(clock::today())
}

fn json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| Error::Invalid(format!("kunne ikke skrive JSON: {e}")))
}

fn import_text(r: &ImportReport) -> String {
    let n = |x: u64| group_digits(&x.to_string());
    let mut out = if r.dry_run {
        format!(
            "Prøvekjøring av «{}» ({}): ingenting er lagret.\n",
            r.file,
            r.kind.key()
        )
    } else {
        format!("Importerte «{}» ({}).\n", r.file, r.kind.key())
    };
    out.push_str(&format!("  rader lest:  {}\n", n(r.rows_read)));
    out.push_str(&format!("  nye:         {}\n", n(r.created)));
    out.push_str(&format!("  endret:      {}\n", n(r.changed)));
    out.push_str(&format!("  uendret:     {}\n", n(r.unchanged)));
    out.push_str(&format!("  advarsler:   {}\n", r.warnings.len()));
    for w in &r.warnings {
        out.push_str(&format!("  advarsel: {w}\n"));
    }
    out
}
