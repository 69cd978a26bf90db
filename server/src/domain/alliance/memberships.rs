//! Memberships of an alliance: added, corrected, withdrawn (they stop counting) or deleted when entered by mistake, with the active counts of each kind moved in the same transaction.

use chrono::{DateTime, NaiveDate, Utc};
use entities::{memberships, organizations as org_entity};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, sea_query::Expr,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{
    audit::AuditEntry,
    identifiers::Uscc,
    ledger::{ledger_date, update_if_current},
    organizations::{self, OrganizationInput, OrganizationView},
    paging::Paged,
};
use crate::{
    error::{AppError, FieldErrors},
    i18n::Msg,
};

/// A membership added by the center: an existing organization by `uscc`, or a new one by its
/// fields (`organization`); `joined_on` defaults to today.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MemberInput {
    #[serde(default)]
    pub uscc: Option<String>,
    #[serde(default)]
    pub organization: Option<OrganizationInput>,
    #[serde(default)]
    pub joined_on: Option<String>,
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

pub(super) fn view(m: memberships::Model, org: org_entity::Model) -> MembershipView {
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

/// Inserts an active membership (409 when one exists), inside the caller's transaction.
pub async fn insert_membership(
    db: &impl ConnectionTrait,
    center_id: i32,
    organization_id: i32,
    joined_on: NaiveDate,
    actor_user_id: i32,
    import_id: Option<i32>,
    now: DateTime<Utc>,
) -> Result<memberships::Model, AppError> {
    // periods of one organization at one center never overlap, so counts need no DISTINCT
    let overlapping = memberships::Entity::find()
        .filter(memberships::Column::CenterId.eq(center_id))
        .filter(memberships::Column::OrganizationId.eq(organization_id))
        .filter(memberships::Column::DeletedAt.is_null())
        .filter(
            Condition::any()
                .add(memberships::Column::LeftOn.is_null())
                .add(memberships::Column::LeftOn.gt(joined_on)),
        )
        .one(db)
        .await?;
    if let Some(existing) = overlapping {
        return Err(match existing.left_on {
            None => already_member(),
            Some(left_on) => AppError::Conflict(Msg::new(
                format!(
                    "与该机构此前的成员期（{} 至 {left_on}）重叠",
                    existing.joined_on
                ),
                format!(
                    "overlaps the organization's earlier membership ({} to {left_on})",
                    existing.joined_on
                ),
            )),
        });
    }
    let org = organizations::find_by_id(db, organization_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let membership = memberships::ActiveModel {
        center_id: Set(center_id),
        organization_id: Set(organization_id),
        org_kind: Set(org.kind),
        joined_on: Set(joined_on),
        left_on: Set(None),
        import_id: Set(import_id),
        deleted_at: Set(None),
        version: Set(1),
        created_by: Set(Some(actor_user_id)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|e| match AppError::from(e) {
        AppError::Conflict(_) => already_member(),
        other => other,
    })?;
    move_active_count(db, center_id, &membership.org_kind, 1).await?;
    Ok(membership)
}

/// Adds an organization to the alliance, active at once from `joined_on` (default today, never in
/// the future); a new organization is validated and registered in the same transaction.
pub async fn add_member(
    db: &DatabaseConnection,
    center_id: i32,
    actor_user_id: i32,
    input: MemberInput,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<MembershipView, AppError> {
    let mut errors = FieldErrors::default();
    let joined_on = match input.joined_on.as_deref() {
        Some(raw) => ledger_date("joined_on", raw, today, &mut errors),
        None => Some(today),
    };
    crate::db::write(db, async |txn| {
        let org = match (input.uscc.as_deref(), input.organization) {
            (Some(raw), None) => match Uscc::parse(raw) {
                Ok(code) => {
                    let found = organizations::find_by_uscc(txn, &code).await?;
                    if found.is_none() {
                        errors.add("uscc", Msg::new(format!("统一社会信用代码 {code} 的机构尚未登记；请同时提供机构信息"), format!("no organization with code {code} is registered; send its fields as `organization`")));
                    }
                    found
                }
                Err(e) => {
                    errors.add("uscc", e.message());
                    None
                }
            },
            (None, Some(new_org)) => {
                let valid = new_org.validate("organization.", false, &mut errors);
                match valid {
                    Some(valid) if errors.is_empty() => {
                        match organizations::find_by_uscc(txn, &valid.uscc).await? {
                            Some(existing) => Some(existing),
                            None => Some(organizations::insert(txn, valid, now).await?),
                        }
                    }
                    _ => None,
                }
            }
            _ => {
                errors.add(
                    "uscc",
                    Msg::new(
                        "请提供 uscc（已登记机构）或 organization（新机构）之一",
                        "send either uscc (a registered organization) or organization (a new one)",
                    ),
                );
                None
            }
        };
        let (org, joined_on) = match (org, joined_on) {
            (Some(org), Some(joined_on)) if errors.is_empty() => (org, joined_on),
            _ => return Err(AppError::Validation(errors)),
        };
        let membership =
            insert_membership(txn, center_id, org.id, joined_on, actor_user_id, None, now).await?;
        let created = view(membership, org);
        AuditEntry::new(
            Some(actor_user_id),
            "membership.create",
            "membership",
            created.id,
        )
        .after(&created)
        .write(txn, now)
        .await?;
        Ok(created)
    })
    .await
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

/// Ends a membership on `left_on` (default today; not before it began, not in the future); the
/// record stays. 409 when already withdrawn or the version is stale.
pub async fn withdraw(
    db: &DatabaseConnection,
    center_id: i32,
    id: i32,
    actor_user_id: i32,
    withdrawal: Withdrawal,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<MembershipView, AppError> {
    let Withdrawal { left_on, version } = withdrawal;
    let (before, org) = live(db, center_id, id).await?;
    if before.left_on.is_some() {
        return Err(AppError::Conflict(Msg::new(
            "该成员已退出（状态：withdrawn）",
            "the membership is already withdrawn (state: withdrawn)",
        )));
    }
    let mut errors = FieldErrors::default();
    let left_on = match left_on.as_deref() {
        Some(raw) => ledger_date("left_on", raw, today, &mut errors),
        None => Some(today),
    };
    if let Some(date) = left_on.filter(|d| *d < before.joined_on) {
        errors.add(
            "left_on",
            Msg::new(
                format!("退出日期 {date} 早于加入日期 {}", before.joined_on),
                format!("left_on {date} lies before joined_on {}", before.joined_on),
            ),
        );
    }
    let left_on = errors.into_result(left_on)?.unwrap_or(today);
    crate::db::write(db, async |txn| {
        use memberships::Column as C;
        let changes = vec![(C::LeftOn, Expr::value(left_on))];
        update_if_current::<memberships::Entity>(
            txn,
            (
                i64::from(id),
                version.unwrap_or(before.version),
                before.version,
            ),
            changes,
            now,
        )
        .await?;
        let (after, _) = live(txn, center_id, id).await?;
        move_active_count(txn, center_id, &after.org_kind, -1).await?;
        let after = view(after, org.clone());
        AuditEntry::new(Some(actor_user_id), "membership.withdraw", "membership", id)
            .before(&view(before, org))
            .after(&after)
            .write(txn, now)
            .await?;
        Ok(after)
    })
    .await
}

/// Corrects a membership's dates (`joined_on`, `left_on`) at `version`; 409 when stale.
pub async fn update(
    db: &DatabaseConnection,
    center_id: i32,
    id: i32,
    actor_user_id: i32,
    patch: serde_json::Map<String, serde_json::Value>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<MembershipView, AppError> {
    let version = crate::domain::ledger::version_of(&patch)?;
    let (before, org) = live(db, center_id, id).await?;
    let mut errors = FieldErrors::default();
    let text = |key: &str| patch.get(key).and_then(|v| v.as_str()).map(str::to_string);
    let joined_on = match text("joined_on") {
        Some(raw) => ledger_date("joined_on", &raw, today, &mut errors),
        None => Some(before.joined_on),
    };
    let left_on = match text("left_on") {
        Some(raw) => ledger_date("left_on", &raw, today, &mut errors).map(Some),
        None => Some(before.left_on),
    };
    if let (Some(j), Some(Some(l))) = (joined_on, left_on)
        && l < j
    {
        errors.add(
            "left_on",
            Msg::new("退出日期早于加入日期", "left_on lies before joined_on"),
        );
    }
    let (joined_on, left_on) = match (joined_on, left_on) {
        (Some(j), Some(l)) if errors.is_empty() => (j, l),
        _ => return Err(AppError::Validation(errors)),
    };
    crate::db::write(db, async |txn| {
        let others = memberships::Entity::find()
            .filter(memberships::Column::CenterId.eq(center_id))
            .filter(memberships::Column::OrganizationId.eq(before.organization_id))
            .filter(memberships::Column::DeletedAt.is_null())
            .filter(memberships::Column::Id.ne(id))
            .all(txn)
            .await?;
        let overlaps = |o: &memberships::Model| {
            left_on.is_none_or(|l| o.joined_on < l) && o.left_on.is_none_or(|ol| ol > joined_on)
        };
        if let Some(other) = others.iter().find(|o| overlaps(o)) {
            return Err(AppError::Conflict(Msg::new(
                format!("与该机构的另一成员期（自 {} 起）重叠", other.joined_on),
                format!(
                    "overlaps another membership of the organization (from {})",
                    other.joined_on
                ),
            )));
        }
        use memberships::Column as C;
        let changes = vec![
            (C::JoinedOn, Expr::value(joined_on)),
            (C::LeftOn, Expr::value(left_on)),
        ];
        update_if_current::<memberships::Entity>(
            txn,
            (i64::from(id), version, before.version),
            changes,
            now,
        )
        .await?;
        let (after, _) = live(txn, center_id, id).await?;
        match (before.left_on.is_some(), after.left_on.is_some()) {
            (false, true) => move_active_count(txn, center_id, &after.org_kind, -1).await?,
            (true, false) => move_active_count(txn, center_id, &after.org_kind, 1).await?,
            _ => {}
        }
        let after = view(after, org.clone());
        AuditEntry::new(Some(actor_user_id), "membership.update", "membership", id)
            .before(&view(before, org))
            .after(&after)
            .write(txn, now)
            .await?;
        Ok(after)
    })
    .await
}

/// Marks a membership entered by mistake as deleted (it never counts); 409 on a stale version.
pub async fn delete(
    db: &DatabaseConnection,
    center_id: i32,
    id: i32,
    version: i32,
    actor_user_id: i32,
    now: DateTime<Utc>,
) -> Result<MembershipView, AppError> {
    let (before, org) = live(db, center_id, id).await?;
    crate::db::write(db, async |txn| {
        use memberships::Column as C;
        let changes = vec![(C::DeletedAt, Expr::value(now))];
        update_if_current::<memberships::Entity>(
            txn,
            (i64::from(id), version, before.version),
            changes,
            now,
        )
        .await?;
        if before.left_on.is_none() {
            move_active_count(txn, center_id, &before.org_kind, -1).await?;
        }
        let gone = view(before, org);
        AuditEntry::new(Some(actor_user_id), "membership.delete", "membership", id)
            .before(&gone)
            .write(txn, now)
            .await?;
        Ok(gone)
    })
    .await
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
