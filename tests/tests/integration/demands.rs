//! Members' technology demands over the API: who registers them (an enterprise, a center on its
//! behalf), who reads them (visibility, anonymity, contact), every wrong field named at once, and
//! their life: expiry by date, renewal, closing and reopening at a version, racing corrections.

use ipoc_tests::{TestApp, each_backend, uscc};
use serde_json::{Value, json};

/// A demand for a transfer in 新材料, valid to `until`, seen by `visibility`, with a contact.
fn demand(visibility: &str, until: &str) -> Value {
    json!({"title": "寻求高首效硅碳负极量产工艺", "description": "我司动力电池产线需要首次效率高于 88% 的负极材料，希望受让成熟专利。",
           "industry": "新材料", "ipc": ["H01M 4/36"], "keywords": ["负极", "硅碳"], "wanted_mode": "transfer",
           "budget_min": "500,000", "budget_max": "2000000", "valid_until": until, "visibility": visibility,
           "contact": {"name": "李工", "phone": "13800000000", "email": "li@factory.example.cn"}})
}

/// `method path` with `body` as `token`: the status and the answer.
async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: &Value,
) -> (u16, Value) {
    let r = app.send_json(method, path, Some(token), body).await;
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// The demands list (and the page's download) as `token` reads them.
async fn seen(app: &TestApp, token: &str) -> (Value, String) {
    let list: Value = app
        .get("/api/v1/demands", Some(token))
        .await
        .json()
        .await
        .unwrap();
    let csv = app.page_as(token, "/demands?format=csv").await;
    (list, csv)
}

each_backend! {
    async fn demands_are_read_within_their_visibility_and_anonymous_to_outsiders(app) {
        let ours = app.member_of(7201, "enterprise", "需求企业").await;
        let other = app.member_of(7202, "enterprise", "需求企业").await;
        let university = app.member_of(7203, "university", "需求企业").await;
        let center = app.center(7210, "national", "320505").await;
        let elsewhere = app.center(7220, "national", "440305").await;
        let join = json!({"uscc": uscc(7201), "joined_on": "2025-01-01"});
        assert_eq!(app.post_json(&format!("/api/v1/centers/{}/members", center.id), Some(&center.token), &join).await.status(), 201);
        let post = reqwest::Method::POST;
        let (status, alliance) = send(&app, post.clone(), "/api/v1/demands", &ours, &demand("alliance", "2027-06-30")).await;
        assert_eq!(status, 201, "{alliance}");
        assert_eq!((alliance["status"].as_str(), alliance["budget_min"].as_str(), alliance["wanted_mode"].as_str()), (Some("open"), Some("500000.00"), Some("transfer")));
        assert_eq!((alliance["member"]["uscc"].clone(), alliance["contact"]["name"].clone()), (json!(uscc(7201)), json!("李工")));
        let mut anonymous = demand("platform", "2027-06-30");
        anonymous["anonymous"] = json!(true);
        anonymous["title"] = json!("征集工业视觉缺陷检测算法合作");
        let (status, platform) = send(&app, post.clone(), "/api/v1/demands", &ours, &anonymous).await;
        assert_eq!(status, 201, "{platform}");
        // who reads what: the alliance's demand only inside; the anonymous one without its name outside
        let (cnipa, _) = app.login_as(ipoc::domain::users::Role::Cnipa).await;
        let (office, _) = app.office("320000").await;
        let (far_office, _) = app.office("440000").await;
        for (token, count, named, who) in [(&ours, 2, true, "the member"), (&center.token, 2, true, "its center"),
            (&other, 1, false, "another enterprise"), (&elsewhere.token, 1, false, "another center"),
            (&cnipa, 2, false, "cnipa"), (&office, 2, false, "the region's office"), (&far_office, 1, false, "another region's office")] {
            let (list, csv) = seen(&app, token).await;
            assert_eq!(list["total"], count, "{who}: {list}");
            let anonymous_item = list["items"].as_array().unwrap().iter().find(|d| d["id"] == platform["id"]).unwrap();
            assert_eq!(anonymous_item["member"].is_object(), named, "{who} sees the anonymous member's name: {named}");
            assert_eq!(list.to_string().contains("13800000000"), named, "{who}: the contact only to the member and its centers");
            assert!(!csv.contains("13800000000") && !csv.contains("李工"), "{who}: never a contact in a download");
            assert_eq!(csv.contains("需求企业7201"), count == 2 || named, "{who}: the name in the download as in the list");
        }
        let path = format!("/api/v1/demands/{}", alliance["id"]);
        assert_eq!(app.get(&path, Some(&other)).await.status(), 404, "outside its visibility: not found");
        assert_eq!(app.get(&path, Some(&elsewhere.token)).await.status(), 404);
        // only enterprises register; a center registers for an enterprise of its alliance, recorded as such
        assert_eq!(send(&app, post.clone(), "/api/v1/demands", &university, &demand("alliance", "2027-06-30")).await.0, 403);
        let mut for_member = demand("alliance", "2027-06-30");
        for_member["member_uscc"] = json!(uscc(7201));
        let (status, body) = send(&app, post.clone(), "/api/v1/demands", &center.token, &for_member).await;
        assert_eq!(status, 201, "{body}");
        assert_eq!((body["member"]["uscc"].clone(), body["registered_on_behalf"]["center_id"].clone()), (json!(uscc(7201)), json!(center.id)));
        for_member["member_uscc"] = json!(uscc(7202));
        let (status, body) = send(&app, post.clone(), "/api/v1/demands", &center.token, &for_member).await;
        assert_eq!((status, body["error"]["fields"]["member_uscc"].is_array()), (422, true), "not of its alliance: {body}");
        let mut foreign = demand("alliance", "2027-06-30");
        foreign["member_uscc"] = json!(uscc(7201));
        assert_eq!(send(&app, post.clone(), "/api/v1/demands", &other, &foreign).await.0, 422, "a member registers only its own");
        // only those who manage it correct it: a reader of a platform demand gets 403, an outsider 404
        let patch = json!({"title": "改", "version": 1});
        let platform_path = format!("/api/v1/demands/{}", platform["id"]);
        assert_eq!(send(&app, reqwest::Method::PATCH, &platform_path, &other, &patch).await.0, 403);
        assert_eq!(send(&app, reqwest::Method::PATCH, &path, &other, &patch).await.0, 404);
        assert_eq!(app.audit_count("demand.create").await, 3, "nothing refused was kept");
    }
}

each_backend! {
    async fn every_wrong_field_of_a_demand_is_named_at_once(app) {
        let ours = app.member_of(7301, "enterprise", "需求企业").await;
        let wrong = json!({"title": " ", "description": "", "industry": "不存在的产业", "ipc": ["电池"], "keywords": ["x".repeat(31)],
            "budget_min": "300万", "budget_max": "1", "valid_until": "2026-11-20", "contact": {"name": "李工", "email": "no-at-sign"}});
        let (status, body) = send(&app, reqwest::Method::POST, "/api/v1/demands", &ours, &wrong).await;
        assert_eq!(status, 422, "{body}");
        let fields: Vec<&str> = body["error"]["fields"].as_object().unwrap().keys().map(String::as_str).collect();
        for field in ["title", "description", "industry", "ipc[0]", "keywords[0]", "wanted_mode", "visibility", "budget_min", "valid_until", "contact.email"] {
            assert!(fields.contains(&field), "{field} named: {fields:?}");
        }
        let said = body["error"]["fields"]["valid_until"][0].as_str().unwrap();
        assert!(said.contains("2026-11-21"), "names today: {said}");
        let mut reversed = demand("alliance", "2030-01-01");
        reversed["budget_min"] = json!("2000000");
        reversed["budget_max"] = json!("100000");
        let (status, body) = send(&app, reqwest::Method::POST, "/api/v1/demands", &ours, &reversed).await;
        assert_eq!(status, 422);
        assert!(body["error"]["fields"]["budget_max"].is_array() && body["error"]["fields"]["valid_until"].is_array(), "{body}");
        assert_eq!(app.get("/api/v1/demands?sort=newest", Some(&ours)).await.status(), 422, "a parameter not known is named");
        assert_eq!(app.get("/api/v1/demands?status=lost", Some(&ours)).await.status(), 422);
        assert_eq!(app.get("/api/v1/demands", Some(&ours)).await.json::<Value>().await.unwrap()["total"], 0, "nothing refused was kept");
    }
}

each_backend! {
    async fn a_demand_expires_by_itself_and_is_renewed_closed_and_reopened_at_its_version(app) {
        let ours = app.member_of(7401, "enterprise", "需求企业").await;
        let (status, created) = send(&app, reqwest::Method::POST, "/api/v1/demands", &ours, &demand("platform", "2026-11-30")).await;
        assert_eq!(status, 201, "{created}");
        let path = format!("/api/v1/demands/{}", created["id"]);
        // the same data on a later day: expired, listed only when asked for
        let later = app.another_instance_with(&[("IPOC_NOW", "2026-12-05T10:00:00+08:00")]).await;
        let client = reqwest::Client::new();
        let call = |method: reqwest::Method, path: String, body: Option<Value>| {
            let (client, later, ours) = (client.clone(), later.clone(), ours.clone());
            async move {
                let mut r = client.request(method, format!("{later}{path}")).bearer_auth(ours);
                if let Some(body) = body { r = r.json(&body); }
                let r = r.send().await.unwrap();
                (r.status().as_u16(), r.json::<Value>().await.unwrap_or(Value::Null))
            }
        };
        let get = reqwest::Method::GET;
        assert_eq!(call(get.clone(), path.clone(), None).await.1["status"], "expired");
        assert_eq!(call(get.clone(), "/api/v1/demands".into(), None).await.1["total"], 0);
        assert_eq!(call(get.clone(), "/api/v1/demands?status=expired".into(), None).await.1["total"], 1);
        let patch = reqwest::Method::PATCH;
        // a correction that keeps the past date is taken (closing it, say); renewing needs a day from today
        let (status, body) = call(patch.clone(), path.clone(), Some(json!({"valid_until": "2026-12-01", "version": 1}))).await;
        assert_eq!((status, body["error"]["fields"]["valid_until"].is_array()), (422, true), "{body}");
        // two renewals at one version at once: one wins, the other is told the version
        let (a, b) = tokio::join!(
            call(patch.clone(), path.clone(), Some(json!({"valid_until": "2027-03-31", "version": 1}))),
            call(patch.clone(), path.clone(), Some(json!({"valid_until": "2027-06-30", "version": 1}))),
        );
        let mut statuses = [a.0, b.0];
        statuses.sort();
        assert_eq!(statuses, [200, 409], "{a:?} {b:?}");
        let renewed = if a.0 == 200 { a.1 } else { b.1 };
        assert_eq!((renewed["status"].as_str(), renewed["version"].as_i64()), (Some("open"), Some(2)));
        let (status, closed) = call(patch.clone(), path.clone(), Some(json!({"status": "closed", "version": 2}))).await;
        assert_eq!((status, closed["status"].as_str()), (200, Some("closed")), "{closed}");
        assert_eq!(call(patch.clone(), path.clone(), Some(json!({"status": "closed", "version": 3}))).await.0, 409, "already closed");
        assert_eq!(call(patch.clone(), path.clone(), Some(json!({"status": "matched", "version": 3}))).await.0, 422, "matched comes from a deal");
        assert_eq!(call(patch.clone(), path.clone(), Some(json!({"status": "open", "version": 3}))).await.1["status"], "open");
        assert_eq!(app.audit_count("demand.update").await, 3);
    }
}

each_backend! {
    async fn a_demands_member_is_mailed_once_two_weeks_before_it_expires(app) {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let member = app.member_of(7601, "enterprise", "机构").await;
        let (status, body) = send(&app, reqwest::Method::POST, "/api/v1/demands", &member, &demand("platform", "2026-12-01")).await;
        assert_eq!(status, 201, "{body}");
        let id = body["id"].as_i64().unwrap();
        let mails = || {
            let db = app.db.clone();
            async move {
                entities::outbox::Entity::find()
                    .filter(entities::outbox::Column::Template.eq("demand_expiring"))
                    .all(&db)
                    .await
                    .unwrap()
            }
        };
        // ten days before: two instances start at once, and one restarts — one mail
        tokio::join!(app.another_instance(), app.another_instance());
        app.another_instance().await;
        let sent = mails().await;
        assert_eq!(sent.len(), 1, "once");
        assert_eq!(sent[0].recipient, "member-7601@example.test");
        assert!(sent[0].body_text.contains("2026-12-01") && sent[0].body_text.contains("10 天后"), "{}", sent[0].body_text);
        // renewed: nothing until two weeks before the new date, then one more
        let renew = json!({"version": body["version"], "valid_until": "2027-06-30"});
        assert_eq!(send(&app, reqwest::Method::PATCH, &format!("/api/v1/demands/{id}"), &member, &renew).await.0, 200);
        app.another_instance_with(&[("IPOC_NOW", "2027-06-01")]).await;
        assert_eq!(mails().await.len(), 1, "not a month before");
        app.another_instance_with(&[("IPOC_NOW", "2027-06-20")]).await;
        assert_eq!(mails().await.len(), 2, "two weeks before the new date");
    }
}
