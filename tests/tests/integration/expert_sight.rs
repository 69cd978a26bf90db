//! An expert reads a center only while its review is open: after declaring no conflict it reads
//! the report it scores (and the center behind it); once the result is recorded it reads nothing
//! of the center any more (404, as for any center outside one's scope).

use ipoc_tests::{backends, spawn_demo_app};
use serde_json::{Value, json};

const PASSWORD: &str = ipoc::seed::demo::DEMO_PASSWORD;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_experts_sight_of_a_center_ends_when_its_review_is_decided() {
    for backend in backends() {
        let app = spawn_demo_app(&backend, &[]).await;
        let cnipa = app.login("cnipa@demo.ipoc.cn", PASSWORD).await;
        let center: i32 = 2; // 苏州纳米: its 2025 report waits on its review
        let report = format!("/api/v1/centers/{center}/reports/2025");
        let mut experts = Vec::new();
        for email in [
            "expert@demo.ipoc.cn",
            "expert2@demo.ipoc.cn",
            "expert3@demo.ipoc.cn",
        ] {
            let token = app.login(email, PASSWORD).await;
            let me: Value = app
                .get("/api/v1/me", Some(&token))
                .await
                .json()
                .await
                .unwrap();
            experts.push((token, me["id"].as_i64().unwrap()));
        }
        let ids: Vec<i64> = experts.iter().map(|(_, id)| *id).collect();
        let r = app
            .post_json(
                &format!("{report}/assign"),
                Some(&cnipa),
                &json!({"expert_ids": ids}),
            )
            .await;
        assert_eq!(r.status(), 200, "{backend:?}: assigned");
        let scores = json!({"items": {"operation_scale": 25, "projects": 16, "alliance": 12, "sme_service": 12, "chain_support": 15}, "comment": "好"});
        for (token, _) in &experts {
            let declared = app
                .post_json(
                    &format!("{report}/conflict"),
                    Some(token),
                    &json!({"declared_conflict": false}),
                )
                .await;
            assert_eq!(declared.status(), 200);
            assert_eq!(
                app.get(&report, Some(token)).await.status(),
                200,
                "{backend:?}: reads what it scores"
            );
            assert_eq!(
                app.post_json(&format!("{report}/scores"), Some(token), &scores)
                    .await
                    .status(),
                200
            );
        }
        let (token, _) = &experts[0];
        assert_eq!(
            app.get(&format!("/api/v1/centers/{center}"), Some(token))
                .await
                .status(),
            200
        );
        let decision = json!({"kind": "annual_result", "year": 2025, "result": "qualified", "reason": "专家评审 80 分"});
        let r = app
            .post_json(
                &format!("/api/v1/centers/{center}/decisions"),
                Some(&cnipa),
                &decision,
            )
            .await;
        assert_eq!(r.status(), 201, "{backend:?}: result recorded");
        for path in [
            report.clone(),
            format!("/api/v1/centers/{center}"),
            format!("/api/v1/centers/{center}/transactions"),
            format!("/api/v1/centers/{center}/applications"),
        ] {
            assert_eq!(
                app.get(&path, Some(token)).await.status(),
                404,
                "{backend:?}: {path} once decided"
            );
        }
    }
}
