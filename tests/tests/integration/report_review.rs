//! The review of an annual report: experts, scores, the proposal and the decision.

use ipoc::domain::users::Role;
use ipoc_tests::{backends, spawn_app_with};
use serde_json::{Value, json};

use crate::support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_review_proposes_and_a_person_decides() {
    for backend in backends() {
        let app = spawn_app_with(&backend, &[("IPOC_NOW", "2026-02-15")]).await;
        let center = app.center(32, "national", "320505").await;
        app.deal(&center, "license", "5000000.00", "2025-05-01")
            .await;
        for n in 0..20u64 {
            let body = json!({"organization": {"uscc": ipoc_tests::uscc(3200 + n), "name": format!("成员{n}"), "kind": "enterprise", "region_code": "320505"}, "joined_on": "2024-01-01"});
            assert_eq!(
                app.post_json(
                    &format!("/api/v1/centers/{}/members", center.id),
                    Some(&center.token),
                    &body
                )
                .await
                .status(),
                201
            );
        }
        let (cnipa, _) = app.login_as(Role::Cnipa).await;
        app.post_json(
            &format!("/api/v1/centers/{}/cycles", center.id),
            Some(&cnipa),
            &json!({"start_date": "2023-06-01", "reason": "2023 年认定"}),
        )
        .await;
        let base = format!("/api/v1/centers/{}/reports", center.id);
        app.send_json(
            reqwest::Method::PUT,
            &format!("{base}/2025"),
            Some(&center.token),
            &complete(None),
        )
        .await;
        let r = app
            .post_json(
                &format!("{base}/2025/submit"),
                Some(&center.token),
                &json!({}),
            )
            .await;
        assert_eq!(r.status(), 200);
        let report: Value = r.json().await.unwrap();
        assert!(
            report["proposed_result"].is_null(),
            "no proposal before the experts have scored"
        );

        // the same review code as accreditation: assign, declare, score
        let mut experts = Vec::new();
        for _ in 0..3 {
            experts.push(app.expert(None).await);
        }
        let ids: Vec<i32> = experts.iter().map(|e| e.1).collect();
        assert_eq!(
            app.post_json(
                &format!("{base}/2025/assign"),
                Some(&center.token),
                &json!({"expert_ids": ids})
            )
            .await
            .status(),
            403
        );
        assert_eq!(
            app.post_json(
                &format!("{base}/2025/assign"),
                Some(&cnipa),
                &json!({"expert_ids": ids})
            )
            .await
            .status(),
            200
        );
        let early = app
            .post_json(
                &format!("/api/v1/centers/{}/decisions", center.id),
                Some(&cnipa),
                &json!({"kind": "annual_result", "year": 2025, "result": "qualified"}),
            )
            .await;
        assert_eq!(
            early.status(),
            409,
            "a submitted report is decided after its experts have scored"
        );
        for (token, _, _) in &experts {
            let r = app
                .post_json(
                    &format!("{base}/2025/conflict"),
                    Some(token),
                    &json!({"declared_conflict": false}),
                )
                .await;
            assert_eq!(r.status(), 200);
            let scores = json!({"items": {"operation_scale": 28, "projects": 15, "alliance": 14, "sme_service": 12, "chain_support": 17}, "comment": "运营规模突出"});
            assert_eq!(
                app.post_json(&format!("{base}/2025/scores"), Some(token), &scores)
                    .await
                    .status(),
                200
            );
        }
        let report: Value = app
            .get(&format!("{base}/2025"), Some(&experts[0].0))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            report["proposed_result"], "qualified",
            "mean 86 ≥ 80: {report}"
        );
        assert!(
            report["proposal_reasons"][0]
                .as_str()
                .unwrap()
                .contains("86.00")
        );
        // the experts were mailed on assignment, the decider once when the last had scored
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let mails = |template: &'static str| {
            let db = app.db.clone();
            async move {
                entities::outbox::Entity::find()
                    .filter(entities::outbox::Column::Template.eq(template))
                    .all(&db)
                    .await
                    .unwrap()
            }
        };
        let mut assigned: Vec<String> = mails("report_expert_assigned")
            .await
            .into_iter()
            .map(|m| m.recipient)
            .collect();
        assigned.sort();
        let mut emails: Vec<String> = experts.iter().map(|e| e.2.clone()).collect();
        emails.sort();
        assert_eq!(assigned, emails, "each assigned expert is mailed");
        let complete = mails("report_scores_complete").await;
        assert!(!complete.is_empty(), "the decider is told");
        assert!(
            complete[0].body_text.contains("86.00")
                && complete[0].body_text.contains("合格 / qualified"),
            "{}",
            complete[0].body_text
        );
        let rescore = json!({"items": {"operation_scale": 28, "projects": 15, "alliance": 14, "sme_service": 12, "chain_support": 17}, "comment": "复核"});
        assert_eq!(
            app.post_json(
                &format!("{base}/2025/scores"),
                Some(&experts[0].0),
                &rescore
            )
            .await
            .status(),
            200
        );
        assert_eq!(
            mails("report_scores_complete").await.len(),
            complete.len(),
            "once, not on every re-score"
        );

        // a person decides; another result than the proposal needs a reason
        let decisions = format!("/api/v1/centers/{}/decisions", center.id);
        let r = app
            .post_json(
                &decisions,
                Some(&cnipa),
                &json!({"kind": "annual_result", "year": 2025, "result": "basically_qualified"}),
            )
            .await;
        assert_eq!(r.status(), 422);
        let body: Value = r.json().await.unwrap();
        assert!(body["error"]["fields"]["reason"].is_array(), "{body}");
        let r = app.post_json(&decisions, Some(&cnipa), &json!({"kind": "annual_result", "year": 2025, "result": "basically_qualified", "reason": "服务中小企业数量下降"})).await;
        assert_eq!(r.status(), 201);
        let decision: Value = r.json().await.unwrap();
        assert_eq!(
            (
                decision["proposed_result"].as_str(),
                decision["rulebook_version"].as_i64()
            ),
            (Some("qualified"), Some(1))
        );
        assert_eq!(app.post_json(&decisions, Some(&cnipa), &json!({"kind": "annual_result", "year": 2025, "result": "qualified", "reason": "x"})).await.status(), 409, "recorded once");
        let (stranger, _, _) = app.expert(None).await;
        let r = app
            .post_json(
                &format!("{base}/2025/conflict"),
                Some(&stranger),
                &json!({"declared_conflict": false}),
            )
            .await;
        assert_eq!(
            r.status(),
            404,
            "an expert not assigned finds no report to declare on, whatever its state"
        );

        // an extension before the due date moves it; after it, or backwards, is refused
        assert_eq!(app.post_json(&decisions, Some(&cnipa), &json!({"kind": "extension", "year": 2026, "new_due_date": "2027-03-01", "reason": "x"})).await.status(), 422);
        assert_eq!(app.post_json(&decisions, Some(&cnipa), &json!({"kind": "extension", "year": 2026, "new_due_date": "2027-05-31", "reason": "疫情影响"})).await.status(), 201);
        assert_eq!(app.post_json(&decisions, Some(&cnipa), &json!({"kind": "extension", "year": 2024, "new_due_date": "2026-05-31", "reason": "x"})).await.status(), 409, "2024 is already overdue");

        // two results for the overdue 2024 report sent at once: exactly one is recorded, no reason
        // needed for the proposal (unqualified)
        let unqualified = json!({"kind": "annual_result", "year": 2024, "result": "unqualified"});
        let (first, second) = tokio::join!(
            app.post_json(&decisions, Some(&cnipa), &unqualified),
            app.post_json(&decisions, Some(&cnipa), &unqualified),
        );
        let mut statuses = [first.status().as_u16(), second.status().as_u16()];
        statuses.sort();
        assert_eq!(statuses, [201, 409]);

        let calendar: Value = app
            .get(&base, Some(&center.token))
            .await
            .json()
            .await
            .unwrap();
        let by_year = |y: i64| {
            calendar
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["year"] == y)
                .unwrap()
                .clone()
        };
        assert_eq!(
            (
                by_year(2025)["status"].as_str(),
                by_year(2025)["result"].as_str()
            ),
            (Some("decided"), Some("basically_qualified"))
        );
        assert_eq!(
            (
                by_year(2024)["status"].as_str(),
                by_year(2024)["result"].as_str()
            ),
            (Some("decided"), Some("unqualified"))
        );
        assert_eq!(
            by_year(2026)["due_date"],
            "2027-05-31",
            "the extended due date"
        );
        let list: Value = app
            .get(&decisions, Some(&center.token))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(list.as_array().unwrap().len(), 3);
        assert!(
            list.as_array()
                .unwrap()
                .iter()
                .all(|d| d["rulebook_version"] == 1)
        );
    }
}
