use ipoc::domain::users::Role;
use ipoc_tests::{PASSWORD, each_backend, uscc};
use serde_json::{Value, json};

each_backend! {
    async fn the_center_adds_withdraws_and_never_deletes_members(app) {
        let center = app.center(1, "national", "320505").await;
        let path = format!("/api/v1/centers/{}/members", center.id);
        let existing = app.organization(10, "university", &[]).await;
        let r = app.post_json(&path, Some(&center.token), &json!({"uscc": existing, "joined_on": "2024-09-01"})).await;
        assert_eq!(r.status(), 201);
        let membership: Value = r.json().await.unwrap();
        assert_eq!(membership["status"], "active");
        assert_eq!(app.post_json(&path, Some(&center.token), &json!({"uscc": existing})).await.status(), 409, "one active membership per organization");
        let new_org = json!({"organization": {"uscc": uscc(11), "name": "新成员科技有限公司", "kind": "enterprise", "region_code": "320506", "flags": ["tech_sme"]}});
        let r = app.post_json(&path, Some(&center.token), &new_org).await;
        assert_eq!(r.status(), 201);
        let created: Value = r.json().await.unwrap();
        assert_eq!(created["joined_on"], ipoc_tests::TODAY, "joined_on defaults to today");
        let future = json!({"uscc": uscc(11), "joined_on": "2026-11-22"});
        assert_eq!(app.post_json(&path, Some(&center.token), &future).await.status(), 422);
        assert_eq!(app.post_json(&path, Some(&center.token), &json!({"uscc": uscc(12)})).await.status(), 422, "unknown code without its fields");

        let withdraw = format!("{path}/{}/withdraw", membership["id"]);
        let early = app.post_json(&withdraw, Some(&center.token), &json!({"left_on": "2024-08-01"})).await;
        assert_eq!(early.status(), 422, "before it began");
        let r = app.post_json(&withdraw, Some(&center.token), &json!({})).await;
        assert_eq!(r.status(), 200);
        let left: Value = r.json().await.unwrap();
        assert_eq!(left["status"], "withdrawn");
        assert_eq!(left["left_on"], ipoc_tests::TODAY);
        assert_eq!(app.post_json(&withdraw, Some(&center.token), &json!({})).await.status(), 409);
        // it stays on record, and the organization may join again
        let all: Value = app.get(&format!("{path}?status=withdrawn"), Some(&center.token)).await.json().await.unwrap();
        assert_eq!(all["total"], 1);
        let overlap = app.post_json(&path, Some(&center.token), &json!({"uscc": existing, "joined_on": "2025-01-01"})).await;
        assert_eq!(overlap.status(), 409, "periods of one organization never overlap");
        assert_eq!(app.post_json(&path, Some(&center.token), &json!({"uscc": existing})).await.status(), 201);
        let export = app.get(&format!("{path}?format=csv"), Some(&center.token)).await.text().await.unwrap();
        assert!(export.contains("已退出") && export.contains("在册"));
    }
}

each_backend! {
    async fn the_same_organization_added_twice_at_once_is_one_membership(app) {
        let center = app.center(2, "national", "320505").await;
        let org = app.organization(20, "enterprise", &[]).await;
        let path = format!("/api/v1/centers/{}/members", center.id);
        let body = json!({"uscc": org});
        let (a, b, c) = tokio::join!(
            app.post_json(&path, Some(&center.token), &body),
            app.post_json(&path, Some(&center.token), &body),
            app.post_json(&path, Some(&center.token), &body)
        );
        let mut statuses = [a.status().as_u16(), b.status().as_u16(), c.status().as_u16()];
        statuses.sort();
        assert_eq!(statuses, [201, 409, 409]);
    }
}

each_backend! {
    async fn members_ask_to_join_and_the_center_decides(app) {
        let center = app.center(3, "national", "320505").await;
        let registration = json!({"email":"join@member.cn","password":PASSWORD,"organization":{"uscc":uscc(30),"name":"申请企业","kind":"enterprise","region_code":"320505"}});
        assert_eq!(app.post_json("/api/v1/auth/register", None, &registration).await.status(), 201);
        let member = app.login("join@member.cn", PASSWORD).await;
        let path = format!("/api/v1/centers/{}/join-requests", center.id);
        let r = app.post_json(&path, Some(&member), &json!({"message":"希望加入联盟"})).await;
        assert_eq!(r.status(), 201);
        let request: Value = r.json().await.unwrap();
        assert_eq!(request["status"], "pending");
        assert_eq!(app.post_json(&path, Some(&member), &json!({"message":"again"})).await.status(), 409);
        let mine: Value = app.get(&path, Some(&member)).await.json().await.unwrap();
        assert_eq!(mine.as_array().unwrap().len(), 1);
        let decline = format!("/api/v1/join-requests/{}/decline", request["id"]);
        let approve = format!("/api/v1/join-requests/{}/approve", request["id"]);
        assert_eq!(app.post_json(&decline, Some(&center.token), &json!({})).await.status(), 422, "declining needs a reason");
        assert_eq!(app.post_json(&approve, Some(&member), &json!({})).await.status(), 404, "the center lies outside a member's scope");
        let other = app.center(4, "national", "320505").await;
        assert_eq!(app.post_json(&approve, Some(&other.token), &json!({})).await.status(), 404);
        // approve and decline at once: exactly one decision stands
        let reason = json!({"reason":"不符合条件"});
        let empty = json!({});
        let (a, d) = tokio::join!(app.post_json(&approve, Some(&center.token), &empty), app.post_json(&decline, Some(&center.token), &reason));
        let mut statuses = [a.status().as_u16(), d.status().as_u16()];
        statuses.sort();
        assert_eq!(statuses, [200, 409]);
        let members: Value = app.get(&format!("/api/v1/centers/{}/members", center.id), Some(&center.token)).await.json().await.unwrap();
        let approved = a.status() == 200;
        assert_eq!(members["total"], if approved { 1 } else { 0 });
        let (expert, _) = app.login_as(Role::Expert).await;
        assert_eq!(app.post_json(&path, Some(&expert), &json!({"message":"x"})).await.status(), 403);
    }
}

each_backend! {
    async fn a_membership_is_corrected_at_its_version_like_any_ledger_record(app) {
        let center = app.center(3, "national", "320505").await;
        let path = format!("/api/v1/centers/{}/members", center.id);
        let org = app.organization(30, "enterprise", &[]).await;
        let other = app.organization(31, "university", &[]).await;
        let active = async || -> Value {
            app.get(&format!("{path}?status=active"), Some(&center.token)).await.json::<Value>().await.unwrap()["total"].clone()
        };
        let added: Value = app.post_json(&path, Some(&center.token), &json!({"uscc": org, "joined_on": "2025-03-01"})).await.json().await.unwrap();
        let one = format!("{path}/{}", added["id"]);
        let patch = async |body: Value| app.send_json(reqwest::Method::PATCH, &one, Some(&center.token), &body).await;

        let r = patch(json!({"joined_on": "2025-02-01", "version": 1})).await;
        assert_eq!(r.status(), 200);
        let corrected: Value = r.json().await.unwrap();
        assert_eq!((corrected["joined_on"].as_str(), corrected["version"].as_i64()), (Some("2025-02-01"), Some(2)));

        // two edits of one version at once: exactly one wins
        let (a, b) = tokio::join!(patch(json!({"joined_on": "2025-01-15", "version": 2})), patch(json!({"joined_on": "2025-01-20", "version": 2})));
        let mut statuses = [a.status().as_u16(), b.status().as_u16()];
        statuses.sort();
        assert_eq!(statuses, [200, 409]);

        let moved = patch(json!({"uscc": other, "version": 3})).await;
        assert_eq!(moved.status(), 422, "the organization of a membership never changes");
        assert!(moved.text().await.unwrap().contains("uscc"));
        let unknown = patch(json!({"notes": "x", "version": 3})).await;
        assert_eq!(unknown.status(), 422, "an unknown field is named, not ignored");
        assert_eq!(patch(json!({"left_on": "2024-12-31", "version": 3})).await.status(), 422, "left before it began");

        assert_eq!(active().await, 1);
        let ended: Value = patch(json!({"left_on": "2026-06-30", "version": 3})).await.json().await.unwrap();
        assert_eq!(ended["status"], "withdrawn");
        assert_eq!(active().await, 0, "a correction that ends it stops its count");
        // a later period of the same organization may not overlap the corrected one
        let later = app.post_json(&path, Some(&center.token), &json!({"uscc": org, "joined_on": "2026-07-01"})).await;
        assert_eq!(later.status(), 201);
        let later: Value = later.json().await.unwrap();
        let reopen = patch(json!({"left_on": null, "version": 4})).await;
        assert_eq!(reopen.status(), 409, "reopening it would overlap the later period");
        let said = reopen.text().await.unwrap();
        assert!(said.contains("在册成员") || said.contains("active membership"), "the answer says with what it clashes: {said}");
        let gone = app.api.delete(app.url(&format!("{path}/{}?version=1", later["id"]))).bearer_auth(&center.token).send().await.unwrap();
        assert_eq!(gone.status(), 200);
        let reopened: Value = patch(json!({"left_on": null, "version": 4})).await.json().await.unwrap();
        assert_eq!((reopened["status"].as_str(), reopened["version"].as_i64()), (Some("active"), Some(5)), "a withdrawal entered by mistake is undone");
        assert_eq!(active().await, 1);
    }
}
