//! The command line's grammar (cli.md), as clap derive types. Help texts are Norwegian:
//! the people who run batch jobs in a municipality read them.

use std::path::PathBuf;

use clap::error::{ContextKind, ErrorKind};
use clap::{ArgAction, CommandFactory, Parser, Subcommand, ValueEnum};

/// clap's help layout with Norwegian headings.
const TEMPLATE: &str = "{about-with-newline}\nBruk: {usage}\n\n{all-args}{after-help}";

#[derive(Debug, Parser)]
#[command(
    name = "malkart",
    version,
    help_template = TEMPLATE,
    subcommand_help_heading = "Kommandoer",
    subcommand_value_name = "KOMMANDO",
    next_help_heading = "Valg",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    about = "Balansert målstyring for kommuner: import, målkart, låste måneder og sikkerhetskopi",
    after_help = "Databasen: --db FIL, ellers miljøvariabelen MALKART_DB, ellers appens datamappe \
                  (på Linux ~/.local/share/no.malkart.app/malkart.db).\n\
                  Avslutningskoder: 0 ok, 2 inndata avvist (ingenting endret), 1 annen feil."
)]
pub struct Cli {
    /// Databasefilen (init oppretter den; de andre kommandoene krever at den finnes)
    #[arg(long, global = true, value_name = "FIL", conflicts_with = "server")]
    pub db: Option<PathBuf>,
    /// Bruk kopien av en delt kommune på serveren NAVN (se «malkart connect»)
    #[arg(long, global = true, value_name = "NAVN")]
    pub server: Option<String>,
    /// Vis hjelp
    #[arg(short, long, global = true, action = ArgAction::Help)]
    help: Option<bool>,
    /// Vis versjonsnummeret
    #[arg(short = 'V', long, action = ArgAction::Version)]
    version: Option<bool>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Oppretter og migrerer databasen; --demo fyller en tom database med Demo kommune
    #[command(help_template = TEMPLATE, next_help_heading = "Valg")]
    Init {
        /// Fyll databasen med demokommunen (bare i en tom database)
        #[arg(long)]
        demo: bool,
        /// Størrelsen på demokommunen
        #[arg(long, value_enum, requires = "demo", value_name = "STØRRELSE")]
        size: Option<Size>,
        /// Siste måned med tall i demokommunen (ÅÅÅÅ-MM); standard er siste hele måned
        #[arg(long, requires = "demo", value_name = "MÅNED")]
        through: Option<String>,
    },
    /// Importerer en fil (CSV eller XLSX): alt eller ingenting
    #[command(help_template = TEMPLATE, next_help_heading = "Valg")]
    Import {
        /// enheter/units, indikatorer/indicators, mål/targets, målinger/measurements,
        /// sykefravær/sick-leave, økonomi/economy, tiltak/actions, undersøkelse/surveys,
        /// referanse/references, kostra (med --kobling)
        #[arg(value_name = "TYPE")]
        kind: String,
        /// CSV- eller XLSX-filen
        #[arg(value_name = "FIL")]
        file: PathBuf,
        /// Kontroller filen og vis hva som ville skjedd, uten å lagre
        #[arg(long)]
        dry_run: bool,
        /// For kostra: koblingsfilen som sier hvilken kolonne som blir hvilken indikator og
        /// hvilken region som er kommunens egne tall eller en referanseserie
        #[arg(
            long = "kobling",
            visible_alias = "mapping",
            value_name = "KOBLINGSFIL"
        )]
        mapping: Option<PathBuf>,
    },
    /// Målkartet for en enhet og en periode
    #[command(help_template = TEMPLATE, next_help_heading = "Valg")]
    Status {
        /// Enhetskoden, for eksempel 1000
        #[arg(long, value_name = "KODE")]
        unit: String,
        /// 2026-09, 2026-K3, 2026-T2, 2026-H1, 2026 eller 2026-01..2026-09
        #[arg(long, value_name = "PERIODE")]
        period: String,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Vis sykefraværstall for små grupper umaskert (skrives i endringsloggen)
        #[arg(long)]
        umaskert: bool,
    },
    /// Én indikator for en enhet og en periode: verdien, målet og «hvorfor denne statusen?»
    #[command(help_template = TEMPLATE, next_help_heading = "Valg")]
    Show {
        /// Indikatorkoden, for eksempel SF
        #[arg(value_name = "INDIKATOR")]
        indicator: String,
        /// Enhetskoden, for eksempel 1000
        #[arg(long, value_name = "KODE")]
        unit: String,
        /// 2026-09, 2026-K3, 2026-T2, 2026-H1, 2026 eller 2026-01..2026-09
        #[arg(long, value_name = "PERIODE")]
        period: String,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// Vis sykefraværstall for små grupper umaskert (skrives i endringsloggen)
        #[arg(long)]
        umaskert: bool,
    },
    /// Endringsloggen: hvem endret hva, når og fra hva til hva (nyeste først)
    #[command(help_template = TEMPLATE, next_help_heading = "Valg")]
    Audit {
        /// Bare endringer for denne enheten, for eksempel 2110
        #[arg(long, value_name = "KODE")]
        unit: Option<String>,
        /// Bare endringer for denne indikatoren, for eksempel SF
        #[arg(long, value_name = "KODE")]
        indicator: Option<String>,
        /// Fra og med denne datoen (ÅÅÅÅ-MM-DD)
        #[arg(long, value_name = "DATO")]
        from: Option<String>,
        /// Til og med denne datoen (ÅÅÅÅ-MM-DD)
        #[arg(long, value_name = "DATO")]
        to: Option<String>,
        /// Høyst så mange endringer (0: alle)
        #[arg(long, value_name = "ANTALL", default_value_t = 100)]
        limit: u32,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Eksporterer sykefraværsrapporten, økonomirapporten, målkartet eller tiltaksrapporten
    /// (CSV, XLSX, PDF eller JSON)
    #[command(
        help_template = TEMPLATE,
        next_help_heading = "Valg",
        subcommand_help_heading = "Rapporter",
        subcommand_value_name = "RAPPORT"
    )]
    Export {
        #[command(subcommand)]
        report: Report,
    },
    /// Låser en måned: ingen tall i den kan endres
    #[command(help_template = TEMPLATE, next_help_heading = "Valg")]
    Lock {
        /// Måneden, for eksempel 2026-09
        #[arg(value_name = "MÅNED")]
        month: String,
    },
    /// Viser undersøkelsene og hvor mange svar et resultat må ha for å vises; med NAVN og
    /// --minimum endres det (skrives i endringsloggen)
    #[command(help_template = TEMPLATE, next_help_heading = "Valg")]
    #[command(alias = "undersøkelser")]
    Surveys {
        /// Undersøkelsen, for eksempel 10-FAKTOR
        #[arg(value_name = "NAVN")]
        name: Option<String>,
        /// Minste antall svar for at et resultat skal vises
        #[arg(long, value_name = "ANTALL", requires = "name")]
        minimum: Option<u32>,
    },
    /// Låser opp en måned; grunnen skrives i endringsloggen
    #[command(help_template = TEMPLATE, next_help_heading = "Valg")]
    Unlock {
        /// Måneden, for eksempel 2026-09
        #[arg(value_name = "MÅNED")]
        month: String,
        /// Hvorfor måneden låses opp
        #[arg(long, value_name = "TEKST")]
        reason: String,
    },
    /// Tar en konsistent kopi av databasen mens den er i bruk
    #[command(help_template = TEMPLATE, next_help_heading = "Valg")]
    Backup {
        /// Filen kopien skrives til (en ny fil, eller en som erstattes med --overwrite)
        #[arg(value_name = "FIL")]
        file: PathBuf,
        /// Erstatt FIL om den finnes; den gamle filen tas vare på ved siden av
        #[arg(long)]
        overwrite: bool,
    },
    /// Erstatter databasen med en kontrollert kopi; den gamle tas vare på ved siden av
    #[command(help_template = TEMPLATE, next_help_heading = "Valg")]
    Restore {
        /// Sikkerhetskopien som skal tas i bruk
        #[arg(value_name = "FIL")]
        file: PathBuf,
    },
    /// Kontrollerer databasens integritet og skjemaversjon
    #[command(help_template = TEMPLATE, next_help_heading = "Valg")]
    Check,
    /// Kobler til en Målkart-server: logger inn og henter en kopi av kommunen til denne maskinen
    #[command(help_template = TEMPLATE, next_help_heading = "Valg")]
    Connect {
        /// Serverens adresse, for eksempel https://malkart.kommune.no
        #[arg(value_name = "URL")]
        url: String,
        /// Brukernavnet på serveren (passordet spørres om, eller leses som én linje fra standard inn)
        #[arg(long, value_name = "NAVN")]
        user: String,
    },
    /// Sender endringene som venter og henter det som er endret på serveren
    #[command(help_template = TEMPLATE, next_help_heading = "Valg")]
    Sync,
    /// Viser endringene serveren ikke lagret (konflikter og avvisninger) med begge verdiene
    #[command(help_template = TEMPLATE, next_help_heading = "Valg")]
    Conflicts {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Løser en konflikt: mine («Behold min») eller theirs («Bruk deres»); med --batch alle
    /// konfliktene fra én endring (en import)
    #[command(
        help_template = TEMPLATE,
        next_help_heading = "Valg",
        override_usage = "malkart resolve ID mine|theirs\n       malkart resolve --batch BATCH mine|theirs"
    )]
    Resolve {
        /// Konfliktens id (fra «malkart conflicts») og valget: mine eller theirs
        #[arg(value_name = "ID VALG", num_args = 1..=2, required = true)]
        args: Vec<String>,
        /// Alle konfliktene fra én endring: batch-id-en eller kilden (filnavnet) fra «malkart conflicts»
        #[arg(long, value_name = "BATCH")]
        batch: Option<String>,
    },
    /// Flytter en lokal database til en tom server, med historikken; filen blir så en kopi av serveren
    #[command(help_template = TEMPLATE, next_help_heading = "Valg")]
    Publish {
        /// Serverens adresse
        #[arg(value_name = "URL")]
        url: String,
        /// En administrator på serveren (passordet spørres om)
        #[arg(long, value_name = "NAVN")]
        user: String,
    },
    /// Målkart-serveren (init, add-user, set-role, disable-user, run): kjører malkart-server
    #[command(help_template = TEMPLATE, next_help_heading = "Valg", disable_help_flag = true)]
    Server {
        /// Argumentene til malkart-server, for eksempel «add-user kari --role leser --config FIL»
        #[arg(
            trailing_var_arg = true,
            allow_hyphen_values = true,
            value_name = "ARGUMENTER"
        )]
        args: Vec<String>,
    },
    /// Måler hvor raskt målkartet beregnes på denne databasen (for docs/benchmarks.md)
    #[command(help_template = TEMPLATE, next_help_heading = "Valg")]
    #[command(hide = true)]
    Bench {
        #[arg(long, value_name = "KODE", default_value = "1000")]
        unit: String,
        #[arg(long, value_name = "PERIODE")]
        period: String,
        /// Antall varme gjentakelser av målkartet
        #[arg(long, default_value_t = 20)]
        repeat: usize,
        /// Antall kalde oppbygginger av datasett og motor
        #[arg(long, default_value_t = 3)]
        cold: usize,
        /// Mål også det appen gjør: motoren med historikk, målkart, oversikt, små grafer
        /// og status for alle enheter, for enheten og tre enheter under den
        #[arg(long)]
        app: bool,
    },
}

/// The reports `export` writes (cli.md).
#[derive(Debug, Subcommand)]
pub enum Report {
    /// Sykefraværsrapporten: én rad for enheten og hver enhet under den, små grupper skjult
    #[command(help_template = TEMPLATE, next_help_heading = "Valg")]
    SickLeave {
        #[command(flatten)]
        target: ExportTarget,
        /// Minste antall ansatte for å vise tallene (0 skrur skjulingen av); standard er
        /// innstillingen i databasen (5 om ingen har endret den)
        #[arg(long, value_name = "ANTALL")]
        min_employees: Option<u32>,
    },
    /// Økonomirapporten: hittil i år til og med periodens siste måned
    #[command(help_template = TEMPLATE, next_help_heading = "Valg")]
    Economy {
        #[command(flatten)]
        target: ExportTarget,
    },
    /// Målkartet slik det vises, til et møte: én A4-side i liggende format med perspektivene,
    /// statusmerker som former og ord
    #[command(help_template = TEMPLATE, next_help_heading = "Valg")]
    Scorecard {
        #[command(flatten)]
        target: ExportTarget,
        /// Bare avvik: bare indikatorer med status gul eller rød
        #[arg(long)]
        deviations_only: bool,
    },
    /// Tiltaksrapporten: tiltakene i enheten og enhetene under den, per mål, med ansvarlig,
    /// frist, status, fremdrift og siste kommentar
    #[command(help_template = TEMPLATE, next_help_heading = "Valg")]
    Actions {
        #[command(flatten)]
        target: ExportTarget,
    },
}

/// What every export needs: which unit and period, which format, where to.
#[derive(Debug, clap::Args)]
pub struct ExportTarget {
    /// Enhetskoden, for eksempel 1000
    #[arg(long, value_name = "KODE")]
    pub unit: String,
    /// 2026-09, 2026-K3, 2026-T2, 2026-H1, 2026 eller 2026-01..2026-09
    #[arg(long, value_name = "PERIODE")]
    pub period: String,
    /// csv, xlsx, pdf eller json; xlsx og pdf krever --out
    #[arg(long, value_enum, value_name = "FORMAT", hide_possible_values = true)]
    pub format: ExportFormat,
    /// Filen rapporten skrives til; uten den går csv og json til standard ut
    #[arg(long, value_name = "FIL")]
    pub out: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Xlsx,
    Pdf,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Size {
    Small,
    Medium,
    Large,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

/// Parses the command line. Help and version go to standard output (exit 0); a usage error
/// is explained in Norwegian on standard error and exits with 2, like any refused input.
pub fn parse() -> Cli {
    match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => {
            e.exit()
        }
        Err(e) => {
            eprintln!("feil: {}", malkart::error::argument_message(&e));
            let usage = match e.get(ContextKind::Usage) {
                Some(u) => u.to_string(),
                None => Cli::command().render_usage().to_string(),
            };
            eprintln!(
                "{}",
                usage
                    .replacen("Usage:", "Bruk:", 1)
                    .replace("[OPTIONS]", "[VALG]")
            );
            eprintln!("Se «malkart --help» for alle kommandoer og valg.");
            std::process::exit(2);
        }
    }
}
