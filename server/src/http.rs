//! The HTTP API (`/api/v1/…`, docs/sharing-design.md §6): the router, the `Authenticated`
//! extractor every protected route takes, errors as `{ kind, message }`, request logs,
//! and serving with or without TLS until SIGTERM or ctrl-c.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use axum::extract::rejection::JsonRejection;
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequestParts, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use deadpool_postgres::Pool;
use serde::Deserialize;

use crate::access::Rights;
use crate::accounts::{self, UserInfo};
use crate::clock::Clock;
use crate::config::Config;
use crate::db;
use crate::error::{Error, Result};
use crate::pull::PullQuery;
use crate::sessions::{self, Caller, LoggedIn};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub pool: Pool,
    pub clock: Clock,
    pub session_hours: u32,
}

/// Every route. The public ones are `health` and `login`; every other route is added to
/// `protected`, under the layer that refuses a request without a valid token — so a new
/// route cannot forget the check even if its handler does not take `Authenticated`.
pub fn router(state: AppState) -> Router {
    let public = Router::new()
        .route("/api/v1/health", get(health))
        .route("/api/v1/login", post(login));
    let protected = Router::new()
        .route("/api/v1/logout", post(logout))
        .route("/api/v1/me", get(me))
        .route("/api/v1/pull", get(pull))
        .route("/api/v1/audit", get(audit_log))
        .route(
            "/api/v1/push",
            post(push).layer(axum::extract::DefaultBodyLimit::max(64 * 1024 * 1024)),
        )
        .route(
            "/api/v1/resolve",
            post(resolve).layer(axum::extract::DefaultBodyLimit::max(64 * 1024 * 1024)),
        )
        .route(
            "/api/v1/publish",
            post(publish).layer(axum::extract::DefaultBodyLimit::max(
                crate::publish::MAX_BYTES,
            )),
        )
        .route_layer(middleware::from_fn_with_state(state.clone(), require_token));
    public
        .merge(protected)
        .fallback(unknown_route)
        .method_not_allowed_fallback(wrong_method)
        .layer(middleware::from_fn(log_request))
        .with_state(state)
}

/// The protected routes, for the test that asks each of them without a token.
pub const PROTECTED_ROUTES: &[(&str, &str)] = &[
    ("POST", "/api/v1/logout"),
    ("GET", "/api/v1/me"),
    ("GET", "/api/v1/pull"),
    ("GET", "/api/v1/audit"),
    ("POST", "/api/v1/push"),
    ("POST", "/api/v1/resolve"),
    ("POST", "/api/v1/publish"),
];

/// An error as HTTP: the status by kind, `{ kind, message }`, and `Retry-After` when
/// throttled. Internal and database errors are logged and told in general words (the
/// details are for the log, not for the caller).
pub struct ApiError(pub Error);

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        let status = match &e {
            Error::Invalid(_) => StatusCode::BAD_REQUEST,
            Error::BadLogin | Error::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            Error::Disabled(_) | Error::Forbidden(_) => StatusCode::FORBIDDEN,
            Error::NotEmpty(_) => StatusCode::CONFLICT,
            Error::UnknownUser(_) | Error::NotFound(_) => StatusCode::NOT_FOUND,
            Error::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
            Error::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let message = if status == StatusCode::INTERNAL_SERVER_ERROR
            || status == StatusCode::SERVICE_UNAVAILABLE
        {
            tracing::error!(error = %e, kind = e.kind(), "forespørselen feilet");
            "en feil på serveren; prøv igjen, og si fra til administratoren om det gjentar seg"
                .to_string()
        } else {
            e.to_string()
        };
        let body = Json(serde_json::json!({ "kind": e.kind(), "message": message }));
        let mut response = (status, body).into_response();
        if let Error::Throttled { seconds, .. } = e {
            if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}

/// The caller of a protected route. Taken from the token layer's result; asked on a route
/// outside the layer, it checks the token itself, so it can never be had without one.
pub struct Authenticated(pub Caller);

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(caller) = parts.extensions.get::<Caller>() {
            return Ok(Authenticated(caller.clone()));
        }
        Ok(Authenticated(authenticate(parts, state).await?))
    }
}

async fn authenticate(parts: &Parts, state: &AppState) -> Result<Caller> {
    let token = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        // The scheme is case-insensitive (RFC 7235); the token is what follows it.
        .and_then(|v| {
            v.split_once(' ')
                .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
                .map(|(_, token)| token)
        })
        .ok_or_else(|| {
            Error::Unauthenticated(
                "forespørselen mangler innlogging (Authorization: Bearer <token>); logg inn først"
                    .into(),
            )
        })?;
    let client = state.pool.get().await.map_err(Error::pool)?;
    sessions::authenticate(&client, token, state.clock.now()).await
}

async fn require_token(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let (mut parts, body) = request.into_parts();
    let caller = authenticate(&parts, &state).await?;
    parts.extensions.insert(caller);
    Ok(next.run(Request::from_parts(parts, body)).await)
}

/// One structured log line per request: method, path (never the query or a header),
/// status, time taken.
async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::info!(
        %method,
        path,
        status = response.status().as_u16(),
        ms = started.elapsed().as_secs_f64() * 1000.0,
        "forespørsel"
    );
    response
}

/// An address the API does not have, in the API's own error form.
async fn unknown_route(uri: axum::http::Uri) -> ApiError {
    ApiError(Error::NotFound(format!(
        "serveren har ingen adresse {}; se docs/sharing-design.md for API-et",
        uri.path()
    )))
}

async fn wrong_method(method: axum::http::Method, uri: axum::http::Uri) -> Response {
    let body = Json(serde_json::json!({
        "kind": "method_not_allowed",
        "message": format!("{} brukes ikke på {}", method, uri.path()),
    }));
    (StatusCode::METHOD_NOT_ALLOWED, body).into_response()
}

async fn health(State(state): State<AppState>) -> Response {
    let schema = async {
        let client = state.pool.get().await.map_err(Error::pool)?;
        db::schema_version(&client).await
    }
    .await;
    match schema {
        Ok(version) => {
            Json(serde_json::json!({ "status": "ok", "schema": version })).into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "helsesjekken nådde ikke databasen");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({
                    "status": "feil",
                    "message": "serveren når ikke databasen"
                })),
            )
                .into_response()
        }
    }
}

#[derive(Deserialize)]
struct LoginRequest {
    user: String,
    password: String,
    #[serde(default)]
    device: String,
}

async fn login(
    State(state): State<AppState>,
    body: Result<Json<LoginRequest>, JsonRejection>,
) -> Result<Json<LoggedIn>, ApiError> {
    let Json(request) = body.map_err(|e| {
        Error::Invalid(format!(
            "innloggingen må være JSON med «user» og «password» ({})",
            e.body_text()
        ))
    })?;
    let device = if request.device.trim().is_empty() {
        "ukjent maskin"
    } else {
        request.device.trim()
    };
    let mut client = state.pool.get().await.map_err(Error::pool)?;
    let logged_in = sessions::login(
        &mut client,
        request.user.trim(),
        &request.password,
        device,
        state.clock.now(),
        state.session_hours,
    )
    .await?;
    Ok(Json(logged_in))
}

async fn logout(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
) -> Result<StatusCode, ApiError> {
    let client = state.pool.get().await.map_err(Error::pool)?;
    sessions::revoke(&client, caller.session_id, state.clock.now()).await?;
    tracing::info!(user = caller.name, "logget ut");
    Ok(StatusCode::NO_CONTENT)
}

async fn me(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
) -> Result<Json<UserInfo>, ApiError> {
    let client = state.pool.get().await.map_err(Error::pool)?;
    Ok(Json(accounts::info(&client, caller.user_id).await?))
}

/// The changes after `after` that the caller may read (pull.rs).
async fn pull(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
    query: Result<Query<PullQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|e| {
        Error::Invalid(format!(
            "pull tar after=VANNMERKE og scope=OMFANG ({})",
            e.body_text()
        ))
    })?;
    let client = state.pool.get().await.map_err(Error::pool)?;
    let rights = Rights::of(&client, &caller).await?;
    let body = crate::pull::pull(client, rights, &query).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// The audit log, newest first, as far as the caller may read it (audit_log.rs).
async fn audit_log(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
    query: Result<Query<crate::audit_log::AuditQuery>, QueryRejection>,
) -> Result<Json<crate::audit_log::AuditPage>, ApiError> {
    let Query(query) = query.map_err(|e| {
        Error::Invalid(format!(
            "audit tar before=ID og limit=ANTALL ({})",
            e.body_text()
        ))
    })?;
    let client = state.pool.get().await.map_err(Error::pool)?;
    let rights = Rights::of(&client, &caller).await?;
    Ok(Json(
        crate::audit_log::page(&client, &rights, &query).await?,
    ))
}

/// Operations from the caller's outbox, each answered (push.rs). A push may be large (a
/// year of economy for every unit): up to 64 MB of JSON.
async fn push(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
    body: Result<Json<crate::push::PushRequest>, JsonRejection>,
) -> Result<Json<crate::push::PushAnswer>, ApiError> {
    let Json(request) = body.map_err(|e| {
        Error::Invalid(format!(
            "push må være JSON med «device» og «operations» ({})",
            e.body_text()
        ))
    })?;
    let mut client = state.pool.get().await.map_err(Error::pool)?;
    let rights = Rights::of(&client, &caller).await?;
    let device = if request.device.trim().is_empty() {
        client
            .query_opt(
                "SELECT device FROM sessions WHERE id = $1",
                &[&caller.session_id],
            )
            .await
            .map_err(Error::from)?
            .map(|r| r.get::<_, String>(0))
            .unwrap_or_default()
    } else {
        request.device.trim().to_string()
    };
    let pusher = crate::push::Pusher {
        caller: &caller,
        rights: &rights,
        device,
        now: state.clock.now(),
    };
    let answer = crate::push::push(&mut client, &pusher, request.operations).await?;
    Ok(Json(answer))
}

/// Conflicts resolved with «Bruk deres» on a desktop, for the audit log (resolve.rs).
async fn resolve(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
    body: Result<Json<crate::resolve::ResolveRequest>, JsonRejection>,
) -> Result<Json<crate::resolve::ResolveAnswer>, ApiError> {
    let Json(request) = body.map_err(|e| {
        Error::Invalid(format!(
            "resolve må være JSON med «device» og «resolutions» ({})",
            e.body_text()
        ))
    })?;
    let mut client = state.pool.get().await.map_err(Error::pool)?;
    let device = request.device.trim().to_string();
    let answer = crate::resolve::resolve(
        &mut client,
        &caller,
        &device,
        state.clock.now(),
        request.resolutions,
    )
    .await?;
    Ok(Json(answer))
}

/// A whole single-user database onto an empty server (publish.rs): administrators only, up
/// to `publish::MAX_BYTES` of JSON.
async fn publish(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
    request: Request,
) -> Result<Json<crate::publish::PublishAnswer>, ApiError> {
    // The role before the body is read at all: a non-administrator sends nothing big and
    // learns nothing.
    crate::publish::authorize(&caller)?;
    let body = axum::body::to_bytes(request.into_body(), crate::publish::MAX_BYTES)
        .await
        .map_err(|e| {
            Error::Invalid(format!(
                "publiseringen kunne ikke leses (høyst {} MB): {e}",
                crate::publish::MAX_BYTES / (1024 * 1024)
            ))
        })?;
    let request = crate::publish::parse(&body)?;
    drop(body);
    let mut client = state.pool.get().await.map_err(Error::pool)?;
    let publisher = crate::publish::Publisher {
        caller: &caller,
        device: request.device.trim().to_string(),
        now: state.clock.now(),
    };
    let answer = crate::publish::publish(&mut client, &publisher, request).await?;
    Ok(Json(answer))
}

/// Runs the server until SIGTERM or ctrl-c: checks the address rule, the schema and the
/// database role first, prints `Målkart-serveren lytter på http(s)://ADDRESS` when it
/// accepts connections, and lets requests in progress finish (up to 10 s) when stopped.
pub async fn serve(config: &Config, clock: Clock) -> Result<()> {
    let addr = config.listen_address()?;
    let pool = db::pool(config)?;
    {
        let client = pool.get().await.map_err(Error::pool)?;
        db::check_schema(&client).await?;
        db::check_runtime_role(&client).await?;
    }
    let app = router(AppState {
        pool,
        clock,
        session_hours: config.sessions.hours,
    });
    if let Some(tls) = &config.tls {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let rustls =
            axum_server::tls_rustls::RustlsConfig::from_pem_file(&tls.certificate, &tls.key)
                .await
                .map_err(|e| {
                    Error::Config(format!(
                        "kunne ikke lese sertifikatet {} eller nøkkelen {} ([tls]): {e}",
                        tls.certificate.display(),
                        tls.key.display()
                    ))
                })?;
        let listener = std::net::TcpListener::bind(addr).map_err(|e| bind_error(addr, &e))?;
        listener
            .set_nonblocking(true)
            .map_err(|e| bind_error(addr, &e))?;
        announce(
            "https",
            listener.local_addr().map_err(|e| bind_error(addr, &e))?,
        );
        let handle = axum_server::Handle::new();
        let stopper = handle.clone();
        tokio::spawn(async move {
            shutdown_signal().await;
            stopper.graceful_shutdown(Some(Duration::from_secs(10)));
        });
        axum_server::from_tcp_rustls(listener, rustls)
            .handle(handle)
            .serve(app.into_make_service())
            .await
            .map_err(|e| Error::Io(format!("serveren stoppet: {e}")))?;
    } else {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| bind_error(addr, &e))?;
        announce(
            "http",
            listener.local_addr().map_err(|e| bind_error(addr, &e))?,
        );
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown_signal())
            .await
            .map_err(|e| Error::Io(format!("serveren stoppet: {e}")))?;
    }
    tracing::info!("serveren er stoppet");
    Ok(())
}

fn bind_error(addr: SocketAddr, e: &std::io::Error) -> Error {
    Error::Io(format!(
        "kunne ikke lytte på {addr}: {e}; er porten i bruk av et annet program?"
    ))
}

fn announce(scheme: &str, addr: SocketAddr) {
    use std::io::Write;
    let mut out = std::io::stdout();
    let _ = writeln!(out, "Målkart-serveren lytter på {scheme}://{addr}");
    let _ = out.flush();
    tracing::info!(%addr, scheme, "lytter");
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("stopper: venter på forespørsler som er i gang");
}
