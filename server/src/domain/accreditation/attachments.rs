//! Attachments of an application: PDF or images, at most `IPOC_ATTACHMENT_MAX_MB` (see
//! [`crate::files`] for how they are checked and stored).

use std::path::Path;

use chrono::{DateTime, Utc};
use entities::{application_attachments, applications};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::editable;
use crate::{auth::CurrentUser, domain::audit::AuditEntry, error::AppError};

/// An attachment as readers see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttachmentView {
    pub id: i32,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub created_at: DateTime<Utc>,
}

impl From<application_attachments::Model> for AttachmentView {
    fn from(m: application_attachments::Model) -> Self {
        AttachmentView {
            id: m.id,
            file_name: m.file_name,
            content_type: m.content_type,
            size_bytes: m.size_bytes,
            sha256: m.sha256,
            created_at: m.created_at,
        }
    }
}

/// The live attachments of an application, in upload order.
pub async fn list(
    db: &impl ConnectionTrait,
    application_id: i32,
) -> Result<Vec<application_attachments::Model>, AppError> {
    Ok(application_attachments::Entity::find()
        .filter(application_attachments::Column::ApplicationId.eq(application_id))
        .filter(application_attachments::Column::DeletedAt.is_null())
        .order_by_asc(application_attachments::Column::Id)
        .all(db)
        .await?)
}

/// An uploaded file: the name it came with and its bytes.
pub struct Upload<'a> {
    pub file_name: &'a str,
    pub bytes: &'a [u8],
}

/// The live attachments of the applications `ids`, by application id (one query).
pub async fn of_applications(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<std::collections::BTreeMap<i32, Vec<application_attachments::Model>>, AppError> {
    let mut by_application: std::collections::BTreeMap<i32, Vec<_>> = Default::default();
    for a in application_attachments::Entity::find()
        .filter(application_attachments::Column::ApplicationId.is_in(ids.iter().copied()))
        .filter(application_attachments::Column::DeletedAt.is_null())
        .order_by_asc(application_attachments::Column::Id)
        .all(db)
        .await?
    {
        by_application.entry(a.application_id).or_default().push(a);
    }
    Ok(by_application)
}

/// Attaches `upload` to a draft or returned application (its staff): refused (422 on `file`)
/// above `max_bytes` or when the bytes are not a PDF, PNG or JPEG.
pub async fn attach(
    db: &DatabaseConnection,
    data_dir: &Path,
    user: &CurrentUser,
    application: &applications::Model,
    upload: Upload<'_>,
    max_bytes: usize,
    now: DateTime<Utc>,
) -> Result<application_attachments::Model, AppError> {
    let Upload { file_name, bytes } = upload;
    editable(application)?;
    let content_type = crate::files::sniffed_type(bytes, max_bytes)?;
    let (stored_name, path) = crate::files::store(data_dir, bytes).await?;
    let saved = async {
        crate::db::write(db, async |txn| {
            let row = application_attachments::ActiveModel {
                application_id: Set(application.id),
                file_name: Set(file_name.chars().take(200).collect()),
                content_type: Set(content_type.to_string()),
                size_bytes: Set(i64::try_from(bytes.len()).unwrap_or(i64::MAX)),
                sha256: Set(format!("{:x}", Sha256::digest(bytes))),
                stored_name: Set(stored_name.clone()),
                uploaded_by: Set(user.id),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            AuditEntry::new(
                Some(user.id),
                "application.attach",
                "application",
                application.id,
            )
            .after(&AttachmentView::from(row.clone()))
            .write(txn, now)
            .await?;
            Ok(row)
        })
        .await
    }
    .await;
    if saved.is_err() {
        // nothing refers to the file: do not keep it
        let _ = std::fs::remove_file(&path);
    }
    saved
}

/// The stored bytes of attachment `attachment_id` of `application_id`.
pub async fn read(
    db: &impl ConnectionTrait,
    data_dir: &Path,
    application_id: i32,
    attachment_id: i32,
) -> Result<(application_attachments::Model, Vec<u8>), AppError> {
    let attachment = application_attachments::Entity::find_by_id(attachment_id)
        .filter(application_attachments::Column::ApplicationId.eq(application_id))
        .filter(application_attachments::Column::DeletedAt.is_null())
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let bytes = crate::files::read(data_dir, &attachment.stored_name).await?;
    Ok((attachment, bytes))
}
