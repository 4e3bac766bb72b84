//! The command line's grammar (cli.md), as clap derive types. Help texts are Norwegian:
//! the people who run batch jobs in a municipality read them.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "malkart",
    version,
    about = "Balansert målstyring for kommuner: import, målkart, låste måneder og sikkerhetskopi",
    after_help = "Databasen: --db FIL, ellers miljøvariabelen MALKART_DB, ellers appens datamappe \
                  (på Linux ~/.local/share/no.malkart.app/malkart.db).\n\
                  Avslutningskoder: 0 ok, 2 inndata avvist (ingenting endret), 1 annen feil."
)]
pub struct Cli {
    /// Databasefilen (opprettes hvis den ikke finnes)
    #[arg(long, global = true, value_name = "FIL")]
    pub db: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Oppretter og migrerer databasen; --demo fyller en tom database med Demo kommune
    Init {
        /// Fyll databasen med demokommunen (bare i en tom database)
        #[arg(long)]
        demo: bool,
        /// Størrelsen på demokommunen
        #[arg(long, value_enum, requires = "demo", value_name = "STØRRELSE")]
        size: Option<Size>,
    },
    /// Importerer en fil (CSV eller XLSX): alt eller ingenting
    Import {
        /// enheter/units, indikatorer/indicators, mål/targets, målinger/measurements
        #[arg(value_name = "TYPE")]
        kind: String,
        #[arg(value_name = "FIL")]
        file: PathBuf,
        /// Kontroller filen og vis hva som ville skjedd, uten å lagre
        #[arg(long)]
        dry_run: bool,
    },
    /// Målkartet for en enhet og en periode
    Status {
        /// Enhetskoden, for eksempel 1000
        #[arg(long, value_name = "KODE")]
        unit: String,
        /// 2026-09, 2026-K3, 2026-T2, 2026-H1, 2026 eller 2026-01..2026-09
        #[arg(long, value_name = "PERIODE")]
        period: String,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Låser en måned: ingen tall i den kan endres
    Lock {
        /// Måneden, for eksempel 2026-09
        #[arg(value_name = "MÅNED")]
        month: String,
    },
    /// Låser opp en måned; grunnen skrives i endringsloggen
    Unlock {
        #[arg(value_name = "MÅNED")]
        month: String,
        /// Hvorfor måneden låses opp
        #[arg(long, value_name = "TEKST")]
        reason: String,
    },
    /// Tar en konsistent kopi av databasen mens den er i bruk
    Backup {
        #[arg(value_name = "FIL")]
        file: PathBuf,
    },
    /// Erstatter databasen med en kontrollert kopi; den gamle tas vare på ved siden av
    Restore {
        #[arg(value_name = "FIL")]
        file: PathBuf,
    },
    /// Kontrollerer databasens integritet og skjemaversjon
    Check,
    /// Måler hvor raskt målkartet beregnes på denne databasen (for docs/benchmarks.md)
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
    },
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
