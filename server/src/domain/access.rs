//! Who may read and write a center's records ("readers of a center" in `api.md`).

use entities::centers;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait};

use super::{identifiers::RegionCode, users::Role};
use crate::{auth::CurrentUser, error::AppError};

/// Whether `user` reads `center` by role and region: its staff, cnipa, admin, the local office
/// whose region holds it. (Assigned experts read through [`reviews_center`].)
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

/// The caller of the token `claims` and what the center's cached renderings were made from, in
/// one statement (the account row joined with the center's stamp): 401 for a token that is no
/// longer current, 404 when the caller does not read the center.
pub async fn caller_with_center_stamp(
    db: &impl ConnectionTrait,
    claims: &crate::auth::token::Claims,
    center_id: i32,
) -> Result<(CurrentUser, crate::domain::metrics::ItemStamp), AppError> {
    use sea_orm::{FromQueryResult, Statement};
    let sql = "SELECT u.*, c.region_code AS center_region, c.version AS center_version, \
               c.figures_version AS center_figures, c.lifecycle_version AS center_lifecycle, o.version AS host_version \
               FROM users u {} LEFT JOIN centers c ON c.id = $2 \
               LEFT JOIN organizations o ON o.id = c.host_organization_id WHERE u.id = $1";
    let sql = sql.replace("{}", &crate::auth::session::live_session_join(3));
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            sql,
            [
                claims.sub.into(),
                center_id.into(),
                claims.sid.clone().into(),
            ],
        ))
        .await?;
    let account = row
        .as_ref()
        .map(|r| entities::users::Model::from_query_result(r, ""))
        .transpose()?;
    let user = CurrentUser::from_account(account, claims)?;
    let Some(row) = row else {
        return Err(AppError::NotFound);
    };
    let Some(region_code) = row.try_get::<Option<String>>("", "center_region")? else {
        return Err(AppError::NotFound);
    };
    if !(reads(&user, center_id, &region_code) || reviews_center(db, &user, center_id).await?) {
        return Err(AppError::NotFound);
    }
    let stamp = crate::domain::metrics::ItemStamp {
        version: row.try_get("", "center_version")?,
        figures_version: row.try_get("", "center_figures")?,
        lifecycle_version: row.try_get("", "center_lifecycle")?,
        host_version: row.try_get::<Option<i32>>("", "host_version")?.unwrap_or(0),
    };
    Ok((user, stamp))
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

/// The states of an application whose review is open (`accreditation::status`, named here as
/// stored: the workflows read access, not the other way round).
const OPEN_APPLICATION_REVIEWS: [&str; 2] = ["recommended", "under_review"];

/// The state of a report whose review is open (`reports::status::SUBMITTED`).
const OPEN_REPORT_REVIEW: &str = "submitted";

/// Whether `user` is an expert assigned to review one of the center's applications or reports who
/// has declared no conflict of interest, while that review is open (an application recommended or
/// under review, a report submitted): once it is decided, the expert reads nothing of the center.
pub async fn reviews_center(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    center_id: i32,
) -> Result<bool, AppError> {
    use entities::{applications, review_assignments};
    use sea_orm::{QueryFilter, sea_query::Query};
    if user.role != Role::Expert {
        return Ok(false);
    }
    let applications_of_center = Query::select()
        .column(applications::Column::Id)
        .from(applications::Entity)
        .and_where(applications::Column::CenterId.eq(center_id))
        .and_where(applications::Column::Status.is_in(OPEN_APPLICATION_REVIEWS))
        .to_owned();
    let reports_of_center = Query::select()
        .column(entities::annual_reports::Column::Id)
        .from(entities::annual_reports::Entity)
        .and_where(entities::annual_reports::Column::CenterId.eq(center_id))
        .and_where(entities::annual_reports::Column::Status.eq(OPEN_REPORT_REVIEW))
        .to_owned();
    let found = review_assignments::Entity::find()
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(review_assignments::Column::SubjectKind.eq("application"))
                        .add(
                            review_assignments::Column::SubjectId
                                .in_subquery(applications_of_center),
                        ),
                )
                .add(
                    Condition::all()
                        .add(review_assignments::Column::SubjectKind.eq("report"))
                        .add(review_assignments::Column::SubjectId.in_subquery(reports_of_center)),
                ),
        )
        .filter(review_assignments::Column::ExpertId.eq(user.id))
        .filter(review_assignments::Column::Active.eq(true))
        .filter(review_assignments::Column::ConflictStatus.eq(crate::domain::review::DECLARED_NONE))
        .one(db)
        .await?;
    Ok(found.is_some())
}

/// The center if `user` reads it; 404 otherwise (a center outside one's scope does not exist).
pub async fn readable_center(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: i32,
) -> Result<centers::Model, AppError> {
    let center = centers::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if can_read(user, &center) || reviews_center(db, user, center.id).await? {
        Ok(center)
    } else {
        Err(AppError::NotFound)
    }
}

/// The center and its host organization, in one query, if `user` reads it; 404 otherwise.
pub async fn readable_center_with_host(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: i32,
) -> Result<(centers::Model, Option<entities::organizations::Model>), AppError> {
    let (center, host) = centers::Entity::find_by_id(id)
        .find_also_related(entities::organizations::Entity)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if can_read(user, &center) || reviews_center(db, user, center.id).await? {
        Ok((center, host))
    } else {
        Err(AppError::NotFound)
    }
}

/// Whether `user` is the staff of `center` and it still takes writes (not exited).
pub fn can_write_center(user: &CurrentUser, center: &centers::Model) -> bool {
    user.role == Role::Center
        && user.center_id == Some(center.id)
        && center.status != crate::domain::centers::status::EXITED
}

/// The center if `user` is its staff (only they write its records); 403 for its other readers,
/// 404 for everyone else, 409 once the center has exited (its records are read-only).
pub async fn writable_center(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    id: i32,
) -> Result<centers::Model, AppError> {
    let center = readable_center(db, user, id).await?;
    if user.role != Role::Center || user.center_id != Some(center.id) {
        return Err(AppError::Forbidden);
    }
    if center.status == crate::domain::centers::status::EXITED {
        // its history stays readable; nothing is written any more
        return Err(AppError::Conflict(crate::i18n::Msg::new(
            "中心已退出，记录只读",
            "the center has exited; its records are read-only",
        )));
    }
    Ok(center)
}
