//! `GET /multi-account/export.csv`: the Multi Account tab's current filter, search
//! and order, every page, as CSV for a spreadsheet. Streamed a batch at a time, so
//! memory stays bounded whatever the organization's size; at most a few exports
//! run at once, since each reads the whole list; every cell a spreadsheet would
//! take for a formula is neutralised.

use std::borrow::Cow;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use umbrella::audit::AuditContext;
use umbrella::auth::OrgAdmin;
use umbrella::clock::Timestamp;
use umbrella::domain::{Account, AccountQuery, OrganizationId, QueryParams};
use umbrella::web::{CookiePolicy, authenticate, peer_address};
use umbrella::{Error, Umbrella};

use crate::security::refusal_page;
use crate::slots::{Slot, Slots};

pub const PATH: &str = "/multi-account/export.csv";

/// How many exports may run at once on this server: each reads the whole list, so
/// more would only slow every one (and the console) down.
const AT_ONCE: usize = 4;
/// How many of them one organization may hold unless `serve` says otherwise, so that
/// one organization's stalled downloads never shut the others out.
pub const DEFAULT_EXPORTS_PER_ORGANIZATION: u32 = 1;

/// Held for as long as an export streams: its organization's share and the server's.
struct Permits {
    _organization: Slot<OrganizationId>,
    _server: OwnedSemaphorePermit,
}

/// The columns of the tab's table, in its order.
const COLUMNS: [&str; 9] = [
    "Account Name",
    "Partner ID",
    "Status",
    "Administrator",
    "Admin Email",
    "Admin Phone",
    "Reference ID",
    "Website URL",
    "Creation Date (UTC)",
];

#[derive(Clone)]
pub struct CsvExport {
    umbrella: Umbrella,
    cookies: CookiePolicy,
    running: Arc<Semaphore>,
    per_organization: Arc<Slots<OrganizationId>>,
    organization_limit: usize,
}

impl CsvExport {
    pub fn new(umbrella: Umbrella, cookies: CookiePolicy, organization_limit: u32) -> Self {
        Self {
            umbrella,
            cookies,
            running: Arc::new(Semaphore::new(AT_ONCE)),
            per_organization: Arc::default(),
            organization_limit: organization_limit.max(1) as usize,
        }
    }

    pub async fn respond(self, request: Request<Body>) -> Response {
        let (request, _) = request.into_parts();
        let actor = match authenticate(&self.umbrella, &request, self.cookies).await {
            Ok(Some(actor)) => actor,
            Ok(None) => return see_other_to_sign_in(),
            Err(e) => return refused(&e),
        };
        let admin = match actor.org_admin() {
            Ok(admin) => admin,
            Err(e) => return refused(&e),
        };
        let filter = request.uri.query().unwrap_or_default().to_owned();
        let mut query = match parse_query(&filter) {
            Ok(query) => query,
            Err(e) => return refused(&e),
        };
        // Every page, from the first, whatever page the tab was on.
        query.after = None;
        let busy = |message: &str| {
            let mut response = refusal_page(
                StatusCode::TOO_MANY_REQUESTS,
                "Export busy",
                message,
                ("/multi-account", "Back to Multi Account"),
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
            response
        };
        let Some(organization) = self
            .per_organization
            .try_take(admin.organization_id(), self.organization_limit)
        else {
            return busy(
                "Your organization's other export is still running; try again when it has finished.",
            );
        };
        let Ok(server) = self.running.clone().try_acquire_owned() else {
            return busy("Other exports are running; try again in a minute.");
        };
        let permit = Permits {
            _organization: organization,
            _server: server,
        };
        let context = AuditContext::for_actor(&actor, peer_address(&request.extensions));
        let noted = self
            .umbrella
            .note_accounts_export(&context, &admin, &filter)
            .await;
        if let Err(e) = noted {
            return refused(&e);
        }
        let file = format!("accounts-{}.csv", &Timestamp::now().rfc3339()[..10]);
        let body = Body::from_stream(rows(self.umbrella, admin, query, permit));
        (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{file}\""),
                ),
            ],
            body,
        )
            .into_response()
    }
}

/// The tab's URL parameters, checked by the core as the list checks them.
fn parse_query(raw: &str) -> Result<AccountQuery, Error> {
    let mut params = QueryParams::default();
    for (name, value) in form_urlencoded::parse(raw.as_bytes()) {
        let slot = match name.as_ref() {
            "status" => &mut params.status,
            "mode" => &mut params.mode,
            "q" => &mut params.q,
            "sort" => &mut params.sort,
            _ => continue,
        };
        *slot = Some(value.into_owned()).filter(|v| !v.is_empty());
    }
    AccountQuery::parse(&params).map_err(Error::Invalid)
}

/// Where the export's state is between batches.
struct ExportProgress {
    umbrella: Umbrella,
    admin: OrgAdmin,
    query: AccountQuery,
    first: bool,
    done: bool,
    /// Held until the last batch has gone (or the client has gone).
    _permit: Permits,
}

/// The file: a byte-order mark (so that spreadsheets read UTF-8 as UTF-8), the
/// header, then a batch of rows per step until the list ends.
fn rows(
    umbrella: Umbrella,
    admin: OrgAdmin,
    query: AccountQuery,
    permit: Permits,
) -> impl futures_util::Stream<Item = Result<Bytes, Error>> {
    let start = ExportProgress {
        umbrella,
        admin,
        query,
        first: true,
        done: false,
        _permit: permit,
    };
    futures_util::stream::try_unfold(start, |mut cursor| async move {
        if cursor.done {
            return Ok(None);
        }
        let page = cursor
            .umbrella
            .export_accounts_batch(&cursor.admin, &cursor.query)
            .await
            .inspect_err(|e| tracing::error!(error = ?e, "CSV export stopped"))?;
        let mut buffer = Vec::with_capacity(page.accounts.len() * 160 + 200);
        if cursor.first {
            buffer.extend_from_slice("\u{feff}".as_bytes());
        }
        let mut out = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(buffer);
        let written = (|| {
            if cursor.first {
                out.write_record(COLUMNS)?;
            }
            for account in &page.accounts {
                out.write_record(cells(account).map(|cell| neutralised(&cell).into_owned()))?;
            }
            out.into_inner()
                .map_err(|e| csv::Error::from(e.into_error()))
        })();
        let out = written.map_err(|e| Error::Internal(format!("cannot write CSV: {e}")))?;
        cursor.first = false;
        match page.next {
            Some(next) => cursor.query.after = Some(next),
            None => cursor.done = true,
        }
        Ok(Some((Bytes::from(out), cursor)))
    })
}

fn cells(a: &Account) -> impl Iterator<Item = Cow<'_, str>> {
    let name = if a.is_parent() {
        Cow::Owned(format!("{} (Parent)", a.name.as_str()))
    } else {
        Cow::Borrowed(a.name.as_str())
    };
    [
        name,
        Cow::Owned(a.partner_id.get().to_string()),
        Cow::Borrowed(a.status.label()),
        Cow::Borrowed(a.admin_name.as_str()),
        Cow::Borrowed(a.admin_email.as_str()),
        Cow::Borrowed(a.admin_phone.as_str()),
        Cow::Borrowed(a.reference_id.as_ref().map_or("", |r| r.as_str())),
        Cow::Borrowed(a.website_url.as_ref().map_or("", |w| w.as_str())),
        Cow::Owned(a.created_at.display_seconds()),
    ]
    .into_iter()
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or
/// carriage return before one) gets a leading `'`, which spreadsheets show as text;
/// OWASP's advice for CSV injection.
fn neutralised(cell: &str) -> Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

fn see_other_to_sign_in() -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, "/login")]).into_response()
}

fn refused(error: &Error) -> Response {
    let status = umbrella::web::status_of(error);
    let message = match error {
        Error::Invalid(fields) => fields
            .iter()
            .map(|f| f.message.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        _ if status == StatusCode::INTERNAL_SERVER_ERROR => {
            tracing::error!(error = ?error, "CSV export failed");
            "Something went wrong on our side. Please try again.".to_owned()
        }
        other => other.to_string(),
    };
    refusal_page(
        status,
        "Export refused",
        &message,
        ("/multi-account", "Back to Multi Account"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text() {
        for cell in ["=1+2", "+1 555 0100", "-3", "@SUM(A1)", "\t=1", "\r=1"] {
            assert_eq!(neutralised(cell), format!("'{cell}"));
        }
        for cell in ["Faculty of Arts", "1 555", "a=b", ""] {
            assert_eq!(neutralised(cell), cell);
        }
    }
}
