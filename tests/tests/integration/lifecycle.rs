//! Whole cycles through the API, walking the calendar with instances whose clocks are set to the
//! day each step happens (all on one database, as a deployment's instances over the years).

use ipoc::domain::users::Role;
use ipoc_tests::{backends, spawn_app_with, uscc};
use serde_json::{Value, json};

use crate::support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_center_through_three_qualified_years_is_renewed() {
    for backend in backends() {
        let app = spawn_app_with(&backend, &[("IPOC_NOW", "2026-02-15")]).await;
        let center = app.center(91, "national", "320505").await;
        let (cnipa, _) = app.login_as(Role::Cnipa).await;
        let base = format!("/api/v1/centers/{}", center.id);
        let post = reqwest::Method::POST;
        // accredited in 2022: cycle 1 covers 2023–2025
        assert_eq!(
            call(
                &app,
                &app.address,
                post.clone(),
                &format!("{base}/cycles"),
                &cnipa,
                Some(json!({"start_date": "2022-06-01", "reason": "2022 年认定"}))
            )
            .await
            .0,
            201
        );
        for n in 0..20u64 {
            let body = json!({"organization": {"uscc": uscc(9100 + n), "name": format!("成员{n}"), "kind": "university", "region_code": "320505"}, "joined_on": "2022-01-10"});
            assert_eq!(
                app.post_json(&format!("{base}/members"), Some(&center.token), &body)
                    .await
                    .status(),
                201
            );
        }
        let mut experts = Vec::new();
        for _ in 0..3 {
            experts.push(app.expert(None).await);
        }
        for year in 2023..=2025 {
            app.deal(&center, "license", "5200000.00", &format!("{year}-06-01"))
                .await;
            // in February after the year, before its report is due
            let then = app
                .another_instance_with(&[("IPOC_NOW", &format!("{}-02-10", year + 1))])
                .await;
            let path = format!("{base}/reports/{year}");
            assert_eq!(
                call(
                    &app,
                    &then,
                    reqwest::Method::PUT,
                    &path,
                    &center.token,
                    Some(report_body())
                )
                .await
                .0,
                201
            );
            let (status, report) = call(
                &app,
                &then,
                post.clone(),
                &format!("{path}/submit"),
                &center.token,
                None,
            )
            .await;
            assert_eq!(status, 200, "{report}");
            assert_eq!(
                report["revisions"][0]["figures"]["operation_amount"],
                "5200000.00"
            );
            assign_and_declare(&app, &then, &path, &cnipa, &experts).await;
            for (token, _, _) in &experts {
                let scores = json!({"items": {"operation_scale": 28, "projects": 15, "alliance": 14, "sme_service": 12, "chain_support": 17}, "comment": "运营规模稳定"});
                let (status, body) = call(
                    &app,
                    &then,
                    post.clone(),
                    &format!("{path}/scores"),
                    token,
                    Some(scores),
                )
                .await;
                assert_eq!(status, 200, "{body}");
            }
            let (_, report) = call(&app, &then, reqwest::Method::GET, &path, &cnipa, None).await;
            assert_eq!(report["proposed_result"], "qualified", "{year}: {report}");
            let decision = json!({"kind": "annual_result", "year": year, "result": "qualified"});
            assert_eq!(
                call(
                    &app,
                    &then,
                    post.clone(),
                    &format!("{base}/decisions"),
                    &cnipa,
                    Some(decision)
                )
                .await
                .0,
                201,
                "{year}"
            );
        }
        let (browser, _) = {
            app.create_user("evaluator@cnipa.cn", Role::Cnipa, None)
                .await;
            app.browser_login("evaluator@cnipa.cn").await
        };
        let home = browser
            .get(app.url("/home"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            home.contains("最后一年结果已记录，待周期考核"),
            "the cycle evaluation waits on cnipa"
        );
        // the cycle result renews: cycle 2 from 1 January 2026, covering 2026–2028
        let (status, _) = call(
            &app,
            &app.address,
            post.clone(),
            &format!("{base}/decisions"),
            &cnipa,
            Some(json!({"kind": "cycle_result", "result": "qualified", "reason": "三年均合格"})),
        )
        .await;
        assert_eq!(status, 201);
        let (_, calendar) = call(
            &app,
            &app.address,
            reqwest::Method::GET,
            &format!("{base}/reports"),
            &center.token,
            None,
        )
        .await;
        let rows: Vec<(i64, i64, &str)> = calendar
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["cycle"].as_i64().unwrap(),
                    r["year"].as_i64().unwrap(),
                    r["status"].as_str().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                (1, 2023, "decided"),
                (1, 2024, "decided"),
                (1, 2025, "decided"),
                (2, 2026, "not_due"),
                (2, 2027, "not_due"),
                (2, 2028, "not_due")
            ]
        );
        app.deal(&center, "license", "5200000.00", "2026-01-20")
            .await;
        let (_, dashboard) = call(
            &app,
            &app.address,
            reqwest::Method::GET,
            "/api/v1/dashboard",
            &cnipa,
            None,
        )
        .await;
        let row = &dashboard["items"][0];
        assert_eq!(
            (
                row["cycle"].as_i64(),
                row["cycle_year"].as_i64(),
                row["last_result"].as_str()
            ),
            (Some(2), Some(1), Some("qualified")),
            "{row}"
        );
        assert_eq!(row["light"], "green", "{row}");
        let (_, decisions) = call(
            &app,
            &app.address,
            reqwest::Method::GET,
            &format!("{base}/decisions"),
            &center.token,
            None,
        )
        .await;
        assert!(
            decisions
                .as_array()
                .unwrap()
                .iter()
                .all(|d| d["rulebook_version"] == 1)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_center_unqualified_twice_exits_after_notice() {
    for backend in backends() {
        let app = spawn_app_with(&backend, &[("IPOC_NOW", "2026-04-15")]).await;
        let center = app.center(92, "national", "320505").await;
        let (cnipa, _) = app.login_as(Role::Cnipa).await;
        let base = format!("/api/v1/centers/{}", center.id);
        let post = reqwest::Method::POST;
        // cycle 1 of a 2023 start covers 2024–2026; neither the 2024 nor the 2025 report was filed
        assert_eq!(
            call(
                &app,
                &app.address,
                post.clone(),
                &format!("{base}/cycles"),
                &cnipa,
                Some(json!({"start_date": "2023-06-01", "reason": "2023 年认定"}))
            )
            .await
            .0,
            201
        );
        let (_, calendar) = call(
            &app,
            &app.address,
            reqwest::Method::GET,
            &format!("{base}/reports"),
            &cnipa,
            None,
        )
        .await;
        for r in &calendar.as_array().unwrap()[..2] {
            assert_eq!(
                (r["status"].as_str(), r["proposed_result"].as_str()),
                (Some("overdue"), Some("unqualified")),
                "{r}"
            );
        }
        let (status, _) = call(
            &app,
            &app.address,
            post.clone(),
            &format!("{base}/reports/2025/submit"),
            &center.token,
            None,
        )
        .await;
        assert_eq!(status, 409, "an overdue report is not submitted");
        for year in [2024, 2025] {
            let decision = json!({"kind": "annual_result", "year": year, "result": "unqualified"});
            assert_eq!(
                call(
                    &app,
                    &app.address,
                    post.clone(),
                    &format!("{base}/decisions"),
                    &cnipa,
                    Some(decision)
                )
                .await
                .0,
                201
            );
        }
        let (_, detail) = call(
            &app,
            &app.address,
            reqwest::Method::GET,
            &base,
            &cnipa,
            None,
        )
        .await;
        assert_eq!(detail["proposals"][0]["kind"], "exit", "{detail}");
        let (_, dashboard) = call(
            &app,
            &app.address,
            reqwest::Method::GET,
            "/api/v1/dashboard?proposal=exit",
            &cnipa,
            None,
        )
        .await;
        assert_eq!(dashboard["total"], 1);
        assert_eq!(dashboard["items"][0]["light"], "red");
        // a later rulebook (a higher threshold, more experts) alters no recorded decision or proposal
        let admin = app.admin_token().await;
        let body = json!({"effective_from": "2026-05-01", "annual_amount_threshold": "8000000.00", "min_experts": 5, "report_due_month_day": "04-30"});
        let r = app.post_json("/api/v1/rulebook", Some(&admin), &body).await;
        assert_eq!(r.status(), 201);
        let v2: Value = r.json().await.unwrap();
        assert_eq!(
            (v2["min_experts"].as_i64(), v2["version"].as_i64()),
            (Some(5), Some(2))
        );
        let june = app
            .another_instance_with(&[("IPOC_NOW", "2026-06-01")])
            .await;
        let (_, recorded) = call(
            &app,
            &june,
            reqwest::Method::GET,
            &format!("{base}/decisions"),
            &cnipa,
            None,
        )
        .await;
        let kept: Vec<(i64, &str, i64)> = recorded
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["year"].as_i64().unwrap(),
                    d["result"].as_str().unwrap(),
                    d["rulebook_version"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(kept, [(2024, "unqualified", 1), (2025, "unqualified", 1)]);
        let (_, calendar) = call(
            &app,
            &june,
            reqwest::Method::GET,
            &format!("{base}/reports"),
            &cnipa,
            None,
        )
        .await;
        let rows: Vec<(&str, &str)> = calendar
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["due_date"].as_str().unwrap(),
                    r["proposed_result"].as_str().unwrap_or("-"),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("2025-03-31", "unqualified"),
                ("2026-03-31", "unqualified"),
                ("2027-04-30", "-")
            ],
            "past years keep their due dates and proposals; the year still running follows the new rulebook"
        );
        let (_, detail) = call(&app, &june, reqwest::Method::GET, &base, &cnipa, None).await;
        assert_eq!(
            (
                detail["proposals"][0]["kind"].as_str(),
                detail["proposals"][0]["since"].as_str()
            ),
            (Some("exit"), Some("2026-04-15")),
            "{detail}"
        );
        // cnipa decides; the notice runs five working days (Wed 15 April → Wed 22 April)
        let (status, decided) = call(
            &app,
            &app.address,
            post.clone(),
            &format!("{base}/decisions"),
            &cnipa,
            Some(json!({"kind": "exit", "reason": "连续两年不合格"})),
        )
        .await;
        assert_eq!(status, 201);
        assert_eq!(decided["notice_ends_on"], "2026-04-22");
        let after = app
            .another_instance_with(&[("IPOC_NOW", "2026-04-23")])
            .await;
        let (_, detail) = call(&app, &after, reqwest::Method::GET, &base, &cnipa, None).await;
        assert_eq!(detail["status"], "exited", "{detail}");
        let (_, public) = call(
            &app,
            &after,
            reqwest::Method::GET,
            "/api/v1/public/centers",
            &cnipa,
            None,
        )
        .await;
        assert!(
            !public.to_string().contains("中心92"),
            "off the public list"
        );
        let (status, _) = call(
            &app,
            &after,
            reqwest::Method::PUT,
            &format!("{base}/reports/2026"),
            &center.token,
            Some(report_body()),
        )
        .await;
        assert_eq!(status, 409, "its records are read-only");
        let (status, history) = call(
            &app,
            &after,
            reqwest::Method::GET,
            &format!("{base}/reports"),
            &center.token,
            None,
        )
        .await;
        assert_eq!(
            (status, history.as_array().unwrap().len()),
            (200, 3),
            "its history stays readable"
        );
        let (_, dashboard) = call(
            &app,
            &after,
            reqwest::Method::GET,
            "/api/v1/dashboard",
            &cnipa,
            None,
        )
        .await;
        assert_eq!(dashboard["items"][0]["light"], "grey");
        let (status, _) = call(
            &app,
            &after,
            post.clone(),
            &format!("{base}/cycles"),
            &cnipa,
            Some(json!({"start_date": "2026-04-23", "reason": "x"})),
        )
        .await;
        assert_eq!(status, 409, "an exited center gets no new cycle");
        let (status, _) = call(&app, &after, post.clone(), &format!("{base}/decisions"), &cnipa, Some(json!({"kind": "annual_result", "year": 2026, "result": "qualified", "reason": "x"}))).await;
        assert_eq!(status, 409, "nor any decision");
    }
}
