use ipoc::domain::users::Role;
use ipoc_tests::{backends, spawn_app_with};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cycle_pages_take_a_report_from_draft_to_decision() {
    for backend in backends() {
        let app = spawn_app_with(&backend, &[("IPOC_NOW", "2026-02-15")]).await;
        let host = app.organization(81, "enterprise", &["leading"]).await;
        app.create_user("staff@pages.cn", Role::Center, None).await;
        let token = app.login("staff@pages.cn", ipoc_tests::PASSWORD).await;
        let body = json!({"name": "页面中心", "level": "national", "industry": "新材料", "region_code": "320505", "host_uscc": host});
        let created: serde_json::Value = app
            .post_json("/api/v1/centers", Some(&token), &body)
            .await
            .json()
            .await
            .unwrap();
        let id = created["id"].as_i64().unwrap();
        let (cnipa_token, _) = app.login_as(Role::Cnipa).await;
        app.post_json(
            &format!("/api/v1/centers/{id}/cycles"),
            Some(&cnipa_token),
            &json!({"start_date": "2023-06-01", "reason": "既有中心"}),
        )
        .await;
        let fixture = ipoc_tests::CenterFixture {
            token: token.clone(),
            id,
            host_uscc: String::new(),
        };
        app.deal(&fixture, "license", "4321.00", "2025-05-05").await;
        let (staff, csrf) = app.browser_login("staff@pages.cn").await;
        let page = |browser: &reqwest::Client, path: String| {
            let (browser, url) = (browser.clone(), app.url(&path));
            async move { browser.get(url).send().await.unwrap() }
        };

        let html = page(&staff, format!("/centers/{id}/reports"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("2024")
                && html.contains("逾期")
                && html.contains(&format!("/centers/{id}/reports/2025")),
            "the calendar"
        );

        // an incomplete submission comes back with the field's error and the text kept
        let post = |browser: &reqwest::Client, path: String, form: Vec<(&'static str, String)>| {
            let (browser, url) = (browser.clone(), app.url(&path));
            async move { browser.post(url).form(&form).send().await.unwrap() }
        };
        let r = post(
            &staff,
            format!("/centers/{id}/reports/2025/submit"),
            vec![
                ("csrf_token", csrf.clone()),
                ("narrative_operations", "全年许可 1 项".into()),
            ],
        )
        .await;
        assert_eq!(r.status(), 422);
        let html = r.text().await.unwrap();
        assert!(
            html.contains("全年许可 1 项") && html.contains("field-error"),
            "{html}"
        );
        let full = |version: &str, sme: &str| {
            vec![
                ("csrf_token", csrf.clone()),
                ("version", version.to_string()),
                ("narrative_operations", "全年许可 1 项".to_string()),
                ("narrative_key_tasks", "完成重点任务".to_string()),
                ("narrative_sme_service", sme.to_string()),
                ("nothing_to_report", "chain_support".to_string()),
            ]
        };
        let r = post(
            &staff,
            format!("/centers/{id}/reports/2025/submit"),
            full("1", "服务 3 家"),
        )
        .await;
        assert_eq!(r.status(), 303, "saved and submitted");
        let html = page(&staff, format!("/centers/{id}/reports/2025"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("4,321.00")
                && html.contains(&format!(
                    "/centers/{id}/records?year&#x3D;2025&amp;figure&#x3D;operation_amount"
                )),
            "frozen figures link to their records"
        );
        let html = page(
            &staff,
            format!("/centers/{id}/records?year=2025&figure=operation_amount"),
        )
        .await
        .text()
        .await
        .unwrap();
        assert!(
            html.contains("4,321.00") && html.contains("2025-05-05"),
            "the records and their sum"
        );
        // a deal recorded after submission: the frozen figure stays, the page flags the new sum
        app.deal(&fixture, "transfer", "1000.00", "2025-08-08")
            .await;
        let html = page(&staff, format!("/centers/{id}/reports/2025"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("4,321.00") && html.contains("提交后明细有变动，现合计 5,321.00"),
            "{html}"
        );

        // cnipa returns it; the staff correct and submit again; the change shows
        app.create_user("reviewer@pages.cn", Role::Cnipa, None)
            .await;
        let (cnipa, cnipa_csrf) = app.browser_login("reviewer@pages.cn").await;
        let r = post(
            &cnipa,
            format!("/centers/{id}/reports/2025/return"),
            vec![("csrf_token", cnipa_csrf.clone()), ("reason", "".into())],
        )
        .await;
        assert_eq!(r.status(), 422, "a return needs a reason");
        let r = post(
            &cnipa,
            format!("/centers/{id}/reports/2025/return"),
            vec![
                ("csrf_token", cnipa_csrf.clone()),
                ("reason", "请补充名单".into()),
                ("correction_days", "10".into()),
            ],
        )
        .await;
        assert_eq!(r.status(), 303);
        let report: serde_json::Value = app
            .get(&format!("/api/v1/centers/{id}/reports/2025"), Some(&token))
            .await
            .json()
            .await
            .unwrap();
        let version = report["version"].to_string();
        let r = post(
            &staff,
            format!("/centers/{id}/reports/2025/submit"),
            full(&version, "服务 3 家（名单附后）"),
        )
        .await;
        assert_eq!(r.status(), 303);
        let html = page(&cnipa, format!("/centers/{id}/reports/2025"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("<ins>（名单附后）</ins>"),
            "what changed between revisions"
        );

        let html = page(&cnipa, "/home".to_string())
            .await
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("年度报告已提交，待评审和记录结果"),
            "the submitted report waits on cnipa"
        );
        // the decider's form: a submitted report waits for its experts' scores; another result
        // than proposed needs a reason
        let decide = |year: &str, result: &str, reason: &str| {
            vec![
                ("csrf_token", cnipa_csrf.clone()),
                ("kind", "annual_result".to_string()),
                ("year", year.to_string()),
                ("result", result.to_string()),
                ("reason", reason.to_string()),
            ]
        };
        let r = post(
            &cnipa,
            format!("/centers/{id}/reviews/decide"),
            decide("2025", "unqualified", "交易额未达门槛"),
        )
        .await;
        assert_eq!(
            r.status(),
            409,
            "no expert has scored the submitted 2025 report"
        );
        let r = post(
            &cnipa,
            format!("/centers/{id}/reviews/decide"),
            decide("2024", "qualified", ""),
        )
        .await;
        assert_eq!(
            r.status(),
            422,
            "the overdue 2024 report is proposed unqualified"
        );
        assert!(r.text().await.unwrap().contains("field-error"));
        let r = post(
            &cnipa,
            format!("/centers/{id}/reviews/decide"),
            decide("2024", "unqualified", "逾期未报告"),
        )
        .await;
        assert_eq!(r.status(), 303);
        let html = page(&cnipa, format!("/centers/{id}/reports"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("年度考核结果") && html.contains("逾期未报告"),
            "the decision is listed"
        );

        // the staff ask to withdraw from the page; cnipa sees it among the proposals
        let r = post(
            &staff,
            format!("/centers/{id}/reviews/withdraw"),
            vec![("csrf_token", csrf.clone()), ("reason", " ".into())],
        )
        .await;
        assert_eq!(r.status(), 422);
        let r = post(
            &staff,
            format!("/centers/{id}/reviews/withdraw"),
            vec![("csrf_token", csrf.clone()), ("reason", "业务调整".into())],
        )
        .await;
        assert_eq!(r.status(), 303);
        let html = page(&cnipa, format!("/centers/{id}/reports"))
            .await
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("申请退出") && html.contains("业务调整"),
            "the request waits on cnipa"
        );
        let r = post(
            &cnipa,
            format!("/centers/{id}/reviews/withdraw"),
            vec![("csrf_token", cnipa_csrf.clone()), ("reason", "x".into())],
        )
        .await;
        assert_eq!(r.status(), 403, "only its staff ask");
        let html = page(&cnipa, "/home".to_string())
            .await
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("申请主动退出，待确认")
                && html.contains(&format!("/centers/{id}/reports#proposals")),
            "cnipa's home lists what waits on it"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn experts_are_assigned_declare_and_score_a_report_from_its_page() {
    for backend in backends() {
        let app = spawn_app_with(&backend, &[("IPOC_NOW", "2026-02-15")]).await;
        let center = app.center(85, "national", "320505").await;
        let (cnipa_token, _) = app.login_as(Role::Cnipa).await;
        let base = format!("/api/v1/centers/{}", center.id);
        app.post_json(
            &format!("{base}/cycles"),
            Some(&cnipa_token),
            &json!({"start_date": "2023-06-01", "reason": "既有中心"}),
        )
        .await;
        let body = json!({"narratives": {"operations": "许可", "key_tasks": "任务", "sme_service": "服务"}, "nothing_to_report": ["chain_support"]});
        app.send_json(
            reqwest::Method::PUT,
            &format!("{base}/reports/2025"),
            Some(&center.token),
            &body,
        )
        .await;
        assert_eq!(
            app.post_json(
                &format!("{base}/reports/2025/submit"),
                Some(&center.token),
                &json!({})
            )
            .await
            .status(),
            200
        );
        let mut experts = Vec::new();
        for _ in 0..3 {
            experts.push(app.expert(None).await);
        }
        app.create_user("chair@cnipa.cn", Role::Cnipa, None).await;
        let (cnipa, csrf) = app.browser_login("chair@cnipa.cn").await;
        let report = app.url(&format!("/centers/{}/reports/2025", center.id));
        let html = cnipa
            .get(&report)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains(&experts[0].2),
            "the decider picks from the experts"
        );
        let mut form: Vec<(&str, String)> = vec![("csrf_token", csrf.clone())];
        form.extend(experts.iter().map(|e| ("expert_ids", e.1.to_string())));
        let r = cnipa
            .post(format!("{report}/assign"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);

        for (n, (_, _, email)) in experts.iter().enumerate() {
            let (browser, csrf) = app.browser_login(email).await;
            let html = browser
                .get(&report)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert!(
                html.contains("name=\"declared_conflict\"") && !html.contains("许可"),
                "the declaration comes before the report"
            );
            let r = browser
                .post(format!("{report}/conflict"))
                .form(&[
                    ("csrf_token", csrf.as_str()),
                    ("declared_conflict", "false"),
                ])
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 303);
            let html = browser
                .get(&report)
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert!(
                html.contains("score_operation_scale") && html.contains("许可"),
                "then the report and the rubric"
            );
            let mut scores: Vec<(String, String)> = vec![
                ("csrf_token".into(), csrf.clone()),
                ("comment".into(), "材料完整".into()),
            ];
            for (key, value) in [
                ("operation_scale", "28"),
                ("projects", "15"),
                ("alliance", "14"),
                ("sme_service", "12"),
                ("chain_support", "17"),
            ] {
                scores.push((format!("score_{key}"), value.to_string()));
            }
            if n == 0 {
                let mut bad = scores.clone();
                bad[2].1 = "99".into();
                let r = browser
                    .post(format!("{report}/scores"))
                    .form(&bad)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 422, "a score above its weight");
                let html = r.text().await.unwrap();
                assert!(
                    html.contains("field-error") && html.contains("value=\"99\""),
                    "the error beside the input kept"
                );
            }
            let r = browser
                .post(format!("{report}/scores"))
                .form(&scores)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 303);
        }
        let detail: serde_json::Value = app
            .get(&format!("{base}/reports/2025"), Some(&cnipa_token))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            detail["proposed_result"], "unqualified",
            "the amount is below the threshold: {detail}"
        );
        let html = cnipa
            .get(&report)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("86") && html.contains("材料完整"),
            "the decider reads every score"
        );
    }
}
