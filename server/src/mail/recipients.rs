//! Who is told about a step: the e-mail addresses of the enabled users in a role and scope.

use entities::users;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::{domain::users::Role, error::AppError};

async fn emails(
    db: &impl ConnectionTrait,
    filter: sea_orm::Condition,
) -> Result<Vec<String>, AppError> {
    Ok(users::Entity::find()
        .select_only()
        .column(users::Column::Email)
        .filter(filter.add(users::Column::Disabled.eq(false)))
        .into_tuple()
        .all(db)
        .await?)
}

/// The staff of center `center_id`.
pub async fn center_staff(
    db: &impl ConnectionTrait,
    center_id: i32,
) -> Result<Vec<String>, AppError> {
    emails(
        db,
        sea_orm::Condition::all()
            .add(users::Column::Role.eq(Role::Center.as_str()))
            .add(users::Column::CenterId.eq(center_id)),
    )
    .await
}

/// Every cnipa user.
pub async fn cnipa(db: &impl ConnectionTrait) -> Result<Vec<String>, AppError> {
    emails(
        db,
        sea_orm::Condition::all().add(users::Column::Role.eq(Role::Cnipa.as_str())),
    )
    .await
}

/// The local office users whose jurisdiction is exactly `region_code`.
pub async fn local_office(
    db: &impl ConnectionTrait,
    region_code: &str,
) -> Result<Vec<String>, AppError> {
    emails(
        db,
        sea_orm::Condition::all()
            .add(users::Column::Role.eq(Role::LocalOffice.as_str()))
            .add(users::Column::RegionCode.eq(region_code)),
    )
    .await
}

/// The user `user_id`.
pub async fn user(db: &impl ConnectionTrait, user_id: i32) -> Result<Vec<String>, AppError> {
    emails(
        db,
        sea_orm::Condition::all().add(users::Column::Id.eq(user_id)),
    )
    .await
}
