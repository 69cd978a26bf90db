//! An application's attachments.

use ipoc::domain::users::Role;
use ipoc_tests::{backends, spawn_app_with};
use serde_json::{Value, json};

use crate::support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attachments_are_pdf_or_images_within_the_size_limit() {
    for backend in backends() {
        let app = spawn_app_with(&backend, &[("IPOC_ATTACHMENT_MAX_MB", "1")]).await;
        let center = app.center(16, "national", "320505").await;
        let (_, created) = post(
            &app,
            &format!("/api/v1/centers/{}/applications", center.id),
            &center.token,
            narratives(),
        )
        .await;
        let id = created["id"].as_i64().unwrap();
        let path = format!("/api/v1/applications/{id}/attachments");
        let pdf =
            b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
                .to_vec();
        let r = app
            .upload(&path, &center.token, "营业执照.pdf", pdf.clone())
            .await;
        assert_eq!(r.status(), 201);
        let attachment: Value = r.json().await.unwrap();
        assert_eq!(
            (
                attachment["content_type"].as_str(),
                attachment["size_bytes"].as_u64()
            ),
            (Some("application/pdf"), Some(pdf.len() as u64))
        );
        // a text file named .pdf is refused: the type comes from the bytes
        let r = app
            .upload(
                &path,
                &center.token,
                "伪装.pdf",
                b"just text, not a PDF".to_vec(),
            )
            .await;
        assert_eq!(r.status(), 422);
        let body: Value = r.json().await.unwrap();
        assert!(
            body["error"]["fields"]["file"][0]
                .as_str()
                .unwrap()
                .contains("PDF"),
            "{body}"
        );
        let mut large = b"%PDF-1.7\n".to_vec();
        large.resize(1_200_000, b' ');
        let r = app.upload(&path, &center.token, "large.pdf", large).await;
        assert_eq!(r.status(), 413, "above IPOC_ATTACHMENT_MAX_MB");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"]["code"], "too_large");
        assert!(
            body["error"]["message"].as_str().unwrap().contains("1 MiB"),
            "the limit is named: {body}"
        );
        // readers download it; another center does not see it
        let (cnipa, _) = app.login_as(Role::Cnipa).await;
        let file = format!("{path}/{}", attachment["id"]);
        let r = app.get(&file, Some(&cnipa)).await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], "application/pdf");
        assert_eq!(r.bytes().await.unwrap().to_vec(), pdf);
        let (stranger, _) = app.login_as(Role::Center).await;
        assert_eq!(app.get(&file, Some(&stranger)).await.status(), 404);
        let seen: Value = app
            .get(&format!("/api/v1/applications/{id}"), Some(&cnipa))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(seen["attachments"].as_array().unwrap().len(), 1);
        // a submitted application takes no more files
        app.deal(&center, "transfer", "100.00", "2025-01-01").await;
        assert_eq!(
            post(
                &app,
                &format!("/api/v1/applications/{id}/submit"),
                &center.token,
                json!({})
            )
            .await
            .0,
            200
        );
        assert_eq!(
            app.upload(&path, &center.token, "late.pdf", pdf)
                .await
                .status(),
            409
        );
    }
}
