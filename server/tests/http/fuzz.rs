//! Generated bad input to every server function (the ones the authorization matrix
//! enumerates), as every kind of caller: huge, empty and unicode strings, NUL
//! bytes, numbers out of range, missing, repeated and extra fields, malformed
//! bundles. Never a 5xx, never a panic, and a refused call changes nothing.
//!
//! `UMBRELLA_FUZZ_CASES` sets how many cases run (default 2,000, part of
//! `make test`); `UMBRELLA_FUZZ_SEED` replays a run.

use axum::body::Body;
use axum::http::{Request, header};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use crate::authorization::{
    Caller, EVERYONE, World, audit_actions_since, audit_entries, fingerprint, recorded_as,
    server_functions,
};

/// The actions a function's entries may be recorded under when its arguments are
/// spoiled: the matrix's one, or any of its family when the action is an argument.
fn codes_of(function: &str) -> Vec<&'static str> {
    match function {
        "change_account_status" => vec!["account.block", "account.unblock", "account.remove"],
        "change_user" => vec!["user.deactivate", "user.reactivate", "user.remove"],
        other => recorded_as(other).into_iter().collect(),
    }
}

/// A value a careless or hostile client might send instead of a good one.
fn bad_value(rng: &mut StdRng, good: &str) -> String {
    match rng.gen_range(0..14) {
        0 => String::new(),
        1 => " ".repeat(rng.gen_range(1..50)),
        2 => "x".repeat(rng.gen_range(1_000..300_000)),
        3 => format!("{good}\0{good}"),
        4 => "\u{202E}evil\u{200B}\u{FEFF}名前🙂e\u{301}".to_owned(),
        5 => [
            "-1",
            "0",
            "9223372036854775808",
            "-9223372036854775809",
            "1e309",
            "NaN",
            "0x10",
        ]
        .choose(rng)
        .map(|s| (*s).to_owned())
        .unwrap_or_default(),
        6 => "<script>alert(1)</script>' OR 1=1 --".to_owned(),
        7 => "%00%ff%fe".to_owned(),
        8 => format!("{good}{}", "é".repeat(rng.gen_range(50..5_000))),
        9 => "[".repeat(rng.gen_range(100..20_000)),
        10 => malformed_bundle(rng),
        11 => "\u{0}".repeat(rng.gen_range(1..100)),
        12 => good.chars().rev().collect(),
        _ => format!("{good},{good},-5,abc"),
    }
}

fn malformed_bundle(rng: &mut StdRng) -> String {
    let format = r#""format":"umbrella-content/1""#;
    match rng.gen_range(0..8) {
        0 => format!(
            "{{{format},\"categories\":[{{\"key\":\"a\",\"name\":\"A\",\"parent\":\"a\"}}]}}"
        ),
        1 => format!("{{{format},\"entries\":{}}}", "[".repeat(5_000)),
        2 => format!("{{{format},\"categories\":\"not a list\"}}"),
        3 => format!("{{{format},\"players\":[{{\"key\":1e999}}]}}"),
        4 => format!("{{{format}"),
        5 => {
            let chain: Vec<String> = (0..2_000)
                .map(|i| {
                    let parent = if i == 0 {
                        "null".to_owned()
                    } else {
                        format!("\"k{}\"", i - 1)
                    };
                    format!("{{\"key\":\"k{i}\",\"name\":\"N{i}\",\"parent\":{parent}}}")
                })
                .collect();
            format!("{{{format},\"categories\":[{}]}}", chain.join(","))
        }
        6 => format!(
            "{{{format},\"unknown\":{{\"deep\":{}}}}}",
            "{\"a\":".repeat(200)
        ),
        _ => "\u{FEFF}null".to_owned(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_server_function_survives_generated_bad_input() {
    let cases: usize = std::env::var("UMBRELLA_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    let seed: u64 = std::env::var("UMBRELLA_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| rand::thread_rng().r#gen());
    eprintln!("fuzzing {cases} cases with UMBRELLA_FUZZ_SEED={seed}");
    let mut rng = StdRng::seed_from_u64(seed);
    let world = World::new().await;
    let functions: Vec<String> = server_functions().into_iter().collect();
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    let started = std::time::Instant::now();
    for case in 0..cases {
        let function = functions.choose(&mut rng).unwrap().clone();
        let caller: Caller = *EVERYONE.choose(&mut rng).unwrap();
        let mut fields: Vec<(String, String)> = world
            .arguments(&function)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        // Spoil one to three things about the call.
        for _ in 0..rng.gen_range(1..=3) {
            match rng.gen_range(0..5) {
                0 if !fields.is_empty() => {
                    let i = rng.gen_range(0..fields.len());
                    fields.remove(i);
                }
                1 => fields.push((
                    format!("extra{}", rng.gen_range(0..9)),
                    "surprise".to_owned(),
                )),
                2 if !fields.is_empty() => {
                    let i = rng.gen_range(0..fields.len());
                    fields.push(fields[i].clone());
                }
                _ if !fields.is_empty() => {
                    let i = rng.gen_range(0..fields.len());
                    fields[i].1 = bad_value(&mut rng, &fields[i].1);
                }
                _ => fields.push(("value".to_owned(), bad_value(&mut rng, ""))),
            }
        }
        let body = if rng.gen_ratio(1, 20) {
            // Not even a form.
            bad_value(&mut rng, "{}")
        } else {
            fields
                .iter()
                .map(|(k, v)| {
                    format!(
                        "{}={}",
                        app::list_params::percent_encode(k),
                        app::list_params::percent_encode(v)
                    )
                })
                .collect::<Vec<_>>()
                .join("&")
        };
        let path = match caller {
            Caller::CmsLogin => format!("/cms/{}/api/{function}", world.child),
            _ => format!("/api/{function}"),
        };
        let mut request = Request::post(path)
            .header(
                header::CONTENT_TYPE,
                if rng.gen_ratio(1, 10) {
                    "application/json"
                } else {
                    "application/x-www-form-urlencoded"
                },
            )
            .header("sec-fetch-site", "same-origin");
        if let Some(cookie) = world.cookie(caller).await {
            request = request.header(header::COOKIE, cookie);
        }
        // A bulk job an earlier case started works on in the background: finished
        // first, or its batches would count as this call's changes.
        world.settle_bulk_jobs().await;
        let before = fingerprint(&world).await;
        let entries_before = audit_entries(&world).await;
        let reply = world
            .app
            .send(request.body(Body::from(body.clone())).unwrap())
            .await;
        *statuses.entry(reply.status.as_u16()).or_default() += 1;
        let shown: String = body.chars().take(300).collect();
        assert!(
            !reply.status.is_server_error(),
            "case {case} (seed {seed}): {function} by {caller:?} answered {}: {}\nbody: {shown}",
            reply.status,
            reply.body.chars().take(300).collect::<String>()
        );
        let written = audit_actions_since(&world, entries_before).await;
        let codes = codes_of(&function);
        assert!(
            written.iter().all(|code| codes.contains(&code.as_str())),
            "case {case} (seed {seed}): {function} by {caller:?} wrote {written:?}, \
             expected only {codes:?}\nbody: {shown}"
        );
        let after = fingerprint(&world).await;
        if !reply.status.is_success() {
            assert_eq!(
                after, before,
                "case {case} (seed {seed}): {function} by {caller:?} was refused ({}) \
                 but changed something\nbody: {shown}",
                reply.status
            );
        } else if after != before {
            assert!(
                audit_entries(&world).await > entries_before,
                "case {case} (seed {seed}): {function} by {caller:?} changed something \
                 without an audit entry\nbody: {shown}"
            );
        }
    }
    eprintln!(
        "{cases} cases in {:?}, answers by status: {statuses:?}",
        started.elapsed()
    );
    assert!(
        statuses.keys().any(|s| *s >= 400),
        "the generator spoils calls"
    );
}
