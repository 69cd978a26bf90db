//! A utility model's or design's patent evaluation report (专利权评价报告), which an open licence
//! of it needs: uploaded by those who manage the listing, downloaded by its readers.

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use entities::listing_facts as facts;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use sha2::{Digest, Sha256};

use super::facts::{FactView, view};
use crate::{
    auth::CurrentUser,
    domain::{accreditation::attachments::Upload, audit::AuditEntry},
    error::AppError,
    i18n::Msg,
};

/// Records `upload` as the evaluation report of listing `id` (a utility model or design; 422 on
/// `file` for an invention, or for a file that is not a PDF, PNG or JPEG of at most `max_bytes`).
pub async fn attach(
    db: &DatabaseConnection,
    (data_dir, max_bytes): (&Path, usize),
    user: &CurrentUser,
    id: i32,
    upload: Upload<'_>,
    (today, now): (NaiveDate, DateTime<Utc>),
) -> Result<FactView, AppError> {
    let (listing, _) = crate::domain::market::listings::managed(db, user, id).await?;
    if listing.patent_type == "invention" {
        return Err(AppError::field(
            "file",
            Msg::new(
                "发明专利无需专利权评价报告",
                "an invention needs no evaluation report",
            ),
        ));
    }
    let content_type = crate::files::sniffed_type(upload.bytes, max_bytes)?;
    let (stored_name, path) = crate::files::store(data_dir, upload.bytes).await?;
    let saved = crate::db::write(db, async |txn| {
        let row = facts::ActiveModel {
            listing_id: Set(id),
            fact: Set("evaluation_report".into()),
            file_name: Set(Some(upload.file_name.chars().take(200).collect())),
            content_type: Set(Some(content_type.into())),
            size_bytes: Set(i64::try_from(upload.bytes.len()).ok()),
            sha256: Set(Some(format!("{:x}", Sha256::digest(upload.bytes)))),
            stored_name: Set(Some(stored_name.clone())),
            from_date: Set(Some(today)),
            recorded_by: Set(user.id),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        AuditEntry::new(
            Some(user.id),
            "listing.evaluation_report",
            "patent_listing",
            id,
        )
        .after(&row.sha256)
        .write(txn, now)
        .await?;
        Ok(row)
    })
    .await;
    if saved.is_err() {
        // nothing refers to the file: do not keep it
        let _ = std::fs::remove_file(&path);
    }
    Ok(view(saved?, today))
}

/// Whether `user` may upload listing `id`'s report (404 or 403 otherwise), asked before the
/// upload is read.
pub async fn may_attach(
    db: &DatabaseConnection,
    user: &CurrentUser,
    id: i32,
) -> Result<(), AppError> {
    crate::domain::market::listings::managed(db, user, id)
        .await
        .map(|_| ())
}

/// The latest evaluation report of listing `id` (as `user` may read it): its row and bytes.
pub async fn latest(
    db: &DatabaseConnection,
    data_dir: &Path,
    user: &CurrentUser,
    id: i32,
) -> Result<(facts::Model, Vec<u8>), AppError> {
    crate::domain::market::listings::get(db, user, id).await?;
    let row = facts::Entity::find()
        .filter(facts::Column::ListingId.eq(id))
        .filter(facts::Column::Fact.eq("evaluation_report"))
        .order_by_desc(facts::Column::Id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let bytes = crate::files::read(data_dir, row.stored_name.as_deref().unwrap_or("")).await?;
    Ok((row, bytes))
}
