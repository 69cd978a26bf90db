//! Report reminders and overdue notices, each sent once across restarts and instances.

use ipoc::domain::users::Role;
use ipoc_tests::{backends, spawn_app_with};
use serde_json::json;

use crate::support::*;

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
