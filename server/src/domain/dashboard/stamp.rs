//! The stamp a cached dashboard is checked against: one row over every center, read in the same
//! statement as the caller's account on the API's hot path.

use sea_orm::ConnectionTrait;

use crate::{auth::CurrentUser, error::AppError};

/// What a dashboard was computed from (the rows show nothing of the hosts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DashboardStamp {
    centers: i64,
    versions: i64,
    figures: i64,
    lifecycles: i64,
}

/// The sums the stamp is made of, over every center (a change anywhere moves every scope's
/// stamp: dashboards are read far more often than centers change).
const STAMP_COLUMNS: &str = "COUNT(*) AS stamp_centers, \
     CAST(COALESCE(SUM(version), 0) AS BIGINT) AS stamp_versions, \
     CAST(COALESCE(SUM(figures_version), 0) AS BIGINT) AS stamp_figures, \
     CAST(COALESCE(SUM(lifecycle_version), 0) AS BIGINT) AS stamp_lifecycles";

fn stamp_of_row(row: &sea_orm::QueryResult) -> Result<DashboardStamp, AppError> {
    Ok(DashboardStamp {
        centers: row.try_get("", "stamp_centers")?,
        versions: row.try_get("", "stamp_versions")?,
        figures: row.try_get("", "stamp_figures")?,
        lifecycles: row.try_get("", "stamp_lifecycles")?,
    })
}

/// The stamp of the centers: their number and the sums of their versions, figures versions and
/// lifecycle versions (each only grows), in one row.
pub async fn stamp(db: &impl ConnectionTrait) -> Result<DashboardStamp, AppError> {
    let sql = format!("SELECT {STAMP_COLUMNS} FROM centers");
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            sql,
        ))
        .await?
        .ok_or(AppError::NotFound)?;
    stamp_of_row(&row)
}

/// The caller of the token `claims` and the centers' stamp in one statement (the dashboard's hot
/// path: one round trip when the dashboard is cached); 401 for a token no longer current.
pub async fn caller_with_stamp(
    db: &impl ConnectionTrait,
    claims: &crate::auth::token::Claims,
) -> Result<(CurrentUser, DashboardStamp), AppError> {
    use sea_orm::FromQueryResult;
    let sql = format!(
        "SELECT u.*, s.* FROM users u {} CROSS JOIN (SELECT {STAMP_COLUMNS} FROM centers) s WHERE u.id = $1",
        crate::auth::session::live_session_join(2)
    );
    let row = db
        .query_one_raw(sea_orm::Statement::from_sql_and_values(
            db.get_database_backend(),
            sql,
            [claims.sub.into(), claims.sid.clone().into()],
        ))
        .await?;
    let account = row
        .as_ref()
        .map(|r| entities::users::Model::from_query_result(r, ""))
        .transpose()?;
    let user = CurrentUser::from_account(account, claims)?;
    let row = row.ok_or(AppError::NotFound)?;
    Ok((user, stamp_of_row(&row)?))
}
