//! The body limits fit the longest text the domain takes — a report of four narratives of
//! 20,000 Chinese characters, through the API (even with every character escaped) and through
//! the page's form — and a body over a limit is 413 `too_large` naming the limit.

use ipoc::domain::users::Role;
use ipoc_tests::{backends, spawn_app_with};
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_longest_report_fits_every_body_limit_and_a_larger_body_is_413() {
    for backend in backends() {
        let app = spawn_app_with(&backend, &[("IPOC_NOW", "2026-02-15")]).await;
        let center = app.center(91, "national", "320505").await;
        let (cnipa, _) = app.login_as(Role::Cnipa).await;
        let cycle = json!({"start_date": "2023-06-01", "reason": "既有中心"});
        let r = app
            .post_json(
                &format!("/api/v1/centers/{}/cycles", center.id),
                Some(&cnipa),
                &cycle,
            )
            .await;
        assert_eq!(r.status(), 201);
        let report = app.url(&format!("/api/v1/centers/{}/reports/2025", center.id));
        let areas = ["operations", "key_tasks", "sme_service", "chain_support"];
        let narratives = |chars: usize| -> Value {
            areas
                .iter()
                .map(|a| (a.to_string(), json!("成".repeat(chars))))
                .collect()
        };

        // the API: four narratives of 20,000 characters, each written as a \u escape (~480 KB)
        let escaped = json!({"narratives": narratives(20_000)})
            .to_string()
            .replace('成', "\\u6210");
        assert!(escaped.len() > 480_000);
        let r = app
            .api
            .put(&report)
            .bearer_auth(&center.token)
            .header("content-type", "application/json")
            .body(escaped)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "the longest report fits the JSON limit");
        let saved: Value = r.json().await.unwrap();
        let version = saved["version"].as_i64().unwrap();
        let body = json!({"narratives": narratives(20_001), "version": version});
        let r = app
            .api
            .put(&report)
            .bearer_auth(&center.token)
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        let err: Value = r.json().await.unwrap();
        assert!(
            err["error"]["fields"]["narratives.operations"][0]
                .as_str()
                .unwrap()
                .contains("20,000"),
            "{err}"
        );
        let r = app
            .api
            .put(&report)
            .bearer_auth(&center.token)
            .header("content-type", "application/json")
            .body(vec![b' '; 2 << 20])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 413, "2 MiB of JSON");
        let err: Value = r.json().await.unwrap();
        assert_eq!(err["error"]["code"], "too_large");
        assert!(
            err["error"]["message"].as_str().unwrap().contains("1 MiB"),
            "the limit is named: {err}"
        );

        // the page: the same report through the form (~720 KB percent-encoded)
        let me: Value = app
            .get("/api/v1/me", Some(&center.token))
            .await
            .json()
            .await
            .unwrap();
        let (browser, csrf) = app.browser_login(me["email"].as_str().unwrap()).await;
        let longest = "成".repeat(20_000);
        let mut form = vec![
            ("csrf_token".to_string(), csrf.clone()),
            ("version".to_string(), version.to_string()),
        ];
        form.extend(
            areas
                .iter()
                .map(|a| (format!("narrative_{a}"), longest.clone())),
        );
        let save = app.url(&format!("/centers/{}/reports/2025/save", center.id));
        let r = browser.post(&save).form(&form).send().await.unwrap();
        assert_eq!(r.status(), 303, "the longest report fits the form limit");
        let stored: Value = app
            .get(
                &format!("/api/v1/centers/{}/reports/2025", center.id),
                Some(&center.token),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            stored["narratives"]["chain_support"]
                .as_str()
                .unwrap()
                .chars()
                .count(),
            20_000,
            "{}",
            &stored.to_string()[..200]
        );
        form.push(("note".into(), "x".repeat(2 << 20)));
        let r = browser.post(&save).form(&form).send().await.unwrap();
        assert_eq!(r.status(), 413, "a 2 MiB form");
        let html = r.text().await.unwrap();
        assert!(
            html.contains("1 MiB") && html.contains("<html"),
            "a page naming the limit: {}",
            &html[..html.len().min(400)]
        );
    }
}
