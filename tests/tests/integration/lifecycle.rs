//! Whole cycles through the API, walking the calendar with instances whose clocks are set to the
//! day each step happens (all on one database, as a deployment's instances over the years).

use ipoc::domain::users::Role;
use ipoc_tests::{TestApp, backends, spawn_app_with, uscc};
use serde_json::{Value, json};

/// `method path` on the instance at `address`.
async fn call(
    app: &TestApp,
    address: &str,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = app
        .api
        .request(method, format!("{address}{path}"))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let r = request.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn report_body() -> Value {
    json!({"narratives": {"operations": "年度许可 3 项", "key_tasks": "完成重点任务", "sme_service": "服务 12 家"}, "nothing_to_report": ["chain_support"]})
}

/// Assigns `experts` to the report at `path` (as `cnipa`) on the instance at `address`, and has
/// each declare no conflict of interest.
async fn assign_and_declare(
    app: &TestApp,
    address: &str,
    path: &str,
    cnipa: &str,
    experts: &[(String, i32, String)],
) {
    let ids: Vec<i32> = experts.iter().map(|e| e.1).collect();
    let assign = call(
        app,
        address,
        reqwest::Method::POST,
        &format!("{path}/assign"),
        cnipa,
        Some(json!({"expert_ids": ids})),
    )
    .await;
    assert_eq!(assign.0, 200, "{}", assign.1);
    for (token, _, _) in experts {
        let declared = call(
            app,
            address,
            reqwest::Method::POST,
            &format!("{path}/conflict"),
            token,
            Some(json!({"declared_conflict": false})),
        )
        .await;
        assert_eq!(declared.0, 200, "{}", declared.1);
    }
}

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_local_center_is_reviewed_by_its_office_and_exit_mails_reach_everyone() {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    for backend in backends() {
        let app = spawn_app_with(&backend, &[("IPOC_NOW", "2026-04-15")]).await;
        let local = app.center(93, "provincial", "320106").await;
        let elsewhere = app.center(94, "provincial", "440305").await;
        let (cnipa, _) = app.login_as(Role::Cnipa).await;
        let (office, office_email) = app.office("320000").await;
        let post = reqwest::Method::POST;
        for center in [&local, &elsewhere] {
            let path = format!("/api/v1/centers/{}/cycles", center.id);
            assert_eq!(
                call(
                    &app,
                    &app.address,
                    post.clone(),
                    &path,
                    &cnipa,
                    Some(json!({"start_date": "2023-06-01", "reason": "既有中心"}))
                )
                .await
                .0,
                201
            );
        }
        let decisions = format!("/api/v1/centers/{}/decisions", local.id);
        let result =
            |year: i32| json!({"kind": "annual_result", "year": year, "result": "unqualified"});
        assert_eq!(
            call(
                &app,
                &app.address,
                post.clone(),
                &decisions,
                &cnipa,
                Some(result(2024))
            )
            .await
            .0,
            403,
            "a local center's result is its office's"
        );
        for year in [2024, 2025] {
            assert_eq!(
                call(
                    &app,
                    &app.address,
                    post.clone(),
                    &decisions,
                    &office,
                    Some(result(year))
                )
                .await
                .0,
                201
            );
        }
        let (_, dashboard) = call(
            &app,
            &app.address,
            reqwest::Method::GET,
            "/api/v1/dashboard",
            &office,
            None,
        )
        .await;
        assert_eq!(
            dashboard["total"], 1,
            "the office sees its region only: {dashboard}"
        );
        assert_eq!(dashboard["items"][0]["proposals"][0]["kind"], "exit");
        // the office decides the exit; after the notice everyone concerned is mailed
        let (status, _) = call(
            &app,
            &app.address,
            post.clone(),
            &decisions,
            &office,
            Some(json!({"kind": "exit", "reason": "连续两年不合格"})),
        )
        .await;
        assert_eq!(status, 201);
        app.another_instance_with(&[("IPOC_NOW", "2026-04-23")])
            .await;
        for template in ["exit_decided", "exit_effective"] {
            let mails = entities::outbox::Entity::find()
                .filter(entities::outbox::Column::Template.eq(template))
                .all(&app.db)
                .await
                .unwrap();
            let to: Vec<&str> = mails.iter().map(|m| m.recipient.as_str()).collect();
            assert!(
                to.contains(&office_email.as_str()),
                "{template}: the office, in {to:?}"
            );
            assert!(
                to.len() >= 3,
                "{template}: the center's staff, cnipa and the office: {to:?}"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_extension_and_a_correction_period_reach_past_the_due_date() {
    for backend in backends() {
        let app = spawn_app_with(&backend, &[("IPOC_NOW", "2026-03-20")]).await;
        let (cnipa, _) = app.login_as(Role::Cnipa).await;
        let (extended, returned, late) = (
            app.center(95, "national", "320505").await,
            app.center(96, "national", "320505").await,
            app.center(97, "national", "320505").await,
        );
        let (put, post, get) = (
            reqwest::Method::PUT,
            reqwest::Method::POST,
            reqwest::Method::GET,
        );
        for center in [&extended, &returned, &late] {
            let path = format!("/api/v1/centers/{}/cycles", center.id);
            assert_eq!(
                call(
                    &app,
                    &app.address,
                    post.clone(),
                    &path,
                    &cnipa,
                    Some(json!({"start_date": "2024-06-01", "reason": "既有中心"}))
                )
                .await
                .0,
                201
            );
            let report = format!("/api/v1/centers/{}/reports/2025", center.id);
            assert_eq!(
                call(
                    &app,
                    &app.address,
                    put.clone(),
                    &report,
                    &center.token,
                    Some(report_body())
                )
                .await
                .0,
                201
            );
        }
        // before the due date (31 March): an extension to 30 April; one report submitted and returned for 30 days
        let decision = json!({"kind": "extension", "year": 2025, "new_due_date": "2026-04-30", "reason": "数据核对"});
        assert_eq!(
            call(
                &app,
                &app.address,
                post.clone(),
                &format!("/api/v1/centers/{}/decisions", extended.id),
                &cnipa,
                Some(decision)
            )
            .await
            .0,
            201
        );
        let returned_path = format!("/api/v1/centers/{}/reports/2025", returned.id);
        assert_eq!(
            call(
                &app,
                &app.address,
                post.clone(),
                &format!("{returned_path}/submit"),
                &returned.token,
                None
            )
            .await
            .0,
            200
        );
        let (status, body) = call(
            &app,
            &app.address,
            post.clone(),
            &format!("{returned_path}/return"),
            &cnipa,
            Some(json!({"reason": "请补充名单"})),
        )
        .await;
        assert_eq!(
            (status, body["correction_due"].as_str()),
            (200, Some("2026-04-19"))
        );
        // a rulebook from 1 April moves the due day to 31 May, for the years it governs only
        let admin = app.admin_token().await;
        let v2 = json!({"effective_from": "2026-04-01", "report_due_month_day": "05-31"});
        assert_eq!(
            app.post_json("/api/v1/rulebook", Some(&admin), &v2)
                .await
                .status(),
            201
        );
        // 10 April, after the due date
        let april = app
            .another_instance_with(&[("IPOC_NOW", "2026-04-10")])
            .await;
        let submit = |center: &ipoc_tests::CenterFixture| {
            format!("/api/v1/centers/{}/reports/2025/submit", center.id)
        };
        let (status, body) = call(
            &app,
            &april,
            post.clone(),
            &submit(&extended),
            &extended.token,
            None,
        )
        .await;
        assert_eq!(status, 200, "the extension holds: {body}");
        assert_eq!(body["due_date"], "2026-04-30");
        let (_, body) = call(
            &app,
            &april,
            get.clone(),
            &returned_path,
            &returned.token,
            None,
        )
        .await;
        let version = body["version"].as_i64().unwrap();
        let mut corrected = report_body();
        corrected["version"] = json!(version);
        assert_eq!(
            call(
                &app,
                &april,
                put.clone(),
                &returned_path,
                &returned.token,
                Some(corrected)
            )
            .await
            .0,
            200
        );
        let (status, body) = call(
            &app,
            &april,
            post.clone(),
            &submit(&returned),
            &returned.token,
            None,
        )
        .await;
        assert_eq!(
            (status, body["revision"].as_i64()),
            (200, Some(2)),
            "within the correction period, whatever the due date: {body}"
        );
        let (status, body) = call(
            &app,
            &april,
            post.clone(),
            &submit(&late),
            &late.token,
            None,
        )
        .await;
        assert_eq!(status, 409, "no extension, no return: overdue: {body}");
        let (_, body) = call(
            &app,
            &april,
            get.clone(),
            &format!("/api/v1/centers/{}/reports/2025", late.id),
            &cnipa,
            None,
        )
        .await;
        assert_eq!(
            (body["status"].as_str(), body["proposed_result"].as_str()),
            (Some("overdue"), Some("unqualified"))
        );
        let (_, dashboard) = call(
            &app,
            &april,
            get.clone(),
            "/api/v1/dashboard?q=%E4%B8%AD%E5%BF%8397",
            &cnipa,
            None,
        )
        .await;
        let row = &dashboard["items"][0];
        assert_eq!(
            (
                row["report_year"].as_i64(),
                row["report_due"].as_str(),
                row["report_status"].as_str()
            ),
            (Some(2025), Some("2026-03-31"), Some("overdue")),
            "the dashboard reads 2025 under 2025's rulebook, as the calendar does: {row}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_are_scored_against_the_annual_rubric_of_the_rulebook() {
    for backend in backends() {
        let app = spawn_app_with(&backend, &[("IPOC_NOW", "2026-02-15")]).await;
        let admin = app.admin_token().await;
        // from 2026 the annual reports have a rubric of their own, and two experts suffice
        let rubric = json!({"operation_scale": 50, "sme_service": 50});
        let r = app
            .post_json(
                "/api/v1/rulebook",
                Some(&admin),
                &json!({"effective_from": "2026-02-16", "annual_rubric": rubric, "min_experts": 2}),
            )
            .await;
        assert_eq!(r.status(), 201);
        let later = app
            .another_instance_with(&[("IPOC_NOW", "2026-03-01")])
            .await;
        let center = app.center(98, "national", "320505").await;
        let (cnipa, _) = app.login_as(Role::Cnipa).await;
        let base = format!("/api/v1/centers/{}", center.id);
        let post = reqwest::Method::POST;
        assert_eq!(
            call(
                &app,
                &later,
                post.clone(),
                &format!("{base}/cycles"),
                &cnipa,
                Some(json!({"start_date": "2024-06-01", "reason": "既有中心"}))
            )
            .await
            .0,
            201
        );
        assert_eq!(
            call(
                &app,
                &later,
                reqwest::Method::PUT,
                &format!("{base}/reports/2025"),
                &center.token,
                Some(report_body())
            )
            .await
            .0,
            201
        );
        assert_eq!(
            call(
                &app,
                &later,
                post.clone(),
                &format!("{base}/reports/2025/submit"),
                &center.token,
                None
            )
            .await
            .0,
            200
        );
        let experts = [app.expert(None).await, app.expert(None).await];
        assign_and_declare(
            &app,
            &later,
            &format!("{base}/reports/2025"),
            &cnipa,
            &experts,
        )
        .await;
        for (token, _, _) in &experts {
            let old_rubric = json!({"items": {"operation_scale": 28, "projects": 15, "alliance": 14, "sme_service": 12, "chain_support": 17}, "comment": "按认定评分项"});
            let (status, body) = call(
                &app,
                &later,
                post.clone(),
                &format!("{base}/reports/2025/scores"),
                token,
                Some(old_rubric),
            )
            .await;
            assert_eq!(
                status, 422,
                "the accreditation rubric's items are not the annual rubric's: {body}"
            );
            let annual = json!({"items": {"operation_scale": 45, "sme_service": 40}, "comment": "按年度评分项"});
            assert_eq!(
                call(
                    &app,
                    &later,
                    post.clone(),
                    &format!("{base}/reports/2025/scores"),
                    token,
                    Some(annual)
                )
                .await
                .0,
                200
            );
        }
        // two experts have scored: under this rulebook the result can be recorded
        let decision = json!({"kind": "annual_result", "year": 2025, "result": "unqualified"});
        let (status, body) = call(
            &app,
            &later,
            post.clone(),
            &format!("{base}/decisions"),
            &cnipa,
            Some(decision),
        )
        .await;
        assert_eq!(
            (status, body["rulebook_version"].as_i64()),
            (201, Some(2)),
            "{body}"
        );
    }
}
