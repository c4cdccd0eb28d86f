//! The HTTP application: Leptos pages and server functions, static files, and the
//! layers around them.

use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::compression::CompressionLayer;
use tower_http::trace::TraceLayer;

use app::server::CookiePolicy;
use app::{App, shell};
use umbrella::Umbrella;

/// What the web application needs to run.
#[derive(Clone, Debug)]
pub struct WebConfig {
    pub listen: SocketAddr,
    pub cookies: CookiePolicy,
}

/// Leptos' options, built here rather than read from Cargo.toml, because the
/// binary must run alone, far from its source tree. The names match
/// `[workspace.metadata.leptos]` in Cargo.toml.
pub fn leptos_options(listen: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("umbrella")
        .site_pkg_dir("pkg")
        .site_root(std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".to_owned()))
        .site_addr(listen)
        .env(leptos::config::Env::PROD)
        .build()
}

/// The whole application as an axum router (used by `serve` and by the HTTP tests).
pub fn router(umbrella: Umbrella, config: &WebConfig) -> Router {
    let options = leptos_options(config.listen);
    let routes = generate_route_list(App);
    let cookies = config.cookies;
    let context = {
        let umbrella = umbrella.clone();
        move || {
            provide_context(umbrella.clone());
            provide_context(cookies);
        }
    };
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
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
        .leptos_routes_with_context(&options, routes, context, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(static_file_or_not_found)
        .layer(axum::middleware::map_request(crate::cms::tag_scope))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http().make_span_with(request_span))
        .with_state(options)
}

/// The span of a request: its method and path, never its query string, which may
/// carry a one-time activation token.
fn request_span(request: &Request<Body>) -> tracing::Span {
    tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
}

/// Static files first; any other path gets the app's "Page not found" page.
async fn static_file_or_not_found(
    State(options): State<LeptosOptions>,
    request: Request<Body>,
) -> Response {
    let path = request.uri().path().to_owned();
    if let Some(asset) = crate::assets::lookup(&path) {
        return crate::assets::respond(&path, asset, request.headers());
    }
    let render = leptos_axum::render_app_to_stream(move || shell(options.clone()));
    render(request).await.into_response()
}
