//! Bulk actions through the router: the server functions the Multi Account tab's
//! bar and panel call.

use axum::http::StatusCode;
use umbrella::domain::bulk::BulkJobView;

use crate::support::*;

/// Asks for the organization's job until it is finished (the worker runs on its own).
async fn finished_job(app: &TestApp, cookie: &str) -> BulkJobView {
    for _ in 0..200 {
        let reply = app.call("current_bulk_job", &[], Some(cookie)).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let job: Option<BulkJobView> = serde_json::from_str(&reply.body).unwrap();
        let job = job.expect("a job to show");
        if job.finished {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the bulk job did not finish in 5 s");
}

#[tokio::test]
async fn a_page_of_accounts_is_blocked_by_one_job_with_a_result_each() {
    let app = TestApp::new().await;
    app.organization("Uni", "boss@uni.example").await;
    let mut ids = Vec::new();
    for i in 0..3 {
        ids.push(
            app.child(
                "boss@uni.example",
                &format!("Faculty {i}"),
                &format!("f{i}@uni.example"),
            )
            .await
            .get(),
        );
    }
    let cookie = app.sign_in("boss@uni.example", PASSWORD).await;
    let listed = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let reply = app
        .call(
            "start_bulk_action",
            &[("action", "block"), ("partner_ids", &listed)],
            Some(&cookie),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let started: BulkJobView = serde_json::from_str(&reply.body).unwrap();
    assert_eq!((started.total, started.finished), (3, false));

    let job = finished_job(&app, &cookie).await;
    assert_eq!((job.done, job.skipped, job.results.len()), (3, 0, 3));
    let reply = app
        .call("list_accounts", &[("status", "blocked")], Some(&cookie))
        .await;
    for id in &ids {
        assert!(
            reply.body.contains(&format!("\"partner_id\":{id}")),
            "{}",
            reply.body
        );
    }

    // Dismissed, the panel has nothing to show.
    let id = job.id.to_string();
    let reply = app
        .call("dismiss_bulk_job", &[("id", &id)], Some(&cookie))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let reply = app.call("current_bulk_job", &[], Some(&cookie)).await;
    assert_eq!(reply.body, "null");
}

#[tokio::test]
async fn all_matching_counts_and_takes_the_filter() {
    let app = TestApp::new().await;
    app.organization("Uni", "boss@uni.example").await;
    for i in 0..4 {
        app.child(
            "boss@uni.example",
            &format!("Lab {i}"),
            &format!("lab{i}@uni.example"),
        )
        .await;
    }
    app.child("boss@uni.example", "Library", "lib@uni.example")
        .await;
    let cookie = app.sign_in("boss@uni.example", PASSWORD).await;
    let filter = [("status", "active"), ("mode", "name"), ("q", "lab ")];
    let reply = app
        .call("bulk_selection_size", &filter, Some(&cookie))
        .await;
    assert_eq!((reply.status, reply.body.as_str()), (StatusCode::OK, "4"));

    let mut form = filter.to_vec();
    form.extend([("action", "remove"), ("all_matching", "true")]);
    let reply = app.call("start_bulk_action", &form, Some(&cookie)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let job = finished_job(&app, &cookie).await;
    assert_eq!((job.total, job.done), (4, 4));
    let reply = app
        .call("list_accounts", &[("status", "active")], Some(&cookie))
        .await;
    assert!(reply.body.contains("Library"));
    assert!(!reply.body.contains("Lab 0"), "{}", reply.body);
}

#[tokio::test]
async fn bad_selections_get_precise_errors() {
    let app = TestApp::new().await;
    app.organization("Uni", "boss@uni.example").await;
    app.organization("College", "boss@college.example").await;
    let theirs = app
        .child("boss@college.example", "Bio", "bio@college.example")
        .await
        .get()
        .to_string();
    let cookie = app.sign_in("boss@uni.example", PASSWORD).await;
    let too_many = (1..=201)
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(",");
    for (form, status, says) in [
        (
            vec![("action", "block")],
            StatusCode::UNPROCESSABLE_ENTITY,
            "Select at least one",
        ),
        (
            vec![("action", "explode"), ("partner_ids", "1")],
            StatusCode::UNPROCESSABLE_ENTITY,
            "Unknown action",
        ),
        (
            vec![("action", "block"), ("partner_ids", "1,x")],
            StatusCode::UNPROCESSABLE_ENTITY,
            "whole number",
        ),
        (
            vec![("action", "block"), ("partner_ids", too_many.as_str())],
            StatusCode::UNPROCESSABLE_ENTITY,
            "at most 200",
        ),
        (
            vec![("action", "block"), ("partner_ids", theirs.as_str())],
            StatusCode::NOT_FOUND,
            "was found",
        ),
    ] {
        let reply = app.call("start_bulk_action", &form, Some(&cookie)).await;
        assert_eq!(reply.status, status, "{form:?}: {}", reply.body);
        assert!(reply.body.contains(says), "{form:?}: {}", reply.body);
    }
    let reply = app.call("current_bulk_job", &[], Some(&cookie)).await;
    assert_eq!(reply.body, "null", "nothing was started");
}
