//! `malkart-server`: the server and its administration (docs/sharing-design.md §1). Each
//! command reads the config, does one thing, and exits 0, 2 (input refused, nothing
//! changed) or 1 (anything else) with the reason in Norwegian on standard error.

use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::error::{ContextKind, ErrorKind};
use clap::{Parser, Subcommand};
use malkart_server::accounts::{self, Role};
use malkart_server::audit::Actor;
use malkart_server::clock::Clock;
use malkart_server::config::{Config, LogFormat};
use malkart_server::{db, http, Error, Result};

#[derive(Parser)]
#[command(
    name = "malkart-server",
    version,
    about = "Målkart-serveren: en kommunes data i PostgreSQL, med brukere og roller"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Lag eller oppgrader databaseskjemaet (trygt å kjøre flere ganger)
    Init {
        #[arg(long, value_name = "FIL")]
        config: PathBuf,
    },
    /// Start serveren
    Run {
        #[arg(long, value_name = "FIL")]
        config: PathBuf,
    },
    /// Legg til en bruker; passordet leses fra terminalen (eller én linje på standard inn)
    AddUser {
        name: String,
        #[arg(long, value_name = "ROLLE")]
        role: String,
        #[arg(long, value_name = "KODE,…", value_delimiter = ',')]
        units: Vec<String>,
        #[arg(long, value_name = "FIL")]
        config: PathBuf,
    },
    /// Gi en bruker en annen rolle (og enheter)
    SetRole {
        name: String,
        #[arg(long, value_name = "ROLLE")]
        role: String,
        #[arg(long, value_name = "KODE,…", value_delimiter = ',')]
        units: Vec<String>,
        #[arg(long, value_name = "FIL")]
        config: PathBuf,
    },
    /// Deaktiver en bruker og avslutt alle øktene hans eller hennes
    DisableUser {
        name: String,
        #[arg(long, value_name = "FIL")]
        config: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            e.exit()
        }
        Err(e) => {
            eprintln!("feil: {}", argument_message(&e));
            eprintln!("se «malkart-server --help»");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("feil: kunne ikke starte: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("feil: {e}");
            ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(1))
        }
    }
}

async fn run(command: Command) -> Result<()> {
    let clock = Clock::from_env()?;
    match command {
        Command::Init { config } => {
            let config = Config::load(&config)?;
            let mut owner = db::connect(config.owner_url()).await?;
            let found = db::migrate(&mut owner).await?;
            if found < db::SUPPORTED_VERSION {
                println!(
                    "databasen er oppgradert fra skjema {found} til {}",
                    db::SUPPORTED_VERSION
                );
            } else {
                println!("databasen har allerede skjema {found}; ingenting å gjøre");
            }
            if let Some(todo) = db::grant_runtime_role(&owner, &config).await? {
                eprintln!("advarsel: {todo}");
            }
            Ok(())
        }
        Command::Run { config } => {
            let config = Config::load(&config)?;
            init_logs(config.log.format);
            if let Clock::Fixed(at) = clock {
                tracing::warn!(%at, "klokken er låst av MALKART_SERVER_NOW (bare for tester)");
            }
            http::serve(&config, clock).await
        }
        Command::AddUser {
            name,
            role,
            units,
            config,
        } => {
            let config = Config::load(&config)?;
            let role = Role::parse(&role)?;
            let mut client = admin_client(&config).await?;
            let password = read_password(&name)?;
            accounts::add_user(
                &mut client,
                &cli_actor(),
                &name,
                role,
                &units,
                &password,
                clock.now(),
            )
            .await?;
            println!("brukeren «{name}» er lagt til med rollen {}", role.as_str());
            Ok(())
        }
        Command::SetRole {
            name,
            role,
            units,
            config,
        } => {
            let config = Config::load(&config)?;
            let role = Role::parse(&role)?;
            let mut client = admin_client(&config).await?;
            accounts::set_role(&mut client, &cli_actor(), &name, role, &units, clock.now()).await?;
            println!("brukeren «{name}» har nå rollen {}", role.as_str());
            Ok(())
        }
        Command::DisableUser { name, config } => {
            let config = Config::load(&config)?;
            let mut client = admin_client(&config).await?;
            accounts::disable_user(&mut client, &cli_actor(), &name, clock.now()).await?;
            println!("brukeren «{name}» er deaktivert, og øktene er avsluttet");
            Ok(())
        }
    }
}

/// The administration commands use the server's own role and need the current schema.
async fn admin_client(config: &Config) -> Result<tokio_postgres::Client> {
    let client = db::connect(&config.database.url).await?;
    db::check_schema(&client).await?;
    Ok(client)
}

/// The operating system's user who runs the command, as the audit's «who».
fn cli_actor() -> Actor {
    let name = ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|var| std::env::var(var).ok().filter(|v| !v.is_empty()))
        .unwrap_or_else(|| "ukjent".to_string());
    Actor {
        name,
        user_id: None,
        device: "malkart-server (kommandolinjen)".to_string(),
    }
}

/// The new password: asked twice on a terminal without echo, else one line on standard
/// input (scripts). Never an argument: arguments are visible to every user of the machine.
fn read_password(name: &str) -> Result<String> {
    let io = |e: std::io::Error| Error::Io(format!("kunne ikke lese passordet: {e}"));
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password(format!("Passord for «{name}»: ")).map_err(io)?;
        let second = rpassword::prompt_password("Gjenta passordet: ").map_err(io)?;
        if first != second {
            return Err(Error::Invalid(
                "passordene er ikke like; ingenting er endret".into(),
            ));
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).map_err(io)?;
        Ok(line.trim_end_matches(['\n', '\r']).to_string())
    }
}

fn init_logs(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

/// A usage error in Norwegian (clap's own words are English).
fn argument_message(e: &clap::Error) -> String {
    let ctx = |kind: ContextKind| e.get(kind).map(ToString::to_string).unwrap_or_default();
    let arg = ctx(ContextKind::InvalidArg);
    match e.kind() {
        ErrorKind::MissingRequiredArgument => format!("mangler {arg}"),
        ErrorKind::InvalidValue | ErrorKind::TooFewValues => format!("{arg} mangler en verdi"),
        ErrorKind::UnknownArgument => format!("ukjent valg eller argument «{arg}»"),
        ErrorKind::InvalidSubcommand => format!(
            "ukjent kommando «{}»; kommandoene er init, run, add-user, set-role og disable-user",
            ctx(ContextKind::InvalidSubcommand)
        ),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "mangler kommando; kommandoene er init, run, add-user, set-role og disable-user"
                .to_string()
        }
        ErrorKind::ArgumentConflict => format!(
            "{arg} kan ikke brukes sammen med {}",
            ctx(ContextKind::PriorArg)
        ),
        _ => format!("argumentene er ikke gyldige ({})", e.kind()),
    }
}
