//! The server's HTTP API as blocking calls (docs/sharing-design.md §6). Every answer that
//! is not a success becomes an `Error` with the server's Norwegian message; a server that
//! cannot be reached, or an answer cut off halfway, is `Error::Offline`.

use std::io::Read;
use std::time::Duration;

use crate::storage::{OutboxOp, PushAnswer, ResolvedTheirs};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use ureq::Agent;

use super::Error;

/// Who the server says the user is.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize)]
pub struct Me {
    pub name: String,
    pub role: String,
    #[serde(default)]
    pub units: Vec<String>,
}

#[derive(Deserialize)]
struct LoginAnswer {
    token: String,
    user: Me,
}

#[derive(Deserialize)]
struct PushAnswers {
    results: Vec<PushAnswer>,
}

/// The server's answer to one reported resolution.
#[derive(Deserialize)]
pub struct ResolveResult {
    pub resolves: String,
    /// `recorded`, or `ugyldig` (the server knows no such conflict of this user).
    pub status: String,
}

#[derive(Deserialize)]
struct ResolveAnswers {
    results: Vec<ResolveResult>,
}

/// A connection to one server, with the session token once logged in.
pub struct Client {
    base: String,
    agent: Agent,
    token: Option<String>,
}

impl Client {
    pub fn new(url: &str, token: Option<String>) -> Client {
        let config = Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(5)))
            // A first pull of a large municipality streams for seconds; a dead connection
            // is still noticed (no byte for 60 s).
            .timeout_recv_body(Some(Duration::from_secs(60)))
            .timeout_recv_response(Some(Duration::from_secs(60)))
            // The operating system's trusted certificates: a municipality's internal CA,
            // installed by its device management, is trusted as the browser trusts it.
            .tls_config(
                ureq::tls::TlsConfig::builder()
                    .root_certs(ureq::tls::RootCerts::PlatformVerifier)
                    .build(),
            )
            .build();
        Client {
            base: url.trim_end_matches('/').to_string(),
            agent: config.into(),
            token,
        }
    }

    pub fn token(&self) -> Option<&str> {
        self.token.as_deref()
    }

    fn url(&self, path: &str) -> String {
        format!("{}/api/v1/{path}", self.base)
    }

    fn bearer(&self) -> String {
        format!("Bearer {}", self.token.as_deref().unwrap_or_default())
    }

    /// Logs in; the token is kept for the calls that follow.
    pub fn login(&mut self, user: &str, password: &str, device: &str) -> Result<Me, Error> {
        let body = json!({ "user": user, "password": password, "device": device });
        let response = self
            .agent
            .post(&self.url("login"))
            .send_json_text(&body)
            .map_err(|e| self.offline(e))?;
        // A refused login is not an expired session: the server's own words (a wrong
        // name or password, a disabled user, the throttle) go to the user as they are.
        let answer: LoginAnswer = self.read_json(response).map_err(|e| match e {
            Error::Unauthenticated(message) => Error::Refused {
                status: 401,
                kind: "bad_login".into(),
                message: format!(
                    "Serveren avviste innloggingen ({message}); sjekk brukernavnet og \
                     passordet og prøv igjen"
                ),
            },
            other => other,
        })?;
        self.token = Some(answer.token);
        Ok(answer.user)
    }

    pub fn me(&self) -> Result<Me, Error> {
        let response = self
            .agent
            .get(&self.url("me"))
            .header("Authorization", &self.bearer())
            .call()
            .map_err(|e| self.offline(e))?;
        self.read_json(response)
    }

    pub fn logout(&self) -> Result<(), Error> {
        let response = self
            .agent
            .post(&self.url("logout"))
            .header("Authorization", &self.bearer())
            .send_empty()
            .map_err(|e| self.offline(e))?;
        self.check(response).map(|_| ())
    }

    /// Every change after `after` the user may read: the answer's body, to be read as it
    /// arrives (`storage::read_pull`), once the server has accepted the request.
    pub fn pull(
        &self,
        after: Option<&str>,
        scope: Option<&str>,
    ) -> Result<impl Read + Send + 'static, Error> {
        let mut request = self
            .agent
            .get(&self.url("pull"))
            .header("Authorization", &self.bearer());
        if let Some(after) = after {
            request = request.query("after", after);
        }
        if let Some(scope) = scope {
            request = request.query("scope", scope);
        }
        // Column names once per table, rows as arrays: a third of the bytes.
        let response = request
            .query("shape", "rows")
            .call()
            .map_err(|e| self.offline(e))?;
        Ok(self.check(response)?.into_body().into_reader())
    }

    /// A pull answer that could not be read to its end, as the user is told.
    pub fn unreadable(&self, e: &serde_json::Error) -> Error {
        if e.is_io() || e.is_eof() {
            Error::Offline(format!("svaret fra {} ble avbrutt ({e})", self.base))
        } else {
            Error::Protocol(format!("svaret fra {} kan ikke leses ({e})", self.base))
        }
    }

    pub fn push(&self, device: &str, ops: &[OutboxOp]) -> Result<Vec<PushAnswer>, Error> {
        let body = json!({ "device": device, "operations": ops });
        let response = self
            .agent
            .post(&self.url("push"))
            .header("Authorization", &self.bearer())
            .send_json_text(&body)
            .map_err(|e| self.offline(e))?;
        let answers: PushAnswers = self.read_json(response)?;
        Ok(answers.results)
    }

    /// Reports conflicts resolved with «Bruk deres», for the server's audit log.
    pub fn resolve(
        &self,
        device: &str,
        resolved: &[ResolvedTheirs],
    ) -> Result<Vec<ResolveResult>, Error> {
        let resolutions: Vec<Value> = resolved
            .iter()
            .map(|r| json!({ "resolves": r.resolves, "choice": "theirs", "value": r.value }))
            .collect();
        let body = json!({ "device": device, "resolutions": resolutions });
        let response = self
            .agent
            .post(&self.url("resolve"))
            .header("Authorization", &self.bearer())
            .send_json_text(&body)
            .map_err(|e| self.offline(e))?;
        let answers: ResolveAnswers = self.read_json(response)?;
        Ok(answers.results)
    }

    pub fn publish(&self, body: &Value) -> Result<Value, Error> {
        let response = self
            .agent
            .post(&self.url("publish"))
            .header("Authorization", &self.bearer())
            .send_json_text(body)
            .map_err(|e| self.offline(e))?;
        self.read_json(response)
    }

    fn offline(&self, e: ureq::Error) -> Error {
        match e {
            // Reached, but not trusted: not «frakoblet», and trying again will not help.
            // rustls's handshake errors arrive as I/O errors of kind InvalidData.
            ureq::Error::Tls(_) | ureq::Error::Rustls(_) => self.untrusted(&e),
            ureq::Error::Io(ref io) if io.kind() == std::io::ErrorKind::InvalidData => {
                self.untrusted(&e)
            }
            e => Error::Offline(format!("{} svarer ikke ({e})", self.base)),
        }
    }

    fn untrusted(&self, e: &ureq::Error) -> Error {
        Error::Protocol(format!(
            "{} kan ikke godkjennes som server: sertifikatet er ikke utstedt av en \
             sertifikatutsteder denne maskinen stoler på, eller gjelder et annet navn ({e}); \
             kontakt IT-avdelingen",
            self.base
        ))
    }

    /// The body of a success; a refusal as the server worded it.
    fn check(
        &self,
        response: ureq::http::Response<ureq::Body>,
    ) -> Result<ureq::http::Response<ureq::Body>, Error> {
        let status = response.status().as_u16();
        if (200..300).contains(&status) {
            return Ok(response);
        }
        let mut text = String::new();
        let _ = response
            .into_body()
            .into_reader()
            .take(64 * 1024)
            .read_to_string(&mut text);
        let (kind, message) = serde_json::from_str::<Value>(&text)
            .ok()
            .map(|v| {
                (
                    v["kind"].as_str().unwrap_or_default().to_string(),
                    v["message"].as_str().unwrap_or_default().to_string(),
                )
            })
            .unwrap_or_default();
        let message = if message.is_empty() {
            format!("serveren svarte {status}")
        } else {
            message
        };
        Err(match status {
            401 => Error::Unauthenticated(message),
            503 => Error::Offline(message),
            _ => Error::Refused {
                status,
                kind,
                message,
            },
        })
    }

    fn read_json<T: serde::de::DeserializeOwned>(
        &self,
        response: ureq::http::Response<ureq::Body>,
    ) -> Result<T, Error> {
        let response = self.check(response)?;
        let reader =
            std::io::BufReader::with_capacity(256 * 1024, response.into_body().into_reader());
        serde_json::from_reader(reader).map_err(|e| self.unreadable(&e))
    }
}

/// `send_json` without ureq's `json` feature: the body serialised here.
trait SendJsonText {
    fn send_json_text(self, body: &Value) -> Result<ureq::http::Response<ureq::Body>, ureq::Error>;
}

impl SendJsonText for ureq::RequestBuilder<ureq::typestate::WithBody> {
    fn send_json_text(self, body: &Value) -> Result<ureq::http::Response<ureq::Body>, ureq::Error> {
        self.header("Content-Type", "application/json")
            .send(body.to_string().as_bytes())
    }
}
