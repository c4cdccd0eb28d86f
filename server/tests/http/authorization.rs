//! The authorization matrix: every server function and every page or route, tried
//! by every kind of caller, through the real router. Exactly the callers a row
//! allows may pass (2xx, or the row's own success); everyone else must be refused
//! with 401, 403 or 404 — never a 500, never a 422 that would hide a missing check.
//!
//! The test fails when a server function exists without a row here, so a new one
//! cannot ship without someone deciding who may call it.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU32, Ordering};
use umbrella::audit::AuditContext;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use umbrella::auth::{Actor, OrgAdmin};
use umbrella::content::AccountUser;
use umbrella::domain::content::{CategoryForm, EntryForm, PlaylistForm};
use umbrella::domain::{AccountForm, PartnerId, UserId};
use umbrella::testing::{owner_of, session_for, set_role};
use umbrella::users::UserForm;

use crate::support::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Caller {
    Anonymous,
    /// The owner of one of the organization's child accounts.
    ChildUser,
    /// A user of the parent account who is not a Publisher Administrator.
    ParentUser,
    /// A Publisher Administrator of another organization.
    OtherOrgAdmin,
    /// A CMS Login session into the child account (calls go to /cms/<child>/…).
    CmsLogin,
    /// A Publisher Administrator of the organization.
    OrgAdmin,
}

use Caller::*;

pub(crate) const EVERYONE: &[Caller] = &[
    Anonymous,
    ChildUser,
    ParentUser,
    OtherOrgAdmin,
    CmsLogin,
    OrgAdmin,
];
const SIGNED_IN: &[Caller] = &[ChildUser, ParentUser, OtherOrgAdmin, CmsLogin, OrgAdmin];
/// The child account's own people: its owner, and an administrator stepped in.
const CHILD_ACCOUNT: &[Caller] = &[ChildUser, CmsLogin];
/// The organization's administrators: for changes to the organization's own
/// accounts and users.
const ADMIN: &[Caller] = &[OrgAdmin];
/// Any organization's administrators: for the tabs, which show each their own
/// organization.
const ANY_ORG_ADMIN: &[Caller] = &[OtherOrgAdmin, OrgAdmin];

/// The organization, its child account and the people who call.
pub(crate) struct World {
    pub(crate) app: TestApp,
    admin: OrgAdmin,
    admin_user: UserId,
    pub(crate) child: PartnerId,
    child_owner: Actor,
    parent_user: UserId,
    other_admin: UserId,
    /// The other organization's parent account (empty: its export is a valid bundle).
    other_parent: PartnerId,
    counter: AtomicU32,
}

impl World {
    pub(crate) async fn new() -> Self {
        let app = TestApp::new().await;
        let umbrella = app.umbrella().clone();
        let mut parents = Vec::new();
        for (name, email) in [("Uni", "boss@uni.example"), ("Else", "else@else.example")] {
            parents.push(app.organization_with_quotas(name, email, 1000, 1000).await);
        }
        let sign_in = |email: &'static str| {
            let umbrella = umbrella.clone();
            async move { umbrella::testing::actor_signed_in(&umbrella, email, PASSWORD).await }
        };
        let admin_actor = sign_in("boss@uni.example").await;
        let admin = admin_actor.org_admin().unwrap();
        let other_admin = sign_in("else@else.example").await.user_id;
        let child = app
            .child("boss@uni.example", "Physics", "phys@uni.example")
            .await;
        let token = session_for(&umbrella, owner_of(&umbrella, child).await).await;
        let child_owner = umbrella.authenticate(&token, None).await.unwrap();
        let parent_user = umbrella
            .add_user(
                &AuditContext::unrecorded(),
                &admin,
                &UserForm {
                    email: "editor@uni.example".into(),
                    first_name: "Ed".into(),
                    last_name: "Itor".into(),
                    publisher_user_id: String::new(),
                    role: "Publisher Administrator".into(),
                },
            )
            .await
            .unwrap()
            .user
            .id;
        // A parent-account role other than Publisher Administrator.
        set_role(&umbrella, parent_user, "Content Moderator").await;
        World {
            app,
            admin_user: admin.user_id().unwrap(),
            admin,
            child,
            child_owner,
            parent_user,
            other_admin,
            other_parent: parents[1],
            counter: AtomicU32::new(0),
        }
    }

    fn fresh(&self) -> u32 {
        self.counter.fetch_add(1, Ordering::Relaxed)
    }

    fn owner(&self) -> AccountUser {
        self.child_owner.account_user()
    }

    /// A new session for the caller, as its cookie (`None` for anonymous).
    pub(crate) async fn cookie(&self, caller: Caller) -> Option<String> {
        let umbrella = self.app.umbrella();
        let user = match caller {
            Anonymous => return None,
            CmsLogin => {
                let session = umbrella::testing::start_cms_login(umbrella, &self.admin, self.child)
                    .await
                    .unwrap();
                return Some(format!("umbrella_cms={}", session.token.as_str()));
            }
            ChildUser => self.child_owner.user_id,
            ParentUser => self.parent_user,
            OtherOrgAdmin => self.other_admin,
            OrgAdmin => self.admin_user,
        };
        Some(format!(
            "umbrella_session={}",
            session_for(umbrella, user).await.as_str()
        ))
    }

    async fn child_entry(&self) -> String {
        let form = EntryForm {
            name: format!("Entry {}", self.fresh()),
            description: String::new(),
            media_type: "video".into(),
            tags: String::new(),
            reference_id: String::new(),
            categories: Vec::new(),
        };
        let id = self
            .app
            .umbrella()
            .save_entry(&AuditContext::unrecorded(), &self.owner(), None, &form)
            .await
            .unwrap();
        id.to_string()
    }

    async fn child_category(&self) -> String {
        let form = CategoryForm {
            name: format!("Category {}", self.fresh()),
            parent: None,
        };
        let id = self
            .app
            .umbrella()
            .save_category(&AuditContext::unrecorded(), &self.owner(), None, &form)
            .await
            .unwrap();
        id.to_string()
    }

    async fn child_playlist(&self) -> String {
        let form = PlaylistForm {
            name: format!("Playlist {}", self.fresh()),
            description: String::new(),
            entries: Vec::new(),
        };
        let id = self
            .app
            .umbrella()
            .save_playlist(&AuditContext::unrecorded(), &self.owner(), None, &form)
            .await
            .unwrap();
        id.to_string()
    }

    /// A new account of the organization, made by its administrator.
    async fn create_child(&self) -> umbrella::accounts::CreatedAccount {
        let n = self.fresh();
        let form = AccountForm {
            admin_name: "Chris Child".into(),
            name: format!("Target {n}"),
            admin_email: format!("target{n}@uni.example"),
            admin_phone: "555-0199".into(),
            website_url: String::new(),
            reference_id: String::new(),
            template: None,
        };
        self.app
            .umbrella()
            .create_account(&AuditContext::unrecorded(), &self.admin, &form)
            .await
            .unwrap()
    }

    async fn new_child_account(&self) -> String {
        self.create_child().await.account.partner_id.to_string()
    }

    /// Finishes the organization's bulk job if one is at work, so that the next
    /// may start, and so that nothing changes the data behind a caller's back.
    pub(crate) async fn settle_bulk_jobs(&self) {
        let core = self.app.umbrella();
        if let Some(job) = core.current_bulk_job(&self.admin).await.unwrap() {
            core.run_bulk_job(job.id).await.unwrap();
        }
    }

    /// A finished bulk job of the organization, its panel not yet dismissed.
    async fn finished_bulk_job(&self) -> String {
        self.settle_bulk_jobs().await;
        let target = self.create_child().await.account.partner_id;
        let core = self.app.umbrella();
        let job = core
            .start_bulk_action(
                &AuditContext::unrecorded(),
                &self.admin,
                umbrella::domain::AccountAction::Block,
                umbrella::bulk::BulkSelection::Listed(vec![target]),
            )
            .await
            .unwrap();
        core.run_bulk_job(job.id).await.unwrap();
        job.id.to_string()
    }

    async fn new_parent_user(&self) -> String {
        let n = self.fresh();
        let form = UserForm {
            email: format!("user{n}@uni.example"),
            first_name: "Una".into(),
            last_name: "User".into(),
            publisher_user_id: String::new(),
            role: "Publisher Administrator".into(),
        };
        let created = self
            .app
            .umbrella()
            .add_user(&AuditContext::unrecorded(), &self.admin, &form)
            .await
            .unwrap();
        created.user.id.to_string()
    }

    /// A new API token of the organization; its ID.
    async fn new_api_token(&self) -> String {
        let n = self.fresh();
        let form = umbrella::domain::ApiTokenForm {
            name: format!("Token {n}"),
            access: "read_only".into(),
            expires_days: String::new(),
        };
        let umbrella = self.app.umbrella();
        let nobody = AuditContext::unrecorded();
        let create = || umbrella.create_api_token(&nobody, &self.admin, "boss@uni.example", &form);
        let created = match create().await {
            Ok(created) => created,
            // The fuzzer makes more tokens than an organization may hold: make room.
            Err(umbrella::Error::QuotaReached(_)) => {
                let oldest = umbrella
                    .api_tokens(&self.admin)
                    .await
                    .unwrap()
                    .pop()
                    .unwrap();
                umbrella
                    .revoke_api_token(&AuditContext::unrecorded(), &self.admin, oldest.id)
                    .await
                    .unwrap();
                create().await.unwrap()
            }
            Err(other) => panic!("{other:?}"),
        };
        created.token.id.to_string()
    }

    /// The owner's one-time activation link of a new account.
    async fn activation_token(&self) -> String {
        self.create_child().await.activation.as_str().to_owned()
    }

    async fn empty_bundle(&self) -> String {
        self.app
            .umbrella()
            .export_account_content(self.other_parent)
            .await
            .unwrap()
            .to_json()
    }

    /// The form fields of a call to `function`, with fresh targets where it changes
    /// something. `None` for a function without a row: the matrix is incomplete.
    pub(crate) async fn arguments(&self, function: &str) -> Option<Vec<(&'static str, String)>> {
        let s = |v: &str| v.to_owned();
        let n = self.fresh();
        Some(match function {
            "sign_in" => vec![("email", s("boss@uni.example")), ("password", s(PASSWORD))],
            "sign_out" | "current_user" | "end_cms_session" => vec![],
            "activate" => {
                let password = s("a brand new password");
                vec![
                    ("token", self.activation_token().await),
                    ("password", password.clone()),
                    ("confirm", password),
                ]
            }
            "list_accounts" | "template_choices" | "list_users" | "list_api_tokens" => vec![],
            "create_api_token" => vec![
                ("name", format!("Made {n}")),
                ("access", s("read_write")),
                ("expires_days", s("")),
            ],
            "revoke_api_token" => vec![("id", self.new_api_token().await)],
            "list_audit" => ["partner_id", "action", "from", "to", "before"]
                .into_iter()
                .map(|k| (k, String::new()))
                .collect(),
            "bulk_selection_size" | "current_bulk_job" => vec![],
            "request_upgrade" => vec![
                ("kind", s("accounts")),
                ("how_many", s("5")),
                ("message", s("")),
            ],
            "start_bulk_action" => {
                self.settle_bulk_jobs().await;
                vec![
                    ("action", s("block")),
                    ("partner_ids", self.new_child_account().await),
                ]
            }
            "dismiss_bulk_job" => vec![("id", self.finished_bulk_job().await)],
            "resend_activation" => vec![("partner_id", self.new_child_account().await)],
            "change_account_status" => {
                vec![
                    ("partner_id", self.new_child_account().await),
                    ("action", s("block")),
                ]
            }
            "create_account" => vec![
                ("admin_name", s("Nia New")),
                ("name", format!("Created {n}")),
                ("admin_email", format!("created{n}@uni.example")),
                ("admin_phone", s("555-0101")),
                ("website_url", s("")),
                ("reference_id", s("")),
            ],
            "add_user" => vec![
                ("email", format!("added{n}@uni.example")),
                ("first_name", s("Ada")),
                ("last_name", s("Added")),
                ("publisher_user_id", s("")),
                ("role", s("Publisher Administrator")),
            ],
            "change_user" => vec![
                ("id", self.new_parent_user().await),
                ("action", s("deactivate")),
            ],
            "set_user_role" => vec![
                ("id", self.new_parent_user().await),
                ("role", s("Publisher Administrator")),
            ],
            "console_overview" | "console_categories" | "console_entries" | "console_playlists"
            | "console_users" | "export_content" => vec![],
            "console_items" => vec![("kind", s("players"))],
            "save_entry" => vec![
                ("id", self.child_entry().await),
                ("name", format!("Renamed {n}")),
                ("description", s("")),
                ("media_type", s("video")),
                ("tags", s("")),
                ("reference_id", s("")),
                ("categories", s("")),
            ],
            "delete_entry" => vec![("id", self.child_entry().await)],
            "save_category" => vec![
                ("id", self.child_category().await),
                ("name", format!("Renamed {n}")),
                ("parent", s("")),
            ],
            "delete_category" => vec![("id", self.child_category().await)],
            "save_playlist" => vec![
                ("id", self.child_playlist().await),
                ("name", format!("Renamed {n}")),
                ("description", s("")),
                ("entries", s("")),
            ],
            "delete_playlist" => vec![("id", self.child_playlist().await)],
            "import_content" => vec![("bundle", self.empty_bundle().await)],
            _ => return None,
        })
    }
}

/// Who may call each server function. Reading one's own account's content is
/// everyone's who is signed in; changing the child's items is the child's people's;
/// the Multi Account, Users and Audit tabs are the organization's administrators'.
fn allowed(function: &str) -> Option<&'static [Caller]> {
    Some(match function {
        "sign_in" | "sign_out" | "current_user" | "activate" => EVERYONE,
        "end_cms_session" => &[CmsLogin],
        "list_accounts"
        | "template_choices"
        | "create_account"
        | "list_users"
        | "add_user"
        | "list_audit"
        | "list_api_tokens"
        | "create_api_token"
        | "bulk_selection_size"
        | "current_bulk_job"
        | "request_upgrade" => ANY_ORG_ADMIN,
        "start_bulk_action" | "dismiss_bulk_job" | "resend_activation" => ADMIN,
        "change_account_status" | "change_user" | "set_user_role" | "revoke_api_token" => ADMIN,
        "console_overview" | "console_categories" | "console_entries" | "console_playlists"
        | "console_items" | "console_users" | "export_content" | "import_content" => SIGNED_IN,
        "save_entry" | "delete_entry" | "save_category" | "delete_category" | "save_playlist"
        | "delete_playlist" => CHILD_ACCOUNT,
        _ => return None,
    })
}

pub(crate) fn server_functions() -> BTreeSet<String> {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| {
            path.strip_prefix("/api/")
                .unwrap_or_else(|| panic!("a server function outside /api: {path}"))
                .to_owned()
        })
        .collect()
}

/// What people see of the organization, summed up: a refused call must leave it
/// as it was, and a call that changes it must write an audit entry.
pub(crate) async fn fingerprint(world: &World) -> Vec<i64> {
    let pool = world.app.umbrella().db().pool();
    let mut values = Vec::new();
    for sql in [
        "SELECT COUNT(*) FROM accounts",
        "SELECT COALESCE(SUM(LENGTH(name) + LENGTH(status)), 0) FROM accounts",
        "SELECT COUNT(*) FROM users",
        "SELECT COALESCE(SUM(LENGTH(role) + LENGTH(status) \
         + LENGTH(COALESCE(password_hash, ''))), 0) FROM users",
        "SELECT COUNT(*) FROM categories",
        "SELECT COALESCE(SUM(LENGTH(name) + COALESCE(parent_id, 0)), 0) FROM categories",
        "SELECT COUNT(*) FROM entries",
        "SELECT COALESCE(SUM(LENGTH(name) + LENGTH(description)), 0) FROM entries",
        "SELECT COUNT(*) FROM playlists",
        "SELECT COUNT(*) FROM playlist_entries",
        "SELECT COUNT(*) FROM entry_categories",
        "SELECT COUNT(*) FROM api_tokens WHERE revoked_at IS NULL",
        "SELECT COALESCE(SUM(accounts_in_use + active_accounts * 3 + blocked_accounts * 5 \
         + removed_accounts * 7), 0) FROM organizations",
    ] {
        values.push(sqlx::query_scalar(sql).fetch_one(pool).await.unwrap());
    }
    values
}

/// The action codes of the entries written since `count` entries were there, but
/// those of a bulk job's accounts (its worker runs on in the background).
pub(crate) async fn audit_actions_since(world: &World, count: i64) -> Vec<String> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT action, detail FROM audit_log ORDER BY id LIMIT 100000 OFFSET $1")
            .bind(count)
            .fetch_all(world.app.umbrella().db().pool())
            .await
            .unwrap();
    rows.into_iter()
        .filter(|(_, detail)| !detail.starts_with("Bulk job "))
        .map(|(action, _)| action)
        .collect()
}

/// The action every entry a server function writes is recorded under, whoever
/// calls it and however it ends; `None` for a function that writes none. The
/// services choose it: this is what catches a service that records the wrong one.
pub(crate) fn recorded_as(function: &str) -> Option<&'static str> {
    Some(match function {
        "create_account" => "account.create",
        "change_account_status" => "account.block",
        "start_bulk_action" => "accounts.bulk",
        "request_upgrade" => "upgrade.request",
        "resend_activation" => "user.activation_resend",
        "add_user" => "user.add",
        "change_user" => "user.deactivate",
        "set_user_role" => "user.role",
        "create_api_token" => "api_token.create",
        "revoke_api_token" => "api_token.revoke",
        // Signing out ends the CMS Login sessions it started, each recorded.
        "end_cms_session" | "sign_out" => "cms_login.end",
        "activate" => "user.activate",
        "save_entry" | "save_category" | "save_playlist" => "content.save",
        "delete_entry" | "delete_category" | "delete_playlist" => "content.delete",
        "import_content" => "content.import",
        _ => return None,
    })
}

/// How many entries the audit log holds.
pub(crate) async fn audit_entries(world: &World) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(world.app.umbrella().db().pool())
        .await
        .unwrap()
}

fn is_refusal(status: StatusCode) -> bool {
    matches!(
        status,
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND
    )
}

#[tokio::test]
async fn every_server_function_admits_exactly_its_callers() {
    let world = World::new().await;
    let functions = server_functions();
    assert!(
        functions.len() >= 25,
        "only {} server functions registered",
        functions.len()
    );
    let mut problems = Vec::new();
    for function in &functions {
        let Some(allowed) = allowed(function) else {
            problems.push(format!("{function}: no row in the authorization matrix"));
            continue;
        };
        for &caller in EVERYONE {
            let Some(arguments) = world.arguments(function).await else {
                problems.push(format!(
                    "{function}: no arguments in the authorization matrix"
                ));
                break;
            };
            let body = arguments
                .iter()
                .map(|(k, v)| format!("{k}={}", app::list_params::percent_encode(v)))
                .collect::<Vec<_>>()
                .join("&");
            let path = match caller {
                CmsLogin => format!("/cms/{}/api/{function}", world.child),
                _ => format!("/api/{function}"),
            };
            let mut request = Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "same-origin");
            if let Some(cookie) = world.cookie(caller).await {
                request = request.header(header::COOKIE, cookie);
            }
            let (before, entries_before) = (fingerprint(&world).await, audit_entries(&world).await);
            let reply = world
                .app
                .send(request.body(Body::from(body)).unwrap())
                .await;
            let should_pass = allowed.contains(&caller);
            let passed = reply.status.is_success();
            let written = audit_actions_since(&world, entries_before).await;
            let expected = recorded_as(function);
            if written.iter().any(|code| Some(code.as_str()) != expected) {
                problems.push(format!(
                    "{function} by {caller:?}: wrote {written:?}, expected only {expected:?}"
                ));
            }
            // Signing out writes only when it ends a CMS Login session.
            if passed && expected.is_some() && written.is_empty() && function != "sign_out" {
                problems.push(format!(
                    "{function} by {caller:?}: passed without its {expected:?} entry"
                ));
            }
            // Forgetting the audit cannot go unnoticed: whatever changes what people
            // see writes an entry.
            if passed
                && fingerprint(&world).await != before
                && audit_entries(&world).await == entries_before
            {
                problems.push(format!(
                    "{function} by {caller:?}: changed something without an audit entry"
                ));
            }
            if should_pass != passed || (!passed && !is_refusal(reply.status)) {
                problems.push(format!(
                    "{function} by {caller:?}: {} (expected {}): {}",
                    reply.status,
                    if should_pass {
                        "to pass"
                    } else {
                        "401, 403 or 404"
                    },
                    reply.body.chars().take(200).collect::<String>()
                ));
            }
        }
    }
    // Rows for functions that no longer exist are stale: they must go too.
    for function in ROWS {
        if !functions.contains(*function) {
            problems.push(format!(
                "{function}: a row for a server function that does not exist"
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

/// The functions the matrix has rows for (checked against the registered ones).
const ROWS: &[&str] = &[
    "sign_in",
    "sign_out",
    "current_user",
    "activate",
    "end_cms_session",
    "list_accounts",
    "template_choices",
    "change_account_status",
    "bulk_selection_size",
    "start_bulk_action",
    "current_bulk_job",
    "dismiss_bulk_job",
    "request_upgrade",
    "resend_activation",
    "create_account",
    "list_users",
    "add_user",
    "change_user",
    "set_user_role",
    "list_audit",
    "list_api_tokens",
    "create_api_token",
    "revoke_api_token",
    "console_overview",
    "console_categories",
    "console_entries",
    "console_playlists",
    "console_items",
    "console_users",
    "export_content",
    "import_content",
    "save_entry",
    "delete_entry",
    "save_category",
    "delete_category",
    "save_playlist",
    "delete_playlist",
];

#[tokio::test]
async fn every_page_and_route_admits_exactly_its_callers() {
    let world = World::new().await;
    let child = world.child;
    let cms_console = format!("/cms/{child}/console");
    let cms_entries = format!("/cms/{child}/console/entries");
    let cms_login = format!("/cms/{child}/login");
    // (method, path, who passes). A page passes with 200; the CMS Login POST with a
    // 303 into the account's console.
    let routes: Vec<(Method, &str, &[Caller])> = vec![
        (Method::GET, "/multi-account", ANY_ORG_ADMIN),
        (Method::GET, "/users", ANY_ORG_ADMIN),
        (Method::GET, "/audit", ANY_ORG_ADMIN),
        (Method::GET, "/api-tokens", ANY_ORG_ADMIN),
        // The console at large: every ordinary session; a CMS Login cookie counts
        // only under its prefix.
        (
            Method::GET,
            "/console",
            &[ChildUser, ParentUser, OtherOrgAdmin, OrgAdmin],
        ),
        (
            Method::GET,
            "/console/entries",
            &[ChildUser, ParentUser, OtherOrgAdmin, OrgAdmin],
        ),
        (Method::GET, &cms_console, &[CmsLogin]),
        (Method::GET, &cms_entries, &[CmsLogin]),
        (Method::POST, &cms_login, ADMIN),
    ];
    let mut problems = Vec::new();
    for (method, path, allowed) in &routes {
        for &caller in EVERYONE {
            let mut request = Request::builder()
                .method(method.clone())
                .uri(*path)
                .header(header::ACCEPT, "text/html")
                .header("sec-fetch-site", "same-origin");
            if let Some(cookie) = world.cookie(caller).await {
                request = request.header(header::COOKIE, cookie);
            }
            let reply = world.app.send(request.body(Body::empty()).unwrap()).await;
            let passed = if *method == Method::POST {
                reply.status == StatusCode::SEE_OTHER
                    && reply
                        .header(header::LOCATION)
                        .is_some_and(|l| l.starts_with("/cms/"))
            } else {
                reply.status == StatusCode::OK
            };
            if passed != allowed.contains(&caller) {
                problems.push(format!(
                    "{method} {path} by {caller:?}: {} {:?}",
                    reply.status,
                    reply.header(header::LOCATION)
                ));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}
