//! Memberships of an alliance: added, corrected, withdrawn (they stop counting) or deleted when entered by mistake, with the active counts of each kind moved in the same transaction.

use chrono::{DateTime, NaiveDate, Utc};
use entities::{memberships, organizations as org_entity};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::member_record::{Member, refuse_overlap};
use crate::domain::{
    ledger::record,
    organizations::{self, OrganizationInput, OrganizationView},
    paging::Paged,
};
use crate::{error::AppError, i18n::Msg};

/// A membership added by the center: an existing organization by `uscc`, or a new one by its
/// fields (`organization`); `joined_on` defaults to today; `left_on`, when given, records a
/// membership that has already ended.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MemberInput {
    #[serde(default)]
    pub uscc: Option<String>,
    #[serde(default)]
    pub organization: Option<OrganizationInput>,
    #[serde(default)]
    pub joined_on: Option<String>,
    #[serde(default)]
    pub left_on: Option<String>,
}

/// The dates of a membership: from `joined_on`, until `left_on` when it has ended.
#[derive(Debug, Clone, Copy)]
pub struct Period {
    pub joined_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
}

impl From<NaiveDate> for Period {
    fn from(joined_on: NaiveDate) -> Period {
        Period {
            joined_on,
            left_on: None,
        }
    }
}

/// A membership as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MembershipView {
    pub id: i32,
    pub center_id: i32,
    pub organization: OrganizationView,
    pub joined_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
    /// `active` or `withdrawn`.
    pub status: &'static str,
    pub version: i32,
}

pub(crate) fn view(m: memberships::Model, org: org_entity::Model) -> MembershipView {
    MembershipView {
        id: m.id,
        center_id: m.center_id,
        organization: OrganizationView::from(org),
        joined_on: m.joined_on,
        status: if m.left_on.is_some() {
            "withdrawn"
        } else {
            "active"
        },
        left_on: m.left_on,
        version: m.version,
    }
}

pub(super) fn already_member() -> AppError {
    AppError::Conflict(Msg::new(
        "该机构已是本联盟的在册成员",
        "this organization already has an active membership of this alliance",
    ))
}

/// Inserts a membership of `period` (409 when it overlaps another of the organization there),
/// inside the caller's transaction, without moving the active counts.
pub(super) async fn insert_period(
    db: &impl ConnectionTrait,
    (center_id, organization_id): (i32, i32),
    period: Period,
    actor_user_id: i32,
    import_id: Option<i32>,
    now: DateTime<Utc>,
) -> Result<memberships::Model, AppError> {
    // periods of one organization at one center never overlap, so counts need no DISTINCT
    refuse_overlap(db, (center_id, organization_id, None), period).await?;
    let org = organizations::find_by_id(db, organization_id).await?;
    let org = org.ok_or(AppError::NotFound)?;
    let membership = memberships::ActiveModel {
        center_id: Set(center_id),
        organization_id: Set(organization_id),
        org_kind: Set(org.kind),
        joined_on: Set(period.joined_on),
        left_on: Set(period.left_on),
        import_id: Set(import_id),
        deleted_at: Set(None),
        version: Set(1),
        created_by: Set(Some(actor_user_id)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    membership
        .insert(db)
        .await
        .map_err(|e| match AppError::from(e) {
            AppError::Conflict(_) => already_member(),
            other => other,
        })
}

/// Inserts a membership of `period` and moves the active counts (409 when it overlaps another of
/// the organization there), inside the caller's transaction: what an import or a seed records.
pub async fn insert_membership(
    db: &impl ConnectionTrait,
    center_id: i32,
    organization_id: i32,
    period: Period,
    actor_user_id: i32,
    import_id: Option<i32>,
    now: DateTime<Utc>,
) -> Result<memberships::Model, AppError> {
    let ids = (center_id, organization_id);
    let membership = insert_period(db, ids, period, actor_user_id, import_id, now).await?;
    if membership.left_on.is_none() {
        move_active_count(db, center_id, &membership.org_kind, 1).await?;
    }
    Ok(membership)
}

pub(super) async fn live(
    db: &impl ConnectionTrait,
    center_id: i32,
    id: i32,
) -> Result<(memberships::Model, org_entity::Model), AppError> {
    let membership =
        crate::domain::ledger::find_live::<memberships::Entity>(db, center_id, i64::from(id))
            .await?;
    let org = organizations::find_by_id(db, membership.organization_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((membership, org))
}

/// `{"left_on"?, "version"?}` of a withdrawal.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct Withdrawal {
    #[serde(default)]
    pub left_on: Option<String>,
    #[serde(default)]
    pub version: Option<i32>,
}

/// Ends a membership on `left_on` (default today; not before it began, not in the future) inside
/// the caller's transaction; the record stays. 409 when already withdrawn or the version is stale.
pub async fn withdraw(
    db: &DatabaseTransaction,
    (center_id, id): (i32, i32),
    actor_user_id: i32,
    withdrawal: Withdrawal,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<MembershipView, AppError> {
    let (before, _) = live(db, center_id, id).await?;
    if before.left_on.is_some() {
        return Err(AppError::Conflict(Msg::new(
            "该成员已退出（状态：withdrawn）",
            "the membership is already withdrawn (state: withdrawn)",
        )));
    }
    let mut patch = serde_json::Map::new();
    let left_on = withdrawal.left_on.unwrap_or_else(|| today.to_string());
    patch.insert("left_on".into(), left_on.into());
    let version = withdrawal.version.unwrap_or(before.version);
    patch.insert("version".into(), version.into());
    let id = i64::from(id);
    record::update::<Member>(db, center_id, id, actor_user_id, patch, today, now).await
}

/// Which memberships to list.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum MemberStatusFilter {
    #[default]
    All,
    Active,
    Withdrawn,
}

/// The memberships of a center (deleted ones never), newest first, with their organizations.
pub async fn list(
    db: &impl ConnectionTrait,
    center_id: i32,
    status: MemberStatusFilter,
    page: u64,
    per_page: u64,
) -> Result<Paged<MembershipView>, AppError> {
    let mut query = memberships::Entity::find()
        .filter(memberships::Column::CenterId.eq(center_id))
        .filter(memberships::Column::DeletedAt.is_null())
        .order_by_desc(memberships::Column::JoinedOn)
        .order_by_desc(memberships::Column::Id);
    query = match status {
        MemberStatusFilter::All => query,
        MemberStatusFilter::Active => query.filter(memberships::Column::LeftOn.is_null()),
        MemberStatusFilter::Withdrawn => query.filter(memberships::Column::LeftOn.is_not_null()),
    };
    let paginator = query.paginate(db, per_page);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(page - 1).await?;
    let orgs: std::collections::HashMap<i32, org_entity::Model> = org_entity::Entity::find()
        .filter(
            org_entity::Column::Id
                .is_in(rows.iter().map(|m| m.organization_id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let items = rows
        .into_iter()
        .filter_map(|m| orgs.get(&m.organization_id).cloned().map(|o| view(m, o)))
        .collect();
    Ok(Paged {
        items,
        total,
        page,
        per_page,
    })
}

/// The organizations with an active membership of `center_id`.
pub async fn active_organization_ids(
    db: &impl ConnectionTrait,
    center_id: i32,
) -> Result<std::collections::HashSet<i32>, AppError> {
    Ok(memberships::Entity::find()
        .filter(memberships::Column::CenterId.eq(center_id))
        .filter(memberships::Column::LeftOn.is_null())
        .filter(memberships::Column::DeletedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.organization_id)
        .collect())
}

/// Moves the count of active memberships of `center_id` of organizations of `org_kind` by
/// `change` (+1 joining, -1 leaving or deleted), inside the caller's transaction. Since joining and
/// leaving dates never lie in the future, "active today" is exactly "not withdrawn".
pub async fn move_active_count(
    db: &impl ConnectionTrait,
    center_id: i32,
    org_kind: &str,
    change: i64,
) -> Result<(), AppError> {
    let statement = sea_orm::Statement::from_sql_and_values(
        db.get_database_backend(),
        "INSERT INTO center_member_counts (center_id, org_kind, active_count) VALUES ($1, $2, $3) \
         ON CONFLICT (center_id, org_kind) DO UPDATE SET active_count = center_member_counts.active_count + excluded.active_count",
        [center_id.into(), org_kind.into(), change.into()],
    );
    db.execute_raw(statement).await?;
    Ok(())
}
