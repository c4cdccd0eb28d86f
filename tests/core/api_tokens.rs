use umbrella::Umbrella;
use umbrella::audit::AuditContext;
use umbrella::auth::ApiToken;
use umbrella::domain::audit::AuditFilter;
use umbrella::domain::{AccountAction, ApiAccess, ApiTokenForm, PartnerId};
use umbrella::error::Error;

use crate::support::*;

fn form(name: &str, access: &str, days: &str) -> ApiTokenForm {
    ApiTokenForm {
        name: name.to_owned(),
        access: access.to_owned(),
        expires_days: days.to_owned(),
    }
}

/// A token is shown once, stored as a hash, listed without its secret, and works
/// as its organization until it is revoked.
async fn a_token_works_until_revoked(umbrella: &Umbrella) {
    let (_, actor, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let context = AuditContext::for_actor(&actor, "203.0.113.9");
    let created = umbrella
        .create_api_token(
            &context,
            &admin,
            "boss@uni.example",
            &form("Billing", "read_write", "30"),
        )
        .await
        .unwrap();
    assert_eq!(created.secret.as_str().len(), 64);
    let listed = umbrella.api_tokens(&admin).await.unwrap();
    assert_eq!(listed, std::slice::from_ref(&created.token));
    assert_eq!(listed[0].access, ApiAccess::ReadWrite);
    assert_eq!(listed[0].created_by, "boss@uni.example");
    assert!(listed[0].last_used_at.is_none());
    let expires = listed[0].expires_at.unwrap().millis() - listed[0].created_at.millis();
    assert_eq!(expires, 30 * 86_400_000);
    // Nothing stored is the secret itself.
    let stored: Vec<String> = sqlx::query_scalar("SELECT token_hash FROM api_tokens")
        .fetch_all(umbrella.db().pool())
        .await
        .unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0], created.secret.as_str());

    let caller = umbrella.api_caller(&created.secret).await.unwrap();
    assert_eq!(caller.organization_id(), admin.organization_id());
    assert_eq!(caller.writer().unwrap().parent_id(), admin.parent_id());
    assert!(caller.reader().user_id().is_none());
    let used = umbrella.api_tokens(&admin).await.unwrap();
    assert!(
        used[0].last_used_at.is_some(),
        "a call marks the token used"
    );

    // A change through the token is the console's rule and is logged as the token.
    let child = new_child(umbrella, &admin, "Arts", "arts@uni.example").await;
    let api = caller.audit_context("198.51.100.7");
    umbrella
        .change_account_status(&api, caller.writer().unwrap(), child, AccountAction::Block)
        .await
        .unwrap();

    umbrella
        .revoke_api_token(&context, &admin, created.token.id)
        .await
        .unwrap();
    assert!(matches!(
        umbrella.api_caller(&created.secret).await,
        Err(Error::Unauthenticated)
    ));
    assert!(umbrella.api_tokens(&admin).await.unwrap().is_empty());

    let log = umbrella
        .audit_log(&admin, &AuditFilter::default())
        .await
        .unwrap();
    let seen: Vec<(&str, &str, &str)> = log
        .entries
        .iter()
        .take(3)
        .map(|e| (e.action.as_str(), e.actor.as_str(), e.detail.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("api_token.revoke", "boss@uni.example", "token \"Billing\""),
            ("account.block", "API token \"Billing\"", ""),
            (
                "api_token.create",
                "boss@uni.example",
                "token \"Billing\" (Read and write)"
            ),
        ]
    );
}

/// Read-only tokens read; unknown, revoked and expired ones are refused alike.
async fn tokens_are_refused_beyond_their_rights(umbrella: &Umbrella) {
    let (_, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let reader = umbrella
        .create_api_token(
            &AuditContext::unrecorded(),
            &admin,
            "boss@uni.example",
            &form("Reports", "read_only", ""),
        )
        .await
        .unwrap();
    let caller = umbrella.api_caller(&reader.secret).await.unwrap();
    assert_eq!(caller.reader().organization_id(), admin.organization_id());
    assert!(matches!(caller.writer(), Err(Error::Forbidden(_))));
    assert!(reader.token.expires_at.is_none());

    let unknown = ApiToken::from_client(&"0".repeat(64));
    assert!(matches!(
        umbrella.api_caller(&unknown).await,
        Err(Error::Unauthenticated)
    ));

    let soon = umbrella
        .create_api_token(
            &AuditContext::unrecorded(),
            &admin,
            "boss@uni.example",
            &form("Soon", "read_write", "1"),
        )
        .await
        .unwrap();
    sqlx::query("UPDATE api_tokens SET created_at = 0, expires_at = 1 WHERE id = $1")
        .bind(soon.token.id.get())
        .execute(umbrella.db().pool())
        .await
        .unwrap();
    assert!(matches!(
        umbrella.api_caller(&soon.secret).await,
        Err(Error::Unauthenticated)
    ));
}

/// Names are unique among an organization's live tokens; forms say what is wrong;
/// one organization cannot revoke another's token.
async fn token_rules_hold(umbrella: &Umbrella) {
    let (_, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let (_, _, stranger) = org_with_admin(umbrella, "Other", "boss@other.example", 5).await;
    let first = umbrella
        .create_api_token(
            &AuditContext::unrecorded(),
            &admin,
            "boss@uni.example",
            &form("Sync", "read_only", ""),
        )
        .await
        .unwrap();
    let again = umbrella
        .create_api_token(
            &AuditContext::unrecorded(),
            &admin,
            "boss@uni.example",
            &form(" Sync ", "read_write", ""),
        )
        .await;
    assert!(matches!(again, Err(Error::Conflict(_))), "{again:?}");
    // Another organization may use the name.
    umbrella
        .create_api_token(
            &AuditContext::unrecorded(),
            &stranger,
            "boss@other.example",
            &form("Sync", "read_only", ""),
        )
        .await
        .unwrap();
    let err = umbrella
        .revoke_api_token(&AuditContext::unrecorded(), &stranger, first.token.id)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)));
    assert!(umbrella.api_caller(&first.secret).await.is_ok());
    // Revoked, the name is free again.
    umbrella
        .revoke_api_token(&AuditContext::unrecorded(), &admin, first.token.id)
        .await
        .unwrap();
    umbrella
        .create_api_token(
            &AuditContext::unrecorded(),
            &admin,
            "boss@uni.example",
            &form("Sync", "read_only", ""),
        )
        .await
        .unwrap();

    let Err(Error::Invalid(errors)) = umbrella
        .create_api_token(
            &AuditContext::unrecorded(),
            &admin,
            "boss@uni.example",
            &form("", "owner", "-3"),
        )
        .await
    else {
        panic!("a bad form must be refused");
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["name", "access", "expires_days"]);
}

/// The operator makes and revokes tokens by the organization's parent Partner ID
/// and the token's ID.
async fn the_operator_makes_and_revokes_tokens(umbrella: &Umbrella) {
    let (parent, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let child = new_child(umbrella, &admin, "Arts", "arts@uni.example").await;
    let created = umbrella
        .operator_create_api_token(
            &AuditContext::unrecorded(),
            parent,
            &form("Provisioning", "read_write", ""),
        )
        .await
        .unwrap();
    assert_eq!(created.token.created_by, "operator");
    assert_eq!(
        umbrella
            .api_caller(&created.secret)
            .await
            .unwrap()
            .organization_id(),
        admin.organization_id()
    );
    // Only a parent account names an organization.
    let err = umbrella
        .operator_create_api_token(
            &AuditContext::unrecorded(),
            child,
            &form("X", "read_only", ""),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)));
    let err = umbrella
        .operator_create_api_token(
            &AuditContext::unrecorded(),
            PartnerId::new(999_999),
            &form("X", "read_only", ""),
        )
        .await
        .unwrap_err();
    assert!(matches!(err, Error::NotFound(_)));
    umbrella
        .operator_revoke_api_token(&AuditContext::unrecorded(), created.token.id)
        .await
        .unwrap();
    assert!(umbrella.api_caller(&created.secret).await.is_err());
    let again = umbrella
        .operator_revoke_api_token(&AuditContext::unrecorded(), created.token.id)
        .await;
    assert!(matches!(again, Err(Error::NotFound(_))));
}

/// An organization holds at most its limit of live tokens, however they are made
/// (console, operator, or several at once); revoking one makes room again.
async fn an_organization_holds_a_bounded_number_of_tokens(umbrella: &Umbrella) {
    let umbrella = &umbrella.clone().with_api_token_limit(3);
    let (parent, _, admin) = org_with_admin(umbrella, "Uni", "boss@uni.example", 5).await;
    let (_, _, other) = org_with_admin(umbrella, "Other", "boss@other.example", 5).await;
    let racing: Vec<_> = (0..6)
        .map(|i| {
            let (umbrella, admin) = (umbrella.clone(), admin.clone());
            tokio::spawn(async move {
                umbrella
                    .create_api_token(
                        &AuditContext::unrecorded(),
                        &admin,
                        "boss@uni.example",
                        &form(&format!("Sync {i}"), "read_only", ""),
                    )
                    .await
            })
        })
        .collect();
    let mut results = Vec::new();
    for attempt in racing {
        results.push(attempt.await.unwrap());
    }
    let made: Vec<_> = results.iter().filter_map(|r| r.as_ref().ok()).collect();
    assert_eq!(made.len(), 3, "{results:?}");
    for refused in results.iter().filter_map(|r| r.as_ref().err()) {
        assert!(
            matches!(refused, Error::QuotaReached(m) if m.contains("3 live API tokens")),
            "{refused:?}"
        );
    }
    let by_operator = umbrella
        .operator_create_api_token(
            &AuditContext::unrecorded(),
            parent,
            &form("Ops", "read_only", ""),
        )
        .await;
    assert!(
        matches!(by_operator, Err(Error::QuotaReached(_))),
        "{by_operator:?}"
    );
    // Other organizations are not affected.
    umbrella
        .create_api_token(
            &AuditContext::unrecorded(),
            &other,
            "boss@other.example",
            &form("Sync", "read_only", ""),
        )
        .await
        .unwrap();
    umbrella
        .revoke_api_token(&AuditContext::unrecorded(), &admin, made[0].token.id)
        .await
        .unwrap();
    umbrella
        .operator_create_api_token(
            &AuditContext::unrecorded(),
            parent,
            &form("Ops", "read_only", ""),
        )
        .await
        .unwrap();
    assert_eq!(umbrella.api_tokens(&admin).await.unwrap().len(), 3);
}

umbrella::test_on_both_databases!(
    an_organization_holds_a_bounded_number_of_tokens,
    a_token_works_until_revoked,
    tokens_are_refused_beyond_their_rights,
    token_rules_hold,
    the_operator_makes_and_revokes_tokens,
);
