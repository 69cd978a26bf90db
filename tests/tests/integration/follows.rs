//! Following listings over the API: an enterprise's member keeps favourites (twice is once), reads
//! them newest first while they are listed, lets them go; others may not; a listing it cannot read
//! is 404. A subscriber is mailed each change of a listing once, across instances.

use ipoc_tests::{TestApp, each_backend};
use serde_json::{Value, json};

/// A listing of `owner` numbered `body` (seven digits after 2018 1).
async fn listed(app: &TestApp, owner: &str, body: &str, title: &str) -> i64 {
    let number = ipoc::domain::identifiers::PatentNumber::from_body(&format!("20181{body}"))
        .unwrap()
        .to_string();
    let listing = json!({"application_number": number, "title": title, "abstract": "收藏测试。", "ipc": ["C09D 5/08"],
        "industry": "新材料", "legal_status": "pending", "offered_modes": ["license"]});
    let r = app
        .send_json(
            reqwest::Method::POST,
            "/api/v1/patents",
            Some(owner),
            &listing,
        )
        .await;
    assert_eq!(r.status(), 201);
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

each_backend! {
    async fn an_enterprise_keeps_favourites_and_nobody_else_does(app) {
        let owner = app.member_of(7701, "university", "机构").await;
        let buyer = app.member_of(7702, "enterprise", "机构").await;
        let (first, second) = (listed(&app, &owner, "0700001", "一种防腐涂层").await, listed(&app, &owner, "0700002", "一种导热垫片").await);
        let keep = |id: i64| format!("/api/v1/patents/{id}/favourite");
        let send = async |method: reqwest::Method, path: &str, token: &str| app.send_json(method, path, Some(token), &Value::Null).await.status().as_u16();
        assert_eq!(send(reqwest::Method::POST, &keep(first), &buyer).await, 201);
        // the same request twice at once: one favourite
        let twice = keep(second);
        let (a, b) = tokio::join!(send(reqwest::Method::POST, &twice, &buyer), send(reqwest::Method::POST, &twice, &buyer));
        let mut statuses = [a, b];
        statuses.sort();
        assert!(statuses == [200, 201] || statuses == [201, 201], "{statuses:?}");
        let mine: Value = app.get("/api/v1/favourites", Some(&buyer)).await.json().await.unwrap();
        let titles: Vec<&str> = mine.as_array().unwrap().iter().map(|l| l["title"].as_str().unwrap()).collect();
        assert_eq!(titles, vec!["一种导热垫片", "一种防腐涂层"], "the latest kept first, each once");
        // a withdrawn listing leaves the list; letting go twice is fine
        let r = app.send_json(reqwest::Method::POST, &format!("/api/v1/patents/{first}/withdraw"), Some(&owner), &json!({"version": 1})).await;
        assert_eq!(r.status(), 200);
        let mine: Value = app.get("/api/v1/favourites", Some(&buyer)).await.json().await.unwrap();
        assert_eq!(mine.as_array().map(Vec::len), Some(1));
        assert_eq!(send(reqwest::Method::DELETE, &keep(second), &buyer).await, 204);
        assert_eq!(send(reqwest::Method::DELETE, &keep(second), &buyer).await, 204);
        let mine: Value = app.get("/api/v1/favourites", Some(&buyer)).await.json().await.unwrap();
        assert_eq!(mine, json!([]));
        // only an enterprise's members keep favourites; a listing the caller cannot read is 404
        assert_eq!(send(reqwest::Method::POST, &keep(second), &owner).await, 403);
        let (cnipa, _) = app.login_as(ipoc::domain::users::Role::Cnipa).await;
        assert_eq!(send(reqwest::Method::POST, &keep(second), &cnipa).await, 403);
        assert_eq!(app.get("/api/v1/favourites", Some(&cnipa)).await.status(), 403);
        assert_eq!(send(reqwest::Method::POST, &keep(first), &buyer).await, 404, "withdrawn, not the caller's");
        assert_eq!(send(reqwest::Method::POST, &keep(999_999), &buyer).await, 404);
    }
}

each_backend! {
    async fn a_subscriber_is_mailed_each_change_of_a_listing_once(app) {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let owner = app.member_of(7711, "university", "机构").await;
        let buyer = app.member_of(7712, "enterprise", "机构").await;
        app.member_of(7713, "enterprise", "机构").await;
        let id = listed(&app, &owner, "0700011", "一种柔性传感器").await;
        let subscription = format!("/api/v1/patents/{id}/subscription");
        assert_eq!(app.send_json(reqwest::Method::POST, &subscription, Some(&buyer), &Value::Null).await.status(), 201);
        let mails = || {
            let db = app.db.clone();
            async move {
                entities::outbox::Entity::find()
                    .filter(entities::outbox::Column::Template.eq("listing_changed"))
                    .all(&db)
                    .await
                    .unwrap()
            }
        };
        // a new price: one mail to the subscriber, by whichever instance runs the schedule first
        let priced = json!({"version": 1, "asking_price": "300000"});
        assert_eq!(app.send_json(reqwest::Method::PATCH, &format!("/api/v1/patents/{id}"), Some(&owner), &priced).await.status(), 200);
        let retitled = json!({"version": 2, "title": "一种柔性压力传感器"});
        assert_eq!(app.send_json(reqwest::Method::PATCH, &format!("/api/v1/patents/{id}"), Some(&owner), &retitled).await.status(), 200);
        tokio::join!(app.another_instance(), app.another_instance());
        let sent = mails().await;
        assert_eq!(sent.len(), 1, "the price once; a new title is not a change of terms");
        assert_eq!(sent[0].recipient, "member-7712@example.test");
        assert!(sent[0].body_text.contains("报价") && sent[0].body_text.contains("一种柔性压力传感器"), "{}", sent[0].body_text);
        // withdrawn: one more; after unsubscribing, nothing
        let r = app.send_json(reqwest::Method::POST, &format!("/api/v1/patents/{id}/withdraw"), Some(&owner), &json!({"version": 3})).await;
        assert_eq!(r.status(), 200);
        app.another_instance().await;
        let sent = mails().await;
        assert_eq!(sent.len(), 2);
        assert!(sent[1].body_text.contains("已撤下"), "{}", sent[1].body_text);
        let r = app.send_json(reqwest::Method::POST, &format!("/api/v1/patents/{id}/relist"), Some(&owner), &json!({"version": 4})).await;
        assert_eq!(r.status(), 200);
        assert_eq!(app.send_json(reqwest::Method::DELETE, &subscription, Some(&buyer), &Value::Null).await.status(), 204);
        app.another_instance().await;
        assert_eq!(mails().await.len(), 2, "no mail after unsubscribing");
    }
}
