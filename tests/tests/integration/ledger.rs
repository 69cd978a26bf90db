use ipoc_tests::{each_backend, uscc};
use serde_json::{Value, json};

each_backend! {
    async fn deals_are_validated_field_by_field(app) {
        let center = app.center(1, "national", "320505").await;
        let path = format!("/api/v1/centers/{}/transactions", center.id);
        let good = json!({"kind":"license","amount":"1234567.89","contract_date":"2025-06-30","patent_numbers":["ZL 2017 1 0601862.3"],"counterparty_uscc":[uscc(1).to_lowercase()],"contract_no":"HT-2025-001","related_party":true,"note":"独占许可"});
        let r = app.post_json(&path, Some(&center.token), &good).await;
        assert_eq!(r.status(), 201);
        let deal: Value = r.json().await.unwrap();
        assert_eq!(deal["patent_numbers"], json!(["201710601862.3"]), "normalized on the way in");
        assert_eq!(deal["counterparty_uscc"], json!([uscc(1)]));
        assert_eq!(deal["amount"], "1234567.89");
        assert_eq!(deal["related_party"], true);
        assert_eq!(deal["version"], 1);

        let cases: Vec<(Value, &str)> = vec![
            (json!({"amount":"0"}), "amount"),
            (json!({"amount":"1.001"}), "amount"),
            (json!({"amount":"-5"}), "amount"),
            (json!({"amount":"1000000000000.00"}), "amount"),
            (json!({"contract_date":"2026-11-22"}), "contract_date"),
            (json!({"contract_date":"1999-12-31"}), "contract_date"),
            (json!({"contract_date":"2025-02-30"}), "contract_date"),
            (json!({"patent_numbers":["201710601862.3","201710601862.4"]}), "patent_numbers[1]"),
            (json!({"counterparty_uscc":["91110000600037341N"]}), "counterparty_uscc[0]"),
            (json!({"counterparty_uscc":[]}), "counterparty_uscc"),
            (json!({"kind":"gift"}), "kind"),
        ];
        for (change, field) in cases {
            let mut body = good.clone();
            for (k, v) in change.as_object().unwrap() {
                body[k] = v.clone();
            }
            let r = app.post_json(&path, Some(&center.token), &body).await;
            assert_eq!(r.status(), 422, "{change}");
            let err: Value = r.json().await.unwrap();
            assert!(err["error"]["fields"][field].is_array(), "{field} in {err}");
        }
        let mut undated = good.clone();
        undated["contract_date"] = json!("");
        let err: Value = app.post_json(&path, Some(&center.token), &undated).await.json().await.unwrap();
        assert_eq!(err["error"]["fields"]["contract_date"][0], "请填写日期（YYYY-MM-DD）", "an empty date is asked for, not called malformed");
        let mut number = good.clone();
        number["amount"] = json!(1234.5);
        assert_eq!(app.post_json(&path, Some(&center.token), &number).await.status(), 400, "a JSON number is the wrong type");
        let list: Value = app.get(&path, Some(&center.token)).await.json().await.unwrap();
        assert_eq!(list["total"], 1, "nothing refused was kept");
    }
}

each_backend! {
    async fn edits_take_the_version_and_deletes_are_soft(app) {
        let center = app.center(2, "national", "320505").await;
        let deal = app.deal(&center, "transfer", "1000.00", "2025-01-10").await;
        let path = format!("/api/v1/centers/{}/transactions/{}", center.id, deal["id"]);
        let r = app.send_json(reqwest::Method::PATCH, &path, Some(&center.token), &json!({"amount":"2000.00","version":1})).await;
        assert_eq!(r.status(), 200);
        let edited: Value = r.json().await.unwrap();
        assert_eq!(edited["amount"], "2000.00");
        assert_eq!(edited["kind"], "transfer", "fields not given are kept");
        assert_eq!(edited["version"], 2);
        let stale = app.send_json(reqwest::Method::PATCH, &path, Some(&center.token), &json!({"amount":"3000.00","version":1})).await;
        assert_eq!(stale.status(), 409);
        assert_eq!(app.send_json(reqwest::Method::PATCH, &path, Some(&center.token), &json!({"amount":"3000.00"})).await.status(), 422);
        assert_eq!(app.send_json(reqwest::Method::PATCH, &path, Some(&center.token), &json!({"amount":"-1","version":2})).await.status(), 422);
        assert_eq!(app.metrics(&center, 2025).await["operation_amount"], "2000.00");

        let stale_delete = app.api.delete(app.url(&format!("{path}?version=1"))).bearer_auth(&center.token).send().await.unwrap();
        assert_eq!(stale_delete.status(), 409);
        let deleted = app.api.delete(app.url(&format!("{path}?version=2"))).bearer_auth(&center.token).send().await.unwrap();
        assert_eq!(deleted.status(), 200);
        let deleted: Value = deleted.json().await.unwrap();
        assert_eq!(deleted["deleted"], true);
        assert_eq!(app.metrics(&center, 2025).await["operation_amount"], "0.00", "a deleted deal never counts");
        let list: Value = app.get(&format!("/api/v1/centers/{}/transactions", center.id), Some(&center.token)).await.json().await.unwrap();
        assert_eq!(list["total"], 0);
        for action in ["transaction.create", "transaction.update", "transaction.delete"] {
            assert_eq!(app.audit_count(action).await, 1, "{action}");
        }
    }
}

each_backend! {
    async fn concurrent_edits_of_one_deal_let_exactly_one_win(app) {
        let center = app.center(3, "national", "320505").await;
        let deal = app.deal(&center, "transfer", "1000.00", "2025-01-10").await;
        let path = format!("/api/v1/centers/{}/transactions/{}", center.id, deal["id"]);
        let bodies: Vec<Value> = (0..6).map(|i| json!({"amount": format!("{}.00", 5000 + i), "version": 1})).collect();
        let requests = bodies.iter().map(|b| app.send_json(reqwest::Method::PATCH, &path, Some(&center.token), b));
        let statuses: Vec<u16> = futures_util::future::join_all(requests).await.iter().map(|r| r.status().as_u16()).collect();
        assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
        assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 5, "{statuses:?}");
        assert_eq!(app.audit_count("transaction.update").await, 1);
    }
}

each_backend! {
    async fn projects_and_events_are_recorded_edited_and_listed(app) {
        let center = app.center(4, "national", "320505").await;
        let path = format!("/api/v1/centers/{}/projects", center.id);
        let body = json!({"kind":"industrialization","name":"石墨烯薄膜产业化","start_date":"2025-03-01","status":"planned","patent_numbers":["201710601862.3"],"partner_uscc":[uscc(3)]});
        let project: Value = app.post_json(&path, Some(&center.token), &body).await.json().await.unwrap();
        assert_eq!(project["status"], "planned");
        assert_eq!(app.metrics(&center, 2025).await["projects_cumulative"], 0);
        let r = app.send_json(reqwest::Method::PATCH, &format!("{path}/{}", project["id"]), Some(&center.token), &json!({"status":"running","version":1})).await;
        assert_eq!(r.status(), 200);
        assert_eq!(app.metrics(&center, 2025).await["projects_cumulative"], 1);
        let bad = json!({"kind":"research","name":"","start_date":"2025-03-01","status":"running"});
        assert_eq!(app.post_json(&path, Some(&center.token), &bad).await.status(), 422);
        let list: Value = app.get(&path, Some(&center.token)).await.json().await.unwrap();
        assert_eq!(list["total"], 1);
        let csv = app.get(&format!("{path}?format=csv"), Some(&center.token)).await.text().await.unwrap();
        assert!(csv.contains("石墨烯薄膜产业化"));

        let events = format!("/api/v1/centers/{}/events", center.id);
        let event: Value = app.post_json(&events, Some(&center.token), &json!({"kind":"navigation","date":"2025-05-05","title":"专利导航报告发布"})).await.json().await.unwrap();
        let r = app.send_json(reqwest::Method::PATCH, &format!("{events}/{}", event["id"]), Some(&center.token), &json!({"title":"专利导航报告（修订）","version":1})).await;
        assert_eq!(r.status(), 200);
        let gone = app.api.delete(app.url(&format!("{events}/{}?version=2", event["id"]))).bearer_auth(&center.token).send().await.unwrap();
        assert_eq!(gone.status(), 200);
        let list: Value = app.get(&events, Some(&center.token)).await.json().await.unwrap();
        assert_eq!(list["total"], 0);
    }
}
