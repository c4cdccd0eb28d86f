use app::list_params::percent_encode;
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;
use umbrella::Umbrella;
use umbrella::audit::AuditContext;
use umbrella::domain::{AccountForm, PartnerId, Password};
use umbrella::operator::OrganizationForm;
use umbrella::testing::TestDb;
use umbrella_server::web::{WebConfig, router};

pub const PASSWORD: &str = "a long enough password";
/// The address the test router thinks it serves at; its public origin is `http://` + this.
pub const LISTEN: &str = "127.0.0.1:3999";
pub const ORIGIN: &str = "http://127.0.0.1:3999";

pub struct TestApp {
    pub db: TestDb,
    pub router: Router,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: header::HeaderName) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The session cookie this reply sets, as `name=value`.
    pub fn session_cookie(&self) -> Option<String> {
        self.cookie("umbrella_session")
    }

    /// The cookie `name` this reply sets, as `name=value`.
    pub fn cookie(&self, name: &str) -> Option<String> {
        let prefix = format!("{name}=");
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&prefix))
            .and_then(|v| v.split(';').next())
            .map(str::to_owned)
    }
}

pub fn app_for(umbrella: Umbrella) -> Router {
    router(umbrella, &WebConfig::new(LISTEN.parse().unwrap()))
}

/// A form-encoded body.
pub fn form_body(form: &[(&str, &str)]) -> String {
    form.iter()
        .map(|(k, v)| format!("{k}={}", percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

impl TestApp {
    pub async fn new() -> Self {
        Self::on(TestDb::sqlite().await, |_| {})
    }

    /// The router over `db`, its configuration changed by `configure`.
    pub fn on(db: TestDb, configure: impl FnOnce(&mut WebConfig)) -> Self {
        let mut config = WebConfig::new(LISTEN.parse().unwrap());
        configure(&mut config);
        let router = router(db.umbrella().clone(), &config);
        Self { db, router }
    }

    /// Sends a request as if it arrived from `peer` over TCP.
    pub async fn send_from(&self, mut request: Request<Body>, peer: &str) -> Reply {
        let peer: std::net::SocketAddr = peer.parse().unwrap();
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(peer));
        self.send(request).await
    }

    pub fn umbrella(&self) -> &Umbrella {
        self.db.umbrella()
    }

    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// A page, as a browser asks for it.
    pub async fn page(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut request = Request::get(path).header(header::ACCEPT, "text/html");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::empty()).unwrap()).await
    }

    /// A server function, called as the hydrated page calls it (form-encoded POST).
    pub async fn call(&self, function: &str, form: &[(&str, &str)], cookie: Option<&str>) -> Reply {
        let body = form_body(form);
        // As a browser sends it from one of Umbrella's own pages.
        let mut request = Request::post(format!("/api/{function}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin");
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::from(body)).unwrap()).await
    }

    /// Signs in and returns the session cookie.
    pub async fn sign_in(&self, email: &str, password: &str) -> String {
        let reply = self
            .call("sign_in", &[("email", email), ("password", password)], None)
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        reply.session_cookie().expect("a session cookie")
    }

    pub async fn organization(&self, name: &str, email: &str) -> PartnerId {
        self.organization_with_quotas(name, email, 5, 3).await
    }

    pub async fn organization_with_quotas(
        &self,
        name: &str,
        email: &str,
        account_quota: i64,
        user_quota: i64,
    ) -> PartnerId {
        self.umbrella()
            .create_organization(
                &AuditContext::unrecorded(),
                &OrganizationForm {
                    name: name.to_owned(),
                    admin_name: "Pat Parent".to_owned(),
                    admin_email: email.to_owned(),
                    admin_phone: "+1 555 0100".to_owned(),
                    account_quota,
                    user_quota,
                },
                Password::parse_new(PASSWORD.to_owned()).unwrap(),
            )
            .await
            .unwrap()
    }

    /// Adds a child account through the organization's administrator.
    pub async fn child(&self, admin_email: &str, name: &str, owner_email: &str) -> PartnerId {
        let actor =
            umbrella::testing::actor_signed_in(self.umbrella(), admin_email, PASSWORD).await;
        let form = AccountForm {
            admin_name: "Chris Child".to_owned(),
            name: name.to_owned(),
            admin_email: owner_email.to_owned(),
            admin_phone: "555-0199".to_owned(),
            website_url: String::new(),
            reference_id: String::new(),
            template: None,
        };
        self.umbrella()
            .create_account(
                &AuditContext::unrecorded(),
                &actor.org_admin().unwrap(),
                &form,
            )
            .await
            .unwrap()
            .account
            .partner_id
    }
}
