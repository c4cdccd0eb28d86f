//! The API's OpenAPI 3.1 document, generated from the handlers and their types,
//! and a reference page rendered from it by the binary itself (no CDN, no script).

use std::sync::LazyLock;

use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use serde_json::Value;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{accounts, audit, content, organization, problem, templates, users};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Umbrella API",
        version = "1",
        description = "Provision and manage an organization's accounts from your own systems. \
            Every call carries `Authorization: Bearer <token>`; tokens are made by the \
            organization's Publisher Administrators on the API tab (or by the operator) and \
            are read only or read and write. Errors are RFC 9457 problem details. Each token \
            may make 20 requests a second, in bursts of 40, by default; beyond it the answer \
            is 429 with `Retry-After`."
    ),
    paths(
        organization::get,
        accounts::list,
        accounts::get_one,
        accounts::create,
        accounts::change_status,
        content::export,
        content::import,
        templates::list,
        users::list,
        users::create,
        users::change,
        users::set_role,
        audit::list,
    ),
    components(schemas(problem::Problem, problem::FieldProblem)),
    modifiers(&BearerToken),
    tags(
        (name = "organization", description = "The token's organization"),
        (name = "accounts", description = "The Multi Account tab: list, search, create, block, unblock, remove"),
        (name = "content", description = "An account's whole content as a bundle: export and import"),
        (name = "templates", description = "What accounts can be created from"),
        (name = "users", description = "The Users tab: the parent account's console users"),
        (name = "audit", description = "The Audit tab: every change in the organization"),
    )
)]
pub struct ApiDoc;

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("An API token from the API tab"))
                    .build(),
            ),
        );
    }
}

static DOCUMENT: LazyLock<String> =
    LazyLock::new(|| ApiDoc::openapi().to_pretty_json().unwrap_or_default());

/// `GET /api/v1/openapi.json`
pub async fn openapi_json() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        DOCUMENT.as_str(),
    )
        .into_response()
}

static PAGE: LazyLock<String> = LazyLock::new(|| {
    let document: Value = serde_json::from_str(&DOCUMENT).unwrap_or(Value::Null);
    reference_page(&document)
});

/// `GET /api/v1/docs`: every operation with its parameters, body and answers.
pub async fn reference() -> Html<&'static str> {
    Html(PAGE.as_str())
}

fn reference_page(document: &Value) -> String {
    let text = |v: &Value| escape(v.as_str().unwrap_or_default());
    let mut html = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Umbrella API reference</title></head><body><main class=\"api-reference\">",
    );
    html.push_str(&format!(
        "<h1>{} {}</h1><p>{}</p><p><a href=\"/api/v1/openapi.json\">The OpenAPI 3.1 document</a></p>",
        text(&document["info"]["title"]),
        text(&document["info"]["version"]),
        text(&document["info"]["description"]),
    ));
    if let Some(paths) = document["paths"].as_object() {
        for (path, item) in paths {
            let Some(operations) = item.as_object() else {
                continue;
            };
            for (method, op) in operations {
                html.push_str(&format!(
                    "<section><h2><code>{} {}</code> {}</h2>",
                    method.to_uppercase(),
                    escape(path),
                    text(&op["summary"])
                ));
                if op["description"].is_string() {
                    html.push_str(&format!("<p>{}</p>", text(&op["description"])));
                }
                if let Some(params) = op["parameters"].as_array().filter(|p| !p.is_empty()) {
                    html.push_str(
                        "<table><caption>Parameters</caption><thead><tr><th scope=\"col\">Name</th>\
                         <th scope=\"col\">In</th><th scope=\"col\">Required</th>\
                         <th scope=\"col\">Description</th></tr></thead><tbody>",
                    );
                    for p in params {
                        html.push_str(&format!(
                            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                            text(&p["name"]),
                            text(&p["in"]),
                            if p["required"].as_bool() == Some(true) {
                                "yes"
                            } else {
                                "no"
                            },
                            text(&p["description"])
                        ));
                    }
                    html.push_str("</tbody></table>");
                }
                if let Some(schema) =
                    op["requestBody"]["content"]["application/json"]["schema"]["$ref"].as_str()
                {
                    html.push_str(&format!(
                        "<p>Body: <code>{}</code> (JSON)</p>",
                        escape(schema.rsplit('/').next().unwrap_or(schema))
                    ));
                }
                if let Some(responses) = op["responses"].as_object() {
                    html.push_str("<dl>");
                    for (code, response) in responses {
                        html.push_str(&format!(
                            "<dt>{}</dt><dd>{}</dd>",
                            escape(code),
                            text(&response["description"])
                        ));
                    }
                    html.push_str("</dl>");
                }
                html.push_str("</section>");
            }
        }
    }
    if let Some(schemas) = document["components"]["schemas"].as_object() {
        html.push_str("<h2>Types</h2>");
        for (name, schema) in schemas {
            let pretty = serde_json::to_string_pretty(schema).unwrap_or_default();
            html.push_str(&format!(
                "<section><h3 id=\"{0}\">{0}</h3><pre>{1}</pre></section>",
                escape(name),
                escape(&pretty)
            ));
        }
    }
    html.push_str("</main></body></html>");
    html
}

fn escape(text: &str) -> String {
    html_escape::encode_double_quoted_attribute(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A client that copies the document's example bundle gets an import, not a 422.
    #[test]
    fn the_example_bundle_is_one_the_import_takes() {
        let document: Value = serde_json::from_str(&DOCUMENT).unwrap();
        let example = &document["paths"]["/api/v1/accounts/{partner_id}/content"]["put"]["requestBody"]
            ["content"]["application/json"]["example"];
        assert!(example.is_object(), "{example}");
        umbrella::domain::content::Bundle::from_json(&example.to_string()).unwrap();
    }

    #[test]
    fn the_document_is_openapi_3_1_with_every_operation() {
        let document: Value = serde_json::from_str(&DOCUMENT).unwrap();
        assert_eq!(document["openapi"], "3.1.0");
        let operations: Vec<String> = document["paths"]
            .as_object()
            .unwrap()
            .iter()
            .flat_map(|(path, item)| {
                item.as_object()
                    .unwrap()
                    .keys()
                    .map(move |method| format!("{method} {path}"))
            })
            .collect();
        assert_eq!(
            operations,
            [
                "get /api/v1/accounts",
                "post /api/v1/accounts",
                "get /api/v1/accounts/{partner_id}",
                "get /api/v1/accounts/{partner_id}/content",
                "put /api/v1/accounts/{partner_id}/content",
                "post /api/v1/accounts/{partner_id}/{action}",
                "get /api/v1/audit",
                "get /api/v1/organization",
                "get /api/v1/templates",
                "get /api/v1/users",
                "post /api/v1/users",
                "put /api/v1/users/{user_id}/role",
                "post /api/v1/users/{user_id}/{action}",
            ]
        );
        assert_eq!(
            document["components"]["securitySchemes"]["token"]["scheme"],
            "bearer"
        );
        let page = reference_page(&document);
        assert!(page.contains("<code>POST /api/v1/accounts</code> Create an account"));
    }
}
