//! Accreditation's mail through a real SMTP server: exactly once across outages and instances.

use ipoc_tests::{SmtpServer, backends, spawn_app_with};
use serde_json::Value;

use crate::support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_reaches_the_smtp_server_exactly_once_across_an_outage() {
    for backend in backends() {
        let mut smtp = SmtpServer::start().await;
        let url = smtp.url();
        let app = spawn_app_with(
            &backend,
            &[("IPOC_SMTP_URL", &url), ("IPOC_MAIL_RETRY_SECONDS", "1")],
        )
        .await;
        let center = passing_center(&app, 15).await;
        let (_, office_email) = app.office("320000").await;
        smtp.stop();
        let id = submitted(&app, &center).await;
        // the worker tries and fails while the server is down; the submission stands
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        let seen: Value = app
            .get(&format!("/api/v1/applications/{id}"), Some(&center.token))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(seen["status"], "submitted");
        smtp.restart().await;
        let received = smtp.wait_for(&office_email, 1, 30).await;
        assert_eq!(received.len(), 1, "delivered after the outage");
        tokio::time::sleep(std::time::Duration::from_secs(3)).await;
        let received = smtp.messages_to(&office_email);
        assert_eq!(received.len(), 1, "exactly once");
        let text = SmtpServer::decoded_parts(&received[0]);
        assert!(
            text.contains("提交了认定申请") && text.contains("submitted its application"),
            "Chinese with the English copy below: {text}"
        );
        assert!(
            text.contains(&format!("/applications/{id}")),
            "a link to the application: {text}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mail_sent_again_keeps_the_message_id_made_with_its_row() {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    for backend in backends() {
        // the server stores the first delivery but its answer is lost: ipoc sends it again
        let smtp = SmtpServer::start_losing_answers(1).await;
        let url = smtp.url();
        let app = spawn_app_with(
            &backend,
            &[("IPOC_SMTP_URL", &url), ("IPOC_MAIL_RETRY_SECONDS", "1")],
        )
        .await;
        let center = passing_center(&app, 16).await;
        let (_, office_email) = app.office("320000").await;
        submitted(&app, &center).await;
        let received = smtp.wait_for(&office_email, 2, 30).await;
        assert_eq!(
            received.len(),
            2,
            "delivered at least once: twice when an answer is lost"
        );
        let ids: Vec<String> = received
            .iter()
            .map(|m| SmtpServer::header(m, "Message-ID").expect("a Message-ID"))
            .collect();
        assert_eq!(ids[0], ids[1], "the same Message-ID on the retry: {ids:?}");
        assert!(
            ids[0].starts_with('<') && ids[0].ends_with("@ipoc.local>"),
            "at the sender's domain: {}",
            ids[0]
        );
        let row = entities::outbox::Entity::find()
            .filter(entities::outbox::Column::Recipient.eq(office_email.as_str()))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            row.message_id.as_deref(),
            Some(ids[0].as_str()),
            "the id stored with the row when the step wrote it"
        );
        assert_eq!((row.status.as_str(), row.attempts), ("sent", 2));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_never_send_the_same_mail_twice() {
    use sea_orm::ConnectionTrait;
    for backend in backends() {
        let smtp = SmtpServer::start().await;
        let url = smtp.url();
        let app = spawn_app_with(&backend, &[("IPOC_SMTP_URL", &url)]).await;
        app.another_instance().await;
        app.another_instance().await;
        // forty mails written at once, as forty steps would; three workers race for them
        let now = chrono::Utc::now();
        for n in 0..40 {
            let row = entities::outbox::ActiveModel {
                template: sea_orm::Set("submitted".into()),
                recipient: sea_orm::Set(format!("race-{n}@test.ipoc.cn")),
                subject: sea_orm::Set(format!("race {n}")),
                body_text: sea_orm::Set("text".into()),
                body_html: sea_orm::Set("<p>html</p>".into()),
                status: sea_orm::Set("pending".into()),
                attempts: sea_orm::Set(0),
                next_attempt_at: sea_orm::Set(now),
                created_at: sea_orm::Set(now),
                ..Default::default()
            };
            sea_orm::ActiveModelTrait::insert(row, &app.db)
                .await
                .unwrap();
        }
        for _ in 0..300 {
            if smtp.messages().len() >= 40 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        let messages = smtp.messages();
        assert_eq!(messages.len(), 40, "each mail once");
        let ids: std::collections::BTreeSet<String> = messages
            .iter()
            .map(|m| {
                SmtpServer::header(m, "Message-ID")
                    .expect("rows written without one get one when claimed")
            })
            .collect();
        assert_eq!(ids.len(), 40, "a Message-ID of its own for each");
        for n in 0..40 {
            assert_eq!(
                smtp.messages_to(&format!("race-{n}@test.ipoc.cn")).len(),
                1,
                "mail {n}"
            );
        }
        let sent = app
            .db
            .query_one_raw(sea_orm::Statement::from_string(
                app.db.get_database_backend(),
                "SELECT COUNT(*) AS n FROM outbox WHERE status = 'sent' AND attempts = 1",
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            sent.try_get::<i64>("", "n").unwrap(),
            40,
            "every mail sent at its first attempt"
        );
    }
}
