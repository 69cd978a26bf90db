//! Registering a demand (an enterprise, or a center's staff on behalf of an enterprise of its
//! alliance, recorded as such), correcting it at a version, closing and reopening it.

use chrono::{DateTime, NaiveDate, Utc};
use entities::{demands, organizations};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use super::input::{Checked, DemandInput, DemandPatch};
use super::reads::get;
use super::view::{DemandView, fill, input_of};
use crate::{
    auth::CurrentUser,
    domain::{
        audit::AuditEntry, centers::industries, identifiers::Uscc, market::manages, users::Role,
    },
    error::{AppError, FieldErrors},
    i18n::Msg,
    search::{Kind, follow::changed},
};

/// The enterprise a new demand belongs to, as `user` may register it.
async fn member_for(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
    member_uscc: Option<&str>,
) -> Result<organizations::Model, AppError> {
    let named = member_uscc.map(str::trim).filter(|u| !u.is_empty());
    let member = match (user.role, named) {
        (Role::Member, _) => {
            let own = user.organization_id.ok_or_else(|| {
                AppError::ForbiddenBecause(Msg::new(
                    "账号尚未关联机构",
                    "the account belongs to no organization yet",
                ))
            })?;
            let own = organizations::Entity::find_by_id(own)
                .one(db)
                .await?
                .ok_or(AppError::NotFound)?;
            if named.is_some_and(|n| n != own.uscc) {
                return Err(AppError::field(
                    "member_uscc",
                    Msg::new(
                        "只有运营中心可以代成员登记需求",
                        "only a center's staff registers a demand for another member",
                    ),
                ));
            }
            own
        }
        (Role::Center, Some(raw)) => {
            let code = Uscc::parse(raw).map_err(|e| AppError::field("member_uscc", e.message()))?;
            let found = crate::domain::organizations::find_by_uscc(db, &code).await?;
            let found = found.filter(|o| o.kind == "enterprise");
            let held = match &found {
                Some(o) => manages(db, user, o.id).await?,
                None => false,
            };
            match found.filter(|_| held) {
                Some(member) => member,
                None => {
                    return Err(AppError::field(
                        "member_uscc",
                        Msg::new(
                            "该企业不是本中心联盟的在册成员",
                            "the enterprise is not a member of this center's alliance",
                        ),
                    ));
                }
            }
        }
        (Role::Center, None) => {
            return Err(AppError::field(
                "member_uscc",
                Msg::new("请选择代为登记的成员企业", "choose the member enterprise"),
            ));
        }
        _ => return Err(AppError::Forbidden),
    };
    if member.kind != "enterprise" {
        return Err(AppError::ForbiddenBecause(Msg::new(
            "企业可以登记技术需求",
            "enterprises register technology demands",
        )));
    }
    Ok(member)
}

/// `input` checked against the industries list (every bad field at once).
async fn checked(
    db: &impl ConnectionTrait,
    input: &DemandInput,
    dating: (NaiveDate, bool),
) -> Result<Checked, AppError> {
    let names: Vec<String> = industries(db).await?.into_iter().map(|i| i.name).collect();
    let mut errors = FieldErrors::default();
    let checked = input.check(&names, dating, &mut errors);
    errors
        .into_result(checked)?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("checked demand missing")))
}

/// Registers a demand (in the caller's transaction): 201 with it, 422 naming every field that
/// does not fit.
pub async fn create(
    txn: &impl ConnectionTrait,
    user: &CurrentUser,
    input: &DemandInput,
    (today, now): (NaiveDate, DateTime<Utc>),
) -> Result<DemandView, AppError> {
    let member = member_for(txn, user, input.member_uscc.as_deref()).await?;
    let values = checked(txn, input, (today, true)).await?;
    let mut row = demands::ActiveModel {
        member_organization_id: Set(member.id),
        status: Set("open".into()),
        registered_by: Set(user.id),
        on_behalf_center_id: Set(user.center_id.filter(|_| user.role == Role::Center)),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    fill(&mut row, values);
    let saved = row.insert(txn).await?;
    changed(txn, Kind::Demand, saved.id, now).await?;
    AuditEntry::new(Some(user.id), "demand.create", "demand", saved.id)
        .after(&saved.title)
        .write(txn, now)
        .await?;
    get(txn, user, saved.id, today).await
}

/// The stored state a `status` sent in a correction moves to, or a refusal naming it.
fn moved_status(
    row: &demands::Model,
    asked: &serde_json::Value,
    valid_until: NaiveDate,
    today: NaiveDate,
) -> Result<String, AppError> {
    match (asked.as_str(), row.status.as_str()) {
        (Some("closed"), "closed") => Err(AppError::Conflict(Msg::new(
            "该需求已关闭",
            "the demand is already closed",
        ))),
        (Some("closed"), _) => Ok("closed".into()),
        (Some("open"), "closed") if valid_until < today => Err(AppError::field(
            "valid_until",
            Msg::new(
                "重新开放前请把有效期延长到今天或以后",
                "move the last valid day to today or later to reopen it",
            ),
        )),
        (Some("open"), "closed") => Ok("open".into()),
        (Some("open"), _) => Err(AppError::Conflict(Msg::new(
            "该需求没有关闭",
            "the demand is not closed",
        ))),
        _ => Err(AppError::field(
            "status",
            Msg::new(
                "状态只能改为 closed（关闭）或 open（重新开放）",
                "status changes only to closed or open",
            ),
        )),
    }
}

/// Corrects demand `id` at `patch.version` with the fields sent (the rest kept): renewing is a
/// later `valid_until`; `status` closes or reopens it. 409 naming the version when stale.
pub async fn update(
    txn: &impl ConnectionTrait,
    user: &CurrentUser,
    id: i32,
    patch: &DemandPatch,
    (today, now): (NaiveDate, DateTime<Utc>),
) -> Result<DemandView, AppError> {
    let row = get(txn, user, id, today).await?;
    let row = match row.member.as_ref() {
        Some(m) if manages(txn, user, m.id).await? => demands::Entity::find_by_id(id)
            .one(txn)
            .await?
            .ok_or(AppError::NotFound)?,
        _ => return Err(AppError::Forbidden),
    };
    let mut merged = serde_json::to_value(input_of(&row)).map_err(anyhow::Error::from)?;
    let mut status = None;
    for (field, value) in &patch.fields {
        match field.as_str() {
            "member_uscc" => {
                return Err(AppError::field(
                    "member_uscc",
                    Msg::new(
                        "需求所属企业不能修改",
                        "the demand's member does not change",
                    ),
                ));
            }
            "status" => status = Some(value.clone()),
            _ => merged[field] = value.clone(),
        }
    }
    let input: DemandInput = crate::json::parse_json(merged.to_string().as_bytes())?;
    let dated = input.valid_until.trim() != row.valid_until.to_string();
    let values = checked(txn, &input, (today, dated)).await?;
    let mut active: demands::ActiveModel = row.clone().into();
    if let Some(asked) = status {
        active.status = Set(moved_status(&row, &asked, values.valid_until, today)?);
    }
    fill(&mut active, values);
    versioned_save(txn, user, active, (&row, patch.version), now).await?;
    get(txn, user, id, today).await
}

/// Saves `active` if the row is still at `version` (409 otherwise), with its audit row.
async fn versioned_save(
    txn: &impl ConnectionTrait,
    user: &CurrentUser,
    mut active: demands::ActiveModel,
    (row, version): (&demands::Model, i32),
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let stale = || {
        AppError::Conflict(Msg::new(
            format!("该需求已被修改（当前版本 {}），请刷新后重试", row.version),
            format!(
                "the demand has changed (now version {}); reload and try again",
                row.version
            ),
        ))
    };
    if row.version != version {
        return Err(stale());
    }
    active.version = Set(row.version + 1);
    active.updated_at = Set(now);
    let updated = demands::Entity::update_many()
        .set(active)
        .filter(demands::Column::Id.eq(row.id))
        .filter(demands::Column::Version.eq(version))
        .exec(txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(stale());
    }
    changed(txn, Kind::Demand, row.id, now).await?;
    AuditEntry::new(Some(user.id), "demand.update", "demand", row.id)
        .before(&row.version)
        .after(&(row.version + 1))
        .write(txn, now)
        .await
}

/// The enterprises a center's staff may register demands for, `(code, name)` by name; `None` for
/// everyone else (they register their own).
pub async fn members_for(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
) -> Result<Option<Vec<(String, String)>>, AppError> {
    let Some(center) = user.center_id.filter(|_| user.role == Role::Center) else {
        return Ok(None);
    };
    let ids = crate::domain::alliance::active_organization_ids(db, center).await?;
    let mut found: Vec<(String, String)> = organizations::Entity::find()
        .filter(organizations::Column::Id.is_in(ids))
        .filter(organizations::Column::Kind.eq("enterprise"))
        .all(db)
        .await?
        .into_iter()
        .map(|o| (o.uscc, o.name))
        .collect();
    found.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(Some(found))
}
