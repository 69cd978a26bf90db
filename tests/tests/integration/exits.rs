//! Exits: proposed when the rules say so, decided by cnipa, effective after notice.

use ipoc::domain::users::Role;
use ipoc_tests::{backends, spawn_app_with};
use serde_json::{Value, json};

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
        let during = public(before.clone()).await;
        assert!(on_list(&during), "still listed during the notice");
        let listed = during
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == center.id)
            .unwrap();
        assert_eq!(
            listed["exit_notice_ends_on"], "2026-11-26",
            "the list says the exit is under notice, and until when"
        );
        let page = app
            .api
            .get(format!("{before}/public/centers/{}", center.id))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("退出公示中（公示截止 2026-11-26）"),
            "the center's public page too"
        );
        // and wherever its status shows to those who sign in: its own page, the dashboard
        for (path, token) in [
            (format!("/centers/{}", center.id), &center.token),
            ("/dashboard".to_string(), &cnipa),
        ] {
            let page = app
                .api
                .get(format!("{before}{path}"))
                .header("Cookie", format!("ipoc_session={token}"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert!(
                page.contains("退出公示中 · 公示截止 2026-11-26"),
                "{path} shows the notice"
            );
        }
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
