//! The server's configuration file (TOML; fields documented in docs/sharing-design.md §2)
//! and the rule that plain HTTP is served only on a loopback address.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `ADDRESS:PORT` to listen on; port 0 lets the OS choose (printed at start).
    pub listen: String,
    pub database: Database,
    /// Required unless `listen` is a loopback address.
    pub tls: Option<Tls>,
    #[serde(default)]
    pub sessions: Sessions,
    #[serde(default)]
    pub log: Log,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Database {
    /// The connection the server runs as (a member of `malkart_app`, not the owner).
    pub url: String,
    /// The schema owner's connection, for `init`; `url` when absent.
    pub owner_url: Option<String>,
    #[serde(default = "default_pool_size")]
    pub pool_size: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tls {
    /// PEM certificate chain; relative to the config file's folder.
    pub certificate: PathBuf,
    /// PEM private key; relative to the config file's folder.
    pub key: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sessions {
    /// A session token's lifetime in hours.
    #[serde(default = "default_session_hours")]
    pub hours: u32,
}

impl Default for Sessions {
    fn default() -> Self {
        Sessions {
            hours: default_session_hours(),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Json,
    Text,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Log {
    #[serde(default)]
    pub format: LogFormat,
}

fn default_pool_size() -> usize {
    16
}

fn default_session_hours() -> u32 {
    12
}

impl Config {
    /// Reads and checks the file; relative TLS paths are made relative to its folder.
    pub fn load(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::Config(format!(
                "kunne ikke lese konfigurasjonsfilen {}: {}",
                path.display(),
                io_words(&e)
            ))
        })?;
        let mut config = Config::parse(&text).map_err(|message| {
            Error::Config(format!("konfigurasjonsfilen {}: {message}", path.display()))
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        if let Some(tls) = &mut config.tls {
            tls.certificate = base.join(&tls.certificate);
            tls.key = base.join(&tls.key);
        }
        Ok(config)
    }

    /// The TOML text to a config, or what is wrong with it (line, column, field) in words.
    pub fn parse(text: &str) -> std::result::Result<Config, String> {
        let config: Config = toml::from_str(text).map_err(|e| {
            let place = e
                .span()
                .map(|span| {
                    let before = &text[..span.start.min(text.len())];
                    let line = before.matches('\n').count() + 1;
                    let column = before.chars().rev().take_while(|c| *c != '\n').count() + 1;
                    format!("linje {line}, kolonne {column}: ")
                })
                .unwrap_or_default();
            format!("{place}{}", toml_words(e.message()))
        })?;
        if config.database.pool_size == 0 {
            return Err("[database] pool_size må være minst 1".into());
        }
        if config.sessions.hours == 0 {
            return Err("[sessions] hours må være minst 1".into());
        }
        Ok(config)
    }

    /// The address to listen on; refused when it is not a loopback address and there is no
    /// `[tls]` (tokens and passwords must never cross a network in plain text).
    pub fn listen_address(&self) -> Result<SocketAddr> {
        let addr = parse_listen(&self.listen)?;
        if self.tls.is_none() && !addr.ip().is_loopback() {
            return Err(Error::Config(format!(
                "serveren kan bare bruke vanlig HTTP på en lokal adresse (127.0.0.1 eller ::1), \
                 men listen = \"{}\"; legg inn [tls] med certificate og key i \
                 konfigurasjonsfilen, eller lytt på 127.0.0.1",
                self.listen
            )));
        }
        Ok(addr)
    }

    /// The owner's connection string (`init`), else the server's own.
    pub fn owner_url(&self) -> &str {
        self.database
            .owner_url
            .as_deref()
            .unwrap_or(&self.database.url)
    }
}

fn parse_listen(text: &str) -> Result<SocketAddr> {
    let text = text.trim();
    if let Ok(addr) = text.parse::<SocketAddr>() {
        return Ok(addr);
    }
    if let Some(port) = text.strip_prefix("localhost:") {
        if let Ok(port) = port.parse::<u16>() {
            return Ok(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port));
        }
    }
    Err(Error::Config(format!(
        "listen = \"{text}\" er ikke en adresse med port; skriv for eksempel \
         \"127.0.0.1:8640\" eller \"0.0.0.0:443\""
    )))
}

/// The TOML parser's messages that a person meets, in Norwegian; others as they are.
fn toml_words(message: &str) -> String {
    let field = |rest: &str| rest.split('`').nth(1).unwrap_or_default().to_string();
    if let Some(rest) = message.strip_prefix("missing field") {
        format!("feltet «{}» mangler", field(rest))
    } else if let Some(rest) = message.strip_prefix("unknown field") {
        format!(
            "ukjent felt «{}» (se docs/sharing-design.md for feltene)",
            field(rest)
        )
    } else if message.starts_with("invalid type") {
        format!("feil type verdi ({message})")
    } else {
        message.to_string()
    }
}

pub(crate) fn io_words(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "filen finnes ikke".into(),
        std::io::ErrorKind::PermissionDenied => "ingen tilgang".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = "listen = \"127.0.0.1:8640\"\n[database]\nurl = \"host=x\"\n";

    #[test]
    fn defaults_fill_what_is_not_given() {
        let c = Config::parse(MINIMAL).unwrap();
        assert_eq!(c.database.pool_size, 16);
        assert_eq!(c.sessions.hours, 12);
        assert_eq!(c.log.format, LogFormat::Json);
        assert_eq!(c.owner_url(), "host=x");
    }

    #[test]
    fn the_example_config_is_valid() {
        let c = Config::parse(include_str!("../malkart-server.example.toml")).unwrap();
        assert_eq!(c.listen_address().unwrap().port(), 8640);
        assert_eq!(
            c.owner_url(),
            "host=127.0.0.1 port=5432 dbname=malkart user=postgres"
        );
        assert!(c.tls.is_none());
    }

    #[test]
    fn unknown_and_missing_fields_are_named_with_their_line() {
        let e = Config::parse("listen = \"127.0.0.1:1\"\n[database]\nurl = \"x\"\ntsl = 1\n")
            .unwrap_err();
        assert!(
            e.contains("linje 4") && e.contains("ukjent felt «tsl»"),
            "{e}"
        );
        let e = Config::parse("listen = \"127.0.0.1:1\"\n[database]\n").unwrap_err();
        assert!(e.contains("feltet «url» mangler"), "{e}");
    }

    #[test]
    fn plain_http_only_on_loopback() {
        let at = |listen: &str, tls: bool| {
            let mut c = Config::parse(MINIMAL).unwrap();
            c.listen = listen.into();
            if tls {
                c.tls = Some(Tls {
                    certificate: "c.pem".into(),
                    key: "k.pem".into(),
                });
            }
            c.listen_address()
        };
        assert!(at("127.0.0.1:0", false).is_ok());
        assert!(at("[::1]:8640", false).is_ok());
        assert!(at("localhost:8640", false).is_ok());
        let e = at("0.0.0.0:8640", false).unwrap_err().to_string();
        assert!(
            e.contains("bare bruke vanlig HTTP") && e.contains("[tls]"),
            "{e}"
        );
        assert!(at("192.168.1.10:443", false).is_err());
        assert!(at("0.0.0.0:443", true).is_ok());
        assert!(at("server.kommune.no", true).is_err());
    }
}
