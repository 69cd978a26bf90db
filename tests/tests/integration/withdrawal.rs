use ipoc::domain::users::Role;
use ipoc_tests::{backends, spawn_app_with};
use serde_json::{Value, json};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_center_asks_to_withdraw_and_cnipa_confirms_it_as_an_exit() {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    for backend in backends() {
        let app = spawn_app_with(&backend, &[("IPOC_NOW", "2026-02-16")]).await;
        let center = app.center(51, "national", "320505").await;
        let (cnipa, _) = app.login_as(Role::Cnipa).await;
        let path = format!("/api/v1/centers/{}/withdrawal", center.id);
        let ask = |reason: &str| {
            let (app, path, token, body) = (
                &app,
                path.clone(),
                center.token.clone(),
                json!({"reason": reason}),
            );
            async move { app.post_json(&path, Some(&token), &body).await }
        };
        assert_eq!(
            ask("不再运营").await.status(),
            409,
            "only an accredited center withdraws"
        );
        app.post_json(
            &format!("/api/v1/centers/{}/cycles", center.id),
            Some(&cnipa),
            &json!({"start_date": "2024-06-01", "reason": "既有中心"}),
        )
        .await;
        let r = ask("  ").await;
        assert_eq!(r.status(), 422);
        let body: Value = r.json().await.unwrap();
        assert!(body["error"]["fields"]["reason"].is_array(), "{body}");
        assert_eq!(
            app.post_json(&path, Some(&cnipa), &json!({"reason": "x"}))
                .await
                .status(),
            403,
            "only its staff ask"
        );

        // two requests at once: one is recorded, the other is told one is open
        let (first, second) = tokio::join!(ask("主办单位调整"), ask("主办单位调整"));
        let mut statuses = [first.status().as_u16(), second.status().as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [201, 409]);
        let detail: Value = app
            .get(&format!("/api/v1/centers/{}", center.id), Some(&cnipa))
            .await
            .json()
            .await
            .unwrap();
        let proposals = detail["proposals"].as_array().unwrap();
        assert_eq!(proposals.len(), 1, "{detail}");
        assert_eq!(proposals[0]["kind"], "withdrawal");
        assert_eq!(proposals[0]["since"], "2026-02-16");
        assert!(
            proposals[0]["reason"]
                .as_str()
                .unwrap()
                .contains("主办单位调整")
        );
        let mails = entities::outbox::Entity::find()
            .filter(entities::outbox::Column::Template.eq("withdrawal_requested"))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(mails.len(), 1, "cnipa is mailed once");
        assert_eq!(app.audit_count("withdrawal.request").await, 1);

        // the staff change their mind, then ask again
        let r = app
            .send_json(
                reqwest::Method::DELETE,
                &path,
                Some(&center.token),
                &json!({}),
            )
            .await;
        assert_eq!(r.status(), 200);
        let r = app
            .send_json(
                reqwest::Method::DELETE,
                &path,
                Some(&center.token),
                &json!({}),
            )
            .await;
        assert_eq!(r.status(), 409, "nothing open to cancel");
        assert_eq!(ask("经营方向调整").await.status(), 201);

        // cnipa confirms with an exit decision; two sent at once record one
        let decide = || {
            let (app, path, token) = (
                &app,
                format!("/api/v1/centers/{}/decisions", center.id),
                cnipa.clone(),
            );
            async move {
                app.post_json(
                    &path,
                    Some(&token),
                    &json!({"kind": "exit", "reason": "中心申请退出，予以确认"}),
                )
                .await
            }
        };
        let (first, second) = tokio::join!(decide(), decide());
        let mut statuses = [first.status().as_u16(), second.status().as_u16()];
        statuses.sort_unstable();
        assert_eq!(statuses, [201, 409]);
        let exits = entities::decisions::Entity::find()
            .filter(entities::decisions::Column::CenterId.eq(i32::try_from(center.id).unwrap()))
            .filter(entities::decisions::Column::Kind.eq("exit"))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(exits.len(), 1);
        let history: Value = app
            .get(&path, Some(&center.token))
            .await
            .json()
            .await
            .unwrap();
        let states: Vec<&str> = history
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["status"].as_str().unwrap())
            .collect();
        assert_eq!(states, ["confirmed", "cancelled"], "newest first");
        let detail: Value = app
            .get(&format!("/api/v1/centers/{}", center.id), Some(&cnipa))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(detail["proposals"], json!([]), "the request is answered");
        assert_eq!(
            ask("再次申请").await.status(),
            409,
            "the exit is decided already"
        );
    }
}
