//! Writing a checked inventory without holding other writers up: new listings staged a thousand
//! at a time (`importing`, seen by nobody), then published with the updates in one short
//! transaction — all of them or, when anything fails, none (the staged rows discarded).

use chrono::{DateTime, NaiveDate, Utc};
use entities::patent_listings as listings;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set, sea_query::Expr,
};

use super::{
    super::{
        changes::{self, Change},
        rows::fill,
    },
    check::Planned,
};
use crate::{
    domain::audit::AuditEntry,
    error::AppError,
    i18n::Msg,
    search::{Kind, follow::changed_many},
};

/// Stages `rows` (new listings) for import `job` as `importing`, in the caller's transaction.
pub async fn stage(
    txn: &impl ConnectionTrait,
    (job, user_id): (i32, i32),
    rows: &[Planned],
    (today, now): (NaiveDate, DateTime<Utc>),
) -> Result<(), AppError> {
    let models = rows.iter().map(|p| {
        let mut row = listings::ActiveModel {
            owner_organization_id: Set(p.owner),
            legal_status_since: Set(p
                .values
                .grant_date
                .or(p.values.application_date)
                .unwrap_or(today)),
            status: Set("importing".into()),
            import_id: Set(Some(job)),
            listed_by: Set(user_id),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        fill(&mut row, p.values.clone(), false);
        row
    });
    listings::Entity::insert_many(models).exec(txn).await?;
    Ok(())
}

/// Publishes import `job` in the caller's transaction: its staged listings listed, `updates`
/// applied at the versions they were read at (409 when one changed meanwhile), every change
/// told to the search index, one audit row.
pub async fn publish(
    txn: &impl ConnectionTrait,
    (job, user_id): (i32, i32),
    updates: &[Planned],
    (today, now): (NaiveDate, DateTime<Utc>),
) -> Result<(), AppError> {
    listings::Entity::update_many()
        .col_expr(listings::Column::Status, Expr::value("listed"))
        .filter(listings::Column::ImportId.eq(job))
        .filter(listings::Column::Status.eq("importing"))
        .exec(txn)
        .await
        .map_err(|e| {
            match e.to_string().contains("ux_patent_listings_live_number")
                || e.to_string().contains("UNIQUE")
            {
                true => AppError::Conflict(Msg::new(
                    "导入期间有申请号已被他人上架，请核对后重新导入",
                    "a number was listed by someone else meanwhile; check and import again",
                )),
                false => e.into(),
            }
        })?;
    let mut ids: Vec<i32> = listings::Entity::find()
        .select_only()
        .column(listings::Column::Id)
        .filter(listings::Column::ImportId.eq(job))
        .into_tuple()
        .all(txn)
        .await?;
    for planned in updates {
        let Some((row, fields)) = &planned.update else {
            continue;
        };
        if fields.is_empty() {
            continue;
        }
        let open = row.offered_modes.contains("\"open_license\"");
        let mut next: listings::ActiveModel = row.clone().into();
        fill(&mut next, planned.values.clone(), open);
        if planned.values.legal_status.as_str() != row.legal_status {
            next.legal_status_since = Set(today);
        }
        next.version = Set(row.version + 1);
        next.updated_at = Set(now);
        let done = listings::Entity::update_many()
            .set(next)
            .filter(listings::Column::Id.eq(row.id))
            .filter(listings::Column::Version.eq(row.version))
            .exec(txn)
            .await?;
        if done.rows_affected == 0 {
            return Err(AppError::Conflict(Msg::new(
                format!("第 {} 行的专利在导入期间已被修改，请重新导入", planned.row),
                format!(
                    "the patent of row {} changed meanwhile; import again",
                    planned.row
                ),
            )));
        }
        ids.push(row.id);
        let terms = ["asking_price", "offered_modes", "legal_status"];
        if fields.iter().any(|f| terms.contains(&f.as_str())) {
            changes::record(txn, row.id, Change::Terms, now).await?;
        }
    }
    changed_many(txn, Kind::Listing, &ids, now).await?;
    AuditEntry::new(Some(user_id), "listing.import", "import_job", job)
        .after(&ids.len())
        .write(txn, now)
        .await
}

/// Removes what import `job` staged (it failed, or stopped).
pub async fn discard(db: &impl ConnectionTrait, job: i32) -> Result<(), AppError> {
    listings::Entity::delete_many()
        .filter(listings::Column::ImportId.eq(job))
        .filter(listings::Column::Status.eq("importing"))
        .exec(db)
        .await?;
    Ok(())
}
