//! The lifecycle's rules by who decides and when: a local center's office, extensions and
//! correction periods, the annual rubric.

use ipoc::domain::users::Role;
use ipoc_tests::{backends, spawn_app_with};
use serde_json::json;

use crate::support::*;

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
