//! A page checks its caller's session once, however many of its parts ask who is
//! signed in (the page's guard, each server function it calls as it renders).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::http::StatusCode;
use tracing::span::{Attributes, Id};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

use crate::support::*;

/// Counts the core's session checks (`Umbrella::authenticate` spans).
#[derive(Clone, Default)]
struct SessionChecks(Arc<AtomicUsize>);

impl<S: tracing::Subscriber> Layer<S> for SessionChecks {
    fn on_new_span(&self, attrs: &Attributes<'_>, _: &Id, _: Context<'_, S>) {
        let meta = attrs.metadata();
        if meta.name() == "authenticate" && meta.target().starts_with("umbrella::auth") {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
}

#[tokio::test]
async fn a_page_load_checks_the_session_once() {
    let app = TestApp::new().await;
    app.organization("Uni", "boss@uni.example").await;
    app.child("boss@uni.example", "Arts", "arts@uni.example")
        .await;
    let cookie = app.sign_in("boss@uni.example", PASSWORD).await;
    let checks = SessionChecks::default();
    // The test runs on one thread: the page is drawn under this subscriber.
    let _guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(checks.clone()));
    for path in ["/multi-account", "/users", "/audit", "/console"] {
        let before = checks.0.load(Ordering::SeqCst);
        let reply = app.page(path, Some(&cookie)).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        let made = checks.0.load(Ordering::SeqCst) - before;
        assert_eq!(made, 1, "{path}: the session was checked {made} times");
    }
}
