//! Who may read and write a center's records ("readers of a center" in `api.md`).

use entities::centers;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait};

use super::{identifiers::RegionCode, users::Role};
use crate::{auth::CurrentUser, error::AppError};

/// Whether `user` reads `center`: its staff, cnipa, admin, the local office whose region holds it.
/// (Assigned experts join with the review issues.)
pub fn can_read(user: &CurrentUser, center: &centers::Model) -> bool {
    reads(user, center.id, &center.region_code)
}

/// Whether `user` reads the center `center_id` of region `region_code` (see [`can_read`]).
fn reads(user: &CurrentUser, center_id: i32, region_code: &str) -> bool {
    match user.role {
        Role::Admin | Role::Cnipa => true,
        Role::Center => user.center_id == Some(center_id),
        Role::LocalOffice => jurisdiction(user)
            .is_some_and(|j| RegionCode::parse(region_code).is_ok_and(|r| j.contains(&r))),
        Role::Expert | Role::Member => false,
    }
}

/// What a center's cached renderings were made from, if `user` reads the center (404 otherwise):
/// one narrow row instead of the center and its host.
pub async fn readable_center_stamp(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: i32,
) -> Result<crate::domain::metrics::ItemStamp, AppError> {
    use sea_orm::{QuerySelect, RelationTrait, sea_query::JoinType};
    let row: Option<(String, i32, i64, Option<i32>)> = centers::Entity::find_by_id(id)
        .select_only()
        .columns([
            centers::Column::RegionCode,
            centers::Column::Version,
            centers::Column::FiguresVersion,
        ])
        .column(entities::organizations::Column::Version)
        .join(JoinType::LeftJoin, centers::Relation::Host.def())
        .into_tuple()
        .one(db)
        .await?;
    match row {
        Some((region_code, version, figures_version, host_version))
            if reads(user, id, &region_code) =>
        {
            Ok(crate::domain::metrics::ItemStamp {
                version,
                figures_version,
                host_version: host_version.unwrap_or(0),
            })
        }
        _ => Err(AppError::NotFound),
    }
}

/// The region a local office answers for.
pub fn jurisdiction(user: &CurrentUser) -> Option<RegionCode> {
    user.region_code
        .as_deref()
        .and_then(|r| RegionCode::parse(r).ok())
}

/// The list filter matching the centers `user` reads in full (`None`: all of them).
pub fn readable_filter(user: &CurrentUser) -> Option<Condition> {
    match user.role {
        Role::Admin | Role::Cnipa => None,
        Role::Center => {
            Some(Condition::all().add(centers::Column::Id.eq(user.center_id.unwrap_or(-1))))
        }
        Role::LocalOffice => Some(match jurisdiction(user) {
            Some(j) if j.is_province() => {
                Condition::all().add(centers::Column::RegionCode.starts_with(j.province_prefix()))
            }
            Some(j) => {
                Condition::all().add(centers::Column::RegionCode.starts_with(j.city_prefix()))
            }
            None => Condition::all().add(centers::Column::Id.eq(-1)),
        }),
        Role::Expert | Role::Member => Some(Condition::all().add(centers::Column::Id.eq(-1))),
    }
}

/// The center if `user` reads it; 404 otherwise (a center outside one's scope does not exist).
pub async fn readable_center(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: i32,
) -> Result<centers::Model, AppError> {
    centers::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|c| can_read(user, c))
        .ok_or(AppError::NotFound)
}

/// The center and its host organization, in one query, if `user` reads it; 404 otherwise.
pub async fn readable_center_with_host(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: i32,
) -> Result<(centers::Model, Option<entities::organizations::Model>), AppError> {
    centers::Entity::find_by_id(id)
        .find_also_related(entities::organizations::Entity)
        .one(db)
        .await?
        .filter(|(c, _)| can_read(user, c))
        .ok_or(AppError::NotFound)
}

/// The center if `user` is its staff (only they write its records); 403 for its other readers,
/// 404 for everyone else.
pub async fn writable_center(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: i32,
) -> Result<centers::Model, AppError> {
    let center = readable_center(db, user, id).await?;
    if user.role == Role::Center && user.center_id == Some(center.id) {
        Ok(center)
    } else {
        Err(AppError::Forbidden)
    }
}
