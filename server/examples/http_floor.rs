//! The floor `make bench-http` measures the real server against: one bare axum
//! handler that answers what the `list_accounts` server function answers — the
//! same session check, the same core calls and so the same SQL through sqlx, as
//! JSON — with no Leptos, no middleware and no security layers in between. What
//! the real server does slower than this is what those layers cost.
//!
//! `cargo run --release -p umbrella-server --example http_floor -- DATABASE_URL LISTEN`

use std::net::SocketAddr;

use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use umbrella::auth::SessionToken;
use umbrella::domain::{AccountQuery, QueryParams};
use umbrella::{Db, Umbrella};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(url), Some(listen)) = (args.next(), args.next()) else {
        return Err("usage: http_floor DATABASE_URL LISTEN".into());
    };
    let listen: SocketAddr = listen.parse()?;
    let core = Umbrella::new(Db::connect(&url).await?);
    let app = Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/floor/list_accounts", post(list_accounts))
        .with_state(core);
    let listener = tokio::net::TcpListener::bind(listen).await?;
    println!("listening on http://{listen}");
    axum::serve(listener, app).await?;
    Ok(())
}

async fn list_accounts(
    State(core): State<Umbrella>,
    headers: HeaderMap,
    Form(params): Form<QueryParams>,
) -> Response {
    let Some(token) = session_cookie(&headers) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let answer = async {
        let admin = core.authenticate(&token, None).await?.org_admin()?;
        let query = AccountQuery::parse(&params).map_err(umbrella::Error::Invalid)?;
        let page = core.list_accounts(&admin, &query).await?;
        let quota = core.account_quota(&admin).await?;
        let counts = core.status_counts(&admin).await?;
        let rows: Vec<serde_json::Value> = page
            .accounts
            .into_iter()
            .map(|a| {
                serde_json::json!({
                    "partner_id": a.partner_id.get(),
                    "is_parent": a.is_parent(),
                    "is_template": a.is_template,
                    "status": a.status,
                    "created": a.created_at.display(),
                    "name": a.name.into_inner(),
                    "admin_name": a.admin_name.into_inner(),
                    "admin_email": a.admin_email.into_inner(),
                    "admin_phone": a.admin_phone.into_inner(),
                })
            })
            .collect();
        Ok::<_, umbrella::Error>(serde_json::json!({
            "rows": rows,
            "in_use": quota.in_use,
            "remaining": quota.remaining(),
            "counts": counts,
            "next": page.next.map(|cursor| cursor.to_token()),
        }))
    };
    match answer.await {
        Ok(body) => Json(body).into_response(),
        Err(e) => (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
    }
}

fn session_cookie(headers: &HeaderMap) -> Option<SessionToken> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == "umbrella_session")
        .map(|c| SessionToken::from_client(c.value()))
}
