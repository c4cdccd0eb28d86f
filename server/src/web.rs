//! The HTTP application: Leptos pages and server functions, static files, and the
//! layers around them.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{Extensions, StatusCode};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::trace::TraceLayer;

use app::{App, SiteFiles, shell};
use ipnet::IpNet;
use umbrella::Umbrella;
use umbrella::web::CookiePolicy;

use crate::assets::Catalog;
use crate::limits::{RequestLimits, bound_requests};
use crate::security::{SecurityConfig, identify_client, refuse_cross_site, security_headers};
use crate::throttle::{AddressLimiter, limit_attempts};

/// What the web application needs to run.
#[derive(Clone, Debug)]
pub struct WebConfig {
    pub listen: SocketAddr,
    pub cookies: CookiePolicy,
    /// The origin browsers see, e.g. `https://umbrella.example.org`; state-changing
    /// requests must come from it.
    pub public_origin: String,
    /// Peers whose forwarded-for headers are believed.
    pub trusted_proxies: Vec<IpNet>,
    /// Sign-in, activation and CMS Login attempts allowed per client address and minute.
    pub attempts_per_minute: u32,
    /// How large a request may be and how long its handler may run.
    pub limits: RequestLimits,
    /// How fast each API token may call.
    pub api_rate: crate::api::ApiRate,
    /// How fast all of one organization's tokens may call together.
    pub api_organization_rate: crate::api::ApiRate,
    /// CSV exports one organization may run at once.
    pub exports_per_organization: u32,
    /// Where activation links are emailed from, if anywhere (`--smtp-url`).
    pub mailer: Option<Arc<app::mail::Mailer>>,
}

/// Attempts at a secret per address and minute unless `serve` is told otherwise.
pub const DEFAULT_ATTEMPTS_PER_MINUTE: u32 = 20;

impl WebConfig {
    /// Serving at `listen` as its own public origin, plain HTTP, no proxies.
    pub fn new(listen: SocketAddr) -> Self {
        Self {
            listen,
            cookies: CookiePolicy::default(),
            public_origin: format!("http://{listen}"),
            trusted_proxies: Vec::new(),
            attempts_per_minute: DEFAULT_ATTEMPTS_PER_MINUTE,
            limits: RequestLimits::default(),
            api_rate: crate::api::ApiRate::default(),
            api_organization_rate: crate::api::ApiRate::organization_default(),
            exports_per_organization: crate::accounts_csv::DEFAULT_EXPORTS_PER_ORGANIZATION,
            mailer: None,
        }
    }
}

/// Leptos' options, built here rather than read from Cargo.toml, because the
/// binary must run alone, far from its source tree. The names match
/// `[workspace.metadata.leptos]` in Cargo.toml.
pub fn leptos_options(listen: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("umbrella")
        // "pkg/<hash>": the hydration script asks for the hashed JS and WASM.
        .site_pkg_dir(Catalog::get().pkg_dir())
        .site_root(std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".to_owned()))
        .site_addr(listen)
        .env(leptos::config::Env::PROD)
        .build()
}

/// The stylesheet and icon the page links, by their content-hashed names.
fn site_files() -> SiteFiles {
    let catalog = Catalog::get();
    SiteFiles {
        stylesheet: catalog.url("pkg/umbrella.css"),
        icon: catalog.url("favicon.svg"),
    }
}

/// The whole application as an axum router (used by `serve` and by the HTTP tests).
pub fn router(umbrella: Umbrella, config: &WebConfig) -> Router {
    let options = leptos_options(config.listen);
    let routes = generate_route_list(App);
    let cookies = config.cookies;
    let context = {
        let umbrella = umbrella.clone();
        let mailer = config.mailer.clone();
        move || {
            provide_context(umbrella.clone());
            provide_context(cookies);
            if let Some(mailer) = &mailer {
                provide_context(mailer.clone());
            }
            app::server::provide_request_context();
        }
    };
    let security = Arc::new(SecurityConfig {
        public_origin: config.public_origin.clone(),
        trusted_proxies: config.trusted_proxies.clone(),
        cookies,
    });
    let limiter = AddressLimiter::new(config.attempts_per_minute);
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route(
            "/readyz",
            get({
                let umbrella = umbrella.clone();
                move || ready(umbrella.clone())
            }),
        )
        .nest(
            crate::api::PREFIX,
            crate::api::router(
                umbrella.clone(),
                crate::api::ApiRates {
                    token: config.api_rate,
                    organization: config.api_organization_rate,
                    unknown_per_minute: config.attempts_per_minute,
                },
                &config.public_origin,
            ),
        )
        .route(
            crate::accounts_csv::PATH,
            get({
                let export = crate::accounts_csv::CsvExport::new(
                    umbrella.clone(),
                    cookies,
                    config.exports_per_organization,
                );
                move |request: Request<Body>| export.clone().respond(request)
            }),
        )
        .route(
            "/cms/{partner_id}/login",
            post({
                let umbrella = umbrella.clone();
                move |request: Request<Body>| crate::cms::start(umbrella.clone(), cookies, request)
            }),
        )
        .route(
            "/cms/{partner_id}/api/{*function}",
            any({
                let context = context.clone();
                move |request: Request<Body>| crate::cms::server_function(context.clone(), request)
            }),
        )
        .leptos_routes_with_context(&options, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone(), site_files())
        })
        .fallback(move |state, request| static_file_or_not_found(context.clone(), state, request))
        // Outermost last: trace, compress, headers, who the client is, then the
        // refusals (cross-site before counting attempts, both before a body is
        // read), then the body's size and the handler's time, then a plain form
        // post's way back, then the CMS scope.
        .layer(axum::middleware::map_request(crate::cms::tag_scope))
        // The body is bounded by `bound_requests`, per route; the extractors' own
        // default (2 MiB everywhere) would cut imports short.
        .layer(DefaultBodyLimit::max(config.limits.import_body_bytes))
        .layer(from_fn_with_state(cookies, crate::forms::plain_form_posts))
        .layer(from_fn_with_state(config.limits, bound_requests))
        .layer(from_fn_with_state(limiter, limit_attempts))
        .layer(from_fn_with_state(security.clone(), refuse_cross_site))
        .layer(from_fn_with_state(security.clone(), identify_client))
        .layer(from_fn_with_state(security, security_headers))
        // Static files come compressed from the build (see `assets`); pages and
        // server functions are compressed here.
        .layer(
            CompressionLayer::new().compress_when(DefaultPredicate::new().and(
                |_, _, _: &_, extensions: &Extensions| {
                    extensions.get::<crate::assets::StaticFile>().is_none()
                },
            )),
        )
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .with_state(options)
}

/// 200 when this server can serve: the database answers within a second and its
/// schema is this build's; otherwise 503 with the reason (for load balancers and
/// orchestrators, which take the server out of rotation until it is ready).
async fn ready(umbrella: Umbrella) -> Response {
    match umbrella.db().check_ready(Duration::from_secs(1)).await {
        Ok(()) => "ready".into_response(),
        Err(reason) => {
            tracing::warn!(%reason, "not ready");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                format!("not ready: {reason}"),
            )
                .into_response()
        }
    }
}

/// The span of a request: its method and path, never its query string, which may
/// carry a one-time activation token.
fn request_span(request: &Request<Body>) -> tracing::Span {
    tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
}

/// Static files first; any other path gets the app's "Page not found" page.
async fn static_file_or_not_found(
    context: impl Fn() + Clone + Send + Sync + 'static,
    State(options): State<LeptosOptions>,
    request: Request<Body>,
) -> Response {
    let path = request.uri().path().to_owned();
    if let Some(response) = crate::assets::respond(&path, request.headers()) {
        return response;
    }
    let render = leptos_axum::render_app_to_stream_with_context(context, move || {
        shell(options.clone(), site_files())
    });
    render(request).await.into_response()
}
