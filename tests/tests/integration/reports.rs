//! Annual reports: the calendar, drafts, submissions and revisions.

use ipoc::domain::users::Role;
use ipoc_tests::{backends, spawn_app_with};
use serde_json::{Value, json};

use crate::support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_follow_the_calendar_and_keep_every_revision() {
    for backend in backends() {
        let app = spawn_app_with(&backend, &[("IPOC_NOW", "2026-02-15")]).await;
        let center = app.center(31, "national", "320505").await;
        app.deal(&center, "transfer", "1234.50", "2025-05-01").await;
        let (cnipa, _) = app.login_as(Role::Cnipa).await;
        let r = app
            .post_json(
                &format!("/api/v1/centers/{}/cycles", center.id),
                Some(&cnipa),
                &json!({"start_date": "2023-06-01", "reason": "2023 年认定"}),
            )
            .await;
        assert_eq!(r.status(), 201);
        let base = format!("/api/v1/centers/{}/reports", center.id);

        // the calendar: cycle 1 of a 2023 start covers 2024–2026, each due 31 March after
        let calendar: Value = app
            .get(&base, Some(&center.token))
            .await
            .json()
            .await
            .unwrap();
        let rows: Vec<(i64, String, String)> = calendar
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["year"].as_i64().unwrap(),
                    r["due_date"].as_str().unwrap().to_string(),
                    r["status"].as_str().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                (2024, "2025-03-31".to_string(), "overdue".to_string()),
                (2025, "2026-03-31".to_string(), "not_due".to_string()),
                (2026, "2027-03-31".to_string(), "not_due".to_string()),
            ]
        );
        assert_eq!(
            calendar[0]["proposed_result"], "unqualified",
            "an overdue report is proposed unqualified"
        );
        assert_eq!(calendar[0]["cycle"], 1);
        assert_eq!(
            app.get(&format!("{base}/2030"), Some(&center.token))
                .await
                .status(),
            404,
            "a year of no cycle"
        );

        // the draft: created without a version (201), then saved with the version last read
        let put = |body: Value| {
            let path = format!("{base}/2025");
            let (app, token) = (&app, center.token.clone());
            async move {
                app.send_json(reqwest::Method::PUT, &path, Some(&token), &body)
                    .await
            }
        };
        let r = put(json!({"narratives": {"operations": "草稿"}})).await;
        assert_eq!(r.status(), 201);
        assert_eq!(
            put(json!({"narratives": {"operations": "草稿二"}}))
                .await
                .status(),
            422,
            "version is required once saved"
        );
        assert_eq!(
            put(json!({"narratives": {"operations": "草稿二"}, "version": 1}))
                .await
                .status(),
            200
        );
        assert_eq!(
            put(json!({"narratives": {"operations": "草稿三"}, "version": 1}))
                .await
                .status(),
            409,
            "a stale version"
        );
        let r = app
            .post_json(
                &format!("{base}/2025/submit"),
                Some(&center.token),
                &json!({}),
            )
            .await;
        assert_eq!(r.status(), 422, "each area written or listed");
        let body: Value = r.json().await.unwrap();
        assert!(
            body["error"]["fields"]["narratives.key_tasks"].is_array(),
            "{body}"
        );
        assert_eq!(put(complete(Some(2))).await.status(), 200);

        // submit: the year's figures frozen as revision 1, the report locked
        let r = app
            .post_json(
                &format!("{base}/2025/submit"),
                Some(&center.token),
                &json!({}),
            )
            .await;
        assert_eq!(r.status(), 200);
        let report: Value = r.json().await.unwrap();
        assert_eq!(
            (report["status"].as_str(), report["revision"].as_i64()),
            (Some("submitted"), Some(1))
        );
        assert_eq!(
            report["revisions"][0]["figures"]["operation_amount"],
            "1234.50"
        );
        assert_eq!(report["revisions"][0]["rulebook_version"], 1);
        assert_eq!(
            put(complete(Some(4))).await.status(),
            409,
            "a submitted report is locked"
        );

        // returned with reasons: corrected and submitted again as revision 2, both readable
        assert_eq!(
            app.post_json(
                &format!("{base}/2025/return"),
                Some(&center.token),
                &json!({"reason": "x"})
            )
            .await
            .status(),
            403
        );
        assert_eq!(
            app.post_json(
                &format!("{base}/2025/return"),
                Some(&cnipa),
                &json!({"reason": " "})
            )
            .await
            .status(),
            422
        );
        let r = app
            .post_json(
                &format!("{base}/2025/return"),
                Some(&cnipa),
                &json!({"reason": "请补充服务中小企业的名单"}),
            )
            .await;
        assert_eq!(r.status(), 200);
        let returned: Value = r.json().await.unwrap();
        assert_eq!(
            (
                returned["status"].as_str(),
                returned["correction_due"].as_str()
            ),
            (Some("returned"), Some("2026-03-17")),
            "30 days by default"
        );
        let version = returned["version"].as_i64().unwrap();
        let mut corrected = complete(Some(version));
        corrected["narratives"]["sme_service"] = json!("服务科技型中小企业 31 家（名单见附件）");
        // a deal recorded late: the next revision freezes the new figures
        app.deal(&center, "license", "800.00", "2025-09-09").await;
        assert_eq!(put(corrected).await.status(), 200);
        let r = app
            .post_json(
                &format!("{base}/2025/submit"),
                Some(&center.token),
                &json!({}),
            )
            .await;
        assert_eq!(r.status(), 200);
        let report: Value = r.json().await.unwrap();
        assert_eq!(report["revision"], 2);
        let revisions = report["revisions"].as_array().unwrap();
        assert_eq!(revisions.len(), 2);
        assert_ne!(
            revisions[0]["narratives"]["sme_service"], revisions[1]["narratives"]["sme_service"],
            "each revision keeps its own text"
        );
        assert_eq!(app.audit_count("report.submit").await, 2);
        // what changed from revision 1 to 2, in figures and in text
        let diff = &report["differences"][0];
        assert_eq!(
            (diff["from"].as_i64(), diff["to"].as_i64()),
            (Some(1), Some(2))
        );
        let changed: Vec<(&str, &str, &str)> = diff["figures"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["before"].is_string())
            .map(|c| {
                (
                    c["figure"].as_str().unwrap(),
                    c["before"].as_str().unwrap(),
                    c["after"].as_str().unwrap(),
                )
            })
            .collect();
        assert!(
            changed.contains(&("operation_amount", "1234.50", "2034.50")),
            "{diff}"
        );
        assert!(
            changed.contains(&("amount_by_kind.license", "0.00", "800.00")),
            "{diff}"
        );
        let text = &diff["narratives"][0];
        assert_eq!(text["area"], "sme_service");
        assert_eq!(
            text["runs"][1],
            json!({"op": "insert", "text": "（名单见附件）"}),
            "{text}"
        );
        assert_eq!(
            diff["narratives"].as_array().unwrap().len(),
            1,
            "the other areas are unchanged"
        );

        // a year not yet ended, and an overdue report, are not submitted
        let r = app
            .send_json(
                reqwest::Method::PUT,
                &format!("{base}/2026"),
                Some(&center.token),
                &complete(None),
            )
            .await;
        assert_eq!(r.status(), 201);
        assert_eq!(
            app.post_json(
                &format!("{base}/2026/submit"),
                Some(&center.token),
                &json!({})
            )
            .await
            .status(),
            409
        );
        let r = app
            .send_json(
                reqwest::Method::PUT,
                &format!("{base}/2024"),
                Some(&center.token),
                &complete(None),
            )
            .await;
        assert_eq!(r.status(), 201);
        let r = app
            .post_json(
                &format!("{base}/2024/submit"),
                Some(&center.token),
                &json!({}),
            )
            .await;
        assert_eq!(r.status(), 409);
        let body: Value = r.json().await.unwrap();
        assert!(
            body["error"]["message"].as_str().unwrap().contains("逾期"),
            "{body}"
        );
        let (stranger, _) = app.login_as(Role::Center).await;
        assert_eq!(
            app.get(&base, Some(&stranger)).await.status(),
            404,
            "another center's reports do not exist for it"
        );
    }
}
