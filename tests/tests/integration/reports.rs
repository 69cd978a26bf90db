use ipoc::domain::users::Role;
use ipoc_tests::{backends, spawn_app_with};
use serde_json::{Value, json};

fn complete(version: Option<i64>) -> Value {
    let mut body = json!({"narratives": {"operations": "全年转让许可 8 项", "key_tasks": "完成专项任务 2 项", "sme_service": "服务科技型中小企业 31 家"}, "nothing_to_report": ["chain_support"]});
    if let Some(v) = version {
        body["version"] = json!(v);
    }
    body
}

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
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("overdue"),
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unqualified_year_is_rectified_and_a_qualified_cycle_renews() {
    for backend in backends() {
        let app = spawn_app_with(&backend, &[("IPOC_NOW", "2026-02-15")]).await;
        let center = app.center(33, "national", "320505").await;
        let (cnipa, _) = app.login_as(Role::Cnipa).await;
        // a cycle from 2021: reporting years 2022–2024, all overdue on 2026-02-15
        app.post_json(
            &format!("/api/v1/centers/{}/cycles", center.id),
            Some(&cnipa),
            &json!({"start_date": "2021-06-01", "reason": "2021 年认定"}),
        )
        .await;
        let decisions = format!("/api/v1/centers/{}/decisions", center.id);
        let rectification = format!("/api/v1/centers/{}/rectification", center.id);
        assert_eq!(
            app.get(&rectification, Some(&center.token)).await.status(),
            404,
            "none yet"
        );
        let evaluate =
            json!({"kind": "cycle_result", "result": "qualified", "reason": "三年考核合格"});
        assert_eq!(
            app.post_json(&decisions, Some(&cnipa), &evaluate)
                .await
                .status(),
            409,
            "not before the third year's result"
        );

        // an unqualified result opens rectification, due rectification_days (90) later
        assert_eq!(
            app.post_json(
                &decisions,
                Some(&cnipa),
                &json!({"kind": "annual_result", "year": 2022, "result": "unqualified"})
            )
            .await
            .status(),
            201
        );
        let opened: Value = app
            .get(&rectification, Some(&center.token))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            (
                opened["year"].as_i64(),
                opened["deadline"].as_str(),
                opened["status"].as_str()
            ),
            (Some(2022), Some("2026-05-16"), Some("open"))
        );
        let accept = json!({"kind": "rectification", "accepted": true, "reason": "整改到位"});
        assert_eq!(
            app.post_json(&decisions, Some(&cnipa), &accept)
                .await
                .status(),
            409,
            "nothing filed and the deadline has not passed"
        );
        assert_eq!(
            app.send_json(
                reqwest::Method::PUT,
                &rectification,
                Some(&center.token),
                &json!({"report": " "})
            )
            .await
            .status(),
            422
        );
        assert_eq!(
            app.send_json(
                reqwest::Method::PUT,
                &rectification,
                Some(&cnipa),
                &json!({"report": "x"})
            )
            .await
            .status(),
            403,
            "only the staff file it"
        );
        let r = app
            .send_json(
                reqwest::Method::PUT,
                &rectification,
                Some(&center.token),
                &json!({"report": "已补充专职运营人员 5 名，完善交易台账。"}),
            )
            .await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.json::<Value>().await.unwrap()["status"], "submitted");
        assert_eq!(
            app.post_json(
                &decisions,
                Some(&cnipa),
                &json!({"kind": "rectification", "accepted": true})
            )
            .await
            .status(),
            422,
            "a reason is required"
        );
        let (first, second) = tokio::join!(
            app.post_json(&decisions, Some(&cnipa), &accept),
            app.post_json(&decisions, Some(&cnipa), &accept),
        );
        let mut statuses = [first.status().as_u16(), second.status().as_u16()];
        statuses.sort();
        assert_eq!(statuses, [201, 409], "decided once");
        let done: Value = app
            .get(&rectification, Some(&center.token))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(done["status"], "accepted");

        // the remaining years, then the cycle result: qualified renews from 1 January 2025
        for year in [2023, 2024] {
            assert_eq!(app.post_json(&decisions, Some(&cnipa), &json!({"kind": "annual_result", "year": year, "result": "qualified", "reason": "补报材料齐全"})).await.status(), 201);
        }
        assert_eq!(
            app.post_json(
                &decisions,
                Some(&cnipa),
                &json!({"kind": "cycle_result", "result": "qualified"})
            )
            .await
            .status(),
            422,
            "a reason is required"
        );
        let (first, second) = tokio::join!(
            app.post_json(&decisions, Some(&cnipa), &evaluate),
            app.post_json(&decisions, Some(&cnipa), &evaluate),
        );
        let mut statuses = [first.status().as_u16(), second.status().as_u16()];
        statuses.sort();
        assert_eq!(statuses, [201, 409], "evaluated once, one renewal");
        let calendar: Value = app
            .get(
                &format!("/api/v1/centers/{}/reports", center.id),
                Some(&center.token),
            )
            .await
            .json()
            .await
            .unwrap();
        let cycle_two: Vec<(i64, i64)> = calendar
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["cycle"] == 2)
            .map(|r| (r["year"].as_i64().unwrap(), r["cycle"].as_i64().unwrap()))
            .collect();
        assert_eq!(
            cycle_two,
            vec![(2025, 2), (2026, 2), (2027, 2)],
            "the renewed cycle covers the next three years"
        );
        let list: Value = app
            .get(&decisions, Some(&cnipa))
            .await
            .json()
            .await
            .unwrap();
        let kinds: Vec<&str> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds,
            vec![
                "annual_result",
                "rectification",
                "annual_result",
                "annual_result",
                "cycle_result"
            ]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_is_proposed_and_cnipa_told_when_the_rules_say_so() {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    for backend in backends() {
        let app = spawn_app_with(&backend, &[("IPOC_NOW", "2026-02-15")]).await;
        let center = app.center(34, "national", "320505").await;
        let (cnipa, _) = app.login_as(Role::Cnipa).await;
        app.post_json(
            &format!("/api/v1/centers/{}/cycles", center.id),
            Some(&cnipa),
            &json!({"start_date": "2021-06-01", "reason": "2021 年认定"}),
        )
        .await;
        let decisions = format!("/api/v1/centers/{}/decisions", center.id);
        let proposals_on = |address: String| {
            let (app, token, id) = (&app, cnipa.clone(), center.id);
            async move {
                let one: Value = app
                    .api
                    .get(format!("{address}/api/v1/centers/{id}"))
                    .bearer_auth(&token)
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                let list: Value = app
                    .api
                    .get(format!("{address}/api/v1/centers?per_page=50"))
                    .bearer_auth(&token)
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                let listed = list["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|c| c["id"] == id)
                    .unwrap()["proposals"]
                    .clone();
                assert_eq!(
                    one["proposals"], listed,
                    "the center and its list item agree"
                );
                one["proposals"].as_array().unwrap().clone()
            }
        };
        assert!(
            proposals_on(app.address.clone()).await.is_empty(),
            "nothing proposed (and the list item is cached)"
        );
        app.post_json(
            &decisions,
            Some(&cnipa),
            &json!({"kind": "annual_result", "year": 2022, "result": "unqualified"}),
        )
        .await;
        assert!(
            proposals_on(app.address.clone()).await.is_empty(),
            "one unqualified year is not enough"
        );
        app.post_json(
            &decisions,
            Some(&cnipa),
            &json!({"kind": "annual_result", "year": 2023, "result": "unqualified"}),
        )
        .await;
        let open = proposals_on(app.address.clone()).await;
        assert_eq!(open.len(), 1, "{open:?}");
        assert_eq!(open[0]["kind"], "exit");
        assert!(
            open[0]["reason"].as_str().unwrap().contains("2022、2023"),
            "{open:?}"
        );
        assert_eq!(open[0]["since"], "2026-02-15");
        let mails = entities::outbox::Entity::find()
            .filter(entities::outbox::Column::Template.eq("exit_proposed"))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(mails.len(), 1, "cnipa is told once");
        // later, both rectifications have passed their deadline unanswered
        let later = app
            .another_instance_with(&[("IPOC_NOW", "2026-06-01")])
            .await;
        let open = proposals_on(later).await;
        assert_eq!(open.len(), 3, "two lapsed rectifications too: {open:?}");
        // the lapses were mailed by the later instance's start-up run, once across a restart
        let lapsed = || {
            let db = app.db.clone();
            async move {
                entities::outbox::Entity::find()
                    .filter(entities::outbox::Column::Template.eq("rectification_lapsed"))
                    .all(&db)
                    .await
                    .unwrap()
            }
        };
        let first = lapsed().await;
        assert!(
            first.iter().any(|m| m.subject.contains("2022"))
                && first.iter().any(|m| m.subject.contains("2023")),
            "{:?}",
            first.iter().map(|m| &m.subject).collect::<Vec<_>>()
        );
        app.another_instance_with(&[("IPOC_NOW", "2026-06-02")])
            .await;
        assert_eq!(
            lapsed().await.len(),
            first.len(),
            "each lapse is reported once"
        );
        assert!(open.iter().any(|p| p["since"] == "2026-05-17"));
        // cnipa answers the proposal with an exit decision: nothing is proposed any more
        let r = app
            .post_json(
                &decisions,
                Some(&cnipa),
                &json!({"kind": "exit", "reason": "连续两年不合格"}),
            )
            .await;
        assert_eq!(r.status(), 201);
        assert!(
            proposals_on(app.address.clone()).await.is_empty(),
            "the proposal is answered"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reminders_and_overdue_notices_go_out_once_across_restarts_and_instances() {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    for backend in backends() {
        let app = spawn_app_with(&backend, &[("IPOC_NOW", "2026-02-15")]).await;
        let center = app.center(35, "national", "320505").await;
        let (cnipa, _) = app.login_as(Role::Cnipa).await;
        // cycle 1 of a 2024 start: 2025–2027; the 2025 report is due 2026-03-31
        app.post_json(
            &format!("/api/v1/centers/{}/cycles", center.id),
            Some(&cnipa),
            &json!({"start_date": "2024-06-01", "reason": "2024 年认定"}),
        )
        .await;
        let count = |template: &'static str| {
            let db = app.db.clone();
            async move {
                entities::outbox::Entity::find()
                    .filter(entities::outbox::Column::Template.eq(template))
                    .all(&db)
                    .await
                    .unwrap()
                    .len()
            }
        };
        // 30 days before: two instances start at once on 2026-03-10 — one reminder
        tokio::join!(
            app.another_instance_with(&[("IPOC_NOW", "2026-03-10")]),
            app.another_instance_with(&[("IPOC_NOW", "2026-03-10")]),
        );
        assert_eq!(
            count("report_reminder").await,
            1,
            "the 30-day reminder, once"
        );
        app.another_instance_with(&[("IPOC_NOW", "2026-03-10")])
            .await;
        assert_eq!(
            count("report_reminder").await,
            1,
            "not again after a restart"
        );
        // no server ran on the 7- and 1-day days: one catch-up reminder for both
        app.another_instance_with(&[("IPOC_NOW", "2026-03-30")])
            .await;
        assert_eq!(count("report_reminder").await, 2);
        // overdue: 1, 7 and 14 days after passed by 2026-04-20 — one notice to the staff and cnipa
        app.another_instance_with(&[("IPOC_NOW", "2026-04-20")])
            .await;
        app.another_instance_with(&[("IPOC_NOW", "2026-04-20")])
            .await;
        assert_eq!(
            count("report_overdue").await,
            2,
            "one notice, to the staff and to cnipa"
        );
        let sent = entities::reminders_sent::Entity::find()
            .all(&app.db)
            .await
            .unwrap();
        let mut offsets: Vec<(String, i32)> = sent
            .iter()
            .map(|r| (r.kind.clone(), r.offset_days))
            .collect();
        offsets.sort();
        assert_eq!(
            offsets,
            vec![
                ("after".into(), 1),
                ("after".into(), 7),
                ("after".into(), 14),
                ("before".into(), 1),
                ("before".into(), 7),
                ("before".into(), 30)
            ]
        );
        // a submitted report is not reminded
        let submitted = spawn_app_with(&backend, &[("IPOC_NOW", "2026-03-10")]).await;
        let other = submitted.center(36, "national", "320505").await;
        let (cnipa, _) = submitted.login_as(Role::Cnipa).await;
        submitted
            .post_json(
                &format!("/api/v1/centers/{}/cycles", other.id),
                Some(&cnipa),
                &json!({"start_date": "2024-06-01", "reason": "x"}),
            )
            .await;
        submitted
            .send_json(
                reqwest::Method::PUT,
                &format!("/api/v1/centers/{}/reports/2025", other.id),
                Some(&other.token),
                &complete(None),
            )
            .await;
        assert_eq!(
            submitted
                .post_json(
                    &format!("/api/v1/centers/{}/reports/2025/submit", other.id),
                    Some(&other.token),
                    &json!({})
                )
                .await
                .status(),
            200
        );
        submitted
            .another_instance_with(&[("IPOC_NOW", "2026-03-30")])
            .await;
        let reminders = entities::outbox::Entity::find()
            .filter(entities::outbox::Column::Template.eq("report_reminder"))
            .all(&submitted.db)
            .await
            .unwrap();
        assert!(reminders.is_empty(), "nothing to remind of");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reminder_goes_out_once_from_two_server_processes_and_a_restart() {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    for backend in backends() {
        let app = spawn_app_with(&backend, &[("IPOC_NOW", "2026-02-15")]).await;
        let center = app.center(36, "national", "320505").await;
        let (cnipa, _) = app.login_as(Role::Cnipa).await;
        app.post_json(
            &format!("/api/v1/centers/{}/cycles", center.id),
            Some(&cnipa),
            &json!({"start_date": "2024-06-01", "reason": "2024 年认定"}),
        )
        .await;
        let reminders = || {
            let db = app.db.clone();
            async move {
                entities::outbox::Entity::find()
                    .filter(entities::outbox::Column::Template.eq("report_reminder"))
                    .all(&db)
                    .await
                    .unwrap()
                    .len()
            }
        };
        // two ipoc processes start at once on the reminder's day (30 days before 2026-03-31)
        let program = env!("CARGO_BIN_EXE_ipoc-process");
        let day = [("IPOC_NOW", "2026-03-01")];
        let (first, second) = tokio::join!(
            app.server_process(program, &day),
            app.server_process(program, &day)
        );
        let health = app
            .api
            .get(format!("{}/health", second.address))
            .send()
            .await
            .unwrap();
        assert_eq!(health.status(), 200);
        assert_eq!(reminders().await, 1, "one reminder from two processes");
        drop((first, second));
        // and a restart the same day sends nothing again
        let restarted = app.server_process(program, &day).await;
        assert_eq!(reminders().await, 1, "nothing again after a restart");
        drop(restarted);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_exit_follows_its_notice_and_leaves_the_history_read_only() {
    for backend in backends() {
        let app = spawn_app_with(&backend, &[("IPOC_NOW", "2026-11-19")]).await;
        let center = app.center(37, "national", "320505").await;
        app.deal(&center, "transfer", "100.00", "2026-01-05").await;
        let (cnipa, _) = app.login_as(Role::Cnipa).await;
        let decisions = format!("/api/v1/centers/{}/decisions", center.id);
        let exit = json!({"kind": "exit", "reason": "连续两年考核不合格，整改未通过"});
        assert_eq!(
            app.post_json(&decisions, Some(&cnipa), &exit)
                .await
                .status(),
            409,
            "a draft center has nothing to exit"
        );
        app.post_json(
            &format!("/api/v1/centers/{}/cycles", center.id),
            Some(&cnipa),
            &json!({"start_date": "2024-06-01", "reason": "2024 年认定"}),
        )
        .await;
        assert_eq!(
            app.post_json(&decisions, Some(&center.token), &exit)
                .await
                .status(),
            403
        );
        assert_eq!(
            app.post_json(&decisions, Some(&cnipa), &json!({"kind": "exit"}))
                .await
                .status(),
            422,
            "a reason is required"
        );
        let r = app.post_json(&decisions, Some(&cnipa), &exit).await;
        assert_eq!(r.status(), 201);
        let decided: Value = r.json().await.unwrap();
        // decided on Thursday 2026-11-19: Fri 20, Mon 23 … Thu 26
        assert_eq!(decided["notice_ends_on"], "2026-11-26");
        assert_eq!(
            app.post_json(&decisions, Some(&cnipa), &exit)
                .await
                .status(),
            409,
            "decided once"
        );

        let public = |address: String| {
            let app = &app;
            async move {
                app.api
                    .get(format!("{address}/api/v1/public/centers"))
                    .send()
                    .await
                    .unwrap()
                    .json::<Value>()
                    .await
                    .unwrap()
            }
        };
        let on_list = |list: &Value| {
            list.as_array()
                .unwrap()
                .iter()
                .any(|c| c["id"] == center.id)
        };
        let before = app
            .another_instance_with(&[("IPOC_NOW", "2026-11-25")])
            .await;
        assert!(
            on_list(&public(before).await),
            "still listed during the notice"
        );
        let after = app
            .another_instance_with(&[("IPOC_NOW", "2026-11-26")])
            .await;
        assert!(
            !on_list(&public(after.clone()).await),
            "off the public list"
        );
        let seen: Value = app
            .get(
                &format!("/api/v1/centers/{}", center.id),
                Some(&center.token),
            )
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(seen["status"], "exited");
        // the staff still read its history; every write is refused
        assert_eq!(
            app.get(
                &format!("/api/v1/centers/{}/transactions", center.id),
                Some(&center.token)
            )
            .await
            .status(),
            200
        );
        let deal = json!({"kind": "license", "amount": "1.00", "contract_date": "2026-01-06", "patent_numbers": [], "counterparty_uscc": [], "contract_no": "X"});
        assert_eq!(
            app.post_json(
                &format!("/api/v1/centers/{}/transactions", center.id),
                Some(&center.token),
                &deal
            )
            .await
            .status(),
            409
        );
        assert_eq!(
            app.audit_count("center.exit").await,
            1,
            "once, whatever the number of runs"
        );
        app.another_instance_with(&[("IPOC_NOW", "2026-11-27")])
            .await;
        assert_eq!(app.audit_count("center.exit").await, 1);
    }
}
