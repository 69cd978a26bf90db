//! The admin-managed list of industries a center belongs to.

use chrono::{DateTime, Utc};
use entities::industries;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::{domain::audit::AuditEntry, error::AppError, i18n::Msg};

/// Whether `name` is an active industry of the list.
pub(super) async fn industry_exists(
    db: &impl ConnectionTrait,
    name: &str,
) -> Result<bool, AppError> {
    Ok(industries::Entity::find()
        .filter(industries::Column::Name.eq(name))
        .filter(industries::Column::Active.eq(true))
        .one(db)
        .await?
        .is_some())
}

/// One industry of the list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IndustryView {
    pub id: i32,
    pub name: String,
}

/// The active industries in list order.
pub async fn industries(db: &impl ConnectionTrait) -> Result<Vec<IndustryView>, AppError> {
    Ok(industries::Entity::find()
        .filter(industries::Column::Active.eq(true))
        .order_by_asc(industries::Column::SortOrder)
        .all(db)
        .await?
        .into_iter()
        .map(|i| IndustryView {
            id: i.id,
            name: i.name,
        })
        .collect())
}

/// Adds an industry to the list (admin; 409 when it exists).
pub async fn add_industry(
    db: &DatabaseConnection,
    actor_user_id: i32,
    name: &str,
    now: DateTime<Utc>,
) -> Result<IndustryView, AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 50 {
        return Err(AppError::field(
            "name",
            Msg::new(
                "产业名称不能为空，且不超过 50 个字符",
                "name is required, at most 50 characters",
            ),
        ));
    }
    crate::db::write(db, async |txn| {
        let next = industries::Entity::find()
            .order_by_desc(industries::Column::SortOrder)
            .one(txn)
            .await?
            .map_or(1, |i| i.sort_order + 1);
        let industry = industries::ActiveModel {
            name: Set(name.to_string()),
            sort_order: Set(next),
            active: Set(true),
            ..Default::default()
        }
        .insert(txn)
        .await
        .map_err(|e| match AppError::from(e) {
            AppError::Conflict(_) => AppError::Conflict(Msg::new(
                format!("产业“{name}”已在目录中"),
                format!("industry '{name}' is already listed"),
            )),
            other => other,
        })?;
        let view = IndustryView {
            id: industry.id,
            name: industry.name,
        };
        AuditEntry::new(Some(actor_user_id), "industry.create", "industry", view.id)
            .after(&view)
            .write(txn, now)
            .await?;
        Ok(view)
    })
    .await
}
