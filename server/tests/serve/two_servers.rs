//! Two `umbrella serve` processes on one PostgreSQL database, as behind a load
//! balancer: the quota holds across both, a session made on one works on the other,
//! blocking on one ends sessions on the other, and the sign-in throttle counts both.

use std::net::SocketAddr;

use umbrella::domain::PartnerId;
use umbrella::testing::TestDb;

use crate::{PASSWORD, Server, organization_with_quota, post_form, session_cookie, sign_in};

async fn signed_in(address: SocketAddr, email: &str) -> String {
    let (status, answer) = sign_in(address, email, PASSWORD).await;
    assert_eq!(status, 200, "{answer}");
    session_cookie(&answer).expect("a session cookie")
}

fn account_form(n: usize) -> String {
    format!(
        "admin_name=Chris+Child&name=Account+{n}&admin_email=owner{n}%40uni.example\
         &admin_phone=555-0199&website_url=&reference_id="
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_share_quota_sessions_blocks_and_the_throttle() {
    let Some(db) = TestDb::postgres().await else {
        return;
    };
    let core = db.umbrella();
    let parent = organization_with_quota(&db, 10).await;
    let lifted = ["--attempts-per-minute", "100000"];
    let servers = [Server::start(&db, &lifted), Server::start(&db, &lifted)];
    let (a, b) = (servers[0].address, servers[1].address);

    // A session made on A is valid on B.
    let cookie = signed_in(a, "boss@uni.example").await;
    let (status, answer) = post_form(b, "/api/current_user", "", Some(&cookie)).await;
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains("boss@uni.example"), "{answer}");

    // 100 Add Account requests split between them, 10 free places: exactly 10.
    let calls: Vec<_> = (0..100)
        .map(|n| {
            let (address, cookie) = (if n % 2 == 0 { a } else { b }, cookie.clone());
            tokio::spawn(async move {
                post_form(
                    address,
                    "/api/create_account",
                    &account_form(n),
                    Some(&cookie),
                )
                .await
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for call in calls {
        let (status, answer) = call.await.unwrap();
        assert!(matches!(status, 200 | 409), "{answer}");
        statuses.push(status);
    }
    let created = statuses.iter().filter(|s| **s == 200).count();
    assert_eq!(created, 10, "{statuses:?}");
    let (rows, in_use): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM accounts WHERE parent_id = $1), \
         (SELECT accounts_in_use FROM organizations JOIN accounts \
          ON accounts.organization_id = organizations.id WHERE accounts.partner_id = $1)",
    )
    .bind(parent.get())
    .fetch_one(core.db().pool())
    .await
    .unwrap();
    assert_eq!((rows, in_use), (10, 10));
    eprintln!("100 concurrent Add Account on two servers, 10 places: {created} created");

    // Blocking on A ends the owner's session on B.
    let (account, owner_email): (i64, String) = sqlx::query_as(
        "SELECT accounts.partner_id, users.email FROM accounts JOIN users \
         ON users.account_id = accounts.partner_id AND users.is_owner \
         WHERE accounts.parent_id = $1 ORDER BY accounts.partner_id LIMIT 1",
    )
    .bind(parent.get())
    .fetch_one(core.db().pool())
    .await
    .unwrap();
    let account = PartnerId::new(account);
    umbrella::testing::set_owner_password(core, account, PASSWORD).await;
    let owner = signed_in(b, &owner_email).await;
    let (status, answer) = post_form(b, "/api/current_user", "", Some(&owner)).await;
    assert_eq!(status, 200);
    assert!(answer.contains(&owner_email), "{answer}");
    let (status, answer) = post_form(
        a,
        "/api/change_account_status",
        &format!("partner_id={account}&action=block"),
        Some(&cookie),
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let (_, answer) = post_form(b, "/api/current_user", "", Some(&owner)).await;
    assert!(
        !answer.contains(&owner_email),
        "the owner's session on B ended: {answer}"
    );

    // Five wrong passwords across both servers, then even the right one is refused.
    for n in 0..5 {
        let server = if n % 2 == 0 { a } else { b };
        assert_eq!(
            sign_in(server, "boss@uni.example", "wrong guess").await.0,
            401
        );
    }
    let (status, answer) = sign_in(b, "boss@uni.example", PASSWORD).await;
    assert_eq!(status, 429, "{answer}");
    let (status, _) = sign_in(a, "boss@uni.example", PASSWORD).await;
    assert_eq!(status, 429);
}
